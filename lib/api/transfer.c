/* transfer.c: one easy handle's transfer. Snapshots the options into the
 * lower layers' parameter structs, runs the url_request, and turns its
 * events into the program's callbacks (write, header, debug, progress,
 * read) and into getinfo data. */
#include "api/transfer.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "api/easy_handle.h"
#include "api/error_map.h"
#include "api/impersonate.h"
#include "api/mime_internal.h"
#include "api/multi_handle.h"
#include "api/share_handle.h"
#include "dns/host_resolver.h"
#include "http/http_network_session.h"
#include "http/http_request_info.h"
#include "http/h2/h2_config.h"
#include "impersonate/browser_profile.h"
#include "http/http_response_headers.h"
#include "http/upload_data_stream.h"
#include "tls/ssl_config.h"
#include "url_request/url_request.h"
#include "util/alloc.h"
#include "util/event_loop.h"
#include "util/net_log.h"
#include "util/time.h"

/* libcurl's default connect timeout. */
#define DEFAULT_CONNECT_TIMEOUT_MS 300000L

struct read_upload {
  struct cn_upload_data_stream base;
  struct cn_transfer *t;
};

struct cn_transfer {
  struct cn_easy *easy;
  struct cn_multi *multi;
  struct cn_url_request *request;
  struct cn_url_request_params params;
  struct cn_ssl_config ssl;
  struct cn_h2_config h2_config; /* the profile's HTTP/2 shape */
  struct cn_net_log log;
  const char **user_headers; /* owned array; strings are the program's */
  struct cn_upload_data_stream *upload; /* owned */
  struct cn_timer timeout_timer;
  struct cn_timer low_speed_timer;
  curl_off_t low_speed_last_bytes;
  int64_t low_speed_since_us; /* when the speed fell below the limit; 0: not */
  char *url_from_curlu; /* owned: CURLOPT_CURLU's URL */
  char *range;          /* owned: Range value */
  const char **connect_to;      /* owned array; strings are the program's */
  const char **http200_aliases; /* owned array; strings are the program's */
  int64_t start_us;
  bool fail_written; /* the error buffer has this transfer's first error */
  bool finished;
  enum cn_error_phase phase;
  int request_no; /* requests answered so far (curl_easy_header numbering) */
  curl_off_t dl_now;
  curl_off_t ul_now;
};

/* --- logging: VERBOSE, DEBUGFUNCTION, ERRORBUFFER ------------------------ */

static void debug_out(struct cn_transfer *t, curl_infotype type,
                      const char *data, size_t len) {
  struct cn_easy *e = t->easy;
  if (e->opts.debug_fn) {
    e->opts.debug_fn(e, type, (char *)data, len, e->opts.debug_data);
    return;
  }
  if (!e->opts.verbose)
    return;
  static const char *const prefix[] = {"* ", "< ", "> "};
  if (type > CURLINFO_HEADER_OUT)
    return; /* libcurl's default shows text and headers only */
  FILE *out = e->opts.stderr_stream ? (FILE *)e->opts.stderr_stream : stderr;
  fwrite(prefix[type], 2, 1, out);
  fwrite(data, len, 1, out);
}

static void on_net_log(void *ctx, enum cn_net_log_type type, const char *data,
                       size_t len) {
  struct cn_transfer *t = ctx;
  if (type == CN_LOG_FAIL) {
    char *eb = t->easy->opts.error_buffer;
    if (eb && !t->fail_written) {
      size_t n = len;
      if (n && data[n - 1] == '\n')
        n--;
      if (n > CURL_ERROR_SIZE - 1)
        n = CURL_ERROR_SIZE - 1;
      memcpy(eb, data, n);
      eb[n] = '\0';
    }
    t->fail_written = true;
    if (t->easy->opts.verbose)
      debug_out(t, CURLINFO_TEXT, data, len);
    return;
  }
  debug_out(t, (curl_infotype)type, data, len);
}

/* --- program callbacks ---------------------------------------------------- */

static size_t call_write(struct cn_transfer *t, curl_write_callback fn,
                         void *userdata, const char *data, size_t len) {
  if (!fn)
    return fwrite(data, 1, len, userdata ? (FILE *)userdata : stdout);
  return fn((char *)data, 1, len, userdata);
}

/* write_header passes one raw header line where libcurl would: the header
 * callback (or the write callback with HEADERDATA as its stream), and the
 * body stream too with CURLOPT_HEADER. */
static int write_header(struct cn_transfer *t, const char *line, size_t len) {
  struct cn_easy *e = t->easy;
  debug_out(t, CURLINFO_HEADER_IN, line, len);
  if (e->opts.header_fn || e->opts.header_data) {
    curl_write_callback fn =
        e->opts.header_fn ? e->opts.header_fn : e->opts.write_fn;
    size_t w = call_write(t, fn, e->opts.header_data, line, len);
    if (w != len) {
      cn_net_log_fail(&t->log, "Failed writing header");
      return CN_ERR_WRITE_CALLBACK_FAILED;
    }
  }
  if (e->opts.header_in_body) {
    size_t w = call_write(t, e->opts.write_fn, e->opts.write_data, line, len);
    if (w != len) {
      cn_net_log_fail(&t->log, "Failed writing header");
      return CN_ERR_WRITE_CALLBACK_FAILED;
    }
  }
  return CN_OK;
}

static int report_progress(struct cn_transfer *t) {
  struct cn_easy *e = t->easy;
  if (e->opts.no_progress)
    return CN_OK;
  const struct cn_url_request_stats *s =
      t->request ? cn_url_request_stats(t->request) : NULL;
  curl_off_t dltotal = (s && s->content_length > 0) ? s->content_length : 0;
  curl_off_t ultotal = t->upload && t->upload->size > 0 ? t->upload->size : 0;
  /* Bodies that do not come from the read callback (POSTFIELDS) count as
   * they are sent. */
  if (s && s->upload_bytes > t->ul_now)
    t->ul_now = s->upload_bytes;
  int rc = 0;
  if (e->opts.xferinfo_fn)
    rc = e->opts.xferinfo_fn(e->opts.progress_data, dltotal, t->dl_now,
                             ultotal, t->ul_now);
  else if (e->opts.progress_fn)
    rc = e->opts.progress_fn(e->opts.progress_data, (double)dltotal,
                             (double)t->dl_now, (double)ultotal,
                             (double)t->ul_now);
  if (rc == CURL_PROGRESSFUNC_CONTINUE)
    return CN_OK;
  if (rc) {
    cn_net_log_fail(&t->log, "Callback aborted");
    return CN_ERR_CALLBACK_ABORTED;
  }
  return CN_OK;
}

static void record_info(struct cn_transfer *t);

static int on_head(void *ctx, const struct cn_http_response_headers *head,
                   bool is_final) {
  struct cn_transfer *t = ctx;
  t->phase = CN_PHASE_RECV;
  /* The header callback may ask getinfo about this response already. */
  record_info(t);
  int status = cn_http_response_headers_status(head);
  bool interim = status >= 100 && status < 200 && status != 101;
  if (cn_header_store_add_head(&t->easy->headers, head,
                               interim ? CURLH_1XX : CURLH_HEADER,
                               t->request_no) != CN_OK)
    return CN_ERR_OUT_OF_MEMORY;
  if (!interim)
    t->request_no++;
  size_t n = cn_http_response_headers_num_raw_lines(head);
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *line = cn_http_response_headers_raw_line(head, i, &len);
    int rv = write_header(t, line, len);
    if (rv != CN_OK)
      return rv;
  }
  (void)is_final;
  return report_progress(t);
}

static int on_body(void *ctx, const uint8_t *data, size_t len) {
  struct cn_transfer *t = ctx;
  struct cn_easy *e = t->easy;
  size_t w = call_write(t, e->opts.write_fn, e->opts.write_data,
                        (const char *)data, len);
  if (w != len) {
    if (w == CURL_WRITEFUNC_PAUSE)
      cn_net_log_fail(&t->log, "Pausing a transfer is not supported");
    else
      cn_net_log_fail(&t->log,
                      "Failure writing output to destination, passed %zu "
                      "returned %zu",
                      len, w);
    return CN_ERR_WRITE_CALLBACK_FAILED;
  }
  /* Progress counts what CURLINFO_SIZE_DOWNLOAD counts: bytes before
   * content decoding. */
  t->dl_now = cn_url_request_stats(t->request)->body_bytes;
  return report_progress(t);
}

/* --- upload from CURLOPT_READFUNCTION ------------------------------------ */

static int upload_read(struct cn_upload_data_stream *s, uint8_t *buf,
                       size_t len, cn_completion_fn cb, void *ctx) {
  struct read_upload *u = (struct read_upload *)s;
  struct cn_easy *e = u->t->easy;
  size_t got = e->opts.read_fn((char *)buf, 1, len, e->opts.read_data);
  if (got == CURL_READFUNC_ABORT) {
    cn_net_log_fail(&u->t->log, "operation aborted by callback");
    return CN_ERR_CALLBACK_ABORTED;
  }
  if (got == CURL_READFUNC_PAUSE) {
    cn_net_log_fail(&u->t->log, "Pausing an upload is not supported");
    return CN_ERR_READ_CALLBACK_FAILED;
  }
  if (got > len) {
    cn_net_log_fail(&u->t->log, "read function returned funny value");
    return CN_ERR_READ_CALLBACK_FAILED;
  }
  u->t->ul_now += (curl_off_t)got;
  return (int)got;
}

static int upload_rewind(struct cn_upload_data_stream *s) {
  struct read_upload *u = (struct read_upload *)s;
  struct cn_easy *e = u->t->easy;
  u->t->ul_now = 0;
  /* libcurl's order: the seek callback, then the old ioctl callback, then
   * fseek on the default reader's FILE *. */
  if (e->opts.seek_fn) {
    int rc = e->opts.seek_fn(e->opts.seek_data, 0, SEEK_SET);
    if (rc == CURL_SEEKFUNC_OK)
      return CN_OK;
    if (rc == CURL_SEEKFUNC_FAIL)
      return CN_ERR_UPLOAD_FILE_CHANGED;
  }
  if (e->opts.ioctl_fn) {
    curlioerr err =
        e->opts.ioctl_fn(e, CURLIOCMD_RESTARTREAD, e->opts.ioctl_data);
    return err == CURLIOE_OK ? CN_OK : CN_ERR_UPLOAD_FILE_CHANGED;
  }
  if (!e->opts.read_fn_set) {
    FILE *f = e->opts.read_data ? (FILE *)e->opts.read_data : stdin;
    return fseek(f, 0, SEEK_SET) == 0 ? CN_OK : CN_ERR_UPLOAD_FILE_CHANGED;
  }
  cn_net_log_fail(&u->t->log, "Need to rewind upload for next request");
  return CN_ERR_UPLOAD_FILE_CHANGED;
}

static void upload_destroy(struct cn_upload_data_stream *s) { cn_free(s); }

static const struct cn_upload_data_stream_ops read_upload_ops = {
    upload_read, upload_rewind, upload_destroy};

/* --- options snapshot ------------------------------------------------------ */

static int tls_version(long v, int *out_min, int *out_max) {
  static const int versions[] = {0, 0x0301, 0x0301, 0, 0x0301, 0x0302,
                                 0x0303, 0x0304};
  long min = v & 0xffff;
  long max = (v >> 16) & 0xffff;
  if (min == CURL_SSLVERSION_SSLv2 || min == CURL_SSLVERSION_SSLv3 ||
      min >= CURL_SSLVERSION_LAST)
    return CN_ERR_SSL_VERSION_OR_CIPHER_MISMATCH;
  *out_min = versions[min];
  *out_max = 0;
  if (max) {
    long idx = max >> 16 ? 0 : max;
    (void)idx;
    long m = v & ~0xffffL;
    if (m == CURL_SSLVERSION_MAX_TLSv1_0)
      *out_max = 0x0301;
    else if (m == CURL_SSLVERSION_MAX_TLSv1_1)
      *out_max = 0x0302;
    else if (m == CURL_SSLVERSION_MAX_TLSv1_2)
      *out_max = 0x0303;
    else if (m == CURL_SSLVERSION_MAX_TLSv1_3)
      *out_max = 0x0304;
  }
  return CN_OK;
}

/* slist_array makes a NULL-free array view of a program's curl_slist (the
 * strings stay the program's). */
static CURLcode slist_array(const struct curl_slist *list,
                            const char ***out, size_t *out_num) {
  size_t n = 0;
  for (const struct curl_slist *s = list; s; s = s->next)
    if (s->data)
      n++;
  *out_num = 0;
  if (!n)
    return CURLE_OK;
  const char **arr = cn_calloc(n, sizeof(*arr));
  if (!arr)
    return CURLE_OUT_OF_MEMORY;
  size_t i = 0;
  for (const struct curl_slist *s = list; s; s = s->next)
    if (s->data)
      arr[i++] = s->data;
  *out = arr;
  *out_num = i;
  return CURLE_OK;
}

/* apply_dns_options hands CURLOPT_RESOLVE and the DNS server options to the
 * multi's resolver. A malformed add entry fails the transfer like libcurl
 * (CURLE_SETOPT_OPTION_SYNTAX); a malformed removal is only logged. */
static CURLcode apply_dns_options(struct cn_transfer *t) {
  const struct cn_easy_options *o = &t->easy->opts;
  struct cn_host_resolver *resolver = t->multi->session->resolver;
  for (const struct curl_slist *s = o->resolve; s; s = s->next) {
    if (!s->data)
      continue;
    /* With a DNS share the entries go into the share's cache. */
    const struct cn_shared_host_cache *shared =
        cn_share_dns_cache((struct cn_share *)o->share);
    int rv = shared ? cn_host_resolver_add_override_shared(resolver, shared,
                                                           s->data, &t->log)
                    : cn_host_resolver_add_override_with_log(resolver, s->data,
                                                             &t->log);
    if (rv == CN_ERR_OUT_OF_MEMORY)
      return CURLE_OUT_OF_MEMORY;
    if (rv != CN_OK && s->data[0] != '-')
      return CURLE_SETOPT_OPTION_SYNTAX;
  }
  bool custom = o->dns_servers || o->dns_local_ip4 || o->dns_local_ip6;
  if (custom || t->multi->dns_custom) {
    if (cn_host_resolver_set_servers(resolver, o->dns_servers) != CN_OK ||
        cn_host_resolver_set_local_ip4(resolver, o->dns_local_ip4) != CN_OK ||
        cn_host_resolver_set_local_ip6(resolver, o->dns_local_ip6) != CN_OK) {
      cn_net_log_fail(&t->log, "Could not set the DNS servers");
      return CURLE_BAD_FUNCTION_ARGUMENT;
    }
    t->multi->dns_custom = custom;
  }
  return CURLE_OK;
}

/* apply_pool_options: CURLOPT_MAXAGE_CONN / _MAXLIFETIME_CONN decide which
 * idle connections a transfer may reuse, and CURLOPT_MAXCONNECTS sizes
 * curl_easy_perform's private connection cache (libcurl's rules). */
static void apply_pool_options(struct cn_transfer *t) {
  const struct cn_easy_options *o = &t->easy->opts;
  struct cn_multi *m = t->multi;
  struct cn_socket_pool_limits limits = m->limits;
  limits.max_idle_age_s = o->maxage_conn_s;
  limits.max_lifetime_s = o->maxlifetime_conn_s;
  if (t->easy->implicit_multi == m && o->maxconnects > 0)
    limits.max_idle = (int)o->maxconnects;
  cn_client_socket_pool_set_limits(m->session->pool, &limits);
}

static CURLcode build_params(struct cn_transfer *t) {
  struct cn_easy *e = t->easy;
  const struct cn_easy_options *o = &e->opts;
  struct cn_url_request_params *p = &t->params;
  memset(p, 0, sizeof(*p));

  cn_ssl_config_init(&t->ssl);
  t->ssl.verify_peer = o->ssl_verify_peer;
  t->ssl.verify_host = o->ssl_verify_host != 0;
  t->ssl.ca_file = o->cainfo;
  t->ssl.ca_path = o->capath;
  t->ssl.ca_blob = o->cainfo_blob;
  t->ssl.ca_blob_len = o->cainfo_blob_len;
  t->ssl.crl_file = o->crlfile;
  t->ssl.pinned_pubkey = o->pinned_pubkey;
  t->ssl.client_cert = o->ssl_cert;
  t->ssl.client_cert_type = o->ssl_cert_type;
  t->ssl.client_key = o->ssl_key;
  t->ssl.client_key_type = o->ssl_key_type;
  t->ssl.key_password = o->key_passwd;
  t->ssl.cipher_list = o->ssl_cipher_list;
  t->ssl.tls13_ciphers = o->tls13_ciphers;
  t->ssl.curves = o->ssl_ec_curves;
  t->ssl.session_cache = o->ssl_sessionid_cache;
  t->ssl.no_revoke = (o->ssl_options & CURLSSLOPT_NO_REVOKE) != 0;
  if (tls_version(o->ssl_version, &t->ssl.version_min, &t->ssl.version_max) !=
      CN_OK) {
    cn_net_log_fail(&t->log, "Unrecognized parameter passed via "
                             "CURLOPT_SSLVERSION");
    return CURLE_SSL_CONNECT_ERROR;
  }
  /* h2 first, like libcurl, unless the program asked for HTTP/1.x. */
  if (o->ssl_enable_alpn && o->http_version != CURL_HTTP_VERSION_1_0) {
    size_t n = 0;
    if (o->http_version != CURL_HTTP_VERSION_1_1)
      t->ssl.alpn[n++] = "h2";
    t->ssl.alpn[n++] = "http/1.1";
    t->ssl.num_alpn = n;
  }
  /* Impersonation: the profile shapes the ClientHello and picks the ALPN
   * list, its HTTP/2 connection shape and (unless "target:no") its default
   * headers in the browser's order. */
  const struct cn_browser_profile *profile = NULL;
  bool profile_headers = false;
  CURLcode irc = cn_impersonate_configure_transfer(
      o, &t->ssl, &profile, &profile_headers, true, &t->log);
  if (irc != CURLE_OK)
    return irc;
  if (profile) {
    cn_impersonate_h2_config(profile, &t->h2_config);
    p->h2_config = &t->h2_config;
    if (profile_headers)
      p->profile = profile;
  }

  p->url = o->url;
  if (o->curlu) {
    if (curl_url_get((CURLU *)o->curlu, CURLUPART_URL, &t->url_from_curlu, 0) !=
        CURLUE_OK) {
      cn_net_log_fail(&t->log, "No URL set");
      return CURLE_URL_MALFORMAT;
    }
    p->url = t->url_from_curlu;
    p->url_from_curlu = true;
  }
  p->custom_method = o->custom_request;
  p->no_body = o->no_body;
  p->is_put = o->http_method == CN_HTTPREQ_PUT;
  bool mime_post = o->http_method == CN_HTTPREQ_POST_MIME ||
                   o->http_method == CN_HTTPREQ_POST_FORM;
  p->is_post = o->http_method == CN_HTTPREQ_POST || mime_post;
  p->port_override = (int)o->port;
  p->request_target = o->request_target;
  p->default_scheme = o->default_protocol;
  p->disallow_url_user = o->disallow_username_in_url;
  p->ignore_content_length = o->ignore_content_length;
  p->allow_http09 = o->http09_allowed;
  p->read_chunk = o->buffer_size > 0 ? (size_t)o->buffer_size : 0;
  if (o->resume_from > 0 && p->is_put) {
    cn_net_log_fail(&t->log, "Resuming an upload is not built yet");
    return CURLE_NOT_BUILT_IN;
  }
  if (o->range || o->resume_from > 0) {
    size_t len = (o->range ? strlen(o->range) : 0) + 32;
    t->range = cn_malloc(len);
    if (!t->range)
      return CURLE_OUT_OF_MEMORY;
    if (o->range)
      snprintf(t->range, len, "bytes=%s", o->range);
    else
      snprintf(t->range, len, "bytes=%lld-", (long long)o->resume_from);
    p->range = t->range;
    p->resume_from = o->range ? 0 : o->resume_from;
  }
  CURLcode lc = slist_array(o->connect_to, &t->connect_to, &p->num_connect_to);
  if (lc == CURLE_OK)
    lc = slist_array(o->http200_aliases, &t->http200_aliases,
                     &p->num_http200_aliases);
  if (lc != CURLE_OK)
    return lc;
  p->connect_to = t->connect_to;
  p->http200_aliases = t->http200_aliases;
  p->user_agent = o->user_agent;
  p->referer = o->referer;
  p->cookie = o->cookie;
  /* libcurl re-reads the COOKIEFILEs at every transfer start. */
  (void)cn_cookie_engine_load_files(&t->easy->cookies, &t->log);
  p->cookie_store = cn_cookie_engine_active(&t->easy->cookies);
  p->accept_encoding = o->accept_encoding;
  /* Under impersonation the codings the browser advertises are decoded. */
  if (p->profile && !p->accept_encoding)
    p->accept_encoding = p->profile->accept_encoding;
  p->content_decoding = o->http_content_decoding;
  p->transfer_encoding = o->transfer_encoding;
  p->transfer_decoding = o->http_transfer_decoding;
  p->username = o->username;
  p->password = o->password;
  /* Host authentication: the controller lives in the easy handle. */
  cn_http_auth_controller_start_transfer(&t->easy->auth, o->httpauth,
                                         o->httpauth_digest_ie);
  p->auth = &t->easy->auth;
  p->bearer = o->xoauth2_bearer;
  p->aws_sigv4 = o->aws_sigv4;
  p->netrc = (int)o->netrc;
  p->netrc_file = o->netrc_file;
  if (o->postfields) {
    p->post_fields = o->postfields;
    p->post_fields_len = o->postfield_size >= 0 ? (size_t)o->postfield_size
                                                : strlen(o->postfields);
  }
  p->infile_size = o->infile_size;
  p->http10 = o->http_version == CURL_HTTP_VERSION_1_0;
  p->http2 = o->http_version == CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
                 ? CN_HTTP2_PRIOR_KNOWLEDGE
             : o->http_version == CURL_HTTP_VERSION_2_0 ? CN_HTTP2_UPGRADE
                                                        : CN_HTTP2_NEGOTIATE;
  p->pipewait = o->pipewait;
  p->follow_location = o->follow_location;
  p->follow_mode = (int)o->follow_mode;
  p->max_redirs = o->max_redirs;
  p->post_redir = (int)o->post_redir;
  p->auto_referer = o->auto_referer;
  p->unrestricted_auth = o->unrestricted_auth;
  p->allow_http = (o->protocols & CURLPROTO_HTTP) != 0;
  p->allow_https = (o->protocols & CURLPROTO_HTTPS) != 0;
  p->redir_allow_http = (o->redir_protocols & CURLPROTO_HTTP) != 0;
  p->redir_allow_https = (o->redir_protocols & CURLPROTO_HTTPS) != 0;
  p->fail_on_error = o->fail_on_error;
  p->forbid_reuse = o->forbid_reuse;
  p->path_as_is = o->path_as_is;
  p->max_filesize = o->max_filesize;
  p->log = &t->log;

  size_t n = 0;
  for (const struct curl_slist *s = o->http_header; s; s = s->next)
    n++;
  if (n) {
    t->user_headers = cn_calloc(n, sizeof(*t->user_headers));
    if (!t->user_headers)
      return CURLE_OUT_OF_MEMORY;
    size_t i = 0;
    for (const struct curl_slist *s = o->http_header; s; s = s->next)
      if (s->data)
        t->user_headers[i++] = s->data;
    n = i;
  }
  p->user_headers = t->user_headers;
  p->num_user_headers = n;

  /* The body: POSTFIELDS bytes, or the read callback for uploads and for
   * POST without POSTFIELDS. */
  if (mime_post) {
    /* CURLOPT_MIMEPOST / CURLOPT_HTTPPOST: the tree is the body; its top
     * headers give the Content-Type (the program's value + boundary). */
    struct cn_mime_upload_params mp = {
        .http_headers = o->http_header,
        .form_escape = o->mime_formescape,
        .log = &t->log,
        .on_pause = NULL, /* CURL_READFUNC_PAUSE: refused until pausing
                             uploads is built (then: set CURLPAUSE_SEND) */
    };
    CURLcode mc =
        o->http_method == CN_HTTPREQ_POST_MIME
            ? cn_mime_upload_stream_new(o->mimepost, &mp, &t->upload)
            : cn_form_upload_stream_new(o->httppost, o->read_fn, &mp,
                                        &t->upload);
    if (mc != CURLE_OK)
      return mc;
    p->content_type = cn_mime_upload_stream_content_type(t->upload);
    p->body_content_type = true;
  } else if (p->is_post && o->postfields && !o->upload) {
    size_t len = o->postfield_size >= 0 ? (size_t)o->postfield_size
                                        : strlen(o->postfields);
    t->upload = cn_upload_bytes_new(o->postfields, len);
    if (!t->upload)
      return CURLE_OUT_OF_MEMORY;
  } else if (p->is_post || p->is_put) {
    struct read_upload *u = cn_calloc(1, sizeof(*u));
    if (!u)
      return CURLE_OUT_OF_MEMORY;
    u->base.ops = &read_upload_ops;
    u->t = t;
    curl_off_t size = o->upload ? o->infile_size : o->postfield_size;
    u->base.size = size >= 0 ? size : -1;
    t->upload = &u->base;
  }
  p->upload = t->upload;

  struct cn_socket_params *sp = &p->socket;
  sp->ssl = &t->ssl;
  sp->family = o->ip_resolve == CURL_IPRESOLVE_V4   ? CN_IP_V4
               : o->ip_resolve == CURL_IPRESOLVE_V6 ? CN_IP_V6
                                                    : CN_IP_ANY;
  sp->dns_cache_timeout_s = o->dns_cache_timeout_s;
  long ct = o->connect_timeout_ms ? o->connect_timeout_ms
                                  : DEFAULT_CONNECT_TIMEOUT_MS;
  if (o->timeout_ms && o->timeout_ms < ct)
    ct = o->timeout_ms;
  sp->connect_timeout_ms = ct;
  sp->happy_eyeballs_ms = o->happy_eyeballs_ms;
  sp->tcp_nodelay = o->tcp_nodelay;
  sp->tcp_keepalive = o->tcp_keepalive;
  sp->tcp_keepidle_s = o->tcp_keepidle_s;
  sp->tcp_keepintvl_s = o->tcp_keepintvl_s;
  sp->interface_name = o->interface_name;
  sp->local_port = (int)o->local_port;
  sp->local_port_range = (int)o->local_port_range;
  sp->fresh_connect = o->fresh_connect;
  sp->log = &t->log;
  if (o->share)
    cn_share_fill_socket_params((struct cn_share *)o->share, sp);
  return CURLE_OK;
}

/* --- completion --------------------------------------------------------- */

static void copy_str(char **dst, const char *src) {
  cn_free(*dst);
  *dst = src ? cn_strdup(src) : NULL;
}

static curl_off_t since_start(const struct cn_url_request_stats *s,
                              int64_t when) {
  return when ? (curl_off_t)(when - s->start_us) : 0;
}

/* record_scheme keeps the scheme of the URL a transfer last used, as
 * CURLINFO_SCHEME reports it (lower case; empty before any request). */
static void record_scheme(struct cn_transfer_info *info, const char *url) {
  info->scheme[0] = '\0';
  const char *sep = url ? strstr(url, "://") : NULL;
  size_t n = sep ? (size_t)(sep - url) : 0;
  if (!n || n >= sizeof(info->scheme))
    return;
  for (size_t i = 0; i < n; i++) {
    char c = url[i];
    info->scheme[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  info->scheme[n] = '\0';
}

/* record_info fills what curl_easy_getinfo reports. */
static void record_info(struct cn_transfer *t) {
  struct cn_transfer_info *info = &t->easy->info;
  const struct cn_url_request_stats *s = cn_url_request_stats(t->request);
  info->response_code = s->response_code;
  info->http_version = s->response_code == 0 ? 0
                       : s->http_major == 2  ? CURL_HTTP_VERSION_2_0
                       : s->http_minor == 0  ? CURL_HTTP_VERSION_1_0
                                             : CURL_HTTP_VERSION_1_1;
  info->redirect_count = s->redirect_count;
  info->header_size = (long)s->header_bytes;
  info->request_size = (long)s->request_bytes;
  info->num_connects = s->num_connects;
  info->ssl_verify_result = s->tls.is_tls ? s->tls.verify_result : 0;
  info->size_download = s->body_bytes;
  info->size_upload = s->upload_bytes;
  info->content_length_download = s->content_length;
  info->content_length_upload =
      t->upload && t->upload->size >= 0 ? t->upload->size : -1;
  int64_t end = s->end_us ? s->end_us : cn_time_now_us();
  info->total_time_us = since_start(s, end);
  info->namelookup_time_us = since_start(s, s->namelookup_us);
  info->connect_time_us = since_start(s, s->connect_us);
  info->appconnect_time_us = since_start(s, s->appconnect_us);
  info->pretransfer_time_us = since_start(s, s->pretransfer_us);
  info->posttransfer_time_us = since_start(s, s->pretransfer_us);
  info->starttransfer_time_us = since_start(s, s->starttransfer_us);
  info->redirect_time_us = since_start(s, s->redirect_us);
  double secs = info->total_time_us / 1e6;
  info->speed_download = secs > 0 ? (curl_off_t)(s->body_bytes / secs) : 0;
  info->speed_upload = secs > 0 ? (curl_off_t)(s->upload_bytes / secs) : 0;
  info->conn_id = s->conn_id;
  info->httpauth_avail = (long)t->easy->auth.info_avail;
  info->httpauth_used = (long)t->easy->auth.info_used;
  info->xfer_id = t->easy->xfer_id;
  copy_str(&info->effective_url, s->effective_url ? s->effective_url
                                                  : t->easy->opts.url);
  record_scheme(info, s->effective_url);
  copy_str(&info->redirect_url, s->redirect_url);
  copy_str(&info->effective_method, s->method);
  copy_str(&info->content_type, s->content_type);
  copy_str(&info->referer_used, s->referer);
  info->retry_after = s->retry_after;
  if (s->peer.len) {
    cn_ip_endpoint_address_string(&s->peer, info->primary_ip,
                                  sizeof(info->primary_ip));
    info->primary_port = cn_ip_endpoint_port(&s->peer);
  }
  if (s->local.len) {
    cn_ip_endpoint_address_string(&s->local, info->local_ip,
                                  sizeof(info->local_ip));
    info->local_port = cn_ip_endpoint_port(&s->local);
  }
}

static void finish(struct cn_transfer *t, CURLcode result) {
  if (t->finished)
    return;
  t->finished = true;
  cn_timer_stop(&t->timeout_timer);
  cn_timer_stop(&t->low_speed_timer);
  struct cn_easy *e = t->easy;
  if (t->request)
    record_info(t);
  if (result != CURLE_OK && e->opts.error_buffer && !t->fail_written)
    snprintf(e->opts.error_buffer, CURL_ERROR_SIZE, "%s",
             curl_easy_strerror(result));
  e->result = result;
  /* Connections go back to the pool now, not at the next perform. */
  cn_url_request_free(t->request);
  t->request = NULL;
  cn_multi_transfer_done(t->multi, e);
}

static void on_complete(void *ctx, int rv) {
  struct cn_transfer *t = ctx;
  const struct cn_url_request_stats *s = cn_url_request_stats(t->request);
  enum cn_error_phase phase = t->phase;
  if (phase != CN_PHASE_RECV && s->num_connects == 0 && !s->conn_id)
    phase = CN_PHASE_CONNECT;
  CURLcode result = cn_error_to_curlcode(rv, phase);
  if (result == CURLE_OK) {
    int pv = report_progress(t);
    if (pv < 0)
      result = cn_error_to_curlcode(pv, CN_PHASE_RECV);
  }
  finish(t, result);
}

static void on_timeout(void *ctx) {
  struct cn_transfer *t = ctx;
  const struct cn_url_request_stats *s = cn_url_request_stats(t->request);
  long ms = (long)((cn_time_now_us() - t->start_us) / 1000);
  if (s->starttransfer_us == 0 && s->pretransfer_us == 0 &&
      s->num_connects == 0)
    cn_net_log_fail(&t->log, "Connection timed out after %ld milliseconds",
                    ms);
  else
    cn_net_log_fail(&t->log,
                    "Operation timed out after %ld milliseconds with %lld "
                    "bytes received",
                    ms, (long long)t->dl_now);
  finish(t, CURLE_OPERATION_TIMEDOUT);
}

/* on_low_speed implements CURLOPT_LOW_SPEED_LIMIT/_TIME: checked once a
 * second; below the limit for the whole period aborts the transfer. */
static void on_low_speed(void *ctx) {
  struct cn_transfer *t = ctx;
  const struct cn_easy_options *o = &t->easy->opts;
  curl_off_t now_bytes = t->dl_now + t->ul_now;
  curl_off_t speed = now_bytes - t->low_speed_last_bytes;
  t->low_speed_last_bytes = now_bytes;
  int64_t now = cn_time_now_us();
  if (speed >= o->low_speed_limit) {
    t->low_speed_since_us = 0;
  } else {
    if (!t->low_speed_since_us)
      t->low_speed_since_us = now - 1000000;
    if (now - t->low_speed_since_us >= (int64_t)o->low_speed_time * 1000000) {
      cn_net_log_fail(&t->log,
                      "Operation too slow. Less than %ld bytes/sec "
                      "transferred the last %ld seconds",
                      o->low_speed_limit, o->low_speed_time);
      finish(t, CURLE_OPERATION_TIMEDOUT);
      return;
    }
  }
  cn_timer_start(t->multi->loop, &t->low_speed_timer, 1000);
}

static const struct cn_url_request_delegate delegate = {on_head, on_body,
                                                        on_complete};

CURLcode cn_transfer_start(struct cn_easy *e, struct cn_multi *m) {
  cn_transfer_free(e->transfer);
  struct cn_transfer *t = cn_calloc(1, sizeof(*t));
  if (!t)
    return CURLE_OUT_OF_MEMORY;
  e->transfer = t;
  t->easy = e;
  t->multi = m;
  t->start_us = cn_time_now_us();
  t->phase = CN_PHASE_SETUP;
  t->log.fn = on_net_log;
  t->log.ctx = t;
  t->log.verbose = e->opts.verbose || e->opts.debug_fn;
  cn_timer_init(&t->timeout_timer, on_timeout, t);
  cn_timer_init(&t->low_speed_timer, on_low_speed, t);
  cn_transfer_info_reset(&e->info);
  cn_header_store_reset(&e->headers);
  if (e->opts.error_buffer)
    e->opts.error_buffer[0] = '\0';

  CURLcode rc = build_params(t);
  if (rc == CURLE_OK)
    rc = apply_dns_options(t);
  apply_pool_options(t);
  if (rc != CURLE_OK) {
    if (rc == CURLE_OUT_OF_MEMORY)
      return rc;
    finish(t, rc);
    return CURLE_OK;
  }
  t->request = cn_url_request_new(m->session, &t->params, &delegate, t);
  if (!t->request)
    return CURLE_OUT_OF_MEMORY;
  if (e->opts.timeout_ms > 0 &&
      cn_timer_start(m->loop, &t->timeout_timer, e->opts.timeout_ms) != CN_OK)
    return CURLE_OUT_OF_MEMORY;
  if (e->opts.low_speed_limit > 0 && e->opts.low_speed_time > 0 &&
      cn_timer_start(m->loop, &t->low_speed_timer, 1000) != CN_OK)
    return CURLE_OUT_OF_MEMORY;
  int pv = report_progress(t);
  if (pv < 0) {
    finish(t, cn_error_to_curlcode(pv, CN_PHASE_SETUP));
    return CURLE_OK;
  }
  t->phase = CN_PHASE_CONNECT;
  cn_url_request_start(t->request);
  return CURLE_OK;
}

void cn_transfer_free(struct cn_transfer *t) {
  if (!t)
    return;
  cn_timer_stop(&t->timeout_timer);
  cn_timer_stop(&t->low_speed_timer);
  cn_url_request_free(t->request);
  cn_upload_data_stream_destroy(t->upload);
  cn_free(t->user_headers);
  cn_free(t->connect_to);
  cn_free(t->http200_aliases);
  cn_free(t->range);
  curl_free(t->url_from_curlu);
  if (t->easy && t->easy->transfer == t)
    t->easy->transfer = NULL;
  cn_free(t);
}
