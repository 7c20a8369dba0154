/* fingerprint_test.c: the parsers of curl-impersonate's fingerprint strings
 * (good values, the reason given for each kind of bad one) and the custom
 * profile the overrides make: fields replaced, the rest kept, conflicts
 * refused, names that differ exactly when the fingerprints do. */
#include <stdint.h>
#include <string.h>

#include "impersonate/browser_profile.h"
#include "impersonate/fingerprint.h"
#include "util/alloc.h"
#include "test.h"

static char err[200];

static bool has(const char *s, const char *sub) {
  return strstr(s, sub) != NULL;
}

TEST(sigalgs_by_name) {
  uint16_t v[CN_FP_MAX_SIGALGS];
  size_t n;
  bool g;
  CHECK(cn_fp_parse_sigalgs("ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256,"
                            "rsa_pkcs1_sha256",
                            v, &n, &g, err, sizeof(err)));
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(v[0], 0x0403);
  CHECK_EQ_INT(v[1], 0x0804);
  CHECK_EQ_INT(v[2], 0x0401);
  CHECK(!g);
  /* ':' as curl-impersonate's docs write it; TLS 1.3 names; GREASE first;
   * repeats (Safari); a hex code point. */
  CHECK(cn_fp_parse_sigalgs("GREASE:mldsa44:ecdsa_sha1:ecdsa_sha1:0x0a0a", v,
                            &n, &g, err, sizeof(err)));
  CHECK(g);
  CHECK_EQ_INT(n, 4);
  CHECK_EQ_INT(v[0], 0x0904);
  CHECK_EQ_INT(v[1], 0x0203);
  CHECK_EQ_INT(v[2], 0x0203);
  CHECK_EQ_INT(v[3], 0x0a0a);
}

TEST(sigalgs_refused_with_reason) {
  uint16_t v[CN_FP_MAX_SIGALGS];
  size_t n = 99;
  bool g;
  CHECK(!cn_fp_parse_sigalgs("ecdsa_secp256r1_sha256,rsa_md4", v, &n, &g, err,
                             sizeof(err)));
  CHECK(has(err, "unknown signature algorithm 'rsa_md4'"));
  CHECK_EQ_INT(n, 99); /* outputs untouched on failure */
  CHECK(!cn_fp_parse_sigalgs("", v, &n, &g, err, sizeof(err)));
  CHECK(!cn_fp_parse_sigalgs("GREASE", v, &n, &g, err, sizeof(err)));
  CHECK(!cn_fp_parse_sigalgs("ed25519,GREASE", v, &n, &g, err, sizeof(err)));
  CHECK(!cn_fp_parse_sigalgs("0x12345", v, &n, &g, err, sizeof(err)));
  char many[40 * 12 + 1] = "";
  for (int i = 0; i < 40; i++)
    strcat(many, "ed25519,");
  CHECK(!cn_fp_parse_sigalgs(many, v, &n, &g, err, sizeof(err)));
  CHECK(has(err, "more than 32"));
}

TEST(cert_compression) {
  uint16_t v[CN_FP_MAX_CERT_COMPRESSION];
  size_t n;
  CHECK(cn_fp_parse_cert_compression("zlib,brotli", v, &n, err, sizeof(err)));
  CHECK_EQ_INT(n, 2);
  CHECK_EQ_INT(v[0], CN_CERT_COMPRESSION_ZLIB);
  CHECK_EQ_INT(v[1], CN_CERT_COMPRESSION_BROTLI);
  CHECK(cn_fp_parse_cert_compression("zstd", v, &n, err, sizeof(err)));
  CHECK_EQ_INT(v[0], CN_CERT_COMPRESSION_ZSTD);
  CHECK(cn_fp_parse_cert_compression("", v, &n, err, sizeof(err)));
  CHECK_EQ_INT(n, 0);
  CHECK(!cn_fp_parse_cert_compression("brotli,lzma", v, &n, err, sizeof(err)));
  CHECK(has(err, "'lzma'"));
  CHECK(!cn_fp_parse_cert_compression("zlib,zlib", v, &n, err, sizeof(err)));
  CHECK(has(err, "twice"));
  CHECK(!cn_fp_parse_cert_compression("zlib,", v, &n, err, sizeof(err)));
}

TEST(extension_order) {
  uint16_t v[CN_FP_MAX_EXTENSIONS];
  size_t n;
  CHECK(cn_fp_parse_extension_order("0-23-65281-10-11-35-16-5-34-18-51-43-13-"
                                    "45-28-27-65037",
                                    v, &n, err, sizeof(err)));
  CHECK_EQ_INT(n, 17);
  CHECK_EQ_INT(v[2], 65281);
  CHECK_EQ_INT(v[16], 65037);
  static const char *const bad[] = {"",      "0--23", "0-23-", "0-65536",
                                    "0-x-5", "-1",    "0-23-0", "0 - 23"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    err[0] = '\0';
    CHECK(!cn_fp_parse_extension_order(bad[i], v, &n, err, sizeof(err)));
    CHECK(err[0] != '\0');
  }
  CHECK(!cn_fp_parse_extension_order("0-23-0", v, &n, err, sizeof(err)));
  CHECK(has(err, "0 listed twice"));
  CHECK(!cn_fp_parse_extension_order("0-99999", v, &n, err, sizeof(err)));
  CHECK(has(err, "'99999'"));
}

TEST(pseudo_order) {
  char o[5];
  CHECK(cn_fp_parse_pseudo_order("masp", o, err, sizeof(err)));
  CHECK_EQ_STR(o, "masp");
  CHECK(cn_fp_parse_pseudo_order("mpas", o, err, sizeof(err)));
  CHECK(!cn_fp_parse_pseudo_order("mas", o, err, sizeof(err)));
  CHECK(!cn_fp_parse_pseudo_order("mass", o, err, sizeof(err)));
  CHECK(has(err, "'s' twice"));
  CHECK(!cn_fp_parse_pseudo_order("masx", o, err, sizeof(err)));
  CHECK(has(err, "'x'"));
  CHECK(!cn_fp_parse_pseudo_order(":method:authority:scheme:path", o, err,
                                  sizeof(err)));
}

TEST(h2_settings) {
  struct cn_h2_setting s[CN_FP_MAX_H2_SETTINGS];
  size_t n;
  CHECK(cn_fp_parse_h2_settings("1:65536;2:0;4:6291456;6:262144", s, &n, err,
                                sizeof(err)));
  CHECK_EQ_INT(n, 4);
  CHECK_EQ_INT(s[0].id, 1);
  CHECK_EQ_INT(s[0].value, 65536);
  CHECK_EQ_INT(s[1].id, 2);
  CHECK_EQ_INT(s[1].value, 0);
  CHECK_EQ_INT(s[3].id, 6);
  CHECK_EQ_INT(s[3].value, 262144);
  CHECK(cn_fp_parse_h2_settings("9:1;4:4294967295", s, &n, err, sizeof(err)));
  CHECK_EQ_INT(s[1].value, 4294967295u);
  CHECK(cn_fp_parse_h2_settings("", s, &n, err, sizeof(err)));
  CHECK_EQ_INT(n, 0);
  static const char *const bad[] = {"1:",     ":5",       "1:2;",
                                    "1=2",    "0:1",      "65536:1",
                                    "1:4294967296", "1:2;1:3", "1:-2",
                                    "1:2;;3:4", "a:b",    "1:2:3"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    err[0] = '\0';
    CHECK(!cn_fp_parse_h2_settings(bad[i], s, &n, err, sizeof(err)));
    CHECK(err[0] != '\0');
  }
  CHECK(!cn_fp_parse_h2_settings("1:2;1:3", s, &n, err, sizeof(err)));
  CHECK(has(err, "id 1 twice"));
}

TEST(h2_streams) {
  struct cn_h2_priority p[CN_FP_MAX_PRIORITY_FRAMES];
  size_t n;
  CHECK(cn_fp_parse_h2_streams("3:0:0:200,5:0:0:100,13:1:7:240", p, &n, err,
                               sizeof(err)));
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(p[0].stream_id, 3);
  CHECK_EQ_INT(p[0].weight, 201); /* wire byte + 1 */
  CHECK(!p[0].exclusive);
  CHECK_EQ_INT(p[2].stream_id, 13);
  CHECK(p[2].exclusive);
  CHECK_EQ_INT(p[2].depends_on, 7);
  static const char *const bad[] = {"3:0:0", "3:2:0:1", "3:0:0:256",
                                    "0:0:0:1", "3:0:3:1", "3:0:0:1,",
                                    "x"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    err[0] = '\0';
    CHECK(!cn_fp_parse_h2_streams(bad[i], p, &n, err, sizeof(err)));
    CHECK(err[0] != '\0');
  }
}

TEST(form_boundary_and_header_order) {
  enum cn_form_boundary b;
  CHECK(cn_fp_parse_form_boundary("webkit", &b, err, sizeof(err)));
  CHECK_EQ_INT(b, CN_FORM_BOUNDARY_WEBKIT);
  CHECK(cn_fp_parse_form_boundary("firefox", &b, err, sizeof(err)));
  CHECK_EQ_INT(b, CN_FORM_BOUNDARY_GECKO);
  CHECK(!cn_fp_parse_form_boundary("opera", &b, err, sizeof(err)));
  CHECK(has(err, "'opera'"));
  CHECK(cn_fp_check_header_order("Host,User-Agent, Cookie", err, sizeof(err)));
  CHECK(!cn_fp_check_header_order("Host,,Cookie", err, sizeof(err)));
  CHECK(!cn_fp_check_header_order("Host,Bad Name", err, sizeof(err)));
  CHECK(has(err, "'Bad Name'"));
  CHECK(!cn_fp_check_header_order("", err, sizeof(err)));
}

/* --- custom profiles ------------------------------------------------------ */

static const struct cn_browser_profile *chrome(void) {
  return cn_browser_profile_lookup("chrome156");
}

TEST(overrides_replace_one_field_each) {
  struct cn_fingerprint fp;
  memset(&fp, 0, sizeof(fp));
  CHECK(cn_fp_parse_h2_settings("1:4096;4:1000", fp.h2_settings,
                                &fp.num_h2_settings, err, sizeof(err)));
  fp.window_update = 12345;
  fp.set = CN_FP_H2_SETTINGS | CN_FP_WINDOW_UPDATE;
  struct cn_custom_profile c;
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), &fp, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK_EQ_INT(c.p.h2.num_settings, 2);
  CHECK_EQ_INT(c.p.h2.settings[1].value, 1000);
  CHECK_EQ_INT(c.p.h2.window_update, 12345);
  /* Everything else is chrome156's. */
  CHECK_EQ_STR(c.p.h2.pseudo_order, "masp");
  CHECK(c.p.tls.ech_grease);
  CHECK_EQ_INT(c.p.tls.ext_order, CN_EXT_ORDER_PERMUTE);
  CHECK(c.p.h1_headers.v == chrome()->h1_headers.v);
  CHECK(strncmp(c.p.name, "chrome156+", 10) == 0);
  cn_custom_profile_cleanup(&c);
}

TEST(names_differ_exactly_when_fingerprints_do) {
  struct cn_fingerprint a, b;
  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  a.set = b.set = CN_FP_GREASE;
  a.grease = b.grease = true;
  struct cn_custom_profile ca, cb;
  CHECK_EQ_INT(cn_custom_profile_build(&ca, NULL, &a, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK_EQ_INT(cn_custom_profile_build(&cb, NULL, &b, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK_EQ_STR(ca.p.name, cb.p.name);
  cn_custom_profile_cleanup(&cb);
  b.grease = false;
  CHECK_EQ_INT(cn_custom_profile_build(&cb, NULL, &b, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK(strcmp(ca.p.name, cb.p.name) != 0);
  cn_custom_profile_cleanup(&cb);
  /* Same overrides on another base: another name. */
  CHECK_EQ_INT(cn_custom_profile_build(&cb, chrome(), &a, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK(strcmp(ca.p.name, cb.p.name) != 0);
  cn_custom_profile_cleanup(&cb);
  /* Base headers are part of it. */
  static const char *const h1[] = {"Accept: a"}, *const h2[] = {"Accept: b"};
  CHECK_EQ_INT(cn_custom_profile_build(&cb, NULL, &a, h1, 1, err, sizeof(err)),
               0);
  struct cn_custom_profile cc;
  CHECK_EQ_INT(cn_custom_profile_build(&cc, NULL, &a, h2, 1, err, sizeof(err)),
               0);
  CHECK(strcmp(cc.p.name, cb.p.name) != 0);
  cn_custom_profile_cleanup(&cc);
  cn_custom_profile_cleanup(&cb);
  cn_custom_profile_cleanup(&ca);
}

TEST(libcurl_base_keeps_libcurls_shape) {
  const struct cn_browser_profile *l = cn_browser_profile_libcurl();
  CHECK(!l->tls.grease);
  CHECK(!l->tls.session_ticket);
  CHECK_EQ_INT(l->tls.ciphers.num, 0); /* library's choice */
  CHECK_EQ_INT(l->h2.num_settings, 3);
  CHECK_EQ_INT(l->h2.window_update, 1048510465);
  CHECK_EQ_STR(l->h2.pseudo_order, "msap");
  CHECK_EQ_INT(l->h1_headers.num, 0);
}

TEST(extension_order_filters_and_conflicts) {
  struct cn_fingerprint fp;
  memset(&fp, 0, sizeof(fp));
  /* chrome156 without status_request (5), SCT (18) and ECH (65037) in the
   * order: those are switched off. */
  CHECK(cn_fp_parse_extension_order("0-23-65281-10-11-35-16-13-51-45-43-27-"
                                    "17613",
                                    fp.extension_order,
                                    &fp.num_extension_order, err,
                                    sizeof(err)));
  fp.set = CN_FP_EXTENSION_ORDER;
  struct cn_custom_profile c;
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), &fp, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK_EQ_INT(c.p.tls.ext_order, CN_EXT_ORDER_FIXED);
  CHECK(!c.p.tls.status_request);
  CHECK(!c.p.tls.sct);
  CHECK(!c.p.tls.ech_grease);
  CHECK(c.p.tls.session_ticket);
  CHECK(c.p.tls.alps.num == 1);
  cn_custom_profile_cleanup(&c);

  /* Listing an extension that is switched off is refused, naming it and
   * the option that switches it on. */
  fp.status_request = false;
  fp.set |= CN_FP_STATUS_REQUEST;
  CHECK(cn_fp_parse_extension_order("0-5-10", fp.extension_order,
                                    &fp.num_extension_order, err,
                                    sizeof(err)));
  err[0] = '\0';
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), &fp, NULL, 0, err,
                                       sizeof(err)),
               -1);
  CHECK(has(err, "extension 5"));
  CHECK(has(err, "CURLOPT_TLS_STATUS_REQUEST"));
  cn_custom_profile_cleanup(&c);
  /* The old ALPS code point listed while the new one is in use. */
  fp.set = CN_FP_EXTENSION_ORDER;
  CHECK(cn_fp_parse_extension_order("0-17513", fp.extension_order,
                                    &fp.num_extension_order, err,
                                    sizeof(err)));
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), &fp, NULL, 0, err,
                                       sizeof(err)),
               -1);
  CHECK(has(err, "17513"));
  cn_custom_profile_cleanup(&c);
}

TEST(priority_options) {
  struct cn_fingerprint fp;
  memset(&fp, 0, sizeof(fp));
  fp.set = CN_FP_STREAM_EXCLUSIVE;
  fp.stream_exclusive = true;
  struct cn_custom_profile c;
  CHECK_EQ_INT(cn_custom_profile_build(&c, NULL, &fp, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK(c.p.h2.headers_priority);
  CHECK(c.p.h2.headers_priority_value.exclusive);
  cn_custom_profile_cleanup(&c);
  /* No priority wins over exclusive. */
  fp.set |= CN_FP_H2_NO_PRIORITY;
  fp.h2_no_priority = true;
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), &fp, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK(!c.p.h2.headers_priority);
  cn_custom_profile_cleanup(&c);
}

TEST(key_shares_limit_takes_first_groups) {
  struct cn_fingerprint fp;
  memset(&fp, 0, sizeof(fp));
  fp.set = CN_FP_KEY_SHARES_LIMIT;
  fp.key_shares_limit = 3;
  struct cn_custom_profile c;
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), &fp, NULL, 0, err,
                                       sizeof(err)),
               0);
  CHECK_EQ_INT(c.p.tls.key_shares.num, 3);
  CHECK_EQ_INT(c.p.tls.key_shares.v[0], 0x11ec);
  CHECK_EQ_INT(c.p.tls.key_shares.v[2], 0x0017);
  CHECK_EQ_INT(c.p.tls.key_shares_limit, 3);
  cn_custom_profile_cleanup(&c);
}

TEST(base_headers_make_both_lists) {
  static const char *const lines[] = {
      "sec-ch-ua: \"x\"", "User-Agent: UA", "Connection: keep-alive",
      "X-Empty;",         "X-Removed:",     "Accept: */*"};
  struct cn_custom_profile c;
  CHECK_EQ_INT(cn_custom_profile_build(&c, chrome(), NULL, lines, 6, err,
                                       sizeof(err)),
               0);
  /* HTTP/1.1: Host first (none listed), then the lines as given, without
   * the one that has no value. */
  CHECK_EQ_INT(c.p.h1_headers.num, 6);
  CHECK_EQ_STR(c.p.h1_headers.v[0].name, "Host");
  CHECK(c.p.h1_headers.v[0].value == NULL);
  CHECK_EQ_STR(c.p.h1_headers.v[2].name, "User-Agent");
  CHECK_EQ_STR(c.p.h1_headers.v[2].value, "UA");
  CHECK_EQ_STR(c.p.h1_headers.v[4].name, "X-Empty");
  CHECK_EQ_STR(c.p.h1_headers.v[4].value, "");
  CHECK_EQ_STR(c.p.h1_headers.v[5].name, "Accept");
  /* HTTP/2: lower case, no Connection. */
  CHECK_EQ_INT(c.p.h2_headers.num, 4);
  CHECK_EQ_STR(c.p.h2_headers.v[1].name, "user-agent");
  CHECK_EQ_STR(c.p.h2_headers.v[3].name, "accept");
  cn_custom_profile_cleanup(&c);
}

TEST(allocation_failures_are_errors) {
  static const char *const lines[] = {"A: b", "Host: x"};
  struct cn_fingerprint fp;
  memset(&fp, 0, sizeof(fp));
  fp.set = CN_FP_GREASE;
  for (long nth = 1; nth < 20; nth++) {
    struct cn_custom_profile c;
    cn_alloc_fail_nth(nth);
    int rv = cn_custom_profile_build(&c, chrome(), &fp, lines, 2, err,
                                     sizeof(err));
    cn_alloc_fail_nth(0);
    CHECK(rv == 0 || rv == -2);
    cn_custom_profile_cleanup(&c);
  }
}

TEST_MAIN(sigalgs_by_name, sigalgs_refused_with_reason, cert_compression,
          extension_order, pseudo_order, h2_settings, h2_streams,
          form_boundary_and_header_order, overrides_replace_one_field_each,
          names_differ_exactly_when_fingerprints_do,
          libcurl_base_keeps_libcurls_shape,
          extension_order_filters_and_conflicts, priority_options,
          key_shares_limit_takes_first_groups, base_headers_make_both_lists,
          allocation_failures_are_errors)
