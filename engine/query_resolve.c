/* query_resolve.c — names → IRIs.
 *
 * The name tables are read from the store (every graph: the ontology graph
 * has the knowledge base, document graphs may add persons):
 *   labels   skos:prefLabel/altLabel/hiddenLabel, ekg:code, rdfs:label of
 *            every IRI, folded with ekg_fold (case, diacritics), sorted;
 *   classes  rdfs:subClassOf, as parent → children, for closures;
 *   verbs    ekg:queryWord of lexicon entries whose ekg:signals is an event
 *            class ("did" is built in and means any event).
 * An entity name matches any label in any language; a class name matches a
 * class's label (unless quoted). Nothing of the domain is spelled here. */
#include "ekg/fold.h"
#include "query_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *fold;
    char *iri;
    char *label;
} label_ent;

struct ekg_names {
    label_ent *labels;
    size_t nlabels, cap;
    ekg_qmap *children;  /* class IRI → ekg_strv* of subclasses */
    ekg_qmap *classes;   /* every class IRI */
    ekg_qmap *verbs;     /* folded query word → ekg_strv* of event classes */
    ekg_qmap *display;   /* lang \t IRI → char* label */
    const char **words;  /* completion */
    size_t nwords;
    ekg_strv verb_words; /* sorted, for messages */
};

ekg_status ekg_qerror(const ekg_sink *sink, ekg_status st, int col, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sink && sink->fn) {
        ekg_diag d = {EKG_LOG_ERROR, st, "query", 1, col, msg};
        sink->fn(sink->ctx, &d);
    }
    return st;
}

static void strv_free(void *p)
{
    ekg_strv_clear(p);
    free(p);
}

void ekg_names_free(ekg_names *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->nlabels; i++) {
        free(n->labels[i].fold);
        free(n->labels[i].iri);
        free(n->labels[i].label);
    }
    free(n->labels);
    ekg_qmap_free(n->children, strv_free);
    ekg_qmap_free(n->classes, NULL);
    ekg_qmap_free(n->verbs, strv_free);
    ekg_qmap_free(n->display, free);
    ekg_strv_clear(&n->verb_words);
    free(n->words);
    free(n);
}

/* ---- loading ------------------------------------------------------------ */

typedef struct {
    ekg_names *n;
    ekg_store *st;
    ekg_status err;
} load_ctx;

static int on_label(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    load_ctx *c = vc;
    ekg_names *n = c->n;
    if (t->s.kind != EKG_TERM_IRI || t->o.kind != EKG_TERM_LITERAL) return 0;
    if (n->nlabels == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 1024;
        label_ent *v = realloc(n->labels, cap * sizeof *v);
        if (!v) goto nomem;
        n->labels = v;
        n->cap = cap;
    }
    label_ent *e = &n->labels[n->nlabels];
    e->fold = ekg_fold(t->o.value, (size_t)-1);
    e->iri = strdup(t->s.value);
    e->label = strdup(t->o.value);
    if (!e->fold || !e->iri || !e->label) {
        free(e->fold);
        free(e->iri);
        free(e->label);
        goto nomem;
    }
    n->nlabels++;
    return 0;
nomem:
    c->err = EKG_ERR_NOMEM;
    return 1;
}

static int on_subclass(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    load_ctx *c = vc;
    if (t->s.kind != EKG_TERM_IRI || t->o.kind != EKG_TERM_IRI) return 0;
    bool created;
    void **slot = ekg_qmap_put(c->n->children, t->o.value, &created);
    if (!slot || !ekg_qmap_put(c->n->classes, t->o.value, NULL) ||
        !ekg_qmap_put(c->n->classes, t->s.value, NULL))
        goto nomem;
    if (!*slot && !(*slot = calloc(1, sizeof(ekg_strv)))) goto nomem;
    ekg_strv *kids = *slot;
    for (size_t i = 0; i < kids->n; i++)
        if (strcmp(kids->v[i], t->s.value) == 0) return 0;
    if (ekg_strv_push(kids, t->s.value)) goto nomem;
    return 0;
nomem:
    c->err = EKG_ERR_NOMEM;
    return 1;
}

static int on_class(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    load_ctx *c = vc;
    if (t->s.kind == EKG_TERM_IRI && !ekg_qmap_put(c->n->classes, t->s.value, NULL)) {
        c->err = EKG_ERR_NOMEM;
        return 1;
    }
    return 0;
}

typedef struct {
    load_ctx *c;
    const char *word;
} verb_ctx;

static int on_signal(void *vv, const ekg_term *cls)
{
    verb_ctx *v = vv;
    load_ctx *c = v->c;
    if (cls->kind != EKG_TERM_IRI) return 0;
    /* Only entries that signal an event class give query verbs. */
    ekg_qmap *events = ekg_qmap_new();
    if (!events || ekg_names_closure(c->n, EKG_NS "Event", events)) goto nomem;
    bool is_event = ekg_qmap_get(events, cls->value) != NULL;
    ekg_qmap_free(events, NULL);
    events = NULL;
    if (!is_event) return 0;
    char *f = ekg_fold(v->word, (size_t)-1);
    if (!f) goto nomem;
    bool created;
    void **slot = ekg_qmap_put(c->n->verbs, f, &created);
    if (!slot) {
        free(f);
        goto nomem;
    }
    if (created && ekg_strv_push(&c->n->verb_words, f)) {
        free(f);
        goto nomem;
    }
    free(f);
    if (!*slot && !(*slot = calloc(1, sizeof(ekg_strv)))) goto nomem;
    if (ekg_strv_push(*slot, cls->value)) goto nomem;
    return 0;
nomem:
    ekg_qmap_free(events, NULL);
    c->err = EKG_ERR_NOMEM;
    return 1;
}

static int on_query_word(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    load_ctx *c = vc;
    if (t->o.kind != EKG_TERM_LITERAL) return 0;
    verb_ctx v = {c, t->o.value};
    ekg_term p = ekg_iri(EKG_NS "signals");
    ekg_status st = ekg_store_targets(c->st, &t->s, &p, on_signal, &v);
    if (st && !c->err) c->err = st;
    return c->err != EKG_OK;
}

static int cmp_label(const void *a, const void *b)
{
    const label_ent *x = a, *y = b;
    int d = strcmp(x->fold, y->fold);
    if (!d) d = strcmp(x->iri, y->iri);
    if (!d) d = strcmp(x->label, y->label);
    return d;
}

ekg_status ekg_names_load(ekg_store *st, const ekg_sink *sink, ekg_names **out)
{
    ekg_status s = EKG_OK;
    *out = NULL;
    ekg_names *n = calloc(1, sizeof *n);
    if (!n) return EKG_ERR_NOMEM;
    load_ctx c = {n, st, EKG_OK};
    n->children = ekg_qmap_new();
    n->classes = ekg_qmap_new();
    n->verbs = ekg_qmap_new();
    n->display = ekg_qmap_new();
    if (!n->children || !n->classes || !n->verbs || !n->display) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    static const char *const LABEL_PROPS[] = {EKG_SKOS "prefLabel", EKG_SKOS "altLabel",
                                              EKG_SKOS "hiddenLabel", EKG_NS "code",
                                              EKG_RDFS "label"};
    for (size_t i = 0; i < sizeof LABEL_PROPS / sizeof *LABEL_PROPS; i++) {
        ekg_term p = ekg_iri(LABEL_PROPS[i]);
        EKG_TRY(s, ekg_store_match(st, NULL, &p, NULL, NULL, on_label, &c));
        EKG_TRY(s, c.err);
    }
    qsort(n->labels, n->nlabels, sizeof *n->labels, cmp_label);
    ekg_term p = ekg_iri(EKG_RDFS "subClassOf");
    EKG_TRY(s, ekg_store_match(st, NULL, &p, NULL, NULL, on_subclass, &c));
    EKG_TRY(s, c.err);
    ekg_term ty = ekg_iri(EKG_RDF_TYPE), owlc = ekg_iri(EKG_OWL "Class");
    EKG_TRY(s, ekg_store_match(st, NULL, &ty, &owlc, NULL, on_class, &c));
    EKG_TRY(s, c.err);
    ekg_term qw = ekg_iri(EKG_NS "queryWord");
    EKG_TRY(s, ekg_store_match(st, NULL, &qw, NULL, NULL, on_query_word, &c));
    EKG_TRY(s, c.err);
    ekg_strv_sort(&n->verb_words);

    /* Completion words: keywords, verbs, labels (distinct). */
    size_t nk = 0;
    const char *const *kw = ekg_qast_keywords();
    while (kw[nk]) nk++;
    n->words = malloc((nk + n->verb_words.n + n->nlabels + 1) * sizeof *n->words);
    if (!n->words) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < nk; i++) n->words[n->nwords++] = kw[i];
    for (size_t i = 0; i < n->verb_words.n; i++) n->words[n->nwords++] = n->verb_words.v[i];
    for (size_t i = 0; i < n->nlabels; i++)
        if (!i || strcmp(n->labels[i].label, n->labels[i - 1].label) != 0)
            n->words[n->nwords++] = n->labels[i].label;
cleanup:
    if (s) {
        ekg_report(sink, EKG_LOG_ERROR, s, ekg_store_spec(st), 0,
                   "cannot read the names of the knowledge base: %s", ekg_strerror(s));
        ekg_names_free(n);
        return s;
    }
    *out = n;
    return EKG_OK;
}

size_t ekg_names_words(const ekg_names *n, const char *const **words)
{
    *words = n->words;
    return n->nwords;
}

/* ---- classes ------------------------------------------------------------ */

ekg_status ekg_names_closure(ekg_names *n, const char *cls, ekg_qmap *set)
{
    bool created;
    if (!ekg_qmap_put(set, cls, &created)) return EKG_ERR_NOMEM;
    if (!created) return EKG_OK;
    void **kids = ekg_qmap_get(n->children, cls);
    if (!kids || !*kids) return EKG_OK;
    ekg_strv *k = *kids;
    for (size_t i = 0; i < k->n; i++) {
        ekg_status st = ekg_names_closure(n, k->v[i], set);
        if (st) return st;
    }
    return EKG_OK;
}

/* ---- display labels ----------------------------------------------------- */

typedef struct {
    const char *lang;
    char *best;
    int rank; /* 0 exact lang, 1 lang prefix, 2 en, 3 other, 4 none */
} pick_ctx;

static int lang_rank(const char *want, const char *have)
{
    if (!have) have = "";
    if (strcasecmp(want, have) == 0) return 0;
    size_t n = strlen(want);
    if (strncasecmp(want, have, n) == 0 && have[n] == '-') return 1;
    if (strcasecmp(have, "en") == 0 || strncasecmp(have, "en-", 3) == 0) return 2;
    return 3;
}

static int on_pick(void *vp, const ekg_term *t)
{
    pick_ctx *p = vp;
    if (t->kind != EKG_TERM_LITERAL) return 0;
    int r = lang_rank(p->lang, t->lang);
    if (r < p->rank || (r == p->rank && p->best && strcmp(t->value, p->best) < 0)) {
        char *d = strdup(t->value);
        if (!d) return 1;
        free(p->best);
        p->best = d;
        p->rank = r;
    }
    return 0;
}

static const char *last_segment(const char *iri)
{
    const char *h = strrchr(iri, '#'), *s = strrchr(iri, '/');
    const char *b = h > s ? h : s;
    return b && b[1] ? b + 1 : iri;
}

const char *ekg_names_label(ekg_names *n, ekg_store *st, const char *iri, const char *lang)
{
    if (!lang || !*lang) lang = "en";
    size_t kl = strlen(lang) + strlen(iri) + 2;
    char *key = malloc(kl);
    if (!key) return iri;
    snprintf(key, kl, "%s\t%s", lang, iri);
    void **slot = ekg_qmap_get(n->display, key);
    if (slot) {
        free(key);
        return *slot;
    }
    static const char *const PROPS[] = {EKG_SKOS "prefLabel", EKG_RDFS "label",
                                        EKG_DCT "title", EKG_SKOS "altLabel"};
    pick_ctx p = {lang, NULL, 4};
    ekg_term s = ekg_iri(iri);
    for (size_t i = 0; i < sizeof PROPS / sizeof *PROPS && !p.best; i++) {
        ekg_term pr = ekg_iri(PROPS[i]);
        ekg_store_targets(st, &s, &pr, on_pick, &p);
    }
    if (!p.best) p.best = strdup(last_segment(iri));
    slot = ekg_qmap_put(n->display, key, NULL);
    free(key);
    if (!slot || !p.best) {
        free(p.best);
        return iri;
    }
    *slot = p.best;
    return p.best;
}

/* ---- resolution --------------------------------------------------------- */

void ekg_rterm_clear(ekg_rterm *t)
{
    ekg_qmap_free(t->set, NULL);
    ekg_strv_clear(&t->list);
    free(t->entity);
    free(t->column);
    memset(t, 0, sizeof *t);
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* First label entry whose fold equals f (labels are sorted). */
static size_t lower_bound(const ekg_names *n, const char *f)
{
    size_t lo = 0, hi = n->nlabels;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(n->labels[mid].fold, f) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

/* Up to 3 labels of entities nearest to f, as "A, B or C" into buf. */
static void suggest(const ekg_names *n, const char *f, bool classes, char *buf, size_t cap)
{
    size_t best_d[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
    const label_ent *best[3] = {0};
    size_t limit = strlen(f) / 3;
    if (limit < 2) limit = 2;
    for (size_t i = 0; i < n->nlabels; i++) {
        const label_ent *e = &n->labels[i];
        bool is_class = ekg_qmap_get(n->classes, e->iri) != NULL;
        if (!(starts(e->iri, EKG_ID) || (classes && is_class && starts(e->iri, EKG_NS))))
            continue;
        size_t d = levenshtein(f, e->fold);
        if (d > limit) continue;
        bool dup = false;
        for (int k = 0; k < 3; k++)
            if (best[k] && (strcmp(best[k]->iri, e->iri) == 0 ||
                            strcmp(best[k]->label, e->label) == 0)) {
                dup = true;
                if (d < best_d[k]) best_d[k] = d, best[k] = e;
            }
        if (dup) continue;
        for (int k = 0; k < 3; k++) {
            if (d < best_d[k]) {
                for (int m = 2; m > k; m--) best_d[m] = best_d[m - 1], best[m] = best[m - 1];
                best_d[k] = d;
                best[k] = e;
                break;
            }
        }
    }
    buf[0] = 0;
    int nb = 0;
    while (nb < 3 && best[nb]) nb++;
    size_t off = 0;
    for (int k = 0; k < nb && off < cap; k++)
        off += (size_t)snprintf(buf + off, cap - off, "%s%s", k == 0 ? "" : k == nb - 1 ? " or " : ", ",
                                best[k]->label);
}

static char *compact(const char *iri)
{
    char *out = malloc(strlen(iri) + 8);
    if (!out) return NULL;
    if (starts(iri, EKG_ID))
        sprintf(out, "ekgid:%s", iri + strlen(EKG_ID));
    else if (starts(iri, EKG_NS))
        sprintf(out, "ekg:%s", iri + strlen(EKG_NS));
    else
        strcpy(out, iri);
    return out;
}

typedef struct {
    ekg_rterm *t;
    ekg_strv todo;
    ekg_status err;
} expand_ctx;

static int on_member(void *vc, const ekg_term *t)
{
    expand_ctx *c = vc;
    if (t->kind != EKG_TERM_IRI) return 0;
    bool created;
    if (!ekg_qmap_put(c->t->set, t->value, &created)) goto nomem;
    if (created && ekg_strv_push(&c->todo, t->value)) goto nomem;
    return 0;
nomem:
    c->err = EKG_ERR_NOMEM;
    return 1;
}

/* Whether iri has a type in the closure of cls. */
static bool has_type_in(ekg_names *n, ekg_store *st, const char *iri, ekg_qmap *set);

typedef struct {
    ekg_qmap *set;
    bool found;
} type_ctx;

static int on_type(void *vc, const ekg_term *t)
{
    type_ctx *c = vc;
    if (t->kind == EKG_TERM_IRI && ekg_qmap_get(c->set, t->value)) {
        c->found = true;
        return 1;
    }
    return 0;
}

static bool has_type_in(ekg_names *n, ekg_store *st, const char *iri, ekg_qmap *set)
{
    (void)n;
    type_ctx c = {set, false};
    ekg_term s = ekg_iri(iri), p = ekg_iri(EKG_RDF_TYPE);
    ekg_store_targets(st, &s, &p, on_type, &c);
    return c.found;
}

/* The entity and, transitively, what is part of it (ekg:partOf,
 * ekg:locatedIn) and — for actors — who represents it (ekg:represents). */
static ekg_status expand(ekg_names *n, ekg_store *st, ekg_rterm *t, bool people)
{
    ekg_status s = EKG_OK;
    expand_ctx c = {t, {0}, EKG_OK};
    bool expandable = true;
    if (people) {
        ekg_qmap *org = ekg_qmap_new();
        if (!org) return EKG_ERR_NOMEM;
        s = ekg_names_closure(n, EKG_NS "State", org);
        if (!s) s = ekg_names_closure(n, EKG_NS "Organization", org);
        expandable = !s && has_type_in(n, st, t->entity, org);
        ekg_qmap_free(org, NULL);
        if (s) return s;
    }
    if (expandable) {
        if ((s = ekg_strv_push(&c.todo, t->entity))) goto cleanup;
        static const char *const PEOPLE[] = {EKG_NS "partOf", EKG_NS "represents"};
        static const char *const PLACES[] = {EKG_NS "partOf", EKG_NS "locatedIn"};
        const char *const *props = people ? PEOPLE : PLACES;
        for (size_t i = 0; i < c.todo.n; i++) {
            ekg_term o = ekg_iri(c.todo.v[i]);
            for (int k = 0; k < 2; k++) {
                ekg_term p = ekg_iri(props[k]);
                EKG_TRY(s, ekg_store_sources(st, &p, &o, on_member, &c));
                EKG_TRY(s, c.err);
            }
        }
    }
cleanup:
    ekg_strv_clear(&c.todo);
    return s;
}

static ekg_status fill_list(ekg_rterm *t)
{
    for (size_t i = 0; i < ekg_qmap_capacity(t->set); i++) {
        const char *k = ekg_qmap_key_at(t->set, i, NULL);
        if (k && ekg_strv_push(&t->list, k)) return EKG_ERR_NOMEM;
    }
    ekg_strv_sort(&t->list);
    return EKG_OK;
}

ekg_status ekg_names_resolve_term(ekg_names *n, ekg_store *st, const ekg_qterm *q,
                                  bool expand_people, const ekg_sink *sink, ekg_rterm *out)
{
    ekg_status s = EKG_OK;
    char *f = NULL;
    ekg_strv cand = {0}, cand_labels = {0};
    memset(out, 0, sizeof *out);
    switch (q->kind) {
    case EKG_QTERM_NONE: return EKG_OK;
    case EKG_QTERM_WHAT:
        out->kind = EKG_RT_ANY;
        out->column = strdup("what");
        return out->column ? EKG_OK : EKG_ERR_NOMEM;
    case EKG_QTERM_WHO:
    case EKG_QTERM_WHOM:
        out->kind = EKG_RT_ACTOR;
        out->column = strdup(q->kind == EKG_QTERM_WHO ? "who" : "whom");
        if (!(out->set = ekg_qmap_new()) || !out->column) return EKG_ERR_NOMEM;
        if ((s = ekg_names_closure(n, EKG_NS "Actor", out->set))) return s;
        return fill_list(out);
    case EKG_QTERM_NAME: break;
    }
    if (!(f = ekg_fold(q->text, (size_t)-1))) return EKG_ERR_NOMEM;
    size_t i0 = lower_bound(n, f);
    /* A class, when unquoted. */
    if (!q->quoted && !q->exactly) {
        for (size_t i = i0; i < n->nlabels && strcmp(n->labels[i].fold, f) == 0; i++) {
            const label_ent *e = &n->labels[i];
            if (!starts(e->iri, EKG_NS) || !ekg_qmap_get(n->classes, e->iri)) continue;
            out->kind = EKG_RT_CLASS;
            out->column = strdup(q->text);
            out->entity = strdup(e->iri);
            if (!(out->set = ekg_qmap_new()) || !out->column || !out->entity) {
                s = EKG_ERR_NOMEM;
                goto cleanup;
            }
            EKG_TRY(s, ekg_names_closure(n, e->iri, out->set));
            EKG_TRY(s, fill_list(out));
            goto cleanup;
        }
    }
    for (size_t i = i0; i < n->nlabels && strcmp(n->labels[i].fold, f) == 0; i++) {
        const label_ent *e = &n->labels[i];
        if (!starts(e->iri, EKG_ID)) continue;
        bool dup = false;
        for (size_t k = 0; k < cand.n; k++) dup |= strcmp(cand.v[k], e->iri) == 0;
        if (dup) continue;
        if ((s = ekg_strv_push(&cand, e->iri))) goto cleanup;
    }
    if (cand.n == 0 && q->exactly && !q->quoted) {
        /* `exactly` (written, or implied by neighbors and describe) takes an
         * entity: a class name is not an unknown name. */
        for (size_t i = i0; i < n->nlabels && strcmp(n->labels[i].fold, f) == 0; i++)
            if (starts(n->labels[i].iri, EKG_NS) && ekg_qmap_get(n->classes, n->labels[i].iri)) {
                s = ekg_qerror(sink, EKG_ERR_QUERY, q->col, "'%s' is a class; name one entity here",
                               q->text);
                goto cleanup;
            }
    }
    if (cand.n == 0) {
        char sug[1024];
        suggest(n, f, !q->quoted, sug, sizeof sug);
        if (*sug)
            s = ekg_qerror(sink, EKG_ERR_NOTFOUND, q->col, "unknown name '%s'; did you mean %s?",
                           q->text, sug);
        else
            s = ekg_qerror(sink, EKG_ERR_NOTFOUND, q->col, "unknown name '%s'", q->text);
        goto cleanup;
    }
    if (cand.n > 1) {
        char list[2048];
        size_t off = 0;
        ekg_strv_sort(&cand);
        for (size_t k = 0; k < cand.n && off < sizeof list; k++) {
            char *c = compact(cand.v[k]);
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s (%s)",
                                    k == 0 ? "" : k == cand.n - 1 ? " or " : ", ",
                                    ekg_names_label(n, st, cand.v[k], "en"), c ? c : "");
            free(c);
        }
        s = ekg_qerror(sink, EKG_ERR_QUERY, q->col, "ambiguous name '%s': it may be %s",
                       q->text, list);
        goto cleanup;
    }
    out->kind = EKG_RT_ENTITY;
    out->entity = strdup(cand.v[0]);
    out->set = ekg_qmap_new();
    if (!out->entity || !out->set || !ekg_qmap_put(out->set, out->entity, NULL)) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    if (!q->exactly) EKG_TRY(s, expand(n, st, out, expand_people));
    EKG_TRY(s, fill_list(out));
cleanup:
    free(f);
    ekg_strv_clear(&cand);
    ekg_strv_clear(&cand_labels);
    if (s) ekg_rterm_clear(out);
    return s;
}

ekg_status ekg_names_resolve_verb(ekg_names *n, const ekg_qverb *v, const ekg_sink *sink,
                                  ekg_qmap **classes)
{
    ekg_status s = EKG_OK;
    *classes = ekg_qmap_new();
    char *f = ekg_fold(v->word, (size_t)-1);
    if (!*classes || !f) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    if (strcmp(f, "did") == 0) {
        s = ekg_names_closure(n, EKG_NS "Event", *classes);
        goto cleanup;
    }
    void **slot = ekg_qmap_get(n->verbs, f);
    if (!slot) {
        /* Nearest verbs, else the list. */
        char buf[1024];
        size_t off = 0, best = (size_t)-1;
        for (size_t i = 0; i < n->verb_words.n; i++) {
            size_t d = levenshtein(f, n->verb_words.v[i]);
            if (d < best) best = d;
        }
        size_t limit = strlen(f) / 3 < 2 ? 2 : strlen(f) / 3;
        buf[0] = 0;
        for (size_t i = 0; i < n->verb_words.n && off < sizeof buf; i++)
            if (best <= limit ? levenshtein(f, n->verb_words.v[i]) == best : true)
                off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", off ? ", " : "",
                                        n->verb_words.v[i]);
        if (best <= limit)
            s = ekg_qerror(sink, EKG_ERR_NOTFOUND, v->col, "unknown verb '%s'; did you mean %s?",
                           v->word, buf);
        else
            s = ekg_qerror(sink, EKG_ERR_NOTFOUND, v->col, "unknown verb '%s'; the verbs are: did%s%s",
                           v->word, *buf ? ", " : "", buf);
        goto cleanup;
    }
    ekg_strv *cls = *slot;
    for (size_t i = 0; i < cls->n; i++)
        if ((s = ekg_names_closure(n, cls->v[i], *classes))) goto cleanup;
cleanup:
    free(f);
    if (s) {
        ekg_qmap_free(*classes, NULL);
        *classes = NULL;
    }
    return s;
}
