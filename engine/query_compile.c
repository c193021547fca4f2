/* query_compile.c — a sentence's AST and resolved names → a plan.
 *
 * The meaning of `S VERB O` (the same whichever plan runs it):
 *   an event ?e typed with a class the verb covers (or a subclass),
 *   ?e ekg:agent|ekg:participant|ekg:ledBy ?s,
 *   ?e ekg:target|ekg:participant|ekg:ledBy ?o, ?s ≠ ?o,
 *   ?s and ?o restricted by their terms (an actor, an instance of a class,
 *   an entity or one acting for it — and then the other side is not one of
 *   those), the filters on ekg:date/place/forum/confidence, and the columns
 *   asked for as optional facts.
 * Two plans: SPARQL 1.0 text for rasqal (no property paths, no GRAPH, dates
 * compared as strings, no DISTINCT/ORDER BY: those are done in C), or native
 * steps over the event index (query_exec.c). Only IRIs read from the store and checked by
 * ekg_iri_is_safe, dates checked by the parser and numbers printed by us
 * reach the SPARQL text: never a user's string. */
#include "query_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool ekg_iri_is_safe(const char *iri)
{
    if (!*iri) return false;
    for (const unsigned char *p = (const unsigned char *)iri; *p; p++)
        if (*p <= ' ' || strchr("<>\"{}|^`\\", *p)) return false;
    return true;
}

bool ekg_date_in(const char *d, const char *lo, const char *hi)
{
    if (lo && strcmp(d, lo) < 0) return false;
    if (hi) {
        size_t n = strlen(hi);
        int c = strncmp(d, hi, n);
        if (c > 0) return false; /* d < hi"~" ⇔ d ≤ hi on hi's prefix */
    }
    return true;
}

/* ---- a growing text buffer ---------------------------------------------- */
typedef struct {
    char *s;
    size_t n, cap;
    bool oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap : 256);
        while (cap < b->n + (size_t)k + 1) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* An IRI as SPARQL: ekg:Local when it is a plain local name, else <…>. */
static void sb_iri(sbuf *b, const char *iri)
{
    size_t ns = strlen(EKG_NS);
    if (strncmp(iri, EKG_NS, ns) == 0 && iri[ns]) {
        bool plain = true;
        for (const char *p = iri + ns; *p; p++)
            plain &= (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                     (*p >= '0' && *p <= '9') || *p == '_';
        if (plain) {
            sb_printf(b, "ekg:%s", iri + ns);
            return;
        }
    }
    sb_printf(b, "<%s>", iri);
}

static const char *const SUBJ_ROLES[] = {EKG_NS "agent", EKG_NS "participant", EKG_NS "ledBy"};
static const char *const OBJ_ROLES[] = {EKG_NS "target", EKG_NS "participant", EKG_NS "ledBy"};

static void sb_union(sbuf *b, const char *s, const char *const *props, size_t np,
                     const char *o, bool type_is_object)
{
    sb_printf(b, "  ");
    for (size_t i = 0; i < np; i++) {
        sb_printf(b, "%s{ %s ", i ? " UNION " : "", s);
        if (type_is_object) {
            sb_printf(b, "a ");
            sb_iri(b, props[i]);
        } else {
            sb_iri(b, props[i]);
            sb_printf(b, " %s", o);
        }
        sb_printf(b, " }");
    }
    sb_printf(b, "\n");
}

static void sb_in(sbuf *b, const char *var, const ekg_strv *v, bool negate)
{
    sb_printf(b, "  FILTER (");
    for (size_t i = 0; i < v->n; i++) {
        sb_printf(b, "%s%s %s ", i ? (negate ? " && " : " || ") : "", var, negate ? "!=" : "=");
        sb_iri(b, v->v[i]);
    }
    sb_printf(b, ")\n");
}

static void sb_restrict(sbuf *b, const char *var, const char *tvar, const ekg_rterm *t)
{
    if (t->kind == EKG_RT_ENTITY)
        sb_in(b, var, &t->list, false);
    else if (t->kind == EKG_RT_ACTOR || t->kind == EKG_RT_CLASS) {
        sb_printf(b, "  %s a %s .\n", var, tvar);
        sb_in(b, tvar, &t->list, false);
    }
}

static bool want_col(const ekg_qast *a, ekg_qcol c)
{
    for (size_t i = 0; i < a->ncols; i++)
        if (a->cols[i] == c) return true;
    return false;
}

static bool list_safe(const ekg_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        if (!ekg_iri_is_safe(v->v[i])) return false;
    return true;
}

static char *to_sparql(const ekg_qplan *p)
{
    const ekg_qast *a = p->ast;
    sbuf b = {0};
    /* Only the variables the pattern binds (rasqal warns about the others). */
    sb_printf(&b, "SELECT ?s ?o ?e");
    if (a->f.date_lo || a->f.date_hi || want_col(a, EKG_QCOL_WHEN)) sb_printf(&b, " ?when");
    if (p->place.kind == EKG_RT_ENTITY || want_col(a, EKG_QCOL_WHERE)) sb_printf(&b, " ?where");
    if (p->forum.kind == EKG_RT_ENTITY || want_col(a, EKG_QCOL_FORUM)) sb_printf(&b, " ?forum");
    if (want_col(a, EKG_QCOL_SOURCE)) sb_printf(&b, " ?source");
    if (want_col(a, EKG_QCOL_EVIDENCE)) sb_printf(&b, " ?evidence");
    if (a->f.has_conf || want_col(a, EKG_QCOL_CONFIDENCE)) sb_printf(&b, " ?confidence");
    sb_printf(&b, "\nWHERE {\n");
    sb_union(&b, "?e", (const char *const *)p->event_list.v, p->event_list.n, NULL, true);
    sb_union(&b, "?e", SUBJ_ROLES, 3, "?s", false);
    sb_union(&b, "?e", OBJ_ROLES, 3, "?o", false);
    sb_printf(&b, "  FILTER (?s != ?o)\n");
    sb_restrict(&b, "?s", "?st", &p->subj);
    sb_restrict(&b, "?o", "?ot", &p->obj);
    if (p->subj.kind == EKG_RT_ENTITY) sb_in(&b, "?o", &p->subj.list, true);
    if (p->obj.kind == EKG_RT_ENTITY) sb_in(&b, "?s", &p->obj.list, true);
    if (a->f.date_lo || a->f.date_hi) {
        sb_printf(&b, "  ?e ekg:date ?when .\n  FILTER (");
        if (a->f.date_lo) sb_printf(&b, "STR(?when) >= \"%s\"", a->f.date_lo);
        if (a->f.date_hi)
            sb_printf(&b, "%sSTR(?when) < \"%s~\"", a->f.date_lo ? " && " : "", a->f.date_hi);
        sb_printf(&b, ")\n");
    } else if (want_col(a, EKG_QCOL_WHEN))
        sb_printf(&b, "  OPTIONAL { ?e ekg:date ?when }\n");
    if (p->place.kind == EKG_RT_ENTITY) {
        sb_printf(&b, "  ?e ekg:place ?where .\n");
        sb_in(&b, "?where", &p->place.list, false);
    } else if (want_col(a, EKG_QCOL_WHERE))
        sb_printf(&b, "  OPTIONAL { ?e ekg:place ?where }\n");
    if (p->forum.kind == EKG_RT_ENTITY) {
        sb_printf(&b, "  ?e ekg:forum ?forum .\n");
        sb_in(&b, "?forum", &p->forum.list, false);
    } else if (want_col(a, EKG_QCOL_FORUM))
        sb_printf(&b, "  OPTIONAL { ?e ekg:forum ?forum }\n");
    if (want_col(a, EKG_QCOL_SOURCE)) sb_printf(&b, "  OPTIONAL { ?e ekg:source ?source }\n");
    if (want_col(a, EKG_QCOL_EVIDENCE))
        sb_printf(&b, "  OPTIONAL { ?e ekg:evidence ?evidence }\n");
    if (a->f.has_conf)
        sb_printf(&b, "  ?e ekg:confidence ?confidence .\n  FILTER (?confidence %s %.6g)\n",
                  a->f.conf_inclusive ? ">=" : ">", a->f.conf);
    else if (want_col(a, EKG_QCOL_CONFIDENCE))
        sb_printf(&b, "  OPTIONAL { ?e ekg:confidence ?confidence }\n");
    sb_printf(&b, "}\n");
    /* ?e is projected for edges and provenance; "same side" pairs are dropped in C. */
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

void ekg_qplan_free(ekg_qplan *p)
{
    if (!p) return;
    ekg_qast_free(p->ast);
    ekg_rterm_clear(&p->subj);
    ekg_rterm_clear(&p->obj);
    ekg_rterm_clear(&p->place);
    ekg_rterm_clear(&p->forum);
    ekg_qmap_free(p->events, NULL);
    ekg_strv_clear(&p->event_list);
    free(p->sparql);
    free(p);
}

ekg_status ekg_qplan_compile(ekg_names *n, ekg_store *st, ekg_qast *ast, ekg_plan_kind want,
                             const ekg_sink *sink, ekg_qplan **out)
{
    ekg_status s = EKG_OK;
    *out = NULL;
    ekg_qplan *p = calloc(1, sizeof *p);
    if (!p) {
        ekg_qast_free(ast);
        return EKG_ERR_NOMEM;
    }
    p->ast = ast;
    EKG_TRY(s, ekg_names_resolve_term(n, st, &ast->subj, true, sink, &p->subj));
    EKG_TRY(s, ekg_names_resolve_verb(n, &ast->verb, sink, &p->events));
    EKG_TRY(s, ekg_names_resolve_term(n, st, &ast->obj, true, sink, &p->obj));
    EKG_TRY(s, ekg_names_resolve_term(n, st, &ast->f.place, false, sink, &p->place));
    EKG_TRY(s, ekg_names_resolve_term(n, st, &ast->f.forum, false, sink, &p->forum));
    if (p->place.kind == EKG_RT_CLASS || p->forum.kind == EKG_RT_CLASS) {
        const ekg_qterm *t = p->place.kind == EKG_RT_CLASS ? &ast->f.place : &ast->f.forum;
        s = ekg_qerror(sink, EKG_ERR_QUERY, t->col, "'%s' is a class; name one %s here",
                       t->text, t == &ast->f.place ? "place" : "forum");
        goto cleanup;
    }
    for (size_t i = 0; i < ekg_qmap_capacity(p->events); i++) {
        const char *k = ekg_qmap_key_at(p->events, i, NULL);
        if (k) EKG_TRY(s, ekg_strv_push(&p->event_list, k));
    }
    ekg_strv_sort(&p->event_list);
    /* The output columns must have distinct names. */
    if (p->subj.column && p->obj.column && strcasecmp(p->subj.column, p->obj.column) == 0) {
        size_t len = strlen(p->obj.column) + 3;
        char *c = malloc(len);
        if (!c) {
            s = EKG_ERR_NOMEM;
            goto cleanup;
        }
        snprintf(c, len, "%s 2", p->obj.column);
        free(p->obj.column);
        p->obj.column = c;
    }
    p->plan = want == EKG_PLAN_SPARQL ? EKG_PLAN_SPARQL : EKG_PLAN_NATIVE;
    if (!list_safe(&p->subj.list) || !list_safe(&p->obj.list) || !list_safe(&p->place.list) ||
        !list_safe(&p->forum.list) || !list_safe(&p->event_list)) {
        if (p->plan == EKG_PLAN_SPARQL) {
            s = ekg_qerror(sink, EKG_ERR_QUERY, 0,
                           "an IRI of the store cannot be written in SPARQL; use the native plan");
            goto cleanup;
        }
    } else if (!(p->sparql = to_sparql(p))) {
        s = EKG_ERR_NOMEM;
        goto cleanup;
    }
cleanup:
    if (s) {
        ekg_qplan_free(p);
        return s;
    }
    *out = p;
    return EKG_OK;
}

static void explain_term(sbuf *b, const char *what, const ekg_rterm *t)
{
    switch (t->kind) {
    case EKG_RT_ANY: sb_printf(b, "     %s: anything\n", what); break;
    case EKG_RT_ACTOR:
    case EKG_RT_CLASS:
        sb_printf(b, "     %s: typed ", what);
        sb_iri(b, t->kind == EKG_RT_ACTOR ? EKG_NS "Actor" : t->entity);
        sb_printf(b, " or one of its %zu subclasses\n", t->list.n - 1);
        break;
    case EKG_RT_ENTITY:
        sb_printf(b, "     %s: <%s> and %zu acting for it; the other side not one of them\n", what,
                  t->entity, t->list.n - 1);
        break;
    }
}

char *ekg_qplan_explain(const ekg_qplan *p)
{
    sbuf b = {0};
    const ekg_qast *a = p->ast;
    if (p->plan == EKG_PLAN_SPARQL) {
        sb_printf(&b, "plan: SPARQL (rasqal), then in C: same-side pairs dropped, dedupe, sort, limit\n%s",
                  p->sparql ? p->sparql : "");
    } else {
        sb_printf(&b, "plan: native, over the event index (one row per event, with its roles and facts;\n"
                      "      built once per committed generation of the store, then mapped)\n");
        if (p->subj.kind == EKG_RT_ENTITY)
            sb_printf(&b, "  1. events: index adjacency (agent|participant|ledBy) of each of %zu subject IRIs\n",
                      p->subj.list.n);
        else if (p->obj.kind == EKG_RT_ENTITY)
            sb_printf(&b, "  1. events: index adjacency (target|participant|ledBy) of each of %zu object IRIs\n",
                      p->obj.list.n);
        else
            sb_printf(&b, "  1. events: every event row\n");
        sb_printf(&b, "  2. keep events typed with one of %zu event classes\n", p->event_list.n);
        sb_printf(&b, "  3. per event: agent|participant|ledBy as subject, "
                      "target|participant|ledBy as object, subject != object\n");
        explain_term(&b, "subject", &p->subj);
        explain_term(&b, "object", &p->obj);
        sb_printf(&b, "  4. filters:");
        if (a->f.date_lo || a->f.date_hi)
            sb_printf(&b, " date in [%s, %s~)", a->f.date_lo ? a->f.date_lo : "",
                      a->f.date_hi ? a->f.date_hi : "");
        if (p->place.kind == EKG_RT_ENTITY) sb_printf(&b, " place <%s>", p->place.entity);
        if (p->forum.kind == EKG_RT_ENTITY) sb_printf(&b, " forum <%s>", p->forum.entity);
        if (a->f.has_conf)
            sb_printf(&b, " confidence %s %g", a->f.conf_inclusive ? ">=" : ">", a->f.conf);
        sb_printf(&b, "\n  5. columns: facts of the event row%s\n"
                      "  6. on string ids: drop pairs on the same side (a person and the state they\n"
                      "     represent), project, rank each column by its labels, sort, dedupe, limit;\n"
                      "     labels and sources only for the distinct values kept\n",
                  want_col(a, EKG_QCOL_EVIDENCE) ? " (evidence from the store, for events that give rows)" : "");
        if (p->sparql)
            sb_printf(&b, "equivalent SPARQL (.plan sparql):\n%s", p->sparql);
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
