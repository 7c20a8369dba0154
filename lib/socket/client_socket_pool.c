/* client_socket_pool.c: groups, idle sockets, limits and waiting requests.
 *
 * Every request that cannot reuse an idle socket either starts its own
 * connect job (bound to it: cancelling the request cancels the job) or
 * waits in one pool-wide queue ordered by priority, then arrival. A slot
 * that frees up (a socket released, a job failed or cancelled) posts a task
 * that walks the queue; nothing is dispatched from inside the caller's
 * release/cancel call. */
#include "socket/client_socket_pool.h"

#include <string.h>

#include "socket/group_key.h"
#include "socket/shared_socket_cache.h"
#include "socket/ssl_connect_job.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/time.h"

/* A socket known to the pool: idle in its group or handed out. */
struct pooled_socket {
  struct cn_stream_socket *socket;
  uint64_t id;
  int64_t created_us;
  int64_t idle_since_us;
  struct cn_ip_endpoint peer, local;
  int http_version_seen; /* the handle's, kept while idle */
  /* Set when the socket came from or was connected for a share's cache:
   * it goes back there, not to the group's idle list. */
  struct cn_shared_socket_cache *shared;
  struct cn_socket_attachment *attachment; /* owned while idle */
  struct pooled_socket *prev, *next;
};

struct group {
  char *key;
  struct group *prev, *next;
  /* Idle sockets, most recently released first (LIFO: the warmest socket
   * is the likeliest to still be open at the server). */
  struct pooled_socket *idle_head, *idle_tail;
  struct pooled_socket *active; /* handed out */
  int num_idle, num_active, num_connecting, num_queued;
};

/* One request that is waiting: queued, or running its own connect job. */
struct pool_request {
  struct cn_client_socket_pool *pool;
  struct group *group;
  struct cn_client_socket_handle *handle;
  struct cn_socket_params params; /* strings still the caller's */
  struct cn_net_log log;
  cn_completion_fn cb;
  void *cb_ctx;
  uint64_t seq;
  struct cn_ssl_connect_job *job; /* NULL while queued */
  /* Links in the pool's queue (waiting) or running list (job running). */
  struct pool_request *prev, *next;
};

struct cn_client_socket_pool {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  struct cn_ssl_client_context *ssl_ctx;
  struct cn_socket_pool_limits limits;
  struct group *groups;
  struct pool_request *queue_head, *queue_tail;
  struct pool_request *running;
  int num_idle, num_active, num_connecting, num_queued;
  uint64_t next_socket_id;
  uint64_t next_seq;
  int64_t last_prune_us;
  struct cn_task process_task;
  bool *destroyed; /* set while a callback runs from the pool's task */
};

static const struct cn_net_log no_log;

static void process_pending(void *ctx);

/* --- pool ---------------------------------------------------------------- */

static void set_limits(struct cn_client_socket_pool *pool,
                       const struct cn_socket_pool_limits *l) {
  if (l) {
    pool->limits = *l;
  } else {
    memset(&pool->limits, 0, sizeof(pool->limits));
    pool->limits.max_idle_age_s = 118;
  }
}

struct cn_client_socket_pool *cn_client_socket_pool_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    struct cn_ssl_client_context *ssl_ctx,
    const struct cn_socket_pool_limits *limits) {
  struct cn_client_socket_pool *pool = cn_calloc(1, sizeof(*pool));
  if (!pool)
    return NULL;
  pool->loop = loop;
  pool->resolver = resolver;
  pool->ssl_ctx = ssl_ctx;
  set_limits(pool, limits);
  cn_task_init(&pool->process_task, process_pending, pool);
  return pool;
}

static void destroy_attachment(struct cn_socket_attachment *a) {
  if (a)
    a->destroy(a);
}

static void close_pooled(struct pooled_socket *ps) {
  destroy_attachment(ps->attachment);
  cn_stream_socket_destroy(ps->socket);
  cn_free(ps);
}

bool cn_socket_attachment_fits(const struct cn_socket_attachment *a,
                               const char *tag, const char *alt_tag) {
  if (!a || !a->tag)
    return true;
  return (tag && strcmp(a->tag, tag) == 0) ||
         (alt_tag && strcmp(a->tag, alt_tag) == 0);
}

/* discard_idle closes an idle socket a transfer found expired or dead,
 * saying so in that transfer's log the way libcurl does. */
static void discard_idle(struct pooled_socket *ps,
                         const struct cn_net_log *log) {
  cn_net_log_text(log, "shutting down connection #%llu",
                  (unsigned long long)ps->id);
  close_pooled(ps);
}

static void free_group(struct cn_client_socket_pool *pool, struct group *g) {
  if (g->prev)
    g->prev->next = g->next;
  else
    pool->groups = g->next;
  if (g->next)
    g->next->prev = g->prev;
  while (g->idle_head) {
    struct pooled_socket *ps = g->idle_head;
    g->idle_head = ps->next;
    close_pooled(ps);
    pool->num_idle--;
  }
  /* Records of sockets still handed out; their handles own the sockets. */
  while (g->active) {
    struct pooled_socket *ps = g->active;
    g->active = ps->next;
    cn_free(ps);
  }
  cn_free(g->key);
  cn_free(g);
}

static void free_request(struct pool_request *req) {
  cn_ssl_connect_job_free(req->job);
  cn_free(req);
}

void cn_client_socket_pool_free(struct cn_client_socket_pool *pool) {
  if (!pool)
    return;
  cn_task_cancel(&pool->process_task);
  while (pool->queue_head) {
    struct pool_request *req = pool->queue_head;
    pool->queue_head = req->next;
    req->handle->pending = NULL;
    free_request(req);
  }
  /* The caller should have cancelled these; their jobs hold timers and
   * watches on the loop, so they cannot be left behind. */
  while (pool->running) {
    struct pool_request *req = pool->running;
    pool->running = req->next;
    req->handle->pending = NULL;
    free_request(req);
  }
  while (pool->groups)
    free_group(pool, pool->groups);
  if (pool->destroyed)
    *pool->destroyed = true;
  cn_free(pool);
}

int cn_client_socket_pool_idle_count(const struct cn_client_socket_pool *pool) {
  return pool->num_idle;
}

int cn_client_socket_pool_active_count(
    const struct cn_client_socket_pool *pool) {
  return pool->num_active;
}

static void schedule_processing(struct cn_client_socket_pool *pool) {
  if (pool->queue_head)
    cn_task_post(pool->loop, &pool->process_task);
}

/* --- groups and idle sockets --------------------------------------------- */

static struct group *find_group(struct cn_client_socket_pool *pool,
                                const char *key) {
  for (struct group *g = pool->groups; g; g = g->next)
    if (strcmp(g->key, key) == 0)
      return g;
  return NULL;
}

static struct group *new_group(struct cn_client_socket_pool *pool, char *key) {
  struct group *g = cn_calloc(1, sizeof(*g));
  if (!g)
    return NULL;
  g->key = key;
  g->next = pool->groups;
  if (pool->groups)
    pool->groups->prev = g;
  pool->groups = g;
  return g;
}

static void maybe_free_group(struct cn_client_socket_pool *pool,
                             struct group *g) {
  if (g && !g->idle_head && !g->active && g->num_connecting == 0 &&
      g->num_queued == 0)
    free_group(pool, g);
}

static void unlink_idle(struct cn_client_socket_pool *pool, struct group *g,
                        struct pooled_socket *ps) {
  if (ps->prev)
    ps->prev->next = ps->next;
  else
    g->idle_head = ps->next;
  if (ps->next)
    ps->next->prev = ps->prev;
  else
    g->idle_tail = ps->prev;
  ps->prev = ps->next = NULL;
  g->num_idle--;
  pool->num_idle--;
}

static void push_idle(struct cn_client_socket_pool *pool, struct group *g,
                      struct pooled_socket *ps) {
  ps->prev = NULL;
  ps->next = g->idle_head;
  if (g->idle_head)
    g->idle_head->prev = ps;
  else
    g->idle_tail = ps;
  g->idle_head = ps;
  g->num_idle++;
  pool->num_idle++;
}

static void link_active(struct cn_client_socket_pool *pool, struct group *g,
                        struct pooled_socket *ps) {
  ps->prev = NULL;
  ps->next = g->active;
  if (g->active)
    g->active->prev = ps;
  g->active = ps;
  g->num_active++;
  pool->num_active++;
}

static void unlink_active(struct cn_client_socket_pool *pool, struct group *g,
                          struct pooled_socket *ps) {
  if (ps->prev)
    ps->prev->next = ps->next;
  else
    g->active = ps->next;
  if (ps->next)
    ps->next->prev = ps->prev;
  ps->prev = ps->next = NULL;
  g->num_active--;
  pool->num_active--;
}

static bool expired(const struct cn_client_socket_pool *pool,
                    const struct pooled_socket *ps, int64_t now) {
  /* Whole seconds, compared the way libcurl compares them. */
  int64_t idle_s = (now - ps->idle_since_us) / 1000000;
  int64_t life_s = (now - ps->created_us) / 1000000;
  if (pool->limits.max_idle_age_s >= 0 && idle_s > pool->limits.max_idle_age_s)
    return true;
  return pool->limits.max_lifetime_s > 0 &&
         life_s > pool->limits.max_lifetime_s;
}

/* Closes the least recently used idle socket of |g|, or of the whole pool
 * when |g| is NULL. False if there was none. */
static bool close_oldest_idle(struct cn_client_socket_pool *pool,
                              struct group *g) {
  struct group *owner = NULL;
  struct pooled_socket *oldest = NULL;
  for (struct group *it = g ? g : pool->groups; it; it = g ? NULL : it->next) {
    struct pooled_socket *tail = it->idle_tail;
    if (tail && (!oldest || tail->idle_since_us < oldest->idle_since_us)) {
      oldest = tail;
      owner = it;
    }
  }
  if (!oldest)
    return false;
  unlink_idle(pool, owner, oldest);
  close_pooled(oldest);
  if (owner != g)
    maybe_free_group(pool, owner);
  return true;
}

static void prune_group(struct cn_client_socket_pool *pool, struct group *g,
                        int64_t now, const struct cn_net_log *log) {
  struct pooled_socket *ps = g->idle_head;
  while (ps) {
    struct pooled_socket *next = ps->next;
    if (expired(pool, ps, now)) {
      unlink_idle(pool, g, ps);
      discard_idle(ps, log);
    }
    ps = next;
  }
}

/* Closes expired idle sockets of every group, at most once a second (as
 * libcurl prunes its connection pool). */
static void prune_all(struct cn_client_socket_pool *pool, int64_t now,
                      const struct cn_net_log *log) {
  if (now - pool->last_prune_us < 1000000)
    return;
  pool->last_prune_us = now;
  struct group *g = pool->groups;
  while (g) {
    struct group *next = g->next;
    prune_group(pool, g, now, log);
    maybe_free_group(pool, g);
    g = next;
  }
}

static void reset_handle(struct cn_client_socket_handle *h,
                         struct cn_client_socket_pool *pool) {
  memset(h, 0, sizeof(*h));
  h->pool = pool;
}

/* Makes the idle socket |ps| of |g| active and hands it to |h|. */
static void hand_out_idle(struct cn_client_socket_pool *pool, struct group *g,
                          struct pooled_socket *ps,
                          struct cn_client_socket_handle *h,
                          const struct cn_net_log *log, int64_t now) {
  link_active(pool, g, ps);
  ps->socket->ops->set_net_log(ps->socket, log ? log : &no_log);
  h->socket = ps->socket;
  h->is_reused = true;
  h->idle_us = now - ps->idle_since_us;
  memset(&h->timing, 0, sizeof(h->timing));
  h->peer = ps->peer;
  h->local = ps->local;
  h->group = g;
  h->pending = NULL;
  h->socket_id = ps->id;
  h->attachment = ps->attachment;
  ps->attachment = NULL;
  h->http_version_seen = ps->http_version_seen;
}

static struct cn_shared_socket_expiry
shared_expiry(const struct cn_client_socket_pool *pool) {
  struct cn_shared_socket_expiry x = {
      .max_idle_age_s = pool->limits.max_idle_age_s,
      .max_lifetime_s = pool->limits.max_lifetime_s,
  };
  return x;
}

/* Takes a live idle socket of |g| from the share's |cache| and moves it
 * onto the pool's loop. */
static bool take_shared(struct cn_client_socket_pool *pool, struct group *g,
                        struct cn_shared_socket_cache *cache,
                        const struct cn_socket_params *params,
                        struct cn_client_socket_handle *h,
                        const struct cn_net_log *log) {
  int64_t now = cn_time_now_us();
  struct cn_shared_socket_expiry x = shared_expiry(pool);
  struct cn_shared_socket_entry e;
  /* As libcurl: prune the dead first, then look (two visits under the
   * program's CONNECT lock, as its lock callbacks see). */
  cn_shared_socket_cache_prune(cache, &x, now);
  while (cn_shared_socket_cache_take_tagged(
      cache, g->key, params->attachment_tag, params->alt_attachment_tag, &x,
      now, &e)) {
    struct pooled_socket *ps = cn_calloc(1, sizeof(*ps));
    if (!ps || !e.socket->ops->attach_event_loop ||
        e.socket->ops->attach_event_loop(e.socket, pool->loop) != CN_OK) {
      /* Only OOM gets here: a new connection may still work out. */
      cn_free(ps);
      cn_stream_socket_destroy(e.socket);
      return false;
    }
    ps->socket = e.socket;
    ps->id = e.id;
    ps->created_us = e.created_us;
    ps->idle_since_us = e.idle_since_us;
    ps->peer = e.peer;
    ps->local = e.local;
    ps->http_version_seen = e.http_version_seen;
    ps->shared = cache;
    ps->attachment = e.attachment;
    hand_out_idle(pool, g, ps, h, log, now);
    return true;
  }
  return false;
}

/* Hands the newest live idle socket of |g| (or, for a request with a
 * share's connection cache, of that cache) to |h|; dead or expired ones
 * met on the way are closed. */
static bool take_idle(struct cn_client_socket_pool *pool, struct group *g,
                      const struct cn_socket_params *params,
                      struct cn_client_socket_handle *h,
                      const struct cn_net_log *log) {
  if (params->fresh_connect)
    return false;
  /* libcurl looks only in the share's cache when the transfer has one. */
  if (params->shared_cache)
    return take_shared(pool, g, params->shared_cache, params, h, log);
  int64_t now = cn_time_now_us();
  struct pooled_socket *next;
  for (struct pooled_socket *ps = g->idle_head; ps; ps = next) {
    next = ps->next;
    bool dead = expired(pool, ps, now) ||
                !ps->socket->ops->is_connected_and_idle(ps->socket);
    if (!dead &&
        !cn_socket_attachment_fits(ps->attachment, params->attachment_tag,
                                   params->alt_attachment_tag))
      continue; /* another transfer's authenticated connection */
    unlink_idle(pool, g, ps);
    if (dead) {
      discard_idle(ps, log);
      continue;
    }
    hand_out_idle(pool, g, ps, h, log, now);
    return true;
  }
  return false;
}

static int group_total(const struct group *g) {
  return g->num_active + g->num_connecting + g->num_idle;
}

static int pool_total(const struct cn_client_socket_pool *pool) {
  return pool->num_active + pool->num_connecting + pool->num_idle;
}

static int max_total(const struct cn_client_socket_pool *pool,
                     const struct cn_socket_params *p) {
  return p->has_limits ? p->max_total : pool->limits.max_total;
}

/* Whether a new connection for |g| fits the limits (the request's own, or
 * the pool's), closing idle sockets to make room as libcurl does when its
 * pool is full. */
static bool make_room(struct cn_client_socket_pool *pool, struct group *g,
                      const struct cn_socket_params *p) {
  int per_group = p->has_limits ? p->max_per_group : pool->limits.max_per_group;
  int total = max_total(pool, p);
  while (per_group > 0 && group_total(g) >= per_group)
    if (!close_oldest_idle(pool, g))
      return false;
  while (total > 0 && pool_total(pool) >= total)
    if (!close_oldest_idle(pool, NULL))
      return false;
  return true;
}

static void enforce_max_idle(struct cn_client_socket_pool *pool) {
  while (pool->limits.max_idle > 0 && pool->num_idle > pool->limits.max_idle)
    if (!close_oldest_idle(pool, NULL))
      break;
}

void cn_client_socket_pool_close_idle(struct cn_client_socket_pool *pool) {
  struct group *g = pool->groups;
  while (g) {
    struct group *next = g->next;
    while (g->idle_head) {
      struct pooled_socket *ps = g->idle_head;
      unlink_idle(pool, g, ps);
      close_pooled(ps);
    }
    maybe_free_group(pool, g);
    g = next;
  }
  schedule_processing(pool);
}

void cn_client_socket_pool_set_limits(struct cn_client_socket_pool *pool,
                                      const struct cn_socket_pool_limits *l) {
  set_limits(pool, l);
  enforce_max_idle(pool);
  schedule_processing(pool);
}

/* --- queue --------------------------------------------------------------- */

static void enqueue(struct cn_client_socket_pool *pool,
                    struct pool_request *req) {
  /* Higher priority first; equal priorities keep their arrival order. */
  struct pool_request *after = pool->queue_tail;
  while (after && after->params.priority < req->params.priority)
    after = after->prev;
  req->prev = after;
  req->next = after ? after->next : pool->queue_head;
  if (req->next)
    req->next->prev = req;
  else
    pool->queue_tail = req;
  if (after)
    after->next = req;
  else
    pool->queue_head = req;
  req->group->num_queued++;
  pool->num_queued++;
}

static void dequeue(struct cn_client_socket_pool *pool,
                    struct pool_request *req) {
  if (req->prev)
    req->prev->next = req->next;
  else
    pool->queue_head = req->next;
  if (req->next)
    req->next->prev = req->prev;
  else
    pool->queue_tail = req->prev;
  req->prev = req->next = NULL;
  req->group->num_queued--;
  pool->num_queued--;
}

static void link_running(struct cn_client_socket_pool *pool,
                         struct pool_request *req) {
  req->prev = NULL;
  req->next = pool->running;
  if (pool->running)
    pool->running->prev = req;
  pool->running = req;
}

static void unlink_running(struct cn_client_socket_pool *pool,
                           struct pool_request *req) {
  if (req->prev)
    req->prev->next = req->next;
  else
    pool->running = req->next;
  if (req->next)
    req->next->prev = req->prev;
  req->prev = req->next = NULL;
}

/* --- connect jobs -------------------------------------------------------- */

/* Moves the result of |req|'s finished job into its handle and frees the
 * request. Returns |rv| for the caller to report. */
static int finish_job(struct pool_request *req, int rv) {
  struct cn_client_socket_pool *pool = req->pool;
  struct group *g = req->group;
  struct cn_client_socket_handle *h = req->handle;
  uint64_t id = h->socket_id;

  g->num_connecting--;
  pool->num_connecting--;
  unlink_running(pool, req);
  h->pending = NULL;
  if (rv == CN_OK) {
    struct pooled_socket *ps = cn_calloc(1, sizeof(*ps));
    if (!ps) {
      rv = CN_ERR_OUT_OF_MEMORY;
    } else {
      cn_ssl_connect_job_take_result(req->job, h);
      ps->socket = h->socket;
      ps->id = id;
      ps->created_us = cn_time_now_us();
      ps->peer = h->peer;
      ps->local = h->local;
      ps->shared = req->params.shared_cache;
      link_active(pool, g, ps);
      h->group = g;
      h->is_reused = false;
      h->idle_us = 0;
    }
  }
  if (rv != CN_OK) {
    /* Keep what timing there is (a failed transfer still reports its
     * name lookup time). */
    if (req->job)
      cn_ssl_connect_job_timing(req->job, &h->timing);
    h->group = NULL;
  }
  free_request(req);
  if (rv != CN_OK) {
    maybe_free_group(pool, g);
    schedule_processing(pool);
  }
  return rv;
}

static void on_job_done(void *ctx, int rv) {
  struct pool_request *req = ctx;
  cn_completion_fn cb = req->cb;
  void *cb_ctx = req->cb_ctx;
  rv = finish_job(req, rv);
  cb(cb_ctx, rv);
}

/* Starts |req|'s own connect job. CN_ERR_IO_PENDING: running (the request
 * stays alive); anything else: finished, |req| freed, handle filled. */
static int start_job(struct pool_request *req) {
  struct cn_client_socket_pool *pool = req->pool;
  /* Connection ids are unique per connection cache, as libcurl's. */
  req->handle->socket_id =
      req->params.shared_cache
          ? cn_shared_socket_cache_new_id(req->params.shared_cache)
          : pool->next_socket_id++;
  req->handle->pending = req;
  req->job = cn_ssl_connect_job_new(pool->loop, pool->resolver, pool->ssl_ctx,
                                    &req->params, on_job_done, req);
  req->group->num_connecting++;
  pool->num_connecting++;
  link_running(pool, req);
  if (!req->job)
    return finish_job(req, CN_ERR_OUT_OF_MEMORY);
  int rv = cn_ssl_connect_job_connect(req->job);
  if (rv == CN_ERR_IO_PENDING)
    return rv;
  return finish_job(req, rv);
}

/* --- requests ------------------------------------------------------------ */

int cn_client_socket_pool_request(struct cn_client_socket_pool *pool,
                                  struct cn_client_socket_handle *handle,
                                  const struct cn_socket_params *params,
                                  cn_completion_fn cb, void *ctx) {
  struct cn_buf key;
  int rv;
  reset_handle(handle, pool);
  prune_all(pool, cn_time_now_us(), params->log);
  cn_buf_init(&key, 0);
  const char *key_text = params->group_key;
  if (!key_text) {
    rv = cn_group_key_build(&key, params);
    if (rv != CN_OK || !key.data) {
      cn_buf_cleanup(&key);
      return CN_ERR_OUT_OF_MEMORY;
    }
    key_text = key.data;
  }
  struct group *g = find_group(pool, key_text);
  if (!g) {
    char *k = params->group_key ? cn_strdup(key_text) : cn_buf_detach(&key);
    g = k ? new_group(pool, k) : NULL;
    if (!g) {
      cn_free(k);
      return CN_ERR_OUT_OF_MEMORY;
    }
  }
  cn_buf_cleanup(&key);

  prune_group(pool, g, cn_time_now_us(), params->log);
  if (take_idle(pool, g, params, handle, params->log))
    return CN_OK;

  struct pool_request *req = cn_calloc(1, sizeof(*req));
  if (!req) {
    maybe_free_group(pool, g);
    return CN_ERR_OUT_OF_MEMORY;
  }
  req->pool = pool;
  req->group = g;
  req->handle = handle;
  req->params = *params;
  req->params.group_key = NULL; /* borrowed for this call only */
  if (params->log)
    req->log = *params->log;
  req->params.log = &req->log;
  req->cb = cb;
  req->cb_ctx = ctx;
  req->seq = pool->next_seq++;

  /* Earlier waiters of the group, or of the pool when the total limit
   * binds, keep their turn. */
  bool wait = g->num_queued > 0 ||
              (max_total(pool, params) > 0 && pool->queue_head) ||
              !make_room(pool, g, params);
  if (wait) {
    enqueue(pool, req);
    handle->pending = req;
    /* Whoever waits ahead may be stuck on its own group's limit while this
     * one could go: let the queue walk decide. */
    schedule_processing(pool);
    return CN_ERR_IO_PENDING;
  }
  return start_job(req);
}

void cn_client_socket_handle_cancel(struct cn_client_socket_handle *handle) {
  struct pool_request *req = handle->pending;
  if (!req)
    return;
  struct cn_client_socket_pool *pool = req->pool;
  struct group *g = req->group;
  if (req->job) {
    g->num_connecting--;
    pool->num_connecting--;
    unlink_running(pool, req);
  } else {
    dequeue(pool, req);
  }
  free_request(req);
  handle->pending = NULL;
  handle->group = NULL;
  maybe_free_group(pool, g);
  schedule_processing(pool);
}

/* Gives the idle socket |ps| back to the share's cache, off the pool's
 * loop (another thread's pool may take it next). */
static void release_to_shared(struct cn_client_socket_pool *pool,
                              struct group *g, struct pooled_socket *ps) {
  struct cn_stream_socket *s = ps->socket;
  if (!s->ops->attach_event_loop ||
      s->ops->attach_event_loop(s, NULL) != CN_OK) {
    close_pooled(ps);
    return;
  }
  struct cn_shared_socket_entry e = {
      .socket = s,
      .id = ps->id,
      .created_us = ps->created_us,
      .idle_since_us = ps->idle_since_us,
      .peer = ps->peer,
      .local = ps->local,
      .attachment = ps->attachment,
      .http_version_seen = ps->http_version_seen,
  };
  ps->attachment = NULL;
  struct cn_shared_socket_expiry x = shared_expiry(pool);
  cn_shared_socket_cache_put(ps->shared, g->key, &e, &x);
  cn_free(ps);
}

/* active_record finds the pool's record of the socket |handle| holds;
 * NULL when it is not from this pool. */
static struct pooled_socket *active_record(
    const struct cn_client_socket_handle *handle) {
  struct pooled_socket *ps = NULL;
  if (handle->group)
    for (ps = ((struct group *)handle->group)->active;
         ps && ps->socket != handle->socket; ps = ps->next)
      ;
  return ps;
}

void cn_client_socket_handle_release(struct cn_client_socket_handle *handle,
                                     bool reusable) {
  if (!handle || !handle->socket) {
    if (handle && handle->pending)
      cn_client_socket_handle_cancel(handle);
    return;
  }
  struct cn_client_socket_pool *pool = handle->pool;
  struct group *g = handle->group;
  struct cn_stream_socket *s = handle->socket;
  struct pooled_socket *ps = active_record(handle);
  struct cn_socket_attachment *a = handle->attachment;
  if (!ps) {
    /* Not from this pool (or the holder swapped it): just close it. */
    destroy_attachment(a);
    cn_stream_socket_destroy(s);
    reset_handle(handle, pool);
    return;
  }
  ps->attachment = a;
  unlink_active(pool, g, ps);
  int64_t now = cn_time_now_us();
  ps->idle_since_us = now;
  ps->http_version_seen = handle->http_version_seen;
  bool keep = reusable && !expired(pool, ps, now) &&
              s->ops->is_connected_and_idle(s);
  if (keep) {
    /* The transfer's log may go away before the socket is reused. */
    s->ops->set_net_log(s, &no_log);
    s->ops->cancel_io(s);
  }
  if (keep && ps->shared) {
    release_to_shared(pool, g, ps);
  } else if (keep) {
    push_idle(pool, g, ps);
    enforce_max_idle(pool);
  } else {
    close_pooled(ps);
  }
  reset_handle(handle, pool);
  maybe_free_group(pool, g);
  schedule_processing(pool);
}

void cn_client_socket_handle_set_attachment(
    struct cn_client_socket_handle *handle, struct cn_socket_attachment *a) {
  if (handle->attachment != a)
    destroy_attachment(handle->attachment);
  handle->attachment = a;
}

bool cn_client_socket_handle_is_shared(
    const struct cn_client_socket_handle *handle) {
  const struct pooled_socket *ps =
      handle->socket ? active_record(handle) : NULL;
  return ps && ps->shared;
}

struct cn_stream_socket *cn_client_socket_handle_detach(
    struct cn_client_socket_handle *handle) {
  if (!handle || !handle->socket)
    return NULL;
  struct cn_client_socket_pool *pool = handle->pool;
  struct group *g = handle->group;
  struct cn_stream_socket *s = handle->socket;
  struct pooled_socket *ps = active_record(handle);
  destroy_attachment(handle->attachment);
  if (ps) {
    unlink_active(pool, g, ps);
    cn_free(ps);
  }
  reset_handle(handle, pool);
  if (g) {
    maybe_free_group(pool, g);
    schedule_processing(pool);
  }
  return s;
}

/* --- the waiting queue --------------------------------------------------- */

enum dispatch { DISPATCH_NONE, DISPATCH_STARTED, DISPATCH_CALLED_BACK };

static enum dispatch dispatch(struct cn_client_socket_pool *pool,
                              struct pool_request *req) {
  struct group *g = req->group;
  cn_completion_fn cb = req->cb;
  void *cb_ctx = req->cb_ctx;
  if (take_idle(pool, g, &req->params, req->handle, &req->log)) {
    dequeue(pool, req);
    cn_free(req);
    cb(cb_ctx, CN_OK);
    return DISPATCH_CALLED_BACK;
  }
  if (!make_room(pool, g, &req->params))
    return DISPATCH_NONE;
  dequeue(pool, req);
  int rv = start_job(req);
  if (rv == CN_ERR_IO_PENDING)
    return DISPATCH_STARTED;
  cb(cb_ctx, rv);
  return DISPATCH_CALLED_BACK;
}

static void process_pending(void *ctx) {
  struct cn_client_socket_pool *pool = ctx;
  bool destroyed = false;
  pool->destroyed = &destroyed;
  bool again = true;
  while (again && !destroyed) {
    again = false;
    struct pool_request *req = pool->queue_head;
    while (req) {
      struct pool_request *next = req->next;
      enum dispatch d = dispatch(pool, req);
      if (d == DISPATCH_CALLED_BACK) {
        /* The callback may have changed anything, the pool included. */
        again = true;
        break;
      }
      req = next;
    }
  }
  if (!destroyed)
    pool->destroyed = NULL;
}
