/* browser_profiles.c: the impersonation targets and the registry.
 *
 * Each target cites where its facts come from. Lists are written in the
 * browser's wire order; GREASE is a flag, not a value (see
 * browser_profile.h). */
#include "impersonate/browser_profile.h"

#include <string.h>
#include <strings.h>

#define LIST(a) {a, sizeof(a) / sizeof((a)[0])}

/* --- shared values ------------------------------------------------------ */

static const char *const alpn_h2_h1[] = {"h2", "http/1.1"};
static const char *const alps_h2[] = {"h2"};
static const uint16_t psk_dhe_ke[] = {1};

/* --- Chrome 156 ------------------------------------------------------------
 * TLS and HTTP/2: ../shared/reference/chromium-156-linux-h{1,2}.json (Debian
 * chromium 156.0.8078.79, Linux). Google Chrome differs from the headless
 * Chromium build only in the User-Agent product token ("Chrome/" instead of
 * "HeadlessChrome/") and in the brand list of sec-ch-ua: Chromium's
 * components/embedder_support/user_agent_utils.cc adds "Google Chrome" as a
 * third brand and orders the three with a permutation seeded by the major
 * version (156 % 6 = 0: GREASE brand, Chromium, Google Chrome); the GREASE
 * brand "Not:A-Brand";v="8" is the same function of the seed as in the
 * capture. The cipher list is BoringSSL's "ALL:!aPSK:!ECDSA+SHA1:!3DES"
 * (net/socket/ssl_client_socket_impl.cc), ALPS for h2 carries empty settings
 * (net/http/http_network_session.cc). */

static const uint16_t chrome156_ciphers[] = {
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t chrome_tls13_ciphers[] = {0x1301, 0x1302, 0x1303};
static const uint16_t chrome156_groups[] = {0x11ec, 0x001d, 0x0017, 0x0018};
static const uint16_t chrome156_key_shares[] = {0x11ec, 0x001d};
static const uint16_t chrome156_sigalgs[] = {
    0x0904, 0x0905, 0x0906, /* ML-DSA-44, -65, -87 */
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
};
static const uint16_t cert_compression_brotli[] = {CN_CERT_COMPRESSION_BROTLI};
/* The extension set of the h2 capture (h1 lacks ALPS, 17613, because ALPS
 * is only sent for h2). */
static const uint16_t chrome156_extensions[] = {
    0,     /* server_name */
    5,     /* status_request */
    10,    /* supported_groups */
    11,    /* ec_point_formats */
    13,    /* signature_algorithms */
    16,    /* ALPN */
    18,    /* signed_certificate_timestamp */
    23,    /* extended_master_secret */
    27,    /* compress_certificate */
    35,    /* session_ticket */
    43,    /* supported_versions */
    45,    /* psk_key_exchange_modes */
    51,    /* key_share */
    17613, /* application_settings (new code point) */
    51764, /* trust_anchors */
    65037, /* encrypted_client_hello (GREASE) */
    65281, /* renegotiation_info */
};
/* Chrome Root Store trust anchor IDs, as sent in the capture. */
static const uint8_t chrome156_trust_anchor_ids[] = {
    0x05, 0x82, 0xdf, 0x13, 0x02, 0x01, 0x05, 0x82, 0xdf, 0x13, 0x02, 0x06,
    0x05, 0x82, 0xdf, 0x13, 0x02, 0x0d, 0x05, 0x82, 0xdf, 0x13, 0x02, 0x0e,
    0x05, 0x82, 0xdf, 0x13, 0x02, 0x0f, 0x05, 0x82, 0xdf, 0x13, 0x02, 0x12,
    0x05, 0x82, 0xdf, 0x13, 0x02, 0x13, 0x05, 0x82, 0xdf, 0x13, 0x02, 0x14,
    0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x07, 0x08, 0x83, 0x9a,
    0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x08, 0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b,
    0x2d, 0x01, 0x09, 0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x0a,
    0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x0b, 0x08, 0x83, 0x9a,
    0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x0c, 0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b,
    0x2d, 0x01, 0x0d, 0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x12,
    0x08, 0x83, 0x9a, 0x64, 0x8c, 0x9b, 0x2d, 0x01, 0x13, 0x04, 0xd6, 0x79,
    0x09, 0x01, 0x04, 0xd6, 0x79, 0x09, 0x04, 0x04, 0xd6, 0x79, 0x09, 0x05,
    0x04, 0xd6, 0x79, 0x09, 0x06, 0x04, 0xd6, 0x79, 0x09, 0x07, 0x04, 0xd6,
    0x79, 0x09, 0x08, 0x04, 0xd6, 0x79, 0x09, 0x0a, 0x04, 0xd6, 0x79, 0x09,
    0x0b, 0x04, 0xd6, 0x79, 0x09, 0x0c, 0x04, 0xd6, 0x79, 0x09, 0x0d, 0x04,
    0xd6, 0x79, 0x09, 0x0f,
};

static const struct cn_h2_setting chrome_h2_settings[] = {
    {1, 65536},   /* HEADER_TABLE_SIZE */
    {2, 0},       /* ENABLE_PUSH */
    {4, 6291456}, /* INITIAL_WINDOW_SIZE */
    {6, 262144},  /* MAX_HEADER_LIST_SIZE */
};

#define CHROME156_UA                                                           \
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "    \
  "Chrome/156.0.0.0 Safari/537.36"
#define CHROME156_SEC_CH_UA                                                    \
  "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\", "                          \
  "\"Google Chrome\";v=\"156\""
#define CHROME_ACCEPT                                                          \
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,"           \
  "image/avif,image/webp,image/apng,*/*;q=0.8,application/"                    \
  "signed-exchange;v=b3;q=0.7"
#define CHROME_ACCEPT_ENCODING "gzip, deflate, br, zstd"

static const struct cn_header chrome156_h1_headers[] = {
    {"Host", NULL},
    {"Connection", "keep-alive"},
    {"sec-ch-ua", CHROME156_SEC_CH_UA},
    {"sec-ch-ua-mobile", "?0"},
    {"sec-ch-ua-platform", "\"Linux\""},
    {"Upgrade-Insecure-Requests", "1"},
    {"User-Agent", CHROME156_UA},
    {"Accept", CHROME_ACCEPT},
    {"Sec-Fetch-Site", "none"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-User", "?1"},
    {"Sec-Fetch-Dest", "document"},
    {"Accept-Encoding", CHROME_ACCEPT_ENCODING},
    {"Accept-Language", "en-US,en;q=0.9"},
};

static const struct cn_header chrome156_h2_headers[] = {
    {"sec-ch-ua", CHROME156_SEC_CH_UA},
    {"sec-ch-ua-mobile", "?0"},
    {"sec-ch-ua-platform", "\"Linux\""},
    {"upgrade-insecure-requests", "1"},
    {"user-agent", CHROME156_UA},
    {"accept", CHROME_ACCEPT},
    {"sec-fetch-site", "none"},
    {"sec-fetch-mode", "navigate"},
    {"sec-fetch-user", "?1"},
    {"sec-fetch-dest", "document"},
    {"accept-encoding", CHROME_ACCEPT_ENCODING},
    {"accept-language", "en-US,en;q=0.9"},
    {"priority", "u=0, i"},
};

static const struct cn_browser_profile chrome156 = {
    .name = "chrome156",
    .source = "../shared/reference/chromium-156-linux-h1.json, -h2.json "
              "(Debian chromium 156.0.8078.79); Google Chrome's UA and "
              "brands from components/embedder_support/user_agent_utils.cc",
    .tls =
        {
            .version_min = 0x0303,
            .version_max = 0x0304,
            .ciphers = LIST(chrome156_ciphers),
            .tls13_ciphers = LIST(chrome_tls13_ciphers),
            .groups = LIST(chrome156_groups),
            .key_shares = LIST(chrome156_key_shares),
            .sigalgs = LIST(chrome156_sigalgs),
            .grease_sigalg = true,
            .alpn = LIST(alpn_h2_h1),
            .alps = LIST(alps_h2),
            .alps_codepoint = CN_ALPS_CODEPOINT_NEW,
            .cert_compression = LIST(cert_compression_brotli),
            .grease = true,
            .ext_order = CN_EXT_ORDER_PERMUTE,
            .extensions = LIST(chrome156_extensions),
            .ech_grease = true,
            .session_ticket = true,
            .status_request = true,
            .sct = true,
            .trust_anchors = true,
            .trust_anchor_ids = LIST(chrome156_trust_anchor_ids),
            .psk_modes = LIST(psk_dhe_ke),
            .psk_on_resumption = true,
        },
    .h2 =
        {
            .settings = chrome_h2_settings,
            .num_settings = sizeof(chrome_h2_settings) /
                            sizeof(chrome_h2_settings[0]),
            .window_update = 15663105,
            .headers_priority = true,
            .headers_priority_value = {0, 0, 256, true},
            .pseudo_order = "masp",
            .first_stream_id = 1,
        },
    .h1_headers = LIST(chrome156_h1_headers),
    .h2_headers = LIST(chrome156_h2_headers),
    .accept_encoding = CHROME_ACCEPT_ENCODING,
    .form_boundary = CN_FORM_BOUNDARY_WEBKIT,
    .h2_split_cookies = false,
};

/* --- Firefox 153 -----------------------------------------------------------
 * Everything from ../shared/reference/firefox-esr-153-linux-h{1,2}.json
 * (Debian firefox-esr 153.7.0esr, Linux): NSS, no GREASE, a fixed
 * extension order, FFDHE groups advertised, three key shares, record size
 * limit, delegated credentials, ECH GREASE with ChaCha20-Poly1305 and a
 * fixed 239-byte payload. In the h2 capture the first request went out on
 * stream 3. */

static const uint16_t firefox153_ciphers[] = {
    0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a,
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t firefox_tls13_ciphers[] = {0x1301, 0x1303, 0x1302};
static const uint16_t firefox153_groups[] = {
    0x11ec, 0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101,
};
static const uint16_t firefox153_key_shares[] = {0x11ec, 0x001d, 0x0017};
static const uint16_t firefox153_sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806,
    0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
};
static const uint16_t firefox153_delegated_credentials[] = {
    0x0403, 0x0503, 0x0603, 0x0203,
};
static const uint16_t cert_compression_zlib_brotli_zstd[] = {
    CN_CERT_COMPRESSION_ZLIB, CN_CERT_COMPRESSION_BROTLI,
    CN_CERT_COMPRESSION_ZSTD,
};
static const uint16_t firefox153_extensions[] = {
    0, 23, 65281, 10, 11, 35, 16, 5, 34, 18, 51, 43, 13, 45, 28, 27, 65037,
};

static const struct cn_h2_setting firefox153_h2_settings[] = {
    {1, 65536},  /* HEADER_TABLE_SIZE */
    {2, 0},      /* ENABLE_PUSH */
    {4, 131072}, /* INITIAL_WINDOW_SIZE */
    {5, 16384},  /* MAX_FRAME_SIZE */
};

#define FIREFOX153_UA                                                          \
  "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"
#define FIREFOX_ACCEPT                                                         \
  "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#define FIREFOX_ACCEPT_ENCODING "gzip, deflate, br, zstd"

static const struct cn_header firefox153_h1_headers[] = {
    {"Host", NULL},
    {"User-Agent", FIREFOX153_UA},
    {"Accept", FIREFOX_ACCEPT},
    {"Accept-Language", "en-US,en;q=0.9"},
    {"Accept-Encoding", FIREFOX_ACCEPT_ENCODING},
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
    {"accept-encoding", FIREFOX_ACCEPT_ENCODING},
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
    .tls =
        {
            .version_min = 0x0303,
            .version_max = 0x0304,
            .ciphers = LIST(firefox153_ciphers),
            .tls13_ciphers = LIST(firefox_tls13_ciphers),
            .groups = LIST(firefox153_groups),
            .key_shares = LIST(firefox153_key_shares),
            .sigalgs = LIST(firefox153_sigalgs),
            .delegated_credentials = LIST(firefox153_delegated_credentials),
            .alpn = LIST(alpn_h2_h1),
            .cert_compression = LIST(cert_compression_zlib_brotli_zstd),
            .ext_order = CN_EXT_ORDER_FIXED,
            .extensions = LIST(firefox153_extensions),
            .ech_grease = true,
            .ech_grease_aead = 0x0003, /* ChaCha20-Poly1305 */
            .ech_grease_payload_len = 239,
            .session_ticket = true,
            .status_request = true,
            .sct = true,
            .record_size_limit = 16385,
            .psk_modes = LIST(psk_dhe_ke),
            .psk_on_resumption = true,
        },
    .h2 =
        {
            .settings = firefox153_h2_settings,
            .num_settings = sizeof(firefox153_h2_settings) /
                            sizeof(firefox153_h2_settings[0]),
            .window_update = 12517377,
            .headers_priority = true,
            .headers_priority_value = {0, 0, 42, false},
            .pseudo_order = "mpas",
            .first_stream_id = 3,
        },
    .h1_headers = LIST(firefox153_h1_headers),
    .h2_headers = LIST(firefox153_h2_headers),
    .accept_encoding = FIREFOX_ACCEPT_ENCODING,
    .form_boundary = CN_FORM_BOUNDARY_GECKO,
    .h2_split_cookies = true,
};

/* --- Chrome 131 (macOS) ---------------------------------------------------
 * Published signature of curl-impersonate's chrome131 target
 * (lexiforest/curl-impersonate bin/curl_chrome131): cipher list, groups
 * X25519MLKEM768:X25519:P-256:P-384, ALPS (old code point: the new one came
 * with Chrome 133), brotli certificate compression, GREASE, permutation,
 * ECH GREASE, SCT, HTTP/2 settings/window/priority and the headers.
 * Signature algorithms: Chromium's kVerifyPrefs without ML-DSA
 * (net/socket/ssl_client_socket_impl.cc), no GREASE value in them before
 * Chrome 156. The sec-ch-ua order follows user_agent_utils.cc for seed 131
 * (131 % 6 = 5: Google Chrome, Chromium, GREASE brand). HTTP/1.1 order: the
 * same navigation headers without Priority, after Host and Connection, as
 * in the Chromium 156 capture. */

static const uint16_t chrome131_sigalgs[] = {
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
};
static const uint16_t chrome131_extensions[] = {
    0, 5, 10, 11, 13, 16, 17513, 18, 23, 27, 35, 43, 45, 51, 65037, 65281,
};

#define CHROME131_UA                                                           \
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "        \
  "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
#define CHROME131_SEC_CH_UA                                                    \
  "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", "                    \
  "\"Not_A Brand\";v=\"24\""
#define CHROME131_ACCEPT                                                       \
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"          \
  "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"

static const struct cn_header chrome131_h1_headers[] = {
    {"Host", NULL},
    {"Connection", "keep-alive"},
    {"sec-ch-ua", CHROME131_SEC_CH_UA},
    {"sec-ch-ua-mobile", "?0"},
    {"sec-ch-ua-platform", "\"macOS\""},
    {"Upgrade-Insecure-Requests", "1"},
    {"User-Agent", CHROME131_UA},
    {"Accept", CHROME131_ACCEPT},
    {"Sec-Fetch-Site", "none"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-User", "?1"},
    {"Sec-Fetch-Dest", "document"},
    {"Accept-Encoding", CHROME_ACCEPT_ENCODING},
    {"Accept-Language", "en-US,en;q=0.9"},
};

static const struct cn_header chrome131_h2_headers[] = {
    {"sec-ch-ua", CHROME131_SEC_CH_UA},
    {"sec-ch-ua-mobile", "?0"},
    {"sec-ch-ua-platform", "\"macOS\""},
    {"upgrade-insecure-requests", "1"},
    {"user-agent", CHROME131_UA},
    {"accept", CHROME131_ACCEPT},
    {"sec-fetch-site", "none"},
    {"sec-fetch-mode", "navigate"},
    {"sec-fetch-user", "?1"},
    {"sec-fetch-dest", "document"},
    {"accept-encoding", CHROME_ACCEPT_ENCODING},
    {"accept-language", "en-US,en;q=0.9"},
    {"priority", "u=0, i"},
};

static const struct cn_browser_profile chrome131 = {
    .name = "chrome131",
    .source = "curl-impersonate bin/curl_chrome131 (published signature); "
              "sigalgs from Chromium net/socket/ssl_client_socket_impl.cc",
    .tls =
        {
            .version_min = 0x0303,
            .version_max = 0x0304,
            .ciphers = LIST(chrome156_ciphers),
            .tls13_ciphers = LIST(chrome_tls13_ciphers),
            .groups = LIST(chrome156_groups),
            .key_shares = LIST(chrome156_key_shares),
            .sigalgs = LIST(chrome131_sigalgs),
            .alpn = LIST(alpn_h2_h1),
            .alps = LIST(alps_h2),
            .alps_codepoint = CN_ALPS_CODEPOINT_OLD,
            .cert_compression = LIST(cert_compression_brotli),
            .grease = true,
            .ext_order = CN_EXT_ORDER_PERMUTE,
            .extensions = LIST(chrome131_extensions),
            .ech_grease = true,
            .session_ticket = true,
            .status_request = true,
            .sct = true,
            .psk_modes = LIST(psk_dhe_ke),
            .psk_on_resumption = true,
        },
    .h2 =
        {
            .settings = chrome_h2_settings,
            .num_settings = sizeof(chrome_h2_settings) /
                            sizeof(chrome_h2_settings[0]),
            .window_update = 15663105,
            .headers_priority = true,
            .headers_priority_value = {0, 0, 256, true},
            .pseudo_order = "masp",
            .first_stream_id = 1,
        },
    .h1_headers = LIST(chrome131_h1_headers),
    .h2_headers = LIST(chrome131_h2_headers),
    .accept_encoding = CHROME_ACCEPT_ENCODING,
    .form_boundary = CN_FORM_BOUNDARY_WEBKIT,
    .h2_split_cookies = false,
};

/* --- Firefox 135 (macOS) ---------------------------------------------------
 * Published signature of curl-impersonate's firefox135 target
 * (lexiforest/curl-impersonate bin/curl_firefox135): ciphers, groups,
 * signature algorithms, extension order, delegated credentials, record
 * size limit 0x4001, three key shares, certificate compression, HTTP/2
 * settings, window, priority weight 42, pseudo-header order "mpas" and
 * headers. The HTTP/1.1 order and the ECH GREASE shape (NSS's) are taken
 * from the Firefox 153 capture, whose h2 headers have the same order. */

static const uint16_t firefox135_ciphers[] = {
    0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009,
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t firefox135_sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806,
    0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
};

#define FIREFOX135_UA                                                          \
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:135.0) Gecko/20100101 "    \
  "Firefox/135.0"

static const struct cn_header firefox135_h1_headers[] = {
    {"Host", NULL},
    {"User-Agent", FIREFOX135_UA},
    {"Accept", FIREFOX_ACCEPT},
    {"Accept-Language", "en-US,en;q=0.5"},
    {"Accept-Encoding", FIREFOX_ACCEPT_ENCODING},
    {"Connection", "keep-alive"},
    {"Upgrade-Insecure-Requests", "1"},
    {"Sec-Fetch-Dest", "document"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-Site", "none"},
    {"Sec-Fetch-User", "?1"},
    {"Priority", "u=0, i"},
};

static const struct cn_header firefox135_h2_headers[] = {
    {"user-agent", FIREFOX135_UA},
    {"accept", FIREFOX_ACCEPT},
    {"accept-language", "en-US,en;q=0.5"},
    {"accept-encoding", FIREFOX_ACCEPT_ENCODING},
    {"upgrade-insecure-requests", "1"},
    {"sec-fetch-dest", "document"},
    {"sec-fetch-mode", "navigate"},
    {"sec-fetch-site", "none"},
    {"sec-fetch-user", "?1"},
    {"priority", "u=0, i"},
    {"te", "trailers"},
};

static const struct cn_browser_profile firefox135 = {
    .name = "firefox135",
    .source = "curl-impersonate bin/curl_firefox135 (published signature); "
              "HTTP/1.1 order and ECH GREASE shape as the firefox-esr 153 "
              "capture",
    .tls =
        {
            .version_min = 0x0303,
            .version_max = 0x0304,
            .ciphers = LIST(firefox135_ciphers),
            .tls13_ciphers = LIST(firefox_tls13_ciphers),
            .groups = LIST(firefox153_groups),
            .key_shares = LIST(firefox153_key_shares),
            .sigalgs = LIST(firefox135_sigalgs),
            .delegated_credentials = LIST(firefox153_delegated_credentials),
            .alpn = LIST(alpn_h2_h1),
            .cert_compression = LIST(cert_compression_zlib_brotli_zstd),
            .ext_order = CN_EXT_ORDER_FIXED,
            .extensions = LIST(firefox153_extensions),
            .ech_grease = true,
            .ech_grease_aead = 0x0003,
            .ech_grease_payload_len = 239,
            .session_ticket = true,
            .status_request = true,
            .sct = true,
            .record_size_limit = 16385,
            .psk_modes = LIST(psk_dhe_ke),
            .psk_on_resumption = true,
        },
    .h2 =
        {
            .settings = firefox153_h2_settings,
            .num_settings = sizeof(firefox153_h2_settings) /
                            sizeof(firefox153_h2_settings[0]),
            .window_update = 12517377,
            .headers_priority = true,
            .headers_priority_value = {0, 0, 42, false},
            .pseudo_order = "mpas",
            .first_stream_id = 1,
        },
    .h1_headers = LIST(firefox135_h1_headers),
    .h2_headers = LIST(firefox135_h2_headers),
    .accept_encoding = FIREFOX_ACCEPT_ENCODING,
    .form_boundary = CN_FORM_BOUNDARY_GECKO,
    .h2_split_cookies = true,
};

/* --- registry ------------------------------------------------------------- */

static const struct cn_browser_profile *const profiles[] = {
    &chrome131,
    &chrome156,
    &firefox135,
    &firefox153,
};

/* Aliases name the newest target of each family. */
static const struct {
  const char *alias;
  const char *target;
} aliases[] = {
    {"chrome", "chrome156"},
    {"firefox", "firefox153"},
};

static const struct cn_browser_profile *find(const char *name) {
  for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
    if (strcasecmp(profiles[i]->name, name) == 0)
      return profiles[i];
  return NULL;
}

const struct cn_browser_profile *cn_browser_profile_lookup(const char *name) {
  if (!name)
    return NULL;
  const struct cn_browser_profile *p = find(name);
  if (p)
    return p;
  for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
    if (strcasecmp(aliases[i].alias, name) == 0)
      return find(aliases[i].target);
  return NULL;
}

/* Target names are short; anything longer is not one. */
#define MAX_TARGET_LEN 64

bool cn_browser_profile_parse_spec(const char *spec,
                                   const struct cn_browser_profile **out,
                                   bool *out_default_headers) {
  if (!spec)
    return false;
  const char *colon = strchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  bool headers = true;
  if (colon) {
    if (strcasecmp(colon + 1, "no") == 0)
      headers = false;
    else if (strcasecmp(colon + 1, "yes") != 0)
      return false;
  }
  if (len == 0 || len >= MAX_TARGET_LEN)
    return false;
  char name[MAX_TARGET_LEN];
  memcpy(name, spec, len);
  name[len] = '\0';
  const struct cn_browser_profile *p = cn_browser_profile_lookup(name);
  if (!p)
    return false;
  *out = p;
  *out_default_headers = headers;
  return true;
}

const struct cn_browser_profile *cn_browser_profile_at(size_t i) {
  return i < sizeof(profiles) / sizeof(profiles[0]) ? profiles[i] : NULL;
}

const char *cn_browser_profile_alias_at(size_t i, const char **out_target) {
  if (i >= sizeof(aliases) / sizeof(aliases[0]))
    return NULL;
  *out_target = aliases[i].target;
  return aliases[i].alias;
}

const struct cn_header *
cn_browser_profile_find_header(const struct cn_header_list *list,
                               const char *name) {
  for (size_t i = 0; i < list->num; i++)
    if (strcasecmp(list->v[i].name, name) == 0)
      return &list->v[i];
  return NULL;
}
