/* group_key.c: canonical text of what makes connections interchangeable. */
#include "socket/group_key.h"

#include <ctype.h>
#include <string.h>

#include "socket/proxy_config.h"
#include "tls/ssl_config.h"

static int append_lower(struct cn_buf *out, const char *s) {
  for (; *s; s++) {
    int rv = cn_buf_append_byte(out, (char)tolower((unsigned char)*s));
    if (rv != CN_OK)
      return rv;
  }
  return CN_OK;
}

/* append_number writes |prefix| and |v| in decimal: by hand, as this runs
 * for every pooled request. */
static int append_number(struct cn_buf *out, const char *prefix, size_t v) {
  char num[24];
  size_t i = sizeof(num);
  do {
    num[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  int rv = cn_buf_append_str(out, prefix);
  if (rv == CN_OK)
    rv = cn_buf_append(out, num + i, sizeof(num) - i);
  return rv;
}

/* Hosts with ':' are IPv6 literals; brackets keep "host:port" readable. */
static int append_host_port(struct cn_buf *out, const char *host, int port) {
  bool v6 = strchr(host, ':') != NULL;
  int rv = v6 ? cn_buf_append_byte(out, '[') : CN_OK;
  if (rv == CN_OK)
    rv = append_lower(out, host);
  if (rv == CN_OK && v6)
    rv = cn_buf_append_byte(out, ']');
  if (rv == CN_OK)
    rv = append_number(out, ":", port > 0 ? (size_t)port : 0);
  return rv;
}

/* append_field writes " name=len:data" (length-prefixed: no value can
 * forge a separator). */
static int append_field(struct cn_buf *out, const char *name, const char *data,
                        size_t len) {
  int rv = cn_buf_append_byte(out, ' ');
  if (rv == CN_OK)
    rv = cn_buf_append_str(out, name);
  if (rv == CN_OK)
    rv = append_number(out, "=", len);
  if (rv == CN_OK)
    rv = cn_buf_append_byte(out, ':');
  if (rv == CN_OK)
    rv = cn_buf_append(out, data, len);
  return rv;
}

int cn_group_key_build(struct cn_buf *out,
                       const struct cn_socket_params *p) {
  /* Through a plain HTTP proxy the connection is the proxy's, whatever
   * the origin (libcurl reuses it for every origin). */
  bool proxied = p->proxy && p->proxy->http.type != CN_PROXY_NONE &&
                 !p->proxy->tunnel;
  int rv = cn_buf_append_str(out, proxied       ? "proxied:"
                                  : p->use_tls ? "https://"
                                               : "http://");
  if (rv == CN_OK && !proxied)
    rv = append_host_port(out, p->host ? p->host : "", p->port);
  if (rv == CN_OK && !proxied && (p->connect_host || p->connect_port > 0)) {
    rv = cn_buf_append_str(out, " to=");
    if (rv == CN_OK)
      rv = append_host_port(out, p->connect_host ? p->connect_host : "",
                            p->connect_port);
  }
  if (rv == CN_OK && p->family != CN_IP_ANY)
    rv = cn_buf_append_str(out, p->family == CN_IP_V4 ? " ip=4" : " ip=6");
  if (rv == CN_OK && p->scope_id) /* libcurl's destination has it */
    rv = append_number(out, " scope=", p->scope_id);
  if (rv == CN_OK && p->interface_name)
    rv = append_field(out, "if", p->interface_name, strlen(p->interface_name));
  if (rv == CN_OK && p->local_port > 0) {
    rv = append_number(out, " lport=", (size_t)p->local_port);
    if (rv == CN_OK)
      rv = append_number(
          out, "+", p->local_port_range > 0 ? (size_t)p->local_port_range : 0);
  }
  if (rv == CN_OK && p->use_tls && p->ssl && p->ssl->key) {
    /* The transfer made the TLS part already (ssl_config.h). */
    rv = append_field(out, "tls", p->ssl->key, strlen(p->ssl->key));
  } else if (rv == CN_OK && p->use_tls && p->ssl) {
    struct cn_buf tls;
    cn_buf_init(&tls, 0);
    rv = cn_ssl_config_key(p->ssl, &tls);
    if (rv == CN_OK)
      rv = append_field(out, "tls", tls.data ? tls.data : "", tls.len);
    cn_buf_cleanup(&tls);
  }
  if (rv == CN_OK && p->proxy)
    rv = cn_proxy_chain_key(out, p->proxy);
  if (rv == CN_OK && p->unix_path)
    rv = append_field(out, p->abstract_unix ? "abstract" : "unix",
                      p->unix_path, strlen(p->unix_path));
  if (rv == CN_OK && p->haproxy)
    rv = append_field(out, "haproxy",
                      p->haproxy_client_ip ? p->haproxy_client_ip : "",
                      p->haproxy_client_ip ? strlen(p->haproxy_client_ip) : 0);
  if (rv == CN_OK && p->group_extra)
    rv = append_field(out, "x", p->group_extra, strlen(p->group_extra));
  return rv;
}
