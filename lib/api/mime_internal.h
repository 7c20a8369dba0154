/* mime_internal.h: what curl_mime and curl_mimepart are inside curlium, and
 * the functions the rest of lib/api uses to send a MIME tree as an HTTP
 * request body (CURLOPT_MIMEPOST, CURLOPT_HTTPPOST, curl_formget).
 *
 * A tree is read by walking it: every part and multipart keeps its own read
 * position, so the tree is the stream (as in libcurl). Each part's headers
 * are prepared (generated from its name, filename, type, encoder and the
 * program's extra headers) right before a transfer reads it; the result is
 * byte for byte what libcurl 8.14 sends, boundaries aside.
 *
 * Ownership:
 * - A curl_mime owns its parts. A part owns its strings, its data copy, the
 *   file it has open, and its subparts when they were attached with
 *   curl_mime_subparts (freeing the parent frees them). A mime bound to an
 *   easy handle's CURLOPT_MIMEPOST slot is not owned by it: curl_mime_free
 *   unbinds it from the handle, so either may go first.
 * - The CURLOPT_MIMEPOST slot (cn_mime_post_*) is a top part owned by the
 *   easy handle's options. */
#ifndef CN_API_MIME_INTERNAL_H
#define CN_API_MIME_INTERNAL_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "api/mime_encoders.h"
#include "util/net_error.h"

struct cn_net_log;
struct cn_upload_data_stream;

/* libcurl 8.14's boundary: 24 dashes and 22 random letters and digits. */
#define CN_MIME_BOUNDARY_DASHES 24
#define CN_MIME_BOUNDARY_RANDOM 22
#define CN_MIME_BOUNDARY_LEN (CN_MIME_BOUNDARY_DASHES + CN_MIME_BOUNDARY_RANDOM)
/* Under impersonation the browser's style (lib/impersonate
 * cn_form_boundary): WebKit "----WebKitFormBoundary" + 16 letters and
 * digits, Firefox "----geckoformboundary" + 32 hex digits. */
#define CN_MIME_BOUNDARY_MAX 70

enum cn_mime_kind {
  CN_MIME_KIND_NONE = 0, /* no content (empty body) */
  CN_MIME_KIND_DATA,     /* a copy in |data|, |datasize| bytes */
  CN_MIME_KIND_FILE,     /* the file named by |data|, opened when read */
  CN_MIME_KIND_CALLBACK, /* the program's read callback */
  CN_MIME_KIND_MULTIPART /* |subparts| */
};

/* What the last read of a part's raw content said (sticky until a rewind,
 * or, for PAUSE, until cn_mime_unpause). */
enum cn_mime_read_status {
  CN_MIME_READ_MORE = 0, /* data may follow */
  CN_MIME_READ_EOF,
  CN_MIME_READ_PAUSE,  /* CURL_READFUNC_PAUSE */
  CN_MIME_READ_ABORT,  /* CURL_READFUNC_ABORT */
  CN_MIME_READ_ERROR,  /* file or callback failure, 7bit violation */
  CN_MIME_READ_FUNNY,  /* a callback returned more than asked for */
  CN_MIME_READ_NO_ROOM, /* the buffer is too small for the next unit */
  CN_MIME_READ_STOP     /* inside mime.c only: a second file or callback
                           read in one call waits for the next call */
};

/* Ordered: a rewind must seek the content once a part is past its
 * target state (BEGIN, or BODY for a body-only part). */
enum cn_mime_part_state {
  CN_MIME_PART_BEGIN = 0,
  CN_MIME_PART_HEADERS,
  CN_MIME_PART_BODY, /* content about to start */
  CN_MIME_PART_CONTENT,
  CN_MIME_PART_END
};

enum cn_mime_multi_state {
  CN_MIME_MULTI_BEGIN = 0,
  CN_MIME_MULTI_DELIMITER, /* "\r\n--boundary\r\n" before |cur|, or the
                              closing "\r\n--boundary--\r\n" */
  CN_MIME_MULTI_PART,
  CN_MIME_MULTI_END
};

struct curl_mime {
  struct curl_mimepart *parent; /* the part whose content this is, or NULL */
  struct curl_mimepart *first;
  struct curl_mimepart *last;
  char boundary[CN_MIME_BOUNDARY_MAX + 1];
  size_t boundary_len;
  /* reading */
  enum cn_mime_multi_state state;
  struct curl_mimepart *cur;
  size_t delim_off;
};

struct curl_mimepart {
  struct curl_mime *parent; /* owning multipart; NULL for a top part */
  struct curl_mimepart *next;

  enum cn_mime_kind kind;
  char *data;       /* DATA: the bytes (NUL-terminated); FILE: the path */
  int64_t datasize; /* raw content length, -1 unknown */
  FILE *fp;         /* FILE: open while being read */
  curl_read_callback readfunc; /* CALLBACK */
  curl_seek_callback seekfunc;
  curl_free_callback freefunc;
  void *arg;
  struct curl_mime *subparts; /* MULTIPART */
  bool owns_subparts;

  char *name;
  char *filename;
  char *mimetype;
  struct curl_slist *userheaders;
  bool owns_userheaders;
  const struct cn_mime_encoder *encoder;
  bool body_only; /* top part: its headers go into the HTTP request head */

  /* Prepared headers: generated lines (without CRLF) and the whole header
   * block as read (generated + program lines but Content-Type + CRLFs). */
  struct curl_slist *curlheaders;
  char *hdr_block;
  size_t hdr_len;

  /* reading */
  enum cn_mime_part_state state;
  size_t hdr_off;
  int64_t offset; /* raw content bytes read */
  enum cn_mime_read_status raw_status;
  struct cn_mime_enc_state enc;
};

/* cn_mime_part_init sets up an embedded part with no content (curl_formget's
 * top part); cn_mime_part_cleanup frees everything it holds. */
void cn_mime_part_init(struct curl_mimepart *part);
void cn_mime_part_cleanup(struct curl_mimepart *part);

/* cn_mime_set_subparts makes |subparts| the content of |part|; with
 * |take_ownership| freeing |part| frees them (curl_mime_subparts), without
 * it they are only bound (CURLOPT_MIMEPOST). CURLE_BAD_FUNCTION_ARGUMENT if
 * they already have a parent or are |part|'s own root,
 * CURLE_SEND_FAIL_REWIND if they cannot be rewound. */
CURLcode cn_mime_set_subparts(struct curl_mimepart *part,
                              struct curl_mime *subparts, bool take_ownership);

/* cn_mime_prepare_headers (re)generates the headers of |part| and of every
 * part below it, as libcurl's form strategy does. |content_type|: the type to
 * use when the part has none of its own (NULL: guess from the kind and
 * filename); |disposition|: "form-data" inside a multipart/form-data, else
 * NULL. |form_escape|: CURLMIMEOPT_FORMESCAPE (backslash-escape '"' and '\'
 * in names instead of %22/%0D/%0A). CURLE_OK or CURLE_OUT_OF_MEMORY. */
CURLcode cn_mime_prepare_headers(struct curl_mimepart *part,
                                 const char *content_type,
                                 const char *disposition, bool form_escape);

/* cn_mime_part_size: bytes cn_mime_part_read will produce after a rewind,
 * headers included unless |part| is body-only; -1 when unknown. Valid after
 * cn_mime_prepare_headers. */
int64_t cn_mime_part_size(struct curl_mimepart *part);

/* cn_mime_part_read reads the next bytes of |part| into |buf|. Sets *out_n;
 * when it is 0 the return value says why: EOF, PAUSE, ABORT, ERROR, FUNNY
 * or NO_ROOM (|len| too small for the next encoded unit: retry with 256
 * bytes or more). With *out_n > 0 it returns CN_MIME_READ_MORE. */
enum cn_mime_read_status cn_mime_part_read(struct curl_mimepart *part,
                                           char *buf, size_t len,
                                           size_t *out_n);

/* cn_mime_part_rewind restarts |part| from its first byte, seeking data
 * callbacks and files that were already read. false if one cannot seek
 * (libcurl's CURLE_SEND_FAIL_REWIND). */
bool cn_mime_part_rewind(struct curl_mimepart *part);

/* cn_mime_unpause forgets a CURL_READFUNC_PAUSE anywhere in |part|, so the
 * next read calls the callback again. */
void cn_mime_unpause(struct curl_mimepart *part);

/* cn_mime_content_type_for_name: libcurl's type for a file name by its
 * extension (.gif .jpg .jpeg .png .svg .txt .htm .html .pdf .xml, any
 * case); NULL for others and for NULL. */
const char *cn_mime_content_type_for_name(const char *filename);

/* --- the CURLOPT_MIMEPOST slot of an easy handle -------------------------- */

/* cn_mime_post_attach binds |mime| (NULL: none) to the slot *|slot|,
 * creating the slot's top part on first use, and unbinds the mime set
 * before. Errors as cn_mime_set_subparts, plus CURLE_OUT_OF_MEMORY; on
 * error nothing changes but the previous mime is unbound. */
CURLcode cn_mime_post_attach(curl_mimepart **slot, curl_mime *mime);
/* cn_mime_post_free releases a slot (NULL-safe): a bound mime is unbound
 * (it stays the program's), a copy made by cn_mime_post_dup is freed. */
void cn_mime_post_free(curl_mimepart *slot);
/* cn_mime_post_dup deep-copies |src| (may be NULL) for curl_easy_duphandle:
 * the copy owns its own tree, as libcurl's does. *out is NULL when |src|
 * is NULL. CURLE_OK or CURLE_OUT_OF_MEMORY (then *out is NULL). */
CURLcode cn_mime_post_dup(curl_mimepart **out, const curl_mimepart *src);

/* --- the request body ----------------------------------------------------- */

struct cn_mime_upload_params {
  /* CURLOPT_HTTPHEADER (borrowed for the call only): a "Content-Type:"
   * line there gives the top type (boundary appended, as libcurl does). */
  const struct curl_slist *http_headers;
  bool form_escape; /* CURLOPT_MIME_OPTIONS & CURLMIMEOPT_FORMESCAPE */
  /* Where failure texts go (libcurl's failf); may be NULL. Borrowed for
   * the stream's life. */
  const struct cn_net_log *log;
  /* Called from inside read() when a data callback answered
   * CURL_READFUNC_PAUSE: read() then returns CN_ERR_IO_PENDING and the
   * transfer calls cn_mime_upload_stream_unpause when the program resumes
   * sending. NULL: pausing is refused like a failed read ("Pausing an
   * upload is not supported", CN_ERR_READ_CALLBACK_FAILED). */
  void (*on_pause)(void *ctx);
  void *pause_ctx;
};

/* cn_mime_upload_stream_new: a request body reading the tree bound to the
 * CURLOPT_MIMEPOST slot |top| (NULL, or nothing bound: an empty body). The
 * tree is borrowed and must not change while the stream lives (the easy
 * handle guarantees that during a transfer). Rewinds the tree, prepares its
 * headers and computes its size (stream->size, -1 when unknown: chunked).
 * CURLE_OK; CURLE_OUT_OF_MEMORY; CURLE_SEND_FAIL_REWIND when a part read by
 * an earlier transfer cannot be rewound. */
CURLcode cn_mime_upload_stream_new(curl_mimepart *top,
                                   const struct cn_mime_upload_params *params,
                                   struct cn_upload_data_stream **out);

/* cn_form_upload_stream_new: the same for CURLOPT_HTTPPOST: the stream
 * builds (and owns) a MIME tree from |post|. |fread_func| reads
 * CURLFORM_STREAM parts (CURLOPT_READFUNCTION). Errors as above, plus
 * CURLE_READ_ERROR for a CURLFORM_FILE that cannot be read. */
CURLcode cn_form_upload_stream_new(struct curl_httppost *post,
                                   curl_read_callback fread_func,
                                   const struct cn_mime_upload_params *params,
                                   struct cn_upload_data_stream **out);

/* cn_mime_upload_stream_content_type: the value for the request's
 * Content-Type header ("multipart/form-data; boundary=..."); NULL when none
 * is to be sent. Owned by the stream. */
const char *
cn_mime_upload_stream_content_type(const struct cn_upload_data_stream *s);

/* cn_mime_upload_stream_unpause: the program resumed sending. Forgets the
 * pause and, when a read is pending, retries it and completes its callback
 * (unless the program pauses again). Call it from the event loop, never from
 * inside a read(), the callback may free the caller. */
void cn_mime_upload_stream_unpause(struct cn_upload_data_stream *s);

/* --- the form API on top of the tree (formdata.c) ------------------------- */

/* cn_form_to_mime turns |post| into the content of |top| (a part set up
 * with cn_mime_part_init; its old content is dropped), as libcurl's
 * Curl_getformdata does. CURLE_OK, CURLE_OUT_OF_MEMORY, CURLE_READ_ERROR
 * (a file that cannot be read); on error |top| is left empty. */
CURLcode cn_form_to_mime(struct curl_mimepart *top, struct curl_httppost *post,
                         curl_read_callback fread_func);

#endif
