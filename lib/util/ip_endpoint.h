/* ip_endpoint.h: an IP address + port (Chromium's IPEndPoint), as a value. */
#ifndef CN_UTIL_IP_ENDPOINT_H
#define CN_UTIL_IP_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Long enough for any IPv6 text form with a zone id. */
#define CN_IP_STRING_MAX 64

struct cn_ip_endpoint {
  struct sockaddr_storage addr;
  socklen_t len; /* 0: unset */
};

/* cn_ip_endpoint_from_sockaddr copies |sa|; false if the family is not
 * AF_INET/AF_INET6 or |len| is too short. */
bool cn_ip_endpoint_from_sockaddr(struct cn_ip_endpoint *out,
                                  const struct sockaddr *sa, socklen_t len);
/* cn_ip_endpoint_parse reads a numeric IPv4 or IPv6 address (no brackets)
 * and sets |port|. */
bool cn_ip_endpoint_parse(struct cn_ip_endpoint *out, const char *ip, int port);
int cn_ip_endpoint_family(const struct cn_ip_endpoint *ep);
int cn_ip_endpoint_port(const struct cn_ip_endpoint *ep);
void cn_ip_endpoint_set_port(struct cn_ip_endpoint *ep, int port);
/* cn_ip_endpoint_address_string writes the address without port or
 * brackets ("127.0.0.1", "::1") into |out|. */
void cn_ip_endpoint_address_string(const struct cn_ip_endpoint *ep, char *out,
                                   size_t len);
bool cn_ip_endpoint_equal(const struct cn_ip_endpoint *a,
                          const struct cn_ip_endpoint *b);

#endif
