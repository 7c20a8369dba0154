/* punycode.h: RFC 3492 Punycode, the Bootstring encoding IDNA uses to
 * carry a Unicode label in ASCII ("åäö" <-> "4cab6c"; the "xn--" prefix is
 * the caller's business, see util/idna.h).
 *
 * Both directions work on one label, hold no state and allocate nothing:
 * the caller owns every buffer. Arithmetic is checked, so hostile input can
 * neither overflow nor loop: it fails. */
#ifndef CN_UTIL_PUNYCODE_H
#define CN_UTIL_PUNYCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest Unicode scalar value. */
#define CN_PUNYCODE_MAX_CODE_POINT 0x10FFFFu

/* cn_punycode_encode writes the Punycode form of the |num_cps| code points
 * |cps| to |out| (|out_size| bytes, always NUL-terminated on success) and
 * its length to *out_len. Basic code points (< 0x80) are copied as given
 * (no case mapping). Returns false, with *out_len untouched, when a code
 * point is above CN_PUNYCODE_MAX_CODE_POINT, a delta overflows 32 bits, or
 * |out| is too small. */
bool cn_punycode_encode(char *out, size_t out_size, size_t *out_len,
                        const uint32_t *cps, size_t num_cps);

/* cn_punycode_decode decodes the |len| bytes of |in| (without "xn--") into
 * at most |max_cps| code points at |out_cps| and stores their number in
 * *out_num_cps. Digits are case-insensitive; basic code points are copied
 * as given. Returns false, with *out_num_cps untouched, on a byte outside
 * printable ASCII, a bad or truncated digit sequence, an overflow, a result
 * above CN_PUNYCODE_MAX_CODE_POINT or in the surrogate range, or more than
 * |max_cps| code points. */
bool cn_punycode_decode(uint32_t *out_cps, size_t max_cps, size_t *out_num_cps,
                        const char *in, size_t len);

#endif /* CN_UTIL_PUNYCODE_H */
