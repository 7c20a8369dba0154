/* header_store.h: the response headers of a transfer's requests, kept for
 * curl_easy_header() / curl_easy_nextheader() (libcurl's header API).
 *
 * Ownership: an easy handle owns one store; it is emptied when a transfer
 * starts. Strings are copies, kept in a text arena that the store reuses
 * from transfer to transfer (no allocation per header) and whose strings
 * never move, so a string stays valid until the store is reset. The struct
 * curl_header handed to the program lives in the store and is overwritten
 * by the next call, as libcurl documents. */
#ifndef CN_API_HEADER_STORE_H
#define CN_API_HEADER_STORE_H

#include <curl/curl.h>
#include <stddef.h>

#include "util/text_arena.h"

struct cn_http_response_headers;

struct cn_stored_header {
  char *name; /* in the store's text arena */
  char *value;
  unsigned int origin; /* CURLH_* */
  int request;         /* 0 for the first request of the transfer */
};

struct cn_header_store {
  struct cn_stored_header *entries; /* owned, |num| used */
  size_t num;
  size_t cap;
  struct cn_text_arena text;
  int num_requests;
  /* What the program is given: one struct for curl_easy_header and one for
   * curl_easy_nextheader, as in libcurl, so that a program walking with
   * nextheader may look up names with curl_easy_header in between. */
  struct curl_header out_get;
  struct curl_header out_next;
};

void cn_header_store_init(struct cn_header_store *s);
void cn_header_store_cleanup(struct cn_header_store *s);
/* cn_header_store_reset forgets every header (keeps the memory). */
void cn_header_store_reset(struct cn_header_store *s);
/* cn_header_store_add_head stores the fields of |head| as request
 * |request| with |origin| (CURLH_HEADER or CURLH_1XX). CN_OK or OOM. */
int cn_header_store_add_head(struct cn_header_store *s,
                             const struct cn_http_response_headers *head,
                             unsigned int origin, int request);

CURLHcode cn_header_store_get(struct cn_header_store *s, const char *name,
                              size_t index, unsigned int origin, int request,
                              struct curl_header **hout);
struct curl_header *cn_header_store_next(struct cn_header_store *s,
                                         unsigned int origin, int request,
                                         struct curl_header *prev);

#endif
