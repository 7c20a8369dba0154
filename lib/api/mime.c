/* mime.c: the MIME API (curl_mime_*) and the tree walk that turns a
 * curl_mime into the bytes of a request body, as libcurl 8.14 does: the
 * same headers for each part, the same escaping, sizes and encodings. The
 * request-body streams over it are in mime_upload.c, the form API in
 * formdata.c. */
#include <openssl/rand.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/mime_internal.h"

#include "api/easy_handle.h"
#include "impersonate/browser_profile.h"
#include "impersonate/fingerprint.h"
#include "util/alloc.h"
#include "util/buf.h"

/* libcurl's defaults for parts without a type of their own. */
#define FILE_TYPE_DEFAULT "application/octet-stream"
#define MULTIPART_TYPE_DEFAULT "multipart/mixed"
#define DISPOSITION_DEFAULT "attachment"

/* --- boundary ------------------------------------------------------------- */

static bool random_alnum(char *out, size_t n) {
  static const char alnum[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char r[64];
  size_t have = 0, used = 0;
  while (have < n) {
    if (used == sizeof(r) || used == 0) {
      if (RAND_bytes(r, sizeof(r)) != 1)
        return false;
      used = 0;
    }
    unsigned char b = r[used++];
    /* 248 = 4 * 62: above it a plain modulo would favour some letters */
    if (b < 248)
      out[have++] = alnum[b % 62];
  }
  return true;
}

/* --- part content --------------------------------------------------------- */

static void reset_read_state(struct curl_mimepart *part) {
  part->state = CN_MIME_PART_BEGIN;
  part->hdr_off = 0;
  part->offset = 0;
  part->raw_status = CN_MIME_READ_MORE;
  cn_mime_enc_state_reset(&part->enc);
}

/* clear_content drops what a part's content refers to without touching the
 * subparts (callers decide about them) and leaves an empty part. */
static void clear_content_fields(struct curl_mimepart *part) {
  part->kind = CN_MIME_KIND_NONE;
  part->data = NULL;
  part->datasize = 0;
  part->fp = NULL;
  part->readfunc = NULL;
  part->seekfunc = NULL;
  part->freefunc = NULL;
  part->arg = NULL;
  part->subparts = NULL;
  part->owns_subparts = false;
  reset_read_state(part);
}

/* cleanup_content releases the part's content: its data copy, open file,
 * the program's free callback, and subparts it owns (bound ones are only
 * unbound). */
static void cleanup_content(struct curl_mimepart *part) {
  switch (part->kind) {
  case CN_MIME_KIND_DATA:
    cn_free(part->data);
    break;
  case CN_MIME_KIND_FILE:
    if (part->fp)
      fclose(part->fp);
    cn_free(part->data);
    break;
  case CN_MIME_KIND_CALLBACK:
    if (part->freefunc)
      part->freefunc(part->arg);
    break;
  case CN_MIME_KIND_MULTIPART: {
    struct curl_mime *sub = part->subparts;
    bool owned = part->owns_subparts;
    clear_content_fields(part);
    if (sub) {
      sub->parent = NULL;
      if (owned)
        curl_mime_free(sub);
    }
    return;
  }
  case CN_MIME_KIND_NONE:
    break;
  }
  clear_content_fields(part);
}

void cn_mime_part_init(struct curl_mimepart *part) {
  memset(part, 0, sizeof(*part));
  clear_content_fields(part);
}

void cn_mime_part_cleanup(struct curl_mimepart *part) {
  if (!part)
    return;
  cleanup_content(part);
  curl_slist_free_all(part->curlheaders);
  if (part->owns_userheaders)
    curl_slist_free_all(part->userheaders);
  cn_free(part->hdr_block);
  cn_free(part->mimetype);
  cn_free(part->name);
  cn_free(part->filename);
  /* keep the links: the part stays where it is in its multipart */
  struct curl_mime *parent = part->parent;
  struct curl_mimepart *next = part->next;
  bool body_only = part->body_only;
  cn_mime_part_init(part);
  part->parent = parent;
  part->next = next;
  part->body_only = body_only;
}

/* --- handles and parts ---------------------------------------------------- */

static bool random_hex(char *out, size_t n) {
  unsigned char r[32];
  if (n > 2 * sizeof(r) || RAND_bytes(r, sizeof(r)) != 1)
    return false;
  for (size_t i = 0; i < n; i++)
    out[i] = "0123456789abcdef"[(r[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
  return true;
}

/* make_boundary writes a boundary in |style| into |mime|. */
static bool make_boundary(struct curl_mime *mime, enum cn_form_boundary style) {
  static const char webkit[] = "----WebKitFormBoundary";
  static const char gecko[] = "----geckoformboundary";
  char *b = mime->boundary;
  bool ok;
  switch (style) {
  case CN_FORM_BOUNDARY_WEBKIT:
    memcpy(b, webkit, sizeof(webkit) - 1);
    ok = random_alnum(b + sizeof(webkit) - 1, 16);
    mime->boundary_len = sizeof(webkit) - 1 + 16;
    break;
  case CN_FORM_BOUNDARY_GECKO:
    memcpy(b, gecko, sizeof(gecko) - 1);
    ok = random_hex(b + sizeof(gecko) - 1, 32);
    mime->boundary_len = sizeof(gecko) - 1 + 32;
    break;
  default:
    memset(b, '-', CN_MIME_BOUNDARY_DASHES);
    ok = random_alnum(b + CN_MIME_BOUNDARY_DASHES, CN_MIME_BOUNDARY_RANDOM);
    mime->boundary_len = CN_MIME_BOUNDARY_LEN;
    break;
  }
  b[mime->boundary_len] = '\0';
  return ok;
}

/* The boundary follows CURLOPT_FORM_BOUNDARY or else the browser the
 * handle impersonates at this point (CURL_IMPERSONATE applies at
 * curl_easy_init; the options must come before curl_mime_init to count). */
static enum cn_form_boundary boundary_style(CURL *easy) {
  struct cn_easy *e = easy ? cn_easy_from(easy) : NULL;
  const struct cn_browser_profile *p;
  bool headers;
  if (e && e->opts.fingerprint &&
      (e->opts.fingerprint->set & CN_FP_FORM_BOUNDARY))
    return e->opts.fingerprint->form_boundary;
  if (e && e->opts.impersonate &&
      cn_browser_profile_parse_spec(e->opts.impersonate, &p, &headers))
    return p->form_boundary;
  return CN_FORM_BOUNDARY_CURL;
}

curl_mime *curl_mime_init(CURL *easy) {
  struct curl_mime *mime = cn_calloc(1, sizeof(*mime));
  if (!mime)
    return NULL;
  if (!make_boundary(mime, boundary_style(easy))) {
    cn_free(mime);
    return NULL;
  }
  mime->state = CN_MIME_MULTI_BEGIN;
  return mime;
}

void curl_mime_free(curl_mime *mime) {
  if (!mime)
    return;
  /* Still the content of a part (or of an easy handle's MIMEPOST): that
   * part becomes empty rather than pointing at freed memory. */
  struct curl_mimepart *holder = mime->parent;
  if (holder) {
    clear_content_fields(holder);
    mime->parent = NULL;
  }
  struct curl_mimepart *p = mime->first;
  while (p) {
    struct curl_mimepart *next = p->next;
    cn_mime_part_cleanup(p);
    cn_free(p);
    p = next;
  }
  cn_free(mime);
}

curl_mimepart *curl_mime_addpart(curl_mime *mime) {
  if (!mime)
    return NULL;
  struct curl_mimepart *part = cn_malloc(sizeof(*part));
  if (!part)
    return NULL;
  cn_mime_part_init(part);
  part->parent = mime;
  if (mime->last)
    mime->last->next = part;
  else
    mime->first = part;
  mime->last = part;
  return part;
}

static CURLcode set_string(char **field, const char *value) {
  char *copy = NULL;
  if (value) {
    copy = cn_strdup(value);
    if (!copy)
      return CURLE_OUT_OF_MEMORY;
  }
  cn_free(*field);
  *field = copy;
  return CURLE_OK;
}

CURLcode curl_mime_name(curl_mimepart *part, const char *name) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return set_string(&part->name, name);
}

CURLcode curl_mime_filename(curl_mimepart *part, const char *filename) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return set_string(&part->filename, filename);
}

CURLcode curl_mime_type(curl_mimepart *part, const char *mimetype) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return set_string(&part->mimetype, mimetype);
}

CURLcode curl_mime_encoder(curl_mimepart *part, const char *encoding) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  /* An unknown name still removes the encoder set before (libcurl). */
  part->encoder = NULL;
  if (!encoding)
    return CURLE_OK;
  part->encoder = cn_mime_encoder_find(encoding);
  return part->encoder ? CURLE_OK : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_data(curl_mimepart *part, const char *data,
                        size_t datasize) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  cleanup_content(part);
  if (!data)
    return CURLE_OK;
  if (datasize == CURL_ZERO_TERMINATED)
    datasize = strlen(data);
  if (datasize >= (size_t)INT64_MAX)
    return CURLE_OUT_OF_MEMORY;
  char *copy = cn_malloc(datasize + 1);
  if (!copy)
    return CURLE_OUT_OF_MEMORY;
  memcpy(copy, data, datasize);
  copy[datasize] = '\0';
  part->data = copy;
  part->datasize = (int64_t)datasize;
  part->kind = CN_MIME_KIND_DATA;
  return CURLE_OK;
}

/* posix_basename: the last path component the way POSIX basename() gives
 * it (libcurl uses the system's): trailing slashes ignored, "/" for only
 * slashes, "." for an empty path. Returns an allocated string or NULL. */
static char *posix_basename(const char *path) {
  size_t len = strlen(path);
  if (!len)
    return cn_strdup(".");
  while (len > 1 && path[len - 1] == '/')
    len--;
  if (len == 1 && path[0] == '/')
    return cn_strdup("/");
  size_t start = len;
  while (start > 0 && path[start - 1] != '/')
    start--;
  return cn_strndup(path + start, len - start);
}

CURLcode curl_mime_filedata(curl_mimepart *part, const char *filename) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  cleanup_content(part);
  if (!filename)
    return CURLE_OK;
  /* An unreadable file is reported now but the part is still set up: the
   * program may create the file before the transfer (libcurl's documented
   * behaviour); reading it then fails with CURLE_READ_ERROR. */
  CURLcode rc = CURLE_OK;
  struct stat st;
  bool readable = stat(filename, &st) == 0 && access(filename, R_OK) == 0;
  if (!readable)
    rc = CURLE_READ_ERROR;
  char *path = cn_strdup(filename);
  char *base = posix_basename(filename);
  if (!path || !base) {
    cn_free(path);
    cn_free(base);
    return CURLE_OUT_OF_MEMORY;
  }
  part->data = path;
  part->kind = CN_MIME_KIND_FILE;
  /* Only a regular file has a size (and can be read again from the
   * start); anything else goes chunked. */
  part->datasize = (readable && S_ISREG(st.st_mode)) ? (int64_t)st.st_size : -1;
  cn_free(part->filename);
  part->filename = base;
  return rc;
}

CURLcode curl_mime_data_cb(curl_mimepart *part, curl_off_t datasize,
                           curl_read_callback readfunc,
                           curl_seek_callback seekfunc,
                           curl_free_callback freefunc, void *arg) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  cleanup_content(part);
  if (!readfunc)
    return CURLE_OK;
  part->readfunc = readfunc;
  part->seekfunc = seekfunc;
  part->freefunc = freefunc;
  part->arg = arg;
  part->datasize = datasize;
  part->kind = CN_MIME_KIND_CALLBACK;
  return CURLE_OK;
}

CURLcode curl_mime_headers(curl_mimepart *part, struct curl_slist *headers,
                           int take_ownership) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  if (part->owns_userheaders) {
    /* setting the same list twice must not free it */
    if (part->userheaders != headers)
      curl_slist_free_all(part->userheaders);
    part->owns_userheaders = false;
  }
  part->userheaders = headers;
  part->owns_userheaders = headers && take_ownership;
  return CURLE_OK;
}

/* --- rewinding ------------------------------------------------------------ */

static bool mime_rewind(struct curl_mime *mime);

/* seek_content puts a part's content source back to its first byte, the
 * way libcurl's per-kind seek functions do; kinds without one (no content,
 * pipes and other files of unknown size, callbacks without a seek
 * callback) cannot. */
static bool seek_content(struct curl_mimepart *part) {
  switch (part->kind) {
  case CN_MIME_KIND_DATA:
    return true;
  case CN_MIME_KIND_FILE:
    if (part->datasize < 0)
      return false;
    if (!part->fp)
      return true; /* not open: will start at the beginning */
    return fseek(part->fp, 0, SEEK_SET) == 0;
  case CN_MIME_KIND_CALLBACK:
    return part->seekfunc &&
           part->seekfunc(part->arg, 0, SEEK_SET) == CURL_SEEKFUNC_OK;
  case CN_MIME_KIND_MULTIPART:
    return mime_rewind(part->subparts);
  case CN_MIME_KIND_NONE:
    break;
  }
  return false;
}

bool cn_mime_part_rewind(struct curl_mimepart *part) {
  enum cn_mime_part_state target =
      part->body_only ? CN_MIME_PART_BODY : CN_MIME_PART_BEGIN;
  bool ok = true;
  cn_mime_enc_state_reset(&part->enc);
  if (part->state > target)
    ok = seek_content(part);
  if (ok) {
    part->state = target;
    part->hdr_off = 0;
    part->offset = 0;
  }
  part->raw_status = CN_MIME_READ_MORE;
  return ok;
}

static bool mime_rewind(struct curl_mime *mime) {
  if (mime->state == CN_MIME_MULTI_BEGIN)
    return true;
  bool ok = true;
  for (struct curl_mimepart *p = mime->first; p; p = p->next)
    if (!cn_mime_part_rewind(p))
      ok = false;
  if (ok) {
    mime->state = CN_MIME_MULTI_BEGIN;
    mime->cur = NULL;
    mime->delim_off = 0;
  }
  return ok;
}

void cn_mime_unpause(struct curl_mimepart *part) {
  if (!part)
    return;
  if (part->raw_status == CN_MIME_READ_PAUSE)
    part->raw_status = CN_MIME_READ_MORE;
  if (part->kind == CN_MIME_KIND_MULTIPART && part->subparts)
    for (struct curl_mimepart *p = part->subparts->first; p; p = p->next)
      cn_mime_unpause(p);
}

/* --- subparts ------------------------------------------------------------- */

CURLcode cn_mime_set_subparts(struct curl_mimepart *part,
                              struct curl_mime *subparts, bool take_ownership) {
  if (!part)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  /* setting the same subparts again changes nothing */
  if (part->kind == CN_MIME_KIND_MULTIPART && part->subparts == subparts)
    return CURLE_OK;
  cleanup_content(part);
  if (!subparts)
    return CURLE_OK;
  if (subparts->parent)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  /* A multipart cannot become part of itself: find the root of |part|. */
  struct curl_mime *root = part->parent;
  if (root) {
    while (root->parent && root->parent->parent)
      root = root->parent->parent;
    if (root == subparts)
      return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  /* Read by an earlier transfer: start them over now, since a rewind of
   * the new parent would see them as untouched. */
  if (!mime_rewind(subparts))
    return CURLE_SEND_FAIL_REWIND;
  subparts->parent = part;
  part->subparts = subparts;
  part->owns_subparts = take_ownership;
  part->datasize = -1;
  part->kind = CN_MIME_KIND_MULTIPART;
  return CURLE_OK;
}

CURLcode curl_mime_subparts(curl_mimepart *part, curl_mime *subparts) {
  return cn_mime_set_subparts(part, subparts, true);
}

/* --- headers -------------------------------------------------------------- */

const char *cn_mime_content_type_for_name(const char *filename) {
  static const struct {
    const char *ext;
    const char *type;
  } types[] = {
      {".gif", "image/gif"},       {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},     {".png", "image/png"},
      {".svg", "image/svg+xml"},   {".txt", "text/plain"},
      {".htm", "text/html"},       {".html", "text/html"},
      {".pdf", "application/pdf"}, {".xml", "application/xml"},
  };
  if (!filename)
    return NULL;
  size_t len = strlen(filename);
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    size_t elen = strlen(types[i].ext);
    if (len >= elen && curl_strequal(filename + len - elen, types[i].ext))
      return types[i].type;
  }
  return NULL;
}

/* line_value: if |line| is "Label: value" (exactly the label, then a
 * colon), the value without leading spaces; else NULL. */
static const char *line_value(const char *line, const char *label) {
  size_t len = strlen(label);
  if (!line || !curl_strnequal(line, label, len) || line[len] != ':')
    return NULL;
  const char *v = line + len + 1;
  while (*v == ' ')
    v++;
  return v;
}

/* header_value: the value of the first |label| line of |list|, or NULL. */
static const char *header_value(const struct curl_slist *list,
                                const char *label) {
  for (; list; list = list->next) {
    const char *v = line_value(list->data, label);
    if (v)
      return v;
  }
  return NULL;
}

/* type_is: |type| names |target| (followed by the end or a parameter). */
static bool type_is(const char *type, const char *target) {
  size_t len = strlen(target);
  if (!type || !curl_strnequal(type, target, len))
    return false;
  switch (type[len]) {
  case '\0':
  case '\t':
  case '\r':
  case '\n':
  case ' ':
  case ';':
    return true;
  default:
    return false;
  }
}

/* escape_name quotes a name or filename for Content-Disposition: by
 * default the HTML form rules ('"', CR, LF as %22 %0D %0A, nothing else),
 * with CURLMIMEOPT_FORMESCAPE backslashes before '\' and '"'. */
static int escape_name(struct cn_buf *b, const char *s, bool form_escape) {
  int rv = CN_OK;
  for (; *s && rv == CN_OK; s++) {
    if (form_escape && (*s == '\\' || *s == '"')) {
      rv = cn_buf_append_byte(b, '\\');
      if (rv == CN_OK)
        rv = cn_buf_append_byte(b, *s);
    } else if (!form_escape && *s == '"') {
      rv = cn_buf_append_str(b, "%22");
    } else if (!form_escape && *s == '\r') {
      rv = cn_buf_append_str(b, "%0D");
    } else if (!form_escape && *s == '\n') {
      rv = cn_buf_append_str(b, "%0A");
    } else {
      rv = cn_buf_append_byte(b, *s);
    }
  }
  return rv;
}

/* add_line appends the built line |b| to |list| (taking its text). */
static int add_line(struct curl_slist **list, struct cn_buf *b) {
  char *text = cn_buf_detach(b);
  if (!text)
    return CN_ERR_OUT_OF_MEMORY;
  struct curl_slist *node = cn_malloc(sizeof(*node));
  if (!node) {
    cn_free(text);
    return CN_ERR_OUT_OF_MEMORY;
  }
  node->data = text;
  node->next = NULL;
  struct curl_slist **tail = list;
  while (*tail)
    tail = &(*tail)->next;
  *tail = node;
  return CN_OK;
}

static int build_disposition(struct curl_mimepart *part, const char *disp,
                             bool form_escape, struct cn_buf *b) {
  int rv = cn_buf_printf(b, "Content-Disposition: %s", disp);
  if (rv == CN_OK && part->name) {
    rv = cn_buf_append_str(b, "; name=\"");
    if (rv == CN_OK)
      rv = escape_name(b, part->name, form_escape);
    if (rv == CN_OK)
      rv = cn_buf_append_byte(b, '"');
  }
  if (rv == CN_OK && part->filename) {
    rv = cn_buf_append_str(b, "; filename=\"");
    if (rv == CN_OK)
      rv = escape_name(b, part->filename, form_escape);
    if (rv == CN_OK)
      rv = cn_buf_append_byte(b, '"');
  }
  return rv;
}

/* render_block lays out the header block as it is read: generated lines,
 * the program's lines except Content-Type (already merged into the
 * generated one), each ended by CRLF, then the empty line. */
static int render_block(struct curl_mimepart *part) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  int rv = CN_OK;
  for (const struct curl_slist *l = part->curlheaders; l && rv == CN_OK;
       l = l->next) {
    rv = cn_buf_append_str(&b, l->data);
    if (rv == CN_OK)
      rv = cn_buf_append(&b, "\r\n", 2);
  }
  for (const struct curl_slist *l = part->userheaders; l && rv == CN_OK;
       l = l->next) {
    if (!l->data || line_value(l->data, "Content-Type"))
      continue;
    rv = cn_buf_append_str(&b, l->data);
    if (rv == CN_OK)
      rv = cn_buf_append(&b, "\r\n", 2);
  }
  if (rv == CN_OK)
    rv = cn_buf_append(&b, "\r\n", 2);
  if (rv != CN_OK) {
    cn_buf_cleanup(&b);
    return rv;
  }
  part->hdr_len = b.len;
  part->hdr_block = cn_buf_detach(&b);
  return part->hdr_block ? CN_OK : CN_ERR_OUT_OF_MEMORY;
}

static int prepare_one(struct curl_mimepart *part, const char *content_type,
                       const char *disposition, bool form_escape,
                       const char **out_type) {
  curl_slist_free_all(part->curlheaders);
  part->curlheaders = NULL;
  cn_free(part->hdr_block);
  part->hdr_block = NULL;
  part->hdr_len = 0;

  const char *custom = part->mimetype;
  if (!custom)
    custom = header_value(part->userheaders, "Content-Type");
  const char *type = custom ? custom : content_type;
  if (!type) {
    switch (part->kind) {
    case CN_MIME_KIND_MULTIPART:
      type = MULTIPART_TYPE_DEFAULT;
      break;
    case CN_MIME_KIND_FILE:
      type = cn_mime_content_type_for_name(part->filename);
      if (!type)
        type = cn_mime_content_type_for_name(part->data);
      if (!type && part->filename)
        type = FILE_TYPE_DEFAULT;
      break;
    default:
      type = cn_mime_content_type_for_name(part->filename);
      break;
    }
  }
  const char *boundary = NULL;
  if (part->kind == CN_MIME_KIND_MULTIPART) {
    if (part->subparts)
      boundary = part->subparts->boundary;
  } else if (type && !custom && type_is(type, "text/plain") &&
             !part->filename) {
    /* plain text is the default of a form field: not worth saying */
    type = NULL;
  }

  struct cn_buf b;
  cn_buf_init(&b, 0);
  int rv = CN_OK;
  if (!header_value(part->userheaders, "Content-Disposition")) {
    const char *disp = disposition;
    if (!disp && (part->filename || part->name ||
                  (type && !curl_strnequal(type, "multipart/", 10))))
      disp = DISPOSITION_DEFAULT;
    if (disp && curl_strequal(disp, DISPOSITION_DEFAULT) && !part->name &&
        !part->filename)
      disp = NULL;
    if (disp) {
      rv = build_disposition(part, disp, form_escape, &b);
      if (rv == CN_OK)
        rv = add_line(&part->curlheaders, &b);
    }
  }
  if (rv == CN_OK && type) {
    rv = cn_buf_printf(&b, "Content-Type: %s%s%s", type,
                       boundary ? "; boundary=" : "", boundary ? boundary : "");
    if (rv == CN_OK)
      rv = add_line(&part->curlheaders, &b);
  }
  if (rv == CN_OK && part->encoder &&
      !header_value(part->userheaders, "Content-Transfer-Encoding")) {
    rv =
        cn_buf_printf(&b, "Content-Transfer-Encoding: %s", part->encoder->name);
    if (rv == CN_OK)
      rv = add_line(&part->curlheaders, &b);
  }
  cn_buf_cleanup(&b);
  if (rv == CN_OK)
    rv = render_block(part);
  *out_type = type;
  return rv;
}

CURLcode cn_mime_prepare_headers(struct curl_mimepart *part,
                                 const char *content_type,
                                 const char *disposition, bool form_escape) {
  const char *type = NULL;
  if (prepare_one(part, content_type, disposition, form_escape, &type) != CN_OK)
    return CURLE_OUT_OF_MEMORY;
  if (part->kind != CN_MIME_KIND_MULTIPART || !part->subparts)
    return CURLE_OK;
  const char *child_disp =
      type_is(type, "multipart/form-data") ? "form-data" : NULL;
  for (struct curl_mimepart *p = part->subparts->first; p; p = p->next) {
    CURLcode rc = cn_mime_prepare_headers(p, NULL, child_disp, form_escape);
    if (rc != CURLE_OK)
      return rc;
  }
  return CURLE_OK;
}

/* --- sizes ---------------------------------------------------------------- */

/* One delimiter: "\r\n--" boundary "\r\n"; the closing one ends in "--"
 * instead, and the very first one has no leading CRLF: same total. */
#define DELIMITER_LEN(mime) (4 + (mime)->boundary_len + 2)

static int64_t multipart_size(struct curl_mime *mime) {
  if (!mime)
    return 0;
  int64_t size = DELIMITER_LEN(mime);
  for (struct curl_mimepart *p = mime->first; p; p = p->next) {
    /* every part is sized, even after an unknown one: nested multiparts
     * record their size on the way */
    int64_t sz = cn_mime_part_size(p);
    if (sz < 0)
      size = sz;
    if (size >= 0)
      size += DELIMITER_LEN(mime) + sz;
  }
  return size;
}

int64_t cn_mime_part_size(struct curl_mimepart *part) {
  if (part->kind == CN_MIME_KIND_MULTIPART)
    part->datasize = multipart_size(part->subparts);
  int64_t size = part->datasize;
  if (part->encoder)
    size = part->encoder->size(size);
  if (size >= 0 && !part->body_only)
    size += (int64_t)part->hdr_len;
  return size;
}

/* --- reading -------------------------------------------------------------- */

/* |slow| (in all the readers below) is set once a file or callback part
 * was read during this cn_mime_part_read call: libcurl reads such a part
 * once per call and stops filling at the next one, so a chunked upload's
 * chunks end where those reads end (mime.c's STOP_FILLING). Data parts
 * fill on. */
static enum cn_mime_read_status read_multipart(struct curl_mime *mime,
                                               char *buf, size_t len,
                                               size_t *out_n, bool *slow);
static enum cn_mime_read_status part_read(struct curl_mimepart *part,
                                          char *buf, size_t len,
                                          size_t *out_n, bool *slow);

static bool is_final(enum cn_mime_read_status st) {
  return st == CN_MIME_READ_EOF || st == CN_MIME_READ_PAUSE ||
         st == CN_MIME_READ_ABORT || st == CN_MIME_READ_ERROR ||
         st == CN_MIME_READ_FUNNY;
}

/* read_raw reads the part's content as it is (before any encoding). A
 * final status sticks until a rewind (PAUSE until an unpause). */
static enum cn_mime_read_status read_raw(struct curl_mimepart *part, char *buf,
                                         size_t len, size_t *out_n,
                                         bool *slow) {
  *out_n = 0;
  if (part->raw_status != CN_MIME_READ_MORE)
    return part->raw_status;
  enum cn_mime_read_status st = CN_MIME_READ_MORE;
  size_t n = 0;
  if (part->datasize >= 0 && part->offset >= part->datasize) {
    st = CN_MIME_READ_EOF; /* known to be at the end: spare a read */
  } else {
    switch (part->kind) {
    case CN_MIME_KIND_NONE:
      st = CN_MIME_READ_EOF;
      break;
    case CN_MIME_KIND_DATA: {
      uint64_t left = (uint64_t)(part->datasize - part->offset);
      n = left < len ? (size_t)left : len;
      memcpy(buf, part->data + part->offset, n);
      break;
    }
    case CN_MIME_KIND_FILE:
      if (!part->fp) {
        part->fp = fopen(part->data, "rb");
        if (!part->fp) {
          st = CN_MIME_READ_ERROR;
          break;
        }
      }
      if (!feof(part->fp)) {
        if (*slow)
          return CN_MIME_READ_STOP;
        *slow = true;
        n = fread(buf, 1, len, part->fp);
      }
      if (!n)
        st = CN_MIME_READ_EOF;
      break;
    case CN_MIME_KIND_CALLBACK: {
      if (*slow)
        return CN_MIME_READ_STOP;
      *slow = true;
      size_t r = part->readfunc(buf, 1, len, part->arg);
      if (r == 0)
        st = CN_MIME_READ_EOF;
      else if (r == CURL_READFUNC_ABORT)
        st = CN_MIME_READ_ABORT;
      else if (r == CURL_READFUNC_PAUSE)
        st = CN_MIME_READ_PAUSE;
      else if (r == (size_t)-1)
        st = CN_MIME_READ_ERROR;
      else if (r > len)
        st = CN_MIME_READ_FUNNY;
      else
        n = r;
      break;
    }
    case CN_MIME_KIND_MULTIPART:
      st = read_multipart(part->subparts, buf, len, &n, slow);
      break;
    }
  }
  if (n > 0) {
    part->offset += (int64_t)n;
    *out_n = n;
    return CN_MIME_READ_MORE;
  }
  if (is_final(st))
    part->raw_status = st;
  return st;
}

/* read_encoded feeds the raw content through the part's encoder. */
static enum cn_mime_read_status read_encoded(struct curl_mimepart *part,
                                             char *buf, size_t len,
                                             size_t *out_n, bool *slow) {
  struct cn_mime_enc_state *enc = &part->enc;
  bool at_eof = false;
  size_t w = 0;
  *out_n = 0;
  for (;;) {
    if (enc->beg < enc->end || at_eof) {
      size_t got = 0;
      enum cn_mime_enc_result r =
          part->encoder->encode(enc, at_eof, buf + w, len - w, &got);
      if (got > 0) {
        w += got;
        continue;
      }
      if (r == CN_MIME_ENC_NO_ROOM || r == CN_MIME_ENC_BAD_INPUT || at_eof) {
        *out_n = w;
        if (w)
          return CN_MIME_READ_MORE;
        return r == CN_MIME_ENC_NO_ROOM     ? CN_MIME_READ_NO_ROOM
               : r == CN_MIME_ENC_BAD_INPUT ? CN_MIME_READ_ERROR
                                            : CN_MIME_READ_EOF;
      }
    }
    /* the encoder wants more input */
    if (enc->beg > 0) {
      memmove(enc->in, enc->in + enc->beg, enc->end - enc->beg);
      enc->end -= enc->beg;
      enc->beg = 0;
    }
    enum cn_mime_read_status st = CN_MIME_READ_ERROR;
    size_t got = 0;
    if (enc->end < sizeof(enc->in))
      st = read_raw(part, (char *)enc->in + enc->end,
                    sizeof(enc->in) - enc->end, &got, slow);
    if (got > 0) {
      enc->end += got;
      continue;
    }
    if (st == CN_MIME_READ_EOF) {
      at_eof = true;
      continue;
    }
    *out_n = w;
    return w ? CN_MIME_READ_MORE : st;
  }
}

static enum cn_mime_read_status part_read(struct curl_mimepart *part,
                                          char *buf, size_t len,
                                          size_t *out_n, bool *slow) {
  size_t n = 0;
  *out_n = 0;
  if (!len)
    return CN_MIME_READ_NO_ROOM;
  while (n < len) {
    switch (part->state) {
    case CN_MIME_PART_BEGIN:
      part->hdr_off = 0;
      part->state = part->body_only ? CN_MIME_PART_BODY : CN_MIME_PART_HEADERS;
      break;
    case CN_MIME_PART_HEADERS: {
      size_t left = part->hdr_len - part->hdr_off;
      size_t k = left < len - n ? left : len - n;
      if (k) {
        memcpy(buf + n, part->hdr_block + part->hdr_off, k);
        part->hdr_off += k;
        n += k;
      }
      if (part->hdr_off == part->hdr_len)
        part->state = CN_MIME_PART_BODY;
      break;
    }
    case CN_MIME_PART_BODY:
      cn_mime_enc_state_reset(&part->enc);
      part->state = CN_MIME_PART_CONTENT;
      break;
    case CN_MIME_PART_CONTENT: {
      size_t k = 0;
      enum cn_mime_read_status st =
          part->encoder ? read_encoded(part, buf + n, len - n, &k, slow)
                        : read_raw(part, buf + n, len - n, &k, slow);
      n += k;
      if (k > 0)
        break;
      if (st == CN_MIME_READ_EOF) {
        part->state = CN_MIME_PART_END;
        /* spare the descriptor until a rewind reopens it */
        if (part->kind == CN_MIME_KIND_FILE && part->fp) {
          fclose(part->fp);
          part->fp = NULL;
        }
      }
      *out_n = n;
      return n ? CN_MIME_READ_MORE : st;
    }
    case CN_MIME_PART_END:
      *out_n = n;
      return n ? CN_MIME_READ_MORE : CN_MIME_READ_EOF;
    }
  }
  *out_n = n;
  return CN_MIME_READ_MORE;
}

/* delimiter writes the delimiter before |cur| (or the closing one when
 * |cur| is NULL) into |out| and returns its length. */
static size_t delimiter(const struct curl_mime *mime,
                        const struct curl_mimepart *cur, char *out) {
  size_t n = 0;
  memcpy(out + n, "\r\n--", 4);
  n += 4;
  memcpy(out + n, mime->boundary, mime->boundary_len);
  n += mime->boundary_len;
  memcpy(out + n, cur ? "\r\n" : "--\r\n", cur ? 2 : 4);
  n += cur ? 2 : 4;
  return n;
}

enum cn_mime_read_status cn_mime_part_read(struct curl_mimepart *part,
                                           char *buf, size_t len,
                                           size_t *out_n) {
  enum cn_mime_read_status st;
  do {
    /* Stopped with nothing to return (an encoder still short of input
     * after a slow read): go on as libcurl does, one slow read per round,
     * until there are bytes or another outcome. */
    bool slow = false;
    st = part_read(part, buf, len, out_n, &slow);
  } while (st == CN_MIME_READ_STOP);
  return st;
}

static enum cn_mime_read_status read_multipart(struct curl_mime *mime,
                                               char *buf, size_t len,
                                               size_t *out_n, bool *slow) {
  size_t n = 0;
  *out_n = 0;
  if (!len)
    return CN_MIME_READ_NO_ROOM;
  while (n < len) {
    switch (mime->state) {
    case CN_MIME_MULTI_BEGIN:
      mime->cur = mime->first;
      /* the first delimiter follows the header block's empty line, which
       * already ends in CRLF */
      mime->delim_off = 2;
      mime->state = CN_MIME_MULTI_DELIMITER;
      break;
    case CN_MIME_MULTI_DELIMITER: {
      char d[4 + CN_MIME_BOUNDARY_MAX + 4];
      size_t dlen = delimiter(mime, mime->cur, d);
      size_t left = dlen - mime->delim_off;
      size_t k = left < len - n ? left : len - n;
      memcpy(buf + n, d + mime->delim_off, k);
      mime->delim_off += k;
      n += k;
      if (mime->delim_off == dlen)
        mime->state = mime->cur ? CN_MIME_MULTI_PART : CN_MIME_MULTI_END;
      break;
    }
    case CN_MIME_MULTI_PART: {
      size_t k = 0;
      enum cn_mime_read_status st =
          part_read(mime->cur, buf + n, len - n, &k, slow);
      n += k;
      if (k > 0)
        break;
      if (st != CN_MIME_READ_EOF) {
        *out_n = n;
        return n ? CN_MIME_READ_MORE : st;
      }
      mime->cur = mime->cur->next;
      mime->delim_off = 0;
      mime->state = CN_MIME_MULTI_DELIMITER;
      break;
    }
    case CN_MIME_MULTI_END:
      *out_n = n;
      return n ? CN_MIME_READ_MORE : CN_MIME_READ_EOF;
    }
  }
  *out_n = n;
  return CN_MIME_READ_MORE;
}

/* --- the CURLOPT_MIMEPOST slot -------------------------------------------- */

static curl_mimepart *new_top_part(void) {
  curl_mimepart *top = cn_malloc(sizeof(*top));
  if (!top)
    return NULL;
  cn_mime_part_init(top);
  top->body_only = true;
  return top;
}

CURLcode cn_mime_post_attach(curl_mimepart **slot, curl_mime *mime) {
  if (!*slot) {
    if (!mime)
      return CURLE_OK;
    *slot = new_top_part();
    if (!*slot)
      return CURLE_OUT_OF_MEMORY;
  }
  return cn_mime_set_subparts(*slot, mime, false);
}

void cn_mime_post_free(curl_mimepart *slot) {
  if (!slot)
    return;
  cn_mime_part_cleanup(slot);
  cn_free(slot);
}

static struct curl_slist *copy_slist(const struct curl_slist *src) {
  struct curl_slist *out = NULL;
  for (; src; src = src->next) {
    struct curl_slist *n = curl_slist_append(out, src->data);
    if (!n) {
      curl_slist_free_all(out);
      return NULL;
    }
    out = n;
  }
  return out;
}

/* dup_part copies what the program set on |src| into the empty |dst|, as
 * libcurl's Curl_mime_duppart: content (a copy of the tree for
 * multiparts), headers, encoder, type, name and filename. */
static CURLcode dup_part(curl_mimepart *dst, const curl_mimepart *src) {
  CURLcode rc = CURLE_OK;
  switch (src->kind) {
  case CN_MIME_KIND_NONE:
    break;
  case CN_MIME_KIND_DATA:
    rc = curl_mime_data(dst, src->data, (size_t)src->datasize);
    break;
  case CN_MIME_KIND_FILE:
    rc = curl_mime_filedata(dst, src->data);
    if (rc == CURLE_READ_ERROR)
      rc = CURLE_OK; /* still set up; fails when read, like the original */
    break;
  case CN_MIME_KIND_CALLBACK:
    rc = curl_mime_data_cb(dst, src->datasize, src->readfunc, src->seekfunc,
                           src->freefunc, src->arg);
    break;
  case CN_MIME_KIND_MULTIPART: {
    curl_mime *m = curl_mime_init(NULL);
    rc = m ? curl_mime_subparts(dst, m) : CURLE_OUT_OF_MEMORY;
    if (rc != CURLE_OK) {
      curl_mime_free(m);
      break;
    }
    for (const curl_mimepart *s = src->subparts ? src->subparts->first : NULL;
         s && rc == CURLE_OK; s = s->next) {
      curl_mimepart *d = curl_mime_addpart(m);
      rc = d ? dup_part(d, s) : CURLE_OUT_OF_MEMORY;
    }
    break;
  }
  }
  if (rc == CURLE_OK && src->userheaders) {
    struct curl_slist *h = copy_slist(src->userheaders);
    rc = h ? curl_mime_headers(dst, h, 1) : CURLE_OUT_OF_MEMORY;
  }
  if (rc == CURLE_OK) {
    dst->encoder = src->encoder;
    rc = curl_mime_type(dst, src->mimetype);
  }
  if (rc == CURLE_OK)
    rc = curl_mime_name(dst, src->name);
  if (rc == CURLE_OK)
    rc = curl_mime_filename(dst, src->filename);
  if (rc != CURLE_OK)
    cn_mime_part_cleanup(dst);
  return rc;
}

CURLcode cn_mime_post_dup(curl_mimepart **out, const curl_mimepart *src) {
  *out = NULL;
  if (!src)
    return CURLE_OK;
  curl_mimepart *top = new_top_part();
  if (!top)
    return CURLE_OUT_OF_MEMORY;
  CURLcode rc = dup_part(top, src);
  if (rc != CURLE_OK) {
    cn_mime_post_free(top);
    return rc;
  }
  top->body_only = src->body_only;
  *out = top;
  return CURLE_OK;
}
