/* triples.h — an owning, de-duplicating set of triples.
 *
 * The extractor builds one per document (a document's graph); the SHACL
 * validator and tests load files into one. Strings are copied into the set's
 * own arena, so terms handed in may be temporaries; terms handed out live as
 * long as the set. Insertion order is kept (output is deterministic). */
#ifndef EKG_TRIPLES_H
#define EKG_TRIPLES_H

#include "ekg/status.h"
#include "ekg/term.h"
#include <stdio.h>

typedef struct ekg_triples ekg_triples;

/* Returns NULL when out of memory. Free with ekg_triples_free (NULL-safe). */
ekg_triples *ekg_triples_new(void);
void ekg_triples_free(ekg_triples *ts);

/* Adds a copy of the triple unless an equal one is present.
 * Returns EKG_OK (added or already there) or EKG_ERR_NOMEM. */
ekg_status ekg_triples_add(ekg_triples *ts, const ekg_term *s, const ekg_term *p,
                           const ekg_term *o);
/* Convenience: add from a triple value. */
ekg_status ekg_triples_add_triple(ekg_triples *ts, const ekg_triple *t);

size_t ekg_triples_count(const ekg_triples *ts);
/* The i-th triple, 0 <= i < count; borrowed, valid until the set is freed. */
const ekg_triple *ekg_triples_at(const ekg_triples *ts, size_t i);
/* A contiguous view of all triples (count elements); borrowed. */
const ekg_triple *ekg_triples_data(const ekg_triples *ts);

/* Copy a string into the set's arena (for callers that build terms from
 * temporary buffers). Returns NULL when out of memory. */
const char *ekg_triples_intern(ekg_triples *ts, const char *s);

/* Write as N-Triples (graph == NULL) or N-Quads in the named graph, one line
 * per triple, escaped per the W3C grammar. */
ekg_status ekg_triples_write_nquads(const ekg_triples *ts, const char *graph, FILE *out);

/* Write one term in N-Triples syntax (used by the exporters too). */
void ekg_term_write_nt(const ekg_term *t, FILE *out);

#endif
