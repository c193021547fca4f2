/* langid.cc — CLD2 behind a C interface (see langid.h). The only C++ in the
 * engine: CLD2 has no C API. No exceptions or RTTI are used. */
#include "ekg/langid.h"

#include <cstdio> /* compact_lang_det.h uses FILE without including it */
#include <cld2/public/compact_lang_det.h>

/* CLD2's cost is a fixed ~15 µs a call plus ~50 ns a byte; the opening of a
 * press release decides its language, and a longer sample is read only when
 * CLD2 is not sure of the shorter one. */
static const size_t first_sample = 512;
static const size_t second_sample = 4096;

/* Cut a UTF-8 text at most `max` bytes long, at a character boundary. */
static size_t cut(const char *s, size_t len, size_t max)
{
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) n--;
    return n;
}

static CLD2::Language detect(const char *s, size_t len, bool *reliable)
{
    /* The readers give valid UTF-8, but CLD2 also refuses bytes that are not
     * "interchange-valid" (most C0/C1 controls, noncharacters): then it is
     * asked again about the part before the first such byte. */
    int valid = 0;
    CLD2::Language l = CLD2::DetectLanguageCheckUTF8(s, static_cast<int>(len), true, reliable, &valid);
    if (valid >= 0 && static_cast<size_t>(valid) < len && valid >= 40)
        l = CLD2::DetectLanguageCheckUTF8(s, valid, true, reliable, &valid);
    return l;
}

extern "C" const char *ekg_langid_guess(const char *utf8, size_t len)
{
    if (!utf8 || len < 40) return nullptr;
    bool reliable = false;
    size_t n = cut(utf8, len, first_sample);
    CLD2::Language l = detect(utf8, n, &reliable);
    if (!reliable && n < len) l = detect(utf8, cut(utf8, len, second_sample), &reliable);
    if (l == CLD2::UNKNOWN_LANGUAGE || l == CLD2::TG_UNKNOWN_LANGUAGE) return nullptr;
    const char *code = CLD2::LanguageCode(l);
    if (!code || !*code || (code[0] == 'u' && code[1] == 'n' && !code[2])) return nullptr;
    return code;
}
