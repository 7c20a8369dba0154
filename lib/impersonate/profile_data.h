/* profile_data.h: helpers shared by the profile tables of each browser
 * family (profiles_chrome.c, profiles_firefox.c, profiles_safari.c) and the
 * registry (browser_profiles.c). Internal to lib/impersonate.
 *
 * Ownership: everything here is static data that lives for the process. */
#ifndef CN_IMPERSONATE_PROFILE_DATA_H
#define CN_IMPERSONATE_PROFILE_DATA_H

#include "impersonate/browser_profile.h"

#define CN_NUM(a) (sizeof(a) / sizeof((a)[0]))
#define LIST(a) {a, CN_NUM(a)}

/* Values more than one family sends. */
extern const char *const cn_profile_alpn_h2_h1[2]; /* "h2", "http/1.1" */
extern const char *const cn_profile_alps_h2[1];    /* "h2" */
extern const uint16_t cn_profile_psk_dhe_ke[1];    /* psk_dhe_ke (1) */
extern const uint16_t cn_profile_tls13_aes_first[3]; /* 1301, 1302, 1303 */
extern const uint16_t cn_profile_tls13_chacha_second[3]; /* 1301, 1303, 1302 */

/* Each family's targets, in the order they are listed. */
struct cn_profile_family {
  const struct cn_browser_profile *const *v;
  size_t num;
};
extern const struct cn_profile_family cn_impersonate_chrome_family;
extern const struct cn_profile_family cn_impersonate_firefox_family;
extern const struct cn_profile_family cn_impersonate_safari_family;

/* Where the published signatures of curl-impersonate's targets live: its
 * lib/impersonate.c table, as generated into bin/curl_<target> (commit
 * 280150fd of lexiforest/curl-impersonate). */
#define CN_CI_SOURCE(target)                                                   \
  "curl-impersonate (lexiforest) bin/curl_" target                             \
  " @280150fd: published ciphers, curves, sigalgs, headers, HTTP/2"

#endif
