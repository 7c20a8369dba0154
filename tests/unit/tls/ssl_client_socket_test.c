/* ssl_client_socket_test.c: the TLS client socket against an in-process
 * BoringSSL server over a socketpair: verification outcomes and libcurl's
 * messages, ALPN, data both ways, closes, resumption, pinning, client
 * certificates, keylog, and allocation failures. */
#include "tls/ssl_client_socket.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/base64.h>
#include <openssl/mem.h>
#include <openssl/sha.h>

#include "cn_build_config.h"
#include "fd_stream_socket.h"
#include "test.h"
#include "tls_test_server.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/event_loop.h"
#include "util/net_log.h"

static struct test_pki pki;       /* the server's CA and leaf */
static struct test_pki other_pki; /* an unrelated CA */

struct harness {
  struct cn_event_loop *loop;
  struct cn_ssl_client_context *ctx;
  bool own_ctx;
  SSL_CTX *server_ctx;
  bool own_server_ctx;
  struct test_server srv;
  struct cn_stream_socket *tls;
  struct cn_net_log log;
  struct cn_buf text; /* every TEXT line */
  struct cn_buf fail; /* every FAIL line */
  bool connect_done;
  int connect_rv;
};

static void log_fn(void *ctx, enum cn_net_log_type type, const char *data,
                   size_t len) {
  struct harness *h = ctx;
  if (type == CN_LOG_TEXT)
    cn_buf_append(&h->text, data, len);
  else if (type == CN_LOG_FAIL)
    cn_buf_append(&h->fail, data, len);
}

static void on_connect(void *ctx, int rv) {
  struct harness *h = ctx;
  h->connect_done = true;
  h->connect_rv = rv;
}

static void base_cfg(struct cn_ssl_config *cfg) {
  cn_ssl_config_init(cfg);
  cfg->ca_blob = pki.ca_pem;
  cfg->ca_blob_len = pki.ca_pem_len;
  cfg->alpn[0] = "h2";
  cfg->alpn[1] = "http/1.1";
  cfg->num_alpn = 2;
}

/* Sets up loop, server and TLS socket; |ctx|/|server_ctx| may be shared
 * across harnesses (NULL: make one). Returns the cn_ssl_client_socket_new
 * result. */
static int setup(struct harness *h, const struct cn_ssl_config *cfg,
                 const char *host, const struct test_server_opts *sopts,
                 struct cn_event_loop *loop, struct cn_ssl_client_context *ctx,
                 SSL_CTX *server_ctx) {
  memset(h, 0, sizeof(*h));
  cn_buf_init(&h->text, 0);
  cn_buf_init(&h->fail, 0);
  h->log.fn = log_fn;
  h->log.ctx = h;
  h->log.verbose = true;
  h->loop = loop ? loop : cn_event_loop_new();
  h->ctx = ctx;
  if (!ctx) {
    h->ctx = cn_ssl_client_context_new();
    h->own_ctx = true;
  }
  h->server_ctx = server_ctx;
  if (!server_ctx) {
    h->server_ctx = test_server_ctx_new(&pki, sopts);
    h->own_server_ctx = true;
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    return CN_ERR_FAILED;
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  test_server_start(&h->srv, h->loop, h->server_ctx, fds[1], sopts);
  struct cn_stream_socket *transport = cn_test_fd_socket_new(h->loop, fds[0]);
  int rv = cn_ssl_client_socket_new(h->ctx, h->loop, cfg, host, 443, transport,
                                    &h->log, &h->tls);
  if (rv != CN_OK)
    cn_stream_socket_destroy(transport);
  return rv;
}

static void teardown(struct harness *h, bool free_loop) {
  cn_stream_socket_destroy(h->tls);
  h->tls = NULL;
  test_server_stop(&h->srv);
  if (h->own_ctx)
    cn_ssl_client_context_free(h->ctx);
  if (h->own_server_ctx)
    SSL_CTX_free(h->server_ctx);
  if (free_loop)
    cn_event_loop_free(h->loop);
  cn_buf_cleanup(&h->text);
  cn_buf_cleanup(&h->fail);
}

/* Runs the loop until |*flag| or a step limit (a hang fails the test). */
static int run_limit = 2000;

static bool run_until(struct harness *h, const bool *flag) {
  for (int i = 0; i < run_limit && !*flag; i++)
    cn_event_loop_run_once(h->loop, 100, NULL, 0);
  return *flag;
}

/* Connects; returns the final result (asynchronous or not). */
static int do_connect(struct harness *h) {
  int rv = cn_ssl_client_socket_connect(h->tls, on_connect, h);
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  if (!run_until(h, &h->connect_done))
    return CN_ERR_TIMED_OUT;
  return h->connect_rv;
}

static bool text_has(struct harness *h, const char *s) {
  return h->text.data && strstr(h->text.data, s);
}

static bool fail_has(struct harness *h, const char *s) {
  return h->fail.data && strstr(h->fail.data, s);
}

struct io_result {
  bool done;
  int rv;
};

static void on_io(void *ctx, int rv) {
  struct io_result *r = ctx;
  r->done = true;
  r->rv = rv;
}

/* Reads once, waiting if needed; returns the read result. */
static int read_once(struct harness *h, uint8_t *buf, size_t len) {
  struct io_result r = {0};
  int rv = h->tls->ops->read(h->tls, buf, len, on_io, &r);
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  if (!run_until(h, &r.done))
    return CN_ERR_TIMED_OUT;
  return r.rv;
}

static int write_all(struct harness *h, const uint8_t *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    struct io_result r = {0};
    int rv = h->tls->ops->write(h->tls, buf + off, len - off, on_io, &r);
    if (rv == CN_ERR_IO_PENDING) {
      if (!run_until(h, &r.done))
        return CN_ERR_TIMED_OUT;
      rv = r.rv;
    }
    if (rv <= 0)
      return rv;
    off += (size_t)rv;
  }
  return (int)len;
}

static const struct test_server_opts echo_h2 = {.alpn_h2 = true, .echo = true};

/* --- verification --------------------------------------------------------- */

TEST(handshake_ok_with_ca_blob) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  /* The handshake needs the server: never synchronous. */
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_IO_PENDING);
  CHECK(!h.connect_done);
  CHECK(run_until(&h, &h.connect_done));
  CHECK_EQ_INT(h.connect_rv, CN_OK);
  struct cn_tls_info info;
  h.tls->ops->get_tls_info(h.tls, &info);
  CHECK(info.is_tls);
  CHECK_EQ_STR(info.alpn, "h2");
  CHECK_EQ_INT(info.version, TLS1_3_VERSION);
  CHECK_EQ_INT(info.verify_result, X509_V_OK);
  CHECK(info.cipher_name != NULL);
  CHECK(!info.session_reused);
  CHECK(text_has(&h, "ALPN: curl offers h2,http/1.1"));
  CHECK(text_has(&h, "ALPN: server accepted h2"));
  CHECK(text_has(&h, "SSL connection using TLSv1.3 / "));
  CHECK(text_has(&h, "Server certificate:"));
  CHECK(text_has(&h, " subject: CN=localhost"));
  CHECK(text_has(&h, " issuer: CN=curlium test CA"));
  CHECK(text_has(&h, " subjectAltName: host \"localhost\" matched cert's "
                     "\"localhost\""));
  CHECK(text_has(&h, " SSL certificate verify ok."));
  CHECK(text_has(&h, "TLSv1.3 (OUT), TLS handshake, Client hello (1):\n"
                     " CAfile: none\n CApath: /etc/ssl/certs\n"
                     "TLSv1.3 (IN), TLS handshake, Server hello (2):"));
  CHECK(h.fail.len == 0);
  if (getenv("CN_TEST_SHOW_LOG"))
    fputs(h.text.data, stderr);
  teardown(&h, true);
}

TEST(wrong_ca_is_authority_invalid) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.ca_blob = other_pki.ca_pem;
  cfg.ca_blob_len = other_pki.ca_pem_len;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_CERT_AUTHORITY_INVALID);
  CHECK_EQ_STR(h.fail.data, "SSL certificate problem: unable to get local "
                            "issuer certificate\n");
  struct cn_tls_info info;
  h.tls->ops->get_tls_info(h.tls, &info);
  CHECK_EQ_INT(info.verify_result,
               X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  teardown(&h, true);
}

TEST(name_mismatch_is_common_name_invalid) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "example.com", &echo_h2, NULL, NULL, NULL),
               CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_CERT_COMMON_NAME_INVALID);
  CHECK_EQ_STR(h.fail.data, "SSL: no alternative certificate subject name "
                            "matches target hostname 'example.com'\n");
  teardown(&h, true);
}

TEST(ip_literal_matches_ip_san_only) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "127.0.0.1", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  CHECK(text_has(&h, "matched cert's IP address!"));
  teardown(&h, true);

  CHECK_EQ_INT(setup(&h, &cfg, "127.0.0.2", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_CERT_COMMON_NAME_INVALID);
  CHECK(fail_has(&h, "target ipv4 address '127.0.0.2'"));
  teardown(&h, true);
}

TEST(verify_peer_off_skips_chain_but_not_name) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.ca_blob = other_pki.ca_pem; /* would fail if the chain were checked */
  cfg.ca_blob_len = other_pki.ca_pem_len;
  cfg.verify_peer = false;
  cfg.verify_host = false;
  CHECK_EQ_INT(setup(&h, &cfg, "example.com", &echo_h2, NULL, NULL, NULL),
               CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  CHECK(text_has(&h, "continuing anyway."));
  CHECK(h.fail.len == 0);
  teardown(&h, true);

  /* libcurl checks VERIFYHOST even with VERIFYPEER off. */
  cfg.verify_host = true;
  CHECK_EQ_INT(setup(&h, &cfg, "example.com", &echo_h2, NULL, NULL, NULL),
               CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_CERT_COMMON_NAME_INVALID);
  CHECK(fail_has(&h, "target hostname 'example.com'"));
  teardown(&h, true);

  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  teardown(&h, true);
}

TEST(expired_leaf_is_date_invalid) {
  struct test_pki expired;
  CHECK(test_pki_make(&expired, "curlium test CA", true));
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.ca_blob = expired.ca_pem;
  cfg.ca_blob_len = expired.ca_pem_len;
  SSL_CTX *sctx = test_server_ctx_new(&expired, &echo_h2);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, sctx), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_CERT_DATE_INVALID);
  CHECK_EQ_STR(h.fail.data,
               "SSL certificate problem: certificate has expired\n");
  teardown(&h, true);
  SSL_CTX_free(sctx);
  test_pki_free(&expired);
}

TEST(unusable_ca_file_is_reported_at_connect) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.ca_blob = NULL;
  cfg.ca_blob_len = 0;
  cfg.ca_file = "/nonexistent/ca.pem";
  cfg.ca_path = "/nonexistent";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_SSL_CACERT_BADFILE);
  CHECK_EQ_STR(h.fail.data, "error setting certificate verify locations:  "
                            "CAfile: /nonexistent/ca.pem CApath: "
                            "/nonexistent\n");
  teardown(&h, true);

  /* Without peer verification nothing is loaded, so nothing fails. */
  cfg.verify_peer = false;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  teardown(&h, true);
}

TEST(ca_file_on_disk_verifies) {
  char *path = test_write_cert_pem(pki.ca);
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.ca_blob = NULL;
  cfg.ca_blob_len = 0;
  cfg.ca_file = path;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  CHECK(text_has(&h, " CAfile: /tmp/cn_tls_test_"));
  teardown(&h, true);
  unlink(path);
  free(path);
}

TEST(bad_cipher_list_is_cipher_bad) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.cipher_list = "BOGUS";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_SSL_CIPHER_BAD);
  CHECK_EQ_STR(h.fail.data, "failed setting cipher list: BOGUS\n");
  teardown(&h, true);

  base_cfg(&cfg);
  cfg.curves = "nonsense";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_SSL_CIPHER_BAD);
  CHECK(fail_has(&h, "failed setting curves list: 'nonsense'"));
  teardown(&h, true);
}

TEST(tls12_with_cipher_list) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.version_max = TLS1_2_VERSION;
  cfg.cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  struct cn_tls_info info;
  h.tls->ops->get_tls_info(h.tls, &info);
  CHECK_EQ_INT(info.version, TLS1_2_VERSION);
  CHECK_EQ_STR(info.cipher_name, "ECDHE-ECDSA-AES128-GCM-SHA256");
  CHECK(text_has(&h, "SSL connection using TLSv1.2 / "
                     "ECDHE-ECDSA-AES128-GCM-SHA256"));
  teardown(&h, true);
}

/* --- ALPN and data -------------------------------------------------------- */

TEST(protocol_version_mismatch) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.version_min = TLS1_3_VERSION;
  SSL_CTX *sctx = test_server_ctx_new(&pki, &echo_h2);
  SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, sctx), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_SSL_VERSION_OR_CIPHER_MISMATCH);
  /* libcurl prints the TLS library's error string. */
  CHECK(h.fail.data && strncmp(h.fail.data, "error:", 6) == 0);
  teardown(&h, true);
  SSL_CTX_free(sctx);
}

TEST(alpn_not_agreed) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  struct test_server_opts opts = {.echo = true}; /* no ALPN on the server */
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  struct cn_tls_info info;
  h.tls->ops->get_tls_info(h.tls, &info);
  CHECK_EQ_STR(info.alpn, "");
  CHECK(
      text_has(&h, "ALPN: server did not agree on a protocol. Uses default."));
  teardown(&h, true);
}

TEST(data_round_trip) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  CHECK_EQ_INT(write_all(&h, (const uint8_t *)"hello", 5), 5);
  uint8_t buf[64];
  int n = read_once(&h, buf, sizeof(buf));
  CHECK_EQ_INT(n, 5);
  CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
  CHECK(h.tls->ops->is_connected_and_idle(h.tls));
  teardown(&h, true);
}

struct pump {
  struct harness *h;
  const uint8_t *data;
  size_t len;
  size_t written;
  uint8_t *in;
  size_t received;
  int error;
};

static void pump_write(struct pump *p);
static void pump_read(struct pump *p);

static void on_pump_write(void *ctx, int rv) {
  struct pump *p = ctx;
  if (rv <= 0) {
    p->error = rv;
    return;
  }
  p->written += (size_t)rv;
  pump_write(p);
}

static void pump_write(struct pump *p) {
  while (p->written < p->len && !p->error) {
    int rv = p->h->tls->ops->write(p->h->tls, p->data + p->written,
                                   p->len - p->written, on_pump_write, p);
    if (rv == CN_ERR_IO_PENDING)
      return;
    if (rv <= 0) {
      p->error = rv;
      return;
    }
    p->written += (size_t)rv;
  }
}

static void on_pump_read(void *ctx, int rv) {
  struct pump *p = ctx;
  if (rv <= 0) {
    p->error = rv ? rv : CN_ERR_CONNECTION_CLOSED;
    return;
  }
  p->received += (size_t)rv;
  pump_read(p);
}

static void pump_read(struct pump *p) {
  while (p->received < p->len && !p->error) {
    int rv = p->h->tls->ops->read(p->h->tls, p->in + p->received,
                                  p->len - p->received, on_pump_read, p);
    if (rv == CN_ERR_IO_PENDING)
      return;
    if (rv <= 0) {
      p->error = rv ? rv : CN_ERR_CONNECTION_CLOSED;
      return;
    }
    p->received += (size_t)rv;
  }
}

/* Far more than the BIO buffers and the socketpair hold: exercises
 * partial writes, WANT_WRITE and a read and a write pending together. */
TEST(large_echo_with_concurrent_read_and_write) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  size_t len = 1024 * 1024 + 123;
  uint8_t *data = malloc(len);
  for (size_t i = 0; i < len; i++)
    data[i] = (uint8_t)(i * 31 + (i >> 10));
  struct pump p = {.h = &h, .data = data, .len = len, .in = malloc(len)};
  pump_write(&p);
  pump_read(&p);
  for (int i = 0; i < 5000 && p.received < len && !p.error; i++)
    cn_event_loop_run_once(h.loop, 100, NULL, 0);
  CHECK_EQ_INT(p.error, 0);
  CHECK_EQ_INT(p.written, len);
  CHECK_EQ_INT(p.received, len);
  CHECK(p.received == len && memcmp(p.in, data, len) == 0);
  free(data);
  free(p.in);
  teardown(&h, true);
}

TEST(close_notify_reads_as_eof) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  struct test_server_opts opts = {.greeting = "bye",
                                  .close_notify_after_greeting = true};
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  uint8_t buf[64];
  CHECK_EQ_INT(read_once(&h, buf, sizeof(buf)), 3);
  CHECK(memcmp(buf, "bye", 3) == 0);
  CHECK_EQ_INT(read_once(&h, buf, sizeof(buf)), 0);
  CHECK(!h.tls->ops->is_connected_and_idle(h.tls));
  CHECK(h.fail.len == 0);
  teardown(&h, true);
}

TEST(tcp_eof_without_close_notify_reads_as_eof) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  struct test_server_opts opts = {.greeting = "partial",
                                  .eof_after_greeting = true};
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  uint8_t buf[64];
  CHECK_EQ_INT(read_once(&h, buf, sizeof(buf)), 7);
  CHECK_EQ_INT(read_once(&h, buf, sizeof(buf)), 0);
  teardown(&h, true);
}

TEST(eof_during_handshake_is_an_error) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  /* The server vanishes before answering. */
  cn_io_watch_stop(&h.srv.watch);
  shutdown(h.srv.fd, SHUT_WR);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_CONNECTION_CLOSED);
  CHECK(fail_has(&h, "BoringSSL SSL_connect: SSL_ERROR_SYSCALL in "
                     "connection to localhost:443 "));
  teardown(&h, true);
}

/* A socket destroyed from inside its own read callback must not be
 * touched again. */
static void destroy_in_callback(void *ctx, int rv) {
  struct harness *h = ctx;
  (void)rv;
  cn_stream_socket_destroy(h->tls);
  h->tls = NULL;
  h->connect_done = true;
}

TEST(destroy_from_read_callback) {
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  h.connect_done = false;
  uint8_t buf[16];
  CHECK_EQ_INT(
      h.tls->ops->read(h.tls, buf, sizeof(buf), destroy_in_callback, &h),
      CN_ERR_IO_PENDING);
  /* A write queued too, so the ready handler has both to run. */
  struct io_result w = {0};
  int wrv = h.tls->ops->write(h.tls, (const uint8_t *)"x", 1, on_io, &w);
  CHECK(wrv == 1 || wrv == CN_ERR_IO_PENDING);
  CHECK(run_until(&h, &h.connect_done));
  CHECK(h.tls == NULL);
  teardown(&h, true);
}

/* --- sessions, pinning, client certificates, keylog ----------------------- */

static int lock_depth, lock_calls;

static void count_lock(void *arg, bool lock) {
  (void)arg;
  lock_depth += lock ? 1 : -1;
  if (lock)
    lock_calls++;
  CHECK(lock_depth == 0 || lock_depth == 1); /* never nested */
}

TEST(session_resumption_in_shared_context) {
  struct cn_event_loop *loop = cn_event_loop_new();
  struct cn_ssl_client_context *ctx = cn_ssl_client_context_new();
  cn_ssl_client_context_set_lock(ctx, count_lock, NULL);
  SSL_CTX *sctx = test_server_ctx_new(&pki, &echo_h2);
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  uint8_t buf[16];

  struct harness h;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, loop, ctx, sctx), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  /* TLS 1.3 tickets arrive after the handshake: a read takes them in. */
  CHECK_EQ_INT(write_all(&h, (const uint8_t *)"a", 1), 1);
  CHECK_EQ_INT(read_once(&h, buf, sizeof(buf)), 1);
  teardown(&h, false);

  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, loop, ctx, sctx), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  struct cn_tls_info info;
  h.tls->ops->get_tls_info(h.tls, &info);
  CHECK(info.session_reused);
  CHECK_EQ_STR(info.alpn, "h2");
  CHECK(text_has(&h, "SSL reusing session ID"));
  teardown(&h, false);

  /* With the cache off nothing is resumed. */
  cfg.session_cache = false;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, loop, ctx, sctx), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  h.tls->ops->get_tls_info(h.tls, &info);
  CHECK(!info.session_reused);
  teardown(&h, false);

  SSL_CTX_free(sctx);
  cn_ssl_client_context_free(ctx);
  cn_event_loop_free(loop);
  CHECK_EQ_INT(lock_depth, 0);
  CHECK(lock_calls >= 4); /* ctx, lookup and insert at least */
}

static char *leaf_pin(void) {
  uint8_t *spki = NULL;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(pki.leaf), &spki);
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(spki, (size_t)len, md);
  OPENSSL_free(spki);
  char b64[64];
  EVP_EncodeBlock((uint8_t *)b64, md, sizeof(md));
  char *pin = malloc(200);
  snprintf(pin, 200,
           "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;"
           "sha256//%s",
           b64);
  return pin;
}

TEST(pinned_public_key) {
  char *pin = leaf_pin();
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.pinned_pubkey = pin;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  teardown(&h, true);

  cfg.pinned_pubkey = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_SSL_PINNED_KEY_MISMATCH);
  CHECK_EQ_STR(h.fail.data,
               "SSL: public key does not match pinned public key\n");
  teardown(&h, true);

  /* A PEM public key file. */
  char path[] = "/tmp/cn_tls_pin_XXXXXX";
  int fd = mkstemp(path);
  FILE *fp = fdopen(fd, "w");
  PEM_write_PUBKEY(fp, pki.leaf_key);
  fclose(fp);
  cfg.pinned_pubkey = path;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  teardown(&h, true);
  unlink(path);
  free(pin);
}

/* check_client_cert_sent: with |cfg| a server that demands a client
 * certificate gets one, and the connection carries data. */
static void check_client_cert_sent(const struct cn_ssl_config *cfg) {
  struct test_server_opts opts = {.echo = true, .require_client_cert = true};
  struct harness h;
  CHECK_EQ_INT(setup(&h, cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  CHECK_EQ_INT(write_all(&h, (const uint8_t *)"z", 1), 1);
  uint8_t buf[8];
  CHECK_EQ_INT(read_once(&h, buf, sizeof(buf)), 1);
  CHECK(h.srv.got_client_cert);
  teardown(&h, true);
}

TEST(client_certificate_with_encrypted_key) {
  char *cert = test_write_cert_pem(pki.leaf);
  char *key = test_write_key_pem(pki.leaf_key, "s3cret");
  struct test_server_opts opts = {.echo = true, .require_client_cert = true};
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.client_cert = cert;
  cfg.client_key = key;
  cfg.key_password = "s3cret";
  check_client_cert_sent(&cfg);

  cfg.key_password = "wrong";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_INVALID_ARGUMENT);
  CHECK(fail_has(&h, "unable to set private key file: '"));
  teardown(&h, true);

  cfg.client_cert = "/nonexistent/cert.pem";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_SSL_CERT_PROBLEM);
  CHECK(fail_has(&h, "could not load PEM client certificate from "
                     "/nonexistent/cert.pem"));
  teardown(&h, true);
  unlink(cert);
  unlink(key);
  free(cert);
  free(key);
}

/* slurp: the contents of |path| (malloc'd), its length in |*out_len|. */
static char *slurp(const char *path, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  char *data = f ? malloc(65536) : NULL;
  *out_len = data ? fread(data, 1, 65536, f) : 0;
  if (f)
    fclose(f);
  return data;
}

/* CURLOPT_SSLCERT_BLOB / SSLKEY_BLOB: the same certificate and encrypted
 * key from memory; a blob wins over its file; without a key blob or file
 * the key comes from the certificate's blob. */
TEST(client_certificate_from_blobs) {
  char *cert = test_write_cert_pem(pki.leaf);
  char *key = test_write_key_pem(pki.leaf_key, "s3cret");
  size_t cert_len, key_len;
  char *cert_pem = slurp(cert, &cert_len);
  char *key_pem = slurp(key, &key_len);
  CHECK(cert_pem && key_pem);
  struct test_server_opts opts = {.echo = true, .require_client_cert = true};
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.client_cert = "/nonexistent/cert.pem"; /* the blob wins */
  cfg.client_cert_blob = cert_pem;
  cfg.client_cert_blob_len = cert_len;
  cfg.client_key_blob = key_pem;
  cfg.client_key_blob_len = key_len;
  cfg.key_password = "s3cret";
  check_client_cert_sent(&cfg);

  /* one blob holding certificate and key */
  char *both = malloc(cert_len + key_len);
  memcpy(both, cert_pem, cert_len);
  memcpy(both + cert_len, key_pem, key_len);
  cfg.client_cert_blob = both;
  cfg.client_cert_blob_len = cert_len + key_len;
  cfg.client_key_blob = NULL;
  check_client_cert_sent(&cfg);

  /* a certificate blob that is not one */
  cfg.client_cert_blob = "garbage";
  cfg.client_cert_blob_len = 7;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &opts, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(cn_ssl_client_socket_connect(h.tls, on_connect, &h),
               CN_ERR_SSL_CERT_PROBLEM);
  CHECK(fail_has(&h, "could not load PEM client certificate from "
                     "CURLOPT_SSLCERT_BLOB"));
  teardown(&h, true);
  unlink(cert);
  unlink(key);
  free(cert);
  free(key);
  free(cert_pem);
  free(key_pem);
  free(both);
}

/* CURLOPT_ISSUERCERT(_BLOB): the CA that signed the leaf passes, the leaf
 * itself (not its own issuer) fails with libcurl's messages. */
TEST(issuer_certificate_check) {
  char *leaf = test_write_cert_pem(pki.leaf);
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.issuer_blob = pki.ca_pem;
  cfg.issuer_blob_len = pki.ca_pem_len;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  CHECK(text_has(&h, " SSL certificate issuer check ok ((nil))"));
  teardown(&h, true);

  cfg.issuer_blob = NULL;
  cfg.issuer_cert = leaf;
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_SSL_ISSUER_CHECK_FAILED);
  CHECK(fail_has(&h, "SSL: Certificate issuer check failed ("));
  teardown(&h, true);

  cfg.issuer_cert = "/nonexistent/issuer.pem";
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_ERR_SSL_ISSUER_CHECK_FAILED);
  CHECK(fail_has(&h, "SSL: Unable to open issuer cert "
                     "(/nonexistent/issuer.pem)"));
  teardown(&h, true);
  unlink(leaf);
  free(leaf);
}

TEST(keylog_file_gets_nss_lines) {
  char path[] = "/tmp/cn_tls_keylog_XXXXXX";
  close(mkstemp(path));
  setenv("SSLKEYLOGFILE", path, 1);
  CHECK_EQ_INT(cn_tls_global_init(), CN_OK);
  struct harness h;
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  CHECK_EQ_INT(setup(&h, &cfg, "localhost", &echo_h2, NULL, NULL, NULL), CN_OK);
  CHECK_EQ_INT(do_connect(&h), CN_OK);
  teardown(&h, true);
  cn_tls_global_cleanup();
  unsetenv("SSLKEYLOGFILE");
  FILE *fp = fopen(path, "r");
  char text[8192] = "";
  size_t n = fp ? fread(text, 1, sizeof(text) - 1, fp) : 0;
  text[n] = '\0';
  if (fp)
    fclose(fp);
  CHECK(strstr(text, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ") != NULL);
  CHECK(strstr(text, "CLIENT_TRAFFIC_SECRET_0 ") != NULL);
  unlink(path);
}

TEST(library_version_names_boringssl) {
  char expected[32];
  snprintf(expected, sizeof(expected), "BoringSSL/%.8s", CN_BORINGSSL_REVISION);
  CHECK_EQ_STR(cn_tls_library_version(), expected);
}

/* --- allocation failures -------------------------------------------------- */

TEST(allocation_failure_in_socket_creation) {
  struct cn_event_loop *loop = cn_event_loop_new();
  struct cn_ssl_config cfg;
  base_cfg(&cfg);
  cfg.pinned_pubkey = "sha256//x";
  bool succeeded = false;
  for (long n = 1; n < 200 && !succeeded; n++) {
    struct cn_ssl_client_context *ctx = cn_ssl_client_context_new();
    CHECK(ctx != NULL);
    int fds[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    struct cn_stream_socket *transport = cn_test_fd_socket_new(loop, fds[0]);
    struct cn_stream_socket *tls = NULL;
    cn_alloc_fail_nth(n);
    int rv = cn_ssl_client_socket_new(ctx, loop, &cfg, "localhost", 443,
                                      transport, NULL, &tls);
    cn_alloc_fail_nth(0);
    CHECK(rv == CN_OK || rv == CN_ERR_OUT_OF_MEMORY);
    if (rv == CN_OK) {
      succeeded = true;
      cn_stream_socket_destroy(tls);
    } else {
      /* On failure the caller still owns the transport. */
      CHECK(tls == NULL);
      cn_stream_socket_destroy(transport);
    }
    cn_ssl_client_context_free(ctx);
    close(fds[1]);
  }
  CHECK(succeeded);
  cn_event_loop_free(loop);
}

static void ignore_io(void *ctx, unsigned ready) {
  (void)ctx;
  (void)ready;
}

/* The whole scenario with the Nth allocation failing: every run ends
 * (success or an error), none hangs or crashes. */
TEST(allocation_failure_during_handshake_and_io) {
  bool succeeded = false;
  run_limit = 30;
  for (long n = 1; n < 400 && !succeeded; n++) {
    struct harness h;
    struct cn_ssl_config cfg;
    base_cfg(&cfg);
    struct cn_event_loop *loop = cn_event_loop_new();
    struct cn_ssl_client_context *ctx = cn_ssl_client_context_new();
    SSL_CTX *sctx = test_server_ctx_new(&pki, &echo_h2);
    /* Grow the loop's tables first: the test server's watch must not be
     * what fails (a server that never listens would look like a hang). */
    struct cn_io_watch dummy;
    cn_io_watch_init(&dummy, ignore_io, NULL);
    cn_io_watch_start(loop, &dummy, 0, CN_IO_READ);
    cn_event_loop_run_once(loop, 0, NULL, 0);
    cn_io_watch_stop(&dummy);
    cn_alloc_fail_nth(n);
    int rv = setup(&h, &cfg, "localhost", &echo_h2, loop, ctx, sctx);
    if (rv == CN_OK)
      rv = do_connect(&h);
    uint8_t buf[8];
    if (rv == CN_OK) {
      rv = write_all(&h, (const uint8_t *)"q", 1);
      if (rv == 1)
        rv = read_once(&h, buf, sizeof(buf));
    }
    cn_alloc_fail_nth(0);
    CHECK(rv != CN_ERR_TIMED_OUT);
    if (rv == 1)
      succeeded = true;
    teardown(&h, false);
    SSL_CTX_free(sctx);
    cn_ssl_client_context_free(ctx);
    cn_event_loop_free(loop);
  }
  CHECK(succeeded);
  run_limit = 2000;
}

static void init_pki(void) {
  if (!test_pki_make(&pki, "curlium test CA", false) ||
      !test_pki_make(&other_pki, "unrelated test CA", false)) {
    fprintf(stderr, "cannot make test certificates\n");
    exit(1);
  }
}

TEST(make_pki) { init_pki(); }

TEST(free_pki) {
  test_pki_free(&pki);
  test_pki_free(&other_pki);
}

TEST_MAIN(make_pki, handshake_ok_with_ca_blob, wrong_ca_is_authority_invalid,
          name_mismatch_is_common_name_invalid, ip_literal_matches_ip_san_only,
          verify_peer_off_skips_chain_but_not_name,
          expired_leaf_is_date_invalid, unusable_ca_file_is_reported_at_connect,
          ca_file_on_disk_verifies, bad_cipher_list_is_cipher_bad,
          tls12_with_cipher_list, protocol_version_mismatch, alpn_not_agreed,
          data_round_trip, large_echo_with_concurrent_read_and_write,
          close_notify_reads_as_eof, tcp_eof_without_close_notify_reads_as_eof,
          eof_during_handshake_is_an_error, destroy_from_read_callback,
          session_resumption_in_shared_context, pinned_public_key,
          client_certificate_with_encrypted_key, client_certificate_from_blobs,
          issuer_certificate_check, keylog_file_gets_nss_lines,
          library_version_names_boringssl,
          allocation_failure_in_socket_creation,
          allocation_failure_during_handshake_and_io, free_pki)
