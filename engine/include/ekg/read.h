/* read.h — readers: plain text, Markdown with YAML front matter, HTML
 * (libxml2, recovery mode, no network, no entity expansion), XML, RSS and
 * Atom (one document per item/entry). Bytes are decoded to UTF-8 (BOM,
 * declared charset, UTF-8 validation, Latin-1/Windows-1252 fallback); the
 * language is the declared one, else identified by CLD2 (langid.h).
 *
 * The kb is used only to read dates of header lines (month names); it may be
 * NULL. Thread-safe. */
#ifndef EKG_READ_H
#define EKG_READ_H

#include "ekg/doc.h"
#include "ekg/kb.h"
#include "ekg/status.h"

typedef struct {
    const char *lang;   /* force this language (NULL: declared, else guessed) */
    const char *format; /* force a reader: "text" "markdown" "html" "xml" (NULL: by name and content) */
} ekg_read_opts;

/* Read the file at `path` ("-" = standard input). */
ekg_status ekg_read_file(const ekg_kb *kb, const char *path, const ekg_read_opts *opts,
                         const ekg_sink *sink, ekg_doc ***docs, size_t *n);
/* Read bytes that came from `path` (used for naming and to pick a reader). */
ekg_status ekg_read_buffer(const ekg_kb *kb, const char *path, const char *bytes, size_t len,
                           const ekg_read_opts *opts, const ekg_sink *sink, ekg_doc ***docs,
                           size_t *n);

/* Decode bytes to UTF-8: BOM, then `charset` if given, then UTF-8 if valid,
 * else Windows-1252. Returns a malloc'd NUL-terminated string (length in
 * *outlen) or NULL when out of memory. */
char *ekg_read_to_utf8(const char *bytes, size_t len, const char *charset, size_t *outlen);

#endif
