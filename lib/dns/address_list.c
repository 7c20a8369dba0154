/* address_list.c: the ordered endpoint array a resolution produces. */
#include "dns/address_list.h"

#include <stdint.h>
#include <sys/socket.h>

#include <openssl/rand.h>

#include "util/alloc.h"
#include "util/net_error.h"

struct cn_address_list *cn_address_list_new(void) {
  return cn_calloc(1, sizeof(struct cn_address_list));
}

int cn_address_list_add(struct cn_address_list *list,
                        const struct cn_ip_endpoint *ep) {
  /* Lists hold a handful of addresses; growing one slot at a time keeps the
   * struct free of a capacity field that every copy would have to carry. */
  struct cn_ip_endpoint *grown =
      cn_realloc(list->addrs, (list->num + 1) * sizeof(*grown));
  if (!grown)
    return CN_ERR_OUT_OF_MEMORY;
  grown[list->num] = *ep;
  list->addrs = grown;
  list->num++;
  return CN_OK;
}

size_t cn_address_list_count_family(const struct cn_address_list *list,
                                    int family) {
  if (family == AF_UNSPEC)
    return list->num;
  size_t n = 0;
  for (size_t i = 0; i < list->num; i++)
    if (cn_ip_endpoint_family(&list->addrs[i]) == family)
      n++;
  return n;
}

struct cn_address_list *
cn_address_list_copy_family(const struct cn_address_list *src, int port,
                            int family) {
  struct cn_address_list *copy = cn_address_list_new();
  if (!copy)
    return NULL;
  size_t n = cn_address_list_count_family(src, family);
  if (n == 0)
    return copy;
  copy->addrs = cn_malloc(n * sizeof(*copy->addrs));
  if (!copy->addrs) {
    cn_free(copy);
    return NULL;
  }
  for (size_t i = 0; i < src->num; i++) {
    const struct cn_ip_endpoint *ep = &src->addrs[i];
    if (family != AF_UNSPEC && cn_ip_endpoint_family(ep) != family)
      continue;
    copy->addrs[copy->num] = *ep;
    cn_ip_endpoint_set_port(&copy->addrs[copy->num], port);
    copy->num++;
  }
  return copy;
}

struct cn_address_list *cn_address_list_copy(const struct cn_address_list *src,
                                             int port) {
  return cn_address_list_copy_family(src, port, AF_UNSPEC);
}

void cn_address_list_free(struct cn_address_list *list) {
  if (!list)
    return;
  cn_free(list->addrs);
  cn_free(list);
}

/* nth_of_family: the index of the |n|th entry (from 0) of |family|. */
static size_t nth_of_family(const struct cn_address_list *list, int family,
                            size_t n) {
  size_t i = 0;
  for (;; i++)
    if (cn_ip_endpoint_family(&list->addrs[i]) == family && n-- == 0)
      return i;
}

void cn_address_list_shuffle(struct cn_address_list *list) {
  static const int families[] = {AF_INET, AF_INET6};
  for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
    size_t k = cn_address_list_count_family(list, families[f]);
    /* Fisher-Yates over the family's places (lists are short: the
     * quadratic lookup costs nothing) */
    for (size_t j = k; j > 1; j--) {
      uint32_t rnd;
      RAND_bytes((uint8_t *)&rnd, sizeof(rnd));
      size_t a = nth_of_family(list, families[f], j - 1);
      size_t b = nth_of_family(list, families[f], rnd % j);
      struct cn_ip_endpoint tmp = list->addrs[a];
      list->addrs[a] = list->addrs[b];
      list->addrs[b] = tmp;
    }
  }
}
