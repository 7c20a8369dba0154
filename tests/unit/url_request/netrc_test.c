/* netrc_test.c: .netrc parsing and lookup as libcurl 8.14 does it (cases
 * from curl's unit test 1304 and tests 478, 486, 2005, 257). */
#include "url_request/netrc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/alloc_track.h"
#include "test.h"
#include "util/alloc.h"
#include "util/net_error.h"

/* lookup parses |text| and returns "login:password" ("(null)" for a NULL
 * one) or the result's name, in static storage. */
static const char *lookup(const char *text, const char *host,
                          const char *login) {
  static char out[512];
  char *l = NULL, *p = NULL;
  enum cn_netrc_result r = cn_netrc_parse(text, host, login, &l, &p);
  if (r != CN_NETRC_OK) {
    snprintf(out, sizeof(out), "[%s]", cn_netrc_strerror(r));
    return out;
  }
  snprintf(out, sizeof(out), "%s:%s", l ? l : "(null)", p ? p : "(null)");
  cn_free(l);
  cn_free(p);
  return out;
}

static const char test1304[] =
    "machine example.com login admin password passwd\n"
    "machine curl.example.com login none password none\n";

TEST(curl_unit_test_1304) {
  CHECK_EQ_STR(lookup(test1304, "example.com", NULL), "admin:passwd");
  CHECK_EQ_STR(lookup(test1304, "curl.example.com", NULL), "none:none");
  CHECK_EQ_STR(lookup(test1304, "EXAMPLE.com", NULL), "admin:passwd");
  CHECK_EQ_STR(lookup(test1304, "test.example.com", NULL),
               "[no matching entry]");
  CHECK_EQ_STR(lookup(test1304, "example.com", "admin"), "admin:passwd");
  /* The host is there but not for this login: OK without a password. */
  CHECK_EQ_STR(lookup(test1304, "example.com", "me"), "me:(null)");
  CHECK_EQ_STR(lookup(test1304, "example.com", "admi"), "admi:(null)");
  CHECK_EQ_STR(lookup(test1304, "example.com", "adminn"), "adminn:(null)");
  CHECK_EQ_STR(lookup(test1304, "test.example.com", "me"),
               "[no matching entry]");
}

TEST(several_accounts_for_one_host_test_478) {
  static const char text[] = "\n"
                             "machine github.com\n"
                             "password weird\n"
                             "password firstone\n"
                             "login daniel\n"
                             "\n"
                             "machine github.com\n"
                             "\n"
                             "machine github.com\n"
                             "login debbie\n"
                             "\n"
                             "machine github.com\n"
                             "password weird\n"
                             "password \"second\\r\"\n"
                             "login debbie\n"
                             "\n";
  CHECK_EQ_STR(lookup(text, "github.com", "debbie"), "debbie:second\r");
  CHECK_EQ_STR(lookup(text, "github.com", NULL), "daniel:firstone");
}

TEST(password_only_and_default_entries_tests_2005_486) {
  static const char t2005[] = "machine 127.0.0.1\n"
                              "password 5up3r53cr37\n"
                              "\n"
                              "machine example.com\n";
  CHECK_EQ_STR(lookup(t2005, "127.0.0.1", NULL), "(null):5up3r53cr37");
  static const char t486[] = "\n"
                             "machine a.com\n"
                             "  login alice\n"
                             "  password alicespassword\n"
                             "\n"
                             "default\n"
                             "\n";
  CHECK_EQ_STR(lookup(t486, "a.com", NULL), "alice:alicespassword");
  CHECK_EQ_STR(lookup(t486, "b.com", NULL), "[no matching entry]");
  static const char def[] = "machine a.com login a password b\n"
                            "default login anonymous password me@home\n";
  CHECK_EQ_STR(lookup(def, "c.com", NULL), "anonymous:me@home");
  /* A login without a password gets an empty one. */
  CHECK_EQ_STR(lookup("machine h login u\n", "h", NULL), "u:");
}

TEST(quoted_tokens_and_escapes) {
  CHECK_EQ_STR(lookup("machine h login \"a b\" password \"x\\\"y\\\\z\\t\"\n",
                      "h", NULL),
               "a b:x\"y\\z\t");
  CHECK_EQ_STR(lookup("machine \"h\" login u password \"\"\n", "h", NULL),
               "u:");
  CHECK_EQ_STR(lookup("machine h login u password \"open\n", "h", NULL),
               "[syntax error]");
  CHECK_EQ_STR(lookup("machine h login u password \"x\\\"\n", "h", NULL),
               "[syntax error]");
  /* Non-ASCII needs quotes (libcurl's signed char compare). */
  CHECK_EQ_STR(lookup("machine h password p\xc3\xa4ss login u\n", "h", NULL),
               "[syntax error]");
  /* ... unless the entry is complete before: "p" then done. */
  CHECK_EQ_STR(lookup("machine h login u password p\xc3\xa4ss\n", "h", NULL),
               "u:p");
  CHECK_EQ_STR(lookup("machine h login u password \"p\xc3\xa4ss\"\n", "h",
                      NULL),
               "u:p\xc3\xa4ss");
  /* Tabs separate, entries may span lines, keywords ignore case. */
  CHECK_EQ_STR(lookup("MACHINE\th\n\tLOGIN u\n PASSWORD\tp\n", "h", NULL),
               "u:p");
}

TEST(macdef_skips_to_an_empty_line) {
  static const char text[] = "macdef init\n"
                             "machine h login evil password evil\n"
                             "\n"
                             "machine h login good password good\n";
  CHECK_EQ_STR(lookup(text, "h", NULL), "good:good");
  CHECK_EQ_STR(lookup("", "h", NULL), "[no matching entry]");
}

TEST(long_tokens_are_syntax_errors) {
  static char text[5000];
  int n = snprintf(text, sizeof(text), "machine h login u password ");
  memset(text + n, 'x', 4096);
  snprintf(text + n + 4096, sizeof(text) - (size_t)n - 4096, "\n");
  CHECK_EQ_STR(lookup(text, "h", NULL), "[syntax error]");
  text[n + 4095] = '\n'; /* 4095 bytes: libcurl's longest token */
  text[n + 4096] = '\0';
  CHECK(strncmp(lookup(text, "h", NULL), "u:xxx", 5) == 0);
}

/* write_file makes a temporary file with |text|; returns its path. */
static const char *write_file(const char *text, size_t len) {
  static char path[64];
  snprintf(path, sizeof(path), "/tmp/cn-netrc-test-%d", (int)getpid());
  FILE *f = fopen(path, "wb");
  fwrite(text, 1, len, f);
  fclose(f);
  return path;
}

TEST(files_comments_missing_newline_and_the_store) {
  static const char text[] = "# machine h login commented password out\n"
                             "   # also a comment\n"
                             "machine h login u password p";
  const char *path = write_file(text, sizeof(text) - 1);
  struct cn_netrc_store s;
  cn_netrc_store_init(&s);
  char *l = NULL, *p = NULL;
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p), CN_NETRC_OK);
  CHECK_EQ_STR(l, "u");
  CHECK_EQ_STR(p, "p");
  cn_free(l);
  cn_free(p);
  /* Kept for the transfer: a changed file is not read again... */
  write_file("machine h login v password q\n", 29);
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p), CN_NETRC_OK);
  CHECK_EQ_STR(l, "u");
  cn_free(l);
  cn_free(p);
  /* ...until a failed lookup empties the store. */
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "other", NULL, &l, &p),
               CN_NETRC_NO_MATCH);
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p), CN_NETRC_OK);
  CHECK_EQ_STR(l, "v");
  cn_free(l);
  cn_free(p);
  cn_netrc_store_cleanup(&s);
  unlink(path);
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p),
               CN_NETRC_FILE_MISSING);
}

TEST(home_netrc_is_the_default) {
  char dir[64];
  snprintf(dir, sizeof(dir), "/tmp/cn-netrc-home-%d", (int)getpid());
  mkdir(dir, 0700);
  char file[96];
  snprintf(file, sizeof(file), "%s/.netrc", dir);
  FILE *f = fopen(file, "w");
  fputs("machine h login homeuser password homepass\n", f);
  fclose(f);
  char *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
  setenv("HOME", dir, 1);
  struct cn_netrc_store s;
  cn_netrc_store_init(&s);
  char *l = NULL, *p = NULL;
  CHECK_EQ_INT(cn_netrc_lookup(&s, NULL, "h", NULL, &l, &p), CN_NETRC_OK);
  CHECK_EQ_STR(l, "homeuser");
  cn_free(l);
  cn_free(p);
  cn_netrc_store_cleanup(&s);
  if (old)
    setenv("HOME", old, 1);
  free(old);
  unlink(file);
  rmdir(dir);
}

TEST(long_lines_end_reading_and_big_files_fail) {
  /* A line of 16384 bytes stops the reading: the entry after it is lost. */
  size_t len = 20000;
  char *text = malloc(len + 64);
  memset(text, ' ', 16383);
  text[16383] = '\n';
  size_t n = 16384 + (size_t)sprintf(text + 16384,
                                     "machine h login u password p\n");
  const char *path = write_file(text, n);
  struct cn_netrc_store s;
  cn_netrc_store_init(&s);
  char *l = NULL, *p = NULL;
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p),
               CN_NETRC_NO_MATCH);
  /* One byte shorter and it is read. */
  memmove(text + 16382, text + 16383, n - 16383);
  write_file(text, n - 1);
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p), CN_NETRC_OK);
  cn_free(l);
  cn_free(p);
  cn_netrc_store_cleanup(&s);
  free(text);
  /* More than 128 KiB of text is a syntax error. */
  size_t big = 140 * 1024;
  text = malloc(big);
  for (size_t i = 0; i < big; i++)
    text[i] = i % 100 == 99 ? '\n' : 'a';
  write_file(text, big);
  CHECK_EQ_INT(cn_netrc_lookup(&s, path, "h", NULL, &l, &p),
               CN_NETRC_SYNTAX_ERROR);
  free(text);
  unlink(path);
}

static int parse_once(void) {
  char *l = NULL, *p = NULL;
  enum cn_netrc_result r = cn_netrc_parse(
      "machine x login a password b\nmachine h login \"u\" password p\n", "h",
      NULL, &l, &p);
  cn_free(l);
  cn_free(p);
  if (r == CN_NETRC_OUT_OF_MEMORY)
    return CN_ERR_OUT_OF_MEMORY;
  if (r != CN_NETRC_OK)
    return CN_ERR_FAILED;
  l = p = NULL; /* not written on failure */
  r = cn_netrc_parse("machine h login u\n", "h", "u", &l, &p);
  cn_free(l);
  cn_free(p);
  return r == CN_NETRC_OUT_OF_MEMORY ? CN_ERR_OUT_OF_MEMORY
         : r == CN_NETRC_OK          ? CN_OK
                                     : CN_ERR_FAILED;
}

TEST(every_allocation_failure_is_reported_and_leaks_nothing) {
  FAIL_LOOP(parse_once());
  cn_alloc_set_functions(NULL, NULL, NULL, NULL, NULL);
}

TEST_MAIN(curl_unit_test_1304, several_accounts_for_one_host_test_478,
          password_only_and_default_entries_tests_2005_486,
          quoted_tokens_and_escapes, macdef_skips_to_an_empty_line,
          long_tokens_are_syntax_errors,
          files_comments_missing_newline_and_the_store,
          home_netrc_is_the_default, long_lines_end_reading_and_big_files_fail,
          every_allocation_failure_is_reported_and_leaks_nothing)
