/* dates.c — find and resolve date expressions (table-free: the names are
 * lexicon mentions, the shapes are the few numeric patterns of the six
 * languages). */
#include "ekg/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long ekg_date_days(int y, int m, int d)
{
    /* days from civil (Howard Hinnant) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ekg_date_from_days(long z, ekg_date *o)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    o->y = (int)(y + (m <= 2));
    o->m = (int)m;
    o->d = (int)d;
}

static int mdays(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return n[m - 1];
}

static bool valid(int y, int m, int d)
{
    if (y < 1800 || y > 2200) return false;
    if (m == 0) return d == 0;
    if (m < 1 || m > 12) return false;
    return d == 0 || (d >= 1 && d <= mdays(y, m));
}

bool ekg_date_parse_iso(const char *s, ekg_date *o)
{
    int y = 0, m = 0, d = 0, n = 0;
    while (*s == ' ' || *s == '\'' || *s == '"') s++;
    for (int i = 0; i < 4; i++, s++) {
        if (*s < '0' || *s > '9') return false;
        y = y * 10 + (*s - '0');
    }
    if (*s == '-' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9') {
        m = (s[1] - '0') * 10 + (s[2] - '0');
        s += 3;
        n = 1;
        if (*s == '-' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9') {
            d = (s[1] - '0') * 10 + (s[2] - '0');
            s += 3;
        }
    }
    (void)n;
    if (*s >= '0' && *s <= '9') return false;
    if (!valid(y, m, d)) return false;
    o->y = y, o->m = m, o->d = d;
    return true;
}

const char *ekg_date_format(const ekg_date *d, char *buf, size_t cap)
{
    if (!d || d->y == 0) return NULL;
    if (d->m == 0) {
        snprintf(buf, cap, "%04d", d->y);
        return "http://www.w3.org/2001/XMLSchema#gYear";
    }
    if (d->d == 0) {
        snprintf(buf, cap, "%04d-%02d", d->y, d->m);
        return "http://www.w3.org/2001/XMLSchema#gYearMonth";
    }
    snprintf(buf, cap, "%04d-%02d-%02d", d->y, d->m, d->d);
    return "http://www.w3.org/2001/XMLSchema#date";
}

/* ---- token helpers ---- */

static const char *src(const ekg_text *t, uint32_t i) { return t->src + t->toks[i].start; }
static uint32_t tlen(const ekg_text *t, uint32_t i) { return t->toks[i].end - t->toks[i].start; }
static int adjacent(const ekg_text *t, uint32_t i) /* token i+1 touches token i */
{
    return i + 1 < t->ntoks && t->toks[i + 1].start == t->toks[i].end;
}
static int is_punct(const ekg_text *t, uint32_t i, char c)
{
    return i < t->ntoks && (t->toks[i].flags & EKG_TOK_PUNCT) && tlen(t, i) == 1 && src(t, i)[0] == c;
}

/* All digits → value, else -1. Digit count in *nd. */
static long num(const ekg_text *t, uint32_t i, int *nd)
{
    if (i >= t->ntoks) return -1;
    const char *s = src(t, i);
    uint32_t n = tlen(t, i);
    long v = 0;
    if (n == 0 || n > 9) return -1;
    for (uint32_t k = 0; k < n; k++) {
        if (s[k] < '0' || s[k] > '9') return -1;
        v = v * 10 + (s[k] - '0');
    }
    if (nd) *nd = (int)n;
    return v;
}

/* A day number: 1-31 with an optional ordinal suffix of letters ("1st", "1er", "3-го" is
 * split by ICU). */
static long day_num(const ekg_text *t, uint32_t i)
{
    if (i >= t->ntoks) return -1;
    const char *s = src(t, i);
    uint32_t n = tlen(t, i), k = 0;
    long v = 0;
    while (k < n && k < 2 && s[k] >= '0' && s[k] <= '9') v = v * 10 + (s[k++] - '0');
    if (k == 0 || v < 1 || v > 31) return -1;
    if (k < n) {
        if (n - k > 3) return -1;
        for (uint32_t q = k; q < n; q++)
            if (!((s[q] >= 'a' && s[q] <= 'z') || s[q] == 'o')) return -1;
    }
    return v;
}

static int year_num(const ekg_text *t, uint32_t i)
{
    int nd = 0;
    long v = num(t, i, &nd);
    return nd == 4 && v >= 1800 && v <= 2200 ? (int)v : -1;
}

/* A short lower-case linking word between parts of a date ("de", "of", "del"). */
static int linker(const ekg_text *t, uint32_t i)
{
    return i < t->ntoks && (t->toks[i].flags & EKG_TOK_WORD) && !(t->toks[i].flags & EKG_TOK_CAP) &&
           t->toks[i].flen <= 3;
}

/* Parse "D.M.YYYY" / "DD.MM.YYYY" inside one token. */
static bool dotted(const ekg_text *t, uint32_t i, ekg_date *o)
{
    const char *s = src(t, i);
    uint32_t n = tlen(t, i);
    int p[3] = {0, 0, 0}, k = 0, digits = 0;
    for (uint32_t q = 0; q < n; q++) {
        if (s[q] >= '0' && s[q] <= '9') {
            if (++digits > 4) return false; /* no part has more than 4 digits; bounds p[k] */
            p[k] = p[k] * 10 + (s[q] - '0');
        } else if (s[q] == '.' && digits && k < 2) {
            k++;
            digits = 0;
        } else
            return false;
    }
    if (k != 2 || digits != 4) return false;
    if (!valid(p[2], p[1], p[0]) || p[0] == 0) return false;
    o->y = p[2], o->m = p[1], o->d = p[0];
    return true;
}

typedef struct {
    const ekg_text *t;
    const ekg_mention *m;
    size_t nm;
    const int8_t *month;   /* per token: month number of a Month mention starting there */
    const uint8_t *mlast;  /* its last token offset */
    uint32_t sent0;        /* first token of the sentence being scanned */
} scan;

/* Try an absolute date starting at token i. On success sets *o, *last, and
 * whether the year was given. */
static bool absolute_at(const scan *sc, uint32_t i, uint32_t end, ekg_date *o, uint32_t *last,
                        int *has_year, uint32_t *first)
{
    const ekg_text *t = sc->t;
    *first = i;
    int nd = 0;
    long v = num(t, i, &nd);
    /* ISO YYYY-MM(-DD) */
    if (nd == 4 && adjacent(t, i) && is_punct(t, i + 1, '-') && adjacent(t, i + 1)) {
        int nd2 = 0;
        long mo = num(t, i + 2, &nd2);
        if (nd2 == 2 && mo >= 1 && mo <= 12) {
            o->y = (int)v, o->m = (int)mo, o->d = 0;
            *last = i + 2;
            if (adjacent(t, i + 2) && is_punct(t, i + 3, '-') && adjacent(t, i + 3)) {
                int nd3 = 0;
                long dd = num(t, i + 4, &nd3);
                if (nd3 == 2 && valid(o->y, o->m, (int)dd)) {
                    o->d = (int)dd;
                    *last = i + 4;
                }
            }
            if (valid(o->y, o->m, o->d)) {
                *has_year = 1;
                return true;
            }
        }
    }
    /* D/M/YYYY (or M/D/YYYY when the first cannot be a month... the other way round) */
    if ((nd == 1 || nd == 2) && adjacent(t, i) && is_punct(t, i + 1, '/') && adjacent(t, i + 1)) {
        int nd2 = 0, nd3 = 0;
        long b = num(t, i + 2, &nd2);
        if ((nd2 == 1 || nd2 == 2) && adjacent(t, i + 2) && is_punct(t, i + 3, '/') &&
            adjacent(t, i + 3)) {
            long y = num(t, i + 4, &nd3);
            if (nd3 == 4) {
                int d = (int)v, m = (int)b;
                if (m > 12 && d <= 12) d = (int)b, m = (int)v;
                if (valid((int)y, m, d) && d > 0) {
                    o->y = (int)y, o->m = m, o->d = d;
                    *last = i + 4;
                    *has_year = 1;
                    return true;
                }
            }
        }
    }
    if (t->toks[i].flags & EKG_TOK_NUMBER && dotted(t, i, o)) {
        *last = i;
        *has_year = 1;
        return true;
    }
    /* Day before month: "15. November", "18 November 2019", "3 марта", "15 de noviembre" */
    long d = day_num(t, i);
    if (d > 0) {
        uint32_t j = i + 1;
        if (is_punct(t, j, '.') && adjacent(t, i)) j++;
        if (j < end && sc->month[j] <= 0 && linker(t, j) && j + 1 < end && sc->month[j + 1] > 0) j++;
        if (j < end && sc->month[j] > 0) {
            o->m = sc->month[j];
            o->d = (int)d;
            o->y = 0;
            *last = j + sc->mlast[j];
            uint32_t k = *last + 1;
            if (k < end && linker(t, k) && year_num(t, k + 1) > 0) k++;
            if (is_punct(t, k, ',')) k++;
            int y = k < end ? year_num(t, k) : -1;
            if (y > 0) {
                o->y = y;
                *last = k;
                *has_year = 1;
            } else
                *has_year = 0;
            return true;
        }
        return false;
    }
    /* Month first: "November 15, 2019", "June 14", "November 2019", "im Oktober 2023" */
    if (sc->month[i] > 0) {
        uint32_t j = i + 1 + sc->mlast[i];
        o->m = sc->month[i];
        o->d = 0;
        o->y = 0;
        long dd = j < end ? day_num(t, j) : -1;
        if (dd > 0 && !(j + 1 < end && is_punct(t, j + 1, '.') && 0)) {
            o->d = (int)dd;
            *last = j;
            uint32_t k = j + 1;
            if (is_punct(t, k, ',')) k++;
            int y = k < end ? year_num(t, k) : -1;
            if (y > 0) {
                o->y = y;
                *last = k;
                *has_year = 1;
            } else
                *has_year = 0;
            return true;
        }
        uint32_t k = j;
        if (k < end && linker(t, k) && year_num(t, k + 1) > 0) k++;
        int y = k < end ? year_num(t, k) : -1;
        if (y > 0) {
            o->y = y;
            *last = k;
            *has_year = 1;
            return true;
        }
        /* a month alone after a preposition ("in May", "im Mai", "en mai",
         * "в мае"): that month of the document's year (or the year before) */
        if (i > 0 && i > sc->sent0 && linker(t, i - 1) && !(k < end && num(t, k, NULL) >= 0)) {
            *last = j - 1;
            *has_year = 0;
            return true;
        }
    }
    return false;
}

static void complete_year(ekg_date *o, const ekg_date *doc)
{
    o->y = doc->y;
    /* Documents report what happened: a day and month later in the year than
     * the document (by more than a week) is last year's. */
    if (doc->m && doc->d) {
        if (ekg_date_days(o->y, o->m, o->d ? o->d : 1) > ekg_date_days(doc->y, doc->m, doc->d) + 7) o->y--;
    } else if (doc->m && o->m > doc->m + 1)
        o->y--;
}

static int push(ekg_date_span **v, size_t *n, size_t *cap, const ekg_date_span *s)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        ekg_date_span *p = realloc(*v, nc * sizeof *p);
        if (!p) return -1;
        *v = p;
        *cap = nc;
    }
    (*v)[(*n)++] = *s;
    return 0;
}

bool ekg_date_relative(const ekg_kb_lex *x, const ekg_date *doc, ekg_date *o)
{
    if (!x || !doc || !doc->y || !doc->m || !doc->d) return false;
    long base = ekg_date_days(doc->y, doc->m, doc->d);
    o->y = o->m = o->d = 0;
    if (x->cue == EKG_CUE_WEEKDAY && x->weekday >= 1 && x->weekday <= 7) {
        /* 1970-01-01 was a Thursday (4) */
        long wd = ((base % 7) + 7 + 3) % 7 + 1;
        long back = (wd - x->weekday + 7) % 7;
        ekg_date_from_days(base - back, o);
    } else if (x->cue != EKG_CUE_RELDATE) {
        return false;
    } else if (x->offsets & EKG_HAS_DAY) {
        ekg_date_from_days(base + x->day_offset, o);
    } else if (x->offsets & EKG_HAS_WEEK) {
        /* "last week" is a calendar week (Monday to Sunday; this week only
         * up to the document's day): its month when the whole of it lies in
         * one month, else no date — a month it may not be in is a guess.
         * "Next week" keeps the month a week on, after the document's: what
         * it dates is planned, and is dropped as such. */
        long day = base + 7L * x->week_offset;
        if (x->week_offset > 0) {
            ekg_date_from_days(day, o);
            o->d = 0;
            return true;
        }
        long wd = ((day % 7) + 7 + 3) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */
        long first = day - wd, last = first + 6;
        if (last > base) last = base;
        ekg_date a, b;
        ekg_date_from_days(first, &a);
        ekg_date_from_days(last, &b);
        if (a.y != b.y || a.m != b.m) return false;
        *o = a;
        o->d = 0;
    } else if (x->offsets & EKG_HAS_MONTH) {
        int mm = doc->y * 12 + (doc->m - 1) + x->month_offset;
        o->y = mm / 12, o->m = mm % 12 + 1, o->d = 0;
    } else
        return false;
    return true;
}

ekg_status ekg_dates_find(const ekg_text *t, const ekg_mention *m, size_t nm,
                          const ekg_date *doc, ekg_date_span **out, size_t *nout)
{
    ekg_status st = EKG_OK;
    int8_t *month = calloc(t->ntoks + 2, 1);
    uint8_t *mlast = calloc(t->ntoks + 2, 1);
    ekg_date_span *v = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *nout = 0;
    if (!month || !mlast) {
        st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < nm; k++)
        if (m[k].lex && m[k].lex->cue == EKG_CUE_MONTH && m[k].lex->month >= 1 &&
            m[k].lex->month <= 12) {
            month[m[k].tok0] = (int8_t)m[k].lex->month;
            mlast[m[k].tok0] = (uint8_t)(m[k].last - m[k].tok0);
        }
    scan sc = {t, m, nm, month, mlast, 0};
    int doc_full = doc && doc->y && doc->m && doc->d;
    for (size_t s = 0; s < t->nsents; s++) {
        uint32_t end = t->sents[s].tok0 + t->sents[s].ntok;
        sc.sent0 = t->sents[s].tok0;
        for (uint32_t i = t->sents[s].tok0; i < end; i++) {
            /* every form below starts with a digit or a month name; most
             * tokens are neither */
            unsigned char c0 = (unsigned char)t->src[t->toks[i].start];
            if ((c0 < '0' || c0 > '9') && month[i] <= 0) continue;
            ekg_date o = {0, 0, 0};
            uint32_t last = i, first = i;
            int has_year = 0;
            if (absolute_at(&sc, i, end, &o, &last, &has_year, &first)) {
                if (!has_year) {
                    if (!doc || !doc->y) {
                        i = last;
                        continue;
                    }
                    complete_year(&o, doc);
                }
                if (valid(o.y, o.m, o.d)) {
                    ekg_date_span sp = {(uint32_t)s, first, last, o, !has_year, 0};
                    if (push(&v, &n, &cap, &sp)) goto nomem;
                }
                i = last;
                continue;
            }
            int y = year_num(t, i);
            if (y > 0 && !(i > 0 && adjacent(t, i - 1) && (t->toks[i - 1].flags & EKG_TOK_PUNCT) &&
                           !is_punct(t, i - 1, '(')) &&
                !(adjacent(t, i) && i + 1 < end && !is_punct(t, i + 1, '.') &&
                  !is_punct(t, i + 1, ',') && !is_punct(t, i + 1, ')')) &&
                (!doc || !doc->y || y <= doc->y)) {
                ekg_date_span sp = {(uint32_t)s, i, i, {y, 0, 0}, 0, 1};
                if (push(&v, &n, &cap, &sp)) goto nomem;
            }
        }
    }
    /* relative expressions and weekdays */
    for (size_t k = 0; k < nm; k++) {
        const ekg_kb_lex *x = m[k].lex;
        if (!x || (x->cue != EKG_CUE_RELDATE && x->cue != EKG_CUE_WEEKDAY)) continue;
        if (!doc_full) continue;
        ekg_date o = {0, 0, 0};
        if (!ekg_date_relative(x, doc, &o)) continue;
        ekg_date_span sp = {m[k].sent, m[k].tok0, m[k].last, o, 1, 0};
        if (push(&v, &n, &cap, &sp)) goto nomem;
    }
    *out = v;
    *nout = n;
    v = NULL;
    goto cleanup;
nomem:
    st = EKG_ERR_NOMEM;
cleanup:
    free(v);
    free(month);
    free(mlast);
    return st;
}

bool ekg_dates_in_line(const ekg_text *t, const ekg_mention *m, size_t nm, ekg_date *out)
{
    ekg_date_span *v = NULL;
    size_t n = 0;
    bool ok = false;
    if (ekg_dates_find(t, m, nm, NULL, &v, &n) != EKG_OK) return false;
    ekg_date found = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        if (!v[i].relative && !v[i].year_only) {
            found = v[i].date;
            ok = true;
            break;
        }
    /* A dateline ("Berlin, 2. November 2023", "Pressemitteilung vom 4. März
     * 2020", "date 2021-06 Russlands Außenministerium: …"), not a sentence
     * that mentions a date ("Deutschland und Polen führten am 12. Oktober
     * 2023 Konsultationen in Berlin."): a line that ends like a sentence and
     * has more than five words beside the date's own is no publication date. */
    if (ok && t->ntoks) {
        size_t words = 0;
        for (uint32_t i = 0; i < t->ntoks; i++) {
            if (!(t->toks[i].flags & EKG_TOK_WORD)) continue;
            int in = 0;
            for (size_t k = 0; k < n && !in; k++)
                if (i >= v[k].tok0 && i <= v[k].last) in = 1;
            if (!in) words++;
        }
        const ekg_token *lt = &t->toks[t->ntoks - 1];
        int sentence = (lt->flags & EKG_TOK_PUNCT) && lt->end - lt->start == 1 &&
                       strchr(".!?", t->src[lt->start]) != NULL;
        if (words > 5 && sentence) ok = false;
        else *out = found;
    }
    /* A glued time "201916:52": the token reads as a long number. */
    if (!ok) {
        for (size_t i = 0; i < t->ntoks && !ok; i++) {
            int8_t mo = 0;
            for (size_t k = 0; k < nm; k++)
                if (m[k].lex && m[k].lex->cue == EKG_CUE_MONTH && m[k].tok0 == i) mo = (int8_t)m[k].lex->month;
            if (!mo || i == 0 || i + 1 >= t->ntoks) continue;
            long d = day_num(t, i - 1);
            const char *s = src(t, i + 1);
            uint32_t l = tlen(t, i + 1);
            if (d > 0 && l >= 5 && s[0] >= '1' && s[0] <= '2') {
                int y = 0, okd = 1;
                for (int q = 0; q < 4; q++) {
                    if (s[q] < '0' || s[q] > '9') okd = 0;
                    else y = y * 10 + (s[q] - '0');
                }
                if (okd && valid(y, mo, (int)d)) {
                    out->y = y, out->m = mo, out->d = (int)d;
                    ok = true;
                }
            }
        }
    }
    free(v);
    return ok;
}
