/* cookie_parser_test.c: the two line formats and the matching helpers. */
#include <stdbool.h>

#include "test.h"
#include "cookies/cookie_parser.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

static const int64_t now = 1700000000;

static enum cn_cookie_status hdr(struct cn_cookie *co, const char *line,
                                 const char *domain, const char *path,
                                 bool secure) {
  memset(co, 0, sizeof(*co));
  struct cn_cookie_parse_ctx ctx = {domain, path, secure, true, now, NULL};
  return cn_cookie_parse_header(co, &ctx, line);
}

static enum cn_cookie_status ns(struct cn_cookie *co, const char *line) {
  memset(co, 0, sizeof(*co));
  struct cn_cookie_parse_ctx ctx = {NULL, NULL, true, false, now, NULL};
  return cn_cookie_parse_netscape(co, &ctx, line);
}

TEST(header_name_value_and_defaults) {
  struct cn_cookie co;
  CHECK_EQ_INT(hdr(&co, "  sid = abc def  ; Path=/x", "Example.com",
                   "/a/b/c", false),
               CN_COOKIE_OK);
  CHECK_EQ_STR(co.name, "sid");
  CHECK_EQ_STR(co.value, "abc def");
  CHECK_EQ_STR(co.path, "/x");
  CHECK_EQ_STR(co.spath, "/x");
  CHECK_EQ_STR(co.domain, "Example.com"); /* default: request host */
  CHECK(!co.tailmatch && !co.secure && !co.httponly);
  CHECK_EQ_INT(co.expires, 0);
  cn_cookie_free_contents(&co);

  CHECK_EQ_INT(hdr(&co, "a=1", "h.example", "/a/b/c", false), CN_COOKIE_OK);
  CHECK_EQ_STR(co.path, "/a/b/"); /* up to and including the last slash */
  CHECK_EQ_STR(co.spath, "/a/b");
  cn_cookie_free_contents(&co);

  /* No request (file/API line): no default domain or path. */
  CHECK_EQ_INT(hdr(&co, "a=1", NULL, NULL, true), CN_COOKIE_OK);
  CHECK(co.domain == NULL && co.path == NULL && co.spath == NULL);
  cn_cookie_free_contents(&co);
}

TEST(header_rejections) {
  struct cn_cookie co;
  CHECK_EQ_INT(hdr(&co, "novalue", "h", "/", false), CN_COOKIE_NO_SEP);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "=value", "h", "/", false), CN_COOKIE_NO_NAME);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "", "h", "/", false), CN_COOKIE_NO_NAME);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=b\tc", "h", "/", false), CN_COOKIE_TAB);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; path=/a\tb", "h", "/", false), CN_COOKIE_TAB);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=x\x01y", "h", "/", false), CN_COOKIE_INVALID_OCTET);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a\x7f=1", "h", "/", false), CN_COOKIE_INVALID_OCTET);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; secure", "h.example", "/", false),
               CN_COOKIE_BAD_SECURE);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; domain=other.example", "h.example", "/", false),
               CN_COOKIE_NO_TAILMATCH);
  cn_cookie_free_contents(&co);
  /* Tail match needs a label boundary. */
  CHECK_EQ_INT(hdr(&co, "a=1; domain=ample.com", "example.com", "/", false),
               CN_COOKIE_NO_TAILMATCH);
  cn_cookie_free_contents(&co);
  /* IP hosts need the exact address. */
  CHECK_EQ_INT(hdr(&co, "a=1; domain=0.0.1", "127.0.0.1", "/", false),
               CN_COOKIE_NO_TAILMATCH);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; domain=127.0.0.1", "127.0.0.1", "/", false),
               CN_COOKIE_OK);
  CHECK(!co.tailmatch);
  cn_cookie_free_contents(&co);
}

TEST(header_size_limits) {
  static char line[6000];
  struct cn_cookie co;
  /* name + value = 4096: accepted; 4097: dropped; each alone < 4095. */
  memset(line, 'n', 2048);
  line[2048] = '=';
  memset(line + 2049, 'v', 2048);
  line[4097] = '\0';
  CHECK_EQ_INT(hdr(&co, line, "h", "/", false), CN_COOKIE_OK);
  cn_cookie_free_contents(&co);
  memset(line + 2049, 'v', 2049);
  line[4098] = '\0';
  CHECK_EQ_INT(hdr(&co, line, "h", "/", false), CN_COOKIE_TOO_BIG);
  cn_cookie_free_contents(&co);
  line[0] = 'a';
  line[1] = '=';
  memset(line + 2, 'v', 4095);
  line[4097] = '\0';
  CHECK_EQ_INT(hdr(&co, line, "h", "/", false), CN_COOKIE_TOO_BIG);
  cn_cookie_free_contents(&co);
  memset(line + 2, 'v', 4094);
  line[4096] = '\0';
  CHECK_EQ_INT(hdr(&co, line, "h", "/", false), CN_COOKIE_OK);
  cn_cookie_free_contents(&co);
  /* Attributes count too. */
  snprintf(line, sizeof(line), "a=1; x=");
  memset(line + 7, 'p', 4095);
  line[7 + 4095] = '\0';
  CHECK_EQ_INT(hdr(&co, line, "h", "/", false), CN_COOKIE_TOO_BIG);
  cn_cookie_free_contents(&co);
  /* Whole line over 5000 bytes. */
  memset(line, 'x', 5001);
  line[1] = '=';
  line[5001] = '\0';
  CHECK_EQ_INT(hdr(&co, line, "h", "/", false), CN_COOKIE_TOO_LONG);
  cn_cookie_free_contents(&co);
}

TEST(header_flags_and_quirks) {
  struct cn_cookie co;
  CHECK_EQ_INT(hdr(&co, "a=1; Secure=; HTTPONLY", "h", "/", true),
               CN_COOKIE_OK);
  CHECK(co.secure && co.httponly);
  cn_cookie_free_contents(&co);
  /* "secure=yes" is an unknown attribute, not the flag. */
  CHECK_EQ_INT(hdr(&co, "a=1; secure=yes", "h", "/", false), CN_COOKIE_OK);
  CHECK(!co.secure);
  cn_cookie_free_contents(&co);
  /* Leading ";" pairs are skipped; the first real pair is the cookie. */
  CHECK_EQ_INT(hdr(&co, ";; a=1", "h", "/", false), CN_COOKIE_OK);
  CHECK_EQ_STR(co.name, "a");
  cn_cookie_free_contents(&co);
  /* Blanks before '=' make an empty name, which libcurl keeps. */
  CHECK_EQ_INT(hdr(&co, "  =v", "h", "/", false), CN_COOKIE_OK);
  CHECK_EQ_STR(co.name, "");
  CHECK_EQ_STR(co.value, "v");
  cn_cookie_free_contents(&co);
  /* A CR ends the line. */
  CHECK_EQ_INT(hdr(&co, "a=1; path=/p\r\n; secure", "h", "/", false),
               CN_COOKIE_OK);
  CHECK_EQ_STR(co.path, "/p");
  CHECK(!co.secure);
  cn_cookie_free_contents(&co);
  /* Empty Path attribute: path "", matching path "/". */
  CHECK_EQ_INT(hdr(&co, "a=1; path=", "h", "/x/y", false), CN_COOKIE_OK);
  CHECK_EQ_STR(co.path, "");
  CHECK_EQ_STR(co.spath, "/");
  cn_cookie_free_contents(&co);
  /* Domain: one leading dot dropped, last one wins. */
  CHECK_EQ_INT(hdr(&co, "a=1; domain=..example.com", "www.example.com", "/",
                   false),
               CN_COOKIE_NO_TAILMATCH);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; domain=x.com; domain=.Example.COM",
                   "www.example.com", "/", false),
               CN_COOKIE_NO_TAILMATCH); /* x.com fails first */
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; domain=.Example.COM", "www.example.com", "/",
                   false),
               CN_COOKIE_OK);
  CHECK_EQ_STR(co.domain, "Example.COM");
  CHECK(co.tailmatch);
  cn_cookie_free_contents(&co);
  /* Prefixes: case-sensitive in headers, seen on attributes too. */
  CHECK_EQ_INT(hdr(&co, "__secure-a=1", "h", "/", false), CN_COOKIE_OK);
  CHECK(!co.prefix_secure);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(hdr(&co, "a=1; __Host-x", "h", "/", false), CN_COOKIE_OK);
  CHECK(co.prefix_host);
  cn_cookie_free_contents(&co);
}

TEST(header_expiry) {
  struct cn_cookie co;
  const int64_t cap = ((now + 400 * 86400 + 30) / 60) * 60;
  hdr(&co, "a=1; max-age=60", "h", "/", false);
  CHECK_EQ_INT(co.expires, now + 60);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; max-age=0", "h", "/", false);
  CHECK_EQ_INT(co.expires, 1);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; max-age=-5", "h", "/", false);
  CHECK_EQ_INT(co.expires, 1);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; max-age=99999999999999999999", "h", "/", false);
  CHECK_EQ_INT(co.expires, cap);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; max-age=\"60\"", "h", "/", false);
  CHECK_EQ_INT(co.expires, now + 60);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; max-age=60x", "h", "/", false);
  CHECK_EQ_INT(co.expires, now + 60);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; expires=Wed, 15 Nov 2023 00:00:00 GMT", "h", "/", false);
  CHECK_EQ_INT(co.expires, 1700006400);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; expires=Thu, 01 Jan 1970 00:00:00 GMT", "h", "/", false);
  CHECK_EQ_INT(co.expires, 1);
  cn_cookie_free_contents(&co);
  /* Before 1970 or unparsable: a session cookie. */
  hdr(&co, "a=1; expires=Sun, 06 Nov 1960 08:49:37 GMT", "h", "/", false);
  CHECK_EQ_INT(co.expires, 0);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; expires=whenever", "h", "/", false);
  CHECK_EQ_INT(co.expires, 0);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; expires=Fri, 01 Jan 2100 00:00:00 GMT", "h", "/", false);
  CHECK_EQ_INT(co.expires, cap);
  cn_cookie_free_contents(&co);
  /* First Expires wins; Max-Age wins over both. */
  hdr(&co,
      "a=1; expires=Wed, 15 Nov 2023 00:00:00 GMT; expires=Thu, 16 Nov "
      "2023 00:00:00 GMT",
      "h", "/", false);
  CHECK_EQ_INT(co.expires, 1700006400);
  cn_cookie_free_contents(&co);
  hdr(&co, "a=1; max-age=5; expires=Wed, 15 Nov 2023 00:00:00 GMT", "h", "/",
      false);
  CHECK_EQ_INT(co.expires, now + 5);
  cn_cookie_free_contents(&co);
}

TEST(netscape_lines) {
  struct cn_cookie co;
  CHECK_EQ_INT(ns(&co, "#HttpOnly_.example.com\tTRUE\t/p\tTRUE\t123\tn\tv\r\n"),
               CN_COOKIE_OK);
  CHECK(co.httponly && co.tailmatch && co.secure);
  CHECK_EQ_STR(co.domain, "example.com");
  CHECK_EQ_STR(co.path, "/p");
  CHECK_EQ_INT(co.expires, 123);
  CHECK_EQ_STR(co.name, "n");
  CHECK_EQ_STR(co.value, "v");
  cn_cookie_free_contents(&co);
  /* Missing path field: "/" and the field is the secure flag. */
  CHECK_EQ_INT(ns(&co, "h\tFALSE\tFALSE\t0\tn\tv"), CN_COOKIE_OK);
  CHECK_EQ_STR(co.path, "/");
  CHECK(!co.secure);
  cn_cookie_free_contents(&co);
  /* Blank value; prefix test ignores case here. */
  CHECK_EQ_INT(ns(&co, "h\tFALSE\t/\tFALSE\t0\t__SECURE-n"), CN_COOKIE_OK);
  CHECK_EQ_STR(co.value, "");
  CHECK(co.prefix_secure);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(ns(&co, "# comment"), CN_COOKIE_COMMENT);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(ns(&co, "h\tFALSE\t/\tFALSE\tsoon\tn\tv"),
               CN_COOKIE_BAD_EXPIRES);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(ns(&co, "h\tFALSE\t/\tFALSE\t0\t\tn\tv"), CN_COOKIE_FIELDS);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(ns(&co, "garbage"), CN_COOKIE_FIELDS);
  cn_cookie_free_contents(&co);
  CHECK_EQ_INT(ns(&co, ""), CN_COOKIE_FIELDS);
  cn_cookie_free_contents(&co);
  /* libcurl's prefix comparisons of the flags: "T" is TRUE. */
  CHECK_EQ_INT(ns(&co, "h\tT\t/\tt\t0\tn\tv"), CN_COOKIE_OK);
  CHECK(co.tailmatch && co.secure);
  cn_cookie_free_contents(&co);
}

TEST(format_netscape) {
  struct cn_cookie co = {0};
  co.domain = "example.com";
  co.tailmatch = true;
  co.httponly = true;
  co.name = "n";
  co.value = "v";
  co.expires = 42;
  struct cn_buf b;
  cn_buf_init(&b, 0);
  CHECK_EQ_INT(cn_cookie_format_netscape(&b, &co), CN_OK);
  CHECK_EQ_STR(b.data, "#HttpOnly_.example.com\tTRUE\t/\tFALSE\t42\tn\tv");
  cn_buf_reset(&b);
  co.tailmatch = false;
  co.httponly = false;
  co.secure = true;
  co.path = "/p/";
  cn_cookie_format_netscape(&b, &co);
  CHECK_EQ_STR(b.data, "example.com\tFALSE\t/p/\tTRUE\t42\tn\tv");
  cn_buf_cleanup(&b);
}

TEST(matching_helpers) {
  CHECK(cn_cookie_tailmatch("example.com", 11, "www.EXAMPLE.com"));
  CHECK(cn_cookie_tailmatch("example.com", 11, "example.com"));
  CHECK(!cn_cookie_tailmatch("example.com", 11, "badexample.com"));
  CHECK(!cn_cookie_tailmatch("example.com", 11, "com"));

  CHECK(cn_cookie_pathmatch("/", "/anything"));
  CHECK(cn_cookie_pathmatch("/hoge", "/hoge"));
  CHECK(cn_cookie_pathmatch("/hoge", "/hoge/x"));
  CHECK(!cn_cookie_pathmatch("/hoge", "/hogege/"));
  CHECK(!cn_cookie_pathmatch("/hoge", "/Hoge/x"));
  CHECK(!cn_cookie_pathmatch("/hoge", ""));
  CHECK(cn_cookie_pathmatch("/", ""));

  char *p = cn_cookie_sanitize_path("\"/silly/\"");
  CHECK_EQ_STR(p, "/silly");
  cn_free(p);
  p = cn_cookie_sanitize_path("/");
  CHECK_EQ_STR(p, "/");
  cn_free(p);
  p = cn_cookie_sanitize_path("relative");
  CHECK_EQ_STR(p, "/");
  cn_free(p);
  p = cn_cookie_sanitize_path("/a//");
  CHECK_EQ_STR(p, "/a/");
  cn_free(p);

  CHECK(cn_cookie_host_is_ip("127.0.0.1"));
  CHECK(cn_cookie_host_is_ip("::1"));
  CHECK(!cn_cookie_host_is_ip("[::1]"));
  CHECK(!cn_cookie_host_is_ip("0.0.1"));
  CHECK(!cn_cookie_host_is_ip("localhost"));

  CHECK(cn_cookie_strcaseeq("ALL", "all"));
  CHECK(!cn_cookie_strcaseeq("ALL", "alll"));
  CHECK(cn_cookie_strncaseeq("T", "TRUE", 1));
  CHECK(cn_cookie_strncaseeq("", "TRUE", 0));
  CHECK(!cn_cookie_strncaseeq("TRUEX", "TRUE", 5));
}

TEST_MAIN(header_name_value_and_defaults, header_rejections,
          header_size_limits, header_flags_and_quirks, header_expiry,
          netscape_lines, format_netscape, matching_helpers)
