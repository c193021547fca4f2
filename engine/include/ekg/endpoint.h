/* endpoint.h — a SPARQL 1.1 protocol client (libcurl): the same queries and
 * answers as the embedded store, against a remote triple store (Virtuoso,
 * Oxigraph server, Fuseki, GraphDB …).
 *
 * Answers come through the callbacks of store.h with the same ekg_term values
 * the embedded store gives: SELECT rows (application/sparql-results+json, or
 * text/tab-separated-values when the server prefers it), ASK as one row with
 * one column "ask" holding "true"/"false" typed xsd:boolean, CONSTRUCT and
 * DESCRIBE as triples (N-Triples or Turtle, parsed by serd; graph NULL).
 * The prefixes of ekg_store_sparql_prefixes() are predeclared.
 *
 * Errors name the URL and, for HTTP failures, the status and the first line
 * of the server's message. Library code: nothing is printed. */
#ifndef EKG_ENDPOINT_H
#define EKG_ENDPOINT_H

#include "ekg/status.h"
#include "ekg/store.h"
#include <stddef.h>

typedef struct {
    long connect_timeout_s; /* 0: 10 s */
    long timeout_s;         /* whole request; 0: 600 s */
    size_t batch;           /* quads per INSERT DATA in ekg_endpoint_load; 0: 2000
                             * (Virtuoso 7.2's SPARQL compiler runs out of parser
                             * stack near 5000 triples in one INSERT DATA) */
    const char *userpwd;    /* "user:password" for HTTP digest/basic auth, or NULL */
} ekg_endpoint_opts;

/* Run `query` at the SPARQL endpoint `url` (e.g. http://localhost:8890/sparql).
 * Callback contract as ekg_store_sparql. `opts` may be NULL (defaults). */
ekg_status ekg_endpoint_sparql(const char *url, const char *query, ekg_row_fn row,
                               ekg_quad_fn quad, void *ctx, const ekg_sink *sink);
ekg_status ekg_endpoint_sparql_opts(const char *url, const ekg_endpoint_opts *opts,
                                    const char *query, ekg_row_fn row, ekg_quad_fn quad,
                                    void *ctx, const ekg_sink *sink);

/* Send one SPARQL 1.1 Update (form parameter `update=`). */
ekg_status ekg_endpoint_update(const char *url, const ekg_endpoint_opts *opts,
                               const char *update, const ekg_sink *sink);

/* Stream an N-Quads / N-Triples / Turtle / TriG file (syntax by extension:
 * .nq .nt .ttl .trig; NULL `syntax` guesses) into the endpoint with SPARQL
 * Update, opts->batch quads per `INSERT DATA { GRAPH <g> { … } … }`. Memory is
 * bounded by one batch, never the file. Quads in the default graph go to
 * `graph` (NULL: the file's URI). Blank node labels are scoped to one batch
 * (SPARQL Update semantics): a blank node used across batches splits.
 * *added (may be NULL) counts quads sent. For big loads into Virtuoso the
 * server's own bulk loader (ld_dir + rdf_loader_run through isql) is faster:
 * see bench/RESULTS.md. */
ekg_status ekg_endpoint_load(const char *url, const ekg_endpoint_opts *opts, const char *path,
                             const char *syntax, const char *graph, const ekg_sink *sink,
                             size_t *added);

#endif
