/* main.c — the `ekg` command: global options, then one subcommand.
 *
 * Each subcommand lives in its own cli_<name>.c; this file only parses the
 * options every subcommand shares, installs the sink that prints
 * diagnostics, and dispatches through the table below. */
#include "ekg/cli.h"
#include "ekg/ontology.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*cmd_fn)(int, char **, const ekg_cli_env *);

static const struct {
    const char *name;
    cmd_fn fn;
    const char *summary;
} COMMANDS[] = {
    {"ingest", ekg_cmd_ingest, "read documents and store the events they report"},
    {"query", ekg_cmd_query, "answer a question in the query language"},
    {"repl", ekg_cmd_repl, "the interactive analyst's shell (default on a terminal)"},
    {"export", ekg_cmd_export, "write the graph as Turtle, N-Triples, N-Quads, TriG, RDF/XML or dot"},
    {"check", ekg_cmd_check, "validate the graph (SHACL shapes and domain checks)"},
    {"stats", ekg_cmd_stats, "count documents, events, entities and quads"},
    {"sparql", ekg_cmd_sparql, "run raw SPARQL (ekg: prefixes predeclared)"},
    {"extract", ekg_cmd_extract, "show what one document yields, with evidence, without storing"},
    {"load", ekg_cmd_load, "bulk-load N-Quads/Turtle files into the store"},
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void print_diag(void *ctx, const ekg_diag *d)
{
    const int *verbosity = ctx;
    if (d->level == EKG_LOG_NOTE && *verbosity < 2) return;
    if (d->level == EKG_LOG_WARNING && *verbosity < 1) return;
    const char *lv = d->level == EKG_LOG_ERROR ? "error" : d->level == EKG_LOG_WARNING ? "warning"
                                                                                          : "note";
    if (d->where && d->line)
        fprintf(stderr, "ekg: %s: %s:%ld: %s\n", lv, d->where, d->line, d->message);
    else if (d->where)
        fprintf(stderr, "ekg: %s: %s: %s\n", lv, d->where, d->message);
    else
        fprintf(stderr, "ekg: %s: %s\n", lv, d->message);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ekg [--store SPEC] [--ontology DIR] [-q|-v] COMMAND [ARGS…]\n"
            "\n"
            "ekg reads press releases, statements and news, extracts who met whom and who\n"
            "endorsed, criticised, signed or rejected what, when and where, and keeps it as\n"
            "an RDF event graph that you query, check and export.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out,
            "\n"
            "Options:\n"
            "  --store SPEC     the store: a directory (default ./ekg.db, Berkeley DB),\n"
            "                   memory:, sqlite:FILE or postgresql:OPTIONS; also $EKG_STORE\n"
            "  --ontology DIR   the ontology/knowledge base directory; also $EKG_ONTOLOGY\n"
            "  -q, --quiet      print errors only\n"
            "  -v, --verbose    print notes too\n"
            "  --version        print the version and exit\n"
            "  -h, --help       this text; `ekg COMMAND --help` describes one command\n"
            "\n"
            "Exit status: 0 success, 1 failure (check: violations found), 2 usage error.\n");
}

int main(int argc, char **argv)
{
    static int verbosity = 1;
    ekg_sink sink = {print_diag, &verbosity};
    ekg_cli_env env = {getenv("EKG_STORE"), NULL, &sink, 1};
    const char *ontology = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--store") || !strcmp(a, "--ontology")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ekg: error: %s needs a value\n", a);
                return 2;
            }
            if (a[2] == 's')
                env.store_spec = argv[++i];
            else
                ontology = argv[++i];
        } else if (!strncmp(a, "--store=", 8))
            env.store_spec = a + 8;
        else if (!strncmp(a, "--ontology=", 11))
            ontology = a + 11;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            verbosity = 0;
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
            verbosity = 2;
        else if (!strcmp(a, "--version")) {
            printf("ekg %s\n", EKG_VERSION);
            return 0;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "ekg: error: unknown option %s (see ekg --help)\n", a);
            return 2;
        }
    }
    env.verbosity = verbosity;
    env.ontology_dir = ekg_ontology_locate(ontology);
    if (i >= argc) {
        if (isatty(STDIN_FILENO)) {
            char *rargv[] = {"repl", NULL};
            return ekg_cmd_repl(1, rargv, &env);
        }
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[i], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t c = 0; c < NCOMMANDS; c++)
        if (!strcmp(argv[i], COMMANDS[c].name)) return COMMANDS[c].fn(argc - i, argv + i, &env);
    fprintf(stderr, "ekg: error: unknown command '%s' (see ekg --help)\n", argv[i]);
    return 2;
}
