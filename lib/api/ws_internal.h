/* ws_internal.h: one WebSocket connection of an easy handle, between the
 * frame codec (lib/http/websocket/frame.h) and the program: curl_ws_recv /
 * curl_ws_send / curl_ws_meta (CONNECT_ONLY 2) and the write-callback mode
 * (frames go to CURLOPT_WRITEFUNCTION while the transfer runs).
 *
 * Ownership: the easy handle owns the cn_ws (e->ws) and the connection it
 * works on (e->conn, borrowed here). */
#ifndef CN_API_WS_INTERNAL_H
#define CN_API_WS_INTERNAL_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_detached_connection;
struct cn_easy;
struct cn_ws;

/* cn_ws_new: state for |conn| (borrowed). NULL on OOM. */
struct cn_ws *cn_ws_new(struct cn_easy *e, struct cn_detached_connection *conn);
void cn_ws_free(struct cn_ws *ws);

/* cn_ws_pump is the write-callback mode: reads what the connection has,
 * and hands it to the program's write callback (raw bytes with
 * CURLWS_RAW_MODE, else each frame piece with curl_ws_meta valid inside
 * the callback; PINGs answered unless CURLWS_NOAUTOPONG). CURLE_AGAIN:
 * waiting for the network; CURLE_OK: the server closed the connection
 * (after at least one byte); CURLE_GOT_NOTHING: closed before any; other
 * codes: failure (the error buffer has the text). */
CURLcode cn_ws_pump(struct cn_ws *ws);

#endif
