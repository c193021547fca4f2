/* store.h — the RDF store: the only module that talks to librdf.
 *
 * A store is a librdf model over a storage chosen by a spec string:
 *   NULL or ""          the default embedded store, ./ekg.db (see below)
 *   PATH, bdb:PATH      librdf "hashes" over Berkeley DB in directory PATH,
 *                       contexts and predicate index on
 *   memory:             the same hashes storage, in memory
 *   sqlite:FILE         librdf's sqlite storage (slow; passes through)
 *   postgresql:OPTIONS  librdf's postgresql storage (does not scale)
 * Quads are added with a context (named graph) always: librdf's
 * context-less add on a contexts store de-duplicates by a scan (quadratic).
 * librdf does NOT de-duplicate on context adds: callers add a graph's triples
 * once (ekg_triples does that).
 *
 * A BDB store is a directory: CURRENT names the committed generation
 * (gen-NNNNNN/, librdf's hash files); `lock` admits one writer at a time.
 * Readers take no lock: they read the committed generation, which writers
 * never modify. A writer reads the committed generation too until its first
 * write, which copies it to a working generation (so a writer that writes
 * nothing copies nothing).
 *
 * A BDB writer buffers what it adds and writes it in batches, sorted, with
 * Berkeley DB directly (the same files and bytes librdf writes, see
 * store.c); any read, removal, sync or commit through the handle writes the
 * batch first, so a writer always reads what it wrote. */
#ifndef EKG_STORE_H
#define EKG_STORE_H

#include "ekg/status.h"
#include "ekg/term.h"
#include "ekg/triples.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct ekg_store ekg_store;

enum {
    EKG_STORE_READONLY = 1 << 0, /* open without creating; fail if absent */
    EKG_STORE_CREATE = 1 << 1    /* create if absent (the default for writers) */
};

#define EKG_STORE_DEFAULT_PATH "ekg.db"

/* Open a store. On success *out owns the store: free with ekg_store_free.
 * On error *out is NULL and the sink has a message naming the spec. */
ekg_status ekg_store_open(const char *spec, unsigned flags, const ekg_sink *sink,
                          ekg_store **out);
void ekg_store_free(ekg_store *st); /* NULL-safe; syncs before closing */

/* Switch an open store between reading and writing (flags as for open:
 * EKG_STORE_READONLY or EKG_STORE_CREATE), keeping the handle: a writer
 * commits and lets other writers in; a reader takes the write lock (or gets
 * EKG_ERR_BUSY) and starts a working copy. A no-op for storages other than
 * BDB. On error the store is unusable: free it. */
ekg_status ekg_store_reopen(ekg_store *st, unsigned flags);

/* The spec the store was opened with, normalised ("bdb:ekg.db"); borrowed. */
const char *ekg_store_spec(const ekg_store *st);

/* Add triples to named graph `graph` (an IRI). Triples are added as given:
 * the caller guarantees they are not already in that graph. Cheapest in
 * runs: on a BDB store the adds are buffered until the next read. */
ekg_status ekg_store_add(ekg_store *st, const char *graph, const ekg_triple *t, size_t n);

/* Remove every quad of named graph `graph`. Costs time in proportion to the
 * store, not to the graph (a librdf limit). */
ekg_status ekg_store_remove_graph(ekg_store *st, const char *graph);

/* Parse an RDF file (syntax by name: "turtle", "ntriples", "nquads", "trig",
 * "rdfxml", or NULL to guess from the file name) into `graph`. For N-Quads and
 * TriG the file's own graphs are kept and `graph` is the default graph's
 * (NULL: the default graph's triples go to `graph` = the file's URI).
 * Duplicates within the file are dropped; *added (if not NULL) counts quads.
 * On a BDB store, memory stays bounded whatever the size of the file. */
ekg_status ekg_store_load_file(ekg_store *st, const char *path, const char *syntax,
                               const char *graph, size_t *added);

/* Flush to disk. */
ekg_status ekg_store_sync(ekg_store *st);

/* Make everything written so far durable and visible to readers, as one
 * step: for BDB stores a writer works on a copy of the committed generation
 * and a commit atomically switches to it (a crash before the commit leaves
 * the previous state intact). A commit costs syncing the working copy and,
 * at the next write, a copy of the store (ekg_store_commit_cost says how
 * long the last of each took), so callers commit at intervals, not per
 * statement. Freeing a writer commits.
 * For other storages this is ekg_store_sync. */
ekg_status ekg_store_commit(ekg_store *st);
double ekg_store_commit_cost(const ekg_store *st);

/* For a store opened read-only on a committed BDB generation: a directory
 * where derived data of that generation (indexes, caches) may be kept —
 * generations never change once committed, so such data never goes stale.
 * NULL for writers, memory and other storages. Borrowed. */
const char *ekg_store_cache_dir(ekg_store *st);
/* The committed generation number (0 when not a BDB store). */
unsigned long ekg_store_generation(const ekg_store *st);

/* Pattern look-up. NULL or EKG_TERM_NONE terms are wildcards; `graph` NULL
 * means any graph. The callback gets borrowed terms, valid during the call,
 * and `graph` (NULL when none was given); it returns non-zero to stop early.
 * Indexed: (s p ?), (? p o), (s ? o), (? p ?); anything with only the
 * subject or only the object bound is a full scan. */
typedef int (*ekg_quad_fn)(void *ctx, const ekg_triple *t, const char *graph);
ekg_status ekg_store_match(ekg_store *st, const ekg_term *s, const ekg_term *p,
                           const ekg_term *o, const char *graph, ekg_quad_fn fn, void *ctx);
/* The same over all graphs, handing each quad's own graph IRI to the
 * callback. Costs a small leak per quad inside librdf 1.0.17's hashes
 * storage (it does not free the context nodes it decodes): for one-off
 * scans such as checks, not for hot paths. */
ekg_status ekg_store_match_quads(ekg_store *st, const ekg_term *s, const ekg_term *p,
                                 const ekg_term *o, ekg_quad_fn fn, void *ctx);

/* Indexed single-hop walks (librdf_model_get_targets / get_sources /
 * get_arcs_out / get_arcs_in), across all graphs. Callback as above, with a
 * borrowed term; returns non-zero to stop. */
typedef int (*ekg_term_fn)(void *ctx, const ekg_term *t);
ekg_status ekg_store_targets(ekg_store *st, const ekg_term *s, const ekg_term *p,
                             ekg_term_fn fn, void *ctx);
ekg_status ekg_store_sources(ekg_store *st, const ekg_term *p, const ekg_term *o,
                             ekg_term_fn fn, void *ctx);
ekg_status ekg_store_arcs_out(ekg_store *st, const ekg_term *s, ekg_term_fn fn, void *ctx);
ekg_status ekg_store_arcs_in(ekg_store *st, const ekg_term *o, ekg_term_fn fn, void *ctx);

/* Whether any quad matches (s p o) in `graph` (NULL: any graph); the terms
 * are wildcards as in ekg_store_match below. */
ekg_status ekg_store_contains(ekg_store *st, const ekg_term *s, const ekg_term *p,
                              const ekg_term *o, const char *graph, bool *found);

/* Every named graph (context) IRI; callback gets a borrowed IRI term. */
ekg_status ekg_store_graphs(ekg_store *st, ekg_term_fn fn, void *ctx);

/* Number of quads in the store (all graphs). */
ekg_status ekg_store_size(ekg_store *st, size_t *n);

/* SPARQL through rasqal. For SELECT, `row` is called once per result with
 * the variable names and values (unbound = EKG_TERM_NONE); for ASK one row
 * with one column "ask" holding "true"/"false"; for CONSTRUCT/DESCRIBE `quad`
 * is called per triple (graph NULL). Either callback may be NULL. The
 * standard prefixes (ekg: ekgid: rdf: rdfs: xsd: skos: dcterms: owl: prov:
 * sh:) are predeclared. Callbacks return non-zero to stop early. */
typedef struct {
    size_t ncols;
    const char *const *names; /* borrowed */
    const ekg_term *values;   /* borrowed, ncols of them */
} ekg_row;
typedef int (*ekg_row_fn)(void *ctx, const ekg_row *row);
ekg_status ekg_store_sparql(ekg_store *st, const char *query, ekg_row_fn row,
                            ekg_quad_fn quad, void *ctx);

/* The PREFIX lines ekg predeclares, for tools that show compiled SPARQL. */
const char *ekg_store_sparql_prefixes(void);

#endif
