/* punycode_test.c: RFC 3492 section 7.1 samples both ways, round trips,
 * malformed input and overflow. */
#include "util/punycode.h"

#include "../test.h"

struct sample {
  const char *name;
  uint32_t cps[32];
  size_t num;
  const char *encoded;
};

static const struct sample samples[] = {
    {"A arabic",
     {0x644, 0x64A, 0x647, 0x645, 0x627, 0x628, 0x62A, 0x643, 0x644, 0x645,
      0x648, 0x634, 0x639, 0x631, 0x628, 0x64A, 0x61F},
     17,
     "egbpdaj6bu4bxfgehfvwxn"},
    {"B chinese simplified",
     {0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587},
     9,
     "ihqwcrb4cv8a8dqg056pqjye"},
    {"C chinese traditional",
     {0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587},
     9,
     "ihqwctvzc91f659drss3x8bo0yb"},
    {"L 3<nen>B<gumi>",
     {0x33, 0x5E74, 0x42, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F},
     8,
     "3B-ww4c5e180e575a65lsy2b"},
    {"M amuro namie",
     {0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075, '-', 'w', 'i',
      't',    'h',    '-',    'S',    'U',    'P', 'E', 'R',
      '-',    'M',    'O',    'N',    'K',    'E', 'Y', 'S'},
     24,
     "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"},
    {"R sono supiido de",
     {0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067},
     7,
     "d9juau41awczczp"},
    {"S ascii only",
     {'-', '>', ' ', '$', '1', '.', '0', '0', ' ', '<', '-'},
     11,
     "-> $1.00 <--"},
    {"swedish", {0xE5, 0xE4, 0xF6}, 3, "4cab6c"},
    {"astral", {0x10FFFF, 0x1F600}, 2, "e28h33172d"},
};

TEST(encodes_rfc3492_samples) {
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
    char out[64];
    size_t len = 0;
    CHECK(cn_punycode_encode(out, sizeof(out), &len, samples[i].cps,
                             samples[i].num));
    CHECK_EQ_STR(out, samples[i].encoded);
    CHECK_EQ_INT(len, strlen(samples[i].encoded));
  }
}

TEST(decodes_rfc3492_samples) {
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
    uint32_t cps[64];
    size_t num = 0;
    const char *in = samples[i].encoded;
    CHECK(cn_punycode_decode(cps, 64, &num, in, strlen(in)));
    CHECK_EQ_INT(num, samples[i].num);
    CHECK(memcmp(cps, samples[i].cps, num * sizeof(uint32_t)) == 0);
  }
}

TEST(decode_digits_are_case_insensitive) {
  uint32_t cps[8];
  size_t num = 0;
  CHECK(cn_punycode_decode(cps, 8, &num, "4CAB6C", 6));
  CHECK_EQ_INT(num, 3);
  CHECK_EQ_INT(cps[0], 0xE5);
  CHECK_EQ_INT(cps[2], 0xF6);
}

TEST(round_trips) {
  uint32_t in[40];
  for (uint32_t seed = 1; seed < 200; seed++) {
    size_t n = 1 + seed % 20;
    uint32_t x = seed * 2654435761u;
    for (size_t i = 0; i < n; i++) {
      x = x * 1103515245u + 12345u;
      uint32_t cp = x % 0x10FFFF;
      if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 'a' + (cp % 26);
      in[i] = (i % 3 == 0) ? 'a' + x % 26 : cp;
    }
    char enc[256];
    size_t len = 0;
    CHECK(cn_punycode_encode(enc, sizeof(enc), &len, in, n));
    uint32_t back[40];
    size_t num = 0;
    CHECK(cn_punycode_decode(back, 40, &num, enc, len));
    CHECK_EQ_INT(num, n);
    CHECK(memcmp(back, in, n * sizeof(uint32_t)) == 0);
  }
}

TEST(rejects_malformed_input) {
  uint32_t cps[64];
  size_t num = 77;
  CHECK(!cn_punycode_decode(cps, 64, &num, "a-z", 3));   /* truncated */
  CHECK(!cn_punycode_decode(cps, 64, &num, "ab-c!", 5)); /* not a digit */
  CHECK(!cn_punycode_decode(cps, 64, &num, "\xc3\xa5", 2));
  CHECK(!cn_punycode_decode(cps, 64, &num, "a\x01-b", 4));
  CHECK(!cn_punycode_decode(cps, 64, &num, "99999a", 6)); /* > U+10FFFF */
  CHECK_EQ_INT(num, 77); /* untouched on failure */
  /* "a-" is the basic "a" and no deltas. */
  CHECK(cn_punycode_decode(cps, 64, &num, "a-", 2));
  CHECK_EQ_INT(num, 1);
}

TEST(rejects_overflow) {
  uint32_t cps[64];
  size_t num = 0;
  CHECK(!cn_punycode_decode(cps, 64, &num, "99999999999a", 12));
  CHECK(!cn_punycode_decode(cps, 64, &num, "zzzzzzzzzzzzzzzzzzzzzzzzzz9", 27));
  /* The output array is a hard bound. */
  CHECK(!cn_punycode_decode(cps, 2, &num, "4cab6c", 6));
  CHECK(!cn_punycode_decode(cps, 1, &num, "ab-4cab6c", 9));
}

TEST(encode_checks_bounds) {
  char out[64];
  size_t len = 5;
  uint32_t big[] = {0x110000};
  CHECK(!cn_punycode_encode(out, sizeof(out), &len, big, 1));
  /* Too small for the 24 bytes of sample B (+ NUL). */
  CHECK(!cn_punycode_encode(out, 24, &len, samples[1].cps, samples[1].num));
  CHECK(cn_punycode_encode(out, 25, &len, samples[1].cps, samples[1].num));
  CHECK_EQ_INT(len, 24);
  CHECK(!cn_punycode_encode(out, 0, &len, NULL, 0));
  CHECK(cn_punycode_encode(out, 1, &len, NULL, 0));
  CHECK_EQ_STR(out, "");
}

TEST_MAIN(encodes_rfc3492_samples, decodes_rfc3492_samples,
          decode_digits_are_case_insensitive, round_trips,
          rejects_malformed_input, rejects_overflow, encode_checks_bounds)
