/* socks_connect_job.c: DoLoop of the SOCKS handshake:
 *   [RESOLVE] -> WRITE request -> READ reply            (SOCKS4/4a)
 *   WRITE greeting -> READ method [-> WRITE auth -> READ status]
 *     [-> RESOLVE] -> WRITE connect -> READ reply [-> READ rest] (SOCKS5/5h)
 */
#include "socket/socks_connect_job.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "dns/address_list.h"
#include "util/alloc.h"

/* --- messages ------------------------------------------------------------ */

size_t cn_socks4_build_request(uint8_t *buf, size_t cap, int port,
                               const uint8_t ip4[4], const char *host4a,
                               const char *user, enum cn_socks_error *out_err) {
  size_t ulen = user ? strlen(user) : 0;
  size_t hlen = host4a ? strlen(host4a) : 0;
  if (ulen > 255) {
    *out_err = CN_SOCKS_LONG_USER;
    return 0;
  }
  if (host4a && (hlen + 1 > 255 || 9 + ulen + hlen + 1 > cap)) {
    *out_err = CN_SOCKS_LONG_HOSTNAME;
    return 0;
  }
  if (9 + ulen > cap) {
    *out_err = CN_SOCKS_LONG_USER;
    return 0;
  }
  size_t n = 0;
  buf[n++] = 4; /* version */
  buf[n++] = 1; /* CONNECT */
  buf[n++] = (uint8_t)((port >> 8) & 0xff);
  buf[n++] = (uint8_t)(port & 0xff);
  if (host4a) {
    /* SOCKS4a: an invalid address 0.0.0.x says "the name follows". */
    static const uint8_t marker[4] = {0, 0, 0, 1};
    memcpy(buf + n, marker, 4);
  } else {
    memcpy(buf + n, ip4, 4);
  }
  n += 4;
  if (ulen)
    memcpy(buf + n, user, ulen);
  n += ulen;
  buf[n++] = 0;
  if (host4a) {
    memcpy(buf + n, host4a, hlen);
    n += hlen;
    buf[n++] = 0;
  }
  return n;
}

size_t cn_socks5_build_greeting(uint8_t *buf, bool userpass) {
  size_t n = 0;
  buf[n++] = 5;
  buf[n++] = userpass ? 2 : 1; /* number of methods */
  buf[n++] = 0;                /* no authentication */
  if (userpass)
    buf[n++] = 2; /* user name / password */
  return n;
}

size_t cn_socks5_build_auth(uint8_t *buf, size_t cap, const char *user,
                            const char *password,
                            enum cn_socks_error *out_err) {
  size_t ulen = user ? strlen(user) : 0;
  size_t plen = password ? strlen(password) : 0;
  if (ulen > 255) {
    *out_err = CN_SOCKS_LONG_USER;
    return 0;
  }
  if (plen > 255) {
    *out_err = CN_SOCKS_LONG_PASSWD;
    return 0;
  }
  if (3 + ulen + plen > cap) {
    *out_err = CN_SOCKS_LONG_USER;
    return 0;
  }
  size_t n = 0;
  buf[n++] = 1; /* sub-negotiation version */
  buf[n++] = (uint8_t)ulen;
  memcpy(buf + n, user ? user : "", ulen);
  n += ulen;
  buf[n++] = (uint8_t)plen;
  memcpy(buf + n, password ? password : "", plen);
  n += plen;
  return n;
}

size_t cn_socks5_build_connect(uint8_t *buf, size_t cap, const char *host,
                               const struct cn_ip_endpoint *ep, int port,
                               enum cn_socks_error *out_err) {
  size_t n = 0;
  uint8_t addr[16];
  if (cap < 22) {
    *out_err = CN_SOCKS_LONG_HOSTNAME;
    return 0;
  }
  buf[n++] = 5;
  buf[n++] = 1; /* CONNECT */
  buf[n++] = 0;
  if (host && inet_pton(AF_INET, host, addr) == 1) {
    buf[n++] = 1;
    memcpy(buf + n, addr, 4);
    n += 4;
  } else if (host && inet_pton(AF_INET6, host, addr) == 1) {
    buf[n++] = 4;
    memcpy(buf + n, addr, 16);
    n += 16;
  } else if (host) {
    size_t hlen = strlen(host);
    if (hlen > 255 || 7 + hlen > cap) {
      *out_err = CN_SOCKS_LONG_HOSTNAME;
      return 0;
    }
    buf[n++] = 3;
    buf[n++] = (uint8_t)hlen;
    memcpy(buf + n, host, hlen);
    n += hlen;
  } else if (cn_ip_endpoint_family(ep) == AF_INET) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *)&ep->addr;
    buf[n++] = 1;
    memcpy(buf + n, &sin->sin_addr, 4);
    n += 4;
  } else {
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ep->addr;
    buf[n++] = 4;
    memcpy(buf + n, &sin6->sin6_addr, 16);
    n += 16;
  }
  buf[n++] = (uint8_t)((port >> 8) & 0xff);
  buf[n++] = (uint8_t)(port & 0xff);
  return n;
}

bool cn_socks5_reply_length(const uint8_t *head5, size_t *out_len) {
  switch (head5[3]) {
  case 1:
    *out_len = 4 + 4 + 2;
    return true;
  case 3:
    *out_len = 5 + (size_t)head5[4] + 2;
    return true;
  case 4:
    *out_len = 4 + 16 + 2;
    return true;
  default:
    return false;
  }
}

enum cn_socks_error cn_socks5_reply_error(uint8_t rep) {
  static const enum cn_socks_error map[] = {
      CN_SOCKS_OK,
      CN_SOCKS_REPLY_GENERAL_SERVER_FAILURE,
      CN_SOCKS_REPLY_NOT_ALLOWED,
      CN_SOCKS_REPLY_NETWORK_UNREACHABLE,
      CN_SOCKS_REPLY_HOST_UNREACHABLE,
      CN_SOCKS_REPLY_CONNECTION_REFUSED,
      CN_SOCKS_REPLY_TTL_EXPIRED,
      CN_SOCKS_REPLY_COMMAND_NOT_SUPPORTED,
      CN_SOCKS_REPLY_ADDRESS_TYPE_NOT_SUPPORTED,
  };
  return rep < sizeof(map) / sizeof(map[0]) ? map[rep]
                                            : CN_SOCKS_REPLY_UNASSIGNED;
}

/* --- the job ------------------------------------------------------------- */

enum state {
  STATE_NONE,
  STATE_START,
  STATE_RESOLVE,
  STATE_RESOLVE_COMPLETE,
  STATE_WRITE,
  STATE_WRITE_COMPLETE,
  STATE_READ,
  STATE_READ_COMPLETE,
};

/* What a finished read or write leads to. */
enum step {
  STEP_S4_REQUEST_SENT,
  STEP_S4_REPLY,
  STEP_S5_GREETING_SENT,
  STEP_S5_METHOD,
  STEP_S5_AUTH_SENT,
  STEP_S5_AUTH_STATUS,
  STEP_S5_CONNECT_SENT,
  STEP_S5_REPLY,
  STEP_S5_REPLY_REST,
};

struct cn_socks_connect_job {
  struct cn_event_loop *loop;
  struct cn_host_resolver *resolver;
  struct cn_stream_socket *socket; /* borrowed */
  cn_completion_fn cb;
  void *cb_ctx;
  struct cn_socks_connect_params p;
  char *dest_host;
  char *proxy_host;
  char *user;
  char *password;
  struct cn_net_log log;

  enum state next_state;
  enum step step;
  bool started;
  uint8_t buf[CN_SOCKS_MAX_MESSAGE];
  size_t io_len;  /* bytes to move in this read/write */
  size_t io_done; /* moved so far */
  const char *io_what; /* libcurl's description, for messages */
  enum cn_socks_error fail_code; /* of the running read/write */
  struct cn_address_list *addrs;
  struct cn_resolve_request *resolve_req;
  enum cn_socks_error proxy_code;
};

static void on_io(void *ctx, int rv);

static bool dup_field(char **dst, const char *src) {
  *dst = NULL;
  if (!src)
    return true;
  *dst = cn_strdup(src);
  return *dst != NULL;
}

struct cn_socks_connect_job *cn_socks_connect_job_new(
    struct cn_event_loop *loop, struct cn_host_resolver *resolver,
    const struct cn_socks_connect_params *params,
    struct cn_stream_socket *socket, cn_completion_fn cb, void *ctx) {
  struct cn_socks_connect_job *job = cn_calloc(1, sizeof(*job));
  if (!job)
    return NULL;
  job->loop = loop;
  job->resolver = resolver;
  job->socket = socket;
  job->cb = cb;
  job->cb_ctx = ctx;
  job->p = *params;
  if (!dup_field(&job->dest_host, params->dest_host ? params->dest_host : "") ||
      !dup_field(&job->proxy_host, params->proxy_host) ||
      !dup_field(&job->user, params->user) ||
      !dup_field(&job->password, params->password)) {
    cn_socks_connect_job_free(job);
    return NULL;
  }
  job->p.dest_host = job->dest_host;
  job->p.proxy_host = job->proxy_host;
  job->p.user = job->user;
  job->p.password = job->password;
  if (params->log)
    job->log = *params->log;
  job->p.log = &job->log;
  return job;
}

void cn_socks_connect_job_free(struct cn_socks_connect_job *job) {
  if (!job)
    return;
  cn_resolve_request_cancel(job->resolve_req);
  if (job->socket && job->next_state != STATE_NONE)
    job->socket->ops->cancel_io(job->socket);
  cn_address_list_free(job->addrs);
  cn_free(job->dest_host);
  cn_free(job->proxy_host);
  cn_free(job->user);
  cn_free(job->password);
  cn_free(job);
}

void cn_socks_connect_job_set_net_log(struct cn_socks_connect_job *job,
                                      const struct cn_net_log *log) {
  if (log)
    job->log = *log;
  else
    memset(&job->log, 0, sizeof(job->log));
}

enum cn_socks_error cn_socks_connect_job_proxy_code(
    const struct cn_socks_connect_job *job) {
  return job->proxy_code;
}

static int fail(struct cn_socks_connect_job *job, enum cn_socks_error code) {
  job->proxy_code = code;
  return CN_ERR_SOCKS_CONNECTION_FAILED;
}

static bool is_socks4(const struct cn_socks_connect_job *job) {
  return job->p.type == CN_PROXY_SOCKS4 || job->p.type == CN_PROXY_SOCKS4A;
}

static bool resolves_locally(const struct cn_socks_connect_job *job) {
  return job->p.type == CN_PROXY_SOCKS4 || job->p.type == CN_PROXY_SOCKS5;
}

static void start_write(struct cn_socks_connect_job *job, size_t len,
                        enum step then, enum cn_socks_error fail_code,
                        const char *what) {
  job->io_len = len;
  job->io_done = 0;
  job->step = then;
  job->fail_code = fail_code;
  job->io_what = what;
  job->next_state = STATE_WRITE;
}

static void start_read(struct cn_socks_connect_job *job, size_t offset,
                       size_t len, enum step then,
                       enum cn_socks_error fail_code, const char *what) {
  job->io_len = offset + len;
  job->io_done = offset;
  job->step = then;
  job->fail_code = fail_code;
  job->io_what = what;
  job->next_state = STATE_READ;
}

/* send_socks4 builds and sends the SOCKS4(a) request. */
static int send_socks4(struct cn_socks_connect_job *job) {
  uint8_t ip4[4] = {0, 0, 0, 0};
  const char *host4a = NULL;
  char shown[CN_IP_STRING_MAX] = "";
  if (job->p.type == CN_PROXY_SOCKS4A) {
    host4a = job->dest_host;
  } else {
    const struct cn_ip_endpoint *v4 = NULL;
    for (size_t i = 0; job->addrs && i < job->addrs->num; i++) {
      if (cn_ip_endpoint_family(&job->addrs->addrs[i]) == AF_INET) {
        v4 = &job->addrs->addrs[i];
        break;
      }
    }
    if (!v4) {
      cn_net_log_fail(&job->log, "SOCKS4 connection to %s not supported",
                      job->dest_host);
      return fail(job, CN_SOCKS_RESOLVE_HOST);
    }
    const struct sockaddr_in *sin = (const struct sockaddr_in *)&v4->addr;
    memcpy(ip4, &sin->sin_addr, 4);
    cn_ip_endpoint_address_string(v4, shown, sizeof(shown));
    cn_net_log_text(&job->log, "SOCKS4 connect to IPv4 %s (locally resolved)",
                    shown);
  }
  enum cn_socks_error err = CN_SOCKS_OK;
  size_t n = cn_socks4_build_request(job->buf, sizeof(job->buf),
                                     job->p.dest_port, ip4, host4a,
                                     job->user, &err);
  if (!n) {
    cn_net_log_fail(&job->log, err == CN_SOCKS_LONG_USER
                                   ? "Too long SOCKS proxy username"
                                   : "SOCKS4: too long hostname");
    return fail(job, err);
  }
  start_write(job, n, STEP_S4_REQUEST_SENT, CN_SOCKS_SEND_CONNECT,
              "SOCKS4 connect request");
  return CN_OK;
}

static int send_socks5_connect(struct cn_socks_connect_job *job) {
  enum cn_socks_error err = CN_SOCKS_OK;
  const struct cn_ip_endpoint *ep = NULL;
  if (resolves_locally(job)) {
    int want = job->p.family == CN_IP_V4   ? AF_INET
               : job->p.family == CN_IP_V6 ? AF_INET6
                                           : AF_UNSPEC;
    for (size_t i = 0; job->addrs && i < job->addrs->num; i++) {
      int fam = cn_ip_endpoint_family(&job->addrs->addrs[i]);
      if (want == AF_UNSPEC || fam == want) {
        ep = &job->addrs->addrs[i];
        break;
      }
    }
    if (!ep) {
      cn_net_log_fail(&job->log,
                      "Failed to resolve \"%s\" for SOCKS5 connect.",
                      job->dest_host);
      return fail(job, CN_SOCKS_RESOLVE_HOST);
    }
    char shown[CN_IP_STRING_MAX] = "";
    cn_ip_endpoint_address_string(ep, shown, sizeof(shown));
    bool v6 = cn_ip_endpoint_family(ep) == AF_INET6;
    cn_net_log_text(&job->log, "SOCKS5 connect to %s%s%s:%d (locally resolved)",
                    v6 ? "[" : "", shown, v6 ? "]" : "", job->p.dest_port);
  } else {
    cn_net_log_text(&job->log, "SOCKS5 connect to %s:%d (remotely resolved)",
                    job->dest_host, job->p.dest_port);
  }
  size_t n = cn_socks5_build_connect(job->buf, sizeof(job->buf),
                                     ep ? NULL : job->dest_host, ep,
                                     job->p.dest_port, &err);
  if (!n) {
    cn_net_log_fail(&job->log, "SOCKS5: the destination hostname is too long "
                               "to be resolved remotely by the proxy.");
    return fail(job, err);
  }
  start_write(job, n, STEP_S5_CONNECT_SENT, CN_SOCKS_SEND_REQUEST,
              "SOCKS5 connect request");
  return CN_OK;
}

/* after_auth: resolve now if SOCKS5 resolves locally, else send. */
static int after_auth(struct cn_socks_connect_job *job) {
  if (resolves_locally(job)) {
    job->next_state = STATE_RESOLVE;
    return CN_OK;
  }
  return send_socks5_connect(job);
}

static int do_start(struct cn_socks_connect_job *job) {
  if (job->p.to_http_proxy)
    cn_net_log_text(&job->log, "%s: connecting to HTTP proxy %s port %d",
                    job->p.type == CN_PROXY_SOCKS4    ? "SOCKS4"
                    : job->p.type == CN_PROXY_SOCKS4A ? "SOCKS4a"
                                                      : "SOCKS5",
                    job->dest_host, job->p.dest_port);
  if (is_socks4(job)) {
    cn_net_log_text(&job->log, "SOCKS4 communication to %s:%d",
                    job->dest_host, job->p.dest_port);
    if (job->p.type == CN_PROXY_SOCKS4) {
      job->next_state = STATE_RESOLVE;
      return CN_OK;
    }
    return send_socks4(job);
  }
  if (!resolves_locally(job) && strlen(job->dest_host) > 255) {
    cn_net_log_fail(&job->log, "SOCKS5: the destination hostname is too long "
                               "to be resolved remotely by the proxy.");
    return fail(job, CN_SOCKS_LONG_HOSTNAME);
  }
  bool userpass = job->user && job->p.allow_userpass;
  size_t n = cn_socks5_build_greeting(job->buf, userpass);
  start_write(job, n, STEP_S5_GREETING_SENT, CN_SOCKS_SEND_CONNECT,
              "initial SOCKS5 request");
  return CN_OK;
}

static int do_resolve(struct cn_socks_connect_job *job) {
  struct cn_resolve_params rp = {
      .host = job->dest_host,
      .port = job->p.dest_port,
      /* SOCKS4 carries IPv4 only. */
      .family = is_socks4(job) ? CN_IP_V4 : job->p.family,
      .cache_timeout_s = job->p.dns_cache_timeout_s,
      .shared_cache = job->p.shared_dns,
      .log = &job->log,
  };
  job->next_state = STATE_RESOLVE_COMPLETE;
  return cn_host_resolver_resolve(job->resolver, &rp, &job->addrs,
                                  &job->resolve_req, on_io, job);
}

static int do_resolve_complete(struct cn_socks_connect_job *job, int rv) {
  job->resolve_req = NULL;
  if (rv != CN_OK) {
    if (rv == CN_ERR_OUT_OF_MEMORY)
      return rv;
    if (is_socks4(job))
      cn_net_log_fail(&job->log, "Failed to resolve \"%s\" for SOCKS4 connect.",
                      job->dest_host);
    return fail(job, CN_SOCKS_RESOLVE_HOST);
  }
  return is_socks4(job) ? send_socks4(job) : send_socks5_connect(job);
}

static int do_write(struct cn_socks_connect_job *job) {
  job->next_state = STATE_WRITE_COMPLETE;
  return job->socket->ops->write(job->socket, job->buf + job->io_done,
                                 job->io_len - job->io_done, on_io, job);
}

static int io_failed(struct cn_socks_connect_job *job, int rv, bool sending) {
  if (rv == 0 || rv == CN_ERR_CONNECTION_CLOSED) {
    cn_net_log_fail(&job->log, "connection to proxy closed");
    return fail(job, CN_SOCKS_CLOSED);
  }
  if (sending)
    cn_net_log_fail(&job->log, "Failed to send %s: %s", job->io_what,
                    "Failed sending data to the peer");
  else
    cn_net_log_fail(&job->log, "SOCKS: Failed receiving %s: %s",
                    job->io_what, "Failure when receiving data from the peer");
  return fail(job, job->fail_code);
}

static int do_write_complete(struct cn_socks_connect_job *job, int rv) {
  if (rv <= 0)
    return io_failed(job, rv, true);
  job->io_done += (size_t)rv;
  if (job->io_done < job->io_len) {
    job->next_state = STATE_WRITE;
    return CN_OK;
  }
  switch (job->step) {
  case STEP_S4_REQUEST_SENT:
    start_read(job, 0, 8, STEP_S4_REPLY, CN_SOCKS_RECV_CONNECT,
               "connect request ack");
    break;
  case STEP_S5_GREETING_SENT:
    start_read(job, 0, 2, STEP_S5_METHOD, CN_SOCKS_RECV_CONNECT,
               "initial SOCKS5 response");
    break;
  case STEP_S5_AUTH_SENT:
    start_read(job, 0, 2, STEP_S5_AUTH_STATUS, CN_SOCKS_RECV_AUTH,
               "SOCKS5 sub-negotiation response");
    break;
  case STEP_S5_CONNECT_SENT:
    start_read(job, 0, 10, STEP_S5_REPLY, CN_SOCKS_RECV_REQACK,
               "SOCKS5 connect request ack");
    break;
  default:
    return CN_ERR_UNEXPECTED;
  }
  return CN_OK;
}

static int do_read(struct cn_socks_connect_job *job) {
  job->next_state = STATE_READ_COMPLETE;
  return job->socket->ops->read(job->socket, job->buf + job->io_done,
                                job->io_len - job->io_done, on_io, job);
}

static int socks4_reply(struct cn_socks_connect_job *job) {
  const uint8_t *r = job->buf;
  if (r[0] != 0) {
    cn_net_log_fail(&job->log,
                    "SOCKS4 reply has wrong version, version should be 0.");
    return fail(job, CN_SOCKS_BAD_VERSION);
  }
  if (r[1] == 90) {
    cn_net_log_text(&job->log, "SOCKS4%s request granted.",
                    job->p.type == CN_PROXY_SOCKS4A ? "a" : "");
    return CN_OK;
  }
  static const struct {
    uint8_t code;
    enum cn_socks_error err;
    const char *why;
  } reasons[] = {
      {91, CN_SOCKS_REQUEST_FAILED, ", request rejected or failed."},
      {92, CN_SOCKS_IDENTD,
       ", request rejected because SOCKS server cannot connect to identd on "
       "the client."},
      {93, CN_SOCKS_IDENTD_DIFFER,
       ", request rejected because the client program and identd report "
       "different user-ids."},
  };
  enum cn_socks_error err = CN_SOCKS_UNKNOWN_FAIL;
  const char *why = ", Unknown.";
  for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
    if (reasons[i].code == r[1]) {
      err = reasons[i].err;
      why = reasons[i].why;
    }
  }
  cn_net_log_fail(&job->log,
                  "cannot complete SOCKS4 connection to %d.%d.%d.%d:%d. (%d)%s",
                  r[4], r[5], r[6], r[7], (r[2] << 8) | r[3], r[1], why);
  return fail(job, err);
}

static int socks5_method(struct cn_socks_connect_job *job) {
  const uint8_t *r = job->buf;
  if (r[0] != 5) {
    cn_net_log_fail(&job->log,
                    "Received invalid version in initial SOCKS5 response.");
    return fail(job, CN_SOCKS_BAD_VERSION);
  }
  if (r[1] == 0)
    return after_auth(job);
  if (r[1] == 2) {
    enum cn_socks_error err = CN_SOCKS_OK;
    /* libcurl sends empty fields when it has no user name. */
    bool have = job->user && job->password;
    size_t n = cn_socks5_build_auth(job->buf, sizeof(job->buf),
                                    have ? job->user : NULL,
                                    have ? job->password : NULL, &err);
    if (!n) {
      cn_net_log_fail(&job->log, err == CN_SOCKS_LONG_PASSWD
                                     ? "Excessive password length for proxy "
                                       "auth"
                                     : "Excessive username length for proxy "
                                       "auth");
      return fail(job, err);
    }
    start_write(job, n, STEP_S5_AUTH_SENT, CN_SOCKS_SEND_AUTH,
                "SOCKS5 sub-negotiation request");
    return CN_OK;
  }
  if (r[1] == 1) {
    cn_net_log_fail(&job->log,
                    "SOCKS5 GSSAPI per-message authentication is not "
                    "supported.");
    return fail(job, CN_SOCKS_GSSAPI_PERMSG);
  }
  if (r[1] == 255) {
    cn_net_log_fail(&job->log, "No authentication method was acceptable.");
    return fail(job, CN_SOCKS_NO_AUTH);
  }
  cn_net_log_fail(&job->log,
                  "Undocumented SOCKS5 mode attempted to be used by server.");
  return fail(job, CN_SOCKS_UNKNOWN_MODE);
}

static int socks5_reply(struct cn_socks_connect_job *job) {
  const uint8_t *r = job->buf;
  if (r[0] != 5) {
    cn_net_log_fail(&job->log,
                    "SOCKS5 reply has wrong version, version should be 5.");
    return fail(job, CN_SOCKS_BAD_VERSION);
  }
  if (r[1] != 0) {
    cn_net_log_fail(&job->log, "cannot complete SOCKS5 connection to %s. (%d)",
                    job->dest_host, r[1]);
    return fail(job, cn_socks5_reply_error(r[1]));
  }
  size_t len = 0;
  if (!cn_socks5_reply_length(r, &len)) {
    cn_net_log_fail(&job->log, "SOCKS5 reply has wrong address type.");
    return fail(job, CN_SOCKS_BAD_ADDRESS_TYPE);
  }
  if (len > 10) {
    start_read(job, 10, len - 10, STEP_S5_REPLY_REST, CN_SOCKS_RECV_ADDRESS,
               "SOCKS5 connect request address");
    return CN_OK;
  }
  cn_net_log_text(&job->log, "SOCKS5 request granted.");
  return CN_OK;
}

static int do_read_complete(struct cn_socks_connect_job *job, int rv) {
  if (rv <= 0)
    return io_failed(job, rv, false);
  job->io_done += (size_t)rv;
  if (job->io_done < job->io_len) {
    job->next_state = STATE_READ;
    return CN_OK;
  }
  switch (job->step) {
  case STEP_S4_REPLY:
    return socks4_reply(job);
  case STEP_S5_METHOD:
    return socks5_method(job);
  case STEP_S5_AUTH_STATUS:
    if (job->buf[1] != 0) {
      cn_net_log_fail(&job->log,
                      "User was rejected by the SOCKS5 server (%d %d).",
                      job->buf[0], job->buf[1]);
      return fail(job, CN_SOCKS_USER_REJECTED);
    }
    return after_auth(job);
  case STEP_S5_REPLY:
    return socks5_reply(job);
  case STEP_S5_REPLY_REST:
    cn_net_log_text(&job->log, "SOCKS5 request granted.");
    return CN_OK;
  default:
    return CN_ERR_UNEXPECTED;
  }
}

static int do_loop(struct cn_socks_connect_job *job, int rv) {
  do {
    enum state state = job->next_state;
    job->next_state = STATE_NONE;
    switch (state) {
    case STATE_START:
      rv = do_start(job);
      break;
    case STATE_RESOLVE:
      rv = do_resolve(job);
      break;
    case STATE_RESOLVE_COMPLETE:
      rv = do_resolve_complete(job, rv);
      break;
    case STATE_WRITE:
      rv = do_write(job);
      break;
    case STATE_WRITE_COMPLETE:
      rv = do_write_complete(job, rv);
      break;
    case STATE_READ:
      rv = do_read(job);
      break;
    case STATE_READ_COMPLETE:
      rv = do_read_complete(job, rv);
      break;
    case STATE_NONE:
      rv = CN_ERR_UNEXPECTED;
      break;
    }
  } while (rv != CN_ERR_IO_PENDING && job->next_state != STATE_NONE);
  if (rv != CN_ERR_IO_PENDING)
    job->next_state = STATE_NONE;
  return rv;
}

int cn_socks_connect_job_connect(struct cn_socks_connect_job *job) {
  if (job->started)
    return CN_ERR_UNEXPECTED;
  job->started = true;
  job->next_state = STATE_START;
  int rv = do_loop(job, CN_OK);
  return rv;
}

/* The callback may free the job. */
static void on_io(void *ctx, int rv) {
  struct cn_socks_connect_job *job = ctx;
  rv = do_loop(job, rv);
  if (rv != CN_ERR_IO_PENDING)
    job->cb(job->cb_ctx, rv);
}
