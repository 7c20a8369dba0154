/* progress_watch.c: one transfer with CURLOPT_XFERINFOFUNCTION set, for
 * the progress tests.
 *
 *   progress_watch URL [options]
 *     --abort-after N   the callback returns 1 on its Nth call
 *     --chunked BODY    POST BODY through the read callback, one read per
 *                       call of at most 3 bytes, with
 *                       "Transfer-Encoding: chunked"
 *     --timeout S       CURLOPT_TIMEOUT (default 30)
 *
 * Prints one JSON line: {"curlcode": n, "calls": n, "max_ulnow": n,
 * "last_ulnow": n, "size_upload": n, "ulnow_fell": n (times the upload
 * counter went back, as it does when a request starts again)}. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct watch {
  long calls;
  long abort_after;
  curl_off_t max_ulnow, last_ulnow;
  long ulnow_fell;
};

struct body {
  const char *data;
  size_t left;
};

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow) {
  struct watch *w = p;
  (void)dltotal;
  (void)dlnow;
  (void)ultotal;
  w->calls++;
  if (ulnow < w->last_ulnow)
    w->ulnow_fell++;
  w->last_ulnow = ulnow;
  if (ulnow > w->max_ulnow)
    w->max_ulnow = ulnow;
  return w->abort_after > 0 && w->calls >= w->abort_after;
}

static size_t on_read(char *buf, size_t size, size_t n, void *p) {
  struct body *b = p;
  size_t len = size * n;
  if (len > 3)
    len = 3;
  if (len > b->left)
    len = b->left;
  memcpy(buf, b->data, len);
  b->data += len;
  b->left -= len;
  return len;
}

static size_t discard(char *p, size_t size, size_t n, void *u) {
  (void)p;
  (void)u;
  return size * n;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: progress_watch URL [options]\n");
    return 2;
  }
  struct watch w = {0};
  struct body b = {0};
  long timeout = 30;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--abort-after") && i + 1 < argc)
      w.abort_after = atol(argv[++i]);
    else if (!strcmp(argv[i], "--chunked") && i + 1 < argc) {
      b.data = argv[++i];
      b.left = strlen(b.data);
    } else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
      timeout = atol(argv[++i]);
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *e = curl_easy_init();
  struct curl_slist *headers = NULL;
  curl_easy_setopt(e, CURLOPT_URL, argv[1]);
  curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &w);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
  if (b.data) {
    headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(e, CURLOPT_READDATA, &b);
  }
  CURLcode rc = curl_easy_perform(e);
  curl_off_t size_upload = -1;
  curl_easy_getinfo(e, CURLINFO_SIZE_UPLOAD_T, &size_upload);
  printf("{\"curlcode\": %d, \"calls\": %ld, \"max_ulnow\": %ld, "
         "\"last_ulnow\": %ld, \"size_upload\": %ld, \"ulnow_fell\": %ld}\n",
         (int)rc, w.calls, (long)w.max_ulnow, (long)w.last_ulnow,
         (long)size_upload, w.ulnow_fell);
  curl_slist_free_all(headers);
  curl_easy_cleanup(e);
  curl_global_cleanup();
  return 0;
}
