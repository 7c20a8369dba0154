/* host_resolver.h: asynchronous name resolution on c-ares with a host cache
 * (Chromium's HostResolver + HostCache; libcurl's DNS cache semantics).
 *
 * One resolver per multi handle (or per share handle that shares DNS). It
 * runs c-ares on the multi's event loop: c-ares sockets become io watches,
 * its timeouts a timer.
 *
 * Cache: entries are keyed by "host:port" (lower-cased host) like libcurl's,
 * live |cache_timeout_s| seconds (CURLOPT_DNS_CACHE_TIMEOUT; -1 forever, 0
 * no caching). CURLOPT_RESOLVE entries are permanent until removed.
 * Numeric IPv4/IPv6 hosts resolve without c-ares; "localhost" and names
 * ending in ".localhost" resolve to 127.0.0.1 and ::1 without DNS (libcurl
 * does the same). /etc/hosts is honoured (c-ares reads it). */
#ifndef CN_DNS_HOST_RESOLVER_H
#define CN_DNS_HOST_RESOLVER_H

#include <stdbool.h>
#include <stdint.h>

#include "dns/address_list.h"
#include "util/net_error.h"

struct cn_event_loop;
struct cn_net_log;
struct cn_host_resolver;
struct cn_resolve_request;

enum cn_ip_family_pref {
  CN_IP_ANY = 0, /* CURL_IPRESOLVE_WHATEVER */
  CN_IP_V4 = 1,  /* CURL_IPRESOLVE_V4 */
  CN_IP_V6 = 2   /* CURL_IPRESOLVE_V6 */
};

struct cn_host_cache;

/* A host cache used by several resolvers (a share handle's DNS cache,
 * CURL_LOCK_DATA_DNS). |lock|(|lock_arg|, true) / (|lock_arg|, false) wrap
 * every access to |cache|; NULL |lock|: no locking. The owner (the share)
 * creates |cache| with cn_host_cache_new (dns/host_cache.h) and keeps this
 * struct alive while any resolve naming it runs. */
typedef void (*cn_host_cache_lock_fn)(void *arg, bool lock);
struct cn_shared_host_cache {
  struct cn_host_cache *cache;
  cn_host_cache_lock_fn lock;
  void *lock_arg;
};

struct cn_resolve_params {
  const char *host; /* no brackets for IPv6 literals */
  int port;
  enum cn_ip_family_pref family;
  long cache_timeout_s;         /* -1: forever, 0: do not cache */
  const struct cn_net_log *log; /* may be NULL */
  /* Look up and store in this cache instead of the resolver's; NULL: the
   * resolver's own. */
  const struct cn_shared_host_cache *shared_cache;
  /* The name is a proxy's: failures are logged as libcurl's "Could not
   * resolve proxy: NAME" instead of "... host: NAME". */
  bool is_proxy;
  /* CURLOPT_DNS_SHUFFLE_ADDRESSES: a fresh result's addresses are
   * shuffled per family (cn_address_list_shuffle) before they are cached
   * and handed out; cache hits keep the cached order. */
  bool shuffle;
  /* Called when the name is not in the cache, before it is resolved
   * (libcurl's CURLOPT_RESOLVER_START_FUNCTION), with the c-ares channel;
   * non-zero fails the resolve with CN_ERR_NAME_NOT_RESOLVED. NULL: none. */
  int (*on_start)(void *ctx, void *resolver_state);
  void *on_start_ctx;
};

/* cn_host_resolver_new: NULL on OOM or if c-ares cannot start (logged). */
struct cn_host_resolver *cn_host_resolver_new(struct cn_event_loop *loop);
/* cn_host_resolver_free cancels outstanding requests without calling their
 * callbacks. NULL-safe. */
void cn_host_resolver_free(struct cn_host_resolver *r);

/* cn_host_resolver_set_servers: CURLOPT_DNS_SERVERS ("ip[:port],..."), NULL
 * for the system's. CN_ERR_INVALID_ARGUMENT on a bad list. */
int cn_host_resolver_set_servers(struct cn_host_resolver *r,
                                 const char *servers);
/* cn_host_resolver_set_local_ip: CURLOPT_DNS_LOCAL_IP4 / _IP6 (NULL resets). */
int cn_host_resolver_set_local_ip4(struct cn_host_resolver *r, const char *ip);
int cn_host_resolver_set_local_ip6(struct cn_host_resolver *r, const char *ip);
/* cn_host_resolver_set_interface: CURLOPT_DNS_INTERFACE, the network
 * interface DNS queries are sent from (SO_BINDTODEVICE through c-ares'
 * ares_set_local_dev); NULL resets. A name longer than c-ares takes is
 * cut at 31 bytes, as c-ares does. CN_OK. */
int cn_host_resolver_set_interface(struct cn_host_resolver *r,
                                   const char *name);

/* cn_host_resolver_add_override applies one CURLOPT_RESOLVE line:
 * "host:port:addr[,addr]..." (permanent entry; addresses may be bracketed
 * IPv6), "+host:port:addr..." (entry that times out like a normal one) or
 * "-host:port" (remove). CN_OK, CN_ERR_INVALID_ARGUMENT for a malformed line
 * (the caller logs and ignores it, as libcurl does), or OOM. */
int cn_host_resolver_add_override(struct cn_host_resolver *r, const char *line);

/* cn_host_resolver_resolve: on CN_OK |*out| is a new list (caller frees);
 * on CN_ERR_IO_PENDING |*out_req| is set and |cb| will be called once with
 * CN_OK (and |*out| filled at that time; |out| must stay valid) or an error:
 * CN_ERR_NAME_NOT_RESOLVED (NXDOMAIN / no address of the wanted family),
 * CN_ERR_DNS_TIMED_OUT, CN_ERR_DNS_SERVER_FAILED, OOM. The request object
 * belongs to the resolver; it is gone once |cb| runs or after cancel.
 * Synchronous errors also include CN_ERR_INVALID_ARGUMENT (empty host, port
 * out of 0..65535, or a server list c-ares refused). Names that need c-ares
 * always complete through |cb|, even when c-ares answers at once (from
 * /etc/hosts). Failures other than OOM are logged with cn_net_log_fail as
 * "Could not resolve host: NAME"; successes as libcurl's "Host h:p was
 * resolved." / "IPv6: ..." / "IPv4: ..." or "Hostname h was found in DNS
 * cache". */
int cn_host_resolver_resolve(struct cn_host_resolver *r,
                             const struct cn_resolve_params *params,
                             struct cn_address_list **out,
                             struct cn_resolve_request **out_req,
                             cn_completion_fn cb, void *ctx);
/* cn_resolve_request_cancel: the callback will not be called. */
void cn_resolve_request_cancel(struct cn_resolve_request *req);

/* cn_host_resolver_clear_cache drops every non-permanent entry. */
void cn_host_resolver_clear_cache(struct cn_host_resolver *r);

/* --- additions to the lead's interface ------------------------------- */

/* cn_host_resolver_global_init routes c-ares' allocations through
 * cn_malloc/cn_free/cn_realloc (ares_library_init_mem). Call once from
 * curl_global_init(_mem), before any resolver exists; pair with
 * cn_host_resolver_global_cleanup. CN_OK, OOM or CN_ERR_FAILED. */
int cn_host_resolver_global_init(void);
void cn_host_resolver_global_cleanup(void);

/* cn_host_resolver_add_override_with_log is cn_host_resolver_add_override
 * that also writes libcurl's lines to |log| (may be NULL): "Added
 * h:p:ADDRS to DNS cache[ (non-permanent)]", "RESOLVE h:p - old addresses
 * discarded", "RESOLVE *:p using wildcard"; for a malformed removal line the
 * info "Bad syntax CURLOPT_RESOLVE removal entry '...'" (libcurl ignores
 * those lines); for a malformed add line the failure text "Could not parse
 * CURLOPT_RESOLVE entry '...'" (libcurl fails the transfer with
 * CURLE_SETOPT_OPTION_SYNTAX). Same return values. */
int cn_host_resolver_add_override_with_log(struct cn_host_resolver *r,
                                           const char *line,
                                           const struct cn_net_log *log);

/* cn_host_resolver_add_override_shared is _with_log into |shared| (a share
 * handle's DNS cache, under its lock) when not NULL, into |r|'s own cache
 * otherwise: a transfer's CURLOPT_RESOLVE lines go where its lookups go.
 * |r| may be NULL when |shared| is set. |shuffle|: the entry's addresses
 * are shuffled (cn_address_list_shuffle) before they are stored, as
 * libcurl does with CURLOPT_DNS_SHUFFLE_ADDRESSES. Same return values. */
int cn_host_resolver_add_override_shared(
    struct cn_host_resolver *r, const struct cn_shared_host_cache *shared,
    const char *line, bool shuffle, const struct cn_net_log *log);

/* cn_host_resolver_set_timeouts sets c-ares' per-try timeout (ms) and the
 * number of tries; 0 keeps c-ares' default (from resolv.conf or 5 s / 4).
 * Like the other settings it applies to queries started afterwards:
 * queries in flight finish on the channel they started on. */
int cn_host_resolver_set_timeouts(struct cn_host_resolver *r, int timeout_ms,
                                  int tries);

/* Test hook: replaces the monotonic clock (microseconds) the cache ages
 * entries with; NULL restores cn_time_now_us. */
void cn_host_resolver_set_clock_for_testing(struct cn_host_resolver *r,
                                            int64_t (*now_us)(void));

#endif
