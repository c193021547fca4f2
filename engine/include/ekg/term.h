/* term.h — RDF terms and triples as ekg's own plain values.
 *
 * Nothing outside the store modules sees a librdf or raptor node; they
 * exchange these. An ekg_term's strings are BORROWED: whoever hands a term
 * out says how long it lives (usually: for the duration of a callback). */
#ifndef EKG_TERM_H
#define EKG_TERM_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    EKG_TERM_NONE = 0, /* a wildcard in patterns, an unbound value in rows */
    EKG_TERM_IRI,
    EKG_TERM_LITERAL,
    EKG_TERM_BLANK
} ekg_term_kind;

typedef struct {
    ekg_term_kind kind;
    const char *value;    /* IRI, lexical form, or blank node id */
    const char *lang;     /* literal language tag or NULL */
    const char *datatype; /* literal datatype IRI or NULL */
} ekg_term;

typedef struct {
    ekg_term s, p, o;
} ekg_triple;

/* Constructors (no allocation: the strings are borrowed). */
ekg_term ekg_iri(const char *iri);
ekg_term ekg_literal(const char *lexical, const char *lang);
ekg_term ekg_typed(const char *lexical, const char *datatype_iri);
ekg_term ekg_blank(const char *id);

bool ekg_term_equal(const ekg_term *a, const ekg_term *b);

/* The vocabulary IRIs of ontology-core.md, spelled once. */
#define EKG_NS "https://w3id.org/ekg/ns#"
#define EKG_ID "https://w3id.org/ekg/id/"
#define EKG_ONTOLOGY_GRAPH "https://w3id.org/ekg/graph/ontology"
#define EKG_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define EKG_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define EKG_XSD "http://www.w3.org/2001/XMLSchema#"
#define EKG_SKOS "http://www.w3.org/2004/02/skos/core#"
#define EKG_DCT "http://purl.org/dc/terms/"
#define EKG_OWL "http://www.w3.org/2002/07/owl#"
#define EKG_PROV "http://www.w3.org/ns/prov#"
#define EKG_SH "http://www.w3.org/ns/shacl#"
#define EKG_RDF_TYPE EKG_RDF "type"

#endif
