/* profiles_chrome.c: Chrome, Chrome for Android and Edge (Chromium's
 * network stack on BoringSSL).
 *
 * Versions share their arrays: what changed between Chrome releases is
 * small and dated (ALPS 99, permutation 110, ECH GREASE 119, Kyber 124,
 * ML-KEM 131, the new ALPS code point 133, ML-DSA and trust anchors 156), so
 * each era is one CHROME_TLS_* block and each target adds its headers.
 *
 * Sources: every target except chrome150 and chrome156 is the published
 * signature of curl-impersonate's target of the same name (CN_CI_SOURCE):
 * cipher list, curves, signature algorithms (BoringSSL's default, which is
 * Chromium's, where the target names none), ALPS and its code point,
 * permutation, ECH GREASE, certificate compression, HTTP/2 SETTINGS, window,
 * stream weight/exclusive, headers with casing and order. The HTTP/1.1 order
 * (Host, Connection, then the same fields) and the casing of sec-ch-ua* in
 * HTTP/1.1 are the Chromium 156 capture's; Chromium builds both lists from
 * one request in one order. Extension sets are BoringSSL's for those
 * switches; "padding" (21) comes and goes with the hello's length and is not
 * listed. */
#include "impersonate/profile_data.h"

/* --- TLS -------------------------------------------------------------------
 * BoringSSL's cipher list as Chromium configures it
 * ("ALL:!aPSK:!ECDSA+SHA1:!3DES"), the same in every target. */
static const uint16_t chrome_ciphers[] = {
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t chrome_groups_classic[] = {0x001d, 0x0017, 0x0018};
static const uint16_t chrome_shares_classic[] = {0x001d};
/* X25519Kyber768Draft00 (Chrome 124-130). */
static const uint16_t chrome_groups_kyber[] = {0x6399, 0x001d, 0x0017,
                                               0x0018};
static const uint16_t chrome_shares_kyber[] = {0x6399, 0x001d};
/* X25519MLKEM768 (Chrome 131 on). */
static const uint16_t chrome_groups_mlkem[] = {0x11ec, 0x001d, 0x0017,
                                               0x0018};
static const uint16_t chrome_shares_mlkem[] = {0x11ec, 0x001d};
/* Chromium's kVerifyPrefs (net/socket/ssl_client_socket_impl.cc). */
static const uint16_t chrome_sigalgs[] = {
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
};
static const uint16_t cert_compression_brotli[] = {CN_CERT_COMPRESSION_BROTLI};

/* Extension sets, in BoringSSL's table order (which is the wire order for
 * the targets without permutation). */
static const uint16_t chrome_ext_99[] = {
    0, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27, 17513,
};
static const uint16_t chrome_ext_119[] = {
    0, 65037, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27, 17513,
};
static const uint16_t chrome_ext_133[] = {
    0, 65037, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27, 17613,
};

#define CHROME_TLS_COMMON                                                      \
  .version_min = 0x0303, .version_max = 0x0304,                                \
  .ciphers = LIST(chrome_ciphers),                                             \
  .tls13_ciphers = LIST(cn_profile_tls13_aes_first),                           \
  .alpn = LIST(cn_profile_alpn_h2_h1), .alps = LIST(cn_profile_alps_h2),       \
  .cert_compression = LIST(cert_compression_brotli), .grease = true,           \
  .session_ticket = true, .status_request = true, .sct = true,                 \
  .psk_modes = LIST(cn_profile_psk_dhe_ke), .psk_on_resumption = true

/* Chrome 99-107: BoringSSL's table order, ALPS on the old code point. */
#define CHROME_TLS_99                                                          \
  CHROME_TLS_COMMON, .groups = LIST(chrome_groups_classic),                    \
                     .key_shares = LIST(chrome_shares_classic),                \
                     .sigalgs = LIST(chrome_sigalgs),                          \
                     .alps_codepoint = CN_ALPS_CODEPOINT_OLD,                  \
                     .ext_order = CN_EXT_ORDER_LIBRARY,                        \
                     .extensions = LIST(chrome_ext_99)
/* Chrome 110-118: extensions permuted per connection. */
#define CHROME_TLS_110                                                         \
  CHROME_TLS_COMMON, .groups = LIST(chrome_groups_classic),                    \
                     .key_shares = LIST(chrome_shares_classic),                \
                     .sigalgs = LIST(chrome_sigalgs),                          \
                     .alps_codepoint = CN_ALPS_CODEPOINT_OLD,                  \
                     .ext_order = CN_EXT_ORDER_PERMUTE,                        \
                     .extensions = LIST(chrome_ext_99)
/* Chrome 119-123: ECH GREASE. */
#define CHROME_TLS_119                                                         \
  CHROME_TLS_COMMON, .groups = LIST(chrome_groups_classic),                    \
                     .key_shares = LIST(chrome_shares_classic),                \
                     .sigalgs = LIST(chrome_sigalgs),                          \
                     .alps_codepoint = CN_ALPS_CODEPOINT_OLD,                  \
                     .ext_order = CN_EXT_ORDER_PERMUTE,                        \
                     .extensions = LIST(chrome_ext_119), .ech_grease = true
/* Chrome 124-130: X25519Kyber768Draft00. */
#define CHROME_TLS_124                                                         \
  CHROME_TLS_COMMON, .groups = LIST(chrome_groups_kyber),                      \
                     .key_shares = LIST(chrome_shares_kyber),                  \
                     .sigalgs = LIST(chrome_sigalgs),                          \
                     .alps_codepoint = CN_ALPS_CODEPOINT_OLD,                  \
                     .ext_order = CN_EXT_ORDER_PERMUTE,                        \
                     .extensions = LIST(chrome_ext_119), .ech_grease = true
/* Chrome 131-132: X25519MLKEM768. */
#define CHROME_TLS_131                                                         \
  CHROME_TLS_COMMON, .groups = LIST(chrome_groups_mlkem),                      \
                     .key_shares = LIST(chrome_shares_mlkem),                  \
                     .sigalgs = LIST(chrome_sigalgs),                          \
                     .alps_codepoint = CN_ALPS_CODEPOINT_OLD,                  \
                     .ext_order = CN_EXT_ORDER_PERMUTE,                        \
                     .extensions = LIST(chrome_ext_119), .ech_grease = true
/* Chrome 133-150: ALPS on the new code point. */
#define CHROME_TLS_133                                                         \
  CHROME_TLS_COMMON, .groups = LIST(chrome_groups_mlkem),                      \
                     .key_shares = LIST(chrome_shares_mlkem),                  \
                     .sigalgs = LIST(chrome_sigalgs),                          \
                     .alps_codepoint = CN_ALPS_CODEPOINT_NEW,                  \
                     .ext_order = CN_EXT_ORDER_PERMUTE,                        \
                     .extensions = LIST(chrome_ext_133), .ech_grease = true

/* --- HTTP/2 ------------------------------------------------------------- */

static const struct cn_h2_setting chrome_h2_settings_99[] = {
    {1, 65536}, {3, 1000}, {4, 6291456}, {6, 262144},
};
static const struct cn_h2_setting chrome_h2_settings_107[] = {
    {1, 65536}, {2, 0}, {3, 1000}, {4, 6291456}, {6, 262144},
};
static const struct cn_h2_setting chrome_h2_settings_119[] = {
    {1, 65536}, {2, 0}, {4, 6291456}, {6, 262144},
};

/* Weight 256, exclusive, on the previous stream; "m,a,s,p". */
#define CHROME_H2(settings_array)                                              \
  {                                                                            \
    .settings = settings_array, .num_settings = CN_NUM(settings_array),        \
    .window_update = 15663105, .headers_priority = true,                       \
    .headers_priority_value = {0, 0, 256, true}, .pseudo_order = "masp",       \
    .first_stream_id = 1,                                                      \
  }

/* --- headers -------------------------------------------------------------- */

#define ACCEPT_Q9                                                              \
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"          \
  "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9"
#define ACCEPT_Q7                                                              \
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"          \
  "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
#define ACCEPT_EDGE                                                            \
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,"          \
  "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9"
#define ACCEPT_156                                                             \
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,"           \
  "image/avif,image/webp,image/apng,*/*;q=0.8,application/"                    \
  "signed-exchange;v=b3;q=0.7"
#define ENC_BR "gzip, deflate, br"
#define ENC_ZSTD "gzip, deflate, br, zstd"

#define UA_WIN(v)                                                              \
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "      \
  "like Gecko) Chrome/" v " Safari/537.36"
#define UA_MAC(v)                                                              \
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "        \
  "(KHTML, like Gecko) Chrome/" v " Safari/537.36"
#define BRAND(b, v) "\"" b "\";v=\"" v "\""

/* A navigation's headers: HTTP/1.1 (|id|_h1) and HTTP/2 (|id|_h2, which
 * ends with the optional extra fields, e.g. Priority). */
#define CHROME_HEADERS(id, ch_ua, mobile, platform, ua, accept, enc, ...)      \
  static const struct cn_header id##_h1[] = {                                  \
      {"Host", NULL},                                                          \
      {"Connection", "keep-alive"},                                            \
      {"sec-ch-ua", ch_ua},                                                    \
      {"sec-ch-ua-mobile", mobile},                                            \
      {"sec-ch-ua-platform", platform},                                        \
      {"Upgrade-Insecure-Requests", "1"},                                      \
      {"User-Agent", ua},                                                      \
      {"Accept", accept},                                                      \
      {"Sec-Fetch-Site", "none"},                                              \
      {"Sec-Fetch-Mode", "navigate"},                                          \
      {"Sec-Fetch-User", "?1"},                                                \
      {"Sec-Fetch-Dest", "document"},                                          \
      {"Accept-Encoding", enc},                                                \
      {"Accept-Language", "en-US,en;q=0.9"},                                   \
  };                                                                           \
  static const struct cn_header id##_h2[] = {                                  \
      {"sec-ch-ua", ch_ua},                                                    \
      {"sec-ch-ua-mobile", mobile},                                            \
      {"sec-ch-ua-platform", platform},                                        \
      {"upgrade-insecure-requests", "1"},                                      \
      {"user-agent", ua},                                                      \
      {"accept", accept},                                                      \
      {"sec-fetch-site", "none"},                                              \
      {"sec-fetch-mode", "navigate"},                                          \
      {"sec-fetch-user", "?1"},                                                \
      {"sec-fetch-dest", "document"},                                          \
      {"accept-encoding", enc},                                                \
      {"accept-language", "en-US,en;q=0.9"} __VA_ARGS__}
#define PRIORITY , {"priority", "u=0, i"}

/* The HTTP part of a target whose headers are |id|_h1 / |id|_h2. */
#define CHROME_HTTP(id, enc)                                                   \
  .h1_headers = LIST(id##_h1), .h2_headers = LIST(id##_h2),                    \
  .accept_encoding = enc, .form_boundary = CN_FORM_BOUNDARY_WEBKIT,            \
  .h2_split_cookies = true

#define NOT_A_BRAND_99 BRAND(" Not A;Brand", "99")

/* --- targets ------------------------------------------------------------ */

CHROME_HEADERS(chrome99,
               NOT_A_BRAND_99 ", " BRAND("Chromium", "99") ", " BRAND(
                   "Google Chrome", "99"),
               "?0", "\"Windows\"", UA_WIN("99.0.4844.51"), ACCEPT_Q9, ENC_BR);
static const struct cn_browser_profile chrome99 = {
    .name = "chrome99",
    .source = CN_CI_SOURCE("chrome99"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(chrome99, ENC_BR),
};

CHROME_HEADERS(chrome100,
               NOT_A_BRAND_99 ", " BRAND("Chromium", "100") ", " BRAND(
                   "Google Chrome", "100"),
               "?0", "\"Windows\"", UA_WIN("100.0.4896.75"), ACCEPT_Q9, ENC_BR);
static const struct cn_browser_profile chrome100 = {
    .name = "chrome100",
    .source = CN_CI_SOURCE("chrome100"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(chrome100, ENC_BR),
};

CHROME_HEADERS(chrome101,
               NOT_A_BRAND_99 ", " BRAND("Chromium", "101") ", " BRAND(
                   "Google Chrome", "101"),
               "?0", "\"Windows\"", UA_WIN("101.0.4951.67"), ACCEPT_Q9, ENC_BR);
static const struct cn_browser_profile chrome101 = {
    .name = "chrome101",
    .source = CN_CI_SOURCE("chrome101"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(chrome101, ENC_BR),
};

CHROME_HEADERS(chrome104,
               BRAND("Chromium", "104") ", " NOT_A_BRAND_99 ", " BRAND(
                   "Google Chrome", "104"),
               "?0", "\"Windows\"", UA_WIN("104.0.0.0"), ACCEPT_Q9, ENC_BR);
static const struct cn_browser_profile chrome104 = {
    .name = "chrome104",
    .source = CN_CI_SOURCE("chrome104"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(chrome104, ENC_BR),
};

CHROME_HEADERS(chrome107,
               BRAND("Google Chrome", "107") ", " BRAND(
                   "Chromium", "107") ", " BRAND("Not=A?Brand", "24"),
               "?0", "\"Windows\"", UA_WIN("107.0.0.0"), ACCEPT_Q9, ENC_BR);
static const struct cn_browser_profile chrome107 = {
    .name = "chrome107",
    .source = CN_CI_SOURCE("chrome107"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_107),
    CHROME_HTTP(chrome107, ENC_BR),
};

CHROME_HEADERS(chrome110,
               BRAND("Chromium", "110") ", " BRAND("Not A(Brand", "24") ", " BRAND(
                   "Google Chrome", "110"),
               "?0", "\"Windows\"", UA_WIN("110.0.0.0"), ACCEPT_Q7, ENC_BR);
static const struct cn_browser_profile chrome110 = {
    .name = "chrome110",
    .source = CN_CI_SOURCE("chrome110"),
    .tls = {CHROME_TLS_110},
    .h2 = CHROME_H2(chrome_h2_settings_107),
    CHROME_HTTP(chrome110, ENC_BR),
};

CHROME_HEADERS(chrome116,
               BRAND("Chromium", "116") ", " BRAND("Not)A;Brand", "24") ", " BRAND(
                   "Google Chrome", "116"),
               "?0", "\"Windows\"", UA_WIN("116.0.0.0"), ACCEPT_Q7, ENC_BR);
static const struct cn_browser_profile chrome116 = {
    .name = "chrome116",
    .source = CN_CI_SOURCE("chrome116"),
    .tls = {CHROME_TLS_110},
    .h2 = CHROME_H2(chrome_h2_settings_107),
    CHROME_HTTP(chrome116, ENC_BR),
};

CHROME_HEADERS(chrome119,
               BRAND("Google Chrome", "119") ", " BRAND(
                   "Chromium", "119") ", " BRAND("Not?A_Brand", "24"),
               "?0", "\"macOS\"", UA_MAC("119.0.0.0"), ACCEPT_Q7, ENC_BR);
static const struct cn_browser_profile chrome119 = {
    .name = "chrome119",
    .source = CN_CI_SOURCE("chrome119"),
    .tls = {CHROME_TLS_119},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome119, ENC_BR),
};

CHROME_HEADERS(chrome120,
               BRAND("Not_A Brand", "8") ", " BRAND("Chromium", "120") ", " BRAND(
                   "Google Chrome", "120"),
               "?0", "\"macOS\"", UA_MAC("120.0.0.0"), ACCEPT_Q7, ENC_BR);
static const struct cn_browser_profile chrome120 = {
    .name = "chrome120",
    .source = CN_CI_SOURCE("chrome120"),
    .tls = {CHROME_TLS_119},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome120, ENC_BR),
};

CHROME_HEADERS(chrome123,
               BRAND("Google Chrome", "123") ", " BRAND(
                   "Not:A-Brand", "8") ", " BRAND("Chromium", "123"),
               "?0", "\"macOS\"", UA_MAC("123.0.0.0"), ACCEPT_Q7, ENC_ZSTD);
static const struct cn_browser_profile chrome123 = {
    .name = "chrome123",
    .source = CN_CI_SOURCE("chrome123"),
    .tls = {CHROME_TLS_119},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome123, ENC_ZSTD),
};

CHROME_HEADERS(chrome124,
               BRAND("Chromium", "124") ", " BRAND(
                   "Google Chrome", "124") ", " BRAND("Not-A.Brand", "99"),
               "?0", "\"macOS\"", UA_MAC("124.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome124 = {
    .name = "chrome124",
    .source = CN_CI_SOURCE("chrome124"),
    .tls = {CHROME_TLS_124},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome124, ENC_ZSTD),
};

CHROME_HEADERS(chrome131,
               BRAND("Google Chrome", "131") ", " BRAND(
                   "Chromium", "131") ", " BRAND("Not_A Brand", "24"),
               "?0", "\"macOS\"", UA_MAC("131.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome131 = {
    .name = "chrome131",
    .source = CN_CI_SOURCE("chrome131"),
    .tls = {CHROME_TLS_131},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome131, ENC_ZSTD),
};

CHROME_HEADERS(chrome133a,
               BRAND("Not(A:Brand", "99") ", " BRAND(
                   "Google Chrome", "133") ", " BRAND("Chromium", "133"),
               "?0", "\"macOS\"", UA_MAC("133.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome133a = {
    .name = "chrome133a",
    .source = CN_CI_SOURCE("chrome133a"),
    .tls = {CHROME_TLS_133},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome133a, ENC_ZSTD),
};

CHROME_HEADERS(chrome136,
               BRAND("Chromium", "136") ", " BRAND(
                   "Google Chrome", "136") ", " BRAND("Not.A/Brand", "99"),
               "?0", "\"macOS\"", UA_MAC("136.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome136 = {
    .name = "chrome136",
    .source = CN_CI_SOURCE("chrome136"),
    .tls = {CHROME_TLS_133},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome136, ENC_ZSTD),
};

CHROME_HEADERS(chrome142,
               BRAND("Chromium", "142") ", " BRAND(
                   "Google Chrome", "142") ", " BRAND("Not_A Brand", "99"),
               "?0", "\"macOS\"", UA_MAC("142.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome142 = {
    .name = "chrome142",
    .source = CN_CI_SOURCE("chrome142"),
    .tls = {CHROME_TLS_133},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome142, ENC_ZSTD),
};

CHROME_HEADERS(chrome145,
               BRAND("Not:A-Brand", "99") ", " BRAND(
                   "Google Chrome", "145") ", " BRAND("Chromium", "145"),
               "?0", "\"macOS\"", UA_MAC("145.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome145 = {
    .name = "chrome145",
    .source = CN_CI_SOURCE("chrome145"),
    .tls = {CHROME_TLS_133},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome145, ENC_ZSTD),
};

CHROME_HEADERS(chrome146,
               BRAND("Chromium", "146") ", " BRAND("Not-A.Brand", "24") ", " BRAND(
                   "Google Chrome", "146"),
               "?0", "\"macOS\"", UA_MAC("146.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome146 = {
    .name = "chrome146",
    .source = CN_CI_SOURCE("chrome146"),
    .tls = {CHROME_TLS_133},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome146, ENC_ZSTD),
};

/* Chrome 150: curl-impersonate lists the target, but its table was not
 * among the published sources we could read; the TLS and HTTP/2 shape is
 * chrome146's (unchanged since 133 in every published target), the brand
 * list follows Chromium's GREASE brand algorithm
 * (components/embedder_support/user_agent_utils.cc: seed 150, order 150 % 6
 * = 0, characters ';' '=' and version "8"), as seen in the wild. */
CHROME_HEADERS(chrome150,
               BRAND("Not;A=Brand", "8") ", " BRAND("Chromium", "150") ", " BRAND(
                   "Google Chrome", "150"),
               "?0", "\"macOS\"", UA_MAC("150.0.0.0"), ACCEPT_Q7, ENC_ZSTD,
               PRIORITY);
static const struct cn_browser_profile chrome150 = {
    .name = "chrome150",
    .source = "TLS/HTTP2 as " CN_CI_SOURCE("chrome146") "; sec-ch-ua from "
              "Chromium user_agent_utils.cc (seed 150)",
    .tls = {CHROME_TLS_133},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome150, ENC_ZSTD),
};

/* Chrome 156 -------------------------------------------------------------
 * TLS and HTTP/2: ../shared/reference/chromium-156-linux-h{1,2}.json (Debian
 * chromium 156.0.8078.79, Linux). Google Chrome differs from the headless
 * Chromium build only in the User-Agent product token ("Chrome/" instead of
 * "HeadlessChrome/") and in the brand list of sec-ch-ua: Chromium's
 * components/embedder_support/user_agent_utils.cc adds "Google Chrome" as a
 * third brand and orders the three with a permutation seeded by the major
 * version (156 % 6 = 0: GREASE brand, Chromium, Google Chrome); the GREASE
 * brand "Not:A-Brand";v="8" is the same function of the seed as in the
 * capture. ALPS for h2 carries empty settings
 * (net/http/http_network_session.cc). New since 150: ML-DSA and a GREASE
 * value in signature_algorithms, trust anchor IDs. */
static const uint16_t chrome156_sigalgs[] = {
    0x0904, 0x0905, 0x0906, /* ML-DSA-44, -65, -87 */
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
};
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

CHROME_HEADERS(chrome156,
               BRAND("Not:A-Brand", "8") ", " BRAND("Chromium", "156") ", " BRAND(
                   "Google Chrome", "156"),
               "?0", "\"Linux\"",
               "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
               "like Gecko) Chrome/156.0.0.0 Safari/537.36",
               ACCEPT_156, ENC_ZSTD, PRIORITY);
static const struct cn_browser_profile chrome156 = {
    .name = "chrome156",
    .source = "../shared/reference/chromium-156-linux-h1.json, -h2.json "
              "(Debian chromium 156.0.8078.79); Google Chrome's UA and "
              "brands from components/embedder_support/user_agent_utils.cc",
    .tls =
        {
            CHROME_TLS_COMMON,
            .groups = LIST(chrome_groups_mlkem),
            .key_shares = LIST(chrome_shares_mlkem),
            .sigalgs = LIST(chrome156_sigalgs),
            .grease_sigalg = true,
            .alps_codepoint = CN_ALPS_CODEPOINT_NEW,
            .ext_order = CN_EXT_ORDER_PERMUTE,
            .extensions = LIST(chrome156_extensions),
            .ech_grease = true,
            .trust_anchors = true,
            .trust_anchor_ids = LIST(chrome156_trust_anchor_ids),
        },
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome156, ENC_ZSTD),
};

/* Chrome for Android ------------------------------------------------------
 * chrome131_android: the published target has no ML-KEM group and says
 * sec-ch-ua-mobile "?0" (as published, although a phone sends "?1"). */
#define UA_ANDROID(os, v)                                                      \
  "Mozilla/5.0 (Linux; " os ") AppleWebKit/537.36 (KHTML, like Gecko) "        \
  "Chrome/" v " Mobile Safari/537.36"

CHROME_HEADERS(chrome99_android,
               NOT_A_BRAND_99 ", " BRAND("Chromium", "99") ", " BRAND(
                   "Google Chrome", "99"),
               "?1", "\"Android\"", UA_ANDROID("Android 12; Pixel 6",
                                               "99.0.4844.58"),
               ACCEPT_Q9, ENC_BR);
static const struct cn_browser_profile chrome99_android = {
    .name = "chrome99_android",
    .source = CN_CI_SOURCE("chrome99_android"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(chrome99_android, ENC_BR),
};

CHROME_HEADERS(chrome131_android,
               BRAND("Google Chrome", "131") ", " BRAND(
                   "Chromium", "131") ", " BRAND("Not_A Brand", "24"),
               "?0", "\"Android\"", UA_ANDROID("Android 10; K", "131.0.0.0"),
               ACCEPT_Q7, ENC_ZSTD, PRIORITY);
static const struct cn_browser_profile chrome131_android = {
    .name = "chrome131_android",
    .source = CN_CI_SOURCE("chrome131_android"),
    .tls = {CHROME_TLS_119},
    .h2 = CHROME_H2(chrome_h2_settings_119),
    CHROME_HTTP(chrome131_android, ENC_ZSTD),
};

/* Edge: Chromium 99 / 101 with Edge's brand, UA and Accept. */
CHROME_HEADERS(edge99,
               NOT_A_BRAND_99 ", " BRAND("Chromium", "99") ", " BRAND(
                   "Microsoft Edge", "99"),
               "?0", "\"Windows\"",
               UA_WIN("99.0.4844.51") " Edg/99.0.1150.30", ACCEPT_EDGE,
               ENC_BR);
static const struct cn_browser_profile edge99 = {
    .name = "edge99",
    .source = CN_CI_SOURCE("edge99"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(edge99, ENC_BR),
};

CHROME_HEADERS(edge101,
               NOT_A_BRAND_99 ", " BRAND("Chromium", "101") ", " BRAND(
                   "Microsoft Edge", "101"),
               "?0", "\"Windows\"",
               UA_WIN("101.0.4951.64") " Edg/101.0.1210.47", ACCEPT_EDGE,
               ENC_BR);
static const struct cn_browser_profile edge101 = {
    .name = "edge101",
    .source = CN_CI_SOURCE("edge101"),
    .tls = {CHROME_TLS_99},
    .h2 = CHROME_H2(chrome_h2_settings_99),
    CHROME_HTTP(edge101, ENC_BR),
};

static const struct cn_browser_profile *const chrome_targets[] = {
    &chrome99,  &chrome100,  &chrome101,  &chrome104,        &chrome107,
    &chrome110, &chrome116,  &chrome119,  &chrome120,        &chrome123,
    &chrome124, &chrome131,  &chrome133a, &chrome136,        &chrome142,
    &chrome145, &chrome146,  &chrome150,  &chrome156,        &chrome99_android,
    &chrome131_android,      &edge99,     &edge101,
};

const struct cn_profile_family cn_impersonate_chrome_family = {
    chrome_targets, CN_NUM(chrome_targets)};
