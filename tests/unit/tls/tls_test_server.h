/* tls_test_server.h: test PKI made with BoringSSL at run time, and an
 * in-process BoringSSL server on one end of a socketpair, driven by the
 * same event loop as the client under test. Test-only. */
#ifndef CN_TESTS_UNIT_TLS_TLS_TEST_SERVER_H
#define CN_TESTS_UNIT_TLS_TLS_TEST_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "util/event_loop.h"

/* A CA and a leaf for CN=localhost with SAN DNS:localhost, IP:127.0.0.1
 * signed by it. |ca_pem| is the CA certificate in PEM (malloc'd). */
struct test_pki {
  EVP_PKEY *ca_key;
  X509 *ca;
  EVP_PKEY *leaf_key;
  X509 *leaf;
  char *ca_pem;
  size_t ca_pem_len;
};

/* test_pki_make: |expired| makes the leaf's validity end in the past. */
bool test_pki_make(struct test_pki *pki, const char *ca_name, bool expired);
void test_pki_free(struct test_pki *pki);
/* Writes |x| (PEM) or |key| (PEM, encrypted with |pass| if non-NULL) to a
 * new file under /tmp; returns the malloc'd path. */
char *test_write_cert_pem(X509 *x);
char *test_write_key_pem(EVP_PKEY *key, const char *pass);

struct test_server_opts {
  bool alpn_h2; /* select "h2" if the client offers it */
  bool require_client_cert;
  const char *greeting; /* sent right after the handshake */
  bool close_notify_after_greeting;
  bool eof_after_greeting; /* TCP close without close_notify */
  bool echo;               /* send back what is received */
};

struct test_server {
  struct cn_event_loop *loop;
  SSL *ssl;
  int fd;
  struct cn_io_watch watch;
  struct test_server_opts opts;
  bool handshake_done;
  bool failed;
  bool closed;
  bool got_client_cert;
  unsigned char *out; /* plaintext waiting to be sent */
  size_t out_len;
  size_t out_cap;
  size_t received;
};

/* test_server_ctx_new: a server SSL_CTX using |pki|'s leaf. Shared by
 * servers that should resume each other's sessions. */
SSL_CTX *test_server_ctx_new(const struct test_pki *pki,
                             const struct test_server_opts *opts);
/* test_server_start takes ownership of |fd| (non-blocking). */
bool test_server_start(struct test_server *srv, struct cn_event_loop *loop,
                       SSL_CTX *ctx, int fd,
                       const struct test_server_opts *opts);
void test_server_stop(struct test_server *srv);

#endif
