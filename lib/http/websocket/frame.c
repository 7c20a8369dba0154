/* frame.c: WebSocket frame heads and payload pieces (see the header). */
#include "http/websocket/frame.h"

#include <string.h>

#include "util/net_error.h"

#define BIT_FIN 0x80
#define BIT_RSV 0x70
#define BIT_MASK 0x80
#define OP_CONT 0x0
#define OP_TEXT 0x1
#define OP_BIN 0x2
#define OP_CLOSE 0x8
#define OP_PING 0x9
#define OP_PONG 0xa

/* --- decoding ------------------------------------------------------------ */

void cn_ws_decoder_init(struct cn_ws_decoder *d) { memset(d, 0, sizeof(*d)); }

bool cn_ws_decoder_at_frame_start(const struct cn_ws_decoder *d) {
  return d->head_len == 0 && !d->in_payload;
}

/* first_byte_flags maps a frame's first byte to CN_WS_* flags given the
 * open message's |cont| flags; 0 and *err when the byte is not allowed. */
static int first_byte_flags(uint8_t b, int cont, const char **err) {
  bool fin = (b & BIT_FIN) != 0;
  if (b & BIT_RSV) {
    *err = "[WS] invalid reserved bits";
    return 0;
  }
  switch (b & 0x0f) {
  case OP_CONT:
    if (!(cont & CN_WS_CONT)) {
      *err = "[WS] no ongoing fragmented message to resume";
      return 0;
    }
    return fin ? (cont & ~CN_WS_CONT) : (cont | CN_WS_CONT);
  case OP_TEXT:
  case OP_BIN: {
    bool text = (b & 0x0f) == OP_TEXT;
    if (cont & CN_WS_CONT) {
      *err = text ? "[WS] fragmented message interrupted by new TEXT msg"
                  : "[WS] fragmented message interrupted by new BINARY msg";
      return 0;
    }
    int kind = text ? CN_WS_TEXT : CN_WS_BINARY;
    return fin ? kind : (kind | CN_WS_CONT);
  }
  case OP_CLOSE:
    if (!fin)
      *err = "[WS] invalid fragmented CLOSE frame";
    return fin ? CN_WS_CLOSE : 0;
  case OP_PING:
    if (!fin)
      *err = "[WS] invalid fragmented PING frame";
    return fin ? CN_WS_PING : 0;
  case OP_PONG:
    if (!fin)
      *err = "[WS] invalid fragmented PONG frame";
    return fin ? CN_WS_PONG : 0;
  default:
    *err = "[WS] invalid opcode";
    return 0;
  }
}

static int fail(struct cn_ws_decoder *d, const char **out_error,
                const char *text) {
  cn_ws_decoder_init(d);
  *out_error = text;
  return CN_ERR_WS_PROTOCOL_ERROR;
}

/* head_byte takes one byte of a frame head; CN_OK, or an error. */
static int head_byte(struct cn_ws_decoder *d, uint8_t b,
                     const char **out_error) {
  if (d->head_len == 0) {
    const char *err = NULL;
    int flags = first_byte_flags(b, d->cont_flags, &err);
    if (!flags)
      return fail(d, out_error, err);
    d->frame_flags = flags;
    /* Only data frames open or close a fragmented message. */
    if (flags & (CN_WS_TEXT | CN_WS_BINARY))
      d->cont_flags = flags;
    d->head[0] = b;
    d->head_len = 1;
    d->head_total = 2;
    return CN_OK;
  }
  d->head[d->head_len++] = b;
  if (d->head_len == 2) {
    if (b & BIT_MASK)
      return fail(d, out_error, "[WS] masked input frame");
    uint8_t n = b & 0x7f;
    if (n > CN_WS_MAX_CONTROL_PAYLOAD &&
        (d->frame_flags & (CN_WS_PING | CN_WS_PONG | CN_WS_CLOSE)))
      return fail(d, out_error,
                  d->frame_flags & CN_WS_PING   ? "[WS] received PING frame "
                                                  "is too big"
                  : d->frame_flags & CN_WS_PONG ? "[WS] received PONG frame "
                                                  "is too big"
                                                : "[WS] received CLOSE frame "
                                                  "is too big");
    d->head_total = n == 126 ? 4 : n == 127 ? 10 : 2;
  }
  if (d->head_len < d->head_total)
    return CN_OK;
  /* The head is complete. */
  if (d->head_total == 2) {
    d->payload_len = d->head[1] & 0x7f;
  } else if (d->head_total == 4) {
    d->payload_len = ((int64_t)d->head[2] << 8) | d->head[3];
  } else {
    if (d->head[2] > 127)
      return fail(d, out_error,
                  "[WS] frame length longer than 64 signed not supported");
    uint64_t v = 0;
    for (int i = 2; i < 10; i++)
      v = (v << 8) | d->head[i];
    d->payload_len = (int64_t)v;
  }
  d->payload_offset = 0;
  d->in_payload = true;
  d->head_len = 0;
  return CN_OK;
}

int cn_ws_decoder_next(struct cn_ws_decoder *d, size_t *out_consumed,
                       struct cn_ws_piece *out_piece, const char **out_error,
                       const uint8_t *in, size_t len, size_t max) {
  size_t used = 0;
  *out_error = NULL;
  while (!d->in_payload) {
    if (used == len) {
      *out_consumed = used;
      return CN_ERR_IO_PENDING;
    }
    int rv = head_byte(d, in[used++], out_error);
    if (rv != CN_OK) {
      *out_consumed = used;
      return rv;
    }
  }
  int64_t remain = d->payload_len - d->payload_offset;
  size_t n = len - used;
  if ((int64_t)n > remain)
    n = (size_t)remain;
  if (max == 0)
    max = 1;
  if (n > max)
    n = max;
  if (n == 0 && remain > 0) {
    *out_consumed = used;
    return CN_ERR_IO_PENDING; /* payload to come */
  }
  out_piece->flags = d->frame_flags;
  out_piece->offset = d->payload_offset;
  out_piece->frame_len = d->payload_len;
  out_piece->data = in + used;
  out_piece->len = n;
  d->payload_offset += (int64_t)n;
  if (d->payload_offset == d->payload_len)
    d->in_payload = false; /* the next byte starts a frame */
  *out_consumed = used + n;
  return CN_OK;
}

/* --- encoding ------------------------------------------------------------ */

void cn_ws_encoder_init(struct cn_ws_encoder *e) { memset(e, 0, sizeof(*e)); }

int64_t cn_ws_encoder_remaining(const struct cn_ws_encoder *e) {
  return e->payload_remain;
}

/* flags_first_byte is libcurl's mapping of curl_ws_send flags to a frame's
 * first byte; -1 and *err for flags that make no frame. */
static int flags_first_byte(unsigned flags, bool cont, const char **err,
                            const char **info) {
  switch (flags & ~(unsigned)CN_WS_OFFSET) {
  case 0:
    if (cont) {
      *info = "[WS] no flags given; interpreting as continuation fragment "
              "for compatibility";
      return OP_CONT | BIT_FIN;
    }
    *err = "[WS] no flags given";
    return -1;
  case CN_WS_CONT:
    if (cont) {
      *info = "[WS] setting CURLWS_CONT flag without message type is "
              "supported for compatibility but highly discouraged";
      return OP_CONT;
    }
    *err = "[WS] No ongoing fragmented message to continue";
    return -1;
  case CN_WS_TEXT:
    return cont ? (OP_CONT | BIT_FIN) : (OP_TEXT | BIT_FIN);
  case CN_WS_TEXT | CN_WS_CONT:
    return cont ? OP_CONT : OP_TEXT;
  case CN_WS_BINARY:
    return cont ? (OP_CONT | BIT_FIN) : (OP_BIN | BIT_FIN);
  case CN_WS_BINARY | CN_WS_CONT:
    return cont ? OP_CONT : OP_BIN;
  case CN_WS_CLOSE:
    return OP_CLOSE | BIT_FIN;
  case CN_WS_PING:
    return OP_PING | BIT_FIN;
  case CN_WS_PONG:
    return OP_PONG | BIT_FIN;
  case CN_WS_CLOSE | CN_WS_CONT:
    *err = "[WS] CLOSE frame must not be fragmented";
    return -1;
  case CN_WS_PING | CN_WS_CONT:
    *err = "[WS] PING frame must not be fragmented";
    return -1;
  case CN_WS_PONG | CN_WS_CONT:
    *err = "[WS] PONG frame must not be fragmented";
    return -1;
  default:
    *err = "[WS] unknown flags";
    return -1;
  }
}

int cn_ws_encoder_head(struct cn_ws_encoder *e, uint8_t *out,
                       size_t *out_len, const char **out_error,
                       const char **out_info, unsigned flags,
                       int64_t payload_len, const uint8_t mask[4]) {
  *out_error = NULL;
  *out_info = NULL;
  if (payload_len < 0) {
    *out_error = "[WS] starting new frame with negative payload length";
    return CN_ERR_INVALID_ARGUMENT;
  }
  if (e->payload_remain > 0) {
    *out_error = "[WS] starting new frame with bytes from last one "
                 "remaining to be sent";
    return CN_ERR_WS_FRAME_INCOMPLETE;
  }
  int first = flags_first_byte(flags, e->contfragment, out_error, out_info);
  if (first < 0)
    return CN_ERR_WS_BAD_FLAGS;
  if ((flags & (CN_WS_PING | CN_WS_PONG | CN_WS_CLOSE)) &&
      payload_len > CN_WS_MAX_CONTROL_PAYLOAD) {
    *out_error = flags & CN_WS_PING   ? "[WS] given PING frame is too big"
                 : flags & CN_WS_PONG ? "[WS] given PONG frame is too big"
                                      : "[WS] given CLOSE frame is too big";
    return CN_ERR_WS_FRAME_TOO_LARGE;
  }
  if (flags & (CN_WS_TEXT | CN_WS_BINARY))
    e->contfragment = (flags & CN_WS_CONT) != 0;
  size_t n = 0;
  out[n++] = (uint8_t)first;
  if (payload_len > 65535) {
    out[n++] = 127 | BIT_MASK;
    for (int shift = 56; shift >= 0; shift -= 8)
      out[n++] = (uint8_t)(((uint64_t)payload_len >> shift) & 0xff);
  } else if (payload_len >= 126) {
    out[n++] = 126 | BIT_MASK;
    out[n++] = (uint8_t)((payload_len >> 8) & 0xff);
    out[n++] = (uint8_t)(payload_len & 0xff);
  } else {
    out[n++] = (uint8_t)payload_len | BIT_MASK;
  }
  memcpy(out + n, mask, 4);
  n += 4;
  memcpy(e->mask, mask, 4);
  e->xori = 0;
  e->payload_len = e->payload_remain = payload_len;
  *out_len = n;
  return CN_OK;
}

size_t cn_ws_encoder_payload(struct cn_ws_encoder *e, uint8_t *out,
                             const uint8_t *in, size_t len) {
  if ((int64_t)len > e->payload_remain)
    len = (size_t)e->payload_remain;
  for (size_t i = 0; i < len; i++) {
    out[i] = in[i] ^ e->mask[e->xori];
    e->xori = (e->xori + 1) & 3;
  }
  e->payload_remain -= (int64_t)len;
  return len;
}
