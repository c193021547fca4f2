/* text.c — sentence and word segmentation through ICU, tokens folded.
 *
 * The text is converted to UTF-16 once; a map from UTF-16 indices back to
 * byte offsets turns ICU's boundaries into offsets in the source. Break
 * iterators are expensive to open, so each thread keeps one of each kind per
 * language (re-targeted with ubrk_setText). ICU's sentence rules break after
 * "15." before a capitalised word and after an initial ("R. Biden"); those
 * splits are undone here, since in the languages we read a one- or two-digit
 * number with a full stop is an ordinal or a date, not a sentence end. */
#include "ekg/text.h"

#include "ekg/fold.h"
#include "extract_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define CACHE_LANGS 32

typedef struct {
    char lang[16];
    UBreakIterator *word, *sent;
    int squeeze; /* sentence_squeeze for this language */
} brk_cache;

static _Thread_local brk_cache tl_cache[CACHE_LANGS];
static _Thread_local unsigned tl_next;

/* Scratch for the chunks ICU reads: UTF-16 and the map back to bytes,
 * kept per thread and grown as needed. */
static _Thread_local UChar *tl_u;
static _Thread_local uint32_t *tl_map;
static _Thread_local size_t tl_ucap;

/* A thread's iterators are closed when the thread ends (ingest's workers),
 * through a key whose destructor runs at thread exit. */
static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void close_iters(void *unused)
{
    (void)unused;
    for (unsigned i = 0; i < CACHE_LANGS; i++) {
        if (tl_cache[i].word) ubrk_close(tl_cache[i].word);
        if (tl_cache[i].sent) ubrk_close(tl_cache[i].sent);
        tl_cache[i].word = tl_cache[i].sent = NULL;
    }
    free(tl_u);
    free(tl_map);
    tl_u = NULL;
    tl_map = NULL;
    tl_ucap = 0;
}

static void make_key(void) { pthread_key_create(&tl_key, close_iters); }

/* How far ICU's sentence iterator may read a text whose words of ASCII
 * letters are cut to their first letter (see split): 0 not at all; 1 words
 * between two spaces; 2 words after a space or a line feed and before a
 * space, a line feed, ',', ';' or ':'; 3 words before any ASCII character
 * but '.' (ends_cut). The sentence rules (UAX #29) look at no more of such
 * a word than its first letter (its last only before a full stop), and
 * break neither inside nor right after one. The exceptions of
 * "ss=standard" ("Mr.", "U.S.", "n. Chr.") are matched from a break
 * backwards, and forwards from their first part: they could read a cut
 * word differently only through a letter followed by one of the characters
 * after a cut word (or by the exception's end), which levels 2 and 3 rule
 * out; level 1, through a part made only of letters in an exception with a
 * space. The locale's exceptions and its parents' are checked in ICU's
 * data. */
static int exceptions_squeeze(const char *loc)
{
    UErrorCode e = U_ZERO_ERROR;
    UResourceBundle *b = ures_open(U_ICUDATA_NAME "-brkitr", loc, &e);
    UResourceBundle *x = ures_getByKey(b, "exceptions", NULL, &e);
    UResourceBundle *sb = ures_getByKey(x, "SentenceBreak", NULL, &e);
    int level = 3;
    for (int32_t i = 0; level && U_SUCCESS(e) && i < ures_getSize(sb); i++) {
        int32_t n = 0;
        const UChar *u = ures_getStringByIndex(sb, i, &n, &e);
        if (U_FAILURE(e)) {
            level = 0; /* unreadable: assume the worst */
            break;
        }
        int spaced = 0, word = 0, letters = 0, other = 0, before_end = 0, before_ascii = 0;
        for (int32_t k = 0; k <= n; k++) {
            int letter = k < n && (u[k] | 0x20) >= 'a' && (u[k] | 0x20) <= 'z';
            if (letter && (k + 1 == n || u[k + 1] == ' ' || u[k + 1] == '\n' || u[k + 1] == ',' ||
                           u[k + 1] == ';' || u[k + 1] == ':'))
                before_end = 1;
            if (letter && (k + 1 == n || (u[k + 1] < 0x80 && u[k + 1] != '.' && u[k + 1] != '@' &&
                                          !((u[k + 1] | 0x20) >= 'a' && (u[k + 1] | 0x20) <= 'z') &&
                                          !(u[k + 1] >= '0' && u[k + 1] <= '9'))))
                before_ascii = 1; /* what may follow a cut word at level 3 (ends_cut) */
            if (k == n || u[k] == ' ') {
                if (k < n) spaced = 1;
                if (letters && !other) word = 1;
                letters = other = 0;
            } else if (letter)
                letters = 1;
            else
                other = 1;
        }
        if (spaced && word) level = 0;
        else if (before_end && level > 1) level = 1;
        else if (before_ascii && level > 2) level = 2;
    }
    ures_close(sb);
    ures_close(x);
    ures_close(b);
    return level;
}

static int sentence_squeeze(const char *lang)
{
    char loc[16];
    int level = exceptions_squeeze("root");
    snprintf(loc, sizeof loc, "%s", lang);
    for (;;) { /* the locale's exceptions and its parents': "de_AT", "de" */
        int l = exceptions_squeeze(loc);
        if (l < level) level = l;
        char *cut = strrchr(loc, '_'), *dash = strrchr(loc, '-');
        if (dash > cut) cut = dash;
        if (!cut) break;
        *cut = 0;
    }
    return level;
}

static int get_iters(const char *lang, UBreakIterator **word, UBreakIterator **sent, int *squeeze)
{
    char loc[40];
    pthread_once(&tl_once, make_key);
    if (!pthread_getspecific(tl_key)) pthread_setspecific(tl_key, tl_cache);
    const char *l = lang && *lang ? lang : "en";
    for (unsigned i = 0; i < CACHE_LANGS; i++)
        if (tl_cache[i].word && strcmp(tl_cache[i].lang, l) == 0) {
            *word = tl_cache[i].word;
            *sent = tl_cache[i].sent;
            *squeeze = tl_cache[i].squeeze;
            return 0;
        }
    brk_cache *c = &tl_cache[tl_next++ % CACHE_LANGS];
    if (c->word) ubrk_close(c->word);
    if (c->sent) ubrk_close(c->sent);
    c->word = c->sent = NULL;
    c->squeeze = 0;
    UErrorCode e = U_ZERO_ERROR;
    size_t n = strlen(l);
    if (n >= sizeof c->lang) n = sizeof c->lang - 1;
    memcpy(c->lang, l, n);
    c->lang[n] = 0;
    snprintf(loc, sizeof loc, "%s@ss=standard", c->lang);
    c->word = ubrk_open(UBRK_WORD, c->lang, NULL, 0, &e);
    if (U_FAILURE(e)) return -1;
    c->sent = ubrk_open(UBRK_SENTENCE, loc, NULL, 0, &e);
    if (U_FAILURE(e)) {
        e = U_ZERO_ERROR;
        c->sent = ubrk_open(UBRK_SENTENCE, c->lang, NULL, 0, &e);
        if (U_FAILURE(e)) return -1;
    }
    c->squeeze = sentence_squeeze(c->lang);
    *word = c->word;
    *sent = c->sent;
    *squeeze = c->squeeze;
    return 0;
}

size_t ekg_text_fold_word(const char *s, size_t n, char *buf, size_t cap)
{
    /* Fast path: ASCII, with typographic apostrophes (U+2018/2019) → '\''. */
    size_t w = 0;
    int fast = 1;
    for (size_t i = 0; i < n && fast; i++) {
        unsigned char c = (unsigned char)s[i];
        if (w + 2 > cap) return (size_t)-1;
        if (c < 0x80) buf[w++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
        else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
            buf[w++] = '\'';
            i += 2;
        } else
            fast = 0;
    }
    if (fast) {
        buf[w] = 0;
        return w;
    }
    size_t fl = ekg_fold_into(s, n, buf, cap);
    return fl == (size_t)-1 ? fl : strlen(buf); /* as far as a NUL, as ever */
}

static int pool_reserve(ekg_text *t, size_t n)
{
    if (t->pool_len + n > t->pool_cap) {
        size_t cap = t->pool_cap ? t->pool_cap : 4096;
        while (cap < t->pool_len + n) cap *= 2;
        char *p = realloc(t->pool, cap);
        if (!p) return -1;
        t->pool = p;
        t->pool_cap = cap;
    }
    return 0;
}

static int is_apos(UChar c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

static uint32_t case_flags8(const char *s, int32_t b, int32_t e);

/* Folded forms of the tokens that are not ASCII, by their bytes. */
#define MEMO_SLOTS 1024
typedef struct {
    uint8_t klen, flen, flags;
    char key[45];
    char fold[84];
} fold_memo;
static _Thread_local fold_memo tl_memo[MEMO_SLOTS];

/* Append token [b, e) with its folded form, folded straight into the pool.
 * With want_case, the token's case flags are added: for ASCII in the
 * folding pass itself. */
static int add_token(ekg_text *t, size_t *cap, const char *src, uint32_t b, uint32_t e,
                     uint32_t flags, int want_case)
{
    if (t->ntoks == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        ekg_token *p = realloc(t->toks, nc * sizeof *p);
        if (!p) return -1;
        t->toks = p;
        *cap = nc;
    }
    /* the same bound as a separate buffer would have had */
    size_t n = e - b, bcap = n * 4 + 8;
    if (bcap < 256) bcap = 256;
    if (pool_reserve(t, bcap)) return -1;
    char *buf = t->pool + t->pool_len;
    const unsigned char *s = (const unsigned char *)src + b;
    size_t fl = 0, i = 0;
    int letters = 0, upper = 0, first = -1;
    /* ekg_text_fold_word's fast path (ASCII, typographic apostrophes), the
     * letters counted on the way; anything else goes the whole way */
    for (; i < n; i++) {
        unsigned c = s[i];
        if (c < 0x80) {
            int alpha = (unsigned)((c | 0x20) - 'a') < 26u, up = c <= 'Z';
            letters += alpha;
            upper += alpha & up;
            if (alpha && first < 0) first = up;
            buf[fl++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0x99 || s[i + 2] == 0x98)) {
            buf[fl++] = '\'';
            i += 2;
        } else
            break;
    }
    if (i == n) {
        buf[fl] = 0;
        if (want_case) {
            if (letters && upper == letters) flags |= EKG_TOK_UPPER;
            if (first == 1) flags |= EKG_TOK_CAP;
        }
    } else {
        /* Not ASCII: ICU folds it, once per thread for the words that
         * recur (a direct-mapped cache of forms and their case flags). */
        fold_memo *fm = NULL;
        if (n <= sizeof fm->key) {
            fm = &tl_memo[XXH3_64bits(src + b, n) & (MEMO_SLOTS - 1)];
            if (fm->klen == n && memcmp(fm->key, src + b, n) == 0) {
                memcpy(buf, fm->fold, fm->flen + 1u);
                fl = fm->flen;
                if (want_case) flags |= fm->flags;
                goto done;
            }
        }
        fl = ekg_text_fold_word(src + b, n, buf, bcap);
        if (fl == (size_t)-1) return -1;
        uint32_t cf = case_flags8(src, (int32_t)b, (int32_t)e);
        if (want_case) flags |= cf;
        if (fm && fl < sizeof fm->fold) {
            memcpy(fm->key, src + b, n);
            fm->klen = (uint8_t)n;
            memcpy(fm->fold, buf, fl + 1);
            fm->flen = (uint8_t)fl;
            fm->flags = (uint8_t)cf;
        }
    }
done:;
    ekg_token *tk = &t->toks[t->ntoks];
    tk->start = b;
    tk->end = e;
    tk->flags = flags;
    tk->fold = (uint32_t)t->pool_len;
    tk->flen = (uint32_t)fl;
    t->pool_len += fl + 1;
    t->ntoks++;
    return 0;
}

static inline int is_alpha16(UChar c)
{
    if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    return u_isalpha(c);
}

/* The case flags of token [b, e) of a UTF-8 text: case_flags over the same
 * code points (for the tokens add_token's ASCII pass does not finish). */
static uint32_t case_flags8(const char *s, int32_t b, int32_t e)
{
    int letters = 0, upper = 0, first = -1;
    for (int32_t i = b; i < e;) {
        UChar32 c = (unsigned char)s[i];
        int alpha, up;
        if (c < 0x80) {
            i++;
            alpha = (unsigned)((c | 0x20) - 'a') < 26u;
            up = c <= 'Z';
        } else {
            U8_NEXT((const uint8_t *)s, i, e, c);
            if (c < 0) c = 0xFFFD;
            alpha = u_isalpha(c);
            up = alpha && (u_isupper(c) || u_istitle(c));
        }
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

/* ---------- word boundaries ----------
 *
 * ICU's word break iterator (UAX #29 rules, ICU's tailoring and the
 * locale's) decides every boundary that takes a rule to decide. Most of a
 * text does not: a run of ASCII letters and digits between white space and
 * punctuation that joins nothing is one word, and each such punctuation
 * character is a segment of its own, whatever the rules. So the text is cut
 * at ASCII white space (ICU always breaks before it, and after it before
 * anything but a combining or format character) into chunks; a chunk made
 * only of ASCII letters, digits and punctuation other than '_' (which
 * joins), with none of . : , ; ' between two letters or digits (where the
 * rules join or not), is segmented directly ('@' is a letter to ICU, and a
 * run that ends with a digit has a number's rule status); any other chunk (anything not
 * ASCII, '_', a joiner inside a word, a control character) goes to ICU's
 * iterator as it is, with the white space character before it, which is
 * what ICU's rules look back at. tests/unit/test_text.c compares the two
 * on random text. */


static int scratch(size_t n)
{
    if (n <= tl_ucap) return 0;
    size_t cap = tl_ucap ? tl_ucap : 256;
    while (cap < n) cap *= 2;
    UChar *u = realloc(tl_u, cap * sizeof *u);
    if (!u) return -1;
    tl_u = u;
    uint32_t *m = realloc(tl_map, cap * sizeof *m);
    if (!m) return -1;
    tl_map = m;
    tl_ucap = cap;
    return 0;
}

static inline int ws8(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }
/* ASCII letters and digits, and '@', which ICU's rules count as a letter */
static inline int alnum8(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '@';
}

/* Segment bytes [r0, r1) with ICU's word iterator; r0 is a boundary of the
 * whole text's segmentation, r1 is followed by white space or the end. */
static int icu_words(ekg_text *t, size_t *tokcap, UBreakIterator *wb, const char *utf8, size_t r0,
                     size_t r1, int *space)
{
    size_t n = r1 - r0;
    if (scratch(n + 2)) return -1;
    UChar *u = tl_u;
    uint32_t *map = tl_map;
    int32_t n16 = 0;
    for (size_t i = r0; i < r1;) {
        UChar32 c;
        size_t b = i;
        U8_NEXT((const uint8_t *)utf8, i, r1, c);
        if (c < 0) c = 0xFFFD;
        if (c > 0xFFFF) {
            map[n16] = (uint32_t)b;
            u[n16++] = U16_LEAD(c);
            map[n16] = (uint32_t)b;
            u[n16++] = U16_TRAIL(c);
        } else {
            map[n16] = (uint32_t)b;
            u[n16++] = (UChar)c;
        }
    }
    map[n16] = (uint32_t)r1;
    u[n16] = 0;
    UErrorCode e = U_ZERO_ERROR;
    ubrk_setText(wb, u, n16, &e);
    if (U_FAILURE(e)) return -2;
    int32_t prev = ubrk_first(wb);
    for (int32_t b = ubrk_next(wb); b != UBRK_DONE; prev = b, b = ubrk_next(wb)) {
        int32_t status = ubrk_getRuleStatus(wb);
        UChar32 c0;
        int32_t k = prev;
        U16_NEXT(u, k, b, c0);
        if (status < UBRK_WORD_NONE_LIMIT) {
            /* ASCII: White_Space is 09-0D and 20, controls are 00-1F and 7F */
            if (c0 < 0x80 ? (c0 <= 0x20 || c0 == 0x7F) : (u_isUWhiteSpace(c0) || u_iscntrl(c0))) {
                *space = 1;
                continue;
            }
            uint32_t fl = EKG_TOK_PUNCT | (*space ? EKG_TOK_SPACE : 0);
            if (add_token(t, tokcap, utf8, map[prev], map[b], fl, 0)) return -1;
            *space = 0;
            continue;
        }
        uint32_t fl = (status < UBRK_WORD_NUMBER_LIMIT ? EKG_TOK_NUMBER : EKG_TOK_WORD) |
                      (*space ? EKG_TOK_SPACE : 0);
        *space = 0;
        /* Split an elided article or preposition ("l'", "d'", "qu'"). */
        int32_t split = -1, letters = 0;
        for (int32_t i = prev; i < b && i - prev <= 3; i++) {
            if (is_apos(u[i])) {
                if (letters >= 1 && letters <= 2 && i + 1 < b && is_alpha16(u[i + 1])) split = i + 1;
                break;
            }
            if (is_alpha16(u[i])) letters++;
        }
        if (split > 0) {
            if (add_token(t, tokcap, utf8, map[prev], map[split], fl, 1)) return -1;
            fl &= ~(uint32_t)EKG_TOK_SPACE;
            prev = split;
        }
        if (add_token(t, tokcap, utf8, map[prev], map[b], fl, 1)) return -1;
    }
    return 0;
}

/* All tokens of the text, in order. */
/* Byte classes for the chunks: white space, letters and digits (and '@'),
 * the punctuation that joins letters or digits (. : , ; '), other ASCII
 * punctuation, and what only ICU decides (controls, '_', not ASCII). */
enum { C_WS = 1, C_AL, C_JN, C_PU, C_HARD, C_MB };
static uint8_t byte_cls[256];
/* For the one-pass tokens: each byte lower-cased, and whether it is a letter
 * (L_LETTER) and a lower-case one (L_LOWER); byte_fast has the three and
 * whether the byte is C_AL (F_AL) in one load: the lower-cased byte in the
 * low 8 bits, L_LETTER and L_LOWER shifted by F_SHIFT. */
enum { L_LETTER = 1, L_LOWER = 2 };
enum { F_SHIFT = 8, F_AL = 1 << 10, F_NOTLETTER = 1 << 11 };

/* While split runs: a token of ASCII letters only (made by fast_chunk when
 * asked), for the text given to the sentence iterator; cleared there. */
#define TOK_LETTERS (1u << 31)
static uint8_t byte_lower[256], byte_letter[256];
static uint16_t byte_fast[256];
static pthread_once_t byte_cls_once = PTHREAD_ONCE_INIT;

static void byte_cls_init(void)
{
    for (int c = 0; c < 256; c++) {
        byte_lower[c] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        byte_letter[c] = (uint8_t)(c >= 'A' && c <= 'Z' ? L_LETTER : c >= 'a' && c <= 'z' ? L_LETTER | L_LOWER : 0);
    }
    for (int c = 0; c < 256; c++) {
        uint8_t k = C_HARD;
        if (c == ' ' || (c >= 0x09 && c <= 0x0D)) k = C_WS;
        else if (c == 0xC2 || c == 0xE2) k = C_MB; /* maybe one of mb_class's */
        else if (c >= 0x80 || c < 0x20 || c == 0x7F || c == '_') k = C_HARD;
        else if (alnum8((unsigned char)c)) k = C_AL;
        else if (c == '.' || c == ':' || c == ',' || c == ';' || c == '\'') k = C_JN;
        else k = C_PU;
        byte_cls[c] = k;
        byte_fast[c] = (uint16_t)(byte_lower[c] | byte_letter[c] << F_SHIFT | (k == C_AL ? F_AL : 0) |
                                  (k == C_AL && !byte_letter[c] ? F_NOTLETTER : 0));
    }
}

static const uint8_t *byte_class(void)
{
    pthread_once(&byte_cls_once, byte_cls_init);
    return byte_cls;
}

/* The folded form of a three-byte punctuation mark (E2 80 xx) at s, written
 * to out: ‘ ’ become ', – — become -, the rest (“ ” …) stay as they are.
 * Returns the bytes written. */
static inline size_t fold_punct3(char *out, const unsigned char *s)
{
    if (s[2] == 0x98 || s[2] == 0x99) {
        out[0] = '\'';
        return 1;
    }
    if (s[2] == 0x93 || s[2] == 0x94) {
        out[0] = '-';
        return 1;
    }
    memcpy(out, s, 3);
    return 3;
}

/* The few characters beyond ASCII that newswire text is full of, and that
 * the rules treat as they treat ASCII punctuation: the typographic quotes and
 * dashes (Word_Break Other: a segment of their own), the typographic
 * apostrophes (MidNumLet: joiners, as '.' is) and the no-break space (Other,
 * and white space to the tokens). Their class and length at s[i], s[i] being
 * C_MB; anything else is for ICU. */
static int mb_class(const unsigned char *s, size_t i, size_t len, size_t *n)
{
    *n = 1;
    if (s[i] == 0xC2) {
        if (i + 1 < len && s[i + 1] == 0xA0) {
            *n = 2;
            return C_WS;
        }
        return C_HARD;
    }
    if (i + 2 < len && s[i + 1] == 0x80) {
        unsigned char c = s[i + 2];
        *n = 3;
        if (c == 0x9C || c == 0x9D || c == 0x93 || c == 0x94) return C_PU; /* “ ” – — */
        if (c == 0x98 || c == 0x99) return C_JN;                           /* ‘ ’ */
    }
    *n = 1;
    return C_HARD;
}

/* Append the tokens of an easy chunk [i, j): ASCII only, so folding is
 * lower-casing and the case flags are counted on the way. */
static int easy_tokens(ekg_text *t, size_t *tokcap, const unsigned char *s, size_t i, size_t j,
                       const uint8_t *cls, int space)
{
    /* at most one token per byte; each folded form one byte longer */
    if (t->ntoks + (j - i) > *tokcap) {
        size_t nc = *tokcap ? *tokcap * 2 : 256;
        while (nc < t->ntoks + (j - i)) nc *= 2;
        ekg_token *p = realloc(t->toks, nc * sizeof *p);
        if (!p) return -1;
        t->toks = p;
        *tokcap = nc;
    }
    if (pool_reserve(t, 2 * (j - i) + 1)) return -1;
    char *pool = t->pool;
    size_t pl = t->pool_len;
    while (i < j) {
        ekg_token *tk = &t->toks[t->ntoks++];
        uint32_t fl = space ? EKG_TOK_SPACE : 0;
        space = 0;
        tk->start = (uint32_t)i;
        tk->fold = (uint32_t)pl;
        if (cls[s[i]] == C_MB) {
            size_t n;
            int k = mb_class(s, i, j, &n);
            if (k == C_WS) { /* a no-break space: no token, a space before the next */
                t->ntoks--;
                space = 1;
                i += n;
                continue;
            }
            pl += fold_punct3(pool + pl, s + i);
            pool[pl++] = 0;
            tk->flen = (uint32_t)(pl - 1 - tk->fold);
            i += n;
            tk->end = (uint32_t)i;
            tk->flags = fl | EKG_TOK_PUNCT;
            continue;
        }
        if (cls[s[i]] != C_AL) { /* one punctuation character: its own fold */
            pool[pl++] = (char)s[i];
            pool[pl++] = 0;
            tk->end = (uint32_t)++i;
            tk->flen = 1;
            tk->flags = fl | EKG_TOK_PUNCT;
            continue;
        }
        size_t k = i, f0 = pl;
        int letters = 0, upper = 0, first = -1;
        for (; k < j && cls[s[k]] == C_AL; k++) {
            unsigned c = s[k];
            int alpha = (unsigned)((c | 0x20) - 'a') < 26u, up = c <= 'Z';
            letters += alpha;
            upper += alpha & up;
            if (alpha && first < 0) first = up;
            pool[pl++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        pool[pl++] = 0;
        /* ICU's rule status is that of the last rule: a run that ends with
         * a digit ("G7") is a number, one that ends with a letter a word */
        fl |= s[k - 1] > '9' ? EKG_TOK_WORD : EKG_TOK_NUMBER;
        if (letters && upper == letters) fl |= EKG_TOK_UPPER;
        if (first == 1) fl |= EKG_TOK_CAP;
        tk->end = (uint32_t)k;
        tk->flen = (uint32_t)(pl - 1 - f0);
        tk->flags = fl;
        i = k;
    }
    t->pool_len = pl;
    return 0;
}

/* A chunk no longer than this is tokenised in one pass (fast_chunk). */
#define FAST_MAX 256

/* One pass over the chunk at i, for the common case: its tokens appended
 * exactly as easy_tokens would, while it proves easy (the classes and the
 * joiner rule of words' scan) and ends within FAST_MAX bytes. Returns 1 with
 * *end at the chunk's end; 0 with nothing appended when it is not (the caller
 * takes the two-pass way); -1 when out of memory. */
static int fast_chunk(ekg_text *t, size_t *tokcap, const unsigned char *s, size_t i, size_t len,
                      const uint8_t *cls, int space, uint32_t mark, size_t *end)
{
    if (t->ntoks + FAST_MAX + 1 > *tokcap) {
        size_t nc = *tokcap ? *tokcap * 2 : 256;
        while (nc < t->ntoks + FAST_MAX + 1) nc *= 2;
        ekg_token *p = realloc(t->toks, nc * sizeof *p);
        if (!p) return -1;
        t->toks = p;
        *tokcap = nc;
    }
    /* each byte folds to at most two (itself and a NUL), a 3-byte
     * character to at most four; the last one may pass the bound by 2 */
    if (pool_reserve(t, 2 * (FAST_MAX + 3) + 8)) return -1;
    const size_t nt0 = t->ntoks, stop = len - i > FAST_MAX ? i + FAST_MAX : len;
    char *pool = t->pool;
    size_t pl = t->pool_len;
    int prev = 0;
    while (i < len) {
        int k = cls[s[i]];
        if (k == C_WS) break;
        if (i >= stop) goto slow;
        ekg_token *tk = &t->toks[t->ntoks];
        uint32_t fl = space ? EKG_TOK_SPACE : 0;
        if (k == C_AL) {
            size_t b = i;
            const uint16_t *fast = byte_fast;
            const unsigned char *p = s + i, *pe = s + stop;
            char *q = pool + pl;
            unsigned acc = 0, f = fast[*p];
            tk->fold = (uint32_t)pl;
            do { /* at stop: the next round goes slow */
                acc |= f;
                *q++ = (char)f;
            } while (++p < pe && ((f = fast[*p]) & F_AL));
            i = (size_t)(p - s);
            pl = (size_t)(q - pool);
            pool[pl++] = 0;
            if ((acc & (L_LETTER << F_SHIFT)) && !(acc & F_NOTLETTER)) fl |= mark;
            acc >>= F_SHIFT;
            /* ICU's rule status: a run that ends with a digit is a number */
            fl |= s[i - 1] > '9' ? EKG_TOK_WORD : EKG_TOK_NUMBER;
            if ((acc & L_LETTER) && !(acc & L_LOWER)) fl |= EKG_TOK_UPPER;
            if (acc & L_LETTER) {
                size_t q = b;
                while (!byte_letter[s[q]]) q++;
                if (!(byte_letter[s[q]] & L_LOWER)) fl |= EKG_TOK_CAP;
            }
            tk->start = (uint32_t)b;
            tk->end = (uint32_t)i;
            tk->flen = (uint32_t)(pl - 1 - tk->fold);
            tk->flags = fl;
            t->ntoks++;
            space = 0;
            prev = C_AL;
            continue;
        }
        if (k == C_HARD) goto slow;
        size_t n = 1;
        if (k == C_MB) {
            k = mb_class(s, i, len, &n);
            if (k == C_HARD) goto slow;
        }
        if (k == C_JN && prev == C_AL && i + n < len && cls[s[i + n]] == C_AL) goto slow;
        prev = k;
        if (k == C_WS) { /* a no-break space: no token, a space before the next */
            space = 1;
            i += n;
            continue;
        }
        tk->start = (uint32_t)i;
        tk->fold = (uint32_t)pl;
        if (n == 3)
            pl += fold_punct3(pool + pl, s + i);
        else
            pool[pl++] = (char)s[i];
        pool[pl++] = 0;
        i += n;
        tk->end = (uint32_t)i;
        tk->flen = (uint32_t)(pl - 1 - tk->fold);
        tk->flags = fl | EKG_TOK_PUNCT;
        t->ntoks++;
        space = 0;
    }
    t->pool_len = pl;
    *end = i;
    return 1;
slow:
    t->ntoks = nt0;
    return 0;
}

/* All tokens of the text, in order. */
static int words(ekg_text *t, size_t *tokcap, UBreakIterator *wb, const char *utf8, size_t len,
                 uint32_t mark)
{
    const unsigned char *s = (const unsigned char *)utf8;
    const uint8_t *cls = byte_class();
    int space = 1;
    size_t i = 0;
    while (i < len) {
        if (cls[s[i]] == C_WS) {
            space = 1;
            i++;
            continue;
        }
        size_t j = i;
        int r = fast_chunk(t, tokcap, s, i, len, cls, space, mark, &j);
        if (r < 0) return -1;
        if (r) {
            space = 0;
            i = j;
            continue;
        }
        /* the chunk [i, j): easy unless a byte is for ICU, or a joiner
         * stands between two letters or digits */
        j = i;
        int easy = 1, prev = 0;
        while (j < len) {
            int c = cls[s[j]];
            size_t n = 1;
            if (c == C_WS) break;
            if (c == C_MB) c = mb_class(s, j, len, &n);
            if (c == C_HARD || (c == C_JN && prev == C_AL && j + n < len && cls[s[j + n]] == C_AL))
                easy = 0;
            prev = c;
            j += n;
        }
        if (!easy) {
            int r = icu_words(t, tokcap, wb, utf8, i > 0 ? i - 1 : 0, j, &space);
            if (r) return r;
        } else {
            if (easy_tokens(t, tokcap, s, i, j, cls, space)) return -1;
            space = 0;
        }
        i = j;
    }
    return 0;
}

/* Bytes [i, end) of utf8 appended to u16 from n16 as UTF-16 (U+FFFD for
 * what is not UTF-8); returns the new length. */
static int32_t to_u16(const char *utf8, size_t i, size_t end, UChar *u16, int32_t n16)
{
    while (i < end) {
        unsigned char c = (unsigned char)utf8[i];
        if (c < 0x80) {
            uint64_t w8;
            if (i + 8 <= end && (memcpy(&w8, utf8 + i, 8), !(w8 & 0x8080808080808080ULL))) {
                for (int k = 0; k < 8; k++) u16[n16 + k] = (UChar)(unsigned char)utf8[i + k];
                n16 += 8;
                i += 8;
                continue;
            }
            u16[n16++] = c;
            i++;
            continue;
        }
        UChar32 cp;
        U8_NEXT((const uint8_t *)utf8, i, end, cp);
        if (cp < 0) cp = 0xFFFD;
        if (cp > 0xFFFF) {
            u16[n16++] = U16_LEAD(cp);
            u16[n16++] = U16_TRAIL(cp);
        } else
            u16[n16++] = (UChar)cp;
    }
    return n16;
}

/* Whether c may follow a word cut at this level (sentence_squeeze). */
static inline int ends_cut(char c, int level)
{
    if (level > 2) return (unsigned char)c < 0x80 && c != '.' && !(byte_fast[(unsigned char)c] & F_AL);
    return c == ' ' || (level > 1 && (c == '\n' || c == ',' || c == ';' || c == ':'));
}

/* Whether c may precede a word cut at this level (the word's letters are
 * the whole run: c is no letter, digit or '@', which tokens ensure). */
static inline int starts_cut(char c, int level)
{
    return level > 2 || c == ' ' || (level > 1 && c == '\n');
}

/* Where the text ICU's sentence iterator reads leaves out source bytes:
 * its UTF-16 index at16 is byte at8 of the source. */
typedef struct {
    int32_t at16;
    uint32_t at8;
} text_cut;

static ekg_status split(const char *utf8, size_t len, const char *lang, int sentences, ekg_text **out)
{
    ekg_status st = EKG_OK;
    ekg_text *t = NULL;
    UChar *u16 = NULL;
    UBreakIterator *wb = NULL, *sb = NULL;
    size_t tokcap = 0, sentcap = 0;
    text_cut *cuts = NULL;
    size_t ncuts = 0, capcuts = 0;
    *out = NULL;
    if (len > (size_t)INT32_MAX / 2) return EKG_ERR_LIMIT;
    t = calloc(1, sizeof *t);
    if (!t) return EKG_ERR_NOMEM;
    t->src = utf8;
    t->len = len;
    /* Room for the usual: a token per 4 bytes, folded forms about as long as
     * the text; bounded (a 256 MB input does not reserve gigabytes up
     * front), both still grow when a text needs more. */
    tokcap = (len < ((size_t)1 << 20) ? len : ((size_t)1 << 20)) / 4 + 16;
    t->toks = malloc(tokcap * sizeof *t->toks);
    t->pool_cap = (len < ((size_t)1 << 20) ? len + len / 4 : ((size_t)1 << 20)) + 512;
    t->pool = malloc(t->pool_cap);
    if (!t->toks || !t->pool) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    int squeeze = 0;
    if (get_iters(lang, &wb, &sb, &squeeze)) {
        st = EKG_ERR_INTERNAL;
        goto cleanup;
    }
    /* Tokens. */
    int r = words(t, &tokcap, wb, utf8, len, sentences && squeeze ? TOK_LETTERS : 0);
    if (r) {
        st = r == -1 ? EKG_ERR_NOMEM : EKG_ERR_INTERNAL;
        goto cleanup;
    }
    if (!sentences) {
        *out = t;
        t = NULL;
        goto cleanup;
    }
    /* Sentences: the text in UTF-16 for ICU (which reads it faster than
     * UTF-8 through a UText); its boundaries are mapped back to byte
     * offsets by walking both forms from the previous boundary.
     *
     * ICU's rules cost about 50 instructions a character, and most of a
     * text is words of letters between spaces, of which the rules read
     * only the first letter (sentence_squeeze): a run of such words of
     * ASCII letters is given to ICU as its first letter alone, and `cuts`
     * records where bytes were left out, for the walk back. */
    u16 = malloc((len + 1) * sizeof *u16);
    if (!u16) goto nomem;
    int32_t n16 = 0;
    size_t from = 0; /* converted as far as this byte */
    for (size_t k = 0; k <= t->ntoks; k++) {
        size_t b = len, e = len;
        if (k < t->ntoks) {
            /* token k (fast_chunk marked its words of letters) and the
             * words after it, one space between, when the first follows
             * what starts_cut allows and each precedes what ends_cut
             * allows: ICU reads the first letter */
            ekg_token *tk = &t->toks[k];
            if (!(tk->flags & TOK_LETTERS)) continue;
            tk->flags &= ~TOK_LETTERS;
            b = tk->start;
            e = tk->end;
            if (e - b < 2 || (b == 0 ? squeeze < 3 : !starts_cut(utf8[b - 1], squeeze)) || e >= len ||
                !ends_cut(utf8[e], squeeze))
                continue;
            while (utf8[e] == ' ' && k + 1 < t->ntoks) {
                ekg_token *nx = &t->toks[k + 1];
                if (!(nx->flags & TOK_LETTERS) || nx->start != e + 1 || nx->end >= len ||
                    !ends_cut(utf8[nx->end], squeeze))
                    break;
                nx->flags &= ~TOK_LETTERS;
                k++;
                e = nx->end;
            }
        }
        n16 = to_u16(utf8, from, b, u16, n16);
        if (b == len) break;
        if (ncuts == capcuts) {
            size_t nc = capcuts ? capcuts * 2 : 256;
            text_cut *p = realloc(cuts, nc * sizeof *p);
            if (!p) goto nomem;
            cuts = p;
            capcuts = nc;
        }
        u16[n16++] = (unsigned char)utf8[b];
        cuts[ncuts].at16 = n16;
        cuts[ncuts++].at8 = (uint32_t)e;
        from = e;
    }
    u16[n16] = 0;
    UErrorCode e = U_ZERO_ERROR;
    ubrk_setText(sb, u16, n16, &e);
    if (U_FAILURE(e)) {
        st = EKG_ERR_INTERNAL;
        goto cleanup;
    }
    int32_t at16 = 0;
    size_t at8 = 0, cut = 0;
    size_t ti = 0;
    ubrk_first(sb);
    for (int32_t b = ubrk_next(sb); b != UBRK_DONE; b = ubrk_next(sb)) {
        /* from the last cut before the boundary, if it is further on */
        for (; cut < ncuts && cuts[cut].at16 <= b; cut++)
            if (cuts[cut].at16 >= at16) {
                at16 = cuts[cut].at16;
                at8 = cuts[cut].at8;
            }
        while (at16 < b && at8 < len) { /* the same steps as the conversion */
            uint64_t w8;
            if (at16 + 8 <= b && at8 + 8 <= len &&
                (memcpy(&w8, utf8 + at8, 8), !(w8 & 0x8080808080808080ULL))) {
                at8 += 8;
                at16 += 8;
                continue;
            }
            if ((unsigned char)utf8[at8] < 0x80) {
                at8++;
                at16++;
                continue;
            }
            UChar32 cp;
            U8_NEXT((const uint8_t *)utf8, at8, len, cp);
            at16 += cp > 0xFFFF ? 2 : 1;
        }
        uint32_t s1 = (uint32_t)at8;
        size_t first = ti;
        while (ti < t->ntoks && t->toks[ti].start < s1) ti++;
        if (ti == first) continue; /* white space only */
        /* Undo ICU's break after an ordinal "15." or an initial "R.": the
         * sentence so far ends with <1-2 digits | one letter> "." and the
         * break is not at a line end. */
        if (t->nsents > 0 && first >= 2) {
            ekg_sentence *ps = &t->sents[t->nsents - 1];
            const ekg_token *dot = &t->toks[first - 1], *w = &t->toks[first - 2];
            int newline = 0;
            for (uint32_t q = dot->end; q < t->toks[first].start; q++)
                if (utf8[q] == '\n') newline = 1;
            if (!newline && ps->tok0 + ps->ntok == first && dot->end - dot->start == 1 &&
                utf8[dot->start] == '.' && w->end == dot->start &&
                (((w->flags & EKG_TOK_NUMBER) && w->end - w->start <= 2) ||
                 ((w->flags & EKG_TOK_WORD) && (w->flags & EKG_TOK_UPPER) &&
                  w->end - w->start == 1))) {
                ps->ntok = (uint32_t)(ti - ps->tok0);
                ps->end = t->toks[ti - 1].end;
                continue;
            }
        }
        if (t->nsents == sentcap) {
            size_t nc = sentcap ? sentcap * 2 : 64;
            ekg_sentence *p = realloc(t->sents, nc * sizeof *p);
            if (!p) goto nomem;
            t->sents = p;
            sentcap = nc;
        }
        ekg_sentence *s = &t->sents[t->nsents++];
        s->tok0 = (uint32_t)first;
        s->ntok = (uint32_t)(ti - first);
        s->start = t->toks[first].start;
        s->end = t->toks[ti - 1].end;
    }
    *out = t;
    t = NULL;
    goto cleanup;
nomem:
    st = EKG_ERR_NOMEM;
cleanup:
    free(u16);
    free(cuts);
    ekg_text_free(t);
    return st;
}

ekg_status ekg_text_split(const char *utf8, size_t len, const char *lang, ekg_text **out)
{
    return split(utf8, len, lang, 1, out);
}

ekg_status ekg_text_split_words(const char *utf8, size_t len, const char *lang, ekg_text **out)
{
    return split(utf8, len, lang, 0, out);
}

void ekg_text_free(ekg_text *t)
{
    if (!t) return;
    free(t->toks);
    free(t->sents);
    free(t->pool);
    free(t);
}
