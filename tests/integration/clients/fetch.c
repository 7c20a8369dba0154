/* fetch: a small libcurl client for the integration tests.
 *
 * Usage: fetch [options] URL
 *   --timeout-ms N          CURLOPT_TIMEOUT_MS
 *   --connect-timeout-ms N  CURLOPT_CONNECTTIMEOUT_MS
 *   --cacert FILE           CURLOPT_CAINFO
 *   --max-redirs N          CURLOPT_MAXREDIRS
 *   --follow                CURLOPT_FOLLOWLOCATION
 *   --post DATA             CURLOPT_POSTFIELDS
 *   --head                  CURLOPT_NOBODY
 *   --fail                  CURLOPT_FAILONERROR
 *   --verbose               CURLOPT_VERBOSE (to stderr)
 *   --header "N: V"         CURLOPT_HTTPHEADER (repeatable)
 *   --output FILE           also write the body to FILE
 *   --repeat N              perform N times on the same easy handle
 *   --dns-servers LIST      CURLOPT_DNS_SERVERS
 *   --unix-socket PATH      CURLOPT_UNIX_SOCKET_PATH
 *   --abstract-unix PATH    CURLOPT_ABSTRACT_UNIX_SOCKET
 *   --haproxy               CURLOPT_HAPROXYPROTOCOL
 *   --haproxy-client-ip IP  CURLOPT_HAPROXY_CLIENT_IP
 *   --max-recv-speed N      CURLOPT_MAX_RECV_SPEED_LARGE
 *   --max-send-speed N      CURLOPT_MAX_SEND_SPEED_LARGE
 *   --upload-size N         PUT N bytes from CURLOPT_READFUNCTION
 *   --socket-callbacks      count OPENSOCKET/CLOSESOCKET/SOCKOPT calls
 *   --opensocket-bad        OPENSOCKETFUNCTION returns CURL_SOCKET_BAD
 *   --sockopt-error         SOCKOPTFUNCTION returns CURL_SOCKOPT_ERROR
 *   --sockopt-connected     OPENSOCKETFUNCTION connects the socket itself,
 *                           SOCKOPTFUNCTION says CURL_SOCKOPT_ALREADY_CONNECTED
 *   --prereq ok|abort       CURLOPT_PREREQFUNCTION
 *   --resolver-start ok|abort  CURLOPT_RESOLVER_START_FUNCTION
 *   --setlocale             setlocale(LC_ALL, "") first (libcurl reads IDN
 *                           host names in the locale's charset)
 *   --http2                 CURLOPT_HTTP_VERSION CURL_HTTP_VERSION_2_0
 *                           (h2c upgrade on http://)
 *   --opt NAME VALUE        any option by its name without CURLOPT_
 *                           (curl_easy_option_by_name): a number for LONG
 *                           and OFF_T, the string for STRING, a
 *                           one-entry list for SLIST, a file's
 *                           contents for BLOB (repeatable; a failing
 *                           setopt prints its CURLcode and exits 4)
 *
 * Prints one JSON object per transfer on stdout, with the CURLcode, the
 * error buffer, and getinfo values, so the tests can check CURLcodes
 * directly instead of through the curl tool's exit codes. Exits 0 when it
 * could run the transfers (whatever their CURLcode), 2 on bad usage.
 * Everything is freed before exit so valgrind can assert "no leaks". */
#include <curl/curl.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* --- SHA-256 (FIPS 180-4), to report the body's digest --- */
struct sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t fill;
};

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(struct sha256 *s, const unsigned char *p) {
  uint32_t w[64], a, b, c, d, e, f, g, h;
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
  e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                  ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
  s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha256_init(struct sha256 *s) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                 0xa54ff53a, 0x510e527f, 0x9b05688c,
                                 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, iv, sizeof(iv));
  s->len = 0;
  s->fill = 0;
}

static void sha256_update(struct sha256 *s, const unsigned char *p,
                          size_t len) {
  s->len += len;
  while (len) {
    size_t n = 64 - s->fill < len ? 64 - s->fill : len;
    memcpy(s->buf + s->fill, p, n);
    s->fill += n;
    p += n;
    len -= n;
    if (s->fill == 64) {
      sha256_block(s, s->buf);
      s->fill = 0;
    }
  }
}

static void sha256_hex(struct sha256 *s, char out[65]) {
  uint64_t bits = s->len * 8;
  unsigned char pad = 0x80, zero = 0, lenbuf[8];
  sha256_update(s, &pad, 1);
  while (s->fill != 56)
    sha256_update(s, &zero, 1);
  for (int i = 0; i < 8; i++)
    lenbuf[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha256_update(s, lenbuf, 8);
  for (int i = 0; i < 8; i++)
    snprintf(out + 8 * i, 9, "%08x", s->h[i]);
}

/* --- transfer --- */
struct sink {
  struct sha256 sha;
  curl_off_t len;
  size_t max_write; /* the largest piece one write callback got */
  FILE *out;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userp) {
  struct sink *k = userp;
  size_t n = size * nmemb;
  sha256_update(&k->sha, (const unsigned char *)ptr, n);
  k->len += (curl_off_t)n;
  if (n > k->max_write)
    k->max_write = n;
  if (k->out && fwrite(ptr, 1, n, k->out) != n)
    return 0;
  return n;
}

/* --- the program's socket callbacks, counted --- */
struct hooks {
  int opened, closed, sockopt_calls, prereq_calls, resolver_calls;
  int open_bad, sockopt_error, sockopt_connected, prereq_abort, resolver_abort;
  char prereq_ip[64];
  int prereq_port;
};

static curl_socket_t on_open(void *clientp, curlsocktype purpose,
                             struct curl_sockaddr *addr) {
  struct hooks *k = clientp;
  (void)purpose;
  if (k->open_bad)
    return CURL_SOCKET_BAD;
  curl_socket_t s = socket(addr->family, addr->socktype, addr->protocol);
  if (s == CURL_SOCKET_BAD)
    return s;
  k->opened++;
  if (k->sockopt_connected &&
      connect(s, (struct sockaddr *)&addr->addr, addr->addrlen) != 0) {
    close(s);
    return CURL_SOCKET_BAD;
  }
  return s;
}

static int on_close(void *clientp, curl_socket_t s) {
  struct hooks *k = clientp;
  k->closed++;
  return close(s);
}

static int on_sockopt(void *clientp, curl_socket_t s, curlsocktype purpose) {
  struct hooks *k = clientp;
  (void)s;
  (void)purpose;
  k->sockopt_calls++;
  if (k->sockopt_error)
    return CURL_SOCKOPT_ERROR;
  return k->sockopt_connected ? CURL_SOCKOPT_ALREADY_CONNECTED
                              : CURL_SOCKOPT_OK;
}

static int on_prereq(void *clientp, char *primary_ip, char *local_ip,
                     int primary_port, int local_port) {
  struct hooks *k = clientp;
  (void)local_ip;
  (void)local_port;
  k->prereq_calls++;
  snprintf(k->prereq_ip, sizeof(k->prereq_ip), "%s", primary_ip);
  k->prereq_port = primary_port;
  return k->prereq_abort ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
}

static int on_resolver_start(void *state, void *reserved, void *userp) {
  struct hooks *k = userp;
  (void)reserved;
  k->resolver_calls++;
  return state == NULL || k->resolver_abort;
}

/* --- upload of N generated bytes --- */
struct source {
  curl_off_t left;
};

static size_t on_read(char *buf, size_t size, size_t nmemb, void *userp) {
  struct source *src = userp;
  size_t n = size * nmemb;
  if ((curl_off_t)n > src->left)
    n = (size_t)src->left;
  memset(buf, 'u', n);
  src->left -= (curl_off_t)n;
  return n;
}

/* --- --opt NAME VALUE --- */
#define MAX_OPTS 16
struct named_opt {
  const char *name, *value;
  char *blob; /* a BLOB option's file contents */
  size_t blob_len;
  struct curl_slist *list; /* an SLIST option's one entry */
};

static char *read_file(const char *path, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *data = NULL;
  size_t len = 0, cap = 0, n;
  char buf[4096];
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
    if (len + n > cap) {
      cap = (len + n) * 2;
      char *d = realloc(data, cap);
      if (!d) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = d;
    }
    memcpy(data + len, buf, n);
    len += n;
  }
  fclose(f);
  *out_len = len;
  return data ? data : malloc(1);
}

/* set_named: 0 or the CURLcode of the failed setopt (-1: no such name or
 * unreadable file). */
static int set_named(CURL *h, struct named_opt *o) {
  const struct curl_easyoption *e = curl_easy_option_by_name(o->name);
  if (!e)
    return -1;
  switch (e->type) {
  case CURLOT_LONG:
  case CURLOT_VALUES:
    return (int)curl_easy_setopt(h, e->id, atol(o->value));
  case CURLOT_OFF_T:
    return (int)curl_easy_setopt(h, e->id, (curl_off_t)atoll(o->value));
  case CURLOT_STRING:
    return (int)curl_easy_setopt(h, e->id, o->value);
  case CURLOT_SLIST:
    if (!o->list && !(o->list = curl_slist_append(NULL, o->value)))
      return -1;
    return (int)curl_easy_setopt(h, e->id, o->list);
  case CURLOT_BLOB: {
    if (!o->blob && !(o->blob = read_file(o->value, &o->blob_len)))
      return -1;
    struct curl_blob b = {o->blob, o->blob_len, CURL_BLOB_COPY};
    return (int)curl_easy_setopt(h, e->id, &b);
  }
  default:
    return -1;
  }
}

/* keepalive_of: SO_KEEPALIVE and TCP_KEEPCNT of the transfer's connection
 * (-1 when there is none). */
static void keepalive_of(CURL *h, int *out_on, int *out_cnt) {
  curl_socket_t s = CURL_SOCKET_BAD;
  socklen_t len = sizeof(int);
  *out_on = *out_cnt = -1;
  if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK ||
      s == CURL_SOCKET_BAD)
    return;
  if (getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, out_on, &len) != 0)
    *out_on = -1;
  len = sizeof(int);
  if (getsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, out_cnt, &len) != 0)
    *out_cnt = -1;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void json_str(const char *s) {
  putchar('"');
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c == '\n')
      fputs("\\n", stdout);
    else if (c < 0x20 || c >= 0x7f)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static int usage(void) {
  fputs("usage: fetch [--timeout-ms N] [--connect-timeout-ms N] "
        "[--cacert F] [--max-redirs N] [--follow] [--post DATA] [--head] "
        "[--fail] [--verbose] [--header H] [--output F] [--repeat N] URL\n",
        stderr);
  return 2;
}

int main(int argc, char **argv) {
  const char *url = NULL, *cacert = NULL, *post = NULL, *output = NULL;
  long timeout_ms = -1, connect_timeout_ms = -1, max_redirs = -2;
  int follow = 0, head = 0, fail = 0, verbose = 0, repeat = 1, rc = 0;
  int http2 = 0;
  struct curl_slist *headers = NULL;
  CURL *h = NULL;
  const char *dns_servers = NULL, *unix_socket = NULL, *abstract_unix = NULL;
  const char *haproxy_ip = NULL;
  int haproxy = 0, socket_callbacks = 0;
  curl_off_t max_recv = 0, max_send = 0, upload_size = -1;
  struct hooks hooks;
  memset(&hooks, 0, sizeof(hooks));
  const char *prereq = NULL, *resolver_start = NULL;
  struct named_opt opts[MAX_OPTS];
  int num_opts = 0;
  memset(opts, 0, sizeof(opts));

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--timeout-ms") && more)
      timeout_ms = atol(argv[++i]);
    else if (!strcmp(a, "--connect-timeout-ms") && more)
      connect_timeout_ms = atol(argv[++i]);
    else if (!strcmp(a, "--cacert") && more)
      cacert = argv[++i];
    else if (!strcmp(a, "--max-redirs") && more)
      max_redirs = atol(argv[++i]);
    else if (!strcmp(a, "--follow"))
      follow = 1;
    else if (!strcmp(a, "--setlocale"))
      setlocale(LC_ALL, "");
    else if (!strcmp(a, "--post") && more)
      post = argv[++i];
    else if (!strcmp(a, "--head"))
      head = 1;
    else if (!strcmp(a, "--fail"))
      fail = 1;
    else if (!strcmp(a, "--verbose"))
      verbose = 1;
    else if (!strcmp(a, "--header") && more) {
      struct curl_slist *n = curl_slist_append(headers, argv[++i]);
      if (!n) {
        rc = 3;
        goto out;
      }
      headers = n;
    } else if (!strcmp(a, "--output") && more)
      output = argv[++i];
    else if (!strcmp(a, "--repeat") && more)
      repeat = atoi(argv[++i]);
    else if (!strcmp(a, "--dns-servers") && more)
      dns_servers = argv[++i];
    else if (!strcmp(a, "--unix-socket") && more)
      unix_socket = argv[++i];
    else if (!strcmp(a, "--abstract-unix") && more)
      abstract_unix = argv[++i];
    else if (!strcmp(a, "--haproxy"))
      haproxy = 1;
    else if (!strcmp(a, "--haproxy-client-ip") && more)
      haproxy_ip = argv[++i];
    else if (!strcmp(a, "--max-recv-speed") && more)
      max_recv = atoll(argv[++i]);
    else if (!strcmp(a, "--max-send-speed") && more)
      max_send = atoll(argv[++i]);
    else if (!strcmp(a, "--upload-size") && more)
      upload_size = atoll(argv[++i]);
    else if (!strcmp(a, "--socket-callbacks"))
      socket_callbacks = 1;
    else if (!strcmp(a, "--opensocket-bad"))
      socket_callbacks = hooks.open_bad = 1;
    else if (!strcmp(a, "--sockopt-error"))
      socket_callbacks = hooks.sockopt_error = 1;
    else if (!strcmp(a, "--sockopt-connected"))
      socket_callbacks = hooks.sockopt_connected = 1;
    else if (!strcmp(a, "--prereq") && more)
      prereq = argv[++i];
    else if (!strcmp(a, "--resolver-start") && more)
      resolver_start = argv[++i];
    else if (!strcmp(a, "--http2"))
      http2 = 1;
    else if (!strcmp(a, "--opt") && i + 2 < argc && num_opts < MAX_OPTS) {
      opts[num_opts].name = argv[++i];
      opts[num_opts++].value = argv[++i];
    }
    else if (a[0] == '-' && a[1] == '-') {
      rc = usage();
      goto out;
    } else
      url = a;
  }
  if (!url || repeat < 1) {
    rc = usage();
    goto out;
  }

  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fputs("curl_global_init failed\n", stderr);
    rc = 3;
    goto out;
  }
  h = curl_easy_init();
  if (!h) {
    fputs("curl_easy_init failed\n", stderr);
    rc = 3;
    goto cleanup;
  }

  for (int n = 0; n < repeat; n++) {
    char errbuf[CURL_ERROR_SIZE];
    char hex[65];
    struct sink sink;
    CURLcode res;
    long code = 0, header_size = 0, redirects = 0, connects = 0;
    long version = 0;
    char *eff = NULL;

    errbuf[0] = 0;
    sha256_init(&sink.sha);
    sink.len = 0;
    sink.max_write = 0;
    sink.out = NULL;
    if (output) {
      sink.out = fopen(output, "wb");
      if (!sink.out) {
        perror(output);
        rc = 3;
        goto cleanup;
      }
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    if (timeout_ms >= 0)
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (connect_timeout_ms >= 0)
      curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    if (cacert)
      curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
    if (max_redirs != -2)
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, max_redirs);
    if (follow)
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    if (post)
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
    if (head)
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (fail)
      curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    if (verbose)
      curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    if (headers)
      curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (dns_servers)
      curl_easy_setopt(h, CURLOPT_DNS_SERVERS, dns_servers);
    if (unix_socket)
      curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, unix_socket);
    if (abstract_unix)
      curl_easy_setopt(h, CURLOPT_ABSTRACT_UNIX_SOCKET, abstract_unix);
    if (haproxy)
      curl_easy_setopt(h, CURLOPT_HAPROXYPROTOCOL, 1L);
    if (haproxy_ip)
      curl_easy_setopt(h, CURLOPT_HAPROXY_CLIENT_IP, haproxy_ip);
    if (max_recv)
      curl_easy_setopt(h, CURLOPT_MAX_RECV_SPEED_LARGE, max_recv);
    if (max_send)
      curl_easy_setopt(h, CURLOPT_MAX_SEND_SPEED_LARGE, max_send);
    struct source src = {upload_size};
    if (upload_size >= 0) {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(h, CURLOPT_READDATA, &src);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, upload_size);
    }
    if (socket_callbacks) {
      curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open);
      curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &hooks);
      curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, on_close);
      curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, &hooks);
      curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
      curl_easy_setopt(h, CURLOPT_SOCKOPTDATA, &hooks);
    }
    if (prereq) {
      hooks.prereq_abort = !strcmp(prereq, "abort");
      curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq);
      curl_easy_setopt(h, CURLOPT_PREREQDATA, &hooks);
    }
    if (resolver_start) {
      hooks.resolver_abort = !strcmp(resolver_start, "abort");
      curl_easy_setopt(h, CURLOPT_RESOLVER_START_FUNCTION, on_resolver_start);
      curl_easy_setopt(h, CURLOPT_RESOLVER_START_DATA, &hooks);
    }
    if (http2)
      curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);
    for (int k = 0; k < num_opts; k++) {
      int src = set_named(h, &opts[k]);
      if (src) {
        fprintf(stderr, "setopt %s: %d\n", opts[k].name, src);
        rc = 4;
        goto cleanup;
      }
    }

    double t0 = now_ms();
    res = curl_easy_perform(h);
    double elapsed = now_ms() - t0;
    if (sink.out)
      fclose(sink.out);
    sha256_hex(&sink.sha, hex);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(h, CURLINFO_HEADER_SIZE, &header_size);
    curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
    curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &version);
    long verify = -1, proxy_verify = -1;
    char *primary_ip = NULL;
    curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &verify);
    curl_easy_getinfo(h, CURLINFO_PROXY_SSL_VERIFYRESULT, &proxy_verify);
    curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &primary_ip);
    int keepalive, keepcnt;
    keepalive_of(h, &keepalive, &keepcnt);

    printf("{\"curlcode\": %d, \"strerror\": ", (int)res);
    json_str(curl_easy_strerror(res));
    fputs(", \"error\": ", stdout);
    json_str(errbuf);
    printf(", \"response_code\": %ld, \"body_len\": %lld, "
           "\"body_sha256\": \"%s\", \"header_bytes\": %ld, "
           "\"redirect_count\": %ld, \"num_connects\": %ld, "
           "\"max_write\": %zu, \"http_version\": %ld, \"effective_url\": ",
           code, (long long)sink.len, hex, header_size, redirects, connects,
           sink.max_write, version);
    json_str(eff);
    printf(", \"elapsed_ms\": %.1f, \"opened\": %d, \"sockopt_calls\": %d, "
           "\"prereq_calls\": %d, \"prereq_port\": %d, "
           "\"resolver_calls\": %d, \"prereq_ip\": ",
           elapsed, hooks.opened, hooks.sockopt_calls, hooks.prereq_calls,
           hooks.prereq_port, hooks.resolver_calls);
    json_str(hooks.prereq_ip);
    printf(", \"ssl_verify_result\": %ld, \"proxy_ssl_verify_result\": %ld, "
           "\"keepalive\": %d, \"keepcnt\": %d, \"primary_ip\": ",
           verify, proxy_verify, keepalive, keepcnt);
    json_str(primary_ip);
    fputs("}\n", stdout);
    fflush(stdout);
  }

cleanup:
  curl_easy_cleanup(h);
  /* Sockets are closed (through CLOSESOCKETFUNCTION) by now. */
  if (socket_callbacks)
    printf("{\"sockets_opened\": %d, \"sockets_closed\": %d}\n",
           hooks.opened, hooks.closed);
  curl_global_cleanup();
out:
  for (int k = 0; k < num_opts; k++) {
    free(opts[k].blob);
    curl_slist_free_all(opts[k].list);
  }
  curl_slist_free_all(headers);
  return rc;
}
