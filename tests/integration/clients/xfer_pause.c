/* xfer_pause: curl_easy_pause on the multi interface, for test_xfer.py.
 *
 * Usage: xfer_pause MODE [--cacert F] [--http2] URL [URL2]
 *   recv        the write callback pauses at its first call; the main loop
 *               unpauses 500 ms later (outside any callback)
 *   recv-cb     as recv, but the progress callback unpauses (inside a
 *               callback)
 *   send        PUT of 200000 bytes: the read callback answers
 *               CURL_READFUNC_PAUSE once; the main loop unpauses 300 ms
 *               later
 *   send-post   POST of 200000 bytes from CURLOPT_POSTFIELDS: the progress
 *               callback pauses sending at its first call
 *               (curl_easy_pause(CURLPAUSE_SEND)); the main loop unpauses
 *               300 ms later
 *   h2          URL and URL2 on one multi handle (one HTTP/2 connection,
 *               PIPEWAIT): the first pauses at its first write and stays
 *               paused until the second has finished and 1 s more; then
 *               it is unpaused
 *
 * Prints one JSON object per transfer (curlcode, body length and sha256,
 * writes seen while paused) and, for h2, how much the client's resident
 * memory grew while the first transfer was paused. */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct xfer {
  CURL *h;
  unsigned long long hash; /* FNV-1a over the body, in order */
  curl_off_t len;
  int paused;           /* the program has it paused */
  int writes_while_paused;
  int pause_once;       /* pause at the first write */
  double paused_at;     /* ms */
  int unpause_in_cb;    /* recv-cb: the progress callback unpauses */
  int pause_send_in_cb; /* send-post: the progress callback pauses */
  curl_off_t upload_left;
  int read_paused_once;
  int done;
  CURLcode result;
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t on_write(char *p, size_t size, size_t n, void *userp) {
  struct xfer *x = userp;
  size_t len = size * n;
  if (x->paused)
    x->writes_while_paused++;
  if (x->pause_once) {
    x->pause_once = 0;
    x->paused = 1;
    x->paused_at = now_ms();
    return CURL_WRITEFUNC_PAUSE; /* the same bytes come again later */
  }
  for (size_t i = 0; i < len; i++) {
    x->hash ^= (unsigned char)p[i];
    x->hash *= 1099511628211ULL;
  }
  x->len += (curl_off_t)len;
  return len;
}

static int on_progress(void *userp, curl_off_t a, curl_off_t b, curl_off_t c,
                       curl_off_t d) {
  struct xfer *x = userp;
  (void)a, (void)b, (void)c, (void)d;
  if (x->pause_send_in_cb) {
    x->pause_send_in_cb = 0;
    x->paused = 1;
    x->paused_at = now_ms();
    curl_easy_pause(x->h, CURLPAUSE_SEND);
  }
  if (x->unpause_in_cb && x->paused && now_ms() - x->paused_at >= 300) {
    x->paused = 0;
    curl_easy_pause(x->h, CURLPAUSE_CONT);
  }
  return 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *userp) {
  struct xfer *x = userp;
  size_t len = size * n;
  if (!x->read_paused_once) {
    x->read_paused_once = 1;
    x->paused = 1;
    x->paused_at = now_ms();
    return CURL_READFUNC_PAUSE;
  }
  if ((curl_off_t)len > x->upload_left)
    len = (size_t)x->upload_left;
  memset(buf, 'p', len);
  x->upload_left -= (curl_off_t)len;
  return len;
}

static long rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  if (!f)
    return -1;
  while (fgets(line, sizeof(line), f))
    if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
      break;
  fclose(f);
  return kb;
}

static void setup(struct xfer *x, const char *url, const char *cacert,
                  int http2) {
  memset(x, 0, sizeof(*x));
  x->hash = 1469598103934665603ULL;
  x->h = curl_easy_init();
  curl_easy_setopt(x->h, CURLOPT_URL, url);
  curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(x->h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(x->h, CURLOPT_XFERINFODATA, x);
  curl_easy_setopt(x->h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(x->h, CURLOPT_PIPEWAIT, 1L);
  if (cacert)
    curl_easy_setopt(x->h, CURLOPT_CAINFO, cacert);
  if (http2)
    curl_easy_setopt(x->h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
}

int main(int argc, char **argv) {
  const char *mode = NULL, *cacert = NULL, *urls[2] = {NULL, NULL};
  int http2 = 0, nurls = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--cacert") && i + 1 < argc)
      cacert = argv[++i];
    else if (!strcmp(argv[i], "--http2"))
      http2 = 1;
    else if (!mode)
      mode = argv[i];
    else if (nurls < 2)
      urls[nurls++] = argv[i];
  }
  if (!mode || !nurls) {
    fputs("usage: xfer_pause MODE [--cacert F] [--http2] URL [URL2]\n",
          stderr);
    return 2;
  }
  int h2 = !strcmp(mode, "h2");
  if (h2 && nurls < 2)
    return 2;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM *m = curl_multi_init();
  struct xfer xs[2];
  int n = h2 ? 2 : 1;
  for (int i = 0; i < n; i++) {
    setup(&xs[i], urls[i], cacert, http2);
  }
  if (!strcmp(mode, "send")) {
    xs[0].upload_left = 200000;
    curl_easy_setopt(xs[0].h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(xs[0].h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(xs[0].h, CURLOPT_READDATA, &xs[0]);
    curl_easy_setopt(xs[0].h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)200000);
  } else if (!strcmp(mode, "send-post")) {
    static char body[200000];
    memset(body, 'q', sizeof(body));
    curl_easy_setopt(xs[0].h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(xs[0].h, CURLOPT_POSTFIELDSIZE, (long)sizeof(body));
    xs[0].pause_send_in_cb = 1;
    xs[0].upload_left = 1; /* unpause after 300 ms */
  } else {
    xs[0].pause_once = 1;
    xs[0].unpause_in_cb = !strcmp(mode, "recv-cb");
  }
  for (int i = 0; i < n; i++)
    curl_multi_add_handle(m, xs[i].h);

  int running = n;
  double started = now_ms();
  long rss_at_pause = -1, rss_growth_kb = -1;
  double second_done_at = 0;
  int other_done_while_paused = 0;
  double deadline = now_ms() + 60000;
  while (running && now_ms() < deadline) {
    curl_multi_perform(m, &running);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m, &left))) {
      for (int i = 0; i < n; i++)
        if (msg->easy_handle == xs[i].h) {
          xs[i].done = 1;
          xs[i].result = msg->data.result;
        }
    }
    struct xfer *x = &xs[0];
    if (x->paused && rss_at_pause < 0)
      rss_at_pause = rss_kb();
    if (h2 && xs[1].done && !second_done_at) {
      second_done_at = now_ms();
      other_done_while_paused = x->paused;
    }
    int unpause = 0;
    if (x->paused && !x->unpause_in_cb) {
      if (h2)
        unpause = second_done_at && now_ms() - second_done_at >= 1000;
      else
        unpause = now_ms() - x->paused_at >= (x->upload_left ? 300 : 500);
    }
    if (unpause) {
      if (h2)
        rss_growth_kb = rss_kb() - rss_at_pause;
      x->paused = 0;
      curl_easy_pause(x->h, CURLPAUSE_CONT);
    }
    if (running)
      curl_multi_poll(m, NULL, 0, 50, NULL);
  }
  for (int i = 0; i < n; i++) {
    long code = 0;
    curl_off_t up = 0;
    curl_easy_getinfo(xs[i].h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(xs[i].h, CURLINFO_SIZE_UPLOAD_T, &up);
    printf("{\"curlcode\": %d, \"done\": %d, \"response_code\": %ld, "
           "\"body_len\": %lld, \"body_fnv\": \"%016llx\", "
           "\"writes_while_paused\": %d, \"upload_bytes\": %lld}\n",
           xs[i].done ? (int)xs[i].result : -1, xs[i].done, code,
           (long long)xs[i].len, xs[i].hash, xs[i].writes_while_paused,
           (long long)up);
    curl_multi_remove_handle(m, xs[i].h);
    curl_easy_cleanup(xs[i].h);
  }
  if (h2)
    printf("{\"other_done_while_paused\": %d, \"rss_growth_kb\": %ld}\n",
           other_done_while_paused, rss_growth_kb);
  printf("{\"elapsed_ms\": %.1f}\n", now_ms() - started);
  curl_multi_cleanup(m);
  curl_global_cleanup();
  return 0;
}
