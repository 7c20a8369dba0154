/* local_bind.c: CURLOPT_INTERFACE / LOCALPORT / LOCALPORTRANGE binding. */
#include "socket/local_bind.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "util/ip_endpoint.h"

enum if_lookup { IF_NOT_FOUND, IF_FAMILY_MISSING, IF_FOUND };

bool cn_local_bind_parse(struct cn_local_bind_spec *out, const char *spec,
                         char *storage, size_t storage_len) {
  memset(out, 0, sizeof(*out));
  if (!spec || !*spec)
    return true;
  if (strncmp(spec, "if!", 3) == 0) {
    out->iface = spec + 3;
    out->iface_only = true;
  } else if (strncmp(spec, "host!", 5) == 0) {
    out->host = spec + 5;
    out->host_given = true;
  } else if (strncmp(spec, "ifhost!", 7) == 0) {
    const char *rest = spec + 7;
    const char *bang = strchr(rest, '!');
    size_t len = strlen(rest);
    if (!bang || bang == rest || !bang[1] || len + 1 > storage_len)
      return false;
    memcpy(storage, rest, len + 1);
    storage[bang - rest] = '\0';
    out->iface = storage;
    out->host = storage + (bang - rest) + 1;
    out->host_given = true;
  } else {
    out->iface = spec;
    out->host = spec;
  }
  return true;
}

/* Finds the first address of |family| on interface |name| (libcurl's
 * Curl_if2ip without the IPv6 scope matching). */
static enum if_lookup interface_address(const char *name, int family,
                                        struct sockaddr_storage *out) {
  struct ifaddrs *list = NULL;
  enum if_lookup res = IF_NOT_FOUND;
  if (getifaddrs(&list) != 0)
    return IF_NOT_FOUND;
  for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
    if (!ifa->ifa_addr || strcmp(ifa->ifa_name, name) != 0)
      continue;
    if (ifa->ifa_addr->sa_family != family) {
      if (res == IF_NOT_FOUND)
        res = IF_FAMILY_MISSING;
      continue;
    }
    size_t len = family == AF_INET ? sizeof(struct sockaddr_in)
                                   : sizeof(struct sockaddr_in6);
    memset(out, 0, sizeof(*out));
    memcpy(out, ifa->ifa_addr, len);
    res = IF_FOUND;
    break;
  }
  freeifaddrs(list);
  return res;
}

static const char *os_error_text(int err, char *buf, size_t len) {
  /* GNU strerror_r may return a static string instead of filling |buf|. */
  return strerror_r(err, buf, len);
}

static void set_port(struct sockaddr_storage *sa, int port) {
  if (sa->ss_family == AF_INET)
    ((struct sockaddr_in *)sa)->sin_port = htons((unsigned short)port);
  else
    ((struct sockaddr_in6 *)sa)->sin6_port = htons((unsigned short)port);
}

static void address_text(const struct sockaddr_storage *sa, char *out,
                         size_t len) {
  struct cn_ip_endpoint ep;
  socklen_t sl = sa->ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                          : sizeof(struct sockaddr_in6);
  out[0] = '\0';
  if (cn_ip_endpoint_from_sockaddr(&ep, (const struct sockaddr *)sa, sl))
    cn_ip_endpoint_address_string(&ep, out, len);
}

/* Resolves |host| for |family| synchronously: numeric addresses directly,
 * names through getaddrinfo (libcurl also blocks here). 1 found, 0 found
 * only in another family, -1 not found. */
static int host_address(const char *host, int family, int *out_found_family,
                        struct sockaddr_storage *out) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
    return -1;
  int rc = 0;
  *out_found_family = res->ai_family;
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
    if (ai->ai_family != family)
      continue;
    memset(out, 0, sizeof(*out));
    memcpy(out, ai->ai_addr, ai->ai_addrlen);
    *out_found_family = family;
    rc = 1;
    break;
  }
  freeaddrinfo(res);
  return rc;
}

int cn_local_bind(int fd, int family, const char *interface_spec,
                  int local_port, int local_port_range,
                  const struct cn_net_log *log) {
  char storage[256];
  char text[CN_IP_STRING_MAX];
  char errbuf[128];
  struct cn_local_bind_spec spec;
  struct sockaddr_storage sa;

  if ((!interface_spec || !*interface_spec) && local_port <= 0)
    return CN_OK;
  if (!cn_local_bind_parse(&spec, interface_spec, storage, sizeof(storage)) ||
      (spec.iface && strlen(spec.iface) >= 255)) {
    cn_net_log_fail(log, "Couldn't bind to '%s'", interface_spec);
    return CN_ERR_LOCAL_BIND_FAILED;
  }

  memset(&sa, 0, sizeof(sa));
  sa.ss_family = (sa_family_t)family;
  if (spec.iface || spec.host) {
    const char *host = spec.host;
    bool found = false;
    if (spec.iface) {
      /* A VRF or an interface without addresses only works this way; it
       * needs privileges, so failure here is common and not fatal. */
      if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, spec.iface,
                     (socklen_t)strlen(spec.iface) + 1) == 0 &&
          !spec.host_given) {
        cn_net_log_text(log, "socket successfully bound to interface '%s'",
                        spec.iface);
        return CN_OK;
      }
      int bind_errno = errno;
      enum if_lookup r = IF_NOT_FOUND;
      if (!spec.host_given)
        r = interface_address(spec.iface, family, &sa);
      if (r == IF_FAMILY_MISSING)
        return CN_ERR_ADDRESS_INVALID;
      if (r == IF_NOT_FOUND && spec.iface_only) {
        cn_net_log_fail(log,
                        "Couldn't bind to interface '%s' with errno %d: %s",
                        spec.iface, bind_errno,
                        os_error_text(bind_errno, errbuf, sizeof(errbuf)));
        return CN_ERR_LOCAL_BIND_FAILED;
      }
      if (r == IF_FOUND) {
        address_text(&sa, text, sizeof(text));
        cn_net_log_text(log,
                        "Local Interface %s is ip %s using address family %i",
                        spec.iface, text, family);
        found = true;
        host = text;
      }
    }
    if (!found && host) {
      int found_family = 0;
      int r = host_address(host, family, &found_family, &sa);
      if (r >= 0) {
        if (r > 0)
          address_text(&sa, text, sizeof(text));
        cn_net_log_text(log, "Name '%s' family %i resolved to '%s' family %i",
                        host, family, r > 0 ? text : host, found_family);
        if (r == 0)
          return CN_ERR_ADDRESS_INVALID;
        found = true;
      } else {
        int e = errno;
        cn_net_log_fail(log, "Couldn't bind to '%s' with errno %d: %s", host, e,
                        os_error_text(e, errbuf, sizeof(errbuf)));
        return CN_ERR_LOCAL_BIND_FAILED;
      }
    }
    if (!found)
      return CN_ERR_LOCAL_BIND_FAILED;
  }

  int port = local_port > 0 ? local_port : 0;
  int tries = local_port_range > 0 ? local_port_range : 1;
  set_port(&sa, port);
  socklen_t sa_len = family == AF_INET ? sizeof(struct sockaddr_in)
                                       : sizeof(struct sockaddr_in6);
#ifdef IP_BIND_ADDRESS_NO_PORT
  if (port == 0) {
    /* Let connect() pick the port so the 4-tuple, not the port, must be
     * unique: binding an address alone would exhaust ports early. */
    int on = 1;
    (void)setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof(on));
  }
#endif
  for (;;) {
    if (bind(fd, (struct sockaddr *)&sa, sa_len) == 0) {
      cn_net_log_text(log, "Local port: %hu", (unsigned short)port);
      return CN_OK;
    }
    if (--tries <= 0 || port == 0 || port >= 65535)
      break;
    port++;
    cn_net_log_text(log, "Bind to local port %d failed, trying next", port - 1);
    set_port(&sa, port);
  }
  int e = errno;
  cn_net_log_fail(log, "bind failed with errno %d: %s", e,
                  os_error_text(e, errbuf, sizeof(errbuf)));
  return CN_ERR_LOCAL_BIND_FAILED;
}
