/* cert_verify.c: host-name check, X509 error mapping and the verbose
 * certificate dump, with libcurl's (OpenSSL backend) wording. */
#include "tls/cert_verify.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/mem.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "util/net_error.h"
#include "util/net_log.h"

/* Equal ignoring ASCII case, both given with lengths. */
static bool equal_nocase(const char *a, size_t a_len, const char *b,
                         size_t b_len) {
  return a_len == b_len && strncasecmp(a, b, a_len) == 0;
}

static bool is_ip_literal(const char *host, size_t len) {
  char tmp[64];
  if (len == 0 || len >= sizeof(tmp))
    return false;
  memcpy(tmp, host, len);
  tmp[len] = '\0';
  unsigned char addr[16];
  return inet_pton(AF_INET, tmp, addr) == 1 ||
         inet_pton(AF_INET6, tmp, addr) == 1;
}

bool cn_cert_hostname_match(const char *pattern, size_t pattern_len,
                            const char *host) {
  size_t host_len = strlen(host);
  if (pattern_len == 0 || host_len == 0)
    return false;
  if (host[host_len - 1] == '.')
    host_len--;
  if (pattern[pattern_len - 1] == '.')
    pattern_len--;
  if (pattern_len < 2 || pattern[0] != '*' || pattern[1] != '.')
    return equal_nocase(pattern, pattern_len, host, host_len);
  if (is_ip_literal(host, host_len))
    return false;
  /* "*.com" would cover a whole TLD: such a pattern only matches
   * literally, which no real host name does. */
  const char *pattern_label_end = memchr(pattern, '.', pattern_len);
  const char *last_dot = pattern + pattern_len - 1;
  while (last_dot > pattern && *last_dot != '.')
    last_dot--;
  if (last_dot == pattern_label_end)
    return equal_nocase(pattern, pattern_len, host, host_len);
  const char *host_label_end = memchr(host, '.', host_len);
  if (!host_label_end || host_label_end == host)
    return false;
  size_t host_skip = (size_t)(host_label_end - host);
  size_t pattern_skip = (size_t)(pattern_label_end - pattern);
  return equal_nocase(host_label_end, host_len - host_skip, pattern_label_end,
                      pattern_len - pattern_skip);
}

enum target_type { TARGET_DNS, TARGET_IPV4, TARGET_IPV6 };

static const char *target_name(enum target_type t) {
  switch (t) {
  case TARGET_IPV4:
    return "ipv4 address";
  case TARGET_IPV6:
    return "ipv6 address";
  default:
    return "hostname";
  }
}

/* The subject's most specific (last) CN, as UTF-8 in |out|. Returns
 * CN_OK, CN_ERR_CERT_COMMON_NAME_INVALID if absent or holding a NUL, or
 * OOM. */
static int last_common_name(X509 *cert, char *out, size_t out_len,
                            const struct cn_net_log *log) {
  const X509_NAME *name = X509_get_subject_name(cert);
  int idx = -1;
  if (name) {
    int j;
    while ((j = X509_NAME_get_index_by_NID(name, NID_commonName, idx)) >= 0)
      idx = j;
  }
  if (idx < 0) {
    cn_net_log_fail(log,
                    "SSL: unable to obtain common name from peer certificate");
    return CN_ERR_CERT_COMMON_NAME_INVALID;
  }
  const ASN1_STRING *data =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char *utf8 = NULL;
  int len = data ? ASN1_STRING_to_UTF8(&utf8, data) : -1;
  if (len < 0 || !utf8)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = CN_OK;
  if ((size_t)len != strlen((char *)utf8)) {
    cn_net_log_fail(log, "SSL: illegal cert name field");
    rv = CN_ERR_CERT_COMMON_NAME_INVALID;
  } else {
    size_t n = (size_t)len < out_len - 1 ? (size_t)len : out_len - 1;
    memcpy(out, utf8, n);
    out[n] = '\0';
  }
  OPENSSL_free(utf8);
  return rv;
}

int cn_cert_verify_host(X509 *cert, const char *host_in,
                        const struct cn_net_log *log) {
  char host[256];
  size_t host_len = strlen(host_in);
  if (host_len >= 2 && host_in[0] == '[' && host_in[host_len - 1] == ']') {
    host_in++;
    host_len -= 2;
  }
  if (host_len >= sizeof(host))
    host_len = sizeof(host) - 1;
  memcpy(host, host_in, host_len);
  host[host_len] = '\0';

  unsigned char addr[16];
  size_t addr_len = 0;
  enum target_type target = TARGET_DNS;
  if (inet_pton(AF_INET, host, addr) == 1) {
    target = TARGET_IPV4;
    addr_len = 4;
  } else if (inet_pton(AF_INET6, host, addr) == 1) {
    target = TARGET_IPV6;
    addr_len = 16;
  }

  bool matched = false, has_dns = false, has_ip = false;
  GENERAL_NAMES *alt = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  for (size_t i = 0; alt && i < sk_GENERAL_NAME_num(alt) && !matched; i++) {
    const GENERAL_NAME *gn = sk_GENERAL_NAME_value(alt, i);
    if (gn->type == GEN_DNS) {
      has_dns = true;
      if (target != TARGET_DNS)
        continue;
      const char *p = (const char *)ASN1_STRING_get0_data(gn->d.dNSName);
      size_t len = (size_t)ASN1_STRING_length(gn->d.dNSName);
      /* An embedded NUL could fake a shorter name: never a match. */
      if (memchr(p, '\0', len) || !cn_cert_hostname_match(p, len, host))
        continue;
      matched = true;
      cn_net_log_text(log,
                      " subjectAltName: host \"%s\" matched cert's \"%.*s\"",
                      host, (int)len, p);
    } else if (gn->type == GEN_IPADD) {
      has_ip = true;
      if (target == TARGET_DNS)
        continue;
      const unsigned char *p = ASN1_STRING_get0_data(gn->d.iPAddress);
      size_t len = (size_t)ASN1_STRING_length(gn->d.iPAddress);
      if (len != addr_len || memcmp(p, addr, len) != 0)
        continue;
      matched = true;
      cn_net_log_text(
          log, " subjectAltName: host \"%s\" matched cert's IP address!", host);
    }
  }
  GENERAL_NAMES_free(alt);
  if (matched)
    return CN_OK;

  if (has_dns || has_ip) {
    cn_net_log_text(log, " subjectAltName does not match %s", host);
    cn_net_log_fail(log,
                    "SSL: no alternative certificate subject name matches "
                    "target %s '%s'",
                    target_name(target), host);
    return CN_ERR_CERT_COMMON_NAME_INVALID;
  }

  /* No subjectAltName at all: RFC 2818 falls back to the subject CN. */
  char cn[256];
  int rv = last_common_name(cert, cn, sizeof(cn), log);
  if (rv != CN_OK)
    return rv;
  if (!cn_cert_hostname_match(cn, strlen(cn), host)) {
    cn_net_log_fail(log,
                    "SSL: certificate subject name '%s' does not match "
                    "target hostname '%s'",
                    cn, host);
    return CN_ERR_CERT_COMMON_NAME_INVALID;
  }
  cn_net_log_text(log, " common name: %s (matched)", cn);
  return CN_OK;
}

int cn_cert_verify_map_error(long err) {
  switch (err) {
  case X509_V_ERR_CERT_NOT_YET_VALID:
  case X509_V_ERR_CERT_HAS_EXPIRED:
  case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
  case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    return CN_ERR_CERT_DATE_INVALID;
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
  case X509_V_ERR_CERT_UNTRUSTED:
  case X509_V_ERR_CERT_REJECTED:
  case X509_V_ERR_INVALID_CA:
  case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    return CN_ERR_CERT_AUTHORITY_INVALID;
  case X509_V_ERR_CERT_REVOKED:
    return CN_ERR_CERT_REVOKED;
  case X509_V_ERR_HOSTNAME_MISMATCH:
  case X509_V_ERR_IP_ADDRESS_MISMATCH:
    return CN_ERR_CERT_COMMON_NAME_INVALID;
  default:
    return CN_ERR_CERT_INVALID;
  }
}

/* --- verbose dump --------------------------------------------------------- */

/* libcurl prints names "C=US; O=Example; CN=host" (OpenSSL's one-line form
 * with "; " separators and no spaces around '='). */
static void log_name(const struct cn_net_log *log, const char *label,
                     const X509_NAME *name) {
  BIO *mem = BIO_new(BIO_s_mem());
  if (!mem)
    return;
  unsigned long flags =
      XN_FLAG_SEP_SPLUS_SPC |
      (XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SPC_EQ);
  const uint8_t *data = NULL;
  size_t len = 0;
  if (X509_NAME_print_ex(mem, name, 0, flags) >= 0 &&
      BIO_mem_contents(mem, &data, &len))
    cn_net_log_text(log, " %s: %.*s", label, (int)len, (const char *)data);
  else
    cn_net_log_text(log, " %s: [NONE]", label);
  BIO_free(mem);
}

static void log_time(const struct cn_net_log *log, const char *label,
                     const ASN1_TIME *t) {
  BIO *mem = BIO_new(BIO_s_mem());
  if (!mem)
    return;
  const uint8_t *data = NULL;
  size_t len = 0;
  if (ASN1_TIME_print(mem, t) && BIO_mem_contents(mem, &data, &len))
    cn_net_log_text(log, " %s: %.*s", label, (int)len, (const char *)data);
  BIO_free(mem);
}

void cn_cert_verify_log_cert(X509 *cert, const struct cn_net_log *log) {
  if (!cn_net_log_verbose(log))
    return;
  cn_net_log_text(log, "Server certificate:");
  log_name(log, "subject", X509_get_subject_name(cert));
  log_time(log, "start date", X509_get0_notBefore(cert));
  log_time(log, "expire date", X509_get0_notAfter(cert));
}

void cn_cert_verify_log_issuer(X509 *cert, const struct cn_net_log *log) {
  if (!cn_net_log_verbose(log))
    return;
  log_name(log, "issuer", X509_get_issuer_name(cert));
}

int cn_cert_verify_issuer(X509 *cert, const char *file, const void *blob,
                          size_t blob_len, bool strict,
                          const struct cn_net_log *log) {
  if (!file && !blob)
    return CN_OK;
  /* libcurl names the file in every message, "(nil)" for a blob alone */
  const char *name = file ? file : "(nil)";
  int rv = CN_ERR_SSL_ISSUER_CHECK_FAILED;
  X509 *issuer = NULL;
  BIO *in = blob ? BIO_new_mem_buf(blob, (ossl_ssize_t)blob_len)
                 : BIO_new_file(file, "rb");
  if (!in) {
    if (strict)
      cn_net_log_fail(log, "SSL: Unable to open issuer cert (%s)", name);
    goto out;
  }
  issuer = PEM_read_bio_X509(in, NULL, NULL, NULL);
  if (!issuer) {
    if (strict)
      cn_net_log_fail(log, "SSL: Unable to read issuer cert (%s)", name);
    goto out;
  }
  if (X509_check_issued(issuer, cert) != X509_V_OK) {
    if (strict)
      cn_net_log_fail(log, "SSL: Certificate issuer check failed (%s)", name);
    goto out;
  }
  cn_net_log_text(log, " SSL certificate issuer check ok (%s)", name);
  rv = CN_OK;
out:
  ERR_clear_error();
  X509_free(issuer);
  BIO_free(in);
  return rv;
}
