/* mprintf.c: curl_mprintf and friends, libcurl's own printf.
 *
 * Applications (and curl's test suite) rely on where it differs from the C
 * library: "%s" of NULL prints "(nil)" (when the precision allows 5
 * characters), "%p" of NULL prints "(nil)", "%S" quotes the string, '#'
 * with 'x' prints "0x" even for zero, 'h' does not narrow, "%zd"/"%Od"
 * follow size_t/curl_off_t, positional "%N$" arguments (at most 128) must
 * not be mixed with plain ones, unknown conversions are printed as text, a
 * format it cannot parse prints nothing, and the snprintf flavours return
 * the number of bytes stored, not the length that would have been needed.
 * Floating point goes through the C library's snprintf, as in libcurl.
 *
 * A format is parsed into output segments (literal text followed by at most
 * one conversion) and an input table that says which type each argument
 * has, so that the va_list can be read in order even when positional
 * arguments are used out of order. */
#include <curl/curl.h>
#include <curl/mprintf.h>

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

#define MAX_ARGS 128
#define MAX_SEGMENTS 128
#define WORK_SIZE 326 /* fits -DBL_MAX printed with %f */

enum arg_type {
  ARG_STRING,
  ARG_PTR,
  ARG_COUNT_PTR, /* %n */
  ARG_INT,
  ARG_LONG,
  ARG_LONGLONG,
  ARG_UINT,
  ARG_ULONG,
  ARG_ULONGLONG,
  ARG_DOUBLE,
  ARG_WIDTH, /* an int read for '*' */
};

enum {
  F_SPACE = 1 << 0,
  F_SIGN = 1 << 1,
  F_LEFT = 1 << 2,
  F_ALT = 1 << 3,
  F_SHORT = 1 << 4,
  F_LONG = 1 << 5,
  F_LONGLONG = 1 << 6,
  F_ZERO = 1 << 7,
  F_UNSIGNED = 1 << 8,
  F_OCTAL = 1 << 9,
  F_HEX = 1 << 10,
  F_UPPER = 1 << 11,
  F_WIDTHARG = 1 << 12,
  F_PREC = 1 << 13,
  F_PRECARG = 1 << 14,
  F_CHAR = 1 << 15,
  F_FLOAT_E = 1 << 16,
  F_FLOAT_G = 1 << 17,
  F_TEXT_ONLY = 1 << 18, /* segment without a conversion */
};

struct arg {
  enum arg_type type;
  union {
    const char *str;
    void *ptr;
    long long s;
    unsigned long long u;
    double d;
  } v;
};

struct segment {
  const char *text; /* literal text before the conversion */
  size_t text_len;
  unsigned flags;
  int width; /* or the index of its argument with F_WIDTHARG */
  int prec;  /* or the index of its argument with F_PRECARG */
  int arg;
};

struct parsed {
  struct segment seg[MAX_SEGMENTS];
  struct arg args[MAX_ARGS];
  int num_seg;
};

/* read_number reads decimal digits up to |max|; false when there are none
 * or the value is larger. */
static bool read_number(const char **pp, long long max, long long *out) {
  const char *p = *pp;
  long long v = 0;
  if (*p < '0' || *p > '9')
    return false;
  for (; *p >= '0' && *p <= '9'; p++) {
    v = v * 10 + (*p - '0');
    if (v > max)
      return false;
  }
  *pp = p;
  *out = v;
  return true;
}

/* positional reads "N$" (1..MAX_ARGS) and returns N-1, or -1. */
static int positional(const char **pp) {
  const char *p = *pp;
  long long n;
  if (!read_number(&p, MAX_ARGS, &n) || *p != '$' || !n)
    return -1;
  *pp = p + 1;
  return (int)n - 1;
}

enum dollar { DOLLAR_UNKNOWN, DOLLAR_NO, DOLLAR_YES };

static bool add_segment(struct parsed *ps, const char *text, size_t len,
                        unsigned flags, int width, int prec, int arg) {
  if (ps->num_seg >= MAX_SEGMENTS)
    return false;
  struct segment *s = &ps->seg[ps->num_seg++];
  s->text = text;
  s->text_len = len;
  s->flags = flags;
  s->width = width;
  s->prec = prec;
  s->arg = arg;
  return true;
}

/* claim marks argument |i| as having |type|. */
static bool claim(struct parsed *ps, unsigned char *used, int i,
                  enum arg_type type, int *max_arg) {
  if (i >= MAX_ARGS)
    return false;
  ps->args[i].type = type;
  used[i / 8] |= (unsigned char)(1u << (i % 8));
  if (i > *max_arg)
    *max_arg = i;
  return true;
}

static bool is_used(const unsigned char *used, int i) {
  return used[i / 8] & (1u << (i % 8));
}

/* parse splits |format| and reads the arguments. false: a format libcurl
 * refuses (then nothing at all is printed). */
static bool parse(struct parsed *ps, const char *format, va_list ap) {
  unsigned char used[MAX_ARGS / 8];
  memset(used, 0, sizeof(used));
  int next_arg = 0;
  int max_arg = -1;
  enum dollar dollar = DOLLAR_UNKNOWN;
  const char *start = format; /* literal text not yet in a segment */
  const char *f = format;
  ps->num_seg = 0;

  while (*f) {
    if (*f != '%') {
      f++;
      continue;
    }
    size_t text_len = (size_t)(f - start);
    f++;
    if (*f == '%') {
      /* "%%": the text so far plus one '%' (which starts the next text). */
      if (text_len && !add_segment(ps, start, text_len, F_TEXT_ONLY, 0, 0, 0))
        return false;
      start = f++;
      continue;
    }
    int arg = -1;
    if (dollar != DOLLAR_NO) {
      arg = positional(&f);
      if (arg < 0) {
        if (dollar == DOLLAR_YES)
          return false;
        dollar = DOLLAR_NO;
      } else {
        dollar = DOLLAR_YES;
      }
    }
    unsigned flags = 0;
    int width = 0, prec = 0;
    long long num;
    bool more = true;
    while (more) {
      switch (*f++) {
      case ' ':
        flags |= F_SPACE;
        break;
      case '+':
        flags |= F_SIGN;
        break;
      case '-':
        flags |= F_LEFT;
        flags &= ~(unsigned)F_ZERO;
        break;
      case '#':
        flags |= F_ALT;
        break;
      case '.':
        if (*f == '*') {
          flags |= F_PRECARG;
          f++;
          if (dollar == DOLLAR_YES) {
            prec = positional(&f);
            if (prec < 0)
              return false;
          } else {
            prec = -1;
          }
        } else {
          bool neg = *f == '-';
          if (neg)
            f++;
          if (!read_number(&f, INT_MAX, &num))
            return false;
          prec = neg ? -(int)num : (int)num;
          flags |= F_PREC;
        }
        if ((flags & (F_PREC | F_PRECARG)) == (F_PREC | F_PRECARG))
          return false;
        break;
      case 'h':
        flags |= F_SHORT;
        break;
      case 'l':
        flags |= (flags & F_LONG) ? F_LONGLONG : F_LONG;
        break;
      case 'q':
        flags |= F_LONGLONG;
        break;
      case 'L': /* long double is read as double, like libcurl */
        break;
      case 'z': /* size_t */
        flags |= sizeof(size_t) > sizeof(long) ? F_LONGLONG : F_LONG;
        break;
      case 'O': /* curl_off_t */
        flags |= sizeof(curl_off_t) > sizeof(long) ? F_LONGLONG : F_LONG;
        break;
      case '0':
        if (!(flags & F_LEFT))
          flags |= F_ZERO;
        /* fall through */
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        f--;
        if (!read_number(&f, INT_MAX, &num))
          return false;
        width = (int)num;
        break;
      case '*':
        flags |= F_WIDTHARG;
        if (dollar == DOLLAR_YES) {
          width = positional(&f);
          if (width < 0)
            return false;
        } else {
          width = -1;
        }
        break;
      default:
        more = false;
        f--;
        break;
      }
    }

    enum arg_type type;
    bool ll = flags & F_LONGLONG, l = flags & F_LONG;
    switch (*f) {
    case 'S':
      flags |= F_ALT;
      /* fall through */
    case 's':
      type = ARG_STRING;
      break;
    case 'n':
      type = ARG_COUNT_PTR;
      break;
    case 'p':
      type = ARG_PTR;
      break;
    case 'd':
    case 'i':
      type = ll ? ARG_LONGLONG : l ? ARG_LONG : ARG_INT;
      break;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      type = ll ? ARG_ULONGLONG : l ? ARG_ULONG : ARG_UINT;
      flags |= F_UNSIGNED;
      if (*f == 'o')
        flags |= F_OCTAL;
      else if (*f == 'x')
        flags |= F_HEX;
      else if (*f == 'X')
        flags |= F_HEX | F_UPPER;
      break;
    case 'c':
      type = ARG_INT;
      flags |= F_CHAR;
      break;
    case 'f':
      type = ARG_DOUBLE;
      break;
    case 'e':
    case 'E':
      type = ARG_DOUBLE;
      flags |= F_FLOAT_E | (*f == 'E' ? F_UPPER : 0);
      break;
    case 'g':
    case 'G':
      type = ARG_DOUBLE;
      flags |= F_FLOAT_G | (*f == 'G' ? F_UPPER : 0);
      break;
    default:
      /* Not a conversion: the whole sequence stays literal text. */
      continue;
    }

    if (flags & F_WIDTHARG) {
      if (width < 0)
        width = next_arg++;
      else if (is_used(used, width))
        return false;
      if (!claim(ps, used, width, ARG_WIDTH, &max_arg))
        return false;
    }
    if (flags & F_PRECARG) {
      if (prec < 0)
        prec = next_arg++;
      else if (is_used(used, prec))
        return false;
      if (!claim(ps, used, prec, ARG_WIDTH, &max_arg))
        return false;
    }
    if (arg < 0)
      arg = next_arg++;
    if (!claim(ps, used, arg, type, &max_arg))
      return false;
    f++;
    if (!add_segment(ps, start, text_len, flags, width, prec, arg))
      return false;
    start = f;
  }
  if (f > start &&
      !add_segment(ps, start, (size_t)(f - start), F_TEXT_ONLY, 0, 0, 0))
    return false;

  /* Read the arguments in order; a gap means an argument of unknown type,
   * which cannot be skipped in a va_list. */
  for (int i = 0; i <= max_arg; i++) {
    struct arg *a = &ps->args[i];
    if (!is_used(used, i))
      return false;
    switch (a->type) {
    case ARG_STRING:
      a->v.str = va_arg(ap, const char *);
      break;
    case ARG_PTR:
    case ARG_COUNT_PTR:
      a->v.ptr = va_arg(ap, void *);
      break;
    case ARG_INT:
    case ARG_WIDTH:
      a->v.s = va_arg(ap, int);
      break;
    case ARG_LONG:
      a->v.s = va_arg(ap, long);
      break;
    case ARG_LONGLONG:
      a->v.s = va_arg(ap, long long);
      break;
    case ARG_UINT:
      a->v.u = va_arg(ap, unsigned int);
      break;
    case ARG_ULONG:
      a->v.u = va_arg(ap, unsigned long);
      break;
    case ARG_ULONGLONG:
      a->v.u = va_arg(ap, unsigned long long);
      break;
    case ARG_DOUBLE:
      a->v.d = va_arg(ap, double);
      break;
    }
  }
  return true;
}

/* The output side: a byte sink that may refuse (full buffer, OOM, EOF);
 * printing stops at the first refusal. */
struct sink {
  bool (*put)(struct sink *s, char c);
  int count;
  /* snprintf */
  char *buf;
  size_t len, max;
  /* aprintf */
  struct cn_buf *dyn;
  bool failed;
  /* fprintf */
  FILE *file;
};

#define OUT(s, c)                                                              \
  do {                                                                         \
    if (!(s)->put((s), (char)(c)))                                             \
      return false;                                                            \
    (s)->count++;                                                              \
  } while (0)

struct props {
  unsigned flags;
  int width;
  int prec; /* -1: none */
};

static bool out_number(struct sink *s, struct props *p, unsigned long long u,
                       long long n) {
  unsigned flags = p->flags;
  int width = p->width, prec = p->prec;
  if (flags & F_CHAR) {
    if (!(flags & F_LEFT))
      while (--width > 0)
        OUT(s, ' ');
    OUT(s, (char)u);
    if (flags & F_LEFT)
      while (--width > 0)
        OUT(s, ' ');
    return true;
  }
  unsigned base = 10;
  const char *digits = "0123456789abcdef";
  bool neg = false;
  bool alt = flags & F_ALT;
  if (flags & F_OCTAL) {
    base = 8;
  } else if (flags & F_HEX) {
    base = 16;
    if (flags & F_UPPER)
      digits = "0123456789ABCDEF";
  } else if (!(flags & F_UNSIGNED)) {
    neg = n < 0;
    /* -(n + 1) + 1 also works for the most negative value. */
    u = neg ? (unsigned long long)(-(n + 1)) + 1 : (unsigned long long)n;
  }
  if (prec == -1)
    prec = 1;

  char work[WORK_SIZE];
  char *end = work + sizeof(work) - 1;
  char *w = end;
  for (; u; u /= base)
    *w-- = digits[u % base];
  int len = (int)(end - w);
  width -= len;
  prec -= len;
  if (alt && base == 8 && prec <= 0) {
    *w-- = '0';
    width--;
  }
  if (prec > 0) {
    width -= prec;
    while (prec-- > 0 && w >= work)
      *w-- = '0';
  }
  if (alt && base == 16)
    width -= 2;
  if (neg || (flags & (F_SIGN | F_SPACE)))
    width--;
  if (!(flags & (F_LEFT | F_ZERO)))
    while (width-- > 0)
      OUT(s, ' ');
  if (neg)
    OUT(s, '-');
  else if (flags & F_SIGN)
    OUT(s, '+');
  else if (flags & F_SPACE)
    OUT(s, ' ');
  if (alt && base == 16) {
    OUT(s, '0');
    OUT(s, (flags & F_UPPER) ? 'X' : 'x');
  }
  if (!(flags & F_LEFT) && (flags & F_ZERO))
    while (width-- > 0)
      OUT(s, '0');
  while (++w <= end)
    OUT(s, *w);
  if (flags & F_LEFT)
    while (width-- > 0)
      OUT(s, ' ');
  return true;
}

static const char nil[] = "(nil)";

static bool out_string(struct sink *s, struct props *p, const char *str) {
  unsigned flags = p->flags;
  int width = p->width;
  size_t len;
  if (!str) {
    /* "(nil)" only when the precision leaves room for all of it. */
    if (p->prec == -1 || p->prec >= (int)sizeof(nil) - 1) {
      str = nil;
      len = sizeof(nil) - 1;
      flags &= ~(unsigned)F_ALT;
    } else {
      str = "";
      len = 0;
    }
  } else if (p->prec != -1) {
    /* The padding counts the precision, not the (maybe shorter) string,
     * as libcurl does. */
    len = (size_t)p->prec;
  } else {
    len = strlen(str);
  }
  width -= len > INT_MAX ? INT_MAX : (int)len;
  if (flags & F_ALT)
    OUT(s, '"');
  if (!(flags & F_LEFT))
    while (width-- > 0)
      OUT(s, ' ');
  for (; len && *str; len--)
    OUT(s, *str++);
  if (flags & F_LEFT)
    while (width-- > 0)
      OUT(s, ' ');
  if (flags & F_ALT)
    OUT(s, '"');
  return true;
}

static bool out_pointer(struct sink *s, struct props *p, const void *ptr) {
  if (ptr) {
    p->flags |= F_HEX | F_ALT | F_UNSIGNED;
    return out_number(s, p, (unsigned long long)(uintptr_t)ptr, 0);
  }
  /* libcurl pads "(nil)" on the side opposite to the '-' flag. */
  int width = p->width - (int)(sizeof(nil) - 1);
  if (p->flags & F_LEFT)
    while (width-- > 0)
      OUT(s, ' ');
  for (const char *c = nil; *c; c++)
    OUT(s, *c);
  if (!(p->flags & F_LEFT))
    while (width-- > 0)
      OUT(s, ' ');
  return true;
}

static bool out_double(struct sink *s, struct props *p, double d) {
  /* Build a format for the C library with the flags, width and a bounded
   * precision (the result must fit WORK_SIZE); like libcurl, the '0' flag
   * is not passed on. */
  char fmt[32] = "%";
  size_t fl = 1;
  unsigned flags = p->flags;
  if (flags & F_LEFT)
    fmt[fl++] = '-';
  if (flags & F_SIGN)
    fmt[fl++] = '+';
  if (flags & F_SPACE)
    fmt[fl++] = ' ';
  if (flags & F_ALT)
    fmt[fl++] = '#';
  int width = p->width;
  if (width >= 0) {
    if (width >= WORK_SIZE)
      width = WORK_SIZE - 1;
    fl += (size_t)snprintf(fmt + fl, sizeof(fmt) - fl, "%d", width);
  }
  int prec = p->prec;
  if (prec >= 0) {
    int maxprec = WORK_SIZE - 1;
    if (prec > maxprec)
      prec = maxprec - 1;
    if (width > 0 && prec <= width)
      maxprec -= width;
    for (double v = d; v >= 10.0; v /= 10)
      maxprec--;
    if (prec > maxprec)
      prec = maxprec - 1;
    if (prec < 0)
      prec = 0;
    fl += (size_t)snprintf(fmt + fl, sizeof(fmt) - fl, ".%d", prec);
  }
  if (flags & F_LONG)
    fmt[fl++] = 'l';
  if (flags & F_FLOAT_E)
    fmt[fl++] = (flags & F_UPPER) ? 'E' : 'e';
  else if (flags & F_FLOAT_G)
    fmt[fl++] = (flags & F_UPPER) ? 'G' : 'g';
  else
    fmt[fl++] = 'f';
  fmt[fl] = '\0';
  char work[WORK_SIZE];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  snprintf(work, sizeof(work), fmt, d);
#pragma GCC diagnostic pop
  for (const char *c = work; *c; c++)
    OUT(s, *c);
  return true;
}

/* format prints |format| into |s|; returns the bytes accepted by the sink
 * (0 for a format that does not parse). */
static int format(struct sink *s, const char *fmtstr, va_list ap) {
  /* On the stack (about 7 KB), so that printing never allocates. */
  struct parsed parsed;
  struct parsed *ps = &parsed;
  if (!parse(ps, fmtstr, ap))
    return 0;
  for (int i = 0; i < ps->num_seg; i++) {
    const struct segment *seg = &ps->seg[i];
    for (size_t k = 0; k < seg->text_len && seg->text[k]; k++) {
      if (!s->put(s, seg->text[k]))
        goto done;
      s->count++;
    }
    if (seg->flags & F_TEXT_ONLY)
      continue;
    struct props p = {seg->flags, seg->width, -1};
    if (p.flags & F_WIDTHARG) {
      long long w = ps->args[seg->width].v.s;
      if (w < 0) {
        /* A negative width is '-' plus the positive width. */
        p.width = w == INT_MIN ? INT_MAX : (int)-w;
        p.flags |= F_LEFT;
        p.flags &= ~(unsigned)F_ZERO;
      } else {
        p.width = (int)w;
      }
    }
    if (p.flags & F_PRECARG) {
      long long pr = ps->args[seg->prec].v.s;
      p.prec = pr < 0 ? -1 : (int)pr;
    } else if (p.flags & F_PREC) {
      p.prec = seg->prec;
    }
    const struct arg *a = &ps->args[seg->arg];
    bool ok = true;
    switch (a->type) {
    case ARG_UINT:
    case ARG_ULONG:
    case ARG_ULONGLONG:
      p.flags |= F_UNSIGNED;
      ok = out_number(s, &p, a->v.u, 0);
      break;
    case ARG_INT:
    case ARG_LONG:
    case ARG_LONGLONG:
    case ARG_WIDTH:
      ok = out_number(s, &p, (unsigned long long)a->v.s, a->v.s);
      break;
    case ARG_STRING:
      ok = out_string(s, &p, a->v.str);
      break;
    case ARG_PTR:
      ok = out_pointer(s, &p, a->v.ptr);
      break;
    case ARG_DOUBLE:
      ok = out_double(s, &p, a->v.d);
      break;
    case ARG_COUNT_PTR:
      if (p.flags & F_LONGLONG)
        *(long long *)a->v.ptr = s->count;
      else if (p.flags & F_LONG)
        *(long *)a->v.ptr = s->count;
      else if (p.flags & F_SHORT)
        *(short *)a->v.ptr = (short)s->count;
      else
        *(int *)a->v.ptr = s->count;
      break;
    }
    if (!ok)
      break;
  }
done:
  return s->count;
}

static bool put_bounded(struct sink *s, char c) {
  if (s->len >= s->max)
    return false;
  s->buf[s->len++] = c;
  return true;
}

static bool put_unbounded(struct sink *s, char c) {
  s->buf[s->len++] = c;
  return true;
}

static bool put_dyn(struct sink *s, char c) {
  if (cn_buf_append_byte(s->dyn, c) < 0) {
    s->failed = true;
    return false;
  }
  return true;
}

static bool put_file(struct sink *s, char c) {
  return fputc((unsigned char)c, s->file) != EOF;
}

int curl_mvsnprintf(char *buffer, size_t maxlength, const char *format_,
                    va_list args) {
  struct sink s = {.put = put_bounded, .buf = buffer, .max = maxlength};
  int n = format(&s, format_, args);
  if (maxlength) {
    if (s.len == maxlength) {
      /* Full: the last byte gives way to the terminator and is not
       * counted. */
      buffer[s.len - 1] = '\0';
      n--;
    } else {
      buffer[s.len] = '\0';
    }
  }
  return n;
}

int curl_msnprintf(char *buffer, size_t maxlength, const char *format_, ...) {
  va_list ap;
  va_start(ap, format_);
  int n = curl_mvsnprintf(buffer, maxlength, format_, ap);
  va_end(ap);
  return n;
}

int curl_mvsprintf(char *buffer, const char *format_, va_list args) {
  struct sink s = {.put = put_unbounded, .buf = buffer};
  int n = format(&s, format_, args);
  buffer[s.len] = '\0';
  return n;
}

int curl_msprintf(char *buffer, const char *format_, ...) {
  va_list ap;
  va_start(ap, format_);
  int n = curl_mvsprintf(buffer, format_, ap);
  va_end(ap);
  return n;
}

int curl_mvfprintf(FILE *fd, const char *format_, va_list args) {
  struct sink s = {.put = put_file, .file = fd};
  return format(&s, format_, args);
}

int curl_mfprintf(FILE *fd, const char *format_, ...) {
  va_list ap;
  va_start(ap, format_);
  int n = curl_mvfprintf(fd, format_, ap);
  va_end(ap);
  return n;
}

int curl_mvprintf(const char *format_, va_list args) {
  return curl_mvfprintf(stdout, format_, args);
}

int curl_mprintf(const char *format_, ...) {
  va_list ap;
  va_start(ap, format_);
  int n = curl_mvfprintf(stdout, format_, ap);
  va_end(ap);
  return n;
}

char *curl_mvaprintf(const char *format_, va_list args) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  struct sink s = {.put = put_dyn, .dyn = &b};
  format(&s, format_, args);
  if (s.failed) {
    cn_buf_cleanup(&b);
    return NULL;
  }
  /* Freed by the application with curl_free(), i.e. cn_free(). */
  char *out = cn_buf_detach(&b);
  cn_buf_cleanup(&b);
  return out;
}

char *curl_maprintf(const char *format_, ...) {
  va_list ap;
  va_start(ap, format_);
  char *s = curl_mvaprintf(format_, ap);
  va_end(ap);
  return s;
}
