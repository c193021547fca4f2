/* fuzz_query.c — the query-language parser (grammar/): any bytes, as one
 * NUL-terminated line, must parse or fail cleanly. */
#include "query_ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    ekg_qast *q = NULL;
    ekg_status st = ekg_qast_parse(s, NULL, &q);
    if (st == EKG_OK && !q) abort(); /* success must yield an AST */
    ekg_qast_free(q);
    free(s);
    return 0;
}
