/* store.c — the RDF store over librdf. The only module that includes
 * <redland.h>; Redland's ownership rules are tamed here:
 *   - librdf_new_statement_from_nodes TAKES ownership of its nodes;
 *   - librdf_model_context_add_statement COPIES the statement and context;
 *   - iterators and streams hand out BORROWED nodes/statements;
 *   - librdf_query_results_get_binding_value returns a NEW node (we free it).
 * In librdf 1.0.17 a librdf_node is a raptor_term and a librdf_statement is a
 * raptor_statement, which lets raptor's parser feed the model directly. */
#include "ekg/store.h"

#include <errno.h>
#include <fcntl.h>
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
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
    unsigned cur, wip; /* committed generation; writer's generation (0 = reader) */
    int dirty;       /* the writer changed something since the last commit */
    double copy_seconds;
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

/* Copy every file of generation `from` into a new directory `to`, synced. */
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
    static char buf[1 << 20];
    while (rc == EKG_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char src[4600], dst[4600];
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        int in = open(src, O_RDONLY | O_CLOEXEC);
        int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        ssize_t r = 0;
        if (in >= 0 && out >= 0)
            while ((r = read(in, buf, sizeof buf)) > 0)
                if (write(out, buf, (size_t)r) != r) {
                    r = -1;
                    break;
                }
        if (in < 0 || out < 0 || r < 0 || fsync(out) != 0)
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

/* Decide the generation to open; for writers, take the lock, clear what a
 * crashed writer left, and prepare the working copy. `out` gets its path. */
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
    st->wip = st->cur + 1;
    gen_path(st, st->wip, out, n);
    if (st->cur) {
        char from[4200];
        gen_path(st, st->cur, from, sizeof from);
        double t0 = mono_now();
        EKG_TRY(rc, copy_generation(st, from, out));
        st->copy_seconds = mono_now() - t0;
    } else if (mkdir(out, 0755) != 0)
        rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_IO, st->spec, 0, "cannot create %s: %s",
                        out, strerror(errno));
cleanup:
    return rc;
}

/* librdf's options for the hashes storage of generation directory `gen`:
 * a writer (wip set) on a store with no committed generation makes new
 * files; a reader opens them read-only. */
static void bdb_options(const ekg_store *st, const char *gen, char *buf, size_t n)
{
    snprintf(buf, n, "hash-type='bdb',dir='%s',contexts='yes',index-predicates='yes',new='%s'%s",
             gen, st->wip && !st->cur ? "yes" : "no", st->wip ? "" : ",write='no'");
}

static void close_model(ekg_store *st);
static ekg_status open_model(ekg_store *st, const char *name, const char *ident, const char *opts);

static ekg_status commit_generation(ekg_store *st, int reopen);

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
    for (int tries = 0; rc != EKG_OK && st->dir && !st->wip && tries < 5; tries++) {
        close_model(st);
        st->lasterr[0] = 0;
        usleep(50000);
        EKG_TRY(rc, open_bdb_generation(st, flags, name_buf, sizeof name_buf));
        bdb_options(st, name_buf, opts, sizeof opts);
        rc = open_model(st, name, ident, opts);
    }
    if (rc != EKG_OK) goto cleanup;
    /* A new store exists, empty, from the moment it is opened. */
    if (st->dir && st->wip && !st->cur) EKG_TRY(rc, commit_generation(st, 1));
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

/* Make the writer's generation the committed one (see above). The model is
 * closed afterwards; `reopen` starts the next working copy. */
static ekg_status commit_generation(ekg_store *st, int reopen)
{
    ekg_status rc = EKG_OK;
    char wip[4200], cur[4200], tmp[4300], fin[4300];
    gen_path(st, st->wip, wip, sizeof wip);
    gen_path(st, st->cur, cur, sizeof cur);
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
    st->dirty = 0;
    if (!reopen) {
        st->wip = 0;
        return EKG_OK;
    }
    st->wip = st->cur + 1;
    char next[4200], opts[4600];
    gen_path(st, st->wip, next, sizeof next);
    double t0 = mono_now();
    EKG_TRY(rc, copy_generation(st, wip, next));
    st->copy_seconds = mono_now() - t0;
    bdb_options(st, next, opts, sizeof opts);
    rc = open_model(st, "hashes", "ekg", opts);
cleanup:
    return rc;
}

ekg_status ekg_store_commit(ekg_store *st)
{
    if (!st->dir || !st->wip) return ekg_store_sync(st);
    if (!st->dirty && st->cur) return EKG_OK;
    return commit_generation(st, 1);
}

double ekg_store_commit_cost(const ekg_store *st) { return st->copy_seconds; }

const char *ekg_store_cache_dir(ekg_store *st)
{
    if (!st->dir || st->wip || !st->cur) return NULL;
    if (!st->cache_dir) {
        char p[4200];
        gen_path(st, st->cur, p, sizeof p);
        st->cache_dir = xstrdup(p);
    }
    return st->cache_dir;
}

unsigned long ekg_store_generation(const ekg_store *st) { return st->cur; }

ekg_status ekg_store_reopen(ekg_store *st, unsigned flags)
{
    if (!st->dir) return EKG_OK; /* memory and server storages: always writable */
    int want_write = !(flags & EKG_STORE_READONLY);
    if (want_write == (st->wip != 0)) return EKG_OK;
    ekg_status rc = EKG_OK;
    char gen[4200], opts[4600];
    free(st->cache_dir); /* it names the generation being left */
    st->cache_dir = NULL;
    if (!want_write) {
        /* Writer → reader: commit what was written (or drop the unused copy),
         * let other writers in, and read the committed generation. */
        if (st->dirty || !st->cur) {
            EKG_TRY(rc, commit_generation(st, 0));
        } else {
            gen_path(st, st->wip, gen, sizeof gen);
            close_model(st);
            remove_tree(gen);
            st->wip = 0;
        }
        close_model(st);
        if (st->lock_fd >= 0) {
            close(st->lock_fd);
            st->lock_fd = -1;
        }
        EKG_TRY(rc, open_bdb_generation(st, EKG_STORE_READONLY, gen, sizeof gen));
        bdb_options(st, gen, opts, sizeof opts);
    } else {
        close_model(st);
        EKG_TRY(rc, open_bdb_generation(st, EKG_STORE_CREATE, gen, sizeof gen));
        bdb_options(st, gen, opts, sizeof opts);
    }
    rc = open_model(st, "hashes", "ekg", opts);
cleanup:
    return rc;
}

void ekg_store_free(ekg_store *st)
{
    if (!st) return;
    if (st->dir && st->wip && st->model) {
        if (st->dirty || !st->cur) {
            commit_generation(st, 0);
        } else {
            /* Nothing written: drop the working copy. */
            char wip[4200];
            gen_path(st, st->wip, wip, sizeof wip);
            close_model(st);
            remove_tree(wip);
        }
    }
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
    if (librdf_model_sync(st->model) != 0) return fail(st, EKG_ERR_STORE, "sync failed");
    return EKG_OK;
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
    st->dirty = 1;
    librdf_node *ctx = graph_node(st, graph);
    if (!ctx) return EKG_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (t[i].s.kind == EKG_TERM_NONE || t[i].p.kind != EKG_TERM_IRI ||
            t[i].o.kind == EKG_TERM_NONE) {
            rc = ekg_report(st->sink, EKG_LOG_ERROR, EKG_ERR_ARG, st->spec, 0,
                            "triple %zu of graph <%s> has an empty term", i, graph);
            break;
        }
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
    return rc;
}

ekg_status ekg_store_remove_graph(ekg_store *st, const char *graph)
{
    st->lasterr[0] = 0;
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

static void load_statement(void *ud, raptor_statement *s)
{
    load_ctx *lc = ud;
    if (lc->failed) return;
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
    st->dirty = 1;
    if (!syntax) syntax = guess_syntax(path);
    raptor_world *rw = librdf_world_get_raptor(st->world);
    load_ctx lc = {st, NULL, NULL, 0, 0, 0, 0, "", 0};
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
    fclose(fh);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

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
    librdf_node *np = node_of(st, p), *no = node_of(st, o);
    ekg_status rc = EKG_ERR_ARG;
    if (np && no) rc = walk_iter(st, librdf_model_get_sources(st->model, np, no), fn, ctx);
    if (np) librdf_free_node(np);
    if (no) librdf_free_node(no);
    return rc;
}

ekg_status ekg_store_arcs_out(ekg_store *st, const ekg_term *s, ekg_term_fn fn, void *ctx)
{
    librdf_node *ns = node_of(st, s);
    if (!ns) return EKG_ERR_ARG;
    ekg_status rc = walk_iter(st, librdf_model_get_arcs_out(st->model, ns), fn, ctx);
    librdf_free_node(ns);
    return rc;
}

ekg_status ekg_store_arcs_in(ekg_store *st, const ekg_term *o, ekg_term_fn fn, void *ctx)
{
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
                              const ekg_term *o, bool *found)
{
    *found = false;
    return ekg_store_match(st, s, p, o, NULL, stop_found, found);
}

ekg_status ekg_store_graphs(ekg_store *st, ekg_term_fn fn, void *ctx)
{
    return walk_iter(st, librdf_model_get_contexts(st->model), fn, ctx);
}

ekg_status ekg_store_size(ekg_store *st, size_t *n)
{
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
