/* mime_upload.c: a MIME tree as a request body (http/upload_data_stream.h)
 * for CURLOPT_MIMEPOST and CURLOPT_HTTPPOST, with libcurl 8.14's framing:
 * the top part's own headers become the request's Content-Type, its body is
 * the multipart, its size the Content-Length (unknown: chunked). */
#include <string.h>

#include "api/mime_internal.h"
#include "http/upload_data_stream.h"
#include "util/alloc.h"
#include "util/net_log.h"

/* Encoders need a few bytes of room for their next unit; a smaller read
 * goes through this buffer (libcurl does the same for reads of <= 4). */
#define STAGE_SIZE 256

struct mime_upload {
  struct cn_upload_data_stream base;
  curl_mimepart *top;    /* &own_top, or the easy handle's (borrowed) */
  curl_mimepart own_top; /* HTTPPOST's tree, or an empty MIMEPOST */
  char *content_type;    /* owned; NULL: no Content-Type */
  const struct cn_net_log *log;
  void (*on_pause)(void *ctx);
  void *pause_ctx;
  int64_t sent;
  int error; /* sticky once a read failed */
  char stage[STAGE_SIZE];
  size_t stage_beg, stage_end;
  /* the read that a CURL_READFUNC_PAUSE left pending */
  bool paused;
  uint8_t *pend_buf;
  size_t pend_len;
  cn_completion_fn pend_cb;
  void *pend_ctx;
};

static void fail(struct mime_upload *u, const char *text) {
  if (u->log)
    cn_net_log_fail(u->log, "%s", text);
}

static int upload_read(struct cn_upload_data_stream *s, uint8_t *buf,
                       size_t len, cn_completion_fn cb, void *ctx) {
  struct mime_upload *u = (struct mime_upload *)s;
  if (u->error)
    return u->error;
  if (u->base.size >= 0) {
    /* never more than announced, whatever the callbacks deliver */
    int64_t left = u->base.size - u->sent;
    if (left <= 0)
      return 0;
    if ((uint64_t)left < len)
      len = (size_t)left;
  }
  if (len > INT32_MAX)
    len = INT32_MAX;
  if (!len)
    return 0;

  size_t n = 0;
  enum cn_mime_read_status st = CN_MIME_READ_MORE;
  if (u->stage_beg == u->stage_end) {
    st = cn_mime_part_read(u->top, (char *)buf, len, &n);
    if (!n && st == CN_MIME_READ_NO_ROOM) {
      size_t k = 0;
      st = cn_mime_part_read(u->top, u->stage, sizeof(u->stage), &k);
      u->stage_beg = 0;
      u->stage_end = k;
    }
  }
  if (!n && u->stage_beg < u->stage_end) {
    n = u->stage_end - u->stage_beg;
    if (n > len)
      n = len;
    memcpy(buf, u->stage + u->stage_beg, n);
    u->stage_beg += n;
  }
  if (n) {
    u->sent += (int64_t)n;
    return (int)n;
  }

  switch (st) {
  case CN_MIME_READ_EOF:
    if (u->base.size >= 0 && u->sent < u->base.size) {
      if (u->log)
        cn_net_log_fail(u->log,
                        "client mime read EOF fail, only %lld/%lld of "
                        "needed bytes read",
                        (long long)u->sent, (long long)u->base.size);
      u->error = CN_ERR_READ_CALLBACK_FAILED;
      return u->error;
    }
    return 0;
  case CN_MIME_READ_PAUSE:
    if (!u->on_pause) {
      fail(u, "Pausing an upload is not supported");
      u->error = CN_ERR_READ_CALLBACK_FAILED;
      return u->error;
    }
    u->paused = true;
    u->pend_buf = buf;
    u->pend_len = len;
    u->pend_cb = cb;
    u->pend_ctx = ctx;
    u->on_pause(u->pause_ctx);
    return CN_ERR_IO_PENDING;
  case CN_MIME_READ_ABORT:
    fail(u, "operation aborted by callback");
    u->error = CN_ERR_CALLBACK_ABORTED;
    return u->error;
  case CN_MIME_READ_FUNNY:
    fail(u, "read function returned funny value");
    u->error = CN_ERR_READ_CALLBACK_FAILED;
    return u->error;
  default:
    fail(u, "read error getting mime data");
    u->error = CN_ERR_READ_CALLBACK_FAILED;
    return u->error;
  }
}

static int upload_rewind(struct cn_upload_data_stream *s) {
  struct mime_upload *u = (struct mime_upload *)s;
  u->sent = 0;
  u->error = CN_OK;
  u->stage_beg = u->stage_end = 0;
  u->paused = false;
  if (!cn_mime_part_rewind(u->top)) {
    fail(u, "Cannot rewind mime/post data");
    return CN_ERR_UPLOAD_FILE_CHANGED;
  }
  return CN_OK;
}

static void upload_destroy(struct cn_upload_data_stream *s) {
  struct mime_upload *u = (struct mime_upload *)s;
  cn_mime_part_cleanup(&u->own_top);
  cn_free(u->content_type);
  cn_free(u);
}

static void upload_cancel(struct cn_upload_data_stream *s) {
  ((struct mime_upload *)s)->paused = false;
}

static const struct cn_upload_data_stream_ops mime_upload_ops = {
    upload_read, upload_rewind, upload_destroy, upload_cancel};

static struct mime_upload *new_upload(const struct cn_mime_upload_params *p) {
  struct mime_upload *u = cn_calloc(1, sizeof(*u));
  if (!u)
    return NULL;
  u->base.ops = &mime_upload_ops;
  cn_mime_part_init(&u->own_top);
  u->own_top.body_only = true;
  u->top = &u->own_top;
  u->log = p->log;
  u->on_pause = p->on_pause;
  u->pause_ctx = p->pause_ctx;
  return u;
}

/* program_content_type: the value of the program's first Content-Type
 * header ("Content-Type:" or "Content-Type;"), blanks skipped; NULL. */
static const char *program_content_type(const struct curl_slist *h) {
  for (; h; h = h->next) {
    const char *line = h->data;
    if (line && curl_strnequal(line, "Content-Type", 12) &&
        (line[12] == ':' || line[12] == ';')) {
      const char *v = line + 13;
      while (*v == ' ')
        v++;
      return v;
    }
  }
  return NULL;
}

/* start rewinds the tree, generates every header (the top part's with the
 * program's header list as its own, so that a Content-Type there is used
 * with the boundary appended) and sizes the body. */
static CURLcode start(struct mime_upload *u,
                      const struct cn_mime_upload_params *p) {
  curl_mimepart *top = u->top;
  if (!cn_mime_part_rewind(top))
    return CURLE_SEND_FAIL_REWIND;
  const char *type = program_content_type(p->http_headers);
  if (!type && top->kind == CN_MIME_KIND_MULTIPART)
    type = "multipart/form-data";
  struct curl_slist *saved = top->userheaders;
  bool saved_owned = top->owns_userheaders;
  top->userheaders = (struct curl_slist *)p->http_headers;
  top->owns_userheaders = false;
  CURLcode rc = cn_mime_prepare_headers(top, type, NULL, p->form_escape);
  top->userheaders = saved;
  top->owns_userheaders = saved_owned;
  if (rc != CURLE_OK)
    return rc;
  int64_t size = cn_mime_part_size(top);
  u->base.size = size >= 0 ? size : -1;
  for (const struct curl_slist *l = top->curlheaders; l; l = l->next) {
    if (curl_strnequal(l->data, "Content-Type: ", 14)) {
      u->content_type = cn_strdup(l->data + 14);
      if (!u->content_type)
        return CURLE_OUT_OF_MEMORY;
      break;
    }
  }
  return CURLE_OK;
}

CURLcode cn_mime_upload_stream_new(curl_mimepart *top,
                                   const struct cn_mime_upload_params *params,
                                   struct cn_upload_data_stream **out) {
  struct mime_upload *u = new_upload(params);
  if (!u)
    return CURLE_OUT_OF_MEMORY;
  if (top)
    u->top = top;
  CURLcode rc = start(u, params);
  if (rc != CURLE_OK) {
    upload_destroy(&u->base);
    return rc;
  }
  *out = &u->base;
  return CURLE_OK;
}

CURLcode cn_form_upload_stream_new(struct curl_httppost *post,
                                   curl_read_callback fread_func,
                                   const struct cn_mime_upload_params *params,
                                   struct cn_upload_data_stream **out) {
  struct mime_upload *u = new_upload(params);
  if (!u)
    return CURLE_OUT_OF_MEMORY;
  CURLcode rc = cn_form_to_mime(&u->own_top, post, fread_func);
  if (rc == CURLE_OK)
    rc = start(u, params);
  if (rc != CURLE_OK) {
    upload_destroy(&u->base);
    return rc;
  }
  *out = &u->base;
  return CURLE_OK;
}

const char *
cn_mime_upload_stream_content_type(const struct cn_upload_data_stream *s) {
  return ((const struct mime_upload *)s)->content_type;
}

void cn_mime_upload_stream_unpause(struct cn_upload_data_stream *s) {
  struct mime_upload *u = (struct mime_upload *)s;
  cn_mime_unpause(u->top);
  if (!u->paused)
    return;
  u->paused = false;
  cn_completion_fn cb = u->pend_cb;
  void *ctx = u->pend_ctx;
  int rv = upload_read(s, u->pend_buf, u->pend_len, cb, ctx);
  if (rv != CN_ERR_IO_PENDING)
    cb(ctx, rv);
}
