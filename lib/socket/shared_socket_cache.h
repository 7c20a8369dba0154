/* shared_socket_cache.h: idle connections shared by several socket pools
 * (libcurl's connection cache in a share handle, CURL_LOCK_DATA_CONNECT).
 *
 * Each multi handle has its own pool and event loop; easy handles that use
 * one share handle find each other's idle connections here instead of in
 * their pool's idle list. A socket enters the cache detached from every
 * event loop (stream_socket.h's attach_event_loop with NULL) and the pool
 * that takes it attaches it to its own loop, so the cache can be used from
 * several threads as long as the lock hooks are set: every access to the
 * cache's data runs between lock(arg, true) and lock(arg, false). Sockets
 * are closed outside the lock.
 *
 * Connection ids come from the cache too (libcurl numbers connections per
 * connection cache), so "Connection #N" stays unique across the share.
 *
 * Ownership: the creator (the share handle) owns the cache and frees it
 * after every pool request that named it has finished; the cache owns the
 * idle sockets in it. */
#ifndef CN_SOCKET_SHARED_SOCKET_CACHE_H
#define CN_SOCKET_SHARED_SOCKET_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/ip_endpoint.h"
#include "socket/client_socket_pool.h" /* struct cn_socket_attachment */
#include "util/stream_socket.h"

struct cn_shared_socket_cache;

/* libcurl sizes a share's connection cache for 103 connections. */
#define CN_SHARED_SOCKET_CACHE_DEFAULT_MAX_IDLE 103

/* |lock|(|arg|, true) locks, (|arg|, false) unlocks. */
typedef void (*cn_shared_socket_cache_lock_fn)(void *arg, bool lock);

/* One idle connection and what the pool needs to hand it out again. */
struct cn_shared_socket_entry {
  struct cn_stream_socket *socket; /* detached from every loop */
  uint64_t id;                     /* connection id (cn_..._new_id) */
  int64_t created_us;              /* cn_time_now_us() when connected */
  int64_t idle_since_us;           /* when it was released */
  struct cn_ip_endpoint peer, local;
  /* Per-connection state of a layer above (NTLM), owned with the socket;
   * NULL: none. Its |tag| limits who may take the socket (see
   * cn_socket_params.attachment_tag). */
  struct cn_socket_attachment *attachment;
  int http_version_seen; /* cn_client_socket_handle's */
};

/* Idle-age and lifetime limits of the pool asking, the rules of its own
 * idle list (cn_socket_pool_limits): whole seconds; max_idle_age_s < 0: no
 * idle limit; max_lifetime_s 0: no lifetime limit. */
struct cn_shared_socket_expiry {
  long max_idle_age_s;
  long max_lifetime_s;
};

/* cn_shared_socket_cache_new: an empty cache keeping at most |max_idle|
 * sockets (<= 0: CN_SHARED_SOCKET_CACHE_DEFAULT_MAX_IDLE). NULL on OOM. */
struct cn_shared_socket_cache *cn_shared_socket_cache_new(int max_idle);
/* cn_shared_socket_cache_free closes every idle socket. NULL-safe. */
void cn_shared_socket_cache_free(struct cn_shared_socket_cache *c);
/* cn_shared_socket_cache_set_lock installs the lock hooks (NULL |fn|: no
 * locking, for single-threaded use). Set before the cache is shared. */
void cn_shared_socket_cache_set_lock(struct cn_shared_socket_cache *c,
                                     cn_shared_socket_cache_lock_fn fn,
                                     void *arg);

/* cn_shared_socket_cache_new_id returns the next connection id. */
uint64_t cn_shared_socket_cache_new_id(struct cn_shared_socket_cache *c);

/* cn_shared_socket_cache_take moves the most recently released idle socket
 * of group |key| that is neither expired under |expiry| at |now_us| nor
 * dead (is_connected_and_idle) into |*out|; the caller owns it then (still
 * detached). Expired and dead sockets met on the way are closed. False if
 * there was none; |*out| is then untouched. */
bool cn_shared_socket_cache_take(struct cn_shared_socket_cache *c,
                                 const char *key,
                                 const struct cn_shared_socket_expiry *expiry,
                                 int64_t now_us,
                                 struct cn_shared_socket_entry *out);
/* cn_shared_socket_cache_take_tagged is the same for a request with an
 * attachment tag and a second one it also takes (each NULL: none):
 * sockets whose attachment has another tag are left alone. */
bool cn_shared_socket_cache_take_tagged(
    struct cn_shared_socket_cache *c, const char *key, const char *tag,
    const char *alt_tag, const struct cn_shared_socket_expiry *expiry,
    int64_t now_us, struct cn_shared_socket_entry *out);

/* cn_shared_socket_cache_put keeps |e->socket| (detached by the caller)
 * as idle in group |key|; takes ownership of the socket in every case: on
 * OOM it is closed. When the cache is over its size the least recently
 * released socket is closed; sockets expired under |expiry| are closed
 * too. */
void cn_shared_socket_cache_put(struct cn_shared_socket_cache *c,
                                const char *key,
                                const struct cn_shared_socket_entry *e,
                                const struct cn_shared_socket_expiry *expiry);

/* cn_shared_socket_cache_next_xfer_id returns the next transfer id:
 * libcurl numbers transfers per connection cache (CURLINFO_XFER_ID), so
 * the ids of handles sharing connections come from here. */
int64_t cn_shared_socket_cache_next_xfer_id(struct cn_shared_socket_cache *c);
/* cn_shared_socket_cache_prune closes the idle sockets expired under
 * |expiry| at |now_us| (libcurl's prune of dead connections, done when a
 * transfer looks for a connection and when it leaves its multi handle). */
void cn_shared_socket_cache_prune(struct cn_shared_socket_cache *c,
                                  const struct cn_shared_socket_expiry *expiry,
                                  int64_t now_us);
/* cn_shared_socket_cache_idle_count: sockets in the cache. */
int cn_shared_socket_cache_idle_count(struct cn_shared_socket_cache *c);
/* cn_shared_socket_cache_close_idle closes every idle socket. */
void cn_shared_socket_cache_close_idle(struct cn_shared_socket_cache *c);

#endif
