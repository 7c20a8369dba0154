/* host_cache.h: resolved addresses by "host:port" (Chromium's HostCache with
 * libcurl's DNS cache rules).
 *
 * Keys are the host lower-cased (ASCII) plus ":" and the port, as libcurl's
 * create_hostcache_id builds them. An entry records when it was stored;
 * whether it is stale is decided at lookup time against the caller's
 * timeout, because CURLOPT_DNS_CACHE_TIMEOUT belongs to each transfer, not
 * to the cache. Permanent entries (CURLOPT_RESOLVE) never go stale.
 *
 * Internal to lib/dns; the resolver owns the one cache. */
#ifndef CN_DNS_HOST_CACHE_H
#define CN_DNS_HOST_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/address_list.h"

/* Like libcurl's MAX_DNS_CACHE_SIZE: past it, the oldest entries go. */
#define CN_HOST_CACHE_MAX_ENTRIES 29999

struct cn_host_cache;

struct cn_host_cache_entry {
  char *key;  /* owned: "host:port", host lower-cased */
  char *host; /* owned: the host as first given */
  int port;
  struct cn_address_list *list; /* owned; ports are |port| */
  int64_t stored_us;            /* monotonic time of insertion */
  bool permanent;
  struct cn_host_cache_entry *next; /* hash chain */
};

/* cn_host_cache_new: NULL on OOM. */
struct cn_host_cache *cn_host_cache_new(void);
/* cn_host_cache_free drops every entry. NULL-safe. */
void cn_host_cache_free(struct cn_host_cache *c);

/* cn_host_cache_find returns the entry for |host| (|host_len| bytes) and
 * |port| without any staleness check, or NULL. The entry stays owned by the
 * cache and is valid until the next call that changes it. */
struct cn_host_cache_entry *cn_host_cache_find(struct cn_host_cache *c,
                                               const char *host,
                                               size_t host_len, int port);

/* cn_host_cache_is_stale: true if |e| is not permanent, |timeout_s| >= 0 and
 * |e| is at least |timeout_s| seconds old at |now_us|. */
bool cn_host_cache_is_stale(const struct cn_host_cache_entry *e, long timeout_s,
                            int64_t now_us);

/* cn_host_cache_set stores |list| under host:port, replacing any entry
 * there. Takes ownership of |list| on success; on failure (OOM) the caller
 * keeps it and the cache is unchanged. May evict old entries to stay under
 * CN_HOST_CACHE_MAX_ENTRIES. */
int cn_host_cache_set(struct cn_host_cache *c, const char *host,
                      size_t host_len, int port, struct cn_address_list *list,
                      bool permanent, int64_t now_us);

/* cn_host_cache_remove deletes host:port; false if there was none. It
 * allocates nothing for hosts of DNS length, so it cannot fail for them. */
bool cn_host_cache_remove(struct cn_host_cache *c, const char *host,
                          size_t host_len, int port);
/* cn_host_cache_remove_entry deletes |e| (from cn_host_cache_find). */
void cn_host_cache_remove_entry(struct cn_host_cache *c,
                                struct cn_host_cache_entry *e);

/* cn_host_cache_clear drops every entry, or every non-permanent one. */
void cn_host_cache_clear(struct cn_host_cache *c, bool keep_permanent);

/* cn_host_cache_prune drops entries stale under |timeout_s| at |now_us|. */
void cn_host_cache_prune(struct cn_host_cache *c, long timeout_s,
                         int64_t now_us);

size_t cn_host_cache_size(const struct cn_host_cache *c);

#endif
