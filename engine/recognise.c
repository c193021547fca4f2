/* recognise.c — walk the kb automaton over a text's tokens. */
#include "ekg/recognise.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAXALT 6

typedef struct {
    const ekg_kb *kb;
    const ekg_text *t;
    const uint32_t *alts; /* MAXALT per token */
    const uint8_t *nalt;
    char lang[6];
    int shouting;
    uint32_t end;      /* sentence end token (exclusive) */
    uint32_t best_end; /* exclusive */
    uint32_t best_node;
    uint32_t also[3];  /* other nodes reaching best_end: an exact form and a prefix
                        * pattern ("поддерживаем", "поддерж*") of different entries */
    uint32_t nalso;
    uint32_t lex_end; /* the longest event word on the way, for names that contain one */
    uint32_t lex_node;
} walk_ctx;

static int out_ok(const walk_ctx *c, const ekg_kb_out *o, uint32_t tok0, uint32_t end)
{
    if (o->how == EKG_OUT_LEX) {
        if (c->lang[0] && o->lang[0] && strcmp(c->lang, o->lang) != 0) return 0;
        return 1;
    }
    if (o->upper) {
        if (c->shouting) return 0;
        for (uint32_t i = tok0; i < end; i++)
            if ((c->t->toks[i].flags & EKG_TOK_WORD) && !(c->t->toks[i].flags & EKG_TOK_UPPER))
                return 0;
    }
    return 1;
}

static int node_ok(const walk_ctx *c, uint32_t node, uint32_t tok0, uint32_t end)
{
    size_t n;
    const ekg_kb_out *o = ekg_kb_outputs(c->kb, node, &n);
    for (size_t i = 0; i < n; i++)
        if (out_ok(c, &o[i], tok0, end)) return 1;
    return 0;
}

static void walk(walk_ctx *c, uint32_t node, uint32_t tok0, uint32_t pos)
{
    if (pos >= c->end) return;
    const uint32_t *ids = c->alts + (size_t)pos * MAXALT;
    for (uint8_t k = 0; k < c->nalt[pos]; k++) {
        uint32_t ch = ekg_kb_step(c->kb, node, ids[k]);
        if (!ch) continue;
        if (pos + 1 > c->best_end && node_ok(c, ch, tok0, pos + 1)) {
            c->best_end = pos + 1;
            c->best_node = ch;
            c->nalso = 0;
        } else if (pos + 1 == c->best_end && ch != c->best_node && c->nalso < 3 && node_ok(c, ch, tok0, pos + 1)) {
            int have = 0;
            for (uint32_t q = 0; q < c->nalso; q++)
                if (c->also[q] == ch) have = 1;
            if (!have) c->also[c->nalso++] = ch;
        }
        if (pos + 1 > c->lex_end) {
            size_t no;
            const ekg_kb_out *o = ekg_kb_outputs(c->kb, ch, &no);
            for (size_t q = 0; q < no; q++)
                if (o[q].how == EKG_OUT_LEX && o[q].lex->cue == EKG_CUE_EVENT && out_ok(c, &o[q], tok0, pos + 1)) {
                    c->lex_end = pos + 1;
                    c->lex_node = ch;
                    break;
                }
        }
        walk(c, ch, tok0, pos + 1);
    }
}

static int push(ekg_mention **v, size_t *n, size_t *cap, const ekg_mention *m)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        ekg_mention *p = realloc(*v, nc * sizeof *p);
        if (!p) return -1;
        *v = p;
        *cap = nc;
    }
    (*v)[(*n)++] = *m;
    return 0;
}

ekg_status ekg_recognise(const ekg_kb *kb, const ekg_text *t, const char *lang,
                         ekg_mention **out, size_t *nout)
{
    ekg_status st = EKG_OK;
    uint32_t *alts = NULL;
    uint8_t *nalt = NULL;
    uint32_t *seen = NULL;
    ekg_mention *v = NULL;
    size_t n = 0, cap = 0;
    struct sb_stemmer *sb = NULL;
    *out = NULL;
    *nout = 0;
    walk_ctx c = {.kb = kb, .t = t};
    if (lang) {
        size_t l = strcspn(lang, "-");
        for (size_t i = 0; i < l && i < 5; i++) c.lang[i] = (char)(lang[i] | 0x20);
    }
    const char *alg = ekg_kb_stemmer_for(c.lang);
    if (alg) sb = sb_stemmer_new(alg, NULL);
    alts = malloc((t->ntoks + 1) * MAXALT * sizeof *alts);
    nalt = calloc(t->ntoks + 1, 1);
    if (!alts || !nalt) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    /* Token ids per distinct (folded form, stem or not): a text repeats its
     * words, and the stem of a name costs far more than the lookup. `seen`
     * maps a form to the first token that had it (index + 1). */
    size_t scap = 64;
    while (scap < t->ntoks * 2) scap *= 2;
    seen = calloc(scap, sizeof *seen);
    if (!seen) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < t->ntoks; i++) {
        const char *f = ekg_text_fold_at(t, i);
        size_t fl = t->toks[i].flen;
        uint32_t *ids = alts + i * MAXALT;
        int stem = sb && (t->toks[i].flags & EKG_TOK_WORD) && (t->toks[i].flags & EKG_TOK_CAP) &&
                   fl < 200;
        size_t h = (size_t)(XXH3_64bits(f, fl) ^ (uint64_t)stem) & (scap - 1);
        for (; seen[h]; h = (h + 1) & (scap - 1)) {
            const ekg_token *o = &t->toks[seen[h] - 1];
            int ostem = sb && (o->flags & EKG_TOK_WORD) && (o->flags & EKG_TOK_CAP) && o->flen < 200;
            if (o->flen == fl && ostem == stem && memcmp(t->pool + o->fold, f, fl) == 0) break;
        }
        if (seen[h]) {
            size_t j = seen[h] - 1;
            memcpy(ids, alts + j * MAXALT, nalt[j] * sizeof *ids);
            nalt[i] = nalt[j];
            continue;
        }
        seen[h] = (uint32_t)i + 1;
        size_t k = ekg_kb_token_ids(kb, f, fl, ids, MAXALT - 1);
        /* Stems only for capitalised words the exact forms missed: names
         * inflect ("Russlands", "России"); common words need no stem. */
        if (stem && k == 0) {
            const sb_symbol *s = sb_stemmer_stem(sb, (const sb_symbol *)f, (int)fl);
            char key[300];
            size_t ll = strlen(c.lang), sl = (size_t)sb_stemmer_length(sb);
            if (s && ll + 1 + sl < sizeof key) {
                memcpy(key, c.lang, ll);
                key[ll] = 1;
                memcpy(key + ll + 1, s, sl);
                uint32_t id = ekg_kb_stem_id(kb, key, ll + 1 + sl);
                if (id != EKG_KB_NO_ID) ids[k++] = id;
            }
        }
        nalt[i] = (uint8_t)k;
    }
    c.alts = alts;
    c.nalt = nalt;
    for (size_t s = 0; s < t->nsents; s++) {
        const ekg_sentence *se = &t->sents[s];
        uint32_t words = 0, upper = 0;
        for (uint32_t i = se->tok0; i < se->tok0 + se->ntok; i++)
            if ((t->toks[i].flags & EKG_TOK_WORD) && t->toks[i].end - t->toks[i].start > 1) {
                words++;
                if (t->toks[i].flags & EKG_TOK_UPPER) upper++;
            }
        c.shouting = words >= 4 && upper * 2 > words;
        c.end = se->tok0 + se->ntok;
        size_t sent_first = n;
        for (uint32_t i = se->tok0; i < c.end;) {
            c.best_end = 0;
            c.best_node = 0;
            c.nalso = 0;
            c.lex_end = 0;
            c.lex_node = 0;
            walk(&c, 0, i, i);
            /* An event word inside a longer name ("conclusions du Sommet de
             * Paris") still says the event happened. */
            uint32_t outer_end = c.best_end, outer_node = c.best_node, outer_nalso = c.nalso;
            uint32_t outer_also[3];
            memcpy(outer_also, c.also, sizeof outer_also);
            for (uint32_t j = i; outer_end && j < outer_end; j++) {
                if (j > i) {
                    c.best_end = c.lex_end = 0;
                    c.best_node = c.lex_node = 0;
                    uint32_t save = c.end;
                    c.end = outer_end;
                    walk(&c, 0, j, j);
                    c.end = save;
                }
                if (!c.lex_end || (j == i && c.lex_end >= outer_end)) continue;
                size_t no;
                const ekg_kb_out *o = ekg_kb_outputs(kb, c.lex_node, &no);
                for (size_t k = 0; k < no; k++) {
                    if (o[k].how != EKG_OUT_LEX || o[k].lex->cue != EKG_CUE_EVENT || !out_ok(&c, &o[k], j, c.lex_end))
                        continue;
                    ekg_mention m = {.sent = (uint32_t)s, .tok0 = j, .ntok = c.lex_end - j,
                                     .last = c.lex_end - 1, .lex = o[k].lex, .how = EKG_OUT_LEX};
                    if (push(&v, &n, &cap, &m)) goto nomem;
                }
            }
            c.best_end = outer_end;
            c.best_node = outer_node;
            c.nalso = outer_nalso;
            memcpy(c.also, outer_also, sizeof outer_also);
            if (!c.best_end) {
                i++;
                continue;
            }
            for (uint32_t nd = 0; nd <= c.nalso; nd++) {
                size_t no;
                const ekg_kb_out *o = ekg_kb_outputs(kb, nd ? c.also[nd - 1] : c.best_node, &no);
                for (size_t k = 0; k < no; k++) {
                    if (!out_ok(&c, &o[k], i, c.best_end)) continue;
                    int dup = 0; /* the same entity by several labels of one form */
                    for (size_t q = n; q-- > sent_first && v[q].tok0 == i;)
                        if (v[q].ent == o[k].ent && v[q].lex == o[k].lex) dup = 1;
                    if (dup) continue;
                    ekg_mention m = {.sent = (uint32_t)s, .tok0 = i, .ntok = c.best_end - i,
                                     .last = c.best_end - 1, .ent = o[k].ent, .lex = o[k].lex,
                                     .how = o[k].how};
                    if (push(&v, &n, &cap, &m)) goto nomem;
                }
            }
            i = c.best_end;
        }
        /* Gapped multi-word forms (separable verbs). */
        for (uint32_t i = se->tok0; i < c.end; i++) {
            for (uint8_t a = 0; a < nalt[i]; a++) {
                size_t ng;
                if (!ekg_kb_starts_gap(kb, alts[(size_t)i * MAXALT + a])) continue;
                const ekg_kb_gapform *g = ekg_kb_gapforms(kb, alts[(size_t)i * MAXALT + a], &ng);
                for (size_t q = 0; q < ng; q++) {
                    if (c.lang[0] && g[q].lang[0] && strcmp(c.lang, g[q].lang) != 0) continue;
                    uint32_t want = 1, j = i + 1, last = i;
                    for (; j < c.end && want < g[q].n; j++) {
                        for (uint8_t b = 0; b < nalt[j]; b++)
                            if (alts[(size_t)j * MAXALT + b] == g[q].ids[want]) {
                                want++;
                                last = j;
                                break;
                            }
                    }
                    if (want < g[q].n || last == i + g[q].n - 1) continue; /* absent, or contiguous */
                    int dup = 0;
                    for (size_t k = sent_first; k < n; k++)
                        if (v[k].lex == g[q].lex && v[k].tok0 == i) dup = 1;
                    if (dup) continue;
                    ekg_mention m = {.sent = (uint32_t)s, .tok0 = i, .ntok = 1, .last = last,
                                     .lex = g[q].lex, .how = EKG_OUT_LEX};
                    if (push(&v, &n, &cap, &m)) goto nomem;
                }
            }
        }
        /* gapped forms were appended: keep the sentence's mentions in text order */
        for (size_t a = sent_first + 1; a < n; a++)
            for (size_t b = a; b > sent_first && v[b].tok0 < v[b - 1].tok0; b--) {
                ekg_mention x = v[b];
                v[b] = v[b - 1];
                v[b - 1] = x;
            }
    }
    *out = v;
    *nout = n;
    v = NULL;
    goto cleanup;
nomem:
    st = EKG_ERR_NOMEM;
cleanup:
    free(v);
    free(alts);
    free(nalt);
    free(seen);
    if (sb) sb_stemmer_delete(sb);
    return st;
}
