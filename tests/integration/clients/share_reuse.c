/* share_reuse: a libcurl client for the share-handle tests.
 *
 * Usage: share_reuse [options] URL...
 *   --share LIST      comma list of connect,dns,ssl,cookie,hsts: what the share
 *                     handle shares; "none" (default): no share handle
 *   --cacert FILE     CURLOPT_CAINFO
 *   --verbose         CURLOPT_VERBOSE (to stderr)
 *   --keep            keep every easy handle until the end (cleaned up after
 *                     the last transfer, not after its own)
 *   --cookies         turn every handle's cookie engine on (COOKIEFILE "")
 *   --hsts            turn every handle's HSTS cache on (CURLOPT_HSTS_CTRL,
 *                     set before CURLOPT_SHARE)
 *   --threads N       run N threads ...
 *   --per-thread M    ... each doing M transfers of the first URL, every
 *                     transfer on a new easy handle (default 1 thread)
 *
 * Without --threads, each URL is fetched in turn on a new easy handle (as
 * the curl tool does) and one JSON object per transfer is printed:
 *   {"code":N,"num_connects":N,"conn_id":N,"hsts_locks":N,
 *    "http_version":N,"url":"...","body":"..."}
 * (url: CURLINFO_EFFECTIVE_URL; hsts_locks: CURL_LOCK_DATA_HSTS locks so
 * far; http_version: CURLINFO_HTTP_VERSION, 3 for HTTP/2)
 * With --threads, one summary object:
 *   {"transfers":N,"ok":N,"connects":N,"locks":{"dns":N,...},"errors":N}
 * The share handle gets pthread mutex lock callbacks (one mutex per kind of
 * data); a lock taken twice by one thread or an unlock without a lock is
 * counted in "errors". Exit 0 when the transfers could run, 2 on bad usage.
 * Everything is freed before exit. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct body {
  char data[256];
  size_t len;
};

static size_t on_write(char *p, size_t size, size_t n, void *ud) {
  struct body *b = ud;
  size_t len = size * n;
  size_t room = sizeof(b->data) - 1 - b->len;
  size_t take = len < room ? len : room;
  memcpy(b->data + b->len, p, take);
  b->len += take;
  b->data[b->len] = '\0';
  return len;
}

/* --- lock callbacks ------------------------------------------------------- */

static pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
static _Thread_local int mine[CURL_LOCK_DATA_LAST]; /* held by this thread */
static long lock_count[CURL_LOCK_DATA_LAST];        /* under locks[d] */
static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static long lock_errors;

static void lock_error(void) {
  pthread_mutex_lock(&stats_mu);
  lock_errors++;
  pthread_mutex_unlock(&stats_mu);
}

static void lock_cb(CURL *h, curl_lock_data d, curl_lock_access a, void *u) {
  (void)h;
  (void)a;
  (void)u;
  if (d < 0 || d >= CURL_LOCK_DATA_LAST)
    return;
  /* Non-recursive: a second lock by the same thread would deadlock, so
   * report it instead of hanging. */
  if (mine[d]) {
    lock_error();
    return;
  }
  pthread_mutex_lock(&locks[d]);
  mine[d] = 1;
  lock_count[d]++;
}

static void unlock_cb(CURL *h, curl_lock_data d, void *u) {
  (void)h;
  (void)u;
  if (d < 0 || d >= CURL_LOCK_DATA_LAST)
    return;
  if (!mine[d]) {
    lock_error();
    return;
  }
  mine[d] = 0;
  pthread_mutex_unlock(&locks[d]);
}

/* --- transfers ------------------------------------------------------------ */

struct config {
  CURLSH *share;
  int keep;
  const char *cacert;
  int verbose;
  int cookies;
  int hsts;
};

#define MAX_KEPT 64
static CURL *kept[MAX_KEPT]; /* --keep */
static int num_kept;

struct result {
  CURLcode code;
  long connects;
  curl_off_t conn_id;
  long http_version;
  char url[256];
  struct body body;
};

static void transfer(const struct config *cfg, const char *url,
                     struct result *r) {
  memset(r, 0, sizeof(*r));
  r->conn_id = -1;
  CURL *h = curl_easy_init();
  if (!h) {
    r->code = CURLE_OUT_OF_MEMORY;
    return;
  }
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
  if (cfg->hsts)
    curl_easy_setopt(h, CURLOPT_HSTS_CTRL, (long)CURLHSTS_ENABLE);
  if (cfg->share)
    curl_easy_setopt(h, CURLOPT_SHARE, cfg->share);
  if (cfg->cacert)
    curl_easy_setopt(h, CURLOPT_CAINFO, cfg->cacert);
  if (cfg->verbose)
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  if (cfg->cookies)
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
  r->code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->connects);
  curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &r->http_version);
  const char *eff = NULL;
  if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
    snprintf(r->url, sizeof(r->url), "%s", eff);
#if CURL_AT_LEAST_VERSION(8, 2, 0)
  if (curl_easy_getinfo(h, CURLINFO_CONN_ID, &r->conn_id) != CURLE_OK)
    r->conn_id = -1;
#endif
  if (cfg->keep && num_kept < MAX_KEPT)
    kept[num_kept++] = h;
  else
    curl_easy_cleanup(h);
}

static void print_json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

struct thread_arg {
  const struct config *cfg;
  const char *url;
  int count;
  int ok;
  long connects;
};

static void *thread_main(void *p) {
  struct thread_arg *a = p;
  for (int i = 0; i < a->count; i++) {
    struct result r;
    transfer(a->cfg, a->url, &r);
    if (r.code == CURLE_OK)
      a->ok++;
    else
      fprintf(stderr, "transfer failed: %d\n", (int)r.code);
    a->connects += r.connects;
  }
  return NULL;
}

static int add_shares(CURLSH *sh, const char *list) {
  char buf[128];
  snprintf(buf, sizeof(buf), "%s", list);
  for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    curl_lock_data d;
    if (!strcmp(t, "connect"))
      d = CURL_LOCK_DATA_CONNECT;
    else if (!strcmp(t, "dns"))
      d = CURL_LOCK_DATA_DNS;
    else if (!strcmp(t, "ssl"))
      d = CURL_LOCK_DATA_SSL_SESSION;
    else if (!strcmp(t, "cookie"))
      d = CURL_LOCK_DATA_COOKIE;
    else if (!strcmp(t, "hsts"))
      d = CURL_LOCK_DATA_HSTS;
    else
      return -1;
    if (curl_share_setopt(sh, CURLSHOPT_SHARE, d) != CURLSHE_OK)
      return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  struct config cfg = {0};
  const char *share_list = "none";
  int threads = 0, per_thread = 1;
  int i = 1;
  for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
    if (!strcmp(argv[i], "--verbose")) {
      cfg.verbose = 1;
    } else if (!strcmp(argv[i], "--keep")) {
      cfg.keep = 1;
    } else if (!strcmp(argv[i], "--cookies")) {
      cfg.cookies = 1;
    } else if (!strcmp(argv[i], "--hsts")) {
      cfg.hsts = 1;
    } else if (i + 1 < argc && !strcmp(argv[i], "--share")) {
      share_list = argv[++i];
    } else if (i + 1 < argc && !strcmp(argv[i], "--cacert")) {
      cfg.cacert = argv[++i];
    } else if (i + 1 < argc && !strcmp(argv[i], "--threads")) {
      threads = atoi(argv[++i]);
    } else if (i + 1 < argc && !strcmp(argv[i], "--per-thread")) {
      per_thread = atoi(argv[++i]);
    } else {
      fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (i >= argc) {
    fprintf(stderr, "usage: share_reuse [options] URL...\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_ALL);
  for (int d = 0; d < CURL_LOCK_DATA_LAST; d++)
    pthread_mutex_init(&locks[d], NULL);
  if (strcmp(share_list, "none") != 0) {
    cfg.share = curl_share_init();
    curl_share_setopt(cfg.share, CURLSHOPT_LOCKFUNC, lock_cb);
    curl_share_setopt(cfg.share, CURLSHOPT_UNLOCKFUNC, unlock_cb);
    if (add_shares(cfg.share, share_list) != 0) {
      fprintf(stderr, "bad --share list %s\n", share_list);
      curl_share_cleanup(cfg.share);
      return 2;
    }
  }

  if (threads > 0) {
    pthread_t tid[64];
    struct thread_arg args[64];
    if (threads > 64)
      threads = 64;
    for (int t = 0; t < threads; t++) {
      args[t] = (struct thread_arg){&cfg, argv[i], per_thread, 0, 0};
      pthread_create(&tid[t], NULL, thread_main, &args[t]);
    }
    int ok = 0;
    long connects = 0;
    for (int t = 0; t < threads; t++) {
      pthread_join(tid[t], NULL);
      ok += args[t].ok;
      connects += args[t].connects;
    }
    printf("{\"transfers\":%d,\"ok\":%d,\"connects\":%ld,\"errors\":%ld,"
           "\"locks\":{\"share\":%ld,\"dns\":%ld,\"ssl\":%ld,"
           "\"connect\":%ld}}\n",
           threads * per_thread, ok, connects, lock_errors,
           lock_count[CURL_LOCK_DATA_SHARE], lock_count[CURL_LOCK_DATA_DNS],
           lock_count[CURL_LOCK_DATA_SSL_SESSION],
           lock_count[CURL_LOCK_DATA_CONNECT]);
  } else {
    for (; i < argc; i++) {
      struct result r;
      transfer(&cfg, argv[i], &r);
      printf("{\"code\":%d,\"num_connects\":%ld,\"conn_id\":%ld,"
             "\"hsts_locks\":%ld,\"http_version\":%ld,\"url\":",
             (int)r.code, r.connects, (long)r.conn_id,
             lock_count[CURL_LOCK_DATA_HSTS], r.http_version);
      print_json_string(r.url);
      printf(",\"body\":");
      print_json_string(r.body.data);
      printf("}\n");
    }
  }
  fflush(stdout);
  for (int k = 0; k < num_kept; k++)
    curl_easy_cleanup(kept[k]);
  if (cfg.share && curl_share_cleanup(cfg.share) != CURLSHE_OK)
    fprintf(stderr, "curl_share_cleanup failed\n");
  for (int d = 0; d < CURL_LOCK_DATA_LAST; d++)
    pthread_mutex_destroy(&locks[d]);
  curl_global_cleanup();
  return 0;
}
