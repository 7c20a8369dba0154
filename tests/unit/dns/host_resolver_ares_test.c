/* host_resolver_ares_test.c: real resolutions through c-ares, driven by the
 * event loop, against a tiny DNS server on 127.0.0.1 that lives in this
 * process and is polled by the same loop:
 *   test.example    A 127.0.0.2, 127.0.0.3; AAAA ::1
 *   v6only.example  AAAA ::1 (no A records)
 *   silent.example  never answered
 *   anything else   NXDOMAIN
 * c-ares' allocations are routed through cn_malloc and counted, so each test
 * also checks that it leaks nothing. */
#include "dns/host_resolver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "util/alloc.h"
#include "util/event_loop.h"
#include "util/net_log.h"
#include "util/time.h"

/* --- counting allocator ------------------------------------------------- */

static long live_allocs;
static void *count_malloc(size_t n) {
  void *p = malloc(n);
  if (p)
    live_allocs++;
  return p;
}
static void *count_calloc(size_t n, size_t m) {
  void *p = calloc(n, m);
  if (p)
    live_allocs++;
  return p;
}
static void *count_realloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!p && q)
    live_allocs++;
  return q;
}
static void count_free(void *p) {
  if (p)
    live_allocs--;
  free(p);
}

/* --- log capture -------------------------------------------------------- */

static char log_text[8192];
static char log_fail[1024];

static void capture(void *ctx, enum cn_net_log_type type, const char *data,
                    size_t len) {
  char *dst = type == CN_LOG_FAIL ? log_fail : log_text;
  size_t cap = type == CN_LOG_FAIL ? sizeof(log_fail) : sizeof(log_text);
  size_t have = strlen(dst);
  if (have + len < cap) {
    memcpy(dst + have, data, len);
    dst[have + len] = '\0';
  }
}

static const struct cn_net_log test_log = {capture, NULL, true};

/* --- the DNS server ----------------------------------------------------- */

struct fake_dns {
  int fd;
  int port;
  struct cn_io_watch watch;
  int queries;
};

static size_t put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v >> 8);
  p[1] = (unsigned char)v;
  return 2;
}

/* add_answer appends one record pointing at the question name. */
static size_t add_answer(unsigned char *p, unsigned type, const void *rdata,
                         unsigned rdlen) {
  size_t n = 0;
  n += put16(p + n, 0xc00c); /* name: the question's */
  n += put16(p + n, type);
  n += put16(p + n, 1); /* IN */
  n += put16(p + n, 0);
  n += put16(p + n, 60); /* TTL */
  n += put16(p + n, rdlen);
  memcpy(p + n, rdata, rdlen);
  return n + rdlen;
}

static void on_dns_query(void *ctx, unsigned ready) {
  struct fake_dns *s = ctx;
  unsigned char q[512], a[1024];
  struct sockaddr_storage from;
  socklen_t flen = sizeof(from);
  ssize_t len =
      recvfrom(s->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
  if (len < 17)
    return;
  s->queries++;
  /* Question: labels from offset 12, then type and class. */
  char name[256];
  size_t nlen = 0, off = 12;
  while (off < (size_t)len && q[off] != 0) {
    size_t l = q[off++];
    if (off + l > (size_t)len || nlen + l + 1 >= sizeof(name))
      return;
    if (nlen)
      name[nlen++] = '.';
    memcpy(name + nlen, q + off, l);
    nlen += l;
    off += l;
  }
  name[nlen] = '\0';
  off++;
  if (off + 4 > (size_t)len)
    return;
  unsigned qtype = (unsigned)(q[off] << 8 | q[off + 1]);
  size_t qend = off + 4;

  if (strcasecmp(name, "silent.example") == 0)
    return;
  bool known = strcasecmp(name, "test.example") == 0 ||
               strcasecmp(name, "v6only.example") == 0;
  unsigned char *p = a + qend;
  unsigned ancount = 0;
  if (qtype == 1 && strcasecmp(name, "test.example") == 0) {
    unsigned char v4a[4] = {127, 0, 0, 2}, v4b[4] = {127, 0, 0, 3};
    p += add_answer(p, 1, v4a, 4);
    p += add_answer(p, 1, v4b, 4);
    ancount = 2;
  } else if (qtype == 28 && known) {
    struct in6_addr v6;
    inet_pton(AF_INET6, "::1", &v6);
    p += add_answer(p, 28, &v6, 16);
    ancount = 1;
  }
  memcpy(a, q, qend); /* id, then the question as asked */
  a[2] = (unsigned char)(0x80 | (q[2] & 0x01));   /* QR, RD copied */
  a[3] = (unsigned char)(0x80 | (known ? 0 : 3)); /* RA, NXDOMAIN */
  put16(a + 4, 1);
  put16(a + 6, ancount);
  put16(a + 8, 0);
  put16(a + 10, 0);
  sendto(s->fd, a, (size_t)(p - a), 0, (struct sockaddr *)&from, flen);
}

static bool fake_dns_start(struct fake_dns *s, struct cn_event_loop *loop) {
  memset(s, 0, sizeof(*s));
  s->fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (s->fd < 0)
    return false;
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t sl = sizeof(sin);
  if (bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
      getsockname(s->fd, (struct sockaddr *)&sin, &sl) != 0)
    return false;
  s->port = ntohs(sin.sin_port);
  cn_io_watch_init(&s->watch, on_dns_query, s);
  return cn_io_watch_start(loop, &s->watch, s->fd, CN_IO_READ) == CN_OK;
}

static void fake_dns_stop(struct fake_dns *s) {
  cn_io_watch_stop(&s->watch);
  close(s->fd);
}

/* --- fixture ------------------------------------------------------------ */

struct done {
  int calls;
  int rv;
  struct cn_address_list *out;
};

static void on_done(void *ctx, int rv) {
  struct done *d = ctx;
  d->calls++;
  d->rv = rv;
}

struct fixture {
  struct cn_event_loop *loop;
  struct cn_host_resolver *r;
  struct fake_dns dns;
  long live_before;
};

static void setup(struct fixture *f) {
  log_text[0] = log_fail[0] = '\0';
  f->live_before = live_allocs;
  f->loop = cn_event_loop_new();
  CHECK(fake_dns_start(&f->dns, f->loop));
  f->r = cn_host_resolver_new(f->loop);
  CHECK(f->r != NULL);
  char servers[64];
  snprintf(servers, sizeof(servers), "127.0.0.1:%d", f->dns.port);
  CHECK_EQ_INT(cn_host_resolver_set_servers(f->r, servers), CN_OK);
  CHECK_EQ_INT(cn_host_resolver_set_timeouts(f->r, 150, 1), CN_OK);
}

static void teardown(struct fixture *f) {
  cn_host_resolver_free(f->r);
  fake_dns_stop(&f->dns);
  cn_event_loop_free(f->loop);
  CHECK_EQ_INT(live_allocs, f->live_before);
}

/* run drives the loop until |d| completes or |ms| pass. */
static void run(struct fixture *f, struct done *d, int ms) {
  int64_t end = cn_time_now_us() + (int64_t)ms * 1000;
  while ((!d || d->calls == 0) && cn_time_now_us() < end)
    cn_event_loop_run_once(f->loop, 20, NULL, 0);
}

static int start(struct fixture *f, const char *host, int port,
                 enum cn_ip_family_pref fam, struct done *d,
                 struct cn_resolve_request **req) {
  memset(d, 0, sizeof(*d));
  struct cn_resolve_params p = {host, port, fam, 60, &test_log};
  struct cn_resolve_request *dummy;
  return cn_host_resolver_resolve(f->r, &p, &d->out, req ? req : &dummy,
                                  on_done, d);
}

static const char *addr(const struct cn_address_list *l, size_t i) {
  static char text[CN_IP_STRING_MAX];
  cn_ip_endpoint_address_string(&l->addrs[i], text, sizeof(text));
  return text;
}

static bool has(const struct cn_address_list *l, const char *ip) {
  for (size_t i = 0; i < l->num; i++)
    if (strcmp(addr(l, i), ip) == 0)
      return true;
  return false;
}

/* --- tests -------------------------------------------------------------- */

TEST(resolves_a_records_then_serves_from_cache) {
  struct fixture f;
  setup(&f);
  struct done d;
  CHECK_EQ_INT(start(&f, "test.example", 8080, CN_IP_V4, &d, NULL),
               CN_ERR_IO_PENDING);
  CHECK_EQ_INT(d.calls, 0);
  run(&f, &d, 3000);
  CHECK_EQ_INT(d.calls, 1);
  CHECK_EQ_INT(d.rv, CN_OK);
  if (d.rv == CN_OK) {
    CHECK_EQ_INT(d.out->num, 2);
    CHECK_EQ_STR(addr(d.out, 0), "127.0.0.2");
    CHECK_EQ_STR(addr(d.out, 1), "127.0.0.3");
    CHECK_EQ_INT(cn_ip_endpoint_port(&d.out->addrs[1]), 8080);
    cn_address_list_free(d.out);
  }
  CHECK_EQ_STR(log_text, "Host test.example:8080 was resolved.\n"
                         "IPv6: (none)\n"
                         "IPv4: 127.0.0.2, 127.0.0.3\n");
  int queries = f.dns.queries;
  CHECK_EQ_INT(queries, 1); /* A only */

  /* Cached now: synchronous, no query. */
  CHECK_EQ_INT(start(&f, "Test.Example", 8080, CN_IP_V4, &d, NULL), CN_OK);
  CHECK_EQ_INT(d.out->num, 2);
  cn_address_list_free(d.out);
  run(&f, NULL, 50);
  CHECK_EQ_INT(d.calls, 0);
  CHECK_EQ_INT(f.dns.queries, queries);
  teardown(&f);
}

TEST(any_family_returns_both_and_filters_later) {
  struct fixture f;
  setup(&f);
  struct done d;
  CHECK_EQ_INT(start(&f, "test.example", 443, CN_IP_ANY, &d, NULL),
               CN_ERR_IO_PENDING);
  run(&f, &d, 3000);
  CHECK_EQ_INT(d.rv, CN_OK);
  if (d.rv == CN_OK) {
    CHECK_EQ_INT(d.out->num, 3);
    CHECK(has(d.out, "::1"));
    CHECK(has(d.out, "127.0.0.2"));
    CHECK(has(d.out, "127.0.0.3"));
    cn_address_list_free(d.out);
  }
  CHECK(strstr(log_text, "IPv6: ::1\n") != NULL);
  /* The cached answer, restricted to IPv6. */
  CHECK_EQ_INT(start(&f, "test.example", 443, CN_IP_V6, &d, NULL), CN_OK);
  CHECK_EQ_INT(d.out->num, 1);
  CHECK_EQ_STR(addr(d.out, 0), "::1");
  cn_address_list_free(d.out);
  teardown(&f);
}

TEST(missing_family_is_name_not_resolved) {
  struct fixture f;
  setup(&f);
  struct done d;
  CHECK_EQ_INT(start(&f, "v6only.example", 80, CN_IP_V4, &d, NULL),
               CN_ERR_IO_PENDING);
  run(&f, &d, 3000);
  CHECK_EQ_INT(d.calls, 1);
  CHECK_EQ_INT(d.rv, CN_ERR_NAME_NOT_RESOLVED);
  CHECK(d.out == NULL);
  CHECK_EQ_STR(log_fail, "Could not resolve host: v6only.example\n");

  CHECK_EQ_INT(start(&f, "v6only.example", 80, CN_IP_V6, &d, NULL),
               CN_ERR_IO_PENDING);
  run(&f, &d, 3000);
  CHECK_EQ_INT(d.rv, CN_OK);
  if (d.rv == CN_OK) {
    CHECK_EQ_INT(d.out->num, 1);
    CHECK_EQ_STR(addr(d.out, 0), "::1");
    cn_address_list_free(d.out);
  }
  teardown(&f);
}

TEST(nxdomain_is_name_not_resolved) {
  struct fixture f;
  setup(&f);
  struct done d;
  CHECK_EQ_INT(start(&f, "missing.example", 80, CN_IP_ANY, &d, NULL),
               CN_ERR_IO_PENDING);
  run(&f, &d, 3000);
  CHECK_EQ_INT(d.calls, 1);
  CHECK_EQ_INT(d.rv, CN_ERR_NAME_NOT_RESOLVED);
  CHECK(d.out == NULL);
  CHECK(f.dns.queries >= 1);
  CHECK_EQ_STR(log_fail, "Could not resolve host: missing.example\n");
  teardown(&f);
}

TEST(silent_server_times_out) {
  struct fixture f;
  setup(&f);
  struct done d;
  int64_t t0 = cn_time_now_us();
  CHECK_EQ_INT(start(&f, "silent.example", 80, CN_IP_V4, &d, NULL),
               CN_ERR_IO_PENDING);
  run(&f, &d, 5000);
  int64_t took_ms = (cn_time_now_us() - t0) / 1000;
  CHECK_EQ_INT(d.calls, 1);
  CHECK_EQ_INT(d.rv, CN_ERR_DNS_TIMED_OUT);
  CHECK(took_ms >= 100);
  CHECK(took_ms < 2000);
  CHECK_EQ_STR(log_fail, "Could not resolve host: silent.example\n");
  teardown(&f);
}

TEST(cancelled_request_never_calls_back) {
  struct fixture f;
  setup(&f);
  struct done d;
  struct cn_resolve_request *req = NULL;
  CHECK_EQ_INT(start(&f, "test.example", 1, CN_IP_V4, &d, &req),
               CN_ERR_IO_PENDING);
  cn_resolve_request_cancel(req);
  /* Let the server answer and c-ares finish. */
  int64_t end = cn_time_now_us() + 300000;
  while (cn_time_now_us() < end)
    cn_event_loop_run_once(f.loop, 20, NULL, 0);
  CHECK(f.dns.queries >= 1);
  CHECK_EQ_INT(d.calls, 0);
  CHECK(d.out == NULL);

  /* Freeing the resolver with a query in flight cancels it too. */
  CHECK_EQ_INT(start(&f, "silent.example", 1, CN_IP_ANY, &d, &req),
               CN_ERR_IO_PENDING);
  run(&f, NULL, 30);
  cn_host_resolver_free(f.r);
  f.r = NULL;
  run(&f, NULL, 300);
  CHECK_EQ_INT(d.calls, 0);
  teardown(&f);
}

TEST(settings_change_keeps_queries_in_flight) {
  struct fixture f;
  setup(&f);
  /* Query 1 starts against the silent name with a 400 ms timeout... */
  CHECK_EQ_INT(cn_host_resolver_set_timeouts(f.r, 400, 1), CN_OK);
  struct done d1, d2;
  CHECK_EQ_INT(start(&f, "silent.example", 1, CN_IP_V4, &d1, NULL),
               CN_ERR_IO_PENDING);
  /* ...then the settings change and query 2 runs on a new channel. */
  CHECK_EQ_INT(cn_host_resolver_set_timeouts(f.r, 150, 1), CN_OK);
  CHECK_EQ_INT(start(&f, "test.example", 2, CN_IP_V4, &d2, NULL),
               CN_ERR_IO_PENDING);
  run(&f, &d2, 3000);
  CHECK_EQ_INT(d2.rv, CN_OK);
  CHECK_EQ_INT(d1.calls, 0); /* the old channel still waits */
  if (d2.rv == CN_OK)
    cn_address_list_free(d2.out);
  run(&f, &d1, 3000);
  CHECK_EQ_INT(d1.calls, 1);
  CHECK_EQ_INT(d1.rv, CN_ERR_DNS_TIMED_OUT);
  teardown(&f);
}

/* first_hosts_name finds a name /etc/hosts maps to a loopback address
 * (other than localhost, which never reaches c-ares). */
static bool first_hosts_name(char *name, size_t cap, char *ip, size_t ipcap) {
  FILE *fp = fopen("/etc/hosts", "r");
  if (!fp)
    return false;
  char line[512];
  bool found = false;
  while (!found && fgets(line, sizeof(line), fp)) {
    char a[128], n[256];
    if (line[0] == '#' || sscanf(line, "%127s %255s", a, n) != 2)
      continue;
    if ((strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0) &&
        strcasecmp(n, "localhost") != 0 && !strstr(n, "localhost") &&
        strlen(n) < cap && strlen(a) < ipcap) {
      strcpy(name, n);
      strcpy(ip, a);
      found = true;
    }
  }
  fclose(fp);
  return found;
}

TEST(hosts_file_answer_is_still_delivered_from_the_loop) {
  char name[256], ip[128];
  if (!first_hosts_name(name, sizeof(name), ip, sizeof(ip))) {
    printf("skip: no loopback name in /etc/hosts\n");
    return;
  }
  struct fixture f;
  setup(&f);
  struct done d;
  /* c-ares answers this inside ares_getaddrinfo. */
  CHECK_EQ_INT(start(&f, name, 99, CN_IP_ANY, &d, NULL), CN_ERR_IO_PENDING);
  CHECK_EQ_INT(d.calls, 0);
  run(&f, &d, 1000);
  CHECK_EQ_INT(d.calls, 1);
  CHECK_EQ_INT(d.rv, CN_OK);
  if (d.rv == CN_OK) {
    CHECK(has(d.out, ip));
    cn_address_list_free(d.out);
  }
  CHECK_EQ_INT(f.dns.queries, 0);
  teardown(&f);
}

/* Failing each allocation of an asynchronous resolution in turn (c-ares'
 * own included): the result is OOM, synchronously or through the callback,
 * or a success when the failed allocation was optional; nothing leaks
 * (checked at global_cleanup, when c-ares has let go of everything). */
TEST(allocation_failures_on_async_path) {
  struct fixture f;
  setup(&f);
  long oom_seen = 0;
  for (long n = 1; n < 400; n++) {
    long count_before = cn_alloc_count();
    struct done d;
    cn_alloc_fail_nth(n);
    int rv = start(&f, "test.example", 7, CN_IP_V4, &d, NULL);
    if (rv == CN_ERR_IO_PENDING) {
      run(&f, &d, 3000);
      CHECK_EQ_INT(d.calls, 1);
      rv = d.rv;
    }
    cn_alloc_fail_nth(0);
    bool clean = cn_alloc_count() - count_before < n;
    if (rv == CN_OK)
      cn_address_list_free(d.out);
    else
      CHECK(d.out == NULL);
    cn_host_resolver_clear_cache(f.r);
    /* c-ares drops a reply it could not allocate for, which then ends
     * as a timeout: an error too, just not OOM. */
    if (rv == CN_ERR_OUT_OF_MEMORY)
      oom_seen++;
    else if (rv != CN_OK)
      CHECK_EQ_INT(rv, CN_ERR_DNS_TIMED_OUT);
    if (clean) {
      CHECK_EQ_INT(rv, CN_OK);
      break;
    }
  }
  CHECK(oom_seen > 3);
  teardown(&f);
}

static int main_setup(void) {
  cn_alloc_set_functions(count_malloc, count_free, count_realloc, NULL,
                         count_calloc);
  return cn_host_resolver_global_init();
}

TEST(global_init) { CHECK_EQ_INT(main_setup(), CN_OK); }

TEST(global_cleanup) {
  cn_host_resolver_global_cleanup();
  CHECK_EQ_INT(live_allocs, 0);
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(global_init, resolves_a_records_then_serves_from_cache,
          any_family_returns_both_and_filters_later,
          missing_family_is_name_not_resolved, nxdomain_is_name_not_resolved,
          silent_server_times_out, cancelled_request_never_calls_back,
          settings_change_keeps_queries_in_flight,
          hosts_file_answer_is_still_delivered_from_the_loop,
          allocation_failures_on_async_path, global_cleanup)
