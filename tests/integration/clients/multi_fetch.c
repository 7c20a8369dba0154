/* multi_fetch.c: runs N transfers of one URL concurrently on one multi
 * handle, driven either by curl_multi_perform + curl_multi_poll ("poll") or
 * by curl_multi_socket_action with the program's own poll(2) loop built
 * from CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION ("socket").
 *
 *   multi_fetch MODE N URL [MAX_HOST_CONNECTIONS]
 *
 * Prints one JSON line: {"done": n, "ok": n, "codes": {...}, "bytes": n,
 * "num_connects": n, "socket_calls": n, "timer_calls": n}. */
#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FDS 1024

struct watched {
  curl_socket_t fd;
  int what;
};

static struct watched fds[MAX_FDS];
static int num_fds;
static long timeout_ms = -1;
static int socket_calls, timer_calls;
static long long total_bytes;

static size_t on_write(char *p, size_t size, size_t n, void *userdata) {
  (void)p;
  (void)userdata;
  total_bytes += (long long)(size * n);
  return size * n;
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp,
                     void *socketp) {
  (void)easy;
  (void)userp;
  (void)socketp;
  socket_calls++;
  for (int i = 0; i < num_fds; i++) {
    if (fds[i].fd != s)
      continue;
    if (what == CURL_POLL_REMOVE)
      fds[i] = fds[--num_fds];
    else
      fds[i].what = what;
    return 0;
  }
  if (what != CURL_POLL_REMOVE && num_fds < MAX_FDS) {
    fds[num_fds].fd = s;
    fds[num_fds].what = what;
    num_fds++;
  }
  return 0;
}

static int on_timer(CURLM *multi, long ms, void *userp) {
  (void)multi;
  (void)userp;
  timer_calls++;
  timeout_ms = ms;
  return 0;
}

static void run_socket_mode(CURLM *multi) {
  int running = 1;
  curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
  while (running) {
    struct pollfd p[MAX_FDS];
    for (int i = 0; i < num_fds; i++) {
      p[i].fd = fds[i].fd;
      p[i].events = (short)(((fds[i].what & CURL_POLL_IN) ? POLLIN : 0) |
                            ((fds[i].what & CURL_POLL_OUT) ? POLLOUT : 0));
      p[i].revents = 0;
    }
    int n = num_fds;
    int wait = timeout_ms < 0 ? 1000 : (int)timeout_ms;
    int rc = poll(p, (nfds_t)n, wait);
    if (rc <= 0) {
      timeout_ms = -1;
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
      continue;
    }
    for (int i = 0; i < n; i++) {
      if (!p[i].revents)
        continue;
      int ev = ((p[i].revents & POLLIN) ? CURL_CSELECT_IN : 0) |
               ((p[i].revents & POLLOUT) ? CURL_CSELECT_OUT : 0) |
               ((p[i].revents & (POLLERR | POLLHUP)) ? CURL_CSELECT_ERR : 0);
      curl_multi_socket_action(multi, p[i].fd, ev, &running);
    }
  }
}

static void run_poll_mode(CURLM *multi) {
  int running = 1;
  while (running) {
    if (curl_multi_perform(multi, &running) != CURLM_OK)
      break;
    if (running)
      curl_multi_poll(multi, NULL, 0, 1000, NULL);
  }
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: multi_fetch poll|socket N URL [MAXHOST]\n");
    return 2;
  }
  int n = atoi(argv[2]);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM *multi = curl_multi_init();
  if (argc > 4)
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, atol(argv[4]));
  bool socket_mode = strcmp(argv[1], "socket") == 0;
  if (socket_mode) {
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
  }
  CURL **easies = calloc((size_t)n, sizeof(*easies));
  for (int i = 0; i < n; i++) {
    easies[i] = curl_easy_init();
    curl_easy_setopt(easies[i], CURLOPT_URL, argv[3]);
    curl_easy_setopt(easies[i], CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(easies[i], CURLOPT_PRIVATE, (void *)(long)i);
    curl_multi_add_handle(multi, easies[i]);
  }
  if (socket_mode)
    run_socket_mode(multi);
  else
    run_poll_mode(multi);

  int done = 0, ok = 0;
  long connects = 0;
  int codes[128] = {0};
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(multi, &left))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    done++;
    int code = (int)msg->data.result;
    if (code >= 0 && code < 128)
      codes[code]++;
    if (code == CURLE_OK)
      ok++;
    long c = 0;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_NUM_CONNECTS, &c);
    connects += c;
  }
  printf("{\"done\": %d, \"ok\": %d, \"codes\": {", done, ok);
  bool first = true;
  for (int i = 0; i < 128; i++) {
    if (!codes[i])
      continue;
    printf("%s\"%d\": %d", first ? "" : ", ", i, codes[i]);
    first = false;
  }
  printf("}, \"bytes\": %lld, \"num_connects\": %ld, \"socket_calls\": %d, "
         "\"timer_calls\": %d}\n",
         total_bytes, connects, socket_calls, timer_calls);
  for (int i = 0; i < n; i++) {
    curl_multi_remove_handle(multi, easies[i]);
    curl_easy_cleanup(easies[i]);
  }
  free(easies);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return ok == n ? 0 : 1;
}
