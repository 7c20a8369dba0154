/* cert_info.h: the peer's certificate chain as libcurl's OpenSSL backend
 * lists it for CURLINFO_CERTINFO: per certificate (leaf first) the lines
 * "Subject:...", "Issuer:...", "Version:...", "Serial Number:...",
 * "Signature Algorithm:...", "Public Key Algorithm:...", "Start date:...",
 * "Expire date:...", "Signature:..." and "Cert:" with the PEM text.
 *
 * Encoding in |out| (appended): each line NUL-terminated, each certificate
 * ended by an empty line (a lone NUL). The caller owns |out|. */
#ifndef CN_TLS_CERT_INFO_H
#define CN_TLS_CERT_INFO_H

#include <openssl/ssl.h>

struct cn_buf;

/* cn_tls_cert_info appends the chain of |ssl|'s peer; nothing when it has
 * none. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_tls_cert_info(const SSL *ssl, struct cn_buf *out);

#endif
