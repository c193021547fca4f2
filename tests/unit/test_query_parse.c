/* test_query_parse.c — the parser of the query language (grammar/README.md)
 * on its own: the AST it builds for each form of the design, and for each
 * syntax error the column and the "expected …, found …" message. No store:
 * names stay names here (the resolver and the plans are the golden tests'). */
#include "query_ast.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int n;
    long col;
    char msg[512];
} diags;

static void on_diag(void *ctx, const ekg_diag *d)
{
    diags *g = ctx;
    g->n++;
    g->col = d->col;
    snprintf(g->msg, sizeof g->msg, "%s", d->message ? d->message : "");
}

/* Parse a query that must parse. */
static ekg_qast *ok(const char *text)
{
    diags g = {0};
    ekg_sink sink = {on_diag, &g};
    ekg_qast *q = NULL;
    ekg_status st = ekg_qast_parse(text, &sink, &q);
    if (st != EKG_OK || !q || g.n) {
        fprintf(stderr, "  did not parse: %s (%s)\n", text, g.msg);
        check_failures++;
    }
    return q;
}

/* A query that must fail at column `col` with exactly `msg`. */
static void fails(const char *text, long col, const char *msg, int line)
{
    diags g = {0};
    ekg_sink sink = {on_diag, &g};
    ekg_qast *q = (ekg_qast *)1;
    ekg_status st = ekg_qast_parse(text, &sink, &q);
    check_count++;
    if (st != EKG_ERR_PARSE || q != NULL || g.n != 1 || g.col != col || strcmp(g.msg, msg)) {
        check_failures++;
        fprintf(stderr,
                "%s:%d: query %s\n  want: column %ld: %s\n  got:  status %d, %d "
                "diagnostics, column %ld: %s\n",
                __FILE__, line, text, col, msg, (int)st, g.n, g.col, g.msg);
    }
    if (q && q != (ekg_qast *)1) ekg_qast_free(q);
}
#define FAILS(text, col, msg) fails(text, col, msg, __LINE__)

static bool streq(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static bool term_is(const ekg_qterm *t, ekg_qterm_kind k, const char *text, bool quoted,
                    bool exactly, int col)
{
    return t->kind == k && (text ? streq(t->text, text) : t->text == NULL) &&
           t->quoted == quoted && t->exactly == exactly && t->col == col;
}

static void test_sentences(void)
{
    ekg_qast *q = ok("who endorsed what when");
    if (q) {
        CHECK(q->kind == EKG_QAST_SENTENCE);
        CHECK(term_is(&q->subj, EKG_QTERM_WHO, NULL, false, false, 1));
        CHECK(streq(q->verb.word, "endorsed") && q->verb.col == 5);
        CHECK(term_is(&q->obj, EKG_QTERM_WHAT, NULL, false, false, 14));
        CHECK(q->ncols == 1 && q->cols[0] == EKG_QCOL_WHEN);
        CHECK(!q->f.date_lo && !q->f.date_hi && !q->f.has_conf);
        CHECK(q->f.place.kind == EKG_QTERM_NONE && q->f.forum.kind == EKG_QTERM_NONE);
        CHECK(!q->order_by && q->limit == -1);
        ekg_qast_free(q);
    }
    /* A quoted phrase as the object; columns in the order written. */
    q = ok("who criticized \"Paris Call\" when where source");
    if (q) {
        CHECK(term_is(&q->obj, EKG_QTERM_NAME, "Paris Call", true, false, 16));
        CHECK(q->ncols == 3 && q->cols[0] == EKG_QCOL_WHEN && q->cols[1] == EKG_QCOL_WHERE &&
              q->cols[2] == EKG_QCOL_SOURCE);
        ekg_qast_free(q);
    }
    /* An entity as the subject: a bare word is a name. */
    q = ok("Russia criticized what");
    if (q) {
        CHECK(term_is(&q->subj, EKG_QTERM_NAME, "Russia", false, false, 1));
        CHECK(q->ncols == 0);
        ekg_qast_free(q);
    }
    /* `in YEAR` is [YEAR, YEAR~): lo = hi = the year. Names in any script. */
    q = ok("who met Russland in 2019 where");
    if (q) {
        CHECK(term_is(&q->obj, EKG_QTERM_NAME, "Russland", false, false, 9));
        CHECK(streq(q->f.date_lo, "2019") && streq(q->f.date_hi, "2019"));
        CHECK(q->ncols == 1 && q->cols[0] == EKG_QCOL_WHERE);
        ekg_qast_free(q);
    }
    q = ok("Россия met whom");
    if (q) {
        CHECK(term_is(&q->subj, EKG_QTERM_NAME, "Россия", false, false, 1));
        CHECK(streq(q->verb.word, "met") && q->verb.col == 14); /* byte columns */
        ekg_qast_free(q);
    }
    /* Classes are names to the parser; `order by` a column keyword shows it. */
    q = ok("State signed Agreement since 2015-01-01 order by when");
    if (q) {
        CHECK(term_is(&q->subj, EKG_QTERM_NAME, "State", false, false, 1));
        CHECK(term_is(&q->obj, EKG_QTERM_NAME, "Agreement", false, false, 14));
        CHECK(streq(q->f.date_lo, "2015-01-01") && !q->f.date_hi);
        CHECK(streq(q->order_by, "when") && q->order_col == 50 && !q->order_desc);
        CHECK(q->ncols == 1 && q->cols[0] == EKG_QCOL_WHEN);
        ekg_qast_free(q);
    }
    q = ok("France met whom between 2018 and 2020");
    if (q) {
        CHECK(term_is(&q->obj, EKG_QTERM_WHOM, NULL, false, false, 12));
        CHECK(streq(q->f.date_lo, "2018") && streq(q->f.date_hi, "2020"));
        ekg_qast_free(q);
    }
    q = ok("who met whom at Moscow");
    if (q) {
        CHECK(term_is(&q->f.place, EKG_QTERM_NAME, "Moscow", false, false, 17));
        ekg_qast_free(q);
    }
    q = ok("Person met Person in 2019-11");
    if (q) {
        CHECK(streq(q->f.date_lo, "2019-11") && streq(q->f.date_hi, "2019-11"));
        ekg_qast_free(q);
    }
    q = ok("who met whom until 2019-06");
    if (q) {
        CHECK(!q->f.date_lo && streq(q->f.date_hi, "2019-06"));
        ekg_qast_free(q);
    }
    /* `exactly` on either side. */
    q = ok("exactly Russia met exactly \"United States\"");
    if (q) {
        CHECK(term_is(&q->subj, EKG_QTERM_NAME, "Russia", false, true, 9));
        CHECK(term_is(&q->obj, EKG_QTERM_NAME, "United States", true, true, 28));
        ekg_qast_free(q);
    }
    /* `in forum`, `confidence > N` (a filter) vs `confidence` (a column). */
    q = ok("who met whom in forum OSCE confidence confidence > 0.7");
    if (q) {
        CHECK(term_is(&q->f.forum, EKG_QTERM_NAME, "OSCE", false, false, 23));
        CHECK(q->ncols == 1 && q->cols[0] == EKG_QCOL_CONFIDENCE);
        CHECK(q->f.has_conf && !q->f.conf_inclusive && q->f.conf > 0.69 && q->f.conf < 0.71);
        ekg_qast_free(q);
    }
    q = ok("who met whom confidence >= .5");
    if (q) {
        CHECK(q->ncols == 0 && q->f.has_conf && q->f.conf_inclusive && q->f.conf == 0.5);
        ekg_qast_free(q);
    }
    /* Every column once, in the order written; duplicates dropped. */
    q = ok("who did what evidence forum when evidence source where confidence when");
    if (q) {
        CHECK(streq(q->verb.word, "did"));
        CHECK(q->ncols == 6 && q->cols[0] == EKG_QCOL_EVIDENCE && q->cols[1] == EKG_QCOL_FORUM &&
              q->cols[2] == EKG_QCOL_WHEN && q->cols[3] == EKG_QCOL_SOURCE &&
              q->cols[4] == EKG_QCOL_WHERE && q->cols[5] == EKG_QCOL_CONFIDENCE);
        ekg_qast_free(q);
    }
    /* Filters and columns interleave; the last date filter of a kind wins. */
    q = ok("who met whom in 2018 when since 2019 at Paris where order by whom desc limit 10");
    if (q) {
        CHECK(streq(q->f.date_lo, "2019") && streq(q->f.date_hi, "2018"));
        CHECK(q->ncols == 2 && q->cols[0] == EKG_QCOL_WHEN && q->cols[1] == EKG_QCOL_WHERE);
        CHECK(streq(q->order_by, "whom") && q->order_desc && q->limit == 10);
        ekg_qast_free(q);
    }
    q = ok("who met whom order by where asc limit 0");
    if (q) {
        CHECK(q->ncols == 1 && q->cols[0] == EKG_QCOL_WHERE && !q->order_desc && q->limit == 0);
        ekg_qast_free(q);
    }
    /* Keywords ignore case; a quoted keyword is a name; `--` starts a comment;
     * escapes in a quoted phrase. */
    q = ok("  WHO Endorsed WHAT When  -- who endorsed what");
    if (q) {
        CHECK(term_is(&q->subj, EKG_QTERM_WHO, NULL, false, false, 3));
        CHECK(streq(q->verb.word, "Endorsed"));
        CHECK(q->ncols == 1 && q->cols[0] == EKG_QCOL_WHEN);
        ekg_qast_free(q);
    }
    q = ok("\"path\" met \"Jean \\\"Le Grand\\\" Dupont\\\\\"");
    if (q) {
        CHECK(q->kind == EKG_QAST_SENTENCE);
        CHECK(term_is(&q->subj, EKG_QTERM_NAME, "path", true, false, 1));
        CHECK(term_is(&q->obj, EKG_QTERM_NAME, "Jean \"Le Grand\" Dupont\\", true, false, 12));
        ekg_qast_free(q);
    }
    /* A name with SPARQL's syntax in it is only a name. */
    q = ok("who met \"x } . ?s ?p ?o { \"");
    if (q) {
        CHECK(term_is(&q->obj, EKG_QTERM_NAME, "x } . ?s ?p ?o { ", true, false, 9));
        ekg_qast_free(q);
    }
}

static void test_traversals(void)
{
    ekg_qast *q = ok("path Russia to \"United States\"");
    if (q) {
        CHECK(q->kind == EKG_QAST_PATH);
        CHECK(term_is(&q->a, EKG_QTERM_NAME, "Russia", false, false, 6));
        CHECK(term_is(&q->b, EKG_QTERM_NAME, "United States", true, false, 16));
        CHECK(q->depth == 0 && q->nvia == 0 && q->limit == -1);
        ekg_qast_free(q);
    }
    q = ok("path France to exactly Russia max 4 via met, endorsed,signed limit 3");
    if (q) {
        CHECK(term_is(&q->a, EKG_QTERM_NAME, "France", false, false, 6));
        CHECK(term_is(&q->b, EKG_QTERM_NAME, "Russia", false, true, 24));
        CHECK(q->depth == 4 && q->limit == 3);
        CHECK(q->nvia == 3 && streq(q->via[0].word, "met") && q->via[0].col == 41 &&
              streq(q->via[1].word, "endorsed") && streq(q->via[2].word, "signed"));
        ekg_qast_free(q);
    }
    q = ok("neighbors \"Paris Call\" depth 2");
    if (q) {
        CHECK(q->kind == EKG_QAST_NEIGHBORS);
        CHECK(term_is(&q->a, EKG_QTERM_NAME, "Paris Call", true, false, 11));
        CHECK(q->depth == 2);
        ekg_qast_free(q);
    }
    q = ok("neighbors Russia");
    if (q) {
        CHECK(q->kind == EKG_QAST_NEIGHBORS && q->depth == 0);
        ekg_qast_free(q);
    }
    q = ok("timeline Russia since 2019");
    if (q) {
        CHECK(q->kind == EKG_QAST_TIMELINE);
        CHECK(term_is(&q->a, EKG_QTERM_NAME, "Russia", false, false, 10));
        CHECK(streq(q->f.date_lo, "2019") && !q->f.date_hi);
        ekg_qast_free(q);
    }
    q = ok("timeline exactly Russia between 2019-01 and 2020-12-31 order by when desc limit 5");
    if (q) {
        CHECK(q->a.exactly);
        CHECK(streq(q->f.date_lo, "2019-01") && streq(q->f.date_hi, "2020-12-31"));
        CHECK(streq(q->order_by, "when") && q->order_desc && q->limit == 5);
        CHECK(q->ncols == 0); /* only sentences show an ordered-by column */
        ekg_qast_free(q);
    }
    q = ok("describe Krutskikh");
    if (q) {
        CHECK(q->kind == EKG_QAST_DESCRIBE);
        CHECK(term_is(&q->a, EKG_QTERM_NAME, "Krutskikh", false, false, 10));
        ekg_qast_free(q);
    }
    /* A traversal keyword quoted is a name, and a sentence. */
    q = ok("\"describe\" met whom");
    if (q) {
        CHECK(q->kind == EKG_QAST_SENTENCE);
        ekg_qast_free(q);
    }
    /* sparql: the rest of the line, as is (not lexed: quotes, `--`, `>`). */
    q = ok("  SPARQL  SELECT ?s WHERE { ?s ekg:n \"a -- \\\"b\" . FILTER(?x > 1) }");
    if (q) {
        CHECK(q->kind == EKG_QAST_SPARQL);
        CHECK(streq(q->sparql, "SELECT ?s WHERE { ?s ekg:n \"a -- \\\"b\" . FILTER(?x > 1) }"));
        ekg_qast_free(q);
    }
    /* "sparqlish" is not the sparql keyword. */
    q = ok("sparqlish met whom");
    if (q) {
        CHECK(q->kind == EKG_QAST_SENTENCE &&
              term_is(&q->subj, EKG_QTERM_NAME, "sparqlish", false, false, 1));
        ekg_qast_free(q);
    }
}

static void test_errors(void)
{
#define TERM_WHAT "who, whom, what, a class or a name"
#define TAIL_WHAT "a column, a filter, 'order by', 'limit' or end of query"
#define DATE "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    FAILS("", 1, "expected a query, found end of query");
    FAILS("   -- only a comment", 4, "expected a query, found end of query");
    FAILS("who", 4, "expected a verb, found end of query");
    FAILS("who when what", 5, "expected a verb, found 'when'");
    FAILS("who , what", 5, "expected a verb, found ','");
    FAILS("who endorsed", 13, "expected " TERM_WHAT ", found end of query");
    FAILS("who endorsed limit", 14, "expected " TERM_WHAT ", found 'limit'");
    FAILS("who endorsed \"\"", 14, "expected " TERM_WHAT ", found \"\"");
    FAILS("exactly who met whom", 9, "expected a name, found 'who'");
    FAILS("who met exactly", 16, "expected a name, found end of query");
    FAILS("who endorsed what in 20199", 22, "expected " DATE ", found '20199'");
    FAILS("who endorsed what in 2019-13", 22, "expected " DATE ", found '2019-13'");
    FAILS("who endorsed what since 2019-02-32", 25, "expected " DATE ", found '2019-02-32'");
    FAILS("who endorsed what until", 24, "expected " DATE ", found end of query");
    FAILS("who endorsed what between 2019 2020", 32, "expected 'and', found '2020'");
    FAILS("who endorsed what between 2019 and x", 36, "expected " DATE ", found 'x'");
    FAILS("who endorsed what confidence > 7", 32, "expected a number from 0 to 1, found '7'");
    FAILS("who endorsed what confidence >= -0.1", 33,
          "expected a number from 0 to 1, found '-0.1'");
    FAILS("who endorsed what confidence > 0.5x", 32,
          "expected a number from 0 to 1, found '0.5x'");
    FAILS("who endorsed what confidence > ", 32,
          "expected a number from 0 to 1, found end of query");
    FAILS("who endorsed what at", 21, "expected the name of a place, found end of query");
    FAILS("who endorsed what at when", 22, "expected the name of a place, found 'when'");
    FAILS("who endorsed what in forum", 27, "expected the name of a forum, found end of query");
    FAILS("who endorsed what order when", 25, "expected 'by', found 'when'");
    FAILS("who endorsed what order by", 27, "expected a column to order by, found end of query");
    FAILS("who endorsed what order by \"when\"", 28,
          "expected a column to order by, found \"when\"");
    FAILS("who endorsed what limit many", 25,
          "expected a whole number from 0 to 100000000, found 'many'");
    FAILS("who endorsed what limit -1", 25,
          "expected a whole number from 0 to 100000000, found '-1'");
    FAILS("who endorsed what limit 99999999999999999999", 25,
          "expected a whole number from 0 to 100000000, found '99999999999999999999'");
    FAILS("who endorsed what limit 5 when", 27, "expected end of query, found 'when'");
    FAILS("who endorsed what order by when when", 33,
          "expected 'limit' or end of query, found 'when'");
    FAILS("who endorsed what order by when limit 2 limit 3", 41,
          "expected end of query, found 'limit'");
    FAILS("who endorsed what France", 19, "expected " TAIL_WHAT ", found 'France'");
    FAILS("who endorsed what > 1", 19, "expected " TAIL_WHAT ", found '>'");
    FAILS("who endorsed \"Paris Call", 14, "expected a closing '\"', found end of query");
    FAILS("who endorsed what\x01", 18, "expected a word, found a control character");
    FAILS("path", 5, "expected a name, found end of query");
    FAILS("path Russia France", 13, "expected 'to', found 'France'");
    FAILS("path Russia to", 15, "expected a name, found end of query");
    FAILS("path Russia to France max 13", 27, "expected a whole number from 1 to 12, found '13'");
    FAILS("path Russia to France max 0", 27, "expected a whole number from 1 to 12, found '0'");
    FAILS("path Russia to France via", 26, "expected a verb, found end of query");
    FAILS("path Russia to France via met,", 31, "expected a verb, found end of query");
    FAILS("path Russia to France when", 23,
          "expected 'max', 'via', 'limit' or end of query, found 'when'");
    FAILS("path Russia to France max 3 when", 29,
          "expected 'via', 'limit' or end of query, found 'when'");
    FAILS("path Russia to France via met when", 31,
          "expected ',', 'limit' or end of query, found 'when'");
    FAILS("path Russia to France via met max 3", 31,
          "expected ',', 'limit' or end of query, found 'max'");
    FAILS("neighbors Russia depth 9", 24, "expected a whole number from 1 to 5, found '9'");
    FAILS("neighbors Russia 2", 18, "expected 'depth', 'limit' or end of query, found '2'");
    FAILS("neighbors Russia depth 2 depth 3", 26, "expected 'limit' or end of query, found 'depth'");
    FAILS("timeline Russia from 2019", 17,
          "expected 'in', 'since', 'until', 'between', 'limit' or end of query, found 'from'");
    FAILS("timeline Russia when", 17,
          "expected 'in', 'since', 'until', 'between', 'limit' or end of query, found 'when'");
    FAILS("describe", 9, "expected a name, found end of query");
    FAILS("describe when", 10, "expected a name, found 'when'");
    FAILS("describe Krutskikh Lavrov", 20, "expected 'limit' or end of query, found 'Lavrov'");
    FAILS("sparql", 7, "expected a SPARQL query, found end of query");
    FAILS("  sparql   ", 12, "expected a SPARQL query, found end of query");
}

static void test_keywords(void)
{
    const char *const *kw = ekg_qast_keywords();
    size_t n = 0;
    bool who = false, sparql = false;
    for (; kw[n]; n++) {
        who |= !strcmp(kw[n], "who");
        sparql |= !strcmp(kw[n], "sparql");
    }
    CHECK(n > 20 && who && sparql);
    CHECK(streq(ekg_qcol_name(EKG_QCOL_WHEN), "when"));
    CHECK(streq(ekg_qcol_name(EKG_QCOL_CONFIDENCE), "confidence"));
    CHECK(ekg_qcol_name(EKG_QCOL_COUNT) == NULL);
    /* A NULL sink is allowed; the result is still an error. */
    ekg_qast *q = (ekg_qast *)1;
    CHECK(ekg_qast_parse("who", NULL, &q) == EKG_ERR_PARSE && q == NULL);
    ekg_qast_free(NULL);
}

int main(void)
{
    test_sentences();
    test_traversals();
    test_errors();
    test_keywords();
    return check_summary("test_query_parse");
}
