/* getinfo_test.c: curl_easy_getinfo's answers per type class, before a
 * transfer (libcurl's values) and from a filled-in cn_transfer_info. */
#include <curl/curl.h>

#include <stdlib.h>
#include <string.h>

#include "api/easy_handle.h"
#include "test.h"
#include "util/alloc.h"

static struct cn_easy *new_easy(void) {
  struct cn_easy *e = calloc(1, sizeof(*e));
  e->magic = CN_EASY_MAGIC;
  cn_easy_options_init(&e->opts);
  cn_transfer_info_reset(&e->info);
  return e;
}

static void free_easy(struct cn_easy *e) {
  cn_easy_options_cleanup(&e->opts);
  cn_transfer_info_reset(&e->info);
  free(e);
}

TEST(before_any_transfer) {
  struct cn_easy *e = new_easy();
  long l = 99;
  double d = 99;
  curl_off_t o = 99;
  const char *s = "unset";
  curl_socket_t sock = 99;

  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &l), CURLE_OK);
  CHECK_EQ_INT(l, 0);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s), CURLE_OK);
  CHECK_EQ_STR(s, "");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &o),
               CURLE_OK);
  CHECK_EQ_INT(o, -1);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD, &d),
               CURLE_OK);
  CHECK(d == -1.0);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_FILETIME, &l), CURLE_OK);
  CHECK_EQ_INT(l, -1);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_LASTSOCKET, &l), CURLE_OK);
  CHECK_EQ_INT(l, -1);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_ACTIVESOCKET, &sock), CURLE_OK);
  CHECK_EQ_INT(sock, CURL_SOCKET_BAD);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CONN_ID, &o), CURLE_OK);
  CHECK_EQ_INT(o, -1);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_XFER_ID, &o), CURLE_OK);
  CHECK_EQ_INT(o, -1);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_SCHEME, &s), CURLE_OK);
  CHECK(s == NULL);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &s), CURLE_OK);
  CHECK_EQ_STR(s, "");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &s), CURLE_OK);
  CHECK(s == NULL);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_EFFECTIVE_METHOD, &s), CURLE_OK);
  CHECK_EQ_STR(s, "GET");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CAINFO, &s), CURLE_OK);
  CHECK_EQ_STR(s, "/etc/ssl/certs/ca-certificates.crt");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CAPATH, &s), CURLE_OK);
  CHECK_EQ_STR(s, "/etc/ssl/certs");
  free_easy(e);
}

TEST(answers_from_the_options) {
  struct cn_easy *e = new_easy();
  const char *s = NULL;
  void *p = NULL;
  int token;
  curl_easy_setopt(e, CURLOPT_URL, "http://example.com/x");
  curl_easy_setopt(e, CURLOPT_PRIVATE, &token);
  curl_easy_setopt(e, CURLOPT_REFERER, "http://ref/");
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, "a=b");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s), CURLE_OK);
  CHECK_EQ_STR(s, "http://example.com/x");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_PRIVATE, &p), CURLE_OK);
  CHECK(p == &token);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_REFERER, &s), CURLE_OK);
  CHECK_EQ_STR(s, "http://ref/");
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_EFFECTIVE_METHOD, &s), CURLE_OK);
  CHECK_EQ_STR(s, "POST");
  curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  curl_easy_getinfo(e, CURLINFO_EFFECTIVE_METHOD, &s);
  CHECK_EQ_STR(s, "HEAD");
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PATCH");
  curl_easy_getinfo(e, CURLINFO_EFFECTIVE_METHOD, &s);
  CHECK_EQ_STR(s, "PATCH");
  free_easy(e);
}

TEST(answers_from_the_transfer_info) {
  struct cn_easy *e = new_easy();
  struct cn_transfer_info *i = &e->info;
  i->response_code = 304;
  i->http_version = CURL_HTTP_VERSION_1_1;
  i->total_time_us = 1500000;
  i->starttransfer_time_us = 250;
  i->size_download = 12345;
  i->speed_download = 800;
  i->primary_port = 443;
  i->conn_id = 7;
  i->xfer_id = 3;
  i->active_socket = 5;
  i->effective_url = cn_strdup("https://example.com/final");
  i->content_type = cn_strdup("text/html");
  strcpy(i->primary_ip, "127.0.0.1");
  strcpy(i->scheme, "https");

  long l = 0;
  double d = 0;
  curl_off_t o = 0;
  const char *s = NULL;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &l);
  CHECK_EQ_INT(l, 304);
  curl_easy_getinfo(e, CURLINFO_CONDITION_UNMET, &l);
  CHECK_EQ_INT(l, 1); /* a 304 is an unmet condition */
  curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &l);
  CHECK_EQ_INT(l, CURL_HTTP_VERSION_1_1);
  curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &d);
  CHECK(d > 1.4999 && d < 1.5001);
  curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &o);
  CHECK_EQ_INT(o, 1500000);
  curl_easy_getinfo(e, CURLINFO_STARTTRANSFER_TIME, &d);
  CHECK(d > 0.000249 && d < 0.000251);
  curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD, &d);
  CHECK(d == 12345.0);
  curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &o);
  CHECK_EQ_INT(o, 12345);
  curl_easy_getinfo(e, CURLINFO_SPEED_DOWNLOAD_T, &o);
  CHECK_EQ_INT(o, 800);
  curl_easy_getinfo(e, CURLINFO_PRIMARY_PORT, &l);
  CHECK_EQ_INT(l, 443);
  curl_easy_getinfo(e, CURLINFO_CONN_ID, &o);
  CHECK_EQ_INT(o, 7);
  curl_easy_getinfo(e, CURLINFO_XFER_ID, &o);
  CHECK_EQ_INT(o, 3);
  curl_easy_getinfo(e, CURLINFO_LASTSOCKET, &l);
  CHECK_EQ_INT(l, 5);
  curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s);
  CHECK_EQ_STR(s, "https://example.com/final");
  curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &s);
  CHECK_EQ_STR(s, "text/html");
  curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &s);
  CHECK_EQ_STR(s, "127.0.0.1");
  curl_easy_getinfo(e, CURLINFO_SCHEME, &s);
  CHECK_EQ_STR(s, "https");
  curl_easy_getinfo(e, CURLINFO_PROTOCOL, &l);
  CHECK_EQ_INT(l, CURLPROTO_HTTPS);
  free_easy(e); /* frees the strings above */
}

TEST(pointer_answers) {
  struct cn_easy *e = new_easy();
  struct curl_certinfo *ci = NULL;
  struct curl_tlssessioninfo *tsi = NULL;
  struct curl_slist *list = (struct curl_slist *)1;
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_CERTINFO, &ci), CURLE_OK);
  CHECK(ci != NULL);
  if (ci)
    CHECK_EQ_INT(ci->num_of_certs, 0);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_TLS_SSL_PTR, &tsi), CURLE_OK);
  CHECK(tsi != NULL);
  if (tsi) {
    CHECK_EQ_INT(tsi->backend, CURLSSLBACKEND_OPENSSL);
    CHECK(tsi->internals == NULL);
  }
  int fake_ssl;
  e->info.tls_ssl = &fake_ssl;
  curl_easy_getinfo(e, CURLINFO_TLS_SSL_PTR, &tsi);
  CHECK(tsi && tsi->internals == &fake_ssl);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_COOKIELIST, &list), CURLE_OK);
  CHECK(list == NULL);
  list = (struct curl_slist *)1;
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_SSL_ENGINES, &list), CURLE_OK);
  CHECK(list == NULL);
  free_easy(e);
}

TEST(errors_are_libcurls) {
  struct cn_easy *e = new_easy();
  long l;
  const char *s;
  char not_a_handle[64] = {0};
  CHECK_EQ_INT(curl_easy_getinfo(NULL, CURLINFO_RESPONSE_CODE, &l),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_easy_getinfo(not_a_handle, CURLINFO_RESPONSE_CODE, &l),
               CURLE_BAD_FUNCTION_ARGUMENT);
  /* unknown numbers, wrong type bits and a NULL pointer */
  CHECK_EQ_INT(curl_easy_getinfo(e, (CURLINFO)(CURLINFO_LONG + 999), &l),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_getinfo(e, (CURLINFO)(CURLINFO_LONG + 1), &l),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_getinfo(e, (CURLINFO)(0x700000 + 2), &l),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_NONE, &l), CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, NULL),
               CURLE_UNKNOWN_OPTION);
  /* not built: RTSP */
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_RTSP_SESSION_ID, &s),
               CURLE_UNKNOWN_OPTION);
  CHECK_EQ_INT(curl_easy_getinfo(e, CURLINFO_RTSP_CSEQ_RECV, &l),
               CURLE_UNKNOWN_OPTION);
  free_easy(e);
}

/* Every CURLINFO of curl.h (CURLINFO_LASTONE) answers OK, except RTSP. */
TEST(every_info_answers) {
  struct cn_easy *e = new_easy();
  static const int bases[] = {CURLINFO_STRING, CURLINFO_LONG,   CURLINFO_DOUBLE,
                              CURLINFO_SLIST,  CURLINFO_SOCKET, CURLINFO_OFF_T};
  int known = 0;
  for (int n = 1; n <= CURLINFO_LASTONE; n++) {
    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
      union {
        long l;
        double d;
        curl_off_t o;
        void *p;
        curl_socket_t s;
      } out;
      if (curl_easy_getinfo(e, (CURLINFO)(bases[b] + n), &out) == CURLE_OK)
        known++;
    }
  }
  /* 4 RTSP infos are not built; CURLINFO_LASTONE is 70 and the numbers
   * 7..10 and 14..16 exist in two types */
  CHECK_EQ_INT(known, 70 + 7 - 4);
  free_easy(e);
}

TEST_MAIN(before_any_transfer, answers_from_the_options,
          answers_from_the_transfer_info, pointer_answers, errors_are_libcurls,
          every_info_answers)
