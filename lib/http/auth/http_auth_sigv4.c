/* http_auth_sigv4.c: AWS SigV4 request signing with libcurl 8.14's rules
 * (header canonicalisation, query sorting, s3 payload hashing). */
#include "http/auth/http_auth_sigv4.h"

#include <ctype.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/net_log.h"

#define MAX_PART_LEN 64        /* each provider/region/service part */
#define MAX_QUERY_PARTS 128    /* libcurl fails at this many */
#define TIMESTAMP_LEN 16       /* "19700101T000000Z" */
#define UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

void cn_http_auth_header_list_cleanup(struct cn_http_auth_header_list *l) {
  for (size_t i = 0; i < l->num_headers; i++) {
    cn_free(l->headers[i].name);
    cn_free(l->headers[i].value);
  }
  memset(l, 0, sizeof(*l));
}

int cn_http_auth_header_list_add(struct cn_http_auth_header_list *l,
                                 const char *name, const char *value) {
  if (l->num_headers == CN_HTTP_AUTH_MAX_HEADERS)
    return CN_ERR_UNEXPECTED;
  char *n = cn_strdup(name);
  char *v = cn_strdup(value);
  if (!n || !v) {
    cn_free(n);
    cn_free(v);
    return CN_ERR_OUT_OF_MEMORY;
  }
  l->headers[l->num_headers].name = n;
  l->headers[l->num_headers].value = v;
  l->num_headers++;
  return CN_OK;
}

/* A piece of a string (not NUL-terminated). */
struct span {
  const char *s;
  size_t len;
};

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static bool is_unreserved(unsigned char c) {
  return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool span_equals_nocase(struct span a, const char *word) {
  return a.len == strlen(word) && strncasecmp(a.s, word, a.len) == 0;
}

static bool span_equals(struct span a, const char *word) {
  return a.len == strlen(word) && strncmp(a.s, word, a.len) == 0;
}

/* take_until reads 1..|max| bytes up to |delim| or the end (libcurl's
 * curlx_str_until): false, with |out| empty and *p unmoved, when the part
 * is empty or longer. */
static bool take_until(const char **p, char delim, struct span *out) {
  const char *s = *p;
  size_t len = 0;
  out->s = NULL;
  out->len = 0;
  while (*s && *s != delim) {
    s++;
    if (++len > MAX_PART_LEN)
      return false;
  }
  if (!len)
    return false;
  out->s = *p;
  out->len = len;
  *p = s;
  return true;
}

static bool take_byte(const char **p, char c) {
  if (**p != c)
    return false;
  (*p)++;
  return true;
}

/* find_user_header is libcurl's Curl_checkheaders: the first program line
 * whose name is |name| followed by ':' or ';'. */
static const char *find_user_header(const struct cn_aws_sigv4_request *req,
                                    const char *name, size_t len) {
  for (size_t i = 0; i < req->num_user_headers; i++) {
    const char *line = req->user_headers[i];
    if (strncasecmp(line, name, len) == 0 &&
        (line[len] == ':' || line[len] == ';'))
      return line;
  }
  return NULL;
}

static void hex_encode(const uint8_t *in, size_t len, char *out) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = hex[in[i] >> 4];
    out[2 * i + 1] = hex[in[i] & 15];
  }
  out[2 * len] = '\0';
}

static void sha256_hex(const void *data, size_t len, char *out) {
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(data ? data : (const void *)"", len, md);
  hex_encode(md, sizeof(md), out);
}

/* --- header canonicalisation -------------------------------------------- */

/* A header line "name:value" being canonicalised (owned). */
struct line_list {
  char **lines;
  size_t num;
  size_t cap;
};

static void lines_free(struct line_list *l) {
  for (size_t i = 0; i < l->num; i++)
    cn_free(l->lines[i]);
  cn_free(l->lines);
  memset(l, 0, sizeof(*l));
}

/* lines_take takes ownership of |line| (freed on failure). */
static int lines_take(struct line_list *l, char *line) {
  if (!line)
    return CN_ERR_OUT_OF_MEMORY;
  if (l->num == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    char **grown = cn_realloc(l->lines, cap * sizeof(*grown));
    if (!grown) {
      cn_free(line);
      return CN_ERR_OUT_OF_MEMORY;
    }
    l->lines = grown;
    l->cap = cap;
  }
  l->lines[l->num++] = line;
  return CN_OK;
}

/* trim_line lowercases the name and, in the value, drops leading and
 * trailing blanks and folds inner runs of blanks into one space. */
static void trim_line(char *line) {
  size_t colon = strcspn(line, ":");
  for (size_t i = 0; i < colon; i++)
    line[i] = (char)tolower((unsigned char)line[i]);
  if (!line[colon])
    return;
  const char *in = line + colon + 1;
  char *out = line + colon + 1;
  while (is_blank(*in))
    in++;
  while (*in) {
    if (is_blank(*in)) {
      while (is_blank(*in))
        in++;
      if (*in)
        *out++ = ' ';
    } else {
      *out++ = *in++;
    }
  }
  *out = '\0';
}

static size_t name_len(const char *line) {
  const char *colon = strchr(line, ':');
  return colon ? (size_t)(colon - line) : strlen(line);
}

/* compare_names orders by header name, byte-wise, a prefix first. */
static int compare_names(const char *a, const char *b) {
  size_t la = name_len(a), lb = name_len(b);
  int c = strncmp(a, b, la < lb ? la : lb);
  if (c)
    return c;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/* sort_and_merge sorts the lines by name, keeping the program's order among
 * equal names, and merges equal names into "name:v1,v2". */
static int sort_and_merge(struct line_list *l) {
  for (size_t i = 1; i < l->num; i++) {
    char *cur = l->lines[i];
    size_t j = i;
    while (j > 0 && compare_names(l->lines[j - 1], cur) > 0) {
      l->lines[j] = l->lines[j - 1];
      j--;
    }
    l->lines[j] = cur;
  }
  size_t out = 0;
  for (size_t i = 0; i < l->num; i++) {
    if (out > 0 && compare_names(l->lines[out - 1], l->lines[i]) == 0) {
      struct cn_buf b;
      cn_buf_init(&b, 0);
      const char *value = strchr(l->lines[i], ':') + 1;
      if (cn_buf_printf(&b, "%s,%s", l->lines[out - 1], value) != CN_OK) {
        cn_buf_cleanup(&b);
        return CN_ERR_OUT_OF_MEMORY;
      }
      char *merged = cn_buf_detach(&b);
      if (!merged)
        return CN_ERR_OUT_OF_MEMORY;
      cn_free(l->lines[out - 1]);
      cn_free(l->lines[i]);
      l->lines[i] = NULL;
      l->lines[out - 1] = merged;
    } else {
      l->lines[out++] = l->lines[i];
    }
  }
  l->num = out;
  return CN_OK;
}

/* add_user_lines copies the program's headers that libcurl signs: "Name:"
 * (removal) and lines without ':' or ';' are left out, and so are values of
 * blanks only; "Name;" is signed as an empty "name:". */
static int add_user_lines(struct line_list *l,
                          const struct cn_aws_sigv4_request *req) {
  for (size_t i = 0; i < req->num_user_headers; i++) {
    const char *line = req->user_headers[i];
    const char *sep = strchr(line, ':');
    if (!sep)
      sep = strchr(line, ';');
    if (!sep || (*sep == ':' && !sep[1]))
      continue;
    const char *v = sep + 1;
    while (is_blank(*v))
      v++;
    if (!*v && v != sep + 1)
      continue;
    char *copy = cn_strdup(line);
    if (copy)
      copy[sep - line] = ':';
    int rv = lines_take(l, copy);
    if (rv != CN_OK)
      return rv;
  }
  return CN_OK;
}

struct canonical_headers {
  struct cn_buf canonical; /* "name:value\n" each */
  struct cn_buf signed_names; /* "a;b;c" */
  char timestamp[TIMESTAMP_LEN + 1];
  bool add_date_header; /* the program did not send the date */
};

/* make_headers builds the canonical and signed header lists. |timestamp|
 * comes in as the current time and is replaced by the program's own date
 * header value when it sends one (empty if that is not 16 alphanumerics). */
static int make_headers(struct canonical_headers *out,
                        const struct cn_aws_sigv4_request *req,
                        struct span provider1, const char *sha_line) {
  struct line_list l = {0};
  int rv = CN_OK;
  char date_key[MAX_PART_LEN + sizeof("X--Date")];

  /* "X-Provider-Date": the first letter upper case, the rest lower. */
  snprintf(date_key, sizeof(date_key), "X-%.*s-Date", (int)provider1.len,
           provider1.s);
  for (size_t i = 0; i < provider1.len; i++)
    date_key[2 + i] = (char)tolower((unsigned char)provider1.s[i]);
  date_key[2] = (char)toupper((unsigned char)provider1.s[0]);

  if (!find_user_header(req, "Host", 4)) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    rv = cn_buf_printf(&b, "host:%s", req->authority ? req->authority : "");
    char *line = rv == CN_OK ? cn_buf_detach(&b) : NULL;
    cn_buf_cleanup(&b);
    if ((rv = lines_take(&l, line)) != CN_OK)
      goto out;
  }
  if (sha_line && (rv = lines_take(&l, cn_strdup(sha_line))) != CN_OK)
    goto out;
  if ((rv = add_user_lines(&l, req)) != CN_OK)
    goto out;
  for (size_t i = 0; i < l.num; i++)
    trim_line(l.lines[i]);

  const char *date = find_user_header(req, date_key, strlen(date_key));
  if (!date)
    date = find_user_header(req, "Date", 4);
  if (!date) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    rv = cn_buf_printf(&b, "x-%.*s-date:%s", (int)provider1.len, provider1.s,
                       out->timestamp);
    char *line = rv == CN_OK ? cn_buf_detach(&b) : NULL;
    cn_buf_cleanup(&b);
    if (line)
      for (size_t i = 2; i < 2 + provider1.len; i++)
        line[i] = (char)tolower((unsigned char)line[i]);
    if ((rv = lines_take(&l, line)) != CN_OK)
      goto out;
    out->add_date_header = true;
  } else {
    const char *v = strchr(date, ':');
    if (!v) {
      rv = CN_ERR_OUT_OF_MEMORY; /* what libcurl returns here */
      goto out;
    }
    v++;
    while (is_blank(*v))
      v++;
    size_t n = 0;
    while (isalnum((unsigned char)v[n]))
      n++;
    if (n == TIMESTAMP_LEN) {
      memcpy(out->timestamp, v, TIMESTAMP_LEN);
      out->timestamp[TIMESTAMP_LEN] = '\0';
    } else {
      out->timestamp[0] = '\0'; /* libcurl signs an empty date then */
    }
  }

  if ((rv = sort_and_merge(&l)) != CN_OK)
    goto out;
  for (size_t i = 0; i < l.num && rv == CN_OK; i++) {
    size_t n = name_len(l.lines[i]);
    rv = cn_buf_printf(&out->canonical, "%s\n", l.lines[i]);
    if (rv == CN_OK && i > 0)
      rv = cn_buf_append_byte(&out->signed_names, ';');
    if (rv == CN_OK)
      rv = cn_buf_append(&out->signed_names, l.lines[i], n);
  }
out:
  lines_free(&l);
  return rv;
}

/* --- query and path ---------------------------------------------------- */

/* decode_encode is url_encode(url_decode(in)) with libcurl's quirks: a
 * zero length means "up to the NUL", '+' stays '+' in the decoding and
 * becomes %20 in the encoding, everything but RFC 3986 unreserved
 * characters is %XX (upper case). */
static int decode_encode(struct cn_buf *out, const char *in, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  if (!len)
    len = strlen(in);
  int rv = CN_OK;
  size_t i = 0;
  while (i < len && rv == CN_OK) {
    unsigned char c = (unsigned char)in[i];
    if (c == '%' && len - i > 2 && isxdigit((unsigned char)in[i + 1]) &&
        isxdigit((unsigned char)in[i + 2])) {
      char pair[3] = {in[i + 1], in[i + 2], 0};
      c = (unsigned char)strtol(pair, NULL, 16);
      i += 3;
    } else {
      i++;
    }
    if (is_unreserved(c)) {
      rv = cn_buf_append_byte(out, (char)c);
    } else if (c == '+') {
      rv = cn_buf_append_str(out, "%20");
    } else {
      char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
      rv = cn_buf_append(out, esc, 3);
    }
  }
  return rv;
}

struct query_pair {
  struct cn_buf key;
  struct cn_buf value;
};

static const char *buf_str(const struct cn_buf *b) {
  return b->data ? b->data : "";
}

static int compare_pairs(const void *a, const void *b) {
  const struct query_pair *pa = a, *pb = b;
  int c = strcmp(buf_str(&pa->key), buf_str(&pb->key));
  return c ? c : strcmp(buf_str(&pa->value), buf_str(&pb->value));
}

/* canonical_query splits at '&' (empty parts dropped), decodes and
 * re-encodes each key and value, sorts by key then value, and joins them
 * as "k=v&..." ("k=" for a key without value). */
static int canonical_query(struct cn_buf *out, const char *query) {
  if (!query)
    return CN_OK;
  struct query_pair *pairs = NULL;
  size_t num = 0;
  int rv = CN_OK;
  const char *p = query;
  while (*p && rv == CN_OK) {
    size_t len = strcspn(p, "&");
    if (len) {
      if (num + 1 == MAX_QUERY_PARTS) {
        rv = CN_ERR_INPUT_TOO_LARGE;
        break;
      }
      if (!pairs && !(pairs = cn_calloc(MAX_QUERY_PARTS, sizeof(*pairs)))) {
        rv = CN_ERR_OUT_OF_MEMORY;
        break;
      }
      struct query_pair *qp = &pairs[num++];
      cn_buf_init(&qp->key, 0);
      cn_buf_init(&qp->value, 0);
      const char *eq = memchr(p, '=', len);
      size_t key_len = eq ? (size_t)(eq - p) : len;
      /* libcurl passes the part's own copy, so "up to the NUL" in
       * decode_encode means the rest of this part. */
      char *part = cn_strndup(p, len);
      if (!part) {
        rv = CN_ERR_OUT_OF_MEMORY;
        break;
      }
      rv = decode_encode(&qp->key, part, key_len);
      if (rv == CN_OK && eq && key_len + 1 < len)
        rv = decode_encode(&qp->value, part + key_len + 1, len - key_len - 1);
      cn_free(part);
    }
    p += len;
    if (*p == '&')
      p++;
  }
  if (rv == CN_OK && num) {
    qsort(pairs, num, sizeof(*pairs), compare_pairs);
    for (size_t i = 0; i < num && rv == CN_OK; i++)
      rv = cn_buf_printf(out, "%s%s=%s", i ? "&" : "", buf_str(&pairs[i].key),
                         buf_str(&pairs[i].value));
  }
  for (size_t i = 0; i < num; i++) {
    cn_buf_cleanup(&pairs[i].key);
    cn_buf_cleanup(&pairs[i].value);
  }
  cn_free(pairs);
  return rv;
}

/* canonical_path: the path as sent for s3 flavours, otherwise each byte but
 * unreserved ones and '/' encoded again (so "%20" becomes "%2520", which is
 * what AWS wants outside s3); "/" when empty. */
static int canonical_path(struct cn_buf *out, const char *path,
                          struct span service) {
  static const char hex[] = "0123456789ABCDEF";
  bool as_is = span_equals(service, "s3") ||
               span_equals(service, "s3-express") ||
               span_equals(service, "s3-outposts");
  int rv = CN_OK;
  for (const char *p = path ? path : ""; *p && rv == CN_OK; p++) {
    unsigned char c = (unsigned char)*p;
    if (as_is || is_unreserved(c) || c == '/') {
      rv = cn_buf_append_byte(out, (char)c);
    } else {
      char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
      rv = cn_buf_append(out, esc, 3);
    }
  }
  if (rv == CN_OK && out->len == 0)
    rv = cn_buf_append_byte(out, '/');
  return rv;
}

/* --- signing ------------------------------------------------------------ */

static void hmac256(const void *key, size_t key_len, const void *data,
                    size_t len, uint8_t out[SHA256_DIGEST_LENGTH]) {
  unsigned out_len = 0;
  HMAC(EVP_sha256(), key, key_len, data ? data : (const void *)"", len, out,
       &out_len);
}

int cn_aws_sigv4_sign(struct cn_http_auth_header_list *out,
                      const struct cn_aws_sigv4_request *req) {
  const struct cn_net_log *log = req->log;
  if (req->path_as_is) {
    cn_net_log_fail(log, "Cannot use sigv4 authentication with path-as-is "
                         "flag");
    return CN_ERR_BAD_OPTION_VALUE;
  }
  if (find_user_header(req, "Authorization", 13))
    return CN_OK; /* the program signs itself */

  struct span p0, p1, region = {0}, service = {0};
  const char *line = req->params && *req->params ? req->params : "aws:amz";
  if (!take_until(&line, ':', &p0)) {
    cn_net_log_fail(log, "first aws-sigv4 provider cannot be empty");
    return CN_ERR_BAD_OPTION_VALUE;
  }
  if (!take_byte(&line, ':') || !take_until(&line, ':', &p1)) {
    p1 = p0;
  } else if (take_byte(&line, ':') && take_until(&line, ':', &region) &&
             take_byte(&line, ':')) {
    take_until(&line, ':', &service);
  }
  if (!service.len) {
    const char *h = req->host ? req->host : "";
    if (!take_until(&h, '.', &service) || !take_byte(&h, '.')) {
      cn_net_log_fail(log, "aws-sigv4: service missing in parameters and "
                           "hostname");
      return CN_ERR_INVALID_URL;
    }
    cn_net_log_text(log, "aws_sigv4: picked service %.*s from host",
                    (int)service.len, service.s);
    if (!region.len) {
      if (!take_until(&h, '.', &region) || !take_byte(&h, '.')) {
        cn_net_log_fail(log, "aws-sigv4: region missing in parameters and "
                             "hostname");
        return CN_ERR_INVALID_URL;
      }
      cn_net_log_text(log, "aws_sigv4: picked region %.*s from host",
                      (int)region.len, region.s);
    }
  }

  struct canonical_headers ch;
  struct cn_buf query, path, b;
  cn_buf_init(&ch.canonical, 0);
  cn_buf_init(&ch.signed_names, 0);
  cn_buf_init(&query, 0);
  cn_buf_init(&path, 0);
  cn_buf_init(&b, 0);
  ch.add_date_header = false;
  char *sha_line = NULL;   /* "x-amz-content-sha256: ..." for s3 */
  char *payload = NULL;    /* the hashed payload as signed */
  char *scope = NULL;
  char *to_sign = NULL;
  struct cn_http_auth_header_list result = {0};
  int rv = CN_OK;

  /* The payload hash. */
  {
    char key[MAX_PART_LEN + sizeof("x--content-sha256")];
    int n = snprintf(key, sizeof(key), "x-%.*s-content-sha256", (int)p1.len,
                     p1.s);
    const char *given = find_user_header(req, key, (size_t)n);
    const char *v = given ? strchr(given, ':') : NULL;
    if (v) {
      v++;
      while (is_blank(*v))
        v++;
      size_t len = strlen(v);
      while (len > 0 && is_blank(v[len - 1]))
        len--;
      payload = cn_strndup(v, len);
    } else {
      char hash[2 * SHA256_DIGEST_LENGTH + 1];
      bool s3 = span_equals_nocase(p0, "aws") &&
                span_equals_nocase(service, "s3");
      bool known = req->get_or_head || req->infile_size == 0 ||
                   (req->post_fields_post && req->post_fields);
      if (s3 && !known)
        snprintf(hash, sizeof(hash), "%s", UNSIGNED_PAYLOAD);
      else
        sha256_hex(req->post_fields,
                   req->post_fields ? req->post_fields_len : 0, hash);
      payload = cn_strdup(hash);
      if (s3 && payload) {
        if ((rv = cn_buf_printf(&b, "x-%.*s-content-sha256: %s", (int)p1.len,
                                p1.s, hash)) != CN_OK)
          goto out;
        if (!(sha_line = cn_buf_detach(&b))) {
          rv = CN_ERR_OUT_OF_MEMORY;
          goto out;
        }
      }
    }
    if (!payload) {
      rv = CN_ERR_OUT_OF_MEMORY;
      goto out;
    }
  }

  /* The time stamp, unless the program gives its own date header. */
  {
    struct tm tm;
    time_t t = (time_t)req->now;
    if (!gmtime_r(&t, &tm) ||
        !strftime(ch.timestamp, sizeof(ch.timestamp), "%Y%m%dT%H%M%SZ", &tm))
      ch.timestamp[0] = '\0';
  }
  if ((rv = make_headers(&ch, req, p1, sha_line)) != CN_OK)
    goto out;
  char date[9];
  snprintf(date, sizeof(date), "%.8s", ch.timestamp);

  if ((rv = canonical_query(&query, req->query)) != CN_OK ||
      (rv = canonical_path(&path, req->path, service)) != CN_OK)
    goto out;

  /* The canonical request. */
  rv = cn_buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%s", req->method,
                     buf_str(&path), buf_str(&query), buf_str(&ch.canonical),
                     buf_str(&ch.signed_names), payload);
  if (rv != CN_OK)
    goto out;
  cn_net_log_text(log, "aws_sigv4: Canonical request (enclosed in []) - [%s]",
                  b.data);
  char request_hash[2 * SHA256_DIGEST_LENGTH + 1];
  sha256_hex(b.data, b.len, request_hash);
  cn_buf_reset(&b);

  /* The credential scope: date/region/service/provider4_request. */
  char request_type[MAX_PART_LEN + sizeof("4_request")];
  snprintf(request_type, sizeof(request_type), "%.*s4_request", (int)p0.len,
           p0.s);
  for (size_t i = 0; i < p0.len; i++)
    request_type[i] = (char)tolower((unsigned char)request_type[i]);
  if ((rv = cn_buf_printf(&b, "%s/%.*s/%.*s/%s", date, (int)region.len,
                          region.s ? region.s : "", (int)service.len,
                          service.s, request_type)) != CN_OK)
    goto out;
  if (!(scope = cn_buf_detach(&b))) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto out;
  }
  char upper0[MAX_PART_LEN + 1];
  for (size_t i = 0; i < p0.len; i++)
    upper0[i] = (char)toupper((unsigned char)p0.s[i]);
  upper0[p0.len] = '\0';

  if ((rv = cn_buf_printf(&b, "%s4-HMAC-SHA256\n%s\n%s\n%s", upper0,
                          ch.timestamp, scope, request_hash)) != CN_OK)
    goto out;
  if (!(to_sign = cn_buf_detach(&b))) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto out;
  }
  cn_net_log_text(log, "aws_sigv4: String to sign (enclosed in []) - [%s]",
                  to_sign);

  /* kSigning = HMAC chain over date, region, service, request type. */
  if ((rv = cn_buf_printf(&b, "%s4%s", upper0,
                          req->password ? req->password : "")) != CN_OK)
    goto out;
  uint8_t k0[SHA256_DIGEST_LENGTH], k1[SHA256_DIGEST_LENGTH];
  hmac256(b.data, b.len, date, strlen(date), k0);
  memset(b.data, 0, b.len);
  cn_buf_reset(&b);
  hmac256(k0, sizeof(k0), region.s, region.len, k1);
  hmac256(k1, sizeof(k1), service.s, service.len, k0);
  hmac256(k0, sizeof(k0), request_type, strlen(request_type), k1);
  hmac256(k1, sizeof(k1), to_sign, strlen(to_sign), k0);
  char signature[2 * SHA256_DIGEST_LENGTH + 1];
  hex_encode(k0, sizeof(k0), signature);
  cn_net_log_text(log, "aws_sigv4: Signature - %s", signature);

  if ((rv = cn_buf_printf(&b,
                          "%s4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, "
                          "Signature=%s",
                          upper0, req->user ? req->user : "", scope,
                          buf_str(&ch.signed_names), signature)) != CN_OK)
    goto out;
  rv = cn_http_auth_header_list_add(&result, "Authorization", b.data);
  if (rv == CN_OK && ch.add_date_header) {
    char date_key[MAX_PART_LEN + sizeof("X--Date")];
    snprintf(date_key, sizeof(date_key), "X-%.*s-Date", (int)p1.len, p1.s);
    for (size_t i = 0; i < p1.len; i++)
      date_key[2 + i] = (char)tolower((unsigned char)p1.s[i]);
    date_key[2] = (char)toupper((unsigned char)p1.s[0]);
    rv = cn_http_auth_header_list_add(&result, date_key, ch.timestamp);
  }
  if (rv == CN_OK && sha_line) {
    char *colon = strchr(sha_line, ':');
    *colon = '\0';
    rv = cn_http_auth_header_list_add(&result, sha_line, colon + 2);
  }
  if (rv == CN_OK) {
    *out = result;
    memset(&result, 0, sizeof(result));
  }

out:
  cn_http_auth_header_list_cleanup(&result);
  cn_buf_cleanup(&ch.canonical);
  cn_buf_cleanup(&ch.signed_names);
  cn_buf_cleanup(&query);
  cn_buf_cleanup(&path);
  cn_buf_cleanup(&b);
  cn_free(sha_line);
  cn_free(payload);
  cn_free(scope);
  cn_free(to_sign);
  return rv;
}
