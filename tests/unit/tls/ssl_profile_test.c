/* ssl_profile_test.c: the ClientHello BoringSSL writes under a profile,
 * taken from a memory BIO and parsed here, against the profile's data.
 * Checks that need one of our BoringSSL patches run only when the patch is
 * built in (BORINGSSL_CURLIUM_* macros) and say so otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "impersonate/browser_profile.h"
#include "test.h"
#include "tls/ssl_config.h"
#include "tls/ssl_profile.h"
#include "util/net_error.h"

#define MAX_ITEMS 64

struct hello {
  uint16_t ciphers[MAX_ITEMS];
  size_t num_ciphers;
  uint16_t exts[MAX_ITEMS];
  size_t num_exts;
  uint16_t groups[MAX_ITEMS];
  size_t num_groups;
  uint16_t sigalgs[MAX_ITEMS];
  size_t num_sigalgs;
  uint16_t shares[MAX_ITEMS];
  size_t num_shares;
  uint16_t versions[MAX_ITEMS];
  size_t num_versions;
  uint16_t dc[MAX_ITEMS];
  size_t num_dc;
  uint8_t cert_comp[MAX_ITEMS];
  size_t num_cert_comp;
  int record_size_limit; /* -1: absent */
  size_t ech_len;
  uint8_t ech_aead;
  size_t ca_ids_len; /* trust_anchors list length, 0: absent */
};

static bool is_grease(uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static size_t rd_u16s(const uint8_t *p, size_t len, uint16_t *out) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < len && n < MAX_ITEMS; i += 2)
    out[n++] = rd16(p + i);
  return n;
}

/* parse_hello: |rec| is the first flight (one TLS record). */
static bool parse_hello(const uint8_t *rec, size_t len, struct hello *h) {
  memset(h, 0, sizeof(*h));
  h->record_size_limit = -1;
  if (len < 5 + 4 + 2 + 32 + 1 || rec[0] != 22 || rec[5] != 1)
    return false;
  const uint8_t *p = rec + 9, *end = rec + len;
  p += 2 + 32;
  p += 1 + p[0]; /* session id */
  size_t cl = rd16(p);
  h->num_ciphers = rd_u16s(p + 2, cl, h->ciphers);
  p += 2 + cl;
  p += 1 + p[0]; /* compression */
  size_t el = rd16(p);
  p += 2;
  if (p + el > end)
    return false;
  const uint8_t *e = p, *eend = p + el;
  while (e + 4 <= eend && h->num_exts < MAX_ITEMS) {
    uint16_t type = rd16(e);
    size_t dl = rd16(e + 2);
    const uint8_t *d = e + 4;
    h->exts[h->num_exts++] = type;
    switch (type) {
    case 10:
      h->num_groups = rd_u16s(d + 2, rd16(d), h->groups);
      break;
    case 13:
      h->num_sigalgs = rd_u16s(d + 2, rd16(d), h->sigalgs);
      break;
    case 27:
      h->num_cert_comp = d[0];
      memcpy(h->cert_comp, d + 1, d[0] < MAX_ITEMS ? d[0] : MAX_ITEMS);
      break;
    case 28:
      h->record_size_limit = rd16(d);
      break;
    case 34:
      h->num_dc = rd_u16s(d + 2, rd16(d), h->dc);
      break;
    case 43:
      h->num_versions = rd_u16s(d + 1, d[0], h->versions);
      break;
    case 51: {
      const uint8_t *k = d + 2, *kend = d + 2 + rd16(d);
      while (k + 4 <= kend && h->num_shares < MAX_ITEMS) {
        h->shares[h->num_shares++] = rd16(k);
        k += 4 + rd16(k + 2);
      }
      break;
    }
    case 0xca34:
      h->ca_ids_len = rd16(d);
      break;
    case 65037:
      h->ech_len = dl;
      h->ech_aead = d[4]; /* type(1) kdf(2) aead(2) */
      break;
    }
    e += 4 + dl;
  }
  return true;
}

/* client_hello makes a ClientHello for |name| offering |alpn| ("h2" and
 * "http/1.1", or "http/1.1" only). */
static bool client_hello(const char *name, bool h2, struct hello *out) {
  struct cn_ssl_config cfg;
  cn_ssl_config_init(&cfg);
  cfg.profile = cn_browser_profile_lookup(name);
  if (h2)
    cfg.alpn[cfg.num_alpn++] = "h2";
  cfg.alpn[cfg.num_alpn++] = "http/1.1";
  bool ok = false;
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  SSL *ssl = NULL;
  if (!ctx || cn_ssl_profile_apply_ctx(ctx, &cfg, NULL) != CN_OK)
    goto out;
  ssl = SSL_new(ctx);
  if (!ssl || cn_ssl_profile_apply_ssl(ssl, &cfg, NULL) != CN_OK)
    goto out;
  static const uint8_t alpn_h2[] = "\x02h2\x08http/1.1";
  static const uint8_t alpn_h1[] = "\x08http/1.1";
  SSL_set_alpn_protos(ssl, h2 ? alpn_h2 : alpn_h1,
                      h2 ? sizeof(alpn_h2) - 1 : sizeof(alpn_h1) - 1);
  SSL_set_tlsext_host_name(ssl, "fp.test");
  BIO *rbio = BIO_new(BIO_s_mem()), *wbio = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, rbio, wbio);
  SSL_set_connect_state(ssl);
  if (SSL_do_handshake(ssl) == 1)
    goto out;
  const uint8_t *data;
  size_t len;
  BIO_mem_contents(wbio, &data, &len);
  ok = parse_hello(data, len, out);
out:
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return ok;
}

/* Non-GREASE values of |v| in order. */
static size_t strip_grease(const uint16_t *v, size_t n, uint16_t *out) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!is_grease(v[i]))
      out[m++] = v[i];
  return m;
}

static bool same_u16(const uint16_t *a, size_t na, const struct cn_u16_list *b) {
  return na == b->num && memcmp(a, b->v, na * 2) == 0;
}

static bool has(const uint16_t *v, size_t n, uint16_t x) {
  for (size_t i = 0; i < n; i++)
    if (v[i] == x)
      return true;
  return false;
}

static inline void note_skip(const char *what) {
  fprintf(stderr, "skip: %s needs a BoringSSL patch that is not built in\n",
          what);
}

TEST(chrome156_client_hello) {
  const struct cn_browser_profile *p = cn_browser_profile_lookup("chrome156");
  const struct cn_tls_profile *t = &p->tls;
  struct hello h;
  CHECK(client_hello("chrome156", true, &h));
  uint16_t tmp[MAX_ITEMS];
  /* Ciphers: GREASE, TLS 1.3 suites, then the profile's list. */
  CHECK(is_grease(h.ciphers[0]));
  size_t n = strip_grease(h.ciphers, h.num_ciphers, tmp);
  CHECK_EQ_INT(n, t->tls13_ciphers.num + t->ciphers.num);
  CHECK(memcmp(tmp, t->tls13_ciphers.v, t->tls13_ciphers.num * 2) == 0);
  CHECK(memcmp(tmp + t->tls13_ciphers.num, t->ciphers.v, t->ciphers.num * 2) ==
        0);
  /* Extensions: GREASE first and last, the profile's set in between. */
  CHECK(is_grease(h.exts[0]) && is_grease(h.exts[h.num_exts - 1]));
  n = strip_grease(h.exts, h.num_exts, tmp);
  CHECK_EQ_INT(n, t->extensions.num);
  for (size_t i = 0; i < t->extensions.num; i++)
    CHECK(has(tmp, n, t->extensions.v[i]));
  /* Groups and key shares: GREASE first, then the profile's. */
  CHECK(is_grease(h.groups[0]) && is_grease(h.shares[0]));
  CHECK(same_u16(h.groups + 1, h.num_groups - 1, &t->groups));
  CHECK(same_u16(h.shares + 1, h.num_shares - 1, &t->key_shares));
  CHECK(is_grease(h.versions[0]));
  CHECK_EQ_INT(h.num_versions, 3);
#ifdef BORINGSSL_CURLIUM_GREASE_SIGALG
  CHECK(is_grease(h.sigalgs[0]));
  CHECK(same_u16(h.sigalgs + 1, h.num_sigalgs - 1, &t->sigalgs));
#else
  note_skip("GREASE signature algorithm");
  CHECK(same_u16(h.sigalgs, h.num_sigalgs, &t->sigalgs));
#endif
  CHECK_EQ_INT(h.num_cert_comp, 2);
  CHECK_EQ_INT(h.cert_comp[1], CN_CERT_COMPRESSION_BROTLI);
  CHECK_EQ_INT(h.ca_ids_len, t->trust_anchor_ids.num);
  CHECK_EQ_INT(h.record_size_limit, -1);
  /* ECH GREASE: AES-128-GCM and a payload of 32k + 16 bytes. */
  CHECK(h.ech_len > 0 && (h.ech_len - 42 - 16) % 32 == 0);
}

TEST(chrome156_without_h2_has_no_alps) {
  struct hello h;
  CHECK(client_hello("chrome156", false, &h));
  CHECK(!has(h.exts, h.num_exts, 17613));
  CHECK(!has(h.exts, h.num_exts, 17513));
  CHECK(has(h.exts, h.num_exts, 16));
  /* The h2 hello has it. */
  CHECK(client_hello("chrome156", true, &h));
  CHECK(has(h.exts, h.num_exts, 17613));
}

TEST(chrome156_permutes_extensions) {
  /* 17! orders: two equal in a row by chance is negligible; eight tries
   * make a flake impossible in practice. */
  struct hello a, b;
  bool differ = false;
  CHECK(client_hello("chrome156", true, &a));
  for (int i = 0; i < 8 && !differ; i++) {
    CHECK(client_hello("chrome156", true, &b));
    differ = memcmp(a.exts + 1, b.exts + 1, (a.num_exts - 2) * 2) != 0;
  }
  CHECK(differ);
}

TEST(firefox153_client_hello) {
  const struct cn_browser_profile *p = cn_browser_profile_lookup("firefox153");
  const struct cn_tls_profile *t = &p->tls;
  struct hello h;
  CHECK(client_hello("firefox153", true, &h));
  CHECK(!is_grease(h.ciphers[0]));
  CHECK(!is_grease(h.exts[0]));
  CHECK_EQ_INT(h.num_ciphers, t->tls13_ciphers.num + t->ciphers.num);
  CHECK(memcmp(h.ciphers + t->tls13_ciphers.num, t->ciphers.v,
               t->ciphers.num * 2) == 0);
  CHECK(same_u16(h.sigalgs, h.num_sigalgs, &t->sigalgs));
  CHECK(same_u16(h.shares, h.num_shares, &t->key_shares));
  CHECK_EQ_INT(h.num_cert_comp, 6);
  CHECK_EQ_INT(h.cert_comp[1], 1);
  CHECK_EQ_INT(h.cert_comp[3], 2);
  CHECK_EQ_INT(h.cert_comp[5], 3);
  CHECK_EQ_INT(h.ca_ids_len, 0);
  CHECK(!has(h.exts, h.num_exts, 0xca34));
#ifdef BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER
  CHECK(memcmp(h.ciphers, t->tls13_ciphers.v, t->tls13_ciphers.num * 2) == 0);
#else
  note_skip("TLS 1.3 cipher order");
#endif
#ifdef BORINGSSL_CURLIUM_EXTENSION_ORDER
  /* Exactly the browser's order (every extension it sends is one BoringSSL
   * sends once the patches are in). */
  CHECK(same_u16(h.exts, h.num_exts, &t->extensions));
#else
  note_skip("fixed extension order");
#endif
#ifdef BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS
  CHECK(same_u16(h.groups, h.num_groups, &t->groups));
#else
  note_skip("FFDHE groups");
#endif
#ifdef BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT
  CHECK_EQ_INT(h.record_size_limit, 16385);
#else
  note_skip("record_size_limit");
#endif
#ifdef BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS
  CHECK(same_u16(h.dc, h.num_dc, &t->delegated_credentials));
#else
  note_skip("delegated_credentials");
#endif
#ifdef BORINGSSL_CURLIUM_ECH_GREASE_SHAPE
  CHECK_EQ_INT(h.ech_len, 281);
  /* NSS picks AES-128-GCM (1) or ChaCha20-Poly1305 (3) per connection. */
  CHECK(h.ech_aead == 1 || h.ech_aead == 3);
#else
  note_skip("ECH GREASE shape");
#endif
}

/* Every target's data is accepted by BoringSSL and comes out on the wire:
 * the TLS 1.2 suites in order, the signature algorithms, and (with every
 * patch built in) exactly the profile's extension set. */
TEST(every_profile_builds_its_client_hello) {
  for (size_t i = 0; cn_browser_profile_at(i); i++) {
    const struct cn_browser_profile *p = cn_browser_profile_at(i);
    const struct cn_tls_profile *t = &p->tls;
    struct hello h;
    bool ok = client_hello(p->name, true, &h);
    if (!ok)
      fprintf(stderr, "%s: no ClientHello\n", p->name);
    CHECK(ok);
    uint16_t tmp[MAX_ITEMS];
    size_t n = strip_grease(h.ciphers, h.num_ciphers, tmp);
    CHECK_EQ_INT(n, t->tls13_ciphers.num + t->ciphers.num);
    CHECK(memcmp(tmp + t->tls13_ciphers.num, t->ciphers.v,
                 t->ciphers.num * 2) == 0);
    n = strip_grease(h.sigalgs, h.num_sigalgs, tmp);
    CHECK(same_u16(tmp, n, &t->sigalgs));
    CHECK_EQ_INT(is_grease(h.ciphers[0]), t->grease);
    n = strip_grease(h.exts, h.num_exts, tmp);
    /* padding (21) comes with short hellos and is not in the profiles. */
    size_t kept = 0;
    for (size_t e = 0; e < n; e++)
      if (tmp[e] != 21)
        tmp[kept++] = tmp[e];
    n = kept;
#if defined(BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT) &&                            \
    defined(BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS)
    CHECK_EQ_INT(n, t->extensions.num);
#endif
    for (size_t e = 0; e < n; e++) {
      bool listed = has(t->extensions.v, t->extensions.num, tmp[e]);
      if (!listed)
        fprintf(stderr, "%s: extension %u not in the profile\n", p->name,
                tmp[e]);
      CHECK(listed);
    }
  }
}

TEST(explicit_options_win_over_the_profile) {
  struct cn_ssl_config cfg;
  cn_ssl_config_init(&cfg);
  cfg.profile = cn_browser_profile_lookup("firefox153");
  cfg.cipher_list = "ECDHE-RSA-AES128-GCM-SHA256";
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  CHECK(SSL_CTX_set_cipher_list(ctx, cfg.cipher_list));
  CHECK_EQ_INT(cn_ssl_profile_apply_ctx(ctx, &cfg, NULL), CN_OK);
  /* The profile's 13 suites were not applied over the program's one. */
  CHECK_EQ_INT(sk_SSL_CIPHER_num(SSL_CTX_get_ciphers(ctx)), 1);
  SSL_CTX_free(ctx);
}

TEST(no_profile_changes_nothing) {
  struct cn_ssl_config cfg;
  cn_ssl_config_init(&cfg);
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  size_t before = sk_SSL_CIPHER_num(SSL_CTX_get_ciphers(ctx));
  CHECK_EQ_INT(cn_ssl_profile_apply_ctx(ctx, &cfg, NULL), CN_OK);
  CHECK_EQ_INT(sk_SSL_CIPHER_num(SSL_CTX_get_ciphers(ctx)), before);
  SSL_CTX_free(ctx);
}

TEST(missing_features_report) {
  char buf[256];
  size_t n = cn_ssl_profile_missing(
      &cn_browser_profile_lookup("firefox153")->tls, buf, sizeof(buf));
#if defined(BORINGSSL_CURLIUM_EXTENSION_ORDER) &&                              \
    defined(BORINGSSL_CURLIUM_TLS13_CIPHER_ORDER) &&                           \
    defined(BORINGSSL_CURLIUM_RECORD_SIZE_LIMIT) &&                            \
    defined(BORINGSSL_CURLIUM_DELEGATED_CREDENTIAL_SIGALGS) &&                 \
    defined(BORINGSSL_CURLIUM_ADVERTISED_EXTRA_GROUPS) &&                      \
    defined(BORINGSSL_CURLIUM_ECH_GREASE_SHAPE)
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_STR(buf, "");
#else
  CHECK(n > 0);
  CHECK(strlen(buf) > 0);
#endif
}

TEST_MAIN(chrome156_client_hello, chrome156_without_h2_has_no_alps,
          chrome156_permutes_extensions, firefox153_client_hello,
          every_profile_builds_its_client_hello,
          explicit_options_win_over_the_profile, no_profile_changes_nothing,
          missing_features_report)
