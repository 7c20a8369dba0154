/* tls_speed.c: the practical limit for HTTPS bulk throughput on this
 * machine: how fast the BoringSSL build curlium links can open AES-128-GCM
 * TLS records of 16 KiB (what a TLS 1.3 download spends its CPU on), on
 * one core. Built by bench/run.py against the cached BoringSSL. Prints
 * {"aes128gcm_open_mb_s": X}. */
#include <openssl/aead.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void) {
  static uint8_t key[16], nonce[12], in[16384 + 16], out[16384 + 16];
  EVP_AEAD_CTX ctx;
  if (!EVP_AEAD_CTX_init(&ctx, EVP_aead_aes_128_gcm(), key, sizeof(key), 16,
                         NULL))
    return 1;
  size_t sealed;
  if (!EVP_AEAD_CTX_seal(&ctx, in, &sealed, sizeof(in), nonce, sizeof(nonce),
                         out, 16384, NULL, 0))
    return 1;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  long records = 0;
  double secs = 0;
  do {
    for (int i = 0; i < 256; i++) {
      size_t got;
      if (!EVP_AEAD_CTX_open(&ctx, out, &got, sizeof(out), nonce,
                             sizeof(nonce), in, sealed, NULL, 0))
        return 1;
    }
    records += 256;
    clock_gettime(CLOCK_MONOTONIC, &b);
    secs = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  } while (secs < 1.0);
  printf("{\"aes128gcm_open_mb_s\": %.1f}\n", records * 16384.0 / secs / 1e6);
  EVP_AEAD_CTX_cleanup(&ctx);
  return 0;
}
