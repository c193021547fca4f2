/* extract.h — from a file to the triples of its document graph(s).
 *
 * reader → sentences → recognition → dates → events → triples. A file yields
 * one or more documents (one per RSS/Atom item). Each ekg_doc_graph holds
 * every triple of its document's named graph: the ekg:Document node with its
 * metadata, every event (type, sides, agent, target, date, place, forum,
 * ledBy, source, evidence, confidence, rule) and the people introduced by a
 * title who are not in the kb. IRIs are content hashes, so output is
 * deterministic. Thread-safe given a shared const kb. */
#ifndef EKG_EXTRACT_H
#define EKG_EXTRACT_H

#include "ekg/doc.h"
#include "ekg/kb.h"
#include "ekg/status.h"
#include "ekg/triples.h"

typedef struct {
    const char *lang;   /* force the language (NULL: declared, else guessed) */
    const char *format; /* force a reader (NULL: by name and content) */
    /* Optional: asked with each document's IRI once it is read; a non-zero
     * answer leaves that document unextracted (ekg_doc_graph.pending). Ingest
     * uses it to pass over documents the store holds already. Called from the
     * extracting thread. */
    int (*skip)(void *ctx, const char *doc_iri);
    void *skip_ctx;
} ekg_extract_opts;

typedef struct ekg_doc_graph {
    const char *doc_iri;      /* ekgid:doc/<xxh3-128 hex of the normalised text> */
    const char *path;         /* absolute path ("…#item-N" for feed items) */
    const char *name;         /* base name */
    const char *content_hash; /* the hex hash */
    const char *lang;         /* or NULL */
    const char *title;        /* or NULL */
    char date[11];            /* publication date, "" when unknown */
    ekg_triples *graph;       /* owned */
    size_t sentences, events, bytes;
    /* Declined by ekg_extract_opts.skip: graph is empty (it only holds the
     * strings above) and this is the document as read, for ekg_extract_doc
     * should it be wanted after all (owned; NULL otherwise). */
    ekg_doc *pending;
} ekg_doc_graph;

/* Extract every document of the file at `path` ("-" = stdin). On success
 * *docs is an array of *ndocs graphs (free with ekg_doc_graphs_free). On
 * error the sink has a message naming the file and the problem. */
ekg_status ekg_extract_path(const ekg_kb *kb, const char *path, const ekg_extract_opts *opts,
                            const ekg_sink *sink, ekg_doc_graph **docs, size_t *ndocs);
/* The same from bytes; `name` names the input (for the reader and messages). */
ekg_status ekg_extract_buffer(const ekg_kb *kb, const char *name, const char *bytes, size_t len,
                              const ekg_extract_opts *opts, const ekg_sink *sink,
                              ekg_doc_graph **docs, size_t *ndocs);
/* Extract from a document already read. *out is one graph (free its members
 * with ekg_doc_graph_clear). */
ekg_status ekg_extract_doc(const ekg_kb *kb, const ekg_doc *doc, const ekg_sink *sink,
                           ekg_doc_graph *out);

void ekg_doc_graph_clear(ekg_doc_graph *g);                 /* frees what g owns */
void ekg_doc_graphs_free(ekg_doc_graph *docs, size_t ndocs); /* NULL-safe */

#endif
