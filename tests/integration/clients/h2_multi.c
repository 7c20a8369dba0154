/* h2_multi.c: N transfers of one URL at once on one multi handle
 * (curl_multi_perform + curl_multi_poll), for the HTTP/2 tests.
 *
 *   h2_multi N URL [options]
 *     --pk            CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
 *     --http1.1       CURL_HTTP_VERSION_1_1
 *     --h2c           CURL_HTTP_VERSION_2_0 (over http://: the Upgrade)
 *     --pipewait      CURLOPT_PIPEWAIT on every transfer
 *     --no-multiplex  CURLMOPT_PIPELINING = CURLPIPE_NOTHING
 *     --max-streams N CURLMOPT_MAX_CONCURRENT_STREAMS
 *     --cacert FILE   CURLOPT_CAINFO
 *     --weight N      CURLOPT_STREAM_WEIGHT on every transfer
 *     --depends-e     transfers after the first: CURLOPT_STREAM_DEPENDS_E
 *                     on the first
 *
 * Prints one JSON line: {"done": n, "ok": n, "codes": [..], "h2": n
 * (transfers with CURLINFO_HTTP_VERSION == CURL_HTTP_VERSION_2_0),
 * "num_connects": sum, "bytes": [..per transfer..], "sums": [..a simple
 * checksum of each body..]}. */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_XFERS 256

struct xfer {
  CURL *easy;
  long long bytes;
  unsigned long long sum;
  int code;
  bool done;
};

static struct xfer xfers[MAX_XFERS];

static size_t on_write(char *p, size_t size, size_t n, void *userdata) {
  struct xfer *x = userdata;
  size_t len = size * n;
  for (size_t i = 0; i < len; i++)
    x->sum = x->sum * 31 + (unsigned char)p[i];
  x->bytes += (long long)len;
  return len;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: h2_multi N URL [options]\n");
    return 2;
  }
  int n = atoi(argv[1]);
  const char *url = argv[2];
  long version = CURL_HTTP_VERSION_2TLS;
  bool pipewait = false, no_multiplex = false;
  long max_streams = 0, weight = 0;
  bool depends_e = false;
  const char *cacert = NULL;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--pk"))
      version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    else if (!strcmp(argv[i], "--http1.1"))
      version = CURL_HTTP_VERSION_1_1;
    else if (!strcmp(argv[i], "--h2c"))
      version = CURL_HTTP_VERSION_2_0;
    else if (!strcmp(argv[i], "--pipewait"))
      pipewait = true;
    else if (!strcmp(argv[i], "--no-multiplex"))
      no_multiplex = true;
    else if (!strcmp(argv[i], "--max-streams") && i + 1 < argc)
      max_streams = atol(argv[++i]);
    else if (!strcmp(argv[i], "--cacert") && i + 1 < argc)
      cacert = argv[++i];
    else if (!strcmp(argv[i], "--weight") && i + 1 < argc)
      weight = atol(argv[++i]);
    else if (!strcmp(argv[i], "--depends-e"))
      depends_e = true;
  }
  if (n < 1 || n > MAX_XFERS)
    return 2;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM *multi = curl_multi_init();
  if (no_multiplex)
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
  if (max_streams)
    curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, max_streams);
  for (int i = 0; i < n; i++) {
    CURL *e = curl_easy_init();
    xfers[i].easy = e;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &xfers[i]);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &xfers[i]);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, version);
    if (pipewait)
      curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    if (cacert)
      curl_easy_setopt(e, CURLOPT_CAINFO, cacert);
    if (weight)
      curl_easy_setopt(e, CURLOPT_STREAM_WEIGHT, weight);
    if (depends_e && i > 0)
      curl_easy_setopt(e, CURLOPT_STREAM_DEPENDS_E, xfers[0].easy);
    curl_multi_add_handle(multi, e);
  }
  int running = 1;
  while (running) {
    if (curl_multi_perform(multi, &running) != CURLM_OK)
      break;
    int left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      struct xfer *x;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
      x->done = true;
      x->code = m->data.result;
    }
    if (running)
      curl_multi_poll(multi, NULL, 0, 1000, NULL);
  }
  int done = 0, ok = 0, h2 = 0;
  long connects = 0;
  for (int i = 0; i < n; i++) {
    long v = 0, c = 0;
    curl_easy_getinfo(xfers[i].easy, CURLINFO_HTTP_VERSION, &v);
    curl_easy_getinfo(xfers[i].easy, CURLINFO_NUM_CONNECTS, &c);
    done += xfers[i].done;
    ok += xfers[i].done && xfers[i].code == CURLE_OK;
    h2 += v == CURL_HTTP_VERSION_2_0;
    connects += c;
  }
  printf("{\"done\": %d, \"ok\": %d, \"h2\": %d, \"num_connects\": %ld, "
         "\"codes\": [", done, ok, h2, connects);
  for (int i = 0; i < n; i++)
    printf("%s%d", i ? ", " : "", xfers[i].code);
  printf("], \"bytes\": [");
  for (int i = 0; i < n; i++)
    printf("%s%lld", i ? ", " : "", xfers[i].bytes);
  printf("], \"sums\": [");
  for (int i = 0; i < n; i++)
    printf("%s%llu", i ? ", " : "", xfers[i].sum);
  printf("]}\n");
  for (int i = 0; i < n; i++) {
    curl_multi_remove_handle(multi, xfers[i].easy);
    curl_easy_cleanup(xfers[i].easy);
  }
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return 0;
}
