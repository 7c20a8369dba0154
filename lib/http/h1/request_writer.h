/* request_writer.h: serialises an HTTP/1.x request head (request line,
 * header lines in list order, blank line) into a cn_buf. Pure function: no
 * I/O, no state. */
#ifndef CN_HTTP_H1_REQUEST_WRITER_H
#define CN_HTTP_H1_REQUEST_WRITER_H

#include "http/http_request_headers.h"
#include "util/buf.h"

/* cn_h1_request_writer_write appends
 *   "<method> <request_target> HTTP/1.<http_minor>\r\n"
 *   every header line of |headers| (may be NULL) + "\r\n"
 *   "\r\n"
 * to |out|. |request_target| is sent as given: origin-form ("/p?q"),
 * absolute-form for a plain proxy ("http://host/p?q"), authority-form for
 * CONNECT ("host:443") or "*". Method and target are not validated beyond
 * being non-empty and free of CR/LF (libcurl sends custom methods
 * verbatim). |http_minor| is 0 or 1.
 * Returns CN_OK, CN_ERR_INVALID_ARGUMENT, CN_ERR_OUT_OF_MEMORY or
 * CN_ERR_FILE_TOO_BIG (past |out|'s max); on failure |out| is unchanged. */
int cn_h1_request_writer_write(struct cn_buf *out, const char *method,
                               const char *request_target, int http_minor,
                               const struct cn_http_request_headers *headers);

#endif
