/* ip_endpoint_test.c: address text as inet_ntop writes it. */
#include "util/ip_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "test.h"

static struct cn_ip_endpoint v4(const char *text) {
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(443);
  inet_pton(AF_INET, text, &sin.sin_addr);
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_from_sockaddr(&ep, (const struct sockaddr *)&sin, sizeof(sin));
  return ep;
}

TEST(ipv4_text_matches_inet_ntop) {
  static const char *const addrs[] = {"0.0.0.0",      "127.0.0.1",
                                      "10.20.100.9",  "255.255.255.255",
                                      "1.10.100.200", "192.0.2.0"};
  for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
    struct cn_ip_endpoint ep = v4(addrs[i]);
    char out[64];
    memset(out, '#', sizeof(out));
    cn_ip_endpoint_address_string(&ep, out, sizeof(out));
    CHECK_EQ_STR(out, addrs[i]);
  }
}

TEST(short_buffer_gets_empty_text) {
  struct cn_ip_endpoint ep = v4("255.255.255.255");
  char out[15]; /* one short of the 16 it needs */
  memset(out, '#', sizeof(out));
  cn_ip_endpoint_address_string(&ep, out, sizeof(out));
  CHECK_EQ_STR(out, "");
  char exact[16];
  cn_ip_endpoint_address_string(&ep, exact, sizeof(exact));
  CHECK_EQ_STR(exact, "255.255.255.255");
}

TEST(ipv6_text) {
  struct sockaddr_in6 sin6;
  memset(&sin6, 0, sizeof(sin6));
  sin6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::1", &sin6.sin6_addr);
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_from_sockaddr(&ep, (const struct sockaddr *)&sin6,
                               sizeof(sin6));
  char out[64];
  cn_ip_endpoint_address_string(&ep, out, sizeof(out));
  CHECK_EQ_STR(out, "::1");
}

TEST_MAIN(ipv4_text_matches_inet_ntop, short_buffer_gets_empty_text, ipv6_text)
