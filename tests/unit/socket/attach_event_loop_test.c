/* attach_event_loop_test.c: stream_socket.h's attach_event_loop for the TCP
 * socket and the TLS socket over it: an idle socket leaves its loop (no
 * watch or task left behind), can sit on no loop, and works on the loop it
 * joins; a TLS socket's own pending transport read moves with it. */
#include <fcntl.h>
#include <sys/socket.h>

#include "socket/tcp_client_socket.h"
#include "socket_test_util.h"
#include "test.h"
#include "tls/ssl_client_socket.h"
#include "tls/tls_test_server.h"

static size_t watched(struct cn_event_loop *loop) {
  return cn_event_loop_fill_pollfds(loop, NULL, 0);
}

struct io {
  uint8_t buf[64];
  struct done d;
};

TEST(tcp_socket_moves_between_loops) {
  struct cn_event_loop *a = cn_event_loop_new(), *b = cn_event_loop_new();
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 4);
  struct cn_ip_endpoint peer;
  CHECK(cn_ip_endpoint_parse(&peer, "127.0.0.1", port));
  struct cn_tcp_client_socket *t = cn_tcp_client_socket_new(a, NULL);
  struct cn_stream_socket *s = cn_tcp_client_socket_stream(t);
  struct done c = {0};
  int rv = cn_tcp_client_socket_connect(t, &peer, NULL, on_done, &c);
  if (rv == CN_ERR_IO_PENDING) {
    /* Not idle while connecting. */
    CHECK_EQ_INT(s->ops->attach_event_loop(s, b), CN_ERR_UNEXPECTED);
    CHECK(run_until(a, &c.called, 1000));
    rv = c.rv;
  }
  CHECK_EQ_INT(rv, CN_OK);
  int sfd = accept_one(lfd, 1000);
  CHECK(sfd >= 0);

  /* Off every loop: the fd is watched nowhere, liveness still answers. */
  CHECK_EQ_INT(s->ops->attach_event_loop(s, NULL), CN_OK);
  CHECK_EQ_INT(watched(a), 0);
  CHECK(s->ops->is_connected_and_idle(s));
  /* No loop to wait on: a read that would block cannot be started. */
  struct io r = {0};
  CHECK_EQ_INT(s->ops->read(s, r.buf, sizeof(r.buf), on_done, &r.d),
               CN_ERR_UNEXPECTED);

  CHECK_EQ_INT(s->ops->attach_event_loop(s, b), CN_OK);
  CHECK_EQ_INT(s->ops->read(s, r.buf, sizeof(r.buf), on_done, &r.d),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(watched(a), 0);
  CHECK_EQ_INT(watched(b), 1);
  CHECK_EQ_INT(send(sfd, "hello", 5, 0), 5);
  run_for(a, 20);
  CHECK(!r.d.called);
  CHECK(run_until(b, &r.d.called, 1000));
  CHECK_EQ_INT(r.d.rv, 5);
  CHECK(memcmp(r.buf, "hello", 5) == 0);
  CHECK_EQ_INT(watched(b), 0);

  /* A read pending across a move keeps waiting on the new loop (what a
   * TLS socket's transport read does). */
  struct io r2 = {0};
  CHECK_EQ_INT(s->ops->read(s, r2.buf, sizeof(r2.buf), on_done, &r2.d),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(s->ops->attach_event_loop(s, NULL), CN_OK);
  CHECK_EQ_INT(watched(b), 0);
  CHECK_EQ_INT(s->ops->attach_event_loop(s, a), CN_OK);
  CHECK_EQ_INT(watched(a), 1);
  CHECK_EQ_INT(send(sfd, "x", 1, 0), 1);
  CHECK(run_until(a, &r2.d.called, 1000));
  CHECK_EQ_INT(r2.d.rv, 1);

  cn_stream_socket_destroy(s);
  CHECK_EQ_INT(watched(a), 0);
  close(sfd);
  close(lfd);
  cn_event_loop_free(a);
  cn_event_loop_free(b);
}

/* --- TLS ------------------------------------------------------------------ */

static struct test_pki pki;

/* Runs the client's loop and the server's loop in turn. */
static bool run_both(struct cn_event_loop *client, struct cn_event_loop *srv,
                     const bool *flag) {
  for (int i = 0; i < 2000 && !*flag; i++) {
    cn_event_loop_run_once(srv, 0, NULL, 0);
    cn_event_loop_run_once(client, 1, NULL, 0);
  }
  return *flag;
}

TEST(tls_socket_moves_with_its_transport) {
  CHECK(test_pki_make(&pki, "attach test CA", false));
  struct cn_event_loop *a = cn_event_loop_new(), *b = cn_event_loop_new();
  struct cn_event_loop *srv_loop = cn_event_loop_new();
  struct test_server_opts sopts = {.echo = true};
  SSL_CTX *server_ctx = test_server_ctx_new(&pki, &sopts);
  struct test_server srv;
  int fds[2];
  CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  CHECK(test_server_start(&srv, srv_loop, server_ctx, fds[1], &sopts));

  struct cn_ssl_client_context *ctx = cn_ssl_client_context_new();
  struct cn_ssl_config cfg;
  cn_ssl_config_init(&cfg);
  cfg.ca_blob = pki.ca_pem;
  cfg.ca_blob_len = pki.ca_pem_len;
  struct cn_tcp_client_socket *t = cn_tcp_client_socket_adopt(a, fds[0], NULL);
  struct cn_stream_socket *tls = NULL;
  CHECK_EQ_INT(cn_ssl_client_socket_new(ctx, a, &cfg, "localhost", 443,
                                        cn_tcp_client_socket_stream(t), NULL,
                                        &tls),
               CN_OK);
  struct done c = {0};
  int rv = cn_ssl_client_socket_connect(tls, on_done, &c);
  if (rv == CN_ERR_IO_PENDING) {
    /* Not idle during the handshake. */
    CHECK_EQ_INT(tls->ops->attach_event_loop(tls, b), CN_ERR_UNEXPECTED);
    CHECK(run_both(a, srv_loop, &c.called));
    rv = c.rv;
  }
  CHECK_EQ_INT(rv, CN_OK);

  /* One exchange on loop A. */
  struct io r = {0};
  CHECK_EQ_INT(tls->ops->write(tls, (const uint8_t *)"ping", 4, on_done, &r.d),
               4);
  rv = tls->ops->read(tls, r.buf, sizeof(r.buf), on_done, &r.d);
  if (rv == CN_ERR_IO_PENDING) {
    CHECK(run_both(a, srv_loop, &r.d.called));
    rv = r.d.rv;
  }
  CHECK_EQ_INT(rv, 4);

  /* Idle as the pool leaves it: a read started, then dropped; the TLS
   * layer's transport read stays pending underneath. */
  struct io idle = {0};
  CHECK_EQ_INT(
      tls->ops->read(tls, idle.buf, sizeof(idle.buf), on_done, &idle.d),
      CN_ERR_IO_PENDING);
  tls->ops->cancel_io(tls);
  CHECK_EQ_INT(watched(a), 1);
  CHECK_EQ_INT(tls->ops->attach_event_loop(tls, NULL), CN_OK);
  CHECK_EQ_INT(watched(a), 0);
  CHECK(tls->ops->is_connected_and_idle(tls));
  CHECK_EQ_INT(tls->ops->attach_event_loop(tls, b), CN_OK);
  CHECK_EQ_INT(watched(b), 1);

  /* Works on loop B; loop A is never needed again. */
  struct io r2 = {0};
  CHECK_EQ_INT(
      tls->ops->write(tls, (const uint8_t *)"moved", 5, on_done, &r2.d), 5);
  rv = tls->ops->read(tls, r2.buf, sizeof(r2.buf), on_done, &r2.d);
  if (rv == CN_ERR_IO_PENDING) {
    CHECK(run_both(b, srv_loop, &r2.d.called));
    rv = r2.d.rv;
  }
  CHECK_EQ_INT(rv, 5);
  CHECK(memcmp(r2.buf, "moved", 5) == 0);
  CHECK(!idle.d.called);
  CHECK_EQ_INT(watched(a), 0);

  cn_stream_socket_destroy(tls);
  CHECK_EQ_INT(watched(b), 0);
  test_server_stop(&srv);
  SSL_CTX_free(server_ctx);
  cn_ssl_client_context_free(ctx);
  cn_event_loop_free(a);
  cn_event_loop_free(b);
  cn_event_loop_free(srv_loop);
  test_pki_free(&pki);
}

TEST_MAIN(tcp_socket_moves_between_loops, tls_socket_moves_with_its_transport)
