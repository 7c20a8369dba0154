/* http_request_headers.h: the ordered list of request header fields a request
 * is sent with (Chromium's HttpRequestHeaders, in send order).
 *
 * Each entry is one header line without its CRLF, kept exactly as it will be
 * sent: entries made with cn_http_request_headers_set() read "Name: value";
 * entries taken from CURLOPT_HTTPHEADER keep the application's bytes
 * ("Name:value", "Name:  value" ...), because libcurl sends those verbatim.
 * Names keep the caller's casing; every lookup by name is case-insensitive.
 *
 * The same list serves libcurl's default order and, later, a browser
 * profile's order (impersonation): the transaction builds the defaults, then
 * applies the application's CURLOPT_HTTPHEADER lines with
 * cn_http_request_headers_apply_user_lines().
 *
 * Embedded object: cn_http_request_headers_init()/_cleanup(). Every function
 * that can fail returns CN_OK, CN_ERR_OUT_OF_MEMORY or CN_ERR_INVALID_ARGUMENT
 * and leaves the list unchanged on failure. */
#ifndef CN_HTTP_HTTP_REQUEST_HEADERS_H
#define CN_HTTP_HTTP_REQUEST_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* One header line. |line| is owned by the list and NUL-terminated; the name
 * is line[0, name_len) (no colon), the value line[value_off,
 * value_off + value_len) with surrounding whitespace excluded. */
struct cn_http_request_header {
  char *line;
  size_t line_len;
  size_t name_len;
  size_t value_off;
  size_t value_len;
  bool from_user; /* came from a CURLOPT_HTTPHEADER line */
};

struct cn_http_request_headers {
  struct cn_http_request_header *entries; /* owned array, |num| used */
  size_t num;
  size_t cap;
};

void cn_http_request_headers_init(struct cn_http_request_headers *h);
void cn_http_request_headers_cleanup(struct cn_http_request_headers *h);
/* cn_http_request_headers_clear removes every entry (keeps the array). */
void cn_http_request_headers_clear(struct cn_http_request_headers *h);
/* cn_http_request_headers_copy replaces |dst|'s entries by copies of |src|'s.
 * On failure |dst| is unchanged. */
int cn_http_request_headers_copy(struct cn_http_request_headers *dst,
                                 const struct cn_http_request_headers *src);

/* cn_http_request_headers_add appends "name: value" even if |name| is
 * already present. |name| must be non-empty and free of ':', CR, LF, space
 * and tab (CN_ERR_INVALID_ARGUMENT otherwise); |value| is sent as given. */
int cn_http_request_headers_add(struct cn_http_request_headers *h,
                                const char *name, const char *value);
/* cn_http_request_headers_set replaces the first entry called |name| in its
 * position and removes any later ones; appends when there is none. */
int cn_http_request_headers_set(struct cn_http_request_headers *h,
                                const char *name, const char *value);
/* cn_http_request_headers_set_if_missing appends only when no entry is
 * called |name|. */
int cn_http_request_headers_set_if_missing(struct cn_http_request_headers *h,
                                           const char *name,
                                           const char *value);
/* cn_http_request_headers_add_line appends a preformatted line
 * ("Name: value", no CRLF) that must contain a colon after a non-empty name;
 * it is sent verbatim. */
int cn_http_request_headers_add_line(struct cn_http_request_headers *h,
                                     const char *line, size_t len);
/* cn_http_request_headers_remove removes every entry called |name|;
 * returns the number removed. */
size_t cn_http_request_headers_remove(struct cn_http_request_headers *h,
                                      const char *name);

size_t cn_http_request_headers_count(const struct cn_http_request_headers *h);
/* cn_http_request_headers_at returns entry |i| (NULL when out of range);
 * valid until the list is next modified. */
const struct cn_http_request_header *cn_http_request_headers_at(
    const struct cn_http_request_headers *h, size_t i);
/* cn_http_request_headers_find returns the first entry called |name| or
 * NULL. */
const struct cn_http_request_header *cn_http_request_headers_find(
    const struct cn_http_request_headers *h, const char *name);
bool cn_http_request_headers_has(const struct cn_http_request_headers *h,
                                 const char *name);

/* cn_http_request_headers_reorder moves the entries named in |order| (a
 * ','-separated list of names, blanks around names ignored, matched without
 * regard to case; CURLOPT_HTTPHEADER_ORDER) to the front, in that order,
 * several of one name keeping theirs; the others follow in their own
 * order. CN_OK or CN_ERR_OUT_OF_MEMORY (list unchanged). */
int cn_http_request_headers_reorder(struct cn_http_request_headers *h,
                                    const char *order);

/* Views into an entry; pointers are valid while the entry is. The value is
 * not NUL-terminated at value_len when the line has trailing blanks. */
const char *cn_http_request_header_name(const struct cn_http_request_header *e,
                                        size_t *out_len);
const char *cn_http_request_header_value(
    const struct cn_http_request_header *e, size_t *out_len);

/* cn_http_request_headers_serialize appends every entry as "line\r\n" in list
 * order (no final blank line). On failure |out| is unchanged; errors are
 * those of cn_buf_append (CN_ERR_FILE_TOO_BIG past the buffer's max). */
int cn_http_request_headers_serialize(const struct cn_http_request_headers *h,
                                      struct cn_buf *out);

/* How CURLOPT_HTTPHEADER lines combine with the defaults already in the
 * list. */
enum cn_http_user_header_mode {
  /* libcurl: a default the application names is dropped, and the
   * application's lines go after all defaults, in the application's order
   * (curl -H "User-Agent: x" sends User-Agent last). */
  CN_HTTP_USER_HEADERS_APPEND,
  /* Impersonation: a line takes the place of the default of the same name,
   * so a browser profile's order survives; names with no default are
   * appended. A repeated name goes right after its previous occurrence. */
  CN_HTTP_USER_HEADERS_IN_PLACE,
};

/* Optional filter: return true to keep a user line that would be sent out of
 * the request (libcurl drops e.g. a custom Host: when it generated one,
 * Content-Type: for multipart posts, Authorization:/Cookie: to other hosts).
 * It sees the line's name; the line still suppresses the default. */
typedef bool (*cn_http_header_skip_fn)(void *ctx, const char *name,
                                       size_t name_len);

/* cn_http_request_headers_apply_user_lines applies the application's header
 * lines (CURLOPT_HTTPHEADER) the way libcurl interprets them:
 *   "Name: value"  sent verbatim; any default called Name is not sent
 *   "Name:"        (only whitespace after the colon) nothing sent and the
 *                  default called Name is removed
 *   "Name;"        sent as "Name:" (an empty header); default removed
 *   "Name; x"      anything after the semicolon: nothing sent, but the
 *                  default is still suppressed (libcurl's header check
 *                  matches "Name;" too)
 *   no ':' or ';', or an empty name: ignored.
 * |lines| are NUL-terminated; |skip| may be NULL. On failure the list is
 * unchanged. */
int cn_http_request_headers_apply_user_lines(
    struct cn_http_request_headers *h, const char *const *lines,
    size_t num_lines, enum cn_http_user_header_mode mode,
    cn_http_header_skip_fn skip, void *skip_ctx);

#endif
