/* h2_test_server.h: an HTTP/2 server for unit tests, built on nghttp2's
 * server session and driven by the test's event loop: over one end of a
 * socketpair (session and stream tests) or a loopback listener
 * (transaction tests, h2c prior knowledge). It records every frame the
 * client sent (type, flags, stream, SETTINGS entries, window increments,
 * priority fields) and every request (pseudo-header order, fields, body),
 * and answers the way a test tells it to.
 *
 * Uses the C allocator, so allocation-failure loops count only the
 * library's allocations. */
#ifndef CN_TESTS_UNIT_HTTP_H2_TEST_SERVER_H
#define CN_TESTS_UNIT_HTTP_H2_TEST_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/event_loop.h"

#define H2TS_MAX_FRAMES 512
#define H2TS_MAX_REQS 64
#define H2TS_MAX_FIELDS 32
#define H2TS_MAX_CONNS 8

struct h2ts_frame {
  uint8_t type;
  uint8_t flags;
  int32_t stream_id;
  uint32_t length;
  /* WINDOW_UPDATE increment, RST_STREAM/GOAWAY error code, SETTINGS
   * entry count. */
  uint32_t value;
  /* HEADERS with the PRIORITY flag, or PRIORITY frames. */
  int32_t dep;
  int weight;
  bool exclusive;
};

struct h2ts_field {
  char name[64];
  char value[512];
};

struct h2ts_request {
  int32_t id;
  char pseudo_order[8]; /* letters m s a p in arrival order */
  struct h2ts_field pseudo[4];
  size_t num_pseudo;
  struct h2ts_field fields[H2TS_MAX_FIELDS];
  size_t num_fields;
  unsigned char *body; /* malloc'ed */
  size_t body_len;
  bool ended;  /* END_STREAM from the client */
  bool closed;
  uint32_t close_error;
  /* Response body being sent (copied). */
  unsigned char *resp;
  size_t resp_len, resp_off;
  bool resp_hold;  /* defer DATA until h2ts_release_body */
  bool resp_no_end; /* never end the stream after the body */
  char **trailers; /* "name", "value" pairs, NULL-terminated */
  uint64_t data_sent; /* DATA payload bytes sent on this stream */
};

struct h2ts_conn;
struct h2ts_server;

/* Called when a request is complete (END_STREAM). */
typedef void (*h2ts_request_fn)(void *ctx, struct h2ts_conn *c,
                                struct h2ts_request *r);

struct h2ts_conn {
  struct h2ts_server *srv;
  int fd;
  struct cn_io_watch watch;
  void *ng; /* nghttp2_session */
  unsigned char *out;
  size_t out_len, out_cap;
  bool closed;
  bool got_preface;
  struct h2ts_frame frames[H2TS_MAX_FRAMES];
  size_t num_frames;
  uint16_t settings_id[16];
  uint32_t settings_value[16];
  size_t num_settings; /* of the client's first SETTINGS */
  struct h2ts_request reqs[H2TS_MAX_REQS];
  size_t num_reqs;
};

struct h2ts_server {
  struct cn_event_loop *loop;
  int lfd;
  int port;
  struct cn_io_watch lwatch;
  struct h2ts_conn *conns[H2TS_MAX_CONNS];
  size_t num_conns;
  h2ts_request_fn on_request;
  void *ctx;
  /* Server SETTINGS: 0 values leave nghttp2's defaults. */
  uint32_t max_concurrent_streams;
  uint32_t initial_window_size;
  /* Answer every request with 200 and its path as body (when on_request
   * is NULL). */
  bool echo;
};

/* h2ts_server_init: no listener. h2ts_server_listen adds one on
 * 127.0.0.1 (port in ->port); -1 on failure. */
void h2ts_server_init(struct h2ts_server *srv, struct cn_event_loop *loop);
int h2ts_server_listen(struct h2ts_server *srv);
void h2ts_server_cleanup(struct h2ts_server *srv);

/* h2ts_conn_new serves the connected |fd| (taken over). */
struct h2ts_conn *h2ts_conn_new(struct h2ts_server *srv, int fd);

/* h2ts_respond submits a response: |headers| are "name", "value" pairs
 * (NULL-terminated; may be NULL), |body| may be NULL (no DATA: the HEADERS
 * frame ends the stream unless |trailers| follow). */
void h2ts_respond(struct h2ts_conn *c, int32_t stream_id, int status,
                  const char *const *headers, const void *body, size_t len,
                  const char *const *trailers);
/* An interim (1xx) head. */
void h2ts_info(struct h2ts_conn *c, int32_t stream_id, int status,
               const char *const *headers);
/* h2ts_release_body lets a held body go out. */
void h2ts_release_body(struct h2ts_conn *c, int32_t stream_id);
void h2ts_rst(struct h2ts_conn *c, int32_t stream_id, uint32_t error);
void h2ts_goaway(struct h2ts_conn *c, int32_t last_stream_id, uint32_t error);
/* h2ts_raw queues bytes written as they are, after pending frames. */
void h2ts_raw(struct h2ts_conn *c, const void *data, size_t len);
/* h2ts_flush writes what nghttp2 has to send. */
void h2ts_flush(struct h2ts_conn *c);
/* h2ts_close closes the connection (the client sees EOF). */
void h2ts_close(struct h2ts_conn *c);

struct h2ts_request *h2ts_find(struct h2ts_conn *c, int32_t stream_id);
/* Index of the first recorded frame of |type| at or after |from|, or -1. */
int h2ts_frame_index(const struct h2ts_conn *c, uint8_t type, size_t from);
const char *h2ts_field(const struct h2ts_request *r, const char *name);

#endif
