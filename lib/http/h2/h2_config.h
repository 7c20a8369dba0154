/* h2_config.h: what one HTTP/2 connection says about itself on the wire
 * (the parts a server can fingerprint): the SETTINGS frame (ids, values and
 * their order), the connection-level WINDOW_UPDATE that follows it, PRIORITY
 * frames sent at the start, the priority fields of every request's HEADERS
 * frame, the order of the request pseudo-header fields, and how stream
 * windows grow.
 *
 * cn_h2_config_init() fills libcurl 8.14's values; a browser profile
 * (lib/impersonate, through the layer that knows it) overwrites them. The
 * struct holds no pointers, so it is copied freely: a session keeps its own
 * copy. */
#ifndef CN_HTTP_H2_H2_CONFIG_H
#define CN_HTTP_H2_H2_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SETTINGS identifiers (RFC 9113 section 6.5.2, RFC 9218). */
enum {
  CN_H2_SETTINGS_HEADER_TABLE_SIZE = 1,
  CN_H2_SETTINGS_ENABLE_PUSH = 2,
  CN_H2_SETTINGS_MAX_CONCURRENT_STREAMS = 3,
  CN_H2_SETTINGS_INITIAL_WINDOW_SIZE = 4,
  CN_H2_SETTINGS_MAX_FRAME_SIZE = 5,
  CN_H2_SETTINGS_MAX_HEADER_LIST_SIZE = 6,
  CN_H2_SETTINGS_ENABLE_CONNECT_PROTOCOL = 8,
  CN_H2_SETTINGS_NO_RFC7540_PRIORITIES = 9,
};

#define CN_H2_MAX_SETTINGS 16
#define CN_H2_MAX_PRIORITY_FRAMES 16

/* The request pseudo-header fields, for cn_h2_config.pseudo_order. */
enum cn_h2_pseudo {
  CN_H2_PSEUDO_METHOD,
  CN_H2_PSEUDO_SCHEME,
  CN_H2_PSEUDO_AUTHORITY,
  CN_H2_PSEUDO_PATH,
};
#define CN_H2_NUM_PSEUDO 4

struct cn_h2_settings_entry {
  uint16_t id;
  uint32_t value;
};

/* RFC 7540 priority fields. |weight| is 1..256 as on the wire plus one;
 * weight 16, no dependency and not exclusive is the default, which sends no
 * priority information at all. */
struct cn_h2_priority_spec {
  int32_t depends_on; /* stream id; 0: the root */
  int weight;
  bool exclusive;
};

/* A PRIORITY frame sent once at connection start, after the SETTINGS and
 * WINDOW_UPDATE frames (Firefox builds its dependency tree this way). */
struct cn_h2_priority_frame {
  int32_t stream_id;
  struct cn_h2_priority_spec priority;
};

struct cn_h2_config {
  /* The SETTINGS frame, in wire order. An id may appear once. */
  struct cn_h2_settings_entry settings[CN_H2_MAX_SETTINGS];
  size_t num_settings;
  /* Increment of the WINDOW_UPDATE on stream 0 sent right after SETTINGS;
   * 0: none (the connection window stays 65535). */
  uint32_t connection_window_increment;
  /* Once a stream's final response head arrived, its receive window is
   * raised to this size with a WINDOW_UPDATE (libcurl starts streams small
   * and opens them up); 0: streams keep SETTINGS_INITIAL_WINDOW_SIZE. */
  int32_t stream_window_after_headers;
  struct cn_h2_priority_frame priority_frames[CN_H2_MAX_PRIORITY_FRAMES];
  size_t num_priority_frames;
  /* Priority fields of every request's HEADERS frame; per-request values
   * (CURLOPT_STREAM_WEIGHT) override the weight. With
   * |depend_on_previous_stream| the dependency is the stream opened before
   * on the same connection (Chrome's exclusive chain) instead of
   * headers_priority.depends_on. */
  struct cn_h2_priority_spec headers_priority;
  bool depend_on_previous_stream;
  /* Order of the pseudo-header fields in every request. */
  enum cn_h2_pseudo pseudo_order[CN_H2_NUM_PSEUDO];
  /* Send each cookie as its own "cookie" field (RFC 9113 8.2.3 crumbs, as
   * browsers do) instead of one joined field (libcurl). */
  bool split_cookies;
  /* Stream id of the connection's first request; 0 or 1: stream 1. Firefox
   * starts at 3. */
  uint32_t first_stream_id;
};

/* cn_h2_config_init sets libcurl 8.14's behaviour: SETTINGS
 * MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 65536, ENABLE_PUSH 0 (in
 * that order); connection WINDOW_UPDATE 1048510465 (a 1000 MiB window);
 * streams raised to 10 MiB once their head is in; no PRIORITY frames,
 * default HEADERS priority; pseudo-headers :method :scheme :authority
 * :path. */
void cn_h2_config_init(struct cn_h2_config *cfg);

/* cn_h2_config_set_setting replaces the value of |id| in place, or appends
 * it. false when the list is full. */
bool cn_h2_config_set_setting(struct cn_h2_config *cfg, uint16_t id,
                              uint32_t value);
/* cn_h2_config_get_setting: the value of |id|, or |fallback| when the list
 * does not name it. */
uint32_t cn_h2_config_get_setting(const struct cn_h2_config *cfg, uint16_t id,
                                  uint32_t fallback);
/* cn_h2_config_set_pseudo_order takes the order as letters, m=:method
 * s=:scheme a=:authority p=:path ("masp" is Chrome's). false, and |cfg|
 * unchanged, unless it names each of the four once. */
bool cn_h2_config_set_pseudo_order(struct cn_h2_config *cfg,
                                   const char *letters);

#endif
