/* address_list_test.c: cn_address_list append, copy with port, family
 * filtering and OOM behaviour. */
#include "dns/address_list.h"

#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

static struct cn_ip_endpoint ep(const char *ip, int port) {
  struct cn_ip_endpoint e;
  CHECK(cn_ip_endpoint_parse(&e, ip, port));
  return e;
}

static const char *addr(const struct cn_address_list *l, size_t i) {
  static char text[CN_IP_STRING_MAX];
  cn_ip_endpoint_address_string(&l->addrs[i], text, sizeof(text));
  return text;
}

TEST(add_keeps_order) {
  struct cn_address_list *l = cn_address_list_new();
  CHECK(l != NULL);
  CHECK_EQ_INT(l->num, 0);
  struct cn_ip_endpoint a = ep("10.0.0.1", 80), b = ep("::1", 80),
                        c = ep("10.0.0.2", 80);
  CHECK_EQ_INT(cn_address_list_add(l, &a), CN_OK);
  CHECK_EQ_INT(cn_address_list_add(l, &b), CN_OK);
  CHECK_EQ_INT(cn_address_list_add(l, &c), CN_OK);
  CHECK_EQ_INT(l->num, 3);
  CHECK_EQ_STR(addr(l, 0), "10.0.0.1");
  CHECK_EQ_STR(addr(l, 1), "::1");
  CHECK_EQ_STR(addr(l, 2), "10.0.0.2");
  CHECK_EQ_INT(cn_address_list_count_family(l, AF_INET), 2);
  CHECK_EQ_INT(cn_address_list_count_family(l, AF_INET6), 1);
  CHECK_EQ_INT(cn_address_list_count_family(l, AF_UNSPEC), 3);
  cn_address_list_free(l);
}

TEST(copy_sets_port_and_is_deep) {
  struct cn_address_list *l = cn_address_list_new();
  struct cn_ip_endpoint a = ep("192.0.2.1", 1), b = ep("2001:db8::5", 2);
  cn_address_list_add(l, &a);
  cn_address_list_add(l, &b);
  struct cn_address_list *c = cn_address_list_copy(l, 8443);
  CHECK(c != NULL);
  CHECK(c->addrs != l->addrs);
  CHECK_EQ_INT(c->num, 2);
  CHECK_EQ_INT(cn_ip_endpoint_port(&c->addrs[0]), 8443);
  CHECK_EQ_INT(cn_ip_endpoint_port(&c->addrs[1]), 8443);
  CHECK_EQ_STR(addr(c, 1), "2001:db8::5");
  /* The source is untouched. */
  CHECK_EQ_INT(cn_ip_endpoint_port(&l->addrs[0]), 1);
  cn_address_list_free(l);
  cn_address_list_free(c);
}

TEST(copy_family_filters) {
  struct cn_address_list *l = cn_address_list_new();
  struct cn_ip_endpoint a = ep("::1", 0), b = ep("127.0.0.1", 0),
                        c = ep("::2", 0);
  cn_address_list_add(l, &a);
  cn_address_list_add(l, &b);
  cn_address_list_add(l, &c);
  struct cn_address_list *v6 = cn_address_list_copy_family(l, 5, AF_INET6);
  CHECK_EQ_INT(v6->num, 2);
  CHECK_EQ_STR(addr(v6, 0), "::1");
  CHECK_EQ_STR(addr(v6, 1), "::2");
  struct cn_address_list *v4 = cn_address_list_copy_family(l, 5, AF_INET);
  CHECK_EQ_INT(v4->num, 1);
  CHECK_EQ_STR(addr(v4, 0), "127.0.0.1");
  CHECK_EQ_INT(cn_ip_endpoint_port(&v4->addrs[0]), 5);
  cn_address_list_free(v6);
  cn_address_list_free(v4);

  struct cn_address_list *only4 = cn_address_list_new();
  cn_address_list_add(only4, &b);
  struct cn_address_list *none =
      cn_address_list_copy_family(only4, 1, AF_INET6);
  CHECK(none != NULL);
  CHECK_EQ_INT(none->num, 0);
  cn_address_list_free(none);
  cn_address_list_free(only4);
  cn_address_list_free(l);
}

TEST(oom_leaves_list_intact) {
  struct cn_address_list *l = cn_address_list_new();
  struct cn_ip_endpoint a = ep("10.1.1.1", 1), b = ep("10.1.1.2", 1);
  CHECK_EQ_INT(cn_address_list_add(l, &a), CN_OK);
  cn_alloc_fail_nth(1);
  CHECK_EQ_INT(cn_address_list_add(l, &b), CN_ERR_OUT_OF_MEMORY);
  CHECK_EQ_INT(l->num, 1);
  CHECK_EQ_STR(addr(l, 0), "10.1.1.1");
  cn_alloc_fail_nth(1);
  CHECK(cn_address_list_copy(l, 2) == NULL);
  cn_alloc_fail_nth(2);
  CHECK(cn_address_list_copy(l, 2) == NULL);
  cn_alloc_fail_nth(1);
  CHECK(cn_address_list_new() == NULL);
  cn_address_list_free(l);
  cn_address_list_free(NULL);
}

/* CURLOPT_DNS_SHUFFLE_ADDRESSES: a permutation within each family, the
 * families keeping their places; over 200 shuffles of four IPv4 entries
 * each one reaches the first place (a working shuffle misses one with
 * probability 4 * (3/4)^200 ~ 5e-25). */
TEST(shuffle_permutes_within_each_family) {
  static const char *const ips[] = {"::1", "10.0.0.1", "10.0.0.2",
                                    "::2", "10.0.0.3", "10.0.0.4"};
  bool first[5] = {false};
  for (int round = 0; round < 200; round++) {
    struct cn_address_list *l = cn_address_list_new();
    CHECK(l != NULL);
    for (size_t i = 0; i < 6; i++) {
      struct cn_ip_endpoint e = ep(ips[i], 80);
      CHECK_EQ_INT(cn_address_list_add(l, &e), CN_OK);
    }
    cn_address_list_shuffle(l);
    CHECK_EQ_INT(l->num, 6);
    unsigned seen = 0;
    for (size_t i = 0; i < 6; i++) {
      struct cn_ip_endpoint was = ep(ips[i], 80);
      CHECK_EQ_INT(cn_ip_endpoint_family(&l->addrs[i]),
                   cn_ip_endpoint_family(&was));
      for (size_t j = 0; j < 6; j++)
        if (strcmp(addr(l, i), ips[j]) == 0)
          seen |= 1u << j;
    }
    CHECK_EQ_INT(seen, 0x3f);
    const char *v4 = addr(l, 1);
    first[v4[7] - '0'] = true;
    cn_address_list_free(l);
  }
  CHECK(first[1] && first[2] && first[3] && first[4]);
}

TEST_MAIN(add_keeps_order, copy_sets_port_and_is_deep, copy_family_filters,
          oom_leaves_list_intact, shuffle_permutes_within_each_family)
