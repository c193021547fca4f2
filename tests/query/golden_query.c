/* golden_query.c — data-driven tests of the query language (like jq.test).
 *
 * usage: golden_query FIXTURE.nq FILE.test [--update]
 *
 * A test file is blocks separated by blank lines; `#` lines are comments.
 * A block is optional directives, one query line, then the expected output:
 *   %%FAIL           the query must fail; expected = the rendered error
 *   %%FORMAT json    output format (default table)
 *   %%LANG de        label language
 *   %%PLAN sparql    force a plan (default: native, and every sentence is
 *                    also run through the SPARQL plan and must give the same
 *                    output — the two-plan test)
 *   %%EXPLAIN        expected = the .explain text
 * --update rewrites FILE.test with the actual outputs (review the diff). */
#include "ekg/format.h"
#include "ekg/query.h"
#include "ekg/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *query;
    char *text; /* rendered diagnostics */
    size_t n;
} diag_buf;

static void on_diag(void *ctx, const ekg_diag *d)
{
    diag_buf *b = ctx;
    char *r = ekg_query_render_error(b->query, d);
    if (!r) return;
    size_t k = strlen(r);
    char *t = realloc(b->text, b->n + k + 1);
    if (!t) {
        free(r);
        return;
    }
    memcpy(t + b->n, r, k + 1);
    b->text = t;
    b->n += k;
    free(r);
}

typedef struct {
    char **dir;
    size_t ndir;
    char *query;
    char *expected;
    char *comments; /* lines before the block, kept by --update */
} block;

static char *run_one(ekg_session *s, diag_buf *db, const char *query, const char *fmt,
                     bool explain, int *failed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    free(db->text);
    db->text = NULL;
    db->n = 0;
    db->query = query;
    *failed = 0;
    if (explain) {
        char *e = NULL;
        if (ekg_session_explain(s, query, &e) == EKG_OK)
            fputs(e, out);
        else
            *failed = 1;
        free(e);
    } else {
        ekg_result *r = NULL;
        ekg_status st = ekg_session_run(s, query, &r);
        if (st == EKG_OK) {
            const ekg_format *f = ekg_format_find(fmt);
            if (!f || f->write(r, out) != EKG_OK) {
                fprintf(out, "format %s failed\n", fmt);
                *failed = 1;
            }
        } else
            *failed = 1;
        ekg_result_free(r);
    }
    if (*failed && db->text) fputs(db->text, out);
    fclose(out);
    /* Drop one trailing newline: blocks end at a blank line. */
    while (len && buf[len - 1] == '\n') buf[--len] = 0;
    return buf;
}

static bool has_dir(const block *b, const char *name, const char **arg)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < b->ndir; i++)
        if (!strncmp(b->dir[i], name, n) && (!b->dir[i][n] || b->dir[i][n] == ' ')) {
            if (arg) *arg = b->dir[i][n] ? b->dir[i] + n + 1 : "";
            return true;
        }
    return false;
}

static char *append(char *s, const char *line)
{
    size_t a = s ? strlen(s) : 0, b = strlen(line);
    char *t = realloc(s, a + b + 2);
    if (!t) abort();
    memcpy(t + a, line, b);
    t[a + b] = '\n';
    t[a + b + 1] = 0;
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FIXTURE.nq FILE.test [--update]\n", argv[0]);
        return 2;
    }
    bool update = argc > 3 && !strcmp(argv[3], "--update");
    ekg_store *st = NULL;
    ekg_session *s = NULL;
    diag_buf db = {0};
    ekg_sink sink = {on_diag, &db};
    if (ekg_store_open("memory:", EKG_STORE_CREATE, &sink, &st) ||
        ekg_store_load_file(st, argv[1], NULL, NULL, NULL) || ekg_session_new(st, &sink, &s)) {
        fprintf(stderr, "cannot set up the fixture: %s\n", db.text ? db.text : "");
        return 1;
    }
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    block *blocks = NULL;
    size_t nb = 0;
    char *line = NULL, *pending = NULL;
    size_t cap = 0;
    ssize_t k;
    block cur = {0};
    int state = 0; /* 0 between blocks, 1 after query */
    for (;;) {
        k = getline(&line, &cap, in);
        if (k >= 0 && k && line[k - 1] == '\n') line[--k] = 0;
        bool end = k < 0 || (k == 0 && state == 1);
        if (end) {
            if (state == 1) {
                blocks = realloc(blocks, (nb + 1) * sizeof *blocks);
                if (cur.expected) {
                    size_t n = strlen(cur.expected);
                    if (n) cur.expected[n - 1] = 0;
                } else
                    cur.expected = strdup("");
                blocks[nb++] = cur;
                memset(&cur, 0, sizeof cur);
                state = 0;
            }
            if (k < 0) break;
            continue;
        }
        if (state == 0) {
            if (k == 0 || line[0] == '#') {
                pending = append(pending, line);
                continue;
            }
            if (!strncmp(line, "%%", 2)) {
                cur.dir = realloc(cur.dir, (cur.ndir + 1) * sizeof *cur.dir);
                cur.dir[cur.ndir++] = strdup(line + 2);
                continue;
            }
            cur.query = strdup(line);
            cur.comments = pending;
            pending = NULL;
            state = 1;
        } else
            cur.expected = append(cur.expected, line);
    }
    fclose(in);
    free(line);

    int fails = 0, tests = 0, both = 0;
    for (size_t i = 0; i < nb; i++) {
        block *b = &blocks[i];
        const char *fmt = "table", *lang = "en", *plan = NULL;
        has_dir(b, "FORMAT", &fmt);
        has_dir(b, "LANG", &lang);
        bool want_fail = has_dir(b, "FAIL", NULL), explain = has_dir(b, "EXPLAIN", NULL);
        bool forced = has_dir(b, "PLAN", &plan);
        ekg_session_set_lang(s, lang);
        ekg_session_set_plan(s, forced && !strcmp(plan, "sparql") ? EKG_PLAN_SPARQL : EKG_PLAN_NATIVE);
        unsigned want = 0;
        if (!strcmp(fmt, "turtle")) want |= EKG_WANT_TRIPLES;
        if (!strcmp(fmt, "dot") || !strcmp(fmt, "svg")) want |= EKG_WANT_EDGES;
        ekg_session_set_want(s, want);
        int failed;
        char *got = run_one(s, &db, b->query, fmt, explain, &failed);
        tests++;
        bool ok = failed == want_fail && !strcmp(got, b->expected);
        if (!ok && !update) {
            fails++;
            printf("not ok %d - %s\n--- expected%s\n%s\n--- got%s\n%s\n", tests, b->query,
                   want_fail ? " (failure)" : "", b->expected, failed ? " (failure)" : "", got);
        } else if (!update)
            printf("ok %d - %s\n", tests, b->query);
        /* The two plans must agree on every sentence. */
        if (!want_fail && !explain && !forced) {
            ekg_session_set_plan(s, EKG_PLAN_SPARQL);
            int f2;
            char *got2 = run_one(s, &db, b->query, fmt, false, &f2);
            ekg_session_set_plan(s, EKG_PLAN_NATIVE);
            if (strcmp(got, got2) != 0 || f2 != failed) {
                fails++;
                printf("not ok - plans disagree on: %s\n--- native\n%s\n--- sparql\n%s\n", b->query,
                       got, got2);
            } else
                both++;
            free(got2);
        }
        if (update) {
            free(b->expected);
            b->expected = got;
        } else
            free(got);
    }
    if (update) {
        FILE *o = fopen(argv[2], "w");
        for (size_t i = 0; i < nb; i++) {
            block *b = &blocks[i];
            /* The blank line that ended the previous block is not in comments. */
            if (i && (!b->comments || b->comments[0] != '\n')) fputc('\n', o);
            if (b->comments) fputs(b->comments, o);
            for (size_t d = 0; d < b->ndir; d++) fprintf(o, "%%%%%s\n", b->dir[d]);
            fprintf(o, "%s\n%s\n", b->query, b->expected);
        }
        if (pending) fputs(pending, o);
        fclose(o);
        printf("updated %s (%zu blocks)\n", argv[2], nb);
    } else
        printf("# %d tests, %d failed; %d ran through both plans\n", tests, fails, both);
    for (size_t i = 0; i < nb; i++) {
        for (size_t d = 0; d < blocks[i].ndir; d++) free(blocks[i].dir[d]);
        free(blocks[i].dir);
        free(blocks[i].query);
        free(blocks[i].expected);
        free(blocks[i].comments);
    }
    free(blocks);
    free(pending);
    free(db.text);
    ekg_session_free(s);
    ekg_store_free(st);
    return fails ? 1 : 0;
}
