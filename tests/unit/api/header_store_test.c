/* header_store_test.c: curl_easy_header semantics over the header store. */
#include "api/header_store.h"

#include "http/http_response_headers.h"
#include <string.h>

#include "test.h"
#include "util/alloc.h"

static struct cn_http_response_headers *head(const char *const *pairs,
                                             size_t n) {
  struct cn_http_response_headers *h = cn_http_response_headers_new();
  cn_http_response_headers_set_status(h, 1, 1, 200, "OK", 2);
  for (size_t i = 0; i + 1 < n; i += 2)
    cn_http_response_headers_add(h, pairs[i], strlen(pairs[i]), pairs[i + 1],
                                 strlen(pairs[i + 1]));
  return h;
}

TEST(lookup_by_name_index_and_request) {
  struct cn_header_store s;
  cn_header_store_init(&s);
  struct curl_header *out = NULL;
  CHECK_EQ_INT(cn_header_store_get(&s, "A", 0, CURLH_HEADER, -1, &out),
               CURLHE_NOHEADERS);

  const char *first[] = {"Location", "/next", "Set-Cookie", "a=1",
                         "set-cookie", "b=2 "};
  const char *second[] = {"Content-Type", "text/plain"};
  struct cn_http_response_headers *h1 = head(first, 6);
  struct cn_http_response_headers *h2 = head(second, 2);
  CHECK_EQ_INT(cn_header_store_add_head(&s, h1, CURLH_HEADER, 0), 0);
  CHECK_EQ_INT(cn_header_store_add_head(&s, h2, CURLH_HEADER, 1), 0);

  /* -1 is the last request. */
  CHECK_EQ_INT(cn_header_store_get(&s, "content-type", 0, CURLH_HEADER, -1,
                                   &out),
               CURLHE_OK);
  CHECK_EQ_STR(out->value, "text/plain");
  CHECK_EQ_INT(out->amount, 1);
  CHECK_EQ_INT(cn_header_store_get(&s, "Set-Cookie", 0, CURLH_HEADER, -1,
                                   &out),
               CURLHE_MISSING);
  /* The first request has two Set-Cookie headers, trimmed. */
  CHECK_EQ_INT(cn_header_store_get(&s, "Set-Cookie", 1, CURLH_HEADER, 0,
                                   &out),
               CURLHE_OK);
  CHECK_EQ_STR(out->value, "b=2");
  CHECK_EQ_INT(out->amount, 2);
  CHECK_EQ_INT(out->index, 1);
  CHECK_EQ_INT(cn_header_store_get(&s, "Set-Cookie", 2, CURLH_HEADER, 0,
                                   &out),
               CURLHE_BADINDEX);
  CHECK_EQ_INT(cn_header_store_get(&s, "Set-Cookie", 0, CURLH_HEADER, 5,
                                   &out),
               CURLHE_NOREQUEST);
  CHECK_EQ_INT(cn_header_store_get(&s, "Set-Cookie", 0, CURLH_1XX, 0, &out),
               CURLHE_MISSING);
  CHECK_EQ_INT(cn_header_store_get(&s, NULL, 0, CURLH_HEADER, 0, &out),
               CURLHE_BAD_ARGUMENT);

  /* Walking the first request visits its three headers in order. */
  int count = 0;
  struct curl_header *it = NULL;
  while ((it = cn_header_store_next(&s, CURLH_HEADER, 0, it)))
    count++;
  CHECK_EQ_INT(count, 3);

  cn_header_store_reset(&s);
  CHECK_EQ_INT(cn_header_store_get(&s, "Content-Type", 0, CURLH_HEADER, -1,
                                   &out),
               CURLHE_NOHEADERS);
  cn_http_response_headers_free(h1);
  cn_http_response_headers_free(h2);
  cn_header_store_cleanup(&s);
}

/* A string handed out stays where it is while later heads are stored (a
 * program may look at a header from its header callback and keep the
 * pointer while the transfer goes on), even when they need more text than
 * a block holds; after a reset the store serves the same again. */
TEST(strings_stay_put_until_reset) {
  struct cn_header_store s;
  cn_header_store_init(&s);
  const char *first[] = {"Server", "nginx"};
  struct cn_http_response_headers *h1 = head(first, 2);
  CHECK_EQ_INT(cn_header_store_add_head(&s, h1, CURLH_HEADER, 0), 0);
  struct curl_header *out = NULL;
  CHECK_EQ_INT(cn_header_store_get(&s, "Server", 0, CURLH_HEADER, 0, &out),
               CURLHE_OK);
  const char *kept = out->value;

  static char big[10000];
  memset(big, 'x', sizeof(big) - 1);
  const char *second[] = {"X-Big", big, "X-Small", "y"};
  struct cn_http_response_headers *h2 = head(second, 4);
  for (int i = 1; i <= 3; i++)
    CHECK_EQ_INT(cn_header_store_add_head(&s, h2, CURLH_HEADER, i), 0);
  CHECK_EQ_STR(kept, "nginx");
  CHECK_EQ_INT(cn_header_store_get(&s, "x-big", 0, CURLH_HEADER, 3, &out),
               CURLHE_OK);
  CHECK_EQ_INT((int)strlen(out->value), (int)sizeof(big) - 1);
  CHECK_EQ_INT(cn_header_store_get(&s, "x-small", 0, CURLH_HEADER, 2, &out),
               CURLHE_OK);
  CHECK_EQ_STR(out->value, "y");

  for (int round = 0; round < 3; round++) {
    cn_header_store_reset(&s);
    CHECK_EQ_INT(cn_header_store_add_head(&s, h2, CURLH_HEADER, 0), 0);
    CHECK_EQ_INT(cn_header_store_add_head(&s, h1, CURLH_HEADER, 1), 0);
    CHECK_EQ_INT(cn_header_store_get(&s, "Server", 0, CURLH_HEADER, -1, &out),
                 CURLHE_OK);
    CHECK_EQ_STR(out->value, "nginx");
  }
  cn_http_response_headers_free(h1);
  cn_http_response_headers_free(h2);
  cn_header_store_cleanup(&s);
}

/* The curl tool's %{header_json} walks with nextheader and looks up the
 * other headers of a name with curl_easy_header in between: the walk must
 * go on from where it was (libcurl keeps one result of each). */
TEST(lookups_do_not_move_the_walk) {
  struct cn_header_store s;
  cn_header_store_init(&s);
  const char *pairs[] = {"Vary", "a", "X", "1", "Vary", "b", "Y", "2"};
  struct cn_http_response_headers *h = head(pairs, 8);
  CHECK_EQ_INT(cn_header_store_add_head(&s, h, CURLH_HEADER, 0), 0);
  const char *seen[4];
  size_t n = 0;
  struct curl_header *prev = NULL, *cur;
  while ((cur = cn_header_store_next(&s, CURLH_HEADER, -1, prev)) && n < 4) {
    seen[n++] = cur->name;
    struct curl_header *other;
    if (cur->amount > 1)
      CHECK_EQ_INT(cn_header_store_get(&s, cur->name, cur->amount - 1,
                                       CURLH_HEADER, -1, &other),
                   CURLHE_OK);
    prev = cur;
  }
  CHECK_EQ_INT((int)n, 4);
  CHECK_EQ_STR(seen[1], "X");
  CHECK_EQ_STR(seen[3], "Y");
  cn_http_response_headers_free(h);
  cn_header_store_cleanup(&s);
}

TEST_MAIN(lookup_by_name_index_and_request, strings_stay_put_until_reset,
          lookups_do_not_move_the_walk)
