/* cli_ingest.c — `ekg ingest`: documents into the store, with a progress
 * line on a terminal and a summary at the end. */
#include "ekg/cli.h"
#include "ekg/ingest.h"
#include "ekg/kb.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: ekg ingest [-j N] [--shard I/N] [--lang L] PATH…\n"
    "\n"
    "Read documents and store the events they report. PATH is a file, a directory\n"
    "(walked recursively: .txt .md .html .htm .xml .rss .atom) or - for standard\n"
    "input. Each document's claims go into its own named graph; a document whose\n"
    "content is already stored is skipped, a changed file replaces its old graph.\n"
    "\n"
    "  -j, --jobs N     extraction threads (default: the number of cores); one\n"
    "                   writer, so the store is identical whatever N is\n"
    "  --shard I/N      only the I-th of N stable slices of the inputs (1 <= I <= N),\n"
    "                   to spread a corpus over machines\n"
    "  --lang L         treat every document as language L (en, de, fr, nl, es, ru)\n"
    "\n"
    "A document that cannot be read is reported and skipped; the others are stored.\n"
    "Exit status: 0 all stored, 1 some failed (or the store failed), 2 usage error.\n";

static volatile sig_atomic_t interrupted;
static volatile int cancel_flag;
static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    cancel_flag = 1;
}

static void progress(void *ctx, const ekg_ingest_stats *s, const char *path)
{
    (void)ctx;
    (void)path;
    fprintf(stderr, "\r\033[Kingest: %zu files, %zu documents, %zu events, %zu failed",
            s->files, s->documents, s->events, s->failed);
}

int ekg_cmd_ingest(int argc, char **argv, const ekg_cli_env *env)
{
    ekg_ingest_opts o = {0};
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t np = 0;
    if (!paths) return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            free(paths);
            return 0;
        }
        if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "ekg: error: ingest: -j needs a number from 1 to 256\n");
                free(paths);
                return 2;
            }
            o.jobs = (unsigned)n;
        } else if (!strcmp(a, "--shard") && i + 1 < argc) {
            unsigned si = 0, sn = 0;
            char c;
            if (sscanf(argv[++i], "%u/%u%c", &si, &sn, &c) != 2 || sn == 0 || si < 1 || si > sn) {
                fprintf(stderr, "ekg: error: ingest: --shard needs I/N with 1 <= I <= N\n");
                free(paths);
                return 2;
            }
            o.shard_index = si;
            o.shard_count = sn;
        } else if (!strcmp(a, "--lang") && i + 1 < argc)
            o.lang = argv[++i];
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "ekg: error: ingest: unknown option %s\n%s", a, USAGE);
            free(paths);
            return 2;
        } else
            paths[np++] = a;
    }
    if (!np) {
        fprintf(stderr, "ekg: error: ingest: no documents given\n%s", USAGE);
        free(paths);
        return 2;
    }
    ekg_store *st = NULL;
    ekg_kb *kb = NULL;
    int code = 1;
    if (ekg_cli_open_store(env, true, &st) != EKG_OK) goto cleanup;
    if (ekg_kb_load(env->ontology_dir, env->sink, &kb) != EKG_OK) goto cleanup;
    o.cancel = &cancel_flag;
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    int tty = isatty(STDERR_FILENO) && env->verbosity > 0;
    ekg_ingest_stats s = {0};
    ekg_status rc = ekg_ingest(st, kb, paths, np, &o, env->sink, tty ? progress : NULL, NULL, &s);
    sigaction(SIGINT, &old, NULL);
    if (tty) fputs("\r\033[K", stderr);
    if (env->verbosity > 0)
        fprintf(stderr,
                "ingested %zu documents (%zu unchanged, %zu replaced, %zu failed): %zu "
                "sentences, %zu events, %zu triples in %.2f s (%.1f MB/s)%s\n",
                s.documents, s.unchanged, s.replaced, s.failed, s.sentences, s.events,
                s.triples, s.seconds,
                s.seconds > 0 ? (double)s.bytes / 1048576.0 / s.seconds : 0.0,
                interrupted ? " — interrupted" : "");
    code = (rc == EKG_OK && s.failed == 0 && !interrupted) ? 0 : 1;
cleanup:
    ekg_kb_free(kb);
    ekg_store_free(st);
    free(paths);
    return code;
}
