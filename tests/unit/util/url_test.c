/* url_test.c: the URL parser, resolver and serialiser against libcurl
 * 8.14's documented behaviour (cases mostly from curl's test 1560). */
#include "util/url.h"

#include <locale.h>

#include <stdlib.h>

#include "test.h"
#include "util/alloc.h"

/* roundtrip parses |in| and serialises it; returns the parse/serialise
 * result and leaves the string (or "") in |out|. */
static int roundtrip(const char *in, unsigned pflags, unsigned gflags,
                     char *out, size_t outlen) {
  struct cn_url u;
  cn_url_init(&u);
  out[0] = '\0';
  int rc = cn_url_parse(&u, in, pflags);
  if (rc == CN_URL_OK) {
    char *s = NULL;
    rc = cn_url_to_string(&u, gflags, &s);
    if (rc == CN_URL_OK) {
      snprintf(out, outlen, "%s", s);
      cn_free(s);
    }
  }
  cn_url_cleanup(&u);
  return rc;
}

#define CHECK_URL(in, pflags, gflags, want_rc, want)                           \
  do {                                                                         \
    char buf_[512];                                                            \
    int rc_ = roundtrip(in, pflags, gflags, buf_, sizeof(buf_));               \
    CHECK_EQ_INT(rc_, want_rc);                                                \
    if (rc_ == CN_URL_OK)                                                      \
      CHECK_EQ_STR(buf_, want);                                                \
  } while (0)

TEST(serialises_simple_urls) {
  CHECK_URL(
      "http://user:password@example.com:1234/path/html?query=name#anchor", 0, 0,
      CN_URL_OK,
      "http://user:password@example.com:1234/path/html?query=name#anchor");
  CHECK_URL("http://example.com/path/html?query=name", 0, 0, CN_URL_OK,
            "http://example.com/path/html?query=name");
  CHECK_URL("HTTP://test/", 0, 0, CN_URL_OK, "http://test/");
  CHECK_URL("https://example.com", 0, 0, CN_URL_OK, "https://example.com/");
  CHECK_URL("http://example.com//", 0, 0, CN_URL_OK, "http://example.com//");
  CHECK_URL("http://host/#a#b", 0, 0, CN_URL_OK, "http://host/#a#b");
  CHECK_URL("http://host/?a=&b=", 0, 0, CN_URL_OK, "http://host/?a=&b=");
  CHECK_URL("http://@example.com/", 0, 0, CN_URL_OK, "http://@example.com/");
  CHECK_URL("http://user:@example.com/", 0, 0, CN_URL_OK,
            "http://user:@example.com/");
  CHECK_URL("https://example.com./", 0, 0, CN_URL_OK, "https://example.com./");
  CHECK_URL("http://HO0_-st..~./", 0, 0, CN_URL_OK, "http://HO0_-st..~./");
}

TEST(splits_parts) {
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(cn_url_parse(&u, "https://user:pass@[::1]:8080/a/b?x=1#frag", 0),
               CN_URL_OK);
  CHECK_EQ_STR(u.scheme, "https");
  CHECK_EQ_STR(u.user, "user");
  CHECK_EQ_STR(u.password, "pass");
  CHECK(u.options == NULL);
  CHECK_EQ_STR(u.host, "::1");
  CHECK(u.host_is_ipv6);
  CHECK(u.has_port);
  CHECK_EQ_INT(u.port, 8080);
  CHECK_EQ_STR(cn_url_path(&u), "/a/b");
  CHECK_EQ_STR(u.query, "x=1");
  CHECK_EQ_STR(u.fragment, "frag");
  char *t = cn_url_request_target(&u);
  CHECK_EQ_STR(t, "/a/b?x=1");
  cn_free(t);
  char *a = cn_url_authority(&u, false);
  CHECK_EQ_STR(a, "[::1]:8080");
  cn_free(a);
  CHECK_EQ_INT(cn_url_effective_port(&u), 8080);

  CHECK_EQ_INT(cn_url_parse(&u, "http://example.com", 0), CN_URL_OK);
  CHECK(u.path == NULL);
  CHECK_EQ_STR(cn_url_path(&u), "/");
  CHECK(!u.has_port);
  CHECK_EQ_INT(cn_url_effective_port(&u), 80);
  a = cn_url_authority(&u, false);
  CHECK_EQ_STR(a, "example.com");
  cn_free(a);

  /* A failed parse leaves the previous contents alone. */
  CHECK_EQ_INT(cn_url_parse(&u, "http://exa mple.com", 0),
               CN_URL_ERR_MALFORMED_INPUT);
  CHECK_EQ_STR(u.host, "example.com");
  cn_url_cleanup(&u);
}

TEST(login_options_only_for_mail_schemes) {
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(cn_url_parse(&u, "imap://user:pass;option@server/path", 0),
               CN_URL_OK);
  CHECK_EQ_STR(u.user, "user");
  CHECK_EQ_STR(u.password, "pass");
  CHECK_EQ_STR(u.options, "option");
  CHECK_EQ_INT(cn_url_parse(&u, "imap://user;opt:pw@server/", 0), CN_URL_OK);
  CHECK_EQ_STR(u.user, "user");
  CHECK_EQ_STR(u.password, "pw");
  CHECK_EQ_STR(u.options, "opt");
  CHECK_EQ_INT(cn_url_parse(&u, "http://user:pass;option@server/path", 0),
               CN_URL_OK);
  CHECK_EQ_STR(u.password, "pass;option");
  CHECK(u.options == NULL);
  CHECK_EQ_INT(cn_url_parse(&u, "https://:@example.net", 0), CN_URL_OK);
  CHECK_EQ_STR(u.user, "");
  CHECK_EQ_STR(u.password, "");
  cn_url_cleanup(&u);
  CHECK_URL("imap://user:pass;word@host/file", 0, 0, CN_URL_OK,
            "imap://user:pass;word@host/file");
  CHECK_URL("http://hello:fool@example.com", CN_URL_DISALLOW_USER, 0,
            CN_URL_ERR_USER_NOT_ALLOWED, "");
  CHECK_URL("https://user@example.com", CN_URL_DISALLOW_USER, 0,
            CN_URL_ERR_USER_NOT_ALLOWED, "");
}

TEST(scheme_rules) {
  CHECK_URL("", 0, 0, CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL(" ", 0, 0, CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL("1h://example.net", 0, 0, CN_URL_ERR_BAD_SCHEME, "");
  CHECK_URL("-ht://example.net", 0, 0, CN_URL_ERR_BAD_SCHEME, "");
  CHECK_URL("example.com/path/html", 0, 0, CN_URL_ERR_BAD_SCHEME, "");
  CHECK_URL("tp://example.com/path/html", 0, 0, CN_URL_ERR_UNSUPPORTED_SCHEME,
            "");
  CHECK_URL("data:text/html;charset=utf-8;base64,PCFET0", 0, 0,
            CN_URL_ERR_UNSUPPORTED_SCHEME, "");
  CHECK_URL("tp://example.com/path/html", CN_URL_NON_SUPPORT_SCHEME, 0,
            CN_URL_OK, "tp://example.com/path/html");
  CHECK_URL("hej.hej://example.net", CN_URL_NON_SUPPORT_SCHEME, 0, CN_URL_OK,
            "hej.hej://example.net/");
  CHECK_URL("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA://hostname/path",
            CN_URL_NON_SUPPORT_SCHEME, 0, CN_URL_OK,
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa://hostname/path");
  CHECK_URL("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA://hostname/path",
            CN_URL_NON_SUPPORT_SCHEME, 0, CN_URL_ERR_BAD_SCHEME, "");
  CHECK_URL("http:////user:password@example.com:1234/path", 0, 0,
            CN_URL_ERR_BAD_SLASHES, "");
  CHECK_URL("http:/user:password@example.com:1234/path", 0, 0, CN_URL_OK,
            "http://user:password@example.com:1234/path");
  CHECK_URL("http:///user:password@example.com:1234/path", 0, 0, CN_URL_OK,
            "http://user:password@example.com:1234/path");
  CHECK_URL("custom-scheme://host?expected=test-good",
            CN_URL_NON_SUPPORT_SCHEME, 0, CN_URL_OK,
            "custom-scheme://host/?expected=test-good");
  CHECK_URL("custom-scheme://?expected=test-bad", CN_URL_NON_SUPPORT_SCHEME, 0,
            CN_URL_ERR_NO_HOST, "");
  CHECK_URL("custom-scheme://?expected=test-new-good",
            CN_URL_NON_SUPPORT_SCHEME | CN_URL_NO_AUTHORITY, 0, CN_URL_OK,
            "custom-scheme:///?expected=test-new-good");
}

TEST(default_and_guessed_scheme) {
  CHECK_URL("example.com/path/html", CN_URL_DEFAULT_SCHEME, 0, CN_URL_OK,
            "https://example.com/path/html");
  CHECK_URL("about:80", CN_URL_DEFAULT_SCHEME, 0, CN_URL_OK,
            "https://about:80/");
  CHECK_URL("smtp.example.com/path/html", CN_URL_GUESS_SCHEME, 0, CN_URL_OK,
            "smtp://smtp.example.com/path/html");
  CHECK_URL("ftp.example.com/path/html", CN_URL_GUESS_SCHEME, 0, CN_URL_OK,
            "ftp://ftp.example.com/path/html");
  CHECK_URL("https.example.com/path/html", CN_URL_GUESS_SCHEME, 0, CN_URL_OK,
            "http://https.example.com/path/html");
  CHECK_URL("imap/path/html", CN_URL_GUESS_SCHEME, 0, CN_URL_OK,
            "http://imap/path/html");
  CHECK_URL("example.com", CN_URL_GUESS_SCHEME, CN_URL_NO_GUESS_SCHEME,
            CN_URL_OK, "example.com/");
  CHECK_URL("[::1]", CN_URL_GUESS_SCHEME, 0, CN_URL_OK, "http://[::1]/");
  CHECK_URL("user:moo@ftp.example.com/color/#green?no-red", CN_URL_GUESS_SCHEME,
            0, CN_URL_OK, "ftp://user:moo@ftp.example.com/color/#green?no-red");
  /* Without a scheme a trailing colon is not a port. */
  CHECK_URL("boing:", CN_URL_GUESS_SCHEME, 0, CN_URL_ERR_BAD_PORT_NUMBER, "");
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(
      cn_url_parse(&u, "boing:80", CN_URL_DEFAULT_SCHEME | CN_URL_GUESS_SCHEME),
      CN_URL_OK);
  CHECK_EQ_STR(u.scheme, "https");
  CHECK(!u.guessed_scheme);
  CHECK_EQ_INT(u.port, 80);
  cn_url_cleanup(&u);
}

TEST(ports) {
  CHECK_URL("http://host:65536/", 0, 0, CN_URL_ERR_BAD_PORT_NUMBER, "");
  CHECK_URL("http://host:65535/", 0, 0, CN_URL_OK, "http://host:65535/");
  CHECK_URL("http://host:0/", 0, 0, CN_URL_OK, "http://host:0/");
  CHECK_URL("http://host:00080/", 0, 0, CN_URL_OK, "http://host:80/");
  CHECK_URL("https://example.com:-1#moo", 0, 0, CN_URL_ERR_BAD_PORT_NUMBER, "");
  CHECK_URL("http:/@example.com:123a/", 0, 0, CN_URL_ERR_BAD_PORT_NUMBER, "");
  CHECK_URL("https://example.com:000000000000000000000443/foo", 0,
            CN_URL_NO_DEFAULT_PORT, CN_URL_OK, "https://example.com/foo");
  CHECK_URL("https://example.com:000000000000000000000/foo", 0,
            CN_URL_NO_DEFAULT_PORT, CN_URL_OK, "https://example.com:0/foo");
  CHECK_URL("http://example.com:80", 0, CN_URL_NO_DEFAULT_PORT, CN_URL_OK,
            "http://example.com/");
  CHECK_URL("http://example.com:80", 0, 0, CN_URL_OK, "http://example.com:80/");
  CHECK_URL("http://example.com:/x", 0, 0, CN_URL_OK, "http://example.com/x");
  CHECK_URL("https://127.0.0.1", 0, CN_URL_DEFAULT_PORT, CN_URL_OK,
            "https://127.0.0.1:443/");
  CHECK_URL("ftp://127.0.0.1", 0, CN_URL_DEFAULT_PORT, CN_URL_OK,
            "ftp://127.0.0.1:21/");
  CHECK_URL("wss://127.0.0.1", 0, CN_URL_DEFAULT_PORT, CN_URL_OK,
            "wss://127.0.0.1:443/");
  CHECK_URL("https://fe80:8080::1/", 0, 0, CN_URL_ERR_BAD_PORT_NUMBER, "");
  CHECK_URL("https://::1/", 0, 0, CN_URL_ERR_BAD_PORT_NUMBER, "");
  CHECK_EQ_INT(cn_url_scheme_default_port("ws"), 80);
  CHECK_EQ_INT(cn_url_scheme_default_port("HTTPS"), 443);
  CHECK_EQ_INT(cn_url_scheme_default_port("pop3s"), 995);
  CHECK_EQ_INT(cn_url_scheme_default_port("nope"), -1);
}

TEST(ipv4_normalisation) {
  CHECK_URL("https://0x7f.1", 0, 0, CN_URL_OK, "https://127.0.0.1/");
  CHECK_URL("https://16843009", 0, 0, CN_URL_OK, "https://1.1.1.1/");
  CHECK_URL("https://0177.1", 0, 0, CN_URL_OK, "https://127.0.0.1/");
  CHECK_URL("https://0111.02.0x3", 0, 0, CN_URL_OK, "https://73.2.0.3/");
  CHECK_URL("https://0111.02.030", 0, 0, CN_URL_OK, "https://73.2.0.24/");
  CHECK_URL("https://0xff.0xff.0377.255", 0, 0, CN_URL_OK,
            "https://255.255.255.255/");
  CHECK_URL("https://1.0xffffff", 0, 0, CN_URL_OK, "https://1.255.255.255/");
  CHECK_URL("https://192.0x0000A80001", 0, 0, CN_URL_OK,
            "https://192.168.0.1/");
  CHECK_URL("https://0xffffffff", 0, 0, CN_URL_OK, "https://255.255.255.255/");
  CHECK_URL("https://0", 0, 0, CN_URL_OK, "https://0.0.0.0/");
  CHECK_URL("https://0.0x0/", 0, 0, CN_URL_OK, "https://0.0.0.0/");
  CHECK_URL("https://127.1", 0, 0, CN_URL_OK, "https://127.0.0.1/");
  CHECK_URL("0x7.1", CN_URL_GUESS_SCHEME, 0, CN_URL_OK, "http://7.0.0.1/");
  /* Overflows and syntax errors stay host names. */
  CHECK_URL("https://1.0x1000000", 0, 0, CN_URL_OK, "https://1.0x1000000/");
  CHECK_URL("https://4294967296", 0, 0, CN_URL_OK, "https://4294967296/");
  CHECK_URL("https://1.2.3.256", 0, 0, CN_URL_OK, "https://1.2.3.256/");
  CHECK_URL("https://1.2.3.4.5", 0, 0, CN_URL_OK, "https://1.2.3.4.5/");
  CHECK_URL("https://127.-0.0.1", 0, 0, CN_URL_OK, "https://127.-0.0.1/");
  CHECK_URL("https://a127.0.0.1", 0, 0, CN_URL_OK, "https://a127.0.0.1/");
  CHECK_URL("https://123host", 0, 0, CN_URL_OK, "https://123host/");
  CHECK_URL("https://0x.0x.0", 0, 0, CN_URL_OK, "https://0x.0x.0/");
  CHECK_URL("08", CN_URL_GUESS_SCHEME, 0, CN_URL_OK, "http://08/");
  CHECK_URL("0xg", CN_URL_GUESS_SCHEME, 0, CN_URL_OK, "http://0xg/");
  CHECK_URL("018.0.0.0", CN_URL_GUESS_SCHEME, 0, CN_URL_OK,
            "http://018.0.0.0/");
}

TEST(ipv6_hosts) {
  CHECK_URL("https://[fe80::0000:20c:29ff:fe9c:409b]:80/moo", 0, 0, CN_URL_OK,
            "https://[fe80::20c:29ff:fe9c:409b]:80/moo");
  CHECK_URL("https://[fe80:0:0:0:409b::]:80/moo", 0, 0, CN_URL_OK,
            "https://[fe80::409b:0:0:0]:80/moo");
  CHECK_URL("https://[FE80:0:A:0:409B:0:0:0]:80/moo", 0, 0, CN_URL_OK,
            "https://[fe80:0:a:0:409b::]:80/moo");
  CHECK_URL("https://[0:0:0:0:0:FFFF:129.144.52.38]:1234", 0, 0, CN_URL_OK,
            "https://[::ffff:129.144.52.38]:1234/");
  CHECK_URL("https://[0:0:0:0:0:0:0d01:4403]:1234", 0, 0, CN_URL_OK,
            "https://[::13.1.68.3]:1234/");
  CHECK_URL("https://[fe80::20c:29ff:fe9c:409b%eth0]:1234", 0, 0, CN_URL_OK,
            "https://[fe80::20c:29ff:fe9c:409b%25eth0]:1234/");
  CHECK_URL("https://[::%25fakeit]/moo", 0, 0, CN_URL_OK,
            "https://[::%25fakeit]/moo");
  CHECK_URL("https://[fe80::20c:29ff:fe9c:409b%]:1234", 0, 0,
            CN_URL_ERR_BAD_IPV6, "");
  /* "%25" alone: "25" is the zone id (libcurl's rule, curl test 1560). */
  CHECK_URL("https://[fe80::20c:29ff:fe9c:409b%25]:1234", 0, 0, CN_URL_OK,
            "https://[fe80::20c:29ff:fe9c:409b%2525]:1234/");
  CHECK_URL("https://[::%25fakeit];80/moo", 0, 0, CN_URL_ERR_BAD_PORT_NUMBER,
            "");
  CHECK_URL("https://[fe80::20c:29ff:fe9c:409b]-80/moo", 0, 0,
            CN_URL_ERR_BAD_PORT_NUMBER, "");
  CHECK_URL("http://[ab.be:1]/x", 0, 0, CN_URL_ERR_BAD_IPV6, "");
  CHECK_URL("http://[ab.be]/x", 0, 0, CN_URL_ERR_BAD_IPV6, "");
  CHECK_URL("http://[v1.fe80::abcd]/", 0, 0, CN_URL_ERR_BAD_IPV6, "");
  CHECK_URL("http://[::1", 0, 0, CN_URL_ERR_BAD_IPV6, "");
  CHECK_URL("https://[fe80::1]:0/foo", 0, 0, CN_URL_OK,
            "https://[fe80::1]:0/foo");
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(cn_url_parse(&u, "https://[::1%252]:1234", 0), CN_URL_OK);
  CHECK_EQ_STR(u.host, "::1");
  CHECK_EQ_STR(u.zoneid, "2");
  cn_url_cleanup(&u);
}

TEST(host_validation) {
  static const char *const bad[] = {
      "https://exam{}[]ple.net",
      "https://exam{ple.net",
      "https://exam]ple.net",
      "https://exam\\ple.net",
      "https://exam$ple.net",
      "https://exam'ple.net",
      "https://exam\"ple.net",
      "https://exam^ple.net",
      "https://exam`ple.net",
      "https://exam*ple.net",
      "https://exam<ple.net",
      "https://exam=ple.net",
      "https://exam;ple.net",
      "https://example,net",
      "https://example&net",
      "https://example+net",
      "https://example(net",
      "https://test%test",
      "http://example.com%40127.0.0.1/",
      "http://example.com%2F127.0.0.1/",
      "https://%20",
      "https://%41%0D",
      "https://%25",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char buf[256];
    int rc = roundtrip(bad[i], 0, 0, buf, sizeof(buf));
    if (rc != CN_URL_ERR_BAD_HOSTNAME)
      fprintf(stderr, "host %s: %d\n", bad[i], rc);
    CHECK_EQ_INT(rc, CN_URL_ERR_BAD_HOSTNAME);
  }
  CHECK_URL("http://HO0_-st%41/", 0, 0, CN_URL_OK, "http://HO0_-stA/");
  CHECK_URL("https://%41", 0, 0, CN_URL_OK, "https://A/");
  CHECK_URL("https://_%c0_", 0, 0, CN_URL_OK, "https://_\xC0_/");
  CHECK_URL("https://_%c0_", 0, CN_URL_URLENCODE, CN_URL_OK, "https://_%C0_/");
  CHECK_URL("http://a:b@/x", 0, 0, CN_URL_ERR_NO_HOST, "");
  CHECK_URL("http:///", 0, 0, CN_URL_ERR_NO_HOST, "");
  CHECK_URL("https://?q=1", 0, 0, CN_URL_ERR_NO_HOST, "");
  CHECK_URL("https://example.net/}", 0, 0, CN_URL_OK, "https://example.net/}");
  CHECK_EQ_INT(cn_url_check_hostname("[::1]", 5), CN_URL_OK);
  CHECK_EQ_INT(cn_url_check_hostname("[::g]", 5), CN_URL_ERR_BAD_IPV6);
  CHECK_EQ_INT(cn_url_check_hostname("a b", 3), CN_URL_ERR_BAD_HOSTNAME);
  CHECK_EQ_INT(cn_url_check_hostname("", 0), CN_URL_ERR_NO_HOST);
}

TEST(junk_and_spaces) {
  CHECK_URL("http://host/file\r", 0, 0, CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL("http://host/path/?\001#\002", CN_URL_URLENCODE, 0,
            CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL("http://host/path\x7fwith space/", CN_URL_URLENCODE, 0,
            CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL(" http://host/file", 0, 0, CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL("https://user:password@example.net/get?this=and what", 0, 0,
            CN_URL_ERR_MALFORMED_INPUT, "");
  CHECK_URL("https://user:password@example.net/get?this=and what",
            CN_URL_ALLOW_SPACE, 0, CN_URL_OK,
            "https://user:password@example.net/get?this=and what");
  CHECK_URL("https://user:password@example.net/ge t?this=and-what",
            CN_URL_ALLOW_SPACE | CN_URL_URLENCODE, 0, CN_URL_OK,
            "https://user:password@example.net/ge%20t?this=and-what");
  CHECK_URL("https://user@example.net?hello# space ",
            CN_URL_ALLOW_SPACE | CN_URL_URLENCODE, 0, CN_URL_OK,
            "https://user@example.net/?hello#%20space%20");
  CHECK_URL("https://user@example.net?he l lo",
            CN_URL_ALLOW_SPACE | CN_URL_URLENCODE, 0, CN_URL_OK,
            "https://user@example.net/?he+l+lo");
  CHECK_URL("https://example.com/r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s",
            CN_URL_URLENCODE, 0, CN_URL_OK,
            "https://example.com/r%c3%a4ksm%c3%b6rg%c3%a5s");
  CHECK_URL("https:// example.com?check", CN_URL_DEFAULT_SCHEME, 0,
            CN_URL_ERR_MALFORMED_INPUT, "");
}

TEST(query_and_fragment_presence) {
  CHECK_URL("http://user@example.com?#", 0, 0, CN_URL_OK,
            "http://user@example.com/");
  CHECK_URL("http://user@example.com?#", 0, CN_URL_GET_EMPTY, CN_URL_OK,
            "http://user@example.com/?#");
  CHECK_URL("http://user@example.com#anchor", 0, 0, CN_URL_OK,
            "http://user@example.com/#anchor");
  CHECK_URL("https://example.com/color/#green?no-red", 0, 0, CN_URL_OK,
            "https://example.com/color/#green?no-red");
  CHECK_URL("https://example.#com/color/?green#no-red", 0, 0, CN_URL_OK,
            "https://example./#com/color/?green#no-red");
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(cn_url_parse(&u, "http://host/path?#", 0), CN_URL_OK);
  CHECK(u.query_present);
  CHECK_EQ_STR(u.query, "");
  CHECK(u.fragment_present);
  CHECK(u.fragment == NULL);
  char *t = cn_url_request_target(&u);
  CHECK_EQ_STR(t, "/path");
  cn_free(t);
  cn_url_cleanup(&u);
}

TEST(dot_segments) {
  CHECK_URL("http://example.com/hello/../here", 0, 0, CN_URL_OK,
            "http://example.com/here");
  CHECK_URL("http://example.com/hello/../here", CN_URL_PATH_AS_IS, 0, CN_URL_OK,
            "http://example.com/hello/../here");
  CHECK_URL("http://host/path%2f..%2f/", 0, 0, CN_URL_OK,
            "http://host/path%2f..%2f/");
  CHECK_URL("http://host/a/b/c/./../../g", 0, 0, CN_URL_OK, "http://host/a/g");
  CHECK_URL("http://host/a/%2e%2E/b", 0, 0, CN_URL_OK, "http://host/b");
  CHECK_URL("http://host/a/.%2e", 0, 0, CN_URL_OK, "http://host/");
  CHECK_URL("http://host/../../x", 0, 0, CN_URL_OK, "http://host/x");
  CHECK_URL("http://host/a/.", 0, 0, CN_URL_OK, "http://host/a/");
  CHECK_URL("http://host/a/..?q", 0, 0, CN_URL_OK, "http://host/?q");
  CHECK_URL("http://host/a/.hidden/..x", 0, 0, CN_URL_OK,
            "http://host/a/.hidden/..x");
}

TEST(file_urls) {
  CHECK_URL("file:///file.txt#moo", 0, 0, CN_URL_OK, "file:///file.txt#moo");
  CHECK_URL("file:////file.txt", 0, 0, CN_URL_OK, "file:////file.txt");
  CHECK_URL("file:///", 0, 0, CN_URL_OK, "file:///");
  CHECK_URL("file:///.", 0, 0, CN_URL_OK, "file:///");
  CHECK_URL("file:/hello.html", 0, 0, CN_URL_OK, "file:///hello.html");
  CHECK_URL("file://127.0.0.1/hello.html", 0, 0, CN_URL_OK,
            "file:///hello.html");
  CHECK_URL("file://localhost/x?q#f", 0, 0, CN_URL_OK, "file:///x?q#f");
  CHECK_URL("file:/", 0, 0, CN_URL_ERR_BAD_FILE_URL, "");
  CHECK_URL("file://hello.html", 0, 0, CN_URL_ERR_BAD_FILE_URL, "");
  CHECK_URL("file://host.example.com/Share/path/to/file.txt", 0, 0,
            CN_URL_ERR_BAD_FILE_URL, "");
  CHECK_URL("file:///c:/windows", 0, 0, CN_URL_ERR_BAD_FILE_URL, "");
  /* libcurl takes what follows "file:" as the path, relative or not. */
  CHECK_URL("file:foo", 0, 0, CN_URL_OK, "file://foo");
  CHECK_URL("file:./", 0, 0, CN_URL_OK, "file://");
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(cn_url_parse(&u, "file:///hello.html", 0), CN_URL_OK);
  CHECK(u.host == NULL);
  cn_url_cleanup(&u);
}

/* resolve_str applies |rel| to |base| and serialises with GET_EMPTY as
 * curl's test 1560 does. */
static int resolve_str(const char *base, const char *rel, unsigned flags,
                       char *out, size_t outlen) {
  struct cn_url b, r;
  cn_url_init(&b);
  cn_url_init(&r);
  out[0] = '\0';
  int rc = cn_url_parse(&b, base, 0);
  if (rc == CN_URL_OK)
    rc = cn_url_resolve(&r, &b, rel, flags);
  if (rc == CN_URL_OK) {
    char *s;
    rc = cn_url_to_string(&r, CN_URL_GET_EMPTY, &s);
    if (rc == CN_URL_OK) {
      snprintf(out, outlen, "%s", s);
      cn_free(s);
    }
  }
  cn_url_cleanup(&b);
  cn_url_cleanup(&r);
  return rc;
}

#define CHECK_RESOLVE(base, rel, flags, want)                                  \
  do {                                                                         \
    char buf_[512];                                                            \
    CHECK_EQ_INT(resolve_str(base, rel, flags, buf_, sizeof(buf_)),            \
                 CN_URL_OK);                                                   \
    CHECK_EQ_STR(buf_, want);                                                  \
  } while (0)

TEST(resolves_relative_references) {
  CHECK_RESOLVE("http://firstplace.example.com/want/1314",
                "//somewhere.example.com/reply/1314", 0,
                "http://somewhere.example.com/reply/1314");
  CHECK_RESOLVE("https://example.org/static/favicon/wikipedia.ico",
                "//fake.example.com/licenses/by-sa/3.0/", 0,
                "https://fake.example.com/licenses/by-sa/3.0/");
  CHECK_RESOLVE(
      "http://127.0.0.1:46383/want?uri=http://anything/276?secondq/276",
      "data/2760002.txt?coolsite=http://anotherurl/?a_second/2760002", 0,
      "http://127.0.0.1:46383/"
      "data/2760002.txt?coolsite=http://anotherurl/?a_second/2760002");
  CHECK_RESOLVE("http://example.org#without/ash", "/moo#frag", 0,
                "http://example.org/moo#frag");
  CHECK_RESOLVE("http://example.org/", "../path/././../././../moo", 0,
                "http://example.org/moo");
  CHECK_RESOLVE("http://example.org/", ".%2e/path/././../%2E/./../moo", 0,
                "http://example.org/moo");
  CHECK_RESOLVE("http://example.org?bar/moo", "?weird", 0,
                "http://example.org/?weird");
  CHECK_RESOLVE("http://example.org/foo?bar", "?weird", 0,
                "http://example.org/foo?weird");
  CHECK_RESOLVE("http://example.org/#original", "?weird#moo", 0,
                "http://example.org/?weird#moo");
  CHECK_RESOLVE("http://example.org?bar/moo#yes/path", "#new/slash", 0,
                "http://example.org/?bar/moo#new/slash");
  CHECK_RESOLVE("http://example.org/foo?bar#original", "#weird", 0,
                "http://example.org/foo?bar#weird");
  CHECK_RESOLVE("http://example.org/foo?bar", "moo?hey#weird", 0,
                "http://example.org/moo?hey#weird");
  CHECK_RESOLVE("http://example.org/", "//example.org/../path/../../", 0,
                "http://example.org/");
  CHECK_RESOLVE("http://example.org/", "///example.org/../path/../../", 0,
                "http://example.org/");
  CHECK_RESOLVE("http://example.org/foo/bar", ":23", 0,
                "http://example.org/foo/:23");
  CHECK_RESOLVE("http://example.org/foo/bar", "\\x", 0,
                "http://example.org/foo/\\x");
  CHECK_RESOLVE("http://example.org/foo/bar", "#/", 0,
                "http://example.org/foo/bar#/");
  CHECK_RESOLVE("http://example.org/foo/bar", "?", 0,
                "http://example.org/foo/bar?");
  CHECK_RESOLVE("http://example.org/foo/bar", "#", 0,
                "http://example.org/foo/bar#");
  CHECK_RESOLVE("http://host/path?#", "sub", 0, "http://host/sub");
  CHECK_RESOLVE("http://user:foo@example.com/path?query#frag", "../../newpage",
                0, "http://user:foo@example.com/newpage");
  CHECK_RESOLVE("http://example.com/path?query#frag",
                "https://two.example.com/bradnew", 0,
                "https://two.example.com/bradnew");
  CHECK_RESOLVE("file://localhost/path?query#frag", "foo#another", 0,
                "file:///foo#another");
  CHECK_RESOLVE("file:///basic?hello", "?q", 0, "file:///basic?q");
  CHECK_RESOLVE("http://local.test?redirect=http://local.test:80?-321",
                "http://local.test:80?-123", 0, "http://local.test:80/?-123");
  CHECK_RESOLVE("http://example.com/path?query#frag", "", 0,
                "http://example.com/path?query#frag");
  /* Spaces in a relative reference are encoded even without ALLOW_SPACE. */
  CHECK_RESOLVE("http://example.com/dir/file", "new page?a b", 0,
                "http://example.com/dir/new%20page?a+b");
  CHECK_RESOLVE("http://example.com/a/b",
                "http://example.net/there/it/is/../../tes t case=/2?x y",
                CN_URL_URLENCODE | CN_URL_ALLOW_SPACE,
                "http://example.net/there/tes%20t%20case=/2?x+y");
  CHECK_RESOLVE("http://user:foo@example.com/path?query#frag", "http://?hi",
                CN_URL_NO_AUTHORITY, "http:///?hi");

  /* In place, as lib/url_request follows a redirect. */
  struct cn_url u;
  cn_url_init(&u);
  CHECK_EQ_INT(cn_url_parse(&u, "http://example.com/a/b?c", 0), CN_URL_OK);
  CHECK_EQ_INT(cn_url_resolve(&u, &u, "d/../e", 0), CN_URL_OK);
  char *s = NULL;
  CHECK_EQ_INT(cn_url_to_string(&u, 0, &s), CN_URL_OK);
  CHECK_EQ_STR(s, "http://example.com/a/e");
  cn_free(s);
  /* An unsupported scheme in Location is an error, the URL stays. */
  CHECK_EQ_INT(cn_url_resolve(&u, &u, "foo://bar/", 0),
               CN_URL_ERR_UNSUPPORTED_SCHEME);
  CHECK_EQ_STR(u.path, "/a/e");
  cn_url_cleanup(&u);

  /* A base that cannot be serialised makes the reference stand alone. */
  cn_url_init(&u);
  struct cn_url r;
  cn_url_init(&r);
  CHECK_EQ_INT(cn_url_resolve(&r, &u, "/relative", 0), CN_URL_ERR_BAD_SCHEME);
  CHECK_EQ_INT(cn_url_resolve(&r, &u, "", 0), CN_URL_ERR_MALFORMED_INPUT);
  cn_url_cleanup(&r);
}

TEST(serialise_options) {
  struct cn_url u;
  cn_url_init(&u);
  char *s = NULL;
  CHECK_EQ_INT(cn_url_to_string(&u, 0, &s), CN_URL_ERR_NO_HOST);
  CHECK_EQ_INT(cn_url_parse(&u, "imap://user:secret;optit@host/", 0),
               CN_URL_OK);
  cn_free(u.scheme);
  u.scheme = cn_strdup("https");
  /* https has no login options: they are not printed. */
  CHECK_EQ_INT(cn_url_to_string(&u, 0, &s), CN_URL_OK);
  CHECK_EQ_STR(s, "https://user:secret@host/");
  cn_free(s);
  cn_free(u.scheme);
  u.scheme = NULL;
  CHECK_EQ_INT(cn_url_to_string(&u, 0, &s), CN_URL_ERR_NO_SCHEME);
  /* The default scheme (https) has no login options either. */
  CHECK_EQ_INT(cn_url_to_string(&u, CN_URL_DEFAULT_SCHEME, &s), CN_URL_OK);
  CHECK_EQ_STR(s, "https://user:secret@host/");
  cn_free(s);
  cn_url_cleanup(&u);

  /* IDN hosts are read in the locale's charset, as with libidn2. */
  setlocale(LC_CTYPE, "C.UTF-8");
  CHECK_URL("https://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se/p?q#f", 0,
            CN_URL_PUNYCODE, CN_URL_OK,
            "https://xn--rksmrgs-5wao1o.se/p?q#f");
  CHECK_URL("https://xn--rksmrgs-5wao1o.se", 0, CN_URL_PUNY2IDN, CN_URL_OK,
            "https://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se/");
  /* URLENCODE wins over both; PUNYCODE wins over PUNY2IDN. */
  CHECK_URL("https://\xc3\xa5.se", 0, CN_URL_URLENCODE | CN_URL_PUNYCODE,
            CN_URL_OK, "https://%C3%A5.se/");
  CHECK_URL("https://xn--5ca.se", 0, CN_URL_PUNYCODE | CN_URL_PUNY2IDN,
            CN_URL_OK, "https://xn--5ca.se/");
  CHECK_URL("https://-\xc3\xa5.se", 0, CN_URL_PUNYCODE,
            CN_URL_ERR_BAD_HOSTNAME, "");
  CHECK_URL("https://xn--zz.se", 0, CN_URL_PUNY2IDN, CN_URL_ERR_BAD_HOSTNAME,
            "");
  CHECK_URL("https://[::1]:8080", 0, CN_URL_PUNY2IDN, CN_URL_OK,
            "https://[::1]:8080/");
  setlocale(LC_CTYPE, "C");
  CHECK_URL("https://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se", 0,
            CN_URL_PUNYCODE, CN_URL_ERR_BAD_HOSTNAME, "");
  CHECK_URL("https://example.se", 0, CN_URL_PUNYCODE | CN_URL_PUNY2IDN,
            CN_URL_OK, "https://example.se/");
}

TEST(escape_helpers) {
  char *e = cn_url_escape("a b/~_.-\xff", 9);
  CHECK_EQ_STR(e, "a%20b%2F~_.-%FF");
  cn_free(e);
  char *d = NULL;
  size_t dl = 0;
  CHECK_EQ_INT(
      cn_url_unescape("a%20b%2f%zz%4", 13, CN_URL_UNESCAPE_ALLOW_ALL, &d, &dl),
      CN_URL_OK);
  CHECK_EQ_STR(d, "a b/%zz%4");
  CHECK_EQ_INT(dl, 9);
  cn_free(d);
  CHECK_EQ_INT(cn_url_unescape("%00", 3, CN_URL_UNESCAPE_ALLOW_ALL, &d, &dl),
               CN_URL_OK);
  CHECK_EQ_INT(dl, 1);
  CHECK(d[0] == '\0');
  cn_free(d);
  d = NULL;
  CHECK_EQ_INT(cn_url_unescape("%0a", 3, CN_URL_UNESCAPE_REJECT_CTRL, &d, &dl),
               CN_URL_ERR_URLDECODE);
  CHECK(d == NULL);
  CHECK_EQ_INT(cn_url_unescape("%00", 3, CN_URL_UNESCAPE_REJECT_ZERO, &d, &dl),
               CN_URL_ERR_URLDECODE);
}

TEST(copy_is_deep) {
  struct cn_url a, b;
  cn_url_init(&a);
  cn_url_init(&b);
  CHECK_EQ_INT(cn_url_parse(&a, "http://u:p@[fe80::1%25eth0]:80/p?q#f", 0),
               CN_URL_OK);
  CHECK_EQ_INT(cn_url_copy(&b, &a), CN_URL_OK);
  CHECK(b.host != a.host);
  cn_url_cleanup(&a);
  char *s = NULL;
  CHECK_EQ_INT(cn_url_to_string(&b, 0, &s), CN_URL_OK);
  CHECK_EQ_STR(s, "http://u:p@[fe80::1%25eth0]:80/p?q#f");
  cn_free(s);
  cn_url_cleanup(&b);
}

/* Every allocation failure must surface as an error and leak nothing; the
 * count is checked by running under the leak checker in CI (ASan). */
TEST(allocation_failures_are_errors) {
  for (long n = 1; n < 60; n++) {
    struct cn_url a, b;
    cn_url_init(&a);
    cn_url_init(&b);
    cn_alloc_fail_nth(n);
    int rc = cn_url_parse(&a, "http://u:p@[fe80::1%25eth0]:80/a/../p?q#f", 0);
    if (rc == CN_URL_OK)
      rc = cn_url_resolve(&b, &a, "../x y?z#w", 0);
    if (rc == CN_URL_OK) {
      char *s = NULL;
      rc = cn_url_to_string(&b, 0, &s);
      if (rc == CN_URL_OK)
        CHECK_EQ_STR(s, "http://u:p@[fe80::1%25eth0]:80/x%20y?z#w");
      cn_free(s);
    } else {
      if (rc != CN_URL_ERR_OUT_OF_MEMORY)
        fprintf(stderr, "n=%ld rc=%d\n", n, rc);
      CHECK(rc == CN_URL_ERR_OUT_OF_MEMORY);
    }
    cn_alloc_fail_nth(0);
    cn_url_cleanup(&a);
    cn_url_cleanup(&b);
  }
}

TEST_MAIN(serialises_simple_urls, splits_parts,
          login_options_only_for_mail_schemes, scheme_rules,
          default_and_guessed_scheme, ports, ipv4_normalisation, ipv6_hosts,
          host_validation, junk_and_spaces, query_and_fragment_presence,
          dot_segments, file_urls, resolves_relative_references,
          serialise_options, escape_helpers, copy_is_deep,
          allocation_failures_are_errors)
