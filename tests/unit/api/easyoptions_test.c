/* easyoptions_test.c: curl_easy_option_by_name / _by_id / _next, and the
 * table's agreement with include/curl/curl.h (parsed at run time, so an
 * option added to the header but not to lib/api/easyoptions.c fails here). */

#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* ---- lookups ---- */

TEST(by_name_finds_option_without_prefix)
{
  const struct curl_easyoption *o = curl_easy_option_by_name("URL");
  CHECK(o != NULL);
  if (!o)
    return;
  CHECK_EQ_STR(o->name, "URL");
  CHECK_EQ_INT(o->id, CURLOPT_URL);
  CHECK_EQ_INT(o->type, CURLOT_STRING);
  CHECK_EQ_INT(o->flags, 0);
}

TEST(by_name_ignores_case)
{
  const struct curl_easyoption *o = curl_easy_option_by_name("fOlLoWlOcAtIoN");
  CHECK(o != NULL);
  if (o)
    CHECK_EQ_INT(o->id, CURLOPT_FOLLOWLOCATION);
}

TEST(by_name_rejects_unknown_and_prefixed_names)
{
  CHECK(curl_easy_option_by_name("CURLOPT_URL") == NULL);
  CHECK(curl_easy_option_by_name("NO_SUCH_OPTION") == NULL);
  CHECK(curl_easy_option_by_name("") == NULL);
  CHECK(curl_easy_option_by_name("UR") == NULL);
  CHECK(curl_easy_option_by_name("URLX") == NULL);
  CHECK(curl_easy_option_by_name(NULL) == NULL);
}

TEST(by_name_finds_alias_with_flag)
{
  const struct curl_easyoption *o = curl_easy_option_by_name("ENCODING");
  CHECK(o != NULL);
  if (!o)
    return;
  CHECK_EQ_INT(o->id, CURLOPT_ACCEPT_ENCODING);
  CHECK_EQ_INT(o->type, CURLOT_STRING);
  CHECK(o->flags & CURLOT_FLAG_ALIAS);

  o = curl_easy_option_by_name("FILE");
  CHECK(o != NULL);
  if (o) {
    CHECK_EQ_INT(o->id, CURLOPT_WRITEDATA);
    CHECK(o->flags & CURLOT_FLAG_ALIAS);
  }
}

TEST(by_name_types_follow_the_option_kind)
{
  struct {
    const char *name;
    curl_easytype type;
  } cases[] = {
      {"VERBOSE", CURLOT_LONG},         {"HTTPAUTH", CURLOT_VALUES},
      {"INFILESIZE_LARGE", CURLOT_OFF_T}, {"POSTFIELDS", CURLOT_OBJECT},
      {"HTTPHEADER", CURLOT_SLIST},      {"WRITEDATA", CURLOT_CBPTR},
      {"SSLCERT_BLOB", CURLOT_BLOB},     {"WRITEFUNCTION", CURLOT_FUNCTION},
      {"SSL_SIGNATURE_ALGORITHMS", CURLOT_STRING},
  };
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct curl_easyoption *o = curl_easy_option_by_name(cases[i].name);
    CHECK(o != NULL);
    if (o)
      CHECK_EQ_INT(o->type, cases[i].type);
  }
}

TEST(by_id_prefers_the_current_name)
{
  const struct curl_easyoption *o = curl_easy_option_by_id(CURLOPT_WRITEDATA);
  CHECK(o != NULL);
  if (o) {
    CHECK_EQ_STR(o->name, "WRITEDATA");
    CHECK_EQ_INT(o->flags, 0);
  }
  /* two aliases (SSLKEYPASSWD, SSLCERTPASSWD) share this id */
  o = curl_easy_option_by_id(CURLOPT_KEYPASSWD);
  CHECK(o != NULL);
  if (o)
    CHECK_EQ_STR(o->name, "KEYPASSWD");
  o = curl_easy_option_by_id(CURLOPT_ACCEPT_ENCODING);
  CHECK(o != NULL);
  if (o)
    CHECK_EQ_STR(o->name, "ACCEPT_ENCODING");
}

TEST(by_id_rejects_unknown_ids)
{
  CHECK(curl_easy_option_by_id((CURLoption)0) == NULL);
  CHECK(curl_easy_option_by_id((CURLoption)9999) == NULL);
  CHECK(curl_easy_option_by_id(CURLOPT_LASTENTRY) == NULL);
  /* the retired placeholders are not options */
  CHECK(curl_easy_option_by_id(CURLOPT_OBSOLETE40) == NULL);
  CHECK(curl_easy_option_by_id(CURLOPT_OBSOLETE72) == NULL);
}

TEST(curlium_options_are_listed)
{
  const struct curl_easyoption *o = curl_easy_option_by_id(CURLOPT_IMPERSONATE);
  CHECK_EQ_INT(CURLOPT_IMPERSONATE, 10999);
  CHECK(o != NULL);
  if (o) {
    CHECK_EQ_STR(o->name, "IMPERSONATE");
    CHECK_EQ_INT(o->type, CURLOT_STRING);
  }
  o = curl_easy_option_by_name("HTTP2_SETTINGS");
  CHECK(o != NULL);
  if (o)
    CHECK_EQ_INT(o->id, CURLOPT_HTTP2_SETTINGS);
  o = curl_easy_option_by_name("HTTPBASEHEADER");
  CHECK(o != NULL);
  if (o)
    CHECK_EQ_INT(o->type, CURLOT_SLIST);
}

/* ---- iteration ---- */

TEST(next_walks_every_entry_once_in_order)
{
  const struct curl_easyoption *o = NULL;
  const struct curl_easyoption *prev = NULL;
  size_t count = 0, aliases = 0;

  while ((o = curl_easy_option_next(o)) != NULL) {
    CHECK(o->name != NULL);
    if (!o->name)
      break;
    if (prev)
      CHECK(strcmp(prev->name, o->name) < 0); /* sorted, no duplicates */
    if (o->flags & CURLOT_FLAG_ALIAS) {
      aliases++;
      /* an alias points at an option that has a current name */
      CHECK(curl_easy_option_by_id(o->id) != NULL);
    } else {
      /* the current name is what by_id answers */
      CHECK(curl_easy_option_by_id(o->id) == o);
    }
    CHECK(curl_easy_option_by_name(o->name) == o);
    prev = o;
    count++;
    if (count > 10000)
      break;
  }
  CHECK_EQ_INT(aliases, 15);
  /* 308 libcurl 8.14 options, 36 curlium additions, 15 aliases */
  CHECK_EQ_INT(count, 308 + 36 + 15);
}

TEST(next_stops_at_the_end)
{
  const struct curl_easyoption *o = NULL, *last = NULL;
  while ((o = curl_easy_option_next(o)) != NULL)
    last = o;
  CHECK(last != NULL);
  if (last)
    CHECK(curl_easy_option_next(last) == NULL);
}

/* ---- agreement with include/curl/curl.h ---- */

/* read_header returns the contents of include/curl/curl.h, found relative
 * to this source file's path as the compiler saw it (meson passes it
 * relative to the build directory, where tests run), or NULL. */
static char *read_header(void)
{
  const char *self = __FILE__;
  const char *suffix = "tests/unit/api/easyoptions_test.c";
  size_t self_len = strlen(self), suffix_len = strlen(suffix);
  char path[4096];
  FILE *f;
  char *buf = NULL;
  long size;

  if (self_len < suffix_len ||
      strcmp(self + self_len - suffix_len, suffix) != 0)
    return NULL;
  if (self_len - suffix_len + sizeof("include/curl/curl.h") > sizeof(path))
    return NULL;
  memcpy(path, self, self_len - suffix_len);
  strcpy(path + (self_len - suffix_len), "include/curl/curl.h");

  f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return NULL;
  }
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
      fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
      buf[size] = '\0';
    } else {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

static const char *skip_space(const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
    p++;
  return p;
}

/* read_ident copies one identifier into |out| and returns the position
 * after it. */
static const char *read_ident(const char *p, char *out, size_t out_len)
{
  size_t n = 0;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
         (*p >= '0' && *p <= '9') || *p == '_') {
    if (n + 1 < out_len)
      out[n++] = *p;
    p++;
  }
  out[n] = '\0';
  return p;
}

static int type_of(const char *t, long *base, curl_easytype *type)
{
  static const struct {
    const char *name;
    long base;
    curl_easytype type;
  } map[] = {
      {"CURLOPTTYPE_LONG", 0, CURLOT_LONG},
      {"CURLOPTTYPE_VALUES", 0, CURLOT_VALUES},
      {"CURLOPTTYPE_OFF_T", 30000, CURLOT_OFF_T},
      {"CURLOPTTYPE_OBJECTPOINT", 10000, CURLOT_OBJECT},
      {"CURLOPTTYPE_STRINGPOINT", 10000, CURLOT_STRING},
      {"CURLOPTTYPE_SLISTPOINT", 10000, CURLOT_SLIST},
      {"CURLOPTTYPE_CBPOINT", 10000, CURLOT_CBPTR},
      {"CURLOPTTYPE_BLOB", 40000, CURLOT_BLOB},
      {"CURLOPTTYPE_FUNCTIONPOINT", 20000, CURLOT_FUNCTION},
  };
  size_t i;
  for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (strcmp(map[i].name, t) == 0) {
      *base = map[i].base;
      *type = map[i].type;
      return 1;
    }
  }
  return 0;
}

TEST(every_header_option_is_in_the_table)
{
  char *hdr = read_header();
  const char *p;
  size_t seen = 0;

  CHECK(hdr != NULL);
  if (!hdr)
    return;
  for (p = hdr; (p = strstr(p, "CURLOPT")) != NULL;) {
    char name[128], tname[64], num[16];
    const struct curl_easyoption *o;
    long base = 0;
    curl_easytype type = CURLOT_LONG;

    if (strncmp(p, "CURLOPT(CURLOPT_", 16) == 0)
      p += 8;
    else if (strncmp(p, "CURLOPTDEPRECATED(CURLOPT_", 26) == 0)
      p += 18;
    else {
      p += 7;
      continue;
    }
    p = read_ident(skip_space(p), name, sizeof(name));
    p = read_ident(skip_space(p), tname, sizeof(tname));
    p = read_ident(skip_space(p), num, sizeof(num));
    if (strncmp(name, "CURLOPT_OBSOLETE", 16) == 0)
      continue;
    seen++;
    CHECK(type_of(tname, &base, &type));
    o = curl_easy_option_by_name(name + 8);
    if (!o) {
      fprintf(stderr, "  %s is not in the table\n", name);
      CHECK(o != NULL);
      continue;
    }
    CHECK_EQ_INT(o->flags, 0);
    if ((long)o->id != base + atol(num) || o->type != type)
      fprintf(stderr, "  %s: table says id %d type %d\n", name, (int)o->id,
              (int)o->type);
    CHECK_EQ_INT(o->id, base + atol(num));
    CHECK_EQ_INT(o->type, type);
  }
  CHECK_EQ_INT(seen, 308 + 36);
  free(hdr);
}

TEST(every_header_alias_is_in_the_table)
{
  char *hdr = read_header();
  const char *p;
  size_t seen = 0;

  CHECK(hdr != NULL);
  if (!hdr)
    return;
  for (p = hdr; (p = strstr(p, "#define CURLOPT_")) != NULL;) {
    char alias[128], target[128];
    const struct curl_easyoption *a, *t;

    p = read_ident(p + 8, alias, sizeof(alias));
    while (*p == ' ' || *p == '\t')
      p++;
    p = read_ident(p, target, sizeof(target));
    /* only "#define CURLOPT_X CURLOPT_Y" renames of real options */
    if (strncmp(target, "CURLOPT_", 8) != 0 ||
        strncmp(target, "CURLOPT_OBSOLETE", 16) == 0 ||
        strncmp(alias, "CURLOPTTYPE_", 12) == 0)
      continue;
    seen++;
    a = curl_easy_option_by_name(alias + 8);
    t = curl_easy_option_by_name(target + 8);
    if (!a)
      fprintf(stderr, "  alias %s is not in the table\n", alias);
    CHECK(a != NULL);
    CHECK(t != NULL);
    if (a && t) {
      CHECK(a->flags & CURLOT_FLAG_ALIAS);
      CHECK_EQ_INT(a->id, t->id);
      CHECK_EQ_INT(a->type, t->type);
    }
  }
  CHECK_EQ_INT(seen, 15);
  free(hdr);
}

TEST_MAIN(by_name_finds_option_without_prefix, by_name_ignores_case,
          by_name_rejects_unknown_and_prefixed_names,
          by_name_finds_alias_with_flag, by_name_types_follow_the_option_kind,
          by_id_prefers_the_current_name, by_id_rejects_unknown_ids,
          curlium_options_are_listed, next_walks_every_entry_once_in_order,
          next_stops_at_the_end, every_header_option_is_in_the_table,
          every_header_alias_is_in_the_table)
