/* shacl.c — SHACL Core validation over ekg stores.
 *
 * Terms met in either graph are interned into dense ids (tid), so value-node
 * sets are arrays of integers and per-term caches are plain arrays. Shapes are
 * compiled once from the shapes graph (parameters, paths, lists, regular
 * expressions) and then evaluated against the data graph through the store's
 * indexed walks (ekg_store_targets / _sources / _match). */
#include "ekg/shacl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>

typedef uint32_t tid; /* 0 = no term */

/* ---- small containers ---------------------------------------------------- */

typedef struct {
    tid *v;
    size_t n, cap;
} idvec;

static int vec_push(idvec *a, tid x)
{
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 8;
        tid *nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) return -1;
        a->v = nv;
        a->cap = nc;
    }
    a->v[a->n++] = x;
    return 0;
}

static void vec_free(idvec *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static int cmp_tid(const void *a, const void *b)
{
    tid x = *(const tid *)a, y = *(const tid *)b;
    return (x > y) - (x < y);
}

static void vec_uniq(idvec *a)
{
    if (a->n < 2) return;
    qsort(a->v, a->n, sizeof *a->v, cmp_tid);
    size_t j = 1;
    for (size_t i = 1; i < a->n; i++)
        if (a->v[i] != a->v[j - 1]) a->v[j++] = a->v[i];
    a->n = j;
}

/* Membership in a vector sorted by vec_uniq. */
static bool vec_has(const idvec *a, tid x)
{
    return a->n && bsearch(&x, a->v, a->n, sizeof *a->v, cmp_tid) != NULL;
}

/* Open-addressing set of tids (for walks over closures). */
typedef struct {
    tid *slot;
    size_t cap, n;
} idset;

static int set_add(idset *s, tid x, bool *added)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        tid *ns = calloc(nc, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i]) continue;
            size_t h = (s->slot[i] * 2654435761u) & (nc - 1);
            while (ns[h]) h = (h + 1) & (nc - 1);
            ns[h] = s->slot[i];
        }
        free(s->slot);
        s->slot = ns;
        s->cap = nc;
    }
    size_t h = (x * 2654435761u) & (s->cap - 1);
    while (s->slot[h]) {
        if (s->slot[h] == x) {
            if (added) *added = false;
            return 0;
        }
        h = (h + 1) & (s->cap - 1);
    }
    s->slot[h] = x;
    s->n++;
    if (added) *added = true;
    return 0;
}

static void set_free(idset *s)
{
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
}

/* ---- term interning ------------------------------------------------------ */

typedef struct {
    ekg_term_kind kind;
    char *v, *lang, *dt;
    uint64_t h;
} tnode;

typedef struct {
    tnode *t; /* t[0] unused */
    size_t n, cap;
    tid *slot;
    size_t nslot;
} ttab;

static uint64_t fnv(uint64_t h, const char *s)
{
    if (!s) return h * 1099511628211u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (h ^ 0xff) * 1099511628211u;
}

static bool seq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static char *dup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Intern a term; returns 0 on NOMEM or for EKG_TERM_NONE. xsd:string
 * literals are normalised to plain literals. */
static tid intern(ttab *tt, const ekg_term *t)
{
    if (!t || t->kind == EKG_TERM_NONE || !t->value) return 0;
    const char *lang = (t->kind == EKG_TERM_LITERAL && t->lang && *t->lang) ? t->lang : NULL;
    const char *dt = (t->kind == EKG_TERM_LITERAL && !lang) ? t->datatype : NULL;
    if (dt && !strcmp(dt, EKG_XSD "string")) dt = NULL;
    uint64_t h = fnv(fnv(fnv(14695981039346656037u ^ (uint64_t)t->kind, t->value), lang), dt);
    if ((tt->n + 1) * 2 > tt->nslot) {
        size_t nc = tt->nslot ? tt->nslot * 2 : 1024;
        tid *ns = calloc(nc, sizeof *ns);
        if (!ns) return 0;
        for (size_t i = 0; i < tt->nslot; i++) {
            if (!tt->slot[i]) continue;
            size_t k = tt->t[tt->slot[i]].h & (nc - 1);
            while (ns[k]) k = (k + 1) & (nc - 1);
            ns[k] = tt->slot[i];
        }
        free(tt->slot);
        tt->slot = ns;
        tt->nslot = nc;
    }
    size_t k = h & (tt->nslot - 1);
    while (tt->slot[k]) {
        tnode *x = &tt->t[tt->slot[k]];
        if (x->h == h && x->kind == t->kind && !strcmp(x->v, t->value) && seq(x->lang, lang) &&
            seq(x->dt, dt))
            return tt->slot[k];
        k = (k + 1) & (tt->nslot - 1);
    }
    if (tt->n + 1 >= tt->cap) {
        size_t nc = tt->cap ? tt->cap * 2 : 1024;
        tnode *nt = realloc(tt->t, nc * sizeof *nt);
        if (!nt) return 0;
        tt->t = nt;
        tt->cap = nc;
        if (tt->n == 0) tt->n = 1; /* reserve id 0 */
    }
    tnode *x = &tt->t[tt->n];
    x->kind = t->kind;
    x->h = h;
    x->v = dup(t->value);
    x->lang = dup(lang);
    x->dt = dup(dt);
    if (!x->v || (lang && !x->lang) || (dt && !x->dt)) {
        free(x->v);
        free(x->lang);
        free(x->dt);
        return 0;
    }
    tt->slot[k] = (tid)tt->n;
    return (tid)tt->n++;
}

static void ttab_free(ttab *tt)
{
    for (size_t i = 1; i < tt->n; i++) {
        free(tt->t[i].v);
        free(tt->t[i].lang);
        free(tt->t[i].dt);
    }
    free(tt->t);
    free(tt->slot);
}

static ekg_term term_at(const ttab *tt, tid id)
{
    if (!id) return (ekg_term){EKG_TERM_NONE, NULL, NULL, NULL};
    const tnode *x = &tt->t[id];
    return (ekg_term){x->kind, x->v, x->lang, x->dt};
}

/* ---- vocabulary (table-driven) ------------------------------------------- */

enum {
    K_TYPE, K_SUBCLASS, K_CLASS_RDFS, K_FIRST, K_REST, K_NIL, K_LANGSTRING,
    K_NODESHAPE, K_PROPSHAPE, K_TARGETNODE, K_TARGETCLASS, K_TARGETSUBJ, K_TARGETOBJ,
    K_PATH, K_INVPATH, K_ALTPATH, K_ZOMPATH, K_OOMPATH, K_ZOOPATH,
    K_DEACTIVATED, K_SEVERITY, K_MESSAGE, K_VIOLATION, K_WARNING, K_INFO,
    K_FLAGS, K_IGNORED, K_QMIN, K_QMAX, K_QDISJOINT, K_PROPERTY, K_QVS,
    K_BLANKNODE, K_IRI, K_LITERAL, K_BNODE_OR_IRI, K_BNODE_OR_LIT, K_IRI_OR_LIT,
    K_COUNT
};

static const char *const VOCAB[K_COUNT] = {
    EKG_RDF "type", EKG_RDFS "subClassOf", EKG_RDFS "Class", EKG_RDF "first", EKG_RDF "rest",
    EKG_RDF "nil", EKG_RDF "langString",
    EKG_SH "NodeShape", EKG_SH "PropertyShape", EKG_SH "targetNode", EKG_SH "targetClass",
    EKG_SH "targetSubjectsOf", EKG_SH "targetObjectsOf",
    EKG_SH "path", EKG_SH "inversePath", EKG_SH "alternativePath", EKG_SH "zeroOrMorePath",
    EKG_SH "oneOrMorePath", EKG_SH "zeroOrOnePath",
    EKG_SH "deactivated", EKG_SH "severity", EKG_SH "message", EKG_SH "Violation",
    EKG_SH "Warning", EKG_SH "Info",
    EKG_SH "flags", EKG_SH "ignoredProperties", EKG_SH "qualifiedMinCount",
    EKG_SH "qualifiedMaxCount", EKG_SH "qualifiedValueShapesDisjoint", EKG_SH "property",
    EKG_SH "qualifiedValueShape",
    EKG_SH "BlankNode", EKG_SH "IRI", EKG_SH "Literal", EKG_SH "BlankNodeOrIRI",
    EKG_SH "BlankNodeOrLiteral", EKG_SH "IRIOrLiteral",
};

/* Constraint components: the parameter that triggers each, its IRI, the
 * kind of parameter value, and an English default message. */
typedef enum {
    C_CLASS, C_DATATYPE, C_NODEKIND, C_MINCOUNT, C_MAXCOUNT, C_MINEXCL, C_MININCL,
    C_MAXEXCL, C_MAXINCL, C_MINLEN, C_MAXLEN, C_PATTERN, C_LANGIN, C_UNIQUELANG,
    C_EQUALS, C_DISJOINT, C_LESSTHAN, C_LESSEQ, C_NOT, C_AND, C_OR, C_XONE, C_NODE,
    C_PROPERTY, C_QVS, C_CLOSED, C_HASVALUE, C_IN, C_QMIN, C_QMAX, C_COUNT
} comp_kind;

typedef enum { PV_TERM, PV_INT, PV_BOOL, PV_LIST, PV_SHAPE, PV_SHAPELIST, PV_NONE } pv_kind;

static const struct {
    const char *param; /* local name in sh:, NULL if not a trigger */
    const char *component;
    pv_kind pv;
    const char *message;
} COMP[C_COUNT] = {
    [C_CLASS] = {"class", "ClassConstraintComponent", PV_TERM, "Value is not an instance of %s"},
    [C_DATATYPE] = {"datatype", "DatatypeConstraintComponent", PV_TERM,
                    "Value is not a well-formed literal of datatype %s"},
    [C_NODEKIND] = {"nodeKind", "NodeKindConstraintComponent", PV_TERM,
                    "Value is not of node kind %s"},
    [C_MINCOUNT] = {"minCount", "MinCountConstraintComponent", PV_INT,
                    "Fewer than %s values"},
    [C_MAXCOUNT] = {"maxCount", "MaxCountConstraintComponent", PV_INT, "More than %s values"},
    [C_MINEXCL] = {"minExclusive", "MinExclusiveConstraintComponent", PV_TERM,
                   "Value is not > %s"},
    [C_MININCL] = {"minInclusive", "MinInclusiveConstraintComponent", PV_TERM,
                   "Value is not >= %s"},
    [C_MAXEXCL] = {"maxExclusive", "MaxExclusiveConstraintComponent", PV_TERM,
                   "Value is not < %s"},
    [C_MAXINCL] = {"maxInclusive", "MaxInclusiveConstraintComponent", PV_TERM,
                   "Value is not <= %s"},
    [C_MINLEN] = {"minLength", "MinLengthConstraintComponent", PV_INT,
                  "Value is shorter than %s characters"},
    [C_MAXLEN] = {"maxLength", "MaxLengthConstraintComponent", PV_INT,
                  "Value is longer than %s characters"},
    [C_PATTERN] = {"pattern", "PatternConstraintComponent", PV_TERM,
                   "Value does not match pattern %s"},
    [C_LANGIN] = {"languageIn", "LanguageInConstraintComponent", PV_LIST,
                  "Language tag not in the allowed list"},
    [C_UNIQUELANG] = {"uniqueLang", "UniqueLangConstraintComponent", PV_BOOL,
                      "Language tag used more than once"},
    [C_EQUALS] = {"equals", "EqualsConstraintComponent", PV_TERM,
                  "Values differ from those of %s"},
    [C_DISJOINT] = {"disjoint", "DisjointConstraintComponent", PV_TERM,
                    "Value is also a value of %s"},
    [C_LESSTHAN] = {"lessThan", "LessThanConstraintComponent", PV_TERM,
                    "Value is not < the values of %s"},
    [C_LESSEQ] = {"lessThanOrEquals", "LessThanOrEqualsConstraintComponent", PV_TERM,
                  "Value is not <= the values of %s"},
    [C_NOT] = {"not", "NotConstraintComponent", PV_SHAPE, "Value conforms to shape %s"},
    [C_AND] = {"and", "AndConstraintComponent", PV_SHAPELIST,
               "Value does not conform to all shapes"},
    [C_OR] = {"or", "OrConstraintComponent", PV_SHAPELIST,
              "Value does not conform to any shape"},
    [C_XONE] = {"xone", "XoneConstraintComponent", PV_SHAPELIST,
                "Value does not conform to exactly one shape"},
    [C_NODE] = {"node", "NodeConstraintComponent", PV_SHAPE,
                "Value does not conform to shape %s"},
    [C_PROPERTY] = {"property", "PropertyConstraintComponent", PV_SHAPE, NULL},
    [C_QVS] = {"qualifiedValueShape", NULL, PV_SHAPE, NULL},
    [C_CLOSED] = {"closed", "ClosedConstraintComponent", PV_BOOL,
                  "Property is not allowed by the closed shape"},
    [C_HASVALUE] = {"hasValue", "HasValueConstraintComponent", PV_TERM,
                    "Missing expected value %s"},
    [C_IN] = {"in", "InConstraintComponent", PV_LIST, "Value is not in the allowed list"},
    [C_QMIN] = {NULL, "QualifiedMinCountConstraintComponent", PV_NONE,
                "Fewer than %s values conform to the qualified shape"},
    [C_QMAX] = {NULL, "QualifiedMaxCountConstraintComponent", PV_NONE,
                "More than %s values conform to the qualified shape"},
};

/* ---- compiled shapes ----------------------------------------------------- */

typedef enum { P_PRED, P_INV, P_SEQ, P_ALT, P_ZOM, P_OOM, P_ZOO } path_kind;

typedef struct path {
    path_kind k;
    tid pred;
    struct path **sub;
    size_t nsub;
} path;

typedef struct {
    comp_kind k;
    tid param;     /* the parameter value */
    long long num; /* PV_INT; qualified min/max */
    long long num2;
    idvec list;    /* PV_LIST members; closed: allowed predicates */
    int *shapes;   /* PV_SHAPE(LIST) shape indexes; qualified: [0]=qvs, siblings after */
    size_t nshapes;
    bool flag;     /* PV_BOOL value */
    URegularExpression *re;
} constraint;

typedef struct {
    tid id;
    bool deactivated, compiled;
    tid severity;
    idvec messages;
    tid path_node;
    path *path;
    char *path_text;
    bool path_copied;
    constraint *cs;
    size_t ncs, capcs;
    idvec t_node, t_class, t_subj, t_obj;
} shape;

/* The extension of one predicate of the data graph, (s, o) pairs sorted by
 * s (or by o for the inverse), loaded once a predicate has been looked up
 * often enough that one scan beats many indexed walks. */
typedef struct {
    tid key, val;
} pair;

typedef struct {
    tid pred;
    bool inverse, loaded;
    size_t lookups;
    pair *pairs;
    size_t n;
} pindex;

/* Look-ups of one predicate after which its extension is loaded. */
#ifndef PINDEX_AFTER
#define PINDEX_AFTER 256
#endif

typedef struct {
    ttab tt;
    ekg_store *data, *shapes;
    pindex *pix;
    size_t npix;
    const ekg_sink *sink;
    ekg_status st;
    tid k[K_COUNT];
    tid comp_iri[C_COUNT];
    tid param_iri[C_COUNT];
    shape *sh;
    size_t nsh, capsh;
    int *shape_of; /* tid -> shape index + 1 */
    size_t nshape_of;
    idvec **supers; /* tid -> rdfs:subClassOf* closure (data graph), lazily */
    size_t nsupers;
    ekg_shacl_report *report;
    bool default_messages;
    int depth;           /* nesting of shape validations (recursive shapes) */
    uint64_t *memo_key;  /* conformance of (shape, node): key = shape << 32 | node */
    uint8_t *memo_val;   /* 0 empty, 1 in progress, 2 conforms, 3 does
                            not, 4 unknown (ask again) */
    bool assumed;        /* an answer used an in-progress assumption */
    size_t memo_cap, memo_n;
    bool warned_depth;
} V;

/* Recursive shapes are undefined in SHACL Core; past this nesting a shape
 * is taken to conform (and a warning says so, once). */
#define MAX_DEPTH 64

/* ---- graph access -------------------------------------------------------- */

typedef struct {
    V *v;
    idvec *out;
} collect_ctx;

static int collect_term(void *ctx, const ekg_term *t)
{
    collect_ctx *c = ctx;
    tid id = intern(&c->v->tt, t);
    if (!id || vec_push(c->out, id)) {
        c->v->st = EKG_ERR_NOMEM;
        return 1;
    }
    return 0;
}

/* Objects of (s p ?) in store g, appended to out (not de-duplicated). */
static int match(V *v, ekg_store *g, tid s, tid p, tid o, idvec *os, idvec *op, idvec *oo);

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
    return (x->val > y->val) - (x->val < y->val);
}

/* The loaded index of (p, inverse), or NULL while walks are still cheaper. */
static pindex *pindex_get(V *v, tid p, bool inverse)
{
    pindex *x = NULL;
    for (size_t i = 0; i < v->npix && !x; i++)
        if (v->pix[i].pred == p && v->pix[i].inverse == inverse) x = &v->pix[i];
    if (!x) {
        pindex *n = realloc(v->pix, (v->npix + 1) * sizeof *n);
        if (!n) return v->st = EKG_ERR_NOMEM, NULL;
        v->pix = n;
        x = &v->pix[v->npix++];
        memset(x, 0, sizeof *x);
        x->pred = p;
        x->inverse = inverse;
    }
    if (x->loaded) return x;
    if (++x->lookups < PINDEX_AFTER) return NULL;
    idvec ss = {0}, oo = {0};
    size_t i = (size_t)(x - v->pix);
    if (match(v, v->data, 0, p, 0, &ss, NULL, &oo) == 0 &&
        (v->pix[i].pairs = malloc((ss.n + 1) * sizeof(pair)))) {
        x = &v->pix[i];
        for (size_t j = 0; j < ss.n; j++)
            x->pairs[j] = inverse ? (pair){oo.v[j], ss.v[j]} : (pair){ss.v[j], oo.v[j]};
        x->n = ss.n;
        qsort(x->pairs, x->n, sizeof *x->pairs, cmp_pair);
        x->loaded = true;
    } else if (!v->st) {
        v->st = EKG_ERR_NOMEM;
    }
    vec_free(&ss);
    vec_free(&oo);
    return v->st ? NULL : &v->pix[i];
}

/* Append the values of key in a loaded index. */
static int pindex_lookup(V *v, const pindex *x, tid key, idvec *out)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) { /* first pair with pair.key >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (x->pairs[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < x->n && x->pairs[lo].key == key; lo++)
        if (vec_push(out, x->pairs[lo].val)) return v->st = EKG_ERR_NOMEM, -1;
    return 0;
}

static int objects(V *v, ekg_store *g, tid s, tid p, idvec *out)
{
    if (v->st) return -1;
    if (g == v->data) {
        pindex *x = pindex_get(v, p, false);
        if (x) return pindex_lookup(v, x, s, out);
        if (v->st) return -1;
    }
    ekg_term ts = term_at(&v->tt, s), tp = term_at(&v->tt, p);
    if (ts.kind == EKG_TERM_LITERAL || ts.kind == EKG_TERM_NONE) return 0;
    collect_ctx c = {v, out};
    ekg_status st = ekg_store_targets(g, &ts, &tp, collect_term, &c);
    if (st && !v->st) v->st = st;
    return v->st ? -1 : 0;
}

static int subjects(V *v, ekg_store *g, tid p, tid o, idvec *out)
{
    if (v->st) return -1;
    if (g == v->data) {
        pindex *x = pindex_get(v, p, true);
        if (x) return pindex_lookup(v, x, o, out);
        if (v->st) return -1;
    }
    ekg_term tp = term_at(&v->tt, p), to = term_at(&v->tt, o);
    collect_ctx c = {v, out};
    ekg_status st = ekg_store_sources(g, &tp, &to, collect_term, &c);
    if (st && !v->st) v->st = st;
    return v->st ? -1 : 0;
}

/* The first object of (s p ?), or 0. */
static tid object1(V *v, ekg_store *g, tid s, tid p)
{
    idvec a = {0};
    tid r = 0;
    if (objects(v, g, s, p, &a) == 0 && a.n) r = a.v[0];
    vec_free(&a);
    return r;
}

/* The (p, o) pairs of subject s in g, through the indexed arcs-out walk
 * (a match with only the subject bound would scan the store). */
static int out_arcs(V *v, ekg_store *g, tid s, idvec *ps, idvec *os)
{
    if (v->st) return -1;
    ekg_term ts = term_at(&v->tt, s);
    if (ts.kind == EKG_TERM_LITERAL || ts.kind == EKG_TERM_NONE) return 0;
    idvec preds = {0};
    collect_ctx c = {v, &preds};
    ekg_status st = ekg_store_arcs_out(g, &ts, collect_term, &c);
    if (st && !v->st) v->st = st;
    vec_uniq(&preds);
    for (size_t i = 0; !v->st && i < preds.n; i++) {
        size_t before = os->n;
        if (objects(v, g, s, preds.v[i], os)) break;
        for (size_t j = before; j < os->n; j++)
            if (vec_push(ps, preds.v[i])) {
                v->st = EKG_ERR_NOMEM;
                break;
            }
    }
    vec_free(&preds);
    return v->st ? -1 : 0;
}

typedef struct {
    V *v;
    idvec *s, *p, *o; /* any may be NULL */
} match_ctx;

static int collect_quad(void *ctx, const ekg_triple *t, const char *graph)
{
    (void)graph;
    match_ctx *c = ctx;
    tid s = 0, p = 0, o = 0;
    if ((c->s && !(s = intern(&c->v->tt, &t->s))) || (c->p && !(p = intern(&c->v->tt, &t->p))) ||
        (c->o && !(o = intern(&c->v->tt, &t->o))) || (c->s && vec_push(c->s, s)) ||
        (c->p && vec_push(c->p, p)) || (c->o && vec_push(c->o, o))) {
        c->v->st = EKG_ERR_NOMEM;
        return 1;
    }
    return 0;
}

static int match(V *v, ekg_store *g, tid s, tid p, tid o, idvec *os, idvec *op, idvec *oo)
{
    if (v->st) return -1;
    ekg_term ts = term_at(&v->tt, s), tp = term_at(&v->tt, p), to = term_at(&v->tt, o);
    if (ts.kind == EKG_TERM_LITERAL) return 0;
    match_ctx c = {v, os, op, oo};
    ekg_status st = ekg_store_match(g, &ts, &tp, &to, NULL, collect_quad, &c);
    if (st && !v->st) v->st = st;
    return v->st ? -1 : 0;
}

/* Members of the RDF list at head (shapes graph). */
static int read_list(V *v, ekg_store *g, tid head, idvec *out)
{
    size_t guard = 0;
    while (head && head != v->k[K_NIL] && guard++ < 100000) {
        tid first = object1(v, g, head, v->k[K_FIRST]);
        if (v->st) return -1;
        if (!first) break;
        if (vec_push(out, first)) return v->st = EKG_ERR_NOMEM, -1;
        head = object1(v, g, head, v->k[K_REST]);
    }
    return v->st ? -1 : 0;
}

static bool is_true(V *v, tid lit)
{
    if (!lit) return false;
    const tnode *x = &v->tt.t[lit];
    return x->kind == EKG_TERM_LITERAL && !strcmp(x->v, "true"); /* not "1": the spec
                                                                     says true */
}

/* ---- paths --------------------------------------------------------------- */

static void path_free(path *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nsub; i++) path_free(p->sub[i]);
    free(p->sub);
    free(p);
}

static path *path_new(path_kind k, tid pred, size_t nsub)
{
    path *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->k = k;
    p->pred = pred;
    if (nsub && !(p->sub = calloc(nsub, sizeof *p->sub))) {
        free(p);
        return NULL;
    }
    p->nsub = nsub;
    return p;
}

static path *compile_path(V *v, ekg_store *g, tid node, int depth)
{
    if (!node || depth > 64 || v->st) return NULL;
    if (v->tt.t[node].kind == EKG_TERM_IRI) return path_new(P_PRED, node, 0);
    if (v->tt.t[node].kind != EKG_TERM_BLANK) return NULL;
    idvec list = {0};
    path *p = NULL;
    tid x;
    if (object1(v, g, node, v->k[K_FIRST])) {
        if (read_list(v, g, node, &list)) goto cleanup;
        if (!(p = path_new(P_SEQ, 0, list.n))) goto cleanup;
    } else if ((x = object1(v, g, node, v->k[K_ALTPATH]))) {
        if (read_list(v, g, x, &list)) goto cleanup;
        if (!(p = path_new(P_ALT, 0, list.n))) goto cleanup;
    } else {
        static const struct {
            int key;
            path_kind k;
        } unary[] = {{K_INVPATH, P_INV}, {K_ZOMPATH, P_ZOM}, {K_OOMPATH, P_OOM},
                     {K_ZOOPATH, P_ZOO}};
        for (size_t i = 0; i < 4 && !p; i++)
            if ((x = object1(v, g, node, v->k[unary[i].key]))) {
                if (vec_push(&list, x)) goto cleanup;
                p = path_new(unary[i].k, 0, 1);
                if (!p) goto cleanup;
            }
        if (!p) goto cleanup;
    }
    for (size_t i = 0; i < list.n; i++)
        if (!(p->sub[i] = compile_path(v, g, list.v[i], depth + 1))) {
            path_free(p);
            p = NULL;
            goto cleanup;
        }
cleanup:
    vec_free(&list);
    return p;
}

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        size_t nc = (b->n + l + 1) * 2;
        char *ns = realloc(b->s, nc);
        if (!ns) return; /* truncated text on NOMEM; caller checks b->s */
        b->s = ns;
        b->cap = nc;
    }
    memcpy(b->s + b->n, s, l + 1);
    b->n += l;
}

static const struct {
    const char *prefix, *ns;
} PREFIXES[] = {{"ekg:", EKG_NS}, {"rdf:", EKG_RDF}, {"rdfs:", EKG_RDFS}, {"skos:", EKG_SKOS},
                {"dcterms:", EKG_DCT}, {"prov:", EKG_PROV}, {"owl:", EKG_OWL}};

static void sb_iri(sbuf *b, const char *iri)
{
    for (size_t i = 0; i < sizeof PREFIXES / sizeof PREFIXES[0]; i++) {
        size_t l = strlen(PREFIXES[i].ns);
        if (!strncmp(iri, PREFIXES[i].ns, l) && iri[l] && !strpbrk(iri + l, "/#")) {
            sb_add(b, PREFIXES[i].prefix);
            sb_add(b, iri + l);
            return;
        }
    }
    sb_add(b, "<");
    sb_add(b, iri);
    sb_add(b, ">");
}

static void path_text(const ttab *tt, const path *p, sbuf *b)
{
    switch (p->k) {
    case P_PRED: sb_iri(b, tt->t[p->pred].v); return;
    case P_INV:
        sb_add(b, "^");
        path_text(tt, p->sub[0], b);
        return;
    case P_SEQ:
    case P_ALT:
        sb_add(b, "(");
        for (size_t i = 0; i < p->nsub; i++) {
            if (i) sb_add(b, p->k == P_SEQ ? "/" : "|");
            path_text(tt, p->sub[i], b);
        }
        sb_add(b, ")");
        return;
    case P_ZOM:
    case P_OOM:
    case P_ZOO:
        path_text(tt, p->sub[0], b);
        sb_add(b, p->k == P_ZOM ? "*" : p->k == P_OOM ? "+" : "?");
        return;
    }
}

static int path_eval(V *v, const path *p, tid start, bool inv, idvec *out);

/* Closure walk for *, +: from start, repeatedly apply sub. */
static int path_closure(V *v, const path *sub, tid start, bool inv, bool reflexive, idvec *out)
{
    idset seen = {0};
    idvec frontier = {0}, next = {0};
    int rc = -1;
    bool added;
    if (reflexive) {
        if (set_add(&seen, start, &added) || vec_push(out, start)) goto cleanup;
    }
    if (vec_push(&frontier, start)) goto cleanup;
    while (frontier.n) {
        next.n = 0;
        for (size_t i = 0; i < frontier.n; i++)
            if (path_eval(v, sub, frontier.v[i], inv, &next)) goto cleanup;
        frontier.n = 0;
        for (size_t i = 0; i < next.n; i++) {
            if (set_add(&seen, next.v[i], &added)) goto cleanup;
            if (added && (vec_push(out, next.v[i]) || vec_push(&frontier, next.v[i])))
                goto cleanup;
        }
    }
    rc = 0;
cleanup:
    if (rc && !v->st) v->st = EKG_ERR_NOMEM;
    set_free(&seen);
    vec_free(&frontier);
    vec_free(&next);
    return rc;
}

/* Append the nodes reached from start along p (or its inverse). */
static int path_eval(V *v, const path *p, tid start, bool inv, idvec *out)
{
    if (v->st) return -1;
    switch (p->k) {
    case P_PRED:
        return inv ? subjects(v, v->data, p->pred, start, out)
                   : objects(v, v->data, start, p->pred, out);
    case P_INV: return path_eval(v, p->sub[0], start, !inv, out);
    case P_ALT:
        for (size_t i = 0; i < p->nsub; i++)
            if (path_eval(v, p->sub[i], start, inv, out)) return -1;
        return 0;
    case P_SEQ: {
        idvec cur = {0}, nxt = {0};
        int rc = -1;
        if (vec_push(&cur, start)) goto seq_done;
        for (size_t j = 0; j < p->nsub; j++) {
            const path *step = p->sub[inv ? p->nsub - 1 - j : j];
            nxt.n = 0;
            for (size_t i = 0; i < cur.n; i++)
                if (path_eval(v, step, cur.v[i], inv, &nxt)) goto seq_done;
            vec_uniq(&nxt);
            idvec t = cur;
            cur = nxt;
            nxt = t;
        }
        for (size_t i = 0; i < cur.n; i++)
            if (vec_push(out, cur.v[i])) goto seq_done;
        rc = 0;
    seq_done:
        if (rc && !v->st) v->st = EKG_ERR_NOMEM;
        vec_free(&cur);
        vec_free(&nxt);
        return rc;
    }
    case P_ZOM: return path_closure(v, p->sub[0], start, inv, true, out);
    case P_OOM: return path_closure(v, p->sub[0], start, inv, false, out);
    case P_ZOO:
        if (vec_push(out, start)) return v->st = EKG_ERR_NOMEM, -1;
        return path_eval(v, p->sub[0], start, inv, out);
    }
    return -1;
}

/* ---- literals: well-formedness and comparison ---------------------------- */

static bool all_digits(const char *s, size_t n)
{
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

static bool lex_integer(const char *s)
{
    if (*s == '+' || *s == '-') s++;
    return all_digits(s, strlen(s));
}

static bool lex_decimal(const char *s)
{
    if (*s == '+' || *s == '-') s++;
    const char *dot = strchr(s, '.');
    if (!dot) return all_digits(s, strlen(s));
    size_t a = (size_t)(dot - s), b = strlen(dot + 1);
    return (a || b) && (!a || all_digits(s, a)) && (!b || all_digits(dot + 1, b));
}

static bool lex_double(const char *s)
{
    if (!strcmp(s, "INF") || !strcmp(s, "-INF") || !strcmp(s, "+INF") || !strcmp(s, "NaN"))
        return true;
    const char *e = strpbrk(s, "eE");
    if (!e) return lex_decimal(s);
    char mant[128];
    size_t n = (size_t)(e - s);
    if (n >= sizeof mant) return false;
    memcpy(mant, s, n);
    mant[n] = 0;
    return lex_decimal(mant) && lex_integer(e + 1);
}

static bool lex_boolean(const char *s)
{
    return !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "1") || !strcmp(s, "0");
}

static bool lex_tz(const char *s)
{
    if (!*s || !strcmp(s, "Z")) return true;
    return (s[0] == '+' || s[0] == '-') && strlen(s) == 6 && all_digits(s + 1, 2) &&
           s[3] == ':' && all_digits(s + 4, 2);
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* "-?YYYY(-MM(-DD)?)?" with `parts` components; returns the rest or NULL. */
static const char *lex_ymd(const char *s, int parts)
{
    if (*s == '-') s++;
    size_t n = 0;
    while (isdigit((unsigned char)s[n])) n++;
    if (n < 4) return NULL;
    int y = atoi(s);
    s += n;
    if (parts == 1) return s;
    if (s[0] != '-' || !all_digits(s + 1, 2)) return NULL;
    int m = (s[1] - '0') * 10 + (s[2] - '0');
    if (m < 1 || m > 12) return NULL;
    s += 3;
    if (parts == 2) return s;
    if (s[0] != '-' || !all_digits(s + 1, 2)) return NULL;
    int d = (s[1] - '0') * 10 + (s[2] - '0');
    if (d < 1 || d > days_in(y, m)) return NULL;
    return s + 3;
}

static const char *lex_hms(const char *s)
{
    if (!all_digits(s, 2) || s[2] != ':' || !all_digits(s + 3, 2) || s[5] != ':' ||
        !all_digits(s + 6, 2))
        return NULL;
    int h = atoi(s), mi = atoi(s + 3), se = atoi(s + 6);
    if (h > 24 || mi > 59 || se > 60) return NULL;
    s += 8;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s)) return NULL;
        while (isdigit((unsigned char)*s)) s++;
    }
    return s;
}

static bool lex_date(const char *s) { return (s = lex_ymd(s, 3)) && lex_tz(s); }
static bool lex_gym(const char *s) { return (s = lex_ymd(s, 2)) && lex_tz(s); }
static bool lex_gyear(const char *s) { return (s = lex_ymd(s, 1)) && lex_tz(s); }
static bool lex_time(const char *s) { return (s = lex_hms(s)) && lex_tz(s); }
static bool lex_datetime(const char *s)
{
    return (s = lex_ymd(s, 3)) && *s == 'T' && (s = lex_hms(s + 1)) && lex_tz(s);
}
static bool lex_any(const char *s)
{
    (void)s;
    return true;
}

typedef enum { N_NONE, N_INT, N_DEC, N_FLOAT } num_class;

static const struct {
    const char *local;
    bool (*lex)(const char *);
    num_class num;
    const char *min, *max; /* integer range bounds, NULL = unbounded */
} XSD_TYPES[] = {
    {"string", lex_any, N_NONE, NULL, NULL},
    {"anyURI", lex_any, N_NONE, NULL, NULL},
    {"normalizedString", lex_any, N_NONE, NULL, NULL},
    {"token", lex_any, N_NONE, NULL, NULL},
    {"language", lex_any, N_NONE, NULL, NULL},
    {"boolean", lex_boolean, N_NONE, NULL, NULL},
    {"decimal", lex_decimal, N_DEC, NULL, NULL},
    {"float", lex_double, N_FLOAT, NULL, NULL},
    {"double", lex_double, N_FLOAT, NULL, NULL},
    {"integer", lex_integer, N_INT, NULL, NULL},
    {"long", lex_integer, N_INT, "-9223372036854775808", "9223372036854775807"},
    {"int", lex_integer, N_INT, "-2147483648", "2147483647"},
    {"short", lex_integer, N_INT, "-32768", "32767"},
    {"byte", lex_integer, N_INT, "-128", "127"},
    {"nonNegativeInteger", lex_integer, N_INT, "0", NULL},
    {"positiveInteger", lex_integer, N_INT, "1", NULL},
    {"nonPositiveInteger", lex_integer, N_INT, NULL, "0"},
    {"negativeInteger", lex_integer, N_INT, NULL, "-1"},
    {"unsignedLong", lex_integer, N_INT, "0", "18446744073709551615"},
    {"unsignedInt", lex_integer, N_INT, "0", "4294967295"},
    {"unsignedShort", lex_integer, N_INT, "0", "65535"},
    {"unsignedByte", lex_integer, N_INT, "0", "255"},
    {"date", lex_date, N_NONE, NULL, NULL},
    {"dateTime", lex_datetime, N_NONE, NULL, NULL},
    {"time", lex_time, N_NONE, NULL, NULL},
    {"gYear", lex_gyear, N_NONE, NULL, NULL},
    {"gYearMonth", lex_gym, N_NONE, NULL, NULL},
};

static int xsd_index(const char *dt)
{
    size_t l = strlen(EKG_XSD);
    if (!dt || strncmp(dt, EKG_XSD, l)) return -1;
    for (size_t i = 0; i < sizeof XSD_TYPES / sizeof XSD_TYPES[0]; i++)
        if (!strcmp(dt + l, XSD_TYPES[i].local)) return (int)i;
    return -1;
}

static bool literal_well_formed(const tnode *x)
{
    int i = xsd_index(x->dt);
    if (i < 0) return true; /* unknown datatypes: any lexical form */
    if (!XSD_TYPES[i].lex(x->v)) return false;
    if (XSD_TYPES[i].num == N_INT && (XSD_TYPES[i].min || XSD_TYPES[i].max)) {
        errno = 0;
        long double d = strtold(x->v, NULL);
        if (XSD_TYPES[i].min && d < strtold(XSD_TYPES[i].min, NULL)) return false;
        if (XSD_TYPES[i].max && d > strtold(XSD_TYPES[i].max, NULL)) return false;
    }
    return true;
}

static num_class numeric(const tnode *x)
{
    if (x->kind != EKG_TERM_LITERAL) return N_NONE;
    int i = xsd_index(x->dt);
    return i < 0 ? N_NONE : XSD_TYPES[i].num;
}

/* Seconds since 1970 of a date or dateTime lexical form, and whether it has
 * a time zone (then the value is in UTC). Returns false when ill-formed. */
static bool instant(const char *s, long double *secs, bool *tz)
{
    bool neg = *s == '-';
    char *end;
    long long y = strtoll(neg ? s + 1 : s, &end, 10);
    if (neg) y = -y;
    if (*end != '-') return false;
    int m = atoi(end + 1), d = atoi(end + 4);
    const char *rest = end + 6;
    long double hms = 0;
    if (*rest == 'T') {
        hms = atoi(rest + 1) * 3600.0L + atoi(rest + 4) * 60.0L + strtold(rest + 7, &end);
        rest = end;
    }
    /* days from civil (Howard Hinnant) */
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468;
    *secs = days * 86400.0L + hms;
    *tz = *rest != 0;
    if (*rest && strcmp(rest, "Z")) {
        int sign = rest[0] == '-' ? -1 : 1;
        *secs -= sign * (atoi(rest + 1) * 3600.0L + atoi(rest + 4) * 60.0L);
    }
    return true;
}

/* XSD's partial order on instants: with and without time zone compare only
 * when they are more than 14 hours apart. */
static int compare_instants(const char *a, const char *b)
{
    long double x, y;
    bool tx, ty;
    if (!instant(a, &x, &tx) || !instant(b, &y, &ty)) return 2;
    if (tx != ty) {
        const long double h14 = 14 * 3600.0L;
        if (x + (tx ? 0 : h14) < y - (ty ? 0 : h14)) return -1;
        if (x - (tx ? 0 : h14) > y + (ty ? 0 : h14)) return 1;
        return 2;
    }
    return (x > y) - (x < y);
}

/* Compare two terms as SPARQL `<` would: -1, 0, 1, or 2 when incomparable. */
static int compare(const tnode *a, const tnode *b)
{
    if (a->kind != EKG_TERM_LITERAL || b->kind != EKG_TERM_LITERAL) return 2;
    num_class na = numeric(a), nb = numeric(b);
    if (na != N_NONE && nb != N_NONE) {
        if (!literal_well_formed(a) || !literal_well_formed(b)) return 2;
        long double x = strtold(a->v, NULL), y = strtold(b->v, NULL);
        if (isnan(x) || isnan(y)) return 2;
        return (x > y) - (x < y);
    }
    if (na != N_NONE || nb != N_NONE) return 2;
    if (a->lang || b->lang) {
        if (!a->lang || !b->lang || strcasecmp(a->lang, b->lang)) return 2;
    } else if (!seq(a->dt, b->dt)) {
        return 2;
    }
    int i = xsd_index(a->dt);
    if (a->dt && i < 0) return 2; /* unknown datatypes: only equality is known */
    if (i >= 0 && (XSD_TYPES[i].lex == lex_datetime || XSD_TYPES[i].lex == lex_date))
        return compare_instants(a->v, b->v);
    if (i >= 0 && !literal_well_formed(a)) return 2;
    if (i >= 0 && !literal_well_formed(b)) return 2;
    if (i >= 0 && XSD_TYPES[i].lex == lex_boolean) return 2;
    int c = strcmp(a->v, b->v);
    return (c > 0) - (c < 0);
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static bool lang_matches(const char *tag, const char *range)
{
    if (!tag || !*tag) return false;
    if (!strcmp(range, "*")) return true;
    size_t l = strlen(range);
    return !strncasecmp(tag, range, l) && (tag[l] == 0 || tag[l] == '-');
}

/* ---- regular expressions (ICU, SPARQL flags) ----------------------------- */

static UChar *to_u16(const char *s, int32_t *len)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, -1, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return NULL;
    err = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n + 1) * sizeof *u);
    if (!u) return NULL;
    u_strFromUTF8(u, n + 1, NULL, s, -1, &err);
    if (U_FAILURE(err)) {
        free(u);
        return NULL;
    }
    if (len) *len = n;
    return u;
}

static URegularExpression *compile_regex(V *v, const char *pat, const char *flags)
{
    uint32_t f = 0;
    for (const char *p = flags ? flags : ""; *p; p++) {
        switch (*p) {
        case 'i': f |= UREGEX_CASE_INSENSITIVE; break;
        case 'm': f |= UREGEX_MULTILINE; break;
        case 's': f |= UREGEX_DOTALL; break;
        case 'x': f |= UREGEX_COMMENTS; break;
        case 'q': f |= UREGEX_LITERAL; break;
        default:
            ekg_report(v->sink, EKG_LOG_WARNING, EKG_ERR_PARSE, "shapes", 0,
                       "unknown regular expression flag '%c' ignored", *p);
        }
    }
    int32_t n = 0;
    UChar *u = to_u16(pat, &n);
    if (!u) {
        v->st = EKG_ERR_NOMEM;
        return NULL;
    }
    UErrorCode err = U_ZERO_ERROR;
    UParseError pe;
    URegularExpression *re = uregex_open(u, n, f, &pe, &err);
    free(u);
    if (U_FAILURE(err)) {
        v->st = ekg_report(v->sink, EKG_LOG_ERROR, EKG_ERR_PARSE, "shapes", 0,
                           "bad sh:pattern \"%s\": %s", pat, u_errorName(err));
        return NULL;
    }
    return re;
}

static bool regex_find(V *v, URegularExpression *re, const char *text)
{
    int32_t n = 0;
    UChar *u = to_u16(text, &n);
    if (!u) {
        v->st = EKG_ERR_NOMEM;
        return false;
    }
    UErrorCode err = U_ZERO_ERROR;
    uregex_setText(re, u, n, &err);
    bool found = U_SUCCESS(err) && uregex_find(re, 0, &err);
    uregex_setText(re, u, 0, &err); /* drop the reference before freeing */
    free(u);
    return found && U_SUCCESS(err);
}

/* ---- shape compilation --------------------------------------------------- */

static int compile_shape(V *v, tid id);

static constraint *add_constraint(shape *s, comp_kind k, tid param)
{
    if (s->ncs == s->capcs) {
        size_t nc = s->capcs ? s->capcs * 2 : 8;
        constraint *n = realloc(s->cs, nc * sizeof *n);
        if (!n) return NULL;
        s->cs = n;
        s->capcs = nc;
    }
    constraint *c = &s->cs[s->ncs++];
    memset(c, 0, sizeof *c);
    c->k = k;
    c->param = param;
    c->num = c->num2 = -1;
    return c;
}

static int push_shape(constraint *c, int idx)
{
    int *n = realloc(c->shapes, (c->nshapes + 1) * sizeof *n);
    if (!n) return -1;
    c->shapes = n;
    c->shapes[c->nshapes++] = idx;
    return 0;
}

static long long int_of(V *v, tid lit)
{
    const tnode *x = &v->tt.t[lit];
    if (x->kind != EKG_TERM_LITERAL) return -1;
    return strtoll(x->v, NULL, 10);
}

/* Qualified value shapes of the sibling property shapes of `ps`. */
static int qualified_siblings(V *v, tid ps, tid self_qvs, constraint *c)
{
    idvec parents = {0}, props = {0}, qs = {0};
    int rc = -1;
    if (subjects(v, v->shapes, v->k[K_PROPERTY], ps, &parents)) goto cleanup;
    for (size_t i = 0; i < parents.n; i++)
        if (objects(v, v->shapes, parents.v[i], v->k[K_PROPERTY], &props)) goto cleanup;
    vec_uniq(&props);
    for (size_t i = 0; i < props.n; i++)
        if (objects(v, v->shapes, props.v[i], v->k[K_QVS], &qs)) goto cleanup;
    vec_uniq(&qs);
    for (size_t i = 0; i < qs.n; i++) {
        if (qs.v[i] == self_qvs) continue;
        int si = compile_shape(v, qs.v[i]);
        if (si < 0 || push_shape(c, si)) goto cleanup;
    }
    rc = 0;
cleanup:
    vec_free(&parents);
    vec_free(&props);
    vec_free(&qs);
    return rc;
}

static shape *SH(V *v, int i) { return &v->sh[i]; }

/* Compile the shape `id` (once); returns its index or -1. */
static int compile_shape(V *v, tid id)
{
    if (v->st) return -1;
    if (id < v->nshape_of && v->shape_of[id]) return v->shape_of[id] - 1;
    if (id >= v->nshape_of) {
        size_t nc = (id + 1) * 2;
        int *n = realloc(v->shape_of, nc * sizeof *n);
        if (!n) return v->st = EKG_ERR_NOMEM, -1;
        memset(n + v->nshape_of, 0, (nc - v->nshape_of) * sizeof *n);
        v->shape_of = n;
        v->nshape_of = nc;
    }
    if (v->nsh == v->capsh) {
        size_t nc = v->capsh ? v->capsh * 2 : 16;
        shape *n = realloc(v->sh, nc * sizeof *n);
        if (!n) return v->st = EKG_ERR_NOMEM, -1;
        v->sh = n;
        v->capsh = nc;
    }
    int si = (int)v->nsh++;
    memset(SH(v, si), 0, sizeof(shape));
    SH(v, si)->id = id;
    v->shape_of[id] = si + 1;
    ekg_store *g = v->shapes;
    idvec vals = {0}, list = {0};

    SH(v, si)->deactivated = is_true(v, object1(v, g, id, v->k[K_DEACTIVATED]));
    tid sev = object1(v, g, id, v->k[K_SEVERITY]);
    SH(v, si)->severity = sev ? sev : v->k[K_VIOLATION];
    if (objects(v, g, id, v->k[K_MESSAGE], &SH(v, si)->messages)) goto cleanup;
    tid pn = object1(v, g, id, v->k[K_PATH]);
    if (pn) {
        SH(v, si)->path_node = pn;
        path *p = compile_path(v, g, pn, 0);
        if (!p) {
            if (!v->st)
                ekg_report(v->sink, EKG_LOG_WARNING, EKG_ERR_PARSE, "shapes", 0,
                           "shape %s: ill-formed sh:path ignored", v->tt.t[id].v);
            SH(v, si)->deactivated = true;
        } else {
            SH(v, si)->path = p;
            sbuf b = {0};
            path_text(&v->tt, p, &b);
            if (!b.s) goto nomem;
            SH(v, si)->path_text = b.s;
        }
    }
    if (objects(v, g, id, v->k[K_TARGETNODE], &SH(v, si)->t_node) ||
        objects(v, g, id, v->k[K_TARGETCLASS], &SH(v, si)->t_class) ||
        objects(v, g, id, v->k[K_TARGETSUBJ], &SH(v, si)->t_subj) ||
        objects(v, g, id, v->k[K_TARGETOBJ], &SH(v, si)->t_obj))
        goto cleanup;

    for (int k = 0; k < C_COUNT; k++) {
        if (!COMP[k].param) continue;
        vals.n = 0;
        if (objects(v, g, id, v->param_iri[k], &vals)) goto cleanup;
        vec_uniq(&vals);
        for (size_t j = 0; j < vals.n; j++) {
            tid val = vals.v[j];
            if (k == C_CLOSED && !is_true(v, val)) continue;
            if (k == C_UNIQUELANG && !is_true(v, val)) continue;
            constraint *c = add_constraint(SH(v, si), (comp_kind)k, val);
            if (!c) goto nomem;
            switch (COMP[k].pv) {
            case PV_INT: c->num = int_of(v, val); break;
            case PV_BOOL: c->flag = true; break;
            case PV_LIST:
                if (read_list(v, g, val, &c->list)) goto cleanup;
                vec_uniq(&c->list);
                break;
            case PV_SHAPE: {
                int ref = compile_shape(v, val);
                c = &SH(v, si)->cs[SH(v, si)->ncs - 1]; /* v->sh may have moved */
                if (ref < 0 || push_shape(c, ref)) goto cleanup;
                break;
            }
            case PV_SHAPELIST:
                list.n = 0;
                if (read_list(v, g, val, &list)) goto cleanup;
                for (size_t m = 0; m < list.n; m++) {
                    int ref = compile_shape(v, list.v[m]);
                    c = &SH(v, si)->cs[SH(v, si)->ncs - 1];
                    if (ref < 0 || push_shape(c, ref)) goto cleanup;
                }
                break;
            default: break;
            }
            c = &SH(v, si)->cs[SH(v, si)->ncs - 1];
            if (k == C_PATTERN) {
                const tnode *pt = &v->tt.t[val];
                tid fl = object1(v, g, id, v->k[K_FLAGS]);
                c->re = compile_regex(v, pt->v, fl ? v->tt.t[fl].v : NULL);
                if (!c->re) goto cleanup;
            } else if (k == C_QVS) {
                tid qmin = object1(v, g, id, v->k[K_QMIN]);
                tid qmax = object1(v, g, id, v->k[K_QMAX]);
                c->num = qmin ? int_of(v, qmin) : -1;
                c->num2 = qmax ? int_of(v, qmax) : -1;
                c->flag = is_true(v, object1(v, g, id, v->k[K_QDISJOINT]));
                if (c->flag && qualified_siblings(v, id, val, c)) goto cleanup;
            } else if (k == C_CLOSED) {
                idvec props = {0};
                if (objects(v, g, id, v->k[K_PROPERTY], &props)) goto cleanup;
                for (size_t m = 0; m < props.n; m++) {
                    tid pp = object1(v, g, props.v[m], v->k[K_PATH]);
                    if (pp && v->tt.t[pp].kind == EKG_TERM_IRI && vec_push(&c->list, pp)) {
                        vec_free(&props);
                        goto nomem;
                    }
                }
                vec_free(&props);
                tid ign = object1(v, g, id, v->k[K_IGNORED]);
                if (ign && read_list(v, g, ign, &c->list)) goto cleanup;
                vec_uniq(&c->list);
            }
        }
    }
    SH(v, si)->compiled = true;
    goto cleanup;
nomem:
    v->st = EKG_ERR_NOMEM;
cleanup:
    vec_free(&vals);
    vec_free(&list);
    return v->st ? -1 : si;
}

static void shapes_free(V *v)
{
    for (size_t i = 0; i < v->nsh; i++) {
        shape *s = &v->sh[i];
        for (size_t j = 0; j < s->ncs; j++) {
            vec_free(&s->cs[j].list);
            free(s->cs[j].shapes);
            if (s->cs[j].re) uregex_close(s->cs[j].re);
        }
        free(s->cs);
        vec_free(&s->messages);
        path_free(s->path);
        free(s->path_text);
        vec_free(&s->t_node);
        vec_free(&s->t_class);
        vec_free(&s->t_subj);
        vec_free(&s->t_obj);
    }
    free(v->sh);
    free(v->shape_of);
    for (size_t i = 0; i < v->npix; i++) free(v->pix[i].pairs);
    free(v->pix);
    free(v->memo_key);
    free(v->memo_val);
    for (size_t i = 0; i < v->nsupers; i++)
        if (v->supers[i]) {
            vec_free(v->supers[i]);
            free(v->supers[i]);
        }
    free(v->supers);
}

/* ---- classes ------------------------------------------------------------- */

/* rdfs:subClassOf* closure of class c in the data graph (cached, sorted). */
static const idvec *superclasses(V *v, tid c)
{
    if (c >= v->nsupers) {
        size_t nc = (c + 1) * 2;
        idvec **n = realloc(v->supers, nc * sizeof *n);
        if (!n) return v->st = EKG_ERR_NOMEM, NULL;
        memset(n + v->nsupers, 0, (nc - v->nsupers) * sizeof *n);
        v->supers = n;
        v->nsupers = nc;
    }
    if (v->supers[c]) return v->supers[c];
    idvec *out = calloc(1, sizeof *out);
    if (!out) return v->st = EKG_ERR_NOMEM, NULL;
    path step = {P_PRED, v->k[K_SUBCLASS], NULL, 0};
    if (path_closure(v, &step, c, false, true, out)) {
        vec_free(out);
        free(out);
        return NULL;
    }
    vec_uniq(out);
    v->supers[c] = out;
    return out;
}

static bool instance_of(V *v, tid node, tid cls)
{
    idvec types = {0};
    bool r = false;
    if (objects(v, v->data, node, v->k[K_TYPE], &types)) goto cleanup;
    for (size_t i = 0; i < types.n && !r; i++) {
        const idvec *sup = superclasses(v, types.v[i]);
        if (!sup) goto cleanup;
        r = vec_has(sup, cls);
    }
cleanup:
    vec_free(&types);
    return r;
}

/* Instances of cls or of its subclasses (data graph). */
static int instances(V *v, tid cls, idvec *out)
{
    idvec subs = {0};
    int rc = -1;
    path step = {P_PRED, v->k[K_SUBCLASS], NULL, 0};
    if (path_closure(v, &step, cls, true, true, &subs)) goto cleanup;
    for (size_t i = 0; i < subs.n; i++)
        if (subjects(v, v->data, v->k[K_TYPE], subs.v[i], out)) goto cleanup;
    rc = 0;
cleanup:
    vec_free(&subs);
    return rc;
}

/* ---- validation ---------------------------------------------------------- */

/* Where results go: a report, or nowhere (conformance checking). */
typedef struct {
    bool record;
    size_t count;
} sink_t;

static int copy_path_triples(V *v, tid node, int depth)
{
    if (depth > 64 || v->tt.t[node].kind != EKG_TERM_BLANK) return 0;
    idvec p = {0}, o = {0};
    int rc = -1;
    if (out_arcs(v, v->shapes, node, &p, &o)) goto cleanup;
    for (size_t i = 0; i < p.n; i++) {
        ekg_triple t = {term_at(&v->tt, node), term_at(&v->tt, p.v[i]), term_at(&v->tt, o.v[i])};
        if (ekg_shacl_report_add_triple(v->report, &t)) {
            v->st = EKG_ERR_NOMEM;
            goto cleanup;
        }
        if (copy_path_triples(v, o.v[i], depth + 1)) goto cleanup;
    }
    rc = 0;
cleanup:
    vec_free(&p);
    vec_free(&o);
    return rc;
}

static ekg_severity level_of(V *v, tid sev)
{
    if (sev == v->k[K_VIOLATION]) return EKG_SEV_VIOLATION;
    if (sev == v->k[K_WARNING]) return EKG_SEV_WARNING;
    if (sev == v->k[K_INFO]) return EKG_SEV_INFO;
    return EKG_SEV_OTHER;
}

static void param_text(V *v, tid t, long long num, char *buf, size_t n)
{
    if (num >= 0) {
        snprintf(buf, n, "%lld", num);
        return;
    }
    if (!t) {
        buf[0] = 0;
        return;
    }
    const tnode *x = &v->tt.t[t];
    sbuf b = {0};
    if (x->kind == EKG_TERM_IRI)
        sb_iri(&b, x->v);
    else
        sb_add(&b, x->v);
    snprintf(buf, n, "%s", b.s ? b.s : "");
    free(b.s);
}

/* One result of shape si at focus; path_override for sh:closed. */
static int emit(V *v, sink_t *out, int si, const constraint *c, comp_kind k, tid focus,
                tid value, tid path_override)
{
    out->count++;
    if (!out->record) return 0;
    shape *s = SH(v, si);
    ekg_shacl_result r = {0};
    r.check = "shacl";
    r.level = level_of(v, s->severity);
    r.focus = term_at(&v->tt, focus);
    char ptext[1024];
    if (path_override) {
        r.path = term_at(&v->tt, path_override);
        sbuf b = {0};
        sb_iri(&b, v->tt.t[path_override].v);
        snprintf(ptext, sizeof ptext, "%s", b.s ? b.s : "");
        free(b.s);
        r.path_text = ptext;
    } else if (s->path_node) {
        r.path = term_at(&v->tt, s->path_node);
        r.path_text = s->path_text;
        if (!s->path_copied) {
            s->path_copied = true;
            if (copy_path_triples(v, s->path_node, 0)) return -1;
        }
    }
    r.value = term_at(&v->tt, value);
    r.severity = term_at(&v->tt, s->severity);
    r.component = term_at(&v->tt, v->comp_iri[k]);
    r.shape = term_at(&v->tt, s->id);
    char msg[1024];
    if (s->messages.n) {
        const tnode *m = &v->tt.t[s->messages.v[0]];
        for (size_t i = 0; i < s->messages.n; i++) { /* prefer English */
            const tnode *x = &v->tt.t[s->messages.v[i]];
            if (x->lang && !strncasecmp(x->lang, "en", 2)) {
                m = x;
                break;
            }
        }
        r.message = m->v;
        r.message_lang = m->lang;
    } else if (v->default_messages && COMP[k].message) {
        char p[512];
        long long num = (k == C_QMIN) ? c->num : (k == C_QMAX) ? c->num2 : -1;
        param_text(v, c ? c->param : 0, COMP[k].pv == PV_INT ? c->num : num, p, sizeof p);
        snprintf(msg, sizeof msg, COMP[k].message, p);
        r.message = msg;
    }
    ekg_status st = ekg_shacl_report_add(v->report, &r);
    if (st) {
        v->st = st;
        return -1;
    }
    return 0;
}

static int validate(V *v, int si, tid focus, sink_t *out);

/* The memo slot of key (inserted empty when absent), or NULL on NOMEM. */
static uint8_t *memo_slot(V *v, uint64_t key)
{
    if ((v->memo_n + 1) * 2 > v->memo_cap) {
        size_t nc = v->memo_cap ? v->memo_cap * 2 : 1024;
        uint64_t *nk = calloc(nc, sizeof *nk);
        uint8_t *nv = calloc(nc, 1);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return NULL;
        }
        for (size_t i = 0; i < v->memo_cap; i++) {
            if (!v->memo_val[i]) continue;
            size_t h = (v->memo_key[i] * 0x9E3779B97F4A7C15u) >> 20 & (nc - 1);
            while (nv[h]) h = (h + 1) & (nc - 1);
            nk[h] = v->memo_key[i];
            nv[h] = v->memo_val[i];
        }
        free(v->memo_key);
        free(v->memo_val);
        v->memo_key = nk;
        v->memo_val = nv;
        v->memo_cap = nc;
    }
    size_t h = (key * 0x9E3779B97F4A7C15u) >> 20 & (v->memo_cap - 1);
    while (v->memo_val[h] && v->memo_key[h] != key) h = (h + 1) & (v->memo_cap - 1);
    if (!v->memo_val[h]) {
        v->memo_key[h] = key;
        v->memo_n++;
    }
    return &v->memo_val[h];
}

/* Does `node` conform to shape si? (-1 on error) Memoised: nested shapes are
 * checked once per node; a shape met again while being checked for the same
 * node (recursion) is taken to conform. */
static int conforms(V *v, int si, tid node)
{
    uint64_t key = (uint64_t)(uint32_t)si << 32 | node;
    uint8_t *m = memo_slot(v, key);
    if (!m) return v->st = EKG_ERR_NOMEM, -1;
    if (*m == 1) v->assumed = true; /* recursion: assume it conforms */
    if (*m && *m != 4) return *m != 3;
    *m = 1;
    bool outer = v->assumed;
    v->assumed = false;
    sink_t s = {false, 0};
    if (validate(v, si, node, &s)) return -1;
    m = memo_slot(v, key); /* the table may have grown */
    if (!m) return v->st = EKG_ERR_NOMEM, -1;
    /* Keep the answer only if no assumption about a node still being
     * checked went into it; else forget it, to be asked again. */
    *m = v->assumed ? 4 : s.count == 0 ? 2 : 3;
    v->assumed = outer || v->assumed;
    return s.count == 0;
}

static int check_constraint(V *v, int si, const constraint *c, tid focus, const idvec *vn,
                            sink_t *out)
{
    const ttab *tt = &v->tt;
    idvec other = {0};
    int rc = -1;
    switch (c->k) {
    case C_CLASS:
        for (size_t i = 0; i < vn->n; i++) {
            bool ok = instance_of(v, vn->v[i], c->param);
            if (v->st) goto cleanup;
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_DATATYPE:
        for (size_t i = 0; i < vn->n; i++) {
            const tnode *x = &tt->t[vn->v[i]];
            const char *want = tt->t[c->param].v;
            bool ok = false;
            if (x->kind == EKG_TERM_LITERAL) {
                if (x->lang)
                    ok = c->param == v->k[K_LANGSTRING];
                else if (!x->dt)
                    ok = !strcmp(want, EKG_XSD "string");
                else
                    ok = !strcmp(x->dt, want) && literal_well_formed(x);
            }
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_NODEKIND:
        for (size_t i = 0; i < vn->n; i++) {
            ekg_term_kind kk = tt->t[vn->v[i]].kind;
            tid p = c->param;
            bool ok = (kk == EKG_TERM_BLANK &&
                       (p == v->k[K_BLANKNODE] || p == v->k[K_BNODE_OR_IRI] ||
                        p == v->k[K_BNODE_OR_LIT])) ||
                      (kk == EKG_TERM_IRI && (p == v->k[K_IRI] || p == v->k[K_BNODE_OR_IRI] ||
                                              p == v->k[K_IRI_OR_LIT])) ||
                      (kk == EKG_TERM_LITERAL &&
                       (p == v->k[K_LITERAL] || p == v->k[K_BNODE_OR_LIT] ||
                        p == v->k[K_IRI_OR_LIT]));
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_MINCOUNT:
        if ((long long)vn->n < c->num && emit(v, out, si, c, c->k, focus, 0, 0)) goto cleanup;
        break;
    case C_MAXCOUNT:
        if (c->num >= 0 && (long long)vn->n > c->num && emit(v, out, si, c, c->k, focus, 0, 0))
            goto cleanup;
        break;
    case C_MINEXCL:
    case C_MININCL:
    case C_MAXEXCL:
    case C_MAXINCL:
        for (size_t i = 0; i < vn->n; i++) {
            int r = compare(&tt->t[vn->v[i]], &tt->t[c->param]);
            bool ok = r != 2 && ((c->k == C_MINEXCL && r > 0) || (c->k == C_MININCL && r >= 0) ||
                                 (c->k == C_MAXEXCL && r < 0) || (c->k == C_MAXINCL && r <= 0));
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_MINLEN:
    case C_MAXLEN:
        for (size_t i = 0; i < vn->n; i++) {
            const tnode *x = &tt->t[vn->v[i]];
            bool ok = false;
            if (x->kind != EKG_TERM_BLANK) {
                long long l = (long long)utf8_len(x->v);
                ok = c->k == C_MINLEN ? l >= c->num : l <= c->num;
            }
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_PATTERN:
        for (size_t i = 0; i < vn->n; i++) {
            const tnode *x = &tt->t[vn->v[i]];
            bool ok = x->kind != EKG_TERM_BLANK && regex_find(v, c->re, x->v);
            if (v->st) goto cleanup;
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_LANGIN:
        for (size_t i = 0; i < vn->n; i++) {
            const tnode *x = &tt->t[vn->v[i]];
            bool ok = false;
            for (size_t j = 0; x->kind == EKG_TERM_LITERAL && j < c->list.n && !ok; j++)
                ok = lang_matches(x->lang, tt->t[c->list.v[j]].v);
            if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_UNIQUELANG:
        for (size_t i = 0; i < vn->n; i++) {
            const char *li = tt->t[vn->v[i]].lang;
            if (!li) continue;
            bool seen_before = false, dup_after = false;
            for (size_t j = 0; j < i && !seen_before; j++)
                seen_before = tt->t[vn->v[j]].lang && !strcasecmp(tt->t[vn->v[j]].lang, li);
            for (size_t j = i + 1; j < vn->n && !dup_after; j++)
                dup_after = tt->t[vn->v[j]].lang && !strcasecmp(tt->t[vn->v[j]].lang, li);
            if (!seen_before && dup_after && emit(v, out, si, c, c->k, focus, 0, 0)) goto cleanup;
        }
        break;
    case C_EQUALS:
    case C_DISJOINT:
    case C_LESSTHAN:
    case C_LESSEQ:
        if (objects(v, v->data, focus, c->param, &other)) goto cleanup;
        vec_uniq(&other);
        if (c->k == C_EQUALS) {
            for (size_t i = 0; i < vn->n; i++)
                if (!vec_has(&other, vn->v[i]) && emit(v, out, si, c, c->k, focus, vn->v[i], 0))
                    goto cleanup;
            for (size_t i = 0; i < other.n; i++)
                if (!vec_has(vn, other.v[i]) && emit(v, out, si, c, c->k, focus, other.v[i], 0))
                    goto cleanup;
        } else if (c->k == C_DISJOINT) {
            for (size_t i = 0; i < vn->n; i++)
                if (vec_has(&other, vn->v[i]) && emit(v, out, si, c, c->k, focus, vn->v[i], 0))
                    goto cleanup;
        } else {
            /* One result per failing pair, as the spec's SPARQL definition. */
            for (size_t i = 0; i < vn->n; i++)
                for (size_t j = 0; j < other.n; j++) {
                    int r = compare(&tt->t[vn->v[i]], &tt->t[other.v[j]]);
                    bool ok = r != 2 && (c->k == C_LESSTHAN ? r < 0 : r <= 0);
                    if (!ok && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
                }
        }
        break;
    case C_NOT:
    case C_NODE:
        for (size_t i = 0; i < vn->n; i++) {
            int r = conforms(v, c->shapes[0], vn->v[i]);
            if (r < 0) goto cleanup;
            if ((c->k == C_NOT ? r == 1 : r == 0) &&
                emit(v, out, si, c, c->k, focus, vn->v[i], 0))
                goto cleanup;
        }
        break;
    case C_AND:
    case C_OR:
    case C_XONE:
        for (size_t i = 0; i < vn->n; i++) {
            size_t ok = 0;
            for (size_t j = 0; j < c->nshapes; j++) {
                int r = conforms(v, c->shapes[j], vn->v[i]);
                if (r < 0) goto cleanup;
                ok += (size_t)r;
                if (c->k == C_AND && !r) break;
                if (c->k == C_OR && r) break;
            }
            bool pass = c->k == C_AND ? ok == c->nshapes : c->k == C_OR ? ok > 0 : ok == 1;
            if (c->k == C_AND && ok < c->nshapes) pass = false;
            if (!pass && emit(v, out, si, c, c->k, focus, vn->v[i], 0)) goto cleanup;
        }
        break;
    case C_PROPERTY:
        for (size_t i = 0; i < vn->n; i++)
            if (validate(v, c->shapes[0], vn->v[i], out)) goto cleanup;
        break;
    case C_QVS: {
        long long n = 0;
        for (size_t i = 0; i < vn->n; i++) {
            int r = conforms(v, c->shapes[0], vn->v[i]);
            if (r < 0) goto cleanup;
            for (size_t j = 1; r == 1 && j < c->nshapes; j++) {
                int q = conforms(v, c->shapes[j], vn->v[i]);
                if (q < 0) goto cleanup;
                if (q) r = 0;
            }
            n += r;
        }
        if (c->num >= 0 && n < c->num && emit(v, out, si, c, C_QMIN, focus, 0, 0)) goto cleanup;
        if (c->num2 >= 0 && n > c->num2 && emit(v, out, si, c, C_QMAX, focus, 0, 0))
            goto cleanup;
        break;
    }
    case C_CLOSED:
        for (size_t i = 0; i < vn->n; i++) {
            idvec p = {0}, o = {0};
            if (out_arcs(v, v->data, vn->v[i], &p, &o)) {
                vec_free(&p);
                vec_free(&o);
                goto cleanup;
            }
            for (size_t j = 0; j < p.n; j++)
                if (!vec_has(&c->list, p.v[j]) &&
                    emit(v, out, si, c, c->k, focus, o.v[j], p.v[j])) {
                    vec_free(&p);
                    vec_free(&o);
                    goto cleanup;
                }
            vec_free(&p);
            vec_free(&o);
        }
        break;
    case C_HASVALUE:
        if (!vec_has(vn, c->param) && emit(v, out, si, c, c->k, focus, 0, 0)) goto cleanup;
        break;
    case C_IN:
        for (size_t i = 0; i < vn->n; i++)
            if (!vec_has(&c->list, vn->v[i]) && emit(v, out, si, c, c->k, focus, vn->v[i], 0))
                goto cleanup;
        break;
    default: break;
    }
    rc = v->st ? -1 : 0;
cleanup:
    vec_free(&other);
    return rc;
}

static int validate_at(V *v, int si, tid focus, sink_t *out);

static int validate(V *v, int si, tid focus, sink_t *out)
{
    if (v->depth >= MAX_DEPTH) {
        if (!v->warned_depth)
            ekg_report(v->sink, EKG_LOG_WARNING, EKG_ERR_LIMIT, "shapes", 0,
                       "shape %s nests deeper than %d (recursive shapes?): taken to conform",
                       v->tt.t[SH(v, si)->id].v, MAX_DEPTH);
        v->warned_depth = true;
        return 0;
    }
    v->depth++;
    int rc = validate_at(v, si, focus, out);
    v->depth--;
    return rc;
}

static int validate_at(V *v, int si, tid focus, sink_t *out)
{
    if (v->st) return -1;
    if (SH(v, si)->deactivated || !SH(v, si)->compiled) return 0;
    idvec vn = {0};
    int rc = -1;
    if (SH(v, si)->path) {
        if (path_eval(v, SH(v, si)->path, focus, false, &vn)) goto cleanup;
        vec_uniq(&vn);
    } else if (vec_push(&vn, focus)) {
        v->st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < SH(v, si)->ncs; i++) {
        size_t before = out->count;
        constraint c = SH(v, si)->cs[i]; /* a copy: v->sh may move */
        if (check_constraint(v, si, &c, focus, &vn, out)) goto cleanup;
        if (!out->record && out->count > before) break; /* conformance known */
    }
    rc = 0;
cleanup:
    vec_free(&vn);
    return rc;
}

/* Focus nodes of shape si (sorted, unique). */
static int focus_nodes(V *v, int si, bool implicit_class, idvec *out)
{
    shape s = *SH(v, si);
    for (size_t i = 0; i < s.t_node.n; i++)
        if (vec_push(out, s.t_node.v[i])) return v->st = EKG_ERR_NOMEM, -1;
    for (size_t i = 0; i < s.t_class.n; i++)
        if (instances(v, s.t_class.v[i], out)) return -1;
    if (implicit_class && instances(v, s.id, out)) return -1;
    for (size_t i = 0; i < s.t_subj.n; i++)
        if (match(v, v->data, 0, s.t_subj.v[i], 0, out, NULL, NULL)) return -1;
    for (size_t i = 0; i < s.t_obj.n; i++)
        if (match(v, v->data, 0, s.t_obj.v[i], 0, NULL, NULL, out)) return -1;
    vec_uniq(out);
    return 0;
}

static int init_vocab(V *v)
{
    for (int i = 0; i < K_COUNT; i++) {
        ekg_term t = ekg_iri(VOCAB[i]);
        if (!(v->k[i] = intern(&v->tt, &t))) return -1;
    }
    char buf[256];
    for (int i = 0; i < C_COUNT; i++) {
        if (COMP[i].component) {
            snprintf(buf, sizeof buf, EKG_SH "%s", COMP[i].component);
            ekg_term t = ekg_iri(buf);
            if (!(v->comp_iri[i] = intern(&v->tt, &t))) return -1;
        }
        if (COMP[i].param) {
            snprintf(buf, sizeof buf, EKG_SH "%s", COMP[i].param);
            ekg_term t = ekg_iri(buf);
            if (!(v->param_iri[i] = intern(&v->tt, &t))) return -1;
        }
    }
    return 0;
}

ekg_status ekg_shacl_validate(ekg_store *data, ekg_store *shapes,
                              const ekg_shacl_options *opts, ekg_shacl_report *report,
                              const ekg_sink *sink)
{
    if (!data || !shapes || !report) return EKG_ERR_ARG;
    V v = {0};
    v.data = data;
    v.shapes = shapes;
    v.sink = sink;
    v.report = report;
    v.default_messages = opts ? opts->default_messages : false;
    idvec cand = {0}, roots = {0}, classes = {0}, focus = {0};
    if (init_vocab(&v)) {
        v.st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    /* Shapes with targets: subjects of the four target predicates, and
     * shapes that are also classes (implicit class targets). */
    static const int TARGET_KEYS[] = {K_TARGETNODE, K_TARGETCLASS, K_TARGETSUBJ, K_TARGETOBJ};
    for (size_t i = 0; i < 4; i++)
        if (match(&v, shapes, 0, v.k[TARGET_KEYS[i]], 0, &roots, NULL, NULL)) goto cleanup;
    if (subjects(&v, shapes, v.k[K_TYPE], v.k[K_CLASS_RDFS], &classes)) goto cleanup;
    vec_uniq(&classes);
    if (subjects(&v, shapes, v.k[K_TYPE], v.k[K_NODESHAPE], &cand) ||
        subjects(&v, shapes, v.k[K_TYPE], v.k[K_PROPSHAPE], &cand))
        goto cleanup;
    vec_uniq(&cand);
    for (size_t i = 0; i < cand.n; i++)
        if (vec_has(&classes, cand.v[i]) && vec_push(&roots, cand.v[i])) goto nomem;
    vec_uniq(&roots);
    for (size_t i = 0; i < roots.n; i++) {
        int si = compile_shape(&v, roots.v[i]);
        if (si < 0) goto cleanup;
        if (SH(&v, si)->deactivated) continue;
        focus.n = 0;
        bool implicit = vec_has(&classes, roots.v[i]) && vec_has(&cand, roots.v[i]);
        if (focus_nodes(&v, si, implicit, &focus)) goto cleanup;
        sink_t out = {true, 0};
        for (size_t j = 0; j < focus.n; j++)
            if (validate(&v, si, focus.v[j], &out)) goto cleanup;
    }
    goto cleanup;
nomem:
    v.st = EKG_ERR_NOMEM;
cleanup:
    vec_free(&cand);
    vec_free(&roots);
    vec_free(&classes);
    vec_free(&focus);
    shapes_free(&v);
    ttab_free(&v.tt);
    if (v.st == EKG_ERR_NOMEM) ekg_report(sink, EKG_LOG_ERROR, v.st, "shacl", 0, "out of memory");
    return v.st;
}

ekg_status ekg_shacl_path_text(ekg_store *store, const ekg_term *node, char **out)
{
    if (!store || !node || !out) return EKG_ERR_ARG;
    *out = NULL;
    V v = {0};
    v.data = v.shapes = store;
    ekg_status st = EKG_OK;
    if (init_vocab(&v)) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    tid n = intern(&v.tt, node);
    path *p = n ? compile_path(&v, store, n, 0) : NULL;
    if (!p) {
        st = v.st ? v.st : EKG_ERR_PARSE;
        goto cleanup;
    }
    sbuf b = {0};
    path_text(&v.tt, p, &b);
    path_free(p);
    if (!b.s) st = EKG_ERR_NOMEM;
    *out = b.s;
cleanup:
    for (size_t i = 0; i < v.npix; i++) free(v.pix[i].pairs);
    free(v.pix);
    ttab_free(&v.tt);
    return st;
}
