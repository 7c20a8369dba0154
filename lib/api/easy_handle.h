/* easy_handle.h: what a CURL * is inside curlium.
 *
 * The options (struct cn_easy_options) are only recorded by setopt; when a
 * transfer starts, lib/api/transfer.c takes an immutable snapshot of them
 * and builds the parameter structs of the lower layers from it.
 *
 * Ownership: the easy handle owns every string in |opts| (setopt copies,
 * except where libcurl documents that it keeps the program's pointer:
 * POSTFIELDS, the curl_slist options, ERRORBUFFER, the *DATA pointers). It
 * owns its transfer state and, when used with curl_easy_perform, the private
 * multi handle that keeps its connections between performs. */
#ifndef CN_API_EASY_HANDLE_H
#define CN_API_EASY_HANDLE_H

#include <curl/curl.h>
#include <curl/multi.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/altsvc_api.h"
#include "api/hsts_api.h"
#include "api/header_store.h"
#include "cookies/cookie_engine.h"
#include "http/auth/http_auth_controller.h"
#include "util/buf.h"

struct cn_detached_connection;
struct cn_multi;
struct cn_transfer;
struct cn_ws;

/* The protocol bits of ws:// and wss:// in CURLOPT_PROTOCOLS masks
 * (libcurl's internal CURLPROTO_WS/WSS: not in the public header, which
 * leaves them to CURLOPT_PROTOCOLS_STR). */
#define CN_PROTO_WS (1L << 30)
#define CN_PROTO_WSS (1L << 31)

/* Magic values catch a wrong handle type being passed (libcurl does too). */
#define CN_EASY_MAGIC 0xc0dedbadU

/* The CURLOPT_*_BLOB options, an index into cn_easy_options.blobs. Each
 * origin option is followed by its proxy twin (transfer.c relies on it). */
enum cn_blob_option {
  CN_BLOB_CAINFO,
  CN_BLOB_PROXY_CAINFO,
  CN_BLOB_SSLCERT,
  CN_BLOB_PROXY_SSLCERT,
  CN_BLOB_SSLKEY,
  CN_BLOB_PROXY_SSLKEY,
  CN_BLOB_ISSUERCERT,
  CN_BLOB_PROXY_ISSUERCERT,
  CN_NUM_BLOBS
};

struct cn_easy_blob {
  void *data; /* owned */
  size_t len;
};

struct cn_easy_options {
  /* --- strings copied by setopt (owned) --- */
  char *url;
  char *custom_request;
  char *user_agent;
  char *referer;
  char *cookie;
  char *accept_encoding; /* NULL: none; setopt turns "" into the list of
                            all built-in codings, as libcurl does */
  char *username;
  char *password;
  char *cainfo;
  char *capath;
  char *crlfile;
  char *issuercert; /* CURLOPT_ISSUERCERT */
  char *pinned_pubkey;
  char *ssl_cert;
  char *ssl_cert_type;
  char *ssl_key;
  char *ssl_key_type;
  char *key_passwd;
  char *ssl_cipher_list;
  char *tls13_ciphers;
  char *ssl_ec_curves;
  char *interface_name;
  char *dns_servers;
  char *dns_local_ip4;
  char *dns_local_ip6;
  char *copied_postfields; /* CURLOPT_COPYPOSTFIELDS' copy */
  char *default_protocol;
  char *protocols_str;
  char *redir_protocols_str;
  char *impersonate; /* CURLOPT_IMPERSONATE target name */
  /* curl-impersonate's fingerprint options (api/fingerprint_setopt.c):
   * the overridden fields (owned, NULL until one is set), the order of
   * request headers (owned) and the browser's base headers (program's). */
  struct cn_fingerprint *fingerprint;
  char *header_order;
  char *ws_header_order; /* CURLOPT_WS_HTTPHEADER_ORDER: ws:// and wss:// */
  struct curl_slist *http_base_header;
  /* CURLOPT_*_BLOB values, copied (data NULL: not set). */
  struct cn_easy_blob blobs[CN_NUM_BLOBS];

  /* --- pointers kept as given (program-owned) --- */
  const char *postfields; /* POSTFIELDS or copied_postfields */
  curl_off_t postfield_size; /* -1: strlen(postfields) */
  struct curl_slist *http_header;
  struct curl_slist *ws_http_header; /* replaces http_header for ws(s):// */
  struct curl_slist *proxy_header;
  struct curl_slist *resolve;
  struct curl_slist *connect_to;
  struct curl_slist *http200_aliases;
  char *error_buffer;
  void *private_data;
  struct Curl_share *share;

  /* --- callbacks --- */
  curl_write_callback write_fn;
  void *write_data;
  curl_read_callback read_fn;
  void *read_data;
  curl_write_callback header_fn;
  void *header_data;
  curl_debug_callback debug_fn;
  void *debug_data;
  curl_progress_callback progress_fn;
  curl_xferinfo_callback xferinfo_fn;
  void *progress_data;
  curl_seek_callback seek_fn;
  void *seek_data;
  curl_sockopt_callback sockopt_fn;
  void *sockopt_data;
  curl_opensocket_callback opensocket_fn;
  void *opensocket_data;
  curl_closesocket_callback closesocket_fn;
  void *closesocket_data;

  /* --- numbers and flags --- */
  long http_version;      /* CURL_HTTP_VERSION_* */
  long max_redirs;        /* -1 unlimited */
  long post_redir;        /* CURL_REDIR_POST_* bits */
  long timeout_ms;        /* 0: none */
  long connect_timeout_ms; /* 0: libcurl's 300 s */
  long happy_eyeballs_ms;
  long ip_resolve;
  long dns_cache_timeout_s;
  long ssl_verify_host;   /* 0 or 2 (1 is treated as 2) */
  long ssl_version;       /* CURLOPT_SSLVERSION raw value */
  long ssl_options;
  long low_speed_limit;
  long low_speed_time;
  long maxconnects;
  long maxage_conn_s;
  long maxlifetime_conn_s;
  long buffer_size;
  long upload_buffer_size;
  long expect_100_timeout_ms;
  long tcp_keepidle_s;
  long tcp_keepintvl_s;
  long local_port;
  long local_port_range;
  long protocols;       /* CURLPROTO_* bits allowed */
  long redir_protocols; /* CURLPROTO_* bits allowed on redirect */
  curl_off_t infile_size;  /* -1: unknown */
  curl_off_t max_filesize; /* 0: none */
  curl_off_t resume_from;
  long time_condition;   /* CURL_TIMECOND_* */
  curl_off_t time_value; /* CURLOPT_TIMEVALUE(_LARGE), seconds */
  bool get_filetime;     /* CURLOPT_FILETIME */
  curl_off_t max_send_speed;
  curl_off_t max_recv_speed;
  bool verbose;
  bool header_in_body; /* CURLOPT_HEADER */
  bool no_progress;
  bool no_body;
  bool fail_on_error;
  /* |impersonate| came from CURL_IMPERSONATE, not from the program. */
  bool impersonate_from_env;
  bool upload;
  bool post;
  bool http_get;
  bool follow_location;
  bool unrestricted_auth;
  bool auto_referer;
  bool no_signal;
  bool fresh_connect;
  bool forbid_reuse;
  bool ssl_verify_peer;
  bool ssl_sessionid_cache;
  bool tcp_nodelay;
  bool tcp_keepalive;
  bool transfer_encoding;
  bool http_content_decoding;
  bool http_transfer_decoding;
  bool path_as_is;
  bool suppress_connect_headers;
  bool keep_sending_on_error;
  bool ssl_enable_alpn;
  bool tls_no_key_usage_check; /* CURLOPT_TLS_KEY_USAGE_NO_CHECK */
  long stream_weight;          /* CURLOPT_STREAM_WEIGHT, 1..256 */
  long connect_only; /* CURLOPT_CONNECT_ONLY: 0, 1, 2 (WebSocket) */
  long ws_options;   /* CURLOPT_WS_OPTIONS: CURLWS_RAW_MODE, NOAUTOPONG */

  /* --- added with setopt.c (see docs/COMPAT.md for each option) --- */
  /* The request method as libcurl tracks it: the last of CURLOPT_POST,
   * _UPLOAD/_PUT, _HTTPGET, _POSTFIELDS, _NOBODY(0) wins. |no_body| stays
   * separate: NOBODY=1 then UPLOAD=0 is still a HEAD. upload/post/http_get
   * above mirror it for convenience. */
  int http_method;    /* enum cn_http_method */
  long follow_mode;   /* CURLOPT_FOLLOWLOCATION: 0..3 (CURLFOLLOW_*) */
  unsigned long httpauth; /* CURLAUTH_* wanted (DIGEST_IE folded in) */
  bool httpauth_digest_ie;  /* CURLAUTH_DIGEST_IE was in the last mask */
  long netrc;               /* CURLOPT_NETRC: CURL_NETRC_* */
  char *netrc_file;         /* CURLOPT_NETRC_FILE (owned) */
  char *xoauth2_bearer;     /* CURLOPT_XOAUTH2_BEARER (owned) */
  char *aws_sigv4;          /* CURLOPT_AWS_SIGV4 (owned) */
  long port;          /* CURLOPT_PORT, 0: from the URL */
  long tcp_keepcnt;
  long upkeep_interval_ms;
  long ca_cache_timeout_s;
  unsigned long scope_id; /* CURLOPT_ADDRESS_SCOPE */
  char *range;          /* CURLOPT_RANGE (owned) */
  char *request_target; /* CURLOPT_REQUEST_TARGET (owned) */
  char *dns_interface;  /* CURLOPT_DNS_INTERFACE (owned) */
  void *curlu;          /* CURLOPT_CURLU: program's CURLU *, used instead
                           of |url| when set */
  void *stderr_stream;  /* CURLOPT_STDERR: FILE * for verbose output;
                           stderr by default */
  curl_ioctl_callback ioctl_fn; /* deprecated rewind callback */
  void *ioctl_data;
  curl_trailer_callback trailer_fn;
  void *trailer_data;
  curl_prereq_callback prereq_fn;
  void *prereq_data;
  curl_resolver_start_callback resolver_start_fn;
  void *resolver_start_data;
  char *unix_socket_path;  /* CURLOPT_(ABSTRACT_)UNIX_SOCKET_PATH (owned) */
  bool abstract_unix;      /* the path names an abstract socket */
  bool haproxy;            /* CURLOPT_HAPROXYPROTOCOL */
  char *haproxy_client_ip; /* CURLOPT_HAPROXY_CLIENT_IP (owned) */
  bool read_fn_set;       /* read_fn is the program's, not fread */
  bool http09_allowed;    /* CURLOPT_HTTP09_ALLOWED, default false */
  bool ignore_content_length;
  bool header_separate;   /* CURLOPT_HEADEROPT, default CURLHEADER_SEPARATE */
  bool pipewait;
  /* CURLOPT_STREAM_DEPENDS(_E): the easy handle whose HTTP/2 stream this
   * one depends on (borrowed, may be gone: checked when used). */
  void *stream_depends;
  bool stream_depends_e;
  bool certinfo; /* CURLOPT_CERTINFO */
  bool dns_shuffle_addresses;
  bool disallow_username_in_url;
  /* CURLOPT_MIMEPOST: the top part the program's curl_mime is bound to
   * (owned; api/mime_internal.h cn_mime_post_*; NULL until a mime is set) */
  curl_mimepart *mimepost;
  struct curl_httppost *httppost; /* CURLOPT_HTTPPOST (program's) */
  bool mime_formescape; /* CURLOPT_MIME_OPTIONS & CURLMIMEOPT_FORMESCAPE */

  /* Proxies (owned strings; see lib/socket/proxy_resolution.h). */
  char *proxy;          /* CURLOPT_PROXY; NULL: environment */
  char *pre_proxy;      /* CURLOPT_PRE_PROXY */
  char *noproxy;        /* CURLOPT_NOPROXY; NULL: environment */
  char *proxy_user;     /* CURLOPT_PROXYUSERNAME / PROXYUSERPWD */
  char *proxy_password;
  char *proxy_cainfo;
  char *proxy_capath;
  char *proxy_crlfile;
  char *proxy_issuercert;
  char *proxy_pinned_pubkey;
  char *proxy_ssl_cert;
  char *proxy_ssl_cert_type;
  char *proxy_ssl_key;
  char *proxy_ssl_key_type;
  char *proxy_key_passwd;
  char *proxy_ssl_cipher_list;
  char *proxy_tls13_ciphers;
  long proxy_port;        /* CURLOPT_PROXYPORT; 0: default */
  long proxy_type;        /* CURLPROXY_* */
  long proxy_ssl_version; /* CURLOPT_PROXY_SSLVERSION raw value */
  long proxy_ssl_options;
  long proxy_ssl_verify_host; /* 0 or 2 */
  unsigned long proxyauth;    /* CURLOPT_PROXYAUTH */
  unsigned long socks5_auth;  /* CURLOPT_SOCKS5_AUTH */
  bool proxy_tunnel;          /* CURLOPT_HTTPPROXYTUNNEL */
  bool proxy_ssl_verify_peer;
};

/* The values of cn_easy_options.http_method (libcurl's HTTPREQ_*). */
enum cn_http_method {
  CN_HTTPREQ_GET = 0,
  CN_HTTPREQ_POST,      /* POSTFIELDS, COPYPOSTFIELDS, or POST + read cb */
  CN_HTTPREQ_POST_FORM, /* CURLOPT_HTTPPOST (not built) */
  CN_HTTPREQ_POST_MIME, /* CURLOPT_MIMEPOST (not built) */
  CN_HTTPREQ_PUT,       /* CURLOPT_UPLOAD / CURLOPT_PUT */
  CN_HTTPREQ_HEAD       /* CURLOPT_NOBODY */
};

/* What the last transfer measured, for curl_easy_getinfo. Times are
 * microseconds from the start of the transfer (CURLINFO_*_TIME_T). */
struct cn_transfer_info {
  long response_code;
  long http_connectcode;
  long http_version; /* CURL_HTTP_VERSION_1_0 / 1_1 / 2_0 */
  long redirect_count;
  long header_size;
  long request_size;
  long num_connects;
  long ssl_verify_result;
  long os_errno;
  long condition_unmet;
  curl_off_t size_download;
  curl_off_t size_upload;
  curl_off_t content_length_download; /* -1 unknown */
  curl_off_t content_length_upload;
  curl_off_t total_time_us;
  curl_off_t namelookup_time_us;
  curl_off_t connect_time_us;
  curl_off_t appconnect_time_us;
  curl_off_t pretransfer_time_us;
  curl_off_t posttransfer_time_us;
  curl_off_t starttransfer_time_us;
  curl_off_t redirect_time_us;
  curl_off_t queue_time_us;
  curl_off_t speed_download; /* bytes/s */
  curl_off_t speed_upload;
  curl_off_t conn_id;        /* -1 none */
  curl_off_t xfer_id;
  char *effective_url;   /* owned */
  char *redirect_url;    /* owned: where a redirect would go */
  char *content_type;    /* owned */
  char *effective_method; /* owned */
  char *referer_used;    /* owned */
  char primary_ip[64];
  long primary_port;
  char local_ip[64];
  long local_port;
  char scheme[16];
  bool used_proxy;

  /* --- added with getinfo.c --- */
  curl_off_t filetime;        /* -1 unknown (CURLOPT_FILETIME) */
  curl_off_t retry_after;     /* seconds from Retry-After, 0 none */
  curl_off_t earlydata_sent;
  long httpauth_avail;        /* CURLAUTH_* bits the server offered */
  long proxyauth_avail;
  long httpauth_used;
  long proxyauth_used;
  long proxy_error;           /* CURLPX_* */
  long proxy_ssl_verify_result;
  /* The socket of the last connection while it is alive (CURLINFO_
   * ACTIVESOCKET / LASTSOCKET), CURL_SOCKET_BAD (-1) otherwise. */
  int active_socket;
  /* CURLINFO_TLS_SSL_PTR / _TLS_SESSION: BoringSSL's SSL * and SSL_CTX *
   * of the last connection while it is alive, NULL otherwise. */
  void *tls_ssl;
  void *tls_ssl_ctx;
  /* Storage handed out by getinfo (CURLINFO_CERTINFO is empty until the
   * TLS layer collects certificates; free with cn_transfer_info_reset). */
  struct curl_certinfo certinfo;
  struct curl_tlssessioninfo tls_session_info;
};

struct cn_easy {
  unsigned magic;
  struct cn_easy_options opts;
  struct cn_transfer_info info;

  struct cn_multi *multi;          /* the multi this handle is added to */
  struct cn_multi *implicit_multi; /* owned; curl_easy_perform's */
  struct cn_transfer *transfer;    /* owned; the running transfer */
  struct cn_header_store headers;  /* responses of the last transfer */
  struct cn_cookie_engine cookies; /* the cookie jar and its options */
  struct cn_hsts_engine hsts;      /* CURLOPT_HSTS cache and options */
  struct cn_altsvc_engine altsvc;  /* CURLOPT_ALTSVC cache and options */
  /* Host authentication state kept between transfers (picked scheme,
   * Digest nonce and count), as libcurl keeps it until curl_easy_reset. */
  struct cn_http_auth_controller auth;
  /* Proxy authentication state (libcurl's state.authproxy). */
  struct cn_http_auth_controller proxy_auth;
  /* X509 result of the last TLS handshake with an HTTPS proxy
   * (CURLINFO_PROXY_SSL_VERIFYRESULT). libcurl keeps it on the handle, so
   * a transfer that reuses the connection reports it again; 0 after
   * curl_easy_reset. */
  long proxy_verify_result;

  /* The connection a CONNECT_ONLY transfer or a WebSocket upgrade left
   * (owned; lib/socket/detached_connection.h), and the WebSocket state on
   * it (owned; api/ws_internal.h). Freed when the next transfer starts
   * and at cleanup. */
  struct cn_detached_connection *conn;
  struct cn_ws *ws;
  /* Nonzero while a program callback of this handle runs
   * (curl_easy_send/recv then say CURLE_RECURSIVE_API_CALL). */
  int in_callback;

  /* Result of the finished transfer, reported by curl_multi_info_read. */
  CURLcode result;
  bool done;
  bool started;     /* the transfer was started by the multi */
  bool msg_pending; /* a CURLMSG_DONE is waiting in the multi's queue */
  CURLMsg msg;      /* what curl_multi_info_read hands out */
  bool error_written; /* error buffer already holds this transfer's error */
  long paused;  /* CURLPAUSE_* bits */
  curl_off_t xfer_id; /* multi-assigned transfer id */

  /* cn_ssl_config_key() text of the last transfer's TLS settings, reused
   * by the next transfer while no option changed (setopt, reset and
   * curl_easy_impersonate clear ssl_key_valid) and its impersonation
   * profile is the same: building it hashes CA blobs. */
  struct cn_buf ssl_key;
  const void *ssl_key_profile;
  bool ssl_key_valid;

  /* Links in the multi's list of handles. */
  struct cn_easy *next;
  struct cn_easy *prev;
};

/* cn_easy_from checks the magic; NULL if |handle| is not an easy handle. */
struct cn_easy *cn_easy_from(void *handle);

/* cn_easy_drop_connection closes the connection a CONNECT_ONLY transfer
 * or a WebSocket left (e->ws, e->conn); CURLINFO_ACTIVESOCKET then says
 * CURL_SOCKET_BAD. */
void cn_easy_drop_connection(struct cn_easy *e);
/* cn_easy_failf writes a libcurl failf text to the error buffer, for the
 * calls that run outside a transfer (curl_easy_send/recv). */
void cn_easy_failf(struct cn_easy *e, const char *fmt, ...);

/* cn_easy_options_init sets libcurl's defaults; cn_easy_options_cleanup frees
 * the owned strings and detaches the share (CURLOPT_SHARE). libcurl keeps
 * the share across curl_easy_reset: save |share|, set it to NULL before the
 * cleanup and put it back after the init. */
void cn_easy_options_init(struct cn_easy_options *o);
void cn_easy_options_cleanup(struct cn_easy_options *o);
/* cn_easy_options_copy deep-copies |src| into |dst| (curl_easy_duphandle);
 * like libcurl, the copy has no share. CURLE_OK or CURLE_OUT_OF_MEMORY (then
 * |dst| holds nothing to free). */
CURLcode cn_easy_options_copy(struct cn_easy_options *dst,
                              const struct cn_easy_options *src);
/* cn_transfer_info_reset frees the info's strings and sets the values
 * libcurl reports before any transfer (content lengths, ids, filetime and
 * the socket -1). Works on a zeroed struct too. */
void cn_transfer_info_reset(struct cn_transfer_info *info);

/* libcurl's default write and read callbacks: fwrite and fread, on the
 * default CURLOPT_WRITEDATA stdout and CURLOPT_READDATA stdin. setopt puts
 * them back when the program passes NULL. */
curl_write_callback cn_easy_default_write_fn(void);
curl_read_callback cn_easy_default_read_fn(void);

#endif
