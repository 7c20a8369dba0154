/* strequal.c: curl_strequal and curl_strnequal, ASCII case-insensitive
 * comparisons that ignore the locale (a Turkish dotless i must not make
 * "TITLE" differ from "title"). */
#include <curl/curl.h>

static unsigned char lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

int curl_strequal(const char *s1, const char *s2) {
  if (!s1 || !s2)
    return !s1 && !s2;
  for (; *s1 && *s2; s1++, s2++) {
    if (lower((unsigned char)*s1) != lower((unsigned char)*s2))
      return 0;
  }
  return !*s1 && !*s2;
}

int curl_strnequal(const char *s1, const char *s2, size_t n) {
  if (!s1 || !s2)
    return !s1 && !s2 && n;
  for (; n && *s1 && *s2; s1++, s2++, n--) {
    if (lower((unsigned char)*s1) != lower((unsigned char)*s2))
      return 0;
  }
  return !n || (!*s1 && !*s2);
}
