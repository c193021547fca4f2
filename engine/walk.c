/* walk.c — traversals SPARQL 1.0 cannot express, as native walks: path and
 * timeline and neighbors over the event index (c->idx), describe over the
 * store's (s p ?) and (? p o) look-ups for each predicate the index lists
 * (it shows literals and graphs, which the index does not keep):
 *   path A to B     breadth-first over actor → event → actor, with a visited
 *                   set and a maximum number of events (default 4);
 *   neighbors X     breadth-first over every IRI link, both directions;
 *   timeline X      every event X (or one acting for X) took part in, by date;
 *   describe X      every fact about X, and the events that point to it. */
#include "query_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_DEFAULT 4
#define NEIGHBORS_MAX_ROWS 5000

typedef struct {
    ekg_strv *v;
    ekg_qmap *seen; /* may be NULL */
    bool iri_only;
    ekg_status err;
} coll;

static int on_coll(void *vc, const ekg_term *t)
{
    coll *c = vc;
    if (c->iri_only && t->kind != EKG_TERM_IRI) return 0;
    if (c->seen) {
        bool created;
        if (!ekg_qmap_put(c->seen, t->value, &created)) goto nomem;
        if (!created) return 0;
    }
    if (ekg_strv_push(c->v, t->value)) goto nomem;
    return 0;
nomem:
    c->err = EKG_ERR_NOMEM;
    return 1;
}

static ekg_status targets_of(ekg_store *st, const char *s, const char *p, ekg_strv *out)
{
    coll c = {out, NULL, false, EKG_OK};
    ekg_term ts = ekg_iri(s), tp = ekg_iri(p);
    ekg_status r = ekg_store_targets(st, &ts, &tp, on_coll, &c);
    return c.err ? c.err : r;
}

static const char *first_or(const ekg_strv *v, const char *dflt)
{
    const char *best = NULL;
    for (size_t i = 0; i < v->n; i++)
        if (!best || strcmp(v->v[i], best) < 0) best = v->v[i];
    return best ? best : dflt;
}

/* The label of an event's most specific type. */
static const char *event_kind(ekg_qctx *c, const char *e)
{
    ekg_strv types = {0};
    targets_of(c->st, e, EKG_RDF_TYPE, &types);
    ekg_qmap *ev = ekg_qmap_new();
    const char *best = NULL;
    size_t best_n = (size_t)-1;
    if (ev && !ekg_names_closure(c->names, EKG_NS "Event", ev)) {
        for (size_t i = 0; i < types.n; i++) {
            if (!ekg_qmap_get(ev, types.v[i])) continue;
            ekg_qmap *cl = ekg_qmap_new();
            if (!cl) break;
            ekg_names_closure(c->names, types.v[i], cl);
            size_t k = ekg_qmap_count(cl);
            ekg_qmap_free(cl, NULL);
            if (k < best_n || (k == best_n && strcmp(types.v[i], best) < 0)) {
                best_n = k;
                best = types.v[i];
            }
        }
    }
    const char *l = best ? ekg_names_label(c->names, c->st, best, c->lang) : NULL;
    ekg_qmap_free(ev, NULL);
    ekg_strv_clear(&types);
    return l;
}

static const char *lab(ekg_qctx *c, const char *iri)
{
    return ekg_names_label(c->names, c->st, iri, c->lang);
}


/* An event as "Kind date", anything else by its label; into buf. */
static const char *node_label(ekg_qctx *c, const char *iri, char *buf, size_t n)
{
    const char *k = event_kind(c, iri);
    if (!k) return lab(c, iri);
    ekg_strv dates = {0};
    targets_of(c->st, iri, EKG_NS "date", &dates);
    snprintf(buf, n, "%s%s%s", k, dates.n ? " " : "", first_or(&dates, ""));
    ekg_strv_clear(&dates);
    return buf;
}

static ekg_status resolve(ekg_qctx *c, const ekg_qterm *t, ekg_rterm *out)
{
    ekg_status s = ekg_names_resolve_term(c->names, c->st, t, true, c->sink, out);
    if (!s && out->kind != EKG_RT_ENTITY) {
        ekg_qerror(c->sink, EKG_ERR_QUERY, t->col, "'%s' is a class; name one entity here",
                   t->text);
        ekg_rterm_clear(out);
        return EKG_ERR_QUERY;
    }
    return s;
}

static ekg_result *new_result(ekg_result_kind k, size_t n, const char *const *cols)
{
    return ekg_result_new(k, n, cols);
}

/* n is the length of text[] and iri[]; it must equal the result's column count. */
static ekg_status add_row(ekg_result *r, size_t n, const char *const *text,
                          const char *const *iri)
{
    ekg_cell cells[8];
    if (n != r->ncols || n > 8) return EKG_ERR_INTERNAL;
    for (size_t i = 0; i < n; i++)
        cells[i] = (ekg_cell){(char *)(text[i] ? text[i] : ""),
                              iri && iri[i] ? EKG_TERM_IRI : EKG_TERM_NONE,
                              (char *)(iri ? iri[i] : NULL)};
    return ekg_result_add_row(r, cells);
}

/* ---- over the event index ------------------------------------------------ */

static bool bit_test(const uint8_t *b, uint32_t i) { return b[i >> 3] & (1u << (i & 7)); }
static void bit_set(uint8_t *b, uint32_t i) { b[i >> 3] |= (uint8_t)(1u << (i & 7)); }

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* The values of roles [r0, r1] of an event, in role order (not deduplicated). */
static ekg_status ev_values(const ekg_event_index *x, uint32_t ev, ekg_evidx_role r0,
                            ekg_evidx_role r1, ekg_u32v *out)
{
    for (int r = r0; r <= (int)r1; r++) {
        const uint32_t *v;
        size_t n = ekg_event_index_values(x, ev, (ekg_evidx_role)r, &v);
        for (size_t i = 0; i < n; i++)
            if (ekg_u32v_push(out, EKG_EVIDX_VAL(v, i))) return EKG_ERR_NOMEM;
    }
    return EKG_OK;
}

static const char *ival(const ekg_event_index *x, uint32_t id)
{
    return ekg_event_index_string(x, id) + 1;
}

/* The smallest value of one role of an event (by strcmp), or dflt. */
static const char *ev_first(const ekg_event_index *x, uint32_t ev, ekg_evidx_role r,
                            const char *dflt)
{
    const uint32_t *v;
    size_t n = ekg_event_index_values(x, ev, r, &v);
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *t = ival(x, EKG_EVIDX_VAL(v, i));
        if (!best || strcmp(t, best) < 0) best = t;
    }
    return best ? best : dflt;
}

/* As event_kind, from the index: the label of an event's most specific
 * event class (fewest descendants, then the smaller IRI). `cache` maps a
 * class IRI to its number of descendants + 1. */
static const char *ev_kind(ekg_qctx *c, ekg_qmap *cache, uint32_t ev)
{
    const ekg_event_index *x = c->idx;
    const uint32_t *v;
    size_t n = ekg_event_index_values(x, ev, EKG_EVIDX_TYPE, &v);
    const char *best = NULL;
    size_t best_n = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        const char *t = ival(x, EKG_EVIDX_VAL(v, i));
        void **slot = ekg_qmap_put(cache, t, NULL);
        if (!slot) return NULL;
        if (!*slot) {
            ekg_qmap *cl = ekg_qmap_new();
            if (!cl) return NULL;
            ekg_names_closure(c->names, t, cl);
            *slot = (void *)(uintptr_t)(ekg_qmap_count(cl) + 1);
            ekg_qmap_free(cl, NULL);
        }
        size_t k = (size_t)(uintptr_t)*slot - 1;
        if (k < best_n || (k == best_n && strcmp(t, best) < 0)) {
            best_n = k;
            best = t;
        }
    }
    return best ? ekg_names_label(c->names, c->st, best, c->lang) : NULL;
}

/* ---- path ---------------------------------------------------------------- */

typedef struct {
    char *prev;  /* previous actor, NULL for a start */
    uint32_t ev; /* the event linking prev to this actor */
} pnode;

static void pnode_free(void *p)
{
    pnode *n = p;
    free(n->prev);
    free(n);
}

static ekg_status walk_path(ekg_qctx *c, ekg_qast *a, ekg_result **out)
{
    ekg_status s = EKG_OK;
    const ekg_event_index *ix = c->idx;
    ekg_rterm from = {0}, to = {0};
    ekg_qmap *via = NULL, *parent = ekg_qmap_new(), *kinds = ekg_qmap_new();
    uint8_t *seen_ev = calloc(ekg_event_index_nevents(ix) / 8 + 1, 1), *via_ok = NULL;
    ekg_strv frontier = {0}, nextf = {0}, chain = {0};
    ekg_u32v evs = {0}, actors = {0};
    ekg_result *r = NULL;
    const char *found = NULL;
    int maxd = a->depth ? a->depth : PATH_MAX_DEFAULT;
    if (!parent || !kinds || !seen_ev) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    EKG_TRY(s, resolve(c, &a->a, &from));
    EKG_TRY(s, resolve(c, &a->b, &to));
    if (a->nvia) {
        via = ekg_qmap_new();
        if (!via || !(via_ok = calloc(ekg_event_index_nstrings(ix) + 1, 1))) {
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < a->nvia; i++) {
            ekg_qmap *cls;
            EKG_TRY(s, ekg_names_resolve_verb(c->names, &a->via[i], c->sink, &cls));
            for (size_t k = 0; k < ekg_qmap_capacity(cls); k++) {
                const char *key = ekg_qmap_key_at(cls, k, NULL);
                uint32_t id;
                if (key && ekg_event_index_find(ix, EKG_TERM_IRI, key, &id)) via_ok[id] = 1;
            }
            ekg_qmap_free(cls, NULL);
        }
    }
    /* The named entity first, then those acting for it. */
    for (size_t i = 0; i < from.list.n; i++)
        if (!strcmp(from.list.v[i], from.entity) && i) {
            char *t = from.list.v[0];
            from.list.v[0] = from.list.v[i];
            from.list.v[i] = t;
        }
    for (size_t i = 0; i < from.list.n; i++) {
        void **slot = ekg_qmap_put(parent, from.list.v[i], NULL);
        pnode *pn = calloc(1, sizeof *pn);
        if (!slot || !pn) {
            free(pn);
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        *slot = pn;
        EKG_TRY(s, ekg_strv_push(&frontier, from.list.v[i]));
        if (ekg_qmap_get(to.set, from.list.v[i])) found = frontier.v[frontier.n - 1];
    }
    for (int d = 0; d < maxd && !found && frontier.n; d++) {
        if (d) ekg_strv_sort(&frontier);
        for (size_t i = 0; i < frontier.n && !found; i++) {
            if (ekg_qctx_cancelled(c)) {
                s = EKG_ERR_CANCELLED;
                goto cleanup;
            }
            /* The events the actor has a role in, not seen before, by IRI. */
            evs.n = 0;
            uint32_t id;
            if (ekg_event_index_find(ix, EKG_TERM_IRI, frontier.v[i], &id)) {
                const uint32_t *ent;
                size_t k = ekg_event_index_events_of(ix, id, &ent);
                for (size_t j = 0; j < k; j++) {
                    uint32_t ev = EKG_EVIDX_ADJ_EVENT(ent[j]);
                    if (bit_test(seen_ev, ev)) continue;
                    bit_set(seen_ev, ev);
                    EKG_TRY(s, ekg_u32v_push(&evs, ev));
                }
            }
            if (evs.n > 1) qsort(evs.v, evs.n, sizeof *evs.v, cmp_u32);
            for (size_t e = 0; e < evs.n && !found; e++) {
                if (via) {
                    const uint32_t *ty;
                    size_t k = ekg_event_index_values(ix, evs.v[e], EKG_EVIDX_TYPE, &ty);
                    bool ok = false;
                    for (size_t t = 0; t < k && !ok; t++) ok = via_ok[EKG_EVIDX_VAL(ty, t)];
                    if (!ok) continue;
                }
                actors.n = 0;
                EKG_TRY(s, ev_values(ix, evs.v[e], EKG_EVIDX_AGENT, EKG_EVIDX_TARGET, &actors));
                if (actors.n > 1) qsort(actors.v, actors.n, sizeof *actors.v, cmp_u32); /* by IRI */
                /* The goal entity itself before those acting for it. */
                for (size_t k = 1; k < actors.n; k++)
                    if (!strcmp(ival(ix, actors.v[k]), to.entity)) {
                        uint32_t t = actors.v[0];
                        actors.v[0] = actors.v[k];
                        actors.v[k] = t;
                    }
                for (size_t k = 0; k < actors.n && !found; k++) {
                    const char *v = ekg_event_index_string(ix, actors.v[k]);
                    if (v[0] != 'I') continue;
                    bool created;
                    void **slot = ekg_qmap_put(parent, v + 1, &created);
                    if (!slot) {
                        s = EKG_ERR_NOMEM;
                        goto cleanup;
                    }
                    if (!created) continue;
                    pnode *pn = calloc(1, sizeof *pn);
                    if (!pn || !(pn->prev = strdup(frontier.v[i]))) {
                        free(pn);
                        s = EKG_ERR_NOMEM;
                        goto cleanup;
                    }
                    pn->ev = evs.v[e];
                    *slot = pn;
                    EKG_TRY(s, ekg_strv_push(&nextf, v + 1));
                    if (ekg_qmap_get(to.set, v + 1)) found = nextf.v[nextf.n - 1];
                }
            }
        }
        if (found) break;
        ekg_strv_clear(&frontier);
        frontier = nextf;
        memset(&nextf, 0, sizeof nextf);
    }
    static const char *const COLS[] = {"step", "from", "event", "to", "when", "source"};
    if (!(r = new_result(EKG_RESULT_GRAPH, 6, COLS))) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    if (!found) {
        char note[256];
        snprintf(note, sizeof note, "no path within %d events", maxd);
        r->note = strdup(note);
        goto cleanup;
    }
    /* Walk back from the goal, then emit in order. */
    for (const char *x = found; x;) {
        EKG_TRY(s, ekg_strv_push(&chain, x));
        pnode *pn = *ekg_qmap_get(parent, x);
        x = pn->prev;
    }
    for (size_t i = chain.n - 1; i > 0; i--) {
        const char *x = chain.v[i], *y = chain.v[i - 1];
        pnode *pn = *ekg_qmap_get(parent, y);
        char step[16];
        snprintf(step, sizeof step, "%zu", chain.n - i);
        const char *ek = ev_kind(c, kinds, pn->ev);
        const char *src = ev_first(ix, pn->ev, EKG_EVIDX_SOURCE, NULL);
        const char *e = ival(ix, ekg_event_index_event_iri(ix, pn->ev));
        const char *text[6] = {step, lab(c, x), ek ? ek : "event", lab(c, y),
                               ev_first(ix, pn->ev, EKG_EVIDX_DATE, ""), src ? lab(c, src) : ""};
        const char *iris[6] = {NULL, x, e, y, NULL, src};
        EKG_TRY(s, add_row(r, sizeof text / sizeof *text, text, iris));
        char el[256];
        snprintf(el, sizeof el, "%s %s", text[2], text[4]);
        ekg_edge ed = {(char *)x, (char *)text[1], (char *)y, (char *)text[3], el};
        EKG_TRY(s, ekg_result_add_edge(r, &ed));
        if (c->want & EKG_WANT_TRIPLES) EKG_TRY(s, ekg_qctx_add_triples(c, r, e));
    }
cleanup:
    ekg_rterm_clear(&from);
    ekg_rterm_clear(&to);
    ekg_qmap_free(via, NULL);
    ekg_qmap_free(parent, pnode_free);
    ekg_qmap_free(kinds, NULL);
    free(seen_ev);
    free(via_ok);
    free(evs.v);
    free(actors.v);
    ekg_strv_clear(&frontier);
    ekg_strv_clear(&nextf);
    ekg_strv_clear(&chain);
    if (s) {
        ekg_result_free(r);
        return s;
    }
    *out = r;
    return EKG_OK;
}

/* ---- neighbors ------------------------------------------------------------ */

typedef struct {
    ekg_qctx *c;
    const char *node;
    ekg_strv *links; /* "p\tother\tdir" */
    ekg_status err;
} nb_ctx;

static int on_nb_quad(void *vc, const ekg_triple *t, const char *graph)
{
    (void)graph;
    nb_ctx *n = vc;
    bool out = t->s.kind == EKG_TERM_IRI && !strcmp(t->s.value, n->node);
    const ekg_term *other = out ? &t->o : &t->s;
    if (other->kind != EKG_TERM_IRI || !strcmp(t->p.value, EKG_RDF_TYPE)) return 0;
    size_t len = strlen(t->p.value) + strlen(other->value) + 4;
    char *buf = malloc(len);
    if (!buf) goto nomem;
    snprintf(buf, len, "%s\t%s\t%c", t->p.value, other->value, out ? '>' : '<');
    for (size_t i = 0; i < n->links->n; i++)
        if (!strcmp(n->links->v[i], buf)) {
            free(buf);
            return 0;
        }
    n->err = ekg_strv_push(n->links, buf);
    free(buf);
    return n->err != EKG_OK;
nomem:
    n->err = EKG_ERR_NOMEM;
    return 1;
}

/* The links of `node` from the index, as on_nb_quad writes them
 * ("p\tother\t>" out, "<" in; a link to itself once, out). */
static ekg_status index_links(ekg_qctx *c, const char *node, ekg_strv *links)
{
    uint32_t id;
    if (!ekg_event_index_find(c->idx, EKG_TERM_IRI, node, &id)) return EKG_OK;
    for (int d = 0; d < 2; d++) {
        const uint32_t *pr;
        size_t n = ekg_event_index_links(c->idx, id, d == 0, &pr);
        for (size_t i = 0; i < n; i++) {
            if (d == 1 && pr[2 * i + 1] == id) continue;
            const char *p = ival(c->idx, pr[2 * i]), *o = ival(c->idx, pr[2 * i + 1]);
            size_t len = strlen(p) + strlen(o) + 4;
            char *buf = malloc(len);
            if (!buf) return EKG_ERR_NOMEM;
            snprintf(buf, len, "%s\t%s\t%c", p, o, d == 0 ? '>' : '<');
            ekg_status s = ekg_strv_push(links, buf);
            free(buf);
            if (s) return s;
        }
    }
    return EKG_OK;
}

/* As node_label, with the event's kind and date from the index. */
static const char *node_label_idx(ekg_qctx *c, ekg_qmap *kinds, const char *iri, char *buf,
                                  size_t n)
{
    uint32_t ev;
    if (!c->idx || !ekg_event_index_event_find(c->idx, iri, &ev)) return node_label(c, iri, buf, n);
    const char *k = ev_kind(c, kinds, ev);
    if (!k) return lab(c, iri);
    const char *d = ev_first(c->idx, ev, EKG_EVIDX_DATE, "");
    snprintf(buf, n, "%s%s%s", k, *d ? " " : "", d);
    return buf;
}

static ekg_status walk_neighbors(ekg_qctx *c, ekg_qast *a, ekg_result **out)
{
    ekg_status s = EKG_OK;
    ekg_rterm x = {0};
    ekg_qmap *seen = ekg_qmap_new(), *kinds = ekg_qmap_new();
    ekg_strv frontier = {0}, nextf = {0};
    ekg_result *r = NULL;
    static const char *const COLS[] = {"depth", "from", "link", "to"};
    if (!seen || !kinds || !(r = new_result(EKG_RESULT_GRAPH, 4, COLS))) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    a->a.exactly = true; /* the entity itself */
    EKG_TRY(s, resolve(c, &a->a, &x));
    int depth = a->depth ? a->depth : 1;
    if (!ekg_qmap_put(seen, x.entity, NULL)) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    EKG_TRY(s, ekg_strv_push(&frontier, x.entity));
    for (int d = 1; d <= depth && frontier.n; d++) {
        for (size_t i = 0; i < frontier.n && r->nrows < NEIGHBORS_MAX_ROWS; i++) {
            if (ekg_qctx_cancelled(c)) {
                s = EKG_ERR_CANCELLED;
                goto cleanup;
            }
            ekg_strv links = {0};
            nb_ctx n = {c, frontier.v[i], &links, EKG_OK};
            if (c->idx)
                n.err = index_links(c, frontier.v[i], &links);
            else {
                ekg_term node = ekg_iri(frontier.v[i]);
                ekg_store_match(c->st, &node, NULL, NULL, NULL, on_nb_quad, &n);
                if (!n.err) ekg_store_match(c->st, NULL, NULL, &node, NULL, on_nb_quad, &n);
            }
            ekg_strv_sort(&links);
            for (size_t k = 0; k < links.n && !n.err; k++) {
                char *p = links.v[k], *o = strchr(p, '\t');
                *o++ = 0;
                char *dir = strchr(o, '\t');
                *dir++ = 0;
                char dstr[16], link[256];
                snprintf(dstr, sizeof dstr, "%d", d);
                const char *pl = strrchr(p, '#') ? strrchr(p, '#') + 1 : strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
                snprintf(link, sizeof link, "%s%s", *dir == '<' ? "← " : "", pl);
                char b1[512], b2[512];
                const char *ol = node_label_idx(c, kinds, o, b2, sizeof b2);
                const char *text[4] = {dstr, node_label_idx(c, kinds, frontier.v[i], b1, sizeof b1),
                                       link, ol};
                const char *iris[4] = {NULL, frontier.v[i], p, o};
                n.err = add_row(r, sizeof text / sizeof *text, text, iris);
                ekg_edge ed = {*dir == '>' ? frontier.v[i] : o,
                               (char *)(*dir == '>' ? text[1] : ol), *dir == '>' ? o : frontier.v[i],
                               (char *)(*dir == '>' ? ol : text[1]), (char *)pl};
                if (!n.err && r->nedges < 2000) n.err = ekg_result_add_edge(r, &ed);
                bool created;
                if (!n.err && !ekg_qmap_put(seen, o, &created)) n.err = EKG_ERR_NOMEM;
                if (!n.err && created && ekg_strv_push(&nextf, o)) n.err = EKG_ERR_NOMEM;
            }
            ekg_strv_clear(&links);
            EKG_TRY(s, n.err);
        }
        ekg_strv_clear(&frontier);
        frontier = nextf;
        memset(&nextf, 0, sizeof nextf);
    }
    if (!r->nrows) r->note = strdup("no neighbors");
cleanup:
    ekg_rterm_clear(&x);
    ekg_qmap_free(seen, NULL);
    ekg_qmap_free(kinds, NULL);
    ekg_strv_clear(&frontier);
    ekg_strv_clear(&nextf);
    if (s) {
        ekg_result_free(r);
        return s;
    }
    *out = r;
    return EKG_OK;
}

/* ---- timeline ------------------------------------------------------------- */

/* Labels of string ids, sorted by value, joined with ", "; caller frees. */
static char *join_ids(ekg_qctx *c, ekg_u32v *v)
{
    if (v->n > 1) qsort(v->v, v->n, sizeof *v->v, cmp_u32);
    size_t cap = 1, n = 0;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < v->n && out; i++) {
        const char *sv = ekg_event_index_string(c->idx, v->v[i]);
        const char *l = sv[0] == 'I' ? ekg_qctx_label_id(c, v->v[i]) : lab(c, sv + 1);
        size_t need = n + strlen(l) + 3;
        if (need > cap) {
            char *o = realloc(out, need * 2);
            if (!o) {
                free(out);
                return NULL;
            }
            out = o;
            cap = need * 2;
        }
        n += (size_t)sprintf(out + n, "%s%s", n ? ", " : "", l);
    }
    return out;
}

typedef struct {
    const ekg_cell *cells;
    size_t ncols, i;
} trow;

static int cmp_trow(const void *x, const void *y)
{
    const trow *a = x, *b = y;
    for (size_t k = 0; k < a->ncols; k++) {
        int d = strcmp(a->cells[k].text, b->cells[k].text);
        if (d) return d;
    }
    return a->i < b->i ? -1 : a->i > b->i;
}

static ekg_status walk_timeline(ekg_qctx *c, ekg_qast *a, ekg_result **out)
{
    ekg_status s = EKG_OK;
    const ekg_event_index *ix = c->idx;
    ekg_rterm x = {0};
    uint32_t nev = ekg_event_index_nevents(ix);
    uint8_t *seen = calloc(nev / 8 + 1, 1);
    ekg_qmap *kinds = ekg_qmap_new();
    ekg_u32v actors = {0}, about = {0}, places = {0}, srcs = {0};
    trow *order = NULL;
    ekg_cell *sorted = NULL;
    ekg_result *r = NULL;
    static const char *const COLS[] = {"when", "event", "actors", "about", "where", "source"};
    if (!seen || !kinds || !(r = new_result(EKG_RESULT_TIMELINE, 6, COLS))) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    r->date_col = 0;
    EKG_TRY(s, resolve(c, &a->a, &x));
    for (size_t i = 0; i < x.list.n; i++) {
        uint32_t id;
        if (!ekg_event_index_find(ix, EKG_TERM_IRI, x.list.v[i], &id)) continue;
        const uint32_t *ent;
        size_t k = ekg_event_index_events_of(ix, id, &ent);
        for (size_t j = 0; j < k; j++) bit_set(seen, EKG_EVIDX_ADJ_EVENT(ent[j]));
    }
    for (uint32_t ev = 0; ev < nev; ev++) {
        if ((ev & 7) == 0 && !seen[ev >> 3]) {
            ev += 7;
            continue;
        }
        if (!bit_test(seen, ev)) continue;
        if ((ev & 1023) == 0 && ekg_qctx_cancelled(c)) {
            s = EKG_ERR_CANCELLED;
            goto cleanup;
        }
        const char *kind = ev_kind(c, kinds, ev);
        if (!kind) continue;
        const char *e = ival(ix, ekg_event_index_event_iri(ix, ev));
        const char *d = ev_first(ix, ev, EKG_EVIDX_DATE, "");
        if ((a->f.date_lo || a->f.date_hi) && (!*d || !ekg_date_in(d, a->f.date_lo, a->f.date_hi)))
            continue;
        actors.n = about.n = places.n = srcs.n = 0;
        EKG_TRY(s, ev_values(ix, ev, EKG_EVIDX_AGENT, EKG_EVIDX_LEDBY, &actors));
        EKG_TRY(s, ev_values(ix, ev, EKG_EVIDX_TARGET, EKG_EVIDX_TARGET, &about));
        EKG_TRY(s, ev_values(ix, ev, EKG_EVIDX_PLACE, EKG_EVIDX_PLACE, &places));
        EKG_TRY(s, ev_values(ix, ev, EKG_EVIDX_SOURCE, EKG_EVIDX_SOURCE, &srcs));
        char *al = join_ids(c, &actors), *ab = join_ids(c, &about), *pl = join_ids(c, &places),
             *sl = join_ids(c, &srcs);
        if (!al || !ab || !pl || !sl)
            s = EKG_ERR_NOMEM;
        else {
            const char *text[6] = {d, kind, al, ab, pl, sl};
            const char *iris[6] = {NULL, e, NULL, about.n == 1 ? ival(ix, about.v[0]) : NULL,
                                   places.n == 1 ? ival(ix, places.v[0]) : NULL,
                                   srcs.n == 1 ? ival(ix, srcs.v[0]) : NULL};
            s = add_row(r, sizeof text / sizeof *text, text, iris);
            for (size_t k = 0; k < actors.n && !s && r->nedges < 2000; k++)
                for (size_t m = 0; m < about.n && !s; m++) {
                    char el[256];
                    snprintf(el, sizeof el, "%s %s", kind, d);
                    const char *av = ival(ix, actors.v[k]), *bv = ival(ix, about.v[m]);
                    ekg_edge ed = {(char *)av, (char *)lab(c, av), (char *)bv, (char *)lab(c, bv), el};
                    s = ekg_result_add_edge(r, &ed);
                }
            if (!s && (c->want & EKG_WANT_TRIPLES)) s = ekg_qctx_add_triples(c, r, e);
        }
        free(al);
        free(ab);
        free(pl);
        free(sl);
        EKG_TRY(s, s);
    }
    /* By date, then the rest of the row (then the order of the events). */
    if (r->nrows > 1) {
        order = malloc(r->nrows * sizeof *order);
        sorted = malloc(r->nrows * r->ncols * sizeof *sorted);
        if (!order || !sorted) {
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < r->nrows; i++) order[i] = (trow){&r->cells[i * r->ncols], r->ncols, i};
        qsort(order, r->nrows, sizeof *order, cmp_trow);
        for (size_t i = 0; i < r->nrows; i++)
            memcpy(&sorted[i * r->ncols], order[i].cells, r->ncols * sizeof *sorted);
        memcpy(r->cells, sorted, r->nrows * r->ncols * sizeof *sorted);
    }
    if (a->limit >= 0 && (size_t)a->limit < r->nrows)
        r->nrows = (size_t)a->limit; /* the strings stay in the result's pool */
    if (!r->nrows) r->note = strdup("no events");
cleanup:
    ekg_rterm_clear(&x);
    free(seen);
    ekg_qmap_free(kinds, NULL);
    free(actors.v);
    free(about.v);
    free(places.v);
    free(srcs.v);
    free(order);
    free(sorted);
    if (s) {
        ekg_result_free(r);
        return s;
    }
    *out = r;
    return EKG_OK;
}

/* ---- describe ------------------------------------------------------------- */

typedef struct {
    ekg_qctx *c;
    const char *node;
    ekg_strv *rows; /* "sortkey\x1fproperty\x1fvalue\x1fgraph\x1firi" */
    ekg_qmap *seen; /* the rows, once each */
    ekg_qmap *kinds; /* with the index: an event's type ids → its kind's label */
    ekg_qmap *evcls; /* ekg:Event and its subclasses */
    ekg_status err;
} desc_ctx;

static const char NO_KIND[] = "";

/* event_kind and the first date of an event, from the event index: the
 * most specific of its event types (the smallest closure, then the smallest
 * IRI), its label cached per set of types. NULL when not an event. */
static const char *desc_event_kind(desc_ctx *d, const char *iri, const char **date)
{
    const ekg_event_index *x = d->c->idx;
    uint32_t ev;
    const uint32_t *tv, *dv;
    if (!ekg_event_index_event_find(x, iri, &ev)) return NULL;
    size_t nt = ekg_event_index_values(x, ev, EKG_EVIDX_TYPE, &tv);
    if (!nt) return NULL;
    char key[256];
    size_t off = 0;
    for (size_t i = 0; i < nt && off + 12 < sizeof key; i++)
        off += (size_t)snprintf(key + off, sizeof key - off, "%u,", EKG_EVIDX_VAL(tv, i));
    bool created = false;
    void **slot = off + 12 < sizeof key ? ekg_qmap_put(d->kinds, key, &created) : NULL;
    if (!slot) {
        *date = NULL; /* the store's look-ups then */
        return event_kind(d->c, iri);
    }
    if (created) {
        const char *best = NULL;
        size_t best_n = (size_t)-1;
        for (size_t i = 0; i < nt; i++) {
            const char *t = ekg_event_index_string(x, EKG_EVIDX_VAL(tv, i)) + 1;
            if (!ekg_qmap_get(d->evcls, t)) continue;
            ekg_qmap *cl = ekg_qmap_new();
            if (!cl) break;
            ekg_names_closure(d->c->names, t, cl);
            size_t k = ekg_qmap_count(cl);
            ekg_qmap_free(cl, NULL);
            if (k < best_n || (k == best_n && strcmp(t, best) < 0)) {
                best_n = k;
                best = t;
            }
        }
        const char *l = best ? ekg_names_label(d->c->names, d->c->st, best, d->c->lang) : NULL;
        *slot = (void *)(l ? l : NO_KIND);
    }
    if (*slot == NO_KIND) return NULL;
    *date = "";
    size_t nd = ekg_event_index_values(x, ev, EKG_EVIDX_DATE, &dv);
    for (size_t i = 0; i < nd; i++) {
        const char *v = ekg_event_index_string(x, EKG_EVIDX_VAL(dv, i)) + 1;
        if (i == 0 || strcmp(v, *date) < 0) *date = v;
    }
    return *slot;
}

static int on_desc(void *vc, const ekg_triple *t, const char *graph)
{
    desc_ctx *d = vc;
    bool out = t->s.kind == EKG_TERM_IRI && !strcmp(t->s.value, d->node);
    const char *p = t->p.value;
    const char *pl = strrchr(p, '#') ? strrchr(p, '#') + 1 : strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
    const ekg_term *v = out ? &t->o : &t->s;
    char val[2048];
    const char *iri = NULL;
    if (v->kind == EKG_TERM_IRI) {
        const char *date = NULL;
        const char *k = out ? NULL
                        : d->kinds ? desc_event_kind(d, v->value, &date)
                                   : event_kind(d->c, v->value);
        if (k && date)
            snprintf(val, sizeof val, "%s %s", k, date);
        else if (k) {
            ekg_strv dates = {0};
            targets_of(d->c->st, v->value, EKG_NS "date", &dates);
            snprintf(val, sizeof val, "%s %s", k, first_or(&dates, ""));
            ekg_strv_clear(&dates);
        } else
            snprintf(val, sizeof val, "%s", lab(d->c, v->value));
        iri = v->value;
    } else if (v->lang)
        snprintf(val, sizeof val, "%s@%s", v->value, v->lang);
    else
        snprintf(val, sizeof val, "%s", v->value);
    for (char *q = val; *q; q++)
        if (*q == '\x1f' || *q == '\n') *q = ' ';
    const char *g = graph ? graph : "";
    const char *gl = strncmp(g, EKG_ID, strlen(EKG_ID)) == 0 ? g + strlen(EKG_ID) : g;
    size_t len = strlen(pl) + strlen(val) + strlen(gl) + (iri ? strlen(iri) : 0) + 16;
    char *buf = malloc(len);
    if (!buf) {
        d->err = EKG_ERR_NOMEM;
        return 1;
    }
    snprintf(buf, len, "%c%s\x1f%s%s\x1f%s\x1f%s\x1f%s", out ? '0' : '1', pl, out ? "" : "← ", pl,
             val, gl, iri ? iri : "");
    bool created = false;
    if (!ekg_qmap_put(d->seen, buf, &created))
        d->err = EKG_ERR_NOMEM;
    else if (created)
        d->err = ekg_strv_push(d->rows, buf);
    free(buf);
    return d->err != EKG_OK;
}

/* Every quad with the node as subject, then as object. With the event index,
 * through (s p ?) and (? p o) look-ups for each predicate of the store, which
 * the store answers from its indexes; without it, two scans. */
static ekg_status describe_quads(ekg_qctx *c, const ekg_term *node, desc_ctx *d)
{
    ekg_status s = EKG_OK;
    if (!c->idx) {
        EKG_TRY(s, ekg_store_match_quads(c->st, node, NULL, NULL, on_desc, d));
        EKG_TRY(s, d->err);
        EKG_TRY(s, ekg_store_match_quads(c->st, NULL, NULL, node, on_desc, d));
        return d->err;
    }
    const uint32_t *preds;
    size_t np = ekg_event_index_predicates(c->idx, &preds);
    for (int out = 1; out >= 0; out--)
        for (size_t i = 0; i < np; i++) {
            if (ekg_qctx_cancelled(c)) return EKG_ERR_CANCELLED;
            ekg_term p = ekg_iri(ekg_event_index_string(c->idx, preds[i]) + 1);
            EKG_TRY(s, ekg_store_match_quads(c->st, out ? node : NULL, &p, out ? NULL : node,
                                             on_desc, d));
            EKG_TRY(s, d->err);
        }
cleanup:
    return s;
}

static ekg_status walk_describe(ekg_qctx *c, ekg_qast *a, ekg_result **out)
{
    ekg_status s = EKG_OK;
    ekg_rterm x = {0};
    ekg_strv rows = {0};
    ekg_result *r = NULL;
    static const char *const COLS[] = {"property", "value", "graph"};
    if (!(r = new_result(EKG_RESULT_TABLE, 3, COLS))) return EKG_ERR_NOMEM;
    a->a.exactly = true;
    EKG_TRY(s, resolve(c, &a->a, &x));
    desc_ctx d = {c, x.entity, &rows, ekg_qmap_new(), NULL, NULL, EKG_OK};
    if (!d.seen) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
    if (c->idx && (!(d.kinds = ekg_qmap_new()) || !(d.evcls = ekg_qmap_new()) ||
                   ekg_names_closure(c->names, EKG_NS "Event", d.evcls))) {
        ekg_qmap_free(d.kinds, NULL);
        d.kinds = NULL; /* the store's look-ups then */
    }
    ekg_term node = ekg_iri(x.entity);
    s = describe_quads(c, &node, &d);
    ekg_qmap_free(d.seen, NULL);
    ekg_qmap_free(d.kinds, NULL);
    ekg_qmap_free(d.evcls, NULL);
    if (s) goto cleanup;
    ekg_strv_sort(&rows);
    for (size_t i = 0; i < rows.n && (a->limit < 0 || (long)r->nrows < a->limit); i++) {
        char *f[5] = {0};
        char *p = rows.v[i];
        for (int k = 0; k < 5; k++) {
            f[k] = p;
            p = strchr(p, '\x1f');
            if (p) *p++ = 0;
            else break;
        }
        const char *text[3] = {f[1], f[2], f[3]};
        const char *iris[3] = {NULL, f[4] && *f[4] ? f[4] : NULL, NULL};
        EKG_TRY(s, add_row(r, sizeof text / sizeof *text, text, iris));
    }
    if (c->want & EKG_WANT_TRIPLES) EKG_TRY(s, ekg_qctx_add_triples(c, r, x.entity));
    if (!r->nrows) r->note = strdup("nothing is known about it");
cleanup:
    ekg_rterm_clear(&x);
    ekg_strv_clear(&rows);
    if (s) {
        ekg_result_free(r);
        return s;
    }
    *out = r;
    return EKG_OK;
}

ekg_status ekg_walk_run(ekg_qctx *c, ekg_qast *a, ekg_result **out)
{
    *out = NULL;
    switch (a->kind) {
    case EKG_QAST_PATH: return walk_path(c, a, out);
    case EKG_QAST_NEIGHBORS: return walk_neighbors(c, a, out);
    case EKG_QAST_TIMELINE: return walk_timeline(c, a, out);
    case EKG_QAST_DESCRIBE: return walk_describe(c, a, out);
    default: return EKG_ERR_INTERNAL;
    }
}

char *ekg_walk_explain(const ekg_qast *a)
{
    char buf[1024];
    switch (a->kind) {
    case EKG_QAST_PATH:
        snprintf(buf, sizeof buf,
                 "plan: native breadth-first walk over the event index (SPARQL 1.0 has no paths)\n"
                 "  from the actor and those acting for it, at most %d events:\n"
                 "  actor -> index adjacency (agent|participant|ledBy|target) -> event%s\n"
                 "  event -> its agent|participant|ledBy|target values -> actor\n"
                 "  visited sets on actors and events; stops at the first actor of the goal\n",
                 a->depth ? a->depth : PATH_MAX_DEFAULT, a->nvia ? " (typed with a via verb)" : "");
        break;
    case EKG_QAST_NEIGHBORS:
        snprintf(buf, sizeof buf,
                 "plan: native breadth-first walk over the event index's links, depth %d\n"
                 "  node -> its links out and in (every predicate but rdf:type, IRIs only)\n",
                 a->depth ? a->depth : 1);
        break;
    case EKG_QAST_TIMELINE:
        snprintf(buf, sizeof buf,
                 "plan: native, over the event index\n"
                 "  events: index adjacency (agent|participant|ledBy|target) of the entity and those\n"
                 "  acting for it; per event: its date|place|source|roles; date filter; sort by date\n");
        break;
    default:
        snprintf(buf, sizeof buf,
                 "plan: native, indexed look-ups of the store\n"
                 "  for each predicate of the store (the event index lists them):\n"
                 "  match(entity predicate ?) then match(? predicate entity), every graph\n");
        break;
    }
    return strdup(buf);
}
