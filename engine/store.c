/* store.c — the RDF store over librdf. The only module that includes
 * <redland.h>; Redland's ownership rules are tamed here:
 *   - librdf_new_statement_from_nodes TAKES ownership of its nodes;
 *   - librdf_model_context_add_statement COPIES the statement and context;
 *   - iterators and streams hand out BORROWED nodes/statements;
 *   - librdf_query_results_get_binding_value returns a NEW node (we free it).
 * In librdf 1.0.17 a librdf_node is a raptor_term and a librdf_statement is a
 * raptor_statement, which lets raptor's parser feed the model directly. */
#define _GNU_SOURCE /* copy_file_range */
#include "ekg/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <db.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

struct ekg_store {
    librdf_world *world;
    librdf_storage *storage;
    librdf_model *model;
    const ekg_sink *sink;
    char *spec;      /* normalised spec */
    int lock_fd;     /* flock on <dir>/lock for bdb writers, else -1 */
    /* BDB stores keep generations: <dir>/CURRENT names the committed one; a
     * writer works on a copy (gen `wip`) and commits by renaming CURRENT. */
    char *dir;       /* bdb: the store directory, else NULL */
    unsigned cur;    /* the committed generation */
    unsigned wip;    /* the writer's working copy, 0 until its first write */
    int writer;      /* holds the write lock (bdb) */
    int dirty;       /* the writer changed something since the last commit */
    struct bulk *pending; /* adds not yet written (bdb writers; see bulk_flush) */
    struct bulk *spare;   /* the batch a background flush is writing */
    pthread_t flusher;
    int flushing;         /* a background flush runs (loads) */
    ekg_status flush_rc;
    uint64_t *bloom;      /* a load's quads so far (see ekg_store_load_file) */
    size_t bloom_bits;
    size_t added;         /* quads the flushes of a load wrote */
    double copy_seconds, sync_seconds; /* the last working copy; the last commit's syncs */
    char *cache_dir; /* see ekg_store_cache_dir */
    char lasterr[1024];
    int errors;      /* librdf errors logged since the last reset */
};

/* ---- librdf logging → sink ---------------------------------------------- */

static int log_handler(void *ud, librdf_log_message *m)
{
    ekg_store *st = ud;
    librdf_log_level lv = librdf_log_message_level(m);
    const char *msg = librdf_log_message_message(m);
    if (lv >= LIBRDF_LOG_ERROR) {
        snprintf(st->lasterr, sizeof st->lasterr, "%s", msg ? msg : "unknown librdf error");
        st->errors++;
    } else if (lv == LIBRDF_LOG_WARN && msg) {
        /* rasqal warns about unused variables of valid queries: a note, not
         * something a user must act on. */
        ekg_report(st->sink, EKG_LOG_NOTE, EKG_OK, st->spec, 0, "%s", msg);
    }
    return 1;
}

static ekg_status fail(ekg_store *st, ekg_status code, const char *what)
{
    return ekg_report(st->sink, EKG_LOG_ERROR, code, st->spec, 0, "%s%s%s", what,
                      st->lasterr[0] ? ": " : "", st->lasterr);
}

/* ---- term conversion ---------------------------------------------------- */

/* librdf rewrites every xsd:boolean literal it builds to "true" or "false"
 * (so "1" and even an invalid "none" come back as "true"/"false"): data
 * would change on the way through the store. A boolean whose lexical form
 * is not already canonical is kept under a private datatype and handed
 * back as xsd:boolean, exactly as written. */
#define XSD_BOOLEAN "http://www.w3.org/2001/XMLSchema#boolean"
#define RAW_BOOLEAN "https://w3id.org/ekg/ns#lexicalBoolean"

static int needs_raw_boolean(const char *lex, const char *dt)
{
    return dt && strcmp(dt, XSD_BOOLEAN) == 0 && lex && strcmp(lex, "true") != 0 &&
           strcmp(lex, "false") != 0;
}

static ekg_term term_of(librdf_node *n)
{
    ekg_term t = {EKG_TERM_NONE, NULL, NULL, NULL};
    if (!n) return t;
    switch (n->type) {
    case RAPTOR_TERM_TYPE_URI:
        t.kind = EKG_TERM_IRI;
        t.value = (const char *)raptor_uri_as_string(n->value.uri);
        break;
    case RAPTOR_TERM_TYPE_LITERAL:
        t.kind = EKG_TERM_LITERAL;
        t.value = (const char *)n->value.literal.string;
        t.lang = n->value.literal.language ? (const char *)n->value.literal.language : NULL;
        t.datatype = n->value.literal.datatype
                         ? (const char *)raptor_uri_as_string(n->value.literal.datatype)
                         : NULL;
        if (t.datatype && strcmp(t.datatype, RAW_BOOLEAN) == 0) t.datatype = XSD_BOOLEAN;
        if (!t.value) t.value = "";
        break;
    case RAPTOR_TERM_TYPE_BLANK:
        t.kind = EKG_TERM_BLANK;
        t.value = (const char *)n->value.blank.string;
        break;
    default: break;
    }
    return t;
}

/* A new node for a term (caller owns), or NULL for a wildcard / failure. */
static librdf_node *node_of(ekg_store *st, const ekg_term *t)
{
    if (!t || t->kind == EKG_TERM_NONE || !t->value) return NULL;
    switch (t->kind) {
    case EKG_TERM_IRI:
        return librdf_new_node_from_uri_string(st->world, (const unsigned char *)t->value);
    case EKG_TERM_BLANK:
        return librdf_new_node_from_blank_identifier(st->world, (const unsigned char *)t->value);
    case EKG_TERM_LITERAL: {
        librdf_uri *dt = NULL;
        if (t->datatype && !t->lang)
            dt = librdf_new_uri(st->world, (const unsigned char *)(needs_raw_boolean(
                                                                    t->value, t->datatype)
                                                                    ? RAW_BOOLEAN
                                                                    : t->datatype));
        librdf_node *n = librdf_new_node_from_typed_literal(
            st->world, (const unsigned char *)t->value, t->lang, dt);
        if (dt) librdf_free_uri(dt);
        return n;
    }
    default: return NULL;
    }
}

static librdf_node *graph_node(ekg_store *st, const char *graph)
{
    return graph ? librdf_new_node_from_uri_string(st->world, (const unsigned char *)graph)
                 : NULL;
}

/* ---- open / close ------------------------------------------------------- */

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* Writers hold an exclusive lock, readers a shared one, on <dir>/lock: BDB
 * hashes files have no locking of their own, so a reader beside a writer
 * would see torn pages. A busy store is reported, never waited on forever. */
static ekg_status take_lock(ekg_store *st, const char *dir, int exclusive)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                          "cannot open lock file %s: %s", path, strerror(errno));
    for (int tries = 0;; tries++) {
        if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) break;
        if (errno != EWOULDBLOCK || tries >= 50) {
            close(fd);
            return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_BUSY, st->spec, 0,
                              "store is busy: another ekg process is %s it; try again when it "
                              "has finished",
                              exclusive ? "using" : "writing");
        }
        usleep(100000); /* up to 5 s for a short-lived holder */
    }
    st->lock_fd = fd;
    return EKG_OK;
}


/* ---- BDB generations ---------------------------------------------------- */

/* librdf's hashes storage over Berkeley DB has no transactions: a process
 * killed mid-write leaves the files torn ("multiple databases specified but
 * not supported by file"). So a writer never writes the committed files: it
 * copies the committed generation <dir>/gen-N to gen-N+1, writes there, and
 * commits by syncing, closing and atomically renaming <dir>/CURRENT to name
 * the new generation. A crash leaves CURRENT naming the last commit; readers
 * open the committed generation and never see a half-written one. */

static void gen_path(const ekg_store *st, unsigned gen, char *buf, size_t n)
{
    snprintf(buf, n, "%s/gen-%06u", st->dir, gen);
}

static unsigned read_current(const char *dir)
{
    char path[4200], buf[64] = "";
    snprintf(path, sizeof path, "%s/CURRENT", dir);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    unsigned gen = 0;
    if (fgets(buf, sizeof buf, f)) sscanf(buf, "gen-%u", &gen);
    fclose(f);
    return gen;
}

static ekg_status fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return EKG_ERR_IO;
    int r = fsync(fd);
    close(fd);
    return r == 0 ? EKG_OK : EKG_ERR_IO;
}

static int remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    char p[4400];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    return rmdir(dir);
}

/* Copy one file in the kernel (copy_file_range: no trip through user
 * memory; a reflink where the filesystem can), else by read/write. */
static int copy_file(int in, int out)
{
    struct stat sb;
    if (fstat(in, &sb) != 0) return -1;
    off_t left = sb.st_size;
    while (left > 0) {
        ssize_t r = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
        if (r <= 0) break;
        left -= r;
    }
    if (left == 0) return 0;
    /* Not supported here (or a short copy): finish with read/write. */
    static char buf[1 << 20];
    off_t at = sb.st_size - left;
    if (lseek(in, at, SEEK_SET) < 0 || lseek(out, at, SEEK_SET) < 0) return -1;
    ssize_t r;
    while ((r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)r) != r) return -1;
    return r < 0 ? -1 : 0;
}

/* Copy every file of generation `from` into a new directory `to`. Not
 * synced here: nothing reads a working copy but its writer, and the commit
 * syncs every file before it names the generation in CURRENT. */
static ekg_status copy_generation(ekg_store *st, const char *from, const char *to)
{
    if (mkdir(to, 0755) != 0 && errno != EEXIST)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                          "cannot create %s: %s", to, strerror(errno));
    DIR *d = opendir(from);
    if (!d)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0, "cannot read %s: %s",
                          from, strerror(errno));
    ekg_status rc = EKG_OK;
    struct dirent *e;
    while (rc == EKG_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char src[4600], dst[4600];
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        int in = open(src, O_RDONLY | O_CLOEXEC);
        int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (in < 0 || out < 0 || copy_file(in, out) != 0)
            rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                            "cannot copy %s: %s", src, strerror(errno));
        if (in >= 0) close(in);
        if (out >= 0) close(out);
    }
    closedir(d);
    return rc;
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decide the generation to open; for writers, take the lock and clear what
 * a crashed writer left. `out` gets the path to open. A writer reads the
 * committed generation until its first write makes the working copy
 * (ensure_wip): a writer that writes nothing copies nothing. */
static ekg_status open_bdb_generation(ekg_store *st, unsigned flags, char *out, size_t n)
{
    int readonly = (flags & EKG_STORE_READONLY) != 0;
    const char *dir = st->dir;
    ekg_status rc = EKG_OK;
    if (file_exists(dir) && !is_dir(dir))
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_STORE, st->spec, 0,
                          "%s exists and is not a store directory", dir);
    st->cur = read_current(dir);
    if (!st->cur && (readonly || !(flags & EKG_STORE_CREATE)))
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_NOTFOUND, st->spec, 0,
                          "no store at %s (run `ekg ingest FILES` to create one, or pass "
                          "--store)",
                          dir);
    if (readonly) {
        gen_path(st, st->cur, out, n);
        if (access(out, R_OK | X_OK) != 0)
            return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                              "cannot read store %s: %s", dir, strerror(errno));
        return EKG_OK;
    }
    if (!is_dir(dir) && mkdir(dir, 0755) != 0)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                          "cannot create store directory %s: %s", dir, strerror(errno));
    if (access(dir, W_OK) != 0)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                          "cannot write store %s: %s", dir, strerror(errno));
    EKG_TRY(rc, take_lock(st, dir, 1));
    st->cur = read_current(dir); /* again, now that no writer can change it */
    /* Whatever a crashed writer left: every generation but the committed. */
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        unsigned g;
        while ((e = readdir(d)))
            if (sscanf(e->d_name, "gen-%u", &g) == 1 && g != st->cur) {
                char p[4400];
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                remove_tree(p);
            }
        closedir(d);
    }
    st->writer = 1;
    if (st->cur) {
        st->wip = 0;
        gen_path(st, st->cur, out, n);
        return EKG_OK;
    }
    /* A new store: an empty generation 1, committed as soon as it is open. */
    st->wip = 1;
    gen_path(st, st->wip, out, n);
    if (mkdir(out, 0755) != 0)
        rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0, "cannot create %s: %s",
                        out, strerror(errno));
cleanup:
    return rc;
}

/* librdf's options for the hashes storage of generation directory `gen`:
 * a writer's working copy of a store with no committed generation is made
 * new; a committed generation (readers, and a writer before its first
 * write) is opened read-only. */
static void bdb_options(const ekg_store *st, const char *gen, char *buf, size_t n)
{
    snprintf(buf, n, "hash-type='bdb',dir='%s',contexts='yes',index-predicates='yes',new='%s'%s",
             gen, st->wip && !st->cur ? "yes" : "no", st->wip ? "" : ",write='no'");
}

static void close_model(ekg_store *st);
static ekg_status open_model(ekg_store *st, const char *name, const char *ident, const char *opts);

static ekg_status commit_generation(ekg_store *st, int reopen);
static ekg_status bulk_flush(ekg_store *st);
static ekg_status bulk_wait(ekg_store *st);
static void bulk_free(struct bulk *b);

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

ekg_status ekg_store_open(const char *spec, unsigned flags, const ekg_sink *sink, ekg_store **out)
{
    ekg_status rc = EKG_OK;
    *out = NULL;
    ekg_store *st = calloc(1, sizeof *st);
    if (!st) return EKG_ERR_NOMEM;
    st->sink = sink;
    st->lock_fd = -1;
    int readonly = (flags & EKG_STORE_READONLY) != 0;

    const char *name = "hashes", *ident = "ekg";
    char opts[4600];
    char norm[4200];
    char name_buf[4200];
    const char *gen_dir = NULL;
    (void)gen_dir;
    if (!spec || !*spec) spec = EKG_STORE_DEFAULT_PATH;

    if (strcmp(spec, "memory:") == 0 || strcmp(spec, "memory") == 0) {
        snprintf(norm, sizeof norm, "memory:");
        snprintf(opts, sizeof opts, "hash-type='memory',contexts='yes',index-predicates='yes'");
    } else if (strncmp(spec, "sqlite:", 7) == 0) {
        snprintf(norm, sizeof norm, "%s", spec);
        name = "sqlite";
        ident = spec + 7;
        if (readonly && !file_exists(ident)) {
            st->spec = xstrdup(norm);
            rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_NOTFOUND, spec, 0,
                            "no store at %s (run `ekg ingest` to create one)", ident);
            goto cleanup;
        }
        snprintf(opts, sizeof opts, "new='%s',contexts='yes'", file_exists(ident) ? "no" : "yes");
    } else if (strncmp(spec, "postgresql:", 11) == 0) {
        snprintf(norm, sizeof norm, "%s", spec);
        name = "postgresql";
        ident = "ekg";
        snprintf(opts, sizeof opts, "%s,contexts='yes'", spec + 11);
    } else {
        const char *dir = strncmp(spec, "bdb:", 4) == 0 ? spec + 4 : spec;
        if (!*dir || strlen(dir) > 4000) {
            rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, spec, 0,
                            "invalid store spec (expected PATH, bdb:PATH, memory:, sqlite:FILE "
                            "or postgresql:OPTIONS)");
            goto cleanup;
        }
        snprintf(norm, sizeof norm, "bdb:%s", dir);
        st->spec = xstrdup(norm);
        /* Single quotes delimit librdf option values; refuse paths with one. */
        if (strchr(dir, '\'')) {
            rc = ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_ARG, st->spec, 0,
                            "store path must not contain a single quote");
            goto cleanup;
        }
        if (!(st->dir = xstrdup(dir))) {
            rc = EKG_ERR_NOMEM;
            goto cleanup;
        }
        EKG_TRY(rc, open_bdb_generation(st, flags, name_buf, sizeof name_buf));
        gen_dir = name_buf;
        bdb_options(st, gen_dir, opts, sizeof opts);
    }
    if (!st->spec) st->spec = xstrdup(norm);
    if (!st->spec) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }

    st->world = librdf_new_world();
    if (!st->world) {
        rc = EKG_ERR_NOMEM;
        goto cleanup;
    }
    librdf_world_set_logger(st->world, st, log_handler);
    librdf_world_open(st->world);
    rc = open_model(st, name, ident, opts);
    /* A reader can lose a race with a writer's commit (the generation it read
     * from CURRENT was just replaced): read CURRENT again. */
    for (int tries = 0; rc != EKG_OK && st->dir && !st->writer && tries < 5; tries++) {
        close_model(st);
        st->lasterr[0] = 0;
        usleep(50000);
        EKG_TRY(rc, open_bdb_generation(st, flags, name_buf, sizeof name_buf));
        bdb_options(st, name_buf, opts, sizeof opts);
        rc = open_model(st, name, ident, opts);
    }
    if (rc != EKG_OK) goto cleanup;
    /* A new store exists, empty, from the moment it is opened. */
    if (st->dir && st->writer && st->wip && !st->cur) EKG_TRY(rc, commit_generation(st, 1));
    *out = st;
    return EKG_OK;
cleanup:
    ekg_store_free(st);
    return rc;
}

static void close_model(ekg_store *st)
{
    if (st->model) {
        librdf_model_sync(st->model);
        librdf_free_model(st->model);
        st->model = NULL;
    }
    if (st->storage) {
        librdf_free_storage(st->storage);
        st->storage = NULL;
    }
}

static ekg_status open_model(ekg_store *st, const char *name, const char *ident, const char *opts)
{
    st->storage = librdf_new_storage(st->world, name, ident, opts);
    if (!st->storage) return fail(st, EKG_ERR_STORE, "cannot open storage");
    st->model = librdf_new_model(st->world, st->storage, NULL);
    if (!st->model) return fail(st, EKG_ERR_STORE, "cannot open model");
    return EKG_OK;
}

/* The writer's first write: copy the committed generation to the working
 * copy and reopen the model on it, writable. A no-op for other storages,
 * for readers, and once the copy exists. */
static ekg_status ensure_wip(ekg_store *st)
{
    if (!st->dir || !st->writer || st->wip) return EKG_OK;
    ekg_status rc = EKG_OK;
    char from[4200], to[4200], opts[4600];
    close_model(st);
    st->wip = st->cur + 1;
    gen_path(st, st->cur, from, sizeof from);
    gen_path(st, st->wip, to, sizeof to);
    double t0 = mono_now();
    rc = copy_generation(st, from, to);
    st->copy_seconds = mono_now() - t0;
    if (rc != EKG_OK) {
        remove_tree(to);
        st->wip = 0;
        bdb_options(st, from, opts, sizeof opts);
        open_model(st, "hashes", "ekg", opts);
        return rc;
    }
    bdb_options(st, to, opts, sizeof opts);
    return open_model(st, "hashes", "ekg", opts);
}

/* Make the writer's working copy the committed generation (see above):
 * sync its files, then name it in CURRENT. Afterwards the model reads the
 * new committed generation if `reopen`, else it is closed; the next write
 * makes the next working copy. Nothing to do if nothing was written. */
static ekg_status commit_generation(ekg_store *st, int reopen)
{
    ekg_status rc = EKG_OK;
    char wip[4200], cur[4200], tmp[4300], fin[4300];
    if (!st->wip) {
        if (!reopen) close_model(st);
        return EKG_OK;
    }
    EKG_TRY(rc, bulk_flush(st));
    gen_path(st, st->wip, wip, sizeof wip);
    gen_path(st, st->cur, cur, sizeof cur);
    double t0 = mono_now();
    close_model(st);
    DIR *d = opendir(wip);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                char p[4600];
                snprintf(p, sizeof p, "%s/%s", wip, e->d_name);
                if (fsync_path(p) != EKG_OK) rc = EKG_ERR_IO;
            }
        closedir(d);
    }
    snprintf(tmp, sizeof tmp, "%s/CURRENT.tmp", st->dir);
    snprintf(fin, sizeof fin, "%s/CURRENT", st->dir);
    FILE *f = rc == EKG_OK ? fopen(tmp, "w") : NULL;
    if (!f || fprintf(f, "gen-%06u\n", st->wip) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0 ||
        fclose(f) != 0 || rename(tmp, fin) != 0 || fsync_path(st->dir) != EKG_OK) {
        if (f) fclose(f);
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0,
                          "cannot commit to %s: %s", st->dir, strerror(errno));
    }
    if (st->cur) remove_tree(cur);
    st->cur = st->wip;
    st->wip = 0;
    st->dirty = 0;
    st->sync_seconds = mono_now() - t0;
    if (!reopen) return EKG_OK;
    char opts[4600];
    bdb_options(st, wip, opts, sizeof opts);
    rc = open_model(st, "hashes", "ekg", opts);
cleanup:
    return rc;
}

ekg_status ekg_store_commit(ekg_store *st)
{
    if (!st->dir || !st->writer) return ekg_store_sync(st);
    return commit_generation(st, 1); /* nothing to do if nothing was written */
}

double ekg_store_commit_cost(const ekg_store *st) { return st->copy_seconds + st->sync_seconds; }

const char *ekg_store_cache_dir(ekg_store *st)
{
    if (!st->dir || st->writer || !st->cur) return NULL;
    if (!st->cache_dir) {
        char p[4200];
        gen_path(st, st->cur, p, sizeof p);
        st->cache_dir = xstrdup(p);
    }
    return st->cache_dir;
}

unsigned long ekg_store_generation(const ekg_store *st) { return st->cur; }

/* Drop the working copy unwritten (the writer copied but changed nothing). */
static void drop_wip(ekg_store *st)
{
    if (!st->wip) return;
    char gen[4200];
    gen_path(st, st->wip, gen, sizeof gen);
    close_model(st);
    remove_tree(gen);
    st->wip = 0;
}

ekg_status ekg_store_reopen(ekg_store *st, unsigned flags)
{
    if (!st->dir) return EKG_OK; /* memory and server storages: always writable */
    int want_write = !(flags & EKG_STORE_READONLY);
    if (want_write == st->writer) return EKG_OK;
    ekg_status rc = EKG_OK;
    char gen[4200], opts[4600];
    free(st->cache_dir); /* it names the generation being left */
    st->cache_dir = NULL;
    if (!want_write) {
        /* Writer → reader: commit what was written (or drop the unused copy),
         * let other writers in, and read the committed generation. */
        EKG_TRY(rc, bulk_flush(st));
        if (st->dirty || !st->cur) {
            EKG_TRY(rc, commit_generation(st, 0));
        } else
            drop_wip(st);
        close_model(st);
        st->writer = 0;
        if (st->lock_fd >= 0) {
            close(st->lock_fd);
            st->lock_fd = -1;
        }
        EKG_TRY(rc, open_bdb_generation(st, EKG_STORE_READONLY, gen, sizeof gen));
        bdb_options(st, gen, opts, sizeof opts);
        rc = open_model(st, "hashes", "ekg", opts);
    } else {
        close_model(st);
        EKG_TRY(rc, open_bdb_generation(st, EKG_STORE_CREATE, gen, sizeof gen));
        bdb_options(st, gen, opts, sizeof opts);
        EKG_TRY(rc, open_model(st, "hashes", "ekg", opts));
        if (st->wip && !st->cur) rc = commit_generation(st, 1);
    }
cleanup:
    return rc;
}

void ekg_store_free(ekg_store *st)
{
    if (!st) return;
    if (st->dir && st->writer && st->model) {
        if (bulk_flush(st) != EKG_OK) {
            /* What could not be written is not committed either. */
            drop_wip(st);
        } else if (st->dirty || !st->cur) {
            commit_generation(st, 0);
        } else
            drop_wip(st);
    }
    bulk_wait(st);
    bulk_free(st->pending);
    bulk_free(st->spare);
    free(st->bloom);
    close_model(st);
    if (st->world) librdf_free_world(st->world);
    if (st->lock_fd >= 0) close(st->lock_fd);
    free(st->dir);
    free(st->cache_dir);
    free(st->spec);
    free(st);
}

const char *ekg_store_spec(const ekg_store *st) { return st->spec; }

ekg_status ekg_store_sync(ekg_store *st)
{
    st->lasterr[0] = 0;
    ekg_status rc = bulk_flush(st);
    if (rc != EKG_OK) return rc;
    if (librdf_model_sync(st->model) != 0) return fail(st, EKG_ERR_STORE, "sync failed");
    return EKG_OK;
}

/* ---- bulk writing: sorted batches straight into the BDB files ----------- */

/* librdf's hashes storage writes each quad to five Berkeley DB B-trees
 * (sp2o, po2s, so2p, p2so: "index-predicates"; contexts), one put per tree,
 * in the order the quads come, through BDB's default 256 KB cache per file
 * (librdf opens each file without an environment): nearly every put lands
 * on a page that is not cached, so most of the time goes to reading and
 * writing pages. A BDB writer instead buffers the quads it is given (each
 * distinct node encoded once, in librdf's encoding) and writes a batch tree
 * by tree in key order, through its own handles on the same files with a
 * larger cache; the librdf model is closed meanwhile (two handles without an
 * environment must not share a file) and reopened after. Keys and values are
 * byte for byte what librdf writes, and the sort is stable, so duplicates of
 * a key keep the order they came in: the files read back exactly as if
 * librdf had added the quads one by one. Reads, removals, syncs and commits
 * write the batch first, so a writer always reads what it wrote. */

#define BULK_MAX_QUADS (1u << 19)   /* quads per batch */
#define BULK_MAX_BYTES (48u << 20)  /* distinct node encodings per batch */
#define BULK_CACHE (8u << 20)       /* BDB cache per tree while writing, at most */

typedef struct bulk {
    unsigned char *arena; /* node encodings */
    size_t alen, acap;
    size_t *off;          /* per node: offset in arena, length, hash */
    uint32_t *len;
    uint64_t *hash;
    size_t nn, ncap;
    uint32_t *slot; /* node table: id + 1, 0 = empty */
    size_t scap;
    uint32_t *q; /* 4 node ids per quad: s p o c */
    size_t nq, qcap;
    uint32_t *qslot; /* quad table (exact de-duplication): index + 1 */
    size_t qscap;
    unsigned char *enc; /* scratch for one encoding */
    size_t enccap;

} bulk;

static void bulk_free(bulk *b)
{
    if (!b) return;
    free(b->arena);
    free(b->off);
    free(b->len);
    free(b->hash);
    free(b->slot);
    free(b->q);
    free(b->qslot);
    free(b->enc);
    free(b);
}

static void bulk_clear(bulk *b)
{
    b->alen = b->nn = b->nq = 0;
    if (b->slot) memset(b->slot, 0, b->scap * sizeof *b->slot);
    if (b->qslot) memset(b->qslot, 0, b->qscap * sizeof *b->qslot);
}

static bulk *bulk_get(ekg_store *st)
{
    if (!st->pending) st->pending = calloc(1, sizeof(bulk));
    return st->pending;
}

/* EKG_BULK_QUADS (tests only) makes batches small, to exercise their
 * boundaries with small files. */
static size_t bulk_max_quads(void)
{
    static size_t max;
    if (!max) {
        const char *e = getenv("EKG_BULK_QUADS");
        long v = e ? strtol(e, NULL, 10) : 0;
        max = v > 0 ? (size_t)v : BULK_MAX_QUADS;
    }
    return max;
}

static int bulk_full(const bulk *b)
{
    return b->nq >= bulk_max_quads() || b->alen >= BULK_MAX_BYTES;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need) c *= 2;
    void *n = realloc(*p, c * elem);
    if (!n) return -1;
    *p = n;
    *cap = c;
    return 0;
}

/* The id of a node given its encoding (interned), or UINT32_MAX. */
static uint32_t bulk_node(bulk *b, const unsigned char *e, size_t n)
{
    uint64_t h = XXH3_64bits(e, n);
    if ((b->nn + 1) * 2 > b->scap) {
        size_t cap = b->scap ? b->scap * 2 : 1 << 16;
        uint32_t *ns = calloc(cap, sizeof *ns);
        if (!ns) return UINT32_MAX;
        for (size_t i = 0; i < b->nn; i++) {
            size_t j = b->hash[i] & (cap - 1);
            while (ns[j]) j = (j + 1) & (cap - 1);
            ns[j] = (uint32_t)i + 1;
        }
        free(b->slot);
        b->slot = ns;
        b->scap = cap;
    }
    size_t j = h & (b->scap - 1);
    for (; b->slot[j]; j = (j + 1) & (b->scap - 1)) {
        uint32_t id = b->slot[j] - 1;
        if (b->hash[id] == h && b->len[id] == n && !memcmp(b->arena + b->off[id], e, n))
            return id;
    }
    size_t c1 = b->ncap, c2 = b->ncap, c3 = b->ncap;
    if (grow((void **)&b->arena, &b->acap, b->alen + n, 1) ||
        grow((void **)&b->off, &c1, b->nn + 1, sizeof *b->off) ||
        grow((void **)&b->len, &c2, b->nn + 1, sizeof *b->len) ||
        grow((void **)&b->hash, &c3, b->nn + 1, sizeof *b->hash))
        return UINT32_MAX;
    b->ncap = c1;
    memcpy(b->arena + b->alen, e, n);
    b->off[b->nn] = b->alen;
    b->len[b->nn] = (uint32_t)n;
    b->hash[b->nn] = h;
    b->alen += n;
    b->slot[j] = (uint32_t)b->nn + 1;
    return (uint32_t)b->nn++;
}

/* The id of a librdf node (encoded as librdf encodes it), or UINT32_MAX. */
static uint32_t bulk_librdf_node(bulk *b, librdf_node *node)
{
    size_t n = librdf_node_encode(node, NULL, 0);
    if (!n || grow((void **)&b->enc, &b->enccap, n, 1)) return UINT32_MAX;
    if (librdf_node_encode(node, b->enc, b->enccap) != n) return UINT32_MAX;
    return bulk_node(b, b->enc, n);
}

static uint64_t quad_hash(const uint32_t *q)
{
    return XXH3_64bits(q, 4 * sizeof *q);
}

/* Buffer a quad: 1 if new to the batch, 0 if the batch has it, -1 on no memory. */
static int bulk_quad(bulk *b, uint32_t s, uint32_t p, uint32_t o, uint32_t c)
{
    if (s == UINT32_MAX || p == UINT32_MAX || o == UINT32_MAX || c == UINT32_MAX) return -1;
    if ((b->nq + 1) * 2 > b->qscap) {
        size_t cap = b->qscap ? b->qscap * 2 : 1 << 16;
        uint32_t *ns = calloc(cap, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < b->nq; i++) {
            size_t j = quad_hash(b->q + 4 * i) & (cap - 1);
            while (ns[j]) j = (j + 1) & (cap - 1);
            ns[j] = (uint32_t)i + 1;
        }
        free(b->qslot);
        b->qslot = ns;
        b->qscap = cap;
    }
    uint32_t k[4] = {s, p, o, c};
    size_t j = quad_hash(k) & (b->qscap - 1);
    for (; b->qslot[j]; j = (j + 1) & (b->qscap - 1))
        if (!memcmp(b->q + 4 * (b->qslot[j] - 1), k, sizeof k)) return 0;
    if (grow((void **)&b->q, &b->qcap, 4 * (b->nq + 1), sizeof *b->q)) return -1;
    memcpy(b->q + 4 * b->nq, k, sizeof k);
    b->qslot[j] = (uint32_t)++b->nq;
    return 1;
}

/* -- flushing -- */

static __thread const bulk *sort_bulk;

/* Berkeley DB's default B-tree order: bytes, unsigned, then length. */
static int cmp_node(const void *x, const void *y)
{
    const bulk *b = sort_bulk;
    uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    size_t li = b->len[i], lj = b->len[j];
    int c = memcmp(b->arena + b->off[i], b->arena + b->off[j], li < lj ? li : lj);
    return c ? c : (li < lj ? -1 : li > lj);
}

typedef struct {
    uint64_t k;
    uint32_t i;
} sort_kv;

/* Stable LSD radix sort on k (11-bit digits; digits all alike are skipped). */
static void radix_sort(sort_kv *a, sort_kv *tmp, size_t n, unsigned bits)
{
    size_t cnt[2048];
    for (unsigned sh = 0; sh < bits; sh += 11) {
        memset(cnt, 0, sizeof cnt);
        for (size_t i = 0; i < n; i++) cnt[(a[i].k >> sh) & 2047]++;
        if (n && cnt[(a[0].k >> sh) & 2047] == n) continue;
        size_t sum = 0;
        for (size_t d = 0; d < 2048; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) tmp[cnt[(a[i].k >> sh) & 2047]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

enum { Q_S = 0, Q_P = 1, Q_O = 2, Q_C = 3 };

/* The five trees of librdf's hashes storage, in its order: key and value
 * parts (bit i = quad part i). The contexts tree is keyed by the bare
 * context node and holds the encoded triple. */
static const struct {
    const char *name;
    unsigned key, value;
} TREES[5] = {{"sp2o", 1u << Q_S | 1u << Q_P, 1u << Q_O},
              {"po2s", 1u << Q_P | 1u << Q_O, 1u << Q_S},
              {"so2p", 1u << Q_S | 1u << Q_O, 1u << Q_P},
              {"p2so", 1u << Q_P, 1u << Q_S | 1u << Q_O},
              {"contexts", 1u << Q_C, 1u << Q_S | 1u << Q_P | 1u << Q_O}};

/* librdf_statement_encode_parts2: 'x', then 's' 'p' 'o' each followed by
 * its node, then 'c' and the context node when given. */
static size_t encode_parts(const bulk *b, const uint32_t *q, unsigned parts, int with_ctx,
                           unsigned char *out)
{
    static const char tag[3] = {'s', 'p', 'o'};
    size_t n = 0;
    out[n++] = 'x';
    for (int i = 0; i < 3; i++)
        if (parts & (1u << i)) {
            out[n++] = (unsigned char)tag[i];
            memcpy(out + n, b->arena + b->off[q[i]], b->len[q[i]]);
            n += b->len[q[i]];
        }
    if (with_ctx) {
        out[n++] = 'c';
        memcpy(out + n, b->arena + b->off[q[Q_C]], b->len[q[Q_C]]);
        n += b->len[q[Q_C]];
    }
    return n;
}

static size_t encode_key(const bulk *b, const uint32_t *q, int tree, unsigned char *out)
{
    if (tree == 4) {
        memcpy(out, b->arena + b->off[q[Q_C]], b->len[q[Q_C]]);
        return b->len[q[Q_C]];
    }
    return encode_parts(b, q, TREES[tree].key, 0, out);
}

static size_t encode_value(const bulk *b, const uint32_t *q, int tree, unsigned char *out)
{
    return encode_parts(b, q, TREES[tree].value, tree != 4, out);
}

/* The batch's encodings must be librdf's: check one quad's sp2o key and
 * value against librdf_statement_encode_parts2. */
static int encoding_matches(ekg_store *st, const bulk *b, const uint32_t *q, unsigned char *buf,
                            size_t cap)
{
    librdf_node *n[4];
    for (int i = 0; i < 4; i++)
        n[i] = librdf_node_decode(st->world, NULL, b->arena + b->off[q[i]], b->len[q[i]]);
    int ok = 0;
    if (n[0] && n[1] && n[2] && n[3]) {
        librdf_statement *s = librdf_new_statement_from_nodes(
            st->world, librdf_new_node_from_node(n[0]), librdf_new_node_from_node(n[1]),
            librdf_new_node_from_node(n[2]));
        if (s) {
            size_t kl = encode_key(b, q, 0, buf), vl = encode_value(b, q, 0, buf + kl);
            unsigned char *ref = buf + kl + vl;
            size_t rk = librdf_statement_encode_parts2(st->world, s, NULL, ref, cap - kl - vl,
                                                       LIBRDF_STATEMENT_SUBJECT |
                                                           LIBRDF_STATEMENT_PREDICATE);
            ok = rk == kl && !memcmp(ref, buf, kl);
            size_t rv = librdf_statement_encode_parts2(st->world, s, n[3], ref, cap - kl - vl,
                                                       LIBRDF_STATEMENT_OBJECT);
            ok = ok && rv == vl && !memcmp(ref, buf + kl, vl);
            librdf_free_statement(s);
        }
    }
    for (int i = 0; i < 4; i++)
        if (n[i]) librdf_free_node(n[i]);
    return ok;
}

/* Berkeley DB's default order and prefix function (__bam_defcmp,
 * __bam_defpfx), with memcmp instead of its byte-at-a-time loops: keys
 * share long prefixes ("https://w3id.org/ekg/id/…"), and comparing them was
 * the largest single cost of a put. Same order, so librdf (which uses the
 * defaults) reads the files as before. */
static int fast_cmp(DB *db, const DBT *a, const DBT *b)
{
    (void)db;
    size_t n = a->size < b->size ? a->size : b->size;
    int c = memcmp(a->data, b->data, n);
    if (c) return c;
    return a->size < b->size ? -1 : a->size > b->size;
}

static size_t fast_pfx(DB *db, const DBT *a, const DBT *b)
{
    (void)db;
    size_t n = a->size < b->size ? a->size : b->size;
    const unsigned char *p = a->data, *q = b->data;
    size_t i = 0;
    while (i + 8 <= n && !memcmp(p + i, q + i, 8)) i += 8;
    for (; i < n; i++)
        if (p[i] != q[i]) return i + 1;
    if (a->size < b->size) return a->size + 1;
    if (b->size < a->size) return b->size + 1;
    return b->size;
}

static ekg_status bdb_fail(ekg_store *st, const char *what, const char *tree, int r)
{
    return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_STORE, st->spec, 0, "%s %s: %s", what,
                      tree, db_strerror(r));
}

/* One flush's shared state; trees are written by two threads, each with
 * its own B-tree handles (a handle belongs to one thread) and buffers. */
typedef struct {
    ekg_store *st;
    const bulk *b;
    const uint32_t *rank;
    const unsigned char *keep;
    unsigned rbits;
    size_t bufcap;
    DB **db;
    ekg_status rc[5];
    int err[5];
    double secs[5];
} flush_job;

/* Sort the kept quads by tree `t`'s key and put them; close the tree. */
static void write_tree(flush_job *j, int t, sort_kv *a, sort_kv *tmp, unsigned char *buf)
{
    const bulk *b = j->b;
    double t0 = mono_now();
    size_t n = 0;
    for (size_t i = 0; i < b->nq; i++) {
        if (!j->keep[i]) continue;
        const uint32_t *q = b->q + 4 * i;
        uint64_t k = 0;
        for (int part = 0; part < 4; part++)
            if (TREES[t].key & (1u << part)) k = (k << j->rbits) | j->rank[q[part]];
        a[n].k = k;
        a[n].i = (uint32_t)i;
        n++;
    }
    unsigned kbits = TREES[t].key == (1u << Q_P) || t == 4 ? j->rbits : 2 * j->rbits;
    radix_sort(a, tmp, n, kbits);
    DB *db = j->db[t];
    DBC *cur = NULL;
    int r = db->cursor(db, NULL, &cur, 0);
    for (size_t x = 0; x < n && !r; x++) {
        const uint32_t *q = b->q + 4 * a[x].i;
        DBT k, v;
        memset(&k, 0, sizeof k);
        memset(&v, 0, sizeof v);
        k.data = buf;
        k.size = (u_int32_t)encode_key(b, q, t, buf);
        v.data = buf + k.size;
        v.size = (u_int32_t)encode_value(b, q, t, buf + k.size);
        r = cur->put(cur, &k, &v, DB_KEYLAST);
    }
    if (cur) cur->close(cur);
    int cr = db->close(db, 0); /* writes the cached pages out */
    j->db[t] = NULL;
    j->err[t] = r ? r : cr;
    j->secs[t] = mono_now() - t0;
}

static const int TREE_SET[2][3] = {{0, 3, 4}, {1, 2, -1}}; /* sp2o p2so contexts | po2s so2p */

typedef struct {
    flush_job *j;
    int set;
    int nomem;
} tree_worker;

static void *tree_thread(void *arg)
{
    tree_worker *w = arg;
    const bulk *b = w->j->b;
    sort_kv *a = malloc((b->nq + 1) * sizeof *a), *tmp = malloc((b->nq + 1) * sizeof *tmp);
    unsigned char *buf = malloc(w->j->bufcap);
    if (!a || !tmp || !buf)
        w->nomem = 1;
    else
        for (int i = 0; i < 3; i++)
            if (TREE_SET[w->set][i] >= 0) write_tree(w->j, TREE_SET[w->set][i], a, tmp, buf);
    free(a);
    free(tmp);
    free(buf);
    return NULL;
}

/* A quad's hash from its nodes' contents (ids are only the batch's). */
static uint64_t quad_content_hash(const bulk *b, const uint32_t *q)
{
    uint64_t h[4] = {b->hash[q[0]], b->hash[q[1]], b->hash[q[2]], b->hash[q[3]]};
    return XXH3_64bits(h, sizeof h);
}

/* Bloom filter of the quads a load has written (see ekg_store_load_file). */
static int bloom_test_add(ekg_store *st, uint64_t h)
{
    int all = 1;
    uint64_t x = h;
    for (int i = 0; i < 4; i++) {
        uint64_t bit = x & (st->bloom_bits - 1);
        if (!(st->bloom[bit >> 6] & (1ull << (bit & 63)))) {
            all = 0;
            st->bloom[bit >> 6] |= 1ull << (bit & 63);
        }
        x = (x >> 17) | (x << 47);
        x *= 0x9E3779B97F4A7C15ull;
    }
    return all;
}

/* The BDB cache per tree for a batch of n quads: small batches (an
 * ingest's groups) need less, 256 bytes a quad, at least 1 MB. */
static u_int32_t bulk_cache(size_t n)
{
    if (n >= BULK_CACHE / 256) return BULK_CACHE;
    return n * 256 < (1u << 20) ? 1u << 20 : (u_int32_t)(n * 256);
}

/* Write batch `b` into the trees of generation directory `gen` (the model
 * is closed), and empty it. Uses no librdf: it may run beside a parser. */
static ekg_status flush_batch(ekg_store *st, bulk *b, const char *gen)
{
    ekg_status rc = EKG_OK;
    size_t nq = b->nq, nn = b->nn;
    DB *db[5] = {0};
    double t0 = mono_now();
    uint32_t *order = malloc(nn * sizeof *order), *rank = malloc(nn * sizeof *rank);
    unsigned char *keep = malloc(nq);
    /* the longest record: 'x' + four tagged nodes */
    size_t maxlen = 0;
    for (size_t i = 0; i < nn; i++)
        if (b->len[i] > maxlen) maxlen = b->len[i];
    size_t bufcap = 3 * (8 + 4 * (maxlen + 1));
    unsigned char *buf = malloc(bufcap);
    flush_job job = {0};
    if (!order || !rank || !keep || !buf) {
        rc = EKG_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nn; i++) order[i] = (uint32_t)i;
    sort_bulk = b;
    qsort(order, nn, sizeof *order, cmp_node);
    for (size_t i = 0; i < nn; i++) rank[order[i]] = (uint32_t)i;
    unsigned rbits = 1;
    while (rbits < 32 && ((size_t)1 << rbits) < nn) rbits++;
    memset(keep, 1, nq);
    for (int t = 0; t < 5; t++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/ekg-%s.db", gen, TREES[t].name);
        int r = db_create(&db[t], NULL, 0);
        if (!r) r = db[t]->set_flags(db[t], DB_DUP);
        if (!r) r = db[t]->set_bt_compare(db[t], fast_cmp);
        if (!r) r = db[t]->set_bt_prefix(db[t], fast_pfx);
        if (!r) r = db[t]->set_cachesize(db[t], 0, bulk_cache(nq), 1);
        if (!r) r = db[t]->open(db[t], NULL, path, NULL, DB_BTREE, DB_CREATE, 0644);
        if (r) {
            rc = bdb_fail(st, "cannot open", path, r);
            goto out;
        }
    }
    /* A load drops the quads it wrote already: those its Bloom filter may
     * have seen are looked up in sp2o (key s p, value o c). */
    size_t added = nq, looked = 0;
    if (st->bloom)
        for (size_t i = 0; i < nq && rc == EKG_OK; i++) {
            const uint32_t *q = b->q + 4 * i;
            if (!bloom_test_add(st, quad_content_hash(b, q))) continue;
            looked++;
            DBT k, v;
            memset(&k, 0, sizeof k);
            memset(&v, 0, sizeof v);
            k.data = buf;
            k.size = (u_int32_t)encode_key(b, q, 0, buf);
            v.data = buf + k.size;
            v.size = (u_int32_t)encode_value(b, q, 0, buf + k.size);
            int r = db[0]->get(db[0], NULL, &k, &v, DB_GET_BOTH);
            if (r == 0) {
                keep[i] = 0;
                added--;
            } else if (r != DB_NOTFOUND)
                rc = bdb_fail(st, "cannot read", TREES[0].name, r);
        }
    if (rc != EKG_OK) goto out;
    double t1 = mono_now();
    job = (flush_job){st, b, rank, keep, rbits, bufcap, db, {0}, {0}, {0}};
    tree_worker w[2] = {{&job, 0, 0}, {&job, 1, 0}};
    pthread_t th;
    int threaded = pthread_create(&th, NULL, tree_thread, &w[1]) == 0;
    tree_thread(&w[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        tree_thread(&w[1]);
    for (int t = 0; t < 5; t++)
        if (job.err[t] && rc == EKG_OK) rc = bdb_fail(st, "cannot write", TREES[t].name, job.err[t]);
    if ((w[0].nomem || w[1].nomem) && rc == EKG_OK) rc = EKG_ERR_NOMEM;
    if (getenv("EKG_BULK_DEBUG"))
        fprintf(stderr,
                "flush %zu quads, %zu nodes, %zu looked up: prepare %.3f s, trees %.3f %.3f "
                "%.3f %.3f %.3f s, wall %.3f s\n",
                nq, nn, looked, t1 - t0, job.secs[0], job.secs[1], job.secs[2], job.secs[3],
                job.secs[4], mono_now() - t0);
    st->added += added;
out:
    for (int t = 0; t < 5; t++)
        if (db[t]) db[t]->close(db[t], 0);
    bulk_clear(b);
    free(order);
    free(rank);
    free(keep);
    free(buf);
    return rc;
}

/* Wait for a background flush; its status. */
static ekg_status bulk_wait(ekg_store *st)
{
    if (!st->flushing) return EKG_OK;
    pthread_join(st->flusher, NULL);
    st->flushing = 0;
    return st->flush_rc;
}

/* Before a batch is written: the encodings must be librdf's. */
static ekg_status bulk_prepare(ekg_store *st, const bulk *b)
{
    if (!st->wip) return EKG_ERR_STORE;
    size_t maxlen = 0;
    for (size_t i = 0; i < 4; i++)
        if (b->len[b->q[i]] > maxlen) maxlen = b->len[b->q[i]];
    size_t cap = 3 * (8 + 4 * (maxlen + 1));
    unsigned char *buf = malloc(cap);
    int ok = buf && encoding_matches(st, b, b->q, buf, cap);
    free(buf);
    if (!buf) return EKG_ERR_NOMEM;
    if (!ok)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_STORE, st->spec, 0,
                          "internal: this librdf encodes statements differently; not written");
    return EKG_OK;
}

/* Write the buffered quads (see above) and wait for any background flush.
 * On return the model is open again. */
static ekg_status bulk_flush(ekg_store *st)
{
    ekg_status rc = bulk_wait(st);
    bulk *b = st->pending;
    char gen[4200], opts[4600];
    if (st->wip) gen_path(st, st->wip, gen, sizeof gen);
    if (rc == EKG_OK && b && b->nq && (rc = bulk_prepare(st, b)) == EKG_OK) {
        close_model(st);
        rc = flush_batch(st, b, gen);
    }
    if (b) bulk_clear(b);
    if (!st->model && st->wip) {
        bdb_options(st, gen, opts, sizeof opts);
        ekg_status r = open_model(st, "hashes", "ekg", opts);
        if (rc == EKG_OK) rc = r;
    }
    return rc;
}

static void *flush_thread(void *arg)
{
    ekg_store *st = arg;
    char gen[4200];
    gen_path(st, st->wip, gen, sizeof gen);
    st->flush_rc = flush_batch(st, st->spare, gen);
    return NULL;
}

/* For loads: write the full batch in the background while the parser fills
 * the other one (the model stays closed until bulk_flush). */
static ekg_status bulk_flush_async(ekg_store *st)
{
    ekg_status rc = bulk_wait(st);
    bulk *b = st->pending;
    if (rc != EKG_OK || !b || !b->nq) return rc;
    EKG_TRY(rc, bulk_prepare(st, b));
    if (!st->spare && !(st->spare = calloc(1, sizeof(bulk)))) return bulk_flush(st);
    close_model(st);
    st->pending = st->spare;
    st->spare = b;
    if (pthread_create(&st->flusher, NULL, flush_thread, st) == 0) {
        st->flushing = 1;
        return EKG_OK;
    }
    flush_thread(st);
    return st->flush_rc;
cleanup:
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

static librdf_statement *statement_of(ekg_store *st, const ekg_term *s, const ekg_term *p,
                                      const ekg_term *o)
{
    librdf_node *ns = node_of(st, s), *np = node_of(st, p), *no = node_of(st, o);
    return librdf_new_statement_from_nodes(st->world, ns, np, no); /* takes the nodes */
}

ekg_status ekg_store_add(ekg_store *st, const char *graph, const ekg_triple *t, size_t n)
{
    if (!graph) return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_ARG, st->spec, 0,
                                  "quads are added to a named graph (got none)");
    ekg_status rc = EKG_OK;
    st->lasterr[0] = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].s.kind == EKG_TERM_NONE || t[i].p.kind != EKG_TERM_IRI ||
            t[i].o.kind == EKG_TERM_NONE)
            return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_ARG, st->spec, 0,
                              "triple %zu of graph <%s> has an empty term", i, graph);
    if (!n) return EKG_OK;
    EKG_TRY(rc, ensure_wip(st));
    st->dirty = 1;
    librdf_node *ctx = graph_node(st, graph);
    if (!ctx) return EKG_ERR_NOMEM;
    bulk *b = st->dir && st->wip ? bulk_get(st) : NULL;
    if (b) {
        /* BDB: buffered, written sorted (see bulk_flush). */
        uint32_t c = bulk_librdf_node(b, ctx);
        for (size_t i = 0; i < n && rc == EKG_OK; i++) {
            uint32_t id[3];
            const ekg_term *tt[3] = {&t[i].s, &t[i].p, &t[i].o};
            for (int k = 0; k < 3; k++) {
                librdf_node *nd = node_of(st, tt[k]);
                id[k] = nd ? bulk_librdf_node(b, nd) : UINT32_MAX;
                if (nd) librdf_free_node(nd);
            }
            if (bulk_quad(b, id[0], id[1], id[2], c) < 0) rc = EKG_ERR_NOMEM;
            else if (bulk_full(b))
                rc = bulk_flush(st);
        }
        librdf_free_node(ctx);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        librdf_statement *s = statement_of(st, &t[i].s, &t[i].p, &t[i].o);
        if (!s) {
            rc = fail(st, EKG_ERR_STORE, "cannot build statement");
            break;
        }
        int r = librdf_model_context_add_statement(st->model, ctx, s);
        librdf_free_statement(s);
        if (r != 0) {
            rc = fail(st, EKG_ERR_STORE, "cannot add statement");
            break;
        }
    }
    librdf_free_node(ctx);
cleanup:
    return rc;
}

ekg_status ekg_store_remove_graph(ekg_store *st, const char *graph)
{
    st->lasterr[0] = 0;
    ekg_status rc = ensure_wip(st);
    if (rc == EKG_OK) rc = bulk_flush(st);
    if (rc != EKG_OK) return rc;
    st->dirty = 1;
    librdf_node *ctx = graph_node(st, graph);
    if (!ctx) return EKG_ERR_NOMEM;
    int r = librdf_model_context_remove_statements(st->model, ctx);
    librdf_free_node(ctx);
    return r ? fail(st, EKG_ERR_STORE, "cannot remove graph") : EKG_OK;
}

/* ---- loading files through raptor -------------------------------------- */

typedef struct {
    ekg_store *st;
    librdf_node *default_ctx;
    uint64_t *seen; /* open-addressed set of quad hashes (0 = empty) */
    size_t nseen, capseen;
    size_t added;
    int failed;
    char bprefix[24]; /* blank node labels are scoped to the file */
    unsigned long bcount;
    bulk *b;          /* BDB writers: quads go to the batch (seen is unused) */
    uint32_t default_id;
} load_ctx;

/* Raptor's default keeps a file's own labels (_:b0 in two files would be one
 * node in the store) and numbers anonymous nodes with the time and pid (two
 * loads of one file differ). Scope labels to the file and number the rest
 * in order: loading the same file gives the same store. Raptor hands us
 * ownership of user_bnodeid and frees what we return with free(). */
static unsigned char *gen_bnodeid(void *ud, unsigned char *user_bnodeid)
{
    load_ctx *lc = ud;
    char buf[256];
    if (user_bnodeid)
        snprintf(buf, sizeof buf, "%s%.200s", lc->bprefix, (const char *)user_bnodeid);
    else
        snprintf(buf, sizeof buf, "%sg%lu", lc->bprefix, ++lc->bcount);
    free(user_bnodeid);
    size_t n = strlen(buf) + 1;
    unsigned char *r = malloc(n);
    if (r) memcpy(r, buf, n);
    return r;
}

static uint64_t hash_term(XXH3_state_t *h, const raptor_term *t)
{
    unsigned char kind = t ? (unsigned char)t->type : 0;
    XXH3_64bits_update(h, &kind, 1);
    if (!t) return 0;
    ekg_term e = term_of((librdf_node *)t);
    if (e.value) XXH3_64bits_update(h, e.value, strlen(e.value) + 1);
    if (e.lang) XXH3_64bits_update(h, e.lang, strlen(e.lang) + 1);
    if (e.datatype) XXH3_64bits_update(h, e.datatype, strlen(e.datatype) + 1);
    return 0;
}

/* Returns 1 if the quad was already seen, 0 if new, -1 on no memory. */
static int seen_before(load_ctx *lc, const raptor_statement *s, const raptor_term *g)
{
    XXH3_state_t h;
    XXH3_64bits_reset(&h);
    hash_term(&h, s->subject);
    hash_term(&h, s->predicate);
    hash_term(&h, s->object);
    hash_term(&h, g);
    uint64_t k = XXH3_64bits_digest(&h);
    if (!k) k = 1;
    if ((lc->nseen + 1) * 2 > lc->capseen) {
        size_t cap = lc->capseen ? lc->capseen * 2 : 4096;
        uint64_t *ns = calloc(cap, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < lc->capseen; i++) {
            if (!lc->seen[i]) continue;
            size_t j = lc->seen[i] & (cap - 1);
            while (ns[j]) j = (j + 1) & (cap - 1);
            ns[j] = lc->seen[i];
        }
        free(lc->seen);
        lc->seen = ns;
        lc->capseen = cap;
    }
    size_t j = k & (lc->capseen - 1);
    while (lc->seen[j]) {
        if (lc->seen[j] == k) return 1;
        j = (j + 1) & (lc->capseen - 1);
    }
    lc->seen[j] = k;
    lc->nseen++;
    return 0;
}

/* A raptor term as librdf stores it (xsd:boolean kept as written). */
static uint32_t bulk_term(load_ctx *lc, raptor_term *t)
{
    if (t->type == RAPTOR_TERM_TYPE_LITERAL && t->value.literal.datatype &&
        needs_raw_boolean((const char *)t->value.literal.string,
                          (const char *)raptor_uri_as_string(t->value.literal.datatype))) {
        raptor_world *rw = librdf_world_get_raptor(lc->st->world);
        raptor_uri *dt = raptor_new_uri(rw, (const unsigned char *)RAW_BOOLEAN);
        raptor_term *raw = dt ? raptor_new_term_from_counted_literal(
                                    rw, t->value.literal.string, t->value.literal.string_len, dt,
                                    NULL, 0)
                              : NULL;
        if (dt) raptor_free_uri(dt);
        if (!raw) return UINT32_MAX;
        uint32_t id = bulk_librdf_node(lc->b, (librdf_node *)raw);
        raptor_free_term(raw);
        return id;
    }
    return bulk_librdf_node(lc->b, (librdf_node *)t);
}

static void load_statement_bulk(load_ctx *lc, raptor_statement *s)
{
    bulk *b = lc->b;
    uint32_t c = s->graph ? bulk_term(lc, s->graph) : lc->default_id;
    uint32_t sid = bulk_term(lc, s->subject), pid = bulk_term(lc, s->predicate),
             oid = bulk_term(lc, s->object);
    if (bulk_quad(b, sid, pid, oid, c) < 0) {
        lc->failed = 1;
        return;
    }
    if (bulk_full(b)) {
        if (bulk_flush_async(lc->st) != EKG_OK) {
            lc->failed = 1;
            return;
        }
        /* a new batch: the default graph's node again */
        lc->b = b = lc->st->pending;
        lc->default_id = bulk_librdf_node(b, lc->default_ctx);
    }
}

static void load_statement(void *ud, raptor_statement *s)
{
    load_ctx *lc = ud;
    if (lc->failed) return;
    if (lc->b) {
        load_statement_bulk(lc, s);
        return;
    }
    raptor_term *g = s->graph ? s->graph : (raptor_term *)lc->default_ctx;
    int r = seen_before(lc, s, g);
    if (r < 0) {
        lc->failed = 1;
        return;
    }
    if (r) return;
    raptor_term *o = s->object, *raw = NULL;
    if (o && o->type == RAPTOR_TERM_TYPE_LITERAL && o->value.literal.datatype &&
        needs_raw_boolean((const char *)o->value.literal.string,
                          (const char *)raptor_uri_as_string(o->value.literal.datatype))) {
        raptor_uri *dt = raptor_new_uri(librdf_world_get_raptor(lc->st->world),
                                        (const unsigned char *)RAW_BOOLEAN);
        raw = raptor_new_term_from_counted_literal(librdf_world_get_raptor(lc->st->world),
                                                   o->value.literal.string,
                                                   o->value.literal.string_len, dt, NULL, 0);
        if (dt) raptor_free_uri(dt);
        if (!raw) {
            lc->failed = 1;
            return;
        }
        s->object = raw;
    }
    int bad = librdf_model_context_add_statement(lc->st->model, (librdf_node *)g,
                                                 (librdf_statement *)s) != 0;
    if (raw) {
        s->object = o;
        raptor_free_term(raw);
    }
    if (bad) {
        lc->failed = 1;
        return;
    }
    lc->added++;
}

static const char *guess_syntax(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot) return "turtle";
    if (!strcmp(dot, ".nq")) return "nquads";
    if (!strcmp(dot, ".nt")) return "ntriples";
    if (!strcmp(dot, ".trig")) return "trig";
    if (!strcmp(dot, ".rdf") || !strcmp(dot, ".owl") || !strcmp(dot, ".xml")) return "rdfxml";
    return "turtle";
}

static void raptor_log(void *ud, raptor_log_message *m)
{
    load_ctx *lc = ud;
    if (m->level >= RAPTOR_LOG_LEVEL_ERROR) {
        lc->failed = 1;
        snprintf(lc->st->lasterr, sizeof lc->st->lasterr, "line %d: %s",
                 m->locator ? m->locator->line : 0, m->text ? m->text : "parse error");
    } else if (m->level == RAPTOR_LOG_LEVEL_WARN) {
        ekg_report(lc->st->sink, EKG_LOG_WARNING, EKG_OK, lc->st->spec,
                   m->locator ? m->locator->line : 0, "%s", m->text ? m->text : "warning");
    }
}

ekg_status ekg_store_load_file(ekg_store *st, const char *path, const char *syntax,
                               const char *graph, size_t *added)
{
    ekg_status rc = EKG_OK;
    st->lasterr[0] = 0;
    if (added) *added = 0;
    if (!syntax) syntax = guess_syntax(path);
    raptor_world *rw = librdf_world_get_raptor(st->world);
    load_ctx lc = {st, NULL, NULL, 0, 0, 0, 0, "", 0, NULL, 0};
    if ((rc = ensure_wip(st)) != EKG_OK) return rc;
    st->dirty = 1;
    if (st->dir && st->wip) {
        /* BDB: sorted batches (bulk_flush). Duplicates within the file are
         * dropped in memory within a batch, and across batches by a Bloom
         * filter of the file's quads (about 10 bits a quad, at most 32 MB,
         * sized from the file) whose hits are looked up in the store: memory
         * stays bounded whatever the size of the file. */
        if ((rc = bulk_flush(st)) != EKG_OK) return rc;
        if (!(lc.b = bulk_get(st))) return EKG_ERR_NOMEM;
        struct stat sb;
        size_t est = stat(path, &sb) == 0 ? (size_t)sb.st_size / 16 : 0, bits = 1 << 16;
        while (bits < est && bits < ((size_t)1 << 28)) bits *= 2;
        free(st->bloom);
        st->bloom = calloc(bits / 64, sizeof *st->bloom);
        if (!st->bloom) return EKG_ERR_NOMEM;
        st->bloom_bits = bits;
        st->added = 0;
    }
    {
        const char *base_name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        XXH64_hash_t h = XXH3_64bits_withSeed(base_name, strlen(base_name),
                                              graph ? XXH3_64bits(graph, strlen(graph)) : 0);
        snprintf(lc.bprefix, sizeof lc.bprefix, "f%08x", (unsigned)(h & 0xffffffffu));
    }
    raptor_parser *p = NULL;
    raptor_uri *base = NULL;
    FILE *fh = fopen(path, "rb");
    if (!fh)
        return ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, path, 0, "cannot open: %s",
                          strerror(errno));
    unsigned char *file_uri = raptor_uri_filename_to_uri_string(path);
    base = raptor_new_uri(rw, file_uri);
    lc.default_ctx = graph_node(st, graph ? graph : (const char *)file_uri);
    raptor_free_memory(file_uri);
    if (lc.b && lc.default_ctx) lc.default_id = bulk_librdf_node(lc.b, lc.default_ctx);
    p = raptor_new_parser(rw, syntax);
    if (!p || !base || !lc.default_ctx) {
        rc = ekg_report(st->sink, EKG_LOG_ERROR, p ? EKG_ERR_NOMEM : EKG_ERR_UNSUPPORTED, path,
                        0, "cannot create a %s parser", syntax);
        goto cleanup;
    }
    raptor_world_set_log_handler(rw, &lc, raptor_log);
    raptor_world_set_generate_bnodeid_handler(rw, &lc, gen_bnodeid);
    raptor_parser_set_statement_handler(p, &lc, load_statement);
    /* No network, no external entities: files are data, not instructions. */
    raptor_parser_set_option(p, RAPTOR_OPTION_NO_NET, NULL, 1);
    raptor_parser_set_option(p, RAPTOR_OPTION_NO_FILE, NULL, 1);
    int r = raptor_parser_parse_file_stream(p, fh, NULL, base);
    raptor_world_set_log_handler(rw, NULL, NULL);
    raptor_world_set_generate_bnodeid_handler(rw, NULL, NULL);
    librdf_world_set_logger(st->world, st, log_handler);
    if (lc.b) {
        /* What parsed is written, as it was before an error one by one. */
        ekg_status fr = bulk_flush(st);
        lc.added = st->added;
        if (fr != EKG_OK && !lc.failed) {
            rc = fr;
            goto cleanup;
        }
    }
    if (r != 0 || lc.failed) {
        rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_PARSE, path, 0, "not valid %s%s%s",
                        syntax, st->lasterr[0] ? ": " : "", st->lasterr);
        goto cleanup;
    }
    if (added) *added = lc.added;
cleanup:
    if (p) raptor_free_parser(p);
    if (base) raptor_free_uri(base);
    if (lc.default_ctx) librdf_free_node(lc.default_ctx);
    free(lc.seen);
    if (lc.b) {
        bulk_wait(st);
        free(st->bloom);
        st->bloom = NULL;
        if (st->pending) bulk_clear(st->pending);
    }
    fclose(fh);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* A writer reads what it wrote: buffered quads are written first. */
#define FLUSH_OR_RETURN(st)                                                     \
    do {                                                                       \
        if ((st)->pending && (st)->pending->nq) {                              \
            ekg_status fr_ = bulk_flush(st);                                   \
            if (fr_ != EKG_OK) return fr_;                                     \
        }                                                                      \
    } while (0)

static ekg_status match(ekg_store *st, const ekg_term *s, const ekg_term *p, const ekg_term *o,
                        const char *graph, int want_graph, ekg_quad_fn fn, void *ctx);

ekg_status ekg_store_match(ekg_store *st, const ekg_term *s, const ekg_term *p,
                           const ekg_term *o, const char *graph, ekg_quad_fn fn, void *ctx)
{
    return match(st, s, p, o, graph, 0, fn, ctx);
}

ekg_status ekg_store_match_quads(ekg_store *st, const ekg_term *s, const ekg_term *p,
                                 const ekg_term *o, ekg_quad_fn fn, void *ctx)
{
    return match(st, s, p, o, NULL, 1, fn, ctx);
}

static ekg_status match(ekg_store *st, const ekg_term *s, const ekg_term *p, const ekg_term *o,
                        const char *graph, int want_graph, ekg_quad_fn fn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    st->lasterr[0] = 0;
    librdf_statement *pat = statement_of(st, s, p, o);
    if (!pat) return EKG_ERR_NOMEM;
    librdf_node *g = graph_node(st, graph);
    librdf_stream *str = g ? librdf_model_find_statements_in_context(st->model, pat, g)
                           : librdf_model_find_statements(st->model, pat);
    ekg_status rc = EKG_OK;
    if (!str) {
        rc = fail(st, EKG_ERR_STORE, "look-up failed");
        goto cleanup;
    }
    for (; !librdf_stream_end(str); librdf_stream_next(str)) {
        librdf_statement *x = librdf_stream_get_object(str);
        if (!x) continue;
        /* librdf_stream_get_context2 leaks the decoded context node on every
         * call in the hashes storage (librdf 1.0.17): only when asked. */
        librdf_node *xg = g ? g
                            : want_graph ? (librdf_node *)librdf_stream_get_context2(str)
                                         : NULL;
        ekg_triple t = {term_of(librdf_statement_get_subject(x)),
                        term_of(librdf_statement_get_predicate(x)),
                        term_of(librdf_statement_get_object(x))};
        ekg_term gt = term_of(xg);
        if (fn(ctx, &t, gt.kind == EKG_TERM_IRI ? gt.value : NULL)) break;
    }
    librdf_free_stream(str);
    /* librdf 1.0.17's hashes storage keeps a reference to the pattern's
     * nodes on some index paths ((? p ?), (? p o), (s p ?)) and never gives
     * it back. The stream is gone, so nothing can use it: drop it here. */
    {
        librdf_node *ns[3] = {librdf_statement_get_subject(pat),
                              librdf_statement_get_predicate(pat),
                              librdf_statement_get_object(pat)};
        for (int i = 0; i < 3; i++)
            while (ns[i] && ns[i]->usage > 1) librdf_free_node(ns[i]);
    }
cleanup:
    librdf_free_statement(pat);
    if (g) librdf_free_node(g);
    return rc;
}

static ekg_status walk_iter(ekg_store *st, librdf_iterator *it, ekg_term_fn fn, void *ctx)
{
    if (!it) return fail(st, EKG_ERR_STORE, "look-up failed");
    for (; !librdf_iterator_end(it); librdf_iterator_next(it)) {
        librdf_node *n = librdf_iterator_get_object(it);
        if (!n) continue;
        ekg_term t = term_of(n);
        if (fn(ctx, &t)) break;
    }
    librdf_free_iterator(it);
    return EKG_OK;
}

ekg_status ekg_store_targets(ekg_store *st, const ekg_term *s, const ekg_term *p,
                             ekg_term_fn fn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    librdf_node *ns = node_of(st, s), *np = node_of(st, p);
    ekg_status rc = EKG_ERR_ARG;
    if (ns && np) rc = walk_iter(st, librdf_model_get_targets(st->model, ns, np), fn, ctx);
    if (ns) librdf_free_node(ns);
    if (np) librdf_free_node(np);
    return rc;
}

ekg_status ekg_store_sources(ekg_store *st, const ekg_term *p, const ekg_term *o,
                             ekg_term_fn fn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    librdf_node *np = node_of(st, p), *no = node_of(st, o);
    ekg_status rc = EKG_ERR_ARG;
    if (np && no) rc = walk_iter(st, librdf_model_get_sources(st->model, np, no), fn, ctx);
    if (np) librdf_free_node(np);
    if (no) librdf_free_node(no);
    return rc;
}

ekg_status ekg_store_arcs_out(ekg_store *st, const ekg_term *s, ekg_term_fn fn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    librdf_node *ns = node_of(st, s);
    if (!ns) return EKG_ERR_ARG;
    ekg_status rc = walk_iter(st, librdf_model_get_arcs_out(st->model, ns), fn, ctx);
    librdf_free_node(ns);
    return rc;
}

ekg_status ekg_store_arcs_in(ekg_store *st, const ekg_term *o, ekg_term_fn fn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    librdf_node *no = node_of(st, o);
    if (!no) return EKG_ERR_ARG;
    ekg_status rc = walk_iter(st, librdf_model_get_arcs_in(st->model, no), fn, ctx);
    librdf_free_node(no);
    return rc;
}

static int stop_found(void *ctx, const ekg_triple *t, const char *g)
{
    (void)t;
    (void)g;
    *(bool *)ctx = true;
    return 1;
}

ekg_status ekg_store_contains(ekg_store *st, const ekg_term *s, const ekg_term *p,
                              const ekg_term *o, const char *graph, bool *found)
{
    *found = false;
    return ekg_store_match(st, s, p, o, graph, stop_found, found);
}

ekg_status ekg_store_graphs(ekg_store *st, ekg_term_fn fn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    return walk_iter(st, librdf_model_get_contexts(st->model), fn, ctx);
}

ekg_status ekg_store_size(ekg_store *st, size_t *n)
{
    FLUSH_OR_RETURN(st);
    int sz = librdf_model_size(st->model);
    if (sz >= 0) {
        *n = (size_t)sz;
        return EKG_OK;
    }
    /* Storage cannot count: count by streaming. */
    size_t c = 0;
    librdf_stream *s = librdf_model_as_stream(st->model);
    if (!s) return fail(st, EKG_ERR_STORE, "cannot count");
    for (; !librdf_stream_end(s); librdf_stream_next(s)) c++;
    librdf_free_stream(s);
    *n = c;
    return EKG_OK;
}

/* ---- SPARQL ------------------------------------------------------------- */

static const char PREFIXES[] =
    "PREFIX ekg: <" EKG_NS ">\n"
    "PREFIX ekgid: <" EKG_ID ">\n"
    "PREFIX rdf: <" EKG_RDF ">\n"
    "PREFIX rdfs: <" EKG_RDFS ">\n"
    "PREFIX xsd: <" EKG_XSD ">\n"
    "PREFIX skos: <" EKG_SKOS ">\n"
    "PREFIX dcterms: <" EKG_DCT ">\n"
    "PREFIX owl: <" EKG_OWL ">\n"
    "PREFIX prov: <" EKG_PROV ">\n"
    "PREFIX sh: <" EKG_SH ">\n";

const char *ekg_store_sparql_prefixes(void) { return PREFIXES; }

ekg_status ekg_store_sparql(ekg_store *st, const char *query, ekg_row_fn rowfn,
                            ekg_quad_fn quadfn, void *ctx)
{
    FLUSH_OR_RETURN(st);
    ekg_status rc = EKG_OK;
    st->lasterr[0] = 0;
    st->errors = 0;
    size_t n = strlen(PREFIXES) + strlen(query) + 1;
    char *text = malloc(n);
    if (!text) return EKG_ERR_NOMEM;
    snprintf(text, n, "%s%s", PREFIXES, query);
    librdf_query *q = librdf_new_query(st->world, "sparql", NULL, (const unsigned char *)text, NULL);
    librdf_query_results *res = NULL;
    librdf_node **vals = NULL;
    ekg_term *terms = NULL;
    if (!q || st->errors) {
        rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_QUERY, "sparql", 0, "%s",
                        st->lasterr[0] ? st->lasterr : "the query does not parse");
        goto cleanup;
    }
    res = librdf_model_query_execute(st->model, q);
    if (!res || st->errors) {
        rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_QUERY, "sparql", 0, "%s",
                        st->lasterr[0] ? st->lasterr : "the query failed");
        goto cleanup;
    }
    if (librdf_query_results_is_bindings(res)) {
        int nc = librdf_query_results_get_bindings_count(res);
        if (nc < 0) nc = 0;
        const char **names = calloc((size_t)nc + 1, sizeof *names);
        vals = calloc((size_t)nc + 1, sizeof *vals);
        terms = calloc((size_t)nc + 1, sizeof *terms);
        if (!names || !vals || !terms) {
            free(names);
            rc = EKG_ERR_NOMEM;
            goto cleanup;
        }
        for (int i = 0; i < nc; i++) names[i] = librdf_query_results_get_binding_name(res, i);
        while (!librdf_query_results_finished(res)) {
            for (int i = 0; i < nc; i++) {
                vals[i] = librdf_query_results_get_binding_value(res, i);
                terms[i] = term_of(vals[i]);
            }
            ekg_row row = {(size_t)nc, names, terms};
            int stop = rowfn ? rowfn(ctx, &row) : 0;
            for (int i = 0; i < nc; i++)
                if (vals[i]) {
                    librdf_free_node(vals[i]);
                    vals[i] = NULL;
                }
            if (stop) break;
            if (librdf_query_results_next(res)) break;
        }
        free(names);
        if (st->errors)
            rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_QUERY, "sparql", 0, "%s",
                            st->lasterr);
    } else if (librdf_query_results_is_boolean(res)) {
        int b = librdf_query_results_get_boolean(res);
        const char *name = "ask";
        ekg_term v = ekg_typed(b > 0 ? "true" : "false", EKG_XSD "boolean");
        ekg_row row = {1, &name, &v};
        if (rowfn) rowfn(ctx, &row);
    } else if (librdf_query_results_is_graph(res)) {
        librdf_stream *s = librdf_query_results_as_stream(res);
        for (; s && !librdf_stream_end(s); librdf_stream_next(s)) {
            librdf_statement *x = librdf_stream_get_object(s);
            ekg_triple t = {term_of(librdf_statement_get_subject(x)),
                            term_of(librdf_statement_get_predicate(x)),
                            term_of(librdf_statement_get_object(x))};
            if (quadfn && quadfn(ctx, &t, NULL)) break;
        }
        if (s) librdf_free_stream(s);
    }
cleanup:
    free(vals);
    free(terms);
    if (res) librdf_free_query_results(res);
    if (q) librdf_free_query(q);
    free(text);
    return rc;
}
