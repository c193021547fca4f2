/* test_dates.c — date expressions, table-driven, with the golden test
 * ontology's month and relative-date words. */
#include "ekg/dates.h"
#include "ekg/kb.h"
#include "ekg/recognise.h"
#include "ekg/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *lang, *text, *doc_date, *want; /* want: first non-year-only date, "" = none */
} cases[] = {
    {"de", "Am 15. November fanden Konsultationen statt.", "2019-11-18", "2019-11-15"},
    {"en", "Talks were held on 18 November 2019 in Moscow.", NULL, "2019-11-18"},
    {"nl", "Op 19/06/2017 kwam de Raad bijeen.", NULL, "2017-06-19"},
    {"en", "The report of 2021-06 says so.", NULL, "2021-06"},
    {"en", "It ended on 2021-06-14.", NULL, "2021-06-14"},
    {"de", "Im Oktober 2023 fand ein Gipfel statt.", NULL, "2023-10"},
    {"fr", "Le 3 mars, les ministres se sont rencontrés.", "2021-03-05", "2021-03-03"},
    {"fr", "Le 3 mars, les ministres se sont rencontrés.", NULL, ""},
    {"ru", "3 марта 2020 года прошли консультации.", NULL, "2020-03-03"},
    {"es", "El 2 de marzo de 2021 se celebró una cumbre.", NULL, "2021-03-02"},
    {"en", "On March 2, 2021 they met.", NULL, "2021-03-02"},
    {"en", "They spoke today.", "2023-03-09", "2023-03-09"},
    {"en", "They spoke today.", NULL, ""},
    {"de", "Am Vortag trafen sie sich.", "2019-11-18", "2019-11-17"},
    {"en", "On Tuesday they met.", "2023-03-09", "2023-03-07"},
    {"en", "On Tuesday they met.", "2023-03", ""},
    {"es", "La semana pasada se reunieron.", "2021-02-15", "2021-02"},
    /* last week is 28 October - 3 November 2019: no month is certain */
    {"en", "Last week they met.", "2019-11-06", ""},
    {"en", "Last week they met.", "2019-11-20", "2019-11"},
    /* next week: the month a week on (what it dates is planned) */
    {"en", "They meet next week.", "2021-11-26", "2021-12"},
    /* this week, up to the document's day (Monday 1 - Wednesday 3 June) */
    {"de", "Diese Woche trafen sie sich.", "2020-06-03", "2020-06"},
    {"de", "Wien (awö, 19.6.2015)", NULL, "2015-06-19"},
    /* a December date in a January document is last year's */
    {"en", "On 28 December the talks ended.", "2020-01-05", "2019-12-28"},
    {"en", "No date here at all.", "2020-01-05", ""},
};

int main(void)
{
    ekg_kb *kb = NULL;
    if (ekg_kb_load(EKG_SOURCE_DIR "/tests/golden/extract/ontology", NULL, &kb) != EKG_OK) {
        fprintf(stderr, "cannot load the test ontology\n");
        return 1;
    }
    int fails = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ekg_text *t = NULL;
        ekg_mention *m = NULL;
        size_t nm = 0, nd = 0;
        ekg_date_span *d = NULL;
        ekg_date doc = {0, 0, 0};
        if (cases[i].doc_date) ekg_date_parse_iso(cases[i].doc_date, &doc);
        if (ekg_text_split(cases[i].text, strlen(cases[i].text), cases[i].lang, &t) != EKG_OK ||
            ekg_recognise(kb, t, cases[i].lang, &m, &nm) != EKG_OK ||
            ekg_dates_find(t, m, nm, cases[i].doc_date ? &doc : NULL, &d, &nd) != EKG_OK) {
            fprintf(stderr, "case %zu: error\n", i);
            fails++;
        } else {
            char got[16] = "";
            for (size_t k = 0; k < nd; k++)
                if (!d[k].year_only) {
                    ekg_date_format(&d[k].date, got, sizeof got);
                    break;
                }
            if (strcmp(got, cases[i].want) != 0) {
                fprintf(stderr, "case %zu (%s, doc %s): got '%s', want '%s'\n", i, cases[i].text,
                        cases[i].doc_date ? cases[i].doc_date : "-", got, cases[i].want);
                fails++;
            }
        }
        free(d);
        free(m);
        ekg_text_free(t);
    }
    /* ISO parsing and formatting */
    ekg_date x;
    char buf[16];
    if (!ekg_date_parse_iso("2024-02-29T10:00", &x) || x.d != 29 || ekg_date_parse_iso("2023-02-29", &x) ||
        ekg_date_parse_iso("20a4", &x) || !ekg_date_parse_iso("'2021-06-14'", &x) ||
        strcmp(ekg_date_format(&(ekg_date){2021, 6, 0}, buf, sizeof buf), "http://www.w3.org/2001/XMLSchema#gYearMonth") != 0) {
        fprintf(stderr, "iso parsing/formatting\n");
        fails++;
    }
    ekg_kb_free(kb);
    ekg_kb_free(NULL);
    if (fails) fprintf(stderr, "%d failures\n", fails);
    return fails ? 1 : 0;
}
