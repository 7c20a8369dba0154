/* altsvc_store.h: HTTP Alternative Services (RFC 7838) as libcurl keeps
 * them for CURLOPT_ALTSVC: "origin (alpn, host, port) may be reached at
 * (alpn, host, port) until ...".
 *
 * Protocols are CN_ALTSVC_H1/H2/H3 (CURLALTSVC_H1/H2/H3 have these
 * values). Hosts are kept without brackets and compared without case.
 * Every function takes "now" (seconds since the epoch); expired entries
 * are dropped when met.
 *
 * Ownership: the api layer owns the store (an easy handle's); strings
 * handed in are copied. Not thread-safe. */
#ifndef CN_URL_REQUEST_ALTSVC_STORE_H
#define CN_URL_REQUEST_ALTSVC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  CN_ALTSVC_H1 = 1 << 3,
  CN_ALTSVC_H2 = 1 << 4,
  CN_ALTSVC_H3 = 1 << 5,
};

struct cn_buf;
struct cn_altsvc_store;

struct cn_altsvc_entry {
  int src_alpn;
  const char *src_host;
  int src_port;
  int dst_alpn;
  const char *dst_host;
  int dst_port;
  int64_t expires;
  bool persist;
};

struct cn_altsvc_store *cn_altsvc_store_new(void);
void cn_altsvc_store_free(struct cn_altsvc_store *s);

/* cn_altsvc_alpn_id: "h1", "h2", "h3" to CN_ALTSVC_*, 0 for others. */
int cn_altsvc_alpn_id(const char *name, size_t len);

/* cn_altsvc_store_parse_header applies an Alt-Svc value received from the
 * origin: "clear" forgets the origin's alternatives, otherwise the listed
 * ones (known protocols only; ma= default 24 hours, persist=1) replace
 * them. Malformed parts end the parsing. CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_altsvc_store_parse_header(struct cn_altsvc_store *s, const char *value,
                                 int src_alpn, const char *src_host,
                                 int src_port, int64_t now);

/* cn_altsvc_store_lookup finds an alternative for the origin whose
 * protocol is in |allowed| (CN_ALTSVC_* bits); |out|'s strings point into
 * the store until it changes. */
bool cn_altsvc_store_lookup(struct cn_altsvc_store *s, int src_alpn,
                            const char *src_host, int src_port, int allowed,
                            int64_t now, struct cn_altsvc_entry *out);

/* cn_altsvc_store_load_line reads one line of libcurl's file format:
 * `h2 example.org 443 h1 alt.example 8443 "20291231 10:00:00" 0 0`;
 * comments, blank and malformed lines are skipped. CN_OK or OOM. */
int cn_altsvc_store_load_line(struct cn_altsvc_store *s, const char *line,
                              int64_t now);
/* cn_altsvc_store_save writes the file text (two comment lines, then one
 * line per live entry). CN_OK or OOM. */
int cn_altsvc_store_save(struct cn_altsvc_store *s, struct cn_buf *out,
                         int64_t now);

#endif
