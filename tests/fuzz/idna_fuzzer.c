/* idna_fuzzer.c: libFuzzer target for util/punycode.c and util/idna.c.
 *
 * Differential checks (any failure traps):
 *  - a Punycode string that decodes re-encodes to something that decodes
 *    to the same code points;
 *  - a host cn_idna_to_ascii accepts comes out ASCII, within 253 octets
 *    (a final dot aside), and every "xn--" label of it decodes with
 *    cn_idna_to_unicode.
 *
 * Not wired into meson. Build with clang from the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
 *     -D_GNU_SOURCE -Ilib -Iinclude tests/fuzz/idna_fuzzer.c \
 *     lib/util/idna.c lib/util/punycode.c lib/util/alloc.c lib/util/buf.c \
 *     lib/util/net_error.c -lpsl -o /tmp/idna_fuzzer
 *   /tmp/idna_fuzzer -max_len=512 corpus_dir/
 *
 * Input: the bytes of a host name (or of a Punycode label). */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/idna.h"
#include "util/punycode.h"

#define MAX_CPS 1024

static void check_punycode(const uint8_t *data, size_t size) {
  static uint32_t cps[MAX_CPS], again[MAX_CPS];
  static char enc[8 * MAX_CPS];
  size_t num = 0, num2 = 0, len = 0;
  if (!cn_punycode_decode(cps, MAX_CPS, &num, (const char *)data, size))
    return;
  if (!cn_punycode_encode(enc, sizeof(enc), &len, cps, num))
    __builtin_trap();
  if (!cn_punycode_decode(again, MAX_CPS, &num2, enc, len) || num2 != num ||
      memcmp(again, cps, num * sizeof(*cps)) != 0)
    __builtin_trap();
}

static void check_idna(const char *host) {
  char *ace = NULL;
  if (cn_idna_to_ascii(host, &ace) != CN_IDNA_OK)
    return;
  size_t n = strlen(ace);
  if (!cn_idna_is_ascii(ace))
    __builtin_trap();
  if (!cn_idna_is_ascii(host) && n - (n && ace[n - 1] == '.') > 253)
    __builtin_trap();
  char *back = NULL;
  enum cn_idna_result r = cn_idna_to_unicode(ace, &back);
  if (!cn_idna_is_ascii(host) && r != CN_IDNA_OK)
    __builtin_trap();
  cn_free(back);
  cn_free(ace);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int init;
  if (!init) {
    setlocale(LC_CTYPE, "C.UTF-8");
    init = 1;
  }
  check_punycode(data, size);
  char *host = malloc(size + 1);
  if (!host)
    return 0;
  memcpy(host, data, size);
  host[size] = '\0';
  check_idna(host);
  free(host);
  return 0;
}
