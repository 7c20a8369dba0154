/* basic_auth.c: Basic credentials. */
#include "url_request/basic_auth.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/base64.h"

char *cn_basic_auth_header_value(const char *user, const char *password) {
  size_t len = strlen(user) + 1 + strlen(password);
  char *plain = cn_malloc(len + 1);
  if (!plain)
    return NULL;
  snprintf(plain, len + 1, "%s:%s", user, password);
  char *encoded = cn_base64_encode(plain, len);
  memset(plain, 0, len);
  cn_free(plain);
  if (!encoded)
    return NULL;
  size_t out_len = strlen(encoded) + sizeof("Basic ");
  char *out = cn_malloc(out_len);
  if (out)
    snprintf(out, out_len, "Basic %s", encoded);
  cn_free(encoded);
  return out;
}
