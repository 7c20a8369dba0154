/* cookies_api.c: cookie options on the easy handle's cookie engine. */
#include "api/cookies_api.h"

#include "api/easy_handle.h"
#include "api/share_handle.h"
#include "cookies/cookie_engine.h"
#include "cookies/cookie_store.h"
#include "util/net_error.h"

static CURLcode to_curlcode(int rv) {
  if (rv == CN_ERR_OUT_OF_MEMORY)
    return CURLE_OUT_OF_MEMORY;
  return rv < 0 ? CURLE_BAD_FUNCTION_ARGUMENT : CURLE_OK;
}

CURLcode cn_cookie_setopt(struct cn_easy *e, CURLoption option, long num,
                          const char *str) {
  switch (option) {
  case CURLOPT_COOKIEFILE:
    return to_curlcode(cn_cookie_engine_set_file(&e->cookies, str));
  case CURLOPT_COOKIEJAR:
    return to_curlcode(cn_cookie_engine_set_jar(&e->cookies, str));
  case CURLOPT_COOKIESESSION:
    cn_cookie_engine_set_session(&e->cookies, num != 0);
    return CURLE_OK;
  case CURLOPT_COOKIELIST:
    return to_curlcode(cn_cookie_engine_command(&e->cookies, str, NULL));
  default:
    return CURLE_UNKNOWN_OPTION;
  }
}

struct curl_slist *cn_cookie_list(struct cn_easy *e) {
  char **lines = NULL;
  size_t n = 0;
  if (cn_cookie_engine_list(&e->cookies, &lines, &n) != CN_OK || !lines)
    return NULL;
  struct curl_slist *list = NULL;
  for (size_t i = 0; i < n; i++) {
    struct curl_slist *next = curl_slist_append(list, lines[i]);
    if (!next) {
      /* libcurl answers NULL when it runs out of memory here */
      curl_slist_free_all(list);
      list = NULL;
      break;
    }
    list = next;
  }
  cn_cookie_lines_free(lines, n);
  return list;
}

void cn_cookie_share_changed(struct cn_easy *e, struct cn_share *old,
                             struct cn_share *new) {
  struct cn_cookie_store *old_jar = cn_share_cookie_store(old);
  if (old_jar)
    cn_cookie_engine_detach_shared(&e->cookies, old_jar);
  struct cn_cookie_store *new_jar = cn_share_cookie_store(new);
  if (new_jar)
    cn_cookie_engine_attach_shared(&e->cookies, new_jar);
}
