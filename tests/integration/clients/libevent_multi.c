/* libevent_multi: the classic libevent + curl_multi_socket_action program
 * (libcurl's ghiper/hiperfifo shape), for test_multi_events.py.
 *
 * Usage: libevent_multi TOTAL INFLIGHT URL
 * Runs TOTAL transfers of URL, keeping at most INFLIGHT on the multi
 * handle: finished ones are removed and new ones added from the libevent
 * callbacks (never from inside a libcurl callback; a write callback checks
 * that curl_multi_add_handle there answers CURLM_RECURSIVE_API_CALL, as
 * libcurl does). CURLMOPT_SOCKETFUNCTION keeps one event per socket
 * (curl_multi_assign), CURLMOPT_TIMERFUNCTION one timer.
 * Prints one JSON line with the counts; exits 0 when every transfer got
 * a 200. */
#include <curl/curl.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct app {
  struct event_base *base;
  struct event *timer;
  CURLM *multi;
  const char *url;
  int total, inflight_max;
  int started, running, done, ok;
  long bytes;
  int socket_calls, timer_calls, events;
  int recursive_refused; /* add_handle inside a write callback refused */
  int recursive_checked;
  CURL *spare; /* used for the recursion check */
};

struct sock {
  struct event *ev;
  struct app *app;
};

static void start_more(struct app *a);

static void check_done(struct app *a) {
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(a->multi, &left))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    CURL *h = msg->easy_handle;
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    a->done++;
    if (msg->data.result == CURLE_OK && code == 200)
      a->ok++;
    else
      fprintf(stderr, "transfer failed: %d (%ld)\n", (int)msg->data.result,
              code);
    /* Removing and adding from here, a libevent callback, is allowed. */
    curl_multi_remove_handle(a->multi, h);
    curl_easy_cleanup(h);
  }
  start_more(a);
  if (a->done == a->total)
    event_base_loopbreak(a->base);
}

static void on_event(evutil_socket_t fd, short what, void *arg) {
  struct app *a = arg;
  int ev = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
           ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
  a->events++;
  curl_multi_socket_action(a->multi, fd, ev, &a->running);
  check_done(a);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg) {
  struct app *a = arg;
  (void)fd;
  (void)what;
  curl_multi_socket_action(a->multi, CURL_SOCKET_TIMEOUT, 0, &a->running);
  check_done(a);
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp) {
  struct app *a = userp;
  (void)multi;
  a->timer_calls++;
  if (timeout_ms < 0) {
    evtimer_del(a->timer);
    return 0;
  }
  struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  evtimer_add(a->timer, &tv);
  return 0;
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *userp,
                     void *socketp) {
  struct app *a = userp;
  struct sock *k = socketp;
  (void)easy;
  a->socket_calls++;
  if (what == CURL_POLL_REMOVE) {
    if (k) {
      event_free(k->ev);
      free(k);
    }
    return 0;
  }
  short kind = (short)(((what & CURL_POLL_IN) ? EV_READ : 0) |
                       ((what & CURL_POLL_OUT) ? EV_WRITE : 0) | EV_PERSIST);
  if (!k) {
    k = calloc(1, sizeof(*k));
    if (!k)
      return -1;
    k->app = a;
    curl_multi_assign(a->multi, s, k);
  } else {
    event_free(k->ev);
  }
  k->ev = event_new(a->base, s, kind, on_event, a);
  event_add(k->ev, NULL);
  return 0;
}

static size_t on_write(char *p, size_t size, size_t n, void *userp) {
  struct app *a = userp;
  (void)p;
  if (!a->recursive_checked) {
    a->recursive_checked = 1;
    a->recursive_refused = curl_multi_add_handle(a->multi, a->spare) ==
                           CURLM_RECURSIVE_API_CALL;
  }
  a->bytes += (long)(size * n);
  return size * n;
}

static void start_more(struct app *a) {
  while (a->started < a->total && a->started - a->done < a->inflight_max) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, a->url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
    curl_multi_add_handle(a->multi, h);
    a->started++;
  }
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  struct app a;
  memset(&a, 0, sizeof(a));
  a.total = atoi(argv[1]);
  a.inflight_max = atoi(argv[2]);
  a.url = argv[3];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  a.base = event_base_new();
  a.timer = evtimer_new(a.base, on_timeout, &a);
  a.multi = curl_multi_init();
  a.spare = curl_easy_init();
  curl_easy_setopt(a.spare, CURLOPT_URL, a.url);
  curl_multi_setopt(a.multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
  curl_multi_setopt(a.multi, CURLMOPT_SOCKETDATA, &a);
  curl_multi_setopt(a.multi, CURLMOPT_TIMERFUNCTION, timer_cb);
  curl_multi_setopt(a.multi, CURLMOPT_TIMERDATA, &a);
  start_more(&a);
  event_base_dispatch(a.base);
  printf("{\"done\": %d, \"ok\": %d, \"bytes\": %ld, \"socket_calls\": %d, "
         "\"timer_calls\": %d, \"events\": %d, \"recursive_refused\": %d}\n",
         a.done, a.ok, a.bytes, a.socket_calls, a.timer_calls, a.events,
         a.recursive_refused);
  curl_multi_cleanup(a.multi);
  curl_easy_cleanup(a.spare);
  event_free(a.timer);
  event_base_free(a.base);
  curl_global_cleanup();
  return a.ok == a.total ? 0 : 1;
}
