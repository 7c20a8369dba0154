/* fingerprint.h: curl-impersonate's fingerprint options as data, and the
 * profile they make.
 *
 * Each option (CURLOPT_HTTP2_SETTINGS, CURLOPT_TLS_EXTENSION_ORDER, ...)
 * overrides one field of a browser profile (browser_profile.h). The api
 * layer parses the option's value with the pure parsers below into a
 * struct cn_fingerprint (a plain value: no pointers, copied freely), and a
 * starting transfer builds a struct cn_custom_profile from the handle's
 * target (or, without one, from cn_browser_profile_libcurl()) with the
 * overridden fields replaced. The custom profile is an ordinary
 * cn_browser_profile for the TLS, HTTP/2 and header code, and its name
 * spells every override, so connections and TLS sessions are never shared
 * between different fingerprints (the name is part of the pool's group key
 * and of the session-cache key).
 *
 * Parsers return false on malformed input and then write a NUL-terminated
 * reason naming the problem into |err| (|err_len| bytes); they never
 * allocate. */
#ifndef CN_IMPERSONATE_FINGERPRINT_H
#define CN_IMPERSONATE_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impersonate/browser_profile.h"

#define CN_FP_MAX_SIGALGS 32
#define CN_FP_MAX_EXTENSIONS 64
#define CN_FP_MAX_CERT_COMPRESSION 3
#define CN_FP_MAX_H2_SETTINGS 16
#define CN_FP_MAX_PRIORITY_FRAMES 16

/* Which fields a cn_fingerprint sets (bits of |set|). */
enum {
  CN_FP_SIGALGS = 1u << 0,
  CN_FP_ALPS = 1u << 1,
  CN_FP_CERT_COMPRESSION = 1u << 2,
  CN_FP_SESSION_TICKET = 1u << 3,
  CN_FP_PSEUDO_ORDER = 1u << 4,
  CN_FP_H2_SETTINGS = 1u << 5,
  CN_FP_PERMUTE = 1u << 6,
  CN_FP_WINDOW_UPDATE = 1u << 7,
  CN_FP_H2_STREAMS = 1u << 8,
  CN_FP_GREASE = 1u << 9,
  CN_FP_EXTENSION_ORDER = 1u << 10,
  CN_FP_STREAM_EXCLUSIVE = 1u << 11,
  CN_FP_SCT = 1u << 12,
  CN_FP_STATUS_REQUEST = 1u << 13,
  CN_FP_DELEGATED_CREDENTIALS = 1u << 14,
  CN_FP_RECORD_SIZE_LIMIT = 1u << 15,
  CN_FP_KEY_SHARES_LIMIT = 1u << 16,
  CN_FP_NEW_ALPS_CODEPOINT = 1u << 17,
  CN_FP_H2_NO_PRIORITY = 1u << 18,
  CN_FP_SPLIT_COOKIES = 1u << 19,
  CN_FP_FORM_BOUNDARY = 1u << 20,
  CN_FP_ECH_GREASE = 1u << 21,
};

struct cn_fingerprint {
  uint32_t set;
  /* CURLOPT_SSL_SIG_HASH_ALGS; |grease_sigalg| for a leading "GREASE". */
  uint16_t sigalgs[CN_FP_MAX_SIGALGS];
  size_t num_sigalgs;
  bool grease_sigalg;
  bool alps;                /* CURLOPT_SSL_ENABLE_ALPS */
  bool new_alps_codepoint;  /* CURLOPT_TLS_USE_NEW_ALPS_CODEPOINT */
  uint16_t cert_compression[CN_FP_MAX_CERT_COMPRESSION];
  size_t num_cert_compression;
  bool session_ticket;      /* CURLOPT_SSL_ENABLE_TICKET */
  bool permute;             /* CURLOPT_SSL_PERMUTE_EXTENSIONS */
  bool grease;              /* CURLOPT_TLS_GREASE */
  bool ech_grease;          /* CURLOPT_ECH "grease" / "false" */
  uint16_t extension_order[CN_FP_MAX_EXTENSIONS]; /* TLS_EXTENSION_ORDER */
  size_t num_extension_order;
  bool sct;                 /* CURLOPT_TLS_SIGNED_CERT_TIMESTAMPS */
  bool status_request;      /* CURLOPT_TLS_STATUS_REQUEST */
  uint16_t delegated_credentials[CN_FP_MAX_SIGALGS];
  size_t num_delegated_credentials;
  uint16_t record_size_limit; /* 0: extension not sent */
  uint8_t key_shares_limit;   /* 0: the base profile's key shares */
  char pseudo_order[5];       /* "masp" */
  struct cn_h2_setting h2_settings[CN_FP_MAX_H2_SETTINGS];
  size_t num_h2_settings;
  uint32_t window_update;     /* 0: none */
  struct cn_h2_priority priority_frames[CN_FP_MAX_PRIORITY_FRAMES];
  size_t num_priority_frames;
  bool stream_exclusive;      /* CURLOPT_STREAM_EXCLUSIVE */
  bool h2_no_priority;        /* CURLOPT_HTTP2_NO_PRIORITY */
  bool split_cookies;         /* CURLOPT_SPLIT_COOKIES */
  enum cn_form_boundary form_boundary; /* CURLOPT_FORM_BOUNDARY */
};

/* --- parsers (curl-impersonate's string formats) ------------------------- */

/* cn_fp_parse_sigalgs: signature algorithm names separated by ',' or ':'
 * ("ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256,..."; TLS 1.3 names such as
 * "mldsa65" too). A leading "GREASE" asks for a GREASE value first (Chrome
 * 156); repeats are allowed (Safari sends one twice). */
bool cn_fp_parse_sigalgs(const char *s, uint16_t *out, size_t *out_num,
                         bool *out_grease, char *err, size_t err_len);
/* cn_fp_parse_cert_compression: "zlib", "brotli", "zstd" separated by ','. */
bool cn_fp_parse_cert_compression(const char *s, uint16_t *out,
                                  size_t *out_num, char *err, size_t err_len);
/* cn_fp_parse_extension_order: decimal code points joined by '-'
 * ("0-23-65281-10"), each once. */
bool cn_fp_parse_extension_order(const char *s, uint16_t *out,
                                 size_t *out_num, char *err, size_t err_len);
/* cn_fp_parse_pseudo_order: the letters m, a, s, p, each once ("masp"). */
bool cn_fp_parse_pseudo_order(const char *s, char out[5], char *err,
                              size_t err_len);
/* cn_fp_parse_h2_settings: "id:value" pairs joined by ';'
 * ("1:65536;2:0;4:6291456;6:262144"); ids 1..65535 once each, values
 * 0..2^32-1; "" is an empty SETTINGS frame. */
bool cn_fp_parse_h2_settings(const char *s, struct cn_h2_setting *out,
                             size_t *out_num, char *err, size_t err_len);
/* cn_fp_parse_h2_streams: PRIORITY frames sent after the preface,
 * "stream:exclusive:depends_on:weight" joined by ','
 * ("3:0:0:201,5:0:0:101"); |weight| as on the wire (0..255). */
bool cn_fp_parse_h2_streams(const char *s, struct cn_h2_priority *out,
                            size_t *out_num, char *err, size_t err_len);
/* cn_fp_parse_form_boundary: "webkit", "firefox" (or "gecko"), "curl". */
bool cn_fp_parse_form_boundary(const char *s, enum cn_form_boundary *out,
                               char *err, size_t err_len);
/* cn_fp_check_header_order: a ','-separated list of header names (tokens),
 * "Host,User-Agent,Cookie". */
bool cn_fp_check_header_order(const char *s, char *err, size_t err_len);

/* --- the profile they make ------------------------------------------------ */

/* cn_browser_profile_libcurl is the profile of a handle with fingerprint
 * options but no target: libcurl's own ClientHello and HTTP/2 shape as
 * curlium sends them without impersonation, and no default headers. */
const struct cn_browser_profile *cn_browser_profile_libcurl(void);

/* A profile built from a base and overrides. Owns nothing on the heap
 * except |name| and the header arrays (cn_custom_profile_cleanup). */
struct cn_custom_profile {
  struct cn_browser_profile p;
  char *name;
  uint16_t sigalgs[CN_FP_MAX_SIGALGS];
  uint16_t cert_compression[CN_FP_MAX_CERT_COMPRESSION];
  uint16_t extensions[CN_FP_MAX_EXTENSIONS];
  uint16_t delegated_credentials[CN_FP_MAX_SIGALGS];
  uint16_t key_shares[16];
  const char *alps[1];
  char pseudo_order[5];
  struct cn_h2_setting settings[CN_FP_MAX_H2_SETTINGS];
  struct cn_h2_priority priority_frames[CN_FP_MAX_PRIORITY_FRAMES];
  struct cn_header *h1_headers; /* owned, with their strings */
  struct cn_header *h2_headers;
  size_t num_headers;
  char *header_text; /* owned storage of the header strings */
};

/* cn_custom_profile_build fills |out| from |base| (NULL: libcurl's) with
 * |fp|'s fields replaced and, when |base_headers| is not NULL, the default
 * headers replaced by those |num_base_headers| "Name: value" lines (the
 * HTTP/2 list gets the same fields with lower-case names). Conflicting
 * options are refused: an explicit extension order naming an extension
 * that is switched off. Extensions that can be switched off and are not in
 * an explicit order are switched off (curl-impersonate's rule: the order
 * also filters). Returns 0, -1 with |err| written for conflicts, or -2 on
 * out of memory. |out| needs cn_custom_profile_cleanup either way. */
int cn_custom_profile_build(struct cn_custom_profile *out,
                            const struct cn_browser_profile *base,
                            const struct cn_fingerprint *fp,
                            const char *const *base_headers,
                            size_t num_base_headers, char *err,
                            size_t err_len);
void cn_custom_profile_cleanup(struct cn_custom_profile *out);

#endif
