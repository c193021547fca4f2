/* event_index.c — the event index (event_index.h).
 *
 * The index is one block of memory, the same whether built or mapped from
 * the cache file:
 *   header (64 bytes: magic, version, byte order, counts, generation)
 *   u32 str_off[nstr + 1]   offsets of the strings in `bytes`
 *   u32 ev_iri[nev]         string id of each event's IRI
 *   u32 ev_off[nev + 1]     each event's facts: facts[ev_off[e] .. ev_off[e+1])
 *   u32 facts[nfacts]       role << 28 | value string id, sorted per event
 *   u32 adj_off[nstr + 1]   each string's events: adj[adj_off[s] .. adj_off[s+1])
 *   u32 adj[nadj]           event << 2 | (role - AGENT)
 *   u32 ent_off[nstr + 1]   each string's own facts: ent[ent_off[s] .. ent_off[s+1])
 *   u32 ent[nent]           property << 28 | value string id, sorted
 *   u32 lout_off[nstr + 1]  each IRI's links out: lout[2 * lout_off[s] ..] as
 *   u32 lout[2 * nlink]     (predicate, object) pairs, sorted
 *   u32 lin_off[nstr + 1]   each IRI's links in: lin[2 * lin_off[o] ..] as
 *   u32 lin[2 * nlink]      (predicate, subject) pairs, sorted
 *   u32 preds[npred]        every predicate of the store (string ids, ascending)
 *   char bytes[nbytes]      NUL-terminated strings, "K" + value, sorted
 * A mapped file is checked whole (sizes, offsets, bounds, NULs) before it is
 * trusted, so a torn or foreign file is rebuilt. Reading a large file whole
 * costs as much as a query (about 10 ms per 25 MB here), so the verdict is
 * kept beside it (CACHE_NAME ".ok": the file's device, inode, size, mtime and
 * ctime) and a later process that finds the file unchanged maps it without
 * reading it. As in git's "racy index" rule, a verdict on a file whose ctime
 * is less than RACY_S before the check is not kept: a change within the
 * same timestamp tick could not be seen. */
#include "ekg/event_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "EKGEVIX"
#define VERSION 4u
#define BOM 0x01020304u
#define CACHE_NAME ".events.idx" /* a dot: generation copies skip it */
#define OK_SUFFIX ".ok"           /* the verdict of the check, beside it */
#define RACY_S 2
#define MAX_STR 0x0FFFFFFFu
#define MAX_EV 0x3FFFFFFFu

typedef struct {
    char magic[8];
    uint32_t version, bom;
    uint32_t nstr, nev, nfacts, nadj, nbytes, nent;
    uint64_t generation;
    uint32_t nlink, npred, reserved[2];
} header;

struct ekg_event_index {
    void *base;
    size_t size;
    bool mapped, checked;
    double build_ms;
    const header *h;
    const uint32_t *str_off, *ev_iri, *ev_off, *facts, *adj_off, *adj, *ent_off, *ent;
    const uint32_t *lout_off, *lout, *lin_off, *lin, *preds;
    const char *bytes;
};

static const char *const PREDS[EKG_EVIDX_NROLES] = {
    EKG_RDF_TYPE,       EKG_NS "agent", EKG_NS "participant", EKG_NS "ledBy",
    EKG_NS "target",    EKG_NS "date",  EKG_NS "place",       EKG_NS "forum",
    EKG_NS "source",    EKG_NS "confidence"};

const char *ekg_event_index_predicate(ekg_evidx_role r)
{
    return (unsigned)r < EKG_EVIDX_NROLES ? PREDS[r] : NULL;
}

static const char *const EPREDS[EKG_EVIDX_NEPROPS] = {
    EKG_RDF_TYPE,          EKG_NS "represents", EKG_NS "partOf",      EKG_SKOS "prefLabel",
    EKG_RDFS "label",      EKG_DCT "title",     EKG_SKOS "altLabel",  EKG_DCT "date"};

const char *ekg_event_index_eproperty(ekg_evidx_eprop p)
{
    return (unsigned)p < EKG_EVIDX_NEPROPS ? EPREDS[p] : NULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- layout ---------------------------------------------------------------- */

static size_t layout_size(const header *h)
{
    size_t w = 5 * ((size_t)h->nstr + 1) + h->nev + ((size_t)h->nev + 1) + h->nfacts + h->nadj +
               h->nent + 4 * (size_t)h->nlink + h->npred;
    return sizeof(header) + 4 * w + h->nbytes;
}

static void layout_set(ekg_event_index *x)
{
    const header *h = x->base;
    const uint32_t *p = (const uint32_t *)((const char *)x->base + sizeof(header));
    x->h = h;
    x->str_off = p;
    p += h->nstr + 1;
    x->ev_iri = p;
    p += h->nev;
    x->ev_off = p;
    p += h->nev + 1;
    x->facts = p;
    p += h->nfacts;
    x->adj_off = p;
    p += h->nstr + 1;
    x->adj = p;
    p += h->nadj;
    x->ent_off = p;
    p += h->nstr + 1;
    x->ent = p;
    p += h->nent;
    x->lout_off = p;
    p += h->nstr + 1;
    x->lout = p;
    p += 2 * (size_t)h->nlink;
    x->lin_off = p;
    p += h->nstr + 1;
    x->lin = p;
    p += 2 * (size_t)h->nlink;
    x->preds = p;
    p += h->npred;
    x->bytes = (const char *)p;
}

/* Whether the header is one of this version, of `gen`, for a block of `size`. */
static bool header_check(const void *base, size_t size, unsigned long gen, bool check_gen)
{
    if (size < sizeof(header)) return false;
    const header *h = base;
    if (memcmp(h->magic, MAGIC, 8) || h->version != VERSION || h->bom != BOM) return false;
    if (check_gen && h->generation != (uint64_t)gen) return false;
    return h->nstr <= MAX_STR && h->nev <= MAX_EV && layout_size(h) == size;
}

/* Whether the block is a consistent index (of `gen`, unless !check_gen). */
static bool layout_check(const void *base, size_t size, unsigned long gen, bool check_gen)
{
    if (!header_check(base, size, gen, check_gen)) return false;
    const header *h = base;
    ekg_event_index t = {.base = (void *)base};
    layout_set(&t);
    if (t.str_off[0] != 0 || t.str_off[h->nstr] != h->nbytes) return false;
    for (uint32_t i = 0; i < h->nstr; i++)
        if (t.str_off[i + 1] <= t.str_off[i] || t.str_off[i + 1] > h->nbytes ||
            t.bytes[t.str_off[i + 1] - 1] != 0)
            return false;
    for (uint32_t e = 0; e < h->nev; e++)
        if (t.ev_iri[e] >= h->nstr || (e && t.ev_iri[e] <= t.ev_iri[e - 1])) return false;
    if (t.ev_off[0] != 0 || t.ev_off[h->nev] != h->nfacts) return false;
    for (uint32_t e = 0; e < h->nev; e++)
        if (t.ev_off[e + 1] < t.ev_off[e]) return false;
    for (uint32_t f = 0; f < h->nfacts; f++)
        if ((t.facts[f] >> 28) >= EKG_EVIDX_NROLES || (t.facts[f] & MAX_STR) >= h->nstr)
            return false;
    if (t.adj_off[0] != 0 || t.adj_off[h->nstr] != h->nadj) return false;
    for (uint32_t i = 0; i < h->nstr; i++)
        if (t.adj_off[i + 1] < t.adj_off[i]) return false;
    for (uint32_t a = 0; a < h->nadj; a++)
        if ((t.adj[a] >> 2) >= h->nev) return false;
    if (t.ent_off[0] != 0 || t.ent_off[h->nstr] != h->nent) return false;
    for (uint32_t i = 0; i < h->nstr; i++)
        if (t.ent_off[i + 1] < t.ent_off[i]) return false;
    for (uint32_t f = 0; f < h->nent; f++)
        if ((t.ent[f] >> 28) >= EKG_EVIDX_NEPROPS || (t.ent[f] & MAX_STR) >= h->nstr)
            return false;
    const uint32_t *offs[2] = {t.lout_off, t.lin_off}, *links[2] = {t.lout, t.lin};
    for (int d = 0; d < 2; d++) {
        if (offs[d][0] != 0 || offs[d][h->nstr] != h->nlink) return false;
        for (uint32_t i = 0; i < h->nstr; i++)
            if (offs[d][i + 1] < offs[d][i]) return false;
        for (size_t l = 0; l < 2 * (size_t)h->nlink; l++)
            if (links[d][l] >= h->nstr) return false;
    }
    for (uint32_t i = 0; i < h->npred; i++)
        if (t.preds[i] >= h->nstr || (i && t.preds[i] <= t.preds[i - 1])) return false;
    return true;
}

/* ---- building -------------------------------------------------------------- */

typedef struct {
    char **s;     /* tmp id → "K"+value (owned) */
    uint32_t n, cap;
    uint32_t *tab; /* open addressing: tmp id + 1, 0 empty */
    uint32_t tcap;
} interner;

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool intern_grow(interner *in)
{
    uint32_t cap = in->tcap ? in->tcap * 2 : 1024;
    uint32_t *tab = calloc(cap, sizeof *tab);
    if (!tab) return false;
    for (uint32_t i = 0; i < in->n; i++) {
        uint32_t k = hash_str(in->s[i]) & (cap - 1);
        while (tab[k]) k = (k + 1) & (cap - 1);
        tab[k] = i + 1;
    }
    free(in->tab);
    in->tab = tab;
    in->tcap = cap;
    return true;
}

/* The tmp id of "K"+value, inserting it; UINT32_MAX on out of memory. */
static uint32_t intern(interner *in, char kind, const char *value)
{
    size_t len = strlen(value);
    char stackbuf[512];
    char *key = len + 2 <= sizeof stackbuf ? stackbuf : malloc(len + 2);
    if (!key) return UINT32_MAX;
    key[0] = kind;
    memcpy(key + 1, value, len + 1);
    uint32_t id = UINT32_MAX;
    if ((in->n + 1) * 2 > in->tcap && !intern_grow(in)) goto done;
    uint32_t k = hash_str(key) & (in->tcap - 1);
    while (in->tab[k]) {
        if (!strcmp(in->s[in->tab[k] - 1], key)) {
            id = in->tab[k] - 1;
            goto done;
        }
        k = (k + 1) & (in->tcap - 1);
    }
    if (in->n >= MAX_STR) goto done;
    if (in->n == in->cap) {
        uint32_t cap = in->cap ? in->cap * 2 : 1024;
        char **s = realloc(in->s, cap * sizeof *s);
        if (!s) goto done;
        in->s = s;
        in->cap = cap;
    }
    if (!(in->s[in->n] = strdup(key))) goto done;
    in->tab[k] = in->n + 1;
    id = in->n++;
done:
    if (key != stackbuf) free(key);
    return id;
}

static uint32_t intern_find(const interner *in, const char *key)
{
    if (!in->tcap) return UINT32_MAX;
    uint32_t k = hash_str(key) & (in->tcap - 1);
    while (in->tab[k]) {
        if (!strcmp(in->s[in->tab[k] - 1], key)) return in->tab[k] - 1;
        k = (k + 1) & (in->tcap - 1);
    }
    return UINT32_MAX;
}

typedef struct {
    uint32_t s, v, role;
} rawfact;

typedef struct {
    interner in;
    uint8_t *flag; /* per tmp id: 1 event class, 2 event subject, 4 predicate */
    uint32_t flagcap;
    rawfact *f;
    size_t nf, fcap;
    rawfact *ef; /* facts about strings: s, value, eprop */
    size_t nef, efcap;
    rawfact *lk; /* IRI links: s, o, predicate (in .role) */
    size_t nlk, lkcap;
    uint32_t *pairs; /* subClassOf: child, parent */
    size_t npairs, pcap;
    uint32_t lastp[4]; /* the last predicates seen by on_link */
    unsigned nlastp;
    int role;
    ekg_status err;
} builder;

static bool flag_fit(builder *b)
{
    if (b->in.n <= b->flagcap) return true;
    uint32_t cap = b->flagcap ? b->flagcap : 1024;
    while (cap < b->in.n) cap *= 2;
    uint8_t *f = realloc(b->flag, cap);
    if (!f) return false;
    memset(f + b->flagcap, 0, cap - b->flagcap);
    b->flag = f;
    b->flagcap = cap;
    return true;
}

static bool push_raw(rawfact **v, size_t *n, size_t *cap, rawfact f)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4096;
        rawfact *nv = realloc(*v, c * sizeof *nv);
        if (!nv) return false;
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = f;
    return true;
}

/* The tmp id of an IRI already interned, or UINT32_MAX. */
static uint32_t find_iri(const interner *in, const char *iri)
{
    char stackbuf[512];
    size_t len = strlen(iri);
    char *key = len + 2 <= sizeof stackbuf ? stackbuf : malloc(len + 2);
    if (!key) return UINT32_MAX;
    key[0] = 'I';
    memcpy(key + 1, iri, len + 1);
    uint32_t id = intern_find(in, key);
    if (key != stackbuf) free(key);
    return id;
}

static char kind_char(ekg_term_kind k)
{
    return k == EKG_TERM_IRI ? 'I' : k == EKG_TERM_BLANK ? 'B' : 'L';
}

static int on_subclass(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    builder *b = vc;
    if (t->s.kind != EKG_TERM_IRI || t->o.kind != EKG_TERM_IRI) return 0;
    uint32_t c = intern(&b->in, 'I', t->s.value), p = intern(&b->in, 'I', t->o.value);
    if (c == UINT32_MAX || p == UINT32_MAX || !flag_fit(b)) goto nomem;
    if (b->npairs + 2 > b->pcap) {
        size_t cap = b->pcap ? b->pcap * 2 : 256;
        uint32_t *v = realloc(b->pairs, cap * sizeof *v);
        if (!v) goto nomem;
        b->pairs = v;
        b->pcap = cap;
    }
    b->pairs[b->npairs++] = c;
    b->pairs[b->npairs++] = p;
    return 0;
nomem:
    b->err = EKG_ERR_NOMEM;
    return 1;
}

static int on_fact(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    builder *b = vc;
    if (t->s.kind != EKG_TERM_IRI || !t->o.value) return 0;
    uint32_t s, v;
    if (b->role == EKG_EVIDX_TYPE) {
        if (t->o.kind != EKG_TERM_IRI) return 0;
        v = find_iri(&b->in, t->o.value);
        bool event = v != UINT32_MAX && (b->flag[v] & 1);
        s = event ? intern(&b->in, 'I', t->s.value) : find_iri(&b->in, t->s.value);
        if (event && s == UINT32_MAX) goto nomem;
        if (s == UINT32_MAX) return 0; /* neither an event nor a string of the index */
        if (v == UINT32_MAX && (v = intern(&b->in, 'I', t->o.value)) == UINT32_MAX) goto nomem;
        if (!flag_fit(b)) goto nomem;
        if (!push_raw(&b->ef, &b->nef, &b->efcap, (rawfact){s, v, EKG_EVIDX_E_TYPE})) goto nomem;
        if (!event) return 0;
        b->flag[s] |= 2;
    } else if (b->role <= EKG_EVIDX_TARGET) {
        if ((s = intern(&b->in, 'I', t->s.value)) == UINT32_MAX) goto nomem;
        if ((v = intern(&b->in, kind_char(t->o.kind), t->o.value)) == UINT32_MAX) goto nomem;
        if (!flag_fit(b)) goto nomem;
        b->flag[s] |= 2;
    } else {
        /* Facts of events only: look the subject up without inserting. */
        s = find_iri(&b->in, t->s.value);
        if (s == UINT32_MAX || !(b->flag[s] & 2)) return 0;
        if ((v = intern(&b->in, kind_char(t->o.kind), t->o.value)) == UINT32_MAX) goto nomem;
        if (!flag_fit(b)) goto nomem;
    }
    if (!push_raw(&b->f, &b->nf, &b->fcap, (rawfact){s, v, (uint32_t)b->role})) goto nomem;
    return 0;
nomem:
    b->err = EKG_ERR_NOMEM;
    return 1;
}

/* Facts about strings: represents/partOf add both ends; the others only
 * describe strings the index already has. */
static int on_efact(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    builder *b = vc;
    if (t->s.kind != EKG_TERM_IRI || !t->o.value) return 0;
    int p = b->role;
    uint32_t s, v;
    if (p == EKG_EVIDX_E_REPRESENTS || p == EKG_EVIDX_E_PARTOF) {
        if ((s = intern(&b->in, 'I', t->s.value)) == UINT32_MAX) goto nomem;
    } else if ((s = find_iri(&b->in, t->s.value)) == UINT32_MAX)
        return 0;
    if (p >= EKG_EVIDX_E_PREFLABEL && p <= EKG_EVIDX_E_ALTLABEL) {
        if (t->o.kind != EKG_TERM_LITERAL) return 0;
        const char *lang = t->o.lang ? t->o.lang : "";
        size_t n = strlen(lang) + strlen(t->o.value) + 2;
        char *buf = malloc(n);
        if (!buf) goto nomem;
        snprintf(buf, n, "%s\t%s", lang, t->o.value);
        v = intern(&b->in, 'T', buf);
        free(buf);
    } else
        v = intern(&b->in, kind_char(t->o.kind), t->o.value);
    if (v == UINT32_MAX || !flag_fit(b)) goto nomem;
    if (!push_raw(&b->ef, &b->nef, &b->efcap, (rawfact){s, v, (uint32_t)p})) goto nomem;
    return 0;
nomem:
    b->err = EKG_ERR_NOMEM;
    return 1;
}

/* Every link between two IRIs but rdf:type, for neighbors; and every
 * predicate, for describe. */
static int on_link(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    builder *b = vc;
    if (t->p.kind != EKG_TERM_IRI) return 0;
    /* Quads come grouped by subject, not predicate: remember the last few. */
    uint32_t p = UINT32_MAX;
    for (int i = 0; i < 4 && p == UINT32_MAX; i++)
        if (b->lastp[i] != UINT32_MAX && !strcmp(b->in.s[b->lastp[i]] + 1, t->p.value))
            p = b->lastp[i];
    if (p == UINT32_MAX) {
        if ((p = intern(&b->in, 'I', t->p.value)) == UINT32_MAX || !flag_fit(b)) goto nomem;
        b->flag[p] |= 4;
        b->lastp[b->nlastp++ & 3] = p;
    }
    if (t->s.kind != EKG_TERM_IRI || t->o.kind != EKG_TERM_IRI || !strcmp(t->p.value, EKG_RDF_TYPE))
        return 0;
    uint32_t s = intern(&b->in, 'I', t->s.value), o = intern(&b->in, 'I', t->o.value);
    if (s == UINT32_MAX || o == UINT32_MAX || !flag_fit(b) ||
        !push_raw(&b->lk, &b->nlk, &b->lkcap, (rawfact){s, o, p}))
        goto nomem;
    return 0;
nomem:
    b->err = EKG_ERR_NOMEM;
    return 1;
}

static int cmp_link_out(const void *a, const void *b)
{
    const rawfact *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    if (x->role != y->role) return x->role < y->role ? -1 : 1;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return 0;
}

static int cmp_link_in(const void *a, const void *b)
{
    const rawfact *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    if (x->role != y->role) return x->role < y->role ? -1 : 1;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    return 0;
}

typedef struct {
    const char *s;
    uint32_t id;
} strref;

static int cmp_strref(const void *a, const void *b)
{
    return strcmp(((const strref *)a)->s, ((const strref *)b)->s);
}

static int cmp_fact(const void *a, const void *b)
{
    const rawfact *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    if (x->role != y->role) return x->role < y->role ? -1 : 1;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return 0;
}

static void builder_clear(builder *b)
{
    for (uint32_t i = 0; i < b->in.n; i++) free(b->in.s[i]);
    free(b->in.s);
    free(b->in.tab);
    free(b->flag);
    free(b->f);
    free(b->ef);
    free(b->lk);
    free(b->pairs);
}

static ekg_status scan(ekg_store *st, builder *b, const char *pred, ekg_quad_fn fn)
{
    ekg_term p = ekg_iri(pred);
    ekg_status s = ekg_store_match(st, NULL, &p, NULL, NULL, fn, b);
    return b->err ? b->err : s;
}

ekg_status ekg_event_index_build(ekg_store *st, const ekg_sink *sink, ekg_event_index **out)
{
    ekg_status s = EKG_OK;
    double t0 = now_ms();
    builder b = {0};
    uint32_t *order = NULL, *rank = NULL, *evno = NULL;
    strref *refs = NULL;
    ekg_event_index *x = NULL;
    *out = NULL;
    /* 1. The event classes: ekg:Event and its subclasses. */
    uint32_t ev_root = intern(&b.in, 'I', EKG_NS "Event");
    if (ev_root == UINT32_MAX || !flag_fit(&b)) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    EKG_TRY(s, scan(st, &b, EKG_RDFS "subClassOf", on_subclass));
    b.flag[ev_root] |= 1;
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < b.npairs; i += 2)
            if ((b.flag[b.pairs[i + 1]] & 1) && !(b.flag[b.pairs[i]] & 1)) {
                b.flag[b.pairs[i]] |= 1;
                grew = true;
            }
    }
    /* 2. Roles, the links between actors, types, the facts of the events
     * found, then labels and dates of every string held. */
    for (int r = EKG_EVIDX_AGENT; r <= EKG_EVIDX_TARGET; r++) {
        b.role = r;
        EKG_TRY(s, scan(st, &b, PREDS[r], on_fact));
    }
    for (int r = EKG_EVIDX_E_REPRESENTS; r <= EKG_EVIDX_E_PARTOF; r++) {
        b.role = r;
        EKG_TRY(s, scan(st, &b, EPREDS[r], on_efact));
    }
    b.role = EKG_EVIDX_TYPE;
    EKG_TRY(s, scan(st, &b, PREDS[EKG_EVIDX_TYPE], on_fact));
    for (int r = EKG_EVIDX_DATE; r < EKG_EVIDX_NROLES; r++) {
        b.role = r;
        EKG_TRY(s, scan(st, &b, PREDS[r], on_fact));
    }
    /* Every IRI link (one pass over the store, for neighbors), before the
     * labels so that the IRIs it brings get theirs. */
    for (int i = 0; i < 4; i++) b.lastp[i] = UINT32_MAX;
    {
        ekg_status ls = ekg_store_match(st, NULL, NULL, NULL, NULL, on_link, &b);
        EKG_TRY(s, b.err ? b.err : ls);
    }
    for (int r = EKG_EVIDX_E_PREFLABEL; r < EKG_EVIDX_NEPROPS; r++) {
        b.role = r;
        EKG_TRY(s, scan(st, &b, EPREDS[r], on_efact));
    }
    /* 3. Strings in strcmp order; events in the order of their IRIs. */
    uint32_t nstr = b.in.n;
    order = malloc((nstr + 1) * sizeof *order);
    rank = malloc((nstr + 1) * sizeof *rank);
    evno = malloc((nstr + 1) * sizeof *evno);
    refs = malloc((nstr + 1) * sizeof *refs);
    if (!order || !rank || !evno || !refs) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (uint32_t i = 0; i < nstr; i++) refs[i] = (strref){b.in.s[i], i};
    qsort(refs, nstr, sizeof *refs, cmp_strref);
    for (uint32_t i = 0; i < nstr; i++) order[i] = refs[i].id;
    size_t nbytes = 0;
    uint32_t nev = 0, npred = 0;
    for (uint32_t i = 0; i < nstr; i++) {
        rank[order[i]] = i;
        nbytes += strlen(b.in.s[order[i]]) + 1;
        evno[order[i]] = (b.flag[order[i]] & 2) ? nev++ : UINT32_MAX;
        npred += (b.flag[order[i]] & 4) != 0;
    }
    if (nbytes > UINT32_MAX || nev > MAX_EV) {
        s = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_LIMIT, ekg_store_spec(st), 0,
                       "too many events or strings for the event index");
        goto cleanup;
    }
    for (size_t i = 0; i < b.nf; i++) {
        b.f[i].s = evno[b.f[i].s];
        b.f[i].v = rank[b.f[i].v];
    }
    if (b.nf > 1) qsort(b.f, b.nf, sizeof *b.f, cmp_fact);
    size_t nf = 0;
    for (size_t i = 0; i < b.nf; i++)
        if (!nf || cmp_fact(&b.f[nf - 1], &b.f[i])) b.f[nf++] = b.f[i];
    size_t nadj = 0;
    for (size_t i = 0; i < nf; i++)
        if (b.f[i].role >= EKG_EVIDX_AGENT && b.f[i].role <= EKG_EVIDX_TARGET) nadj++;
    for (size_t i = 0; i < b.nef; i++) {
        b.ef[i].s = rank[b.ef[i].s];
        b.ef[i].v = rank[b.ef[i].v];
    }
    if (b.nef > 1) qsort(b.ef, b.nef, sizeof *b.ef, cmp_fact);
    size_t nent = 0;
    for (size_t i = 0; i < b.nef; i++)
        if (!nent || cmp_fact(&b.ef[nent - 1], &b.ef[i])) b.ef[nent++] = b.ef[i];
    for (size_t i = 0; i < b.nlk; i++) {
        b.lk[i].s = rank[b.lk[i].s];
        b.lk[i].v = rank[b.lk[i].v];
        b.lk[i].role = rank[b.lk[i].role];
    }
    if (b.nlk > 1) qsort(b.lk, b.nlk, sizeof *b.lk, cmp_link_out);
    size_t nlink = 0;
    for (size_t i = 0; i < b.nlk; i++)
        if (!nlink || cmp_link_out(&b.lk[nlink - 1], &b.lk[i])) b.lk[nlink++] = b.lk[i];
    if (nf > UINT32_MAX || nadj > UINT32_MAX || nent > UINT32_MAX || nlink > UINT32_MAX / 2) {
        s = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_LIMIT, ekg_store_spec(st), 0,
                       "too many facts for the event index");
        goto cleanup;
    }
    /* 4. The block. */
    header h = {.version = VERSION, .bom = BOM, .nstr = nstr, .nev = nev,
                .nfacts = (uint32_t)nf, .nadj = (uint32_t)nadj, .nbytes = (uint32_t)nbytes,
                .nent = (uint32_t)nent, .nlink = (uint32_t)nlink, .npred = npred,
                .generation = ekg_store_generation(st)};
    memcpy(h.magic, MAGIC, 8);
    size_t size = layout_size(&h);
    if (!(x = calloc(1, sizeof *x)) || !(x->base = calloc(1, size))) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    x->size = size;
    memcpy(x->base, &h, sizeof h);
    layout_set(x);
    uint32_t *str_off = (uint32_t *)x->str_off, *ev_iri = (uint32_t *)x->ev_iri,
             *ev_off = (uint32_t *)x->ev_off, *facts = (uint32_t *)x->facts,
             *adj_off = (uint32_t *)x->adj_off, *adj = (uint32_t *)x->adj;
    char *bytes = (char *)x->bytes;
    size_t off = 0;
    for (uint32_t i = 0; i < nstr; i++) {
        const char *str = b.in.s[order[i]];
        size_t len = strlen(str) + 1;
        str_off[i] = (uint32_t)off;
        memcpy(bytes + off, str, len);
        off += len;
        if (evno[order[i]] != UINT32_MAX) ev_iri[evno[order[i]]] = i;
    }
    str_off[nstr] = (uint32_t)off;
    size_t k = 0;
    for (uint32_t e = 0; e < nev; e++) {
        ev_off[e] = (uint32_t)k;
        while (k < nf && b.f[k].s == e) {
            facts[k] = b.f[k].role << 28 | b.f[k].v;
            k++;
        }
    }
    ev_off[nev] = (uint32_t)k;
    /* Adjacency by counting: facts are in event order, so each list is too. */
    for (size_t i = 0; i < nf; i++)
        if (b.f[i].role >= EKG_EVIDX_AGENT && b.f[i].role <= EKG_EVIDX_TARGET) adj_off[b.f[i].v + 1]++;
    for (uint32_t i = 0; i < nstr; i++) adj_off[i + 1] += adj_off[i];
    memset(rank, 0, (nstr + 1) * sizeof *rank); /* reused: fill positions */
    for (size_t i = 0; i < nf; i++)
        if (b.f[i].role >= EKG_EVIDX_AGENT && b.f[i].role <= EKG_EVIDX_TARGET) {
            uint32_t v = b.f[i].v;
            adj[adj_off[v] + rank[v]++] = b.f[i].s << 2 | (b.f[i].role - EKG_EVIDX_AGENT);
        }
    uint32_t *ent_off = (uint32_t *)x->ent_off, *ent = (uint32_t *)x->ent;
    k = 0;
    for (uint32_t i = 0; i < nstr; i++) {
        ent_off[i] = (uint32_t)k;
        while (k < nent && b.ef[k].s == i) {
            ent[k] = b.ef[k].role << 28 | b.ef[k].v;
            k++;
        }
    }
    ent_off[nstr] = (uint32_t)k;
    /* Links out (sorted by subject), then in (re-sorted by object). */
    uint32_t *lo_off = (uint32_t *)x->lout_off, *lo = (uint32_t *)x->lout,
             *li_off = (uint32_t *)x->lin_off, *li = (uint32_t *)x->lin;
    k = 0;
    for (uint32_t i = 0; i < nstr; i++) {
        lo_off[i] = (uint32_t)k;
        for (; k < nlink && b.lk[k].s == i; k++) {
            lo[2 * k] = b.lk[k].role;
            lo[2 * k + 1] = b.lk[k].v;
        }
    }
    lo_off[nstr] = (uint32_t)k;
    if (nlink > 1) qsort(b.lk, nlink, sizeof *b.lk, cmp_link_in);
    k = 0;
    for (uint32_t i = 0; i < nstr; i++) {
        li_off[i] = (uint32_t)k;
        for (; k < nlink && b.lk[k].v == i; k++) {
            li[2 * k] = b.lk[k].role;
            li[2 * k + 1] = b.lk[k].s;
        }
    }
    li_off[nstr] = (uint32_t)k;
    uint32_t *preds = (uint32_t *)x->preds;
    k = 0;
    for (uint32_t i = 0; i < nstr; i++)
        if (b.flag[order[i]] & 4) preds[k++] = i;
    x->build_ms = now_ms() - t0;
cleanup:
    builder_clear(&b);
    free(refs);
    free(order);
    free(rank);
    free(evno);
    if (s) {
        ekg_event_index_free(x);
        return s;
    }
    *out = x;
    return EKG_OK;
}

/* ---- file ------------------------------------------------------------------ */

/* The verdict of a whole check, bound to the file's identity. */
typedef struct {
    char magic[8];
    uint64_t dev, ino, size, generation;
    int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
} verdict;

static void verdict_of(const struct stat *sb, unsigned long gen, verdict *v)
{
    memset(v, 0, sizeof *v);
    memcpy(v->magic, "EKGIXOK", 8);
    v->dev = (uint64_t)sb->st_dev;
    v->ino = (uint64_t)sb->st_ino;
    v->size = (uint64_t)sb->st_size;
    v->generation = (uint64_t)gen;
    v->mtime_s = (int64_t)sb->st_mtim.tv_sec;
    v->mtime_ns = (int64_t)sb->st_mtim.tv_nsec;
    v->ctime_s = (int64_t)sb->st_ctim.tv_sec;
    v->ctime_ns = (int64_t)sb->st_ctim.tv_nsec;
}

static char *verdict_path(const char *path)
{
    size_t n = strlen(path) + sizeof OK_SUFFIX;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s%s", path, OK_SUFFIX);
    return p;
}

/* Whether a kept verdict says this very file was checked whole. */
static bool verdict_holds(const char *path, const struct stat *sb, unsigned long gen)
{
    char *vp = verdict_path(path);
    if (!vp) return false;
    verdict want, have;
    verdict_of(sb, gen, &want);
    int fd = open(vp, O_RDONLY | O_CLOEXEC);
    free(vp);
    if (fd < 0) return false;
    ssize_t n = read(fd, &have, sizeof have);
    close(fd);
    return n == (ssize_t)sizeof have && !memcmp(&want, &have, sizeof have);
}

/* Keep the verdict of a whole check, unless the file changed too recently
 * for its timestamps to tell a later change apart. Best effort. */
static void verdict_keep(const char *path, const struct stat *sb, unsigned long gen)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec - sb->st_ctim.tv_sec < RACY_S || now.tv_sec - sb->st_mtim.tv_sec < RACY_S)
        return;
    char *vp = verdict_path(path);
    size_t n = vp ? strlen(vp) + 32 : 0;
    char *tmp = vp ? malloc(n) : NULL;
    if (!tmp) {
        free(vp);
        return;
    }
    snprintf(tmp, n, "%s.tmp.%ld", vp, (long)getpid());
    verdict v;
    verdict_of(sb, gen, &v);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && write(fd, &v, sizeof v) == (ssize_t)sizeof v;
    if (fd >= 0 && close(fd) != 0) ok = false;
    if (!ok || rename(tmp, vp) != 0) unlink(tmp);
    free(tmp);
    free(vp);
}

ekg_status ekg_event_index_save(const ekg_event_index *x, const char *path, const ekg_sink *sink)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) return EKG_ERR_NOMEM;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ekg_status s = EKG_OK;
    if (fd < 0) {
        s = ekg_report(sink, EKG_LOG_NOTE, EKG_ERR_IO, path, 0,
                       "cannot write the event index: %s", strerror(errno));
        goto done;
    }
    const char *p = x->base;
    size_t left = x->size;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        p += w;
        left -= (size_t)w;
    }
    bool ok = left == 0 && fsync(fd) == 0;
    if (close(fd) != 0) ok = false;
    char *vp = verdict_path(path); /* a verdict on the file replaced */
    if (vp) unlink(vp);
    free(vp);
    if (!ok || rename(tmp, path) != 0) {
        s = ekg_report(sink, EKG_LOG_NOTE, EKG_ERR_IO, path, 0,
                       "cannot write the event index: %s", strerror(errno));
        unlink(tmp);
    }
done:
    free(tmp);
    return s;
}

ekg_status ekg_event_index_load(const char *path, unsigned long generation,
                                const ekg_sink *sink, ekg_event_index **out)
{
    (void)sink;
    *out = NULL;
    double t0 = now_ms();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? EKG_ERR_NOTFOUND : EKG_ERR_IO;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || sb.st_size < (off_t)sizeof(header)) {
        close(fd);
        return EKG_ERR_PARSE;
    }
    size_t size = (size_t)sb.st_size;
    /* Checked before and unchanged since: map it, and let the pages a query
     * touches come in. Else read it whole now (one fault-in) and check it. */
    bool trusted = verdict_holds(path, &sb, generation);
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    if (!trusted) flags |= MAP_POPULATE;
#endif
    void *base = mmap(NULL, size, PROT_READ, flags, fd, 0);
    close(fd);
    if (base == MAP_FAILED) return EKG_ERR_IO;
    if (trusted ? !header_check(base, size, generation, true)
                : !layout_check(base, size, generation, true)) {
        munmap(base, size);
        return EKG_ERR_PARSE;
    }
    if (!trusted) verdict_keep(path, &sb, generation);
    ekg_event_index *x = calloc(1, sizeof *x);
    if (!x) {
        munmap(base, size);
        return EKG_ERR_NOMEM;
    }
    x->base = base;
    x->size = size;
    x->mapped = true;
    x->checked = !trusted;
    layout_set(x);
    x->build_ms = now_ms() - t0;
    *out = x;
    return EKG_OK;
}

ekg_status ekg_event_index_open(ekg_store *st, const ekg_sink *sink, ekg_event_index **out)
{
    *out = NULL;
    const char *dir = ekg_store_cache_dir(st);
    char *path = NULL;
    if (dir) {
        size_t n = strlen(dir) + sizeof CACHE_NAME + 2;
        if (!(path = malloc(n))) return EKG_ERR_NOMEM;
        snprintf(path, n, "%s/%s", dir, CACHE_NAME);
        if (ekg_event_index_load(path, ekg_store_generation(st), sink, out) == EKG_OK) {
            free(path);
            return EKG_OK;
        }
    }
    ekg_status s = ekg_event_index_build(st, sink, out);
    if (!s && path) ekg_event_index_save(*out, path, sink); /* a note at worst */
    free(path);
    return s;
}

void ekg_event_index_free(ekg_event_index *x)
{
    if (!x) return;
    if (x->mapped)
        munmap(x->base, x->size);
    else
        free(x->base);
    free(x);
}

void ekg_event_index_info(const ekg_event_index *x, ekg_evidx_info *info)
{
    info->events = x->h->nev;
    info->strings = x->h->nstr;
    info->facts = x->h->nfacts;
    info->adjacency = x->h->nadj;
    info->bytes = x->size;
    info->from_cache = x->mapped;
    info->checked = x->checked;
    info->build_ms = x->build_ms;
}

/* ---- look-ups -------------------------------------------------------------- */

uint32_t ekg_event_index_nstrings(const ekg_event_index *x) { return x->h->nstr; }

const char *ekg_event_index_string(const ekg_event_index *x, uint32_t id)
{
    return x->bytes + x->str_off[id];
}

/* strcmp("K"+value, s) without building the key. */
static int cmp_key(char kind, const char *value, const char *s)
{
    if ((unsigned char)kind != (unsigned char)s[0])
        return (unsigned char)kind < (unsigned char)s[0] ? -1 : 1;
    return strcmp(value, s + 1);
}

bool ekg_event_index_find(const ekg_event_index *x, ekg_term_kind kind, const char *value,
                          uint32_t *id)
{
    char k = kind_char(kind);
    uint32_t lo = 0, hi = x->h->nstr;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(k, value, x->bytes + x->str_off[mid]);
        if (c == 0) {
            *id = mid;
            return true;
        }
        if (c > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

uint32_t ekg_event_index_nevents(const ekg_event_index *x) { return x->h->nev; }

uint32_t ekg_event_index_event_iri(const ekg_event_index *x, uint32_t ev) { return x->ev_iri[ev]; }

bool ekg_event_index_event_find(const ekg_event_index *x, const char *iri, uint32_t *ev)
{
    uint32_t id;
    if (!ekg_event_index_find(x, EKG_TERM_IRI, iri, &id)) return false;
    /* Events are in string order: binary search on their string ids. */
    uint32_t lo = 0, hi = x->h->nev;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (x->ev_iri[mid] == id) {
            *ev = mid;
            return true;
        }
        if (x->ev_iri[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

size_t ekg_event_index_values(const ekg_event_index *x, uint32_t ev, ekg_evidx_role r,
                              const uint32_t **vals)
{
    uint32_t a = x->ev_off[ev], b = x->ev_off[ev + 1];
    while (a < b && (x->facts[a] >> 28) < (uint32_t)r) a++;
    uint32_t e = a;
    while (e < b && (x->facts[e] >> 28) == (uint32_t)r) e++;
    *vals = x->facts + a;
    return e - a;
}

size_t ekg_event_index_entity_values(const ekg_event_index *x, uint32_t id, ekg_evidx_eprop p,
                                     const uint32_t **vals)
{
    if (id >= x->h->nstr) {
        *vals = NULL;
        return 0;
    }
    uint32_t a = x->ent_off[id], b = x->ent_off[id + 1];
    while (a < b && (x->ent[a] >> 28) < (uint32_t)p) a++;
    uint32_t e = a;
    while (e < b && (x->ent[e] >> 28) == (uint32_t)p) e++;
    *vals = x->ent + a;
    return e - a;
}

size_t ekg_event_index_links(const ekg_event_index *x, uint32_t id, bool out,
                             const uint32_t **pairs)
{
    if (id >= x->h->nstr) {
        *pairs = NULL;
        return 0;
    }
    const uint32_t *off = out ? x->lout_off : x->lin_off;
    *pairs = (out ? x->lout : x->lin) + 2 * (size_t)off[id];
    return off[id + 1] - off[id];
}

size_t ekg_event_index_predicates(const ekg_event_index *x, const uint32_t **ids)
{
    *ids = x->preds;
    return x->h->npred;
}

size_t ekg_event_index_events_of(const ekg_event_index *x, uint32_t id, const uint32_t **entries)
{
    if (id >= x->h->nstr) {
        *entries = NULL;
        return 0;
    }
    *entries = x->adj + x->adj_off[id];
    return x->adj_off[id + 1] - x->adj_off[id];
}
