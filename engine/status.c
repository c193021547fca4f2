/* status.c — status names and the error sink. */
#include "ekg/status.h"

#include <stdio.h>

const char *ekg_strerror(ekg_status st)
{
    switch (st) {
    case EKG_OK: return "success";
    case EKG_ERR_ARG: return "invalid argument";
    case EKG_ERR_IO: return "input/output error";
    case EKG_ERR_PARSE: return "syntax error";
    case EKG_ERR_NOMEM: return "out of memory";
    case EKG_ERR_STORE: return "store error";
    case EKG_ERR_QUERY: return "query error";
    case EKG_ERR_NOTFOUND: return "not found";
    case EKG_ERR_UNSUPPORTED: return "not supported";
    case EKG_ERR_LIMIT: return "limit reached";
    case EKG_ERR_BUSY: return "store is busy";
    case EKG_ERR_CANCELLED: return "cancelled";
    case EKG_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

ekg_status ekg_vreport(const ekg_sink *sink, ekg_level level, ekg_status st,
                       const char *where, long line, const char *fmt, va_list ap)
{
    if (!sink || !sink->fn) return st;
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ekg_diag d = {level, st, where, line, 0, msg};
    sink->fn(sink->ctx, &d);
    return st;
}

ekg_status ekg_report(const ekg_sink *sink, ekg_level level, ekg_status st,
                      const char *where, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ekg_vreport(sink, level, st, where, line, fmt, ap);
    va_end(ap);
    return st;
}
