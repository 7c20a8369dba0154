/* fingerprint.c: parsers for curl-impersonate's fingerprint strings and the
 * custom profile a handle's overrides make. Formats are curl-impersonate's
 * (its docs/api.rst and curl-impersonate-flags.md); the code is ours. */
#include "impersonate/fingerprint.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "impersonate/profile_data.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

static bool fail(char *err, size_t err_len, const char *fmt, ...) {
  if (err && err_len) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
  }
  return false;
}

/* next_item splits |*s| at the first of |seps|: the item is [*start,
 * *start + *len), |*s| moves past the separator. false at the end. */
static bool next_item(const char **s, const char *seps, const char **start,
                      size_t *len) {
  if (!*s)
    return false;
  const char *p = *s;
  size_t n = strcspn(p, seps);
  *start = p;
  *len = n;
  *s = p[n] ? p + n + 1 : NULL;
  return true;
}

/* trim drops blanks around [*p, *p + *len). */
static void trim(const char **p, size_t *len) {
  while (*len && isspace((unsigned char)**p)) {
    (*p)++;
    (*len)--;
  }
  while (*len && isspace((unsigned char)(*p)[*len - 1]))
    (*len)--;
}

/* parse_uint reads all of [p, p + len) as a decimal number <= |max|. */
static bool parse_uint(const char *p, size_t len, uint64_t max,
                       uint64_t *out) {
  uint64_t v = 0;
  if (!len || len > 20)
    return false;
  for (size_t i = 0; i < len; i++) {
    if (p[i] < '0' || p[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(p[i] - '0');
    if (v > max)
      return false;
  }
  *out = v;
  return true;
}

/* --- signature algorithms ------------------------------------------------- */

static const struct {
  const char *name;
  uint16_t id;
} sigalg_names[] = {
    {"rsa_pkcs1_sha1", 0x0201},
    {"rsa_pkcs1_sha224", 0x0301},
    {"rsa_pkcs1_sha256", 0x0401},
    {"rsa_pkcs1_sha384", 0x0501},
    {"rsa_pkcs1_sha512", 0x0601},
    {"dsa_sha224", 0x0302},
    {"dsa_sha256", 0x0402},
    {"dsa_sha384", 0x0502},
    {"dsa_sha512", 0x0602},
    {"ecdsa_sha1", 0x0203},
    {"ecdsa_sha224", 0x0303},
    {"ecdsa_secp256r1_sha256", 0x0403},
    {"ecdsa_secp384r1_sha384", 0x0503},
    {"ecdsa_secp521r1_sha512", 0x0603},
    {"rsa_pss_rsae_sha256", 0x0804},
    {"rsa_pss_rsae_sha384", 0x0805},
    {"rsa_pss_rsae_sha512", 0x0806},
    {"ed25519", 0x0807},
    {"ed448", 0x0808},
    {"rsa_pss_pss_sha256", 0x0809},
    {"rsa_pss_pss_sha384", 0x080a},
    {"rsa_pss_pss_sha512", 0x080b},
    {"ecdsa_brainpoolP256r1tls13_sha256", 0x081a},
    {"ecdsa_brainpoolP384r1tls13_sha384", 0x081b},
    {"ecdsa_brainpoolP512r1tls13_sha512", 0x081c},
    {"mldsa44", 0x0904},
    {"mldsa65", 0x0905},
    {"mldsa87", 0x0906},
};

static bool sigalg_by_name(const char *p, size_t len, uint16_t *out) {
  for (size_t i = 0; i < CN_NUM(sigalg_names); i++) {
    const char *n = sigalg_names[i].name;
    if (strlen(n) == len && strncasecmp(n, p, len) == 0) {
      *out = sigalg_names[i].id;
      return true;
    }
  }
  /* A code point in hex, for what has no name here ("0x0403"). */
  uint64_t v = 0;
  if (len >= 3 && len <= 6 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    for (size_t i = 2; i < len; i++) {
      int c = tolower((unsigned char)p[i]);
      if (!isxdigit(c))
        return false;
      v = v * 16 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    *out = (uint16_t)v;
    return true;
  }
  return false;
}

bool cn_fp_parse_sigalgs(const char *s, uint16_t *out, size_t *out_num,
                         bool *out_grease, char *err, size_t err_len) {
  uint16_t v[CN_FP_MAX_SIGALGS];
  size_t n = 0;
  bool grease = false;
  const char *item;
  size_t len;
  size_t pos = 0;
  if (!s || !*s)
    return fail(err, err_len, "empty signature algorithm list");
  while (next_item(&s, ",:", &item, &len)) {
    trim(&item, &len);
    if (len == 6 && strncasecmp(item, "GREASE", 6) == 0 && pos == 0) {
      grease = true;
      pos++;
      continue;
    }
    uint16_t id;
    if (!sigalg_by_name(item, len, &id))
      return fail(err, err_len, "unknown signature algorithm '%.*s'",
                  (int)(len > 64 ? 64 : len), item);
    if (n == CN_FP_MAX_SIGALGS)
      return fail(err, err_len, "more than %d signature algorithms",
                  CN_FP_MAX_SIGALGS);
    v[n++] = id;
    pos++;
  }
  if (!n)
    return fail(err, err_len, "no signature algorithm in the list");
  memcpy(out, v, n * sizeof(v[0]));
  *out_num = n;
  *out_grease = grease;
  return true;
}

/* --- certificate compression ---------------------------------------------- */

bool cn_fp_parse_cert_compression(const char *s, uint16_t *out,
                                  size_t *out_num, char *err,
                                  size_t err_len) {
  uint16_t v[CN_FP_MAX_CERT_COMPRESSION];
  size_t n = 0;
  const char *item;
  size_t len;
  if (!s)
    return fail(err, err_len, "no certificate compression list");
  while (next_item(&s, ",", &item, &len)) {
    trim(&item, &len);
    uint16_t alg;
    if (len == 4 && strncasecmp(item, "zlib", 4) == 0)
      alg = CN_CERT_COMPRESSION_ZLIB;
    else if (len == 6 && strncasecmp(item, "brotli", 6) == 0)
      alg = CN_CERT_COMPRESSION_BROTLI;
    else if (len == 4 && strncasecmp(item, "zstd", 4) == 0)
      alg = CN_CERT_COMPRESSION_ZSTD;
    else if (len == 0 && n == 0 && !s)
      break; /* "": no compression offered */
    else
      return fail(err, err_len,
                  "unknown certificate compression '%.*s' (zlib, brotli, "
                  "zstd)",
                  (int)(len > 32 ? 32 : len), item);
    for (size_t i = 0; i < n; i++)
      if (v[i] == alg)
        return fail(err, err_len, "certificate compression '%.*s' twice",
                    (int)len, item);
    v[n++] = alg;
  }
  memcpy(out, v, n * sizeof(v[0]));
  *out_num = n;
  return true;
}

/* --- extension order ------------------------------------------------------ */

bool cn_fp_parse_extension_order(const char *s, uint16_t *out,
                                 size_t *out_num, char *err,
                                 size_t err_len) {
  uint16_t v[CN_FP_MAX_EXTENSIONS];
  size_t n = 0;
  const char *item;
  size_t len;
  if (!s || !*s)
    return fail(err, err_len, "empty TLS extension order");
  while (next_item(&s, "-", &item, &len)) {
    uint64_t id;
    if (!parse_uint(item, len, 65535, &id))
      return fail(err, err_len,
                  "TLS extension order: '%.*s' is not an extension number "
                  "0..65535",
                  (int)(len > 32 ? 32 : len), item);
    for (size_t i = 0; i < n; i++)
      if (v[i] == id)
        return fail(err, err_len, "TLS extension order: %u listed twice",
                    (unsigned)id);
    if (n == CN_FP_MAX_EXTENSIONS)
      return fail(err, err_len, "TLS extension order: more than %d entries",
                  CN_FP_MAX_EXTENSIONS);
    v[n++] = (uint16_t)id;
  }
  memcpy(out, v, n * sizeof(v[0]));
  *out_num = n;
  return true;
}

/* --- HTTP/2 --------------------------------------------------------------- */

bool cn_fp_parse_pseudo_order(const char *s, char out[5], char *err,
                              size_t err_len) {
  if (!s || strlen(s) != 4)
    return fail(err, err_len,
                "HTTP/2 pseudo-header order must be the four letters m, a, "
                "s, p (\"masp\")");
  bool seen[4] = {false};
  for (int i = 0; i < 4; i++) {
    const char *at = strchr("masp", s[i]);
    if (!s[i] || !at)
      return fail(err, err_len,
                  "HTTP/2 pseudo-header order: '%c' is not one of m, a, s, p",
                  s[i]);
    if (seen[at - "masp"])
      return fail(err, err_len, "HTTP/2 pseudo-header order: '%c' twice",
                  s[i]);
    seen[at - "masp"] = true;
  }
  memcpy(out, s, 5);
  return true;
}

bool cn_fp_parse_h2_settings(const char *s, struct cn_h2_setting *out,
                             size_t *out_num, char *err, size_t err_len) {
  struct cn_h2_setting v[CN_FP_MAX_H2_SETTINGS];
  size_t n = 0;
  const char *item;
  size_t len;
  if (!s)
    return fail(err, err_len, "no HTTP/2 settings");
  if (!*s) {
    *out_num = 0;
    return true;
  }
  while (next_item(&s, ";", &item, &len)) {
    const char *colon = memchr(item, ':', len);
    uint64_t id, value;
    if (!colon || !parse_uint(item, (size_t)(colon - item), 65535, &id) ||
        id == 0 ||
        !parse_uint(colon + 1, len - (size_t)(colon - item) - 1, 0xffffffffu,
                    &value))
      return fail(err, err_len,
                  "HTTP/2 settings: '%.*s' is not id:value (id 1..65535)",
                  (int)(len > 32 ? 32 : len), item);
    for (size_t i = 0; i < n; i++)
      if (v[i].id == id)
        return fail(err, err_len, "HTTP/2 settings: id %u twice",
                    (unsigned)id);
    if (n == CN_FP_MAX_H2_SETTINGS)
      return fail(err, err_len, "HTTP/2 settings: more than %d entries",
                  CN_FP_MAX_H2_SETTINGS);
    v[n].id = (uint16_t)id;
    v[n].value = (uint32_t)value;
    n++;
  }
  memcpy(out, v, n * sizeof(v[0]));
  *out_num = n;
  return true;
}

bool cn_fp_parse_h2_streams(const char *s, struct cn_h2_priority *out,
                            size_t *out_num, char *err, size_t err_len) {
  struct cn_h2_priority v[CN_FP_MAX_PRIORITY_FRAMES];
  size_t n = 0;
  const char *item;
  size_t len;
  if (!s)
    return fail(err, err_len, "no HTTP/2 streams");
  if (!*s) {
    *out_num = 0;
    return true;
  }
  while (next_item(&s, ",", &item, &len)) {
    uint64_t f[4];
    const char *p = item;
    size_t left = len;
    for (int k = 0; k < 4; k++) {
      const char *c = k < 3 ? memchr(p, ':', left) : p + left;
      static const uint64_t max[4] = {0x7fffffff, 1, 0x7fffffff, 255};
      if (!c || !parse_uint(p, (size_t)(c - p), max[k], &f[k]))
        return fail(err, err_len,
                    "HTTP/2 streams: '%.*s' is not stream:exclusive:"
                    "depends_on:weight",
                    (int)(len > 40 ? 40 : len), item);
      if (k < 3) {
        left -= (size_t)(c - p) + 1;
        p = c + 1;
      }
    }
    if (f[0] == 0 || f[0] == f[2])
      return fail(err, err_len, "HTTP/2 streams: '%.*s' names stream %u",
                  (int)(len > 40 ? 40 : len), item, (unsigned)f[0]);
    if (n == CN_FP_MAX_PRIORITY_FRAMES)
      return fail(err, err_len, "HTTP/2 streams: more than %d entries",
                  CN_FP_MAX_PRIORITY_FRAMES);
    v[n].stream_id = (uint32_t)f[0];
    v[n].exclusive = f[1] != 0;
    v[n].depends_on = (uint32_t)f[2];
    v[n].weight = (uint16_t)(f[3] + 1);
    n++;
  }
  memcpy(out, v, n * sizeof(v[0]));
  *out_num = n;
  return true;
}

/* --- HTTP ----------------------------------------------------------------- */

bool cn_fp_parse_form_boundary(const char *s, enum cn_form_boundary *out,
                               char *err, size_t err_len) {
  if (s && strcasecmp(s, "webkit") == 0)
    *out = CN_FORM_BOUNDARY_WEBKIT;
  else if (s && (strcasecmp(s, "firefox") == 0 || strcasecmp(s, "gecko") == 0))
    *out = CN_FORM_BOUNDARY_GECKO;
  else if (s && strcasecmp(s, "curl") == 0)
    *out = CN_FORM_BOUNDARY_CURL;
  else
    return fail(err, err_len,
                "unknown form boundary style '%.32s' (webkit, firefox, curl)",
                s ? s : "");
  return true;
}

static bool is_tchar(int c) {
  return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

bool cn_fp_check_header_order(const char *s, char *err, size_t err_len) {
  const char *item;
  size_t len;
  if (!s || !*s)
    return fail(err, err_len, "empty header order");
  while (next_item(&s, ",", &item, &len)) {
    trim(&item, &len);
    if (!len)
      return fail(err, err_len, "header order: empty header name");
    for (size_t i = 0; i < len; i++)
      if (!is_tchar((unsigned char)item[i]))
        return fail(err, err_len, "header order: '%.*s' is not a header name",
                    (int)(len > 40 ? 40 : len), item);
  }
  return true;
}

/* --- libcurl's own shape -------------------------------------------------- */

/* What curlium sends without a target (lib/http/h2/h2_config.c and
 * lib/tls/ssl_client_context.c): BoringSSL's ClientHello with libcurl's
 * settings, libcurl 8.14's HTTP/2 connection start. Empty lists leave the
 * library's own choice in place. */
static const struct cn_h2_setting libcurl_h2_settings[] = {
    {3, 100}, {4, 65536}, {2, 0}};
static const uint16_t libcurl_psk_modes[] = {1};

static const struct cn_browser_profile libcurl_profile = {
    .name = "curl",
    .source = "libcurl 8.14 on BoringSSL, as curlium sends it untargeted",
    .tls =
        {
            .alpn = LIST(cn_profile_alpn_h2_h1),
            .alps_codepoint = CN_ALPS_CODEPOINT_OLD,
            .ext_order = CN_EXT_ORDER_LIBRARY,
            .psk_modes = LIST(libcurl_psk_modes),
            .psk_on_resumption = true,
        },
    .h2 =
        {
            .settings = libcurl_h2_settings,
            .num_settings = CN_NUM(libcurl_h2_settings),
            .window_update = 1048510465,
            .pseudo_order = "msap",
            .first_stream_id = 1,
            .stream_window_after_headers = 10 * 1024 * 1024,
        },
    .form_boundary = CN_FORM_BOUNDARY_CURL,
};

const struct cn_browser_profile *cn_browser_profile_libcurl(void) {
  return &libcurl_profile;
}

/* --- the custom profile --------------------------------------------------- */

static bool in_list(const uint16_t *v, size_t n, uint16_t x) {
  for (size_t i = 0; i < n; i++)
    if (v[i] == x)
      return true;
  return false;
}

/* The extensions an option can switch off, and whether the profile has
 * them on. */
enum { EXT_STATUS = 5, EXT_SCT = 18, EXT_CERT_COMP = 27, EXT_RSL = 28,
       EXT_DC = 34, EXT_TICKET = 35, EXT_ALPS_OLD = 17513,
       EXT_ALPS_NEW = 17613, EXT_ECH = 65037 };

static bool ext_enabled(const struct cn_tls_profile *t, uint16_t ext) {
  switch (ext) {
  case EXT_STATUS:
    return t->status_request;
  case EXT_SCT:
    return t->sct;
  case EXT_CERT_COMP:
    return t->cert_compression.num != 0;
  case EXT_RSL:
    return t->record_size_limit != 0;
  case EXT_DC:
    return t->delegated_credentials.num != 0;
  case EXT_TICKET:
    return t->session_ticket;
  case EXT_ALPS_OLD:
    return t->alps.num && t->alps_codepoint == CN_ALPS_CODEPOINT_OLD;
  case EXT_ALPS_NEW:
    return t->alps.num && t->alps_codepoint == CN_ALPS_CODEPOINT_NEW;
  case EXT_ECH:
    return t->ech_grease;
  default:
    return true;
  }
}

static const char *ext_option(uint16_t ext) {
  switch (ext) {
  case EXT_STATUS:
    return "CURLOPT_TLS_STATUS_REQUEST";
  case EXT_SCT:
    return "CURLOPT_TLS_SIGNED_CERT_TIMESTAMPS";
  case EXT_CERT_COMP:
    return "CURLOPT_SSL_CERT_COMPRESSION";
  case EXT_RSL:
    return "CURLOPT_TLS_RECORD_SIZE_LIMIT";
  case EXT_DC:
    return "CURLOPT_TLS_DELEGATED_CREDENTIALS";
  case EXT_TICKET:
    return "CURLOPT_SSL_ENABLE_TICKET";
  case EXT_ALPS_OLD:
  case EXT_ALPS_NEW:
    return "CURLOPT_SSL_ENABLE_ALPS / CURLOPT_TLS_USE_NEW_ALPS_CODEPOINT";
  default:
    return "CURLOPT_ECH \"grease\"";
  }
}

/* filter_by_order applies an explicit order to the switchable extensions:
 * listed but off is a conflict; on but not listed is switched off. */
static int filter_by_order(struct cn_tls_profile *t, const uint16_t *order,
                           size_t num, char *err, size_t err_len) {
  static const uint16_t switchable[] = {
      EXT_STATUS, EXT_SCT,      EXT_CERT_COMP, EXT_RSL, EXT_DC,
      EXT_TICKET, EXT_ALPS_OLD, EXT_ALPS_NEW,  EXT_ECH};
  for (size_t i = 0; i < CN_NUM(switchable); i++) {
    uint16_t e = switchable[i];
    bool listed = in_list(order, num, e);
    bool on = ext_enabled(t, e);
    if (listed && !on) {
      fail(err, err_len,
           "CURLOPT_TLS_EXTENSION_ORDER lists extension %u, which is "
           "switched off (see %s)",
           (unsigned)e, ext_option(e));
      return -1;
    }
    if (on && !listed) {
      switch (e) {
      case EXT_STATUS:
        t->status_request = false;
        break;
      case EXT_SCT:
        t->sct = false;
        break;
      case EXT_CERT_COMP:
        t->cert_compression.num = 0;
        break;
      case EXT_RSL:
        t->record_size_limit = 0;
        break;
      case EXT_DC:
        t->delegated_credentials.num = 0;
        break;
      case EXT_TICKET:
        t->session_ticket = false;
        break;
      case EXT_ECH:
        t->ech_grease = false;
        break;
      default:
        t->alps.num = 0;
        break;
      }
    }
  }
  return 0;
}

/* describe writes the name of the custom profile: the base's name and
 * every override, in a fixed order and spelling, so that two handles get
 * the same name exactly when they send the same fingerprint. */
static int describe(struct cn_buf *b, const struct cn_browser_profile *base,
                    const struct cn_fingerprint *fp,
                    const char *const *headers, size_t num_headers) {
  int rv = cn_buf_printf(b, "%s+", base->name);
#define U16S(tag, v, n)                                                        \
  do {                                                                         \
    if (rv == CN_OK)                                                           \
      rv = cn_buf_append_str(b, tag "=");                                      \
    for (size_t i_ = 0; i_ < (n) && rv == CN_OK; i_++)                         \
      rv = cn_buf_printf(b, "%s%x", i_ ? "-" : "", (unsigned)(v)[i_]);         \
    if (rv == CN_OK)                                                           \
      rv = cn_buf_append_byte(b, ';');                                         \
  } while (0)
  uint32_t s = fp->set;
  if (s & CN_FP_SIGALGS) {
    U16S("sig", fp->sigalgs, fp->num_sigalgs);
    if (rv == CN_OK && fp->grease_sigalg)
      rv = cn_buf_append_str(b, "sigg;");
  }
  if (s & CN_FP_DELEGATED_CREDENTIALS)
    U16S("dc", fp->delegated_credentials, fp->num_delegated_credentials);
  if (s & CN_FP_CERT_COMPRESSION)
    U16S("cc", fp->cert_compression, fp->num_cert_compression);
  if (s & CN_FP_EXTENSION_ORDER)
    U16S("eo", fp->extension_order, fp->num_extension_order);
  static const struct {
    uint32_t bit;
    const char *tag;
    size_t off;
  } flags[] = {
      {CN_FP_ALPS, "alps", offsetof(struct cn_fingerprint, alps)},
      {CN_FP_NEW_ALPS_CODEPOINT, "alpsn",
       offsetof(struct cn_fingerprint, new_alps_codepoint)},
      {CN_FP_SESSION_TICKET, "tk",
       offsetof(struct cn_fingerprint, session_ticket)},
      {CN_FP_PERMUTE, "perm", offsetof(struct cn_fingerprint, permute)},
      {CN_FP_GREASE, "gr", offsetof(struct cn_fingerprint, grease)},
      {CN_FP_ECH_GREASE, "ech", offsetof(struct cn_fingerprint, ech_grease)},
      {CN_FP_SCT, "sct", offsetof(struct cn_fingerprint, sct)},
      {CN_FP_STATUS_REQUEST, "ocsp",
       offsetof(struct cn_fingerprint, status_request)},
      {CN_FP_STREAM_EXCLUSIVE, "excl",
       offsetof(struct cn_fingerprint, stream_exclusive)},
      {CN_FP_H2_NO_PRIORITY, "noprio",
       offsetof(struct cn_fingerprint, h2_no_priority)},
      {CN_FP_SPLIT_COOKIES, "split",
       offsetof(struct cn_fingerprint, split_cookies)},
  };
  for (size_t i = 0; i < CN_NUM(flags) && rv == CN_OK; i++)
    if (s & flags[i].bit)
      rv = cn_buf_printf(b, "%s=%d;", flags[i].tag,
                         *((const bool *)((const char *)fp + flags[i].off)));
  if (rv == CN_OK && (s & CN_FP_RECORD_SIZE_LIMIT))
    rv = cn_buf_printf(b, "rsl=%u;", (unsigned)fp->record_size_limit);
  if (rv == CN_OK && (s & CN_FP_KEY_SHARES_LIMIT))
    rv = cn_buf_printf(b, "ks=%u;", (unsigned)fp->key_shares_limit);
  if (rv == CN_OK && (s & CN_FP_PSEUDO_ORDER))
    rv = cn_buf_printf(b, "po=%s;", fp->pseudo_order);
  if (rv == CN_OK && (s & CN_FP_WINDOW_UPDATE))
    rv = cn_buf_printf(b, "wu=%u;", (unsigned)fp->window_update);
  if (rv == CN_OK && (s & CN_FP_FORM_BOUNDARY))
    rv = cn_buf_printf(b, "fb=%d;", (int)fp->form_boundary);
  if (rv == CN_OK && (s & CN_FP_H2_SETTINGS)) {
    rv = cn_buf_append_str(b, "h2s=");
    for (size_t i = 0; i < fp->num_h2_settings && rv == CN_OK; i++)
      rv = cn_buf_printf(b, "%u:%u,", (unsigned)fp->h2_settings[i].id,
                         (unsigned)fp->h2_settings[i].value);
    if (rv == CN_OK)
      rv = cn_buf_append_byte(b, ';');
  }
  if (rv == CN_OK && (s & CN_FP_H2_STREAMS)) {
    rv = cn_buf_append_str(b, "h2p=");
    for (size_t i = 0; i < fp->num_priority_frames && rv == CN_OK; i++) {
      const struct cn_h2_priority *f = &fp->priority_frames[i];
      rv = cn_buf_printf(b, "%u:%d:%u:%u,", (unsigned)f->stream_id,
                         (int)f->exclusive, (unsigned)f->depends_on,
                         (unsigned)f->weight);
    }
    if (rv == CN_OK)
      rv = cn_buf_append_byte(b, ';');
  }
  /* Header lines are length-prefixed: they may contain any separator. */
  if (rv == CN_OK && headers) {
    rv = cn_buf_append_str(b, "hdr=");
    for (size_t i = 0; i < num_headers && rv == CN_OK; i++)
      rv = cn_buf_printf(b, "%zu:%s", strlen(headers[i]), headers[i]);
    if (rv == CN_OK)
      rv = cn_buf_append_byte(b, ';');
  }
#undef U16S
  return rv;
}

/* Fields HTTP/2 forbids or fills itself (RFC 9113 8.2.2, 8.3.1). */
static bool h2_skips(const char *name, size_t len) {
  static const char *const skip[] = {"host", "connection", "keep-alive",
                                     "proxy-connection", "transfer-encoding",
                                     "upgrade"};
  for (size_t i = 0; i < CN_NUM(skip); i++)
    if (strlen(skip[i]) == len && strncasecmp(skip[i], name, len) == 0)
      return true;
  return false;
}

/* build_headers turns "Name: value" lines into the profile's two lists.
 * Lines without a value ("Name:") are skipped; "Name;" is an empty value.
 * A "Host" line only marks Host's position; without one Host goes first
 * (HTTP/1.1), as every browser sends it. */
static int build_headers(struct cn_custom_profile *out,
                         const char *const *lines, size_t num) {
  size_t text_len = 0;
  for (size_t i = 0; i < num; i++)
    text_len += strlen(lines[i]) + 2;
  out->h1_headers = cn_calloc(num + 1, sizeof(struct cn_header));
  out->h2_headers = cn_calloc(num + 1, sizeof(struct cn_header));
  out->header_text = cn_malloc(2 * text_len + 1);
  if (!out->h1_headers || !out->h2_headers || !out->header_text)
    return -2;
  char *t = out->header_text;
  size_t n1 = 0, n2 = 0;
  bool host = false;
  for (size_t i = 0; i < num; i++) {
    const char *l = lines[i];
    size_t name_len = strcspn(l, ":;");
    if (!name_len || !l[name_len])
      continue;
    const char *value = l + name_len + 1;
    while (*value == ' ' || *value == '\t')
      value++;
    bool empty = l[name_len] == ';';
    if (!empty && !*value)
      continue; /* "Name:" removes a header; nothing to send here */
    if (empty)
      value = "";
    bool is_host = name_len == 4 && strncasecmp(l, "Host", 4) == 0;
    char *name = t;
    memcpy(t, l, name_len);
    t[name_len] = '\0';
    t += name_len + 1;
    char *val = t;
    size_t vlen = strlen(value);
    memcpy(t, value, vlen + 1);
    t += vlen + 1;
    if (is_host && !host) {
      out->h1_headers[n1++] = (struct cn_header){name, NULL};
      host = true;
    } else if (!is_host) {
      out->h1_headers[n1++] = (struct cn_header){name, val};
    }
    if (!h2_skips(l, name_len)) {
      char *lower = t;
      for (size_t k = 0; k < name_len; k++)
        lower[k] = (char)tolower((unsigned char)l[k]);
      lower[name_len] = '\0';
      t += name_len + 1;
      out->h2_headers[n2++] = (struct cn_header){lower, val};
    }
  }
  if (!host) {
    memmove(out->h1_headers + 1, out->h1_headers, n1 * sizeof(struct cn_header));
    out->h1_headers[0] = (struct cn_header){"Host", NULL};
    n1++;
  }
  out->p.h1_headers = (struct cn_header_list){out->h1_headers, n1};
  out->p.h2_headers = (struct cn_header_list){out->h2_headers, n2};
  out->num_headers = num;
  return 0;
}

static void first_groups(struct cn_custom_profile *out,
                         const struct cn_tls_profile *t, size_t limit) {
  size_t n = 0;
  for (size_t i = 0; i < t->groups.num && n < limit && n < CN_NUM(out->key_shares);
       i++)
    out->key_shares[n++] = t->groups.v[i];
  out->p.tls.key_shares = (struct cn_u16_list){out->key_shares, n};
  out->p.tls.key_shares_limit = (uint8_t)limit;
}

int cn_custom_profile_build(struct cn_custom_profile *out,
                            const struct cn_browser_profile *base,
                            const struct cn_fingerprint *fp,
                            const char *const *base_headers,
                            size_t num_base_headers, char *err,
                            size_t err_len) {
  static const struct cn_fingerprint none;
  memset(out, 0, sizeof(*out));
  if (!base)
    base = &libcurl_profile;
  if (!fp)
    fp = &none;
  out->p = *base;
  struct cn_tls_profile *t = &out->p.tls;
  struct cn_h2_profile *h2 = &out->p.h2;
  uint32_t s = fp->set;

  struct cn_buf name;
  cn_buf_init(&name, 0);
  int rv = describe(&name, base, fp, base_headers, num_base_headers);
  if (rv != CN_OK) {
    cn_buf_cleanup(&name);
    return -2;
  }
  out->name = cn_buf_detach(&name);
  if (!out->name)
    return -2;
  out->p.name = out->name;

  if (s & CN_FP_SIGALGS) {
    memcpy(out->sigalgs, fp->sigalgs, fp->num_sigalgs * sizeof(uint16_t));
    t->sigalgs = (struct cn_u16_list){out->sigalgs, fp->num_sigalgs};
    t->grease_sigalg = fp->grease_sigalg;
  }
  if (s & CN_FP_DELEGATED_CREDENTIALS) {
    memcpy(out->delegated_credentials, fp->delegated_credentials,
           fp->num_delegated_credentials * sizeof(uint16_t));
    t->delegated_credentials = (struct cn_u16_list){
        out->delegated_credentials, fp->num_delegated_credentials};
  }
  if (s & CN_FP_CERT_COMPRESSION) {
    memcpy(out->cert_compression, fp->cert_compression,
           fp->num_cert_compression * sizeof(uint16_t));
    t->cert_compression = (struct cn_u16_list){out->cert_compression,
                                               fp->num_cert_compression};
  }
  if (s & CN_FP_ALPS) {
    if (!fp->alps) {
      t->alps.num = 0;
    } else if (!t->alps.num) {
      /* libcurl-impersonate offers ALPS for h2 only. */
      out->alps[0] = "h2";
      t->alps = (struct cn_str_list){out->alps, 1};
    }
  }
  if (s & CN_FP_NEW_ALPS_CODEPOINT)
    t->alps_codepoint = fp->new_alps_codepoint ? CN_ALPS_CODEPOINT_NEW
                                               : CN_ALPS_CODEPOINT_OLD;
  if (s & CN_FP_SESSION_TICKET)
    t->session_ticket = fp->session_ticket;
  if (s & CN_FP_GREASE)
    t->grease = fp->grease;
  if (s & CN_FP_ECH_GREASE)
    t->ech_grease = fp->ech_grease;
  if (s & CN_FP_SCT)
    t->sct = fp->sct;
  if (s & CN_FP_STATUS_REQUEST)
    t->status_request = fp->status_request;
  if (s & CN_FP_RECORD_SIZE_LIMIT)
    t->record_size_limit = fp->record_size_limit;
  if (s & CN_FP_KEY_SHARES_LIMIT)
    first_groups(out, t, fp->key_shares_limit);
  /* Permutation and a fixed order: the explicit order wins (BoringSSL's
   * order patch overrides permutation). */
  if (s & CN_FP_PERMUTE) {
    if (fp->permute)
      t->ext_order = CN_EXT_ORDER_PERMUTE;
    else if (t->ext_order == CN_EXT_ORDER_PERMUTE)
      t->ext_order = CN_EXT_ORDER_LIBRARY;
  }
  if (s & CN_FP_EXTENSION_ORDER) {
    memcpy(out->extensions, fp->extension_order,
           fp->num_extension_order * sizeof(uint16_t));
    t->extensions =
        (struct cn_u16_list){out->extensions, fp->num_extension_order};
    t->ext_order = CN_EXT_ORDER_FIXED;
    if (filter_by_order(t, out->extensions, fp->num_extension_order, err,
                        err_len) != 0)
      return -1;
  }

  if (s & CN_FP_H2_SETTINGS) {
    memcpy(out->settings, fp->h2_settings,
           fp->num_h2_settings * sizeof(fp->h2_settings[0]));
    h2->settings = out->settings;
    h2->num_settings = fp->num_h2_settings;
  }
  if (s & CN_FP_WINDOW_UPDATE)
    h2->window_update = fp->window_update;
  if (s & CN_FP_H2_STREAMS) {
    memcpy(out->priority_frames, fp->priority_frames,
           fp->num_priority_frames * sizeof(fp->priority_frames[0]));
    h2->priority_frames = out->priority_frames;
    h2->num_priority_frames = fp->num_priority_frames;
  }
  if (s & CN_FP_PSEUDO_ORDER) {
    memcpy(out->pseudo_order, fp->pseudo_order, sizeof(out->pseudo_order));
    h2->pseudo_order = out->pseudo_order;
  }
  if (s & CN_FP_STREAM_EXCLUSIVE) {
    if (!h2->headers_priority) {
      h2->headers_priority = true;
      h2->headers_priority_value = (struct cn_h2_priority){0, 0, 16, false};
    }
    h2->headers_priority_value.exclusive = fp->stream_exclusive;
  }
  /* No priority wins over exclusiveness: the HEADERS frame then carries no
   * priority block at all. */
  if ((s & CN_FP_H2_NO_PRIORITY) && fp->h2_no_priority)
    h2->headers_priority = false;
  if (s & CN_FP_SPLIT_COOKIES)
    out->p.h2_split_cookies = fp->split_cookies;
  if (s & CN_FP_FORM_BOUNDARY)
    out->p.form_boundary = fp->form_boundary;

  if (base_headers && build_headers(out, base_headers, num_base_headers) != 0)
    return -2;
  return 0;
}

void cn_custom_profile_cleanup(struct cn_custom_profile *out) {
  if (!out)
    return;
  cn_free(out->name);
  cn_free(out->h1_headers);
  cn_free(out->h2_headers);
  cn_free(out->header_text);
  memset(out, 0, sizeof(*out));
}
