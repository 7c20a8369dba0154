/* ssl_profile.c: a browser's ClientHello from profile data. Which switch
 * makes which field is said where it is set; facts about the browsers are
 * in lib/impersonate/browser_profiles.c. */
#include "tls/ssl_profile.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <brotli/decode.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <zlib.h>
#include <zstd.h>

#include "impersonate/browser_profile.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/net_log.h"

/* --- certificate decompression (RFC 8879) --------------------------------- */

/* Each decompressor must produce exactly |uncompressed_len| bytes; anything
 * else is a bad_certificate from BoringSSL's point of view. */
static int decompress_zlib(SSL *ssl, CRYPTO_BUFFER **out,
                           size_t uncompressed_len, const uint8_t *in,
                           size_t in_len) {
  uint8_t *data;
  CRYPTO_BUFFER *buf = CRYPTO_BUFFER_alloc(&data, uncompressed_len);
  if (!buf)
    return 0;
  uLongf out_len = (uLongf)uncompressed_len;
  if (uncompress(data, &out_len, in, (uLong)in_len) != Z_OK ||
      out_len != uncompressed_len) {
    CRYPTO_BUFFER_free(buf);
    return 0;
  }
  *out = buf;
  return 1;
}

static int decompress_brotli(SSL *ssl, CRYPTO_BUFFER **out,
                             size_t uncompressed_len, const uint8_t *in,
                             size_t in_len) {
  uint8_t *data;
  CRYPTO_BUFFER *buf = CRYPTO_BUFFER_alloc(&data, uncompressed_len);
  if (!buf)
    return 0;
  size_t out_len = uncompressed_len;
  if (BrotliDecoderDecompress(in_len, in, &out_len, data) !=
          BROTLI_DECODER_RESULT_SUCCESS ||
      out_len != uncompressed_len) {
    CRYPTO_BUFFER_free(buf);
    return 0;
  }
  *out = buf;
  return 1;
}

static int decompress_zstd(SSL *ssl, CRYPTO_BUFFER **out,
                           size_t uncompressed_len, const uint8_t *in,
                           size_t in_len) {
  uint8_t *data;
  CRYPTO_BUFFER *buf = CRYPTO_BUFFER_alloc(&data, uncompressed_len);
  if (!buf)
    return 0;
  size_t n = ZSTD_decompress(data, uncompressed_len, in, in_len);
  if (ZSTD_isError(n) || n != uncompressed_len) {
    CRYPTO_BUFFER_free(buf);
    return 0;
  }
  *out = buf;
  return 1;
}

static ssl_cert_decompression_func_t decompressor(uint16_t alg) {
  switch (alg) {
  case CN_CERT_COMPRESSION_ZLIB:
    return decompress_zlib;
  case CN_CERT_COMPRESSION_BROTLI:
    return decompress_brotli;
  case CN_CERT_COMPRESSION_ZSTD:
    return decompress_zstd;
  default:
    return NULL;
  }
}

/* --- SSL_CTX part --------------------------------------------------------- */

/* cipher_string turns the wire ids BoringSSL implements into its
 * "NAME:NAME" form, in order, for SSL_CTX_set_strict_cipher_list. The ids
 * it does not implement (Safari's 3DES and CBC-SHA384 suites) are only
 * advertised, through SSL_set1_client_cipher_wire_list; *out_num_unknown
 * counts them. */
static int cipher_string(const struct cn_u16_list *ids, struct cn_buf *out,
                         size_t *out_num_unknown) {
  size_t known = 0;
  *out_num_unknown = 0;
  for (size_t i = 0; i < ids->num; i++) {
    const SSL_CIPHER *c = SSL_get_cipher_by_value(ids->v[i]);
    if (!c) {
      (*out_num_unknown)++;
      continue;
    }
    int rv = cn_buf_printf(out, "%s%s", known++ ? ":" : "",
                           SSL_CIPHER_get_name(c));
    if (rv != CN_OK)
      return rv;
  }
  return known ? CN_OK : CN_ERR_SSL_CIPHER_BAD;
}

#define MAX_SIGALGS 32

/* unique_sigalgs copies |in| without repeated values (Safari lists one
 * twice; BoringSSL's verify preferences refuse that) and without the ones
 * BoringSSL cannot verify (a CURLOPT_SSL_SIG_HASH_ALGS list may name DSA or
 * Ed448), and says whether anything was dropped: then only the wire list
 * (SSL_set1_sigalgs_wire_list) can send |in| as it is. */
static size_t unique_sigalgs(const struct cn_u16_list *in, uint16_t *out,
                             bool *out_dropped) {
  size_t n = 0;
  *out_dropped = false;
  for (size_t i = 0; i < in->num && n < MAX_SIGALGS; i++) {
    bool seen = !SSL_get_signature_algorithm_name(in->v[i], 0);
    for (size_t j = 0; j < n && !seen; j++)
      seen = out[j] == in->v[i];
    if (seen)
      *out_dropped = true;
    else
      out[n++] = in->v[i];
  }
  return n;
}

static bool has_duplicates(const struct cn_u16_list *l) {
  uint16_t tmp[MAX_SIGALGS];
  bool dropped;
  unique_sigalgs(l, tmp, &dropped);
  return dropped;
}

static bool has_unknown_cipher(const struct cn_u16_list *l) {
  for (size_t i = 0; i < l->num; i++)
    if (!SSL_get_cipher_by_value(l->v[i]))
      return true;
  return false;
}

int cn_ssl_profile_apply_ctx(SSL_CTX *ctx, const struct cn_ssl_config *cfg,
                             const struct cn_net_log *log) {
  if (!cfg->profile)
    return CN_OK;
  const struct cn_tls_profile *p = &cfg->profile->tls;
  int rv = CN_OK;
  struct cn_buf ciphers;
  cn_buf_init(&ciphers, 0);

  if (!cfg->version_min && p->version_min &&
      !SSL_CTX_set_min_proto_version(ctx, p->version_min))
    goto bad;
  if (!cfg->version_max && p->version_max &&
      !SSL_CTX_set_max_proto_version(ctx, p->version_max))
    goto bad;

  if (!cfg->cipher_list && p->ciphers.num) {
    size_t num_unknown;
    rv = cipher_string(&p->ciphers, &ciphers, &num_unknown);
    if (rv == CN_ERR_SSL_CIPHER_BAD) {
      cn_net_log_fail(log, "impersonation profile %s: no cipher of it is "
                           "built into BoringSSL",
                      cfg->profile->name);
      goto out;
    }
    if (rv != CN_OK)
      goto out;
    if (!SSL_CTX_set_strict_cipher_list(ctx, (const char *)ciphers.data))
      goto bad;
  }

  /* signature_algorithms is the list of algorithms we accept from the
   * server, so it is BoringSSL's verify preference list (without the
   * repeats Safari sends, which go on the wire through
   * SSL_set1_sigalgs_wire_list). */
  if (p->sigalgs.num) {
    uint16_t prefs[MAX_SIGALGS];
    bool dup;
    size_t n = unique_sigalgs(&p->sigalgs, prefs, &dup);
    if (!SSL_CTX_set_verify_algorithm_prefs(ctx, prefs, n))
      goto bad;
  }

  SSL_CTX_set_grease_enabled(ctx, p->grease);

  for (size_t i = 0; i < p->cert_compression.num; i++) {
    uint16_t alg = p->cert_compression.v[i];
    ssl_cert_decompression_func_t fn = decompressor(alg);
    /* Only decompression: a client never compresses its own chain. */
    if (!fn || !SSL_CTX_add_cert_compression_alg(ctx, alg, NULL, fn))
      goto bad;
  }

  if (p->status_request)
    SSL_CTX_enable_ocsp_stapling(ctx);
  if (p->sct)
    SSL_CTX_enable_signed_cert_timestamps(ctx);
  /* libcurl's default (set by the caller) turns TLS 1.2 tickets off, which
   * removes the session_ticket extension browsers send. */
  if (p->session_ticket)
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
  else
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);

  if (p->trust_anchors &&
      !SSL_CTX_set1_requested_trust_anchors(ctx, p->trust_anchor_ids.v,
                                            p->trust_anchor_ids.num))
    goto bad;
  goto out;

bad:
  {
    char err[256];
    unsigned long e = ERR_get_error();
    ERR_error_string_n(e, err, sizeof(err));
    ERR_clear_error();
    cn_net_log_fail(log, "impersonation profile %s not accepted by "
                         "BoringSSL: %s",
                    cfg->profile->name, e ? err : "unknown error");
    rv = CN_ERR_SSL_CIPHER_BAD;
  }
out:
  cn_buf_cleanup(&ciphers);
  return rv;
}

/* --- SSL part ------------------------------------------------------------- */

#define MAX_GROUPS 16

/* curve_ids reads a CURLOPT_SSL_EC_CURVES list ("X25519:P-256") into
 * group ids, in order, skipping names BoringSSL does not know (it refused
 * those when the list was set). */
static size_t curve_ids(const char *list, uint16_t *out, size_t max) {
  static const uint16_t candidates[] = {0x001d, 0x0017, 0x0018, 0x0019,
                                        0x11ec, 0x6399, 0x0200, 0x0201,
                                        0x0202, 0x11eb, 0x11ed};
  static const struct {
    const char *alias;
    uint16_t id;
  } aliases[] = {{"prime256v1", 0x0017}, {"secp256r1", 0x0017},
                 {"secp384r1", 0x0018}, {"secp521r1", 0x0019}};
  size_t n = 0;
  while (list && *list && n < max) {
    size_t len = strcspn(list, ":");
    uint16_t id = 0;
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
      const char *name = SSL_get_group_name(candidates[i]);
      if (name && strlen(name) == len && strncasecmp(name, list, len) == 0)
        id = candidates[i];
    }
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
      if (strlen(aliases[i].alias) == len &&
          strncasecmp(aliases[i].alias, list, len) == 0)
        id = aliases[i].id;
    if (id)
      out[n++] = id;
    list += len;
    if (*list == ':')
      list++;
  }
  return n;
}

/* Groups BoringSSL implements go to SSL_set1_group_ids; the others
 * (Firefox's FFDHE) can only be advertised, with our patch. */
static void split_groups(const struct cn_u16_list *groups,
                         uint16_t *out_known, size_t *out_num_known,
                         uint16_t *out_extra, size_t *out_num_extra) {
  *out_num_known = *out_num_extra = 0;
  for (size_t i = 0; i < groups->num && i < MAX_GROUPS; i++) {
    uint16_t g = groups->v[i];
    if (SSL_get_group_name(g))
      out_known[(*out_num_known)++] = g;
    else
      out_extra[(*out_num_extra)++] = g;
  }
}

static bool alpn_offered(const struct cn_ssl_config *cfg, const char *proto) {
  for (size_t i = 0; i < cfg->num_alpn && i < CN_SSL_MAX_ALPN; i++)
    if (cfg->alpn[i] && strcmp(cfg->alpn[i], proto) == 0)
      return true;
  return false;
}

int cn_ssl_profile_apply_ssl(SSL *ssl, const struct cn_ssl_config *cfg,
                             const struct cn_net_log *log) {
  if (!cfg->profile)
    return CN_OK;
  const struct cn_tls_profile *p = &cfg->profile->tls;

  if (!cfg->curves && p->groups.num) {
    uint16_t known[MAX_GROUPS], extra[MAX_GROUPS];
    size_t num_known, num_extra;
    split_groups(&p->groups, known, &num_known, extra, &num_extra);
    if (!SSL_set1_group_ids(ssl, known, num_known))
      goto bad;
    /* The key-share list is a subsequence of the groups; its length is
     * the browser's key-share limit (only groups BoringSSL can share). */
    uint16_t shares[MAX_GROUPS];
    size_t num_shares = 0;
    for (size_t i = 0; i < p->key_shares.num && num_shares < MAX_GROUPS; i++)
      if (SSL_get_group_name(p->key_shares.v[i]))
        shares[num_shares++] = p->key_shares.v[i];
    if (num_shares && !SSL_set1_client_key_shares(ssl, shares, num_shares))
      goto bad;
#ifdef BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS
    if (num_extra && !SSL_set1_advertised_extra_groups(ssl, extra, num_extra))
      goto bad;
#endif
  }

  /* CURLOPT_TLS_KEY_SHARES_LIMIT over CURLOPT_SSL_EC_CURVES: the first
   * groups of the program's list get the shares. */
  if (cfg->curves && p->key_shares_limit) {
    uint16_t ids[MAX_GROUPS];
    size_t n = curve_ids(cfg->curves, ids, MAX_GROUPS);
    if (n > p->key_shares_limit)
      n = p->key_shares_limit;
    if (n && !SSL_set1_client_key_shares(ssl, ids, n))
      goto bad;
  }

  /* ALPS follows ALPN: only for protocols this connection offers, which is
   * what Chrome does (no ALPS when only http/1.1 is offered). */
  SSL_set_alps_use_new_codepoint(ssl,
                                 p->alps_codepoint == CN_ALPS_CODEPOINT_NEW);
  for (size_t i = 0; i < p->alps.num; i++) {
    const char *proto = p->alps.v[i];
    if (!alpn_offered(cfg, proto))
      continue;
    if (!SSL_add_application_settings(ssl, (const uint8_t *)proto,
                                      strlen(proto), p->alps_settings.v,
                                      p->alps_settings.num))
      goto bad;
  }

  SSL_set_enable_ech_grease(ssl, p->ech_grease);
#ifdef BORINGSSL_CURLIUM_ECH_GREASE_SHAPE
  if (p->ech_grease) {
    uint16_t aead = p->ech_grease_aead;
    if (aead == CN_ECH_GREASE_AEAD_AES128_OR_CHACHA) {
      uint8_t bit;
      if (RAND_bytes(&bit, 1) != 1)
        goto bad;
      aead = (bit & 1) ? CN_ECH_AEAD_AES128_GCM : CN_ECH_AEAD_CHACHA20_POLY1305;
    }
    if (!SSL_set_ech_grease_shape(ssl, aead, p->ech_grease_payload_len))
      goto bad;
  }
#endif

  if (p->ext_order == CN_EXT_ORDER_PERMUTE)
    SSL_set_permute_extensions(ssl, 1);
#ifdef BORINGSSL_CURLIUM_EXTENSION_ORDER
  else if (p->ext_order == CN_EXT_ORDER_FIXED &&
           !SSL_set1_extension_order(ssl, p->extensions.v, p->extensions.num))
    goto bad;
#endif

#ifdef BORINGSSL_CURLIUM_GREASE_SIGALG
  SSL_set_grease_signature_algorithm(ssl, p->grease_sigalg);
#endif
#ifdef BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER
  if (p->tls13_ciphers.num &&
      !SSL_set1_tls13_cipher_order(ssl, p->tls13_ciphers.v,
                                   p->tls13_ciphers.num))
    goto bad;
#endif
#ifdef BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT
  if (!SSL_set_record_size_limit(ssl, p->record_size_limit))
    goto bad;
#endif
#ifdef BORINGSSL_CURLIUM_CIPHER_WIRE_LIST
  if (!cfg->cipher_list && has_unknown_cipher(&p->ciphers) &&
      !SSL_set1_client_cipher_wire_list(ssl, p->ciphers.v, p->ciphers.num))
    goto bad;
#endif
#ifdef BORINGSSL_CURLIUM_SIGALGS_WIRE_LIST
  if (has_duplicates(&p->sigalgs) &&
      !SSL_set1_sigalgs_wire_list(ssl, p->sigalgs.v, p->sigalgs.num))
    goto bad;
#endif
#ifdef BORINGSSL_CURLIUM_PSK_MODES_SWITCH
  SSL_set_psk_key_exchange_modes_enabled(ssl, p->psk_modes.num != 0);
#endif
#ifdef BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS
  if (p->delegated_credentials.num &&
      !SSL_set1_delegated_credential_sigalgs(ssl, p->delegated_credentials.v,
                                             p->delegated_credentials.num))
    goto bad;
#endif
  return CN_OK;

bad:;
  char err[256];
  unsigned long e = ERR_get_error();
  ERR_error_string_n(e, err, sizeof(err));
  ERR_clear_error();
  if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
    return CN_ERR_OUT_OF_MEMORY;
  cn_net_log_fail(log, "impersonation profile %s not accepted by BoringSSL: %s",
                  cfg->profile->name, e ? err : "unknown error");
  return CN_ERR_SSL_CIPHER_BAD;
}

/* --- capability report ---------------------------------------------------- */

static inline void add_missing(char *out, size_t len, size_t *num, const char *what) {
  size_t used = strlen(out);
  if (used < len)
    snprintf(out + used, len - used, "%s%s", *num ? "," : "", what);
  (*num)++;
}

size_t cn_ssl_profile_missing(const struct cn_tls_profile *tls, char *out,
                              size_t len) {
  size_t num = 0;
  if (len)
    out[0] = '\0';
  (void)tls;
#ifndef BORINGSSL_CURLIUM_GREASE_SIGALG
  if (tls->grease_sigalg)
    add_missing(out, len, &num, "grease_sigalg");
#endif
#ifndef BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER
  static const uint16_t dflt[] = {0x1301, 0x1302, 0x1303};
  if (tls->tls13_ciphers.num &&
      (tls->tls13_ciphers.num != 3 ||
       memcmp(tls->tls13_ciphers.v, dflt, sizeof(dflt)) != 0))
    add_missing(out, len, &num, "tls13_cipher_order");
#endif
#ifndef BORINGSSL_CURLIUM_EXTENSION_ORDER
  if (tls->ext_order == CN_EXT_ORDER_FIXED)
    add_missing(out, len, &num, "extension_order");
#endif
#ifndef BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT
  if (tls->record_size_limit)
    add_missing(out, len, &num, "record_size_limit");
#endif
#ifndef BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS
  if (tls->delegated_credentials.num)
    add_missing(out, len, &num, "delegated_credentials");
#endif
#ifndef BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS
  for (size_t i = 0; i < tls->groups.num; i++)
    if (!SSL_get_group_name(tls->groups.v[i])) {
      add_missing(out, len, &num, "extra_groups");
      break;
    }
#endif
#ifndef BORINGSSL_CURLIUM_CIPHER_WIRE_LIST
  if (has_unknown_cipher(&tls->ciphers))
    add_missing(out, len, &num, "extra_ciphers");
#endif
#ifndef BORINGSSL_CURLIUM_SIGALGS_WIRE_LIST
  if (has_duplicates(&tls->sigalgs))
    add_missing(out, len, &num, "sigalgs_wire_list");
#endif
#ifndef BORINGSSL_CURLIUM_PSK_MODES_SWITCH
  if (!tls->psk_modes.num)
    add_missing(out, len, &num, "psk_modes_switch");
#endif
#ifndef BORINGSSL_CURLIUM_ECH_GREASE_SHAPE
  if (tls->ech_grease && (tls->ech_grease_aead || tls->ech_grease_payload_len))
    add_missing(out, len, &num, "ech_grease_shape");
#endif
  return num;
}
