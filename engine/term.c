/* term.c — constructors and comparison for ekg_term. */
#include "ekg/term.h"

#include <string.h>

ekg_term ekg_iri(const char *iri) { return (ekg_term){EKG_TERM_IRI, iri, NULL, NULL}; }
ekg_term ekg_literal(const char *lex, const char *lang)
{
    return (ekg_term){EKG_TERM_LITERAL, lex, (lang && *lang) ? lang : NULL, NULL};
}
ekg_term ekg_typed(const char *lex, const char *dt)
{
    return (ekg_term){EKG_TERM_LITERAL, lex, NULL, dt};
}
ekg_term ekg_blank(const char *id) { return (ekg_term){EKG_TERM_BLANK, id, NULL, NULL}; }

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

bool ekg_term_equal(const ekg_term *a, const ekg_term *b)
{
    return a->kind == b->kind && str_eq(a->value, b->value) && str_eq(a->lang, b->lang) &&
           str_eq(a->datatype, b->datatype);
}
