/* test_store.c — the store's contract: adds go to named graphs, look-ups and
 * SPARQL see them, graphs are removed whole, BDB stores persist and lock. */
#include "ekg/store.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int count_cb(void *ctx, const ekg_triple *t, const char *g)
{
    (void)t;
    (void)g;
    (*(int *)ctx)++;
    return 0;
}
static int row_cb(void *ctx, const ekg_row *r)
{
    int *n = ctx;
    (*n)++;
    CHECK(r->ncols >= 1);
    return 0;
}
static int term_cb(void *ctx, const ekg_term *t)
{
    (void)t;
    (*(int *)ctx)++;
    return 0;
}

static void add_sample(ekg_store *st, const char *graph, const char *subj)
{
    ekg_triple t[3] = {
        {ekg_iri(subj), ekg_iri(EKG_RDF_TYPE), ekg_iri(EKG_NS "Consultation")},
        {ekg_iri(subj), ekg_iri(EKG_NS "participant"), ekg_iri(EKG_ID "state/RUS")},
        {ekg_iri(subj), ekg_iri(EKG_NS "evidence"), ekg_literal("a \"quoted\" sentence", "en")},
    };
    CHECK_OK(ekg_store_add(st, graph, t, 3));
}

static void test_memory(void)
{
    ekg_store *st = NULL;
    CHECK_OK(ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st));
    add_sample(st, EKG_ID "doc/a", EKG_ID "event/1");
    add_sample(st, EKG_ID "doc/b", EKG_ID "event/2");
    size_t n = 0;
    CHECK_OK(ekg_store_size(st, &n));
    CHECK(n == 6);
    int c = 0;
    ekg_term p = ekg_iri(EKG_NS "participant");
    CHECK_OK(ekg_store_match(st, NULL, &p, NULL, NULL, count_cb, &c));
    CHECK(c == 2);
    c = 0;
    CHECK_OK(ekg_store_match(st, NULL, NULL, NULL, EKG_ID "doc/a", count_cb, &c));
    CHECK(c == 3);
    c = 0;
    ekg_term rus = ekg_iri(EKG_ID "state/RUS");
    CHECK_OK(ekg_store_sources(st, &p, &rus, term_cb, &c));
    CHECK(c == 2);
    c = 0;
    CHECK_OK(ekg_store_sparql(st, "SELECT ?e WHERE { ?e a ekg:Consultation }", row_cb, NULL, &c));
    CHECK(c == 2);
    CHECK_OK(ekg_store_remove_graph(st, EKG_ID "doc/a"));
    CHECK_OK(ekg_store_size(st, &n));
    CHECK(n == 3);
    c = 0;
    CHECK_OK(ekg_store_graphs(st, term_cb, &c));
    CHECK(c == 1);
    /* a malformed query is an error, not a crash */
    CHECK(ekg_store_sparql(st, "SELECT WHERE {", row_cb, NULL, &c) == EKG_ERR_QUERY);
    ekg_store_free(st);
}

static void test_bdb(void)
{
    char dir[] = "/tmp/ekg-test-storeXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/db", dir);
    ekg_store *st = NULL;
    CHECK(ekg_store_open(path, EKG_STORE_READONLY, NULL, &st) == EKG_ERR_NOTFOUND);
    CHECK(st == NULL);
    CHECK_OK(ekg_store_open(path, EKG_STORE_CREATE, NULL, &st));
    add_sample(st, EKG_ID "doc/a", EKG_ID "event/1");
    /* a second writer is refused while the first holds the store */
    ekg_store *other = NULL;
    CHECK(ekg_store_open(path, EKG_STORE_CREATE, NULL, &other) == EKG_ERR_BUSY);
    ekg_store_free(st);
    CHECK_OK(ekg_store_open(path, EKG_STORE_READONLY, NULL, &st));
    size_t n = 0;
    CHECK_OK(ekg_store_size(st, &n));
    CHECK(n == 3);
    ekg_store_free(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

static void test_load(void)
{
    char file[] = "/tmp/ekg-test-loadXXXXXX.nq";
    int fd = mkstemps(file, 3);
    CHECK(fd >= 0);
    const char *nq = "<http://x/a> <http://x/p> \"v\" <http://x/g1> .\n"
                     "<http://x/a> <http://x/p> \"v\" <http://x/g1> .\n"
                     "<http://x/a> <http://x/p> \"w\" .\n";
    CHECK(write(fd, nq, strlen(nq)) == (ssize_t)strlen(nq));
    close(fd);
    ekg_store *st = NULL;
    CHECK_OK(ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st));
    size_t added = 0;
    CHECK_OK(ekg_store_load_file(st, file, NULL, "http://x/default", &added));
    CHECK(added == 2);
    int c = 0;
    CHECK_OK(ekg_store_match(st, NULL, NULL, NULL, "http://x/default", count_cb, &c));
    CHECK(c == 1);
    CHECK(ekg_store_load_file(st, "/nonexistent.ttl", NULL, NULL, NULL) == EKG_ERR_IO);
    ekg_store_free(st);
    unlink(file);
}

static int lex_cb(void *ctx, const ekg_term *t)
{
    char *out = ctx;
    snprintf(out, 64, "%s|%s", t->value, t->datatype ? t->datatype : "");
    return 1;
}

/* librdf rewrites xsd:boolean literals ("1", even "none" → "true"/"false");
 * the store hands them back exactly as written. */
static void test_boolean_lexical_forms(void)
{
    ekg_store *st = NULL;
    CHECK_OK(ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st));
    const char *forms[] = {"1", "none", "true"};
    for (int i = 0; i < 3; i++) {
        char subj[32], got[64] = "";
        snprintf(subj, sizeof subj, "http://x/b%d", i);
        ekg_triple t = {ekg_iri(subj), ekg_iri("http://x/p"), ekg_typed(forms[i], EKG_XSD "boolean")};
        CHECK_OK(ekg_store_add(st, "http://x/g", &t, 1));
        ekg_term s = ekg_iri(subj), p = ekg_iri("http://x/p");
        CHECK_OK(ekg_store_targets(st, &s, &p, lex_cb, got));
        char want[64];
        snprintf(want, sizeof want, "%s|%s", forms[i], EKG_XSD "boolean");
        CHECK(strcmp(got, want) == 0);
    }
    ekg_store_free(st);
}

int main(void)
{
    test_boolean_lexical_forms();
    test_memory();
    test_bdb();
    test_load();
    return check_summary("store");
}
