/* ingest.c — walk inputs, extract in worker threads, write in input order
 * through one writer (the calling thread), so the store never sees
 * concurrent writes and -j N writes exactly what -j 1 writes. */
#include "ekg/ingest.h"

#include "ekg/extract.h"
#include "ekg/strv.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* ---- expanding inputs --------------------------------------------------- */

typedef struct {
    ekg_strv files;
    dev_t *devs; /* directories on the current walk, for loop detection */
    ino_t *inos;
    size_t depth;
} walk;

static int supported(const char *name)
{
    static const char *const ext[] = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml",
                                      ".xml", ".rss", ".atom"};
    const char *dot = strrchr(name, '.');
    if (!dot) return 0;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (strcasecmp(dot, ext[i]) == 0) return 1;
    return 0;
}

#define MAX_DEPTH 64

static ekg_status walk_dir(walk *w, const char *dir, const struct stat *sb, const ekg_sink *sink)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->devs[i] == sb->st_dev && w->inos[i] == sb->st_ino) {
            ekg_report(sink, EKG_LOG_WARNING, EKG_OK, dir, 0,
                       "directory loop (a symbolic link back to an enclosing directory); "
                       "skipped");
            return EKG_OK;
        }
    if (w->depth >= MAX_DEPTH) {
        ekg_report(sink, EKG_LOG_WARNING, EKG_OK, dir, 0, "deeper than %d levels; skipped",
                   MAX_DEPTH);
        return EKG_OK;
    }
    DIR *d = opendir(dir);
    if (!d) {
        ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, dir, 0, "cannot read directory: %s",
                   strerror(errno));
        return EKG_ERR_IO;
    }
    w->devs[w->depth] = sb->st_dev;
    w->inos[w->depth] = sb->st_ino;
    w->depth++;
    ekg_strv sub = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) continue;
        if (ekg_strv_push(&sub, path)) break;
    }
    closedir(d);
    ekg_strv_sort(&sub);
    ekg_status rc = EKG_OK;
    for (size_t i = 0; i < sub.n; i++) {
        struct stat cs;
        if (stat(sub.v[i], &cs) != 0) {
            ekg_report(sink, EKG_LOG_WARNING, EKG_OK, sub.v[i], 0, "skipped: %s",
                       strerror(errno));
            continue;
        }
        if (S_ISDIR(cs.st_mode)) {
            ekg_status r = walk_dir(w, sub.v[i], &cs, sink);
            if (r == EKG_ERR_NOMEM) rc = r;
        } else if (S_ISREG(cs.st_mode) && supported(sub.v[i])) {
            if (ekg_strv_push(&w->files, sub.v[i])) rc = EKG_ERR_NOMEM;
        }
    }
    ekg_strv_clear(&sub);
    w->depth--;
    return rc;
}

void ekg_ingest_files_free(char **files, size_t n)
{
    for (size_t i = 0; i < n; i++) free(files[i]);
    free(files);
}

ekg_status ekg_ingest_expand(const char *const *paths, size_t npaths, const ekg_sink *sink,
                             char ***files, size_t *nfiles)
{
    walk w = {0};
    ekg_status rc = EKG_OK;
    w.devs = calloc(MAX_DEPTH + 1, sizeof *w.devs);
    w.inos = calloc(MAX_DEPTH + 1, sizeof *w.inos);
    if (!w.devs || !w.inos) rc = EKG_ERR_NOMEM;
    for (size_t i = 0; i < npaths && rc != EKG_ERR_NOMEM; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (walk_dir(&w, paths[i], &sb, sink) == EKG_ERR_NOMEM) rc = EKG_ERR_NOMEM;
        } else if (ekg_strv_push(&w.files, paths[i])) /* files are tried whatever their name */
            rc = EKG_ERR_NOMEM;
    }
    free(w.devs);
    free(w.inos);
    if (rc != EKG_OK) {
        ekg_strv_clear(&w.files);
        return rc;
    }
    *files = ekg_strv_release(&w.files, nfiles);
    return EKG_OK;
}

/* ---- documents the store holds already ---------------------------------- */

/* The IRIs (as 64-bit hashes, sorted) of the documents stored complete when
 * the ingest starts: a document carries ekg:contentHash only once all its
 * graph is written (see add_doc). Workers ask it to pass over the extraction
 * of documents that are unchanged; the writer still checks each against the
 * store (plan_doc), and extracts one after all if the store no longer holds
 * it (a hash collision, or an older file's graph of the same text replaced
 * earlier in this ingest). Read-only once built, so threads share it. */
typedef struct {
    uint64_t *v;
    size_t n, cap;
    int oom;
} known_docs;

static int collect_doc(void *ctx, const ekg_triple *t, const char *graph)
{
    (void)graph;
    known_docs *k = ctx;
    if (t->s.kind != EKG_TERM_IRI) return 0;
    if (k->n == k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 1024;
        uint64_t *v = realloc(k->v, nc * sizeof *v);
        if (!v) return k->oom = 1;
        k->v = v;
        k->cap = nc;
    }
    k->v[k->n++] = XXH3_64bits(t->s.value, strlen(t->s.value));
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* On failure (out of memory) the set is left empty: every document is
 * extracted, as before there was a set. */
static void known_docs_load(ekg_store *st, known_docs *k)
{
    ekg_term hashp = ekg_iri(EKG_NS "contentHash");
    if (ekg_store_match(st, NULL, &hashp, NULL, NULL, collect_doc, k) != EKG_OK || k->oom) {
        free(k->v);
        memset(k, 0, sizeof *k);
        return;
    }
    if (k->n) qsort(k->v, k->n, sizeof *k->v, cmp_u64);
}

static int known_doc(void *ctx, const char *doc_iri)
{
    const known_docs *k = ctx;
    uint64_t h = XXH3_64bits(doc_iri, strlen(doc_iri));
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->v[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k->n && k->v[lo] == h;
}

/* ---- extraction jobs ---------------------------------------------------- */

/* Files whose documents are written as one group (see write_group), up to
 * GROUP_TRIPLES triples. Bigger groups make fewer, larger sorted writes.
 * The workers extract up to two groups ahead of the writer: the next group
 * is extracted while the writer writes one. */
#define GROUP_JOBS 512
#define GROUP_TRIPLES 250000

typedef struct {
    const char *path;
    ekg_doc_graph *docs;
    size_t ndocs;
    ekg_status rc;
    int done;
    /* diagnostics are replayed by the writer, in order, on the caller's sink */
    ekg_diag *diags;
    char **msgs;
    size_t ndiags;
} job;

typedef struct {
    const ekg_kb *kb;
    const ekg_ingest_opts *opts;
    const known_docs *known;
    job *jobs;
    size_t njobs, next;
    size_t written, window; /* workers stay at most `window` jobs ahead */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    volatile int stop;
} pool;

static void job_sink_fn(void *ctx, const ekg_diag *d)
{
    job *j = ctx;
    ekg_diag *nd = realloc(j->diags, (j->ndiags + 1) * sizeof *nd);
    if (!nd) return;
    j->diags = nd;
    char **nm = realloc(j->msgs, (j->ndiags + 1) * 2 * sizeof *nm);
    if (!nm) return;
    j->msgs = nm;
    nm[j->ndiags * 2] = strdup(d->message ? d->message : "");
    nm[j->ndiags * 2 + 1] = d->where ? strdup(d->where) : NULL;
    nd[j->ndiags] = *d;
    nd[j->ndiags].message = nm[j->ndiags * 2];
    nd[j->ndiags].where = nm[j->ndiags * 2 + 1];
    j->ndiags++;
}

static void run_job(pool *p, job *j)
{
    ekg_sink sink = {job_sink_fn, j};
    ekg_extract_opts eo = {0};
    eo.lang = p->opts ? p->opts->lang : NULL;
    if (p->known && p->known->n) {
        eo.skip = known_doc;
        eo.skip_ctx = (void *)p->known;
    }
    j->rc = ekg_extract_path(p->kb, j->path, &eo, &sink, &j->docs, &j->ndocs);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        /* Bound the look-ahead so finished-but-unwritten documents cannot
         * pile up in memory when the writer is the bottleneck. */
        while (!p->stop && p->next < p->njobs && p->next >= p->written + p->window)
            pthread_cond_wait(&p->cv, &p->mu);
        size_t i = p->next;
        if (i >= p->njobs || p->stop) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        p->next++;
        pthread_mutex_unlock(&p->mu);
        run_job(p, &p->jobs[i]);
        pthread_mutex_lock(&p->mu);
        p->jobs[i].done = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static void job_clear(job *j)
{
    ekg_doc_graphs_free(j->docs, j->ndocs);
    j->docs = NULL;
    j->ndocs = 0;
    for (size_t i = 0; i < j->ndiags * 2; i++) free(j->msgs[i]);
    free(j->msgs);
    free(j->diags);
    j->msgs = NULL;
    j->diags = NULL;
    j->ndiags = 0;
}

/* ---- writing one document ---------------------------------------------- */

typedef struct {
    char **v;
    size_t n;
} iri_list;

static int collect_iri(void *ctx, const ekg_term *t)
{
    iri_list *l = ctx;
    if (t->kind != EKG_TERM_IRI) return 0;
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v) return 1;
    l->v = v;
    if ((v[l->n] = strdup(t->value))) l->n++;
    return 0;
}

static int is_hash_triple(const ekg_triple *t, const char *doc)
{
    return t->s.kind == EKG_TERM_IRI && strcmp(t->s.value, doc) == 0 &&
           strcmp(t->p.value, EKG_NS "contentHash") == 0;
}

/* Documents are written in groups: first every look-up of the group (is
 * the document stored already? which graphs hold an older version of its
 * file? did a crash leave its graph half-written?), then the removals, then
 * the adds. The store buffers adds and writes them sorted when it is next
 * read (see store.c), so a group costs one such write instead of one per
 * document. A group ends before a document that shares its IRI or its path
 * with one already in it: the look-ups of the second must see the first. */
typedef struct {
    const ekg_doc_graph *d;
    int outcome; /* 0 stored, 1 unchanged, 2 replaced */
    int partial; /* its own graph holds quads: remove them first */
    iri_list old;
    ekg_status rc;
} doc_plan;

static void plan_clear(doc_plan *pl)
{
    for (size_t i = 0; i < pl->old.n; i++) free(pl->old.v[i]);
    free(pl->old.v);
    memset(pl, 0, sizeof *pl);
}

static ekg_status plan_doc(ekg_store *st, doc_plan *pl)
{
    const ekg_doc_graph *d = pl->d;
    ekg_status rc = EKG_OK;
    ekg_term doc = ekg_iri(d->doc_iri), hashp = ekg_iri(EKG_NS "contentHash");
    ekg_term pathp = ekg_iri(EKG_NS "path"), pathv = ekg_literal(d->path, NULL);
    bool complete = false, partial = false;
    EKG_TRY(rc, ekg_store_contains(st, &doc, &hashp, NULL, NULL, &complete));
    if (complete) {
        pl->outcome = 1;
        return EKG_OK;
    }
    /* An older version of this file, or a graph a crash cut short. */
    EKG_TRY(rc, ekg_store_sources(st, &pathp, &pathv, collect_iri, &pl->old));
    for (size_t i = 0; i < pl->old.n; i++)
        if (strcmp(pl->old.v[i], d->doc_iri) != 0) pl->outcome = 2;
    /* Any quad in the document's graph (not only about the document node: a
     * crash may have cut it short before those). */
    EKG_TRY(rc, ekg_store_contains(st, NULL, NULL, NULL, d->doc_iri, &partial));
    pl->partial = partial;
cleanup:
    return rc;
}

static ekg_status remove_doc(ekg_store *st, const doc_plan *pl)
{
    ekg_status rc = EKG_OK;
    int own = 0;
    for (size_t i = 0; i < pl->old.n; i++) {
        if (!strcmp(pl->old.v[i], pl->d->doc_iri)) own = 1;
        EKG_TRY(rc, ekg_store_remove_graph(st, pl->old.v[i]));
    }
    if (pl->partial && !own) rc = ekg_store_remove_graph(st, pl->d->doc_iri);
cleanup:
    return rc;
}

static ekg_status add_doc(ekg_store *st, const ekg_doc_graph *d)
{
    ekg_status rc = EKG_OK;
    size_t n = ekg_triples_count(d->graph);
    const ekg_triple *all = ekg_triples_data(d->graph);
    /* Everything but the content hash first; the hash last marks the graph
     * complete. Runs between hash triples are added as slices. */
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !is_hash_triple(&all[i], d->doc_iri)) continue;
        if (i > start) EKG_TRY(rc, ekg_store_add(st, d->doc_iri, all + start, i - start));
        start = i + 1;
    }
    {
        ekg_triple h = {ekg_iri(d->doc_iri), ekg_iri(EKG_NS "contentHash"),
                        ekg_literal(d->content_hash, NULL)};
        EKG_TRY(rc, ekg_store_add(st, d->doc_iri, &h, 1));
    }
cleanup:
    return rc;
}

/* 1 if a plan among [0, n) has d's path or removes d's graph (the group
 * must end before d), 2 if one has d's IRI and is stored or unchanged (d's
 * content is stored: d is unchanged, as it would be found written one by
 * one), else 0. */
static int collides(const doc_plan *pl, size_t n, const ekg_doc_graph *d)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(pl[i].d->path, d->path)) return 1;
        if (!strcmp(pl[i].d->doc_iri, d->doc_iri)) return pl[i].rc == EKG_OK ? 2 : 1;
        /* a plan removes d's graph (d's text was an older version of another
         * file): d must be looked up after that removal */
        for (size_t k = 0; k < pl[i].old.n; k++)
            if (!strcmp(pl[i].old.v[k], d->doc_iri)) return 1;
    }
    return 0;
}

/* Write plans [0, n): removals, then adds; per-document errors in pl->rc.
 * Returns a store-wide failure (the store can take no more). */
static ekg_status write_plans(ekg_store *st, doc_plan *pl, size_t n, const ekg_sink *sink)
{
    ekg_status fatal = EKG_OK;
    for (size_t i = 0; i < n && fatal == EKG_OK; i++)
        if (!pl[i].rc && pl[i].outcome != 1) pl[i].rc = remove_doc(st, &pl[i]);
    for (size_t i = 0; i < n && fatal == EKG_OK; i++)
        if (!pl[i].rc && pl[i].outcome != 1) pl[i].rc = add_doc(st, pl[i].d);
    for (size_t i = 0; i < n; i++)
        if (pl[i].rc != EKG_OK) {
            ekg_report(sink, EKG_LOG_ERROR, pl[i].rc, pl[i].d->path, 0,
                       "could not be stored: %s", ekg_strerror(pl[i].rc));
            if (pl[i].rc == EKG_ERR_STORE || pl[i].rc == EKG_ERR_NOMEM) fatal = pl[i].rc;
        }
    return fatal;
}

/* Store the documents of jobs [first, last) (see above); counts in *s. */
/* A document a worker passed over as stored (known_docs) that the store
 * does not hold after all: extract it now, in the writer. */
static ekg_status extract_late(const pool *p, ekg_doc_graph *d, const ekg_sink *sink)
{
    ekg_doc_graph full;
    ekg_status rc = ekg_extract_doc(p->kb, d->pending, sink, &full);
    if (rc != EKG_OK) {
        ekg_report(sink, EKG_LOG_ERROR, rc, d->path, 0, "extraction failed: %s", ekg_strerror(rc));
        return rc;
    }
    ekg_doc_graph_clear(d);
    *d = full;
    return EKG_OK;
}

static ekg_status write_group(ekg_store *st, const pool *p, job *jobs, size_t first, size_t last,
                              const ekg_sink *sink, ekg_ingest_stats *s)
{
    size_t total = 0;
    for (size_t i = first; i < last; i++)
        if (jobs[i].rc == EKG_OK) total += jobs[i].ndocs;
    doc_plan *pl = calloc(total + 1, sizeof *pl);
    if (!pl) return EKG_ERR_NOMEM;
    ekg_status fatal = EKG_OK;
    size_t n = 0, done = 0; /* plans made; plans written */
    for (size_t i = first; i < last && fatal == EKG_OK; i++) {
        if (jobs[i].rc != EKG_OK) continue;
        for (size_t k = 0; k < jobs[i].ndocs && fatal == EKG_OK; k++) {
            ekg_doc_graph *d = &jobs[i].docs[k];
            int c = collides(pl + done, n - done, d);
            if (c == 1) {
                fatal = write_plans(st, pl + done, n - done, sink);
                done = n;
                if (fatal != EKG_OK) break;
            }
            pl[n].d = d;
            if (c == 2)
                pl[n].outcome = 1;
            else
                pl[n].rc = plan_doc(st, &pl[n]);
            if (pl[n].rc == EKG_OK && pl[n].outcome != 1 && d->pending) pl[n].rc = extract_late(p, d, sink);
            n++;
        }
    }
    if (fatal == EKG_OK) fatal = write_plans(st, pl + done, n - done, sink);
    for (size_t i = 0; i < n; i++) {
        const ekg_doc_graph *d = pl[i].d;
        if (pl[i].rc != EKG_OK) {
            s->failed++;
        } else {
            s->bytes += d->bytes;
            if (pl[i].outcome == 1)
                s->unchanged++;
            else {
                if (pl[i].outcome == 2) s->replaced++;
                s->documents++;
                s->sentences += d->sentences;
                s->events += d->events;
                s->triples += ekg_triples_count(d->graph) + 1;
            }
        }
        plan_clear(&pl[i]);
    }
    free(pl);
    return fatal;
}

/* ---- the whole ingest --------------------------------------------------- */

static int in_shard(const char *path, const ekg_ingest_opts *o)
{
    if (!o || !o->shard_count) return 1;
    uint64_t h = XXH3_64bits(path, strlen(path));
    return (h % o->shard_count) == (uint64_t)(o->shard_index - 1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

ekg_status ekg_ingest(ekg_store *st, const ekg_kb *kb, const char *const *paths, size_t npaths,
                      const ekg_ingest_opts *opts, const ekg_sink *sink,
                      ekg_ingest_progress_fn progress, void *progress_ctx,
                      ekg_ingest_stats *stats)
{
    ekg_ingest_stats s = {0};
    char **files = NULL;
    size_t nfiles = 0, nthreads = 0;
    pthread_t *threads = NULL;
    double t0 = now(), last_sync = t0;
    ekg_status rc = ekg_ingest_expand(paths, npaths, sink, &files, &nfiles);
    if (rc != EKG_OK) return rc;
    known_docs known = {0};
    known_docs_load(st, &known);
    pool p = {kb, opts, &known, NULL, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    p.jobs = calloc(nfiles + 1, sizeof *p.jobs);
    if (!p.jobs) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < nfiles; i++)
        if (in_shard(files[i], opts)) p.jobs[p.njobs++].path = files[i];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = opts && opts->jobs ? opts->jobs : (cores > 0 ? (size_t)cores : 1);
    if (nthreads > p.njobs) nthreads = p.njobs;
    /* Test knobs (tests/crash/kill9.sh): commit often, in small groups, so
     * that kills land between many commits of a short ingest. */
    const char *kn = getenv("EKG_TEST_GROUP_DOCS");
    size_t group_jobs = kn && atoi(kn) > 0 ? (size_t)atoi(kn) : GROUP_JOBS;
    kn = getenv("EKG_TEST_COMMIT_SECONDS");
    double min_interval = kn ? atof(kn) : 2.0;
    p.window = 2 * group_jobs + 4 * nthreads;
    if (nthreads > 1) {
        threads = calloc(nthreads, sizeof *threads);
        if (!threads) {
            rc = EKG_ERR_NOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < nthreads; i++)
            if (pthread_create(&threads[i], NULL, worker, &p) != 0) {
                nthreads = i;
                break;
            }
    }
    for (size_t i = 0; i < p.njobs && rc == EKG_OK;) {
        /* A group of extracted files (see write_group), in input order. */
        size_t e = i, triples = 0;
        int cancelled = 0;
        while (e < p.njobs && e - i < group_jobs && triples < GROUP_TRIPLES) {
            job *j = &p.jobs[e];
            if (opts && opts->cancel && *opts->cancel) {
                cancelled = 1;
                break;
            }
            if (nthreads > 1) {
                pthread_mutex_lock(&p.mu);
                while (!j->done) pthread_cond_wait(&p.cv, &p.mu);
                pthread_mutex_unlock(&p.mu);
            } else
                run_job(&p, j);
            s.files++;
            for (size_t k = 0; k < j->ndiags; k++)
                if (sink && sink->fn) sink->fn(sink->ctx, &j->diags[k]);
            if (j->rc != EKG_OK) s.failed++;
            for (size_t k = 0; k < j->ndocs; k++) triples += ekg_triples_count(j->docs[k].graph);
            e++;
        }
        rc = write_group(st, &p, p.jobs, i, e, sink, &s);
        for (size_t k = i; k < e; k++) job_clear(&p.jobs[k]);
        pthread_mutex_lock(&p.mu);
        p.written = e;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        /* Commit at intervals: documents before a commit survive a crash,
         * the rest are redone by the next ingest. A commit costs a copy of
         * the store (made by the next write), so the interval grows with the
         * store to keep that copy under a tenth of the time. */
        double t = now();
        double cost = ekg_store_commit_cost(st);
        if (rc == EKG_OK && t - last_sync > (cost * 10 > min_interval ? cost * 10 : min_interval)) {
            if (ekg_store_commit(st) != EKG_OK) rc = EKG_ERR_STORE;
            last_sync = now();
        }
        s.seconds = t - t0;
        if (progress && e > i) progress(progress_ctx, &s, p.jobs[e - 1].path);
        i = e;
        if (cancelled) break;
    }
    if (rc == EKG_OK) rc = ekg_store_commit(st);
cleanup:
    if (threads) {
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        for (size_t i = 0; i < nthreads; i++) pthread_join(threads[i], NULL);
        free(threads);
    }
    if (p.jobs)
        for (size_t i = 0; i < p.njobs; i++) job_clear(&p.jobs[i]);
    free(p.jobs);
    free(known.v);
    ekg_ingest_files_free(files, nfiles);
    s.seconds = now() - t0;
    if (stats) *stats = s;
    return rc;
}
