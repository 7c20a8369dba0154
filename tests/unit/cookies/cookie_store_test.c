/* cookie_store_test.c: curl's own cookie test cases (tests/data/testNNN of
 * curl 8.14) replayed against the store: the same Set-Cookie headers and
 * cookie files for the same requests must give the same Cookie headers and
 * the same cookie jars. */
#include <stdbool.h>

#include "test.h"
#include "cookies/cookie_test_util.h"
#include "cookies/cookie_engine.h"

static const struct req test31_req = {"http", "test31.curl", "/we/want/31",
                                      NULL};

/* test 31: weirdly formatted cookies, jar contents. */
TEST(curl_test_31_weird_cookies_jar) {
  struct cn_cookie_store *s = new_store();
  RESPOND(s, &test31_req, " blankdomain=sure; domain=; path=/",
          " foobar=name; domain=anything.com; path=/ ; secure",
          "ismatch=this  ; domain=test31.curl; path=/silly/",
          "ISMATCH=this  ; domain=test31.curl; path=/silly/",
          " overwrite=this  ; domain=test31.curl; path=/overwrite/",
          " overwrite=this2  ; domain=test31.curl; path=/overwrite",
          " sec1value=secure1  ; domain=test31.curl; path=/secure1/ ; secure",
          " sec2value=secure2  ; domain=test31.curl; path=/secure2/ ; secure=",
          " sec3value=secure3  ; domain=test31.curl; path=/secure3/ ; secure=",
          " sec4value=secure4  ; secure=; domain=test31.curl; path=/secure4/ ; ",
          " sec5value=secure5  ; secure; domain=test31.curl; path=/secure5/ ; ",
          " sec6value=secure6  ; secure ; domain=test31.curl; path=/secure6/ ; ",
          " sec7value=secure7  ; secure   ; domain=test31.curl; path=/secure7/ ; ",
          " sec8value=secure8  ; secure= ; domain=test31.curl; path=/secure8/ ; ",
          " secure=very1  ; secure=; domain=test31.curl; path=/secure9/; ",
          " httpo1=value1  ; domain=test31.curl; path=/p1/; httponly",
          " httpo2=value2  ; domain=test31.curl; path=/p2/; httponly=",
          " httpo3=value3  ; httponly; domain=test31.curl; path=/p3/;",
          " httpo4=value4  ; httponly=; domain=test31.curl; path=/p4/; ",
          " httponly=myvalue1  ; domain=test31.curl; path=/p4/; httponly",
          " httpandsec=myvalue2  ; domain=test31.curl; path=/p4/; httponly; secure",
          " httpandsec2=myvalue3; domain=test31.curl; path=/p4/; httponly=; secure",
          " httpandsec3=myvalue4  ; domain=test31.curl; path=/p4/; httponly; secure=",
          " httpandsec4=myvalue5  ; domain=test31.curl; path=/p4/; httponly=; secure=",
          " httpandsec5=myvalue6  ; domain=test31.curl; path=/p4/; secure; httponly=",
          " httpandsec6=myvalue7  ; domain=test31.curl; path=/p4/; secure=; httponly=",
          " httpandsec7=myvalue8  ; domain=test31.curl; path=/p4/; secure; httponly",
          " httpandsec8=myvalue9; domain=test31.curl; path=/p4/; secure=; httponly",
          " partmatch=present; domain=test31.curl ; path=/;",
          "eat=this; domain=moo.foo.moo;", " eat=this-too; domain=.foo.moo;",
          " nodomainnovalue",
          "   nodomain=value; expires=Fri Feb 13 11:56:27 GMT 2037",
          " novalue; domain=reallysilly",
          " test=yes; domain=foo.com; expires=Sat Feb 2 11:56:27 GMT 2030",
          " test2=yes; domain=se; expires=Sat Feb 2 11:56:27 GMT 2030",
          " magic=yessir; path=/silly/; HttpOnly",
          " blexp=yesyes; domain=test31.curl; domain=test31.curl; expiry=totally bad;",
          " partialip=nono; domain=.0.0.1;",
          " withspaces=  yes  within and around    ;",
          " withspaces2 =before equals;", " prespace=  yes before;",
          " securewithspace=after    ; secure =",
          " \xc3\x82\xc2\xb3\xc3\x83\\x92\xc3\x83\\x9a\xc3\x83\\x8d\xc3\x83"
          "\\x97=%96%A6g%9Ay%B0%A5g%A7tm%7C%95%9A");
  char expected[4096];
  snprintf(
      expected, sizeof(expected),
      "test31.curl\tFALSE\t/we/want/\tFALSE\t0\t\xc3\x82\xc2\xb3\xc3\x83"
      "\\x92\xc3\x83\\x9a\xc3\x83\\x8d\xc3\x83\\x97\t%%96%%A6g%%9Ay%%B0%%A5g"
      "%%A7tm%%7C%%95%%9A\n"
      "test31.curl\tFALSE\t/we/want/\tFALSE\t0\tprespace\tyes before\n"
      "test31.curl\tFALSE\t/we/want/\tFALSE\t0\twithspaces2\tbefore equals\n"
      "test31.curl\tFALSE\t/we/want/\tFALSE\t0\twithspaces\tyes  within and "
      "around\n"
      ".test31.curl\tTRUE\t/we/want/\tFALSE\t0\tblexp\tyesyes\n"
      "#HttpOnly_test31.curl\tFALSE\t/silly/\tFALSE\t0\tmagic\tyessir\n"
      "test31.curl\tFALSE\t/we/want/\tFALSE\t%" PRId64 "\tnodomain\tvalue\n"
      ".test31.curl\tTRUE\t/\tFALSE\t0\tpartmatch\tpresent\n"
      "#HttpOnly_.test31.curl\tTRUE\t/p4/\tFALSE\t0\thttponly\tmyvalue1\n"
      "#HttpOnly_.test31.curl\tTRUE\t/p4/\tFALSE\t0\thttpo4\tvalue4\n"
      "#HttpOnly_.test31.curl\tTRUE\t/p3/\tFALSE\t0\thttpo3\tvalue3\n"
      "#HttpOnly_.test31.curl\tTRUE\t/p2/\tFALSE\t0\thttpo2\tvalue2\n"
      "#HttpOnly_.test31.curl\tTRUE\t/p1/\tFALSE\t0\thttpo1\tvalue1\n"
      ".test31.curl\tTRUE\t/overwrite\tFALSE\t0\toverwrite\tthis2\n"
      ".test31.curl\tTRUE\t/silly/\tFALSE\t0\tISMATCH\tthis\n"
      ".test31.curl\tTRUE\t/silly/\tFALSE\t0\tismatch\tthis\n"
      "test31.curl\tFALSE\t/\tFALSE\t0\tblankdomain\tsure\n",
      days_400());
  CHECK_JAR(s, expected);
  cn_cookie_store_free(s);
}

/* test 8: "Set-Cookie:" lines read from a cookie file, sent to 127.0.0.1:
 * control bytes drop cookies, a trailing TAB is trimmed, order by path,
 * domain and name length. */
TEST(curl_test_8_header_lines_from_file) {
  const char *path = tmp_path("heads8.txt");
  char text[8192];
  int n = snprintf(
      text, sizeof(text),
      "HTTP/1.1 200 OK\nDate: Tue, 09 Nov 2010 14:49:00 GMT\n"
      "Server: test-server/fake\nContent-Type: text/html\n"
      "Funny-head: yesyes\n"
      "Set-Cookie: foobar=name; domain=127.0.0.1; path=/;\n"
      "Set-Cookie: mismatch=this; domain=127.0.0.1; path=\"/silly/\";\n"
      "Set-Cookie: partmatch=present; domain=.0.0.1; path=/w;\n"
      "Set-Cookie: duplicate=test; domain=.0.0.1; domain=.0.0.1; "
      "path=/donkey;\n"
      "Set-Cookie: cookie=yes; path=/we;\n"
      "Set-Cookie: cookie=perhaps; path=/we/want;\n"
      "Set-Cookie: name with space=is weird but; path=/we/want;\n"
      "Set-Cookie: trailingspace    = removed; path=/we/want;\n"
      "Set-Cookie: nocookie=yes; path=/WE;\n"
      "Set-Cookie: blexp=yesyes; domain=127.0.0.1; domain=127.0.0.1; "
      "expiry=totally bad;\n"
      "Set-Cookie: partialip=nono; domain=.0.0.1;\n");
  static const int junk[] = {1,  2,  3,  4,  5,  6,  7,  8,  11, 12,
                             14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                             24, 25, 26, 27, 28, 29, 30, 31};
  for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
    n += snprintf(text + n, sizeof(text) - (size_t)n,
                  "Set-Cookie: cookie%d=%c-junk\n", junk[i], junk[i]);
  n += snprintf(text + n, sizeof(text) - (size_t)n,
                "Set-Cookie: cookie9=junk--\t\n"
                "Set-Cookie: cookie31=\x7f-junk\n\n");
  write_file(path, text);
  struct cn_cookie_store *s = new_store();
  CHECK_EQ_INT(cn_cookie_file_load(s, path, false, NULL), CN_OK);
  const struct req r = {"http", "127.0.0.1", "/we/want/8", NULL};
  CHECK_EQ_STR(cookie_header(s, &r, NULL),
               "name with space=is weird but; trailingspace=removed; "
               "cookie=perhaps; cookie=yes; foobar=name; blexp=yesyes; "
               "cookie9=junk--");
  cn_cookie_store_free(s);
}

/* test 61: custom Host header names the cookie host; secure cookies over
 * http, bad tailmatch and ".com" are dropped. */
TEST(curl_test_61_custom_host_jar) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/we/want/61",
                        "www.host.foo.com"};
  RESPOND(s, &r,
          " test=yes; httponly; domain=foo.com; expires=Fri Feb 13 11:56:27 "
          "GMT 2037",
          " test2=yes; domain=host.foo.com; expires=Fri Feb 13 11:56:27 GMT "
          "2037",
          " test3=maybe; domain=foo.com; path=/moo; secure",
          " test4=no; domain=nope.foo.com; path=/moo; secure",
          " test5=name; domain=anything.com; path=/ ; secure",
          " fake=fooledyou; domain=..com; path=/;",
          " supercookie=fooledyou; domain=.com; path=/;");
  char expected[512];
  snprintf(expected, sizeof(expected),
           ".host.foo.com\tTRUE\t/we/want/\tFALSE\t%" PRId64 "\ttest2\tyes\n"
           "#HttpOnly_.foo.com\tTRUE\t/we/want/\tFALSE\t%" PRId64
           "\ttest\tyes\n",
           days_400(), days_400());
  CHECK_JAR(s, expected);
  cn_cookie_store_free(s);
}

/* test 62: Netscape file, two requests (the query is not part of the
 * path), secure and other-domain cookies not sent. */
TEST(curl_test_62_netscape_file_send) {
  const char *path = tmp_path("jar62.txt");
  write_file(path,
             "# Netscape HTTP Cookie File\n"
             "# https://curl.se/docs/http-cookies.html\n"
             "# This file was generated by libcurl! Edit at your own risk.\n"
             "\n"
             "#HttpOnly_.foo.com\tTRUE\t/we/want/\tFALSE\t22147483647\ttest\t"
             "yes\n"
             ".host.foo.com\tTRUE\t/we/want/\tFALSE\t22147483647\ttest2\tyes\n"
             ".fake.host.foo.com\tTRUE\t/we/want/\tFALSE\t22147483647\ttest4"
             "\tyes\n"
             "\n"
             ".foo.com\tTRUE\t/moo\tTRUE\t0\ttest3\tmaybe\n");
  struct cn_cookie_store *s = new_store();
  CHECK_EQ_INT(cn_cookie_file_load(s, path, false, NULL), CN_OK);
  CHECK_EQ_INT(cn_cookie_store_count(s), 4);
  const struct req r = {"http", "127.0.0.1", "/we/want/62",
                        "www.host.foo.com"};
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "test2=yes; test=yes");
  cn_cookie_store_free(s);
}

/* test 1105: TABs drop cookies; a quoted path is kept as written; the
 * default path comes from the URL path without the query. */
TEST(curl_test_1105_tabs_and_quoted_path) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/we/want/1105", NULL};
  RESPOND(s, &r, " foobar=name;",
          " mismatch=this; domain=127.0.0.1; path=\"/silly/\";",
          " partmatch=present; domain=.0.0.1; path=/;", " foo\tbar=barfoo",
          " bar\tfoo=", " bar=foo\tbar");
  CHECK_JAR(s, "127.0.0.1\tFALSE\t\"/silly/\"\tFALSE\t0\tmismatch\tthis\n"
               "127.0.0.1\tFALSE\t/we/want/\tFALSE\t0\tfoobar\tname\n");
  cn_cookie_store_free(s);
}

/* test 1136 (and the brief's co.uk): public suffixes through libpsl. */
TEST(curl_test_1136_public_suffix_list) {
  struct cn_cookie_store *s = new_store();
  static const char *const hosts[] = {"www.example.ck", "www.ck",
                                      "z-1.compute-1.amazonaws.com"};
  for (int i = 0; i < 3; i++) {
    const struct req r = {"http", hosts[i], "/1136", NULL};
    RESPOND(s, &r, " test1=forbidden1; domain=example.ck; path=/;",
            " test2=allowed2; domain=www.example.ck; path=/;",
            " test3=forbidden3; domain=ck; path=/;",
            " test4=allowed4; domain=www.ck; path=/;",
            " test5=forbidden5; domain=z-1.compute-1.amazonaws.com; path=/;");
  }
  CHECK_JAR(s, ".z-1.compute-1.amazonaws.com\tTRUE\t/\tFALSE\t0\ttest5\t"
               "forbidden5\n"
               ".www.ck\tTRUE\t/\tFALSE\t0\ttest4\tallowed4\n"
               ".www.example.ck\tTRUE\t/\tFALSE\t0\ttest2\tallowed2\n");
  cn_cookie_store_free(s);
}

TEST(psl_co_uk) {
  struct cn_cookie_store *s = new_store();
  struct cn_cookie_origin o;
  enum cn_cookie_status st;
  CHECK_EQ_INT(cn_cookie_origin_init(&o, "https", "www.example.co.uk", "/",
                                     NULL, false, NULL, NULL, NULL),
               CN_OK);
  cn_cookie_store_set_cookie_header(s, &o, "a=1; domain=co.uk", &st);
  CHECK_EQ_INT(st, CN_COOKIE_PUBLIC_SUFFIX);
  cn_cookie_store_set_cookie_header(s, &o, "b=2; domain=.CO.UK", &st);
  CHECK_EQ_INT(st, CN_COOKIE_PUBLIC_SUFFIX);
  cn_cookie_store_set_cookie_header(s, &o, "c=3; domain=example.co.uk", &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  cn_cookie_store_set_cookie_header(s, &o, "d=4", &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  cn_cookie_origin_cleanup(&o);
  const struct req other = {"https", "shop.example.co.uk", "/", NULL};
  CHECK_EQ_STR(cookie_header(s, &other, NULL), "c=3");
  const struct req uk = {"https", "other.co.uk", "/", NULL};
  CHECK_EQ_STR(cookie_header(s, &uk, NULL), "");
  /* A host that is itself a public suffix may set a host-only cookie. */
  const struct req couk = {"https", "co.uk", "/", NULL};
  RESPOND(s, &couk, "e=5");
  CHECK_EQ_STR(cookie_header(s, &couk, NULL), "e=5");
  cn_cookie_store_free(s);
}

/* test 1476: the PSL check is case-insensitive; the jar keeps the case. */
TEST(curl_test_1476_psl_mixed_case) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "curl.co.UK", "/", NULL};
  RESPOND(s, &r, " super=oops; domain=co.UK; path=/",
          " fine=yesyes; domain=CURL.CO.UK; path=/");
  CHECK_JAR(s, ".CURL.CO.UK\tTRUE\t/\tFALSE\t0\tfine\tyesyes\n");
  cn_cookie_store_free(s);
}

/* test 977: a trailing-dot TLD is a public suffix too. */
TEST(curl_test_977_trailing_dot_tld) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "firsthost.me.", "/", NULL};
  RESPOND(s, &r, " a=b; Domain=.me.;");
  CHECK_JAR(s, "");
  cn_cookie_store_free(s);
}

/* tests 1155, 1161: attribute words as names; path set twice. */
TEST(curl_test_1155_1161_odd_names_and_paths) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/1155", NULL};
  RESPOND(s, &r, " domain=value;path=/");
  CHECK_JAR(s, "127.0.0.1\tFALSE\t/\tFALSE\t0\tdomain\tvalue\n");
  cn_cookie_store_free(s);
  s = new_store();
  RESPOND(s, &r, " ckyPersistent=permanent;path=;path=/");
  CHECK_JAR(s, "127.0.0.1\tFALSE\t/\tFALSE\t0\tckyPersistent\tpermanent\n");
  cn_cookie_store_free(s);
}

/* tests 1216, 179: host-only vs tail-matching file cookies and paths. */
TEST(curl_test_1216_179_file_domains_and_paths) {
  const char *path = tmp_path("injar1216");
  write_file(path, "example.fake\tFALSE\t/a\tFALSE\t22139150993\tmooo\tindeed\n"
                   "example.fake\tFALSE\t/b\tFALSE\t0\t\tmoo1\tindeed\n"
                   "example.fake\tFALSE\t/c\tFALSE\t22139150993\tmoo2\tindeed\n"
                   "example.fake\tTRUE\t/c\tFALSE\t22139150993\tmoo3\tindeed\n");
  struct cn_cookie_store *s = new_store();
  cn_cookie_file_load(s, path, false, NULL);
  const struct req r1 = {"http", "example.fake", "/c/1216", NULL};
  const struct req r2 = {"http", "bexample.fake", "/c/1216", NULL};
  CHECK_EQ_STR(cookie_header(s, &r1, NULL), "moo3=indeed; moo2=indeed");
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "");
  cn_cookie_store_free(s);

  write_file(path,
             "supertrooper.fake\tFALSE\t/a\tFALSE\t22139150993\tmooo\tindeed\n"
             "supertrooper.fake\tFALSE\t/b\tFALSE\t0\t\tmoo1\tindeed\n"
             "supertrooper.fake\tFALSE\t/c\tFALSE\t22139150993\tmoo2\tindeed\n");
  s = new_store();
  cn_cookie_file_load(s, path, false, NULL);
  const struct req r3 = {"http", "supertrooper.fake", "/c/179", NULL};
  CHECK_EQ_STR(cookie_header(s, &r3, NULL), "moo2=indeed");
  cn_cookie_store_free(s);
}

/* tests 1218, 1228: domains with the same suffix, path prefixes. */
TEST(curl_test_1218_1228_domain_and_path_match) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "example.fake", "/c/1218", NULL};
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "");
  RESPOND(s, &r, " bug=fixed; domain=.example.fake;");
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "bug=fixed");
  const struct req b = {"http", "bexample.fake", "/c/1218", NULL};
  CHECK_EQ_STR(cookie_header(s, &b, NULL), "");
  cn_cookie_store_free(s);

  s = new_store();
  const struct req h = {"http", "example.fake", "/hoge/1228", NULL};
  RESPOND(s, &h, " path1=root; domain=.example.fake; path=/;",
          " path2=depth1; domain=.example.fake; path=/hoge;");
  const struct req hh = {"http", "example.fake", "/hogege/", NULL};
  CHECK_EQ_STR(cookie_header(s, &hh, NULL), "path1=root");
  const struct req h2 = {"http", "example.fake", "/hoge/x", NULL};
  CHECK_EQ_STR(cookie_header(s, &h2, NULL), "path2=depth1; path1=root");
  cn_cookie_store_free(s);
}

/* tests 1258, 331, 392: localhost and dotless hosts. */
TEST(curl_test_1258_331_392_localhost_and_dotless) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/we/want/1258", "localhost"};
  RESPOND(s, &r, " I-am=here; domain=localhost;");
  const struct req r2 = {"http", "127.0.0.1", "/we/want", "localhost"};
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "I-am=here");
  cn_cookie_store_free(s);

  s = new_store();
  const struct req moo = {"http", "moo", "/we/want/331", NULL};
  RESPOND(s, &moo, " moo=yes;");
  const struct req moo2 = {"http", "moo", "/we/want/3310002", NULL};
  CHECK_EQ_STR(cookie_header(s, &moo2, NULL), "moo=yes");
  cn_cookie_store_free(s);

  /* http://localhost is a secure context: Secure cookies are taken and
   * sent back. */
  s = new_store();
  const struct req lh = {"http", "localhost", "/392", NULL};
  RESPOND(s, &lh, " foobar=name; path=/; secure");
  CHECK_EQ_STR(cookie_header(s, &lh, NULL), "foobar=name");
  const struct req plain = {"http", "example.com", "/", NULL};
  RESPOND(s, &plain, "x=1; secure");
  CHECK_EQ_STR(cookie_header(s, &plain, NULL), "");
  cn_cookie_store_free(s);
}

/* test 1408: IPv6 literal hosts. */
TEST(curl_test_1408_ipv6_host) {
  struct cn_cookie_store *s = new_store();
  const struct req r1 = {"http", "::1", "/path/14080001", NULL};
  RESPOND(s, &r1, " time=1");
  const struct req r2 = {"http", "::1", "/path/14080002", NULL};
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "time=1");
  RESPOND(s, &r2, " time=2");
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "time=2");
  CHECK_JAR(s, "::1\tFALSE\t/path/\tFALSE\t0\ttime\t2\n");
  cn_cookie_store_free(s);
}

/* test 1561: __Secure-/__Host- prefixes, and insecure cookies may not
 * overlay secure ones. */
TEST(curl_test_1561_prefixes_and_overlay) {
  struct cn_cookie_store *s = new_store();
  const struct req r1 = {"https", "127.0.0.1", "/15610001", "www.example.com"};
  RESPOND(s, &r1, " super=secret; domain=example.com; path=/1561; secure;",
          " supersuper=secret; domain=example.com; path=/1561/login/; secure;",
          " __Secure-SID=12345; Domain=example.com",
          " __SecURE-SID=12346; Secure; Domain=example.com",
          " supersupersuper=secret; __Secure-SID=12346; Secure; "
          "Domain=example.com",
          " __Host-SID=22345", " __Host-SID=22346; Secure",
          " __Host-SID=22347; Domain=example.com",
          " __Host-SID=22348; Domain=example.com; Path=/",
          " __Host-SID=22349; Secure; Domain=example.com; Path=/",
          " __Host-SID=12346; Secure; Path=/");
  const struct req r2 = {"http", "127.0.0.1", "/15610002", "www.example.com"};
  RESPOND(s, &r2, " super=plain; domain=example.com; path=/1561; httponly;",
          " super=plain; domain=example.com; path=/1561/; httponly;",
          " super=plain; domain=example.com; path=/15; httponly;",
          " public=yes; domain=example.com; path=/foo;",
          " supersuper=plain; domain=example.com; path=/1561/login/en;",
          " supersuper=plain; domain=example.com; path=/1561/login;",
          " secureoverhttp=yes; domain=example.com; path=/1561; secure;",
          " __Secure-SID=22345; Domain=example.com",
          " __SecuRE-SID=22346; Secure; Domain=example.com",
          " __Host-SID=32345", " __Host-SID=32346; Secure",
          " __Host-SID=32347; Domain=example.com",
          " __Host-SID=32348; Domain=example.com; Path=/",
          " __Host-SID=32349; Secure; Domain=example.com; Path=/",
          " __Host-SID=32350; Secure; Path=/");
  CHECK_JAR(s,
            ".example.com\tTRUE\t/foo\tFALSE\t0\tpublic\tyes\n"
            "#HttpOnly_.example.com\tTRUE\t/15\tFALSE\t0\tsuper\tplain\n"
            "www.example.com\tFALSE\t/\tTRUE\t0\t__Host-SID\t12346\n"
            ".example.com\tTRUE\t/\tTRUE\t0\tsupersupersuper\tsecret\n"
            ".example.com\tTRUE\t/\tTRUE\t0\t__SecURE-SID\t12346\n"
            ".example.com\tTRUE\t/1561/login/\tTRUE\t0\tsupersuper\tsecret\n"
            ".example.com\tTRUE\t/1561\tTRUE\t0\tsuper\tsecret\n");
  cn_cookie_store_free(s);
}

TEST(prefix_statuses) {
  struct cn_cookie_store *s = new_store();
  struct cn_cookie_origin o;
  enum cn_cookie_status st;
  cn_cookie_origin_init(&o, "https", "www.example.com", "/a/b", NULL, false,
                        NULL, NULL, NULL);
  cn_cookie_store_set_cookie_header(s, &o, "__Secure-a=1", &st);
  CHECK_EQ_INT(st, CN_COOKIE_BAD_PREFIX);
  cn_cookie_store_set_cookie_header(s, &o, "__Secure-a=1; Secure", &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  /* __Host- needs Path=/ (the default path here is "/a/"). */
  cn_cookie_store_set_cookie_header(s, &o, "__Host-b=1; Secure", &st);
  CHECK_EQ_INT(st, CN_COOKIE_BAD_PREFIX);
  cn_cookie_store_set_cookie_header(s, &o, "__Host-b=1; Secure; Path=/", &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  cn_cookie_store_set_cookie_header(
      s, &o, "__Host-c=1; Secure; Path=/; Domain=www.example.com", &st);
  CHECK_EQ_INT(st, CN_COOKIE_BAD_PREFIX);
  cn_cookie_origin_cleanup(&o);
  /* Insecure origin: Secure is refused outright. */
  cn_cookie_origin_init(&o, "http", "www.example.com", "/", NULL, false, NULL,
                        NULL, NULL);
  cn_cookie_store_set_cookie_header(s, &o, "__Secure-d=1; Secure", &st);
  CHECK_EQ_INT(st, CN_COOKIE_BAD_SECURE);
  cn_cookie_origin_cleanup(&o);
  cn_cookie_store_free(s);
}

/* test 1562 + 329 + 1104: expiry through Max-Age and Expires. */
TEST(curl_test_1562_expire_over_https) {
  struct cn_cookie_store *s = new_store();
  const struct req r1 = {"https", "127.0.0.1", "/15620001", "www.example.com"};
  RESPOND(s, &r1, " foo=123; path=/; secure;");
  const struct req r2 = {"https", "127.0.0.1", "/15620002", "www.example.com"};
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "foo=123");
  RESPOND(s, &r2,
          " foo=; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/");
  CHECK_EQ_STR(cookie_header(s, &r1, NULL), "");
  cn_cookie_store_free(s);
}

TEST(curl_test_329_max_age_and_file_reload) {
  char f1[128], f2[128];
  snprintf(f1, sizeof(f1), "%s", tmp_path("jar329.txt"));
  snprintf(f2, sizeof(f2), "%s", tmp_path("jar329-2.txt"));
  write_file(f1, ".host.foo.com\tTRUE\t/we/want/\tFALSE\t22147483647\ttest\tno\n");
  write_file(f2,
             ".host.foo.com\tTRUE\t/we/want/\tFALSE\t22147483647\ttester\tyes\n");
  struct cn_cookie_engine e;
  cn_cookie_engine_init(&e);
  CHECK_EQ_INT(cn_cookie_engine_set_file(&e, f1), CN_OK);
  CHECK_EQ_INT(cn_cookie_engine_set_file(&e, f2), CN_OK);
  CHECK(cn_cookie_engine_active(&e) == NULL); /* engine on at load */
  CHECK_EQ_INT(cn_cookie_engine_load_files(&e, NULL), CN_OK);
  struct cn_cookie_store *s = cn_cookie_engine_active(&e);
  CHECK(s != NULL);
  cn_cookie_store_set_clock(s, fake_clock, &fake_now);
  const struct req r = {"http", "127.0.0.1", "/we/want/329", "host.foo.com"};
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "tester=yes; test=no");
  RESPOND(s, &r,
          " testn1=yes; path=/we/want/; domain=.host.foo.com; Max-Age=-1;",
          " test=yes; path=/we/want/; domain=.host.foo.com; Max-Age=0;");
  /* The second transfer reads the files again: the expired live cookie
   * still shadows the file's "test" until the sweep after the load. */
  CHECK_EQ_INT(cn_cookie_engine_load_files(&e, NULL), CN_OK);
  const struct req r2 = {"http", "127.0.0.1", "/we/want/3290002",
                         "host.foo.com"};
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "tester=yes");
  cn_cookie_engine_cleanup(&e);
}

TEST(curl_test_1104_epoch_expires_in_redirect) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/want/1104", NULL};
  RESPOND(s, &r,
          " test=true; domain=127.0.0.1; path=/; expires=Thu Jan  1 00:00:00 "
          "GMT 1970;",
          " test2=true; domain=127.0.0.1; path=/; expires=Fri Feb 13 "
          "11:56:27 GMT 2525;");
  const struct req r2 = {"http", "127.0.0.1", "/want/data/11040002", NULL};
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "test2=true");
  cn_cookie_store_free(s);
}

/* test 327: an expired cookie is gone from the jar. */
TEST(curl_test_327_jar_without_cookies_left) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/we/want/327", NULL};
  RESPOND(s, &r, " foobar=name; expires=Thu, 22 Nov 2525 10:54:11 GMT;");
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "foobar=name");
  RESPOND(s, &r, " foobar=name; expires=Thu, 01 Jan 1970 00:00:00 GMT;");
  CHECK_JAR(s, "");
  cn_cookie_store_free(s);
}

/* expiry follows the store's clock. */
TEST(expiry_with_fake_clock) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "example.com", "/", NULL};
  RESPOND(s, &r, "short=1; Max-Age=10", "long=2; Max-Age=1000",
          "sess=3",
          "dated=4; Expires=Wed, 15 Nov 2023 00:00:00 GMT");
  /* Same path and domain: longer names first, then the newest. */
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "dated=4; short=1; sess=3; long=2");
  fake_now += 10; /* expires == now: still valid */
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "dated=4; short=1; sess=3; long=2");
  fake_now += 1;
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "dated=4; sess=3; long=2");
  fake_now = 1700006400 + 1; /* past 2023-11-15 00:00:00 */
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "sess=3");
  CHECK_EQ_INT(cn_cookie_store_count(s), 1);
  fake_now = 1700000000;
  /* Max-Age wins over Expires in either order; junk Max-Age expires. */
  RESPOND(s, &r, "a=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=100",
          "b=1; Max-Age=100; Expires=Thu, 01 Jan 1970 00:00:01 GMT",
          "c=1; Max-Age=abc", "d=1; Max-Age=\"50\"");
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "sess=3; d=1; b=1; a=1");
  cn_cookie_store_free(s);
}

/* test 420: live cookies with expired dates replace and delete cookies
 * loaded from a jar. */
TEST(curl_test_420_delete_loaded_cookies) {
  const char *path = tmp_path("cookie420");
  write_file(path,
             "127.0.0.1\tFALSE\t/func_test\tFALSE\t21709598616\tmycookie6\t991\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/func_test\tFALSE\t21709598616\t"
             "mycookie5\t990\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/func_test\tFALSE\t21709598616\t"
             "mycookie4\t950\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/func_test\tFALSE\t21709598616\t"
             "mycookie3\t900\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/func_test/\tFALSE\t21709598616\t"
             "mycookie2\t5900\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t21709598616\tmycookie1\t"
             "4900\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/func_test/\tFALSE\t0\tmycookie\t"
             "1200\n");
  struct cn_cookie_store *s = new_store();
  cn_cookie_file_load(s, path, false, NULL);
  const struct req r = {"http", "127.0.0.1", "/func_test/del_cookie", NULL};
  RESPOND(s, &r,
          " mycookie=; Max-Age=-1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
          " mycookie3=; Path=/func_test; Max-Age=-1; Expires=Thu, 01 Jan 1970 "
          "00:00:00 GMT",
          " mycookie4=; Path=/func_test; Max-Age=-1; Expires=Thu, 01 Jan 1970 "
          "00:00:",
          " mycookie5=; Path=/func_test; Max-Age=-1; Expires=Thu, 01 Jan 1970 "
          "00:00:00 GMT",
          " mycookie6=; Path=/func_test; Max-Age=-1; Expires=Thu, 01 Jan 1970 "
          "00:00:00 GMT",
          " mycookie1=; Path=/; Max-Age=-1; Expires=Thu, 01 Jan 1970 00:00:00 "
          "GMT");
  CHECK_JAR(s, "#HttpOnly_127.0.0.1\tFALSE\t/func_test/\tFALSE\t21709598616"
               "\tmycookie2\t5900\n");
  cn_cookie_store_free(s);
}

/* test 414: an https secure cookie survives an attack over http. */
TEST(curl_test_414_secure_cookie_not_overlaid) {
  struct cn_cookie_store *s = new_store();
  const struct req r1 = {"https", "attack.invalid", "/a/b/414", NULL};
  RESPOND(s, &r1, " SESSIONID=originaltoken; secure",
          " second=originaltoken; secure; path=/a");
  const struct req r2 = {"http", "attack.invalid", "/a/b/4140002", NULL};
  RESPOND(s, &r2, " SESSIONID=hacker; domain=attack.invalid;",
          " second=replacement; path=/a/b");
  CHECK_EQ_STR(cookie_header(s, &r2, NULL), "");
  const struct req r3 = {"https", "attack.invalid", "/a/b/4140003", NULL};
  CHECK_EQ_STR(cookie_header(s, &r3, NULL),
               "SESSIONID=originaltoken; second=originaltoken");
  cn_cookie_store_free(s);
}

/* test 427: the Cookie header stays within 8190 bytes; CURLOPT_COOKIE is
 * then left out too. */
TEST(curl_test_427_header_cap) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/427", NULL};
  char big[3300], line[3400];
  for (int i = 0; i < 400; i++)
    memcpy(big + i * 8, "abcdefgh", 8);
  big[3200] = '\0';
  for (int i = 1; i <= 3; i++) {
    snprintf(line, sizeof(line), " long%d=%s; path=\"/\"", i, big);
    RESPOND(s, &r, line);
  }
  char expected[7000];
  snprintf(expected, sizeof(expected), "long3=%s; long2=%s", big, big);
  CHECK_EQ_STR(cookie_header(s, &r, NULL), expected);
  CHECK_EQ_STR(cookie_header(s, &r, "extra=1"), expected);
  cn_cookie_store_free(s);
}

/* test 444: at most 50 Set-Cookie lines of one response count. */
TEST(curl_test_444_many_set_cookie_headers) {
  struct cn_cookie_store *s = new_store();
  struct cn_cookie_origin o;
  cn_cookie_origin_init(&o, "http", "attack.invalid", "/a/b/444", NULL, false,
                        NULL, NULL, NULL);
  enum cn_cookie_status st = CN_COOKIE_OK;
  for (int i = 1; i <= 80; i++) {
    char line[64];
    snprintf(line, sizeof(line), " cookie-%d=yes;", i);
    cn_cookie_store_set_cookie_header(s, &o, line, &st);
    if (i == 50)
      CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  }
  CHECK_EQ_INT(st, CN_COOKIE_LIMIT);
  cn_cookie_origin_cleanup(&o);
  char expected[4096] = "";
  size_t n = 0;
  for (int i = 50; i >= 1; i--)
    n += (size_t)snprintf(expected + n, sizeof(expected) - n,
                          "attack.invalid\tFALSE\t/a/b/\tFALSE\t0\t"
                          "cookie-%d\tyes\n", i);
  CHECK_JAR(s, expected);
  /* A new response counts from zero. */
  const struct req again = {"http", "attack.invalid", "/a/b/444", NULL};
  RESPOND(s, &again, " cookie-81=yes");
  CHECK_EQ_INT(cn_cookie_store_count(s), 51);
  cn_cookie_store_free(s);
}

/* test 442: at most 150 cookies are sent. */
TEST(curl_test_442_send_at_most_150) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "example.com", "/", NULL};
  for (int i = 0; i < 200; i += 40) {
    struct cn_cookie_origin o;
    cn_cookie_origin_init(&o, "http", "example.com", "/", NULL, false, NULL,
                          NULL, NULL);
    for (int k = i; k < i + 40; k++) {
      char line[64];
      snprintf(line, sizeof(line), "c%03d=x", k);
      cn_cookie_store_set_cookie_header(s, &o, line, NULL);
    }
    cn_cookie_origin_cleanup(&o);
  }
  CHECK_EQ_INT(cn_cookie_store_count(s), 200);
  const char *h = cookie_header(s, &r, NULL);
  int count = 1;
  for (const char *p = h; *p; p++)
    count += *p == ';';
  CHECK_EQ_INT(count, 150);
  /* Same lengths: newest first among the first 150 in store order. */
  CHECK(strncmp(h, "c149=x; c148=x", 14) == 0);
  cn_cookie_store_free(s);
}

/* test 483: Expires values of 80 bytes or more are ignored. */
TEST(curl_test_483_long_expire_dates) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/483", NULL};
  char dots51[52], dots52[53], l3[200], l4[200];
  memset(dots51, '.', 51);
  dots51[51] = '\0';
  memset(dots52, '.', 52);
  dots52[52] = '\0';
  snprintf(l3, sizeof(l3),
           " name3=value; expires=Fri Feb 13 11:56:27 %sGMT 2132", dots51);
  snprintf(l4, sizeof(l4),
           " name4=value; expires=Fri Feb 13 11:56:27 %sGMT 2132", dots52);
  RESPOND(s, &r, " name=value; expires=Fri Feb 13 11:56:27 GMT 2132",
          " name2=value; expires=Fri Feb 13 11:56:27 ; 2132", l3, l4);
  char expected[512];
  snprintf(expected, sizeof(expected),
           "127.0.0.1\tFALSE\t/\tFALSE\t0\tname4\tvalue\n"
           "127.0.0.1\tFALSE\t/\tFALSE\t%" PRId64 "\tname3\tvalue\n"
           "127.0.0.1\tFALSE\t/\tFALSE\t0\tname2\tvalue\n"
           "127.0.0.1\tFALSE\t/\tFALSE\t%" PRId64 "\tname\tvalue\n",
           days_400(), days_400());
  CHECK_JAR(s, expected);
  cn_cookie_store_free(s);
}

/* test 46: a file and a response, a 4000-byte cookie, blank values. */
TEST(curl_test_46_file_and_response_jar) {
  const char *path = tmp_path("injar46");
  write_file(path,
             "# Netscape HTTP Cookie File\n"
             "# https://curl.se/docs/http-cookies.html\n"
             "# This is generated by libcurl!  Do not edit.\n"
             "\n"
             "www.fake.come\tFALSE\t/\tFALSE\t2147483647\tcookiecliente\tsi\n"
             "www.loser.com\tFALSE\t/\tFALSE\t2139150993\tUID\t99\n"
             "domain..tld\tFALSE\t/\tFALSE\t2139150993\tmooo\tindeed\n"
             "#HttpOnly_domain..tld\tFALSE\t/want\tFALSE\t2139150993\tmooo2\t"
             "indeed2\n"
             "domain..tld\tFALSE\t/want\tFALSE\t0\tempty\t\n");
  struct cn_cookie_store *s = new_store();
  cn_cookie_file_load(s, path, false, NULL);
  const struct req r = {"http", "domain..tld", "/want/46", NULL};
  CHECK_EQ_STR(cookie_header(s, &r, NULL),
               "empty=; mooo2=indeed2; mooo=indeed");
  static char huge[4100];
  memcpy(huge, " simplyhuge=", 12);
  memset(huge + 12, 'z', 3999);
  huge[12 + 3999] = '\0';
  RESPOND(s, &r,
          " ckyPersistent=permanent; expires=Fri, 13-Feb-2037 11:56:27 GMT; "
          "path=/",
          " ckySession=temporary; path=/",
          " ASPSESSIONIDQGGQQSJJ=GKNBDIFAAOFDPDAIEAKDIBKE; path=/",
          " justaname=; path=/;", huge);
  static char expected[8192];
  snprintf(expected, sizeof(expected),
           "domain..tld\tFALSE\t/want/\tFALSE\t0\tsimplyhuge\t%s\n"
           "domain..tld\tFALSE\t/\tFALSE\t0\tjustaname\t\n"
           "domain..tld\tFALSE\t/\tFALSE\t0\tASPSESSIONIDQGGQQSJJ\t"
           "GKNBDIFAAOFDPDAIEAKDIBKE\n"
           "domain..tld\tFALSE\t/\tFALSE\t0\tckySession\ttemporary\n"
           "domain..tld\tFALSE\t/\tFALSE\t%" PRId64
           "\tckyPersistent\tpermanent\n"
           "domain..tld\tFALSE\t/want\tFALSE\t0\tempty\t\n"
           "#HttpOnly_domain..tld\tFALSE\t/want\tFALSE\t2139150993\tmooo2\t"
           "indeed2\n"
           "domain..tld\tFALSE\t/\tFALSE\t2139150993\tmooo\tindeed\n"
           "www.loser.com\tFALSE\t/\tFALSE\t2139150993\tUID\t99\n"
           "www.fake.come\tFALSE\t/\tFALSE\t2147483647\tcookiecliente\tsi\n",
           huge + 12, days_400());
  CHECK_JAR(s, expected);
  cn_cookie_store_free(s);
}

/* test 53 (COOKIESESSION): session cookies from files are dropped, and an
 * expired one is swept after the load. */
TEST(curl_test_53_junk_session_cookies) {
  const char *path = tmp_path("injar53");
  write_file(path, "127.0.0.1\tFALSE\t/\tFALSE\t22139150993\tmooo\tindeed\n"
                   "127.0.0.1\tFALSE\t/\tFALSE\t0\t\tmoo1\tindeed\n"
                   "127.0.0.1\tFALSE\t/\tFALSE\t1\t\tmoo2\tindeed\n"
                   "127.0.0.1\tFALSE\t/\tFALSE\t0\tsess\tion\n"
                   "127.0.0.1\tFALSE\t/\tFALSE\t1\tgone\tyes\n");
  struct cn_cookie_store *s = new_store();
  cn_cookie_file_load(s, path, true, NULL);
  const struct req r = {"http", "127.0.0.1", "/want/53", NULL};
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "mooo=indeed");
  CHECK_EQ_INT(cn_cookie_store_count(s), 1);
  cn_cookie_store_free(s);
}

/* tests 73, 171: two-dot domains and dot-prefixed full domains. */
TEST(curl_test_73_171_domains) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "127.0.0.1", "/we/want/73",
                        "host.NOT_DISCLOSED.se"};
  RESPOND(s, &r,
          " IPCZQX01af0fca5c=000010008168c200d25dfc4b; path=/; "
          "domain=.NOT_DISCLOSED.se");
  CHECK_JAR(s, ".NOT_DISCLOSED.se\tTRUE\t/\tFALSE\t0\tIPCZQX01af0fca5c\t"
               "000010008168c200d25dfc4b\n");
  cn_cookie_store_free(s);
  s = new_store();
  const struct req z = {"http", "z.x.com", "/171", NULL};
  RESPOND(s, &z, " XToken=xt;Domain=.z.x.com;Path=/");
  CHECK_JAR(s, ".z.x.com\tTRUE\t/\tFALSE\t0\tXToken\txt\n");
  cn_cookie_store_free(s);
}

/* tests 172, 1025: CURLOPT_COOKIE goes after the stored cookies. */
TEST(curl_test_172_1025_cookie_option_merged) {
  const char *path = tmp_path("jar172.txt");
  write_file(path,
             "# Netscape HTTP Cookie File\n"
             "127.0.0.1\tFALSE\t/silly/\tFALSE\t0\tismatch\tthis\n"
             "127.0.0.1\tFALSE\t/\tFALSE\t0\tpartmatch\tpresent\n"
             "127.0.0.1\tFALSE\t/we/want/\tFALSE\t2147483647\tnodomain\t"
             "value\n");
  struct cn_cookie_store *s = new_store();
  cn_cookie_file_load(s, path, false, NULL);
  const struct req r = {"http", "127.0.0.1", "/we/want/172", NULL};
  CHECK_EQ_STR(cookie_header(s, &r, "tool=curl; name=fool"),
               "nodomain=value; partmatch=present; tool=curl; name=fool");
  /* No store (engine off): only the option. */
  CHECK_EQ_STR(cookie_header(NULL, &r, "forcedcookie=yes"),
               "forcedcookie=yes");
  CHECK_EQ_STR(cookie_header(NULL, &r, NULL), "");
  /* An empty option still makes an (empty) Cookie header, as libcurl. */
  struct cn_cookie_origin o;
  char *v = NULL;
  cn_cookie_origin_init(&o, r.scheme, r.host, r.path, NULL, false, NULL, NULL,
                        NULL);
  CHECK_EQ_INT(cn_cookie_request_header(NULL, &o, "", &v), CN_OK);
  CHECK(v != NULL && v[0] == '\0');
  cn_free(v);
  v = (char *)1;
  CHECK_EQ_INT(cn_cookie_request_header(s, &o, NULL, &v), CN_OK);
  CHECK_EQ_STR(v, "nodomain=value; partmatch=present");
  cn_free(v);
  cn_cookie_origin_cleanup(&o);
  cn_cookie_store_free(s);
}

/* The custom Host header decides the cookie host, except on a redirect to
 * another host (test 2504's spirit, libcurl's http.c rule). */
TEST(origin_custom_host_rules) {
  struct cn_cookie_origin o;
  CHECK_EQ_INT(cn_cookie_origin_init(&o, "http", "127.0.0.1", "/x",
                                     " www.Example.com:8080 ", false, NULL,
                                     NULL, NULL),
               CN_OK);
  CHECK_EQ_STR(o.host, "www.Example.com");
  CHECK(!o.secure);
  cn_cookie_origin_cleanup(&o);
  cn_cookie_origin_init(&o, "http", "127.0.0.1", "/x", "[::1]:8080", false,
                        NULL, NULL, NULL);
  CHECK_EQ_STR(o.host, "::1");
  CHECK(o.secure); /* ::1 is a secure context */
  cn_cookie_origin_cleanup(&o);
  /* Followed redirect to the first host: still used. */
  cn_cookie_origin_init(&o, "http", "first.example", "/x", "other.example",
                        true, "FIRST.example", NULL, NULL);
  CHECK_EQ_STR(o.host, "other.example");
  cn_cookie_origin_cleanup(&o);
  /* ... to another host: the URL's host. */
  cn_cookie_origin_init(&o, "http", "second.example", "/x", "other.example",
                        true, "first.example", NULL, NULL);
  CHECK_EQ_STR(o.host, "second.example");
  cn_cookie_origin_cleanup(&o);
  /* Empty Host value: ignored. */
  cn_cookie_origin_init(&o, "wss", "a.example", "", "  ", false, NULL, NULL,
                        NULL);
  CHECK_EQ_STR(o.host, "a.example");
  CHECK_EQ_STR(o.path, "/");
  CHECK(o.secure);
  cn_cookie_origin_cleanup(&o);
  cn_cookie_origin_init(&o, "http", "x.example", "/", "LocalHost", false,
                        NULL, NULL, NULL);
  CHECK(o.secure);
  cn_cookie_origin_cleanup(&o);
}

/* Test 3103/3104: COOKIELIST lines without a request host. */
TEST(curl_test_3103_3104_cookielist_lines) {
  struct cn_cookie_store *s = new_store();
  enum cn_cookie_status st;
  CHECK_EQ_INT(cn_cookie_store_add_api_line(
                   s, "Set-Cookie: c1=v1; domain=localhost", NULL, &st),
               CN_OK);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  const struct req r = {"http", "localhost", "/", NULL};
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "c1=v1");
  cn_cookie_store_add_api_line(s, "example.com\tFALSE\t/\tFALSE\t0\tname\tvalue",
                               NULL, &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  const struct req e = {"http", "example.com", "/", NULL};
  CHECK_EQ_STR(cookie_header(s, &e, NULL), "name=value");
  /* A header line without domain has no default domain or path: it is
   * kept, sent to hosts of bucket 0 (IP addresses), and not listed. */
  cn_cookie_store_add_api_line(s, "set-cookie: nodom=1", NULL, &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  const struct req ip = {"http", "10.0.0.1", "/any/where", NULL};
  CHECK_EQ_STR(cookie_header(s, &ip, NULL), "nodom=1");
  char **lines;
  size_t n;
  CHECK_EQ_INT(cn_cookie_store_netscape_lines(s, false, &lines, &n), CN_OK);
  CHECK_EQ_INT(n, 2);
  cn_cookie_lines_free(lines, n);
  /* Domain given as an IP at the end of the line: host-only. */
  cn_cookie_store_add_api_line(s, "Set-Cookie: ipc=1; domain=10.0.0.1", NULL,
                               &st);
  CHECK_EQ_STR(cookie_header(s, &ip, NULL), "ipc=1; nodom=1");
  cn_cookie_store_free(s);
}

/* CURLINFO_COOKIELIST lists in libcurl's hash-bucket order. */
TEST(cookielist_order_is_libcurls) {
  struct cn_cookie_store *s = new_store();
  cn_cookie_store_add_api_line(s, "a.example.com\tFALSE\t/\tFALSE\t0\ta\t1",
                               NULL, NULL);
  cn_cookie_store_add_api_line(s, "127.0.0.1\tFALSE\t/\tFALSE\t0\tip\t1",
                               NULL, NULL);
  cn_cookie_store_add_api_line(s, "localhost\tFALSE\t/\tFALSE\t0\tlh\t1", NULL,
                               NULL);
  cn_cookie_store_add_api_line(s, "b.example.com\tFALSE\t/\tFALSE\t0\tb\t1",
                               NULL, NULL);
  char **lines;
  size_t n;
  CHECK_EQ_INT(cn_cookie_store_netscape_lines(s, false, &lines, &n), CN_OK);
  CHECK_EQ_INT(n, 4);
  if (n == 4) {
    /* bucket 0 (IP) first; example.com's bucket keeps insertion order. */
    CHECK_EQ_STR(lines[0], "127.0.0.1\tFALSE\t/\tFALSE\t0\tip\t1");
    size_t ia = 9, ib = 9, il = 9;
    for (size_t i = 0; i < n; i++) {
      if (strstr(lines[i], "\ta\t"))
        ia = i;
      if (strstr(lines[i], "\tb\t"))
        ib = i;
      if (strstr(lines[i], "\tlh\t"))
        il = i;
    }
    CHECK(ia + 1 == ib);
    /* libcurl's hash of the uppercased last two labels, mod 63:
     * "localhost" -> 53, "example.com" -> 56. */
    CHECK_EQ_INT(il, 1);
    CHECK_EQ_INT(ia, 2);
  }
  cn_cookie_lines_free(lines, n);
  /* Hash buckets limit what a host sees, as in libcurl. */
  cn_cookie_store_add_api_line(s, "Set-Cookie: top=1; domain=localhost", NULL,
                               NULL);
  const struct req sub = {"http", "a.localhost", "/", NULL};
  CHECK_EQ_STR(cookie_header(s, &sub, NULL), "");
  cn_cookie_store_free(s);
}

/* A file cookie never replaces a live one; a live one replaces a file one
 * and keeps its place in creation order. */
TEST(replace_rules) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "example.com", "/", NULL};
  RESPOND(s, &r, "a=live", "b=1");
  enum cn_cookie_status st;
  struct cn_cookie_add_params file = {.live = false, .secure = true,
                                      .noexpire = true};
  cn_cookie_store_add(s, &file, "example.com\tFALSE\t/\tFALSE\t0\ta\tfile",
                      &st);
  CHECK_EQ_INT(st, CN_COOKIE_LIVE_WINS);
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "b=1; a=live");
  struct cn_cookie_origin o;
  cn_cookie_origin_init(&o, "http", "example.com", "/", NULL, false, NULL,
                        NULL, NULL);
  cn_cookie_store_set_cookie_header(s, &o, "a=again", &st);
  CHECK_EQ_INT(st, CN_COOKIE_REPLACED);
  /* Host-only vs domain cookie of the same name are different cookies. */
  cn_cookie_store_set_cookie_header(s, &o, "a=dom; domain=example.com", &st);
  CHECK_EQ_INT(st, CN_COOKIE_ADDED);
  /* Paths compare case-insensitively for replacement. */
  cn_cookie_store_set_cookie_header(s, &o, "p=1; path=/Foo", &st);
  cn_cookie_store_set_cookie_header(s, &o, "p=2; path=/foo/", &st);
  CHECK_EQ_INT(st, CN_COOKIE_REPLACED);
  cn_cookie_origin_cleanup(&o);
  CHECK_EQ_INT(cn_cookie_store_count(s), 4);
  CHECK_JAR(s, "example.com\tFALSE\t/foo/\tFALSE\t0\tp\t2\n"
               ".example.com\tTRUE\t/\tFALSE\t0\ta\tdom\n"
               "example.com\tFALSE\t/\tFALSE\t0\tb\t1\n"
               "example.com\tFALSE\t/\tFALSE\t0\ta\tagain\n");
  cn_cookie_store_free(s);
}

TEST(clear_all_and_session) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"http", "example.com", "/", NULL};
  RESPOND(s, &r, "s1=1", "p1=1; Max-Age=100", "s2=1");
  cn_cookie_store_clear_session(s);
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "p1=1");
  cn_cookie_store_clear_all(s);
  CHECK_EQ_INT(cn_cookie_store_count(s), 0);
  CHECK_EQ_STR(cookie_header(s, &r, NULL), "");
  char **lines = (char **)1;
  size_t n = 7;
  CHECK_EQ_INT(cn_cookie_store_netscape_lines(s, false, &lines, &n), CN_OK);
  CHECK(lines == NULL && n == 0);
  cn_cookie_store_free(s);
}

static void count_samesite(void *ctx, const struct cn_cookie *co) {
  int *counts = ctx;
  counts[co->samesite]++;
}

TEST(samesite_is_stored) {
  struct cn_cookie_store *s = new_store();
  const struct req r = {"https", "example.com", "/", NULL};
  RESPOND(s, &r, "a=1; SameSite=Strict", "b=1; samesite=lax",
          "c=1; SameSite=None; Secure", "d=1; SameSite=bogus", "e=1");
  int counts[5] = {0};
  cn_cookie_store_foreach(s, count_samesite, counts);
  CHECK_EQ_INT(counts[CN_COOKIE_SAMESITE_STRICT], 1);
  CHECK_EQ_INT(counts[CN_COOKIE_SAMESITE_LAX], 1);
  CHECK_EQ_INT(counts[CN_COOKIE_SAMESITE_NONE], 1);
  CHECK_EQ_INT(counts[CN_COOKIE_SAMESITE_OTHER], 1);
  CHECK_EQ_INT(counts[CN_COOKIE_SAMESITE_UNSET], 1);
  cn_cookie_store_free(s);
}

static int lock_depth, lock_calls, lock_max;
static void test_lock(void *arg, bool on) {
  (void)arg;
  lock_depth += on ? 1 : -1;
  lock_calls++;
  if (lock_depth > lock_max)
    lock_max = lock_depth;
}

TEST(lock_hooks_wrap_every_access) {
  struct cn_cookie_store *s = new_store();
  cn_cookie_store_set_lock(s, test_lock, NULL);
  const struct req r = {"http", "example.com", "/", NULL};
  RESPOND(s, &r, "a=1");
  cookie_header(s, &r, NULL);
  cn_cookie_store_clear_session(s);
  CHECK_JAR(s, "");
  CHECK_EQ_INT(lock_depth, 0);
  CHECK(lock_calls >= 8);
  CHECK_EQ_INT(lock_max, 1); /* never nested */
  cn_cookie_store_free(s);
}

/* ---- allocation failures ---- */

#include "http/alloc_track.h"

static int scenario_transfer(void) {
  struct cn_cookie_store *s = new_store();
  if (!s)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = CN_OK;
  struct cn_cookie_origin o;
  char *hdr = NULL;
  char **lines = NULL;
  size_t n = 0;
  enum cn_cookie_status st;
  rv = cn_cookie_origin_init(&o, "https", "127.0.0.1", "/we/want/1",
                             "www.example.com:443", false, NULL, NULL, NULL);
  if (rv != CN_OK)
    goto out_store;
  static const char *const lines_in[] = {
      " a=1; path=/; secure", " b=2; domain=example.com; Max-Age=100",
      " c=3; path=\"/we/\"", " a=4; path=/; secure; httponly",
      " bad\tname=1", " __Host-x=1; Secure; Path=/"};
  for (size_t i = 0; rv == CN_OK && i < 6; i++)
    rv = cn_cookie_store_set_cookie_header(s, &o, lines_in[i], &st);
  if (rv == CN_OK)
    rv = cn_cookie_store_add_api_line(
        s, "Set-Cookie: api=1; domain=example.com; path=/we", NULL, &st);
  if (rv == CN_OK)
    rv = cn_cookie_store_add_api_line(
        s, "#HttpOnly_.example.com\tTRUE\t/\tFALSE\t0\tns\tv", NULL, &st);
  if (rv == CN_OK)
    rv = cn_cookie_request_header(s, &o, "extra=1", &hdr);
  if (rv == CN_OK)
    rv = cn_cookie_store_netscape_lines(s, false, &lines, &n);
  if (rv == CN_OK) {
    cn_cookie_lines_free(lines, n);
    lines = NULL;
    n = 0;
    rv = cn_cookie_store_netscape_lines(s, true, &lines, &n);
  }
  if (rv == CN_OK)
    rv = cn_cookie_file_save(s, tmp_path("fail.jar"), NULL);
  if (rv == CN_OK)
    rv = cn_cookie_file_load(s, tmp_path("fail.jar"), false, NULL);
  cn_cookie_lines_free(lines, n);
  cn_free(hdr);
  cn_cookie_origin_cleanup(&o);
out_store:
  cn_cookie_store_free(s);
  return rv;
}

TEST(allocation_failures_store) {
  /* Warm the process-wide PSL list outside the loop (libpsl's own memory
   * is not ours). */
  CHECK_EQ_INT(scenario_transfer(), CN_OK);
  FAIL_LOOP(scenario_transfer());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

static int scenario_engine(void) {
  struct cn_cookie_engine e, d;
  cn_cookie_engine_init(&e);
  int rv = cn_cookie_engine_set_file(&e, tmp_path("fail.jar"));
  if (rv == CN_OK)
    rv = cn_cookie_engine_set_file(&e, "");
  if (rv == CN_OK)
    rv = cn_cookie_engine_set_jar(&e, tmp_path("fail2.jar"));
  if (rv == CN_OK)
    rv = cn_cookie_engine_load_files(&e, NULL);
  if (rv == CN_OK)
    rv = cn_cookie_engine_command(
        &e, "Set-Cookie: z=1; domain=example.org", NULL);
  if (rv == CN_OK)
    rv = cn_cookie_engine_flush(&e, NULL);
  if (rv == CN_OK) {
    rv = cn_cookie_engine_dup(&d, &e);
    if (rv == CN_OK)
      cn_cookie_engine_cleanup(&d);
  }
  if (rv == CN_OK) {
    char **lines;
    size_t n;
    rv = cn_cookie_engine_list(&e, &lines, &n);
    if (rv == CN_OK)
      cn_cookie_lines_free(lines, n);
  }
  cn_cookie_engine_cleanup(&e);
  return rv;
}

TEST(allocation_failures_engine) {
  CHECK_EQ_INT(scenario_engine(), CN_OK);
  FAIL_LOOP(scenario_engine());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

static void cleanup(void) { cleanup_tmpdir(); }

TEST_MAIN(curl_test_31_weird_cookies_jar, curl_test_8_header_lines_from_file,
          curl_test_61_custom_host_jar, curl_test_62_netscape_file_send,
          curl_test_1105_tabs_and_quoted_path,
          curl_test_1136_public_suffix_list, psl_co_uk,
          curl_test_1476_psl_mixed_case, curl_test_977_trailing_dot_tld,
          curl_test_1155_1161_odd_names_and_paths,
          curl_test_1216_179_file_domains_and_paths,
          curl_test_1218_1228_domain_and_path_match,
          curl_test_1258_331_392_localhost_and_dotless,
          curl_test_1408_ipv6_host, curl_test_1561_prefixes_and_overlay,
          prefix_statuses, curl_test_1562_expire_over_https,
          curl_test_329_max_age_and_file_reload,
          curl_test_1104_epoch_expires_in_redirect,
          curl_test_327_jar_without_cookies_left, expiry_with_fake_clock,
          curl_test_420_delete_loaded_cookies,
          curl_test_414_secure_cookie_not_overlaid, curl_test_427_header_cap,
          curl_test_444_many_set_cookie_headers,
          curl_test_442_send_at_most_150, curl_test_483_long_expire_dates,
          curl_test_46_file_and_response_jar,
          curl_test_53_junk_session_cookies, curl_test_73_171_domains,
          curl_test_172_1025_cookie_option_merged, origin_custom_host_rules,
          curl_test_3103_3104_cookielist_lines, cookielist_order_is_libcurls,
          replace_rules, clear_all_and_session, samesite_is_stored,
          lock_hooks_wrap_every_access, allocation_failures_store,
          allocation_failures_engine, cleanup)
