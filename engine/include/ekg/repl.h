/* repl.h — the analyst's shell: queries and dot-commands, line by line.
 *
 * Shared by `ekg repl` (interactive, libedit) and `ekg query` (one query,
 * or a file of them). The shell prints results to stdout and errors to
 * stderr: it is CLI code, not library code. */
#ifndef EKG_REPL_H
#define EKG_REPL_H

#include "ekg/cli.h"
#include "ekg/store.h"
#include <stdbool.h>
#include <stdio.h>

typedef struct ekg_shell ekg_shell;

/* A shell over an open store (borrowed). */
ekg_status ekg_shell_new(ekg_store *st, const ekg_cli_env *env, ekg_shell **out);
void ekg_shell_free(ekg_shell *sh); /* NULL-safe */

/* Set the output format ("table", "csv" …); 2 when unknown. */
int ekg_shell_set_format(ekg_shell *sh, const char *name);
int ekg_shell_set_lang(ekg_shell *sh, const char *lang);
int ekg_shell_set_plan(ekg_shell *sh, const char *plan);
void ekg_shell_set_timer(ekg_shell *sh, bool on);

/* Run one line (a query or a dot-command). Returns 0 ok, 1 error, 2 usage
 * error, -1 when the line asks to quit. */
int ekg_shell_line(ekg_shell *sh, const char *line);

/* Show the plan of a query instead of running it. */
int ekg_shell_explain(ekg_shell *sh, const char *query);

/* Read lines from `in` until EOF or .quit, with continuation lines (a
 * trailing backslash, an unbalanced quote). interactive: libedit with
 * history and completion. keep_going: carry on after an error. Returns the
 * exit status: 0, or 1 when a line failed. */
int ekg_shell_loop(ekg_shell *sh, FILE *in, bool interactive, bool keep_going);

#endif
