/* bench.c: one benchmark program for libcurl and curlium alike. It is built
 * against <curl/curl.h> only and run twice per scenario, once with Debian's
 * libcurl.so.4 and once with curlium swapped in (LD_LIBRARY_PATH), so both
 * libraries run exactly the same code.
 *
 *   bench seq N URL          N sequential keep-alive GETs on one handle
 *   bench multi N URL        N concurrent GETs on one multi handle
 *   bench bulk URL           one download, body discarded
 *   bench fresh N URL        N GETs, each on a new connection
 *   bench idle N URL         N concurrent GETs kept open, then report RSS
 *   bench first URL          global init + one GET (process latency)
 *
 * Options after the URL: --cacert FILE, --http2, --impersonate TARGET.
 * Prints one JSON line: {"mode":..., "n":..., "seconds":..., "bytes":...,
 * "ok":..., "rss_kb":..., "connects":...}. Exit 1 if any transfer failed. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long bytes;
static const char *cacert;
static int http2;
static const char *impersonate;

static size_t sink(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  bytes += (long long)(size * n);
  return size * n;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof(line), f))
    if (strncmp(line, "VmRSS:", 6) == 0)
      kb = strtol(line + 6, NULL, 10);
  if (f)
    fclose(f);
  return kb;
}

/* The curlium extension is looked up at run time so the same binary also
 * runs against libcurl, which does not have it. */
typedef CURLcode (*impersonate_fn)(CURL *, const char *, int);
#include <dlfcn.h>

static CURL *make_easy(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
  if (cacert)
    curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION,
                   http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  if (impersonate) {
    impersonate_fn fn = (impersonate_fn)dlsym(RTLD_DEFAULT,
                                              "curl_easy_impersonate");
    if (!fn || fn(h, impersonate, 1) != CURLE_OK) {
      fprintf(stderr, "impersonation %s not available\n", impersonate);
      exit(3);
    }
  }
  return h;
}

static int run_multi(int n, const char *url, int keep_open, long *out_rss,
                     long *out_connects) {
  CURLM *m = curl_multi_init();
  curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)n + 8);
  CURL **hs = calloc((size_t)n, sizeof(*hs));
  for (int i = 0; i < n; i++) {
    hs[i] = make_easy(url);
    curl_multi_add_handle(m, hs[i]);
  }
  int running = 1, ok = 0;
  while (running) {
    curl_multi_perform(m, &running);
    if (running)
      curl_multi_poll(m, NULL, 0, 1000, NULL);
  }
  CURLMsg *msg;
  int left;
  long connects = 0;
  while ((msg = curl_multi_info_read(m, &left))) {
    if (msg->msg == CURLMSG_DONE && msg->data.result == CURLE_OK)
      ok++;
    long c = 0;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_NUM_CONNECTS, &c);
    connects += c;
  }
  if (keep_open && out_rss)
    *out_rss = rss_kb(); /* the connections are idle in the cache now */
  *out_connects = connects;
  for (int i = 0; i < n; i++) {
    curl_multi_remove_handle(m, hs[i]);
    curl_easy_cleanup(hs[i]);
  }
  free(hs);
  curl_multi_cleanup(m);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench MODE [N] URL [options]\n");
    return 2;
  }
  const char *mode = argv[1];
  int argi = 2;
  int n = 1;
  if (strcmp(mode, "bulk") != 0 && strcmp(mode, "first") != 0)
    n = atoi(argv[argi++]);
  const char *url = argv[argi++];
  for (; argi < argc; argi++) {
    if (strcmp(argv[argi], "--cacert") == 0 && argi + 1 < argc)
      cacert = argv[++argi];
    else if (strcmp(argv[argi], "--http2") == 0)
      http2 = 1;
    else if (strcmp(argv[argi], "--impersonate") == 0 && argi + 1 < argc)
      impersonate = argv[++argi];
  }
  double start = now_s();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int ok = 0;
  long rss = -1, connects = 0;
  if (strcmp(mode, "seq") == 0 || strcmp(mode, "fresh") == 0 ||
      strcmp(mode, "bulk") == 0 || strcmp(mode, "first") == 0) {
    CURL *h = make_easy(url);
    if (strcmp(mode, "fresh") == 0) {
      curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
      curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    }
    for (int i = 0; i < n; i++) {
      if (curl_easy_perform(h) == CURLE_OK)
        ok++;
      long c = 0;
      curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &c);
      connects += c;
    }
    curl_easy_cleanup(h);
  } else if (strcmp(mode, "multi") == 0) {
    ok = run_multi(n, url, 0, NULL, &connects);
  } else if (strcmp(mode, "idle") == 0) {
    ok = run_multi(n, url, 1, &rss, &connects);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  double secs = now_s() - start;
  if (rss < 0)
    rss = rss_kb();
  curl_global_cleanup();
  printf("{\"mode\": \"%s\", \"n\": %d, \"seconds\": %.6f, \"bytes\": %lld, "
         "\"ok\": %d, \"rss_kb\": %ld, \"connects\": %ld}\n",
         mode, n, secs, bytes, ok, rss, connects);
  return ok == n ? 0 : 1;
}
