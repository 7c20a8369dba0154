/* header_store.c: storage and lookup behind curl_easy_header(). */
#include "api/header_store.h"

#include <string.h>
#include <strings.h>

#include "http/http_response_headers.h"
#include "util/alloc.h"
#include "util/net_error.h"

void cn_header_store_init(struct cn_header_store *s) {
  memset(s, 0, sizeof(*s));
}

void cn_header_store_reset(struct cn_header_store *s) {
  for (size_t i = 0; i < s->num; i++) {
    cn_free(s->entries[i].name);
    cn_free(s->entries[i].value);
  }
  s->num = 0;
  s->num_requests = 0;
}

void cn_header_store_cleanup(struct cn_header_store *s) {
  cn_header_store_reset(s);
  cn_free(s->entries);
  cn_header_store_init(s);
}

/* trimmed copies the value without surrounding blanks (libcurl stores it
 * that way). */
static char *trimmed(const char *v, size_t len) {
  while (len && (*v == ' ' || *v == '\t')) {
    v++;
    len--;
  }
  while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
                 v[len - 1] == '\r' || v[len - 1] == '\n'))
    len--;
  return cn_strndup(v, len);
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
  for (size_t i = 0; i < n; i++) {
    const struct cn_http_header_field *f =
        cn_http_response_headers_field(head, i);
    struct cn_stored_header *e = &s->entries[s->num];
    e->name = cn_strndup(f->name, f->name_len);
    e->value = trimmed(f->value, f->value_len);
    if (!e->name || !e->value) {
      cn_free(e->name);
      cn_free(e->value);
      return CN_ERR_OUT_OF_MEMORY;
    }
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
