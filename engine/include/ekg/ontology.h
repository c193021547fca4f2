/* ontology.h — keeping the store's ontology graph in step with ontology/.
 *
 * The ontology, knowledge base and lexicon (every *.ttl under the ontology
 * directory except shapes.ttl) live in the named graph EKG_ONTOLOGY_GRAPH.
 * Their combined content hash is stored there too, so a store reloads them
 * exactly when a file changed. */
#ifndef EKG_ONTOLOGY_H
#define EKG_ONTOLOGY_H

#include "ekg/status.h"
#include "ekg/store.h"
#include <stdbool.h>

/* The ontology directory to use: `explicit_dir` if given, else $EKG_ONTOLOGY,
 * else the build tree's, else the installed one. Returns a borrowed string. */
const char *ekg_ontology_locate(const char *explicit_dir);

/* The *.ttl files of the directory (recursively, sorted, shapes.ttl left
 * out). *files is a malloc'd array of malloc'd paths: free with
 * ekg_ontology_files_free. */
ekg_status ekg_ontology_files(const char *dir, const ekg_sink *sink, char ***files, size_t *n);
void ekg_ontology_files_free(char **files, size_t n);

/* Reload the ontology graph if the files changed since the last load.
 * *reloaded (may be NULL) says whether it did. */
ekg_status ekg_ontology_sync(ekg_store *st, const char *dir, const ekg_sink *sink, bool *reloaded);

#endif
