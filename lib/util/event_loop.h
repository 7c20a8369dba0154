/* event_loop.h: the one event loop that drives every socket, timer and
 * deferred task of a multi handle (curl_easy_perform uses a multi with one
 * handle, so it runs on this loop too).
 *
 * Watches, timers and tasks are embedded in their owners (no allocation to
 * arm or disarm). An owner must stop them before it is freed. Callbacks run
 * only from cn_event_loop_run_once / cn_event_loop_dispatch_fd /
 * cn_event_loop_run_due, never from inside a start call, so a callback may
 * free objects freely.
 *
 * The loop polls by itself (curl_multi_perform / _wait / _poll) or, for
 * curl_multi_socket_action, reports interest changes through an observer and
 * is told by the program which fds are ready. */
#ifndef CN_UTIL_EVENT_LOOP_H
#define CN_UTIL_EVENT_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pollfd;
struct cn_event_loop;

enum { CN_IO_READ = 1, CN_IO_WRITE = 2, CN_IO_ERROR = 4 };

typedef void (*cn_io_fn)(void *ctx, unsigned ready);
typedef void (*cn_timer_fn)(void *ctx);
typedef void (*cn_task_fn)(void *ctx);

/* A file-descriptor watch. One watch per fd at a time. */
struct cn_io_watch {
  struct cn_event_loop *loop; /* NULL while not started */
  int fd;
  unsigned events; /* CN_IO_READ | CN_IO_WRITE */
  cn_io_fn fn;
  void *ctx;
  size_t slot; /* index in the loop's watch table */
};

struct cn_timer {
  struct cn_event_loop *loop; /* NULL while not armed */
  int64_t deadline_us;
  cn_timer_fn fn;
  void *ctx;
  size_t heap_index;
};

struct cn_task {
  struct cn_event_loop *loop; /* NULL while not posted */
  cn_task_fn fn;
  void *ctx;
  struct cn_task *next;
};

/* Observer for curl_multi_socket_action: told when the set of watched
 * events of an fd changes (events == 0: no longer watched) and when the
 * earliest deadline changes (timeout_ms -1: none). */
struct cn_event_loop_observer {
  void (*fd_changed)(void *ctx, int fd, unsigned events);
  void (*timeout_changed)(void *ctx, long timeout_ms);
  void *ctx;
};

struct cn_event_loop *cn_event_loop_new(void);
/* cn_event_loop_free: all watches, timers and tasks must be stopped. */
void cn_event_loop_free(struct cn_event_loop *loop);
void cn_event_loop_set_observer(struct cn_event_loop *loop,
                                const struct cn_event_loop_observer *obs);

void cn_io_watch_init(struct cn_io_watch *w, cn_io_fn fn, void *ctx);
/* cn_io_watch_start sets the events watched on |fd| (replacing earlier
 * ones; 0 stops). CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_io_watch_start(struct cn_event_loop *loop, struct cn_io_watch *w, int fd,
                      unsigned events);
void cn_io_watch_stop(struct cn_io_watch *w);

void cn_timer_init(struct cn_timer *t, cn_timer_fn fn, void *ctx);
/* cn_timer_start (re)arms |t| to fire once after |delay_ms|.
 * CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_timer_start(struct cn_event_loop *loop, struct cn_timer *t,
                   int64_t delay_ms);
int cn_timer_start_us(struct cn_event_loop *loop, struct cn_timer *t,
                      int64_t delay_us);
void cn_timer_stop(struct cn_timer *t);
static inline bool cn_timer_armed(const struct cn_timer *t) {
  return t->loop != 0;
}

void cn_task_init(struct cn_task *task, cn_task_fn fn, void *ctx);
/* cn_task_post queues |task| to run at the next dispatch (once; posting a
 * posted task does nothing). Used so that completions are never reported
 * from inside the call that started an operation. */
void cn_task_post(struct cn_event_loop *loop, struct cn_task *task);
void cn_task_cancel(struct cn_task *task);

/* cn_event_loop_run_once polls watched fds for at most |max_wait_ms| (0: do
 * not block; the nearest timer or a posted task shortens it), then runs ready
 * fds, due timers and posted tasks. |extra|/|num_extra| are more pollfds to
 * wait on (curl_multi_wait's extra_fds, the wakeup pipe); their revents are
 * filled in. Returns the number of events dispatched, or a net error. */
int cn_event_loop_run_once(struct cn_event_loop *loop, int max_wait_ms,
                           struct pollfd *extra, size_t num_extra);
/* cn_event_loop_dispatch_fd runs the watch of |fd| as if poll reported
 * |ready| (curl_multi_socket_action). Unknown fds are ignored. */
void cn_event_loop_dispatch_fd(struct cn_event_loop *loop, int fd,
                               unsigned ready);
/* cn_event_loop_run_due runs due timers and posted tasks. */
void cn_event_loop_run_due(struct cn_event_loop *loop);
/* Milliseconds until the next timer (0 if a task is posted or a timer is
 * due, -1 if nothing is armed). */
long cn_event_loop_timeout_ms(const struct cn_event_loop *loop);
/* cn_event_loop_fill_pollfds writes up to |max| watched fds with their
 * events; returns how many are watched in all. */
size_t cn_event_loop_fill_pollfds(const struct cn_event_loop *loop,
                                  struct pollfd *out, size_t max);

#endif
