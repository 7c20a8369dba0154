/* global.h: the library-wide init state behind curl_global_init. */
#ifndef CN_API_GLOBAL_H
#define CN_API_GLOBAL_H

#include <curl/curl.h>
#include <stdbool.h>

/* cn_global_init_implicit is what curl_easy_init
 * calls first: curl_global_init(CURL_GLOBAL_DEFAULT) unless the library is
 * already initialized. Like libcurl, that implicit init is never undone by
 * the library itself. CURLE_OK or CURLE_FAILED_INIT. */
CURLcode cn_global_init_implicit(void);

/* cn_global_init_count returns how many curl_global_init calls are not yet
 * matched by curl_global_cleanup (for tests). */
long cn_global_init_count(void);

#endif
