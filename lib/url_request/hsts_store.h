/* hsts_store.h: HTTP Strict Transport Security hosts (RFC 6797) as libcurl
 * keeps them for CURLOPT_HSTS: which host names (and, with
 * includeSubDomains, their subdomains) must be reached over HTTPS, until
 * when.
 *
 * Host names are kept without a trailing dot and compared without case.
 * Expiry is seconds since the epoch; CN_HSTS_UNLIMITED never expires.
 * Expired entries are dropped when met. Every function takes "now" so the
 * store itself does no I/O and reads no clock.
 *
 * Ownership: the api layer owns the store (an easy handle's, or a share
 * handle's for CURL_LOCK_DATA_HSTS); strings handed in are copied.
 *
 * Thread safety: with lock hooks set (a store shared through curl_share),
 * every function below except cn_hsts_store_entry runs between lock(arg,
 * true) and lock(arg, false); none calls another under the lock. Walk a
 * shared store's entries on a cn_hsts_store_copy. */
#ifndef CN_URL_REQUEST_HSTS_STORE_H
#define CN_URL_REQUEST_HSTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CN_HSTS_UNLIMITED INT64_MAX
/* libcurl's MAX_HSTS_HOSTLEN */
#define CN_HSTS_MAX_HOST 2048

struct cn_buf;
struct cn_hsts_store;

struct cn_hsts_entry {
  const char *host; /* no trailing dot */
  bool include_subdomains;
  int64_t expires;
};

typedef void (*cn_hsts_store_lock_fn)(void *arg, bool lock);

struct cn_hsts_store *cn_hsts_store_new(void);
void cn_hsts_store_free(struct cn_hsts_store *s);
/* cn_hsts_store_set_lock installs lock hooks (NULL |fn|: none). */
void cn_hsts_store_set_lock(struct cn_hsts_store *s, cn_hsts_store_lock_fn fn,
                            void *arg);
/* cn_hsts_store_copy returns a new store (caller owns it, no lock hooks)
 * holding |s|'s live entries; NULL when out of memory. */
struct cn_hsts_store *cn_hsts_store_copy(struct cn_hsts_store *s,
                                         int64_t now);

/* cn_hsts_store_lookup: |host| (a trailing dot ignored) is known: an entry
 * for it, or for a parent domain with includeSubDomains when |subdomains|. */
bool cn_hsts_store_lookup(struct cn_hsts_store *s, const char *host,
                          bool subdomains, int64_t now);

/* cn_hsts_store_parse_header applies a Strict-Transport-Security value
 * received from |host| over HTTPS: max-age (mandatory, once) sets or
 * refreshes the entry, max-age=0 removes it; includeSubDomains (once).
 * IP addresses are ignored. Returns false for a malformed value (libcurl:
 * "Illegal STS header skipped"). CN_ERR_OUT_OF_MEMORY leaves the store as
 * it was and also returns false. */
bool cn_hsts_store_parse_header(struct cn_hsts_store *s, const char *host,
                                const char *value, int64_t now);

/* cn_hsts_store_add adds an entry unless its host is already known (the
 * file and read-callback loaders); for the same host the later expiry
 * wins. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_hsts_store_add(struct cn_hsts_store *s, const char *host,
                      bool include_subdomains, int64_t expires, int64_t now);

/* cn_hsts_store_load_line reads one line of libcurl's HSTS file format:
 * `[.]host "YYYYMMDD HH:MM:SS"` (or "unlimited"; a leading '.' means
 * includeSubDomains); blank, comment and malformed lines are skipped.
 * CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_hsts_store_load_line(struct cn_hsts_store *s, const char *line,
                            int64_t now);

/* cn_hsts_store_save writes the file text (libcurl's two comment lines,
 * then one line per live entry) to |out|. CN_OK or OOM. */
int cn_hsts_store_save(struct cn_hsts_store *s, struct cn_buf *out,
                       int64_t now);

/* cn_hsts_format_expiry writes "YYYYMMDD HH:MM:SS" (GMT) or "unlimited"
 * into |out| (at least 18 bytes). */
void cn_hsts_format_expiry(int64_t expires, char *out, size_t out_len);

/* Live entries in order, for the write callback: |i| from 0 while it
 * returns true. cn_hsts_store_entry takes no lock: use it on a store no
 * other thread reaches (see cn_hsts_store_copy). */
size_t cn_hsts_store_count(struct cn_hsts_store *s, int64_t now);
bool cn_hsts_store_entry(const struct cn_hsts_store *s, size_t i,
                         struct cn_hsts_entry *out);

#endif
