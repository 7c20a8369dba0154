#ifndef CURLINC_OPTIONS_H
#define CURLINC_OPTIONS_H
/*
 * curl/options.h: run-time introspection of the easy options.
 */

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CURLOT_LONG,    /* long, a range of values */
  CURLOT_VALUES,  /* long, a set of values or a bitmask */
  CURLOT_OFF_T,   /* curl_off_t */
  CURLOT_OBJECT,  /* void * */
  CURLOT_STRING,  /* char *, NUL-terminated */
  CURLOT_SLIST,   /* struct curl_slist * */
  CURLOT_CBPTR,   /* void * handed to a callback */
  CURLOT_BLOB,    /* struct curl_blob * */
  CURLOT_FUNCTION /* function pointer */
} curl_easytype;

/* curl_easyoption.flags: this name is an older spelling of another option
   with the same id */
#define CURLOT_FLAG_ALIAS (1 << 0)

/* One option: its name without the "CURLOPT_" prefix. */
struct curl_easyoption {
  const char *name;
  CURLoption id;
  curl_easytype type;
  unsigned int flags;
};

/* curl_easy_option_by_name looks |name| (no "CURLOPT_" prefix) up,
   ignoring case; NULL when unknown. */
CURL_EXTERN const struct curl_easyoption *
curl_easy_option_by_name(const char *name);

/* curl_easy_option_by_id returns the option with |id|, preferring the
   non-alias name; NULL when unknown. */
CURL_EXTERN const struct curl_easyoption *curl_easy_option_by_id(CURLoption id);

/* curl_easy_option_next iterates over all options: pass NULL first, then
   the previous result; NULL at the end. */
CURL_EXTERN const struct curl_easyoption *
curl_easy_option_next(const struct curl_easyoption *prev);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CURLINC_OPTIONS_H */
