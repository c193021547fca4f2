/* kb.h — the knowledge base and lexicon, read from ontology/ (every .ttl).
 *
 * ekg_kb_load parses every *.ttl under a directory (recursively, except
 * shapes.ttl) with raptor, and builds: the entities (states, organisations,
 * agencies, people, agreements, places) with the actor each counts for; the
 * lexicon entries (event triggers and cues); and ONE automaton over the
 * folded tokens of every label, adjective, code and lexicon form, which
 * recognise.c walks (longest match, whole words).
 *
 * The kb owns everything it hands out; it is immutable after load and may be
 * shared by threads. */
#ifndef EKG_KB_H
#define EKG_KB_H

#include "ekg/status.h"
#include <stddef.h>
#include <stdint.h>

typedef struct ekg_kb ekg_kb;

typedef enum {
    EKG_KIND_OTHER = 0,
    EKG_KIND_STATE,
    EKG_KIND_IO,     /* international organisation */
    EKG_KIND_ORG,    /* other organisation */
    EKG_KIND_AGENCY,
    EKG_KIND_PERSON,
    EKG_KIND_AGREEMENT,
    EKG_KIND_PLACE
} ekg_kb_kind;

typedef struct ekg_kb_entity {
    const char *iri;
    const char *klass;  /* its rdf:type (most specific given) */
    ekg_kb_kind kind;
    const char *code;   /* ekg:code or NULL */
    const char *parent; /* ekg:represents / ekg:partOf, or NULL */
    const struct ekg_kb_entity *actor; /* state/IO it counts for (itself for those), or NULL */
    const char *label;  /* English prefLabel, else any prefLabel, else the IRI */
} ekg_kb_entity;

typedef enum {
    EKG_CUE_OTHER = 0,
    EKG_CUE_EVENT,      /* signals an event class */
    EKG_CUE_NEGATION,
    EKG_CUE_MODALITY,
    EKG_CUE_REPORTING,
    EKG_CUE_RELDATE,
    EKG_CUE_WEEKDAY,
    EKG_CUE_MONTH,
    EKG_CUE_TITLE,
    EKG_CUE_ADJENDING,
    EKG_CUE_TOPIC,      /* "about", "to discuss", "au sujet de": what a meeting was about */
    EKG_CUE_EXTRA       /* another subclass of ekg:Cue (lexicon-extra.ttl): see lex->signals */
} ekg_cue;

typedef enum {
    EKG_FAM_NONE = 0,
    EKG_FAM_MEETING,
    EKG_FAM_STATEMENT,
    EKG_FAM_STANCE,
    EKG_FAM_ACT
} ekg_family;

enum { EKG_HAS_DAY = 1, EKG_HAS_WEEK = 2, EKG_HAS_MONTH = 4 };

typedef struct ekg_kb_lex {
    const char *iri;
    const char *signals; /* class IRI */
    const char *event;   /* local name of the event class ("Consultation") or NULL */
    ekg_family family;
    ekg_cue cue;
    unsigned offsets;    /* EKG_HAS_* */
    int day_offset, week_offset, month_offset;
    int weekday; /* 1 = Monday … 7, or 0 */
    int month;   /* 1 … 12, or 0 */
    const char *role; /* TitleCue role, or NULL */
} ekg_kb_lex;

/* What a path of the automaton stands for. */
enum { EKG_OUT_LABEL = 0, EKG_OUT_ADJECTIVE, EKG_OUT_CODE, EKG_OUT_LEX };

typedef struct ekg_kb_out {
    const ekg_kb_entity *ent; /* for LABEL / ADJECTIVE / CODE */
    const ekg_kb_lex *lex;    /* for LEX */
    uint8_t how;              /* EKG_OUT_* */
    uint8_t upper;            /* match only upper-case text (acronyms, codes) */
    char lang[6];             /* language of the form ("" = any) */
} ekg_kb_out;

/* A multi-word lexicon form whose words may stand apart in a sentence
 * (German separable verbs "fand* statt"): token ids in order. */
typedef struct ekg_kb_gapform {
    const ekg_kb_lex *lex;
    char lang[6];
    uint32_t n;
    const uint32_t *ids;
} ekg_kb_gapform;

ekg_status ekg_kb_load(const char *ontology_dir, const ekg_sink *sink, ekg_kb **out);
void ekg_kb_free(ekg_kb *kb);

size_t ekg_kb_entity_count(const ekg_kb *kb);
const ekg_kb_entity *ekg_kb_entity_at(const ekg_kb *kb, size_t i);
size_t ekg_kb_lex_count(const ekg_kb *kb);
const ekg_kb_lex *ekg_kb_lex_at(const ekg_kb *kb, size_t i);
/* The objects of the kb's triples (s, p, ·) in file order, at most max
 * (IRIs, "_:id" blank nodes, or literal text); returns the count. For data
 * the entity table does not hold: group members, mandates, issuer sites. */
size_t ekg_kb_objects(const ekg_kb *kb, const char *s, const char *p, const char **out, size_t max);
/* Whether the folded word w is a form (ekg:form) of the word set `set`, in
 * language `lang` (primary subtag compared; NULL: any language). A word set
 * is a closed class of words that extraction rules test for — articles,
 * pronouns, locative prepositions (ekg:WordSet in ontology/lexicon-extra.ttl)
 * — which recognition does not look for, so they make no mentions. Its forms
 * are written folded (lower case, no diacritics). */
int ekg_kb_in_word_set(const ekg_kb *kb, const char *set, const char *lang, const char *w);
/* Entity by IRI, or NULL. */
const ekg_kb_entity *ekg_kb_entity_by_iri(const ekg_kb *kb, const char *iri);
/* The state/IO with code (case-insensitive ASCII), or NULL. */
const ekg_kb_entity *ekg_kb_entity_by_code(const ekg_kb *kb, const char *code);

/* --- the automaton (used by recognise.c) --- */
#define EKG_KB_NO_ID UINT32_MAX
/* A number no other kb of this process has had (a cache made from one kb
 * knows it is stale when another is passed, even at the same address). */
uint64_t ekg_kb_serial(const ekg_kb *kb);
/* Token ids a folded token may stand for: its exact id and the ids of the
 * prefix patterns ("support*") it matches; at most max; returns the count. */
size_t ekg_kb_token_ids(const ekg_kb *kb, const char *fold, size_t flen, uint32_t *ids,
                        size_t max);
/* The id of a stem key ("<lang>\x01<stem>"), or EKG_KB_NO_ID. */
uint32_t ekg_kb_stem_id(const ekg_kb *kb, const char *key, size_t len);
/* Snowball algorithm for a language whose labels were also indexed by stem, or NULL. */
const char *ekg_kb_stemmer_for(const char *lang);
/* Root is node 0. Returns the child, or 0 when there is none. */
uint32_t ekg_kb_step(const ekg_kb *kb, uint32_t node, uint32_t id);
/* Outputs of a node (borrowed). */
const ekg_kb_out *ekg_kb_outputs(const ekg_kb *kb, uint32_t node, size_t *n);
/* Whether some gapped form starts with token id `id` (cheap pre-check). */
int ekg_kb_starts_gap(const ekg_kb *kb, uint32_t id);
/* Gapped forms whose first token id is `id`. */
const ekg_kb_gapform *ekg_kb_gapforms(const ekg_kb *kb, uint32_t first_id, size_t *n);

#endif
