/* response_parser.h: incremental HTTP/1.x response head parser (status line
 * and header fields), with libcurl 8.14's acceptance rules and limits.
 *
 * No I/O: feed it bytes in any slicing; it says how many it consumed and
 * when a head is complete. Everything after a complete head is not consumed
 * (it is body, or the next head after a 1xx). A 1xx head (100 Continue, 103
 * Early Hints, 101) is a complete head like any other: the caller handles it,
 * calls cn_h1_response_parser_next_head() and feeds the rest. Byte-by-byte
 * feeding and feeding everything at once give the same result.
 *
 * What libcurl does and this parser does too:
 *  - lines end at LF; CRLF and bare LF both work; a line starting with CR or
 *    LF ends the head (the whole line up to its LF is consumed).
 *  - the status line must start with "HTTP/" (or an HTTP200ALIASES prefix).
 *    As soon as the first bytes cannot be that, it fails, unless HTTP/0.9
 *    is allowed and this is the first head on a fresh connection: then the
 *    response is HTTP/0.9, a complete head without lines (status 0,
 *    version 0.9, connection to be closed) and every byte is body, the
 *    ones the parser already took included (cn_h1_response_parser_http09_
 *    body).
 *  - "HTTP/1.0" and "HTTP/1.1", a blank, exactly three digits, then
 *    whitespace; "HTTP/2 200" and "HTTP/3 200" forms are recognised. Any
 *    other line that starts with "HTTP/" in any case and is not a valid
 *    HTTP/2 or HTTP/3 line ("http/1.1 404", "HTTP/3.0 200 OK") is taken as
 *    HTTP/1.0 200, libcurl's HTTP200ALIASES fallback.
 *  - obsolete line folding: a line starting with SP/HTAB continues the
 *    previous field (not allowed right after the status line, where it needs
 *    a colon and is then a field with its leading blanks dropped).
 *  - each raw line is kept, for CURLOPT_HEADERFUNCTION.
 *  - "Connection: close" (anywhere in the value), HTTP/1.0 without
 *    "Connection: keep-alive", and an overflowing Content-Length mark the
 *    connection for closing; the mark sticks across the heads of one
 *    request.
 *
 * Errors (sticky: every later call returns the same one), with the CURLcode
 * libcurl gives and the text cn_h1_response_parser_error_text() returns:
 *  CN_ERR_UNSUPPORTED_HTTP_VERSION  -> CURLE_UNSUPPORTED_PROTOCOL (1)
 *     "Received HTTP/0.9 when not allowed"   not HTTP at all, first head of
 *                                            a fresh connection
 *     "Unsupported HTTP/1 subversion in response"  HTTP/1.x line other than
 *                                            1.0/1.1 + blank + 3 digits +
 *                                            whitespace
 *     "Unsupported HTTP version in response" "HTTP/" + a major other than
 *                                            1, 2, 3
 *     "Unsupported HTTP version (3.0) in response"  "HTTP/3 xxx" over h1
 *                                            (no HTTP/3 in this build)
 *     "Unsupported response code in HTTP response"  status < 100
 *  CN_ERR_INVALID_HTTP_RESPONSE     -> CURLE_WEIRD_SERVER_REPLY (8)
 *     "Invalid status line"       not HTTP, on a reused connection or after
 *                                 a 1xx head (no HTTP/0.9 possible there)
 *     "Version mismatch (from HTTP/1 to HTTP/2)"  "HTTP/2 xxx" over h1
 *     "Nul byte in header"
 *     "Header without colon"
 *     "Invalid Content-Length: value"  (not for 1xx/204/304 heads)
 *     "Header with whitespace before colon"  only with the strict option
 *     NULL                        a status line libcurl rejects silently
 *  CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG -> CURLE_TOO_LARGE (100)
 *     NULL (libcurl sets no text)  a line of CN_H1_MAX_HEADER_LINE bytes or
 *                                  more, line ending included
 *  CN_ERR_INPUT_TOO_LARGE           -> CURLE_TOO_LARGE (100)
 *     "Too many response headers, 5000 is max"  more header fields in the
 *                                  heads of the request than that
 *  CN_ERR_RESPONSE_HEADERS_TOO_BIG  -> CURLE_RECV_ERROR (56)
 *     "Too large response headers: N > 307200"  all heads of the request
 *                                  (1xx included) above
 *                                  CN_H1_MAX_RESPONSE_HEADERS bytes
 *  CN_ERR_EMPTY_RESPONSE (from finish) -> CURLE_GOT_NOTHING (52)
 *     "Empty reply from server"
 *  CN_ERR_OUT_OF_MEMORY
 */
#ifndef CN_HTTP_H1_RESPONSE_PARSER_H
#define CN_HTTP_H1_RESPONSE_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http_response_headers.h"
#include "util/buf.h"

/* libcurl's CURL_MAX_HTTP_HEADER: a single line must be shorter. */
#define CN_H1_MAX_HEADER_LINE (100 * 1024)
/* libcurl's MAX_HTTP_RESP_HEADER_SIZE: all heads of one request. */
#define CN_H1_MAX_RESPONSE_HEADERS (300 * 1024)
/* libcurl's MAX_HTTP_RESP_HEADER_COUNT: header fields of one request. */
#define CN_H1_MAX_RESPONSE_FIELDS 5000

struct cn_h1_response_parser_options {
  /* The connection carried an earlier request: garbage instead of a status
   * line is "Invalid status line", not HTTP/0.9. */
  bool reused_connection;
  /* CURLOPT_HTTP09_ALLOWED: a reply that is not HTTP at all is an HTTP/0.9
   * body instead of an error. */
  bool allow_http09;
  /* Plain HTTP through a proxy: Proxy-Connection counts for closing. */
  bool via_http_proxy;
  /* CURLOPT_IGNORE_CONTENT_LENGTH: do not validate Content-Length. */
  bool ignore_content_length;
  /* Not libcurl: reject "Name : value" (RFC 9112 5.1). Off by default;
   * libcurl accepts it and keeps the name with its trailing blank. */
  bool reject_space_before_colon;
  /* CURLOPT_HTTP200ALIASES: status-line prefixes taken as HTTP/1.0 200,
   * compared case-insensitively. Borrowed; must outlive the parser. */
  const char *const *http200_aliases;
  size_t num_http200_aliases;
};

/* All fields are private. */
struct cn_h1_response_parser {
  struct cn_h1_response_parser_options opts;
  int state;
  struct cn_buf line;                     /* the line being received */
  struct cn_http_response_headers *head;  /* owned until taken */
  size_t head_lines;  /* complete lines of the current head */
  size_t total_bytes; /* bytes of all heads of this request */
  size_t total_fields; /* header fields of all heads of this request */
  bool version_seen;  /* a status line was parsed for this request */
  bool must_close;
  bool bodyless;      /* current head is 1xx, 204 or 304 */
  bool received_any;
  bool http09;        /* the response is HTTP/0.9; |line| holds body bytes */
  int error;
  char error_text[80];
};

/* cn_h1_response_parser_init prepares |p|; |opts| may be NULL (all off) and
 * is copied. Allocates nothing. */
void cn_h1_response_parser_init(struct cn_h1_response_parser *p,
                                const struct cn_h1_response_parser_options
                                    *opts);
void cn_h1_response_parser_cleanup(struct cn_h1_response_parser *p);

/* cn_h1_response_parser_feed parses up to |len| bytes. On CN_OK,
 * *out_consumed bytes were used and *out_head_complete says whether a head
 * is complete (then the unconsumed rest is not the parser's). Once complete,
 * further feeds consume nothing until cn_h1_response_parser_next_head().
 * On error nothing is written to the outputs. */
int cn_h1_response_parser_feed(struct cn_h1_response_parser *p,
                               size_t *out_consumed, bool *out_head_complete,
                               const uint8_t *data, size_t len);

/* cn_h1_response_parser_finish tells the parser the connection ended (EOF).
 * A final response whose status line arrived counts as complete (libcurl
 * accepts a head cut short and drops the partial line): CN_OK with
 * *out_head_complete true. Nothing, part of a status line, or a cut 1xx head
 * is CN_ERR_EMPTY_RESPONSE. */
int cn_h1_response_parser_finish(struct cn_h1_response_parser *p,
                                 bool *out_head_complete);

/* cn_h1_response_parser_headers returns the head being parsed (complete or
 * not; NULL before its first line), still owned by the parser. */
const struct cn_http_response_headers *cn_h1_response_parser_headers(
    const struct cn_h1_response_parser *p);
/* cn_h1_response_parser_take_headers hands a complete head to the caller
 * (free with cn_http_response_headers_free); NULL if no head is complete. */
struct cn_http_response_headers *cn_h1_response_parser_take_headers(
    struct cn_h1_response_parser *p);
/* cn_h1_response_parser_take_partial_headers: after an error, the head
 * that was cut short by it, when at least one of its lines had arrived
 * (raw lines and fields up to the one that failed; cut_short set), for the
 * caller to pass on what libcurl would already have passed on. NULL
 * otherwise. Free with cn_http_response_headers_free. */
struct cn_http_response_headers *cn_h1_response_parser_take_partial_headers(
    struct cn_h1_response_parser *p);
/* cn_h1_response_parser_next_head starts the next head of the same request
 * after a complete 1xx head (the head is freed unless taken). The header
 * size budget, the close mark and "a version was seen" carry over. */
void cn_h1_response_parser_next_head(struct cn_h1_response_parser *p);

/* cn_h1_response_parser_http09_body: for an HTTP/0.9 response, the bytes
 * the parser consumed before it knew (the start of the body, which the
 * unconsumed input continues); false otherwise. Storage inside |p|. */
bool cn_h1_response_parser_http09_body(const struct cn_h1_response_parser *p,
                                       const uint8_t **out_data,
                                       size_t *out_len);

/* cn_h1_response_parser_must_close: some head so far asked to close the
 * connection. Also copied into each completed head's connection_close. */
bool cn_h1_response_parser_must_close(const struct cn_h1_response_parser *p);
/* cn_h1_response_parser_received_any: any byte was fed. Note that libcurl's
 * "Connection died, retrying a fresh connect" on a reused connection looks
 * at complete lines instead: it retries while
 * cn_h1_response_parser_total_header_bytes() is 0 (a partial status line
 * does not count). */
bool cn_h1_response_parser_received_any(const struct cn_h1_response_parser *p);
/* cn_h1_response_parser_total_header_bytes: bytes of the complete head
 * lines of this request so far, 1xx heads included (libcurl's header byte
 * count, CURLINFO_HEADER_SIZE's contribution of this request). */
size_t cn_h1_response_parser_total_header_bytes(
    const struct cn_h1_response_parser *p);
/* cn_h1_response_parser_error_text: libcurl's message for the last error
 * (see the table above), or NULL when libcurl has none and the generic
 * curl_easy_strerror() text applies. Static storage inside |p|. */
const char *cn_h1_response_parser_error_text(
    const struct cn_h1_response_parser *p);

#endif
