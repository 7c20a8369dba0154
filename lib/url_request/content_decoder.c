/* content_decoder.c: the decoder chain: builds it from coding lists the way
 * libcurl 8.14's Curl_build_unencoding_stack does, runs bytes through its
 * stages, and enforces the output limit. The codings themselves live in
 * decoder_gzip.c, decoder_brotli.c and decoder_zstd.c. */
#include "url_request/content_decoder.h"

#include <stdbool.h>
#include <string.h>

#include "http/http_response_headers.h"
#include "url_request/content_decoder_stage.h"
#include "util/alloc.h"
#include "util/net_error.h"
#include "util/net_log.h"

/* libcurl's MAX_ENCODE_STACK. Its check rejects the stage that would make
 * the count reach it, so a phase holds at most 4 stages; the message still
 * says 5. */
#define MAX_ENCODE_STACK 5
#define MAX_STAGES (MAX_ENCODE_STACK - 1)

#define SUPPORTED_LIST "deflate, gzip, br, zstd"

/* Where a stage's output goes: stage |index| - 1, or the sink at 0. */
struct link {
  struct cn_content_decoder_chain *chain;
  size_t index;
};

struct cn_content_decoder_chain {
  struct cn_content_decoder_chain_params params;
  /* In listing order; bytes enter at the last and leave from the first. */
  struct cn_content_decoder_stage *stages[MAX_STAGES];
  struct link links[MAX_STAGES];
  size_t num_stages;
  bool has_chunked; /* TRANSFER: "chunked" listed (counts as a stage) */
  cn_content_decoder_sink_fn sink;
  void *sink_ctx;
  int64_t output_bytes;
  int error; /* sticky, after a failed write */
  bool finished;
};

/* --- identity and unknown codings -------------------------------------- */

static int identity_write(struct cn_content_decoder_stage *s,
                          const uint8_t *data, size_t len,
                          cn_decoder_emit_fn emit, void *emit_ctx) {
  (void)s;
  return emit(emit_ctx, data, len);
}

static void plain_free(struct cn_content_decoder_stage *s) {
  cn_free(s);
}

static const struct cn_content_decoder_stage_ops identity_ops = {
    "identity", identity_write, plain_free};

/* libcurl defers an unknown coding's error to the first body byte, so an
 * empty body (or a HEAD) with "Content-Encoding: compress" succeeds. */
static int unknown_write(struct cn_content_decoder_stage *s,
                         const uint8_t *data, size_t len,
                         cn_decoder_emit_fn emit, void *emit_ctx) {
  (void)data;
  (void)len;
  (void)emit;
  (void)emit_ctx;
  cn_net_log_fail(s->log,
                  "Unrecognized content encoding type. libcurl understands "
                  "%s content encodings.",
                  SUPPORTED_LIST);
  return CN_ERR_CONTENT_DECODING_FAILED;
}

static const struct cn_content_decoder_stage_ops unknown_ops = {
    "ce-error", unknown_write, plain_free};

static int plain_new(struct cn_content_decoder_stage **out_stage,
                     const struct cn_content_decoder_stage_ops *ops,
                     const struct cn_net_log *log) {
  struct cn_content_decoder_stage *s = cn_calloc(1, sizeof(*s));
  if (!s)
    return CN_ERR_OUT_OF_MEMORY;
  s->ops = ops;
  s->log = log;
  *out_stage = s;
  return CN_OK;
}

/* --- coding names -------------------------------------------------------- */

enum coding {
  CODING_UNKNOWN,
  CODING_CHUNKED,
  CODING_IDENTITY,
  CODING_DEFLATE,
  CODING_GZIP,
  CODING_BR,
  CODING_ZSTD,
};

static bool case_equal(const char *a, const char *b, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y + 32);
    if (x != y)
      return false;
  }
  return true;
}

static bool name_is(const char *name, size_t len, const char *want) {
  return strlen(want) == len && case_equal(name, want, len);
}

static enum coding find_coding(const char *name, size_t len,
                               bool is_transfer) {
  if (is_transfer && name_is(name, len, "chunked"))
    return CODING_CHUNKED;
  if (name_is(name, len, "identity") || name_is(name, len, "none"))
    return CODING_IDENTITY;
  if (name_is(name, len, "deflate"))
    return CODING_DEFLATE;
  if (name_is(name, len, "gzip") || name_is(name, len, "x-gzip"))
    return CODING_GZIP;
  if (name_is(name, len, "br"))
    return CODING_BR;
  if (name_is(name, len, "zstd"))
    return CODING_ZSTD;
  return CODING_UNKNOWN;
}

static int new_stage(enum coding coding,
                     struct cn_content_decoder_stage **out_stage,
                     const struct cn_net_log *log) {
  switch (coding) {
  case CODING_IDENTITY:
    return plain_new(out_stage, &identity_ops, log);
  case CODING_DEFLATE:
    return cn_content_decoder_deflate_new(out_stage, log);
  case CODING_GZIP:
    return cn_content_decoder_gzip_new(out_stage, log);
  case CODING_BR:
    return cn_content_decoder_brotli_new(out_stage, log);
  case CODING_ZSTD:
    return cn_content_decoder_zstd_new(out_stage, log);
  case CODING_CHUNKED:
  case CODING_UNKNOWN:
    break;
  }
  return plain_new(out_stage, &unknown_ops, log);
}

/* --- building ------------------------------------------------------------ */

int cn_content_decoder_chain_new(
    struct cn_content_decoder_chain **out_chain,
    const struct cn_content_decoder_chain_params *params) {
  struct cn_content_decoder_chain *c = cn_calloc(1, sizeof(*c));
  if (!c)
    return CN_ERR_OUT_OF_MEMORY;
  c->params = *params;
  for (size_t i = 0; i < MAX_STAGES; i++) {
    c->links[i].chain = c;
    c->links[i].index = i;
  }
  *out_chain = c;
  return CN_OK;
}

void cn_content_decoder_chain_free(struct cn_content_decoder_chain *chain) {
  if (!chain)
    return;
  for (size_t i = 0; i < chain->num_stages; i++)
    chain->stages[i]->ops->free(chain->stages[i]);
  cn_free(chain);
}

static bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

/* One name of the list. Returns CN_OK to go on with the next name, a
 * positive value to stop this line without error, or a negative error. */
enum { STOP_LINE = 1, NEXT_NAME = 0 };

static int add_name(struct cn_content_decoder_chain *c, const char *name,
                    size_t len, const char *line_end, bool *line_chunked) {
  const struct cn_content_decoder_chain_params *p = &c->params;
  const struct cn_net_log *log = p->log;
  bool is_transfer = p->phase == CN_CONTENT_DECODER_TRANSFER;
  bool is_chunked = is_transfer && name_is(name, len, "chunked");

  /* Not asked to decode this phase. "chunked" is always decoded. */
  if ((is_transfer && !p->decode && !is_chunked) ||
      (!is_transfer && !p->decode)) {
    if (is_transfer && !p->skip_transfer) {
      /* libcurl compares 8 bytes from the name on, so "identityx" passes
       * as identity here too. */
      bool is_identity = line_end - name >= 8 &&
                         case_equal(name, "identity", 8);
      if (*line_chunked) {
        cn_net_log_fail(log, "A Transfer-Encoding (%.*s) was listed after "
                        "chunked", (int)len, name);
      } else if (is_identity) {
        return NEXT_NAME;
      } else {
        cn_net_log_fail(log, "Unsolicited Transfer-Encoding (%.*s) found",
                        (int)len, name);
      }
      return CN_ERR_CONTENT_DECODING_FAILED;
    }
    return STOP_LINE;
  }

  size_t count = c->num_stages + (c->has_chunked ? 1 : 0);
  if (count + 1 >= MAX_ENCODE_STACK) {
    cn_net_log_fail(log, "Reject response due to more than %u content "
                    "encodings", (unsigned)MAX_ENCODE_STACK);
    return CN_ERR_CONTENT_DECODING_FAILED;
  }
  enum coding coding = find_coding(name, len, is_transfer);
  if (coding == CODING_CHUNKED && c->has_chunked)
    return STOP_LINE; /* duplicate "chunked": libcurl ignores the rest */
  if (is_transfer && !is_chunked && c->has_chunked) {
    cn_net_log_fail(log, "Reject response due to 'chunked' not being the "
                    "last Transfer-Encoding");
    return CN_ERR_CONTENT_DECODING_FAILED;
  }
  if (coding == CODING_CHUNKED) {
    /* The HTTP/1 body reader removes the chunked framing; it only counts. */
    c->has_chunked = true;
    *line_chunked = true;
    return NEXT_NAME;
  }
  struct cn_content_decoder_stage *stage = NULL;
  int rv = new_stage(coding, &stage, log);
  if (rv != CN_OK)
    return rv;
  c->stages[c->num_stages++] = stage;
  return NEXT_NAME;
}

int cn_content_decoder_chain_add_header(struct cn_content_decoder_chain *chain,
                                        const char *value, size_t value_len) {
  const char *p = value, *end = value + value_len;
  bool line_chunked = false;
  while (p < end) {
    while (p < end && (is_blank(*p) || *p == ','))
      p++;
    const char *name = p;
    size_t len = 0;
    for (; p < end && *p != ','; p++) {
      if ((unsigned char)*p > ' ')
        len = (size_t)(p - name) + 1;
    }
    if (!len)
      continue;
    int rv = add_name(chain, name, len, end, &line_chunked);
    if (rv < 0)
      return rv;
    if (rv == STOP_LINE)
      break;
  }
  return CN_OK;
}

int cn_content_decoder_chain_add_response_headers(
    struct cn_content_decoder_chain *chain,
    const struct cn_http_response_headers *head) {
  const char *field = chain->params.phase == CN_CONTENT_DECODER_TRANSFER
                          ? "Transfer-Encoding"
                          : "Content-Encoding";
  size_t iter = 0;
  const struct cn_http_header_field *f;
  while ((f = cn_http_response_headers_next(head, field, &iter))) {
    int rv = cn_content_decoder_chain_add_header(chain, f->value,
                                                 f->line_value_len);
    if (rv != CN_OK)
      return rv;
  }
  return CN_OK;
}

bool cn_content_decoder_chain_is_empty(
    const struct cn_content_decoder_chain *chain) {
  return chain->num_stages == 0;
}

/* --- running ------------------------------------------------------------- */

static int deliver(struct cn_content_decoder_chain *c, const uint8_t *data,
                   size_t len) {
  int64_t max = c->params.max_output;
  if (max > 0) {
    int64_t room = max > c->output_bytes ? max - c->output_bytes : 0;
    if ((uint64_t)len > (uint64_t)room) {
      /* libcurl's order: the permitted bytes first, then the error. */
      if (room > 0) {
        int rv = c->sink(c->sink_ctx, data, (size_t)room);
        if (rv < 0)
          return rv;
        c->output_bytes += room;
      }
      cn_net_log_fail(c->params.log, "Exceeded the maximum allowed file size "
                      "(%lld) with %lld bytes", (long long)max,
                      (long long)c->output_bytes);
      return CN_ERR_RESPONSE_BODY_TOO_BIG;
    }
  }
  c->output_bytes += (int64_t)len;
  return c->sink(c->sink_ctx, data, len);
}

/* Runs |data| through stages [0, index) from the top down, then the sink. */
static int feed(struct cn_content_decoder_chain *c, size_t index,
                const uint8_t *data, size_t len);

static int emit_to_link(void *ctx, const uint8_t *data, size_t len) {
  struct link *l = ctx;
  return feed(l->chain, l->index, data, len);
}

static int feed(struct cn_content_decoder_chain *c, size_t index,
                const uint8_t *data, size_t len) {
  if (!len)
    return CN_OK;
  if (index == 0)
    return deliver(c, data, len);
  struct cn_content_decoder_stage *s = c->stages[index - 1];
  return s->ops->write(s, data, len, emit_to_link, &c->links[index - 1]);
}

int cn_content_decoder_chain_write(struct cn_content_decoder_chain *chain,
                                   const uint8_t *data, size_t len,
                                   cn_content_decoder_sink_fn sink,
                                   void *ctx) {
  if (chain->error)
    return chain->error;
  if (chain->finished)
    return CN_ERR_UNEXPECTED;
  if (!len)
    return CN_OK;
  chain->sink = sink;
  chain->sink_ctx = ctx;
  int rv = feed(chain, chain->num_stages, data, len);
  chain->sink = NULL;
  chain->sink_ctx = NULL;
  if (rv < 0) {
    chain->error = rv;
    return rv;
  }
  return CN_OK;
}

int cn_content_decoder_chain_finish(struct cn_content_decoder_chain *chain) {
  if (chain->error)
    return chain->error;
  chain->finished = true;
  return CN_OK;
}

int64_t cn_content_decoder_chain_output_bytes(
    const struct cn_content_decoder_chain *chain) {
  return chain->output_bytes;
}

const char *cn_content_decoder_supported_list(void) {
  return SUPPORTED_LIST;
}
