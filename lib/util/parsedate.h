/* parsedate.h: the lenient date parser behind curl_getdate(), shared with
 * the cookie parser and HTTP date headers (Expires, Last-Modified,
 * Retry-After).
 *
 * It accepts what libcurl 8.14 accepts: RFC 822/1123 ("Sun, 06 Nov 1994
 * 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"), asctime
 * ("Sun Nov  6 08:49:37 1994"), and the lenient mixes: any order of the
 * parts, any non-alphanumeric separators, missing weekday, time or zone,
 * HH:MM without seconds, two-digit years (70-99 -> 19xx, else 20xx),
 * YYYYMMDD, numeric zones (+0200) and the named zones of the old getdate
 * parser (GMT, UTC, CET, EST, ..., military letters). At most six parts are
 * read; anything after them is ignored. */
#ifndef CN_UTIL_PARSEDATE_H
#define CN_UTIL_PARSEDATE_H

#include <stdbool.h>
#include <time.h>

/* cn_parsedate parses |date| (NUL-terminated) into seconds since the epoch,
 * UTC. Returns false for text that is not a date or names a year before
 * 1583; *out_time is written only on success. */
bool cn_parsedate(const char *date, time_t *out_time);

#endif
