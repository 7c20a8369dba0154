/* http_auth_digest_test.c: Digest challenges and responses against the
 * Authorization lines libcurl's own tests expect (tests/data/test64, 1095,
 * 2058-2076, 388, 1286), plus qop/-sess cases computed independently from
 * RFC 7616 with a fixed cnonce. */
#include "http/auth/http_auth_digest.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

/* Bytes 0..11: cnonce "AAECAwQFBgcICQoL". */
static int fixed_random(void *ctx, uint8_t *out, size_t len) {
  int *calls = ctx;
  if (calls)
    (*calls)++;
  for (size_t i = 0; i < len; i++)
    out[i] = (uint8_t)i;
  return CN_OK;
}

static int failing_random(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  (void)out;
  (void)len;
  return CN_ERR_FAILED;
}

/* respond parses |challenge| and makes one response; returns it (static
 * storage) or NULL. */
static const char *respond(struct cn_http_auth_digest *d,
                           const char *challenge, const char *method,
                           const char *uri, const char *user,
                           const char *password) {
  static char out[2048];
  if (challenge && cn_http_auth_digest_input(d, challenge) != CN_OK)
    return NULL;
  char *value = NULL;
  if (cn_http_auth_digest_output(d, &value, method, uri, user, password,
                                 fixed_random, NULL) != CN_OK)
    return NULL;
  snprintf(out, sizeof(out), "%s", value);
  cn_free(value);
  return out;
}

TEST(md5_without_qop_is_curl_test_64) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d, "Digest realm=\"testrealm\", nonce=\"1053604145\"", "GET",
              "/64", "testuser", "testpass"),
      "Digest username=\"testuser\", realm=\"testrealm\", "
      "nonce=\"1053604145\", uri=\"/64\", "
      "response=\"c55f7f30d83d774a3d2dcacf725abaca\"");
  cn_http_auth_digest_cleanup(&d);
}

TEST(quoted_realm_is_unescaped_and_escaped_again_test_1095) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"test \\\"this\\\" realm!!\", "
              "nonce=\"1053604145\"",
              "GET", "/1095", "testuser", "testpass"),
      "Digest username=\"testuser\", realm=\"test \\\"this\\\" realm!!\", "
      "nonce=\"1053604145\", uri=\"/1095\", "
      "response=\"df3246f44d2bc8de0e9f8fc4d7cf6e95\"");
  CHECK_EQ_STR(d.realm, "test \"this\" realm!!");
  cn_http_auth_digest_cleanup(&d);
}

TEST(sha256_and_sha512_256_tests_2058_2061_2062) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  /* The algorithm comes back unquoted, spelled as the server did. */
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"testrealm\", algorithm=\"SHA-256\", "
              "nonce=\"1053604144\"",
              "GET", "/2058", "auser", "apasswd"),
      "Digest username=\"auser\", realm=\"testrealm\", nonce=\"1053604144\", "
      "uri=\"/2058\", response=\"fbed69f9f3fd304c8f1acb1a43eb32688b933c0e28055"
      "c16b926cbcec070aeed\", algorithm=SHA-256");
  /* A second nonce without stale=true: the credentials were refused. */
  CHECK(respond(&d,
                "Digest realm=\"testrealm\", nonce=\"1053604145\", "
                "algorithm=\"SHA-256\"",
                "GET", "/2061", "testuser", "testpass") == NULL);
  cn_http_auth_digest_cleanup(&d);

  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"testrealm\", nonce=\"1053604145\", "
              "algorithm=\"SHA-256\"",
              "GET", "/2061", "testuser", "testpass"),
      "Digest username=\"testuser\", realm=\"testrealm\", "
      "nonce=\"1053604145\", uri=\"/2061\", response=\"9dc55255f1a2537b838311"
      "674b621d45346b862a81631bb20e4ce356ef25062d\", algorithm=SHA-256");
  cn_http_auth_digest_cleanup(&d);

  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"testrealm\", nonce=\"1053604145\", "
              "algorithm=\"SHA-512-256\"",
              "GET", "/2062", "testuser", "testpass"),
      "Digest username=\"testuser\", realm=\"testrealm\", "
      "nonce=\"1053604145\", uri=\"/2062\", response=\"9d3256ee6526ec40dd4874"
      "3bb48e51ee9baba587c78f15c3a86166242150af98\", algorithm=SHA-512-256");
  cn_http_auth_digest_cleanup(&d);
}

TEST(userhash_tests_2063_2069) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"testrealm\", nonce=\"1053604145\", "
              "algorithm=\"SHA-256\", userhash=true",
              "GET", "/2063", "testuser", "testpass"),
      "Digest username=\"75af8a3500f771e58a52093a25e7905d6e428a511285c12ea142"
      "0c73078dfd61\", realm=\"testrealm\", nonce=\"1053604145\", "
      "uri=\"/2063\", response=\"6c470aec384ab1d4e12d3ce1f5b08303d8cad177e52eb"
      "e50ec1a3e141adb0cdc\", algorithm=SHA-256, userhash=true");
  cn_http_auth_digest_cleanup(&d);

  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"testrealm\", nonce=\"1053604144\", "
              "algorithm=\"SHA-256\", userhash=true",
              "POST", "/2069", "auser", "apasswd"),
      "Digest username=\"fddc3bc7b753b73ab0848fd83cb20cbbca971258eb8d20c941dd"
      "5e0b010d66be\", realm=\"testrealm\", nonce=\"1053604144\", "
      "uri=\"/2069\", response=\"9a29f1dab407e62daa7121185f9f12db6177415e03f35"
      "d9a881550095a83378d\", algorithm=SHA-256, userhash=true");
  cn_http_auth_digest_cleanup(&d);
}

TEST(post_and_query_uri_tests_2067_2068_2076) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  const char *v = respond(&d,
                          "Digest realm=\"testrealm\", nonce=\"1053604144\", "
                          "algorithm=\"SHA-256\"",
                          "POST", "/2067", "auser", "apasswd");
  CHECK(v && strstr(v, "response=\"67b97af219c92fa7e8685e5bebb8e74892f6c6792e"
                       "911c52bd2dfbf0b49272eb\""));
  cn_http_auth_digest_cleanup(&d);

  cn_http_auth_digest_init(&d);
  v = respond(&d,
              "Digest realm=\"testrealm\", nonce=\"1053604144\", "
              "algorithm=\"SHA-512-256\"",
              "POST", "/2068", "auser", "apasswd");
  CHECK(v && strstr(v, "response=\"0ba2f7ec8045446588eea82bb0c3812aedb05f4eac"
                       "8883ea65040a52e9c5629e\""));
  cn_http_auth_digest_cleanup(&d);

  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(respond(&d, "Digest realm=\"testrealm\", nonce=\"1\"", "GET",
                       "/2076?query", "testuser", "testpass"),
               "Digest username=\"testuser\", realm=\"testrealm\", "
               "nonce=\"1\", uri=\"/2076?query\", "
               "response=\"5758bd3bbde7f33236e6ccd278eb59af\"");
  cn_http_auth_digest_cleanup(&d);
}

TEST(stale_nonce_restarts_count_and_qop_auth_is_chosen_test_388) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK(respond(&d, "Digest realm=\"testrealm\", nonce=\"1053604145\"", "GET",
                "/3880002", "testuser", "testpass") != NULL);
  /* stale=true keeps the credentials: a new nonce is fine. */
  CHECK_EQ_INT(cn_http_auth_digest_input(
                   &d, "Digest realm=\"testrealm\", algorithm=MD5, "
                       "nonce=\"999999\", stale=true, qop=\"crazy, auth\""),
               CN_OK);
  CHECK_EQ_STR(d.qop, "auth");
  CHECK_EQ_STR(
      respond(&d, NULL, "GET", "/3880002", "testuser", "testpass"),
      "Digest username=\"testuser\", realm=\"testrealm\", nonce=\"999999\", "
      "uri=\"/3880002\", cnonce=\"AAECAwQFBgcICQoL\", nc=00000001, qop=auth, "
      "response=\"c2ba2ff7ca355284c99d2a9e78a01796\", algorithm=MD5");
  /* The next request on the same challenge counts up (test 1286). */
  CHECK_EQ_STR(
      respond(&d, NULL, "GET", "/3880002", "testuser", "testpass"),
      "Digest username=\"testuser\", realm=\"testrealm\", nonce=\"999999\", "
      "uri=\"/3880002\", cnonce=\"AAECAwQFBgcICQoL\", nc=00000002, qop=auth, "
      "response=\"6c10a8397e6922c6f5afd39b2efcc730\", algorithm=MD5");
  cn_http_auth_digest_cleanup(&d);
}

TEST(md5_sess_auth_int_and_opaque) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  /* auth-int only when auth is not offered; the body hash is of "". */
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\", "
              "algorithm=MD5-sess, opaque=\"o\\\"q\"",
              "POST", "/x?y", "u", "p"),
      "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/x?y\", "
      "cnonce=\"AAECAwQFBgcICQoL\", nc=00000001, qop=auth-int, "
      "response=\"744b46aaa04d79e48f160a4796daaa24\", opaque=\"o\\\"q\", "
      "algorithm=MD5-sess");
  cn_http_auth_digest_cleanup(&d);
}

TEST(sha256_sess_userhash_with_qop) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_STR(
      respond(&d,
              "Digest realm=\"r\", nonce=\"n\", qop=\"auth,auth-int\", "
              "algorithm=sha-256-sess, userhash=TRUE",
              "GET", "/x", "u", "p"),
      "Digest username=\"1d8a03a6e21a4ce775060ea57360329ac750dea5d847297b42f0"
      "d46539af8ab2\", realm=\"r\", nonce=\"n\", uri=\"/x\", "
      "cnonce=\"AAECAwQFBgcICQoL\", nc=00000001, qop=auth, "
      "response=\"17b5d7870530f9e94da18556547304be50d439fc2d76307438ccbdb3f0a"
      "43170\", algorithm=sha-256-sess, userhash=true");
  cn_http_auth_digest_cleanup(&d);
}

TEST(the_cnonce_is_made_once_per_challenge) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  int calls = 0;
  char *v = NULL;
  CHECK_EQ_INT(cn_http_auth_digest_input(
                   &d, "Digest realm=\"r\", nonce=\"n\", qop=\"auth\""),
               CN_OK);
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(cn_http_auth_digest_output(&d, &v, "GET", "/", "u", "p",
                                            fixed_random, &calls),
                 CN_OK);
    cn_free(v);
  }
  CHECK_EQ_INT(calls, 1);
  CHECK_EQ_INT(d.nc, 4);
  CHECK_EQ_INT(strlen(d.cnonce), 16);
  /* A failing random source fails the response. */
  cn_http_auth_digest_cleanup(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(
                   &d, "Digest realm=\"r\", nonce=\"n\", qop=\"auth\""),
               CN_OK);
  v = NULL;
  CHECK_EQ_INT(cn_http_auth_digest_output(&d, &v, "GET", "/", "u", "p",
                                          failing_random, NULL),
               CN_ERR_FAILED);
  CHECK(v == NULL);
  cn_http_auth_digest_cleanup(&d);
}

TEST(bad_challenges_are_auth_problems) {
  static const char *const bad[] = {
      "Digest realm=\"r\"",                         /* no nonce */
      "Digest nonce=\"n\", algorithm=SHA-1",        /* unknown algorithm */
      "Digest nonce=\"n\", algorithm=MD5-sess",     /* -sess needs qop */
      "Digestnonce=\"n\"",                          /* no blank */
      "Digest",                                     /* nothing */
      "Basic realm=\"r\"",                          /* not Digest */
      "Digest nonce=\"n\", realm=\"r",              /* fine: see below */
  };
  for (size_t i = 0; i + 1 < sizeof(bad) / sizeof(bad[0]); i++) {
    struct cn_http_auth_digest d;
    cn_http_auth_digest_init(&d);
    int rv = cn_http_auth_digest_input(&d, bad[i]);
    if (rv != CN_ERR_INVALID_RESPONSE)
      fprintf(stderr, "accepted: %s\n", bad[i]);
    CHECK_EQ_INT(rv, CN_ERR_INVALID_RESPONSE);
    cn_http_auth_digest_cleanup(&d);
  }
  /* libcurl takes an unterminated quoted value up to the end. */
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(&d, bad[6]), CN_OK);
  CHECK_EQ_STR(d.realm, "r");
  cn_http_auth_digest_cleanup(&d);
  /* A quote inside an unquoted value ends the list there: the nonce that
   * follows is never seen. */
  cn_http_auth_digest_init(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(&d, "Digest realm=a\"b, nonce=\"n\""),
               CN_ERR_INVALID_RESPONSE);
  cn_http_auth_digest_cleanup(&d);
  /* Unquoted values end at commas; unknown parameters are skipped. */
  cn_http_auth_digest_init(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(
                   &d, "Digest  foo=bar,nonce=abc ,  realm=\"x,y\""),
               CN_OK);
  CHECK_EQ_STR(d.nonce, "abc ");
  CHECK_EQ_STR(d.realm, "x,y");
  CHECK(!d.qop);
  cn_http_auth_digest_cleanup(&d);
}

TEST(refused_credentials_and_stale) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(&d, "Digest nonce=\"a\""), CN_OK);
  /* The same or a new nonce without stale: the credentials were wrong. */
  CHECK_EQ_INT(cn_http_auth_digest_input(&d, "Digest nonce=\"a\""),
               CN_ERR_INVALID_RESPONSE);
  cn_http_auth_digest_cleanup(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(&d, "Digest nonce=\"a\""), CN_OK);
  CHECK_EQ_INT(cn_http_auth_digest_input(&d, "Digest nonce=\"b\", STALE=True"),
               CN_OK);
  CHECK_EQ_INT(d.nc, 1);
  CHECK(cn_http_auth_digest_has_challenge(&d));
  cn_http_auth_digest_cleanup(&d);
  CHECK(!cn_http_auth_digest_has_challenge(&d));
  char *v = NULL;
  CHECK_EQ_INT(cn_http_auth_digest_output(&d, &v, "GET", "/", "u", "p",
                                          fixed_random, NULL),
               CN_ERR_UNEXPECTED);
}

TEST(qop_tokens_keep_trailing_blanks) {
  /* libcurl splits "auth , x" into "auth " which is not "auth". */
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  CHECK_EQ_INT(cn_http_auth_digest_input(
                   &d, "Digest nonce=\"n\", qop=\"auth , auth-int\""),
               CN_OK);
  CHECK_EQ_STR(d.qop, "auth-int");
  cn_http_auth_digest_cleanup(&d);
}

static int input_and_output(void) {
  struct cn_http_auth_digest d;
  cn_http_auth_digest_init(&d);
  int rv = cn_http_auth_digest_input(
      &d, "Digest realm=\"r\", nonce=\"n\", qop=\"auth\", opaque=\"o\", "
          "algorithm=SHA-256, userhash=true");
  char *v = NULL;
  if (rv == CN_OK)
    rv = cn_http_auth_digest_output(&d, &v, "GET", "/a?b", "u\"", "p",
                                    fixed_random, NULL);
  cn_free(v);
  cn_http_auth_digest_cleanup(&d);
  return rv;
}

TEST(every_allocation_failure_is_reported_and_leaks_nothing) {
  FAIL_LOOP(input_and_output());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(md5_without_qop_is_curl_test_64,
          quoted_realm_is_unescaped_and_escaped_again_test_1095,
          sha256_and_sha512_256_tests_2058_2061_2062,
          userhash_tests_2063_2069, post_and_query_uri_tests_2067_2068_2076,
          stale_nonce_restarts_count_and_qop_auth_is_chosen_test_388,
          md5_sess_auth_int_and_opaque, sha256_sess_userhash_with_qop,
          the_cnonce_is_made_once_per_challenge,
          bad_challenges_are_auth_problems, refused_credentials_and_stale,
          qop_tokens_keep_trailing_blanks,
          every_allocation_failure_is_reported_and_leaks_nothing)
