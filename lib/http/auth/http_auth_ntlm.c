/* http_auth_ntlm.c: NTLM type-1/2/3 messages as libcurl builds them. */
#include "http/auth/http_auth_ntlm.h"

#include <ctype.h>
#include <openssl/base64.h>
#include <openssl/des.h>
#include <openssl/digest.h>
#include <openssl/hmac.h>
#include <openssl/md4.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/net_error.h"

#define MAX_MESSAGE 1024 /* libcurl's NTLM_BUFSIZE */
#define HEADER_LEN 64    /* type-3 fixed part */
#define WORKSTATION "WORKSTATION"

/* type-1 flags: OEM, request target, NTLM key, always sign, NTLM2 key */
#define TYPE1_FLAGS 0x00088206u

void cn_http_auth_ntlm_init(struct cn_http_auth_ntlm *n) {
  memset(n, 0, sizeof(*n));
}

void cn_http_auth_ntlm_cleanup(struct cn_http_auth_ntlm *n) {
  cn_free(n->target_info);
  cn_http_auth_ntlm_init(n);
}

static void put16(uint8_t *p, size_t v) {
  p[0] = (uint8_t)(v & 0xff);
  p[1] = (uint8_t)((v >> 8) & 0xff);
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

/* with_scheme returns "NTLM <base64 of |msg|>", cn_malloc'd, or NULL. */
static char *with_scheme(const uint8_t *msg, size_t len) {
  char *b64 = cn_base64_encode(msg, len);
  if (!b64)
    return NULL;
  struct cn_buf b;
  cn_buf_init(&b, 0);
  char *out = NULL;
  if (cn_buf_printf(&b, "NTLM %s", b64) == CN_OK)
    out = cn_buf_detach(&b);
  cn_buf_cleanup(&b);
  cn_free(b64);
  return out;
}

char *cn_http_auth_ntlm_type1_value(void) {
  uint8_t msg[32] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0};
  put32(msg + 12, TYPE1_FLAGS);
  /* empty domain and workstation buffers, offsets 0 as libcurl writes */
  return with_scheme(msg, sizeof(msg));
}

int cn_http_auth_ntlm_input_type2(struct cn_http_auth_ntlm *n,
                                  const char *value) {
  if (strncasecmp(value, "NTLM", 4) != 0)
    return CN_ERR_INVALID_RESPONSE;
  const char *b64 = value + 4;
  while (*b64 == ' ' || *b64 == '\t')
    b64++;
  if (!*b64)
    return CN_ERR_INVALID_ARGUMENT; /* "NTLM" alone: send a type-1 */
  size_t b64_len = strlen(b64);
  size_t max = 0;
  /* libcurl's decoder wants whole quads and nothing but base64. */
  if (b64_len % 4 || !EVP_DecodedLength(&max, b64_len))
    return CN_ERR_INVALID_RESPONSE;
  uint8_t *msg = cn_malloc(max ? max : 1);
  if (!msg)
    return CN_ERR_OUT_OF_MEMORY;
  size_t len = 0;
  int rv = CN_OK;
  n->flags = 0;
  static const uint8_t sig[12] = {'N', 'T', 'L', 'M', 'S', 'S',
                                  'P', 0,   2,   0,   0,   0};
  if (!EVP_DecodeBase64(msg, &len, max, (const uint8_t *)b64, b64_len) ||
      len < 32 || memcmp(msg, sig, sizeof(sig)) != 0) {
    rv = CN_ERR_INVALID_RESPONSE;
    goto out;
  }
  n->flags = get32(msg + 20);
  memcpy(n->nonce, msg + 24, 8);
  if ((n->flags & CN_NTLM_FLAG_NEGOTIATE_TARGET_INFO) && len >= 48) {
    size_t info_len = (size_t)msg[40] | (size_t)msg[41] << 8;
    size_t info_off = get32(msg + 44);
    if (info_len > 0) {
      if (info_off > len || info_off + info_len > len || info_off < 48) {
        rv = CN_ERR_INVALID_RESPONSE;
        goto out;
      }
      uint8_t *info = cn_memdup(msg + info_off, info_len);
      if (!info) {
        rv = CN_ERR_OUT_OF_MEMORY;
        goto out;
      }
      cn_free(n->target_info);
      n->target_info = info;
    }
    n->target_info_len = info_len;
  }
out:
  cn_free(msg);
  return rv;
}

/* --- the crypto --------------------------------------------------------- */

/* des_key spreads 7 key bytes over 8 with odd parity (libcurl's
 * extend_key_56_to_64 + DES_set_odd_parity). */
static void des_key(const uint8_t *k7, DES_key_schedule *ks) {
  DES_cblock key;
  uint8_t *b = key.bytes;
  b[0] = k7[0];
  for (int i = 1; i < 7; i++)
    b[i] = (uint8_t)((k7[i - 1] << (8 - i)) | (k7[i] >> i));
  b[7] = (uint8_t)(k7[6] << 1);
  DES_set_odd_parity(&key);
  DES_set_key_unchecked(&key, ks);
}

static void des_encrypt(const uint8_t *k7, const uint8_t in[8],
                        uint8_t out[8]) {
  DES_key_schedule ks;
  DES_cblock block, result;
  memcpy(block.bytes, in, 8);
  des_key(k7, &ks);
  DES_ecb_encrypt(&block, &result, &ks, DES_ENCRYPT);
  memcpy(out, result.bytes, 8);
}

/* lm_resp: DES of the challenge under the three 7-byte parts of a
 * 21-byte hash. */
static void lm_resp(const uint8_t hash[21], const uint8_t challenge[8],
                    uint8_t out[24]) {
  for (int i = 0; i < 3; i++)
    des_encrypt(hash + 7 * i, challenge, out + 8 * i);
}

static void lm_hash(const char *password, uint8_t out[21]) {
  static const uint8_t magic[8] = {'K', 'G', 'S', '!', '@', '#', '$', '%'};
  uint8_t pw[14] = {0};
  size_t len = strlen(password);
  if (len > 14)
    len = 14;
  for (size_t i = 0; i < len; i++)
    pw[i] = (uint8_t)toupper((unsigned char)password[i]);
  des_encrypt(pw, magic, out);
  des_encrypt(pw + 7, magic, out + 8);
  memset(out + 16, 0, 5);
}

/* widen writes each byte of |s| followed by a zero byte (libcurl's
 * "unicode"), upper-casing ASCII when asked. */
static void widen(uint8_t *out, const char *s, size_t len, bool upper) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    out[2 * i] = upper ? (uint8_t)toupper(c) : c;
    out[2 * i + 1] = 0;
  }
}

static int nt_hash(const char *password, uint8_t out[21]) {
  size_t len = strlen(password);
  if (len > ((size_t)-1) / 4)
    return CN_ERR_OUT_OF_MEMORY;
  uint8_t *pw = cn_malloc(len ? 2 * len : 1);
  if (!pw)
    return CN_ERR_OUT_OF_MEMORY;
  widen(pw, password, len, false);
  MD4(pw, 2 * len, out);
  memset(out + 16, 0, 5);
  cn_free(pw);
  return CN_OK;
}

static void hmac_md5(const uint8_t *key, size_t key_len, const uint8_t *data,
                     size_t len, uint8_t out[16]) {
  unsigned out_len = 0;
  HMAC(EVP_md5(), key, key_len, data, len, out, &out_len);
}

/* ntlmv2_hash: HMAC-MD5 keyed by the NT hash over UPPER(user) + domain. */
static int ntlmv2_hash(const char *user, size_t user_len, const char *domain,
                       size_t domain_len, const uint8_t nt[16],
                       uint8_t out[16]) {
  size_t len = 2 * (user_len + domain_len);
  uint8_t *id = cn_malloc(len + 1);
  if (!id)
    return CN_ERR_OUT_OF_MEMORY;
  widen(id, user, user_len, true);
  widen(id + 2 * user_len, domain, domain_len, false);
  hmac_md5(nt, 16, id, len, out);
  cn_free(id);
  return CN_OK;
}

/* ntlmv2_resp: HMAC(v2hash, server nonce + blob) followed by the blob,
 * blob = 01010000 00000000 time(8, LE, 100 ns since 1601) client-nonce(8)
 * 00000000 target-info 00000000. */
static int ntlmv2_resp(const struct cn_http_auth_ntlm *n,
                       const uint8_t v2hash[16], const uint8_t client[8],
                       int64_t now, uint8_t **out, size_t *out_len) {
  size_t blob_len = 28 + n->target_info_len + 4;
  size_t len = 16 + blob_len;
  uint8_t *p = cn_calloc(1, len);
  if (!p)
    return CN_ERR_OUT_OF_MEMORY;
  uint8_t *blob = p + 16;
  blob[0] = 1;
  blob[1] = 1;
  uint64_t ft = ((uint64_t)now + 11644473600ULL) * 10000000ULL;
  put32(blob + 8, (uint32_t)ft);
  put32(blob + 12, (uint32_t)(ft >> 32));
  memcpy(blob + 16, client, 8);
  if (n->target_info_len)
    memcpy(blob + 28, n->target_info, n->target_info_len);
  memcpy(p + 8, n->nonce, 8); /* server nonce + blob, hashed in place */
  uint8_t mac[16];
  hmac_md5(v2hash, 16, p + 8, 8 + blob_len, mac);
  memcpy(p, mac, 16);
  *out = p;
  *out_len = len;
  return CN_OK;
}

int cn_http_auth_ntlm_type3_value(struct cn_http_auth_ntlm *n,
                                  char **out_value, const char *userp,
                                  const char *password, int64_t now,
                                  cn_http_auth_random_fn rnd, void *rnd_ctx) {
  userp = userp ? userp : "";
  password = password ? password : "";
  const char *user = strchr(userp, '\\');
  if (!user)
    user = strchr(userp, '/');
  const char *domain = "";
  size_t domain_len = 0;
  if (user) {
    domain = userp;
    domain_len = (size_t)(user - userp);
    user++;
  } else {
    user = userp;
  }
  size_t user_len = strlen(user);
  size_t host_len = sizeof(WORKSTATION) - 1;
  uint8_t lm[24] = {0};
  uint8_t nt_v1[24] = {0};
  uint8_t *nt_v2 = NULL;
  const uint8_t *nt = nt_v1;
  size_t nt_len = 24;
  uint8_t hash[21];
  uint8_t *msg = NULL;
  int rv;

  if (n->flags & CN_NTLM_FLAG_NEGOTIATE_NTLM2_KEY) {
    uint8_t client[8], v2hash[16];
    rv = (rnd ? rnd : cn_http_auth_random_bytes)(rnd_ctx, client,
                                                 sizeof(client));
    if (rv == CN_OK)
      rv = nt_hash(password, hash);
    if (rv == CN_OK)
      rv = ntlmv2_hash(user, user_len, domain, domain_len, hash, v2hash);
    if (rv != CN_OK)
      goto out;
    /* LMv2: HMAC(v2hash, server nonce + client nonce) + client nonce */
    uint8_t both[16];
    memcpy(both, n->nonce, 8);
    memcpy(both + 8, client, 8);
    hmac_md5(v2hash, 16, both, 16, lm);
    memcpy(lm + 16, client, 8);
    if ((rv = ntlmv2_resp(n, v2hash, client, now, &nt_v2, &nt_len)) != CN_OK)
      goto out;
    nt = nt_v2;
  } else {
    if ((rv = nt_hash(password, hash)) != CN_OK)
      goto out;
    lm_resp(hash, n->nonce, nt_v1);
    lm_hash(password, hash);
    lm_resp(hash, n->nonce, lm);
    n->flags &= ~CN_NTLM_FLAG_NEGOTIATE_NTLM2_KEY;
  }

  bool unicode = (n->flags & CN_NTLM_FLAG_NEGOTIATE_UNICODE) != 0;
  size_t mul = unicode ? 2 : 1;
  size_t size = HEADER_LEN + 24;
  if (nt_len + size > MAX_MESSAGE) {
    rv = CN_ERR_OUT_OF_MEMORY; /* libcurl: "incoming NTLM message too big" */
    goto out;
  }
  size += nt_len;
  if (size + mul * (user_len + domain_len + host_len) >= MAX_MESSAGE) {
    rv = CN_ERR_OUT_OF_MEMORY; /* libcurl: "user + domain + hostname too
                                  big" */
    goto out;
  }
  size_t dom_off = size;
  size_t user_off = dom_off + mul * domain_len;
  size_t host_off = user_off + mul * user_len;
  size_t total = host_off + mul * host_len;
  msg = cn_calloc(1, total);
  if (!msg) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto out;
  }
  memcpy(msg, "NTLMSSP", 8);
  msg[8] = 3;
  /* security buffers: length, allocated, 16-bit offset, two zeros */
  const size_t bufs[5][2] = {{24, HEADER_LEN},
                             {nt_len, HEADER_LEN + 24},
                             {mul * domain_len, dom_off},
                             {mul * user_len, user_off},
                             {mul * host_len, host_off}};
  for (int i = 0; i < 5; i++) {
    put16(msg + 12 + 8 * i, bufs[i][0]);
    put16(msg + 14 + 8 * i, bufs[i][0]);
    put16(msg + 16 + 8 * i, bufs[i][1]);
  }
  put32(msg + 60, n->flags);
  memcpy(msg + HEADER_LEN, lm, 24);
  memcpy(msg + HEADER_LEN + 24, nt, nt_len);
  const char *strs[3] = {domain, user, WORKSTATION};
  const size_t lens[3] = {domain_len, user_len, host_len};
  const size_t offs[3] = {dom_off, user_off, host_off};
  for (int i = 0; i < 3; i++) {
    if (unicode)
      widen(msg + offs[i], strs[i], lens[i], false);
    else
      memcpy(msg + offs[i], strs[i], lens[i]);
  }
  char *value = with_scheme(msg, total);
  if (!value) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto out;
  }
  *out_value = value;
  /* libcurl forgets the target info once the type-3 is made */
  cn_free(n->target_info);
  n->target_info = NULL;
  n->target_info_len = 0;
out:
  memset(hash, 0, sizeof(hash));
  cn_free(nt_v2);
  cn_free(msg);
  return rv;
}

/* --- the connection's handshake ---------------------------------------- */

static void ntlm_conn_destroy(struct cn_socket_attachment *a) {
  struct cn_http_auth_ntlm_conn *c = (struct cn_http_auth_ntlm_conn *)a;
  cn_http_auth_ntlm_cleanup(&c->ntlm);
  if (c->proxy)
    ntlm_conn_destroy(&c->proxy->base);
  cn_free(c->tag);
  cn_free(c);
}

char *cn_http_auth_ntlm_tag(const char *user, const char *password) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  if (cn_buf_printf(&b, "ntlm\n%s\n%s", user ? user : "",
                    password ? password : "") != CN_OK) {
    cn_buf_cleanup(&b);
    return NULL;
  }
  return b.data; /* the buffer's storage is cn_malloc'd */
}

struct cn_http_auth_ntlm_conn *cn_http_auth_ntlm_conn_new(void) {
  struct cn_http_auth_ntlm_conn *c = cn_calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->base.destroy = ntlm_conn_destroy;
  cn_http_auth_ntlm_init(&c->ntlm);
  return c;
}

struct cn_http_auth_ntlm_conn *cn_http_auth_ntlm_conn_from(
    struct cn_socket_attachment *a) {
  if (!a || a->destroy != ntlm_conn_destroy)
    return NULL;
  return (struct cn_http_auth_ntlm_conn *)a;
}

struct cn_http_auth_ntlm_conn *cn_http_auth_ntlm_conn_proxy(
    struct cn_http_auth_ntlm_conn *c) {
  if (!c->proxy)
    c->proxy = cn_http_auth_ntlm_conn_new();
  return c->proxy;
}

int cn_http_auth_ntlm_conn_retag(struct cn_http_auth_ntlm_conn *c,
                                 const char *tag) {
  char *copy = NULL;
  if (tag && !(copy = cn_strdup(tag)))
    return CN_ERR_OUT_OF_MEMORY;
  cn_free(c->tag);
  c->tag = copy;
  c->base.tag = copy;
  return CN_OK;
}

/* set_tag marks the connection as this user's. */
static int set_tag(struct cn_http_auth_ntlm_conn *c, const char *user,
                   const char *password) {
  char *tag = cn_http_auth_ntlm_tag(user, password);
  if (!tag)
    return CN_ERR_OUT_OF_MEMORY;
  cn_free(c->tag);
  c->tag = tag;
  c->base.tag = tag;
  return CN_OK;
}

int cn_http_auth_ntlm_conn_output(struct cn_http_auth_ntlm_conn *c,
                                  char **out_value, bool *out_done,
                                  const char *user, const char *password,
                                  int64_t now, cn_http_auth_random_fn rnd,
                                  void *rnd_ctx) {
  *out_value = NULL;
  *out_done = false;
  int rv = set_tag(c, user, password);
  if (rv != CN_OK)
    return rv;
  /* A type-3 went out on this connection: it is authenticated. */
  if (c->state == CN_NTLM_STATE_TYPE3)
    c->state = CN_NTLM_STATE_LAST;
  char *value = NULL;
  switch (c->state) {
  case CN_NTLM_STATE_TYPE2:
    rv = cn_http_auth_ntlm_type3_value(&c->ntlm, &value, user, password, now,
                                       rnd, rnd_ctx);
    if (rv != CN_OK)
      return rv;
    c->state = CN_NTLM_STATE_TYPE3;
    *out_done = true;
    break;
  case CN_NTLM_STATE_LAST:
    *out_done = true;
    break;
  default:
    value = cn_http_auth_ntlm_type1_value();
    if (!value)
      return CN_ERR_OUT_OF_MEMORY;
    break;
  }
  *out_value = value;
  return CN_OK;
}

int cn_http_auth_ntlm_conn_input(struct cn_http_auth_ntlm_conn *c,
                                 const char *value, const char **out_text) {
  *out_text = NULL;
  const char *p = value + 4; /* "NTLM" */
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p) {
    int rv = cn_http_auth_ntlm_input_type2(&c->ntlm, value);
    if (rv != CN_OK)
      return rv == CN_ERR_OUT_OF_MEMORY ? rv : CN_ERR_INVALID_RESPONSE;
    c->state = CN_NTLM_STATE_TYPE2;
    return CN_OK;
  }
  if (c->state == CN_NTLM_STATE_LAST) {
    *out_text = "NTLM auth restarted";
    cn_http_auth_ntlm_cleanup(&c->ntlm);
  } else if (c->state == CN_NTLM_STATE_TYPE3) {
    *out_text = "NTLM handshake rejected";
    cn_http_auth_ntlm_cleanup(&c->ntlm);
    c->state = CN_NTLM_STATE_NONE;
    return CN_ERR_INVALID_RESPONSE;
  } else if (c->state >= CN_NTLM_STATE_TYPE1) {
    *out_text = "NTLM handshake failure (internal error)";
    return CN_ERR_INVALID_RESPONSE;
  }
  c->state = CN_NTLM_STATE_TYPE1;
  return CN_OK;
}
