/* browser_profile.h: what one browser sends, as data (curl-impersonate's
 * "targets"). A profile is a constant table entry: the TLS layer reads
 * |tls| to shape the ClientHello, the HTTP/2 session reads |h2|, the
 * request builders read the default header lists. Nothing here does I/O or
 * allocates; this directory is a leaf that depends on nothing else.
 *
 * Every list is in wire order and holds the values the browser sends
 * without GREASE: whether GREASE values are inserted (and where) is said by
 * the flags, because GREASE values change per connection.
 *
 * Ownership: profiles are static and live for the whole process; callers
 * keep pointers to them freely. */
#ifndef CN_IMPERSONATE_BROWSER_PROFILE_H
#define CN_IMPERSONATE_BROWSER_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_u16_list {
  const uint16_t *v;
  size_t num;
};

struct cn_str_list {
  const char *const *v;
  size_t num;
};

struct cn_byte_list {
  const uint8_t *v;
  size_t num;
};

/* How the ClientHello's extensions are ordered. */
enum cn_ext_order {
  CN_EXT_ORDER_LIBRARY = 0, /* BoringSSL's table order (Chrome < 110) */
  CN_EXT_ORDER_PERMUTE,     /* shuffled per connection (Chrome >= 110) */
  CN_EXT_ORDER_FIXED        /* exactly |extension_order| (Firefox, Safari) */
};

/* Certificate compression algorithm code points (RFC 8879). */
enum {
  CN_CERT_COMPRESSION_ZLIB = 1,
  CN_CERT_COMPRESSION_BROTLI = 2,
  CN_CERT_COMPRESSION_ZSTD = 3
};

/* The ALPS extension's two code points (draft-vvv-tls-alps). */
enum { CN_ALPS_CODEPOINT_OLD = 0x4469, CN_ALPS_CODEPOINT_NEW = 0x44cd };

/* HPKE AEAD ids for the ECH GREASE extension (RFC 9180), and NSS's choice:
 * AES-128-GCM or ChaCha20-Poly1305 on one random bit per connection
 * (tls13_MaybeGreaseEch), not a wire value. */
enum {
  CN_ECH_AEAD_AES128_GCM = 0x0001,
  CN_ECH_AEAD_CHACHA20_POLY1305 = 0x0003,
  CN_ECH_GREASE_AEAD_AES128_OR_CHACHA = 0xffff
};

struct cn_tls_profile {
  uint16_t version_min; /* 0x0303 = TLS 1.2 */
  uint16_t version_max; /* 0x0304 = TLS 1.3 */
  /* Cipher suites offered for TLS <= 1.2, after the TLS 1.3 ones. */
  struct cn_u16_list ciphers;
  /* TLS 1.3 suites in the order sent (first in the cipher list). */
  struct cn_u16_list tls13_ciphers;
  /* supported_groups (without GREASE). */
  struct cn_u16_list groups;
  /* Groups that get a key share in the first ClientHello, in order. Its
   * length is the key-share limit. Must be a subsequence of |groups|. */
  struct cn_u16_list key_shares;
  /* Set by CURLOPT_TLS_KEY_SHARES_LIMIT: the first |key_shares_limit|
   * groups in effect get a key share, also when CURLOPT_SSL_EC_CURVES
   * replaces |groups|; 0: |key_shares| as listed. */
  uint8_t key_shares_limit;
  /* signature_algorithms (without GREASE). */
  struct cn_u16_list sigalgs;
  /* A GREASE value is sent first in signature_algorithms (Chrome 156). */
  bool grease_sigalg;
  /* delegated_credentials (34) payload: the signature algorithms; empty:
   * extension not sent. */
  struct cn_u16_list delegated_credentials;
  /* ALPN the browser offers on https, when HTTP/2 is allowed. */
  struct cn_str_list alpn;
  /* Protocols that also get ALPS (application_settings), a subset of ALPN;
   * empty: no ALPS. |alps_codepoint| is CN_ALPS_CODEPOINT_OLD or _NEW.
   * |alps_settings| is the client's settings payload (sent encrypted, in
   * the client's EncryptedExtensions; Chrome sends it empty). */
  struct cn_str_list alps;
  uint16_t alps_codepoint;
  struct cn_byte_list alps_settings;
  /* compress_certificate (27) algorithms in order; empty: not sent. */
  struct cn_u16_list cert_compression;
  /* RFC 8701 GREASE in ciphers, groups, key shares, versions, extensions. */
  bool grease;
  enum cn_ext_order ext_order;
  /* For CN_EXT_ORDER_FIXED: extension types in wire order. For the other
   * modes: the set of extension types the browser sends on a first
   * connection over TLS 1.3 with every ALPN protocol above (for tests). */
  struct cn_u16_list extensions;
  /* encrypted_client_hello GREASE (65037). |ech_grease_aead| is the HPKE
   * AEAD id in it (0: BoringSSL's choice, AES-128-GCM with AES hardware;
   * CN_ECH_GREASE_AEAD_AES128_OR_CHACHA: one of the two on a random bit per
   * connection, as NSS); |ech_grease_payload_len| a fixed payload length
   * (0: BoringSSL's random 32-byte steps, as Chrome). */
  bool ech_grease;
  uint16_t ech_grease_aead;
  uint16_t ech_grease_payload_len;
  bool session_ticket; /* session_ticket (35), empty on a first connection */
  bool status_request; /* status_request (5), OCSP */
  bool sct;            /* signed_certificate_timestamp (18) */
  /* record_size_limit (28) value; 0: not sent. */
  uint16_t record_size_limit;
  /* trust_anchors (0xca34): whether it is sent and the ID list (wire form:
   * 8-bit length-prefixed IDs, without the 16-bit list length). */
  bool trust_anchors;
  struct cn_byte_list trust_anchor_ids;
  /* psk_key_exchange_modes (45): 1 = psk_dhe_ke. */
  struct cn_u16_list psk_modes;
  /* pre_shared_key (41) sent when resuming a TLS 1.3 session. */
  bool psk_on_resumption;
};

/* One HTTP/2 SETTINGS entry. */
struct cn_h2_setting {
  uint16_t id;
  uint32_t value;
};

/* Stream dependency as in a HEADERS frame's priority block or a PRIORITY
 * frame. |weight| is 1..256 (the wire byte plus one). */
struct cn_h2_priority {
  uint32_t stream_id; /* for PRIORITY frames; 0 in the HEADERS block */
  uint32_t depends_on;
  uint16_t weight;
  bool exclusive;
};

struct cn_h2_profile {
  const struct cn_h2_setting *settings; /* in order */
  size_t num_settings;
  /* Connection WINDOW_UPDATE increment sent after SETTINGS; 0: none. */
  uint32_t window_update;
  /* PRIORITY frames sent after the preface (old Firefox); usually none. */
  const struct cn_h2_priority *priority_frames;
  size_t num_priority_frames;
  /* Whether HEADERS carry a priority block, and which. */
  bool headers_priority;
  struct cn_h2_priority headers_priority_value;
  /* Order of the pseudo-headers as letters: m=:method a=:authority
   * s=:scheme p=:path ("masp" is Chrome's "m,a,s,p"). */
  const char *pseudo_order;
  /* Stream id of the first request (1 unless the capture says otherwise). */
  uint32_t first_stream_id;
  /* Receive window a stream is raised to once its response head is in
   * (libcurl's habit); 0: streams keep the SETTINGS value, as browsers. */
  int32_t stream_window_after_headers;
};

/* A default request header. |value| NULL: the position of a header the
 * stack fills in (Host, Connection for HTTP/1.1), kept so that the order is
 * the browser's. */
struct cn_header {
  const char *name;
  const char *value;
};

struct cn_header_list {
  const struct cn_header *v;
  size_t num;
};

/* How multipart/form-data boundaries look. */
enum cn_form_boundary {
  CN_FORM_BOUNDARY_CURL = 0, /* "------------------------" + 22 random */
  CN_FORM_BOUNDARY_WEBKIT,   /* "----WebKitFormBoundary" + 16 [A-Za-z0-9] */
  CN_FORM_BOUNDARY_GECKO     /* "----geckoformboundary" + 32 hex */
};

struct cn_browser_profile {
  const char *name;   /* curl-impersonate's target name, "chrome156" */
  const char *source; /* where the facts come from */
  struct cn_tls_profile tls;
  struct cn_h2_profile h2;
  /* Default headers of a top-level navigation, in order and casing. */
  struct cn_header_list h1_headers;
  struct cn_header_list h2_headers; /* lower case; no pseudo-headers */
  /* Content codings the browser advertises; decoded automatically under
   * impersonation. */
  const char *accept_encoding;
  enum cn_form_boundary form_boundary;
  /* HTTP/2: one "cookie" field per cookie (RFC 9113 8.2.3 crumbs). */
  bool h2_split_cookies;
};

/* cn_browser_profile_lookup returns the profile named |name| (a target
 * such as "chrome156" or an alias such as "chrome"), matched without
 * regard to case; NULL if there is none. */
const struct cn_browser_profile *cn_browser_profile_lookup(const char *name);

/* cn_browser_profile_parse_spec resolves an impersonation setting as
 * CURLOPT_IMPERSONATE takes it: "target", "target:no" (without the
 * browser's default headers) or "target:yes". Returns false for an unknown
 * target or suffix; on success writes the profile and the default-headers
 * choice. */
bool cn_browser_profile_parse_spec(const char *spec,
                                   const struct cn_browser_profile **out,
                                   bool *out_default_headers);

/* cn_browser_profile_at returns the |i|th profile of the registry (aliases
 * not included) or NULL past the end: for listings and tests. */
const struct cn_browser_profile *cn_browser_profile_at(size_t i);

/* cn_browser_profile_alias_at returns the |i|th alias and, in
 * |*out_target|, the name of the profile it stands for; NULL past the
 * end. */
const char *cn_browser_profile_alias_at(size_t i, const char **out_target);

/* cn_browser_profile_find_header returns the default header |name| of
 * |list| (case-insensitive) or NULL. */
const struct cn_header *
cn_browser_profile_find_header(const struct cn_header_list *list,
                               const char *name);

#endif
