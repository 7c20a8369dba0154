/* host_cache.c: a chained hash of cache entries keyed by "host:port". */
#include "dns/host_cache.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/net_error.h"

#define INITIAL_BUCKETS 64

struct cn_host_cache {
  struct cn_host_cache_entry **buckets;
  size_t num_buckets; /* a power of two */
  size_t num;
};

static char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* make_key builds the lower-cased "host:port" key; NULL on OOM. */
static char *make_key(const char *host, size_t host_len, int port) {
  char port_text[16];
  int plen = snprintf(port_text, sizeof(port_text), ":%d", port);
  char *key = cn_malloc(host_len + (size_t)plen + 1);
  if (!key)
    return NULL;
  for (size_t i = 0; i < host_len; i++)
    key[i] = ascii_lower(host[i]);
  memcpy(key + host_len, port_text, (size_t)plen + 1);
  return key;
}

/* FNV-1a: short keys, no adversary that benefits from collisions beyond a
 * slower lookup in its own transfer's cache. */
static size_t hash_key(const char *key) {
  uint64_t h = 1469598103934665603ull;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    h ^= *p;
    h *= 1099511628211ull;
  }
  return (size_t)h;
}

static void free_entry(struct cn_host_cache_entry *e) {
  cn_free(e->key);
  cn_free(e->host);
  cn_address_list_free(e->list);
  cn_free(e);
}

struct cn_host_cache *cn_host_cache_new(void) {
  struct cn_host_cache *c = cn_calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->buckets = cn_calloc(INITIAL_BUCKETS, sizeof(*c->buckets));
  if (!c->buckets) {
    cn_free(c);
    return NULL;
  }
  c->num_buckets = INITIAL_BUCKETS;
  return c;
}

void cn_host_cache_free(struct cn_host_cache *c) {
  if (!c)
    return;
  cn_host_cache_clear(c, false);
  cn_free(c->buckets);
  cn_free(c);
}

/* find_slot returns the link that points at the entry with |key| (or at the
 * NULL ending its chain). */
static struct cn_host_cache_entry **find_slot(struct cn_host_cache *c,
                                              const char *key) {
  struct cn_host_cache_entry **pp =
      &c->buckets[hash_key(key) & (c->num_buckets - 1)];
  while (*pp && strcmp((*pp)->key, key) != 0)
    pp = &(*pp)->next;
  return pp;
}

struct cn_host_cache_entry *cn_host_cache_find(struct cn_host_cache *c,
                                               const char *host,
                                               size_t host_len, int port) {
  char stack_key[320];
  char *key = stack_key;
  /* Lookups are hot and usually short: build the key on the stack. */
  if (host_len + 16 > sizeof(stack_key)) {
    key = make_key(host, host_len, port);
    if (!key)
      return NULL;
  } else {
    for (size_t i = 0; i < host_len; i++)
      stack_key[i] = ascii_lower(host[i]);
    snprintf(stack_key + host_len, sizeof(stack_key) - host_len, ":%d", port);
  }
  struct cn_host_cache_entry *e = *find_slot(c, key);
  if (key != stack_key)
    cn_free(key);
  return e;
}

bool cn_host_cache_is_stale(const struct cn_host_cache_entry *e, long timeout_s,
                            int64_t now_us) {
  if (e->permanent || timeout_s < 0)
    return false;
  return now_us - e->stored_us >= (int64_t)timeout_s * 1000000;
}

static void unlink_entry(struct cn_host_cache *c,
                         struct cn_host_cache_entry **pp) {
  struct cn_host_cache_entry *e = *pp;
  *pp = e->next;
  c->num--;
  free_entry(e);
}

/* grow doubles the bucket array; on OOM the cache just keeps longer chains. */
static void grow(struct cn_host_cache *c) {
  size_t n = c->num_buckets * 2;
  struct cn_host_cache_entry **b = cn_calloc(n, sizeof(*b));
  if (!b)
    return;
  for (size_t i = 0; i < c->num_buckets; i++) {
    struct cn_host_cache_entry *e = c->buckets[i];
    while (e) {
      struct cn_host_cache_entry *next = e->next;
      size_t slot = hash_key(e->key) & (n - 1);
      e->next = b[slot];
      b[slot] = e;
      e = next;
    }
  }
  cn_free(c->buckets);
  c->buckets = b;
  c->num_buckets = n;
}

/* evict_oldest drops the oldest non-permanent entry; false if none. */
static bool evict_oldest(struct cn_host_cache *c) {
  struct cn_host_cache_entry **oldest = NULL;
  for (size_t i = 0; i < c->num_buckets; i++)
    for (struct cn_host_cache_entry **pp = &c->buckets[i]; *pp;
         pp = &(*pp)->next)
      if (!(*pp)->permanent &&
          (!oldest || (*pp)->stored_us < (*oldest)->stored_us))
        oldest = pp;
  if (!oldest)
    return false;
  unlink_entry(c, oldest);
  return true;
}

int cn_host_cache_set(struct cn_host_cache *c, const char *host,
                      size_t host_len, int port, struct cn_address_list *list,
                      bool permanent, int64_t now_us) {
  int rv = CN_ERR_OUT_OF_MEMORY;
  struct cn_host_cache_entry *e = cn_calloc(1, sizeof(*e));
  if (!e)
    goto out;
  e->key = make_key(host, host_len, port);
  e->host = cn_strndup(host, host_len);
  if (!e->key || !e->host)
    goto out;
  e->port = port;
  e->stored_us = now_us;
  e->permanent = permanent;

  struct cn_host_cache_entry **pp = find_slot(c, e->key);
  if (*pp) {
    unlink_entry(c, pp);
  } else if (c->num >= CN_HOST_CACHE_MAX_ENTRIES) {
    evict_oldest(c);
  }
  if (c->num >= c->num_buckets)
    grow(c);
  pp = find_slot(c, e->key);
  e->list = list; /* ownership moves only now that nothing can fail */
  e->next = NULL;
  *pp = e;
  c->num++;
  e = NULL;
  rv = CN_OK;
out:
  if (e)
    free_entry(e);
  return rv;
}

void cn_host_cache_remove_entry(struct cn_host_cache *c,
                                struct cn_host_cache_entry *e) {
  struct cn_host_cache_entry **pp = find_slot(c, e->key);
  if (*pp == e)
    unlink_entry(c, pp);
}

bool cn_host_cache_remove(struct cn_host_cache *c, const char *host,
                          size_t host_len, int port) {
  struct cn_host_cache_entry *e = cn_host_cache_find(c, host, host_len, port);
  if (!e)
    return false;
  cn_host_cache_remove_entry(c, e);
  return true;
}

void cn_host_cache_clear(struct cn_host_cache *c, bool keep_permanent) {
  for (size_t i = 0; i < c->num_buckets; i++) {
    struct cn_host_cache_entry **pp = &c->buckets[i];
    while (*pp) {
      if (keep_permanent && (*pp)->permanent)
        pp = &(*pp)->next;
      else
        unlink_entry(c, pp);
    }
  }
}

void cn_host_cache_prune(struct cn_host_cache *c, long timeout_s,
                         int64_t now_us) {
  for (size_t i = 0; i < c->num_buckets; i++) {
    struct cn_host_cache_entry **pp = &c->buckets[i];
    while (*pp) {
      if (cn_host_cache_is_stale(*pp, timeout_s, now_us))
        unlink_entry(c, pp);
      else
        pp = &(*pp)->next;
    }
  }
}

size_t cn_host_cache_size(const struct cn_host_cache *c) { return c->num; }
