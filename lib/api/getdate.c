/* getdate.c: curl_getdate, on the parser in util/parsedate.c. */
#include <curl/curl.h>

#include "util/parsedate.h"

time_t curl_getdate(const char *p, const time_t *unused) {
  (void)unused; /* ignored since libcurl 7.12 */
  time_t t;
  if (!p || !cn_parsedate(p, &t))
    return -1;
  /* -1 means failure, so a date one second before the epoch is reported
   * as the epoch, as libcurl does. */
  return t == -1 ? 0 : t;
}
