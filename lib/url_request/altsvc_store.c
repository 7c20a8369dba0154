/* altsvc_store.c: libcurl's alt-svc cache rules (lib/altsvc.c). */
#include "url_request/altsvc_store.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"

/* libcurl's default max age of an alternative: 24 hours. */
#define DEFAULT_MAX_AGE (24 * 3600)
#define MAX_HOST 512

struct entry {
  int src_alpn, dst_alpn;
  char *src_host, *dst_host;
  int src_port, dst_port;
  int64_t expires;
  bool persist;
};

struct cn_altsvc_store {
  struct entry *v;
  size_t num, cap;
};

struct cn_altsvc_store *cn_altsvc_store_new(void) {
  return cn_calloc(1, sizeof(struct cn_altsvc_store));
}

static void entry_free(struct entry *e) {
  cn_free(e->src_host);
  cn_free(e->dst_host);
}

void cn_altsvc_store_free(struct cn_altsvc_store *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->num; i++)
    entry_free(&s->v[i]);
  cn_free(s->v);
  cn_free(s);
}

static void remove_at(struct cn_altsvc_store *s, size_t i) {
  entry_free(&s->v[i]);
  memmove(&s->v[i], &s->v[i + 1], (s->num - i - 1) * sizeof(*s->v));
  s->num--;
}

static void drop_expired(struct cn_altsvc_store *s, int64_t now) {
  for (size_t i = 0; i < s->num;) {
    if (s->v[i].expires <= now)
      remove_at(s, i);
    else
      i++;
  }
}

int cn_altsvc_alpn_id(const char *name, size_t len) {
  if (len == 2 && strncasecmp(name, "h1", 2) == 0)
    return CN_ALTSVC_H1;
  if (len == 2 && strncasecmp(name, "h2", 2) == 0)
    return CN_ALTSVC_H2;
  if (len == 2 && strncasecmp(name, "h3", 2) == 0)
    return CN_ALTSVC_H3;
  return 0;
}

static const char *alpn_name(int id) {
  return id == CN_ALTSVC_H1 ? "h1" : id == CN_ALTSVC_H2 ? "h2" : "h3";
}

static bool same_origin(const struct entry *e, int alpn, const char *host,
                        int port) {
  return e->src_alpn == alpn && e->src_port == port &&
         strcasecmp(e->src_host, host) == 0;
}

static void flush_origin(struct cn_altsvc_store *s, int alpn,
                         const char *host, int port) {
  for (size_t i = 0; i < s->num;) {
    if (same_origin(&s->v[i], alpn, host, port))
      remove_at(s, i);
    else
      i++;
  }
}

/* add appends an entry; |dst_host| is |dst_len| bytes. */
static int add(struct cn_altsvc_store *s, int src_alpn, const char *src_host,
               int src_port, int dst_alpn, const char *dst_host,
               size_t dst_len, int dst_port, int64_t expires, bool persist) {
  if (s->num == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    struct entry *v = cn_realloc(s->v, cap * sizeof(*v));
    if (!v)
      return CN_ERR_OUT_OF_MEMORY;
    s->v = v;
    s->cap = cap;
  }
  struct entry e = {src_alpn, dst_alpn, cn_strdup(src_host),
                    cn_strndup(dst_host, dst_len), src_port, dst_port,
                    expires, persist};
  if (!e.src_host || !e.dst_host) {
    entry_free(&e);
    return CN_ERR_OUT_OF_MEMORY;
  }
  s->v[s->num++] = e;
  return CN_OK;
}

static const char *skip_blanks(const char *p) {
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* trim gives [*start, *end) without surrounding blanks. */
static void trim(const char **start, const char **end) {
  while (*start < *end && (**start == ' ' || **start == '\t'))
    (*start)++;
  while (*end > *start && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
    (*end)--;
}

/* parse_params reads the "; ma=N; persist=1" part after the first
 * alternative; libcurl applies them to every alternative of the line. */
static void parse_params(const char *p, int64_t *max_age, bool *persist) {
  const char *sp = strchr(p, ';');
  while (sp) {
    sp++;
    const char *eq = strchr(sp, '=');
    if (!eq)
      return;
    const char *name = sp, *name_end = eq;
    trim(&name, &name_end);
    const char *v = skip_blanks(eq + 1);
    if (*v == '"')
      v++;
    if (*v >= '0' && *v <= '9') {
      int64_t n = 0;
      for (; *v >= '0' && *v <= '9'; v++)
        n = n > (INT64_MAX - 9) / 10 ? INT64_MAX : n * 10 + (*v - '0');
      size_t nl = (size_t)(name_end - name);
      if (nl == 2 && strncasecmp(name, "ma", 2) == 0)
        *max_age = n;
      else if (nl == 7 && strncasecmp(name, "persist", 7) == 0 && n == 1)
        *persist = true;
    }
    sp = strchr(eq, ';');
    const char *comma = strchr(eq, ',');
    if (comma && (!sp || comma < sp))
      return; /* the next alternative starts */
  }
}

int cn_altsvc_store_parse_header(struct cn_altsvc_store *s, const char *value,
                                 int src_alpn, const char *src_host,
                                 int src_port, int64_t now) {
  const char *p = skip_blanks(value);
  const char *end = p + strcspn(p, ";");
  const char *t = p;
  trim(&t, &end);
  if (end - t == 5 && strncasecmp(t, "clear", 5) == 0) {
    flush_origin(s, src_alpn, src_host, src_port);
    return CN_OK;
  }
  int64_t max_age = DEFAULT_MAX_AGE;
  bool persist = false;
  parse_params(p, &max_age, &persist);
  int64_t expires = max_age > INT64_MAX - now ? INT64_MAX : now + max_age;
  size_t added = 0;
  for (;;) {
    p = skip_blanks(p);
    const char *eq = strchr(p, '=');
    if (!eq)
      break;
    const char *name = p, *name_end = eq;
    trim(&name, &name_end);
    int dst_alpn = cn_altsvc_alpn_id(name, (size_t)(name_end - name));
    p = eq + 1;
    if (*p++ != '"')
      break;
    const char *host = src_host;
    size_t host_len = strlen(src_host);
    if (*p != ':') {
      bool v6 = *p == '[';
      if (v6)
        p++;
      host = p;
      while (*p && *p != (v6 ? ']' : ':') && *p != '"')
        p++;
      host_len = (size_t)(p - host);
      if (v6 && *p++ != ']')
        break;
      if (*p != ':' || !host_len || host_len > MAX_HOST)
        break;
    }
    p++; /* ':' */
    if (*p < '0' || *p > '9')
      break;
    long port = 0;
    for (; *p >= '0' && *p <= '9' && port <= 0xffff; p++)
      port = port * 10 + (*p - '0');
    if (port > 0xffff || *p++ != '"')
      break;
    if (dst_alpn) {
      if (!added++)
        flush_origin(s, src_alpn, src_host, src_port);
      int rv = add(s, src_alpn, src_host, src_port, dst_alpn, host, host_len,
                   (int)port, expires, persist);
      if (rv != CN_OK)
        return rv;
    }
    /* Parameters up to the comma that starts the next alternative. */
    while (*p && *p != ',')
      p++;
    if (*p != ',')
      break;
    p++;
  }
  return CN_OK;
}

bool cn_altsvc_store_lookup(struct cn_altsvc_store *s, int src_alpn,
                            const char *src_host, int src_port, int allowed,
                            int64_t now, struct cn_altsvc_entry *out) {
  if (!s)
    return false;
  drop_expired(s, now);
  for (size_t i = 0; i < s->num; i++) {
    const struct entry *e = &s->v[i];
    if (!same_origin(e, src_alpn, src_host, src_port) ||
        !(e->dst_alpn & allowed))
      continue;
    *out = (struct cn_altsvc_entry){e->src_alpn, e->src_host, e->src_port,
                                    e->dst_alpn, e->dst_host, e->dst_port,
                                    e->expires, e->persist};
    return true;
  }
  return false;
}

/* unbracket copies a host of the file, brackets removed. */
static void unbracket(char *host) {
  size_t n = strlen(host);
  if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
    memmove(host, host + 1, n - 2);
    host[n - 2] = '\0';
  }
}

int cn_altsvc_store_load_line(struct cn_altsvc_store *s, const char *line,
                              int64_t now) {
  const char *p = skip_blanks(line);
  if (*p == '#' || *p == '\0' || *p == '\n')
    return CN_OK;
  char src_alpn[11], src_host[MAX_HOST + 1], dst_alpn[11];
  char dst_host[MAX_HOST + 1], date[64];
  unsigned src_port, dst_port, persist = 0, prio = 0;
  if (sscanf(p, "%10s %512s %u %10s %512s %u \"%63[^\"]\" %u %u", src_alpn,
             src_host, &src_port, dst_alpn, dst_host, &dst_port, date,
             &persist, &prio) != 9)
    return CN_OK;
  int sa = cn_altsvc_alpn_id(src_alpn, strlen(src_alpn));
  int da = cn_altsvc_alpn_id(dst_alpn, strlen(dst_alpn));
  struct tm tm;
  memset(&tm, 0, sizeof(tm));
  if (!sa || !da || src_port > 0xffff || dst_port > 0xffff ||
      sscanf(date, "%4d%2d%2d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
             &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return CN_OK;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t expires = (int64_t)timegm(&tm);
  if (expires <= now)
    return CN_OK;
  unbracket(src_host);
  unbracket(dst_host);
  return add(s, sa, src_host, (int)src_port, da, dst_host, strlen(dst_host),
             (int)dst_port, expires, persist != 0);
}

static bool is_ipv6(const char *host) {
  unsigned char a[16];
  return inet_pton(AF_INET6, host, a) == 1;
}

int cn_altsvc_store_save(struct cn_altsvc_store *s, struct cn_buf *out,
                         int64_t now) {
  drop_expired(s, now);
  int rv = cn_buf_append_str(out,
                             "# Your alt-svc cache. "
                             "https://curl.se/docs/alt-svc.html\n"
                             "# This file was generated by libcurl! Edit at "
                             "your own risk.\n");
  for (size_t i = 0; rv == CN_OK && i < s->num; i++) {
    const struct entry *e = &s->v[i];
    struct tm tm;
    time_t t = (time_t)e->expires;
    if (!gmtime_r(&t, &tm))
      continue;
    bool s6 = is_ipv6(e->src_host), d6 = is_ipv6(e->dst_host);
    rv = cn_buf_printf(out,
                       "%s %s%s%s %d %s %s%s%s %d \"%d%02d%02d "
                       "%02d:%02d:%02d\" %u 0\n",
                       alpn_name(e->src_alpn), s6 ? "[" : "", e->src_host,
                       s6 ? "]" : "", e->src_port, alpn_name(e->dst_alpn),
                       d6 ? "[" : "", e->dst_host, d6 ? "]" : "",
                       e->dst_port, tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                       e->persist ? 1u : 0u);
  }
  return rv;
}
