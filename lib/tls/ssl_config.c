/* ssl_config.c: libcurl's TLS defaults and the canonical key of a config. */
#include "tls/ssl_config.h"

#include <string.h>

#include <openssl/sha.h>

#include "impersonate/browser_profile.h"
#include "util/buf.h"
#include "util/net_error.h"

void cn_ssl_config_init(struct cn_ssl_config *cfg) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->verify_peer = true;
  cfg->verify_host = true;
  cfg->session_cache = true;
}

/* Strings are length-prefixed so that no value can forge a separator and
 * make two different configs produce one key. */
/* The key is built for every pooled request, so it avoids printf: each
 * string is written as name=length:bytes; (length-prefixed, so no value
 * can forge a separator). */
static int append_str(struct cn_buf *out, const char *name, const char *s) {
  char num[24];
  int rv = cn_buf_append_str(out, name);
  if (rv != CN_OK)
    return rv;
  if (!s)
    return cn_buf_append(out, "=-;", 3);
  size_t len = strlen(s);
  size_t i = sizeof(num);
  do {
    num[--i] = (char)('0' + len % 10);
    len /= 10;
  } while (len);
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, '=');
  if (rv == CN_OK)
    rv = cn_buf_append(out, num + i, sizeof(num) - i);
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, ':');
  if (rv == CN_OK)
    rv = cn_buf_append_str(out, s);
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, ';');
  return rv;
}

static int append_digest(struct cn_buf *out, const char *name, const void *data,
                         size_t len) {
  static const char hex[] = "0123456789abcdef";
  int rv = cn_buf_append_str(out, name);
  if (rv != CN_OK)
    return rv;
  if (!data)
    return cn_buf_append(out, "=-;", 3);
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(data, len, md);
  char text[1 + 32 + 1];
  text[0] = '=';
  for (size_t i = 0; i < 16; i++) {
    text[1 + 2 * i] = hex[md[i] >> 4];
    text[2 + 2 * i] = hex[md[i] & 15];
  }
  text[33] = ';';
  return cn_buf_append(out, text, sizeof(text));
}

int cn_ssl_config_key(const struct cn_ssl_config *cfg, struct cn_buf *out) {
  if (cfg->key)
    return cn_buf_append_str(out, cfg->key);
  size_t start = out->len;
  /* ALPN is left out on purpose: it is chosen per connection attempt and
   * a pooled socket reports what it negotiated. */
  /* Flags and versions as fixed-width text, written by hand (hot path). */
  static const char hex[] = "0123456789abcdef";
  char flags[] = "vp=0;vh=0;vs=0;v=0000-0000;sc=0;nr=0;npc=0;nku=0;";
  flags[3] = (char)('0' + cfg->verify_peer);
  flags[8] = (char)('0' + cfg->verify_host);
  flags[13] = (char)('0' + cfg->verify_status);
  for (int i = 0; i < 4; i++) {
    flags[17 + i] = hex[((unsigned)cfg->version_min >> (12 - 4 * i)) & 15];
    flags[22 + i] = hex[((unsigned)cfg->version_max >> (12 - 4 * i)) & 15];
  }
  flags[30] = (char)('0' + cfg->session_cache);
  flags[35] = (char)('0' + cfg->no_revoke);
  flags[41] = (char)('0' + cfg->no_partial_chain);
  flags[47] = (char)('0' + cfg->no_key_usage_check);
  int rv = cn_buf_append(out, flags, sizeof(flags) - 1);
  if (rv == CN_OK)
    rv = append_str(out, "cafile", cfg->ca_file);
  if (rv == CN_OK)
    rv = append_str(out, "capath", cfg->ca_path);
  if (rv == CN_OK)
    rv = append_digest(out, "cablob", cfg->ca_blob, cfg->ca_blob_len);
  if (rv == CN_OK)
    rv = append_str(out, "crl", cfg->crl_file);
  if (rv == CN_OK)
    rv = append_str(out, "pin", cfg->pinned_pubkey);
  if (rv == CN_OK)
    rv = append_str(out, "issuer", cfg->issuer_cert);
  if (rv == CN_OK)
    rv = append_digest(out, "issuerblob", cfg->issuer_blob,
                       cfg->issuer_blob_len);
  if (rv == CN_OK)
    rv = append_str(out, "cert", cfg->client_cert);
  if (rv == CN_OK)
    rv = append_digest(out, "certblob", cfg->client_cert_blob,
                       cfg->client_cert_blob_len);
  if (rv == CN_OK)
    rv = append_digest(out, "keyblob", cfg->client_key_blob,
                       cfg->client_key_blob_len);
  if (rv == CN_OK)
    rv = append_str(out, "certtype", cfg->client_cert_type);
  if (rv == CN_OK)
    rv = append_str(out, "key", cfg->client_key);
  if (rv == CN_OK)
    rv = append_str(out, "keytype", cfg->client_key_type);
  if (rv == CN_OK)
    rv = append_digest(out, "pass", cfg->key_password,
                       cfg->key_password ? strlen(cfg->key_password) : 0);
  if (rv == CN_OK)
    rv = append_str(out, "ciphers", cfg->cipher_list);
  if (rv == CN_OK)
    rv = append_str(out, "tls13", cfg->tls13_ciphers);
  if (rv == CN_OK)
    rv = append_str(out, "curves", cfg->curves);
  /* Profiles have unique names: the static table entries by target, the
   * custom ones (fingerprint options) by every override they make. */
  if (rv == CN_OK)
    rv = append_str(out, "profile", cfg->profile ? cfg->profile->name : NULL);
  if (rv != CN_OK) {
    /* Leave |out| as it was: a half key must never be compared. */
    out->len = start;
    if (out->data)
      out->data[start] = '\0';
  }
  return rv;
}
