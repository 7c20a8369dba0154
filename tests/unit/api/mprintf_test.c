/* mprintf_test.c: curl_m*printf, including where libcurl's printf differs
 * from the C library's. */
#include <curl/curl.h>
#include <curl/mprintf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/alloc.h"

/* Formats below are deliberately not what -Wformat likes. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"

#define CHECK_FMT(want, ...)                                                   \
  do {                                                                         \
    char b_[256];                                                              \
    int n_ = curl_msnprintf(b_, sizeof(b_), __VA_ARGS__);                      \
    CHECK_EQ_STR(b_, want);                                                    \
    CHECK_EQ_INT(n_, strlen(want));                                            \
  } while (0)

TEST(like_c_printf) {
  CHECK_FMT("hello world", "hello %s", "world");
  CHECK_FMT("-5 7 3000000000 -9000000000 -1", "%d %i %u %ld %lld", -5, 7,
            3000000000u, -9000000000L, -1LL);
  CHECK_FMT("00042|42   |+42| 42|  -42|", "%05d|%-5d|%+d|% d|%+5d|", 42, 42, 42,
            42, -42);
  CHECK_FMT("ff FF 0xff 0XFF 10 010", "%x %X %#x %#X %o %#o", 255, 255, 255,
            255, 8, 8);
  CHECK_FMT("|005|     005", "%.0d|%.3d|%8.3d", 0, 5, 5);
  CHECK_FMT("ab    c", "%c%c%5c", 'a', 'b', 'c');
  CHECK_FMT("3.141590 2.50 1.234568e+04 1.230000E-04 100000 1E-10",
            "%f %.2f %e %E %g %G", 3.14159, 2.5, 12345.678, 0.000123, 100000.0,
            1e-10);
  CHECK_FMT("123 456 ff", "%zd %zu %zx", (size_t)123, (size_t)456, (size_t)255);
  CHECK_FMT("-9223372036854775808", "%lld", -9223372036854775807LL - 1);
  CHECK_FMT("%5%", "%%%d%%", 5);
  CHECK_FMT("    1|2    |3.14|", "%*d|%-*d|%.*f|", 5, 1, 5, 2, 2, 3.14159);
  CHECK_FMT("1    |", "%*d|", -5, 1);
  CHECK_FMT("42", "%Od", (curl_off_t)42);
}

TEST(libcurl_differences) {
  CHECK_FMT("(nil)", "%s", (char *)NULL);
  CHECK_FMT("", "%.3s", (char *)NULL); /* no room for "(nil)" */
  CHECK_FMT("(nil)|", "%.5s|", (char *)NULL);
  CHECK_FMT("\"quoted\" (nil)", "%S %S", "quoted", (char *)NULL);
  CHECK_FMT("(nil)", "%p", (void *)NULL);
  CHECK_FMT("0x1234", "%p", (void *)0x1234);
  CHECK_FMT("(nil)     |     (nil)|", "%10p|%-10p|", (void *)NULL,
            (void *)NULL);
  CHECK_FMT("0x0", "%#x", 0);                 /* C prints "0" */
  CHECK_FMT("70000", "%hd", 70000);           /* 'h' does not narrow */
  CHECK_FMT("         a|", "%10.1s|", "abc"); /* pads for the precision */
  CHECK_FMT("  -1.500|", "%08.3f|", -1.5);    /* no zero padding */
  CHECK_FMT("b a", "%2$s %1$s", "a", "b");
  CHECK_FMT("x x", "%1$s %1$s", "x");
  CHECK_FMT("%y %k", "%y %k", 1, 2); /* unknown conversions stay text */
  CHECK_FMT("trailing %", "trailing %");
  /* Formats libcurl refuses print nothing. */
  CHECK_FMT("", "%1$d %d", 1, 2);
  CHECK_FMT("", "%3$d", 1, 2, 3);
  CHECK_FMT("", "%.f", 2.5);
}

TEST(snprintf_returns_bytes_stored) {
  char b[8];
  memset(b, 'Z', sizeof(b));
  CHECK_EQ_INT(curl_msnprintf(b, 5, "%s", "hello world"), 4);
  CHECK_EQ_STR(b, "hell");
  CHECK_EQ_INT(curl_msnprintf(b, 1, "%s", "x"), 0);
  CHECK_EQ_STR(b, "");
  memset(b, 'Z', sizeof(b));
  CHECK_EQ_INT(curl_msnprintf(b, 0, "%s", "x"), 0);
  CHECK(b[0] == 'Z');
  CHECK_EQ_INT(curl_msnprintf(b, 6, "abcdef"), 5);
  CHECK_EQ_STR(b, "abcde");
  int count = -1;
  CHECK_EQ_INT(curl_msnprintf(b, sizeof(b), "ab%ncd", &count), 4);
  CHECK_EQ_INT(count, 2);
}

TEST(sprintf_aprintf_fprintf) {
  char b[64];
  CHECK_EQ_INT(curl_msprintf(b, "%d-%s", 12, "x"), 4);
  CHECK_EQ_STR(b, "12-x");

  char *s = curl_maprintf("%s=%d", "key", 99);
  CHECK_EQ_STR(s, "key=99");
  curl_free(s);
  s = curl_maprintf("%s", "");
  CHECK_EQ_STR(s, "");
  curl_free(s);

  /* curl_maprintf allocates through the library allocator. */
  cn_alloc_fail_nth(1);
  s = curl_maprintf("%s", "this needs memory");
  cn_alloc_fail_nth(0);
  CHECK(s == NULL);

  FILE *f = tmpfile();
  CHECK(f != NULL);
  if (f) {
    CHECK_EQ_INT(curl_mfprintf(f, "<%5s>", "ab"), 7);
    rewind(f);
    char line[32] = "";
    CHECK(fgets(line, sizeof(line), f) != NULL);
    CHECK_EQ_STR(line, "<   ab>");
    fclose(f);
  }
}

static int vs(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = curl_mvsnprintf(buf, n, fmt, ap);
  va_end(ap);
  return r;
}

static char *va(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *r = curl_mvaprintf(fmt, ap);
  va_end(ap);
  return r;
}

TEST(va_list_flavours) {
  char b[32];
  CHECK_EQ_INT(vs(b, sizeof(b), "%s-%d", "v", 1), 3);
  CHECK_EQ_STR(b, "v-1");
  char *s = va("%05.1f", 2.25);
  CHECK_EQ_STR(s, "  2.2");
  curl_free(s);
}

TEST(many_arguments) {
  /* 128 arguments is the limit; 129 is refused. */
  char fmt[1024] = "", b[512];
  for (int i = 0; i < 128; i++)
    strcat(fmt, "%c");
  int n = curl_msnprintf(
      b, sizeof(b), fmt, 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
      'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'b');
  CHECK_EQ_INT(n, 128);
  CHECK(b[127] == 'b');
  strcat(fmt, "%c");
  CHECK_EQ_INT(curl_msnprintf(b, sizeof(b), fmt, 'a'), 0);
}

TEST_MAIN(like_c_printf, libcurl_differences, snprintf_returns_bytes_stored,
          sprintf_aprintf_fprintf, va_list_flavours, many_arguments)
