/* ssl_client_socket.c: the TLS client stream socket (Chromium's
 * SSLClientSocketImpl): handshake DoLoop, post-handshake checks with
 * libcurl's messages, and plaintext read/write over a SocketBIOAdapter. */
#include "tls/ssl_client_socket.h"

#include "tls/cert_info.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tls/cert_verify.h"
#include "tls/keylog.h"
#include "tls/socket_bio_adapter.h"
#include "tls/ssl_client_context.h"
#include "tls/ssl_profile.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_log.h"

/* One maximal TLS record plus overhead, as Chromium sizes its buffers. */
#define BIO_BUFFER_SIZE (17 * 1024)
/* What the read side grows to once a transport read fills it: a bulk
 * download then costs one read syscall per four records, not one each. */
#define BIO_READ_BUFFER_MAX (64 * 1024)

enum state {
  STATE_NONE,
  STATE_HANDSHAKE,
  STATE_HANDSHAKE_COMPLETE,
};

struct cn_ssl_client_socket {
  struct cn_stream_socket base; /* first: the ops cast relies on it */
  struct cn_event_loop *loop;
  struct cn_ssl_client_context *ctx; /* referenced */
  struct cn_net_log log;
  char *host; /* as given, for verification and messages */
  int port;
  bool verify_peer;
  bool verify_host;
  char *pinned_pubkey;
  char *issuer_file; /* CURLOPT_ISSUERCERT */
  void *issuer_blob; /* CURLOPT_ISSUERCERT_BLOB */
  size_t issuer_blob_len;
  char *alpn_offer; /* "h2,http/1.1" for the log, NULL if none */
  /* Trust-store lines, logged after the ClientHello went out as libcurl
   * does (it loads the store then). NULL when not verbose. */
  char *trust_log;

  struct cn_socket_bio_adapter *adapter; /* owns the transport */
  SSL *ssl;                              /* NULL if setup failed */
  struct cn_ssl_session_sink sink;
  char *session_key; /* NULL: session cache off */
  int setup_error;   /* reported by connect */

  enum state next_state;
  bool connected;
  cn_completion_fn connect_cb;
  void *connect_ctx;

  uint8_t *user_read_buf;
  size_t user_read_len;
  cn_completion_fn read_cb;
  void *read_ctx;

  const uint8_t *user_write_buf;
  size_t user_write_len;
  cn_completion_fn write_cb;
  void *write_ctx;

  /* Set while callbacks run from on_transport_ready, so that destroy()
   * inside a callback is noticed. */
  bool *destroyed;

  char alpn[32];
  long verify_result;
  bool session_reused;
};

static const struct cn_stream_socket_ops ssl_socket_ops;

static struct cn_ssl_client_socket *from_base(struct cn_stream_socket *b) {
  return (struct cn_ssl_client_socket *)b;
}

/* --- error text ----------------------------------------------------------- */

static const char *ssl_error_name(int err) {
  switch (err) {
  case SSL_ERROR_NONE:
    return "SSL_ERROR_NONE";
  case SSL_ERROR_SSL:
    return "SSL_ERROR_SSL";
  case SSL_ERROR_WANT_READ:
    return "SSL_ERROR_WANT_READ";
  case SSL_ERROR_WANT_WRITE:
    return "SSL_ERROR_WANT_WRITE";
  case SSL_ERROR_WANT_X509_LOOKUP:
    return "SSL_ERROR_WANT_X509_LOOKUP";
  case SSL_ERROR_SYSCALL:
    return "SSL_ERROR_SYSCALL";
  case SSL_ERROR_ZERO_RETURN:
    return "SSL_ERROR_ZERO_RETURN";
  case SSL_ERROR_WANT_CONNECT:
    return "SSL_ERROR_WANT_CONNECT";
  case SSL_ERROR_WANT_ACCEPT:
    return "SSL_ERROR_WANT_ACCEPT";
  default:
    return "SSL_ERROR unknown";
  }
}

/* What strerror() would say for the errno behind a transport error, as
 * libcurl's messages quote it. */
static const char *transport_error_text(int err) {
  switch (err) {
  case CN_ERR_CONNECTION_RESET:
    return "Connection reset by peer";
  case CN_ERR_CONNECTION_ABORTED:
    return "Software caused connection abort";
  case CN_ERR_CONNECTION_REFUSED:
    return "Connection refused";
  case CN_ERR_TIMED_OUT:
  case CN_ERR_CONNECTION_TIMED_OUT:
    return "Connection timed out";
  case CN_ERR_CONNECTION_CLOSED:
    return "Broken pipe";
  default:
    return cn_net_error_description(err);
  }
}

/* The transport's own failure, if it had one; 0 otherwise. */
static int transport_error(const struct cn_ssl_client_socket *s) {
  int e = cn_socket_bio_adapter_read_error(s->adapter);
  if (!e)
    e = cn_socket_bio_adapter_write_error(s->adapter);
  return e;
}

static int map_ssl_reason(int reason) {
  switch (reason) {
  case SSL_R_UNSUPPORTED_PROTOCOL:
  case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
  case SSL_R_NO_SHARED_CIPHER:
  case SSL_R_NO_CIPHER_MATCH:
  case SSL_R_NO_SUPPORTED_VERSIONS_ENABLED:
  case SSL_R_TLSV1_ALERT_INSUFFICIENT_SECURITY:
  case SSL_R_WRONG_VERSION_NUMBER:
    return CN_ERR_SSL_VERSION_OR_CIPHER_MISMATCH;
  case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
    return CN_ERR_SSL_HANDSHAKE_FAILED;
  case SSL_R_TLSV1_ALERT_CERTIFICATE_REQUIRED:
    return CN_ERR_SSL_CLIENT_AUTH_CERT_NEEDED;
  case SSL_R_SSLV3_ALERT_BAD_RECORD_MAC:
  case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    return CN_ERR_SSL_BAD_RECORD_MAC_ALERT;
  default:
    return CN_ERR_SSL_PROTOCOL_ERROR;
  }
}

/* --- logging -------------------------------------------------------------- */

static const char *tls_version_name(int version) {
  switch (version) {
  case TLS1_VERSION:
    return "TLSv1.0";
  case TLS1_1_VERSION:
    return "TLSv1.1";
  case TLS1_2_VERSION:
    return "TLSv1.2";
  case TLS1_3_VERSION:
    return "TLSv1.3";
  default:
    return NULL;
  }
}

static const char *handshake_msg_name(int type) {
  switch (type) {
  case SSL3_MT_HELLO_REQUEST:
    return "Hello request";
  case SSL3_MT_CLIENT_HELLO:
    return "Client hello";
  case SSL3_MT_SERVER_HELLO:
    return "Server hello";
  case SSL3_MT_NEW_SESSION_TICKET:
    return "Newsession Ticket";
  case SSL3_MT_END_OF_EARLY_DATA:
    return "End of early data";
  case SSL3_MT_ENCRYPTED_EXTENSIONS:
    return "Encrypted Extensions";
  case SSL3_MT_CERTIFICATE:
    return "Certificate";
  case SSL3_MT_SERVER_KEY_EXCHANGE:
    return "Server key exchange";
  case SSL3_MT_CERTIFICATE_REQUEST:
    return "Request CERT";
  case SSL3_MT_SERVER_HELLO_DONE:
    return "Server finished";
  case SSL3_MT_CERTIFICATE_VERIFY:
    return "CERT verify";
  case SSL3_MT_CLIENT_KEY_EXCHANGE:
    return "Client key exchange";
  case SSL3_MT_FINISHED:
    return "Finished";
  case SSL3_MT_CERTIFICATE_STATUS:
    return "Certificate Status";
  case SSL3_MT_SUPPLEMENTAL_DATA:
    return "Supplemental data";
  case SSL3_MT_KEY_UPDATE:
    return "Key update";
  case SSL3_MT_NEXT_PROTO:
    return "Next protocol";
  case SSL3_MT_MESSAGE_HASH:
    return "Message hash";
  default:
    return "Unknown";
  }
}

static const char *record_type_name(int type) {
  switch (type) {
  case SSL3_RT_CHANGE_CIPHER_SPEC:
    return "TLS change cipher";
  case SSL3_RT_ALERT:
    return "TLS alert";
  case SSL3_RT_HANDSHAKE:
    return "TLS handshake";
  case SSL3_RT_APPLICATION_DATA:
    return "TLS app data";
  default:
    return "TLS Unknown";
  }
}

/* The version a ServerHello selects: its supported_versions extension
 * (TLS 1.3) or its legacy version field. 0 if it cannot be parsed. */
static int server_hello_version(const uint8_t *p, size_t len) {
  /* type(1) length(3) version(2) random(32) session_id(1+n) suite(2)
   * compression(1) extensions(2+n) */
  size_t off = 4 + 2 + 32;
  if (len < off + 1)
    return 0;
  int legacy = (p[4] << 8) | p[5];
  off += 1 + p[off];
  off += 2 + 1;
  if (len < off + 2)
    return legacy;
  size_t end = off + 2 + ((size_t)(p[off] << 8) | p[off + 1]);
  if (end > len)
    return legacy;
  for (off += 2; off + 4 <= end;) {
    unsigned type = (unsigned)(p[off] << 8) | p[off + 1];
    size_t ext_len = (size_t)(p[off + 2] << 8) | p[off + 3];
    off += 4;
    if (off + ext_len > end)
      break;
    if (type == 0x002b && ext_len == 2)
      return (p[off] << 8) | p[off + 1];
    off += ext_len;
  }
  return legacy;
}

/* libcurl's SSL trace: "TLSv1.3 (OUT), TLS handshake, Client hello (1):"
 * plus the raw message as SSL_DATA_OUT / SSL_DATA_IN. */
static void msg_callback(int is_write, int version, int content_type,
                         const void *buf, size_t len, SSL *ssl, void *arg) {
  struct cn_ssl_client_socket *s = arg;
  if (!cn_net_log_verbose(&s->log))
    return;
  if (version && content_type != SSL3_RT_HEADER) {
    /* OpenSSL, whose output libcurl users know, labels the hellos with
     * the version offered / selected, not the record layer's. */
    const uint8_t *m = buf;
    if (content_type == SSL3_RT_HANDSHAKE && len > 0 &&
        m[0] == SSL3_MT_CLIENT_HELLO && is_write) {
      version = SSL_get_max_proto_version(ssl);
    } else if (content_type == SSL3_RT_HANDSHAKE && len > 0 &&
               m[0] == SSL3_MT_SERVER_HELLO && !is_write) {
      int v = server_hello_version(m, len);
      if (v)
        version = v;
    }
    char unknown[16];
    const char *ver = tls_version_name(version);
    if (!ver) {
      snprintf(unknown, sizeof(unknown), "(%x)", (unsigned)version);
      ver = unknown;
    }
    const uint8_t *p = buf;
    const char *msg_name = "Truncated message";
    int msg_type = 0;
    if (content_type == SSL3_RT_CHANGE_CIPHER_SPEC) {
      if (len) {
        msg_type = p[0];
        msg_name = "Change cipher spec";
      }
    } else if (content_type == SSL3_RT_ALERT) {
      if (len >= 2) {
        msg_type = (p[0] << 8) + p[1];
        msg_name = SSL_alert_desc_string_long(msg_type);
      }
    } else if (len) {
      msg_type = p[0];
      msg_name = handshake_msg_name(msg_type);
    }
    cn_net_log_text(&s->log, "%s (%s), %s, %s (%d):", ver,
                    is_write ? "OUT" : "IN", record_type_name(content_type),
                    msg_name, msg_type);
  }
  cn_net_log_data(&s->log, is_write ? CN_LOG_SSL_DATA_OUT : CN_LOG_SSL_DATA_IN,
                  buf, len);
}

/* OpenSSL's short names for the peer's signature type, which is what
 * libcurl prints in "SSL connection using". */
static const char *signature_type_name(uint16_t sigalg) {
  if (!sigalg)
    return "UNDEF";
  switch (SSL_get_signature_algorithm_key_type(sigalg)) {
  case EVP_PKEY_RSA:
    return SSL_is_signature_algorithm_rsa_pss(sigalg) ? "RSASSA-PSS"
                                                      : "rsaEncryption";
  case EVP_PKEY_EC:
    return "id-ecPublicKey";
  case EVP_PKEY_ED25519:
    return "ED25519";
  default:
    return "UNDEF";
  }
}

static void log_handshake(struct cn_ssl_client_socket *s) {
  if (!cn_net_log_verbose(&s->log))
    return;
  const char *group = SSL_get_group_name(SSL_get_group_id(s->ssl));
  cn_net_log_text(
      &s->log, "SSL connection using %s / %s / %s / %s",
      SSL_get_version(s->ssl), SSL_get_cipher(s->ssl),
      group ? group : "[blank]",
      signature_type_name(SSL_get_peer_signature_algorithm(s->ssl)));
}

/* --- handshake ------------------------------------------------------------ */

/* A handshake that stopped with |ssl_err|: classify and log like
 * libcurl's ossl_connect_step2. */
static int handshake_error(struct cn_ssl_client_socket *s, int ssl_err) {
  /* The queue may start with the crypto error behind a failed chain (a
   * bad signature), with the SSL library's verdict after it. */
  unsigned long e = ERR_get_error(), next;
  bool verify_failed = false;
  for (next = e; next; next = ERR_get_error())
    if (ERR_GET_LIB(next) == ERR_LIB_SSL &&
        ERR_GET_REASON(next) == SSL_R_CERTIFICATE_VERIFY_FAILED)
      verify_failed = true;
  if (verify_failed) {
    long v = SSL_get_verify_result(s->ssl);
    s->verify_result = v;
    if (s->session_key)
      cn_ssl_client_context_remove_session(s->ctx, s->session_key);
    if (v != X509_V_OK) {
      cn_net_log_fail(&s->log, "SSL certificate problem: %s",
                      X509_verify_cert_error_string(v));
      return cn_cert_verify_map_error(v);
    }
    cn_net_log_fail(&s->log, "SSL certificate verification failed");
    return CN_ERR_CERT_INVALID;
  }
  int terr = transport_error(s);
  if (terr) {
    cn_net_log_fail(&s->log,
                    "BoringSSL SSL_connect: %s in connection to %s:%d ",
                    transport_error_text(terr), s->host, s->port);
    return terr;
  }
  if (e) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    cn_net_log_fail(&s->log, "%s", buf);
    return map_ssl_reason(ERR_GET_REASON(e));
  }
  cn_net_log_fail(&s->log, "BoringSSL SSL_connect: %s in connection to %s:%d ",
                  ssl_error_name(ssl_err), s->host, s->port);
  if (ssl_err == SSL_ERROR_SYSCALL &&
      cn_socket_bio_adapter_read_eof(s->adapter))
    return CN_ERR_CONNECTION_CLOSED;
  return CN_ERR_SSL_PROTOCOL_ERROR;
}

static void log_trust_once(struct cn_ssl_client_socket *s) {
  if (!s->trust_log)
    return;
  for (char *line = s->trust_log; *line;) {
    char *nl = strchr(line, '\n');
    int len = nl ? (int)(nl - line) : (int)strlen(line);
    cn_net_log_text(&s->log, "%.*s", len, line);
    line += len + (nl ? 1 : 0);
  }
  cn_free(s->trust_log);
  s->trust_log = NULL;
}

static int do_handshake(struct cn_ssl_client_socket *s) {
  ERR_clear_error();
  int r = SSL_do_handshake(s->ssl);
  log_trust_once(s);
  if (r == 1) {
    s->next_state = STATE_HANDSHAKE_COMPLETE;
    return CN_OK;
  }
  int err = SSL_get_error(s->ssl, r);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    /* A failed write leaves BoringSSL waiting for a reply that will never
     * come: report the write error instead of waiting. */
    if (cn_socket_bio_adapter_write_error(s->adapter))
      return handshake_error(s, SSL_ERROR_SYSCALL);
    s->next_state = STATE_HANDSHAKE;
    return CN_ERR_IO_PENDING;
  }
  return handshake_error(s, err);
}

/* libcurl's servercert(): certificate dump, host name, chain result,
 * pinned key. */
static int check_peer_cert(struct cn_ssl_client_socket *s) {
  int rv = CN_OK;
  X509 *cert = SSL_get_peer_certificate(s->ssl);
  s->verify_result = SSL_get_verify_result(s->ssl);
  if (!cert) {
    if (!s->verify_peer && !s->verify_host)
      return CN_OK;
    cn_net_log_fail(&s->log, "SSL: could not get peer certificate");
    return CN_ERR_CERT_INVALID;
  }
  cn_cert_verify_log_cert(cert, &s->log);
  if (s->verify_host) {
    rv = cn_cert_verify_host(cert, s->host, &s->log);
    if (rv != CN_OK)
      goto out;
  }
  cn_cert_verify_log_issuer(cert, &s->log);
  rv = cn_cert_verify_issuer(cert, s->issuer_file, s->issuer_blob,
                             s->issuer_blob_len,
                             s->verify_peer || s->verify_host, &s->log);
  if (rv != CN_OK)
    goto out;
  if (s->verify_result != X509_V_OK) {
    if (s->verify_peer) {
      /* Normally caught in the handshake; kept for resumed sessions whose
       * stored result was not OK. */
      cn_net_log_fail(&s->log, "SSL certificate problem: %s",
                      X509_verify_cert_error_string(s->verify_result));
      rv = cn_cert_verify_map_error(s->verify_result);
      goto out;
    }
    cn_net_log_text(&s->log,
                    " SSL certificate verify result: %s (%ld),"
                    " continuing anyway.",
                    X509_verify_cert_error_string(s->verify_result),
                    s->verify_result);
  } else {
    cn_net_log_text(&s->log, " SSL certificate verify ok.");
  }
  rv = cn_cert_verify_pinned_key(cert, s->pinned_pubkey, &s->log);
out:
  X509_free(cert);
  return rv;
}

static int do_handshake_complete(struct cn_ssl_client_socket *s) {
  log_handshake(s);
  s->session_reused = SSL_session_reused(s->ssl);
  if (s->alpn_offer) {
    const uint8_t *proto = NULL;
    unsigned len = 0;
    SSL_get0_alpn_selected(s->ssl, &proto, &len);
    if (len > 0 && len < sizeof(s->alpn)) {
      memcpy(s->alpn, proto, len);
      s->alpn[len] = '\0';
      cn_net_log_text(&s->log, "ALPN: server accepted %s", s->alpn);
    } else {
      cn_net_log_text(&s->log, "ALPN: server did not agree on a protocol. Uses "
                               "default.");
    }
  }
  int rv = check_peer_cert(s);
  if (rv != CN_OK) {
    if (s->session_key)
      cn_ssl_client_context_remove_session(s->ctx, s->session_key);
    return rv;
  }
  s->connected = true;
  return CN_OK;
}

static int do_handshake_loop(struct cn_ssl_client_socket *s) {
  int rv = CN_OK;
  do {
    enum state state = s->next_state;
    s->next_state = STATE_NONE;
    switch (state) {
    case STATE_HANDSHAKE:
      rv = do_handshake(s);
      break;
    case STATE_HANDSHAKE_COMPLETE:
      rv = do_handshake_complete(s);
      break;
    default:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && s->next_state != STATE_NONE);
  return rv;
}

int cn_ssl_client_socket_connect(struct cn_stream_socket *base,
                                 cn_completion_fn cb, void *ctx) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (s->setup_error)
    return s->setup_error;
  if (s->connected)
    return CN_OK;
  if (s->next_state != STATE_NONE || !s->ssl)
    return CN_ERR_UNEXPECTED;
  if (s->alpn_offer)
    cn_net_log_text(&s->log, "ALPN: curl offers %s", s->alpn_offer);
  s->next_state = STATE_HANDSHAKE;
  int rv = do_handshake_loop(s);
  if (rv == CN_ERR_IO_PENDING) {
    s->connect_cb = cb;
    s->connect_ctx = ctx;
  }
  return rv;
}

/* --- payload -------------------------------------------------------------- */

/* clear_errors empties the thread's BoringSSL error queue before a call
 * whose failure is read from it. The queue is almost always empty, and
 * ERR_clear_error scrubs every slot: checking first is cheaper on the
 * per-record path. */
static void clear_errors(void) {
  if (ERR_peek_error() != 0)
    ERR_clear_error();
}

static int do_payload_read(struct cn_ssl_client_socket *s, uint8_t *buf,
                           size_t len) {
  clear_errors();
  int n = SSL_read(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  if (n > 0)
    return n;
  int err = SSL_get_error(s->ssl, n);
  switch (err) {
  case SSL_ERROR_ZERO_RETURN: /* close_notify */
    return 0;
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE: {
    int werr = cn_socket_bio_adapter_write_error(s->adapter);
    return werr ? werr : CN_ERR_IO_PENDING;
  }
  case SSL_ERROR_SYSCALL: {
    int terr = transport_error(s);
    if (terr)
      return terr;
    /* TCP EOF without close_notify: libcurl lets close-delimited HTTP/1
     * bodies end this way, so it is an EOF, not an error. */
    if (cn_socket_bio_adapter_read_eof(s->adapter))
      return 0;
    cn_net_log_fail(&s->log, "BoringSSL SSL_read: %s, errno 0",
                    ssl_error_name(err));
    return CN_ERR_SSL_PROTOCOL_ERROR;
  }
  default: {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    char text[256];
    if (e)
      ERR_error_string_n(e, text, sizeof(text));
    else
      snprintf(text, sizeof(text), "%s", ssl_error_name(err));
    cn_net_log_fail(&s->log, "BoringSSL SSL_read: %s, errno 0", text);
    return e ? map_ssl_reason(ERR_GET_REASON(e)) : CN_ERR_SSL_PROTOCOL_ERROR;
  }
  }
}

/* read_plaintext fills as much of |buf| as the records already received
 * allow: one SSL_read opens at most one record (16 KiB), and the caller's
 * buffer is usually larger. It stops at the first call that would wait or
 * fail and returns what it has; a failure comes back on the next read. */
static int read_plaintext(struct cn_ssl_client_socket *s, uint8_t *buf,
                          size_t len) {
  if (len > INT_MAX)
    len = INT_MAX;
  int rv = do_payload_read(s, buf, len);
  if (rv <= 0)
    return rv;
  size_t total = (size_t)rv;
  while (total < len && (SSL_pending(s->ssl) > 0 ||
                         cn_socket_bio_adapter_buffered_read(s->adapter) > 0)) {
    rv = do_payload_read(s, buf + total, len - total);
    if (rv <= 0)
      break;
    total += (size_t)rv;
  }
  return (int)total;
}

static int do_payload_write(struct cn_ssl_client_socket *s, const uint8_t *buf,
                            size_t len) {
  clear_errors();
  int n = SSL_write(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  if (n > 0)
    return n;
  int err = SSL_get_error(s->ssl, n);
  int terr = transport_error(s);
  switch (err) {
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE: {
    int werr = cn_socket_bio_adapter_write_error(s->adapter);
    return werr ? werr : CN_ERR_IO_PENDING;
  }
  case SSL_ERROR_SYSCALL:
    if (terr)
      return terr;
    cn_net_log_fail(&s->log, "BoringSSL SSL_write: %s, errno 0",
                    ssl_error_name(err));
    return CN_ERR_CONNECTION_CLOSED;
  case SSL_ERROR_ZERO_RETURN:
    return CN_ERR_CONNECTION_CLOSED;
  default: {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (terr)
      return terr;
    char text[256];
    if (e)
      ERR_error_string_n(e, text, sizeof(text));
    else
      snprintf(text, sizeof(text), "%s", ssl_error_name(err));
    cn_net_log_fail(&s->log, "SSL_write() error: %s", text);
    return e ? map_ssl_reason(ERR_GET_REASON(e)) : CN_ERR_SSL_PROTOCOL_ERROR;
  }
  }
}

static int ssl_read(struct cn_stream_socket *base, uint8_t *buf, size_t len,
                    cn_completion_fn cb, void *ctx) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (!s->connected)
    return CN_ERR_SOCKET_NOT_CONNECTED;
  if (s->read_cb)
    return CN_ERR_UNEXPECTED; /* one read at a time */
  int rv = read_plaintext(s, buf, len);
  if (rv == CN_ERR_IO_PENDING) {
    s->user_read_buf = buf;
    s->user_read_len = len;
    s->read_cb = cb;
    s->read_ctx = ctx;
  }
  return rv;
}

static int ssl_write(struct cn_stream_socket *base, const uint8_t *buf,
                     size_t len, cn_completion_fn cb, void *ctx) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (!s->connected)
    return CN_ERR_SOCKET_NOT_CONNECTED;
  if (s->write_cb)
    return CN_ERR_UNEXPECTED;
  if (len == 0)
    return CN_ERR_INVALID_ARGUMENT;
  int rv = do_payload_write(s, buf, len);
  if (rv == CN_ERR_IO_PENDING) {
    s->user_write_buf = buf;
    s->user_write_len = len;
    s->write_cb = cb;
    s->write_ctx = ctx;
  }
  return rv;
}

/* The transport made progress (data, space, EOF or an error): resume
 * whatever waits. Runs from the event loop only. */
static void on_transport_ready(void *arg) {
  struct cn_ssl_client_socket *s = arg;
  if (s->next_state != STATE_NONE) {
    int rv = do_handshake_loop(s);
    if (rv == CN_ERR_IO_PENDING)
      return;
    cn_completion_fn cb = s->connect_cb;
    s->connect_cb = NULL;
    if (cb)
      cb(s->connect_ctx, rv); /* may destroy |s| */
    return;
  }
  if (!s->connected)
    return;
  bool destroyed = false;
  s->destroyed = &destroyed;
  if (s->read_cb) {
    int rv = read_plaintext(s, s->user_read_buf, s->user_read_len);
    if (rv != CN_ERR_IO_PENDING) {
      cn_completion_fn cb = s->read_cb;
      s->read_cb = NULL;
      s->user_read_buf = NULL;
      cb(s->read_ctx, rv);
      if (destroyed)
        return;
    }
  }
  if (s->write_cb) {
    int rv = do_payload_write(s, s->user_write_buf, s->user_write_len);
    if (rv != CN_ERR_IO_PENDING) {
      cn_completion_fn cb = s->write_cb;
      s->write_cb = NULL;
      s->user_write_buf = NULL;
      cb(s->write_ctx, rv);
      if (destroyed)
        return;
    }
  }
  s->destroyed = NULL;
}

/* --- other socket operations ---------------------------------------------- */

static void ssl_cancel_io(struct cn_stream_socket *base) {
  struct cn_ssl_client_socket *s = from_base(base);
  /* The adapter reads into its own buffer, so dropping the callbacks is
   * enough: nothing the caller owns is referenced any more. */
  s->read_cb = NULL;
  s->user_read_buf = NULL;
  s->write_cb = NULL;
  s->user_write_buf = NULL;
  s->connect_cb = NULL;
}

static bool ssl_is_connected_and_idle(struct cn_stream_socket *base) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (!s->connected || !s->ssl)
    return false;
  struct cn_stream_socket *t = cn_socket_bio_adapter_transport(s->adapter);
  if (!t->ops->is_connected_and_idle(t))
    return false;
  /* Unread plaintext or ciphertext means the server said something (or
   * closed) while the socket sat idle. */
  return SSL_pending(s->ssl) == 0 &&
         cn_socket_bio_adapter_buffered_read(s->adapter) == 0 &&
         !cn_socket_bio_adapter_read_eof(s->adapter) && transport_error(s) == 0;
}

static int ssl_get_peer_address(struct cn_stream_socket *base,
                                struct cn_ip_endpoint *out) {
  struct cn_ssl_client_socket *s = from_base(base);
  struct cn_stream_socket *t = cn_socket_bio_adapter_transport(s->adapter);
  return t->ops->get_peer_address(t, out);
}

static int ssl_get_local_address(struct cn_stream_socket *base,
                                 struct cn_ip_endpoint *out) {
  struct cn_ssl_client_socket *s = from_base(base);
  struct cn_stream_socket *t = cn_socket_bio_adapter_transport(s->adapter);
  return t->ops->get_local_address(t, out);
}

static void ssl_get_tls_info(struct cn_stream_socket *base,
                             struct cn_tls_info *out) {
  struct cn_ssl_client_socket *s = from_base(base);
  memset(out, 0, sizeof(*out));
  out->is_tls = true;
  out->verify_result = s->verify_result;
  if (!s->ssl)
    return;
  memcpy(out->alpn, s->alpn, sizeof(out->alpn));
  out->session_reused = s->session_reused;
  if (s->connected || s->next_state == STATE_NONE) {
    const SSL_CIPHER *c = SSL_get_current_cipher(s->ssl);
    out->version = c ? SSL_version(s->ssl) : 0;
    out->cipher_name = c ? SSL_CIPHER_get_name(c) : NULL;
  }
}

static int ssl_get_cert_info(struct cn_stream_socket *base,
                             struct cn_buf *out) {
  struct cn_ssl_client_socket *s = from_base(base);
  return s->ssl ? cn_tls_cert_info(s->ssl, out) : CN_OK;
}

static int ssl_get_fd(struct cn_stream_socket *base) {
  struct cn_ssl_client_socket *s = from_base(base);
  struct cn_stream_socket *t = cn_socket_bio_adapter_transport(s->adapter);
  return t->ops->get_fd(t);
}

static void ssl_set_net_log(struct cn_stream_socket *base,
                            const struct cn_net_log *log) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (log)
    s->log = *log;
  else
    memset(&s->log, 0, sizeof(s->log));
  struct cn_stream_socket *t = cn_socket_bio_adapter_transport(s->adapter);
  t->ops->set_net_log(t, log);
}

static int ssl_attach_event_loop(struct cn_stream_socket *base,
                                 struct cn_event_loop *loop) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (!s->connected || s->connect_cb)
    return CN_ERR_UNEXPECTED;
  s->loop = loop;
  return cn_socket_bio_adapter_attach_event_loop(s->adapter, loop);
}

static void ssl_destroy(struct cn_stream_socket *base) {
  struct cn_ssl_client_socket *s = from_base(base);
  if (s->destroyed)
    *s->destroyed = true;
  if (s->ssl) {
    if (s->connected && !transport_error(s)) {
      /* Best effort close_notify: it goes out if the transport takes it
       * synchronously, which a TCP socket with send-buffer room does. */
      SSL_shutdown(s->ssl);
      ERR_clear_error();
    }
    SSL_free(s->ssl);
  }
  cn_socket_bio_adapter_free(s->adapter);
  cn_ssl_client_context_unref(s->ctx);
  cn_free(s->host);
  cn_free(s->pinned_pubkey);
  cn_free(s->issuer_file);
  cn_free(s->issuer_blob);
  cn_free(s->alpn_offer);
  cn_free(s->trust_log);
  cn_free(s->session_key);
  cn_free(s);
}

static const struct cn_stream_socket_ops ssl_socket_ops = {
    .read = ssl_read,
    .write = ssl_write,
    .cancel_io = ssl_cancel_io,
    .is_connected_and_idle = ssl_is_connected_and_idle,
    .get_peer_address = ssl_get_peer_address,
    .get_local_address = ssl_get_local_address,
    .get_tls_info = ssl_get_tls_info,
    .get_cert_info = ssl_get_cert_info,
    .get_fd = ssl_get_fd,
    .set_net_log = ssl_set_net_log,
    .attach_event_loop = ssl_attach_event_loop,
    .destroy = ssl_destroy,
};

/* --- construction --------------------------------------------------------- */

static bool is_ip_literal(const char *host) {
  unsigned char addr[16];
  char tmp[64];
  size_t len = strlen(host);
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
    host++;
    len -= 2;
  }
  if (len >= sizeof(tmp))
    return false;
  memcpy(tmp, host, len);
  tmp[len] = '\0';
  return inet_pton(AF_INET, tmp, addr) == 1 ||
         inet_pton(AF_INET6, tmp, addr) == 1;
}

/* Applies the per-connection settings: SNI, ALPN, a cached session, the
 * trace callback. CN_OK or OOM. */
static int setup_ssl(struct cn_ssl_client_socket *s,
                     const struct cn_ssl_config *cfg) {
  SSL_set_connect_state(s->ssl);
  SSL_set_app_data(s->ssl, &s->sink);
  SSL_set_msg_callback(s->ssl, msg_callback);
  SSL_set_msg_callback_arg(s->ssl, s);

  if (!is_ip_literal(s->host)) {
    /* libcurl sends the name without a trailing dot. */
    size_t len = strlen(s->host);
    char *sni =
        cn_strndup(s->host, len && s->host[len - 1] == '.' ? len - 1 : len);
    if (!sni)
      return CN_ERR_OUT_OF_MEMORY;
    int ok = SSL_set_tlsext_host_name(s->ssl, sni);
    cn_free(sni);
    if (!ok)
      return CN_ERR_OUT_OF_MEMORY;
  }

  if (cfg->num_alpn > 0) {
    uint8_t wire[256];
    size_t wire_len = 0;
    struct cn_buf offer;
    cn_buf_init(&offer, 0);
    int rv = CN_OK;
    for (size_t i = 0; i < cfg->num_alpn && i < CN_SSL_MAX_ALPN; i++) {
      size_t n = strlen(cfg->alpn[i]);
      if (n == 0 || n > 255 || wire_len + 1 + n > sizeof(wire))
        continue;
      wire[wire_len++] = (uint8_t)n;
      memcpy(wire + wire_len, cfg->alpn[i], n);
      wire_len += n;
      if (offer.len)
        rv = cn_buf_append_byte(&offer, ',');
      if (rv == CN_OK)
        rv = cn_buf_append_str(&offer, cfg->alpn[i]);
      if (rv != CN_OK)
        break;
    }
    if (rv == CN_OK && wire_len > 0) {
      if (SSL_set_alpn_protos(s->ssl, wire, wire_len) != 0)
        rv = CN_ERR_OUT_OF_MEMORY;
      else if (!(s->alpn_offer = cn_buf_detach(&offer)))
        rv = CN_ERR_OUT_OF_MEMORY;
    }
    cn_buf_cleanup(&offer);
    if (rv != CN_OK)
      return rv;
  }

  if (cfg->no_key_usage_check)
    SSL_set_enforce_rsa_key_usage(s->ssl, 0);

  int prv = cn_ssl_profile_apply_ssl(s->ssl, cfg, &s->log);
  if (prv != CN_OK)
    return prv;

  if (s->session_key) {
    SSL_SESSION *session =
        cn_ssl_client_context_lookup_session(s->ctx, s->session_key);
    if (session) {
      if (SSL_set_session(s->ssl, session))
        cn_net_log_text(&s->log, "SSL reusing session ID");
      ERR_clear_error();
      SSL_SESSION_free(session);
    }
  }
  return CN_OK;
}

int cn_ssl_client_socket_new(struct cn_ssl_client_context *ctx,
                             struct cn_event_loop *loop,
                             const struct cn_ssl_config *cfg, const char *host,
                             int port, struct cn_stream_socket *transport,
                             const struct cn_net_log *log,
                             struct cn_stream_socket **out) {
  int rv = CN_OK;
  struct cn_buf key;
  cn_buf_init(&key, 0);
  struct cn_ssl_client_socket *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return CN_ERR_OUT_OF_MEMORY;
  s->base.ops = &ssl_socket_ops;
  s->loop = loop;
  if (log)
    s->log = *log;
  s->port = port;
  s->verify_peer = cfg->verify_peer;
  s->verify_host = cfg->verify_host;
  s->verify_result = 1; /* libcurl's "not verified yet" (!X509_V_OK) */
  cn_ssl_client_context_ref(ctx);
  s->ctx = ctx;
  s->sink.ctx = ctx;

  s->host = cn_strdup(host);
  if (!s->host ||
      (cfg->pinned_pubkey &&
       !(s->pinned_pubkey = cn_strdup(cfg->pinned_pubkey))) ||
      (cfg->issuer_cert && !(s->issuer_file = cn_strdup(cfg->issuer_cert))) ||
      (cfg->issuer_blob &&
       !(s->issuer_blob = cn_memdup(cfg->issuer_blob, cfg->issuer_blob_len)))) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto fail;
  }
  s->issuer_blob_len = cfg->issuer_blob_len;
  rv = cn_ssl_config_key(cfg, &key);
  if (rv != CN_OK)
    goto fail;
  if (cfg->session_cache) {
    struct cn_buf sk;
    cn_buf_init(&sk, 0);
    rv = cn_buf_printf(&sk, "%s:%d|%s", host, port, key.data);
    s->session_key = rv == CN_OK ? cn_buf_detach(&sk) : NULL;
    cn_buf_cleanup(&sk);
    if (!s->session_key) {
      rv = CN_ERR_OUT_OF_MEMORY;
      goto fail;
    }
    s->sink.key = s->session_key;
  }

  SSL_CTX *ssl_ctx = NULL;
  rv = cn_ssl_client_context_get_ssl_ctx(ctx, cfg, key.data, &s->log, &ssl_ctx);
  if (rv == CN_ERR_OUT_OF_MEMORY)
    goto fail;
  if (rv != CN_OK) {
    /* A configuration problem, already logged: the socket exists and
     * owns its transport, and connect reports the error. */
    s->setup_error = rv;
    rv = CN_OK;
  } else {
    s->ssl = SSL_new(ssl_ctx);
    SSL_CTX_free(ssl_ctx);
    if (!s->ssl) {
      rv = CN_ERR_OUT_OF_MEMORY;
      goto fail;
    }
    rv = setup_ssl(s, cfg);
    if (rv != CN_OK)
      goto fail;
  }

  if (s->ssl && cn_net_log_verbose(&s->log)) {
    struct cn_buf lines;
    cn_buf_init(&lines, 0);
    rv = cn_ssl_client_context_trust_lines(cfg, &lines);
    bool have = rv == CN_OK && lines.len > 0;
    if (have)
      s->trust_log = cn_buf_detach(&lines);
    cn_buf_cleanup(&lines);
    if (rv != CN_OK || (have && !s->trust_log)) {
      rv = CN_ERR_OUT_OF_MEMORY;
      goto fail;
    }
  }

  /* Last, because from here on the transport belongs to the socket. */
  struct cn_socket_bio_adapter_delegate delegate = {
      .on_readable = on_transport_ready,
      .on_writable = on_transport_ready,
      .ctx = s,
  };
  s->adapter = cn_socket_bio_adapter_new(loop, transport, BIO_BUFFER_SIZE,
                                         BIO_READ_BUFFER_MAX, BIO_BUFFER_SIZE,
                                         &delegate);
  if (!s->adapter) {
    rv = CN_ERR_OUT_OF_MEMORY;
    goto fail;
  }
  if (s->ssl) {
    BIO *bio = cn_socket_bio_adapter_bio(s->adapter);
    SSL_set_bio(s->ssl, bio, bio); /* one reference, used for both */
  }
  cn_buf_cleanup(&key);
  *out = &s->base;
  return CN_OK;

fail:
  cn_buf_cleanup(&key);
  if (s->ssl)
    SSL_free(s->ssl);
  cn_ssl_client_context_unref(s->ctx);
  cn_free(s->host);
  cn_free(s->pinned_pubkey);
  cn_free(s->issuer_file);
  cn_free(s->issuer_blob);
  cn_free(s->alpn_offer);
  cn_free(s->trust_log);
  cn_free(s->session_key);
  cn_free(s);
  return rv;
}

/* --- global --------------------------------------------------------------- */

int cn_tls_global_init(void) {
  cn_keylog_open();
  return CN_OK;
}

void cn_tls_global_cleanup(void) { cn_keylog_close(); }
