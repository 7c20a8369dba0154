/* resolve_override.h: parsing of one CURLOPT_RESOLVE line.
 *
 *   "host:port:addr[,addr]..."   permanent entry
 *   "+host:port:addr[,addr]..."  entry that ages like a resolved one
 *   "-host:port"                 removal
 *
 * Addresses are numeric IPv4/IPv6, IPv6 optionally in brackets; empty
 * address items are skipped ("h:1:,1.2.3.4" is fine) but at least one
 * address is needed. The host ends at the first ':' as in libcurl; as an
 * extension a bracketed IPv6 host ("[::1]:80:...") is accepted and stored
 * without brackets. A host of "*" is libcurl's wildcard entry.
 *
 * Pure parser: no cache, no logging. */
#ifndef CN_DNS_RESOLVE_OVERRIDE_H
#define CN_DNS_RESOLVE_OVERRIDE_H

#include <stdbool.h>

#include "dns/address_list.h"

enum cn_resolve_override_kind {
  CN_RESOLVE_OVERRIDE_ADD,
  CN_RESOLVE_OVERRIDE_REMOVE
};

struct cn_resolve_override {
  enum cn_resolve_override_kind kind;
  char *host;                    /* owned; as written, without brackets */
  int port;                      /* 0..65535 */
  bool permanent;                /* ADD: false for "+" lines */
  struct cn_address_list *addrs; /* owned; ADD only; ports set to |port| */
  char *addr_text;               /* owned; ADD only: the addresses as written
                                    (for "Added h:p:ADDRS to DNS cache") */
  char *bad_addr;                /* owned; set on CN_ERR_INVALID_ARGUMENT when
                                    an address item was not an IP */
};

/* cn_resolve_override_parse reads |line| into |*out|. Returns CN_OK,
 * CN_ERR_INVALID_ARGUMENT for a malformed line, or CN_ERR_OUT_OF_MEMORY.
 * On CN_OK the caller owns |*out| (release with cn_resolve_override_cleanup).
 * On CN_ERR_INVALID_ARGUMENT only |out->bad_addr| may be set (and must be
 * released with cleanup too); |out| is otherwise zeroed. */
int cn_resolve_override_parse(struct cn_resolve_override *out,
                              const char *line);
void cn_resolve_override_cleanup(struct cn_resolve_override *o);

#endif
