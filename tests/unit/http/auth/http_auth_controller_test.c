/* http_auth_controller_test.c: libcurl's picking, probing, restart and
 * give-up rules, request by request (scenarios from curl's tests 64, 1030,
 * 2058, 2067, 388, 1286 and the libcurl sources). */
#include "http/auth/http_auth_controller.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "http/http_response_headers.h"
#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

static int fixed_random(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  for (size_t i = 0; i < len; i++)
    out[i] = (uint8_t)i;
  return CN_OK;
}

static void init(struct cn_http_auth_controller *c, unsigned long want) {
  cn_http_auth_controller_init(c);
  c->random = fixed_random;
  cn_http_auth_controller_start_transfer(c, want, false);
}

static struct cn_http_auth_request get(const char *path) {
  struct cn_http_auth_request r = {
      .method = "GET",
      .get_or_head = true,
      .host = "example.com",
      .authority = "example.com",
      .path = path,
      .user = "testuser",
      .password = "testpass",
      .allowed_to_host = true,
      .infile_size = -1,
  };
  return r;
}

/* auth returns the headers to send as "Name: value\n" lines, "" for none,
 * with a "[probe]" suffix when the request goes without its body. */
static const char *auth(struct cn_http_auth_controller *c,
                        const struct cn_http_auth_request *r) {
  static char out[4096];
  struct cn_http_auth_header_list l = {0};
  bool probe = false;
  int rv = cn_http_auth_controller_add_auth(c, r, &l, &probe);
  if (rv != CN_OK) {
    snprintf(out, sizeof(out), "error %d", rv);
    return out;
  }
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < l.num_headers; i++)
    n += (size_t)snprintf(out + n, sizeof(out) - n, "%s: %s\n",
                          l.headers[i].name, l.headers[i].value);
  if (probe)
    snprintf(out + n, sizeof(out) - n, "[probe]");
  cn_http_auth_header_list_cleanup(&l);
  return out;
}

/* The connection's NTLM state the responses are read with (NULL: none). */
static struct cn_http_auth_ntlm_conn *g_ntlm;

/* respond feeds a response head with the given WWW-Authenticate values
 * (NULL-terminated); returns 1 to restart, 0 not, negative on error. */
static int respond_as(struct cn_http_auth_controller *c, int status,
                      bool have_user, bool have_bearer, bool get_or_head,
                      const char *const *challenges) {
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  if (!h)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_http_response_headers_set_status(h, 1, 1, status, "X", 1);
  for (size_t i = 0; rv == CN_OK && challenges && challenges[i]; i++)
    rv = cn_http_response_headers_add(h, "WWW-Authenticate", 16,
                                      challenges[i], strlen(challenges[i]));
  bool restart = false;
  if (rv == CN_OK) {
    struct cn_http_auth_response r = {
        .head = h,
        .have_user = have_user,
        .have_bearer = have_bearer,
        .get_or_head = get_or_head,
        .ntlm_conn = g_ntlm,
    };
    rv = cn_http_auth_controller_on_response(c, &r, &restart);
  }
  cn_http_response_headers_free(h);
  return rv == CN_OK ? restart : rv;
}

static int respond(struct cn_http_auth_controller *c, int status,
                   const char *const *challenges) {
  return respond_as(c, status, true, false, true, challenges);
}

static const char *const digest64[] = {
    "Digest realm=\"testrealm\", nonce=\"1053604145\"", NULL};
static const char *const basic[] = {"Basic realm=\"r\"", NULL};

TEST(basic_is_sent_at_once_and_a_401_ends_it) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_BASIC);
  struct cn_http_auth_request r = get("/");
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: Basic dGVzdHVzZXI6dGVzdHBhc3M=\n");
  /* Refused: no second try, the 401 is the answer. */
  CHECK_EQ_INT(respond(&c, 401, basic), 0);
  CHECK(c.problem);
  CHECK_EQ_INT(c.info_avail, CN_HTTP_AUTH_BASIC);
  CHECK_EQ_INT(c.info_used, 0);
  /* Accepted: libcurl reports no "used" scheme without a 401. */
  cn_http_auth_controller_cleanup(&c);
  init(&c, CN_HTTP_AUTH_BASIC);
  CHECK(strlen(auth(&c, &r)) > 0);
  CHECK_EQ_INT(respond(&c, 200, NULL), 0);
  CHECK_EQ_INT(c.info_used, 0);
  cn_http_auth_controller_cleanup(&c);
}

TEST(digest_alone_waits_for_the_challenge_test_64) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_DIGEST);
  struct cn_http_auth_request r = get("/64");
  CHECK_EQ_STR(auth(&c, &r), ""); /* GET: no probe needed */
  CHECK_EQ_INT(respond(&c, 401, digest64), 1);
  CHECK_EQ_INT(c.info_used, CN_HTTP_AUTH_DIGEST);
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: Digest username=\"testuser\", "
               "realm=\"testrealm\", nonce=\"1053604145\", uri=\"/64\", "
               "response=\"c55f7f30d83d774a3d2dcacf725abaca\"\n");
  CHECK_EQ_INT(respond(&c, 200, NULL), 0);
  cn_http_auth_controller_cleanup(&c);
}

TEST(digest_post_is_probed_without_body_tests_2058_2067) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_DIGEST);
  struct cn_http_auth_request r = get("/2067");
  r.method = "POST";
  r.get_or_head = false;
  r.user = "auser";
  r.password = "apasswd";
  CHECK_EQ_STR(auth(&c, &r), "[probe]");
  static const char *const ch[] = {
      "Digest realm=\"testrealm\", nonce=\"1053604144\", "
      "algorithm=\"SHA-256\"",
      NULL};
  CHECK_EQ_INT(respond_as(&c, 401, true, false, false, ch), 1);
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: Digest username=\"auser\", realm=\"testrealm\", "
               "nonce=\"1053604144\", uri=\"/2067\", response=\"67b97af219c92fa"
               "7e8685e5bebb8e74892f6c6792e911c52bd2dfbf0b49272eb\", "
               "algorithm=SHA-256\n");
  CHECK_EQ_INT(respond_as(&c, 200, true, false, false, NULL), 0);
  /* Test 2058: "-X GET" with an upload is still a PUT to libcurl. */
  cn_http_auth_controller_cleanup(&c);
  init(&c, CN_HTTP_AUTH_DIGEST);
  r.method = "GET";
  CHECK_EQ_STR(auth(&c, &r), "[probe]");
  cn_http_auth_controller_cleanup(&c);
}

TEST(a_probe_answered_without_challenge_sends_the_body_next) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_DIGEST);
  struct cn_http_auth_request r = get("/");
  r.method = "POST";
  r.get_or_head = false;
  CHECK_EQ_STR(auth(&c, &r), "[probe]");
  CHECK_EQ_INT(respond_as(&c, 200, true, false, false, NULL), 1);
  /* Nothing was offered: no scheme, the body goes now, once. */
  CHECK_EQ_STR(auth(&c, &r), "");
  CHECK_EQ_INT(respond_as(&c, 200, true, false, false, NULL), 0);
  cn_http_auth_controller_cleanup(&c);
}

TEST(anyauth_picks_digest_over_basic_test_1030) {
  struct cn_http_auth_controller c;
  init(&c, ~0UL & ~(1UL << 4)); /* CURLAUTH_ANY */
  struct cn_http_auth_request r = get("/1030");
  r.method = "PUT";
  r.get_or_head = false;
  /* Several schemes wanted: nothing sent, and the body goes in full. */
  CHECK_EQ_STR(auth(&c, &r), "");
  static const char *const ch[] = {
      "Blackmagic realm=\"gimme all yer s3cr3ts\"",
      "Basic realm=\"gimme all yer s3cr3ts\"",
      "Digest realm=\"gimme all yer s3cr3ts\", nonce=\"11223344\"", NULL};
  CHECK_EQ_INT(respond_as(&c, 401, true, false, false, ch), 1);
  CHECK_EQ_INT(c.info_avail, CN_HTTP_AUTH_BASIC | CN_HTTP_AUTH_DIGEST);
  CHECK_EQ_INT(c.info_used, CN_HTTP_AUTH_DIGEST);
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: Digest username=\"testuser\", "
               "realm=\"gimme all yer s3cr3ts\", nonce=\"11223344\", "
               "uri=\"/1030\", "
               "response=\"01cb59db1ddaac246b072d5f5f0716d9\"\n");
  cn_http_auth_controller_cleanup(&c);
}

TEST(anyauth_picks_ntlm_over_basic_and_unknown_schemes_give_up) {
  struct cn_http_auth_controller c;
  init(&c, ~0UL & ~(1UL << 4));
  struct cn_http_auth_request r = get("/");
  CHECK_EQ_STR(auth(&c, &r), "");
  static const char *const ch[] = {"Negotiate", "NTLM", "Basic realm=\"x\"",
                                   NULL};
  CHECK_EQ_INT(respond(&c, 401, ch), 1);
  /* Negotiate is not built */
  CHECK_EQ_INT(c.info_avail, CN_HTTP_AUTH_NTLM | CN_HTTP_AUTH_BASIC);
  CHECK_EQ_INT(c.picked, CN_HTTP_AUTH_NTLM);
  CHECK(cn_http_auth_controller_uses_ntlm(&c));
  /* Without the connection NTLM says nothing yet. */
  CHECK_EQ_STR(auth(&c, &r), "");

  cn_http_auth_controller_cleanup(&c);
  init(&c, CN_HTTP_AUTH_BASIC | CN_HTTP_AUTH_DIGEST);
  CHECK_EQ_INT(respond(&c, 401, ch), 1);
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: Basic dGVzdHVzZXI6dGVzdHBhc3M=\n");
  CHECK_EQ_INT(respond(&c, 401, basic), 0);
  CHECK(c.problem);

  cn_http_auth_controller_cleanup(&c);
  init(&c, ~0UL & ~(1UL << 4));
  static const char *const unknown[] = {"Negotiate abc", "Blackmagic", NULL};
  CHECK_EQ_INT(respond(&c, 401, unknown), 0);
  CHECK(c.problem);
  CHECK_EQ_INT(c.picked, CN_HTTP_AUTH_PICKNONE);
  cn_http_auth_controller_cleanup(&c);
}

/* curl's test 67: type-1, the server's type-2, type-3; then the connection
 * is authenticated and later requests on it send nothing. */
TEST(ntlm_handshake_lives_on_the_connection_test_67) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_NTLM);
  struct cn_http_auth_ntlm_conn *conn = cn_http_auth_ntlm_conn_new();
  CHECK(conn != NULL);
  g_ntlm = conn;
  struct cn_http_auth_request r = get("/67");
  r.ntlm_conn = conn;
  CHECK_EQ_STR(auth(&c, &r), "Authorization: NTLM "
                             "TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=\n");
  CHECK(!c.done);
  CHECK_EQ_STR(conn->base.tag, "ntlm\ntestuser\ntestpass");
  static const char *const type2[] = {
      "NTLM TlRMTVNTUAACAAAAAgACADAAAACGggEAc51AYVDgyNcAAAAAAAAAAG4AbgAyAAAA"
      "Q0MCAAQAQwBDAAEAEgBFAEwASQBTAEEAQgBFAFQASAAEABgAYwBjAC4AaQBjAGUAZABlA"
      "HYALgBuAHUAAwAsAGUAbABpAHMAYQBiAGUAdABoAC4AYwBjAC4AaQBjAGUAZABlAHYALg"
      "BuAHUAAAAAAA==",
      NULL};
  CHECK_EQ_INT(respond(&c, 401, type2), 1);
  CHECK_EQ_INT(conn->state, CN_NTLM_STATE_TYPE2);
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: NTLM TlRMTVNTUAADAAAAGAAYAEAAAAAYABgAWAAAAAAAAA"
               "BwAAAACAAIAHAAAAALAAsAeAAAAAAAAAAAAAAAhoIBAFpkQwKRCZFMhjj0tw47"
               "wEjKHRHlvzfxQamFcheMuv8v+xeqphEO5V41xRd7R9deOXRlc3R1c2VyV09SS"
               "1NUQVRJT04=\n");
  CHECK(c.done);
  CHECK_EQ_INT(respond(&c, 200, NULL), 0);
  /* The next transfer on this connection: authenticated, nothing sent. */
  cn_http_auth_controller_start_transfer(&c, CN_HTTP_AUTH_NTLM, false);
  CHECK_EQ_STR(auth(&c, &r), "");
  CHECK_EQ_INT(conn->state, CN_NTLM_STATE_LAST);
  CHECK_EQ_INT(c.info_used, CN_HTTP_AUTH_NTLM);
  /* A server that asks again after a type-3 rejected the credentials. */
  conn->state = CN_NTLM_STATE_TYPE3;
  static const char *const again[] = {"NTLM", NULL};
  CHECK_EQ_INT(respond(&c, 401, again), 0);
  CHECK(c.problem);
  CHECK_EQ_INT(conn->state, CN_NTLM_STATE_NONE);
  /* A broken type-2 is an authentication problem, not an error. */
  cn_http_auth_controller_start_transfer(&c, CN_HTTP_AUTH_NTLM, false);
  static const char *const bad[] = {"NTLM !!!notbase64", NULL};
  CHECK_EQ_INT(respond(&c, 401, bad), 0);
  CHECK(c.problem);
  g_ntlm = NULL;
  conn->base.destroy(&conn->base);
  cn_http_auth_controller_cleanup(&c);
}

TEST(one_line_may_offer_several_schemes) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_BASIC | CN_HTTP_AUTH_DIGEST);
  static const char *const ch[] = {
      "Basic realm=\"a\", Digest realm=\"b\", nonce=\"n\"", NULL};
  CHECK_EQ_INT(respond(&c, 401, ch), 1);
  CHECK_EQ_INT(c.info_avail, CN_HTTP_AUTH_BASIC | CN_HTTP_AUTH_DIGEST);
  CHECK_EQ_INT(c.picked, CN_HTTP_AUTH_DIGEST);
  CHECK_EQ_STR(c.digest.realm, "b");
  /* A second Digest header in the same response is ignored. */
  cn_http_auth_controller_cleanup(&c);
  init(&c, CN_HTTP_AUTH_DIGEST);
  static const char *const two[] = {"Digest nonce=\"1\"",
                                    "Digest nonce=\"2\"", NULL};
  CHECK_EQ_INT(respond(&c, 401, two), 1);
  CHECK_EQ_STR(c.digest.nonce, "1");
  cn_http_auth_controller_cleanup(&c);
}

TEST(wrong_digest_credentials_stop_and_stale_retries_test_388) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_DIGEST);
  struct cn_http_auth_request r = get("/3880002");
  CHECK_EQ_STR(auth(&c, &r), "");
  CHECK_EQ_INT(respond(&c, 401, digest64), 1);
  CHECK(strstr(auth(&c, &r), "response=\"921a8e6db782d6359db1f40d9ed7e6a6\""));
  static const char *const stale[] = {
      "Digest realm=\"testrealm\", algorithm=MD5, nonce=\"999999\", "
      "stale=true, qop=\"crazy, auth\"",
      NULL};
  CHECK_EQ_INT(respond(&c, 401, stale), 1);
  CHECK(strstr(auth(&c, &r), "nc=00000001, qop=auth"));
  CHECK_EQ_INT(respond(&c, 200, NULL), 0);
  /* A fresh nonce without stale=true: the password is wrong. */
  static const char *const again[] = {"Digest realm=\"testrealm\", nonce=\"7\"",
                                      NULL};
  CHECK_EQ_INT(respond(&c, 401, again), 0);
  CHECK(c.problem);
  cn_http_auth_controller_cleanup(&c);
}

TEST(digest_survives_between_hops_and_transfers_test_1286) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_DIGEST);
  struct cn_http_auth_request r = get("/1286");
  r.user = "auser";
  r.password = "apasswd";
  CHECK_EQ_STR(auth(&c, &r), "");
  static const char *const ch[] = {
      "Digest realm=\"testrealm\", nonce=\"1053604144\", qop=\"auth\"", NULL};
  CHECK_EQ_INT(respond(&c, 401, ch), 1);
  CHECK(strstr(auth(&c, &r), "nc=00000001"));
  CHECK_EQ_INT(respond(&c, 302, NULL), 0);
  r.path = "/12860001"; /* the redirect to the same host */
  CHECK(strstr(auth(&c, &r), "uri=\"/12860001\", cnonce=\"AAECAwQFBgcICQoL\", "
                             "nc=00000002"));
  /* The next transfer of the handle goes straight to Digest. */
  cn_http_auth_controller_start_transfer(&c, CN_HTTP_AUTH_DIGEST, false);
  CHECK(strstr(auth(&c, &r), "nc=00000003"));
  CHECK_EQ_INT(c.info_used, 0);
  /* Unless it no longer wants Digest. */
  cn_http_auth_controller_start_transfer(&c, CN_HTTP_AUTH_BASIC, false);
  CHECK(strstr(auth(&c, &r), "Basic "));
  cn_http_auth_controller_cleanup(&c);
}

TEST(digest_ie_drops_the_query_from_the_uri) {
  struct cn_http_auth_controller c;
  cn_http_auth_controller_init(&c);
  cn_http_auth_controller_start_transfer(&c, CN_HTTP_AUTH_DIGEST, true);
  struct cn_http_auth_request r = get("/2076");
  r.query = "query";
  CHECK_EQ_INT(respond(&c, 401, digest64), 1);
  CHECK(strstr(auth(&c, &r), "uri=\"/2076\""));
  cn_http_auth_controller_start_transfer(&c, CN_HTTP_AUTH_DIGEST, false);
  CHECK(strstr(auth(&c, &r), "uri=\"/2076?query\""));
  cn_http_auth_controller_cleanup(&c);
}

TEST(bearer_tokens) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_BEARER);
  struct cn_http_auth_request r = get("/");
  r.user = NULL;
  r.password = NULL;
  r.bearer = "mF_9.B5f-4.1JqM";
  CHECK_EQ_STR(auth(&c, &r), "Authorization: Bearer mF_9.B5f-4.1JqM\n");
  static const char *const b[] = {"Bearer realm=\"x\"", NULL};
  CHECK_EQ_INT(respond_as(&c, 401, false, true, true, b), 0);
  CHECK(c.problem);
  /* With several wanted, Bearer beats Digest and Basic, but only with a
   * token. */
  cn_http_auth_controller_cleanup(&c);
  init(&c, ~0UL & ~(1UL << 4));
  static const char *const all[] = {"Basic", "Digest nonce=\"n\"", "Bearer",
                                    NULL};
  CHECK_EQ_INT(respond_as(&c, 401, true, true, true, all), 1);
  CHECK_EQ_INT(c.picked, CN_HTTP_AUTH_BEARER);
  cn_http_auth_controller_cleanup(&c);
  init(&c, ~0UL & ~(1UL << 4));
  CHECK_EQ_INT(respond_as(&c, 401, true, false, true, all), 1);
  CHECK_EQ_INT(c.picked, CN_HTTP_AUTH_DIGEST);
  cn_http_auth_controller_cleanup(&c);
}

TEST(no_credentials_no_header_and_no_restart) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_BASIC);
  struct cn_http_auth_request r = get("/");
  r.user = NULL;
  CHECK_EQ_STR(auth(&c, &r), "");
  CHECK_EQ_INT(respond_as(&c, 401, false, false, true, basic), 0);
  CHECK_EQ_INT(c.info_avail, CN_HTTP_AUTH_BASIC);
  /* An empty user name is a user name. */
  r.user = "";
  r.password = NULL;
  CHECK_EQ_STR(auth(&c, &r), "Authorization: Basic Og==\n");
  cn_http_auth_controller_cleanup(&c);
}

TEST(other_hosts_and_program_headers_get_nothing) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_BASIC);
  struct cn_http_auth_request r = get("/");
  r.allowed_to_host = false;
  CHECK_EQ_STR(auth(&c, &r), "");
  r.allowed_to_host = true;
  static const char *const mine[] = {"Authorization: Token abc"};
  r.user_headers = mine;
  r.num_user_headers = 1;
  CHECK_EQ_STR(auth(&c, &r), "");
  cn_http_auth_controller_cleanup(&c);
}

TEST(only_bit_waits_for_the_401) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_BASIC | CN_HTTP_AUTH_ONLY);
  struct cn_http_auth_request r = get("/");
  CHECK_EQ_STR(auth(&c, &r), "");
  CHECK_EQ_INT(respond(&c, 401, basic), 1);
  CHECK(strstr(auth(&c, &r), "Basic "));
  /* 1xx heads change nothing. */
  CHECK_EQ_INT(respond(&c, 100, basic), 0);
  CHECK(!c.problem);
  cn_http_auth_controller_cleanup(&c);
}

TEST(aws_sigv4_through_the_controller) {
  struct cn_http_auth_controller c;
  init(&c, CN_HTTP_AUTH_AWS_SIGV4);
  struct cn_http_auth_request r = get("/aws_sigv4/testapi/test");
  r.host = "exam.ple.com";
  r.authority = "exam.ple.com:9000";
  r.aws_sigv4 = "aws:amz:us-east-1:s3";
  r.user = "xxx";
  r.password = NULL;
  CHECK_EQ_STR(auth(&c, &r),
               "Authorization: AWS4-HMAC-SHA256 Credential=xxx/19700101/"
               "us-east-1/s3/aws4_request, SignedHeaders=host;"
               "x-amz-content-sha256;x-amz-date, Signature=e6270423932feafe9b00"
               "ca5d60c9ed566be649f9ca9676144288273945153021\n"
               "X-Amz-Date: 19700101T000000Z\n"
               "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e"
               "4649b934ca495991b7852b855\n");
  r.path_as_is = true;
  CHECK_EQ_STR(auth(&c, &r), "error -701");
  cn_http_auth_controller_cleanup(&c);
}

static int digest_round(void) {
  struct cn_http_auth_controller c;
  init(&c, ~0UL & ~(1UL << 4));
  struct cn_http_auth_request r = get("/a");
  r.query = "b=c";
  struct cn_http_auth_header_list l = {0};
  bool probe;
  int rv = cn_http_auth_controller_add_auth(&c, &r, &l, &probe);
  static const char *const ch[] = {
      "Basic realm=\"x\", Digest realm=\"r\", nonce=\"n\", qop=\"auth\"",
      NULL};
  if (rv == CN_OK) {
    rv = respond(&c, 401, ch);
    rv = rv < 0 ? rv : CN_OK;
  }
  if (rv == CN_OK)
    rv = cn_http_auth_controller_add_auth(&c, &r, &l, &probe);
  cn_http_auth_header_list_cleanup(&l);
  cn_http_auth_controller_cleanup(&c);
  return rv;
}

TEST(every_allocation_failure_is_reported_and_leaks_nothing) {
  FAIL_LOOP(digest_round());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(basic_is_sent_at_once_and_a_401_ends_it,
          digest_alone_waits_for_the_challenge_test_64,
          digest_post_is_probed_without_body_tests_2058_2067,
          a_probe_answered_without_challenge_sends_the_body_next,
          anyauth_picks_digest_over_basic_test_1030,
          anyauth_picks_ntlm_over_basic_and_unknown_schemes_give_up,
          ntlm_handshake_lives_on_the_connection_test_67,
          one_line_may_offer_several_schemes,
          wrong_digest_credentials_stop_and_stale_retries_test_388,
          digest_survives_between_hops_and_transfers_test_1286,
          digest_ie_drops_the_query_from_the_uri, bearer_tokens,
          no_credentials_no_header_and_no_restart,
          other_hosts_and_program_headers_get_nothing,
          only_bit_waits_for_the_401, aws_sigv4_through_the_controller,
          every_allocation_failure_is_reported_and_leaks_nothing)
