/* transport_connect_job_test.c: resolve + happy eyeballs + timeouts against
 * loopback listeners. */
#include "socket/transport_connect_job.h"

#include <poll.h>

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

static void params_init(struct cn_transport_connect_params *p, struct env *e,
                        const char *host, int port) {
  memset(p, 0, sizeof(*p));
  p->host = host;
  p->port = port;
  p->family = CN_IP_ANY;
  p->dns_cache_timeout_s = 60;
  cn_tcp_socket_options_init(&p->tcp);
  p->log = &e->log;
}

/* Runs a job to completion; returns its result and, on success, its
 * socket (caller destroys). */
static int run_job(struct env *e, const struct cn_transport_connect_params *p,
                   struct cn_stream_socket **out_socket,
                   struct cn_transport_connect_timing *timing, int max_ms) {
  struct done d = {0};
  struct cn_transport_connect_job *job =
      cn_transport_connect_job_new(e->loop, e->resolver, p, on_done, &d);
  CHECK(job != NULL);
  if (!job)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_transport_connect_job_connect(job);
  if (rv == CN_ERR_IO_PENDING) {
    CHECK(!d.called);
    CHECK(run_until(e->loop, &d.called, max_ms));
    rv = d.called ? d.rv : CN_ERR_IO_PENDING;
    CHECK_EQ_INT(d.times, 1);
  }
  if (timing)
    cn_transport_connect_job_timing(job, timing);
  if (out_socket)
    *out_socket = cn_transport_connect_job_take_socket(job);
  cn_transport_connect_job_free(job);
  return rv;
}

/* Fills the accept queue of a listen(fd, 0) socket so that the kernel drops
 * further SYNs: the next connect hangs. Returns the number of client fds
 * written to |clients|, the last one being stuck, or -1. */
static int fill_backlog(const char *ip, int port, int *clients, int max) {
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_parse(&ep, ip, port);
  for (int n = 0; n < max; n++) {
    int fd = socket(cn_ip_endpoint_family(&ep),
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    clients[n] = fd;
    connect(fd, (struct sockaddr *)&ep.addr, ep.len);
    struct pollfd pfd = {fd, POLLOUT, 0};
    if (poll(&pfd, 1, 300) == 0)
      return n + 1;
  }
  return -1;
}

static void close_all(int *fds, int n) {
  for (int i = 0; i < n; i++)
    close(fds[i]);
}

TEST(connects_to_numeric_host) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_transport_connect_params p;
  params_init(&p, &e, "127.0.0.1", port);
  struct cn_stream_socket *s = NULL;
  struct cn_transport_connect_timing t;
  CHECK_EQ_INT(run_job(&e, &p, &s, &t, 2000), CN_OK);
  CHECK(s != NULL);
  if (s) {
    struct cn_ip_endpoint peer;
    CHECK_EQ_INT(s->ops->get_peer_address(s, &peer), CN_OK);
    CHECK_EQ_INT(cn_ip_endpoint_port(&peer), port);
  }
  char line[64];
  snprintf(line, sizeof(line), "  Trying 127.0.0.1:%d...\n", port);
  CHECK(strstr(e.rec.text, line) != NULL);
  CHECK(t.dns_start_us > 0 && t.dns_end_us >= t.dns_start_us);
  CHECK(t.connect_start_us >= t.dns_end_us);
  CHECK(t.connect_end_us >= t.connect_start_us);
  CHECK_EQ_INT(e.rec.num_fail, 0);
  cn_stream_socket_destroy(s);
  close(lfd);
  env_cleanup(&e);
}

TEST(refused_reports_libcurl_message) {
  struct env e;
  env_init(&e);
  int port = closed_port("127.0.0.1");
  struct cn_transport_connect_params p;
  params_init(&p, &e, "127.0.0.1", port);
  p.family = CN_IP_V4;
  struct cn_stream_socket *s = NULL;
  CHECK_EQ_INT(run_job(&e, &p, &s, NULL, 2000), CN_ERR_CONNECTION_REFUSED);
  CHECK(s == NULL);
  char prefix[80];
  snprintf(prefix, sizeof(prefix),
           "Failed to connect to 127.0.0.1 port %d after ", port);
  CHECK(has_prefix_suffix(e.rec.fail, prefix,
                          " ms: Couldn't connect to server"));
  CHECK(strstr(e.rec.text, "Connection refused") != NULL);

  /* The display name, not the address, goes into the message. */
  e.log = recorder_log(&e.rec);
  params_init(&p, &e, "127.0.0.1", port);
  p.display_host = "localhost";
  CHECK_EQ_INT(run_job(&e, &p, NULL, NULL, 2000), CN_ERR_CONNECTION_REFUSED);
  snprintf(prefix, sizeof(prefix),
           "Failed to connect to localhost port %d after ", port);
  CHECK(has_prefix_suffix(e.rec.fail, prefix,
                          " ms: Couldn't connect to server"));
  env_cleanup(&e);
}

TEST(happy_eyeballs_falls_back_to_ipv4) {
  if (!ipv6_loopback_usable()) {
    printf("skip happy_eyeballs_falls_back_to_ipv4: no ::1\n");
    return;
  }
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  /* "localhost" gives ::1 first; nothing listens there, so v6 is refused
   * and v4 must win. */
  int v6port = port;
  int probe = listen_on("::1", &v6port, 1);
  if (probe < 0) {
    printf("skip happy_eyeballs_falls_back_to_ipv4: ::1 port busy\n");
    close(lfd);
    env_cleanup(&e);
    return;
  }
  close(probe);
  struct cn_transport_connect_params p;
  params_init(&p, &e, "localhost", port);
  struct cn_stream_socket *s = NULL;
  CHECK_EQ_INT(run_job(&e, &p, &s, NULL, 3000), CN_OK);
  if (s) {
    struct cn_ip_endpoint peer;
    char ip[CN_IP_STRING_MAX];
    s->ops->get_peer_address(s, &peer);
    cn_ip_endpoint_address_string(&peer, ip, sizeof(ip));
    CHECK_EQ_STR(ip, "127.0.0.1");
  }
  char v6line[64], v4line[64];
  snprintf(v6line, sizeof(v6line), "  Trying [::1]:%d...\n", port);
  snprintf(v4line, sizeof(v4line), "  Trying 127.0.0.1:%d...\n", port);
  const char *a = strstr(e.rec.text, v6line);
  const char *b = strstr(e.rec.text, v4line);
  CHECK(a != NULL && b != NULL && a < b);
  CHECK_EQ_INT(e.rec.num_fail, 0);
  cn_stream_socket_destroy(s);
  close(lfd);
  env_cleanup(&e);
}

TEST(happy_eyeballs_starts_next_family_after_delay) {
  if (!ipv6_loopback_usable()) {
    printf("skip happy_eyeballs_starts_next_family_after_delay: no ::1\n");
    return;
  }
  struct env e;
  env_init(&e);
  /* ::1 accepts nothing (full backlog: SYNs dropped, the attempt hangs);
   * 127.0.0.1 on the same port answers. */
  int port = 0, v6 = -1, v4 = -1;
  for (int i = 0; i < 20 && v4 < 0; i++) {
    port = 0;
    v6 = listen_on("::1", &port, 0);
    v4 = listen_on("127.0.0.1", &port, 8);
    if (v4 < 0)
      close(v6);
  }
  int clients[16];
  int n = fill_backlog("::1", port, clients, 16);
  if (v4 < 0 || n < 0) {
    printf("skip happy_eyeballs_starts_next_family_after_delay: "
           "cannot stall ::1\n");
    if (n > 0)
      close_all(clients, n);
    env_cleanup(&e);
    return;
  }
  char line[96];
  snprintf(line, sizeof(line), "he.test:%d:[::1],127.0.0.1", port);
  CHECK_EQ_INT(cn_host_resolver_add_override(e.resolver, line), CN_OK);

  struct cn_transport_connect_params p;
  params_init(&p, &e, "he.test", port);
  p.happy_eyeballs_ms = 150;
  int64_t start = cn_time_now_us();
  struct cn_stream_socket *s = NULL;
  CHECK_EQ_INT(run_job(&e, &p, &s, NULL, 3000), CN_OK);
  int64_t took_ms = (cn_time_now_us() - start) / 1000;
  CHECK(took_ms >= 140);  /* v4 waited for the delay ... */
  CHECK(took_ms < 1000);  /* ... not for the v6 SYN retransmit */
  if (s) {
    struct cn_ip_endpoint peer;
    s->ops->get_peer_address(s, &peer);
    CHECK_EQ_INT(cn_ip_endpoint_family(&peer), AF_INET);
  }
  cn_stream_socket_destroy(s);
  close_all(clients, n);
  close(v6);
  close(v4);
  env_cleanup(&e);
}

TEST(connect_timeout_on_full_backlog) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 0);
  int clients[16];
  int n = fill_backlog("127.0.0.1", port, clients, 16);
  if (n < 0) {
    printf("skip connect_timeout_on_full_backlog: backlog never filled\n");
    close(lfd);
    env_cleanup(&e);
    return;
  }
  struct cn_transport_connect_params p;
  params_init(&p, &e, "127.0.0.1", port);
  p.timeout_ms = 300;
  int64_t start = cn_time_now_us();
  CHECK_EQ_INT(run_job(&e, &p, NULL, NULL, 3000), CN_ERR_CONNECTION_TIMED_OUT);
  int64_t took_ms = (cn_time_now_us() - start) / 1000;
  CHECK(took_ms >= 290 && took_ms < 1500);
  CHECK(has_prefix_suffix(e.rec.fail, "Connection timed out after ",
                          " milliseconds"));
  CHECK_EQ_INT(e.rec.num_fail, 1);
  close_all(clients, n);
  close(lfd);
  env_cleanup(&e);
}

TEST(family_preference_skips_other_family) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 8);
  struct cn_transport_connect_params p;
  params_init(&p, &e, "localhost", port);
  p.family = CN_IP_V4;
  struct cn_stream_socket *s = NULL;
  CHECK_EQ_INT(run_job(&e, &p, &s, NULL, 2000), CN_OK);
  CHECK(strstr(e.rec.text, "Trying [") == NULL);
  cn_stream_socket_destroy(s);
  close(lfd);
  env_cleanup(&e);
}

TEST(free_while_pending_never_calls_back) {
  struct env e;
  env_init(&e);
  int port = 0;
  int lfd = listen_on("127.0.0.1", &port, 0);
  int clients[16];
  int n = fill_backlog("127.0.0.1", port, clients, 16);
  struct cn_transport_connect_params p;
  params_init(&p, &e, "127.0.0.1", port);
  p.timeout_ms = 50;
  struct done d = {0};
  struct cn_transport_connect_job *job =
      cn_transport_connect_job_new(e.loop, e.resolver, &p, on_done, &d);
  int rv = cn_transport_connect_job_connect(job);
  cn_transport_connect_job_free(job);
  run_for(e.loop, 120);
  CHECK(rv == CN_ERR_IO_PENDING || n < 0);
  CHECK(!d.called);
  CHECK_EQ_INT(cn_event_loop_timeout_ms(e.loop), -1); /* no timer left */
  if (n > 0)
    close_all(clients, n);
  close(lfd);
  env_cleanup(&e);
}

TEST_MAIN(connects_to_numeric_host, refused_reports_libcurl_message,
          happy_eyeballs_falls_back_to_ipv4,
          happy_eyeballs_starts_next_family_after_delay,
          connect_timeout_on_full_backlog, family_preference_skips_other_family,
          free_while_pending_never_calls_back)
