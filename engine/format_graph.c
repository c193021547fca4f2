/* format_graph.c — the graph formats: turtle (the triples behind a result),
 * dot (actors linked by events), svg (Graphviz's rendering of the dot, or —
 * for a timeline — a time axis drawn here directly). */
#include "ekg/format.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
    const char *prefix, *ns;
} PREFIXES[] = {{"ekg", EKG_NS},   {"ekgid", EKG_ID}, {"rdf", EKG_RDF}, {"rdfs", EKG_RDFS},
                {"xsd", EKG_XSD},  {"skos", EKG_SKOS}, {"dcterms", EKG_DCT}};

/* A prefixed name when the rest is a safe local name, else <iri>. */
static void ttl_iri(const char *iri, FILE *out)
{
    for (size_t i = 0; i < sizeof PREFIXES / sizeof *PREFIXES; i++) {
        size_t n = strlen(PREFIXES[i].ns);
        if (strncmp(iri, PREFIXES[i].ns, n) != 0 || !iri[n]) continue;
        const char *l = iri + n;
        bool ok = true;
        for (const char *p = l; *p && ok; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || (*p == '-' && p != l);
        if (!ok) continue;
        fprintf(out, "%s:%s", PREFIXES[i].prefix, l);
        return;
    }
    ekg_term t = ekg_iri(iri);
    ekg_term_write_nt(&t, out);
}

static void ttl_term(const ekg_term *t, FILE *out)
{
    if (t->kind == EKG_TERM_IRI)
        ttl_iri(t->value, out);
    else
        ekg_term_write_nt(t, out);
}

static int cmp_str0(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_triple(const void *x, const void *y)
{
    const ekg_triple *a = *(const ekg_triple *const *)x, *b = *(const ekg_triple *const *)y;
    int d = cmp_str0(a->s.value, b->s.value);
    if (d) return d;
    bool ta = !strcmp(a->p.value, EKG_RDF_TYPE), tb = !strcmp(b->p.value, EKG_RDF_TYPE);
    if (ta != tb) return ta ? -1 : 1;
    if ((d = cmp_str0(a->p.value, b->p.value))) return d;
    if ((d = cmp_str0(a->o.value, b->o.value))) return d;
    if ((d = cmp_str0(a->o.lang, b->o.lang))) return d;
    return cmp_str0(a->o.datatype, b->o.datatype);
}

ekg_status ekg_format_turtle(const ekg_result *r, FILE *out)
{
    for (size_t i = 0; i < sizeof PREFIXES / sizeof *PREFIXES; i++)
        fprintf(out, "@prefix %s: <%s> .\n", PREFIXES[i].prefix, PREFIXES[i].ns);
    if (!r->triples || !ekg_triples_count(r->triples)) {
        /* A CONSTRUCT result comes as subject/predicate/object rows. */
        if (r->ncols == 3 && !strcmp(r->cols[0], "subject") && !strcmp(r->cols[1], "predicate")) {
            for (size_t i = 0; i < r->nrows; i++) {
                for (int c = 0; c < 3; c++) {
                    const ekg_cell *x = ekg_result_cell(r, i, (size_t)c);
                    ekg_term t = x->kind == EKG_TERM_IRI ? ekg_iri(x->value)
                                 : x->kind == EKG_TERM_BLANK ? ekg_blank(x->value)
                                                             : ekg_literal(x->value ? x->value : x->text, NULL);
                    ttl_term(&t, out);
                    fputs(c < 2 ? " " : " .\n", out);
                }
            }
        } else
            fprintf(out, "# no triples behind this result (%zu rows)\n", r->nrows);
        return EKG_OK;
    }
    size_t n = ekg_triples_count(r->triples);
    const ekg_triple *data = ekg_triples_data(r->triples);
    /* Sorted by subject, then rdf:type first, then predicate and object:
     * the same result always gives the same text. */
    const ekg_triple **t = malloc(n * sizeof *t);
    if (!t) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) t[i] = &data[i];
    qsort(t, n, sizeof *t, cmp_triple);
    /* Group by subject (insertion order keeps an event's triples together). */
    for (size_t i = 0; i < n; i++) {
        bool same = i > 0 && ekg_term_equal(&t[i]->s, &t[i - 1]->s);
        if (same)
            fputs(" ;\n    ", out);
        else {
            if (i) fputs(" .\n", out);
            ttl_term(&t[i]->s, out);
            fputc(' ', out);
        }
        if (!strcmp(t[i]->p.value, EKG_RDF_TYPE))
            fputc('a', out);
        else
            ttl_term(&t[i]->p, out);
        fputc(' ', out);
        ttl_term(&t[i]->o, out);
    }
    if (n) fputs(" .\n", out);
    free(t);
    return EKG_OK;
}

static void dot_string(const char *s, FILE *out)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
    }
    fputc('"', out);
}

static int cmp_edge(const void *x, const void *y)
{
    const ekg_edge *a = *(const ekg_edge *const *)x, *b = *(const ekg_edge *const *)y;
    int d = strcmp(a->from, b->from);
    if (!d) d = strcmp(a->to, b->to);
    if (!d) d = strcmp(a->label, b->label);
    return d;
}

static int cmp_node(const void *x, const void *y)
{
    return strcmp(**(const char *const *const *)x, **(const char *const *const *)y);
}

/* Nodes and edges sorted by IRI: the same result gives the same text
 * whichever plan produced it. */
ekg_status ekg_format_dot(const ekg_result *r, FILE *out)
{
    const ekg_edge **e = malloc((r->nedges + 1) * sizeof *e);
    const char *const **nodes = malloc((2 * r->nedges + 1) * sizeof *nodes);
    if (!e || !nodes) {
        free(e);
        free(nodes);
        return EKG_ERR_NOMEM;
    }
    size_t nn = 0;
    for (size_t i = 0; i < r->nedges; i++) {
        e[i] = &r->edges[i];
        nodes[nn++] = (const char *const *)&r->edges[i].from;
        nodes[nn++] = (const char *const *)&r->edges[i].to;
    }
    qsort(e, r->nedges, sizeof *e, cmp_edge);
    qsort(nodes, nn, sizeof *nodes, cmp_node);
    fputs("digraph ekg {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
          "  edge [fontname=\"Helvetica\", fontsize=10];\n",
          out);
    for (size_t i = 0; i < nn; i++) {
        if (i && !strcmp(*nodes[i], *nodes[i - 1])) continue;
        /* The label sits next to the IRI in ekg_edge (from_label after from,
         * to_label after to). */
        const char *const *lab = nodes[i] + 1;
        fputs("  ", out);
        dot_string(*nodes[i], out);
        fputs(" [label=", out);
        dot_string(*lab, out);
        fputs("];\n", out);
    }
    for (size_t i = 0; i < r->nedges; i++) {
        fputs("  ", out);
        dot_string(e[i]->from, out);
        fputs(" -> ", out);
        dot_string(e[i]->to, out);
        fputs(" [label=", out);
        dot_string(e[i]->label, out);
        fputs("];\n", out);
    }
    fputs("}\n", out);
    free(e);
    free(nodes);
    return EKG_OK;
}

static void xml_text(const char *s, FILE *out)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* Days since year 0, roughly, from YYYY[-MM[-DD]] (the middle of a month
 * or year when the date is not precise). */
static double day_of(const char *d)
{
    int y = 0, m = 0, dd = 0;
    int k = sscanf(d, "%d-%d-%d", &y, &m, &dd);
    if (k < 1) return -1;
    double v = y * 365.25;
    v += k >= 2 ? (m - 1) * 30.44 : 182;
    v += k >= 3 ? dd - 1 : (k >= 2 ? 15 : 0);
    return v;
}

static ekg_status svg_timeline(const ekg_result *r, FILE *out)
{
    int dc = r->date_col >= 0 ? r->date_col : 0;
    double lo = 1e18, hi = -1e18;
    for (size_t i = 0; i < r->nrows; i++) {
        double d = day_of(ekg_result_cell(r, i, (size_t)dc)->text);
        if (d < 0) continue;
        if (d < lo) lo = d;
        if (d > hi) hi = d;
    }
    if (lo > hi) lo = hi = 0;
    if (hi - lo < 30) hi = lo + 30;
    const double W = 1000, left = 60, right = 60, axis_y = 60, row_h = 22;
    double H = axis_y + 40 + row_h * (double)r->nrows;
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n",
            W, H, left, axis_y, W - right, axis_y);
    /* Year ticks. */
    int y0 = (int)(lo / 365.25), y1 = (int)(hi / 365.25) + 1;
    for (int y = y0; y <= y1; y++) {
        double x = left + (y * 365.25 - lo) / (hi - lo) * (W - left - right);
        if (x < left || x > W - right) continue;
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"black\"/>"
                "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%d</text>\n",
                x, axis_y - 5, x, axis_y + 5, x, axis_y - 10, y);
    }
    for (size_t i = 0; i < r->nrows; i++) {
        const char *date = ekg_result_cell(r, i, (size_t)dc)->text;
        double d = day_of(date);
        if (d < 0) continue;
        double x = left + (d - lo) / (hi - lo) * (W - left - right);
        double y = axis_y + 30 + row_h * (double)i;
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" "
                "stroke-dasharray=\"2,2\"/>\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#3465a4\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\">",
                x, axis_y, x, y, x, y, x + 9, y + 4);
        xml_text(date, out);
        for (size_t c = 0; c < r->ncols && c < 4; c++) {
            if ((int)c == dc) continue;
            const char *t = ekg_result_cell(r, i, c)->text;
            if (!*t) continue;
            fputs(" · ", out);
            xml_text(t, out);
        }
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
    return EKG_OK;
}

ekg_status ekg_format_svg(const ekg_result *r, FILE *out)
{
    if (r->kind == EKG_RESULT_TIMELINE) return svg_timeline(r, out);
    char path[] = "/tmp/ekg-dot-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return EKG_ERR_IO;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return EKG_ERR_IO;
    }
    ekg_format_dot(r, f);
    fclose(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    ekg_status st = EKG_OK;
    if (!p)
        st = EKG_ERR_UNSUPPORTED;
    else {
        char buf[8192];
        size_t n, total = 0;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
            fwrite(buf, 1, n, out);
            total += n;
        }
        int rc = pclose(p);
        if (rc != 0 || total == 0) st = EKG_ERR_UNSUPPORTED; /* Graphviz missing or failed */
    }
    unlink(path);
    return st;
}
