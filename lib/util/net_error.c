/* net_error.c: names and descriptions of the net error table. */
#include "util/net_error.h"

const char *cn_net_error_name(int err) {
  switch (err) {
  case CN_OK:
    return "CN_OK";
#define CN_NET_ERROR(name, value, desc) \
  case (value):                         \
    return "CN_ERR_" #name;
#include "util/net_error_list.h"
#undef CN_NET_ERROR
  }
  return err > 0 ? "CN_OK" : "CN_ERR_UNKNOWN";
}

const char *cn_net_error_description(int err) {
  switch (err) {
  case CN_OK:
    return "no error";
#define CN_NET_ERROR(name, value, desc) \
  case (value):                         \
    return desc;
#include "util/net_error_list.h"
#undef CN_NET_ERROR
  }
  return err > 0 ? "no error" : "unknown error";
}
