/* test_recognise.c — recognition: longest match, whole words, compounds,
 * adjective endings, stems, acronyms only in upper case, language of forms. */
#include "ekg/recognise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;

/* "iri-suffix|how" of each entity mention, and "lex-suffix" of lexicon ones,
 * joined by spaces. */
static void run(const ekg_kb *kb, const char *lang, const char *text, const char *want)
{
    ekg_text *t = NULL;
    ekg_mention *m = NULL;
    size_t n = 0;
    char got[1024] = "";
    if (ekg_text_split(text, strlen(text), lang, &t) != EKG_OK || ekg_recognise(kb, t, lang, &m, &n) != EKG_OK) {
        fprintf(stderr, "error on %s\n", text);
        fails++;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *iri = m[i].ent ? m[i].ent->iri : m[i].lex->iri;
        const char *s = strrchr(iri, '/');
        const char *h = strrchr(iri, '#');
        s = h > s ? h : s;
        size_t l = strlen(got);
        snprintf(got + l, sizeof got - l, "%s%s", l ? " " : "", s + 1);
    }
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s: got '%s', want '%s'\n", text, got, want);
        fails++;
    }
    free(m);
    ekg_text_free(t);
}

int main(void)
{
    ekg_kb *kb = NULL;
    if (ekg_kb_load(EKG_SOURCE_DIR "/tests/golden/extract/ontology", NULL, &kb) != EKG_OK) return 1;
    /* longest match: the initiative, not the city */
    run(kb, "en", "France supports the Paris Call for Trust and Security in Cyberspace.",
        "FRA endorse paris-call");
    run(kb, "en", "They met in Paris.", "meet paris");
    /* whole words only: "Parisian" is not Paris */
    run(kb, "en", "A Parisian cafe.", "");
    /* compounds split at the hyphen; adjective endings */
    run(kb, "de", "Russisch-französische Konsultationen", "RUS FRA consult");
    run(kb, "fr", "des consultations franco-russes", "consult FRA RUS");
    run(kb, "en", "the EU-US summit", "eu USA summit");
    /* acronyms only in upper case; not in shouting sentences */
    run(kb, "en", "Let us meet.", "");
    run(kb, "en", "The US met the UK.", "USA meet GBR");
    run(kb, "en", "THE US DELEGATION OF THE RUSSIAN FEDERATION", "RUS");
    /* stems for inflected names (Russian) and hidden labels */
    run(kb, "ru", "Переговоры в Москве", "meet moscow");
    run(kb, "ru", "Россия и Китай", "RUS CHN");
    /* lexicon forms only in the document's language */
    run(kb, "de", "Die Minister met", "");
    /* separable verbs: the words stand apart */
    run(kb, "de", "Am Montag fanden in Berlin Gespräche statt.", "meet berlin");
    run(kb, "en", "Foreign Minister Jan Kowalski", "title-fm");
    ekg_kb_free(kb);
    if (fails) fprintf(stderr, "%d failures\n", fails);
    return fails ? 1 : 0;
}
