/* net_log.h: how every layer reports what it does to the transfer it works
 * for (Chromium's NetLogWithSource). The api layer turns entries into
 * CURLOPT_VERBOSE / DEBUGFUNCTION output and the error buffer.
 *
 * A cn_net_log is a small value (copied, not owned): |fn| may be NULL (no
 * logging). The types mirror curl_infotype's numbers on purpose, so the api
 * layer passes them through; CN_LOG_FAIL is internal: the first FAIL of a
 * transfer becomes its error-buffer text (libcurl's failf). */
#ifndef CN_UTIL_NET_LOG_H
#define CN_UTIL_NET_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum cn_net_log_type {
  CN_LOG_TEXT = 0,
  CN_LOG_HEADER_IN = 1,
  CN_LOG_HEADER_OUT = 2,
  CN_LOG_DATA_IN = 3,
  CN_LOG_DATA_OUT = 4,
  CN_LOG_SSL_DATA_IN = 5,
  CN_LOG_SSL_DATA_OUT = 6,
  CN_LOG_FAIL = 100
};

typedef void (*cn_net_log_fn)(void *ctx, enum cn_net_log_type type,
                              const char *data, size_t len);

struct cn_net_log {
  cn_net_log_fn fn;
  void *ctx;
  bool verbose; /* false: TEXT/HEADER/DATA entries are skipped unformatted */
};

/* cn_net_log_text logs one informational line (no trailing newline in
 * |fmt|: one is added), as libcurl's infof. */
void cn_net_log_text(const struct cn_net_log *log, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* cn_net_log_fail records an error message (libcurl's failf): always passed
 * to |fn|, even when not verbose. */
void cn_net_log_fail(const struct cn_net_log *log, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cn_net_log_data(const struct cn_net_log *log, enum cn_net_log_type type,
                     const void *data, size_t len);
static inline bool cn_net_log_verbose(const struct cn_net_log *log) {
  return log && log->fn && log->verbose;
}

#endif
