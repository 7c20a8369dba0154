/* ssl_client_context.h: what the TLS socket asks of its context (the
 * per-multi cache of SSL_CTXs and client sessions). The constructor and
 * destructor are in ssl_client_socket.h.
 *
 * The context is reference-counted: each TLS socket holds a reference, so
 * a socket that outlives its multi handle still has a valid session cache
 * to write to; cn_ssl_client_context_free drops the owner's reference. */
#ifndef CN_TLS_SSL_CLIENT_CONTEXT_H
#define CN_TLS_SSL_CLIENT_CONTEXT_H

#include <stdbool.h>

#include <openssl/ssl.h>

#include "tls/ssl_config.h"

struct cn_net_log;
struct cn_ssl_client_context;

/* What a socket registers on its SSL (SSL_set_app_data) so that the
 * context's new-session callback knows where a session belongs. */
struct cn_ssl_session_sink {
  struct cn_ssl_client_context *ctx;
  const char *key; /* NULL: do not cache */
};

void cn_ssl_client_context_ref(struct cn_ssl_client_context *ctx);
void cn_ssl_client_context_unref(struct cn_ssl_client_context *ctx);

/* cn_ssl_client_context_get_ssl_ctx returns (with a new reference) the
 * SSL_CTX for |cfg|, whose canonical key is |cfg_key|, building and
 * caching it on first use. Errors are logged with libcurl's messages:
 * CN_ERR_SSL_CACERT_BADFILE, CN_ERR_SSL_CERT_PROBLEM,
 * CN_ERR_INVALID_ARGUMENT (private key file unusable, libcurl's
 * CURLE_BAD_FUNCTION_ARGUMENT), CN_ERR_SSL_CIPHER_BAD,
 * CN_ERR_OUT_OF_MEMORY. */
int cn_ssl_client_context_get_ssl_ctx(struct cn_ssl_client_context *ctx,
                                      const struct cn_ssl_config *cfg,
                                      const char *cfg_key,
                                      const struct cn_net_log *log,
                                      SSL_CTX **out);

/* cn_ssl_client_context_trust_lines appends the lines libcurl prints about
 * the trust store (" CAfile: ...\n CApath: ...\n"), nothing when peer
 * verification is off. CN_OK or OOM. */
struct cn_buf;
int cn_ssl_client_context_trust_lines(const struct cn_ssl_config *cfg,
                                      struct cn_buf *out);

/* cn_ssl_client_context_lookup_session returns a referenced session for
 * |key| or NULL. A session that must be used once is removed. */
SSL_SESSION *
cn_ssl_client_context_lookup_session(struct cn_ssl_client_context *ctx,
                                     const char *key);
/* cn_ssl_client_context_remove_sessions forgets |key|'s session (after a
 * failed verification, so that no later connection resumes it). */
void cn_ssl_client_context_remove_session(struct cn_ssl_client_context *ctx,
                                          const char *key);

#endif
