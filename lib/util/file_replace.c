/* file_replace.c: temporary file + rename. */
#include "util/file_replace.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/net_error.h"

int cn_file_replace(const char *path, const void *data, size_t len) {
  size_t tmp_len = strlen(path) + 32;
  char *tmp = cn_malloc(tmp_len);
  if (!tmp)
    return CN_ERR_OUT_OF_MEMORY;
  snprintf(tmp, tmp_len, "%s.%ld.tmp", path, (long)getpid());
  int rv = CN_ERR_FILE_WRITE_FAILED;
  FILE *f = fopen(tmp, "we");
  if (f) {
    bool ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
      rv = CN_OK;
    else
      unlink(tmp);
  }
  cn_free(tmp);
  return rv;
}
