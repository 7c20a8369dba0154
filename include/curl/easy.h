#ifndef CURLINC_EASY_H
#define CURLINC_EASY_H
/*
 * curl/easy.h: the easy interface, one transfer per handle. Included by
 * curl/curl.h; include that instead.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* curl_blob.flags */
#define CURL_BLOB_COPY 1   /* the library keeps its own copy of the data */
#define CURL_BLOB_NOCOPY 0 /* the application keeps the data alive */

/* Binary argument of the CURLOPTTYPE_BLOB options. */
struct curl_blob {
  void *data;
  size_t len;
  unsigned int flags; /* CURL_BLOB_*; other bits must be zero */
};

/* curl_easy_init returns a new easy handle owned by the caller
   (curl_easy_cleanup), or NULL on failure. */
CURL_EXTERN CURL *curl_easy_init(void);

/* curl_easy_setopt sets one option. The third argument's type follows the
   option's number range: long, pointer, function pointer, curl_off_t or
   struct curl_blob *. Strings are copied (except CURLOPT_POSTFIELDS). */
CURL_EXTERN CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...);

/* curl_easy_perform runs the transfer to completion, blocking. */
CURL_EXTERN CURLcode curl_easy_perform(CURL *curl);

/* curl_easy_cleanup frees the handle; NULL is fine. */
CURL_EXTERN void curl_easy_cleanup(CURL *curl);

/* curl_easy_getinfo writes the requested information through the third
   argument, whose type follows CURLINFO's type bits. Strings returned stay
   owned by the handle. */
CURL_EXTERN CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...);

/* curl_easy_duphandle returns a new handle with the same options (not the
   state of any transfer), or NULL. */
CURL_EXTERN CURL *curl_easy_duphandle(CURL *curl);

/* curl_easy_reset returns every option to its default; live connections,
   caches and the share attachment are kept. */
CURL_EXTERN void curl_easy_reset(CURL *curl);

/* curl_easy_recv / curl_easy_send: raw I/O on a connection set up with
   CURLOPT_CONNECT_ONLY. CURLE_AGAIN when the socket is not ready. */
CURL_EXTERN CURLcode curl_easy_recv(CURL *curl, void *buffer, size_t buflen,
                                    size_t *n);
CURL_EXTERN CURLcode curl_easy_send(CURL *curl, const void *buffer,
                                    size_t buflen, size_t *n);

/* curl_easy_upkeep keeps idle connections alive (HTTP/2 PING). */
CURL_EXTERN CURLcode curl_easy_upkeep(CURL *curl);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CURLINC_EASY_H */
