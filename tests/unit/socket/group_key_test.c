/* group_key_test.c: which parameters separate pool groups. */
#include "socket/group_key.h"

#include <stdlib.h>

#include "test.h"
#include "tls/ssl_config.h"
#include "util/alloc.h"

static char *key_of(const struct cn_socket_params *p) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  if (cn_group_key_build(&b, p) != CN_OK) {
    cn_buf_cleanup(&b);
    return NULL;
  }
  return cn_buf_detach(&b);
}

static void base(struct cn_socket_params *p) {
  memset(p, 0, sizeof(*p));
  p->host = "Example.COM";
  p->port = 80;
}

/* Checks that |changed| gives another key than the base params. */
static bool differs(const struct cn_socket_params *changed) {
  struct cn_socket_params b;
  base(&b);
  char *k1 = key_of(&b), *k2 = key_of(changed);
  bool d = k1 && k2 && strcmp(k1, k2) != 0;
  cn_free(k1);
  cn_free(k2);
  return d;
}

TEST(host_case_does_not_matter) {
  struct cn_socket_params a, b;
  base(&a);
  base(&b);
  b.host = "example.com";
  b.tcp_keepalive = true; /* socket options do not split groups */
  b.priority = 3;
  char *k1 = key_of(&a), *k2 = key_of(&b);
  CHECK_EQ_STR(k1, k2);
  CHECK_EQ_STR(k1, "http://example.com:80");
  cn_free(k1);
  cn_free(k2);
}

TEST(each_identity_field_separates) {
  struct cn_socket_params p;
  base(&p);
  p.port = 81;
  CHECK(differs(&p));
  base(&p);
  p.host = "example.org";
  CHECK(differs(&p));
  base(&p);
  p.connect_host = "10.0.0.1";
  p.connect_port = 8080;
  CHECK(differs(&p));
  base(&p);
  p.connect_port = 8080;
  CHECK(differs(&p));
  base(&p);
  p.family = CN_IP_V6;
  CHECK(differs(&p));
  base(&p);
  p.group_extra = "socks5h://proxy:1080";
  CHECK(differs(&p));
  base(&p);
  p.interface_name = "if!eth0";
  CHECK(differs(&p));
  base(&p);
  p.local_port = 4000;
  CHECK(differs(&p));
  base(&p);
  p.scope_id = 3; /* CURLOPT_ADDRESS_SCOPE */
  CHECK(differs(&p));
}

TEST(tls_config_is_part_of_https_keys) {
  struct cn_ssl_config c1, c2;
  cn_ssl_config_init(&c1);
  cn_ssl_config_init(&c2);
  c2.verify_peer = false;
  struct cn_socket_params a, b;
  base(&a);
  a.use_tls = true;
  a.port = 443;
  a.ssl = &c1;
  b = a;
  b.ssl = &c2;
  char *k1 = key_of(&a), *k2 = key_of(&b);
  CHECK(k1 && strncmp(k1, "https://example.com:443", 23) == 0);
  CHECK(k1 && k2 && strcmp(k1, k2) != 0);
  cn_free(k1);
  cn_free(k2);
  /* A plain request's key ignores TLS settings. */
  base(&a);
  base(&b);
  a.ssl = &c1;
  b.ssl = &c2;
  k1 = key_of(&a);
  k2 = key_of(&b);
  CHECK_EQ_STR(k1, k2);
  cn_free(k1);
  cn_free(k2);
}

TEST(ipv6_literal_is_bracketed_and_extra_cannot_forge) {
  struct cn_socket_params a, b;
  base(&a);
  a.host = "::1";
  char *k = key_of(&a);
  CHECK(k && strncmp(k, "http://[::1]:80", 15) == 0);
  cn_free(k);
  /* An extra text that imitates another field still differs. */
  base(&a);
  base(&b);
  a.group_extra = "x x=1:y";
  b.group_extra = "x";
  char *k1 = key_of(&a), *k2 = key_of(&b);
  CHECK(k1 && k2 && strcmp(k1, k2) != 0);
  cn_free(k1);
  cn_free(k2);
}

TEST(allocation_failure_is_an_error) {
  struct cn_socket_params p;
  base(&p);
  p.group_extra = "extra";
  for (long n = 1; n < 20; n++) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    cn_alloc_fail_nth(n);
    int rv = cn_group_key_build(&b, &p);
    cn_alloc_fail_nth(0);
    CHECK(rv == CN_OK || rv == CN_ERR_OUT_OF_MEMORY);
    cn_buf_cleanup(&b);
  }
}

TEST_MAIN(host_case_does_not_matter, each_identity_field_separates,
          tls_config_is_part_of_https_keys,
          ipv6_literal_is_bracketed_and_extra_cannot_forge,
          allocation_failure_is_an_error)
