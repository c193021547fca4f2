/* format.c — the formatter table and the tabular formats (table, csv, tsv,
 * json). The graph formats (turtle, dot, svg) are in format_graph.c. */
#include "ekg/format.h"

#include "ekg/json.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TABLE_MAX_WIDTH 60

/* Display width: code points (good enough for the scripts we show). */
static size_t width(const char *s, size_t bytes)
{
    size_t w = 0;
    for (size_t i = 0; i < bytes && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    return w;
}

/* Bytes of the first `w` code points of s. */
static size_t prefix_bytes(const char *s, size_t w)
{
    size_t i = 0, n = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (n == w) break;
            n++;
        }
        i++;
    }
    return i;
}

static void put_cell_text(const char *t, size_t maxw, FILE *out, size_t *shown)
{
    size_t w = width(t, (size_t)-1);
    size_t b = w > maxw ? prefix_bytes(t, maxw - 1) : strlen(t);
    for (size_t i = 0; i < b; i++) fputc(t[i] == '\n' || t[i] == '\t' ? ' ' : t[i], out);
    if (w > maxw) fputs("…", out);
    *shown = w > maxw ? maxw : w;
}

static void footer(const ekg_result *r, FILE *out)
{
    if (r->nrows == 0)
        fprintf(out, "(%s)\n", r->note ? r->note : "no rows");
    else
        fprintf(out, "(%zu row%s)\n", r->nrows, r->nrows == 1 ? "" : "s");
}

static ekg_status write_table(const ekg_result *r, FILE *out)
{
    if (r->ncols == 0 || r->nrows == 0) {
        footer(r, out);
        return EKG_OK;
    }
    size_t *w = calloc(r->ncols, sizeof *w);
    if (!w) return EKG_ERR_NOMEM;
    for (size_t c = 0; c < r->ncols; c++) {
        w[c] = width(r->cols[c], (size_t)-1);
        for (size_t i = 0; i < r->nrows; i++) {
            size_t k = width(ekg_result_cell(r, i, c)->text, (size_t)-1);
            if (k > w[c]) w[c] = k;
        }
        if (w[c] > TABLE_MAX_WIDTH) w[c] = TABLE_MAX_WIDTH;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t c = 0; c < r->ncols; c++) {
            size_t shown;
            if (pass == 0) {
                put_cell_text(r->cols[c], w[c], out, &shown);
                if (c + 1 < r->ncols)
                    for (size_t k = shown; k < w[c] + 2; k++) fputc(' ', out);
            } else {
                for (size_t k = 0; k < w[c]; k++) fputc('-', out);
                if (c + 1 < r->ncols) fputs("  ", out);
            }
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            size_t shown;
            put_cell_text(ekg_result_cell(r, i, c)->text, w[c], out, &shown);
            if (c + 1 < r->ncols)
                for (size_t k = shown; k < w[c] + 2; k++) fputc(' ', out);
        }
        fputc('\n', out);
    }
    footer(r, out);
    free(w);
    return EKG_OK;
}

static void csv_field(const char *s, FILE *out)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static ekg_status write_csv(const ekg_result *r, FILE *out)
{
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) fputc(',', out);
        csv_field(r->cols[c], out);
    }
    if (r->ncols) fputs("\r\n", out);
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            if (c) fputc(',', out);
            csv_field(ekg_result_cell(r, i, c)->text, out);
        }
        fputs("\r\n", out);
    }
    return EKG_OK;
}

static void tsv_field(const char *s, FILE *out)
{
    for (; *s; s++) fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static ekg_status write_tsv(const ekg_result *r, FILE *out)
{
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) fputc('\t', out);
        tsv_field(r->cols[c], out);
    }
    if (r->ncols) fputc('\n', out);
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            if (c) fputc('\t', out);
            tsv_field(ekg_result_cell(r, i, c)->text, out);
        }
        fputc('\n', out);
    }
    return EKG_OK;
}


static ekg_status write_json(const ekg_result *r, FILE *out)
{
    fputs("{\"columns\":[", out);
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) fputc(',', out);
        ekg_json_write_string(r->cols[c], out);
    }
    fputs("],\"rows\":[", out);
    for (size_t i = 0; i < r->nrows; i++) {
        fputs(i ? ",\n {" : "\n {", out);
        for (size_t c = 0; c < r->ncols; c++) {
            const ekg_cell *x = ekg_result_cell(r, i, c);
            if (c) fputc(',', out);
            ekg_json_write_string(r->cols[c], out);
            fputc(':', out);
            if (x->kind == EKG_TERM_IRI && x->value) {
                fputs("{\"label\":", out);
                ekg_json_write_string(x->text, out);
                fputs(",\"iri\":", out);
                ekg_json_write_string(x->value, out);
                fputc('}', out);
            } else if (x->kind == EKG_TERM_NONE && !x->value && !*x->text)
                fputs("null", out);
            else
                ekg_json_write_string(x->text, out);
        }
        fputc('}', out);
    }
    fprintf(out, "%s],\"count\":%zu", r->nrows ? "\n" : "", r->nrows);
    if (!r->nrows && r->note) {
        fputs(",\"note\":", out);
        ekg_json_write_string(r->note, out);
    }
    fputs("}\n", out);
    return EKG_OK;
}

static const ekg_format FORMATS[] = {
    {"table", "aligned columns with a row count (the default on a terminal)", write_table},
    {"csv", "comma-separated values, RFC 4180", write_csv},
    {"tsv", "tab-separated values (the default when piped)", write_tsv},
    {"json", "{columns, rows, count}; IRIs beside labels", write_json},
    {"turtle", "the triples behind the rows, as Turtle", ekg_format_turtle},
    {"dot", "Graphviz: actors linked by events", ekg_format_dot},
    {"svg", "SVG: the dot graph through Graphviz, or a timeline's time axis", ekg_format_svg},
};

const ekg_format *ekg_format_find(const char *name)
{
    for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++)
        if (strcasecmp(FORMATS[i].name, name) == 0) return &FORMATS[i];
    return NULL;
}

const ekg_format *ekg_format_all(size_t *n)
{
    *n = sizeof FORMATS / sizeof *FORMATS;
    return FORMATS;
}
