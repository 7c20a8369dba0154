/* netrc.h: credentials from a .netrc file (CURLOPT_NETRC,
 * CURLOPT_NETRC_FILE), read and matched the way libcurl 8.14 does:
 *
 * - The file is CURLOPT_NETRC_FILE, else $HOME/.netrc (the home directory
 *   from the password database when HOME is unset). libcurl 8.14 does not
 *   read $NETRC.
 * - Lines whose first non-blank is '#' are comments. Tokens are separated
 *   by blanks and line ends; a token in double quotes may hold blanks and
 *   the escapes \n \r \t (a backslash takes any other character as is).
 *   An unquoted token ends at any byte <= ' ' or >= 0x80 (libcurl compares
 *   signed chars), so non-ASCII needs quotes.
 * - "machine NAME" (NAME matched without case) and "default" start an
 *   entry; "login" and "password" take the next token; "macdef" skips
 *   lines up to an empty one.
 * - With a login already known (from the URL) only an entry with that
 *   login counts; otherwise the first matching entry's login and password.
 * - Lines longer than 16383 bytes end the reading (the rest is ignored);
 *   a file over 128 KiB is a syntax error.
 *
 * The store keeps the file's text for one transfer (libcurl reads it once
 * per transfer: init when it starts, cleanup when it ends); after a failed
 * lookup it is read again next time. */
#ifndef CN_URL_REQUEST_NETRC_H
#define CN_URL_REQUEST_NETRC_H

#include <stdbool.h>
#include <stddef.h>

enum cn_netrc_result {
  CN_NETRC_OK = 0,
  CN_NETRC_FILE_MISSING,  /* cannot open it, or no home directory */
  CN_NETRC_NO_MATCH,      /* no entry for the host (or a default without
                             credentials) */
  CN_NETRC_OUT_OF_MEMORY,
  CN_NETRC_SYNTAX_ERROR,
};

struct cn_netrc_store {
  char *text; /* owned: the file minus comment lines; NULL: not loaded */
  size_t len;
};

void cn_netrc_store_init(struct cn_netrc_store *s);
void cn_netrc_store_cleanup(struct cn_netrc_store *s);

/* cn_netrc_parse looks |host| up in .netrc text (NUL-terminated; each line
 * should end with '\n' as the file loader makes it). |login| NULL: take
 * the entry's login; else only entries for that login count. On
 * CN_NETRC_OK *out_login (a copy of |login| or the file's; may be NULL
 * after a "default" entry without one) and *out_password (may be NULL: the
 * host was found but not for |login|, which libcurl also calls OK) are
 * cn_malloc'd; on any other result they are not written. */
enum cn_netrc_result cn_netrc_parse(const char *text, const char *host,
                                    const char *login, char **out_login,
                                    char **out_password);

/* cn_netrc_lookup loads |file| (NULL: $HOME/.netrc) into |s| unless it is
 * loaded, then parses as above. A failure other than OK empties |s|. */
enum cn_netrc_result cn_netrc_lookup(struct cn_netrc_store *s,
                                     const char *file, const char *host,
                                     const char *login, char **out_login,
                                     char **out_password);

/* cn_netrc_strerror: libcurl's texts ("no such file", "no matching entry",
 * "out of memory", "syntax error"), used in ".netrc error: %s". */
const char *cn_netrc_strerror(enum cn_netrc_result r);

#endif
