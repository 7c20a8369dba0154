/* proxy_config_test.c: SOCKS messages, NOPROXY matching, proxy strings,
 * proxy resolution and the proxy part of the pool's group key. */
#include "socket/proxy_config.h"

#include <arpa/inet.h>

#include "socket/group_key.h"
#include "socket/proxy_resolution.h"
#include "socket/socks_connect_job.h"
#include "test.h"
#include "util/alloc.h"

/* --- SOCKS messages ------------------------------------------------------ */

TEST(socks4_request_has_ip_port_and_user) {
  uint8_t buf[CN_SOCKS_MAX_MESSAGE];
  const uint8_t ip[4] = {10, 1, 2, 3};
  enum cn_socks_error err = CN_SOCKS_OK;
  size_t n = cn_socks4_build_request(buf, sizeof(buf), 8080, ip, NULL, "bob",
                                     &err);
  const uint8_t want[] = {4, 1, 0x1f, 0x90, 10, 1, 2, 3, 'b', 'o', 'b', 0};
  CHECK_EQ_INT(n, sizeof(want));
  CHECK(memcmp(buf, want, sizeof(want)) == 0);
}

TEST(socks4a_request_sends_the_name) {
  uint8_t buf[CN_SOCKS_MAX_MESSAGE];
  enum cn_socks_error err = CN_SOCKS_OK;
  size_t n = cn_socks4_build_request(buf, sizeof(buf), 80, NULL, "ex.org",
                                     NULL, &err);
  const uint8_t want[] = {4, 1, 0, 80, 0, 0, 0, 1, 0,
                          'e', 'x', '.', 'o', 'r', 'g', 0};
  CHECK_EQ_INT(n, sizeof(want));
  CHECK(memcmp(buf, want, sizeof(want)) == 0);
}

TEST(socks4_refuses_long_user) {
  uint8_t buf[CN_SOCKS_MAX_MESSAGE];
  char user[300];
  memset(user, 'u', sizeof(user) - 1);
  user[sizeof(user) - 1] = '\0';
  const uint8_t ip[4] = {1, 2, 3, 4};
  enum cn_socks_error err = CN_SOCKS_OK;
  CHECK_EQ_INT(cn_socks4_build_request(buf, sizeof(buf), 1, ip, NULL, user,
                                       &err),
               0);
  CHECK_EQ_INT(err, CN_SOCKS_LONG_USER);
}

TEST(socks5_greeting_offers_userpass_only_when_asked) {
  uint8_t buf[4];
  CHECK_EQ_INT(cn_socks5_build_greeting(buf, false), 3);
  CHECK(buf[0] == 5 && buf[1] == 1 && buf[2] == 0);
  CHECK_EQ_INT(cn_socks5_build_greeting(buf, true), 4);
  CHECK(buf[1] == 2 && buf[2] == 0 && buf[3] == 2);
}

TEST(socks5_auth_message) {
  uint8_t buf[600];
  enum cn_socks_error err = CN_SOCKS_OK;
  size_t n = cn_socks5_build_auth(buf, sizeof(buf), "al", "pw1", &err);
  const uint8_t want[] = {1, 2, 'a', 'l', 3, 'p', 'w', '1'};
  CHECK_EQ_INT(n, sizeof(want));
  CHECK(memcmp(buf, want, sizeof(want)) == 0);
  char longpw[300];
  memset(longpw, 'p', sizeof(longpw) - 1);
  longpw[sizeof(longpw) - 1] = '\0';
  CHECK_EQ_INT(cn_socks5_build_auth(buf, sizeof(buf), "a", longpw, &err), 0);
  CHECK_EQ_INT(err, CN_SOCKS_LONG_PASSWD);
}

TEST(socks5_connect_by_name_and_by_address) {
  uint8_t buf[600];
  enum cn_socks_error err = CN_SOCKS_OK;
  size_t n = cn_socks5_build_connect(buf, sizeof(buf), "ab.c", NULL, 443,
                                     &err);
  const uint8_t want[] = {5, 1, 0, 3, 4, 'a', 'b', '.', 'c', 1, 0xbb};
  CHECK_EQ_INT(n, sizeof(want));
  CHECK(memcmp(buf, want, sizeof(want)) == 0);
  /* A literal goes as an address even "remotely resolved". */
  n = cn_socks5_build_connect(buf, sizeof(buf), "127.0.0.1", NULL, 80, &err);
  const uint8_t want4[] = {5, 1, 0, 1, 127, 0, 0, 1, 0, 80};
  CHECK_EQ_INT(n, sizeof(want4));
  CHECK(memcmp(buf, want4, sizeof(want4)) == 0);
  struct cn_ip_endpoint ep;
  CHECK(cn_ip_endpoint_parse(&ep, "::1", 8080));
  n = cn_socks5_build_connect(buf, sizeof(buf), NULL, &ep, 8080, &err);
  CHECK_EQ_INT(n, 4 + 16 + 2);
  CHECK_EQ_INT(buf[3], 4);
  CHECK_EQ_INT(buf[19], 1);
}

TEST(socks5_reply_parsing) {
  size_t len = 0;
  const uint8_t v4[5] = {5, 0, 0, 1, 0};
  CHECK(cn_socks5_reply_length(v4, &len));
  CHECK_EQ_INT(len, 10);
  const uint8_t name[5] = {5, 0, 0, 3, 7};
  CHECK(cn_socks5_reply_length(name, &len));
  CHECK_EQ_INT(len, 5 + 7 + 2);
  const uint8_t bad[5] = {5, 0, 0, 9, 0};
  CHECK(!cn_socks5_reply_length(bad, &len));
  CHECK_EQ_INT(cn_socks5_reply_error(5), CN_SOCKS_REPLY_CONNECTION_REFUSED);
  CHECK_EQ_INT(cn_socks5_reply_error(2), CN_SOCKS_REPLY_NOT_ALLOWED);
  CHECK_EQ_INT(cn_socks5_reply_error(77), CN_SOCKS_REPLY_UNASSIGNED);
}

/* --- NOPROXY ------------------------------------------------------------- */

TEST(noproxy_names) {
  CHECK(cn_proxy_no_proxy_match("example.com", "example.com"));
  CHECK(cn_proxy_no_proxy_match("www.example.com", "example.com"));
  CHECK(cn_proxy_no_proxy_match("www.example.com", ".example.com"));
  CHECK(cn_proxy_no_proxy_match("WWW.Example.COM.", "example.com."));
  CHECK(!cn_proxy_no_proxy_match("nonexample.com", "example.com"));
  CHECK(!cn_proxy_no_proxy_match("example.com", "www.example.com"));
  CHECK(cn_proxy_no_proxy_match("b.org", "a.org, b.org"));
  CHECK(cn_proxy_no_proxy_match("b.org", "a.org,,b.org"));
  CHECK(cn_proxy_no_proxy_match("anything", "*"));
  CHECK(!cn_proxy_no_proxy_match("anything", "*.anything"));
  CHECK(!cn_proxy_no_proxy_match("anything", ""));
  CHECK(!cn_proxy_no_proxy_match("anything", NULL));
}

TEST(noproxy_addresses) {
  CHECK(cn_proxy_no_proxy_match("127.0.0.1", "127.0.0.1"));
  CHECK(cn_proxy_no_proxy_match("10.1.2.3", "10.0.0.0/8"));
  CHECK(!cn_proxy_no_proxy_match("11.1.2.3", "10.0.0.0/8"));
  CHECK(!cn_proxy_no_proxy_match("127.0.0.2", "127.0.0.1"));
  CHECK(cn_proxy_no_proxy_match("::1", "::1"));
  CHECK(cn_proxy_no_proxy_match("[::1]", "::1"));
  CHECK(cn_proxy_no_proxy_match("2001:db8::5", "2001:db8::/32"));
  CHECK(!cn_proxy_no_proxy_match("2001:db9::5", "2001:db8::/32"));
  /* A name pattern never matches an address. */
  CHECK(!cn_proxy_no_proxy_match("127.0.0.1", "localhost"));
}

/* --- proxy strings and resolution ---------------------------------------- */

TEST(spec_parsing) {
  struct cn_proxy_spec s;
  CHECK_EQ_INT(cn_proxy_spec_parse(&s, "socks5h://u%40x:p@h.example:99",
                                   CN_PROXY_HTTP),
               CN_PROXY_PARSE_OK);
  CHECK_EQ_INT(s.type, CN_PROXY_SOCKS5H);
  CHECK_EQ_STR(s.host, "h.example");
  CHECK_EQ_INT(s.port, 99);
  CHECK_EQ_STR(s.user, "u@x");
  CHECK_EQ_STR(s.password, "p");
  cn_proxy_spec_cleanup(&s);
  CHECK_EQ_INT(cn_proxy_spec_parse(&s, "[::1]", CN_PROXY_SOCKS4),
               CN_PROXY_PARSE_OK);
  CHECK_EQ_INT(s.type, CN_PROXY_SOCKS4); /* no scheme: the type option */
  CHECK_EQ_STR(s.host, "::1");
  CHECK_EQ_INT(s.port, -1);
  cn_proxy_spec_cleanup(&s);
  CHECK_EQ_INT(cn_proxy_spec_parse(&s, "gopher://h", CN_PROXY_HTTP),
               CN_PROXY_PARSE_BAD_SCHEME);
}

/* socks*://localhost/PATH: the proxy is behind a Unix socket (libcurl);
 * other hosts, types or a bare "/" keep TCP. */
TEST(spec_socks_over_unix_socket) {
  struct cn_proxy_spec s;
  CHECK_EQ_INT(cn_proxy_spec_parse(&s, "socks5h://LocalHost/tmp/s%20ock",
                                   CN_PROXY_HTTP),
               CN_PROXY_PARSE_OK);
  CHECK_EQ_INT(s.type, CN_PROXY_SOCKS5H);
  CHECK_EQ_STR(s.unix_path, "/tmp/s ock");
  cn_proxy_spec_cleanup(&s);
  /* no scheme: the type option decides (curl --socks5 localhost/PATH) */
  CHECK_EQ_INT(cn_proxy_spec_parse(&s, "localhost/run/p.sock", CN_PROXY_SOCKS5),
               CN_PROXY_PARSE_OK);
  CHECK_EQ_STR(s.unix_path, "/run/p.sock");
  cn_proxy_spec_cleanup(&s);
  CHECK_EQ_INT(cn_proxy_spec_parse(&s, "socks4://localhost:1080/x",
                                   CN_PROXY_HTTP),
               CN_PROXY_PARSE_OK);
  CHECK_EQ_STR(s.unix_path, "/x");
  cn_proxy_spec_cleanup(&s);
  const char *tcp[] = {"socks5://localhost/", "socks5://localhost",
                       "socks5://host.example/x", "http://localhost/x"};
  for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
    CHECK_EQ_INT(cn_proxy_spec_parse(&s, tcp[i], CN_PROXY_HTTP),
                 CN_PROXY_PARSE_OK);
    CHECK(s.unix_path == NULL);
    cn_proxy_spec_cleanup(&s);
  }
  /* The resolved chain carries it, and so does the pool's key. */
  struct cn_proxy_settings st;
  struct cn_proxy_resolution r;
  memset(&st, 0, sizeof(st));
  st.type = CN_PROXY_HTTP;
  st.proxy = "socks5h://localhost/a.sock";
  cn_proxy_resolution_init(&r);
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "http", "a.b", NULL),
               CN_OK);
  CHECK_EQ_STR(r.chain.socks.unix_path, "/a.sock");
  struct cn_buf k1, k2;
  cn_buf_init(&k1, 0);
  cn_buf_init(&k2, 0);
  CHECK_EQ_INT(cn_proxy_chain_key(&k1, &r.chain), CN_OK);
  r.chain.socks.unix_path = "/b.sock";
  CHECK_EQ_INT(cn_proxy_chain_key(&k2, &r.chain), CN_OK);
  CHECK(!(k1.len == k2.len && memcmp(k1.data, k2.data, k1.len) == 0));
  cn_buf_cleanup(&k1);
  cn_buf_cleanup(&k2);
  cn_proxy_resolution_cleanup(&r);
}

TEST(resolution_precedence) {
  struct cn_proxy_settings st;
  struct cn_proxy_resolution r;
  memset(&st, 0, sizeof(st));
  st.type = CN_PROXY_HTTP;
  st.env_http_proxy = "http://envproxy:3128";
  st.env_all_proxy = "socks5://allproxy";
  cn_proxy_resolution_init(&r);
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "http", "a.b", NULL),
               CN_OK);
  CHECK_EQ_STR(r.chain.http.host, "envproxy");
  CHECK_EQ_INT(r.chain.http.port, 3128);
  CHECK(!r.chain.tunnel);
  cn_proxy_resolution_cleanup(&r);
  /* https: no https_proxy, so all_proxy; SOCKS default port 1080. */
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "https", "a.b", NULL),
               CN_OK);
  CHECK_EQ_INT(r.chain.socks.type, CN_PROXY_SOCKS5);
  CHECK_EQ_INT(r.chain.socks.port, 1080);
  CHECK_EQ_INT(r.chain.http.type, CN_PROXY_NONE);
  cn_proxy_resolution_cleanup(&r);
  /* CURLOPT_PROXY "" disables the environment. */
  st.proxy = "";
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "http", "a.b", NULL),
               CN_OK);
  CHECK(!cn_proxy_resolution_uses_proxy(&r));
  cn_proxy_resolution_cleanup(&r);
  /* NOPROXY wins over CURLOPT_PROXY; https tunnels. */
  st.proxy = "proxy.example";
  st.env_no_proxy = "skip.me";
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "http", "x.skip.me", NULL),
               CN_OK);
  CHECK(!cn_proxy_resolution_uses_proxy(&r));
  cn_proxy_resolution_cleanup(&r);
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "https", "a.b", NULL),
               CN_OK);
  CHECK(r.chain.tunnel);
  CHECK_EQ_INT(r.chain.http.port, 1080);
  cn_proxy_resolution_cleanup(&r);
  /* A proxy URL's credentials beat the options'. */
  st.proxy = "http://urluser:urlpw@proxy.example:8080";
  st.user = "optuser";
  st.password = "optpw";
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "http", "a.b", NULL),
               CN_OK);
  CHECK_EQ_STR(r.chain.http.user, "urluser");
  cn_proxy_resolution_cleanup(&r);
  st.proxy = "gopher://x";
  CHECK_EQ_INT(cn_proxy_resolution_resolve(&r, &st, "http", "a.b", NULL),
               CN_ERR_PROXY_CONNECTION_FAILED);
  cn_proxy_resolution_cleanup(&r);
}

TEST(plain_proxy_key_ignores_the_origin) {
  struct cn_proxy_chain chain;
  memset(&chain, 0, sizeof(chain));
  chain.http.type = CN_PROXY_HTTP;
  chain.http.host = "proxy";
  chain.http.port = 3128;
  struct cn_socket_params a, b;
  memset(&a, 0, sizeof(a));
  a.host = "one.example";
  a.port = 80;
  a.proxy = &chain;
  b = a;
  b.host = "two.example";
  struct cn_buf ka, kb;
  cn_buf_init(&ka, 0);
  cn_buf_init(&kb, 0);
  CHECK_EQ_INT(cn_group_key_build(&ka, &a), CN_OK);
  CHECK_EQ_INT(cn_group_key_build(&kb, &b), CN_OK);
  CHECK(ka.len == kb.len && memcmp(ka.data, kb.data, ka.len) == 0);
  /* A tunnel is the origin's: different keys. */
  chain.tunnel = true;
  cn_buf_reset(&ka);
  cn_buf_reset(&kb);
  CHECK_EQ_INT(cn_group_key_build(&ka, &a), CN_OK);
  CHECK_EQ_INT(cn_group_key_build(&kb, &b), CN_OK);
  CHECK(!(ka.len == kb.len && memcmp(ka.data, kb.data, ka.len) == 0));
  /* ... and a direct connection differs from a proxied one. */
  struct cn_socket_params d = a;
  d.proxy = NULL;
  struct cn_buf kd;
  cn_buf_init(&kd, 0);
  CHECK_EQ_INT(cn_group_key_build(&kd, &d), CN_OK);
  CHECK(!(ka.len == kd.len && memcmp(ka.data, kd.data, ka.len) == 0));
  cn_buf_cleanup(&ka);
  cn_buf_cleanup(&kb);
  cn_buf_cleanup(&kd);
}

TEST_MAIN(socks4_request_has_ip_port_and_user, socks4a_request_sends_the_name,
          socks4_refuses_long_user,
          socks5_greeting_offers_userpass_only_when_asked, socks5_auth_message,
          socks5_connect_by_name_and_by_address, socks5_reply_parsing,
          noproxy_names, noproxy_addresses, spec_parsing,
          spec_socks_over_unix_socket, resolution_precedence, plain_proxy_key_ignores_the_origin)
