/* ontology.c — load the ontology directory's Turtle files into the ontology graph when they change. */
#include "ekg/ontology.h"
#include "ekg/strv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#ifndef EKG_ONTOLOGY_BUILD_DIR
#define EKG_ONTOLOGY_BUILD_DIR "ontology"
#endif
#ifndef EKG_ONTOLOGY_INSTALL_DIR
#define EKG_ONTOLOGY_INSTALL_DIR "/usr/local/share/ekg/ontology"
#endif

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *ekg_ontology_locate(const char *explicit_dir)
{
    if (explicit_dir && *explicit_dir) return explicit_dir;
    const char *env = getenv("EKG_ONTOLOGY");
    if (env && *env) return env;
    if (is_dir(EKG_ONTOLOGY_INSTALL_DIR)) return EKG_ONTOLOGY_INSTALL_DIR;
    return EKG_ONTOLOGY_BUILD_DIR;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static ekg_status collect(const char *dir, int depth, ekg_strv *sv, const ekg_sink *sink)
{
    if (depth > 8) return EKG_OK;
    DIR *d = opendir(dir);
    if (!d)
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, dir, 0,
                          "cannot read the ontology directory: %s", strerror(errno));
    struct dirent *e;
    ekg_status rc = EKG_OK;
    while ((e = readdir(d)) && rc == EKG_OK) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (is_dir(path))
            rc = collect(path, depth + 1, sv, sink);
        else if (ends_with(e->d_name, ".ttl") && strcmp(e->d_name, "shapes.ttl") != 0)
            rc = ekg_strv_push(sv, path);
    }
    closedir(d);
    return rc;
}

void ekg_ontology_files_free(char **files, size_t n)
{
    for (size_t i = 0; i < n; i++) free(files[i]);
    free(files);
}

ekg_status ekg_ontology_files(const char *dir, const ekg_sink *sink, char ***files, size_t *n)
{
    ekg_strv sv = {0};
    ekg_status rc = collect(dir, 0, &sv, sink);
    if (rc != EKG_OK) {
        ekg_strv_clear(&sv);
        return rc;
    }
    if (sv.n == 0) {
        ekg_strv_clear(&sv);
        return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_NOTFOUND, dir, 0,
                          "no ontology files (*.ttl) here; pass --ontology DIR or set "
                          "EKG_ONTOLOGY");
    }
    ekg_strv_sort(&sv);
    *files = ekg_strv_release(&sv, n);
    return EKG_OK;
}

/* The hash covers names relative to the directory and contents, so moving the
 * installed copy does not force a reload but editing a file does. */
static ekg_status hash_files(const char *dir, char **files, size_t n, char out[33],
                             const ekg_sink *sink)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h) return EKG_ERR_NOMEM;
    XXH3_128bits_reset(h);
    char buf[65536];
    size_t skip = strlen(dir);
    for (size_t i = 0; i < n; i++) {
        XXH3_128bits_update(h, files[i] + skip, strlen(files[i] + skip) + 1);
        FILE *f = fopen(files[i], "rb");
        if (!f) {
            XXH3_freeState(h);
            return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, files[i], 0, "cannot read: %s",
                              strerror(errno));
        }
        size_t r;
        while ((r = fread(buf, 1, sizeof buf, f)) > 0) XXH3_128bits_update(h, buf, r);
        fclose(f);
    }
    XXH128_hash_t d = XXH3_128bits_digest(h);
    XXH3_freeState(h);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)d.high64, (unsigned long long)d.low64);
    return EKG_OK;
}

static int get_lit(void *ctx, const ekg_term *t)
{
    if (t->kind == EKG_TERM_LITERAL) snprintf(ctx, 33, "%s", t->value);
    return 1;
}

ekg_status ekg_ontology_sync(ekg_store *st, const char *dir, const ekg_sink *sink, bool *reloaded)
{
    char **files = NULL;
    size_t n = 0;
    char want[33], have[33] = "";
    if (reloaded) *reloaded = false;
    ekg_status rc = ekg_ontology_files(dir, sink, &files, &n);
    if (rc != EKG_OK) return rc;
    EKG_TRY(rc, hash_files(dir, files, n, want, sink));
    ekg_term g = ekg_iri(EKG_ONTOLOGY_GRAPH), p = ekg_iri(EKG_NS "contentHash");
    EKG_TRY(rc, ekg_store_targets(st, &g, &p, get_lit, have));
    if (strcmp(have, want) == 0) goto cleanup;
    /* Also clears a load that an earlier failure left half done. */
    EKG_TRY(rc, ekg_store_remove_graph(st, EKG_ONTOLOGY_GRAPH));
    for (size_t i = 0; i < n; i++)
        EKG_TRY(rc, ekg_store_load_file(st, files[i], "turtle", EKG_ONTOLOGY_GRAPH, NULL));
    ekg_triple t = {g, p, ekg_literal(want, NULL)};
    EKG_TRY(rc, ekg_store_add(st, EKG_ONTOLOGY_GRAPH, &t, 1));
    EKG_TRY(rc, ekg_store_sync(st));
    if (reloaded) *reloaded = true;
cleanup:
    ekg_ontology_files_free(files, n);
    return rc;
}
