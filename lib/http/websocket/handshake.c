/* handshake.c: Sec-WebSocket-Key and -Accept (see the header). */
#include "http/websocket/handshake.h"

#include <openssl/base64.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>
#include <strings.h>

#include "http/http_response_headers.h"

static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void cn_ws_handshake_key(char out[CN_WS_KEY_SIZE],
                         const uint8_t random16[16]) {
  EVP_EncodeBlock((uint8_t *)out, random16, 16);
}

bool cn_ws_handshake_new_key(char out[CN_WS_KEY_SIZE]) {
  uint8_t rnd[16];
  if (RAND_bytes(rnd, sizeof(rnd)) != 1)
    return false;
  cn_ws_handshake_key(out, rnd);
  return true;
}

void cn_ws_handshake_accept(char out[29], const char *key) {
  uint8_t digest[SHA_DIGEST_LENGTH];
  SHA_CTX ctx;
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, key, strlen(key));
  SHA1_Update(&ctx, guid, sizeof(guid) - 1);
  SHA1_Final(digest, &ctx);
  EVP_EncodeBlock((uint8_t *)out, digest, sizeof(digest));
}

/* has_token: a comma-separated |value| names |token| (any case). */
static bool has_token(const char *value, const char *token) {
  size_t n = strlen(token);
  const char *p = value;
  while (p && *p) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    const char *end = p;
    while (*end && *end != ',')
      end++;
    const char *last = end;
    while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
      last--;
    if ((size_t)(last - p) == n && strncasecmp(p, token, n) == 0)
      return true;
    p = end;
  }
  return false;
}

bool cn_ws_handshake_check(const struct cn_http_response_headers *head,
                           const char *key, const char **out_error) {
  const char *upgrade = cn_http_response_headers_get(head, "Upgrade", 0);
  if (!upgrade || !has_token(upgrade, "websocket")) {
    *out_error = "[WS] 101 response without \"Upgrade: websocket\"";
    return false;
  }
  const char *accept =
      cn_http_response_headers_get(head, "Sec-WebSocket-Accept", 0);
  char want[29];
  cn_ws_handshake_accept(want, key);
  if (!accept || strcmp(accept, want) != 0) {
    *out_error = "[WS] Sec-WebSocket-Accept does not match the key sent";
    return false;
  }
  return true;
}
