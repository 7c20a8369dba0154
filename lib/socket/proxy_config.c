/* proxy_config.c: proxy strings, NOPROXY matching, the chain's key. */
#include "socket/proxy_config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tls/ssl_config.h"
#include "util/alloc.h"
#include "util/idna.h"
#include "util/url.h"

bool cn_proxy_type_is_socks(enum cn_proxy_type t) {
  return t == CN_PROXY_SOCKS4 || t == CN_PROXY_SOCKS4A ||
         t == CN_PROXY_SOCKS5 || t == CN_PROXY_SOCKS5H;
}

bool cn_proxy_type_is_http(enum cn_proxy_type t) {
  return t == CN_PROXY_HTTP || t == CN_PROXY_HTTP_1_0 || t == CN_PROXY_HTTPS;
}

/* --- proxy strings ------------------------------------------------------- */

static bool type_of_scheme(const char *scheme, enum cn_proxy_type *t) {
  static const struct {
    const char *name;
    enum cn_proxy_type type;
  } schemes[] = {
      {"https", CN_PROXY_HTTPS},     {"socks5h", CN_PROXY_SOCKS5H},
      {"socks5", CN_PROXY_SOCKS5},   {"socks4a", CN_PROXY_SOCKS4A},
      {"socks4", CN_PROXY_SOCKS4},   {"socks", CN_PROXY_SOCKS4},
  };
  for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
    if (strcasecmp(scheme, schemes[i].name) == 0) {
      *t = schemes[i].type;
      return true;
    }
  }
  /* "http" keeps the configured type (HTTP, HTTP/1.0 or even SOCKS). */
  return strcasecmp(scheme, "http") == 0;
}

static int decode(const char *in, char **out) {
  *out = NULL;
  if (!in)
    return CN_URL_OK;
  return cn_url_unescape(in, strlen(in), CN_URL_UNESCAPE_ALLOW_ALL, out,
                         NULL);
}

enum cn_proxy_parse_result cn_proxy_spec_parse(struct cn_proxy_spec *out,
                                               const char *spec,
                                               enum cn_proxy_type default_type) {
  struct cn_url u;
  struct cn_proxy_spec s;
  enum cn_proxy_parse_result res = CN_PROXY_PARSE_OK;
  memset(&s, 0, sizeof(s));
  cn_url_init(&u);
  int uv = cn_url_parse(&u, spec,
                        CN_URL_GUESS_SCHEME | CN_URL_NON_SUPPORT_SCHEME);
  if (uv == CN_URL_ERR_OUT_OF_MEMORY) {
    res = CN_PROXY_PARSE_OUT_OF_MEMORY;
    goto out;
  }
  if (uv != CN_URL_OK || !u.host || !*u.host) {
    res = CN_PROXY_PARSE_BAD_SYNTAX;
    goto out;
  }
  s.type = default_type;
  if (!type_of_scheme(u.scheme ? u.scheme : "http", &s.type)) {
    res = CN_PROXY_PARSE_BAD_SCHEME;
    goto out;
  }
  s.port = u.has_port ? u.port : -1;
  enum cn_idna_result ir = cn_idna_to_ascii(u.host, &s.host);
  if (ir != CN_IDNA_OK && ir != CN_IDNA_ERR_OUT_OF_MEMORY) {
    res = CN_PROXY_PARSE_BAD_HOST;
    goto out;
  }
  if (!s.host || decode(u.user, &s.user) != CN_URL_OK ||
      decode(u.password, &s.password) != CN_URL_OK) {
    res = CN_PROXY_PARSE_OUT_OF_MEMORY;
    goto out;
  }
  /* libcurl: a user name without a password gets an empty one. */
  if (s.user && !s.password && !(s.password = cn_strdup(""))) {
    res = CN_PROXY_PARSE_OUT_OF_MEMORY;
    goto out;
  }
  /* Only SOCKS proxies come over Unix sockets (as in libcurl). */
  if (cn_proxy_type_is_socks(s.type) && strcasecmp(s.host, "localhost") == 0 &&
      u.path && strcmp(u.path, "/") != 0 &&
      decode(u.path, &s.unix_path) != CN_URL_OK) {
    res = CN_PROXY_PARSE_OUT_OF_MEMORY;
    goto out;
  }
out:
  cn_url_cleanup(&u);
  if (res == CN_PROXY_PARSE_OK)
    *out = s;
  else
    cn_proxy_spec_cleanup(&s);
  return res;
}

void cn_proxy_spec_cleanup(struct cn_proxy_spec *s) {
  cn_free(s->host);
  cn_free(s->user);
  cn_free(s->password);
  cn_free(s->unix_path);
  memset(s, 0, sizeof(*s));
}

/* --- NOPROXY ------------------------------------------------------------- */

/* prefix_match: the first |bits| bits of |a| and |b| (|len| bytes) agree. */
static bool prefix_match(const unsigned char *a, const unsigned char *b,
                         size_t len, unsigned bits) {
  size_t bytes = bits / 8;
  unsigned rest = bits % 8;
  if (bytes > len || (bytes == len && rest))
    return false;
  if (memcmp(a, b, bytes) != 0)
    return false;
  if (rest) {
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    if ((a[bytes] ^ b[bytes]) & mask)
      return false;
  }
  return true;
}

/* ip_match: |pattern| ("addr" or "addr/bits") covers the address |ip| of
 * family |af|. */
static bool ip_match(int af, const unsigned char *ip, const char *pattern,
                     size_t len) {
  char buf[128];
  unsigned char net[16];
  size_t alen = af == AF_INET ? 4 : 16;
  if (len >= sizeof(buf))
    return false;
  memcpy(buf, pattern, len);
  buf[len] = '\0';
  unsigned bits = (unsigned)alen * 8;
  char *slash = strchr(buf, '/');
  if (slash) {
    *slash = '\0';
    char *end;
    unsigned long b = strtoul(slash + 1, &end, 10);
    if (*end || b > alen * 8)
      return false;
    /* libcurl: "/0" means the whole address. */
    if (b)
      bits = (unsigned)b;
  }
  if (inet_pton(af, buf, net) != 1)
    return false;
  return prefix_match(ip, net, alen, bits);
}

static bool name_match(const char *name, size_t namelen, const char *token,
                       size_t len) {
  if (len && token[len - 1] == '.')
    len--;
  if (len && token[0] == '.') {
    token++;
    len--;
  }
  if (!len)
    return false;
  if (len == namelen)
    return strncasecmp(token, name, len) == 0;
  /* "example.com" also covers "www.example.com", not "nonexample.com". */
  return len < namelen && name[namelen - len - 1] == '.' &&
         strncasecmp(token, name + namelen - len, len) == 0;
}

bool cn_proxy_no_proxy_match(const char *host, const char *no_proxy) {
  if (!host || !*host || !no_proxy || !*no_proxy)
    return false;
  if (strcmp(no_proxy, "*") == 0)
    return true;
  char lit[128];
  unsigned char ip[16];
  int af = 0;
  size_t namelen = strlen(host);
  const char *name = host;
  if (host[0] == '[') {
    const char *end = strchr(host, ']');
    if (!end || (size_t)(end - host - 1) >= sizeof(lit))
      return false;
    memcpy(lit, host + 1, (size_t)(end - host - 1));
    lit[end - host - 1] = '\0';
    name = lit;
  }
  if (inet_pton(AF_INET, name, ip) == 1)
    af = AF_INET;
  else if (inet_pton(AF_INET6, name, ip) == 1)
    af = AF_INET6;
  else if (name[namelen - 1] == '.')
    namelen--; /* a trailing dot of the host does not count */

  const char *p = no_proxy;
  while (*p) {
    while (*p == ' ' || *p == '\t')
      p++;
    const char *token = p;
    while (*p && *p != ' ' && *p != '\t' && *p != ',')
      p++;
    size_t len = (size_t)(p - token);
    if (len) {
      bool match = af ? ip_match(af, ip, token, len)
                      : name_match(name, namelen, token, len);
      if (match)
        return true;
    }
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p != ',')
      break;
    while (*p == ',')
      p++;
  }
  return false;
}

/* --- group key ----------------------------------------------------------- */

static int append_server(struct cn_buf *out, const char *what,
                         const struct cn_proxy_server *s) {
  if (s->type == CN_PROXY_NONE)
    return CN_OK;
  int rv = cn_buf_printf(out, " %s=%d:", what, (int)s->type);
  for (const char *c = s->host ? s->host : ""; rv == CN_OK && *c; c++)
    rv = cn_buf_append_byte(out, (char)tolower((unsigned char)*c));
  if (rv == CN_OK)
    rv = cn_buf_printf(out, ":%d", s->port);
  if (rv == CN_OK && s->unix_path)
    rv = cn_buf_printf(out, " unix=%zu:%s", strlen(s->unix_path),
                       s->unix_path);
  if (rv == CN_OK && s->user)
    rv = cn_buf_printf(out, " u=%zu:%s", strlen(s->user), s->user);
  return rv;
}

int cn_proxy_chain_key(struct cn_buf *out, const struct cn_proxy_chain *c) {
  int rv = append_server(out, "socks", &c->socks);
  if (rv == CN_OK)
    rv = append_server(out, "proxy", &c->http);
  if (rv == CN_OK && c->http.type != CN_PROXY_NONE && c->tunnel)
    rv = cn_buf_append_str(out, " tunnel");
  if (rv == CN_OK && c->http.type == CN_PROXY_HTTPS && c->proxy_ssl) {
    struct cn_buf tls;
    cn_buf_init(&tls, 0);
    rv = cn_ssl_config_key(c->proxy_ssl, &tls);
    if (rv == CN_OK)
      rv = cn_buf_printf(out, " ptls=%zu:", tls.len);
    if (rv == CN_OK)
      rv = cn_buf_append(out, tls.data ? tls.data : "", tls.len);
    cn_buf_cleanup(&tls);
  }
  return rv;
}
