/* event_index.h — a compact table of every event of a store, for queries.
 *
 * One row per event: every IRI subject typed with ekg:Event or a subclass,
 * or the subject of a role (ekg:agent, participant, ledBy, target). A row
 * holds its facts as (role, value) pairs, sorted by role then value:
 *   EKG_EVIDX_TYPE        its types that are event classes
 *   EKG_EVIDX_AGENT … TARGET, DATE, PLACE, FORUM, SOURCE, CONFIDENCE
 * and, for every IRI it holds, a few facts about it (ekg_evidx_eprop) and
 * its links to other IRIs (ekg_event_index_links, for neighbors).
 * Values are interned strings "K" + lexical value, K = I (IRI), L (literal),
 * B (blank node) — the datatype and language of literals are dropped, as the
 * query bindings drop them. String ids follow the strcmp order of those
 * strings, and events are numbered in the strcmp order of their IRIs, so
 * comparing ids compares the strings. An adjacency table gives, for every
 * string, the events in which it is an agent/participant/ledBy/target value.
 *
 * Built from the store by one predicate-keyed scan per predicate (librdf's
 * p2so index) and one pass over every quad for the links, then kept: for a
 * store with a cache directory (a committed BDB generation, see
 * ekg_store_cache_dir) the index is saved there as one file (.events.idx: a
 * versioned header, then flat arrays) on the first open and mapped back by
 * later ones; without (memory stores, writers) it is built in memory per
 * open. The index is read-only once open. */
#ifndef EKG_EVENT_INDEX_H
#define EKG_EVENT_INDEX_H

#include "ekg/status.h"
#include "ekg/store.h"
#include "ekg/term.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ekg_event_index ekg_event_index;

typedef enum {
    EKG_EVIDX_TYPE = 0,
    EKG_EVIDX_AGENT,
    EKG_EVIDX_PARTICIPANT,
    EKG_EVIDX_LEDBY,
    EKG_EVIDX_TARGET,
    EKG_EVIDX_DATE,
    EKG_EVIDX_PLACE,
    EKG_EVIDX_FORUM,
    EKG_EVIDX_SOURCE,
    EKG_EVIDX_CONFIDENCE,
    EKG_EVIDX_NROLES
} ekg_evidx_role;

/* The predicate IRI of a role (rdf:type for EKG_EVIDX_TYPE). */
const char *ekg_event_index_predicate(ekg_evidx_role r);

/* Facts kept about every IRI the index holds (actors, targets, places,
 * documents, classes …, and the events themselves): enough to check a type,
 * find the side an actor is on and label a row without the store. Labels are
 * strings "T" + language tag + TAB + text (the tag may be empty). */
typedef enum {
    EKG_EVIDX_E_TYPE = 0,   /* rdf:type, every class */
    EKG_EVIDX_E_REPRESENTS, /* ekg:represents */
    EKG_EVIDX_E_PARTOF,     /* ekg:partOf */
    EKG_EVIDX_E_PREFLABEL,  /* skos:prefLabel */
    EKG_EVIDX_E_LABEL,      /* rdfs:label */
    EKG_EVIDX_E_TITLE,      /* dcterms:title */
    EKG_EVIDX_E_ALTLABEL,   /* skos:altLabel */
    EKG_EVIDX_E_DATE,       /* dcterms:date */
    EKG_EVIDX_NEPROPS
} ekg_evidx_eprop;
const char *ekg_event_index_eproperty(ekg_evidx_eprop p);

/* The index of `st`: mapped from its cache file when there is a valid one,
 * else built (and, when the store has a cache directory, saved there; a
 * cache that cannot be written is a note, not an error). */
ekg_status ekg_event_index_open(ekg_store *st, const ekg_sink *sink, ekg_event_index **out);
/* Always build from the store, in memory. */
ekg_status ekg_event_index_build(ekg_store *st, const ekg_sink *sink, ekg_event_index **out);
/* Write the index to `path` (a temporary name, then rename). */
ekg_status ekg_event_index_save(const ekg_event_index *x, const char *path, const ekg_sink *sink);
/* Map an index file; EKG_ERR_PARSE when it is not a valid index of
 * generation `generation`. The first load after the file was written reads
 * it whole and checks it, and keeps that verdict in PATH.ok (bound to the
 * file's inode, size and times); later loads of the unchanged file map it
 * without reading it, so a query pages in only what it touches. */
ekg_status ekg_event_index_load(const char *path, unsigned long generation,
                                const ekg_sink *sink, ekg_event_index **out);
void ekg_event_index_free(ekg_event_index *x); /* NULL-safe */

typedef struct {
    size_t events, strings, facts, adjacency, bytes;
    bool from_cache;  /* mapped from the cache file */
    bool checked;     /* mapped, and read whole and checked by this load (else an
                         earlier load's verdict on the unchanged file held) */
    double build_ms;  /* time to build (or map) it */
} ekg_evidx_info;
void ekg_event_index_info(const ekg_event_index *x, ekg_evidx_info *info);

/* ---- strings ---- */
uint32_t ekg_event_index_nstrings(const ekg_event_index *x);
/* "K" + value of string `id` (< nstrings); borrowed, lives with the index. */
const char *ekg_event_index_string(const ekg_event_index *x, uint32_t id);
/* The id of the term (kind, value); false when the index has no such string. */
bool ekg_event_index_find(const ekg_event_index *x, ekg_term_kind kind, const char *value,
                          uint32_t *id);

/* ---- events ---- */
uint32_t ekg_event_index_nevents(const ekg_event_index *x);
/* The string id of an event's IRI. */
uint32_t ekg_event_index_event_iri(const ekg_event_index *x, uint32_t ev);
/* The event whose IRI is `iri`; false when it is not an event. */
bool ekg_event_index_event_find(const ekg_event_index *x, const char *iri, uint32_t *ev);
/* The values of one role of an event (string ids, ascending): the count,
 * and *vals set to that many packed entries; EKG_EVIDX_VAL(vals, i) is the
 * i-th id. */
size_t ekg_event_index_values(const ekg_event_index *x, uint32_t ev, ekg_evidx_role r,
                              const uint32_t **vals);
#define EKG_EVIDX_VAL(vals, i) ((vals)[i] & 0x0FFFFFFFu)
/* The values of one property of string `id` (an IRI), likewise. */
size_t ekg_event_index_entity_values(const ekg_event_index *x, uint32_t id, ekg_evidx_eprop p,
                                     const uint32_t **vals);

/* Every link between IRI `id` and another IRI in the store (any predicate
 * but rdf:type, any graph, once): out = (predicate, object) pairs where id
 * is the subject, else (predicate, subject) pairs where it is the object;
 * the count, *pairs set to 2 × count ids, sorted by predicate then other. */
size_t ekg_event_index_links(const ekg_event_index *x, uint32_t id, bool out,
                             const uint32_t **pairs);

/* The events in which string `id` is the value of a role in AGENT..TARGET:
 * n entries, ascending by event; EKG_EVIDX_ADJ_EVENT(e) is the event and
 * EKG_EVIDX_ADJ_ROLE(e) the role. An event appears once per role. */
size_t ekg_event_index_events_of(const ekg_event_index *x, uint32_t id, const uint32_t **entries);

/* Every predicate used in the store (string ids of IRIs, ascending): the
 * count, *ids set to them. For describe: (s p ?) and (? p o) look-ups, which
 * the store indexes, instead of a scan for everything about s or o. */
size_t ekg_event_index_predicates(const ekg_event_index *x, const uint32_t **ids);
#define EKG_EVIDX_ADJ_EVENT(e) ((e) >> 2)
#define EKG_EVIDX_ADJ_ROLE(e) ((ekg_evidx_role)(EKG_EVIDX_AGENT + ((e) & 3u)))

#endif
