/* thread_stress: many threads doing transfers at once, for the thread
 * safety tests (test_threads.py, also under ThreadSanitizer).
 *
 * Usage: thread_stress THREADS PER_THREAD URL [--share] [--tls-url URL
 *                      --cacert FILE] [--h2-url URL]
 * Every thread runs PER_THREAD transfers, each on a new easy handle with
 * curl_easy_perform. With --share all of them use one share handle
 * (COOKIE, DNS, SSL_SESSION, CONNECT, HSTS) whose lock callbacks are pthread
 * mutexes, one per kind, and the cookie engine on; every fifth transfer
 * goes to --tls-url when given, and another fifth to --h2-url (counted
 * in "h2_reused" when it ran as HTTP/2 on a connection it did not make:
 * idle HTTP/2 connections move between the threads). Checks each transfer's
 * CURLcode and response code; with --share also that the lock callbacks were
 * balanced and that cookies set by one thread's transfers were seen by others.
 * Prints one JSON line; exits 0 when every transfer succeeded. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
static long lock_calls[CURL_LOCK_DATA_LAST];
static long unlock_calls[CURL_LOCK_DATA_LAST];

static void on_lock(CURL *h, curl_lock_data data, curl_lock_access access,
                    void *userp) {
  (void)h;
  (void)access;
  (void)userp;
  pthread_mutex_lock(&locks[data]);
  lock_calls[data]++; /* under the lock itself */
}

static void on_unlock(CURL *h, curl_lock_data data, void *userp) {
  (void)h;
  (void)userp;
  unlock_calls[data]++;
  pthread_mutex_unlock(&locks[data]);
}

struct job {
  int per_thread;
  const char *url;
  const char *tls_url;
  const char *h2_url;
  const char *cacert;
  CURLSH *share;
  int ok, failed;
  int h2_reused;
  int first_error;
  int saw_cookie; /* a handle's jar had cookies after its transfer */
  int sent_cookie; /* a new handle sent a cookie: from the shared jar */
};

/* The server answers "cookie=<the Cookie header it got>". */
static size_t sink(char *p, size_t size, size_t n, void *userp) {
  int *sent_cookie = userp;
  size_t len = size * n;
  for (size_t i = 0; i + 1 < len; i++)
    if (p[i] == 'n' && p[i + 1] == '=')
      *sent_cookie = 1;
  return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *userp) {
  (void)p;
  (void)userp;
  return size * n;
}

static void *run(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->per_thread; i++) {
    CURL *h = curl_easy_init();
    if (!h) {
      j->failed++;
      continue;
    }
    int tls = j->tls_url && i % 5 == 4;
    int h2 = j->h2_url && i % 5 == 2;
    curl_easy_setopt(h, CURLOPT_URL,
                     tls  ? j->tls_url
                     : h2 ? j->h2_url
                          : j->url);
    int sent = 0;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sent);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    if (j->cacert)
      curl_easy_setopt(h, CURLOPT_CAINFO, j->cacert);
    if (j->share) {
      curl_easy_setopt(h, CURLOPT_SHARE, j->share);
      curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
    }
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (j->share) {
      struct curl_slist *cookies = NULL;
      curl_easy_getinfo(h, CURLINFO_COOKIELIST, &cookies);
      if (cookies)
        j->saw_cookie = 1;
      curl_slist_free_all(cookies);
    }
    j->sent_cookie |= sent;
    long version = 0, connects = -1;
    curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &version);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
    if (h2 && rc == CURLE_OK && version == CURL_HTTP_VERSION_2_0 &&
        connects == 0)
      j->h2_reused++;
    if (rc == CURLE_OK && code == 200) {
      j->ok++;
    } else {
      if (!j->failed)
        j->first_error = rc ? (int)rc : (int)code;
      j->failed++;
    }
    curl_easy_cleanup(h);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4)
    return 2;
  int threads = atoi(argv[1]);
  int per = atoi(argv[2]);
  const char *url = argv[3];
  const char *tls_url = NULL, *h2_url = NULL, *cacert = NULL;
  int use_share = 0;
  for (int i = 4; i < argc; i++) {
    if (!strcmp(argv[i], "--share"))
      use_share = 1;
    else if (!strcmp(argv[i], "--tls-url") && i + 1 < argc)
      tls_url = argv[++i];
    else if (!strcmp(argv[i], "--h2-url") && i + 1 < argc)
      h2_url = argv[++i];
    else if (!strcmp(argv[i], "--cacert") && i + 1 < argc)
      cacert = argv[++i];
  }
  if (threads < 1 || threads > 64 || per < 1)
    return 2;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
    pthread_mutex_init(&locks[i], NULL);
  CURLSH *share = NULL;
  if (use_share) {
    share = curl_share_init();
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, on_lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, on_unlock);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_HSTS);
  }
  pthread_t tids[64];
  struct job jobs[64];
  for (int i = 0; i < threads; i++) {
    memset(&jobs[i], 0, sizeof(jobs[i]));
    jobs[i].per_thread = per;
    jobs[i].url = url;
    jobs[i].tls_url = tls_url;
    jobs[i].h2_url = h2_url;
    jobs[i].cacert = cacert;
    jobs[i].share = share;
    pthread_create(&tids[i], NULL, run, &jobs[i]);
  }
  int ok = 0, failed = 0, first_error = 0, saw_cookie = 0, sent_cookie = 0;
  int h2_reused = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(tids[i], NULL);
    ok += jobs[i].ok;
    failed += jobs[i].failed;
    h2_reused += jobs[i].h2_reused;
    saw_cookie |= jobs[i].saw_cookie;
    sent_cookie |= jobs[i].sent_cookie;
    if (!first_error)
      first_error = jobs[i].first_error;
  }
  int balanced = 1;
  long total_locks = 0;
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) {
    balanced &= lock_calls[i] == unlock_calls[i];
    total_locks += lock_calls[i];
  }
  long cookie_locks = lock_calls[CURL_LOCK_DATA_COOKIE];
  long connect_locks = lock_calls[CURL_LOCK_DATA_CONNECT];
  long hsts_locks = lock_calls[CURL_LOCK_DATA_HSTS];
  if (share)
    curl_share_cleanup(share);
  curl_global_cleanup();
  printf("{\"ok\": %d, \"failed\": %d, \"first_error\": %d, "
         "\"locks_balanced\": %d, \"lock_calls\": %ld, "
         "\"cookie_locks\": %ld, \"connect_locks\": %ld, "
         "\"hsts_locks\": %ld, "
         "\"saw_cookie\": %d, \"sent_cookie\": %d, \"h2_reused\": %d}\n",
         ok, failed, first_error, balanced, total_locks, cookie_locks,
         connect_locks, hsts_locks, saw_cookie, sent_cookie, h2_reused);
  return failed ? 1 : 0;
}
