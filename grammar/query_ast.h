/* query_ast.h — the abstract syntax of one analyst query (grammar/README.md).
 *
 * The parser builds it from one line; the resolver turns its names into IRIs;
 * the compiler turns it into a plan. Every string is owned by the AST and
 * freed by ekg_qast_free. Columns (`col`) are 1-based byte offsets into the
 * query line, for error carets. */
#ifndef EKG_QUERY_AST_H
#define EKG_QUERY_AST_H

#include "ekg/status.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    EKG_QAST_SENTENCE,  /* SUBJECT VERB OBJECT … */
    EKG_QAST_PATH,      /* path A to B [max N] [via v,…] */
    EKG_QAST_NEIGHBORS, /* neighbors X [depth N] */
    EKG_QAST_TIMELINE,  /* timeline X [date filters] */
    EKG_QAST_DESCRIBE,  /* describe X */
    EKG_QAST_SPARQL     /* sparql … (raw) */
} ekg_qast_kind;

typedef enum {
    EKG_QTERM_NONE = 0,
    EKG_QTERM_WHO,  /* an Actor, shown as a column */
    EKG_QTERM_WHOM, /* an Actor, shown as a column */
    EKG_QTERM_WHAT, /* anything, shown as a column */
    EKG_QTERM_NAME  /* a class name or an entity name: the resolver decides */
} ekg_qterm_kind;

typedef struct {
    ekg_qterm_kind kind;
    char *text;   /* NAME: the word or the unquoted phrase */
    bool quoted;  /* written as "…" */
    bool exactly; /* preceded by `exactly`: no expansion to representatives */
    int col;
} ekg_qterm;

/* Event facts a sentence can ask for, in the order they are shown. */
typedef enum {
    EKG_QCOL_WHEN,
    EKG_QCOL_WHERE,
    EKG_QCOL_FORUM,
    EKG_QCOL_SOURCE,
    EKG_QCOL_EVIDENCE,
    EKG_QCOL_CONFIDENCE,
    EKG_QCOL_COUNT
} ekg_qcol;

/* The keyword of a column ("when" …), or NULL. */
const char *ekg_qcol_name(ekg_qcol c);

typedef struct {
    /* Dates compare as strings over their ISO prefixes: an event date d
     * passes when (!date_lo || d >= date_lo) && (!date_hi || d < date_hi"~"),
     * so `in 2019` = [2019, 2019~) and `until 2019-06` keeps 2019-06-30. */
    char *date_lo, *date_hi;
    ekg_qterm place; /* kind NONE when absent */
    ekg_qterm forum;
    bool has_conf;
    bool conf_inclusive; /* >= rather than > */
    double conf;
} ekg_qfilters;

typedef struct {
    char *word;
    int col;
} ekg_qverb;

typedef struct ekg_qast {
    ekg_qast_kind kind;
    /* sentence */
    ekg_qterm subj, obj;
    ekg_qverb verb;
    ekg_qcol cols[EKG_QCOL_COUNT];
    size_t ncols;
    ekg_qfilters f;   /* sentence and timeline */
    char *order_by;   /* a column keyword or question word, NULL = none */
    int order_col;
    bool order_desc;
    long limit;       /* -1 = none */
    /* traversals: a = the entity (path: from), b = path: to */
    ekg_qterm a, b;
    int depth;        /* path: max; neighbors: depth; 0 = default */
    ekg_qverb *via;
    size_t nvia;
    /* sparql */
    char *sparql;
} ekg_qast;

/* Parse one query. On a syntax error returns EKG_ERR_PARSE, sets *out NULL
 * and sends the sink one diagnostic with `col` set and the message
 * "expected …, found …". */
ekg_status ekg_qast_parse(const char *text, const ekg_sink *sink, ekg_qast **out);
void ekg_qast_free(ekg_qast *q); /* NULL-safe */

/* The keywords of the language, NULL-terminated (for completion). */
const char *const *ekg_qast_keywords(void);

#endif
