/* escape_test.c: curl_easy_escape / curl_easy_unescape and the old
 * spellings. */
#include <curl/curl.h>

#include <string.h>

#include "test.h"
#include "util/alloc.h"

TEST(escape) {
  char *s = curl_easy_escape(NULL, "a b&c=d/e~f_g.h-i", 0);
  CHECK_EQ_STR(s, "a%20b%26c%3Dd%2Fe~f_g.h-i");
  curl_free(s);
  s = curl_easy_escape(NULL, "\xff\x00z", 3); /* explicit length, NUL too */
  CHECK_EQ_STR(s, "%FF%00z");
  curl_free(s);
  s = curl_easy_escape(NULL, "abc", 2);
  CHECK_EQ_STR(s, "ab");
  curl_free(s);
  s = curl_easy_escape(NULL, "", 0);
  CHECK_EQ_STR(s, "");
  curl_free(s);
  CHECK(curl_easy_escape(NULL, "abc", -1) == NULL);
  CHECK(curl_easy_escape(NULL, NULL, 0) == NULL);
  s = curl_escape("a+b", 0);
  CHECK_EQ_STR(s, "a%2Bb");
  curl_free(s);
}

TEST(unescape) {
  int len = -1;
  char *s = curl_easy_unescape(NULL, "a%20b%2Fc%zz%4", 0, &len);
  CHECK_EQ_STR(s, "a b/c%zz%4");
  CHECK_EQ_INT(len, 10);
  curl_free(s);
  s = curl_easy_unescape(NULL, "x%00y", 0, &len);
  CHECK_EQ_INT(len, 3);
  CHECK(s && s[0] == 'x' && s[1] == '\0' && s[2] == 'y');
  curl_free(s);
  s = curl_easy_unescape(NULL, "%41%42%43", 6, &len); /* only "%41%42" */
  CHECK_EQ_STR(s, "AB");
  CHECK_EQ_INT(len, 2);
  curl_free(s);
  s = curl_easy_unescape(NULL, "a+b", 0, NULL); /* '+' is not a space */
  CHECK_EQ_STR(s, "a+b");
  curl_free(s);
  CHECK(curl_easy_unescape(NULL, "abc", -1, &len) == NULL);
  s = curl_unescape("%7e", 0);
  CHECK_EQ_STR(s, "~");
  curl_free(s);
  cn_alloc_fail_nth(1);
  CHECK(curl_easy_unescape(NULL, "abc", 0, &len) == NULL);
  cn_alloc_fail_nth(0);
}

TEST(round_trip) {
  char in[256];
  for (int i = 0; i < 256; i++)
    in[i] = (char)i;
  char *e = curl_easy_escape(NULL, in, 256);
  int len = 0;
  char *d = curl_easy_unescape(NULL, e, 0, &len);
  CHECK_EQ_INT(len, 256);
  CHECK(d && memcmp(d, in, 256) == 0);
  curl_free(e);
  curl_free(d);
}

TEST_MAIN(escape, unescape, round_trip)
