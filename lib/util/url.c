/* url.c: URL parsing, resolution and serialisation with libcurl 8.14's
 * rules. See url.h for the contract. */
#include "util/url.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/idna.h"
#include "util/net_error.h"

/* ---- character classes (ASCII only, locale independent) ---- */

static bool is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static bool is_xdigit(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int hexval(int c) {
  if (is_digit(c))
    return c - '0';
  return (c | 0x20) - 'a' + 10;
}
static char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
}
static bool has_prefix_ci(const char *s, const char *prefix) {
  return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* uint_text writes |v| in decimal (up to 10 digits, no NUL) and returns
 * the length: the URL of every request passes through here, and snprintf
 * costs more than the rest of the formatting. */
static size_t uint_text(char *out, unsigned v) {
  char tmp[10];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

static const char lower_hex[] = "0123456789abcdef";
static const char upper_hex[] = "0123456789ABCDEF";

/* A cn_buf failure is either OOM or the max; URL buffers are unbounded. */
static int buf_err(int rv) {
  return rv == CN_ERR_FILE_TOO_BIG ? CN_URL_ERR_TOO_LARGE
                                   : CN_URL_ERR_OUT_OF_MEMORY;
}

/* ---- schemes ---- */

struct scheme_info {
  const char *name;
  unsigned short port;
  bool login_options;
};

/* Every scheme a full libcurl build knows, with its default port. libcurl
 * accepts these in the URL API even when a transfer of that protocol would
 * fail later, and so do we. */
static const struct scheme_info schemes[] = {
    {"dict", 2628, false}, {"file", 0, false},     {"ftp", 21, false},
    {"ftps", 990, false},  {"gopher", 70, false},  {"gophers", 70, false},
    {"http", 80, false},   {"https", 443, false},  {"imap", 143, true},
    {"imaps", 993, true},  {"ldap", 389, false},   {"ldaps", 636, false},
    {"mqtt", 1883, false}, {"pop3", 110, true},    {"pop3s", 995, true},
    {"rtmp", 1935, false}, {"rtmpe", 1935, false}, {"rtmps", 443, false},
    {"rtmpt", 80, false},  {"rtmpte", 80, false},  {"rtmpts", 443, false},
    {"rtsp", 554, false},  {"scp", 22, false},     {"sftp", 22, false},
    {"smb", 445, false},   {"smbs", 445, false},   {"smtp", 25, true},
    {"smtps", 465, true},  {"telnet", 23, false},  {"tftp", 69, false},
    {"ws", 80, false},     {"wss", 443, false},
};

static const struct scheme_info *find_scheme(const char *name) {
  if (!name)
    return NULL;
  /* The names are lower case: the first byte rules out most of them
   * before a full comparison. */
  char first = to_lower(name[0]);
  for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
    if (schemes[i].name[0] == first && strcasecmp(schemes[i].name, name) == 0)
      return &schemes[i];
  }
  return NULL;
}

bool cn_url_scheme_is_known(const char *scheme) {
  return find_scheme(scheme) != NULL;
}

int cn_url_scheme_default_port(const char *scheme) {
  const struct scheme_info *s = find_scheme(scheme);
  return s ? s->port : -1;
}

bool cn_url_scheme_has_options(const char *scheme) {
  const struct scheme_info *s = find_scheme(scheme);
  return s && s->login_options;
}

/* ---- lifetime ---- */

void cn_url_init(struct cn_url *u) { memset(u, 0, sizeof(*u)); }

void cn_url_cleanup(struct cn_url *u) {
  cn_free(u->scheme);
  cn_free(u->user);
  cn_free(u->password);
  cn_free(u->options);
  cn_free(u->host);
  cn_free(u->zoneid);
  cn_free(u->path);
  cn_free(u->query);
  cn_free(u->fragment);
  cn_url_init(u);
}

struct cn_url *cn_url_new(void) {
  return cn_calloc(1, sizeof(struct cn_url));
}

void cn_url_free(struct cn_url *u) {
  if (!u)
    return;
  cn_url_cleanup(u);
  cn_free(u);
}

static bool dup_part(char **dst, const char *src) {
  if (!src) {
    *dst = NULL;
    return true;
  }
  *dst = cn_strdup(src);
  return *dst != NULL;
}

int cn_url_copy(struct cn_url *out, const struct cn_url *in) {
  if (out == in)
    return CN_URL_OK;
  struct cn_url c = *in;
  if (!dup_part(&c.scheme, in->scheme) || !dup_part(&c.user, in->user) ||
      !dup_part(&c.password, in->password) ||
      !dup_part(&c.options, in->options) || !dup_part(&c.host, in->host) ||
      !dup_part(&c.zoneid, in->zoneid) || !dup_part(&c.path, in->path) ||
      !dup_part(&c.query, in->query) || !dup_part(&c.fragment, in->fragment)) {
    /* dup_part NULLs the one that failed; the later ones still alias |in|. */
    char **parts[] = {&c.scheme, &c.user, &c.password, &c.options, &c.host,
                      &c.zoneid, &c.path, &c.query,    &c.fragment};
    const char *orig[] = {in->scheme,  in->user,  in->password,
                          in->options, in->host,  in->zoneid,
                          in->path,    in->query, in->fragment};
    for (size_t i = 0; i < 9; i++) {
      if (*parts[i] != orig[i])
        cn_free(*parts[i]);
    }
    return CN_URL_ERR_OUT_OF_MEMORY;
  }
  cn_url_cleanup(out);
  *out = c;
  return CN_URL_OK;
}

/* ---- percent-encoding ---- */

char *cn_url_escape(const char *in, size_t len) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)in[i];
    int rv;
    if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      rv = cn_buf_append_byte(&b, (char)c);
    } else {
      char enc[3] = {'%', upper_hex[c >> 4], upper_hex[c & 0xf]};
      rv = cn_buf_append(&b, enc, 3);
    }
    if (rv < 0) {
      cn_buf_cleanup(&b);
      return NULL;
    }
  }
  return cn_buf_detach(&b);
}

int cn_url_unescape(const char *in, size_t len, enum cn_url_unescape_mode mode,
                    char **out, size_t *out_len) {
  char *dst = cn_malloc(len + 1);
  if (!dst)
    return CN_URL_ERR_OUT_OF_MEMORY;
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c == '%' && i + 2 < len && is_xdigit((unsigned char)in[i + 1]) &&
        is_xdigit((unsigned char)in[i + 2])) {
      c = (unsigned char)(hexval(in[i + 1]) << 4 | hexval(in[i + 2]));
      i += 2;
    }
    if ((mode == CN_URL_UNESCAPE_REJECT_CTRL && c < 0x20) ||
        (mode == CN_URL_UNESCAPE_REJECT_ZERO && c == 0)) {
      cn_free(dst);
      return CN_URL_ERR_URLDECODE;
    }
    dst[n++] = (char)c;
  }
  dst[n] = '\0';
  *out = dst;
  if (out_len)
    *out_len = n;
  return CN_URL_OK;
}

/* encode_text appends |len| bytes of |s|, percent-encoding what libcurl's
 * URL parser encodes under CURLU_URLENCODE and in redirects: a space becomes
 * "%20" (or '+' once inside a query), bytes >= 0x80 become %xx. With
 * |keep_authority|, everything before the end of a "//host" prefix is
 * copied verbatim, because encoding would break a host name. */
static int encode_text(struct cn_buf *o, const char *s, size_t len,
                       bool keep_authority, bool in_query) {
  size_t verbatim = 0;
  if (keep_authority) {
    const char *h = strstr(s, "//");
    h = h ? h + 2 : s;
    size_t hlen = strcspn(h, "/?");
    verbatim = (size_t)(h + hlen - s);
    if (verbatim > len)
      verbatim = len;
  }
  int rv = cn_buf_append(o, s, verbatim);
  if (rv < 0)
    return buf_err(rv);
  for (size_t i = verbatim; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ') {
      rv = in_query ? cn_buf_append_byte(o, '+') : cn_buf_append(o, "%20", 3);
    } else {
      if (c == '?')
        in_query = true;
      if (c >= 0x80) {
        char enc[3] = {'%', lower_hex[c >> 4], lower_hex[c & 0xf]};
        rv = cn_buf_append(o, enc, 3);
      } else {
        rv = cn_buf_append_byte(o, (char)c);
      }
    }
    if (rv < 0)
      return buf_err(rv);
  }
  return CN_URL_OK;
}

int cn_url_encode_loose(const char *s, size_t len, bool in_query, char **out) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  int rc = encode_text(&b, s, len, false, in_query);
  if (rc == CN_URL_OK) {
    *out = cn_buf_detach(&b);
    if (!*out)
      rc = CN_URL_ERR_OUT_OF_MEMORY;
  }
  cn_buf_cleanup(&b);
  return rc;
}

/* ---- scheme detection ---- */

/* scheme_len returns the length of a leading "scheme:" (RFC 3986 3.1
 * characters, at most CN_URL_MAX_SCHEME - 1 of them after the first) and
 * copies it lowercased into |buf| (CN_URL_MAX_SCHEME + 1 bytes) when
 * non-NULL. In guessing mode the colon must be followed by a slash, so that
 * "host:80" stays a host with a port. */
static size_t scheme_len(const char *url, char *buf, bool guess) {
  size_t i = 0;
  if (buf)
    buf[0] = '\0';
  if (is_alpha((unsigned char)url[0])) {
    for (i = 1; i < CN_URL_MAX_SCHEME; i++) {
      char c = url[i];
      if (!(is_alnum((unsigned char)c) || c == '+' || c == '-' || c == '.'))
        break;
    }
  }
  if (i && url[i] == ':' && (url[i + 1] == '/' || !guess)) {
    if (buf) {
      for (size_t k = 0; k < i; k++)
        buf[k] = to_lower(url[k]);
      buf[i] = '\0';
    }
    return i;
  }
  return 0;
}

size_t cn_url_is_absolute(const char *str, unsigned int flags) {
  return scheme_len(str, NULL,
                    flags & (CN_URL_GUESS_SCHEME | CN_URL_DEFAULT_SCHEME));
}

/* junk_scan rejects control bytes, DEL, over-long input and, unless
 * ALLOW_SPACE, spaces. */
static int junk_scan(const char *url, size_t *out_len, unsigned int flags) {
  size_t n = strlen(url);
  if (n > CN_URL_MAX_INPUT)
    return CN_URL_ERR_MALFORMED_INPUT;
  unsigned char limit = (flags & CN_URL_ALLOW_SPACE) ? 0x1f : 0x20;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)url[i];
    if (c <= limit || c == 0x7f)
      return CN_URL_ERR_MALFORMED_INPUT;
  }
  *out_len = n;
  return CN_URL_OK;
}

/* ---- authority ---- */

/* parse_login splits "user[:password][;options]@" off the front of the
 * authority |auth| (|len| bytes) and returns in *out_offset where the host
 * starts. The first '@' ends the login, as in libcurl. Options are only
 * recognised for schemes that have them. */
static int parse_login(struct cn_url *u, const char *auth, size_t len,
                       unsigned int flags, size_t *out_offset) {
  const char *at = memchr(auth, '@', len);
  *out_offset = 0;
  if (!at)
    return CN_URL_OK;
  size_t llen = (size_t)(at - auth);
  const char *psep = memchr(auth, ':', llen);
  const char *osep =
      cn_url_scheme_has_options(u->scheme) ? memchr(auth, ';', llen) : NULL;
  const char *end = auth + llen;

  const char *uend = end;
  if (psep && (!osep || psep < osep))
    uend = psep;
  else if (osep)
    uend = osep;
  const char *pend = NULL, *oend = NULL;
  if (psep)
    pend = (osep && osep > psep) ? osep : end;
  if (osep)
    oend = (psep && psep > osep) ? psep : end;

  if (flags & CN_URL_DISALLOW_USER)
    return CN_URL_ERR_USER_NOT_ALLOWED;

  char *user = cn_strndup(auth, (size_t)(uend - auth));
  char *pass = psep ? cn_strndup(psep + 1, (size_t)(pend - psep - 1)) : NULL;
  char *opts = osep ? cn_strndup(osep + 1, (size_t)(oend - osep - 1)) : NULL;
  if (!user || (psep && !pass) || (osep && !opts)) {
    cn_free(user);
    cn_free(pass);
    cn_free(opts);
    return CN_URL_ERR_OUT_OF_MEMORY;
  }
  cn_free(u->user);
  cn_free(u->password);
  cn_free(u->options);
  u->user = user;
  u->password = pass;
  u->options = opts;
  *out_offset = llen + 1;
  return CN_URL_OK;
}

/* parse_port strips ":port" from |host| (NUL-terminated, |*hlen| bytes). A
 * bare trailing colon is ignored like browsers do, but only when the URL
 * had a scheme, so that "foo:" cannot pass for a host. */
static int parse_port(struct cn_url *u, char *host, size_t *hlen,
                      bool has_scheme) {
  char *colon;
  if (host[0] == '[') {
    char *rb = strchr(host, ']');
    if (!rb)
      return CN_URL_ERR_BAD_IPV6;
    rb++;
    if (*rb && *rb != ':')
      return CN_URL_ERR_BAD_PORT_NUMBER;
    colon = *rb ? rb : NULL;
  } else {
    colon = strchr(host, ':');
  }
  if (!colon)
    return CN_URL_OK;
  *colon = '\0';
  *hlen = (size_t)(colon - host);
  const char *p = colon + 1;
  if (!*p)
    return has_scheme ? CN_URL_OK : CN_URL_ERR_BAD_PORT_NUMBER;
  unsigned long port = 0;
  do {
    if (!is_digit((unsigned char)*p))
      return CN_URL_ERR_BAD_PORT_NUMBER;
    port = port * 10 + (unsigned long)(*p - '0');
    if (port > 0xffff)
      return CN_URL_ERR_BAD_PORT_NUMBER;
  } while (*++p);
  u->port = (unsigned short)port;
  u->has_port = true;
  return CN_URL_OK;
}

/* ipv6_check validates "[addr]" or "[addr%zone]" / "[addr%25zone]"
 * (|len| bytes including brackets). On success *out_addr_len is the length
 * of "addr", |zone| (16 bytes) receives the zone id or "", and |norm|
 * (INET6_ADDRSTRLEN bytes) the normalised address, or the input when the
 * normalised form would be longer (libcurl rewrites in place). */
static int ipv6_check(const char *s, size_t len, size_t *out_addr_len,
                      char *zone, char *norm) {
  if (len < 4 || s[0] != '[' || s[len - 1] != ']')
    return CN_URL_ERR_BAD_IPV6;
  const char *in = s + 1;
  size_t ilen = len - 2;
  size_t alen = 0;
  while (alen < ilen && (is_xdigit((unsigned char)in[alen]) ||
                         in[alen] == ':' || in[alen] == '.'))
    alen++;
  zone[0] = '\0';
  if (alen != ilen) {
    if (in[alen] != '%')
      return CN_URL_ERR_BAD_IPV6;
    const char *z = in + alen + 1;
    const char *zend = in + ilen;
    /* "%25" is an encoded '%' only when a zone id follows it; alone,
     * "25" is the zone id (libcurl's rule). */
    if (zend - z > 2 && z[0] == '2' && z[1] == '5')
      z += 2;
    size_t zlen = (size_t)(zend - z);
    if (!zlen || zlen > 15 || memchr(z, ']', zlen))
      return CN_URL_ERR_BAD_IPV6;
    memcpy(zone, z, zlen);
    zone[zlen] = '\0';
  }
  char addr[64];
  if (alen >= sizeof(addr))
    return CN_URL_ERR_BAD_IPV6;
  memcpy(addr, in, alen);
  addr[alen] = '\0';
  unsigned char bin[16];
  if (inet_pton(AF_INET6, addr, bin) != 1)
    return CN_URL_ERR_BAD_IPV6;
  char tmp[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, bin, tmp, sizeof(tmp)) && strlen(tmp) <= alen)
    strcpy(norm, tmp);
  else
    strcpy(norm, addr);
  *out_addr_len = alen;
  return CN_URL_OK;
}

int cn_url_split_ipv6(const char *s, size_t len, char **out_addr,
                      char **out_zone) {
  size_t alen;
  char zone[16], norm[INET6_ADDRSTRLEN];
  int rc = ipv6_check(s, len, &alen, zone, norm);
  if (rc)
    return rc;
  char *addr = cn_strndup(s + 1, alen);
  char *z = cn_strdup(zone);
  if (!addr || !z) {
    cn_free(addr);
    cn_free(z);
    return CN_URL_ERR_OUT_OF_MEMORY;
  }
  *out_addr = addr;
  *out_zone = z;
  return CN_URL_OK;
}

/* Bytes libcurl refuses in a (decoded) host name. */
static const char bad_host_chars[] = " \r\n\t/:#?!@{}[]\\$'\"^`*<>=;,+&()%";

int cn_url_check_hostname(const char *host, size_t len) {
  if (!len)
    return CN_URL_ERR_NO_HOST;
  if (host[0] == '[') {
    size_t alen;
    char zone[16], norm[INET6_ADDRSTRLEN];
    return ipv6_check(host, len, &alen, zone, norm);
  }
  for (size_t i = 0; i < len; i++) {
    if (!host[i] || strchr(bad_host_chars, host[i]))
      return CN_URL_ERR_BAD_HOSTNAME;
  }
  return CN_URL_OK;
}

/* parse_ipv4_part reads one component of a numeric IPv4 address: 0x hex,
 * 0-prefixed octal or decimal, at most 32 bits. */
static bool parse_ipv4_part(const char **pp, uint32_t *out) {
  const char *p = *pp;
  unsigned base = 10;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    base = 16;
    p += 2;
  } else if (p[0] == '0') {
    base = 8;
  }
  uint64_t v = 0;
  const char *start = p;
  for (;; p++) {
    unsigned d;
    if (is_digit((unsigned char)*p))
      d = (unsigned)(*p - '0');
    else if (base == 16 && is_xdigit((unsigned char)*p))
      d = (unsigned)hexval((unsigned char)*p);
    else
      break;
    if (d >= base)
      break;
    v = v * base + d;
    if (v > UINT32_MAX)
      return false;
  }
  if (p == start)
    return false;
  *out = (uint32_t)v;
  *pp = p;
  return true;
}

/* ipv4_normalize rewrites a numeric IPv4 host given in any of the a, a.b,
 * a.b.c, a.b.c.d forms (each part decimal, octal or hex) to dotted quad.
 * Returns true when it did; anything else is left as a host name. */
static bool ipv4_normalize(char *host, size_t *hlen) {
  uint32_t parts[4] = {0, 0, 0, 0};
  int n = 0;
  const char *p = host;
  for (;;) {
    if (!is_digit((unsigned char)*p) || !parse_ipv4_part(&p, &parts[n]))
      return false;
    if (*p == '\0')
      break;
    if (*p != '.' || n == 3)
      return false;
    n++;
    p++;
  }
  uint32_t a;
  switch (n) {
  case 0:
    a = parts[0];
    break;
  case 1:
    if (parts[0] > 0xff || parts[1] > 0xffffff)
      return false;
    a = parts[0] << 24 | parts[1];
    break;
  case 2:
    if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff)
      return false;
    a = parts[0] << 24 | parts[1] << 16 | parts[2];
    break;
  default:
    if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xff ||
        parts[3] > 0xff)
      return false;
    a = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
    break;
  }
  /* The dotted form is at most as long as any input that produced it
   * except for short forms like "0" (7 bytes out): the caller's buffer has
   * room for 16. */
  int w = 0;
  char out[16];
  for (int i = 3; i >= 0; i--) {
    unsigned v = (a >> (i * 8)) & 0xff;
    if (v >= 100)
      out[w++] = (char)('0' + v / 100);
    if (v >= 10)
      out[w++] = (char)('0' + v / 10 % 10);
    out[w++] = (char)('0' + v % 10);
    if (i)
      out[w++] = '.';
  }
  memcpy(host, out, (size_t)w);
  host[w] = '\0';
  *hlen = (size_t)w;
  return true;
}

/* parse_authority fills user/password/options, host and port of |u| from
 * |auth| (|len| bytes, no '/', '?' or '#'). */
static int parse_authority(struct cn_url *u, const char *auth, size_t len,
                           unsigned int flags, bool has_scheme) {
  size_t off;
  int rc = parse_login(u, auth, len, flags, &off);
  if (rc)
    return rc;
  size_t hlen = len - off;
  /* +16 leaves room for a dotted quad longer than the input ("0"). */
  char *host = cn_malloc(hlen + 17);
  if (!host)
    return CN_URL_ERR_OUT_OF_MEMORY;
  memcpy(host, auth + off, hlen);
  host[hlen] = '\0';

  rc = parse_port(u, host, &hlen, has_scheme);
  if (rc)
    goto out;
  if (!hlen) {
    rc = CN_URL_ERR_NO_HOST;
    goto out;
  }
  if (host[0] == '[') {
    size_t alen;
    char zone[16], norm[INET6_ADDRSTRLEN];
    rc = ipv6_check(host, hlen, &alen, zone, norm);
    if (rc)
      goto out;
    if (zone[0]) {
      u->zoneid = cn_strdup(zone);
      if (!u->zoneid) {
        rc = CN_URL_ERR_OUT_OF_MEMORY;
        goto out;
      }
    }
    strcpy(host, norm);
    u->host_is_ipv6 = true;
  } else if (!ipv4_normalize(host, &hlen)) {
    if (memchr(host, '%', hlen)) {
      char *dec;
      size_t dlen;
      if (cn_url_unescape(host, hlen, CN_URL_UNESCAPE_REJECT_CTRL, &dec,
                          &dlen) != CN_URL_OK) {
        /* Decoding only fails on control bytes (or OOM): a bad host. */
        rc = CN_URL_ERR_BAD_HOSTNAME;
        goto out;
      }
      cn_free(host);
      host = dec;
      hlen = dlen;
    }
    if (host[0] == '[') {
      /* "%5B::1%5D" decodes to a bracketed literal: validate as IPv6. */
      size_t alen;
      char zone[16], norm[INET6_ADDRSTRLEN];
      rc = ipv6_check(host, hlen, &alen, zone, norm);
      if (rc)
        goto out;
      if (zone[0] && !(u->zoneid = cn_strdup(zone))) {
        rc = CN_URL_ERR_OUT_OF_MEMORY;
        goto out;
      }
      memmove(host, host + 1, alen);
      host[alen] = '\0';
      u->host_is_ipv6 = true;
    } else {
      rc = cn_url_check_hostname(host, hlen);
      if (rc)
        goto out;
    }
  }
  cn_free(u->host);
  u->host = host;
  host = NULL;
out:
  cn_free(host);
  return rc;
}

/* ---- dot segments (RFC 3986 5.2.4) ---- */

/* dot_len returns the length of a '.' or "%2e"/"%2E" at |p| (before |end|),
 * or 0: browsers and libcurl treat an encoded dot as a dot here. */
static size_t dot_len(const char *p, const char *end) {
  if (p < end && *p == '.')
    return 1;
  if (end - p >= 3 && p[0] == '%' && p[1] == '2' && (p[2] | 0x20) == 'e')
    return 3;
  return 0;
}

/* remove_dots writes the dot-segment-free version of |len| bytes of |in|
 * into a new string. */
static int remove_dots(const char *in, size_t len, char **out) {
  struct cn_buf o;
  cn_buf_init(&o, 0);
  const char *p = in, *end = in + len;
  int rv = 0;
  size_t d1, d2;

  /* Rules A and D apply only at the very start (relative paths). */
  if ((d1 = dot_len(p, end))) {
    const char *q = p + d1;
    if (q == end) {
      p = end;
    } else if (*q == '/') {
      p = q + 1;
    } else if ((d2 = dot_len(q, end))) {
      const char *r = q + d2;
      if (r == end)
        p = end;
      else if (*r == '/')
        p = r + 1;
    }
  }
  while (p < end && rv >= 0) {
    if (*p == '/' && (d1 = dot_len(p + 1, end))) {
      const char *q = p + 1 + d1;
      if (q == end) { /* "/." at the end (B) */
        rv = cn_buf_append_byte(&o, '/');
        break;
      }
      if (*q == '/') { /* "/./" (B) */
        p = q;
        continue;
      }
      if ((d2 = dot_len(q, end))) {
        const char *r = q + d2;
        if (r == end || *r == '/') { /* "/.." (C) */
          char *last = o.len ? memrchr(o.data, '/', o.len) : NULL;
          o.len = last ? (size_t)(last - o.data) : 0;
          if (o.data)
            o.data[o.len] = '\0';
          if (r == end) {
            rv = cn_buf_append_byte(&o, '/');
            break;
          }
          p = r;
          continue;
        }
      }
    }
    rv = cn_buf_append_byte(&o, *p++);
  }
  if (rv < 0) {
    cn_buf_cleanup(&o);
    return buf_err(rv);
  }
  *out = cn_buf_detach(&o);
  return *out ? CN_URL_OK : CN_URL_ERR_OUT_OF_MEMORY;
}

/* ---- the parser ---- */

/* A Windows drive prefix such as "c:" or "c|" followed by a slash, a
 * backslash or the end. file: URLs with one are refused on this OS. */
static bool drive_prefix(const char *s) {
  return is_alpha((unsigned char)s[0]) && (s[1] == ':' || s[1] == '|') &&
         (s[2] == '/' || s[2] == '\\' || s[2] == '\0');
}

static int parse(struct cn_url *u, const char *url, unsigned int flags) {
  size_t urllen;
  int rc = junk_scan(url, &urllen, flags);
  if (rc)
    return rc;
  if (!urllen)
    return CN_URL_ERR_MALFORMED_INPUT;

  char scheme[CN_URL_MAX_SCHEME + 1];
  size_t slen = scheme_len(
      url, scheme, flags & (CN_URL_GUESS_SCHEME | CN_URL_DEFAULT_SCHEME));
  const char *path;

  if (slen && strcmp(scheme, "file") == 0) {
    if (urllen <= 6)
      return CN_URL_ERR_BAD_FILE_URL;
    path = url + 5;
    if (!(u->scheme = cn_strdup("file")))
      return CN_URL_ERR_OUT_OF_MEMORY;
    if (path[0] == '/' && path[1] == '/') {
      /* RFC 8089: the authority may be empty, "localhost" or 127.0.0.1. */
      const char *p = path + 2;
      if (p[0] != '/' && !drive_prefix(p)) {
        if (has_prefix_ci(p, "localhost/") || has_prefix_ci(p, "127.0.0.1/"))
          p += 9;
        else
          return CN_URL_ERR_BAD_FILE_URL;
      }
      path = p;
    }
    if ((path[0] == '/' && drive_prefix(path + 1)) || drive_prefix(path))
      return CN_URL_ERR_BAD_FILE_URL;
  } else {
    const char *schemep = NULL;
    const char *hostp;
    if (slen) {
      const char *p = url + slen + 1;
      int slashes = 0;
      while (*p == '/' && slashes < 4) {
        p++;
        slashes++;
      }
      if (!cn_url_scheme_is_known(scheme) &&
          !(flags & CN_URL_NON_SUPPORT_SCHEME))
        return CN_URL_ERR_UNSUPPORTED_SCHEME;
      if ((flags & CN_URL_NO_AUTHORITY) && slashes >= 3) {
        /* "scheme:///path": an empty authority, the rest is the path. */
        p = url + slen + 3;
      } else if (slashes < 1 || slashes > 3) {
        return CN_URL_ERR_BAD_SLASHES;
      }
      schemep = scheme;
      hostp = p;
    } else {
      if (!(flags & (CN_URL_DEFAULT_SCHEME | CN_URL_GUESS_SCHEME)))
        return CN_URL_ERR_BAD_SCHEME;
      if (flags & CN_URL_DEFAULT_SCHEME)
        schemep = CN_URL_DEFAULT_SCHEME_NAME;
      hostp = url;
    }
    if (schemep && !(u->scheme = cn_strdup(schemep)))
      return CN_URL_ERR_OUT_OF_MEMORY;

    size_t hostlen = strcspn(hostp, "/?#");
    path = hostp + hostlen;
    if (hostlen) {
      rc = parse_authority(u, hostp, hostlen, flags, slen != 0);
      if (rc)
        return rc;
      if ((flags & CN_URL_GUESS_SCHEME) && !schemep) {
        /* curl's traditional guess from the host name's first label. */
        static const char *const guesses[] = {"ftp",  "dict", "ldap",
                                              "imap", "smtp", "pop3"};
        const char *g = "http";
        for (size_t i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
          size_t gl = strlen(guesses[i]);
          if (strncasecmp(u->host, guesses[i], gl) == 0 && u->host[gl] == '.') {
            g = guesses[i];
            break;
          }
        }
        if (!(u->scheme = cn_strdup(g)))
          return CN_URL_ERR_OUT_OF_MEMORY;
        u->guessed_scheme = true;
      }
    } else if (flags & CN_URL_NO_AUTHORITY) {
      if (!(u->host = cn_strdup("")))
        return CN_URL_ERR_OUT_OF_MEMORY;
    } else {
      return CN_URL_ERR_NO_HOST;
    }
  }

  /* path now holds path, query and fragment. */
  size_t pathlen = urllen - (size_t)(path - url);
  const char *hash = memchr(path, '#', pathlen);
  if (hash) {
    size_t flen = pathlen - (size_t)(hash - path);
    u->fragment_present = true;
    if (flen > 1) {
      if (flags & CN_URL_URLENCODE)
        rc = cn_url_encode_loose(hash + 1, flen - 1, false, &u->fragment);
      else if (!(u->fragment = cn_strndup(hash + 1, flen - 1)))
        rc = CN_URL_ERR_OUT_OF_MEMORY;
      if (rc)
        return rc;
    }
    pathlen -= flen;
  }
  const char *qm = memchr(path, '?', pathlen);
  if (qm) {
    size_t qlen = pathlen - (size_t)(qm - path);
    u->query_present = true;
    if (qlen > 1 && (flags & CN_URL_URLENCODE))
      rc = cn_url_encode_loose(qm + 1, qlen - 1, true, &u->query);
    else if (!(u->query = cn_strndup(qm + 1, qlen - 1)))
      rc = CN_URL_ERR_OUT_OF_MEMORY;
    if (rc)
      return rc;
    pathlen -= qlen;
  }

  char *p = NULL;
  if (pathlen && (flags & CN_URL_URLENCODE))
    rc = cn_url_encode_loose(path, pathlen, false, &p);
  else if (pathlen > 1 && !(p = cn_strndup(path, pathlen)))
    rc = CN_URL_ERR_OUT_OF_MEMORY;
  if (rc)
    return rc;
  if (p && strlen(p) <= 1) {
    /* An empty path or a lone slash is stored as "no path". */
    cn_free(p);
    p = NULL;
  }
  if (p && !(flags & CN_URL_PATH_AS_IS)) {
    char *clean;
    rc = remove_dots(p, strlen(p), &clean);
    cn_free(p);
    if (rc)
      return rc;
    p = clean;
  }
  u->path = p;
  return CN_URL_OK;
}

int cn_url_parse(struct cn_url *out, const char *str, unsigned int flags) {
  struct cn_url u;
  cn_url_init(&u);
  int rc = parse(&u, str, flags);
  if (rc) {
    cn_url_cleanup(&u);
    return rc;
  }
  cn_url_cleanup(out);
  *out = u;
  return CN_URL_OK;
}

/* ---- serialisation ---- */

static bool is_ascii(const char *s) {
  for (; *s; s++) {
    if ((unsigned char)*s >= 0x80)
      return false;
  }
  return true;
}

int cn_url_host_idn(const char *host, unsigned int flags, char **out_host) {
  enum cn_idna_result r = CN_IDNA_OK;
  char *conv = NULL;
  if (!host)
    return CN_URL_OK;
  if ((flags & CN_URL_PUNYCODE) && !is_ascii(host))
    r = cn_idna_to_ascii(host, &conv);
  else if (!(flags & CN_URL_PUNYCODE) && (flags & CN_URL_PUNY2IDN) &&
           is_ascii(host))
    r = cn_idna_to_unicode(host, &conv);
  if (r == CN_IDNA_ERR_OUT_OF_MEMORY)
    return CN_URL_ERR_OUT_OF_MEMORY;
  if (r != CN_IDNA_OK)
    return CN_URL_ERR_BAD_HOSTNAME;
  *out_host = conv;
  return CN_URL_OK;
}

static int append_all(struct cn_buf *b, const char *const *parts, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (parts[i]) {
      int rv = cn_buf_append_str(b, parts[i]);
      if (rv < 0)
        return buf_err(rv);
    }
  }
  return CN_URL_OK;
}

int cn_url_to_string(const struct cn_url *u, unsigned int flags,
                     char **out_str) {
  bool show_fragment =
      u->fragment || (u->fragment_present && (flags & CN_URL_GET_EMPTY));
  bool show_query = (u->query && u->query[0]) ||
                    (u->query_present && (flags & CN_URL_GET_EMPTY));
  const char *query = u->query ? u->query : "";
  const char *fragment = u->fragment ? u->fragment : "";
  struct cn_buf b;
  cn_buf_init(&b, 0);
  char *allochost = NULL;
  int rc;

  if (u->scheme && strcasecmp(u->scheme, "file") == 0) {
    const char *parts[] = {"file://",
                           cn_url_path(u),
                           show_query ? "?" : NULL,
                           show_query ? query : NULL,
                           show_fragment ? "#" : NULL,
                           show_fragment ? fragment : NULL};
    rc = append_all(&b, parts, 6);
    goto out;
  }
  if (!u->host)
    return CN_URL_ERR_NO_HOST;
  const char *scheme = u->scheme;
  if (!scheme) {
    if (!(flags & CN_URL_DEFAULT_SCHEME))
      return CN_URL_ERR_NO_SCHEME;
    scheme = CN_URL_DEFAULT_SCHEME_NAME;
  }
  const struct scheme_info *si = find_scheme(scheme);

  char portbuf[12];
  bool show_port = false;
  unsigned port = u->port;
  if (!u->has_port && (flags & CN_URL_DEFAULT_PORT)) {
    if (si) {
      show_port = true;
      port = si->port;
    }
  } else if (u->has_port) {
    show_port =
        !(si && si->port == u->port && (flags & CN_URL_NO_DEFAULT_PORT));
  }
  if (show_port)
    portbuf[uint_text(portbuf, port)] = '\0';
  const char *options = (si && !si->login_options) ? NULL : u->options;

  const char *host = u->host;
  if (u->host_is_ipv6) {
    size_t n = strlen(u->host) + (u->zoneid ? strlen(u->zoneid) + 3 : 0) + 3;
    allochost = cn_malloc(n);
    if (!allochost)
      return CN_URL_ERR_OUT_OF_MEMORY;
    snprintf(allochost, n, "[%s%s%s]", u->host, u->zoneid ? "%25" : "",
             u->zoneid ? u->zoneid : "");
    host = allochost;
  } else if (flags & CN_URL_URLENCODE) {
    allochost = cn_url_escape(u->host, strlen(u->host));
    if (!allochost)
      return CN_URL_ERR_OUT_OF_MEMORY;
    host = allochost;
  } else if (flags & (CN_URL_PUNYCODE | CN_URL_PUNY2IDN)) {
    rc = cn_url_host_idn(u->host, flags, &allochost);
    if (rc != CN_URL_OK)
      goto out;
    if (allochost)
      host = allochost;
  }

  bool omit_scheme = (flags & CN_URL_NO_GUESS_SCHEME) && u->guessed_scheme;
  bool login = u->user || u->password || options;
  const char *parts[] = {omit_scheme ? NULL : scheme,
                         omit_scheme ? NULL : "://",
                         u->user,
                         u->password ? ":" : NULL,
                         u->password,
                         options ? ";" : NULL,
                         options,
                         login ? "@" : NULL,
                         host,
                         show_port ? ":" : NULL,
                         show_port ? portbuf : NULL,
                         cn_url_path(u),
                         show_query ? "?" : NULL,
                         show_query ? query : NULL,
                         show_fragment ? "#" : NULL,
                         show_fragment ? fragment : NULL};
  rc = append_all(&b, parts, sizeof(parts) / sizeof(parts[0]));
out:
  cn_free(allochost);
  if (rc == CN_URL_OK) {
    *out_str = cn_buf_detach(&b);
    if (!*out_str)
      rc = CN_URL_ERR_OUT_OF_MEMORY;
  }
  cn_buf_cleanup(&b);
  return rc;
}

/* ---- relative references ---- */

/* redirect builds the new URL string from the serialised |base_str| and
 * |rel|, the way libcurl does, and parses it. */
static int redirect(struct cn_url *out, const struct cn_url *base,
                    const char *base_str, const char *rel, unsigned int flags) {
  const char *protsep = strstr(base_str, "://");
  protsep = protsep ? protsep + 3 : base_str;
  const char *cutoff = NULL;
  const char *use = rel;
  bool host_changed = false;

  switch (rel[0]) {
  case '/':
    if (rel[1] == '/') { /* scheme-relative "//host/path" */
      cutoff = protsep;
      use = rel + 2;
      host_changed = true;
    } else { /* absolute path */
      cutoff = strchr(protsep, '/');
    }
    break;
  case '#':
    if (base->fragment)
      cutoff = strchr(protsep, '#');
    break;
  default:
    if (base->query && base->query[0])
      cutoff = strchr(protsep, '?');
    else if (base->fragment && base->fragment[0])
      cutoff = strchr(protsep, '#');
    if (rel[0] != '?') {
      /* Replace the last path segment. */
      size_t n = cutoff ? (size_t)(cutoff - protsep) : strlen(protsep);
      cutoff = memrchr(protsep, '/', n);
      if (cutoff)
        cutoff++;
    }
    break;
  }
  size_t prelen = cutoff ? (size_t)(cutoff - base_str) : strlen(base_str);

  struct cn_buf b;
  cn_buf_init(&b, 0);
  int rc;
  int rv = cn_buf_append(&b, base_str, prelen);
  if (rv < 0)
    rc = buf_err(rv);
  else
    rc = encode_text(&b, use, strlen(use), host_changed, false);
  if (rc == CN_URL_OK)
    rc = cn_url_parse(out, b.data ? b.data : "", flags & ~CN_URL_PATH_AS_IS);
  cn_buf_cleanup(&b);
  return rc;
}

int cn_url_resolve(struct cn_url *out, const struct cn_url *base,
                   const char *relative, unsigned int flags) {
  char *base_str = NULL;
  int rc;
  if (!relative[0]) {
    /* "" is a fine relative reference to a complete URL: nothing moves. */
    rc = cn_url_to_string(base, flags, &base_str);
    cn_free(base_str);
    if (rc)
      return rc == CN_URL_ERR_OUT_OF_MEMORY ? rc : CN_URL_ERR_MALFORMED_INPUT;
    return cn_url_copy(out, base);
  }
  if (cn_url_is_absolute(relative, flags))
    return cn_url_parse(out, relative, flags);
  rc = cn_url_to_string(base, flags, &base_str);
  if (rc == CN_URL_ERR_OUT_OF_MEMORY)
    return rc;
  if (rc)
    return cn_url_parse(out, relative, flags);
  /* |out| may alias |base|: redirect() reads |base| before it parses into
   * |out|, and cn_url_parse only replaces |out| at the very end. */
  rc = redirect(out, base, base_str, relative, flags);
  cn_free(base_str);
  return rc;
}

/* ---- accessors ---- */

const char *cn_url_path(const struct cn_url *u) {
  return u->path ? u->path : "/";
}

int cn_url_effective_port(const struct cn_url *u) {
  if (u->has_port)
    return u->port;
  return cn_url_scheme_default_port(u->scheme);
}

char *cn_url_request_target(const struct cn_url *u) {
  const char *path = cn_url_path(u);
  bool q = u->query && u->query[0];
  size_t path_len = strlen(path);
  size_t query_len = q ? strlen(u->query) : 0;
  char *s = cn_malloc(path_len + (q ? query_len + 1 : 0) + 1);
  if (!s)
    return NULL;
  char *at = s;
  memcpy(at, path, path_len);
  at += path_len;
  if (q) {
    *at++ = '?';
    memcpy(at, u->query, query_len);
    at += query_len;
  }
  *at = '\0';
  return s;
}

char *cn_url_authority(const struct cn_url *u, bool keep_default_port) {
  if (!u->host)
    return NULL;
  bool port =
      u->has_port && (keep_default_port ||
                      cn_url_scheme_default_port(u->scheme) != (int)u->port);
  size_t host_len = strlen(u->host);
  char *s = cn_malloc(host_len + 2 + 1 + 10 + 1);
  if (!s)
    return NULL;
  char *at = s;
  if (u->host_is_ipv6)
    *at++ = '[';
  memcpy(at, u->host, host_len);
  at += host_len;
  if (u->host_is_ipv6)
    *at++ = ']';
  if (port) {
    *at++ = ':';
    at += uint_text(at, u->port);
  }
  *at = '\0';
  return s;
}
