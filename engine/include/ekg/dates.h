/* dates.h — dates in text: absolute ("15. November", "18 November 2019",
 * "19/06/2017", "2021-06", "3 марта 2020", "19.6.2015"), completed and
 * resolved against the document date ("today", "am Vortag", "on Tuesday",
 * "last week"). Month and weekday names and relative expressions come from
 * the lexicon (recognised as mentions); numbers and separators are read here. */
#ifndef EKG_DATES_H
#define EKG_DATES_H

#include "ekg/recognise.h"
#include "ekg/text.h"
#include <stdbool.h>

/* A date as precise as known: m == 0 → year only; d == 0 → year and month. */
typedef struct {
    int y, m, d;
} ekg_date;

typedef struct {
    uint32_t sent;
    uint32_t tok0, last; /* tokens covered */
    ekg_date date;
    uint8_t relative;    /* resolved against the document date */
    uint8_t year_only;   /* a bare year: weakest evidence */
} ekg_date_span;

/* Parse "YYYY", "YYYY-MM", "YYYY-MM-DD" (a prefix of an ISO date-time is
 * fine). Returns false when it is none of these. */
bool ekg_date_parse_iso(const char *s, ekg_date *out);
/* Write as xsd:date / gYearMonth / gYear lexical form into buf (>= 11
 * bytes); returns the datatype IRI, or NULL for an empty date. */
const char *ekg_date_format(const ekg_date *d, char *buf, size_t cap);
/* Days since 1970-01-01 of a full date, and back. */
long ekg_date_days(int y, int m, int d);
void ekg_date_from_days(long days, ekg_date *out);

/* The date a relative expression or weekday (a RelativeDate or Weekday
 * lexicon entry) stands for in a document of date doc (a full date); false
 * when it cannot be resolved. */
bool ekg_date_relative(const ekg_kb_lex *x, const ekg_date *doc, ekg_date *out);

/* Every date expression of the text. doc_date may be NULL (unknown), then
 * relative and year-less dates are not resolved. *out is malloc'd. */
ekg_status ekg_dates_find(const ekg_text *t, const ekg_mention *m, size_t nm,
                          const ekg_date *doc_date, ekg_date_span **out, size_t *n);

/* The first date of a short header line (reader helper): tries numeric
 * forms and month names; a glued time ("201916:52") is tolerated. */
bool ekg_dates_in_line(const ekg_text *t, const ekg_mention *m, size_t nm, ekg_date *out);

#endif
