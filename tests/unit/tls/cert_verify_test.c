/* cert_verify_test.c: host-name pattern rules, X509 error mapping and the
 * TLS config key. */
#include "tls/cert_verify.h"

#include "test.h"
#include "tls/ssl_config.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

static bool match(const char *pattern, const char *host) {
  return cn_cert_hostname_match(pattern, strlen(pattern), host);
}

TEST(exact_names_ignore_case_and_trailing_dot) {
  CHECK(match("example.com", "example.com"));
  CHECK(match("EXAMPLE.com", "example.COM"));
  CHECK(match("example.com.", "example.com"));
  CHECK(match("example.com", "example.com."));
  CHECK(!match("example.com", "www.example.com"));
  CHECK(!match("example.co", "example.com"));
}

TEST(wildcard_covers_one_label) {
  CHECK(match("*.example.com", "www.example.com"));
  CHECK(match("*.example.com", "WWW.Example.com."));
  CHECK(!match("*.example.com", "a.b.example.com"));
  CHECK(!match("*.example.com", "example.com"));
  CHECK(!match("*.example.com", ".example.com"));
  /* Too wide: a wildcard needs two labels after it. */
  CHECK(!match("*.com", "example.com"));
  /* No partial-label wildcards. */
  CHECK(!match("w*.example.com", "www.example.com"));
}

TEST(wildcard_never_matches_ip_literals) {
  CHECK(!match("*.0.0.1", "127.0.0.1"));
  CHECK(match("127.0.0.1", "127.0.0.1"));
}

TEST(x509_errors_map_to_net_errors) {
  CHECK_EQ_INT(
      cn_cert_verify_map_error(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
      CN_ERR_CERT_AUTHORITY_INVALID);
  CHECK_EQ_INT(cn_cert_verify_map_error(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
               CN_ERR_CERT_AUTHORITY_INVALID);
  CHECK_EQ_INT(cn_cert_verify_map_error(X509_V_ERR_CERT_HAS_EXPIRED),
               CN_ERR_CERT_DATE_INVALID);
  CHECK_EQ_INT(cn_cert_verify_map_error(X509_V_ERR_CERT_REVOKED),
               CN_ERR_CERT_REVOKED);
  CHECK_EQ_INT(cn_cert_verify_map_error(X509_V_ERR_CERT_SIGNATURE_FAILURE),
               CN_ERR_CERT_INVALID);
}

TEST(config_key_distinguishes_settings) {
  struct cn_ssl_config a, b;
  cn_ssl_config_init(&a);
  CHECK(a.verify_peer && a.verify_host && a.session_cache);
  b = a;
  struct cn_buf ka, kb;
  cn_buf_init(&ka, 0);
  cn_buf_init(&kb, 0);
  CHECK_EQ_INT(cn_ssl_config_key(&a, &ka), CN_OK);
  CHECK_EQ_INT(cn_ssl_config_key(&b, &kb), CN_OK);
  CHECK_EQ_STR(ka.data, kb.data);

  /* A separator inside a value must not make two configs collide. */
  a.ca_file = "x;capath=5:y";
  b.ca_file = "x";
  b.ca_path = "y";
  cn_buf_reset(&ka);
  cn_buf_reset(&kb);
  CHECK_EQ_INT(cn_ssl_config_key(&a, &ka), CN_OK);
  CHECK_EQ_INT(cn_ssl_config_key(&b, &kb), CN_OK);
  CHECK(strcmp(ka.data, kb.data) != 0);

  /* Secrets and blobs appear only as digests. */
  a.key_password = "hunter2";
  a.ca_blob = "-----BEGIN CERTIFICATE-----";
  a.ca_blob_len = 27;
  cn_buf_reset(&ka);
  CHECK_EQ_INT(cn_ssl_config_key(&a, &ka), CN_OK);
  CHECK(strstr(ka.data, "hunter2") == NULL);
  CHECK(strstr(ka.data, "BEGIN") == NULL);

  b = a;
  b.verify_host = false;
  cn_buf_reset(&kb);
  CHECK_EQ_INT(cn_ssl_config_key(&b, &kb), CN_OK);
  CHECK(strcmp(ka.data, kb.data) != 0);
  cn_buf_cleanup(&ka);
  cn_buf_cleanup(&kb);
}

TEST(config_key_oom_leaves_buffer_unchanged) {
  struct cn_ssl_config cfg;
  cn_ssl_config_init(&cfg);
  cfg.ca_file = "/some/file";
  bool ok = false;
  for (long n = 1; n < 50 && !ok; n++) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    cn_buf_append_str(&b, "prefix|");
    cn_alloc_fail_nth(n);
    int rv = cn_ssl_config_key(&cfg, &b);
    cn_alloc_fail_nth(0);
    CHECK(rv == CN_OK || rv == CN_ERR_OUT_OF_MEMORY);
    if (rv == CN_OK)
      ok = true;
    else
      CHECK_EQ_STR(b.data, "prefix|");
    cn_buf_cleanup(&b);
  }
  CHECK(ok);
}

TEST_MAIN(exact_names_ignore_case_and_trailing_dot, wildcard_covers_one_label,
          wildcard_never_matches_ip_literals, x509_errors_map_to_net_errors,
          config_key_distinguishes_settings,
          config_key_oom_leaves_buffer_unchanged)
