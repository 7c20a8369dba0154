/* ssl_config.h: the TLS settings of one connection (Chromium's SSLConfig),
 * filled by the api layer from CURLOPT_SSL* / CURLOPT_CA* / CURLOPT_PROXY_*
 * and later from the impersonation profile.
 *
 * Ownership: a cn_ssl_config is part of a transfer's immutable option
 * snapshot; strings and blobs point into that snapshot and must outlive
 * every use of the config (connect jobs copy what they keep). */
#ifndef CN_TLS_SSL_CONFIG_H
#define CN_TLS_SSL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CN_SSL_MAX_ALPN 4

struct cn_browser_profile;

struct cn_ssl_config {
  bool verify_peer; /* CURLOPT_SSL_VERIFYPEER, default true */
  bool verify_host; /* CURLOPT_SSL_VERIFYHOST != 0, default true */
  bool verify_status;   /* OCSP stapling required (not built: rejected) */
  const char *ca_file;  /* CURLOPT_CAINFO; NULL: default bundle */
  const char *ca_path;  /* CURLOPT_CAPATH; NULL: default dir */
  const void *ca_blob;  /* CURLOPT_CAINFO_BLOB (PEM) */
  size_t ca_blob_len;
  const char *crl_file;      /* CURLOPT_CRLFILE */
  const char *pinned_pubkey; /* CURLOPT_PINNEDPUBLICKEY */
  /* CURLOPT_ISSUERCERT(_BLOB): PEM certificate that must have issued the
   * peer's certificate; the blob wins over the file. */
  const char *issuer_cert;
  const void *issuer_blob;
  size_t issuer_blob_len;
  const char *client_cert;   /* CURLOPT_SSLCERT */
  const void *client_cert_blob; /* CURLOPT_SSLCERT_BLOB, wins over the file */
  size_t client_cert_blob_len;
  const char *client_cert_type; /* "PEM" (default), "DER" or "P12" */
  const char *client_key;       /* CURLOPT_SSLKEY */
  const void *client_key_blob;  /* CURLOPT_SSLKEY_BLOB, wins over the file */
  size_t client_key_blob_len;
  const char *client_key_type;
  const char *key_password; /* CURLOPT_KEYPASSWD */
  /* TLS1_VERSION ... TLS1_3_VERSION; 0 means the library default (min
   * TLS 1.2 like libcurl 8.x, max TLS 1.3). */
  int version_min;
  int version_max;
  const char *cipher_list;   /* CURLOPT_SSL_CIPHER_LIST (TLS <= 1.2) */
  const char *tls13_ciphers; /* CURLOPT_TLS13_CIPHERS */
  const char *curves;        /* CURLOPT_SSL_EC_CURVES, "X25519:P-256" */
  const char *alpn[CN_SSL_MAX_ALPN]; /* wire order; e.g. "h2", "http/1.1" */
  size_t num_alpn;
  bool session_cache; /* CURLOPT_SSL_SESSIONID_CACHE, default true */
  bool no_revoke;     /* CURLSSLOPT_NO_REVOKE (no effect without CRL) */
  bool no_partial_chain;
  /* CURLOPT_TLS_KEY_USAGE_NO_CHECK: accept an RSA server certificate whose
   * keyUsage does not allow its use in TLS <= 1.2. */
  bool no_key_usage_check;
  /* Impersonation profile (lib/impersonate, static data); NULL:
   * BoringSSL's defaults tuned like libcurl's. Applied by ssl_profile.c;
   * part of the pool's group key and of the session-cache key. */
  const struct cn_browser_profile *profile;
  /* What cn_ssl_config_key() produces for this config, when the owner has
   * it already (borrowed, NUL-terminated); NULL: computed on each call.
   * The key hashes CA blobs, so a transfer computes it once and requests
   * reuse it. */
  const char *key;
};

/* cn_ssl_config_init sets libcurl's defaults (verify on, cache on). */
void cn_ssl_config_init(struct cn_ssl_config *cfg);
/* cn_ssl_config_key appends a canonical text form of everything that makes
 * two connections' TLS differ (for the socket pool's group key) into |out|
 * (a cn_buf), or |cfg->key| when set. CN_OK or OOM. */
struct cn_buf;
int cn_ssl_config_key(const struct cn_ssl_config *cfg, struct cn_buf *out);

#endif
