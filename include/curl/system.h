#ifndef CURLINC_SYSTEM_H
#define CURLINC_SYSTEM_H
/*
 * curl/system.h: platform types of the public API.
 *
 * curl_off_t is a signed 64-bit integer. On LP64 systems (x86_64 Linux,
 * the platform curlium ships for) it is 'long', exactly as in libcurl's
 * own build, so C++ overloads and printf formats agree with programs built
 * against libcurl's headers. curl_socklen_t is socklen_t.
 */

#if defined(_WIN32)
#  if defined(_MSC_VER)
#    define CURL_TYPEOF_CURL_OFF_T __int64
#    define CURL_FORMAT_CURL_OFF_T "I64d"
#    define CURL_FORMAT_CURL_OFF_TU "I64u"
#    define CURL_SUFFIX_CURL_OFF_T i64
#    define CURL_SUFFIX_CURL_OFF_TU ui64
#  else
#    define CURL_TYPEOF_CURL_OFF_T long long
#    define CURL_FORMAT_CURL_OFF_T "lld"
#    define CURL_FORMAT_CURL_OFF_TU "llu"
#    define CURL_SUFFIX_CURL_OFF_T LL
#    define CURL_SUFFIX_CURL_OFF_TU ULL
#  endif
#  define CURL_TYPEOF_CURL_SOCKLEN_T int
#elif defined(__LP64__) || defined(_LP64) || defined(__x86_64__) || \
    defined(__aarch64__) || defined(__powerpc64__) ||              \
    (defined(__riscv) && __riscv_xlen == 64) || defined(__s390x__)
#  define CURL_TYPEOF_CURL_OFF_T long
#  define CURL_FORMAT_CURL_OFF_T "ld"
#  define CURL_FORMAT_CURL_OFF_TU "lu"
#  define CURL_SUFFIX_CURL_OFF_T L
#  define CURL_SUFFIX_CURL_OFF_TU UL
#  define CURL_TYPEOF_CURL_SOCKLEN_T socklen_t
#  define CURL_PULL_SYS_TYPES_H 1
#  define CURL_PULL_SYS_SOCKET_H 1
#else
/* 32-bit Unix: 'long long', which strict C89 compilers warn about */
#  define CURL_TYPEOF_CURL_OFF_T long long
#  define CURL_FORMAT_CURL_OFF_T "lld"
#  define CURL_FORMAT_CURL_OFF_TU "llu"
#  define CURL_SUFFIX_CURL_OFF_T LL
#  define CURL_SUFFIX_CURL_OFF_TU ULL
#  define CURL_TYPEOF_CURL_SOCKLEN_T socklen_t
#  define CURL_PULL_SYS_TYPES_H 1
#  define CURL_PULL_SYS_SOCKET_H 1
#endif

#ifdef CURL_PULL_SYS_TYPES_H
#include <sys/types.h>
#endif

#ifdef CURL_PULL_SYS_SOCKET_H
#include <sys/socket.h>
#endif

#ifdef CURL_PULL_SYS_POLL_H
#include <sys/poll.h>
#endif

typedef CURL_TYPEOF_CURL_OFF_T curl_off_t;

typedef CURL_TYPEOF_CURL_SOCKLEN_T curl_socklen_t;

/* CURL_OFF_T_C(123) / CURL_OFF_TU_C(123): curl_off_t literals with the
   right suffix. Two helper levels so the suffix macro expands first. */
#define CURLINC_OFF_T_C_HLPR2(x) x
#define CURLINC_OFF_T_C_HLPR1(x) CURLINC_OFF_T_C_HLPR2(x)
#define CURLINC_OFF_T_C_CAT(Val, Suffix) Val##Suffix
#define CURLINC_OFF_T_C_CAT1(Val, Suffix) CURLINC_OFF_T_C_CAT(Val, Suffix)
#define CURL_OFF_T_C(Val) \
  CURLINC_OFF_T_C_HLPR1(CURLINC_OFF_T_C_CAT1(Val, CURL_SUFFIX_CURL_OFF_T))
#define CURL_OFF_TU_C(Val) \
  CURLINC_OFF_T_C_HLPR1(CURLINC_OFF_T_C_CAT1(Val, CURL_SUFFIX_CURL_OFF_TU))

#endif /* CURLINC_SYSTEM_H */
