/* cli_extract.c — `ekg extract`: what documents yield, without a store.
 *
 * USAGE: ekg extract [--format text|nquads|turtle] [--lang L] [--reader R] FILE…|-
 */
#include "ekg/cli.h"
#include "ekg/extract.h"
#include "ekg/kb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: ekg extract [--format text|nquads|turtle|summary] [--lang L] [--reader R] FILE... | -\n"
    "\n"
    "Read each FILE (or standard input for -) the way `ekg ingest` would, and print\n"
    "what it yields, without touching a store: the documents and the events\n"
    "extracted from them, each with its evidence.\n"
    "\n"
    "Readers are chosen by file name and content: plain text (.txt), Markdown with\n"
    "YAML front matter (.md), HTML (.html, .htm), XML, RSS and Atom (.xml, .rss,\n"
    ".atom; one document per item or entry).\n"
    "\n"
    "options:\n"
    "  -f, --format F   text (default): one block per event: class, sides or\n"
    "                   agent -> target, date, place, confidence, rule and the\n"
    "                   evidence sentence;\n"
    "                   nquads: the document graph(s) as N-Quads, graph = the\n"
    "                   document IRI (what `ekg ingest` would store);\n"
    "                   turtle: the same triples as Turtle, one block per subject;\n"
    "                   summary: one line per document: path, language, date,\n"
    "                   bytes, sentences, events (tab-separated).\n"
    "  -l, --lang L     the documents' language (BCP 47), instead of the declared\n"
    "                   or guessed one\n"
    "  -r, --reader R   force a reader: text, markdown, html, xml\n"
    "  -h, --help       this help\n"
    "\n"
    "exit status: 0 success, 1 a file could not be read or extracted (the others\n"
    "are still processed), 2 usage error.\n"
    "\n"
    "examples:\n"
    "  ekg extract press-release.md\n"
    "  ekg extract --format nquads feed.xml > feed.nq\n"
    "  curl -s https://example.org/statement.html | ekg extract --reader html -\n";

static const char *local(const char *iri)
{
    const char *h = strrchr(iri, '#');
    const char *s = strrchr(iri, '/');
    const char *p = h > s ? h : s;
    return p ? p + 1 : iri;
}

static const char *label_of(const ekg_kb *kb, const ekg_triples *g, const char *iri)
{
    const ekg_kb_entity *e = ekg_kb_entity_by_iri(kb, iri);
    if (e) return e->code ? e->code : e->label;
    size_t n = ekg_triples_count(g);
    for (size_t i = 0; i < n; i++) {
        const ekg_triple *t = ekg_triples_at(g, i);
        if (strcmp(t->s.value, iri) == 0 && strcmp(t->p.value, EKG_SKOS "prefLabel") == 0)
            return t->o.value;
    }
    return local(iri);
}

static void print_text(const ekg_kb *kb, const ekg_doc_graph *d, FILE *out)
{
    const ekg_triples *g = d->graph;
    size_t n = ekg_triples_count(g);
    fprintf(out, "document %s\n  path %s\n  language %s  date %s  sentences %zu  events %zu\n",
            d->doc_iri, d->path, d->lang ? d->lang : "?", d->date[0] ? d->date : "?", d->sentences,
            d->events);
    if (d->title) fprintf(out, "  title %s\n", d->title);
    for (size_t i = 0; i < n; i++) {
        const ekg_triple *t = ekg_triples_at(g, i);
        if (strcmp(t->p.value, EKG_RDF_TYPE) != 0 || strncmp(t->s.value, EKG_ID "event/", strlen(EKG_ID "event/")) != 0)
            continue;
        const char *ev = t->s.value;
        char sides[2048] = "", target[512] = "", date[32] = "", place[256] = "", conf[16] = "",
             rule[64] = "", led[1024] = "";
        const char *evidence[16];
        size_t nev = 0;
        int agentish = 0;
        for (size_t k = 0; k < n; k++) {
            const ekg_triple *u = ekg_triples_at(g, k);
            if (u->s.value != ev && strcmp(u->s.value, ev) != 0) continue;
            const char *p = local(u->p.value);
            size_t sl = strlen(sides);
            if (!strcmp(p, "participant") || !strcmp(p, "agent")) {
                agentish = !strcmp(p, "agent");
                snprintf(sides + sl, sizeof sides - sl, "%s%s", sl ? ", " : "", label_of(kb, g, u->o.value));
            } else if (!strcmp(p, "target"))
                snprintf(target, sizeof target, "%s", label_of(kb, g, u->o.value));
            else if (!strcmp(p, "date"))
                snprintf(date, sizeof date, "%s", u->o.value);
            else if (!strcmp(p, "place"))
                snprintf(place, sizeof place, "%s", label_of(kb, g, u->o.value));
            else if (!strcmp(p, "confidence"))
                snprintf(conf, sizeof conf, "%s", u->o.value);
            else if (!strcmp(p, "rule"))
                snprintf(rule, sizeof rule, "%s", u->o.value);
            else if (!strcmp(p, "ledBy")) {
                size_t ll = strlen(led);
                snprintf(led + ll, sizeof led - ll, "%s%s", ll ? ", " : "", label_of(kb, g, u->o.value));
            } else if (!strcmp(p, "evidence") && nev < 16)
                evidence[nev++] = u->o.value;
        }
        fprintf(out, "\n%s  %s%s%s\n", local(t->o.value), sides, target[0] ? " -> " : "", target);
        (void)agentish;
        fprintf(out, "  date %s  place %s  confidence %s  rule %s\n", date[0] ? date : "-",
                place[0] ? place : "-", conf, rule);
        if (led[0]) fprintf(out, "  led by %s\n", led);
        for (size_t k = 0; k < nev; k++) fprintf(out, "  evidence: %s\n", evidence[k]);
    }
    fputc('\n', out);
}

static void print_turtle(const ekg_doc_graph *d, FILE *out)
{
    const ekg_triples *g = d->graph;
    size_t n = ekg_triples_count(g);
    fprintf(out, "# graph <%s>\n", d->doc_iri);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const ekg_triple *t = ekg_triples_at(g, i);
        if (!prev || strcmp(prev, t->s.value) != 0) {
            if (prev) fputs(" .\n\n", out);
            ekg_term_write_nt(&t->s, out);
            fputs("\n    ", out);
        } else
            fputs(" ;\n    ", out);
        if (strcmp(t->p.value, EKG_RDF_TYPE) == 0) fputs("a", out);
        else ekg_term_write_nt(&t->p, out);
        fputc(' ', out);
        ekg_term_write_nt(&t->o, out);
        prev = t->s.value;
    }
    if (prev) fputs(" .\n\n", out);
}

int ekg_cmd_extract(int argc, char **argv, const ekg_cli_env *env)
{
    const char *format = "text", *lang = NULL, *reader = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if ((!strcmp(a, "-f") || !strcmp(a, "--format")) && i + 1 < argc)
            format = argv[++i];
        else if (!strncmp(a, "--format=", 9))
            format = a + 9;
        else if ((!strcmp(a, "-l") || !strcmp(a, "--lang")) && i + 1 < argc)
            lang = argv[++i];
        else if (!strncmp(a, "--lang=", 7))
            lang = a + 7;
        else if ((!strcmp(a, "-r") || !strcmp(a, "--reader")) && i + 1 < argc)
            reader = argv[++i];
        else if (!strncmp(a, "--reader=", 9))
            reader = a + 9;
        else if (!strcmp(a, "--"))
        {
            i++;
            break;
        } else if (a[0] == '-' && a[1])
        {
            fprintf(stderr, "ekg extract: unknown option '%s'\n%s", a, usage);
            return 2;
        } else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "ekg extract: no input file (use - for standard input)\n%s", usage);
        return 2;
    }
    if (strcmp(format, "text") && strcmp(format, "nquads") && strcmp(format, "turtle") &&
        strcmp(format, "summary")) {
        fprintf(stderr, "ekg extract: unknown format '%s' (text, nquads, turtle, summary)\n", format);
        return 2;
    }
    ekg_kb *kb = NULL;
    if (ekg_kb_load(env->ontology_dir, env->sink, &kb) != EKG_OK) return 1;
    ekg_extract_opts o = {.lang = lang, .format = reader};
    int rc = 0;
    for (; i < argc; i++) {
        ekg_doc_graph *docs = NULL;
        size_t nd = 0;
        if (ekg_extract_path(kb, argv[i], &o, env->sink, &docs, &nd) != EKG_OK) {
            rc = 1;
            continue;
        }
        for (size_t k = 0; k < nd; k++) {
            if (!strcmp(format, "nquads")) ekg_triples_write_nquads(docs[k].graph, docs[k].doc_iri, stdout);
            else if (!strcmp(format, "turtle")) print_turtle(&docs[k], stdout);
            else if (!strcmp(format, "summary"))
                printf("%s\t%s\t%s\t%zu bytes\t%zu sentences\t%zu events\n", docs[k].path,
                       docs[k].lang ? docs[k].lang : "?", docs[k].date[0] ? docs[k].date : "?",
                       docs[k].bytes, docs[k].sentences, docs[k].events);
            else print_text(kb, &docs[k], stdout);
        }
        ekg_doc_graphs_free(docs, nd);
    }
    ekg_kb_free(kb);
    if (fflush(stdout) != 0) rc = 1;
    return rc;
}
