/* repl.c — the analyst's shell (`ekg repl`, and the runner of `ekg query`).
 *
 * Like the sqlite3 shell: dot-commands are a table (name, usage, help,
 * example, handler) and .help is printed from it; handlers return 0 ok,
 * 1 error, 2 usage. Line editing is libedit through its readline
 * compatibility API, with a plain fgets loop when input is not a terminal.
 * Ctrl-C sets a flag the executor polls (the query stops with "cancelled",
 * the shell stays); Ctrl-D at the prompt leaves. */
#include "ekg/repl.h"
#include "ekg/checks.h"
#include "ekg/export.h"
#include "ekg/format.h"
#include "ekg/ingest.h"
#include "ekg/kb.h"
#include "ekg/ontology.h"
#include "ekg/query.h"
#include "ekg/shacl.h"

#include <editline/readline.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Ingest may be missing from a partial build: call it only when linked. */
#pragma weak ekg_ingest

struct ekg_shell {
    ekg_store *st;
    const ekg_cli_env *env;
    ekg_session *s;
    const ekg_format *fmt;
    bool timer;
    const char *line; /* the query being run, for error carets */
    ekg_sink sink;
};

static volatile sig_atomic_t g_cancel;

static void on_sigint(int sig)
{
    (void)sig;
    g_cancel = 1;
}

/* Query errors get the caret rendering; others the CLI's usual line. */
static void shell_diag(void *ctx, const ekg_diag *d)
{
    ekg_shell *sh = ctx;
    if (d->where && !strcmp(d->where, "query")) {
        char *r = ekg_query_render_error(sh->line, d);
        if (r) fputs(r, stderr);
        free(r);
        return;
    }
    if (sh->env->sink && sh->env->sink->fn) sh->env->sink->fn(sh->env->sink->ctx, d);
}

ekg_status ekg_shell_new(ekg_store *st, const ekg_cli_env *env, ekg_shell **out)
{
    *out = NULL;
    ekg_shell *sh = calloc(1, sizeof *sh);
    if (!sh) return EKG_ERR_NOMEM;
    sh->st = st;
    sh->env = env;
    sh->sink = (ekg_sink){shell_diag, sh};
    sh->fmt = ekg_format_find(isatty(STDOUT_FILENO) ? "table" : "tsv");
    ekg_status rc = ekg_session_new(st, &sh->sink, &sh->s);
    if (rc) {
        free(sh);
        return rc;
    }
    ekg_session_set_cancel(sh->s, &g_cancel);
    *out = sh;
    return EKG_OK;
}

void ekg_shell_free(ekg_shell *sh)
{
    if (!sh) return;
    ekg_session_free(sh->s);
    free(sh);
}

int ekg_shell_set_format(ekg_shell *sh, const char *name)
{
    const ekg_format *f = ekg_format_find(name);
    if (!f) {
        fprintf(stderr, "error: unknown format '%s' (table, csv, tsv, json, turtle, dot, svg)\n", name);
        return 2;
    }
    sh->fmt = f;
    unsigned want = 0;
    if (!strcmp(f->name, "turtle")) want |= EKG_WANT_TRIPLES;
    if (!strcmp(f->name, "dot") || !strcmp(f->name, "svg")) want |= EKG_WANT_EDGES;
    ekg_session_set_want(sh->s, want);
    return 0;
}

int ekg_shell_set_lang(ekg_shell *sh, const char *lang)
{
    if (ekg_session_set_lang(sh->s, lang)) {
        fprintf(stderr, "error: '%s' is not a language tag (en, de, fr, ru …)\n", lang);
        return 2;
    }
    return 0;
}

int ekg_shell_set_plan(ekg_shell *sh, const char *plan)
{
    static const struct {
        const char *name;
        ekg_plan_kind k;
    } P[] = {{"auto", EKG_PLAN_AUTO}, {"native", EKG_PLAN_NATIVE}, {"sparql", EKG_PLAN_SPARQL}};
    for (size_t i = 0; i < sizeof P / sizeof *P; i++)
        if (!strcasecmp(plan, P[i].name)) {
            ekg_session_set_plan(sh->s, P[i].k);
            return 0;
        }
    fprintf(stderr, "error: unknown plan '%s' (auto, native, sparql)\n", plan);
    return 2;
}

void ekg_shell_set_timer(ekg_shell *sh, bool on) { sh->timer = on; }

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int run_query(ekg_shell *sh, const char *q)
{
    ekg_result *r = NULL;
    double t0 = now_ms();
    g_cancel = 0;
    sh->line = q;
    ekg_status rc = ekg_session_run(sh->s, q, &r);
    double t1 = now_ms();
    int ret = 0;
    if (rc == EKG_OK) {
        rc = sh->fmt->write(r, stdout);
        if (rc == EKG_ERR_UNSUPPORTED && !strcmp(sh->fmt->name, "svg"))
            fprintf(stderr, "error: svg needs Graphviz's `dot` on PATH (or use --format dot)\n");
        else if (rc)
            fprintf(stderr, "error: cannot write the result: %s\n", ekg_strerror(rc));
        if (!isatty(STDOUT_FILENO) && r->nrows == 0 && sh->fmt->write != ekg_format_find("table")->write)
            fprintf(stderr, "(%s)\n", r->note ? r->note : "no rows");
        ret = rc ? 1 : 0;
    } else
        ret = 1;
    fflush(stdout);
    if (sh->timer) fprintf(stderr, "time: %.1f ms\n", t1 - t0);
    ekg_result_free(r);
    return ret;
}

int ekg_shell_explain(ekg_shell *sh, const char *query)
{
    char *text = NULL;
    sh->line = query;
    if (ekg_session_explain(sh->s, query, &text)) return 1;
    fputs(text, stdout);
    free(text);
    return 0;
}

/* ---- dot-commands ------------------------------------------------------- */

typedef int (*dot_fn)(ekg_shell *sh, int argc, char **argv, const char *rest);

static int dot_help(ekg_shell *sh, int argc, char **argv, const char *rest);

/* USAGE: .explain QUERY */
static int dot_explain(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)argv;
    if (argc < 2) return 2;
    return ekg_shell_explain(sh, rest);
}

/* USAGE: .mode [table|csv|tsv|json|turtle|dot|svg] */
static int dot_mode(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc == 1) {
        size_t n;
        const ekg_format *f = ekg_format_all(&n);
        for (size_t i = 0; i < n; i++)
            printf("%c %-7s %s\n", &f[i] == sh->fmt ? '*' : ' ', f[i].name, f[i].help);
        return 0;
    }
    return ekg_shell_set_format(sh, argv[1]);
}

/* USAGE: .lang [LANG] */
static int dot_lang(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc == 1) {
        printf("%s\n", ekg_session_lang(sh->s));
        return 0;
    }
    return ekg_shell_set_lang(sh, argv[1]);
}

/* USAGE: .timer on|off */
static int dot_timer(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc != 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off"))) return 2;
    sh->timer = !strcmp(argv[1], "on");
    return 0;
}

/* USAGE: .plan auto|native|sparql */
static int dot_plan(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc != 2) return 2;
    return ekg_shell_set_plan(sh, argv[1]);
}

static bool rdf_file(const char *p)
{
    static const char *const EXT[] = {".nq", ".nt", ".ttl", ".trig", ".rdf", ".owl"};
    size_t n = strlen(p);
    for (size_t i = 0; i < sizeof EXT / sizeof *EXT; i++) {
        size_t k = strlen(EXT[i]);
        if (n > k && !strcmp(p + n - k, EXT[i])) return true;
    }
    return false;
}

/* USAGE: .load PATH… (documents are ingested; .nq/.ttl/.nt/.trig files loaded as RDF) */
static int dot_load(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc < 2) return 2;
    int rc = 0;
    ekg_kb *kb = NULL;
    if (ekg_store_reopen(sh->st, EKG_STORE_CREATE) ||
        ekg_ontology_sync(sh->st, sh->env->ontology_dir, &sh->sink, NULL)) {
        ekg_store_reopen(sh->st, EKG_STORE_READONLY);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (rdf_file(argv[i])) {
            size_t added = 0;
            if (ekg_store_load_file(sh->st, argv[i], NULL, NULL, &added)) {
                rc = 1;
                continue;
            }
            printf("loaded %zu quads from %s\n", added, argv[i]);
            continue;
        }
        if (!ekg_ingest) {
            fprintf(stderr, "error: ingesting documents is not available in this build; "
                            ".load takes .nq/.ttl/.nt/.trig files\n");
            rc = 1;
            continue;
        }
        if (!kb && ekg_kb_load(sh->env->ontology_dir, &sh->sink, &kb)) return 1;
        ekg_ingest_stats stats = {0};
        const char *p = argv[i];
        if (ekg_ingest(sh->st, kb, &p, 1, NULL, &sh->sink, NULL, NULL, &stats)) {
            rc = 1;
            continue;
        }
        printf("%s: %zu documents stored, %zu unchanged, %zu failed, %zu events\n", argv[i],
               stats.documents, stats.unchanged, stats.failed, stats.events);
    }
    ekg_kb_free(kb);
    /* Commit, and read the new generation. */
    if (ekg_store_reopen(sh->st, EKG_STORE_READONLY)) {
        fprintf(stderr, "error: the store could not be reopened after .load; leave and restart\n");
        return 1;
    }
    if (ekg_session_reload(sh->s)) rc = 1;
    return rc;
}

/* USAGE: .export FILE [turtle|ntriples|nquads|trig|rdfxml|dot] */
static int dot_export(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc < 2 || argc > 3) return 2;
    ekg_export_opts o = {EKG_EXPORT_TURTLE, NULL, 0};
    if (argc == 3 && ekg_export_format_parse(argv[2], &o.format)) return 2;
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        fprintf(stderr, "error: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    size_t n = 0;
    ekg_status rc = ekg_export(sh->st, &o, f, &sh->sink, &n);
    if (fclose(f) && !rc) rc = EKG_ERR_IO;
    if (!rc) printf("wrote %zu triples to %s\n", n, argv[1]);
    return rc ? 1 : 0;
}

/* USAGE: .check */
static int dot_check(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)argv, (void)rest;
    if (argc != 1) return 2;
    ekg_shacl_report *r = ekg_shacl_report_new();
    if (!r) return 1;
    ekg_status rc = ekg_checks_run(sh->st, NULL, 0, r, &sh->sink);
    if (!rc) {
        ekg_shacl_report_write(r, EKG_REPORT_TEXT, NULL, NULL, stdout);
        printf("(%zu findings; `ekg check` also runs the SHACL shapes)\n", ekg_shacl_report_count(r));
    }
    ekg_shacl_report_free(r);
    return rc ? 1 : 0;
}

static int count_graph(void *ctx, const ekg_term *t)
{
    (void)t;
    (*(size_t *)ctx)++;
    return 0;
}

/* USAGE: .stats */
static int dot_stats(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)argv, (void)rest;
    if (argc != 1) return 2;
    size_t quads = 0, graphs = 0;
    if (ekg_store_size(sh->st, &quads) || ekg_store_graphs(sh->st, count_graph, &graphs)) return 1;
    const char *const *w;
    size_t nw = ekg_session_words(sh->s, &w);
    printf("store      %s\nquads      %zu\ngraphs     %zu\nnames      %zu (completion words)\n",
           ekg_store_spec(sh->st), quads, graphs, nw);
    return 0;
}

/* USAGE: .endpoint [URL|off] */
static int dot_endpoint(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)rest;
    if (argc == 1) {
        const char *e = ekg_session_endpoint(sh->s);
        printf("%s\n", e ? e : "(the store; `sparql …` runs on rasqal)");
        return 0;
    }
    if (argc != 2) return 2;
    ekg_session_set_endpoint(sh->s, strcmp(argv[1], "off") ? argv[1] : NULL);
    return 0;
}

/* USAGE: .quit */
static int dot_quit(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)sh, (void)argc, (void)argv, (void)rest;
    return -1;
}

static const struct {
    const char *name, *usage, *help, *example;
    dot_fn fn;
} DOTS[] = {
    {"explain", "QUERY", "show the plan a query runs as (SPARQL or native steps)",
     ".explain who endorsed what when", dot_explain},
    {"mode", "[table|csv|tsv|json|turtle|dot|svg]", "output format (no argument: list them)",
     ".mode json", dot_mode},
    {"lang", "[LANG]", "label language, falling back to English", ".lang de", dot_lang},
    {"timer", "on|off", "print how long each query takes", ".timer on", dot_timer},
    {"plan", "auto|native|sparql", "how sentences run (auto = native look-ups)", ".plan sparql",
     dot_plan},
    {"load", "PATH…", "ingest documents, or load .nq/.ttl/.nt/.trig files", ".load corpus/",
     dot_load},
    {"export", "FILE [FORMAT]", "write the store as Turtle (or another RDF format)",
     ".export out.ttl", dot_export},
    {"check", "", "run the domain consistency checks", ".check", dot_check},
    {"stats", "", "size of the store", ".stats", dot_stats},
    {"endpoint", "[URL|off]", "send `sparql …` to a remote SPARQL endpoint",
     ".endpoint http://localhost:7878/query", dot_endpoint},
    {"help", "", "this list", ".help", dot_help},
    {"quit", "", "leave (Ctrl-D too)", ".quit", dot_quit},
};
#define NDOTS (sizeof DOTS / sizeof DOTS[0])

static int dot_help(ekg_shell *sh, int argc, char **argv, const char *rest)
{
    (void)sh, (void)argc, (void)argv, (void)rest;
    printf("Queries (one per line; end a line with \\ to continue it):\n"
           "  who endorsed what when            SUBJECT VERB OBJECT [COLUMNS] [FILTERS]\n"
           "  Russia met whom in 2019 where       [order by COL [desc]] [limit N]\n"
           "  path Russia to \"United States\"    neighbors X [depth N]\n"
           "  timeline Russia since 2019         describe Krutskikh\n"
           "  sparql SELECT ?s WHERE { ?s a ekg:State } LIMIT 5\n"
           "Commands:\n");
    for (size_t i = 0; i < NDOTS; i++) {
        char head[64];
        snprintf(head, sizeof head, ".%s %s", DOTS[i].name, DOTS[i].usage);
        printf("  %-40s %s\n  %-40s   e.g. %s\n", head, DOTS[i].help, "", DOTS[i].example);
    }
    return 0;
}

static int run_dot(ekg_shell *sh, const char *line)
{
    char *copy = strdup(line + 1);
    if (!copy) return 1;
    char *argv[32];
    int argc = 0;
    for (char *tok = strtok(copy, " \t"); tok && argc < 32; tok = strtok(NULL, " \t"))
        argv[argc++] = tok;
    int rc = 2;
    if (argc == 0) {
        free(copy);
        return 2;
    }
    const char *rest = line + 1 + strcspn(line + 1, " \t");
    rest += strspn(rest, " \t");
    size_t i = 0;
    for (; i < NDOTS; i++)
        if (!strcmp(argv[0], DOTS[i].name)) break;
    if (i == NDOTS) {
        fprintf(stderr, "error: unknown command '.%s' (.help lists them)\n", argv[0]);
        free(copy);
        return 2;
    }
    rc = DOTS[i].fn(sh, argc, argv, rest);
    if (rc == 2) fprintf(stderr, "usage: .%s %s\n", DOTS[i].name, DOTS[i].usage);
    free(copy);
    return rc;
}

int ekg_shell_line(ekg_shell *sh, const char *line)
{
    line += strspn(line, " \t");
    if (!*line || !strncmp(line, "--", 2)) return 0;
    if (*line == '.') return run_dot(sh, line);
    return run_query(sh, line);
}

/* ---- reading lines -------------------------------------------------------- */

static bool needs_more(const char *s)
{
    bool in = false;
    for (const char *p = s; *p; p++) {
        if (*p == '\\' && in && p[1]) {
            p++;
            continue;
        }
        if (*p == '"') in = !in;
    }
    size_t n = strlen(s);
    return in || (n && s[n - 1] == '\\');
}

static ekg_shell *g_shell; /* for the completion callback */

static char *complete_gen(const char *text, int state)
{
    static size_t idx, kw_idx;
    static size_t len;
    if (!state) {
        idx = 0;
        kw_idx = 0;
        len = strlen(text);
    }
    const char *const *w;
    size_t n = ekg_session_words(g_shell->s, &w);
    if (text[0] == '.') {
        while (kw_idx < NDOTS) {
            const char *d = DOTS[kw_idx++].name;
            if (!strncmp(d, text + 1, len - 1)) {
                char *o = malloc(strlen(d) + 2);
                if (o) sprintf(o, ".%s", d);
                return o;
            }
        }
        return NULL;
    }
    const char *t = text[0] == '"' ? text + 1 : text;
    size_t tl = strlen(t);
    while (idx < n) {
        const char *cand = w[idx++];
        if (strncasecmp(cand, t, tl) != 0) continue;
        if (strchr(cand, ' ') || text[0] == '"') {
            char *o = malloc(strlen(cand) + 3);
            if (o) sprintf(o, "\"%s\"", cand);
            return o;
        }
        return strdup(cand);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)start, (void)end;
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, complete_gen);
}

static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (!home) return NULL;
    size_t n = strlen(home) + 16;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.ekg_history", home);
    return p;
}

static char *read_plain(FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t k;
    while ((k = getline(&line, &cap, in)) < 0 && errno == EINTR && !feof(in)) {
        clearerr(in); /* Ctrl-C while waiting for input: keep reading */
        errno = 0;
    }
    if (k < 0) {
        free(line);
        return NULL;
    }
    while (k && (line[k - 1] == '\n' || line[k - 1] == '\r')) line[--k] = 0;
    return line;
}

int ekg_shell_loop(ekg_shell *sh, FILE *in, bool interactive, bool keep_going)
{
    int status = 0;
    char *hist = NULL;
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    if (interactive) {
        g_shell = sh;
        rl_readline_name = "ekg";
        rl_initialize();
        rl_attempted_completion_function = complete;
        rl_bind_key('\t', rl_complete);
        rl_basic_word_break_characters = " \t,";
        rl_completer_quote_characters = "\"";
        using_history();
        hist = history_path();
        if (hist) read_history(hist);
        printf("ekg %s — type .help for help, Ctrl-D to leave\n", EKG_VERSION);
    }
    for (;;) {
        char *acc = NULL;
        bool first = true;
        for (;;) {
            char *l;
            if (interactive) {
                g_cancel = 0;
                l = readline(first ? "ekg> " : "...> ");
                if (!l && g_cancel) { /* Ctrl-C at the prompt: drop the line, stay */
                    putchar('\n');
                    free(acc);
                    acc = NULL;
                    first = true;
                    continue;
                }
            } else
                l = read_plain(in);
            if (!l) break;
            size_t al = acc ? strlen(acc) : 0, ll = strlen(l);
            char *n = realloc(acc, al + ll + 2);
            if (!n) {
                free(l);
                break;
            }
            acc = n;
            if (al) acc[al++] = ' ';
            memcpy(acc + al, l, ll + 1);
            free(l);
            first = false;
            if (!needs_more(acc)) break;
            size_t k = strlen(acc);
            if (k && acc[k - 1] == '\\') acc[k - 1] = 0;
        }
        if (!acc) {
            if (interactive) putchar('\n');
            break; /* EOF */
        }
        if (interactive && *acc) {
            add_history(acc);
            if (hist) write_history(hist);
        }
        int rc = ekg_shell_line(sh, acc);
        free(acc);
        if (rc < 0) break;
        if (rc) {
            status = 1;
            if (!interactive && !keep_going) break;
        }
    }
    sigaction(SIGINT, &old, NULL);
    free(hist);
    return interactive ? 0 : status;
}

/* ---- ekg repl --------------------------------------------------------------- */

int ekg_cmd_repl(int argc, char **argv, const ekg_cli_env *env)
{
    const char *fmt = NULL, *lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmt = argv[++i];
        else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            lang = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: ekg repl [--format F] [--lang L]\n"
                   "The interactive analyst's shell; .help inside lists the commands.\n");
            return 0;
        } else {
            fprintf(stderr, "ekg: error: repl: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    /* The shell reads: it holds no write lock (an ingest elsewhere may run)
     * and copies nothing; .load takes the lock only while it writes. A store
     * that does not exist yet is created first, with its ontology. */
    ekg_store *st = NULL;
    ekg_status os = ekg_store_open(env->store_spec, EKG_STORE_READONLY, NULL, &st);
    if (os == EKG_ERR_NOTFOUND) {
        if (ekg_cli_open_store(env, true, &st)) return 1;
        if (ekg_store_reopen(st, EKG_STORE_READONLY)) {
            ekg_store_free(st);
            return 1;
        }
    } else if (os != EKG_OK) {
        if (ekg_cli_open_store(env, false, &st)) return 1; /* reports why */
    }
    ekg_shell *sh = NULL;
    int rc = 1;
    if (ekg_shell_new(st, env, &sh)) goto cleanup;
    if ((fmt && ekg_shell_set_format(sh, fmt)) || (lang && ekg_shell_set_lang(sh, lang))) {
        rc = 2;
        goto cleanup;
    }
    rc = ekg_shell_loop(sh, stdin, isatty(STDIN_FILENO), true);
cleanup:
    ekg_shell_free(sh);
    ekg_store_free(st);
    return rc;
}
