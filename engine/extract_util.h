/* extract_util.h — private helpers of the extraction modules (not installed):
 * a growable byte buffer, an arena for strings, and an open-addressing map
 * from byte strings to 32-bit values. Owner: whoever embeds the struct. */
#ifndef EKG_EXTRACT_UTIL_H
#define EKG_EXTRACT_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct {
    char *p;
    size_t n, cap;
} xbuf;

static inline int xbuf_reserve(xbuf *b, size_t extra)
{
    if (b->n + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return -1;
    b->p = p;
    b->cap = cap;
    b->p[b->n] = 0; /* a reserved, still empty buffer is "" (read.c hands it out as text) */
    return 0;
}

static inline int xbuf_add(xbuf *b, const char *s, size_t n)
{
    if (xbuf_reserve(b, n)) return -1;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

static inline int xbuf_adds(xbuf *b, const char *s) { return xbuf_add(b, s, strlen(s)); }
static inline int xbuf_addc(xbuf *b, char c) { return xbuf_add(b, &c, 1); }

/* Arena of NUL-terminated strings; freed at once. */
typedef struct xchunk {
    struct xchunk *next;
    size_t used, cap;
    char data[];
} xchunk;

typedef struct {
    xchunk *head;
} xarena;

static inline char *xarena_alloc(xarena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->head->used + n > a->head->cap) {
        size_t cap = n > 65536 ? n : 65536;
        xchunk *c = malloc(sizeof(xchunk) + cap);
        if (!c) return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    char *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static inline char *xarena_strndup(xarena *a, const char *s, size_t n)
{
    char *p = xarena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static inline char *xarena_strdup(xarena *a, const char *s)
{
    return s ? xarena_strndup(a, s, strlen(s)) : NULL;
}

static inline void xarena_free(xarena *a)
{
    for (xchunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    a->head = NULL;
}

/* Map from byte strings (keys copied into the map's arena) to uint32. */
typedef struct {
    const char **keys;
    uint32_t *lens;
    uint32_t *vals;
    size_t n, cap;
    xarena arena;
} xmap;

static inline size_t xmap_slot(const xmap *m, const char *k, size_t len)
{
    size_t h = (size_t)XXH3_64bits(k, len) & (m->cap - 1);
    while (m->keys[h] && (m->lens[h] != len || memcmp(m->keys[h], k, len) != 0))
        h = (h + 1) & (m->cap - 1);
    return h;
}

/* Returns 1 and sets *v when found. */
static inline int xmap_get(const xmap *m, const char *k, size_t len, uint32_t *v)
{
    if (!m->cap) return 0;
    size_t h = xmap_slot(m, k, len);
    if (!m->keys[h]) return 0;
    *v = m->vals[h];
    return 1;
}

static inline int xmap_grow(xmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    const char **keys = calloc(ncap, sizeof *keys);
    uint32_t *lens = calloc(ncap, sizeof *lens);
    uint32_t *vals = calloc(ncap, sizeof *vals);
    if (!keys || !lens || !vals) {
        free(keys), free(lens), free(vals);
        return -1;
    }
    xmap old = *m;
    m->keys = keys, m->lens = lens, m->vals = vals, m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t h = xmap_slot(m, old.keys[i], old.lens[i]);
            m->keys[h] = old.keys[i], m->lens[h] = old.lens[i], m->vals[h] = old.vals[i];
        }
    free(old.keys), free(old.lens), free(old.vals);
    return 0;
}

/* Insert or overwrite. Returns -1 when out of memory. */
static inline int xmap_put(xmap *m, const char *k, size_t len, uint32_t v)
{
    if ((m->n + 1) * 2 > m->cap && xmap_grow(m)) return -1;
    size_t h = xmap_slot(m, k, len);
    if (!m->keys[h]) {
        char *c = xarena_strndup(&m->arena, k, len);
        if (!c) return -1;
        m->keys[h] = c;
        m->lens[h] = (uint32_t)len;
        m->n++;
    }
    m->vals[h] = v;
    return 0;
}

static inline void xmap_free(xmap *m)
{
    free(m->keys), free(m->lens), free(m->vals);
    xarena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

#endif
