/* test.h: the unit-test harness. Each tests/unit/.../name_test.c is one
 * executable; meson runs each as one test. A file defines test functions with
 * TEST(name) and lists them in TEST_MAIN(...).
 *
 *   TEST(parses_status_line) { CHECK(x == 1); CHECK_EQ_INT(a, b); }
 *   TEST_MAIN(parses_status_line, other_test)
 *
 * CHECK failures print file:line and mark the test failed; the test goes on
 * so one run shows every broken expectation. */
#ifndef CN_TESTS_UNIT_TEST_H
#define CN_TESTS_UNIT_TEST_H

#include <stdio.h>
#include <string.h>

static int cn_test_failures;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,     \
              #cond);                                                      \
      cn_test_failures++;                                                  \
    }                                                                      \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                 \
  do {                                                                     \
    long long cn_a_ = (long long)(a), cn_b_ = (long long)(b);              \
    if (cn_a_ != cn_b_) {                                                  \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__,  \
              __LINE__, #a, #b, cn_a_, cn_b_);                             \
      cn_test_failures++;                                                  \
    }                                                                      \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                 \
  do {                                                                     \
    const char *cn_a_ = (a), *cn_b_ = (b);                                 \
    if (!cn_a_ || !cn_b_ || strcmp(cn_a_, cn_b_) != 0) {                   \
      fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n",        \
              __FILE__, __LINE__, #a, #b, cn_a_ ? cn_a_ : "(null)",        \
              cn_b_ ? cn_b_ : "(null)");                                   \
      cn_test_failures++;                                                  \
    }                                                                      \
  } while (0)


/* TEST_MAIN(a, b, c): runs each named test in order; exit status 1 if any
 * CHECK failed. Up to 64 tests per file. */
typedef void (*cn_test_fn)(void);
#define TEST_MAIN(...)                                                     \
  int main(void) {                                                         \
    cn_test_fn tests_[] = {__VA_ARGS__};                                   \
    const char *names_ = #__VA_ARGS__;                                     \
    size_t n_ = sizeof(tests_) / sizeof(tests_[0]);                        \
    for (size_t i_ = 0; i_ < n_; i_++) {                                   \
      int before_ = cn_test_failures;                                      \
      tests_[i_]();                                                        \
      const char *end_ = strchr(names_, ',');                              \
      int len_ = end_ ? (int)(end_ - names_) : (int)strlen(names_);        \
      printf("%s %.*s\n", cn_test_failures == before_ ? "ok  " : "FAIL",   \
             len_, names_);                                                \
      names_ = end_ ? end_ + 1 : names_ + len_;                            \
      while (*names_ == ' ' || *names_ == '\n')                            \
        names_++;                                                          \
    }                                                                      \
    return cn_test_failures ? 1 : 0;                                       \
  }

#endif
