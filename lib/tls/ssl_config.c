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
static int append_str(struct cn_buf *out, const char *name, const char *s) {
  if (!s)
    return cn_buf_printf(out, "%s=-;", name);
  return cn_buf_printf(out, "%s=%zu:%s;", name, strlen(s), s);
}

/* Blobs and secrets enter the key as a digest: the key is printed in
 * traces and must not carry a password or a whole CA bundle. */
static int append_digest(struct cn_buf *out, const char *name, const void *data,
                         size_t len) {
  if (!data)
    return cn_buf_printf(out, "%s=-;", name);
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(data, len, md);
  int rv = cn_buf_printf(out, "%s=", name);
  for (size_t i = 0; rv == CN_OK && i < 16; i++)
    rv = cn_buf_printf(out, "%02x", md[i]);
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, ';');
  return rv;
}

int cn_ssl_config_key(const struct cn_ssl_config *cfg, struct cn_buf *out) {
  size_t start = out->len;
  /* ALPN is left out on purpose: it is chosen per connection attempt and
   * a pooled socket reports what it negotiated. */
  int rv =
      cn_buf_printf(out, "vp=%d;vh=%d;vs=%d;v=%x-%x;sc=%d;nr=%d;npc=%d;",
                    cfg->verify_peer, cfg->verify_host, cfg->verify_status,
                    (unsigned)cfg->version_min, (unsigned)cfg->version_max,
                    cfg->session_cache, cfg->no_revoke, cfg->no_partial_chain);
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
    rv = append_str(out, "cert", cfg->client_cert);
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
  /* Profiles are static table entries with unique names. */
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
