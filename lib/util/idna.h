/* idna.h: internationalized host names, the way libcurl built with libidn2
 * converts them (IDNA2008 lookup with UTS #46 processing).
 *
 * cn_idna_to_ascii turns a host with non-ASCII bytes into its ACE form
 * ("www.åäö.se" -> "www.xn--4cab6c.se"), which is what goes to DNS, the Host
 * header, SNI, cookies and connection keys; cn_idna_to_unicode turns the
 * "xn--" labels of an ASCII host back into UTF-8 (CURLU_PUNY2IDN).
 *
 * The mapping step (case folding and compatibility normalisation) is
 * libpsl's psl_str_to_utf8lower(): with Debian's libpsl that is
 * libunistring's u8_tolower with NFKC normalisation, i.e. lower case then
 * NFKC. What needs no Unicode tables is done here: UTF-8 and locale
 * checks, the UTS #46 label separators and ignored code points, code points
 * that are never valid (controls, private use, noncharacters, U+FFFD, leading
 * combining marks of the common blocks), hyphen rules, label and name
 * lengths, and "xn--" labels that must decode. Unassigned code points,
 * IDNA2008's contextual rules and bidi rules are not checked (see
 * docs/COMPAT.md).
 *
 * Outputs are cn_malloc'd and owned by the caller; nothing is kept. */
#ifndef CN_UTIL_IDNA_H
#define CN_UTIL_IDNA_H

#include <stdbool.h>

enum cn_idna_result {
  CN_IDNA_OK = 0,
  CN_IDNA_ERR_OUT_OF_MEMORY = 1,
  CN_IDNA_ERR_ENCODING = 2,   /* not text in the locale's charset/UTF-8 */
  CN_IDNA_ERR_DISALLOWED = 3, /* a code point IDNA never allows */
  CN_IDNA_ERR_HYPHEN = 4,     /* leading/trailing '-' or "--" at 3-4 */
  CN_IDNA_ERR_COMBINING = 5,  /* label starts with a combining mark */
  CN_IDNA_ERR_TOO_LONG = 6,   /* label over 63 or name over 253 octets */
  CN_IDNA_ERR_PUNYCODE = 7,   /* an "xn--" label that does not decode */
};

/* cn_idna_is_ascii: |host| has no byte >= 0x80 (NULL counts as ASCII). */
bool cn_idna_is_ascii(const char *host);

/* cn_idna_to_ascii converts |host| (in the charset of the current
 * LC_CTYPE locale, as libidn2's idn2_lookup_ul reads it: a program that
 * never called setlocale() is in the "C" locale, where non-ASCII bytes are
 * not text) to its lower-case ACE form in *out_ace. An ASCII |host| is
 * copied unchanged. Non-transitional processing first; when that fails
 * only on a ZERO WIDTH (NON-)JOINER it retries with transitional mapping
 * (ß -> ss, ς -> σ, joiners dropped), as libcurl retries with
 * IDN2_TRANSITIONAL. Returns CN_IDNA_OK or an error; *out_ace is written
 * only on success. */
enum cn_idna_result cn_idna_to_ascii(const char *host, char **out_ace);

/* cn_idna_to_unicode decodes each "xn--" label (any case) of |host| to
 * UTF-8 in *out_utf8, copying other labels as they are. Returns CN_IDNA_OK,
 * CN_IDNA_ERR_PUNYCODE for a label that does not decode to valid code
 * points, or CN_IDNA_ERR_OUT_OF_MEMORY; *out_utf8 is written only on
 * success. */
enum cn_idna_result cn_idna_to_unicode(const char *host, char **out_utf8);

/* cn_idna_strerror names |r| for logs ("disallowed code point"). */
const char *cn_idna_strerror(enum cn_idna_result r);

#endif /* CN_UTIL_IDNA_H */
