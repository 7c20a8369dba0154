/* connect_to.c: CURLOPT_CONNECT_TO. */
#include "url_request/connect_to.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/net_error.h"

/* take_host reads "host" or "[v6]" up to the next ':' at |*p|; sets the
 * span without brackets and moves |*p| past the ':' (or to the end). */
static bool take_host(const char **p, const char **start, size_t *len) {
  const char *s = *p;
  if (*s == '[') {
    const char *close = strchr(s, ']');
    if (!close || (close[1] != ':' && close[1] != '\0'))
      return false;
    *start = s + 1;
    *len = (size_t)(close - s - 1);
    *p = close[1] ? close + 2 : close + 1;
    return true;
  }
  const char *colon = strchr(s, ':');
  *start = s;
  *len = colon ? (size_t)(colon - s) : strlen(s);
  *p = colon ? colon + 1 : s + *len;
  return true;
}

/* take_port reads digits up to ':' or the end; -1 when empty. */
static bool take_port(const char **p, int *out) {
  const char *s = *p;
  char *end;
  if (*s == ':' || *s == '\0') {
    *out = -1;
  } else {
    long v = strtol(s, &end, 10);
    if (end == s || v < 0 || v > 65535 || (*end != ':' && *end != '\0'))
      return false;
    *out = (int)v;
    s = end;
  }
  *p = *s == ':' ? s + 1 : s;
  return true;
}

int cn_connect_to_lookup(const char *const *lines, size_t num_lines,
                         const char *host, int port, char **out_host,
                         int *out_port) {
  for (size_t i = 0; i < num_lines; i++) {
    const char *p = lines[i];
    const char *h;
    size_t hlen;
    int match_port, to_port;
    if (!take_host(&p, &h, &hlen) || !take_port(&p, &match_port))
      return CN_ERR_INVALID_ARGUMENT;
    if (hlen && (strlen(host) != hlen || strncasecmp(host, h, hlen) != 0))
      continue;
    if (match_port >= 0 && match_port != port)
      continue;
    const char *th;
    size_t thlen;
    if (!take_host(&p, &th, &thlen) || !take_port(&p, &to_port))
      return CN_ERR_INVALID_ARGUMENT;
    char *copy = NULL;
    if (thlen) {
      copy = cn_strndup(th, thlen);
      if (!copy)
        return CN_ERR_OUT_OF_MEMORY;
    }
    *out_host = copy;
    *out_port = to_port > 0 ? to_port : 0;
    return 1;
  }
  return 0;
}
