/* keylog.h: NSS key log output for SSLKEYLOGFILE (as libcurl does), so
 * that packet captures of our TLS can be decrypted.
 *
 * The file is opened once by cn_keylog_open (from cn_tls_global_init) and
 * shared by every SSL_CTX made afterwards. */
#ifndef CN_TLS_KEYLOG_H
#define CN_TLS_KEYLOG_H

#include <stdbool.h>

struct ssl_st;

/* cn_keylog_open opens $SSLKEYLOGFILE for appending if the variable is set
 * and the file is not open yet. Failure to open is silent (libcurl). */
void cn_keylog_open(void);
void cn_keylog_close(void);
bool cn_keylog_enabled(void);
/* cn_keylog_write_line has the shape of BoringSSL's keylog callback. */
void cn_keylog_write_line(const struct ssl_st *ssl, const char *line);

#endif
