/* status.h — the one status type of ekg, and the error sink.
 *
 * Every fallible ekg function returns an ekg_status. Library code never prints:
 * it reports through an ekg_sink the caller installs (the CLI prints, tests
 * collect). A NULL sink is allowed everywhere and drops the message. */
#ifndef EKG_STATUS_H
#define EKG_STATUS_H

#include <stdarg.h>

typedef enum {
    EKG_OK = 0,
    EKG_ERR_ARG,         /* bad argument or option from the caller */
    EKG_ERR_IO,          /* file cannot be read or written */
    EKG_ERR_PARSE,       /* input is not what it claims to be */
    EKG_ERR_NOMEM,
    EKG_ERR_STORE,       /* the RDF store refused or failed */
    EKG_ERR_QUERY,       /* a query is malformed or failed */
    EKG_ERR_NOTFOUND,    /* a named thing does not exist */
    EKG_ERR_UNSUPPORTED, /* asked for something this build cannot do */
    EKG_ERR_LIMIT,       /* a size, depth or time bound was reached */
    EKG_ERR_BUSY,        /* the store is locked by another process */
    EKG_ERR_CANCELLED,   /* interrupted by the user */
    EKG_ERR_INTERNAL
} ekg_status;

/* A static English phrase for a status; never NULL. */
const char *ekg_strerror(ekg_status st);

typedef enum { EKG_LOG_ERROR, EKG_LOG_WARNING, EKG_LOG_NOTE } ekg_level;

/* One diagnostic. `where` names the input (a file path, "query", a store
 * spec); line/col are 1-based, 0 when unknown. All pointers are borrowed for
 * the duration of the callback. */
typedef struct {
    ekg_level level;
    ekg_status status;
    const char *where;
    long line;
    long col;
    const char *message;
} ekg_diag;

typedef void (*ekg_sink_fn)(void *ctx, const ekg_diag *d);

typedef struct ekg_sink {
    ekg_sink_fn fn;
    void *ctx;
} ekg_sink;

/* Format a message and send it to `sink` (if any). Returns `st`, so that
 * `return ekg_report(sink, EKG_LOG_ERROR, EKG_ERR_IO, path, 0, "…")` reads
 * straight. */
ekg_status ekg_report(const ekg_sink *sink, ekg_level level, ekg_status st,
                      const char *where, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
ekg_status ekg_vreport(const ekg_sink *sink, ekg_level level, ekg_status st,
                       const char *where, long line, const char *fmt, va_list ap);

/* Keep the happy path straight: TRY(st, call) jumps to `cleanup` on error. */
#define EKG_TRY(st, expr)                                                      \
    do {                                                                       \
        if (((st) = (expr)) != EKG_OK) goto cleanup;                           \
    } while (0)

#endif
