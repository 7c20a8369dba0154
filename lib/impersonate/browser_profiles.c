/* browser_profiles.c: the registry of impersonation targets (names,
 * aliases, the "target[:no]" syntax). The targets themselves are data, one
 * file per browser family: profiles_chrome.c (Chrome, Chrome for Android,
 * Edge), profiles_firefox.c (Firefox, Tor Browser), profiles_safari.c
 * (Safari on macOS and iOS). Each target cites where its facts come from. */
#include "impersonate/profile_data.h"

#include <string.h>
#include <strings.h>

const char *const cn_profile_alpn_h2_h1[2] = {"h2", "http/1.1"};
const char *const cn_profile_alps_h2[1] = {"h2"};
const uint16_t cn_profile_psk_dhe_ke[1] = {1};
const uint16_t cn_profile_tls13_aes_first[3] = {0x1301, 0x1302, 0x1303};
const uint16_t cn_profile_tls13_chacha_second[3] = {0x1301, 0x1303, 0x1302};

/* --- registry ------------------------------------------------------------- */

static const struct cn_profile_family *const families[] = {
    &cn_impersonate_chrome_family,
    &cn_impersonate_firefox_family,
    &cn_impersonate_safari_family,
};

/* The generic aliases name the newest target of each family; the dotted
 * spellings are curl-impersonate's older names (safari15_3 ...). */
static const struct {
  const char *alias;
  const char *target;
} aliases[] = {
    {"chrome", "chrome156"},
    {"chrome_android", "chrome131_android"},
    {"edge", "edge101"},
    {"firefox", "firefox153"},
    {"safari", "safari2601"},
    {"safari_ios", "safari260_ios"},
    {"tor", "tor145"},
    {"safari15_3", "safari153"},
    {"safari15_5", "safari155"},
    {"safari17_0", "safari170"},
    {"safari17_2_ios", "safari172_ios"},
    {"safari18_0", "safari180"},
    {"safari18_0_ios", "safari180_ios"},
    {"safari18_4", "safari184"},
    {"safari18_4_ios", "safari184_ios"},
    {"safari26_0", "safari260"},
    {"safari26_0_1", "safari2601"},
    {"safari26_0_ios", "safari260_ios"},
};

static const struct cn_browser_profile *find(const char *name) {
  for (size_t i = 0; cn_browser_profile_at(i); i++)
    if (strcasecmp(cn_browser_profile_at(i)->name, name) == 0)
      return cn_browser_profile_at(i);
  return NULL;
}

const struct cn_browser_profile *cn_browser_profile_lookup(const char *name) {
  if (!name)
    return NULL;
  const struct cn_browser_profile *p = find(name);
  if (p)
    return p;
  for (size_t i = 0; i < CN_NUM(aliases); i++)
    if (strcasecmp(aliases[i].alias, name) == 0)
      return find(aliases[i].target);
  return NULL;
}

/* Target names are short; anything longer is not one. */
#define MAX_TARGET_LEN 64

bool cn_browser_profile_parse_spec(const char *spec,
                                   const struct cn_browser_profile **out,
                                   bool *out_default_headers) {
  if (!spec)
    return false;
  const char *colon = strchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  bool headers = true;
  if (colon) {
    if (strcasecmp(colon + 1, "no") == 0)
      headers = false;
    else if (strcasecmp(colon + 1, "yes") != 0)
      return false;
  }
  if (len == 0 || len >= MAX_TARGET_LEN)
    return false;
  char name[MAX_TARGET_LEN];
  memcpy(name, spec, len);
  name[len] = '\0';
  const struct cn_browser_profile *p = cn_browser_profile_lookup(name);
  if (!p)
    return false;
  *out = p;
  *out_default_headers = headers;
  return true;
}

const struct cn_browser_profile *cn_browser_profile_at(size_t i) {
  for (size_t f = 0; f < CN_NUM(families); f++) {
    if (i < families[f]->num)
      return families[f]->v[i];
    i -= families[f]->num;
  }
  return NULL;
}

const char *cn_browser_profile_alias_at(size_t i, const char **out_target) {
  if (i >= CN_NUM(aliases))
    return NULL;
  *out_target = aliases[i].target;
  return aliases[i].alias;
}

const struct cn_header *
cn_browser_profile_find_header(const struct cn_header_list *list,
                               const char *name) {
  for (size_t i = 0; i < list->num; i++)
    if (strcasecmp(list->v[i].name, name) == 0)
      return &list->v[i];
  return NULL;
}
