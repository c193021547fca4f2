/* recognise.c — walk the kb automaton over a text's tokens.
 *
 * What a token may stand for (its token ids, exact, prefix patterns, stem)
 * depends only on its folded form, whether it is stemmed and in which
 * language: a text repeats its words, and so does every text after it. So
 * the ids are kept per thread in a table by (form, stem language), across
 * documents, for as long as the same kb is used (ekg_kb_serial); each entry
 * also says whether the word can start a path of the automaton or a gapped
 * form, so that most token positions are passed over without a walk. */
#include "ekg/recognise.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXALT 6

enum { F_ROOT = 1, F_GAP = 2 };

typedef struct {
    uint64_t h;
    uint64_t w0;   /* the form's first 8 bytes (form_hash) */
    uint64_t skey; /* stem language (packed bytes | 1 << 63), or 0: not stemmed */
    uint32_t koff, klen; /* the folded form, in the key pool */
    uint8_t n, flags;    /* ids; F_* */
    uint32_t ids[MAXALT - 1];
} id_entry;

#define NSTEMMERS 16

typedef struct {
    uint64_t serial; /* of the kb the entries were made from */
    id_entry *ents;
    size_t nents, capents;
    uint32_t *slots; /* entry index + 1, open addressing */
    size_t cap;
    char *keys;
    size_t nkeys, capkeys;
    uint32_t byte1[256]; /* entry + 1 of each one-byte form not stemmed, or 0 */
    struct {
        const char *alg;
        struct sb_stemmer *sb;
    } stemmers[NSTEMMERS];
} id_cache;

/* Bounds past which a thread's table starts afresh (at a document's start). */
#define CACHE_MAX_ENTS ((size_t)1 << 18)
#define CACHE_MAX_KEYS ((size_t)1 << 23)

static _Thread_local id_cache tl_ids;
static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void free_cache(void *p)
{
    id_cache *c = p;
    free(c->ents);
    free(c->slots);
    free(c->keys);
    for (size_t i = 0; i < NSTEMMERS; i++)
        if (c->stemmers[i].sb) sb_stemmer_delete(c->stemmers[i].sb);
    memset(c, 0, sizeof *c);
}

static void make_key(void) { pthread_key_create(&tl_key, free_cache); }

static void reset_cache(id_cache *c, uint64_t serial)
{
    c->serial = serial;
    c->nents = 0;
    c->nkeys = 0;
    memset(c->byte1, 0, sizeof c->byte1);
    if (c->slots) memset(c->slots, 0, c->cap * sizeof *c->slots);
}

/* The thread's stemmer for Snowball algorithm alg (made once), or NULL. */
static struct sb_stemmer *stemmer(id_cache *c, const char *alg)
{
    size_t i = 0;
    for (; i < NSTEMMERS && c->stemmers[i].alg; i++)
        if (c->stemmers[i].alg == alg) return c->stemmers[i].sb;
    if (i == NSTEMMERS) return NULL;
    c->stemmers[i].sb = sb_stemmer_new(alg, NULL);
    if (!c->stemmers[i].sb) return NULL;
    c->stemmers[i].alg = alg;
    return c->stemmers[i].sb;
}

/* The first n (< 8) bytes of s as a number, by one load when the 8 bytes
 * from s lie before lim (the rest masked off), else byte by byte. */
static inline uint64_t load_short(const char *s, size_t n, const char *lim)
{
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n && lim - s >= 8) {
        memcpy(&w, s, 8);
        return w & (~(uint64_t)0 >> (64 - 8 * n));
    }
#else
    (void)lim;
#endif
    for (size_t i = 0; i < n; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return w;
}

/* A hash of a folded form and its stem key, inline, 8 bytes a step; *w0
 * gets the form's first (up to) 8 bytes, which most words are whole in. */
static inline uint64_t form_hash(const char *s, size_t n, uint64_t seed, const char *lim, uint64_t *w0)
{
    uint64_t h = seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ULL), w;
    if (n <= 8) {
        w = n == 8 ? (memcpy(&w, s, 8), w) : load_short(s, n, lim);
        *w0 = w;
    } else {
        memcpy(w0, s, 8);
        for (; n >= 8; s += 8, n -= 8) {
            memcpy(&w, s, 8);
            h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
            h ^= h >> 29;
        }
        w = load_short(s, n, lim);
    }
    h = (h ^ w) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

static int grow_slots(id_cache *c)
{
    size_t nc = c->cap ? c->cap * 2 : 4096;
    uint32_t *s = calloc(nc, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < c->nents; i++) {
        size_t h = (size_t)c->ents[i].h & (nc - 1);
        while (s[h]) h = (h + 1) & (nc - 1);
        s[h] = (uint32_t)i + 1;
    }
    free(c->slots);
    c->slots = s;
    c->cap = nc;
    return 0;
}

/* The entry of folded form f (fl bytes), stemmed in c->lang when skey != 0:
 * found, or made (the kb's ids, then the stem's when there are none).
 * Returns its index, or UINT32_MAX when out of memory. */
static uint32_t form_entry(id_cache *c, const ekg_kb *kb, const char *f, size_t fl, uint64_t skey,
                           struct sb_stemmer *sb, const char *lang, const char *lim)
{
    uint64_t w0;
    uint64_t h = form_hash(f, fl, skey, lim, &w0);
    size_t i = (size_t)h & (c->cap - 1);
    for (uint32_t e; (e = c->slots[i]); i = (i + 1) & (c->cap - 1)) {
        const id_entry *x = &c->ents[e - 1];
        if (x->h == h && x->w0 == w0 && x->skey == skey && x->klen == fl &&
            (fl <= 8 || memcmp(c->keys + x->koff + 8, f + 8, fl - 8) == 0))
            return e - 1;
    }
    if (c->nents == c->capents) {
        size_t nc = c->capents ? c->capents * 2 : 1024;
        id_entry *p = realloc(c->ents, nc * sizeof *p);
        if (!p) return UINT32_MAX;
        c->ents = p;
        c->capents = nc;
    }
    if (c->nkeys + fl > c->capkeys) {
        size_t nc = c->capkeys ? c->capkeys * 2 : 16384;
        while (nc < c->nkeys + fl) nc *= 2;
        char *p = realloc(c->keys, nc);
        if (!p) return UINT32_MAX;
        c->keys = p;
        c->capkeys = nc;
    }
    id_entry *x = &c->ents[c->nents];
    memset(x, 0, sizeof *x);
    x->h = h;
    x->w0 = w0;
    x->skey = skey;
    x->koff = (uint32_t)c->nkeys;
    x->klen = (uint32_t)fl;
    memcpy(c->keys + c->nkeys, f, fl);
    c->nkeys += fl;
    size_t k = ekg_kb_token_ids(kb, f, fl, x->ids, MAXALT - 1);
    /* Stems only for capitalised words the exact forms missed: names
     * inflect ("Russlands", "России"); common words need no stem. */
    if (skey && k == 0 && sb) {
        const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)f, (int)fl);
        char key[300];
        size_t ll = strlen(lang), sl = (size_t)sb_stemmer_length(sb);
        if (st && ll + 1 + sl < sizeof key) {
            memcpy(key, lang, ll);
            key[ll] = 1;
            memcpy(key + ll + 1, st, sl);
            uint32_t id = ekg_kb_stem_id(kb, key, ll + 1 + sl);
            if (id != EKG_KB_NO_ID) x->ids[k++] = id;
        }
    }
    x->n = (uint8_t)k;
    for (size_t q = 0; q < k; q++) {
        if (ekg_kb_step(kb, 0, x->ids[q])) x->flags |= F_ROOT;
        if (ekg_kb_starts_gap(kb, x->ids[q])) x->flags |= F_GAP;
    }
    c->slots[i] = (uint32_t)++c->nents;
    if (c->nents * 2 > c->cap && grow_slots(c)) {
        c->nents--; /* unlisted again: the table stays whole */
        c->slots[i] = 0;
        return UINT32_MAX;
    }
    return (uint32_t)(c->nents - 1);
}

typedef struct {
    const ekg_kb *kb;
    const ekg_text *t;
    const id_entry *ents; /* the thread's entries */
    const uint32_t *eidx; /* per token: its entry */
    char lang[6];
    int shouting;
    uint32_t end;      /* sentence end token (exclusive) */
    uint32_t best_end; /* exclusive */
    uint32_t best_node;
    uint32_t also[3];  /* other nodes reaching best_end: an exact form and a prefix
                        * pattern ("поддерживаем", "поддерж*") of different entries */
    uint32_t nalso;
    uint32_t lex_end; /* the longest event word on the way, for names that contain one */
    uint32_t lex_node;
} walk_ctx;

static int out_ok(const walk_ctx *c, const ekg_kb_out *o, uint32_t tok0, uint32_t end)
{
    if (o->how == EKG_OUT_LEX) {
        /* both NUL-padded to 6 bytes: equal strings are equal arrays */
        if (c->lang[0] && o->lang[0] && memcmp(c->lang, o->lang, sizeof c->lang) != 0) return 0;
        return 1;
    }
    if (o->upper) {
        if (c->shouting) return 0;
        for (uint32_t i = tok0; i < end; i++)
            if ((c->t->toks[i].flags & EKG_TOK_WORD) && !(c->t->toks[i].flags & EKG_TOK_UPPER))
                return 0;
    }
    return 1;
}

static int outs_ok(const walk_ctx *c, const ekg_kb_out *o, size_t n, uint32_t tok0, uint32_t end)
{
    for (size_t i = 0; i < n; i++)
        if (out_ok(c, &o[i], tok0, end)) return 1;
    return 0;
}

static void walk(walk_ctx *c, uint32_t node, uint32_t tok0, uint32_t pos)
{
    if (pos >= c->end) return;
    const id_entry *e = &c->ents[c->eidx[pos]];
    if (node == 0 && !(e->flags & F_ROOT)) return; /* no path starts with this word */
    for (uint8_t k = 0; k < e->n; k++) {
        uint32_t ch = ekg_kb_step(c->kb, node, e->ids[k]);
        if (!ch) continue;
        size_t no;
        const ekg_kb_out *o = ekg_kb_outputs(c->kb, ch, &no); /* none on most inner nodes */
        if (!no) {
            walk(c, ch, tok0, pos + 1);
            continue;
        }
        if (pos + 1 > c->best_end && outs_ok(c, o, no, tok0, pos + 1)) {
            c->best_end = pos + 1;
            c->best_node = ch;
            c->nalso = 0;
        } else if (pos + 1 == c->best_end && ch != c->best_node && c->nalso < 3 && outs_ok(c, o, no, tok0, pos + 1)) {
            int have = 0;
            for (uint32_t q = 0; q < c->nalso; q++)
                if (c->also[q] == ch) have = 1;
            if (!have) c->also[c->nalso++] = ch;
        }
        if (pos + 1 > c->lex_end) {
            for (size_t q = 0; q < no; q++)
                if (o[q].how == EKG_OUT_LEX && o[q].lex->cue == EKG_CUE_EVENT && out_ok(c, &o[q], tok0, pos + 1)) {
                    c->lex_end = pos + 1;
                    c->lex_node = ch;
                    break;
                }
        }
        walk(c, ch, tok0, pos + 1);
    }
}

static int push(ekg_mention **v, size_t *n, size_t *cap, const ekg_mention *m)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        ekg_mention *p = realloc(*v, nc * sizeof *p);
        if (!p) return -1;
        *v = p;
        *cap = nc;
    }
    (*v)[(*n)++] = *m;
    return 0;
}

ekg_status ekg_recognise(const ekg_kb *kb, const ekg_text *t, const char *lang,
                         ekg_mention **out, size_t *nout)
{
    ekg_status st = EKG_OK;
    uint32_t *eidx = NULL;
    ekg_mention *v = NULL;
    size_t n = 0, cap = 0;
    struct sb_stemmer *sb = NULL;
    id_cache *tc = &tl_ids;
    *out = NULL;
    *nout = 0;
    walk_ctx c = {.kb = kb, .t = t};
    if (lang) {
        size_t l = strcspn(lang, "-");
        for (size_t i = 0; i < l && i < 5; i++) c.lang[i] = (char)(lang[i] | 0x20);
    }
    pthread_once(&tl_once, make_key);
    if (!pthread_getspecific(tl_key)) pthread_setspecific(tl_key, tc);
    if (tc->serial != ekg_kb_serial(kb) || tc->nents > CACHE_MAX_ENTS || tc->nkeys > CACHE_MAX_KEYS)
        reset_cache(tc, ekg_kb_serial(kb));
    if (!tc->cap && grow_slots(tc)) goto nomem;
    const char *alg = ekg_kb_stemmer_for(c.lang);
    if (alg) sb = stemmer(tc, alg);
    uint64_t skey = 0; /* the stem language, for the table's key */
    if (sb) {
        memcpy(&skey, c.lang, sizeof c.lang);
        skey |= (uint64_t)1 << 63;
    }
    eidx = malloc((t->ntoks + 1) * sizeof *eidx);
    if (!eidx) goto nomem;
    for (size_t i = 0; i < t->ntoks; i++) {
        const ekg_token *tk = &t->toks[i];
        int stem = sb && (tk->flags & EKG_TOK_WORD) && (tk->flags & EKG_TOK_CAP) && tk->flen < 200;
        const char *f = ekg_text_fold_at(t, i);
        uint32_t *b1 = tk->flen == 1 && !stem ? &tc->byte1[(unsigned char)f[0]] : NULL;
        if (b1 && *b1) { /* punctuation, mostly: no hash needed */
            eidx[i] = *b1 - 1;
            continue;
        }
        uint32_t e = form_entry(tc, kb, f, tk->flen, stem ? skey : 0, sb, c.lang, t->pool + t->pool_cap);
        if (e == UINT32_MAX) goto nomem;
        eidx[i] = e;
        if (b1) *b1 = e + 1;
    }
    c.ents = tc->ents;
    c.eidx = eidx;
    for (size_t s = 0; s < t->nsents; s++) {
        const ekg_sentence *se = &t->sents[s];
        uint32_t words = 0, upper = 0;
        for (uint32_t i = se->tok0; i < se->tok0 + se->ntok; i++)
            if ((t->toks[i].flags & EKG_TOK_WORD) && t->toks[i].end - t->toks[i].start > 1) {
                words++;
                if (t->toks[i].flags & EKG_TOK_UPPER) upper++;
            }
        c.shouting = words >= 4 && upper * 2 > words;
        c.end = se->tok0 + se->ntok;
        size_t sent_first = n;
        for (uint32_t i = se->tok0; i < c.end;) {
            if (!(c.ents[eidx[i]].flags & F_ROOT)) { /* the walk would find nothing */
                i++;
                continue;
            }
            c.best_end = 0;
            c.best_node = 0;
            c.nalso = 0;
            c.lex_end = 0;
            c.lex_node = 0;
            walk(&c, 0, i, i);
            /* An event word inside a longer name ("conclusions du Sommet de
             * Paris") still says the event happened. */
            uint32_t outer_end = c.best_end, outer_node = c.best_node, outer_nalso = c.nalso;
            uint32_t outer_also[3];
            memcpy(outer_also, c.also, sizeof outer_also);
            for (uint32_t j = i; outer_end && j < outer_end; j++) {
                if (j > i) {
                    c.best_end = c.lex_end = 0;
                    c.best_node = c.lex_node = 0;
                    uint32_t save = c.end;
                    c.end = outer_end;
                    walk(&c, 0, j, j);
                    c.end = save;
                }
                if (!c.lex_end || (j == i && c.lex_end >= outer_end)) continue;
                size_t no;
                const ekg_kb_out *o = ekg_kb_outputs(kb, c.lex_node, &no);
                for (size_t k = 0; k < no; k++) {
                    if (o[k].how != EKG_OUT_LEX || o[k].lex->cue != EKG_CUE_EVENT || !out_ok(&c, &o[k], j, c.lex_end))
                        continue;
                    ekg_mention m = {.sent = (uint32_t)s, .tok0 = j, .ntok = c.lex_end - j,
                                     .last = c.lex_end - 1, .lex = o[k].lex, .how = EKG_OUT_LEX};
                    if (push(&v, &n, &cap, &m)) goto nomem;
                }
            }
            c.best_end = outer_end;
            c.best_node = outer_node;
            c.nalso = outer_nalso;
            memcpy(c.also, outer_also, sizeof outer_also);
            if (!c.best_end) {
                i++;
                continue;
            }
            for (uint32_t nd = 0; nd <= c.nalso; nd++) {
                size_t no;
                const ekg_kb_out *o = ekg_kb_outputs(kb, nd ? c.also[nd - 1] : c.best_node, &no);
                for (size_t k = 0; k < no; k++) {
                    if (!out_ok(&c, &o[k], i, c.best_end)) continue;
                    int dup = 0; /* the same entity by several labels of one form */
                    for (size_t q = n; q-- > sent_first && v[q].tok0 == i;)
                        if (v[q].ent == o[k].ent && v[q].lex == o[k].lex) dup = 1;
                    if (dup) continue;
                    ekg_mention m = {.sent = (uint32_t)s, .tok0 = i, .ntok = c.best_end - i,
                                     .last = c.best_end - 1, .ent = o[k].ent, .lex = o[k].lex,
                                     .how = o[k].how};
                    if (push(&v, &n, &cap, &m)) goto nomem;
                }
            }
            i = c.best_end;
        }
        /* Gapped multi-word forms (separable verbs). */
        for (uint32_t i = se->tok0; i < c.end; i++) {
            const id_entry *ei = &c.ents[eidx[i]];
            if (!(ei->flags & F_GAP)) continue;
            for (uint8_t a = 0; a < ei->n; a++) {
                size_t ng;
                if (!ekg_kb_starts_gap(kb, ei->ids[a])) continue;
                const ekg_kb_gapform *g = ekg_kb_gapforms(kb, ei->ids[a], &ng);
                for (size_t q = 0; q < ng; q++) {
                    if (c.lang[0] && g[q].lang[0] && strcmp(c.lang, g[q].lang) != 0) continue;
                    uint32_t want = 1, j = i + 1, last = i;
                    for (; j < c.end && want < g[q].n; j++) {
                        const id_entry *ej = &c.ents[eidx[j]];
                        for (uint8_t b = 0; b < ej->n; b++)
                            if (ej->ids[b] == g[q].ids[want]) {
                                want++;
                                last = j;
                                break;
                            }
                    }
                    if (want < g[q].n || last == i + g[q].n - 1) continue; /* absent, or contiguous */
                    int dup = 0;
                    for (size_t k = sent_first; k < n; k++)
                        if (v[k].lex == g[q].lex && v[k].tok0 == i) dup = 1;
                    if (dup) continue;
                    ekg_mention m = {.sent = (uint32_t)s, .tok0 = i, .ntok = 1, .last = last,
                                     .lex = g[q].lex, .how = EKG_OUT_LEX};
                    if (push(&v, &n, &cap, &m)) goto nomem;
                }
            }
        }
        /* gapped forms were appended: keep the sentence's mentions in text order */
        for (size_t a = sent_first + 1; a < n; a++)
            for (size_t b = a; b > sent_first && v[b].tok0 < v[b - 1].tok0; b--) {
                ekg_mention x = v[b];
                v[b] = v[b - 1];
                v[b - 1] = x;
            }
    }
    *out = v;
    *nout = n;
    v = NULL;
    goto cleanup;
nomem:
    st = EKG_ERR_NOMEM;
cleanup:
    free(v);
    free(eidx);
    return st;
}
