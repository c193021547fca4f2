/* endpoint.c — SPARQL 1.1 protocol client over libcurl (see endpoint.h).
 *
 * Queries are POSTed as application/x-www-form-urlencoded `query=`, updates
 * as `update=`. SELECT/ASK answers are read from SPARQL JSON results (a small
 * parser below) or TSV; CONSTRUCT/DESCRIBE answers from N-Triples/Turtle by
 * serd. Loading streams the file through serd's reader into batches of
 * INSERT DATA, so memory is bounded by one batch. */
#include "ekg/endpoint.h"
#include "ekg/triples.h"

#include <ctype.h>
#include <curl/curl.h>
#include <serd/serd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_CONNECT_TIMEOUT 10L
#define DEFAULT_TIMEOUT 600L
#define DEFAULT_BATCH 2000
#define BLANK_BATCH 400

/* ---- HTTP --------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
} buf_t;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    buf_t *b = ud;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return 0; /* makes curl fail with a write error */
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

typedef struct {
    CURL *curl;
    const char *url;
    const ekg_endpoint_opts *opts;
    const ekg_sink *sink;
    buf_t body;
    char ctype[128];
    char errbuf[CURL_ERROR_SIZE];
} conn;

static ekg_status conn_open(conn *c, const char *url, const ekg_endpoint_opts *opts,
                            const ekg_sink *sink)
{
    memset(c, 0, sizeof *c);
    c->url = url;
    c->opts = opts;
    c->sink = sink;
    if (!url || !*url)
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, "endpoint", 0, "no endpoint URL given");
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, url, 0,
                          "not an http:// or https:// SPARQL endpoint URL");
    static int inited;
    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = 1;
    }
    if (!(c->curl = curl_easy_init())) return EKG_ERR_NOMEM;
    return EKG_OK;
}

static void conn_close(conn *c)
{
    if (c->curl) curl_easy_cleanup(c->curl);
    free(c->body.data);
    c->curl = NULL;
    c->body.data = NULL;
}

/* The first lines of an error body, flattened, for a message. */
static void excerpt(const char *s, size_t n, char *out, size_t cap)
{
    size_t j = 0;
    int space = 0;
    for (size_t i = 0; i < n && j + 4 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isspace(ch)) {
            space = j > 0;
            continue;
        }
        if (space) out[j++] = ' ';
        space = 0;
        out[j++] = (char)ch;
    }
    if (j + 4 >= cap) {
        out[j++] = '.';
        out[j++] = '.';
        out[j++] = '.';
    }
    out[j] = 0;
}

/* POST `param`=`text` with `accept`. On success c->body holds the answer. */
static ekg_status conn_post(conn *c, const char *param, const char *text, const char *accept)
{
    ekg_status rc = EKG_OK;
    CURL *h = c->curl;
    c->body.len = 0;
    if (c->body.data) c->body.data[0] = 0;
    c->ctype[0] = 0;
    char *esc = curl_easy_escape(h, text, 0);
    if (!esc) return EKG_ERR_NOMEM;
    size_t n = strlen(param) + strlen(esc) + 2;
    char *form = malloc(n);
    if (!form) {
        curl_free(esc);
        return EKG_ERR_NOMEM;
    }
    snprintf(form, n, "%s=%s", param, esc);
    curl_free(esc);

    struct curl_slist *hdr = NULL;
    char acc[256];
    snprintf(acc, sizeof acc, "Accept: %s", accept);
    hdr = curl_slist_append(hdr, acc);
    hdr = curl_slist_append(hdr, "Content-Type: application/x-www-form-urlencoded");
    hdr = curl_slist_append(hdr, "Expect:");
    long cto = c->opts && c->opts->connect_timeout_s > 0 ? c->opts->connect_timeout_s
                                                          : DEFAULT_CONNECT_TIMEOUT;
    long to = c->opts && c->opts->timeout_s > 0 ? c->opts->timeout_s : DEFAULT_TIMEOUT;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(form));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->body);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, cto);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, to);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ekg/" "0.1");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
    if (c->opts && c->opts->userpwd) {
        curl_easy_setopt(h, CURLOPT_USERPWD, c->opts->userpwd);
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_ANY);
    }
    c->errbuf[0] = 0;
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        ekg_status st = cc == CURLE_OPERATION_TIMEDOUT ? EKG_ERR_LIMIT
                        : cc == CURLE_OUT_OF_MEMORY   ? EKG_ERR_NOMEM
                                                      : EKG_ERR_IO;
        rc = ekg_report(c->sink, EKG_LOG_ERROR, st, c->url, 0, "%s%s",
                        c->errbuf[0] ? c->errbuf : curl_easy_strerror(cc),
                        cc == CURLE_OPERATION_TIMEDOUT ? " (timeout)" : "");
        goto done;
    }
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    char *ct = NULL;
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    if (ct) {
        snprintf(c->ctype, sizeof c->ctype, "%s", ct);
        for (char *p = c->ctype; *p; p++) *p = (char)tolower((unsigned char)*p);
    }
    if (code < 200 || code >= 300) {
        char msg[400];
        excerpt(c->body.data ? c->body.data : "", c->body.len, msg, sizeof msg);
        rc = ekg_report(c->sink, EKG_LOG_ERROR,
                        code == 400 ? EKG_ERR_QUERY
                        : code == 401 || code == 403 ? EKG_ERR_UNSUPPORTED
                                                     : EKG_ERR_STORE,
                        c->url, 0, "HTTP %ld%s%s", code, msg[0] ? ": " : "", msg);
    }
done:
    curl_slist_free_all(hdr);
    free(form);
    return rc;
}

/* ---- query form --------------------------------------------------------- */

typedef enum { FORM_SELECT, FORM_ASK, FORM_GRAPH, FORM_UNKNOWN } qform;

static qform query_form(const char *q)
{
    const char *p = q;
    while (*p) {
        if (isspace((unsigned char)*p)) {
            p++;
        } else if (*p == '#') {
            while (*p && *p != '\n') p++;
        } else if (*p == '<') {
            while (*p && *p != '>') p++;
            if (*p) p++;
        } else {
            const char *w = p;
            while (*p && !isspace((unsigned char)*p) && *p != '<' && *p != '{' && *p != '*' &&
                   *p != '(' && *p != '?' && *p != '$')
                p++;
            size_t n = (size_t)(p - w);
            if (n == 0) {
                p++;
                continue;
            }
            if (n == 6 && !strncasecmp(w, "select", 6)) return FORM_SELECT;
            if (n == 3 && !strncasecmp(w, "ask", 3)) return FORM_ASK;
            if ((n == 9 && !strncasecmp(w, "construct", 9)) ||
                (n == 8 && !strncasecmp(w, "describe", 8)))
                return FORM_GRAPH;
            if (!(n == 6 && !strncasecmp(w, "prefix", 6)) && !(n == 4 && !strncasecmp(w, "base", 4)) &&
                w[n - 1] != ':')
                return FORM_UNKNOWN;
        }
    }
    return FORM_UNKNOWN;
}

/* ---- a small JSON reader ------------------------------------------------ */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
    int t;
    int b;
    char *s;           /* J_STR, J_NUM: decoded text */
    size_t n;          /* items */
    struct jv *items;  /* J_ARR, J_OBJ values */
    char **keys;       /* J_OBJ keys */
} jv;

typedef struct {
    const char *p, *end;
    int depth;
} jp;

static void jv_free(jv *v)
{
    if (!v) return;
    free(v->s);
    for (size_t i = 0; i < v->n; i++) {
        jv_free(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
}

static void jws(jp *j)
{
    while (j->p < j->end && isspace((unsigned char)*j->p)) j->p++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9') v |= (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f') v |= (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') v |= (unsigned)(ch - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static size_t utf8_put(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static char *jstring(jp *j)
{
    /* at the opening quote */
    j->p++;
    const char *s = j->p;
    while (j->p < j->end && *j->p != '"') {
        if (*j->p == '\\') j->p++;
        j->p++;
    }
    if (j->p >= j->end) return NULL;
    size_t n = (size_t)(j->p - s);
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (const char *q = s; q < j->p; q++) {
        if (*q != '\\') {
            *o++ = *q;
            continue;
        }
        q++;
        switch (*q) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp, lo;
            if (q + 4 >= j->p || hex4(q + 1, &cp)) goto bad;
            q += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && q + 6 < j->p && q[1] == '\\' && q[2] == 'u' &&
                !hex4(q + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                q += 6;
            }
            o += utf8_put(o, cp); /* never longer than the 6+ escape bytes */
            break;
        }
        default: *o++ = *q; break;
        }
    }
    *o = 0;
    j->p++;
    return out;
bad:
    free(out);
    return NULL;
}

static int jparse(jp *j, jv *v)
{
    memset(v, 0, sizeof *v);
    jws(j);
    if (j->p >= j->end || ++j->depth > 64) return -1;
    int rc = 0;
    char ch = *j->p;
    if (ch == '{' || ch == '[') {
        int obj = ch == '{';
        v->t = obj ? J_OBJ : J_ARR;
        j->p++;
        size_t cap = 0;
        jws(j);
        if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
            j->p++;
            goto out;
        }
        for (;;) {
            if (v->n == cap) {
                cap = cap ? cap * 2 : 4;
                jv *ni = realloc(v->items, cap * sizeof *ni);
                if (!ni) return -1;
                v->items = ni;
                if (obj) {
                    char **nk = realloc(v->keys, cap * sizeof *nk);
                    if (!nk) return -1;
                    v->keys = nk;
                }
            }
            if (obj) {
                jws(j);
                if (j->p >= j->end || *j->p != '"') return -1;
                char *k = jstring(j);
                if (!k) return -1;
                jws(j);
                if (j->p >= j->end || *j->p != ':') {
                    free(k);
                    return -1;
                }
                v->keys[v->n] = k;
                j->p++;
            }
            int r = jparse(j, &v->items[v->n]);
            v->n++;
            if (r) return -1;
            jws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == (obj ? '}' : ']')) {
                j->p++;
                break;
            }
            return -1;
        }
    } else if (ch == '"') {
        v->t = J_STR;
        if (!(v->s = jstring(j))) rc = -1;
    } else if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
        v->t = J_BOOL;
        v->b = *j->p == 't';
        j->p += v->b ? 4 : 5;
    } else if (!strncmp(j->p, "null", 4)) {
        j->p += 4;
    } else {
        const char *s = j->p;
        while (j->p < j->end && (isdigit((unsigned char)*j->p) || strchr("+-.eE", *j->p))) j->p++;
        if (j->p == s) return -1;
        v->t = J_NUM;
        v->s = strndup(s, (size_t)(j->p - s));
        if (!v->s) rc = -1;
    }
out:
    j->depth--;
    return rc;
}

static const jv *jget(const jv *o, const char *key)
{
    if (!o || o->t != J_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key)) return &o->items[i];
    return NULL;
}

static const char *jstr(const jv *o, const char *key)
{
    const jv *v = jget(o, key);
    return v && (v->t == J_STR || v->t == J_NUM) ? v->s : NULL;
}

static const char *blank_id(const char *v)
{
    if (!strncmp(v, "_:", 2)) return v + 2;
    if (!strncmp(v, "nodeID://", 9)) return v + 9; /* Virtuoso */
    return v;
}

static ekg_status rows_from_json(conn *c, ekg_row_fn rowfn, void *ctx)
{
    jp j = {c->body.data, c->body.data + c->body.len, 0};
    jv doc;
    ekg_status rc = EKG_OK;
    const char **names = NULL;
    ekg_term *vals = NULL;
    if (jparse(&j, &doc)) {
        jv_free(&doc);
        return ekg_report(c->sink, EKG_LOG_ERROR, EKG_ERR_PARSE, c->url, 0,
                          "the SPARQL JSON results do not parse");
    }
    const jv *b = jget(&doc, "boolean");
    if (b && b->t == J_BOOL) {
        const char *name = "ask";
        ekg_term v = ekg_typed(b->b ? "true" : "false", EKG_XSD "boolean");
        ekg_row row = {1, &name, &v};
        if (rowfn) rowfn(ctx, &row);
        goto cleanup;
    }
    const jv *vars = jget(jget(&doc, "head"), "vars");
    const jv *bind = jget(jget(&doc, "results"), "bindings");
    if (!vars || vars->t != J_ARR || !bind || bind->t != J_ARR) {
        rc = ekg_report(c->sink, EKG_LOG_ERROR, EKG_ERR_PARSE, c->url, 0,
                        "SPARQL JSON results without head.vars and results.bindings");
        goto cleanup;
    }
    size_t nc = vars->n;
    names = calloc(nc + 1, sizeof *names);
    vals = calloc(nc + 1, sizeof *vals);
    if (!names || !vals) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < nc; i++) names[i] = vars->items[i].s ? vars->items[i].s : "";
    for (size_t r = 0; r < bind->n; r++) {
        const jv *o = &bind->items[r];
        for (size_t i = 0; i < nc; i++) {
            const jv *t = jget(o, names[i]);
            const char *type = jstr(t, "type"), *value = jstr(t, "value");
            ekg_term v = {EKG_TERM_NONE, NULL, NULL, NULL};
            if (type && value) {
                if (!strcmp(type, "uri"))
                    v = ekg_iri(value);
                else if (!strcmp(type, "bnode"))
                    v = ekg_blank(blank_id(value));
                else {
                    v = ekg_literal(value, jstr(t, "xml:lang"));
                    v.datatype = jstr(t, "datatype");
                    if (v.lang) v.datatype = NULL;
                    if (v.lang && !*v.lang) v.lang = NULL;
                }
            }
            vals[i] = v;
        }
        ekg_row row = {nc, names, vals};
        if (rowfn && rowfn(ctx, &row)) break;
    }
cleanup:
    free(names);
    free(vals);
    jv_free(&doc);
    return rc;
}

/* ---- TSV results -------------------------------------------------------- */

/* Parse one TSV cell (a term in Turtle syntax) in place; returns the term. */
static ekg_term tsv_term(char *s)
{
    ekg_term t = {EKG_TERM_NONE, NULL, NULL, NULL};
    size_t n = strlen(s);
    if (!n) return t;
    if (s[0] == '<' && s[n - 1] == '>') {
        s[n - 1] = 0;
        return ekg_iri(s + 1);
    }
    if (s[0] == '_' && s[1] == ':') return ekg_blank(s + 2);
    if (s[0] == '"') {
        char *o = s, *q = s + 1;
        while (*q && *q != '"') {
            if (*q == '\\' && q[1]) {
                q++;
                unsigned cp = 0;
                switch (*q) {
                case 'n': *o++ = '\n'; break;
                case 't': *o++ = '\t'; break;
                case 'r': *o++ = '\r'; break;
                case 'b': *o++ = '\b'; break;
                case 'f': *o++ = '\f'; break;
                case 'u':
                    if (!hex4(q + 1, &cp)) {
                        q += 4;
                        o += utf8_put(o, cp);
                    }
                    break;
                case 'U':
                    if (!hex4(q + 1, &cp)) {
                        unsigned lo;
                        if (!hex4(q + 5, &lo)) {
                            cp = (cp << 16) | lo;
                            q += 8;
                            o += utf8_put(o, cp);
                        }
                    }
                    break;
                default: *o++ = *q;
                }
                q++;
            } else
                *o++ = *q++;
        }
        char *rest = *q ? q + 1 : q;
        *o = 0;
        t = ekg_literal(s, NULL);
        if (*rest == '@') t.lang = rest + 1;
        else if (rest[0] == '^' && rest[1] == '^' && rest[2] == '<') {
            size_t m = strlen(rest);
            if (rest[m - 1] == '>') rest[m - 1] = 0;
            t.datatype = rest + 3;
        }
        return t;
    }
    if (!strcmp(s, "true") || !strcmp(s, "false")) return ekg_typed(s, EKG_XSD "boolean");
    if (strpbrk(s, "eE")) return ekg_typed(s, EKG_XSD "double");
    if (strchr(s, '.')) return ekg_typed(s, EKG_XSD "decimal");
    return ekg_typed(s, EKG_XSD "integer");
}

static ekg_status rows_from_tsv(conn *c, ekg_row_fn rowfn, void *ctx)
{
    char *p = c->body.data ? c->body.data : (char *)"";
    char *nl = strchr(p, '\n');
    if (nl) *nl = 0;
    size_t nc = 1;
    for (char *q = p; *q; q++) nc += *q == '\t';
    const char **names = calloc(nc + 1, sizeof *names);
    ekg_term *vals = calloc(nc + 1, sizeof *vals);
    if (!names || !vals) {
        free(names);
        free(vals);
        return EKG_ERR_NOMEM;
    }
    size_t i = 0;
    for (char *tok = p; tok && i < nc; i++) {
        char *tab = strchr(tok, '\t');
        if (tab) *tab = 0;
        size_t m = strlen(tok);
        if (m && tok[m - 1] == '\r') tok[m - 1] = 0;
        names[i] = (*tok == '?' || *tok == '$') ? tok + 1 : tok;
        tok = tab ? tab + 1 : NULL;
    }
    p = nl ? nl + 1 : p + strlen(p);
    while (*p) {
        char *end = strchr(p, '\n');
        if (end) *end = 0;
        size_t m = strlen(p);
        if (m && p[m - 1] == '\r') p[m - 1] = 0;
        char *tok = p;
        for (i = 0; i < nc; i++) {
            char *tab = tok ? strchr(tok, '\t') : NULL;
            if (tab) *tab = 0;
            vals[i] = tok ? tsv_term(tok) : (ekg_term){EKG_TERM_NONE, NULL, NULL, NULL};
            tok = tab ? tab + 1 : NULL;
        }
        ekg_row row = {nc, names, vals};
        if (rowfn && rowfn(ctx, &row)) break;
        if (!end) break;
        p = end + 1;
    }
    free(names);
    free(vals);
    return EKG_OK;
}

/* ---- RDF through serd (CONSTRUCT answers, files to load) ---------------- */

typedef struct {
    SerdEnv *env;
    char err[300];
    long errline;
} serd_ctx;

static SerdStatus on_serd_error(void *h, const SerdError *e)
{
    serd_ctx *s = h;
    if (!s->err[0]) {
        va_list ap;
        va_copy(ap, *e->args);
        vsnprintf(s->err, sizeof s->err, e->fmt, ap);
        va_end(ap);
        size_t n = strlen(s->err);
        while (n && s->err[n - 1] == '\n') s->err[--n] = 0;
        s->errline = (long)e->line;
    }
    return SERD_SUCCESS;
}

/* An ekg_term of a serd node; CURIEs and relative IRIs expanded into *tmp
 * (free with serd_node_free). */
static ekg_term term_of_serd(serd_ctx *s, const SerdNode *n, const SerdNode *dt,
                             const SerdNode *lang, SerdNode *tmp, SerdNode *tmpdt)
{
    ekg_term t = {EKG_TERM_NONE, NULL, NULL, NULL};
    *tmp = SERD_NODE_NULL;
    *tmpdt = SERD_NODE_NULL;
    if (!n) return t;
    switch (n->type) {
    case SERD_URI:
    case SERD_CURIE:
        *tmp = serd_env_expand_node(s->env, n);
        t = ekg_iri(tmp->buf ? (const char *)tmp->buf : (const char *)n->buf);
        break;
    case SERD_BLANK: t = ekg_blank((const char *)n->buf); break;
    case SERD_LITERAL:
        t = ekg_literal((const char *)n->buf, lang && lang->buf ? (const char *)lang->buf : NULL);
        if (dt && dt->buf && !t.lang) {
            *tmpdt = serd_env_expand_node(s->env, dt);
            t.datatype = tmpdt->buf ? (const char *)tmpdt->buf : (const char *)dt->buf;
        }
        break;
    default: break;
    }
    return t;
}

static SerdStatus on_base(void *h, const SerdNode *uri)
{
    return serd_env_set_base_uri(((serd_ctx *)h)->env, uri);
}

static SerdStatus on_prefix(void *h, const SerdNode *name, const SerdNode *uri)
{
    return serd_env_set_prefix(((serd_ctx *)h)->env, name, uri);
}

/* -- CONSTRUCT answers -- */

typedef struct {
    serd_ctx s;
    ekg_quad_fn fn;
    void *ctx;
    int stop;
} graph_ctx;

static SerdStatus on_answer_triple(void *h, SerdStatementFlags fl, const SerdNode *g,
                                   const SerdNode *sub, const SerdNode *pred,
                                   const SerdNode *obj, const SerdNode *dt, const SerdNode *lang)
{
    (void)fl;
    (void)g;
    graph_ctx *gc = h;
    if (gc->stop || !gc->fn) return SERD_SUCCESS;
    SerdNode t1, t2, t3, t4, t5, t6;
    ekg_triple t = {term_of_serd(&gc->s, sub, NULL, NULL, &t1, &t2),
                    term_of_serd(&gc->s, pred, NULL, NULL, &t3, &t4),
                    term_of_serd(&gc->s, obj, dt, lang, &t5, &t6)};
    gc->stop = gc->fn(gc->ctx, &t, NULL);
    serd_node_free(&t1);
    serd_node_free(&t2);
    serd_node_free(&t3);
    serd_node_free(&t4);
    serd_node_free(&t5);
    serd_node_free(&t6);
    return SERD_SUCCESS;
}

static ekg_status triples_from_body(conn *c, ekg_quad_fn fn, void *ctx)
{
    graph_ctx gc = {{NULL, "", 0}, fn, ctx, 0};
    SerdURI base_uri;
    SerdNode base = serd_node_new_uri_from_string((const uint8_t *)c->url, NULL, &base_uri);
    gc.s.env = serd_env_new(&base);
    SerdReader *r = serd_reader_new(SERD_TURTLE, &gc, NULL, on_base, on_prefix,
                                    on_answer_triple, NULL);
    ekg_status rc = EKG_OK;
    if (!gc.s.env || !r) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    serd_reader_set_error_sink(r, on_serd_error, &gc.s);
    SerdStatus ss = serd_reader_read_string(r, (const uint8_t *)(c->body.data ? c->body.data : ""));
    if ((ss != SERD_SUCCESS && ss != SERD_FAILURE) || gc.s.err[0])
        rc = ekg_report(c->sink, EKG_LOG_ERROR, EKG_ERR_PARSE, c->url, gc.s.errline,
                        "the CONSTRUCT answer (%s) does not parse: %s",
                        c->ctype[0] ? c->ctype : "no content type",
                        gc.s.err[0] ? gc.s.err : "syntax error");
cleanup:
    if (r) serd_reader_free(r);
    if (gc.s.env) serd_env_free(gc.s.env);
    serd_node_free(&base);
    return rc;
}

/* ---- queries ------------------------------------------------------------ */

ekg_status ekg_endpoint_sparql_opts(const char *url, const ekg_endpoint_opts *opts,
                                    const char *query, ekg_row_fn row, ekg_quad_fn quad,
                                    void *ctx, const ekg_sink *sink)
{
    conn c;
    ekg_status rc = conn_open(&c, url, opts, sink);
    char *text = NULL;
    if (rc != EKG_OK) goto cleanup;
    if (!query) {
        rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, url, 0, "no query given");
        goto cleanup;
    }
    const char *pre = ekg_store_sparql_prefixes();
    size_t n = strlen(pre) + strlen(query) + 1;
    if (!(text = malloc(n))) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    snprintf(text, n, "%s%s", pre, query);
    qform form = query_form(query);
    const char *accept =
        form == FORM_GRAPH
            ? "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
        : form == FORM_UNKNOWN
            ? "application/sparql-results+json, text/tab-separated-values;q=0.8, "
              "application/n-triples;q=0.7, text/turtle;q=0.6"
            : "application/sparql-results+json, text/tab-separated-values;q=0.8";
    EKG_TRY(rc, conn_post(&c, "query", text, accept));
    if (strstr(c.ctype, "json"))
        rc = rows_from_json(&c, row, ctx);
    else if (strstr(c.ctype, "tab-separated"))
        rc = rows_from_tsv(&c, row, ctx);
    else if (strstr(c.ctype, "html") || strstr(c.ctype, "xml"))
        rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_UNSUPPORTED, url, 0,
                        "the endpoint answered %s, not SPARQL results, N-Triples or Turtle "
                        "(is this a SPARQL endpoint URL?)",
                        c.ctype);
    else
        rc = triples_from_body(&c, quad, ctx);
cleanup:
    free(text);
    conn_close(&c);
    return rc;
}

ekg_status ekg_endpoint_sparql(const char *url, const char *query, ekg_row_fn row,
                               ekg_quad_fn quad, void *ctx, const ekg_sink *sink)
{
    return ekg_endpoint_sparql_opts(url, NULL, query, row, quad, ctx, sink);
}

ekg_status ekg_endpoint_update(const char *url, const ekg_endpoint_opts *opts,
                               const char *update, const ekg_sink *sink)
{
    conn c;
    ekg_status rc = conn_open(&c, url, opts, sink);
    if (rc == EKG_OK) rc = conn_post(&c, "update", update, "*/*");
    conn_close(&c);
    return rc;
}

/* ---- loading ------------------------------------------------------------ */

typedef struct {
    serd_ctx s;
    conn *c;
    const char *path;
    const char *default_graph;
    size_t batch, inbatch, total;
    char *text;
    size_t textlen;
    FILE *out;        /* memstream over text */
    char *graph;      /* graph of the open GRAPH block, or NULL */
    int has_blank;    /* the batch names blank nodes */
    char *binds;      /* a template batch's WHERE: BIND(STRDT(…) AS ?dN) … */
    size_t bindslen;
    FILE *bout;       /* memstream over binds */
    size_t nbind;
    ekg_status rc;
} load_ctx;

static ekg_status batch_open(load_ctx *l)
{
    l->out = open_memstream(&l->text, &l->textlen);
    if (!l->out) return EKG_ERR_NOMEM;
    fputs(ekg_store_sparql_prefixes(), l->out);
    fputs("INSERT DATA {\n", l->out);
    l->inbatch = 0;
    l->has_blank = 0;
    l->nbind = 0;
    free(l->graph);
    l->graph = NULL;
    l->bout = open_memstream(&l->binds, &l->bindslen);
    if (!l->bout) {
        fclose(l->out);
        l->out = NULL;
        free(l->text);
        l->text = NULL;
        return EKG_ERR_NOMEM;
    }
    return EKG_OK;
}

/* Virtuoso 7.2 keeps date and time literals as values: in an INSERT
 * template, "2018"^^xsd:gYear and "2018-01"^^xsd:gYearMonth are one constant
 * and both triples get the first (INSERT DATA keeps them apart). Built by
 * STRDT in the WHERE clause they stay distinct. */
static int is_temporal(const ekg_term *t)
{
    static const char X[] = "http://www.w3.org/2001/XMLSchema#";
    if (t->kind != EKG_TERM_LITERAL || !t->datatype || strncmp(t->datatype, X, sizeof X - 1))
        return 0;
    const char *n = t->datatype + sizeof X - 1;
    return !strncmp(n, "date", 4) || !strcmp(n, "time") || n[0] == 'g';
}

static ekg_status batch_flush(load_ctx *l)
{
    if (!l->out) return EKG_OK;
    if (l->graph) fputs("}\n", l->out);
    fputs("}\n", l->out);
    /* Blank nodes are not allowed in INSERT DATA by some stores (Virtuoso
     * 7.2: "not allowed in a constant clause"); a template with an empty
     * WHERE inserts the same triples, the labels scoped to the request. */
    int bfail = fclose(l->bout) != 0;
    l->bout = NULL;
    if (l->has_blank && !bfail) fprintf(l->out, "WHERE {\n%s}\n", l->binds ? l->binds : "");
    free(l->binds);
    l->binds = NULL;
    if (fclose(l->out) || bfail) {
        l->out = NULL;
        free(l->text);
        l->text = NULL;
        return EKG_ERR_NOMEM;
    }
    l->out = NULL;
    if (l->has_blank) {
        char *d = strstr(l->text + strlen(ekg_store_sparql_prefixes()), "INSERT DATA {");
        if (d) memcpy(d + 6, "     ", 5);
    }
    ekg_status rc = EKG_OK;
    if (l->inbatch) {
        rc = conn_post(l->c, "update", l->text, "*/*");
        if (rc == EKG_OK) l->total += l->inbatch;
        else
            ekg_report(l->c->sink, EKG_LOG_ERROR, rc, l->path, 0,
                       "a batch of %zu quads was refused after %zu were loaded", l->inbatch,
                       l->total);
    }
    free(l->text);
    l->text = NULL;
    l->inbatch = 0;
    free(l->graph);
    l->graph = NULL;
    return rc;
}

static SerdStatus on_load_quad(void *h, SerdStatementFlags fl, const SerdNode *g,
                               const SerdNode *sub, const SerdNode *pred, const SerdNode *obj,
                               const SerdNode *dt, const SerdNode *lang)
{
    (void)fl;
    load_ctx *l = h;
    if (l->rc != EKG_OK) return SERD_ERR_UNKNOWN;
    SerdNode tg, tg2, t1, t2, t3, t4, t5, t6;
    ekg_term gt = term_of_serd(&l->s, g && g->type != SERD_NOTHING ? g : NULL, NULL, NULL, &tg,
                               &tg2);
    ekg_triple t = {term_of_serd(&l->s, sub, NULL, NULL, &t1, &t2),
                    term_of_serd(&l->s, pred, NULL, NULL, &t3, &t4),
                    term_of_serd(&l->s, obj, dt, lang, &t5, &t6)};
    int blank = t.s.kind == EKG_TERM_BLANK || t.o.kind == EKG_TERM_BLANK;
    /* The first blank node of a batch starts a template batch of its own. */
    if (blank && l->out && !l->has_blank && l->inbatch > 0) l->rc = batch_flush(l);
    if (l->rc == EKG_OK && !l->out) l->rc = batch_open(l);
    if (l->rc != EKG_OK) goto done;
    if (blank) l->has_blank = 1;
    const char *gi = gt.kind == EKG_TERM_IRI ? gt.value : l->default_graph;
    if (!l->graph || strcmp(l->graph, gi)) {
        if (l->graph) fputs("}\n", l->out);
        free(l->graph);
        l->graph = strdup(gi);
        fputs("GRAPH ", l->out);
        ekg_term git = ekg_iri(gi);
        ekg_term_write_nt(&git, l->out);
        fputs(" {\n", l->out);
    }
    ekg_term_write_nt(&t.s, l->out);
    fputc(' ', l->out);
    ekg_term_write_nt(&t.p, l->out);
    fputc(' ', l->out);
    if (l->has_blank && is_temporal(&t.o)) {
        fprintf(l->out, "?d%zu", l->nbind);
        ekg_term lex = {EKG_TERM_LITERAL, t.o.value, NULL, NULL}, dt = ekg_iri(t.o.datatype);
        fputs("BIND(STRDT(", l->bout);
        ekg_term_write_nt(&lex, l->bout);
        fputs(", ", l->bout);
        ekg_term_write_nt(&dt, l->bout);
        fprintf(l->bout, ") AS ?d%zu)\n", l->nbind++);
    } else
        ekg_term_write_nt(&t.o, l->out);
    fputs(" .\n", l->out);
    l->inbatch++;
    /* A template (blank nodes) compiles to much more SQL in Virtuoso 7.2,
     * which refuses more than 10000 lines of it: smaller batches then. */
    size_t cap = l->has_blank && l->batch > BLANK_BATCH ? BLANK_BATCH : l->batch;
    if (l->inbatch >= cap) l->rc = batch_flush(l);
done:
    serd_node_free(&tg);
    serd_node_free(&tg2);
    serd_node_free(&t1);
    serd_node_free(&t2);
    serd_node_free(&t3);
    serd_node_free(&t4);
    serd_node_free(&t5);
    serd_node_free(&t6);
    return l->rc == EKG_OK ? SERD_SUCCESS : SERD_ERR_UNKNOWN;
}

static SerdSyntax syntax_of(const char *path, const char *syntax)
{
    const char *s = syntax;
    if (!s) {
        const char *dot = strrchr(path, '.');
        s = dot ? dot + 1 : "";
    }
    if (!strcasecmp(s, "nq") || !strcasecmp(s, "nquads")) return SERD_NQUADS;
    if (!strcasecmp(s, "nt") || !strcasecmp(s, "ntriples")) return SERD_NTRIPLES;
    if (!strcasecmp(s, "trig")) return SERD_TRIG;
    return SERD_TURTLE;
}

/* Line-based syntaxes are read a batch of lines at a time, each chunk by a
 * fresh serd reader: serd 0.30's reader keeps growing its node stack over a
 * long N-Quads stream (≈ 200 bytes a quad), which would hold the whole file's
 * worth of memory. Blank node labels keep their names (no reader prefix). */
static SerdStatus read_lines(load_ctx *l, SerdReader *first, SerdSyntax sx, FILE *f)
{
    char *line = NULL, *chunk = NULL;
    size_t cap = 0, len = 0, ccap = 0, nlines = 0;
    long lineno = 0, chunk_start = 1;
    ssize_t n;
    SerdStatus ss = SERD_SUCCESS;
    (void)first;
    for (;;) {
        n = getline(&line, &cap, f);
        if (n > 0) {
            if (len + (size_t)n + 1 > ccap) {
                size_t nc = ccap ? ccap * 2 : 1 << 20;
                while (nc < len + (size_t)n + 1) nc *= 2;
                char *c = realloc(chunk, nc);
                if (!c) {
                    ss = SERD_ERR_UNKNOWN;
                    l->rc = EKG_ERR_NOMEM;
                    break;
                }
                chunk = c;
                ccap = nc;
            }
            memcpy(chunk + len, line, (size_t)n);
            len += (size_t)n;
            chunk[len] = 0;
            nlines++;
            lineno++;
        }
        if ((n <= 0 && len) || nlines >= l->batch) {
            SerdReader *r = serd_reader_new(sx, l, NULL, on_base, on_prefix, on_load_quad, NULL);
            if (!r) {
                l->rc = EKG_ERR_NOMEM;
                ss = SERD_ERR_UNKNOWN;
                break;
            }
            serd_reader_set_error_sink(r, on_serd_error, &l->s);
            ss = serd_reader_read_string(r, (const uint8_t *)chunk);
            serd_reader_free(r);
            if (l->s.err[0]) l->s.errline += chunk_start - 1;
            if ((ss != SERD_SUCCESS && ss != SERD_FAILURE) || l->s.err[0] || l->rc != EKG_OK)
                break;
            ss = SERD_SUCCESS;
            len = 0;
            nlines = 0;
            chunk_start = lineno + 1;
        }
        if (n <= 0) break;
    }
    free(line);
    free(chunk);
    return ss;
}

ekg_status ekg_endpoint_load(const char *url, const ekg_endpoint_opts *opts, const char *path,
                             const char *syntax, const char *graph, const ekg_sink *sink,
                             size_t *added)
{
    conn c;
    load_ctx l;
    memset(&l, 0, sizeof l);
    if (added) *added = 0;
    ekg_status rc = conn_open(&c, url, opts, sink);
    SerdReader *r = NULL;
    char *file_uri = NULL;
    SerdNode base = SERD_NODE_NULL;
    if (rc != EKG_OK) goto cleanup;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, path, 0, "cannot read");
        goto cleanup;
    }
    char *abs = realpath(path, NULL);
    {
        SerdNode fu = serd_node_new_file_uri((const uint8_t *)(abs ? abs : path), NULL, NULL, true);
        file_uri = strdup((const char *)fu.buf);
        serd_node_free(&fu);
    }
    free(abs);
    base = serd_node_new_uri_from_string((const uint8_t *)file_uri, NULL, NULL);
    l.s.env = serd_env_new(&base);
    l.c = &c;
    l.path = path;
    l.default_graph = graph ? graph : file_uri;
    l.batch = opts && opts->batch ? opts->batch : DEFAULT_BATCH;
    l.rc = EKG_OK;
    r = serd_reader_new(syntax_of(path, syntax), &l, NULL, on_base, on_prefix, on_load_quad, NULL);
    if (!r || !l.s.env) {
        fclose(f);
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    serd_reader_set_error_sink(r, on_serd_error, &l.s);
    SerdSyntax sx = syntax_of(path, syntax);
    SerdStatus ss = SERD_SUCCESS;
    if (sx == SERD_NQUADS || sx == SERD_NTRIPLES)
        ss = read_lines(&l, r, sx, f);
    else
        ss = serd_reader_read_file_handle(r, f, (const uint8_t *)path);
    fclose(f);
    if (l.rc != EKG_OK)
        rc = l.rc;
    else if ((ss != SERD_SUCCESS && ss != SERD_FAILURE) || l.s.err[0]) {
        rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_PARSE, path, l.s.errline, "%s",
                        l.s.err[0] ? l.s.err : "syntax error");
        /* what parsed before the error was sent; the rest is not */
    }
    if (l.rc == EKG_OK) {
        ekg_status fr = batch_flush(&l);
        if (rc == EKG_OK) rc = fr;
    }
cleanup:
    if (l.out) fclose(l.out);
    if (l.bout) fclose(l.bout);
    free(l.binds);
    free(l.text);
    free(l.graph);
    if (added) *added = l.total;
    if (r) serd_reader_free(r);
    if (l.s.env) serd_env_free(l.s.env);
    serd_node_free(&base);
    free(file_uri);
    conn_close(&c);
    return rc;
}
