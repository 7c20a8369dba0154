/* ssl_profile.h: shapes a ClientHello like a browser's from the TLS part of
 * an impersonation profile (lib/impersonate/browser_profile.h), with
 * BoringSSL's own switches plus the ones our patches add
 * (packaging/boringssl-patches, detected through their BORINGSSL_CURLIUM_*
 * macros so that an unpatched BoringSSL still builds: what it cannot do is
 * then listed by cn_ssl_profile_missing).
 *
 * Explicit options win over the profile: a cipher list (CURLOPT_SSL_CIPHER_
 * LIST), curves (CURLOPT_SSL_EC_CURVES) and a TLS version range
 * (CURLOPT_SSLVERSION) set in |cfg| are kept. */
#ifndef CN_TLS_SSL_PROFILE_H
#define CN_TLS_SSL_PROFILE_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "tls/ssl_config.h"

struct cn_net_log;
struct cn_tls_profile;

/* cn_ssl_profile_apply_ctx applies what every connection with |cfg|'s
 * profile shares to a new SSL_CTX |ctx| (cached per config): versions,
 * cipher suites, signature algorithms, GREASE, certificate compression
 * (zlib, brotli, zstd decompressors), OCSP/SCT requests, session tickets,
 * trust anchor IDs. Does nothing without a profile. CN_OK,
 * CN_ERR_SSL_CIPHER_BAD (a value BoringSSL rejects; logged), or
 * CN_ERR_OUT_OF_MEMORY. */
int cn_ssl_profile_apply_ctx(SSL_CTX *ctx, const struct cn_ssl_config *cfg,
                             const struct cn_net_log *log);

/* cn_ssl_profile_apply_ssl applies the per-connection part to |ssl|:
 * groups and key shares, ALPS for the protocols in |cfg|'s ALPN list, ECH
 * GREASE, extension permutation or fixed order and the patched switches.
 * Does nothing without a profile. CN_OK, CN_ERR_SSL_CIPHER_BAD (logged) or
 * CN_ERR_OUT_OF_MEMORY. */
int cn_ssl_profile_apply_ssl(SSL *ssl, const struct cn_ssl_config *cfg,
                             const struct cn_net_log *log);

/* cn_ssl_profile_missing writes into |out| (|len| bytes, NUL-terminated) a
 * comma-separated list of the features |tls| needs that this BoringSSL
 * build lacks ("" when none) and returns how many there are. */
size_t cn_ssl_profile_missing(const struct cn_tls_profile *tls, char *out,
                              size_t len);

#endif
