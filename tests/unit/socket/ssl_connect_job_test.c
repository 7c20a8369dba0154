/* ssl_connect_job_test.c: the pool's connect job without TLS (plain
 * sockets skip the handshake), CONNECT_TO, handle filling and the
 * "Connected to" line. TLS handshakes are tested with lib/tls's server
 * fixtures, not here. */
#include "socket/ssl_connect_job.h"

#include "dns/host_resolver.h"
#include "socket_test_util.h"
#include "test.h"

struct env {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  struct log_recorder rec;
  struct cn_net_log log;
};

static void env_init(struct env *e) {
  e->loop = cn_event_loop_new();
  e->resolver = cn_host_resolver_new(e->loop);
  e->log = recorder_log(&e->rec);
}

static void env_cleanup(struct env *e) {
  cn_host_resolver_free(e->resolver);
  cn_event_loop_free(e->loop);
}

static void params_init(struct cn_socket_params *p, struct env *e,
                        const char *host, int port) {
  memset(p, 0, sizeof(*p));
  p->host = host;
  p->port = port;
  p->tcp_nodelay = true;
  p->dns_cache_timeout_s = 60;
  p->log = &e->log;
}

static int run_job(struct env *e, const struct cn_socket_params *p,
                   struct cn_client_socket_handle *h) {
  struct done d = {0};
  struct cn_ssl_connect_job *job =
      cn_ssl_connect_job_new(e->loop, e->resolver, NULL, p, on_done, &d);
  int rv = cn_ssl_connect_job_connect(job);
  if (rv == CN_ERR_IO_PENDING) {
    CHECK(!d.called);
    CHECK(run_until(e->loop, &d.called, 3000));
    rv = d.rv;
  }
  if (rv == CN_OK)
    cn_ssl_connect_job_take_result(job, h);
  cn_ssl_connect_job_free(job);
  return rv;
}

TEST(plain_connect_fills_handle_and_logs_connected) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", port);
  struct cn_client_socket_handle h;
  memset(&h, 0, sizeof(h));
  CHECK_EQ_INT(run_job(&e, &p, &h), CN_OK);
  CHECK(h.socket != NULL);
  CHECK_EQ_INT(cn_ip_endpoint_port(&h.peer), port);
  CHECK_EQ_INT(cn_ip_endpoint_family(&h.local), AF_INET);
  CHECK(h.timing.dns_start_us > 0);
  CHECK(h.timing.connect_end_us >= h.timing.connect_start_us);
  CHECK(h.timing.connect_start_us > 0);
  CHECK_EQ_INT(h.timing.tls_start_us, 0);
  char line[80];
  snprintf(line, sizeof(line), "Connected to 127.0.0.1 (127.0.0.1) port %d\n",
           port);
  CHECK(strstr(e.rec.text, line) != NULL);
  cn_stream_socket_destroy(h.socket);
  close(lfd);
  env_cleanup(&e);
}

TEST(connect_to_replaces_host_and_port) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_socket_params p;
  /* The URL names a host that does not resolve; CONNECT_TO sends us to
   * the listener instead. */
  params_init(&p, &e, "example.invalid", 1);
  p.connect_host = "127.0.0.1";
  p.connect_port = port;
  struct cn_client_socket_handle h;
  memset(&h, 0, sizeof(h));
  CHECK_EQ_INT(run_job(&e, &p, &h), CN_OK);
  CHECK_EQ_INT(cn_ip_endpoint_port(&h.peer), port);
  char line[80];
  snprintf(line, sizeof(line), "Connected to 127.0.0.1 (127.0.0.1) port %d\n",
           port);
  CHECK(strstr(e.rec.text, line) != NULL);
  cn_stream_socket_destroy(h.socket);

  /* A port-only CONNECT_TO keeps the host. */
  params_init(&p, &e, "127.0.0.1", 1);
  p.connect_port = port;
  memset(&h, 0, sizeof(h));
  CHECK_EQ_INT(run_job(&e, &p, &h), CN_OK);
  CHECK_EQ_INT(cn_ip_endpoint_port(&h.peer), port);
  cn_stream_socket_destroy(h.socket);
  close(lfd);
  env_cleanup(&e);
}

TEST(tls_without_context_fails_cleanly) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", port);
  p.use_tls = true;
  struct cn_client_socket_handle h;
  memset(&h, 0, sizeof(h));
  CHECK_EQ_INT(run_job(&e, &p, &h), CN_ERR_SSL_ENGINE_INIT_FAILED);
  CHECK(h.socket == NULL);
  CHECK_EQ_INT(e.rec.num_fail, 1);
  close(lfd);
  env_cleanup(&e);
}

TEST(refused_propagates) {
  struct env e;
  env_init(&e);
  int port = closed_port("127.0.0.1");
  struct cn_socket_params p;
  params_init(&p, &e, "127.0.0.1", port);
  struct cn_client_socket_handle h;
  memset(&h, 0, sizeof(h));
  CHECK_EQ_INT(run_job(&e, &p, &h), CN_ERR_CONNECTION_REFUSED);
  CHECK(strstr(e.rec.text, "Connected to") == NULL);
  env_cleanup(&e);
}

TEST_MAIN(plain_connect_fills_handle_and_logs_connected,
          connect_to_replaces_host_and_port, tls_without_context_fails_cleanly,
          refused_propagates)
