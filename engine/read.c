/* read.c — the readers (txt, md, html, xml/rss/atom), decoding and language
 * identification. One function per format; all of them end in make_doc(),
 * which normalises the body and fills the metadata that was not declared. */
#include "ekg/read.h"

#include "ekg/langid.h"
#include "ekg/recognise.h"
#include "ekg/text.h"
#include "extract_util.h"

#include <errno.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#define EKG_READ_MAX ((size_t)256 << 20)

void ekg_doc_free(ekg_doc *d)
{
    if (!d) return;
    free(d->path);
    free(d->name);
    free(d->text);
    free(d->title);
    free(d->lang);
    free(d->source_url);
    free(d->identifier);
    free(d);
}

void ekg_docs_free(ekg_doc **docs, size_t n)
{
    if (!docs) return;
    for (size_t i = 0; i < n; i++) ekg_doc_free(docs[i]);
    free(docs);
}

/* ---------- decoding ---------- */

static int valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) { /* eight ASCII bytes at a time */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, n, c);
        if (c < 0) return 0;
    }
    return 1;
}

static char *convert(const char *bytes, size_t len, const char *charset, size_t *outlen)
{
    UErrorCode e = U_ZERO_ERROR;
    size_t cap = len * 3 + 4;
    char *out = malloc(cap);
    if (!out) return NULL;
    int32_t n = ucnv_convert("UTF-8", charset, out, (int32_t)cap, bytes, (int32_t)len, &e);
    if (U_FAILURE(e)) {
        free(out);
        return NULL;
    }
    out[n] = 0;
    *outlen = (size_t)n;
    return out;
}

char *ekg_read_to_utf8(const char *bytes, size_t len, const char *charset, size_t *outlen)
{
    const unsigned char *b = (const unsigned char *)bytes;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) bytes += 3, len -= 3, charset = "UTF-8";
    else if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) return convert(bytes + 2, len - 2, "UTF-16LE", outlen);
    else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) return convert(bytes + 2, len - 2, "UTF-16BE", outlen);
    if (charset && strcasecmp(charset, "utf-8") != 0 && strcasecmp(charset, "utf8") != 0) {
        char *c = convert(bytes, len, charset, outlen);
        if (c) return c;
    }
    if (valid_utf8(bytes, len)) {
        char *o = malloc(len + 1);
        if (!o) return NULL;
        memcpy(o, bytes, len);
        o[len] = 0;
        *outlen = len;
        return o;
    }
    return convert(bytes, len, "windows-1252", outlen);
}

/* ---------- helpers ---------- */

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static char *trim_dup(const char *s)
{
    if (!s) return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    return dupn(s, n);
}

/* Join the lines of each paragraph; keep blank lines between paragraphs, and
 * line breaks before list items and headings. Drops \r, collapses runs of
 * spaces made of non-breaking spaces into one blank. */
static char *unwrap(const char *s, size_t n, size_t *outlen)
{
    /* The result is never longer than the input (every separator written
     * stands for line breaks dropped), so it is written in place, a line's
     * run of ordinary bytes at a time. */
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t w = 0, i = 0;
    int pending_nl = 0, at_line_start = 1;
    while (i < n) {
        char c = s[i];
        if (c == '\r') {
            i++;
            continue;
        }
        if (c == '\n') {
            pending_nl++;
            i++;
            at_line_start = 1;
            continue;
        }
        if (at_line_start && (c == ' ' || c == '\t')) {
            i++;
            continue;
        }
        if (at_line_start && pending_nl) {
            /* what starts the next line? */
            int block = (c == '-' || c == '*' || c == '#' || c == '>' || c == '|' ||
                         (unsigned char)c == 0xE2 /* • – */);
            if (w == 0) {
            } else if (pending_nl >= 2) {
                o[w++] = '\n';
                o[w++] = '\n';
            } else if (block) {
                o[w++] = '\n';
            } else if (o[w - 1] != ' ') {
                o[w++] = ' ';
            }
        }
        pending_nl = 0;
        at_line_start = 0;
        const char *nl = memchr(s + i + 1, '\n', n - i - 1);
        size_t j = nl ? (size_t)(nl - s) : n;
        const char *cr = memchr(s + i + 1, '\r', j - i - 1);
        if (cr) j = (size_t)(cr - s);
        memcpy(o + w, s + i, j - i);
        w += j - i;
        i = j;
    }
    o[w] = 0;
    *outlen = w;
    return o;
}

static ekg_doc *new_doc(const char *path, const char *format, size_t bytes)
{
    ekg_doc *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->path = strdup(path);
    const char *base = strrchr(path, '/');
    d->name = strdup(base ? base + 1 : path);
    d->format = format;
    d->bytes = bytes;
    if (!d->path || !d->name) {
        ekg_doc_free(d);
        return NULL;
    }
    return d;
}

/* A date in a short piece of text (a header line, a meta value) by kb month
 * names or numeric forms. */
static int line_date(const ekg_kb *kb, const char *s, size_t n, ekg_date *out)
{
    if (n == 0 || n > 400) return 0;
    if (ekg_date_parse_iso(s, out)) return 1;
    ekg_text *t = NULL;
    ekg_mention *m = NULL;
    size_t nm = 0;
    int ok = 0;
    if (ekg_text_split(s, n, NULL, &t) != EKG_OK) return 0;
    if (kb && ekg_recognise(kb, t, NULL, &m, &nm) != EKG_OK) {
        ekg_text_free(t);
        return 0;
    }
    ok = ekg_dates_in_line(t, m, nm, out);
    free(m);
    ekg_text_free(t);
    return ok;
}

/* Plain text without declared metadata: the first date of the header lines
 * (short lines before the first long paragraph), else a trailing "(…,
 * 19.6.2015)" signature. */
static void sniff_text_date(const ekg_kb *kb, ekg_doc *d)
{
    const char *s = d->text, *end = d->text + d->len;
    int lines = 0;
    while (s < end && lines < 25) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        size_t n = (size_t)(e - s);
        if (n > 240) break;
        if (n > 0 && line_date(kb, s, n, &d->date)) return;
        lines++;
        s = e + 1;
    }
    /* signature at the end */
    size_t tail = d->len < 60 ? d->len : 60;
    const char *t = end - tail;
    const char *open = NULL;
    for (const char *p = t; p < end; p++)
        if (*p == '(') open = p;
    if (open) {
        const char *close = memchr(open, ')', (size_t)(end - open));
        if (close && end - close < 4) {
            const char *comma = open;
            for (const char *p = open; p < close; p++)
                if (*p == ',') comma = p + 1;
            while (comma < close && *comma == ' ') comma++;
            line_date(kb, comma, (size_t)(close - comma), &d->date);
        }
    }
}

static ekg_status finish(const ekg_kb *kb, ekg_doc *d, const ekg_read_opts *o, int sniff_date)
{
    if (o && o->lang) {
        free(d->lang);
        d->lang = strdup(o->lang);
    }
    if (!d->lang || !*d->lang) {
        free(d->lang);
        d->lang = NULL;
        const char *g = ekg_langid_guess(d->text, d->len);
        if (g) d->lang = strdup(g);
    } else {
        /* keep the primary subtag lower-case */
        for (char *p = d->lang; *p && *p != '-'; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
        char *us = strchr(d->lang, '_');
        if (us) *us = '-';
    }
    if (sniff_date && !d->date.y) sniff_text_date(kb, d);
    return EKG_OK;
}

/* ---------- plain text ---------- */

static ekg_status read_text(const ekg_kb *kb, const char *path, const char *u, size_t n,
                            size_t bytes, const ekg_read_opts *o, ekg_doc **out)
{
    ekg_doc *d = new_doc(path, "text", bytes);
    if (!d) return EKG_ERR_NOMEM;
    d->text = unwrap(u, n, &d->len);
    if (!d->text) {
        ekg_doc_free(d);
        return EKG_ERR_NOMEM;
    }
    finish(kb, d, o, 1);
    *out = d;
    return EKG_OK;
}

/* ---------- Markdown ---------- */

/* A YAML scalar: plain, 'single' or "double" quoted (with \uXXXX, \_ and
 * line continuations). `v` runs to `end` (continuation lines included). */
static char *yaml_scalar(const char *v, const char *end)
{
    xbuf b = {0};
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    if (v < end && (*v == '"' || *v == '\'')) {
        char q = *v++;
        while (v < end) {
            char c = *v;
            if (c == q) {
                if (q == '\'' && v + 1 < end && v[1] == '\'') {
                    xbuf_addc(&b, '\'');
                    v += 2;
                    continue;
                }
                break;
            }
            if (c == '\n') { /* folding */
                while (v + 1 < end && (v[1] == ' ' || v[1] == '\t')) v++;
                if (b.n && b.p[b.n - 1] != ' ') xbuf_addc(&b, ' ');
                v++;
                continue;
            }
            if (q == '"' && c == '\\' && v + 1 < end) {
                char e = v[1];
                v += 2;
                if (e == '\n') {
                    while (v < end && (*v == ' ' || *v == '\t')) v++;
                    continue;
                }
                if (e == 'u' || e == 'U' || e == 'x') {
                    int nd = e == 'u' ? 4 : e == 'U' ? 8 : 2;
                    unsigned cp = 0;
                    for (int k = 0; k < nd && v < end; k++, v++) {
                        char h = *v;
                        cp = cp * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
                                                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                                  : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0);
                    }
                    char tmp[4];
                    int32_t k = 0;
                    UBool err = 0;
                    if (cp > 0x10FFFF) cp = 0xFFFD;
                    U8_APPEND((uint8_t *)tmp, k, 4, (UChar32)cp, err);
                    if (!err) xbuf_add(&b, tmp, (size_t)k);
                    continue;
                }
                const char *rep = e == 'n' ? "\n" : e == 't' ? "\t" : e == '_' ? "\xC2\xA0"
                                : e == '0' ? "" : NULL;
                if (rep) xbuf_adds(&b, rep);
                else xbuf_addc(&b, e);
                continue;
            }
            xbuf_addc(&b, c);
            v++;
        }
    } else {
        /* plain: join lines */
        for (; v < end; v++) {
            if (*v == '\n') {
                while (v + 1 < end && (v[1] == ' ' || v[1] == '\t')) v++;
                if (b.n && b.p[b.n - 1] != ' ') xbuf_addc(&b, ' ');
                continue;
            }
            xbuf_addc(&b, *v);
        }
        while (b.n && (b.p[b.n - 1] == ' ' || b.p[b.n - 1] == '\r')) b.p[--b.n] = 0;
    }
    if (!b.p) return strdup("");
    return b.p;
}

/* Strip the inline Markdown that would disturb sentences: emphasis marks,
 * link targets, image syntax, backslash escapes, heading hashes. s[n] is a
 * NUL and s holds none before it (read_buffer refuses NUL bytes). */
static char *strip_md(const char *s, size_t n, size_t *outlen)
{
    /* Bytes that may start markup (inside a line); every other byte is
     * copied as it is, a run at a time. The result is never longer than the
     * input. */
    static const char marks[] = "\\*_!][\n";
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t w = 0;
    int line_start = 1;
    for (size_t i = 0; i < n; i++) {
        if (!line_start) {
            /* strcspn stops at s[n] at the latest (see above) */
            size_t j = i + strcspn(s + i, marks);
            if (j > n) j = n;
            if (j > i) {
                memcpy(o + w, s + i, j - i);
                w += j - i;
                i = j - 1;
                continue;
            }
        }
        char c = s[i];
        if (line_start) {
            size_t j = i;
            while (j < n && s[j] == '#') j++;
            if (j > i && (j == n || s[j] == ' ')) {
                i = j;
                line_start = 0;
                continue;
            }
        }
        line_start = c == '\n';
        if (c == '\\' && i + 1 < n && strchr("\\`*_{}[]()#+-.!|>~\"'", s[i + 1])) {
            /* an escaped run of '#' is a separator, not text */
            if (s[i + 1] == '#') {
                while (i + 1 < n && s[i + 1] == '#') i++;
                continue;
            }
            o[w++] = s[++i];
            continue;
        }
        if (c == '*' || (c == '_' && i + 1 < n && s[i + 1] == '_')) {
            while (i + 1 < n && s[i + 1] == c) i++;
            continue;
        }
        if (c == '!' && i + 1 < n && s[i + 1] == '[') continue;
        if (c == ']' && i + 1 < n && s[i + 1] == '(') {
            size_t j = i + 2;
            while (j < n && s[j] != ')' && s[j] != '\n') j++;
            if (j < n && s[j] == ')') {
                i = j;
                continue;
            }
        }
        if (c == '[') {
            /* keep the link text */
            const char *close = memchr(s + i, ']', n - i);
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(') continue;
        }
        o[w++] = c;
    }
    o[w] = 0;
    *outlen = w;
    return o;
}

static ekg_status read_markdown(const ekg_kb *kb, const char *path, const char *u, size_t n,
                                size_t bytes, const ekg_read_opts *o, ekg_doc **out)
{
    ekg_doc *d = new_doc(path, "markdown", bytes);
    if (!d) return EKG_ERR_NOMEM;
    const char *body = u, *end = u + n;
    int front = 0;
    char *date_s = NULL, *pub_s = NULL;
    if (n >= 4 && strncmp(u, "---", 3) == 0 && (u[3] == '\n' || u[3] == '\r')) {
        const char *p = u + 4;
        const char *fm_end = NULL;
        for (const char *q = p; q < end;) {
            const char *e = memchr(q, '\n', (size_t)(end - q));
            if (!e) e = end;
            if ((e - q == 3 || (e - q == 4 && q[3] == '\r')) && strncmp(q, "---", 3) == 0) {
                fm_end = q;
                body = e < end ? e + 1 : end;
                break;
            }
            q = e + 1;
        }
        if (fm_end) {
            front = 1;
            /* key: value lines; continuation lines are indented */
            const char *q = p;
            while (q < fm_end) {
                const char *e = memchr(q, '\n', (size_t)(fm_end - q));
                if (!e) e = fm_end;
                const char *colon = memchr(q, ':', (size_t)(e - q));
                if (colon && q[0] != ' ' && q[0] != '\t' && q[0] != '#') {
                    /* extend over indented continuation lines */
                    const char *ve = e;
                    while (ve < fm_end && ve + 1 < fm_end && (ve[1] == ' ' || ve[1] == '\t')) {
                        const char *ne = memchr(ve + 1, '\n', (size_t)(fm_end - ve - 1));
                        ve = ne ? ne : fm_end;
                    }
                    size_t kl = (size_t)(colon - q);
                    char *val = yaml_scalar(colon + 1, ve);
                    if (!val) goto oom;
                    char **slot = NULL;
                    if (kl == 5 && strncmp(q, "title", 5) == 0) slot = &d->title;
                    else if (kl == 4 && strncmp(q, "date", 4) == 0) slot = &date_s;
                    else if (kl == 14 && strncmp(q, "published_time", 14) == 0) slot = &pub_s;
                    else if ((kl == 4 && strncmp(q, "lang", 4) == 0) ||
                             (kl == 8 && strncmp(q, "language", 8) == 0)) slot = &d->lang;
                    else if ((kl == 10 && strncmp(q, "source_url", 10) == 0) ||
                             (kl == 3 && strncmp(q, "url", 3) == 0) ||
                             (kl == 6 && strncmp(q, "source", 6) == 0)) slot = &d->source_url;
                    else if (kl == 10 && strncmp(q, "identifier", 10) == 0) slot = &d->identifier;
                    if (slot && !*slot && *val) *slot = val;
                    else free(val);
                    q = ve < fm_end ? ve + 1 : fm_end;
                    continue;
                }
                q = e + 1;
            }
        }
    }
    if (date_s) ekg_date_parse_iso(date_s, &d->date);
    if (!d->date.y && pub_s) ekg_date_parse_iso(pub_s, &d->date);
    if (!d->date.y && date_s) line_date(kb, date_s, strlen(date_s), &d->date);
    free(date_s);
    free(pub_s);
    size_t sl = 0;
    char *stripped = strip_md(body, (size_t)(end - body), &sl);
    if (!stripped) goto oom;
    d->text = unwrap(stripped, sl, &d->len);
    free(stripped);
    if (!d->text) goto oom;
    finish(kb, d, o, !front);
    *out = d;
    return EKG_OK;
oom:
    ekg_doc_free(d);
    return EKG_ERR_NOMEM;
}

/* ---------- HTML ---------- */

static int name_is(const xmlNode *n, const char *name)
{
    return n->name && strcasecmp((const char *)n->name, name) == 0;
}

static int skip_element(const xmlNode *n)
{
    static const char *skip[] = {"script", "style", "nav", "header", "footer", "aside", "noscript",
                                 "form", "button", "template", "svg", "iframe", "select", "head",
                                 NULL};
    for (int i = 0; skip[i]; i++)
        if (name_is(n, skip[i])) return 1;
    if (name_is(n, "a")) {
        xmlChar *h = xmlGetProp(n, (const xmlChar *)"href");
        int sk = h && h[0] == '#';
        xmlFree(h);
        if (sk) return 1; /* "Skip to main content" and other in-page links */
    }
    xmlChar *role = xmlGetProp(n, (const xmlChar *)"role");
    int sk = role && (strcmp((char *)role, "navigation") == 0 || strcmp((char *)role, "banner") == 0 ||
                      strcmp((char *)role, "contentinfo") == 0);
    xmlFree(role);
    xmlChar *hidden = xmlGetProp(n, (const xmlChar *)"hidden");
    if (hidden) sk = 1;
    xmlFree(hidden);
    return sk;
}

static int is_block(const xmlNode *n)
{
    static const char *blocks[] = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                                   "ol", "br", "tr", "table", "section", "article", "main",
                                   "blockquote", "pre", "dd", "dt", "dl", "figcaption", "hr",
                                   "title", "body", "td", "th", NULL};
    for (int i = 0; blocks[i]; i++)
        if (name_is(n, blocks[i])) return 1;
    return 0;
}

static void html_text(const xmlNode *n, xbuf *b, int depth)
{
    for (; n && depth < 200; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            const char *s = (const char *)n->content;
            if (!s) continue;
            for (; *s; s++) {
                char c = *s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s;
                if (c == ' ' && (b->n == 0 || b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\n')) continue;
                xbuf_addc(b, c);
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            if (skip_element(n)) continue;
            int blk = is_block(n);
            if (blk && b->n && b->p[b->n - 1] != '\n') {
                while (b->n && b->p[b->n - 1] == ' ') b->p[--b->n] = 0;
                xbuf_add(b, "\n\n", 2);
            }
            html_text(n->children, b, depth + 1);
            if (blk && b->n && b->p[b->n - 1] != '\n') {
                while (b->n && b->p[b->n - 1] == ' ') b->p[--b->n] = 0;
                xbuf_add(b, "\n\n", 2);
            }
        }
    }
}

/* Generic XML: element names say nothing of blocks, so every element is
 * one ("<titel>…</titel><absatz>…</absatz>" are separate paragraphs). */
static void xml_text(const xmlNode *n, xbuf *b, int depth)
{
    for (; n && depth < 200; n = n->next) {
        /* (text here is the white space between elements: mixed content
         * goes to html_text below) */
        if (n->type != XML_ELEMENT_NODE || skip_element(n)) continue;
        if (b->n && b->p[b->n - 1] != '\n') {
            while (b->n && b->p[b->n - 1] == ' ') b->p[--b->n] = 0;
            xbuf_add(b, "\n\n", 2);
        }
        int text = 0;
        for (const xmlNode *c = n->children; c; c = c->next)
            if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
                for (const char *q = (const char *)c->content; q && *q && !text; q++)
                    if (*q != ' ' && *q != '\n' && *q != '\t' && *q != '\r') text = 1;
        if (text)
            html_text(n->children, b, depth + 1); /* mixed content: inline markup */
        else
            xml_text(n->children, b, depth + 1);
    }
}

static const xmlNode *find_elem(const xmlNode *n, const char *name, int depth)
{
    for (; n && depth < 200; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (name_is(n, name)) return n;
        const xmlNode *r = find_elem(n->children, name, depth + 1);
        if (r) return r;
    }
    return NULL;
}

static void html_meta(const ekg_kb *kb, const xmlNode *n, ekg_doc *d, int depth)
{
    static const char *date_names[] = {"article:published_time", "date", "dc.date", "dcterms.date",
                                       "dc.date.issued", "pubdate", "publishdate", "og:published_time",
                                       "datepublished", "sailthru.date", NULL};
    for (; n && depth < 200; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (name_is(n, "meta")) {
            xmlChar *nm = xmlGetProp(n, (const xmlChar *)"property");
            if (!nm) nm = xmlGetProp(n, (const xmlChar *)"name");
            if (!nm) nm = xmlGetProp(n, (const xmlChar *)"itemprop");
            xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
            if (nm && content) {
                for (int i = 0; date_names[i]; i++)
                    if (!d->date.y && strcasecmp((char *)nm, date_names[i]) == 0 &&
                        !ekg_date_parse_iso((char *)content, &d->date))
                        line_date(kb, (char *)content, strlen((char *)content), &d->date);
                if (!d->source_url && strcasecmp((char *)nm, "og:url") == 0)
                    d->source_url = trim_dup((char *)content);
                if (!d->title && strcasecmp((char *)nm, "og:title") == 0) d->title = trim_dup((char *)content);
                if (!d->lang && (strcasecmp((char *)nm, "dc.language") == 0 ||
                                 strcasecmp((char *)nm, "language") == 0))
                    d->lang = trim_dup((char *)content);
            }
            xmlFree(nm);
            xmlFree(content);
        } else if (name_is(n, "link")) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            if (rel && strcasecmp((char *)rel, "canonical") == 0 && !d->source_url) {
                xmlChar *h = xmlGetProp(n, (const xmlChar *)"href");
                if (h) d->source_url = trim_dup((char *)h);
                xmlFree(h);
            }
            xmlFree(rel);
        } else if (name_is(n, "time") && !d->date.y) {
            xmlChar *dt = xmlGetProp(n, (const xmlChar *)"datetime");
            if (dt) ekg_date_parse_iso((char *)dt, &d->date);
            xmlFree(dt);
        }
        html_meta(kb, n->children, d, depth + 1);
    }
}

static ekg_status read_html(const ekg_kb *kb, const char *path, const char *bytes, size_t len,
                            const ekg_read_opts *o, const ekg_sink *sink, ekg_doc **out)
{
    htmlDocPtr doc = htmlReadMemory(bytes, (int)len, NULL, NULL,
                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
    if (!doc) return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_PARSE, path, 0, "cannot parse as HTML");
    ekg_doc *d = new_doc(path, "html", len);
    if (!d) {
        xmlFreeDoc(doc);
        return EKG_ERR_NOMEM;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) {
        xmlChar *lang = xmlGetProp(root, (const xmlChar *)"lang");
        if (!lang) lang = xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
        if (lang && *lang) d->lang = trim_dup((char *)lang);
        xmlFree(lang);
        html_meta(kb, root, d, 0);
        const xmlNode *title = find_elem(root, "title", 0);
        if (title && !d->title) {
            xmlChar *s = xmlNodeGetContent(title);
            if (s) d->title = trim_dup((char *)s);
            xmlFree(s);
        }
        const xmlNode *main = find_elem(root, "main", 0);
        if (!main) main = find_elem(root, "article", 0);
        if (!main) main = find_elem(root, "body", 0);
        if (!main) main = root;
        xbuf b = {0};
        html_text(main->children, &b, 0);
        if (!b.p) xbuf_reserve(&b, 1);
        d->text = b.p;
        d->len = b.n;
        while (d->len && (d->text[d->len - 1] == '\n' || d->text[d->len - 1] == ' ')) d->text[--d->len] = 0;
    }
    xmlFreeDoc(doc);
    if (!d->text) {
        d->text = strdup("");
        if (!d->text) {
            ekg_doc_free(d);
            return EKG_ERR_NOMEM;
        }
    }
    finish(kb, d, o, !d->date.y);
    *out = d;
    return EKG_OK;
}

/* ---------- XML, RSS, Atom ---------- */

static const xmlNode *child_named(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && name_is(c, name)) return c;
    return NULL;
}

static char *content_of(const xmlNode *n)
{
    if (!n) return NULL;
    xmlChar *s = xmlNodeGetContent(n);
    char *r = s ? trim_dup((char *)s) : NULL;
    xmlFree(s);
    return r;
}

/* Feed item bodies are usually escaped HTML: parse them as HTML. */
static char *html_fragment_text(const char *s, size_t *outlen)
{
    size_t n = strlen(s);
    htmlDocPtr doc = htmlReadMemory(s, (int)n, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING);
    xbuf b = {0};
    if (doc) {
        xmlNode *root = xmlDocGetRootElement(doc);
        if (root) html_text(root, &b, 0);
        xmlFreeDoc(doc);
    }
    if (!b.p && xbuf_reserve(&b, 1)) return NULL;
    while (b.n && (b.p[b.n - 1] == '\n' || b.p[b.n - 1] == ' ')) b.p[--b.n] = 0;
    *outlen = b.n;
    return b.p;
}

static ekg_status push_doc(ekg_doc ***v, size_t *n, ekg_doc *d)
{
    ekg_doc **p = realloc(*v, (*n + 1) * sizeof *p);
    if (!p) {
        ekg_doc_free(d);
        return EKG_ERR_NOMEM;
    }
    *v = p;
    p[(*n)++] = d;
    return EKG_OK;
}

static ekg_status feed_item(const ekg_kb *kb, const char *path, size_t idx, const xmlNode *it,
                            int atom, const char *chan_lang, size_t bytes,
                            const ekg_read_opts *o, ekg_doc ***v, size_t *n)
{
    char ipath[PATH_MAX + 32];
    snprintf(ipath, sizeof ipath, "%s#item-%zu", path, idx);
    ekg_doc *d = new_doc(ipath, atom ? "atom" : "rss", bytes);
    if (!d) return EKG_ERR_NOMEM;
    const char *base = strrchr(path, '/');
    free(d->name);
    d->name = strdup(base ? base + 1 : path);
    d->title = content_of(child_named(it, "title"));
    const xmlNode *body = atom ? child_named(it, "content") : child_named(it, "encoded");
    if (!body) body = atom ? child_named(it, "summary") : child_named(it, "description");
    char *raw = content_of(body);
    size_t bl = 0;
    d->text = raw ? html_fragment_text(raw, &bl) : strdup("");
    free(raw);
    if (!d->text) {
        ekg_doc_free(d);
        return EKG_ERR_NOMEM;
    }
    d->len = bl;
    if (d->title && *d->title) {
        /* the title is part of what the item says */
        size_t tl = strlen(d->title);
        char *t = malloc(tl + 2 + d->len + 1);
        if (t) {
            memcpy(t, d->title, tl);
            memcpy(t + tl, "\n\n", 2);
            memcpy(t + tl + 2, d->text, d->len + 1);
            free(d->text);
            d->text = t;
            d->len += tl + 2;
        }
    }
    if (atom) {
        const xmlNode *l = child_named(it, "link");
        if (l) {
            xmlChar *h = xmlGetProp(l, (const xmlChar *)"href");
            if (h) d->source_url = trim_dup((char *)h);
            xmlFree(h);
        }
        d->identifier = content_of(child_named(it, "id"));
        char *ds = content_of(child_named(it, "published"));
        if (!ds) ds = content_of(child_named(it, "updated"));
        if (ds) ekg_date_parse_iso(ds, &d->date);
        free(ds);
    } else {
        d->source_url = content_of(child_named(it, "link"));
        d->identifier = content_of(child_named(it, "guid"));
        char *ds = content_of(child_named(it, "pubDate"));
        if (!ds) ds = content_of(child_named(it, "date"));
        if (ds && !ekg_date_parse_iso(ds, &d->date)) line_date(kb, ds, strlen(ds), &d->date);
        free(ds);
    }
    xmlChar *il = xmlNodeGetLang(it);
    if (il) d->lang = trim_dup((char *)il);
    else if (chan_lang) d->lang = strdup(chan_lang);
    xmlFree(il);
    finish(kb, d, o, 0);
    return push_doc(v, n, d);
}

static ekg_status read_xml(const ekg_kb *kb, const char *path, const char *bytes, size_t len,
                           const ekg_read_opts *o, const ekg_sink *sink, ekg_doc ***v, size_t *n)
{
    /* No XML_PARSE_NOENT, no DTDLOAD: entities are not expanded, no external
     * fetch (XXE, billion laughs). */
    xmlDocPtr doc = xmlReadMemory(bytes, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_NOCDATA);
    if (!doc) return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_PARSE, path, 0, "not well-formed XML");
    ekg_status st = EKG_OK;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root && (name_is(root, "rss") || name_is(root, "RDF"))) {
        const xmlNode *chan = child_named(root, "channel");
        char *clang = content_of(child_named(chan, "language"));
        size_t idx = 0;
        const xmlNode *holder = name_is(root, "RDF") ? root : chan;
        for (const xmlNode *c = holder ? holder->children : NULL; c && st == EKG_OK; c = c->next)
            if (c->type == XML_ELEMENT_NODE && name_is(c, "item"))
                st = feed_item(kb, path, ++idx, c, 0, clang, len, o, v, n);
        free(clang);
    } else if (root && name_is(root, "feed")) {
        xmlChar *fl = xmlNodeGetLang(root);
        size_t idx = 0;
        for (const xmlNode *c = root->children; c && st == EKG_OK; c = c->next)
            if (c->type == XML_ELEMENT_NODE && name_is(c, "entry"))
                st = feed_item(kb, path, ++idx, c, 1, (char *)fl, len, o, v, n);
        xmlFree(fl);
    } else if (root) {
        ekg_doc *d = new_doc(path, "xml", len);
        if (!d) {
            st = EKG_ERR_NOMEM;
            goto cleanup;
        }
        xbuf b = {0};
        xml_text(root, &b, 0);
        if (!b.p) xbuf_reserve(&b, 1);
        d->text = b.p;
        d->len = b.n;
        xmlChar *l = xmlNodeGetLang(root);
        if (l) d->lang = trim_dup((char *)l);
        xmlFree(l);
        if (!d->text) {
            ekg_doc_free(d);
            st = EKG_ERR_NOMEM;
            goto cleanup;
        }
        finish(kb, d, o, 1);
        st = push_doc(v, n, d);
    }
cleanup:
    xmlFreeDoc(doc);
    return st;
}

/* ---------- dispatch ---------- */

static const char *ext_of(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return dot ? dot + 1 : "";
}

static const char *sniff(const char *path, const char *bytes, size_t len)
{
    const char *e = ext_of(path);
    if (!strcasecmp(e, "md") || !strcasecmp(e, "markdown")) return "markdown";
    if (!strcasecmp(e, "html") || !strcasecmp(e, "htm") || !strcasecmp(e, "xhtml")) return "html";
    if (!strcasecmp(e, "xml") || !strcasecmp(e, "rss") || !strcasecmp(e, "atom")) return "xml";
    if (!strcasecmp(e, "txt") || !strcasecmp(e, "text")) return "text";
    size_t i = 0;
    if (len >= 3 && (unsigned char)bytes[0] == 0xEF) i = 3;
    while (i < len && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) i++;
    size_t rest = len - i;
    if (rest >= 3 && strncmp(bytes + i, "---", 3) == 0) return "markdown";
    if (rest >= 5 && (strncasecmp(bytes + i, "<!doc", 5) == 0 || strncasecmp(bytes + i, "<html", 5) == 0))
        return "html";
    if (rest >= 5 && strncmp(bytes + i, "<?xml", 5) == 0) {
        /* XHTML stays HTML */
        size_t look = rest < 512 ? rest : 512;
        for (size_t k = 0; k + 5 < look; k++)
            if (strncasecmp(bytes + i + k, "<html", 5) == 0) return "html";
        return "xml";
    }
    if (rest >= 1 && bytes[i] == '<') return "xml";
    return "text";
}

/* libxml2 reports through per-thread global handlers, and raptor (loaded by
 * the store in the same process) installs ones that print. The readers ask
 * for no reports, so silence both for the duration of a read. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}
static void xml_quiet_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static ekg_status read_buffer(const ekg_kb *kb, const char *path, const char *bytes, size_t len,
                              const ekg_read_opts *o, const ekg_sink *sink, ekg_doc ***docs,
                              size_t *n);

ekg_status ekg_read_buffer(const ekg_kb *kb, const char *path, const char *bytes, size_t len,
                           const ekg_read_opts *o, const ekg_sink *sink, ekg_doc ***docs, size_t *n)
{
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_quiet);
    xmlSetStructuredErrorFunc(NULL, xml_quiet_structured);
    ekg_status st = read_buffer(kb, path, bytes, len, o, sink, docs, n);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    return st;
}

static ekg_status read_buffer(const ekg_kb *kb, const char *path, const char *bytes, size_t len,
                              const ekg_read_opts *o, const ekg_sink *sink, ekg_doc ***docs,
                              size_t *n)
{
    *docs = NULL;
    *n = 0;
    if (len > EKG_READ_MAX || len > INT_MAX)
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_LIMIT, path, 0, "file too large (%zu bytes)", len);
    const char *fmt = o && o->format ? o->format : sniff(path, bytes, len);
    ekg_status st = EKG_OK;
    if (!strcmp(fmt, "html")) {
        ekg_doc *d = NULL;
        st = read_html(kb, path, bytes, len, o, sink, &d);
        if (st == EKG_OK) st = push_doc(docs, n, d);
    } else if (!strcmp(fmt, "xml")) {
        st = read_xml(kb, path, bytes, len, o, sink, docs, n);
    } else if (!strcmp(fmt, "text") || !strcmp(fmt, "markdown")) {
        size_t ul = 0;
        char *u = ekg_read_to_utf8(bytes, len, NULL, &ul);
        if (!u) return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_NOMEM, path, 0, "cannot decode the text");
        if (memchr(u, 0, ul)) {
            free(u);
            return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_PARSE, path, 0,
                              "binary data (NUL bytes): not a text document");
        }
        ekg_doc *d = NULL;
        st = !strcmp(fmt, "text") ? read_text(kb, path, u, ul, len, o, &d)
                                  : read_markdown(kb, path, u, ul, len, o, &d);
        free(u);
        if (st == EKG_OK) st = push_doc(docs, n, d);
    } else {
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, path, 0, "unknown format '%s'", fmt);
    }
    if (st != EKG_OK) {
        ekg_docs_free(*docs, *n);
        *docs = NULL;
        *n = 0;
    }
    return st;
}

ekg_status ekg_read_file(const ekg_kb *kb, const char *path, const ekg_read_opts *o,
                         const ekg_sink *sink, ekg_doc ***docs, size_t *n)
{
    *docs = NULL;
    *n = 0;
    /* Only regular files: opening a FIFO or a device would wait, or read
     * forever. */
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, path, 0,
                          S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    xbuf b = {0};
    char chunk[65536];
    size_t r;
    ekg_status st = EKG_OK;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.n + r > EKG_READ_MAX) {
            st = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_LIMIT, path, 0, "file too large");
            goto cleanup;
        }
        if (xbuf_add(&b, chunk, r)) {
            st = EKG_ERR_NOMEM;
            goto cleanup;
        }
    }
    if (ferror(f)) {
        st = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, path, 0, "read error: %s", strerror(errno));
        goto cleanup;
    }
    char abs[PATH_MAX];
    const char *name = path;
    if (strcmp(path, "-") != 0 && realpath(path, abs)) name = abs;
    st = ekg_read_buffer(kb, name, b.p ? b.p : "", b.n, o, sink, docs, n);
cleanup:
    if (f != stdin) fclose(f);
    free(b.p);
    return st;
}
