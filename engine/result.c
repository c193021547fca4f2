/* result.c — the result table every query returns (result.h). */
#include "ekg/result.h"

#include <stdlib.h>
#include <string.h>

ekg_result *ekg_result_new(ekg_result_kind kind, size_t ncols, const char *const *cols)
{
    ekg_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->kind = kind;
    r->date_col = -1;
    r->cols = calloc(ncols ? ncols : 1, sizeof *r->cols);
    if (!r->cols) goto fail;
    r->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        if (!(r->cols[i] = strdup(cols[i]))) goto fail;
    return r;
fail:
    ekg_result_free(r);
    return NULL;
}

void ekg_result_free(ekg_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->ncols; i++) free(r->cols[i]);
    free(r->cols);
    for (size_t i = 0; i < r->nrows * r->ncols; i++) {
        free(r->cells[i].text);
        free(r->cells[i].value);
    }
    free(r->cells);
    for (size_t i = 0; i < r->nedges; i++) {
        free(r->edges[i].from);
        free(r->edges[i].from_label);
        free(r->edges[i].to);
        free(r->edges[i].to_label);
        free(r->edges[i].label);
    }
    free(r->edges);
    ekg_triples_free(r->triples);
    free(r->note);
    free(r);
}

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

ekg_status ekg_result_add_row(ekg_result *r, const ekg_cell *cells)
{
    if (r->nrows == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        ekg_cell *c = realloc(r->cells, cap * (r->ncols ? r->ncols : 1) * sizeof *c);
        if (!c) return EKG_ERR_NOMEM;
        r->cells = c;
        r->cap = cap;
    }
    ekg_cell *row = &r->cells[r->nrows * r->ncols];
    for (size_t i = 0; i < r->ncols; i++) {
        row[i].kind = cells[i].kind;
        row[i].text = dup_or_empty(cells[i].text);
        row[i].value = cells[i].value ? strdup(cells[i].value) : NULL;
        if (!row[i].text || (cells[i].value && !row[i].value)) {
            for (size_t k = 0; k <= i; k++) {
                free(row[k].text);
                free(row[k].value);
            }
            return EKG_ERR_NOMEM;
        }
    }
    r->nrows++;
    return EKG_OK;
}

ekg_status ekg_result_add_edge(ekg_result *r, const ekg_edge *e)
{
    for (size_t i = 0; i < r->nedges; i++)
        if (!strcmp(r->edges[i].from, e->from) && !strcmp(r->edges[i].to, e->to) &&
            !strcmp(r->edges[i].label, e->label))
            return EKG_OK;
    if (r->nedges == r->ecap) {
        size_t cap = r->ecap ? r->ecap * 2 : 16;
        ekg_edge *v = realloc(r->edges, cap * sizeof *v);
        if (!v) return EKG_ERR_NOMEM;
        r->edges = v;
        r->ecap = cap;
    }
    ekg_edge *d = &r->edges[r->nedges];
    d->from = dup_or_empty(e->from);
    d->from_label = dup_or_empty(e->from_label);
    d->to = dup_or_empty(e->to);
    d->to_label = dup_or_empty(e->to_label);
    d->label = dup_or_empty(e->label);
    if (!d->from || !d->from_label || !d->to || !d->to_label || !d->label) {
        free(d->from);
        free(d->from_label);
        free(d->to);
        free(d->to_label);
        free(d->label);
        return EKG_ERR_NOMEM;
    }
    r->nedges++;
    return EKG_OK;
}
