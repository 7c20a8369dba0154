/* connect_to.h: CURLOPT_CONNECT_TO matching. Each line is
 * "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"; an empty HOST or PORT matches
 * any, an empty CONNECT-TO part keeps the original. IPv6 hosts are written
 * in brackets. The first matching line wins (libcurl's rule). */
#ifndef CN_URL_REQUEST_CONNECT_TO_H
#define CN_URL_REQUEST_CONNECT_TO_H

#include <stddef.h>

/* cn_connect_to_lookup finds the redirection for |host|:|port|. On a match
 * *out_host is a cn_malloc'd host without brackets (NULL when the line keeps
 * the host) and *out_port the port (0 when kept); returns 1. Returns 0 when
 * no line matches, CN_ERR_OUT_OF_MEMORY, or CN_ERR_INVALID_ARGUMENT for a
 * malformed matching line. */
int cn_connect_to_lookup(const char *const *lines, size_t num_lines,
                         const char *host, int port, char **out_host,
                         int *out_port);

#endif
