/* punycode.c: RFC 3492 encoder and decoder with checked arithmetic. */
#include "util/punycode.h"

#include <string.h>

/* The Bootstring parameters RFC 3492 section 5 fixes for Punycode. */
enum {
  BASE = 36,
  TMIN = 1,
  TMAX = 26,
  SKEW = 38,
  DAMP = 700,
  INITIAL_BIAS = 72,
  INITIAL_N = 0x80,
  DELIMITER = '-',
};

/* adapt is RFC 3492 section 6.1's bias adaptation. */
static uint32_t adapt(uint32_t delta, uint32_t num_points, bool first) {
  delta = first ? delta / DAMP : delta / 2;
  delta += delta / num_points;
  uint32_t k = 0;
  while (delta > ((BASE - TMIN) * TMAX) / 2) {
    delta /= BASE - TMIN;
    k += BASE;
  }
  return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

/* threshold is t(k) for digit position |k| under |bias|, clamped to
 * [TMIN, TMAX]. */
static uint32_t threshold(uint32_t k, uint32_t bias) {
  if (k <= bias)
    return TMIN;
  if (k >= bias + TMAX)
    return TMAX;
  return k - bias;
}

static char digit_char(uint32_t d) {
  return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

/* digit_value returns the digit |c| stands for, BASE when it is none. */
static uint32_t digit_value(unsigned char c) {
  if (c >= 'a' && c <= 'z')
    return c - 'a';
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= '0' && c <= '9')
    return c - '0' + 26;
  return BASE;
}

/* put appends one byte, keeping room for the terminating NUL. */
static bool put(char *out, size_t out_size, size_t *pos, char c) {
  if (*pos + 1 >= out_size)
    return false;
  out[(*pos)++] = c;
  return true;
}

bool cn_punycode_encode(char *out, size_t out_size, size_t *out_len,
                        const uint32_t *cps, size_t num_cps) {
  size_t pos = 0;
  size_t num_basic = 0;
  for (size_t i = 0; i < num_cps; i++) {
    if (cps[i] > CN_PUNYCODE_MAX_CODE_POINT)
      return false;
    if (cps[i] < 0x80) {
      if (!put(out, out_size, &pos, (char)cps[i]))
        return false;
      num_basic++;
    }
  }
  if (num_basic > 0 && !put(out, out_size, &pos, DELIMITER))
    return false;
  /* A label longer than this cannot be a host name label anyway, and the
   * bound keeps every counter below comfortably in 32 bits. */
  if (num_cps > 0xFFFF)
    return false;
  uint32_t n = INITIAL_N;
  uint32_t delta = 0;
  uint32_t bias = INITIAL_BIAS;
  size_t handled = num_basic;
  while (handled < num_cps) {
    uint32_t m = UINT32_MAX;
    for (size_t i = 0; i < num_cps; i++)
      if (cps[i] >= n && cps[i] < m)
        m = cps[i];
    uint32_t steps = (uint32_t)handled + 1;
    if (m - n > (UINT32_MAX - delta) / steps)
      return false;
    delta += (m - n) * steps;
    n = m;
    for (size_t i = 0; i < num_cps; i++) {
      if (cps[i] < n) {
        if (delta == UINT32_MAX)
          return false;
        delta++;
      } else if (cps[i] == n) {
        uint32_t q = delta;
        for (uint32_t k = BASE;; k += BASE) {
          uint32_t t = threshold(k, bias);
          if (q < t)
            break;
          uint32_t d = t + (q - t) % (BASE - t);
          if (!put(out, out_size, &pos, digit_char(d)))
            return false;
          q = (q - t) / (BASE - t);
        }
        if (!put(out, out_size, &pos, digit_char(q)))
          return false;
        bias = adapt(delta, (uint32_t)handled + 1, handled == num_basic);
        delta = 0;
        handled++;
      }
    }
    if (delta == UINT32_MAX || n == UINT32_MAX)
      return false;
    delta++;
    n++;
  }
  if (out_size == 0)
    return false;
  out[pos] = '\0';
  *out_len = pos;
  return true;
}

bool cn_punycode_decode(uint32_t *out_cps, size_t max_cps, size_t *out_num_cps,
                        const char *in, size_t len) {
  const unsigned char *s = (const unsigned char *)in;
  for (size_t i = 0; i < len; i++)
    if (s[i] < 0x20 || s[i] >= 0x7F)
      return false;
  /* Everything before the last delimiter is copied literally. */
  size_t basic_end = 0;
  for (size_t i = len; i > 0; i--) {
    if (s[i - 1] == DELIMITER) {
      basic_end = i - 1;
      break;
    }
  }
  if (basic_end > max_cps)
    return false;
  size_t num = 0;
  for (size_t i = 0; i < basic_end; i++)
    out_cps[num++] = s[i];
  size_t pos = basic_end > 0 ? basic_end + 1 : 0;
  uint32_t n = INITIAL_N;
  uint32_t i = 0;
  uint32_t bias = INITIAL_BIAS;
  while (pos < len) {
    uint32_t old_i = i;
    uint32_t w = 1;
    for (uint32_t k = BASE;; k += BASE) {
      if (pos >= len)
        return false;
      uint32_t digit = digit_value(s[pos++]);
      if (digit >= BASE)
        return false;
      if (digit > (UINT32_MAX - i) / w)
        return false;
      i += digit * w;
      uint32_t t = threshold(k, bias);
      if (digit < t)
        break;
      if (w > UINT32_MAX / (BASE - t))
        return false;
      w *= BASE - t;
    }
    if (num >= max_cps)
      return false;
    uint32_t count = (uint32_t)num + 1;
    bias = adapt(i - old_i, count, old_i == 0);
    if (i / count > UINT32_MAX - n)
      return false;
    n += i / count;
    i %= count;
    if (n > CN_PUNYCODE_MAX_CODE_POINT || (n >= 0xD800 && n <= 0xDFFF) ||
        n < INITIAL_N)
      return false;
    memmove(out_cps + i + 1, out_cps + i, (num - i) * sizeof(*out_cps));
    out_cps[i] = n;
    num++;
    i++;
  }
  *out_num_cps = num;
  return true;
}
