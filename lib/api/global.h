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

/* A TLS backend name a library flavour also answers to in
 * curl_global_sslset. Debian's python3-pycurl, built for libcurl-gnutls.so.4,
 * refuses to load unless curl_global_sslset(-1, "gnutls", ...) says OK; its
 * GnuTLS-specific code is thread-lock setup that GnuTLS >= 3.3 no longer
 * needs, so nothing else depends on it. Only the libcurl-gnutls.so.4 flavour
 * defines one (compat/gnutls_flavour.c); everything that names the TLS
 * library (curl_version, ssl_version, CURLINFO_TLS_SSL_PTR's backend) still
 * says BoringSSL. Static data, never freed. */
struct cn_tls_backend_alias {
  int id;           /* a curl_sslbackend value */
  const char *name; /* compared without regard to case */
};

#endif
