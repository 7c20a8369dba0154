/* cookie_test_util.h: helpers for the cookie tests: a store on a fake
 * clock, replaying a response's Set-Cookie headers for a request the way
 * libcurl's tests describe it, and reading back jars and Cookie headers. */
#ifndef CN_TESTS_UNIT_COOKIES_COOKIE_TEST_UTIL_H
#define CN_TESTS_UNIT_COOKIES_COOKIE_TEST_UTIL_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cookies/cookie_file.h"
#include "cookies/cookie_store.h"
#include "util/alloc.h"
#include "util/net_error.h"

/* 2023-11-14 22:13:20 UTC: after every "expired" date in curl's tests and
 * before the far ones. */
static int64_t fake_now = 1700000000;

static inline int64_t fake_clock(void *arg) { return *(int64_t *)arg; }

static struct cn_cookie_store *new_store(void) {
  struct cn_cookie_store *s = cn_cookie_store_new();
  if (s)
    cn_cookie_store_set_clock(s, fake_clock, &fake_now);
  return s;
}

/* days_400 is curl's test suite "%days[400]": the capped expiry. */
static inline int64_t days_400(void) {
  return ((fake_now + 400 * 24 * 3600 + 30) / 60) * 60;
}

/* A request: scheme, URL host, URL path (no query), Host header or NULL. */
struct req {
  const char *scheme;
  const char *host;
  const char *path;
  const char *custom_host;
};

/* respond stores each Set-Cookie value of one response to |r|. */
static inline void respond(struct cn_cookie_store *s, const struct req *r,
                    const char *const *values, size_t num) {
  struct cn_cookie_origin o;
  if (cn_cookie_origin_init(&o, r->scheme, r->host, r->path, r->custom_host,
                            false, NULL, NULL, NULL) != CN_OK)
    return;
  for (size_t i = 0; i < num; i++)
    cn_cookie_store_set_cookie_header(s, &o, values[i], NULL);
  cn_cookie_origin_cleanup(&o);
}

#define RESPOND(s, r, ...)                                                 \
  do {                                                                     \
    const char *const v_[] = {__VA_ARGS__};                                \
    respond((s), (r), v_, sizeof(v_) / sizeof(v_[0]));                     \
  } while (0)

/* cookie_header returns the Cookie header value for |r| with |extra|
 * (CURLOPT_COOKIE) or "" when none would be sent. Static buffer. */
static const char *cookie_header(struct cn_cookie_store *s,
                                 const struct req *r, const char *extra) {
  static char out[16384];
  struct cn_cookie_origin o;
  char *v = NULL;
  out[0] = '\0';
  if (cn_cookie_origin_init(&o, r->scheme, r->host, r->path, r->custom_host,
                            false, NULL, NULL, NULL) != CN_OK)
    return "(oom)";
  if (cn_cookie_request_header(s, &o, extra, &v) != CN_OK) {
    cn_cookie_origin_cleanup(&o);
    return "(oom)";
  }
  if (v)
    snprintf(out, sizeof(out), "%s", v);
  cn_free(v);
  cn_cookie_origin_cleanup(&o);
  return out;
}

/* A private directory for the test's files. */
static char tmpdir[64];

static const char *tmp_path(const char *name) {
  static char path[128];
  if (!tmpdir[0]) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cn_cookie_test_XXXXXX");
    if (!mkdtemp(tmpdir))
      abort();
  }
  snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
  return path;
}

static inline void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  fputs(text, f);
  fclose(f);
}

/* read_file returns the file's text (malloc'd; "" when missing). */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return strdup("");
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int ch;
  while ((ch = fgetc(f)) != EOF) {
    if (len + 2 > cap) {
      cap = cap ? cap * 2 : 4096;
      buf = realloc(buf, cap);
    }
    buf[len++] = (char)ch;
  }
  fclose(f);
  if (!buf)
    return strdup("");
  buf[len] = '\0';
  return buf;
}

/* jar returns what COOKIEJAR would contain now, without the header
 * (malloc'd), or "(error)". */
static char *jar(struct cn_cookie_store *s) {
  const char *path = tmp_path("jar.txt");
  unlink(path);
  if (cn_cookie_file_save(s, path, NULL) != CN_OK)
    return strdup("(error)");
  char *text = read_file(path);
  size_t hlen = strlen(cn_cookie_file_header);
  if (strncmp(text, cn_cookie_file_header, hlen) != 0)
    return text; /* shows the difference in the failure message */
  memmove(text, text + hlen, strlen(text + hlen) + 1);
  return text;
}

#define CHECK_JAR(s, expected)                                             \
  do {                                                                     \
    char *j_ = jar(s);                                                     \
    CHECK_EQ_STR(j_, (expected));                                          \
    free(j_);                                                              \
  } while (0)

static inline void cleanup_tmpdir(void) {
  if (tmpdir[0]) {
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
      fprintf(stderr, "could not remove %s\n", tmpdir);
  }
}

#endif
