/* ingest.h — documents into the store: walk inputs, extract (in parallel),
 * write through one writer.
 *
 * Each document's claims go into its own named graph (the document's IRI,
 * minted from its content hash). A document already stored with the same
 * content is skipped; a file whose content changed has its old graph
 * replaced. The document's ekg:contentHash triple is written last: a graph
 * without it was cut short (a crash) and is redone on the next ingest. */
#ifndef EKG_INGEST_H
#define EKG_INGEST_H

#include "ekg/kb.h"
#include "ekg/status.h"
#include "ekg/store.h"
#include <stddef.h>

typedef struct {
    unsigned jobs;        /* extraction threads; 0 = number of cores */
    unsigned shard_index; /* 1-based; 0 = no sharding */
    unsigned shard_count;
    const char *lang;     /* force a language, or NULL */
    volatile int *cancel; /* set non-zero to stop after the current document */
} ekg_ingest_opts;

typedef struct {
    size_t files;      /* inputs considered */
    size_t documents;  /* documents stored (new or replaced) */
    size_t unchanged;  /* documents already stored with the same content */
    size_t replaced;   /* documents whose older version was replaced */
    size_t failed;     /* inputs that could not be read or extracted */
    size_t sentences, events, triples;
    size_t bytes;
    double seconds;
} ekg_ingest_stats;

/* Called by the writer after each input (for progress lines); may be NULL. */
typedef void (*ekg_ingest_progress_fn)(void *ctx, const ekg_ingest_stats *sofar,
                                       const char *path);

/* Ingest `paths` (files, directories walked recursively, "-" for stdin).
 * Returns EKG_OK when every input was handled — even if some failed, which
 * `stats->failed` counts and the sink names; an error status only when the
 * store itself failed (and nothing more could be written). */
ekg_status ekg_ingest(ekg_store *st, const ekg_kb *kb, const char *const *paths, size_t npaths,
                      const ekg_ingest_opts *opts, const ekg_sink *sink,
                      ekg_ingest_progress_fn progress, void *progress_ctx,
                      ekg_ingest_stats *stats);

/* The input files `paths` expand to, in the order ingest uses (directories
 * walked recursively and sorted; symlink loops and unsupported extensions
 * inside directories skipped). *files is malloc'd, each entry too: free with
 * ekg_ingest_files_free. */
ekg_status ekg_ingest_expand(const char *const *paths, size_t npaths, const ekg_sink *sink,
                             char ***files, size_t *nfiles);
void ekg_ingest_files_free(char **files, size_t n);

#endif
