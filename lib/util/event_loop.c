/* event_loop.c: poll(2)-based loop with a timer heap and a task queue. */
#include "util/event_loop.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "util/alloc.h"
#include "util/net_error.h"
#include "util/time.h"

struct cn_event_loop {
  struct cn_io_watch **watches;
  size_t num_watches;
  size_t cap_watches;

  struct cn_timer **heap; /* min-heap on deadline_us */
  size_t num_timers;
  size_t cap_timers;

  struct cn_task *tasks_head;
  struct cn_task *tasks_tail;

  struct pollfd *pollfds; /* scratch for run_once */
  size_t cap_pollfds;

  struct cn_event_loop_observer observer;
  long reported_timeout_ms; /* last value told to the observer */
};

struct cn_event_loop *cn_event_loop_new(void) {
  struct cn_event_loop *loop = cn_calloc(1, sizeof(*loop));
  if (loop)
    loop->reported_timeout_ms = -2; /* never reported */
  return loop;
}

void cn_event_loop_free(struct cn_event_loop *loop) {
  if (!loop)
    return;
  /* Owners should have stopped everything; detach leftovers so a late
   * stop call on them is harmless. */
  for (size_t i = 0; i < loop->num_watches; i++)
    loop->watches[i]->loop = NULL;
  for (size_t i = 0; i < loop->num_timers; i++)
    loop->heap[i]->loop = NULL;
  for (struct cn_task *t = loop->tasks_head; t; t = t->next)
    t->loop = NULL;
  cn_free(loop->watches);
  cn_free(loop->heap);
  cn_free(loop->pollfds);
  cn_free(loop);
}

void cn_event_loop_set_observer(struct cn_event_loop *loop,
                                const struct cn_event_loop_observer *obs) {
  if (obs)
    loop->observer = *obs;
  else
    memset(&loop->observer, 0, sizeof(loop->observer));
  loop->reported_timeout_ms = -2;
}

/* --- fd watches ---------------------------------------------------------- */

void cn_io_watch_init(struct cn_io_watch *w, cn_io_fn fn, void *ctx) {
  memset(w, 0, sizeof(*w));
  w->fd = -1;
  w->fn = fn;
  w->ctx = ctx;
}

static void notify_fd(struct cn_event_loop *loop, int fd, unsigned events) {
  if (loop->observer.fd_changed)
    loop->observer.fd_changed(loop->observer.ctx, fd, events);
}

int cn_io_watch_start(struct cn_event_loop *loop, struct cn_io_watch *w, int fd,
                      unsigned events) {
  if (events == 0) {
    cn_io_watch_stop(w);
    return CN_OK;
  }
  if (w->loop && (w->loop != loop || w->fd != fd))
    cn_io_watch_stop(w);
  if (!w->loop) {
    if (loop->num_watches == loop->cap_watches) {
      size_t cap = loop->cap_watches ? loop->cap_watches * 2 : 16;
      struct cn_io_watch **grown =
          cn_realloc(loop->watches, cap * sizeof(*grown));
      if (!grown)
        return CN_ERR_OUT_OF_MEMORY;
      loop->watches = grown;
      loop->cap_watches = cap;
    }
    w->slot = loop->num_watches;
    loop->watches[loop->num_watches++] = w;
    w->loop = loop;
    w->fd = fd;
    w->events = 0;
  }
  if (w->events != events) {
    w->events = events;
    notify_fd(loop, fd, events);
  }
  return CN_OK;
}

void cn_io_watch_stop(struct cn_io_watch *w) {
  struct cn_event_loop *loop = w->loop;
  if (!loop)
    return;
  size_t last = loop->num_watches - 1;
  if (w->slot != last) {
    loop->watches[w->slot] = loop->watches[last];
    loop->watches[w->slot]->slot = w->slot;
  }
  loop->num_watches--;
  w->loop = NULL;
  w->events = 0;
  notify_fd(loop, w->fd, 0);
}

static struct cn_io_watch *find_watch(struct cn_event_loop *loop, int fd) {
  for (size_t i = 0; i < loop->num_watches; i++)
    if (loop->watches[i]->fd == fd)
      return loop->watches[i];
  return NULL;
}

/* --- timers: binary min-heap --------------------------------------------- */

void cn_timer_init(struct cn_timer *t, cn_timer_fn fn, void *ctx) {
  memset(t, 0, sizeof(*t));
  t->fn = fn;
  t->ctx = ctx;
}

static void heap_swap(struct cn_event_loop *loop, size_t a, size_t b) {
  struct cn_timer *ta = loop->heap[a];
  loop->heap[a] = loop->heap[b];
  loop->heap[b] = ta;
  loop->heap[a]->heap_index = a;
  loop->heap[b]->heap_index = b;
}

static void heap_up(struct cn_event_loop *loop, size_t i) {
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (loop->heap[parent]->deadline_us <= loop->heap[i]->deadline_us)
      break;
    heap_swap(loop, i, parent);
    i = parent;
  }
}

static void heap_down(struct cn_event_loop *loop, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, min = i;
    if (l < loop->num_timers &&
        loop->heap[l]->deadline_us < loop->heap[min]->deadline_us)
      min = l;
    if (r < loop->num_timers &&
        loop->heap[r]->deadline_us < loop->heap[min]->deadline_us)
      min = r;
    if (min == i)
      return;
    heap_swap(loop, i, min);
    i = min;
  }
}

static void report_timeout(struct cn_event_loop *loop) {
  if (!loop->observer.timeout_changed)
    return;
  long ms = cn_event_loop_timeout_ms(loop);
  /* Report only changes of the earliest deadline; a due timer is always
   * worth reporting again so the program calls us back. */
  if (ms != loop->reported_timeout_ms || ms == 0) {
    loop->reported_timeout_ms = ms;
    loop->observer.timeout_changed(loop->observer.ctx, ms);
  }
}

int cn_timer_start_us(struct cn_event_loop *loop, struct cn_timer *t,
                      int64_t delay_us) {
  if (t->loop)
    cn_timer_stop(t);
  if (loop->num_timers == loop->cap_timers) {
    size_t cap = loop->cap_timers ? loop->cap_timers * 2 : 16;
    struct cn_timer **grown = cn_realloc(loop->heap, cap * sizeof(*grown));
    if (!grown)
      return CN_ERR_OUT_OF_MEMORY;
    loop->heap = grown;
    loop->cap_timers = cap;
  }
  if (delay_us < 0)
    delay_us = 0;
  t->deadline_us = cn_time_now_us() + delay_us;
  t->loop = loop;
  t->heap_index = loop->num_timers;
  loop->heap[loop->num_timers++] = t;
  heap_up(loop, t->heap_index);
  if (t->heap_index == 0)
    report_timeout(loop);
  return CN_OK;
}

int cn_timer_start(struct cn_event_loop *loop, struct cn_timer *t,
                   int64_t delay_ms) {
  return cn_timer_start_us(loop, t, delay_ms * 1000);
}

void cn_timer_stop(struct cn_timer *t) {
  struct cn_event_loop *loop = t->loop;
  if (!loop)
    return;
  size_t i = t->heap_index, last = loop->num_timers - 1;
  bool was_first = (i == 0);
  if (i != last) {
    heap_swap(loop, i, last);
    loop->num_timers--;
    heap_down(loop, i);
    heap_up(loop, i);
  } else {
    loop->num_timers--;
  }
  t->loop = NULL;
  if (was_first)
    report_timeout(loop);
}

/* --- tasks --------------------------------------------------------------- */

void cn_task_init(struct cn_task *task, cn_task_fn fn, void *ctx) {
  memset(task, 0, sizeof(*task));
  task->fn = fn;
  task->ctx = ctx;
}

void cn_task_post(struct cn_event_loop *loop, struct cn_task *task) {
  if (task->loop)
    return;
  task->loop = loop;
  task->next = NULL;
  if (loop->tasks_tail)
    loop->tasks_tail->next = task;
  else
    loop->tasks_head = task;
  loop->tasks_tail = task;
  report_timeout(loop);
}

void cn_task_cancel(struct cn_task *task) {
  struct cn_event_loop *loop = task->loop;
  if (!loop)
    return;
  struct cn_task **pp = &loop->tasks_head, *prev = NULL;
  while (*pp && *pp != task) {
    prev = *pp;
    pp = &(*pp)->next;
  }
  if (*pp) {
    *pp = task->next;
    if (loop->tasks_tail == task)
      loop->tasks_tail = prev;
  }
  task->loop = NULL;
  task->next = NULL;
}

/* --- dispatch ------------------------------------------------------------ */

long cn_event_loop_timeout_ms(const struct cn_event_loop *loop) {
  if (loop->tasks_head)
    return 0;
  if (loop->num_timers == 0)
    return -1;
  int64_t left = loop->heap[0]->deadline_us - cn_time_now_us();
  if (left <= 0)
    return 0;
  /* Round up so a caller sleeping this long finds the timer due. */
  return (long)((left + 999) / 1000);
}

void cn_event_loop_run_due(struct cn_event_loop *loop) {
  /* Run only the tasks posted before this call: a task that posts another
   * must not starve the fds. */
  struct cn_task *batch_end = loop->tasks_tail;
  while (loop->tasks_head) {
    struct cn_task *task = loop->tasks_head;
    bool last = (task == batch_end);
    loop->tasks_head = task->next;
    if (!loop->tasks_head)
      loop->tasks_tail = NULL;
    task->loop = NULL;
    task->next = NULL;
    task->fn(task->ctx);
    if (last)
      break;
  }
  int64_t now = cn_time_now_us();
  while (loop->num_timers > 0 && loop->heap[0]->deadline_us <= now) {
    struct cn_timer *t = loop->heap[0];
    cn_timer_stop(t);
    t->fn(t->ctx);
  }
  report_timeout(loop);
}

void cn_event_loop_dispatch_fd(struct cn_event_loop *loop, int fd,
                               unsigned ready) {
  struct cn_io_watch *w = find_watch(loop, fd);
  if (!w)
    return;
  /* Errors and hang-ups wake whichever direction is watched so the owner's
   * read or write sees the failure. */
  if (ready & CN_IO_ERROR)
    ready |= w->events;
  ready &= w->events | CN_IO_ERROR;
  if (ready)
    w->fn(w->ctx, ready);
}

size_t cn_event_loop_fill_pollfds(const struct cn_event_loop *loop,
                                  struct pollfd *out, size_t max) {
  for (size_t i = 0; i < loop->num_watches && i < max; i++) {
    const struct cn_io_watch *w = loop->watches[i];
    out[i].fd = w->fd;
    out[i].events = (short)(((w->events & CN_IO_READ) ? POLLIN : 0) |
                            ((w->events & CN_IO_WRITE) ? POLLOUT : 0));
    out[i].revents = 0;
  }
  return loop->num_watches;
}

int cn_event_loop_run_once(struct cn_event_loop *loop, int max_wait_ms,
                           struct pollfd *extra, size_t num_extra) {
  size_t n = loop->num_watches + num_extra;
  if (n > loop->cap_pollfds) {
    struct pollfd *grown = cn_realloc(loop->pollfds, n * sizeof(*grown));
    if (!grown)
      return CN_ERR_OUT_OF_MEMORY;
    loop->pollfds = grown;
    loop->cap_pollfds = n;
  }
  size_t num_watched =
      cn_event_loop_fill_pollfds(loop, loop->pollfds, loop->num_watches);
  if (num_extra)
    memcpy(loop->pollfds + num_watched, extra, num_extra * sizeof(*extra));

  long wait = cn_event_loop_timeout_ms(loop);
  if (wait < 0 || wait > max_wait_ms)
    wait = max_wait_ms;
  if (wait < 0)
    wait = 0;
  int rc;
  do {
    rc = poll(loop->pollfds, (nfds_t)n, (int)wait);
  } while (rc < 0 && errno == EINTR && wait == 0);
  if (rc < 0 && errno != EINTR)
    return CN_ERR_FAILED;
  if (num_extra)
    memcpy(extra, loop->pollfds + num_watched, num_extra * sizeof(*extra));

  int dispatched = 0;
  if (rc > 0) {
    /* Collect first: callbacks may start and stop watches. */
    for (size_t i = 0; i < num_watched; i++) {
      short re = loop->pollfds[i].revents;
      if (!re)
        continue;
      unsigned ready = ((re & POLLIN) ? CN_IO_READ : 0) |
                       ((re & POLLOUT) ? CN_IO_WRITE : 0) |
                       ((re & (POLLERR | POLLHUP | POLLNVAL)) ? CN_IO_ERROR : 0);
      cn_event_loop_dispatch_fd(loop, loop->pollfds[i].fd, ready);
      dispatched++;
    }
  }
  cn_event_loop_run_due(loop);
  return dispatched;
}
