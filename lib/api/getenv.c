/* getenv.c: curl_getenv. */
#include <curl/curl.h>

#include <stdlib.h>

#include "util/alloc.h"

char *curl_getenv(const char *variable) {
  /* libcurl treats a variable set to "" like an unset one. */
  const char *env = variable ? getenv(variable) : NULL;
  return (env && env[0]) ? cn_strdup(env) : NULL;
}
