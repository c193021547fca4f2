/* query_map.c — the small containers of the query modules: a string-keyed
 * open-addressing hash map (FNV-1a, linear probing, keys copied) and a
 * vector of owned strings. */
#include "query_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ekg_qmap {
    char **keys;
    void **vals;
    size_t cap, n;
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

ekg_qmap *ekg_qmap_new(void)
{
    ekg_qmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cap = 16;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    if (!m->keys || !m->vals) {
        free(m->keys);
        free(m->vals);
        free(m);
        return NULL;
    }
    return m;
}

void ekg_qmap_free(ekg_qmap *m, void (*free_val)(void *))
{
    if (!m) return;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        free(m->keys[i]);
        if (free_val && m->vals[i]) free_val(m->vals[i]);
    }
    free(m->keys);
    free(m->vals);
    free(m);
}

static size_t find(const ekg_qmap *m, const char *key)
{
    size_t i = (size_t)fnv(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(ekg_qmap *m)
{
    size_t cap = m->cap * 2;
    char **k = calloc(cap, sizeof *k);
    void **v = calloc(cap, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = (size_t)fnv(m->keys[i]) & (cap - 1);
        while (k[j]) j = (j + 1) & (cap - 1);
        k[j] = m->keys[i];
        v[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = k;
    m->vals = v;
    m->cap = cap;
    return 0;
}

void **ekg_qmap_put(ekg_qmap *m, const char *key, bool *created)
{
    if (created) *created = false;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m)) return NULL;
    size_t i = find(m, key);
    if (!m->keys[i]) {
        m->keys[i] = strdup(key);
        if (!m->keys[i]) return NULL;
        m->vals[i] = NULL;
        m->n++;
        if (created) *created = true;
    }
    return &m->vals[i];
}

void **ekg_qmap_get(const ekg_qmap *m, const char *key)
{
    if (!m) return NULL;
    size_t i = find(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

size_t ekg_qmap_count(const ekg_qmap *m) { return m ? m->n : 0; }
size_t ekg_qmap_capacity(const ekg_qmap *m) { return m ? m->cap : 0; }

const char *ekg_qmap_key_at(const ekg_qmap *m, size_t i, void **val)
{
    if (val) *val = m->keys[i] ? m->vals[i] : NULL;
    return m->keys[i];
}

ekg_status ekg_u32v_push(ekg_u32v *a, uint32_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        uint32_t *v = realloc(a->v, cap * sizeof *v);
        if (!v) return EKG_ERR_NOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return EKG_OK;
}
