/* url.h: curlium's URL model, parser, resolver and serialiser.
 *
 * The rules are libcurl 8.14's URL API rules (RFC 3986 plus libcurl's
 * leniencies): lowercase scheme, scheme guessing for scheme-less input when
 * asked, 1-3 slashes after the scheme, user[:password][;options]@ login,
 * numeric IPv4 normalisation (0x7f.1 -> 127.0.0.1), bracketed IPv6 with an
 * optional zone id, port 0-65535, dot-segment removal (also for %2e), and
 * optional percent-encoding of spaces and high bytes. lib/api/urlapi.c is a
 * thin CURLU wrapper around this module, so behaviour here is exactly what
 * curl_url_set()/curl_url_get() show to applications; lib/url_request uses
 * cn_url_resolve() for redirects.
 *
 * Strings in struct cn_url are stored the way libcurl stores them: still
 * percent-encoded (except the host, which the parser decodes), owned by the
 * struct and released with cn_url_cleanup(). */
#ifndef CN_UTIL_URL_H
#define CN_UTIL_URL_H

#include <stdbool.h>
#include <stddef.h>

/* Parser results. The values are those of CURLUcode so lib/api maps them
 * 1:1; the URL API needs these distinct reasons, which a net error cannot
 * carry. */
enum cn_url_err {
  CN_URL_OK = 0,
  CN_URL_ERR_BAD_HANDLE = 1,
  CN_URL_ERR_BAD_PARTPOINTER = 2,
  CN_URL_ERR_MALFORMED_INPUT = 3,
  CN_URL_ERR_BAD_PORT_NUMBER = 4,
  CN_URL_ERR_UNSUPPORTED_SCHEME = 5,
  CN_URL_ERR_URLDECODE = 6,
  CN_URL_ERR_OUT_OF_MEMORY = 7,
  CN_URL_ERR_USER_NOT_ALLOWED = 8,
  CN_URL_ERR_UNKNOWN_PART = 9,
  CN_URL_ERR_NO_SCHEME = 10,
  CN_URL_ERR_NO_USER = 11,
  CN_URL_ERR_NO_PASSWORD = 12,
  CN_URL_ERR_NO_OPTIONS = 13,
  CN_URL_ERR_NO_HOST = 14,
  CN_URL_ERR_NO_PORT = 15,
  CN_URL_ERR_NO_QUERY = 16,
  CN_URL_ERR_NO_FRAGMENT = 17,
  CN_URL_ERR_NO_ZONEID = 18,
  CN_URL_ERR_BAD_FILE_URL = 19,
  CN_URL_ERR_BAD_FRAGMENT = 20,
  CN_URL_ERR_BAD_HOSTNAME = 21,
  CN_URL_ERR_BAD_IPV6 = 22,
  CN_URL_ERR_BAD_LOGIN = 23,
  CN_URL_ERR_BAD_PASSWORD = 24,
  CN_URL_ERR_BAD_PATH = 25,
  CN_URL_ERR_BAD_QUERY = 26,
  CN_URL_ERR_BAD_SCHEME = 27,
  CN_URL_ERR_BAD_SLASHES = 28,
  CN_URL_ERR_BAD_USER = 29,
  CN_URL_ERR_LACKS_IDN = 30,
  CN_URL_ERR_TOO_LARGE = 31,
};

/* Flags: the same bit values as CURLU_*, so lib/api passes them through.
 * Each function below says which ones it looks at. */
#define CN_URL_DEFAULT_PORT (1u << 0)
#define CN_URL_NO_DEFAULT_PORT (1u << 1)
#define CN_URL_DEFAULT_SCHEME (1u << 2)
#define CN_URL_NON_SUPPORT_SCHEME (1u << 3)
#define CN_URL_PATH_AS_IS (1u << 4)
#define CN_URL_DISALLOW_USER (1u << 5)
#define CN_URL_URLDECODE (1u << 6)
#define CN_URL_URLENCODE (1u << 7)
#define CN_URL_APPENDQUERY (1u << 8)
#define CN_URL_GUESS_SCHEME (1u << 9)
#define CN_URL_NO_AUTHORITY (1u << 10)
#define CN_URL_ALLOW_SPACE (1u << 11)
#define CN_URL_PUNYCODE (1u << 12)
#define CN_URL_PUNY2IDN (1u << 13)
#define CN_URL_GET_EMPTY (1u << 14)
#define CN_URL_NO_GUESS_SCHEME (1u << 15)

/* Longest input the parser accepts (libcurl's CURL_MAX_INPUT_LENGTH). */
#define CN_URL_MAX_INPUT 8000000
/* Longest scheme name. */
#define CN_URL_MAX_SCHEME 40
/* The scheme used by CN_URL_DEFAULT_SCHEME. */
#define CN_URL_DEFAULT_SCHEME_NAME "https"

/* struct cn_url: one parsed URL. Every string is owned, NUL-terminated and
 * NULL when the part is absent. Embed it and use cn_url_init/cn_url_cleanup,
 * or cn_url_new/cn_url_free for a heap one. */
struct cn_url {
  char *scheme;   /* lowercase after parsing; NULL when none */
  char *user;     /* percent-encoded as given; "" for "http://@host" */
  char *password; /* percent-encoded as given */
  char *options;  /* only for schemes with login options (imap, pop3, smtp) */
  char *host;     /* decoded; IPv6 without brackets (see host_is_ipv6);
                     "" with CN_URL_NO_AUTHORITY; NULL for file: URLs */
  char *zoneid;   /* IPv6 zone id ("eth0"), without "%25" */
  char *path;     /* percent-encoded; NULL stands for "/" */
  char *query;    /* without '?'; "" when the URL had a bare '?' */
  char *fragment; /* without '#'; NULL when empty or absent */
  unsigned short port;   /* valid when has_port */
  bool has_port;         /* the URL named a port explicitly */
  bool host_is_ipv6;     /* host is an IPv6 literal (print in brackets) */
  bool query_present;    /* a '?' was seen, even with nothing after it */
  bool fragment_present; /* a '#' was seen, even with nothing after it */
  bool guessed_scheme;   /* scheme came from CN_URL_GUESS_SCHEME */
};

void cn_url_init(struct cn_url *u);
/* cn_url_cleanup frees every part and leaves |u| empty (re-initialised). */
void cn_url_cleanup(struct cn_url *u);
/* cn_url_new returns an empty heap URL or NULL when out of memory;
 * cn_url_free releases it (NULL-safe). */
struct cn_url *cn_url_new(void);
void cn_url_free(struct cn_url *u);

/* cn_url_copy makes |out| a deep copy of |in|. |out| must be initialised; its
 * old contents are released on success and untouched on failure
 * (CN_URL_ERR_OUT_OF_MEMORY). |out| == |in| is allowed and does nothing. */
int cn_url_copy(struct cn_url *out, const struct cn_url *in);

/* cn_url_parse parses the absolute URL |str|. Flags used: DEFAULT_SCHEME,
 * GUESS_SCHEME, NON_SUPPORT_SCHEME, PATH_AS_IS, DISALLOW_USER, URLENCODE,
 * NO_AUTHORITY, ALLOW_SPACE. Returns CN_URL_OK and replaces the contents of
 * the initialised |out|, or an error (CN_URL_ERR_MALFORMED_INPUT,
 * _BAD_SCHEME, _UNSUPPORTED_SCHEME, _BAD_SLASHES, _BAD_PORT_NUMBER,
 * _BAD_HOSTNAME, _BAD_IPV6, _NO_HOST, _BAD_FILE_URL, _USER_NOT_ALLOWED,
 * _OUT_OF_MEMORY) and leaves |out| untouched. */
int cn_url_parse(struct cn_url *out, const char *str, unsigned int flags);

/* cn_url_resolve applies |relative| to |base| the way libcurl follows a
 * redirect or a relative CURLUPART_URL: an absolute |relative| (or one with
 * a base that cannot be serialised) is parsed on its own; "" keeps |base|;
 * "//host/x" keeps the scheme; "/x" keeps the authority; "?q" keeps the
 * path; "#f" keeps path and query; anything else replaces the last path
 * segment. Spaces and high bytes in |relative| are percent-encoded, dot
 * segments are removed (PATH_AS_IS is ignored for the combined URL). |flags|
 * are those of cn_url_parse plus the cn_url_to_string ones used to
 * serialise |base|. On success the initialised |out| is replaced; |out| may
 * be |base|. On failure |out| is untouched. */
int cn_url_resolve(struct cn_url *out, const struct cn_url *base,
                   const char *relative, unsigned int flags);

/* cn_url_to_string serialises |u| into a cn_malloc'd string in *out_str
 * (free with cn_free). Flags used: DEFAULT_PORT, NO_DEFAULT_PORT,
 * DEFAULT_SCHEME, URLENCODE (host), PUNYCODE, PUNY2IDN (see
 * cn_url_host_idn), GET_EMPTY, NO_GUESS_SCHEME. Errors: CN_URL_ERR_NO_HOST,
 * _NO_SCHEME, _BAD_HOSTNAME (IDN conversion failed), _OUT_OF_MEMORY;
 * *out_str is written only on success. */
int cn_url_to_string(const struct cn_url *u, unsigned int flags,
                     char **out_str);

/* Accessors. */

/* cn_url_path returns the path, "/" when the URL has none. Never NULL. */
const char *cn_url_path(const struct cn_url *u);
/* cn_url_effective_port returns the explicit port, else the scheme's
 * default port, else -1. */
int cn_url_effective_port(const struct cn_url *u);
/* cn_url_request_target returns "path[?query]" for an HTTP request line
 * (cn_malloc'd; NULL when out of memory). An empty query is dropped. */
char *cn_url_request_target(const struct cn_url *u);
/* cn_url_authority returns "host[:port]" with IPv6 in brackets and without
 * zone id, as an HTTP Host header wants it. The port is included when
 * explicit, unless it equals the scheme default and |keep_default_port| is
 * false. cn_malloc'd; NULL when out of memory or when there is no host. */
char *cn_url_authority(const struct cn_url *u, bool keep_default_port);

/* Schemes libcurl knows (dict, file, ftp(s), gopher(s), http(s), imap(s),
 * ldap(s), mqtt, pop3(s), rtmp*, rtsp, scp, sftp, smb(s), smtp(s), telnet,
 * tftp, ws(s)). Case-insensitive. */
bool cn_url_scheme_is_known(const char *scheme);
/* cn_url_scheme_default_port returns the scheme's port, -1 if unknown. */
int cn_url_scheme_default_port(const char *scheme);
/* cn_url_scheme_has_options: the login part may carry ";options". */
bool cn_url_scheme_has_options(const char *scheme);

/* cn_url_is_absolute returns the length of |str|'s scheme when it starts
 * with one ("scheme:", and with GUESS_SCHEME or DEFAULT_SCHEME in |flags|
 * only "scheme:/"), else 0. */
size_t cn_url_is_absolute(const char *str, unsigned int flags);

/* cn_url_host_idn applies the URL API's IDN flags to |host| as libcurl's
 * curl_url_get() does: CN_URL_PUNYCODE converts a host with non-ASCII
 * bytes to its ACE form, else CN_URL_PUNY2IDN turns the "xn--" labels of an
 * ASCII host into UTF-8 (util/idna.h). *out_host is the cn_malloc'd result,
 * or NULL when the host stays as it is. Returns CN_URL_OK,
 * CN_URL_ERR_BAD_HOSTNAME (conversion failed) or CN_URL_ERR_OUT_OF_MEMORY;
 * *out_host is written only on success. */
int cn_url_host_idn(const char *host, unsigned int flags, char **out_host);

/* cn_url_check_hostname validates a host given as the URL API's
 * CURLUPART_HOST would accept it (already decoded; "[v6]" or
 * "[v6%25zone]" for IPv6). Returns CN_URL_OK, CN_URL_ERR_BAD_HOSTNAME,
 * CN_URL_ERR_BAD_IPV6 or CN_URL_ERR_NO_HOST (empty). */
int cn_url_check_hostname(const char *host, size_t len);

/* cn_url_split_ipv6 checks the bracketed literal |s| (|len| bytes,
 * "[addr]", "[addr%zone]" or "[addr%25zone]") and returns the address as
 * written and the zone id ("" when none) as cn_malloc'd strings. Returns
 * CN_URL_OK, CN_URL_ERR_BAD_IPV6 or CN_URL_ERR_OUT_OF_MEMORY; outputs are
 * written only on success. */
int cn_url_split_ipv6(const char *s, size_t len, char **out_addr,
                      char **out_zone);

/* Percent-encoding helpers shared with curl_easy_escape() & co. */

/* cn_url_encode_loose percent-encodes what libcurl encodes under
 * CURLU_URLENCODE when parsing or getting parts: spaces ("%20", or '+' when
 * |in_query| or once a '?' was seen) and bytes >= 0x80 (lowercase %xx);
 * everything else is kept. cn_malloc'd into *out. Returns CN_URL_OK or
 * CN_URL_ERR_OUT_OF_MEMORY. */
int cn_url_encode_loose(const char *in, size_t len, bool in_query, char **out);

/* cn_url_escape returns |len| bytes of |in| with every byte except
 * ALPHA / DIGIT / "-._~" written as %XX (uppercase hex). cn_malloc'd;
 * NULL when out of memory. */
char *cn_url_escape(const char *in, size_t len);

enum cn_url_unescape_mode {
  CN_URL_UNESCAPE_ALLOW_ALL,   /* decode everything */
  CN_URL_UNESCAPE_REJECT_CTRL, /* a decoded byte < 0x20 is an error */
  CN_URL_UNESCAPE_REJECT_ZERO, /* a decoded NUL is an error */
};

/* cn_url_unescape decodes %XX sequences (hex in either case) in |len| bytes
 * of |in|; a '%' not followed by two hex digits is kept as is. The result is
 * NUL-terminated, cn_malloc'd into *out (length in *out_len, which may be
 * NULL). Returns CN_URL_OK, CN_URL_ERR_URLDECODE (rejected byte) or
 * CN_URL_ERR_OUT_OF_MEMORY; outputs are written only on success. */
int cn_url_unescape(const char *in, size_t len, enum cn_url_unescape_mode mode,
                    char **out, size_t *out_len);

#endif
