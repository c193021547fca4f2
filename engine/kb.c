/* kb.c — load ontology/ (every .ttl) (raptor2) into entity and lexicon tables and one
 * automaton over folded label tokens.
 *
 * Loading runs in two passes: every triple of every file is first kept in an
 * arena (the files refer to each other: adjective endings are in the lexicon,
 * classes in ekg.ttl), then subjects are read one by one. The automaton is a
 * trie whose edges are (node, token id) pairs in one hash table; a token id
 * names a folded word, a prefix pattern ("support*"), or a stem key. */
#include "ekg/kb.h"

#include "ekg/term.h"
#include "ekg/text.h"
#include "extract_util.h"

#include <dirent.h>
#include <libstemmer.h>
#include <limits.h>
#include <raptor2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/uversion.h>
#include <unistd.h>

typedef struct {
    const char *s, *p, *o; /* s, p, o: IRIs, "_:id" blanks, or literal text */
    const char *lang, *dt;
    int o_lit;
    int32_t next;  /* next triple of the same subject */
    int32_t pnext; /* next triple of the same subject and predicate */
    uint64_t pmask; /* at a subject's first triple: bit pred_bit() of each of its predicates */
} ktriple;

typedef struct {
    uint32_t head; /* first output index + 1, chained */
} knode;

typedef struct {
    ekg_kb_out out;
    uint32_t next;
} kout;

typedef struct {
    uint64_t key; /* (node << 32 | id) + 1, 0 = empty */
    uint32_t val; /* the child node */
    uint32_t unused;
} kedge;

struct ekg_kb {
    void *image; /* loaded from the cache: every table lives in this block */
    uint64_t serial; /* ekg_kb_serial */
    xarena arena;
    /* loading */
    ktriple *tr;
    size_t ntr, captr;
    xmap subj; /* subject → first triple + 1 */
    xmap preds; /* predicate → a triple of it, whose p every triple of it shares */
    /* tables */
    ekg_kb_entity *ents;
    size_t nents;
    ekg_kb_lex *lex;
    size_t nlex;
    xmap ent_by_iri; /* → index */
    /* automaton */
    xmap tokid;      /* folded word → id */
    xmap prefix;     /* prefix pattern → id */
    uint8_t prefix_first[65536 / 8]; /* first two bytes of prefixes */
    uint8_t prefix_lens[64];         /* distinct lengths in use */
    uint8_t prefix_max[65536];       /* longest prefix (< 64) by its first two bytes */
    uint32_t nids;
    kedge *edges; /* open addressing; key and child side by side: one cache line a probe */
    uint32_t *root_child; /* after loading: the root's child by token id (0 = none), a
                           * dense array for the step every token position starts with */
    size_t nedges, capedges;
    knode *nodes;
    size_t nnodes, capnodes;
    kout *outs; /* while loading */
    size_t nouts, capouts;
    ekg_kb_out *outv; /* after: each node's outputs contiguous */
    uint32_t *outn;
    ekg_kb_gapform *gaps;
    size_t ngaps, capgaps;
    uint8_t *gapbits; /* per id: starts a gapped form */
    /* while loading: the stem key id of each (algorithm, language, word) */
    xmap stemmed;
    /* while loading: one stemmer per Snowball algorithm (by name pointer) */
    struct {
        const char *alg;
        struct sb_stemmer *sb;
    } stemmers[16];
    /* adjective endings per language: "de" → list */
    struct {
        char lang[6];
        const char *ending;
    } *endings;
    size_t nendings, capendings;
};

#define NS(x) EKG_NS x

static _Atomic uint64_t kb_serials;

static ekg_kb *kb_new(void)
{
    ekg_kb *kb = calloc(1, sizeof *kb);
    if (kb) kb->serial = ++kb_serials;
    return kb;
}

uint64_t ekg_kb_serial(const ekg_kb *kb) { return kb->serial; }

/* ---------- raptor ---------- */

typedef struct {
    ekg_kb *kb;
    int oom;
} load_ctx;

static const char *term_str(ekg_kb *kb, raptor_term *t, const char **lang, const char **dt,
                            int *lit)
{
    *lang = *dt = NULL;
    *lit = 0;
    switch (t->type) {
    case RAPTOR_TERM_TYPE_URI:
        return xarena_strdup(&kb->arena, (const char *)raptor_uri_as_string(t->value.uri));
    case RAPTOR_TERM_TYPE_BLANK: {
        char buf[512];
        snprintf(buf, sizeof buf, "_:%s", (const char *)t->value.blank.string);
        return xarena_strdup(&kb->arena, buf);
    }
    case RAPTOR_TERM_TYPE_LITERAL:
        *lit = 1;
        if (t->value.literal.language)
            *lang = xarena_strdup(&kb->arena, (const char *)t->value.literal.language);
        if (t->value.literal.datatype)
            *dt = xarena_strdup(&kb->arena,
                                (const char *)raptor_uri_as_string(t->value.literal.datatype));
        return xarena_strdup(&kb->arena, (const char *)t->value.literal.string);
    default: return NULL;
    }
}

static void on_statement(void *user, raptor_statement *st)
{
    load_ctx *c = user;
    ekg_kb *kb = c->kb;
    if (c->oom) return;
    if (kb->ntr == kb->captr) {
        size_t nc = kb->captr ? kb->captr * 2 : 4096;
        ktriple *p = realloc(kb->tr, nc * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        kb->tr = p;
        kb->captr = nc;
    }
    ktriple *t = &kb->tr[kb->ntr];
    const char *l, *d;
    int lit;
    t->s = term_str(kb, st->subject, &l, &d, &lit);
    /* one string per predicate, so that ekg_kb_objects compares pointers */
    uint32_t pv;
    const char *praw = st->predicate->type == RAPTOR_TERM_TYPE_URI
                           ? (const char *)raptor_uri_as_string(st->predicate->value.uri)
                           : NULL;
    if (praw && xmap_get(&kb->preds, praw, strlen(praw), &pv))
        t->p = kb->tr[pv].p;
    else {
        t->p = term_str(kb, st->predicate, &l, &d, &lit);
        if (praw && t->p && xmap_put(&kb->preds, praw, strlen(praw), (uint32_t)kb->ntr)) {
            c->oom = 1;
            return;
        }
    }
    t->o = term_str(kb, st->object, &t->lang, &t->dt, &t->o_lit);
    if (!t->s || !t->p || !t->o) {
        c->oom = 1;
        return;
    }
    kb->ntr++;
}

typedef struct {
    const ekg_sink *sink;
    const char *file;
    int errors;
} log_ctx;

static void on_log(void *user, raptor_log_message *m)
{
    log_ctx *c = user;
    if (m->level < RAPTOR_LOG_LEVEL_ERROR) return;
    c->errors++;
    ekg_report(c->sink, EKG_LOG_ERROR, EKG_ERR_PARSE, c->file,
               m->locator ? m->locator->line : 0, "%s", m->text ? m->text : "parse error");
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect_ttl(const char *dir, char ***files, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(need);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, need, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            collect_ttl(p, files, n, cap);
            free(p);
            continue;
        }
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".ttl") != 0 || strcmp(e->d_name, "shapes.ttl") == 0) {
            free(p);
            continue;
        }
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 32;
            char **f = realloc(*files, nc * sizeof *f);
            if (!f) {
                free(p);
                rc = -1;
                break;
            }
            *files = f;
            *cap = nc;
        }
        (*files)[(*n)++] = p;
    }
    closedir(d);
    return rc;
}

/* ---------- subjects ---------- */

/* A predicate's bit in pmask, by its entry in kb->preds (the same in a
 * built kb and in one read from the image). */
static inline uint64_t pred_bit(uint32_t pv) { return (uint64_t)1 << (pv % 64); }

static int32_t first_of(const ekg_kb *kb, const char *s)
{
    uint32_t v;
    if (!xmap_get(&kb->subj, s, strlen(s), &v)) return -1;
    return (int32_t)v;
}

static const char *get1(const ekg_kb *kb, const char *s, const char *p)
{
    for (int32_t i = first_of(kb, s); i >= 0; i = kb->tr[i].next)
        if (strcmp(kb->tr[i].p, p) == 0) return kb->tr[i].o;
    return NULL;
}

static int is_sub(const ekg_kb *kb, const char *c, const char *target, int depth)
{
    if (strcmp(c, target) == 0) return 1;
    if (depth > 12) return 0;
    for (int32_t i = first_of(kb, c); i >= 0; i = kb->tr[i].next)
        if (strcmp(kb->tr[i].p, EKG_RDFS "subClassOf") == 0 && !kb->tr[i].o_lit &&
            is_sub(kb, kb->tr[i].o, target, depth + 1))
            return 1;
    return 0;
}

/* ---------- automaton ---------- */

static uint32_t intern_id(ekg_kb *kb, xmap *m, const char *s, size_t n)
{
    uint32_t v;
    if (xmap_get(m, s, n, &v)) return v;
    v = kb->nids++;
    if (xmap_put(m, s, n, v)) return EKG_KB_NO_ID;
    return v;
}

/* A 64-bit mix (the splitmix64 finaliser) of an edge key: inline, where a
 * call into libxxhash for 8 bytes cost more than the probe. */
static inline uint64_t edge_hash(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static size_t edge_slot(const ekg_kb *kb, uint64_t key)
{
    size_t h = (size_t)edge_hash(key) & (kb->capedges - 1);
    while (kb->edges[h].key && kb->edges[h].key != key + 1) h = (h + 1) & (kb->capedges - 1);
    return h;
}

uint32_t ekg_kb_step(const ekg_kb *kb, uint32_t node, uint32_t id)
{
    if (node == 0 && kb->root_child) return id < kb->nids ? kb->root_child[id] : 0;
    if (!kb->capedges) return 0;
    uint64_t key = ((uint64_t)node << 32) | id;
    size_t h = edge_slot(kb, key);
    return kb->edges[h].key ? kb->edges[h].val : 0;
}

static uint32_t new_node(ekg_kb *kb)
{
    if (kb->nnodes == kb->capnodes) {
        size_t nc = kb->capnodes ? kb->capnodes * 2 : 1024;
        knode *p = realloc(kb->nodes, nc * sizeof *p);
        if (!p) return 0;
        kb->nodes = p;
        kb->capnodes = nc;
    }
    kb->nodes[kb->nnodes].head = 0;
    return (uint32_t)kb->nnodes++;
}

static uint32_t child(ekg_kb *kb, uint32_t node, uint32_t id)
{
    uint32_t c = ekg_kb_step(kb, node, id);
    if (c) return c;
    if ((kb->nedges + 1) * 2 > kb->capedges) {
        size_t nc = kb->capedges ? kb->capedges * 2 : 4096;
        kedge *old = kb->edges, *ne = calloc(nc, sizeof *ne);
        size_t ocap = kb->capedges;
        if (!ne) return 0;
        kb->edges = ne;
        kb->capedges = nc;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].key) kb->edges[edge_slot(kb, old[i].key - 1)] = old[i];
        free(old);
    }
    c = new_node(kb);
    if (!c) return 0;
    uint64_t key = ((uint64_t)node << 32) | id;
    size_t h = edge_slot(kb, key);
    kb->edges[h].key = key + 1;
    kb->edges[h].val = c;
    kb->nedges++;
    return c;
}

static int add_out(ekg_kb *kb, uint32_t node, const ekg_kb_out *o)
{
    /* no duplicates of the same output on one node */
    for (uint32_t k = kb->nodes[node].head; k; k = kb->outs[k - 1].next) {
        const ekg_kb_out *x = &kb->outs[k - 1].out;
        if (x->ent == o->ent && x->lex == o->lex && x->how == o->how && x->upper == o->upper &&
            strcmp(x->lang, o->lang) == 0)
            return 0;
    }
    if (kb->nouts == kb->capouts) {
        size_t nc = kb->capouts ? kb->capouts * 2 : 1024;
        kout *p = realloc(kb->outs, nc * sizeof *p);
        if (!p) return -1;
        kb->outs = p;
        kb->capouts = nc;
    }
    kb->outs[kb->nouts].out = *o;
    kb->outs[kb->nouts].next = kb->nodes[node].head;
    kb->nodes[node].head = (uint32_t)++kb->nouts;
    return 0;
}

const char *ekg_kb_stemmer_for(const char *lang)
{
    static const struct {
        const char *l, *alg;
    } t[] = {{"en", "english"}, {"de", "german"}, {"fr", "french"},   {"ru", "russian"},
             {"es", "spanish"}, {"nl", "dutch"},  {"it", "italian"},  {"pt", "portuguese"},
             {"sv", "swedish"}, {"da", "danish"}, {"no", "norwegian"}, {"fi", "finnish"}};
    if (!lang) return NULL;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strncmp(lang, t[i].l, 2) == 0 && (lang[2] == 0 || lang[2] == '-')) return t[i].alg;
    return NULL;
}

/* The loading stemmer for algorithm `alg` (made once), or NULL. */
static struct sb_stemmer *stemmer(ekg_kb *kb, const char *alg)
{
    size_t i = 0, n = sizeof kb->stemmers / sizeof kb->stemmers[0];
    for (; i < n && kb->stemmers[i].alg; i++)
        if (kb->stemmers[i].alg == alg) return kb->stemmers[i].sb;
    if (i == n) return NULL;
    kb->stemmers[i].sb = sb_stemmer_new(alg, NULL);
    if (!kb->stemmers[i].sb) return NULL;
    kb->stemmers[i].alg = alg;
    return kb->stemmers[i].sb;
}

static void free_stemmers(ekg_kb *kb)
{
    for (size_t i = 0; i < sizeof kb->stemmers / sizeof kb->stemmers[0]; i++) {
        if (kb->stemmers[i].sb) sb_stemmer_delete(kb->stemmers[i].sb);
        kb->stemmers[i].sb = NULL;
        kb->stemmers[i].alg = NULL;
    }
}

/* Add the form `s` (a label, adjective or lexicon form) to the automaton. */
static int add_form(ekg_kb *kb, const char *s, const char *lang, ekg_kb_out o, int stems)
{
    ekg_text *t = NULL;
    size_t sl = strlen(s);
    int star_end = 0;
    if (o.how == EKG_OUT_LEX && sl > 1 && s[sl - 1] == '*') star_end = 1;
    char *copy = strndup(s, sl - (size_t)star_end);
    if (!copy) return -1;
    if (ekg_text_split_words(copy, strlen(copy), lang, &t) != EKG_OK || !t || t->ntoks == 0) {
        ekg_text_free(t);
        free(copy);
        return 0;
    }
    memset(o.lang, 0, sizeof o.lang);
    if (lang) {
        size_t n = strcspn(lang, "-");
        if (n > sizeof o.lang - 1) n = sizeof o.lang - 1;
        for (size_t i = 0; i < n; i++) o.lang[i] = (char)(lang[i] | 0x20);
    }
    /* Acronyms and codes match upper-case text only. */
    int letters = 0, upper = 1;
    for (size_t i = 0; i < t->ntoks; i++) {
        if (t->toks[i].flags & EKG_TOK_WORD) {
            letters++;
            if (!(t->toks[i].flags & EKG_TOK_UPPER)) upper = 0;
        }
    }
    o.upper = (uint8_t)(letters > 0 && upper && sl <= 8 && o.how != EKG_OUT_LEX);
    uint32_t ids[64];
    size_t n = t->ntoks < 64 ? t->ntoks : 64;
    uint32_t node = 0;
    /* Words may stand apart only when the first one is a stem ("fand* statt",
     * "kam* zusammen"): the form of a separable or split verb. */
    int is_gap = o.how == EKG_OUT_LEX && n >= 3 && t->toks[1].flen == 1 &&
                 ekg_text_fold_at(t, 1)[0] == '*' && t->toks[1].start == t->toks[0].end;
    /* Interior stars ("fand* statt"): a token followed by a '*' token. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *f = ekg_text_fold_at(t, i);
        size_t fl = t->toks[i].flen;
        int star = (i + 1 == n && star_end) ||
                   (i + 1 < n && t->toks[i + 1].flen == 1 &&
                    ekg_text_fold_at(t, i + 1)[0] == '*' &&
                    t->toks[i + 1].start == t->toks[i].end);
        if (fl == 1 && f[0] == '*') continue;
        uint32_t id;
        if (star) {
            id = intern_id(kb, &kb->prefix, f, fl);
            if (id == EKG_KB_NO_ID) goto oom;
            if (fl >= 2) kb->prefix_first[((uint8_t)f[0] << 8 | (uint8_t)f[1]) >> 3] |=
                (uint8_t)(1u << (((uint8_t)f[1]) & 7));
            if (fl < 64) kb->prefix_lens[fl] = 1;
            if (fl >= 2) {
                uint8_t *mx = &kb->prefix_max[(uint8_t)f[0] << 8 | (uint8_t)f[1]];
                size_t cl = fl < 63 ? fl : 63;
                if (cl > *mx) *mx = (uint8_t)cl;
            }
        } else {
            id = intern_id(kb, &kb->tokid, f, fl);
            if (id == EKG_KB_NO_ID) goto oom;
        }
        ids[m++] = id;
        node = child(kb, node, id);
        if (!node) goto oom;
    }
    if (m == 0) goto done;
    if (add_out(kb, node, &o)) goto oom;
    if (is_gap && m >= 2) {
        if (kb->ngaps == kb->capgaps) {
            size_t nc = kb->capgaps ? kb->capgaps * 2 : 64;
            ekg_kb_gapform *p = realloc(kb->gaps, nc * sizeof *p);
            if (!p) goto oom;
            kb->gaps = p;
            kb->capgaps = nc;
        }
        uint32_t *cp = (uint32_t *)xarena_alloc(&kb->arena, m * sizeof *cp);
        if (!cp) goto oom;
        memcpy(cp, ids, m * sizeof *cp);
        ekg_kb_gapform *g = &kb->gaps[kb->ngaps++];
        g->lex = o.lex;
        memcpy(g->lang, o.lang, sizeof g->lang);
        g->n = (uint32_t)m;
        g->ids = cp;
    }
    /* The same label by stems, for languages with a stemmer. */
    const char *alg = stems && !o.upper ? ekg_kb_stemmer_for(lang) : NULL;
    if (alg) {
        struct sb_stemmer *sb = stemmer(kb, alg);
        if (sb) {
            node = 0;
            char key[300];
            size_t ll = strlen(o.lang);
            for (size_t i = 0; i < n && node != (uint32_t)-1; i++) {
                const char *f = ekg_text_fold_at(t, i);
                size_t fl = t->toks[i].flen;
                /* labels share words: each (algorithm, language, word) is
                 * stemmed once per load */
                char ck[320];
                size_t al = strlen(alg), cl = al + 1 + ll + 1 + fl;
                uint32_t id;
                if (cl <= sizeof ck) {
                    memcpy(ck, alg, al);
                    ck[al] = 2;
                    memcpy(ck + al + 1, o.lang, ll);
                    ck[al + 1 + ll] = 2;
                    memcpy(ck + al + 2 + ll, f, fl);
                    if (xmap_get(&kb->stemmed, ck, cl, &id)) {
                        node = child(kb, node, id);
                        if (!node) break;
                        continue;
                    }
                }
                const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)f, (int)fl);
                int stl = sb_stemmer_length(sb);
                /* key = "<lang>\x01<stem>"; the stem as far as a NUL, as "%.*s" read it */
                size_t sl = st && stl > 0 ? strnlen((const char *)st, (size_t)stl) : 0;
                size_t kl = ll + 1 + sl;
                if (kl >= sizeof key) {
                    node = (uint32_t)-1;
                    break;
                }
                memcpy(key, o.lang, ll);
                key[ll] = 1;
                memcpy(key + ll + 1, st, sl);
                key[kl] = 0;
                id = intern_id(kb, &kb->tokid, key, kl);
                if (id == EKG_KB_NO_ID) break;
                if (cl <= sizeof ck && xmap_put(&kb->stemmed, ck, cl, id)) goto oom;
                node = child(kb, node, id);
                if (!node) break;
            }
            if (node && node != (uint32_t)-1) add_out(kb, node, &o);
        }
    }
done:
    ekg_text_free(t);
    free(copy);
    return 0;
oom:
    ekg_text_free(t);
    free(copy);
    return -1;
}

size_t ekg_kb_token_ids(const ekg_kb *kb, const char *f, size_t fl, uint32_t *ids, size_t max)
{
    size_t n = 0;
    uint32_t v;
    if (max && xmap_get(&kb->tokid, f, fl, &v)) ids[n++] = v;
    if (fl >= 2 && kb->prefix.n &&
        (kb->prefix_first[((uint8_t)f[0] << 8 | (uint8_t)f[1]) >> 3] &
         (1u << (((uint8_t)f[1]) & 7)))) {
        size_t top = kb->prefix_max[(uint8_t)f[0] << 8 | (uint8_t)f[1]]; /* no longer one */
        for (size_t l = 2; l <= fl && l <= top && n < max; l++)
            if (kb->prefix_lens[l] && xmap_get(&kb->prefix, f, l, &v)) ids[n++] = v;
    } else if (fl == 1 && kb->prefix_lens[1] && n < max && xmap_get(&kb->prefix, f, 1, &v)) {
        ids[n++] = v;
    }
    return n;
}

uint32_t ekg_kb_stem_id(const ekg_kb *kb, const char *key, size_t len)
{
    uint32_t v;
    return xmap_get(&kb->tokid, key, len, &v) ? v : EKG_KB_NO_ID;
}

const ekg_kb_out *ekg_kb_outputs(const ekg_kb *kb, uint32_t node, size_t *n)
{
    /* Outputs are chained; expose them through a per-node contiguous copy
     * made at the end of loading (see finish_outputs). */
    uint32_t h = kb->nodes[node].head;
    if (!h) {
        *n = 0;
        return NULL;
    }
    /* after finish_outputs: head = first index + 1; counts in outn */
    *n = kb->outn[h - 1];
    return &kb->outv[h - 1];
}

/* Re-lay the chained outputs so that each node's outputs are contiguous:
 * node.head = first + 1; outs[first].next = count. */
static int finish_outputs(ekg_kb *kb)
{
    kb->outv = malloc((kb->nouts + 1) * sizeof *kb->outv);
    kb->outn = calloc(kb->nouts + 1, sizeof *kb->outn);
    if (!kb->outv || !kb->outn) return -1;
    size_t w = 0;
    for (size_t i = 0; i < kb->nnodes; i++) {
        uint32_t h = kb->nodes[i].head;
        if (!h) continue;
        size_t first = w;
        for (uint32_t k = h; k; k = kb->outs[k - 1].next) kb->outv[w++] = kb->outs[k - 1].out;
        kb->outn[first] = (uint32_t)(w - first);
        kb->nodes[i].head = (uint32_t)first + 1;
    }
    free(kb->outs);
    kb->outs = NULL;
    return 0;
}

static int cmpgap(const void *a, const void *b)
{
    const ekg_kb_gapform *x = a, *y = b;
    return x->ids[0] < y->ids[0] ? -1 : x->ids[0] > y->ids[0];
}

int ekg_kb_starts_gap(const ekg_kb *kb, uint32_t id)
{
    return id < kb->nids && (kb->gapbits[id >> 3] & (1u << (id & 7)));
}

const ekg_kb_gapform *ekg_kb_gapforms(const ekg_kb *kb, uint32_t id, size_t *n)
{
    size_t lo = 0, hi = kb->ngaps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (kb->gaps[mid].ids[0] < id) lo = mid + 1;
        else hi = mid;
    }
    size_t e = lo;
    while (e < kb->ngaps && kb->gaps[e].ids[0] == id) e++;
    *n = e - lo;
    return *n ? &kb->gaps[lo] : NULL;
}

/* ---------- tables ---------- */

static ekg_kb_kind kind_of(const ekg_kb *kb, const char *cls)
{
    if (is_sub(kb, cls, NS("State"), 0)) return EKG_KIND_STATE;
    if (is_sub(kb, cls, NS("InternationalOrganization"), 0)) return EKG_KIND_IO;
    if (is_sub(kb, cls, NS("Agency"), 0)) return EKG_KIND_AGENCY;
    if (is_sub(kb, cls, NS("Person"), 0)) return EKG_KIND_PERSON;
    if (is_sub(kb, cls, NS("Organization"), 0)) return EKG_KIND_ORG;
    if (is_sub(kb, cls, NS("Agreement"), 0)) return EKG_KIND_AGREEMENT;
    if (is_sub(kb, cls, NS("Place"), 0)) return EKG_KIND_PLACE;
    return EKG_KIND_OTHER;
}

static ekg_cue cue_of(const ekg_kb *kb, const char *sig, ekg_family *fam)
{
    *fam = EKG_FAM_NONE;
    if (is_sub(kb, sig, NS("Event"), 0)) {
        if (is_sub(kb, sig, NS("Meeting"), 0)) *fam = EKG_FAM_MEETING;
        else if (is_sub(kb, sig, NS("Statement"), 0)) *fam = EKG_FAM_STATEMENT;
        else if (is_sub(kb, sig, NS("AgreementAct"), 0)) *fam = EKG_FAM_ACT;
        else if (is_sub(kb, sig, NS("Stance"), 0)) *fam = EKG_FAM_STANCE;
        return EKG_CUE_EVENT;
    }
    static const struct {
        const char *c;
        ekg_cue cue;
    } t[] = {{NS("NegationCue"), EKG_CUE_NEGATION}, {NS("ModalityCue"), EKG_CUE_MODALITY},
             {NS("ReportingCue"), EKG_CUE_REPORTING}, {NS("RelativeDate"), EKG_CUE_RELDATE},
             {NS("Weekday"), EKG_CUE_WEEKDAY},   {NS("Month"), EKG_CUE_MONTH},
             {NS("TitleCue"), EKG_CUE_TITLE},    {NS("AdjectiveEnding"), EKG_CUE_ADJENDING},
             {NS("TopicCue"), EKG_CUE_TOPIC}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (is_sub(kb, sig, t[i].c, 0)) return t[i].cue;
    /* any other subclass of ekg:Cue: recognised, told apart by lex->signals */
    if (is_sub(kb, sig, NS("Cue"), 0)) return EKG_CUE_EXTRA;
    return EKG_CUE_OTHER;
}

static int lang_eq(const char *a, const char *b)
{
    if (!a || !b) return 0;
    size_t n = strcspn(a, "-"), m = strcspn(b, "-");
    return n == m && strncasecmp(a, b, n) == 0;
}

static const ekg_kb_entity *resolve_actor(ekg_kb *kb, ekg_kb_entity *e, int depth)
{
    if (e->kind == EKG_KIND_STATE || e->kind == EKG_KIND_IO) return e;
    if (!e->parent || depth > 6) return e->kind == EKG_KIND_ORG ? e : NULL;
    const ekg_kb_entity *p = ekg_kb_entity_by_iri(kb, e->parent);
    if (!p) return NULL;
    return resolve_actor(kb, (ekg_kb_entity *)p, depth + 1);
}

static ekg_status build(ekg_kb *kb, const ekg_sink *sink, const char *dir)
{
    (void)sink;
    (void)dir;
    /* index subjects */
    for (size_t i = kb->ntr; i-- > 0;) {
        uint32_t v;
        const char *s = kb->tr[i].s;
        size_t l = strlen(s);
        kb->tr[i].next = xmap_get(&kb->subj, s, l, &v) ? (int32_t)v : -1;
        if (xmap_put(&kb->subj, s, l, (uint32_t)i)) return EKG_ERR_NOMEM;
    }
    /* chain each subject's triples of one predicate too (ekg_kb_objects):
     * the last of each predicate seen along the subject's chain */
    for (size_t k = 0; k < kb->subj.cap; k++) {
        if (!kb->subj.keys[k]) continue;
        struct {
            const char *p;
            int32_t last;
        } seen[32];
        size_t ns = 0;
        ktriple *head = &kb->tr[kb->subj.vals[k]];
        head->pmask = 0;
        for (int32_t i = (int32_t)kb->subj.vals[k]; i >= 0; i = kb->tr[i].next) {
            ktriple *t = &kb->tr[i];
            uint32_t pv;
            t->pnext = -1;
            if (i != (int32_t)kb->subj.vals[k]) t->pmask = 0;
            /* a predicate that is no URI has no entry: all bits, never a miss */
            head->pmask |= xmap_get(&kb->preds, t->p, strlen(t->p), &pv) ? pred_bit(pv) : ~(uint64_t)0;
            size_t j = 0;
            while (j < ns && seen[j].p != t->p) j++;
            if (j < ns) {
                kb->tr[seen[j].last].pnext = i;
                seen[j].last = i;
            } else if (ns < sizeof seen / sizeof seen[0]) {
                seen[ns].p = t->p;
                seen[ns++].last = i;
            } else { /* many predicates: the previous one of p by a scan */
                int32_t prev = -1;
                for (int32_t q = (int32_t)kb->subj.vals[k]; q != i; q = kb->tr[q].next)
                    if (kb->tr[q].p == t->p) prev = q;
                if (prev >= 0) kb->tr[prev].pnext = i;
            }
        }
    }
    /* count candidates */
    size_t cap_e = 0, cap_l = 0;
    for (size_t i = 0; i < kb->ntr; i++)
        if (strcmp(kb->tr[i].p, EKG_RDF_TYPE) == 0) cap_e++, cap_l++;
    kb->ents = calloc(cap_e + 1, sizeof *kb->ents);
    kb->lex = calloc(cap_l + 1, sizeof *kb->lex);
    if (!kb->ents || !kb->lex) return EKG_ERR_NOMEM;
    /* pass 1: entities and lexicon entries */
    for (size_t i = 0; i < kb->subj.cap; i++) {
        const char *s = kb->subj.keys[i];
        if (!s) continue;
        int32_t first = (int32_t)kb->subj.vals[i];
        const char *type = NULL;
        ekg_kb_kind kind = EKG_KIND_OTHER;
        int is_lex = 0;
        for (int32_t k = first; k >= 0; k = kb->tr[k].next) {
            if (strcmp(kb->tr[k].p, EKG_RDF_TYPE) != 0 || kb->tr[k].o_lit) continue;
            if (is_sub(kb, kb->tr[k].o, NS("LexicalEntry"), 0)) {
                is_lex = 1;
                break;
            }
            ekg_kb_kind kk = kind_of(kb, kb->tr[k].o);
            if (kk != EKG_KIND_OTHER && (!type || kk > kind)) {
                type = kb->tr[k].o;
                kind = kk;
            }
        }
        if (is_lex) {
            ekg_kb_lex *x = &kb->lex[kb->nlex];
            x->iri = s;
            x->signals = get1(kb, s, NS("signals"));
            if (!x->signals) continue;
            x->cue = cue_of(kb, x->signals, &x->family);
            if (x->cue == EKG_CUE_EVENT && strncmp(x->signals, EKG_NS, strlen(EKG_NS)) == 0)
                x->event = x->signals + strlen(EKG_NS);
            const char *v;
            if ((v = get1(kb, s, NS("dayOffset")))) x->offsets |= EKG_HAS_DAY, x->day_offset = atoi(v);
            if ((v = get1(kb, s, NS("weekOffset")))) x->offsets |= EKG_HAS_WEEK, x->week_offset = atoi(v);
            if ((v = get1(kb, s, NS("monthOffset")))) x->offsets |= EKG_HAS_MONTH, x->month_offset = atoi(v);
            if ((v = get1(kb, s, NS("weekday")))) x->weekday = atoi(v);
            if ((v = get1(kb, s, NS("month")))) x->month = atoi(v);
            /* English role first */
            for (int32_t k = first; k >= 0; k = kb->tr[k].next)
                if (strcmp(kb->tr[k].p, NS("role")) == 0 &&
                    (!x->role || lang_eq(kb->tr[k].lang, "en")))
                    x->role = kb->tr[k].o;
            if (x->cue == EKG_CUE_ADJENDING)
                for (int32_t k = first; k >= 0; k = kb->tr[k].next)
                    if (strcmp(kb->tr[k].p, NS("form")) == 0 && kb->tr[k].lang) {
                        if (kb->nendings == kb->capendings) {
                            size_t nc = kb->capendings ? kb->capendings * 2 : 32;
                            void *p = realloc(kb->endings, nc * sizeof *kb->endings);
                            if (!p) return EKG_ERR_NOMEM;
                            kb->endings = p;
                            kb->capendings = nc;
                        }
                        size_t ln = strcspn(kb->tr[k].lang, "-");
                        if (ln > 5) ln = 5;
                        memset(kb->endings[kb->nendings].lang, 0, 6);
                        for (size_t q = 0; q < ln; q++)
                            kb->endings[kb->nendings].lang[q] = (char)(kb->tr[k].lang[q] | 0x20);
                        kb->endings[kb->nendings++].ending = kb->tr[k].o;
                    }
            kb->nlex++;
            continue;
        }
        if (kind == EKG_KIND_OTHER || s[0] == '_') continue;
        ekg_kb_entity *e = &kb->ents[kb->nents];
        e->iri = s;
        e->klass = type;
        e->kind = kind;
        for (int32_t k = first; k >= 0; k = kb->tr[k].next) {
            const ktriple *t = &kb->tr[k];
            if (strcmp(t->p, NS("code")) == 0 && t->o_lit && (!e->code || strlen(t->o) < strlen(e->code)))
                e->code = t->o;
            else if ((strcmp(t->p, NS("represents")) == 0 || strcmp(t->p, NS("partOf")) == 0) &&
                     !t->o_lit && !e->parent)
                e->parent = t->o;
            else if (strcmp(t->p, EKG_SKOS "prefLabel") == 0 && t->o_lit &&
                     (!e->label || lang_eq(t->lang, "en")))
                e->label = t->o;
        }
        if (!e->label) e->label = e->iri;
        if (xmap_put(&kb->ent_by_iri, s, strlen(s), (uint32_t)kb->nents)) return EKG_ERR_NOMEM;
        kb->nents++;
    }
    /* Deterministic order of entities does not matter for lookups; actors: */
    for (size_t i = 0; i < kb->nents; i++) kb->ents[i].actor = resolve_actor(kb, &kb->ents[i], 0);

    /* pass 2: automaton */
    new_node(kb); /* the root, node 0 */
    if (kb->nnodes != 1) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < kb->nents; i++) {
        ekg_kb_entity *e = &kb->ents[i];
        for (int32_t k = first_of(kb, e->iri); k >= 0; k = kb->tr[k].next) {
            const ktriple *t = &kb->tr[k];
            if (!t->o_lit) continue;
            ekg_kb_out o = {.ent = e};
            int stems = 1;
            if (strcmp(t->p, EKG_SKOS "prefLabel") == 0 || strcmp(t->p, EKG_SKOS "altLabel") == 0 ||
                strcmp(t->p, EKG_SKOS "hiddenLabel") == 0)
                o.how = EKG_OUT_LABEL;
            else if (strcmp(t->p, NS("code")) == 0)
                o.how = EKG_OUT_CODE, stems = 0;
            else if (strcmp(t->p, NS("adjective")) == 0)
                o.how = EKG_OUT_ADJECTIVE;
            else
                continue;
            if (add_form(kb, t->o, t->lang, o, stems && e->kind != EKG_KIND_PERSON)) return EKG_ERR_NOMEM;
            if (o.how == EKG_OUT_ADJECTIVE && t->lang) {
                char lg[6] = {0};
                size_t ln = strcspn(t->lang, "-");
                for (size_t q = 0; q < ln && q < 5; q++) lg[q] = (char)(t->lang[q] | 0x20);
                for (size_t q = 0; q < kb->nendings; q++) {
                    if (strcmp(kb->endings[q].lang, lg) != 0) continue;
                    char buf[512];
                    int bl = snprintf(buf, sizeof buf, "%s%s", t->o, kb->endings[q].ending);
                    if (bl > 0 && (size_t)bl < sizeof buf && add_form(kb, buf, t->lang, o, 0))
                        return EKG_ERR_NOMEM;
                }
            }
        }
    }
    for (size_t i = 0; i < kb->nlex; i++) {
        ekg_kb_lex *x = &kb->lex[i];
        if (x->cue == EKG_CUE_ADJENDING || x->cue == EKG_CUE_OTHER) continue;
        for (int32_t k = first_of(kb, x->iri); k >= 0; k = kb->tr[k].next) {
            const ktriple *t = &kb->tr[k];
            if (strcmp(t->p, NS("form")) != 0 || !t->o_lit) continue;
            ekg_kb_out o = {.lex = x, .how = EKG_OUT_LEX};
            if (add_form(kb, t->o, t->lang, o, 0)) return EKG_ERR_NOMEM;
        }
    }
    free_stemmers(kb);
    xmap_free(&kb->stemmed);
    kb->root_child = calloc(kb->nids + 1, sizeof *kb->root_child);
    if (!kb->root_child) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < kb->capedges; i++)
        if (kb->edges[i].key && (kb->edges[i].key - 1) >> 32 == 0)
            kb->root_child[(uint32_t)(kb->edges[i].key - 1)] = kb->edges[i].val;
    if (finish_outputs(kb)) return EKG_ERR_NOMEM;
    if (kb->ngaps) qsort(kb->gaps, kb->ngaps, sizeof *kb->gaps, cmpgap);
    kb->gapbits = calloc(kb->nids / 8 + 1, 1);
    if (!kb->gapbits) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < kb->ngaps; i++) kb->gapbits[kb->gaps[i].ids[0] >> 3] |= (uint8_t)(1u << (kb->gaps[i].ids[0] & 7));
    return EKG_OK;
}

/* ---------- the compiled kb, cached ----------
 *
 * Parsing the ontology and building the automaton costs every process about
 * 0.09 s; `ekg extract` over a corpus runs many short processes. So the
 * built kb is written once to a cache file, keyed by a hash of what it is
 * built from (every .ttl file's name and content, this executable, the ICU
 * version, the layout of the tables), and later loads read it back in one
 * read(): one block holding every table, whose pointers are stored as
 * offsets and turned back into pointers. The file is
 * $EKG_KB_CACHE/kb-KEY.bin (EKG_KB_CACHE=off: no cache), else under
 * $XDG_CACHE_HOME/ekg or ~/.cache/ekg; written to a temporary file and
 * renamed, so a reader sees a whole file or none (the 8 most recently used
 * stay, older ones are removed), and checked (size, key,
 * a checksum of the whole) before use. Anything amiss (no cache directory,
 * a short, damaged or foreign file) and the kb is built from the files as
 * before: the cache changes how long loading takes, never what is loaded. */

#define KIMG_MAGIC "ekg kb image 3\n" /* 3: pnext, pmask */

typedef struct {
    uint64_t keys, lens, vals, n, cap;
} kimg_map;

typedef struct {
    char magic[16];
    uint64_t key, size, sum; /* sum: XXH3 of everything after the header */
    uint64_t ntr, nents, nlex, nids, nedges, capedges, nnodes, nouts, ngaps;
    uint64_t o_tr, o_ents, o_lex, o_edges, o_root, o_nodes, o_outv, o_outn, o_gaps, o_gapbits;
    kimg_map maps[5]; /* subj, ent_by_iri, tokid, prefix, preds */
    uint8_t prefix_first[65536 / 8], prefix_lens[64], prefix_max[65536];
} kimg_hdr;

/* The writer: the image grows in b; each string is written once, and a
 * pointer is stored as its offset + 1 (0 for NULL). */
typedef struct {
    xbuf b;
    const char **pk; /* string pointer → offset + 1 */
    uint64_t *pv;
    size_t pn, pcap;
    int oom;
} kwriter;

static uint64_t kw_put(kwriter *w, const void *p, size_t n)
{
    static const char zero[8];
    if (w->b.n % 8 && xbuf_add(&w->b, zero, 8 - w->b.n % 8)) w->oom = 1;
    uint64_t o = w->b.n;
    if (n && xbuf_add(&w->b, p, n)) w->oom = 1;
    return o;
}

static uint64_t kw_str(kwriter *w, const char *s)
{
    if (!s) return 0;
    if ((w->pn + 1) * 2 > w->pcap) {
        size_t nc = w->pcap ? w->pcap * 2 : 4096;
        const char **k = calloc(nc, sizeof *k);
        uint64_t *v = calloc(nc, sizeof *v);
        if (!k || !v) {
            free(k), free(v);
            w->oom = 1;
            return 0;
        }
        for (size_t i = 0; i < w->pcap; i++)
            if (w->pk[i]) {
                size_t h = (size_t)edge_hash((uint64_t)(uintptr_t)w->pk[i]) & (nc - 1);
                while (k[h]) h = (h + 1) & (nc - 1);
                k[h] = w->pk[i];
                v[h] = w->pv[i];
            }
        free(w->pk), free(w->pv);
        w->pk = k, w->pv = v, w->pcap = nc;
    }
    size_t h = (size_t)edge_hash((uint64_t)(uintptr_t)s) & (w->pcap - 1);
    while (w->pk[h]) {
        if (w->pk[h] == s) return w->pv[h];
        h = (h + 1) & (w->pcap - 1);
    }
    uint64_t o = w->b.n + 1;
    if (xbuf_add(&w->b, s, strlen(s) + 1)) w->oom = 1;
    w->pk[h] = s;
    w->pv[h] = o;
    w->pn++;
    return o;
}

#define ENC(x) ((const char *)(uintptr_t)(x))

static void kw_map(kwriter *w, const xmap *m, kimg_map *out)
{
    const char **keys = calloc(m->cap ? m->cap : 1, sizeof *keys);
    if (!keys) {
        w->oom = 1;
        return;
    }
    for (size_t i = 0; i < m->cap; i++) keys[i] = ENC(kw_str(w, m->keys[i]));
    out->keys = kw_put(w, keys, m->cap * sizeof *keys);
    out->lens = kw_put(w, m->lens, m->cap * sizeof *m->lens);
    out->vals = kw_put(w, m->vals, m->cap * sizeof *m->vals);
    out->n = m->n;
    out->cap = m->cap;
    free(keys);
}

/* The image of a built kb, in *img (malloc'd), or -1. */
static int kb_image(const ekg_kb *kb, uint64_t key, char **img, size_t *len)
{
    kwriter w = {0};
    kimg_hdr h;
    memset(&h, 0, sizeof h);
    kw_put(&w, &h, sizeof h); /* filled in at the end */
    memcpy(h.magic, KIMG_MAGIC, sizeof h.magic);
    h.key = key;
    h.ntr = kb->ntr, h.nents = kb->nents, h.nlex = kb->nlex, h.nids = kb->nids;
    h.nedges = kb->nedges, h.capedges = kb->capedges, h.nnodes = kb->nnodes;
    h.nouts = kb->nouts, h.ngaps = kb->ngaps;
    /* zeroed: the image holds no uninitialised bytes (padding, spare slots) */
    ktriple *tr = calloc(kb->ntr + 1, sizeof *tr);
    ekg_kb_entity *ents = calloc(kb->nents + 1, sizeof *ents);
    ekg_kb_lex *lex = calloc(kb->nlex + 1, sizeof *lex);
    ekg_kb_out *outv = calloc(kb->nouts + 1, sizeof *outv);
    ekg_kb_gapform *gaps = calloc(kb->ngaps + 1, sizeof *gaps);
    if (!tr || !ents || !lex || !outv || !gaps) w.oom = 1;
    for (size_t i = 0; !w.oom && i < kb->ntr; i++) {
        /* field by field: the struct's padding stays the zeros of calloc */
        tr[i].o_lit = kb->tr[i].o_lit;
        tr[i].next = kb->tr[i].next;
        tr[i].pnext = kb->tr[i].pnext;
        tr[i].pmask = kb->tr[i].pmask;
        tr[i].s = ENC(kw_str(&w, kb->tr[i].s));
        tr[i].p = ENC(kw_str(&w, kb->tr[i].p));
        tr[i].o = ENC(kw_str(&w, kb->tr[i].o));
        tr[i].lang = ENC(kw_str(&w, kb->tr[i].lang));
        tr[i].dt = ENC(kw_str(&w, kb->tr[i].dt));
    }
    for (size_t i = 0; !w.oom && i < kb->nents; i++) {
        const ekg_kb_entity *e = &kb->ents[i];
        ents[i] = *e;
        ents[i].iri = ENC(kw_str(&w, e->iri));
        ents[i].klass = ENC(kw_str(&w, e->klass));
        ents[i].code = ENC(kw_str(&w, e->code));
        ents[i].parent = ENC(kw_str(&w, e->parent));
        ents[i].label = ENC(kw_str(&w, e->label));
        ents[i].actor = (const ekg_kb_entity *)(uintptr_t)(e->actor ? e->actor - kb->ents + 1 : 0);
    }
    for (size_t i = 0; !w.oom && i < kb->nlex; i++) {
        const ekg_kb_lex *x = &kb->lex[i];
        lex[i] = *x;
        lex[i].iri = ENC(kw_str(&w, x->iri));
        lex[i].signals = ENC(kw_str(&w, x->signals));
        /* event points into signals: the same place in its copy */
        lex[i].event = x->event ? ENC(kw_str(&w, x->signals) + (uint64_t)(x->event - x->signals)) : NULL;
        lex[i].role = ENC(kw_str(&w, x->role));
    }
    for (size_t i = 0; !w.oom && i < kb->nouts; i++) {
        outv[i] = kb->outv[i];
        outv[i].ent = (const ekg_kb_entity *)(uintptr_t)(kb->outv[i].ent ? kb->outv[i].ent - kb->ents + 1 : 0);
        outv[i].lex = (const ekg_kb_lex *)(uintptr_t)(kb->outv[i].lex ? kb->outv[i].lex - kb->lex + 1 : 0);
    }
    for (size_t i = 0; !w.oom && i < kb->ngaps; i++) {
        memcpy(gaps[i].lang, kb->gaps[i].lang, sizeof gaps[i].lang);
        gaps[i].n = kb->gaps[i].n;
        gaps[i].lex = (const ekg_kb_lex *)(uintptr_t)(kb->gaps[i].lex ? kb->gaps[i].lex - kb->lex + 1 : 0);
        gaps[i].ids = (const uint32_t *)(uintptr_t)(kw_put(&w, kb->gaps[i].ids, kb->gaps[i].n * sizeof(uint32_t)) + 1);
    }
    if (!w.oom) {
        kw_map(&w, &kb->subj, &h.maps[0]);
        kw_map(&w, &kb->ent_by_iri, &h.maps[1]);
        kw_map(&w, &kb->tokid, &h.maps[2]);
        kw_map(&w, &kb->prefix, &h.maps[3]);
        kw_map(&w, &kb->preds, &h.maps[4]);
        h.o_tr = kw_put(&w, tr, kb->ntr * sizeof *tr);
        h.o_ents = kw_put(&w, ents, (kb->nents + 1) * sizeof *ents);
        h.o_lex = kw_put(&w, lex, (kb->nlex + 1) * sizeof *lex);
        h.o_outv = kw_put(&w, outv, (kb->nouts + 1) * sizeof *outv);
        h.o_outn = kw_put(&w, kb->outn, (kb->nouts + 1) * sizeof *kb->outn);
        h.o_gaps = kw_put(&w, gaps, kb->ngaps * sizeof *gaps);
        h.o_edges = kw_put(&w, kb->edges, kb->capedges * sizeof *kb->edges);
        h.o_root = kw_put(&w, kb->root_child, (kb->nids + 1) * sizeof *kb->root_child);
        h.o_nodes = kw_put(&w, kb->nodes, kb->nnodes * sizeof *kb->nodes);
        h.o_gapbits = kw_put(&w, kb->gapbits, kb->nids / 8 + 1);
        kw_put(&w, NULL, 0);
        memcpy(h.prefix_first, kb->prefix_first, sizeof h.prefix_first);
        memcpy(h.prefix_lens, kb->prefix_lens, sizeof h.prefix_lens);
        memcpy(h.prefix_max, kb->prefix_max, sizeof h.prefix_max);
        h.size = w.b.n;
        if (!w.oom) {
            h.sum = XXH3_64bits(w.b.p + sizeof h, w.b.n - sizeof h);
            memcpy(w.b.p, &h, sizeof h);
        }
    }
    free(tr), free(ents), free(lex), free(outv), free(gaps);
    free(w.pk), free(w.pv);
    if (w.oom) {
        free(w.b.p);
        return -1;
    }
    *img = w.b.p;
    *len = w.b.n;
    return 0;
}

#define DEC(base, x) ((x) ? (const char *)(base) + (uintptr_t)(x) - 1 : NULL)

static void kr_map(char *base, const kimg_map *im, xmap *m)
{
    m->keys = (const char **)(base + im->keys);
    m->lens = (uint32_t *)(base + im->lens);
    m->vals = (uint32_t *)(base + im->vals);
    m->n = im->n;
    m->cap = im->cap;
    for (size_t i = 0; i < m->cap; i++) m->keys[i] = DEC(base, m->keys[i]);
}

/* A kb from an image (which it takes over), or NULL. */
static ekg_kb *kb_from_image(char *base, size_t len, uint64_t key)
{
    kimg_hdr *h = (kimg_hdr *)base;
    if (len < sizeof *h || memcmp(h->magic, KIMG_MAGIC, sizeof h->magic) != 0 || h->key != key ||
        h->size != len || XXH3_64bits(base + sizeof *h, len - sizeof *h) != h->sum)
        return NULL;
    ekg_kb *kb = kb_new();
    if (!kb) return NULL;
    kb->image = base;
    kb->ntr = kb->captr = h->ntr, kb->nents = h->nents, kb->nlex = h->nlex, kb->nids = (uint32_t)h->nids;
    kb->nedges = h->nedges, kb->capedges = h->capedges, kb->nnodes = kb->capnodes = h->nnodes;
    kb->nouts = h->nouts, kb->ngaps = kb->capgaps = h->ngaps;
    kr_map(base, &h->maps[0], &kb->subj);
    kr_map(base, &h->maps[1], &kb->ent_by_iri);
    kr_map(base, &h->maps[2], &kb->tokid);
    kr_map(base, &h->maps[3], &kb->prefix);
    kr_map(base, &h->maps[4], &kb->preds);
    kb->tr = (ktriple *)(base + h->o_tr);
    for (size_t i = 0; i < kb->ntr; i++) {
        ktriple *t = &kb->tr[i];
        t->s = DEC(base, t->s), t->p = DEC(base, t->p), t->o = DEC(base, t->o);
        t->lang = DEC(base, t->lang), t->dt = DEC(base, t->dt);
    }
    kb->ents = (ekg_kb_entity *)(base + h->o_ents);
    for (size_t i = 0; i < kb->nents; i++) {
        ekg_kb_entity *e = &kb->ents[i];
        e->iri = DEC(base, e->iri), e->klass = DEC(base, e->klass), e->code = DEC(base, e->code);
        e->parent = DEC(base, e->parent), e->label = DEC(base, e->label);
        uintptr_t a = (uintptr_t)e->actor;
        e->actor = a ? &kb->ents[a - 1] : NULL;
    }
    kb->lex = (ekg_kb_lex *)(base + h->o_lex);
    for (size_t i = 0; i < kb->nlex; i++) {
        ekg_kb_lex *x = &kb->lex[i];
        x->iri = DEC(base, x->iri), x->signals = DEC(base, x->signals);
        x->event = DEC(base, x->event), x->role = DEC(base, x->role);
    }
    kb->outv = (ekg_kb_out *)(base + h->o_outv);
    for (size_t i = 0; i < kb->nouts; i++) {
        ekg_kb_out *o = &kb->outv[i];
        uintptr_t e = (uintptr_t)o->ent, l = (uintptr_t)o->lex;
        o->ent = e ? &kb->ents[e - 1] : NULL;
        o->lex = l ? &kb->lex[l - 1] : NULL;
    }
    kb->outn = (uint32_t *)(base + h->o_outn);
    kb->gaps = (ekg_kb_gapform *)(base + h->o_gaps);
    for (size_t i = 0; i < kb->ngaps; i++) {
        ekg_kb_gapform *g = &kb->gaps[i];
        uintptr_t l = (uintptr_t)g->lex;
        g->lex = l ? &kb->lex[l - 1] : NULL;
        g->ids = (const uint32_t *)DEC(base, g->ids);
    }
    kb->edges = (kedge *)(base + h->o_edges);
    kb->root_child = (uint32_t *)(base + h->o_root);
    kb->nodes = (knode *)(base + h->o_nodes);
    kb->gapbits = (uint8_t *)(base + h->o_gapbits);
    memcpy(kb->prefix_first, h->prefix_first, sizeof kb->prefix_first);
    memcpy(kb->prefix_lens, h->prefix_lens, sizeof kb->prefix_lens);
    memcpy(kb->prefix_max, h->prefix_max, sizeof kb->prefix_max);
    return kb;
}

/* What the kb is built from: the files (names and contents), this
 * executable, ICU, the layout. 0 when it cannot be told (no cache). */
static uint64_t kb_key(const char *dir, char **files, size_t n)
{
    XXH3_state_t *st = XXH3_createState();
    if (!st) return 0;
    XXH3_64bits_reset(st);
    static const char ver[] = KIMG_MAGIC U_ICU_VERSION;
    XXH3_64bits_update(st, ver, sizeof ver);
    const size_t layout[] = {sizeof(kimg_hdr), sizeof(ktriple), sizeof(ekg_kb_entity), sizeof(ekg_kb_lex),
                             sizeof(ekg_kb_out), sizeof(kedge), sizeof(knode), sizeof(ekg_kb_gapform),
                             sizeof(void *)};
    XXH3_64bits_update(st, layout, sizeof layout);
    struct stat sb;
    uint64_t key = 0;
    if (stat("/proc/self/exe", &sb) != 0) goto done;
    const uint64_t exe[] = {(uint64_t)sb.st_dev, (uint64_t)sb.st_ino, (uint64_t)sb.st_size,
                            (uint64_t)sb.st_mtim.tv_sec, (uint64_t)sb.st_mtim.tv_nsec};
    XXH3_64bits_update(st, exe, sizeof exe);
    size_t dl = strlen(dir);
    for (size_t i = 0; i < n; i++) {
        const char *name = strncmp(files[i], dir, dl) == 0 ? files[i] + dl : files[i];
        XXH3_64bits_update(st, name, strlen(name) + 1);
        FILE *f = fopen(files[i], "rb");
        if (!f) goto done;
        char buf[65536];
        size_t r;
        uint64_t total = 0;
        while ((r = fread(buf, 1, sizeof buf, f)) > 0) {
            XXH3_64bits_update(st, buf, r);
            total += r;
        }
        int err = ferror(f);
        fclose(f);
        if (err) goto done;
        XXH3_64bits_update(st, &total, sizeof total);
    }
    key = XXH3_64bits_digest(st);
    if (!key) key = 1;
done:
    XXH3_freeState(st);
    return key;
}

/* The cache directory (made when missing), or 0 when there is none. */
static int cache_dir(char *out, size_t cap)
{
    const char *env = getenv("EKG_KB_CACHE");
    if (env && (!*env || !strcmp(env, "off") || !strcmp(env, "0"))) return 0;
    char parent[PATH_MAX] = "";
    if (env) snprintf(out, cap, "%s", env);
    else {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        if (xdg && *xdg == '/') snprintf(parent, sizeof parent, "%s", xdg);
        else if (home && *home == '/') snprintf(parent, sizeof parent, "%s/.cache", home);
        else return 0;
        if ((size_t)snprintf(out, cap, "%s/ekg", parent) >= cap) return 0;
        if (mkdir(parent, 0755) != 0 && errno != EEXIST) return 0;
    }
    if (mkdir(out, 0755) != 0 && errno != EEXIST) return 0;
    return 1;
}

static ekg_kb *kb_cache_load(const char *path, uint64_t key)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    char *buf = NULL;
    ekg_kb *kb = NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size < sizeof(kimg_hdr)) goto done;
    size_t len = (size_t)sb.st_size, got = 0;
    buf = malloc(len);
    if (!buf) goto done;
    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r <= 0) goto done;
        got += (size_t)r;
    }
    kb = kb_from_image(buf, len, key);
    if (kb) {
        buf = NULL;
        if (time(NULL) - sb.st_mtime > 3600) utimensat(AT_FDCWD, path, NULL, 0); /* recently used */
    }
done:
    free(buf);
    close(fd);
    return kb;
}

/* Keep the KEEP most recently used images (a load touches its image once
 * an hour), so that builds, test ontologies and edits do not pile up. */
#define KB_CACHE_KEEP 8

static void prune_cache(const char *dir, const char *keep)
{
    struct {
        time_t t;
        char name[64];
    } v[256];
    size_t n = 0;
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, "kb-", 3) != 0 || l < 8 || l >= sizeof v[0].name ||
            strcmp(e->d_name + l - 4, ".bin") != 0)
            continue;
        char p[PATH_MAX + 80];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (strcmp(p, keep) == 0 || stat(p, &sb) != 0) continue;
        if (n == sizeof v / sizeof v[0]) { /* a full table: the oldest entry goes now */
            size_t o = 0;
            for (size_t i = 1; i < n; i++)
                if (v[i].t < v[o].t) o = i;
            if (sb.st_mtime > v[o].t) {
                char q[PATH_MAX + 80];
                snprintf(q, sizeof q, "%s/%s", dir, v[o].name);
                unlink(q);
                v[o].t = sb.st_mtime;
                memcpy(v[o].name, e->d_name, l + 1);
            } else
                unlink(p);
            continue;
        }
        v[n].t = sb.st_mtime;
        memcpy(v[n].name, e->d_name, l + 1);
        n++;
    }
    closedir(d);
    /* the newest KEEP - 1 stay beside the one just written */
    while (n > KB_CACHE_KEEP - 1) {
        size_t o = 0;
        for (size_t i = 1; i < n; i++)
            if (v[i].t < v[o].t) o = i;
        char q[PATH_MAX + 80];
        snprintf(q, sizeof q, "%s/%s", dir, v[o].name);
        unlink(q);
        v[o] = v[--n];
    }
}

static void kb_cache_save(const ekg_kb *kb, const char *dir, const char *path, uint64_t key)
{
    char *img = NULL, tmp[PATH_MAX + 32];
    size_t len = 0;
    if (kb_image(kb, key, &img, &len)) return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        size_t put = 0;
        while (put < len) {
            ssize_t r = write(fd, img + put, len - put);
            if (r <= 0) break;
            put += (size_t)r;
        }
        if (close(fd) == 0 && put == len && rename(tmp, path) == 0) {
            prune_cache(dir, path);
        } else
            unlink(tmp);
    }
    free(img);
}

ekg_status ekg_kb_load(const char *dir, const ekg_sink *sink, ekg_kb **out)
{
    ekg_status st = EKG_OK;
    char **files = NULL;
    size_t nfiles = 0, capf = 0;
    raptor_world *world = NULL;
    *out = NULL;
    if (!dir) return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, "ontology", 0, "no ontology directory given");
    ekg_kb *kb = kb_new();
    if (!kb) return EKG_ERR_NOMEM;
    if (collect_ttl(dir, &files, &nfiles, &capf) || nfiles == 0) {
        st = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, dir, 0,
                        "cannot read the ontology: no *.ttl files in this directory");
        goto cleanup;
    }
    qsort(files, nfiles, sizeof *files, cmpstr);
    char cdir[PATH_MAX], cpath[PATH_MAX + 64] = "";
    uint64_t key = 0;
    if (cache_dir(cdir, sizeof cdir) && (key = kb_key(dir, files, nfiles)) != 0) {
        snprintf(cpath, sizeof cpath, "%s/kb-%016llx.bin", cdir, (unsigned long long)key);
        ekg_kb *cached = kb_cache_load(cpath, key);
        if (cached) {
            *out = cached;
            goto cleanup;
        }
    }
    world = raptor_new_world();
    if (!world || raptor_world_open(world)) {
        st = EKG_ERR_INTERNAL;
        goto cleanup;
    }
    for (size_t i = 0; i < nfiles; i++) {
        log_ctx lc = {sink, files[i], 0};
        raptor_world_set_log_handler(world, &lc, on_log);
        raptor_parser *p = raptor_new_parser(world, "turtle");
        if (!p) {
            st = EKG_ERR_INTERNAL;
            goto cleanup;
        }
        load_ctx c = {kb, 0};
        raptor_parser_set_statement_handler(p, &c, on_statement);
        unsigned char *uri_s = raptor_uri_filename_to_uri_string(files[i]);
        raptor_uri *uri = uri_s ? raptor_new_uri(world, uri_s) : NULL;
        int rc = uri ? raptor_parser_parse_file(p, uri, uri) : -1;
        if (uri) raptor_free_uri(uri);
        if (uri_s) raptor_free_memory(uri_s);
        raptor_free_parser(p);
        raptor_world_set_log_handler(world, NULL, NULL);
        if (c.oom) {
            st = EKG_ERR_NOMEM;
            goto cleanup;
        }
        if (rc || lc.errors) {
            st = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_PARSE, files[i], 0,
                            "the ontology file is not valid Turtle");
            goto cleanup;
        }
    }
    EKG_TRY(st, build(kb, sink, dir));
    if (cpath[0]) kb_cache_save(kb, cdir, cpath, key);
    /* loading state no longer needed */
    *out = kb;
    kb = NULL;
cleanup:
    if (world) raptor_free_world(world);
    for (size_t i = 0; i < nfiles; i++) free(files[i]);
    free(files);
    ekg_kb_free(kb);
    return st;
}

void ekg_kb_free(ekg_kb *kb)
{
    if (!kb) return;
    if (kb->image) {
        free(kb->image);
        free(kb);
        return;
    }
    free(kb->tr);
    xmap_free(&kb->subj);
    free(kb->ents);
    free(kb->lex);
    xmap_free(&kb->ent_by_iri);
    xmap_free(&kb->tokid);
    xmap_free(&kb->prefix);
    xmap_free(&kb->preds);
    free(kb->edges);
    free(kb->root_child);
    free(kb->nodes);
    free(kb->outs);
    free(kb->outv);
    free(kb->outn);
    free(kb->gaps);
    free(kb->gapbits);
    free(kb->endings);
    free_stemmers(kb);
    xmap_free(&kb->stemmed);
    xarena_free(&kb->arena);
    free(kb);
}

size_t ekg_kb_entity_count(const ekg_kb *kb) { return kb->nents; }
const ekg_kb_entity *ekg_kb_entity_at(const ekg_kb *kb, size_t i) { return &kb->ents[i]; }
size_t ekg_kb_lex_count(const ekg_kb *kb) { return kb->nlex; }
const ekg_kb_lex *ekg_kb_lex_at(const ekg_kb *kb, size_t i) { return &kb->lex[i]; }

size_t ekg_kb_objects(const ekg_kb *kb, const char *s, const char *p, const char **out, size_t max)
{
    size_t n = 0;
    uint32_t pv;
    if (!xmap_get(&kb->preds, p, strlen(p), &pv)) return 0; /* no triple has it */
    const char *cp = kb->tr[pv].p; /* the string every triple of p points to */
    int32_t i = first_of(kb, s);
    if (i >= 0 && !(kb->tr[i].pmask & pred_bit(pv))) return 0; /* the subject has no p */
    while (i >= 0 && kb->tr[i].p != cp) i = kb->tr[i].next;
    for (; i >= 0 && n < max; i = kb->tr[i].pnext) out[n++] = kb->tr[i].o;
    return n;
}

int ekg_kb_in_word_set(const ekg_kb *kb, const char *set, const char *lang, const char *w)
{
    uint32_t pv;
    if (!xmap_get(&kb->preds, NS("form"), strlen(NS("form")), &pv)) return 0;
    const char *form = kb->tr[pv].p;
    for (int32_t i = first_of(kb, set); i >= 0; i = kb->tr[i].next)
        if (kb->tr[i].p == form && kb->tr[i].o_lit && strcmp(kb->tr[i].o, w) == 0 &&
            (!lang || lang_eq(kb->tr[i].lang, lang)))
            return 1;
    return 0;
}

const ekg_kb_entity *ekg_kb_entity_by_iri(const ekg_kb *kb, const char *iri)
{
    uint32_t v;
    return xmap_get(&kb->ent_by_iri, iri, strlen(iri), &v) ? &kb->ents[v] : NULL;
}

const ekg_kb_entity *ekg_kb_entity_by_code(const ekg_kb *kb, const char *code)
{
    for (size_t i = 0; i < kb->nents; i++)
        if (kb->ents[i].code && strcasecmp(kb->ents[i].code, code) == 0 &&
            (kb->ents[i].kind == EKG_KIND_STATE || kb->ents[i].kind == EKG_KIND_IO))
            return &kb->ents[i];
    return NULL;
}
