#ifndef CURLINC_URLAPI_H
#define CURLINC_URLAPI_H
/*
 * curl/urlapi.h: the URL API: parse, modify and build URLs the way the
 * transfer code understands them.
 */

#include "curl.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CURLUE_OK,
  CURLUE_BAD_HANDLE,         /* 1 */
  CURLUE_BAD_PARTPOINTER,    /* 2 */
  CURLUE_MALFORMED_INPUT,    /* 3 */
  CURLUE_BAD_PORT_NUMBER,    /* 4 */
  CURLUE_UNSUPPORTED_SCHEME, /* 5 */
  CURLUE_URLDECODE,          /* 6 */
  CURLUE_OUT_OF_MEMORY,      /* 7 */
  CURLUE_USER_NOT_ALLOWED,   /* 8 */
  CURLUE_UNKNOWN_PART,       /* 9 */
  CURLUE_NO_SCHEME,          /* 10 */
  CURLUE_NO_USER,            /* 11 */
  CURLUE_NO_PASSWORD,        /* 12 */
  CURLUE_NO_OPTIONS,         /* 13 */
  CURLUE_NO_HOST,            /* 14 */
  CURLUE_NO_PORT,            /* 15 */
  CURLUE_NO_QUERY,           /* 16 */
  CURLUE_NO_FRAGMENT,        /* 17 */
  CURLUE_NO_ZONEID,          /* 18 */
  CURLUE_BAD_FILE_URL,       /* 19 */
  CURLUE_BAD_FRAGMENT,       /* 20 */
  CURLUE_BAD_HOSTNAME,       /* 21 */
  CURLUE_BAD_IPV6,           /* 22 */
  CURLUE_BAD_LOGIN,          /* 23 */
  CURLUE_BAD_PASSWORD,       /* 24 */
  CURLUE_BAD_PATH,           /* 25 */
  CURLUE_BAD_QUERY,          /* 26 */
  CURLUE_BAD_SCHEME,         /* 27 */
  CURLUE_BAD_SLASHES,        /* 28 */
  CURLUE_BAD_USER,           /* 29 */
  CURLUE_LACKS_IDN,          /* 30 */
  CURLUE_TOO_LARGE,          /* 31 */
  CURLUE_LAST
} CURLUcode;

typedef enum {
  CURLUPART_URL,
  CURLUPART_SCHEME,
  CURLUPART_USER,
  CURLUPART_PASSWORD,
  CURLUPART_OPTIONS,
  CURLUPART_HOST,
  CURLUPART_PORT,
  CURLUPART_PATH,
  CURLUPART_QUERY,
  CURLUPART_FRAGMENT,
  CURLUPART_ZONEID
} CURLUPart;

/* flags of curl_url_get / curl_url_set */
#define CURLU_DEFAULT_PORT (1 << 0)       /* get: the scheme's port if none */
#define CURLU_NO_DEFAULT_PORT (1 << 1)    /* get: hide a port equal to the
                                             scheme's default */
#define CURLU_DEFAULT_SCHEME (1 << 2)     /* get: "https" if no scheme */
#define CURLU_NON_SUPPORT_SCHEME (1 << 3) /* set: accept unknown schemes */
#define CURLU_PATH_AS_IS (1 << 4)         /* set: keep dot segments */
#define CURLU_DISALLOW_USER (1 << 5)      /* set: refuse credentials */
#define CURLU_URLDECODE (1 << 6)          /* get: decode %XX */
#define CURLU_URLENCODE (1 << 7)          /* set: encode */
#define CURLU_APPENDQUERY (1 << 8)        /* set: add to the query with & */
#define CURLU_GUESS_SCHEME (1 << 9)       /* set: guess from the host name */
#define CURLU_NO_AUTHORITY (1 << 10)      /* set: allow an empty authority
                                             for unknown schemes */
#define CURLU_ALLOW_SPACE (1 << 11)       /* set: allow spaces */
#define CURLU_PUNYCODE (1 << 12)          /* get: host in punycode */
#define CURLU_PUNY2IDN (1 << 13)          /* get: punycode host as IDN */
#define CURLU_GET_EMPTY (1 << 14)         /* get: keep empty query and
                                             fragment */
#define CURLU_NO_GUESS_SCHEME (1 << 15)   /* get: no guessed scheme */

typedef struct Curl_URL CURLU;

/* curl_url returns a new empty handle (curl_url_cleanup) or NULL. */
CURL_EXTERN CURLU *curl_url(void);

/* curl_url_cleanup frees the handle; NULL is fine. */
CURL_EXTERN void curl_url_cleanup(CURLU *handle);

/* curl_url_dup returns an independent copy or NULL. */
CURL_EXTERN CURLU *curl_url_dup(const CURLU *in);

/* curl_url_get extracts |what|; *part is owned by the caller (curl_free).
   *part is NULL on error. */
CURL_EXTERN CURLUcode curl_url_get(const CURLU *handle, CURLUPart what,
                                   char **part, unsigned int flags);

/* curl_url_set changes |what|; a NULL |part| clears it. Setting
   CURLUPART_URL parses a full (or, with a base set, relative) URL. The
   handle is unchanged on error. */
CURL_EXTERN CURLUcode curl_url_set(CURLU *handle, CURLUPart what,
                                   const char *part, unsigned int flags);

/* curl_url_strerror returns a static description. */
CURL_EXTERN const char *curl_url_strerror(CURLUcode);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CURLINC_URLAPI_H */
