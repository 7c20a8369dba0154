/* slist_test.c: curl_slist_append / curl_slist_free_all. */
#include <curl/curl.h>

#include <string.h>

#include "test.h"
#include "util/alloc.h"

TEST(appends_copies_in_order) {
  char buf[16] = "first";
  struct curl_slist *list = curl_slist_append(NULL, buf);
  CHECK(list != NULL);
  strcpy(buf, "changed"); /* the list holds its own copy */
  struct curl_slist *same = curl_slist_append(list, "second");
  CHECK(same == list);
  same = curl_slist_append(list, "third");
  CHECK(same == list);
  CHECK_EQ_STR(list->data, "first");
  CHECK_EQ_STR(list->next->data, "second");
  CHECK_EQ_STR(list->next->next->data, "third");
  CHECK(list->next->next->next == NULL);
  curl_slist_free_all(list);
  curl_slist_free_all(NULL);
}

TEST(failure_leaves_list_untouched) {
  struct curl_slist *list = curl_slist_append(NULL, "a");
  for (long n = 1; n <= 2; n++) {
    cn_alloc_fail_nth(n);
    struct curl_slist *r = curl_slist_append(list, "b");
    cn_alloc_fail_nth(0);
    CHECK(r == NULL);
    CHECK_EQ_STR(list->data, "a");
    CHECK(list->next == NULL);
  }
  cn_alloc_fail_nth(1);
  CHECK(curl_slist_append(NULL, "x") == NULL);
  cn_alloc_fail_nth(0);
  curl_slist_free_all(list);
}

TEST_MAIN(appends_copies_in_order, failure_leaves_list_untouched)
