/* h2_session_pool.h: the HTTP/2 sessions of a network session, by origin
 * (Chromium's SpdySessionPool). Keys are the socket pool's group keys
 * (cn_group_key_build), so a request that would get a pooled socket of a
 * group gets a stream on that group's session instead, as long as the
 * session takes one more stream (the server's SETTINGS and
 * CURLMOPT_MAX_CONCURRENT_STREAMS); otherwise the caller connects and a new
 * session joins the pool.
 *
 * Waiting (CURLOPT_PIPEWAIT): while a connection that may negotiate h2 is
 * being made for a key (begin_connect .. end_connect), other requests for
 * the key may wait for it instead of connecting themselves; they are told
 * (from the event loop) when a session for the key appeared or the
 * connect ended without one, and look again.
 *
 * Ownership: the pool owns its sessions and frees a session once it is
 * closed and no stream is attached. Waiters are embedded in their owners,
 * which cancel them before going away. */
#ifndef CN_HTTP_H2_H2_SESSION_POOL_H
#define CN_HTTP_H2_H2_SESSION_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/h2/h2_session.h"
#include "util/event_loop.h"

struct cn_h2_session_pool;

struct cn_h2_session_pool_waiter {
  struct cn_h2_session_pool *pool; /* NULL while not waiting */
  char *key;                       /* owned copy */
  size_t key_len;
  cn_task_fn fn;
  void *ctx;
  struct cn_task task;
  struct cn_h2_session_pool_waiter *prev, *next;
};

/* cn_h2_session_pool_new: NULL on OOM. |loop| is borrowed. */
struct cn_h2_session_pool *cn_h2_session_pool_new(struct cn_event_loop *loop);
/* cn_h2_session_pool_free frees every session (GOAWAY where the socket
 * takes it; an idle one whose connection belongs to a share's connection
 * cache parks there instead: cn_h2_session_park); no stream may be
 * attached and no waiter waiting. NULL-safe. */
void cn_h2_session_pool_free(struct cn_h2_session_pool *pool);

/* cn_h2_session_pool_set_limits: |multiplex| false (CURLMOPT_PIPELINING
 * without CURLPIPE_MULTIPLEX) lets a session carry one stream at a time;
 * |max_concurrent_streams| (CURLMOPT_MAX_CONCURRENT_STREAMS; 0: 100) caps
 * the streams of new sessions and is what their SETTINGS announce;
 * |max_idle_s| closes sessions idle that long (0: never; negative: keep
 * the current value, initially 118 s like CURLOPT_MAXAGE_CONN). */
void cn_h2_session_pool_set_limits(struct cn_h2_session_pool *pool,
                                   bool multiplex,
                                   uint32_t max_concurrent_streams,
                                   long max_idle_s);

/* A session whose connection belongs to a share's connection cache
 * leaves the pool for that cache (cn_h2_session_park) as soon as its last
 * stream detaches, where every handle of the share finds it, as libcurl
 * gives a connection back to the share when a transfer is done. */

/* cn_h2_session_pool_find returns a session of |key| that can take one
 * more stream now, or NULL. */
struct cn_h2_session *cn_h2_session_pool_find(struct cn_h2_session_pool *pool,
                                              const char *key, size_t key_len);

/* cn_h2_session_pool_create makes a session on |handle|'s socket and keeps
 * it. With |shared| false (CURLOPT_FORBID_REUSE) the session is never
 * handed to another request and closes when its stream is done. Takes the
 * socket on success (|handle| is emptied); on failure the caller keeps it.
 * Waiters for |key| are woken. CN_OK, CN_ERR_OUT_OF_MEMORY,
 * CN_ERR_INVALID_ARGUMENT (bad |config|). */
int cn_h2_session_pool_create(struct cn_h2_session_pool *pool,
                              struct cn_h2_session **out, const char *key,
                              size_t key_len,
                              struct cn_client_socket_handle *handle,
                              const struct cn_h2_config *config, bool shared);
/* cn_h2_session_pool_create_upgraded is cn_h2_session_pool_create for a
 * connection that switched to h2c after a 101 (h2_session.h: upgrade). */
int cn_h2_session_pool_create_upgraded(
    struct cn_h2_session_pool *pool, struct cn_h2_session **out,
    const char *key, size_t key_len, struct cn_client_socket_handle *handle,
    const struct cn_h2_config *config, bool shared, bool head_request);
/* cn_h2_session_pool_adopt is cn_h2_session_pool_create for a connection
 * whose session was parked in a share's connection cache
 * (cn_h2_session_adopt). */
int cn_h2_session_pool_adopt(struct cn_h2_session_pool *pool,
                             struct cn_h2_session **out, const char *key,
                             size_t key_len,
                             struct cn_client_socket_handle *handle,
                             bool shared);
/* cn_h2_session_pool_settings_payload packs the SETTINGS a new session of
 * the pool with |config| (NULL: libcurl's) announces, for HTTP2-Settings.
 * Returns the length, 0 on failure. */
size_t cn_h2_session_pool_settings_payload(struct cn_h2_session_pool *pool,
                                           const struct cn_h2_config *config,
                                           uint8_t *out, size_t cap);

/* Connections in progress that may negotiate h2 for |key|. end_connect
 * wakes the key's waiters; |got_h2| false (the server chose HTTP/1.1, or
 * the connect failed after TLS said so) remembers that waiting for that
 * key is pointless, until a later connection negotiates h2. */
int cn_h2_session_pool_begin_connect(struct cn_h2_session_pool *pool,
                                     const char *key, size_t key_len);
void cn_h2_session_pool_end_connect(struct cn_h2_session_pool *pool,
                                    const char *key, size_t key_len,
                                    bool got_h2, bool known_h1);
/* cn_h2_session_pool_connecting: a connection for |key| is under way and
 * the key is not known to be HTTP/1 only: worth waiting for. */
bool cn_h2_session_pool_connecting(const struct cn_h2_session_pool *pool,
                                   const char *key, size_t key_len);

/* cn_h2_session_pool_wait: |fn|(|ctx|) runs once, from the loop, when the
 * situation for |key| changed. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_h2_session_pool_wait(struct cn_h2_session_pool *pool,
                            struct cn_h2_session_pool_waiter *w,
                            const char *key, size_t key_len, cn_task_fn fn,
                            void *ctx);
/* cn_h2_session_pool_cancel_wait: no call follows. NULL-safe, idempotent
 * (|w| must be zeroed or have waited before). */
void cn_h2_session_pool_cancel_wait(struct cn_h2_session_pool_waiter *w);

/* cn_h2_session_pool_upkeep PINGs every session (curl_easy_upkeep). */
void cn_h2_session_pool_upkeep(struct cn_h2_session_pool *pool);
/* cn_h2_session_pool_close_idle shuts down sessions without streams. */
void cn_h2_session_pool_close_idle(struct cn_h2_session_pool *pool);
/* Number of sessions kept (open or closing), for tests. */
size_t cn_h2_session_pool_count(const struct cn_h2_session_pool *pool);

#endif
