/* cookie_parser.h: one cookie, and the two line formats it comes in, with
 * libcurl 8.14's rules (lib/cookie.c), which are RFC 6265bis with curl's
 * own leniencies:
 *   - a Set-Cookie value ("name=value; Attr=x; Flag"): the first pair is the
 *     cookie and needs a '='; name and value are trimmed of blanks; a TAB
 *     inside any value, a control byte (other than TAB) or DEL in the name or
 *     value, a line over 5000 bytes, or a name or value of 4095 bytes or
 *     more, or both together over 4096, drop the cookie. Attributes are
 *     case-insensitive: Domain (one leading dot ignored; must tail-match the
 *     request host, or equal it for an IP address), Path (last wins; quotes
 *     and a trailing slash are dropped for matching), Max-Age (wins over
 *     Expires; <= 0 or junk expires the cookie at once), Expires (parsed with
 *     util/parsedate, under 80 bytes), Secure (only from a secure origin or a
 *     file; "secure=x" is not the flag), HttpOnly, SameSite (stored only;
 *     libcurl ignores it). Expiry is capped at 400 days, rounded to a minute.
 *   - a Netscape cookie-file line: domain, tailmatch flag, path, secure,
 *     expires, name, value, separated by TABs ("#HttpOnly_" prefix marks
 *     HttpOnly; a missing path field is tolerated; a blank value is "").
 * Prefix rules (__Secure-, __Host-), public suffixes, replacement and
 * limits are the store's (cookie_store.h).
 *
 * The parser does not know the store: it fills a zeroed struct cn_cookie
 * and reports a status. */
#ifndef CN_COOKIES_COOKIE_PARSER_H
#define CN_COOKIES_COOKIE_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_buf;
struct cn_net_log;

/* Limits, libcurl's numbers. */
#define CN_COOKIE_MAX_LINE 5000       /* longest Set-Cookie value / file line */
#define CN_COOKIE_MAX_NAME 4096       /* name + value */
#define CN_COOKIE_MAX_DATE 80         /* longest Expires value parsed */
#define CN_COOKIE_MAX_AGE_S (400 * 24 * 3600) /* expiry cap */

enum cn_cookie_samesite {
  CN_COOKIE_SAMESITE_UNSET = 0,
  CN_COOKIE_SAMESITE_NONE,
  CN_COOKIE_SAMESITE_LAX,
  CN_COOKIE_SAMESITE_STRICT,
  CN_COOKIE_SAMESITE_OTHER /* a value none of the three */
};

/* What happened to a cookie line. The parser reports CN_COOKIE_OK or a
 * rejection; the store adds the others. */
enum cn_cookie_status {
  CN_COOKIE_OK = 0,           /* parsed (parser only) */
  CN_COOKIE_ADDED,            /* stored as a new cookie */
  CN_COOKIE_REPLACED,         /* replaced one with the same name/domain/path */
  CN_COOKIE_OUT_OF_MEMORY,
  CN_COOKIE_TOO_LONG,         /* line over CN_COOKIE_MAX_LINE */
  CN_COOKIE_TAB,              /* TAB inside a value */
  CN_COOKIE_TOO_BIG,          /* name/value over the size limits */
  CN_COOKIE_NO_NAME,          /* no cookie name at all */
  CN_COOKIE_NO_SEP,           /* first pair without '=' */
  CN_COOKIE_INVALID_OCTET,    /* control byte in name or value */
  CN_COOKIE_BAD_SECURE,       /* Secure from an insecure origin */
  CN_COOKIE_NO_TAILMATCH,     /* Domain the host is not within */
  CN_COOKIE_COMMENT,          /* a '#' line in a cookie file */
  CN_COOKIE_BAD_EXPIRES,      /* Netscape expires field not a number */
  CN_COOKIE_FIELDS,           /* Netscape line without exactly 7 fields */
  CN_COOKIE_PUBLIC_SUFFIX,    /* Domain is a public suffix */
  CN_COOKIE_LIVE_WINS,        /* file cookie would replace a live one */
  CN_COOKIE_BAD_PREFIX,       /* __Secure-/__Host- rules not met */
  CN_COOKIE_SESSION_DROPPED,  /* session cookie loaded with COOKIESESSION */
  CN_COOKIE_OVERLAY,          /* insecure cookie over a secure one */
  CN_COOKIE_LIMIT             /* 50 Set-Cookie lines from one response */
};

/* struct cn_cookie: one cookie. Strings are owned (cn_malloc) and
 * NUL-terminated; free with cn_cookie_free. */
struct cn_cookie {
  struct cn_cookie *prev, *next; /* the store's hash-bucket list */
  char *name;
  char *value;
  char *path;   /* as given, or the default path; NULL when unknown */
  char *spath;  /* sanitised |path| for matching; NULL iff |path| is */
  char *domain; /* without leading dot; NULL for lines with no domain */
  int64_t expires;   /* seconds since the epoch; 0: session cookie */
  unsigned creation; /* the store's creation counter (sort tiebreak) */
  enum cn_cookie_samesite samesite;
  bool tailmatch;     /* also for subdomains of |domain| */
  bool secure;
  bool live;          /* from a server or the API, not read from a file */
  bool httponly;
  bool prefix_secure; /* name (or an attribute name) starts __Secure- */
  bool prefix_host;   /* ... __Host- */
};

/* What the parser needs to know about where a line comes from. */
struct cn_cookie_parse_ctx {
  const char *domain; /* request host; NULL for file and API lines */
  const char *path;   /* request path (no query); NULL likewise */
  bool secure;        /* the origin is secure (or the line is trusted) */
  bool live;          /* false while reading a file: Secure always allowed */
  int64_t now;        /* wall clock, seconds */
  const struct cn_net_log *log; /* may be NULL */
};

/* cn_cookie_parse_header parses a Set-Cookie value into the zeroed |co|.
 * On any status other than CN_COOKIE_OK |co| may hold partial strings:
 * release them with cn_cookie_free_contents. */
enum cn_cookie_status cn_cookie_parse_header(struct cn_cookie *co,
                                             const struct cn_cookie_parse_ctx *ctx,
                                             const char *line);

/* cn_cookie_parse_netscape parses one cookie-file line (a trailing CR/LF
 * ends the last field) into the zeroed |co|, same contract. */
enum cn_cookie_status cn_cookie_parse_netscape(
    struct cn_cookie *co, const struct cn_cookie_parse_ctx *ctx,
    const char *line);

/* cn_cookie_format_netscape appends |co| as a cookie-file line without a
 * newline (libcurl's get_netscape_format). CN_OK or CN_ERR_OUT_OF_MEMORY. */
int cn_cookie_format_netscape(struct cn_buf *out, const struct cn_cookie *co);

/* cn_cookie_free_contents frees |co|'s strings and zeroes it;
 * cn_cookie_free also frees |co| (NULL-safe). */
void cn_cookie_free_contents(struct cn_cookie *co);
void cn_cookie_free(struct cn_cookie *co);

/* Matching helpers, exposed for the store and the tests. */

/* cn_cookie_tailmatch: |host| is |domain| (|len| bytes) or ends with
 * "." + |domain|, ASCII case-insensitively. */
bool cn_cookie_tailmatch(const char *domain, size_t len, const char *host);
/* cn_cookie_pathmatch: RFC 6265 path-match of the sanitised cookie path
 * |spath| against the request path |path| (no query; "" or not starting
 * with '/' counts as "/"), case-sensitive. */
bool cn_cookie_pathmatch(const char *spath, const char *path);
/* cn_cookie_sanitize_path returns the path used for matching: surrounding
 * double quotes removed, "/" for anything not starting with '/', one
 * trailing slash dropped (but "/" stays). cn_malloc'd; NULL on OOM. */
char *cn_cookie_sanitize_path(const char *path);
/* cn_cookie_host_is_ip: |host| is a numeric IPv4 or IPv6 address (without
 * brackets). */
bool cn_cookie_host_is_ip(const char *host);

/* ASCII case-insensitive comparisons (locale-independent, as libcurl's). */
bool cn_cookie_strcaseeq(const char *a, const char *b);
/* cn_cookie_strncaseeq compares at most |n| bytes; libcurl's
 * strncasecompare, which is true when |n| is 0. */
bool cn_cookie_strncaseeq(const char *a, const char *b, size_t n);

#endif
