/* altsvc_api.c: the alt-svc options of an easy handle. */
#include "api/altsvc_api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/easy_handle.h"
#include "url_request/altsvc_store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file_replace.h"
#include "util/net_error.h"

static CURLcode load(struct cn_altsvc_engine *a, const char *name) {
  FILE *f = fopen(name, "r");
  if (!f)
    return CURLE_OK; /* no file yet: an empty cache */
  char line[1200];
  int rv = CN_OK;
  while (rv == CN_OK && fgets(line, sizeof(line), f))
    rv = cn_altsvc_store_load_line(a->store, line, (int64_t)time(NULL));
  fclose(f);
  return rv == CN_OK ? CURLE_OK : CURLE_OUT_OF_MEMORY;
}

static CURLcode ensure_store(struct cn_altsvc_engine *a) {
  if (a->store)
    return CURLE_OK;
  a->store = cn_altsvc_store_new();
  /* libcurl's default: every protocol may be used. */
  if (!a->ctrl)
    a->ctrl = CURLALTSVC_H1 | CURLALTSVC_H2 | CURLALTSVC_H3;
  return a->store ? CURLE_OK : CURLE_OUT_OF_MEMORY;
}

CURLcode cn_altsvc_setopt(struct cn_easy *e, CURLoption option, long num,
                          const char *str) {
  struct cn_altsvc_engine *a = &e->altsvc;
  if (option == CURLOPT_ALTSVC_CTRL) {
    if (!num)
      return CURLE_BAD_FUNCTION_ARGUMENT;
    a->ctrl = num;
    return ensure_store(a);
  }
  if (option != CURLOPT_ALTSVC)
    return CURLE_UNKNOWN_OPTION;
  CURLcode rc = ensure_store(a);
  if (rc != CURLE_OK)
    return rc;
  cn_free(a->file);
  a->file = NULL;
  if (!str)
    return CURLE_OK;
  if (!(a->file = cn_strdup(str)))
    return CURLE_OUT_OF_MEMORY;
  return *str ? load(a, str) : CURLE_OK;
}

void cn_altsvc_engine_close(struct cn_altsvc_engine *a) {
  if (a->store && a->file && *a->file &&
      !(a->ctrl & CURLALTSVC_READONLYFILE)) {
    struct cn_buf b;
    cn_buf_init(&b, 0);
    if (cn_altsvc_store_save(a->store, &b, (int64_t)time(NULL)) == CN_OK)
      (void)cn_file_replace(a->file, b.data, b.len);
    cn_buf_cleanup(&b);
  }
  cn_altsvc_store_free(a->store);
  cn_free(a->file);
  memset(a, 0, sizeof(*a));
}

CURLcode cn_altsvc_engine_dup(struct cn_altsvc_engine *dst,
                              const struct cn_altsvc_engine *src) {
  memset(dst, 0, sizeof(*dst));
  if (!src->store)
    return CURLE_OK;
  dst->ctrl = src->ctrl;
  if (ensure_store(dst) != CURLE_OK)
    return CURLE_OUT_OF_MEMORY;
  if (src->file) {
    if (!(dst->file = cn_strdup(src->file)))
      return CURLE_OUT_OF_MEMORY;
    return *dst->file ? load(dst, dst->file) : CURLE_OK;
  }
  return CURLE_OK;
}
