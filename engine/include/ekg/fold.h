/* fold.h — case and diacritic folding (ICU), the one definition of
 * "the same name" used by recognition, the query resolver and the checks. */
#ifndef EKG_FOLD_H
#define EKG_FOLD_H

#include <stddef.h>

/* Fold UTF-8 text: Unicode full case folding (ß → ss), canonical
 * decomposition with combining marks removed (é → e, ё → е, й → и),
 * typographic apostrophes and dashes unified ('’' → '\'', '‐–—' → '-'), and runs of white space
 * collapsed to one space. Invalid UTF-8 is replaced by U+FFFD.
 * Returns a malloc'd NUL-terminated string the caller frees, or NULL when
 * out of memory. len == (size_t)-1 means NUL-terminated input. */
char *ekg_fold(const char *utf8, size_t len);

/* The same folding into buf (cap bytes, NUL-terminated): returns the length,
 * or (size_t)-1 when it does not fit or ICU failed. No allocation for short
 * inputs. */
size_t ekg_fold_into(const char *utf8, size_t len, char *buf, size_t cap);

#endif
