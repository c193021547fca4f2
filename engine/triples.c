/* triples.c — an owning, de-duplicating, insertion-ordered triple set.
 *
 * Every string is interned once in an arena, so two equal terms share their
 * pointers and a triple's identity is the tuple of its pointers: the hash set
 * compares pointers, never strings. */
#include "ekg/triples.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

struct ekg_triples {
    chunk *arena;
    /* interned strings: open addressing, power-of-two capacity */
    const char **strs;
    size_t nstrs, capstrs;
    /* triples, in insertion order, and an index of slots into them */
    ekg_triple *v;
    size_t n, cap;
    size_t *slots; /* 0 = empty, else index+1 */
    size_t capslots;
};

ekg_triples *ekg_triples_new(void) { return calloc(1, sizeof(ekg_triples)); }

void ekg_triples_free(ekg_triples *ts)
{
    if (!ts) return;
    for (chunk *c = ts->arena, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(ts->strs);
    free(ts->v);
    free(ts->slots);
    free(ts);
}

static char *arena_alloc(ekg_triples *ts, size_t n)
{
    if (!ts->arena || ts->arena->cap - ts->arena->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        chunk *c = malloc(sizeof(chunk) + cap);
        if (!c) return NULL;
        c->next = ts->arena;
        c->used = 0;
        c->cap = cap;
        ts->arena = c;
    }
    char *p = ts->arena->data + ts->arena->used;
    ts->arena->used += n;
    return p;
}

static int grow_strs(ekg_triples *ts)
{
    size_t cap = ts->capstrs ? ts->capstrs * 2 : 1024;
    const char **s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < ts->capstrs; i++) {
        const char *x = ts->strs[i];
        if (!x) continue;
        size_t h = (size_t)XXH3_64bits(x, strlen(x)) & (cap - 1);
        while (s[h]) h = (h + 1) & (cap - 1);
        s[h] = x;
    }
    free(ts->strs);
    ts->strs = s;
    ts->capstrs = cap;
    return 0;
}

const char *ekg_triples_intern(ekg_triples *ts, const char *str)
{
    if (!str) return NULL;
    if ((ts->nstrs + 1) * 2 > ts->capstrs && grow_strs(ts) != 0) return NULL;
    size_t len = strlen(str);
    size_t h = (size_t)XXH3_64bits(str, len) & (ts->capstrs - 1);
    while (ts->strs[h]) {
        if (strcmp(ts->strs[h], str) == 0) return ts->strs[h];
        h = (h + 1) & (ts->capstrs - 1);
    }
    char *copy = arena_alloc(ts, len + 1);
    if (!copy) return NULL;
    memcpy(copy, str, len + 1);
    ts->strs[h] = copy;
    ts->nstrs++;
    return copy;
}

static int intern_term(ekg_triples *ts, const ekg_term *in, ekg_term *out)
{
    out->kind = in->kind;
    out->value = ekg_triples_intern(ts, in->value ? in->value : "");
    out->lang = in->lang && *in->lang ? ekg_triples_intern(ts, in->lang) : NULL;
    out->datatype = in->datatype ? ekg_triples_intern(ts, in->datatype) : NULL;
    if (!out->value || (in->lang && *in->lang && !out->lang) || (in->datatype && !out->datatype))
        return -1;
    return 0;
}

static size_t triple_hash(const ekg_triple *t)
{
    const void *k[10] = {(void *)(uintptr_t)t->s.kind, t->s.value, t->p.value,
                         (void *)(uintptr_t)t->o.kind, t->o.value, t->o.lang, t->o.datatype,
                         t->s.lang, t->s.datatype, t->p.lang};
    return (size_t)XXH3_64bits(k, sizeof k);
}

static int same(const ekg_triple *a, const ekg_triple *b)
{
    return a->s.kind == b->s.kind && a->s.value == b->s.value && a->p.value == b->p.value &&
           a->o.kind == b->o.kind && a->o.value == b->o.value && a->o.lang == b->o.lang &&
           a->o.datatype == b->o.datatype && a->s.lang == b->s.lang &&
           a->s.datatype == b->s.datatype && a->p.lang == b->p.lang;
}

static int grow_slots(ekg_triples *ts)
{
    size_t cap = ts->capslots ? ts->capslots * 2 : 1024;
    size_t *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < ts->n; i++) {
        size_t h = triple_hash(&ts->v[i]) & (cap - 1);
        while (s[h]) h = (h + 1) & (cap - 1);
        s[h] = i + 1;
    }
    free(ts->slots);
    ts->slots = s;
    ts->capslots = cap;
    return 0;
}

ekg_status ekg_triples_add(ekg_triples *ts, const ekg_term *s, const ekg_term *p,
                           const ekg_term *o)
{
    ekg_triple t;
    if (intern_term(ts, s, &t.s) || intern_term(ts, p, &t.p) || intern_term(ts, o, &t.o))
        return EKG_ERR_NOMEM;
    if ((ts->n + 1) * 2 > ts->capslots && grow_slots(ts) != 0) return EKG_ERR_NOMEM;
    size_t h = triple_hash(&t) & (ts->capslots - 1);
    while (ts->slots[h]) {
        if (same(&ts->v[ts->slots[h] - 1], &t)) return EKG_OK;
        h = (h + 1) & (ts->capslots - 1);
    }
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 256;
        ekg_triple *v = realloc(ts->v, cap * sizeof *v);
        if (!v) return EKG_ERR_NOMEM;
        ts->v = v;
        ts->cap = cap;
    }
    ts->v[ts->n] = t;
    ts->slots[h] = ++ts->n;
    return EKG_OK;
}

ekg_status ekg_triples_add_triple(ekg_triples *ts, const ekg_triple *t)
{
    return ekg_triples_add(ts, &t->s, &t->p, &t->o);
}

size_t ekg_triples_count(const ekg_triples *ts) { return ts ? ts->n : 0; }
const ekg_triple *ekg_triples_at(const ekg_triples *ts, size_t i) { return &ts->v[i]; }
const ekg_triple *ekg_triples_data(const ekg_triples *ts) { return ts->v; }

static void write_escaped(const char *s, int iri, FILE *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (iri) {
            /* IRIREF forbids these; \u-escape them. */
            if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
                c == '|' || c == '^' || c == '`' || c == '\\')
                fprintf(out, "\\u%04X", c);
            else
                fputc(c, out);
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(out, "\\u%04X", c);
            else
                fputc(c, out);
        }
    }
}

void ekg_term_write_nt(const ekg_term *t, FILE *out)
{
    switch (t->kind) {
    case EKG_TERM_IRI:
        fputc('<', out);
        write_escaped(t->value, 1, out);
        fputc('>', out);
        break;
    case EKG_TERM_BLANK: fprintf(out, "_:%s", t->value); break;
    case EKG_TERM_LITERAL:
        fputc('"', out);
        write_escaped(t->value, 0, out);
        fputc('"', out);
        if (t->lang)
            fprintf(out, "@%s", t->lang);
        else if (t->datatype && strcmp(t->datatype, EKG_XSD "string") != 0) {
            fputs("^^<", out);
            write_escaped(t->datatype, 1, out);
            fputc('>', out);
        }
        break;
    case EKG_TERM_NONE: fputs("[]", out); break;
    }
}

ekg_status ekg_triples_write_nquads(const ekg_triples *ts, const char *graph, FILE *out)
{
    ekg_term g = ekg_iri(graph);
    for (size_t i = 0; i < ts->n; i++) {
        const ekg_triple *t = &ts->v[i];
        ekg_term_write_nt(&t->s, out);
        fputc(' ', out);
        ekg_term_write_nt(&t->p, out);
        fputc(' ', out);
        ekg_term_write_nt(&t->o, out);
        if (graph) {
            fputc(' ', out);
            ekg_term_write_nt(&g, out);
        }
        fputs(" .\n", out);
    }
    return ferror(out) ? EKG_ERR_IO : EKG_OK;
}
