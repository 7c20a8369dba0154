/* tls_test_server.c: see tls_test_server.h. */
#include "tls_test_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/ec_key.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static long next_serial = 1;

static EVP_PKEY *make_key(void) {
  EC_KEY *ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  EVP_PKEY *pkey = EVP_PKEY_new();
  if (!ec || !pkey || !EC_KEY_generate_key(ec) ||
      !EVP_PKEY_assign_EC_KEY(pkey, ec)) {
    EC_KEY_free(ec);
    EVP_PKEY_free(pkey);
    return NULL;
  }
  return pkey;
}

static bool add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value) {
  X509_EXTENSION *ext = X509V3_EXT_nconf_nid(NULL, v3, nid, value);
  if (!ext)
    return false;
  bool ok = X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
  return ok;
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer,
                       EVP_PKEY *issuer_key, bool is_ca, long not_after) {
  X509 *x = X509_new();
  X509_NAME *name = X509_NAME_new();
  bool ok =
      x && name && X509_set_version(x, X509_VERSION_3) &&
      ASN1_INTEGER_set(X509_get_serialNumber(x), next_serial++) &&
      X509_gmtime_adj(X509_getm_notBefore(x),
                      not_after < 0 ? 2 * not_after : -3600) &&
      X509_gmtime_adj(X509_getm_notAfter(x), not_after) &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const uint8_t *)cn,
                                 -1, -1, 0) &&
      X509_set_subject_name(x, name) &&
      X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) &&
      X509_set_pubkey(x, key);
  if (ok) {
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
    if (is_ca)
      ok = add_ext(x, &v3, NID_basic_constraints, "critical,CA:TRUE") &&
           add_ext(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
    else
      ok =
          add_ext(x, &v3, NID_basic_constraints, "CA:FALSE") &&
          add_ext(x, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1") &&
          add_ext(x, &v3, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  if (ok)
    ok = X509_sign(x, issuer_key, EVP_sha256()) > 0;
  X509_NAME_free(name);
  if (!ok) {
    ERR_print_errors_fp(stderr);
    X509_free(x);
    return NULL;
  }
  return x;
}

bool test_pki_make(struct test_pki *pki, const char *ca_name, bool expired) {
  memset(pki, 0, sizeof(*pki));
  pki->ca_key = make_key();
  pki->leaf_key = make_key();
  if (!pki->ca_key || !pki->leaf_key)
    return false;
  pki->ca = make_cert(ca_name, pki->ca_key, NULL, pki->ca_key, true, 86400);
  if (!pki->ca)
    return false;
  pki->leaf = make_cert("localhost", pki->leaf_key, pki->ca, pki->ca_key, false,
                        expired ? -3600 : 86400);
  if (!pki->leaf)
    return false;
  BIO *mem = BIO_new(BIO_s_mem());
  const uint8_t *data;
  size_t len;
  if (!mem || !PEM_write_bio_X509(mem, pki->ca) ||
      !BIO_mem_contents(mem, &data, &len)) {
    BIO_free(mem);
    return false;
  }
  pki->ca_pem = malloc(len + 1);
  memcpy(pki->ca_pem, data, len);
  pki->ca_pem[len] = '\0';
  pki->ca_pem_len = len;
  BIO_free(mem);
  return true;
}

void test_pki_free(struct test_pki *pki) {
  EVP_PKEY_free(pki->ca_key);
  EVP_PKEY_free(pki->leaf_key);
  X509_free(pki->ca);
  X509_free(pki->leaf);
  free(pki->ca_pem);
  memset(pki, 0, sizeof(*pki));
}

static char *temp_path(void) {
  char *path = strdup("/tmp/cn_tls_test_XXXXXX");
  int fd = mkstemp(path);
  if (fd < 0) {
    free(path);
    return NULL;
  }
  close(fd);
  return path;
}

char *test_write_cert_pem(X509 *x) {
  char *path = temp_path();
  FILE *fp = path ? fopen(path, "w") : NULL;
  if (!fp)
    return path;
  PEM_write_X509(fp, x);
  fclose(fp);
  return path;
}

char *test_write_key_pem(EVP_PKEY *key, const char *pass) {
  char *path = temp_path();
  FILE *fp = path ? fopen(path, "w") : NULL;
  if (!fp)
    return path;
  PEM_write_PrivateKey(fp, key, pass ? EVP_aes_128_cbc() : NULL,
                       (unsigned char *)pass, pass ? (int)strlen(pass) : 0,
                       NULL, NULL);
  fclose(fp);
  return path;
}

/* --- server --------------------------------------------------------------- */

static int select_alpn(SSL *ssl, const uint8_t **out, uint8_t *out_len,
                       const uint8_t *in, unsigned in_len, void *arg) {
  (void)ssl;
  (void)arg;
  for (unsigned i = 0; i < in_len; i += 1 + in[i]) {
    if (in[i] == 2 && i + 3 <= in_len && memcmp(in + i + 1, "h2", 2) == 0) {
      *out = in + i + 1;
      *out_len = 2;
      return SSL_TLSEXT_ERR_OK;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

static enum ssl_verify_result_t accept_any(SSL *ssl, uint8_t *alert) {
  (void)ssl;
  (void)alert;
  return ssl_verify_ok;
}

SSL_CTX *test_server_ctx_new(const struct test_pki *pki,
                             const struct test_server_opts *opts) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  if (!ctx || !SSL_CTX_use_certificate(ctx, pki->leaf) ||
      !SSL_CTX_use_PrivateKey(ctx, pki->leaf_key)) {
    SSL_CTX_free(ctx);
    return NULL;
  }
  if (opts->alpn_h2)
    SSL_CTX_set_alpn_select_cb(ctx, select_alpn, NULL);
  if (opts->require_client_cert)
    SSL_CTX_set_custom_verify(
        ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any);
  return ctx;
}

static void append_out(struct test_server *srv, const void *data, size_t len) {
  if (srv->out_len + len > srv->out_cap) {
    size_t cap = (srv->out_len + len) * 2;
    srv->out = realloc(srv->out, cap);
    srv->out_cap = cap;
  }
  memcpy(srv->out + srv->out_len, data, len);
  srv->out_len += len;
}

static void server_close(struct test_server *srv, bool close_notify) {
  if (close_notify)
    SSL_shutdown(srv->ssl);
  cn_io_watch_stop(&srv->watch);
  shutdown(srv->fd, SHUT_WR);
  srv->closed = true;
}

static void server_drive(struct test_server *srv) {
  unsigned events = CN_IO_READ;
  if (srv->closed || srv->failed)
    return;
  if (!srv->handshake_done) {
    int r = SSL_do_handshake(srv->ssl);
    if (r != 1) {
      int e = SSL_get_error(srv->ssl, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        srv->failed = true;
        ERR_clear_error();
        cn_io_watch_stop(&srv->watch);
        return;
      }
      if (e == SSL_ERROR_WANT_WRITE)
        events |= CN_IO_WRITE;
      cn_io_watch_start(srv->loop, &srv->watch, srv->fd, events);
      return;
    }
    srv->handshake_done = true;
    X509 *peer = SSL_get_peer_certificate(srv->ssl);
    srv->got_client_cert = peer != NULL;
    X509_free(peer);
    if (srv->opts.greeting)
      append_out(srv, srv->opts.greeting, strlen(srv->opts.greeting));
  }
  for (;;) {
    unsigned char buf[16384];
    int n = SSL_read(srv->ssl, buf, sizeof(buf));
    if (n > 0) {
      srv->received += (size_t)n;
      if (srv->opts.echo)
        append_out(srv, buf, (size_t)n);
      continue;
    }
    int e = SSL_get_error(srv->ssl, n);
    if (e == SSL_ERROR_WANT_READ)
      break;
    if (e == SSL_ERROR_WANT_WRITE) {
      events |= CN_IO_WRITE;
      break;
    }
    ERR_clear_error();
    /* The client went away: nothing more to do. */
    srv->failed = e != SSL_ERROR_ZERO_RETURN;
    server_close(srv, false);
    return;
  }
  while (srv->out_len > 0) {
    int n = SSL_write(srv->ssl, srv->out, (int)srv->out_len);
    if (n <= 0) {
      int e = SSL_get_error(srv->ssl, n);
      if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
        events |= CN_IO_WRITE;
        break;
      }
      ERR_clear_error();
      srv->failed = true;
      server_close(srv, false);
      return;
    }
    memmove(srv->out, srv->out + n, srv->out_len - (size_t)n);
    srv->out_len -= (size_t)n;
  }
  if (srv->out_len == 0 && srv->opts.greeting &&
      (srv->opts.close_notify_after_greeting || srv->opts.eof_after_greeting)) {
    server_close(srv, srv->opts.close_notify_after_greeting);
    return;
  }
  cn_io_watch_start(srv->loop, &srv->watch, srv->fd, events);
}

static void on_server_io(void *ctx, unsigned ready) {
  (void)ready;
  server_drive(ctx);
}

bool test_server_start(struct test_server *srv, struct cn_event_loop *loop,
                       SSL_CTX *ctx, int fd,
                       const struct test_server_opts *opts) {
  memset(srv, 0, sizeof(*srv));
  srv->loop = loop;
  srv->fd = fd;
  srv->opts = *opts;
  cn_io_watch_init(&srv->watch, on_server_io, srv);
  srv->ssl = SSL_new(ctx);
  if (!srv->ssl || !SSL_set_fd(srv->ssl, fd))
    return false;
  SSL_set_accept_state(srv->ssl);
  return cn_io_watch_start(loop, &srv->watch, fd, CN_IO_READ) == 0;
}

void test_server_stop(struct test_server *srv) {
  cn_io_watch_stop(&srv->watch);
  SSL_free(srv->ssl);
  srv->ssl = NULL;
  if (srv->fd >= 0)
    close(srv->fd);
  srv->fd = -1;
  free(srv->out);
  srv->out = NULL;
}
