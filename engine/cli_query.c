/* cli_query.c — `ekg query`: one query, several, or a file of them.
 *
 *   ekg query 'who endorsed what when'
 *   ekg query --format json --lang de 'Russland met whom'
 *   ekg query -f questions.ekg [--keep-going]
 *
 * Exit status: 0 all queries ran, 1 a query failed (the first one stops a
 * file unless --keep-going), 2 usage error. */
#include "ekg/cli.h"
#include "ekg/repl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ekg query [OPTIONS] 'QUERY' …\n"
            "       ekg query [OPTIONS] -f FILE   (one query per line; - for stdin)\n"
            "Options:\n"
            "  --format F     table|csv|tsv|json|turtle|dot|svg (default: table on a\n"
            "                 terminal, tsv when piped)\n"
            "  --lang L       label language (default en)\n"
            "  --plan P       auto|native|sparql\n"
            "  --explain      show the plan instead of running\n"
            "  --timer        print the time each query takes on stderr\n"
            "  --keep-going   with -f: run every query even after one fails\n"
            "The language is described in grammar/README.md; examples:\n"
            "  who endorsed what when\n"
            "  Russia met whom in 2019 where\n"
            "  path Russia to \"United States\"\n");
}

int ekg_cmd_query(int argc, char **argv, const ekg_cli_env *env)
{
    const char *fmt = NULL, *lang = NULL, *plan = NULL, *file = NULL;
    bool explain = false, timer = false, keep_going = false;
    /* Options may stand before or after the queries (`ekg query 'Q' --format
     * json`); `--` makes every later argument a query. */
    char **queries = calloc((size_t)argc + 1, sizeof *queries);
    int nq = 0, opts_done = 0;
    if (!queries) return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || !a[1]) {
            queries[nq++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--format") || !strcmp(a, "--lang") || !strcmp(a, "--plan") ||
            !strcmp(a, "-f")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ekg: error: query: %s needs a value\n", a);
                free(queries);
                return 2;
            }
            const char **dst = !strcmp(a, "--format") ? &fmt
                               : !strcmp(a, "--lang") ? &lang
                               : !strcmp(a, "--plan") ? &plan
                                                      : &file;
            *dst = argv[++i];
        } else if (!strncmp(a, "--format=", 9))
            fmt = a + 9;
        else if (!strcmp(a, "--explain"))
            explain = true;
        else if (!strcmp(a, "--timer"))
            timer = true;
        else if (!strcmp(a, "--keep-going"))
            keep_going = true;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(queries);
            return 0;
        } else if (!strcmp(a, "--"))
            opts_done = 1;
        else {
            fprintf(stderr, "ekg: error: query: unknown option '%s'\n", a);
            usage(stderr);
            free(queries);
            return 2;
        }
    }
    if (!file && nq == 0) {
        usage(stderr);
        free(queries);
        return 2;
    }
    ekg_store *st = NULL;
    if (ekg_cli_open_store(env, false, &st)) {
        free(queries);
        return 1;
    }
    ekg_shell *sh = NULL;
    int rc = 1;
    if (ekg_shell_new(st, env, &sh)) goto cleanup;
    if ((fmt && ekg_shell_set_format(sh, fmt)) || (lang && ekg_shell_set_lang(sh, lang)) ||
        (plan && ekg_shell_set_plan(sh, plan))) {
        rc = 2;
        goto cleanup;
    }
    ekg_shell_set_timer(sh, timer);
    if (file) {
        FILE *in = strcmp(file, "-") ? fopen(file, "r") : stdin;
        if (!in) {
            fprintf(stderr, "ekg: error: %s: %s\n", file, strerror(errno));
            goto cleanup;
        }
        rc = ekg_shell_loop(sh, in, false, keep_going);
        if (in != stdin) fclose(in);
        goto cleanup;
    }
    rc = 0;
    for (int i = 0; i < nq; i++) {
        int r = explain ? ekg_shell_explain(sh, queries[i]) : ekg_shell_line(sh, queries[i]);
        if (r > 0) {
            rc = 1;
            if (!keep_going) break;
        }
    }
cleanup:
    ekg_shell_free(sh);
    ekg_store_free(st);
    free(queries);
    return rc;
}
