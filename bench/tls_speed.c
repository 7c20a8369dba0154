/* tls_speed.c: the practical limit for HTTPS bulk throughput on this
 * machine, measured with the BoringSSL build curlium links, on one core,
 * without any network:
 *
 *  - aes128gcm_open_mb_s: opening AES-128-GCM records of 16 KiB
 *    (EVP_AEAD_CTX_open), the cryptography alone;
 *  - ssl_read_mb_s: a client reading a server's 16 KiB records with
 *    SSL_read into a 64 KiB buffer, the ciphertext served from memory
 *    (record layer, decryption and BoringSSL's copies: what a TLS client
 *    must spend at the least per byte), over TLS 1.2 with
 *    ECDHE-ECDSA-AES128-GCM-SHA256, what bench/run.py's nginx (Debian 12,
 *    no TLS 1.3 by default) negotiates with both libraries.
 *
 * Built by bench/run.py against the cached BoringSSL. Prints
 * {"aes128gcm_open_mb_s": X, "ssl_read_mb_s": Y}. */
#include <openssl/aead.h>
#include <openssl/bio.h>
#include <openssl/ec_key.h>
#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double aead_open_mb_s(void) {
  static uint8_t key[16], nonce[12], in[16384 + 16], out[16384 + 16];
  EVP_AEAD_CTX ctx;
  if (!EVP_AEAD_CTX_init(&ctx, EVP_aead_aes_128_gcm(), key, sizeof(key), 16,
                         NULL))
    return -1;
  size_t sealed;
  if (!EVP_AEAD_CTX_seal(&ctx, in, &sealed, sizeof(in), nonce, sizeof(nonce),
                         out, 16384, NULL, 0))
    return -1;
  double start = now_s(), secs = 0;
  long records = 0;
  do {
    for (int i = 0; i < 256; i++) {
      size_t got;
      if (!EVP_AEAD_CTX_open(&ctx, out, &got, sizeof(out), nonce,
                             sizeof(nonce), in, sealed, NULL, 0))
        return -1;
    }
    records += 256;
    secs = now_s() - start;
  } while (secs < 1.0);
  EVP_AEAD_CTX_cleanup(&ctx);
  return records * 16384.0 / secs / 1e6;
}

/* A throwaway P-256 key and self-signed certificate for the server. */
static int server_identity(SSL_CTX *ctx) {
  EC_KEY *ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  EVP_PKEY *pkey = EVP_PKEY_new();
  X509 *x = X509_new();
  int ok = ec && pkey && x && EC_KEY_generate_key(ec) &&
           EVP_PKEY_assign_EC_KEY(pkey, ec);
  if (ok)
    ec = NULL; /* owned by pkey */
  ok = ok && X509_set_version(x, X509_VERSION_3) &&
       ASN1_INTEGER_set(X509_get_serialNumber(x), 1) &&
       X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
       X509_gmtime_adj(X509_getm_notAfter(x), 3600) &&
       X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                                  (const uint8_t *)"bench", -1, -1, 0) &&
       X509_set_issuer_name(x, X509_get_subject_name(x)) &&
       X509_set_pubkey(x, pkey) && X509_sign(x, pkey, EVP_sha256()) &&
       SSL_CTX_use_certificate(ctx, x) && SSL_CTX_use_PrivateKey(ctx, pkey);
  EC_KEY_free(ec);
  EVP_PKEY_free(pkey);
  X509_free(x);
  return ok;
}

/* move_bytes hands everything |from| wrote to |to|. */
static int move_bytes(BIO *from, BIO *to) {
  const uint8_t *data;
  size_t len;
  if (!BIO_mem_contents(from, &data, &len))
    return 0;
  if (len && BIO_write(to, data, (int)len) != (int)len)
    return 0;
  return BIO_reset(from) == 1;
}

static double ssl_read_mb_s(void) {
  SSL_CTX *sctx = SSL_CTX_new(TLS_method());
  SSL_CTX *cctx = SSL_CTX_new(TLS_method());
  if (!sctx || !cctx || !server_identity(sctx))
    return -1;
  SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(cctx, "ECDHE-ECDSA-AES128-GCM-SHA256");
  SSL *srv = SSL_new(sctx), *cli = SSL_new(cctx);
  /* Memory BIOs both ways; bytes are moved by hand. */
  BIO *s_out = BIO_new(BIO_s_mem()), *s_in = BIO_new(BIO_s_mem());
  BIO *c_out = BIO_new(BIO_s_mem()), *c_in = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(s_in, -1);
  BIO_set_mem_eof_return(c_in, -1);
  SSL_set_bio(srv, s_in, s_out);
  SSL_set_bio(cli, c_in, c_out);
  SSL_set_accept_state(srv);
  SSL_set_connect_state(cli);
  for (int i = 0; i < 10; i++) {
    SSL_do_handshake(cli);
    move_bytes(c_out, s_in);
    SSL_do_handshake(srv);
    move_bytes(s_out, c_in);
  }
  uint8_t buf[65536];
  SSL_read(cli, buf, sizeof(buf)); /* takes the session tickets */
  const SSL_CIPHER *suite = SSL_get_current_cipher(cli);
  if (!SSL_is_init_finished(cli) || !SSL_is_init_finished(srv) || !suite ||
      SSL_CIPHER_get_protocol_id(suite) != 0xc02b /* the suite above */)
    return -1;
  static uint8_t chunk[16384];
  double secs = 0;
  long long bytes = 0;
  while (secs < 1.0) {
    /* 32 MiB of records, written untimed, read timed. */
    for (int i = 0; i < 2048; i++)
      if (SSL_write(srv, chunk, sizeof(chunk)) != (int)sizeof(chunk))
        return -1;
    /* A read-only memory BIO: it only advances a pointer (a writable one
     * moves the rest of its buffer on every read). */
    const uint8_t *data;
    size_t len;
    if (!BIO_mem_contents(s_out, &data, &len))
      return -1;
    BIO *in = BIO_new_mem_buf(data, (ossl_ssize_t)len);
    if (!in)
      return -1;
    BIO_set_mem_eof_return(in, -1);
    SSL_set0_rbio(cli, in);
    double start = now_s();
    long long got = 0;
    for (;;) {
      int n = SSL_read(cli, buf, sizeof(buf));
      if (n <= 0)
        break;
      got += n;
    }
    secs += now_s() - start;
    if (got != 2048LL * (long long)sizeof(chunk))
      return -1;
    bytes += got;
    BIO_reset(s_out);
  }
  SSL_free(cli);
  SSL_free(srv);
  SSL_CTX_free(cctx);
  SSL_CTX_free(sctx);
  return bytes / secs / 1e6;
}

int main(void) {
  double aead = aead_open_mb_s();
  double tls = ssl_read_mb_s();
  if (aead < 0 || tls < 0)
    return 1;
  printf("{\"aes128gcm_open_mb_s\": %.1f, \"ssl_read_mb_s\": %.1f}\n", aead,
         tls);
  return 0;
}
