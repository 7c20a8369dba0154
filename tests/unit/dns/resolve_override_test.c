/* resolve_override_test.c: CURLOPT_RESOLVE line parsing. */
#include "dns/resolve_override.h"

#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

static const char *addr(const struct cn_address_list *l, size_t i) {
  static char text[CN_IP_STRING_MAX];
  cn_ip_endpoint_address_string(&l->addrs[i], text, sizeof(text));
  return text;
}

TEST(parses_permanent_entry) {
  struct cn_resolve_override o;
  CHECK_EQ_INT(cn_resolve_override_parse(&o, "Example.com:443:10.0.0.1"),
               CN_OK);
  CHECK_EQ_INT(o.kind, CN_RESOLVE_OVERRIDE_ADD);
  CHECK_EQ_STR(o.host, "Example.com");
  CHECK_EQ_INT(o.port, 443);
  CHECK(o.permanent);
  CHECK_EQ_INT(o.addrs->num, 1);
  CHECK_EQ_STR(addr(o.addrs, 0), "10.0.0.1");
  CHECK_EQ_INT(cn_ip_endpoint_port(&o.addrs->addrs[0]), 443);
  CHECK_EQ_STR(o.addr_text, "10.0.0.1");
  cn_resolve_override_cleanup(&o);
  CHECK(o.host == NULL);
}

TEST(parses_list_with_ipv6_brackets_and_plus) {
  struct cn_resolve_override o;
  CHECK_EQ_INT(
      cn_resolve_override_parse(&o, "+h:8080:[::1],127.0.0.1,,2001:db8::7"),
      CN_OK);
  CHECK(!o.permanent);
  CHECK_EQ_STR(o.host, "h");
  CHECK_EQ_INT(o.port, 8080);
  CHECK_EQ_INT(o.addrs->num, 3);
  CHECK_EQ_STR(addr(o.addrs, 0), "::1");
  CHECK_EQ_STR(addr(o.addrs, 1), "127.0.0.1");
  CHECK_EQ_STR(addr(o.addrs, 2), "2001:db8::7");
  CHECK_EQ_STR(o.addr_text, "[::1],127.0.0.1,,2001:db8::7");
  cn_resolve_override_cleanup(&o);
}

TEST(parses_bracketed_host_and_wildcard) {
  struct cn_resolve_override o;
  CHECK_EQ_INT(cn_resolve_override_parse(&o, "[::1]:80:127.0.0.2"), CN_OK);
  CHECK_EQ_STR(o.host, "::1");
  CHECK_EQ_INT(o.port, 80);
  cn_resolve_override_cleanup(&o);
  CHECK_EQ_INT(cn_resolve_override_parse(&o, "*:443:127.0.0.3"), CN_OK);
  CHECK_EQ_STR(o.host, "*");
  cn_resolve_override_cleanup(&o);
}

TEST(parses_removal) {
  struct cn_resolve_override o;
  CHECK_EQ_INT(cn_resolve_override_parse(&o, "-example.com:80"), CN_OK);
  CHECK_EQ_INT(o.kind, CN_RESOLVE_OVERRIDE_REMOVE);
  CHECK_EQ_STR(o.host, "example.com");
  CHECK_EQ_INT(o.port, 80);
  CHECK(o.addrs == NULL);
  cn_resolve_override_cleanup(&o);
}

TEST(rejects_malformed_lines) {
  static const char *const bad[] = {
      "",
      "example.com",
      "example.com:80",        /* no address part */
      "example.com:80:",       /* no address */
      "example.com:80:,,",     /* only empty items */
      "example.com::1.2.3.4",  /* no port */
      "example.com:x:1.2.3.4", /* port not a number */
      "example.com:65536:1.2.3.4",
      "example.com:80x:1.2.3.4", /* junk after the port */
      ":80:1.2.3.4",             /* no host */
      "h:80:[::1",               /* unclosed bracket */
      "h:80:[]",
      "h:80:not-an-ip",
      "h:80:1.2.3.4,example.org",
      "h:80:1.2.3.4.5",
      "[::1:80:1.2.3.4", /* unclosed host bracket */
      "-example.com",    /* removal without port */
      "-:80",            /* removal without host */
      "-h:99999",
      "-h:abc",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct cn_resolve_override o;
    int rv = cn_resolve_override_parse(&o, bad[i]);
    if (rv != CN_ERR_INVALID_ARGUMENT)
      fprintf(stderr, "accepted: '%s'\n", bad[i]);
    CHECK_EQ_INT(rv, CN_ERR_INVALID_ARGUMENT);
    CHECK(o.host == NULL && o.addrs == NULL);
    cn_resolve_override_cleanup(&o);
  }
  struct cn_resolve_override o;
  CHECK_EQ_INT(cn_resolve_override_parse(&o, "h:1:1.2.3.4,bogus"),
               CN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_STR(o.bad_addr, "bogus");
  cn_resolve_override_cleanup(&o);
  CHECK_EQ_INT(cn_resolve_override_parse(&o, NULL), CN_ERR_INVALID_ARGUMENT);
}

TEST(allocation_failures_are_errors) {
  const char *line = "+h:1:[::1],10.0.0.1";
  for (long n = 1; n < 50; n++) {
    struct cn_resolve_override o;
    cn_alloc_fail_nth(n);
    int rv = cn_resolve_override_parse(&o, line);
    cn_alloc_fail_nth(0);
    if (rv == CN_OK) {
      CHECK_EQ_INT(o.addrs->num, 2);
      cn_resolve_override_cleanup(&o);
      CHECK(n > 3); /* at least list, array, host and text were allocated */
      break;
    }
    CHECK_EQ_INT(rv, CN_ERR_OUT_OF_MEMORY);
    CHECK(o.host == NULL && o.addrs == NULL && o.addr_text == NULL);
  }
}

TEST_MAIN(parses_permanent_entry, parses_list_with_ipv6_brackets_and_plus,
          parses_bracketed_host_and_wildcard, parses_removal,
          rejects_malformed_lines, allocation_failures_are_errors)
