/* cookies_api.h: the cookie options and info of an easy handle, over the
 * cookie engine in lib/cookies (which owns the jar and the rules). */
#ifndef CN_API_COOKIES_API_H
#define CN_API_COOKIES_API_H

#include <curl/curl.h>

struct cn_easy;
struct cn_share;

/* cn_cookie_setopt handles CURLOPT_COOKIEFILE, _COOKIEJAR, _COOKIESESSION
 * and _COOKIELIST (|num| for the long one, |str| for the strings). */
CURLcode cn_cookie_setopt(struct cn_easy *e, CURLoption option, long num,
                          const char *str);
/* cn_cookie_list builds CURLINFO_COOKIELIST's list (the program frees it
 * with curl_slist_free_all); NULL when there are no cookies. */
struct curl_slist *cn_cookie_list(struct cn_easy *e);
/* cn_cookie_share_changed is CURLOPT_SHARE's cookie part, called before
 * the option changes from |old| to |new| (either may be NULL): the handle
 * lets go of |old|'s jar and takes |new|'s, as libcurl does (its own jar
 * is freed; the engine stays as it was, on only through COOKIEFILE,
 * COOKIEJAR or COOKIELIST). */
void cn_cookie_share_changed(struct cn_easy *e, struct cn_share *old,
                             struct cn_share *new);

#endif
