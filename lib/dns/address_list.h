/* address_list.h: the result of a host resolution (Chromium's AddressList):
 * an ordered array of endpoints, each carrying the requested port. */
#ifndef CN_DNS_ADDRESS_LIST_H
#define CN_DNS_ADDRESS_LIST_H

#include <stddef.h>

#include "util/ip_endpoint.h"

struct cn_address_list {
  struct cn_ip_endpoint *addrs; /* owned array of |num| entries */
  size_t num;
};

/* cn_address_list_new returns an empty list, or NULL on OOM. */
struct cn_address_list *cn_address_list_new(void);
/* cn_address_list_add appends a copy of |ep|: CN_OK or OOM. */
int cn_address_list_add(struct cn_address_list *list,
                        const struct cn_ip_endpoint *ep);
/* cn_address_list_copy: deep copy with every port set to |port|; NULL on
 * OOM. */
struct cn_address_list *cn_address_list_copy(const struct cn_address_list *src,
                                             int port);
/* cn_address_list_copy_family: like cn_address_list_copy but keeps only the
 * entries of |family| (AF_INET, AF_INET6; AF_UNSPEC keeps all), in order.
 * The copy may be empty; NULL only on OOM. */
struct cn_address_list *
cn_address_list_copy_family(const struct cn_address_list *src, int port,
                            int family);
/* cn_address_list_count_family: entries of |family| (AF_UNSPEC: all). */
size_t cn_address_list_count_family(const struct cn_address_list *list,
                                    int family);
/* cn_address_list_shuffle: CURLOPT_DNS_SHUFFLE_ADDRESSES. Puts the
 * addresses of each family in a random order (from BoringSSL's RAND_bytes,
 * as libcurl draws from its TLS library), leaving the places that hold
 * IPv4 and IPv6 entries as they were, so the family happy eyeballs starts
 * with stays the resolver's. */
void cn_address_list_shuffle(struct cn_address_list *list);
/* cn_address_list_free: NULL-safe. */
void cn_address_list_free(struct cn_address_list *list);

#endif
