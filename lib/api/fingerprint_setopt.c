/* fingerprint_setopt.c: curl-impersonate's fingerprint options
 * (CURLOPT_HTTP2_SETTINGS, CURLOPT_TLS_EXTENSION_ORDER, ...) and
 * CURLOPT_ECH's GREASE mode. Each one is parsed here, so that a malformed
 * value is refused by curl_easy_setopt with the reason in the error buffer,
 * and recorded as one overridden field of the handle's struct
 * cn_fingerprint; the transfer builds the profile from it
 * (impersonate/fingerprint.h). */
#include "api/fingerprint_setopt.h"

#include <stdio.h>
#include <string.h>

#include "api/easy_handle.h"
#include "impersonate/fingerprint.h"
#include "util/alloc.h"

#define ERR_LEN 200

static CURLcode bad(struct cn_easy_options *o, const char *option,
                    const char *why) {
  if (o->error_buffer)
    snprintf(o->error_buffer, CURL_ERROR_SIZE, "%s: %s", option, why);
  return CURLE_BAD_FUNCTION_ARGUMENT;
}

/* fp returns the handle's overrides, made on first use; NULL on OOM. */
static struct cn_fingerprint *fp(struct cn_easy_options *o) {
  if (!o->fingerprint)
    o->fingerprint = cn_calloc(1, sizeof(*o->fingerprint));
  return o->fingerprint;
}

/* set_flag records a 0/1 option as the override |bit|. */
static CURLcode set_flag(struct cn_easy_options *o, uint32_t bit, bool *field,
                         long v) {
  struct cn_fingerprint *f = fp(o);
  if (!f)
    return CURLE_OUT_OF_MEMORY;
  *field = v != 0;
  f->set |= bit;
  return CURLE_OK;
}

/* clear drops an override (a NULL string): the target's value is back. */
static CURLcode clear(struct cn_easy_options *o, uint32_t bit) {
  if (o->fingerprint)
    o->fingerprint->set &= ~bit;
  return CURLE_OK;
}

static CURLcode set_long(struct cn_easy_options *o, CURLoption option,
                         long v) {
  struct cn_fingerprint *f = fp(o);
  if (!f)
    return CURLE_OUT_OF_MEMORY;
  switch (option) {
  case CURLOPT_SSL_ENABLE_ALPS:
    return set_flag(o, CN_FP_ALPS, &f->alps, v);
  case CURLOPT_SSL_ENABLE_TICKET:
    return set_flag(o, CN_FP_SESSION_TICKET, &f->session_ticket, v);
  case CURLOPT_SSL_PERMUTE_EXTENSIONS:
    return set_flag(o, CN_FP_PERMUTE, &f->permute, v);
  case CURLOPT_TLS_GREASE:
    return set_flag(o, CN_FP_GREASE, &f->grease, v);
  case CURLOPT_STREAM_EXCLUSIVE:
    return set_flag(o, CN_FP_STREAM_EXCLUSIVE, &f->stream_exclusive, v);
  case CURLOPT_TLS_SIGNED_CERT_TIMESTAMPS:
    return set_flag(o, CN_FP_SCT, &f->sct, v);
  case CURLOPT_TLS_STATUS_REQUEST:
    return set_flag(o, CN_FP_STATUS_REQUEST, &f->status_request, v);
  case CURLOPT_TLS_USE_NEW_ALPS_CODEPOINT:
    return set_flag(o, CN_FP_NEW_ALPS_CODEPOINT, &f->new_alps_codepoint, v);
  case CURLOPT_HTTP2_NO_PRIORITY:
    return set_flag(o, CN_FP_H2_NO_PRIORITY, &f->h2_no_priority, v);
  case CURLOPT_SPLIT_COOKIES:
    return set_flag(o, CN_FP_SPLIT_COOKIES, &f->split_cookies, v);
  case CURLOPT_HTTP2_WINDOW_UPDATE:
    /* -1 (curl-impersonate) or 0: no WINDOW_UPDATE after SETTINGS. The
     * connection window may grow to 2^31-1 (RFC 9113 6.9.1). */
    if (v < -1 || v > 0x7fffffffL - 65535)
      return bad(o, "CURLOPT_HTTP2_WINDOW_UPDATE",
                 "increment out of range (-1, 0..2147418112)");
    f->window_update = v < 0 ? 0 : (uint32_t)v;
    f->set |= CN_FP_WINDOW_UPDATE;
    return CURLE_OK;
  case CURLOPT_TLS_RECORD_SIZE_LIMIT:
    /* RFC 8449: 64 .. 2^14 + 1; 0 sends no extension. */
    if (v != 0 && (v < 64 || v > 16385))
      return bad(o, "CURLOPT_TLS_RECORD_SIZE_LIMIT",
                 "limit out of range (0 for none, 64..16385)");
    f->record_size_limit = (uint16_t)v;
    f->set |= CN_FP_RECORD_SIZE_LIMIT;
    return CURLE_OK;
  case CURLOPT_TLS_KEY_SHARES_LIMIT:
    if (v < 0 || v > 16)
      return bad(o, "CURLOPT_TLS_KEY_SHARES_LIMIT",
                 "limit out of range (0 for the target's, 1..16)");
    f->key_shares_limit = (uint8_t)v;
    if (v)
      f->set |= CN_FP_KEY_SHARES_LIMIT;
    else
      f->set &= ~(uint32_t)CN_FP_KEY_SHARES_LIMIT;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

/* set_ech: libcurl's CURLOPT_ECH values. Only GREASE (what browsers send
 * without an ECH configuration) is built; real ECH needs the server's
 * configuration from DNS HTTPS records. */
static CURLcode set_ech(struct cn_easy_options *o, const char *s) {
  if (!s)
    return clear(o, CN_FP_ECH_GREASE);
  bool grease;
  if (strcmp(s, "false") == 0)
    grease = false;
  else if (strcmp(s, "grease") == 0)
    grease = true;
  else if (strcmp(s, "true") == 0 || strcmp(s, "hard") == 0 ||
           strncmp(s, "ecl:", 4) == 0 || strncmp(s, "pn:", 3) == 0) {
    if (o->error_buffer)
      snprintf(o->error_buffer, CURL_ERROR_SIZE,
               "CURLOPT_ECH: only \"grease\" and \"false\" are built");
    return CURLE_NOT_BUILT_IN;
  } else {
    return bad(o, "CURLOPT_ECH", "unknown value (false, grease)");
  }
  struct cn_fingerprint *f = fp(o);
  if (!f)
    return CURLE_OUT_OF_MEMORY;
  f->ech_grease = grease;
  f->set |= CN_FP_ECH_GREASE;
  return CURLE_OK;
}

static CURLcode set_str(struct cn_easy_options *o, CURLoption option,
                        const char *s) {
  char err[ERR_LEN];
  struct cn_fingerprint tmp;
  bool ok;
  uint32_t bit;
  const char *name;
  switch (option) {
  case CURLOPT_SSL_SIG_HASH_ALGS:
    bit = CN_FP_SIGALGS;
    name = "CURLOPT_SSL_SIG_HASH_ALGS";
    ok = !s || cn_fp_parse_sigalgs(s, tmp.sigalgs, &tmp.num_sigalgs,
                                   &tmp.grease_sigalg, err, sizeof(err));
    break;
  case CURLOPT_TLS_DELEGATED_CREDENTIALS:
    bit = CN_FP_DELEGATED_CREDENTIALS;
    name = "CURLOPT_TLS_DELEGATED_CREDENTIALS";
    tmp.num_delegated_credentials = 0;
    /* "" switches the extension off. */
    ok = !s || !*s ||
         cn_fp_parse_sigalgs(s, tmp.delegated_credentials,
                             &tmp.num_delegated_credentials,
                             &tmp.grease_sigalg, err, sizeof(err));
    if (ok && s && *s && tmp.grease_sigalg) {
      snprintf(err, sizeof(err), "GREASE is not sent in this list");
      ok = false;
    }
    break;
  case CURLOPT_SSL_CERT_COMPRESSION:
    bit = CN_FP_CERT_COMPRESSION;
    name = "CURLOPT_SSL_CERT_COMPRESSION";
    ok = !s || cn_fp_parse_cert_compression(s, tmp.cert_compression,
                                            &tmp.num_cert_compression, err,
                                            sizeof(err));
    break;
  case CURLOPT_TLS_EXTENSION_ORDER:
    bit = CN_FP_EXTENSION_ORDER;
    name = "CURLOPT_TLS_EXTENSION_ORDER";
    ok = !s || cn_fp_parse_extension_order(s, tmp.extension_order,
                                           &tmp.num_extension_order, err,
                                           sizeof(err));
    break;
  case CURLOPT_HTTP2_PSEUDO_HEADERS_ORDER:
    bit = CN_FP_PSEUDO_ORDER;
    name = "CURLOPT_HTTP2_PSEUDO_HEADERS_ORDER";
    ok = !s || cn_fp_parse_pseudo_order(s, tmp.pseudo_order, err,
                                        sizeof(err));
    break;
  case CURLOPT_HTTP2_SETTINGS:
    bit = CN_FP_H2_SETTINGS;
    name = "CURLOPT_HTTP2_SETTINGS";
    ok = !s || cn_fp_parse_h2_settings(s, tmp.h2_settings,
                                       &tmp.num_h2_settings, err, sizeof(err));
    break;
  case CURLOPT_HTTP2_STREAMS:
    bit = CN_FP_H2_STREAMS;
    name = "CURLOPT_HTTP2_STREAMS";
    ok = !s || cn_fp_parse_h2_streams(s, tmp.priority_frames,
                                      &tmp.num_priority_frames, err,
                                      sizeof(err));
    break;
  case CURLOPT_FORM_BOUNDARY:
    bit = CN_FP_FORM_BOUNDARY;
    name = "CURLOPT_FORM_BOUNDARY";
    ok = !s || cn_fp_parse_form_boundary(s, &tmp.form_boundary, err,
                                         sizeof(err));
    break;
  case CURLOPT_ECH:
    return set_ech(o, s);
  default:
    return CURLE_UNKNOWN_OPTION;
  }
  if (!ok)
    return bad(o, name, err);
  if (!s)
    return clear(o, bit);
  struct cn_fingerprint *f = fp(o);
  if (!f)
    return CURLE_OUT_OF_MEMORY;
  switch (bit) {
  case CN_FP_SIGALGS:
    memcpy(f->sigalgs, tmp.sigalgs, sizeof(f->sigalgs));
    f->num_sigalgs = tmp.num_sigalgs;
    f->grease_sigalg = tmp.grease_sigalg;
    break;
  case CN_FP_DELEGATED_CREDENTIALS:
    memcpy(f->delegated_credentials, tmp.delegated_credentials,
           sizeof(f->delegated_credentials));
    f->num_delegated_credentials = tmp.num_delegated_credentials;
    break;
  case CN_FP_CERT_COMPRESSION:
    memcpy(f->cert_compression, tmp.cert_compression,
           sizeof(f->cert_compression));
    f->num_cert_compression = tmp.num_cert_compression;
    break;
  case CN_FP_EXTENSION_ORDER:
    memcpy(f->extension_order, tmp.extension_order,
           sizeof(f->extension_order));
    f->num_extension_order = tmp.num_extension_order;
    break;
  case CN_FP_PSEUDO_ORDER:
    memcpy(f->pseudo_order, tmp.pseudo_order, sizeof(f->pseudo_order));
    break;
  case CN_FP_H2_SETTINGS:
    memcpy(f->h2_settings, tmp.h2_settings, sizeof(f->h2_settings));
    f->num_h2_settings = tmp.num_h2_settings;
    break;
  case CN_FP_H2_STREAMS:
    memcpy(f->priority_frames, tmp.priority_frames,
           sizeof(f->priority_frames));
    f->num_priority_frames = tmp.num_priority_frames;
    break;
  default:
    f->form_boundary = tmp.form_boundary;
    break;
  }
  f->set |= bit;
  return CURLE_OK;
}

bool cn_fingerprint_option(CURLoption option) {
  switch (option) {
  case CURLOPT_HTTPBASEHEADER:
  case CURLOPT_HTTPHEADER_ORDER:
  case CURLOPT_WS_HTTPHEADER_ORDER:
  case CURLOPT_TLS_KEY_USAGE_NO_CHECK:
  case CURLOPT_SSL_ENABLE_ALPS:
  case CURLOPT_SSL_ENABLE_TICKET:
  case CURLOPT_SSL_PERMUTE_EXTENSIONS:
  case CURLOPT_TLS_GREASE:
  case CURLOPT_STREAM_EXCLUSIVE:
  case CURLOPT_TLS_SIGNED_CERT_TIMESTAMPS:
  case CURLOPT_TLS_STATUS_REQUEST:
  case CURLOPT_TLS_USE_NEW_ALPS_CODEPOINT:
  case CURLOPT_HTTP2_NO_PRIORITY:
  case CURLOPT_SPLIT_COOKIES:
  case CURLOPT_HTTP2_WINDOW_UPDATE:
  case CURLOPT_TLS_RECORD_SIZE_LIMIT:
  case CURLOPT_TLS_KEY_SHARES_LIMIT:
  case CURLOPT_SSL_SIG_HASH_ALGS:
  case CURLOPT_TLS_DELEGATED_CREDENTIALS:
  case CURLOPT_SSL_CERT_COMPRESSION:
  case CURLOPT_TLS_EXTENSION_ORDER:
  case CURLOPT_HTTP2_PSEUDO_HEADERS_ORDER:
  case CURLOPT_HTTP2_SETTINGS:
  case CURLOPT_HTTP2_STREAMS:
  case CURLOPT_FORM_BOUNDARY:
  case CURLOPT_ECH:
    return true;
  default:
    return false;
  }
}

CURLcode cn_fingerprint_setopt(struct cn_easy_options *o, CURLoption option,
                               long larg, void *parg) {
  switch (option) {
  case CURLOPT_HTTPBASEHEADER:
    o->http_base_header = parg;
    return CURLE_OK;
  case CURLOPT_HTTPHEADER_ORDER:
  case CURLOPT_WS_HTTPHEADER_ORDER: {
    bool ws = option == CURLOPT_WS_HTTPHEADER_ORDER;
    char err[ERR_LEN];
    const char *s = parg;
    if (s && !cn_fp_check_header_order(s, err, sizeof(err)))
      return bad(o, ws ? "CURLOPT_WS_HTTPHEADER_ORDER"
                       : "CURLOPT_HTTPHEADER_ORDER", err);
    char *copy = s ? cn_strdup(s) : NULL;
    if (s && !copy)
      return CURLE_OUT_OF_MEMORY;
    char **dst = ws ? &o->ws_header_order : &o->header_order;
    cn_free(*dst);
    *dst = copy;
    return CURLE_OK;
  }
  case CURLOPT_TLS_KEY_USAGE_NO_CHECK:
    o->tls_no_key_usage_check = larg != 0;
    return CURLE_OK;
  default:
    break;
  }
  if (option < CURLOPTTYPE_OBJECTPOINT)
    return set_long(o, option, larg);
  return set_str(o, option, parg);
}

void cn_fingerprint_setopt_clear(struct cn_easy_options *o) {
  cn_free(o->fingerprint);
  o->fingerprint = NULL;
  o->http_base_header = NULL;
}
