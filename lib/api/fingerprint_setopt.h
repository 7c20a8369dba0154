/* fingerprint_setopt.h: curl_easy_setopt for curl-impersonate's fingerprint
 * options (see fingerprint_setopt.c and impersonate/fingerprint.h).
 *
 * Ownership: the overrides (cn_easy_options.fingerprint) and the header
 * order string belong to the handle; CURLOPT_HTTPBASEHEADER's list stays the
 * program's, like CURLOPT_HTTPHEADER's. */
#ifndef CN_API_FINGERPRINT_SETOPT_H
#define CN_API_FINGERPRINT_SETOPT_H

#include <curl/curl.h>
#include <stdbool.h>

struct cn_easy_options;

/* cn_fingerprint_option says whether cn_fingerprint_setopt handles
 * |option|. */
bool cn_fingerprint_option(CURLoption option);

/* cn_fingerprint_setopt parses and records |option| (|larg| for LONG
 * options, |parg| for the others). A NULL string drops the override (the
 * target's value is back). CURLE_OK, CURLE_BAD_FUNCTION_ARGUMENT with the
 * reason in the error buffer, CURLE_NOT_BUILT_IN (CURLOPT_ECH modes other
 * than GREASE) or CURLE_OUT_OF_MEMORY. */
CURLcode cn_fingerprint_setopt(struct cn_easy_options *o, CURLoption option,
                               long larg, void *parg);

/* cn_fingerprint_setopt_clear drops every override and the base header
 * list: CURLOPT_IMPERSONATE and curl_easy_impersonate set all of them, as
 * libcurl-impersonate's target does. */
void cn_fingerprint_setopt_clear(struct cn_easy_options *o);

#endif
