/* setopt.h: curl_easy_setopt's internals, for the rest of lib/api and the
 * tests: what curlium does with each option (lib/api/setopt_table.h) and
 * the va_list entry point. */
#ifndef CN_API_SETOPT_H
#define CN_API_SETOPT_H

#include <curl/curl.h>
#include <stdarg.h>
#include <stddef.h>

struct cn_easy;

/* See setopt_table.h for the meaning of each status and of |accepts|. */
enum cn_opt_status {
  CN_OPT_SUPPORTED,
  CN_OPT_RECORDED,
  CN_OPT_IGNORED,
  CN_OPT_NOT_BUILT,
  CN_OPT_UNKNOWN
};

enum cn_opt_accepts {
  CN_OPT_ACCEPTS_NONE,
  CN_OPT_ACCEPTS_ZERO,
  CN_OPT_ACCEPTS_EMPTY
};

struct cn_opt_info {
  CURLoption option;
  const char *name; /* "CURLOPT_URL" */
  enum cn_opt_status status;
  enum cn_opt_accepts accepts;
  const char *note; /* "" when there is nothing to add */
};

/* cn_setopt_info returns the table entry of |option|, or NULL for a number
 * that is no option (curl_easy_setopt answers CURLE_UNKNOWN_OPTION). */
const struct cn_opt_info *cn_setopt_info(CURLoption option);

/* cn_setopt_table returns the whole table (static, option-number order). */
const struct cn_opt_info *cn_setopt_table(size_t *out_num);

/* cn_easy_vsetopt is curl_easy_setopt on an already checked handle; it
 * reads exactly one argument from |ap|, of the type the option number
 * encodes. */
CURLcode cn_easy_vsetopt(struct cn_easy *e, CURLoption option, va_list ap);

#endif
