/* export.c — streaming RDF export through serd (and raptor for RDF/XML). */
#include "ekg/export.h"

#include "ekg/triples.h"

#include <raptor2.h>
#include <serd/serd.h>
#include <stdlib.h>
#include <string.h>

ekg_status ekg_export_format_parse(const char *name, ekg_export_format *out)
{
    static const struct {
        const char *name;
        ekg_export_format f;
    } names[] = {{"turtle", EKG_EXPORT_TURTLE},   {"ttl", EKG_EXPORT_TURTLE},
                 {"ntriples", EKG_EXPORT_NTRIPLES}, {"nt", EKG_EXPORT_NTRIPLES},
                 {"nquads", EKG_EXPORT_NQUADS},   {"nq", EKG_EXPORT_NQUADS},
                 {"trig", EKG_EXPORT_TRIG},       {"rdfxml", EKG_EXPORT_RDFXML},
                 {"xml", EKG_EXPORT_RDFXML},      {"dot", EKG_EXPORT_DOT}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return EKG_OK;
        }
    return EKG_ERR_ARG;
}

static const char *const PREFIXES[][2] = {
    {"ekg", EKG_NS},   {"ekgid", EKG_ID}, {"skos", EKG_SKOS}, {"dcterms", EKG_DCT},
    {"xsd", EKG_XSD},  {"rdf", EKG_RDF},  {"rdfs", EKG_RDFS}, {"owl", EKG_OWL},
    {"prov", EKG_PROV}};

/* ---- collecting one graph ---------------------------------------------- */

static int collect_cb(void *ctx, const ekg_triple *t, const char *g)
{
    (void)g;
    return ekg_triples_add_triple(ctx, t) != EKG_OK;
}

static const ekg_triples *sort_base;
static int cmp_idx(const void *a, const void *b)
{
    const ekg_triple *x = ekg_triples_at(sort_base, *(const size_t *)a);
    const ekg_triple *y = ekg_triples_at(sort_base, *(const size_t *)b);
    int c = (int)x->s.kind - (int)y->s.kind;
    if (!c) c = strcmp(x->s.value, y->s.value);
    if (!c) {
        /* rdf:type first reads best in Turtle */
        int tx = strcmp(x->p.value, EKG_RDF_TYPE) == 0, ty = strcmp(y->p.value, EKG_RDF_TYPE) == 0;
        c = ty - tx;
    }
    if (!c) c = strcmp(x->p.value, y->p.value);
    if (!c) c = (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
    return c;
}

/* ---- serd --------------------------------------------------------------- */

typedef struct {
    SerdWriter *w;
    SerdEnv *env;
    ekg_export_format fmt;
    size_t n;
    const ekg_sink *sink;
} serd_out;

static SerdNode snode(const ekg_term *t)
{
    switch (t->kind) {
    case EKG_TERM_IRI: return serd_node_from_string(SERD_URI, (const uint8_t *)t->value);
    case EKG_TERM_BLANK: return serd_node_from_string(SERD_BLANK, (const uint8_t *)t->value);
    case EKG_TERM_LITERAL: return serd_node_from_string(SERD_LITERAL, (const uint8_t *)t->value);
    default: return SERD_NODE_NULL;
    }
}

static ekg_status serd_write(serd_out *so, const ekg_triple *t, const char *graph)
{
    SerdNode s = snode(&t->s), p = snode(&t->p), o = snode(&t->o);
    SerdNode dt = SERD_NODE_NULL, lang = SERD_NODE_NULL;
    SerdNode g = graph ? serd_node_from_string(SERD_URI, (const uint8_t *)graph) : SERD_NODE_NULL;
    if (t->o.kind == EKG_TERM_LITERAL) {
        if (t->o.lang)
            lang = serd_node_from_string(SERD_LITERAL, (const uint8_t *)t->o.lang);
        else if (t->o.datatype && strcmp(t->o.datatype, EKG_XSD "string") != 0)
            dt = serd_node_from_string(SERD_URI, (const uint8_t *)t->o.datatype);
    }
    SerdStatus r = serd_writer_write_statement(so->w, 0, graph ? &g : NULL, &s, &p, &o,
                                               dt.buf ? &dt : NULL, lang.buf ? &lang : NULL);
    if (r) return ekg_report(so->sink, EKG_LOG_ERROR, EKG_ERR_IO, "export", 0,
                             "cannot write a statement: %s", serd_strerror(r));
    so->n++;
    return EKG_OK;
}

static ekg_status write_graph_serd(ekg_store *st, serd_out *so, const char *graph)
{
    ekg_triples *ts = ekg_triples_new();
    size_t *idx = NULL;
    ekg_status rc = EKG_OK;
    if (!ts) return EKG_ERR_NOMEM;
    EKG_TRY(rc, ekg_store_match(st, NULL, NULL, NULL, graph, collect_cb, ts));
    size_t n = ekg_triples_count(ts);
    idx = malloc((n + 1) * sizeof *idx);
    if (!idx) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) idx[i] = i;
    sort_base = ts;
    qsort(idx, n, sizeof *idx, cmp_idx);
    int quads = so->fmt == EKG_EXPORT_NQUADS || so->fmt == EKG_EXPORT_TRIG;
    for (size_t i = 0; i < n && rc == EKG_OK; i++)
        rc = serd_write(so, ekg_triples_at(ts, idx[i]), quads ? graph : NULL);
cleanup:
    free(idx);
    ekg_triples_free(ts);
    return rc;
}

/* ---- graphs ------------------------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
    int with_ontology;
} graph_list;

static int graph_cb(void *ctx, const ekg_term *t)
{
    graph_list *gl = ctx;
    if (t->kind != EKG_TERM_IRI) return 0;
    if (!gl->with_ontology && strcmp(t->value, EKG_ONTOLOGY_GRAPH) == 0) return 0;
    if (gl->n == gl->cap) {
        size_t cap = gl->cap ? gl->cap * 2 : 64;
        char **v = realloc(gl->v, cap * sizeof *v);
        if (!v) return 1;
        gl->v = v;
        gl->cap = cap;
    }
    gl->v[gl->n] = strdup(t->value);
    if (!gl->v[gl->n]) return 1;
    gl->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ekg_status list_graphs(ekg_store *st, const ekg_export_opts *o, graph_list *gl)
{
    memset(gl, 0, sizeof *gl);
    gl->with_ontology = o->with_ontology;
    if (o->graph) return graph_cb(gl, &(ekg_term){EKG_TERM_IRI, o->graph, NULL, NULL})
                             ? EKG_ERR_NOMEM : EKG_OK;
    ekg_status rc = ekg_store_graphs(st, graph_cb, gl);
    /* Sorted: the same store exports the same bytes. */
    if (gl->n) qsort(gl->v, gl->n, sizeof *gl->v, cmp_str);
    return rc;
}

static void free_graphs(graph_list *gl)
{
    for (size_t i = 0; i < gl->n; i++) free(gl->v[i]);
    free(gl->v);
}

static SerdStatus serd_err(void *h, const SerdError *e)
{
    serd_out *so = h;
    char msg[512];
    vsnprintf(msg, sizeof msg, e->fmt, *e->args);
    ekg_report(so->sink, EKG_LOG_ERROR, EKG_ERR_IO, "export", 0, "%s", msg);
    return SERD_SUCCESS;
}

static ekg_status export_serd(ekg_store *st, const ekg_export_opts *o, FILE *out,
                              const ekg_sink *sink, size_t *count)
{
    SerdSyntax syn = o->format == EKG_EXPORT_TURTLE   ? SERD_TURTLE
                     : o->format == EKG_EXPORT_TRIG   ? SERD_TRIG
                     : o->format == EKG_EXPORT_NQUADS ? SERD_NQUADS
                                                      : SERD_NTRIPLES;
    int pretty = syn == SERD_TURTLE || syn == SERD_TRIG;
    serd_out so = {NULL, serd_env_new(NULL), o->format, 0, sink};
    graph_list gl;
    ekg_status rc = EKG_OK;
    if (!so.env) return EKG_ERR_NOMEM;
    so.w = serd_writer_new(syn, pretty ? (SerdStyle)(SERD_STYLE_ABBREVIATED | SERD_STYLE_CURIED)
                                       : (SerdStyle)0,
                           so.env, NULL, serd_file_sink, out);
    if (!so.w) {
        serd_env_free(so.env);
        return EKG_ERR_NOMEM;
    }
    serd_writer_set_error_sink(so.w, serd_err, &so);
    if (pretty)
        for (size_t i = 0; i < sizeof PREFIXES / sizeof PREFIXES[0]; i++) {
            SerdNode name = serd_node_from_string(SERD_LITERAL, (const uint8_t *)PREFIXES[i][0]);
            SerdNode uri = serd_node_from_string(SERD_URI, (const uint8_t *)PREFIXES[i][1]);
            serd_writer_set_prefix(so.w, &name, &uri);
        }
    EKG_TRY(rc, list_graphs(st, o, &gl));
    for (size_t i = 0; i < gl.n && rc == EKG_OK; i++) rc = write_graph_serd(st, &so, gl.v[i]);
    free_graphs(&gl);
cleanup:
    serd_writer_finish(so.w);
    serd_writer_free(so.w);
    serd_env_free(so.env);
    if (count) *count = so.n;
    if (rc == EKG_OK && (fflush(out) != 0 || ferror(out)))
        rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, "export", 0, "cannot write the output");
    return rc;
}

/* ---- RDF/XML through raptor -------------------------------------------- */

typedef struct {
    raptor_world *rw;
    raptor_serializer *ser;
    size_t n;
} rx_out;

static raptor_term *rterm(raptor_world *rw, const ekg_term *t)
{
    switch (t->kind) {
    case EKG_TERM_IRI: return raptor_new_term_from_uri_string(rw, (const unsigned char *)t->value);
    case EKG_TERM_BLANK:
        return raptor_new_term_from_blank(rw, (const unsigned char *)t->value);
    case EKG_TERM_LITERAL: {
        raptor_uri *dt = (!t->lang && t->datatype)
                             ? raptor_new_uri(rw, (const unsigned char *)t->datatype)
                             : NULL;
        raptor_term *r = raptor_new_term_from_literal(rw, (const unsigned char *)t->value, dt,
                                                      (const unsigned char *)t->lang);
        if (dt) raptor_free_uri(dt);
        return r;
    }
    default: return NULL;
    }
}

static int rx_cb(void *ctx, const ekg_triple *t, const char *g)
{
    (void)g;
    rx_out *rx = ctx;
    raptor_statement *s = raptor_new_statement_from_nodes(
        rx->rw, rterm(rx->rw, &t->s), rterm(rx->rw, &t->p), rterm(rx->rw, &t->o), NULL);
    if (!s) return 1;
    raptor_serializer_serialize_statement(rx->ser, s);
    raptor_free_statement(s);
    rx->n++;
    return 0;
}

static ekg_status export_rdfxml(ekg_store *st, const ekg_export_opts *o, FILE *out,
                                const ekg_sink *sink, size_t *count)
{
    rx_out rx = {raptor_new_world(), NULL, 0};
    ekg_status rc = EKG_OK;
    graph_list gl = {0};
    if (!rx.rw) return EKG_ERR_NOMEM;
    rx.ser = raptor_new_serializer(rx.rw, "rdfxml-abbrev");
    if (!rx.ser) {
        rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_UNSUPPORTED, "export", 0,
                        "raptor has no RDF/XML serialiser");
        goto cleanup;
    }
    for (size_t i = 0; i < sizeof PREFIXES / sizeof PREFIXES[0]; i++) {
        raptor_uri *u = raptor_new_uri(rx.rw, (const unsigned char *)PREFIXES[i][1]);
        raptor_serializer_set_namespace(rx.ser, u, (const unsigned char *)PREFIXES[i][0]);
        raptor_free_uri(u);
    }
    raptor_serializer_start_to_file_handle(rx.ser, NULL, out);
    EKG_TRY(rc, list_graphs(st, o, &gl));
    for (size_t i = 0; i < gl.n && rc == EKG_OK; i++)
        rc = ekg_store_match(st, NULL, NULL, NULL, gl.v[i], rx_cb, &rx);
    raptor_serializer_serialize_end(rx.ser);
cleanup:
    free_graphs(&gl);
    if (rx.ser) raptor_free_serializer(rx.ser);
    raptor_free_world(rx.rw);
    if (count) *count = rx.n;
    return rc;
}

/* ---- dot: actors linked by events -------------------------------------- */

typedef struct {
    FILE *out;
    size_t n;
} dot_out;

static void dot_id(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static const char *local(const char *iri)
{
    const char *h = strrchr(iri, '#'), *s = strrchr(iri, '/');
    const char *p = h > s ? h : s;
    return p ? p + 1 : iri;
}

static int dot_row(void *ctx, const ekg_row *r)
{
    dot_out *d = ctx;
    if (r->ncols < 4 || r->values[0].kind == EKG_TERM_NONE || r->values[2].kind == EKG_TERM_NONE)
        return 0;
    const char *a = r->values[1].kind ? r->values[1].value : local(r->values[0].value);
    const char *b = r->values[3].kind ? r->values[3].value : local(r->values[2].value);
    fputs("  ", d->out);
    dot_id(d->out, a);
    fputs(" -> ", d->out);
    dot_id(d->out, b);
    fputs(" [label=", d->out);
    dot_id(d->out, r->ncols > 4 && r->values[4].kind ? local(r->values[4].value) : "event");
    fputs("];\n", d->out);
    d->n++;
    return 0;
}

static ekg_status export_dot(ekg_store *st, FILE *out, size_t *count)
{
    /* One edge per (side, other side) of a meeting and per (agent, target) of
     * a stance or act, labelled with the event's class. */
    static const char *q =
        "SELECT ?a ?al ?b ?bl ?c WHERE {"
        " { ?e ekg:participant ?a . ?e ekg:participant ?b . FILTER(STR(?a) < STR(?b)) }"
        " UNION { ?e ekg:agent ?a . ?e ekg:target ?b }"
        " ?e a ?c ."
        " OPTIONAL { ?a skos:prefLabel ?al . FILTER(LANG(?al) = \"en\") }"
        " OPTIONAL { ?b skos:prefLabel ?bl . FILTER(LANG(?bl) = \"en\") } }";
    dot_out d = {out, 0};
    fputs("digraph ekg {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n", out);
    ekg_status rc = ekg_store_sparql(st, q, dot_row, NULL, &d);
    fputs("}\n", out);
    if (count) *count = d.n;
    return rc;
}

ekg_status ekg_export(ekg_store *st, const ekg_export_opts *opts, FILE *out,
                      const ekg_sink *sink, size_t *ntriples)
{
    switch (opts->format) {
    case EKG_EXPORT_RDFXML: return export_rdfxml(st, opts, out, sink, ntriples);
    case EKG_EXPORT_DOT: return export_dot(st, out, ntriples);
    default: return export_serd(st, opts, out, sink, ntriples);
    }
}
