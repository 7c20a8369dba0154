/* mime_encoders.c: binary, 8bit, 7bit, base64 and quoted-printable, with
 * libcurl 8.14's line rules (see mime_encoders.h). */
#include "api/mime_encoders.h"

#include <string.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex_upper[] = "0123456789ABCDEF";

void cn_mime_enc_state_reset(struct cn_mime_enc_state *st) {
  st->pos = 0;
  st->beg = 0;
  st->end = 0;
}

static size_t window_len(const struct cn_mime_enc_state *st) {
  return st->end - st->beg;
}

/* --- binary, 8bit: bytes as they are -------------------------------------- */

static enum cn_mime_enc_result copy_encode(struct cn_mime_enc_state *st,
                                           bool at_eof, char *out, size_t cap,
                                           size_t *out_len) {
  (void)at_eof;
  *out_len = 0;
  size_t n = window_len(st);
  if (n && !cap)
    return CN_MIME_ENC_NO_ROOM;
  if (n > cap)
    n = cap;
  memcpy(out, st->in + st->beg, n);
  st->beg += n;
  *out_len = n;
  return CN_MIME_ENC_OK;
}

static int64_t same_size(int64_t raw) { return raw; }

/* --- 7bit: bytes as they are, but only 7-bit ones ------------------------- */

static enum cn_mime_enc_result ascii_encode(struct cn_mime_enc_state *st,
                                            bool at_eof, char *out, size_t cap,
                                            size_t *out_len) {
  (void)at_eof;
  *out_len = 0;
  size_t n = window_len(st);
  if (n && !cap)
    return CN_MIME_ENC_NO_ROOM;
  if (n > cap)
    n = cap;
  size_t i = 0;
  while (i < n && !(st->in[st->beg + i] & 0x80)) {
    out[i] = (char)st->in[st->beg + i];
    i++;
  }
  st->beg += i;
  *out_len = i;
  /* Bytes before the bad one go out first; the next call reports it. */
  return (i == 0 && n > 0) ? CN_MIME_ENC_BAD_INPUT : CN_MIME_ENC_OK;
}

/* --- base64 --------------------------------------------------------------- */

static void b64_group(const unsigned char *in, size_t n, char *out) {
  unsigned v = (unsigned)in[0] << 16;
  if (n > 1)
    v |= (unsigned)in[1] << 8;
  if (n > 2)
    v |= in[2];
  out[0] = b64_alphabet[(v >> 18) & 0x3f];
  out[1] = b64_alphabet[(v >> 12) & 0x3f];
  out[2] = n > 1 ? b64_alphabet[(v >> 6) & 0x3f] : '=';
  out[3] = n > 2 ? b64_alphabet[v & 0x3f] : '=';
}

/* A line is broken before a group once it holds more than 72 characters,
 * so full lines are 76 long; the break is written as soon as input waits,
 * even before the last (padded) group. */
static enum cn_mime_enc_result b64_encode(struct cn_mime_enc_state *st,
                                          bool at_eof, char *out, size_t cap,
                                          size_t *out_len) {
  size_t w = 0;
  bool no_room = false;
  *out_len = 0;
  while (window_len(st) > 0) {
    if (st->pos > CN_MIME_ENC_LINE - 4) {
      if (cap - w < 2) {
        no_room = true;
        break;
      }
      out[w++] = '\r';
      out[w++] = '\n';
      st->pos = 0;
    }
    if (cap - w < 4) {
      no_room = true;
      break;
    }
    if (window_len(st) < 3)
      break;
    b64_group(st->in + st->beg, 3, out + w);
    st->beg += 3;
    w += 4;
    st->pos += 4;
  }
  if (!no_room && at_eof && window_len(st) > 0) {
    if (cap - w < 4) {
      no_room = true;
    } else {
      b64_group(st->in + st->beg, window_len(st), out + w);
      st->beg = st->end;
      w += 4;
      st->pos += 4;
    }
  }
  *out_len = w;
  return (w == 0 && no_room) ? CN_MIME_ENC_NO_ROOM : CN_MIME_ENC_OK;
}

static int64_t b64_size(int64_t raw) {
  if (raw <= 0)
    return raw;
  int64_t chars = 4 * ((raw + 2) / 3);
  return chars + 2 * ((chars - 1) / CN_MIME_ENC_LINE);
}

/* --- quoted-printable ----------------------------------------------------- */

/* Bytes that may stand for themselves: printable ASCII except '='. Space
 * and tab may too, unless a line end follows them. */
static bool qp_plain(unsigned char c) {
  return c >= 0x21 && c <= 0x7e && c != '=';
}

/* qp_eol_at answers whether the window holds a CRLF (or the end of all
 * data) |n| bytes past the next byte: 1 yes, 0 no, -1 cannot tell yet. */
static int qp_eol_at(const struct cn_mime_enc_state *st, bool at_eof,
                     size_t n) {
  n += st->beg;
  if (n >= st->end && at_eof)
    return 1;
  if (n + 2 > st->end)
    return at_eof ? 0 : -1;
  return st->in[n] == '\r' && st->in[n + 1] == '\n';
}

static enum cn_mime_enc_result qp_encode(struct cn_mime_enc_state *st,
                                         bool at_eof, char *out, size_t cap,
                                         size_t *out_len) {
  size_t w = 0;
  bool no_room = false;
  *out_len = 0;
  while (window_len(st) > 0) {
    unsigned char c = st->in[st->beg];
    char unit[3];
    size_t ulen = 1;
    size_t used = 1;
    bool escape = false;
    bool line_end = false;
    if (qp_plain(c)) {
      unit[0] = (char)c;
    } else if (c == ' ' || c == '\t') {
      int eol = qp_eol_at(st, at_eof, 1);
      if (eol < 0)
        break;
      /* trailing blanks would be lost by mail gateways */
      escape = eol == 1;
      unit[0] = (char)c;
    } else if (c == '\r') {
      int eol = qp_eol_at(st, at_eof, 0);
      if (eol < 0)
        break;
      if (eol == 1) {
        unit[0] = '\r';
        unit[1] = '\n';
        ulen = used = 2;
        line_end = true;
      } else {
        escape = true;
      }
    } else {
      escape = true;
    }
    if (escape) {
      unit[0] = '=';
      unit[1] = hex_upper[c >> 4];
      unit[2] = hex_upper[c & 0xf];
      ulen = 3;
    }
    if (!line_end) {
      /* A unit that would end a full line may stay on it only when the
       * line ends right after it; otherwise a soft break comes first. */
      bool soft = st->pos + ulen > CN_MIME_ENC_LINE;
      if (!soft && st->pos + ulen == CN_MIME_ENC_LINE) {
        int eol = qp_eol_at(st, at_eof, used);
        if (eol < 0)
          break;
        soft = eol == 0;
      }
      if (soft) {
        unit[0] = '=';
        unit[1] = '\r';
        unit[2] = '\n';
        ulen = 3;
        used = 0;
        line_end = true;
      }
    }
    if (ulen > cap - w) {
      no_room = true;
      break;
    }
    memcpy(out + w, unit, ulen);
    w += ulen;
    st->pos = line_end ? 0 : st->pos + ulen;
    st->beg += used;
  }
  *out_len = w;
  return (w == 0 && no_room) ? CN_MIME_ENC_NO_ROOM : CN_MIME_ENC_OK;
}

/* The length depends on the bytes: only empty data has a known one. */
static int64_t qp_size(int64_t raw) { return raw == 0 ? 0 : -1; }

static const struct cn_mime_encoder encoders[] = {
    {"binary", copy_encode, same_size},       {"8bit", copy_encode, same_size},
    {"7bit", ascii_encode, same_size},        {"base64", b64_encode, b64_size},
    {"quoted-printable", qp_encode, qp_size},
};

/* ASCII only: the locale must not change which names match. */
static bool same_name(const char *a, const char *b) {
  for (;; a++, b++) {
    unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x | 0x20);
    if (x != y)
      return false;
    if (!x)
      return true;
  }
}

const struct cn_mime_encoder *cn_mime_encoder_find(const char *name) {
  for (size_t i = 0; i < sizeof(encoders) / sizeof(encoders[0]); i++)
    if (same_name(name, encoders[i].name))
      return &encoders[i];
  return NULL;
}
