/* checks.c — domain checks beyond SHACL (checks.h), native walks over the
 * store's indexes. One function per check, one row per check in CHECKS. */
#include "ekg/checks.h"
#include "ekg/strv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings ------------------------------------------------------------- */

/* Open-addressing set of owned strings. */
typedef struct {
    char **slot;
    size_t cap, n;
} strset;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool ss_has(const strset *s, const char *x)
{
    if (!s->cap) return false;
    size_t h = hash_str(x) & (s->cap - 1);
    while (s->slot[h]) {
        if (!strcmp(s->slot[h], x)) return true;
        h = (h + 1) & (s->cap - 1);
    }
    return false;
}

/* Adds a copy; *added tells whether it was new. */
static int ss_add(strset *s, const char *x, bool *added)
{
    if (added) *added = false;
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        char **ns = calloc(nc, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i]) continue;
            size_t h = hash_str(s->slot[i]) & (nc - 1);
            while (ns[h]) h = (h + 1) & (nc - 1);
            ns[h] = s->slot[i];
        }
        free(s->slot);
        s->slot = ns;
        s->cap = nc;
    }
    size_t h = hash_str(x) & (s->cap - 1);
    while (s->slot[h]) {
        if (!strcmp(s->slot[h], x)) return 0;
        h = (h + 1) & (s->cap - 1);
    }
    if (!(s->slot[h] = strdup(x))) return -1;
    s->n++;
    if (added) *added = true;
    return 0;
}

static void ss_free(strset *s)
{
    for (size_t i = 0; i < s->cap; i++) free(s->slot[i]);
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
}

/* ---- store helpers ------------------------------------------------------- */

typedef struct {
    ekg_strv *out;
    ekg_term_kind only; /* EKG_TERM_NONE: any */
    int failed;
} collect_ctx;

static int collect(void *ctx, const ekg_term *t)
{
    collect_ctx *c = ctx;
    if (c->only != EKG_TERM_NONE && t->kind != c->only) return 0;
    if (ekg_strv_push(c->out, t->value)) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

/* Values of (s p ?) — IRIs, literal lexical forms; kind filters. */
static ekg_status objs(ekg_store *st, const char *s, const char *p, ekg_term_kind kind,
                       ekg_strv *out)
{
    ekg_term ts = ekg_iri(s), tp = ekg_iri(p);
    collect_ctx c = {out, kind, 0};
    ekg_status rc = ekg_store_targets(st, &ts, &tp, collect, &c);
    return c.failed ? EKG_ERR_NOMEM : rc;
}

static ekg_status subjs(ekg_store *st, const char *p, const char *o_iri, ekg_strv *out)
{
    ekg_term tp = ekg_iri(p), to = ekg_iri(o_iri);
    collect_ctx c = {out, EKG_TERM_IRI, 0};
    ekg_status rc = ekg_store_sources(st, &tp, &to, collect, &c);
    return c.failed ? EKG_ERR_NOMEM : rc;
}

/* Subclasses* of each root (the roots included), as a set. */
static ekg_status subclasses(ekg_store *st, const char *const *roots, size_t nroots,
                             strset *out)
{
    ekg_strv todo = {0};
    ekg_status rc = EKG_OK;
    for (size_t i = 0; i < nroots; i++) {
        bool added;
        if (ss_add(out, roots[i], &added) || (added && ekg_strv_push(&todo, roots[i]))) {
            rc = EKG_ERR_NOMEM;
            goto cleanup;
        }
    }
    while (todo.n) {
        char *c = todo.v[--todo.n];
        ekg_strv subs = {0};
        rc = subjs(st, EKG_RDFS "subClassOf", c, &subs);
        free(c);
        for (size_t i = 0; rc == EKG_OK && i < subs.n; i++) {
            bool added;
            if (ss_add(out, subs.v[i], &added) || (added && ekg_strv_push(&todo, subs.v[i])))
                rc = EKG_ERR_NOMEM;
        }
        ekg_strv_clear(&subs);
        if (rc) goto cleanup;
    }
cleanup:
    ekg_strv_clear(&todo);
    return rc;
}

/* Instances of the classes in `classes`, de-duplicated, sorted. */
static ekg_status instances(ekg_store *st, const strset *classes, ekg_strv *out)
{
    strset seen = {0};
    ekg_status rc = EKG_OK;
    for (size_t i = 0; i < classes->cap && rc == EKG_OK; i++) {
        if (!classes->slot[i]) continue;
        ekg_strv xs = {0};
        rc = subjs(st, EKG_RDF_TYPE, classes->slot[i], &xs);
        for (size_t j = 0; rc == EKG_OK && j < xs.n; j++) {
            bool added;
            if (ss_add(&seen, xs.v[j], &added) || (added && ekg_strv_push(out, xs.v[j])))
                rc = EKG_ERR_NOMEM;
        }
        ekg_strv_clear(&xs);
    }
    ss_free(&seen);
    ekg_strv_sort(out);
    return rc;
}

/* The first value of (s p ?) or NULL (malloc'd). */
static char *obj1(ekg_store *st, const char *s, const char *p, ekg_term_kind kind)
{
    ekg_strv v = {0};
    char *r = NULL;
    if (objs(st, s, p, kind, &v) == EKG_OK && v.n) {
        ekg_strv_sort(&v); /* deterministic choice */
        r = v.v[0];
        v.v[0] = NULL;
    }
    for (size_t i = 1; i < v.n; i++) free(v.v[i]);
    free(v.v);
    return r;
}

/* ---- dates as day ranges ------------------------------------------------- */

static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY", "YYYY-MM", "YYYY-MM-DD" (a dateTime's date part) as the range of
 * days it may mean. */
static bool day_range(const char *s, long *lo, long *hi)
{
    int y, m = 0, d = 0, n = 0;
    if (!s || sscanf(s, "%4d%n", &y, &n) != 1 || n != 4) return false;
    if (s[4] == '-' && sscanf(s + 5, "%2d", &m) == 1 && m >= 1 && m <= 12) {
        if (s[7] == '-' && sscanf(s + 8, "%2d", &d) == 1 && d >= 1 && d <= 31) {
            *lo = *hi = days_from_civil(y, m, d);
            return true;
        }
        *lo = days_from_civil(y, m, 1);
        *hi = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) - 1;
        return true;
    }
    *lo = days_from_civil(y, 1, 1);
    *hi = days_from_civil(y + 1, 1, 1) - 1;
    return true;
}

/* ---- the checks ---------------------------------------------------------- */

typedef struct {
    ekg_store *st;
    ekg_shacl_report *report;
    const ekg_sink *sink;
    const ekg_check_info *info;
    ekg_strv events; /* instances of ekg:Event's subclasses, lazily */
    bool have_events;
} ctx;

/* Event classes of ontology-core.md, used in addition to what the store's
 * ontology declares (so that `--data` files without the ontology work). */
static const char *const EVENT_CLASSES[] = {
    EKG_NS "Event",       EKG_NS "Meeting",      EKG_NS "Consultation", EKG_NS "Summit",
    EKG_NS "Visit",       EKG_NS "Call",         EKG_NS "Session",      EKG_NS "Statement",
    EKG_NS "Stance",      EKG_NS "Endorsement",  EKG_NS "Criticism",    EKG_NS "Rejection",
    EKG_NS "Proposal",    EKG_NS "Commitment",   EKG_NS "AgreementAct", EKG_NS "Signing",
    EKG_NS "Adoption",    EKG_NS "Accession"};
static const char *const ENTITY_CLASSES[] = {
    EKG_NS "Actor",       EKG_NS "State",      EKG_NS "Organization",
    EKG_NS "InternationalOrganization",        EKG_NS "Agency",
    EKG_NS "Person",      EKG_NS "Agreement",  EKG_NS "Treaty",
    EKG_NS "Convention",  EKG_NS "Resolution", EKG_NS "Declaration",
    EKG_NS "Initiative",  EKG_NS "ActionPlan", EKG_NS "Framework",
    EKG_NS "Legislation", EKG_NS "Place"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static ekg_status events(ctx *c, const ekg_strv **out)
{
    ekg_status rc = EKG_OK;
    if (!c->have_events) {
        strset classes = {0};
        rc = subclasses(c->st, EVENT_CLASSES, COUNT(EVENT_CLASSES), &classes);
        if (rc == EKG_OK) rc = instances(c->st, &classes, &c->events);
        ss_free(&classes);
        c->have_events = rc == EKG_OK;
    }
    *out = &c->events;
    return rc;
}

/* A prefixed name for messages and path text ("ekg:date", "ekgid:state/RUS"). */
static const char *abbrev(const char *iri, char *buf, size_t n)
{
    static const struct {
        const char *prefix, *ns;
    } P[] = {{"ekgid:", EKG_ID}, {"ekg:", EKG_NS}, {"skos:", EKG_SKOS}, {"dcterms:", EKG_DCT},
             {"rdfs:", EKG_RDFS}, {"rdf:", EKG_RDF}};
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        size_t l = strlen(P[i].ns);
        if (!strncmp(iri, P[i].ns, l)) {
            snprintf(buf, n, "%s%s", P[i].prefix, iri + l);
            return buf;
        }
    }
    snprintf(buf, n, "<%s>", iri);
    return buf;
}

static ekg_status add(ctx *c, const char *focus, const char *path, const ekg_term *value,
                      const char *source, const char *related, const char *msg)
{
    static const char *const SEV[] = {EKG_SH "Violation", EKG_SH "Warning", EKG_SH "Info",
                                      EKG_SH "Info"};
    char comp[256];
    snprintf(comp, sizeof comp, EKG_NS "check/%s", c->info->id);
    ekg_shacl_result r = {0};
    r.check = c->info->id;
    r.level = c->info->level;
    r.focus = ekg_iri(focus);
    char ptext[512];
    if (path) {
        r.path = ekg_iri(path);
        r.path_text = abbrev(path, ptext, sizeof ptext);
    }
    if (value) r.value = *value;
    r.severity = ekg_iri(SEV[c->info->level]);
    r.component = ekg_iri(comp);
    r.message = msg;
    r.message_lang = "en";
    r.source = source;
    r.related = related;
    return ekg_shacl_report_add(c->report, &r);
}

/* An event dated after its source document's dcterms:date. */
static ekg_status check_event_after_source(ctx *c)
{
    const ekg_strv *ev;
    ekg_status rc = events(c, &ev);
    for (size_t i = 0; rc == EKG_OK && i < ev->n; i++) {
        const char *e = ev->v[i];
        char *date = obj1(c->st, e, EKG_NS "date", EKG_TERM_LITERAL);
        char *src = obj1(c->st, e, EKG_NS "source", EKG_TERM_IRI);
        char *ddate = src ? obj1(c->st, src, EKG_DCT "date", EKG_TERM_LITERAL) : NULL;
        long elo, ehi, dlo, dhi;
        if (date && ddate && day_range(date, &elo, &ehi) && day_range(ddate, &dlo, &dhi) &&
            elo > dhi) {
            char msg[512];
            snprintf(msg, sizeof msg, "event dated %s, after its source document (%s)", date,
                     ddate);
            ekg_term v = ekg_literal(date, NULL);
            rc = add(c, e, EKG_NS "date", &v, src, NULL, msg);
        }
        free(date);
        free(src);
        free(ddate);
    }
    return rc;
}

typedef struct {
    char *event, *agent, *target, *source;
    long lo, hi;
} stance;

static void stances_free(stance *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].event);
        free(s[i].agent);
        free(s[i].target);
        free(s[i].source);
    }
    free(s);
}

/* Instances of cls* with one agent, target and date each (all combinations). */
static ekg_status read_stances(ctx *c, const char *cls, stance **out, size_t *n)
{
    strset classes = {0};
    ekg_strv xs = {0};
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    ekg_status rc = subclasses(c->st, &cls, 1, &classes);
    if (rc == EKG_OK) rc = instances(c->st, &classes, &xs);
    for (size_t i = 0; rc == EKG_OK && i < xs.n; i++) {
        ekg_strv ag = {0}, tg = {0};
        char *date = obj1(c->st, xs.v[i], EKG_NS "date", EKG_TERM_LITERAL);
        long lo, hi;
        if (date && day_range(date, &lo, &hi)) {
            rc = objs(c->st, xs.v[i], EKG_NS "agent", EKG_TERM_IRI, &ag);
            if (rc == EKG_OK) rc = objs(c->st, xs.v[i], EKG_NS "target", EKG_TERM_IRI, &tg);
            for (size_t a = 0; rc == EKG_OK && a < ag.n; a++)
                for (size_t t = 0; rc == EKG_OK && t < tg.n; t++) {
                    if (*n == cap) {
                        cap = cap ? cap * 2 : 16;
                        stance *ns = realloc(*out, cap * sizeof *ns);
                        if (!ns) {
                            rc = EKG_ERR_NOMEM;
                            break;
                        }
                        *out = ns;
                    }
                    stance *s = &(*out)[(*n)++];
                    s->event = strdup(xs.v[i]);
                    s->agent = strdup(ag.v[a]);
                    s->target = strdup(tg.v[t]);
                    s->source = obj1(c->st, xs.v[i], EKG_NS "source", EKG_TERM_IRI);
                    s->lo = lo;
                    s->hi = hi;
                    if (!s->event || !s->agent || !s->target) rc = EKG_ERR_NOMEM;
                }
        }
        free(date);
        ekg_strv_clear(&ag);
        ekg_strv_clear(&tg);
    }
    ekg_strv_clear(&xs);
    ss_free(&classes);
    return rc;
}

static int cmp_stance(const void *a, const void *b)
{
    const stance *x = a, *y = b;
    int r = strcmp(x->agent, y->agent);
    return r ? r : strcmp(x->target, y->target);
}

/* The same actor endorses and rejects the same target within 90 days. */
static ekg_status check_contradiction(ctx *c)
{
    stance *en = NULL, *re = NULL;
    size_t nen = 0, nre = 0;
    ekg_status rc = read_stances(c, EKG_NS "Endorsement", &en, &nen);
    if (rc == EKG_OK) rc = read_stances(c, EKG_NS "Rejection", &re, &nre);
    if (rc) goto cleanup;
    if (nre) qsort(re, nre, sizeof *re, cmp_stance);
    for (size_t i = 0; rc == EKG_OK && i < nen; i++) {
        stance key = en[i];
        stance *hit = nre ? bsearch(&key, re, nre, sizeof *re, cmp_stance) : NULL;
        if (!hit) continue;
        while (hit > re && !cmp_stance(hit - 1, &key)) hit--; /* first of the run */
        for (; rc == EKG_OK && hit < re + nre && !cmp_stance(hit, &key); hit++) {
            long gap = hit->lo > en[i].hi ? hit->lo - en[i].hi
                       : en[i].lo > hit->hi ? en[i].lo - hit->hi
                                            : 0;
            if (gap > 90) continue;
            char msg[1024], b1[300], b2[300], b3[300];
            snprintf(msg, sizeof msg, "%s endorses and rejects %s within %ld days (%s)",
                     abbrev(en[i].agent, b1, sizeof b1), abbrev(en[i].target, b2, sizeof b2),
                     gap, abbrev(hit->event, b3, sizeof b3));
            ekg_term v = ekg_iri(hit->event);
            rc = add(c, en[i].event, EKG_NS "target", &v, en[i].source, hit->source, msg);
        }
    }
cleanup:
    stances_free(en, nen);
    stances_free(re, nre);
    return rc;
}

typedef struct {
    char *key, *event, *source;
} dupkey;

static int cmp_dup(const void *a, const void *b)
{
    const dupkey *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    return r ? r : strcmp(x->event, y->event);
}

/* Append the sorted values of (e p ?) to the key buffer. */
static ekg_status key_part(ctx *c, const char *e, const char *p, char **key, size_t *len)
{
    ekg_strv v = {0};
    ekg_status rc = objs(c->st, e, p, EKG_TERM_NONE, &v);
    ekg_strv_sort(&v);
    for (size_t i = 0; rc == EKG_OK && i <= v.n; i++) {
        const char *s = i < v.n ? v.v[i] : "|";
        size_t l = strlen(s) + 1;
        char *nk = realloc(*key, *len + l + 1);
        if (!nk) {
            rc = EKG_ERR_NOMEM;
            break;
        }
        *key = nk;
        memcpy(*key + *len, s, l - 1);
        (*key)[*len + l - 1] = ' ';
        *len += l;
        (*key)[*len] = 0;
    }
    ekg_strv_clear(&v);
    return rc;
}

/* The same class, sides and date, read from different documents. */
static ekg_status check_duplicate_event(ctx *c)
{
    const ekg_strv *ev;
    dupkey *k = NULL;
    size_t nk = 0;
    ekg_status rc = events(c, &ev);
    if (rc || !ev->n) return rc;
    if (!(k = calloc(ev->n, sizeof *k))) return EKG_ERR_NOMEM;
    static const char *const PARTS[] = {EKG_RDF_TYPE, EKG_NS "date", EKG_NS "participant",
                                        EKG_NS "agent", EKG_NS "target"};
    for (size_t i = 0; rc == EKG_OK && i < ev->n; i++) {
        char *key = NULL;
        size_t len = 0;
        for (size_t p = 0; rc == EKG_OK && p < COUNT(PARTS); p++)
            rc = key_part(c, ev->v[i], PARTS[p], &key, &len);
        char *src = obj1(c->st, ev->v[i], EKG_NS "source", EKG_TERM_IRI);
        char *date = obj1(c->st, ev->v[i], EKG_NS "date", EKG_TERM_LITERAL);
        bool dated = date != NULL; /* undated events: "the same date" is unknown */
        free(date);
        if (rc || !src || !dated) {
            free(key);
            free(src);
            continue;
        }
        k[nk].key = key;
        k[nk].source = src;
        if (!(k[nk++].event = strdup(ev->v[i]))) rc = EKG_ERR_NOMEM;
    }
    if (nk) qsort(k, nk, sizeof *k, cmp_dup);
    for (size_t i = 0; rc == EKG_OK && i < nk;) {
        size_t j = i + 1;
        while (j < nk && !strcmp(k[j].key, k[i].key)) j++;
        /* Each event after the first of its group whose document differs. */
        for (size_t m = i + 1; rc == EKG_OK && m < j; m++) {
            if (!strcmp(k[m].source, k[i].source)) continue;
            char msg[1024], b1[300];
            snprintf(msg, sizeof msg, "same class, sides and date as %s",
                     abbrev(k[i].event, b1, sizeof b1));
            ekg_term v = ekg_iri(k[i].event);
            rc = add(c, k[m].event, NULL, &v, k[m].source, k[i].source, msg);
        }
        i = j;
    }
    for (size_t i = 0; i < nk; i++) {
        free(k[i].key);
        free(k[i].event);
        free(k[i].source);
    }
    free(k);
    return rc;
}

typedef struct {
    bool found;
} label_ctx;

static int has_en(void *ctx, const ekg_term *t)
{
    label_ctx *l = ctx;
    if (t->kind == EKG_TERM_LITERAL && t->lang &&
        (!strcasecmp(t->lang, "en") || !strncasecmp(t->lang, "en-", 3))) {
        l->found = true;
        return 1;
    }
    return 0;
}

/* KB entities (actors, agreements, places) without an English prefLabel. */
static ekg_status check_no_english_label(ctx *c)
{
    strset classes = {0};
    ekg_strv xs = {0};
    ekg_status rc = subclasses(c->st, ENTITY_CLASSES, COUNT(ENTITY_CLASSES), &classes);
    if (rc == EKG_OK) rc = instances(c->st, &classes, &xs);
    ekg_term p = ekg_iri(EKG_SKOS "prefLabel");
    for (size_t i = 0; rc == EKG_OK && i < xs.n; i++) {
        label_ctx l = {false};
        ekg_term s = ekg_iri(xs.v[i]);
        rc = ekg_store_targets(c->st, &s, &p, has_en, &l);
        if (rc == EKG_OK && !l.found)
            rc = add(c, xs.v[i], EKG_SKOS "prefLabel", NULL, NULL, NULL,
                     "entity without an English skos:prefLabel");
    }
    ekg_strv_clear(&xs);
    ss_free(&classes);
    return rc;
}

/* Vocabularies whose IRIs are described elsewhere (never dangling). */
static const char *const EXTERNAL_NS[] = {
    EKG_NS, EKG_RDF, EKG_RDFS, EKG_XSD, EKG_SKOS, EKG_DCT, EKG_OWL, EKG_PROV, EKG_SH,
    "http://semanticweb.cs.vu.nl/2009/11/sem/", "http://www.w3.org/ns/org#",
    "http://schema.org/", "https://schema.org/", "https://w3id.org/ekg/graph/",
    "https://w3id.org/ekg/lexicon#"};

typedef struct {
    strset subjects, graphs;
    ekg_strv obj, ref, pred; /* candidate object IRIs and where they were used */
    strset cand;
    int failed;
} dangle_ctx;

static int dangle_graph(void *vctx, const ekg_term *g)
{
    dangle_ctx *d = vctx;
    if (g->kind == EKG_TERM_IRI && ss_add(&d->graphs, g->value, NULL)) {
        d->failed = 1;
        return 1;
    }
    return 0;
}

static int dangle_quad(void *vctx, const ekg_triple *t, const char *graph)
{
    (void)graph;
    dangle_ctx *d = vctx;
    if (t->s.kind == EKG_TERM_IRI && ss_add(&d->subjects, t->s.value, NULL)) goto nomem;
    if (t->o.kind != EKG_TERM_IRI || !strcmp(t->p.value, EKG_RDF_TYPE)) return 0;
    /* Only the IRIs the project mints (ekgid:) must be described here; links
     * to the outside world (dcterms:source URLs, owl:sameAs) need not be. */
    if (strncmp(t->o.value, EKG_ID, strlen(EKG_ID))) return 0;
    for (size_t i = 0; i < COUNT(EXTERNAL_NS); i++)
        if (!strncmp(t->o.value, EXTERNAL_NS[i], strlen(EXTERNAL_NS[i]))) return 0;
    bool added;
    if (ss_add(&d->cand, t->o.value, &added)) goto nomem;
    if (added && (ekg_strv_push(&d->obj, t->o.value) || ekg_strv_push(&d->ref, t->s.value) ||
                  ekg_strv_push(&d->pred, t->p.value)))
        goto nomem;
    return 0;
nomem:
    d->failed = 1;
    return 1;
}

/* IRIs used as objects that nothing describes. */
static ekg_status check_dangling_iri(ctx *c)
{
    dangle_ctx d = {0};
    /* Graph names from the graph list, then a plain scan: per-quad graphs
     * (ekg_store_match_quads) cost a leak per quad inside librdf. */
    ekg_status rc = ekg_store_graphs(c->st, dangle_graph, &d);
    if (rc == EKG_OK && !d.failed)
        rc = ekg_store_match(c->st, NULL, NULL, NULL, NULL, dangle_quad, &d);
    if (d.failed) rc = EKG_ERR_NOMEM;
    for (size_t i = 0; rc == EKG_OK && i < d.obj.n; i++) {
        const char *o = d.obj.v[i];
        if (ss_has(&d.subjects, o) || ss_has(&d.graphs, o)) continue;
        /* Documents are named by their graphs: ekgid:doc/… without a graph
         * of its own is still dangling. Everything else: described nowhere. */
        char msg[1024], b1[300];
        snprintf(msg, sizeof msg, "%s is used but described nowhere", abbrev(o, b1, sizeof b1));
        ekg_term v = ekg_iri(o);
        char *src = obj1(c->st, d.ref.v[i], EKG_NS "source", EKG_TERM_IRI);
        rc = add(c, d.ref.v[i], d.pred.v[i], &v, src, NULL, msg);
        free(src);
    }
    ss_free(&d.subjects);
    ss_free(&d.graphs);
    ss_free(&d.cand);
    ekg_strv_clear(&d.obj);
    ekg_strv_clear(&d.ref);
    ekg_strv_clear(&d.pred);
    return rc;
}

static const struct {
    ekg_check_info info;
    ekg_status (*run)(ctx *c);
} CHECKS[] = {
    {{"event-after-source", EKG_SEV_VIOLATION,
      "an event is dated after the dcterms:date of the document it was read from"},
     check_event_after_source},
    {{"contradiction", EKG_SEV_WARNING,
      "the same actor endorses and rejects the same target within 90 days"},
     check_contradiction},
    {{"duplicate-event", EKG_SEV_WARNING,
      "events of the same class, sides and date were read from different documents"},
     check_duplicate_event},
    {{"no-english-label", EKG_SEV_VIOLATION,
      "a knowledge-base entity has no skos:prefLabel in English"},
     check_no_english_label},
    {{"dangling-iri", EKG_SEV_WARNING,
      "an ekgid: IRI is used as an object but nothing describes it"},
     check_dangling_iri},
};

size_t ekg_checks_count(void) { return COUNT(CHECKS); }

const ekg_check_info *ekg_checks_at(size_t i)
{
    return i < COUNT(CHECKS) ? &CHECKS[i].info : NULL;
}

const ekg_check_info *ekg_checks_find(const char *id)
{
    for (size_t i = 0; id && i < COUNT(CHECKS); i++)
        if (!strcmp(CHECKS[i].info.id, id)) return &CHECKS[i].info;
    return NULL;
}

ekg_status ekg_checks_run(ekg_store *st, const char *const *only, size_t nonly,
                          ekg_shacl_report *report, const ekg_sink *sink)
{
    if (!st || !report) return EKG_ERR_ARG;
    for (size_t j = 0; j < nonly; j++)
        if (!ekg_checks_find(only[j]))
            return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, "check", 0,
                              "unknown check '%s'", only[j]);
    ctx c = {st, report, sink, NULL, {0}, false};
    ekg_status rc = EKG_OK;
    for (size_t i = 0; rc == EKG_OK && i < COUNT(CHECKS); i++) {
        bool wanted = nonly == 0;
        for (size_t j = 0; j < nonly && !wanted; j++)
            wanted = !strcmp(only[j], CHECKS[i].info.id);
        if (!wanted) continue;
        c.info = &CHECKS[i].info;
        rc = CHECKS[i].run(&c);
        if (rc)
            ekg_report(sink, EKG_LOG_ERROR, rc, "check", 0, "check %s failed: %s",
                       CHECKS[i].info.id, ekg_strerror(rc));
    }
    ekg_strv_clear(&c.events);
    return rc;
}
