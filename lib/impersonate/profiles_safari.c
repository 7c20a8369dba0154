/* profiles_safari.c: Safari on macOS and iOS (Apple's TLS stack).
 *
 * Safari sends GREASE and its extensions in a fixed order which is the
 * table order BoringSSL shares with it (CN_EXT_ORDER_LIBRARY); it still
 * offers CBC and 3DES suites BoringSSL no longer implements, advertises
 * rsa_pss_rsae_sha384 twice, and before 26 accepts TLS 1.0. Facts: the
 * published signatures of curl-impersonate's targets (CN_CI_SOURCE):
 * ciphers in order, curves, signature algorithms, certificate compression,
 * session ticket, minimum version, HTTP/2 SETTINGS (ids in Safari's order),
 * window, stream weight/exclusive or no priority, pseudo-header order and
 * the header list with casing. Safari offers h2 and http/1.1 and sends one
 * key share (two with ML-KEM). The published targets describe HTTP/2 only;
 * the HTTP/1.1 list here is the same fields in the same order after Host,
 * with Connection last. */
#include "impersonate/profile_data.h"

/* --- TLS -------------------------------------------------------------------*/

/* TLS <= 1.2 suites of Safari 15.3 (with the CBC-SHA256/384 ones). */
static const uint16_t safari153_ciphers[] = {
    0xc02c, 0xc02b, 0xcca9, 0xc030, 0xc02f, 0xcca8, 0xc024, 0xc023,
    0xc00a, 0xc009, 0xc028, 0xc027, 0xc014, 0xc013, 0x009d, 0x009c,
    0x003d, 0x003c, 0x0035, 0x002f, 0xc008, 0xc012, 0x000a,
};
/* Safari 15.5 on. */
static const uint16_t safari_ciphers[] = {
    0xc02c, 0xc02b, 0xcca9, 0xc030, 0xc02f, 0xcca8, 0xc00a, 0xc009, 0xc014,
    0xc013, 0x009d, 0x009c, 0x0035, 0x002f, 0xc008, 0xc012, 0x000a,
};
/* Safari 26 on macOS puts AES-256 first. */
static const uint16_t safari26_tls13[] = {0x1302, 0x1303, 0x1301};
static const uint16_t safari_groups[] = {0x001d, 0x0017, 0x0018, 0x0019};
static const uint16_t safari_shares[] = {0x001d};
static const uint16_t safari26_groups[] = {0x11ec, 0x001d, 0x0017, 0x0018,
                                           0x0019};
static const uint16_t safari26_shares[] = {0x11ec, 0x001d};
/* rsa_pss_rsae_sha384 (0x0805) twice, as Safari sends it. */
static const uint16_t safari15_sigalgs[] = {
    0x0403, 0x0804, 0x0401, 0x0503, 0x0203, 0x0805,
    0x0805, 0x0501, 0x0806, 0x0601, 0x0201,
};
/* Safari 18 on: without ecdsa_sha1. */
static const uint16_t safari18_sigalgs[] = {
    0x0403, 0x0804, 0x0401, 0x0503, 0x0805,
    0x0805, 0x0501, 0x0806, 0x0601, 0x0201,
};
static const uint16_t cert_compression_zlib[] = {CN_CERT_COMPRESSION_ZLIB};

/* Wire order (GREASE first and last, padding as the length asks). */
static const uint16_t safari153_ext[] = {
    0, 23, 65281, 10, 11, 16, 5, 13, 18, 51, 45, 43,
};
static const uint16_t safari_ext[] = {
    0, 23, 65281, 10, 11, 16, 5, 13, 18, 51, 45, 43, 27,
};
/* Safari 26 (macOS 26.0, iOS 26.0) keeps session tickets. */
static const uint16_t safari_ext_ticket[] = {
    0, 23, 65281, 10, 11, 35, 16, 5, 13, 18, 51, 45, 43, 27,
};

#define SAFARI_TLS_COMMON                                                      \
  .version_max = 0x0304, .alpn = LIST(cn_profile_alpn_h2_h1), .grease = true,  \
  .ext_order = CN_EXT_ORDER_LIBRARY, .status_request = true, .sct = true,      \
  .psk_modes = LIST(cn_profile_psk_dhe_ke), .psk_on_resumption = true

/* Safari 15.5 - 18.4: TLS 1.0 and up, no ticket, zlib. */
#define SAFARI_TLS_15(sigalg_array)                                            \
  SAFARI_TLS_COMMON, .version_min = 0x0301, .ciphers = LIST(safari_ciphers),   \
                     .tls13_ciphers = LIST(cn_profile_tls13_aes_first),        \
                     .groups = LIST(safari_groups),                            \
                     .key_shares = LIST(safari_shares),                        \
                     .sigalgs = LIST(sigalg_array),                            \
                     .cert_compression = LIST(cert_compression_zlib),          \
                     .extensions = LIST(safari_ext)

/* Safari 26: TLS 1.2 and up, ML-KEM. */
#define SAFARI_TLS_26(tls13_array, group_array, share_array, ext_array,        \
                      ticket)                                                  \
  SAFARI_TLS_COMMON, .version_min = 0x0303, .ciphers = LIST(safari_ciphers),   \
                     .tls13_ciphers = LIST(tls13_array),                       \
                     .groups = LIST(group_array),                              \
                     .key_shares = LIST(share_array),                          \
                     .sigalgs = LIST(safari18_sigalgs),                        \
                     .cert_compression = LIST(cert_compression_zlib),          \
                     .extensions = LIST(ext_array), .session_ticket = ticket

/* --- HTTP/2 ------------------------------------------------------------- */

static const struct cn_h2_setting safari15_h2_settings[] = {
    {4, 4194304}, {3, 100},
};
static const struct cn_h2_setting safari17_h2_settings[] = {
    {2, 0}, {4, 4194304}, {3, 100},
};
static const struct cn_h2_setting safari17_ios_h2_settings[] = {
    {2, 0}, {4, 2097152}, {3, 100},
};
static const struct cn_h2_setting safari180_h2_settings[] = {
    {2, 0}, {3, 100}, {4, 2097152}, {8, 1}, {9, 1},
};
static const struct cn_h2_setting safari184_h2_settings[] = {
    {2, 0}, {3, 100}, {4, 2097152}, {9, 1},
};

/* Safari 15-17: weight 255, not exclusive, "m,s,p,a". */
#define SAFARI_H2_15(settings_array)                                           \
  {                                                                            \
    .settings = settings_array, .num_settings = CN_NUM(settings_array),        \
    .window_update = 10485760, .headers_priority = true,                       \
    .headers_priority_value = {0, 0, 255, false}, .pseudo_order = "mspa",      \
    .first_stream_id = 1,                                                      \
  }
/* Safari 18: weight 256, "m,s,a,p". */
#define SAFARI_H2_18(settings_array)                                           \
  {                                                                            \
    .settings = settings_array, .num_settings = CN_NUM(settings_array),        \
    .window_update = 10420225, .headers_priority = true,                       \
    .headers_priority_value = {0, 0, 256, false}, .pseudo_order = "msap",      \
    .first_stream_id = 1,                                                      \
  }
/* Safari 26: no priority information in HEADERS. */
#define SAFARI_H2_26                                                           \
  {                                                                            \
    .settings = safari184_h2_settings,                                         \
    .num_settings = CN_NUM(safari184_h2_settings), .window_update = 10420225,  \
    .pseudo_order = "msap", .first_stream_id = 1,                              \
  }

/* --- headers -------------------------------------------------------------- */

#define SAFARI_ACCEPT                                                          \
  "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#define ENC_BR "gzip, deflate, br"
#define ENC_ZSTD "gzip, deflate, br, zstd"
#define UA_SAFARI_MAC(v)                                                       \
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "      \
  "(KHTML, like Gecko) Version/" v " Safari/605.1.15"
#define UA_SAFARI_IOS(os, v)                                                   \
  "Mozilla/5.0 (iPhone; CPU iPhone OS " os " like Mac OS X) "                  \
  "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/" v                        \
  " Mobile/15E148 Safari/604.1"

/* Safari 15: four fields. */
#define SAFARI15_HEADERS(id, ua, lang)                                         \
  static const struct cn_header id##_h1[] = {                                  \
      {"Host", NULL},          {"User-Agent", ua},                             \
      {"Accept", SAFARI_ACCEPT}, {"Accept-Language", lang},                    \
      {"Accept-Encoding", ENC_BR}, {"Connection", "keep-alive"},               \
  };                                                                           \
  static const struct cn_header id##_h2[] = {                                  \
      {"user-agent", ua},                                                      \
      {"accept", SAFARI_ACCEPT},                                               \
      {"accept-language", lang},                                               \
      {"accept-encoding", ENC_BR},                                             \
  }

/* Safari 17: Fetch Metadata, in Safari's own order. */
#define SAFARI17_HEADERS(id, ua)                                               \
  static const struct cn_header id##_h1[] = {                                  \
      {"Host", NULL},                                                          \
      {"Accept", SAFARI_ACCEPT},                                               \
      {"Sec-Fetch-Site", "none"},                                              \
      {"Accept-Encoding", ENC_BR},                                             \
      {"Sec-Fetch-Mode", "navigate"},                                          \
      {"User-Agent", ua},                                                      \
      {"Accept-Language", "en-US,en;q=0.9"},                                   \
      {"Sec-Fetch-Dest", "document"},                                          \
      {"Connection", "keep-alive"},                                            \
  };                                                                           \
  static const struct cn_header id##_h2[] = {                                  \
      {"accept", SAFARI_ACCEPT},                                               \
      {"sec-fetch-site", "none"},                                              \
      {"accept-encoding", ENC_BR},                                             \
      {"sec-fetch-mode", "navigate"},                                          \
      {"user-agent", ua},                                                      \
      {"accept-language", "en-US,en;q=0.9"},                                   \
      {"sec-fetch-dest", "document"},                                          \
  }

/* Safari 18 and 26: Priority too, lower case on the wire. */
#define SAFARI18_HEADERS(id, ua, enc)                                          \
  static const struct cn_header id##_h1[] = {                                  \
      {"Host", NULL},                                                          \
      {"Sec-Fetch-Dest", "document"},                                          \
      {"User-Agent", ua},                                                      \
      {"Accept", SAFARI_ACCEPT},                                               \
      {"Sec-Fetch-Site", "none"},                                              \
      {"Sec-Fetch-Mode", "navigate"},                                          \
      {"Accept-Language", "en-US,en;q=0.9"},                                   \
      {"Priority", "u=0, i"},                                                  \
      {"Accept-Encoding", enc},                                                \
      {"Connection", "keep-alive"},                                            \
  };                                                                           \
  static const struct cn_header id##_h2[] = {                                  \
      {"sec-fetch-dest", "document"},                                          \
      {"user-agent", ua},                                                      \
      {"accept", SAFARI_ACCEPT},                                               \
      {"sec-fetch-site", "none"},                                              \
      {"sec-fetch-mode", "navigate"},                                          \
      {"accept-language", "en-US,en;q=0.9"},                                   \
      {"priority", "u=0, i"},                                                  \
      {"accept-encoding", enc},                                                \
  }

#define SAFARI_HTTP(id, enc)                                                   \
  .h1_headers = LIST(id##_h1), .h2_headers = LIST(id##_h2),                    \
  .accept_encoding = enc, .form_boundary = CN_FORM_BOUNDARY_WEBKIT,            \
  .h2_split_cookies = true

/* --- targets ------------------------------------------------------------ */

SAFARI15_HEADERS(safari153, UA_SAFARI_MAC("15.3"), "en-us");
static const struct cn_browser_profile safari153 = {
    .name = "safari153",
    .source = CN_CI_SOURCE("safari153"),
    .tls =
        {
            SAFARI_TLS_COMMON,
            .version_min = 0x0301,
            .ciphers = LIST(safari153_ciphers),
            .tls13_ciphers = LIST(cn_profile_tls13_aes_first),
            .groups = LIST(safari_groups),
            .key_shares = LIST(safari_shares),
            .sigalgs = LIST(safari15_sigalgs),
            .extensions = LIST(safari153_ext),
        },
    .h2 = SAFARI_H2_15(safari15_h2_settings),
    SAFARI_HTTP(safari153, ENC_BR),
};

SAFARI15_HEADERS(safari155, UA_SAFARI_MAC("15.5"),
                 "en-GB,en-US;q=0.9,en;q=0.8");
static const struct cn_browser_profile safari155 = {
    .name = "safari155",
    .source = CN_CI_SOURCE("safari155"),
    .tls = {SAFARI_TLS_15(safari15_sigalgs)},
    .h2 = SAFARI_H2_15(safari15_h2_settings),
    SAFARI_HTTP(safari155, ENC_BR),
};

SAFARI17_HEADERS(safari170, UA_SAFARI_MAC("17.0"));
static const struct cn_browser_profile safari170 = {
    .name = "safari170",
    .source = CN_CI_SOURCE("safari170"),
    .tls = {SAFARI_TLS_15(safari15_sigalgs)},
    .h2 = SAFARI_H2_15(safari17_h2_settings),
    SAFARI_HTTP(safari170, ENC_BR),
};

SAFARI17_HEADERS(safari172_ios, UA_SAFARI_IOS("17_2", "17.2"));
static const struct cn_browser_profile safari172_ios = {
    .name = "safari172_ios",
    .source = CN_CI_SOURCE("safari172_ios"),
    .tls = {SAFARI_TLS_15(safari15_sigalgs)},
    .h2 = SAFARI_H2_15(safari17_ios_h2_settings),
    SAFARI_HTTP(safari172_ios, ENC_BR),
};

SAFARI18_HEADERS(safari180, UA_SAFARI_MAC("18.0"), ENC_BR);
static const struct cn_browser_profile safari180 = {
    .name = "safari180",
    .source = CN_CI_SOURCE("safari180"),
    .tls = {SAFARI_TLS_15(safari18_sigalgs)},
    .h2 = SAFARI_H2_18(safari180_h2_settings),
    SAFARI_HTTP(safari180, ENC_BR),
};

SAFARI18_HEADERS(safari180_ios, UA_SAFARI_IOS("18_0", "18.0"), ENC_BR);
static const struct cn_browser_profile safari180_ios = {
    .name = "safari180_ios",
    .source = CN_CI_SOURCE("safari180_ios"),
    .tls = {SAFARI_TLS_15(safari18_sigalgs)},
    .h2 = SAFARI_H2_18(safari180_h2_settings),
    SAFARI_HTTP(safari180_ios, ENC_BR),
};

SAFARI18_HEADERS(safari184, UA_SAFARI_MAC("18.4"), ENC_BR);
static const struct cn_browser_profile safari184 = {
    .name = "safari184",
    .source = CN_CI_SOURCE("safari184"),
    .tls = {SAFARI_TLS_15(safari18_sigalgs)},
    .h2 = SAFARI_H2_18(safari184_h2_settings),
    SAFARI_HTTP(safari184, ENC_BR),
};

SAFARI18_HEADERS(safari184_ios, UA_SAFARI_IOS("18_0", "18.4"), ENC_BR);
static const struct cn_browser_profile safari184_ios = {
    .name = "safari184_ios",
    .source = CN_CI_SOURCE("safari184_ios"),
    .tls = {SAFARI_TLS_15(safari18_sigalgs)},
    .h2 = SAFARI_H2_18(safari184_h2_settings),
    SAFARI_HTTP(safari184_ios, ENC_BR),
};

SAFARI18_HEADERS(safari260, UA_SAFARI_MAC("26.0"), ENC_ZSTD);
static const struct cn_browser_profile safari260 = {
    .name = "safari260",
    .source = CN_CI_SOURCE("safari260"),
    .tls = {SAFARI_TLS_26(safari26_tls13, safari26_groups, safari26_shares,
                          safari_ext_ticket, true)},
    .h2 = SAFARI_H2_26,
    SAFARI_HTTP(safari260, ENC_ZSTD),
};

SAFARI18_HEADERS(safari2601, UA_SAFARI_MAC("26.0.1"), ENC_BR);
static const struct cn_browser_profile safari2601 = {
    .name = "safari2601",
    .source = CN_CI_SOURCE("safari2601"),
    .tls = {SAFARI_TLS_26(safari26_tls13, safari26_groups, safari26_shares,
                          safari_ext, false)},
    .h2 = SAFARI_H2_26,
    SAFARI_HTTP(safari2601, ENC_BR),
};

/* iOS 26 keeps the classic groups and TLS 1.3 order. */
SAFARI18_HEADERS(safari260_ios, UA_SAFARI_IOS("26_0", "26.0"), ENC_ZSTD);
static const struct cn_browser_profile safari260_ios = {
    .name = "safari260_ios",
    .source = CN_CI_SOURCE("safari260_ios"),
    .tls = {SAFARI_TLS_26(cn_profile_tls13_aes_first, safari_groups,
                          safari_shares, safari_ext_ticket, true)},
    .h2 = SAFARI_H2_26,
    SAFARI_HTTP(safari260_ios, ENC_ZSTD),
};

static const struct cn_browser_profile *const safari_targets[] = {
    &safari153,     &safari155, &safari170,     &safari172_ios,
    &safari180,     &safari180_ios, &safari184, &safari184_ios,
    &safari260,     &safari2601, &safari260_ios,
};

const struct cn_profile_family cn_impersonate_safari_family = {
    safari_targets, CN_NUM(safari_targets)};
