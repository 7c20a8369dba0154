/* cert_info.c: CURLINFO_CERTINFO lines from BoringSSL's X509 objects. */
#include "tls/cert_info.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "util/buf.h"
#include "util/net_error.h"

/* push moves the text collected in |mem| into |out| as "label:text\0". */
static int push(struct cn_buf *out, BIO *mem, const char *label) {
  const uint8_t *data = NULL;
  size_t len = 0;
  BIO_mem_contents(mem, &data, &len);
  int rv = cn_buf_append_str(out, label);
  if (rv == CN_OK)
    rv = cn_buf_append(out, ":", 1);
  if (rv == CN_OK && len)
    rv = cn_buf_append(out, data, len);
  if (rv == CN_OK)
    rv = cn_buf_append(out, "", 1);
  BIO_reset(mem);
  return rv;
}

static int one_cert(struct cn_buf *out, BIO *mem, X509 *x) {
  X509_NAME_print_ex(mem, X509_get_subject_name(x), 0, XN_FLAG_ONELINE);
  int rv = push(out, mem, "Subject");
  if (rv != CN_OK)
    return rv;
  X509_NAME_print_ex(mem, X509_get_issuer_name(x), 0, XN_FLAG_ONELINE);
  if ((rv = push(out, mem, "Issuer")) != CN_OK)
    return rv;
  BIO_printf(mem, "%lx", (unsigned long)X509_get_version(x));
  if ((rv = push(out, mem, "Version")) != CN_OK)
    return rv;
  const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
  if (serial->type == V_ASN1_NEG_INTEGER)
    BIO_puts(mem, "-");
  for (int j = 0; j < serial->length; j++)
    BIO_printf(mem, "%02x", serial->data[j]);
  if ((rv = push(out, mem, "Serial Number")) != CN_OK)
    return rv;
  const ASN1_BIT_STRING *sig = NULL;
  const X509_ALGOR *sigalg = NULL;
  X509_get0_signature(&sig, &sigalg, x);
  if (sigalg) {
    const ASN1_OBJECT *oid = NULL;
    X509_ALGOR_get0(&oid, NULL, NULL, sigalg);
    i2a_ASN1_OBJECT(mem, oid);
    if ((rv = push(out, mem, "Signature Algorithm")) != CN_OK)
      return rv;
  }
  X509_PUBKEY *xpub = X509_get_X509_PUBKEY(x);
  ASN1_OBJECT *pkoid = NULL;
  if (xpub && X509_PUBKEY_get0_param(&pkoid, NULL, NULL, NULL, xpub) &&
      pkoid) {
    i2a_ASN1_OBJECT(mem, pkoid);
    if ((rv = push(out, mem, "Public Key Algorithm")) != CN_OK)
      return rv;
  }
  ASN1_TIME_print(mem, X509_get0_notBefore(x));
  if ((rv = push(out, mem, "Start date")) != CN_OK)
    return rv;
  ASN1_TIME_print(mem, X509_get0_notAfter(x));
  if ((rv = push(out, mem, "Expire date")) != CN_OK)
    return rv;
  if (sig) {
    for (int j = 0; j < sig->length; j++)
      BIO_printf(mem, "%02x:", sig->data[j]);
    if ((rv = push(out, mem, "Signature")) != CN_OK)
      return rv;
  }
  PEM_write_bio_X509(mem, x);
  if ((rv = push(out, mem, "Cert")) != CN_OK)
    return rv;
  return cn_buf_append(out, "", 1); /* end of this certificate */
}

int cn_tls_cert_info(const SSL *ssl, struct cn_buf *out) {
  STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
  if (!chain)
    return CN_OK;
  BIO *mem = BIO_new(BIO_s_mem());
  if (!mem)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = CN_OK;
  for (size_t i = 0; rv == CN_OK && i < sk_X509_num(chain); i++)
    rv = one_cert(out, mem, sk_X509_value(chain, i));
  BIO_free(mem);
  return rv;
}
