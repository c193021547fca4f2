/* query_exec.c — run a plan; the session API of query.h.
 *
 * A sentence runs as native look-ups (ekg_store_sources/targets) or as the
 * SPARQL text of its plan through rasqal. Both produce the same bindings
 * (ekg_qbind: subject, object, event and the event's facts); projection to
 * the asked columns, labels, de-duplication, ordering and the limit are then
 * done here in C, once, for both — rasqal's DISTINCT and ORDER BY are
 * quadratic, and this way the two plans cannot disagree on them. */
#include "ekg/endpoint.h"
#include "query_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ekg_session {
    ekg_store *st;
    ekg_names *names;
    const ekg_sink *sink;
    char lang[36];
    ekg_plan_kind plan;
    volatile sig_atomic_t *cancel;
    unsigned want;
    char *endpoint; /* raw SPARQL goes there when set */
};

/* ---- session ------------------------------------------------------------ */

ekg_status ekg_session_new(ekg_store *store, const ekg_sink *sink, ekg_session **out)
{
    *out = NULL;
    ekg_session *s = calloc(1, sizeof *s);
    if (!s) return EKG_ERR_NOMEM;
    s->st = store;
    s->sink = sink;
    strcpy(s->lang, "en");
    ekg_status st = ekg_names_load(store, sink, &s->names);
    if (st) {
        free(s);
        return st;
    }
    *out = s;
    return EKG_OK;
}

void ekg_session_free(ekg_session *s)
{
    if (!s) return;
    ekg_names_free(s->names);
    free(s->endpoint);
    free(s);
}

ekg_status ekg_session_set_endpoint(ekg_session *s, const char *url)
{
    char *u = url ? strdup(url) : NULL;
    if (url && !u) return EKG_ERR_NOMEM;
    free(s->endpoint);
    s->endpoint = u;
    return EKG_OK;
}

const char *ekg_session_endpoint(const ekg_session *s) { return s->endpoint; }

ekg_status ekg_session_reload(ekg_session *s)
{
    ekg_names *n;
    ekg_status st = ekg_names_load(s->st, s->sink, &n);
    if (st) return st;
    ekg_names_free(s->names);
    s->names = n;
    return EKG_OK;
}

ekg_status ekg_session_set_lang(ekg_session *s, const char *lang)
{
    size_t n = strlen(lang);
    if (n == 0 || n >= sizeof s->lang) return EKG_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        char c = lang[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return EKG_ERR_ARG;
    }
    memcpy(s->lang, lang, n + 1);
    return EKG_OK;
}

const char *ekg_session_lang(const ekg_session *s) { return s->lang; }
void ekg_session_set_plan(ekg_session *s, ekg_plan_kind plan) { s->plan = plan; }
void ekg_session_set_cancel(ekg_session *s, volatile sig_atomic_t *flag) { s->cancel = flag; }
void ekg_session_set_want(ekg_session *s, unsigned want) { s->want = want; }

size_t ekg_session_words(const ekg_session *s, const char *const **words)
{
    return ekg_names_words(s->names, words);
}

char *ekg_query_render_error(const char *query, const ekg_diag *d)
{
    size_t qn = query ? strlen(query) : 0;
    size_t cap = strlen(d->message) + 2 * qn + 64;
    char *out = malloc(cap);
    if (!out) return NULL;
    if (d->col <= 0 || !query) {
        snprintf(out, cap, "error: %s\n", d->message);
        return out;
    }
    /* Columns count characters, not bytes. */
    long ch = 1;
    for (long i = 0; i < d->col - 1 && (size_t)i < qn; i++)
        if (((unsigned char)query[i] & 0xC0) != 0x80) ch++;
    int off = snprintf(out, cap, "error: at column %ld: %s\n  ", ch, d->message);
    for (size_t i = 0; i < qn; i++) out[off++] = (query[i] == '\n' || query[i] == '\t') ? ' ' : query[i];
    out[off++] = '\n';
    out[off++] = ' ';
    out[off++] = ' ';
    for (long i = 1; i < ch; i++) out[off++] = ' ';
    out[off++] = '^';
    out[off++] = '\n';
    out[off] = 0;
    return out;
}

/* ---- bindings ----------------------------------------------------------- */

typedef struct {
    ekg_qbind *v;
    size_t n, cap;
} bindv;

static void bind_clear(ekg_qbind *b)
{
    for (int i = 0; i < QB_COUNT; i++) free(b->v[i]);
}

static void bindv_clear(bindv *b)
{
    for (size_t i = 0; i < b->n; i++) bind_clear(&b->v[i]);
    free(b->v);
    memset(b, 0, sizeof *b);
}

/* Values are kept as "K" + value, K = I (IRI), L (literal), B (blank). */
static char kind_char(ekg_term_kind k)
{
    return k == EKG_TERM_IRI ? 'I' : k == EKG_TERM_BLANK ? 'B' : 'L';
}

static ekg_term_kind char_kind(char c)
{
    return c == 'I' ? EKG_TERM_IRI : c == 'B' ? EKG_TERM_BLANK : EKG_TERM_LITERAL;
}

static ekg_status bindv_push(bindv *bv, const char *const vals[QB_COUNT])
{
    if (bv->n == bv->cap) {
        size_t cap = bv->cap ? bv->cap * 2 : 64;
        ekg_qbind *v = realloc(bv->v, cap * sizeof *v);
        if (!v) return EKG_ERR_NOMEM;
        bv->v = v;
        bv->cap = cap;
    }
    ekg_qbind *b = &bv->v[bv->n];
    memset(b, 0, sizeof *b);
    for (int i = 0; i < QB_COUNT; i++) {
        if (!vals[i]) continue;
        b->kind[i] = char_kind(vals[i][0]);
        if (!(b->v[i] = strdup(vals[i] + 1))) {
            bind_clear(b);
            return EKG_ERR_NOMEM;
        }
    }
    bv->n++;
    return EKG_OK;
}

/* ---- native plan -------------------------------------------------------- */

typedef struct {
    ekg_qctx *c;
    ekg_qplan *p;
    bindv *out;
    ekg_qmap *seen_events;
    ekg_strv events;
    ekg_qmap *ok_s, *ok_o; /* IRI → (void*)1 accepted, (void*)2 refused */
    ekg_status err;
} native;

static int on_collect(void *vc, const ekg_term *t)
{
    ekg_strv *v = vc;
    char buf[8192];
    if (strlen(t->value) + 2 > sizeof buf) return 0;
    buf[0] = kind_char(t->kind);
    strcpy(buf + 1, t->value);
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->v[i], buf)) return 0;
    return ekg_strv_push(v, buf) != EKG_OK;
}

static ekg_status targets(ekg_store *st, const char *s, const char *p, ekg_strv *out)
{
    ekg_term ts = ekg_iri(s), tp = ekg_iri(p);
    return ekg_store_targets(st, &ts, &tp, on_collect, out);
}

static int on_event(void *vc, const ekg_term *t)
{
    native *n = vc;
    if (t->kind != EKG_TERM_IRI) return 0;
    bool created;
    if (!ekg_qmap_put(n->seen_events, t->value, &created) ||
        (created && ekg_strv_push(&n->events, t->value))) {
        n->err = EKG_ERR_NOMEM;
        return 1;
    }
    return 0;
}

typedef struct {
    const ekg_qmap *set;
    bool found;
} anyin_ctx;

static int on_anyin(void *vc, const ekg_term *t)
{
    anyin_ctx *c = vc;
    if (t->kind == EKG_TERM_IRI && ekg_qmap_get(c->set, t->value)) {
        c->found = true;
        return 1;
    }
    return 0;
}

static bool typed_in(ekg_store *st, const char *iri, const ekg_qmap *set)
{
    anyin_ctx c = {set, false};
    ekg_term s = ekg_iri(iri), p = ekg_iri(EKG_RDF_TYPE);
    ekg_store_targets(st, &s, &p, on_anyin, &c);
    return c.found;
}

/* Whether value v (with kind char) passes a term's restriction. */
static bool term_ok(native *n, const ekg_rterm *t, ekg_qmap *cache, const char *v)
{
    switch (t->kind) {
    case EKG_RT_ANY: return true;
    case EKG_RT_ENTITY: return v[0] == 'I' && ekg_qmap_get(t->set, v + 1);
    case EKG_RT_ACTOR:
    case EKG_RT_CLASS: {
        if (v[0] != 'I') return false;
        void **slot = ekg_qmap_get(cache, v + 1);
        if (slot) return *slot == (void *)1;
        bool ok = typed_in(n->c->st, v + 1, t->set);
        slot = ekg_qmap_put(cache, v + 1, NULL);
        if (slot) *slot = ok ? (void *)1 : (void *)2;
        return ok;
    }
    }
    return false;
}

static const char *const SUBJ_ROLES[] = {EKG_NS "agent", EKG_NS "participant", EKG_NS "ledBy"};
static const char *const OBJ_ROLES[] = {EKG_NS "target", EKG_NS "participant", EKG_NS "ledBy"};

static bool want_col(const ekg_qast *a, ekg_qcol c)
{
    for (size_t i = 0; i < a->ncols; i++)
        if (a->cols[i] == c) return true;
    return false;
}

/* Keep the values of v for which keep() holds. */
static void strv_filter(ekg_strv *v, bool (*keep)(const char *, const void *), const void *ctx)
{
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (keep(v->v[i], ctx))
            v->v[k++] = v->v[i];
        else
            free(v->v[i]);
    }
    v->n = k;
}

static bool keep_date(const char *v, const void *ctx)
{
    const ekg_qfilters *f = ctx;
    return v[0] == 'L' && ekg_date_in(v + 1, f->date_lo, f->date_hi);
}

static bool keep_in_set(const char *v, const void *ctx)
{
    return v[0] == 'I' && ekg_qmap_get(((const ekg_rterm *)ctx)->set, v + 1);
}

static bool keep_conf(const char *v, const void *ctx)
{
    const ekg_qfilters *f = ctx;
    char *end;
    double d = strtod(v + 1, &end);
    if (v[0] != 'L' || end == v + 1) return false;
    return f->conf_inclusive ? d >= f->conf : d > f->conf;
}

static ekg_status native_event(native *n, const char *e, bool check_type)
{
    ekg_status s = EKG_OK;
    ekg_store *st = n->c->st;
    const ekg_qplan *p = n->p;
    const ekg_qast *a = p->ast;
    ekg_strv subj = {0}, obj = {0}, f[QB_COUNT] = {{0}};
    if (check_type && !typed_in(st, e, p->events)) return EKG_OK;
    bool date_f = a->f.date_lo || a->f.date_hi;
    if (date_f || want_col(a, EKG_QCOL_WHEN)) {
        EKG_TRY(s, targets(st, e, EKG_NS "date", &f[QB_WHEN]));
        if (date_f) {
            strv_filter(&f[QB_WHEN], keep_date, &a->f);
            if (!f[QB_WHEN].n) goto cleanup;
        }
    }
    if (p->place.kind == EKG_RT_ENTITY || want_col(a, EKG_QCOL_WHERE)) {
        EKG_TRY(s, targets(st, e, EKG_NS "place", &f[QB_WHERE]));
        if (p->place.kind == EKG_RT_ENTITY) {
            strv_filter(&f[QB_WHERE], keep_in_set, &p->place);
            if (!f[QB_WHERE].n) goto cleanup;
        }
    }
    if (p->forum.kind == EKG_RT_ENTITY || want_col(a, EKG_QCOL_FORUM)) {
        EKG_TRY(s, targets(st, e, EKG_NS "forum", &f[QB_FORUM]));
        if (p->forum.kind == EKG_RT_ENTITY) {
            strv_filter(&f[QB_FORUM], keep_in_set, &p->forum);
            if (!f[QB_FORUM].n) goto cleanup;
        }
    }
    if (a->f.has_conf || want_col(a, EKG_QCOL_CONFIDENCE)) {
        EKG_TRY(s, targets(st, e, EKG_NS "confidence", &f[QB_CONF]));
        if (a->f.has_conf) {
            strv_filter(&f[QB_CONF], keep_conf, &a->f);
            if (!f[QB_CONF].n) goto cleanup;
        }
    }
    if (want_col(a, EKG_QCOL_SOURCE)) EKG_TRY(s, targets(st, e, EKG_NS "source", &f[QB_SOURCE]));
    if (want_col(a, EKG_QCOL_EVIDENCE))
        EKG_TRY(s, targets(st, e, EKG_NS "evidence", &f[QB_EVIDENCE]));
    for (int r = 0; r < 3; r++) EKG_TRY(s, targets(st, e, SUBJ_ROLES[r], &subj));
    for (int r = 0; r < 3; r++) EKG_TRY(s, targets(st, e, OBJ_ROLES[r], &obj));
    char ebuf[8192];
    if (strlen(e) + 2 > sizeof ebuf) goto cleanup;
    ebuf[0] = 'I';
    strcpy(ebuf + 1, e);
    for (size_t i = 0; i < subj.n; i++) {
        const char *sv = subj.v[i];
        if (!term_ok(n, &p->subj, n->ok_s, sv)) continue;
        if (p->obj.kind == EKG_RT_ENTITY && sv[0] == 'I' && ekg_qmap_get(p->obj.set, sv + 1))
            continue;
        for (size_t j = 0; j < obj.n; j++) {
            const char *ov = obj.v[j];
            if (!strcmp(sv, ov) || !term_ok(n, &p->obj, n->ok_o, ov)) continue;
            if (p->subj.kind == EKG_RT_ENTITY && ov[0] == 'I' && ekg_qmap_get(p->subj.set, ov + 1))
                continue;
            /* The cross product of the optional facts (an empty list = unbound). */
            size_t idx[QB_COUNT] = {0};
            for (;;) {
                const char *vals[QB_COUNT] = {sv, ov, ebuf};
                for (int k = QB_WHEN; k < QB_COUNT; k++)
                    vals[k] = f[k].n ? f[k].v[idx[k]] : NULL;
                EKG_TRY(s, bindv_push(n->out, vals));
                int k = QB_WHEN;
                for (; k < QB_COUNT; k++) {
                    if (f[k].n && ++idx[k] < f[k].n) break;
                    idx[k] = 0;
                }
                if (k == QB_COUNT) break;
            }
        }
    }
cleanup:
    ekg_strv_clear(&subj);
    ekg_strv_clear(&obj);
    for (int k = 0; k < QB_COUNT; k++) ekg_strv_clear(&f[k]);
    return s;
}

static ekg_status run_native(ekg_qctx *c, ekg_qplan *p, bindv *out)
{
    ekg_status s = EKG_OK;
    native n = {c, p, out, ekg_qmap_new(), {0}, ekg_qmap_new(), ekg_qmap_new(), EKG_OK};
    if (!n.seen_events || !n.ok_s || !n.ok_o) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    bool by_type = false;
    const ekg_rterm *seed = p->subj.kind == EKG_RT_ENTITY ? &p->subj
                            : p->obj.kind == EKG_RT_ENTITY ? &p->obj
                                                           : NULL;
    if (seed) {
        const char *const *roles = seed == &p->subj ? SUBJ_ROLES : OBJ_ROLES;
        for (size_t i = 0; i < seed->list.n; i++) {
            ekg_term o = ekg_iri(seed->list.v[i]);
            for (int r = 0; r < 3; r++) {
                ekg_term pr = ekg_iri(roles[r]);
                EKG_TRY(s, ekg_store_sources(c->st, &pr, &o, on_event, &n));
                EKG_TRY(s, n.err);
            }
        }
    } else {
        by_type = true;
        ekg_term pr = ekg_iri(EKG_RDF_TYPE);
        for (size_t i = 0; i < p->event_list.n; i++) {
            ekg_term o = ekg_iri(p->event_list.v[i]);
            EKG_TRY(s, ekg_store_sources(c->st, &pr, &o, on_event, &n));
            EKG_TRY(s, n.err);
        }
    }
    for (size_t i = 0; i < n.events.n; i++) {
        if ((i & 63) == 0 && ekg_qctx_cancelled(c)) {
            s = EKG_ERR_CANCELLED;
            goto cleanup;
        }
        EKG_TRY(s, native_event(&n, n.events.v[i], !by_type));
    }
cleanup:
    ekg_qmap_free(n.seen_events, NULL);
    ekg_qmap_free(n.ok_s, NULL);
    ekg_qmap_free(n.ok_o, NULL);
    ekg_strv_clear(&n.events);
    return s;
}

/* ---- SPARQL plan -------------------------------------------------------- */

typedef struct {
    ekg_qctx *c;
    bindv *out;
    ekg_status err;
} sparql_ctx;

static int on_sparql_bind(void *vc, const ekg_row *row)
{
    static const char *const NAMES[QB_COUNT] = {"s", "o", "e", "when", "where",
                                                "forum", "source", "evidence", "confidence"};
    sparql_ctx *sc = vc;
    if (ekg_qctx_cancelled(sc->c)) {
        sc->err = EKG_ERR_CANCELLED;
        return 1;
    }
    char *bufs[QB_COUNT] = {0};
    const char *vals[QB_COUNT] = {0};
    for (size_t i = 0; i < row->ncols; i++) {
        const ekg_term *t = &row->values[i];
        if (t->kind == EKG_TERM_NONE) continue;
        for (int k = 0; k < QB_COUNT; k++) {
            if (strcmp(row->names[i], NAMES[k]) != 0) continue;
            size_t len = strlen(t->value) + 2;
            if (!(bufs[k] = malloc(len))) {
                sc->err = EKG_ERR_NOMEM;
                goto done;
            }
            bufs[k][0] = kind_char(t->kind);
            strcpy(bufs[k] + 1, t->value);
            vals[k] = bufs[k];
        }
    }
    sc->err = bindv_push(sc->out, vals);
done:
    for (int k = 0; k < QB_COUNT; k++) free(bufs[k]);
    return sc->err != EKG_OK;
}

static ekg_status run_sparql_plan(ekg_qctx *c, ekg_qplan *p, bindv *out)
{
    sparql_ctx sc = {c, out, EKG_OK};
    ekg_status s = ekg_store_sparql(c->st, p->sparql, on_sparql_bind, NULL, &sc);
    return sc.err ? sc.err : s;
}

/* ---- projection, dedupe, order, limit ----------------------------------- */

typedef struct {
    ekg_cell *cells;
    size_t ncols;
    int key;
    bool desc;
} rowref;

static int cmp_cell(const ekg_cell *a, const ekg_cell *b)
{
    int d = strcmp(a->text, b->text);
    if (!d) d = strcmp(a->value ? a->value : "", b->value ? b->value : "");
    return d;
}

static int cmp_row_all(const rowref *a, const rowref *b)
{
    for (size_t i = 0; i < a->ncols; i++) {
        int d = cmp_cell(&a->cells[i], &b->cells[i]);
        if (d) return d;
    }
    return 0;
}

static int cmp_rowref(const void *x, const void *y)
{
    const rowref *a = x, *b = y;
    if (a->key >= 0) {
        int d = cmp_cell(&a->cells[a->key], &b->cells[a->key]);
        if (d) return a->desc ? -d : d;
    }
    return cmp_row_all(a, b);
}

/* Sort rows (by `key` first when >= 0), drop duplicates, keep `limit`. */
static ekg_status finish_rows(ekg_result *r, int key, bool desc, long limit)
{
    if (r->nrows == 0) return EKG_OK;
    rowref *refs = malloc(r->nrows * sizeof *refs);
    ekg_cell *cells = malloc(r->nrows * r->ncols * sizeof *cells);
    if (!refs || !cells) {
        free(refs);
        free(cells);
        return EKG_ERR_NOMEM;
    }
    for (size_t i = 0; i < r->nrows; i++)
        refs[i] = (rowref){&r->cells[i * r->ncols], r->ncols, key, desc};
    qsort(refs, r->nrows, sizeof *refs, cmp_rowref);
    size_t n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        bool keep = (i == 0 || cmp_row_all(&refs[i], &refs[i - 1]) != 0) &&
                    (limit < 0 || (long)n < limit);
        if (keep) {
            memcpy(&cells[n * r->ncols], refs[i].cells, r->ncols * sizeof *cells);
            n++;
        } else {
            for (size_t k = 0; k < r->ncols; k++) {
                /* a duplicate still owns its strings; but refs[i-1] was kept
                 * with its own copies, so free these */
                free(refs[i].cells[k].text);
                free(refs[i].cells[k].value);
            }
        }
    }
    free(refs);
    free(r->cells);
    r->cells = cells;
    r->nrows = r->cap = n;
    return EKG_OK;
}

static const char *label(ekg_qctx *c, ekg_term_kind k, const char *v)
{
    if (!v) return "";
    return k == EKG_TERM_IRI ? ekg_names_label(c->names, c->st, v, c->lang) : v;
}

typedef struct {
    char *best;
} first_ctx;

static int on_first(void *vc, const ekg_term *t)
{
    first_ctx *f = vc;
    if (!f->best || strcmp(t->value, f->best) < 0) {
        free(f->best);
        f->best = strdup(t->value);
    }
    return 0;
}

/* "Title (date)" of a document. */
static char *source_text(ekg_qctx *c, const char *doc)
{
    const char *t = ekg_names_label(c->names, c->st, doc, c->lang);
    first_ctx f = {0};
    ekg_term s = ekg_iri(doc), p = ekg_iri(EKG_DCT "date");
    ekg_store_targets(c->st, &s, &p, on_first, &f);
    size_t n = strlen(t) + (f.best ? strlen(f.best) : 0) + 4;
    char *out = malloc(n);
    if (out) snprintf(out, n, f.best ? "%s (%s)" : "%s", t, f.best);
    free(f.best);
    return out;
}

/* The most specific class of an event among the allowed ones, as a label. */
static const char *event_label(ekg_qctx *c, const ekg_qplan *p, const char *e)
{
    ekg_strv types = {0};
    targets(c->st, e, EKG_RDF_TYPE, &types);
    const char *best = NULL;
    size_t best_n = (size_t)-1;
    for (size_t i = 0; i < types.n; i++) {
        if (types.v[i][0] != 'I' || !ekg_qmap_get(p->events, types.v[i] + 1)) continue;
        ekg_qmap *cl = ekg_qmap_new();
        if (!cl) break;
        ekg_names_closure(c->names, types.v[i] + 1, cl);
        size_t k = ekg_qmap_count(cl);
        ekg_qmap_free(cl, NULL);
        if (k < best_n) {
            best_n = k;
            best = types.v[i] + 1;
        }
    }
    const char *l = best ? ekg_names_label(c->names, c->st, best, c->lang) : "event";
    ekg_strv_clear(&types);
    return l;
}

/* The side an actor is on: the state or organisation it represents or is
 * part of (transitively), else itself. Cached in `sides`. */
static const char *side_of(ekg_qctx *c, ekg_qmap *sides, const char *iri)
{
    void **slot = ekg_qmap_get(sides, iri);
    if (slot) return *slot;
    char *cur = strdup(iri);
    for (int step = 0; cur && step < 6; step++) {
        ekg_strv up = {0};
        targets(c->st, cur, EKG_NS "represents", &up);
        if (!up.n) targets(c->st, cur, EKG_NS "partOf", &up);
        ekg_strv_sort(&up);
        bool moved = up.n && up.v[0][0] == 'I';
        if (moved) {
            free(cur);
            cur = strdup(up.v[0] + 1);
        }
        ekg_strv_clear(&up);
        if (!moved) break;
    }
    slot = ekg_qmap_put(sides, iri, NULL);
    if (!slot) {
        free(cur);
        return iri;
    }
    *slot = cur;
    return cur ? cur : iri;
}

static ekg_status project(ekg_qctx *c, ekg_qplan *p, bindv *bv, ekg_result **out)
{
    ekg_status s = EKG_OK;
    const ekg_qast *a = p->ast;
    const char *names[2 + EKG_QCOL_COUNT];
    size_t nc = 0;
    if (p->subj.column) names[nc++] = p->subj.column;
    if (p->obj.column) names[nc++] = p->obj.column;
    for (size_t i = 0; i < a->ncols; i++) names[nc++] = ekg_qcol_name(a->cols[i]);
    int key = -1;
    if (a->order_by) {
        for (size_t i = 0; i < nc; i++)
            if (strcasecmp(a->order_by, names[i]) == 0) key = (int)i;
        if (key < 0) {
            char list[512];
            size_t off = 0;
            list[0] = 0;
            for (size_t i = 0; i < nc && off < sizeof list; i++)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "",
                                        names[i]);
            return ekg_qerror(c->sink, EKG_ERR_QUERY, a->order_col,
                              "cannot order by '%s': the columns are %s", a->order_by,
                              nc ? list : "(none)");
        }
    }
    ekg_result *r = ekg_result_new(EKG_RESULT_TABLE, nc, names);
    if (!r) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < nc; i++)
        if (strcmp(names[i], "when") == 0) r->date_col = (int)i;
    ekg_cell cells[2 + EKG_QCOL_COUNT];
    char *owned[2 + EKG_QCOL_COUNT];
    ekg_qmap *sides = ekg_qmap_new();
    if (!sides) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t b = 0; b < bv->n; b++) {
        if ((b & 255) == 0 && ekg_qctx_cancelled(c)) {
            s = EKG_ERR_CANCELLED;
            goto cleanup;
        }
        ekg_qbind *x = &bv->v[b];
        /* A person does not "meet" the state they represent. */
        if (x->kind[QB_S] == EKG_TERM_IRI && x->kind[QB_O] == EKG_TERM_IRI && x->v[QB_S] &&
            x->v[QB_O] &&
            !strcmp(side_of(c, sides, x->v[QB_S]), side_of(c, sides, x->v[QB_O])))
            continue;
        size_t k = 0;
        memset(owned, 0, sizeof owned);
        if (p->subj.column) {
            cells[k] = (ekg_cell){(char *)label(c, x->kind[QB_S], x->v[QB_S]), x->kind[QB_S], x->v[QB_S]};
            k++;
        }
        if (p->obj.column) {
            cells[k] = (ekg_cell){(char *)label(c, x->kind[QB_O], x->v[QB_O]), x->kind[QB_O], x->v[QB_O]};
            k++;
        }
        for (size_t i = 0; i < a->ncols; i++, k++) {
            static const int SLOT[EKG_QCOL_COUNT] = {QB_WHEN, QB_WHERE, QB_FORUM,
                                                    QB_SOURCE, QB_EVIDENCE, QB_CONF};
            int sl = SLOT[a->cols[i]];
            const char *v = x->v[sl];
            if (sl == QB_SOURCE && v && x->kind[sl] == EKG_TERM_IRI) {
                owned[k] = source_text(c, v);
                cells[k] = (ekg_cell){owned[k] ? owned[k] : (char *)v, x->kind[sl], x->v[sl]};
            } else
                cells[k] = (ekg_cell){(char *)label(c, x->kind[sl], v), v ? x->kind[sl] : EKG_TERM_NONE,
                                      x->v[sl]};
        }
        s = ekg_result_add_row(r, cells);
        for (size_t i = 0; i < k; i++) free(owned[i]);
        if (s) goto cleanup;
        if ((c->want & EKG_WANT_EDGES) && r->nedges < 2000 && x->v[QB_S] && x->v[QB_O]) {
            char lab[512];
            const char *el = event_label(c, p, x->v[QB_E]);
            ekg_strv d = {0};
            targets(c->st, x->v[QB_E], EKG_NS "date", &d);
            if (d.n)
                snprintf(lab, sizeof lab, "%s %s", el, d.v[0] + 1);
            else
                snprintf(lab, sizeof lab, "%s", el);
            ekg_strv_clear(&d);
            ekg_edge e = {x->v[QB_S], (char *)label(c, x->kind[QB_S], x->v[QB_S]), x->v[QB_O],
                          (char *)label(c, x->kind[QB_O], x->v[QB_O]), lab};
            EKG_TRY(s, ekg_result_add_edge(r, &e));
        }
        if (c->want & EKG_WANT_TRIPLES) EKG_TRY(s, ekg_qctx_add_triples(c, r, x->v[QB_E]));
    }
    EKG_TRY(s, finish_rows(r, key, a->order_desc, a->limit));
cleanup:
    ekg_qmap_free(sides, free);
    if (s) {
        ekg_result_free(r);
        return s;
    }
    *out = r;
    return EKG_OK;
}

/* ---- triples for turtle --------------------------------------------------- */

typedef struct {
    ekg_triples *ts;
    ekg_status err;
} trip_ctx;

static int on_triple(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    trip_ctx *c = vc;
    if ((c->err = ekg_triples_add_triple(c->ts, t))) return 1;
    return 0;
}

ekg_status ekg_qctx_add_triples(ekg_qctx *c, ekg_result *r, const char *iri)
{
    if (!iri) return EKG_OK;
    if (!r->triples && !(r->triples = ekg_triples_new())) return EKG_ERR_NOMEM;
    if (ekg_triples_count(r->triples) > 200000) return EKG_OK;
    trip_ctx t = {r->triples, EKG_OK};
    ekg_term s = ekg_iri(iri);
    ekg_status st = ekg_store_match(c->st, &s, NULL, NULL, NULL, on_triple, &t);
    return t.err ? t.err : st;
}

/* ---- raw SPARQL ------------------------------------------------------------ */

typedef struct {
    ekg_qctx *c;
    ekg_result *r;
    ekg_status err;
} raw_ctx;

static char *term_text(const ekg_term *t)
{
    const char *v = t->value ? t->value : "";
    size_t n = strlen(v) + 16;
    char *out = malloc(n);
    if (!out) return NULL;
    if (t->kind == EKG_TERM_IRI && !strncmp(v, EKG_ID, strlen(EKG_ID)))
        snprintf(out, n, "ekgid:%s", v + strlen(EKG_ID));
    else if (t->kind == EKG_TERM_IRI && !strncmp(v, EKG_NS, strlen(EKG_NS)))
        snprintf(out, n, "ekg:%s", v + strlen(EKG_NS));
    else if (t->kind == EKG_TERM_BLANK)
        snprintf(out, n, "_:%s", v);
    else
        snprintf(out, n, "%s", t->kind == EKG_TERM_NONE ? "" : v);
    return out;
}

static int raw_row(raw_ctx *rc, size_t n, const char *const *names, const ekg_term *vals)
{
    if (ekg_qctx_cancelled(rc->c)) {
        rc->err = EKG_ERR_CANCELLED;
        return 1;
    }
    if (!rc->r && !(rc->r = ekg_result_new(EKG_RESULT_TABLE, n, names))) goto nomem;
    ekg_cell cells[64];
    if (n > 64) n = 64;
    for (size_t i = 0; i < n; i++) {
        cells[i].kind = vals[i].kind;
        cells[i].value = (char *)vals[i].value;
        cells[i].text = term_text(&vals[i]);
    }
    rc->err = ekg_result_add_row(rc->r, cells);
    for (size_t i = 0; i < n; i++) {
        if (!cells[i].text) rc->err = EKG_ERR_NOMEM;
        free(cells[i].text);
    }
    return rc->err != EKG_OK;
nomem:
    rc->err = EKG_ERR_NOMEM;
    return 1;
}

static int on_raw_row(void *vc, const ekg_row *row)
{
    return raw_row(vc, row->ncols, row->names, row->values);
}

static int on_raw_quad(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    static const char *const N[] = {"subject", "predicate", "object"};
    ekg_term v[3] = {t->s, t->p, t->o};
    return raw_row(vc, 3, N, v);
}

static ekg_status run_raw(ekg_qctx *c, const char *endpoint, const char *q, ekg_result **out)
{
    raw_ctx rc = {c, NULL, EKG_OK};
    ekg_status s = endpoint ? ekg_endpoint_sparql(endpoint, q, on_raw_row, on_raw_quad, &rc, c->sink)
                            : ekg_store_sparql(c->st, q, on_raw_row, on_raw_quad, &rc);
    if (rc.err) s = rc.err;
    if (!s && !rc.r && !(rc.r = ekg_result_new(EKG_RESULT_TABLE, 0, NULL))) s = EKG_ERR_NOMEM;
    if (s) {
        ekg_result_free(rc.r);
        if (s == EKG_ERR_QUERY || s == EKG_ERR_STORE)
            ekg_qerror(c->sink, s, 0, "the SPARQL query failed (see the message above)");
        return s;
    }
    *out = rc.r;
    return EKG_OK;
}

/* ---- run / explain -------------------------------------------------------- */

ekg_status ekg_session_run(ekg_session *ss, const char *query, ekg_result **out)
{
    ekg_status s;
    ekg_qast *ast = NULL;
    ekg_qplan *p = NULL;
    bindv bv = {0};
    *out = NULL;
    ekg_qctx c = {ss->st, ss->names, ss->lang, ss->cancel, ss->sink, ss->want};
    EKG_TRY(s, ekg_qast_parse(query, ss->sink, &ast));
    if (ast->kind == EKG_QAST_SPARQL) {
        s = run_raw(&c, ss->endpoint, ast->sparql, out);
        goto cleanup;
    }
    if (ast->kind != EKG_QAST_SENTENCE) {
        s = ekg_walk_run(&c, ast, out);
        goto cleanup;
    }
    s = ekg_qplan_compile(ss->names, ss->st, ast, ss->plan, ss->sink, &p);
    ast = NULL; /* owned by the plan, even on error */
    if (s) goto cleanup;
    if (p->plan == EKG_PLAN_SPARQL)
        EKG_TRY(s, run_sparql_plan(&c, p, &bv));
    else
        EKG_TRY(s, run_native(&c, p, &bv));
    EKG_TRY(s, project(&c, p, &bv, out));
    if (!(*out)->nrows && !(*out)->note) (*out)->note = strdup("no events match");
cleanup:
    if (s == EKG_ERR_CANCELLED) ekg_qerror(ss->sink, s, 0, "cancelled");
    bindv_clear(&bv);
    ekg_qplan_free(p);
    ekg_qast_free(ast);
    return s;
}

ekg_status ekg_session_explain(ekg_session *ss, const char *query, char **out)
{
    ekg_status s;
    ekg_qast *ast = NULL;
    ekg_qplan *p = NULL;
    *out = NULL;
    EKG_TRY(s, ekg_qast_parse(query, ss->sink, &ast));
    if (ast->kind == EKG_QAST_SPARQL) {
        size_t n = strlen(ast->sparql) + strlen(ekg_store_sparql_prefixes()) + 64;
        if ((*out = malloc(n)))
            snprintf(*out, n, "plan: SPARQL as given (rasqal)\n%s%s\n", ekg_store_sparql_prefixes(),
                     ast->sparql);
        s = *out ? EKG_OK : EKG_ERR_NOMEM;
        goto cleanup;
    }
    if (ast->kind != EKG_QAST_SENTENCE) {
        *out = ekg_walk_explain(ast);
        s = *out ? EKG_OK : EKG_ERR_NOMEM;
        goto cleanup;
    }
    s = ekg_qplan_compile(ss->names, ss->st, ast, ss->plan, ss->sink, &p);
    ast = NULL;
    if (s) goto cleanup;
    *out = ekg_qplan_explain(p);
    s = *out ? EKG_OK : EKG_ERR_NOMEM;
cleanup:
    ekg_qplan_free(p);
    ekg_qast_free(ast);
    return s;
}
