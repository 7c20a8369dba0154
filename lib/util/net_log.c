/* net_log.c: formatting for the transfer log. */
#include "util/net_log.h"

#include <stdarg.h>
#include <stdio.h>

/* Lines longer than libcurl's own info buffer are cut the same way. */
#define LOG_LINE_MAX 2048

static void emit(const struct cn_net_log *log, enum cn_net_log_type type,
                 const char *fmt, va_list ap) {
  char line[LOG_LINE_MAX];
  int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
  if (n < 0)
    return;
  if ((size_t)n > sizeof(line) - 2)
    n = (int)sizeof(line) - 2;
  line[n++] = '\n';
  line[n] = '\0';
  log->fn(log->ctx, type, line, (size_t)n);
}

void cn_net_log_text(const struct cn_net_log *log, const char *fmt, ...) {
  if (!cn_net_log_verbose(log))
    return;
  va_list ap;
  va_start(ap, fmt);
  emit(log, CN_LOG_TEXT, fmt, ap);
  va_end(ap);
}

void cn_net_log_fail(const struct cn_net_log *log, const char *fmt, ...) {
  if (!log || !log->fn)
    return;
  va_list ap;
  va_start(ap, fmt);
  emit(log, CN_LOG_FAIL, fmt, ap);
  va_end(ap);
}

void cn_net_log_data(const struct cn_net_log *log, enum cn_net_log_type type,
                     const void *data, size_t len) {
  if (!cn_net_log_verbose(log) || len == 0)
    return;
  log->fn(log->ctx, type, data, len);
}
