/* http_auth_ntlm.h: the NTLM messages libcurl 8.14 exchanges (vauth/ntlm.c,
 * curl_ntlm_core.c), on BoringSSL's MD4, DES and HMAC-MD5:
 *   type-1: a fixed 32-byte Negotiate message (OEM, request target, NTLM,
 *           NTLM2 key, always sign; no domain, no workstation);
 *   type-2: the server's Challenge: flags, 8-byte nonce, target info;
 *   type-3: the Authenticate message: NTLMv2 (LMv2 + NTLMv2 with the
 *           target info, a time stamp and 8 random bytes) when the server
 *           set the NTLM2-key flag, else NTLMv1 (DES of the LM and NT
 *           hashes); user "DOMAIN\user" or "DOMAIN/user" splits off the
 *           domain; the workstation is always "WORKSTATION"; strings are
 *           "Unicode" (each byte followed by a zero byte, as libcurl does:
 *           no UTF-8 decoding) when the server set the Unicode flag.
 *
 * NTLM authenticates a connection, not a request: the type-1 and type-3
 * requests must share one keep-alive connection, later requests on it send
 * nothing, and such a connection must not serve a transfer with other
 * credentials (or none). So the handshake state lives with the connection
 * (struct cn_http_auth_ntlm_conn, a socket-pool attachment) and the pool
 * hands a tagged connection only to requests with the same tag.
 *
 * Embedded object: cn_http_auth_ntlm_init()/_cleanup(). */
#ifndef CN_HTTP_AUTH_HTTP_AUTH_NTLM_H
#define CN_HTTP_AUTH_HTTP_AUTH_NTLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/auth/http_auth_digest.h" /* cn_http_auth_random_fn */
#include "socket/client_socket_pool.h"  /* struct cn_socket_attachment */

#define CN_NTLM_FLAG_NEGOTIATE_UNICODE (1u << 0)
#define CN_NTLM_FLAG_NEGOTIATE_NTLM2_KEY (1u << 19)
#define CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO (1u << 23)

struct cn_http_auth_ntlm {
  uint32_t flags;    /* from the type-2 message */
  uint8_t nonce[8];  /* the server challenge */
  uint8_t *target_info; /* owned, NULL when none */
  size_t target_info_len;
};

void cn_http_auth_ntlm_init(struct cn_http_auth_ntlm *n);
void cn_http_auth_ntlm_cleanup(struct cn_http_auth_ntlm *n);

/* cn_http_auth_ntlm_type1_value returns the Authorization value of the
 * type-1 message ("NTLM TlRMTVNT..."), cn_malloc'd; NULL on OOM. */
char *cn_http_auth_ntlm_type1_value(void);

/* cn_http_auth_ntlm_input_type2 takes a WWW-Authenticate value "NTLM
 * <base64 type-2>" (the scheme token, blanks, the message). CN_OK;
 * CN_ERR_OUT_OF_MEMORY; CN_ERR_INVALID_RESPONSE for bad base64, a short or
 * mislabelled message, or target info outside it. A value with nothing
 * after "NTLM" is not a type-2 (CN_ERR_INVALID_ARGUMENT: the server asks
 * for a type-1). */
int cn_http_auth_ntlm_input_type2(struct cn_http_auth_ntlm *n,
                                  const char *value);

/* cn_http_auth_ntlm_type3_value makes the Authorization value of the
 * type-3 message for |user| (NULL: "") and |password| (NULL: ""), from the
 * last type-2. |now| is the time stamp of an NTLMv2 response (seconds since
 * the epoch; libcurl's debug builds use 0 under CURL_FORCETIME), |rnd| its
 * 8 random bytes (NULL: cn_http_auth_random_bytes). The target info is
 * dropped afterwards, as libcurl does. CN_OK, CN_ERR_OUT_OF_MEMORY (also,
 * as in libcurl, when the message would pass libcurl's 1024 bytes), or the
 * random source's error; *out_value is written only on success. */
int cn_http_auth_ntlm_type3_value(struct cn_http_auth_ntlm *n,
                                  char **out_value, const char *user,
                                  const char *password, int64_t now,
                                  cn_http_auth_random_fn rnd, void *rnd_ctx);


/* One connection's NTLM handshake (libcurl's conn->http_ntlm_state and
 * conn->ntlm): NONE (nothing sent), TYPE1 (the server asked for a
 * type-1), TYPE2 (a challenge came), TYPE3 (the type-3 went out), LAST
 * (authenticated: later requests send nothing). */
enum cn_ntlm_state {
  CN_NTLM_STATE_NONE = 0,
  CN_NTLM_STATE_TYPE1,
  CN_NTLM_STATE_TYPE2,
  CN_NTLM_STATE_TYPE3,
  CN_NTLM_STATE_LAST,
};

/* Heap object owned by the connection it is attached to (the pool frees
 * it through |base.destroy|). base.tag is NULL while the state is NONE and
 * names the credentials once the handshake started. */
struct cn_http_auth_ntlm_conn {
  struct cn_socket_attachment base;
  enum cn_ntlm_state state;
  struct cn_http_auth_ntlm ntlm;
  char *tag; /* owned; what base.tag points to once set */
  /* The handshake with a plain HTTP proxy on the same connection
   * (libcurl's proxy_ntlm_state); owned, NULL until needed. Never attached
   * itself: its tag is only its own. */
  struct cn_http_auth_ntlm_conn *proxy;
};

/* cn_http_auth_ntlm_tag returns the pool tag for |user|/|password| (NULL
 * is ""), cn_malloc'd; NULL on OOM. */
char *cn_http_auth_ntlm_tag(const char *user, const char *password);

/* cn_http_auth_ntlm_conn_new: a fresh state (NONE); NULL on OOM. */
struct cn_http_auth_ntlm_conn *cn_http_auth_ntlm_conn_new(void);
/* cn_http_auth_ntlm_conn_from returns |a| as NTLM state, or NULL when |a|
 * is NULL or some other attachment. */
struct cn_http_auth_ntlm_conn *cn_http_auth_ntlm_conn_from(
    struct cn_socket_attachment *a);

/* cn_http_auth_ntlm_conn_proxy returns |c|'s proxy-side handshake, made
 * on first use (owned by |c|); NULL on OOM. */
struct cn_http_auth_ntlm_conn *cn_http_auth_ntlm_conn_proxy(
    struct cn_http_auth_ntlm_conn *c);
/* cn_http_auth_ntlm_conn_retag makes |tag| (copied; NULL: none) the pool
 * tag of |c|: a connection authenticated for a proxy and/or an origin
 * goes only to requests with both the same credentials. CN_OK or
 * CN_ERR_OUT_OF_MEMORY. */
int cn_http_auth_ntlm_conn_retag(struct cn_http_auth_ntlm_conn *c,
                                 const char *tag);

/* cn_http_auth_ntlm_conn_output is libcurl's Curl_output_ntlm: *out_value
 * gets the Authorization value to send (cn_malloc'd) or NULL for none
 * (already authenticated); *out_done says whether authentication is done
 * with this request (type-3 sent, or nothing to send). The connection gets
 * tagged with |user|/|password|. CN_OK, CN_ERR_OUT_OF_MEMORY or the
 * random source's error. */
int cn_http_auth_ntlm_conn_output(struct cn_http_auth_ntlm_conn *c,
                                  char **out_value, bool *out_done,
                                  const char *user, const char *password,
                                  int64_t now, cn_http_auth_random_fn rnd,
                                  void *rnd_ctx);

/* cn_http_auth_ntlm_conn_input is libcurl's Curl_input_ntlm for a
 * WWW-Authenticate value starting with "NTLM": a type-2 moves to TYPE2; a
 * bare "NTLM" restarts (or, after a type-3, is a rejection). CN_OK;
 * CN_ERR_OUT_OF_MEMORY; CN_ERR_INVALID_RESPONSE (bad type-2, rejected or
 * broken handshake: libcurl's "authentication problem"). *out_text names
 * the problem for the log (static, may be NULL). */
int cn_http_auth_ntlm_conn_input(struct cn_http_auth_ntlm_conn *c,
                                 const char *value, const char **out_text);

#endif
