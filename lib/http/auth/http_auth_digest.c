/* http_auth_digest.c: Digest challenges and responses (see the header for
 * the libcurl 8.14 behaviour kept here). */
#include "http/auth/http_auth_digest.h"

#include <openssl/digest.h>
#include <openssl/rand.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/net_error.h"

/* libcurl reads at most this much of a parameter name and value; longer
 * ones are cut (names) or end the value early (values). */
#define NAME_MAX_LEN 256
#define CONTENT_MAX_LEN 1024
/* qop tokens longer than this end the list (libcurl's limit). */
#define QOP_TOKEN_MAX 32
#define CNONCE_RANDOM_BYTES 12

int cn_http_auth_random_bytes(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  return RAND_bytes(out, len) == 1 ? CN_OK : CN_ERR_FAILED;
}

void cn_http_auth_digest_init(struct cn_http_auth_digest *d) {
  memset(d, 0, sizeof(*d));
  d->algo = CN_DIGEST_MD5;
}

void cn_http_auth_digest_cleanup(struct cn_http_auth_digest *d) {
  cn_free(d->nonce);
  cn_free(d->cnonce);
  cn_free(d->realm);
  cn_free(d->opaque);
  cn_free(d->qop);
  cn_free(d->algorithm);
  cn_http_auth_digest_init(d);
}

bool cn_http_auth_digest_has_challenge(const struct cn_http_auth_digest *d) {
  return d->nonce != NULL;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static const char *skip_blanks(const char *s) {
  while (is_blank(*s))
    s++;
  return s;
}

/* read_pair reads one |name|=|content| item at *pos the way libcurl does:
 * the name runs to '=', a quoted value to its closing quote (backslash
 * escapes one character), an unquoted value to a comma or line end, and
 * both are silently cut at libcurl's limits. false for a missing '=', a
 * quote inside an unquoted value, a line end inside a quoted one, or a
 * trailing backslash. On success *pos is just past the value's end mark. */
static bool read_pair(const char **pos, char *name, char *content) {
  const char *s = *pos;
  size_t n = 0;
  while (*s && *s != '=' && n < NAME_MAX_LEN - 1)
    name[n++] = *s++;
  name[n] = '\0';
  if (*s != '=')
    return false;
  s++;
  bool quoted = *s == '"';
  if (quoted)
    s++;
  size_t budget = CONTENT_MAX_LEN - 1; /* characters libcurl examines */
  size_t out = 0;
  bool escape = false;
  while (*s && budget > 0) {
    budget--;
    char ch = *s++;
    if (!escape) {
      if (ch == '\\' && quoted) {
        escape = true;
        continue;
      }
      if (ch == ',' && !quoted)
        break;
      if (ch == '\r' || ch == '\n') {
        if (quoted)
          return false;
        break;
      }
      if (ch == '"') {
        if (!quoted)
          return false;
        break;
      }
    }
    escape = false;
    content[out++] = ch;
  }
  if (escape)
    return false;
  content[out] = '\0';
  *pos = s;
  return true;
}

static int replace(char **field, const char *value) {
  char *copy = cn_strdup(value);
  if (!copy)
    return CN_ERR_OUT_OF_MEMORY;
  cn_free(*field);
  *field = copy;
  return CN_OK;
}

static bool token_is(const char *token, size_t len, const char *word) {
  return strlen(word) == len && strncasecmp(token, word, len) == 0;
}

/* parse_qop keeps "auth" if offered, else "auth-int"; other values (and
 * "auth-conf") are ignored. Tokens are split at commas with leading
 * blanks skipped but trailing ones kept, as libcurl splits them. */
static int parse_qop(struct cn_http_auth_digest *d, const char *list) {
  bool auth = false, auth_int = false;
  const char *t = skip_blanks(list);
  for (;;) {
    const char *start = t;
    size_t len = 0;
    while (*t && *t != ',' && len <= QOP_TOKEN_MAX) {
      t++;
      len++;
    }
    if (len == 0 || len > QOP_TOKEN_MAX)
      break;
    if (token_is(start, len, "auth"))
      auth = true;
    else if (token_is(start, len, "auth-int"))
      auth_int = true;
    if (*t != ',')
      break;
    t = skip_blanks(t + 1);
  }
  if (auth)
    return replace(&d->qop, "auth");
  if (auth_int)
    return replace(&d->qop, "auth-int");
  return CN_OK;
}

static int parse_algorithm(struct cn_http_auth_digest *d, const char *value) {
  static const struct {
    const char *name;
    enum cn_http_auth_digest_algo algo;
  } algos[] = {
      {"MD5-sess", CN_DIGEST_MD5_SESS},
      {"MD5", CN_DIGEST_MD5},
      {"SHA-256", CN_DIGEST_SHA256},
      {"SHA-256-SESS", CN_DIGEST_SHA256_SESS},
      {"SHA-512-256", CN_DIGEST_SHA512_256},
      {"SHA-512-256-SESS", CN_DIGEST_SHA512_256_SESS},
  };
  int rv = replace(&d->algorithm, value);
  if (rv != CN_OK)
    return rv;
  for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
    if (strcasecmp(value, algos[i].name) == 0) {
      d->algo = algos[i].algo;
      return CN_OK;
    }
  }
  return CN_ERR_INVALID_RESPONSE;
}

int cn_http_auth_digest_input(struct cn_http_auth_digest *d,
                              const char *header) {
  if (strncasecmp(header, "Digest", 6) != 0 || !is_blank(header[6]))
    return CN_ERR_INVALID_RESPONSE;
  const char *p = skip_blanks(header + 6);
  bool had_nonce = d->nonce != NULL;
  cn_http_auth_digest_cleanup(d);

  /* Large buffers: libcurl's limits, kept off the allocator. */
  char name[NAME_MAX_LEN];
  char content[CONTENT_MAX_LEN];
  for (;;) {
    p = skip_blanks(p);
    if (!read_pair(&p, name, content))
      break;
    int rv = CN_OK;
    if (strcasecmp(name, "nonce") == 0) {
      rv = replace(&d->nonce, content);
    } else if (strcasecmp(name, "stale") == 0) {
      if (strcasecmp(content, "true") == 0) {
        d->stale = true;
        d->nc = 1;
      }
    } else if (strcasecmp(name, "realm") == 0) {
      rv = replace(&d->realm, content);
    } else if (strcasecmp(name, "opaque") == 0) {
      rv = replace(&d->opaque, content);
    } else if (strcasecmp(name, "qop") == 0) {
      rv = parse_qop(d, content);
    } else if (strcasecmp(name, "algorithm") == 0) {
      rv = parse_algorithm(d, content);
    } else if (strcasecmp(name, "userhash") == 0) {
      if (strcasecmp(content, "true") == 0)
        d->userhash = true;
    }
    if (rv != CN_OK)
      return rv;
    p = skip_blanks(p);
    if (*p == ',')
      p++;
  }
  /* A fresh nonce without stale=true: the last credentials were refused. */
  if (had_nonce && !d->stale)
    return CN_ERR_INVALID_RESPONSE;
  if (!d->nonce)
    return CN_ERR_INVALID_RESPONSE;
  /* The -sess variants hash the cnonce in, which only a qop sends. */
  if (!d->qop && (d->algo & 1))
    return CN_ERR_INVALID_RESPONSE;
  return CN_OK;
}

/* --- the response ------------------------------------------------------ */

static const EVP_MD *algo_md(enum cn_http_auth_digest_algo algo) {
  switch (algo) {
  case CN_DIGEST_SHA256:
  case CN_DIGEST_SHA256_SESS:
    return EVP_sha256();
  case CN_DIGEST_SHA512_256:
  case CN_DIGEST_SHA512_256_SESS:
    return EVP_sha512_256();
  case CN_DIGEST_MD5:
  case CN_DIGEST_MD5_SESS:
  default:
    return EVP_md5();
  }
}

/* hash_hex writes the lowercase hex digest of |buf| to |out| (at least
 * 2 * EVP_MAX_MD_SIZE + 1 bytes). */
static void hash_hex(const EVP_MD *md, const struct cn_buf *buf, char *out) {
  static const char hex[] = "0123456789abcdef";
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(buf->data ? buf->data : "", buf->len, digest, &len, md, NULL);
  for (unsigned i = 0; i < len; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[2 * len] = '\0';
}

/* append_quoted escapes '"' and '\' with a backslash, as libcurl does for
 * the username, realm, nonce and opaque it echoes. */
static int append_quoted(struct cn_buf *b, const char *s) {
  int rv = CN_OK;
  for (; *s && rv == CN_OK; s++) {
    if (*s == '"' || *s == '\\')
      rv = cn_buf_append_byte(b, '\\');
    if (rv == CN_OK)
      rv = cn_buf_append_byte(b, *s);
  }
  return rv;
}

static int make_cnonce(struct cn_http_auth_digest *d,
                       cn_http_auth_random_fn rnd, void *rnd_ctx) {
  uint8_t bytes[CNONCE_RANDOM_BYTES];
  int rv = (rnd ? rnd : cn_http_auth_random_bytes)(rnd_ctx, bytes,
                                                   sizeof(bytes));
  if (rv != CN_OK)
    return rv;
  char *cnonce = cn_base64_encode(bytes, sizeof(bytes));
  if (!cnonce)
    return CN_ERR_OUT_OF_MEMORY;
  d->cnonce = cnonce;
  return CN_OK;
}

int cn_http_auth_digest_output(struct cn_http_auth_digest *d,
                               char **out_value, const char *method,
                               const char *uri, const char *user,
                               const char *password,
                               cn_http_auth_random_fn rnd, void *rnd_ctx) {
  if (!d->nonce)
    return CN_ERR_UNEXPECTED;
  user = user ? user : "";
  password = password ? password : "";
  const char *realm = d->realm ? d->realm : "";
  const EVP_MD *md = algo_md(d->algo);
  char userh[2 * EVP_MAX_MD_SIZE + 1];
  char ha1[2 * EVP_MAX_MD_SIZE + 1];
  char ha2[2 * EVP_MAX_MD_SIZE + 1];
  char response[2 * EVP_MAX_MD_SIZE + 1];
  struct cn_buf b;
  cn_buf_init(&b, 0);
  int rv = CN_OK;

  if (!d->nc)
    d->nc = 1;
  if (!d->cnonce && (rv = make_cnonce(d, rnd, rnd_ctx)) != CN_OK)
    goto out;

  if (d->userhash) {
    if ((rv = cn_buf_printf(&b, "%s:%s", user, realm)) != CN_OK)
      goto out;
    hash_hex(md, &b, userh);
    cn_buf_reset(&b);
  }

  /* HA1 = H(user:realm:password), for -sess H(HA1:nonce:cnonce). */
  if ((rv = cn_buf_printf(&b, "%s:%s:%s", user, realm, password)) != CN_OK)
    goto out;
  hash_hex(md, &b, ha1);
  cn_buf_reset(&b);
  if (d->algo & 1) {
    if ((rv = cn_buf_printf(&b, "%s:%s:%s", ha1, d->nonce, d->cnonce)) !=
        CN_OK)
      goto out;
    hash_hex(md, &b, ha1);
    cn_buf_reset(&b);
  }

  /* HA2 = H(method:uri), for auth-int H(method:uri:H(body)) where libcurl
   * always hashes an empty body. */
  if ((rv = cn_buf_printf(&b, "%s:%s", method, uri)) != CN_OK)
    goto out;
  if (d->qop && strcasecmp(d->qop, "auth-int") == 0) {
    struct cn_buf empty;
    char body_hash[2 * EVP_MAX_MD_SIZE + 1];
    cn_buf_init(&empty, 0);
    hash_hex(md, &empty, body_hash);
    if ((rv = cn_buf_printf(&b, ":%s", body_hash)) != CN_OK)
      goto out;
  }
  hash_hex(md, &b, ha2);
  cn_buf_reset(&b);

  if (d->qop)
    rv = cn_buf_printf(&b, "%s:%s:%08x:%s:%s:%s", ha1, d->nonce, d->nc,
                       d->cnonce, d->qop, ha2);
  else
    rv = cn_buf_printf(&b, "%s:%s:%s", ha1, d->nonce, ha2);
  if (rv != CN_OK)
    goto out;
  hash_hex(md, &b, response);
  cn_buf_reset(&b);

  /* Field order and quoting as libcurl writes them. */
  rv = cn_buf_append_str(&b, "Digest username=\"");
  if (rv == CN_OK)
    rv = append_quoted(&b, d->userhash ? userh : user);
  if (rv == CN_OK)
    rv = cn_buf_append_str(&b, "\", realm=\"");
  if (rv == CN_OK)
    rv = append_quoted(&b, realm);
  if (rv == CN_OK)
    rv = cn_buf_append_str(&b, "\", nonce=\"");
  if (rv == CN_OK)
    rv = append_quoted(&b, d->nonce);
  if (rv == CN_OK)
    rv = cn_buf_printf(&b, "\", uri=\"%s\", ", uri);
  if (rv == CN_OK && d->qop)
    rv = cn_buf_printf(&b, "cnonce=\"%s\", nc=%08x, qop=%s, ", d->cnonce,
                       d->nc, d->qop);
  if (rv == CN_OK)
    rv = cn_buf_printf(&b, "response=\"%s\"", response);
  if (rv == CN_OK && d->opaque) {
    rv = cn_buf_append_str(&b, ", opaque=\"");
    if (rv == CN_OK)
      rv = append_quoted(&b, d->opaque);
    if (rv == CN_OK)
      rv = cn_buf_append_byte(&b, '"');
  }
  if (rv == CN_OK && d->algorithm)
    rv = cn_buf_printf(&b, ", algorithm=%s", d->algorithm);
  if (rv == CN_OK && d->userhash)
    rv = cn_buf_append_str(&b, ", userhash=true");
  if (rv != CN_OK)
    goto out;
  char *value = cn_buf_detach(&b);
  if (!value) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto out;
  }
  if (d->qop)
    d->nc++; /* the next request uses the next count */
  *out_value = value;

out:
  cn_buf_cleanup(&b);
  return rv;
}
