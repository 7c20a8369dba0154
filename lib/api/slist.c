/* slist.c: curl_slist_append and curl_slist_free_all. */
#include <curl/curl.h>

#include "util/alloc.h"

struct curl_slist *curl_slist_append(struct curl_slist *list,
                                     const char *data) {
  /* The string is copied; on failure the list is returned untouched to the
   * caller, who still owns it, and NULL says so. */
  char *copy = data ? cn_strdup(data) : NULL;
  if (!copy)
    return NULL;
  struct curl_slist *node = cn_malloc(sizeof(*node));
  if (!node) {
    cn_free(copy);
    return NULL;
  }
  node->data = copy;
  node->next = NULL;
  if (!list)
    return node;
  struct curl_slist *last = list;
  while (last->next)
    last = last->next;
  last->next = node;
  return list;
}

void curl_slist_free_all(struct curl_slist *list) {
  while (list) {
    struct curl_slist *next = list->next;
    cn_free(list->data);
    cn_free(list);
    list = next;
  }
}
