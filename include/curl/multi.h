#ifndef CURLINC_MULTI_H
#define CURLINC_MULTI_H
/*
 * curl/multi.h: the multi interface, many transfers driven by one
 * application loop (curl_multi_perform / curl_multi_poll, or the event
 * driven curl_multi_socket_action).
 */

#include "curl.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void CURLM;

typedef enum {
  CURLM_CALL_MULTI_PERFORM = -1, /* call curl_multi_perform() again */
  CURLM_OK,
  CURLM_BAD_HANDLE,            /* 1 */
  CURLM_BAD_EASY_HANDLE,       /* 2 */
  CURLM_OUT_OF_MEMORY,         /* 3 */
  CURLM_INTERNAL_ERROR,        /* 4 */
  CURLM_BAD_SOCKET,            /* 5 */
  CURLM_UNKNOWN_OPTION,        /* 6 */
  CURLM_ADDED_ALREADY,         /* 7 */
  CURLM_RECURSIVE_API_CALL,    /* 8 */
  CURLM_WAKEUP_FAILURE,        /* 9 */
  CURLM_BAD_FUNCTION_ARGUMENT, /* 10 */
  CURLM_ABORTED_BY_CALLBACK,   /* 11 */
  CURLM_UNRECOVERABLE_POLL,    /* 12 */
  CURLM_LAST
} CURLMcode;

/* the old name, from when curl_multi_socket() could ask to be re-called */
#define CURLM_CALL_MULTI_SOCKET CURLM_CALL_MULTI_PERFORM

/* CURLMOPT_PIPELINING bits */
#define CURLPIPE_NOTHING 0L
#define CURLPIPE_HTTP1 1L
#define CURLPIPE_MULTIPLEX 2L

typedef enum {
  CURLMSG_NONE,
  CURLMSG_DONE, /* a transfer finished; data.result has its code */
  CURLMSG_LAST
} CURLMSG;

/* A message from curl_multi_info_read(). Valid until the next call on the
   multi handle that removes or cleans up the easy handle. */
struct CURLMsg {
  CURLMSG msg;
  CURL *easy_handle;
  union {
    void *whatever;
    CURLcode result;
  } data;
};
typedef struct CURLMsg CURLMsg;

/* curl_waitfd events */
#define CURL_WAIT_POLLIN 0x0001
#define CURL_WAIT_POLLPRI 0x0002
#define CURL_WAIT_POLLOUT 0x0004

/* an extra descriptor for curl_multi_wait/poll, or one reported by
   curl_multi_waitfds */
struct curl_waitfd {
  curl_socket_t fd;
  short events;
  short revents;
};

/* curl_multi_init returns a new multi handle (curl_multi_cleanup) or
   NULL. */
CURL_EXTERN CURLM *curl_multi_init(void);

/* curl_multi_add_handle starts driving |curl_handle|; the multi handle
   does not own it. */
CURL_EXTERN CURLMcode curl_multi_add_handle(CURLM *multi_handle,
                                            CURL *curl_handle);

/* curl_multi_remove_handle stops (and aborts if running) the transfer. */
CURL_EXTERN CURLMcode curl_multi_remove_handle(CURLM *multi_handle,
                                               CURL *curl_handle);

/* curl_multi_fdset adds the sockets to wait on to the sets; *max_fd is -1
   when there are none right now. */
CURL_EXTERN CURLMcode curl_multi_fdset(CURLM *multi_handle,
                                       fd_set *read_fd_set,
                                       fd_set *write_fd_set,
                                       fd_set *exc_fd_set, int *max_fd);

/* curl_multi_wait waits for activity on the transfers' sockets or the
   extra ones, at most timeout_ms; *ret gets the number of descriptors
   with events. Returns at once when there is nothing to wait on. */
CURL_EXTERN CURLMcode curl_multi_wait(CURLM *multi_handle,
                                      struct curl_waitfd extra_fds[],
                                      unsigned int extra_nfds,
                                      int timeout_ms, int *ret);

/* curl_multi_poll is curl_multi_wait that also waits when there is
   nothing to wait on, and can be woken with curl_multi_wakeup. */
CURL_EXTERN CURLMcode curl_multi_poll(CURLM *multi_handle,
                                      struct curl_waitfd extra_fds[],
                                      unsigned int extra_nfds,
                                      int timeout_ms, int *ret);

/* curl_multi_wakeup interrupts a curl_multi_poll; any thread. */
CURL_EXTERN CURLMcode curl_multi_wakeup(CURLM *multi_handle);

/* curl_multi_perform does all work that can be done without waiting;
   *running_handles gets the number of unfinished transfers. */
CURL_EXTERN CURLMcode curl_multi_perform(CURLM *multi_handle,
                                         int *running_handles);

/* curl_multi_cleanup frees the multi handle; its easy handles stay the
   application's. */
CURL_EXTERN CURLMcode curl_multi_cleanup(CURLM *multi_handle);

/* curl_multi_info_read pops one message, or returns NULL;
   *msgs_in_queue gets the number still queued. */
CURL_EXTERN CURLMsg *curl_multi_info_read(CURLM *multi_handle,
                                          int *msgs_in_queue);

/* curl_multi_strerror returns a static description. */
CURL_EXTERN const char *curl_multi_strerror(CURLMcode);

/* ---- event-driven interface ---- */

/* |what| of the socket callback */
#define CURL_POLL_NONE 0
#define CURL_POLL_IN 1
#define CURL_POLL_OUT 2
#define CURL_POLL_INOUT 3
#define CURL_POLL_REMOVE 4

/* pass as |s| to curl_multi_socket_action when the timer expired */
#define CURL_SOCKET_TIMEOUT CURL_SOCKET_BAD

/* ev_bitmask of curl_multi_socket_action */
#define CURL_CSELECT_IN 0x01
#define CURL_CSELECT_OUT 0x02
#define CURL_CSELECT_ERR 0x04

/* CURLMOPT_SOCKETFUNCTION: watch |s| for |what| (CURL_POLL_*). socketp is
   what curl_multi_assign set for the socket. */
typedef int (*curl_socket_callback)(CURL *easy, curl_socket_t s, int what,
                                    void *userp, void *socketp);

/* CURLMOPT_TIMERFUNCTION: call curl_multi_socket_action with
   CURL_SOCKET_TIMEOUT after timeout_ms; -1 removes the timer. */
typedef int (*curl_multi_timer_callback)(CURLM *multi, long timeout_ms,
                                         void *userp);

CURL_EXTERN CURLMcode CURL_DEPRECATED(7.19.5, "Use curl_multi_socket_action()")
    curl_multi_socket(CURLM *multi_handle, curl_socket_t s,
                      int *running_handles);

CURL_EXTERN CURLMcode curl_multi_socket_action(CURLM *multi_handle,
                                               curl_socket_t s,
                                               int ev_bitmask,
                                               int *running_handles);

CURL_EXTERN CURLMcode CURL_DEPRECATED(7.19.5, "Use curl_multi_socket_action()")
    curl_multi_socket_all(CURLM *multi_handle, int *running_handles);

#if !defined(CURL_ALLOW_OLD_MULTI_SOCKET) && !defined(BUILDING_LIBCURL)
/* old programs get the modern call; the library itself still defines the
   old entry point for binaries linked against it */
#define curl_multi_socket(x, y, z) curl_multi_socket_action(x, y, 0, z)
#endif

/* curl_multi_timeout: milliseconds until the library wants to be called
   again, -1 for no timeout. */
CURL_EXTERN CURLMcode curl_multi_timeout(CURLM *multi_handle,
                                         long *milliseconds);

typedef enum {
  CURLOPT(CURLMOPT_SOCKETFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 1),
  CURLOPT(CURLMOPT_SOCKETDATA, CURLOPTTYPE_OBJECTPOINT, 2),
  CURLOPT(CURLMOPT_PIPELINING, CURLOPTTYPE_LONG, 3),
  CURLOPT(CURLMOPT_TIMERFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 4),
  CURLOPT(CURLMOPT_TIMERDATA, CURLOPTTYPE_OBJECTPOINT, 5),
  CURLOPT(CURLMOPT_MAXCONNECTS, CURLOPTTYPE_LONG, 6),
  CURLOPT(CURLMOPT_MAX_HOST_CONNECTIONS, CURLOPTTYPE_LONG, 7),
  CURLOPT(CURLMOPT_MAX_PIPELINE_LENGTH, CURLOPTTYPE_LONG, 8),
  CURLOPT(CURLMOPT_CONTENT_LENGTH_PENALTY_SIZE, CURLOPTTYPE_OFF_T, 9),
  CURLOPT(CURLMOPT_CHUNK_LENGTH_PENALTY_SIZE, CURLOPTTYPE_OFF_T, 10),
  CURLOPT(CURLMOPT_PIPELINING_SITE_BL, CURLOPTTYPE_OBJECTPOINT, 11),
  CURLOPT(CURLMOPT_PIPELINING_SERVER_BL, CURLOPTTYPE_OBJECTPOINT, 12),
  CURLOPT(CURLMOPT_MAX_TOTAL_CONNECTIONS, CURLOPTTYPE_LONG, 13),
  CURLOPT(CURLMOPT_PUSHFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 14),
  CURLOPT(CURLMOPT_PUSHDATA, CURLOPTTYPE_OBJECTPOINT, 15),
  CURLOPT(CURLMOPT_MAX_CONCURRENT_STREAMS, CURLOPTTYPE_LONG, 16),
  CURLMOPT_LASTENTRY
} CURLMoption;

/* curl_multi_setopt: like curl_easy_setopt, for CURLMOPT_* */
CURL_EXTERN CURLMcode curl_multi_setopt(CURLM *multi_handle,
                                        CURLMoption option, ...);

/* curl_multi_assign attaches |sockp| to |sockfd| for the socket
   callback's socketp. */
CURL_EXTERN CURLMcode curl_multi_assign(CURLM *multi_handle,
                                        curl_socket_t sockfd, void *sockp);

/* curl_multi_get_handles returns a NULL-terminated array of the added
   easy handles, owned by the caller (curl_free), or NULL. */
CURL_EXTERN CURL **curl_multi_get_handles(CURLM *multi_handle);

/* ---- HTTP/2 server push ---- */

/* CURLMOPT_PUSHFUNCTION return values */
#define CURL_PUSH_OK 0
#define CURL_PUSH_DENY 1
#define CURL_PUSH_ERROROUT 2

struct curl_pushheaders; /* opaque; valid only inside the push callback */

/* curl_pushheader_bynum / _byname: a header of the pushed request, as
   "name:value" / value, owned by the library; NULL if absent. */
CURL_EXTERN char *curl_pushheader_bynum(struct curl_pushheaders *h,
                                        size_t num);
CURL_EXTERN char *curl_pushheader_byname(struct curl_pushheaders *h,
                                         const char *name);

typedef int (*curl_push_callback)(CURL *parent, CURL *easy,
                                  size_t num_headers,
                                  struct curl_pushheaders *headers,
                                  void *userp);

/* curl_multi_waitfds fills |ufds| (room for |size|) with what the
   transfers wait on; *fd_count gets the number needed. */
CURL_EXTERN CURLMcode curl_multi_waitfds(CURLM *multi,
                                         struct curl_waitfd *ufds,
                                         unsigned int size,
                                         unsigned int *fd_count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CURLINC_MULTI_H */
