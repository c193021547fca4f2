/* cli_store.c — subcommands that work on the store as RDF: export, stats,
 * sparql, load. */
#include "ekg/cli.h"
#include "ekg/endpoint.h"
#include "ekg/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
    return 0;
}

/* ---- export ------------------------------------------------------------- */

static const char EXPORT_USAGE[] =
    "usage: ekg export [--format FORMAT] [--graph DOC] [--no-ontology] [-o FILE]\n"
    "       ekg export --endpoint URL [--format nquads|ntriples] [--graph IRI]\n"
    "                  [--no-ontology] [--all-graphs] [--page N] [-o FILE]\n"
    "\n"
    "Write the store's graph. Everything by default: every document's named graph\n"
    "and the ontology graph.\n"
    "\n"
    "  -f, --format FORMAT  turtle (default), ntriples, nquads, trig, rdfxml, dot\n"
    "                       (nquads and trig keep each document's named graph)\n"
    "  -g, --graph DOC      only this document's graph: its IRI, or the file name\n"
    "                       it was ingested from\n"
    "  --no-ontology        leave out the ontology and knowledge-base graph\n"
    "  -o, --output FILE    write to FILE instead of standard output\n"
    "  --endpoint URL       read from a SPARQL endpoint instead of the store\n"
    "                       (N-Quads or N-Triples; pages of SELECT ?g ?s ?p ?o,\n"
    "                       checked against a count)\n"
    "  --all-graphs         with --endpoint: every graph, not only ekg's\n"
    "                       (https://w3id.org/ekg/…), e.g. Virtuoso's own\n"
    "  --page N             with --endpoint: rows per request (default 10000)\n"
    "\n"
    "Turtle, N-Triples, N-Quads and TriG stream one graph at a time (memory is\n"
    "bounded by the largest document, not the store). Exit 0 on success, 1 on an\n"
    "error, 2 on a usage error.\n";

typedef struct {
    char *iri;
} doc_find;

static int find_doc(void *ctx, const ekg_term *t)
{
    doc_find *f = ctx;
    if (t->kind == EKG_TERM_IRI && !f->iri) f->iri = strdup(t->value);
    return 1;
}

/* Export from a SPARQL endpoint: the matching quads are counted, then read
 * in pages of SELECT ?g ?s ?p ?o with LIMIT/OFFSET (no ORDER BY: servers cap
 * sorted paging, Virtuoso at 10000 rows by default), written as N-Quads or
 * N-Triples. A page that comes back short before the count is reached (a
 * server-side row cap) or a count that does not add up is an error. */
typedef struct {
    FILE *out;
    int quads;
    size_t rows;
} ep_export;

static int ep_count_row(void *ctx, const ekg_row *r)
{
    if (r->ncols >= 1 && r->values[0].kind == EKG_TERM_LITERAL)
        *(size_t *)ctx = (size_t)strtoull(r->values[0].value, NULL, 10);
    return 1;
}

static int ep_export_row(void *ctx, const ekg_row *r)
{
    ep_export *e = ctx;
    e->rows++;
    if (r->ncols < 4) return 1;
    for (size_t i = 1; i < 4; i++) {
        ekg_term_write_nt(&r->values[i], e->out);
        fputc(' ', e->out);
    }
    if (e->quads && r->values[0].kind == EKG_TERM_IRI) {
        ekg_term_write_nt(&r->values[0], e->out);
        fputc(' ', e->out);
    }
    fputs(".\n", e->out);
    return 0;
}

static int export_endpoint(const char *url, const ekg_export_opts *o, int all_graphs,
                           size_t page, const char *outpath, const ekg_cli_env *env)
{
    if (o->format != EKG_EXPORT_NQUADS && o->format != EKG_EXPORT_NTRIPLES) {
        fprintf(stderr, "ekg: error: export: with --endpoint the format is nquads or ntriples\n");
        return 2;
    }
    FILE *out = stdout;
    if (outpath && !(out = fopen(outpath, "w"))) {
        fprintf(stderr, "ekg: error: export: cannot write %s: %s\n", outpath, strerror(errno));
        return 1;
    }
    char filter[1024] = "";
    if (o->graph)
        snprintf(filter, sizeof filter, "FILTER(?g = <%s>)", o->graph);
    else
        snprintf(filter, sizeof filter, "FILTER(%s%s)",
                 all_graphs ? "true" : "STRSTARTS(STR(?g), \"https://w3id.org/ekg/\")",
                 o->with_ontology ? "" : " && ?g != <" EKG_ONTOLOGY_GRAPH ">");
    ep_export e = {out, o->format == EKG_EXPORT_NQUADS, 0};
    size_t total = 0, expect = (size_t)-1;
    char q[2048];
    snprintf(q, sizeof q, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } %s }", filter);
    ekg_status rc = ekg_endpoint_sparql(url, q, ep_count_row, NULL, &expect, env->sink);
    if (rc == EKG_OK && expect == (size_t)-1)
        rc = ekg_report(env->sink, EKG_LOG_ERROR, EKG_ERR_QUERY, url, 0,
                        "the endpoint did not count the quads to export");
    for (size_t off = 0; rc == EKG_OK && total < expect; off += page) {
        snprintf(q, sizeof q, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } %s } LIMIT %zu OFFSET %zu",
                 filter, page, off);
        e.rows = 0;
        rc = ekg_endpoint_sparql(url, q, ep_export_row, NULL, &e, env->sink);
        total += e.rows;
        if (rc == EKG_OK && e.rows < page && total < expect)
            rc = ekg_report(env->sink, EKG_LOG_ERROR, EKG_ERR_LIMIT, url, 0,
                            "a page of %zu rows came back with %zu after %zu of %zu quads: "
                            "the server caps result rows (Virtuoso: [SPARQL] ResultSetMaxRows); "
                            "give a smaller --page",
                            page, e.rows, total - e.rows, expect);
    }
    if (rc == EKG_OK && total != expect)
        rc = ekg_report(env->sink, EKG_LOG_ERROR, EKG_ERR_STORE, url, 0,
                        "%zu quads read, %zu counted: the data changed during the export", total,
                        expect);
    int werr = out != stdout ? fclose(out) != 0 : fflush(stdout) != 0;
    if (werr && rc == EKG_OK)
        rc = ekg_report(env->sink, EKG_LOG_ERROR, EKG_ERR_IO, outpath ? outpath : "stdout", 0,
                        "cannot write");
    if (rc == EKG_OK)
        ekg_report(env->sink, EKG_LOG_NOTE, EKG_OK, "export", 0, "%zu statements written", total);
    return rc == EKG_OK ? 0 : 1;
}

int ekg_cmd_export(int argc, char **argv, const ekg_cli_env *env)
{
    ekg_export_opts o = {EKG_EXPORT_TURTLE, NULL, 1};
    const char *outpath = NULL, *graph = NULL, *endpoint = NULL;
    int all_graphs = 0, format_given = 0;
    size_t page = 10000;
    if (wants_help(argc, argv)) {
        fputs(EXPORT_USAGE, stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if ((!strcmp(a, "-f") || !strcmp(a, "--format")) && has_val) {
            format_given = 1;
            if (ekg_export_format_parse(argv[++i], &o.format) != EKG_OK) {
                fprintf(stderr,
                        "ekg: error: export: unknown format '%s' (turtle, ntriples, nquads, "
                        "trig, rdfxml, dot)\n",
                        argv[i]);
                return 2;
            }
        } else if ((!strcmp(a, "-g") || !strcmp(a, "--graph")) && has_val)
            graph = argv[++i];
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_val)
            outpath = argv[++i];
        else if (!strcmp(a, "--no-ontology"))
            o.with_ontology = 0;
        else if (!strcmp(a, "--endpoint") && has_val)
            endpoint = argv[++i];
        else if (!strcmp(a, "--all-graphs"))
            all_graphs = 1;
        else if (!strcmp(a, "--page") && has_val) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v <= 0) {
                fprintf(stderr, "ekg: error: export: --page wants a positive number\n");
                return 2;
            }
            page = (size_t)v;
        } else {
            fprintf(stderr, "ekg: error: export: unexpected argument '%s'\n%s", a, EXPORT_USAGE);
            return 2;
        }
    }
    if (endpoint) {
        if (!format_given) o.format = EKG_EXPORT_NQUADS;
        o.graph = graph;
        return export_endpoint(endpoint, &o, all_graphs, page, outpath, env);
    }
    ekg_store *st = NULL;
    if (ekg_cli_open_store(env, false, &st) != EKG_OK) return 1;
    doc_find f = {NULL};
    if (graph) {
        /* A file name names the document ingested from it. */
        if (!strstr(graph, "://")) {
            ekg_term p = ekg_iri(EKG_NS "fileName"), v = ekg_literal(graph, NULL);
            ekg_store_sources(st, &p, &v, find_doc, &f);
            if (!f.iri) {
                fprintf(stderr, "ekg: error: export: no document named '%s' in the store\n",
                        graph);
                ekg_store_free(st);
                return 1;
            }
            o.graph = f.iri;
        } else
            o.graph = graph;
    }
    FILE *out = stdout;
    if (outpath && !(out = fopen(outpath, "w"))) {
        fprintf(stderr, "ekg: error: export: cannot write %s: %s\n", outpath, strerror(errno));
        free(f.iri);
        ekg_store_free(st);
        return 1;
    }
    size_t n = 0;
    ekg_status rc = ekg_export(st, &o, out, env->sink, &n);
    if (out != stdout && fclose(out) != 0 && rc == EKG_OK)
        rc = ekg_report(env->sink, EKG_LOG_ERROR, EKG_ERR_IO, outpath, 0, "cannot write");
    if (rc == EKG_OK)
        ekg_report(env->sink, EKG_LOG_NOTE, EKG_OK, "export", 0, "%zu statements written", n);
    free(f.iri);
    ekg_store_free(st);
    return rc == EKG_OK ? 0 : 1;
}

/* ---- stats -------------------------------------------------------------- */

static const char STATS_USAGE[] =
    "usage: ekg stats\n"
    "\n"
    "Count what the store holds: quads, documents, events by class, entities of the\n"
    "knowledge base by class.\n";

static int print_count_row(void *ctx, const ekg_row *r)
{
    (void)ctx;
    if (r->ncols < 2 || r->values[0].kind == EKG_TERM_NONE) return 0;
    const char *c = r->values[0].value, *h = strrchr(c, '#');
    printf("  %-22s %s\n", h ? h + 1 : c, r->values[1].value ? r->values[1].value : "0");
    return 0;
}

int ekg_cmd_stats(int argc, char **argv, const ekg_cli_env *env)
{
    if (wants_help(argc, argv)) {
        fputs(STATS_USAGE, stdout);
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "ekg: error: stats: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    ekg_store *st = NULL;
    if (ekg_cli_open_store(env, false, &st) != EKG_OK) return 1;
    size_t n = 0;
    ekg_status rc = ekg_store_size(st, &n);
    printf("store       %s\nquads       %zu\n", ekg_store_spec(st), n);
    printf("events by class:\n");
    if (rc == EKG_OK)
        rc = ekg_store_sparql(st,
                              "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e ekg:source ?d . ?e a ?c } "
                              "GROUP BY ?c ORDER BY ?c",
                              print_count_row, NULL, NULL);
    printf("documents and entities by class:\n");
    if (rc == EKG_OK)
        rc = ekg_store_sparql(st,
                              "SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x a ?c . "
                              "FILTER(?c = ekg:Document || ?c = ekg:State || ?c = "
                              "ekg:InternationalOrganization || ?c = ekg:Agency || ?c = "
                              "ekg:Person || ?c = ekg:Place) } GROUP BY ?c ORDER BY ?c",
                              print_count_row, NULL, NULL);
    ekg_store_free(st);
    return rc == EKG_OK ? 0 : 1;
}

/* ---- sparql ------------------------------------------------------------- */

static const char SPARQL_USAGE[] =
    "usage: ekg sparql [--format tsv|ntriples] [--endpoint URL] 'QUERY' | -f FILE\n"
    "\n"
    "Run a SPARQL 1.0 query (rasqal) over the store. The prefixes ekg: ekgid: rdf:\n"
    "rdfs: xsd: skos: dcterms: owl: prov: sh: are predeclared. SELECT prints a\n"
    "header and one tab-separated row per result (terms in N-Triples syntax);\n"
    "ASK prints true or false; CONSTRUCT and DESCRIBE print N-Triples.\n"
    "\n"
    "  --endpoint URL   send the query to a SPARQL 1.1 endpoint (e.g.\n"
    "                   http://localhost:8890/sparql) instead of the store; the\n"
    "                   answer is printed the same way\n";

static int sparql_row(void *ctx, const ekg_row *r)
{
    int *first = ctx;
    if (*first) {
        for (size_t i = 0; i < r->ncols; i++) printf("%s?%s", i ? "\t" : "", r->names[i]);
        putchar('\n');
        *first = 0;
    }
    for (size_t i = 0; i < r->ncols; i++) {
        if (i) putchar('\t');
        if (r->values[i].kind != EKG_TERM_NONE) ekg_term_write_nt(&r->values[i], stdout);
    }
    putchar('\n');
    return 0;
}

static int sparql_quad(void *ctx, const ekg_triple *t, const char *g)
{
    (void)ctx;
    (void)g;
    ekg_term_write_nt(&t->s, stdout);
    putchar(' ');
    ekg_term_write_nt(&t->p, stdout);
    putchar(' ');
    ekg_term_write_nt(&t->o, stdout);
    fputs(" .\n", stdout);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    if (f != stdin) fclose(f);
    if (buf) buf[n] = 0;
    return buf;
}

int ekg_cmd_sparql(int argc, char **argv, const ekg_cli_env *env)
{
    if (wants_help(argc, argv)) {
        fputs(SPARQL_USAGE, stdout);
        return 0;
    }
    char *text = NULL;
    const char *query = NULL, *endpoint = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--endpoint") && i + 1 < argc) {
            endpoint = argv[++i];
        } else if (!strcmp(argv[i], "-f") && i + 1 < argc) {
            if (!(text = slurp(argv[++i]))) {
                fprintf(stderr, "ekg: error: sparql: cannot read %s: %s\n", argv[i],
                        strerror(errno));
                return 1;
            }
            query = text;
        } else if (!query)
            query = argv[i];
        else {
            fprintf(stderr, "ekg: error: sparql: give one query (quote it)\n%s", SPARQL_USAGE);
            return 2;
        }
    }
    if (!query) {
        fprintf(stderr, "ekg: error: sparql: no query given\n%s", SPARQL_USAGE);
        return 2;
    }
    int first = 1;
    if (endpoint) {
        ekg_status erc = ekg_endpoint_sparql(endpoint, query, sparql_row, sparql_quad, &first,
                                             env->sink);
        free(text);
        return erc == EKG_OK ? 0 : 1;
    }
    ekg_store *st = NULL;
    if (ekg_cli_open_store(env, false, &st) != EKG_OK) {
        free(text);
        return 1;
    }
    ekg_status rc = ekg_store_sparql(st, query, sparql_row, sparql_quad, &first);
    ekg_store_free(st);
    free(text);
    return rc == EKG_OK ? 0 : 1;
}

/* ---- load --------------------------------------------------------------- */

static const char LOAD_USAGE[] =
    "usage: ekg load [--graph IRI] [--endpoint URL [--batch N]] FILE…\n"
    "\n"
    "Bulk-load RDF files into the store, streaming (N-Quads keep their graphs;\n"
    "triples of other syntaxes go to --graph, default the file's URI). Syntax by\n"
    "extension: .nq .nt .ttl .trig .rdf. A file that does not parse is reported and\n"
    "skipped; the others are loaded.\n"
    "\n"
    "  --endpoint URL   load into a SPARQL 1.1 endpoint with SPARQL Update\n"
    "                   (INSERT DATA, streaming) instead of the store\n"
    "  --batch N        with --endpoint: quads per request (default 2000)\n";

int ekg_cmd_load(int argc, char **argv, const ekg_cli_env *env)
{
    if (wants_help(argc, argv)) {
        fputs(LOAD_USAGE, stdout);
        return 0;
    }
    const char *graph = NULL, *endpoint = NULL;
    ekg_endpoint_opts eo = {0, 0, 0, NULL};
    int nfiles = 0, failed = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--graph") && i + 1 < argc)
            graph = argv[++i];
        else if (!strcmp(argv[i], "--endpoint") && i + 1 < argc)
            endpoint = argv[++i];
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v <= 0) {
                fprintf(stderr, "ekg: error: load: --batch wants a positive number\n");
                return 2;
            }
            eo.batch = (size_t)v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "ekg: error: load: unknown option %s\n%s", argv[i], LOAD_USAGE);
            return 2;
        } else
            nfiles++;
    if (!nfiles) {
        fprintf(stderr, "ekg: error: load: no files given\n%s", LOAD_USAGE);
        return 2;
    }
    ekg_store *st = NULL;
    if (!endpoint && ekg_cli_open_store(env, true, &st) != EKG_OK) return 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t total = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--graph") || !strcmp(argv[i], "--endpoint") ||
            !strcmp(argv[i], "--batch")) {
            i++;
            continue;
        }
        size_t n = 0;
        if (endpoint ? ekg_endpoint_load(endpoint, &eo, argv[i], NULL, graph, env->sink, &n) != EKG_OK
                     : ekg_store_load_file(st, argv[i], NULL, graph, &n) != EKG_OK)
            failed++;
        total += n;
    }
    if (st) {
        ekg_store_sync(st);
        ekg_store_free(st);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (env->verbosity > 0)
        fprintf(stderr, "ekg: loaded %zu quads from %d files (%d failed) in %.2f s (%.0f quads/s)\n",
                total, nfiles - failed, failed, s, s > 0 ? (double)total / s : 0.0);
    return failed ? 1 : 0;
}
