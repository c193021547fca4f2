/* langid.h — which language a text is written in (CLD2, Google's Compact
 * Language Detector 2, as packaged by Debian).
 *
 * Used by the readers when a document declares no language. CLD2 scores
 * quadgrams and words of the text's script against some 80 languages; it is
 * about ten times cheaper than libexttextcat's n-gram ranking on the same
 * bytes and more accurate on short, all-caps or mixed-language openings.
 * Thread-safe: CLD2 keeps no state between calls. */
#ifndef EKG_LANGID_H
#define EKG_LANGID_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The language of the UTF-8 text `utf8` (`len` bytes; need not be
 * NUL-terminated; invalid UTF-8 is tolerated): a static ISO 639-1 code such
 * as "en" or "de" (a longer BCP 47 tag for the few languages without one, as
 * CLD2 names them), or NULL when the text is too short or CLD2 cannot tell.
 * Only an opening of the text is read: 256 bytes, or 512 or 4 KB when CLD2
 * is not sure of the shorter one. */
const char *ekg_langid_guess(const char *utf8, size_t len);

#ifdef __cplusplus
}
#endif

#endif
