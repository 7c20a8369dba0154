/* http_auth_controller.c: libcurl's host authentication state machine
 * (see the header). */
#include "http/auth/http_auth_controller.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "http/auth/http_auth_basic.h"
#include "http/http_response_headers.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net_error.h"
#include "util/net_log.h"

void cn_http_auth_controller_init(struct cn_http_auth_controller *c) {
  memset(c, 0, sizeof(*c));
  cn_http_auth_digest_init(&c->digest);
}

void cn_http_auth_controller_init_proxy(struct cn_http_auth_controller *c) {
  cn_http_auth_controller_init(c);
  c->proxy = true;
}

void cn_http_auth_controller_cleanup(struct cn_http_auth_controller *c) {
  cn_http_auth_digest_cleanup(&c->digest);
  cn_http_auth_random_fn random = c->random;
  void *random_ctx = c->random_ctx;
  bool proxy = c->proxy;
  cn_http_auth_controller_init(c);
  c->proxy = proxy;
  c->random = random;
  c->random_ctx = random_ctx;
}

void cn_http_auth_controller_start_transfer(struct cn_http_auth_controller *c,
                                            unsigned long want,
                                            bool digest_ie) {
  c->want = want;
  c->digest_ie = digest_ie;
  c->picked &= want;
  c->problem = false;
  c->probe = false;
  /* |avail| is left as the last transfer left it, as libcurl leaves
   * authhost.avail: a challenge read after an auth problem (when nothing
   * was picked) still counts, so the next transfer's first 401 repeats
   * that scheme with the kept Digest state and its own challenge is
   * ignored as a duplicate (curl tests 2027, 2030). */
  c->info_avail = CN_HTTP_AUTH_NONE;
  c->info_used = CN_HTTP_AUTH_NONE;
}

bool cn_http_auth_controller_uses_ntlm(
    const struct cn_http_auth_controller *c) {
  unsigned long picked = c->picked ? c->picked : c->want;
  return picked == CN_HTTP_AUTH_NTLM;
}

bool cn_http_auth_controller_wants_ntlm(
    const struct cn_http_auth_controller *c) {
  return (c->want & CN_HTTP_AUTH_NTLM) != 0;
}

/* --- before a request --------------------------------------------------- */

static bool user_names(const struct cn_http_auth_request *req,
                       const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < req->num_user_headers; i++) {
    const char *line = req->user_headers[i];
    if (strncasecmp(line, name, n) == 0 && (line[n] == ':' || line[n] == ';'))
      return true;
  }
  return false;
}

static const char *header_name(const struct cn_http_auth_controller *c) {
  return c->proxy ? "Proxy-Authorization" : "Authorization";
}

static int add_value(const struct cn_http_auth_controller *c,
                     struct cn_http_auth_header_list *out, char *value) {
  if (!value)
    return CN_ERR_OUT_OF_MEMORY;
  int rv = cn_http_auth_header_list_add(out, header_name(c), value);
  cn_free(value);
  return rv;
}

static int output_digest(struct cn_http_auth_controller *c,
                         const struct cn_http_auth_request *req,
                         struct cn_http_auth_header_list *out) {
  if (!cn_http_auth_digest_has_challenge(&c->digest)) {
    c->done = false;
    return CN_OK;
  }
  /* digest-uri: the URL's path and query; IE style cuts the query. */
  struct cn_buf uri;
  cn_buf_init(&uri, 0);
  int rv = cn_buf_append_str(&uri, req->path ? req->path : "/");
  if (rv == CN_OK && req->query && !c->digest_ie)
    rv = cn_buf_printf(&uri, "?%s", req->query);
  char *value = NULL;
  if (rv == CN_OK)
    rv = cn_http_auth_digest_output(&c->digest, &value, req->method,
                                    uri.data, req->user, req->password,
                                    c->random, c->random_ctx);
  cn_buf_cleanup(&uri);
  if (rv != CN_OK)
    return rv;
  rv = add_value(c, out, value);
  if (rv == CN_OK)
    c->done = true;
  return rv;
}

static int output_sigv4(struct cn_http_auth_controller *c,
                        const struct cn_http_auth_request *req,
                        struct cn_http_auth_header_list *out) {
  struct cn_aws_sigv4_request s = {
      .params = req->aws_sigv4,
      .method = req->method,
      .host = req->host,
      .authority = req->authority,
      .path = req->path,
      .query = req->query,
      .user = req->user,
      .password = req->password,
      .user_headers = req->user_headers,
      .num_user_headers = req->num_user_headers,
      .post_fields = req->post_fields,
      .post_fields_len = req->post_fields_len,
      .post_fields_post = req->post_fields_post,
      .get_or_head = req->get_or_head,
      .infile_size = req->infile_size,
      .path_as_is = req->path_as_is,
      .now = req->now,
      .log = req->log,
  };
  int rv = cn_aws_sigv4_sign(out, &s);
  /* A program Authorization header leaves |out| empty and libcurl then
   * does not mark the scheme done either. */
  if (rv == CN_OK && out->num_headers)
    c->done = true;
  return rv;
}

static int output_ntlm(struct cn_http_auth_controller *c,
                       const struct cn_http_auth_request *req,
                       struct cn_http_auth_header_list *out) {
  char *value = NULL;
  bool done = false;
  int rv = cn_http_auth_ntlm_conn_output(req->ntlm_conn, &value, &done,
                                         req->user, req->password, req->now,
                                         c->random, c->random_ctx);
  if (rv != CN_OK)
    return rv;
  c->done = done;
  if (!value) {
    /* Authenticated connection: libcurl reports NTLM as used anyway. */
    c->info_used = CN_HTTP_AUTH_NTLM;
    return CN_OK;
  }
  return add_value(c, out, value);
}

/* output_headers is libcurl's output_auth_headers for the host. */
static int output_headers(struct cn_http_auth_controller *c,
                          const struct cn_http_auth_request *req,
                          struct cn_http_auth_header_list *out) {
  const char *scheme = NULL;
  int rv = CN_OK;
  bool program_auth =
      user_names(req, c->proxy ? "Proxy-Authorization" : "Authorization");
  if (c->picked == CN_HTTP_AUTH_AWS_SIGV4) {
    scheme = "AWS_SIGV4";
    rv = output_sigv4(c, req, out);
  } else if (c->picked == CN_HTTP_AUTH_NTLM) {
    if (!req->ntlm_conn) {
      c->done = false; /* no connection yet: nothing to say */
      return CN_OK;
    }
    scheme = "NTLM";
    rv = output_ntlm(c, req, out);
  } else if (c->picked == CN_HTTP_AUTH_DIGEST) {
    scheme = "Digest";
    rv = output_digest(c, req, out);
  } else if (c->picked == CN_HTTP_AUTH_BASIC) {
    if (req->user && !program_auth) {
      scheme = "Basic";
      rv = add_value(c, out,
                   cn_http_auth_basic_value(req->user, req->password));
    }
    c->done = true;
  } else if (c->picked == CN_HTTP_AUTH_BEARER) {
    if (req->bearer && !program_auth) {
      scheme = "Bearer";
      rv = add_value(c, out, cn_http_auth_bearer_value(req->bearer));
    }
    c->done = true;
  }
  if (rv != CN_OK)
    return rv;
  if (scheme) {
    cn_net_log_text(req->log, "%s auth using %s with user '%s'",
                    c->proxy ? "Proxy" : "Server", scheme,
                    req->user ? req->user : "");
    c->multipass = !c->done;
  } else {
    c->multipass = false;
  }
  return CN_OK;
}

int cn_http_auth_controller_add_auth(struct cn_http_auth_controller *c,
                                     const struct cn_http_auth_request *req,
                                     struct cn_http_auth_header_list *out,
                                     bool *out_probe) {
  *out_probe = false;
  c->probe = false;
  if (!req->user && !req->bearer) {
    c->done = true;
    return CN_OK; /* nothing to authenticate with */
  }
  /* Not picked by a server yet: try what the program wants; one scheme is
   * used at once, several wait for a 401. */
  if (c->want && !c->picked)
    c->picked = c->want;
  int rv = CN_OK;
  if (req->allowed_to_host)
    rv = output_headers(c, req, out);
  else
    c->done = true;
  if (rv != CN_OK) {
    cn_http_auth_header_list_cleanup(out);
    return rv;
  }
  c->probe = c->multipass && !c->done && !req->get_or_head;
  *out_probe = c->probe;
  return CN_OK;
}

/* --- after a response --------------------------------------------------- */

/* scheme_is: |line| starts with |scheme| (any case) not followed by an
 * alphanumeric (libcurl's authcmp). */
static bool scheme_is(const char *line, const char *scheme) {
  size_t n = strlen(scheme);
  return strncasecmp(line, scheme, n) == 0 &&
         !isalnum((unsigned char)line[n]);
}

/* input_one reads one WWW-Authenticate value; a line may name several
 * schemes separated by commas (each comma starts a new look). */
static int input_one(struct cn_http_auth_controller *c, const char *value,
                     struct cn_http_auth_ntlm_conn *ntlm_conn,
                     const struct cn_net_log *log) {
  const char *auth = value;
  while (*auth) {
    if (scheme_is(auth, "Digest")) {
      if (c->avail & CN_HTTP_AUTH_DIGEST) {
        cn_net_log_text(log, "Ignoring duplicate digest auth header.");
      } else {
        c->avail |= CN_HTTP_AUTH_DIGEST;
        c->info_avail |= CN_HTTP_AUTH_DIGEST;
        /* Read even when Digest is not (yet) picked: the challenge is
         * needed if it will be. */
        int rv = cn_http_auth_digest_input(&c->digest, auth);
        if (rv == CN_ERR_OUT_OF_MEMORY)
          return rv;
        if (rv != CN_OK) {
          cn_net_log_text(log, "Digest authentication problem, ignoring.");
          c->problem = true;
        }
      }
    } else if (scheme_is(auth, "NTLM")) {
      c->avail |= CN_HTTP_AUTH_NTLM;
      c->info_avail |= CN_HTTP_AUTH_NTLM;
      if (c->picked == CN_HTTP_AUTH_NTLM && ntlm_conn) {
        const char *text = NULL;
        int rv = cn_http_auth_ntlm_conn_input(ntlm_conn, auth, &text);
        if (text)
          cn_net_log_text(log, "%s", text);
        if (rv == CN_ERR_OUT_OF_MEMORY)
          return rv;
        if (rv != CN_OK) {
          cn_net_log_text(log, "Authentication problem. Ignoring this.");
          c->problem = true;
        } else {
          c->problem = false;
        }
      }
    } else if (scheme_is(auth, "Basic")) {
      c->avail |= CN_HTTP_AUTH_BASIC;
      c->info_avail |= CN_HTTP_AUTH_BASIC;
      if (c->picked == CN_HTTP_AUTH_BASIC) {
        /* Basic was sent and refused: the credentials are wrong. */
        c->avail = CN_HTTP_AUTH_NONE;
        cn_net_log_text(log, "Basic authentication problem, ignoring.");
        c->problem = true;
      }
    } else if (scheme_is(auth, "Bearer")) {
      c->avail |= CN_HTTP_AUTH_BEARER;
      c->info_avail |= CN_HTTP_AUTH_BEARER;
      if (c->picked == CN_HTTP_AUTH_BEARER) {
        c->avail = CN_HTTP_AUTH_NONE;
        cn_net_log_text(log, "Bearer authentication problem, ignoring.");
        c->problem = true;
      }
    }
    const char *comma = strchr(auth, ',');
    if (!comma)
      break;
    auth = comma + 1;
    while (*auth == ' ' || *auth == '\t')
      auth++;
  }
  return CN_OK;
}

/* pick_one chooses the most preferred scheme offered, wanted and allowed
 * by |mask|; the offers are used up either way. */
static bool pick_one(struct cn_http_auth_controller *c, unsigned long mask) {
  static const unsigned long order[] = {
      CN_HTTP_AUTH_NEGOTIATE, CN_HTTP_AUTH_BEARER, CN_HTTP_AUTH_DIGEST,
      CN_HTTP_AUTH_NTLM,      CN_HTTP_AUTH_BASIC,  CN_HTTP_AUTH_AWS_SIGV4,
  };
  unsigned long avail = c->avail & c->want & mask;
  c->avail = CN_HTTP_AUTH_NONE;
  for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
    if (avail & order[i]) {
      c->picked = order[i];
      return true;
    }
  }
  c->picked = CN_HTTP_AUTH_PICKNONE;
  return false;
}

int cn_http_auth_controller_on_response(struct cn_http_auth_controller *c,
                                        const struct cn_http_auth_response *r,
                                        bool *out_restart) {
  *out_restart = false;
  int status = cn_http_response_headers_status(r->head);
  if (status >= 100 && status <= 199)
    return CN_OK;
  int challenge = c->proxy ? 407 : 401;
  if (status == challenge) {
    size_t iter = 0;
    const struct cn_http_header_field *f;
    while ((f = cn_http_response_headers_next(r->head,
                                              c->proxy ? "Proxy-Authenticate"
                                                       : "WWW-Authenticate",
                                              &iter))) {
      char *value = cn_strndup(f->value, f->line_value_len);
      if (!value)
        return CN_ERR_OUT_OF_MEMORY;
      int rv = input_one(c, value, r->ntlm_conn, r->log);
      cn_free(value);
      if (rv != CN_OK)
        return rv;
    }
  }
  if (status == challenge && r->connection_closes && r->ntlm_conn &&
      r->ntlm_conn->state == CN_NTLM_STATE_TYPE2) {
    cn_net_log_text(r->log,
                    "Connection closure while negotiating auth (HTTP 1.0?)");
    c->problem = true;
  }
  if (c->problem)
    return CN_OK;

  unsigned long mask = ~0UL;
  if (!r->have_bearer)
    mask &= ~CN_HTTP_AUTH_BEARER;
  bool picked = false;
  if ((r->have_user || r->have_bearer) &&
      (status == challenge || (c->probe && status < 300))) {
    picked = pick_one(c, mask);
    if (picked)
      c->info_used = c->picked;
    else
      c->problem = true;
  }
  if (picked) {
    *out_restart = true;
  } else if (status < 300 && !c->done && c->probe && !r->get_or_head) {
    /* The probe got through without a challenge: send the body now. */
    *out_restart = true;
    c->done = true;
  }
  return CN_OK;
}
