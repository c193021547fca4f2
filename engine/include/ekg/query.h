/* query.h — the analyst's query language: run a line, get a result table.
 *
 * A session binds a store, the name tables read from it (labels, classes,
 * verbs: see query_resolve.c) and the options of a REPL session (label
 * language, plan choice, cancel flag). ekg_session_run parses, resolves,
 * plans and executes one query (grammar/README.md) and hands back an
 * ekg_result the caller formats (format.h) and frees.
 *
 * Errors go to the session's sink, with `col` set to the 1-based column of
 * the offending word; ekg_query_render_error turns such a diagnostic into
 * the text the CLI shows ("error: at column N: …", the line, a caret). */
#ifndef EKG_QUERY_H
#define EKG_QUERY_H

#include "ekg/result.h"
#include "ekg/status.h"
#include "ekg/store.h"
#include <signal.h>
#include <stdbool.h>

typedef struct ekg_session ekg_session;

typedef enum {
    EKG_PLAN_AUTO = 0, /* native look-ups where they are faster (the default) */
    EKG_PLAN_NATIVE,   /* always native look-ups */
    EKG_PLAN_SPARQL    /* sentences compiled to SPARQL and run by rasqal */
} ekg_plan_kind;

/* A session over `store` (borrowed: it must outlive the session). Reads the
 * name tables from the store. Free with ekg_session_free (NULL-safe). */
ekg_status ekg_session_new(ekg_store *store, const ekg_sink *sink, ekg_session **out);
void ekg_session_free(ekg_session *s);

/* Re-read the name tables (after a load). */
ekg_status ekg_session_reload(ekg_session *s);

/* Label language ("en", "de" …); labels fall back to English. Copied. */
ekg_status ekg_session_set_lang(ekg_session *s, const char *lang);
const char *ekg_session_lang(const ekg_session *s);
void ekg_session_set_plan(ekg_session *s, ekg_plan_kind plan);
/* A flag (set by a SIGINT handler) the executor polls; a query that sees it
 * non-zero stops with EKG_ERR_CANCELLED. NULL = never cancelled. */
void ekg_session_set_cancel(ekg_session *s, volatile sig_atomic_t *flag);
/* Extras a result may carry, at a cost in look-ups (off by default):
 * the triples of its events (for --format turtle), the edges between
 * actors (for dot/svg). */
enum { EKG_WANT_TRIPLES = 1 << 0, EKG_WANT_EDGES = 1 << 1 };
void ekg_session_set_want(ekg_session *s, unsigned want);

/* Send raw `sparql …` queries to a SPARQL endpoint (URL) instead of the
 * store; NULL = back to the store. Copied. */
ekg_status ekg_session_set_endpoint(ekg_session *s, const char *url);
const char *ekg_session_endpoint(const ekg_session *s);

/* Run one query. On success *out is a result (possibly with no rows). */
ekg_status ekg_session_run(ekg_session *s, const char *query, ekg_result **out);

/* The plan a query compiles to, as text (SPARQL or native steps); caller frees. */
ekg_status ekg_session_explain(ekg_session *s, const char *query, char **out);

/* Words for completion: keywords, verbs, class names and entity labels, in
 * no particular order; borrowed, valid until reload/free. */
size_t ekg_session_words(const ekg_session *s, const char *const **words);

/* "error: at column N: MSG\n  QUERY\n  ^\n" (or "error: MSG\n" when the
 * diagnostic has no column); caller frees. */
char *ekg_query_render_error(const char *query, const ekg_diag *d);

#endif
