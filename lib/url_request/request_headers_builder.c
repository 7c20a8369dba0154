/* request_headers_builder.c: libcurl's request header order. */
#include "url_request/request_headers_builder.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/auth/http_auth_sigv4.h"
#include "http/http_request_headers.h"
#include "impersonate/browser_profile.h"
#include "util/alloc.h"
#include "util/net_error.h"

struct skip_ctx {
  bool host_in_place;
  bool connection_merged; /* the program's Connection went into TE's */
  bool strip_credentials;
  bool auth_probe;
};

/* drop_user_line says which program lines libcurl does not send as custom
 * headers: Host (already placed where the built-in one goes) and, on a
 * redirect to another host, credentials. */
static bool drop_user_line(void *ctx, const char *name, size_t len) {
  const struct skip_ctx *s = ctx;
  if (s->host_in_place && len == 4 && strncasecmp(name, "Host", 4) == 0)
    return true;
  if (s->auth_probe && len == 14 &&
      strncasecmp(name, "Content-Length", 14) == 0)
    return true;
  if (s->strip_credentials &&
      ((len == 13 && strncasecmp(name, "Authorization", 13) == 0) ||
       (len == 6 && strncasecmp(name, "Cookie", 6) == 0)))
    return true;
  return false;
}

/* user_value finds the program's "Name: value" line for |name|; returns
 * the value start (after blanks) or NULL. */
static const char *user_value(const struct cn_request_headers_input *in,
                              const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < in->num_user_lines; i++) {
    const char *line = in->user_lines[i];
    if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
      const char *v = line + n + 1;
      while (*v == ' ' || *v == '\t')
        v++;
      return v;
    }
  }
  return NULL;
}

/* first_user_line returns the program's first "Name:" or "Name;" line. */
static const char *first_user_line(const struct cn_request_headers_input *in,
                                   const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < in->num_user_lines; i++) {
    const char *line = in->user_lines[i];
    if (strncasecmp(line, name, n) == 0 && (line[n] == ':' || line[n] == ';'))
      return line;
  }
  return NULL;
}

static bool user_names(const struct cn_request_headers_input *in,
                       const char *name) {
  return first_user_line(in, name) != NULL;
}

/* apply_user_lines applies the program's lines; its Host lines were
 * already used in place, so they are left out here (otherwise naming Host
 * would remove the built-in Host placed above). */
static int apply_user_lines(struct cn_http_request_headers *out,
                            const struct cn_request_headers_input *in,
                            struct skip_ctx *skip) {
  if (!in->num_user_lines)
    return CN_OK;
  const char **lines = cn_calloc(in->num_user_lines, sizeof(*lines));
  if (!lines)
    return CN_ERR_OUT_OF_MEMORY;
  size_t n = 0;
  for (size_t i = 0; i < in->num_user_lines; i++) {
    const char *line = in->user_lines[i];
    if (skip->host_in_place && strncasecmp(line, "Host", 4) == 0 &&
        (line[4] == ':' || line[4] == ';'))
      continue;
    if (in->body_content_type && in->has_body &&
        strncasecmp(line, "Content-Type", 12) == 0 &&
        (line[12] == ':' || line[12] == ';'))
      continue;
    if (skip->connection_merged && strncasecmp(line, "Connection", 10) == 0 &&
        (line[10] == ':' || line[10] == ';'))
      continue;
    lines[n++] = line;
  }
  int rv = cn_http_request_headers_apply_user_lines(
      out, lines, n, CN_HTTP_USER_HEADERS_APPEND, drop_user_line, skip);
  cn_free(lines);
  return rv;
}

/* add_te asks for a gzip transfer coding the way libcurl does: TE needs a
 * "Connection: TE", merged with the program's own Connection value (whose
 * line is then not sent separately). */
static int add_te(struct cn_http_request_headers *out,
                  const struct cn_request_headers_input *in) {
  const char *conn = user_value(in, "Connection");
  int rv;
  if (conn && *conn) {
    size_t len = strlen(conn) + sizeof(", TE");
    char *merged = cn_malloc(len);
    if (!merged)
      return CN_ERR_OUT_OF_MEMORY;
    snprintf(merged, len, "%s, TE", conn);
    rv = cn_http_request_headers_set(out, "Connection", merged);
    cn_free(merged);
  } else {
    rv = cn_http_request_headers_set(out, "Connection", "TE");
  }
  if (rv == CN_OK)
    rv = cn_http_request_headers_set(out, "TE", "gzip");
  return rv;
}

/* add_ws_lines adds a WebSocket upgrade's request lines. */
static int add_ws_lines(struct cn_http_request_headers *out,
                        const struct cn_request_headers_input *in) {
  if (!in->ws_key)
    return CN_OK;
  const char *lines[][2] = {{"Upgrade", "websocket"},
                            {"Connection", "Upgrade"},
                            {"Sec-WebSocket-Version", "13"},
                            {"Sec-WebSocket-Key", in->ws_key}};
  int rv = CN_OK;
  for (size_t i = 0; rv == CN_OK && i < 4; i++)
    if (!user_names(in, lines[i][0]))
      rv = cn_http_request_headers_set(out, lines[i][0], lines[i][1]);
  return rv;
}

int cn_request_headers_build(struct cn_http_request_headers *out,
                             const struct cn_request_headers_input *in,
                             bool *out_chunked) {
  int rv = CN_OK;
  struct skip_ctx skip = {false, false, in->strip_credentials,
                          in->auth_probe};
  *out_chunked = false;

  /* The program's first Host line takes the built-in Host's place
   * (libcurl): "Host:" alone removes it, "Host;" sends it empty. */
  const char *host = first_user_line(in, "Host");
  if (host && in->ignore_custom_host) {
    skip.host_in_place = true; /* dropped, the built-in one goes */
    host = NULL;
  }
  if (!host) {
    rv = cn_http_request_headers_set(out, "Host", in->authority);
  } else {
    skip.host_in_place = true;
    const char *value = host + 5;
    while (*value == ' ' || *value == '\t')
      value++;
    if (*value)
      rv = cn_http_request_headers_set(out, "Host", value);
    else if (host[4] == ';')
      rv = cn_http_request_headers_add_line(out, "Host:", 5);
  }
  if (rv == CN_OK && in->proxy_authorization)
    rv = cn_http_request_headers_set(out, "Proxy-Authorization",
                                     in->proxy_authorization);
  if (rv == CN_OK && in->authorization)
    rv = cn_http_request_headers_set(out, "Authorization", in->authorization);
  for (size_t i = 0; rv == CN_OK && i < in->num_auth_extra; i++)
    rv = cn_http_request_headers_set(out, in->auth_extra[i].name,
                                     in->auth_extra[i].value);
  if (rv == CN_OK && in->range)
    rv = cn_http_request_headers_set(out, "Range", in->range);
  if (rv == CN_OK && in->content_range && !user_names(in, "Content-Range"))
    rv = cn_http_request_headers_set(out, "Content-Range", in->content_range);
  /* an empty CURLOPT_USERAGENT sends none */
  if (rv == CN_OK && in->user_agent && *in->user_agent)
    rv = cn_http_request_headers_set(out, "User-Agent", in->user_agent);
  if (rv == CN_OK)
    rv = cn_http_request_headers_set(out, "Accept", "*/*");
  if (rv == CN_OK && in->te_gzip && !user_names(in, "TE")) {
    rv = add_te(out, in);
    skip.connection_merged = true;
  }
  if (rv == CN_OK && in->accept_encoding)
    rv = cn_http_request_headers_set(out, "Accept-Encoding",
                                     in->accept_encoding);
  if (rv == CN_OK && in->referer)
    rv = cn_http_request_headers_set(out, "Referer", in->referer);
  if (rv == CN_OK && in->proxy_connection &&
      !user_names(in, "Proxy-Connection"))
    rv = cn_http_request_headers_set(out, "Proxy-Connection", "Keep-Alive");
  /* A body of unknown size goes chunked on HTTP/1.1; libcurl's own
   * Transfer-Encoding line sits here, whatever Content-Length the program
   * adds. The program's Transfer-Encoding line decides instead. */
  const char *te = user_value(in, "Transfer-Encoding");
  bool body = in->has_body && !in->auth_probe;
  /* An auth probe of a body the program sends chunked stays chunked and
   * ends at once (just the last chunk), as libcurl's probe does. */
  bool chunked = in->has_body && te && strstr(te, "chunked") != NULL;
  if (rv == CN_OK && body && !te && in->body_size < 0 && !in->http10) {
    chunked = true;
    rv = cn_http_request_headers_set(out, "Transfer-Encoding", "chunked");
  }
  if (rv == CN_OK && in->alt_used && !user_names(in, "Alt-Used"))
    rv = cn_http_request_headers_set(out, "Alt-Used", in->alt_used);
  if (rv == CN_OK && in->h2c_settings) {
    rv = cn_http_request_headers_set(out, "Connection",
                                     "Upgrade, HTTP2-Settings");
    if (rv == CN_OK)
      rv = cn_http_request_headers_set(out, "Upgrade", "h2c");
    if (rv == CN_OK)
      rv = cn_http_request_headers_set(out, "HTTP2-Settings",
                                       in->h2c_settings);
  }
  if (rv == CN_OK && in->cookie)
    rv = cn_http_request_headers_set(out, "Cookie", in->cookie);
  if (rv == CN_OK && in->time_cond_name && !user_names(in, in->time_cond_name))
    rv = cn_http_request_headers_set(out, in->time_cond_name,
                                     in->time_cond_value);
  if (rv == CN_OK)
    rv = add_ws_lines(out, in);
  if (rv == CN_OK)
    rv = apply_user_lines(out, in, &skip);
  if (rv != CN_OK || !in->has_body)
    return rv;

  /* Content-Length last, unless the program chose its own. */
  if (in->auth_probe) {
    if (!chunked)
      rv = cn_http_request_headers_set(out, "Content-Length", "0");
  } else if (!chunked && in->body_size >= 0 &&
             !user_names(in, "Content-Length")) {
    char len[32];
    snprintf(len, sizeof(len), "%lld", (long long)in->body_size);
    rv = cn_http_request_headers_set(out, "Content-Length", len);
  }
  /* libcurl prepares a multipart body's headers only when it sends it. */
  if (rv == CN_OK && in->default_content_type &&
      !(in->auth_probe && in->body_content_type) &&
      (in->body_content_type || !user_names(in, "Content-Type")))
    rv = cn_http_request_headers_set(out, "Content-Type",
                                     in->default_content_type);
  /* libcurl's addexpect: big or unknown-size bodies ask first, unless the
   * program names Expect itself (then its line is what goes out). */
  if (rv == CN_OK && !in->auth_probe && !in->http10 && !in->disable_expect &&
      !in->h2c_settings &&
      !user_names(in, "Expect") &&
      (in->body_size < 0 || in->body_size > CN_EXPECT_100_THRESHOLD))
    rv = cn_http_request_headers_set(out, "Expect", "100-continue");
  *out_chunked = chunked;
  return rv;
}

/* --- browser order --------------------------------------------------- */

/* index_of returns the position of |name| in |out|, or SIZE_MAX. */
static size_t index_of(const struct cn_http_request_headers *out,
                       const char *name) {
  size_t n = cn_http_request_headers_count(out);
  for (size_t i = 0; i < n; i++) {
    const struct cn_http_request_header *e = cn_http_request_headers_at(out, i);
    if (e->name_len == strlen(name) && strncasecmp(e->line, name, e->name_len) == 0)
      return i;
  }
  return (size_t)-1;
}

/* insert_before adds "name: value" in front of the first of |anchors|
 * present (so a header the browser sends lands where the browser sends
 * it), or at the end. */
static int insert_before(struct cn_http_request_headers *out, const char *name,
                         const char *value, const char *const *anchors) {
  struct cn_http_request_headers tmp;
  cn_http_request_headers_init(&tmp);
  size_t at = (size_t)-1;
  for (size_t a = 0; anchors && anchors[a] && at == (size_t)-1; a++)
    at = index_of(out, anchors[a]);
  size_t n = cn_http_request_headers_count(out);
  int rv = CN_OK;
  for (size_t i = 0; i <= n && rv == CN_OK; i++) {
    if (i == at || (i == n && at == (size_t)-1))
      rv = cn_http_request_headers_add(&tmp, name, value);
    if (i < n && rv == CN_OK) {
      const struct cn_http_request_header *e = cn_http_request_headers_at(out, i);
      rv = cn_http_request_headers_add_line(&tmp, e->line, e->line_len);
    }
  }
  if (rv == CN_OK) {
    cn_http_request_headers_cleanup(out);
    *out = tmp;
    return CN_OK;
  }
  cn_http_request_headers_cleanup(&tmp);
  return rv;
}

/* place sets |name| in place when the profile has it, else inserts it
 * before the first anchor present. */
static int place(struct cn_http_request_headers *out, const char *name,
                 const char *value, const char *const *anchors) {
  if (index_of(out, name) != (size_t)-1)
    return cn_http_request_headers_set(out, name, value);
  return insert_before(out, name, value, anchors);
}

int cn_profile_headers_build(struct cn_http_request_headers *out,
                             const struct cn_header_list *defaults, bool h2,
                             const struct cn_request_headers_input *in,
                             bool *out_chunked) {
  int rv = CN_OK;
  *out_chunked = false;
  for (size_t i = 0; i < defaults->num && rv == CN_OK; i++) {
    const struct cn_header *d = &defaults->v[i];
    if (d->value)
      rv = cn_http_request_headers_add(out, d->name, d->value);
    else if (strcasecmp(d->name, "Host") == 0)
      rv = cn_http_request_headers_add(out, d->name, in->authority);
    else if (strcasecmp(d->name, "Connection") == 0)
      rv = cn_http_request_headers_add(out, d->name, "keep-alive");
  }
  /* Where a browser sends what the profile's plain navigation lacks. */
  static const char *const before_ua[] = {"User-Agent", "user-agent", NULL};
  static const char *const before_ae[] = {"Accept-Encoding", "accept-encoding",
                                          NULL};
  static const char *const before_priority[] = {"Priority", "priority", NULL};
  const char *ua = h2 ? "user-agent" : "User-Agent";
  if (rv == CN_OK && in->user_agent)
    rv = place(out, ua, in->user_agent, NULL);
  if (rv == CN_OK && in->accept_encoding)
    rv = place(out, h2 ? "accept-encoding" : "Accept-Encoding",
               in->accept_encoding, before_priority);
  if (rv == CN_OK && in->authorization)
    rv = place(out, h2 ? "authorization" : "Authorization", in->authorization,
               before_ua);
  if (rv == CN_OK && in->referer)
    rv = place(out, h2 ? "referer" : "Referer", in->referer, before_ae);
  if (rv == CN_OK && in->range)
    rv = place(out, h2 ? "range" : "Range", in->range, before_priority);
  if (rv == CN_OK && in->content_range && !user_names(in, "Content-Range"))
    rv = place(out, h2 ? "content-range" : "Content-Range", in->content_range,
               before_priority);
  if (rv == CN_OK && in->cookie)
    rv = place(out, h2 ? "cookie" : "Cookie", in->cookie, before_priority);
  if (rv == CN_OK && in->time_cond_name && !user_names(in, in->time_cond_name))
    rv = place(out, in->time_cond_name, in->time_cond_value, before_priority);
  if (rv == CN_OK && in->has_body) {
    static const char *const after_conn[] = {"sec-ch-ua", "Cache-Control",
                                             "cache-control", "User-Agent",
                                             "user-agent", NULL};
    const char *te = user_value(in, "Transfer-Encoding");
    bool chunked = te && strstr(te, "chunked") != NULL;
    if (!chunked && !user_names(in, "Content-Length")) {
      char len[32];
      if (in->body_size >= 0) {
        snprintf(len, sizeof(len), "%lld", (long long)in->body_size);
        rv = place(out, h2 ? "content-length" : "Content-Length", len,
                   after_conn);
      } else if (!h2) {
        chunked = true;
        rv = place(out, "Transfer-Encoding", "chunked", after_conn);
      }
    }
    if (rv == CN_OK && in->default_content_type &&
        !user_names(in, "Content-Type"))
      rv = place(out, h2 ? "content-type" : "Content-Type",
                 in->default_content_type, before_ua);
    *out_chunked = chunked;
  }
  if (rv == CN_OK && in->num_user_lines) {
    struct skip_ctx skip = {in->ignore_custom_host, false,
                            in->strip_credentials, in->auth_probe};
    rv = cn_http_request_headers_apply_user_lines(
        out, in->user_lines, in->num_user_lines, CN_HTTP_USER_HEADERS_IN_PLACE,
        drop_user_line, &skip);
  }
  return rv;
}
