/* test_text.c — tokens and sentences of ekg_text_split.
 *
 * text.c segments the easy chunks of a text itself (ASCII letters and
 * digits, punctuation that joins nothing) and hands the rest to ICU's word
 * iterator. This test checks that the tokens are exactly those of ICU's
 * iterator run over the whole text (the way text.c did before): on random
 * strings over an alphabet of every kind of character the rules treat
 * differently (joiners between letters and digits, '_', apostrophes,
 * combining marks, format characters, ZWJ, emoji, CJK, Hebrew, Cyrillic,
 * non-breaking and other spaces, controls), in several languages; and on
 * any files named on the command line (e.g. a whole corpus).
 *
 * usage: test_text [FILE...] */
#include "ekg/text.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

typedef struct {
    uint32_t start, end, flags;
    char fold[256];
} rtok;

static int is_apos(UChar c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }
static int is_alpha16(UChar c)
{
    if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    return u_isalpha(c);
}

static uint32_t case_flags(const UChar *u, int32_t b, int32_t e)
{
    int letters = 0, upper = 0, first = -1;
    for (int32_t i = b; i < e;) {
        UChar32 c;
        U16_NEXT(u, i, e, c);
        int alpha = u_isalpha(c), up = alpha && (u_isupper(c) || u_istitle(c));
        if (alpha) {
            letters++;
            if (up) upper++;
            if (first < 0) first = up;
        }
    }
    uint32_t f = 0;
    if (letters && upper == letters) f |= EKG_TOK_UPPER;
    if (first == 1) f |= EKG_TOK_CAP;
    return f;
}

/* The reference: ICU's word iterator over the whole text. */
/* s as UTF-16 in *u (malloc'd), with the byte offset of each unit's
 * character in *map (malloc'd, one more entry: len); returns the units. An
 * independent reference for text.c's own mapping, on purpose. */
static int32_t to_utf16(const char *s, size_t len, UChar **u16, uint32_t **map16)
{
    UChar *u = malloc((len + 1) * sizeof *u);
    uint32_t *map = malloc((len + 2) * sizeof *map);
    int32_t n16 = 0;
    for (size_t i = 0; i < len;) {
        size_t b = i;
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, len, c);
        if (c < 0) c = 0xFFFD;
        map[n16] = (uint32_t)b;
        if (c > 0xFFFF) {
            u[n16++] = U16_LEAD(c);
            map[n16] = (uint32_t)b;
            u[n16++] = U16_TRAIL(c);
        } else
            u[n16++] = (UChar)c;
    }
    map[n16] = (uint32_t)len;
    *u16 = u;
    *map16 = map;
    return n16;
}

static size_t icu_tokens(const char *s, size_t len, const char *lang, rtok *out, size_t max)
{
    UChar *u;
    uint32_t *map;
    int32_t n16 = to_utf16(s, len, &u, &map);
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *wb = ubrk_open(UBRK_WORD, lang, u, n16, &e);
    size_t n = 0;
    int space = 1;
    int32_t prev = ubrk_first(wb);
    for (int32_t b = ubrk_next(wb); b != UBRK_DONE && n + 2 < max; prev = b, b = ubrk_next(wb)) {
        int32_t status = ubrk_getRuleStatus(wb);
        UChar32 c0;
        int32_t k = prev;
        U16_NEXT(u, k, b, c0);
        if (status < UBRK_WORD_NONE_LIMIT) {
            if (u_isUWhiteSpace(c0) || u_iscntrl(c0)) {
                space = 1;
                continue;
            }
            out[n].start = map[prev], out[n].end = map[b];
            out[n].flags = EKG_TOK_PUNCT | (space ? EKG_TOK_SPACE : 0);
            n++;
            space = 0;
            continue;
        }
        uint32_t fl = (status < UBRK_WORD_NUMBER_LIMIT ? EKG_TOK_NUMBER : EKG_TOK_WORD) |
                      (space ? EKG_TOK_SPACE : 0);
        space = 0;
        int32_t split = -1, letters = 0;
        for (int32_t i = prev; i < b && i - prev <= 3; i++) {
            if (is_apos(u[i])) {
                if (letters >= 1 && letters <= 2 && i + 1 < b && is_alpha16(u[i + 1])) split = i + 1;
                break;
            }
            if (is_alpha16(u[i])) letters++;
        }
        if (split > 0) {
            out[n].start = map[prev], out[n].end = map[split];
            out[n].flags = fl | case_flags(u, prev, split);
            n++;
            fl &= ~(uint32_t)EKG_TOK_SPACE;
            prev = split;
        }
        out[n].start = map[prev], out[n].end = map[b];
        out[n].flags = fl | case_flags(u, prev, b);
        n++;
    }
    for (size_t i = 0; i < n; i++)
        if (ekg_text_fold_word(s + out[i].start, out[i].end - out[i].start, out[i].fold,
                               sizeof out[i].fold) == (size_t)-1)
            out[i].fold[0] = 0;
    ubrk_close(wb);
    free(u);
    free(map);
    return n;
}

/* The reference sentences: ICU's sentence iterator ("lang@ss=standard")
 * over the whole text, its boundaries grouping t's tokens the way text.c
 * does (white space only: no sentence; an ordinal "15." or an initial "R."
 * not at a line end: no break). Compared with t's; 1 when they differ. */
static int check_sentences(const char *s, size_t len, const char *lang, const ekg_text *t, const char *what)
{
    UChar *u;
    uint32_t *map;
    int32_t n16 = to_utf16(s, len, &u, &map);
    /* one iterator per language (opening one costs more than a text) */
    static struct {
        char lang[8];
        UBreakIterator *sb;
    } its[16];
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *sb = NULL;
    size_t li = 0;
    for (; li < 16 && its[li].sb; li++)
        if (strcmp(its[li].lang, lang) == 0) break;
    if (li < 16 && !its[li].sb) {
        char loc[64];
        snprintf(loc, sizeof loc, "%s@ss=standard", lang);
        snprintf(its[li].lang, sizeof its[li].lang, "%s", lang);
        its[li].sb = ubrk_open(UBRK_SENTENCE, loc, NULL, 0, &e);
    }
    if (li < 16) sb = its[li].sb;
    if (sb) ubrk_setText(sb, u, n16, &e);
    else e = U_INTERNAL_PROGRAM_ERROR;
    ekg_sentence *ref = malloc((t->ntoks + 1) * sizeof *ref);
    size_t nref = 0, ti = 0;
    int bad = U_FAILURE(e);
    ubrk_first(sb);
    for (int32_t b = ubrk_next(sb); !bad && b != UBRK_DONE; b = ubrk_next(sb)) {
        uint32_t s1 = map[b];
        size_t first = ti;
        while (ti < t->ntoks && t->toks[ti].start < s1) ti++;
        if (ti == first) continue;
        if (nref > 0 && first >= 2) {
            ekg_sentence *ps = &ref[nref - 1];
            const ekg_token *dot = &t->toks[first - 1], *w = &t->toks[first - 2];
            int newline = 0;
            for (uint32_t q = dot->end; q < t->toks[first].start; q++)
                if (s[q] == '\n') newline = 1;
            if (!newline && ps->tok0 + ps->ntok == first && dot->end - dot->start == 1 &&
                s[dot->start] == '.' && w->end == dot->start &&
                (((w->flags & EKG_TOK_NUMBER) && w->end - w->start <= 2) ||
                 ((w->flags & EKG_TOK_WORD) && (w->flags & EKG_TOK_UPPER) && w->end - w->start == 1))) {
                ps->ntok = (uint32_t)(ti - ps->tok0);
                ps->end = t->toks[ti - 1].end;
                continue;
            }
        }
        ekg_sentence *x = &ref[nref++];
        x->tok0 = (uint32_t)first;
        x->ntok = (uint32_t)(ti - first);
        x->start = t->toks[first].start;
        x->end = t->toks[ti - 1].end;
    }
    if (!bad && nref != t->nsents) bad = 1;
    for (size_t i = 0; !bad && i < nref; i++)
        if (memcmp(&ref[i], &t->sents[i], sizeof ref[i]) != 0) bad = 1;
    if (bad) {
        fprintf(stderr, "%s [%s]: %zu sentences vs ICU %zu:", what, lang, t->nsents, nref);
        for (size_t i = 0; i < t->nsents; i++) fprintf(stderr, " [%u,%u)", t->sents[i].start, t->sents[i].end);
        fprintf(stderr, "\n  ICU:");
        for (size_t i = 0; i < nref; i++) fprintf(stderr, " [%u,%u)", ref[i].start, ref[i].end);
        fprintf(stderr, "\n  text: %.*s\n", (int)(len < 300 ? len : 300), s);
    }
    if (sb) ubrk_setText(sb, NULL, 0, &e); /* before u goes */
    free(ref);
    free(u);
    free(map);
    return bad;
}

static int compare(const char *s, size_t len, const char *lang, const char *what)
{
    size_t max = len + 16;
    rtok *ref = malloc(max * sizeof *ref);
    size_t nref = icu_tokens(s, len, lang, ref, max);
    ekg_text *t = NULL;
    int bad = 0;
    if (ekg_text_split(s, len, lang, &t) != EKG_OK || !t) {
        fprintf(stderr, "%s: split failed\n", what);
        free(ref);
        return 1;
    }
    if (t->ntoks != nref) bad = 1;
    for (size_t i = 0; !bad && i < nref; i++) {
        const ekg_token *k = &t->toks[i];
        if (k->start != ref[i].start || k->end != ref[i].end || k->flags != ref[i].flags ||
            (ref[i].fold[0] && strcmp(ekg_text_fold_at(t, i), ref[i].fold) != 0)) {
            fprintf(stderr, "%s [%s]: token %zu: [%u,%u) flags %u '%s' vs ICU [%u,%u) flags %u '%s'\n",
                    what, lang, i, k->start, k->end, k->flags, ekg_text_fold_at(t, i), ref[i].start,
                    ref[i].end, ref[i].flags, ref[i].fold);
            bad = 1;
        }
    }
    if (bad && t->ntoks != nref)
        fprintf(stderr, "%s [%s]: %zu tokens vs ICU %zu\n", what, lang, t->ntoks, nref);
    if (bad && len < 200) {
        fprintf(stderr, "  text:");
        for (size_t i = 0; i < len; i++) fprintf(stderr, " %02x", (unsigned char)s[i]);
        fprintf(stderr, "\n  ICU:");
        for (size_t i = 0; i < nref; i++) fprintf(stderr, " [%u,%u)%u", ref[i].start, ref[i].end, ref[i].flags);
        fprintf(stderr, "\n  ekg:");
        for (size_t i = 0; i < t->ntoks; i++) fprintf(stderr, " [%u,%u)%u", t->toks[i].start, t->toks[i].end, t->toks[i].flags);
        fprintf(stderr, "\n");
    }
    /* sentences cover the tokens in order */
    size_t next = 0;
    for (size_t i = 0; i < t->nsents; i++) {
        if (t->sents[i].tok0 != next || t->sents[i].ntok == 0) bad = 1;
        next = t->sents[i].tok0 + t->sents[i].ntok;
    }
    if (next != t->ntoks) bad = 1;
    if (!bad) bad = check_sentences(s, len, lang, t, what);
    ekg_text_free(t);
    free(ref);
    return bad;
}

static const char *const alphabet[] = {
    "a", "b", "Z", "Q", "x", "e", "0", "1", "7", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n",
    ".", ",", ";", ":", "'", "\"", "_", "-", "/", "(", ")", "!", "?", "@", "#", "*", "$", "%", "&",
    "+", "=", "<", ">", "[", "]", "{", "}", "|", "\\", "^", "`", "~", "\x01", "\x1f", "\x7f",
    "\xc3\xa9",          /* é */
    "\xc3\x9f",          /* ß */
    "\xc3\x89",          /* É */
    "\xd0\x9c",          /* М */
    "\xd0\xb8",          /* и */
    "\xe2\x80\x99",      /* ’ */
    "\xe2\x80\x98",      /* ‘ */
    "\xe2\x80\x9c",      /* “ */
    "\xe2\x80\x9d",      /* ” */
    "\xe2\x80\x94",      /* — */
    "\xe2\x80\x93",      /* – */
    "\xe2\x80\xa6",      /* … */
    "\xe2\x80\xa4",      /* one dot leader (MidNumLet) */
    "\xc2\xa0",          /* no-break space */
    "\xe2\x80\x89",      /* thin space */
    "\xe3\x80\x80",      /* ideographic space */
    "\xcc\x81",          /* combining acute */
    "\xc2\xad",          /* soft hyphen (Format) */
    "\xe2\x80\x8d",      /* ZWJ */
    "\xf0\x9f\x98\x80",  /* emoji */
    "\xf0\x9f\x87\xab",  /* regional indicator F */
    "\xe4\xb8\xad",      /* 中 */
    "\xe3\x82\xab",      /* カ */
    "\xd7\x90",          /* Hebrew alef */
    "\xc2\xb4",          /* acute accent */
    "\xca\xbc",          /* modifier apostrophe */
    "\xef\xbc\x8c",      /* fullwidth comma */
    "\xc2\xb7",          /* middle dot (MidLetter) */
    "\xd7\xb4",          /* Hebrew gershayim */
    "\xe2\x81\xa0",      /* word joiner (Format) */
};

int main(int argc, char **argv)
{
    static const char *const langs[] = {"en", "de", "fr", "nl", "es", "ru", "sv", "fi", "da", "it"};
    const size_t na = sizeof alphabet / sizeof alphabet[0], nl = sizeof langs / sizeof langs[0];
    /* fixed cases: what the rules join and what they do not */
    static const char *const fixed[] = {
        "U.S. officials met in Washington, D.C. on Jan. 5th, 2021.",
        "It's 3.5% of $1,000,000; e.g. a:b and 10:30 or l'homme d'État qu'il",
        "snake_case _x x_ __ 7_ G7 7G a1b2 1a1 1.a a.1 1,a a,1",
        "Biden\xe2\x80\x99s \xe2\x80\x9c" "first\xe2\x80\x9d \xe2\x80\x94 l\xe2\x80\x99" "Union",
        "caf\xc3\xa9 Stra\xc3\x9f" "e \xd0\x9c\xd0\xb8\xd0\xb4 x\xcc\x81y \xe2\x80\x8d\xf0\x9f\x98\x80 a\xc2\xad" "b",
        "", " ", "\n", ".", "a", "_", "'", "a'", "'a", "a''b", "a..b", "1..2", "a.'b",
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        for (size_t l = 0; l < nl; l++) failed |= compare(fixed[i], strlen(fixed[i]), langs[l], "fixed");
    /* chunks about as long as text.c tokenises in one pass (256 bytes) and
     * longer: a word, digits, punctuation, words joined by '.', ending at
     * the bound, one byte before and after it, with a joiner or a character
     * for ICU at the end */
    static const char *const tails[] = {"", "a", "Z9", ".b", "\xc3\xa9", "_", "\xe2\x80\x99s", "-", "\xc2\xa0x"};
    static const char units[] = {'a', 'B', '7', '-', '.', '"'};
    char big[700];
    for (size_t u = 0; u < sizeof units; u++)
        for (size_t n = 250; n <= 262; n++)
            for (size_t e = 0; e < sizeof tails / sizeof tails[0]; e++) {
                size_t w = 0;
                if (u == 4) /* "a.a.a.…" (joined) */
                    for (; w + 1 < n; w += 2) big[w] = 'a', big[w + 1] = '.';
                for (; w < n; w++) big[w] = units[u];
                w += (size_t)snprintf(big + w, sizeof big - w, "%s x. Y", tails[e]);
                failed |= compare(big, w, langs[(n + e) % nl], "long");
                big[0] = ' ';
                failed |= compare(big, w, "en", "long");
            }
    CHECK(!failed);
    /* random strings */
    unsigned seed = 12345;
    char buf[512];
    int rfail = 0;
    for (int it = 0; it < 50000 && rfail < 5; it++) {
        size_t n = 0;
        int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        for (int k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            /* mostly letters, digits and spaces, as text is */
            const char *piece = r % 3 == 0 ? alphabet[r / 3 % 9] : alphabet[r / 3 % na];
            size_t pl = strlen(piece);
            if (n + pl >= sizeof buf) break;
            memcpy(buf + n, piece, pl);
            n += pl;
        }
        buf[n] = 0;
        rfail += compare(buf, n, langs[it % nl], "random");
    }
    CHECK(rfail == 0);
    /* random sentences: text.c gives ICU's sentence iterator words between
     * spaces cut to their first letter; the boundaries must stay ICU's,
     * with the abbreviations of each language ("Mr.", "n. Chr.", "p. ex.") */
    static const char *const words[] = {
        "The", "the", "a", "of", "President", "said", "US", "I", "x", "Mr.", "Dr.", "U.S.", "Ph.D.",
        "e.g.", "etc.", "approx.", "St.", "Nr.", "Co.", "A.", "J.", "15.", "3.", "12", "2021", "n. Chr.",
        "v. Chr.", "z. B.", "p. ex.", "D. h.", "av. J.-C.", "Hon.B.A.", "Lt.Cdr.", "ex", "Chr",
        "\xd0\xb4\xd0\xbe \xd0\xbd. \xd1\x8d.", "\xd0\xb3.", "caf\xc3\xa9", "\xd0\x9c\xd0\xb8\xd1\x80",
        ".", "?", "!", ",", ";", ":", "-", "\"", "'", "(", ")", "\xe2\x80\x9c", "\xe2\x80\x9d",
        "\xe2\x80\x99", "\xe2\x80\x94", "\xc2\xa0", "...", "\n", "\n\n", "\r\n", "\t",
    };
    const size_t nw = sizeof words / sizeof words[0];
    static const char *const slangs[] = {"en", "de", "fr", "es", "ru", "it", "pt", "nl"};
    int sfail = 0;
    for (int it = 0; it < 40000 && sfail < 5; it++) {
        size_t n = 0;
        int len = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 30;
        for (int k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            const char *piece = words[r % nw];
            size_t pl = strlen(piece);
            /* mostly one space between, as text has */
            const char *gap = r / nw % 5 == 0 ? "" : r / nw % 17 == 1 ? "  " : " ";
            size_t gl = strlen(gap);
            if (n + pl + gl >= sizeof buf) break;
            memcpy(buf + n, piece, pl);
            n += pl;
            memcpy(buf + n, gap, gl);
            n += gl;
        }
        buf[n] = 0;
        sfail += compare(buf, n, slangs[it % (sizeof slangs / sizeof slangs[0])], "sentences");
    }
    CHECK(sfail == 0);
    /* files from the command line */
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *p = malloc((size_t)sz + 1);
        size_t got = fread(p, 1, (size_t)sz, f);
        fclose(f);
        p[got] = 0;
        int bad = 0;
        for (size_t l = 0; l < 3; l++) bad |= compare(p, got, langs[l], argv[a]);
        CHECK(!bad);
        free(p);
    }
    return check_summary("test_text");
}
