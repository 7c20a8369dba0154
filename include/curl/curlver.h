#ifndef CURLINC_CURLVER_H
#define CURLINC_CURLVER_H
/*
 * curl/curlver.h: the libcurl version curlium is compatible with.
 *
 * curlium reports itself as libcurl 8.14.1 because it implements that
 * release's API and ABI; programs compare these numbers to decide which
 * features they may use.
 */

#define LIBCURL_COPYRIGHT "Daniel Stenberg, <daniel@haxx.se>."

#define LIBCURL_VERSION "8.14.1"

#define LIBCURL_VERSION_MAJOR 8
#define LIBCURL_VERSION_MINOR 14
#define LIBCURL_VERSION_PATCH 1

/* 0xXXYYZZ: major, minor, patch, one byte each. Written out in full on
   purpose: build scripts grep for it. */
#define LIBCURL_VERSION_NUM 0x080e01

/* release date of the compatible libcurl version */
#define LIBCURL_TIMESTAMP "2025-06-04"

#define CURL_VERSION_BITS(x, y, z) ((x) << 16 | (y) << 8 | (z))
#define CURL_AT_LEAST_VERSION(x, y, z) \
  (LIBCURL_VERSION_NUM >= CURL_VERSION_BITS(x, y, z))

#endif /* CURLINC_CURLVER_H */
