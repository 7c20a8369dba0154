/* http_request_headers.c: ordered request header list and libcurl's
 * CURLOPT_HTTPHEADER rules. */
#include "http/http_request_headers.h"

#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/net_error.h"

static char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool names_equal(const char *a, size_t alen, const char *b,
                        size_t blen) {
  if (alen != blen)
    return false;
  for (size_t i = 0; i < alen; i++) {
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

/* libcurl's ISSPACE: the bytes it skips after a header's colon. */
static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}

static bool valid_name(const char *name, size_t len) {
  if (len == 0)
    return false;
  for (size_t i = 0; i < len; i++) {
    char c = name[i];
    if (c == ':' || c == '\r' || c == '\n' || c == ' ' || c == '\t' ||
        c == '\0')
      return false;
  }
  return true;
}

/* fill_views computes the name/value views of |e| from its line, whose name
 * ends at |name_len| (where the colon is). */
static void fill_views(struct cn_http_request_header *e, size_t name_len) {
  size_t v = name_len + 1;
  while (v < e->line_len && (e->line[v] == ' ' || e->line[v] == '\t'))
    v++;
  size_t end = e->line_len;
  while (end > v && is_space(e->line[end - 1]))
    end--;
  e->name_len = name_len;
  e->value_off = v;
  e->value_len = end - v;
}

/* make_entry copies |line| into a new entry; false on OOM. */
static bool make_entry(struct cn_http_request_header *e, const char *line,
                       size_t len, size_t name_len, bool from_user) {
  e->line = cn_strndup(line, len);
  if (!e->line)
    return false;
  e->line_len = len;
  e->from_user = from_user;
  fill_views(e, name_len);
  return true;
}

static bool make_name_value(struct cn_http_request_header *e,
                            const char *name, const char *value) {
  size_t nlen = strlen(name);
  size_t vlen = strlen(value);
  char *line = cn_malloc(nlen + 2 + vlen + 1);
  if (!line)
    return false;
  memcpy(line, name, nlen);
  memcpy(line + nlen, ": ", 2);
  memcpy(line + nlen + 2, value, vlen);
  line[nlen + 2 + vlen] = '\0';
  e->line = line;
  e->line_len = nlen + 2 + vlen;
  e->from_user = false;
  fill_views(e, nlen);
  return true;
}

static bool reserve(struct cn_http_request_headers *h, size_t extra) {
  if (h->num + extra <= h->cap)
    return true;
  size_t cap = h->cap ? h->cap : 8;
  while (cap < h->num + extra)
    cap *= 2;
  struct cn_http_request_header *entries =
      cn_realloc(h->entries, cap * sizeof(*entries));
  if (!entries)
    return false;
  h->entries = entries;
  h->cap = cap;
  return true;
}

/* insert_at moves |e| (already built) into position |pos|. The caller has
 * reserved room. */
static void insert_at(struct cn_http_request_headers *h, size_t pos,
                      const struct cn_http_request_header *e) {
  memmove(&h->entries[pos + 1], &h->entries[pos],
          (h->num - pos) * sizeof(h->entries[0]));
  h->entries[pos] = *e;
  h->num++;
}

static void remove_at(struct cn_http_request_headers *h, size_t pos) {
  cn_free(h->entries[pos].line);
  memmove(&h->entries[pos], &h->entries[pos + 1],
          (h->num - pos - 1) * sizeof(h->entries[0]));
  h->num--;
}

static bool entry_is(const struct cn_http_request_header *e, const char *name,
                     size_t len) {
  return names_equal(e->line, e->name_len, name, len);
}

void cn_http_request_headers_init(struct cn_http_request_headers *h) {
  h->entries = NULL;
  h->num = 0;
  h->cap = 0;
}

void cn_http_request_headers_clear(struct cn_http_request_headers *h) {
  for (size_t i = 0; i < h->num; i++)
    cn_free(h->entries[i].line);
  h->num = 0;
}

void cn_http_request_headers_cleanup(struct cn_http_request_headers *h) {
  cn_http_request_headers_clear(h);
  cn_free(h->entries);
  cn_http_request_headers_init(h);
}

int cn_http_request_headers_copy(struct cn_http_request_headers *dst,
                                 const struct cn_http_request_headers *src) {
  struct cn_http_request_headers tmp;
  cn_http_request_headers_init(&tmp);
  int rv = CN_ERR_OUT_OF_MEMORY;
  if (!reserve(&tmp, src->num))
    goto out;
  for (size_t i = 0; i < src->num; i++) {
    const struct cn_http_request_header *s = &src->entries[i];
    struct cn_http_request_header *d = &tmp.entries[tmp.num];
    *d = *s;
    d->line = cn_strndup(s->line, s->line_len);
    if (!d->line)
      goto out;
    tmp.num++;
  }
  cn_http_request_headers_cleanup(dst);
  *dst = tmp;
  cn_http_request_headers_init(&tmp);
  rv = CN_OK;
out:
  cn_http_request_headers_cleanup(&tmp);
  return rv;
}

int cn_http_request_headers_add(struct cn_http_request_headers *h,
                                const char *name, const char *value) {
  if (!name || !value || !valid_name(name, strlen(name)))
    return CN_ERR_INVALID_ARGUMENT;
  if (!reserve(h, 1))
    return CN_ERR_OUT_OF_MEMORY;
  struct cn_http_request_header e;
  if (!make_name_value(&e, name, value))
    return CN_ERR_OUT_OF_MEMORY;
  insert_at(h, h->num, &e);
  return CN_OK;
}

int cn_http_request_headers_set(struct cn_http_request_headers *h,
                                const char *name, const char *value) {
  if (!name || !value)
    return CN_ERR_INVALID_ARGUMENT;
  size_t nlen = strlen(name);
  if (!valid_name(name, nlen))
    return CN_ERR_INVALID_ARGUMENT;
  size_t first = h->num;
  for (size_t i = 0; i < h->num; i++) {
    if (entry_is(&h->entries[i], name, nlen)) {
      first = i;
      break;
    }
  }
  if (first == h->num)
    return cn_http_request_headers_add(h, name, value);
  struct cn_http_request_header e;
  if (!make_name_value(&e, name, value))
    return CN_ERR_OUT_OF_MEMORY;
  cn_free(h->entries[first].line);
  h->entries[first] = e;
  for (size_t i = h->num; i-- > first + 1;) {
    if (entry_is(&h->entries[i], name, nlen))
      remove_at(h, i);
  }
  return CN_OK;
}

int cn_http_request_headers_set_if_missing(struct cn_http_request_headers *h,
                                           const char *name,
                                           const char *value) {
  if (!name || !value)
    return CN_ERR_INVALID_ARGUMENT;
  if (cn_http_request_headers_has(h, name))
    return CN_OK;
  return cn_http_request_headers_add(h, name, value);
}

int cn_http_request_headers_add_line(struct cn_http_request_headers *h,
                                     const char *line, size_t len) {
  if (!line)
    return CN_ERR_INVALID_ARGUMENT;
  const char *colon = memchr(line, ':', len);
  if (!colon || colon == line)
    return CN_ERR_INVALID_ARGUMENT;
  if (!reserve(h, 1))
    return CN_ERR_OUT_OF_MEMORY;
  struct cn_http_request_header e;
  if (!make_entry(&e, line, len, (size_t)(colon - line), false))
    return CN_ERR_OUT_OF_MEMORY;
  insert_at(h, h->num, &e);
  return CN_OK;
}

size_t cn_http_request_headers_remove(struct cn_http_request_headers *h,
                                      const char *name) {
  size_t nlen = strlen(name);
  size_t removed = 0;
  for (size_t i = h->num; i-- > 0;) {
    if (entry_is(&h->entries[i], name, nlen)) {
      remove_at(h, i);
      removed++;
    }
  }
  return removed;
}

int cn_http_request_headers_reorder(struct cn_http_request_headers *h,
                                    const char *order) {
  if (!order || h->num < 2)
    return CN_OK;
  struct cn_http_request_header *out = cn_malloc(h->num * sizeof(*out));
  bool *taken = cn_calloc(h->num, sizeof(*taken));
  if (!out || !taken) {
    cn_free(out);
    cn_free(taken);
    return CN_ERR_OUT_OF_MEMORY;
  }
  size_t n = 0;
  for (const char *p = order; *p;) {
    size_t len = strcspn(p, ",");
    const char *name = p;
    size_t name_len = len;
    while (name_len && (*name == ' ' || *name == '\t')) {
      name++;
      name_len--;
    }
    while (name_len && (name[name_len - 1] == ' ' || name[name_len - 1] == '\t'))
      name_len--;
    for (size_t i = 0; i < h->num && name_len; i++) {
      const struct cn_http_request_header *e = &h->entries[i];
      if (!taken[i] && e->name_len == name_len &&
          strncasecmp(e->line, name, name_len) == 0) {
        out[n++] = *e;
        taken[i] = true;
      }
    }
    p += len;
    if (*p == ',')
      p++;
  }
  for (size_t i = 0; i < h->num; i++)
    if (!taken[i])
      out[n++] = h->entries[i];
  memcpy(h->entries, out, h->num * sizeof(*out));
  cn_free(out);
  cn_free(taken);
  return CN_OK;
}

size_t cn_http_request_headers_count(const struct cn_http_request_headers *h) {
  return h->num;
}

const struct cn_http_request_header *cn_http_request_headers_at(
    const struct cn_http_request_headers *h, size_t i) {
  return i < h->num ? &h->entries[i] : NULL;
}

const struct cn_http_request_header *cn_http_request_headers_find(
    const struct cn_http_request_headers *h, const char *name) {
  size_t nlen = strlen(name);
  for (size_t i = 0; i < h->num; i++) {
    if (entry_is(&h->entries[i], name, nlen))
      return &h->entries[i];
  }
  return NULL;
}

bool cn_http_request_headers_has(const struct cn_http_request_headers *h,
                                 const char *name) {
  return cn_http_request_headers_find(h, name) != NULL;
}

const char *cn_http_request_header_name(const struct cn_http_request_header *e,
                                        size_t *out_len) {
  *out_len = e->name_len;
  return e->line;
}

const char *cn_http_request_header_value(
    const struct cn_http_request_header *e, size_t *out_len) {
  *out_len = e->value_len;
  return e->line + e->value_off;
}

int cn_http_request_headers_serialize(const struct cn_http_request_headers *h,
                                      struct cn_buf *out) {
  size_t start = out->len;
  int rv = CN_OK;
  for (size_t i = 0; i < h->num && rv == CN_OK; i++) {
    rv = cn_buf_append(out, h->entries[i].line, h->entries[i].line_len);
    if (rv == CN_OK)
      rv = cn_buf_append(out, "\r\n", 2);
  }
  if (rv != CN_OK && out->data) {
    out->len = start;
    out->data[start] = '\0';
  }
  return rv;
}

/* What one CURLOPT_HTTPHEADER line asks for. */
enum user_action {
  USER_IGNORE,   /* no effect at all */
  USER_SUPPRESS, /* not sent, but the default of that name is not sent */
  USER_SEND,     /* sent (as |send_line|), default of that name not sent */
};

struct user_line {
  enum user_action action;
  /* The name libcurl's header check sees: text before the first ':' or
   * ';'. */
  const char *name;
  size_t name_len;
  /* USER_SEND: the line to send (semicolon form rewritten to a colon) and
   * where its colon is. */
  const char *send_line;
  size_t send_len;
  size_t send_name_len;
  bool semicolon; /* send_line must be rewritten: ';' -> ':' */
};

static void classify(struct user_line *u, const char *line) {
  size_t len = strlen(line);
  memset(u, 0, sizeof(*u));
  u->action = USER_IGNORE;
  size_t sep = strcspn(line, ":;");
  if (sep == len || sep == 0)
    return;
  u->name = line;
  u->name_len = sep;
  u->action = USER_SUPPRESS;

  const char *colon = strchr(line, ':');
  if (colon) {
    if (colon == line)
      return;
    const char *p = colon + 1;
    while (is_space(*p))
      p++;
    if (*p) {
      u->action = USER_SEND;
      u->send_line = line;
      u->send_len = len;
      u->send_name_len = (size_t)(colon - line);
    }
    return;
  }
  /* No colon: "Name;" means an empty header; the semicolon must be the last
   * byte (libcurl ignores "Name; " and "Name;x"). */
  const char *semi = strchr(line, ';');
  if (semi == line || semi[1] != '\0')
    return;
  u->action = USER_SEND;
  u->send_line = line;
  u->send_len = len;
  u->send_name_len = (size_t)(semi - line);
  u->semicolon = true;
}

static bool make_user_entry(struct cn_http_request_header *e,
                            const struct user_line *u) {
  if (!make_entry(e, u->send_line, u->send_len, u->send_name_len, true))
    return false;
  if (u->semicolon)
    e->line[u->send_name_len] = ':';
  return true;
}

/* remove_defaults drops the entries called |name| that did not come from a
 * user line; returns the position of the first one removed, or SIZE_MAX. */
static size_t remove_defaults(struct cn_http_request_headers *h,
                              const char *name, size_t len) {
  size_t first = (size_t)-1;
  for (size_t i = h->num; i-- > 0;) {
    if (!h->entries[i].from_user && entry_is(&h->entries[i], name, len)) {
      remove_at(h, i);
      first = i;
    }
  }
  return first;
}

static bool apply_one(struct cn_http_request_headers *h,
                      const struct user_line *u,
                      enum cn_http_user_header_mode mode,
                      cn_http_header_skip_fn skip, void *skip_ctx) {
  if (u->action == USER_IGNORE)
    return true;
  size_t pos = remove_defaults(h, u->name, u->name_len);
  if (u->action != USER_SEND)
    return true;
  if (skip && skip(skip_ctx, u->send_line, u->send_name_len))
    return true;
  if (!reserve(h, 1))
    return false;
  struct cn_http_request_header e;
  if (!make_user_entry(&e, u))
    return false;
  size_t at = h->num;
  if (mode == CN_HTTP_USER_HEADERS_IN_PLACE) {
    /* After a previous user line of the same name, else where the default
     * was. */
    bool found = false;
    for (size_t i = h->num; i-- > 0;) {
      if (entry_is(&h->entries[i], e.line, e.name_len)) {
        at = i + 1;
        found = true;
        break;
      }
    }
    if (!found && pos != (size_t)-1 && pos <= h->num)
      at = pos;
  }
  insert_at(h, at, &e);
  return true;
}

int cn_http_request_headers_apply_user_lines(
    struct cn_http_request_headers *h, const char *const *lines,
    size_t num_lines, enum cn_http_user_header_mode mode,
    cn_http_header_skip_fn skip, void *skip_ctx) {
  struct cn_http_request_headers tmp;
  cn_http_request_headers_init(&tmp);
  int rv = cn_http_request_headers_copy(&tmp, h);
  if (rv != CN_OK)
    goto out;
  rv = CN_ERR_OUT_OF_MEMORY;
  if (mode == CN_HTTP_USER_HEADERS_APPEND) {
    /* Every named default goes first, so that a later user line never
     * removes an earlier user line's entry. */
    for (size_t i = 0; i < num_lines; i++) {
      struct user_line u;
      classify(&u, lines[i]);
      if (u.action != USER_IGNORE)
        remove_defaults(&tmp, u.name, u.name_len);
    }
  }
  for (size_t i = 0; i < num_lines; i++) {
    struct user_line u;
    classify(&u, lines[i]);
    if (!apply_one(&tmp, &u, mode, skip, skip_ctx))
      goto out;
  }
  cn_http_request_headers_cleanup(h);
  *h = tmp;
  cn_http_request_headers_init(&tmp);
  rv = CN_OK;
out:
  cn_http_request_headers_cleanup(&tmp);
  return rv;
}
