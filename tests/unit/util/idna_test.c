/* idna_test.c: host names to ACE and back, with the results libcurl +
 * libidn2 give for the same names (checked against Debian's libcurl). */
#include "util/idna.h"

#include <locale.h>
#include <stdlib.h>

#include "util/alloc.h"

#include "../test.h"

static void check_ace(const char *in, const char *want, int line) {
  char *out = NULL;
  enum cn_idna_result r = cn_idna_to_ascii(in, &out);
  if (r != CN_IDNA_OK || !out || strcmp(out, want) != 0) {
    fprintf(stderr, "line %d: %s -> %s (%s), want %s\n", line, in,
            out ? out : "(null)", cn_idna_strerror(r), want);
    cn_test_failures++;
  }
  cn_free(out);
}
#define ACE(in, want) check_ace(in, want, __LINE__)

static void check_fail(const char *in, enum cn_idna_result want, int line) {
  char *out = NULL;
  enum cn_idna_result r = cn_idna_to_ascii(in, &out);
  if (r != want || out) {
    fprintf(stderr, "line %d: %s -> %s (%d), want error %d\n", line, in,
            out ? out : "(null)", (int)r, (int)want);
    cn_test_failures++;
  }
  cn_free(out);
}
#define FAIL(in, want) check_fail(in, want, __LINE__)

/* The names below are UTF-8, so the process must be in a UTF-8 locale as a
 * program using IDN with libcurl must be. */
TEST(utf8_locale) { CHECK(setlocale(LC_CTYPE, "C.UTF-8") != NULL); }

TEST(converts_like_libidn2) {
  ACE("www.\xc3\xa5\xc3\xa4\xc3\xb6.se", "www.xn--4cab6c.se");
  ACE("WWW.\xc3\x85\xc3\x84\xc3\x96.SE", "www.xn--4cab6c.se");
  ACE("stra\xc3\x9f"
      "e.de",
      "xn--strae-oqa.de"); /* ß kept */
  ACE("Stra\xc3\x9f"
      "e.DE",
      "xn--strae-oqa.de");
  ACE("r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se", "xn--rksmrgs-5wao1o.se");
  ACE("\xe6\x97\xa5\xe6\x9c\xac.jp", "xn--wgv71a.jp");
  ACE("\xe6\x97\xa5\xe6\x9c\xac\xe3\x80\x82jp", "xn--wgv71a.jp"); /* 。 */
  ACE("\xef\xac\x81.com", "fi.com");                              /* NFKC */
  ACE("\xe2\x91\xa0.com", "1.com");
  ACE("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x8e\xc3\xa5\xc3\xa4"
      "\xc3\xb6",
      "abc.xn--4cab6c");
  ACE("\xce\xa3\xce\x91\xce\xa3.gr", "xn--mxa9ab.gr"); /* final sigma */
  ACE("a\xc2\xad"
      "b\xc3\xa5\xc3\xa4\xc3\xb6.se",
      "xn--ab-wiad0g.se");
  ACE("\xc3\xb6_x.se", "xn--_x-eka.se");
  /* All-ASCII labels keep what the URL allowed; hyphen rules hold for
   * every label of a converted name. */
  ACE("a~b.\xc3\xa5\xc3\xa4\xc3\xb6.se", "a~b.xn--4cab6c.se");
  ACE("\xc3\x96"
      "A.SE",
      "xn--a-0ga.se");
  ACE("\xc3\xa5\xc3\xa4\xc3\xb6..se", "xn--4cab6c..se");
  ACE("\xc3\xa5\xc3\xa4\xc3\xb6.se.", "xn--4cab6c.se.");
  ACE("XN--4CAB6C.\xc3\xa5\xc3\xa4\xc3\xb6.se", "xn--4cab6c.xn--4cab6c.se");
  ACE("\xe2\x98\x83.net", "xn--n3h.net");
  ACE("\xc3\xa9", "xn--9ca");
  /* The joiner makes the non-transitional pass fail; the transitional
   * retry drops it and maps ß to ss. */
  ACE("a\xe2\x80\x8d\xc3\xb6.se", "xn--a-1ga.se");
  ACE("a\xe2\x80\x8d\xc3\xb6.stra\xc3\x9f"
      "e",
      "xn--a-1ga.strasse");
  /* ASCII names are not touched at all. */
  ACE("STRASSE.de", "STRASSE.de");
  ACE("xn--zz.se", "xn--zz.se");
}

TEST(rejects_what_libidn2_rejects) {
  FAIL("-\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_HYPHEN);
  FAIL("\xc3\xa5\xc3\xa4\xc3\xb6-.se", CN_IDNA_ERR_HYPHEN);
  FAIL("\xc3\xa5\xc3\xa4--\xc3\xb6.se", CN_IDNA_ERR_HYPHEN);
  FAIL("ab--\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_HYPHEN);
  FAIL("-abc.\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_HYPHEN);
  FAIL("ab--c.\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_HYPHEN);
  FAIL("abc-.\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_HYPHEN);
  FAIL("\xc3\xb6~x.se", CN_IDNA_ERR_DISALLOWED);
  FAIL("xn--zz.\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_PUNYCODE);
  FAIL("\xcc\x81"
       "a.\xc3\xa5.se",
       CN_IDNA_ERR_COMBINING);
  FAIL("\xef\xbf\xbd.se", CN_IDNA_ERR_DISALLOWED);          /* U+FFFD */
  FAIL("\xee\x80\x80.se", CN_IDNA_ERR_DISALLOWED);          /* private use */
  FAIL("a\xef\xbc\x9c\xc3\xb6.se", CN_IDNA_ERR_DISALLOWED); /* '<' */
  FAIL("invalid-utf8-\xe2\x90.local", CN_IDNA_ERR_ENCODING);
  FAIL("\xc0\xaf.se", CN_IDNA_ERR_ENCODING);     /* overlong */
  FAIL("\xed\xa0\x80.se", CN_IDNA_ERR_ENCODING); /* surrogate */
  /* 60 ASCII + one non-ASCII letter: the ACE label exceeds 63 octets. */
  char name[128];
  memset(name, 'a', 60);
  strcpy(name + 60, "\xc3\xb6.se");
  FAIL(name, CN_IDNA_ERR_TOO_LONG);
}

TEST(limits_name_length) {
  /* "å" + four labels of 60 octets and one of |last|: the ACE form is
   * 7 + 4 * 61 + 1 + last octets, and libidn2 allows 253. */
  char name[400];
  for (int last = 1; last <= 2; last++) {
    strcpy(name, "\xc3\xa5");
    for (int i = 0; i < 5; i++) {
      size_t n = strlen(name);
      name[n] = '.';
      memset(name + n + 1, 'a', i < 4 ? 60 : (size_t)last);
      name[n + 1 + (i < 4 ? 60 : last)] = '\0';
    }
    char *out = NULL;
    enum cn_idna_result r = cn_idna_to_ascii(name, &out);
    CHECK_EQ_INT(r, last == 1 ? CN_IDNA_OK : CN_IDNA_ERR_TOO_LONG);
    CHECK(last == 2 || (out && strlen(out) == 253));
    cn_free(out);
  }
  /* A final dot does not count. */
  strcat(name, ".");
  name[strlen(name) - 2] = '.';
  name[strlen(name) - 1] = '\0';
  char *out = NULL;
  CHECK_EQ_INT(cn_idna_to_ascii(name, &out), CN_IDNA_OK);
  cn_free(out);
}

TEST(c_locale_is_not_utf8) {
  /* Like idn2_lookup_ul: in the "C" locale high bytes are not text. */
  setlocale(LC_CTYPE, "C");
  FAIL("www.\xc3\xa5\xc3\xa4\xc3\xb6.se", CN_IDNA_ERR_ENCODING);
  ACE("www.example.se", "www.example.se");
  /* ISO-8859-1 bytes are read as Latin-1 in such a locale, when present. */
  if (setlocale(LC_CTYPE, "en_US.ISO-8859-1") || setlocale(LC_CTYPE, "en_US"))
    ACE("www.\xe5\xe4\xf6.se", "www.xn--4cab6c.se");
  setlocale(LC_CTYPE, "C.UTF-8");
}

static void check_uni(const char *in, const char *want, int line) {
  char *out = NULL;
  enum cn_idna_result r = cn_idna_to_unicode(in, &out);
  if (want ? (r != CN_IDNA_OK || !out || strcmp(out, want) != 0)
           : (r != CN_IDNA_ERR_PUNYCODE || out)) {
    fprintf(stderr, "line %d: %s -> %s (%s), want %s\n", line, in,
            out ? out : "(null)", cn_idna_strerror(r), want ? want : "error");
    cn_test_failures++;
  }
  cn_free(out);
}
#define UNI(in, want) check_uni(in, want, __LINE__)

TEST(decodes_ace_labels) {
  UNI("xn--rksmrgs-5wao1o.se", "r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se");
  UNI("www.xn--rksmrgs-5wao1o.se", "www.r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se");
  UNI("XN--4CAB6C.se", "\xc3\xa5\xc3\xa4\xc3\xb6.se");
  UNI("xn--e28h.com", "\xf0\x9f\x98\x80.com");
  UNI("example.com", "example.com");
  UNI("a..b.", "a..b.");
  UNI("xn--zz.se", NULL);
  UNI("xn--.se", NULL);
  UNI("xn--99999a.se", NULL);
}

TEST(fails_cleanly_without_memory) {
  for (long n = 1; n < 40; n++) {
    char *out = NULL;
    cn_alloc_fail_nth(n);
    enum cn_idna_result r =
        cn_idna_to_ascii("WWW.\xc3\x85\xc3\x84\xc3\x96.se", &out);
    cn_alloc_fail_nth(0);
    CHECK(r == CN_IDNA_OK || r == CN_IDNA_ERR_OUT_OF_MEMORY);
    CHECK((r == CN_IDNA_OK) == (out != NULL));
    cn_free(out);
    out = NULL;
    cn_alloc_fail_nth(n);
    r = cn_idna_to_unicode("www.xn--4cab6c.se", &out);
    cn_alloc_fail_nth(0);
    CHECK(r == CN_IDNA_OK || r == CN_IDNA_ERR_OUT_OF_MEMORY);
    cn_free(out);
  }
}

TEST_MAIN(utf8_locale, converts_like_libidn2, rejects_what_libidn2_rejects,
          limits_name_length, c_locale_is_not_utf8, decodes_ace_labels,
          fails_cleanly_without_memory)
