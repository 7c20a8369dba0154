/* keylog.c: SSLKEYLOGFILE support. */
#include "tls/keylog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *keylog_fp;

void cn_keylog_open(void) {
  if (keylog_fp)
    return;
  const char *name = getenv("SSLKEYLOGFILE");
  if (!name || !*name)
    return;
  keylog_fp = fopen(name, "a");
  /* Line buffering: a capture tool reading the file sees whole lines, and
   * nothing is lost if the program exits without cleanup. */
  if (keylog_fp)
    setvbuf(keylog_fp, NULL, _IOLBF, 4096);
}

void cn_keylog_close(void) {
  if (keylog_fp) {
    fclose(keylog_fp);
    keylog_fp = NULL;
  }
}

bool cn_keylog_enabled(void) { return keylog_fp != NULL; }

void cn_keylog_write_line(const struct ssl_st *ssl, const char *line) {
  (void)ssl;
  if (!keylog_fp || !line || !*line)
    return;
  size_t len = strlen(line);
  /* One fwrite per line keeps lines whole when several threads log. */
  char buf[512];
  if (len + 1 < sizeof(buf)) {
    memcpy(buf, line, len);
    buf[len] = '\n';
    fwrite(buf, 1, len + 1, keylog_fp);
  } else {
    fprintf(keylog_fp, "%s\n", line);
  }
}
