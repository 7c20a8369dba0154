/* response_parser.c: HTTP/1.x response head parser. The acceptance rules
 * follow libcurl's http.c (status line, header verification, size limits)
 * so that a server libcurl talks to works here and one it rejects is
 * rejected with the same outcome. */
#include "http/h1/response_parser.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/net_error.h"

enum state {
  STATE_STATUS_LINE, /* expecting the first line of a head */
  STATE_HEADERS,
  STATE_COMPLETE,
  STATE_FAILED,
};

/* What the bytes of a first line so far can be (libcurl's statusline). */
enum prefix {
  PREFIX_UNKNOWN, /* too short to tell */
  PREFIX_DONE,
  PREFIX_BAD,
};

static char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}
static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool starts_with_case(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  if (len < n)
    return false;
  for (size_t i = 0; i < n; i++) {
    if (lower(s[i]) != lower(prefix[i]))
      return false;
  }
  return true;
}

/* prefix_max compares at most |len| bytes of |s| with |prefix|. */
static bool prefix_max(const char *prefix, const char *s, size_t len) {
  size_t n = strlen(prefix);
  if (n > len)
    n = len;
  for (size_t i = 0; i < n; i++) {
    if (lower(prefix[i]) != lower(s[i]))
      return false;
  }
  return true;
}

static enum prefix check_prefix(const struct cn_h1_response_parser *p,
                                const char *s, size_t len) {
  enum prefix onmatch = len >= 5 ? PREFIX_DONE : PREFIX_UNKNOWN;
  for (size_t i = 0; i < p->opts.num_http200_aliases; i++) {
    if (prefix_max(p->opts.http200_aliases[i], s, len))
      return onmatch;
  }
  if (prefix_max("HTTP/", s, len))
    return onmatch;
  return PREFIX_BAD;
}

/* fail makes |err| sticky; |text| is libcurl's message or NULL. */
static int fail(struct cn_h1_response_parser *p, int err, const char *text) {
  p->state = STATE_FAILED;
  p->error = err;
  if (text)
    snprintf(p->error_text, sizeof(p->error_text), "%s", text);
  else
    p->error_text[0] = '\0';
  return err;
}

static int fail_not_http(struct cn_h1_response_parser *p) {
  /* Once a version was seen on this connection it cannot be HTTP/0.9. */
  if (p->version_seen || p->opts.reused_connection)
    return fail(p, CN_ERR_INVALID_HTTP_RESPONSE, "Invalid status line");
  if (!p->opts.allow_http09)
    return fail(p, CN_ERR_UNSUPPORTED_HTTP_VERSION,
                "Received HTTP/0.9 when not allowed");
  /* HTTP/0.9: no head at all; |line| keeps what was taken, as body. */
  cn_http_response_headers_free(p->head);
  p->head = cn_http_response_headers_new();
  if (!p->head ||
      cn_http_response_headers_set_status(p->head, 0, 9, 0, "", 0) != CN_OK)
    return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
  p->http09 = true;
  p->must_close = true;
  p->head->connection_close = true;
  p->state = STATE_COMPLETE;
  return CN_OK;
}

void cn_h1_response_parser_init(struct cn_h1_response_parser *p,
                                const struct cn_h1_response_parser_options
                                    *opts) {
  memset(p, 0, sizeof(*p));
  if (opts)
    p->opts = *opts;
  p->state = STATE_STATUS_LINE;
  /* buf's max is inclusive: a line must stay below the limit. */
  cn_buf_init(&p->line, CN_H1_MAX_HEADER_LINE - 1);
}

void cn_h1_response_parser_cleanup(struct cn_h1_response_parser *p) {
  cn_buf_cleanup(&p->line);
  cn_http_response_headers_free(p->head);
  p->head = NULL;
}

/* bump adds a complete line to the request's head budget. */
static int bump(struct cn_h1_response_parser *p, size_t len) {
  p->total_bytes += len;
  if (p->total_bytes > CN_H1_MAX_RESPONSE_HEADERS) {
    char text[80];
    snprintf(text, sizeof(text), "Too large response headers: %zu > %u",
             p->total_bytes, (unsigned)CN_H1_MAX_RESPONSE_HEADERS);
    return fail(p, CN_ERR_RESPONSE_HEADERS_TOO_BIG, text);
  }
  return CN_OK;
}

/* parse_status_line: libcurl's reading of the first line of a head. */
static int parse_status_line(struct cn_h1_response_parser *p, const char *s,
                             size_t len) {
#define AT(i) ((i) < len ? s[(i)] : '\0')
  size_t i = 0;
  bool fine = false;
  int major = 0, minor = 0, code = 0;
  size_t code_end = 0;

  while (is_blank(AT(i)))
    i++;
  if (len - i >= 5 && memcmp(s + i, "HTTP/", 5) == 0) {
    i += 5;
    switch (AT(i)) {
    case '1':
      i++;
      if (AT(i) == '.' && (AT(i + 1) == '0' || AT(i + 1) == '1') &&
          is_blank(AT(i + 2))) {
        major = 1;
        minor = AT(i + 1) - '0';
        i += 3;
        if (is_digit(AT(i)) && is_digit(AT(i + 1)) && is_digit(AT(i + 2))) {
          code = (AT(i) - '0') * 100 + (AT(i + 1) - '0') * 10 +
                 (AT(i + 2) - '0');
          i += 3;
          code_end = i;
          if (is_space(AT(i)))
            fine = true;
        }
      }
      if (!fine)
        return fail(p, CN_ERR_UNSUPPORTED_HTTP_VERSION,
                    "Unsupported HTTP/1 subversion in response");
      break;
    case '2':
    case '3':
      if (!is_blank(AT(i + 1)))
        break;
      major = AT(i) - '0';
      minor = 0;
      i += 2;
      if (is_digit(AT(i)) && is_digit(AT(i + 1)) && is_digit(AT(i + 2))) {
        code = (AT(i) - '0') * 100 + (AT(i + 1) - '0') * 10 +
               (AT(i + 2) - '0');
        i += 3;
        code_end = i;
        if (is_space(AT(i)))
          fine = true;
      }
      break;
    default:
      return fail(p, CN_ERR_UNSUPPORTED_HTTP_VERSION,
                  "Unsupported HTTP version in response");
    }
  }
  if (!fine) {
    /* libcurl's HTTP200ALIASES check, which also catches any other line
     * that starts with "HTTP/" in any case. */
    if (check_prefix(p, s, len) != PREFIX_DONE)
      return fail(p, CN_ERR_INVALID_HTTP_RESPONSE, NULL);
    major = 1;
    minor = 0;
    code = 200;
    code_end = 0;
  }
  /* libcurl talks HTTP/1.x on this connection: another major is a lie,
   * and HTTP/3 is not built in at all. */
  if (major == 2)
    return fail(p, CN_ERR_INVALID_HTTP_RESPONSE,
                "Version mismatch (from HTTP/1 to HTTP/2)");
  if (major == 3)
    return fail(p, CN_ERR_UNSUPPORTED_HTTP_VERSION,
                "Unsupported HTTP version (3.0) in response");

  const char *reason = "";
  size_t reason_len = 0;
  if (code_end) {
    size_t r = code_end;
    while (r < len && is_blank(s[r]))
      r++;
    size_t end = len;
    while (end > r && is_space(s[end - 1]))
      end--;
    reason = s + r;
    reason_len = end - r;
  }
  if (memchr(s, '\0', len))
    return fail(p, CN_ERR_INVALID_HTTP_RESPONSE, "Nul byte in header");
  if (cn_http_response_headers_set_status(p->head, major, minor, code, reason,
                                          reason_len) != CN_OK)
    return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
  p->version_seen = true;
  if (major == 1 && minor == 0)
    p->must_close = true; /* HTTP/1.0: close unless told otherwise */
  p->bodyless = (code >= 100 && code < 200) || code == 204 || code == 304;
  return CN_OK;
#undef AT
}

/* contains_case: libcurl's Curl_compareheader test, |needle| anywhere in
 * the value, any case. */
static bool contains_case(const char *hay, size_t hay_len,
                          const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= hay_len; i++) {
    if (starts_with_case(hay + i, hay_len - i, needle))
      return true;
  }
  return false;
}

static bool name_is(const char *name, size_t len, const char *want) {
  return len == strlen(want) && starts_with_case(name, len, want);
}

/* track_header applies one header line to the sticky close mark and checks
 * Content-Length, the way libcurl's http_header() does, line by line. */
static int track_header(struct cn_h1_response_parser *p, const char *name,
                        size_t name_len, const char *value,
                        size_t value_len) {
  const struct cn_http_response_headers *h = p->head;
  bool http10 = h->version_major == 1 && h->version_minor == 0;
  bool http11 = h->version_major == 1 && h->version_minor == 1;
  if (name_is(name, name_len, "Content-Length")) {
    if (p->bodyless || p->opts.ignore_content_length)
      return CN_OK;
    int64_t ignored;
    switch (cn_http_content_length_parse(value, value_len, &ignored)) {
    case CN_HTTP_CONTENT_LENGTH_INVALID:
      return fail(p, CN_ERR_INVALID_HTTP_RESPONSE,
                  "Invalid Content-Length: value");
    case CN_HTTP_CONTENT_LENGTH_OVERFLOW:
      p->must_close = true;
      break;
    default:
      break;
    }
  } else if (name_is(name, name_len, "Connection")) {
    if (contains_case(value, value_len, "close"))
      p->must_close = true;
    else if (http10 && contains_case(value, value_len, "keep-alive"))
      p->must_close = false;
  } else if (p->opts.via_http_proxy &&
             name_is(name, name_len, "Proxy-Connection")) {
    if (http10 && contains_case(value, value_len, "keep-alive"))
      p->must_close = false;
    else if (http11 && contains_case(value, value_len, "close"))
      p->must_close = true;
  }
  return CN_OK;
}

static int parse_header_line(struct cn_h1_response_parser *p, const char *s,
                             size_t len) {
  if (memchr(s, '\0', len))
    return fail(p, CN_ERR_INVALID_HTTP_RESPONSE, "Nul byte in header");
  bool starts_blank = is_blank(s[0]);
  /* Line folding, never on the first field line. */
  if (starts_blank && p->head_lines > 1) {
    size_t text_len = len;
    if (cn_http_response_headers_unfold(p->head, s, text_len) != CN_OK)
      return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
    return CN_OK;
  }
  const char *colon = memchr(s, ':', len);
  if (!colon)
    return fail(p, CN_ERR_INVALID_HTTP_RESPONSE, "Header without colon");
  const char *name = s;
  while (name < colon && is_blank(*name))
    name++;
  size_t name_len = (size_t)(colon - name);
  if (p->opts.reject_space_before_colon && name_len &&
      is_blank(name[name_len - 1]))
    return fail(p, CN_ERR_INVALID_HTTP_RESPONSE,
                "Header with whitespace before colon");
  const char *value = colon + 1;
  const char *end = s + len;
  while (value < end && is_blank(*value))
    value++;
  while (end > value && is_space(end[-1]))
    end--;
  size_t value_len = (size_t)(end - value);
  /* libcurl recognises its special headers only at the start of a line. */
  if (!starts_blank) {
    int rv = track_header(p, name, name_len, value, value_len);
    if (rv != CN_OK)
      return rv;
  }
  if (p->total_fields >= CN_H1_MAX_RESPONSE_FIELDS) {
    char text[64];
    snprintf(text, sizeof(text), "Too many response headers, %d is max",
             CN_H1_MAX_RESPONSE_FIELDS);
    return fail(p, CN_ERR_INPUT_TOO_LARGE, text);
  }
  if (cn_http_response_headers_add(p->head, name, name_len, value,
                                   value_len) != CN_OK)
    return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
  p->total_fields++;
  return CN_OK;
}

/* process_line handles one complete line (LF included). */
static int process_line(struct cn_h1_response_parser *p, const char *s,
                        size_t len) {
  int rv;
  if (p->state == STATE_STATUS_LINE) {
    if (check_prefix(p, s, len) == PREFIX_BAD)
      return fail_not_http(p);
    if (!p->head) {
      p->head = cn_http_response_headers_new();
      if (!p->head)
        return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
    }
    rv = parse_status_line(p, s, len);
    if (rv != CN_OK)
      return rv;
    p->state = STATE_HEADERS;
  } else if (s[0] == '\r' || s[0] == '\n') {
    if (p->head->status_code < 100)
      return fail(p, CN_ERR_UNSUPPORTED_HTTP_VERSION,
                  "Unsupported response code in HTTP response");
    if (cn_http_response_headers_add_raw_line(p->head, s, len) != CN_OK)
      return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
    p->head_lines++;
    rv = bump(p, len);
    if (rv != CN_OK)
      return rv;
    p->head->connection_close = p->must_close;
    p->state = STATE_COMPLETE;
    return CN_OK;
  } else {
    rv = parse_header_line(p, s, len);
    if (rv != CN_OK)
      return rv;
  }
  if (cn_http_response_headers_add_raw_line(p->head, s, len) != CN_OK)
    return fail(p, CN_ERR_OUT_OF_MEMORY, NULL);
  p->head_lines++;
  return bump(p, len);
}

int cn_h1_response_parser_feed(struct cn_h1_response_parser *p,
                               size_t *out_consumed, bool *out_head_complete,
                               const uint8_t *data, size_t len) {
  if (p->state == STATE_FAILED)
    return p->error;
  size_t used = 0;
  if (len)
    p->received_any = true;
  while (used < len && p->state != STATE_COMPLETE) {
    const char *start = (const char *)data + used;
    const char *nl = memchr(start, '\n', len - used);
    size_t n = nl ? (size_t)(nl - start) + 1 : len - used;
    int rv = cn_buf_append(&p->line, start, n);
    if (rv == CN_ERR_FILE_TOO_BIG)
      return fail(p, CN_ERR_RESPONSE_HEADER_LINE_TOO_BIG, NULL);
    if (rv != CN_OK)
      return fail(p, rv, NULL);
    used += n;
    if (!nl) {
      /* Give up on a non-HTTP reply as early as libcurl does. */
      if (p->state == STATE_STATUS_LINE &&
          check_prefix(p, p->line.data, p->line.len) == PREFIX_BAD) {
        rv = fail_not_http(p);
        if (rv != CN_OK)
          return rv;
      }
      break;
    }
    rv = process_line(p, p->line.data, p->line.len);
    if (!p->http09)
      cn_buf_reset(&p->line);
    if (rv != CN_OK)
      return rv;
  }
  *out_consumed = used;
  *out_head_complete = p->state == STATE_COMPLETE;
  return CN_OK;
}

int cn_h1_response_parser_finish(struct cn_h1_response_parser *p,
                                 bool *out_head_complete) {
  if (p->state == STATE_FAILED)
    return p->error;
  if (p->state == STATE_HEADERS && p->head->status_code >= 200) {
    cn_buf_reset(&p->line);
    p->head->connection_close = p->must_close;
    p->state = STATE_COMPLETE;
  }
  if (p->state == STATE_COMPLETE) {
    *out_head_complete = true;
    return CN_OK;
  }
  return fail(p, CN_ERR_EMPTY_RESPONSE, "Empty reply from server");
}

const struct cn_http_response_headers *cn_h1_response_parser_headers(
    const struct cn_h1_response_parser *p) {
  return p->head;
}

struct cn_http_response_headers *cn_h1_response_parser_take_headers(
    struct cn_h1_response_parser *p) {
  if (p->state != STATE_COMPLETE)
    return NULL;
  struct cn_http_response_headers *h = p->head;
  p->head = NULL;
  return h;
}

struct cn_http_response_headers *cn_h1_response_parser_take_partial_headers(
    struct cn_h1_response_parser *p) {
  if (p->state != STATE_FAILED || !p->head || !p->head->num_raw_lines)
    return NULL;
  struct cn_http_response_headers *h = p->head;
  p->head = NULL;
  h->cut_short = true;
  return h;
}

void cn_h1_response_parser_next_head(struct cn_h1_response_parser *p) {
  if (p->state != STATE_COMPLETE)
    return;
  cn_http_response_headers_free(p->head);
  p->head = NULL;
  cn_buf_reset(&p->line);
  p->head_lines = 0;
  p->bodyless = false;
  p->state = STATE_STATUS_LINE;
}

bool cn_h1_response_parser_http09_body(const struct cn_h1_response_parser *p,
                                       const uint8_t **out_data,
                                       size_t *out_len) {
  if (!p->http09)
    return false;
  *out_data = (const uint8_t *)p->line.data;
  *out_len = p->line.len;
  return true;
}

bool cn_h1_response_parser_must_close(const struct cn_h1_response_parser *p) {
  return p->must_close;
}

bool cn_h1_response_parser_received_any(
    const struct cn_h1_response_parser *p) {
  return p->received_any;
}

size_t cn_h1_response_parser_total_header_bytes(
    const struct cn_h1_response_parser *p) {
  return p->total_bytes;
}

const char *cn_h1_response_parser_error_text(
    const struct cn_h1_response_parser *p) {
  if (p->state != STATE_FAILED || !p->error_text[0])
    return NULL;
  return p->error_text;
}
