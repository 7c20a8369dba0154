/* http_auth_basic.c: Basic and Bearer values. */
#include "http/auth/http_auth_basic.h"

#include <string.h>

#include "util/alloc.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/net_error.h"

char *cn_http_auth_basic_value(const char *user, const char *password) {
  struct cn_buf plain, out;
  cn_buf_init(&plain, 0);
  cn_buf_init(&out, 0);
  char *value = NULL;
  if (cn_buf_printf(&plain, "%s:%s", user ? user : "",
                    password ? password : "") == CN_OK) {
    char *encoded = cn_base64_encode(plain.data, plain.len);
    if (encoded && cn_buf_printf(&out, "Basic %s", encoded) == CN_OK)
      value = cn_buf_detach(&out);
    cn_free(encoded);
  }
  /* Keep the password out of freed memory. */
  if (plain.data)
    memset(plain.data, 0, plain.len);
  cn_buf_cleanup(&plain);
  cn_buf_cleanup(&out);
  return value;
}

char *cn_http_auth_bearer_value(const char *token) {
  struct cn_buf out;
  cn_buf_init(&out, 0);
  char *value = NULL;
  if (cn_buf_printf(&out, "Bearer %s", token ? token : "") == CN_OK)
    value = cn_buf_detach(&out);
  cn_buf_cleanup(&out);
  return value;
}
