/* cert_verify.h: the server-certificate checks libcurl does on top of the
 * chain verification that BoringSSL runs during the handshake: the host
 * name (RFC 2818/6125 as libcurl applies it, independent of chain
 * verification), the public-key pin, and the verbose certificate dump.
 *
 * Messages go to |log| with libcurl's wording (tests grep them). */
#ifndef CN_TLS_CERT_VERIFY_H
#define CN_TLS_CERT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

struct cn_net_log;

/* cn_cert_verify_host checks |cert| against |host| (a DNS name or an IPv4
 * or IPv6 literal, with or without brackets): subjectAltName entries of
 * the matching type, else the last subject CN. CN_OK or
 * CN_ERR_CERT_COMMON_NAME_INVALID (message logged with cn_net_log_fail). */
int cn_cert_verify_host(X509 *cert, const char *host,
                        const struct cn_net_log *log);

/* cn_cert_hostname_match: |pattern| (from a certificate, |pattern_len|
 * bytes) matches |host| case-insensitively; a leading "*." wildcard covers
 * exactly one label, needs two more labels after it, and never matches an
 * IP literal. Trailing dots are ignored on both sides. */
bool cn_cert_hostname_match(const char *pattern, size_t pattern_len,
                            const char *host);

/* cn_cert_verify_map_error turns an X509_V_ERR_* into a net error:
 * CN_ERR_CERT_AUTHORITY_INVALID, _DATE_INVALID, _REVOKED,
 * _COMMON_NAME_INVALID or CN_ERR_CERT_INVALID. */
int cn_cert_verify_map_error(long x509_error);

/* cn_cert_verify_pinned_key compares |cert|'s SubjectPublicKeyInfo with
 * |pinned|: "sha256//BASE64[;sha256//BASE64...]" or the path of a PEM or
 * DER public key file (libcurl's CURLOPT_PINNEDPUBLICKEY). CN_OK,
 * CN_ERR_SSL_PINNED_KEY_MISMATCH (message logged) or OOM. */
int cn_cert_verify_pinned_key(X509 *cert, const char *pinned,
                              const struct cn_net_log *log);

/* cn_cert_verify_log_cert writes libcurl's "Server certificate:" block up to
 * the expire date (subject, start and expire date) when |log| is verbose;
 * cn_cert_verify_log_issuer writes the issuer line that follows the
 * host-name result. */
void cn_cert_verify_log_cert(X509 *cert, const struct cn_net_log *log);
/* cn_cert_verify_issuer: CURLOPT_ISSUERCERT(_BLOB), libcurl's check that
 * the PEM certificate in |blob| (when set) or in the file |file| issued
 * |cert|. Nothing asked (both NULL): CN_OK. CN_ERR_SSL_ISSUER_CHECK_FAILED
 * when the issuer cannot be read or did not issue |cert|; the reason is
 * logged as a failure only when |strict| (verification on), as libcurl
 * does. */
int cn_cert_verify_issuer(X509 *cert, const char *file, const void *blob,
                          size_t blob_len, bool strict,
                          const struct cn_net_log *log);
void cn_cert_verify_log_issuer(X509 *cert, const struct cn_net_log *log);

#endif
