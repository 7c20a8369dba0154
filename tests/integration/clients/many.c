/* many: N concurrent transfers on one multi handle, driven by
 * curl_multi_perform + curl_multi_waitfds + poll(2), for test_faults.py.
 *
 * Usage: many N MAX_TOTAL MAX_HOST URL [URL...]
 * Transfer i fetches URL[i % number of URLs]; MAX_TOTAL / MAX_HOST set
 * CURLMOPT_MAX_TOTAL_CONNECTIONS / _MAX_HOST_CONNECTIONS (0: unlimited;
 * -1: not set at all, the defaults hold). After everything is cleaned up it prints one JSON
 * line: the CURLcode histogram per URL index, the sum of
 * CURLINFO_NUM_CONNECTS, and the number of open file descriptors before
 * curl_global_init and after curl_global_cleanup. */
#include <curl/curl.h>
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  closedir(d);
  return n - 3; /* ".", ".." and the DIR's own fd */
}

static size_t sink(char *p, size_t size, size_t n, void *userp) {
  (void)p;
  (void)userp;
  return size * n;
}

int main(int argc, char **argv) {
  if (argc < 5)
    return 2;
  int n = atoi(argv[1]);
  long max_total = atol(argv[2]), max_host = atol(argv[3]);
  int nurls = argc - 4;
  char **urls = argv + 4;
  int fds_before = count_fds();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM *m = curl_multi_init();
  if (max_total >= 0)
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_total);
  if (max_host >= 0)
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, max_host);
  CURL **e = calloc((size_t)n, sizeof(*e));
  for (int i = 0; i < n; i++) {
    e[i] = curl_easy_init();
    curl_easy_setopt(e[i], CURLOPT_URL, urls[i % nurls]);
    curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(e[i], CURLOPT_PRIVATE, (void *)(long)i);
    curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 60L);
    curl_multi_add_handle(m, e[i]);
  }
  int running = 1, waitfds_calls = 0, max_waitfds = 0;
  unsigned cap = 16;
  struct curl_waitfd *ufds = malloc(cap * sizeof(*ufds));
  struct pollfd *pfds = malloc(cap * sizeof(*pfds));
  while (running) {
    if (curl_multi_perform(m, &running) != CURLM_OK)
      break;
    if (!running)
      break;
    unsigned count = 0;
    CURLMcode rc = curl_multi_waitfds(m, ufds, cap, &count);
    if (rc == CURLM_OUT_OF_MEMORY || count > cap) {
      /* Not enough room: grow and ask again. */
      cap = count * 2;
      ufds = realloc(ufds, cap * sizeof(*ufds));
      pfds = realloc(pfds, cap * sizeof(*pfds));
      rc = curl_multi_waitfds(m, ufds, cap, &count);
    }
    if (rc != CURLM_OK)
      break;
    waitfds_calls++;
    if ((int)count > max_waitfds)
      max_waitfds = (int)count;
    for (unsigned i = 0; i < count; i++) {
      pfds[i].fd = ufds[i].fd;
      pfds[i].events =
          (short)(((ufds[i].events & CURL_WAIT_POLLIN) ? POLLIN : 0) |
                  ((ufds[i].events & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
      pfds[i].revents = 0;
    }
    long timeout = -1;
    curl_multi_timeout(m, &timeout);
    if (timeout < 0 || timeout > 1000)
      timeout = 1000;
    poll(pfds, count, (int)timeout);
  }
  /* codes[url index][CURLcode] */
  int codes[8][100];
  memset(codes, 0, sizeof(codes));
  int done = 0;
  long connects = 0;
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(m, &left))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    void *priv = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    int idx = (int)((long)priv % nurls);
    int rc = (int)msg->data.result;
    if (idx < 8 && rc >= 0 && rc < 100)
      codes[idx][rc]++;
    long c = 0;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_NUM_CONNECTS, &c);
    connects += c;
    done++;
  }
  for (int i = 0; i < n; i++) {
    curl_multi_remove_handle(m, e[i]);
    curl_easy_cleanup(e[i]);
  }
  free(e);
  free(ufds);
  free(pfds);
  curl_multi_cleanup(m);
  curl_global_cleanup();
  int fds_after = count_fds();
  printf("{\"done\": %d, \"num_connects\": %ld, \"fds_before\": %d, "
         "\"fds_after\": %d, \"waitfds_calls\": %d, \"max_waitfds\": %d, "
         "\"codes\": [",
         done, connects, fds_before, fds_after, waitfds_calls, max_waitfds);
  for (int u = 0; u < nurls && u < 8; u++) {
    printf("%s{", u ? ", " : "");
    int first = 1;
    for (int c = 0; c < 100; c++)
      if (codes[u][c]) {
        printf("%s\"%d\": %d", first ? "" : ", ", c, codes[u][c]);
        first = 0;
      }
    printf("}");
  }
  printf("]}\n");
  return 0;
}
