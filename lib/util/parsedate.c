/* parsedate.c: libcurl-compatible date parsing. See parsedate.h. */
#include "util/parsedate.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Every field is -1 while unknown. */
struct when {
  int wday, mon, mday, hour, min, sec, year;
  int tzoff; /* seconds to add to reach UTC; -1 unknown */
};

static const char *const wkday_short[] = {"Mon", "Tue", "Wed", "Thu",
                                          "Fri", "Sat", "Sun"};
static const char *const wkday_long[] = {"Monday",   "Tuesday", "Wednesday",
                                         "Thursday", "Friday",  "Saturday",
                                         "Sunday"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct zone {
  const char *name;
  int minutes; /* added to the local time to get UTC */
};

/* The zones the old getdate parser knew, plus the military letters with
 * their real signs ("J" is local time and so not a zone). */
static const struct zone zones[] = {
    {"GMT", 0},     {"UT", 0},      {"UTC", 0},     {"WET", 0},
    {"BST", -60},   {"WAT", 60},    {"AST", 240},   {"ADT", 180},
    {"EST", 300},   {"EDT", 240},   {"CST", 360},   {"CDT", 300},
    {"MST", 420},   {"MDT", 360},   {"PST", 480},   {"PDT", 420},
    {"YST", 540},   {"YDT", 480},   {"HST", 600},   {"HDT", 540},
    {"CAT", 600},   {"AHST", 600},  {"NT", 660},    {"IDLW", 720},
    {"CET", -60},   {"MET", -60},   {"MEWT", -60},  {"MEST", -120},
    {"CEST", -120}, {"MESZ", -120}, {"FWT", -60},   {"FST", -120},
    {"EET", -120},  {"WAST", -420}, {"WADT", -480}, {"CCT", -480},
    {"JST", -540},  {"EAST", -600}, {"EADT", -660}, {"GST", -600},
    {"NZT", -720},  {"NZST", -720}, {"NZDT", -780}, {"IDLE", -720},
    {"A", -60},     {"B", -120},    {"C", -180},    {"D", -240},
    {"E", -300},    {"F", -360},    {"G", -420},    {"H", -480},
    {"I", -540},    {"K", -600},    {"L", -660},    {"M", -720},
    {"N", 60},      {"O", 120},     {"P", 180},     {"Q", 240},
    {"R", 300},     {"S", 360},     {"T", 420},     {"U", 480},
    {"V", 540},     {"W", 600},     {"X", 660},     {"Y", 720},
    {"Z", 0},
};

static bool word_is(const char *w, size_t len, const char *name) {
  return strlen(name) == len && strncasecmp(w, name, len) == 0;
}

static int find_day(const char *w, size_t len) {
  const char *const *names = len > 3 ? wkday_long : wkday_short;
  for (int i = 0; i < 7; i++) {
    if (word_is(w, len, names[i]))
      return i;
  }
  return -1;
}

static int find_month(const char *w, size_t len) {
  for (int i = 0; i < 12; i++) {
    if (word_is(w, len, months[i]))
      return i;
  }
  return -1;
}

static int find_zone(const char *w, size_t len) {
  for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
    if (word_is(w, len, zones[i].name))
      return zones[i].minutes * 60;
  }
  return -1;
}

/* A word of letters: the first unknown of weekday, month and zone it
 * names. Words of 12 letters or more are never dates. */
static bool date_word(const char **pp, struct when *w) {
  const char *p = *pp;
  size_t len = 0;
  while (is_alpha(p[len]) && len < 12)
    len++;
  if (len == 12)
    return false;
  if (w->wday == -1 && (w->wday = find_day(p, len)) != -1) {
  } else if (w->mon == -1 && (w->mon = find_month(p, len)) != -1) {
  } else if (w->tzoff == -1 && (w->tzoff = find_zone(p, len)) != -1) {
  } else {
    return false;
  }
  *pp = p + len;
  return true;
}

static int one_or_two_digits(const char *p, const char **end) {
  int n = p[0] - '0';
  if (is_digit(p[1])) {
    *end = p + 2;
    return n * 10 + (p[1] - '0');
  }
  *end = p + 1;
  return n;
}

/* match_time reads H[H]:M[M][:S[S]] with sane ranges. */
static bool match_time(const char *p, struct when *w, const char **end) {
  const char *q;
  int hh = one_or_two_digits(p, &q);
  if (hh >= 24 || *q != ':' || !is_digit(q[1]))
    return false;
  int mm = one_or_two_digits(q + 1, &q);
  if (mm >= 60)
    return false;
  int ss = 0;
  if (*q == ':' && is_digit(q[1])) {
    ss = one_or_two_digits(q + 1, &q);
    if (ss > 60)
      return false;
  }
  w->hour = hh;
  w->min = mm;
  w->sec = ss;
  *end = q;
  return true;
}

enum expect { EXPECT_MDAY, EXPECT_YEAR };

static bool date_number(const char *start, const char **pp, struct when *w,
                        enum expect *next) {
  const char *p = *pp;
  if (w->sec == -1 && match_time(p, w, pp))
    return true;

  /* At most eight digits (YYYYMMDD): anything longer is not a date. */
  uint32_t val = 0;
  int digits = 0;
  while (is_digit(p[digits])) {
    val = val * 10 + (uint32_t)(p[digits] - '0');
    if (val > 99999999)
      return false;
    digits++;
  }
  bool found = false;
  if (w->tzoff == -1 && digits == 4 && val <= 1400 && p > start &&
      (p[-1] == '+' || p[-1] == '-')) {
    /* "+0200": a numeric zone; the sign is the local offset from UTC, so
     * the correction to UTC has the other sign. */
    int off = (int)((val / 100) * 60 + val % 100) * 60;
    w->tzoff = p[-1] == '+' ? -off : off;
    found = true;
  } else if (digits == 8 && w->year == -1 && w->mon == -1 && w->mday == -1) {
    w->year = (int)(val / 10000);
    w->mon = (int)((val % 10000) / 100) - 1;
    w->mday = (int)(val % 100);
    found = true;
  }
  if (!found && *next == EXPECT_MDAY && w->mday == -1) {
    if (val > 0 && val < 32) {
      w->mday = (int)val;
      found = true;
    }
    *next = EXPECT_YEAR;
  }
  if (!found && *next == EXPECT_YEAR && w->year == -1) {
    w->year = (int)val;
    if (w->year < 100)
      w->year += w->year > 70 ? 1900 : 2000;
    if (w->mday == -1)
      *next = EXPECT_MDAY;
    found = true;
  }
  if (!found)
    return false;
  *pp = p + digits;
  return true;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  static const int before[12] = {0,   31,  59,  90,  120, 151,
                                 181, 212, 243, 273, 304, 334};
  int64_t yy = y - (m <= 1); /* leap day of this year counts from March */
  int64_t leaps =
      yy / 4 - yy / 100 + yy / 400 - (1969 / 4 - 1969 / 100 + 1969 / 400);
  return (y - 1970) * 365 + leaps + before[m] + d - 1;
}

bool cn_parsedate(const char *date, time_t *out_time) {
  struct when w = {-1, -1, -1, -1, -1, -1, -1, -1};
  enum expect next = EXPECT_MDAY;
  const char *p = date;
  for (int part = 0; *p && part < 6; part++) {
    while (*p && !is_alpha(*p) && !is_digit(*p))
      p++;
    if (is_alpha(*p)) {
      if (!date_word(&p, &w))
        return false;
    } else if (is_digit(*p)) {
      if (!date_number(date, &p, &w, &next))
        return false;
    }
  }
  if (w.sec == -1)
    w.sec = w.min = w.hour = 0;
  if (w.mday == -1 || w.mon == -1 || w.year == -1)
    return false;
  if (w.year < 1583) /* the Gregorian calendar */
    return false;
  if (w.mday > 31 || w.mon > 11 || w.hour > 23 || w.min > 59 || w.sec > 60)
    return false;
  int64_t t =
      ((days_from_civil(w.year, w.mon, w.mday) * 24 + w.hour) * 60 + w.min) *
          60 +
      w.sec;
  if (w.tzoff != -1)
    t += w.tzoff;
  *out_time = (time_t)t;
  return true;
}
