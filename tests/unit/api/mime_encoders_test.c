/* mime_encoders_test.c: the transfer encodings of curl_mime_encoder, with
 * libcurl 8.14's line rules, fed whole and byte by byte. */
#include <stdlib.h>
#include <string.h>

#include "api/mime_encoders.h"
#include "test.h"

/* encode_all runs |enc| over |in| fed |step| bytes at a time (0: as much
 * as fits), with an output room of |room| bytes per call. Returns a
 * malloc'ed NUL-terminated string, or NULL when the encoder refused the
 * input (*out_bad set). */
static char *encode_all(const char *name, const char *in, size_t len,
                        size_t step, size_t room, bool *out_bad) {
  const struct cn_mime_encoder *enc = cn_mime_encoder_find(name);
  struct cn_mime_enc_state st;
  cn_mime_enc_state_reset(&st);
  size_t cap = 4 * len + 64, n = 0, fed = 0;
  char *out = calloc(1, cap + 1);
  *out_bad = false;
  for (int guard = 0; guard < 1000000; guard++) {
    if (st.beg > 0) {
      memmove(st.in, st.in + st.beg, st.end - st.beg);
      st.end -= st.beg;
      st.beg = 0;
    }
    size_t take = sizeof(st.in) - st.end;
    if (step && take > step)
      take = step;
    if (take > len - fed)
      take = len - fed;
    memcpy(st.in + st.end, in + fed, take);
    st.end += take;
    fed += take;
    bool eof = fed == len;
    size_t got = 0;
    size_t r = room ? room : cap - n;
    enum cn_mime_enc_result rc = enc->encode(&st, eof, out + n, r, &got);
    n += got;
    if (rc == CN_MIME_ENC_BAD_INPUT) {
      *out_bad = true;
      free(out);
      return NULL;
    }
    if (eof && got == 0 && rc == CN_MIME_ENC_OK && st.beg == st.end)
      break;
  }
  out[n] = '\0';
  return out;
}

static void check_encoding(const char *name, const char *in, size_t len,
                           const char *want) {
  static const size_t steps[] = {0, 1, 2, 3, 5};
  static const size_t rooms[] = {0, 4, 5, 7};
  for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
    for (size_t j = 0; j < sizeof(rooms) / sizeof(rooms[0]); j++) {
      bool bad;
      char *got = encode_all(name, in, len, steps[i], rooms[j], &bad);
      CHECK(got != NULL);
      if (got && strcmp(got, want) != 0) {
        fprintf(stderr, "%s step %zu room %zu:\n got  [%s]\n want [%s]\n", name,
                steps[i], rooms[j], got, want);
        CHECK(0);
      }
      free(got);
    }
  }
}

TEST(names_match_without_case) {
  CHECK(cn_mime_encoder_find("BASE64") != NULL);
  CHECK_EQ_STR(cn_mime_encoder_find("Quoted-Printable")->name,
               "quoted-printable");
  CHECK(cn_mime_encoder_find("7BIT") != NULL);
  CHECK(cn_mime_encoder_find("8bit") != NULL);
  CHECK(cn_mime_encoder_find("binary") != NULL);
  CHECK(cn_mime_encoder_find("base-64") == NULL);
  CHECK(cn_mime_encoder_find("") == NULL);
}

TEST(base64_groups_and_padding) {
  check_encoding("base64", "", 0, "");
  check_encoding("base64", "f", 1, "Zg==");
  check_encoding("base64", "fo", 2, "Zm8=");
  check_encoding("base64", "foo", 3, "Zm9v");
  check_encoding("base64", "foob", 4, "Zm9vYg==");
  check_encoding("base64", "\xff\xfe\x00", 3, "//4A");
}

/* 57 bytes make one full line of 76; the break is written before the next
 * group, also before the last padded one, never after the last group. */
TEST(base64_lines_of_76) {
  char in[120];
  memset(in, 'a', sizeof(in));
  /* "aaa" is "YWFh" */
  char line[77];
  for (int i = 0; i < 19; i++)
    memcpy(line + 4 * i, "YWFh", 4);
  line[76] = '\0';
  char want[400];
  check_encoding("base64", in, 57, line);
  snprintf(want, sizeof(want), "%s\r\nYQ==", line);
  check_encoding("base64", in, 58, want);
  snprintf(want, sizeof(want), "%s\r\nYWFh", line);
  check_encoding("base64", in, 60, want);
  snprintf(want, sizeof(want), "%s\r\n%s", line, line);
  check_encoding("base64", in, 114, want);
  snprintf(want, sizeof(want), "%s\r\n%s\r\nYQ==", line, line);
  check_encoding("base64", in, 115, want);
}

TEST(base64_sizes) {
  const struct cn_mime_encoder *b64 = cn_mime_encoder_find("base64");
  CHECK_EQ_INT(b64->size(0), 0);
  CHECK_EQ_INT(b64->size(-1), -1);
  CHECK_EQ_INT(b64->size(1), 4);
  CHECK_EQ_INT(b64->size(57), 76);
  CHECK_EQ_INT(b64->size(58), 82);
  CHECK_EQ_INT(b64->size(114), 154);
  CHECK_EQ_INT(b64->size(115), 160);
  /* the formula agrees with the encoder for every length up to 400 */
  char in[400];
  memset(in, 0x5a, sizeof(in));
  for (size_t n = 0; n < sizeof(in); n++) {
    bool bad;
    char *got = encode_all("base64", in, n, 0, 0, &bad);
    CHECK_EQ_INT(strlen(got), b64->size((int64_t)n));
    free(got);
  }
}

TEST(qp_plain_and_escaped) {
  check_encoding("quoted-printable", "abc XYZ ~!", 10, "abc XYZ ~!");
  check_encoding("quoted-printable", "a=b", 3, "a=3Db");
  check_encoding("quoted-printable", "\x7f\x80\xff\x01", 4, "=7F=80=FF=01");
  /* CRLF stays a line end; lone CR and LF are escaped */
  check_encoding("quoted-printable", "a\r\nb", 4, "a\r\nb");
  check_encoding("quoted-printable", "a\rb\nc", 5, "a=0Db=0Ac");
  check_encoding("quoted-printable", "end\r", 4, "end=0D");
}

TEST(qp_blanks_before_line_ends) {
  check_encoding("quoted-printable", "a \r\nb", 5, "a=20\r\nb");
  check_encoding("quoted-printable", "a\t\r\nb", 5, "a=09\r\nb");
  check_encoding("quoted-printable", "end ", 4, "end=20");
  check_encoding("quoted-printable", "end\t", 4, "end=09");
  check_encoding("quoted-printable", "a b", 3, "a b");
  check_encoding("quoted-printable", "a  x", 4, "a  x");
}

TEST(qp_soft_breaks_at_76) {
  char in[200], want[300];
  /* 76 characters then CRLF: fits exactly */
  memset(in, 'x', 76);
  memcpy(in + 76, "\r\n", 3);
  check_encoding("quoted-printable", in, 78, in);
  /* 76 characters at the very end: fits too */
  memset(in, 'x', 76);
  in[76] = '\0';
  check_encoding("quoted-printable", in, 76, in);
  /* 77: a soft break after 75 */
  memset(in, 'x', 77);
  memset(want, 'x', 75);
  memcpy(want + 75, "=\r\nxx", 6);
  check_encoding("quoted-printable", in, 77, want);
  /* 76 followed by more text: the 76th goes to the next line */
  memset(in, 'y', 80);
  memset(want, 'y', 75);
  memcpy(want + 75, "=\r\nyyyyy", 9);
  check_encoding("quoted-printable", in, 80, want);
  /* an escape that would cross 76 moves to the next line whole */
  memset(in, 'z', 74);
  in[74] = '=';
  in[75] = 'z';
  memset(want, 'z', 74);
  memcpy(want + 74, "=\r\n=3Dz", 8);
  check_encoding("quoted-printable", in, 76, want);
  /* an escape ending exactly at 76 before CRLF stays */
  memset(in, 'z', 73);
  memcpy(in + 73, "=\r\n", 3);
  memset(want, 'z', 73);
  memcpy(want + 73, "=3D\r\n", 6);
  check_encoding("quoted-printable", in, 76, want);
}

TEST(qp_size_is_unknown_unless_empty) {
  const struct cn_mime_encoder *qp = cn_mime_encoder_find("quoted-printable");
  CHECK_EQ_INT(qp->size(0), 0);
  CHECK_EQ_INT(qp->size(10), -1);
  CHECK_EQ_INT(qp->size(-1), -1);
}

TEST(seven_bit_refuses_high_bytes) {
  check_encoding("7bit", "plain\r\n", 7, "plain\r\n");
  bool bad;
  char *got = encode_all("7bit", "ok\xe9", 3, 0, 0, &bad);
  CHECK(got == NULL);
  CHECK(bad);
  /* the bytes before the bad one come out first */
  struct cn_mime_enc_state st;
  cn_mime_enc_state_reset(&st);
  memcpy(st.in, "ok\xe9", 3);
  st.end = 3;
  char out[8];
  size_t n = 0;
  const struct cn_mime_encoder *e = cn_mime_encoder_find("7bit");
  CHECK_EQ_INT(e->encode(&st, true, out, sizeof(out), &n), CN_MIME_ENC_OK);
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(e->encode(&st, true, out, sizeof(out), &n),
               CN_MIME_ENC_BAD_INPUT);
  CHECK_EQ_INT(n, 0);
}

TEST(eight_bit_and_binary_pass_everything) {
  check_encoding("8bit", "\xe9\x00z", 3, "\xe9");
  bool bad;
  char *got = encode_all("binary", "a\0b", 3, 0, 0, &bad);
  CHECK(got && memcmp(got, "a\0b", 3) == 0);
  free(got);
  CHECK_EQ_INT(cn_mime_encoder_find("binary")->size(42), 42);
  CHECK_EQ_INT(cn_mime_encoder_find("8bit")->size(-1), -1);
}

TEST(no_room_writes_nothing) {
  struct cn_mime_enc_state st;
  char out[8];
  size_t n = 99;
  cn_mime_enc_state_reset(&st);
  memcpy(st.in, "abc", 3);
  st.end = 3;
  CHECK_EQ_INT(cn_mime_encoder_find("base64")->encode(&st, true, out, 3, &n),
               CN_MIME_ENC_NO_ROOM);
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_INT(st.beg, 0);
  cn_mime_enc_state_reset(&st);
  st.in[0] = '=';
  st.end = 1;
  CHECK_EQ_INT(
      cn_mime_encoder_find("quoted-printable")->encode(&st, true, out, 2, &n),
      CN_MIME_ENC_NO_ROOM);
  CHECK_EQ_INT(n, 0);
}

TEST_MAIN(names_match_without_case, base64_groups_and_padding,
          base64_lines_of_76, base64_sizes, qp_plain_and_escaped,
          qp_blanks_before_line_ends, qp_soft_breaks_at_76,
          qp_size_is_unknown_unless_empty, seven_bit_refuses_high_bytes,
          eight_bit_and_binary_pass_everything, no_room_writes_nothing)
