#ifndef CURLINC_WEBSOCKETS_H
#define CURLINC_WEBSOCKETS_H
/*
 * curl/websockets.h: WebSocket frames over a connection set up with
 * CURLOPT_CONNECT_ONLY = 2 (or from inside a write callback).
 */

#ifdef __cplusplus
extern "C" {
#endif

/* Describes the frame the current data belongs to. */
struct curl_ws_frame {
  int age;              /* struct version, 0 */
  int flags;            /* CURLWS_* */
  curl_off_t offset;    /* where this data starts in the frame payload */
  curl_off_t bytesleft; /* payload bytes still to come */
  size_t len;           /* bytes of payload in this chunk */
};

/* frame type bits */
#define CURLWS_TEXT (1 << 0)
#define CURLWS_BINARY (1 << 1)
#define CURLWS_CONT (1 << 2)
#define CURLWS_CLOSE (1 << 3)
#define CURLWS_PING (1 << 4)
#define CURLWS_OFFSET (1 << 5)

/* curl_ws_recv reads payload into |buffer|; *recv gets the byte count and
   *metap the frame description (owned by the handle). CURLE_AGAIN when no
   data is ready. */
CURL_EXTERN CURLcode curl_ws_recv(CURL *curl, void *buffer, size_t buflen,
                                  size_t *recv,
                                  const struct curl_ws_frame **metap);

/* send-only flag */
#define CURLWS_PONG (1 << 6)

/* curl_ws_send sends |buflen| bytes as a frame of type |flags|. With
   CURLWS_OFFSET, |fragsize| announces the whole frame's size for a frame
   sent in pieces. *sent gets the bytes accepted. */
CURL_EXTERN CURLcode curl_ws_send(CURL *curl, const void *buffer,
                                  size_t buflen, size_t *sent,
                                  curl_off_t fragsize, unsigned int flags);

/* CURLOPT_WS_OPTIONS bits */
#define CURLWS_RAW_MODE (1 << 0)   /* the application handles framing */
#define CURLWS_NOAUTOPONG (1 << 1) /* do not answer PINGs automatically */

/* curl_ws_meta: inside a write callback, the frame being delivered; NULL
   elsewhere. */
CURL_EXTERN const struct curl_ws_frame *curl_ws_meta(CURL *curl);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CURLINC_WEBSOCKETS_H */
