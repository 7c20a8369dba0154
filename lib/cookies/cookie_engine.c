/* cookie_engine.c: the per-handle cookie options, libcurl's way. */
#include "cookies/cookie_engine.h"

#include <string.h>

#include "cookies/cookie_file.h"
#include "cookies/cookie_parser.h"
#include "cookies/cookie_store.h"
#include "util/alloc.h"
#include "util/net_error.h"
#include "util/net_log.h"

void cn_cookie_engine_init(struct cn_cookie_engine *e) {
  memset(e, 0, sizeof(*e));
}

static void free_files(struct cn_cookie_engine *e) {
  for (size_t i = 0; i < e->num_files; i++)
    cn_free(e->files[i]);
  cn_free(e->files);
  e->files = NULL;
  e->num_files = 0;
}

/* drop_store lets go of the jar: freed when it is the handle's own. */
static void drop_store(struct cn_cookie_engine *e) {
  if (!e->shared)
    cn_cookie_store_free(e->store);
  e->store = NULL;
  e->shared = false;
}

void cn_cookie_engine_cleanup(struct cn_cookie_engine *e) {
  drop_store(e);
  free_files(e);
  cn_free(e->jar);
  cn_cookie_engine_init(e);
}

/* ensure_store is libcurl's Curl_cookie_init(data, ...): a jar exists and
 * the engine is on. */
static int ensure_store(struct cn_cookie_engine *e) {
  if (!e->store) {
    e->store = cn_cookie_store_new();
    if (!e->store)
      return CN_ERR_OUT_OF_MEMORY;
    e->shared = false;
  }
  e->enabled = true;
  return CN_OK;
}

int cn_cookie_engine_set_file(struct cn_cookie_engine *e, const char *path) {
  if (!path) {
    free_files(e);
    drop_store(e);
    return CN_OK;
  }
  if (strlen(path) > CN_COOKIE_MAX_INPUT)
    return CN_ERR_INVALID_ARGUMENT;
  char *copy = cn_strdup(path);
  char **files = copy ? cn_realloc(e->files, (e->num_files + 1) *
                                                 sizeof(*files))
                      : NULL;
  if (!files) {
    cn_free(copy);
    free_files(e);
    return CN_ERR_OUT_OF_MEMORY;
  }
  files[e->num_files++] = copy;
  e->files = files;
  return CN_OK;
}

int cn_cookie_engine_set_jar(struct cn_cookie_engine *e, const char *path) {
  char *copy = NULL;
  if (path) {
    copy = cn_strdup(path);
    if (!copy)
      return CN_ERR_OUT_OF_MEMORY;
  }
  cn_free(e->jar);
  e->jar = copy;
  return ensure_store(e);
}

void cn_cookie_engine_set_session(struct cn_cookie_engine *e, bool on) {
  e->session = on;
}

int cn_cookie_engine_load_files(struct cn_cookie_engine *e,
                                const struct cn_net_log *log) {
  int result = CN_OK;
  for (size_t i = 0; i < e->num_files; i++) {
    int rv = ensure_store(e);
    if (rv == CN_OK)
      rv = cn_cookie_file_load(e->store, e->files[i], e->session, log);
    if (rv == CN_ERR_OUT_OF_MEMORY) {
      cn_net_log_text(log, "ignoring failed cookie_init for %s", e->files[i]);
      result = rv;
    }
  }
  return result;
}

struct cn_cookie_store *cn_cookie_engine_active(
    const struct cn_cookie_engine *e) {
  return e->enabled ? e->store : NULL;
}

int cn_cookie_engine_flush(struct cn_cookie_engine *e,
                           const struct cn_net_log *log) {
  if (!e->jar || !e->store)
    return CN_OK;
  return cn_cookie_file_save(e->store, e->jar, log);
}

int cn_cookie_engine_command(struct cn_cookie_engine *e, const char *cmd,
                             const struct cn_net_log *log) {
  if (!cmd)
    return CN_OK;
  if (cn_cookie_strcaseeq(cmd, "ALL")) {
    if (e->store)
      cn_cookie_store_clear_all(e->store);
    return CN_OK;
  }
  if (cn_cookie_strcaseeq(cmd, "SESS")) {
    if (e->store)
      cn_cookie_store_clear_session(e->store);
    return CN_OK;
  }
  if (cn_cookie_strcaseeq(cmd, "FLUSH")) {
    cn_cookie_engine_flush(e, log); /* failures are only logged */
    return CN_OK;
  }
  if (cn_cookie_strcaseeq(cmd, "RELOAD")) {
    cn_cookie_engine_load_files(e, log);
    return CN_OK;
  }
  if (!e->store) {
    int rv = ensure_store(e);
    if (rv != CN_OK)
      return rv;
  }
  if (strlen(cmd) > CN_COOKIE_MAX_INPUT)
    return CN_ERR_INVALID_ARGUMENT;
  return cn_cookie_store_add_api_line(e->store, cmd, log, NULL);
}

void cn_cookie_engine_close(struct cn_cookie_engine *e,
                            const struct cn_net_log *log) {
  cn_cookie_engine_flush(e, log);
  cn_cookie_engine_cleanup(e);
}

void cn_cookie_engine_reset(struct cn_cookie_engine *e) {
  free_files(e);
  cn_free(e->jar);
  e->jar = NULL;
  e->session = false;
}

int cn_cookie_engine_dup(struct cn_cookie_engine *out,
                         const struct cn_cookie_engine *in) {
  cn_cookie_engine_init(out);
  out->session = in->session;
  if (in->jar && !(out->jar = cn_strdup(in->jar)))
    goto oom;
  for (size_t i = 0; i < in->num_files; i++) {
    if (cn_cookie_engine_set_file(out, in->files[i]) != CN_OK)
      goto oom;
  }
  if (in->store && in->enabled && ensure_store(out) != CN_OK)
    goto oom;
  return CN_OK;
oom:
  cn_cookie_engine_cleanup(out);
  return CN_ERR_OUT_OF_MEMORY;
}

void cn_cookie_engine_attach_shared(struct cn_cookie_engine *e,
                                    struct cn_cookie_store *store) {
  if (!store)
    return;
  drop_store(e);
  e->store = store;
  e->shared = true;
}

void cn_cookie_engine_detach_shared(struct cn_cookie_engine *e,
                                    struct cn_cookie_store *store) {
  if (e->shared && e->store == store) {
    e->store = NULL;
    e->shared = false;
  }
}

int cn_cookie_engine_list(struct cn_cookie_engine *e, char ***out_lines,
                          size_t *out_num) {
  if (!e->store) {
    *out_lines = NULL;
    *out_num = 0;
    return CN_OK;
  }
  return cn_cookie_store_netscape_lines(e->store, false, out_lines, out_num);
}
