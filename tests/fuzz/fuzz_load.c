/* fuzz_load.c — the RDF loader (ekg_store_load_file) on a memory: store,
 * syntax EKG_FUZZ_SYNTAX ("turtle", "nquads", "trig"), via a temp file.
 * Parse errors are fine; crashes, leaks and hangs are not. */
#include "ekg/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef EKG_FUZZ_SYNTAX
#error "define EKG_FUZZ_SYNTAX"
#endif

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(path, sizeof path, "/tmp/ekg-fuzz-load-%ld.in", (long)getpid());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    ekg_store *st = NULL;
    if (ekg_store_open("memory:", EKG_STORE_CREATE, NULL, &st) != EKG_OK) abort();
    size_t added = 0;
    ekg_store_load_file(st, path, EKG_FUZZ_SYNTAX, "https://w3id.org/ekg/graph/fuzz", &added);
    size_t n = 0;
    ekg_store_size(st, &n);
    ekg_store_free(st);
    unlink(path);
    return 0;
}
