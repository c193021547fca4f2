/* driver.c — `ekg-extract`: runs ekg_cmd_extract without the rest of the CLI
 * (tests and the dev-set evaluation use it; `ekg extract` is the same code).
 * The ontology directory is EKG_ONTOLOGY, else the source tree's. */
#include "ekg/cli.h"

#include <stdio.h>
#include <stdlib.h>

static void print_diag(void *ctx, const ekg_diag *d)
{
    (void)ctx;
    fprintf(stderr, "ekg: %s: %s%s%s\n", d->level == EKG_LOG_ERROR ? "error" : "warning",
            d->where ? d->where : "", d->where ? ": " : "", d->message);
}

int main(int argc, char **argv)
{
    ekg_sink sink = {print_diag, NULL};
    const char *dir = getenv("EKG_ONTOLOGY");
#ifdef EKG_ONTOLOGY_BUILD_DIR
    if (!dir) dir = EKG_ONTOLOGY_BUILD_DIR;
#endif
    if (!dir) dir = "ontology";
    ekg_cli_env env = {NULL, dir, &sink, 1};
    return ekg_cmd_extract(argc, argv, &env);
}
