/* mime_test.c: the MIME API, the bytes a tree turns into (headers, escaping,
 * delimiters, sizes), the request-body streams over it, the CURLOPT_MIMEPOST
 * slot, and the form API on top. Expected bytes follow libcurl 8.14 (the
 * integration test test_mime.py compares with a real libcurl). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/mime_internal.h"
#include "http/upload_data_stream.h"
#include "test.h"
#include "util/alloc.h"
#include "util/net_log.h"

/* curl_mime_init asks the easy handle for its impersonation target (the
 * boundary style); these tests pass no handle, so easy_options.c, which
 * would pull the whole API in, is replaced by this. */
struct cn_easy *cn_easy_from(void *handle) {
  (void)handle;
  return NULL;
}

/* A fixed boundary so that whole bodies can be compared. */
#define TAG "abcdefghijklmnopqrstuv"
#define B "------------------------" TAG
#define TAG2 "ABCDEFGHIJKLMNOPQRSTUV"
#define B2 "------------------------" TAG2

static curl_mime *new_mime(const char *tag) {
  curl_mime *m = curl_mime_init(NULL);
  memcpy(m->boundary + CN_MIME_BOUNDARY_DASHES, tag, CN_MIME_BOUNDARY_RANDOM);
  return m;
}

static curl_mimepart *add_data(curl_mime *m, const char *name,
                               const char *data) {
  curl_mimepart *p = curl_mime_addpart(m);
  if (name)
    curl_mime_name(p, name);
  curl_mime_data(p, data, CURL_ZERO_TERMINATED);
  return p;
}

/* --- failure texts -------------------------------------------------------- */

static char last_fail[256];

static void log_fn(void *ctx, enum cn_net_log_type type, const char *data,
                   size_t len) {
  (void)ctx;
  if (type != CN_LOG_FAIL)
    return;
  while (len && data[len - 1] == '\n')
    len--;
  snprintf(last_fail, sizeof(last_fail), "%.*s", (int)len, data);
}

static const struct cn_net_log test_log = {log_fn, NULL, false};

/* --- reading a stream ----------------------------------------------------- */

struct body {
  char *data;
  size_t len;
  int rv; /* 0 at the end, or the error */
};

static void noop_cb(void *ctx, int rv) {
  (void)ctx;
  (void)rv;
}

/* drain reads |s| |chunk| bytes at a time until the end or an error. */
static struct body drain(struct cn_upload_data_stream *s, size_t chunk) {
  struct body b = {malloc(1), 0, 0};
  uint8_t *tmp = malloc(chunk);
  for (;;) {
    int rv = s->ops->read(s, tmp, chunk, noop_cb, NULL);
    if (rv <= 0) {
      b.rv = rv;
      break;
    }
    b.data = realloc(b.data, b.len + (size_t)rv + 1);
    memcpy(b.data + b.len, tmp, (size_t)rv);
    b.len += (size_t)rv;
  }
  b.data[b.len] = '\0';
  free(tmp);
  return b;
}

static struct cn_mime_upload_params params(const struct curl_slist *h) {
  struct cn_mime_upload_params p = {h, false, &test_log, NULL, NULL};
  return p;
}

/* post_body sends |m| the way CURLOPT_MIMEPOST does and returns the body
 * read |chunk| bytes at a time; *out_type gets a copy of the Content-Type
 * value (NULL: none), *out_size the announced size. */
static struct body post_body(curl_mime *m, const struct curl_slist *h,
                             size_t chunk, char **out_type, int64_t *out_size) {
  curl_mimepart *slot = NULL;
  CHECK_EQ_INT(cn_mime_post_attach(&slot, m), CURLE_OK);
  struct cn_mime_upload_params p = params(h);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &p, &s), CURLE_OK);
  struct body b = drain(s, chunk);
  const char *t = cn_mime_upload_stream_content_type(s);
  if (out_type)
    *out_type = t ? strdup(t) : NULL;
  if (out_size)
    *out_size = s->size;
  cn_upload_data_stream_destroy(s);
  cn_mime_post_free(slot);
  return b;
}

/* --- the API -------------------------------------------------------------- */

TEST(bad_arguments) {
  CHECK(curl_mime_addpart(NULL) == NULL);
  curl_mime_free(NULL);
  CHECK_EQ_INT(curl_mime_name(NULL, "n"), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_filename(NULL, "f"), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_type(NULL, "t"), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_encoder(NULL, "base64"), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_data(NULL, "d", 1), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_filedata(NULL, "f"), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_data_cb(NULL, 0, NULL, NULL, NULL, NULL),
               CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_subparts(NULL, NULL), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_headers(NULL, NULL, 0), CURLE_BAD_FUNCTION_ARGUMENT);

  curl_mime *m = curl_mime_init(NULL);
  curl_mimepart *p = curl_mime_addpart(m);
  CHECK_EQ_INT(curl_mime_encoder(p, "base64"), CURLE_OK);
  CHECK(p->encoder != NULL);
  /* an unknown encoder fails and removes the one set before */
  CHECK_EQ_INT(curl_mime_encoder(p, "rot13"), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK(p->encoder == NULL);
  CHECK_EQ_INT(curl_mime_encoder(p, "Quoted-Printable"), CURLE_OK);
  CHECK_EQ_INT(curl_mime_encoder(p, NULL), CURLE_OK);
  CHECK(p->encoder == NULL);
  CHECK_EQ_INT(curl_mime_name(p, "x"), CURLE_OK);
  CHECK_EQ_INT(curl_mime_name(p, NULL), CURLE_OK);
  CHECK(p->name == NULL);
  curl_mime_free(m);
}

TEST(boundary_is_24_dashes_and_22_alnum) {
  curl_mime *a = curl_mime_init(NULL);
  curl_mime *b = curl_mime_init(NULL);
  CHECK_EQ_INT(strlen(a->boundary), 46);
  CHECK_EQ_INT(strspn(a->boundary, "-"), 24);
  CHECK_EQ_INT(strspn(a->boundary + 24,
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789"),
               22);
  CHECK(strcmp(a->boundary, b->boundary) != 0);
  curl_mime_free(a);
  curl_mime_free(b);
}

/* --- bytes ---------------------------------------------------------------- */

static curl_mime *form_tree(void) {
  curl_mime *m = new_mime(TAG);
  add_data(m, "field", "value");
  curl_mimepart *p = add_data(m, "file", "file contents\n");
  curl_mime_filename(p, "a.txt");
  p = add_data(m, "typed", "{}");
  curl_mime_type(p, "application/json");
  add_data(m, NULL, "anon");
  p = curl_mime_addpart(m); /* a name only: empty content */
  curl_mime_name(p, "noval");
  return m;
}

TEST(form_post_bytes) {
  static const char want[] =
      "--" B "\r\n"
      "Content-Disposition: form-data; name=\"field\"\r\n\r\n"
      "value\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "file contents\n\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data; name=\"typed\"\r\n"
      "Content-Type: application/json\r\n\r\n"
      "{}\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data\r\n\r\n"
      "anon\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data; name=\"noval\"\r\n\r\n\r\n"
      "--" B "--\r\n";
  static const size_t chunks[] = {1, 2, 5, 64, 16384};
  for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
    curl_mime *m = form_tree();
    char *type = NULL;
    int64_t size = 0;
    struct body b = post_body(m, NULL, chunks[i], &type, &size);
    CHECK_EQ_INT(b.rv, 0);
    CHECK_EQ_STR(b.data, want);
    CHECK_EQ_INT(size, (int64_t)strlen(want));
    CHECK_EQ_STR(type, "multipart/form-data; boundary=" B);
    free(type);
    free(b.data);
    curl_mime_free(m);
  }
}

/* libcurl cannot rewind a part without content once it was read (it has
 * no seek function), so such a tree cannot be sent a second time. */
TEST(contentless_part_cannot_be_sent_twice) {
  curl_mime *m = form_tree();
  curl_mimepart *slot = NULL;
  CHECK_EQ_INT(cn_mime_post_attach(&slot, m), CURLE_OK);
  struct cn_mime_upload_params prm = params(NULL);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s), CURLE_OK);
  struct body b = drain(s, 100);
  free(b.data);
  cn_upload_data_stream_destroy(s);
  s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s),
               CURLE_SEND_FAIL_REWIND);
  CHECK(s == NULL);
  cn_mime_post_free(slot);
  curl_mime_free(m);
}

TEST(empty_multipart_is_only_the_closing_delimiter) {
  curl_mime *m = new_mime(TAG);
  int64_t size = 0;
  struct body b = post_body(m, NULL, 100, NULL, &size);
  CHECK_EQ_STR(b.data, "--" B "--\r\n");
  CHECK_EQ_INT(size, 52);
  free(b.data);
  curl_mime_free(m);
}

/* prepared_block: the header block |part| gets inside a multipart with
 * child disposition |disp|. */
static const char *prepared_block(curl_mimepart *p, const char *disp) {
  CHECK_EQ_INT(cn_mime_prepare_headers(p, NULL, disp, false), CURLE_OK);
  return p->hdr_block;
}

TEST(disposition_and_type_rules) {
  curl_mime *m = new_mime(TAG);
  curl_mimepart *p = add_data(m, "n", "v");
  /* outside form-data a named part is an attachment */
  CHECK_EQ_STR(prepared_block(p, NULL),
               "Content-Disposition: attachment; name=\"n\"\r\n\r\n");
  CHECK_EQ_STR(prepared_block(p, "form-data"),
               "Content-Disposition: form-data; name=\"n\"\r\n\r\n");
  /* a type alone gives no disposition outside forms */
  p = add_data(m, NULL, "v");
  curl_mime_type(p, "text/html");
  CHECK_EQ_STR(prepared_block(p, NULL), "Content-Type: text/html\r\n\r\n");
  CHECK_EQ_STR(prepared_block(p, "form-data"),
               "Content-Disposition: form-data\r\n"
               "Content-Type: text/html\r\n\r\n");
  /* guessed text/plain is kept only with a filename; an explicit one
   * always */
  p = add_data(m, "t", "v");
  curl_mime_filename(p, "x.TXT");
  CHECK_EQ_STR(prepared_block(p, "form-data"),
               "Content-Disposition: form-data; name=\"t\"; "
               "filename=\"x.TXT\"\r\nContent-Type: text/plain\r\n\r\n");
  curl_mime_type(p, "text/plain; charset=utf-8");
  curl_mime_filename(p, NULL);
  CHECK_EQ_STR(prepared_block(p, "form-data"),
               "Content-Disposition: form-data; name=\"t\"\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\n");
  /* extensions */
  static const char *const names[][2] = {{"a.gif", "image/gif"},
                                         {"a.jpg", "image/jpeg"},
                                         {"a.JPEG", "image/jpeg"},
                                         {"a.png", "image/png"},
                                         {"a.svg", "image/svg+xml"},
                                         {"a.htm", "text/html"},
                                         {"a.html", "text/html"},
                                         {"a.pdf", "application/pdf"},
                                         {"a.xml", "application/xml"},
                                         {"a.txt", "text/plain"},
                                         {"a.tar", NULL},
                                         {"txt", NULL}};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    const char *t = cn_mime_content_type_for_name(names[i][0]);
    if (names[i][1])
      CHECK_EQ_STR(t, names[i][1]);
    else
      CHECK(t == NULL);
  }
  curl_mime_free(m);
}

TEST(program_headers) {
  curl_mime *m = new_mime(TAG);
  curl_mimepart *p = add_data(m, "n", "v");
  struct curl_slist *h = NULL;
  h = curl_slist_append(h, "X-One: 1");
  h = curl_slist_append(h, "Content-Type:  text/x-mine");
  h = curl_slist_append(h, "Content-Transfer-Encoding: mine");
  CHECK_EQ_INT(curl_mime_headers(p, h, 1), CURLE_OK);
  CHECK_EQ_INT(curl_mime_headers(p, h, 1), CURLE_OK); /* same list: kept */
  curl_mime_encoder(p, "base64");
  /* the program's type is used (spaces skipped) and not repeated; its
   * Content-Transfer-Encoding replaces the encoder's */
  CHECK_EQ_STR(prepared_block(p, "form-data"),
               "Content-Disposition: form-data; name=\"n\"\r\n"
               "Content-Type: text/x-mine\r\n"
               "X-One: 1\r\n"
               "Content-Transfer-Encoding: mine\r\n\r\n");
  /* curl_mime_type wins over the header */
  curl_mime_type(p, "text/x-set");
  CHECK(strstr(prepared_block(p, NULL), "Content-Type: text/x-set\r\n"));
  /* a Content-Disposition of the program's replaces the generated one */
  struct curl_slist *h2 = curl_slist_append(NULL, "Content-Disposition: x");
  curl_mime_headers(p, h2, 0);
  CHECK_EQ_STR(prepared_block(p, "form-data"),
               "Content-Type: text/x-set\r\n"
               "Content-Transfer-Encoding: base64\r\n"
               "Content-Disposition: x\r\n\r\n");
  curl_mime_free(m);
  curl_slist_free_all(h2);
}

TEST(names_are_escaped) {
  curl_mime *m = new_mime(TAG);
  curl_mimepart *p = add_data(m, "q\"u\r\no\\te", "v");
  curl_mime_filename(p, "f\"\\.txt");
  CHECK_EQ_INT(cn_mime_prepare_headers(p, NULL, "form-data", false), CURLE_OK);
  CHECK_EQ_STR(p->hdr_block,
               "Content-Disposition: form-data; name=\"q%22u%0D%0Ao\\te\"; "
               "filename=\"f%22\\.txt\"\r\nContent-Type: text/plain\r\n\r\n");
  CHECK_EQ_INT(cn_mime_prepare_headers(p, NULL, "form-data", true), CURLE_OK);
  CHECK_EQ_STR(
      p->hdr_block,
      "Content-Disposition: form-data; name=\"q\\\"u\r\no\\\\te\"; "
      "filename=\"f\\\"\\\\.txt\"\r\nContent-Type: text/plain\r\n\r\n");
  curl_mime_free(m);
}

TEST(nested_multiparts) {
  curl_mime *m = new_mime(TAG);
  curl_mime *sub = new_mime(TAG2);
  add_data(sub, NULL, "one");
  curl_mimepart *p = add_data(sub, "inner", "two");
  p = curl_mime_addpart(m);
  curl_mime_name(p, "files");
  CHECK_EQ_INT(curl_mime_subparts(p, sub), CURLE_OK);
  CHECK_EQ_INT(curl_mime_subparts(p, sub), CURLE_OK); /* again: no-op */
  static const char want[] =
      "--" B "\r\n"
      "Content-Disposition: form-data; name=\"files\"\r\n"
      "Content-Type: multipart/mixed; boundary=" B2 "\r\n\r\n"
      "--" B2 "\r\n\r\none\r\n"
      "--" B2 "\r\n"
      "Content-Disposition: attachment; name=\"inner\"\r\n\r\ntwo\r\n"
      "--" B2 "--\r\n\r\n"
      "--" B "--\r\n";
  int64_t size = 0;
  struct body b = post_body(m, NULL, 3, NULL, &size);
  CHECK_EQ_STR(b.data, want);
  CHECK_EQ_INT(size, (int64_t)strlen(want));
  free(b.data);
  curl_mime_free(m); /* frees |sub| too */
}

TEST(subparts_rules) {
  curl_mime *root = curl_mime_init(NULL);
  curl_mime *sub = curl_mime_init(NULL);
  curl_mime *other = curl_mime_init(NULL);
  curl_mimepart *p = curl_mime_addpart(root);
  curl_mimepart *q = curl_mime_addpart(root);
  CHECK_EQ_INT(curl_mime_subparts(p, sub), CURLE_OK);
  /* attached already */
  CHECK_EQ_INT(curl_mime_subparts(q, sub), CURLE_BAD_FUNCTION_ARGUMENT);
  /* a root inside itself, also from deeper down */
  CHECK_EQ_INT(curl_mime_subparts(q, root), CURLE_BAD_FUNCTION_ARGUMENT);
  curl_mimepart *deep = curl_mime_addpart(sub);
  CHECK_EQ_INT(curl_mime_subparts(deep, root), CURLE_BAD_FUNCTION_ARGUMENT);
  CHECK_EQ_INT(curl_mime_subparts(q, other), CURLE_OK);
  /* freeing attached subparts empties their part */
  curl_mime_free(other);
  CHECK_EQ_INT(q->kind, CN_MIME_KIND_NONE);
  CHECK(q->subparts == NULL);
  /* replacing the content frees owned subparts (ASan/valgrind see it) */
  CHECK_EQ_INT(curl_mime_data(p, "x", 1), CURLE_OK);
  CHECK_EQ_INT(p->kind, CN_MIME_KIND_DATA);
  curl_mime_free(root);
}

/* --- sizes and chunking --------------------------------------------------- */

static size_t cb_read(char *buf, size_t s, size_t n, void *arg) {
  const char **src = arg;
  size_t len = strlen(*src);
  size_t want = s * n < len ? s * n : len;
  if (want > 3)
    want = 3;
  memcpy(buf, *src, want);
  *src += want;
  return want;
}

TEST(sizes_match_the_bytes) {
  static const char *const data = "0123456789abcdefghijklmnopqrstuvwxyz"
                                  "0123456789abcdefghijklmnopqrstuvwxyz";
  curl_mime *m = new_mime(TAG);
  curl_mimepart *p = add_data(m, "b64", data);
  curl_mime_encoder(p, "base64");
  p = add_data(m, "7", "seven");
  curl_mime_encoder(p, "7bit");
  p = add_data(m, "8", "eight");
  curl_mime_encoder(p, "8bit");
  p = add_data(m, "bin", "");
  curl_mime_encoder(p, "binary");
  curl_mime *sub = new_mime(TAG2);
  add_data(sub, "s", data);
  p = curl_mime_addpart(m);
  curl_mime_subparts(p, sub);
  curl_mime_encoder(p, "base64");
  p = add_data(m, "qp-empty", "");
  curl_mime_encoder(p, "quoted-printable");
  char *ref = NULL;
  for (size_t chunk = 1; chunk < 200; chunk += 13) {
    int64_t size = 0;
    struct body b = post_body(m, NULL, chunk, NULL, &size);
    CHECK_EQ_INT(b.rv, 0);
    CHECK_EQ_INT(size, (int64_t)b.len);
    if (!ref)
      ref = strdup(b.data);
    else
      CHECK_EQ_STR(b.data, ref);
    free(b.data);
  }
  CHECK(strstr(ref, "Content-Transfer-Encoding: base64\r\n\r\n"
                    "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MDEy"
                    "MzQ1Njc4OWFiY2RlZmdoaWpr\r\nbG1ub3BxcnN0dXZ3eHl6\r\n"));
  free(ref);
  /* quoted-printable and unknown callbacks make the size unknown */
  p = add_data(m, "qp", "x");
  curl_mime_encoder(p, "quoted-printable");
  int64_t size = 0;
  struct body b = post_body(m, NULL, 4096, NULL, &size);
  CHECK_EQ_INT(size, -1);
  CHECK(strstr(b.data, "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                       "x\r\n--" B "--\r\n"));
  free(b.data);
  curl_mime_free(m);

  m = new_mime(TAG);
  const char *src = "streamed";
  p = curl_mime_addpart(m);
  curl_mime_data_cb(p, -1, cb_read, NULL, NULL, &src);
  b = post_body(m, NULL, 4096, NULL, &size);
  CHECK_EQ_INT(size, -1);
  CHECK_EQ_STR(b.data, "--" B "\r\nContent-Disposition: form-data\r\n\r\n"
                       "streamed\r\n--" B "--\r\n");
  free(b.data);
  curl_mime_free(m);
}

/* --- files ---------------------------------------------------------------- */

static char tmp_dir[64];

static void write_file(const char *name, const char *data, char *out_path) {
  sprintf(out_path, "%s/%s", tmp_dir, name);
  FILE *f = fopen(out_path, "wb");
  fputs(data, f);
  fclose(f);
}

TEST(file_parts) {
  char path[128], png[128], dat[128], missing[128];
  write_file("hello.txt", "Hello\r\n", path);
  write_file("x.png", "PNG", png);
  write_file("x.dat", "DAT", dat);
  sprintf(missing, "%s/nope.txt", tmp_dir);
  curl_mime *m = new_mime(TAG);
  curl_mimepart *p = curl_mime_addpart(m);
  CHECK_EQ_INT(curl_mime_filedata(p, path), CURLE_OK);
  CHECK_EQ_STR(p->filename, "hello.txt");
  CHECK_EQ_INT(p->datasize, 7);
  p = curl_mime_addpart(m);
  curl_mime_name(p, "noname");
  curl_mime_filedata(p, path);
  curl_mime_filename(p, NULL); /* a .txt without filename: no type */
  p = curl_mime_addpart(m);
  curl_mime_filedata(p, png);
  curl_mime_filename(p, NULL); /* but a known non-text type stays */
  p = curl_mime_addpart(m);
  curl_mime_filedata(p, png);
  curl_mime_filename(p, "shown.bin"); /* the path's extension still counts */
  p = curl_mime_addpart(m);
  curl_mime_filedata(p, dat);
  curl_mime_filename(p, "shown.bin"); /* nothing known: octet-stream */
  static const char want[] =
      "--" B "\r\n"
      "Content-Disposition: form-data; filename=\"hello.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\nHello\r\n\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data; name=\"noname\"\r\n\r\nHello\r\n\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data\r\nContent-Type: image/png\r\n\r\n"
      "PNG\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data; filename=\"shown.bin\"\r\n"
      "Content-Type: image/png\r\n\r\nPNG\r\n"
      "--" B "\r\n"
      "Content-Disposition: form-data; filename=\"shown.bin\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\nDAT\r\n"
      "--" B "--\r\n";
  int64_t size = 0;
  struct body b = post_body(m, NULL, 5, NULL, &size);
  CHECK_EQ_STR(b.data, want);
  CHECK_EQ_INT(size, (int64_t)strlen(want));
  free(b.data);
  /* twice in a row: the files are read again */
  b = post_body(m, NULL, 1000, NULL, NULL);
  CHECK_EQ_STR(b.data, want);
  free(b.data);

  /* a missing file: reported, but the part is set up (and named) */
  p = curl_mime_addpart(m);
  CHECK_EQ_INT(curl_mime_filedata(p, missing), CURLE_READ_ERROR);
  CHECK_EQ_INT(p->kind, CN_MIME_KIND_FILE);
  CHECK_EQ_STR(p->filename, "nope.txt");
  CHECK_EQ_INT(p->datasize, -1);
  last_fail[0] = '\0';
  b = post_body(m, NULL, 1000, NULL, &size);
  CHECK_EQ_INT(size, -1);
  CHECK_EQ_INT(b.rv, CN_ERR_READ_CALLBACK_FAILED);
  CHECK_EQ_STR(last_fail, "read error getting mime data");
  free(b.data);
  curl_mime_free(m);

  /* basename as POSIX basename() gives it */
  m = curl_mime_init(NULL);
  p = curl_mime_addpart(m);
  CHECK_EQ_INT(curl_mime_filedata(p, "/"), CURLE_OK);
  CHECK_EQ_STR(p->filename, "/");
  CHECK_EQ_INT(p->datasize, -1); /* not a regular file */
  curl_mime_filedata(p, "/tmp/");
  CHECK_EQ_STR(p->filename, "tmp");
  curl_mime_filedata(p, NULL);
  CHECK_EQ_INT(p->kind, CN_MIME_KIND_NONE);
  CHECK_EQ_STR(p->filename, "tmp"); /* only the content goes */
  curl_mime_free(m);
  unlink(path);
  unlink(png);
  unlink(dat);
}

/* --- callbacks, rewinding, errors ----------------------------------------- */

struct cb_src {
  const char *data;
  size_t off;
  int seeks;
  int frees;
  size_t answer; /* non-zero: return this instead of data */
};

static size_t src_read(char *buf, size_t s, size_t n, void *arg) {
  struct cb_src *x = arg;
  if (x->answer)
    return x->answer;
  size_t len = strlen(x->data) - x->off;
  if (len > s * n)
    len = s * n;
  memcpy(buf, x->data + x->off, len);
  x->off += len;
  return len;
}

static int src_seek(void *arg, curl_off_t off, int whence) {
  struct cb_src *x = arg;
  x->seeks++;
  if (off != 0 || whence != SEEK_SET)
    return CURL_SEEKFUNC_CANTSEEK;
  x->off = 0;
  return CURL_SEEKFUNC_OK;
}

static void src_free(void *arg) { ((struct cb_src *)arg)->frees++; }

TEST(callbacks_rewind_and_free) {
  struct cb_src x = {"cbdata", 0, 0, 0, 0};
  curl_mime *m = new_mime(TAG);
  curl_mimepart *p = curl_mime_addpart(m);
  CHECK_EQ_INT(curl_mime_data_cb(p, 6, src_read, src_seek, src_free, &x),
               CURLE_OK);
  struct body b = post_body(m, NULL, 1000, NULL, NULL);
  CHECK(strstr(b.data, "\r\n\r\ncbdata\r\n--" B "--\r\n") != NULL);
  free(b.data);
  CHECK_EQ_INT(x.seeks, 0); /* nothing read before the first use */
  b = post_body(m, NULL, 1000, NULL, NULL); /* rewound with the callback */
  CHECK_EQ_INT(x.seeks, 1);
  CHECK(strstr(b.data, "cbdata") != NULL);
  free(b.data);
  /* replacing the content calls the free callback */
  curl_mime_data(p, "new", 3);
  CHECK_EQ_INT(x.frees, 1);
  CHECK_EQ_INT(curl_mime_data_cb(p, 6, src_read, NULL, src_free, &x), CURLE_OK);
  x.off = 0;
  /* read once, no seek callback: a new transfer cannot start over */
  curl_mimepart *slot = NULL;
  CHECK_EQ_INT(cn_mime_post_attach(&slot, m), CURLE_OK);
  struct cn_mime_upload_params prm = params(NULL);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s), CURLE_OK);
  b = drain(s, 1000);
  CHECK(strstr(b.data, "cbdata") != NULL);
  free(b.data);
  cn_upload_data_stream_destroy(s);
  s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s),
               CURLE_SEND_FAIL_REWIND);
  CHECK(s == NULL);
  cn_mime_post_free(slot);
  curl_mime_free(m);
  CHECK_EQ_INT(x.frees, 2);
}

TEST(stream_rewind_for_redirects) {
  curl_mime *m = new_mime(TAG);
  add_data(m, "a", "1");
  curl_mimepart *slot = NULL;
  cn_mime_post_attach(&slot, m);
  struct cn_mime_upload_params prm = params(NULL);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s), CURLE_OK);
  struct body first = drain(s, 7);
  CHECK_EQ_INT(s->ops->rewind(s), CN_OK);
  struct body second = drain(s, 100);
  CHECK_EQ_STR(first.data, second.data);
  free(first.data);
  free(second.data);
  cn_upload_data_stream_destroy(s);
  cn_mime_post_free(slot);
  curl_mime_free(m);
}

TEST(callback_errors) {
  static const struct {
    size_t answer;
    int rv;
    const char *text;
  } cases[] = {
      {CURL_READFUNC_ABORT, CN_ERR_CALLBACK_ABORTED,
       "operation aborted by callback"},
      {(size_t)-1, CN_ERR_READ_CALLBACK_FAILED, "read error getting mime data"},
      {100000, CN_ERR_READ_CALLBACK_FAILED,
       "read function returned funny value"},
      /* pausing without a pause hook is refused */
      {CURL_READFUNC_PAUSE, CN_ERR_READ_CALLBACK_FAILED,
       "Pausing an upload is not supported"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct cb_src x = {"abc", 0, 0, 0, cases[i].answer};
    curl_mime *m = new_mime(TAG);
    curl_mimepart *p = curl_mime_addpart(m);
    curl_mime_data_cb(p, 3, src_read, NULL, NULL, &x);
    last_fail[0] = '\0';
    struct body b = post_body(m, NULL, 50, NULL, NULL);
    CHECK_EQ_INT(b.rv, cases[i].rv);
    CHECK_EQ_STR(last_fail, cases[i].text);
    /* what came before the failing part was delivered */
    CHECK(strstr(b.data, "Content-Disposition: form-data\r\n\r\n") != NULL);
    free(b.data);
    curl_mime_free(m);
  }
  /* a known size that the callback does not deliver */
  struct cb_src x = {"abc", 0, 0, 0, 0};
  curl_mime *m = new_mime(TAG);
  curl_mime_data_cb(curl_mime_addpart(m), 10, src_read, NULL, NULL, &x);
  struct body b = post_body(m, NULL, 50, NULL, NULL);
  CHECK_EQ_INT(b.rv, CN_ERR_READ_CALLBACK_FAILED);
  CHECK_EQ_STR(last_fail,
               "client mime read EOF fail, only 141/148 of needed bytes read");
  free(b.data);
  curl_mime_free(m);
  /* 7bit refuses 8-bit data */
  m = new_mime(TAG);
  curl_mimepart *p = add_data(m, "s", "caf\xe9");
  curl_mime_encoder(p, "7bit");
  b = post_body(m, NULL, 50, NULL, NULL);
  CHECK_EQ_INT(b.rv, CN_ERR_READ_CALLBACK_FAILED);
  CHECK(strstr(b.data, "\r\n\r\ncaf") != NULL);
  free(b.data);
  curl_mime_free(m);
}

/* "P", pause, "P", pause, "P", pause, end */
struct pause_src {
  int sent;
  bool pause_next;
};

static size_t pausing_read(char *buf, size_t s, size_t n, void *arg) {
  struct pause_src *x = arg;
  (void)s;
  (void)n;
  if (x->pause_next) {
    x->pause_next = false;
    return CURL_READFUNC_PAUSE;
  }
  if (x->sent == 3)
    return 0;
  buf[0] = 'P';
  x->sent++;
  x->pause_next = true;
  return 1;
}

static int paused_count;
static void on_pause(void *ctx) {
  (void)ctx;
  paused_count++;
}

static int completed_rv;
static int completed_count;
static void on_done(void *ctx, int rv) {
  (void)ctx;
  completed_rv = rv;
  completed_count++;
}

TEST(pause_and_unpause) {
  struct pause_src x = {0, false};
  curl_mime *m = new_mime(TAG);
  curl_mime_data_cb(curl_mime_addpart(m), -1, pausing_read, NULL, NULL, &x);
  curl_mimepart *slot = NULL;
  cn_mime_post_attach(&slot, m);
  struct cn_mime_upload_params prm = {NULL, false, &test_log, on_pause, NULL};
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s), CURLE_OK);
  CHECK_EQ_INT(s->size, -1);
  uint8_t buf[4096];
  char got[512] = "";
  size_t len = 0;
  int pauses = 0;
  for (int guard = 0; guard < 100; guard++) {
    int rv = s->ops->read(s, buf, sizeof(buf), on_done, NULL);
    if (rv == CN_ERR_IO_PENDING) {
      pauses++;
      CHECK_EQ_INT(paused_count, pauses);
      /* still paused: a read now pauses again without calling back */
      completed_count = 0;
      cn_mime_upload_stream_unpause(s);
      CHECK_EQ_INT(completed_count, 1);
      rv = completed_rv;
    }
    if (rv <= 0) {
      CHECK_EQ_INT(rv, 0);
      break;
    }
    memcpy(got + len, buf, (size_t)rv);
    len += (size_t)rv;
  }
  got[len] = '\0';
  CHECK_EQ_INT(pauses, 3);
  CHECK(strstr(got, "\r\n\r\nPPP\r\n--" B "--\r\n") != NULL);
  cn_upload_data_stream_destroy(s);
  cn_mime_post_free(slot);
  curl_mime_free(m);
}

/* --- the CURLOPT_MIMEPOST slot -------------------------------------------- */

TEST(mimepost_slot_binding) {
  curl_mime *m = new_mime(TAG);
  add_data(m, "a", "1");
  curl_mimepart *slot = NULL;
  CHECK_EQ_INT(cn_mime_post_attach(&slot, NULL), CURLE_OK);
  CHECK(slot == NULL); /* nothing to hold yet */
  CHECK_EQ_INT(cn_mime_post_attach(&slot, m), CURLE_OK);
  CHECK(slot != NULL);
  CHECK(m->parent == slot);
  /* bound to the handle: cannot also be a subpart */
  curl_mime *other = curl_mime_init(NULL);
  CHECK_EQ_INT(curl_mime_subparts(curl_mime_addpart(other), m),
               CURLE_BAD_FUNCTION_ARGUMENT);
  /* the copy for curl_easy_duphandle owns its own tree */
  curl_mimepart *copy = NULL;
  CHECK_EQ_INT(cn_mime_post_dup(&copy, slot), CURLE_OK);
  CHECK(copy->subparts != m);
  CHECK(copy->owns_subparts);
  struct cn_mime_upload_params prm = params(NULL);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(copy, &prm, &s), CURLE_OK);
  struct body b = drain(s, 100);
  CHECK(strstr(b.data, "name=\"a\"\r\n\r\n1\r\n") != NULL);
  free(b.data);
  cn_upload_data_stream_destroy(s);
  cn_mime_post_free(copy); /* frees its copy, not |m| */
  /* the program frees its mime first: the slot is left empty */
  curl_mime_free(m);
  CHECK_EQ_INT(slot->kind, CN_MIME_KIND_NONE);
  s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(slot, &prm, &s), CURLE_OK);
  CHECK_EQ_INT(s->size, 0);
  CHECK(cn_mime_upload_stream_content_type(s) == NULL);
  cn_upload_data_stream_destroy(s);
  /* and the other order: the handle goes first, the mime stays usable */
  m = new_mime(TAG);
  CHECK_EQ_INT(cn_mime_post_attach(&slot, m), CURLE_OK);
  cn_mime_post_free(slot);
  CHECK(m->parent == NULL);
  slot = NULL;
  CHECK_EQ_INT(curl_mime_subparts(curl_mime_addpart(other), m), CURLE_OK);
  curl_mime_free(other);
}

TEST(request_content_type) {
  curl_mime *m = new_mime(TAG);
  add_data(m, "a", "1");
  /* the program's Content-Type gets the boundary; children are then no
   * longer form-data */
  struct curl_slist *h = curl_slist_append(NULL, "Accept: x");
  h = curl_slist_append(h, "Content-Type:  multipart/related");
  char *type = NULL;
  struct body b = post_body(m, h, 100, &type, NULL);
  CHECK_EQ_STR(type, "multipart/related; boundary=" B);
  CHECK(strstr(b.data, "Content-Disposition: attachment; name=\"a\"") != NULL);
  free(type);
  free(b.data);
  curl_slist_free_all(h);
  /* "Content-Type;" (sent empty) still counts */
  h = curl_slist_append(NULL, "content-type;");
  b = post_body(m, h, 100, &type, NULL);
  CHECK_EQ_STR(type, "; boundary=" B);
  free(type);
  free(b.data);
  curl_slist_free_all(h);
  curl_mime_free(m);

  /* no mime at all: empty body, no type unless the program gives one */
  struct cn_mime_upload_params prm = params(NULL);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_mime_upload_stream_new(NULL, &prm, &s), CURLE_OK);
  CHECK_EQ_INT(s->size, 0);
  CHECK(cn_mime_upload_stream_content_type(s) == NULL);
  uint8_t one[1];
  CHECK_EQ_INT(s->ops->read(s, one, 1, noop_cb, NULL), 0);
  cn_upload_data_stream_destroy(s);
  h = curl_slist_append(NULL, "Content-Type: text/plain");
  prm = params(h);
  CHECK_EQ_INT(cn_mime_upload_stream_new(NULL, &prm, &s), CURLE_OK);
  CHECK_EQ_STR(cn_mime_upload_stream_content_type(s), "text/plain");
  cn_upload_data_stream_destroy(s);
  curl_slist_free_all(h);
}

/* --- the form API --------------------------------------------------------- */

static size_t collect(void *arg, const char *buf, size_t len) {
  struct body *b = arg;
  b->data = realloc(b->data, b->len + len + 1);
  memcpy(b->data + b->len, buf, len);
  b->len += len;
  b->data[b->len] = '\0';
  return len;
}

static size_t refuse(void *arg, const char *buf, size_t len) {
  (void)arg;
  (void)buf;
  return len - 1;
}

/* formget_text returns curl_formget's output with every boundary replaced
 * by "B" (they are random here). */
static char *formget_text(struct curl_httppost *post, int *out_rc) {
  struct body b = {NULL, 0, 0};
  *out_rc = curl_formget(post, &b, collect);
  if (!b.data)
    return strdup("");
  char *out = malloc(b.len + 1);
  size_t o = 0;
  for (size_t i = 0; i < b.len;) {
    if (i + 46 <= b.len && strspn(b.data + i, "-") >= 24 &&
        memcmp(b.data + i, "------------------------", 24) == 0 &&
        strspn(b.data + i + 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno"
                                "pqrstuvwxyz0123456789") >= 22) {
      out[o++] = 'B';
      i += 46;
    } else {
      out[o++] = b.data[i++];
    }
  }
  out[o] = '\0';
  free(b.data);
  return out;
}

TEST(formadd_codes) {
  struct curl_httppost *post = NULL, *last = NULL;
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "a",
                            CURLFORM_COPYNAME, "b", CURLFORM_END),
               CURL_FORMADD_OPTION_TWICE);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "a", CURLFORM_END),
               CURL_FORMADD_INCOMPLETE);
  CHECK_EQ_INT(
      curl_formadd(&post, &last, CURLFORM_COPYNAME, NULL, CURLFORM_END),
      CURL_FORMADD_NULL);
  CHECK_EQ_INT(
      curl_formadd(&post, &last, CURLFORM_COPYNAME, "a", 999, CURLFORM_END),
      CURL_FORMADD_UNKNOWN_OPTION);
  struct curl_forms inner[] = {{CURLFORM_ARRAY, NULL}, {CURLFORM_END, NULL}};
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_ARRAY, inner, CURLFORM_END),
               CURL_FORMADD_ILLEGAL_ARRAY);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_ARRAY, NULL, CURLFORM_END),
               CURL_FORMADD_NULL);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "f", CURLFORM_FILE,
                            "x", CURLFORM_CONTENTSLENGTH, 3L, CURLFORM_END),
               CURL_FORMADD_INCOMPLETE);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "n\0x",
                            CURLFORM_NAMELENGTH, 3L, CURLFORM_COPYCONTENTS, "v",
                            CURLFORM_END),
               CURL_FORMADD_NULL);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "c",
                            CURLFORM_COPYCONTENTS, "1", CURLFORM_PTRCONTENTS,
                            "2", CURLFORM_END),
               CURL_FORMADD_OPTION_TWICE);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, "c",
                            CURLFORM_COPYCONTENTS, "1", CURLFORM_CONTENTTYPE,
                            "a/b", CURLFORM_CONTENTTYPE, "c/d", CURLFORM_END),
               CURL_FORMADD_OPTION_TWICE);
  /* failed calls added nothing */
  CHECK(post == NULL && last == NULL);

  char copyname[] = "copied";
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_COPYNAME, copyname,
                            CURLFORM_COPYCONTENTS, "value", CURLFORM_END),
               CURL_FORMADD_OK);
  copyname[0] = 'X'; /* the name was copied */
  CHECK_EQ_STR(post->name, "copied");
  CHECK_EQ_INT(post->namelength, 6);
  CHECK(post->flags & CURL_HTTPPOST_LARGE);
  CHECK(post == last);
  CHECK_EQ_INT(curl_formadd(&post, &last, CURLFORM_PTRNAME, "files",
                            CURLFORM_FILE, "/x/a.gif", CURLFORM_FILE,
                            "/x/b.unknown", CURLFORM_CONTENTTYPE, "t/x",
                            CURLFORM_FILE, "/x/c.bin", CURLFORM_END),
               CURL_FORMADD_OK);
  CHECK(post->next == last);
  CHECK(last->flags & CURL_HTTPPOST_PTRNAME);
  CHECK_EQ_STR(last->contenttype, "image/gif");
  CHECK(last->more && last->more->more && !last->more->more->more);
  CHECK_EQ_STR(last->more->contents, "/x/b.unknown");
  CHECK_EQ_STR(last->more->contenttype, "t/x");
  /* no type of its own: the previous file's */
  CHECK_EQ_STR(last->more->more->contenttype, "t/x");
  curl_formfree(post);
}

TEST(formget_output) {
  char path[128];
  write_file("form.txt", "file body", path);
  struct curl_httppost *post = NULL, *last = NULL;
  struct curl_slist *hdr = curl_slist_append(NULL, "X-Part: 1");
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "name", CURLFORM_COPYCONTENTS,
               "daniel", CURLFORM_END);
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "bin", CURLFORM_PTRCONTENTS,
               "a\0b", CURLFORM_CONTENTSLENGTH, 3L, CURLFORM_CONTENTHEADER, hdr,
               CURLFORM_END);
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "file", CURLFORM_FILE, path,
               CURLFORM_END);
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "content", CURLFORM_FILECONTENT,
               path, CURLFORM_END);
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "buf", CURLFORM_BUFFER, "b.gif",
               CURLFORM_BUFFERPTR, "GIF", CURLFORM_BUFFERLENGTH, 3L,
               CURLFORM_END);
  /* CURLFORM_FILENAME after the second file names that item, and only the
   * field's first item's display name is used: none here */
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "two", CURLFORM_FILE, path,
               CURLFORM_FILE, path, CURLFORM_FILENAME, "shown", CURLFORM_END);
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "stream", CURLFORM_STREAM,
               (void *)1, CURLFORM_END);
  int rc = -1;
  char *text = formget_text(post, &rc);
  CHECK_EQ_INT(rc, 0);
  static const char want[] =
      "Content-Type: multipart/form-data; boundary=B\r\n\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
      "daniel\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"bin\"\r\n"
      "X-Part: 1\r\n\r\na\0b\r\n";
  CHECK(memcmp(text, want, sizeof(want) - 1) == 0);
  const char *rest = text + sizeof(want) - 1;
  static const char want2[] =
      "--B\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"form.txt\"\r\nContent-Type: text/plain\r\n\r\n"
      "file body\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n"
      "file body\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"buf\"; "
      "filename=\"b.gif\"\r\nContent-Type: image/gif\r\n\r\nGIF\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"two\"\r\n"
      "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
      "--B\r\nContent-Disposition: attachment; filename=\"form.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\nfile body\r\n"
      "--B\r\nContent-Disposition: attachment; filename=\"form.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\nfile body\r\n"
      "--B--\r\n\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"stream\"\r\n\r\n\r\n"
      "--B--\r\n";
  CHECK_EQ_STR(rest, want2);
  free(text);

  /* the append callback refusing bytes ends it */
  CHECK_EQ_INT(curl_formget(post, NULL, refuse), CURLE_READ_ERROR);
  /* an empty form is the top header alone */
  text = formget_text(NULL, &rc);
  CHECK_EQ_INT(rc, 0);
  CHECK_EQ_STR(text, "Content-Type: multipart/form-data\r\n\r\n");
  free(text);
  curl_formfree(post);

  /* a missing file fails curl_formget */
  post = last = NULL;
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "f", CURLFORM_FILE,
               "/nonexistent/file", CURLFORM_END);
  struct body b = {NULL, 0, 0};
  CHECK_EQ_INT(curl_formget(post, &b, collect), CURLE_READ_ERROR);
  free(b.data);
  curl_formfree(post);
  curl_slist_free_all(hdr);
  unlink(path);
}

static size_t form_stream_read(char *buf, size_t s, size_t n, void *arg) {
  const char **src = arg;
  return cb_read(buf, s, n, src);
}

TEST(httppost_stream) {
  struct curl_httppost *post = NULL, *last = NULL;
  const char *src = "streamed!";
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "s", CURLFORM_STREAM, &src,
               CURLFORM_CONTENTSLENGTH, 9L, CURLFORM_END);
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "d", CURLFORM_COPYCONTENTS, "x",
               CURLFORM_END);
  struct cn_mime_upload_params prm = params(NULL);
  struct cn_upload_data_stream *s = NULL;
  CHECK_EQ_INT(cn_form_upload_stream_new(post, form_stream_read, &prm, &s),
               CURLE_OK);
  const char *type = cn_mime_upload_stream_content_type(s);
  CHECK(type && strncmp(type, "multipart/form-data; boundary=", 30) == 0);
  struct body b = drain(s, 10);
  CHECK_EQ_INT(b.rv, 0);
  CHECK_EQ_INT(s->size, (int64_t)b.len);
  CHECK(strstr(b.data, "name=\"s\"\r\n\r\nstreamed!\r\n--") != NULL);
  CHECK(strstr(b.data, "name=\"d\"\r\n\r\nx\r\n--") != NULL);
  free(b.data);
  cn_upload_data_stream_destroy(s);
  /* a file that cannot be read fails at the start */
  curl_formadd(&post, &last, CURLFORM_COPYNAME, "f", CURLFORM_FILE,
               "/nonexistent/file", CURLFORM_END);
  s = NULL;
  CHECK_EQ_INT(cn_form_upload_stream_new(post, form_stream_read, &prm, &s),
               CURLE_READ_ERROR);
  CHECK(s == NULL);
  curl_formfree(post);
}

/* --- allocation failures -------------------------------------------------- */

static long live_allocs;
static void *count_malloc(size_t n) {
  void *p = malloc(n);
  if (p)
    live_allocs++;
  return p;
}
static void *count_calloc(size_t a, size_t b) {
  void *p = calloc(a, b);
  if (p)
    live_allocs++;
  return p;
}
static void *count_realloc(void *old, size_t n) {
  void *p = realloc(old, n);
  if (p && !old)
    live_allocs++;
  return p;
}
static void count_free(void *p) {
  if (p)
    live_allocs--;
  free(p);
}

/* one_scenario builds a tree, a form and their streams; returns true when
 * everything succeeded (then the bytes are checked). */
static bool one_scenario(void) {
  bool ok = false;
  curl_mimepart *slot = NULL, *copy = NULL;
  struct cn_upload_data_stream *s = NULL, *fs = NULL;
  struct curl_httppost *post = NULL, *last = NULL;
  curl_mime *m = curl_mime_init(NULL);
  curl_mime *sub = curl_mime_init(NULL);
  if (!m || !sub) {
    curl_mime_free(sub);
    goto out;
  }
  curl_mimepart *p = curl_mime_addpart(m);
  if (!p || curl_mime_name(p, "n\"x") || curl_mime_data(p, "v", 1) ||
      curl_mime_filename(p, "f.txt") || curl_mime_encoder(p, "base64")) {
    curl_mime_free(sub);
    goto out;
  }
  struct curl_slist *h = curl_slist_append(NULL, "X-A: 1");
  if (!h || curl_mime_headers(p, h, 1)) {
    curl_slist_free_all(h);
    curl_mime_free(sub);
    goto out;
  }
  curl_mimepart *q = curl_mime_addpart(sub);
  if (!q || curl_mime_data(q, "inner", CURL_ZERO_TERMINATED)) {
    curl_mime_free(sub);
    goto out;
  }
  p = curl_mime_addpart(m);
  if (!p || curl_mime_subparts(p, sub)) {
    curl_mime_free(sub);
    goto out;
  }
  if (cn_mime_post_attach(&slot, m) || cn_mime_post_dup(&copy, slot))
    goto out;
  struct cn_mime_upload_params prm = {NULL, true, NULL, NULL, NULL};
  if (cn_mime_upload_stream_new(copy, &prm, &s))
    goto out;
  if (curl_formadd(&post, &last, CURLFORM_COPYNAME, "a", CURLFORM_COPYCONTENTS,
                   "b", CURLFORM_CONTENTTYPE, "t/x", CURLFORM_END) ||
      curl_formadd(&post, &last, CURLFORM_COPYNAME, "c", CURLFORM_FILE,
                   "/dev/null", CURLFORM_FILE, "/dev/null", CURLFORM_END))
    goto out;
  if (cn_form_upload_stream_new(post, NULL, &prm, &fs))
    goto out;
  struct body b = drain(s, 64);
  struct body fb = drain(fs, 64);
  CHECK_EQ_INT(b.rv, 0);
  CHECK_EQ_INT(fb.rv, 0);
  CHECK(strstr(b.data, "Content-Transfer-Encoding: base64\r\nX-A: 1\r\n\r\n"
                       "dg==\r\n") != NULL);
  CHECK(strstr(fb.data, "name=\"a\"\r\nContent-Type: t/x\r\n\r\nb\r\n"));
  free(b.data);
  free(fb.data);
  ok = true;
out:
  cn_upload_data_stream_destroy(s);
  cn_upload_data_stream_destroy(fs);
  cn_mime_post_free(copy);
  cn_mime_post_free(slot);
  curl_mime_free(m);
  curl_formfree(post);
  return ok;
}

TEST(allocation_failures_leak_nothing) {
  cn_alloc_set_functions(count_malloc, count_free, count_realloc, NULL,
                         count_calloc);
  live_allocs = 0;
  CHECK(one_scenario());
  CHECK_EQ_INT(live_allocs, 0);
  bool done = false;
  for (long n = 1; n < 2000 && !done; n++) {
    live_allocs = 0;
    cn_alloc_fail_nth(n);
    done = one_scenario();
    cn_alloc_fail_nth(0);
    if (live_allocs != 0)
      fprintf(stderr, "allocation %ld failing leaks %ld\n", n, live_allocs);
    CHECK_EQ_INT(live_allocs, 0);
  }
  CHECK(done);
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

static void setup(void) {
  strcpy(tmp_dir, "/tmp/cn-mime-test-XXXXXX");
  CHECK(mkdtemp(tmp_dir) != NULL);
}

static void teardown(void) { rmdir(tmp_dir); }

TEST_MAIN(setup, bad_arguments, boundary_is_24_dashes_and_22_alnum,
          form_post_bytes, contentless_part_cannot_be_sent_twice,
          empty_multipart_is_only_the_closing_delimiter,
          disposition_and_type_rules, program_headers, names_are_escaped,
          nested_multiparts, subparts_rules, sizes_match_the_bytes, file_parts,
          callbacks_rewind_and_free, stream_rewind_for_redirects,
          callback_errors, pause_and_unpause, mimepost_slot_binding,
          request_content_type, formadd_codes, formget_output, httppost_stream,
          allocation_failures_leak_nothing, teardown)
