/* handshake.h: the HTTP/1.1 side of opening a WebSocket (RFC 6455 section
 * 4): the client's Sec-WebSocket-Key and the check of the server's 101
 * (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Accept =
 * base64(SHA-1(key + the RFC's GUID))). libcurl 8.14 sends the same four
 * request headers; it leaves the Accept value unchecked, curlium follows
 * the RFC there. Pure functions. */
#ifndef CN_HTTP_WEBSOCKET_HANDSHAKE_H
#define CN_HTTP_WEBSOCKET_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_http_response_headers;

/* Length of a key (base64 of 16 bytes) plus its NUL. */
#define CN_WS_KEY_SIZE 25

/* cn_ws_handshake_key writes the key for |random16| (16 random bytes). */
void cn_ws_handshake_key(char out[CN_WS_KEY_SIZE], const uint8_t random16[16]);

/* cn_ws_handshake_new_key writes a key from 16 fresh random bytes; false
 * if the random source failed. */
bool cn_ws_handshake_new_key(char out[CN_WS_KEY_SIZE]);

/* cn_ws_handshake_accept writes the Sec-WebSocket-Accept value a server
 * must answer |key| with (28 characters and a NUL). */
void cn_ws_handshake_accept(char out[29], const char *key);

/* cn_ws_handshake_check: is |head| (a 101) a valid answer to |key|? false
 * with *out_error (static text) otherwise. */
bool cn_ws_handshake_check(const struct cn_http_response_headers *head,
                           const char *key, const char **out_error);

#endif
