/* h2_session_pool.c: sessions and connect-waiters by group key. Lists are
 * short (a handful of origins per multi handle), so lookups scan. */
#include "http/h2/h2_session_pool.h"

#include <string.h>

#include "util/alloc.h"

struct entry {
  struct cn_h2_session_pool *pool;
  struct cn_h2_session *session;
  char *key;
  size_t key_len;
  bool shared;
  struct entry *next;
};

struct connecting {
  char *key;
  size_t key_len;
  int count;
  struct connecting *next;
};

/* Origins whose server answered ALPN with HTTP/1.1: nobody waits for
 * their connections. A small ring, oldest forgotten first. */
#define MAX_KNOWN_H1 32

struct cn_h2_session_pool {
  struct cn_event_loop *loop;
  struct entry *entries;
  struct connecting *connecting;
  char *known_h1[MAX_KNOWN_H1];
  size_t known_h1_len[MAX_KNOWN_H1];
  size_t known_h1_next;
  struct cn_h2_session_pool_waiter *waiters;
  bool multiplex;
  uint32_t max_streams;
  long max_idle_s;
};

static bool key_eq(const char *a, size_t alen, const char *b, size_t blen) {
  return alen == blen && memcmp(a, b, alen) == 0;
}

struct cn_h2_session_pool *cn_h2_session_pool_new(struct cn_event_loop *loop) {
  struct cn_h2_session_pool *pool = cn_calloc(1, sizeof(*pool));
  if (!pool)
    return NULL;
  pool->loop = loop;
  pool->multiplex = true;
  pool->max_streams = 100;
  pool->max_idle_s = 118; /* libcurl's CURLOPT_MAXAGE_CONN default */
  return pool;
}

static void free_entry(struct entry *e) {
  cn_h2_session_free(e->session);
  cn_free(e->key);
  cn_free(e);
}

void cn_h2_session_pool_free(struct cn_h2_session_pool *pool) {
  if (!pool)
    return;
  while (pool->entries) {
    struct entry *e = pool->entries;
    pool->entries = e->next;
    /* A share's connection cache keeps idle sessions, as libcurl's does. */
    if (e->shared && cn_h2_session_park(e->session))
      e->session = NULL;
    free_entry(e);
  }
  while (pool->connecting) {
    struct connecting *c = pool->connecting;
    pool->connecting = c->next;
    cn_free(c->key);
    cn_free(c);
  }
  while (pool->waiters)
    cn_h2_session_pool_cancel_wait(pool->waiters);
  for (size_t i = 0; i < MAX_KNOWN_H1; i++)
    cn_free(pool->known_h1[i]);
  cn_free(pool);
}

void cn_h2_session_pool_set_limits(struct cn_h2_session_pool *pool,
                                   bool multiplex,
                                   uint32_t max_concurrent_streams,
                                   long max_idle_s) {
  pool->multiplex = multiplex;
  pool->max_streams = max_concurrent_streams ? max_concurrent_streams : 100;
  if (max_idle_s >= 0)
    pool->max_idle_s = max_idle_s;
}

struct cn_h2_session *cn_h2_session_pool_find(struct cn_h2_session_pool *pool,
                                              const char *key,
                                              size_t key_len) {
  for (struct entry *e = pool->entries; e; e = e->next) {
    if (!e->shared || !key_eq(e->key, e->key_len, key, key_len))
      continue;
    if (!cn_h2_session_is_available(e->session))
      continue;
    if (!pool->multiplex && cn_h2_session_num_streams(e->session) > 0)
      continue;
    return e->session;
  }
  return NULL;
}

static void unlink_entry(struct entry *e) {
  for (struct entry **pp = &e->pool->entries; *pp; pp = &(*pp)->next) {
    if (*pp == e) {
      *pp = e->next;
      break;
    }
  }
}

static void on_dead(void *ctx, struct cn_h2_session *s) {
  (void)s;
  unlink_entry(ctx);
  free_entry(ctx);
}

/* on_idle: the idle session goes to the share's cache now, where every
 * handle of the share finds it (or stays, when it cannot). */
static void on_idle(void *ctx, struct cn_h2_session *s) {
  struct entry *e = ctx;
  if (!cn_h2_session_park(s))
    return;
  e->session = NULL;
  unlink_entry(e);
  free_entry(e);
}

static void wake(struct cn_h2_session_pool *pool, const char *key,
                 size_t key_len) {
  for (struct cn_h2_session_pool_waiter *w = pool->waiters; w; w = w->next)
    if (key_eq(w->key, w->key_len, key, key_len))
      cn_task_post(pool->loop, &w->task);
}

/* How create_session starts the session. */
enum start { START_NEW, START_UPGRADED, START_ADOPTED };

static int create_session(struct cn_h2_session_pool *pool,
                          struct cn_h2_session **out, const char *key,
                          size_t key_len,
                          struct cn_client_socket_handle *handle,
                          const struct cn_h2_config *config, bool shared,
                          enum start start, bool head_request);

/* effective_config: |config|, or libcurl's, which announces
 * CURLMOPT_MAX_CONCURRENT_STREAMS in its SETTINGS (|cfg| is the storage). */
static const struct cn_h2_config *effective_config(
    const struct cn_h2_session_pool *pool, const struct cn_h2_config *config,
    struct cn_h2_config *cfg) {
  if (config)
    return config;
  cn_h2_config_init(cfg);
  cn_h2_config_set_setting(cfg, CN_H2_SETTINGS_MAX_CONCURRENT_STREAMS,
                           pool->max_streams);
  return cfg;
}

size_t cn_h2_session_pool_settings_payload(struct cn_h2_session_pool *pool,
                                           const struct cn_h2_config *config,
                                           uint8_t *out, size_t cap) {
  struct cn_h2_config cfg;
  return cn_h2_settings_payload(effective_config(pool, config, &cfg), out,
                                cap);
}

int cn_h2_session_pool_create(struct cn_h2_session_pool *pool,
                              struct cn_h2_session **out, const char *key,
                              size_t key_len,
                              struct cn_client_socket_handle *handle,
                              const struct cn_h2_config *config, bool shared) {
  return create_session(pool, out, key, key_len, handle, config, shared,
                        START_NEW, false);
}

int cn_h2_session_pool_adopt(struct cn_h2_session_pool *pool,
                             struct cn_h2_session **out, const char *key,
                             size_t key_len,
                             struct cn_client_socket_handle *handle,
                             bool shared) {
  return create_session(pool, out, key, key_len, handle, NULL, shared,
                        START_ADOPTED, false);
}

int cn_h2_session_pool_create_upgraded(
    struct cn_h2_session_pool *pool, struct cn_h2_session **out,
    const char *key, size_t key_len, struct cn_client_socket_handle *handle,
    const struct cn_h2_config *config, bool shared, bool head_request) {
  return create_session(pool, out, key, key_len, handle, config, shared,
                        START_UPGRADED, head_request);
}

static int create_session(struct cn_h2_session_pool *pool,
                          struct cn_h2_session **out, const char *key,
                          size_t key_len,
                          struct cn_client_socket_handle *handle,
                          const struct cn_h2_config *config, bool shared,
                          enum start start, bool head_request) {
  struct entry *e = cn_calloc(1, sizeof(*e));
  if (!e)
    return CN_ERR_OUT_OF_MEMORY;
  e->key = cn_memdup(key, key_len ? key_len : 1);
  if (!e->key) {
    cn_free(e);
    return CN_ERR_OUT_OF_MEMORY;
  }
  e->pool = pool;
  e->key_len = key_len;
  e->shared = shared;
  struct cn_h2_session_params params;
  memset(&params, 0, sizeof(params));
  params.loop = pool->loop;
  params.config = config;
  params.max_concurrent_streams = pool->max_streams;
  params.max_idle_s = pool->max_idle_s;
  params.single_use = !shared;
  params.on_dead = on_dead;
  params.on_dead_ctx = e;
  params.on_idle = shared ? on_idle : NULL;
  struct cn_h2_config cfg;
  params.config = effective_config(pool, config, &cfg);
  /* The upgrade's SETTINGS are the ones the request announced. */
  uint8_t settings[8 * CN_H2_MAX_SETTINGS];
  if (start == START_UPGRADED) {
    params.upgrade_settings = settings;
    params.upgrade_settings_len =
        cn_h2_settings_payload(params.config, settings, sizeof(settings));
    params.upgrade_head_request = head_request;
  }
  int rv = start == START_ADOPTED
               ? cn_h2_session_adopt(&e->session, handle, &params)
               : cn_h2_session_new(&e->session, handle, &params);
  if (rv != CN_OK) {
    cn_free(e->key);
    cn_free(e);
    return rv;
  }
  e->next = pool->entries;
  pool->entries = e;
  if (shared)
    wake(pool, key, key_len);
  *out = e->session;
  return CN_OK;
}

static struct connecting *find_connecting(
    const struct cn_h2_session_pool *pool, const char *key, size_t key_len) {
  for (struct connecting *c = pool->connecting; c; c = c->next)
    if (key_eq(c->key, c->key_len, key, key_len))
      return c;
  return NULL;
}

int cn_h2_session_pool_begin_connect(struct cn_h2_session_pool *pool,
                                     const char *key, size_t key_len) {
  struct connecting *c = find_connecting(pool, key, key_len);
  if (!c) {
    c = cn_calloc(1, sizeof(*c));
    if (!c)
      return CN_ERR_OUT_OF_MEMORY;
    c->key = cn_memdup(key, key_len ? key_len : 1);
    if (!c->key) {
      cn_free(c);
      return CN_ERR_OUT_OF_MEMORY;
    }
    c->key_len = key_len;
    c->next = pool->connecting;
    pool->connecting = c;
  }
  c->count++;
  return CN_OK;
}

static int known_h1_index(const struct cn_h2_session_pool *pool,
                          const char *key, size_t key_len) {
  for (size_t i = 0; i < MAX_KNOWN_H1; i++)
    if (pool->known_h1[i] &&
        key_eq(pool->known_h1[i], pool->known_h1_len[i], key, key_len))
      return (int)i;
  return -1;
}

static void set_known_h1(struct cn_h2_session_pool *pool, const char *key,
                         size_t key_len, bool h1) {
  int i = known_h1_index(pool, key, key_len);
  if (!h1) {
    if (i >= 0) {
      cn_free(pool->known_h1[i]);
      pool->known_h1[i] = NULL;
    }
    return;
  }
  if (i >= 0)
    return;
  char *copy = cn_memdup(key, key_len ? key_len : 1);
  if (!copy)
    return; /* only an optimisation */
  size_t slot = pool->known_h1_next++ % MAX_KNOWN_H1;
  cn_free(pool->known_h1[slot]);
  pool->known_h1[slot] = copy;
  pool->known_h1_len[slot] = key_len;
}

void cn_h2_session_pool_end_connect(struct cn_h2_session_pool *pool,
                                    const char *key, size_t key_len,
                                    bool got_h2, bool known_h1) {
  if (got_h2 || known_h1)
    set_known_h1(pool, key, key_len, known_h1 && !got_h2);
  for (struct connecting **pp = &pool->connecting; *pp; pp = &(*pp)->next) {
    struct connecting *c = *pp;
    if (!key_eq(c->key, c->key_len, key, key_len))
      continue;
    if (--c->count == 0) {
      *pp = c->next;
      cn_free(c->key);
      cn_free(c);
    }
    break;
  }
  wake(pool, key, key_len);
}

bool cn_h2_session_pool_connecting(const struct cn_h2_session_pool *pool,
                                   const char *key, size_t key_len) {
  return find_connecting(pool, key, key_len) != NULL &&
         known_h1_index(pool, key, key_len) < 0;
}

static void run_waiter(void *ctx) {
  struct cn_h2_session_pool_waiter *w = ctx;
  cn_task_fn fn = w->fn;
  void *fn_ctx = w->ctx;
  cn_h2_session_pool_cancel_wait(w);
  fn(fn_ctx); /* may free |w|'s owner */
}

int cn_h2_session_pool_wait(struct cn_h2_session_pool *pool,
                            struct cn_h2_session_pool_waiter *w,
                            const char *key, size_t key_len, cn_task_fn fn,
                            void *ctx) {
  memset(w, 0, sizeof(*w));
  w->key = cn_memdup(key, key_len ? key_len : 1);
  if (!w->key)
    return CN_ERR_OUT_OF_MEMORY;
  w->key_len = key_len;
  w->pool = pool;
  w->fn = fn;
  w->ctx = ctx;
  cn_task_init(&w->task, run_waiter, w);
  w->next = pool->waiters;
  if (pool->waiters)
    pool->waiters->prev = w;
  pool->waiters = w;
  return CN_OK;
}

void cn_h2_session_pool_cancel_wait(struct cn_h2_session_pool_waiter *w) {
  if (!w || !w->pool)
    return;
  struct cn_h2_session_pool *pool = w->pool;
  if (w->prev)
    w->prev->next = w->next;
  else
    pool->waiters = w->next;
  if (w->next)
    w->next->prev = w->prev;
  cn_task_cancel(&w->task);
  cn_free(w->key);
  w->key = NULL;
  w->pool = NULL;
  w->prev = w->next = NULL;
}

void cn_h2_session_pool_upkeep(struct cn_h2_session_pool *pool) {
  for (struct entry *e = pool->entries; e; e = e->next)
    if (!cn_h2_session_is_closed(e->session))
      cn_h2_session_ping(e->session);
}

void cn_h2_session_pool_close_idle(struct cn_h2_session_pool *pool) {
  for (struct entry *e = pool->entries; e; e = e->next)
    if (cn_h2_session_num_streams(e->session) == 0)
      cn_h2_session_shutdown(e->session);
}

size_t cn_h2_session_pool_count(const struct cn_h2_session_pool *pool) {
  size_t n = 0;
  for (const struct entry *e = pool->entries; e; e = e->next)
    n++;
  return n;
}
