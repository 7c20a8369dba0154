/* http_auth_ntlm_test.c: NTLM messages against curl's test 67 (type-1 and
 * an NTLMv1 type-3, byte for byte) and the NTLMv2 example of MS-NLMP
 * section 4.2.4 (LMv2 response and NTProofStr). */
#include "http/auth/http_auth_ntlm.h"

#include <openssl/base64.h>
#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/alloc.h"
#include "util/base64.h"
#include "util/net_error.h"

static const char type2_test67[] =
    "NTLM TlRMTVNTUAACAAAAAgACADAAAACGggEAc51AYVDgyNcAAAAAAAAAAG4AbgAyAAAAQ0MC"
    "AAQAQwBDAAEAEgBFAEwASQBTAEEAQgBFAFQASAAEABgAYwBjAC4AaQBjAGUAZABlAHYALgBu"
    "AHUAAwAsAGUAbABpAHMAYQBiAGUAdABoAC4AYwBjAC4AaQBjAGUAZABlAHYALgBuAHUAAAAA"
    "AA==";

static int aa_random(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  memset(out, 0xaa, len);
  return CN_OK;
}

TEST(type1_is_curls_test_67) {
  char *v = cn_http_auth_ntlm_type1_value();
  CHECK_EQ_STR(v, "NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=");
  cn_free(v);
}

TEST(ntlmv1_type3_is_curls_test_67) {
  struct cn_http_auth_ntlm n;
  cn_http_auth_ntlm_init(&n);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, type2_test67), CN_OK);
  CHECK_EQ_INT(n.flags, 0x00018286);
  char *v = NULL;
  CHECK_EQ_INT(cn_http_auth_ntlm_type3_value(&n, &v, "testuser", "testpass",
                                             0, aa_random, NULL),
               CN_OK);
  CHECK_EQ_STR(v, "NTLM TlRMTVNTUAADAAAAGAAYAEAAAAAYABgAWAAAAAAAAABwAAAACAAIAH"
                  "AAAAALAAsAeAAAAAAAAAAAAAAAhoIBAFpkQwKRCZFMhjj0tw47wEjKHRHl"
                  "vzfxQamFcheMuv8v+xeqphEO5V41xRd7R9deOXRlc3R1c2VyV09SS1NUQVR"
                  "JT04=");
  cn_free(v);
  cn_http_auth_ntlm_cleanup(&n);
}

/* type2_value makes "NTLM <base64>" of a Challenge with the given flags,
 * nonce and target info (at offset 48). */
static char *type2_value_at(uint32_t flags, const uint8_t nonce[8],
                            const uint8_t *info, size_t info_len,
                            uint8_t info_off) {
  uint8_t msg[256] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 2, 0, 0, 0};
  for (int i = 0; i < 4; i++)
    msg[20 + i] = (uint8_t)(flags >> (8 * i));
  memcpy(msg + 24, nonce, 8);
  msg[40] = msg[42] = (uint8_t)info_len;
  msg[44] = info_off;
  memcpy(msg + 48, info, info_len);
  char *b64 = cn_base64_encode(msg, 48 + info_len);
  if (!b64)
    return NULL;
  char *out = malloc(strlen(b64) + 6);
  sprintf(out, "NTLM %s", b64);
  cn_free(b64);
  return out;
}

static char *type2_value(uint32_t flags, const uint8_t nonce[8],
                         const uint8_t *info, size_t info_len) {
  return type2_value_at(flags, nonce, info, info_len, 48);
}

/* decode_type3 returns the type-3 bytes of "NTLM <base64>" (malloc'd). */
static uint8_t *decode_type3(const char *value, size_t *out_len) {
  const char *b64 = value + 5;
  size_t max = 0;
  EVP_DecodedLength(&max, strlen(b64));
  uint8_t *out = malloc(max);
  EVP_DecodeBase64(out, out_len, max, (const uint8_t *)b64, strlen(b64));
  return out;
}

static bool hex_is(const uint8_t *p, const char *hex) {
  for (size_t i = 0; hex[2 * i]; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    if (p[i] != v)
      return false;
  }
  return true;
}

TEST(ntlmv2_matches_ms_nlmp_4_2_4) {
  static const uint8_t nonce[8] = {0x01, 0x23, 0x45, 0x67,
                                   0x89, 0xab, 0xcd, 0xef};
  /* MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", EOL */
  static const uint8_t info[] = {
      2, 0, 12, 0, 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0,
      1, 0, 12, 0, 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0, 'r', 0,
      0, 0, 0,  0};
  uint32_t flags = CN_NTLM_FLAG_NEGOTIATE_UNICODE |
                   CN_NTLM_FLAG_NEGOTIATE_NTLM2_KEY |
                   CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO;
  char *t2 = type2_value(flags, nonce, info, sizeof(info));
  struct cn_http_auth_ntlm n;
  cn_http_auth_ntlm_init(&n);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, t2), CN_OK);
  free(t2);
  CHECK_EQ_INT(n.target_info_len, sizeof(info));
  char *v = NULL;
  /* MS-NLMP's time stamp is 0 (1601): the epoch minus 11644473600 s. */
  CHECK_EQ_INT(cn_http_auth_ntlm_type3_value(&n, &v, "Domain\\User",
                                             "Password", -11644473600LL,
                                             aa_random, NULL),
               CN_OK);
  CHECK(n.target_info == NULL);
  size_t len = 0;
  uint8_t *m = decode_type3(v, &len);
  size_t nt_len = 16 + 28 + sizeof(info) + 4;
  CHECK_EQ_INT(len, 64 + 24 + nt_len + 2 * (6 + 4 + 11));
  /* LMv2 = HMAC(NTOWFv2, server + client challenge) + client challenge */
  CHECK(hex_is(m + 64, "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"));
  /* NTProofStr, then the blob */
  CHECK(hex_is(m + 88, "68cd0ab851e51c96aabc927bebef6a1c"));
  CHECK(hex_is(m + 104, "0101000000000000" "0000000000000000"
                        "aaaaaaaaaaaaaaaa" "00000000"));
  CHECK(memcmp(m + 132, info, sizeof(info)) == 0);
  /* domain, user, workstation in UTF-16LE after the responses */
  size_t off = 88 + nt_len;
  CHECK(memcmp(m + off, "D\0o\0m\0a\0i\0n\0", 12) == 0);
  CHECK(memcmp(m + off + 12, "U\0s\0e\0r\0", 8) == 0);
  CHECK(memcmp(m + off + 20, "W\0O\0R\0K\0S\0T\0A\0T\0I\0O\0N\0", 22) == 0);
  CHECK_EQ_INT(m[28], 12); /* domain length */
  CHECK_EQ_INT(m[32], off);
  free(m);
  cn_free(v);
  cn_http_auth_ntlm_cleanup(&n);
}

TEST(bad_type2_messages) {
  struct cn_http_auth_ntlm n;
  cn_http_auth_ntlm_init(&n);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, "NTLM"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, "NTLM !!!!"),
               CN_ERR_INVALID_RESPONSE);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, "NTLM TlRMTVNTUAABAAAA"),
               CN_ERR_INVALID_RESPONSE); /* too short */
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(
                   &n, "NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA="),
               CN_ERR_INVALID_RESPONSE); /* a type-1 */
  /* target info inside the message, then pointing outside it or into
   * the header */
  static const uint8_t nonce[8] = {0};
  static const uint8_t info[4] = {0};
  char *t2 = type2_value(CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO, nonce, info, 4);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, t2), CN_OK);
  free(t2);
  t2 = type2_value_at(CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO, nonce, info, 4, 50);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, t2), CN_ERR_INVALID_RESPONSE);
  free(t2);
  t2 = type2_value_at(CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO, nonce, info, 4, 40);
  CHECK_EQ_INT(cn_http_auth_ntlm_input_type2(&n, t2), CN_ERR_INVALID_RESPONSE);
  free(t2);
  cn_http_auth_ntlm_cleanup(&n);
}

static int round_trip(void) {
  struct cn_http_auth_ntlm n;
  cn_http_auth_ntlm_init(&n);
  static const uint8_t nonce[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  static const uint8_t info[8] = {1, 0, 2, 0, 'x', 0, 0, 0};
  char *t2 = type2_value(CN_NTLM_FLAG_NEGOTIATE_NTLM2_KEY |
                             CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO,
                         nonce, info, sizeof(info));
  if (!t2)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_http_auth_ntlm_input_type2(&n, t2);
  free(t2);
  char *v = NULL;
  if (rv == CN_OK)
    rv = cn_http_auth_ntlm_type3_value(&n, &v, "dom/user", "pw", 0, aa_random,
                                       NULL);
  cn_free(v);
  char *t1 = rv == CN_OK ? cn_http_auth_ntlm_type1_value() : NULL;
  if (rv == CN_OK && !t1)
    rv = CN_ERR_OUT_OF_MEMORY;
  cn_free(t1);
  cn_http_auth_ntlm_cleanup(&n);
  return rv;
}

TEST(every_allocation_failure_is_reported_and_leaks_nothing) {
  FAIL_LOOP(round_trip());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(type1_is_curls_test_67, ntlmv1_type3_is_curls_test_67,
          ntlmv2_matches_ms_nlmp_4_2_4, bad_type2_messages,
          every_allocation_failure_is_reported_and_leaks_nothing)
