/* build_info.h: facts about this build that curl_version_info and
 * curl_easy_getinfo report. */
#ifndef CN_API_BUILD_INFO_H
#define CN_API_BUILD_INFO_H

/* The CA bundle and directory used when the program sets none (Debian's
 * paths, as its libcurl reports them). Must match the TLS layer's defaults
 * in lib/tls/ssl_client_context.c. */
#define CN_DEFAULT_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define CN_DEFAULT_CA_PATH "/etc/ssl/certs"

/* The host triplet libcurl's configure would have found (CURL_OS). */
#if defined(__x86_64__)
#define CN_BUILD_HOST "x86_64-pc-linux-gnu"
#elif defined(__aarch64__)
#define CN_BUILD_HOST "aarch64-unknown-linux-gnu"
#elif defined(__i386__)
#define CN_BUILD_HOST "i686-pc-linux-gnu"
#elif defined(__arm__)
#define CN_BUILD_HOST "arm-unknown-linux-gnueabihf"
#else
#define CN_BUILD_HOST "unknown-unknown-linux-gnu"
#endif

#endif
