/* hsts_api.c: the HSTS options and callbacks of an easy handle. */
#include "api/hsts_api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/easy_handle.h"
#include "api/share_handle.h"
#include "url_request/hsts_store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file_replace.h"
#include "util/net_error.h"
#include "util/net_log.h"
#include "util/parsedate.h"

static int64_t now_s(void) { return (int64_t)time(NULL); }

static CURLcode ensure_store(struct cn_hsts_engine *h) {
  if (!h->store)
    h->store = cn_hsts_store_new();
  return h->store ? CURLE_OK : CURLE_OUT_OF_MEMORY;
}

/* drop_store forgets the cache: frees the handle's own, lets go of a
 * share's. */
static void drop_store(struct cn_hsts_engine *h) {
  if (!h->shared)
    cn_hsts_store_free(h->store);
  h->store = NULL;
  h->shared = false;
}

CURLcode cn_hsts_setopt(struct cn_easy *e, CURLoption option, long num,
                        void *ptr, void (*fn)(void)) {
  struct cn_hsts_engine *h = &e->hsts;
  switch (option) {
  case CURLOPT_HSTS_CTRL:
    if (num & ~(long)(CURLHSTS_ENABLE | CURLHSTS_READONLYFILE))
      return CURLE_BAD_FUNCTION_ARGUMENT;
    h->ctrl = num;
    if (num & CURLHSTS_ENABLE)
      return ensure_store(h);
    drop_store(h);
    return CURLE_OK;
  case CURLOPT_HSTS: {
    CURLcode rc = ensure_store(h);
    if (rc != CURLE_OK)
      return rc;
    if (!ptr) {
      /* No file: the list is forgotten and so is the cache, unless it is
       * a share's. */
      curl_slist_free_all(h->files);
      h->files = NULL;
      if (!h->shared)
        drop_store(h);
      return CURLE_OK;
    }
    struct curl_slist *l = curl_slist_append(h->files, ptr);
    if (!l)
      return CURLE_OUT_OF_MEMORY;
    h->files = l;
    return CURLE_OK;
  }
  case CURLOPT_HSTSREADFUNCTION:
    h->read_fn = (curl_hstsread_callback)fn;
    return CURLE_OK;
  case CURLOPT_HSTSREADDATA:
    h->read_data = ptr;
    return CURLE_OK;
  case CURLOPT_HSTSWRITEFUNCTION:
    h->write_fn = (curl_hstswrite_callback)fn;
    return CURLE_OK;
  case CURLOPT_HSTSWRITEDATA:
    h->write_data = ptr;
    return CURLE_OK;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

static int load_file(struct cn_hsts_store *s, const char *name) {
  FILE *f = fopen(name, "r");
  if (!f)
    return CN_OK; /* a missing file is an empty cache */
  char line[CN_HSTS_MAX_HOST + 128];
  int rv = CN_OK;
  int64_t now = now_s();
  while (rv == CN_OK && fgets(line, sizeof(line), f))
    rv = cn_hsts_store_load_line(s, line, now);
  fclose(f);
  return rv;
}

/* pull asks the read callback for entries until it says it is done. */
static CURLcode pull(struct cn_easy *e, struct cn_hsts_engine *h) {
  for (;;) {
    char name[CN_HSTS_MAX_HOST + 1];
    struct curl_hstsentry ent;
    memset(&ent, 0, sizeof(ent));
    name[0] = '\0';
    ent.name = name;
    ent.namelen = sizeof(name) - 1;
    CURLSTScode sc = h->read_fn(e, &ent, h->read_data);
    if (sc == CURLSTS_DONE)
      return CURLE_OK;
    if (sc != CURLSTS_OK)
      return CURLE_ABORTED_BY_CALLBACK;
    if (!name[0])
      return CURLE_BAD_FUNCTION_ARGUMENT;
    int64_t expires = CN_HSTS_UNLIMITED;
    if (ent.expire[0]) {
      time_t t = 0;
      ent.expire[sizeof(ent.expire) - 1] = '\0';
      expires = cn_parsedate(ent.expire, &t) ? (int64_t)t : 0;
    }
    name[sizeof(name) - 1] = '\0';
    if (cn_hsts_store_add(h->store, name, ent.includeSubDomains != 0, expires,
                          now_s()) != CN_OK)
      return CURLE_OUT_OF_MEMORY;
  }
}

CURLcode cn_hsts_start_transfer(struct cn_easy *e, const struct cn_net_log *log,
                                struct cn_hsts_store **out) {
  struct cn_hsts_engine *h = &e->hsts;
  *out = NULL;
  if (!h->store)
    return CURLE_OK;
  for (const struct curl_slist *l = h->files; l; l = l->next)
    if (load_file(h->store, l->data) != CN_OK)
      return CURLE_OUT_OF_MEMORY;
  if (h->read_fn) {
    CURLcode rc = pull(e, h);
    if (rc != CURLE_OK) {
      cn_net_log_fail(log, "HSTS read callback failed");
      return rc;
    }
  }
  *out = h->store;
  return CURLE_OK;
}

static void save_file(struct cn_hsts_store *s, const char *name) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  if (cn_hsts_store_save(s, &b, now_s()) == CN_OK)
    (void)cn_file_replace(name, b.data, b.len);
  cn_buf_cleanup(&b);
}

static void push(struct cn_easy *e, struct cn_hsts_engine *h) {
  /* The callback runs on a copy: a shared store stays unlocked meanwhile
   * and the callback may use the share itself. */
  struct cn_hsts_store *copy = cn_hsts_store_copy(h->store, now_s());
  if (!copy)
    return;
  struct curl_index idx;
  idx.total = cn_hsts_store_count(copy, now_s());
  struct cn_hsts_entry ent;
  for (idx.index = 0; cn_hsts_store_entry(copy, idx.index, &ent);
       idx.index++) {
    struct curl_hstsentry out;
    memset(&out, 0, sizeof(out));
    out.name = (char *)ent.host;
    out.namelen = strlen(ent.host);
    out.includeSubDomains = ent.include_subdomains;
    cn_hsts_format_expiry(ent.expires, out.expire, sizeof(out.expire));
    if (h->write_fn(e, &out, &idx, h->write_data) != CURLSTS_OK)
      break;
  }
  cn_hsts_store_free(copy);
}

void cn_hsts_engine_close(struct cn_easy *e) {
  struct cn_hsts_engine *h = &e->hsts;
  if (h->store) {
    const char *file = NULL;
    for (const struct curl_slist *l = h->files; l; l = l->next)
      file = l->data; /* the last one named */
    if (file && *file && !(h->ctrl & CURLHSTS_READONLYFILE))
      save_file(h->store, file);
    if (h->write_fn)
      push(e, h);
  }
  drop_store(h);
  curl_slist_free_all(h->files);
  memset(h, 0, sizeof(*h));
}

void cn_hsts_share_changed(struct cn_easy *e, struct cn_share *old,
                           struct cn_share *new) {
  struct cn_hsts_engine *h = &e->hsts;
  struct cn_hsts_store *old_store = cn_share_hsts_store(old);
  if (h->shared && h->store == old_store)
    drop_store(h);
  struct cn_hsts_store *new_store = cn_share_hsts_store(new);
  if (new_store) {
    drop_store(h);
    h->store = new_store;
    h->shared = true;
  }
}

CURLcode cn_hsts_engine_dup(struct cn_hsts_engine *dst,
                            const struct cn_hsts_engine *src) {
  memset(dst, 0, sizeof(*dst));
  dst->ctrl = src->ctrl;
  dst->read_fn = src->read_fn;
  dst->read_data = src->read_data;
  dst->write_fn = src->write_fn;
  dst->write_data = src->write_data;
  for (const struct curl_slist *l = src->files; l; l = l->next) {
    struct curl_slist *n = curl_slist_append(dst->files, l->data);
    if (!n)
      return CURLE_OUT_OF_MEMORY;
    dst->files = n;
  }
  if (src->store && !(dst->store = cn_hsts_store_new()))
    return CURLE_OUT_OF_MEMORY;
  return CURLE_OK;
}
