/* w3c_runner.c — runs the W3C SHACL Core test suite.
 *
 * usage: shacl_w3c MANIFEST [-v] [NAME-SUBSTRING]
 * Follows mf:include recursively; for each sht:Validate entry loads the data
 * and shapes graphs into memory: stores (one store when they are the same
 * file), validates, and compares with mf:result: same sh:conforms and a
 * one-to-one match of results on focus node, path (compared as path
 * expressions), value, severity and source constraint component.
 * Prints "N passed, M failed"; exit 1 when any failed. */
#include "ekg/shacl.h"
#include "ekg/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MF "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
#define SHT "http://www.w3.org/ns/shacl-test#"

static ekg_triples *arena; /* owns copied strings */
static int verbose;
static const char *filter;
static int passed, failed;

static void sink_fn(void *ctx, const ekg_diag *d)
{
    (void)ctx;
    if (verbose || d->level == EKG_LOG_ERROR)
        fprintf(stderr, "  %s: %s\n", d->where ? d->where : "", d->message);
}
static const ekg_sink SINK = {sink_fn, NULL};

static ekg_term own(const ekg_term *t)
{
    ekg_term c = *t;
    if (c.value) c.value = ekg_triples_intern(arena, c.value);
    if (c.lang) c.lang = ekg_triples_intern(arena, c.lang);
    if (c.datatype) c.datatype = ekg_triples_intern(arena, c.datatype);
    return c;
}

typedef struct {
    ekg_term *v;
    size_t n, cap;
} terms;

static int push_term(void *ctx, const ekg_term *t)
{
    terms *ts = ctx;
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 8;
        ts->v = realloc(ts->v, ts->cap * sizeof *ts->v);
        if (!ts->v) abort();
    }
    ts->v[ts->n++] = own(t);
    return 0;
}

static terms objs(ekg_store *st, const ekg_term *s, const char *p)
{
    terms ts = {0};
    ekg_term pt = ekg_iri(p);
    if (s->kind == EKG_TERM_IRI || s->kind == EKG_TERM_BLANK)
        ekg_store_targets(st, s, &pt, push_term, &ts);
    return ts;
}

static ekg_term obj1(ekg_store *st, const ekg_term *s, const char *p)
{
    terms ts = objs(st, s, p);
    ekg_term r = ts.n ? ts.v[0] : (ekg_term){EKG_TERM_NONE, NULL, NULL, NULL};
    free(ts.v);
    return r;
}

static terms list_items(ekg_store *st, ekg_term head)
{
    terms out = {0};
    for (int guard = 0; head.kind == EKG_TERM_BLANK && guard < 10000; guard++) {
        ekg_term f = obj1(st, &head, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first");
        if (f.kind == EKG_TERM_NONE) break;
        push_term(&out, &f);
        head = obj1(st, &head, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest");
    }
    return out;
}

static const char *iri_to_path(const char *iri)
{
    if (!strncmp(iri, "file://", 7)) return iri + 7;
    return iri;
}

/* Stores by file path, so a file shared by tests is parsed once per test. */
typedef struct {
    char *path;
    ekg_store *st;
} loaded;

static ekg_store *load(loaded *cache, size_t *n, const char *path)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(cache[i].path, path)) return cache[i].st;
    if (*n >= 16) return NULL;
    ekg_store *st = NULL;
    if (ekg_store_open("memory:", EKG_STORE_CREATE, &SINK, &st)) return NULL;
    if (ekg_store_load_file(st, path, "turtle", NULL, NULL)) {
        ekg_store_free(st);
        return NULL;
    }
    cache[*n].path = strdup(path);
    cache[*n].st = st;
    (*n)++;
    return st;
}

static bool term_eq(const ekg_term *a, const ekg_term *b, bool same_store)
{
    if (a->kind != b->kind) return false;
    if (a->kind == EKG_TERM_NONE) return true;
    if (a->kind == EKG_TERM_BLANK && !same_store) return true;
    if (strcmp(a->value, b->value)) return false;
    if (a->kind != EKG_TERM_LITERAL) return true;
    const char *la = a->lang ? a->lang : "", *lb = b->lang ? b->lang : "";
    if (strcasecmp(la, lb)) return false;
    const char *xs = "http://www.w3.org/2001/XMLSchema#string";
    const char *da = a->datatype && strcmp(a->datatype, xs) ? a->datatype : "";
    const char *db = b->datatype && strcmp(b->datatype, xs) ? b->datatype : "";
    if (a->lang || b->lang) return true;
    return !strcmp(da, db);
}

static void show_term(FILE *f, const ekg_term *t)
{
    if (t->kind == EKG_TERM_NONE)
        fputs("-", f);
    else
        ekg_term_write_nt(t, f);
}

static void show_result(const char *tag, const ekg_term *focus, const char *path,
                        const ekg_term *value, const ekg_term *sev, const ekg_term *comp)
{
    fprintf(stderr, "    %s focus=", tag);
    show_term(stderr, focus);
    fprintf(stderr, " path=%s value=", path ? path : "-");
    show_term(stderr, value);
    fprintf(stderr, " sev=");
    show_term(stderr, sev);
    fprintf(stderr, " comp=");
    show_term(stderr, comp);
    fputc('\n', stderr);
}

/* One test: returns true when it passes. */
static bool run_test(ekg_store *mst, const char *mpath, const ekg_term *entry, loaded *cache,
                     size_t *ncache)
{
    bool ok = false;
    ekg_shacl_report *rep = NULL;
    terms expected = {0};
    bool *used = NULL;
    ekg_term action = obj1(mst, entry, MF "action");
    ekg_term dg = obj1(mst, &action, SHT "dataGraph");
    ekg_term sg = obj1(mst, &action, SHT "shapesGraph");
    ekg_term result = obj1(mst, entry, MF "result");
    if (dg.kind != EKG_TERM_IRI || sg.kind != EKG_TERM_IRI || result.kind == EKG_TERM_NONE) {
        fprintf(stderr, "  malformed test entry\n");
        goto cleanup;
    }
    const char *dpath = iri_to_path(dg.value), *spath = iri_to_path(sg.value);
    ekg_store *data = !strcmp(dpath, mpath) ? mst : load(cache, ncache, dpath);
    ekg_store *shapes = !strcmp(spath, mpath) ? mst : load(cache, ncache, spath);
    if (!data || !shapes) goto cleanup;
    rep = ekg_shacl_report_new();
    if (!rep) goto cleanup;
    if (ekg_shacl_validate(data, shapes, NULL, rep, &SINK)) {
        fprintf(stderr, "  validation failed with an error\n");
        goto cleanup;
    }
    ekg_term conf = obj1(mst, &result, EKG_SH "conforms");
    bool want_conforms = conf.kind == EKG_TERM_LITERAL && !strcmp(conf.value, "true");
    bool got_conforms = ekg_shacl_report_conforms(rep);
    size_t n = ekg_shacl_report_count(rep);
    expected = objs(mst, &result, EKG_SH "result");
    used = calloc(n + 1, sizeof *used);
    bool all = want_conforms == got_conforms && expected.n == n;
    bool same_store = data == mst;
    for (size_t i = 0; i < expected.n; i++) {
        ekg_term *er = &expected.v[i];
        ekg_term ef = obj1(mst, er, EKG_SH "focusNode");
        ekg_term ep = obj1(mst, er, EKG_SH "resultPath");
        ekg_term ev = obj1(mst, er, EKG_SH "value");
        ekg_term es = obj1(mst, er, EKG_SH "resultSeverity");
        ekg_term ec = obj1(mst, er, EKG_SH "sourceConstraintComponent");
        char *eptext = NULL;
        if (ep.kind != EKG_TERM_NONE) ekg_shacl_path_text(mst, &ep, &eptext);
        bool found = false;
        for (size_t j = 0; j < n && !found; j++) {
            const ekg_shacl_result *r = ekg_shacl_report_at(rep, j);
            if (used[j]) continue;
            bool path_ok = (ep.kind == EKG_TERM_NONE && r->path.kind == EKG_TERM_NONE) ||
                           (eptext && r->path_text && !strcmp(eptext, r->path_text));
            if (term_eq(&ef, &r->focus, same_store) && path_ok &&
                term_eq(&ev, &r->value, same_store) && term_eq(&es, &r->severity, true) &&
                term_eq(&ec, &r->component, true)) {
                found = used[j] = true;
            }
        }
        if (!found) {
            all = false;
            if (verbose) show_result("missing", &ef, eptext, &ev, &es, &ec);
        }
        free(eptext);
    }
    if (!all)
        fprintf(stderr, "    conforms: want %d got %d; results: want %zu got %zu%s\n",
                want_conforms, got_conforms, expected.n, n, verbose ? "" : " (-v: which)");
    if (verbose && !all) {
        for (size_t j = 0; j < n; j++) {
            const ekg_shacl_result *r = ekg_shacl_report_at(rep, j);
            if (!used[j])
                show_result("extra", &r->focus, r->path_text, &r->value, &r->severity,
                            &r->component);
        }
    }
    ok = all;
cleanup:
    free(expected.v);
    free(used);
    ekg_shacl_report_free(rep);
    return ok;
}

static void run_manifest(const char *path, int depth)
{
    if (depth > 8) return;
    ekg_store *mst = NULL;
    loaded cache[16];
    size_t ncache = 0;
    if (ekg_store_open("memory:", EKG_STORE_CREATE, &SINK, &mst) ||
        ekg_store_load_file(mst, path, "turtle", NULL, NULL)) {
        fprintf(stderr, "FAIL cannot load manifest %s\n", path);
        failed++;
        ekg_store_free(mst);
        return;
    }
    char base[4200];
    snprintf(base, sizeof base, "file://%s", path);
    ekg_term self = ekg_iri(base);
    terms inc = objs(mst, &self, MF "include");
    for (size_t i = 0; i < inc.n; i++) run_manifest(iri_to_path(inc.v[i].value), depth + 1);
    free(inc.v);
    ekg_term entries = obj1(mst, &self, MF "entries");
    terms items = list_items(mst, entries);
    for (size_t i = 0; i < items.n; i++) {
        ekg_term *e = &items.v[i];
        ekg_term type = obj1(mst, e, EKG_RDF_TYPE);
        if (type.kind != EKG_TERM_IRI || strcmp(type.value, SHT "Validate")) continue;
        if (filter && !strstr(e->value, filter)) continue;
        bool ok = run_test(mst, path, e, cache, &ncache);
        if (ok)
            passed++;
        else
            failed++;
        if (!ok || verbose) fprintf(stderr, "%s %s\n", ok ? "ok  " : "FAIL", e->value);
        /* (a failing test's reason is printed above its FAIL line) */
        /* Stores of separate files are cached per manifest only. */
    }
    free(items.v);
    for (size_t i = 0; i < ncache; i++) {
        ekg_store_free(cache[i].st);
        free(cache[i].path);
    }
    ekg_store_free(mst);
}

int main(int argc, char **argv)
{
    const char *manifest = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!manifest)
            manifest = argv[i];
        else
            filter = argv[i];
    }
    if (!manifest) {
        fprintf(stderr, "usage: shacl_w3c MANIFEST [-v] [FILTER]\n");
        return 2;
    }
    char *abs = realpath(manifest, NULL);
    if (!abs) {
        fprintf(stderr, "shacl_w3c: cannot open %s\n", manifest);
        return 2;
    }
    arena = ekg_triples_new();
    run_manifest(abs, 0);
    free(abs);
    ekg_triples_free(arena);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
