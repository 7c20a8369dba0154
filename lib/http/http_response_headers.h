/* http_response_headers.h: one parsed response head (Chromium's
 * HttpResponseHeaders): version, status, reason, the raw lines exactly as
 * received, and the header fields as a name/value list.
 *
 * The raw lines are what libcurl hands to CURLOPT_HEADERFUNCTION, one call
 * per line with its CRLF (or bare LF): the status line, every header line
 * (each continuation line separately), and the blank line that ends the head
 * once it has arrived. The field list is what curl_easy_header() sees:
 * obsolete line folding is undone (a continuation line's value is appended
 * to the previous field, keeping one leading blank, as libcurl's headers API
 * does).
 *
 * The HTTP/1 parser (http/h1/response_parser.h) fills these; HTTP/2 builds
 * them with the same add functions.
 *
 * Heap object: cn_http_response_headers_new()/_free() (free is NULL-safe).
 * Functions returning int give CN_OK or CN_ERR_OUT_OF_MEMORY and leave the
 * object unchanged on failure. */
#ifndef CN_HTTP_HTTP_RESPONSE_HEADERS_H
#define CN_HTTP_HTTP_RESPONSE_HEADERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/text_arena.h"

/* One header field. |name| and |value| are NUL-terminated and owned by the
 * headers object (in its text arena: a few allocations per head, not one
 * per field). |line_value_len| is the length
 * of the value as it stood on its own line, before continuation lines were
 * appended: libcurl's own header handling (Content-Length, Connection,
 * Location ...) looks at that single line only, and so do the helpers
 * below. */
struct cn_http_header_field {
  char *name;
  size_t name_len;
  char *value;
  size_t value_len;
  size_t line_value_len;
};

struct cn_http_response_headers {
  /* 1.0, 1.1, 2.0 (written "HTTP/2"), 3.0 ("HTTP/3"); 0.0 until set. */
  int version_major;
  int version_minor;
  int status_code;
  char *reason; /* in |text|, or a static "" when none */
  /* Set by the HTTP/1 parser: the connection must be closed after this
   * response. It includes what earlier heads of the same request said (a
   * "Connection: close" in a 100 Continue sticks, as in libcurl). */
  bool connection_close;
  /* The head ended in an error after these lines (libcurl had passed each
   * of them on already); no body follows. */
  bool cut_short;

  struct cn_buf raw;    /* every raw line, concatenated */
  size_t *raw_line_end; /* raw.data offsets one past each line */
  size_t num_raw_lines;
  size_t raw_line_cap;

  struct cn_http_header_field *fields;
  size_t num_fields;
  size_t fields_cap;

  struct cn_text_arena text; /* reason and field strings */
};

struct cn_http_response_headers *cn_http_response_headers_new(void);
void cn_http_response_headers_free(struct cn_http_response_headers *h);

/* cn_http_response_headers_set_status records the status line's parts.
 * |reason| (|reason_len| bytes, may contain no NUL) is copied. */
int cn_http_response_headers_set_status(struct cn_http_response_headers *h,
                                        int version_major, int version_minor,
                                        int status_code, const char *reason,
                                        size_t reason_len);
/* cn_http_response_headers_add_raw_line appends one raw line, CRLF
 * included, exactly as received. */
int cn_http_response_headers_add_raw_line(struct cn_http_response_headers *h,
                                          const char *line, size_t len);
/* cn_http_response_headers_add appends a field; both strings are copied as
 * given (callers trim). */
int cn_http_response_headers_add(struct cn_http_response_headers *h,
                                 const char *name, size_t name_len,
                                 const char *value, size_t value_len);
/* cn_http_response_headers_unfold appends a continuation line's text
 * (without its line ending) to the last field the way libcurl does:
 * trailing whitespace dropped, leading blanks reduced to one.
 * CN_ERR_INVALID_ARGUMENT when there is no field yet. */
int cn_http_response_headers_unfold(struct cn_http_response_headers *h,
                                    const char *text, size_t len);

/* Accessors. */
int cn_http_response_headers_status(const struct cn_http_response_headers *h);
const char *cn_http_response_headers_reason(
    const struct cn_http_response_headers *h);

size_t cn_http_response_headers_num_raw_lines(
    const struct cn_http_response_headers *h);
/* cn_http_response_headers_raw_line returns line |i| (not NUL-terminated at
 * |*out_len|; it ends with its LF) or NULL when out of range. */
const char *cn_http_response_headers_raw_line(
    const struct cn_http_response_headers *h, size_t i, size_t *out_len);
/* cn_http_response_headers_raw returns all raw lines concatenated (the head
 * as received, minus nothing) and its length. */
const char *cn_http_response_headers_raw(
    const struct cn_http_response_headers *h, size_t *out_len);

size_t cn_http_response_headers_num_fields(
    const struct cn_http_response_headers *h);
const struct cn_http_header_field *cn_http_response_headers_field(
    const struct cn_http_response_headers *h, size_t i);
/* cn_http_response_headers_count returns how many fields are called
 * |name| (case-insensitive). */
size_t cn_http_response_headers_count(const struct cn_http_response_headers *h,
                                      const char *name);
/* cn_http_response_headers_get returns the value of the |nth| (0-based)
 * field called |name|, or NULL. */
const char *cn_http_response_headers_get(
    const struct cn_http_response_headers *h, const char *name, size_t nth);
/* cn_http_response_headers_next iterates the fields called |name|: start
 * with *iter = 0; each call returns the next match and advances *iter, or
 * NULL at the end. */
const struct cn_http_header_field *cn_http_response_headers_next(
    const struct cn_http_response_headers *h, const char *name, size_t *iter);

/* Content-Length as libcurl 8.14 reads it: each Content-Length line's value
 * is a decimal number after optional blanks, and whatever follows the digits
 * is ignored ("12abc" is 12); a later valid line replaces an earlier one (no
 * error for differing duplicates: libcurl only started rejecting those after
 * 8.14). A value that does not start with a digit ("", "-1", "+5", "x") makes
 * the response invalid: libcurl fails with CURLE_WEIRD_SERVER_REPLY "Invalid
 * Content-Length: value". A number above INT64_MAX is ignored (libcurl:
 * "Overflow Content-Length", the connection is closed and the body runs
 * until close, or CURLE_FILESIZE_EXCEEDED when a maximum file size is
 * set). */
enum cn_http_content_length {
  CN_HTTP_CONTENT_LENGTH_ABSENT,
  CN_HTTP_CONTENT_LENGTH_VALID,    /* *out_len set */
  CN_HTTP_CONTENT_LENGTH_INVALID,  /* the response is malformed */
  CN_HTTP_CONTENT_LENGTH_OVERFLOW, /* only too-large values; ignored */
};
enum cn_http_content_length cn_http_response_headers_content_length(
    const struct cn_http_response_headers *h, int64_t *out_len);
/* cn_http_content_length_parse classifies one Content-Length value the same
 * way (VALID, INVALID or OVERFLOW). */
enum cn_http_content_length cn_http_content_length_parse(const char *value,
                                                         size_t len,
                                                         int64_t *out_len);

/* cn_http_response_headers_is_chunked: some Transfer-Encoding field lists
 * the coding "chunked" (comma-separated, blanks trimmed, any case). Whether
 * the coding applies (HEAD, 1xx, 204, 304) is the body reader's business. */
bool cn_http_response_headers_is_chunked(
    const struct cn_http_response_headers *h);
/* cn_http_response_headers_has_transfer_encoding: any Transfer-Encoding
 * field with a non-blank value (other than only "identity"). */
bool cn_http_response_headers_has_transfer_encoding(
    const struct cn_http_response_headers *h);

/* cn_http_response_headers_keep_alive: whether this head alone lets the
 * connection stay open after the response, by libcurl's rules: HTTP/1.0
 * defaults to close, 1.1 and later to keep-alive; a Connection line whose
 * value contains "close" (libcurl matches the text anywhere in the value,
 * any case) closes; on HTTP/1.0 one containing "keep-alive" keeps it open.
 * With |via_http_proxy| (plain HTTP through a proxy, no tunnel)
 * Proxy-Connection counts too: "keep-alive" on 1.0, "close" on 1.1. Lines
 * apply in order, so the last one that says something wins. This says
 * nothing of framing: a body that runs until close also ends the
 * connection. */
bool cn_http_response_headers_keep_alive(
    const struct cn_http_response_headers *h, bool via_http_proxy);

/* cn_http_response_headers_location: the first Location field with a
 * non-empty value (libcurl keeps the first), or NULL. Trimmed, and only the
 * text on the field's own line (*out_len bytes; a folded continuation is not
 * part of it, as in libcurl). Whether to follow it (3xx only) is the
 * caller's decision. */
const char *cn_http_response_headers_location(
    const struct cn_http_response_headers *h, size_t *out_len);
/* cn_http_response_headers_content_type: the last Content-Type field with a
 * non-empty value (libcurl keeps the last, for CURLINFO_CONTENT_TYPE), or
 * NULL; same conventions as the location. */
const char *cn_http_response_headers_content_type(
    const struct cn_http_response_headers *h, size_t *out_len);

/* ASCII case-insensitive comparison of a field name. */
bool cn_http_header_name_equals(const struct cn_http_header_field *f,
                                const char *name);

#endif
