/* h2_config.c: libcurl's HTTP/2 connection parameters as data. */
#include "http/h2/h2_config.h"

#include <string.h>

/* libcurl's lib/http2.c: a 64 KiB initial stream window that grows to
 * H2_STREAM_WINDOW_SIZE_MAX (10 MiB) once a response is under way, and a
 * connection window of 100 stream windows so that paused streams cannot
 * block the others (HTTP2_HUGE_WINDOW_SIZE). */
#define LIBCURL_STREAM_WINDOW_INITIAL (64 * 1024)
#define LIBCURL_STREAM_WINDOW_MAX (10 * 1024 * 1024)
#define LIBCURL_CONNECTION_WINDOW (100 * LIBCURL_STREAM_WINDOW_MAX)
#define H2_DEFAULT_WINDOW 65535

void cn_h2_config_init(struct cn_h2_config *cfg) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->settings[0].id = CN_H2_SETTINGS_MAX_CONCURRENT_STREAMS;
  cfg->settings[0].value = 100;
  cfg->settings[1].id = CN_H2_SETTINGS_INITIAL_WINDOW_SIZE;
  cfg->settings[1].value = LIBCURL_STREAM_WINDOW_INITIAL;
  cfg->settings[2].id = CN_H2_SETTINGS_ENABLE_PUSH;
  cfg->settings[2].value = 0;
  cfg->num_settings = 3;
  cfg->connection_window_increment =
      LIBCURL_CONNECTION_WINDOW - H2_DEFAULT_WINDOW;
  cfg->stream_window_after_headers = LIBCURL_STREAM_WINDOW_MAX;
  cfg->headers_priority.weight = 16;
  cfg->pseudo_order[0] = CN_H2_PSEUDO_METHOD;
  cfg->pseudo_order[1] = CN_H2_PSEUDO_SCHEME;
  cfg->pseudo_order[2] = CN_H2_PSEUDO_AUTHORITY;
  cfg->pseudo_order[3] = CN_H2_PSEUDO_PATH;
}

bool cn_h2_config_set_setting(struct cn_h2_config *cfg, uint16_t id,
                              uint32_t value) {
  for (size_t i = 0; i < cfg->num_settings; i++) {
    if (cfg->settings[i].id == id) {
      cfg->settings[i].value = value;
      return true;
    }
  }
  if (cfg->num_settings >= CN_H2_MAX_SETTINGS)
    return false;
  cfg->settings[cfg->num_settings].id = id;
  cfg->settings[cfg->num_settings].value = value;
  cfg->num_settings++;
  return true;
}

uint32_t cn_h2_config_get_setting(const struct cn_h2_config *cfg, uint16_t id,
                                  uint32_t fallback) {
  for (size_t i = 0; i < cfg->num_settings; i++)
    if (cfg->settings[i].id == id)
      return cfg->settings[i].value;
  return fallback;
}

bool cn_h2_config_set_pseudo_order(struct cn_h2_config *cfg,
                                   const char *letters) {
  enum cn_h2_pseudo order[CN_H2_NUM_PSEUDO];
  bool seen[CN_H2_NUM_PSEUDO] = {false};
  if (!letters || strlen(letters) != CN_H2_NUM_PSEUDO)
    return false;
  for (size_t i = 0; i < CN_H2_NUM_PSEUDO; i++) {
    const char *p = strchr("msap", letters[i]);
    if (!letters[i] || !p)
      return false;
    enum cn_h2_pseudo v = (enum cn_h2_pseudo)(p - "msap");
    if (seen[v])
      return false;
    seen[v] = true;
    order[i] = v;
  }
  memcpy(cfg->pseudo_order, order, sizeof(order));
  return true;
}
