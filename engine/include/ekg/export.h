/* export.h — writing the store (or one document's graph) out as RDF.
 *
 * Turtle, N-Triples, N-Quads and TriG stream through serd, one named graph at
 * a time: memory is bounded by the largest graph, not the store. RDF/XML goes
 * through raptor's serialiser. `dot` draws actors linked by their events. */
#ifndef EKG_EXPORT_H
#define EKG_EXPORT_H

#include "ekg/status.h"
#include "ekg/store.h"
#include <stdio.h>

typedef enum {
    EKG_EXPORT_TURTLE,
    EKG_EXPORT_NTRIPLES,
    EKG_EXPORT_NQUADS,
    EKG_EXPORT_TRIG,
    EKG_EXPORT_RDFXML,
    EKG_EXPORT_DOT
} ekg_export_format;

/* Parse a format name ("turtle", "ttl", "ntriples", "nt", "nquads", "nq",
 * "trig", "rdfxml", "xml", "dot"); returns EKG_ERR_ARG for anything else. */
ekg_status ekg_export_format_parse(const char *name, ekg_export_format *out);

typedef struct {
    ekg_export_format format;
    const char *graph;     /* only this named graph (IRI), or NULL for all */
    int with_ontology;     /* include the ontology graph when exporting all */
} ekg_export_opts;

/* Write to `out`. *ntriples (may be NULL) receives the number written. */
ekg_status ekg_export(ekg_store *st, const ekg_export_opts *opts, FILE *out,
                      const ekg_sink *sink, size_t *ntriples);

#endif
