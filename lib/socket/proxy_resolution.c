/* proxy_resolution.c: libcurl's choice of proxies for one request. */
#include "socket/proxy_resolution.h"

#include <string.h>

#include "util/net_log.h"

void cn_proxy_resolution_init(struct cn_proxy_resolution *r) {
  memset(r, 0, sizeof(*r));
}

void cn_proxy_resolution_cleanup(struct cn_proxy_resolution *r) {
  cn_proxy_spec_cleanup(&r->socks_spec);
  cn_proxy_spec_cleanup(&r->http_spec);
  memset(r, 0, sizeof(*r));
}

bool cn_proxy_resolution_uses_proxy(const struct cn_proxy_resolution *r) {
  return r->chain.socks.type != CN_PROXY_NONE ||
         r->chain.http.type != CN_PROXY_NONE;
}

bool cn_proxy_resolution_plain_http(const struct cn_proxy_resolution *r) {
  return r->chain.http.type != CN_PROXY_NONE && !r->chain.tunnel;
}

/* from_environment is libcurl's detect_proxy. */
static const char *from_environment(const struct cn_proxy_settings *s,
                                    const char *scheme,
                                    const struct cn_net_log *log) {
  const char *name = NULL, *value = NULL;
  if (strcmp(scheme, "https") == 0) {
    name = "https_proxy";
    value = s->env_https_proxy;
    if (!value) {
      name = "HTTPS_PROXY";
      value = s->env_HTTPS_PROXY;
    }
  } else {
    /* Never HTTP_PROXY: a CGI program gets it from a "Proxy:" header. */
    name = "http_proxy";
    value = s->env_http_proxy;
  }
  if (!value) {
    name = "all_proxy";
    value = s->env_all_proxy;
  }
  if (!value) {
    name = "ALL_PROXY";
    value = s->env_ALL_PROXY;
  }
  if (value)
    cn_net_log_text(log, "Uses proxy env variable %s == '%s'", name, value);
  return value;
}

static int parse_into(struct cn_proxy_resolution *r,
                      const struct cn_proxy_settings *s, const char *spec,
                      const struct cn_net_log *log) {
  struct cn_proxy_spec parsed;
  enum cn_proxy_type def = s->type == CN_PROXY_NONE ? CN_PROXY_HTTP : s->type;
  switch (cn_proxy_spec_parse(&parsed, spec, def)) {
  case CN_PROXY_PARSE_OK:
    break;
  case CN_PROXY_PARSE_BAD_SCHEME:
    cn_net_log_fail(log, "Unsupported proxy scheme for '%s'", spec);
    return CN_ERR_PROXY_CONNECTION_FAILED;
  case CN_PROXY_PARSE_BAD_SYNTAX:
    cn_net_log_fail(log, "Unsupported proxy syntax in '%s': %s", spec,
                    "Malformed input to a URL function");
    return CN_ERR_PROXY_NAME_NOT_RESOLVED;
  case CN_PROXY_PARSE_BAD_HOST:
    return CN_ERR_INVALID_URL;
  default:
    return CN_ERR_OUT_OF_MEMORY;
  }
  if (parsed.port < 0)
    parsed.port = s->port > 0 ? s->port
                  : parsed.type == CN_PROXY_HTTPS ? CN_DEFAULT_HTTPS_PROXY_PORT
                                                  : CN_DEFAULT_PROXY_PORT;
  struct cn_proxy_spec *slot =
      cn_proxy_type_is_socks(parsed.type) ? &r->socks_spec : &r->http_spec;
  cn_proxy_spec_cleanup(slot);
  *slot = parsed;
  return CN_OK;
}

static void fill_server(struct cn_proxy_server *out,
                        const struct cn_proxy_spec *spec, const char *user,
                        const char *password) {
  out->type = spec->type;
  out->host = spec->host;
  out->port = spec->port;
  out->unix_path = spec->unix_path;
  out->user = spec->user ? spec->user : user;
  out->password = spec->user ? spec->password : password;
  if (out->user && !out->password)
    out->password = "";
}

int cn_proxy_resolution_resolve(struct cn_proxy_resolution *r,
                                const struct cn_proxy_settings *s,
                                const char *scheme, const char *host,
                                const struct cn_net_log *log) {
  const char *proxy = s->proxy;
  const char *pre = s->pre_proxy;
  const char *no_proxy = s->no_proxy;
  if (!no_proxy) {
    const char *name = "no_proxy";
    no_proxy = s->env_no_proxy;
    if (!no_proxy) {
      name = "NO_PROXY";
      no_proxy = s->env_NO_PROXY;
    }
    if (no_proxy)
      cn_net_log_text(log, "Uses proxy env variable %s == '%s'", name,
                      no_proxy);
  }
  if (cn_proxy_no_proxy_match(host, no_proxy))
    return CN_OK;
  if (!proxy && !pre)
    proxy = from_environment(s, scheme, log);
  if (proxy && !*proxy)
    proxy = NULL;
  if (pre && !*pre)
    pre = NULL;
  int rv = CN_OK;
  if (proxy)
    rv = parse_into(r, s, proxy, log);
  if (rv == CN_OK && pre)
    rv = parse_into(r, s, pre, log);
  if (rv != CN_OK) {
    cn_proxy_resolution_cleanup(r);
    return rv;
  }
  r->chain.proxy_ssl = s->proxy_ssl;
  r->chain.socks5_allow_userpass = s->socks5_allow_userpass;
  r->chain.out_proxy_code = s->out_proxy_code;
  r->chain.out_proxy_verify_result = s->out_proxy_verify_result;
  bool have_http = r->http_spec.host != NULL;
  if (have_http) {
    fill_server(&r->chain.http, &r->http_spec, s->user, s->password);
    r->chain.tunnel = s->tunnel || strcmp(scheme, "https") == 0;
  }
  if (r->socks_spec.host)
    /* The options' credentials are for the HTTP proxy when there is one. */
    fill_server(&r->chain.socks, &r->socks_spec, have_http ? NULL : s->user,
                have_http ? NULL : s->password);
  return CN_OK;
}
