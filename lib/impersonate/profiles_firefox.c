/* profiles_firefox.c: Firefox and Tor Browser (NSS).
 *
 * NSS sends no GREASE and a fixed extension order; the targets differ in a
 * few list entries and in their headers. firefox153 is the capture in
 * ../shared/reference; the others are curl-impersonate's published targets
 * (CN_CI_SOURCE): cipher list, curves, key-share limit, signature
 * algorithms, extension order, delegated credentials, record size limit
 * (0x4001), certificate compression, HTTP/2 SETTINGS, window, stream weight
 * 42 non-exclusive, pseudo-header order "mpas", headers. What a published
 * target does not say is taken from the capture, whose NSS generation is
 * the same: the HTTP/1.1 order (Host first, Connection after
 * Accept-Encoding, no TE) and the ECH GREASE shape (a 239-byte payload;
 * the AEAD is AES-128-GCM or ChaCha20-Poly1305 on a random bit per
 * connection, as NSS's tls13_MaybeGreaseEch: the two captures show one
 * each, and tests/fingerprint/recapture.py saw both again). */
#include "impersonate/profile_data.h"

/* --- TLS -------------------------------------------------------------------*/

static const uint16_t firefox_ciphers[] = {
    0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a,
    0xc009, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
/* The 153 capture no longer offers ECDHE-ECDSA-AES128-SHA (0xc009). */
static const uint16_t firefox153_ciphers[] = {
    0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a,
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
/* Tor Browser drops the ECDSA CBC suites. */
static const uint16_t tor_ciphers[] = {
    0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030,
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
/* X25519MLKEM768, X25519, P-256, P-384, P-521, ffdhe2048, ffdhe3072. */
static const uint16_t firefox_groups[] = {
    0x11ec, 0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101,
};
static const uint16_t firefox_shares[] = {0x11ec, 0x001d, 0x0017};
static const uint16_t tor_groups[] = {
    0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101,
};
static const uint16_t tor_shares[] = {0x001d, 0x0017};
static const uint16_t firefox_sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806,
    0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
};
static const uint16_t firefox_delegated_credentials[] = {
    0x0403, 0x0503, 0x0603, 0x0203,
};
static const uint16_t cert_compression_zlib_brotli_zstd[] = {
    CN_CERT_COMPRESSION_ZLIB, CN_CERT_COMPRESSION_BROTLI,
    CN_CERT_COMPRESSION_ZSTD,
};
static const uint16_t firefox_ext[] = {
    0, 23, 65281, 10, 11, 35, 16, 5, 34, 18, 51, 43, 13, 45, 28, 27, 65037,
};
/* Firefox 133: no signed_certificate_timestamp (18). */
static const uint16_t firefox133_ext[] = {
    0, 23, 65281, 10, 11, 35, 16, 5, 34, 51, 43, 13, 45, 28, 27, 65037,
};
/* Tor Browser: no session ticket, PSK modes, SCT or certificate
 * compression (the published order lists exactly these). */
static const uint16_t tor_ext[] = {
    0, 23, 65281, 10, 11, 16, 5, 34, 51, 43, 13, 28, 65037,
};

#define FIREFOX_TLS_COMMON                                                     \
  .version_min = 0x0303, .version_max = 0x0304,                                \
  .tls13_ciphers = LIST(cn_profile_tls13_chacha_second),                       \
  .sigalgs = LIST(firefox_sigalgs),                                            \
  .delegated_credentials = LIST(firefox_delegated_credentials),                \
  .alpn = LIST(cn_profile_alpn_h2_h1), .ext_order = CN_EXT_ORDER_FIXED,        \
  .ech_grease = true,                                                          \
  .ech_grease_aead = CN_ECH_GREASE_AEAD_AES128_OR_CHACHA,                      \
  .ech_grease_payload_len = 239, .status_request = true,                       \
  .record_size_limit = 16385

/* Firefox 133-153 with |cipher_array|, |ext_array| and |with_sct|. */
#define FIREFOX_TLS(cipher_array, ext_array, with_sct)                         \
  FIREFOX_TLS_COMMON, .ciphers = LIST(cipher_array),                           \
                      .groups = LIST(firefox_groups),                          \
                      .key_shares = LIST(firefox_shares),                      \
                      .cert_compression =                                      \
                          LIST(cert_compression_zlib_brotli_zstd),             \
                      .extensions = LIST(ext_array), .session_ticket = true,   \
                      .sct = with_sct, .psk_modes = LIST(cn_profile_psk_dhe_ke), \
                      .psk_on_resumption = true

/* --- HTTP/2 ------------------------------------------------------------- */

static const struct cn_h2_setting firefox_h2_settings[] = {
    {1, 65536},  /* HEADER_TABLE_SIZE */
    {2, 0},      /* ENABLE_PUSH */
    {4, 131072}, /* INITIAL_WINDOW_SIZE */
    {5, 16384},  /* MAX_FRAME_SIZE */
};

#define FIREFOX_H2(first_stream)                                               \
  {                                                                            \
    .settings = firefox_h2_settings,                                           \
    .num_settings = CN_NUM(firefox_h2_settings), .window_update = 12517377,    \
    .headers_priority = true, .headers_priority_value = {0, 0, 42, false},     \
    .pseudo_order = "mpas", .first_stream_id = first_stream,                   \
  }

/* --- headers -------------------------------------------------------------- */

#define FIREFOX_ACCEPT                                                         \
  "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#define FIREFOX_ENC "gzip, deflate, br, zstd"
#define UA_FIREFOX_MAC(v)                                                      \
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:" v ") Gecko/20100101 "    \
  "Firefox/" v

/* A user-initiated navigation (Sec-Fetch-User), HTTP/1.1 and HTTP/2. */
#define FIREFOX_HEADERS(id, ua, lang)                                          \
  static const struct cn_header id##_h1[] = {                                  \
      {"Host", NULL},                                                          \
      {"User-Agent", ua},                                                      \
      {"Accept", FIREFOX_ACCEPT},                                              \
      {"Accept-Language", lang},                                               \
      {"Accept-Encoding", FIREFOX_ENC},                                        \
      {"Connection", "keep-alive"},                                            \
      {"Upgrade-Insecure-Requests", "1"},                                      \
      {"Sec-Fetch-Dest", "document"},                                          \
      {"Sec-Fetch-Mode", "navigate"},                                          \
      {"Sec-Fetch-Site", "none"},                                              \
      {"Sec-Fetch-User", "?1"},                                                \
      {"Priority", "u=0, i"},                                                  \
  };                                                                           \
  static const struct cn_header id##_h2[] = {                                  \
      {"user-agent", ua},                                                      \
      {"accept", FIREFOX_ACCEPT},                                              \
      {"accept-language", lang},                                               \
      {"accept-encoding", FIREFOX_ENC},                                        \
      {"upgrade-insecure-requests", "1"},                                      \
      {"sec-fetch-dest", "document"},                                          \
      {"sec-fetch-mode", "navigate"},                                          \
      {"sec-fetch-site", "none"},                                              \
      {"sec-fetch-user", "?1"},                                                \
      {"priority", "u=0, i"},                                                  \
      {"te", "trailers"},                                                      \
  }

#define FIREFOX_HTTP(id)                                                       \
  .h1_headers = LIST(id##_h1), .h2_headers = LIST(id##_h2),                    \
  .accept_encoding = FIREFOX_ENC, .form_boundary = CN_FORM_BOUNDARY_GECKO,     \
  .h2_split_cookies = true

/* --- targets ------------------------------------------------------------ */

FIREFOX_HEADERS(firefox133, UA_FIREFOX_MAC("133.0"), "en-US,en;q=0.5");
static const struct cn_browser_profile firefox133 = {
    .name = "firefox133",
    .source = CN_CI_SOURCE("firefox133"),
    .tls = {FIREFOX_TLS(firefox_ciphers, firefox133_ext, false)},
    .h2 = FIREFOX_H2(1),
    FIREFOX_HTTP(firefox133),
};

FIREFOX_HEADERS(firefox135, UA_FIREFOX_MAC("135.0"), "en-US,en;q=0.5");
static const struct cn_browser_profile firefox135 = {
    .name = "firefox135",
    .source = CN_CI_SOURCE("firefox135"),
    .tls = {FIREFOX_TLS(firefox_ciphers, firefox_ext, true)},
    .h2 = FIREFOX_H2(1),
    FIREFOX_HTTP(firefox135),
};

FIREFOX_HEADERS(firefox144, UA_FIREFOX_MAC("144.0"), "en-US,en;q=0.5");
static const struct cn_browser_profile firefox144 = {
    .name = "firefox144",
    .source = CN_CI_SOURCE("firefox144"),
    .tls = {FIREFOX_TLS(firefox_ciphers, firefox_ext, true)},
    .h2 = FIREFOX_H2(1),
    FIREFOX_HTTP(firefox144),
};

FIREFOX_HEADERS(firefox147, UA_FIREFOX_MAC("147.0"), "en-US,en;q=0.9");
static const struct cn_browser_profile firefox147 = {
    .name = "firefox147",
    .source = CN_CI_SOURCE("firefox147"),
    .tls = {FIREFOX_TLS(firefox_ciphers, firefox_ext, true)},
    .h2 = FIREFOX_H2(1),
    FIREFOX_HTTP(firefox147),
};

/* Firefox 153 --------------------------------------------------------------
 * Everything from ../shared/reference/firefox-esr-153-linux-h{1,2}.json
 * (Debian firefox-esr 153.7.0esr, Linux). The headless navigation sent no
 * Sec-Fetch-User. In the h2 capture the first request went out on stream
 * 3. */
#define FIREFOX153_UA                                                          \
  "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"

static const struct cn_header firefox153_h1_headers[] = {
    {"Host", NULL},
    {"User-Agent", FIREFOX153_UA},
    {"Accept", FIREFOX_ACCEPT},
    {"Accept-Language", "en-US,en;q=0.9"},
    {"Accept-Encoding", FIREFOX_ENC},
    {"Connection", "keep-alive"},
    {"Upgrade-Insecure-Requests", "1"},
    {"Sec-Fetch-Dest", "document"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-Site", "none"},
    {"Priority", "u=0, i"},
};

static const struct cn_header firefox153_h2_headers[] = {
    {"user-agent", FIREFOX153_UA},
    {"accept", FIREFOX_ACCEPT},
    {"accept-language", "en-US,en;q=0.9"},
    {"accept-encoding", FIREFOX_ENC},
    {"upgrade-insecure-requests", "1"},
    {"sec-fetch-dest", "document"},
    {"sec-fetch-mode", "navigate"},
    {"sec-fetch-site", "none"},
    {"priority", "u=0, i"},
    {"te", "trailers"},
};

static const struct cn_browser_profile firefox153 = {
    .name = "firefox153",
    .source = "../shared/reference/firefox-esr-153-linux-h1.json, -h2.json "
              "(Debian firefox-esr 153.7.0esr)",
    .tls = {FIREFOX_TLS(firefox153_ciphers, firefox_ext, true)},
    .h2 = FIREFOX_H2(3),
    .h1_headers = LIST(firefox153_h1_headers),
    .h2_headers = LIST(firefox153_h2_headers),
    .accept_encoding = FIREFOX_ENC,
    .form_boundary = CN_FORM_BOUNDARY_GECKO,
    .h2_split_cookies = true,
};

/* Tor Browser 14.5 (Firefox 128 ESR): two key shares, no session
 * resumption (no ticket, no PSK modes), Sec-GPC. */
#define TOR_UA UA_FIREFOX_MAC("128.0")
static const struct cn_header tor145_h1[] = {
    {"Host", NULL},
    {"User-Agent", TOR_UA},
    {"Accept", FIREFOX_ACCEPT},
    {"Accept-Language", "en-US,en;q=0.5"},
    {"Accept-Encoding", FIREFOX_ENC},
    {"Sec-GPC", "1"},
    {"Connection", "keep-alive"},
    {"Upgrade-Insecure-Requests", "1"},
    {"Sec-Fetch-Dest", "document"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-Site", "none"},
    {"Sec-Fetch-User", "?1"},
    {"Priority", "u=0, i"},
};
static const struct cn_header tor145_h2[] = {
    {"user-agent", TOR_UA},
    {"accept", FIREFOX_ACCEPT},
    {"accept-language", "en-US,en;q=0.5"},
    {"accept-encoding", FIREFOX_ENC},
    {"sec-gpc", "1"},
    {"upgrade-insecure-requests", "1"},
    {"sec-fetch-dest", "document"},
    {"sec-fetch-mode", "navigate"},
    {"sec-fetch-site", "none"},
    {"sec-fetch-user", "?1"},
    {"priority", "u=0, i"},
    {"te", "trailers"},
};
static const struct cn_browser_profile tor145 = {
    .name = "tor145",
    .source = CN_CI_SOURCE("tor145"),
    .tls =
        {
            FIREFOX_TLS_COMMON,
            .ciphers = LIST(tor_ciphers),
            .groups = LIST(tor_groups),
            .key_shares = LIST(tor_shares),
            .extensions = LIST(tor_ext),
        },
    .h2 = FIREFOX_H2(1),
    FIREFOX_HTTP(tor145),
};

static const struct cn_browser_profile *const firefox_targets[] = {
    &firefox133, &firefox135, &firefox144, &firefox147, &firefox153, &tor145,
};

const struct cn_profile_family cn_impersonate_firefox_family = {
    firefox_targets, CN_NUM(firefox_targets)};
