/* strv.c — a growable vector of owned strings (strv.h). */
#include "ekg/strv.h"

#include <stdlib.h>
#include <string.h>

ekg_status ekg_strv_push(ekg_strv *s, const char *str)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) return EKG_ERR_NOMEM;
        s->v = v;
        s->cap = cap;
    }
    if (!(s->v[s->n] = strdup(str))) return EKG_ERR_NOMEM;
    s->n++;
    return EKG_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void ekg_strv_sort(ekg_strv *s)
{
    if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, cmp_str);
}

void ekg_strv_clear(ekg_strv *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

char **ekg_strv_release(ekg_strv *s, size_t *n)
{
    char **v = s->v;
    *n = s->n;
    s->v = NULL;
    s->n = s->cap = 0;
    return v;
}
