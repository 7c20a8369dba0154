/* error_map.h: the one place where curlium's net errors become CURLcodes.
 * The phase tells apart errors that libcurl reports differently depending
 * on where they happened (a reset while sending vs receiving). */
#ifndef CN_API_ERROR_MAP_H
#define CN_API_ERROR_MAP_H

#include <curl/curl.h>

enum cn_error_phase {
  CN_PHASE_SETUP,
  CN_PHASE_CONNECT,
  CN_PHASE_SEND,
  CN_PHASE_RECV,
};

CURLcode cn_error_to_curlcode(int net_error, enum cn_error_phase phase);

#endif
