/* http_basic_stream_test.c: HTTP/1.1 exchanges over a scripted socket. */
#include "http/h1/http_basic_stream.h"

#include <stdio.h>
#include <string.h>

#include "http/http_request_headers.h"
#include "http/http_request_info.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "mock_socket.h"
#include "test.h"
#include "util/alloc.h"
#include "util/event_loop.h"

struct fixture {
  struct cn_event_loop *loop;
  struct mock_socket sock;
  struct cn_client_socket_handle handle;
  struct cn_http_request_headers headers;
  struct cn_http_request_info req;
  struct cn_http_stream *stream;
};

static void setup(struct fixture *f, const struct mock_read *reads, size_t n) {
  memset(f, 0, sizeof(*f));
  f->loop = cn_event_loop_new();
  mock_socket_init(&f->sock, f->loop, reads, n);
  f->handle.socket = &f->sock.base;
  cn_http_request_headers_init(&f->headers);
  cn_http_request_headers_set(&f->headers, "Host", "example.com");
  f->req.method = "GET";
  f->req.request_target = "/";
  f->req.headers = &f->headers;
  f->req.http_minor = 1;
  f->stream = cn_http_basic_stream_new(&f->handle, f->loop, NULL);
}

static void teardown(struct fixture *f) {
  f->stream->ops->destroy(f->stream);
  cn_http_request_headers_cleanup(&f->headers);
  mock_socket_cleanup(&f->sock);
  cn_event_loop_free(f->loop);
}

struct waiter {
  bool done;
  int rv;
};

static void on_done(void *ctx, int rv) {
  struct waiter *w = ctx;
  w->done = true;
  w->rv = rv;
}

/* finish runs the loop until an operation that returned |rv| completes. */
static int finish(struct fixture *f, int rv, struct waiter *w) {
  if (rv != CN_ERR_IO_PENDING)
    return rv;
  for (int i = 0; i < 1000 && !w->done; i++)
    cn_event_loop_run_once(f->loop, 10, NULL, 0);
  return w->done ? w->rv : CN_ERR_TIMED_OUT;
}

static int send_request(struct fixture *f) {
  struct waiter w = {0};
  return finish(f, f->stream->ops->send_request(f->stream, &f->req, on_done,
                                                &w),
                &w);
}

static int head(struct fixture *f) {
  struct waiter w = {0};
  return finish(f, f->stream->ops->read_response_headers(f->stream, on_done,
                                                         &w),
                &w);
}

/* body reads the whole body into |out| (NUL-terminated); returns the final
 * read's result (0 on a clean end). */
static int body(struct fixture *f, char *out, size_t cap) {
  size_t used = 0;
  for (;;) {
    struct waiter w = {0};
    uint8_t buf[7]; /* small on purpose: many reads */
    int rv = finish(f, f->stream->ops->read_response_body(
                           f->stream, buf, sizeof(buf), on_done, &w),
                    &w);
    if (rv <= 0) {
      out[used] = '\0';
      return rv;
    }
    if (used + (size_t)rv < cap) {
      memcpy(out + used, buf, (size_t)rv);
      used += (size_t)rv;
    }
  }
}

TEST(get_with_content_length) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello", 0, 0, true},
      {" world", 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 2);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_STR(f.sock.written.data, "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
  CHECK_EQ_INT(head(&f), CN_OK);
  const struct cn_http_response_headers *h =
      f.stream->ops->response_headers(f.stream);
  CHECK_EQ_INT(h->status_code, 200);
  char out[64];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK_EQ_STR(out, "hello world");
  CHECK(f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
}

/* A body that arrives after its head is read from the socket straight into
 * the caller's buffer, never past its Content-Length: what follows it stays
 * in the socket (where the pool's liveness check sees it), even when the
 * caller's buffer has room for more. */
TEST(body_read_stops_at_content_length) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", 0, 0, true},
      {"hello world, and then some", 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 2);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  uint8_t buf[64];
  struct waiter w = {0};
  int rv = finish(&f,
                  f.stream->ops->read_response_body(f.stream, buf, sizeof(buf),
                                                    on_done, &w),
                  &w);
  CHECK_EQ_INT(rv, 11);
  CHECK(memcmp(buf, "hello world", 11) == 0);
  CHECK_EQ_INT((int)f.sock.read_offset, 11);
  struct waiter w2 = {0};
  CHECK_EQ_INT(finish(&f,
                      f.stream->ops->read_response_body(
                          f.stream, buf, sizeof(buf), on_done, &w2),
                      &w2),
               0);
  CHECK_EQ_INT((int)f.sock.read_offset, 11);
  teardown(&f);
}

TEST(chunked_body_split_everywhere) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r", 0, 0, false},
      {"\nhello\r\n6\r\n wor", 0, 0, true},
      {"ld\r\n0\r\n\r\n", 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 3);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  char out[64];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK_EQ_STR(out, "hello world");
  CHECK(f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
}

TEST(interim_100_then_final) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 0, 0,
       true},
  };
  struct fixture f;
  setup(&f, reads, 1);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 100);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 204);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK_EQ_STR(out, "");
  teardown(&f);
}

TEST(eof_before_anything_is_empty_reply) {
  static const struct mock_read reads[] = {{NULL, 0, 0, true}};
  struct fixture f;
  setup(&f, reads, 1);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_ERR_EMPTY_RESPONSE);
  CHECK(!f.stream->ops->received_response_bytes(f.stream));
  teardown(&f);
}

TEST(short_body_is_partial) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc", 0, 0, true},
      {NULL, 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 2);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), CN_ERR_CONTENT_LENGTH_MISMATCH);
  CHECK(!f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
}

TEST(reset_while_reading) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", 0, 0, false},
      {NULL, 0, CN_ERR_CONNECTION_RESET, true},
  };
  struct fixture f;
  setup(&f, reads, 2);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), CN_ERR_CONNECTION_RESET);
  teardown(&f);
}

TEST(close_delimited_body_is_not_reusable) {
  static const struct mock_read reads[] = {
      {"HTTP/1.0 200 OK\r\n\r\nall of it", 0, 0, true},
      {NULL, 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 2);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  char out[32];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK_EQ_STR(out, "all of it");
  CHECK(!f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
}

TEST(post_bytes_in_small_writes) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 1);
  f.sock.max_write = 3; /* the stream must loop over partial writes */
  struct cn_upload_data_stream *up = cn_upload_bytes_new("a=1&b=2", 7);
  f.req.method = "POST";
  f.req.upload = up;
  cn_http_request_headers_set(&f.headers, "Content-Length", "7");
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_STR(f.sock.written.data, "POST / HTTP/1.1\r\nHost: example.com\r\n"
                                    "Content-Length: 7\r\n\r\na=1&b=2");
  int64_t body_bytes = 0;
  f.stream->ops->bytes_sent(f.stream, &body_bytes);
  CHECK_EQ_INT(body_bytes, 7);
  CHECK_EQ_INT(head(&f), CN_OK);
  teardown(&f);
  cn_upload_data_stream_destroy(up);
}

TEST(chunked_upload_of_unknown_size) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 1);
  struct cn_upload_data_stream *up = cn_upload_bytes_new("hello", 5);
  up->size = -1; /* as a read callback of unknown length */
  f.req.method = "PUT";
  f.req.upload = up;
  f.req.upload_chunked = true;
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_STR(f.sock.written.data, "PUT / HTTP/1.1\r\nHost: example.com\r\n\r\n"
                                    "5\r\nhello\r\n0\r\n\r\n");
  CHECK_EQ_INT(head(&f), CN_OK);
  teardown(&f);
  cn_upload_data_stream_destroy(up);
}

TEST(write_error_is_reported) {
  struct fixture f;
  setup(&f, NULL, 0);
  f.sock.write_result = CN_ERR_CONNECTION_RESET;
  CHECK_EQ_INT(send_request(&f), CN_ERR_CONNECTION_RESET);
  teardown(&f);
}

/* expect_setup prepares a PUT of "abc" that announces 100-continue. */
static struct cn_upload_data_stream *expect_setup(struct fixture *f,
                                                  const struct mock_read *r,
                                                  size_t n, long timeout_ms) {
  setup(f, r, n);
  struct cn_upload_data_stream *up = cn_upload_bytes_new("abc", 3);
  f->req.method = "PUT";
  f->req.upload = up;
  f->req.expect_continue = true;
  f->req.expect_100_timeout_ms = timeout_ms;
  return up;
}

static const char *const kPutHead = "PUT / HTTP/1.1\r\nHost: example.com\r\n\r\n";

TEST(expect_100_releases_the_body) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 100 Continue\r\n\r\n", 0, 0, true},
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0, true},
  };
  struct fixture f;
  struct cn_upload_data_stream *up = expect_setup(&f, reads, 2, 60000);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  char want[128];
  snprintf(want, sizeof(want), "%sabc", kPutHead);
  CHECK_EQ_STR(f.sock.written.data, want);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 100);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 200);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK(f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
  cn_upload_data_stream_destroy(up);
}

TEST(expect_417_keeps_the_body_and_the_connection) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 2\r\n\r\nno", 0,
       0, true},
  };
  struct fixture f;
  struct cn_upload_data_stream *up = expect_setup(&f, reads, 1, 60000);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_STR(f.sock.written.data, kPutHead);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 417);
  int64_t sent = -1;
  f.stream->ops->bytes_sent(f.stream, &sent);
  CHECK_EQ_INT(sent, 0);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK_EQ_STR(out, "no");
  CHECK(f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
  cn_upload_data_stream_destroy(up);
}

TEST(expect_error_answer_stops_the_upload) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 404 Nope\r\nContent-Length: 0\r\n\r\n", 0, 0, true},
  };
  struct fixture f;
  struct cn_upload_data_stream *up = expect_setup(&f, reads, 1, 60000);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_STR(f.sock.written.data, kPutHead);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 404);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  /* The server did not read a body it was told about: close. */
  CHECK(!f.stream->ops->can_reuse_connection(f.stream));
  teardown(&f);
  cn_upload_data_stream_destroy(up);

  /* CURLOPT_KEEP_SENDING_ON_ERROR sends it anyway. */
  up = expect_setup(&f, reads, 1, 60000);
  f.req.keep_sending_on_error = true;
  CHECK_EQ_INT(send_request(&f), CN_OK);
  char want[128];
  snprintf(want, sizeof(want), "%sabc", kPutHead);
  CHECK_EQ_STR(f.sock.written.data, want);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 404);
  teardown(&f);
  cn_upload_data_stream_destroy(up);
}

TEST(expect_timeout_sends_the_body) {
  static const struct mock_read reads[] = {
      {NULL, 0, CN_ERR_IO_PENDING, false}, /* the server says nothing */
      {"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 0, 0, true},
  };
  struct fixture f;
  struct cn_upload_data_stream *up = expect_setup(&f, reads, 2, 20);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  char want[128];
  snprintf(want, sizeof(want), "%sabc", kPutHead);
  CHECK_EQ_STR(f.sock.written.data, want);
  CHECK_EQ_INT(head(&f), CN_OK);
  CHECK_EQ_INT(f.stream->ops->response_headers(f.stream)->status_code, 201);
  teardown(&f);
  cn_upload_data_stream_destroy(up);
}

TEST(chunked_trailers_are_kept) {
  static const struct mock_read reads[] = {
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
       "2\r\nhi\r\n0\r\nX-Sum: 42 \r\nX-Other:b\r\n\r\n",
       0, 0, true},
  };
  struct fixture f;
  setup(&f, reads, 1);
  CHECK_EQ_INT(send_request(&f), CN_OK);
  CHECK_EQ_INT(head(&f), CN_OK);
  char out[8];
  CHECK_EQ_INT(body(&f, out, sizeof(out)), 0);
  CHECK_EQ_STR(out, "hi");
  const struct cn_http_response_headers *t =
      f.stream->ops->response_trailers(f.stream);
  CHECK(t != NULL);
  CHECK_EQ_INT((int)cn_http_response_headers_num_raw_lines(t), 2);
  size_t len = 0;
  const char *line = cn_http_response_headers_raw_line(t, 0, &len);
  CHECK_EQ_INT((int)len, 12);
  CHECK(strncmp(line, "X-Sum: 42 \r\n", len) == 0);
  CHECK_EQ_STR(cn_http_response_headers_get(t, "X-Sum", 0), "42");
  teardown(&f);
}

TEST_MAIN(get_with_content_length, body_read_stops_at_content_length,
          chunked_body_split_everywhere, interim_100_then_final,
          eof_before_anything_is_empty_reply, short_body_is_partial,
          reset_while_reading, close_delimited_body_is_not_reusable,
          post_bytes_in_small_writes, chunked_upload_of_unknown_size,
          write_error_is_reported, expect_100_releases_the_body,
          expect_417_keeps_the_body_and_the_connection,
          expect_error_answer_stops_the_upload, expect_timeout_sends_the_body,
          chunked_trailers_are_kept)
