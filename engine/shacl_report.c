/* shacl_report.c — the validation report: storage and the three renderings
 * (text for people, JSON for programs, Turtle = the W3C sh:ValidationReport). */
#include "ekg/shacl.h"

#include "ekg/json.h"
#include <stdlib.h>
#include <string.h>

struct ekg_shacl_report {
    ekg_shacl_result *res;
    size_t n, cap;
    ekg_triples *arena; /* owns all strings, and the triples of blank paths */
};

ekg_shacl_report *ekg_shacl_report_new(void)
{
    ekg_shacl_report *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->arena = ekg_triples_new();
    if (!r->arena) {
        free(r);
        return NULL;
    }
    return r;
}

void ekg_shacl_report_free(ekg_shacl_report *r)
{
    if (!r) return;
    free(r->res);
    ekg_triples_free(r->arena);
    free(r);
}

bool ekg_shacl_report_conforms(const ekg_shacl_report *r) { return !r || r->n == 0; }
size_t ekg_shacl_report_count(const ekg_shacl_report *r) { return r ? r->n : 0; }

size_t ekg_shacl_report_count_level(const ekg_shacl_report *r, ekg_severity lvl)
{
    size_t c = 0;
    for (size_t i = 0; r && i < r->n; i++)
        if (r->res[i].level == lvl) c++;
    return c;
}

const ekg_shacl_result *ekg_shacl_report_at(const ekg_shacl_report *r, size_t i)
{
    return (r && i < r->n) ? &r->res[i] : NULL;
}

const ekg_triples *ekg_shacl_report_graph(const ekg_shacl_report *r)
{
    return r ? r->arena : NULL;
}

ekg_status ekg_shacl_report_add_triple(ekg_shacl_report *r, const ekg_triple *t)
{
    if (!r || !t) return EKG_ERR_ARG;
    return ekg_triples_add_triple(r->arena, t);
}

const char *ekg_shacl_report_intern(ekg_shacl_report *r, const char *s)
{
    return s ? ekg_triples_intern(r->arena, s) : NULL;
}

static int copy_term(ekg_shacl_report *r, ekg_term *dst, const ekg_term *src)
{
    *dst = *src;
    if (src->kind == EKG_TERM_NONE) {
        *dst = (ekg_term){EKG_TERM_NONE, NULL, NULL, NULL};
        return 0;
    }
    if (src->value && !(dst->value = ekg_triples_intern(r->arena, src->value))) return -1;
    if (src->lang && !(dst->lang = ekg_triples_intern(r->arena, src->lang))) return -1;
    if (src->datatype && !(dst->datatype = ekg_triples_intern(r->arena, src->datatype)))
        return -1;
    return 0;
}

static int copy_str(ekg_shacl_report *r, const char **dst, const char *src)
{
    *dst = NULL;
    if (!src) return 0;
    *dst = ekg_triples_intern(r->arena, src);
    return *dst ? 0 : -1;
}

ekg_status ekg_shacl_report_add(ekg_shacl_report *r, const ekg_shacl_result *in)
{
    if (!r || !in) return EKG_ERR_ARG;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        ekg_shacl_result *nr = realloc(r->res, nc * sizeof *nr);
        if (!nr) return EKG_ERR_NOMEM;
        r->res = nr;
        r->cap = nc;
    }
    ekg_shacl_result *o = &r->res[r->n];
    o->level = in->level;
    if (copy_str(r, &o->check, in->check ? in->check : "shacl") ||
        copy_term(r, &o->focus, &in->focus) || copy_term(r, &o->path, &in->path) ||
        copy_str(r, &o->path_text, in->path_text) || copy_term(r, &o->value, &in->value) ||
        copy_term(r, &o->severity, &in->severity) ||
        copy_term(r, &o->component, &in->component) || copy_term(r, &o->shape, &in->shape) ||
        copy_str(r, &o->message, in->message) || copy_str(r, &o->message_lang, in->message_lang) ||
        copy_str(r, &o->source, in->source) || copy_str(r, &o->related, in->related))
        return EKG_ERR_NOMEM;
    r->n++;
    return EKG_OK;
}

ekg_status ekg_shacl_report_set_source(ekg_shacl_report *r, size_t i, const char *source)
{
    if (!r || i >= r->n) return EKG_ERR_ARG;
    return copy_str(r, &r->res[i].source, source) ? EKG_ERR_NOMEM : EKG_OK;
}

ekg_status ekg_shacl_format_parse(const char *name, ekg_report_format *out)
{
    static const struct {
        const char *name;
        ekg_report_format fmt;
    } formats[] = {{"text", EKG_REPORT_TEXT}, {"json", EKG_REPORT_JSON},
                   {"turtle", EKG_REPORT_TURTLE}, {"ttl", EKG_REPORT_TURTLE}};
    for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(name, formats[i].name)) {
            *out = formats[i].fmt;
            return EKG_OK;
        }
    return EKG_ERR_ARG;
}

/* ---- shared helpers ----------------------------------------------------- */

static const char *sev_name(ekg_severity s)
{
    static const char *names[] = {"violation", "warning", "info", "other"};
    return names[s <= EKG_SEV_OTHER ? s : EKG_SEV_OTHER];
}

/* The local name after '#' or the last '/'. */
static const char *local_name(const char *iri)
{
    const char *h = strrchr(iri, '#');
    if (h && h[1]) return h + 1;
    const char *s = strrchr(iri, '/');
    return (s && s[1]) ? s + 1 : iri;
}


/* Blank node ids of the store are not stable across runs (librdf mints
 * them); reports name them _:b1, _:b2 … in order of first appearance. */
typedef struct {
    const char **ids;
    size_t n, cap;
} blank_map;

static size_t blank_index(blank_map *m, const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->ids[i], id)) return i + 1;
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 16;
        const char **n = realloc(m->ids, nc * sizeof *n);
        if (!n) return 0;
        m->ids = n;
        m->cap = nc;
    }
    m->ids[m->n++] = id;
    return m->n;
}

/* A term in N-Triples/Turtle syntax; xsd:string literals lose their datatype. */
static void write_term_b(FILE *out, const ekg_term *t, blank_map *m)
{
    if (t->kind == EKG_TERM_BLANK && m) {
        fprintf(out, "_:b%zu", blank_index(m, t->value));
        return;
    }
    ekg_term c = *t;
    if (c.kind == EKG_TERM_LITERAL && c.datatype && !strcmp(c.datatype, EKG_XSD "string"))
        c.datatype = NULL;
    ekg_term_write_nt(&c, out);
}

/* ---- text ---------------------------------------------------------------- */

static const char *show(const ekg_term *t, ekg_label_fn label, void *ctx, char *buf, size_t n)
{
    if (t->kind == EKG_TERM_NONE) return "";
    if (label) {
        const char *l = label(ctx, t);
        if (l) return l;
    }
    if (t->kind == EKG_TERM_BLANK) {
        snprintf(buf, n, "_:%s", t->value);
        return buf;
    }
    if (t->kind == EKG_TERM_LITERAL) {
        snprintf(buf, n, "\"%s\"%s%s", t->value, t->lang ? "@" : "", t->lang ? t->lang : "");
        return buf;
    }
    if (!strncmp(t->value, EKG_ID, strlen(EKG_ID))) {
        snprintf(buf, n, "ekgid:%s", t->value + strlen(EKG_ID));
        return buf;
    }
    if (!strncmp(t->value, EKG_NS, strlen(EKG_NS))) {
        snprintf(buf, n, "ekg:%s", t->value + strlen(EKG_NS));
        return buf;
    }
    snprintf(buf, n, "<%s>", t->value);
    return buf;
}

static int cmp_check(const void *a, const void *b)
{
    const ekg_shacl_result *x = *(const ekg_shacl_result *const *)a;
    const ekg_shacl_result *y = *(const ekg_shacl_result *const *)b;
    int c = strcmp(x->check, y->check);
    if (c) return c;
    return (x > y) - (x < y); /* stable: keep report order */
}

static ekg_status write_text(const ekg_shacl_report *r, ekg_label_fn label, void *ctx,
                             FILE *out)
{
    const ekg_shacl_result **v = NULL;
    if (r->n && !(v = malloc(r->n * sizeof *v))) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) v[i] = &r->res[i];
    if (r->n) qsort(v, r->n, sizeof *v, cmp_check);
    char b1[512], b2[512], b3[512];
    for (size_t i = 0; i < r->n; i++) {
        const ekg_shacl_result *x = v[i];
        if (i == 0 || strcmp(x->check, v[i - 1]->check)) {
            size_t cnt = 0;
            for (size_t j = i; j < r->n && !strcmp(v[j]->check, x->check); j++) cnt++;
            fprintf(out, "%s%s (%zu)\n", i ? "\n" : "", x->check, cnt);
        }
        fprintf(out, "  %s: %s", sev_name(x->level), show(&x->focus, label, ctx, b1, sizeof b1));
        if (x->path_text) fprintf(out, " %s", x->path_text);
        if (x->value.kind != EKG_TERM_NONE)
            fprintf(out, " = %s", show(&x->value, NULL, NULL, b2, sizeof b2));
        if (x->message)
            fprintf(out, " — %s", x->message);
        else if (x->component.kind == EKG_TERM_IRI)
            fprintf(out, " — %s", local_name(x->component.value));
        if (x->shape.kind == EKG_TERM_IRI)
            fprintf(out, " [shape %s]", show(&x->shape, NULL, NULL, b3, sizeof b3));
        ekg_term src = ekg_iri(x->source), rel = ekg_iri(x->related);
        if (x->source) fprintf(out, " (source %s", show(&src, label, ctx, b2, sizeof b2));
        if (x->related)
            fprintf(out, "%s%s", x->source ? ", " : " (source ",
                    show(&rel, label, ctx, b3, sizeof b3));
        if (x->source || x->related) fputc(')', out);
        fputc('\n', out);
    }
    size_t nv = ekg_shacl_report_count_level(r, EKG_SEV_VIOLATION);
    size_t nw = ekg_shacl_report_count_level(r, EKG_SEV_WARNING);
    fprintf(out, "%s%zu finding%s: %zu violation%s, %zu warning%s, %zu other\n", r->n ? "\n" : "",
            r->n, r->n == 1 ? "" : "s", nv, nv == 1 ? "" : "s", nw, nw == 1 ? "" : "s",
            r->n - nv - nw);
    free(v);
    return EKG_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_term(FILE *out, const char *key, const ekg_term *t, int *first, blank_map *m)
{
    if (t->kind == EKG_TERM_NONE) return;
    fprintf(out, "%s", *first ? "" : ", ");
    *first = 0;
    ekg_json_write_string(key, out);
    fputs(": ", out);
    if (t->kind == EKG_TERM_IRI) {
        ekg_json_write_string(t->value, out);
        return;
    }
    if (t->kind == EKG_TERM_BLANK) {
        char buf[64];
        snprintf(buf, sizeof buf, "_:b%zu", blank_index(m, t->value));
        ekg_json_write_string(buf, out);
        return;
    }
    fputs("{\"value\": ", out);
    ekg_json_write_string(t->value, out);
    if (t->lang) {
        fputs(", \"lang\": ", out);
        ekg_json_write_string(t->lang, out);
    } else if (t->datatype) {
        fputs(", \"datatype\": ", out);
        ekg_json_write_string(t->datatype, out);
    }
    fputc('}', out);
}

static void json_kv(FILE *out, const char *key, const char *val, int *first)
{
    if (!val) return;
    fprintf(out, "%s", *first ? "" : ", ");
    *first = 0;
    ekg_json_write_string(key, out);
    fputs(": ", out);
    ekg_json_write_string(val, out);
}

static ekg_status write_json(const ekg_shacl_report *r, FILE *out)
{
    blank_map bm = {0};
    fputs("[", out);
    for (size_t i = 0; i < r->n; i++) {
        const ekg_shacl_result *x = &r->res[i];
        int first = 1;
        fprintf(out, "%s\n  {", i ? "," : "");
        json_kv(out, "check", x->check, &first);
        json_kv(out, "severity", sev_name(x->level), &first);
        json_term(out, "focus", &x->focus, &first, &bm);
        json_kv(out, "path", x->path_text, &first);
        json_term(out, "value", &x->value, &first, &bm);
        json_term(out, "component", &x->component, &first, &bm);
        json_term(out, "shape", &x->shape, &first, &bm);
        json_kv(out, "message", x->message, &first);
        json_kv(out, "source", x->source, &first);
        json_kv(out, "related", x->related, &first);
        fputs("}", out);
    }
    fputs(r->n ? "\n]\n" : "]\n", out);
    free(bm.ids);
    return EKG_OK;
}

/* ---- Turtle -------------------------------------------------------------- */

static void ttl_prop(FILE *out, const char *pred, const ekg_term *t, blank_map *m)
{
    if (t->kind == EKG_TERM_NONE) return;
    fprintf(out, " ;\n        %s ", pred);
    write_term_b(out, t, m);
}

static ekg_status write_turtle(const ekg_shacl_report *r, FILE *out)
{
    blank_map bm = {0};
    fputs("@prefix sh: <" EKG_SH "> .\n@prefix xsd: <" EKG_XSD "> .\n"
          "@prefix ekg: <" EKG_NS "> .\n\n",
          out);
    fprintf(out, "[] a sh:ValidationReport ;\n    sh:conforms %s", r->n ? "false" : "true");
    for (size_t i = 0; i < r->n; i++) {
        const ekg_shacl_result *x = &r->res[i];
        fputs(" ;\n    sh:result [\n        a sh:ValidationResult", out);
        ttl_prop(out, "sh:focusNode", &x->focus, &bm);
        ttl_prop(out, "sh:resultPath", &x->path, &bm);
        ttl_prop(out, "sh:value", &x->value, &bm);
        ttl_prop(out, "sh:resultSeverity", &x->severity, &bm);
        ttl_prop(out, "sh:sourceConstraintComponent", &x->component, &bm);
        ttl_prop(out, "sh:sourceShape", &x->shape, &bm);
        if (x->message) {
            ekg_term m = ekg_literal(x->message, x->message_lang);
            ttl_prop(out, "sh:resultMessage", &m, &bm);
        }
        if (x->source) {
            ekg_term s = ekg_iri(x->source);
            ttl_prop(out, "ekg:source", &s, &bm);
        }
        if (x->related) {
            ekg_term s = ekg_iri(x->related);
            ttl_prop(out, "ekg:source", &s, &bm);
        }
        fputs("\n    ]", out);
    }
    fputs(" .\n", out);
    size_t n = ekg_triples_count(r->arena);
    if (n) fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        const ekg_triple *t = ekg_triples_at(r->arena, i);
        write_term_b(out, &t->s, &bm);
        fputc(' ', out);
        write_term_b(out, &t->p, &bm);
        fputc(' ', out);
        write_term_b(out, &t->o, &bm);
        fputs(" .\n", out);
    }
    free(bm.ids);
    return EKG_OK;
}

ekg_status ekg_shacl_report_write(const ekg_shacl_report *r, ekg_report_format fmt,
                                  ekg_label_fn label, void *label_ctx, FILE *out)
{
    if (!r || !out) return EKG_ERR_ARG;
    ekg_status st;
    switch (fmt) {
    case EKG_REPORT_TEXT: st = write_text(r, label, label_ctx, out); break;
    case EKG_REPORT_JSON: st = write_json(r, out); break;
    case EKG_REPORT_TURTLE: st = write_turtle(r, out); break;
    default: return EKG_ERR_ARG;
    }
    if (st == EKG_OK && ferror(out)) st = EKG_ERR_IO;
    return st;
}
