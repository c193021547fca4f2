/* doc.h — one document as the readers deliver it: UTF-8 body text plus the
 * metadata that was declared or could be read (title, date, language, URL).
 * An ekg_doc owns all its strings. */
#ifndef EKG_DOC_H
#define EKG_DOC_H

#include "ekg/dates.h"
#include <stddef.h>

typedef struct ekg_doc {
    char *path;       /* absolute path; "<path>#item-N" for feed items; "-" for stdin */
    char *name;       /* base name of the file */
    char *text;       /* body, UTF-8, paragraphs separated by blank lines */
    size_t len;
    char *title;      /* or NULL */
    char *lang;       /* BCP 47, declared or guessed; or NULL */
    char *source_url; /* or NULL */
    char *identifier; /* or NULL */
    ekg_date date;    /* publication date; y == 0 when unknown */
    const char *format; /* "text", "markdown", "html", "xml", "rss", "atom" (static) */
    size_t bytes;     /* size of the input it was read from */
} ekg_doc;

void ekg_doc_free(ekg_doc *d);                /* NULL-safe */
void ekg_docs_free(ekg_doc **docs, size_t n); /* frees each and the array */

#endif
