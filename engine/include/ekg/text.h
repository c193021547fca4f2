/* text.h — sentences and tokens of a UTF-8 text (ICU break iterators), each
 * token with its folded form (ekg_fold rules), so that recognition matches
 * whole words whatever their case or diacritics.
 *
 * An ekg_text owns its arrays and folded pool; it BORROWS the source text,
 * which must outlive it. Thread-safe: break iterators are cached per thread. */
#ifndef EKG_TEXT_H
#define EKG_TEXT_H

#include "ekg/status.h"
#include <stddef.h>
#include <stdint.h>

enum {
    EKG_TOK_WORD = 1 << 0,   /* letters (and maybe digits) */
    EKG_TOK_NUMBER = 1 << 1, /* digits (maybe with . , inside) */
    EKG_TOK_PUNCT = 1 << 2,  /* one punctuation or symbol character */
    EKG_TOK_UPPER = 1 << 3,  /* every letter upper case (at least one letter) */
    EKG_TOK_CAP = 1 << 4,    /* first letter upper case */
    EKG_TOK_SPACE = 1 << 5   /* white space precedes the token */
};

typedef struct {
    uint32_t start, end; /* byte offsets in the source */
    uint32_t fold, flen; /* folded form: pool offset and length */
    uint32_t flags;
} ekg_token;

typedef struct {
    uint32_t start, end; /* byte offsets in the source (trimmed) */
    uint32_t tok0, ntok; /* its tokens */
} ekg_sentence;

typedef struct ekg_text {
    const char *src; /* borrowed */
    size_t len;
    ekg_token *toks;
    size_t ntoks;
    ekg_sentence *sents;
    size_t nsents;
    char *pool; /* folded forms, each NUL-terminated */
    size_t pool_len, pool_cap;
} ekg_text;

/* Split `utf8` (len bytes, valid UTF-8) into sentences and tokens, using the
 * break rules of `lang` (BCP 47; NULL = root). *out owns the result. */
ekg_status ekg_text_split(const char *utf8, size_t len, const char *lang, ekg_text **out);
/* The same tokens, without sentences (nsents = 0): for short forms (labels)
 * whose sentence boundaries nobody reads. */
ekg_status ekg_text_split_words(const char *utf8, size_t len, const char *lang, ekg_text **out);
void ekg_text_free(ekg_text *t);

/* The folded form of token i (borrowed, NUL-terminated). */
static inline const char *ekg_text_fold_at(const ekg_text *t, size_t i)
{
    return t->pool + t->toks[i].fold;
}

/* Fold one word the way tokens are folded: into buf (cap bytes), returns the
 * length, or (size_t)-1 when it does not fit or memory ran out. */
size_t ekg_text_fold_word(const char *s, size_t n, char *buf, size_t cap);

#endif
