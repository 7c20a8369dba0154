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
 * A share handle that shares CURL_LOCK_DATA_HSTS lends its store to every
 * attached handle instead (libcurl 8.14): the handle's own store is freed
 * at attach; each handle still reads its own files into the shared store
 * at its transfer starts and writes the shared store to its own file and
 * write callback at its cleanup. CURLOPT_HSTS NULL keeps a shared store,
 * CURLOPT_HSTS_CTRL without CURLHSTS_ENABLE lets go of it.
 *
 * Ownership: the easy handle embeds one engine; the engine owns its store
 * (unless |shared|) and its copies of the file names. */
#ifndef CN_API_HSTS_API_H
#define CN_API_HSTS_API_H

#include <curl/curl.h>
#include <stdbool.h>

struct cn_easy;
struct cn_hsts_store;
struct cn_net_log;
struct cn_share;

struct cn_hsts_engine {
  struct cn_hsts_store *store; /* NULL: HSTS is off */
  bool shared;                 /* |store| belongs to a share handle */
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
/* cn_hsts_share_changed is CURLOPT_SHARE's HSTS part, called before the
 * option changes from |old| to |new| (either may be NULL): the handle lets
 * go of |old|'s store and takes |new|'s when it shares HSTS. */
void cn_hsts_share_changed(struct cn_easy *e, struct cn_share *old,
                           struct cn_share *new);
/* cn_hsts_engine_dup copies the settings for duphandle; the copy gets an
 * empty store of its own when |src| has any (shared or not). */
CURLcode cn_hsts_engine_dup(struct cn_hsts_engine *dst,
                            const struct cn_hsts_engine *src);

#endif
