/* hsts_store.c: libcurl's HSTS cache rules (lib/hsts.c) as a plain list. */
#include "url_request/hsts_store.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/parsedate.h"

struct entry {
  char *host;
  bool include_subdomains;
  int64_t expires;
};

struct cn_hsts_store {
  struct entry *v;
  size_t num, cap;
  cn_hsts_store_lock_fn lock;
  void *lock_arg;
};

static void lock(struct cn_hsts_store *s) {
  if (s->lock)
    s->lock(s->lock_arg, true);
}

static void unlock(struct cn_hsts_store *s) {
  if (s->lock)
    s->lock(s->lock_arg, false);
}

struct cn_hsts_store *cn_hsts_store_new(void) {
  return cn_calloc(1, sizeof(struct cn_hsts_store));
}

void cn_hsts_store_free(struct cn_hsts_store *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->num; i++)
    cn_free(s->v[i].host);
  cn_free(s->v);
  cn_free(s);
}

void cn_hsts_store_set_lock(struct cn_hsts_store *s, cn_hsts_store_lock_fn fn,
                            void *arg) {
  s->lock = fn;
  s->lock_arg = arg;
}

static void remove_at(struct cn_hsts_store *s, size_t i) {
  cn_free(s->v[i].host);
  memmove(&s->v[i], &s->v[i + 1], (s->num - i - 1) * sizeof(*s->v));
  s->num--;
}

static void drop_expired(struct cn_hsts_store *s, int64_t now) {
  for (size_t i = 0; i < s->num;) {
    if (s->v[i].expires <= now)
      remove_at(s, i);
    else
      i++;
  }
}

/* find returns the entry for |host| (|len| bytes, trailing dot already
 * gone), or with |subdomains| the entry of the longest parent domain that
 * includes subdomains; -1 if none. */
static long find(struct cn_hsts_store *s, const char *host, size_t len,
                 bool subdomains, int64_t now) {
  drop_expired(s, now);
  long best = -1;
  size_t best_len = 0;
  for (size_t i = 0; i < s->num; i++) {
    const struct entry *e = &s->v[i];
    size_t n = strlen(e->host);
    if (n == len && strncasecmp(host, e->host, len) == 0)
      return (long)i;
    if (subdomains && e->include_subdomains && n < len &&
        host[len - n - 1] == '.' &&
        strncasecmp(host + len - n, e->host, n) == 0 && n > best_len) {
      best = (long)i;
      best_len = n;
    }
  }
  return best;
}

static size_t trimmed_len(const char *host) {
  size_t len = strlen(host);
  if (len && host[len - 1] == '.')
    len--;
  return len;
}

bool cn_hsts_store_lookup(struct cn_hsts_store *s, const char *host,
                          bool subdomains, int64_t now) {
  size_t len = strlen(host);
  if (!s || !len || len > CN_HSTS_MAX_HOST)
    return false;
  lock(s);
  bool known = find(s, host, trimmed_len(host), subdomains, now) >= 0;
  unlock(s);
  return known;
}

static int create(struct cn_hsts_store *s, const char *host, size_t len,
                  bool include_subdomains, int64_t expires) {
  if (!len)
    return CN_OK;
  if (s->num == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    struct entry *v = cn_realloc(s->v, cap * sizeof(*v));
    if (!v)
      return CN_ERR_OUT_OF_MEMORY;
    s->v = v;
    s->cap = cap;
  }
  char *copy = cn_strndup(host, len);
  if (!copy)
    return CN_ERR_OUT_OF_MEMORY;
  s->v[s->num++] = (struct entry){copy, include_subdomains, expires};
  return CN_OK;
}

static bool is_ip(const char *host) {
  char buf[64];
  size_t len = strlen(host);
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']' &&
      len - 2 < sizeof(buf)) {
    memcpy(buf, host + 1, len - 2);
    buf[len - 2] = '\0';
    host = buf;
  }
  unsigned char addr[16];
  return inet_pton(AF_INET, host, addr) == 1 ||
         inet_pton(AF_INET6, host, addr) == 1;
}

static const char *skip_blanks(const char *p) {
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* parse_max_age reads "= N" or "= \"N\"" after the directive name. */
static bool parse_max_age(const char **pp, int64_t *out) {
  const char *p = skip_blanks(*pp);
  if (*p++ != '=')
    return false;
  p = skip_blanks(p);
  bool quoted = *p == '"';
  if (quoted)
    p++;
  if (*p < '0' || *p > '9')
    return false;
  int64_t v = 0;
  for (; *p >= '0' && *p <= '9'; p++)
    v = v > (INT64_MAX - 9) / 10 ? INT64_MAX : v * 10 + (*p - '0');
  if (quoted && *p++ != '"')
    return false;
  *out = v;
  *pp = p;
  return true;
}

/* apply_directives sets, refreshes or (max-age 0) removes |host|'s entry;
 * false when out of memory. Runs under the lock. */
static bool apply_directives(struct cn_hsts_store *s, const char *host,
                             int64_t max_age, bool subdomains, int64_t now) {
  size_t len = trimmed_len(host);
  long i = find(s, host, len, false, now);
  if (!max_age) {
    if (i >= 0)
      remove_at(s, (size_t)i);
    return true;
  }
  int64_t expires = INT64_MAX - now < max_age ? INT64_MAX : now + max_age;
  if (i >= 0) {
    s->v[i].expires = expires;
    s->v[i].include_subdomains = subdomains;
    return true;
  }
  return create(s, host, len, subdomains, expires) == CN_OK;
}

bool cn_hsts_store_parse_header(struct cn_hsts_store *s, const char *host,
                                const char *value, int64_t now) {
  if (is_ip(host))
    return true; /* RFC 6797: IP addresses are never HSTS hosts */
  const char *p = value;
  int64_t max_age = 0;
  bool got_max_age = false, subdomains = false;
  do {
    p = skip_blanks(p);
    if (strncasecmp(p, "max-age", 7) == 0) {
      p += 7;
      if (got_max_age || !parse_max_age(&p, &max_age))
        return false;
      got_max_age = true;
    } else if (strncasecmp(p, "includesubdomains", 17) == 0) {
      if (subdomains)
        return false;
      subdomains = true;
      p += 17;
    } else {
      while (*p && *p != ';')
        p++; /* an unknown directive */
    }
    p = skip_blanks(p);
    if (*p == ';')
      p++;
  } while (*p);
  if (!got_max_age)
    return false;
  lock(s);
  bool ok = apply_directives(s, host, max_age, subdomains, now);
  unlock(s);
  return ok;
}

static int add_locked(struct cn_hsts_store *s, const char *host,
                      bool include_subdomains, int64_t expires, int64_t now) {
  size_t len = trimmed_len(host);
  if (!len || len > CN_HSTS_MAX_HOST)
    return CN_OK;
  long i = find(s, host, len, include_subdomains, now);
  if (i < 0)
    return create(s, host, len, include_subdomains, expires);
  /* Known already; for the very same name keep the later expiry. */
  struct entry *e = &s->v[i];
  if (strlen(e->host) == len && strncasecmp(e->host, host, len) == 0 &&
      expires > e->expires)
    e->expires = expires;
  return CN_OK;
}

int cn_hsts_store_add(struct cn_hsts_store *s, const char *host,
                      bool include_subdomains, int64_t expires, int64_t now) {
  lock(s);
  int rv = add_locked(s, host, include_subdomains, expires, now);
  unlock(s);
  return rv;
}

int cn_hsts_store_load_line(struct cn_hsts_store *s, const char *line,
                            int64_t now) {
  const char *p = skip_blanks(line);
  if (*p == '#' || *p == '\0' || *p == '\n' || *p == '\r')
    return CN_OK;
  const char *host = p;
  while (*p && *p != ' ' && *p != '\t' && *p != '\n')
    p++;
  size_t host_len = (size_t)(p - host);
  if (*p != ' ' || p[1] != '"' || !host_len || host_len > CN_HSTS_MAX_HOST)
    return CN_OK;
  const char *date = p + 2;
  const char *end = strchr(date, '"');
  if (!end || (size_t)(end - date) > 63)
    return CN_OK;
  const char *rest = end + 1;
  if (*rest && *rest != '\n' && *rest != '\r')
    return CN_OK;
  char dbuf[64];
  memcpy(dbuf, date, (size_t)(end - date));
  dbuf[end - date] = '\0';
  int64_t expires = CN_HSTS_UNLIMITED;
  if (strcmp(dbuf, "unlimited") != 0) {
    time_t t = 0;
    expires = cn_parsedate(dbuf, &t) ? (int64_t)t : 0;
  }
  bool subdomains = host[0] == '.';
  if (subdomains) {
    host++;
    host_len--;
  }
  char *h = cn_strndup(host, host_len);
  if (!h)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_hsts_store_add(s, h, subdomains, expires, now);
  cn_free(h);
  return rv;
}

void cn_hsts_format_expiry(int64_t expires, char *out, size_t out_len) {
  struct tm tm;
  time_t t = (time_t)expires;
  if (expires == CN_HSTS_UNLIMITED || !gmtime_r(&t, &tm)) {
    snprintf(out, out_len, "unlimited");
    return;
  }
  snprintf(out, out_len, "%d%02d%02d %02d:%02d:%02d", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int cn_hsts_store_save(struct cn_hsts_store *s, struct cn_buf *out,
                       int64_t now) {
  lock(s);
  drop_expired(s, now);
  int rv = cn_buf_append_str(out,
                             "# Your HSTS cache. https://curl.se/docs/hsts.html\n"
                             "# This file was generated by libcurl! Edit at "
                             "your own risk.\n");
  for (size_t i = 0; rv == CN_OK && i < s->num; i++) {
    char when[40];
    cn_hsts_format_expiry(s->v[i].expires, when, sizeof(when));
    rv = cn_buf_printf(out, "%s%s \"%s\"\n",
                       s->v[i].include_subdomains ? "." : "", s->v[i].host,
                       when);
  }
  unlock(s);
  return rv;
}

size_t cn_hsts_store_count(struct cn_hsts_store *s, int64_t now) {
  lock(s);
  drop_expired(s, now);
  size_t num = s->num;
  unlock(s);
  return num;
}

struct cn_hsts_store *cn_hsts_store_copy(struct cn_hsts_store *s,
                                         int64_t now) {
  struct cn_hsts_store *c = cn_hsts_store_new();
  if (!c)
    return NULL;
  int rv = CN_OK;
  lock(s);
  drop_expired(s, now);
  for (size_t i = 0; rv == CN_OK && i < s->num; i++)
    rv = create(c, s->v[i].host, strlen(s->v[i].host),
                s->v[i].include_subdomains, s->v[i].expires);
  unlock(s);
  if (rv != CN_OK) {
    cn_hsts_store_free(c);
    return NULL;
  }
  return c;
}

bool cn_hsts_store_entry(const struct cn_hsts_store *s, size_t i,
                         struct cn_hsts_entry *out) {
  if (i >= s->num)
    return false;
  out->host = s->v[i].host;
  out->include_subdomains = s->v[i].include_subdomains;
  out->expires = s->v[i].expires;
  return true;
}
