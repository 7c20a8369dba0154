/* ssl_client_context.c: SSL_CTX construction from a cn_ssl_config (trust
 * store, client certificate, versions, ciphers) with libcurl's messages,
 * the per-config SSL_CTX cache and the client session cache. */
#include "tls/ssl_client_context.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs8.h>
#include <openssl/x509.h>

#include "tls/keylog.h"
#include "tls/ssl_client_socket.h"
#include "tls/ssl_profile.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/net_log.h"

/* Debian's libcurl is built with these; CURLOPT_CAINFO/CAPATH override. */
#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define DEFAULT_CA_PATH "/etc/ssl/certs"

/* Bounds keep a long-running multi from growing without limit; both are
 * far above what one program's distinct configs and hosts need at once. */
#define MAX_SSL_CTXS 16
#define MAX_SESSIONS 64

struct ctx_entry {
  struct ctx_entry *next;
  char *key;
  SSL_CTX *ssl_ctx;
  uint64_t last_use;
};

struct session_entry {
  struct session_entry *next;
  char *key;
  SSL_SESSION *session;
  uint64_t last_use;
};

struct cn_ssl_client_context {
  atomic_long refs;
  struct ctx_entry *ctxs;
  size_t num_ctxs;
  struct session_entry *sessions;
  size_t num_sessions;
  uint64_t tick;
  cn_ssl_client_context_lock_fn lock_fn;
  void *lock_arg;
};

static void lock(struct cn_ssl_client_context *ctx) {
  if (ctx->lock_fn)
    ctx->lock_fn(ctx->lock_arg, true);
}

static void unlock(struct cn_ssl_client_context *ctx) {
  if (ctx->lock_fn)
    ctx->lock_fn(ctx->lock_arg, false);
}

void cn_ssl_client_context_set_lock(struct cn_ssl_client_context *ctx,
                                    cn_ssl_client_context_lock_fn fn,
                                    void *arg) {
  ctx->lock_fn = fn;
  ctx->lock_arg = arg;
}

/* --- lifetime ------------------------------------------------------------- */

struct cn_ssl_client_context *cn_ssl_client_context_new(void) {
  struct cn_ssl_client_context *ctx = cn_calloc(1, sizeof(*ctx));
  if (ctx)
    atomic_init(&ctx->refs, 1);
  return ctx;
}

void cn_ssl_client_context_ref(struct cn_ssl_client_context *ctx) {
  atomic_fetch_add(&ctx->refs, 1);
}

static void free_session_entry(struct session_entry *e) {
  SSL_SESSION_free(e->session);
  cn_free(e->key);
  cn_free(e);
}

void cn_ssl_client_context_unref(struct cn_ssl_client_context *ctx) {
  if (!ctx || atomic_fetch_sub(&ctx->refs, 1) != 1)
    return;
  while (ctx->ctxs) {
    struct ctx_entry *e = ctx->ctxs;
    ctx->ctxs = e->next;
    SSL_CTX_free(e->ssl_ctx);
    cn_free(e->key);
    cn_free(e);
  }
  while (ctx->sessions) {
    struct session_entry *e = ctx->sessions;
    ctx->sessions = e->next;
    free_session_entry(e);
  }
  cn_free(ctx);
}

void cn_ssl_client_context_free(struct cn_ssl_client_context *ctx) {
  cn_ssl_client_context_unref(ctx);
}

/* --- sessions ------------------------------------------------------------- */

static struct session_entry **find_session(struct cn_ssl_client_context *ctx,
                                           const char *key) {
  struct session_entry **pp = &ctx->sessions;
  while (*pp && strcmp((*pp)->key, key) != 0)
    pp = &(*pp)->next;
  return pp;
}

static void insert_session(struct cn_ssl_client_context *ctx, const char *key,
                           SSL_SESSION *session) {
  struct session_entry **pp = find_session(ctx, key);
  if (*pp) {
    /* A newer ticket replaces the older one: servers rotate keys. */
    SSL_SESSION_up_ref(session);
    SSL_SESSION_free((*pp)->session);
    (*pp)->session = session;
    (*pp)->last_use = ++ctx->tick;
    return;
  }
  struct session_entry *e = cn_calloc(1, sizeof(*e));
  char *key_copy = cn_strdup(key);
  if (!e || !key_copy) {
    /* Caching is an optimization: losing a session is not an error. */
    cn_free(e);
    cn_free(key_copy);
    return;
  }
  if (ctx->num_sessions >= MAX_SESSIONS) {
    struct session_entry **oldest = &ctx->sessions;
    for (struct session_entry **it = &ctx->sessions; *it; it = &(*it)->next)
      if ((*it)->last_use < (*oldest)->last_use)
        oldest = it;
    struct session_entry *victim = *oldest;
    *oldest = victim->next;
    free_session_entry(victim);
    ctx->num_sessions--;
  }
  SSL_SESSION_up_ref(session);
  e->key = key_copy;
  e->session = session;
  e->last_use = ++ctx->tick;
  e->next = ctx->sessions;
  ctx->sessions = e;
  ctx->num_sessions++;
}

static SSL_SESSION *lookup_session(struct cn_ssl_client_context *ctx,
                                   const char *key) {
  struct session_entry **pp = find_session(ctx, key);
  struct session_entry *e = *pp;
  if (!e)
    return NULL;
  SSL_SESSION *session = e->session;
  if (SSL_SESSION_should_be_single_use(session)) {
    /* TLS 1.3 tickets are single-use (RFC 8446, C.4): hand this one over
     * and let the new connection's tickets take its place. */
    *pp = e->next;
    e->session = NULL;
    free_session_entry(e);
    ctx->num_sessions--;
    return session;
  }
  e->last_use = ++ctx->tick;
  SSL_SESSION_up_ref(session);
  return session;
}

SSL_SESSION *
cn_ssl_client_context_lookup_session(struct cn_ssl_client_context *ctx,
                                     const char *key) {
  lock(ctx);
  SSL_SESSION *session = lookup_session(ctx, key);
  unlock(ctx);
  return session;
}

void cn_ssl_client_context_remove_session(struct cn_ssl_client_context *ctx,
                                          const char *key) {
  lock(ctx);
  struct session_entry **pp = find_session(ctx, key);
  struct session_entry *e = *pp;
  if (e) {
    *pp = e->next;
    free_session_entry(e);
    ctx->num_sessions--;
  }
  unlock(ctx);
}

static int on_new_session(SSL *ssl, SSL_SESSION *session) {
  const struct cn_ssl_session_sink *sink = SSL_get_app_data(ssl);
  if (sink && sink->ctx && sink->key && SSL_SESSION_is_resumable(session)) {
    lock(sink->ctx);
    insert_session(sink->ctx, sink->key, session);
    unlock(sink->ctx);
  }
  return 0; /* BoringSSL keeps its reference; the cache took its own */
}

/* --- SSL_CTX construction ------------------------------------------------- */

static const char *ssl_error_text(char *buf, size_t len) {
  unsigned long e = ERR_get_error();
  if (!e) {
    snprintf(buf, len, "%s", "unknown error");
    return buf;
  }
  ERR_error_string_n(e, buf, len);
  return buf;
}

static int load_ca_blob(X509_STORE *store, const void *blob, size_t len) {
  BIO *bio = BIO_new_mem_buf(blob, len);
  if (!bio)
    return CN_ERR_OUT_OF_MEMORY;
  int num = 0, rv = CN_OK;
  for (;;) {
    X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (!x)
      break;
    /* A duplicate of a certificate already present is not an error. */
    if (X509_STORE_add_cert(store, x))
      num++;
    X509_free(x);
  }
  ERR_clear_error(); /* the loop always ends on "no start line" */
  if (num == 0)
    rv = CN_ERR_SSL_CACERT_BADFILE;
  BIO_free(bio);
  return rv;
}

static int setup_trust(SSL_CTX *c, const struct cn_ssl_config *cfg,
                       const struct cn_net_log *log) {
  X509_STORE *store = SSL_CTX_get_cert_store(c);
  bool blob_loaded = false;
  if (cfg->ca_blob) {
    int rv = load_ca_blob(store, cfg->ca_blob, cfg->ca_blob_len);
    if (rv == CN_ERR_OUT_OF_MEMORY)
      return rv;
    if (rv != CN_OK) {
      cn_net_log_fail(log, "error importing CA certificate blob");
      return rv;
    }
    blob_loaded = true;
  }
  /* CURLOPT_CAINFO_BLOB replaces the CA file; the CA path still adds. */
  const char *ca_file =
      cfg->ca_blob ? NULL : (cfg->ca_file ? cfg->ca_file : DEFAULT_CA_FILE);
  const char *ca_path = cfg->ca_path ? cfg->ca_path : DEFAULT_CA_PATH;
  if (!X509_STORE_load_locations(store, ca_file, ca_path)) {
    ERR_clear_error();
    if (!blob_loaded) {
      cn_net_log_fail(log,
                      "error setting certificate verify locations:"
                      "  CAfile: %s CApath: %s",
                      ca_file ? ca_file : "none", ca_path ? ca_path : "none");
      return CN_ERR_SSL_CACERT_BADFILE;
    }
    cn_net_log_text(log, "error setting certificate verify locations,"
                         " continuing anyway");
  }

  unsigned long flags = X509_V_FLAG_TRUSTED_FIRST;
  if (cfg->crl_file) {
    X509_LOOKUP *lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
    if (!lookup ||
        !X509_load_crl_file(lookup, cfg->crl_file, X509_FILETYPE_PEM)) {
      ERR_clear_error();
      cn_net_log_fail(log, "error loading CRL file: %s", cfg->crl_file);
      return CN_ERR_SSL_CACERT_BADFILE;
    }
    flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
  }
  /* Intermediates in the store act as anchors (libcurl's default), except
   * with a CRL, where OpenSSL-style partial chains cannot be checked. */
  if (!cfg->no_partial_chain && !cfg->crl_file)
    flags |= X509_V_FLAG_PARTIAL_CHAIN;
  X509_STORE_set_flags(store, flags);
  return CN_OK;
}

int cn_ssl_client_context_trust_lines(const struct cn_ssl_config *cfg,
                                      struct cn_buf *out) {
  if (!cfg->verify_peer)
    return CN_OK;
  const char *ca_file =
      cfg->ca_blob ? NULL : (cfg->ca_file ? cfg->ca_file : DEFAULT_CA_FILE);
  const char *ca_path = cfg->ca_path ? cfg->ca_path : DEFAULT_CA_PATH;
  int rv =
      cn_buf_printf(out, " CAfile: %s\n CApath: %s\n",
                    ca_file ? ca_file : "none", ca_path ? ca_path : "none");
  if (rv == CN_OK && cfg->crl_file)
    rv = cn_buf_printf(out, " CRLfile: %s\n", cfg->crl_file);
  return rv;
}

enum {
  FILETYPE_BAD = -1,
  FILETYPE_ENGINE = 42,
  FILETYPE_P12 = 43,
  FILETYPE_PROVIDER = 44
};

static int file_type(const char *type) {
  if (!type || !strcasecmp(type, "PEM"))
    return SSL_FILETYPE_PEM;
  if (!strcasecmp(type, "DER"))
    return SSL_FILETYPE_ASN1;
  if (!strcasecmp(type, "P12"))
    return FILETYPE_P12;
  if (!strcasecmp(type, "ENG"))
    return FILETYPE_ENGINE;
  if (!strcasecmp(type, "PROV"))
    return FILETYPE_PROVIDER;
  return FILETYPE_BAD;
}

static int password_cb(char *buf, int size, int rwflag, void *userdata) {
  const char *pass = userdata;
  if (rwflag || !pass)
    return 0;
  size_t len = strlen(pass);
  if (len >= (size_t)size)
    return 0;
  memcpy(buf, pass, len + 1);
  return (int)len;
}

/* open_source: a BIO reading |blob| when set (CURLOPT_*_BLOB), else the
 * file |file|. NULL when the file cannot be opened, or on OOM. */
static BIO *open_source(const char *file, const void *blob, size_t len) {
  if (blob)
    return BIO_new_mem_buf(blob, (ossl_ssize_t)len);
  BIO *b = file ? BIO_new_file(file, "rb") : NULL;
  if (!b)
    ERR_clear_error();
  return b;
}

static bool load_p12(SSL_CTX *c, BIO *bio, const char *file, const char *pass,
                     const struct cn_net_log *log) {
  char err[256];
  bool ok = false;
  EVP_PKEY *pkey = NULL;
  X509 *cert = NULL;
  STACK_OF(X509) *ca = NULL;
  if (!bio) {
    cn_net_log_fail(log, "could not open PKCS12 file '%s'", file);
    return false;
  }
  PKCS12 *p12 = d2i_PKCS12_bio(bio, NULL);
  if (!p12) {
    ERR_clear_error();
    cn_net_log_fail(log, "error reading PKCS12 file '%s'", file);
    return false;
  }
  if (!PKCS12_parse(p12, pass, &pkey, &cert, &ca)) {
    cn_net_log_fail(log,
                    "could not parse PKCS12 file, check password, "
                    "BoringSSL error %s",
                    ssl_error_text(err, sizeof(err)));
    goto out;
  }
  if (SSL_CTX_use_certificate(c, cert) != 1) {
    cn_net_log_fail(log,
                    "could not load PKCS12 client certificate, "
                    "BoringSSL error %s",
                    ssl_error_text(err, sizeof(err)));
    goto out;
  }
  if (SSL_CTX_use_PrivateKey(c, pkey) != 1) {
    cn_net_log_fail(log, "unable to use private key from PKCS12 file '%s'",
                    file);
    goto out;
  }
  if (!SSL_CTX_check_private_key(c)) {
    cn_net_log_fail(log,
                    "private key from PKCS12 file '%s' "
                    "does not match certificate in same file",
                    file);
    goto out;
  }
  while (ca && sk_X509_num(ca) > 0) {
    X509 *x = sk_X509_shift(ca);
    if (!SSL_CTX_add_extra_chain_cert(c, x)) { /* takes |x| on success */
      X509_free(x);
      cn_net_log_fail(log, "cannot add certificate to certificate chain");
      goto out;
    }
  }
  ok = true;
out:
  ERR_clear_error();
  PKCS12_free(p12);
  EVP_PKEY_free(pkey);
  X509_free(cert);
  sk_X509_pop_free(ca, X509_free);
  return ok;
}

/* use_cert_chain: the first PEM certificate of |bio| is the client's,
 * the ones after it its chain (SSL_CTX_use_certificate_chain_file on any
 * source). 1 on success. */
static int use_cert_chain(SSL_CTX *c, BIO *bio, const char *pass) {
  X509 *x = PEM_read_bio_X509_AUX(bio, NULL, password_cb, (void *)pass);
  int ok =
      x && SSL_CTX_use_certificate(c, x) == 1 && SSL_CTX_clear_chain_certs(c);
  X509_free(x);
  X509 *ca;
  while (ok && (ca = PEM_read_bio_X509(bio, NULL, password_cb, (void *)pass)) !=
                   NULL) {
    if (!SSL_CTX_add0_chain_cert(c, ca)) { /* takes |ca| on success */
      X509_free(ca);
      ok = 0;
    }
  }
  if (ok) {
    /* the end of the input is the expected way out of the loop */
    uint32_t e = ERR_peek_last_error();
    if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
        ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
      ERR_clear_error();
    else if (e)
      ok = 0;
  }
  return ok;
}

static int use_cert(SSL_CTX *c, BIO *bio, int type, const char *pass) {
  if (!bio)
    return 0;
  if (type == SSL_FILETYPE_PEM)
    return use_cert_chain(c, bio, pass);
  X509 *x = d2i_X509_bio(bio, NULL);
  int ok = x && SSL_CTX_use_certificate(c, x) == 1;
  X509_free(x);
  return ok;
}

static int use_key(SSL_CTX *c, BIO *bio, int type, const char *pass) {
  if (!bio)
    return 0;
  EVP_PKEY *k =
      type == SSL_FILETYPE_PEM
          ? PEM_read_bio_PrivateKey(bio, NULL, password_cb, (void *)pass)
          : d2i_PrivateKey_bio(bio, NULL);
  int ok = k && SSL_CTX_use_PrivateKey(c, k) == 1;
  EVP_PKEY_free(k);
  return ok;
}

/* load_client_cert: CURLOPT_SSLCERT(_BLOB) and CURLOPT_SSLKEY(_BLOB) as
 * libcurl's cert_stuff: a blob wins over its file; without a key the key
 * comes from the certificate's source. */
static int load_client_cert(SSL_CTX *c, const struct cn_ssl_config *cfg,
                            const struct cn_net_log *log) {
  char err[256];
  int rv = CN_OK;
  int type = file_type(cfg->client_cert_type);
  const char *cert =
      cfg->client_cert_blob ? "CURLOPT_SSLCERT_BLOB" : cfg->client_cert;
  BIO *bio = NULL;
  switch (type) {
  case SSL_FILETYPE_PEM:
  case SSL_FILETYPE_ASN1:
    bio = open_source(cfg->client_cert, cfg->client_cert_blob,
                      cfg->client_cert_blob_len);
    if (!use_cert(c, bio, type, cfg->key_password)) {
      cn_net_log_fail(log,
                      "could not load %s client certificate from %s, "
                      "BoringSSL error %s, (no key found, wrong pass phrase, "
                      "or wrong file format?)",
                      type == SSL_FILETYPE_PEM ? "PEM" : "ASN1", cert,
                      ssl_error_text(err, sizeof(err)));
      rv = CN_ERR_SSL_CERT_PROBLEM;
      goto out;
    }
    break;
  case FILETYPE_P12:
    bio = open_source(cfg->client_cert, cfg->client_cert_blob,
                      cfg->client_cert_blob_len);
    if (!load_p12(c, bio, cert, cfg->key_password, log)) {
      rv = CN_ERR_SSL_CERT_PROBLEM;
      goto out;
    }
    goto check; /* the key came with the certificate */
  case FILETYPE_ENGINE:
    cn_net_log_fail(log, "SSL_FILETYPE_ENGINE not supported for certificate");
    rv = CN_ERR_SSL_CERT_PROBLEM;
    goto out;
  case FILETYPE_PROVIDER:
    cn_net_log_fail(log, "SSL_FILETYPE_PROVIDER not supported for certificate");
    rv = CN_ERR_SSL_CERT_PROBLEM;
    goto out;
  default:
    cn_net_log_fail(log, "not supported file type '%s' for certificate",
                    cfg->client_cert_type);
    rv = CN_ERR_INVALID_ARGUMENT;
    goto out;
  }

  {
    bool own_key = cfg->client_key || cfg->client_key_blob;
    const char *key = own_key ? cfg->client_key : cfg->client_cert;
    const void *key_blob =
        own_key ? cfg->client_key_blob : cfg->client_cert_blob;
    size_t key_blob_len =
        own_key ? cfg->client_key_blob_len : cfg->client_cert_blob_len;
    int key_type = own_key ? file_type(cfg->client_key_type) : type;
    if (key_type == FILETYPE_P12) {
      cn_net_log_fail(log, "file type P12 for private key not supported");
      rv = CN_ERR_SSL_CERT_PROBLEM;
      goto out;
    }
    if (key_type != SSL_FILETYPE_PEM && key_type != SSL_FILETYPE_ASN1) {
      cn_net_log_fail(log, "not supported file type for private key");
      rv = CN_ERR_INVALID_ARGUMENT;
      goto out;
    }
    BIO_free(bio);
    bio = open_source(key, key_blob, key_blob_len);
    if (!use_key(c, bio, key_type, cfg->key_password)) {
      cn_net_log_fail(log, "unable to set private key file: '%s' type %s",
                      key ? key : "(memory blob)",
                      cfg->client_key_type ? cfg->client_key_type : "PEM");
      rv = CN_ERR_INVALID_ARGUMENT;
      goto out;
    }
  }
check:
  if (!SSL_CTX_check_private_key(c)) {
    cn_net_log_fail(log,
                    "Private key does not match the certificate public key");
    rv = CN_ERR_SSL_CERT_PROBLEM;
  }
out:
  BIO_free(bio);
  ERR_clear_error();
  return rv;
}

static int build_ssl_ctx(const struct cn_ssl_config *cfg,
                         const struct cn_net_log *log, SSL_CTX **out) {
  int rv = CN_OK;
  if (cfg->verify_status) {
    /* No OCSP in this build (libcurl with BoringSSL says the same). */
    cn_net_log_fail(log, "OCSP stapling verification is not supported");
    return CN_ERR_UNSUPPORTED_FEATURE;
  }
  SSL_CTX *c = SSL_CTX_new(TLS_method());
  if (!c)
    return CN_ERR_OUT_OF_MEMORY;

  uint16_t min = cfg->version_min ? (uint16_t)cfg->version_min : TLS1_2_VERSION;
  uint16_t max = cfg->version_max ? (uint16_t)cfg->version_max : TLS1_3_VERSION;
  if (!SSL_CTX_set_min_proto_version(c, min) ||
      !SSL_CTX_set_max_proto_version(c, max) || min > max) {
    cn_net_log_fail(log, "unsupported TLS version range");
    rv = CN_ERR_SSL_VERSION_OR_CIPHER_MISMATCH;
    goto out;
  }
  /* libcurl turns TLS 1.2 tickets off; TLS 1.3 resumption still works. */
  SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
  SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE |
                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

  /* TLS 1.3 suites are fixed in BoringSSL; libcurl built on it refuses
   * CURLOPT_TLS13_CIPHERS in setopt, so |tls13_ciphers| is not applied. */
  if (cfg->cipher_list && min < TLS1_3_VERSION) {
    if (!SSL_CTX_set_cipher_list(c, cfg->cipher_list)) {
      ERR_clear_error();
      cn_net_log_fail(log, "failed setting cipher list: %s", cfg->cipher_list);
      rv = CN_ERR_SSL_CIPHER_BAD;
      goto out;
    }
    cn_net_log_text(log, "Cipher selection: %s", cfg->cipher_list);
  }
  if (cfg->curves && !SSL_CTX_set1_curves_list(c, cfg->curves)) {
    ERR_clear_error();
    cn_net_log_fail(log, "failed setting curves list: '%s'", cfg->curves);
    rv = CN_ERR_SSL_CIPHER_BAD;
    goto out;
  }
  if (cfg->client_cert || cfg->client_cert_blob) {
    rv = load_client_cert(c, cfg, log);
    if (rv != CN_OK)
      goto out;
  }
  SSL_CTX_set_verify(c, cfg->verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE,
                     NULL);
  if (cfg->verify_peer) {
    rv = setup_trust(c, cfg, log);
    if (rv != CN_OK)
      goto out;
  }
  /* Impersonation last: it overrides the defaults above, explicit options
   * in |cfg| excepted. */
  rv = cn_ssl_profile_apply_ctx(c, cfg, log);
  if (rv != CN_OK)
    goto out;
  if (cn_keylog_enabled())
    SSL_CTX_set_keylog_callback(c, cn_keylog_write_line);
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_CLIENT |
                                        SSL_SESS_CACHE_NO_INTERNAL);
  SSL_CTX_sess_set_new_cb(c, on_new_session);
out:
  if (rv != CN_OK) {
    SSL_CTX_free(c);
    return rv;
  }
  *out = c;
  return CN_OK;
}

static int get_ssl_ctx(struct cn_ssl_client_context *ctx,
                       const struct cn_ssl_config *cfg, const char *cfg_key,
                       const struct cn_net_log *log, SSL_CTX **out) {
  for (struct ctx_entry *e = ctx->ctxs; e; e = e->next) {
    if (strcmp(e->key, cfg_key) == 0) {
      e->last_use = ++ctx->tick;
      SSL_CTX_up_ref(e->ssl_ctx);
      *out = e->ssl_ctx;
      return CN_OK;
    }
  }
  struct ctx_entry *e = cn_calloc(1, sizeof(*e));
  char *key = cn_strdup(cfg_key);
  if (!e || !key) {
    cn_free(e);
    cn_free(key);
    return CN_ERR_OUT_OF_MEMORY;
  }
  SSL_CTX *c = NULL;
  int rv = build_ssl_ctx(cfg, log, &c);
  if (rv != CN_OK) {
    /* Not cached: a CA file may be fixed before the next attempt. */
    cn_free(e);
    cn_free(key);
    return rv;
  }
  if (ctx->num_ctxs >= MAX_SSL_CTXS) {
    struct ctx_entry **oldest = &ctx->ctxs;
    for (struct ctx_entry **it = &ctx->ctxs; *it; it = &(*it)->next)
      if ((*it)->last_use < (*oldest)->last_use)
        oldest = it;
    struct ctx_entry *victim = *oldest;
    *oldest = victim->next;
    SSL_CTX_free(victim->ssl_ctx); /* live SSLs keep their own reference */
    cn_free(victim->key);
    cn_free(victim);
    ctx->num_ctxs--;
  }
  e->key = key;
  e->ssl_ctx = c;
  e->last_use = ++ctx->tick;
  e->next = ctx->ctxs;
  ctx->ctxs = e;
  ctx->num_ctxs++;
  SSL_CTX_up_ref(c);
  *out = c;
  return CN_OK;
}

int cn_ssl_client_context_get_ssl_ctx(struct cn_ssl_client_context *ctx,
                                      const struct cn_ssl_config *cfg,
                                      const char *cfg_key,
                                      const struct cn_net_log *log,
                                      SSL_CTX **out) {
  lock(ctx);
  int rv = get_ssl_ctx(ctx, cfg, cfg_key, log, out);
  unlock(ctx);
  return rv;
}
