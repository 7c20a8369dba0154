/* tls_version.c: the TLS library's name for curl_version(). */
#include "tls/ssl_client_socket.h"

#include "cn_build_config.h"

/* Short revision like libcurl's "BoringSSL" entry in curl_version(); the
 * build records the full commit of the BoringSSL it linked. */
const char *cn_tls_library_version(void) {
  static char version[32];
  if (!version[0]) {
    const char *rev = CN_BORINGSSL_REVISION;
    size_t n = 0;
    const char prefix[] = "BoringSSL/";
    for (size_t i = 0; prefix[i]; i++)
      version[n++] = prefix[i];
    if (rev[0] == '\0' || rev[0] == 'u') { /* "unknown" */
      version[n - 1] = '\0';
    } else {
      for (size_t i = 0; rev[i] && i < 8; i++)
        version[n++] = rev[i];
      version[n] = '\0';
    }
  }
  return version;
}
