/* impersonate.c: browser impersonation at the API: CURL_IMPERSONATE and
 * the resolution of the recorded target when a transfer starts
 * (CURLOPT_IMPERSONATE and curl_easy_impersonate are in setopt.c). */
#include "api/impersonate.h"

#include "http/h2/h2_config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/easy_handle.h"
#include "impersonate/browser_profile.h"
#include "tls/ssl_config.h"
#include "util/alloc.h"
#include "util/net_log.h"

CURLcode cn_impersonate_apply_env(struct cn_easy_options *o) {
  static atomic_bool warned;
  const char *target = getenv("CURL_IMPERSONATE");
  if (!target || !*target)
    return CURLE_OK;
  const char *headers = getenv("CURL_IMPERSONATE_HEADERS");
  bool no_headers = headers && strcasecmp(headers, "no") == 0;
  const struct cn_browser_profile *p;
  bool unused;
  if (!cn_browser_profile_parse_spec(target, &p, &unused) &&
      !atomic_exchange(&warned, true))
    fprintf(stderr,
            "curlium: unknown impersonation target '%s' in CURL_IMPERSONATE;"
            " transfers will fail\n",
            target);
  /* Recorded even when unknown: the transfer reports it (see header). */
  size_t len = strlen(target);
  char *spec = cn_malloc(len + 4);
  if (!spec)
    return CURLE_OUT_OF_MEMORY;
  memcpy(spec, target, len + 1);
  if (no_headers && !strchr(target, ':'))
    memcpy(spec + len, ":no", 4);
  cn_free(o->impersonate);
  o->impersonate = spec;
  o->impersonate_from_env = true;
  return CURLE_OK;
}

/* skip_version returns the end of a "digits and dots" run at |s|, or NULL
 * when there is none. */
static const char *skip_version(const char *s) {
  const char *c = s;
  while ((*c >= '0' && *c <= '9') || *c == '.')
    c++;
  return c == s ? NULL : c;
}

bool cn_impersonate_is_client_default_ua(const char *ua) {
  if (!ua)
    return false;
  /* The curl tool: "curl/7.88.1". */
  if (strncmp(ua, "curl/", 5) == 0) {
    const char *end = skip_version(ua + 5);
    return end && !*end;
  }
  /* pycurl: "PycURL/7.45.2 " followed by this library's curl_version(). */
  if (strncmp(ua, "PycURL/", 7) == 0) {
    const char *end = skip_version(ua + 7);
    return end && *end == ' ' && strcmp(end + 1, curl_version()) == 0;
  }
  return false;
}

CURLcode cn_impersonate_configure_transfer(
    const struct cn_easy_options *o, struct cn_ssl_config *ssl,
    const struct cn_browser_profile **out_profile, bool *out_default_headers,
    bool h2_available, const struct cn_net_log *log) {
  if (!o->impersonate) {
    *out_profile = NULL;
    *out_default_headers = false;
    return CURLE_OK;
  }
  const struct cn_browser_profile *p;
  bool headers;
  if (!cn_browser_profile_parse_spec(o->impersonate, &p, &headers)) {
    cn_net_log_fail(log, "unknown impersonation target '%.64s'",
                    o->impersonate);
    return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  ssl->profile = p;
  ssl->num_alpn = 0;
  /* libcurl offers no ALPN for HTTP/1.0; the browser's list otherwise. */
  if (o->ssl_enable_alpn && o->http_version != CURL_HTTP_VERSION_1_0) {
    bool h2 = h2_available && o->http_version != CURL_HTTP_VERSION_1_0 &&
              o->http_version != CURL_HTTP_VERSION_1_1;
    for (size_t i = 0; i < p->tls.alpn.num && ssl->num_alpn < CN_SSL_MAX_ALPN;
         i++) {
      const char *proto = p->tls.alpn.v[i];
      if (!h2 && strcmp(proto, "http/1.1") != 0)
        continue;
      ssl->alpn[ssl->num_alpn++] = proto;
    }
  }
  *out_profile = p;
  *out_default_headers = headers;
  return CURLE_OK;
}

void cn_impersonate_h2_config(const struct cn_browser_profile *profile,
                              struct cn_h2_config *cfg) {
  const struct cn_h2_profile *h2 = &profile->h2;
  cn_h2_config_init(cfg);
  cfg->num_settings = 0;
  for (size_t i = 0; i < h2->num_settings; i++)
    cn_h2_config_set_setting(cfg, h2->settings[i].id, h2->settings[i].value);
  cfg->connection_window_increment = h2->window_update;
  /* Browsers keep the stream window their SETTINGS announced; libcurl's
   * own shape (a handle with fingerprint options and no target) grows it. */
  cfg->stream_window_after_headers = h2->stream_window_after_headers;
  cfg->num_priority_frames = 0;
  for (size_t i = 0;
       i < h2->num_priority_frames && i < CN_H2_MAX_PRIORITY_FRAMES; i++) {
    const struct cn_h2_priority *f = &h2->priority_frames[i];
    cfg->priority_frames[i].stream_id = (int32_t)f->stream_id;
    cfg->priority_frames[i].priority.depends_on = (int32_t)f->depends_on;
    cfg->priority_frames[i].priority.weight = f->weight;
    cfg->priority_frames[i].priority.exclusive = f->exclusive;
    cfg->num_priority_frames++;
  }
  if (h2->headers_priority) {
    cfg->headers_priority.depends_on =
        (int32_t)h2->headers_priority_value.depends_on;
    cfg->headers_priority.weight = h2->headers_priority_value.weight;
    cfg->headers_priority.exclusive = h2->headers_priority_value.exclusive;
    /* Chrome chains each new stream exclusively on the one before. */
    cfg->depend_on_previous_stream = h2->headers_priority_value.exclusive;
  }
  if (h2->pseudo_order)
    cn_h2_config_set_pseudo_order(cfg, h2->pseudo_order);
  cfg->split_cookies = profile->h2_split_cookies;
  cfg->first_stream_id = h2->first_stream_id;
}
