/* idna.c: host name to ACE and back (see idna.h for what is checked). */
#include "util/idna.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <libpsl.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/punycode.h"

#define ACE_PREFIX "xn--"
#define ACE_PREFIX_LEN 4
/* RFC 1035 limits: 63 octets a label, 253 a name without its final dot. */
#define MAX_LABEL 63
#define MAX_NAME 253

bool cn_idna_is_ascii(const char *host) {
  if (!host)
    return true;
  for (const unsigned char *p = (const unsigned char *)host; *p; p++)
    if (*p >= 0x80)
      return false;
  return true;
}

/* utf8_next decodes the code point at s[*pos] (strict: no overlong forms,
 * surrogates or values above U+10FFFF) and advances *pos. */
static bool utf8_next(const unsigned char *s, size_t len, size_t *pos,
                      uint32_t *out_cp) {
  size_t i = *pos;
  unsigned char c = s[i];
  size_t n;
  uint32_t cp, min;
  if (c < 0x80) {
    *out_cp = c;
    *pos = i + 1;
    return true;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 1, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3, cp = c & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (len - i - 1 < n)
    return false;
  for (size_t k = 1; k <= n; k++) {
    if ((s[i + k] & 0xC0) != 0x80)
      return false;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if (cp < min || cp > CN_PUNYCODE_MAX_CODE_POINT ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return false;
  *out_cp = cp;
  *pos = i + n + 1;
  return true;
}

static bool utf8_valid(const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  size_t len = strlen(str);
  uint32_t cp;
  for (size_t pos = 0; pos < len;)
    if (!utf8_next(s, len, &pos, &cp))
      return false;
  return true;
}

static int utf8_append(struct cn_buf *b, uint32_t cp) {
  char tmp[4];
  size_t n;
  if (cp < 0x80) {
    tmp[0] = (char)cp, n = 1;
  } else if (cp < 0x800) {
    tmp[0] = (char)(0xC0 | (cp >> 6));
    tmp[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    tmp[0] = (char)(0xE0 | (cp >> 12));
    tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  } else {
    tmp[0] = (char)(0xF0 | (cp >> 18));
    tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
  }
  return cn_buf_append(b, tmp, n);
}

/* locale_to_utf8 reads |in| in the LC_CTYPE locale's charset, as
 * idn2_lookup_ul does, and returns it as validated UTF-8. */
static enum cn_idna_result locale_to_utf8(const char *in, char **out) {
  const char *codeset = nl_langinfo(CODESET);
  if (codeset &&
      (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0)) {
    if (!utf8_valid(in))
      return CN_IDNA_ERR_ENCODING;
    *out = cn_strdup(in);
    return *out ? CN_IDNA_OK : CN_IDNA_ERR_OUT_OF_MEMORY;
  }
  iconv_t cd = iconv_open("UTF-8", codeset ? codeset : "ASCII");
  if (cd == (iconv_t)-1)
    return CN_IDNA_ERR_ENCODING;
  enum cn_idna_result r = CN_IDNA_OK;
  size_t inlen = strlen(in);
  size_t cap = inlen * 4 + 1; /* no single-byte charset needs more */
  char *buf = cn_malloc(cap);
  if (!buf) {
    r = CN_IDNA_ERR_OUT_OF_MEMORY;
    goto out;
  }
  char *src = (char *)in, *dst = buf;
  size_t left = cap - 1;
  if (iconv(cd, &src, &inlen, &dst, &left) == (size_t)-1 ||
      iconv(cd, NULL, NULL, &dst, &left) == (size_t)-1) {
    r = errno == ENOMEM ? CN_IDNA_ERR_OUT_OF_MEMORY : CN_IDNA_ERR_ENCODING;
    goto out;
  }
  *dst = '\0';
  if (!utf8_valid(buf)) {
    r = CN_IDNA_ERR_ENCODING;
    goto out;
  }
  *out = buf;
  buf = NULL;
out:
  cn_free(buf);
  iconv_close(cd);
  return r;
}

/* psl_map is UTS #46's mapping step as far as libpsl does it. */
static enum cn_idna_result psl_map(const char *utf8, char **out) {
  char *lower = NULL;
  psl_error_t pe = psl_str_to_utf8lower(utf8, "utf-8", NULL, &lower);
  if (pe != PSL_SUCCESS || !lower) {
    psl_free_string(lower);
    return pe == PSL_ERR_NO_MEM ? CN_IDNA_ERR_OUT_OF_MEMORY
                                : CN_IDNA_ERR_ENCODING;
  }
  *out = cn_strdup(lower);
  psl_free_string(lower);
  return *out ? CN_IDNA_OK : CN_IDNA_ERR_OUT_OF_MEMORY;
}

/* UTS #46 code points that map to nothing (soft hyphen, zero-width space,
 * word joiner, variation selectors, BOM & co). */
static bool is_ignored(uint32_t cp) {
  return cp == 0x00AD || cp == 0x034F || (cp >= 0x180B && cp <= 0x180D) ||
         cp == 0x180F || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* UTS #46 label separators besides '.' that NFKC leaves alone. */
static bool is_dot(uint32_t cp) {
  return cp == '.' || cp == 0x3002 || cp == 0xFF61;
}

static bool is_joiner(uint32_t cp) { return cp == 0x200C || cp == 0x200D; }

/* is_disallowed: code points no IDNA processing accepts, found without
 * tables. ASCII is judged per label (ascii_ok). */
static bool is_disallowed(uint32_t cp) {
  if (cp < 0x80)
    return cp <= 0x20 || cp == 0x7F;
  if (cp <= 0x9F)
    return true; /* C1 controls */
  if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
    return true; /* private use */
  if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
    return true; /* noncharacters */
  if (cp == 0xFFFC || cp == 0xFFFD || cp == 0x2028 || cp == 0x2029)
    return true;
  if (cp >= 0xE0000 && cp <= 0xE0FFF)
    return true; /* tags */
  return false;
}

/* is_combining: general category M in the blocks that hold only marks;
 * a label must not start with one. */
static bool is_combining(uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
         (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* ascii_ok: |cp| may stand in a label. In a label with non-ASCII
 * characters libidn2 lets through letters, digits, '-' and '_' only; an
 * all-ASCII label keeps what the URL parser accepted, so only what NFKC
 * can newly produce is refused there: libcurl's forbidden host bytes. */
static bool ascii_ok(uint32_t cp, bool ascii_label) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-' ||
      cp == '_')
    return true;
  return ascii_label && !strchr(" /:#?!@{}[]\\$'\"^`*<>=;,+&()%", (int)cp);
}

/* hyphens_ok: UTS #46 CheckHyphens, which libidn2 applies to every label
 * of a name it converts. */
static bool hyphens_ok(const uint32_t *cps, size_t num) {
  return cps[0] != '-' && cps[num - 1] != '-' &&
         !(num >= 4 && cps[2] == '-' && cps[3] == '-');
}

static bool has_ace_prefix(const char *s, size_t len) {
  return len >= ACE_PREFIX_LEN &&
         strncasecmp(s, ACE_PREFIX, ACE_PREFIX_LEN) == 0;
}

/* ace_label_ok checks an ASCII "xn--" label: it must decode to a non-ASCII
 * label whose encoding it is. */
static bool ace_label_ok(const char *label, size_t len) {
  uint32_t cps[MAX_LABEL];
  size_t num = 0;
  if (!cn_punycode_decode(cps, MAX_LABEL, &num, label + ACE_PREFIX_LEN,
                          len - ACE_PREFIX_LEN) ||
      num == 0)
    return false;
  bool non_ascii = false;
  for (size_t i = 0; i < num; i++)
    non_ascii |= cps[i] >= 0x80;
  char again[MAX_LABEL + 1];
  size_t again_len = 0;
  return non_ascii &&
         cn_punycode_encode(again, sizeof(again), &again_len, cps, num) &&
         again_len == len - ACE_PREFIX_LEN &&
         strncasecmp(again, label + ACE_PREFIX_LEN, again_len) == 0;
}

static enum cn_idna_result append_label(struct cn_buf *out, const char *s,
                                        size_t len) {
  return cn_buf_append(out, s, len) < 0 ? CN_IDNA_ERR_OUT_OF_MEMORY
                                        : CN_IDNA_OK;
}

/* encode_label appends one mapped label (|num| code points) to |out|. */
static enum cn_idna_result encode_label(struct cn_buf *out, const uint32_t *cps,
                                        size_t num) {
  bool ascii = true;
  for (size_t i = 0; i < num; i++)
    ascii &= cps[i] < 0x80;
  for (size_t i = 0; i < num; i++)
    if (cps[i] < 0x80 && !ascii_ok(cps[i], ascii))
      return CN_IDNA_ERR_DISALLOWED;
  if (ascii) {
    char label[MAX_LABEL + 1];
    if (num > MAX_LABEL)
      return CN_IDNA_ERR_TOO_LONG;
    for (size_t i = 0; i < num; i++)
      label[i] = (char)cps[i];
    if (has_ace_prefix(label, num))
      return ace_label_ok(label, num) ? append_label(out, label, num)
                                      : CN_IDNA_ERR_PUNYCODE;
    if (!hyphens_ok(cps, num))
      return CN_IDNA_ERR_HYPHEN;
    return append_label(out, label, num);
  }
  if (!hyphens_ok(cps, num))
    return CN_IDNA_ERR_HYPHEN;
  if (is_combining(cps[0]))
    return CN_IDNA_ERR_COMBINING;
  char puny[MAX_LABEL - ACE_PREFIX_LEN + 1];
  size_t puny_len = 0;
  if (!cn_punycode_encode(puny, sizeof(puny), &puny_len, cps, num))
    return CN_IDNA_ERR_TOO_LONG;
  if (cn_buf_append_str(out, ACE_PREFIX) < 0 ||
      cn_buf_append(out, puny, puny_len) < 0)
    return CN_IDNA_ERR_OUT_OF_MEMORY;
  return CN_IDNA_OK;
}

/* to_ace maps the code points of the mapped name |s| (UTF-8) and encodes
 * it label by label into |out|. */
static enum cn_idna_result to_ace(struct cn_buf *out, const char *s,
                                  bool transitional) {
  size_t len = strlen(s);
  uint32_t *cps = cn_malloc((2 * len + 1) * sizeof(*cps));
  if (!cps)
    return CN_IDNA_ERR_OUT_OF_MEMORY;
  enum cn_idna_result r = CN_IDNA_OK;
  size_t num = 0;
  for (size_t pos = 0; pos < len;) {
    uint32_t cp;
    if (!utf8_next((const unsigned char *)s, len, &pos, &cp)) {
      r = CN_IDNA_ERR_ENCODING;
      goto out;
    }
    if (cp >= 'A' && cp <= 'Z')
      cp += 'a' - 'A'; /* NFKC ran after lower-casing ("℡" -> "TEL") */
    if (is_ignored(cp))
      continue;
    if (is_joiner(cp)) {
      /* IDNA2008 allows joiners only after a virama (CONTEXTJ), which needs
       * tables; libcurl's transitional retry drops them. */
      if (!transitional) {
        r = CN_IDNA_ERR_DISALLOWED;
        goto out;
      }
      continue;
    }
    if (transitional && cp == 0x00DF) {
      cps[num++] = 's';
      cps[num++] = 's';
      continue;
    }
    if (transitional && cp == 0x03C2)
      cp = 0x03C3;
    if (is_dot(cp))
      cp = '.';
    else if (is_disallowed(cp)) {
      r = CN_IDNA_ERR_DISALLOWED;
      goto out;
    }
    cps[num++] = cp;
  }
  size_t start = 0;
  for (size_t i = 0; i <= num && r == CN_IDNA_OK; i++) {
    if (i < num && cps[i] != '.')
      continue;
    if (i > start)
      r = encode_label(out, cps + start, i - start);
    if (r == CN_IDNA_OK && i < num && cn_buf_append_byte(out, '.') < 0)
      r = CN_IDNA_ERR_OUT_OF_MEMORY;
    start = i + 1;
  }
  if (r == CN_IDNA_OK) {
    size_t n = out->len;
    if (n > 0 && out->data[n - 1] == '.')
      n--;
    if (n > MAX_NAME)
      r = CN_IDNA_ERR_TOO_LONG;
  }
out:
  cn_free(cps);
  return r;
}

/* finish hands |b|'s text to *out when |r| is success and releases |b|. */
static enum cn_idna_result finish(struct cn_buf *b, enum cn_idna_result r,
                                  char **out) {
  if (r == CN_IDNA_OK) {
    char *s = cn_buf_detach(b);
    if (s)
      *out = s;
    else
      r = CN_IDNA_ERR_OUT_OF_MEMORY;
  }
  cn_buf_cleanup(b);
  return r;
}

enum cn_idna_result cn_idna_to_ascii(const char *host, char **out_ace) {
  if (cn_idna_is_ascii(host)) {
    char *copy = cn_strdup(host ? host : "");
    if (!copy)
      return CN_IDNA_ERR_OUT_OF_MEMORY;
    *out_ace = copy;
    return CN_IDNA_OK;
  }
  char *utf8 = NULL, *mapped = NULL;
  struct cn_buf b;
  cn_buf_init(&b, 0);
  enum cn_idna_result r = locale_to_utf8(host, &utf8);
  if (r == CN_IDNA_OK)
    r = psl_map(utf8, &mapped);
  if (r == CN_IDNA_OK) {
    r = to_ace(&b, mapped, false);
    if (r == CN_IDNA_ERR_DISALLOWED) {
      cn_buf_reset(&b);
      r = to_ace(&b, mapped, true);
    }
  }
  r = finish(&b, r, out_ace);
  cn_free(utf8);
  cn_free(mapped);
  return r;
}

enum cn_idna_result cn_idna_to_unicode(const char *host, char **out_utf8) {
  struct cn_buf b;
  cn_buf_init(&b, 0);
  enum cn_idna_result r = CN_IDNA_OK;
  const char *p = host ? host : "";
  uint32_t cps[MAX_LABEL];
  for (;;) {
    size_t len = strcspn(p, ".");
    if (has_ace_prefix(p, len)) {
      size_t num = 0;
      if (!cn_punycode_decode(cps, MAX_LABEL, &num, p + ACE_PREFIX_LEN,
                              len - ACE_PREFIX_LEN) ||
          num == 0) {
        r = CN_IDNA_ERR_PUNYCODE;
        break;
      }
      for (size_t i = 0; i < num && r == CN_IDNA_OK; i++)
        if (utf8_append(&b, cps[i]) < 0)
          r = CN_IDNA_ERR_OUT_OF_MEMORY;
    } else if (cn_buf_append(&b, p, len) < 0) {
      r = CN_IDNA_ERR_OUT_OF_MEMORY;
    }
    if (r != CN_IDNA_OK || !p[len])
      break;
    if (cn_buf_append_byte(&b, '.') < 0) {
      r = CN_IDNA_ERR_OUT_OF_MEMORY;
      break;
    }
    p += len + 1;
  }
  return finish(&b, r, out_utf8);
}

const char *cn_idna_strerror(enum cn_idna_result r) {
  switch (r) {
  case CN_IDNA_OK:
    return "success";
  case CN_IDNA_ERR_OUT_OF_MEMORY:
    return "out of memory";
  case CN_IDNA_ERR_ENCODING:
    return "string could not be converted to UTF-8";
  case CN_IDNA_ERR_DISALLOWED:
    return "disallowed code point";
  case CN_IDNA_ERR_HYPHEN:
    return "hyphen at the start, the end or positions 3 and 4 of a label";
  case CN_IDNA_ERR_COMBINING:
    return "label starts with a combining mark";
  case CN_IDNA_ERR_TOO_LONG:
    return "label or name too long";
  case CN_IDNA_ERR_PUNYCODE:
    return "invalid punycode label";
  }
  return "unknown IDNA error";
}
