/* http_auth_basic.h: the two single-step schemes, Basic (RFC 7617) and
 * Bearer (RFC 6750), as libcurl writes them. */
#ifndef CN_HTTP_AUTH_HTTP_AUTH_BASIC_H
#define CN_HTTP_AUTH_HTTP_AUTH_BASIC_H

/* cn_http_auth_basic_value returns "Basic base64(user:password)" (NULL
 * user or password count as empty), cn_malloc'd; NULL on OOM. */
char *cn_http_auth_basic_value(const char *user, const char *password);

/* cn_http_auth_bearer_value returns "Bearer <token>", cn_malloc'd; NULL on
 * OOM. The token is sent as given. */
char *cn_http_auth_bearer_value(const char *token);

#endif
