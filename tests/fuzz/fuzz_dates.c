/* fuzz_dates.c — the date parser (engine/dates.c). Byte 0 picks the
 * language, bytes 1-4 a document date (or none); the rest is decoded to
 * UTF-8, split into sentences, recognised against the real kb, and every
 * date expression read. The raw bytes also go to ekg_date_parse_iso. */
#include "ekg/dates.h"
#include "ekg/kb.h"
#include "ekg/read.h"
#include "ekg/recognise.h"
#include "ekg/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ekg_kb *kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *dir = getenv("EKG_ONTOLOGY");
    if (!dir) dir = EKG_SOURCE_DIR "/ontology";
    if (ekg_kb_load(dir, NULL, &kb) != EKG_OK) {
        fprintf(stderr, "fuzz_dates: cannot load the kb from %s\n", dir);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *langs[] = {"en", "de", "fr", "nl", "es", "ru", NULL, "xx"};
    char *raw = malloc(size + 1);
    if (!raw) return 0;
    memcpy(raw, data, size);
    raw[size] = 0;
    ekg_date d;
    char buf[32];
    if (ekg_date_parse_iso(raw, &d)) ekg_date_format(&d, buf, sizeof buf);
    free(raw);
    if (size < 5) return 0;

    const char *lang = langs[data[0] & 7];
    ekg_date doc = {1990 + data[1] % 60, data[2] % 13, data[3] % 32};
    const ekg_date *docp = (data[4] & 1) ? &doc : NULL;
    long days = ekg_date_days(doc.y, doc.m ? doc.m : 1, doc.d ? doc.d : 1);
    ekg_date back;
    ekg_date_from_days(days, &back);

    size_t ulen = 0;
    char *u = ekg_read_to_utf8((const char *)data + 5, size - 5, NULL, &ulen);
    if (!u) return 0;
    ekg_text *t = NULL;
    if (ekg_text_split(u, ulen, lang, &t) == EKG_OK && t) {
        ekg_mention *m = NULL;
        size_t nm = 0;
        if (ekg_recognise(kb, t, lang, &m, &nm) == EKG_OK) {
            ekg_date_span *sp = NULL;
            size_t ns = 0;
            if (ekg_dates_find(t, m, nm, docp, &sp, &ns) == EKG_OK) {
                for (size_t i = 0; i < ns; i++) ekg_date_format(&sp[i].date, buf, sizeof buf);
                free(sp);
            }
            ekg_date line;
            ekg_dates_in_line(t, m, nm, &line);
            free(m);
        }
        ekg_text_free(t);
    }
    free(u);
    return 0;
}
