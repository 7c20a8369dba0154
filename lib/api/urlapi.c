/* urlapi.c: the public URL API (curl_url_*), a thin layer over
 * util/url.h. A CURLU is a struct cn_url; this file adds what is specific to
 * getting and setting single parts: the CURLU_* flag handling for each part
 * and the mapping of results to CURLUcode (which util/url.h numbers
 * identically). */
#include <curl/curl.h>
#include <curl/urlapi.h>

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/url.h"

/* The flag and error values are shared with util/url.h on purpose. */
_Static_assert(CURLU_DEFAULT_PORT == CN_URL_DEFAULT_PORT &&
                   CURLU_NO_DEFAULT_PORT == CN_URL_NO_DEFAULT_PORT &&
                   CURLU_DEFAULT_SCHEME == CN_URL_DEFAULT_SCHEME &&
                   CURLU_NON_SUPPORT_SCHEME == CN_URL_NON_SUPPORT_SCHEME &&
                   CURLU_PATH_AS_IS == CN_URL_PATH_AS_IS &&
                   CURLU_DISALLOW_USER == CN_URL_DISALLOW_USER &&
                   CURLU_URLDECODE == CN_URL_URLDECODE &&
                   CURLU_URLENCODE == CN_URL_URLENCODE &&
                   CURLU_APPENDQUERY == CN_URL_APPENDQUERY &&
                   CURLU_GUESS_SCHEME == CN_URL_GUESS_SCHEME &&
                   CURLU_NO_AUTHORITY == CN_URL_NO_AUTHORITY &&
                   CURLU_ALLOW_SPACE == CN_URL_ALLOW_SPACE &&
                   CURLU_PUNYCODE == CN_URL_PUNYCODE &&
                   CURLU_PUNY2IDN == CN_URL_PUNY2IDN &&
                   CURLU_GET_EMPTY == CN_URL_GET_EMPTY &&
                   CURLU_NO_GUESS_SCHEME == CN_URL_NO_GUESS_SCHEME,
               "CURLU_* flags must equal CN_URL_* flags");
_Static_assert((int)CURLUE_BAD_PORT_NUMBER == CN_URL_ERR_BAD_PORT_NUMBER &&
                   (int)CURLUE_NO_ZONEID == CN_URL_ERR_NO_ZONEID &&
                   (int)CURLUE_LACKS_IDN == CN_URL_ERR_LACKS_IDN &&
                   (int)CURLUE_TOO_LARGE == CN_URL_ERR_TOO_LARGE,
               "CURLUcode must equal enum cn_url_err");

struct Curl_URL {
  struct cn_url u;
};

/* to_uc maps a util/url.h result; the enums are numbered alike. */
static CURLUcode to_uc(int rc) { return (CURLUcode)rc; }

CURLU *curl_url(void) { return cn_calloc(1, sizeof(struct Curl_URL)); }

void curl_url_cleanup(CURLU *handle) {
  if (!handle)
    return;
  cn_url_cleanup(&handle->u);
  cn_free(handle);
}

CURLU *curl_url_dup(const CURLU *in) {
  if (!in)
    return NULL;
  CURLU *u = curl_url();
  if (!u)
    return NULL;
  if (cn_url_copy(&u->u, &in->u) != CN_URL_OK) {
    cn_free(u);
    return NULL;
  }
  return u;
}

CURLUcode curl_url_get(const CURLU *handle, CURLUPart what, char **part,
                       unsigned int flags) {
  if (!handle)
    return CURLUE_BAD_HANDLE;
  if (!part)
    return CURLUE_BAD_PARTPOINTER;
  *part = NULL;
  const struct cn_url *u = &handle->u;
  const char *ptr = NULL;
  CURLUcode missing = CURLUE_UNKNOWN_PART;
  bool decode = flags & CURLU_URLDECODE;
  bool encode = flags & CURLU_URLENCODE;
  bool punycode = false, depunyfy = false, plusdecode = false;
  char portbuf[16];
  char *hostbuf = NULL;

  switch (what) {
  case CURLUPART_URL: {
    char *s;
    int rc = cn_url_to_string(u, flags, &s);
    if (rc)
      return to_uc(rc);
    *part = s;
    return CURLUE_OK;
  }
  case CURLUPART_SCHEME:
    ptr = u->scheme;
    missing = CURLUE_NO_SCHEME;
    decode = false;
    if ((flags & CURLU_NO_GUESS_SCHEME) && u->guessed_scheme)
      return CURLUE_NO_SCHEME;
    break;
  case CURLUPART_USER:
    ptr = u->user;
    missing = CURLUE_NO_USER;
    break;
  case CURLUPART_PASSWORD:
    ptr = u->password;
    missing = CURLUE_NO_PASSWORD;
    break;
  case CURLUPART_OPTIONS:
    ptr = u->options;
    missing = CURLUE_NO_OPTIONS;
    break;
  case CURLUPART_HOST:
    ptr = u->host;
    missing = CURLUE_NO_HOST;
    punycode = flags & CURLU_PUNYCODE;
    depunyfy = flags & CURLU_PUNY2IDN;
    if (ptr && u->host_is_ipv6) {
      /* The URL API hands out IPv6 hosts in brackets, zone id apart. */
      size_t n = strlen(ptr) + 3;
      hostbuf = cn_malloc(n);
      if (!hostbuf)
        return CURLUE_OUT_OF_MEMORY;
      snprintf(hostbuf, n, "[%s]", ptr);
      ptr = hostbuf;
    }
    break;
  case CURLUPART_ZONEID:
    ptr = u->zoneid;
    missing = CURLUE_NO_ZONEID;
    break;
  case CURLUPART_PORT: {
    missing = CURLUE_NO_PORT;
    decode = false;
    int def = cn_url_scheme_default_port(u->scheme);
    if (u->has_port) {
      if (!(def >= 0 && def == u->port && (flags & CURLU_NO_DEFAULT_PORT))) {
        snprintf(portbuf, sizeof(portbuf), "%u", (unsigned)u->port);
        ptr = portbuf;
      }
    } else if ((flags & CURLU_DEFAULT_PORT) && def >= 0) {
      snprintf(portbuf, sizeof(portbuf), "%d", def);
      ptr = portbuf;
    }
    break;
  }
  case CURLUPART_PATH:
    ptr = cn_url_path(u);
    break;
  case CURLUPART_QUERY:
    ptr = u->query;
    missing = CURLUE_NO_QUERY;
    plusdecode = decode;
    if (ptr && !ptr[0] && !(flags & CURLU_GET_EMPTY))
      ptr = NULL;
    break;
  case CURLUPART_FRAGMENT:
    ptr = u->fragment;
    missing = CURLUE_NO_FRAGMENT;
    if (!ptr && u->fragment_present && (flags & CURLU_GET_EMPTY))
      ptr = "";
    break;
  default:
    break;
  }
  if (!ptr)
    return missing;

  CURLUcode uc = CURLUE_OK;
  size_t len = strlen(ptr);
  char *s = cn_strndup(ptr, len);
  cn_free(hostbuf);
  if (!s)
    return CURLUE_OUT_OF_MEMORY;
  if (plusdecode) {
    for (char *p = s; *p; p++) {
      if (*p == '+')
        *p = ' ';
    }
  }
  if (decode) {
    char *dec;
    /* Rejecting control bytes here is documented URL API behaviour. */
    int rc = cn_url_unescape(s, len, CN_URL_UNESCAPE_REJECT_CTRL, &dec, &len);
    cn_free(s);
    if (rc)
      return rc == CN_URL_ERR_OUT_OF_MEMORY ? CURLUE_OUT_OF_MEMORY
                                            : CURLUE_URLDECODE;
    s = dec;
  }
  if (encode) {
    char *enc;
    int rc = cn_url_encode_loose(s, len, what == CURLUPART_QUERY, &enc);
    cn_free(s);
    if (rc)
      return to_uc(rc);
    s = enc;
  } else if (punycode || depunyfy) {
    char *conv = NULL;
    int rc = cn_url_host_idn(s, flags, &conv);
    if (rc) {
      uc = to_uc(rc);
    } else if (conv) {
      cn_free(s);
      s = conv;
    }
  }
  if (uc) {
    cn_free(s);
    return uc;
  }
  *part = s;
  return CURLUE_OK;
}

static bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool is_xdigit(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

/* check_scheme validates a scheme set on its own. */
static CURLUcode check_scheme(const char *s, unsigned int flags) {
  size_t n = strlen(s);
  if (n < 1 || n > CN_URL_MAX_SCHEME)
    return CURLUE_BAD_SCHEME;
  if (!(flags & CURLU_NON_SUPPORT_SCHEME) && !cn_url_scheme_is_known(s))
    return CURLUE_UNSUPPORTED_SCHEME;
  unsigned char c = (unsigned char)s[0];
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
    return CURLUE_BAD_SCHEME;
  for (size_t i = 1; i < n; i++) {
    c = (unsigned char)s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!ok)
      return CURLUE_BAD_SCHEME;
  }
  return CURLUE_OK;
}

static CURLUcode set_port(struct cn_url *u, const char *s) {
  unsigned long port = 0;
  if (!(s[0] >= '0' && s[0] <= '9'))
    return CURLUE_BAD_PORT_NUMBER;
  for (; *s; s++) {
    if (!(*s >= '0' && *s <= '9'))
      return CURLUE_BAD_PORT_NUMBER;
    port = port * 10 + (unsigned long)(*s - '0');
    if (port > 0xffff)
      return CURLUE_BAD_PORT_NUMBER;
  }
  u->port = (unsigned short)port;
  u->has_port = true;
  return CURLUE_OK;
}

/* encode_part builds the stored form of a part set on its own: with
 * CURLU_URLENCODE everything but unreserved bytes is %xx-encoded (spaces as
 * '+' in a query, '/' kept in a path, the first '=' kept when appending a
 * query); without it the text is kept, with %XX hex lowercased as libcurl
 * 8.14 stores it. */
static CURLUcode encode_part(struct cn_buf *b, const char *part, bool urlencode,
                             bool plus, bool keep_slash, bool keep_equals,
                             bool lead_slash) {
  static const char hex[] = "0123456789abcdef";
  int rv = 0;
  if (lead_slash && part[0] != '/')
    rv = cn_buf_append_byte(b, '/');
  if (urlencode) {
    for (const unsigned char *p = (const unsigned char *)part; *p && rv >= 0;
         p++) {
      if (*p == ' ' && plus) {
        rv = cn_buf_append_byte(b, '+');
      } else if (is_unreserved(*p) || (*p == '/' && keep_slash) ||
                 (*p == '=' && keep_equals)) {
        if (*p == '=')
          keep_equals = false;
        rv = cn_buf_append_byte(b, (char)*p);
      } else {
        char enc[3] = {'%', hex[*p >> 4], hex[*p & 0xf]};
        rv = cn_buf_append(b, enc, 3);
      }
    }
  } else if (rv >= 0) {
    size_t start = b->len;
    rv = cn_buf_append_str(b, part);
    for (size_t i = start; rv >= 0 && i < b->len; i++) {
      char *p = b->data + i;
      if (p[0] == '%' && i + 2 < b->len && is_xdigit((unsigned char)p[1]) &&
          is_xdigit((unsigned char)p[2])) {
        if (p[1] >= 'A' && p[1] <= 'F')
          p[1] |= 0x20;
        if (p[2] >= 'A' && p[2] <= 'F')
          p[2] |= 0x20;
        i += 2;
      }
    }
  }
  if (rv < 0)
    return CURLUE_OUT_OF_MEMORY;
  return CURLUE_OK;
}

/* set_host validates and stores a host given as CURLUPART_HOST: percent-
 * encoded unless |urlencode| encoded it here, "[v6]" for IPv6. */
static CURLUcode set_host(struct cn_url *u, char *newp, size_t n,
                          bool urlencode, unsigned int flags) {
  if (!n && (flags & CURLU_NO_AUTHORITY)) {
    /* An empty host is fine here; encoded, it is even stored as none. */
    cn_free(u->host);
    cn_free(u->zoneid);
    u->host = newp;
    u->zoneid = NULL;
    u->host_is_ipv6 = false;
    return CURLUE_OK;
  }
  char *checked = NULL;
  size_t clen = n;
  CURLUcode uc = CURLUE_OK;
  if (!n) {
    uc = CURLUE_BAD_HOSTNAME;
  } else if (!urlencode) {
    /* The part came encoded: check what it decodes to. */
    int rc =
        cn_url_unescape(newp, n, CN_URL_UNESCAPE_REJECT_CTRL, &checked, &clen);
    if (rc == CN_URL_ERR_OUT_OF_MEMORY)
      uc = CURLUE_OUT_OF_MEMORY;
    else if (rc || cn_url_check_hostname(checked, clen) != CN_URL_OK)
      uc = CURLUE_BAD_HOSTNAME;
  } else if (cn_url_check_hostname(newp, n) != CN_URL_OK) {
    uc = CURLUE_BAD_HOSTNAME;
  }
  const char *v = checked ? checked : newp;
  char *addr = NULL, *zone = NULL;
  if (!uc && v[0] == '[') {
    int rc = cn_url_split_ipv6(v, clen, &addr, &zone);
    if (rc)
      uc = to_uc(rc);
  }
  cn_free(checked);
  if (uc) {
    cn_free(newp);
    return uc;
  }
  cn_free(u->host);
  cn_free(u->zoneid);
  u->zoneid = NULL;
  if (addr) {
    cn_free(newp);
    u->host = addr;
    u->host_is_ipv6 = true;
    if (zone[0])
      u->zoneid = zone;
    else
      cn_free(zone);
  } else {
    u->host = newp;
    u->host_is_ipv6 = false;
  }
  return CURLUE_OK;
}

static CURLUcode clear_part(struct cn_url *u, CURLUPart what) {
  char **storep;
  switch (what) {
  case CURLUPART_URL:
    cn_url_cleanup(u);
    return CURLUE_OK;
  case CURLUPART_SCHEME:
    storep = &u->scheme;
    u->guessed_scheme = false;
    break;
  case CURLUPART_USER:
    storep = &u->user;
    break;
  case CURLUPART_PASSWORD:
    storep = &u->password;
    break;
  case CURLUPART_OPTIONS:
    storep = &u->options;
    break;
  case CURLUPART_HOST:
    storep = &u->host;
    u->host_is_ipv6 = false;
    break;
  case CURLUPART_ZONEID:
    storep = &u->zoneid;
    break;
  case CURLUPART_PORT:
    u->has_port = false;
    u->port = 0;
    return CURLUE_OK;
  case CURLUPART_PATH:
    storep = &u->path;
    break;
  case CURLUPART_QUERY:
    storep = &u->query;
    u->query_present = false;
    break;
  case CURLUPART_FRAGMENT:
    storep = &u->fragment;
    u->fragment_present = false;
    break;
  default:
    return CURLUE_UNKNOWN_PART;
  }
  cn_free(*storep);
  *storep = NULL;
  return CURLUE_OK;
}

CURLUcode curl_url_set(CURLU *handle, CURLUPart what, const char *part,
                       unsigned int flags) {
  if (!handle)
    return CURLUE_BAD_HANDLE;
  struct cn_url *u = &handle->u;
  if (!part)
    return clear_part(u, what);

  size_t nalloc = strlen(part);
  if (nalloc > CN_URL_MAX_INPUT)
    return CURLUE_MALFORMED_INPUT;

  bool urlencode = flags & CURLU_URLENCODE;
  bool plus = false, keep_slash = false, lead_slash = false;
  bool append = false;
  char **storep;
  switch (what) {
  case CURLUPART_URL:
    if (!nalloc) {
      /* "" is a valid relative URL only on top of a complete one, and then
       * nothing changes. */
      char *old;
      int rc = cn_url_to_string(u, flags, &old);
      if (rc)
        return rc == CN_URL_ERR_OUT_OF_MEMORY ? CURLUE_OUT_OF_MEMORY
                                              : CURLUE_MALFORMED_INPUT;
      cn_free(old);
      return CURLUE_OK;
    }
    return to_uc(cn_url_resolve(u, u, part, flags));
  case CURLUPART_SCHEME: {
    CURLUcode uc = check_scheme(part, flags);
    if (uc)
      return uc;
    char *s = cn_strdup(part);
    if (!s)
      return CURLUE_OUT_OF_MEMORY;
    cn_free(u->scheme);
    u->scheme = s;
    u->guessed_scheme = false;
    return CURLUE_OK;
  }
  case CURLUPART_PORT:
    return set_port(u, part);
  case CURLUPART_USER:
    storep = &u->user;
    break;
  case CURLUPART_PASSWORD:
    storep = &u->password;
    break;
  case CURLUPART_OPTIONS:
    storep = &u->options;
    break;
  case CURLUPART_HOST:
    storep = &u->host;
    break;
  case CURLUPART_ZONEID:
    storep = &u->zoneid;
    break;
  case CURLUPART_PATH:
    keep_slash = true;
    lead_slash = true;
    storep = &u->path;
    break;
  case CURLUPART_QUERY:
    plus = urlencode;
    append = flags & CURLU_APPENDQUERY;
    storep = &u->query;
    u->query_present = true;
    break;
  case CURLUPART_FRAGMENT:
    storep = &u->fragment;
    u->fragment_present = true;
    break;
  default:
    return CURLUE_UNKNOWN_PART;
  }

  struct cn_buf b;
  cn_buf_init(&b, 0);
  CURLUcode uc =
      encode_part(&b, part, urlencode, plus, keep_slash, append, lead_slash);
  if (uc) {
    cn_buf_cleanup(&b);
    return uc;
  }
  size_t n = b.len;
  if (append && u->query && u->query[0] && (n || !urlencode)) {
    /* Join with '&' unless the old query already ends with one. */
    struct cn_buf q;
    cn_buf_init(&q, 0);
    size_t qlen = strlen(u->query);
    int rv = cn_buf_append(&q, u->query, qlen);
    if (rv >= 0 && u->query[qlen - 1] != '&')
      rv = cn_buf_append_byte(&q, '&');
    if (rv >= 0)
      rv = cn_buf_append(&q, b.data ? b.data : "", n);
    cn_buf_cleanup(&b);
    char *joined = rv >= 0 ? cn_buf_detach(&q) : NULL;
    cn_buf_cleanup(&q);
    if (!joined)
      return CURLUE_OUT_OF_MEMORY;
    cn_free(u->query);
    u->query = joined;
    return CURLUE_OK;
  }
  char *newp = NULL;
  if (n || !urlencode) {
    /* libcurl stores nothing (clearing the part) when encoding produced
     * no bytes, but stores "" for an empty unencoded part. */
    newp = cn_buf_detach(&b);
    if (!newp) {
      cn_buf_cleanup(&b);
      return CURLUE_OUT_OF_MEMORY;
    }
  }
  cn_buf_cleanup(&b);
  if (what == CURLUPART_HOST)
    return set_host(u, newp, n, urlencode, flags);
  cn_free(*storep);
  *storep = newp;
  return CURLUE_OK;
}

const char *curl_url_strerror(CURLUcode error) {
  switch (error) {
  case CURLUE_OK:
    return "No error";
  case CURLUE_BAD_HANDLE:
    return "An invalid CURLU pointer was passed as argument";
  case CURLUE_BAD_PARTPOINTER:
    return "An invalid 'part' argument was passed as argument";
  case CURLUE_MALFORMED_INPUT:
    return "Malformed input to a URL function";
  case CURLUE_BAD_PORT_NUMBER:
    return "Port number was not a decimal number between 0 and 65535";
  case CURLUE_UNSUPPORTED_SCHEME:
    return "Unsupported URL scheme";
  case CURLUE_URLDECODE:
    return "URL decode error, most likely because of rubbish in the input";
  case CURLUE_OUT_OF_MEMORY:
    return "A memory function failed";
  case CURLUE_USER_NOT_ALLOWED:
    return "Credentials was passed in the URL when prohibited";
  case CURLUE_UNKNOWN_PART:
    return "An unknown part ID was passed to a URL API function";
  case CURLUE_NO_SCHEME:
    return "No scheme part in the URL";
  case CURLUE_NO_USER:
    return "No user part in the URL";
  case CURLUE_NO_PASSWORD:
    return "No password part in the URL";
  case CURLUE_NO_OPTIONS:
    return "No options part in the URL";
  case CURLUE_NO_HOST:
    return "No host part in the URL";
  case CURLUE_NO_PORT:
    return "No port part in the URL";
  case CURLUE_NO_QUERY:
    return "No query part in the URL";
  case CURLUE_NO_FRAGMENT:
    return "No fragment part in the URL";
  case CURLUE_NO_ZONEID:
    return "No zoneid part in the URL";
  case CURLUE_BAD_FILE_URL:
    return "Bad file:// URL";
  case CURLUE_BAD_FRAGMENT:
    return "Bad fragment";
  case CURLUE_BAD_HOSTNAME:
    return "Bad hostname";
  case CURLUE_BAD_IPV6:
    return "Bad IPv6 address";
  case CURLUE_BAD_LOGIN:
    return "Bad login part";
  case CURLUE_BAD_PASSWORD:
    return "Bad password";
  case CURLUE_BAD_PATH:
    return "Bad path";
  case CURLUE_BAD_QUERY:
    return "Bad query";
  case CURLUE_BAD_SCHEME:
    return "Bad scheme";
  case CURLUE_BAD_SLASHES:
    return "Unsupported number of slashes following scheme";
  case CURLUE_BAD_USER:
    return "Bad user";
  case CURLUE_LACKS_IDN:
    return "libcurl lacks IDN support";
  case CURLUE_TOO_LARGE:
    return "A value or data field is larger than allowed";
  case CURLUE_LAST:
    break;
  }
  return "CURLUcode unknown";
}
