/* altsvc_api.h: CURLOPT_ALTSVC and CURLOPT_ALTSVC_CTRL of an easy handle,
 * over the store in lib/url_request/altsvc_store.h.
 *
 * libcurl's rules: the cache exists once either option is set; the file
 * is read when CURLOPT_ALTSVC names it and written back at
 * curl_easy_cleanup (unless CURLALTSVC_READONLYFILE); CURLALTSVC_H1/H2/H3
 * say which alternatives may be used (h3 ones are recorded, never used:
 * no HTTP/3 here). Only HTTPS origins use and learn alternatives.
 *
 * Ownership: the easy handle embeds one engine, which owns its store and
 * file name. */
#ifndef CN_API_ALTSVC_API_H
#define CN_API_ALTSVC_API_H

#include <curl/curl.h>

struct cn_easy;
struct cn_altsvc_store;

struct cn_altsvc_engine {
  struct cn_altsvc_store *store; /* NULL: alt-svc is off */
  char *file;                    /* CURLOPT_ALTSVC, owned */
  long ctrl;                     /* CURLALTSVC_* bits */
};

CURLcode cn_altsvc_setopt(struct cn_easy *e, CURLoption option, long num,
                          const char *str);
/* cn_altsvc_engine_close writes the file (unless read-only) and frees. */
void cn_altsvc_engine_close(struct cn_altsvc_engine *a);
/* cn_altsvc_engine_dup: the same options; the copy reads the file. */
CURLcode cn_altsvc_engine_dup(struct cn_altsvc_engine *dst,
                              const struct cn_altsvc_engine *src);

#endif
