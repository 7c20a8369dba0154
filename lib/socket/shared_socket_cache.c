/* shared_socket_cache.c: one list of idle sockets, newest first, under the
 * owner's lock. The list is short (libcurl's 103), so a linear walk by key
 * costs less than keeping groups. */
#include "socket/shared_socket_cache.h"

#include <string.h>

#include "util/alloc.h"

struct node {
  struct cn_shared_socket_entry e;
  char *key;
  struct node *prev, *next;
};

struct cn_shared_socket_cache {
  struct node *head, *tail; /* head: most recently released */
  int num_idle;
  int max_idle;
  uint64_t next_id;
  int64_t next_xfer_id;
  cn_shared_socket_cache_lock_fn lock_fn;
  void *lock_arg;
};

static void lock(struct cn_shared_socket_cache *c) {
  if (c->lock_fn)
    c->lock_fn(c->lock_arg, true);
}

static void unlock(struct cn_shared_socket_cache *c) {
  if (c->lock_fn)
    c->lock_fn(c->lock_arg, false);
}

struct cn_shared_socket_cache *cn_shared_socket_cache_new(int max_idle) {
  struct cn_shared_socket_cache *c = cn_calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->max_idle =
      max_idle > 0 ? max_idle : CN_SHARED_SOCKET_CACHE_DEFAULT_MAX_IDLE;
  return c;
}

void cn_shared_socket_cache_set_lock(struct cn_shared_socket_cache *c,
                                     cn_shared_socket_cache_lock_fn fn,
                                     void *arg) {
  c->lock_fn = fn;
  c->lock_arg = arg;
}

static void unlink_node(struct cn_shared_socket_cache *c, struct node *n) {
  if (n->prev)
    n->prev->next = n->next;
  else
    c->head = n->next;
  if (n->next)
    n->next->prev = n->prev;
  else
    c->tail = n->prev;
  n->prev = NULL;
  n->next = NULL;
  c->num_idle--;
}

/* Nodes to close once the lock is released: closing runs TLS shutdown and
 * close(2), which need not hold up the other threads. Linked by |next|. */
static void close_nodes(struct node *list) {
  while (list) {
    struct node *next = list->next;
    if (list->e.attachment)
      list->e.attachment->destroy(list->e.attachment);
    cn_stream_socket_destroy(list->e.socket);
    cn_free(list->key);
    cn_free(list);
    list = next;
  }
}

static void move_to(struct cn_shared_socket_cache *c, struct node *n,
                    struct node **kill) {
  unlink_node(c, n);
  n->next = *kill;
  *kill = n;
}

static bool expired(const struct cn_shared_socket_entry *e,
                    const struct cn_shared_socket_expiry *x, int64_t now) {
  if (!x)
    return false;
  /* Whole seconds, as the pool compares its own idle sockets. */
  int64_t idle_s = (now - e->idle_since_us) / 1000000;
  int64_t life_s = (now - e->created_us) / 1000000;
  if (x->max_idle_age_s >= 0 && idle_s > x->max_idle_age_s)
    return true;
  return x->max_lifetime_s > 0 && life_s > x->max_lifetime_s;
}

void cn_shared_socket_cache_free(struct cn_shared_socket_cache *c) {
  if (!c)
    return;
  cn_shared_socket_cache_close_idle(c);
  cn_free(c);
}

void cn_shared_socket_cache_close_idle(struct cn_shared_socket_cache *c) {
  lock(c);
  struct node *all = c->head;
  c->head = c->tail = NULL;
  c->num_idle = 0;
  unlock(c);
  close_nodes(all);
}

uint64_t cn_shared_socket_cache_new_id(struct cn_shared_socket_cache *c) {
  lock(c);
  uint64_t id = c->next_id++;
  unlock(c);
  return id;
}

int64_t cn_shared_socket_cache_next_xfer_id(struct cn_shared_socket_cache *c) {
  lock(c);
  int64_t id = c->next_xfer_id++;
  unlock(c);
  return id;
}

int cn_shared_socket_cache_idle_count(struct cn_shared_socket_cache *c) {
  lock(c);
  int n = c->num_idle;
  unlock(c);
  return n;
}

bool cn_shared_socket_cache_take(struct cn_shared_socket_cache *c,
                                 const char *key,
                                 const struct cn_shared_socket_expiry *expiry,
                                 int64_t now_us,
                                 struct cn_shared_socket_entry *out) {
  return cn_shared_socket_cache_take_tagged(c, key, NULL, NULL, expiry, now_us,
                                            out);
}

bool cn_shared_socket_cache_take_tagged(
    struct cn_shared_socket_cache *c, const char *key, const char *tag,
    const char *alt_tag, const struct cn_shared_socket_expiry *expiry,
    int64_t now_us, struct cn_shared_socket_entry *out) {
  struct node *kill = NULL, *found = NULL;
  lock(c);
  struct node *n = c->head;
  while (n && !found) {
    struct node *next = n->next;
    if (strcmp(n->key, key) == 0 &&
        cn_socket_attachment_fits(n->e.attachment, tag, alt_tag)) {
      /* The liveness check only peeks at the socket, which is on no loop
       * and reachable only through the cache: safe under the lock. */
      if (expired(&n->e, expiry, now_us) ||
          !n->e.socket->ops->is_connected_and_idle(n->e.socket)) {
        move_to(c, n, &kill);
      } else {
        unlink_node(c, n);
        found = n;
      }
    }
    n = next;
  }
  unlock(c);
  close_nodes(kill);
  if (!found)
    return false;
  *out = found->e;
  cn_free(found->key);
  cn_free(found);
  return true;
}

/* sweep moves the expired nodes to |kill|; the lock is held. */
static void sweep(struct cn_shared_socket_cache *c,
                  const struct cn_shared_socket_expiry *expiry, int64_t now,
                  struct node **kill) {
  for (struct node *it = c->head; it;) {
    struct node *next = it->next;
    if (expired(&it->e, expiry, now))
      move_to(c, it, kill);
    it = next;
  }
}

void cn_shared_socket_cache_prune(struct cn_shared_socket_cache *c,
                                  const struct cn_shared_socket_expiry *expiry,
                                  int64_t now_us) {
  struct node *kill = NULL;
  lock(c);
  sweep(c, expiry, now_us, &kill);
  unlock(c);
  close_nodes(kill);
}

void cn_shared_socket_cache_put(struct cn_shared_socket_cache *c,
                                const char *key,
                                const struct cn_shared_socket_entry *e,
                                const struct cn_shared_socket_expiry *expiry) {
  struct node *n = cn_calloc(1, sizeof(*n));
  char *k = n ? cn_strdup(key) : NULL;
  if (!k) {
    cn_free(n);
    if (e->attachment)
      e->attachment->destroy(e->attachment);
    cn_stream_socket_destroy(e->socket);
    return;
  }
  n->e = *e;
  n->key = k;
  struct node *kill = NULL;
  lock(c);
  /* Sweep what has expired meanwhile, as the pool prunes its own list. */
  sweep(c, expiry, e->idle_since_us, &kill);
  n->next = c->head;
  if (c->head)
    c->head->prev = n;
  else
    c->tail = n;
  c->head = n;
  c->num_idle++;
  while (c->num_idle > c->max_idle)
    move_to(c, c->tail, &kill);
  unlock(c);
  close_nodes(kill);
}
