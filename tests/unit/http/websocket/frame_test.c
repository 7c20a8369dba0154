/* frame_test.c: the WebSocket frame codec against RFC 6455's examples and
 * libcurl's rules for bad input and curl_ws_send flags. */
#include "http/websocket/frame.h"

#include <string.h>

#include "http/websocket/handshake.h"
#include "test.h"
#include "util/net_error.h"

/* decode_all feeds |in| and appends every piece's payload to |out|;
 * returns the last result (CN_ERR_IO_PENDING once all is consumed). */
static int decode_all(struct cn_ws_decoder *d, const uint8_t *in, size_t len,
                      size_t max, char *out, int *out_pieces,
                      int *out_last_flags, const char **out_err) {
  size_t off = 0;
  int rv = CN_ERR_IO_PENDING;
  *out_pieces = 0;
  out[0] = '\0';
  while (off <= len) {
    size_t used = 0;
    struct cn_ws_piece p;
    rv = cn_ws_decoder_next(d, &used, &p, out_err, in + off, len - off, max);
    off += used;
    if (rv != CN_OK)
      return rv;
    (*out_pieces)++;
    *out_last_flags = p.flags;
    strncat(out, (const char *)p.data, p.len);
    if (off == len && cn_ws_decoder_at_frame_start(d))
      return CN_ERR_IO_PENDING;
  }
  return rv;
}

TEST(rfc6455_unmasked_text_and_fragments) {
  struct cn_ws_decoder d;
  cn_ws_decoder_init(&d);
  char out[64];
  int pieces = 0, flags = 0;
  const char *err;
  /* RFC 6455 5.7: "Hello" unmasked */
  static const uint8_t hello[] = {0x81, 0x05, 'H', 'e', 'l', 'l', 'o'};
  CHECK_EQ_INT(decode_all(&d, hello, sizeof(hello), 64, out, &pieces, &flags,
                          &err),
               CN_ERR_IO_PENDING);
  CHECK_EQ_STR(out, "Hello");
  CHECK_EQ_INT(flags, CN_WS_TEXT);
  /* fragmented "Hel" + "lo" with a PING between */
  static const uint8_t frag[] = {0x01, 0x03, 'H', 'e', 'l', 0x89, 0x00,
                                 0x80, 0x02, 'l',  'o'};
  size_t used;
  struct cn_ws_piece p;
  CHECK_EQ_INT(cn_ws_decoder_next(&d, &used, &p, &err, frag, sizeof(frag), 64),
               CN_OK);
  CHECK_EQ_INT(p.flags, CN_WS_TEXT | CN_WS_CONT);
  CHECK_EQ_INT(used, 5);
  CHECK_EQ_INT(cn_ws_decoder_next(&d, &used, &p, &err, frag + 5, 6, 64),
               CN_OK);
  CHECK_EQ_INT(p.flags, CN_WS_PING); /* control frames leave CONT alone */
  CHECK_EQ_INT(p.len, 0);
  CHECK_EQ_INT(cn_ws_decoder_next(&d, &used, &p, &err, frag + 7, 4, 64),
               CN_OK);
  CHECK_EQ_INT(p.flags, CN_WS_TEXT); /* the final fragment */
  CHECK_EQ_INT(p.len, 2);
}

TEST(pieces_byte_by_byte_and_bounded) {
  struct cn_ws_decoder d;
  cn_ws_decoder_init(&d);
  /* 300-byte binary frame (16-bit length), fed one byte at a time */
  uint8_t frame[4 + 300];
  frame[0] = 0x82;
  frame[1] = 126;
  frame[2] = 0x01;
  frame[3] = 0x2c;
  for (int i = 0; i < 300; i++)
    frame[4 + i] = (uint8_t)('a' + i % 26);
  int64_t got = 0;
  for (size_t i = 0; i < sizeof(frame); i++) {
    size_t used;
    struct cn_ws_piece p;
    const char *err;
    int rv = cn_ws_decoder_next(&d, &used, &p, &err, frame + i, 1, 1);
    CHECK_EQ_INT(used, 1);
    if (i < 4) {
      CHECK_EQ_INT(rv, CN_ERR_IO_PENDING);
      continue;
    }
    CHECK_EQ_INT(rv, CN_OK);
    CHECK_EQ_INT(p.offset, got);
    CHECK_EQ_INT(p.frame_len, 300);
    got += (int64_t)p.len;
  }
  CHECK_EQ_INT(got, 300);
  CHECK(cn_ws_decoder_at_frame_start(&d));
}

TEST(bad_server_frames_are_protocol_errors) {
  static const struct {
    uint8_t bytes[10];
    size_t len;
    const char *why;
  } bad[] = {
      {{0x83, 0x00}, 2, "invalid opcode"},
      {{0xc1, 0x00}, 2, "reserved bits"},
      {{0x81, 0x81, 1, 2, 3, 4}, 6, "masked input frame"},
      {{0x89, 126}, 2, "PING frame is too big"},
      {{0x08, 0x00}, 2, "fragmented CLOSE"},
      {{0x80, 0x00}, 2, "no ongoing fragmented message"},
      {{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0}, 10, "longer than 64"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct cn_ws_decoder d;
    cn_ws_decoder_init(&d);
    size_t used;
    struct cn_ws_piece p;
    const char *err = NULL;
    CHECK_EQ_INT(cn_ws_decoder_next(&d, &used, &p, &err, bad[i].bytes,
                                    bad[i].len, 64),
                 CN_ERR_WS_PROTOCOL_ERROR);
    CHECK(err && strstr(err, bad[i].why));
  }
  /* a new TEXT inside a fragmented message */
  struct cn_ws_decoder d;
  cn_ws_decoder_init(&d);
  static const uint8_t two[] = {0x01, 0x00, 0x81, 0x00};
  size_t used;
  struct cn_ws_piece p;
  const char *err;
  CHECK_EQ_INT(cn_ws_decoder_next(&d, &used, &p, &err, two, 4, 64), CN_OK);
  CHECK_EQ_INT(cn_ws_decoder_next(&d, &used, &p, &err, two + 2, 2, 64),
               CN_ERR_WS_PROTOCOL_ERROR);
}

TEST(encoder_masks_and_checks_flags) {
  struct cn_ws_encoder e;
  cn_ws_encoder_init(&e);
  uint8_t head[CN_WS_MAX_HEAD];
  size_t hlen;
  const char *err, *info;
  /* RFC 6455 5.7: masked "Hello" with key 37 fa 21 3d */
  static const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, CN_WS_TEXT, 5,
                                  key),
               CN_OK);
  static const uint8_t want[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                 0x7f, 0x9f, 0x4d, 0x51, 0x58};
  uint8_t out[5];
  CHECK_EQ_INT(cn_ws_encoder_payload(&e, out, (const uint8_t *)"Hello", 5),
               5);
  CHECK_EQ_INT(hlen, 6);
  CHECK(memcmp(head, want, 6) == 0 && memcmp(out, want + 6, 5) == 0);
  /* lengths: 126 -> 16-bit, 65536 -> 64-bit */
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, CN_WS_BINARY,
                                  126, key),
               CN_OK);
  CHECK_EQ_INT(hlen, 8);
  CHECK_EQ_INT(head[1], 0x80 | 126);
  /* the last frame is not complete */
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, CN_WS_TEXT, 1,
                                  key),
               CN_ERR_WS_FRAME_INCOMPLETE);
  uint8_t pad[126] = {0};
  CHECK_EQ_INT(cn_ws_encoder_payload(&e, pad, pad, 200), 126);
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, CN_WS_TEXT,
                                  65536, key),
               CN_OK);
  CHECK_EQ_INT(hlen, 14);
  CHECK_EQ_INT(head[1], 0x80 | 127);
  CHECK_EQ_INT(head[7], 1); /* 0x10000 */
  cn_ws_encoder_init(&e);
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info,
                                  CN_WS_PING | CN_WS_CONT, 0, key),
               CN_ERR_WS_BAD_FLAGS);
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, CN_WS_PING,
                                  126, key),
               CN_ERR_WS_FRAME_TOO_LARGE);
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, 0, 1, key),
               CN_ERR_WS_BAD_FLAGS);
  /* fragments: TEXT|CONT opens, TEXT closes with a CONT opcode + FIN */
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info,
                                  CN_WS_TEXT | CN_WS_CONT, 0, key),
               CN_OK);
  CHECK_EQ_INT(head[0], 0x01);
  CHECK_EQ_INT(cn_ws_encoder_head(&e, head, &hlen, &err, &info, CN_WS_TEXT, 0,
                                  key),
               CN_OK);
  CHECK_EQ_INT(head[0], 0x80);
}

TEST(handshake_accept_matches_rfc6455) {
  /* RFC 6455 1.3's example */
  char accept[29];
  cn_ws_handshake_accept(accept, "dGhlIHNhbXBsZSBub25jZQ==");
  CHECK_EQ_STR(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  char key[CN_WS_KEY_SIZE];
  static const uint8_t rnd[16] = {0};
  cn_ws_handshake_key(key, rnd);
  CHECK_EQ_STR(key, "AAAAAAAAAAAAAAAAAAAAAA==");
}

TEST_MAIN(rfc6455_unmasked_text_and_fragments, pieces_byte_by_byte_and_bounded,
          bad_server_frames_are_protocol_errors, encoder_masks_and_checks_flags,
          handshake_accept_matches_rfc6455)
