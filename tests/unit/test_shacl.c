/* test_shacl.c — the SHACL and checks API: NULL-safety, the report type,
 * formats, paths in SPARQL syntax, a small validation, the checks table. */
#include "ekg/checks.h"
#include "ekg/shacl.h"
#include "ekg/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);     \
            failures++;                                                                  \
        }                                                                                \
    } while (0)

static const char TTL[] =
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix ex: <http://example.org/> .\n"
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ;\n"
    "  sh:property [ sh:path ( ex:p [ sh:zeroOrMorePath [ sh:inversePath ex:q ] ] ) ;\n"
    "                sh:minCount 1 ] ;\n"
    "  sh:property [ sh:path [ sh:alternativePath ( ex:a ex:b ) ] ; sh:maxCount 1 ;\n"
    "                sh:pattern \"^x\" ; sh:flags \"i\" ] .\n"
    "ex:D rdfs:subClassOf ex:C .\n"
    "ex:n1 a ex:D ; ex:p ex:m ; ex:a \"X1\" .\n"
    "ex:n2 a ex:C ; ex:a \"y\" ; ex:b \"x\" .\n";

static ekg_store *load_string(const char *text)
{
    char path[] = "/tmp/test_shacl_XXXXXX.ttl";
    int fd = mkstemps(path, 4);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "w");
    fputs("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n", f);
    fputs(text, f);
    fclose(f);
    ekg_store *st = NULL;
    if (ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st) == EKG_OK &&
        ekg_store_load_file(st, path, "turtle", NULL, NULL) != EKG_OK) {
        ekg_store_free(st);
        st = NULL;
    }
    unlink(path);
    return st;
}

int main(void)
{
    ekg_shacl_report_free(NULL);
    CHECK(ekg_shacl_report_conforms(NULL));
    CHECK(ekg_shacl_report_count(NULL) == 0);

    ekg_report_format fmt;
    CHECK(ekg_shacl_format_parse("turtle", &fmt) == EKG_OK && fmt == EKG_REPORT_TURTLE);
    CHECK(ekg_shacl_format_parse("json", &fmt) == EKG_OK && fmt == EKG_REPORT_JSON);
    CHECK(ekg_shacl_format_parse("yaml", &fmt) == EKG_ERR_ARG);

    CHECK(ekg_checks_count() == 5);
    CHECK(ekg_checks_find("contradiction") != NULL);
    CHECK(ekg_checks_find("nope") == NULL);

    ekg_store *st = load_string(TTL);
    CHECK(st != NULL);
    if (st) {
        ekg_shacl_report *r = ekg_shacl_report_new();
        CHECK(ekg_shacl_validate(st, st, NULL, r, NULL) == EKG_OK);
        /* n2: no ex:p (minCount), two alternatives (maxCount), "y" fails ^x/i */
        size_t n = ekg_shacl_report_count(r);
        CHECK(n == 3);
        size_t mincount = 0, maxcount = 0, pattern = 0;
        for (size_t i = 0; i < n; i++) {
            const ekg_shacl_result *x = ekg_shacl_report_at(r, i);
            CHECK(!strcmp(x->focus.value, "http://example.org/n2"));
            CHECK(x->level == EKG_SEV_VIOLATION);
            if (strstr(x->component.value, "MinCount")) {
                mincount++;
                CHECK(x->path_text &&
                      !strcmp(x->path_text,
                              "(<http://example.org/p>/^<http://example.org/q>*)"));
            }
            if (strstr(x->component.value, "MaxCount")) maxcount++;
            if (strstr(x->component.value, "Pattern")) {
                pattern++;
                CHECK(!strcmp(x->value.value, "y"));
            }
        }
        CHECK(mincount == 1 && maxcount == 1 && pattern == 1);
        CHECK(!ekg_shacl_report_conforms(r));
        FILE *devnull = fopen("/dev/null", "w");
        CHECK(ekg_shacl_report_write(r, EKG_REPORT_TURTLE, NULL, NULL, devnull) == EKG_OK);
        CHECK(ekg_shacl_report_write(r, EKG_REPORT_JSON, NULL, NULL, devnull) == EKG_OK);
        CHECK(ekg_shacl_report_write(r, EKG_REPORT_TEXT, NULL, NULL, devnull) == EKG_OK);
        fclose(devnull);

        const char *only[] = {"no-such-check"};
        CHECK(ekg_checks_run(st, only, 1, r, NULL) == EKG_ERR_ARG);
        ekg_shacl_report_free(r);
        ekg_store_free(st);
    }
    if (failures) fprintf(stderr, "test_shacl: %d failure(s)\n", failures);
    return failures ? 1 : 0;
}
