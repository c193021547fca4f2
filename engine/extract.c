/* extract.c — events from one document: recognition and dates per sentence,
 * then rules per trigger, then one event per key (class, sides, date,
 * target), then triples.
 *
 * Rules (named in ekg:rule):
 *   meeting.compound  a trigger with a compound of two sides before it
 *                     ("russisch-französische Konsultationen", "EU-US summit")
 *   meeting.sides     a trigger with two or more sides in its sentence
 *   meeting.anaphor   "the last one was held in …" (MeetingAnaphorCue + HeldCue):
 *                     an earlier edition of the meeting just mentioned
 *                     (asserted or only planned), same sides, this date
 *   statement.agent   a statement trigger and its speaker
 *   statement.title   the document's title announces a statement of its sides
 *   stance.agent      a stance/act trigger, its agent (subject, or the
 *                     sentence before's subject) and its target after it
 *   stance.sponsor    "US-led declaration", "Russian-sponsored resolution"
 * A trigger is skipped when a negation or modality cue stands just before it
 * (planned, hypothetical or negated events are not asserted).
 *
 * Who the sides and agents are (cues of lexicon-extra.ttl, data of
 * kb/extra-*.ttl):
 *   - informal groupings (ekg:InformalGrouping, e.g. G7, E3) meet as their
 *     ekg:member states, and speak for them when the document names them all;
 *   - the document's issuer (official site of its source URL or of a "Source
 *     https://…" line, kb/extra-issuers.ttl; else the one body a statement
 *     title names) is the subject "we"/"I", an unnamed "the President" opening
 *     a sentence, and a titled official with no state named near;
 *   - "the leaders"/"both sides" (SidesCue) are the sides of the latest
 *     meeting led by named people (else of the meeting just reported, else the
 *     conjoined subject of the sentence before);
 *   - clauses: a comma + conjunction with its own subject, a complementizer
 *     ("that", "que") with its own subject, the last comma before the trigger
 *     when the subject follows it, colon/semicolon, and after a comma a
 *     relative or adverbial clause, bound the agents and sides;
 *   - passive participles take the actor(s) after "by"/"par"/"von" as agents,
 *     or the one before a German participle ("die von X gestartete …");
 *   - a family name alone is the person named in full before;
 *   - "the treaty"/"l'accord" is the agreement named last (first the title's);
 *   - "meetings with X" (CounterpartCue) with no subject named in the clause:
 *     the subject is the issuer, else the subject of the sentence before, else
 *     the home state of the news outlet (ekg:homeState, kb/extra-issuers.ttl);
 *     a plural meeting noun with several counterparts is one meeting each;
 *   - people introduced by title: honorifics and title modifiers are not the
 *     name ("vicepresidente segundo", "M."); with no state near, the issuer's
 *     or the outlet's home state's; one side per person per document; a
 *     person or agency as side is always replaced by whom it acts for;
 *   - "we" in a joint statement whose title names no party: the sides of the
 *     meeting it reports; a stance entry with ekg:targetKind ekg:Actor takes
 *     no agreement as target; a negation inside a separable verb or closing
 *     the clause (FinalNegationCue) blocks the trigger;
 *   - a visit to a place has its state as host; "successively" splits a
 *     meeting per counterpart; a meeting joined by more sides, or named again
 *     with fewer, is the same meeting; a meeting dated after the document is
 *     planned, not reported. */
#include "ekg/extract.h"

#include "ekg/fold.h"
#include "ekg/read.h"
#include "ekg/recognise.h"
#include "ekg/text.h"
#include "extract_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define NS EKG_NS
#define MAXSIDES 48

typedef struct {
    const char *iri;    /* actor IRI (state/IO) */
    const char *person; /* person IRI standing for it, or NULL */
    uint32_t tok;       /* first token */
    uint32_t last;
    uint8_t adjective;  /* adjective/combining form */
    uint8_t kind;       /* ekg_kb_kind of the mention itself */
    uint8_t forumish;   /* an agency/body of an IO */
    uint8_t locative;   /* a state named after "in", "в", "en": where, not who */
} actor_m;

typedef struct {
    const char *klass; /* local name */
    ekg_family fam;
    const char *sides[MAXSIDES];
    size_t nsides;
    const char *target;
    ekg_date date;
    const char *place;
    const char *forum;
    const char *led[8];
    size_t nled;
    uint32_t sent[16];
    size_t nsent;
    double conf;
    const char *rule;
    char key[1024];
} event;

/* An empty event of class klass, family fam, made by rule at confidence
 * conf (its sentences, sides and the rest are added by the caller). */
static void event_start(event *e, const char *klass, ekg_family fam, const char *rule, double conf)
{
    memset(e, 0, sizeof *e);
    e->klass = klass;
    e->fam = fam;
    e->rule = rule;
    e->conf = conf;
}

typedef struct {
    uint8_t *flags; /* per token of the sentence: inside a quotation */
    size_t cap;
    uint32_t sent0, end;
    uint32_t firstq; /* first token inside a quotation, or UINT32_MAX */
    int valid;
} quote_cache;

typedef struct {
    const ekg_kb *kb;
    const ekg_doc *doc;
    quote_cache *qc;
    ekg_text *t;
    ekg_mention *m;
    size_t nm;
    ekg_date_span *ds;
    size_t nds;
    ekg_triples *g;
    const char *doc_iri;
    char hash[33];
    event *ev;
    size_t nev, capev;
    xarena arena;
    const char *last_subject;
    const char *last_speaker;     /* the agent of the latest statement, and its sentence */
    uint32_t last_speaker_sent;
    uint32_t last_subject_sent;  /* the sentence it is the subject of */
    const char *last_subjects[8]; /* "España y Marruecos": the conjoined subject of the sentence before */
    size_t nlast_subjects;
    const ekg_kb_entity *last_agreement; /* the agreement named last, for "the treaty" */
    const char *issuer;          /* actor whose official site published the document, or NULL */
    const char *home;            /* the state the news outlet that published it reports from, or NULL */
    struct {
        const char *klass;
        const char *sides[MAXSIDES];
        size_t nsides;
        uint32_t sent;
        int set;
    } mention;                   /* the latest meeting word with two sides or more, asserted or not */
    struct {
        const char *iri, *rep;
    } created[64];               /* people created from a title in this document, and whom they represent */
    size_t ncreated;
    const char *dactors[256];    /* distinct actors the document mentions */
    size_t ndactors;
    const char *joint[MAXSIDES]; /* sides of a joint statement the title announces */
    size_t njoint;
    long last_meeting;           /* index of the latest meeting event, or -1 */
    struct {
        const char *family; /* folded last word of the full name */
        const char *actor, *person;
    } named[64];                 /* people named in full so far: "Sullivan" after "Jake Sullivan" */
    size_t nnamed;
    int title_meeting;
    int title_joint;             /* the title announces a joint statement */
    int title_statement;         /* the title announces a statement and names none of its parties */           /* the title names a meeting first ("Телефонный разговор с …") */
    long last_led_meeting;       /* … of the latest one led by two or more named people */
} ctx;

/* Extraction cues declared in lexicon-extra.ttl (EKG_CUE_EXTRA). */
#define CUE_SIDES NS "SidesCue"       /* "the leaders", "both sides": the sides of the meeting */
#define CUE_SELF NS "SelfCue"         /* "we", "nous": the issuer, or the joint statement's sides */
#define CUE_CONJ NS "ConjunctionCue"  /* "and", "et": after a comma, a new clause */
#define CUE_APART NS "DistributiveCue" /* "successively", "separately": one meeting per counterpart */
#define CUE_THAT NS "ComplementizerCue" /* "that", "que", "dass": a subordinate clause with its own subject */
#define CUE_SUB NS "SubordinateClauseCue" /* ", which", ", ya que": a clause about something else */
#define CUE_AGR NS "AgreementAnaphorCue" /* "the treaty", "l'accord": the agreement just named */
#define CUE_PRESENT NS "PresentationCue" /* "presented": a Proposal of an agreement or initiative */
#define CUE_BY NS "AgentCue"          /* "by", "par", "von": the agent of a passive participle */
#define CUE_SPONSOR NS "SponsorCue"   /* "-led", "-sponsored": "US-led declaration" */
#define CUE_HONORIFIC NS "HonorificCue" /* "Mr.", "M.", "Frau", "г-н": not part of the name */
#define CUE_TMOD NS "TitleModifierCue"  /* "vicepresidente segundo", "ministre délégué" */
#define CUE_WITH NS "CounterpartCue"    /* "with", "con", "avec": the counterparts of a meeting follow */
#define CUE_MANAPH NS "MeetingAnaphorCue" /* "the last one", "la última" */
#define CUE_HELD NS "HeldCue"           /* "was held", "se celebró" */
#define CUE_FINALNEG NS "FinalNegationCue" /* "nicht", "niet" closing the clause */
#define CUE_TTOPIC NS "TitleTopicCue"   /* "Statement by X on …": in a title, its subject follows */
#define CUE_PRIOR NS "PriorCue"         /* "ahead of", "kurz vor dem": the meeting after it was still to come */
#define CUE_BODY NS "StateBodyCue"      /* "authorities", "peuple": with a state's adjective, the state */
#define CUE_DURING NS "DuringCue"       /* "during the", "в ходе": the meeting after it is the one just reported */
#define CUE_LOC NS "LocativeCue"        /* "in", "в", "en": the state after it is a place */
#define CUE_FRAME NS "FrameworkCue"     /* "within the framework of", "в рамках": the organisation after it is the setting */
#define CUE_COUNTRIES NS "CountriesCue" /* "countries", "pays": "des pays du sud de l'UE" are states, not the EU */

static int extra_cue(const ekg_mention *m, const char *cls)
{
    return m->lex && m->lex->cue == EKG_CUE_EXTRA && m->lex->signals && strcmp(m->lex->signals, cls) == 0;
}

/* ---------- helpers ---------- */

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *intern(ctx *c, const char *s) { return ekg_triples_intern(c->g, s); }

static int is_punct(const ekg_text *t, uint32_t i, const char *set)
{
    return (t->toks[i].flags & EKG_TOK_PUNCT) && t->toks[i].end - t->toks[i].start == 1 &&
           strchr(set, t->src[t->toks[i].start]) != NULL;
}

static const ekg_date_span *date_for(const ctx *c, uint32_t sent, uint32_t tok)
{
    const ekg_date_span *best = NULL;
    long bestd = 0;
    for (size_t i = 0; i < c->nds; i++) {
        const ekg_date_span *d = &c->ds[i];
        if (d->sent != sent) continue;
        long dist = (long)d->tok0 - (long)tok;
        if (dist < 0) dist = -dist;
        if (d->year_only) dist += 10000; /* a bare year only when nothing better */
        if (!best || dist < bestd) best = d, bestd = dist;
    }
    return best;
}

static void slugify(const char *fold, char *out, size_t cap)
{
    size_t w = 0;
    int dash = 0, nonascii = 0;
    for (const char *p = fold; *p && w + 2 < cap; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (dash && w) out[w++] = '-';
            dash = 0;
            out[w++] = (char)ch;
        } else {
            if (ch >= 0x80) nonascii = 1;
            dash = 1;
        }
    }
    out[w] = 0;
    if (nonascii || w == 0) {
        XXH64_hash_t h = XXH3_64bits(fold, strlen(fold));
        snprintf(out, cap, "p-%016llx", (unsigned long long)h);
    }
}

/* ---------- groupings, issuers ---------- */

/* Whether the kb types `iri` as `cls` (a lexical entry's kind). */
static int has_type(const ctx *c, const char *iri, const char *cls)
{
    const char *o[8];
    size_t n = iri ? ekg_kb_objects(c->kb, iri, EKG_RDF_TYPE, o, 8) : 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(o[i], cls) == 0) return 1;
    return 0;
}

static int is_grouping(const ctx *c, const char *iri)
{
    const char *o[8];
    size_t n = ekg_kb_objects(c->kb, iri, EKG_RDF_TYPE, o, 8);
    for (size_t i = 0; i < n; i++)
        if (strcmp(o[i], NS "InformalGrouping") == 0) return 1;
    return 0;
}

/* An informal grouping with known members: it meets as those members. */
static int expands(const ctx *c, const char *iri)
{
    const char *o[1];
    return is_grouping(c, iri) && ekg_kb_objects(c->kb, iri, NS "member", o, 1) == 1;
}

static int doc_mentions(const ctx *c, const char *iri)
{
    for (size_t i = 0; i < c->ndactors; i++)
        if (strcmp(c->dactors[i], iri) == 0) return 1;
    return 0;
}

/* Agents that are informal groupings whose every member the document names
 * ("La France, l'Allemagne et le Royaume-Uni (les E3)") stand for those
 * members; otherwise the grouping speaks as itself ("G7 Leaders"). */
static size_t expand_agents(const ctx *c, const char **ag, const char **pe, size_t n, size_t max)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_grouping(c, ag[i])) continue;
        const char *mem[MAXSIDES];
        size_t nm = ekg_kb_objects(c->kb, ag[i], NS "member", mem, MAXSIDES);
        if (!nm || n - 1 + nm > max) continue;
        size_t k = 0;
        while (k < nm && doc_mentions(c, mem[k])) k++;
        if (k < nm) continue;
        ag[i] = mem[0];
        pe[i] = NULL;
        for (k = 1; k < nm; k++) {
            int dup = 0;
            for (size_t q = 0; q < n; q++)
                if (strcmp(ag[q], mem[k]) == 0) dup = 1;
            if (!dup) pe[n] = NULL, ag[n++] = mem[k];
        }
    }
    return n;
}

/* The actor whose official site the document comes from: its source URL,
 * else the first "https://…" in the text whose host (or a parent domain)
 * is an ekgid:site/<host> with ekg:operatedBy. */
static const char *site_actor(const ctx *c, const char *url, size_t len, const char *prop)
{
    const char *p = url, *e = url + len;
    const char *colon = NULL;
    for (const char *q = p; q + 2 < e; q++)
        if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
            colon = q;
            break;
        }
    if (!colon) return NULL;
    p = colon + 3;
    char host[128];
    size_t n = 0;
    while (p < e && n + 1 < sizeof host && *p != '/' && *p != ':' && *p != '?' && *p != '#' &&
           *p != ',' && *p != ' ' && *p != '"' && *p != ')' && (unsigned char)*p > ' ') {
        char ch = *p++;
        host[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    while (n && host[n - 1] == '.') n--;
    host[n] = 0;
    const char *o[1];
    if (p < e && *p == '/') {
        /* an edition: "elpais.com/mexico" */
        char seg[64];
        size_t k = 0;
        for (const char *q = p + 1; q < e && k + 1 < sizeof seg && *q != '/' && *q != '?' && *q != '#' &&
                                    *q != '"' && (unsigned char)*q > ' ';
             q++)
            seg[k++] = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
        seg[k] = 0;
        const char *h = host;
        if (strncmp(h, "www.", 4) == 0) h += 4;
        char iri[260];
        snprintf(iri, sizeof iri, EKG_ID "site/%s/%s", h, seg);
        if (k && ekg_kb_objects(c->kb, iri, prop, o, 1)) {
            const ekg_kb_entity *en = ekg_kb_entity_by_iri(c->kb, o[0]);
            return en && en->actor ? en->actor->iri : NULL;
        }
    }
    for (const char *h = host; h && strchr(h, '.'); h = strchr(h, '.') ? strchr(h, '.') + 1 : NULL) {
        char iri[200];
        snprintf(iri, sizeof iri, EKG_ID "site/%s", h);
        if (ekg_kb_objects(c->kb, iri, prop, o, 1)) {
            const ekg_kb_entity *en = ekg_kb_entity_by_iri(c->kb, o[0]);
            return en && en->actor ? en->actor->iri : NULL;
        }
    }
    return NULL;
}

static const char *issuer_of_url(const ctx *c, const char *url, size_t len)
{
    return site_actor(c, url, len, NS "operatedBy");
}

/* The state a news outlet reports from (ekg:homeState of its site or edition). */
static const char *find_home(const ctx *c)
{
    const ekg_doc *d = c->doc;
    if (d->source_url && *d->source_url) return site_actor(c, d->source_url, strlen(d->source_url), NS "homeState");
    return NULL;
}

static const char *find_issuer(const ctx *c)
{
    const ekg_doc *d = c->doc;
    if (d->source_url && *d->source_url) return issuer_of_url(c, d->source_url, strlen(d->source_url));
    const char *t = d->text, *e = d->text + d->len;
    for (const char *p = t; p + 8 < e && (p = memchr(p, 'h', (size_t)(e - p - 8))); p++)
        if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0) {
            const char *r = issuer_of_url(c, p, (size_t)(e - p) < 300 ? (size_t)(e - p) : 300);
            if (r) return r;
        }
    return NULL;
}

/* ---------- mentions of a sentence ---------- */

typedef struct {
    actor_m a[128];
    size_t na;
    const ekg_mention *agr[32]; /* agreement mentions */
    size_t nagr;
    const ekg_mention *place;     /* the first place mention */
    const ekg_mention *places[8]; /* every place mention, in order */
    size_t nplace;
    const ekg_mention *lex[128];
    size_t nlex;
    ekg_mention synth[4]; /* agreements referred to by "the treaty" */
    size_t nsynth;
} sent_m;

static int covered(const ekg_mention *m, uint32_t tok) { return tok >= m->tok0 && tok <= m->last; }

/* The place of an event is the place named nearest its trigger: "talks held
 * on 15 November in Moscow to follow up what was agreed in Saint Petersburg"
 * were held in Moscow. A tie goes to the place after the trigger. */
static const ekg_mention *place_near(const sent_m *s, uint32_t tok)
{
    const ekg_mention *best = NULL;
    uint32_t bd = UINT32_MAX;
    for (size_t i = 0; i < s->nplace; i++) {
        const ekg_mention *m = s->places[i];
        uint32_t d = m->tok0 > tok ? m->tok0 - tok : m->last < tok ? tok - m->last : 0;
        if (d < bd || (d == bd && m->tok0 > tok)) best = m, bd = d;
    }
    return best;
}

static void add_actor(sent_m *s, const char *iri, const char *person, uint32_t tok, uint32_t last,
                      int adj, int kind, int forumish)
{
    if (s->na >= sizeof s->a / sizeof s->a[0]) return;
    actor_m *a = &s->a[s->na++];
    a->iri = iri, a->person = person, a->tok = tok, a->last = last;
    a->adjective = (uint8_t)adj, a->kind = (uint8_t)kind, a->forumish = (uint8_t)forumish;
}

static void remember(ctx *c, uint32_t last_tok, uint32_t first_tok, const char *actor, const char *person);

/* A person named by tokens n0..i-1 with title m: the state or organisation
 * they stand for (best, else the issuer's, else the news outlet's home
 * state's), created as an ekg:Person unless known, and a side of s. */
static void titled_person(ctx *c, sent_m *s, const ekg_mention *m, uint32_t n0, uint32_t i, const actor_m *best,
                          int use_home)
{
    const ekg_text *t = c->t;
    const char *rep_iri = best ? best->iri : c->issuer ? c->issuer : use_home ? c->home : NULL;
    if (!rep_iri) return;
    char name[512];
    size_t nl = t->toks[i - 1].end - t->toks[n0].start;
    if (nl >= sizeof name) return;
    memcpy(name, t->src + t->toks[n0].start, nl);
    name[nl] = 0;
    char *f = ekg_fold(name, nl);
    if (!f) return;
    char slug[128], iri[256];
    slugify(f, slug, sizeof slug);
    free(f);
    snprintf(iri, sizeof iri, EKG_ID "person/%s", slug);
    const char *piri = intern(c, iri);
    const ekg_kb_entity *known = ekg_kb_entity_by_iri(c->kb, iri);
    if (known && known->actor) rep_iri = known->actor->iri;
    /* one person, one side: the state found at the first mention */
    int again = 0;
    for (size_t q = 0; q < c->ncreated; q++)
        if (strcmp(c->created[q].iri, piri) == 0) rep_iri = c->created[q].rep, again = 1;
    if (!known && !again) {
        if (c->ncreated < sizeof c->created / sizeof c->created[0]) {
            c->created[c->ncreated].iri = piri;
            c->created[c->ncreated++].rep = rep_iri;
        }
        ekg_term sj = ekg_iri(piri);
        ekg_term p = ekg_iri(EKG_RDF_TYPE), o = ekg_iri(NS "Person");
        ekg_triples_add(c->g, &sj, &p, &o);
        /* the name as written is its label in English too (every entity
         * has an English label: `ekg check`) */
        p = ekg_iri(EKG_SKOS "prefLabel");
        o = ekg_literal(name, "en");
        ekg_triples_add(c->g, &sj, &p, &o);
        if (c->doc->lang && strncmp(c->doc->lang, "en", 2) != 0) {
            o = ekg_literal(name, c->doc->lang);
            ekg_triples_add(c->g, &sj, &p, &o);
        }
        p = ekg_iri(NS "represents");
        o = ekg_iri(rep_iri);
        ekg_triples_add(c->g, &sj, &p, &o);
        if (m->lex->role) {
            p = ekg_iri(NS "role");
            o = ekg_literal(m->lex->role, "en");
            ekg_triples_add(c->g, &sj, &p, &o);
        }
    }
    add_actor(s, rep_iri, piri, n0, i - 1, 0, EKG_KIND_PERSON, 0);
    remember(c, i - 1, n0, rep_iri, piri);
}

/* A name before its title, set off by a comma ("Niels Annen, ministre
 * d'État allemand", "Henri Verdier, ambassadeur pour le numérique"): 2-4
 * capitalised words no mention covers, the whole of them (not preceded by a
 * short lower-case word: "im Bereich Informationssicherheit, Botschafter …"
 * is no name); the state is the one the title names, up to its next comma. */
static int named_before(ctx *c, uint32_t si, sent_m *s, const ekg_mention *m, const ekg_mention *sm, size_t nsm)
{
    const ekg_text *t = c->t;
    uint32_t t0 = t->sents[si].tok0, end = t0 + t->sents[si].ntok;
    uint32_t k = m->tok0;
    /* ", le ministre": an article may stand between */
    if (k > t0 && (t->toks[k - 1].flags & EKG_TOK_WORD) && !(t->toks[k - 1].flags & EKG_TOK_CAP) &&
        t->toks[k - 1].end - t->toks[k - 1].start <= 3)
        k--;
    if (k < t0 + 3 || !is_punct(t, k - 1, ",")) return 0;
    uint32_t e = k - 1, b = e;
    while (b > t0 && e - b < 4) {
        const ekg_token *tk = &t->toks[b - 1];
        if (!(tk->flags & EKG_TOK_WORD) || !(tk->flags & EKG_TOK_CAP) ||
            ((tk->flags & EKG_TOK_UPPER) && tk->end - tk->start > 1))
            break;
        int inm = 0;
        for (size_t q = 0; q < nsm; q++)
            if (covered(&sm[q], b - 1)) inm = 1;
        if (inm) break;
        b--;
    }
    if (e - b < 2) return 0;
    if (b > t0) {
        const ekg_token *p = &t->toks[b - 1];
        if ((p->flags & EKG_TOK_WORD) && (p->flags & EKG_TOK_CAP) && !(p->flags & EKG_TOK_UPPER)) {
            int inm = 0; /* a longer run of capitalised words: not one name */
            for (size_t q = 0; q < nsm; q++)
                if (covered(&sm[q], b - 1)) inm = 1;
            if (!inm) return 0;
        }
        if ((p->flags & EKG_TOK_WORD) && !(p->flags & EKG_TOK_CAP) && p->end - p->start <= 3) return 0;
        if (is_punct(t, b - 1, "-")) return 0; /* "Peter-Dietmar Leber": part of a name */
    }
    const actor_m *best = NULL;
    for (size_t q = 0; q < s->na && !best; q++) {
        const actor_m *a = &s->a[q];
        if (a->person || a->tok <= m->last || a->tok > m->last + 20) continue;
        int cut = 0;
        for (uint32_t g = m->last + 1; g < a->tok && g < end; g++)
            if (is_punct(t, g, ",;:")) cut = 1;
        if (!cut) best = a;
    }
    /* (with no state named, the issuer's official; a news outlet's home
     * state is no guess for a name it lists: "Katherine Tai, representante
     * comercial; Gina Raimondo, secretaria de Comercio") */
    titled_person(c, s, m, b, e, best, 0);
    return 1;
}

/* Persons introduced by a title: TitleCue, then 1-4 capitalised words that
 * are no mention; the state is the nearest state mention around. */
static void titled_persons(ctx *c, uint32_t si, sent_m *s, const ekg_mention *sm, size_t nsm)
{
    const ekg_text *t = c->t;
    uint32_t end = t->sents[si].tok0 + t->sents[si].ntok;
    for (size_t k = 0; k < nsm; k++) {
        const ekg_mention *m = &sm[k];
        if (!m->lex || m->lex->cue != EKG_CUE_TITLE) continue;
        if (named_before(c, si, s, m, sm, nsm)) continue;
        uint32_t i = m->last + 1;
        /* "Botschafter Frankreichs Pierre Lenoir", "Президентом США Дональдом
         * Трампом": the state may stand between title and name */
        const actor_m *between = NULL;
        for (size_t q = 0; q < s->na; q++) {
            if (s->a[q].person || s->a[q].tok < i || s->a[q].tok > i + 2) continue;
            /* "l'ambassadeur de France, M. …", "Ambassador of Japan …": only
             * short lower-case words (a preposition, an article) before it */
            int ok = 1;
            for (uint32_t g = i; g < s->a[q].tok; g++) {
                const ekg_token *tk = &t->toks[g];
                if ((tk->flags & EKG_TOK_CAP) || tk->end - tk->start > 3 ||
                    ((tk->flags & EKG_TOK_PUNCT) && !is_punct(t, g, "'")))
                    ok = 0;
            }
            if (!ok) continue;
            between = &s->a[q];
            i = s->a[q].last + 1;
            break;
        }
        if (i < end && is_punct(t, i, ",")) i++;
        /* "vicepresidente segundo Pablo Iglesias", "ambassadeur …, M. Julien
         * Marchetti": a title modifier and an honorific are not the name */
        for (int skipped = 1; skipped && i < end;) {
            skipped = 0;
            for (size_t q = 0; q < nsm; q++)
                if (sm[q].tok0 == i && (extra_cue(&sm[q], CUE_HONORIFIC) || extra_cue(&sm[q], CUE_TMOD))) {
                    i = sm[q].last + 1;
                    skipped = 1;
                    break;
                }
        }
        uint32_t n0 = i;
        while (i < end && i - n0 < 4 && (t->toks[i].flags & EKG_TOK_WORD) &&
               (t->toks[i].flags & EKG_TOK_CAP) && !(t->toks[i].flags & EKG_TOK_UPPER && t->toks[i].end - t->toks[i].start > 1)) {
            int inm = 0;
            for (size_t q = 0; q < nsm; q++)
                if (covered(&sm[q], i)) inm = 1;
            if (inm) break;
            i++;
            /* initials "N." */
            if (i < end && is_punct(t, i, ".") && t->toks[i - 1].end - t->toks[i - 1].start == 1) i++;
        }
        uint32_t nwords = 0;
        for (uint32_t q = n0; q < i; q++)
            if (t->toks[q].flags & EKG_TOK_WORD) nwords++;
        if (nwords == 0 && c->issuer && !between && m->tok0 <= t->sents[si].tok0 + 1) {
            /* "The President said", "Le président de la République s'est
             * entretenu": a title without a name or a state, as the subject of
             * an official text, is the issuer's office holder */
            int near = 0; /* ("The President of Mexico", not "The President welcomed Australia's …") */
            for (size_t q = 0; q < s->na; q++)
                if (s->a[q].tok > m->last && s->a[q].tok <= m->last + 3) {
                    near = 1;
                    for (uint32_t g = m->last + 1; g < s->a[q].tok; g++)
                        if (!(t->toks[g].flags & EKG_TOK_WORD) || (t->toks[g].flags & EKG_TOK_CAP) ||
                            t->toks[g].end - t->toks[g].start > 3)
                            near = 0;
                }
            if (!near) add_actor(s, c->issuer, NULL, m->tok0, m->last, 0, EKG_KIND_PERSON, 0);
            continue;
        }
        if (nwords < 2) continue; /* a full name: given and family name */
        /* a known person right there? then recognition has it already */
        /* the state: nearest state/IO actor mention within 5 tokens before the
         * title or 4 after the name */
        const actor_m *best = between;
        long bd = 0;
        for (size_t q = 0; q < s->na && !between; q++) {
            const actor_m *a = &s->a[q];
            if (a->person) continue;
            long d;
            if (a->last < m->tok0 && m->tok0 - a->last <= 5) d = (long)(m->tok0 - a->last);
            else if (a->tok >= m->tok0 && a->tok < n0) d = 1; /* inside the title ("of France") */
            else if (a->tok >= i && a->tok - i <= 3) {
                /* "… led by Ambassador X; the Polish delegation": not past a clause's end */
                int cut = 0;
                for (uint32_t q = i; q < a->tok; q++)
                    if (is_punct(t, q, ";:")) cut = 1;
                if (cut) continue;
                d = (long)(a->tok - i) + 1;
            } else
                continue;
            if (!best || d < bd) best = a, bd = d;
        }
        /* no state named near: in an official text, the issuer's official
         * ("National Security Advisor Jon Finer spoke with …"); in a national
         * news outlet, its home state's ("el vicepresidente segundo Pablo
         * Iglesias" in a Spanish paper) */
        titled_person(c, s, m, n0, i, best, 1);
    }
}

/* Whether a name mention is written as a name: some letter of it upper case.
 * A state's, organisation's or person's name is capitalised in every language
 * the extractor reads; "reunión" (a meeting) is not "Reunión" (the island). */
static int capitalised(const ekg_text *t, const ekg_mention *m)
{
    int32_t i = (int32_t)t->toks[m->tok0].start, end = (int32_t)t->toks[m->last].end;
    while (i < end) {
        UChar32 ch;
        U8_NEXT((const uint8_t *)t->src, i, end, ch);
        if (ch > 0 && u_isupper(ch)) return 1;
    }
    return 0;
}

static int name_ok(const ekg_kb *kb, const ekg_text *t, const ekg_mention *m)
{
    const ekg_kb_entity *e = m->ent;
    /* an ISO code alone is not how prose names a state ("CRI" is the
     * Counter Ransomware Initiative, not Costa Rica); codes that are names
     * ("USA") are labels as well */
    if (e && e->kind == EKG_KIND_STATE && m->how == EKG_OUT_CODE) {
        static const char *const lp[] = {EKG_SKOS "prefLabel", EKG_SKOS "altLabel", EKG_SKOS "hiddenLabel"};
        size_t n = t->toks[m->last].end - t->toks[m->tok0].start;
        const char *src = t->src + t->toks[m->tok0].start;
        for (size_t p = 0; p < 3; p++) {
            const char *o[64];
            size_t no = ekg_kb_objects(kb, e->iri, lp[p], o, 64);
            for (size_t i = 0; i < no; i++)
                if (strlen(o[i]) == n && strncasecmp(o[i], src, n) == 0) return 1;
        }
        return 0;
    }
    /* "US$1.000", "C$": a currency, not the state */
    if (m->last + 1 < t->ntoks && t->toks[m->last + 1].start == t->toks[m->last].end &&
        t->toks[m->last + 1].end - t->toks[m->last + 1].start == 1 && t->src[t->toks[m->last + 1].start] == '$')
        return 0;
    if (!e || m->how != EKG_OUT_LABEL) return 1;
    if (e->kind != EKG_KIND_STATE && e->kind != EKG_KIND_IO && e->kind != EKG_KIND_PERSON) return 1;
    return capitalised(t, m);
}

/* Remember a person named in full, by the last word of the name. */
static void remember(ctx *c, uint32_t last_tok, uint32_t first_tok, const char *actor, const char *person)
{
    if (c->nnamed >= sizeof c->named / sizeof c->named[0] || last_tok == first_tok) return;
    const char *f = ekg_text_fold_at(c->t, last_tok);
    if (c->t->toks[last_tok].flen < 3) return;
    for (size_t i = 0; i < c->nnamed; i++)
        if (strcmp(c->named[i].family, f) == 0) {
            if (strcmp(c->named[i].actor, actor) != 0) c->named[i].actor = ""; /* ambiguous */
            return;
        }
    c->named[c->nnamed].family = f;
    c->named[c->nnamed].actor = actor;
    c->named[c->nnamed].person = person;
    c->nnamed++;
}

/* Capitalised words no mention covers that are the family name of a person
 * named in full before ("Minister Gallant", "Mr. Sullivan"). */
static void family_names(ctx *c, uint32_t si, sent_m *s, const ekg_mention *sm, size_t nsm)
{
    const ekg_text *t = c->t;
    if (!c->nnamed) return;
    uint32_t t0 = t->sents[si].tok0, end = t0 + t->sents[si].ntok;
    size_t k = 0;
    for (uint32_t i = t0; i < end; i++) {
        while (k < nsm && sm[k].last < i) k++;
        int inm = 0;
        for (size_t q = k; q < nsm && sm[q].tok0 <= i; q++)
            if (covered(&sm[q], i)) inm = 1;
        for (size_t q = 0; q < s->na && !inm; q++)
            if (i >= s->a[q].tok && i <= s->a[q].last) inm = 1;
        if (inm || !(t->toks[i].flags & EKG_TOK_WORD) || !(t->toks[i].flags & EKG_TOK_CAP)) continue;
        const char *f = ekg_text_fold_at(t, i);
        for (size_t q = 0; q < c->nnamed; q++)
            if (*c->named[q].actor && strcmp(c->named[q].family, f) == 0) {
                add_actor(s, c->named[q].actor, c->named[q].person, i, i, 0, EKG_KIND_PERSON, 0);
                break;
            }
    }
}

static int tok_is_cue(const ctx *c, uint32_t tok, const char *cls);

/* Whether token i is a one-word locative preposition of the document's
 * language ("in", "im", "en", "dans", "в"): the word set ekg:LocativeWords,
 * not lexicon entries (ekg:LocativeCue holds the longer phrases), since the
 * recogniser makes a mention of every lexicon form, and one of these on
 * every line would crowd each sentence's mentions and cost every token. */
static int locative_word(const ctx *c, uint32_t i)
{
    const ekg_token *tk = &c->t->toks[i];
    if (!(tk->flags & EKG_TOK_WORD) || tk->flen > 10) return 0;
    return ekg_kb_in_word_set(c->kb, NS "LocativeWords", c->doc->lang, ekg_text_fold_at(c->t, i));
}

static void gather(ctx *c, uint32_t si, const ekg_mention *sm, size_t nsm, sent_m *s)
{
    memset(s, 0, sizeof *s);
    for (size_t k = 0; k < nsm; k++) {
        const ekg_mention *m = &sm[k];
        if (m->lex) {
            if (s->nlex < sizeof s->lex / sizeof s->lex[0]) s->lex[s->nlex++] = m;
            continue;
        }
        const ekg_kb_entity *e = m->ent;
        if (!e || !name_ok(c->kb, c->t, m)) continue;
        if (e->kind == EKG_KIND_AGREEMENT) {
            if (s->nagr < 32) s->agr[s->nagr++] = m;
        } else if (e->kind == EKG_KIND_PLACE) {
            if (!s->place) s->place = m;
            if (s->nplace < 8) s->places[s->nplace++] = m;
        } else if (e->actor) {
            int forumish = e->kind == EKG_KIND_AGENCY && e->actor->kind == EKG_KIND_IO;
            if (e->kind == EKG_KIND_PERSON && m->how == EKG_OUT_LABEL) remember(c, m->last, m->tok0, e->actor->iri, e->iri);
            /* "US-Exil", "EU-Beitritt": the first part of a compound
             * modifies the noun it is joined to, like an adjective (not
             * in "US-geführte": who leads is who is meant) */
            const ekg_text *t = c->t;
            int glued = m->last + 2 < t->ntoks && is_punct(t, m->last + 1, "-") &&
                        t->toks[m->last + 1].start == t->toks[m->last].end &&
                        t->toks[m->last + 2].start == t->toks[m->last + 1].end &&
                        (t->toks[m->last + 2].flags & EKG_TOK_WORD) &&
                        !tok_is_cue(c, m->last + 2, CUE_SPONSOR); /* "der US-geführten Allianz" is the US's */
            add_actor(s, e->actor->iri, e->kind == EKG_KIND_PERSON ? e->iri : NULL, m->tok0, m->last,
                      m->how == EKG_OUT_ADJECTIVE || glued, e->kind, forumish);
        }
    }
    titled_persons(c, si, s, sm, nsm);
    family_names(c, si, s, sm, nsm);
    /* "the treaty", "l'accord" with no name: the agreement named last */
    const ekg_kb_entity *lastagr = c->last_agreement;
    for (size_t k = 0, a = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        while (a < s->nagr && s->agr[a]->tok0 < m->tok0) lastagr = s->agr[a++]->ent;
        if (!extra_cue(m, CUE_AGR) || !lastagr || s->nsynth >= 4 || s->nagr >= 32) continue;
        int inside = 0;
        for (size_t q = 0; q < s->nagr; q++)
            if (s->agr[q]->tok0 <= m->last && m->tok0 <= s->agr[q]->last) inside = 1;
        if (inside) continue;
        ekg_mention *x = &s->synth[s->nsynth++];
        *x = *m;
        x->lex = NULL;
        x->ent = lastagr;
        x->how = EKG_OUT_LABEL;
        s->agr[s->nagr++] = x;
    }
    for (size_t i = 1; i < s->nagr; i++)
        for (size_t j = i; j > 0 && s->agr[j]->tok0 < s->agr[j - 1]->tok0; j--) {
            const ekg_mention *x = s->agr[j];
            s->agr[j] = s->agr[j - 1];
            s->agr[j - 1] = x;
        }
    /* keep actors in text order */
    for (size_t i = 1; i < s->na; i++)
        for (size_t j = i; j > 0 && s->a[j].tok < s->a[j - 1].tok; j--) {
            actor_m x = s->a[j];
            s->a[j] = s->a[j - 1];
            s->a[j - 1] = x;
        }
    /* "in Jordanien", "в Китае", "en Biélorussie", "in the Taiwan Strait": a
     * state named right after a locative preposition (an article may stand
     * between) is where something happens, not who acts or what a stance is
     * about; "dans le cadre de l'OTAN", "в рамках ЕС": nor is an
     * organisation after a framework phrase */
    const ekg_text *t = c->t;
    for (size_t a = 0; a < s->na; a++) {
        actor_m *x = &s->a[a];
        if (x->person || x->adjective || x->locative || x->tok == 0) continue;
        if (x->kind != EKG_KIND_STATE && x->kind != EKG_KIND_IO && !x->forumish) continue;
        uint32_t g = x->tok - 1; /* the word before, or before its article */
        const ekg_token *tk = &t->toks[g];
        int art = g > 0 && (tk->flags & EKG_TOK_WORD) && !(tk->flags & EKG_TOK_CAP) && tk->end - tk->start <= 3 &&
                  !locative_word(c, g);
        int loc = 0;
        for (size_t k = 0; k < s->nlex && !loc; k++) {
            const ekg_mention *m = s->lex[k];
            if (m->last != g && !(art && m->last + 1 == g)) continue;
            if (extra_cue(m, CUE_FRAME)) loc = 1;
            else if (extra_cue(m, CUE_LOC) && x->kind == EKG_KIND_STATE) loc = 1;
        }
        if (!loc && x->kind == EKG_KIND_STATE) loc = locative_word(c, art ? g - 1 : g);
        /* "Sommet des pays du sud de l'Union européenne", "EU countries",
         * "страны ЕС": the organisation says which states are meant (flagged
         * the same way: no side, agent or target) */
        for (size_t k = 0; k < s->nlex && !loc && x->kind == EKG_KIND_IO; k++) {
            const ekg_mention *m = s->lex[k];
            if (!extra_cue(m, CUE_COUNTRIES)) continue;
            if (m->tok0 == x->last + 1) loc = 1;
            else if (m->last < x->tok && x->tok - m->last <= 5) {
                loc = 1;
                for (uint32_t q = m->last + 1; q < x->tok; q++)
                    if ((t->toks[q].flags & EKG_TOK_PUNCT) && !is_punct(t, q, "'")) loc = 0;
            }
        }
        if (!loc) continue;
        x->locative = 1;
        /* … and the states listed with it ("in El Salvador, Guatemala, and
         * Honduras"): only commas and one conjunction between */
        for (size_t b = a + 1; b < s->na; b++) {
            const actor_m *p = &s->a[b - 1];
            actor_m *y = &s->a[b];
            if (y->tok <= p->last || y->tok > p->last + 3 || y->person || y->adjective || y->kind != x->kind) break;
            int ok = 1, words = 0; /* (one conjunction at most: not "in Myanmar and the Myanmar military") */
            for (uint32_t q = p->last + 1; q < y->tok && ok; q++) {
                const ekg_token *tq = &t->toks[q];
                ok = is_punct(t, q, ",") || ((tq->flags & EKG_TOK_WORD) && !words++ && tok_is_cue(c, q, CUE_CONJ));
            }
            if (!ok) break;
            y->locative = 1;
        }
    }
}

/* The first lexicon output that token `tok` alone reaches and `ok` accepts,
 * or NULL: a word inside a longer mention, looked up on its own. */
static const ekg_kb_out *lex_alone(const ctx *c, uint32_t tok,
                                   int (*ok)(const ctx *, const ekg_kb_out *, void *), void *arg)
{
    uint32_t ids[8];
    const char *f = ekg_text_fold_at(c->t, tok);
    size_t nid = ekg_kb_token_ids(c->kb, f, c->t->toks[tok].flen, ids, 8);
    for (size_t q = 0; q < nid; q++) {
        uint32_t node = ekg_kb_step(c->kb, 0, ids[q]);
        if (!node) continue;
        size_t no;
        const ekg_kb_out *o = ekg_kb_outputs(c->kb, node, &no);
        for (size_t r = 0; r < no; r++)
            if (o[r].how == EKG_OUT_LEX && ok(c, &o[r], arg)) return &o[r];
    }
    return NULL;
}

/* lex_alone: an extra cue signalling `cls` (a const char *), in the
 * document's language. */
static int is_cue_of(const ctx *c, const ekg_kb_out *o, void *cls)
{
    if (o->lex->cue != EKG_CUE_EXTRA || !o->lex->signals || strcmp(o->lex->signals, cls) != 0)
        return 0;
    return !(c->doc->lang && o->lang[0] && strncmp(c->doc->lang, o->lang, strlen(o->lang)) != 0);
}

/* Whether one token alone is a form of the extra cue `cls` (in the
 * document's language): "with" inside a longer trigger ("met with"). */
static int tok_is_cue(const ctx *c, uint32_t tok, const char *cls)
{
    return lex_alone(c, tok, is_cue_of, (void *)cls) != NULL;
}

/* A negation or modality cue shortly before the trigger, in its clause. */
static int blocked(const ctx *c, const sent_m *s, uint32_t trig, uint32_t trig_last, uint32_t sent0)
{
    const ekg_text *t = c->t;
    uint32_t from = trig > sent0 + 6 ? trig - 6 : sent0;
    for (uint32_t i = trig; i > from; i--)
        if (is_punct(t, i - 1, ",;:")) {
            from = i;
            break;
        }
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (m->lex->cue != EKG_CUE_NEGATION && m->lex->cue != EKG_CUE_MODALITY && !extra_cue(m, CUE_FINALNEG)) continue;
        if (m->tok0 >= from && m->tok0 < trig) return 1;
        /* a negation right after ("unterstützt … nicht", "did not"), or
         * inside a separable verb ("lehnt den Aufruf nicht ab") */
        if (m->lex->cue == EKG_CUE_NEGATION && m->tok0 > trig && (m->tok0 <= trig + 2 || m->tok0 < trig_last)) return 1;
        /* … or closing the clause ("Polen steunt de Oproep van Parijs niet.",
         * "unterstützt den Aufruf nicht.") */
        if (extra_cue(m, CUE_FINALNEG) && m->tok0 > trig && m->tok0 <= trig + 30) {
            uint32_t end = c->t->sents[m->sent].tok0 + c->t->sents[m->sent].ntok;
            int cut = 0;
            for (uint32_t g = trig + 1; g < m->tok0; g++)
                if (is_punct(t, g, ",;:")) cut = 1;
            if (!cut && (m->last + 1 >= end || (t->toks[m->last + 1].flags & EKG_TOK_PUNCT))) return 1;
        }
        /* a modal verb right after a noun trigger: "the talks will", "la
         * rencontre prévue", "die Gespräche sollen", "la cumbre iba a" */
        if (m->lex->cue == EKG_CUE_MODALITY && m->tok0 > trig && m->tok0 <= trig + 2 &&
            !is_punct(t, m->tok0 - 1, ",;:"))
            return 1;
    }
    return 0;
}

/* The evidence sentences of e that x lacks go to x (16 at most). */
static void add_sents(event *x, const event *e)
{
    for (size_t k = 0; k < e->nsent && x->nsent < 16; k++) {
        int have = 0;
        for (size_t q = 0; q < x->nsent; q++)
            if (x->sent[q] == e->sent[k]) have = 1;
        if (!have) x->sent[x->nsent++] = e->sent[k];
    }
}

static event *add_event(ctx *c, const event *e)
{
    for (size_t i = 0; i < c->nev; i++)
        if (strcmp(c->ev[i].key, e->key) == 0) {
            event *x = &c->ev[i];
            add_sents(x, e);
            if (e->conf > x->conf) x->conf = e->conf;
            if (!x->place) x->place = e->place;
            if (!x->forum) x->forum = e->forum;
            for (size_t k = 0; k < e->nled; k++) {
                int have = 0;
                for (size_t q = 0; q < x->nled; q++)
                    if (x->led[q] == e->led[k]) have = 1;
                if (!have && x->nled < 8) x->led[x->nled++] = e->led[k];
            }
            return x;
        }
    if (c->nev == c->capev) {
        size_t nc = c->capev ? c->capev * 2 : 16;
        event *p = realloc(c->ev, nc * sizeof *p);
        if (!p) return NULL;
        c->ev = p;
        c->capev = nc;
    }
    c->ev[c->nev] = *e;
    return &c->ev[c->nev++];
}

static void make_key(event *e)
{
    qsort(e->sides, e->nsides, sizeof e->sides[0], cmpstr);
    char db[16] = "";
    ekg_date_format(&e->date, db, sizeof db);
    size_t w = (size_t)snprintf(e->key, sizeof e->key, "%s|%s|%s", e->klass, db, e->target ? e->target : "");
    for (size_t i = 0; i < e->nsides && w < sizeof e->key; i++)
        w += (size_t)snprintf(e->key + w, sizeof e->key - w, "|%s", e->sides[i]);
}

static int add_side(event *e, const char *iri)
{
    for (size_t i = 0; i < e->nsides; i++)
        if (e->sides[i] == iri || strcmp(e->sides[i], iri) == 0) return 0;
    if (e->nsides < MAXSIDES) e->sides[e->nsides++] = iri;
    return 1;
}

static void add_led(event *e, const char *p)
{
    if (!p) return;
    for (size_t i = 0; i < e->nled; i++)
        if (strcmp(e->led[i], p) == 0) return;
    if (e->nled < 8) e->led[e->nled++] = p;
}

static void set_date(const ctx *c, event *e, uint32_t sent, uint32_t tok)
{
    const ekg_date_span *d = date_for(c, sent, tok);
    if (d) e->date = d->date;
}

/* A line that is nothing but a date ("13 June 2019" under a statement's
 * heading): the date of the sentence before it. */
static const ekg_date_span *dateline_after(const ctx *c, uint32_t sent)
{
    if (sent + 1 >= c->t->nsents) return NULL;
    const ekg_sentence *n = &c->t->sents[sent + 1];
    for (size_t i = 0; i < c->nds; i++) {
        const ekg_date_span *d = &c->ds[i];
        if (d->sent != sent + 1 || d->relative || d->year_only) continue;
        for (uint32_t q = n->tok0; q < n->tok0 + n->ntok; q++)
            if ((q < d->tok0 || q > d->last) && !(c->t->toks[q].flags & EKG_TOK_PUNCT)) return NULL;
        return d;
    }
    return NULL;
}

/* ---------- rules ---------- */

/* The part of the sentence a meeting trigger speaks about: from the
 * previous meeting trigger to the next one (two meetings in one sentence —
 * "spoke with X about X's visit to Y" — each get their own sides). */
static void scope_of(const sent_m *s, const ekg_mention *trig, uint32_t sent0, uint32_t sent1,
                     uint32_t *from, uint32_t *to)
{
    *from = sent0;
    *to = sent1;
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (m == trig || m->lex->cue != EKG_CUE_EVENT || m->lex->family != EKG_FAM_MEETING) continue;
        if (m->tok0 == trig->tok0) continue;
        /* "s'est entretenu par téléphone", "met virtually": one predicate */
        if ((m->tok0 > trig->last && m->tok0 <= trig->last + 3) || (m->last < trig->tok0 && m->last + 3 >= trig->tok0))
            continue;
        if (m->last < trig->tok0 && m->last + 1 > *from) *from = m->last + 1;
        if (m->tok0 > trig->last && m->tok0 < *to) *to = m->tok0;
    }
}

/* Whether actor a stands right after a stance or act word (at most two
 * words between, no punctuation): its object. */
static int stance_object(const ctx *c, const sent_m *s, const actor_m *a)
{
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (m->tok0 >= a->tok) break;
        if (m->lex->cue != EKG_CUE_EVENT || (m->lex->family != EKG_FAM_STANCE && m->lex->family != EKG_FAM_ACT)) continue;
        if (m->last >= a->tok || a->tok - m->last > 3) continue;
        int cut = 0;
        for (uint32_t g = m->last + 1; g < a->tok; g++)
            if (c->t->toks[g].flags & EKG_TOK_PUNCT) cut = 1;
        if (cut) continue;
        if (has_type(c, m->lex->iri, NS "GreetingEntry")) continue;
        return 1;
    }
    return 0;
}

/* record_only: a planned, negated or hypothetical meeting word: its sides
 * are remembered ("the last one was held in …") but nothing is asserted. */
static void meeting(ctx *c, uint32_t si, const sent_m *s, const ekg_mention *trig, int record_only)
{
    uint32_t from, to;
    scope_of(s, trig, c->t->sents[si].tok0, c->t->sents[si].tok0 + c->t->sents[si].ntok, &from, &to);
    /* what follows "about", "to discuss", "au sujet de" is the topic, not a side */
    for (size_t k = 0; k < s->nlex; k++)
        if (s->lex[k]->lex->cue == EKG_CUE_TOPIC && s->lex[k]->tok0 > trig->last && s->lex[k]->tok0 < to)
            to = s->lex[k]->tok0;
    /* "setzten ihre Beratungen über die Lage in Syrien telefonisch fort",
     * "das über einen EU-Beitritt verhandelt": a topic before the trigger
     * is no side either */
    uint32_t topic_lo = UINT32_MAX, topic_hi = 0;
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (m->lex->cue != EKG_CUE_TOPIC || m->tok0 < from || m->last >= trig->tok0) continue;
        /* (also in a verb-final clause: "das über einen EU-Beitritt verhandelt") */
        topic_lo = m->last + 1;
        topic_hi = trig->tok0;
    }
    uint32_t date_from = from; /* a date may open the sentence: "Le 3 mars, …" */
    /* ", which …", ", que se ha …", ", ya que …": a relative or adverbial
     * clause after the trigger speaks of something else */
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (extra_cue(m, CUE_SUB) && m->tok0 > trig->last && m->tok0 < to && is_punct(c->t, m->tok0 - 1, ",")) {
            to = m->tok0 - 1;
            break;
        }
    }
    /* a colon or semicolon ends the clause ("… stellte Kurz klar: Wir …") */
    for (uint32_t i = trig->last + 1; i < to; i++)
        if (is_punct(c->t, i, ":;")) {
            to = i;
            break;
        }
    for (uint32_t i = trig->tok0; i > from; i--)
        if (is_punct(c->t, i - 1, ":;")) {
            from = i;
            break;
        }
    /* "… praised Saudi Arabia's mediation, thanked it for hosting the talks
     * of Russia and the US": actors before the last comma (outside a list of
     * actors) are another phrase's when two sides remain after it */
    for (uint32_t i = trig->tok0; i > from + 1; i--) {
        if (!is_punct(c->t, i - 1, ",")) continue;
        int before = 0, after = 0;
        const char *left[2] = {NULL, NULL};
        for (size_t q = 0; q < s->na; q++) {
            if (s->a[q].last + 2 == i) before = 1;
            if (s->a[q].tok == i || s->a[q].tok == i + 1) after = 1;
            if (s->a[q].tok >= i && s->a[q].tok < to && !s->a[q].forumish) {
                if (!left[0]) left[0] = s->a[q].iri;
                else if (strcmp(left[0], s->a[q].iri) != 0) left[1] = s->a[q].iri;
            }
        }
        if (!(before && after) && left[1]) from = i;
        break;
    }
    event e;
    event_start(&e, trig->lex->event, EKG_FAM_MEETING, "meeting.sides", 0.7);
    e.sent[e.nsent++] = si;
    int session = strcmp(e.klass, "Session") == 0;
    /* A compound of two sides just before the trigger. */
    for (size_t i = 0; i + 1 < s->na; i++) {
        const actor_m *a = &s->a[i], *b = &s->a[i + 1];
        if (b->tok != a->last + 2 || !is_punct(c->t, a->last + 1, "-")) continue;
        if (c->t->toks[a->last + 1].start != c->t->toks[a->last].end) continue;
        /* before the noun ("russisch-französische Konsultationen") or right
         * after it ("consultations franco-russes") */
        int before = b->last < trig->tok0 && trig->tok0 - b->last <= 4;
        int after = a->tok > trig->last && a->tok - trig->last <= 2;
        if (!before && !after) continue;
        if (strcmp(a->iri, b->iri) == 0) continue;
        add_side(&e, a->iri);
        add_side(&e, b->iri);
        e.rule = "meeting.compound";
        e.conf = 0.9;
        break;
    }
    if (e.nsides == 0) {
        for (size_t i = 0; i < s->na; i++) {
            const actor_m *a = &s->a[i];
            if (a->tok < from || a->tok >= to || (a->tok >= topic_lo && a->tok < topic_hi)) continue;
            /* "Gespräch mit Abbas in Jordanien": the state where it was held
             * is no side (the host of a visit is: "Besuch in Polen") */
            if (a->locative && !(strcmp(e.klass, "Visit") == 0 && a->tok > trig->last)) continue;
            /* "marked the anniversary of Poland's accession to NATO",
             * "reaffirmed support for Ukraine": the object of a stance or act
             * word is what the position is about, not a side (a greeting's
             * guest is one: "welcomed President Duda for a meeting") */
            if (stance_object(c, s, a)) continue;
            /* a state's adjective far from the meeting word modifies
             * something else ("in den festgefahrenen kolumbianischen
             * Friedensprozess", "einer deutschen Mutter"), unless it is half
             * of a compound naming two sides ("российско-катарского") … */
            if (a->adjective && !a->person && (a->tok > trig->last ? a->tok - trig->last : trig->tok0 - a->last) > 8) {
                int pair = (i + 1 < s->na && s->a[i + 1].tok == a->last + 2 && is_punct(c->t, a->last + 1, "-")) ||
                           (i > 0 && a->tok == s->a[i - 1].last + 2 && is_punct(c->t, a->tok - 1, "-"));
                /* … or of a title or state body: "de Poolse ambassadeur",
                 * "the Polish delegation" */
                for (size_t q = 0; q < s->nlex && !pair; q++)
                    if (s->lex[q]->lex->cue == EKG_CUE_TITLE && (s->lex[q]->tok0 == a->last + 1 || s->lex[q]->last + 1 == a->tok))
                        pair = 1;
                if (!pair)
                    pair = (a->last + 1 < c->t->ntoks && tok_is_cue(c, a->last + 1, CUE_BODY)) ||
                           (a->tok > 0 && tok_is_cue(c, a->tok - 1, CUE_BODY));
                if (!pair) continue;
            }
            /* an IO (or its body) named right before the trigger is the forum */
            int io_before = !a->person && (a->kind == EKG_KIND_IO || a->forumish) &&
                            a->last < trig->tok0 && trig->tok0 - a->last <= 2 &&
                            !((c->t->toks[a->last + 1].flags & EKG_TOK_PUNCT) && !is_punct(c->t, a->last + 1, "-")) &&
                            !expands(c, a->iri);
            if (a->forumish || (session && a->kind == EKG_KIND_IO) || io_before) {
                if (!e.forum) e.forum = a->iri;
                if (a->forumish && !e.forum) e.forum = a->iri;
                continue;
            }
            add_side(&e, a->iri);
        }
    }
    /* "we"/"I" as the subject of an official text: the issuer (or the joint
     * statement's parties) is a side */
    const ekg_mention *selfm = NULL, *apart = NULL;
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (extra_cue(m, CUE_SELF) && m->tok0 >= from && m->last < trig->tok0) selfm = m;
        if (extra_cue(m, CUE_APART) && m->tok0 >= from && m->tok0 < to && m->tok0 <= trig->last + 3) apart = m;
    }
    size_t nsubj = 0;
    /* "reuniones similares con Italia y Portugal", "talks with Russia": the
     * actors after "with" are counterparts; with no subject named in the
     * clause, the subject is implied: the issuer of an official text, else
     * the subject of the sentence before, else the outlet's home state */
    uint32_t with = UINT32_MAX;
    if (tok_is_cue(c, trig->last, CUE_WITH)) with = trig->last;
    for (size_t k = 0; k < s->nlex && with == UINT32_MAX; k++)
        if (extra_cue(s->lex[k], CUE_WITH) && s->lex[k]->tok0 > trig->last && s->lex[k]->tok0 <= trig->last + 3)
            with = s->lex[k]->tok0;
    /* … and a counterpart named right after "with" ("con Italia", "mit
     * Burundis Regierung", "с президентом России") */
    int near = 0;
    for (size_t i = 0; i < s->na && with != UINT32_MAX; i++)
        if (s->a[i].tok > with && s->a[i].tok <= with + 4 && s->a[i].tok < to) near = 1;
    if (with != UINT32_MAX && near && !selfm && strcmp(e.rule, "meeting.sides") == 0 && e.nsides >= 1) {
        int before = 0;
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].tok >= from && s->a[i].tok < with && !s->a[i].forumish && !s->a[i].locative &&
                !(s->a[i].kind == EKG_KIND_IO && e.forum && strcmp(e.forum, s->a[i].iri) == 0))
                before = 1;
        if (!before) {
            const char *imp = c->issuer;
            for (size_t i = 0; !imp && i < 2; i++) {
                /* (the subject of the sentence just before, not of one long ago) */
                const char *cand = i == 0 ? (c->last_subject && c->last_subject_sent + 2 >= si ? c->last_subject : NULL)
                                          : c->home;
                if (!cand) continue;
                int in = 0;
                for (size_t q = 0; q < e.nsides; q++)
                    if (strcmp(e.sides[q], cand) == 0) in = 1;
                if (!in) imp = cand;
            }
            if (imp) {
                const char *sv[MAXSIDES];
                size_t ns = e.nsides;
                memcpy(sv, e.sides, ns * sizeof sv[0]);
                e.nsides = 0;
                add_side(&e, imp);
                nsubj = e.nsides;
                for (size_t i = 0; i < ns; i++) add_side(&e, sv[i]);
                if (e.nsides == nsubj) e.nsides = 0; /* the implied subject was the one counterpart */
            }
        }
    }
    if (selfm && strcmp(e.rule, "meeting.sides") == 0) {
        int named = 0;
        for (size_t i = 0; i < e.nsides; i++)
            for (size_t q = 0; q < s->na; q++)
                if (s->a[q].tok < trig->tok0 && strcmp(s->a[q].iri, e.sides[i]) == 0) named = 1;
        if (!named) {
            const char *sv[MAXSIDES];
            size_t ns = e.nsides;
            memcpy(sv, e.sides, ns * sizeof sv[0]);
            e.nsides = 0;
            for (size_t i = 0; i < c->njoint; i++) add_side(&e, c->joint[i]);
            if (!e.nsides && c->issuer) add_side(&e, c->issuer);
            nsubj = e.nsides;
            for (size_t i = 0; i < ns; i++) add_side(&e, sv[i]);
        }
    }
    for (size_t i = 0; i < s->na; i++)
        if (s->a[i].tok >= from && s->a[i].tok < to) add_led(&e, s->a[i].person);
    /* one side named before the counterparts after "with": the subject */
    if (!nsubj && with != UINT32_MAX && strcmp(e.rule, "meeting.sides") == 0 && e.nsides >= 3) {
        const char *subj = NULL;
        int one = 1, after = 1;
        for (size_t i = 0; i < s->na; i++) {
            if (s->a[i].tok < from || s->a[i].tok >= to || s->a[i].forumish) continue;
            if (s->a[i].tok < with) {
                if (subj && strcmp(subj, s->a[i].iri) != 0) one = 0;
                subj = s->a[i].iri;
            } else if (subj && strcmp(subj, s->a[i].iri) == 0)
                after = 0;
        }
        if (subj && one && after && strcmp(e.sides[0], subj) == 0) nsubj = 1;
    }
    /* "s'est entretenu successivement avec A et B", "reuniones con A y B":
     * one meeting with each */
    if (apart && nsubj == 1 && e.nsides >= 3 && !record_only) {
        event one = e;
        for (size_t i = 1; i < e.nsides; i++) {
            one.nsides = 0;
            add_side(&one, e.sides[0]);
            add_side(&one, e.sides[i]);
            const ekg_date_span *d = date_for(c, si, trig->tok0);
            if (d && d->tok0 >= date_from && d->tok0 < to) one.date = d->date;
            make_key(&one);
            add_event(c, &one);
        }
        return;
    }
    /* "a visit to Kyiv", "Besuch in Sarajevo": the host is the state of the
     * place; the visitor the subject of the clause (before the trigger, else
     * after the place up to the clause's end, else the previous subject) */
    if (strcmp(e.klass, "Visit") == 0 && s->place && s->place->tok0 > trig->last &&
        s->place->tok0 <= trig->last + 4 && strcmp(e.rule, "meeting.sides") == 0) {
        const char *loc[1];
        const ekg_kb_entity *h = NULL;
        if (ekg_kb_objects(c->kb, s->place->ent->iri, NS "locatedIn", loc, 1))
            h = ekg_kb_entity_by_iri(c->kb, loc[0]);
        if (h && h->actor) {
            event v = e;
            v.nsides = 0;
            for (size_t i = 0; i < s->na; i++)
                if (s->a[i].tok >= from && s->a[i].last < trig->tok0 && !s->a[i].forumish && !s->a[i].locative)
                    add_side(&v, s->a[i].iri);
            if (!v.nsides) {
                uint32_t end = to;
                for (uint32_t i = s->place->last + 1; i < to; i++)
                    if (is_punct(c->t, i, ",")) {
                        end = i;
                        break;
                    }
                for (size_t i = 0; i < s->na; i++)
                    if (s->a[i].tok > s->place->last && s->a[i].tok < end && !s->a[i].forumish && !s->a[i].locative)
                        add_side(&v, s->a[i].iri);
            }
            if (!v.nsides && c->last_subject) add_side(&v, c->last_subject);
            if (v.nsides && !(v.nsides == 1 && strcmp(v.sides[0], h->actor->iri) == 0)) {
                add_side(&v, h->actor->iri);
                memcpy(e.sides, v.sides, v.nsides * sizeof v.sides[0]);
                e.nsides = v.nsides;
            }
        }
    }
    /* an informal grouping meets as its members */
    {
        const char *sv[MAXSIDES];
        size_t ns = e.nsides;
        memcpy(sv, e.sides, ns * sizeof sv[0]);
        e.nsides = 0;
        for (size_t i = 0; i < ns; i++) {
            const char *mem[MAXSIDES];
            size_t nm = expands(c, sv[i]) ? ekg_kb_objects(c->kb, sv[i], NS "member", mem, MAXSIDES) : 0;
            if (!nm) add_side(&e, sv[i]);
            for (size_t k = 0; k < nm; k++) add_side(&e, mem[k]);
        }
    }
    if (e.nsides < 2) return;
    c->mention.klass = e.klass;
    memcpy(c->mention.sides, e.sides, e.nsides * sizeof e.sides[0]);
    c->mention.nsides = e.nsides;
    c->mention.sent = si;
    c->mention.set = 1;
    if (record_only) return;
    const ekg_date_span *d = date_for(c, si, trig->tok0);
    if (d && d->tok0 >= date_from && d->tok0 < to) e.date = d->date;
    if (!e.date.y && (d = dateline_after(c, si))) e.date = d->date;
    /* dated after the document: planned ("the meeting next week"), not reported */
    const ekg_date *dd = &c->doc->date;
    if (e.date.y && dd->y) {
        /* at the precision both have */
        int m = e.date.m && dd->m, d = m && e.date.d && dd->d;
        long a = (long)e.date.y * 10000 + (m ? e.date.m : 0) * 100 + (d ? e.date.d : 0);
        long b = (long)dd->y * 10000 + (m ? dd->m : 0) * 100 + (d ? dd->d : 0);
        if (a > b) return;
    }
    if (e.date.y) e.conf += 0.05;
    if (s->nplace) e.place = place_near(s, trig->tok0)->ent->iri;
    make_key(&e);
    event *x = add_event(c, &e);
    if (x) c->last_meeting = x - c->ev;
    /* a joint statement whose title names no party: "we" are the sides of
     * the meeting it reports first ("The members of the CRI — A, B, … —
     * met in Washington") */
    if (x && c->title_statement && !c->njoint && x->nsides >= 2) {
        for (size_t i = 0; i < x->nsides && c->njoint < MAXSIDES; i++) c->joint[c->njoint++] = x->sides[i];
    }
    if (x && x->nled >= 2) c->last_led_meeting = x - c->ev;
}

/* The quotation state after token i, given the state before it. */
static int quote_step(const ekg_text *t, uint32_t i, int in)
{
    {
        if (!(t->toks[i].flags & EKG_TOK_PUNCT)) return in;
        const char *p = t->src + t->toks[i].start;
        size_t n = t->toks[i].end - t->toks[i].start;
        if (n == 1 && *p == '"') in = !in;
        else if (n == 2 && (memcmp(p, "\xc2\xab", 2) == 0)) in = 1;                 /* « */
        else if (n == 2 && (memcmp(p, "\xc2\xbb", 2) == 0)) in = 0;                 /* » */
        else if (n == 3 && (memcmp(p, "\xe2\x80\x9c", 3) == 0 || memcmp(p, "\xe2\x80\x9e", 3) == 0))
            in = in && memcmp(p, "\xe2\x80\x9c", 3) == 0 ? 0 : 1;              /* “ „ (“ also closes „) */
        else if (n == 3 && memcmp(p, "\xe2\x80\x9d", 3) == 0) in = 0;          /* ” */
    }
    return in;
}

/* Whether token `tok` stands inside quotation marks (“…”, «…», „…“, "…")
 * of its sentence, which starts at token sent0. One pass per sentence,
 * kept in c->qc. */
static int in_quote(const ctx *c, uint32_t sent0, uint32_t tok)
{
    const ekg_text *t = c->t;
    quote_cache *qc = c->qc;
    if (!qc) return 0;
    if (!qc->valid || qc->sent0 != sent0) {
        uint32_t end = sent0;
        size_t lo = 0, hi = t->nsents; /* the sentence starting at sent0 */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->sents[mid].tok0 < sent0) lo = mid + 1;
            else hi = mid;
        }
        if (lo < t->nsents && t->sents[lo].tok0 == sent0) end = sent0 + t->sents[lo].ntok;
        size_t need = end - sent0 + 1;
        if (need > qc->cap) {
            uint8_t *p = realloc(qc->flags, need);
            if (!p) return 0;
            qc->flags = p;
            qc->cap = need;
        }
        int in = 0;
        qc->firstq = UINT32_MAX;
        for (uint32_t i = sent0; i < end; i++) {
            qc->flags[i - sent0] = (uint8_t)in;
            if (in && qc->firstq == UINT32_MAX) qc->firstq = i;
            in = quote_step(t, i, in);
        }
        qc->flags[end - sent0] = (uint8_t)in;
        qc->sent0 = sent0;
        qc->end = end;
        qc->valid = 1;
    }
    if (tok < sent0 || tok > qc->end) return 0;
    return qc->flags[tok - sent0];
}

/* Whether a clause mark (, ; :) stands in tokens [a, b). */
static int punct_between(const ekg_text *t, uint32_t a, uint32_t b)
{
    for (uint32_t g = a; g < b; g++)
        if (is_punct(t, g, ",;:")) return 1;
    return 0;
}

/* Whether token i is a German or Dutch definite article (V2 subjects:
 * "steunt de regering", "kritisierte die Türkei"). */
static int is_article(const ekg_kb *kb, const ekg_text *t, uint32_t i)
{
    const ekg_token *tk = &t->toks[i];
    if (!(tk->flags & EKG_TOK_WORD) || tk->flen > 3) return 0;
    return ekg_kb_in_word_set(kb, NS "DefiniteArticles", NULL, ekg_text_fold_at(t, i));
}

/* Whether token i is a German or Dutch personal or impersonal pronoun. */
static int is_pronoun(const ekg_kb *kb, const ekg_text *t, uint32_t i)
{
    const ekg_token *tk = &t->toks[i];
    if (!(tk->flags & EKG_TOK_WORD) || tk->flen > 4) return 0;
    return ekg_kb_in_word_set(kb, NS "SubjectPronouns", NULL, ekg_text_fold_at(t, i));
}

/* Whether token i is an English possessive ("Duda's", "Russia’s"). */
static int possessive(const ekg_text *t, uint32_t i)
{
    const char *p = t->src + t->toks[i].start;
    size_t n = t->toks[i].end - t->toks[i].start;
    return (n > 2 && p[n - 1] == 's' && p[n - 2] == '\'') ||
           (n > 4 && p[n - 1] == 's' && memcmp(p + n - 4, "\xe2\x80\x99", 3) == 0);
}

/* The agents of a trigger: actors of its clause before it; else the nearest
 * actor before it; else the actor next to a reporting cue; else the subject
 * of a sentence before (at most `back` sentences back). */
static size_t agents(const ctx *c, const sent_m *s, uint32_t trig, uint32_t si,
                     const char **out, const char **persons, size_t max, uint32_t back)
{
    uint32_t sent0 = c->t->sents[si].tok0;
    const ekg_text *t = c->t;
    size_t n = 0;
    uint32_t from = sent0;
    for (uint32_t i = trig; i > sent0; i--)
        if (is_punct(t, i - 1, ";:")) {
            from = i;
            break;
        }
    /* a comma and a conjunction start a new clause ("…, and President Biden
     * reiterated"), unless they close a list of actors ("A, B, and C") */
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        int that = extra_cue(m, CUE_THAT);
        if ((!extra_cue(m, CUE_CONJ) && !that) || m->tok0 <= from + 1 || m->tok0 >= trig ||
            (!that && !is_punct(t, m->tok0 - 1, ",")))
            continue;
        int list = 0, subject = 0;
        for (size_t i = 0; i < s->na; i++) {
            if (s->a[i].last + 2 == m->tok0) list = 1;
            if (s->a[i].tok > m->last && s->a[i].last < trig) subject = 1;
        }
        /* without a subject of its own the clause shares the sentence's
         * ("Biden thanked X, and welcomed Y") */
        if (!list && subject) from = m->last + 1;
    }
    /* an opening phrase ends at the last comma before the trigger when an
     * actor (the subject) follows it: "En respuesta a las críticas de
     * Estados Unidos, la Embajada de China dijo" — unless the comma is inside
     * a list of actors ("La France, l'Allemagne et le Royaume-Uni notent") */
    for (uint32_t i = trig; i > from + 1; i--) {
        if (!is_punct(t, i - 1, ",")) continue;
        int list = 0, subject = 0;
        for (size_t q = 0; q < s->na; q++) {
            if (s->a[q].last + 2 == i) list = 1;
            if (s->a[q].tok >= i && s->a[q].last < trig) subject = 1;
        }
        if (subject && !list) from = i;
        break;
    }
    /* "The leaders", "they", "both sides" (the sides of the meeting just
     * reported) or "we" (the issuer, or the joint statement's parties) as the
     * subject, with no actor named before it in the clause */
    const ekg_mention *pro = NULL;
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        /* (a first person plural verb is its own subject: "condenamos") */
        if ((extra_cue(m, CUE_SIDES) || extra_cue(m, CUE_SELF)) && m->tok0 >= from &&
            (m->last < trig || (m->tok0 == trig && extra_cue(m, CUE_SELF))))
            pro = m;
    }
    if (pro) {
        int named = 0; /* actors between the pronoun and the trigger are objects */
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].tok >= from && s->a[i].last < pro->tok0) named = 1;
        if (!named && extra_cue(pro, CUE_SIDES) && c->last_meeting < 0 && c->nlast_subjects >= 2) {
            /* "España y Marruecos … Los ministerios de ambos países" */
            for (size_t i = 0; i < c->nlast_subjects && n < max; i++) persons[n] = NULL, out[n++] = c->last_subjects[i];
            return n;
        }
        if (!named && extra_cue(pro, CUE_SIDES) && c->last_meeting >= 0) {
            /* "the leaders": the talks of named leaders rather than a visit
             * mentioned in passing */
            const event *mt = &c->ev[c->last_led_meeting >= 0 ? c->last_led_meeting : c->last_meeting];
            for (size_t i = 0; i < mt->nsides && n < max; i++) persons[n] = NULL, out[n++] = mt->sides[i];
            return n;
        }
        if (!named && extra_cue(pro, CUE_SELF)) {
            for (size_t i = 0; i < c->njoint && n < max; i++) persons[n] = NULL, out[n++] = c->joint[i];
            if (!n && c->issuer) persons[n] = NULL, out[n++] = c->issuer;
            if (n) return n;
        }
    }
    /* the actors of a quotation are not the subject of a verb outside it
     * ("“… mexicanos y estadounidenses …”, declaró el funcionario") */
    int tq = in_quote(c, sent0, trig);
    /* German and Dutch put the finite verb second: when something else opens
     * the clause ("Tijdens het bezoek steunt Polen de EU", "Am Sonntag rief
     * Franziskus dazu auf"), the subject is the name right after the verb
     * (an article may stand between) */
    if (!pro && trig > from && c->doc->lang && (strncmp(c->doc->lang, "de", 2) == 0 || strncmp(c->doc->lang, "nl", 2) == 0)) {
        int named = 0;
        for (size_t i = 0; i < s->na && !named; i++)
            if (s->a[i].tok >= from && s->a[i].last < trig && !s->a[i].locative && (tq || !in_quote(c, sent0, s->a[i].tok)))
                named = 1;
        const ekg_mention *tm = NULL;
        for (size_t k = 0; k < s->nlex && !tm; k++)
            if (s->lex[k]->tok0 == trig && s->lex[k]->lex->cue == EKG_CUE_EVENT) tm = s->lex[k];
        const ekg_token *tt = &t->toks[trig], *pt = &t->toks[trig - 1];
        /* (a verb: not capitalised, as German nouns are; no article before,
         * as Dutch nouns have: "de steun van Polen") */
        int verb = !(tt->flags & EKG_TOK_CAP) && !(pt->flags & EKG_TOK_PUNCT) && !is_article(c->kb, t, trig - 1);
        /* (what opens the clause is no subject of its own: not an article
         * or a pronoun — "Der Minister rief die USA auf", "Er kritisierte
         * die Türkei" — nor a title or "the leaders") */
        if (is_article(c->kb, t, from) || is_pronoun(c->kb, t, from)) verb = 0;
        for (size_t k = 0; k < s->nlex && verb; k++)
            if (s->lex[k]->tok0 >= from && s->lex[k]->tok0 < trig &&
                (s->lex[k]->lex->cue == EKG_CUE_TITLE || extra_cue(s->lex[k], CUE_SIDES) || extra_cue(s->lex[k], CUE_BODY)))
                verb = 0;
        if (!named && tm && verb) {
            uint32_t tend = tm->tok0 + (tm->ntok ? tm->ntok : 1) - 1, g = tend + 1;
            if (g < t->ntoks && is_article(c->kb, t, g)) g++;
            for (size_t i = 0; i < s->na; i++) {
                const actor_m *a = &s->a[i];
                if (a->tok < g) continue;
                if (a->tok > g || a->locative || (!tq && in_quote(c, sent0, a->tok))) break;
                /* (an adjective only with its noun: "kritisierte die türkische Regierung") */
                if (a->adjective && !(a->last + 1 < t->ntoks && (tok_is_cue(c, a->last + 1, CUE_BODY)))) break;
                persons[0] = a->person;
                out[0] = a->iri;
                return 1;
            }
        }
    }
    for (size_t i = 0; i < s->na && n < max; i++) {
        const actor_m *a = &s->a[i];
        if (a->tok < from || a->last >= trig || a->locative) continue;
        if (!tq && in_quote(c, sent0, a->tok)) continue;
        /* (who was talked "with" is not who acts: "О разговоре с Байденом
         * рассказал сам Корреа") */
        if (a->tok > sent0 && tok_is_cue(c, a->tok - 1, CUE_WITH)) continue;
        int dup = 0;
        for (size_t q = 0; q < n; q++)
            if (strcmp(out[q], a->iri) == 0) dup = 1;
        if (dup) continue;
        persons[n] = a->person;
        out[n++] = a->iri;
    }
    if (n > 1) {
        /* keep the subject: the first actor, plus those joined to it by
         * "and"-like commas or conjunctions are hard to tell apart without
         * syntax — keep the first and those not inside a later clause */
        size_t keep = 1;
        for (size_t i = 1; i < n; i++) {
            /* actors after a comma that follows the first actor are apposition
             * or background: keep only when nothing but short words lie between */
            const actor_m *prev = NULL, *cur = NULL;
            for (size_t q = 0; q < s->na; q++) {
                if (strcmp(s->a[q].iri, out[i - 1]) == 0 && !prev) prev = &s->a[q];
                if (strcmp(s->a[q].iri, out[i]) == 0 && !cur) cur = &s->a[q];
            }
            if (prev && cur && cur->tok > prev->last && cur->tok - prev->last <= 3) {
                out[keep] = out[i];
                persons[keep++] = persons[i];
            } else
                break;
        }
        n = keep;
    }
    if (n) return n;
    /* "Смилянца обвиняют в том, что …", "сообщают СМИ": a Russian verb in
     * the third person plural present with no subject before it is
     * impersonal ("they say", "he is accused") — nobody named acts */
    if (c->doc->lang && strncmp(c->doc->lang, "ru", 2) == 0) {
        const char *f = ekg_text_fold_at(t, trig);
        size_t fl = t->toks[trig].flen;
        static const char *const pl3[] = {"\xd1\x8e\xd1\x82", "\xd1\x8f\xd1\x82", "\xd1\x83\xd1\x82",
                                          "\xd0\xb0\xd1\x82"}; /* -ют -ят -ут -ат */
        for (size_t k = 0; k < 4 && fl > 8; k++)
            if (memcmp(f + fl - 4, pl3[k], 4) == 0) return 0;
    }
    for (size_t k = 0; k < s->nlex; k++)
        if (s->lex[k]->lex->cue == EKG_CUE_REPORTING) {
            const actor_m *best = NULL;
            long bd = 0;
            for (size_t i = 0; i < s->na; i++) {
                if (s->a[i].locative) continue;
                long d = (long)s->a[i].tok - (long)s->lex[k]->tok0;
                if (d < 0) d = -d;
                if (!best || d < bd) best = &s->a[i], bd = d;
            }
            if (best && bd <= 6) {
                persons[0] = best->person;
                out[0] = best->iri;
                return 1;
            }
        }
    if (c->last_subject && si - c->last_subject_sent <= back) {
        persons[0] = NULL;
        out[0] = c->last_subject;
        return 1;
    }
    return 0;
}

static void statement(ctx *c, uint32_t si, const sent_m *s, const ekg_mention *trig)
{
    /* a readout of talks (its title names the meeting) reports what was said
     * in them: that is the meeting, not a statement */
    if (c->title_meeting) return;
    const char *ag[MAXSIDES], *pe[MAXSIDES];
    size_t n = 0;
    /* the speaker after the verb when none stands before it in the sentence:
     * "stellte Österreichs Außenminister Kurz klar", "declaró el funcionario
     * estadounidense", "заявил Путин", "statement by X" */
    int before = 0;
    uint32_t s0 = c->t->sents[si].tok0;
    int tq = in_quote(c, s0, trig->tok0);
    for (size_t i = 0; i < s->na; i++)
        /* ("О разговоре с Байденом рассказал сам Корреа": who was talked
         * with is not who tells) */
        if (s->a[i].last < trig->tok0 && !s->a[i].locative && (tq || !in_quote(c, s0, s->a[i].tok)) &&
            !(s->a[i].tok > s0 && tok_is_cue(c, s->a[i].tok - 1, CUE_WITH)))
            before = 1;
    /* "…, erklärte der Staatsanwalt", "…, said the minister", "…, заявил
     * Путин": a word right after a comma reports what precedes it, and its
     * speaker follows it, in its clause — the actors before are what was
     * said, not who said it */
    int inverted = trig->tok0 > s0 + 1 && is_punct(c->t, trig->tok0 - 1, ",");
    if (inverted) {
        uint32_t end = s0 + c->t->sents[si].ntok;
        uint32_t stop = trig->tok0 + 8 < end ? trig->tok0 + 8 : end;
        for (uint32_t g = trig->tok0 + 1; g < stop; g++)
            if (is_punct(c->t, g, ",;:.") && !(g < trig->last)) {
                stop = g;
                break;
            }
        for (size_t i = 0; i < s->na && !n; i++)
            if (s->a[i].tok > trig->tok0 && s->a[i].tok < stop && !s->a[i].locative) {
                pe[0] = s->a[i].person;
                ag[n++] = s->a[i].iri;
            }
        /* "erklärte die Präsidentschaft am Samstag in Minsk", "teilte der
         * Palast in Amman mit": a state body speaking in a city is that
         * city's state */
        int body = 0;
        for (uint32_t g = trig->tok0 + 1; g < stop && !n && !body; g++) body = tok_is_cue(c, g, CUE_BODY);
        for (size_t i = 0; i < s->nplace && body && !n; i++) {
            const char *o[1];
            if (s->places[i]->tok0 > trig->tok0 && s->places[i]->tok0 < stop &&
                ekg_kb_objects(c->kb, s->places[i]->ent->iri, NS "locatedIn", o, 1)) {
                pe[0] = NULL;
                ag[n++] = o[0];
            }
        }
        /* "Mme Fatou Bensouda, a déclaré : « … »", "X, the minister, said
         * that": an apposition closes before the verb, whose subject stands
         * before — what follows it is what was said */
        uint32_t nx = trig->last + 1;
        if (!n && nx < end && (is_punct(c->t, nx, ":") || tok_is_cue(c, nx, CUE_THAT))) inverted = 0;
        else before = 1;
    }
    if (!before)
        for (size_t i = 0; i < s->na; i++)
            /* (a separable verb's first word: "stellte … klar"; not past a
             * colon or comma: "выступила с аналогичным заявлением:
             * турецкое правительство …" is what was said) */
            if (s->a[i].tok >= trig->tok0 + trig->ntok && s->a[i].tok - (trig->tok0 + trig->ntok) <= 3 && !s->a[i].locative &&
                !punct_between(c->t, trig->tok0 + trig->ntok, s->a[i].tok)) {
                pe[0] = s->a[i].person;
                ag[n++] = s->a[i].iri;
                break;
            }
    /* "«…», prosigue el comunicado": only a quotation before the word, no
     * speaker after it — the statement just reported goes on */
    (void)in_quote(c, s0, trig->tok0); /* fills c->qc for this sentence */
    int quoted = c->qc && c->qc->valid && c->qc->sent0 == s0 && c->qc->firstq < trig->tok0; /* a quotation before the word */
    if (!n && (!before || inverted) && quoted && c->last_speaker && c->last_speaker_sent + 1 >= si && c->last_speaker_sent < si) {
        pe[0] = NULL;
        ag[n++] = c->last_speaker;
    }
    if (!n && inverted) return; /* a speaker that is no state or organisation */
    /* (the speaker of a statement is named in its sentence or the one
     * before: "…, erklärte die Gruppe", "teilte der Arbeitgeber mit" are
     * not the subject of three sentences back) */
    if (!n) n = agents(c, s, trig->tok0, si, ag, pe, MAXSIDES, 1);
    n = expand_agents(c, ag, pe, n, MAXSIDES);
    if (!n) {
        /* "statement by X" */
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].tok > trig->last && s->a[i].tok - trig->last <= 6 && !s->a[i].locative &&
                !punct_between(c->t, trig->last + 1, s->a[i].tok)) {
                ag[0] = s->a[i].iri;
                n = 1;
                break;
            }
    }
    for (size_t i = 0; i < n; i++) {
        event e;
        event_start(&e, trig->lex->event, EKG_FAM_STATEMENT, "statement.agent", 0.6);
        e.sent[e.nsent++] = si;
        add_side(&e, ag[i]);
        c->last_speaker = ag[i];
        c->last_speaker_sent = si;
        set_date(c, &e, si, trig->tok0);
        const ekg_date_span *dl = e.date.y ? NULL : dateline_after(c, si);
        if (dl) e.date = dl->date;
        make_key(&e);
        add_event(c, &e);
    }
}

static void stance_as(ctx *c, uint32_t si, const sent_m *s, const ekg_mention *trig, const char *klass,
                      ekg_family fam, int agreement_only);

/* Whether token i is "of" in the document's language, as a stance noun's
 * possessor follows it ("l'engagement de la France"): the word set
 * ekg:GenitiveWords. */
static int genitive_word(const ctx *c, uint32_t i)
{
    const ekg_token *tk = &c->t->toks[i];
    const char *lang = c->doc->lang;
    if (!(tk->flags & EKG_TOK_WORD) || tk->flen > 3 || !lang) return 0;
    return ekg_kb_in_word_set(c->kb, NS "GenitiveWords", lang, ekg_text_fold_at(c->t, i));
}

/* The possessor of a stance noun, as its agents (see stance_as); 0 if none. */
static size_t possessor(const ctx *c, const sent_m *s, const ekg_mention *trig, uint32_t tend, const char *klass,
                        const char **ag, const char **pe)
{
    const ekg_text *t = c->t;
    if (strcmp(klass, "Criticism") == 0 || strcmp(klass, "Rejection") == 0) return 0;
    size_t first = (size_t)-1;
    for (size_t i = 0; i < s->na && first == (size_t)-1; i++) {
        const actor_m *a = &s->a[i];
        /* "Germany's support for" */
        if (a->last + 1 == trig->tok0 && !a->adjective && possessive(t, a->last)) first = i;
    }
    if (first == (size_t)-1 && strcmp(klass, "Endorsement") != 0 && strcmp(klass, "Commitment") != 0 &&
        strcmp(klass, "Proposal") != 0)
        return 0;
    if (first == (size_t)-1) {
        uint32_t g = tend + 1;
        if (g + 1 >= t->ntoks || !genitive_word(c, g)) return 0;
        /* (not "con el apoyo de", "in support of") */
        for (uint32_t b = trig->tok0 > 2 ? trig->tok0 - 2 : 0; b < trig->tok0; b++)
            if (tok_is_cue(c, b, CUE_WITH) || locative_word(c, b)) return 0;
        g++;
        if (g < t->ntoks && (t->toks[g].flags & EKG_TOK_WORD) && !(t->toks[g].flags & EKG_TOK_CAP) &&
            t->toks[g].end - t->toks[g].start <= 3)
            g++; /* an article */
        for (size_t i = 0; i < s->na; i++) {
            const actor_m *a = &s->a[i];
            if (a->tok < g) continue;
            if (a->locative || possessive(t, a->last)) break; /* (not "support of Ukraine's self-defense") */
            /* a name right there, or a state's adjective with its body noun
             * ("l'appui des autorités arméniennes") */
            if (a->tok == g && !a->adjective) first = i;
            else if (a->adjective && a->tok <= g + 1 &&
                     ((a->tok > 0 && tok_is_cue(c, a->tok - 1, CUE_BODY)) ||
                      (a->last + 1 < t->ntoks && tok_is_cue(c, a->last + 1, CUE_BODY))))
                first = i;
            break;
        }
        if (first == (size_t)-1) return 0;
    }
    size_t n = 0;
    ag[n] = s->a[first].iri, pe[n++] = s->a[first].person;
    /* … and those listed with it ("de Senegal y Mauritania") */
    for (size_t i = first + 1; i < s->na && n < 8 && s->a[first].tok > trig->last; i++) {
        const actor_m *p = &s->a[i - 1], *a = &s->a[i];
        if (a->tok > p->last + 3 || a->tok <= p->last || a->adjective || a->locative) break;
        int sep = 0;
        for (uint32_t q = p->last + 1; q < a->tok; q++)
            if (is_punct(t, q, ",") || tok_is_cue(c, q, CUE_CONJ)) sep = 1;
        if (!sep) break;
        int dup = 0;
        for (size_t q = 0; q < n; q++)
            if (strcmp(ag[q], a->iri) == 0) dup = 1;
        if (!dup) ag[n] = a->iri, pe[n++] = a->person;
    }
    return n;
}

/* "welcomed President Andrzej Duda and Prime Minister Donald Tusk of Poland
 * for a joint meeting", "welcomed Colombian Foreign Minister Alvaro Leyva
 * … to the White House": a greeting word (ekg:GreetingEntry) whose object
 * is a person — only a title, an honorific, a state's adjective or an
 * article between — receives a guest: the meeting of the host and the
 * guest's side, no endorsement ("welcomed Macron's decision" is one).
 * Returns 1 when the trigger was read so. */
static int hosted(ctx *c, uint32_t si, const sent_m *s, const ekg_mention *trig, uint32_t tend,
                  const char **ag, const char **pe, size_t n)
{
    const ekg_text *t = c->t;
    const actor_m *guest = NULL;
    for (size_t i = 0; i < s->na && !guest; i++) {
        const actor_m *a = &s->a[i];
        if (a->tok <= tend) continue;
        if (a->tok > tend + 8) break;
        if (!a->person) continue;
        /* (not "Duda's decision") */
        if (possessive(t, a->last)) return 0;
        for (uint32_t g = tend + 1; g < a->tok; g++) {
            const ekg_token *tk = &t->toks[g];
            int ok = (tk->flags & EKG_TOK_WORD) && !(tk->flags & EKG_TOK_CAP) && tk->end - tk->start <= 3;
            for (size_t q = 0; q < s->na && !ok; q++)
                if (g >= s->a[q].tok && g <= s->a[q].last) ok = 1;
            for (size_t q = 0; q < s->nlex && !ok; q++)
                if (covered(s->lex[q], g) && (s->lex[q]->lex->cue == EKG_CUE_TITLE || extra_cue(s->lex[q], CUE_HONORIFIC) ||
                                              extra_cue(s->lex[q], CUE_TMOD)))
                    ok = 1;
            if (!ok) return 0;
        }
        guest = a;
    }
    if (!guest || !has_type(c, trig->lex->iri, NS "GreetingEntry")) return 0;
    event e;
    event_start(&e, "Meeting", EKG_FAM_MEETING, "meeting.hosting", 0.7);
    e.sent[e.nsent++] = si;
    for (size_t i = 0; i < n; i++) add_side(&e, ag[i]), add_led(&e, pe[i]);
    add_side(&e, guest->iri);
    add_led(&e, guest->person);
    if (e.nsides < 2) return 1;
    set_date(c, &e, si, trig->tok0);
    const ekg_date *dd = &c->doc->date; /* dated after the document: planned */
    if (e.date.y && dd->y && e.date.y * 10000 + e.date.m * 100 + e.date.d > dd->y * 10000 + dd->m * 100 + dd->d &&
        e.date.m && dd->m)
        return 1;
    if (s->nplace) e.place = place_near(s, trig->tok0)->ent->iri;
    make_key(&e);
    event *x = add_event(c, &e);
    if (x) c->last_meeting = x - c->ev;
    return 1;
}

static void stance(ctx *c, uint32_t si, const sent_m *s, const ekg_mention *trig)
{
    stance_as(c, si, s, trig, trig->lex->event, trig->lex->family, trig->lex->family == EKG_FAM_ACT);
}

/* klass/fam: the event to make; agreement_only: the target must be an
 * agreement (acts on agreements, "presented" an initiative) */
static void stance_as(ctx *c, uint32_t si, const sent_m *s, const ekg_mention *trig, const char *klass,
                      ekg_family fam, int agreement_only)
{
    const char *target = NULL;
    uint32_t sent0 = c->t->sents[si].tok0;
    long bd = 0;
    int act = agreement_only;
    /* an entry whose target is an actor ("prevent Iran from"): no agreement */
    const char *tk[1];
    int actor_only = !act && trig->lex->iri && ekg_kb_objects(c->kb, trig->lex->iri, NS "targetKind", tk, 1) &&
                     strcmp(tk[0], NS "Actor") == 0;
    /* the end of the trigger's first part: the object of a separable verb
     * stands inside it ("wirft der Türkei vor", "lehnt den Aufruf ab") */
    uint32_t tend = trig->tok0 + (trig->ntok ? trig->ntok : 1) - 1;
    /* agreement after the trigger, nearest; else before (passive) */
    for (size_t i = 0; i < s->nagr && !actor_only; i++) {
        const ekg_mention *a = s->agr[i];
        long d = (long)a->tok0 - (long)tend;
        if (d < 0) d = 1000 - d;
        if (!target || d < bd) target = a->ent->iri, bd = d;
    }
    const char *ag[MAXSIDES], *pe[MAXSIDES];
    size_t n = 0;
    /* a passive participle and its agent: "la résolution 2231 adoptée par le
     * Conseil de sécurité", "política propuesta por Biden"; the target is
     * then what stands just before the participle */
    for (size_t k = 0; k < s->nlex && !n; k++) {
        const ekg_mention *by = s->lex[k];
        if (!extra_cue(by, CUE_BY) || by->tok0 <= trig->last || by->tok0 > trig->last + 5) continue;
        int between = 0; /* "signé en janvier secrètement par …": nothing named in between */
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].tok > trig->last && s->a[i].tok < by->tok0) between = 1;
        for (uint32_t i = trig->last + 1; i < by->tok0; i++)
            if (c->t->toks[i].flags & EKG_TOK_PUNCT) between = 1;
        for (size_t q = 0; q < s->nlex; q++) /* "félicitons du soutien apporté par": another word's agent */
            if (s->lex[q]->lex->cue == EKG_CUE_EVENT && s->lex[q]->tok0 > trig->last && s->lex[q]->tok0 < by->tok0)
                between = 1;
        if (between) continue;
        /* the agent, and the actors listed with it ("par 22 des 27
         * gouvernements de l'Union européenne, ainsi que les États-Unis, le
         * Japon …") */
        uint32_t next = by->last + 7;
        for (size_t i = 0; i < s->na && n < MAXSIDES; i++) {
            if (s->a[i].tok <= by->last) continue;
            if (s->a[i].tok > next) break;
            int dup = 0;
            for (size_t q = 0; q < n; q++)
                if (strcmp(ag[q], s->a[i].iri) == 0) dup = 1;
            if (!dup) pe[n] = s->a[i].person, ag[n++] = s->a[i].iri;
            next = s->a[i].last + 5;
        }
        if (!n) break;
        target = NULL;
        for (size_t i = 0; i < s->nagr; i++)
            if (s->agr[i]->last < trig->tok0 && trig->tok0 - s->agr[i]->last <= 4) target = s->agr[i]->ent->iri;
        if (!target) return; /* what was done by them stands before: unknown here */
    }
    /* "die von der französischen Seite gemachte Präsentation": an agent
     * phrase before the noun, a participle between */
    for (size_t k = 0; k < s->nlex && !n; k++) {
        const ekg_mention *by = s->lex[k];
        if (!extra_cue(by, CUE_BY) || by->last >= trig->tok0 || trig->tok0 - by->last > 12) continue;
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].tok > by->last && s->a[i].tok <= by->last + 3 && s->a[i].last < trig->tok0 &&
                trig->tok0 - s->a[i].last <= 6) {
                /* "von Präsident …, Emmanuel Macron, 2018 gestartet": commas of an
                 * apposition may stand between, not another clause or trigger */
                int other = 0;
                for (uint32_t q = s->a[i].last + 1; q < trig->tok0; q++)
                    if (is_punct(c->t, q, ";:()")) other = 1;
                for (size_t q = 0; q < s->nlex; q++)
                    if (s->lex[q]->lex->cue == EKG_CUE_EVENT && s->lex[q]->tok0 > by->last && s->lex[q]->tok0 < trig->tok0)
                        other = 1;
                if (other) continue;
                pe[0] = s->a[i].person;
                ag[n++] = s->a[i].iri;
                break;
            }
    }
    /* "Germany's support for", "l'engagement de la France", "el compromiso de
     * Senegal y Mauritania", "the commitment of the United States to": the
     * possessor of a stance noun is who takes the stance (not of a
     * criticism or a rejection — "condemnation of Russia" is of its target —
     * nor of support one has "with" or is "in": "con el apoyo de la UE", "in
     * support of Ukraine") */
    if (!n && !act) n = possessor(c, s, trig, tend, klass, ag, pe);
    /* "adopted at the First Committee", "adopté par le Conseil de sécurité":
     * an organisation's body right after an act word is the one acting */
    if (!n && act)
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].forumish && s->a[i].tok > trig->last && s->a[i].tok <= trig->last + 4) {
                pe[0] = NULL;
                ag[n++] = s->a[i].iri;
                break;
            }
    if (!n) n = agents(c, s, trig->tok0, si, ag, pe, MAXSIDES, UINT32_MAX);
    n = expand_agents(c, ag, pe, n, MAXSIDES);
    if (!n) return;
    if (fam == EKG_FAM_STANCE && strcmp(klass, "Endorsement") == 0 && hosted(c, si, s, trig, tend, ag, pe, n)) return;
    int actor_target = 0;
    size_t first_t = (size_t)-1;
    if (target && bd >= 1000 && !act) {
        /* "the threat posed by the DPRK": an actor right after the trigger
         * rather than an agreement named before it */
        for (size_t i = 0; i < s->na; i++)
            if (s->a[i].tok > tend && s->a[i].tok <= tend + 2 && !s->a[i].locative) {
                int self = 0;
                for (size_t q = 0; q < n; q++)
                    if (strcmp(ag[q], s->a[i].iri) == 0) self = 1;
                if (!self) target = s->a[i].iri, actor_target = 1;
                break;
            }
    }
    /* "le retrait des forces françaises", "withdrawal from Afghanistan": one
     * leaves an agreement or an organisation, not a state */
    int withdraw = strcmp(klass, "Rejection") == 0 && has_type(c, trig->lex->iri, NS "WithdrawalEntry");
    if (!target && !act) {
        uint32_t partner_end = 0;
        for (size_t i = 0; i < s->na; i++) {
            const actor_m *a = &s->a[i];
            if (a->tok <= tend || a->tok - tend > 16 || a->locative) continue;
            /* a name in quotation marks names something else: « Next
             * Generation EU », the “America First” policy */
            if (in_quote(c, sent0, a->tok) && !in_quote(c, sent0, trig->tok0)) continue;
            int self = 0;
            for (size_t q = 0; q < n; q++)
                if (strcmp(ag[q], a->iri) == 0) self = 1;
            if (self || (withdraw && a->kind != EKG_KIND_IO && !a->forumish)) continue;
            /* how far the object of a stance word reaches: a state's
             * adjective only right after it ("condemned Russian aggression",
             * not "supporting U.S. jobs", "im US-Exil lebenden Prediger"),
             * any other actor within 10 words (further on it is the object
             * of another phrase: "welcomed cooperation with allies and
             * partners to impose severe costs on Russia") */
            /* (an adjective with a state body noun is the state: "saluer le
             * rôle des autorités égyptiennes", "besorgt auf das Vorgehen der
             * türkischen Behörden") */
            int body = a->adjective && ((a->last + 1 < c->t->ntoks && tok_is_cue(c, a->last + 1, CUE_BODY)) ||
                                        (a->tok > 0 && tok_is_cue(c, a->tok - 1, CUE_BODY)));
            if (a->tok - tend > (a->adjective && !body ? 3u : 10u)) {
                if (a->adjective) continue; /* a name further on may still be in reach */
                break;
            }
            /* the body whose negotiations or session are meant is where it
             * happens, not what the stance is about ("in den Verhandlungen
             * der UN mitzutragen") */
            int venue = 0;
            for (size_t q = 0; q < s->nlex; q++) {
                const ekg_mention *m = s->lex[q];
                if (m->lex->cue == EKG_CUE_EVENT && m->lex->family == EKG_FAM_MEETING && m->tok0 > tend &&
                    m->last < a->tok && a->tok - m->last <= 2)
                    venue = 1;
            }
            if (venue) continue;
            /* "sont convenus avec le Président Trump", "l'initiative que nous
             * avons lancée avec le Mexique": who acts with the agent is a
             * partner, not the target (a quarrel "with" someone is with its
             * target: "tensó las relaciones con Estados Unidos") */
            int partner = partner_end && a->tok > partner_end && a->tok - partner_end <= 4; /* "… et le Président Poutine" */
            if (strcmp(klass, "Criticism") != 0 && strcmp(klass, "Rejection") != 0)
                for (uint32_t g = a->tok; g > tend + 1 && g + 3 > a->tok && !partner; g--) {
                    if (c->t->toks[g - 1].flags & EKG_TOK_PUNCT) break;
                    partner = tok_is_cue(c, g - 1, CUE_WITH);
                }
            if (partner) {
                partner_end = a->last;
                continue;
            }
            target = a->iri;
            actor_target = 1;
            first_t = i;
            break;
        }
    }
    if (!target) return;
    /* a demand is addressed to an actor close after its word ("called on
     * Turkey", "demandons dans ce contexte à la Turquie"); one further on is
     * where or for whom something was launched ("launched Anti-Migrant
     * Smuggling Task Forces in both Mexico and Guatemala") */
    if (first_t != (size_t)-1 && strcmp(klass, "Proposal") == 0 && s->a[first_t].tok - tend > 6) return;
    /* "proposé que l'OSCE s'implique": the subject of what is proposed, not
     * whom it presses */
    if (first_t != (size_t)-1 && strcmp(klass, "Proposal") == 0)
        for (size_t q = 0; q < s->nlex; q++)
            if (extra_cue(s->lex[q], CUE_THAT) && s->lex[q]->tok0 > tend && s->lex[q]->tok0 < s->a[first_t].tok) return;
    /* the actors listed with the target ("el apoyo de la Unión Europea, de
     * la India, de China") are targets too */
    const char *tv[8];
    size_t nt = 0;
    tv[nt++] = target;
    if (first_t != (size_t)-1)
        for (size_t i = first_t + 1; i < s->na && nt < 8; i++) {
            const actor_m *p = &s->a[i - 1], *a = &s->a[i];
            if (a->tok > p->last + 4 || a->tok <= p->last) break;
            int sep = 0; /* a comma or a conjunction between */
            for (uint32_t q = p->last + 1; q < a->tok; q++)
                if (is_punct(c->t, q, ",")) sep = 1;
            for (size_t q = 0; q < s->nlex; q++)
                if (extra_cue(s->lex[q], CUE_CONJ) && s->lex[q]->tok0 > p->last && s->lex[q]->tok0 < a->tok) sep = 1;
            if (!sep) break;
            int dup = 0;
            for (size_t q = 0; q < nt; q++)
                if (strcmp(tv[q], a->iri) == 0) dup = 1;
            for (size_t q = 0; q < n; q++)
                if (strcmp(ag[q], a->iri) == 0) dup = 1;
            if (!dup) tv[nt++] = a->iri;
        }
    for (size_t ti = 0; ti < nt; ti++)
    for (size_t i = 0; i < n; i++) {
        target = tv[ti];
        if (strcmp(ag[i], target) == 0) continue;
        event e;
        memset(&e, 0, sizeof e);
        e.klass = klass;
        /* a demand addressed to a state or organisation ("called on Turkey
         * to", "ont demandé à la Russie de") presses it: not an initiative of
         * one's own, so not a Proposal */
        if (actor_target && strcmp(e.klass, "Proposal") == 0) e.klass = "Criticism";
        e.fam = fam;
        e.sent[e.nsent++] = si;
        e.rule = fam == EKG_FAM_ACT ? "act.agent" : "stance.agent";
        e.conf = 0.6;
        e.target = target;
        add_side(&e, ag[i]);
        set_date(c, &e, si, trig->tok0);
        make_key(&e);
        add_event(c, &e);
    }
}

/* "Esta iba a ser la XII RAN entre España y Marruecos. La última se celebró
 * en junio de 2015 en Madrid": "the last one was held" is an earlier meeting
 * of the kind just mentioned (in this sentence or the one before), between
 * the same sides, dated and placed by this sentence. */
static void held_anaphor(ctx *c, uint32_t si, const sent_m *s)
{
    if (!c->mention.set || c->mention.sent + 1 < si) return;
    const ekg_mention *an = NULL, *held = NULL;
    for (size_t k = 0; k < s->nlex; k++) {
        if (extra_cue(s->lex[k], CUE_MANAPH)) an = s->lex[k];
        if (an && extra_cue(s->lex[k], CUE_HELD) && s->lex[k]->tok0 > an->last && s->lex[k]->tok0 <= an->last + 3) {
            held = s->lex[k];
            break;
        }
    }
    if (!held) return;
    /* the sentence names sides of its own: not an anaphor of the one before */
    size_t named = 0;
    for (size_t i = 0; i < s->na; i++)
        if (!s->a[i].forumish) named++;
    if (named >= 2) return;
    event e;
    event_start(&e, c->mention.klass, EKG_FAM_MEETING, "meeting.anaphor", 0.6);
    e.sent[e.nsent++] = si;
    for (size_t i = 0; i < c->mention.nsides; i++) add_side(&e, c->mention.sides[i]);
    const ekg_date_span *d = date_for(c, si, held->tok0);
    if (d) e.date = d->date;
    const ekg_date *dd = &c->doc->date;
    if (e.date.y && dd->y) {
        int m = e.date.m && dd->m, dy = m && e.date.d && dd->d;
        long a = (long)e.date.y * 10000 + (m ? e.date.m : 0) * 100 + (dy ? e.date.d : 0);
        long b = (long)dd->y * 10000 + (m ? dd->m : 0) * 100 + (dy ? dd->d : 0);
        if (a > b) return;
    }
    if (s->nplace) e.place = place_near(s, held->tok0)->ent->iri;
    make_key(&e);
    add_event(c, &e);
}

/* "US-led declaration", "Russian-sponsored resolution": a Proposal of the
 * agreement by the actor joined to the sponsor word. */
static void sponsored(ctx *c, uint32_t si, const sent_m *s)
{
    const ekg_text *t = c->t;
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (!extra_cue(m, CUE_SPONSOR) || m->tok0 < 2) continue;
        const actor_m *a = NULL;
        if (is_punct(t, m->tok0 - 1, "-") && t->toks[m->tok0].start == t->toks[m->tok0 - 1].end) {
            for (size_t i = 0; i < s->na; i++)
                if (s->a[i].last + 2 == m->tok0) a = &s->a[i];
        } else {
            /* "der von den USA geführten Erklärung" */
            for (size_t i = 0; i < s->na; i++)
                if (s->a[i].last + 1 == m->tok0)
                    for (size_t q = 0; q < s->nlex; q++)
                        if (extra_cue(s->lex[q], CUE_BY) && s->lex[q]->last < s->a[i].tok &&
                            s->a[i].tok - s->lex[q]->last <= 2)
                            a = &s->a[i];
        }
        if (!a) continue;
        const ekg_mention *g = NULL;
        for (size_t i = 0; i < s->nagr; i++)
            if (s->agr[i]->tok0 > m->last && s->agr[i]->tok0 <= m->last + 6) {
                g = s->agr[i];
                break;
            }
        if (!g) continue;
        event e;
        event_start(&e, "Proposal", EKG_FAM_STANCE, "stance.sponsor", 0.7);
        e.sent[e.nsent++] = si;
        e.target = g->ent->iri;
        add_side(&e, a->iri);
        make_key(&e);
        add_event(c, &e);
    }
}

/* ---------- triples ---------- */

static void add3(ctx *c, const char *s, const char *p, ekg_term o)
{
    ekg_term st = ekg_iri(s), pt = ekg_iri(p);
    ekg_triples_add(c->g, &st, &pt, &o);
}

static char *sentence_text(const ctx *c, uint32_t si)
{
    const ekg_sentence *s = &c->t->sents[si];
    size_t n = s->end - s->start;
    char *p = malloc(n + 1);
    if (!p) return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = c->t->src[s->start + i];
        if (ch == '\n' || ch == '\t') ch = ' ';
        if (ch == ' ' && w && p[w - 1] == ' ') continue;
        p[w++] = ch;
    }
    p[w] = 0;
    return p;
}

/* A meeting mentioned again without its date ("during the consultations")
 * is the dated one with the same sides: merge its evidence there. */
static void merge_undated(ctx *c)
{
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        if (e->fam != EKG_FAM_MEETING || e->date.y || !e->klass) continue;
        for (size_t j = 0; j < c->nev; j++) {
            event *x = &c->ev[j];
            if (j == i || x->fam != EKG_FAM_MEETING || !x->date.y || !x->klass || x->nsides != e->nsides)
                continue;
            int same = 1;
            for (size_t k = 0; k < e->nsides; k++)
                if (strcmp(e->sides[k], x->sides[k]) != 0) same = 0;
            if (!same) continue;
            add_sents(x, e);
            e->klass = NULL; /* dropped */
            break;
        }
    }
}

/* A generic "Meeting" with the same sides as a more specific one (and the
 * same date, or either has none) is that one: "fand ein Gipfel statt",
 * "trafen sich … zu deutsch-französischen Konsultationen" (the date, place
 * and heads of delegation go to the specific one when it lacks them). */
static void merge_generic(ctx *c)
{
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        if (e->fam != EKG_FAM_MEETING || !e->klass || strcmp(e->klass, "Meeting") != 0) continue;
        for (size_t j = 0; j < c->nev; j++) {
            event *x = &c->ev[j];
            if (j == i || x->fam != EKG_FAM_MEETING || !x->klass || strcmp(x->klass, "Meeting") == 0 ||
                x->nsides != e->nsides)
                continue;
            if (e->date.y && x->date.y &&
                !(e->date.y == x->date.y && e->date.m == x->date.m && e->date.d == x->date.d))
                continue;
            int same = 1;
            for (size_t k = 0; k < e->nsides; k++)
                if (strcmp(e->sides[k], x->sides[k]) != 0) same = 0;
            if (!same) continue;
            add_sents(x, e);
            if (!x->date.y && e->date.y) {
                x->date = e->date;
                make_key(x);
            }
            if (!x->place) x->place = e->place;
            for (size_t k = 0; k < e->nled; k++) add_led(x, e->led[k]);
            e->klass = NULL;
            break;
        }
    }
}

/* "X joined the meeting": an undated meeting later in the text whose sides
 * are those of a dated one plus one or two more is that meeting, with them. */
static void merge_joined(ctx *c)
{
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        if (e->fam != EKG_FAM_MEETING || e->date.y || !e->klass) continue;
        for (size_t j = 0; j < i; j++) {
            event *x = &c->ev[j];
            if (x->fam != EKG_FAM_MEETING || !x->date.y || !x->klass || x->nsides < 2 ||
                e->nsides <= x->nsides || e->nsides > x->nsides + 2)
                continue;
            size_t in = 0;
            for (size_t k = 0; k < x->nsides; k++)
                for (size_t q = 0; q < e->nsides; q++)
                    if (strcmp(x->sides[k], e->sides[q]) == 0) {
                        in++;
                        break;
                    }
            if (in != x->nsides) continue;
            for (size_t q = 0; q < e->nsides; q++) add_side(x, e->sides[q]);
            for (size_t k = 0; k < e->nsent && x->nsent < 16; k++) x->sent[x->nsent++] = e->sent[k];
            for (size_t k = 0; k < e->nled; k++) add_led(x, e->led[k]);
            make_key(x);
            e->klass = NULL;
            break;
        }
    }
}

/* A meeting named again with fewer of its sides ("the Paris Summit", after
 * "the Paris Summit of 9 December, where Russia, Ukraine, France and
 * Germany agreed") is that meeting: same class, same date or none. */
static void merge_subset(ctx *c)
{
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        if (e->fam != EKG_FAM_MEETING || !e->klass) continue;
        for (size_t j = 0; j < c->nev; j++) {
            event *x = &c->ev[j];
            if (j == i || x->fam != EKG_FAM_MEETING || !x->klass || strcmp(x->klass, e->klass) != 0 ||
                x->nsides <= e->nsides)
                continue;
            if (e->date.y && !(e->date.y == x->date.y && e->date.m == x->date.m && e->date.d == x->date.d))
                continue;
            size_t in = 0;
            for (size_t k = 0; k < e->nsides; k++)
                for (size_t q = 0; q < x->nsides; q++)
                    if (strcmp(e->sides[k], x->sides[q]) == 0) {
                        in++;
                        break;
                    }
            if (in != e->nsides) continue;
            add_sents(x, e);
            e->klass = NULL;
            break;
        }
    }
}

static ekg_status emit(ctx *c)
{
    merge_generic(c);
    merge_joined(c);
    merge_subset(c);
    merge_generic(c);
    merge_undated(c);
    /* a document that is itself a statement (its title says so) is about
     * that statement: other statements its text dates elsewhere ("dans un
     * communiqué conjoint du 4 septembre") are background, not reported */
    int titled = c->title_statement;
    for (size_t i = 0; i < c->nev; i++)
        if (c->ev[i].klass && strcmp(c->ev[i].rule, "statement.title") == 0) titled = 1;
    const ekg_date *dd = &c->doc->date;
    for (size_t i = 0; titled && dd->y && i < c->nev; i++) {
        event *e = &c->ev[i];
        if (!e->klass || e->fam != EKG_FAM_STATEMENT || strcmp(e->rule, "statement.agent") != 0 || !e->date.y) continue;
        if (e->date.y != dd->y || e->date.m != dd->m || (e->date.d && dd->d && e->date.d != dd->d)) e->klass = NULL;
    }
    /* "… 2022 Joint Statement": the parties a title does not name are the
     * sides of the meeting the statement comes from, reported first */
    if (c->title_statement)
        for (size_t i = 0; i < c->nev; i++) {
            event *x = &c->ev[i];
            if (x->fam != EKG_FAM_MEETING || !x->klass) continue;
            size_t nsides = x->nsides;
            for (size_t k = 0; k < nsides; k++) {
                event e;
                event_start(&e, "Statement", EKG_FAM_STATEMENT, "statement.title", 0.7);
                e.date = c->doc->date;
                e.sent[e.nsent++] = c->ev[i].sent[0];
                add_side(&e, c->ev[i].sides[k]);
                make_key(&e);
                if (!add_event(c, &e)) return EKG_ERR_NOMEM;
            }
            break;
        }
    /* the meeting a title names ("Телефонный разговор с …"), reported first
     * and dated nowhere in the text, is the one of the publication day */
    if (c->title_meeting && c->doc->date.d)
        for (size_t i = 0; i < c->nev; i++) {
            event *e = &c->ev[i];
            if (e->fam != EKG_FAM_MEETING) continue;
            if (e->klass && !e->date.y) e->date = c->doc->date;
            break;
        }
    for (size_t i = 0; i < c->nev; i++) {
        event *e = &c->ev[i];
        if (!e->klass) continue;
        char hin[1200], iri[128];
        snprintf(hin, sizeof hin, "%s|%s", c->hash, e->key);
        XXH128_hash_t h = XXH3_128bits(hin, strlen(hin));
        snprintf(iri, sizeof iri, EKG_ID "event/%016llx%016llx", (unsigned long long)h.high64,
                 (unsigned long long)h.low64);
        const char *ev = intern(c, iri);
        char cls[128];
        snprintf(cls, sizeof cls, NS "%s", e->klass);
        add3(c, ev, EKG_RDF_TYPE, ekg_iri(cls));
        const char *role = e->fam == EKG_FAM_MEETING ? NS "participant" : NS "agent";
        /* a side is the state or organisation a person or agency acts for */
        for (size_t k = 0; k < e->nsides; k++) {
            const char *side = e->sides[k];
            const ekg_kb_entity *en = ekg_kb_entity_by_iri(c->kb, side);
            if (en && en->kind != EKG_KIND_STATE && en->kind != EKG_KIND_IO && en->kind != EKG_KIND_ORG)
                side = en->actor ? en->actor->iri : NULL;
            else if (!en && strncmp(side, EKG_ID "person/", strlen(EKG_ID "person/")) == 0)
                side = NULL;
            if (side) add3(c, ev, role, ekg_iri(side));
        }
        if (e->target) add3(c, ev, NS "target", ekg_iri(e->target));
        char db[16];
        const char *dt = ekg_date_format(&e->date, db, sizeof db);
        if (dt) add3(c, ev, NS "date", ekg_typed(db, dt));
        if (e->place) add3(c, ev, NS "place", ekg_iri(e->place));
        if (e->forum) add3(c, ev, NS "forum", ekg_iri(e->forum));
        for (size_t k = 0; k < e->nled; k++) add3(c, ev, NS "ledBy", ekg_iri(e->led[k]));
        add3(c, ev, NS "source", ekg_iri(c->doc_iri));
        for (size_t k = 0; k < e->nsent; k++) {
            char *txt = sentence_text(c, e->sent[k]);
            if (!txt) return EKG_ERR_NOMEM;
            add3(c, ev, NS "evidence", ekg_literal(txt, c->doc->lang));
            free(txt);
        }
        /* read from the title ("Joint Statement by …"): the title is the evidence */
        if (!e->nsent && c->doc->title && *c->doc->title)
            add3(c, ev, NS "evidence", ekg_literal(c->doc->title, c->doc->lang));
        char conf[16];
        double cf = e->conf + 0.05 * (double)(e->nsent - 1);
        if (cf > 0.99) cf = 0.99;
        snprintf(conf, sizeof conf, "%.2f", cf);
        add3(c, ev, NS "confidence", ekg_typed(conf, EKG_XSD "decimal"));
        add3(c, ev, NS "rule", ekg_literal(e->rule, NULL));
    }
    return EKG_OK;
}

static void doc_triples(ctx *c, ekg_doc_graph *out)
{
    const ekg_doc *d = c->doc;
    const char *di = c->doc_iri;
    add3(c, di, EKG_RDF_TYPE, ekg_iri(NS "Document"));
    add3(c, di, NS "fileName", ekg_literal(d->name, NULL));
    add3(c, di, NS "path", ekg_literal(d->path, NULL));
    add3(c, di, NS "contentHash", ekg_literal(c->hash, NULL));
    if (d->title && *d->title) add3(c, di, EKG_DCT "title", ekg_literal(d->title, d->lang));
    char db[16];
    const char *dt = ekg_date_format(&d->date, db, sizeof db);
    if (dt) {
        add3(c, di, EKG_DCT "date", ekg_typed(db, dt));
        memcpy(out->date, db, strnlen(db, sizeof out->date - 1));
    }
    if (d->lang) add3(c, di, EKG_DCT "language", ekg_literal(d->lang, NULL));
    if (d->source_url) {
        if (strncmp(d->source_url, "http", 4) == 0 && !strpbrk(d->source_url, " <>\"{}|\\^`"))
            add3(c, di, EKG_DCT "source", ekg_iri(d->source_url));
        else
            add3(c, di, EKG_DCT "source", ekg_literal(d->source_url, NULL));
    }
    if (d->identifier) add3(c, di, EKG_DCT "identifier", ekg_literal(d->identifier, NULL));
}

/* The title announces a statement ("Joint Statement by …", "STATEMENT BY
 * …"): one statement per side named in it, dated by the document. */
/* A meeting word after "ahead of" or "during the" (once a meeting is
 * reported), or in what an actor commits to or proposes ("sagte zu, ihn
 * in den Verhandlungen der OEWG mitzutragen", "agreed to hold talks",
 * "proposed consultations"): a course of action, not a meeting that took
 * place — unless the sentence dates it. */
static int promised(const ctx *c, uint32_t si, const sent_m *s, const ekg_mention *tm)
{
    /* "ahead of the third summit", "kurz vor dem Besuch von Präsident
     * Obama in Vietnam": still to come when what is reported happened;
     * "during the visit, the Netherlands signed … with the NATO centre",
     * "В ходе беседы были затронуты темы …": the meeting already reported,
     * the setting of the sentence, not one of the actors it names */
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (m->tok0 >= tm->tok0) break;
        if (extra_cue(m, CUE_PRIOR) && tm->tok0 - m->last <= 3) return 1;
        if (extra_cue(m, CUE_DURING) && tm->tok0 - m->last <= 2) {
            if (c->last_meeting >= 0) return 1;
            /* "During the visit, the leaders will strengthen …": a visit to come */
            for (size_t q = 0; q < s->nlex; q++)
                if (s->lex[q]->tok0 > tm->last && s->lex[q]->lex->cue == EKG_CUE_MODALITY) return 1;
        }
        /* "informierte … über das Treffen in Wien": a meeting as what is
         * talked about, not one of the actors named */
        if (m->lex->cue == EKG_CUE_TOPIC && m->last < tm->tok0 && tm->tok0 - m->last <= 2) return 1;
    }
    for (size_t i = 0; i < c->nds; i++)
        if (c->ds[i].sent == si && !c->ds[i].year_only) return 0;
    for (size_t k = 0; k < s->nlex; k++) {
        const ekg_mention *m = s->lex[k];
        if (m->tok0 >= tm->tok0) break;
        if (m->lex->cue != EKG_CUE_EVENT || !m->lex->event || m->lex->family != EKG_FAM_STANCE) continue;
        if (strcmp(m->lex->event, "Commitment") != 0 && strcmp(m->lex->event, "Proposal") != 0) continue;
        if (tm->tok0 - m->last > 12) continue;
        /* (restating a position happens at the meeting: "reaffirm
         * partnership … at the summit") */
        if (strcmp(m->lex->event, "Commitment") == 0 && has_type(c, m->lex->iri, NS "ReiteratingEntry")) continue;
        int cut = 0; /* not past the end of the clause */
        for (uint32_t g = m->last + 1; g < tm->tok0; g++)
            if (is_punct(c->t, g, ";:")) cut = 1;
        if (!cut) return 1;
    }
    return 0;
}

/* "reaffirmed its support for", "réitéré leur engagement": a restating
 * word (ekg:ReiteratingEntry) followed within four words by another stance word
 * takes that word's stance, so it makes none of its own. */
static int reiterated(const ctx *c, const sent_m *s, size_t q)
{
    const ekg_mention *tm = s->lex[q];
    /* (restating words signal a Commitment: only those are looked up) */
    if (!tm->lex->event || strcmp(tm->lex->event, "Commitment") != 0 ||
        !has_type(c, tm->lex->iri, NS "ReiteratingEntry"))
        return 0;
    for (size_t k = q + 1; k < s->nlex; k++) {
        const ekg_mention *nx = s->lex[k];
        if (nx->tok0 <= tm->last) continue;
        if (nx->tok0 > tm->last + 4) break;
        if (nx->lex->cue == EKG_CUE_EVENT && nx->lex->event && nx->lex->family == EKG_FAM_STANCE) return 1;
    }
    return 0;
}

static ekg_status title_statements(ctx *c)
{
    const ekg_doc *d = c->doc;
    if (!d->title || !*d->title) return EKG_OK;
    ekg_text *t = NULL;
    ekg_mention *m = NULL;
    size_t nm = 0;
    ekg_status st = ekg_text_split(d->title, strlen(d->title), d->lang, &t);
    if (st != EKG_OK) return st;
    st = ekg_recognise(c->kb, t, d->lang, &m, &nm);
    if (st == EKG_OK) {
        int has = 0;
        for (size_t i = 0; i < nm; i++)
            if (m[i].lex && m[i].lex->family == EKG_FAM_STATEMENT) has = 1;
        /* a title that is the name of a meeting (its first word a meeting
         * word) announces the meeting of the day it is published */
        for (size_t i = 0; i < nm; i++)
            if (m[i].lex && m[i].lex->cue == EKG_CUE_EVENT) {
                c->title_meeting = m[i].tok0 == 0 && m[i].lex->family == EKG_FAM_MEETING;
                break;
            }
        size_t stop = nm; /* the sides come before what the statement is about */
        for (size_t i = 0, st_seen = 0; i < nm; i++) {
            if (m[i].lex && (m[i].lex->cue == EKG_CUE_TOPIC || extra_cue(&m[i], CUE_TTOPIC))) {
                stop = i;
                break;
            }
            /* … or the meeting it was made at ("Déclaration des chefs d'État
             * de Chypre, …, à l'issue du 7e Sommet des pays du sud de l'Union
             * européenne": the EU names the summit, it is no party) */
            if (m[i].lex && m[i].lex->cue == EKG_CUE_EVENT && m[i].lex->family == EKG_FAM_STATEMENT) st_seen = 1;
            if (st_seen && m[i].lex && m[i].lex->cue == EKG_CUE_EVENT && m[i].lex->family == EKG_FAM_MEETING) {
                stop = i;
                break;
            }
        }
        /* "the treaty" in the text is first the one the title names */
        for (size_t i = 0; i < nm; i++)
            if (m[i].ent && m[i].ent->kind == EKG_KIND_AGREEMENT) c->last_agreement = m[i].ent;
        int named = 0, joint = 0;
        const char *only = NULL;
        for (size_t i = 0; i < nm; i++)
            if (m[i].lex && m[i].lex->family == EKG_FAM_STATEMENT && has_type(c, m[i].lex->iri, NS "JointStatementEntry"))
                joint = 1;
        /* the parties: the actors before the topic; a joint statement naming
         * none there is of the two sides a compound names ("Joint Statement
         * on a Framework for a United States-Thailand Agreement") */
        uint8_t *party = calloc(nm ? nm : 1, 1);
        if (!party) {
            free(m);
            ekg_text_free(t);
            return EKG_ERR_NOMEM;
        }
        for (size_t i = 0; i < stop; i++)
            if (m[i].ent && m[i].ent->actor) party[i] = 1, named = 1;
        for (size_t i = 0; joint && !named && i + 1 < nm; i++)
            if (m[i].ent && m[i].ent->actor && m[i + 1].ent && m[i + 1].ent->actor && m[i + 1].tok0 == m[i].last + 2 &&
                (t->toks[m[i].last + 1].flags & EKG_TOK_PUNCT) && t->src[t->toks[m[i].last + 1].start] == '-') {
                party[i] = party[i + 1] = 1;
                named = 1;
                break;
            }
        for (size_t i = 0; i < nm; i++)
            if (party[i]) {
                if (only && strcmp(only, m[i].ent->actor->iri) != 0) only = "";
                if (!only) only = m[i].ent->actor->iri;
            }
        c->title_joint = joint;
        /* a title naming no party speaks for the sides of the meeting the
         * text reports when it is a joint statement ("… 2022 Joint
         * Statement"); any other ("Statement from the Press Secretary on
         * the Visit of …") is the issuer's */
        c->title_statement = has && !named && (joint || !c->issuer);
        /* (a title that opens with the statement word: "Statement from …",
         * not "FACT SHEET: Background on President Biden's Remarks …") */
        int opens = 0;
        for (size_t i = 0; i < nm; i++)
            if (m[i].lex && m[i].lex->family == EKG_FAM_STATEMENT && m[i].tok0 <= 1) opens = 1;
        if (has && !named && !c->title_statement && opens) {
            event e;
            event_start(&e, "Statement", EKG_FAM_STATEMENT, "statement.title", 0.8);
            e.date = d->date;
            add_side(&e, c->issuer);
            make_key(&e);
            if (!add_event(c, &e)) st = EKG_ERR_NOMEM;
        }
        /* "Communiqué de la Présidence de la République": a statement title
         * naming one body is that body's publication */
        if (has && !c->issuer && only && *only) c->issuer = only;
        /* "U.S-EU Joint Statement …" from whitehouse.gov: a joint statement
         * naming one party is also the issuer's */
        const char *with_issuer = joint && only && *only && c->issuer && strcmp(only, c->issuer) != 0 ? c->issuer : NULL;
        if (has)
            for (size_t i = 0; i <= nm; i++) {
                const char *pa = i < nm ? (party[i] ? m[i].ent->actor->iri : NULL) : with_issuer;
                if (!pa) continue;
                event e;
                event_start(&e, "Statement", EKG_FAM_STATEMENT, "statement.title", 0.8);
                e.date = d->date;
                add_side(&e, pa);
                int dup = 0;
                for (size_t q = 0; q < c->njoint; q++)
                    if (strcmp(c->joint[q], pa) == 0) dup = 1;
                if (!dup && c->njoint < MAXSIDES) c->joint[c->njoint++] = pa;
                make_key(&e);
                if (!add_event(c, &e)) {
                    st = EKG_ERR_NOMEM;
                    break;
                }
            }
        free(party);
    }
    free(m);
    ekg_text_free(t);
    return st;
}

/* A relative date inside a multi-word trigger ("spoke today with"): the
 * automaton took the longer form, so the date scan did not see it. Each
 * inner word is looked up alone; a RelativeDate or Weekday gives a span. */
/* lex_alone: a RelativeDate or Weekday entry; its date goes to *(ekg_date *)d. */
static int relative_date(const ctx *c, const ekg_kb_out *o, void *d)
{
    return ekg_date_relative(o->lex, &c->doc->date, d);
}

static ekg_status dates_in_triggers(ctx *c)
{
    const ekg_date *doc = &c->doc->date;
    if (!doc->y || !doc->m || !doc->d) return EKG_OK;
    size_t cap = c->nds;
    for (size_t k = 0; k < c->nm; k++) {
        const ekg_mention *m = &c->m[k];
        if (!m->lex || m->lex->cue != EKG_CUE_EVENT || m->ntok < 2) continue;
        for (uint32_t j = m->tok0 + 1; j < m->tok0 + m->ntok; j++) {
            ekg_date d;
            if (!lex_alone(c, j, relative_date, &d)) continue;
            if (c->nds == cap) {
                cap = cap ? cap * 2 : 8;
                ekg_date_span *p = realloc(c->ds, cap * sizeof *p);
                if (!p) return EKG_ERR_NOMEM;
                c->ds = p;
            }
            ekg_date_span sp = {m->sent, j, j, d, 1, 0};
            c->ds[c->nds++] = sp;
            break;
        }
    }
    return EKG_OK;
}

/* A document's content hash (32 hex digits, in hash[33]) and IRI: the hash
 * of its normalised text, so the same text read from any file or format is
 * the same document. */
static void doc_identity(const ekg_doc *doc, char *hash, char *iri, size_t cap)
{
    XXH128_hash_t h = XXH3_128bits(doc->text, doc->len);
    snprintf(hash, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
    snprintf(iri, cap, EKG_ID "doc/%s", hash);
}

ekg_status ekg_extract_doc(const ekg_kb *kb, const ekg_doc *doc, const ekg_sink *sink,
                           ekg_doc_graph *out)
{
    ekg_status st = EKG_OK;
    ctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.kb = kb;
    c.doc = doc;
    (void)sink;
    quote_cache qc = {0};
    c.qc = &qc;
    c.g = ekg_triples_new();
    if (!c.g) return EKG_ERR_NOMEM;
    char iri[128];
    doc_identity(doc, c.hash, iri, sizeof iri);
    c.doc_iri = intern(&c, iri);
    out->graph = c.g;
    out->doc_iri = c.doc_iri;
    out->content_hash = intern(&c, c.hash);
    out->path = intern(&c, doc->path);
    out->name = intern(&c, doc->name);
    out->lang = doc->lang ? intern(&c, doc->lang) : NULL;
    out->title = doc->title ? intern(&c, doc->title) : NULL;
    out->bytes = doc->bytes;
    if (!c.doc_iri || !out->path || !out->name) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    doc_triples(&c, out);
    EKG_TRY(st, ekg_text_split(doc->text, doc->len, doc->lang, &c.t));
    EKG_TRY(st, ekg_recognise(kb, c.t, doc->lang, &c.m, &c.nm));
    EKG_TRY(st, ekg_dates_find(c.t, c.m, c.nm, doc->date.y ? &doc->date : NULL, &c.ds, &c.nds));
    EKG_TRY(st, dates_in_triggers(&c));
    c.last_meeting = c.last_led_meeting = -1;
    c.issuer = find_issuer(&c);
    c.home = c.issuer ? NULL : find_home(&c);
    for (size_t q = 0; q < c.nm; q++) {
        const ekg_kb_entity *en = c.m[q].ent;
        if (!en || !en->actor || c.ndactors >= sizeof c.dactors / sizeof c.dactors[0] || !name_ok(kb, c.t, &c.m[q]))
            continue;
        if (!doc_mentions(&c, en->actor->iri)) c.dactors[c.ndactors++] = en->actor->iri;
    }
    EKG_TRY(st, title_statements(&c));
    /* "we" is a joint statement's parties when there are several, or the
     * one organisation or grouping a title names ("G7 Statement on …") */
    if (c.njoint == 1) {
        const ekg_kb_entity *en = ekg_kb_entity_by_iri(kb, c.joint[0]);
        if (!en || en->kind == EKG_KIND_STATE || c.title_joint) c.njoint = 0;
    } else if (c.njoint < 2)
        c.njoint = 0;
    out->sentences = c.t->nsents;
    size_t k = 0;
    sent_m *s = malloc(sizeof *s);
    if (!s) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (uint32_t si = 0; si < c.t->nsents; si++) {
        size_t k0 = k;
        while (k < c.nm && c.m[k].sent == si) k++;
        if (k == k0) continue;
        int any = 0;
        for (size_t q = k0; q < k; q++)
            if (c.m[q].lex && c.m[q].lex->cue == EKG_CUE_EVENT) any = 1;
        int actors = 0;
        for (size_t q = k0; q < k; q++)
            if ((c.m[q].ent && c.m[q].ent->actor) || extra_cue(&c.m[q], CUE_MANAPH)) actors = 1;
        if (!any && !actors) {
            for (size_t q = k0; q < k; q++)
                if (c.m[q].ent && c.m[q].ent->kind == EKG_KIND_AGREEMENT) c.last_agreement = c.m[q].ent;
            continue;
        }
        gather(&c, si, c.m + k0, k - k0, s);
        if (any) {
            uint32_t sent0 = c.t->sents[si].tok0;
            uint32_t stance_end = 0; /* last token of the previous stance trigger + 1 */
            for (size_t q = 0; q < s->nlex; q++) {
                const ekg_mention *tm = s->lex[q];
                if (tm->lex->cue != EKG_CUE_EVENT || !tm->lex->event) continue;
                if (blocked(&c, s, tm->tok0, tm->last, sent0)) {
                    if (tm->lex->family == EKG_FAM_MEETING) meeting(&c, si, s, tm, 1);
                    continue;
                }
                if (tm->lex->family == EKG_FAM_STANCE || tm->lex->family == EKG_FAM_ACT) {
                    /* "Paris Call": a word of an agreement's name is no stance taken */
                    int inname = 0;
                    for (size_t q2 = 0; q2 < s->nagr; q2++)
                        if (covered(s->agr[q2], tm->tok0)) inname = 1;
                    if (inname) continue;
                }
                if ((tm->lex->family == EKG_FAM_STANCE || tm->lex->family == EKG_FAM_ACT) && tm->tok0 >= sent0 + 2 &&
                    is_punct(c.t, tm->tok0 - 1, "-") && c.t->toks[tm->tok0].start == c.t->toks[tm->tok0 - 1].end) {
                    /* "Iranian-backed groups", "US-led": a modifier, not a stance taken here */
                    int glued = 0;
                    for (size_t q2 = 0; q2 < s->na; q2++)
                        if (s->a[q2].last + 2 == tm->tok0) glued = 1;
                    if (glued) continue;
                }
                if (tm->lex->family == EKG_FAM_STANCE && reiterated(&c, s, q)) continue;
                if (tm->lex->family == EKG_FAM_STANCE || tm->lex->family == EKG_FAM_ACT) {
                    /* "commitment to support", "déterminés à mettre en oeuvre":
                     * the complement of a stance word is that same stance */
                    int complement = stance_end && tm->tok0 >= stance_end && tm->tok0 <= stance_end + 1;
                    stance_end = tm->last + 1;
                    if (complement) continue;
                    /* … unless the complement opposes: "commitment to prevent Iran
                     * from" is a position against Iran */
                    int opposed = 0;
                    for (size_t q2 = q + 1; q2 < s->nlex; q2++) {
                        const ekg_mention *nx = s->lex[q2];
                        if (nx->lex->cue != EKG_CUE_EVENT || nx->tok0 <= tm->last) continue;
                        /* or acts: "voted for ratification" is the ratification */
                        if (nx->tok0 <= tm->last + 2 && nx->lex->event &&
                            (strcmp(nx->lex->event, "Criticism") == 0 || strcmp(nx->lex->event, "Rejection") == 0 ||
                             (nx->lex->family == EKG_FAM_ACT && tm->lex->family == EKG_FAM_STANCE)) &&
                            strcmp(tm->lex->event, nx->lex->event) != 0)
                            opposed = 1;
                        break;
                    }
                    if (opposed) {
                        stance_end = 0; /* the complement is processed on its own */
                        continue;
                    }
                }
                switch (tm->lex->family) {
                case EKG_FAM_MEETING: meeting(&c, si, s, tm, promised(&c, si, s, tm)); break;
                case EKG_FAM_STATEMENT: statement(&c, si, s, tm); break;
                case EKG_FAM_STANCE:
                case EKG_FAM_ACT: stance(&c, si, s, tm); break;
                default: break;
                }
            }
        }
        held_anaphor(&c, si, s);
        if (s->na && s->nagr) sponsored(&c, si, s);
        if (s->na && s->nagr)
            for (size_t q = 0; q < s->nlex; q++)
                if (extra_cue(s->lex[q], CUE_PRESENT) && !blocked(&c, s, s->lex[q]->tok0, s->lex[q]->last, c.t->sents[si].tok0))
                    stance_as(&c, si, s, s->lex[q], "Proposal", EKG_FAM_STANCE, 1);
        if (s->nagr) c.last_agreement = s->agr[s->nagr - 1]->ent;
        size_t a0 = 0; /* (not "In Jordanien traf Kerry …") */
        while (a0 < s->na && s->a[a0].locative) a0++;
        if (a0 < s->na) {
            /* the subject of this sentence, for pronouns in the next */
            c.last_subject = s->a[a0].iri;
            c.last_subject_sent = si;
            c.nlast_subjects = 0;
            c.last_subjects[c.nlast_subjects++] = s->a[a0].iri;
            for (size_t q = a0 + 1; q < s->na && c.nlast_subjects < 8; q++) {
                if (s->a[q].tok > s->a[q - 1].last + 3) break;
                int dup = 0;
                for (size_t r = 0; r < c.nlast_subjects; r++)
                    if (strcmp(c.last_subjects[r], s->a[q].iri) == 0) dup = 1;
                if (!dup) c.last_subjects[c.nlast_subjects++] = s->a[q].iri;
            }
        }
    }
    free(s);
    EKG_TRY(st, emit(&c));
    for (size_t i = 0; i < c.nev; i++)
        if (c.ev[i].klass) out->events++;
cleanup:
    if (st != EKG_OK) {
        ekg_triples_free(c.g);
        memset(out, 0, sizeof *out);
    }
    ekg_text_free(c.t);
    free(c.m);
    free(c.ds);
    free(c.ev);
    free(qc.flags);
    xarena_free(&c.arena);
    return st;
}

void ekg_doc_graph_clear(ekg_doc_graph *g)
{
    if (!g) return;
    ekg_triples_free(g->graph);
    ekg_doc_free(g->pending);
    memset(g, 0, sizeof *g);
}

void ekg_doc_graphs_free(ekg_doc_graph *docs, size_t n)
{
    if (!docs) return;
    for (size_t i = 0; i < n; i++) ekg_doc_graph_clear(&docs[i]);
    free(docs);
}

/* A document opts->skip declined: its identity and metadata in an empty
 * graph, and the document itself, kept for a later ekg_extract_doc. Takes
 * *doc (set to NULL). */
static ekg_status skipped_doc(ekg_doc **doc, const char *hash, const char *iri, ekg_doc_graph *out)
{
    const ekg_doc *d = *doc;
    memset(out, 0, sizeof *out);
    if (!(out->graph = ekg_triples_new())) return EKG_ERR_NOMEM;
    out->doc_iri = ekg_triples_intern(out->graph, iri);
    out->content_hash = ekg_triples_intern(out->graph, hash);
    out->path = ekg_triples_intern(out->graph, d->path);
    out->name = ekg_triples_intern(out->graph, d->name);
    out->lang = d->lang ? ekg_triples_intern(out->graph, d->lang) : NULL;
    out->title = d->title ? ekg_triples_intern(out->graph, d->title) : NULL;
    out->bytes = d->bytes;
    if (!out->doc_iri || !out->content_hash || !out->path || !out->name ||
        (d->lang && !out->lang) || (d->title && !out->title)) {
        ekg_doc_graph_clear(out);
        return EKG_ERR_NOMEM;
    }
    out->pending = *doc;
    *doc = NULL;
    return EKG_OK;
}

static ekg_status from_docs(const ekg_kb *kb, ekg_doc **dv, size_t nd, const ekg_extract_opts *opts,
                            const ekg_sink *sink, ekg_doc_graph **docs, size_t *ndocs)
{
    ekg_doc_graph *g = calloc(nd ? nd : 1, sizeof *g);
    if (!g) return EKG_ERR_NOMEM;
    ekg_status st = EKG_OK;
    for (size_t i = 0; i < nd; i++) {
        if (opts && opts->skip) {
            char hash[33], iri[128];
            doc_identity(dv[i], hash, iri, sizeof iri);
            if (opts->skip(opts->skip_ctx, iri)) {
                if ((st = skipped_doc(&dv[i], hash, iri, &g[i])) != EKG_OK) {
                    ekg_doc_graphs_free(g, i);
                    return st;
                }
                continue;
            }
        }
        st = ekg_extract_doc(kb, dv[i], sink, &g[i]);
        if (st != EKG_OK) {
            ekg_report(sink, EKG_LOG_ERROR, st, dv[i]->path, 0, "extraction failed: %s",
                       ekg_strerror(st));
            ekg_doc_graphs_free(g, i);
            return st;
        }
    }
    *docs = g;
    *ndocs = nd;
    return EKG_OK;
}

ekg_status ekg_extract_path(const ekg_kb *kb, const char *path, const ekg_extract_opts *opts,
                            const ekg_sink *sink, ekg_doc_graph **docs, size_t *ndocs)
{
    ekg_doc **dv = NULL;
    size_t nd = 0;
    *docs = NULL;
    *ndocs = 0;
    ekg_read_opts ro = {opts ? opts->lang : NULL, opts ? opts->format : NULL};
    ekg_status st = ekg_read_file(kb, path, &ro, sink, &dv, &nd);
    if (st != EKG_OK) return st;
    st = from_docs(kb, dv, nd, opts, sink, docs, ndocs);
    ekg_docs_free(dv, nd);
    return st;
}

ekg_status ekg_extract_buffer(const ekg_kb *kb, const char *name, const char *bytes, size_t len,
                              const ekg_extract_opts *opts, const ekg_sink *sink,
                              ekg_doc_graph **docs, size_t *ndocs)
{
    ekg_doc **dv = NULL;
    size_t nd = 0;
    *docs = NULL;
    *ndocs = 0;
    ekg_read_opts ro = {opts ? opts->lang : NULL, opts ? opts->format : NULL};
    ekg_status st = ekg_read_buffer(kb, name, bytes, len, &ro, sink, &dv, &nd);
    if (st != EKG_OK) return st;
    st = from_docs(kb, dv, nd, opts, sink, docs, ndocs);
    ekg_docs_free(dv, nd);
    return st;
}
