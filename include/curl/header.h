#ifndef CURLINC_HEADER_H
#define CURLINC_HEADER_H
/*
 * curl/header.h: reading response headers after (or during) a transfer.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* One header. Owned by the easy handle and only valid until the next call
   to curl_easy_header / curl_easy_nextheader or the next transfer. */
struct curl_header {
  char *name; /* case as the server sent it */
  char *value;
  size_t amount; /* headers with this name */
  size_t index;  /* this one's position among them, from 0 */
  unsigned int origin; /* CURLH_* */
  void *anchor;        /* library-private */
};

/* origin bits */
#define CURLH_HEADER (1 << 0)  /* ordinary response header */
#define CURLH_TRAILER (1 << 1) /* trailer */
#define CURLH_CONNECT (1 << 2) /* CONNECT response from a proxy */
#define CURLH_1XX (1 << 3)     /* interim 1xx response */
#define CURLH_PSEUDO (1 << 4)  /* HTTP/2 and HTTP/3 pseudo-header */

typedef enum {
  CURLHE_OK,
  CURLHE_BADINDEX,      /* the name exists but not at that index */
  CURLHE_MISSING,       /* no header with that name */
  CURLHE_NOHEADERS,     /* no headers at all (yet) */
  CURLHE_NOREQUEST,     /* no request with that number */
  CURLHE_OUT_OF_MEMORY,
  CURLHE_BAD_ARGUMENT,
  CURLHE_NOT_BUILT_IN
} CURLHcode;

/* curl_easy_header finds the |index|th header called |name| (case
   insensitive) among those with an |origin| bit, of request number
   |request| (-1 for the last one). */
CURL_EXTERN CURLHcode curl_easy_header(CURL *easy, const char *name,
                                       size_t index, unsigned int origin,
                                       int request,
                                       struct curl_header **hout);

/* curl_easy_nextheader iterates over all headers: pass NULL as |prev|
   first; NULL at the end. */
CURL_EXTERN struct curl_header *curl_easy_nextheader(CURL *easy,
                                                     unsigned int origin,
                                                     int request,
                                                     struct curl_header *prev);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CURLINC_HEADER_H */
