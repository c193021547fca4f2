/* query_parse.c — lexer and recursive-descent parser of the query language.
 *
 * One function per production of grammar/README.md, named after it
 * (parse_sentence, parse_term, parse_filter …), so the code reads beside the
 * EBNF. The lexer cuts a line into words, "quoted phrases", `,` and `>`/`>=`;
 * keywords are words compared case-insensitively, and a quoted phrase is never
 * a keyword. */
#include "query_ast.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lexer ------------------------------------------------------------ */

typedef enum { TK_END, TK_WORD, TK_STRING, TK_COMMA, TK_GT, TK_GE, TK_BAD } tk_kind;

typedef struct {
    tk_kind kind;
    char *text; /* WORD: as written; STRING: unescaped */
    int col;    /* 1-based */
} token;

typedef struct {
    const char *src;
    token *tk;
    size_t n, cap, pos;
    const ekg_sink *sink;
    ekg_qast *q;
} parser;

static const char *const KEYWORDS[] = {
    "who", "whom", "what", "exactly", "did", "when", "where", "forum", "source",
    "evidence", "confidence", "in", "since", "until", "between", "and", "at",
    "order", "by", "desc", "asc", "limit", "path", "to", "max", "via",
    "neighbors", "depth", "timeline", "describe", "sparql", NULL};

const char *const *ekg_qast_keywords(void) { return KEYWORDS; }

static const char *const QCOL_NAMES[EKG_QCOL_COUNT] = {
    "when", "where", "forum", "source", "evidence", "confidence"};

const char *ekg_qcol_name(ekg_qcol c)
{
    return (unsigned)c < EKG_QCOL_COUNT ? QCOL_NAMES[c] : NULL;
}

static int is_word_char(unsigned char c)
{
    return c > ' ' && c != '"' && c != ',' && c != '>' && c != 0x7f;
}

static ekg_status push(parser *p, tk_kind k, char *text, int col)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        token *t = realloc(p->tk, cap * sizeof *t);
        if (!t) {
            free(text);
            return EKG_ERR_NOMEM;
        }
        p->tk = t;
        p->cap = cap;
    }
    p->tk[p->n++] = (token){k, text, col};
    return EKG_OK;
}

static ekg_status report_at(parser *p, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static ekg_status report_at(parser *p, int col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->sink && p->sink->fn) {
        ekg_diag d = {EKG_LOG_ERROR, EKG_ERR_PARSE, "query", 1, col, msg};
        p->sink->fn(p->sink->ctx, &d);
    }
    return EKG_ERR_PARSE;
}

static ekg_status lex(parser *p)
{
    const char *s = p->src;
    size_t i = 0;
    ekg_status st;
    for (;;) {
        while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') i++;
        int col = (int)i + 1;
        if (!s[i]) return push(p, TK_END, NULL, col);
        if (s[i] == '-' && s[i + 1] == '-') return push(p, TK_END, NULL, col); /* comment */
        if (s[i] == ',') {
            if ((st = push(p, TK_COMMA, NULL, col))) return st;
            i++;
        } else if (s[i] == '>') {
            int ge = s[i + 1] == '=';
            if ((st = push(p, ge ? TK_GE : TK_GT, NULL, col))) return st;
            i += ge ? 2 : 1;
        } else if (s[i] == '"') {
            size_t len = strlen(s + i);
            char *buf = malloc(len + 1), *o = buf;
            if (!buf) return EKG_ERR_NOMEM;
            i++;
            while (s[i] && s[i] != '"') {
                if (s[i] == '\\' && s[i + 1]) {
                    i++;
                    *o++ = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
                    i++;
                } else
                    *o++ = s[i++];
            }
            *o = 0;
            if (!s[i]) {
                free(buf);
                return report_at(p, col, "expected a closing '\"', found end of query");
            }
            i++;
            if ((st = push(p, TK_STRING, buf, col))) return st;
        } else if (is_word_char((unsigned char)s[i])) {
            size_t b = i;
            while (is_word_char((unsigned char)s[i])) i++;
            char *w = strndup(s + b, i - b);
            if (!w) return EKG_ERR_NOMEM;
            if ((st = push(p, TK_WORD, w, col))) return st;
        } else {
            return report_at(p, col, "expected a word, found a control character");
        }
    }
}

/* ---- helpers ----------------------------------------------------------- */

static token *peek(parser *p) { return &p->tk[p->pos]; }
static token *peek2(parser *p)
{
    return &p->tk[p->pos + 1 < p->n ? p->pos + 1 : p->pos];
}
static token *next(parser *p)
{
    token *t = &p->tk[p->pos];
    if (t->kind != TK_END) p->pos++;
    return t;
}

static bool is_kw(const token *t, const char *kw)
{
    return t->kind == TK_WORD && strcasecmp(t->text, kw) == 0;
}

static bool is_keyword(const token *t)
{
    if (t->kind != TK_WORD) return false;
    for (const char *const *k = KEYWORDS; *k; k++)
        if (strcasecmp(t->text, *k) == 0) return true;
    return false;
}

/* How a token is named in "found …". */
static void describe_tok(const token *t, char *buf, size_t n)
{
    switch (t->kind) {
    case TK_END: snprintf(buf, n, "end of query"); break;
    case TK_WORD: snprintf(buf, n, "'%s'", t->text); break;
    case TK_STRING: snprintf(buf, n, "\"%s\"", t->text); break;
    case TK_COMMA: snprintf(buf, n, "','"); break;
    case TK_GT: snprintf(buf, n, "'>'"); break;
    case TK_GE: snprintf(buf, n, "'>='"); break;
    default: snprintf(buf, n, "something else"); break;
    }
}

static ekg_status expected(parser *p, const char *what)
{
    char f[256];
    token *t = peek(p);
    describe_tok(t, f, sizeof f);
    return report_at(p, t->col, "expected %s, found %s", what, f);
}

static ekg_status expect_kw(parser *p, const char *kw)
{
    if (!is_kw(peek(p), kw)) {
        char what[64];
        snprintf(what, sizeof what, "'%s'", kw);
        return expected(p, what);
    }
    next(p);
    return EKG_OK;
}

/* DATE = YYYY | YYYY-MM | YYYY-MM-DD, with a month 01–12 and a day 01–31. */
static bool is_date(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i])) return false;
    }
    if (n >= 7) {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12) return false;
    }
    if (n == 10) {
        int d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > 31) return false;
    }
    return true;
}

#define DATE_WHAT "a date (YYYY, YYYY-MM or YYYY-MM-DD)"

static ekg_status parse_date(parser *p, char **out)
{
    token *t = peek(p);
    if (t->kind != TK_WORD || !is_date(t->text)) return expected(p, DATE_WHAT);
    next(p);
    free(*out);
    *out = strdup(t->text);
    return *out ? EKG_OK : EKG_ERR_NOMEM;
}

static ekg_status parse_integer(parser *p, long lo, long hi, long *out)
{
    token *t = peek(p);
    char what[96];
    snprintf(what, sizeof what, "a whole number from %ld to %ld", lo, hi);
    if (t->kind != TK_WORD) return expected(p, what);
    char *end;
    errno = 0;
    long v = strtol(t->text, &end, 10);
    if (*end || errno || v < lo || v > hi || !isdigit((unsigned char)t->text[0]))
        return expected(p, what);
    next(p);
    *out = v;
    return EKG_OK;
}

/* name = WORD | STRING   (a bare word must not be a keyword) */
static ekg_status parse_name(parser *p, const char *what, ekg_qterm *out)
{
    token *t = peek(p);
    if (t->kind == TK_STRING ? !t->text[0] : (t->kind != TK_WORD || is_keyword(t)))
        return expected(p, what);
    next(p);
    out->kind = EKG_QTERM_NAME;
    out->text = strdup(t->text);
    out->quoted = t->kind == TK_STRING;
    out->col = t->col;
    return out->text ? EKG_OK : EKG_ERR_NOMEM;
}

/* endpoint = [ "exactly" ] name */
static ekg_status parse_endpoint(parser *p, ekg_qterm *out)
{
    bool exactly = false;
    if (is_kw(peek(p), "exactly")) {
        next(p);
        exactly = true;
    }
    ekg_status st = parse_name(p, "a name", out);
    out->exactly = exactly;
    return st;
}

/* term = "who" | "whom" | "what" | endpoint */
static ekg_status parse_term(parser *p, ekg_qterm *out)
{
    token *t = peek(p);
    static const struct {
        const char *kw;
        ekg_qterm_kind k;
    } QW[] = {{"who", EKG_QTERM_WHO}, {"whom", EKG_QTERM_WHOM}, {"what", EKG_QTERM_WHAT}};
    for (size_t i = 0; i < sizeof QW / sizeof QW[0]; i++)
        if (is_kw(t, QW[i].kw)) {
            next(p);
            out->kind = QW[i].k;
            out->col = t->col;
            return EKG_OK;
        }
    bool exactly = false;
    if (is_kw(t, "exactly")) {
        next(p);
        exactly = true;
    }
    ekg_status st = parse_name(p, exactly ? "a name" : "who, whom, what, a class or a name", out);
    out->exactly = exactly;
    return st;
}

/* verb = WORD   (checked against the lexicon by the resolver) */
static ekg_status parse_verb(parser *p, ekg_qverb *out)
{
    token *t = peek(p);
    if (t->kind != TK_WORD || (is_keyword(t) && !is_kw(t, "did")))
        return expected(p, "a verb");
    next(p);
    out->word = strdup(t->text);
    out->col = t->col;
    return out->word ? EKG_OK : EKG_ERR_NOMEM;
}

/* column = "when" | "where" | "forum" | "source" | "evidence" | "confidence" */
static bool parse_column(parser *p)
{
    token *t = peek(p);
    for (int c = 0; c < EKG_QCOL_COUNT; c++) {
        if (!is_kw(t, QCOL_NAMES[c])) continue;
        if (c == EKG_QCOL_CONFIDENCE &&
            (peek2(p)->kind == TK_GT || peek2(p)->kind == TK_GE))
            return false; /* a filter */
        next(p);
        for (size_t i = 0; i < p->q->ncols; i++)
            if (p->q->cols[i] == (ekg_qcol)c) return true;
        p->q->cols[p->q->ncols++] = (ekg_qcol)c;
        return true;
    }
    return false;
}

/* date_filter = "in" DATE | "since" DATE | "until" DATE | "between" DATE "and" DATE */
static ekg_status parse_date_filter(parser *p, ekg_qfilters *f, bool *matched)
{
    token *t = peek(p);
    ekg_status st = EKG_OK;
    *matched = true;
    if (is_kw(t, "in") && !is_kw(peek2(p), "forum")) {
        next(p);
        if ((st = parse_date(p, &f->date_lo))) return st;
        free(f->date_hi);
        f->date_hi = strdup(f->date_lo);
        return f->date_hi ? EKG_OK : EKG_ERR_NOMEM;
    }
    if (is_kw(t, "since")) {
        next(p);
        return parse_date(p, &f->date_lo);
    }
    if (is_kw(t, "until")) {
        next(p);
        return parse_date(p, &f->date_hi);
    }
    if (is_kw(t, "between")) {
        next(p);
        if ((st = parse_date(p, &f->date_lo))) return st;
        if ((st = expect_kw(p, "and"))) return st;
        return parse_date(p, &f->date_hi);
    }
    *matched = false;
    return EKG_OK;
}

/* filter = date_filter | "in" "forum" name | "at" name
 *        | "confidence" ( ">" | ">=" ) NUMBER */
static ekg_status parse_filter(parser *p, bool *matched)
{
    ekg_qfilters *f = &p->q->f;
    ekg_status st = parse_date_filter(p, f, matched);
    if (st || *matched) return st;
    token *t = peek(p);
    *matched = true;
    if (is_kw(t, "in")) { /* "in" "forum" */
        next(p);
        next(p);
        free(f->forum.text);
        memset(&f->forum, 0, sizeof f->forum);
        return parse_name(p, "the name of a forum", &f->forum);
    }
    if (is_kw(t, "at")) {
        next(p);
        free(f->place.text);
        memset(&f->place, 0, sizeof f->place);
        return parse_name(p, "the name of a place", &f->place);
    }
    if (is_kw(t, "confidence")) {
        next(p);
        f->conf_inclusive = next(p)->kind == TK_GE;
        token *n = peek(p);
        char *end = NULL;
        double v = n->kind == TK_WORD ? strtod(n->text, &end) : -1;
        if (n->kind != TK_WORD || *end || v < 0 || v > 1 ||
            !(isdigit((unsigned char)n->text[0]) || n->text[0] == '.'))
            return expected(p, "a number from 0 to 1");
        next(p);
        f->has_conf = true;
        f->conf = v;
        return EKG_OK;
    }
    *matched = false;
    return EKG_OK;
}

/* order = "order" "by" WORD [ "desc" | "asc" ] */
static ekg_status parse_order(parser *p)
{
    ekg_status st;
    next(p);
    if ((st = expect_kw(p, "by"))) return st;
    token *t = peek(p);
    if (t->kind != TK_WORD) return expected(p, "a column to order by");
    next(p);
    p->q->order_by = strdup(t->text);
    p->q->order_col = t->col;
    if (!p->q->order_by) return EKG_ERR_NOMEM;
    /* Ordering by a column keyword shows that column. */
    for (int c = 0; c < EKG_QCOL_COUNT && p->q->kind == EKG_QAST_SENTENCE; c++) {
        if (strcasecmp(t->text, QCOL_NAMES[c]) != 0) continue;
        bool have = false;
        for (size_t i = 0; i < p->q->ncols; i++) have |= p->q->cols[i] == (ekg_qcol)c;
        if (!have) p->q->cols[p->q->ncols++] = (ekg_qcol)c;
    }
    if (is_kw(peek(p), "desc")) {
        next(p);
        p->q->order_desc = true;
    } else if (is_kw(peek(p), "asc"))
        next(p);
    return EKG_OK;
}

/* limit = "limit" INTEGER */
static ekg_status parse_limit(parser *p)
{
    next(p);
    return parse_integer(p, 0, 100000000L, &p->q->limit);
}

/* tail = [ order ] [ limit ] END   — `what` is what may come before the
 * tail; once `order by` or `limit` is read, only what may follow it is. */
static ekg_status parse_tail(parser *p, const char *what)
{
    ekg_status st;
    if (is_kw(peek(p), "order")) {
        if ((st = parse_order(p))) return st;
        what = "'limit' or end of query";
    }
    if (is_kw(peek(p), "limit")) {
        if ((st = parse_limit(p))) return st;
        what = "end of query";
    }
    if (peek(p)->kind != TK_END) return expected(p, what);
    return EKG_OK;
}

/* sentence = term verb term { column | filter } tail */
static ekg_status parse_sentence(parser *p)
{
    ekg_status st;
    p->q->kind = EKG_QAST_SENTENCE;
    if ((st = parse_term(p, &p->q->subj))) return st;
    if ((st = parse_verb(p, &p->q->verb))) return st;
    if ((st = parse_term(p, &p->q->obj))) return st;
    for (;;) {
        bool m = false;
        if (parse_column(p)) continue;
        if ((st = parse_filter(p, &m))) return st;
        if (!m) break;
    }
    return parse_tail(p, "a column, a filter, 'order by', 'limit' or end of query");
}

/* path = "path" endpoint "to" endpoint [ "max" INTEGER ] [ "via" verb { "," verb } ] */
static ekg_status parse_path(parser *p)
{
    ekg_status st;
    long n;
    p->q->kind = EKG_QAST_PATH;
    if ((st = parse_endpoint(p, &p->q->a))) return st;
    if ((st = expect_kw(p, "to"))) return st;
    if ((st = parse_endpoint(p, &p->q->b))) return st;
    const char *what = "'max', 'via', 'limit' or end of query";
    if (is_kw(peek(p), "max")) {
        next(p);
        if ((st = parse_integer(p, 1, 12, &n))) return st;
        p->q->depth = (int)n;
        what = "'via', 'limit' or end of query";
    }
    if (is_kw(peek(p), "via")) {
        what = "',', 'limit' or end of query";
        next(p);
        do {
            ekg_qverb *v = realloc(p->q->via, (p->q->nvia + 1) * sizeof *v);
            if (!v) return EKG_ERR_NOMEM;
            p->q->via = v;
            memset(&v[p->q->nvia], 0, sizeof *v);
            if ((st = parse_verb(p, &v[p->q->nvia]))) return st;
            p->q->nvia++;
        } while (peek(p)->kind == TK_COMMA && next(p));
    }
    return parse_tail(p, what);
}

/* neighbors = "neighbors" endpoint [ "depth" INTEGER ] */
static ekg_status parse_neighbors(parser *p)
{
    ekg_status st;
    long n;
    p->q->kind = EKG_QAST_NEIGHBORS;
    if ((st = parse_endpoint(p, &p->q->a))) return st;
    if (is_kw(peek(p), "depth")) {
        next(p);
        if ((st = parse_integer(p, 1, 5, &n))) return st;
        p->q->depth = (int)n;
        return parse_tail(p, "'limit' or end of query");
    }
    return parse_tail(p, "'depth', 'limit' or end of query");
}

/* timeline = "timeline" endpoint { date_filter } tail */
static ekg_status parse_timeline(parser *p)
{
    ekg_status st;
    p->q->kind = EKG_QAST_TIMELINE;
    if ((st = parse_endpoint(p, &p->q->a))) return st;
    for (;;) {
        bool m;
        if ((st = parse_date_filter(p, &p->q->f, &m))) return st;
        if (!m) break;
    }
    return parse_tail(p, "'in', 'since', 'until', 'between', 'limit' or end of query");
}

/* describe = "describe" endpoint */
static ekg_status parse_describe(parser *p)
{
    ekg_status st;
    p->q->kind = EKG_QAST_DESCRIBE;
    if ((st = parse_endpoint(p, &p->q->a))) return st;
    return parse_tail(p, "'limit' or end of query");
}

/* query = sentence | path | neighbors | timeline | describe | sparql */
static ekg_status parse_query(parser *p)
{
    token *t = peek(p);
    if (t->kind == TK_END) return expected(p, "a query");
    /* A traversal keyword followed by a verb is a sentence about an entity
     * named like the keyword; such names can be quoted anyway. */
    if (is_kw(t, "path")) return next(p), parse_path(p);
    if (is_kw(t, "neighbors")) return next(p), parse_neighbors(p);
    if (is_kw(t, "timeline")) return next(p), parse_timeline(p);
    if (is_kw(t, "describe")) return next(p), parse_describe(p);
    return parse_sentence(p);
}

ekg_status ekg_qast_parse(const char *text, const ekg_sink *sink, ekg_qast **out)
{
    ekg_status st = EKG_OK;
    parser p = {.src = text, .sink = sink};
    *out = NULL;
    ekg_qast *q = calloc(1, sizeof *q);
    if (!q) return EKG_ERR_NOMEM;
    q->limit = -1;
    p.q = q;
    /* sparql = "sparql" REST — the rest of the line goes to rasqal as is. */
    size_t i = strspn(text, " \t\r\n");
    if (strncasecmp(text + i, "sparql", 6) == 0 &&
        (text[i + 6] == 0 || isspace((unsigned char)text[i + 6]))) {
        q->kind = EKG_QAST_SPARQL;
        const char *rest = text + i + 6;
        rest += strspn(rest, " \t\r\n");
        if (!*rest) {
            st = report_at(&p, (int)(rest - text) + 1,
                           "expected a SPARQL query, found end of query");
            goto cleanup;
        }
        q->sparql = strdup(rest);
        if (!q->sparql) st = EKG_ERR_NOMEM;
        goto cleanup;
    }
    EKG_TRY(st, lex(&p));
    EKG_TRY(st, parse_query(&p));
cleanup:
    for (size_t k = 0; k < p.n; k++) free(p.tk[k].text);
    free(p.tk);
    if (st) {
        ekg_qast_free(q);
        return st;
    }
    *out = q;
    return EKG_OK;
}

static void qterm_free(ekg_qterm *t) { free(t->text); }

void ekg_qast_free(ekg_qast *q)
{
    if (!q) return;
    qterm_free(&q->subj);
    qterm_free(&q->obj);
    qterm_free(&q->a);
    qterm_free(&q->b);
    qterm_free(&q->f.place);
    qterm_free(&q->f.forum);
    free(q->verb.word);
    free(q->f.date_lo);
    free(q->f.date_hi);
    free(q->order_by);
    for (size_t i = 0; i < q->nvia; i++) free(q->via[i].word);
    free(q->via);
    free(q->sparql);
    free(q);
}
