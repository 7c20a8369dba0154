/* ws_client.c: drives curlium's WebSocket and CONNECT_ONLY APIs for
 * test_websocket.py. Prints one line per event.
 *
 *   ws_client frames URL      CONNECT_ONLY=2: a script of curl_ws_send /
 *                             curl_ws_recv calls (text, binary, fragments,
 *                             CURLWS_OFFSET, ping, close), each result
 *   ws_client recv URL        CONNECT_ONLY=2: sends "please <cmd>" (argv[3])
 *                             and prints what curl_ws_recv returns until an
 *                             error or a CLOSE
 *   ws_client callback URL    no CONNECT_ONLY: frames to the write callback
 *                             with curl_ws_meta; answers "bye" with a CLOSE
 *   ws_client raw URL         CONNECT_ONLY=1 on http(s): a GET by
 *                             curl_easy_send, the answer by curl_easy_recv
 *   Options after the mode's arguments: "insecure" (no TLS verification),
 *   "rawmode" (CURLWS_RAW_MODE), "nopong" (CURLWS_NOAUTOPONG),
 *   "httpheaders" (CURLOPT_HTTPHEADER "X-Http: yes" with
 *   CURLOPT_HTTPHEADER_ORDER "X-Http,Host"), "wsheaders" (CURLOPT_WS_HTTPHEADER
 *   "X-Ws: yes", "User-Agent: ws-agent" with CURLOPT_WS_HTTPHEADER_ORDER
 *   "X-Ws,User-Agent,Host"). */
#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has_opt(int argc, char **argv, const char *opt) {
  for (int i = 3; i < argc; i++)
    if (strcmp(argv[i], opt) == 0)
      return 1;
  return 0;
}

static void wait_socket(CURL *c, short events) {
  curl_socket_t fd = CURL_SOCKET_BAD;
  curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, &fd);
  struct pollfd p = {.fd = fd, .events = events};
  poll(&p, 1, 300);
}

static CURLcode send_all(CURL *c, const char *buf, size_t len,
                         curl_off_t fragsize, unsigned flags) {
  size_t sent = 0;
  CURLcode rc;
  for (;;) {
    rc = curl_ws_send(c, buf, len, &sent, fragsize, flags);
    if (rc != CURLE_AGAIN)
      break;
    wait_socket(c, POLLOUT);
  }
  printf("send flags=%u len=%zu -> %d sent=%zu\n", flags, len, (int)rc, sent);
  return rc;
}

/* recv_one waits for one piece and prints it. */
static CURLcode recv_one(CURL *c, char *buf, size_t len, int *out_flags) {
  size_t n = 0;
  const struct curl_ws_frame *m = NULL;
  CURLcode rc;
  for (int tries = 0; tries < 7; tries++) {
    rc = curl_ws_recv(c, buf, len, &n, &m);
    if (rc != CURLE_AGAIN)
      break;
    wait_socket(c, POLLIN);
  }
  if (rc == CURLE_OK && m) {
    printf("recv rc=0 flags=%d offset=%lld bytesleft=%lld len=%zu "
           "data=%.*s\n",
           m->flags, (long long)m->offset, (long long)m->bytesleft, n,
           (int)n, buf);
    if (out_flags)
      *out_flags = m->flags;
  } else {
    printf("recv rc=%d\n", (int)rc);
  }
  return rc;
}

static int frames(CURL *c) {
  char buf[256];
  int flags = 0;
  send_all(c, "hello", 5, 0, CURLWS_TEXT);
  recv_one(c, buf, sizeof(buf), NULL);
  send_all(c, "\x01\x02\x03", 3, 0, CURLWS_BINARY);
  recv_one(c, buf, sizeof(buf), NULL);
  /* a fragmented message: "frag" + "ment" */
  send_all(c, "frag", 4, 0, CURLWS_TEXT | CURLWS_CONT);
  send_all(c, "ment", 4, 0, CURLWS_TEXT);
  recv_one(c, buf, sizeof(buf), NULL);
  /* one frame announced as 10 bytes, sent in two calls */
  send_all(c, "01234", 5, 10, CURLWS_BINARY | CURLWS_OFFSET);
  send_all(c, "56789", 5, 0, 0);
  recv_one(c, buf, sizeof(buf), NULL);
  /* a small buffer: the echo of 10 bytes comes in pieces */
  send_all(c, "abcdefghij", 10, 0, CURLWS_TEXT);
  recv_one(c, buf, 4, NULL);
  recv_one(c, buf, 4, NULL);
  recv_one(c, buf, 4, NULL);
  /* ping: the server answers with a pong */
  send_all(c, "pp", 2, 0, CURLWS_PING);
  recv_one(c, buf, sizeof(buf), NULL);
  /* bad flags, too large control frames */
  send_all(c, "x", 1, 0, CURLWS_CLOSE | CURLWS_CONT);
  char big[200];
  memset(big, 'b', sizeof(big));
  send_all(c, big, sizeof(big), 0, CURLWS_PING);
  /* close with code 1000 */
  send_all(c, "\x03\xe8" "done", 6, 0, CURLWS_CLOSE);
  recv_one(c, buf, sizeof(buf), &flags);
  recv_one(c, buf, sizeof(buf), NULL); /* the server closed */
  return 0;
}

static int recv_cmd(CURL *c, const char *cmd) {
  char buf[256];
  char msg[64];
  snprintf(msg, sizeof(msg), "please %s", cmd);
  send_all(c, msg, strlen(msg), 0, CURLWS_TEXT);
  for (int i = 0; i < 10; i++) {
    int flags = 0;
    CURLcode rc = recv_one(c, buf, sizeof(buf), &flags);
    if (rc != CURLE_OK || (flags & CURLWS_CLOSE))
      break;
  }
  return 0;
}

struct cb_state {
  CURL *c;
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud) {
  struct cb_state *st = ud;
  size_t len = size * nmemb;
  const struct curl_ws_frame *m = curl_ws_meta(st->c);
  size_t n = 0;
  /* curl_easy_recv from inside a callback is refused */
  char tmp[4];
  CURLcode rr = curl_easy_recv(st->c, tmp, sizeof(tmp), &n);
  if (m)
    printf("cb flags=%d offset=%lld bytesleft=%lld len=%zu data=%.*s "
           "easy_recv=%d\n",
           m->flags, (long long)m->offset, (long long)m->bytesleft, len,
           (int)len, data, (int)rr);
  else
    printf("cb nometa len=%zu data=%.*s\n", len, (int)len, data);
  if (m && len == 3 && memcmp(data, "bye", 3) == 0) {
    size_t sent = 0;
    CURLcode rc = curl_ws_send(st->c, "\x03\xe8", 2, &sent, 0, CURLWS_CLOSE);
    printf("cb close -> %d\n", (int)rc);
  }
  if (m && len == 5 && memcmp(data, "hello", 5) == 0) {
    size_t sent = 0;
    CURLcode rc = curl_ws_send(st->c, "please bye", 10, &sent, 0, CURLWS_TEXT);
    printf("cb send -> %d\n", (int)rc);
  }
  fflush(stdout);
  return len;
}

static int raw(CURL *c, const char *url) {
  const char *host = strstr(url, "://");
  host = host ? host + 3 : url;
  char req[512];
  int hl = (int)strcspn(host, "/");
  const char *path = host[hl] ? host + hl : "/";
  snprintf(req, sizeof(req),
           "GET %s HTTP/1.1\r\nHost: %.*s\r\nConnection: close\r\n\r\n",
           path, hl, host);
  curl_socket_t fd = CURL_SOCKET_BAD;
  curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, &fd);
  printf("activesocket %s\n", fd != CURL_SOCKET_BAD ? "valid" : "bad");
  char buf[4096];
  size_t n = 0;
  CURLcode rc = curl_easy_recv(c, buf, sizeof(buf), &n);
  printf("early recv -> %d\n", (int)rc);
  size_t off = 0, len = strlen(req);
  while (off < len) {
    rc = curl_easy_send(c, req + off, len - off, &n);
    if (rc == CURLE_AGAIN) {
      wait_socket(c, POLLOUT);
      continue;
    }
    if (rc != CURLE_OK)
      break;
    off += n;
  }
  printf("send -> %d (%zu bytes)\n", (int)rc, off);
  size_t total = 0;
  for (int i = 0; i < 200; i++) {
    rc = curl_easy_recv(c, buf + total, sizeof(buf) - 1 - total, &n);
    if (rc == CURLE_AGAIN) {
      wait_socket(c, POLLIN);
      continue;
    }
    if (rc != CURLE_OK || n == 0)
      break;
    total += n;
  }
  buf[total] = 0;
  printf("recv -> %d total=%zu\n", (int)rc, total);
  printf("%s\n", buf);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 2;
  const char *mode = argv[1];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *c = curl_easy_init();
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, argv[2]);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  if (has_opt(argc, argv, "insecure")) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  long wsopt = 0;
  if (has_opt(argc, argv, "rawmode"))
    wsopt |= CURLWS_RAW_MODE;
  if (has_opt(argc, argv, "nopong"))
    wsopt |= CURLWS_NOAUTOPONG;
  curl_easy_setopt(c, CURLOPT_WS_OPTIONS, wsopt);
  struct curl_slist *http_hdrs = NULL, *ws_hdrs = NULL;
  if (has_opt(argc, argv, "httpheaders")) {
    http_hdrs = curl_slist_append(NULL, "X-Http: yes");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, http_hdrs);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER_ORDER, "X-Http,Host");
  }
  if (has_opt(argc, argv, "wsheaders")) {
    ws_hdrs = curl_slist_append(NULL, "X-Ws: yes");
    ws_hdrs = curl_slist_append(ws_hdrs, "User-Agent: ws-agent");
    CURLcode src = curl_easy_setopt(c, CURLOPT_WS_HTTPHEADER, ws_hdrs);
    CURLcode orc = curl_easy_setopt(c, CURLOPT_WS_HTTPHEADER_ORDER,
                                    "X-Ws,User-Agent,Host");
    printf("ws header options -> %d %d\n", (int)src, (int)orc);
  }
  struct cb_state st = {c};
  if (strcmp(mode, "callback") == 0) {
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &st);
  } else {
    curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, strcmp(mode, "raw") ? 2L : 1L);
  }
  CURLcode rc = curl_easy_perform(c);
  printf("perform -> %d %s\n", (int)rc, errbuf);
  if (rc == CURLE_OK) {
    if (strcmp(mode, "frames") == 0)
      frames(c);
    else if (strcmp(mode, "recv") == 0)
      recv_cmd(c, argc > 3 ? argv[3] : "");
    else if (strcmp(mode, "raw") == 0)
      raw(c, argv[2]);
  }
  printf("error buffer: %s\n", errbuf);
  curl_easy_cleanup(c);
  curl_slist_free_all(http_hdrs);
  curl_slist_free_all(ws_hdrs);
  curl_global_cleanup();
  return 0;
}
