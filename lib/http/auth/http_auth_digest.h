/* http_auth_digest.h: HTTP Digest authentication (RFC 7616) the way
 * libcurl 8.14 does it: the WWW-Authenticate challenge is parsed into a
 * cn_http_auth_digest, which then produces the Authorization value for
 * each request until the next challenge.
 *
 * What libcurl supports, and so this module:
 *   algorithms MD5 (default), MD5-sess, SHA-256, SHA-256-sess, SHA-512-256,
 *   SHA-512-256-sess (names compared without case, echoed as received);
 *   qop "auth" (preferred) or "auth-int" (hashed over an empty body, as
 *   libcurl does: it never hashes the real body); userhash=true;
 *   stale=true (a new nonce for the same credentials: nc starts at 1 again).
 * A second challenge without stale=true while a nonce is known means the
 * credentials were rejected: the input fails, and the controller gives up.
 *
 * Embedded object: cn_http_auth_digest_init()/_cleanup(). All strings are
 * owned by the object. */
#ifndef CN_HTTP_AUTH_HTTP_AUTH_DIGEST_H
#define CN_HTTP_AUTH_HTTP_AUTH_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cn_http_auth_random_fn fills |len| bytes with randomness; CN_OK or a net
 * error. Tests inject a fixed one to make the cnonce predictable. */
typedef int (*cn_http_auth_random_fn)(void *ctx, uint8_t *out, size_t len);

/* cn_http_auth_random_bytes is the default: BoringSSL's RAND_bytes. */
int cn_http_auth_random_bytes(void *ctx, uint8_t *out, size_t len);

enum cn_http_auth_digest_algo {
  CN_DIGEST_MD5 = 0,
  CN_DIGEST_MD5_SESS = 1,
  CN_DIGEST_SHA256 = 2,
  CN_DIGEST_SHA256_SESS = 3,
  CN_DIGEST_SHA512_256 = 4,
  CN_DIGEST_SHA512_256_SESS = 5,
};

struct cn_http_auth_digest {
  char *nonce;     /* NULL: no challenge seen */
  char *cnonce;    /* made on the first response to a challenge */
  char *realm;
  char *opaque;
  char *qop;       /* "auth", "auth-int" or NULL */
  char *algorithm; /* as the server spelled it, or NULL */
  unsigned nc;     /* next nonce count */
  enum cn_http_auth_digest_algo algo;
  bool stale;
  bool userhash;
};

void cn_http_auth_digest_init(struct cn_http_auth_digest *d);
/* cn_http_auth_digest_cleanup frees the strings and returns |d| to its
 * initial state (usable again without init). */
void cn_http_auth_digest_cleanup(struct cn_http_auth_digest *d);

/* cn_http_auth_digest_has_challenge: a nonce is known, so a response can be
 * made. */
bool cn_http_auth_digest_has_challenge(const struct cn_http_auth_digest *d);

/* cn_http_auth_digest_input takes one challenge, |header| being the
 * WWW-Authenticate text that starts with the "Digest" token (the rest of
 * the line follows it, as libcurl passes it). Whatever the previous
 * challenge left is dropped first. Returns CN_OK; CN_ERR_OUT_OF_MEMORY;
 * CN_ERR_INVALID_RESPONSE when libcurl would call it an authentication
 * problem: not "Digest" followed by a blank, a malformed list, no nonce,
 * an unknown algorithm, a -sess algorithm without qop, or a new nonce
 * without stale=true after an earlier one. */
int cn_http_auth_digest_input(struct cn_http_auth_digest *d,
                              const char *header);

/* cn_http_auth_digest_output makes the Authorization value ("Digest
 * username=..., ...", cn_malloc'd, into *out_value) for one request.
 * |method| is the request method, |uri| the digest-uri (libcurl: the URL's
 * path and query, cut at '?' for CURLAUTH_DIGEST_IE), |user| and
 * |password| may be NULL (empty). |rnd| makes the 12 random bytes of a new
 * cnonce (base64, 16 characters); NULL uses cn_http_auth_random_bytes.
 * With a qop the nonce count goes up by one. Requires a challenge
 * (CN_ERR_UNEXPECTED otherwise). CN_OK, CN_ERR_OUT_OF_MEMORY or the random
 * source's error; *out_value is written only on success. */
int cn_http_auth_digest_output(struct cn_http_auth_digest *d,
                               char **out_value, const char *method,
                               const char *uri, const char *user,
                               const char *password,
                               cn_http_auth_random_fn rnd, void *rnd_ctx);

#endif
