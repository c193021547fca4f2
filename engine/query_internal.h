/* query_internal.h — what the query modules share (not installed).
 *
 *   grammar/query_parse.c   text → ekg_qast
 *   query_resolve.c         names → IRIs (ekg_names: labels, classes, verbs)
 *   query_compile.c         ekg_qast + names → ekg_qplan (SPARQL text or native steps)
 *   query_exec.c            ekg_qplan → ekg_result (and the session API)
 *   walk.c                  path, neighbors, timeline, describe
 *   event_index.c           the events of the store as a table (ekg/event_index.h),
 *                           the native plan's and path/timeline's data source
 */
#ifndef EKG_QUERY_INTERNAL_H
#define EKG_QUERY_INTERNAL_H

#include "ekg/event_index.h"
#include "ekg/query.h"
#include "ekg/result.h"
#include "ekg/store.h"
#include "ekg/strv.h"
#include "query_ast.h"
#include <signal.h>
#include <stdbool.h>

/* ---- a string-keyed hash map (keys copied), also used as a set -------- */
typedef struct ekg_qmap ekg_qmap;
ekg_qmap *ekg_qmap_new(void);
void ekg_qmap_free(ekg_qmap *m, void (*free_val)(void *));
/* The value slot of `key`, inserting it (value NULL) when absent; NULL on
 * out of memory. *created says whether it was inserted. */
void **ekg_qmap_put(ekg_qmap *m, const char *key, bool *created);
/* The value slot of key, or NULL when absent. */
void **ekg_qmap_get(const ekg_qmap *m, const char *key);
size_t ekg_qmap_count(const ekg_qmap *m);
/* Iterate: i from 0 while < capacity; returns the key or NULL for holes. */
size_t ekg_qmap_capacity(const ekg_qmap *m);
const char *ekg_qmap_key_at(const ekg_qmap *m, size_t i, void **val);

/* ---- a growable vector of uint32 (string or event ids) ------------------ */
typedef struct {
    uint32_t *v;
    size_t n, cap;
} ekg_u32v;
ekg_status ekg_u32v_push(ekg_u32v *a, uint32_t x);

/* ---- names (query_resolve.c) ------------------------------------------ */
typedef struct ekg_names ekg_names;
ekg_status ekg_names_load(ekg_store *st, const ekg_sink *sink, ekg_names **out);
void ekg_names_free(ekg_names *n);
/* The label to show for an IRI in `lang` (fallback en, then any, then the
 * IRI's last segment); borrowed, cached until ekg_names_free. */
const char *ekg_names_label(ekg_names *n, ekg_store *st, const char *iri, const char *lang);
/* Completion words (borrowed). */
size_t ekg_names_words(const ekg_names *n, const char *const **words);

typedef enum {
    EKG_RT_ANY,    /* what: anything */
    EKG_RT_ACTOR,  /* who / whom: an instance of ekg:Actor or below */
    EKG_RT_CLASS,  /* a class name: an instance of it or below */
    EKG_RT_ENTITY  /* a name: one entity and those acting for it */
} ekg_rterm_kind;

typedef struct {
    ekg_rterm_kind kind;
    ekg_qmap *set;     /* ACTOR/CLASS: allowed type IRIs; ENTITY: allowed IRIs */
    ekg_strv list;     /* the same, sorted */
    char *entity;      /* ENTITY: the IRI named */
    char *column;      /* the column it fills, NULL when not shown */
} ekg_rterm;
void ekg_rterm_clear(ekg_rterm *t);

/* Resolve a term: question word, class name, or entity name (expanded to
 * the persons and agencies acting for a state/organisation unless
 * `exactly`; expand_people = false for places and forums, which expand only
 * along ekg:partOf). Errors carry t->col. */
ekg_status ekg_names_resolve_term(ekg_names *n, ekg_store *st, const ekg_qterm *t,
                                  bool expand_people, const ekg_sink *sink, ekg_rterm *out);
/* Resolve a verb to the set of event classes it covers (the lexicon's class
 * and its subclasses; `did` = every event class). */
ekg_status ekg_names_resolve_verb(ekg_names *n, const ekg_qverb *v, const ekg_sink *sink,
                                  ekg_qmap **classes);
/* The descendants of a class (itself included) into set. */
ekg_status ekg_names_closure(ekg_names *n, const char *cls, ekg_qmap *set);

/* Report an error at a column of the query. Returns st. */
ekg_status ekg_qerror(const ekg_sink *sink, ekg_status st, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- plans (query_compile.c) ------------------------------------------ */

/* The facts one match of a sentence binds; slots of ekg_qbind. */
enum {
    QB_S, QB_O, QB_E, QB_WHEN, QB_WHERE, QB_FORUM, QB_SOURCE, QB_EVIDENCE, QB_CONF, QB_COUNT
};
typedef struct {
    ekg_term_kind kind[QB_COUNT];
    char *v[QB_COUNT];
} ekg_qbind;

typedef struct {
    ekg_qast *ast;
    ekg_plan_kind plan; /* NATIVE or SPARQL, decided */
    ekg_rterm subj, obj, place, forum;
    ekg_qmap *events;   /* allowed event classes */
    ekg_strv event_list;
    char *sparql;       /* SPARQL plan, or NULL */
} ekg_qplan;

ekg_status ekg_qplan_compile(ekg_names *n, ekg_store *st, ekg_qast *ast, ekg_plan_kind want,
                             const ekg_sink *sink, ekg_qplan **out);
void ekg_qplan_free(ekg_qplan *p); /* frees the AST too */
/* Text of the plan for .explain; caller frees. */
char *ekg_qplan_explain(const ekg_qplan *p);
/* Whether an IRI may be written into SPARQL between <>. */
bool ekg_iri_is_safe(const char *iri);

/* ---- execution context shared by query_exec.c and walk.c -------------- */
typedef struct {
    ekg_store *st;
    ekg_names *names;
    const char *lang;
    volatile sig_atomic_t *cancel;
    const ekg_sink *sink;
    unsigned want; /* EKG_WANT_* */
    const ekg_event_index *idx; /* the store's events; NULL for the SPARQL plan */
} ekg_qctx;

static inline bool ekg_qctx_cancelled(const ekg_qctx *c) { return c->cancel && *c->cancel; }

/* Date filter: lexical date d within [lo, hi"~"). */
bool ekg_date_in(const char *d, const char *lo, const char *hi);

/* The label of IRI string `id` of c->idx in c->lang, as ekg_names_label
 * gives it, from the index alone (query_exec.c); borrowed. */
const char *ekg_qctx_label_id(const ekg_qctx *c, uint32_t id);

/* Add the triples of subject `iri` to r->triples (creating it). */
ekg_status ekg_qctx_add_triples(ekg_qctx *c, ekg_result *r, const char *iri);

/* Traversals (walk.c). */
ekg_status ekg_walk_run(ekg_qctx *c, ekg_qast *ast, ekg_result **out);
char *ekg_walk_explain(const ekg_qast *ast);

/* Whether an event's facts pass the date filters (shared by sentence and timeline). */
#endif
