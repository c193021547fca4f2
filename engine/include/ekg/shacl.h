/* shacl.h — SHACL Core validation over ekg stores, and the report type that
 * the domain checks (checks.h) share.
 *
 * The data graph and the shapes graph are stores (they may be the same
 * store: the W3C tests keep data, shapes and manifest in one file). Paths
 * are evaluated natively (predicate, inverse, sequence, alternative,
 * zeroOrMore, oneOrMore, zeroOrOne); every SHACL Core constraint component
 * is supported; pattern uses ICU regular expressions with the SPARQL flags.
 *
 * Library code never prints: the report is a value, rendered by
 * ekg_shacl_report_write into a FILE the caller chooses. */
#ifndef EKG_SHACL_H
#define EKG_SHACL_H

#include "ekg/status.h"
#include "ekg/store.h"
#include "ekg/term.h"
#include "ekg/triples.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { EKG_SEV_VIOLATION = 0, EKG_SEV_WARNING, EKG_SEV_INFO, EKG_SEV_OTHER } ekg_severity;

/* One validation result (a SHACL sh:ValidationResult, or a domain-check
 * finding). All strings are owned by the report and live as long as it.
 * Absent terms have kind EKG_TERM_NONE. */
typedef struct {
    const char *check;       /* "shacl" or a domain check id ("contradiction") */
    ekg_severity level;      /* classification of `severity` */
    ekg_term focus;          /* sh:focusNode */
    ekg_term path;           /* sh:resultPath: an IRI, or a blank node described
                                in the report graph (ekg_shacl_report_graph) */
    const char *path_text;   /* the path in SPARQL syntax ("^<p>/<q>*"), or NULL */
    ekg_term value;          /* sh:value */
    ekg_term severity;       /* sh:resultSeverity (an IRI) */
    ekg_term component;      /* sh:sourceConstraintComponent */
    ekg_term shape;          /* sh:sourceShape */
    const char *message;     /* sh:resultMessage (first one), or NULL */
    const char *message_lang;
    const char *source;      /* the source document IRI of the focus, or NULL */
    const char *related;     /* another document involved (contradiction), or NULL */
} ekg_shacl_result;

typedef struct ekg_shacl_report ekg_shacl_report;

/* An empty report (conforms). NULL when out of memory. */
ekg_shacl_report *ekg_shacl_report_new(void);
void ekg_shacl_report_free(ekg_shacl_report *r); /* NULL-safe */

/* True when the report has no result at all (sh:conforms). */
bool ekg_shacl_report_conforms(const ekg_shacl_report *r);
/* How many results have level `lvl`. */
size_t ekg_shacl_report_count_level(const ekg_shacl_report *r, ekg_severity lvl);
size_t ekg_shacl_report_count(const ekg_shacl_report *r);
/* The i-th result (borrowed; valid until the report changes or is freed). */
const ekg_shacl_result *ekg_shacl_report_at(const ekg_shacl_report *r, size_t i);
/* Extra triples describing blank-node result paths (borrowed). */
const ekg_triples *ekg_shacl_report_graph(const ekg_shacl_report *r);

/* Append a copy of `res` (strings and terms are copied). */
ekg_status ekg_shacl_report_add(ekg_shacl_report *r, const ekg_shacl_result *res);
/* Set the source document of the i-th result (copied). */
ekg_status ekg_shacl_report_set_source(ekg_shacl_report *r, size_t i, const char *source);
/* Add a triple to the report graph (used to describe blank result paths). */
ekg_status ekg_shacl_report_add_triple(ekg_shacl_report *r, const ekg_triple *t);
/* Copy a string into the report's arena (NULL on NOMEM). */
const char *ekg_shacl_report_intern(ekg_shacl_report *r, const char *s);

typedef struct {
    /* Give results of shapes without sh:message an English default message
     * (sh:resultMessage) naming the failed constraint. */
    bool default_messages;
} ekg_shacl_options;

/* Validate `data` against the shapes found in `shapes` (may be == data),
 * appending results to `report`. Errors (bad regular expression, store
 * failure) go to `sink` and are returned; ill-formed shapes are reported and
 * skipped where the spec allows. */
ekg_status ekg_shacl_validate(ekg_store *data, ekg_store *shapes,
                              const ekg_shacl_options *opts, ekg_shacl_report *report,
                              const ekg_sink *sink);

/* Render the SHACL path rooted at `node` of `store` in SPARQL property-path
 * syntax (IRIs in <>). *out is malloc'd; the caller frees it. */
ekg_status ekg_shacl_path_text(ekg_store *store, const ekg_term *node, char **out);

/* Output formats of a report. */
typedef enum { EKG_REPORT_TEXT, EKG_REPORT_JSON, EKG_REPORT_TURTLE } ekg_report_format;

/* Parse "text" | "json" | "turtle". */
ekg_status ekg_shacl_format_parse(const char *name, ekg_report_format *out);

/* A label for a term shown to users (text output): given the term, return a
 * borrowed string or NULL to fall back to the IRI. */
typedef const char *(*ekg_label_fn)(void *ctx, const ekg_term *t);

/* Write the report: turtle = the standard sh:ValidationReport; json = an
 * array of findings; text = findings grouped by check, one per line, the
 * focus node named by `label` (may be NULL). */
ekg_status ekg_shacl_report_write(const ekg_shacl_report *r, ekg_report_format fmt,
                                  ekg_label_fn label, void *label_ctx, FILE *out);

#endif
