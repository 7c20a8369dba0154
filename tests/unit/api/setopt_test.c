/* setopt_test.c: curl_easy_setopt's defaults, validation, copies, the
 * request-method bookkeeping, and that every option answers what
 * lib/api/setopt_table.h (and so docs/COMPAT.md) says it does. */
#include <curl/curl.h>

#include <stdlib.h>
#include <string.h>

#include "api/easy_handle.h"
#include "api/setopt.h"
#include "impersonate/fingerprint.h"
#include "test.h"
#include "util/alloc.h"

/* A handle without curl_easy_init (easy.c is not linked here). */
static struct cn_easy *new_easy(void) {
  struct cn_easy *e = calloc(1, sizeof(*e));
  e->magic = CN_EASY_MAGIC;
  cn_easy_options_init(&e->opts);
  cn_transfer_info_reset(&e->info);
  cn_cookie_engine_init(&e->cookies);
  return e;
}

static void free_easy(struct cn_easy *e) {
  cn_cookie_engine_cleanup(&e->cookies);
  cn_easy_options_cleanup(&e->opts);
  cn_transfer_info_reset(&e->info);
  free(e);
}

TEST(defaults_are_libcurl_8_14s) {
  struct cn_easy *e = new_easy();
  const struct cn_easy_options *o = &e->opts;
  CHECK_EQ_INT(o->max_redirs, 30);
  CHECK_EQ_INT(o->postfield_size, -1);
  CHECK_EQ_INT(o->infile_size, -1);
  CHECK(o->ssl_verify_peer);
  CHECK_EQ_INT(o->ssl_verify_host, 2);
  CHECK(o->ssl_sessionid_cache);
  CHECK(o->tcp_nodelay);
  CHECK(!o->tcp_keepalive);
  CHECK(o->no_progress);
  CHECK_EQ_INT(o->dns_cache_timeout_s, 60);
  CHECK_EQ_INT(o->happy_eyeballs_ms, 200);
  CHECK_EQ_INT(o->maxage_conn_s, 118);
  CHECK_EQ_INT(o->maxlifetime_conn_s, 0);
  CHECK(o->http_content_decoding);
  CHECK(o->http_transfer_decoding);
  CHECK(o->ssl_enable_alpn);
  CHECK_EQ_INT(o->buffer_size, 16384);
  CHECK_EQ_INT(o->upload_buffer_size, 65536);
  CHECK_EQ_INT(o->expect_100_timeout_ms, 1000);
  CHECK_EQ_INT(o->tcp_keepidle_s, 60);
  CHECK_EQ_INT(o->tcp_keepintvl_s, 60);
  CHECK_EQ_INT(o->tcp_keepcnt, 9);
  CHECK_EQ_INT(o->http_version, CURL_HTTP_VERSION_NONE);
  CHECK_EQ_INT(o->http_method, CN_HTTPREQ_GET);
  CHECK_EQ_INT(o->httpauth, CURLAUTH_BASIC);
  CHECK_EQ_INT(o->maxconnects, 5);
  CHECK_EQ_INT(o->redir_protocols, CURLPROTO_HTTP | CURLPROTO_HTTPS |
                                       CURLPROTO_FTP | CURLPROTO_FTPS);
  CHECK_EQ_INT(o->protocols, (long)CURLPROTO_ALL);
  CHECK(o->write_data == stdout);
  CHECK(o->read_data == stdin);
  CHECK(o->stderr_stream == stderr);
  CHECK(o->write_fn == cn_easy_default_write_fn());
  CHECK(!o->read_fn_set);
  CHECK(o->header_separate);
  CHECK(!o->http09_allowed);
  free_easy(e);
}

TEST(bad_handle_is_bad_argument) {
  char not_a_handle[64] = {0};
  CHECK_EQ_INT(curl_easy_setopt(NULL, CURLOPT_VERBOSE, 1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(not_a_handle, CURLOPT_VERBOSE, 1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
}

TEST(table_is_sorted_and_matches_the_option_list) {
  size_t n;
  const struct cn_opt_info *t = cn_setopt_table(&n);
  for (size_t i = 1; i < n; i++)
    CHECK((int)t[i - 1].option < (int)t[i].option);
  /* every option curl_easy_option_next knows (curl.h's list) is in the
   * table; the table has the two placeholders libcurl's list leaves out */
  size_t seen = 0;
  for (const struct curl_easyoption *o = curl_easy_option_next(NULL); o;
       o = curl_easy_option_next(o)) {
    if (o->flags & CURLOT_FLAG_ALIAS)
      continue;
    seen++;
    const struct cn_opt_info *info = cn_setopt_info(o->id);
    if (!info)
      fprintf(stderr, "missing in setopt_table.h: %s\n", o->name);
    CHECK(info != NULL);
    if (info)
      CHECK(strstr(info->name, o->name) != NULL);
  }
  CHECK_EQ_INT(seen + 2, n);
  CHECK(cn_setopt_info(CURLOPT_OBSOLETE40) != NULL);
  CHECK(cn_setopt_info(CURLOPT_OBSOLETE72) != NULL);
  CHECK(cn_setopt_info((CURLoption)(CURLOPTTYPE_OBJECTPOINT + 8)) == NULL);
}

/* ---- every option does what its table entry says ---- */

static size_t dummy_cb(char *p, size_t s, size_t n, void *u) {
  (void)p;
  (void)u;
  return s * n;
}

/* A valid, non-default value of the option's type. */
static CURLcode set_sample(CURL *h, const struct cn_opt_info *info) {
  CURLoption opt = info->option;
  static char buf[CURL_ERROR_SIZE] = "x";
  static struct curl_blob blob = {"PEM", 3, CURL_BLOB_COPY};
  if (opt < CURLOPTTYPE_OBJECTPOINT) {
    long v = 1;
    if (opt == CURLOPT_FTP_SKIP_PASV_IP)
      v = 0; /* 1 is its default */
    if (opt == CURLOPT_TLS_RECORD_SIZE_LIMIT)
      v = 4001;
    return curl_easy_setopt(h, opt, v);
  }
  if (opt < CURLOPTTYPE_FUNCTIONPOINT) {
    switch (opt) {
    case CURLOPT_PROTOCOLS_STR:
    case CURLOPT_REDIR_PROTOCOLS_STR:
      return curl_easy_setopt(h, opt, "https");
    case CURLOPT_DNS_LOCAL_IP4:
      return curl_easy_setopt(h, opt, "127.0.0.1");
    case CURLOPT_DNS_LOCAL_IP6:
      return curl_easy_setopt(h, opt, "::1");
    case CURLOPT_SSLENGINE:
      return curl_easy_setopt(h, opt, "");
    case CURLOPT_SHARE:
      return curl_easy_setopt(h, opt, NULL);
    case CURLOPT_MIMEPOST: /* a curl_mime *, not any buffer */
      return curl_easy_setopt(h, opt, NULL);
    case CURLOPT_IMPERSONATE:
      return curl_easy_setopt(h, opt, "chrome156");
    /* curl-impersonate's formats */
    case CURLOPT_ECH:
      return curl_easy_setopt(h, opt, "grease");
    case CURLOPT_SSL_SIG_HASH_ALGS:
    case CURLOPT_TLS_DELEGATED_CREDENTIALS:
      return curl_easy_setopt(h, opt, "ecdsa_secp256r1_sha256");
    case CURLOPT_SSL_CERT_COMPRESSION:
      return curl_easy_setopt(h, opt, "brotli");
    case CURLOPT_HTTP2_PSEUDO_HEADERS_ORDER:
      return curl_easy_setopt(h, opt, "masp");
    case CURLOPT_HTTP2_SETTINGS:
      return curl_easy_setopt(h, opt, "1:65536");
    case CURLOPT_HTTP2_STREAMS:
      return curl_easy_setopt(h, opt, "3:0:0:200");
    case CURLOPT_TLS_EXTENSION_ORDER:
      return curl_easy_setopt(h, opt, "0-23");
    case CURLOPT_FORM_BOUNDARY:
      return curl_easy_setopt(h, opt, "webkit");
    case CURLOPT_HTTPHEADER_ORDER:
      return curl_easy_setopt(h, opt, "Host,User-Agent");
    default:
      return curl_easy_setopt(h, opt, buf);
    }
  }
  if (opt < CURLOPTTYPE_OFF_T)
    return curl_easy_setopt(h, opt, dummy_cb);
  if (opt < CURLOPTTYPE_BLOB)
    return curl_easy_setopt(h, opt, (curl_off_t)1);
  return curl_easy_setopt(h, opt, &blob);
}

/* The default value, in the option's type. */
static CURLcode set_zero(CURL *h, CURLoption opt) {
  if (opt < CURLOPTTYPE_OBJECTPOINT)
    return curl_easy_setopt(h, opt, 0L);
  if (opt < CURLOPTTYPE_OFF_T)
    return curl_easy_setopt(h, opt, NULL);
  if (opt < CURLOPTTYPE_BLOB)
    return curl_easy_setopt(h, opt, (curl_off_t)0);
  return curl_easy_setopt(h, opt, NULL);
}

TEST(every_option_answers_its_status) {
  size_t n;
  const struct cn_opt_info *t = cn_setopt_table(&n);
  for (size_t i = 0; i < n; i++) {
    struct cn_easy *e = new_easy();
    const struct cn_opt_info *info = &t[i];
    CURLcode got = set_sample(e, info);
    CURLcode want;
    switch (info->status) {
    case CN_OPT_NOT_BUILT:
      want = CURLE_NOT_BUILT_IN;
      break;
    case CN_OPT_UNKNOWN:
      want = CURLE_UNKNOWN_OPTION;
      break;
    default:
      want = CURLE_OK;
      break;
    }
    if (got != want)
      fprintf(stderr, "%s: got %d, want %d\n", info->name, got, want);
    CHECK_EQ_INT(got, want);

    /* what the not-built options still accept */
    if (info->accepts == CN_OPT_ACCEPTS_ZERO ||
        info->accepts == CN_OPT_ACCEPTS_EMPTY)
      CHECK_EQ_INT(set_zero(e, info->option), CURLE_OK);
    if (info->accepts == CN_OPT_ACCEPTS_EMPTY)
      CHECK_EQ_INT(curl_easy_setopt(e, info->option, ""), CURLE_OK);
    if (info->accepts == CN_OPT_ACCEPTS_NONE &&
        (info->status == CN_OPT_NOT_BUILT || info->status == CN_OPT_UNKNOWN))
      CHECK_EQ_INT(set_zero(e, info->option), want);
    free_easy(e);
  }
}

TEST(numbers_that_are_no_option_are_unknown) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, (CURLoption)8, 1L), CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(
      curl_easy_setopt(e, (CURLoption)(CURLOPTTYPE_OBJECTPOINT + 30), "x"),
      CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(
      curl_easy_setopt(e, (CURLoption)(CURLOPTTYPE_OFF_T + 999), (curl_off_t)1),
      CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_setopt(e, (CURLoption)(CURLOPTTYPE_BLOB + 500), NULL),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_setopt(e, (CURLoption)-1, 0L), CURLE_UNKNOWN_OPTION);
  free_easy(e);
}

/* ---- validation ---- */

TEST(negative_timeouts_are_refused) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_TIMEOUT, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, -5L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_EXPECT_100_TIMEOUT_MS, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_MAXAGE_CONN, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SERVER_RESPONSE_TIMEOUT, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(e->opts.timeout_ms, 0); /* untouched by the failures */

  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_TIMEOUT, 7L), CURLE_OK);
  CHECK_EQ_INT(e->opts.timeout_ms, 7000);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 250L), CURLE_OK);
  CHECK_EQ_INT(e->opts.connect_timeout_ms, 250);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_TIMEOUT, LONG_MAX), CURLE_OK);
  CHECK_EQ_INT(e->opts.timeout_ms, LONG_MAX); /* saturates */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, -1L), CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, -2L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, LONG_MAX),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.dns_cache_timeout_s, INT_MAX);
  free_easy(e);
}

TEST(ranges_are_checked_like_libcurl) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_MAXREDIRS, -2L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_MAXREDIRS, -1L), CURLE_OK);
  CHECK_EQ_INT(e->opts.max_redirs, -1);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 4L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, CURLFOLLOW_OBEYCODE),
               CURLE_OK);
  CHECK(e->opts.follow_location);
  CHECK_EQ_INT(e->opts.follow_mode, 2);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_POSTREDIR, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_POSTREDIR, 0xffL), CURLE_OK);
  CHECK_EQ_INT(e->opts.post_redir, CURL_REDIR_POST_ALL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_IPRESOLVE, 3L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PORT, 65536L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_LOCALPORT, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_MAXCONNECTS, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, -2L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)-2),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)-1),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(
      curl_easy_setopt(e, CURLOPT_MAX_RECV_SPEED_LARGE, (curl_off_t)1000),
      CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 3L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 2L), CURLE_OK);
  CHECK_EQ_INT(e->opts.connect_only, 2);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 0L), CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_USE_SSL, 4L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  free_easy(e);
}

TEST(buffer_sizes_are_clamped) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 10L), CURLE_OK);
  CHECK_EQ_INT(e->opts.buffer_size, 1024);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 0L), CURLE_OK);
  CHECK_EQ_INT(e->opts.buffer_size, 16384);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 100000000L), CURLE_OK);
  CHECK_EQ_INT(e->opts.buffer_size, CURL_MAX_READ_SIZE);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 102400L), CURLE_OK);
  CHECK_EQ_INT(e->opts.buffer_size, 102400);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 1L), CURLE_OK);
  CHECK_EQ_INT(e->opts.upload_buffer_size, 16384);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 1L << 30),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.upload_buffer_size, 2 * 1024 * 1024);
  free_easy(e);
}

TEST(ssl_version_values) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(
      curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_SSLv3),
      CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(
      curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_SSLv2),
      CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(
      curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_LAST),
      CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(
                   e, CURLOPT_SSLVERSION,
                   (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_LAST)),
               CURLE_BAD_FUNCTION_ARGUMENT);
  long v = CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_3;
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SSLVERSION, v), CURLE_OK);
  CHECK_EQ_INT(e->opts.ssl_version, v);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 1L), CURLE_OK);
  CHECK_EQ_INT(e->opts.ssl_verify_host, 2); /* 1 means 2 */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L), CURLE_OK);
  CHECK_EQ_INT(e->opts.ssl_verify_host, 0);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SSLENGINE, "pkcs11"),
               CURLE_SSL_ENGINE_NOTFOUND);
  free_easy(e);
}

TEST(http_versions_without_http3) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.http_version, CURL_HTTP_VERSION_1_1);
  long h2[] = {CURL_HTTP_VERSION_2_0, CURL_HTTP_VERSION_2TLS,
               CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE};
  for (size_t i = 0; i < 3; i++) {
    CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, h2[i]), CURLE_OK);
    CHECK_EQ_INT(e->opts.http_version, h2[i]);
  }
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_3),
               CURLE_UNSUPPORTED_PROTOCOL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, 99L),
               CURLE_UNSUPPORTED_PROTOCOL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(e->opts.http_version, CURL_HTTP_VERSION_1_1);
  free_easy(e);
}

TEST(httpauth_keeps_the_built_schemes) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_DIGEST);
  CHECK(!e->opts.httpauth_digest_ie);
  /* NTLM is built; Negotiate is not: alone it is refused. */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_NTLM),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_NTLM);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_NEGOTIATE),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_DIGEST);
  /* ANY keeps everything built, and the ONLY bit it carries */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_ANY), CURLE_OK);
  CHECK(e->opts.httpauth ==
        (CURLAUTH_ANY & ~CURLAUTH_NEGOTIATE));
  CHECK(e->opts.httpauth & CURLAUTH_ONLY);
  /* DIGEST_IE is Digest plus the IE-style flag */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST_IE),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_DIGEST);
  CHECK(e->opts.httpauth_digest_ie);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_ONLY),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_NONE), CURLE_OK);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_NONE);
  /* CURLOPT_AWS_SIGV4 makes SigV4 the scheme; clearing it does not undo */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_AWS_SIGV4, "aws:amz"), CURLE_OK);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_AWS_SIGV4);
  CHECK_EQ_STR(e->opts.aws_sigv4, "aws:amz");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_AWS_SIGV4, NULL), CURLE_OK);
  CHECK_EQ_INT(e->opts.httpauth, CURLAUTH_BASIC);
  /* CURLOPT_NETRC takes CURL_NETRC_IGNORED..REQUIRED */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_REQUIRED),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.netrc, CURL_NETRC_REQUIRED);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_LAST),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_NETRC, -1L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(e->opts.netrc, CURL_NETRC_REQUIRED);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_XOAUTH2_BEARER, "tok"), CURLE_OK);
  CHECK_EQ_STR(e->opts.xoauth2_bearer, "tok");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_NETRC_FILE, "/x/.netrc"),
               CURLE_OK);
  CHECK_EQ_STR(e->opts.netrc_file, "/x/.netrc");
  free_easy(e);
}

/* ---- strings ---- */

TEST(strings_are_copied_and_null_resets) {
  struct cn_easy *e = new_easy();
  char url[] = "http://example.com/";
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_URL, url), CURLE_OK);
  url[7] = 'X';
  CHECK_EQ_STR(e->opts.url, "http://example.com/");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_URL, NULL), CURLE_OK);
  CHECK(e->opts.url == NULL);

  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""), CURLE_OK);
  CHECK_EQ_STR(e->opts.accept_encoding, "deflate, gzip, br, zstd");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip"), CURLE_OK);
  CHECK_EQ_STR(e->opts.accept_encoding, "gzip");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, NULL), CURLE_OK);
  CHECK(e->opts.accept_encoding == NULL);

  char *huge = malloc(8000002);
  memset(huge, 'a', 8000001);
  huge[8000001] = '\0';
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_USERAGENT, huge),
               CURLE_BAD_FUNCTION_ARGUMENT);
  free(huge);
  free_easy(e);
}

TEST(userpwd_splits_at_first_colon) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_USERPWD, "al:ice:pw"), CURLE_OK);
  CHECK_EQ_STR(e->opts.username, "al");
  CHECK_EQ_STR(e->opts.password, "ice:pw");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_USERPWD, "bob"), CURLE_OK);
  CHECK_EQ_STR(e->opts.username, "bob");
  CHECK(e->opts.password == NULL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_USERPWD, NULL), CURLE_OK);
  CHECK(e->opts.username == NULL);
  free_easy(e);
}

TEST(protocols_str) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "HTTPS"), CURLE_OK);
  CHECK_EQ_INT(e->opts.protocols, CURLPROTO_HTTPS);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,,https,"),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.protocols, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,ftp"),
               CURLE_UNSUPPORTED_PROTOCOL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, ","),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(e->opts.protocols, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "all"), CURLE_OK);
  CHECK_EQ_INT(e->opts.protocols, (long)CURLPROTO_ALL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https"),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, NULL),
               CURLE_OK);
  CHECK_EQ_INT(e->opts.redir_protocols, CURLPROTO_HTTP | CURLPROTO_HTTPS |
                                            CURLPROTO_FTP | CURLPROTO_FTPS);
  free_easy(e);
}

TEST(dns_local_ip_must_be_an_address) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_LOCAL_IP4, "::1"),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_LOCAL_IP6, "10.0.0.1"),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_LOCAL_IP4, "10.0.0.1"),
               CURLE_OK);
  CHECK_EQ_STR(e->opts.dns_local_ip4, "10.0.0.1");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_DNS_LOCAL_IP4, ""), CURLE_OK);
  free_easy(e);
}

/* ---- the body and the method ---- */

TEST(copypostfields_copies_size_bytes) {
  struct cn_easy *e = new_easy();
  char data[] = {'a', '\0', 'b', 'c'};
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 4L), CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, data), CURLE_OK);
  data[2] = 'X';
  CHECK(e->opts.postfields == e->opts.copied_postfields);
  CHECK(memcmp(e->opts.postfields, "a\0bc", 4) == 0);
  CHECK(e->opts.post);
  CHECK_EQ_INT(e->opts.http_method, CN_HTTPREQ_POST);
  /* a larger size would read past the copy: libcurl drops it */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)10),
               CURLE_OK);
  CHECK(e->opts.postfields == NULL);
  CHECK(e->opts.copied_postfields == NULL);
  /* POSTFIELDS points at the program's data */
  static const char fields[] = "x=1";
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_POSTFIELDS, fields), CURLE_OK);
  CHECK(e->opts.postfields == fields);
  free_easy(e);
}

TEST(method_follows_libcurls_rules) {
  struct cn_easy *e = new_easy();
  struct cn_easy_options *o = &e->opts;
  curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  CHECK(o->no_body);
  CHECK_EQ_INT(o->http_method, CN_HTTPREQ_HEAD);
  /* UPLOAD=0 makes it a GET but leaves NOBODY on, as libcurl */
  curl_easy_setopt(e, CURLOPT_UPLOAD, 0L);
  CHECK_EQ_INT(o->http_method, CN_HTTPREQ_GET);
  CHECK(o->no_body);
  curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
  CHECK_EQ_INT(o->http_method, CN_HTTPREQ_PUT);
  CHECK(o->upload);
  CHECK(!o->no_body);
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  CHECK(o->post);
  CHECK(!o->upload);
  curl_easy_setopt(e, CURLOPT_NOBODY, 0L); /* not HEAD: stays POST */
  CHECK_EQ_INT(o->http_method, CN_HTTPREQ_POST);
  curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  CHECK_EQ_INT(o->http_method, CN_HTTPREQ_GET);
  CHECK(o->http_get);
  CHECK(!o->no_body);
  free_easy(e);
}

TEST(callbacks_null_restores_defaults) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, dummy_cb), CURLE_OK);
  CHECK(e->opts.write_fn == dummy_cb);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, NULL), CURLE_OK);
  CHECK(e->opts.write_fn == cn_easy_default_write_fn());
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_READFUNCTION, dummy_cb), CURLE_OK);
  CHECK(e->opts.read_fn_set);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_READFUNCTION, NULL), CURLE_OK);
  CHECK(!e->opts.read_fn_set);
  CHECK(e->opts.read_fn == cn_easy_default_read_fn());
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_STDERR, NULL), CURLE_OK);
  CHECK(e->opts.stderr_stream == stderr);
  free_easy(e);
}

TEST(not_built_options_accept_only_no_op_values) {
  struct cn_easy *e = new_easy();
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROXY_SERVICE_NAME, NULL),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROXY_SERVICE_NAME, "HTTP"),
               CURLE_NOT_BUILT_IN);
  /* Proxies are built: values are recorded and checked like libcurl's. */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROXY, "http://proxy:3128"),
               CURLE_OK);
  CHECK_EQ_STR(e->opts.proxy, "http://proxy:3128");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROXYTYPE, 99L),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_PROXYUSERPWD, "u:p:q"), CURLE_OK);
  CHECK_EQ_STR(e->opts.proxy_user, "u");
  CHECK_EQ_STR(e->opts.proxy_password, "p:q");
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_QUOTE, NULL), CURLE_OK);
  struct curl_slist item = {"NOOP", NULL};
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_QUOTE, &item), CURLE_UNKNOWN_OPTION);
  /* libcurl without FTP: unknown whatever the value */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_FTP_SKIP_PASV_IP, 1L),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_FTP_SKIP_PASV_IP, 0L),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_SSL_FALSESTART, 0L),
               CURLE_NOT_BUILT_IN);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_IMPERSONATE, "nosuch"),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_IMPERSONATE, "chrome156"),
               CURLE_OK);
  CHECK_EQ_INT(curl_easy_impersonate(e, "firefox", 0), CURLE_OK);
  CHECK_EQ_INT(curl_easy_impersonate(NULL, "chrome136", 1),
               CURLE_BAD_FUNCTION_ARGUMENT);
  free_easy(e);
}

/* What the curl tool (7.88.1 and 8.14.1) sets on every plain HTTPS
 * transfer, with its default values: none of it may fail. (7.88.1 also sets
 * CURLOPT_FTP_SKIP_PASV_IP, whose CURLE_UNKNOWN_OPTION it ignores, as with
 * a libcurl built without FTP.) */
static int tool_cb(void) { return 0; }

TEST(curl_tool_default_setopts_succeed) {
  struct cn_easy *e = new_easy();
  char errbuf[CURL_ERROR_SIZE];
  int per = 0;
  struct {
    CURLoption opt;
    int kind; /* 0 long, 1 pointer, 2 function, 3 off_t */
    long num;
    const void *ptr;
  } calls[] = {
      {CURLOPT_SHARE, 1, 0, NULL},
      {CURLOPT_QUICK_EXIT, 0, 1, NULL},
      {CURLOPT_BUFFERSIZE, 0, 102400, NULL},
      {CURLOPT_URL, 1, 0, "https://localhost/"},
      {CURLOPT_NOPROGRESS, 0, 1, NULL},
      {CURLOPT_WRITEDATA, 1, 0, &per},
      {CURLOPT_INTERLEAVEDATA, 1, 0, &per},
      {CURLOPT_WRITEFUNCTION, 2, 0, NULL},
      {CURLOPT_READDATA, 1, 0, &per},
      {CURLOPT_READFUNCTION, 2, 0, NULL},
      {CURLOPT_SEEKDATA, 1, 0, &per},
      {CURLOPT_SEEKFUNCTION, 2, 0, NULL},
      {CURLOPT_HEADERFUNCTION, 2, 0, NULL},
      {CURLOPT_HEADERDATA, 1, 0, &per},
      {CURLOPT_NOBODY, 0, 0, NULL},
      {CURLOPT_XOAUTH2_BEARER, 1, 0, NULL},
      {CURLOPT_PROXY, 1, 0, NULL},
      {CURLOPT_PROXYUSERPWD, 1, 0, NULL},
      {CURLOPT_HTTPPROXYTUNNEL, 0, 0, NULL},
      {CURLOPT_NOPROXY, 1, 0, NULL},
      {CURLOPT_SUPPRESS_CONNECT_HEADERS, 0, 0, NULL},
      {CURLOPT_FAILONERROR, 0, 0, NULL},
      {CURLOPT_REQUEST_TARGET, 1, 0, NULL},
      {CURLOPT_UPLOAD, 0, 0, NULL},
      {CURLOPT_DIRLISTONLY, 0, 0, NULL},
      {CURLOPT_APPEND, 0, 0, NULL},
      {CURLOPT_NETRC, 0, CURL_NETRC_IGNORED, NULL},
      {CURLOPT_TRANSFERTEXT, 0, 0, NULL},
      {CURLOPT_USERPWD, 1, 0, NULL},
      {CURLOPT_RANGE, 1, 0, NULL},
      {CURLOPT_ERRORBUFFER, 1, 0, errbuf},
      {CURLOPT_TIMEOUT_MS, 0, 0, NULL},
      {CURLOPT_HTTPHEADER, 1, 0, NULL},
      {CURLOPT_REFERER, 1, 0, NULL},
      {CURLOPT_USERAGENT, 1, 0, "curl/8.14.1"},
      {CURLOPT_FOLLOWLOCATION, 0, 0, NULL},
      {CURLOPT_UNRESTRICTED_AUTH, 0, 0, NULL},
      {CURLOPT_AWS_SIGV4, 1, 0, NULL},
      {CURLOPT_AUTOREFERER, 0, 0, NULL},
      {CURLOPT_MAXREDIRS, 0, 50, NULL},
      {CURLOPT_POSTREDIR, 0, 0, NULL},
      {CURLOPT_HTTP09_ALLOWED, 0, 0, NULL},
      {CURLOPT_COOKIESESSION, 0, 0, NULL},
      {CURLOPT_LOW_SPEED_LIMIT, 0, 0, NULL},
      {CURLOPT_LOW_SPEED_TIME, 0, 0, NULL},
      {CURLOPT_MAX_SEND_SPEED_LARGE, 3, 0, NULL},
      {CURLOPT_MAX_RECV_SPEED_LARGE, 3, 0, NULL},
      {CURLOPT_RESUME_FROM_LARGE, 3, 0, NULL},
      {CURLOPT_KEYPASSWD, 1, 0, NULL},
      {CURLOPT_PROXY_KEYPASSWD, 1, 0, NULL},
      {CURLOPT_SSLCERT, 1, 0, NULL},
      {CURLOPT_PROXY_SSLCERT, 1, 0, NULL},
      {CURLOPT_SSLCERTTYPE, 1, 0, NULL},
      {CURLOPT_PROXY_SSLCERTTYPE, 1, 0, NULL},
      {CURLOPT_SSLKEY, 1, 0, NULL},
      {CURLOPT_PROXY_SSLKEY, 1, 0, NULL},
      {CURLOPT_SSLKEYTYPE, 1, 0, NULL},
      {CURLOPT_PROXY_SSLKEYTYPE, 1, 0, NULL},
      {CURLOPT_SSLVERSION, 0, CURL_SSLVERSION_TLSv1_2, NULL},
      {CURLOPT_CRLF, 0, 0, NULL},
      {CURLOPT_QUOTE, 1, 0, NULL},
      {CURLOPT_POSTQUOTE, 1, 0, NULL},
      {CURLOPT_PREQUOTE, 1, 0, NULL},
      {CURLOPT_TIMECONDITION, 0, CURL_TIMECOND_NONE, NULL},
      {CURLOPT_TIMEVALUE_LARGE, 3, 0, NULL},
      {CURLOPT_CUSTOMREQUEST, 1, 0, NULL},
      {CURLOPT_STDERR, 1, 0, NULL},
      {CURLOPT_INTERFACE, 1, 0, NULL},
      {CURLOPT_KRBLEVEL, 1, 0, NULL},
      {CURLOPT_TELNETOPTIONS, 1, 0, NULL},
      {CURLOPT_CONNECTTIMEOUT_MS, 0, 0, NULL},
      {CURLOPT_DOH_URL, 1, 0, NULL},
      {CURLOPT_FTP_CREATE_MISSING_DIRS, 0, CURLFTP_CREATE_DIR_NONE, NULL},
      {CURLOPT_MAXFILESIZE_LARGE, 3, 0, NULL},
      {CURLOPT_IPRESOLVE, 0, CURL_IPRESOLVE_WHATEVER, NULL},
      {CURLOPT_SERVICE_NAME, 1, 0, NULL},
      {CURLOPT_FTP_ACCOUNT, 1, 0, NULL},
      {CURLOPT_IGNORE_CONTENT_LENGTH, 0, 0, NULL},
      {CURLOPT_FTP_ALTERNATIVE_TO_USER, 1, 0, NULL},
      {CURLOPT_TCP_KEEPALIVE, 0, 1, NULL},
      {CURLOPT_MAIL_RCPT, 1, 0, NULL},
      {CURLOPT_MAIL_RCPT_ALLOWFAILS, 0, 0, NULL},
      {CURLOPT_RESOLVE, 1, 0, NULL},
      {CURLOPT_CONNECT_TO, 1, 0, NULL},
      {CURLOPT_SASL_IR, 0, 0, NULL},
      {CURLOPT_DEFAULT_PROTOCOL, 1, 0, NULL},
      {CURLOPT_TFTP_NO_OPTIONS, 0, 0, NULL},
      {CURLOPT_DISALLOW_USERNAME_IN_URL, 0, 0, NULL},
      {CURLOPT_UPLOAD_FLAGS, 0, 0, NULL},
      {CURLOPT_NOSIGNAL, 0, 1, NULL},
      {CURLOPT_POSTFIELDS, 1, 0, "a=b"},
      {CURLOPT_POSTFIELDSIZE_LARGE, 3, 3, NULL},
      {CURLOPT_ACCEPT_ENCODING, 1, 0, ""},
  };
  for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
    CURLcode rc;
    switch (calls[i].kind) {
    case 0:
      rc = curl_easy_setopt(e, calls[i].opt, calls[i].num);
      break;
    case 1:
      rc = curl_easy_setopt(e, calls[i].opt, calls[i].ptr);
      break;
    case 2:
      rc = curl_easy_setopt(e, calls[i].opt, tool_cb);
      break;
    default:
      rc = curl_easy_setopt(e, calls[i].opt, (curl_off_t)calls[i].num);
      break;
    }
    if (rc != CURLE_OK)
      fprintf(stderr, "curl tool option %d failed: %d\n", (int)calls[i].opt,
              rc);
    CHECK_EQ_INT(rc, CURLE_OK);
  }
  free_easy(e);
}

/* ---- duphandle's copy ---- */

TEST(copy_is_deep_and_drops_the_share) {
  struct cn_easy *e = new_easy();
  curl_easy_setopt(e, CURLOPT_URL, "http://a/");
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 3L);
  curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, "xyz");
  static struct curl_blob blob = {"PEMDATA", 7, CURL_BLOB_NOCOPY};
  curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
  CURLSH *sh = curl_share_init();
  curl_easy_setopt(e, CURLOPT_SHARE, sh);

  struct cn_easy_options copy;
  CHECK_EQ_INT(cn_easy_options_copy(&copy, &e->opts), CURLE_OK);
  CHECK(copy.url != e->opts.url);
  CHECK_EQ_STR(copy.url, "http://a/");
  CHECK(copy.copied_postfields != e->opts.copied_postfields);
  CHECK(copy.postfields == copy.copied_postfields);
  CHECK(memcmp(copy.postfields, "xyz", 3) == 0);
  CHECK(copy.blobs[CN_BLOB_CAINFO].data != e->opts.blobs[CN_BLOB_CAINFO].data);
  CHECK_EQ_INT(copy.blobs[CN_BLOB_CAINFO].len, 7);
  CHECK(copy.share == NULL);
  cn_easy_options_cleanup(&copy);

  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_IN_USE);
  free_easy(e);
  CHECK_EQ_INT(curl_share_cleanup(sh), CURLSHE_OK);
}

/* A counting allocator: every allocation failure path must free what it
 * took. */
static long live;
static void *count_malloc(size_t n) {
  live++;
  return malloc(n);
}
static void count_free(void *p) {
  if (p)
    live--;
  free(p);
}
static void *count_realloc(void *p, size_t n) {
  if (!p)
    live++;
  return realloc(p, n);
}
static char *count_strdup(const char *s) {
  live++;
  return strdup(s);
}
static void *count_calloc(size_t a, size_t b) {
  live++;
  return calloc(a, b);
}

TEST(copy_fails_cleanly_at_every_allocation) {
  cn_alloc_set_functions(count_malloc, count_free, count_realloc, count_strdup,
                         count_calloc);
  struct cn_easy *e = new_easy();
  curl_easy_setopt(e, CURLOPT_URL, "http://a/");
  curl_easy_setopt(e, CURLOPT_USERAGENT, "ua");
  curl_easy_setopt(e, CURLOPT_USERPWD, "u:p");
  curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, "body");
  static struct curl_blob blob = {"PEM", 3, CURL_BLOB_COPY};
  curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
  long before = live;
  int failures = 0;
  for (long nth = 1; nth < 50; nth++) {
    struct cn_easy_options copy;
    cn_alloc_fail_nth(nth);
    CURLcode rc = cn_easy_options_copy(&copy, &e->opts);
    cn_alloc_fail_nth(0);
    if (rc == CURLE_OK) {
      cn_easy_options_cleanup(&copy);
      CHECK_EQ_INT(live, before);
      break;
    }
    failures++;
    CHECK_EQ_INT(rc, CURLE_OUT_OF_MEMORY);
    CHECK(copy.url == NULL);
    CHECK_EQ_INT(live, before);
  }
  CHECK(failures >= 6); /* url, ua, user, password, body, blob */
  free_easy(e);
  CHECK_EQ_INT(live, 0);
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST(setopt_out_of_memory_keeps_the_old_value) {
  struct cn_easy *e = new_easy();
  curl_easy_setopt(e, CURLOPT_URL, "http://old/");
  cn_alloc_fail_nth(1);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_URL, "http://new/"),
               CURLE_OUT_OF_MEMORY);
  cn_alloc_fail_nth(0);
  CHECK_EQ_STR(e->opts.url, "http://old/");
  free_easy(e);
}

TEST(fingerprint_options_record_and_explain) {
  struct cn_easy *e = new_easy();
  char eb[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, eb);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP2_SETTINGS, "1:65536;4:6291456"),
               CURLE_OK);
  CHECK(e->opts.fingerprint != NULL);
  CHECK(e->opts.fingerprint->set & CN_FP_H2_SETTINGS);
  CHECK_EQ_INT(e->opts.fingerprint->num_h2_settings, 2);
  /* A bad value is refused, names the problem and keeps the old one. */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP2_SETTINGS, "1:x"),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK(strstr(eb, "CURLOPT_HTTP2_SETTINGS: ") == eb);
  CHECK(strstr(eb, "'1:x'") != NULL);
  CHECK_EQ_INT(e->opts.fingerprint->num_h2_settings, 2);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_TLS_GREASE, 1L), CURLE_OK);
  /* duphandle copies the overrides. */
  struct cn_easy_options copy;
  CHECK_EQ_INT(cn_easy_options_copy(&copy, &e->opts), CURLE_OK);
  CHECK(copy.fingerprint && copy.fingerprint != e->opts.fingerprint);
  CHECK(copy.fingerprint->set & CN_FP_GREASE);
  cn_easy_options_cleanup(&copy);
  /* NULL drops one override; the target drops them all. */
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_HTTP2_SETTINGS, NULL), CURLE_OK);
  CHECK(!(e->opts.fingerprint->set & CN_FP_H2_SETTINGS));
  CHECK(e->opts.fingerprint->set & CN_FP_GREASE);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_IMPERSONATE, "firefox"), CURLE_OK);
  CHECK(e->opts.fingerprint == NULL);
  CHECK_EQ_INT(curl_easy_setopt(e, CURLOPT_TLS_GREASE, 0L), CURLE_OK);
  CHECK(e->opts.fingerprint->set == CN_FP_GREASE);
  free_easy(e);
}

TEST_MAIN(defaults_are_libcurl_8_14s, bad_handle_is_bad_argument,
          table_is_sorted_and_matches_the_option_list,
          every_option_answers_its_status,
          numbers_that_are_no_option_are_unknown, negative_timeouts_are_refused,
          ranges_are_checked_like_libcurl, buffer_sizes_are_clamped,
          ssl_version_values, http_versions_without_http3,
          httpauth_keeps_the_built_schemes, strings_are_copied_and_null_resets,
          userpwd_splits_at_first_colon, protocols_str,
          dns_local_ip_must_be_an_address, copypostfields_copies_size_bytes,
          method_follows_libcurls_rules, callbacks_null_restores_defaults,
          not_built_options_accept_only_no_op_values,
          curl_tool_default_setopts_succeed, copy_is_deep_and_drops_the_share,
          copy_fails_cleanly_at_every_allocation,
          fingerprint_options_record_and_explain,
          setopt_out_of_memory_keeps_the_old_value)
