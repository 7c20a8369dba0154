/* http_response_headers.c: a parsed response head and libcurl's readings of
 * its fields. */
#include "http/http_response_headers.h"

#include <string.h>

#include "util/alloc.h"
#include "util/net_error.h"

static char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}

static bool mem_case_equal(const char *a, const char *b, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

/* contains_case: |needle| occurs in |hay| ignoring case (libcurl's
 * Curl_compareheader search). */
static bool contains_case(const char *hay, size_t hay_len,
                          const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= hay_len; i++) {
    if (mem_case_equal(hay + i, needle, n))
      return true;
  }
  return false;
}

/* name_is: |f|'s name is |name| of |len| bytes, ignoring case. */
static bool name_is(const struct cn_http_header_field *f, const char *name,
                    size_t len) {
  return f->name_len == len && mem_case_equal(f->name, name, len);
}

bool cn_http_header_name_equals(const struct cn_http_header_field *f,
                                const char *name) {
  return name_is(f, name, strlen(name));
}

/* Field text is allocated in steps of this size: a typical head's fields
 * fit in the first block. */
#define TEXT_STEP 512

static char no_reason[1];

struct cn_http_response_headers *cn_http_response_headers_new(void) {
  struct cn_http_response_headers *h = cn_calloc(1, sizeof(*h));
  if (!h)
    return NULL;
  h->reason = no_reason;
  cn_buf_init(&h->raw, 0);
  cn_text_arena_init(&h->text, TEXT_STEP);
  return h;
}

void cn_http_response_headers_free(struct cn_http_response_headers *h) {
  if (!h)
    return;
  cn_free(h->fields);
  cn_free(h->raw_line_end);
  cn_buf_cleanup(&h->raw);
  cn_text_arena_cleanup(&h->text);
  cn_free(h);
}

int cn_http_response_headers_set_status(struct cn_http_response_headers *h,
                                        int version_major, int version_minor,
                                        int status_code, const char *reason,
                                        size_t reason_len) {
  char *copy = no_reason;
  if (reason && reason_len) {
    copy = cn_text_arena_strndup(&h->text, reason, reason_len);
    if (!copy)
      return CN_ERR_OUT_OF_MEMORY;
  }
  h->reason = copy;
  h->version_major = version_major;
  h->version_minor = version_minor;
  h->status_code = status_code;
  return CN_OK;
}

int cn_http_response_headers_add_raw_line(struct cn_http_response_headers *h,
                                          const char *line, size_t len) {
  if (h->num_raw_lines == h->raw_line_cap) {
    size_t cap = h->raw_line_cap ? h->raw_line_cap * 2 : 16;
    size_t *ends = cn_realloc(h->raw_line_end, cap * sizeof(*ends));
    if (!ends)
      return CN_ERR_OUT_OF_MEMORY;
    h->raw_line_end = ends;
    h->raw_line_cap = cap;
  }
  int rv = cn_buf_append(&h->raw, line, len);
  if (rv != CN_OK)
    return rv;
  h->raw_line_end[h->num_raw_lines++] = h->raw.len;
  return CN_OK;
}

int cn_http_response_headers_add(struct cn_http_response_headers *h,
                                 const char *name, size_t name_len,
                                 const char *value, size_t value_len) {
  if (h->num_fields == h->fields_cap) {
    size_t cap = h->fields_cap ? h->fields_cap * 2 : 16;
    struct cn_http_header_field *fields =
        cn_realloc(h->fields, cap * sizeof(*fields));
    if (!fields)
      return CN_ERR_OUT_OF_MEMORY;
    h->fields = fields;
    h->fields_cap = cap;
  }
  /* Name and value side by side: name NUL value NUL. */
  char *block = cn_text_arena_alloc(&h->text, name_len + 1 + value_len + 1);
  if (!block)
    return CN_ERR_OUT_OF_MEMORY;
  memcpy(block, name, name_len);
  block[name_len] = '\0';
  memcpy(block + name_len + 1, value, value_len);
  block[name_len + 1 + value_len] = '\0';
  struct cn_http_header_field *f = &h->fields[h->num_fields++];
  f->name = block;
  f->name_len = name_len;
  f->value = block + name_len + 1;
  f->value_len = value_len;
  f->line_value_len = value_len;
  return CN_OK;
}

int cn_http_response_headers_unfold(struct cn_http_response_headers *h,
                                    const char *text, size_t len) {
  if (h->num_fields == 0)
    return CN_ERR_INVALID_ARGUMENT;
  while (len && is_space(text[len - 1]))
    len--;
  while (len > 1 && is_blank(text[0]) && is_blank(text[1])) {
    text++;
    len--;
  }
  if (len == 0)
    return CN_OK;
  struct cn_http_header_field *f = &h->fields[h->num_fields - 1];
  /* Arena text cannot grow in place: the field moves to a longer copy
   * (folded lines are rare; the old copy waits for the free). */
  size_t old = f->name_len + 1 + f->value_len + 1;
  char *block = cn_text_arena_alloc(&h->text, old + len);
  if (!block)
    return CN_ERR_OUT_OF_MEMORY;
  memcpy(block, f->name, old);
  f->name = block;
  f->value = block + f->name_len + 1;
  memcpy(f->value + f->value_len, text, len);
  f->value_len += len;
  f->value[f->value_len] = '\0';
  return CN_OK;
}

int cn_http_response_headers_status(const struct cn_http_response_headers *h) {
  return h->status_code;
}

const char *cn_http_response_headers_reason(
    const struct cn_http_response_headers *h) {
  return h->reason;
}

size_t cn_http_response_headers_num_raw_lines(
    const struct cn_http_response_headers *h) {
  return h->num_raw_lines;
}

const char *cn_http_response_headers_raw_line(
    const struct cn_http_response_headers *h, size_t i, size_t *out_len) {
  if (i >= h->num_raw_lines)
    return NULL;
  size_t start = i ? h->raw_line_end[i - 1] : 0;
  *out_len = h->raw_line_end[i] - start;
  return h->raw.data + start;
}

const char *cn_http_response_headers_raw(
    const struct cn_http_response_headers *h, size_t *out_len) {
  *out_len = h->raw.len;
  return h->raw.data ? h->raw.data : "";
}

size_t cn_http_response_headers_num_fields(
    const struct cn_http_response_headers *h) {
  return h->num_fields;
}

const struct cn_http_header_field *cn_http_response_headers_field(
    const struct cn_http_response_headers *h, size_t i) {
  return i < h->num_fields ? &h->fields[i] : NULL;
}

size_t cn_http_response_headers_count(const struct cn_http_response_headers *h,
                                      const char *name) {
  size_t n = 0, len = strlen(name);
  for (size_t i = 0; i < h->num_fields; i++) {
    if (name_is(&h->fields[i], name, len))
      n++;
  }
  return n;
}

const struct cn_http_header_field *cn_http_response_headers_next(
    const struct cn_http_response_headers *h, const char *name, size_t *iter) {
  size_t len = strlen(name);
  for (size_t i = *iter; i < h->num_fields; i++) {
    if (name_is(&h->fields[i], name, len)) {
      *iter = i + 1;
      return &h->fields[i];
    }
  }
  *iter = h->num_fields;
  return NULL;
}

const char *cn_http_response_headers_get(
    const struct cn_http_response_headers *h, const char *name, size_t nth) {
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, name, &iter))) {
    if (nth-- == 0)
      return f->value;
  }
  return NULL;
}

enum cn_http_content_length cn_http_content_length_parse(const char *value,
                                                         size_t len,
                                                         int64_t *out_len) {
  size_t i = 0;
  while (i < len && is_blank(value[i]))
    i++;
  if (i == len || value[i] < '0' || value[i] > '9')
    return CN_HTTP_CONTENT_LENGTH_INVALID;
  uint64_t n = 0;
  for (; i < len && value[i] >= '0' && value[i] <= '9'; i++) {
    unsigned d = (unsigned)(value[i] - '0');
    if (n > ((uint64_t)INT64_MAX - d) / 10)
      return CN_HTTP_CONTENT_LENGTH_OVERFLOW;
    n = n * 10 + d;
  }
  *out_len = (int64_t)n;
  return CN_HTTP_CONTENT_LENGTH_VALID;
}

enum cn_http_content_length cn_http_response_headers_content_length(
    const struct cn_http_response_headers *h, int64_t *out_len) {
  bool have = false, overflow = false;
  int64_t len = 0;
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, "Content-Length", &iter))) {
    int64_t v;
    switch (cn_http_content_length_parse(f->value, f->line_value_len, &v)) {
    case CN_HTTP_CONTENT_LENGTH_VALID:
      len = v;
      have = true;
      break;
    case CN_HTTP_CONTENT_LENGTH_OVERFLOW:
      overflow = true;
      break;
    default:
      return CN_HTTP_CONTENT_LENGTH_INVALID;
    }
  }
  if (have) {
    *out_len = len;
    return CN_HTTP_CONTENT_LENGTH_VALID;
  }
  return overflow ? CN_HTTP_CONTENT_LENGTH_OVERFLOW
                  : CN_HTTP_CONTENT_LENGTH_ABSENT;
}

/* next_coding walks a comma-separated coding list the way libcurl's
 * Curl_build_unencoding_stack does: commas and blanks before a name are
 * skipped, the name runs to the next comma minus trailing blanks/controls. */
static bool next_coding(const char **p, const char *end, const char **out,
                        size_t *out_len) {
  const char *s = *p;
  while (s < end && (is_blank(*s) || *s == ','))
    s++;
  if (s == end)
    return false;
  const char *name = s;
  size_t len = 0;
  for (; s < end && *s != ','; s++) {
    if ((unsigned char)*s > ' ')
      len = (size_t)(s - name) + 1;
  }
  *p = s;
  *out = name;
  *out_len = len;
  return true;
}

bool cn_http_response_headers_is_chunked(
    const struct cn_http_response_headers *h) {
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, "Transfer-Encoding", &iter))) {
    const char *p = f->value, *end = f->value + f->line_value_len;
    const char *name;
    size_t len;
    while (next_coding(&p, end, &name, &len)) {
      if (len == 7 && mem_case_equal(name, "chunked", 7))
        return true;
    }
  }
  return false;
}

bool cn_http_response_headers_has_transfer_encoding(
    const struct cn_http_response_headers *h) {
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, "Transfer-Encoding", &iter))) {
    const char *p = f->value, *end = f->value + f->line_value_len;
    const char *name;
    size_t len;
    while (next_coding(&p, end, &name, &len)) {
      if (len && !(len == 8 && mem_case_equal(name, "identity", 8)))
        return true;
    }
  }
  return false;
}

bool cn_http_response_headers_keep_alive(
    const struct cn_http_response_headers *h, bool via_http_proxy) {
  bool http10 = h->version_major == 1 && h->version_minor == 0;
  bool http11 = h->version_major == 1 && h->version_minor == 1;
  bool keep = !http10 && h->version_major >= 1;
  for (size_t i = 0; i < h->num_fields; i++) {
    const struct cn_http_header_field *f = &h->fields[i];
    if (cn_http_header_name_equals(f, "Connection")) {
      if (contains_case(f->value, f->line_value_len, "close"))
        keep = false;
      else if (http10 &&
               contains_case(f->value, f->line_value_len, "keep-alive"))
        keep = true;
    } else if (via_http_proxy &&
               cn_http_header_name_equals(f, "Proxy-Connection")) {
      if (http10 && contains_case(f->value, f->line_value_len, "keep-alive"))
        keep = true;
      else if (http11 && contains_case(f->value, f->line_value_len, "close"))
        keep = false;
    }
  }
  return keep;
}

/* line_value returns |f|'s value on its own line, trimmed (the value is
 * already trimmed at the front). */
static const char *line_value(const struct cn_http_header_field *f,
                              size_t *out_len) {
  size_t len = f->line_value_len;
  while (len && is_space(f->value[len - 1]))
    len--;
  *out_len = len;
  return f->value;
}

const char *cn_http_response_headers_location(
    const struct cn_http_response_headers *h, size_t *out_len) {
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, "Location", &iter))) {
    size_t len;
    const char *v = line_value(f, &len);
    if (len) {
      *out_len = len;
      return v;
    }
  }
  return NULL;
}

const char *cn_http_response_headers_content_type(
    const struct cn_http_response_headers *h, size_t *out_len) {
  const char *found = NULL;
  size_t found_len = 0;
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(h, "Content-Type", &iter))) {
    size_t len;
    const char *v = line_value(f, &len);
    if (len) {
      found = v;
      found_len = len;
    }
  }
  if (found)
    *out_len = found_len;
  return found;
}
