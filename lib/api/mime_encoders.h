/* mime_encoders.h: the Content-Transfer-Encodings of curl_mime_encoder
 * (binary, 8bit, 7bit, base64, quoted-printable), as libcurl 8.14 produces
 * them byte for byte: base64 in lines of 76 characters, quoted-printable
 * with soft line breaks at 76 and CRLF kept as the line end.
 *
 * An encoder works on a small input window (struct cn_mime_enc_state) that
 * the caller refills from the part's raw content; the encoder takes what it
 * can from it, so output does not depend on how the input was chunked.
 * Pure code: no allocation, no I/O. */
#ifndef CN_API_MIME_ENCODERS_H
#define CN_API_MIME_ENCODERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Input window size: libcurl's encoder buffer. */
#define CN_MIME_ENC_WINDOW 256
/* The longest encoded line (RFC 2045), base64 and quoted-printable. */
#define CN_MIME_ENC_LINE 76

struct cn_mime_enc_state {
  size_t pos; /* characters on the current output line */
  size_t beg; /* next unencoded byte of |in| */
  size_t end; /* end of the valid bytes of |in| */
  unsigned char in[CN_MIME_ENC_WINDOW];
};

enum cn_mime_enc_result {
  /* Progress made, or nothing more can be done until more input comes (or,
   * with |at_eof|, everything is out). */
  CN_MIME_ENC_OK = 0,
  /* Nothing written: the next encoded unit does not fit in |cap|. */
  CN_MIME_ENC_NO_ROOM,
  /* Nothing written: the next byte cannot be sent in this encoding
   * (7bit and a byte >= 0x80). */
  CN_MIME_ENC_BAD_INPUT
};

struct cn_mime_encoder {
  const char *name; /* as sent in Content-Transfer-Encoding */
  /* encode moves bytes from |st|'s window to |out| (at most |cap|), sets
   * *out_len. |at_eof|: no input will follow the window's bytes. */
  enum cn_mime_enc_result (*encode)(struct cn_mime_enc_state *st, bool at_eof,
                                    char *out, size_t cap, size_t *out_len);
  /* size: encoded length for |raw| input bytes; -1 when it cannot be known
   * without reading the data (and always for |raw| == -1). */
  int64_t (*size)(int64_t raw);
};

/* cn_mime_encoder_find looks |name| up, ignoring case; NULL if unknown. */
const struct cn_mime_encoder *cn_mime_encoder_find(const char *name);

/* cn_mime_enc_state_reset empties the window and starts a new line. */
void cn_mime_enc_state_reset(struct cn_mime_enc_state *st);

#endif
