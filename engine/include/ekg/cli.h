/* cli.h — what the `ekg` command's subcommands share.
 *
 * main.c parses the global options (--store, --ontology, -q/-v), builds an
 * ekg_cli_env, and dispatches to one ekg_cmd_* function per subcommand, each
 * in its own cli_<name>.c. A subcommand gets argv with argv[0] = its name,
 * prints what the user sees, and returns the process exit code:
 * 0 success, 1 failure (or "violations found" for check), 2 usage error. */
#ifndef EKG_CLI_H
#define EKG_CLI_H

#include "ekg/status.h"
#include "ekg/store.h"
#include <stdbool.h>

typedef struct {
    const char *store_spec;   /* --store / EKG_STORE; NULL = ./ekg.db */
    const char *ontology_dir; /* --ontology / EKG_ONTOLOGY / installed / build tree */
    const ekg_sink *sink;     /* prints "ekg: error: …" on stderr */
    int verbosity;            /* 0 quiet, 1 normal, 2 verbose */
} ekg_cli_env;

/* Open the store named by env. Writers (write = true) create it if absent and
 * bring its ontology graph up to date with env->ontology_dir; readers fail
 * with a clear message when it does not exist. Caller frees the store. */
ekg_status ekg_cli_open_store(const ekg_cli_env *env, bool write, ekg_store **out);

int ekg_cmd_ingest(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_extract(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_export(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_stats(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_sparql(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_load(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_query(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_repl(int argc, char **argv, const ekg_cli_env *env);
int ekg_cmd_check(int argc, char **argv, const ekg_cli_env *env);

#endif
