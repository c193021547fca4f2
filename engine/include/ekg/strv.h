/* strv.h — a growable vector of owned strings, shared by the modules that
 * gather names (directory walks, IRIs collected by checks and queries). */
#ifndef EKG_STRV_H
#define EKG_STRV_H

#include "ekg/status.h"
#include <stddef.h>

/* Zero-initialise (`ekg_strv v = {0};`); the vector owns v[0..n-1] and v. */
typedef struct {
    char **v;
    size_t n, cap;
} ekg_strv;

/* Appends a copy of str. EKG_ERR_NOMEM leaves the vector as it was. */
ekg_status ekg_strv_push(ekg_strv *s, const char *str);
/* Sorts by strcmp. */
void ekg_strv_sort(ekg_strv *s);
/* Frees every string and the array; the vector is empty and reusable. */
void ekg_strv_clear(ekg_strv *s);
/* Hands the array to the caller (who frees each string, then the array) and
 * leaves the vector empty. */
char **ekg_strv_release(ekg_strv *s, size_t *n);

#endif
