/* easy_options.c: the easy handle's option record: libcurl 8.14's defaults,
 * deep copy for curl_easy_duphandle, and the transfer-info reset. */
#include <stdio.h>
#include <string.h>

#include "api/easy_handle.h"
#include "impersonate/fingerprint.h"
#include "api/mime_internal.h"
#include "api/share_handle.h"
#include "util/alloc.h"

struct cn_easy *cn_easy_from(void *handle) {
  struct cn_easy *e = handle;
  if (!e || e->magic != CN_EASY_MAGIC)
    return NULL;
  return e;
}

/* libcurl's defaults are fwrite/fread on stdout/stdin; the casts go through
 * a generic function pointer because the prototypes differ only in the
 * pointer types of their arguments, exactly as libcurl does it. */
typedef void (*generic_fn)(void);

curl_write_callback cn_easy_default_write_fn(void) {
  return (curl_write_callback)(generic_fn)fwrite;
}

curl_read_callback cn_easy_default_read_fn(void) {
  return (curl_read_callback)(generic_fn)fread;
}

void cn_easy_options_init(struct cn_easy_options *o) {
  memset(o, 0, sizeof(*o));
  o->postfield_size = -1;
  o->infile_size = -1;
  o->write_fn = cn_easy_default_write_fn();
  o->write_data = stdout;
  o->read_fn = cn_easy_default_read_fn();
  o->read_data = stdin;
  o->stderr_stream = stderr;

  o->http_version = CURL_HTTP_VERSION_NONE;
  o->http_method = CN_HTTPREQ_GET;
  o->max_redirs = 30; /* libcurl 8.3+; unlimited before */
  o->httpauth = CURLAUTH_BASIC;
  o->happy_eyeballs_ms = CURL_HET_DEFAULT;
  o->dns_cache_timeout_s = 60;
  o->ssl_verify_peer = true;
  o->ssl_verify_host = 2;
  o->ssl_sessionid_cache = true;
  o->ssl_enable_alpn = true;
  o->ssl_version = CURL_SSLVERSION_DEFAULT;
  o->ca_cache_timeout_s = 24 * 60 * 60;
  o->maxconnects = 5; /* libcurl's DEFAULT_CONNCACHE_SIZE, easy handles */
  o->maxage_conn_s = 118;
  o->maxlifetime_conn_s = 0;     /* 24 h only from libcurl 8.17 */
  o->buffer_size = 16384;        /* READBUFFER_SIZE */
  o->upload_buffer_size = 65536; /* UPLOADBUFFER_DEFAULT */
  o->expect_100_timeout_ms = 1000;
  o->upkeep_interval_ms = CURL_UPKEEP_INTERVAL_DEFAULT;
  o->tcp_nodelay = true;
  o->tcp_keepidle_s = 60;
  o->tcp_keepintvl_s = 60;
  o->tcp_keepcnt = 9;
  o->no_progress = true;
  o->http_content_decoding = true;
  o->http_transfer_decoding = true;
  o->header_separate = true;
  o->proxy_type = CURLPROXY_HTTP;
  o->proxyauth = CURLAUTH_BASIC;
  o->socks5_auth = CURLAUTH_BASIC | CURLAUTH_GSSAPI;
  o->proxy_ssl_verify_peer = true;
  o->proxy_ssl_verify_host = 2;
  o->proxy_ssl_version = CURL_SSLVERSION_DEFAULT;
  /* libcurl: CURLPROTO_64ALL / CURLPROTO_REDIR (HTTP, HTTPS, FTP, FTPS) */
  o->protocols = (long)CURLPROTO_ALL;
  o->redir_protocols =
      CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FTP | CURLPROTO_FTPS;
}

void cn_easy_options_cleanup(struct cn_easy_options *o) {
  char **strings[] = {
      &o->url,
      &o->custom_request,
      &o->user_agent,
      &o->referer,
      &o->cookie,
      &o->accept_encoding,
      &o->username,
      &o->password,
      &o->cainfo,
      &o->capath,
      &o->crlfile,
      &o->issuercert,
      &o->pinned_pubkey,
      &o->ssl_cert,
      &o->ssl_cert_type,
      &o->ssl_key,
      &o->ssl_key_type,
      &o->key_passwd,
      &o->ssl_cipher_list,
      &o->tls13_ciphers,
      &o->ssl_ec_curves,
      &o->interface_name,
      &o->dns_servers,
      &o->dns_local_ip4,
      &o->dns_local_ip6,
      &o->copied_postfields,
      &o->default_protocol,
      &o->protocols_str,
      &o->redir_protocols_str,
      &o->impersonate,
      &o->header_order,
      &o->ws_header_order,
      &o->range,
      &o->request_target,
      &o->dns_interface,
      &o->netrc_file,
      &o->xoauth2_bearer,
      &o->aws_sigv4,
      &o->proxy,
      &o->pre_proxy,
      &o->noproxy,
      &o->proxy_user,
      &o->proxy_password,
      &o->proxy_cainfo,
      &o->proxy_capath,
      &o->proxy_crlfile,
      &o->proxy_issuercert,
      &o->proxy_pinned_pubkey,
      &o->proxy_ssl_cert,
      &o->proxy_ssl_cert_type,
      &o->proxy_ssl_key,
      &o->proxy_ssl_key_type,
      &o->proxy_key_passwd,
      &o->proxy_ssl_cipher_list,
      &o->proxy_tls13_ciphers,
      &o->unix_socket_path,
      &o->haproxy_client_ip,
  };
  for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
    cn_free(*strings[i]);
    *strings[i] = NULL;
  }
  cn_free(o->fingerprint);
  o->fingerprint = NULL;
  for (size_t i = 0; i < CN_NUM_BLOBS; i++)
    cn_free(o->blobs[i].data);
  memset(o->blobs, 0, sizeof(o->blobs));
  cn_mime_post_free(o->mimepost); /* unbinds the program's curl_mime */
  o->mimepost = NULL;
  if (o->share) {
    cn_share_detach((struct cn_share *)o->share);
    o->share = NULL;
  }
}

/* dup_string copies one owned string; false only on OOM. */
static bool dup_string(char **dst, const char *src) {
  *dst = NULL;
  if (!src)
    return true;
  *dst = cn_strdup(src);
  return *dst != NULL;
}

CURLcode cn_easy_options_copy(struct cn_easy_options *dst,
                              const struct cn_easy_options *src) {
  /* Plain values and program-owned pointers come over as they are; then
   * every owned string gets its own copy. */
  *dst = *src;
  /* libcurl's duphandle does not carry the share over. */
  dst->share = NULL;
  /* Copied below; until then |dst| must not point at |src|'s memory. */
  dst->copied_postfields = NULL;
  memset(dst->blobs, 0, sizeof(dst->blobs));
  dst->mimepost = NULL;
  dst->fingerprint = NULL;
  if (src->postfields && src->postfields == src->copied_postfields)
    dst->postfields = NULL;

  char **strings[] = {
      &dst->url,
      &dst->custom_request,
      &dst->user_agent,
      &dst->referer,
      &dst->cookie,
      &dst->accept_encoding,
      &dst->username,
      &dst->password,
      &dst->cainfo,
      &dst->capath,
      &dst->crlfile,
      &dst->issuercert,
      &dst->pinned_pubkey,
      &dst->ssl_cert,
      &dst->ssl_cert_type,
      &dst->ssl_key,
      &dst->ssl_key_type,
      &dst->key_passwd,
      &dst->ssl_cipher_list,
      &dst->tls13_ciphers,
      &dst->ssl_ec_curves,
      &dst->interface_name,
      &dst->dns_servers,
      &dst->dns_local_ip4,
      &dst->dns_local_ip6,
      &dst->default_protocol,
      &dst->protocols_str,
      &dst->redir_protocols_str,
      &dst->impersonate,
      &dst->header_order,
      &dst->ws_header_order,
      &dst->range,
      &dst->request_target,
      &dst->dns_interface,
      &dst->netrc_file,
      &dst->xoauth2_bearer,
      &dst->aws_sigv4,
      &dst->proxy,
      &dst->pre_proxy,
      &dst->noproxy,
      &dst->proxy_user,
      &dst->proxy_password,
      &dst->proxy_cainfo,
      &dst->proxy_capath,
      &dst->proxy_crlfile,
      &dst->proxy_issuercert,
      &dst->proxy_pinned_pubkey,
      &dst->proxy_ssl_cert,
      &dst->proxy_ssl_cert_type,
      &dst->proxy_ssl_key,
      &dst->proxy_ssl_key_type,
      &dst->proxy_key_passwd,
      &dst->proxy_ssl_cipher_list,
      &dst->proxy_tls13_ciphers,
      &dst->unix_socket_path,
      &dst->haproxy_client_ip,
  };
  size_t n = sizeof(strings) / sizeof(strings[0]);
  size_t done = 0;
  for (; done < n; done++) {
    if (!dup_string(strings[done], *strings[done]))
      goto oom;
  }

  /* The COPYPOSTFIELDS copy holds |postfield_size| bytes (maybe binary,
   * maybe no NUL); postfields pointing at it must point at the new copy. */
  if (src->copied_postfields) {
    size_t len = src->postfield_size >= 0 ? (size_t)src->postfield_size
                                          : strlen(src->copied_postfields);
    dst->copied_postfields = cn_malloc(len + 1);
    if (!dst->copied_postfields)
      goto oom;
    memcpy(dst->copied_postfields, src->copied_postfields, len);
    dst->copied_postfields[len] = '\0';
    if (src->postfields == src->copied_postfields)
      dst->postfields = dst->copied_postfields;
  }

  if (src->fingerprint) {
    dst->fingerprint = cn_memdup(src->fingerprint, sizeof(*src->fingerprint));
    if (!dst->fingerprint)
      goto oom;
  }
  for (size_t i = 0; i < CN_NUM_BLOBS; i++) {
    const struct cn_easy_blob *b = &src->blobs[i];
    if (!b->data)
      continue;
    dst->blobs[i].data = cn_memdup(b->data, b->len);
    if (!dst->blobs[i].data)
      goto oom;
    dst->blobs[i].len = b->len;
  }
  /* libcurl's duphandle gives the copy its own copy of the MIMEPOST tree */
  if (cn_mime_post_dup(&dst->mimepost, src->mimepost) != CURLE_OK)
    goto oom;
  return CURLE_OK;

oom:
  /* Strings not yet copied still point at |src|'s: forget them before
   * freeing what this call allocated. */
  for (size_t i = done; i < n; i++)
    *strings[i] = NULL;
  cn_easy_options_cleanup(dst);
  memset(dst, 0, sizeof(*dst));
  return CURLE_OUT_OF_MEMORY;
}

/* free_certinfo releases lists built like curl_slist_append's (node and
 * string from the cn_ allocator). */
static void free_certinfo(struct curl_certinfo *ci) {
  if (ci->certinfo) {
    for (int i = 0; i < ci->num_of_certs; i++) {
      struct curl_slist *item = ci->certinfo[i];
      while (item) {
        struct curl_slist *next = item->next;
        cn_free(item->data);
        cn_free(item);
        item = next;
      }
    }
    cn_free(ci->certinfo);
  }
  ci->certinfo = NULL;
  ci->num_of_certs = 0;
}

void cn_transfer_info_reset(struct cn_transfer_info *info) {
  cn_free(info->effective_url);
  cn_free(info->redirect_url);
  cn_free(info->content_type);
  cn_free(info->effective_method);
  cn_free(info->referer_used);
  free_certinfo(&info->certinfo);
  memset(info, 0, sizeof(*info));
  info->content_length_download = -1;
  info->content_length_upload = -1;
  info->conn_id = -1;
  info->xfer_id = -1;
  info->filetime = -1;
  info->active_socket = CURL_SOCKET_BAD;
}
