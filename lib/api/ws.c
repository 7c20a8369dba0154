/* ws.c: the WebSocket API (curl_ws_recv, curl_ws_send, curl_ws_meta) and
 * the write-callback mode, over the frame codec and a detached connection
 * (see ws_internal.h). libcurl 8.14's rules and texts (lib/ws.c). */
#include <curl/curl.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/easy_handle.h"
#include "api/ws_internal.h"
#include "http/websocket/frame.h"
#include "socket/detached_connection.h"
#include "util/alloc.h"
#include "util/net_error.h"

/* Raw bytes read from the server at a time. */
#define IN_SIZE (64 * 1024)

struct cn_ws {
  struct cn_easy *easy;                /* owner */
  struct cn_detached_connection *conn; /* borrowed from the easy handle */
  struct cn_ws_decoder dec;
  struct cn_ws_encoder enc;
  struct curl_ws_frame frame; /* what curl_ws_meta / curl_ws_recv report */
  uint8_t *in;
  size_t in_start, in_end;
  bool got_bytes; /* anything arrived after the 101 */
};

struct cn_ws *cn_ws_new(struct cn_easy *e,
                        struct cn_detached_connection *conn) {
  struct cn_ws *ws = cn_calloc(1, sizeof(*ws));
  if (!ws)
    return NULL;
  ws->in = cn_malloc(IN_SIZE);
  if (!ws->in) {
    cn_free(ws);
    return NULL;
  }
  ws->easy = e;
  ws->conn = conn;
  cn_ws_decoder_init(&ws->dec);
  cn_ws_encoder_init(&ws->enc);
  return ws;
}

void cn_ws_free(struct cn_ws *ws) {
  if (!ws)
    return;
  cn_free(ws->in);
  cn_free(ws);
}

/* ws_failf is libcurl's failf for these calls, which run outside any
 * transfer: the error buffer and the verbose/debug output. */
static void ws_log(struct cn_easy *e, bool fail, const char *fmt, ...) {
  char text[CURL_ERROR_SIZE];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  if (fail && e->opts.error_buffer)
    snprintf(e->opts.error_buffer, CURL_ERROR_SIZE, "%s", text);
  if (e->opts.debug_fn) {
    char line[CURL_ERROR_SIZE + 2];
    int n = snprintf(line, sizeof(line), "%s\n", text);
    e->in_callback++;
    e->opts.debug_fn(e, CURLINFO_TEXT, line, (size_t)n, e->opts.debug_data);
    e->in_callback--;
  } else if (e->opts.verbose) {
    FILE *out = e->opts.stderr_stream ? (FILE *)e->opts.stderr_stream : stderr;
    fprintf(out, "* %s\n", text);
  }
}

/* --- receiving ----------------------------------------------------------- */

/* next_piece decodes the next piece of at most |max| payload bytes,
 * reading from the connection when the buffered bytes run out. CN_OK;
 * CN_ERR_IO_PENDING; CN_ERR_CONNECTION_CLOSED (the server closed; see
 * cn_ws_decoder_at_frame_start); or another error, logged. */
static int next_piece(struct cn_ws *ws, struct cn_ws_piece *out, size_t max) {
  for (;;) {
    if (ws->in_start < ws->in_end) {
      size_t used = 0;
      const char *err = NULL;
      int rv = cn_ws_decoder_next(&ws->dec, &used, out, &err,
                                  ws->in + ws->in_start,
                                  ws->in_end - ws->in_start, max);
      ws->in_start += used;
      if (rv == CN_OK)
        return CN_OK;
      if (rv != CN_ERR_IO_PENDING) {
        ws_log(ws->easy, true, "%s", err ? err : "[WS] decode error");
        return rv;
      }
    }
    ws->in_start = ws->in_end = 0;
    int n = cn_detached_connection_recv(ws->conn, ws->in, IN_SIZE);
    if (n == CN_ERR_IO_PENDING)
      return n;
    if (n == 0)
      return CN_ERR_CONNECTION_CLOSED;
    if (n < 0)
      return n;
    ws->in_end = (size_t)n;
    ws->got_bytes = true;
  }
}

static void set_meta(struct cn_ws *ws, const struct cn_ws_piece *p) {
  ws->frame.age = 0;
  ws->frame.flags = p->flags;
  ws->frame.offset = p->offset;
  ws->frame.len = p->len;
  ws->frame.bytesleft = p->frame_len - p->offset - (int64_t)p->len;
}

static CURLcode send_frame(struct cn_ws *ws, size_t *sent, const void *buf,
                           size_t len, curl_off_t fragsize, unsigned flags);

/* auto_pong answers a PING that is complete in |p| with the same payload
 * (libcurl: only single-piece PINGs; the piece is then not handed on).
 * True when answered. */
static bool auto_pong(struct cn_ws *ws, const struct cn_ws_piece *p,
                      CURLcode *out_rc) {
  *out_rc = CURLE_OK;
  if ((ws->easy->opts.ws_options & CURLWS_NOAUTOPONG) ||
      !(p->flags & CN_WS_PING) ||
      p->offset + (int64_t)p->len != p->frame_len)
    return false;
  ws_log(ws->easy, false, "[WS] auto-respond to PING with a PONG");
  size_t sent = 0;
  *out_rc = send_frame(ws, &sent, p->data, p->len, 0, CURLWS_PONG);
  return true;
}

CURLcode curl_ws_recv(CURL *curl, void *buffer, size_t buflen, size_t *recv,
                      const struct curl_ws_frame **metap) {
  struct cn_easy *e = cn_easy_from(curl);
  if (recv)
    *recv = 0;
  if (metap)
    *metap = NULL;
  if (!e || !recv || !metap)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  struct cn_ws *ws = e->ws;
  if (!ws) {
    if (!e->opts.connect_only) {
      ws_log(e, true, "[WS] CONNECT_ONLY is required");
      return CURLE_UNSUPPORTED_PROTOCOL;
    }
    ws_log(e, true, e->conn ? "[WS] connection is not setup for websocket"
                            : "[WS] connection not found");
    return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  for (;;) {
    if (e->in_callback && ws->in_start == ws->in_end)
      return CURLE_RECURSIVE_API_CALL; /* it would read the socket */
    struct cn_ws_piece p;
    int rv = next_piece(ws, &p, buflen);
    if (rv == CN_ERR_IO_PENDING)
      return CURLE_AGAIN;
    if (rv == CN_ERR_CONNECTION_CLOSED) {
      ws_log(e, false, "[WS] connection expectedly closed?");
      return CURLE_GOT_NOTHING;
    }
    if (rv == CN_ERR_OUT_OF_MEMORY)
      return CURLE_OUT_OF_MEMORY;
    if (rv < 0)
      return CURLE_RECV_ERROR;
    CURLcode rc;
    if (auto_pong(ws, &p, &rc)) {
      if (rc != CURLE_OK)
        return rc;
      continue;
    }
    if (p.len)
      memcpy(buffer, p.data, p.len);
    set_meta(ws, &p);
    *recv = p.len;
    *metap = &ws->frame;
    return CURLE_OK;
  }
}

/* --- sending ------------------------------------------------------------- */

static CURLcode send_error(struct cn_easy *e, int rv) {
  if (rv == CN_ERR_IO_PENDING)
    return CURLE_AGAIN;
  if (rv == CN_ERR_OUT_OF_MEMORY)
    return CURLE_OUT_OF_MEMORY;
  ws_log(e, true, "[WS] flush, write error %d", rv);
  return CURLE_SEND_ERROR;
}

static CURLcode send_frame(struct cn_ws *ws, size_t *sent, const void *buf,
                           size_t len, curl_off_t fragsize, unsigned flags) {
  struct cn_easy *e = ws->easy;
  struct cn_ws_encoder saved = ws->enc;
  uint8_t head[CN_WS_MAX_HEAD];
  size_t hlen = 0;
  int64_t remain = cn_ws_encoder_remaining(&ws->enc);
  if (remain > 0) {
    /* The payload of a frame announced with CURLWS_OFFSET goes on. */
    if ((int64_t)len > remain) {
      ws_log(e, true, "[WS] unaligned frame size (sending %zu instead of "
                      "%lld)", len, (long long)remain);
      return CURLE_BAD_FUNCTION_ARGUMENT;
    }
  } else {
    int64_t payload_len =
        (flags & CURLWS_OFFSET) ? (int64_t)fragsize : (int64_t)len;
    uint8_t mask[4];
    if (RAND_bytes(mask, sizeof(mask)) != 1)
      return CURLE_FAILED_INIT;
    const char *err = NULL, *info = NULL;
    int rv = cn_ws_encoder_head(&ws->enc, head, &hlen, &err, &info, flags,
                                payload_len, mask);
    if (info)
      ws_log(e, false, "%s", info);
    if (rv != CN_OK) {
      ws_log(e, true, "%s", err);
      return rv == CN_ERR_WS_BAD_FLAGS          ? CURLE_BAD_FUNCTION_ARGUMENT
             : rv == CN_ERR_WS_FRAME_TOO_LARGE ? CURLE_TOO_LARGE
                                               : CURLE_SEND_ERROR;
    }
    if ((int64_t)len > payload_len) {
      ws->enc = saved;
      ws_log(e, true, "[WS] unaligned frame size (sending %zu instead of "
                      "%lld)", len, (long long)payload_len);
      return CURLE_BAD_FUNCTION_ARGUMENT;
    }
  }
  uint8_t *frame = cn_malloc(hlen + len + 1);
  if (!frame) {
    ws->enc = saved;
    return CURLE_OUT_OF_MEMORY;
  }
  memcpy(frame, head, hlen);
  size_t n = cn_ws_encoder_payload(&ws->enc, frame + hlen, buf, len);
  int rv = cn_detached_connection_send(ws->conn, frame, hlen + n);
  cn_free(frame);
  if (rv < 0) {
    ws->enc = saved; /* nothing was taken: the same call may come again */
    return send_error(e, rv);
  }
  *sent = n;
  return CURLE_OK;
}

CURLcode curl_ws_send(CURL *curl, const void *buffer, size_t buflen,
                      size_t *sent, curl_off_t fragsize, unsigned int flags) {
  struct cn_easy *e = cn_easy_from(curl);
  if (sent)
    *sent = 0;
  if (!e || !sent || (!buffer && buflen))
    return CURLE_BAD_FUNCTION_ARGUMENT;
  struct cn_ws *ws = e->ws;
  if (!ws) {
    ws_log(e, true, e->conn || e->opts.connect_only
                        ? "[WS] Not a websocket transfer"
                        : "[WS] No associated connection");
    return CURLE_SEND_ERROR;
  }
  if (e->opts.ws_options & CURLWS_RAW_MODE) {
    if (fragsize || flags) {
      ws_log(e, true, "[WS] fragsize and flags must be zero in raw mode");
      return CURLE_BAD_FUNCTION_ARGUMENT;
    }
    if (!buflen)
      return CURLE_OK;
    int rv = cn_detached_connection_send(ws->conn, buffer, buflen);
    if (rv < 0)
      return send_error(e, rv);
    *sent = (size_t)rv;
    return CURLE_OK;
  }
  return send_frame(ws, sent, buffer, buflen, fragsize, flags);
}

const struct curl_ws_frame *curl_ws_meta(CURL *curl) {
  struct cn_easy *e = cn_easy_from(curl);
  /* libcurl: only from inside the write callback, not in raw mode */
  if (!e || !e->ws || !e->in_callback ||
      (e->opts.ws_options & CURLWS_RAW_MODE))
    return NULL;
  return &e->ws->frame;
}

/* --- the write-callback mode --------------------------------------------- */

static CURLcode deliver(struct cn_ws *ws, const uint8_t *data, size_t len) {
  struct cn_easy *e = ws->easy;
  size_t w;
  e->in_callback++;
  if (e->opts.write_fn)
    w = e->opts.write_fn((char *)data, 1, len, e->opts.write_data);
  else
    w = fwrite(data, 1, len,
               e->opts.write_data ? (FILE *)e->opts.write_data : stdout);
  e->in_callback--;
  if (w != len) {
    ws_log(e, true, "Failure writing output to destination, passed %zu "
                    "returned %zu", len, w);
    return CURLE_WRITE_ERROR;
  }
  return CURLE_OK;
}

CURLcode cn_ws_pump(struct cn_ws *ws) {
  struct cn_easy *e = ws->easy;
  bool raw = (e->opts.ws_options & CURLWS_RAW_MODE) != 0;
  for (;;) {
    int rv;
    CURLcode rc = CURLE_OK;
    if (raw) {
      rv = cn_detached_connection_recv(ws->conn, ws->in, IN_SIZE);
      if (rv > 0) {
        ws->got_bytes = true;
        rc = deliver(ws, ws->in, (size_t)rv);
        if (rc != CURLE_OK)
          return rc;
        continue;
      }
      if (rv == 0)
        rv = CN_ERR_CONNECTION_CLOSED;
    } else {
      struct cn_ws_piece p;
      rv = next_piece(ws, &p, IN_SIZE);
      if (rv == CN_OK) {
        if (auto_pong(ws, &p, &rc)) {
          if (rc != CURLE_OK)
            return rc;
          continue;
        }
        set_meta(ws, &p);
        /* An empty frame is handed on too, as a zero-length write. */
        rc = deliver(ws, p.data, p.len);
        if (rc != CURLE_OK)
          return rc;
        continue;
      }
    }
    if (rv == CN_ERR_IO_PENDING)
      return CURLE_AGAIN;
    if (rv == CN_ERR_CONNECTION_CLOSED) {
      if (!raw && !cn_ws_decoder_at_frame_start(&ws->dec)) {
        ws_log(e, true, "[WS] decode ending with frame bytes remaining");
        return CURLE_RECV_ERROR;
      }
      if (!ws->got_bytes) {
        ws_log(e, true, "Empty reply from server");
        return CURLE_GOT_NOTHING;
      }
      return CURLE_OK;
    }
    if (rv == CN_ERR_OUT_OF_MEMORY)
      return CURLE_OUT_OF_MEMORY;
    return CURLE_RECV_ERROR;
  }
}
