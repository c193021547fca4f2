/* langid.cc — CLD2 behind a C interface (see langid.h). The only C++ in the
 * engine: CLD2 has no C API. No exceptions or RTTI are used. */
#include "ekg/langid.h"

#include <cstdio> /* compact_lang_det.h uses FILE without including it */
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

/* CLD2 costs ~260 instructions a byte it reads, so it reads the opening of
 * the text, longer only when unsure: 256 bytes decide when CLD2 calls them
 * reliable with one language at 90% or more of the text; else 512 bytes
 * decide; 4 KB when those are still not reliable. (Names from another
 * language in a short opening — "Erdoğan", "Gunnlaugsson" — are what fools
 * a 256-byte sample.) */
static const size_t sample[] = {256, 512, 4096};

/* Cut a UTF-8 text at most `max` bytes long, at a character boundary. */
static size_t cut(const char *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) n--;
    return n;
}

/* The language CLD2 finds in s[0, len), whether it calls that reliable, and
 * the share of the text (percent) it gives that language. */
static CLD2::Language detect(const char *s, size_t len, bool *reliable, int *percent)
{
    const CLD2::CLDHints none = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    /* CLD2 leaves these unset when it refuses the text (invalid UTF-8) */
    CLD2::Language l3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE};
    int p3[3] = {0, 0, 0}, text_bytes = 0, valid = 0;
    double score3[3] = {0, 0, 0};
    CLD2::Language l = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        s, static_cast<int>(len), true, &none, 0, l3, p3, score3, nullptr, &text_bytes, reliable, &valid);
    /* The readers give valid UTF-8, but CLD2 also refuses bytes that are not
     * "interchange-valid" (most C0/C1 controls, noncharacters): then it is
     * asked again about the part before the first such byte. */
    if (valid >= 40 && static_cast<size_t>(valid) < len)
        l = CLD2::ExtDetectLanguageSummaryCheckUTF8(s, valid, true, &none, 0, l3, p3, score3, nullptr,
                                                    &text_bytes, reliable, &valid);
    *percent = l3[0] == l ? p3[0] : 0;
    /* only the languages proper, not CLD2's extended pseudo-languages */
    return l < CLD2::NUM_LANGUAGES ? l : CLD2::UNKNOWN_LANGUAGE;
}

extern "C" const char *ekg_langid_guess(const char *utf8, size_t len)
{
    if (!utf8 || len < 40) return nullptr;
    bool reliable = false;
    CLD2::Language l = CLD2::UNKNOWN_LANGUAGE;
    for (size_t k = 0; k < sizeof sample / sizeof sample[0]; k++) {
        size_t n = cut(utf8, len, sample[k]);
        int percent = 0;
        l = detect(utf8, n, &reliable, &percent);
        if (n == len || (k == 0 ? reliable && percent >= 90 : reliable)) break;
    }
    if (l == CLD2::UNKNOWN_LANGUAGE || l == CLD2::TG_UNKNOWN_LANGUAGE) return nullptr;
    const char *code = CLD2::LanguageCode(l);
    if (!code || !*code || (code[0] == 'u' && code[1] == 'n' && !code[2])) return nullptr;
    return code;
}
