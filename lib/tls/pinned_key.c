/* pinned_key.c: CURLOPT_PINNEDPUBLICKEY, compared like libcurl does: a
 * "sha256//" list of base64 SPKI digests, or a PEM/DER public key file. */
#include "tls/cert_verify.h"

#include <stdio.h>
#include <string.h>

#include <openssl/base64.h>
#include <openssl/mem.h>
#include <openssl/sha.h>

#include "util/alloc.h"
#include "util/net_error.h"
#include "util/net_log.h"

/* libcurl refuses pin files above 1 MiB. */
#define MAX_PIN_FILE_SIZE (1024 * 1024)

static bool match_hash_list(const uint8_t *spki, size_t spki_len,
                            const char *list, const struct cn_net_log *log) {
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256(spki, spki_len, md);
  char b64[64];
  size_t b64_len = EVP_EncodeBlock((uint8_t *)b64, md, sizeof(md));
  cn_net_log_text(log, " public key hash: sha256//%s", b64);
  /* Entries are "sha256//X" separated by ';' (libcurl splits on
   * ";sha256//", so a ';' inside an entry is part of it). */
  const char *p = list;
  while (p && strncmp(p, "sha256//", 8) == 0) {
    p += 8;
    const char *end = strstr(p, ";sha256//");
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == b64_len && memcmp(p, b64, len) == 0)
      return true;
    p = end ? end + 1 : NULL;
  }
  return false;
}

/* Decodes the base64 body of a "PUBLIC KEY" PEM block in |pem| into a new
 * buffer; false if there is none. */
static bool pem_to_der(const char *pem, uint8_t **out, size_t *out_len) {
  static const char begin[] = "-----BEGIN PUBLIC KEY-----";
  static const char end[] = "-----END PUBLIC KEY-----";
  const char *b = strstr(pem, begin);
  if (!b || (b != pem && b[-1] != '\n'))
    return false;
  b += sizeof(begin) - 1;
  const char *e = strstr(b, end);
  if (!e)
    return false;
  size_t body_len = (size_t)(e - b);
  char *body = cn_malloc(body_len + 1);
  if (!body)
    return false;
  size_t n = 0;
  for (const char *c = b; c < e; c++)
    if (*c != '\r' && *c != '\n')
      body[n++] = *c;
  body[n] = '\0';
  size_t max = 0;
  uint8_t *der = NULL;
  bool ok = EVP_DecodedLength(&max, n) && (der = cn_malloc(max ? max : 1)) &&
            EVP_DecodeBase64(der, out_len, max, (const uint8_t *)body, n);
  cn_free(body);
  if (!ok) {
    cn_free(der);
    return false;
  }
  *out = der;
  return true;
}

static bool match_file(const uint8_t *spki, size_t spki_len, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return false;
  bool ok = false;
  char *data = NULL;
  long size = -1;
  if (fseek(fp, 0, SEEK_END) == 0)
    size = ftell(fp);
  if (size <= 0 || size > MAX_PIN_FILE_SIZE || fseek(fp, 0, SEEK_SET) != 0)
    goto out;
  data = cn_malloc((size_t)size + 1);
  if (!data || fread(data, 1, (size_t)size, fp) != (size_t)size)
    goto out;
  data[size] = '\0';
  /* Same size as the SPKI: it cannot be base64, so it is DER. */
  if ((size_t)size == spki_len) {
    ok = memcmp(data, spki, spki_len) == 0;
    goto out;
  }
  uint8_t *der = NULL;
  size_t der_len = 0;
  if (pem_to_der(data, &der, &der_len)) {
    ok = der_len == spki_len && memcmp(der, spki, spki_len) == 0;
    cn_free(der);
  }
out:
  cn_free(data);
  fclose(fp);
  return ok;
}

int cn_cert_verify_pinned_key(X509 *cert, const char *pinned,
                              const struct cn_net_log *log) {
  if (!pinned)
    return CN_OK;
  int rv = CN_ERR_SSL_PINNED_KEY_MISMATCH;
  uint8_t *spki = NULL;
  int spki_len = cert ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki) : -1;
  if (spki_len > 0) {
    bool ok = strncmp(pinned, "sha256//", 8) == 0
                  ? match_hash_list(spki, (size_t)spki_len, pinned, log)
                  : match_file(spki, (size_t)spki_len, pinned);
    if (ok)
      rv = CN_OK;
  }
  OPENSSL_free(spki);
  if (rv != CN_OK)
    cn_net_log_fail(log, "SSL: public key does not match pinned public key");
  return rv;
}
