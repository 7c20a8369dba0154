/* impersonate.h: the CURL_IMPERSONATE environment variable and what a
 * starting transfer takes from the chosen browser profile
 * (lib/impersonate).
 *
 * The easy handle records the target as a string, "target" or "target:no"
 * (no default headers), in cn_easy_options.impersonate: CURLOPT_IMPERSONATE
 * and curl_easy_impersonate (setopt.c) store it in that syntax, duphandle
 * copies it, and the transfer resolves it when it starts. */
#ifndef CN_API_IMPERSONATE_H
#define CN_API_IMPERSONATE_H

#include <curl/curl.h>
#include <stdbool.h>

struct cn_browser_profile;
struct cn_easy_options;
struct cn_net_log;
struct cn_ssl_config;

/* cn_impersonate_apply_env applies CURL_IMPERSONATE (and
 * CURL_IMPERSONATE_HEADERS=no) to freshly initialized options, as
 * libcurl-impersonate does in curl_easy_init and curl_easy_reset. An
 * unknown target is reported on stderr once per process and still
 * recorded, so every transfer of the handle fails with
 * CURLE_BAD_FUNCTION_ARGUMENT and the error text instead of silently going
 * out un-impersonated. Returns CURLE_OK or CURLE_OUT_OF_MEMORY. */
CURLcode cn_impersonate_apply_env(struct cn_easy_options *o);

/* cn_impersonate_is_client_default_ua says whether |ua| is exactly the
 * CURLOPT_USERAGENT a known libcurl client sets on its own: the curl tool's
 * "curl/" followed by digits and dots ("curl/7.88.1"), or pycurl's
 * "PycURL/<version> " followed by curl_version(). Under a CURL_IMPERSONATE
 * profile such a value is taken for the client's default and the profile's
 * User-Agent is sent instead (docs/COMPAT.md, "Impersonation"). */
bool cn_impersonate_is_client_default_ua(const char *ua);

/* cn_impersonate_configure_transfer resolves |o|'s target for a starting
 * transfer: sets |ssl|->profile and the ALPN list the browser offers
 * (its full list when |h2_available| and CURLOPT_HTTP_VERSION allow HTTP/2,
 * else "http/1.1"; none when CURLOPT_SSL_ENABLE_ALPN is off or for
 * HTTP/1.0, as libcurl). Writes the
 * profile (NULL without impersonation) and the default-headers choice.
 * CURLE_OK, or CURLE_BAD_FUNCTION_ARGUMENT with the reason logged through
 * |log|. */
CURLcode cn_impersonate_configure_transfer(
    const struct cn_easy_options *o, struct cn_ssl_config *ssl,
    const struct cn_browser_profile **out_profile, bool *out_default_headers,
    bool h2_available, const struct cn_net_log *log);

struct cn_h2_config;
/* cn_impersonate_h2_config fills |cfg| with |profile|'s HTTP/2 connection
 * shape: SETTINGS in order, connection WINDOW_UPDATE, PRIORITY frames,
 * HEADERS priority and pseudo-header order. */
void cn_impersonate_h2_config(const struct cn_browser_profile *profile,
                              struct cn_h2_config *cfg);

#endif
