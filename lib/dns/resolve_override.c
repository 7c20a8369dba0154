/* resolve_override.c: CURLOPT_RESOLVE line syntax (libcurl's
 * Curl_loadhostpairs rules). */
#include "dns/resolve_override.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/ip_endpoint.h"
#include "util/net_error.h"

/* Longest address item libcurl accepts (its buffer is 64 bytes). */
#define ADDR_MAX 63

/* parse_host splits "host:" or "[v6]:" off the front of |s|: sets the host
 * span and returns a pointer just past the ':' or NULL if malformed. */
static const char *parse_host(const char *s, const char **out_host,
                              size_t *out_len) {
  if (*s == '[') {
    const char *close = strchr(s, ']');
    if (!close || close[1] != ':' || close == s + 1)
      return NULL;
    *out_host = s + 1;
    *out_len = (size_t)(close - s - 1);
    return close + 2;
  }
  const char *colon = strchr(s, ':');
  if (!colon)
    return NULL;
  *out_host = s;
  *out_len = (size_t)(colon - s);
  return colon + 1;
}

/* parse_port reads a decimal port with strtoul as libcurl does; |*out_end|
 * is where the digits stopped. False if nothing was read or > 65535. */
static bool parse_port(const char *s, int *out_port, const char **out_end) {
  char *end;
  if (*s < '0' || *s > '9')
    return false;
  unsigned long v = strtoul(s, &end, 10);
  if (end == s || v > 65535)
    return false;
  *out_port = (int)v;
  *out_end = end;
  return true;
}

static int parse_remove(struct cn_resolve_override *o, const char *s) {
  const char *host, *end;
  size_t host_len;
  int port;
  const char *rest = parse_host(s, &host, &host_len);
  /* libcurl reads the port with strtoul and ignores what follows it. */
  if (!rest || host_len == 0 || !parse_port(rest, &port, &end))
    return CN_ERR_INVALID_ARGUMENT;
  o->kind = CN_RESOLVE_OVERRIDE_REMOVE;
  o->port = port;
  o->host = cn_strndup(host, host_len);
  return o->host ? CN_OK : CN_ERR_OUT_OF_MEMORY;
}

/* parse_addresses reads "addr[,addr]..." into |o->addrs|. */
static int parse_addresses(struct cn_resolve_override *o, const char *s) {
  o->addrs = cn_address_list_new();
  if (!o->addrs)
    return CN_ERR_OUT_OF_MEMORY;
  const char *p = s;
  for (;;) {
    const char *end = strchr(p, ',');
    if (!end)
      end = p + strlen(p);
    const char *b = p, *e = end;
    if (b < e && *b == '[') {
      if (e[-1] != ']' || e - b < 2)
        return CN_ERR_INVALID_ARGUMENT;
      b++;
      e--;
    }
    size_t len = (size_t)(e - b);
    if (len > ADDR_MAX)
      return CN_ERR_INVALID_ARGUMENT;
    if (len > 0) {
      char text[ADDR_MAX + 1];
      memcpy(text, b, len);
      text[len] = '\0';
      struct cn_ip_endpoint ep;
      if (!cn_ip_endpoint_parse(&ep, text, o->port)) {
        o->bad_addr = cn_strdup(text);
        return o->bad_addr ? CN_ERR_INVALID_ARGUMENT : CN_ERR_OUT_OF_MEMORY;
      }
      int rv = cn_address_list_add(o->addrs, &ep);
      if (rv != CN_OK)
        return rv;
    }
    if (!*end)
      break;
    p = end + 1;
  }
  return o->addrs->num ? CN_OK : CN_ERR_INVALID_ARGUMENT;
}

static int parse_add(struct cn_resolve_override *o, const char *s) {
  const char *host, *end;
  size_t host_len;
  int port;
  o->kind = CN_RESOLVE_OVERRIDE_ADD;
  o->permanent = true;
  if (*s == '+') {
    o->permanent = false;
    s++;
  }
  const char *rest = parse_host(s, &host, &host_len);
  if (!rest || host_len == 0 || !parse_port(rest, &port, &end) || *end != ':')
    return CN_ERR_INVALID_ARGUMENT;
  o->port = port;
  int rv = parse_addresses(o, end + 1);
  if (rv != CN_OK)
    return rv;
  o->host = cn_strndup(host, host_len);
  o->addr_text = cn_strdup(end + 1);
  if (!o->host || !o->addr_text)
    return CN_ERR_OUT_OF_MEMORY;
  return CN_OK;
}

int cn_resolve_override_parse(struct cn_resolve_override *out,
                              const char *line) {
  struct cn_resolve_override o;
  memset(&o, 0, sizeof(o));
  memset(out, 0, sizeof(*out));
  if (!line)
    return CN_ERR_INVALID_ARGUMENT;
  int rv = (line[0] == '-') ? parse_remove(&o, line + 1) : parse_add(&o, line);
  if (rv == CN_OK) {
    *out = o;
    return CN_OK;
  }
  /* Keep only the offending address for the caller's log line. */
  out->bad_addr = o.bad_addr;
  o.bad_addr = NULL;
  cn_resolve_override_cleanup(&o);
  return rv;
}

void cn_resolve_override_cleanup(struct cn_resolve_override *o) {
  cn_free(o->host);
  cn_address_list_free(o->addrs);
  cn_free(o->addr_text);
  cn_free(o->bad_addr);
  memset(o, 0, sizeof(*o));
}
