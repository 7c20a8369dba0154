/* cookie_parser.c: Set-Cookie values and Netscape cookie-file lines, with
 * the quirks libcurl 8.14 has (they are what curl's tests and existing
 * cookie jars expect), noted where they are not obvious. */
#include "cookies/cookie_parser.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/parsedate.h"

static char raw_upper(char c) {
  return (c >= 'a' && c <= 'z') ? (char)(c - ('a' - 'A')) : c;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool cn_cookie_strcaseeq(const char *a, const char *b) {
  while (*a) {
    if (raw_upper(*a) != raw_upper(*b))
      return false;
    a++;
    b++;
  }
  return !*a == !*b;
}

bool cn_cookie_strncaseeq(const char *a, const char *b, size_t n) {
  while (*a && n) {
    if (raw_upper(*a) != raw_upper(*b))
      return false;
    n--;
    a++;
    b++;
  }
  if (n == 0)
    return true;
  return raw_upper(*a) == raw_upper(*b);
}

/* word_is: the |len| bytes at |s| are |word|, case-insensitively. */
static bool word_is(const char *s, size_t len, const char *word) {
  return len == strlen(word) && cn_cookie_strncaseeq(s, word, len);
}

bool cn_cookie_host_is_ip(const char *host) {
  unsigned char addr[16];
  return inet_pton(AF_INET, host, addr) > 0 ||
         inet_pton(AF_INET6, host, addr) > 0;
}

bool cn_cookie_tailmatch(const char *domain, size_t len, const char *host) {
  size_t hlen = strlen(host);
  if (hlen < len)
    return false;
  if (!cn_cookie_strncaseeq(domain, host + hlen - len, len))
    return false;
  /* "example.com" covers example.com and *.example.com (RFC 6265 4.1.2.3),
   * but not badexample.com. */
  return hlen == len || host[hlen - len - 1] == '.';
}

bool cn_cookie_pathmatch(const char *spath, const char *path) {
  size_t clen = strlen(spath);
  if (clen == 1)
    return true; /* "/" */
  if (!path[0] || path[0] != '/')
    path = "/";
  /* libcurl deliberately does not cut the request path at its last '/'
   * (RFC 6265 5.1.4 step 4): "/hoge" is a directory for such servers. */
  size_t plen = strlen(path);
  if (plen < clen || strncmp(spath, path, clen) != 0)
    return false;
  return plen == clen || path[clen] == '/';
}

char *cn_cookie_sanitize_path(const char *path) {
  size_t len = strlen(path);
  if (path[0] == '"') {
    path++;
    len--;
  }
  if (len && path[len - 1] == '"')
    len--;
  if (path[0] != '/')
    return cn_strdup("/");
  /* "/hoge/" matches like "/hoge"; "/" stays (Debian's fix of 8.14). */
  if (len > 1 && path[len - 1] == '/')
    len--;
  return cn_strndup(path, len);
}

void cn_cookie_free_contents(struct cn_cookie *co) {
  cn_free(co->name);
  cn_free(co->value);
  cn_free(co->path);
  cn_free(co->spath);
  cn_free(co->domain);
  memset(co, 0, sizeof(*co));
}

void cn_cookie_free(struct cn_cookie *co) {
  if (!co)
    return;
  cn_cookie_free_contents(co);
  cn_free(co);
}

/* store replaces *dst with a copy of |len| bytes of |src| (last wins for
 * repeated attributes). False when out of memory. */
static bool store(char **dst, const char *src, size_t len) {
  cn_free(*dst);
  *dst = cn_strndup(src, len);
  return *dst != NULL;
}

static bool set_path(struct cn_cookie *co, const char *src, size_t len) {
  if (!store(&co->path, src, len))
    return false;
  cn_free(co->spath);
  co->spath = cn_cookie_sanitize_path(co->path);
  return co->spath != NULL;
}

/* RFC 6265 allows far less in a cookie, but browsers take spaces, commas and
 * quotes; what libcurl refuses are control bytes (other than TAB) and DEL,
 * since servers answer 400 to requests carrying them. */
static bool invalid_octets(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p != '\t' && *p < 0x20) || *p == 0x7f)
      return true;
  }
  return false;
}

/* cap_expires keeps an expiry within 400 days (RFC 6265bis), rounded to a
 * minute so that tests can predict it. */
static void cap_expires(int64_t now, struct cn_cookie *co) {
  if (INT64_MAX - CN_COOKIE_MAX_AGE_S - 30 > now) {
    int64_t cap = now + CN_COOKIE_MAX_AGE_S;
    if (co->expires > cap)
      co->expires = ((cap + 30) / 60) * 60;
  }
}

/* parse_number reads leading decimal digits as libcurl's str_number does:
 * 0 digits -> NO_NUM (false, *overflow false), too large -> *overflow. */
static bool parse_number(const char *s, int64_t *out, bool *overflow) {
  int64_t num = 0;
  *overflow = false;
  if (*s < '0' || *s > '9')
    return false;
  do {
    int d = *s++ - '0';
    if (num > (INT64_MAX - d) / 10) {
      *overflow = true;
      return false;
    }
    num = num * 10 + d;
  } while (*s >= '0' && *s <= '9');
  *out = num;
  return true;
}

static void parse_max_age(struct cn_cookie *co, const char *val,
                          int64_t now) {
  if (*val == '"')
    val++;
  int64_t n = 0;
  bool overflow;
  if (parse_number(val, &n, &overflow)) {
    if (n == 0)
      co->expires = 1; /* already expired */
    else if (INT64_MAX - now < n)
      co->expires = INT64_MAX;
    else
      co->expires = n + now;
  } else if (overflow) {
    co->expires = INT64_MAX;
  } else {
    co->expires = 1; /* negative or not a number: expire */
  }
  cap_expires(now, co);
}

static void parse_expires(struct cn_cookie *co, const char *val, size_t len,
                          int64_t now) {
  /* Max-Age has priority; a second Expires does not override the first. */
  if (co->expires || len >= CN_COOKIE_MAX_DATE)
    return;
  char date[CN_COOKIE_MAX_DATE + 1];
  memcpy(date, val, len);
  date[len] = '\0';
  time_t t;
  int64_t e;
  if (cn_parsedate(date, &t))
    e = (t == (time_t)-1) ? 0 : (int64_t)t; /* libcurl's getdate_capped */
  else
    e = -1;
  /* 0 means "session", so the epoch itself becomes 1 (expired); dates
   * before 1970 and unparsable ones leave a session cookie. */
  if (e == 0)
    co->expires = 1;
  else if (e < 0)
    co->expires = 0;
  else
    co->expires = e;
  cap_expires(now, co);
}

static enum cn_cookie_samesite samesite_of(const char *v, size_t len) {
  if (word_is(v, len, "strict"))
    return CN_COOKIE_SAMESITE_STRICT;
  if (word_is(v, len, "lax"))
    return CN_COOKIE_SAMESITE_LAX;
  if (word_is(v, len, "none"))
    return CN_COOKIE_SAMESITE_NONE;
  return CN_COOKIE_SAMESITE_OTHER;
}

/* parse_domain handles a non-empty Domain attribute. |val| points into the
 * NUL-terminated line. */
static enum cn_cookie_status parse_domain(struct cn_cookie *co,
                                          const struct cn_cookie_parse_ctx *ctx,
                                          const char *val, size_t len) {
  if (*val == '.') {
    val++;
    len--;
  }
  /* Without a request host libcurl tests the rest of the line from the
   * value on, so "domain=1.2.3.4" counts as an IP address only when nothing
   * follows it. Kept for identical cookie jars. */
  bool is_ip = cn_cookie_host_is_ip(ctx->domain ? ctx->domain : val);
  bool ok;
  if (!ctx->domain)
    ok = true;
  else if (is_ip)
    ok = len == strlen(ctx->domain) && strncmp(val, ctx->domain, len) == 0;
  else
    ok = cn_cookie_tailmatch(val, len, ctx->domain);
  if (!ok) {
    cn_net_log_text(ctx->log, "skipped cookie with bad tailmatch domain: %.*s",
                    (int)len, val);
    return CN_COOKIE_NO_TAILMATCH;
  }
  if (!store(&co->domain, val, len))
    return CN_COOKIE_OUT_OF_MEMORY;
  if (!is_ip)
    co->tailmatch = true;
  return CN_COOKIE_OK;
}

/* One "name[=value]" pair of the line. */
struct pair {
  const char *name;
  size_t nlen;
  const char *val;
  size_t vlen;
  bool sep; /* a '=' followed the name */
};

static void trim(const char **s, size_t *len) {
  while (*len && is_blank(**s)) {
    (*s)++;
    (*len)--;
  }
  while (*len && is_blank((*s)[*len - 1]))
    (*len)--;
}

static enum cn_cookie_status apply_pair(struct cn_cookie *co,
                                        const struct cn_cookie_parse_ctx *ctx,
                                        const struct pair *p) {
  if (p->nlen >= CN_COOKIE_MAX_NAME - 1 || p->vlen >= CN_COOKIE_MAX_NAME - 1 ||
      p->nlen + p->vlen > CN_COOKIE_MAX_NAME) {
    cn_net_log_text(ctx->log, "oversized cookie dropped, name/val %zu + %zu "
                    "bytes", p->nlen, p->vlen);
    return CN_COOKIE_TOO_BIG;
  }
  /* libcurl tests every pair's name, attributes included, and compares the
   * raw bytes from the name's start, so the test is case-sensitive and a
   * "__Secure-x" attribute also marks the cookie. */
  if (strncmp("__Secure-", p->name, 9) == 0)
    co->prefix_secure = true;
  else if (strncmp("__Host-", p->name, 7) == 0)
    co->prefix_host = true;

  bool done = false;
  if (!co->name) {
    if (!p->sep)
      return CN_COOKIE_NO_SEP;
    if (!store(&co->name, p->name, p->nlen) ||
        !store(&co->value, p->val, p->vlen))
      return CN_COOKIE_OUT_OF_MEMORY;
    if (invalid_octets(co->value) || invalid_octets(co->name)) {
      cn_net_log_text(ctx->log, "invalid octets in name/value, cookie dropped");
      return CN_COOKIE_INVALID_OCTET;
    }
    return CN_COOKIE_OK;
  }
  if (!p->vlen) {
    /* "secure", "secure=" and "httponly(=)" are flags; "secure=yes" is an
     * unknown attribute. */
    done = true;
    if (word_is(p->name, p->nlen, "secure")) {
      /* Only a secure origin (or a file) may set a secure cookie. */
      if (ctx->secure || !ctx->live)
        co->secure = true;
      else
        return CN_COOKIE_BAD_SECURE;
    } else if (word_is(p->name, p->nlen, "httponly")) {
      co->httponly = true;
    } else if (p->sep) {
      done = false;
    }
  }
  if (done)
    return CN_COOKIE_OK;
  if (word_is(p->name, p->nlen, "path")) {
    if (!set_path(co, p->val, p->vlen))
      return CN_COOKIE_OUT_OF_MEMORY;
  } else if (word_is(p->name, p->nlen, "domain") && p->vlen) {
    return parse_domain(co, ctx, p->val, p->vlen);
  } else if (word_is(p->name, p->nlen, "max-age") && p->vlen) {
    parse_max_age(co, p->val, ctx->now);
  } else if (word_is(p->name, p->nlen, "expires") && p->vlen) {
    parse_expires(co, p->val, p->vlen, ctx->now);
  } else if (word_is(p->name, p->nlen, "samesite") && p->vlen) {
    co->samesite = samesite_of(p->val, p->vlen);
  }
  /* "version" and unknown attributes are ignored. */
  return CN_COOKIE_OK;
}

enum cn_cookie_status cn_cookie_parse_header(
    struct cn_cookie *co, const struct cn_cookie_parse_ctx *ctx,
    const char *line) {
  const char *ptr = line;
  if (strlen(ptr) > CN_COOKIE_MAX_LINE)
    return CN_COOKIE_TOO_LONG;
  for (;;) {
    size_t n = strcspn(ptr, ";\t\r\n=");
    /* An empty name (";;", "=v") is skipped, not an error: only what
     * follows decides, as in libcurl's loop. */
    if (n) {
      struct pair p = {ptr, n, "", 0, false};
      ptr += n;
      trim(&p.name, &p.nlen);
      if (*ptr == '=') {
        ptr++;
        p.sep = true;
        size_t v = strcspn(ptr, ";\r\n");
        if (v) {
          p.val = ptr;
          p.vlen = v;
          ptr += v;
          trim(&p.val, &p.vlen);
          if (memchr(p.val, '\t', p.vlen)) {
            cn_net_log_text(ctx->log, "cookie contains TAB, dropping");
            return CN_COOKIE_TAB;
          }
        }
      }
      enum cn_cookie_status st = apply_pair(co, ctx, &p);
      if (st != CN_COOKIE_OK)
        return st;
    }
    if (*ptr != ';')
      break;
    ptr++;
  }

  if (!co->domain && ctx->domain) {
    co->domain = cn_strdup(ctx->domain);
    if (!co->domain)
      return CN_COOKIE_OUT_OF_MEMORY;
  }
  if (!co->path && ctx->path) {
    /* The default path is the request path up to and including its last
     * slash ("/we/want/31" -> "/we/want/"). */
    const char *slash = strrchr(ctx->path, '/');
    if (slash && !set_path(co, ctx->path, (size_t)(slash - ctx->path) + 1))
      return CN_COOKIE_OUT_OF_MEMORY;
  }
  if (!co->name)
    return CN_COOKIE_NO_NAME;
  return CN_COOKIE_OK;
}

enum cn_cookie_status cn_cookie_parse_netscape(
    struct cn_cookie *co, const struct cn_cookie_parse_ctx *ctx,
    const char *line) {
  /* Firefox marks HttpOnly cookies with a "#HttpOnly_" prefix. */
  if (strncmp(line, "#HttpOnly_", 10) == 0) {
    line += 10;
    co->httponly = true;
  }
  if (line[0] == '#')
    return CN_COOKIE_COMMENT;

  int fields = 0;
  for (const char *next = line; next; fields++) {
    const char *ptr = next;
    size_t len = strcspn(ptr, "\t\r\n");
    next = ptr[len] == '\t' ? ptr + len + 1 : NULL;
    switch (fields) {
    case 0:
      if (ptr[0] == '.') {
        ptr++;
        len--;
      }
      if (!store(&co->domain, ptr, len))
        return CN_COOKIE_OUT_OF_MEMORY;
      break;
    case 1:
      /* The comparisons below are libcurl's strncasecompare over the
       * field's length: "T" counts as TRUE, and so does an empty field. */
      co->tailmatch = cn_cookie_strncaseeq(ptr, "TRUE", len);
      break;
    case 2:
      /* Old files may lack the path: a field that reads like a boolean is
       * taken as the secure flag and the path is "/". */
      if (strncmp("TRUE", ptr, len) != 0 && strncmp("FALSE", ptr, len) != 0) {
        if (!set_path(co, ptr, len))
          return CN_COOKIE_OUT_OF_MEMORY;
        break;
      }
      if (!store(&co->path, "/", 1) || !store(&co->spath, "/", 1))
        return CN_COOKIE_OUT_OF_MEMORY;
      fields++;
      /* fall through */
    case 3:
      co->secure = false;
      if (cn_cookie_strncaseeq(ptr, "TRUE", len)) {
        if (ctx->secure || ctx->live)
          co->secure = true;
        else
          return CN_COOKIE_BAD_SECURE;
      }
      break;
    case 4: {
      bool overflow;
      if (!parse_number(ptr, &co->expires, &overflow))
        return CN_COOKIE_BAD_EXPIRES;
      break;
    }
    case 5:
      if (!store(&co->name, ptr, len))
        return CN_COOKIE_OUT_OF_MEMORY;
      /* Unlike in headers, the file format's prefix test ignores case. */
      if (cn_cookie_strncaseeq("__Secure-", co->name, 9))
        co->prefix_secure = true;
      else if (cn_cookie_strncaseeq("__Host-", co->name, 7))
        co->prefix_host = true;
      break;
    case 6:
      if (!store(&co->value, ptr, len))
        return CN_COOKIE_OUT_OF_MEMORY;
      break;
    default:
      break;
    }
  }
  if (fields == 6) {
    /* A cookie with a blank value. */
    if (!store(&co->value, "", 0))
      return CN_COOKIE_OUT_OF_MEMORY;
    fields++;
  }
  if (fields != 7)
    return CN_COOKIE_FIELDS;
  return CN_COOKIE_OK;
}

int cn_cookie_format_netscape(struct cn_buf *out, const struct cn_cookie *co) {
  /* Domains that allow tail matching get a leading dot (Mozilla style). */
  bool dot = co->tailmatch && co->domain && co->domain[0] != '.';
  return cn_buf_printf(out, "%s%s%s\t%s\t%s\t%s\t%" PRId64 "\t%s\t%s",
                       co->httponly ? "#HttpOnly_" : "", dot ? "." : "",
                       co->domain ? co->domain : "unknown",
                       co->tailmatch ? "TRUE" : "FALSE",
                       co->path ? co->path : "/",
                       co->secure ? "TRUE" : "FALSE", co->expires, co->name,
                       co->value ? co->value : "");
}
