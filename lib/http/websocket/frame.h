/* frame.h: the WebSocket frame codec (RFC 6455 section 5), I/O-free in the
 * nghttp2 manner: the decoder is handed the bytes that arrived and hands
 * back payload pieces; the encoder writes a frame head and masks payload
 * into the caller's buffer. The rules are libcurl 8.14's (lib/ws.c):
 *
 * - frame flags are CURLWS_*'s values (TEXT 1, BINARY 2, CONT 4, CLOSE 8,
 *   PING 16, OFFSET 32, PONG 64): a TEXT or BINARY piece with CONT set is a
 *   fragment of a message that goes on; control frames (CLOSE, PING, PONG)
 *   may come between fragments and leave that state alone;
 * - the server's frames must not be masked, must use a known opcode, no
 *   reserved bit, control frames at most 125 bytes and unfragmented, a
 *   64-bit length below 2^63; a continuation needs an open message and a
 *   new TEXT/BINARY must not interrupt one: CN_ERR_WS_PROTOCOL_ERROR with
 *   libcurl's text;
 * - the client's frames are always masked (the caller supplies the 4
 *   random bytes), a frame's length is announced up front (CURLWS_OFFSET
 *   with fragsize lets the payload follow in several calls).
 *
 * Embedded objects, no allocation. */
#ifndef CN_HTTP_WEBSOCKET_FRAME_H
#define CN_HTTP_WEBSOCKET_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CN_WS_TEXT (1 << 0)
#define CN_WS_BINARY (1 << 1)
#define CN_WS_CONT (1 << 2)
#define CN_WS_CLOSE (1 << 3)
#define CN_WS_PING (1 << 4)
#define CN_WS_OFFSET (1 << 5)
#define CN_WS_PONG (1 << 6)

/* Control frames carry at most this many payload bytes. */
#define CN_WS_MAX_CONTROL_PAYLOAD 125
/* The longest frame head a client writes (2 + 8 length + 4 mask). */
#define CN_WS_MAX_HEAD 14

/* --- decoding (server to client) ----------------------------------------- */

struct cn_ws_decoder {
  uint8_t head[10];
  int head_len, head_total; /* head_len 0: between frames */
  int frame_flags;          /* of the frame being read */
  int cont_flags;           /* the open fragmented message's, 0: none */
  int64_t payload_len, payload_offset;
  bool in_payload;
};

/* One piece of a frame's payload: |data| points into the caller's input
 * (server frames are not masked). An empty frame gives one piece of
 * length 0. */
struct cn_ws_piece {
  int flags;
  int64_t offset;      /* of |data| within the frame's payload */
  int64_t frame_len;   /* the whole frame's payload length */
  const uint8_t *data;
  size_t len;
};

void cn_ws_decoder_init(struct cn_ws_decoder *d);

/* cn_ws_decoder_next reads from |in|/|len| (consuming *out_consumed bytes)
 * until it has a piece of at most |max| payload bytes (max 0 is taken as
 * 1 except for empty frames). CN_OK with *out_piece; CN_ERR_IO_PENDING when
 * all input was consumed without a piece (a partial head); or
 * CN_ERR_WS_PROTOCOL_ERROR, with *out_error naming the problem (static
 * text; the decoder is reset). */
int cn_ws_decoder_next(struct cn_ws_decoder *d, size_t *out_consumed,
                       struct cn_ws_piece *out_piece, const char **out_error,
                       const uint8_t *in, size_t len, size_t max);

/* True between frames (no head or payload half read). */
bool cn_ws_decoder_at_frame_start(const struct cn_ws_decoder *d);

/* --- encoding (client to server) ------------------------------------------ */

struct cn_ws_encoder {
  int64_t payload_len, payload_remain;
  uint8_t mask[4];
  unsigned xori;
  bool contfragment; /* the last data frame sent was not the final one */
};

void cn_ws_encoder_init(struct cn_ws_encoder *e);

/* cn_ws_encoder_head starts a frame of |payload_len| bytes with |flags|
 * (CN_WS_*; CN_WS_OFFSET is ignored here) and |mask|, writing its head to
 * |out| (CN_WS_MAX_HEAD bytes of room). CN_OK; CN_ERR_WS_FRAME_INCOMPLETE
 * (the last frame's payload is not all written), CN_ERR_WS_BAD_FLAGS,
 * CN_ERR_WS_FRAME_TOO_LARGE, CN_ERR_INVALID_ARGUMENT (negative length);
 * *out_error names the problem. Nothing changes on error. *out_info may
 * get a note for the log (flags taken for compatibility). */
int cn_ws_encoder_head(struct cn_ws_encoder *e, uint8_t *out,
                       size_t *out_len, const char **out_error,
                       const char **out_info, unsigned flags,
                       int64_t payload_len, const uint8_t mask[4]);

/* cn_ws_encoder_payload masks up to |len| payload bytes of the current
 * frame from |in| into |out| (which may be |in|); returns how many (never
 * more than the frame has left). */
size_t cn_ws_encoder_payload(struct cn_ws_encoder *e, uint8_t *out,
                             const uint8_t *in, size_t len);

/* Payload bytes the current frame still expects. */
int64_t cn_ws_encoder_remaining(const struct cn_ws_encoder *e);

#endif
