/* fold.c — case/diacritic folding through ICU.
 *
 * Short inputs (every token of a text, most labels) are folded in stack
 * buffers; ekg_fold_into writes the result into the caller's buffer, so a
 * token costs no allocation at all. */
#include "ekg/fold.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* Inputs up to this many bytes fold on the stack (15 UTF-16 units a byte). */
#define FOLD_SMALL 96

/* Fold `len` bytes into UTF-16: returns the folded units (inside *block,
 * which is `stack` or malloc'd) and their count in *w, or NULL. */
static UChar *fold16(const char *utf8, size_t len, UChar *stack, UChar **block, int32_t *w_out)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    size_t need = (len + 1) + (len * 3 + 1) + (len * 12 + 1);
    UChar *blk = len <= FOLD_SMALL ? stack : malloc(need * sizeof(UChar));
    *block = blk;
    if (!blk) return NULL;
    UChar *u = blk, *f = u + len + 1, *d = f + len * 3 + 1;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &n, utf8, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) return NULL;
    int32_t nf = u_strFoldCase(f, (int32_t)len * 3 + 1, u, n, U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err)) return NULL;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    if (U_FAILURE(err)) return NULL;
    /* Text already in NFD (most of it: ASCII, Cyrillic, precomposed-free)
     * is its own decomposition: copy instead of normalising. */
    int32_t nd;
    if (unorm2_spanQuickCheckYes(nfd, f, nf, &err) == nf && U_SUCCESS(err)) {
        memcpy(d, f, (size_t)nf * sizeof *d);
        nd = nf;
    } else {
        err = U_ZERO_ERROR;
        nd = unorm2_normalize(nfd, f, nf, d, (int32_t)len * 12 + 1, &err);
    }
    if (U_FAILURE(err)) return NULL;
    /* Drop marks, unify punctuation, collapse spaces (in place). */
    int32_t w = 0;
    int space = 0;
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        U16_NEXT(d, i, nd, c);
        if (c < 0x80) { /* ASCII: no marks; White_Space is 09-0D and 20 */
            if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
                if (!space && w > 0) d[w++] = ' ';
                space = 1;
                continue;
            }
            if (c == 0x60) c = '\'';
            space = 0;
            d[w++] = (UChar)c;
            continue;
        }
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4 || c == 0x0060) c = '\'';
        else if (c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014) c = '-';
        else if (u_isUWhiteSpace(c)) {
            if (!space && w > 0) d[w++] = ' ';
            space = 1;
            continue;
        }
        space = 0;
        if (c > 0xFFFF) {
            d[w++] = U16_LEAD(c);
            d[w++] = U16_TRAIL(c);
        } else
            d[w++] = (UChar)c;
    }
    if (w > 0 && d[w - 1] == ' ') w--;
    *w_out = w;
    return d;
}

#define FOLD_STACK ((FOLD_SMALL + 1) + (FOLD_SMALL * 3 + 1) + (FOLD_SMALL * 12 + 1))

char *ekg_fold(const char *utf8, size_t len)
{
    if (len == (size_t)-1) len = strlen(utf8);
    if (len > (size_t)INT32_MAX / 4) return NULL;
    UChar stack[FOLD_STACK], *block = NULL;
    int32_t w = 0;
    char *out = NULL;
    UChar *d = fold16(utf8, len, stack, &block, &w);
    if (!d) goto cleanup;
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, d, w, &err);
    err = U_ZERO_ERROR;
    out = malloc((size_t)need + 1);
    if (!out) goto cleanup;
    u_strToUTF8(out, need + 1, NULL, d, w, &err);
    if (U_FAILURE(err)) {
        free(out);
        out = NULL;
    }
cleanup:
    if (block != stack) free(block);
    return out;
}

size_t ekg_fold_into(const char *utf8, size_t len, char *buf, size_t cap)
{
    if (len > (size_t)INT32_MAX / 4 || cap == 0 || cap > INT32_MAX) return (size_t)-1;
    UChar stack[FOLD_STACK], *block = NULL;
    int32_t w = 0, n = 0;
    size_t r = (size_t)-1;
    UChar *d = fold16(utf8, len, stack, &block, &w);
    if (!d) goto cleanup;
    UErrorCode err = U_ZERO_ERROR;
    u_strToUTF8(buf, (int32_t)cap, &n, d, w, &err);
    /* a result that fills buf exactly has no room for the NUL */
    if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || (size_t)n + 1 > cap) goto cleanup;
    buf[n] = 0;
    r = (size_t)n;
cleanup:
    if (block != stack) free(block);
    return r;
}
