/* cli_check.c — `ekg check`: SHACL shapes and domain checks over the store,
 * or over files (--data) as a linter for other pipelines. The only module of
 * the checker that prints. */
#include "ekg/checks.h"
#include "ekg/cli.h"
#include "ekg/ontology.h"
#include "ekg/shacl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* USAGE: the single source of `ekg check --help`. */
static const char USAGE[] =
    "usage: ekg check [--shapes FILE…] [--data FILE…] [--only ID…]\n"
    "                 [--format text|json|turtle] [--help]\n"
    "\n"
    "Validate the graph against SHACL shapes (default: shapes.ttl of the ontology\n"
    "directory) and run the domain checks. Without --data the store is checked;\n"
    "with --data the given RDF files are (with the ontology), and no store is opened.\n"
    "\n"
    "  --shapes FILE…   SHACL shapes graph(s) instead of the ontology's shapes.ttl\n"
    "  --data FILE…     validate these files instead of the store\n"
    "  --only ID…       run only these checks ('shacl' is the SHACL validation)\n"
    "  --format F       text (default), json (an array of findings) or turtle\n"
    "                   (a sh:ValidationReport)\n"
    "\n"
    "Exit status: 0 no violation, 1 violations found (warnings alone do not fail),\n"
    "2 usage error or unreadable input.\n";

typedef struct {
    const char **v;
    size_t n;
} args;

static int push_arg(args *a, const char *s)
{
    const char **n = realloc(a->v, (a->n + 1) * sizeof *n);
    if (!n) return -1;
    a->v = n;
    a->v[a->n++] = s;
    return 0;
}

static void print_checks(FILE *out)
{
    fprintf(out, "\nChecks:\n  %-20s %-9s %s\n", "shacl", "(shapes)",
            "SHACL Core validation against the shapes graph");
    static const char *const lv[] = {"violation", "warning", "info", "other"};
    for (size_t i = 0; i < ekg_checks_count(); i++) {
        const ekg_check_info *c = ekg_checks_at(i);
        fprintf(out, "  %-20s %-9s %s\n", c->id, lv[c->level], c->summary);
    }
}

/* Labels for the text output: skos:prefLabel@en of entities, ekg:fileName or
 * dcterms:title of documents; cached in an arena. */
typedef struct {
    ekg_store *st;
    ekg_triples *arena;
    const char *found;
} label_ctx;

static int take_label(void *vctx, const ekg_term *t)
{
    label_ctx *l = vctx;
    if (t->kind != EKG_TERM_LITERAL) return 0;
    if (t->lang && strcasecmp(t->lang, "en") && strncasecmp(t->lang, "en-", 3)) return 0;
    l->found = ekg_triples_intern(l->arena, t->value);
    return 1;
}

static const char *label_of(void *vctx, const ekg_term *t)
{
    label_ctx *l = vctx;
    if (!l->st || t->kind != EKG_TERM_IRI) return NULL;
    static const char *const PREDS[] = {EKG_SKOS "prefLabel", EKG_NS "fileName",
                                        EKG_DCT "title"};
    for (size_t i = 0; i < sizeof PREDS / sizeof PREDS[0]; i++) {
        ekg_term p = ekg_iri(PREDS[i]);
        l->found = NULL;
        if (ekg_store_targets(l->st, t, &p, take_label, l) == EKG_OK && l->found) {
            size_t n = strlen(l->found) + strlen(t->value) + 8;
            char *buf = malloc(n);
            if (!buf) return NULL;
            snprintf(buf, n, "%s <%s>", l->found, t->value);
            const char *r = ekg_triples_intern(l->arena, buf);
            free(buf);
            return r;
        }
    }
    return NULL;
}

static int take_iri(void *vctx, const ekg_term *t)
{
    label_ctx *l = vctx;
    if (t->kind != EKG_TERM_IRI) return 0;
    l->found = ekg_triples_intern(l->arena, t->value);
    return 1;
}

/* SHACL results name no source document: take the focus node's ekg:source. */
static void fill_sources(ekg_shacl_report *rep, label_ctx *l)
{
    ekg_term p = ekg_iri(EKG_NS "source");
    for (size_t i = 0; i < ekg_shacl_report_count(rep); i++) {
        const ekg_shacl_result *r = ekg_shacl_report_at(rep, i);
        if (r->source || r->focus.kind != EKG_TERM_IRI) continue;
        l->found = NULL;
        if (ekg_store_targets(l->st, &r->focus, &p, take_iri, l) == EKG_OK && l->found)
            ekg_shacl_report_set_source(rep, i, l->found);
    }
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static ekg_status load_files(ekg_store *st, const args *files, const ekg_cli_env *env)
{
    for (size_t i = 0; i < files->n; i++) {
        if (access(files->v[i], R_OK) != 0)
            return ekg_report(env->sink, EKG_LOG_ERROR, EKG_ERR_IO, files->v[i], 0,
                              "cannot read: %s", strerror(errno));
        ekg_status rc = ekg_store_load_file(st, files->v[i], NULL, NULL, NULL);
        if (rc) return rc; /* the store's message names the file */
    }
    return EKG_OK;
}

int ekg_cmd_check(int argc, char **argv, const ekg_cli_env *env)
{
    args shapes = {0}, data = {0}, only = {0}, domain = {0};
    args *cur = NULL;
    bool have_data = false, have_shapes = false, have_only = false;
    const char *format = "text";
    int code = 2;
    ekg_store *st = NULL, *sst = NULL;
    ekg_shacl_report *rep = NULL;
    label_ctx lc = {0};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            print_checks(stdout);
            code = 0;
            goto cleanup;
        } else if (!strcmp(a, "--shapes")) {
            cur = &shapes;
            have_shapes = true;
        } else if (!strcmp(a, "--data")) {
            cur = &data;
            have_data = true;
        } else if (!strcmp(a, "--only")) {
            cur = &only;
            have_only = true;
        } else if (!strcmp(a, "--format")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ekg check: --format needs a value\n%s", USAGE);
                goto cleanup;
            }
            format = argv[++i];
            cur = NULL;
        } else if (!strncmp(a, "--format=", 9)) {
            format = a + 9;
        } else if (!strncmp(a, "--shapes=", 9)) {
            have_shapes = true;
            if (push_arg(&shapes, a + 9)) goto nomem;
        } else if (!strncmp(a, "--data=", 7)) {
            have_data = true;
            if (push_arg(&data, a + 7)) goto nomem;
        } else if (!strncmp(a, "--only=", 7)) {
            if (push_arg(&only, a + 7)) goto nomem;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "ekg check: unknown option %s\n%s", a, USAGE);
            goto cleanup;
        } else if (cur) {
            if (push_arg(cur, a)) goto nomem;
        } else {
            fprintf(stderr, "ekg check: unexpected argument %s\n%s", a, USAGE);
            goto cleanup;
        }
    }
    if ((have_shapes && !shapes.n) || (have_data && !data.n)) {
        fprintf(stderr, "ekg check: --shapes and --data need at least one FILE\n%s", USAGE);
        goto cleanup;
    }
    if (have_only && !only.n) {
        fprintf(stderr, "ekg check: --only needs at least one check ID\n");
        print_checks(stderr);
        goto cleanup;
    }
    ekg_report_format fmt;
    if (ekg_shacl_format_parse(format, &fmt)) {
        fprintf(stderr, "ekg check: unknown format '%s' (text, json or turtle)\n", format);
        goto cleanup;
    }
    bool run_shacl = only.n == 0;
    for (size_t i = 0; i < only.n; i++) {
        if (!strcmp(only.v[i], "shacl")) {
            run_shacl = true;
        } else if (!ekg_checks_find(only.v[i])) {
            fprintf(stderr, "ekg check: unknown check '%s'\n", only.v[i]);
            print_checks(stderr);
            goto cleanup;
        } else if (push_arg(&domain, only.v[i])) {
            goto nomem;
        }
    }
    bool run_domain = only.n == 0 || domain.n > 0;

    /* The data: files in a memory store (with the ontology), or the store. */
    ekg_status rc;
    double t0 = seconds();
    if (have_data) {
        rc = ekg_store_open("memory:", EKG_STORE_CREATE, env->sink, &st);
        if (rc == EKG_OK) rc = load_files(st, &data, env);
        if (rc == EKG_OK && env->ontology_dir && access(env->ontology_dir, R_OK) == 0)
            rc = ekg_ontology_sync(st, env->ontology_dir, env->sink, NULL);
    } else {
        rc = ekg_cli_open_store(env, false, &st);
    }
    if (rc) goto fail;

    /* The shapes: --shapes files, or the ontology's shapes.ttl. */
    if (run_shacl) {
        rc = ekg_store_open("memory:", EKG_STORE_CREATE, env->sink, &sst);
        if (rc) goto fail;
        if (have_shapes) {
            rc = load_files(sst, &shapes, env);
        } else {
            char path[4096];
            snprintf(path, sizeof path, "%s/shapes.ttl",
                     env->ontology_dir ? env->ontology_dir : ".");
            if (access(path, R_OK) == 0) {
                rc = ekg_store_load_file(sst, path, "turtle", NULL, NULL);
            } else {
                ekg_report(env->sink, EKG_LOG_WARNING, EKG_OK, path, 0,
                           "no shapes file; SHACL validation skipped");
                run_shacl = false;
            }
        }
        if (rc) goto fail;
    }

    if (!(rep = ekg_shacl_report_new())) goto nomem;
    double t1 = seconds();
    if (run_shacl) {
        ekg_shacl_options opts = {.default_messages = true};
        if ((rc = ekg_shacl_validate(st, sst, &opts, rep, env->sink))) goto fail;
    }
    double t2 = seconds();
    if (run_domain) {
        rc = ekg_checks_run(st, domain.v, domain.n, rep, env->sink);
        if (rc) goto fail;
    }
    double t3 = seconds();
    ekg_report(env->sink, EKG_LOG_NOTE, EKG_OK, "check", 0,
               "load %.2f s, shacl %.2f s, domain checks %.2f s", t1 - t0, t2 - t1, t3 - t2);

    if (!(lc.arena = ekg_triples_new())) goto nomem;
    lc.st = st;
    fill_sources(rep, &lc);
    rc = ekg_shacl_report_write(rep, fmt, label_of, &lc, stdout);
    if (rc == EKG_OK && fflush(stdout) != 0) rc = EKG_ERR_IO;
    if (rc) {
        fprintf(stderr, "ekg check: cannot write the report: %s\n", ekg_strerror(rc));
        goto cleanup;
    }
    code = ekg_shacl_report_count_level(rep, EKG_SEV_VIOLATION) ? 1 : 0;
    goto cleanup;
nomem:
    fprintf(stderr, "ekg check: out of memory\n");
    goto cleanup;
fail:
    /* The sink has printed what failed, naming the file or store. */
    code = 2;
cleanup:
    ekg_shacl_report_free(rep);
    ekg_triples_free(lc.arena);
    ekg_store_free(sst);
    ekg_store_free(st);
    free(shapes.v);
    free(data.v);
    free(only.v);
    free(domain.v);
    return code;
}
