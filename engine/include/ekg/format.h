/* format.h — writing a query result: one interface, several formats.
 *
 * Each format is a row of a table (name, one-line help, writer), like the
 * sqlite3 shell's modes. Writers write to the FILE the caller gives and
 * never print anywhere else. */
#ifndef EKG_FORMAT_H
#define EKG_FORMAT_H

#include "ekg/result.h"
#include "ekg/status.h"
#include <stdio.h>

typedef struct {
    const char *name; /* "table", "csv" … */
    const char *help;
    ekg_status (*write)(const ekg_result *r, FILE *out);
} ekg_format;

/* The format of that name, or NULL. */
const ekg_format *ekg_format_find(const char *name);
/* Every format, *n of them (borrowed). */
const ekg_format *ekg_format_all(size_t *n);

/* The writers of the graph formats (format_graph.c), also in the table. */
ekg_status ekg_format_turtle(const ekg_result *r, FILE *out);
ekg_status ekg_format_dot(const ekg_result *r, FILE *out);
ekg_status ekg_format_svg(const ekg_result *r, FILE *out);

#endif
