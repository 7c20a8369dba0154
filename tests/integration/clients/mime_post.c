/* mime_post: builds a MIME post (curl_mime_* or curl_formadd) for one named
 * scenario, sends it to URL, and prints what happened as one JSON line, so
 * that test_mime.py can run the same program on curlium and on another
 * libcurl and compare the bytes the server received.
 *
 * Usage: mime_post URL SCENARIO DIR
 *   DIR holds the scenario's input files (made by the test).
 *
 * Output, one line per curl_easy_perform:
 *         {"scenario":S, "codes":[setup return codes...], "perform":N,
 *          "error":"errbuf", "response_b64":"server answer",
 *          "formget_rc":N, "formget_b64":"curl_formget output"}
 * Everything is freed before exit (valgrind runs use it). */
#define CURL_DISABLE_DEPRECATION 1
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
  char *data;
  size_t len;
};

static size_t append(struct buf *b, const char *p, size_t n) {
  char *d = realloc(b->data, b->len + n + 1);
  if (!d)
    return 0;
  memcpy(d + b->len, p, n);
  b->data = d;
  b->len += n;
  d[b->len] = '\0';
  return n;
}

static size_t on_write(char *p, size_t s, size_t n, void *u) {
  return append(u, p, s * n);
}

static size_t on_formget(void *arg, const char *p, size_t n) {
  return append(arg, p, n);
}

static void print_b64(const char *key, const struct buf *b) {
  static const char t[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  printf(",\"%s\":\"", key);
  const unsigned char *p = (const unsigned char *)b->data;
  for (size_t i = 0; i < b->len; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < b->len)
      v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < b->len)
      v |= p[i + 2];
    putchar(t[(v >> 18) & 63]);
    putchar(t[(v >> 12) & 63]);
    putchar(i + 1 < b->len ? t[(v >> 6) & 63] : '=');
    putchar(i + 2 < b->len ? t[v & 63] : '=');
  }
  putchar('"');
}

/* --- scenario helpers ----------------------------------------------------- */

static int codes[64];
static int num_codes;

static void rec(int rc) {
  if (num_codes < 64)
    codes[num_codes++] = rc;
}

static char dir[1024];

static const char *path(const char *name, char *out, size_t len) {
  snprintf(out, len, "%s/%s", dir, name);
  return out;
}

/* deterministic bytes: the same on every run and library */
static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    p[i] = (unsigned char)(seed >> 16);
  }
}

static curl_mimepart *data_part(curl_mime *m, const char *name,
                                const char *data, size_t len) {
  curl_mimepart *p = curl_mime_addpart(m);
  rec(curl_mime_name(p, name));
  rec(curl_mime_data(p, data, len));
  return p;
}

/* a read callback over a string, with a seek callback */
struct src {
  const char *data;
  size_t len;
  size_t off;
  int pause_once; /* answer CURL_READFUNC_PAUSE once (not used by default) */
};

static size_t src_read(char *buf, size_t s, size_t n, void *arg) {
  struct src *x = arg;
  size_t want = s * n;
  size_t left = x->len - x->off;
  if (want > left)
    want = left;
  if (want > 7)
    want = 7; /* small pieces on purpose */
  memcpy(buf, x->data + x->off, want);
  x->off += want;
  return want;
}

static int src_seek(void *arg, curl_off_t off, int whence) {
  struct src *x = arg;
  if (whence != SEEK_SET || off < 0 || (size_t)off > x->len)
    return CURL_SEEKFUNC_CANTSEEK;
  x->off = (size_t)off;
  return CURL_SEEKFUNC_OK;
}

static size_t abort_read(char *buf, size_t s, size_t n, void *arg) {
  (void)buf;
  (void)s;
  (void)n;
  (void)arg;
  return CURL_READFUNC_ABORT;
}

static struct src cb_known = {"callback data of known size\r\n", 29, 0, 0};
static struct src cb_unknown = {"callback data, size unknown: chunked", 36, 0,
                                0};

static unsigned char random_bytes[5000];
static char *big;
static struct curl_slist *form_headers;

/* build_mime makes the tree of |scenario|; NULL if it is not a MIME one. */
static curl_mime *build_mime(CURL *h, const char *scenario,
                             struct curl_slist **hdrs) {
  char p1[1200], p2[1200];
  curl_mime *m = curl_mime_init(h);
  curl_mimepart *p;
  if (!strcmp(scenario, "basic")) {
    data_part(m, "field", "value", CURL_ZERO_TERMINATED);
    p = data_part(m, "withfile", "file contents\n", CURL_ZERO_TERMINATED);
    rec(curl_mime_filename(p, "a.txt"));
    p = data_part(m, "typed", "{\"a\":1}", CURL_ZERO_TERMINATED);
    rec(curl_mime_type(p, "application/json"));
    data_part(m, "binary", "a\0b\0c", 5);
    data_part(m, "empty", "", 0);
    p = curl_mime_addpart(m); /* a part with only a name */
    rec(curl_mime_name(p, "noval"));
    p = curl_mime_addpart(m); /* and one with nothing at all */
    p = data_part(m, "ptype", "plain", CURL_ZERO_TERMINATED);
    rec(curl_mime_type(p, "text/plain"));
    p = curl_mime_addpart(m);
    rec(curl_mime_data(p, "anonymous", CURL_ZERO_TERMINATED));
    p = curl_mime_addpart(m);
    rec(curl_mime_filename(p, "picture.JPG"));
    rec(curl_mime_data(p, "jpegish", CURL_ZERO_TERMINATED));
  } else if (!strcmp(scenario, "files")) {
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "text"));
    rec(curl_mime_filedata(p, path("hello.txt", p1, sizeof(p1))));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "image"));
    rec(curl_mime_filedata(p, path("pic.png", p1, sizeof(p1))));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "unknown"));
    rec(curl_mime_filedata(p, path("data.bin", p1, sizeof(p1))));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "renamed"));
    rec(curl_mime_filedata(p, path("hello.txt", p1, sizeof(p1))));
    rec(curl_mime_filename(p, "other.html"));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "noname-txt"));
    rec(curl_mime_filedata(p, path("hello.txt", p1, sizeof(p1))));
    rec(curl_mime_filename(p, NULL));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "noname-png"));
    rec(curl_mime_filedata(p, path("pic.png", p1, sizeof(p1))));
    rec(curl_mime_filename(p, NULL));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "noname-bin"));
    rec(curl_mime_filedata(p, path("data.bin", p1, sizeof(p1))));
    rec(curl_mime_filename(p, NULL));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "typed"));
    rec(curl_mime_filedata(p, path("pic.png", p1, sizeof(p1))));
    rec(curl_mime_type(p, "image/x-custom"));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "empty"));
    rec(curl_mime_filedata(p, path("empty.xml", p1, sizeof(p1))));
  } else if (!strcmp(scenario, "escape") ||
             !strcmp(scenario, "escape_formescape")) {
    p = data_part(m, "quote\"name", "1", CURL_ZERO_TERMINATED);
    p = data_part(m, "cr\rlf\nname", "2", CURL_ZERO_TERMINATED);
    p = data_part(m, "back\\slash", "3", CURL_ZERO_TERMINATED);
    rec(curl_mime_filename(p, "f\"i\\l\r\ne.txt"));
    p = data_part(m, "percent%22", "4", CURL_ZERO_TERMINATED);
    rec(curl_mime_filename(p, "utf8-\xc3\xa9.txt"));
    if (!strcmp(scenario, "escape_formescape"))
      rec(curl_easy_setopt(h, CURLOPT_MIME_OPTIONS,
                           (long)CURLMIMEOPT_FORMESCAPE));
  } else if (!strcmp(scenario, "base64")) {
    static const size_t sizes[] = {0,  1,  2,  3,   4,   56,   57,  58,
                                   59, 60, 61, 114, 115, 1000, 5000};
    fill(random_bytes, sizeof(random_bytes), 7);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
      char name[32];
      snprintf(name, sizeof(name), "b64-%zu", sizes[i]);
      p = data_part(m, name, (const char *)random_bytes, sizes[i]);
      rec(curl_mime_encoder(p, "BASE64"));
    }
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "b64-file"));
    rec(curl_mime_filedata(p, path("data.bin", p1, sizeof(p1))));
    rec(curl_mime_encoder(p, "base64"));
  } else if (!strcmp(scenario, "qp")) {
    static const char *texts[] = {
        "plain ascii text",
        "trailing space \r\nand tab\t\r\nend space ",
        "equals = sign, \x7f and \x80\xff high bytes",
        "lone CR\rhere and lone LF\nthere\r\n",
        "a line that is exactly seventy-six characters long, no more, no "
        "less!!!!!\r\n",
        "a line that is exactly seventy-five characters long no more and "
        "no less!!\r\n",
        "a line that is exactly seventy-seven characters long, no more, no "
        "less!!!!!!\r\n",
        "a very long line without any break in it at all that must be "
        "broken softly at seventy-six characters by the encoder, twice "
        "even, since it goes on and on and on for quite a while longer",
        "escape near the end of a line .................................."
        "........\xe9\xe9\xe9 x",
        "ends with CR\r",
        "ends with tab\t",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
      char name[32];
      snprintf(name, sizeof(name), "qp-%zu", i);
      p = data_part(m, name, texts[i], CURL_ZERO_TERMINATED);
      rec(curl_mime_encoder(p, "quoted-printable"));
    }
    fill(random_bytes, sizeof(random_bytes), 11);
    p = data_part(m, "qp-random", (const char *)random_bytes, 3000);
    rec(curl_mime_encoder(p, "quoted-printable"));
  } else if (!strcmp(scenario, "other_encoders")) {
    p = data_part(m, "seven", "7bit text\r\n", CURL_ZERO_TERMINATED);
    rec(curl_mime_encoder(p, "7bit"));
    p = data_part(m, "eight", "8bit \xe9\r\n", CURL_ZERO_TERMINATED);
    rec(curl_mime_encoder(p, "8bit"));
    p = data_part(m, "bin", "bin\0ary", 7);
    rec(curl_mime_encoder(p, "binary"));
    p = data_part(m, "unknown-encoder", "x", CURL_ZERO_TERMINATED);
    rec(curl_mime_encoder(p, "base64"));
    rec(curl_mime_encoder(p, "rot13")); /* fails and removes base64 */
    p = data_part(m, "removed", "y", CURL_ZERO_TERMINATED);
    rec(curl_mime_encoder(p, "base64"));
    rec(curl_mime_encoder(p, NULL));
  } else if (!strcmp(scenario, "seven_bit_fail")) {
    p = data_part(m, "seven", "not \xe9 seven bit", CURL_ZERO_TERMINATED);
    rec(curl_mime_encoder(p, "7bit"));
  } else if (!strcmp(scenario, "nested")) {
    data_part(m, "first", "1", CURL_ZERO_TERMINATED);
    curl_mime *sub = curl_mime_init(h);
    p = curl_mime_addpart(sub);
    rec(curl_mime_filedata(p, path("hello.txt", p1, sizeof(p1))));
    p = curl_mime_addpart(sub);
    rec(curl_mime_data(p, "inner data", CURL_ZERO_TERMINATED));
    rec(curl_mime_name(p, "inner"));
    curl_mime *subsub = curl_mime_init(h);
    p = curl_mime_addpart(subsub);
    rec(curl_mime_data(p, "deep", CURL_ZERO_TERMINATED));
    rec(curl_mime_type(p, "text/x-deep"));
    p = curl_mime_addpart(sub);
    rec(curl_mime_subparts(p, subsub));
    rec(curl_mime_type(p, "multipart/alternative"));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "files"));
    rec(curl_mime_subparts(p, sub));
    rec(curl_mime_subparts(p, sub)); /* the same again: fine */
    /* a nested form-data keeps form-data dispositions */
    curl_mime *form = curl_mime_init(h);
    data_part(form, "f1", "v1", CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(m);
    rec(curl_mime_subparts(p, form));
    rec(curl_mime_type(p, "multipart/form-data"));
    /* base64 over a whole multipart */
    curl_mime *enc = curl_mime_init(h);
    data_part(enc, "e1", "encoded multipart", CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "encoded"));
    rec(curl_mime_subparts(p, enc));
    rec(curl_mime_encoder(p, "base64"));
    /* errors: attach twice, attach a root under itself */
    curl_mime *loose = curl_mime_init(h);
    p = curl_mime_addpart(m);
    rec(curl_mime_subparts(p, sub) == CURLE_OK ? 0 : 1);
    rec(curl_mime_subparts(p, m));
    rec(curl_mime_subparts(p, loose));
    rec(curl_mime_name(p, "late"));
  } else if (!strcmp(scenario, "headers")) {
    struct curl_slist *h1 = NULL;
    h1 = curl_slist_append(h1, "X-Custom: one");
    h1 = curl_slist_append(h1, "Content-Type: text/x-from-header");
    h1 = curl_slist_append(h1, "X-Other:two");
    p = data_part(m, "custom", "c", CURL_ZERO_TERMINATED);
    rec(curl_mime_headers(p, h1, 1));
    struct curl_slist *h2 = NULL;
    h2 = curl_slist_append(h2, "Content-Disposition: inline; name=\"mine\"");
    h2 = curl_slist_append(h2, "Content-Transfer-Encoding: my-own");
    p = data_part(m, "ignored", "d", CURL_ZERO_TERMINATED);
    rec(curl_mime_encoder(p, "8bit"));
    rec(curl_mime_headers(p, h2, 1));
    struct curl_slist *h3 = NULL;
    h3 = curl_slist_append(h3, "Content-Type:   text/x-spaced");
    p = data_part(m, "spaced", "e", CURL_ZERO_TERMINATED);
    rec(curl_mime_type(p, "text/x-wins"));
    rec(curl_mime_headers(p, h3, 1));
  } else if (!strcmp(scenario, "user_content_type")) {
    data_part(m, "a", "1", CURL_ZERO_TERMINATED);
    p = data_part(m, "b", "2", CURL_ZERO_TERMINATED);
    rec(curl_mime_filename(p, "b.txt"));
    *hdrs = curl_slist_append(*hdrs, "Content-Type: multipart/related");
  } else if (!strcmp(scenario, "callbacks")) {
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "known"));
    rec(curl_mime_data_cb(p, (curl_off_t)cb_known.len, src_read, src_seek, NULL,
                          &cb_known));
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "unknown"));
    rec(curl_mime_data_cb(p, -1, src_read, src_seek, NULL, &cb_unknown));
    rec(curl_mime_filename(p, "stream.txt"));
  } else if (!strcmp(scenario, "callback_known")) {
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "known"));
    rec(curl_mime_data_cb(p, (curl_off_t)cb_known.len, src_read, src_seek, NULL,
                          &cb_known));
  } else if (!strcmp(scenario, "callback_abort")) {
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "abort"));
    rec(curl_mime_data_cb(p, 10, abort_read, NULL, NULL, NULL));
  } else if (!strcmp(scenario, "missing_file")) {
    data_part(m, "before", "x", CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(m);
    rec(curl_mime_name(p, "gone"));
    rec(curl_mime_filedata(p, path("does-not-exist.txt", p2, sizeof(p2))));
  } else if (!strcmp(scenario, "empty_mime")) {
    /* no parts at all */
  } else if (!strcmp(scenario, "big")) {
    size_t n = 1100 * 1024;
    big = malloc(n);
    memset(big, 'x', n);
    data_part(m, "big", big, n);
  } else {
    curl_mime_free(m);
    return NULL;
  }
  return m;
}

static struct curl_httppost *build_form(const char *scenario) {
  char p1[1200], p2[1200];
  struct curl_httppost *post = NULL, *last = NULL;
  struct curl_slist *ch = NULL;
  if (!strcmp(scenario, "formadd")) {
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "name",
                     CURLFORM_COPYCONTENTS, "daniel", CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_PTRNAME, "ptr",
                     CURLFORM_PTRCONTENTS, "pointed", CURLFORM_CONTENTSLENGTH,
                     5L, CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "namelen!",
                     CURLFORM_NAMELENGTH, 7L, CURLFORM_COPYCONTENTS,
                     "with\0nul", CURLFORM_CONTENTLEN, (curl_off_t)8,
                     CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "typed",
                     CURLFORM_COPYCONTENTS, "<b>", CURLFORM_CONTENTTYPE,
                     "text/html", CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "file", CURLFORM_FILE,
                     path("hello.txt", p1, sizeof(p1)), CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "files", CURLFORM_FILE,
                     path("hello.txt", p1, sizeof(p1)), CURLFORM_FILE,
                     path("pic.png", p2, sizeof(p2)), CURLFORM_FILE,
                     path("data.bin", p2, sizeof(p2)), CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "files2", CURLFORM_FILE,
                     path("data.bin", p1, sizeof(p1)), CURLFORM_CONTENTTYPE,
                     "x/first", CURLFORM_FILE, path("data.bin", p2, sizeof(p2)),
                     CURLFORM_FILENAME, "shown.dat", CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "showname", CURLFORM_FILE,
                     path("data.bin", p1, sizeof(p1)), CURLFORM_FILENAME,
                     "shown.txt", CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "filecontent",
                     CURLFORM_FILECONTENT, path("hello.txt", p1, sizeof(p1)),
                     CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "buffer", CURLFORM_BUFFER,
                     "buf.bin", CURLFORM_BUFFERPTR, "buffer data",
                     CURLFORM_BUFFERLENGTH, 11L, CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "buffer2",
                     CURLFORM_BUFFER, "buf.gif", CURLFORM_BUFFERPTR, "gif89",
                     CURLFORM_BUFFERLENGTH, 5L, CURLFORM_END));
    ch = curl_slist_append(ch, "X-Part: yes");
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "hdr",
                     CURLFORM_COPYCONTENTS, "h", CURLFORM_CONTENTHEADER, ch,
                     CURLFORM_END));
    struct curl_forms arr[] = {{CURLFORM_COPYNAME, "arr"},
                               {CURLFORM_COPYCONTENTS, "from array"},
                               {CURLFORM_END, NULL}};
    rec(curl_formadd(&post, &last, CURLFORM_ARRAY, arr, CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "stream", CURLFORM_STREAM,
                     &cb_known, CURLFORM_CONTENTSLENGTH, (long)cb_known.len,
                     CURLFORM_END));
    /* errors, with no effect on the list */
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "a", CURLFORM_COPYNAME,
                     "b", CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "only-name",
                     CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "x", 9999, CURLFORM_END));
    struct curl_forms nested[] = {{CURLFORM_ARRAY, NULL}, {CURLFORM_END, NULL}};
    rec(curl_formadd(&post, &last, CURLFORM_ARRAY, nested, CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "f", CURLFORM_FILE, "x",
                     CURLFORM_CONTENTSLENGTH, 3L, CURLFORM_END));
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "nul",
                     CURLFORM_NAMELENGTH, 4L, CURLFORM_COPYCONTENTS, "v",
                     CURLFORM_END) == CURL_FORMADD_OK
            ? 0
            : 99);
  } else if (!strcmp(scenario, "formadd_missing")) {
    rec(curl_formadd(&post, &last, CURLFORM_COPYNAME, "gone", CURLFORM_FILE,
                     path("does-not-exist", p1, sizeof(p1)), CURLFORM_END));
  } else {
    return NULL;
  }
  form_headers = ch; /* must outlive the form: freed at exit */
  return post;
}

static void print_result(const char *scenario, CURLcode rc, const char *err,
                         const struct buf *resp, int fg_rc,
                         const struct buf *fg) {
  printf("{\"scenario\":\"%s\",\"codes\":[", scenario);
  for (int i = 0; i < num_codes; i++)
    printf("%s%d", i ? "," : "", codes[i]);
  printf("],\"perform\":%d,\"error\":\"", (int)rc);
  for (const char *c = err; *c; c++)
    if (*c != '"' && *c != '\\' && (unsigned char)*c >= 0x20)
      putchar(*c);
  printf("\",\"formget_rc\":%d", fg_rc);
  print_b64("response_b64", resp);
  print_b64("formget_b64", fg);
  printf("}\n");
}

/* Scenarios that are about the handle rather than the tree:
 *   twice:     "callback_known" + a file part, performed twice (rewinds)
 *   follow:    the same, following redirects (307/308 resend it)
 *   duphandle: "basic" on a curl_easy_duphandle copy, the original handle
 *              and mime freed first (the copy owns its own tree)
 *   freed:     "basic" freed after CURLOPT_MIMEPOST: an empty post */
int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: mime_post URL SCENARIO DIR\n");
    return 2;
  }
  snprintf(dir, sizeof(dir), "%s", argv[3]);
  const char *scenario = argv[2];
  const char *tree = scenario;
  int performs = 1;
  bool follow = !strcmp(scenario, "follow");
  if (!strcmp(scenario, "twice") || follow) {
    tree = "callback_known";
    performs = follow ? 1 : 2;
  } else if (!strcmp(scenario, "duphandle") || !strcmp(scenario, "freed")) {
    tree = "basic";
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *h = curl_easy_init();
  char err[CURL_ERROR_SIZE] = "";
  struct buf resp = {NULL, 0}, fg = {NULL, 0};
  struct curl_slist *hdrs = NULL;
  int fg_rc = -1;
  curl_easy_setopt(h, CURLOPT_URL, argv[1]);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, src_read);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);

  curl_mime *mime = build_mime(h, tree, &hdrs);
  struct curl_httppost *post = NULL;
  if (mime) {
    if (!strcmp(scenario, "twice") || follow) {
      char p1[1200];
      curl_mimepart *p = curl_mime_addpart(mime);
      rec(curl_mime_name(p, "file"));
      rec(curl_mime_filedata(p, path("hello.txt", p1, sizeof(p1))));
    }
    rec(curl_easy_setopt(h, CURLOPT_MIMEPOST, mime));
  } else {
    post = build_form(tree);
    if (!post && strcmp(tree, "formadd_missing")) {
      fprintf(stderr, "unknown scenario %s\n", scenario);
      return 2;
    }
    rec(curl_easy_setopt(h, CURLOPT_HTTPPOST, post));
    fg_rc = curl_formget(post, &fg, on_formget);
  }
  if (hdrs)
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  if (follow)
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  if (!strcmp(scenario, "duphandle")) {
    CURL *copy = curl_easy_duphandle(h);
    curl_easy_cleanup(h);
    curl_mime_free(mime);
    mime = NULL;
    h = copy;
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  } else if (!strcmp(scenario, "freed")) {
    curl_mime_free(mime);
    mime = NULL;
  }
  for (int i = 0; i < performs; i++) {
    free(resp.data);
    resp.data = NULL;
    resp.len = 0;
    err[0] = '\0';
    CURLcode rc = curl_easy_perform(h);
    print_result(scenario, rc, err, &resp, fg_rc, &fg);
  }

  curl_easy_cleanup(h);
  curl_mime_free(mime);
  curl_formfree(post);
  curl_slist_free_all(hdrs);
  curl_slist_free_all(form_headers);
  free(resp.data);
  free(fg.data);
  free(big);
  curl_global_cleanup();
  return 0;
}
