/* basic_auth.h: HTTP Basic credentials (RFC 7617). */
#ifndef CN_URL_REQUEST_BASIC_AUTH_H
#define CN_URL_REQUEST_BASIC_AUTH_H

/* cn_basic_auth_header_value returns "Basic base64(user:password)",
 * cn_malloc'd, or NULL on OOM. */
char *cn_basic_auth_header_value(const char *user, const char *password);

#endif
