/* result.h — what a query hands back: a table, plus the graph it draws.
 *
 * A result owns every string in it (the cells' strings live in a pool freed
 * with the result, so a cell's strings are never freed alone, and equal
 * strings in one column may be shared). Rows are ncols cells each; a cell has
 * the text shown (a label in the session language, a date, a sentence) and,
 * when it stands for an RDF term, that term (IRI or literal). Edges link
 * actors through events, for the `dot` and `svg` formats; `triples` (when
 * asked for) are the facts behind the rows, for `turtle`. */
#ifndef EKG_RESULT_H
#define EKG_RESULT_H

#include "ekg/status.h"
#include "ekg/term.h"
#include "ekg/triples.h"
#include <stddef.h>

typedef struct {
    char *text;         /* what is shown; never NULL ("" when unbound) */
    ekg_term_kind kind; /* EKG_TERM_NONE: plain text */
    char *value;        /* IRI or lexical form, or NULL */
} ekg_cell;

typedef struct {
    char *from, *from_label;
    char *to, *to_label;
    char *label; /* the verb or link, with the date when known */
} ekg_edge;

typedef enum {
    EKG_RESULT_TABLE,    /* sentence, describe, sparql */
    EKG_RESULT_TIMELINE, /* rows ordered by the `when` column */
    EKG_RESULT_GRAPH     /* path, neighbors */
} ekg_result_kind;

typedef struct ekg_result {
    ekg_result_kind kind;
    size_t ncols;
    char **cols;
    size_t nrows, cap;
    ekg_cell *cells; /* nrows * ncols */
    size_t nedges, ecap;
    ekg_edge *edges;
    ekg_triples *triples; /* NULL unless asked for */
    char *note;           /* shown when there are no rows ("no path …"); may be NULL */
    int date_col;         /* column holding dates, -1 if none */
    struct ekg_strpool *pool; /* the cells' strings */
} ekg_result;

ekg_result *ekg_result_new(ekg_result_kind kind, size_t ncols, const char *const *cols);
void ekg_result_free(ekg_result *r); /* NULL-safe */
/* Append a row of ncols cells; texts and values are copied into the pool
 * (a text or value equal to the one above it in its column is shared). */
ekg_status ekg_result_add_row(ekg_result *r, const ekg_cell *cells);
ekg_status ekg_result_add_edge(ekg_result *r, const ekg_edge *e);
static inline const ekg_cell *ekg_result_cell(const ekg_result *r, size_t row, size_t col)
{
    return &r->cells[row * r->ncols + col];
}

#endif
