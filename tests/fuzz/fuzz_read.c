/* fuzz_read.c — one reader, forced (EKG_FUZZ_FORMAT: "text", "markdown",
 * "html", "xml"), over any bytes through ekg_read_buffer; every document it
 * returns must be well formed (text NUL-terminated at len, valid pointers).
 * The kb is loaded when the ontology is found (it reads header dates). */
#include "ekg/kb.h"
#include "ekg/read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EKG_FUZZ_FORMAT
#error "define EKG_FUZZ_FORMAT"
#endif

static ekg_kb *kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *dir = getenv("EKG_ONTOLOGY");
    if (!dir) dir = EKG_SOURCE_DIR "/ontology";
    if (!getenv("EKG_FUZZ_NO_KB") && ekg_kb_load(dir, NULL, &kb) != EKG_OK) kb = NULL;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *names[] = {"fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.xml", "fuzz.rss"};
    ekg_read_opts opts = {NULL, EKG_FUZZ_FORMAT};
    ekg_doc **docs = NULL;
    size_t n = 0;
    const char *name = names[size ? data[size - 1] % 5 : 0];
    ekg_status st = ekg_read_buffer(kb, name, (const char *)data, size, &opts, NULL, &docs, &n);
    if (st == EKG_OK) {
        for (size_t i = 0; i < n; i++) {
            const ekg_doc *d = docs[i];
            if (!d) { fprintf(stderr, "fuzz_read: document %zu is NULL\n", i); abort(); }
            if (!d->text) { fprintf(stderr, "fuzz_read: document %zu has NULL text (len %zu)\n", i, d->len); abort(); }
            if (d->text[d->len] != 0) { fprintf(stderr, "fuzz_read: text of document %zu not NUL-terminated at len %zu\n", i, d->len); abort(); }
            if (d->title) (void)strlen(d->title);
            if (d->lang) (void)strlen(d->lang);
        }
        ekg_docs_free(docs, n);
    }
    /* the decoder on its own */
    size_t ulen = 0;
    free(ekg_read_to_utf8((const char *)data, size, size > 2 && data[0] == '!' ? "ISO-8859-1" : NULL, &ulen));
    return 0;
}
