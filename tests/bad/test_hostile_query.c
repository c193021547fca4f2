/* test_hostile_query.c — hostile query text through the library
 * (ekg_session_explain/run over a memory: store holding the ontology and a
 * few events), independent of the CLI:
 *   - every query ends in EKG_OK or a clean error status, never a crash;
 *   - no user string reaches compiled SPARQL: a payload marker never appears
 *     in an explained plan of a sentence, path, neighbors, timeline or
 *     describe query (only `sparql …` passes text through, by design);
 *   - 1 MB queries and 10,000-deep nesting/quotes end cleanly.
 * Argument: the ontology directory. */
#include "ekg/ontology.h"
#include "ekg/query.h"
#include "ekg/result.h"
#include "ekg/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed, passed;
#define CHECK(c, ...)                                                                      \
    do {                                                                                   \
        if (c) passed++;                                                                   \
        else {                                                                             \
            failed++;                                                                      \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                           \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
        }                                                                                  \
    } while (0)

static size_t ndiags;
static void count(void *ctx, const ekg_diag *d)
{
    (void)ctx;
    if (d->level == EKG_LOG_ERROR) ndiags++;
}

static int clean(ekg_status s)
{
    return s == EKG_OK || s == EKG_ERR_PARSE || s == EKG_ERR_QUERY || s == EKG_ERR_NOTFOUND ||
           s == EKG_ERR_LIMIT || s == EKG_ERR_ARG || s == EKG_ERR_UNSUPPORTED;
}

/* Markers inside the payloads: none may reach a compiled plan. */
static const char *const MARKERS[] = {"DROP", "{ ?s ?p ?o }", "EKGMARK", "INSERT", "<a> <b>", "<http://x>", NULL};

static const char *const PAYLOADS[] = {
    "x\\\" } ; DROP",
    "Russia\" UNION { ?s ?p ?o }",
    "EKGMARK\" . } INSERT DATA { <a> <b> <c> } #",
    "EKGMARK> } UNION { ?s ?p ?o",
    "EKGMARK\\",
    "EKGMARK\nUNION { ?s ?p ?o }",
    "EKGMARK}}}}",
    "EKGMARK'''\"\"\" DROP",
    "EKGMARK\\u0022 UNION",
    "EKGMARK<http://x> DROP",
    NULL};

/* Templates: %s is replaced by the payload, quoted as the language writes it. */
static const char *const TEMPLATES[] = {
    "\"%s\" met whom",
    "who met \"%s\"",
    "who met whom at \"%s\"",
    "who met whom forum \"%s\"",
    "exactly \"%s\" signed what",
    "timeline \"%s\"",
    "describe \"%s\"",
    "neighbors \"%s\"",
    "path \"%s\" to Russia",
    "path Russia to \"%s\"",
    "who met whom since %s",
    "%s met whom",
    "who %s whom",
    "who met whom order by %s",
    NULL};

static void one(ekg_session *ss, const char *q, int check_markers)
{
    char *plan = NULL;
    ekg_status s = ekg_session_explain(ss, q, &plan);
    CHECK(clean(s), "explain of %.80s…: status %s", q, ekg_strerror(s));
    if (s == EKG_OK && plan && check_markers)
        for (size_t i = 0; MARKERS[i]; i++)
            CHECK(!strstr(plan, MARKERS[i]), "plan of [%.100s] contains %s:\n%.600s", q,
                  MARKERS[i], plan);
    free(plan);
    for (int pk = 0; pk < 3; pk++) {
        ekg_session_set_plan(ss, (ekg_plan_kind)pk);
        ekg_result *r = NULL;
        s = ekg_session_run(ss, q, &r);
        CHECK(clean(s), "run (plan %d) of %.80s…: status %s", pk, q, ekg_strerror(s));
        ekg_result_free(r);
    }
    ekg_session_set_plan(ss, EKG_PLAN_AUTO);
}

static char *repeat(const char *pre, const char *unit, size_t n, const char *post)
{
    size_t u = strlen(unit), a = strlen(pre), b = strlen(post);
    char *s = malloc(a + u * n + b + 1);
    if (!s) abort();
    memcpy(s, pre, a);
    for (size_t i = 0; i < n; i++) memcpy(s + a + i * u, unit, u);
    memcpy(s + a + u * n, post, b + 1);
    return s;
}

int main(int argc, char **argv)
{
    const char *onto = argc > 1 ? argv[1] : "ontology";
    ekg_sink sink = {count, NULL};
    ekg_store *st = NULL;
    if (ekg_store_open("memory:", EKG_STORE_CREATE, &sink, &st) != EKG_OK) return 1;
    bool reloaded;
    if (ekg_ontology_sync(st, onto, &sink, &reloaded) != EKG_OK) {
        fprintf(stderr, "cannot load the ontology from %s\n", onto);
        return 1;
    }
    ekg_session *ss = NULL;
    if (ekg_session_new(st, &sink, &ss) != EKG_OK) return 1;

    char q[4096];
    for (size_t t = 0; TEMPLATES[t]; t++)
        for (size_t p = 0; PAYLOADS[p]; p++) {
            snprintf(q, sizeof q, TEMPLATES[t], PAYLOADS[p]);
            one(ss, q, 1);
        }
    /* raw payloads as whole queries */
    for (size_t p = 0; PAYLOADS[p]; p++) one(ss, PAYLOADS[p], 1);

    /* big and deep */
    char *s;
    s = repeat("who met \"", "Russia ", 150000, "\""); /* ≈ 1 MB */
    one(ss, s, 1);
    free(s);
    s = repeat("", "Russia met France ", 60000, ""); /* ≈ 1 MB of words */
    one(ss, s, 1);
    free(s);
    s = repeat("who met ", "(", 10000, "Russia");
    one(ss, s, 1);
    free(s);
    s = repeat("who met ", "\"", 10000, "");
    one(ss, s, 1);
    free(s);
    s = repeat("who met ", "\\\"", 10000, "");
    one(ss, s, 1);
    free(s);
    s = repeat("path Russia to France via ", "met, ", 20000, "met");
    one(ss, s, 1);
    free(s);
    s = repeat("sparql SELECT * WHERE ", "{", 10000, "");
    one(ss, s, 0);
    free(s);
    s = repeat("sparql SELECT * WHERE { ?s ?p ?o FILTER(", "(", 10000, "1");
    one(ss, s, 0);
    free(s);
    one(ss, "", 1);
    one(ss, "\"", 1);
    one(ss, "\\", 1);
    one(ss, "who met whom limit 99999999999999999999999", 1);
    one(ss, "path Russia to France max 2147483648", 1);
    one(ss, "neighbors Russia depth 99999999", 1);
    one(ss, "who met whom confidence > 1e999", 1);
    one(ss, "who met whom since 99999-99-99 until -1", 1);

    ekg_session_free(ss);
    ekg_store_free(st);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
