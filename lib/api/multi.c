/* multi.c: the multi interface on top of the event loop. */
#include <curl/curl.h>
#include <curl/multi.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "api/easy_handle.h"
#include "api/multi_handle.h"
#include "api/share_handle.h"
#include "api/transfer.h"
#include "http/http_network_session.h"
#include "util/alloc.h"
#include "util/event_loop.h"
#include "util/net_error.h"
#include "util/time.h"
#include "socket/shared_socket_cache.h"

struct cn_multi *cn_multi_from(void *handle) {
  struct cn_multi *m = handle;
  return (m && m->magic == CN_MULTI_MAGIC && !m->dead) ? m : NULL;
}

/* --- socket_action reporting ------------------------------------------- */

static struct cn_socket_entry *find_socket(struct cn_multi *m, curl_socket_t fd,
                                           struct cn_socket_entry ***out_link) {
  struct cn_socket_entry **link = &m->sockets;
  while (*link && (*link)->fd != fd)
    link = &(*link)->next;
  if (out_link)
    *out_link = link;
  return *link;
}

/* A -1 from the program's socket or timer callback kills the multi's
 * transfers, as in libcurl. The callbacks run marked as "in callback". */
static void callback_failed(struct cn_multi *m) {
  m->cb_dead = true;
  m->cb_failed = true;
}

static void call_socket_fn(struct cn_multi *m, int fd, int what,
                           void *socketp) {
  bool was = m->in_callback;
  m->in_callback = true;
  int rc = m->socket_fn(m->easy_first, fd, what, m->socket_data, socketp);
  m->in_callback = was;
  if (rc == -1)
    callback_failed(m);
}

/* on_fd_changed tells the program (CURLMOPT_SOCKETFUNCTION) about a change
 * in what one socket waits for; only changes are reported. */
static void on_fd_changed(void *ctx, int fd, unsigned events) {
  struct cn_multi *m = ctx;
  if (!m->socket_fn)
    return;
  int what = CURL_POLL_NONE;
  if ((events & CN_IO_READ) && (events & CN_IO_WRITE))
    what = CURL_POLL_INOUT;
  else if (events & CN_IO_READ)
    what = CURL_POLL_IN;
  else if (events & CN_IO_WRITE)
    what = CURL_POLL_OUT;
  struct cn_socket_entry **link;
  struct cn_socket_entry *e = find_socket(m, fd, &link);
  if (what == CURL_POLL_NONE) {
    if (!e)
      return;
    *link = e->next;
    void *socketp = e->socketp;
    cn_free(e);
    call_socket_fn(m, fd, CURL_POLL_REMOVE, socketp);
    return;
  }
  if (!e) {
    e = cn_calloc(1, sizeof(*e));
    if (!e)
      return; /* the program will not hear of it; poll-driven use still works */
    e->fd = fd;
    e->next = m->sockets;
    m->sockets = e;
  } else if (e->what == what) {
    return;
  }
  e->what = what;
  call_socket_fn(m, fd, what, e->socketp);
}

static void on_timeout_changed(void *ctx, long timeout_ms) {
  struct cn_multi *m = ctx;
  if (!m->timer_fn || timeout_ms == m->last_timeout_reported)
    return;
  m->last_timeout_reported = timeout_ms;
  bool was = m->in_callback;
  m->in_callback = true;
  int rc = m->timer_fn(m, timeout_ms, m->timer_data);
  m->in_callback = was;
  if (rc == -1)
    callback_failed(m);
}

/* fail_all_if_dead ends every unfinished transfer after a callback
 * failure. */
static void fail_all_if_dead(struct cn_multi *m) {
  if (!m->cb_dead)
    return;
  for (struct cn_easy *e = m->easy_first; e; e = e->next) {
    if (e->done)
      continue;
    e->started = true;
    if (e->transfer)
      cn_transfer_fail(e->transfer, CURLE_ABORTED_BY_CALLBACK);
    if (!e->done) {
      e->result = CURLE_ABORTED_BY_CALLBACK;
      cn_multi_transfer_done(m, e);
    }
  }
}

/* call_result: CURLM_ABORTED_BY_CALLBACK if a callback failed during
 * this API call. */
static CURLMcode call_result(struct cn_multi *m, CURLMcode rc) {
  fail_all_if_dead(m);
  if (m->cb_failed) {
    m->cb_failed = false;
    return CURLM_ABORTED_BY_CALLBACK;
  }
  return rc;
}

/* --- lifetime ------------------------------------------------------------ */

struct cn_multi *cn_multi_new_internal(void) {
  struct cn_multi *m = cn_calloc(1, sizeof(*m));
  if (!m)
    return NULL;
  m->magic = CN_MULTI_MAGIC;
  m->wakeup_fds[0] = m->wakeup_fds[1] = -1;
  m->last_timeout_reported = -2;
  m->max_concurrent_streams = 100;
  m->pipelining = CURLPIPE_MULTIPLEX;
  m->limits.max_idle_age_s = 118;
  m->loop = cn_event_loop_new();
  if (!m->loop)
    goto fail;
  struct cn_event_loop_observer obs = {on_fd_changed, on_timeout_changed, m};
  cn_event_loop_set_observer(m->loop, &obs);
  m->session = cn_http_network_session_new(m->loop, &m->limits);
  if (!m->session)
    goto fail;
  return m;
fail:
  cn_event_loop_free(m->loop);
  cn_free(m);
  return NULL;
}

CURLM *curl_multi_init(void) { return cn_multi_new_internal(); }

static void unlink_easy(struct cn_multi *m, struct cn_easy *e) {
  if (e->prev)
    e->prev->next = e->next;
  else
    m->easy_first = e->next;
  if (e->next)
    e->next->prev = e->prev;
  else
    m->easy_last = e->prev;
  e->next = e->prev = NULL;
  m->num_easy--;
}

/* shared_connections: the share's connection cache |e| uses, or NULL. */
static struct cn_shared_socket_cache *shared_connections(struct cn_easy *e) {
  struct cn_share *sh = (struct cn_share *)e->opts.share;
  return cn_share_has(sh, CURL_LOCK_DATA_CONNECT) ? sh->conn_cache : NULL;
}

/* detach stops |e|'s transfer and takes it out of |m|. */
static void detach(struct cn_multi *m, struct cn_easy *e) {
  if (e->transfer) {
    cn_transfer_free(e->transfer);
    e->transfer = NULL;
  }
  /* Leaving, a transfer prunes the share's dead connections (libcurl). */
  struct cn_shared_socket_cache *shared = shared_connections(e);
  if (shared) {
    struct cn_shared_socket_expiry x = {e->opts.maxage_conn_s,
                                        e->opts.maxlifetime_conn_s};
    cn_shared_socket_cache_prune(shared, &x, cn_time_now_us());
  }
  if (!e->done)
    m->num_alive--;
  e->msg_pending = false;
  unlink_easy(m, e);
  e->multi = NULL;
}

CURLMcode curl_multi_cleanup(CURLM *handle) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  while (m->easy_first)
    detach(m, m->easy_first);
  m->dead = true;
  /* The program's socket callback hears about every socket going away. */
  cn_http_network_session_free(m->session);
  while (m->sockets) {
    struct cn_socket_entry *e = m->sockets;
    m->sockets = e->next;
    cn_free(e);
  }
  cn_event_loop_free(m->loop);
  if (m->wakeup_fds[0] >= 0) {
    close(m->wakeup_fds[0]);
    close(m->wakeup_fds[1]);
  }
  m->magic = 0;
  cn_free(m);
  return CURLM_OK;
}

/* --- handles ------------------------------------------------------------- */

CURLMcode curl_multi_add_handle(CURLM *handle, CURL *easy_handle) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  struct cn_easy *e = cn_easy_from(easy_handle);
  if (!e)
    return CURLM_BAD_EASY_HANDLE;
  if (e->multi)
    return CURLM_ADDED_ALREADY;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  if (m->cb_dead) {
    /* libcurl starts over only when nothing is left running. */
    if (m->num_alive > 0)
      return CURLM_ABORTED_BY_CALLBACK;
    m->cb_dead = false;
  }
  e->multi = m;
  e->prev = m->easy_last;
  e->next = NULL;
  if (m->easy_last)
    m->easy_last->next = e;
  else
    m->easy_first = e;
  m->easy_last = e;
  m->num_easy++;
  m->num_alive++;
  e->done = false;
  e->started = false;
  e->msg_pending = false;
  e->result = CURLE_OK;
  /* libcurl numbers transfers per connection cache: a share's, if any. */
  struct cn_shared_socket_cache *shared = shared_connections(e);
  e->xfer_id = shared ? cn_shared_socket_cache_next_xfer_id(shared)
                      : m->next_xfer_id++;
  /* libcurl asks to be called at once so a socket_action program starts
   * the new transfer. */
  m->last_timeout_reported = -2;
  m->cb_failed = false;
  on_timeout_changed(m, 0);
  if (m->cb_failed) {
    /* The timer callback refused: the handle is not added. */
    m->cb_failed = false;
    detach(m, e);
    return CURLM_ABORTED_BY_CALLBACK;
  }
  return CURLM_OK;
}

CURLMcode curl_multi_remove_handle(CURLM *handle, CURL *easy_handle) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  struct cn_easy *e = cn_easy_from(easy_handle);
  if (!e)
    return CURLM_BAD_EASY_HANDLE;
  if (!e->multi)
    return CURLM_OK; /* libcurl: not added is fine */
  if (e->multi != m)
    return CURLM_BAD_EASY_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  detach(m, e);
  return CURLM_OK;
}

CURL **curl_multi_get_handles(CURLM *handle) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return NULL;
  CURL **list = cn_malloc((size_t)(m->num_easy + 1) * sizeof(*list));
  if (!list)
    return NULL;
  size_t i = 0;
  for (struct cn_easy *e = m->easy_first; e; e = e->next)
    list[i++] = e;
  list[i] = NULL;
  return list;
}

void cn_multi_transfer_done(struct cn_multi *m, struct cn_easy *e) {
  if (e->done)
    return;
  e->done = true;
  e->msg_pending = true;
  e->msg.msg = CURLMSG_DONE;
  e->msg.easy_handle = e;
  e->msg.data.result = e->result;
  m->num_alive--;
}

CURLMsg *curl_multi_info_read(CURLM *handle, int *msgs_in_queue) {
  struct cn_multi *m = cn_multi_from(handle);
  if (msgs_in_queue)
    *msgs_in_queue = 0;
  if (!m || m->in_callback)
    return NULL;
  struct cn_easy *found = NULL;
  int left = 0;
  for (struct cn_easy *e = m->easy_first; e; e = e->next) {
    if (!e->msg_pending)
      continue;
    if (!found)
      found = e;
    else
      left++;
  }
  if (!found)
    return NULL;
  found->msg_pending = false;
  if (msgs_in_queue)
    *msgs_in_queue = left;
  return &found->msg;
}

/* --- driving ------------------------------------------------------------- */

/* start_pending starts every added transfer that has not started yet. */
/* start_pending starts the transfers added since; true if it started
 * one. */
static bool start_pending(struct cn_multi *m) {
  bool started = false;
  for (struct cn_easy *e = m->easy_first; e; e = e->next) {
    if (e->started || e->done)
      continue;
    e->started = true;
    started = true;
    if (cn_transfer_start(e, m) != CURLE_OK && !e->done) {
      e->result = CURLE_OUT_OF_MEMORY;
      cn_multi_transfer_done(m, e);
    }
  }
  return started;
}

static bool has_pending_start(const struct cn_multi *m) {
  for (const struct cn_easy *e = m->easy_first; e; e = e->next)
    if (!e->started && !e->done)
      return true;
  return false;
}

static short poll_events(short curl_events) {
  short ev = 0;
  if (curl_events & CURL_WAIT_POLLIN)
    ev |= POLLIN;
  if (curl_events & CURL_WAIT_POLLPRI)
    ev |= POLLPRI;
  if (curl_events & CURL_WAIT_POLLOUT)
    ev |= POLLOUT;
  return ev;
}

CURLMcode cn_multi_run(struct cn_multi *m, int wait_ms,
                       struct curl_waitfd *extra, unsigned num_extra,
                       int *numfds, bool use_wakeup) {
  m->in_callback = true;
  start_pending(m);
  m->in_callback = false;
  if (has_pending_start(m))
    wait_ms = 0;

  size_t n = num_extra + (use_wakeup ? 1 : 0);
  struct pollfd stack_fds[8];
  struct pollfd *fds = stack_fds;
  if (n > 8) {
    fds = cn_malloc(n * sizeof(*fds));
    if (!fds)
      return CURLM_OUT_OF_MEMORY;
  }
  for (unsigned i = 0; i < num_extra; i++) {
    fds[i].fd = extra[i].fd;
    fds[i].events = poll_events(extra[i].events);
    fds[i].revents = 0;
  }
  if (use_wakeup) {
    fds[num_extra].fd = m->wakeup_fds[0];
    fds[num_extra].events = POLLIN;
    fds[num_extra].revents = 0;
  }
  m->in_callback = true;
  int rv = cn_event_loop_run_once(m->loop, wait_ms, n ? fds : NULL, n);
  start_pending(m);
  m->in_callback = false;

  int count = rv > 0 ? rv : 0;
  for (unsigned i = 0; i < num_extra; i++) {
    short re = fds[i].revents;
    extra[i].revents = (short)(((re & POLLIN) ? CURL_WAIT_POLLIN : 0) |
                               ((re & POLLPRI) ? CURL_WAIT_POLLPRI : 0) |
                               ((re & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
    if (re)
      count++;
  }
  if (use_wakeup && (fds[num_extra].revents & POLLIN)) {
    char drain[64];
    while (read(m->wakeup_fds[0], drain, sizeof(drain)) > 0) {
    }
  }
  if (fds != stack_fds)
    cn_free(fds);
  if (numfds)
    *numfds = count;
  return rv == CN_ERR_OUT_OF_MEMORY ? CURLM_OUT_OF_MEMORY : CURLM_OK;
}

CURLMcode curl_multi_perform(CURLM *handle, int *running_handles) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  /* libcurl's perform only begins a transfer it meets for the first time:
   * its connect is under way when the call returns, and the next call
   * goes on. Programs that count the sockets to wait on between calls
   * (curl_multi_waitfds, curl_multi_fdset) then see every new transfer's
   * socket, however fast the server answers (curl test 2405). */
  m->in_callback = true;
  bool started = start_pending(m);
  if (started)
    cn_event_loop_run_due(m->loop);
  m->in_callback = false;
  CURLMcode rc =
      call_result(m, started ? CURLM_OK
                             : cn_multi_run(m, 0, NULL, 0, NULL, false));
  if (running_handles)
    *running_handles = m->num_alive;
  return rc;
}

static CURLMcode ensure_wakeup(struct cn_multi *m) {
  if (m->wakeup_fds[0] >= 0)
    return CURLM_OK;
  if (pipe2(m->wakeup_fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    m->wakeup_fds[0] = m->wakeup_fds[1] = -1;
    return CURLM_WAKEUP_FAILURE;
  }
  return CURLM_OK;
}

static CURLMcode wait_or_poll(CURLM *handle, struct curl_waitfd extra_fds[],
                              unsigned int extra_nfds, int timeout_ms,
                              int *ret, bool is_poll) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  if (timeout_ms < 0)
    return CURLM_BAD_FUNCTION_ARGUMENT;
  if (is_poll && ensure_wakeup(m) != CURLM_OK)
    return CURLM_WAKEUP_FAILURE;
  /* curl_multi_wait returns at once when there is nothing to wait for;
   * curl_multi_poll sleeps the whole timeout (or until woken). */
  long next = cn_event_loop_timeout_ms(m->loop);
  int wait = timeout_ms;
  if (next >= 0 && next < wait)
    wait = (int)next;
  if (!is_poll && extra_nfds == 0 && m->num_alive == 0)
    wait = 0;
  return call_result(m,
                     cn_multi_run(m, wait, extra_fds, extra_nfds, ret, is_poll));
}

CURLMcode curl_multi_wait(CURLM *handle, struct curl_waitfd extra_fds[],
                          unsigned int extra_nfds, int timeout_ms, int *ret) {
  return wait_or_poll(handle, extra_fds, extra_nfds, timeout_ms, ret, false);
}

CURLMcode curl_multi_poll(CURLM *handle, struct curl_waitfd extra_fds[],
                          unsigned int extra_nfds, int timeout_ms, int *ret) {
  return wait_or_poll(handle, extra_fds, extra_nfds, timeout_ms, ret, true);
}

CURLMcode curl_multi_wakeup(CURLM *handle) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (ensure_wakeup(m) != CURLM_OK)
    return CURLM_WAKEUP_FAILURE;
  char one = 1;
  for (;;) {
    ssize_t w = write(m->wakeup_fds[1], &one, 1);
    if (w == 1 || (w < 0 && errno == EAGAIN))
      return CURLM_OK; /* a full pipe already wakes the poller */
    if (w < 0 && errno == EINTR)
      continue;
    return CURLM_WAKEUP_FAILURE;
  }
}

CURLMcode curl_multi_timeout(CURLM *handle, long *timeout_ms) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (!timeout_ms)
    return CURLM_BAD_FUNCTION_ARGUMENT;
  if (has_pending_start(m))
    *timeout_ms = 0;
  else if (m->num_alive == 0)
    *timeout_ms = -1;
  else
    *timeout_ms = cn_event_loop_timeout_ms(m->loop);
  return CURLM_OK;
}

CURLMcode curl_multi_fdset(CURLM *handle, fd_set *read_fd_set,
                           fd_set *write_fd_set, fd_set *exc_fd_set,
                           int *max_fd) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  (void)exc_fd_set;
  int max = -1;
  struct pollfd fds[64];
  size_t n = cn_event_loop_fill_pollfds(m->loop, fds, 64);
  if (n > 64)
    n = 64; /* select() cannot take more usefully; libcurl has the same cap */
  for (size_t i = 0; i < n; i++) {
    if (fds[i].fd >= FD_SETSIZE)
      continue;
    if ((fds[i].events & POLLIN) && read_fd_set)
      FD_SET(fds[i].fd, read_fd_set);
    if ((fds[i].events & POLLOUT) && write_fd_set)
      FD_SET(fds[i].fd, write_fd_set);
    if (fds[i].fd > max)
      max = fds[i].fd;
  }
  if (max_fd)
    *max_fd = max;
  return CURLM_OK;
}

CURLMcode curl_multi_waitfds(CURLM *handle, struct curl_waitfd *ufds,
                             unsigned int size, unsigned int *fd_count) {
  if (!ufds && (size || !fd_count))
    return CURLM_BAD_FUNCTION_ARGUMENT;
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  /* As libcurl: as many as fit are filled in, *fd_count says how many
   * there are, and too small an array is CURLM_OUT_OF_MEMORY. */
  size_t total = cn_event_loop_fill_pollfds(m->loop, NULL, 0);
  size_t n = ufds ? (total < size ? total : size) : 0;
  if (n) {
    struct pollfd *fds = cn_malloc(n * sizeof(*fds));
    if (!fds)
      return CURLM_OUT_OF_MEMORY;
    cn_event_loop_fill_pollfds(m->loop, fds, n);
    for (size_t i = 0; i < n; i++) {
      ufds[i].fd = fds[i].fd;
      ufds[i].events =
          (short)(((fds[i].events & POLLIN) ? CURL_WAIT_POLLIN : 0) |
                  ((fds[i].events & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
      ufds[i].revents = 0;
    }
    cn_free(fds);
  }
  if (fd_count)
    *fd_count = (unsigned)total;
  return (ufds && total > size) ? CURLM_OUT_OF_MEMORY : CURLM_OK;
}

CURLMcode curl_multi_socket_action(CURLM *handle, curl_socket_t s,
                                   int ev_bitmask, int *running_handles) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  if (m->cb_dead) {
    CURLMcode rc = call_result(m, CURLM_ABORTED_BY_CALLBACK);
    if (running_handles)
      *running_handles = m->num_alive;
    return rc;
  }
  m->in_callback = true;
  start_pending(m);
  if (s != CURL_SOCKET_TIMEOUT) {
    unsigned ready = 0;
    if (ev_bitmask & CURL_CSELECT_IN)
      ready |= CN_IO_READ;
    if (ev_bitmask & CURL_CSELECT_OUT)
      ready |= CN_IO_WRITE;
    if (ev_bitmask & CURL_CSELECT_ERR)
      ready |= CN_IO_ERROR;
    /* 0 means "check the socket": let both directions be tried. */
    if (!ready)
      ready = CN_IO_READ | CN_IO_WRITE;
    cn_event_loop_dispatch_fd(m->loop, s, ready);
  }
  cn_event_loop_run_due(m->loop);
  start_pending(m);
  m->in_callback = false;
  CURLMcode rc = call_result(m, CURLM_OK);
  if (running_handles)
    *running_handles = m->num_alive;
  return rc;
}

CURLMcode curl_multi_socket(CURLM *handle, curl_socket_t s,
                            int *running_handles) {
  return curl_multi_socket_action(handle, s, 0, running_handles);
}

CURLMcode curl_multi_socket_all(CURLM *handle, int *running_handles) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  CURLMcode rc = call_result(m, cn_multi_run(m, 0, NULL, 0, NULL, false));
  if (running_handles)
    *running_handles = m->num_alive;
  return rc;
}

CURLMcode curl_multi_assign(CURLM *handle, curl_socket_t fd, void *sockp) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  struct cn_socket_entry *e = find_socket(m, fd, NULL);
  if (!e)
    return CURLM_BAD_SOCKET;
  e->socketp = sockp;
  return CURLM_OK;
}

/* set_pool_limit stores one connection limit and hands the set to the pool. */
static CURLMcode set_pool_limit(struct cn_multi *m, int *field, long value) {
  if (value < 0)
    return CURLM_BAD_FUNCTION_ARGUMENT;
  *field = (int)value;
  cn_client_socket_pool_set_limits(m->session->pool, &m->limits);
  return CURLM_OK;
}

static void apply_h2_limits(struct cn_multi *m) {
  cn_http_network_session_set_h2_limits(
      m->session, (m->pipelining & CURLPIPE_MULTIPLEX) != 0,
      m->max_concurrent_streams);
}

CURLMcode curl_multi_setopt(CURLM *handle, CURLMoption option, ...) {
  struct cn_multi *m = cn_multi_from(handle);
  if (!m)
    return CURLM_BAD_HANDLE;
  if (m->in_callback)
    return CURLM_RECURSIVE_API_CALL;
  va_list ap;
  va_start(ap, option);
  CURLMcode rc = CURLM_OK;
  long l;
  switch (option) {
  case CURLMOPT_SOCKETFUNCTION:
    m->socket_fn = va_arg(ap, curl_socket_callback);
    break;
  case CURLMOPT_SOCKETDATA:
    m->socket_data = va_arg(ap, void *);
    break;
  case CURLMOPT_TIMERFUNCTION:
    m->timer_fn = va_arg(ap, curl_multi_timer_callback);
    m->last_timeout_reported = -2;
    break;
  case CURLMOPT_TIMERDATA:
    m->timer_data = va_arg(ap, void *);
    break;
  case CURLMOPT_PIPELINING:
    m->pipelining = va_arg(ap, long);
    apply_h2_limits(m);
    break;
  case CURLMOPT_MAXCONNECTS:
    rc = set_pool_limit(m, &m->limits.max_idle, va_arg(ap, long));
    break;
  case CURLMOPT_MAX_HOST_CONNECTIONS:
    rc = set_pool_limit(m, &m->limits.max_per_group, va_arg(ap, long));
    m->host_limit_set |= rc == CURLM_OK;
    break;
  case CURLMOPT_MAX_TOTAL_CONNECTIONS:
    rc = set_pool_limit(m, &m->limits.max_total, va_arg(ap, long));
    m->total_limit_set |= rc == CURLM_OK;
    break;
  case CURLMOPT_MAX_CONCURRENT_STREAMS:
    l = va_arg(ap, long);
    m->max_concurrent_streams = (l < 1 || l > 2147483647L) ? 100 : l;
    apply_h2_limits(m);
    break;
  case CURLMOPT_PUSHFUNCTION:
    m->push_fn = va_arg(ap, curl_push_callback);
    break;
  case CURLMOPT_PUSHDATA:
    m->push_data = va_arg(ap, void *);
    break;
  /* Pipelining (HTTP/1.1) was removed from libcurl in 7.62; these are
   * accepted and ignored there too. */
  case CURLMOPT_MAX_PIPELINE_LENGTH:
    (void)va_arg(ap, long);
    break;
  case CURLMOPT_CONTENT_LENGTH_PENALTY_SIZE:
  case CURLMOPT_CHUNK_LENGTH_PENALTY_SIZE:
    (void)va_arg(ap, curl_off_t);
    break;
  case CURLMOPT_PIPELINING_SITE_BL:
  case CURLMOPT_PIPELINING_SERVER_BL:
    (void)va_arg(ap, char **);
    break;
  default:
    rc = CURLM_UNKNOWN_OPTION;
    break;
  }
  va_end(ap);
  return rc;
}
