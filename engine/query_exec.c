/* query_exec.c — run a plan; the session API of query.h.
 *
 * A sentence runs natively over the store's event index (event_index.h:
 * one row per event, opened on the session's first query that needs it) or
 * as the SPARQL text of its plan through rasqal. Both produce the same
 * bindings (subject, object, event and the event's facts); projection to the
 * asked columns, labels, de-duplication, ordering and the limit are then done
 * here in C — rasqal's DISTINCT and ORDER BY are quadratic, and this way the
 * two plans cannot disagree on them. The native plan keeps its bindings as
 * string ids of the index and does all of that on ids (project_ids) unless
 * the query needs the evidence, edges or triples (then as strings, project). */
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
    ekg_event_index *idx; /* opened at the first query that needs it */
};

/* The store's event index, opened (mapped, or built) on first use. */
static ekg_status session_index(ekg_session *s)
{
    if (s->idx) return EKG_OK;
    return ekg_event_index_open(s->st, s->sink, &s->idx);
}

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
    ekg_event_index_free(s->idx);
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
    /* The store may have changed: the index is rebuilt on the next query. */
    ekg_event_index_free(s->idx);
    s->idx = NULL;
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

/* ---- native plan: over the event index ----------------------------------- */

/* Per-string marks of the plan's sets. */
enum { M_EVCLASS = 1, M_SUBJ = 2, M_OBJ = 4, M_PLACE = 8, M_FORUM = 16 };

/* Push the values of role r of ev not yet in a. */
static ekg_status u32v_add_role(ekg_u32v *a, const ekg_event_index *x, uint32_t ev,
                                ekg_evidx_role r)
{
    const uint32_t *vals;
    size_t n = ekg_event_index_values(x, ev, r, &vals);
    for (size_t i = 0; i < n; i++) {
        uint32_t id = EKG_EVIDX_VAL(vals, i);
        bool dup = false;
        for (size_t k = 0; k < a->n && !dup; k++) dup = a->v[k] == id;
        if (!dup && ekg_u32v_push(a, id)) return EKG_ERR_NOMEM;
    }
    return EKG_OK;
}

typedef struct {
    ekg_qctx *c;
    ekg_qplan *p;
    const ekg_event_index *x;
    bindv *out;
    uint8_t *mark;       /* per string: M_* */
    int8_t *ok_s, *ok_o; /* per string: 0 unknown, 1 accepted, -1 refused */
    ekg_u32v subj, obj, f[QB_COUNT];
    ekg_strv evidence;
    ekg_u32v *ids; /* when set: bindings as string ids, QB_COUNT a row (no evidence) */
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

/* Whether string `id` passes a term's restriction (`mask`: its entity set).
 * Types of actors are looked up in the store, once per string. */
static bool term_ok(native *n, const ekg_rterm *t, int8_t *cache, uint8_t mask, uint32_t id)
{
    switch (t->kind) {
    case EKG_RT_ANY: return true;
    case EKG_RT_ENTITY: return (n->mark[id] & mask) != 0;
    case EKG_RT_ACTOR:
    case EKG_RT_CLASS: {
        if (cache[id]) return cache[id] > 0;
        const char *v = ekg_event_index_string(n->x, id);
        bool ok = false;
        if (v[0] == 'I') {
            const uint32_t *ty;
            size_t k = ekg_event_index_entity_values(n->x, id, EKG_EVIDX_E_TYPE, &ty);
            for (size_t i = 0; i < k && !ok; i++)
                ok = ekg_qmap_get(t->set, ekg_event_index_string(n->x, EKG_EVIDX_VAL(ty, i)) + 1);
        }
        cache[id] = ok ? 1 : -1;
        return ok;
    }
    }
    return false;
}

static bool want_col(const ekg_qast *a, ekg_qcol c)
{
    for (size_t i = 0; i < a->ncols; i++)
        if (a->cols[i] == c) return true;
    return false;
}

static bool keep_conf(const char *v, const ekg_qfilters *f)
{
    char *end;
    double d = strtod(v + 1, &end);
    if (v[0] != 'L' || end == v + 1) return false;
    return f->conf_inclusive ? d >= f->conf : d > f->conf;
}

/* The values of role r of ev that pass `keep` into out; false when a filter
 * (`filter`) leaves none. */
static ekg_status facts_of(native *n, uint32_t ev, ekg_evidx_role r, int slot, int how,
                           bool filter, bool *empty)
{
    const ekg_qast *a = n->p->ast;
    ekg_u32v *out = &n->f[slot];
    const uint32_t *vals;
    size_t k = ekg_event_index_values(n->x, ev, r, &vals);
    for (size_t i = 0; i < k; i++) {
        uint32_t id = EKG_EVIDX_VAL(vals, i);
        const char *v = ekg_event_index_string(n->x, id);
        bool keep = true;
        if (filter) switch (how) {
            case 'd': keep = v[0] == 'L' && ekg_date_in(v + 1, a->f.date_lo, a->f.date_hi); break;
            case 'p': keep = (n->mark[id] & M_PLACE) != 0; break;
            case 'f': keep = (n->mark[id] & M_FORUM) != 0; break;
            case 'c': keep = keep_conf(v, &a->f); break;
            default: break;
            }
        if (keep && ekg_u32v_push(out, id)) return EKG_ERR_NOMEM;
    }
    *empty = filter && out->n == 0;
    return EKG_OK;
}

static ekg_status native_event(native *n, uint32_t ev)
{
    ekg_status s = EKG_OK;
    const ekg_event_index *x = n->x;
    const ekg_qplan *p = n->p;
    const ekg_qast *a = p->ast;
    const uint32_t *vals;
    size_t nt = ekg_event_index_values(x, ev, EKG_EVIDX_TYPE, &vals);
    bool typed = false;
    for (size_t i = 0; i < nt && !typed; i++) typed = n->mark[EKG_EVIDX_VAL(vals, i)] & M_EVCLASS;
    if (!typed) return EKG_OK;
    n->subj.n = n->obj.n = 0;
    for (int k = 0; k < QB_COUNT; k++) n->f[k].n = 0;
    ekg_strv_clear(&n->evidence);
    bool empty = false;
    bool date_f = a->f.date_lo || a->f.date_hi;
    if (date_f || want_col(a, EKG_QCOL_WHEN)) {
        EKG_TRY(s, facts_of(n, ev, EKG_EVIDX_DATE, QB_WHEN, 'd', date_f, &empty));
        if (empty) return EKG_OK;
    }
    if (p->place.kind == EKG_RT_ENTITY || want_col(a, EKG_QCOL_WHERE)) {
        EKG_TRY(s, facts_of(n, ev, EKG_EVIDX_PLACE, QB_WHERE, 'p', p->place.kind == EKG_RT_ENTITY,
                            &empty));
        if (empty) return EKG_OK;
    }
    if (p->forum.kind == EKG_RT_ENTITY || want_col(a, EKG_QCOL_FORUM)) {
        EKG_TRY(s, facts_of(n, ev, EKG_EVIDX_FORUM, QB_FORUM, 'f', p->forum.kind == EKG_RT_ENTITY,
                            &empty));
        if (empty) return EKG_OK;
    }
    if (a->f.has_conf || want_col(a, EKG_QCOL_CONFIDENCE)) {
        EKG_TRY(s, facts_of(n, ev, EKG_EVIDX_CONFIDENCE, QB_CONF, 'c', a->f.has_conf, &empty));
        if (empty) return EKG_OK;
    }
    if (want_col(a, EKG_QCOL_SOURCE))
        EKG_TRY(s, facts_of(n, ev, EKG_EVIDX_SOURCE, QB_SOURCE, 0, false, &empty));
    static const ekg_evidx_role SR[] = {EKG_EVIDX_AGENT, EKG_EVIDX_PARTICIPANT, EKG_EVIDX_LEDBY};
    static const ekg_evidx_role OR[] = {EKG_EVIDX_TARGET, EKG_EVIDX_PARTICIPANT, EKG_EVIDX_LEDBY};
    for (int r = 0; r < 3; r++) EKG_TRY(s, u32v_add_role(&n->subj, x, ev, SR[r]));
    for (int r = 0; r < 3; r++) EKG_TRY(s, u32v_add_role(&n->obj, x, ev, OR[r]));
    const char *e = ekg_event_index_string(x, ekg_event_index_event_iri(x, ev));
    bool fetched = false;
    for (size_t i = 0; i < n->subj.n; i++) {
        uint32_t si = n->subj.v[i];
        if (!term_ok(n, &p->subj, n->ok_s, M_SUBJ, si)) continue;
        if (p->obj.kind == EKG_RT_ENTITY && (n->mark[si] & M_OBJ)) continue;
        for (size_t j = 0; j < n->obj.n; j++) {
            uint32_t oi = n->obj.v[j];
            if (si == oi || !term_ok(n, &p->obj, n->ok_o, M_OBJ, oi)) continue;
            if (p->subj.kind == EKG_RT_ENTITY && (n->mark[oi] & M_SUBJ)) continue;
            /* The evidence is text the index does not keep: fetched for the
             * events that give rows. */
            if (!fetched && want_col(a, EKG_QCOL_EVIDENCE)) {
                EKG_TRY(s, targets(n->c->st, e + 1, EKG_NS "evidence", &n->evidence));
                fetched = true;
            }
            /* The cross product of the optional facts (an empty list = unbound). */
            size_t idx[QB_COUNT] = {0};
            for (;;) {
                if (n->ids) {
                    uint32_t t[QB_COUNT] = {si, oi, ekg_event_index_event_iri(x, ev)};
                    for (int k = QB_WHEN; k < QB_COUNT; k++)
                        t[k] = n->f[k].n ? n->f[k].v[idx[k]] : UINT32_MAX;
                    for (int k = 0; k < QB_COUNT; k++) EKG_TRY(s, ekg_u32v_push(n->ids, t[k]));
                    goto next;
                }
                const char *v[QB_COUNT] = {ekg_event_index_string(x, si),
                                           ekg_event_index_string(x, oi), e};
                for (int k = QB_WHEN; k < QB_COUNT; k++) {
                    if (k == QB_EVIDENCE)
                        v[k] = n->evidence.n ? n->evidence.v[idx[k]] : NULL;
                    else
                        v[k] = n->f[k].n ? ekg_event_index_string(x, n->f[k].v[idx[k]]) : NULL;
                }
                EKG_TRY(s, bindv_push(n->out, v));
            next:;
                int k = QB_WHEN;
                for (; k < QB_COUNT; k++) {
                    size_t cnt = k == QB_EVIDENCE ? n->evidence.n : n->f[k].n;
                    if (cnt && ++idx[k] < cnt) break;
                    idx[k] = 0;
                }
                if (k == QB_COUNT) break;
            }
        }
    }
cleanup:
    return s;
}

static void mark_list(native *n, const ekg_strv *l, uint8_t m)
{
    for (size_t i = 0; i < l->n; i++) {
        uint32_t id;
        if (ekg_event_index_find(n->x, EKG_TERM_IRI, l->v[i], &id)) n->mark[id] |= m;
    }
}

static ekg_status run_native(ekg_qctx *c, ekg_qplan *p, bindv *out, ekg_u32v *ids)
{
    ekg_status s = EKG_OK;
    const ekg_event_index *x = c->idx;
    uint32_t nstr = ekg_event_index_nstrings(x), nev = ekg_event_index_nevents(x);
    native n = {.c = c, .p = p, .x = x, .out = out, .ids = ids};
    uint8_t *seen = NULL;
    n.mark = calloc(nstr + 1, 1);
    n.ok_s = calloc(nstr + 1, 1);
    n.ok_o = calloc(nstr + 1, 1);
    if (!n.mark || !n.ok_s || !n.ok_o) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    mark_list(&n, &p->event_list, M_EVCLASS);
    if (p->subj.kind == EKG_RT_ENTITY) mark_list(&n, &p->subj.list, M_SUBJ);
    if (p->obj.kind == EKG_RT_ENTITY) mark_list(&n, &p->obj.list, M_OBJ);
    if (p->place.kind == EKG_RT_ENTITY) mark_list(&n, &p->place.list, M_PLACE);
    if (p->forum.kind == EKG_RT_ENTITY) mark_list(&n, &p->forum.list, M_FORUM);
    const ekg_rterm *seed = p->subj.kind == EKG_RT_ENTITY ? &p->subj
                            : p->obj.kind == EKG_RT_ENTITY ? &p->obj
                                                           : NULL;
    if (seed) {
        /* The events where the named side has one of its roles. */
        if (!(seen = calloc(nev / 8 + 1, 1))) {
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        ekg_evidx_role skip = seed == &p->subj ? EKG_EVIDX_TARGET : EKG_EVIDX_AGENT;
        for (size_t i = 0; i < seed->list.n; i++) {
            uint32_t id;
            if (!ekg_event_index_find(x, EKG_TERM_IRI, seed->list.v[i], &id)) continue;
            const uint32_t *ent;
            size_t k = ekg_event_index_events_of(x, id, &ent);
            for (size_t j = 0; j < k; j++)
                if (EKG_EVIDX_ADJ_ROLE(ent[j]) != skip) {
                    uint32_t ev = EKG_EVIDX_ADJ_EVENT(ent[j]);
                    seen[ev >> 3] |= (uint8_t)(1u << (ev & 7));
                }
        }
    }
    for (uint32_t ev = 0; ev < nev; ev++) {
        if (seen) {
            if ((ev & 7) == 0 && !seen[ev >> 3]) {
                ev += 7; /* an empty byte: the next 8 are not candidates */
                continue;
            }
            if (!(seen[ev >> 3] & (1u << (ev & 7)))) continue;
        }
        if ((ev & 4095) == 0 && ekg_qctx_cancelled(c)) {
            s = EKG_ERR_CANCELLED;
            goto cleanup;
        }
        EKG_TRY(s, native_event(&n, ev));
    }
cleanup:
    free(seen);
    free(n.mark);
    free(n.ok_s);
    free(n.ok_o);
    free(n.subj.v);
    free(n.obj.v);
    for (int k = 0; k < QB_COUNT; k++) free(n.f[k].v);
    ekg_strv_clear(&n.evidence);
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
    size_t n = 0, last = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        /* Compare with the last row kept. */
        bool keep = (n == 0 || cmp_row_all(&refs[i], &refs[last]) != 0) &&
                    (limit < 0 || (long)n < limit);
        if (keep) {
            memcpy(&cells[n * r->ncols], refs[i].cells, r->ncols * sizeof *cells);
            n++;
            last = i;
        } /* a dropped row's strings stay in the result's pool */
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

/* The output columns (names, and the binding slot each shows) and the
 * column to order by (-1: none). */
static const int COL_SLOT[EKG_QCOL_COUNT] = {QB_WHEN, QB_WHERE, QB_FORUM,
                                             QB_SOURCE, QB_EVIDENCE, QB_CONF};

static ekg_status columns(ekg_qctx *c, const ekg_qplan *p, const char **names, int *slots,
                          size_t *ncols, int *keyp)
{
    const ekg_qast *a = p->ast;
    size_t nc = 0;
    if (p->subj.column) slots[nc] = QB_S, names[nc++] = p->subj.column;
    if (p->obj.column) slots[nc] = QB_O, names[nc++] = p->obj.column;
    for (size_t i = 0; i < a->ncols; i++)
        slots[nc] = COL_SLOT[a->cols[i]], names[nc++] = ekg_qcol_name(a->cols[i]);
    *ncols = nc;
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
    *keyp = key;
    return EKG_OK;
}

static ekg_result *new_table(const char *const *names, size_t nc)
{
    ekg_result *r = ekg_result_new(EKG_RESULT_TABLE, nc, names);
    if (!r) return NULL;
    for (size_t i = 0; i < nc; i++)
        if (strcmp(names[i], "when") == 0) r->date_col = (int)i;
    return r;
}

static ekg_status project(ekg_qctx *c, ekg_qplan *p, bindv *bv, ekg_result **out)
{
    ekg_status s = EKG_OK;
    const ekg_qast *a = p->ast;
    const char *names[2 + EKG_QCOL_COUNT];
    int slots[2 + EKG_QCOL_COUNT];
    size_t nc = 0;
    int key = -1;
    if ((s = columns(c, p, names, slots, &nc, &key))) return s;
    ekg_result *r = new_table(names, nc);
    if (!r) return EKG_ERR_NOMEM;
    ekg_cell cells[2 + EKG_QCOL_COUNT];
    ekg_qmap *sides = ekg_qmap_new(), *sources = ekg_qmap_new();
    if (!sides || !sources) {
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
        if (p->subj.column) {
            cells[k] = (ekg_cell){(char *)label(c, x->kind[QB_S], x->v[QB_S]), x->kind[QB_S], x->v[QB_S]};
            k++;
        }
        if (p->obj.column) {
            cells[k] = (ekg_cell){(char *)label(c, x->kind[QB_O], x->v[QB_O]), x->kind[QB_O], x->v[QB_O]};
            k++;
        }
        for (size_t i = 0; i < a->ncols; i++, k++) {
            int sl = COL_SLOT[a->cols[i]];
            const char *v = x->v[sl];
            if (sl == QB_SOURCE && v && x->kind[sl] == EKG_TERM_IRI) {
                void **slot = ekg_qmap_put(sources, v, NULL);
                if (slot && !*slot) *slot = source_text(c, v);
                const char *txt = slot && *slot ? *slot : v;
                cells[k] = (ekg_cell){(char *)txt, x->kind[sl], x->v[sl]};
            } else
                cells[k] = (ekg_cell){(char *)label(c, x->kind[sl], v), v ? x->kind[sl] : EKG_TERM_NONE,
                                      x->v[sl]};
        }
        s = ekg_result_add_row(r, cells);
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
    ekg_qmap_free(sources, free);
    if (s) {
        ekg_result_free(r);
        return s;
    }
    *out = r;
    return EKG_OK;
}

/* ---- labels and sides from the index (as ekg_names_label and side_of) --- */

static int lang_rank(const char *want, const char *have, size_t hn)
{
    if (strlen(want) == hn && strncasecmp(want, have, hn) == 0) return 0;
    size_t n = strlen(want);
    if (hn > n && strncasecmp(want, have, n) == 0 && have[n] == '-') return 1;
    if ((hn == 2 && strncasecmp(have, "en", 2) == 0) || (hn > 2 && strncasecmp(have, "en-", 3) == 0))
        return 2;
    return 3;
}

static const char *last_seg(const char *iri)
{
    const char *h = strrchr(iri, '#'), *s = strrchr(iri, '/');
    const char *b = h > s ? h : s;
    return b && b[1] ? b + 1 : iri;
}

/* The label of IRI string `id` in c->lang: the first of prefLabel,
 * rdfs:label, dcterms:title, altLabel that has one, the best language
 * (exact, prefix, en, other), then the smallest text; else the IRI's last
 * segment. Borrowed from the index. The same text as ekg_names_label. */
const char *ekg_qctx_label_id(const ekg_qctx *c, uint32_t id)
{
    static const ekg_evidx_eprop P[] = {EKG_EVIDX_E_PREFLABEL, EKG_EVIDX_E_LABEL,
                                        EKG_EVIDX_E_TITLE, EKG_EVIDX_E_ALTLABEL};
    const char *lang = c->lang && *c->lang ? c->lang : "en";
    for (size_t p = 0; p < sizeof P / sizeof *P; p++) {
        const uint32_t *v;
        size_t k = ekg_event_index_entity_values(c->idx, id, P[p], &v);
        const char *best = NULL;
        int best_rank = 4;
        for (size_t i = 0; i < k; i++) {
            const char *t = ekg_event_index_string(c->idx, EKG_EVIDX_VAL(v, i)) + 1;
            const char *tab = strchr(t, '\t');
            if (!tab) continue;
            int r = lang_rank(lang, t, (size_t)(tab - t));
            if (r < best_rank || (r == best_rank && strcmp(tab + 1, best) < 0)) {
                best = tab + 1;
                best_rank = r;
            }
        }
        if (best) return best;
    }
    return last_seg(ekg_event_index_string(c->idx, id) + 1);
}

/* The side an actor is on (see side_of), as a string id. */
static uint32_t idx_side(const ekg_qctx *c, uint32_t id)
{
    uint32_t cur = id;
    for (int step = 0; step < 6; step++) {
        const uint32_t *v;
        size_t k = ekg_event_index_entity_values(c->idx, cur, EKG_EVIDX_E_REPRESENTS, &v);
        if (!k) k = ekg_event_index_entity_values(c->idx, cur, EKG_EVIDX_E_PARTOF, &v);
        if (!k || ekg_event_index_string(c->idx, EKG_EVIDX_VAL(v, 0))[0] != 'I') break;
        cur = EKG_EVIDX_VAL(v, 0);
    }
    return cur;
}

/* "Title (date)" of a document string. */
static char *idx_source_text(const ekg_qctx *c, uint32_t id)
{
    const char *t = ekg_qctx_label_id(c, id), *d = NULL;
    const uint32_t *v;
    size_t k = ekg_event_index_entity_values(c->idx, id, EKG_EVIDX_E_DATE, &v);
    for (size_t i = 0; i < k; i++) {
        const char *x = ekg_event_index_string(c->idx, EKG_EVIDX_VAL(v, i)) + 1;
        if (!d || strcmp(x, d) < 0) d = x;
    }
    size_t n = strlen(t) + (d ? strlen(d) : 0) + 4;
    char *out = malloc(n);
    if (out) snprintf(out, n, d ? "%s (%s)" : "%s", t, d);
    return out;
}

/* The projection of the native plan, on string ids: same-side pairs
 * dropped, rows projected to their columns, each column's distinct values
 * labelled once and ranked in the order of cmp_cell, then rows sorted and
 * de-duplicated on ranks, and only the rows kept are built — the same rows,
 * in the same order, as project() + finish_rows() on strings. */
typedef struct {
    const uint32_t *r;
    size_t nc;
    int key;
    bool desc;
} idref;

static int cmp_idref(const void *x, const void *y)
{
    const idref *a = x, *b = y;
    if (a->key >= 0 && a->r[a->key] != b->r[a->key]) {
        int d = a->r[a->key] < b->r[a->key] ? -1 : 1;
        return a->desc ? -d : d;
    }
    for (size_t i = 0; i < a->nc; i++)
        if (a->r[i] != b->r[i]) return a->r[i] < b->r[i] ? -1 : 1;
    return 0;
}

typedef struct {
    ekg_cell cell;
    uint32_t id;
} dcell;

static int cmp_dcell(const void *x, const void *y)
{
    return cmp_cell(&((const dcell *)x)->cell, &((const dcell *)y)->cell);
}

/* Sort rows of ranks as cmp_idref does. When the ranks of a row fit in 64
 * bits (the usual case), as packed keys by radix sort; else by qsort. */
typedef struct {
    uint64_t key;
    uint32_t i;
} rkey;

static ekg_status sort_idrefs(idref *refs, size_t nr, const uint32_t *rows, size_t nc,
                              const size_t *ndist, int key, bool desc)
{
    unsigned bits[2 + EKG_QCOL_COUNT], total = 0;
    for (size_t k = 0; k < nc; k++) {
        bits[k] = 1;
        while (bits[k] < 32 && ((size_t)1 << bits[k]) < ndist[k] + 1) bits[k]++;
        total += bits[k];
    }
    if (total > 64 || nr < 64) {
        qsort(refs, nr, sizeof *refs, cmp_idref);
        return EKG_OK;
    }
    rkey *a = malloc(nr * sizeof *a), *b = malloc(nr * sizeof *b);
    idref *tmp = malloc(nr * sizeof *tmp);
    if (!a || !b || !tmp) {
        free(a);
        free(b);
        free(tmp);
        return EKG_ERR_NOMEM;
    }
    for (size_t i = 0; i < nr; i++) {
        const uint32_t *r = &rows[i * nc];
        uint64_t k64 = 0;
        if (key >= 0) {
            uint64_t v = r[key];
            if (desc) v = (((uint64_t)1 << bits[key]) - 1) - v;
            k64 = v;
        }
        /* The key column leads; the others follow in their order (cmp_idref
         * compares the key column again, equal by then). */
        for (size_t k = 0; k < nc; k++)
            if ((int)k != key) k64 = k64 << bits[k] | r[k];
        a[i] = (rkey){k64, (uint32_t)i};
    }
    /* LSD radix sort on the bytes that vary. */
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < nr; i++) {
        all_or |= a[i].key;
        all_and &= a[i].key;
    }
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if ((((all_or ^ all_and) >> shift) & 0xFF) == 0) continue;
        size_t cnt[257] = {0};
        for (size_t i = 0; i < nr; i++) cnt[((a[i].key >> shift) & 0xFF) + 1]++;
        for (int j = 0; j < 256; j++) cnt[j + 1] += cnt[j];
        for (size_t i = 0; i < nr; i++) b[cnt[(a[i].key >> shift) & 0xFF]++] = a[i];
        rkey *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < nr; i++) tmp[i] = refs[a[i].i];
    memcpy(refs, tmp, nr * sizeof *refs);
    free(a);
    free(b);
    free(tmp);
    return EKG_OK;
}

/* Ranks by string slot: a dense array over every string of the index when
 * the rows are many, else a small open-addressing map (a few thousand rows
 * of a 10M-quad store need not walk two million strings per column). */
typedef struct {
    uint32_t *dense;       /* nstr + 1 entries, or NULL */
    uint32_t *keys, *vals; /* the map: keys UINT32_MAX when empty */
    uint32_t mask;
} rankmap;

static bool rankmap_reset(rankmap *m, size_t nr, uint32_t nstr, bool dense)
{
    if (dense) {
        if (!m->dense && !(m->dense = malloc(((size_t)nstr + 1) * sizeof *m->dense))) return false;
        memset(m->dense, 0xff, ((size_t)nstr + 1) * sizeof *m->dense);
        return true;
    }
    if (!m->keys) {
        size_t cap = 16;
        while (cap < 2 * nr + 2) cap *= 2;
        if (!(m->keys = malloc(cap * sizeof *m->keys)) || !(m->vals = malloc(cap * sizeof *m->vals)))
            return false;
        m->mask = (uint32_t)(cap - 1);
    }
    memset(m->keys, 0xff, ((size_t)m->mask + 1) * sizeof *m->keys);
    return true;
}

/* The rank slot of string slot `id` (UINT32_MAX in it when new). */
static uint32_t *rankmap_at(rankmap *m, uint32_t id)
{
    if (m->dense) return &m->dense[id];
    uint32_t h = (id * 0x9E3779B1u) & m->mask;
    while (m->keys[h] != UINT32_MAX && m->keys[h] != id) h = (h + 1) & m->mask;
    if (m->keys[h] == UINT32_MAX) {
        m->keys[h] = id;
        m->vals[h] = UINT32_MAX;
    }
    return &m->vals[h];
}

static void rankmap_free(rankmap *m)
{
    free(m->dense);
    free(m->keys);
    free(m->vals);
}

static ekg_status project_ids(ekg_qctx *c, ekg_qplan *p, const ekg_u32v *ids, ekg_result **out)
{
    ekg_status s = EKG_OK;
    const ekg_qast *a = p->ast;
    const ekg_event_index *x = c->idx;
    const char *names[2 + EKG_QCOL_COUNT];
    int slots[2 + EKG_QCOL_COUNT];
    size_t nc = 0;
    int key = -1;
    if ((s = columns(c, p, names, slots, &nc, &key))) return s;
    uint32_t nstr = ekg_event_index_nstrings(x);
    size_t nb = ids->n / QB_COUNT, nr = 0;
    ekg_result *r = new_table(names, nc);
    uint32_t *rows = malloc((nb * nc + 1) * sizeof *rows);
    uint32_t *side = calloc(nstr + 1, sizeof *side); /* side id + 1, 0 unknown */
    rankmap rank = {0};
    dcell *dist[2 + EKG_QCOL_COUNT] = {0};
    size_t ndist[2 + EKG_QCOL_COUNT] = {0};
    idref *refs = NULL;
    ekg_qmap *sources = ekg_qmap_new();
    if (!r || !rows || !side || !sources) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t b = 0; b < nb; b++) {
        if ((b & 4095) == 0 && ekg_qctx_cancelled(c)) {
            s = EKG_ERR_CANCELLED;
            goto cleanup;
        }
        const uint32_t *t = &ids->v[b * QB_COUNT];
        const char *sv = ekg_event_index_string(x, t[QB_S]), *ov = ekg_event_index_string(x, t[QB_O]);
        /* A person does not "meet" the state they represent. */
        if (sv[0] == 'I' && ov[0] == 'I') {
            if (!side[t[QB_S]]) side[t[QB_S]] = idx_side(c, t[QB_S]) + 1;
            if (!side[t[QB_O]]) side[t[QB_O]] = idx_side(c, t[QB_O]) + 1;
            if (side[t[QB_S]] == side[t[QB_O]]) continue;
        }
        for (size_t k = 0; k < nc; k++) rows[nr * nc + k] = t[slots[k]];
        nr++;
    }
    /* Each column's distinct values, labelled and ranked. */
    bool dense = nr * 16 >= (size_t)nstr;
    for (size_t k = 0; k < nc && nr; k++) {
        if (!rankmap_reset(&rank, nr, nstr, dense)) {
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        size_t nd = 0;
        for (size_t i = 0; i < nr; i++) {
            uint32_t id = rows[i * nc + k], *rk = rankmap_at(&rank, id == UINT32_MAX ? nstr : id);
            if (*rk == UINT32_MAX) *rk = (uint32_t)nd++;
        }
        if (!(dist[k] = calloc(nd ? nd : 1, sizeof *dist[k]))) {
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        ndist[k] = nd;
        for (size_t j = 0, nj = dense ? (size_t)nstr + 1 : (size_t)rank.mask + 1; j < nj; j++) {
            uint32_t i = dense ? (uint32_t)j : rank.keys[j];
            uint32_t ri = dense ? rank.dense[j] : rank.vals[j];
            if (i == UINT32_MAX || ri == UINT32_MAX) continue;
            dcell *d = &dist[k][ri];
            d->id = i;
            if (i == nstr) {
                d->cell = (ekg_cell){(char *)"", EKG_TERM_NONE, NULL};
                continue;
            }
            const char *v = ekg_event_index_string(x, i);
            ekg_term_kind kind = char_kind(v[0]);
            const char *text;
            if (slots[k] == QB_SOURCE && kind == EKG_TERM_IRI) {
                void **slot = ekg_qmap_put(sources, v + 1, NULL);
                if (slot && !*slot) *slot = idx_source_text(c, i);
                text = slot && *slot ? *slot : v + 1;
            } else
                text = kind == EKG_TERM_IRI ? ekg_qctx_label_id(c, i) : v + 1;
            d->cell = (ekg_cell){(char *)text, kind, (char *)(v + 1)};
        }
        qsort(dist[k], nd, sizeof *dist[k], cmp_dcell);
        /* Equal cells share a rank; the rank indexes the first of them. */
        for (size_t i = 0; i < nd; i++) {
            size_t first = i && !cmp_cell(&dist[k][i].cell, &dist[k][i - 1].cell)
                               ? *rankmap_at(&rank, dist[k][i - 1].id)
                               : i;
            *rankmap_at(&rank, dist[k][i].id) = (uint32_t)first;
        }
        for (size_t i = 0; i < nr; i++) {
            uint32_t id = rows[i * nc + k];
            rows[i * nc + k] = *rankmap_at(&rank, id == UINT32_MAX ? nstr : id);
        }
    }
    if (!(refs = malloc((nr + 1) * sizeof *refs))) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < nr; i++) refs[i] = (idref){&rows[i * nc], nc, key, a->order_desc};
    EKG_TRY(s, sort_idrefs(refs, nr, rows, nc, ndist, key, a->order_desc));
    ekg_cell cells[2 + EKG_QCOL_COUNT];
    size_t kept = 0;
    for (size_t i = 0; i < nr && (a->limit < 0 || (long)kept < a->limit); i++) {
        if (i && cmp_idref(&refs[i], &refs[i - 1]) == 0) continue;
        for (size_t k = 0; k < nc; k++) cells[k] = dist[k][refs[i].r[k]].cell;
        EKG_TRY(s, ekg_result_add_row(r, cells));
        kept++;
    }
cleanup:
    for (size_t k = 0; k < nc; k++) free(dist[k]);
    free(refs);
    free(rows);
    free(side);
    rankmap_free(&rank);
    ekg_qmap_free(sources, free);
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
    ekg_cell *cells = calloc(n ? n : 1, sizeof *cells);
    if (!cells) goto nomem;
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
    free(cells);
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
    ekg_qctx c = {ss->st, ss->names, ss->lang, ss->cancel, ss->sink, ss->want, NULL};
    EKG_TRY(s, ekg_qast_parse(query, ss->sink, &ast));
    if (ast->kind == EKG_QAST_SPARQL) {
        s = run_raw(&c, ss->endpoint, ast->sparql, out);
        goto cleanup;
    }
    if (ast->kind != EKG_QAST_SENTENCE) {
        if (ast->kind == EKG_QAST_PATH || ast->kind == EKG_QAST_TIMELINE ||
            ast->kind == EKG_QAST_NEIGHBORS || ast->kind == EKG_QAST_DESCRIBE) {
            EKG_TRY(s, session_index(ss));
            c.idx = ss->idx;
        }
        s = ekg_walk_run(&c, ast, out);
        goto cleanup;
    }
    s = ekg_qplan_compile(ss->names, ss->st, ast, ss->plan, ss->sink, &p);
    ast = NULL; /* owned by the plan, even on error */
    if (s) goto cleanup;
    if (p->plan == EKG_PLAN_SPARQL)
        EKG_TRY(s, run_sparql_plan(&c, p, &bv));
    else {
        EKG_TRY(s, session_index(ss));
        c.idx = ss->idx;
        /* Without evidence, edges or triples, everything stays on string
         * ids until the rows are kept. */
        bool on_ids = !want_col(p->ast, EKG_QCOL_EVIDENCE) &&
                      !(ss->want & (EKG_WANT_EDGES | EKG_WANT_TRIPLES));
        if (on_ids) {
            ekg_u32v ids = {0};
            s = run_native(&c, p, &bv, &ids);
            if (!s) s = project_ids(&c, p, &ids, out);
            free(ids.v);
            if (s) goto cleanup;
            goto done;
        }
        EKG_TRY(s, run_native(&c, p, &bv, NULL));
    }
    EKG_TRY(s, project(&c, p, &bv, out));
done:
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
