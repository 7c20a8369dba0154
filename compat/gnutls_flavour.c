/* gnutls_flavour.c: linked into libcurl-gnutls.so.4 only. Programs Debian
 * built against its GnuTLS libcurl check the backend by that name; see
 * struct cn_tls_backend_alias in lib/api/global.h for why answering to it
 * is safe and what still reports BoringSSL. */
#include "api/global.h"

const struct cn_tls_backend_alias cn_flavour_backend_alias = {
    CURLSSLBACKEND_GNUTLS, "gnutls"};
