/* version.c: curl_version and curl_version_info. They describe what this
 * build really does: the libraries in use with their run-time versions,
 * and only the protocols and features that work. */
#include <ares.h>
#include <brotli/decode.h>
#include <libpsl.h>
#include <nghttp2/nghttp2.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include <curl/curl.h>

#include "api/build_info.h"
#include "tls/ssl_client_socket.h"

/* Every string is built once; both functions hand out static data. */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static char version_string[300];
static char brotli_buf[32];
static char zstd_buf[32];

static const char *const protocols[] = {
    "http", "https", "ws", "wss", NULL};

/* The features this build has, in libcurl's (alphabetical) order.
 * HTTPS-proxy: TLS to the proxy (lib/socket/ssl_connect_job). PSL: the
 * cookie engine checks domains against libpsl's list (lib/cookies/psl.c).
 * IDN: host names are converted by curlium's own IDNA code (util/idna.c,
 * with libpsl's mapping), not by libidn2, so info.libidn stays NULL as
 * libcurl's WinIDN/AppleIDN builds leave it (see docs/COMPAT.md). */
static const struct {
  const char *name;
  int bit;
} feature_table[] = {
    {"alt-svc", CURL_VERSION_ALTSVC},
    {"AsynchDNS", CURL_VERSION_ASYNCHDNS},
    {"brotli", CURL_VERSION_BROTLI},
    {"HSTS", CURL_VERSION_HSTS},
    {"HTTP2", CURL_VERSION_HTTP2},
    {"HTTPS-proxy", CURL_VERSION_HTTPS_PROXY},
    {"IDN", CURL_VERSION_IDN},
    {"IPv6", CURL_VERSION_IPV6},
    {"Largefile", CURL_VERSION_LARGEFILE},
    {"libz", CURL_VERSION_LIBZ},
    {"NTLM", CURL_VERSION_NTLM},
    {"PSL", CURL_VERSION_PSL},
    {"SSL", CURL_VERSION_SSL},
    {"threadsafe", CURL_VERSION_THREADSAFE},
    {"UnixSockets", CURL_VERSION_UNIX_SOCKETS},
    {"zstd", CURL_VERSION_ZSTD},
};
#define NUM_FEATURES (sizeof(feature_table) / sizeof(feature_table[0]))

static const char *feature_names[NUM_FEATURES + 1];

static curl_version_info_data info;

/* Brotli packs major.minor.patch as 8.12.12 bits; zstd as decimal
 * MMmmpp. libcurl prints both the same way. */
static void brotli_version(char *buf, size_t len) {
  uint32_t v = BrotliDecoderVersion();
  snprintf(buf, len, "brotli/%u.%u.%u", v >> 24, (v & 0xffffff) >> 12,
           v & 0xfff);
}

static void zstd_version(char *buf, size_t len) {
  unsigned v = ZSTD_versionNumber();
  snprintf(buf, len, "zstd/%u.%u.%u", v / 10000, (v / 100) % 100, v % 100);
}

static void build(void) {
  char z[40], ares_buf[40], psl[40], h2[40];
  const nghttp2_info *h2info = nghttp2_version(0);
  int psl_num = psl_check_version_number(0);

  brotli_version(brotli_buf, sizeof(brotli_buf));
  zstd_version(zstd_buf, sizeof(zstd_buf));
  snprintf(z, sizeof(z), "zlib/%s", zlibVersion());
  snprintf(ares_buf, sizeof(ares_buf), "c-ares/%s", ares_version(NULL));
  snprintf(psl, sizeof(psl), "libpsl/%d.%d.%d", psl_num >> 16,
           (psl_num >> 8) & 0xff, psl_num & 0xff);
  snprintf(h2, sizeof(h2), "nghttp2/%s", h2info->version_str);

  /* libcurl's order: TLS, zlib, brotli, zstd, c-ares, (idn), psl, (ssh),
   * nghttp2. */
  snprintf(version_string, sizeof(version_string),
           "libcurl/" LIBCURL_VERSION " %s %s %s %s %s %s %s",
           cn_tls_library_version(), z, brotli_buf, zstd_buf, ares_buf, psl,
           h2);

  int features = 0;
  for (size_t i = 0; i < NUM_FEATURES; i++) {
    features |= feature_table[i].bit;
    feature_names[i] = feature_table[i].name;
  }
  feature_names[NUM_FEATURES] = NULL;

  int ares_num = 0;
  info.age = CURLVERSION_NOW;
  info.version = LIBCURL_VERSION;
  info.version_num = LIBCURL_VERSION_NUM;
  info.host = CN_BUILD_HOST;
  info.features = features;
  info.ssl_version = cn_tls_library_version();
  info.ssl_version_num = 0; /* always 0, as in libcurl */
  info.libz_version = zlibVersion();
  info.protocols = protocols;
  info.ares = ares_version(&ares_num);
  info.ares_num = ares_num;
  info.libidn = NULL;
  info.iconv_ver_num = 0;
  info.libssh_version = NULL;
  info.brotli_ver_num = BrotliDecoderVersion();
  info.brotli_version = brotli_buf;
  info.nghttp2_ver_num = (unsigned int)h2info->version_num;
  info.nghttp2_version = h2info->version_str;
  info.quic_version = NULL;
  info.cainfo = CN_DEFAULT_CA_BUNDLE;
  info.capath = CN_DEFAULT_CA_PATH;
  info.zstd_ver_num = ZSTD_versionNumber();
  info.zstd_version = zstd_buf;
  info.hyper_version = NULL;
  info.gsasl_version = NULL;
  info.feature_names = feature_names;
  info.rtmp_version = NULL;
}

char *curl_version(void) {
  pthread_once(&once, build);
  return version_string;
}

curl_version_info_data *curl_version_info(CURLversion stamp) {
  /* Every age gets the newest struct; a caller reads only what its age
   * knows (libcurl does the same). */
  (void)stamp;
  pthread_once(&once, build);
  return &info;
}
