/* cookie_store.c: libcurl's cookie jar: hash buckets, replacement rules,
 * expiry, and the selection and order of cookies for a request. */
#include "cookies/cookie_store.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cookies/psl.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/time.h"

#define NUM_BUCKETS 63 /* libcurl's COOKIE_HASH_SIZE */

struct bucket {
  struct cn_cookie *head, *tail;
  size_t count;
};

struct cn_cookie_store {
  struct bucket buckets[NUM_BUCKETS];
  size_t num;          /* cookies in all buckets */
  unsigned lastct;     /* last creation counter handed out */
  int64_t next_expiry; /* earliest expiry seen; INT64_MAX: unknown */
  cn_cookie_store_lock_fn lock;
  void *lock_arg;
  cn_cookie_clock_fn clock;
  void *clock_arg;
};

static void lock(struct cn_cookie_store *s) {
  if (s->lock)
    s->lock(s->lock_arg, true);
}

static void unlock(struct cn_cookie_store *s) {
  if (s->lock)
    s->lock(s->lock_arg, false);
}

static char raw_upper(char c) {
  return (c >= 'a' && c <= 'z') ? (char)(c - ('a' - 'A')) : c;
}

/* bucket_of hashes the last two labels of |domain| ("www.example.com" ->
 * "example.com"), case-insensitively; IP addresses and NULL go to 0. The
 * function and table size are libcurl's, so the CURLINFO_COOKIELIST order
 * and which hosts see which cookies come out the same. */
static size_t bucket_of(const char *domain) {
  if (!domain || cn_cookie_host_is_ip(domain))
    return 0;
  size_t len = strlen(domain);
  const char *top = domain;
  const char *last = memrchr(domain, '.', len);
  if (last) {
    const char *first = memrchr(domain, '.', (size_t)(last - domain));
    if (first) {
      first++;
      len -= (size_t)(first - domain);
      top = first;
    }
  }
  size_t h = 5381;
  for (size_t i = 0; i < len; i++) {
    h += h << 5;
    h ^= (size_t)(unsigned char)raw_upper(top[i]);
  }
  return h % NUM_BUCKETS;
}

static void link_tail(struct bucket *b, struct cn_cookie *co) {
  co->next = NULL;
  co->prev = b->tail;
  if (b->tail)
    b->tail->next = co;
  else
    b->head = co;
  b->tail = co;
  b->count++;
}

static void unlink_cookie(struct bucket *b, struct cn_cookie *co) {
  if (co->prev)
    co->prev->next = co->next;
  else
    b->head = co->next;
  if (co->next)
    co->next->prev = co->prev;
  else
    b->tail = co->prev;
  co->prev = co->next = NULL;
  b->count--;
}

struct cn_cookie_store *cn_cookie_store_new(void) {
  struct cn_cookie_store *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  s->next_expiry = INT64_MAX;
  return s;
}

static void clear_all(struct cn_cookie_store *s) {
  for (size_t i = 0; i < NUM_BUCKETS; i++) {
    struct cn_cookie *co = s->buckets[i].head;
    while (co) {
      struct cn_cookie *next = co->next;
      cn_cookie_free(co);
      co = next;
    }
    s->buckets[i].head = s->buckets[i].tail = NULL;
    s->buckets[i].count = 0;
  }
  s->num = 0;
}

void cn_cookie_store_free(struct cn_cookie_store *s) {
  if (!s)
    return;
  clear_all(s);
  cn_free(s);
}

void cn_cookie_store_set_lock(struct cn_cookie_store *s,
                              cn_cookie_store_lock_fn fn, void *arg) {
  s->lock = fn;
  s->lock_arg = arg;
}

void cn_cookie_store_set_clock(struct cn_cookie_store *s,
                               cn_cookie_clock_fn fn, void *arg) {
  s->clock = fn;
  s->clock_arg = arg;
}

int64_t cn_cookie_store_now(struct cn_cookie_store *s) {
  return s->clock ? s->clock(s->clock_arg) : cn_time_wall_s();
}

/* remove_expired sweeps, unless the earliest known expiry is still ahead
 * (libcurl's shortcut; INT64_MAX means "not known", so sweep). */
static void remove_expired(struct cn_cookie_store *s) {
  int64_t now = cn_cookie_store_now(s);
  if (now < s->next_expiry && s->next_expiry != INT64_MAX)
    return;
  s->next_expiry = INT64_MAX;
  for (size_t i = 0; i < NUM_BUCKETS; i++) {
    struct cn_cookie *co = s->buckets[i].head;
    while (co) {
      struct cn_cookie *next = co->next;
      if (co->expires && co->expires < now) {
        unlink_cookie(&s->buckets[i], co);
        cn_cookie_free(co);
        s->num--;
      } else if (co->expires && co->expires < s->next_expiry) {
        s->next_expiry = co->expires;
      }
      co = next;
    }
  }
}

/* replace_existing finds the cookie |co| replaces and removes it (|co|
 * inherits its creation order), or rejects |co|. |secure|: the origin. */
static enum cn_cookie_status replace_existing(struct cn_cookie_store *s,
                                              struct cn_cookie *co,
                                              bool secure,
                                              const struct cn_net_log *log,
                                              bool *out_replaced) {
  struct bucket *b = &s->buckets[bucket_of(co->domain)];
  struct cn_cookie *old = NULL;
  for (struct cn_cookie *c = b->head; c; c = c->next) {
    if (strcmp(c->name, co->name) != 0)
      continue;
    bool same_domain = (c->domain && co->domain)
                           ? cn_cookie_strcaseeq(c->domain, co->domain)
                           : (!c->domain && !co->domain);
    if (same_domain && c->spath && co->spath && c->secure && !co->secure &&
        !secure) {
      /* An insecure origin may not shadow a secure cookie: a new "a" with
       * path "/login/en" over a secure "a" at "/login" is refused. The
       * comparison covers the old path's first segment, byte for byte as
       * libcurl does it (so "/loginhelper" is refused too). */
      const char *sep = c->spath[0] ? strchr(c->spath + 1, '/') : NULL;
      size_t len = sep ? (size_t)(sep - c->spath) : strlen(c->spath);
      if (cn_cookie_strncaseeq(c->spath, co->spath, len)) {
        cn_net_log_text(log, "cookie '%s' for domain '%s' dropped, would "
                        "overlay an existing cookie", co->name,
                        co->domain ? co->domain : "(nil)");
        return CN_COOKIE_OVERLAY;
      }
    }
    if (old)
      continue;
    bool replace = false;
    if (c->domain && co->domain)
      replace = cn_cookie_strcaseeq(c->domain, co->domain) &&
                c->tailmatch == co->tailmatch;
    else
      replace = !c->domain && !co->domain;
    if (replace) {
      if (c->spath && co->spath && !cn_cookie_strcaseeq(c->spath, co->spath))
        replace = false;
      else if (!c->spath != !co->spath)
        replace = false;
    }
    /* A cookie set by a server wins over the same one read from a file. */
    if (replace && !co->live && c->live)
      return CN_COOKIE_LIVE_WINS;
    if (replace)
      old = c;
  }
  *out_replaced = old != NULL;
  if (old) {
    co->creation = old->creation;
    unlink_cookie(b, old);
    cn_cookie_free(old);
  }
  return CN_COOKIE_OK;
}

static enum cn_cookie_status add_locked(struct cn_cookie_store *s,
                                        const struct cn_cookie_add_params *p,
                                        const char *line) {
  if (p->num_set && *p->num_set >= CN_COOKIE_MAX_SET_PER_RESPONSE)
    return CN_COOKIE_LIMIT;
  struct cn_cookie *co = cn_calloc(1, sizeof(*co));
  if (!co)
    return CN_COOKIE_OUT_OF_MEMORY;
  int64_t now = cn_cookie_store_now(s);
  struct cn_cookie_parse_ctx ctx = {p->domain, p->path, p->secure, p->live,
                                    now, p->log};
  enum cn_cookie_status st = p->header
                                 ? cn_cookie_parse_header(co, &ctx, line)
                                 : cn_cookie_parse_netscape(co, &ctx, line);
  if (st != CN_COOKIE_OK)
    goto fail;
  if (p->header && p->num_set)
    (*p->num_set)++; /* libcurl counts parsed lines, kept or not */

  st = CN_COOKIE_BAD_PREFIX;
  if (co->prefix_secure && !co->secure)
    goto fail;
  if (co->prefix_host &&
      !(co->secure && co->path && strcmp(co->path, "/") == 0 &&
        !co->tailmatch))
    goto fail;
  if (!p->live && p->newsession && !co->expires) {
    st = CN_COOKIE_SESSION_DROPPED;
    goto fail;
  }
  co->live = p->live;
  co->creation = ++s->lastct;

  if (!p->noexpire)
    remove_expired(s);

  /* Public suffixes: only for lines that came with a request host. */
  if (p->domain && co->domain && !cn_cookie_host_is_ip(co->domain) &&
      !cn_psl_cookie_domain_acceptable(p->psl, p->domain, co->domain)) {
    cn_net_log_text(p->log, "cookie '%s' dropped, domain '%s' must not set "
                    "cookies for '%s'", co->name, p->domain, co->domain);
    st = CN_COOKIE_PUBLIC_SUFFIX;
    goto fail;
  }

  bool replaced = false;
  st = replace_existing(s, co, p->secure, p->log, &replaced);
  if (st != CN_COOKIE_OK)
    goto fail;
  link_tail(&s->buckets[bucket_of(co->domain)], co);
  if (p->live)
    cn_net_log_text(p->log, "%s cookie %s=\"%s\" for domain %s, path %s, "
                    "expire %" PRId64, replaced ? "Replaced" : "Added",
                    co->name, co->value, co->domain ? co->domain : "(nil)",
                    co->path ? co->path : "(nil)", co->expires);
  if (!replaced)
    s->num++;
  if (co->expires && co->expires < s->next_expiry)
    s->next_expiry = co->expires;
  return replaced ? CN_COOKIE_REPLACED : CN_COOKIE_ADDED;

fail:
  cn_cookie_free(co);
  return st;
}

int cn_cookie_store_add(struct cn_cookie_store *s,
                        const struct cn_cookie_add_params *p,
                        const char *line, enum cn_cookie_status *out_status) {
  lock(s);
  enum cn_cookie_status st = add_locked(s, p, line);
  unlock(s);
  if (out_status)
    *out_status = st;
  return st == CN_COOKIE_OUT_OF_MEMORY ? CN_ERR_OUT_OF_MEMORY : CN_OK;
}

/* ---- request origins ---- */

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* host_from_header turns a Host header value into the cookie host the way
 * libcurl does: trimmed, the port cut off, IPv6 brackets removed. libcurl
 * shifts a bracketed value left by one byte without moving its last byte,
 * which only shows when the closing bracket is missing ("[ab" -> "abb");
 * reproduced for identical results. NULL when empty or out of memory
 * (*out_oom tells which). */
static char *host_from_header(const char *v, bool *out_oom) {
  *out_oom = false;
  while (is_space(*v))
    v++;
  size_t len = strlen(v);
  while (len && is_space(v[len - 1]))
    len--;
  if (!len)
    return NULL;
  char *h = cn_strndup(v, len);
  if (!h) {
    *out_oom = true;
    return NULL;
  }
  if (h[0] == '[') {
    memmove(h, h + 1, len - 1);
    char *close = strchr(h, ']');
    if (close)
      *close = '\0';
  } else {
    char *colon = strchr(h, ':');
    if (colon)
      *colon = '\0';
  }
  return h;
}

int cn_cookie_origin_init(struct cn_cookie_origin *o, const char *scheme,
                          const char *url_host, const char *url_path,
                          const char *custom_host, bool is_follow,
                          const char *first_host, struct cn_psl_cache *psl,
                          const struct cn_net_log *log) {
  memset(o, 0, sizeof(*o));
  o->host = url_host ? url_host : "";
  o->path = url_path && *url_path ? url_path : "/";
  o->psl = psl;
  o->log = log;
  /* A program's Host header names the cookie host, but not on a redirect
   * to another host than the first one. */
  if (custom_host &&
      (!is_follow ||
       (first_host && cn_cookie_strcaseeq(first_host, o->host)))) {
    bool oom;
    o->owned_host = host_from_header(custom_host, &oom);
    if (oom)
      return CN_ERR_OUT_OF_MEMORY;
    if (o->owned_host)
      o->host = o->owned_host;
  }
  o->secure = (scheme && (cn_cookie_strcaseeq(scheme, "https") ||
                          cn_cookie_strcaseeq(scheme, "wss"))) ||
              cn_cookie_strcaseeq(o->host, "localhost") ||
              strcmp(o->host, "127.0.0.1") == 0 ||
              strcmp(o->host, "::1") == 0;
  return CN_OK;
}

void cn_cookie_origin_cleanup(struct cn_cookie_origin *o) {
  cn_free(o->owned_host);
  o->owned_host = NULL;
}

int cn_cookie_store_set_cookie_header(struct cn_cookie_store *s,
                                      struct cn_cookie_origin *o,
                                      const char *value,
                                      enum cn_cookie_status *out_status) {
  struct cn_cookie_add_params p = {
      .header = true,
      .live = true,
      .domain = o->host,
      .path = o->path,
      .secure = o->secure,
      .psl = o->psl,
      .log = o->log,
      .num_set = &o->num_set,
  };
  return cn_cookie_store_add(s, &p, value, out_status);
}

int cn_cookie_store_add_api_line(struct cn_cookie_store *s, const char *line,
                                 const struct cn_net_log *log,
                                 enum cn_cookie_status *out_status) {
  struct cn_cookie_add_params p = {.live = true, .secure = true, .log = log};
  if (cn_cookie_strncaseeq(line, "Set-Cookie:", 11)) {
    p.header = true;
    line += 11;
  }
  return cn_cookie_store_add(s, &p, line, out_status);
}

/* ---- sending ---- */

static size_t len_or_0(const char *s) { return s ? strlen(s) : 0; }

/* send_order: longest path first, then longest domain, longest name, and
 * the newest cookie first (creation counters are unique). */
static int send_order(const void *a, const void *b) {
  const struct cn_cookie *c1 = *(const struct cn_cookie *const *)a;
  const struct cn_cookie *c2 = *(const struct cn_cookie *const *)b;
  size_t l1 = len_or_0(c1->path), l2 = len_or_0(c2->path);
  if (l1 != l2)
    return l2 > l1 ? 1 : -1;
  l1 = len_or_0(c1->domain);
  l2 = len_or_0(c2->domain);
  if (l1 != l2)
    return l2 > l1 ? 1 : -1;
  l1 = len_or_0(c1->name);
  l2 = len_or_0(c2->name);
  if (l1 != l2)
    return l2 > l1 ? 1 : -1;
  return c2->creation > c1->creation ? 1 : -1;
}

static int newest_first(const void *a, const void *b) {
  const struct cn_cookie *c1 = *(const struct cn_cookie *const *)a;
  const struct cn_cookie *c2 = *(const struct cn_cookie *const *)b;
  return c2->creation > c1->creation ? 1 : -1;
}

static bool matches(const struct cn_cookie *co, const char *host, bool is_ip,
                    const char *path, bool secure) {
  if (co->secure && !secure)
    return false;
  bool domain_ok =
      !co->domain ||
      (co->tailmatch && !is_ip &&
       cn_cookie_tailmatch(co->domain, strlen(co->domain), host)) ||
      ((!co->tailmatch || is_ip) && cn_cookie_strcaseeq(host, co->domain));
  return domain_ok && (!co->spath || cn_cookie_pathmatch(co->spath, path));
}

static int header_locked(struct cn_cookie_store *s, const char *host,
                         const char *path, bool secure,
                         const struct cn_net_log *log, struct cn_buf *out,
                         size_t *out_count, bool *out_capped) {
  struct bucket *b = &s->buckets[bucket_of(host)];
  if (!b->count)
    return CN_OK;
  remove_expired(s);
  if (!b->count)
    return CN_OK;
  struct cn_cookie **list = cn_malloc(b->count * sizeof(*list));
  if (!list)
    return CN_ERR_OUT_OF_MEMORY;
  bool is_ip = cn_cookie_host_is_ip(host);
  size_t n = 0;
  for (struct cn_cookie *co = b->head; co; co = co->next) {
    if (!matches(co, host, is_ip, path, secure))
      continue;
    list[n++] = co;
    if (n >= CN_COOKIE_MAX_SEND) {
      cn_net_log_text(log, "Included max number of cookies (%zu) in request!",
                      n);
      break;
    }
  }
  qsort(list, n, sizeof(*list), send_order);

  int rv = CN_OK;
  size_t clen = 8; /* "Cookie: " */
  for (size_t i = 0; i < n && rv == CN_OK; i++) {
    const struct cn_cookie *co = list[i];
    if (!co->value)
      continue;
    size_t add = strlen(co->name) + strlen(co->value) + 1;
    if (clen + add >= CN_COOKIE_MAX_HEADER_LEN) {
      cn_net_log_text(log, "Restricted outgoing cookies due to header size, "
                      "'%s' not sent", co->name);
      *out_capped = true;
      break;
    }
    rv = cn_buf_printf(out, "%s%s=%s", *out_count ? "; " : "", co->name,
                       co->value);
    if (rv == CN_OK) {
      clen += add + (*out_count ? 2 : 0);
      (*out_count)++;
    }
  }
  cn_free(list);
  return rv;
}

int cn_cookie_store_header_for(struct cn_cookie_store *s, const char *host,
                               const char *path, bool secure,
                               const struct cn_net_log *log,
                               struct cn_buf *out, size_t *out_count,
                               bool *out_capped) {
  *out_count = 0;
  *out_capped = false;
  lock(s);
  int rv = header_locked(s, host, path, secure, log, out, out_count,
                         out_capped);
  unlock(s);
  return rv;
}

int cn_cookie_request_header(struct cn_cookie_store *s,
                             const struct cn_cookie_origin *o,
                             const char *extra, char **out_value) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  size_t count = 0;
  bool capped = false;
  int rv = CN_OK;
  if (s)
    rv = cn_cookie_store_header_for(s, o->host, o->path, o->secure, o->log,
                                    &b, &count, &capped);
  if (rv == CN_OK && extra && !capped) {
    if (count)
      rv = cn_buf_append_str(&b, "; ");
    if (rv == CN_OK)
      rv = cn_buf_append_str(&b, extra);
    count++;
  }
  char *value = NULL;
  if (rv == CN_OK && count) {
    value = cn_buf_detach(&b);
    if (!value)
      rv = CN_ERR_OUT_OF_MEMORY;
  }
  cn_buf_cleanup(&b);
  if (rv == CN_OK)
    *out_value = value;
  return rv;
}

/* ---- maintenance and listing ---- */

void cn_cookie_store_remove_expired(struct cn_cookie_store *s) {
  lock(s);
  remove_expired(s);
  unlock(s);
}

void cn_cookie_store_clear_all(struct cn_cookie_store *s) {
  lock(s);
  clear_all(s);
  unlock(s);
}

void cn_cookie_store_clear_session(struct cn_cookie_store *s) {
  lock(s);
  for (size_t i = 0; i < NUM_BUCKETS; i++) {
    struct cn_cookie *co = s->buckets[i].head;
    while (co) {
      struct cn_cookie *next = co->next;
      if (!co->expires) {
        unlink_cookie(&s->buckets[i], co);
        cn_cookie_free(co);
        s->num--;
      }
      co = next;
    }
  }
  unlock(s);
}

size_t cn_cookie_store_count(struct cn_cookie_store *s) {
  lock(s);
  size_t n = s->num;
  unlock(s);
  return n;
}

void cn_cookie_lines_free(char **lines, size_t num) {
  if (!lines)
    return;
  for (size_t i = 0; i < num; i++)
    cn_free(lines[i]);
  cn_free(lines);
}

static int lines_locked(struct cn_cookie_store *s, bool for_file,
                        char ***out_lines, size_t *out_num) {
  if (for_file)
    remove_expired(s);
  if (!s->num) {
    *out_lines = NULL;
    *out_num = 0;
    return CN_OK;
  }
  int rv = CN_ERR_OUT_OF_MEMORY;
  struct cn_cookie **list = cn_malloc(s->num * sizeof(*list));
  char **lines = cn_calloc(s->num, sizeof(*lines));
  size_t n = 0;
  if (!list || !lines)
    goto out;
  for (size_t i = 0; i < NUM_BUCKETS; i++) {
    for (struct cn_cookie *co = s->buckets[i].head; co; co = co->next) {
      if (co->domain) /* cookies without a domain cannot be written */
        list[n++] = co;
    }
  }
  if (for_file)
    qsort(list, n, sizeof(*list), newest_first);
  for (size_t i = 0; i < n; i++) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    if (cn_cookie_format_netscape(&b, list[i]) != CN_OK ||
        !(lines[i] = cn_buf_detach(&b))) {
      cn_buf_cleanup(&b);
      goto out;
    }
    cn_buf_cleanup(&b);
  }
  *out_lines = lines;
  *out_num = n;
  lines = NULL;
  rv = CN_OK;
out:
  cn_cookie_lines_free(lines, n);
  cn_free(list);
  return rv;
}

int cn_cookie_store_netscape_lines(struct cn_cookie_store *s, bool for_file,
                                   char ***out_lines, size_t *out_num) {
  lock(s);
  int rv = lines_locked(s, for_file, out_lines, out_num);
  unlock(s);
  return rv;
}

void cn_cookie_store_foreach(struct cn_cookie_store *s,
                             void (*fn)(void *ctx, const struct cn_cookie *co),
                             void *ctx) {
  lock(s);
  for (size_t i = 0; i < NUM_BUCKETS; i++) {
    for (struct cn_cookie *co = s->buckets[i].head; co; co = co->next)
      fn(ctx, co);
  }
  unlock(s);
}
