/* hsts_api.h: CURLOPT_HSTS, _HSTS_CTRL and the HSTS read/write callbacks of
 * an easy handle, over the store in lib/url_request/hsts_store.h.
 *
 * libcurl's rules: the store exists once CURLOPT_HSTS is set or
 * CURLOPT_HSTS_CTRL has CURLHSTS_ENABLE; every named file is read at each
 * transfer start (entries already known stay), then the read callback is
 * asked for entries; at curl_easy_cleanup the store is written to the last
 * named file (unless CURLHSTS_READONLYFILE) and handed to the write
 * callback.
 *
 * Ownership: the easy handle embeds one engine; the engine owns its store
 * and its copies of the file names. */
#ifndef CN_API_HSTS_API_H
#define CN_API_HSTS_API_H

#include <curl/curl.h>
#include <stdbool.h>

struct cn_easy;
struct cn_hsts_store;
struct cn_net_log;

struct cn_hsts_engine {
  struct cn_hsts_store *store; /* NULL: HSTS is off */
  struct curl_slist *files;    /* CURLOPT_HSTS names, read at each start */
  long ctrl;                   /* CURLOPT_HSTS_CTRL bits */
  curl_hstsread_callback read_fn;
  void *read_data;
  curl_hstswrite_callback write_fn;
  void *write_data;
};

/* cn_hsts_setopt handles the HSTS options (|num|, |ptr| or |fn| by the
 * option's type). */
CURLcode cn_hsts_setopt(struct cn_easy *e, CURLoption option, long num,
                        void *ptr, void (*fn)(void));
/* cn_hsts_start_transfer loads the files and the read callback's entries;
 * returns the store the transfer consults (NULL: off). A read callback that
 * fails is CURLE_ABORTED_BY_CALLBACK, as in libcurl. */
CURLcode cn_hsts_start_transfer(struct cn_easy *e, const struct cn_net_log *log,
                                struct cn_hsts_store **out);
/* cn_hsts_engine_close saves (file, write callback) and frees. */
void cn_hsts_engine_close(struct cn_easy *e);
/* cn_hsts_engine_dup copies the settings and store for duphandle. */
CURLcode cn_hsts_engine_dup(struct cn_hsts_engine *dst,
                            const struct cn_hsts_engine *src);

#endif
