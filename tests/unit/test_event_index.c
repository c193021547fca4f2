/* test_event_index.c — the event index's contract: built from the fixture it
 * holds every event with its roles and facts, in IRI order, with adjacency
 * and facts about its strings; a BDB generation keeps it as a file that a
 * later open maps back (same content, same query results); a torn, foreign or
 * stale file is rebuilt, never trusted. */
#include "ekg/event_index.h"
#include "ekg/format.h"
#include "ekg/query.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef EKG_SOURCE_DIR
#define EKG_SOURCE_DIR "."
#endif
#define FIXTURE EKG_SOURCE_DIR "/tests/golden/query/fixture.nq"

static bool has_value(const ekg_event_index *x, uint32_t ev, ekg_evidx_role r, const char *want)
{
    const uint32_t *v;
    size_t n = ekg_event_index_values(x, ev, r, &v);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ekg_event_index_string(x, EKG_EVIDX_VAL(v, i)), want)) return true;
    return false;
}

/* What the fixture's consultation in Moscow must look like. */
static void check_content(const ekg_event_index *x)
{
    uint32_t nev = ekg_event_index_nevents(x), nstr = ekg_event_index_nstrings(x);
    CHECK(nev >= 8);
    /* Strings and events are in strcmp order. */
    for (uint32_t i = 1; i < nstr; i++)
        CHECK(strcmp(ekg_event_index_string(x, i - 1), ekg_event_index_string(x, i)) < 0);
    for (uint32_t e = 1; e < nev; e++)
        CHECK(ekg_event_index_event_iri(x, e - 1) < ekg_event_index_event_iri(x, e));
    /* Every predicate of the store, once, ascending, as IRIs. */
    const uint32_t *preds;
    size_t np = ekg_event_index_predicates(x, &preds);
    bool has_type = false, has_part = false, has_evidence = false;
    for (size_t i = 0; i < np; i++) {
        const char *p = ekg_event_index_string(x, preds[i]);
        CHECK(p[0] == 'I' && (i == 0 || preds[i - 1] < preds[i]));
        has_type |= !strcmp(p + 1, EKG_RDF_TYPE);
        has_part |= !strcmp(p + 1, EKG_NS "participant");
        has_evidence |= !strcmp(p + 1, EKG_NS "evidence"); /* literals only */
    }
    CHECK(np >= 10 && has_type && has_part && has_evidence);
    uint32_t rus, fra, moscow;
    CHECK(ekg_event_index_find(x, EKG_TERM_IRI, EKG_ID "state/RUS", &rus));
    CHECK(ekg_event_index_find(x, EKG_TERM_IRI, EKG_ID "state/FRA", &fra));
    CHECK(ekg_event_index_find(x, EKG_TERM_IRI, EKG_ID "place/moscow", &moscow));
    uint32_t none;
    CHECK(!ekg_event_index_find(x, EKG_TERM_IRI, EKG_ID "state/ZZZ", &none));
    CHECK(!ekg_event_index_find(x, EKG_TERM_LITERAL, EKG_ID "state/RUS", &none));
    /* An event where Russia and France take part, in Moscow, on 2019-11-15. */
    const uint32_t *ent;
    size_t k = ekg_event_index_events_of(x, rus, &ent);
    CHECK(k >= 2);
    bool found = false;
    for (size_t i = 0; i < k; i++) {
        CHECK(i == 0 || EKG_EVIDX_ADJ_EVENT(ent[i - 1]) <= EKG_EVIDX_ADJ_EVENT(ent[i]));
        uint32_t ev = EKG_EVIDX_ADJ_EVENT(ent[i]);
        ekg_evidx_role r = EKG_EVIDX_ADJ_ROLE(ent[i]);
        CHECK(r >= EKG_EVIDX_AGENT && r <= EKG_EVIDX_TARGET);
        CHECK(has_value(x, ev, r, "I" EKG_ID "state/RUS"));
        if (has_value(x, ev, EKG_EVIDX_PARTICIPANT, "I" EKG_ID "state/FRA") &&
            has_value(x, ev, EKG_EVIDX_PLACE, "I" EKG_ID "place/moscow")) {
            found = true;
            CHECK(has_value(x, ev, EKG_EVIDX_TYPE, "I" EKG_NS "Consultation"));
            CHECK(has_value(x, ev, EKG_EVIDX_DATE, "L2019-11-15"));
            uint32_t back;
            const char *iri = ekg_event_index_string(x, ekg_event_index_event_iri(x, ev)) + 1;
            CHECK(ekg_event_index_event_find(x, iri, &back) && back == ev);
        }
    }
    CHECK(found);
    CHECK(!ekg_event_index_event_find(x, EKG_ID "state/RUS", &none)); /* an actor, not an event */
    /* Facts about strings: Russia's type and labels, Lavrov's side. */
    const uint32_t *v;
    size_t n = ekg_event_index_entity_values(x, rus, EKG_EVIDX_E_TYPE, &v);
    bool state = false;
    for (size_t i = 0; i < n; i++)
        state |= !strcmp(ekg_event_index_string(x, EKG_EVIDX_VAL(v, i)), "I" EKG_NS "State");
    CHECK(state);
    n = ekg_event_index_entity_values(x, rus, EKG_EVIDX_E_PREFLABEL, &v);
    bool en = false;
    for (size_t i = 0; i < n; i++)
        en |= !strcmp(ekg_event_index_string(x, EKG_EVIDX_VAL(v, i)), "Ten\tRussia");
    CHECK(en);
    uint32_t lavrov;
    CHECK(ekg_event_index_find(x, EKG_TERM_IRI, EKG_ID "person/sergey-lavrov", &lavrov));
    n = ekg_event_index_entity_values(x, lavrov, EKG_EVIDX_E_REPRESENTS, &v);
    CHECK(n == 1 && EKG_EVIDX_VAL(v, 0) == rus);
    CHECK(ekg_event_index_entity_values(x, nstr + 5, EKG_EVIDX_E_TYPE, &v) == 0);
    /* Links: Lavrov represents Russia (out of Lavrov, into Russia); no rdf:type. */
    uint32_t rep;
    CHECK(ekg_event_index_find(x, EKG_TERM_IRI, EKG_NS "represents", &rep));
    const uint32_t *pr;
    n = ekg_event_index_links(x, lavrov, true, &pr);
    bool out = false;
    for (size_t i = 0; i < n; i++) {
        out |= pr[2 * i] == rep && pr[2 * i + 1] == rus;
        CHECK(strcmp(ekg_event_index_string(x, pr[2 * i]), "I" EKG_RDF_TYPE) != 0);
        CHECK(i == 0 || pr[2 * i - 2] < pr[2 * i] ||
              (pr[2 * i - 2] == pr[2 * i] && pr[2 * i - 1] < pr[2 * i + 1]));
    }
    CHECK(out);
    n = ekg_event_index_links(x, rus, false, &pr);
    bool in = false;
    for (size_t i = 0; i < n; i++) in |= pr[2 * i] == rep && pr[2 * i + 1] == lavrov;
    CHECK(in);
    CHECK(ekg_event_index_links(x, nstr, true, &pr) == 0);
    CHECK(!strcmp(ekg_event_index_predicate(EKG_EVIDX_PLACE), EKG_NS "place"));
    CHECK(ekg_event_index_predicate(EKG_EVIDX_NROLES) == NULL);
    CHECK(!strcmp(ekg_event_index_eproperty(EKG_EVIDX_E_REPRESENTS), EKG_NS "represents"));
}

static char *run(ekg_store *st, const char *q)
{
    ekg_session *s = NULL;
    ekg_result *r = NULL;
    char *buf = NULL;
    size_t len = 0;
    if (ekg_session_new(st, NULL, &s)) return strdup("(no session)");
    FILE *out = open_memstream(&buf, &len);
    if (ekg_session_run(s, q, &r) == EKG_OK)
        ekg_format_find("json")->write(r, out);
    else
        fputs("(failed)", out);
    fclose(out);
    ekg_result_free(r);
    ekg_session_free(s);
    return buf;
}

static void test_memory(void)
{
    ekg_store *st = NULL;
    CHECK_OK(ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st));
    CHECK_OK(ekg_store_load_file(st, FIXTURE, NULL, NULL, NULL));
    CHECK(ekg_store_cache_dir(st) == NULL);
    ekg_event_index *x = NULL;
    CHECK_OK(ekg_event_index_open(st, NULL, &x));
    if (x) {
        check_content(x);
        ekg_evidx_info info;
        ekg_event_index_info(x, &info);
        CHECK(!info.from_cache && info.events == ekg_event_index_nevents(x) && info.bytes > 0);
        /* save + load round trip (generation 0 for a memory store) */
        char file[] = "/tmp/ekg-test-evidxXXXXXX";
        int fd = mkstemp(file);
        CHECK(fd >= 0);
        close(fd);
        CHECK_OK(ekg_event_index_save(x, file, NULL));
        ekg_event_index *y = NULL;
        CHECK_OK(ekg_event_index_load(file, 0, NULL, &y));
        if (y) {
            check_content(y);
            ekg_event_index_info(y, &info);
            CHECK(info.from_cache);
        }
        ekg_event_index_free(y);
        y = NULL;
        CHECK(ekg_event_index_load(file, 7, NULL, &y) == EKG_ERR_PARSE); /* another generation */
        CHECK(y == NULL);
        /* The verdict of a whole check is kept beside the file (file.ok) once
         * the file is 2 s old; then the unchanged file maps unread, and a
         * change to it, even in place, brings the whole check back. */
        char okfile[sizeof file + 8];
        snprintf(okfile, sizeof okfile, "%s.ok", file);
        CHECK_OK(ekg_event_index_load(file, 0, NULL, &y));
        if (y) {
            ekg_event_index_info(y, &info);
            CHECK(info.checked && access(okfile, F_OK) != 0); /* too new to vouch for */
        }
        ekg_event_index_free(y);
        y = NULL;
        sleep(3);
        CHECK_OK(ekg_event_index_load(file, 0, NULL, &y));
        if (y) {
            ekg_event_index_info(y, &info);
            CHECK(info.checked && access(okfile, F_OK) == 0);
        }
        ekg_event_index_free(y);
        y = NULL;
        CHECK_OK(ekg_event_index_load(file, 0, NULL, &y));
        if (y) {
            ekg_event_index_info(y, &info);
            CHECK(info.from_cache && !info.checked);
            check_content(y);
        }
        ekg_event_index_free(y);
        y = NULL;
        CHECK(ekg_event_index_load(file, 7, NULL, &y) == EKG_ERR_PARSE); /* still: the generation */
        {
            FILE *f = fopen(file, "r+b");
            CHECK(f != NULL);
            if (f) {
                unsigned char junk[4] = {0xff, 0xff, 0xff, 0x7f};
                fseek(f, 64 + 4, SEEK_SET); /* str_off[1], in place */
                fwrite(junk, 1, 4, f);
                fclose(f);
            }
            CHECK(ekg_event_index_load(file, 0, NULL, &y) == EKG_ERR_PARSE);
        }
        /* a torn file */
        CHECK(truncate(file, (off_t)(info.bytes - 3)) == 0);
        CHECK(ekg_event_index_load(file, 0, NULL, &y) == EKG_ERR_PARSE);
        /* a corrupted offset */
        CHECK_OK(ekg_event_index_save(x, file, NULL));
        FILE *f = fopen(file, "r+b");
        CHECK(f != NULL);
        if (f) {
            unsigned char junk[4] = {0xff, 0xff, 0xff, 0x7f};
            fseek(f, 64 + 4, SEEK_SET); /* str_off[1] */
            fwrite(junk, 1, 4, f);
            fclose(f);
        }
        CHECK(ekg_event_index_load(file, 0, NULL, &y) == EKG_ERR_PARSE);
        /* not an index at all */
        f = fopen(file, "w");
        if (f) {
            fputs("hello", f);
            fclose(f);
        }
        CHECK(ekg_event_index_load(file, 0, NULL, &y) == EKG_ERR_PARSE);
        CHECK(ekg_event_index_load("/nonexistent/events.idx", 0, NULL, &y) == EKG_ERR_NOTFOUND);
        unlink(file);
        unlink(okfile);
    }
    ekg_event_index_free(x);
    ekg_event_index_free(NULL);
    ekg_store_free(st);
}

static void test_bdb_cache(void)
{
    char dir[] = "/tmp/ekg-test-evidx-dbXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], idx[512];
    snprintf(path, sizeof path, "%s/db", dir);
    ekg_store *st = NULL;
    CHECK_OK(ekg_store_open(path, EKG_STORE_CREATE, NULL, &st));
    CHECK_OK(ekg_store_load_file(st, FIXTURE, NULL, NULL, NULL));
    CHECK(ekg_store_cache_dir(st) == NULL); /* a writer */
    char *in_writer = run(st, "Russia met whom when");
    ekg_store_free(st);

    CHECK_OK(ekg_store_open(path, EKG_STORE_READONLY, NULL, &st));
    const char *cache = ekg_store_cache_dir(st);
    CHECK(cache != NULL);
    snprintf(idx, sizeof idx, "%s/.events.idx", cache ? cache : "");
    CHECK(access(idx, F_OK) != 0);
    char *built = run(st, "Russia met whom when"); /* builds and saves */
    CHECK(access(idx, F_OK) == 0);
    char *mapped = run(st, "Russia met whom when"); /* maps */
    ekg_event_index *x = NULL;
    CHECK_OK(ekg_event_index_open(st, NULL, &x));
    if (x) {
        ekg_evidx_info info;
        ekg_event_index_info(x, &info);
        CHECK(info.from_cache);
        check_content(x);
    }
    ekg_event_index_free(x);
    CHECK(!strcmp(in_writer, built));
    CHECK(!strcmp(built, mapped));
    CHECK(strstr(built, "United States") != NULL);
    /* A damaged cache is rebuilt (and rewritten). */
    FILE *f = fopen(idx, "w");
    if (f) {
        fputs("EKGEVIX garbage", f);
        fclose(f);
    }
    char *rebuilt = run(st, "Russia met whom when");
    CHECK(!strcmp(built, rebuilt));
    x = NULL;
    CHECK_OK(ekg_event_index_load(idx, ekg_store_generation(st), NULL, &x));
    ekg_event_index_free(x);
    free(in_writer);
    free(built);
    free(mapped);
    free(rebuilt);
    ekg_store_free(st);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

/* An empty store has an empty index, and queries over it find nothing. */
static void test_empty(void)
{
    ekg_store *st = NULL;
    CHECK_OK(ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st));
    ekg_event_index *x = NULL;
    CHECK_OK(ekg_event_index_build(st, NULL, &x));
    if (x) {
        CHECK(ekg_event_index_nevents(x) == 0);
        uint32_t id;
        CHECK(!ekg_event_index_event_find(x, EKG_ID "event/1", &id));
        const uint32_t *e;
        CHECK(ekg_event_index_events_of(x, 0, &e) == 0);
    }
    ekg_event_index_free(x);
    ekg_store_free(st);
}

int main(void)
{
    test_empty();
    test_memory();
    test_bdb_cache();
    return check_summary("test_event_index");
}
