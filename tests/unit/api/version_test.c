/* version_test.c: curl_version / curl_version_info describe this build
 * honestly: libcurl 8.14.1, BoringSSL and the libraries linked, only
 * HTTP(S), and feature bits that agree with feature_names. */
#include <curl/curl.h>

#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "test.h"

TEST(version_string) {
  const char *v = curl_version();
  CHECK(strncmp(v, "libcurl/8.14.1 BoringSSL", 24) == 0);
  char z[64];
  snprintf(z, sizeof(z), " zlib/%s ", zlibVersion());
  CHECK(strstr(v, z) != NULL);
  CHECK(strstr(v, " brotli/") != NULL);
  CHECK(strstr(v, " zstd/") != NULL);
  CHECK(strstr(v, " c-ares/") != NULL);
  CHECK(strstr(v, " libpsl/") != NULL);
  CHECK(strstr(v, " nghttp2/") != NULL);
  CHECK(strstr(v, "OpenSSL") == NULL);
  CHECK(curl_version() == v); /* static */
}

TEST(version_info_fields) {
  curl_version_info_data *d = curl_version_info(CURLVERSION_NOW);
  CHECK(d != NULL);
  if (!d)
    return;
  CHECK_EQ_INT(d->age, CURLVERSION_TWELFTH);
  CHECK_EQ_STR(d->version, "8.14.1");
  CHECK_EQ_INT(d->version_num, 0x080e01);
  CHECK(strncmp(d->ssl_version, "BoringSSL", 9) == 0);
  CHECK_EQ_STR(d->libz_version, zlibVersion());
  CHECK(d->ares != NULL && d->ares_num > 0);
  CHECK(d->brotli_version && strncmp(d->brotli_version, "brotli/", 7) == 0);
  CHECK(d->brotli_ver_num > 0);
  CHECK(d->zstd_version && strncmp(d->zstd_version, "zstd/", 5) == 0);
  CHECK(d->zstd_ver_num > 0);
  /* IDN is curlium's own code, not libidn2 (as with libcurl's WinIDN). */
  CHECK(d->libidn == NULL);
  CHECK(d->libssh_version == NULL);
  CHECK_EQ_STR(d->cainfo, "/etc/ssl/certs/ca-certificates.crt");
  CHECK_EQ_STR(d->capath, "/etc/ssl/certs");
  CHECK(d->host != NULL && strstr(d->host, "linux") != NULL);
  /* the same struct whatever age is asked for */
  CHECK(curl_version_info(CURLVERSION_FIRST) == d);
}

TEST(only_http_and_https) {
  curl_version_info_data *d = curl_version_info(CURLVERSION_NOW);
  CHECK_EQ_STR(d->protocols[0], "http");
  CHECK_EQ_STR(d->protocols[1], "https");
  CHECK_EQ_STR(d->protocols[2], "ws");
  CHECK_EQ_STR(d->protocols[3], "wss");
  CHECK(d->protocols[4] == NULL);
}

static int has_name(const curl_version_info_data *d, const char *name) {
  for (const char *const *n = d->feature_names; *n; n++)
    if (strcmp(*n, name) == 0)
      return 1;
  return 0;
}

TEST(features_are_honest) {
  curl_version_info_data *d = curl_version_info(CURLVERSION_NOW);
  struct {
    const char *name;
    int bit;
    int present;
  } expect[] = {
      {"AsynchDNS", CURL_VERSION_ASYNCHDNS, 1},
      {"brotli", CURL_VERSION_BROTLI, 1},
      {"IPv6", CURL_VERSION_IPV6, 1},
      {"Largefile", CURL_VERSION_LARGEFILE, 1},
      {"libz", CURL_VERSION_LIBZ, 1},
      {"SSL", CURL_VERSION_SSL, 1},
      {"threadsafe", CURL_VERSION_THREADSAFE, 1},
      {"zstd", CURL_VERSION_ZSTD, 1},
      {"HTTP2", CURL_VERSION_HTTP2, 1},
      {"NTLM", CURL_VERSION_NTLM, 1},
      {"PSL", CURL_VERSION_PSL, 1},
      {"UnixSockets", CURL_VERSION_UNIX_SOCKETS, 1},
      {"HSTS", CURL_VERSION_HSTS, 1},
      {"alt-svc", CURL_VERSION_ALTSVC, 1},
      {"HTTPS-proxy", CURL_VERSION_HTTPS_PROXY, 1},
      {"IDN", CURL_VERSION_IDN, 1},
  };
  int bits = 0;
  for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
    CHECK_EQ_INT(!!(d->features & expect[i].bit), expect[i].present);
    CHECK_EQ_INT(has_name(d, expect[i].name), expect[i].present);
    if (expect[i].present)
      bits |= expect[i].bit;
  }
  CHECK_EQ_INT(d->features, bits); /* nothing else */
  size_t n = 0;
  while (d->feature_names[n])
    n++;
  CHECK_EQ_INT(n, 16);
  /* libcurl keeps the names sorted case-insensitively */
  for (size_t i = 1; i < n; i++)
    CHECK(strcasecmp(d->feature_names[i - 1], d->feature_names[i]) < 0);
}

TEST_MAIN(version_string, version_info_fields, only_http_and_https,
          features_are_honest)
