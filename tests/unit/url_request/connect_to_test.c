/* connect_to_test.c: CURLOPT_CONNECT_TO matching. */
#include "url_request/connect_to.h"

#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

TEST(first_match_wins) {
  const char *lines[] = {"other:80:x:1", "example.com:443:backend:8443",
                         "::127.0.0.1:9"};
  char *host = NULL;
  int port = -1;
  CHECK_EQ_INT(cn_connect_to_lookup(lines, 3, "example.com", 443, &host, &port),
               1);
  CHECK_EQ_STR(host, "backend");
  CHECK_EQ_INT(port, 8443);
  cn_free(host);
  /* The catch-all line matches anything else. */
  host = NULL;
  CHECK_EQ_INT(cn_connect_to_lookup(lines, 3, "a.b", 80, &host, &port), 1);
  CHECK_EQ_STR(host, "127.0.0.1");
  CHECK_EQ_INT(port, 9);
  cn_free(host);
}

TEST(empty_parts_keep_original) {
  const char *lines[] = {"example.com::[::1]:", "host2:80::8080"};
  char *host = NULL;
  int port = -1;
  CHECK_EQ_INT(cn_connect_to_lookup(lines, 2, "example.com", 1234, &host,
                                    &port),
               1);
  CHECK_EQ_STR(host, "::1");
  CHECK_EQ_INT(port, 0);
  cn_free(host);
  host = NULL;
  CHECK_EQ_INT(cn_connect_to_lookup(lines, 2, "HOST2", 80, &host, &port), 1);
  CHECK(host == NULL);
  CHECK_EQ_INT(port, 8080);
}

TEST(no_match_and_malformed) {
  const char *lines[] = {"a:1:b:2"};
  char *host = NULL;
  int port = 0;
  CHECK_EQ_INT(cn_connect_to_lookup(lines, 1, "a", 2, &host, &port), 0);
  const char *bad[] = {"a:notaport:b:2"};
  CHECK_EQ_INT(cn_connect_to_lookup(bad, 1, "a", 1, &host, &port),
               CN_ERR_INVALID_ARGUMENT);
}

TEST_MAIN(first_match_wins, empty_parts_keep_original, no_match_and_malformed)
