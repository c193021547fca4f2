/* ingest.c — walk inputs, extract in worker threads, write in input order
 * through one writer (the calling thread), so the store never sees
 * concurrent writes and -j N writes exactly what -j 1 writes. */
#include "ekg/ingest.h"

#include "ekg/extract.h"

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
    char **v;
    size_t n, cap;
    dev_t *devs; /* directories on the current walk, for loop detection */
    ino_t *inos;
    size_t depth;
} walk;

static int push(walk *w, const char *s)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        char **v = realloc(w->v, cap * sizeof *v);
        if (!v) return -1;
        w->v = v;
        w->cap = cap;
    }
    if (!(w->v[w->n] = strdup(s))) return -1;
    w->n++;
    return 0;
}

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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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
    walk sub = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) continue;
        if (push(&sub, path)) break;
    }
    closedir(d);
    qsort(sub.v, sub.n, sizeof *sub.v, cmp_str);
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
            if (push(w, sub.v[i])) rc = EKG_ERR_NOMEM;
        }
    }
    ekg_ingest_files_free(sub.v, sub.n);
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
        } else if (push(&w, paths[i])) /* files are tried whatever their name */
            rc = EKG_ERR_NOMEM;
    }
    free(w.devs);
    free(w.inos);
    if (rc != EKG_OK) {
        ekg_ingest_files_free(w.v, w.n);
        return rc;
    }
    *files = w.v;
    *nfiles = w.n;
    return EKG_OK;
}

/* ---- extraction jobs ---------------------------------------------------- */

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

static int stop_at_first(void *ctx, const ekg_triple *t, const char *g)
{
    (void)t;
    (void)g;
    *(bool *)ctx = true;
    return 1;
}

static int is_hash_triple(const ekg_triple *t, const char *doc)
{
    return t->s.kind == EKG_TERM_IRI && strcmp(t->s.value, doc) == 0 &&
           strcmp(t->p.value, EKG_NS "contentHash") == 0;
}

/* Store one extracted document. *outcome: 0 stored, 1 unchanged, 2 replaced. */
static ekg_status write_doc(ekg_store *st, const ekg_doc_graph *d, const ekg_sink *sink,
                            int *outcome)
{
    ekg_status rc = EKG_OK;
    ekg_term doc = ekg_iri(d->doc_iri), hashp = ekg_iri(EKG_NS "contentHash");
    ekg_term pathp = ekg_iri(EKG_NS "path"), pathv = ekg_literal(d->path, NULL);
    bool complete = false;
    iri_list old = {0};
    *outcome = 0;
    EKG_TRY(rc, ekg_store_contains(st, &doc, &hashp, NULL, &complete));
    if (complete) {
        *outcome = 1;
        return EKG_OK;
    }
    /* An older version of this file, or a graph a crash cut short. */
    EKG_TRY(rc, ekg_store_sources(st, &pathp, &pathv, collect_iri, &old));
    for (size_t i = 0; i < old.n; i++) {
        if (strcmp(old.v[i], d->doc_iri) != 0) *outcome = 2;
        EKG_TRY(rc, ekg_store_remove_graph(st, old.v[i]));
    }
    {
        /* Any quad in the document's graph (not only about the document
         * node: a crash may have cut it short before those). */
        bool partial = false;
        EKG_TRY(rc, ekg_store_match(st, NULL, NULL, NULL, d->doc_iri, stop_at_first, &partial));
        if (partial) EKG_TRY(rc, ekg_store_remove_graph(st, d->doc_iri));
    }
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
        ekg_triple h = {doc, hashp, ekg_literal(d->content_hash, NULL)};
        EKG_TRY(rc, ekg_store_add(st, d->doc_iri, &h, 1));
    }
cleanup:
    for (size_t i = 0; i < old.n; i++) free(old.v[i]);
    free(old.v);
    if (rc != EKG_OK)
        ekg_report(sink, EKG_LOG_ERROR, rc, d->path, 0, "could not be stored: %s",
                   ekg_strerror(rc));
    return rc;
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
    pool p = {kb, opts, NULL, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
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
    p.window = 4 * nthreads;
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
    for (size_t i = 0; i < p.njobs; i++) {
        job *j = &p.jobs[i];
        if (opts && opts->cancel && *opts->cancel) break;
        if (nthreads > 1) {
            pthread_mutex_lock(&p.mu);
            while (!j->done) pthread_cond_wait(&p.cv, &p.mu);
            pthread_mutex_unlock(&p.mu);
        } else
            run_job(&p, j);
        s.files++;
        for (size_t k = 0; k < j->ndiags; k++)
            if (sink && sink->fn) sink->fn(sink->ctx, &j->diags[k]);
        if (j->rc != EKG_OK) {
            s.failed++;
        } else {
            for (size_t k = 0; k < j->ndocs && rc == EKG_OK; k++) {
                int outcome = 0;
                const ekg_doc_graph *d = &j->docs[k];
                ekg_status w = write_doc(st, d, sink, &outcome);
                if (w != EKG_OK) {
                    s.failed++;
                    if (w == EKG_ERR_STORE || w == EKG_ERR_NOMEM) rc = w;
                    continue;
                }
                s.bytes += d->bytes;
                if (outcome == 1) {
                    s.unchanged++;
                    continue;
                }
                if (outcome == 2) s.replaced++;
                s.documents++;
                s.sentences += d->sentences;
                s.events += d->events;
                s.triples += ekg_triples_count(d->graph) + 1;
            }
        }
        job_clear(j);
        pthread_mutex_lock(&p.mu);
        p.written = i + 1;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        /* Commit at intervals: documents before a commit survive a crash,
         * the rest are redone by the next ingest. A commit copies the store,
         * so the interval grows with the store to keep that copy under a
         * tenth of the time. */
        double t = now();
        double cost = ekg_store_commit_cost(st);
        if (t - last_sync > (cost * 10 > 2.0 ? cost * 10 : 2.0)) {
            if (ekg_store_commit(st) != EKG_OK) rc = EKG_ERR_STORE;
            last_sync = now();
        }
        s.seconds = t - t0;
        if (progress) progress(progress_ctx, &s, j->path);
        if (rc != EKG_OK) break;
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
    ekg_ingest_files_free(files, nfiles);
    s.seconds = now() - t0;
    if (stats) *stats = s;
    return rc;
}
