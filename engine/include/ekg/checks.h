/* checks.h — domain checks beyond SHACL, run natively over a store.
 *
 * Each check has an id, a severity and a one-line explanation (the table
 * ekg_checks_at walks). Findings are appended to an ekg_shacl_report with
 * check = the id, sh:sourceConstraintComponent = ekg:check/<id>, and the
 * source document(s) filled in. */
#ifndef EKG_CHECKS_H
#define EKG_CHECKS_H

#include "ekg/shacl.h"
#include "ekg/status.h"
#include "ekg/store.h"
#include <stddef.h>

typedef struct {
    const char *id;      /* "event-after-source" */
    ekg_severity level;  /* severity of its findings */
    const char *summary; /* one line */
} ekg_check_info;

/* The table of checks (stable order). */
size_t ekg_checks_count(void);
const ekg_check_info *ekg_checks_at(size_t i);
/* The check named `id`, or NULL. */
const ekg_check_info *ekg_checks_find(const char *id);

/* Run the checks whose ids are in only[0..nonly) (all when nonly == 0) over
 * `st`, appending findings to `report`. Unknown ids: EKG_ERR_ARG. */
ekg_status ekg_checks_run(ekg_store *st, const char *const *only, size_t nonly,
                          ekg_shacl_report *report, const ekg_sink *sink);

#endif
