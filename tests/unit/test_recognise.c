/* test_recognise.c — recognition: longest match, whole words, compounds,
 * adjective endings, stems, acronyms only in upper case, language of forms. */
#include "ekg/recognise.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;

/* The mentions of text as "iri-suffix" words joined by spaces, into got;
 * -1 on error. */
static int describe(const ekg_kb *kb, const char *lang, const char *text, char *got, size_t cap)
{
    ekg_text *t = NULL;
    ekg_mention *m = NULL;
    size_t n = 0;
    got[0] = 0;
    if (ekg_text_split(text, strlen(text), lang, &t) != EKG_OK || ekg_recognise(kb, t, lang, &m, &n) != EKG_OK) {
        ekg_text_free(t);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *iri = m[i].ent ? m[i].ent->iri : m[i].lex->iri;
        const char *s = strrchr(iri, '/');
        const char *h = strrchr(iri, '#');
        s = h > s ? h : s;
        size_t l = strlen(got);
        snprintf(got + l, cap - l, "%s%s", l ? " " : "", s + 1);
    }
    free(m);
    ekg_text_free(t);
    return 0;
}

static void run(const ekg_kb *kb, const char *lang, const char *text, const char *want)
{
    char got[1024];
    if (describe(kb, lang, text, got, sizeof got)) {
        fprintf(stderr, "error on %s\n", text);
        fails++;
        return;
    }
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s: got '%s', want '%s'\n", text, got, want);
        fails++;
    }
}

/* Recognition in a new thread, whose table of token ids starts empty. */
typedef struct {
    const ekg_kb *kb;
    const char *lang, *text;
    char got[1024];
    int rc;
} fresh_job;

static void *fresh_run(void *p)
{
    fresh_job *j = p;
    j->rc = describe(j->kb, j->lang, j->text, j->got, sizeof j->got);
    return NULL;
}

/* The thread's table of token ids (kept across calls, by form and stem
 * language, for one kb) must not change what is found: the same text in
 * this thread, after others, finds what a fresh thread finds. */
static void same_as_fresh(const ekg_kb *kb, const char *lang, const char *text)
{
    fresh_job j = {.kb = kb, .lang = lang, .text = text};
    pthread_t th;
    char got[1024];
    if (pthread_create(&th, NULL, fresh_run, &j) != 0 || pthread_join(th, NULL) != 0 || j.rc ||
        describe(kb, lang, text, got, sizeof got)) {
        fprintf(stderr, "error on %s\n", text);
        fails++;
        return;
    }
    if (strcmp(got, j.got) != 0) {
        fprintf(stderr, "%s (%s): after other texts '%s', fresh '%s'\n", text, lang ? lang : "-", got, j.got);
        fails++;
    }
}

static void cache_checks(const ekg_kb *kb)
{
    /* one word, stemmed in one language, by another stemmer in another, not
     * at all without a language or in lower case */
    static const char *langs[] = {"de", "en", NULL, "ru", "de", "fr", NULL, "de"};
    static const char *texts[] = {"Russlands Präsident traf Frankreichs Minister.",
                                  "russlands präsident traf frankreichs minister.",
                                  "Die Russlands Konsultationen in Moskau.",
                                  "Переговоры в Москве: Россия и Китай.",
                                  "Министры России и Франции; министры россии.",
                                  "France supports the Paris Call for Trust and Security in Cyberspace."};
    for (size_t r = 0; r < 2; r++)
        for (size_t l = 0; l < sizeof langs / sizeof *langs; l++)
            for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) same_as_fresh(kb, langs[l], texts[i]);
}

/* ekg_kb_objects: the objects of (s, p) in file order, whatever string
 * holds p (a predicate is compared as the kb's one copy of it); none for a
 * predicate no triple has. */
static void objects(const ekg_kb *kb)
{
    char p[128];
    const char *o[16];
    snprintf(p, sizeof p, "%s", "http://www.w3.org/2004/02/skos/core#altLabel");
    size_t n = ekg_kb_objects(kb, "https://w3id.org/ekg/id/state/RUS", p, o, 16);
    if (n != 4 || strcmp(o[0], "Russian Federation") != 0 || strcmp(o[3], "Russlands") != 0) {
        fprintf(stderr, "objects: %zu altLabels of RUS\n", n);
        fails++;
    }
    n = ekg_kb_objects(kb, "https://w3id.org/ekg/id/state/RUS", "https://w3id.org/ekg/ns#code", o, 16);
    if (n != 1 || strcmp(o[0], "RUS") != 0) fprintf(stderr, "objects: code of RUS\n"), fails++;
    /* a predicate of the kb that this subject has not */
    if (ekg_kb_objects(kb, "https://w3id.org/ekg/id/state/RUS", "http://www.w3.org/2004/02/skos/core#hiddenLabel", o, 16) != 0)
        fprintf(stderr, "objects: hiddenLabel of RUS\n"), fails++;
    if (ekg_kb_objects(kb, "https://w3id.org/ekg/id/place/moscow", "http://www.w3.org/2004/02/skos/core#hiddenLabel", o, 16) != 1)
        fprintf(stderr, "objects: hiddenLabel of moscow\n"), fails++;
    p[strlen(p) - 1] = 'X'; /* no such predicate */
    if (ekg_kb_objects(kb, "https://w3id.org/ekg/id/state/RUS", p, o, 16) != 0) fprintf(stderr, "objects: X\n"), fails++;
    if (ekg_kb_objects(kb, "https://w3id.org/ekg/id/state/XXX", "https://w3id.org/ekg/ns#code", o, 16) != 0)
        fprintf(stderr, "objects: XXX\n"), fails++;
}

/* ekg_kb_in_word_set: a folded word of a word set, in the document's
 * language (or any); word sets make no mentions. */
static void word_sets(const ekg_kb *kb)
{
    const char *loc = "https://w3id.org/ekg/ns#LocativeWords";
    if (!ekg_kb_in_word_set(kb, loc, "en", "in") || !ekg_kb_in_word_set(kb, loc, "ru", "в") ||
        !ekg_kb_in_word_set(kb, loc, "fr-FR", "dans") || !ekg_kb_in_word_set(kb, loc, NULL, "im"))
        fprintf(stderr, "word sets: a locative word not found\n"), fails++;
    if (ekg_kb_in_word_set(kb, loc, "en", "dans") || ekg_kb_in_word_set(kb, loc, "en", "berlin") ||
        ekg_kb_in_word_set(kb, "https://w3id.org/ekg/ns#NoSuchSet", NULL, "in"))
        fprintf(stderr, "word sets: a word found in the wrong set or language\n"), fails++;
    if (!ekg_kb_in_word_set(kb, "https://w3id.org/ekg/ns#DefiniteArticles", NULL, "het"))
        fprintf(stderr, "word sets: article\n"), fails++;
    ekg_mention *m = NULL;
    size_t nm = 0;
    ekg_text *t = NULL;
    const char *s = "Die Minister trafen sich in Berlin.";
    if (ekg_text_split(s, strlen(s), "de", &t) == EKG_OK && ekg_recognise(kb, t, "de", &m, &nm) == EKG_OK)
        for (size_t i = 0; i < nm; i++)
            if (m[i].tok0 == 4) fprintf(stderr, "word sets: 'in' made a mention\n"), fails++;
    free(m);
    ekg_text_free(t);
}

int main(void)
{
    ekg_kb *kb = NULL;
    /* the kb built from its files, then read back from its cached image */
    char cache[] = "/tmp/ekg-test-recognise-XXXXXX";
    if (!mkdtemp(cache)) return 1;
    setenv("EKG_KB_CACHE", cache, 1);
    for (int pass = 0; pass < 2; pass++) {
        if (ekg_kb_load(EKG_SOURCE_DIR "/tests/golden/extract/ontology", NULL, &kb) != EKG_OK) return 1;
        objects(kb);
        word_sets(kb);
        ekg_kb_free(kb);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", cache);
    unsetenv("EKG_KB_CACHE");
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
    run(kb, "ru", "Министры России и Франции", "RUS FRA");
    cache_checks(kb);
    /* another kb (maybe at the same address): its own ids, none of the first's */
    ekg_kb_free(kb);
    kb = NULL;
    if (ekg_kb_load(EKG_SOURCE_DIR "/ontology", NULL, &kb) != EKG_OK) return 1;
    cache_checks(kb);
    ekg_kb_free(kb);
    kb = NULL;
    if (ekg_kb_load(EKG_SOURCE_DIR "/tests/golden/extract/ontology", NULL, &kb) != EKG_OK) return 1;
    cache_checks(kb);
    run(kb, "en", "They met in Paris.", "meet paris");
    ekg_kb_free(kb);
    if (fails) fprintf(stderr, "%d failures\n", fails);
    return fails ? 1 : 0;
}
