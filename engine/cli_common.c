/* cli_common.c — what every subcommand shares: opening the store. */
#include "ekg/cli.h"
#include "ekg/ontology.h"

ekg_status ekg_cli_open_store(const ekg_cli_env *env, bool write, ekg_store **out)
{
    ekg_status rc = ekg_store_open(env->store_spec,
                                   write ? EKG_STORE_CREATE : EKG_STORE_READONLY, env->sink, out);
    if (rc != EKG_OK || !write) return rc;
    bool reloaded = false;
    rc = ekg_ontology_sync(*out, env->ontology_dir, env->sink, &reloaded);
    if (rc != EKG_OK) {
        ekg_store_free(*out);
        *out = NULL;
        return rc;
    }
    /* Commit a new or refreshed ontology at once: the store then exists
     * (for readers, and after a crash) before the first document lands. */
    if (reloaded) rc = ekg_store_commit(*out);
    if (rc != EKG_OK) {
        ekg_store_free(*out);
        *out = NULL;
        return rc;
    }
    if (reloaded)
        ekg_report(env->sink, EKG_LOG_NOTE, EKG_OK, ekg_store_spec(*out), 0,
                   "loaded the ontology and knowledge base from %s", env->ontology_dir);
    return EKG_OK;
}
