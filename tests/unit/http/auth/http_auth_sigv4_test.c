/* http_auth_sigv4_test.c: AWS SigV4 against the headers libcurl's tests
 * expect (tests/data/test1933-1978, 439, 472; libcurl's debug build signs
 * at time 0 under CURL_FORCETIME, so |now| is 0 here). */
#include "http/auth/http_auth_sigv4.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

static const char *const json[] = {"Content-Type: application/json"};

/* req_for fills the common parts of one of curl's SigV4 tests. */
static struct cn_aws_sigv4_request req_for(const char *params,
                                           const char *host,
                                           const char *authority,
                                           const char *path) {
  struct cn_aws_sigv4_request r = {
      .params = params,
      .method = "GET",
      .host = host,
      .authority = authority,
      .path = path,
      .user = "xxx",
      .get_or_head = true,
      .infile_size = -1,
      .now = 0,
  };
  return r;
}

/* sign returns "Name: value\n" lines (static storage) or an error text. */
static const char *sign(const struct cn_aws_sigv4_request *r) {
  static char out[4096];
  struct cn_http_auth_header_list l = {0};
  int rv = cn_aws_sigv4_sign(&l, r);
  if (rv != CN_OK) {
    snprintf(out, sizeof(out), "error %d", rv);
    return out;
  }
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < l.num_headers; i++)
    n += (size_t)snprintf(out + n, sizeof(out) - n, "%s: %s\n",
                          l.headers[i].name, l.headers[i].value);
  cn_http_auth_header_list_cleanup(&l);
  return out;
}

TEST(providers_region_and_service_tests_1933_to_1936) {
  struct cn_aws_sigv4_request r =
      req_for("xxx", "127.0.0.1", "127.0.0.1:9000", "/1933/testapi/test");
  r.password = "yyy"; /* credentials from the URL */
  r.user_headers = json;
  r.num_user_headers = 1;
  /* No region or service: "127" and "0" from the host name. */
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/0/127/"
               "xxx4_request, SignedHeaders=content-type;host;x-xxx-date, "
               "Signature=3d8e00a02e437211a596143dcd590fcc805b731365c68f7f4895"
               "1ea6eda39c4f\n"
               "X-Xxx-Date: 19700101T000000Z\n");
  r.params = "xxx:yyy";
  r.path = "/1934/testapi/test";
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/0/127/"
               "xxx4_request, SignedHeaders=content-type;host;x-yyy-date, "
               "Signature=cf8dc9a4af903a1a9bb1385d8e2366d780afb501e26643659843"
               "8395e502d58c\n"
               "X-Yyy-Date: 19700101T000000Z\n");
  r.params = "xxx:yyy:rrr";
  r.path = "/1935/testapi/test";
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/rrr/"
               "127/xxx4_request, SignedHeaders=content-type;host;x-yyy-date, "
               "Signature=a0b11b97b54689428d4188b788ed32865d607822d85d3e91cf06"
               "141f479dac0b\n"
               "X-Yyy-Date: 19700101T000000Z\n");
  r.params = "xxx:yyy:rrr:sss";
  r.path = "/1936/testapi/test";
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/rrr/"
               "sss/xxx4_request, SignedHeaders=content-type;host;x-yyy-date, "
               "Signature=026b713d76b0789bd224c5e41322f74eed088f8a22fd15183ca6"
               "8376c575c5b0\n"
               "X-Yyy-Date: 19700101T000000Z\n");
}

TEST(post_fields_are_hashed_tests_1937_1938) {
  struct cn_aws_sigv4_request r =
      req_for("provider1:provider2:region:service", "127.0.0.1",
              "127.0.0.1:9000", "/1937/testapi/test");
  r.method = "POST";
  r.get_or_head = false;
  r.user = "keyId";
  r.password = "SecretKey";
  r.user_headers = json;
  r.num_user_headers = 1;
  r.post_fields = "postData";
  r.post_fields_len = 8;
  r.post_fields_post = true;
  CHECK_EQ_STR(sign(&r),
               "Authorization: PROVIDER14-HMAC-SHA256 Credential=keyId/"
               "19700101/region/service/provider14_request, "
               "SignedHeaders=content-type;host;x-provider2-date, "
               "Signature=4928ccf97a9e71fe27f91db5a3b3c9"
               "43b6080d25e6f4df8593d4c38e7d1e849b\n"
               "X-Provider2-Date: 19700101T000000Z\n");
  static const char binary[] = {'p', 'o', 's', 't', 0, 'D', 'a', 't', 'a'};
  r.path = "/1938/testapi/test";
  r.post_fields = binary;
  r.post_fields_len = sizeof(binary);
  CHECK(strstr(sign(&r), "Signature=3436256c7c23adeb66dc15984eaa527edc4a504d"
                         "ef61da2e0bf4b01ace4f3c0b\n"));
}

TEST(program_headers_are_canonicalised_test_1955) {
  static const char *const h[] = {
      "test3: 1234",  "Content-Type: application/json",
      "test2;",       "test1:",
      "test0",        "test_space: t\ts  m\t   end    ",
      "tesMixCase: MixCase",
  };
  struct cn_aws_sigv4_request r = req_for(
      "xxx", "exam.ple.com", "exam.ple.com:9000", "/aws_sigv4/testapi/test");
  r.user_headers = h;
  r.num_user_headers = 7;
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/ple/"
               "exam/xxx4_request, SignedHeaders=content-type;host;tesmixcase;"
               "test2;test3;test_space;x-xxx-date, Signature=dd39202e9fb7b836eb"
               "f2abb83b114cae11ff3b6a169f0c64b290a774a873db9d\n"
               "X-Xxx-Date: 19700101T000000Z\n");
}

TEST(program_content_sha256_is_the_payload_tests_1956_to_1959) {
  const char *h[2] = {"Content-Type: application/json", NULL};
  struct cn_aws_sigv4_request r = req_for(
      "xxx", "exam.ple.com", "exam.ple.com:9000", "/aws_sigv4/testapi/test");
  r.user_headers = h;
  r.num_user_headers = 2;
  h[1] = "X-Xxx-Content-Sha256: "
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/ple/"
               "exam/xxx4_request, SignedHeaders=content-type;host;"
               "x-xxx-content-sha256;x-xxx-date, Signature=dfe78c8846a9b7d65d1e"
               "b4c1d6ea7bc886650d03f3568088cb8d5b4c3778287f\n"
               "X-Xxx-Date: 19700101T000000Z\n");
  h[1] = "X-Xxx-Content-Sha256: arbitrary";
  CHECK(strstr(sign(&r), "Signature=25b4cac711ea8f65010c485d3778885f5f3870d0"
                         "b8ff0b3ab58a8d7eeab991ff\n"));
  h[1] = "X-Xxx-Content-Sha256: \tarbitrary ";
  CHECK(strstr(sign(&r), "Signature=25b4cac711ea8f65010c485d3778885f5f3870d0"
                         "b8ff0b3ab58a8d7eeab991ff\n"));
  h[1] = "X-Xxx-Content-Sha256: "
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(strstr(sign(&r), "Signature=7b343a4aa55d73ffc05005d84480bc705a336737"
                         "3ed8cae1a1c0fbd2b3aa0483\n"));
}

TEST(program_date_header_is_signed_not_added_test_1964) {
  static const char *const h[] = {"Content-Type: application/json",
                                  "X-Xxx-Date: 19700101T000000Z"};
  struct cn_aws_sigv4_request r =
      req_for("xxx", "127.0.0.1", "127.0.0.1:9000", "/1964/testapi/test");
  r.password = "yyy";
  r.user_headers = h;
  r.num_user_headers = 2;
  r.now = 1700000000; /* ignored: the program's date is used */
  CHECK_EQ_STR(sign(&r),
               "Authorization: XXX4-HMAC-SHA256 Credential=xxx/19700101/0/127/"
               "xxx4_request, SignedHeaders=content-type;host;x-xxx-date, "
               "Signature=35da102c1df68f2ef85ade08ecc212fa663a66e3a973146f6578"
               "a5c5426e9669\n");
}

TEST(s3_payload_hashes_tests_1970_to_1975) {
  const char *h[2] = {"Content-Type: application/json", NULL};
  struct cn_aws_sigv4_request r =
      req_for("aws:amz:us-east-1:s3", "exam.ple.com", "exam.ple.com:9000",
              "/aws_sigv4/testapi/test");
  r.user_headers = h;
  r.num_user_headers = 1;
  /* PUT with INFILESIZE 0: the empty hash, sent as a header too. */
  r.method = "PUT";
  r.get_or_head = false;
  r.infile_size = 0;
  CHECK_EQ_STR(sign(&r),
               "Authorization: AWS4-HMAC-SHA256 Credential=xxx/19700101/"
               "us-east-1/s3/aws4_request, SignedHeaders=content-type;host;"
               "x-amz-content-sha256;x-amz-date, Signature=a028756f42a859122e96"
               "09c1f90cae4b272d6b03bf60d9fd354138176dfa2260\n"
               "X-Amz-Date: 19700101T000000Z\n"
               "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e"
               "4649b934ca495991b7852b855\n");
  /* PUT of unknown size: UNSIGNED-PAYLOAD. */
  r.infile_size = -1;
  CHECK_EQ_STR(sign(&r),
               "Authorization: AWS4-HMAC-SHA256 Credential=xxx/19700101/"
               "us-east-1/s3/aws4_request, SignedHeaders=content-type;host;"
               "x-amz-content-sha256;x-amz-date, Signature=4a6e9b4af0542ffb8374"
               "4c6852f8e1bfec14f2a67e6f6f037b39f172f79d62af\n"
               "X-Amz-Date: 19700101T000000Z\n"
               "x-amz-content-sha256: UNSIGNED-PAYLOAD\n");
  /* A POST of a mime body: also unsigned. */
  r.method = "POST";
  CHECK(strstr(sign(&r), "Signature=eaee0f1c5984ad5d81c8bc7805f28c7b83b35322"
                         "de654b2ace18cb8cf6d5a9cb\n"));
  /* POSTFIELDS are hashed. */
  r.post_fields = "post fields\n";
  r.post_fields_len = 12;
  r.post_fields_post = true;
  CHECK(strstr(sign(&r), "Signature=7eb34202214384872221b99a9c671b7517891ac6"
                         "af56b0aff24ec51adf62b10a\n"));
  CHECK(strstr(sign(&r), "x-amz-content-sha256: 4b02e333ccf7cf530ddee3e10ebe"
                         "54e935500b5e570e68650d63d743e8bbc045\n"));
  /* GET without program headers. */
  struct cn_aws_sigv4_request g =
      req_for("aws:amz:us-east-1:s3", "exam.ple.com", "exam.ple.com:9000",
              "/aws_sigv4/testapi/test");
  CHECK_EQ_STR(sign(&g),
               "Authorization: AWS4-HMAC-SHA256 Credential=xxx/19700101/"
               "us-east-1/s3/aws4_request, SignedHeaders=host;"
               "x-amz-content-sha256;x-amz-date, Signature=e6270423932feafe9b00"
               "ca5d60c9ed566be649f9ca9676144288273945153021\n"
               "X-Amz-Date: 19700101T000000Z\n"
               "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e"
               "4649b934ca495991b7852b855\n");
  /* The program's own X-Amz-Content-Sha256 is used and not repeated. */
  struct cn_aws_sigv4_request p = r;
  p.method = "PUT";
  p.post_fields = NULL;
  p.post_fields_post = false;
  h[1] = "X-Amz-Content-Sha256: "
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  p.num_user_headers = 2;
  CHECK_EQ_STR(sign(&p),
               "Authorization: AWS4-HMAC-SHA256 Credential=xxx/19700101/"
               "us-east-1/s3/aws4_request, SignedHeaders=content-type;host;"
               "x-amz-content-sha256;x-amz-date, Signature=a028756f42a859122e96"
               "09c1f90cae4b272d6b03bf60d9fd354138176dfa2260\n"
               "X-Amz-Date: 19700101T000000Z\n");
}

TEST(duplicate_and_odd_program_headers_test_1978) {
  static const char *const h[] = {
      "x-amz-meta-test: test2",      "some-other-header: value",
      "x-amz-meta-test: test1",      "duplicate-header: duplicate",
      "header-no-value",             "x-amz-meta-test: test3",
      "X-amz-meta-test2: test2",     "x-amz-meta-blah: blah",
      "x-Amz-meta-test2: test1",     "x-amz-Meta-test2: test3",
      "curr-header-no-colon",        "curr-header-no-colon: value",
      "next-header-no-colon: value", "next-header-no-colon",
      "duplicate-header: duplicate", "header-no-value;",
      "header-no-value;",            "header-some-no-value;",
      "header-some-no-value: value",
  };
  struct cn_aws_sigv4_request r = req_for(
      "aws:amz:us-east-1:s3", "127.0.0.1", "127.0.0.1:9000",
      "/1978/testapi/test");
  r.method = "PUT";
  r.get_or_head = false;
  r.infile_size = 0;
  r.password = "yyy"; /* USERPWD "xxx" has none: the URL's is used */
  r.user_headers = h;
  r.num_user_headers = sizeof(h) / sizeof(h[0]);
  CHECK_EQ_STR(sign(&r),
               "Authorization: AWS4-HMAC-SHA256 Credential=xxx/19700101/"
               "us-east-1/s3/aws4_request, SignedHeaders=curr-header-no-colon;"
               "duplicate-header;header-no-value;header-some-no-value;host;"
               "next-header-no-colon;some-other-header;x-amz-content-sha256;"
               "x-amz-date;x-amz-meta-blah;x-amz-meta-test;x-amz-meta-test2, "
               "Signature=b1e2ac88fd1307f0b9031140c3c99cc20d6263f3fe64b132dc43"
               "3c95fe2c6316\n"
               "X-Amz-Date: 19700101T000000Z\n"
               "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e"
               "4649b934ca495991b7852b855\n");
}

TEST(query_and_path_encoding_tests_439_472) {
  struct cn_aws_sigv4_request r = req_for(
      "aws:amz:us-east-2:es", "fake.fake.fake", "fake.fake.fake:8000",
      "/439/");
  r.user = "user";
  r.password = "secret";
  r.query = "name=me&noval&aim=b%aad&&&weirdo=*.//-";
  CHECK_EQ_STR(sign(&r),
               "Authorization: AWS4-HMAC-SHA256 Credential=user/19700101/"
               "us-east-2/es/aws4_request, SignedHeaders=host;x-amz-date, "
               "Signature=9dd8592929306832a6673d10063491391e486e5f50de4647ea7c"
               "2c797277e0a6\n"
               "X-Amz-Date: 19700101T000000Z\n");
  r.query = NULL;
  r.path = "/472/a=%e3%81%82";
  CHECK(strstr(sign(&r), "Signature=d2f4797c813fc51d729ac555a23ac682be908fdb"
                         "fae2042ba98d214c9298201b\n"));
}

TEST(errors_and_the_program_authorization) {
  struct cn_aws_sigv4_request r =
      req_for("xxx", "localhost", "localhost:80", "/");
  /* No service in the parameters and none in a one-label host. */
  CHECK_EQ_STR(sign(&r), "error -300");
  r.params = "xxx:yyy:rrr:sss";
  CHECK(strncmp(sign(&r), "Authorization: ", 15) == 0);
  /* Region given, service from the host: region kept. */
  r.params = "aws:amz:reg";
  r.host = "svc.example.com";
  CHECK(strstr(sign(&r), "Credential=xxx/19700101/reg/svc/aws4_request"));
  r.params = ":x";
  CHECK_EQ_STR(sign(&r), "error -701");
  r.params = "aws";
  r.path_as_is = true;
  CHECK_EQ_STR(sign(&r), "error -701");
  r.path_as_is = false;
  static const char *const auth[] = {"authorization: mine"};
  r.user_headers = auth;
  r.num_user_headers = 1;
  CHECK_EQ_STR(sign(&r), "");
  /* 128 query parts are too many for libcurl. */
  struct cn_buf q;
  cn_buf_init(&q, 0);
  for (int i = 0; i < 128; i++)
    cn_buf_printf(&q, "%sk%d=v", i ? "&" : "", i);
  r.user_headers = NULL;
  r.num_user_headers = 0;
  r.query = q.data;
  CHECK_EQ_STR(sign(&r), "error -24");
  q.data[q.len - 6] = '\0'; /* 127 parts */
  CHECK(strncmp(sign(&r), "Authorization: ", 15) == 0);
  cn_buf_cleanup(&q);
}

TEST(the_time_stamp_comes_from_now) {
  struct cn_aws_sigv4_request r =
      req_for("aws:amz:eu-west-1:ec2", "h.example", "h.example", "/");
  r.now = 1700000000; /* 2023-11-14 22:13:20 UTC */
  const char *out = sign(&r);
  CHECK(strstr(out, "Credential=xxx/20231114/eu-west-1/ec2/aws4_request"));
  CHECK(strstr(out, "X-Amz-Date: 20231114T221320Z\n"));
}

static int sign_once(void) {
  static const char *const h[] = {"b: 1", "a: 2", "b: 3", "x;"};
  struct cn_aws_sigv4_request r =
      req_for("aws:amz:us-east-1:s3", "h", "h:1", "/p q");
  r.query = "z=1&a=%41+b&c";
  r.user_headers = h;
  r.num_user_headers = 4;
  struct cn_http_auth_header_list l = {0};
  int rv = cn_aws_sigv4_sign(&l, &r);
  cn_http_auth_header_list_cleanup(&l);
  return rv;
}

TEST(every_allocation_failure_is_reported_and_leaks_nothing) {
  FAIL_LOOP(sign_once());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(providers_region_and_service_tests_1933_to_1936,
          post_fields_are_hashed_tests_1937_1938,
          program_headers_are_canonicalised_test_1955,
          program_content_sha256_is_the_payload_tests_1956_to_1959,
          program_date_header_is_signed_not_added_test_1964,
          s3_payload_hashes_tests_1970_to_1975,
          duplicate_and_odd_program_headers_test_1978,
          query_and_path_encoding_tests_439_472,
          errors_and_the_program_authorization,
          the_time_stamp_comes_from_now,
          every_allocation_failure_is_reported_and_leaks_nothing)
