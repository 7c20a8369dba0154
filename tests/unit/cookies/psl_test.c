/* psl_test.c: the public suffix list wrapper. */
#include <stdbool.h>

#include "test.h"
#include "cookies/psl.h"

static int locks, unlocks;
static void count_lock(void *arg, bool lock) {
  (void)arg;
  if (lock)
    locks++;
  else
    unlocks++;
}

TEST(process_wide_list) {
  CHECK(!cn_psl_cookie_domain_acceptable(NULL, "www.example.co.uk", "co.uk"));
  CHECK(cn_psl_cookie_domain_acceptable(NULL, "www.example.co.uk",
                                        "example.co.uk"));
  CHECK(cn_psl_cookie_domain_acceptable(NULL, "co.uk", "co.uk"));
  CHECK(!cn_psl_cookie_domain_acceptable(NULL, "example.com", "com"));
  /* Lowercased before the lookup. */
  CHECK(!cn_psl_cookie_domain_acceptable(NULL, "CURL.CO.UK", "Co.Uk"));
  CHECK(cn_psl_cookie_domain_acceptable(NULL, "localhost", "localhost"));
  /* Wildcard and exception rules: *.ck, !www.ck. */
  CHECK(!cn_psl_cookie_domain_acceptable(NULL, "www.example.ck",
                                         "example.ck"));
  CHECK(cn_psl_cookie_domain_acceptable(NULL, "www.ck", "www.ck"));
  cn_psl_global_cleanup();
  /* Loaded again after a cleanup. */
  CHECK(!cn_psl_cookie_domain_acceptable(NULL, "a.co.uk", "co.uk"));
}

TEST(too_long_names_are_refused) {
  char host[300];
  memset(host, 'a', 255);
  strcpy(host + 255, ".com");
  CHECK(!cn_psl_cookie_domain_acceptable(NULL, host, host));
  host[250] = '\0';
  CHECK(cn_psl_cookie_domain_acceptable(NULL, host, host));
}

TEST(own_cache_with_lock_hooks) {
  struct cn_psl_cache c;
  cn_psl_cache_init(&c);
  cn_psl_cache_set_lock(&c, count_lock, NULL);
  CHECK(!cn_psl_cookie_domain_acceptable(&c, "a.example.co.uk", "co.uk"));
  CHECK(cn_psl_cookie_domain_acceptable(&c, "a.example.co.uk",
                                        "example.co.uk"));
  CHECK(c.psl != NULL);
  CHECK(c.dynamic); /* Debian's system list, not the built-in one */
  CHECK_EQ_INT(locks, 2);
  CHECK_EQ_INT(unlocks, 2);
  /* An expired list is loaded again. */
  const void *old = c.psl;
  c.expires = 0;
  CHECK(!cn_psl_cookie_domain_acceptable(&c, "a.co.uk", "co.uk"));
  CHECK(c.expires > 0);
  (void)old;
  cn_psl_cache_cleanup(&c);
  CHECK(c.psl == NULL);
  cn_psl_cache_cleanup(NULL);
}

TEST_MAIN(process_wide_list, too_long_names_are_refused,
          own_cache_with_lock_hooks)
