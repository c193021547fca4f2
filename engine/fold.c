/* fold.c — case/diacritic folding through ICU. */
#include "ekg/fold.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

char *ekg_fold(const char *utf8, size_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    if (len == (size_t)-1) len = strlen(utf8);
    if (len > (size_t)INT32_MAX / 4) return NULL;
    UChar *u = malloc((len + 1) * sizeof(UChar));
    UChar *f = malloc((len * 3 + 1) * sizeof(UChar));
    UChar *d = malloc((len * 3 * 4 + 1) * sizeof(UChar));
    char *out = NULL;
    if (!u || !f || !d) goto cleanup;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &n, utf8, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) goto cleanup;
    int32_t nf = u_strFoldCase(f, (int32_t)len * 3 + 1, u, n, U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err)) goto cleanup;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    if (U_FAILURE(err)) goto cleanup;
    int32_t nd = unorm2_normalize(nfd, f, nf, d, (int32_t)len * 12 + 1, &err);
    if (U_FAILURE(err)) goto cleanup;
    /* Drop marks, unify punctuation, collapse spaces (in place). */
    int32_t w = 0;
    int space = 0;
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        U16_NEXT(d, i, nd, c);
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
    int32_t need = 0;
    err = U_ZERO_ERROR;
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
    free(u);
    free(f);
    free(d);
    return out;
}
