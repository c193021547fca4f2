/* json.h — writing JSON strings (the formatters and the check reports share
 * it). */
#ifndef EKG_JSON_H
#define EKG_JSON_H

#include <stdio.h>

/* Write `s` (UTF-8; NULL writes "") as a JSON string literal, quotes included:
 * '"', '\\' and control characters escaped, everything else as is. */
void ekg_json_write_string(const char *s, FILE *out);

#endif
