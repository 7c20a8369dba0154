/* time.c: clocks. */
#include "util/time.h"

#include <time.h>

int64_t cn_time_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t cn_time_wall_s(void) { return (int64_t)time(NULL); }
