/* time.h: monotonic and wall clocks in the units the stack uses. */
#ifndef CN_UTIL_TIME_H
#define CN_UTIL_TIME_H

#include <stdint.h>

/* cn_time_now_us: monotonic microseconds (CLOCK_MONOTONIC); only differences
 * mean anything. */
int64_t cn_time_now_us(void);
/* cn_time_wall_s: seconds since the epoch (for cookies, HSTS, file times). */
int64_t cn_time_wall_s(void);

#endif
