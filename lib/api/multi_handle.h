/* multi_handle.h: what a CURLM * is inside curlium: the event loop, the
 * network session (resolver, TLS context, socket pool) and the easy handles
 * it drives. curl_easy_perform uses a private one per easy handle.
 *
 * Ownership: the multi owns its loop, session, wakeup pipe and socket
 * assignments; it does not own the easy handles added to it. */
#ifndef CN_API_MULTI_HANDLE_H
#define CN_API_MULTI_HANDLE_H

#include <curl/curl.h>
#include <stdbool.h>

#include "socket/client_socket_pool.h"

struct cn_easy;
struct cn_event_loop;
struct cn_http_network_session;

#define CN_MULTI_MAGIC 0x000bab1eU

/* One socket the program was told about through CURLMOPT_SOCKETFUNCTION. */
struct cn_socket_entry {
  curl_socket_t fd;
  int what;      /* CURL_POLL_* last reported */
  void *socketp; /* curl_multi_assign */
  struct cn_socket_entry *next;
};

struct cn_multi {
  unsigned magic;
  struct cn_event_loop *loop;
  struct cn_http_network_session *session;
  struct cn_socket_pool_limits limits;

  struct cn_easy *easy_first; /* list of added handles */
  struct cn_easy *easy_last;
  int num_easy;
  int num_alive; /* added and not finished */
  curl_off_t next_xfer_id;

  /* CURLMOPT_* */
  curl_socket_callback socket_fn;
  void *socket_data;
  curl_multi_timer_callback timer_fn;
  void *timer_data;
  long pipelining;
  long max_concurrent_streams;
  curl_push_callback push_fn;
  void *push_data;

  struct cn_socket_entry *sockets; /* for socket_action mode */
  bool socket_mode;                /* socket_action was used */
  long last_timeout_reported;

  int wakeup_fds[2]; /* pipe for curl_multi_wakeup; -1 until needed */
  bool in_callback;  /* re-entrancy guard (CURLM_RECURSIVE_API_CALL) */
  bool dns_custom;   /* the resolver runs a transfer's own DNS servers */
  /* The program set CURLMOPT_MAX_HOST_CONNECTIONS / _TOTAL_CONNECTIONS:
   * its values then hold for browser-profile transfers too. */
  bool host_limit_set;
  /* A socket or timer callback returned -1: every transfer fails with
   * CURLE_ABORTED_BY_CALLBACK (libcurl's "dead" multi); |cb_failed| marks
   * the API call during which it happened. */
  bool cb_dead;
  bool cb_failed;
  bool total_limit_set;
  bool dead;         /* cleanup in progress */
};

struct cn_multi *cn_multi_from(void *handle);
/* cn_multi_new_internal: the private multi of curl_easy_perform. */
struct cn_multi *cn_multi_new_internal(void);
/* Called by a transfer when it has finished (queues CURLMSG_DONE). */
void cn_multi_transfer_done(struct cn_multi *m, struct cn_easy *easy);
/* Runs the loop once without blocking and starts pending transfers; the
 * shared core of curl_multi_perform and curl_multi_socket_action. */
CURLMcode cn_multi_run(struct cn_multi *m, int wait_ms, struct curl_waitfd *extra,
                       unsigned num_extra, int *numfds, bool use_wakeup);

#endif
