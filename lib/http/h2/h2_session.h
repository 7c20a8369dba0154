/* h2_session.h: one HTTP/2 connection (Chromium's SpdySession) on top of
 * nghttp2's I/O-free session: the session owns the pooled socket, keeps a
 * read pending on it for as long as it lives, feeds what arrives to
 * nghttp2_session_mem_recv() and writes what nghttp2_session_mem_send()
 * produces. Streams (h2_stream.c) attach a cn_h2_stream_ref, submit one
 * request each and receive their events through a delegate.
 *
 * What goes on the wire first comes from a cn_h2_config (SETTINGS in order,
 * the connection WINDOW_UPDATE, PRIORITY frames), and so do each request's
 * HEADERS priority and pseudo-header order.
 *
 * Flow control: automatic WINDOW_UPDATEs are off. Received DATA counts
 * against a stream's window until its reader takes it
 * (cn_h2_session_consume), so a slow or paused reader holds at most one
 * stream window of data and the server waits on that stream; the
 * connection window reopens on receipt, so the other streams go on. DATA
 * for a stream nobody reads any more is consumed at once.
 *
 * Errors: a stream reset by the server ends with CN_ERR_HTTP2_STREAM_ERROR,
 * one refused (RST_STREAM REFUSED_STREAM, or above the last stream id of a
 * GOAWAY) with CN_ERR_HTTP2_SERVER_REFUSED_STREAM (safe to retry on another
 * connection), a connection-level protocol error with
 * CN_ERR_HTTP2_PROTOCOL_ERROR, a lost connection with the socket's error
 * (CN_ERR_CONNECTION_CLOSED for EOF).
 *
 * Ownership: the session pool owns sessions. A session owns its socket and
 * nghttp2 state; it borrows the event loop. Attached streams are borrowed:
 * each must detach before it goes away, and a session is freed only when
 * none is attached. */
#ifndef CN_HTTP_H2_H2_SESSION_H
#define CN_HTTP_H2_H2_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/h2/h2_config.h"
#include "socket/client_socket_pool.h"
#include "util/event_loop.h"
#include "util/net_error.h"
#include "util/net_log.h"

struct cn_h2_session;

/* What the session reports to a stream. Calls come from inside the
 * session's input or output processing: handlers record what they are told
 * and return; they must not detach or submit. A negative return resets the
 * stream (RST_STREAM INTERNAL_ERROR); the stream then still gets on_close. */
struct cn_h2_stream_delegate {
  /* One field of the header block being received (a response head, 1xx
   * heads included, or the trailers). Pseudo-header fields included. */
  int (*on_header)(void *ctx, const uint8_t *name, size_t name_len,
                   const uint8_t *value, size_t value_len);
  /* The header block is complete; |end_stream| when it also ended the
   * response. Return 1 when it was a final (non-1xx) response head: the
   * session then opens the stream window to the configured size. */
  int (*on_headers_done)(void *ctx, bool end_stream);
  /* Response body bytes (already counted against the windows; give them
   * back with cn_h2_session_consume once read). */
  int (*on_data)(void *ctx, const uint8_t *data, size_t len);
  /* The stream is over: CN_OK when it closed cleanly, else the error (see
   * above). |h2_error| is the RST_STREAM/GOAWAY code, 0 if none. After this
   * the session sends nothing more for the stream. */
  void (*on_close)(void *ctx, int rv, uint32_t h2_error);
  /* Request body: copy up to |len| bytes to |buf| and return how many;
   * set *out_eof when the body ends after them. 0 without eof means
   * nothing is ready: call cn_h2_session_resume_body when it is. A
   * negative return resets the stream. */
  int (*read_body)(void *ctx, uint8_t *buf, size_t len, bool *out_eof);
};

/* A stream's attachment to a session, embedded in the stream. Fields are
 * the session's; the stream may read |id| and |open|. */
struct cn_h2_stream_ref {
  struct cn_h2_session *session;
  const struct cn_h2_stream_delegate *delegate;
  void *ctx;
  const struct cn_net_log *log; /* the transfer's; borrowed */
  int32_t id;                   /* 0 until submitted */
  bool open;                    /* nghttp2 still has the stream */
  bool reused;                  /* the session carried a stream before */
  struct cn_h2_stream_ref *prev, *next;
};

/* One header field to send (not NUL-terminated). */
struct cn_h2_header {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
};

struct cn_h2_session_params {
  struct cn_event_loop *loop;       /* borrowed; outlives the session */
  const struct cn_h2_config *config; /* copied; NULL: cn_h2_config_init */
  /* Most streams this side opens at once (CURLMOPT_MAX_CONCURRENT_STREAMS),
   * also the upper bound of the server's SETTINGS; 0: 100. */
  uint32_t max_concurrent_streams;
  /* An idle session (no stream) is closed after this long; 0: never. */
  long max_idle_s;
  /* Close as soon as the last stream is gone (CURLOPT_FORBID_REUSE). */
  bool single_use;
  /* Told from the event loop once the session is closed and no stream is
   * attached: the owner frees it then. */
  void (*on_dead)(void *ctx, struct cn_h2_session *s);
  void *on_dead_ctx;
  /* Told (with |on_dead_ctx|) from cn_h2_session_detach, as its last
   * act, when an open session whose connection belongs to a share's
   * connection cache lost its last stream: the owner may park it there
   * (cn_h2_session_park, which frees it), as libcurl gives a connection
   * back to the share when its transfer is done. NULL: it stays. */
  void (*on_idle)(void *ctx, struct cn_h2_session *s);
  /* h2c upgrade (RFC 7540 3.2): the connection switched after a 101 to
   * the HTTP/1.1 request that sent |upgrade_settings| (the SETTINGS payload
   * of HTTP2-Settings, borrowed for the call); stream 1 is that request,
   * already sent (adopt it with cn_h2_session_adopt_upgraded). NULL: a
   * connection that starts with HTTP/2. */
  const uint8_t *upgrade_settings;
  size_t upgrade_settings_len;
  bool upgrade_head_request; /* the upgraded request was a HEAD */
};

/* cn_h2_session_new starts HTTP/2 on the connected socket in |handle|: the
 * client preface, SETTINGS, WINDOW_UPDATE and PRIORITY frames are queued
 * (written together with the first request when it is submitted before
 * the loop runs again, as libcurl does); reading starts from the loop.
 * Takes ownership of the socket on success (|handle| is left empty); on
 * failure the caller keeps it.
 * CN_OK, CN_ERR_OUT_OF_MEMORY, CN_ERR_INVALID_ARGUMENT (bad config). */
int cn_h2_session_new(struct cn_h2_session **out,
                      struct cn_client_socket_handle *handle,
                      const struct cn_h2_session_params *params);
/* cn_h2_session_free closes the connection (a GOAWAY is written if the
 * socket takes it at once). No stream may be attached. NULL-safe. */
void cn_h2_session_free(struct cn_h2_session *s);

/* Sessions outlive their network session in a share's connection cache
 * (CURL_LOCK_DATA_CONNECT), as libcurl keeps HTTP/2 connections there:
 * the idle connection waits with its nghttp2 state in an attachment
 * tagged CN_H2_PARKED_TAG, and a request of the same group key that may
 * speak HTTP/2 takes it (cn_socket_params.alt_attachment_tag) and makes
 * it a session again. */
#define CN_H2_PARKED_TAG "h2"

/* cn_h2_session_park: when |s| is open, idle and good for more streams,
 * and its connection belongs to a share's connection cache, the
 * connection answers what has arrived and goes to that cache with the
 * HTTP/2 state (the socket pool may still close it there), and |s| is
 * freed: true. False: |s| goes on as before (a write was pending, a
 * GOAWAY came, no share, OOM). */
bool cn_h2_session_park(struct cn_h2_session *s);
/* cn_h2_session_is_parked: |a| (NULL-safe) is the state of a parked
 * session. */
bool cn_h2_session_is_parked(const struct cn_socket_attachment *a);
/* cn_h2_session_adopt makes a session again of the parked connection in
 * |handle| (a socket whose attachment cn_h2_session_is_parked), with the
 * parked configuration; |params|' config and upgrade fields are unused.
 * Takes the socket and the attachment on success (|handle| is left empty);
 * on failure the caller keeps both. CN_OK, CN_ERR_OUT_OF_MEMORY,
 * CN_ERR_INVALID_ARGUMENT (no parked session in |handle|). */
int cn_h2_session_adopt(struct cn_h2_session **out,
                        struct cn_client_socket_handle *handle,
                        const struct cn_h2_session_params *params);

/* cn_h2_session_is_available: open, no GOAWAY received or sent, stream ids
 * left, and fewer than max_concurrent_streams streams attached (the
 * smaller of ours and the server's SETTINGS). */
bool cn_h2_session_is_available(const struct cn_h2_session *s);
bool cn_h2_session_is_closed(const struct cn_h2_session *s);
/* cn_h2_session_is_reused: a new stream would not be the connection's
 * first (the session carried or carries streams, or its socket came from
 * the idle list). */
bool cn_h2_session_is_reused(const struct cn_h2_session *s);
size_t cn_h2_session_num_streams(const struct cn_h2_session *s);
/* The effective limit: min(ours, server's SETTINGS_MAX_CONCURRENT_STREAMS). */
uint32_t cn_h2_session_max_concurrent_streams(const struct cn_h2_session *s);
/* The connection (socket, timing, addresses, id). Valid while the session
 * lives, even after it closed (the socket object stays until free). */
const struct cn_client_socket_handle *cn_h2_session_handle(
    const struct cn_h2_session *s);
/* The session's configuration (its own copy). */
const struct cn_h2_config *cn_h2_session_config(const struct cn_h2_session *s);

/* cn_h2_session_attach links |ref| (zeroed by the caller) to |s| with its
 * delegate; nothing is sent yet. */
void cn_h2_session_attach(struct cn_h2_session *s, struct cn_h2_stream_ref *ref,
                          const struct cn_h2_stream_delegate *delegate,
                          void *ctx, const struct cn_net_log *log);
/* cn_h2_session_detach unlinks |ref|. A stream still open is reset (CANCEL)
 * and its |unconsumed| buffered bytes are given back to its window. No delegate
 * call follows. The session may be parked and freed on the way out (on_idle):
 * the caller must not use it afterwards. */
void cn_h2_session_detach(struct cn_h2_stream_ref *ref, size_t unconsumed);

/* cn_h2_session_submit sends the request HEADERS for an attached |ref|:
 * the pseudo-header fields in the configured order, then |headers| (names
 * already lower-case). |weight| 0 keeps the configured HEADERS priority,
 * 1..256 replaces its weight; |depends_on| > 0 replaces its parent
 * stream (|exclusive| then too). With |has_body| the body is pulled through
 * the delegate's read_body. CN_OK, CN_ERR_OUT_OF_MEMORY,
 * CN_ERR_HTTP2_SERVER_REFUSED_STREAM (the session cannot open streams any
 * more: retry elsewhere), CN_ERR_HTTP2_PROTOCOL_ERROR, or the connection's
 * error if it is closed. */
int cn_h2_session_submit(struct cn_h2_stream_ref *ref,
                         const struct cn_h2_header pseudo[CN_H2_NUM_PSEUDO],
                         const struct cn_h2_header *headers,
                         size_t num_headers, bool has_body, int weight,
                         int32_t depends_on, bool exclusive);
/* cn_h2_session_adopt_upgraded makes the attached |ref| stream 1 of an
 * upgraded session (its request went out as HTTP/1.1). CN_OK or
 * CN_ERR_UNEXPECTED (not an upgraded session, or stream 1 taken). */
int cn_h2_session_adopt_upgraded(struct cn_h2_stream_ref *ref);
/* cn_h2_session_feed processes bytes that arrived for the session before
 * it existed (what followed the 101 head in the HTTP/1.1 read buffer). */
void cn_h2_session_feed(struct cn_h2_session *s, const uint8_t *data,
                        size_t len);
/* cn_h2_settings_payload packs the SETTINGS of |config| as the payload of
 * a SETTINGS frame (what HTTP2-Settings carries, before base64url). Returns
 * the length, or 0 if |cap| is too small or the config is invalid. */
size_t cn_h2_settings_payload(const struct cn_h2_config *config,
                              uint8_t *out, size_t cap);
/* cn_h2_session_resume_body: body bytes became available (or the end). */
void cn_h2_session_resume_body(struct cn_h2_stream_ref *ref);
/* cn_h2_session_consume: the stream's reader took |len| bytes of DATA;
 * the stream's window reopens by that much (WINDOW_UPDATE as nghttp2 sees fit). */
void cn_h2_session_consume(struct cn_h2_stream_ref *ref, size_t len);

/* cn_h2_session_ping queues a PING (connection upkeep). CN_OK, OOM, or the
 * error of a closed session. */
int cn_h2_session_ping(struct cn_h2_session *s);
/* cn_h2_session_shutdown sends GOAWAY(NO_ERROR): streams already open run
 * to their end, no new ones are accepted, and the connection closes after
 * the last one. */
void cn_h2_session_shutdown(struct cn_h2_session *s);

#endif
