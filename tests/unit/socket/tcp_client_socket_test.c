/* tcp_client_socket_test.c: TCP connect, I/O, liveness and local binding
 * against real loopback listeners. */
#include "socket/tcp_client_socket.h"

#include <netinet/tcp.h>
#include <signal.h>

#include "socket/local_bind.h"
#include "socket_test_util.h"
#include "test.h"

struct fixture {
  struct cn_event_loop *loop;
  struct cn_tcp_client_socket *tcp;
  struct cn_stream_socket *s;
  int lfd, sfd, port;
};

/* Connects a client to a fresh 127.0.0.1 listener and accepts it. */
static bool connect_pair(struct fixture *f,
                         const struct cn_tcp_socket_options *opts) {
  memset(f, 0, sizeof(*f));
  f->sfd = -1;
  f->loop = cn_event_loop_new();
  f->lfd = listen_on("127.0.0.1", &f->port, 8);
  if (!f->loop || f->lfd < 0)
    return false;
  f->tcp = cn_tcp_client_socket_new(f->loop, NULL);
  f->s = cn_tcp_client_socket_stream(f->tcp);
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_parse(&ep, "127.0.0.1", f->port);
  struct done d = {0};
  int rv = cn_tcp_client_socket_connect(f->tcp, &ep, opts, on_done, &d);
  if (rv == CN_ERR_IO_PENDING) {
    /* Never reported from inside the call that started it. */
    CHECK(!d.called);
    run_until(f->loop, &d.called, 2000);
    rv = d.rv;
  }
  CHECK_EQ_INT(rv, CN_OK);
  f->sfd = accept_one(f->lfd, 2000);
  return rv == CN_OK && f->sfd >= 0;
}

static void teardown(struct fixture *f) {
  cn_stream_socket_destroy(f->s);
  if (f->sfd >= 0)
    close(f->sfd);
  if (f->lfd >= 0)
    close(f->lfd);
  cn_event_loop_free(f->loop);
}

TEST(connect_write_read_round_trip) {
  struct fixture f;
  if (!connect_pair(&f, NULL)) {
    teardown(&f);
    CHECK(!"setup");
    return;
  }
  CHECK(f.s->ops->get_fd(f.s) >= 0);
  struct cn_ip_endpoint peer, local;
  CHECK_EQ_INT(f.s->ops->get_peer_address(f.s, &peer), CN_OK);
  CHECK_EQ_INT(cn_ip_endpoint_port(&peer), f.port);
  CHECK_EQ_INT(f.s->ops->get_local_address(f.s, &local), CN_OK);
  CHECK_EQ_INT(cn_ip_endpoint_family(&local), AF_INET);

  struct done wd = {0};
  int rv = f.s->ops->write(f.s, (const uint8_t *)"hello", 5, on_done, &wd);
  CHECK_EQ_INT(rv, 5);
  char got[16] = {0};
  int64_t end = cn_time_now_us() + 2000000;
  ssize_t n = -1;
  while (n < 0 && cn_time_now_us() < end)
    n = recv(f.sfd, got, sizeof(got), MSG_DONTWAIT);
  CHECK_EQ_INT(n, 5);
  CHECK_EQ_STR(got, "hello");

  /* Nothing to read yet: the read waits and completes from the loop. */
  uint8_t buf[16] = {0};
  struct done rd = {0};
  rv = f.s->ops->read(f.s, buf, sizeof(buf), on_done, &rd);
  CHECK_EQ_INT(rv, CN_ERR_IO_PENDING);
  CHECK(!rd.called);
  CHECK_EQ_INT(send(f.sfd, "world!", 6, 0), 6);
  CHECK(run_until(f.loop, &rd.called, 2000));
  CHECK_EQ_INT(rd.rv, 6);
  CHECK(memcmp(buf, "world!", 6) == 0);
  CHECK_EQ_INT(rd.times, 1);

  /* EOF after the server closes. */
  close(f.sfd);
  f.sfd = -1;
  struct done ed = {0};
  rv = f.s->ops->read(f.s, buf, sizeof(buf), on_done, &ed);
  if (rv == CN_ERR_IO_PENDING) {
    run_until(f.loop, &ed.called, 2000);
    rv = ed.rv;
  }
  CHECK_EQ_INT(rv, 0);
  teardown(&f);
}

TEST(cancel_io_drops_pending_read) {
  struct fixture f;
  if (!connect_pair(&f, NULL)) {
    teardown(&f);
    CHECK(!"setup");
    return;
  }
  uint8_t buf[8];
  struct done rd = {0};
  CHECK_EQ_INT(f.s->ops->read(f.s, buf, sizeof(buf), on_done, &rd),
               CN_ERR_IO_PENDING);
  f.s->ops->cancel_io(f.s);
  send(f.sfd, "x", 1, 0);
  run_for(f.loop, 50);
  CHECK(!rd.called);
  teardown(&f);
}

TEST(refused_port_is_connection_refused) {
  struct cn_event_loop *loop = cn_event_loop_new();
  int port = closed_port("127.0.0.1");
  struct cn_tcp_client_socket *tcp = cn_tcp_client_socket_new(loop, NULL);
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_parse(&ep, "127.0.0.1", port);
  struct done d = {0};
  int rv = cn_tcp_client_socket_connect(tcp, &ep, NULL, on_done, &d);
  if (rv == CN_ERR_IO_PENDING) {
    CHECK(run_until(loop, &d.called, 2000));
    rv = d.rv;
  }
  CHECK_EQ_INT(rv, CN_ERR_CONNECTION_REFUSED);
  CHECK_EQ_INT(cn_tcp_client_socket_os_error(tcp), ECONNREFUSED);
  struct cn_stream_socket *s = cn_tcp_client_socket_stream(tcp);
  CHECK(!s->ops->is_connected_and_idle(s));
  uint8_t b;
  CHECK_EQ_INT(s->ops->read(s, &b, 1, on_done, &d),
               CN_ERR_SOCKET_NOT_CONNECTED);
  cn_stream_socket_destroy(s);
  cn_event_loop_free(loop);
}

TEST(idle_check_sees_data_and_close) {
  struct fixture f;
  if (!connect_pair(&f, NULL)) {
    teardown(&f);
    CHECK(!"setup");
    return;
  }
  CHECK(f.s->ops->is_connected_and_idle(f.s));
  send(f.sfd, "junk", 4, 0);
  usleep(20000);
  CHECK(!f.s->ops->is_connected_and_idle(f.s)); /* unread bytes */
  /* The peek must not consume: the bytes are still readable. */
  uint8_t buf[8];
  struct done d = {0};
  CHECK_EQ_INT(f.s->ops->read(f.s, buf, sizeof(buf), on_done, &d), 4);
  CHECK(f.s->ops->is_connected_and_idle(f.s));
  close(f.sfd);
  f.sfd = -1;
  usleep(20000);
  CHECK(!f.s->ops->is_connected_and_idle(f.s)); /* peer closed */
  teardown(&f);
}

TEST(write_to_closed_peer_errors_without_sigpipe) {
  struct fixture f;
  if (!connect_pair(&f, NULL)) {
    teardown(&f);
    CHECK(!"setup");
    return;
  }
  /* Default SIGPIPE disposition kills the process: surviving is the test.
   * The peer closes gracefully; our first write draws its RST, and writing
   * on after that is what raises SIGPIPE without MSG_NOSIGNAL. */
  signal(SIGPIPE, SIG_DFL);
  close(f.sfd);
  f.sfd = -1;
  usleep(20000);
  static uint8_t block[4096];
  int rv = 0;
  struct done d = {0};
  for (int i = 0; i < 100 && rv >= 0; i++) {
    rv = f.s->ops->write(f.s, block, sizeof(block), on_done, &d);
    if (rv == CN_ERR_IO_PENDING) {
      run_until(f.loop, &d.called, 1000);
      rv = d.rv;
      d.called = false;
    }
  }
  CHECK(rv == CN_ERR_CONNECTION_RESET);
  teardown(&f);
}

TEST(options_nodelay_and_keepalive) {
  struct cn_tcp_socket_options opts;
  cn_tcp_socket_options_init(&opts);
  CHECK(opts.nodelay);
  opts.keepalive = true;
  opts.keepidle_s = 7;
  opts.keepintvl_s = 3;
  struct fixture f;
  if (!connect_pair(&f, &opts)) {
    teardown(&f);
    CHECK(!"setup");
    return;
  }
  int fd = f.s->ops->get_fd(f.s), v = 0;
  socklen_t len = sizeof(v);
  getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
  CHECK(v != 0);
  getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &len);
  CHECK(v != 0);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, &len);
  CHECK_EQ_INT(v, 7);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &v, &len);
  CHECK_EQ_INT(v, 3);
  teardown(&f);

  cn_tcp_socket_options_init(&opts);
  opts.nodelay = false;
  if (!connect_pair(&f, &opts)) {
    teardown(&f);
    CHECK(!"setup");
    return;
  }
  fd = f.s->ops->get_fd(f.s);
  getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len);
  CHECK_EQ_INT(v, 0);
  getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &len);
  CHECK_EQ_INT(v, 0);
  teardown(&f);
}

TEST(local_port_and_range) {
  /* Occupy a port so the range has to move past it. */
  int busy_port = 0;
  int busy = listen_on("127.0.0.1", &busy_port, 1);
  CHECK(busy >= 0);
  struct cn_tcp_socket_options opts;
  cn_tcp_socket_options_init(&opts);
  opts.local_port = busy_port;
  opts.local_port_range = 20;
  struct fixture f;
  if (connect_pair(&f, &opts)) {
    struct cn_ip_endpoint local;
    f.s->ops->get_local_address(f.s, &local);
    int lp = cn_ip_endpoint_port(&local);
    CHECK(lp > busy_port && lp < busy_port + 20);
  } else {
    CHECK(!"connect with a local port range");
  }
  teardown(&f);

  /* Range 1 on a busy port: bind fails with libcurl's message. */
  struct log_recorder rec;
  struct cn_net_log log = recorder_log(&rec);
  struct cn_event_loop *loop = cn_event_loop_new();
  struct cn_tcp_client_socket *tcp = cn_tcp_client_socket_new(loop, &log);
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_parse(&ep, "127.0.0.1", busy_port);
  opts.local_port_range = 1;
  struct done d = {0};
  CHECK_EQ_INT(cn_tcp_client_socket_connect(tcp, &ep, &opts, on_done, &d),
               CN_ERR_LOCAL_BIND_FAILED);
  CHECK(has_prefix_suffix(rec.fail, "bind failed with errno ",
                          ": Address already in use"));
  cn_stream_socket_destroy(cn_tcp_client_socket_stream(tcp));
  cn_event_loop_free(loop);
  close(busy);
}

TEST(interface_host_and_missing_interface) {
  struct cn_tcp_socket_options opts;
  cn_tcp_socket_options_init(&opts);
  opts.interface_name = "host!127.0.0.1";
  struct fixture f;
  if (connect_pair(&f, &opts)) {
    struct cn_ip_endpoint local;
    char ip[CN_IP_STRING_MAX];
    f.s->ops->get_local_address(f.s, &local);
    cn_ip_endpoint_address_string(&local, ip, sizeof(ip));
    CHECK_EQ_STR(ip, "127.0.0.1");
  } else {
    CHECK(!"connect bound to host!127.0.0.1");
  }
  teardown(&f);

  struct log_recorder rec;
  struct cn_net_log log = recorder_log(&rec);
  struct cn_event_loop *loop = cn_event_loop_new();
  struct cn_tcp_client_socket *tcp = cn_tcp_client_socket_new(loop, &log);
  struct cn_ip_endpoint ep;
  cn_ip_endpoint_parse(&ep, "127.0.0.1", 9);
  opts.interface_name = "if!nosuchif0";
  struct done d = {0};
  CHECK_EQ_INT(cn_tcp_client_socket_connect(tcp, &ep, &opts, on_done, &d),
               CN_ERR_LOCAL_BIND_FAILED);
  CHECK(strncmp(rec.fail, "Couldn't bind to interface 'nosuchif0' with errno ",
                50) == 0);
  cn_stream_socket_destroy(cn_tcp_client_socket_stream(tcp));
  cn_event_loop_free(loop);
}

TEST(interface_spec_parsing) {
  struct cn_local_bind_spec sp;
  char store[64];
  CHECK(cn_local_bind_parse(&sp, "if!eth0", store, sizeof(store)));
  CHECK_EQ_STR(sp.iface, "eth0");
  CHECK(sp.host == NULL && sp.iface_only && !sp.host_given);
  CHECK(cn_local_bind_parse(&sp, "host!example.com", store, sizeof(store)));
  CHECK(sp.iface == NULL);
  CHECK_EQ_STR(sp.host, "example.com");
  CHECK(sp.host_given);
  CHECK(cn_local_bind_parse(&sp, "ifhost!eth1!10.0.0.1", store, sizeof(store)));
  CHECK_EQ_STR(sp.iface, "eth1");
  CHECK_EQ_STR(sp.host, "10.0.0.1");
  CHECK(!cn_local_bind_parse(&sp, "ifhost!eth1", store, sizeof(store)));
  CHECK(cn_local_bind_parse(&sp, "lo", store, sizeof(store)));
  CHECK_EQ_STR(sp.iface, "lo");
  CHECK_EQ_STR(sp.host, "lo");
  CHECK(!sp.iface_only && !sp.host_given);
}

TEST(adopt_wraps_connected_fd) {
  struct cn_event_loop *loop = cn_event_loop_new();
  int pair[2];
  CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  struct cn_tcp_client_socket *tcp = cn_tcp_client_socket_adopt(loop, pair[0],
                                                                NULL);
  struct cn_stream_socket *s = cn_tcp_client_socket_stream(tcp);
  CHECK_EQ_INT(s->ops->get_fd(s), pair[0]);
  uint8_t buf[4];
  struct done d = {0};
  CHECK_EQ_INT(s->ops->read(s, buf, sizeof(buf), on_done, &d),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(write(pair[1], "abc", 3), 3);
  CHECK(run_until(loop, &d.called, 1000));
  CHECK_EQ_INT(d.rv, 3);
  cn_stream_socket_destroy(s);
  close(pair[1]);
  cn_event_loop_free(loop);
}

TEST_MAIN(connect_write_read_round_trip, cancel_io_drops_pending_read,
          refused_port_is_connection_refused, idle_check_sees_data_and_close,
          write_to_closed_peer_errors_without_sigpipe,
          options_nodelay_and_keepalive, local_port_and_range,
          interface_host_and_missing_interface, interface_spec_parsing,
          adopt_wraps_connected_fd)
