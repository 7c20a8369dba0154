/* browser_profile_test.c: the registry (names, aliases, spec syntax) and
 * the consistency of every profile's data, plus the facts of chrome156 and
 * firefox153 that come from ../shared/reference (so that an edit that
 * drifts from the captures fails here first). */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "impersonate/browser_profile.h"
#include "test.h"

static bool u16_eq(const struct cn_u16_list *l, const uint16_t *v, size_t n) {
  return l->num == n && memcmp(l->v, v, n * sizeof(*v)) == 0;
}

static bool contains(const struct cn_u16_list *l, uint16_t x) {
  for (size_t i = 0; i < l->num; i++)
    if (l->v[i] == x)
      return true;
  return false;
}

TEST(lookup_finds_targets_and_aliases) {
  const struct cn_browser_profile *c = cn_browser_profile_lookup("chrome156");
  const struct cn_browser_profile *f = cn_browser_profile_lookup("firefox153");
  CHECK(c != NULL);
  CHECK(f != NULL);
  CHECK(c != f);
  CHECK_EQ_STR(c->name, "chrome156");
  CHECK_EQ_STR(f->name, "firefox153");
  CHECK(cn_browser_profile_lookup("chrome") == c);
  CHECK(cn_browser_profile_lookup("firefox") == f);
  CHECK(cn_browser_profile_lookup("CHROME156") == c);
  CHECK(cn_browser_profile_lookup("Firefox") == f);
}

TEST(lookup_rejects_unknown_names) {
  CHECK(cn_browser_profile_lookup(NULL) == NULL);
  CHECK(cn_browser_profile_lookup("") == NULL);
  CHECK(cn_browser_profile_lookup("chrome1") == NULL);
  CHECK(cn_browser_profile_lookup("chrome156 ") == NULL);
  CHECK(cn_browser_profile_lookup("opera") == NULL);
}

TEST(every_alias_names_a_target) {
  const char *target;
  size_t n = 0;
  for (const char *a; (a = cn_browser_profile_alias_at(n, &target)); n++) {
    const struct cn_browser_profile *p = cn_browser_profile_lookup(target);
    CHECK(p != NULL);
    CHECK(cn_browser_profile_lookup(a) == p);
    /* An alias must not shadow a target name. */
    for (size_t i = 0; cn_browser_profile_at(i); i++)
      CHECK(strcasecmp(cn_browser_profile_at(i)->name, a) != 0);
  }
  CHECK(n >= 2);
}

TEST(spec_syntax) {
  const struct cn_browser_profile *p = NULL;
  bool headers = false;
  CHECK(cn_browser_profile_parse_spec("chrome156", &p, &headers));
  CHECK(p == cn_browser_profile_lookup("chrome156"));
  CHECK(headers);
  CHECK(cn_browser_profile_parse_spec("firefox:no", &p, &headers));
  CHECK(p == cn_browser_profile_lookup("firefox153"));
  CHECK(!headers);
  CHECK(cn_browser_profile_parse_spec("chrome:yes", &p, &headers));
  CHECK(headers);
  p = NULL;
  CHECK(!cn_browser_profile_parse_spec("chrome:maybe", &p, &headers));
  CHECK(!cn_browser_profile_parse_spec(":no", &p, &headers));
  CHECK(!cn_browser_profile_parse_spec("nosuch:no", &p, &headers));
  CHECK(!cn_browser_profile_parse_spec(NULL, &p, &headers));
  CHECK(p == NULL); /* untouched on failure */
}

/* Invariants the TLS and HTTP layers rely on, for every profile. */
TEST(profiles_are_consistent) {
  for (size_t i = 0; cn_browser_profile_at(i); i++) {
    const struct cn_browser_profile *p = cn_browser_profile_at(i);
    const struct cn_tls_profile *t = &p->tls;
    CHECK(p->source && *p->source);
    CHECK(t->version_min <= t->version_max);
    CHECK(t->ciphers.num > 0);
    /* Key shares: a subsequence of the groups. */
    size_t g = 0;
    for (size_t k = 0; k < t->key_shares.num; k++) {
      while (g < t->groups.num && t->groups.v[g] != t->key_shares.v[k])
        g++;
      CHECK(g < t->groups.num);
    }
    /* ALPS only for protocols in ALPN, with a known code point. */
    for (size_t a = 0; a < t->alps.num; a++) {
      bool found = false;
      for (size_t b = 0; b < t->alpn.num; b++)
        found |= strcmp(t->alps.v[a], t->alpn.v[b]) == 0;
      CHECK(found);
      CHECK(t->alps_codepoint == CN_ALPS_CODEPOINT_OLD ||
            t->alps_codepoint == CN_ALPS_CODEPOINT_NEW);
    }
    /* The extension list agrees with the flags. */
    CHECK(contains(&t->extensions, 28) == (t->record_size_limit != 0));
    CHECK(contains(&t->extensions, 34) == (t->delegated_credentials.num > 0));
    CHECK(contains(&t->extensions, 27) == (t->cert_compression.num > 0));
    CHECK(contains(&t->extensions, 65037) == t->ech_grease);
    CHECK(contains(&t->extensions, 35) == t->session_ticket);
    CHECK(contains(&t->extensions, 5) == t->status_request);
    CHECK(contains(&t->extensions, 18) == t->sct);
    CHECK(contains(&t->extensions, 0xca34) == t->trust_anchors);
    if (t->alps.num)
      CHECK(contains(&t->extensions, t->alps_codepoint));
    else
      CHECK(!contains(&t->extensions, 17513) &&
            !contains(&t->extensions, 17613));
    for (size_t c = 0; c < t->cert_compression.num; c++)
      CHECK(t->cert_compression.v[c] >= 1 && t->cert_compression.v[c] <= 3);
    /* HTTP/2: pseudo-header order is a permutation of "masp". */
    CHECK(p->h2.pseudo_order && strlen(p->h2.pseudo_order) == 4);
    for (const char *c = "masp"; *c; c++)
      CHECK(strchr(p->h2.pseudo_order, *c) != NULL);
    CHECK(p->h2.num_settings > 0);
    CHECK(p->h2.first_stream_id % 2 == 1);
    /* HTTP/2 header names are lower case; HTTP/1.1 has Host. */
    for (size_t h = 0; h < p->h2_headers.num; h++)
      for (const char *c = p->h2_headers.v[h].name; *c; c++)
        CHECK(!(*c >= 'A' && *c <= 'Z') && *c != ':');
    CHECK(cn_browser_profile_find_header(&p->h1_headers, "host") != NULL);
    CHECK(cn_browser_profile_find_header(&p->h1_headers, "User-Agent"));
    CHECK(p->accept_encoding && *p->accept_encoding);
  }
}

/* chromium-156-linux-h{1,2}.json */
TEST(chrome156_matches_capture) {
  const struct cn_browser_profile *p = cn_browser_profile_lookup("chrome156");
  const struct cn_tls_profile *t = &p->tls;
  static const uint16_t ciphers[] = {49195, 49199, 49196, 49200, 52393, 52392,
                                     49171, 49172, 156,   157,   47,    53};
  static const uint16_t tls13[] = {4865, 4866, 4867};
  static const uint16_t groups[] = {4588, 29, 23, 24};
  static const uint16_t shares[] = {4588, 29};
  static const uint16_t sigalgs[] = {2308, 2309, 2310, 1027, 2052, 1025,
                                     1283, 2053, 1281, 2054, 1537};
  CHECK(u16_eq(&t->ciphers, ciphers, 12));
  CHECK(u16_eq(&t->tls13_ciphers, tls13, 3));
  CHECK(u16_eq(&t->groups, groups, 4));
  CHECK(u16_eq(&t->key_shares, shares, 2));
  CHECK(u16_eq(&t->sigalgs, sigalgs, 11));
  CHECK(t->grease && t->grease_sigalg);
  CHECK(t->ext_order == CN_EXT_ORDER_PERMUTE);
  CHECK_EQ_INT(t->extensions.num, 17);
  CHECK_EQ_INT(t->alps_codepoint, 17613);
  CHECK_EQ_INT(t->trust_anchor_ids.num, 0xb8);
  CHECK_EQ_INT(t->record_size_limit, 0);
  CHECK_EQ_INT(p->h2.window_update, 15663105);
  CHECK_EQ_STR(p->h2.pseudo_order, "masp");
  CHECK(p->h2.headers_priority && p->h2.headers_priority_value.exclusive);
  CHECK_EQ_INT(p->h2.headers_priority_value.weight, 256);
  CHECK_EQ_INT(p->h2.settings[2].id, 4);
  CHECK_EQ_INT(p->h2.settings[2].value, 6291456);
  /* Google Chrome, not the headless build. */
  const struct cn_header *ua =
      cn_browser_profile_find_header(&p->h1_headers, "user-agent");
  CHECK(strstr(ua->value, " Chrome/156.0.0.0 ") != NULL);
  CHECK(strstr(ua->value, "Headless") == NULL);
  const struct cn_header *ch =
      cn_browser_profile_find_header(&p->h2_headers, "sec-ch-ua");
  CHECK_EQ_STR(ch->value, "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\", "
                          "\"Google Chrome\";v=\"156\"");
  /* h1 order from the capture: Host, Connection, sec-ch-ua, ... */
  CHECK_EQ_STR(p->h1_headers.v[0].name, "Host");
  CHECK_EQ_STR(p->h1_headers.v[1].name, "Connection");
  CHECK_EQ_STR(p->h1_headers.v[p->h1_headers.num - 1].name, "Accept-Language");
  CHECK(cn_browser_profile_find_header(&p->h1_headers, "priority") == NULL);
  CHECK_EQ_STR(p->h2_headers.v[p->h2_headers.num - 1].name, "priority");
}

/* firefox-esr-153-linux-h{1,2}.json */
TEST(firefox153_matches_capture) {
  const struct cn_browser_profile *p = cn_browser_profile_lookup("firefox153");
  const struct cn_tls_profile *t = &p->tls;
  static const uint16_t tls13[] = {4865, 4867, 4866};
  static const uint16_t groups[] = {4588, 29, 23, 24, 25, 256, 257};
  static const uint16_t shares[] = {4588, 29, 23};
  static const uint16_t exts[] = {0,  23, 65281, 10, 11, 35, 16, 5,    34,
                                  18, 51, 43,    13, 45, 28, 27, 65037};
  static const uint16_t dc[] = {1027, 1283, 1539, 515};
  CHECK(u16_eq(&t->tls13_ciphers, tls13, 3));
  CHECK_EQ_INT(t->ciphers.num, 13);
  CHECK_EQ_INT(t->ciphers.v[6], 49162);
  CHECK(u16_eq(&t->groups, groups, 7));
  CHECK(u16_eq(&t->key_shares, shares, 3));
  CHECK(u16_eq(&t->extensions, exts, 17));
  CHECK(u16_eq(&t->delegated_credentials, dc, 4));
  CHECK(!t->grease && !t->grease_sigalg);
  CHECK(t->ext_order == CN_EXT_ORDER_FIXED);
  CHECK_EQ_INT(t->record_size_limit, 16385);
  CHECK_EQ_INT(t->cert_compression.num, 3);
  CHECK_EQ_INT(t->ech_grease_aead, CN_ECH_GREASE_AEAD_AES128_OR_CHACHA);
  CHECK_EQ_INT(t->ech_grease_payload_len, 239);
  CHECK_EQ_INT(t->alps.num, 0);
  CHECK_EQ_INT(p->h2.window_update, 12517377);
  CHECK_EQ_STR(p->h2.pseudo_order, "mpas");
  CHECK_EQ_INT(p->h2.headers_priority_value.weight, 42);
  CHECK(!p->h2.headers_priority_value.exclusive);
  CHECK_EQ_STR(p->h1_headers.v[1].name, "User-Agent");
  CHECK_EQ_STR(p->h1_headers.v[p->h1_headers.num - 1].value, "u=0, i");
  CHECK_EQ_STR(p->h2_headers.v[p->h2_headers.num - 1].name, "te");
}

/* curl-impersonate's published chrome131 / firefox135 signatures. */
TEST(older_targets_follow_their_signatures) {
  const struct cn_browser_profile *c = cn_browser_profile_lookup("chrome131");
  const struct cn_browser_profile *f = cn_browser_profile_lookup("firefox135");
  CHECK(c && f);
  CHECK_EQ_INT(c->tls.alps_codepoint, CN_ALPS_CODEPOINT_OLD);
  CHECK(!c->tls.grease_sigalg && !c->tls.trust_anchors);
  CHECK_EQ_INT(c->tls.sigalgs.num, 8);
  CHECK_EQ_INT(c->tls.extensions.num, 16);
  CHECK_EQ_INT(f->tls.ciphers.num, 14);
  CHECK_EQ_INT(f->tls.ciphers.v[7], 0xc009);
  CHECK(cn_browser_profile_find_header(&f->h2_headers, "sec-fetch-user"));
  /* The aliases stay on the newest. */
  CHECK(cn_browser_profile_lookup("chrome") ==
        cn_browser_profile_lookup("chrome156"));
  CHECK(cn_browser_profile_lookup("firefox") ==
        cn_browser_profile_lookup("firefox153"));
}

/* Every target of issue 6 with curl-impersonate's name, and the aliases. */
TEST(all_targets_and_aliases_exist) {
  static const char *const targets[] = {
      "chrome99",  "chrome100", "chrome101",  "chrome104",  "chrome107",
      "chrome110", "chrome116", "chrome119",  "chrome120",  "chrome123",
      "chrome124", "chrome131", "chrome133a", "chrome136",  "chrome142",
      "chrome145", "chrome146", "chrome150",  "chrome156",  "chrome99_android",
      "chrome131_android", "edge99", "edge101", "firefox133", "firefox135",
      "firefox144", "firefox147", "firefox153", "tor145", "safari153",
      "safari155", "safari170", "safari172_ios", "safari180", "safari180_ios",
      "safari184", "safari184_ios", "safari260", "safari2601",
      "safari260_ios",
  };
  for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
    const struct cn_browser_profile *p = cn_browser_profile_lookup(targets[i]);
    CHECK(p != NULL);
    if (p)
      CHECK_EQ_STR(p->name, targets[i]);
  }
  static const char *const alias_pairs[][2] = {
      {"edge", "edge101"},
      {"safari", "safari2601"},
      {"safari_ios", "safari260_ios"},
      {"chrome_android", "chrome131_android"},
      {"tor", "tor145"},
      {"safari15_3", "safari153"},
      {"safari17_2_ios", "safari172_ios"},
      {"safari26_0_1", "safari2601"},
      {"safari18_4_ios", "safari184_ios"},
  };
  for (size_t i = 0; i < sizeof(alias_pairs) / sizeof(alias_pairs[0]); i++)
    CHECK(cn_browser_profile_lookup(alias_pairs[i][0]) ==
          cn_browser_profile_lookup(alias_pairs[i][1]));
}


TEST_MAIN(lookup_finds_targets_and_aliases, lookup_rejects_unknown_names,
          every_alias_names_a_target, spec_syntax, profiles_are_consistent,
          chrome156_matches_capture, firefox153_matches_capture,
          older_targets_follow_their_signatures,
          all_targets_and_aliases_exist)
