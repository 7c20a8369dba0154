/* socket_test_util.h: loopback listeners, a log recorder and loop helpers
 * shared by the socket unit tests (header-only: each test is one program). */
#ifndef CN_TESTS_UNIT_SOCKET_TEST_UTIL_H
#define CN_TESTS_UNIT_SOCKET_TEST_UTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/event_loop.h"
#include "util/net_log.h"
#include "util/time.h"

/* listen_on opens a non-blocking listener on |ip| (numeric) with port 0,
 * or |*port| when non-zero; writes the port. -1 on failure. */
static inline int listen_on(const char *ip, int *port, int backlog) {
  struct sockaddr_storage ss;
  socklen_t len;
  memset(&ss, 0, sizeof(ss));
  int family = strchr(ip, ':') ? AF_INET6 : AF_INET;
  if (family == AF_INET) {
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    in4->sin_family = AF_INET;
    in4->sin_port = htons((unsigned short)*port);
    inet_pton(AF_INET, ip, &in4->sin_addr);
    len = sizeof(*in4);
  } else {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((unsigned short)*port);
    inet_pton(AF_INET6, ip, &in6->sin6_addr);
    len = sizeof(*in6);
  }
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (family == AF_INET6)
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
  if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, backlog) != 0) {
    close(fd);
    return -1;
  }
  len = sizeof(ss);
  getsockname(fd, (struct sockaddr *)&ss, &len);
  *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                  : ((struct sockaddr_in6 *)&ss)->sin6_port);
  return fd;
}

/* accept_one waits up to |ms| for a connection; -1 if none came. */
static inline int accept_one(int lfd, int ms) {
  int64_t end = cn_time_now_us() + (int64_t)ms * 1000;
  do {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0)
      return fd;
    usleep(1000);
  } while (cn_time_now_us() < end);
  return -1;
}

/* A port nothing listens on (bound then closed at once). */
static inline int closed_port(const char *ip) {
  int port = 0;
  int fd = listen_on(ip, &port, 1);
  if (fd < 0)
    return -1;
  close(fd);
  return port;
}

static inline bool ipv6_loopback_usable(void) {
  int port = 0;
  int fd = listen_on("::1", &port, 1);
  if (fd < 0)
    return false;
  close(fd);
  return true;
}

/* Runs the loop until |*flag| is set or |ms| pass. */
static inline bool run_until(struct cn_event_loop *loop, const bool *flag,
                             int ms) {
  int64_t end = cn_time_now_us() + (int64_t)ms * 1000;
  while (!*flag && cn_time_now_us() < end)
    cn_event_loop_run_once(loop, 5, NULL, 0);
  return *flag;
}

static inline void run_for(struct cn_event_loop *loop, int ms) {
  int64_t end = cn_time_now_us() + (int64_t)ms * 1000;
  while (cn_time_now_us() < end)
    cn_event_loop_run_once(loop, 5, NULL, 0);
}

/* Records a transfer's log: text lines and the first FAIL message. */
struct log_recorder {
  char text[8192];
  size_t text_len;
  char fail[512];
  int num_fail;
};

static inline void record_log(void *ctx, enum cn_net_log_type type,
                              const char *data, size_t len) {
  struct log_recorder *r = ctx;
  if (type == CN_LOG_FAIL) {
    if (r->num_fail++ == 0) {
      size_t n = len < sizeof(r->fail) - 1 ? len : sizeof(r->fail) - 1;
      memcpy(r->fail, data, n);
      r->fail[n] = '\0';
      if (n && r->fail[n - 1] == '\n')
        r->fail[n - 1] = '\0';
    }
    return;
  }
  if (type != CN_LOG_TEXT)
    return;
  size_t room = sizeof(r->text) - 1 - r->text_len;
  size_t n = len < room ? len : room;
  memcpy(r->text + r->text_len, data, n);
  r->text_len += n;
  r->text[r->text_len] = '\0';
}

static inline struct cn_net_log recorder_log(struct log_recorder *r) {
  memset(r, 0, sizeof(*r));
  struct cn_net_log log = {record_log, r, true};
  return log;
}

/* Completion recorder for callbacks. */
struct done {
  bool called;
  int rv;
  int times;
};

static inline void on_done(void *ctx, int rv) {
  struct done *d = ctx;
  d->called = true;
  d->rv = rv;
  d->times++;
}

/* starts_with_and_ends_with: "Failed to connect to X port P after N ms: ..."
 * has a timing in the middle. */
static inline bool has_prefix_suffix(const char *s, const char *prefix,
                                     const char *suffix) {
  size_t ls = strlen(s), lp = strlen(prefix), lx = strlen(suffix);
  return ls >= lp + lx && strncmp(s, prefix, lp) == 0 &&
         strcmp(s + ls - lx, suffix) == 0;
}

#endif
