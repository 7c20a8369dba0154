/* header_store.c: storage and lookup behind curl_easy_header(). */
#include "api/header_store.h"

#include <string.h>
#include <strings.h>

#include "http/http_response_headers.h"
#include "util/alloc.h"
#include "util/net_error.h"

/* Arena blocks grow in these steps: an idle easy handle keeps about what
 * its last response used. */
#define TEXT_BLOCK_STEP 256

void cn_header_store_init(struct cn_header_store *s) {
  memset(s, 0, sizeof(*s));
  cn_text_arena_init(&s->text, TEXT_BLOCK_STEP);
}

void cn_header_store_reset(struct cn_header_store *s) {
  cn_text_arena_reset(&s->text);
  s->num = 0;
  s->num_requests = 0;
}

void cn_header_store_cleanup(struct cn_header_store *s) {
  cn_text_arena_cleanup(&s->text);
  cn_free(s->entries);
  cn_header_store_init(s);
}

/* trim drops the blanks around a value (libcurl stores it that way). */
static void trim(const char **v, size_t *len) {
  while (*len && (**v == ' ' || **v == '\t')) {
    (*v)++;
    (*len)--;
  }
  const char *e = *v;
  while (*len && (e[*len - 1] == ' ' || e[*len - 1] == '\t' ||
                  e[*len - 1] == '\r' || e[*len - 1] == '\n'))
    (*len)--;
}

/* copy_text copies |len| bytes and a NUL to |*at| and moves it on. */
static char *copy_text(char **at, const char *src, size_t len) {
  char *start = *at;
  memcpy(start, src, len);
  start[len] = '\0';
  *at += len + 1;
  return start;
}

int cn_header_store_add_head(struct cn_header_store *s,
                             const struct cn_http_response_headers *head,
                             unsigned int origin, int request) {
  size_t n = cn_http_response_headers_num_fields(head);
  if (s->num + n > s->cap) {
    size_t cap = s->cap ? s->cap : 16;
    while (cap < s->num + n)
      cap *= 2;
    struct cn_stored_header *grown =
        cn_realloc(s->entries, cap * sizeof(*grown));
    if (!grown)
      return CN_ERR_OUT_OF_MEMORY;
    s->entries = grown;
    s->cap = cap;
  }
  /* One piece of block space for all of the head's text. */
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    const struct cn_http_header_field *f =
        cn_http_response_headers_field(head, i);
    total += f->name_len + f->value_len + 2;
  }
  char *at = n ? cn_text_arena_alloc(&s->text, total) : NULL;
  if (n && !at)
    return CN_ERR_OUT_OF_MEMORY;
  for (size_t i = 0; i < n; i++) {
    const struct cn_http_header_field *f =
        cn_http_response_headers_field(head, i);
    struct cn_stored_header *e = &s->entries[s->num];
    const char *value = f->value;
    size_t value_len = f->value_len;
    trim(&value, &value_len);
    e->name = copy_text(&at, f->name, f->name_len);
    e->value = copy_text(&at, value, value_len);
    e->origin = origin;
    e->request = request;
    s->num++;
  }
  if (request + 1 > s->num_requests)
    s->num_requests = request + 1;
  return CN_OK;
}

static bool wanted(const struct cn_stored_header *e, unsigned int origin,
                   int request) {
  return (e->origin & origin) && e->request == request;
}

/* fill describes entry |at| to the program: how many headers of its name
 * the same request and origin set has, and its position among them. */
static struct curl_header *fill(struct cn_header_store *s,
                                struct curl_header *out, size_t at,
                                unsigned int origin, int request) {
  const struct cn_stored_header *e = &s->entries[at];
  size_t amount = 0, index = 0;
  for (size_t i = 0; i < s->num; i++) {
    if (!wanted(&s->entries[i], origin, request) ||
        strcasecmp(s->entries[i].name, e->name) != 0)
      continue;
    if (i < at)
      index++;
    amount++;
  }
  out->name = e->name;
  out->value = e->value;
  out->amount = amount;
  out->index = index;
  out->origin = e->origin;
  out->anchor = (void *)(s->entries + at);
  return out;
}

static int resolve_request(const struct cn_header_store *s, int request) {
  return request < 0 ? s->num_requests - 1 : request;
}

CURLHcode cn_header_store_get(struct cn_header_store *s, const char *name,
                              size_t index, unsigned int origin, int request,
                              struct curl_header **hout) {
  if (!name || !hout || !origin || origin > (CURLH_PSEUDO * 2 - 1) ||
      request < -1)
    return CURLHE_BAD_ARGUMENT;
  if (s->num_requests == 0)
    return CURLHE_NOHEADERS;
  request = resolve_request(s, request);
  if (request >= s->num_requests)
    return CURLHE_NOREQUEST;
  size_t seen = 0;
  bool any = false;
  for (size_t i = 0; i < s->num; i++) {
    const struct cn_stored_header *e = &s->entries[i];
    if (!wanted(e, origin, request) || strcasecmp(e->name, name) != 0)
      continue;
    any = true;
    if (seen++ == index) {
      *hout = fill(s, &s->out_get, i, origin, request);
      return CURLHE_OK;
    }
  }
  return any ? CURLHE_BADINDEX : CURLHE_MISSING;
}

struct curl_header *cn_header_store_next(struct cn_header_store *s,
                                         unsigned int origin, int request,
                                         struct curl_header *prev) {
  if (s->num_requests == 0 || request < -1)
    return NULL;
  request = resolve_request(s, request);
  size_t start = 0;
  if (prev) {
    const struct cn_stored_header *a = prev->anchor;
    if (!a || a < s->entries || a >= s->entries + s->num)
      return NULL;
    start = (size_t)(a - s->entries) + 1;
  }
  for (size_t i = start; i < s->num; i++)
    if (wanted(&s->entries[i], origin, request))
      return fill(s, &s->out_next, i, origin, request);
  return NULL;
}
