/* recognise.h — find the kb's entities and lexicon forms in a text.
 *
 * One walk of the kb automaton per token position within each sentence,
 * longest match first, whole tokens only. Lexicon forms match only in the
 * document's language (any language when it is unknown); names match in any
 * language; acronyms and codes only in upper case, and not in sentences
 * written all in capitals. */
#ifndef EKG_RECOGNISE_H
#define EKG_RECOGNISE_H

#include "ekg/kb.h"
#include "ekg/text.h"

typedef struct {
    uint32_t sent;       /* sentence index */
    uint32_t tok0, ntok; /* tokens [tok0, tok0+ntok); for gapped forms the first word */
    uint32_t last;       /* index of the last token (== tok0+ntok-1, or the far word) */
    const ekg_kb_entity *ent; /* entity mention, or NULL */
    const ekg_kb_lex *lex;    /* lexicon mention, or NULL */
    uint8_t how;              /* EKG_OUT_* */
} ekg_mention;

/* Mentions in text order (by tok0, then longest first). *out is malloc'd:
 * the caller frees it with free(). */
ekg_status ekg_recognise(const ekg_kb *kb, const ekg_text *t, const char *lang,
                         ekg_mention **out, size_t *n);

#endif
