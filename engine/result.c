/* result.c — the result table every query returns (result.h). */
#include "ekg/result.h"

#include <stdlib.h>
#include <string.h>

/* The cells' strings: bump-allocated in blocks, freed together. A result of
 * half a million rows made two million small mallocs (and as many frees). */
typedef struct ekg_strpool {
    struct ekg_strpool *next;
    size_t used, cap;
    char data[];
} ekg_strpool;

static char *pool_dup(ekg_result *r, const char *s)
{
    size_t n = strlen(s) + 1;
    ekg_strpool *b = r->pool;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        if (b && b->cap >= 65536 && cap < 2 * b->cap && b->cap < (1u << 22)) cap = 2 * b->cap;
        ekg_strpool *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        r->pool = b = nb;
    }
    char *d = b->data + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

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
    free(r->cells);
    for (ekg_strpool *b = r->pool, *nb; b; b = nb) {
        nb = b->next;
        free(b);
    }
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
    const ekg_cell *above = r->nrows ? row - r->ncols : NULL;
    for (size_t i = 0; i < r->ncols; i++) {
        const char *t = cells[i].text ? cells[i].text : "", *v = cells[i].value;
        row[i].kind = cells[i].kind;
        row[i].text = above && !strcmp(above[i].text, t) ? above[i].text : pool_dup(r, t);
        row[i].value = !v                                              ? NULL
                       : above && above[i].value && !strcmp(above[i].value, v) ? above[i].value
                                                                      : pool_dup(r, v);
        if (!row[i].text || (v && !row[i].value)) return EKG_ERR_NOMEM;
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
