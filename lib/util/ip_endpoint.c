/* ip_endpoint.c: sockaddr helpers. */
#include "util/ip_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

bool cn_ip_endpoint_from_sockaddr(struct cn_ip_endpoint *out,
                                  const struct sockaddr *sa, socklen_t len) {
  if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in))
    len = sizeof(struct sockaddr_in);
  else if (sa->sa_family == AF_INET6 &&
           len >= (socklen_t)sizeof(struct sockaddr_in6))
    len = sizeof(struct sockaddr_in6);
  else
    return false;
  memset(out, 0, sizeof(*out));
  memcpy(&out->addr, sa, len);
  out->len = len;
  return true;
}

bool cn_ip_endpoint_parse(struct cn_ip_endpoint *out, const char *ip,
                          int port) {
  memset(out, 0, sizeof(*out));
  struct sockaddr_in *in4 = (struct sockaddr_in *)&out->addr;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->addr;
  if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons((unsigned short)port);
    out->len = sizeof(*in4);
    return true;
  }
  if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((unsigned short)port);
    out->len = sizeof(*in6);
    return true;
  }
  return false;
}

int cn_ip_endpoint_family(const struct cn_ip_endpoint *ep) {
  return ep->len ? ep->addr.ss_family : AF_UNSPEC;
}

int cn_ip_endpoint_port(const struct cn_ip_endpoint *ep) {
  if (ep->addr.ss_family == AF_INET)
    return ntohs(((const struct sockaddr_in *)&ep->addr)->sin_port);
  if (ep->addr.ss_family == AF_INET6)
    return ntohs(((const struct sockaddr_in6 *)&ep->addr)->sin6_port);
  return 0;
}

void cn_ip_endpoint_set_port(struct cn_ip_endpoint *ep, int port) {
  if (ep->addr.ss_family == AF_INET)
    ((struct sockaddr_in *)&ep->addr)->sin_port = htons((unsigned short)port);
  else if (ep->addr.ss_family == AF_INET6)
    ((struct sockaddr_in6 *)&ep->addr)->sin6_port = htons((unsigned short)port);
}

/* ipv4_string writes dotted-quad text by hand: transfers report their
 * addresses after every request, and inet_ntop goes through sprintf. */
static void ipv4_string(const struct in_addr *a, char *out, size_t len) {
  const uint8_t *b = (const uint8_t *)&a->s_addr;
  char text[16];
  size_t n = 0;
  for (int i = 0; i < 4; i++) {
    unsigned v = b[i];
    if (v >= 100)
      text[n++] = (char)('0' + v / 100);
    if (v >= 10)
      text[n++] = (char)('0' + v / 10 % 10);
    text[n++] = (char)('0' + v % 10);
    text[n++] = i < 3 ? '.' : '\0';
  }
  if (n <= len)
    memcpy(out, text, n);
}

void cn_ip_endpoint_address_string(const struct cn_ip_endpoint *ep, char *out,
                                   size_t len) {
  if (len == 0)
    return;
  out[0] = '\0';
  if (ep->addr.ss_family == AF_INET)
    ipv4_string(&((const struct sockaddr_in *)&ep->addr)->sin_addr, out, len);
  else if (ep->addr.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&ep->addr)->sin6_addr,
              out, (socklen_t)len);
}

bool cn_ip_endpoint_equal(const struct cn_ip_endpoint *a,
                          const struct cn_ip_endpoint *b) {
  return a->len == b->len && memcmp(&a->addr, &b->addr, a->len) == 0;
}
