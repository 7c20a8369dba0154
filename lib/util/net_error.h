/* net_error.h: curlium's internal error convention (Chromium's net::Error).
 *
 * An int result is >= 0 for success (often a byte count) or one of the
 * negative CN_ERR_* values from net_error_list.h. CN_ERR_IO_PENDING means the
 * operation will finish later through its completion callback. The single
 * mapping to CURLcode lives in lib/api/error_map.c. */
#ifndef CN_UTIL_NET_ERROR_H
#define CN_UTIL_NET_ERROR_H

enum {
  CN_OK = 0,
#define CN_NET_ERROR(name, value, desc) CN_ERR_##name = (value),
#include "util/net_error_list.h"
#undef CN_NET_ERROR
};

/* cn_net_error_name returns "CN_ERR_TIMED_OUT" style names for traces; a
 * static string, never NULL. */
const char *cn_net_error_name(int err);
/* cn_net_error_description returns a short English description; static. */
const char *cn_net_error_description(int err);

/* Completion callback of every asynchronous operation: |rv| is the result the
 * synchronous call would have returned. The callee may free the object that
 * issued the operation; the caller must not touch it afterwards. */
typedef void (*cn_completion_fn)(void *ctx, int rv);

#endif
