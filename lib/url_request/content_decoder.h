/* content_decoder.h: response body decoding for Content-Encoding and
 * Transfer-Encoding codings (gzip, x-gzip, deflate, br, zstd, identity,
 * none), built and run the way libcurl 8.14's lib/content_encoding.c does.
 *
 * A chain holds the decoders of one phase of one response:
 *   CN_CONTENT_DECODER_TRANSFER  Transfer-Encoding codings other than
 *                                "chunked" (the HTTP/1 body reader removes
 *                                chunked framing before the chain sees it);
 *   CN_CONTENT_DECODER_CONTENT   Content-Encoding codings.
 * libcurl decodes transfer codings first, then counts the bytes (what
 * CURLINFO_SIZE_DOWNLOAD and CURLOPT_MAXFILESIZE see), then decodes content
 * codings; a caller builds one chain per phase and counts in between.
 *
 * The chain is pure: no I/O, no clock. Memory is bounded whatever the
 * input: each decoder has one fixed 16 KiB output buffer (libcurl's
 * DECOMPRESS_BUFFER_SIZE), nothing is buffered across calls except inside
 * zlib/brotli/zstd (their window: at most 32 KiB, 16 MiB, and 128 MiB by a
 * zstd frame's own request, as with libcurl's default zstd limits). All
 * three libraries allocate through cn_malloc/cn_calloc/cn_free.
 *
 * Usage:
 *   cn_content_decoder_chain_new(&c, &params);
 *   for each Content-Encoding (or Transfer-Encoding) header line, in order:
 *     cn_content_decoder_chain_add_header(c, value, value_len);
 *   (or cn_content_decoder_chain_add_response_headers(c, head) for all)
 *   for each body piece: cn_content_decoder_chain_write(c, p, n, sink, ctx);
 *   at the end of the body: cn_content_decoder_chain_finish(c);
 *   cn_content_decoder_chain_free(c);
 *
 * Errors (negative CN_ERR_*):
 *   CN_ERR_CONTENT_DECODING_FAILED  CURLE_BAD_CONTENT_ENCODING: bad coding
 *       list, unknown coding with a non-empty body, corrupt zlib/brotli/zstd
 *       data. The libcurl failf text goes to cn_net_log_fail where libcurl
 *       has one (zlib, the coding-list errors, the unknown coding); brotli
 *       and zstd data errors have no text in libcurl and get none here.
 *   CN_ERR_CONTENT_DECODER_WRITE_ERROR  CURLE_WRITE_ERROR: bytes after the
 *       end of a gzip/deflate/brotli stream (e.g. a second gzip member), a
 *       write after the stream ended, brotli's unlisted error codes; libcurl
 *       gives no text.
 *   CN_ERR_RESPONSE_BODY_TOO_BIG    more output than params->max_output.
 *   CN_ERR_OUT_OF_MEMORY            an allocation failed (also inside the
 *       compression libraries; libcurl reports zlib's as a decoding error,
 *       curlium says what it is).
 *   Whatever the sink returned, if negative.
 * After any error from write or finish the chain only returns that error
 * again; free it. */
#ifndef CN_URL_REQUEST_CONTENT_DECODER_H
#define CN_URL_REQUEST_CONTENT_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cn_http_response_headers;
struct cn_net_log;
struct cn_content_decoder_chain;

enum cn_content_decoder_phase {
  CN_CONTENT_DECODER_CONTENT,  /* Content-Encoding */
  CN_CONTENT_DECODER_TRANSFER, /* Transfer-Encoding */
};

struct cn_content_decoder_chain_params {
  enum cn_content_decoder_phase phase;
  /* CONTENT: true when CURLOPT_ACCEPT_ENCODING is set (any value, "" too)
   * and CURLOPT_HTTP_CONTENT_DECODING is on (its default); false makes
   * add_header a no-op, as libcurl ignores Content-Encoding then.
   * TRANSFER: CURLOPT_TRANSFER_ENCODING. When false, "chunked" and
   * "identity" are still accepted and anything else is an error
   * ("Unsolicited Transfer-Encoding (gzip) found"), unless |skip_transfer|. */
  bool decode;
  /* TRANSFER only: CURLOPT_HTTP_TRANSFER_DECODING is 0 (libcurl's
   * http_te_skip): an unrequested coding ends the header line's parsing
   * silently instead of failing. */
  bool skip_transfer;
  /* Most bytes the chain may emit in total; 0: no limit. Past it the
   * permitted prefix is still delivered, then write fails with
   * CN_ERR_RESPONSE_BODY_TOO_BIG ("Exceeded the maximum allowed file size
   * (N) with M bytes"). Pass CURLOPT_MAXFILESIZE_LARGE here to bound
   * decompression bombs (libcurl itself checks MAXFILESIZE only before
   * content decoding). */
  int64_t max_output;
  /* Borrowed; must outlive the chain. NULL: no logging. */
  const struct cn_net_log *log;
};

/* Called with each piece of decoded output, in order. Returns CN_OK or a
 * negative error, which stops the chain and comes back from write. The
 * sink must take all |len| bytes (a paused consumer buffers them). */
typedef int (*cn_content_decoder_sink_fn)(void *ctx, const uint8_t *data,
                                          size_t len);

/* cn_content_decoder_chain_new creates an empty chain (it passes bytes
 * through unchanged, still subject to max_output). |params| is copied.
 * Returns CN_OK and sets *out_chain, or CN_ERR_OUT_OF_MEMORY. */
int cn_content_decoder_chain_new(
    struct cn_content_decoder_chain **out_chain,
    const struct cn_content_decoder_chain_params *params);

/* NULL-safe. Frees every decoder; an unfinished stream is not an error. */
void cn_content_decoder_chain_free(struct cn_content_decoder_chain *chain);

/* cn_content_decoder_chain_add_header adds the codings of one header
 * line's value (|value| need not be NUL-terminated; leading/trailing blanks
 * and CRLF are ignored), exactly as libcurl's Curl_build_unencoding_stack
 * does for that line: comma-separated names, case-insensitive; the last
 * listed is decoded first; "identity"/"none" are pass-through stages that
 * still count; "x-gzip" is gzip; at most 4 stages per phase (the 5th is
 * "Reject response due to more than 5 content encodings", libcurl's exact
 * check and text); an unknown name adds a stage that fails only when body
 * bytes reach it ("Unrecognized content encoding type. libcurl understands
 * deflate, gzip, br, zstd content encodings."). TRANSFER phase: "chunked"
 * counts as a stage but adds none; a duplicate "chunked" ends the line's
 * parsing; anything after "chunked" is "Reject response due to 'chunked'
 * not being the last Transfer-Encoding".
 * Returns CN_OK, CN_ERR_CONTENT_DECODING_FAILED (text logged) or
 * CN_ERR_OUT_OF_MEMORY. On error the chain must not be used except to be
 * freed. Call only before the first write. */
int cn_content_decoder_chain_add_header(struct cn_content_decoder_chain *chain,
                                        const char *value, size_t value_len);

/* cn_content_decoder_chain_add_response_headers calls add_header for every
 * Content-Encoding (CONTENT) or Transfer-Encoding (TRANSFER) field of
 * |head| in order, each with its own line's value (libcurl reads no folded
 * continuation). The caller decides whether the response has a body at
 * all: libcurl applies neither header to 1xx/204/304 responses, nor
 * Transfer-Encoding to HEAD. Same returns as add_header. */
int cn_content_decoder_chain_add_response_headers(
    struct cn_content_decoder_chain *chain,
    const struct cn_http_response_headers *head);

/* true when no stage was added: the chain would pass bytes through. */
bool cn_content_decoder_chain_is_empty(
    const struct cn_content_decoder_chain *chain);

/* cn_content_decoder_chain_write decodes |len| bytes (|len| == 0 does
 * nothing) and calls |sink| zero or more times before returning. Returns
 * CN_OK or an error listed at the top of this file. |sink| may not call
 * back into this chain. */
int cn_content_decoder_chain_write(struct cn_content_decoder_chain *chain,
                                   const uint8_t *data, size_t len,
                                   cn_content_decoder_sink_fn sink, void *ctx);

/* cn_content_decoder_chain_finish marks the end of the body. Like libcurl
 * 8.14 it does not fail on a truncated stream (a gzip body cut short
 * delivers what was decoded and succeeds); every decoder has already
 * flushed all output its input allowed, so there is nothing left to emit.
 * Returns CN_OK, or the chain's earlier error. Later writes fail. */
int cn_content_decoder_chain_finish(struct cn_content_decoder_chain *chain);

/* Total bytes the chain has emitted so far. */
int64_t cn_content_decoder_chain_output_bytes(
    const struct cn_content_decoder_chain *chain);

/* "deflate, gzip, br, zstd": what libcurl sends as Accept-Encoding when
 * CURLOPT_ACCEPT_ENCODING is "" (its Curl_all_content_encodings order).
 * Static string. */
const char *cn_content_decoder_supported_list(void);

#endif
