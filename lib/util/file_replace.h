/* file_replace.h: writing a small state file (HSTS or alt-svc cache) the
 * way libcurl does: into a temporary file next to it, renamed over the
 * old one, so a reader never sees half a file. */
#ifndef CN_UTIL_FILE_REPLACE_H
#define CN_UTIL_FILE_REPLACE_H

#include <stddef.h>

/* cn_file_replace writes |len| bytes to |path|. CN_OK,
 * CN_ERR_FILE_WRITE_FAILED or CN_ERR_OUT_OF_MEMORY; on failure |path| is
 * left as it was and no temporary file remains. */
int cn_file_replace(const char *path, const void *data, size_t len);

#endif
