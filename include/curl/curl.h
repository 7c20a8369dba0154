#ifndef CURLINC_CURL_H
#define CURLINC_CURL_H
/*
 * curl/curl.h: curlium's main public header.
 *
 * curlium is a drop-in replacement for libcurl.so.4: every name, number,
 * struct layout and prototype here matches libcurl 8.14.1 so that programs
 * built against libcurl's headers run against curlium and the other way
 * round. Only the comments are curlium's own. curlium's additions (browser
 * impersonation) are marked as such and sit in a numbering range libcurl
 * does not use.
 *
 * Pure C89 compatible on purpose: applications build this header with
 * whatever dialect they use (checked with -std=c89 -pedantic, C11, C++).
 */

#ifdef CURL_NO_OLDIES
#define CURL_STRICTER /* kept for source compatibility; has no effect */
#endif

/* Compile-time deprecation marks. Only where the compiler supports the
   attribute on enumerators reliably, never while building the library. */
#if (defined(__GNUC__) &&                                             \
     ((__GNUC__ > 12) || ((__GNUC__ == 12) && (__GNUC_MINOR__ >= 1))) || \
     (defined(__clang__) && __clang_major__ >= 3)) &&                  \
    !defined(__INTEL_COMPILER) && !defined(CURL_DISABLE_DEPRECATION) &&   \
    !defined(BUILDING_LIBCURL)
#define CURL_DEPRECATED(version, message) \
  __attribute__((deprecated("since " #version ". " message)))
#define CURL_IGNORE_DEPRECATION(statements)                        \
  _Pragma("GCC diagnostic push")                                   \
  _Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")  \
  statements                                                       \
  _Pragma("GCC diagnostic pop")
#else
#define CURL_DEPRECATED(version, message)
#define CURL_IGNORE_DEPRECATION(statements) statements
#endif

#include "curlver.h"
#include "system.h"

#include <stdio.h>
#include <limits.h>

/* time_t and size_t */
#include <sys/types.h>
#include <time.h>

#ifndef _WIN32
#include <sys/socket.h>
#include <sys/time.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef void CURL;
typedef void CURLSH;

/* Linkage of the public functions. The library is compiled with
   -fvisibility=hidden and BUILDING_LIBCURL; the public entry points are the
   only symbols that get default visibility. */
#ifdef __has_declspec_attribute
#define CURL_HAS_DECLSPEC_ATTRIBUTE(x) __has_declspec_attribute(x)
#else
#define CURL_HAS_DECLSPEC_ATTRIBUTE(x) 0
#endif

#if defined(CURL_STATICLIB)
#define CURL_EXTERN
#elif defined(_WIN32)
#if defined(BUILDING_LIBCURL)
#define CURL_EXTERN __declspec(dllexport)
#else
#define CURL_EXTERN __declspec(dllimport)
#endif
#elif defined(BUILDING_LIBCURL) && (defined(__GNUC__) || defined(__clang__))
#define CURL_EXTERN __attribute__((visibility("default")))
#else
#define CURL_EXTERN
#endif

#ifndef curl_socket_typedef
#if defined(_WIN32)
typedef SOCKET curl_socket_t;
#define CURL_SOCKET_BAD INVALID_SOCKET
#else
typedef int curl_socket_t;
#define CURL_SOCKET_BAD -1
#endif
#define curl_socket_typedef
#endif

/* TLS backends, as reported in curl_tlssessioninfo and curl_global_sslset */
typedef enum {
  CURLSSLBACKEND_NONE = 0,
  CURLSSLBACKEND_OPENSSL = 1,
  CURLSSLBACKEND_GNUTLS = 2,
  CURLSSLBACKEND_NSS CURL_DEPRECATED(8.3.0, "") = 3,
  CURLSSLBACKEND_OBSOLETE4 = 4,
  CURLSSLBACKEND_GSKIT CURL_DEPRECATED(8.3.0, "") = 5,
  CURLSSLBACKEND_POLARSSL CURL_DEPRECATED(7.69.0, "") = 6,
  CURLSSLBACKEND_WOLFSSL = 7,
  CURLSSLBACKEND_SCHANNEL = 8,
  CURLSSLBACKEND_SECURETRANSPORT = 9,
  CURLSSLBACKEND_AXTLS CURL_DEPRECATED(7.61.0, "") = 10,
  CURLSSLBACKEND_MBEDTLS = 11,
  CURLSSLBACKEND_MESALINK CURL_DEPRECATED(7.82.0, "") = 12,
  CURLSSLBACKEND_BEARSSL = 13,
  CURLSSLBACKEND_RUSTLS = 14
} curl_sslbackend;

/* OpenSSL forks report as OpenSSL (curlium's BoringSSL included) */
#define CURLSSLBACKEND_AWSLC CURLSSLBACKEND_OPENSSL
#define CURLSSLBACKEND_BORINGSSL CURLSSLBACKEND_OPENSSL
#define CURLSSLBACKEND_LIBRESSL CURLSSLBACKEND_OPENSSL

/* older spellings */
#define CURLSSLBACKEND_CYASSL CURLSSLBACKEND_WOLFSSL
#define CURLSSLBACKEND_DARWINSSL CURLSSLBACKEND_SECURETRANSPORT

/* values for CURLOPT_FOLLOWLOCATION beyond 0/1 */
#define CURLFOLLOW_ALL 1L
#define CURLFOLLOW_OBEYCODE 2L
#define CURLFOLLOW_FIRSTONLY 3L

/* One part of a form built with the deprecated curl_formadd() API. The
   layout is public and fixed. */
struct curl_httppost {
  struct curl_httppost *next;
  char *name;
  long namelength;
  char *contents;
  long contentslength;
  char *buffer;
  long bufferlength;
  char *contenttype;
  struct curl_slist *contentheader;
  struct curl_httppost *more; /* further files under the same field name */
  long flags;                 /* CURL_HTTPPOST_* */

#define CURL_HTTPPOST_FILENAME (1 << 0)
#define CURL_HTTPPOST_READFILE (1 << 1)
#define CURL_HTTPPOST_PTRNAME (1 << 2)
#define CURL_HTTPPOST_PTRCONTENTS (1 << 3)
#define CURL_HTTPPOST_BUFFER (1 << 4)
#define CURL_HTTPPOST_PTRBUFFER (1 << 5)
#define CURL_HTTPPOST_CALLBACK (1 << 6)
#define CURL_HTTPPOST_LARGE (1 << 7)

  char *showfilename;
  void *userp;
  curl_off_t contentlen; /* used instead of contentslength with _LARGE */
};

/* A progress callback returning this asks for the built-in meter. */
#define CURL_PROGRESSFUNC_CONTINUE 0x10000001

/* CURLOPT_PROGRESSFUNCTION (deprecated) */
typedef int (*curl_progress_callback)(void *clientp, double dltotal,
                                      double dlnow, double ultotal,
                                      double ulnow);

/* CURLOPT_XFERINFOFUNCTION */
typedef int (*curl_xferinfo_callback)(void *clientp, curl_off_t dltotal,
                                      curl_off_t dlnow, curl_off_t ultotal,
                                      curl_off_t ulnow);

#ifndef CURL_MAX_READ_SIZE
/* upper bound for CURLOPT_BUFFERSIZE */
#define CURL_MAX_READ_SIZE (10 * 1024 * 1024)
#endif

#ifndef CURL_MAX_WRITE_SIZE
/* largest chunk handed to a write callback in one call */
#define CURL_MAX_WRITE_SIZE 16384
#endif

#ifndef CURL_MAX_HTTP_HEADER
/* largest single response header accepted */
#define CURL_MAX_HTTP_HEADER (100 * 1024)
#endif

/* Write callback return values with a special meaning */
#define CURL_WRITEFUNC_PAUSE 0x10000001
#define CURL_WRITEFUNC_ERROR 0xFFFFFFFF

typedef size_t (*curl_write_callback)(char *buffer, size_t size,
                                      size_t nitems, void *outstream);

/* CURLOPT_RESOLVER_START_FUNCTION */
typedef int (*curl_resolver_start_callback)(void *resolver_state,
                                            void *reserved, void *userdata);

/* FTP wildcard matching: file types */
typedef enum {
  CURLFILETYPE_FILE = 0,
  CURLFILETYPE_DIRECTORY,
  CURLFILETYPE_SYMLINK,
  CURLFILETYPE_DEVICE_BLOCK,
  CURLFILETYPE_DEVICE_CHAR,
  CURLFILETYPE_NAMEDPIPE,
  CURLFILETYPE_SOCKET,
  CURLFILETYPE_DOOR,
  CURLFILETYPE_UNKNOWN
} curlfiletype;

#define CURLFINFOFLAG_KNOWN_FILENAME (1 << 0)
#define CURLFINFOFLAG_KNOWN_FILETYPE (1 << 1)
#define CURLFINFOFLAG_KNOWN_TIME (1 << 2)
#define CURLFINFOFLAG_KNOWN_PERM (1 << 3)
#define CURLFINFOFLAG_KNOWN_UID (1 << 4)
#define CURLFINFOFLAG_KNOWN_GID (1 << 5)
#define CURLFINFOFLAG_KNOWN_SIZE (1 << 6)
#define CURLFINFOFLAG_KNOWN_HLINKCOUNT (1 << 7)

/* One entry of an FTP wildcard listing (CURLOPT_CHUNK_BGN_FUNCTION). */
struct curl_fileinfo {
  char *filename;
  curlfiletype filetype;
  time_t time; /* always 0 */
  unsigned int perm;
  int uid;
  int gid;
  curl_off_t size;
  long int hardlinks;

  struct {
    /* each either NULL or pointing into b_data */
    char *time;
    char *perm;
    char *user;
    char *group;
    char *target; /* symlink target */
  } strings;

  unsigned int flags; /* CURLFINFOFLAG_* */

  /* library-private; part of the layout, never touch */
  char *b_data;
  size_t b_size;
  size_t b_used;
};

/* CURLOPT_CHUNK_BGN_FUNCTION return values */
#define CURL_CHUNK_BGN_FUNC_OK 0
#define CURL_CHUNK_BGN_FUNC_FAIL 1
#define CURL_CHUNK_BGN_FUNC_SKIP 2

typedef long (*curl_chunk_bgn_callback)(const void *transfer_info,
                                        void *ptr, int remains);

/* CURLOPT_CHUNK_END_FUNCTION return values */
#define CURL_CHUNK_END_FUNC_OK 0
#define CURL_CHUNK_END_FUNC_FAIL 1

typedef long (*curl_chunk_end_callback)(void *ptr);

/* CURLOPT_FNMATCH_FUNCTION return values */
#define CURL_FNMATCHFUNC_MATCH 0
#define CURL_FNMATCHFUNC_NOMATCH 1
#define CURL_FNMATCHFUNC_FAIL 2

typedef int (*curl_fnmatch_callback)(void *ptr, const char *pattern,
                                     const char *string);

/* CURLOPT_SEEKFUNCTION return values */
#define CURL_SEEKFUNC_OK 0
#define CURL_SEEKFUNC_FAIL 1
#define CURL_SEEKFUNC_CANTSEEK 2

typedef int (*curl_seek_callback)(void *instream, curl_off_t offset,
                                  int origin);

/* Read callback return values with a special meaning */
#define CURL_READFUNC_ABORT 0x10000000
#define CURL_READFUNC_PAUSE 0x10000001

/* CURLOPT_TRAILERFUNCTION return values */
#define CURL_TRAILERFUNC_OK 0
#define CURL_TRAILERFUNC_ABORT 1

typedef size_t (*curl_read_callback)(char *buffer, size_t size,
                                     size_t nitems, void *instream);

typedef int (*curl_trailer_callback)(struct curl_slist **list,
                                     void *userdata);

typedef enum {
  CURLSOCKTYPE_IPCXN,
  CURLSOCKTYPE_ACCEPT,
  CURLSOCKTYPE_LAST
} curlsocktype;

/* CURLOPT_SOCKOPTFUNCTION return values */
#define CURL_SOCKOPT_OK 0
#define CURL_SOCKOPT_ERROR 1
#define CURL_SOCKOPT_ALREADY_CONNECTED 2

typedef int (*curl_sockopt_callback)(void *clientp, curl_socket_t curlfd,
                                     curlsocktype purpose);

/* The address handed to CURLOPT_OPENSOCKETFUNCTION. |addr| is really as
   long as addrlen says. */
struct curl_sockaddr {
  int family;
  int socktype;
  int protocol;
  unsigned int addrlen;
  struct sockaddr addr;
};

typedef curl_socket_t (*curl_opensocket_callback)(
    void *clientp, curlsocktype purpose, struct curl_sockaddr *address);

typedef int (*curl_closesocket_callback)(void *clientp, curl_socket_t item);

typedef enum {
  CURLIOE_OK,
  CURLIOE_UNKNOWNCMD,
  CURLIOE_FAILRESTART,
  CURLIOE_LAST
} curlioerr;

typedef enum {
  CURLIOCMD_NOP,
  CURLIOCMD_RESTARTREAD,
  CURLIOCMD_LAST
} curliocmd;

typedef curlioerr (*curl_ioctl_callback)(CURL *handle, int cmd,
                                         void *clientp);

#ifndef CURL_DID_MEMORY_FUNC_TYPEDEFS
/* Allocator replacements for curl_global_init_mem() */
typedef void *(*curl_malloc_callback)(size_t size);
typedef void (*curl_free_callback)(void *ptr);
typedef void *(*curl_realloc_callback)(void *ptr, size_t size);
typedef char *(*curl_strdup_callback)(const char *str);
typedef void *(*curl_calloc_callback)(size_t nmemb, size_t size);

#define CURL_DID_MEMORY_FUNC_TYPEDEFS
#endif

/* What a CURLOPT_DEBUGFUNCTION call carries */
typedef enum {
  CURLINFO_TEXT = 0,
  CURLINFO_HEADER_IN,    /* 1 */
  CURLINFO_HEADER_OUT,   /* 2 */
  CURLINFO_DATA_IN,      /* 3 */
  CURLINFO_DATA_OUT,     /* 4 */
  CURLINFO_SSL_DATA_IN,  /* 5 */
  CURLINFO_SSL_DATA_OUT, /* 6 */
  CURLINFO_END
} curl_infotype;

typedef int (*curl_debug_callback)(CURL *handle, curl_infotype type,
                                   char *data, size_t size, void *userptr);

/* CURLOPT_PREREQFUNCTION */
typedef int (*curl_prereq_callback)(void *clientp, char *conn_primary_ip,
                                    char *conn_local_ip,
                                    int conn_primary_port,
                                    int conn_local_port);

#define CURL_PREREQFUNC_OK 0
#define CURL_PREREQFUNC_ABORT 1

/* Result codes. The numbers are ABI: new codes only ever go at the end. */
typedef enum {
  CURLE_OK = 0,
  CURLE_UNSUPPORTED_PROTOCOL,     /* 1 */
  CURLE_FAILED_INIT,              /* 2 */
  CURLE_URL_MALFORMAT,            /* 3 */
  CURLE_NOT_BUILT_IN,             /* 4 */
  CURLE_COULDNT_RESOLVE_PROXY,    /* 5 */
  CURLE_COULDNT_RESOLVE_HOST,     /* 6 */
  CURLE_COULDNT_CONNECT,          /* 7 */
  CURLE_WEIRD_SERVER_REPLY,       /* 8 */
  CURLE_REMOTE_ACCESS_DENIED,     /* 9 */
  CURLE_FTP_ACCEPT_FAILED,        /* 10 */
  CURLE_FTP_WEIRD_PASS_REPLY,     /* 11 */
  CURLE_FTP_ACCEPT_TIMEOUT,       /* 12 */
  CURLE_FTP_WEIRD_PASV_REPLY,     /* 13 */
  CURLE_FTP_WEIRD_227_FORMAT,     /* 14 */
  CURLE_FTP_CANT_GET_HOST,        /* 15 */
  CURLE_HTTP2,                    /* 16 */
  CURLE_FTP_COULDNT_SET_TYPE,     /* 17 */
  CURLE_PARTIAL_FILE,             /* 18 */
  CURLE_FTP_COULDNT_RETR_FILE,    /* 19 */
  CURLE_OBSOLETE20,               /* 20 */
  CURLE_QUOTE_ERROR,              /* 21 */
  CURLE_HTTP_RETURNED_ERROR,      /* 22 */
  CURLE_WRITE_ERROR,              /* 23 */
  CURLE_OBSOLETE24,               /* 24 */
  CURLE_UPLOAD_FAILED,            /* 25 */
  CURLE_READ_ERROR,               /* 26 */
  CURLE_OUT_OF_MEMORY,            /* 27 */
  CURLE_OPERATION_TIMEDOUT,       /* 28 */
  CURLE_OBSOLETE29,               /* 29 */
  CURLE_FTP_PORT_FAILED,          /* 30 */
  CURLE_FTP_COULDNT_USE_REST,     /* 31 */
  CURLE_OBSOLETE32,               /* 32 */
  CURLE_RANGE_ERROR,              /* 33 */
  CURLE_OBSOLETE34,               /* 34 */
  CURLE_SSL_CONNECT_ERROR,        /* 35 */
  CURLE_BAD_DOWNLOAD_RESUME,      /* 36 */
  CURLE_FILE_COULDNT_READ_FILE,   /* 37 */
  CURLE_LDAP_CANNOT_BIND,         /* 38 */
  CURLE_LDAP_SEARCH_FAILED,       /* 39 */
  CURLE_OBSOLETE40,               /* 40 */
  CURLE_OBSOLETE41,               /* 41 */
  CURLE_ABORTED_BY_CALLBACK,      /* 42 */
  CURLE_BAD_FUNCTION_ARGUMENT,    /* 43 */
  CURLE_OBSOLETE44,               /* 44 */
  CURLE_INTERFACE_FAILED,         /* 45 */
  CURLE_OBSOLETE46,               /* 46 */
  CURLE_TOO_MANY_REDIRECTS,       /* 47 */
  CURLE_UNKNOWN_OPTION,           /* 48 */
  CURLE_SETOPT_OPTION_SYNTAX,     /* 49 */
  CURLE_OBSOLETE50,               /* 50 */
  CURLE_OBSOLETE51,               /* 51 */
  CURLE_GOT_NOTHING,              /* 52 */
  CURLE_SSL_ENGINE_NOTFOUND,      /* 53 */
  CURLE_SSL_ENGINE_SETFAILED,     /* 54 */
  CURLE_SEND_ERROR,               /* 55 */
  CURLE_RECV_ERROR,               /* 56 */
  CURLE_OBSOLETE57,               /* 57 */
  CURLE_SSL_CERTPROBLEM,          /* 58 */
  CURLE_SSL_CIPHER,               /* 59 */
  CURLE_PEER_FAILED_VERIFICATION, /* 60 */
  CURLE_BAD_CONTENT_ENCODING,     /* 61 */
  CURLE_OBSOLETE62,               /* 62 */
  CURLE_FILESIZE_EXCEEDED,        /* 63 */
  CURLE_USE_SSL_FAILED,           /* 64 */
  CURLE_SEND_FAIL_REWIND,         /* 65 */
  CURLE_SSL_ENGINE_INITFAILED,    /* 66 */
  CURLE_LOGIN_DENIED,             /* 67 */
  CURLE_TFTP_NOTFOUND,            /* 68 */
  CURLE_TFTP_PERM,                /* 69 */
  CURLE_REMOTE_DISK_FULL,         /* 70 */
  CURLE_TFTP_ILLEGAL,             /* 71 */
  CURLE_TFTP_UNKNOWNID,           /* 72 */
  CURLE_REMOTE_FILE_EXISTS,       /* 73 */
  CURLE_TFTP_NOSUCHUSER,          /* 74 */
  CURLE_OBSOLETE75,               /* 75 */
  CURLE_OBSOLETE76,               /* 76 */
  CURLE_SSL_CACERT_BADFILE,       /* 77 */
  CURLE_REMOTE_FILE_NOT_FOUND,    /* 78 */
  CURLE_SSH,                      /* 79 */
  CURLE_SSL_SHUTDOWN_FAILED,      /* 80 */
  CURLE_AGAIN,                    /* 81 */
  CURLE_SSL_CRL_BADFILE,          /* 82 */
  CURLE_SSL_ISSUER_ERROR,         /* 83 */
  CURLE_FTP_PRET_FAILED,          /* 84 */
  CURLE_RTSP_CSEQ_ERROR,          /* 85 */
  CURLE_RTSP_SESSION_ERROR,       /* 86 */
  CURLE_FTP_BAD_FILE_LIST,        /* 87 */
  CURLE_CHUNK_FAILED,             /* 88 */
  CURLE_NO_CONNECTION_AVAILABLE,  /* 89 */
  CURLE_SSL_PINNEDPUBKEYNOTMATCH, /* 90 */
  CURLE_SSL_INVALIDCERTSTATUS,    /* 91 */
  CURLE_HTTP2_STREAM,             /* 92 */
  CURLE_RECURSIVE_API_CALL,       /* 93 */
  CURLE_AUTH_ERROR,               /* 94 */
  CURLE_HTTP3,                    /* 95 */
  CURLE_QUIC_CONNECT_ERROR,       /* 96 */
  CURLE_PROXY,                    /* 97 */
  CURLE_SSL_CLIENTCERT,           /* 98 */
  CURLE_UNRECOVERABLE_POLL,       /* 99 */
  CURLE_TOO_LARGE,                /* 100 */
  CURLE_ECH_REQUIRED,             /* 101 */
  CURL_LAST,                      /* not a code */

  /* 115-126: kept for curl's test suite, never returned by the library */
  CURLE_RESERVED115 = 115,
  CURLE_RESERVED116 = 116,
  CURLE_RESERVED117 = 117,
  CURLE_RESERVED118 = 118,
  CURLE_RESERVED119 = 119,
  CURLE_RESERVED120 = 120,
  CURLE_RESERVED121 = 121,
  CURLE_RESERVED122 = 122,
  CURLE_RESERVED123 = 123,
  CURLE_RESERVED124 = 124,
  CURLE_RESERVED125 = 125,
  CURLE_RESERVED126 = 126
} CURLcode;

#ifndef CURL_NO_OLDIES
/* Old names of result codes, still used by real programs. Define
   CURL_NO_OLDIES to check that a program no longer needs them. */
#define CURLE_FUNCTION_NOT_FOUND CURLE_OBSOLETE41
#define CURLE_HTTP_POST_ERROR CURLE_OBSOLETE34
#define CURLE_OBSOLETE16 CURLE_HTTP2
#define CURLE_OBSOLETE10 CURLE_FTP_ACCEPT_FAILED
#define CURLE_OBSOLETE12 CURLE_FTP_ACCEPT_TIMEOUT
#define CURLOPT_ENCODING CURLOPT_ACCEPT_ENCODING
#define CURLE_FTP_WEIRD_SERVER_REPLY CURLE_WEIRD_SERVER_REPLY
#define CURLE_SSL_CACERT CURLE_PEER_FAILED_VERIFICATION
#define CURLE_UNKNOWN_TELNET_OPTION CURLE_UNKNOWN_OPTION
#define CURLE_TELNET_OPTION_SYNTAX CURLE_SETOPT_OPTION_SYNTAX
#define CURLE_SSL_PEER_CERTIFICATE CURLE_PEER_FAILED_VERIFICATION
#define CURLE_OBSOLETE CURLE_OBSOLETE50
#define CURLE_BAD_PASSWORD_ENTERED CURLE_OBSOLETE46
#define CURLE_BAD_CALLING_ORDER CURLE_OBSOLETE44
#define CURLE_FTP_USER_PASSWORD_INCORRECT CURLE_OBSOLETE10
#define CURLE_FTP_CANT_RECONNECT CURLE_OBSOLETE16
#define CURLE_FTP_COULDNT_GET_SIZE CURLE_OBSOLETE32
#define CURLE_FTP_COULDNT_SET_ASCII CURLE_OBSOLETE29
#define CURLE_FTP_WEIRD_USER_REPLY CURLE_OBSOLETE12
#define CURLE_FTP_WRITE_ERROR CURLE_OBSOLETE20
#define CURLE_LIBRARY_NOT_FOUND CURLE_OBSOLETE40
#define CURLE_MALFORMAT_USER CURLE_OBSOLETE24
#define CURLE_SHARE_IN_USE CURLE_OBSOLETE57
#define CURLE_URL_MALFORMAT_USER CURLE_NOT_BUILT_IN
#define CURLE_FTP_ACCESS_DENIED CURLE_REMOTE_ACCESS_DENIED
#define CURLE_FTP_COULDNT_SET_BINARY CURLE_FTP_COULDNT_SET_TYPE
#define CURLE_FTP_QUOTE_ERROR CURLE_QUOTE_ERROR
#define CURLE_TFTP_DISKFULL CURLE_REMOTE_DISK_FULL
#define CURLE_TFTP_EXISTS CURLE_REMOTE_FILE_EXISTS
#define CURLE_HTTP_RANGE_ERROR CURLE_RANGE_ERROR
#define CURLE_FTP_SSL_FAILED CURLE_USE_SSL_FAILED
#define CURLE_OPERATION_TIMEOUTED CURLE_OPERATION_TIMEDOUT
#define CURLE_HTTP_NOT_FOUND CURLE_HTTP_RETURNED_ERROR
#define CURLE_HTTP_PORT_FAILED CURLE_INTERFACE_FAILED
#define CURLE_FTP_COULDNT_STOR_FILE CURLE_UPLOAD_FAILED
#define CURLE_FTP_PARTIAL_FILE CURLE_PARTIAL_FILE
#define CURLE_FTP_BAD_DOWNLOAD_RESUME CURLE_BAD_DOWNLOAD_RESUME
#define CURLE_LDAP_INVALID_URL CURLE_OBSOLETE62
#define CURLE_CONV_REQD CURLE_OBSOLETE76
#define CURLE_CONV_FAILED CURLE_OBSOLETE75

/* a code from very old releases, kept only so old sources compile */
#define CURLE_ALREADY_COMPLETE 99999

/* option names from before 7.9.7 */
#define CURLOPT_FILE CURLOPT_WRITEDATA
#define CURLOPT_INFILE CURLOPT_READDATA
#define CURLOPT_WRITEHEADER CURLOPT_HEADERDATA

/* options that have done nothing for a long time */
#define CURLOPT_WRITEINFO CURLOPT_OBSOLETE40
#define CURLOPT_CLOSEPOLICY CURLOPT_OBSOLETE72
#endif /* !CURL_NO_OLDIES */

/* Why a proxy handshake failed (CURLINFO_PROXY_ERROR after CURLE_PROXY) */
typedef enum {
  CURLPX_OK,
  CURLPX_BAD_ADDRESS_TYPE,
  CURLPX_BAD_VERSION,
  CURLPX_CLOSED,
  CURLPX_GSSAPI,
  CURLPX_GSSAPI_PERMSG,
  CURLPX_GSSAPI_PROTECTION,
  CURLPX_IDENTD,
  CURLPX_IDENTD_DIFFER,
  CURLPX_LONG_HOSTNAME,
  CURLPX_LONG_PASSWD,
  CURLPX_LONG_USER,
  CURLPX_NO_AUTH,
  CURLPX_RECV_ADDRESS,
  CURLPX_RECV_AUTH,
  CURLPX_RECV_CONNECT,
  CURLPX_RECV_REQACK,
  CURLPX_REPLY_ADDRESS_TYPE_NOT_SUPPORTED,
  CURLPX_REPLY_COMMAND_NOT_SUPPORTED,
  CURLPX_REPLY_CONNECTION_REFUSED,
  CURLPX_REPLY_GENERAL_SERVER_FAILURE,
  CURLPX_REPLY_HOST_UNREACHABLE,
  CURLPX_REPLY_NETWORK_UNREACHABLE,
  CURLPX_REPLY_NOT_ALLOWED,
  CURLPX_REPLY_TTL_EXPIRED,
  CURLPX_REPLY_UNASSIGNED,
  CURLPX_REQUEST_FAILED,
  CURLPX_RESOLVE_HOST,
  CURLPX_SEND_AUTH,
  CURLPX_SEND_CONNECT,
  CURLPX_SEND_REQUEST,
  CURLPX_UNKNOWN_FAIL,
  CURLPX_UNKNOWN_MODE,
  CURLPX_USER_REJECTED,
  CURLPX_LAST
} CURLproxycode;

/* the old character conversion callbacks (unused) */
typedef CURLcode (*curl_conv_callback)(char *buffer, size_t length);

/* CURLOPT_SSL_CTX_FUNCTION: ssl_ctx is the TLS library's context object
   (an SSL_CTX for curlium, which uses BoringSSL) */
typedef CURLcode (*curl_ssl_ctx_callback)(CURL *curl, void *ssl_ctx,
                                          void *userptr);

typedef enum {
  CURLPROXY_HTTP = 0,
  CURLPROXY_HTTP_1_0 = 1,
  CURLPROXY_HTTPS = 2,
  CURLPROXY_HTTPS2 = 3,
  CURLPROXY_SOCKS4 = 4,
  CURLPROXY_SOCKS5 = 5,
  CURLPROXY_SOCKS4A = 6,
  CURLPROXY_SOCKS5_HOSTNAME = 7
} curl_proxytype;

/* CURLOPT_HTTPAUTH / CURLOPT_PROXYAUTH bits */
#define CURLAUTH_NONE ((unsigned long)0)
#define CURLAUTH_BASIC (((unsigned long)1) << 0)
#define CURLAUTH_DIGEST (((unsigned long)1) << 1)
#define CURLAUTH_NEGOTIATE (((unsigned long)1) << 2)
#define CURLAUTH_GSSNEGOTIATE CURLAUTH_NEGOTIATE
#define CURLAUTH_GSSAPI CURLAUTH_NEGOTIATE
#define CURLAUTH_NTLM (((unsigned long)1) << 3)
#define CURLAUTH_DIGEST_IE (((unsigned long)1) << 4)
#ifndef CURL_NO_OLDIES
#define CURLAUTH_NTLM_WB (((unsigned long)1) << 5)
#endif
#define CURLAUTH_BEARER (((unsigned long)1) << 6)
#define CURLAUTH_AWS_SIGV4 (((unsigned long)1) << 7)
#define CURLAUTH_ONLY (((unsigned long)1) << 31)
#define CURLAUTH_ANY (~CURLAUTH_DIGEST_IE)
#define CURLAUTH_ANYSAFE (~(CURLAUTH_BASIC | CURLAUTH_DIGEST_IE))

/* CURLOPT_SSH_AUTH_TYPES bits */
#define CURLSSH_AUTH_ANY ~0
#define CURLSSH_AUTH_NONE 0
#define CURLSSH_AUTH_PUBLICKEY (1 << 0)
#define CURLSSH_AUTH_PASSWORD (1 << 1)
#define CURLSSH_AUTH_HOST (1 << 2)
#define CURLSSH_AUTH_KEYBOARD (1 << 3)
#define CURLSSH_AUTH_AGENT (1 << 4)
#define CURLSSH_AUTH_GSSAPI (1 << 5)
#define CURLSSH_AUTH_DEFAULT CURLSSH_AUTH_ANY

/* CURLOPT_GSSAPI_DELEGATION values */
#define CURLGSSAPI_DELEGATION_NONE 0
#define CURLGSSAPI_DELEGATION_POLICY_FLAG (1 << 0)
#define CURLGSSAPI_DELEGATION_FLAG (1 << 1)

/* minimum size of the CURLOPT_ERRORBUFFER buffer */
#define CURL_ERROR_SIZE 256

enum curl_khtype {
  CURLKHTYPE_UNKNOWN,
  CURLKHTYPE_RSA1,
  CURLKHTYPE_RSA,
  CURLKHTYPE_DSS,
  CURLKHTYPE_ECDSA,
  CURLKHTYPE_ED25519
};

/* An SSH host key. With len 0, key is a base64 NUL-terminated string. */
struct curl_khkey {
  const char *key;
  size_t len;
  enum curl_khtype keytype;
};

/* CURLOPT_SSH_KEYFUNCTION verdicts */
enum curl_khstat {
  CURLKHSTAT_FINE_ADD_TO_FILE,
  CURLKHSTAT_FINE,
  CURLKHSTAT_REJECT,
  CURLKHSTAT_DEFER,
  CURLKHSTAT_FINE_REPLACE,
  CURLKHSTAT_LAST
};

/* what the library found when comparing against known_hosts */
enum curl_khmatch {
  CURLKHMATCH_OK,
  CURLKHMATCH_MISMATCH,
  CURLKHMATCH_MISSING,
  CURLKHMATCH_LAST
};

typedef int (*curl_sshkeycallback)(CURL *easy,
                                   const struct curl_khkey *knownkey,
                                   const struct curl_khkey *foundkey,
                                   enum curl_khmatch, void *clientp);

typedef int (*curl_sshhostkeycallback)(void *clientp, int keytype,
                                       const char *key, size_t keylen);

/* CURLOPT_USE_SSL values */
#define CURLUSESSL_NONE 0L
#define CURLUSESSL_TRY 1L
#define CURLUSESSL_CONTROL 2L
#define CURLUSESSL_ALL 3L

typedef enum {
  CURLUSESSL_LAST = 4
} curl_usessl;

/* CURLOPT_SSL_OPTIONS / CURLOPT_PROXY_SSL_OPTIONS bits */
#define CURLSSLOPT_ALLOW_BEAST (1L << 0)
#define CURLSSLOPT_NO_REVOKE (1L << 1)
#define CURLSSLOPT_NO_PARTIALCHAIN (1L << 2)
#define CURLSSLOPT_REVOKE_BEST_EFFORT (1L << 3)
#define CURLSSLOPT_NATIVE_CA (1L << 4)
#define CURLSSLOPT_AUTO_CLIENT_CERT (1L << 5)
#define CURLSSLOPT_EARLYDATA (1L << 6)

/* default of CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, milliseconds */
#define CURL_HET_DEFAULT 200L

/* default of CURLOPT_UPKEEP_INTERVAL_MS, milliseconds */
#define CURL_UPKEEP_INTERVAL_DEFAULT 60000L

#ifndef CURL_NO_OLDIES
#define CURLFTPSSL_NONE CURLUSESSL_NONE
#define CURLFTPSSL_TRY CURLUSESSL_TRY
#define CURLFTPSSL_CONTROL CURLUSESSL_CONTROL
#define CURLFTPSSL_ALL CURLUSESSL_ALL
#define CURLFTPSSL_LAST CURLUSESSL_LAST
#define curl_ftpssl curl_usessl
#endif

/* CURLOPT_FTP_SSL_CCC values */
typedef enum {
  CURLFTPSSL_CCC_NONE,
  CURLFTPSSL_CCC_PASSIVE,
  CURLFTPSSL_CCC_ACTIVE,
  CURLFTPSSL_CCC_LAST
} curl_ftpccc;

/* CURLOPT_FTPSSLAUTH values */
typedef enum {
  CURLFTPAUTH_DEFAULT,
  CURLFTPAUTH_SSL,
  CURLFTPAUTH_TLS,
  CURLFTPAUTH_LAST
} curl_ftpauth;

/* CURLOPT_FTP_CREATE_MISSING_DIRS values */
typedef enum {
  CURLFTP_CREATE_DIR_NONE,
  CURLFTP_CREATE_DIR,
  CURLFTP_CREATE_DIR_RETRY,
  CURLFTP_CREATE_DIR_LAST
} curl_ftpcreatedir;

/* CURLOPT_FTP_FILEMETHOD values */
typedef enum {
  CURLFTPMETHOD_DEFAULT,
  CURLFTPMETHOD_MULTICWD,
  CURLFTPMETHOD_NOCWD,
  CURLFTPMETHOD_SINGLECWD,
  CURLFTPMETHOD_LAST
} curl_ftpmethod;

/* CURLOPT_HEADEROPT bits */
#define CURLHEADER_UNIFIED 0
#define CURLHEADER_SEPARATE (1 << 0)

/* CURLOPT_ALTSVC_CTRL bits */
#define CURLALTSVC_READONLYFILE (1 << 2)
#define CURLALTSVC_H1 (1 << 3)
#define CURLALTSVC_H2 (1 << 4)
#define CURLALTSVC_H3 (1 << 5)

/* CURLOPT_UPLOAD_FLAGS bits (IMAP) */
#define CURLULFLAG_ANSWERED (1L << 0)
#define CURLULFLAG_DELETED (1L << 1)
#define CURLULFLAG_DRAFT (1L << 2)
#define CURLULFLAG_FLAGGED (1L << 3)
#define CURLULFLAG_SEEN (1L << 4)

/* One HSTS cache entry as passed to the HSTS read/write callbacks. */
struct curl_hstsentry {
  char *name;
  size_t namelen;
  unsigned int includeSubDomains : 1;
  char expire[18]; /* "YYYYMMDD HH:MM:SS" plus NUL */
};

struct curl_index {
  size_t index; /* this entry's position */
  size_t total; /* number of entries */
};

typedef enum {
  CURLSTS_OK,
  CURLSTS_DONE,
  CURLSTS_FAIL
} CURLSTScode;

typedef CURLSTScode (*curl_hstsread_callback)(CURL *easy,
                                              struct curl_hstsentry *e,
                                              void *userp);
typedef CURLSTScode (*curl_hstswrite_callback)(CURL *easy,
                                               struct curl_hstsentry *e,
                                               struct curl_index *i,
                                               void *userp);

/* CURLOPT_HSTS_CTRL bits */
#define CURLHSTS_ENABLE (long)(1 << 0)
#define CURLHSTS_READONLYFILE (long)(1 << 1)

/* Protocol bits for the deprecated CURLOPT_PROTOCOLS and
   CURLOPT_REDIR_PROTOCOLS (use the _STR options instead). */
#define CURLPROTO_HTTP (1 << 0)
#define CURLPROTO_HTTPS (1 << 1)
#define CURLPROTO_FTP (1 << 2)
#define CURLPROTO_FTPS (1 << 3)
#define CURLPROTO_SCP (1 << 4)
#define CURLPROTO_SFTP (1 << 5)
#define CURLPROTO_TELNET (1 << 6)
#define CURLPROTO_LDAP (1 << 7)
#define CURLPROTO_LDAPS (1 << 8)
#define CURLPROTO_DICT (1 << 9)
#define CURLPROTO_FILE (1 << 10)
#define CURLPROTO_TFTP (1 << 11)
#define CURLPROTO_IMAP (1 << 12)
#define CURLPROTO_IMAPS (1 << 13)
#define CURLPROTO_POP3 (1 << 14)
#define CURLPROTO_POP3S (1 << 15)
#define CURLPROTO_SMTP (1 << 16)
#define CURLPROTO_SMTPS (1 << 17)
#define CURLPROTO_RTSP (1 << 18)
#define CURLPROTO_RTMP (1 << 19)
#define CURLPROTO_RTMPT (1 << 20)
#define CURLPROTO_RTMPE (1 << 21)
#define CURLPROTO_RTMPTE (1 << 22)
#define CURLPROTO_RTMPS (1 << 23)
#define CURLPROTO_RTMPTS (1 << 24)
#define CURLPROTO_GOPHER (1 << 25)
#define CURLPROTO_SMB (1 << 26)
#define CURLPROTO_SMBS (1 << 27)
#define CURLPROTO_MQTT (1 << 28)
#define CURLPROTO_GOPHERS (1 << 29)
#define CURLPROTO_ALL (~0)

/* The option number encodes the argument type: the base tells
   curl_easy_setopt() which va_arg type to read. */
#define CURLOPTTYPE_LONG 0
#define CURLOPTTYPE_OBJECTPOINT 10000
#define CURLOPTTYPE_FUNCTIONPOINT 20000
#define CURLOPTTYPE_OFF_T 30000
#define CURLOPTTYPE_BLOB 40000

/* Same bases under names that say more about the argument; they exist for
   documentation and tools only. */
#define CURLOPTTYPE_STRINGPOINT CURLOPTTYPE_OBJECTPOINT /* char * */
#define CURLOPTTYPE_SLISTPOINT CURLOPTTYPE_OBJECTPOINT  /* curl_slist * */
#define CURLOPTTYPE_CBPOINT CURLOPTTYPE_OBJECTPOINT     /* callback data */
#define CURLOPTTYPE_VALUES CURLOPTTYPE_LONG             /* enum/bitmask */

#define CURLOPT(na, t, nu) na = t + nu
#define CURLOPTDEPRECATED(na, t, nu, v, m) na CURL_DEPRECATED(v, m) = t + nu

#if defined(__STDC__) || defined(_MSC_VER) || defined(__cplusplus)
/* the preprocessor is ISO C conforming */
#define CURL_ISOCPP
#else
#undef CURL_ISOCPP
#endif

/* Every easy option. Gaps are numbers libcurl retired; they are never
   reused. */
typedef enum {
  CURLOPT(CURLOPT_WRITEDATA, CURLOPTTYPE_CBPOINT, 1),
  CURLOPT(CURLOPT_URL, CURLOPTTYPE_STRINGPOINT, 2),
  CURLOPT(CURLOPT_PORT, CURLOPTTYPE_LONG, 3),
  CURLOPT(CURLOPT_PROXY, CURLOPTTYPE_STRINGPOINT, 4),
  CURLOPT(CURLOPT_USERPWD, CURLOPTTYPE_STRINGPOINT, 5),
  CURLOPT(CURLOPT_PROXYUSERPWD, CURLOPTTYPE_STRINGPOINT, 6),
  CURLOPT(CURLOPT_RANGE, CURLOPTTYPE_STRINGPOINT, 7),
  /* 8: retired */
  CURLOPT(CURLOPT_READDATA, CURLOPTTYPE_CBPOINT, 9),
  CURLOPT(CURLOPT_ERRORBUFFER, CURLOPTTYPE_OBJECTPOINT, 10),
  CURLOPT(CURLOPT_WRITEFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 11),
  CURLOPT(CURLOPT_READFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 12),
  CURLOPT(CURLOPT_TIMEOUT, CURLOPTTYPE_LONG, 13),
  CURLOPT(CURLOPT_INFILESIZE, CURLOPTTYPE_LONG, 14),
  CURLOPT(CURLOPT_POSTFIELDS, CURLOPTTYPE_OBJECTPOINT, 15),
  CURLOPT(CURLOPT_REFERER, CURLOPTTYPE_STRINGPOINT, 16),
  CURLOPT(CURLOPT_FTPPORT, CURLOPTTYPE_STRINGPOINT, 17),
  CURLOPT(CURLOPT_USERAGENT, CURLOPTTYPE_STRINGPOINT, 18),
  CURLOPT(CURLOPT_LOW_SPEED_LIMIT, CURLOPTTYPE_LONG, 19),
  CURLOPT(CURLOPT_LOW_SPEED_TIME, CURLOPTTYPE_LONG, 20),
  CURLOPT(CURLOPT_RESUME_FROM, CURLOPTTYPE_LONG, 21),
  CURLOPT(CURLOPT_COOKIE, CURLOPTTYPE_STRINGPOINT, 22),
  CURLOPT(CURLOPT_HTTPHEADER, CURLOPTTYPE_SLISTPOINT, 23),
  CURLOPTDEPRECATED(CURLOPT_HTTPPOST, CURLOPTTYPE_OBJECTPOINT, 24, 7.56.0,
                    "Use CURLOPT_MIMEPOST"),
  CURLOPT(CURLOPT_SSLCERT, CURLOPTTYPE_STRINGPOINT, 25),
  CURLOPT(CURLOPT_KEYPASSWD, CURLOPTTYPE_STRINGPOINT, 26),
  CURLOPT(CURLOPT_CRLF, CURLOPTTYPE_LONG, 27),
  CURLOPT(CURLOPT_QUOTE, CURLOPTTYPE_SLISTPOINT, 28),
  CURLOPT(CURLOPT_HEADERDATA, CURLOPTTYPE_CBPOINT, 29),
  /* 30: retired */
  CURLOPT(CURLOPT_COOKIEFILE, CURLOPTTYPE_STRINGPOINT, 31),
  CURLOPT(CURLOPT_SSLVERSION, CURLOPTTYPE_VALUES, 32),
  CURLOPT(CURLOPT_TIMECONDITION, CURLOPTTYPE_VALUES, 33),
  CURLOPT(CURLOPT_TIMEVALUE, CURLOPTTYPE_LONG, 34),
  /* 35: retired */
  CURLOPT(CURLOPT_CUSTOMREQUEST, CURLOPTTYPE_STRINGPOINT, 36),
  CURLOPT(CURLOPT_STDERR, CURLOPTTYPE_OBJECTPOINT, 37),
  /* 38: retired */
  CURLOPT(CURLOPT_POSTQUOTE, CURLOPTTYPE_SLISTPOINT, 39),
  /* does nothing; only here for CURLOPT_WRITEINFO */
  CURLOPT(CURLOPT_OBSOLETE40, CURLOPTTYPE_OBJECTPOINT, 40),
  CURLOPT(CURLOPT_VERBOSE, CURLOPTTYPE_LONG, 41),
  CURLOPT(CURLOPT_HEADER, CURLOPTTYPE_LONG, 42),
  CURLOPT(CURLOPT_NOPROGRESS, CURLOPTTYPE_LONG, 43),
  CURLOPT(CURLOPT_NOBODY, CURLOPTTYPE_LONG, 44),
  CURLOPT(CURLOPT_FAILONERROR, CURLOPTTYPE_LONG, 45),
  CURLOPT(CURLOPT_UPLOAD, CURLOPTTYPE_LONG, 46),
  CURLOPT(CURLOPT_POST, CURLOPTTYPE_LONG, 47),
  CURLOPT(CURLOPT_DIRLISTONLY, CURLOPTTYPE_LONG, 48),
  /* 49: retired */
  CURLOPT(CURLOPT_APPEND, CURLOPTTYPE_LONG, 50),
  CURLOPT(CURLOPT_NETRC, CURLOPTTYPE_VALUES, 51),
  CURLOPT(CURLOPT_FOLLOWLOCATION, CURLOPTTYPE_LONG, 52),
  CURLOPT(CURLOPT_TRANSFERTEXT, CURLOPTTYPE_LONG, 53),
  CURLOPTDEPRECATED(CURLOPT_PUT, CURLOPTTYPE_LONG, 54, 7.12.1,
                    "Use CURLOPT_UPLOAD"),
  /* 55: retired */
  CURLOPTDEPRECATED(CURLOPT_PROGRESSFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 56,
                    7.32.0, "Use CURLOPT_XFERINFOFUNCTION"),
  CURLOPT(CURLOPT_XFERINFODATA, CURLOPTTYPE_CBPOINT, 57),
#define CURLOPT_PROGRESSDATA CURLOPT_XFERINFODATA
  CURLOPT(CURLOPT_AUTOREFERER, CURLOPTTYPE_LONG, 58),
  CURLOPT(CURLOPT_PROXYPORT, CURLOPTTYPE_LONG, 59),
  CURLOPT(CURLOPT_POSTFIELDSIZE, CURLOPTTYPE_LONG, 60),
  CURLOPT(CURLOPT_HTTPPROXYTUNNEL, CURLOPTTYPE_LONG, 61),
  CURLOPT(CURLOPT_INTERFACE, CURLOPTTYPE_STRINGPOINT, 62),
  CURLOPT(CURLOPT_KRBLEVEL, CURLOPTTYPE_STRINGPOINT, 63),
  CURLOPT(CURLOPT_SSL_VERIFYPEER, CURLOPTTYPE_LONG, 64),
  CURLOPT(CURLOPT_CAINFO, CURLOPTTYPE_STRINGPOINT, 65),
  /* 66, 67: retired */
  CURLOPT(CURLOPT_MAXREDIRS, CURLOPTTYPE_LONG, 68),
  CURLOPT(CURLOPT_FILETIME, CURLOPTTYPE_LONG, 69),
  CURLOPT(CURLOPT_TELNETOPTIONS, CURLOPTTYPE_SLISTPOINT, 70),
  CURLOPT(CURLOPT_MAXCONNECTS, CURLOPTTYPE_LONG, 71),
  /* does nothing; only here for CURLOPT_CLOSEPOLICY */
  CURLOPT(CURLOPT_OBSOLETE72, CURLOPTTYPE_LONG, 72),
  /* 73: retired */
  CURLOPT(CURLOPT_FRESH_CONNECT, CURLOPTTYPE_LONG, 74),
  CURLOPT(CURLOPT_FORBID_REUSE, CURLOPTTYPE_LONG, 75),
  CURLOPTDEPRECATED(CURLOPT_RANDOM_FILE, CURLOPTTYPE_STRINGPOINT, 76, 7.84.0,
                    "Serves no purpose anymore"),
  CURLOPTDEPRECATED(CURLOPT_EGDSOCKET, CURLOPTTYPE_STRINGPOINT, 77, 7.84.0,
                    "Serves no purpose anymore"),
  CURLOPT(CURLOPT_CONNECTTIMEOUT, CURLOPTTYPE_LONG, 78),
  CURLOPT(CURLOPT_HEADERFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 79),
  CURLOPT(CURLOPT_HTTPGET, CURLOPTTYPE_LONG, 80),
  CURLOPT(CURLOPT_SSL_VERIFYHOST, CURLOPTTYPE_LONG, 81),
  CURLOPT(CURLOPT_COOKIEJAR, CURLOPTTYPE_STRINGPOINT, 82),
  CURLOPT(CURLOPT_SSL_CIPHER_LIST, CURLOPTTYPE_STRINGPOINT, 83),
  CURLOPT(CURLOPT_HTTP_VERSION, CURLOPTTYPE_VALUES, 84),
  CURLOPT(CURLOPT_FTP_USE_EPSV, CURLOPTTYPE_LONG, 85),
  CURLOPT(CURLOPT_SSLCERTTYPE, CURLOPTTYPE_STRINGPOINT, 86),
  CURLOPT(CURLOPT_SSLKEY, CURLOPTTYPE_STRINGPOINT, 87),
  CURLOPT(CURLOPT_SSLKEYTYPE, CURLOPTTYPE_STRINGPOINT, 88),
  CURLOPT(CURLOPT_SSLENGINE, CURLOPTTYPE_STRINGPOINT, 89),
  CURLOPT(CURLOPT_SSLENGINE_DEFAULT, CURLOPTTYPE_LONG, 90),
  CURLOPTDEPRECATED(CURLOPT_DNS_USE_GLOBAL_CACHE, CURLOPTTYPE_LONG, 91,
                    7.11.1, "Use CURLOPT_SHARE"),
  CURLOPT(CURLOPT_DNS_CACHE_TIMEOUT, CURLOPTTYPE_LONG, 92),
  CURLOPT(CURLOPT_PREQUOTE, CURLOPTTYPE_SLISTPOINT, 93),
  CURLOPT(CURLOPT_DEBUGFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 94),
  CURLOPT(CURLOPT_DEBUGDATA, CURLOPTTYPE_CBPOINT, 95),
  CURLOPT(CURLOPT_COOKIESESSION, CURLOPTTYPE_LONG, 96),
  CURLOPT(CURLOPT_CAPATH, CURLOPTTYPE_STRINGPOINT, 97),
  CURLOPT(CURLOPT_BUFFERSIZE, CURLOPTTYPE_LONG, 98),
  CURLOPT(CURLOPT_NOSIGNAL, CURLOPTTYPE_LONG, 99),
  CURLOPT(CURLOPT_SHARE, CURLOPTTYPE_OBJECTPOINT, 100),
  CURLOPT(CURLOPT_PROXYTYPE, CURLOPTTYPE_VALUES, 101),
  CURLOPT(CURLOPT_ACCEPT_ENCODING, CURLOPTTYPE_STRINGPOINT, 102),
  CURLOPT(CURLOPT_PRIVATE, CURLOPTTYPE_OBJECTPOINT, 103),
  CURLOPT(CURLOPT_HTTP200ALIASES, CURLOPTTYPE_SLISTPOINT, 104),
  CURLOPT(CURLOPT_UNRESTRICTED_AUTH, CURLOPTTYPE_LONG, 105),
  CURLOPT(CURLOPT_FTP_USE_EPRT, CURLOPTTYPE_LONG, 106),
  CURLOPT(CURLOPT_HTTPAUTH, CURLOPTTYPE_VALUES, 107),
  CURLOPT(CURLOPT_SSL_CTX_FUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 108),
  CURLOPT(CURLOPT_SSL_CTX_DATA, CURLOPTTYPE_CBPOINT, 109),
  CURLOPT(CURLOPT_FTP_CREATE_MISSING_DIRS, CURLOPTTYPE_LONG, 110),
  CURLOPT(CURLOPT_PROXYAUTH, CURLOPTTYPE_VALUES, 111),
  CURLOPT(CURLOPT_SERVER_RESPONSE_TIMEOUT, CURLOPTTYPE_LONG, 112),
  CURLOPT(CURLOPT_IPRESOLVE, CURLOPTTYPE_VALUES, 113),
  CURLOPT(CURLOPT_MAXFILESIZE, CURLOPTTYPE_LONG, 114),
  CURLOPT(CURLOPT_INFILESIZE_LARGE, CURLOPTTYPE_OFF_T, 115),
  CURLOPT(CURLOPT_RESUME_FROM_LARGE, CURLOPTTYPE_OFF_T, 116),
  CURLOPT(CURLOPT_MAXFILESIZE_LARGE, CURLOPTTYPE_OFF_T, 117),
  CURLOPT(CURLOPT_NETRC_FILE, CURLOPTTYPE_STRINGPOINT, 118),
  CURLOPT(CURLOPT_USE_SSL, CURLOPTTYPE_VALUES, 119),
  CURLOPT(CURLOPT_POSTFIELDSIZE_LARGE, CURLOPTTYPE_OFF_T, 120),
  CURLOPT(CURLOPT_TCP_NODELAY, CURLOPTTYPE_LONG, 121),
  /* 122 - 128: retired */
  CURLOPT(CURLOPT_FTPSSLAUTH, CURLOPTTYPE_VALUES, 129),
  CURLOPTDEPRECATED(CURLOPT_IOCTLFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 130,
                    7.18.0, "Use CURLOPT_SEEKFUNCTION"),
  CURLOPTDEPRECATED(CURLOPT_IOCTLDATA, CURLOPTTYPE_CBPOINT, 131, 7.18.0,
                    "Use CURLOPT_SEEKDATA"),
  /* 132, 133: retired */
  CURLOPT(CURLOPT_FTP_ACCOUNT, CURLOPTTYPE_STRINGPOINT, 134),
  CURLOPT(CURLOPT_COOKIELIST, CURLOPTTYPE_STRINGPOINT, 135),
  CURLOPT(CURLOPT_IGNORE_CONTENT_LENGTH, CURLOPTTYPE_LONG, 136),
  CURLOPT(CURLOPT_FTP_SKIP_PASV_IP, CURLOPTTYPE_LONG, 137),
  CURLOPT(CURLOPT_FTP_FILEMETHOD, CURLOPTTYPE_VALUES, 138),
  CURLOPT(CURLOPT_LOCALPORT, CURLOPTTYPE_LONG, 139),
  CURLOPT(CURLOPT_LOCALPORTRANGE, CURLOPTTYPE_LONG, 140),
  CURLOPT(CURLOPT_CONNECT_ONLY, CURLOPTTYPE_LONG, 141),
  CURLOPTDEPRECATED(CURLOPT_CONV_FROM_NETWORK_FUNCTION,
                    CURLOPTTYPE_FUNCTIONPOINT, 142, 7.82.0,
                    "Serves no purpose anymore"),
  CURLOPTDEPRECATED(CURLOPT_CONV_TO_NETWORK_FUNCTION,
                    CURLOPTTYPE_FUNCTIONPOINT, 143, 7.82.0,
                    "Serves no purpose anymore"),
  CURLOPTDEPRECATED(CURLOPT_CONV_FROM_UTF8_FUNCTION,
                    CURLOPTTYPE_FUNCTIONPOINT, 144, 7.82.0,
                    "Serves no purpose anymore"),
  CURLOPT(CURLOPT_MAX_SEND_SPEED_LARGE, CURLOPTTYPE_OFF_T, 145),
  CURLOPT(CURLOPT_MAX_RECV_SPEED_LARGE, CURLOPTTYPE_OFF_T, 146),
  CURLOPT(CURLOPT_FTP_ALTERNATIVE_TO_USER, CURLOPTTYPE_STRINGPOINT, 147),
  CURLOPT(CURLOPT_SOCKOPTFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 148),
  CURLOPT(CURLOPT_SOCKOPTDATA, CURLOPTTYPE_CBPOINT, 149),
  CURLOPT(CURLOPT_SSL_SESSIONID_CACHE, CURLOPTTYPE_LONG, 150),
  CURLOPT(CURLOPT_SSH_AUTH_TYPES, CURLOPTTYPE_VALUES, 151),
  CURLOPT(CURLOPT_SSH_PUBLIC_KEYFILE, CURLOPTTYPE_STRINGPOINT, 152),
  CURLOPT(CURLOPT_SSH_PRIVATE_KEYFILE, CURLOPTTYPE_STRINGPOINT, 153),
  CURLOPT(CURLOPT_FTP_SSL_CCC, CURLOPTTYPE_LONG, 154),
  CURLOPT(CURLOPT_TIMEOUT_MS, CURLOPTTYPE_LONG, 155),
  CURLOPT(CURLOPT_CONNECTTIMEOUT_MS, CURLOPTTYPE_LONG, 156),
  CURLOPT(CURLOPT_HTTP_TRANSFER_DECODING, CURLOPTTYPE_LONG, 157),
  CURLOPT(CURLOPT_HTTP_CONTENT_DECODING, CURLOPTTYPE_LONG, 158),
  CURLOPT(CURLOPT_NEW_FILE_PERMS, CURLOPTTYPE_LONG, 159),
  CURLOPT(CURLOPT_NEW_DIRECTORY_PERMS, CURLOPTTYPE_LONG, 160),
  CURLOPT(CURLOPT_POSTREDIR, CURLOPTTYPE_VALUES, 161),
  CURLOPT(CURLOPT_SSH_HOST_PUBLIC_KEY_MD5, CURLOPTTYPE_STRINGPOINT, 162),
  CURLOPT(CURLOPT_OPENSOCKETFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 163),
  CURLOPT(CURLOPT_OPENSOCKETDATA, CURLOPTTYPE_CBPOINT, 164),
  CURLOPT(CURLOPT_COPYPOSTFIELDS, CURLOPTTYPE_OBJECTPOINT, 165),
  CURLOPT(CURLOPT_PROXY_TRANSFER_MODE, CURLOPTTYPE_LONG, 166),
  CURLOPT(CURLOPT_SEEKFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 167),
  CURLOPT(CURLOPT_SEEKDATA, CURLOPTTYPE_CBPOINT, 168),
  CURLOPT(CURLOPT_CRLFILE, CURLOPTTYPE_STRINGPOINT, 169),
  CURLOPT(CURLOPT_ISSUERCERT, CURLOPTTYPE_STRINGPOINT, 170),
  CURLOPT(CURLOPT_ADDRESS_SCOPE, CURLOPTTYPE_LONG, 171),
  CURLOPT(CURLOPT_CERTINFO, CURLOPTTYPE_LONG, 172),
  CURLOPT(CURLOPT_USERNAME, CURLOPTTYPE_STRINGPOINT, 173),
  CURLOPT(CURLOPT_PASSWORD, CURLOPTTYPE_STRINGPOINT, 174),
  CURLOPT(CURLOPT_PROXYUSERNAME, CURLOPTTYPE_STRINGPOINT, 175),
  CURLOPT(CURLOPT_PROXYPASSWORD, CURLOPTTYPE_STRINGPOINT, 176),
  CURLOPT(CURLOPT_NOPROXY, CURLOPTTYPE_STRINGPOINT, 177),
  CURLOPT(CURLOPT_TFTP_BLKSIZE, CURLOPTTYPE_LONG, 178),
  CURLOPTDEPRECATED(CURLOPT_SOCKS5_GSSAPI_SERVICE, CURLOPTTYPE_STRINGPOINT,
                    179, 7.49.0, "Use CURLOPT_PROXY_SERVICE_NAME"),
  CURLOPT(CURLOPT_SOCKS5_GSSAPI_NEC, CURLOPTTYPE_LONG, 180),
  CURLOPTDEPRECATED(CURLOPT_PROTOCOLS, CURLOPTTYPE_LONG, 181, 7.85.0,
                    "Use CURLOPT_PROTOCOLS_STR"),
  CURLOPTDEPRECATED(CURLOPT_REDIR_PROTOCOLS, CURLOPTTYPE_LONG, 182, 7.85.0,
                    "Use CURLOPT_REDIR_PROTOCOLS_STR"),
  CURLOPT(CURLOPT_SSH_KNOWNHOSTS, CURLOPTTYPE_STRINGPOINT, 183),
  CURLOPT(CURLOPT_SSH_KEYFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 184),
  CURLOPT(CURLOPT_SSH_KEYDATA, CURLOPTTYPE_CBPOINT, 185),
  CURLOPT(CURLOPT_MAIL_FROM, CURLOPTTYPE_STRINGPOINT, 186),
  CURLOPT(CURLOPT_MAIL_RCPT, CURLOPTTYPE_SLISTPOINT, 187),
  CURLOPT(CURLOPT_FTP_USE_PRET, CURLOPTTYPE_LONG, 188),
  CURLOPT(CURLOPT_RTSP_REQUEST, CURLOPTTYPE_VALUES, 189),
  CURLOPT(CURLOPT_RTSP_SESSION_ID, CURLOPTTYPE_STRINGPOINT, 190),
  CURLOPT(CURLOPT_RTSP_STREAM_URI, CURLOPTTYPE_STRINGPOINT, 191),
  CURLOPT(CURLOPT_RTSP_TRANSPORT, CURLOPTTYPE_STRINGPOINT, 192),
  CURLOPT(CURLOPT_RTSP_CLIENT_CSEQ, CURLOPTTYPE_LONG, 193),
  CURLOPT(CURLOPT_RTSP_SERVER_CSEQ, CURLOPTTYPE_LONG, 194),
  CURLOPT(CURLOPT_INTERLEAVEDATA, CURLOPTTYPE_CBPOINT, 195),
  CURLOPT(CURLOPT_INTERLEAVEFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 196),
  CURLOPT(CURLOPT_WILDCARDMATCH, CURLOPTTYPE_LONG, 197),
  CURLOPT(CURLOPT_CHUNK_BGN_FUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 198),
  CURLOPT(CURLOPT_CHUNK_END_FUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 199),
  CURLOPT(CURLOPT_FNMATCH_FUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 200),
  CURLOPT(CURLOPT_CHUNK_DATA, CURLOPTTYPE_CBPOINT, 201),
  CURLOPT(CURLOPT_FNMATCH_DATA, CURLOPTTYPE_CBPOINT, 202),
  CURLOPT(CURLOPT_RESOLVE, CURLOPTTYPE_SLISTPOINT, 203),
  CURLOPT(CURLOPT_TLSAUTH_USERNAME, CURLOPTTYPE_STRINGPOINT, 204),
  CURLOPT(CURLOPT_TLSAUTH_PASSWORD, CURLOPTTYPE_STRINGPOINT, 205),
  CURLOPT(CURLOPT_TLSAUTH_TYPE, CURLOPTTYPE_STRINGPOINT, 206),
  CURLOPT(CURLOPT_TRANSFER_ENCODING, CURLOPTTYPE_LONG, 207),
  CURLOPT(CURLOPT_CLOSESOCKETFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 208),
  CURLOPT(CURLOPT_CLOSESOCKETDATA, CURLOPTTYPE_CBPOINT, 209),
  CURLOPT(CURLOPT_GSSAPI_DELEGATION, CURLOPTTYPE_VALUES, 210),
  CURLOPT(CURLOPT_DNS_SERVERS, CURLOPTTYPE_STRINGPOINT, 211),
  CURLOPT(CURLOPT_ACCEPTTIMEOUT_MS, CURLOPTTYPE_LONG, 212),
  CURLOPT(CURLOPT_TCP_KEEPALIVE, CURLOPTTYPE_LONG, 213),
  CURLOPT(CURLOPT_TCP_KEEPIDLE, CURLOPTTYPE_LONG, 214),
  CURLOPT(CURLOPT_TCP_KEEPINTVL, CURLOPTTYPE_LONG, 215),
  CURLOPT(CURLOPT_SSL_OPTIONS, CURLOPTTYPE_VALUES, 216),
  CURLOPT(CURLOPT_MAIL_AUTH, CURLOPTTYPE_STRINGPOINT, 217),
  CURLOPT(CURLOPT_SASL_IR, CURLOPTTYPE_LONG, 218),
  CURLOPT(CURLOPT_XFERINFOFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 219),
  CURLOPT(CURLOPT_XOAUTH2_BEARER, CURLOPTTYPE_STRINGPOINT, 220),
  CURLOPT(CURLOPT_DNS_INTERFACE, CURLOPTTYPE_STRINGPOINT, 221),
  CURLOPT(CURLOPT_DNS_LOCAL_IP4, CURLOPTTYPE_STRINGPOINT, 222),
  CURLOPT(CURLOPT_DNS_LOCAL_IP6, CURLOPTTYPE_STRINGPOINT, 223),
  CURLOPT(CURLOPT_LOGIN_OPTIONS, CURLOPTTYPE_STRINGPOINT, 224),
  CURLOPTDEPRECATED(CURLOPT_SSL_ENABLE_NPN, CURLOPTTYPE_LONG, 225, 7.86.0,
                    "Has no function"),
  CURLOPT(CURLOPT_SSL_ENABLE_ALPN, CURLOPTTYPE_LONG, 226),
  CURLOPT(CURLOPT_EXPECT_100_TIMEOUT_MS, CURLOPTTYPE_LONG, 227),
  CURLOPT(CURLOPT_PROXYHEADER, CURLOPTTYPE_SLISTPOINT, 228),
  CURLOPT(CURLOPT_HEADEROPT, CURLOPTTYPE_VALUES, 229),
  CURLOPT(CURLOPT_PINNEDPUBLICKEY, CURLOPTTYPE_STRINGPOINT, 230),
  CURLOPT(CURLOPT_UNIX_SOCKET_PATH, CURLOPTTYPE_STRINGPOINT, 231),
  CURLOPT(CURLOPT_SSL_VERIFYSTATUS, CURLOPTTYPE_LONG, 232),
  CURLOPT(CURLOPT_SSL_FALSESTART, CURLOPTTYPE_LONG, 233),
  CURLOPT(CURLOPT_PATH_AS_IS, CURLOPTTYPE_LONG, 234),
  CURLOPT(CURLOPT_PROXY_SERVICE_NAME, CURLOPTTYPE_STRINGPOINT, 235),
  CURLOPT(CURLOPT_SERVICE_NAME, CURLOPTTYPE_STRINGPOINT, 236),
  CURLOPT(CURLOPT_PIPEWAIT, CURLOPTTYPE_LONG, 237),
  CURLOPT(CURLOPT_DEFAULT_PROTOCOL, CURLOPTTYPE_STRINGPOINT, 238),
  CURLOPT(CURLOPT_STREAM_WEIGHT, CURLOPTTYPE_LONG, 239),
  CURLOPT(CURLOPT_STREAM_DEPENDS, CURLOPTTYPE_OBJECTPOINT, 240),
  CURLOPT(CURLOPT_STREAM_DEPENDS_E, CURLOPTTYPE_OBJECTPOINT, 241),
  CURLOPT(CURLOPT_TFTP_NO_OPTIONS, CURLOPTTYPE_LONG, 242),
  CURLOPT(CURLOPT_CONNECT_TO, CURLOPTTYPE_SLISTPOINT, 243),
  CURLOPT(CURLOPT_TCP_FASTOPEN, CURLOPTTYPE_LONG, 244),
  CURLOPT(CURLOPT_KEEP_SENDING_ON_ERROR, CURLOPTTYPE_LONG, 245),
  CURLOPT(CURLOPT_PROXY_CAINFO, CURLOPTTYPE_STRINGPOINT, 246),
  CURLOPT(CURLOPT_PROXY_CAPATH, CURLOPTTYPE_STRINGPOINT, 247),
  CURLOPT(CURLOPT_PROXY_SSL_VERIFYPEER, CURLOPTTYPE_LONG, 248),
  CURLOPT(CURLOPT_PROXY_SSL_VERIFYHOST, CURLOPTTYPE_LONG, 249),
  CURLOPT(CURLOPT_PROXY_SSLVERSION, CURLOPTTYPE_VALUES, 250),
  CURLOPT(CURLOPT_PROXY_TLSAUTH_USERNAME, CURLOPTTYPE_STRINGPOINT, 251),
  CURLOPT(CURLOPT_PROXY_TLSAUTH_PASSWORD, CURLOPTTYPE_STRINGPOINT, 252),
  CURLOPT(CURLOPT_PROXY_TLSAUTH_TYPE, CURLOPTTYPE_STRINGPOINT, 253),
  CURLOPT(CURLOPT_PROXY_SSLCERT, CURLOPTTYPE_STRINGPOINT, 254),
  CURLOPT(CURLOPT_PROXY_SSLCERTTYPE, CURLOPTTYPE_STRINGPOINT, 255),
  CURLOPT(CURLOPT_PROXY_SSLKEY, CURLOPTTYPE_STRINGPOINT, 256),
  CURLOPT(CURLOPT_PROXY_SSLKEYTYPE, CURLOPTTYPE_STRINGPOINT, 257),
  CURLOPT(CURLOPT_PROXY_KEYPASSWD, CURLOPTTYPE_STRINGPOINT, 258),
  CURLOPT(CURLOPT_PROXY_SSL_CIPHER_LIST, CURLOPTTYPE_STRINGPOINT, 259),
  CURLOPT(CURLOPT_PROXY_CRLFILE, CURLOPTTYPE_STRINGPOINT, 260),
  CURLOPT(CURLOPT_PROXY_SSL_OPTIONS, CURLOPTTYPE_LONG, 261),
  CURLOPT(CURLOPT_PRE_PROXY, CURLOPTTYPE_STRINGPOINT, 262),
  CURLOPT(CURLOPT_PROXY_PINNEDPUBLICKEY, CURLOPTTYPE_STRINGPOINT, 263),
  CURLOPT(CURLOPT_ABSTRACT_UNIX_SOCKET, CURLOPTTYPE_STRINGPOINT, 264),
  CURLOPT(CURLOPT_SUPPRESS_CONNECT_HEADERS, CURLOPTTYPE_LONG, 265),
  CURLOPT(CURLOPT_REQUEST_TARGET, CURLOPTTYPE_STRINGPOINT, 266),
  CURLOPT(CURLOPT_SOCKS5_AUTH, CURLOPTTYPE_LONG, 267),
  CURLOPT(CURLOPT_SSH_COMPRESSION, CURLOPTTYPE_LONG, 268),
  CURLOPT(CURLOPT_MIMEPOST, CURLOPTTYPE_OBJECTPOINT, 269),
  CURLOPT(CURLOPT_TIMEVALUE_LARGE, CURLOPTTYPE_OFF_T, 270),
  CURLOPT(CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, CURLOPTTYPE_LONG, 271),
  CURLOPT(CURLOPT_RESOLVER_START_FUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 272),
  CURLOPT(CURLOPT_RESOLVER_START_DATA, CURLOPTTYPE_CBPOINT, 273),
  CURLOPT(CURLOPT_HAPROXYPROTOCOL, CURLOPTTYPE_LONG, 274),
  CURLOPT(CURLOPT_DNS_SHUFFLE_ADDRESSES, CURLOPTTYPE_LONG, 275),
  CURLOPT(CURLOPT_TLS13_CIPHERS, CURLOPTTYPE_STRINGPOINT, 276),
  CURLOPT(CURLOPT_PROXY_TLS13_CIPHERS, CURLOPTTYPE_STRINGPOINT, 277),
  CURLOPT(CURLOPT_DISALLOW_USERNAME_IN_URL, CURLOPTTYPE_LONG, 278),
  CURLOPT(CURLOPT_DOH_URL, CURLOPTTYPE_STRINGPOINT, 279),
  CURLOPT(CURLOPT_UPLOAD_BUFFERSIZE, CURLOPTTYPE_LONG, 280),
  CURLOPT(CURLOPT_UPKEEP_INTERVAL_MS, CURLOPTTYPE_LONG, 281),
  CURLOPT(CURLOPT_CURLU, CURLOPTTYPE_OBJECTPOINT, 282),
  CURLOPT(CURLOPT_TRAILERFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 283),
  CURLOPT(CURLOPT_TRAILERDATA, CURLOPTTYPE_CBPOINT, 284),
  CURLOPT(CURLOPT_HTTP09_ALLOWED, CURLOPTTYPE_LONG, 285),
  CURLOPT(CURLOPT_ALTSVC_CTRL, CURLOPTTYPE_LONG, 286),
  CURLOPT(CURLOPT_ALTSVC, CURLOPTTYPE_STRINGPOINT, 287),
  CURLOPT(CURLOPT_MAXAGE_CONN, CURLOPTTYPE_LONG, 288),
  CURLOPT(CURLOPT_SASL_AUTHZID, CURLOPTTYPE_STRINGPOINT, 289),
  CURLOPT(CURLOPT_MAIL_RCPT_ALLOWFAILS, CURLOPTTYPE_LONG, 290),
  CURLOPT(CURLOPT_SSLCERT_BLOB, CURLOPTTYPE_BLOB, 291),
  CURLOPT(CURLOPT_SSLKEY_BLOB, CURLOPTTYPE_BLOB, 292),
  CURLOPT(CURLOPT_PROXY_SSLCERT_BLOB, CURLOPTTYPE_BLOB, 293),
  CURLOPT(CURLOPT_PROXY_SSLKEY_BLOB, CURLOPTTYPE_BLOB, 294),
  CURLOPT(CURLOPT_ISSUERCERT_BLOB, CURLOPTTYPE_BLOB, 295),
  CURLOPT(CURLOPT_PROXY_ISSUERCERT, CURLOPTTYPE_STRINGPOINT, 296),
  CURLOPT(CURLOPT_PROXY_ISSUERCERT_BLOB, CURLOPTTYPE_BLOB, 297),
  CURLOPT(CURLOPT_SSL_EC_CURVES, CURLOPTTYPE_STRINGPOINT, 298),
  CURLOPT(CURLOPT_HSTS_CTRL, CURLOPTTYPE_LONG, 299),
  CURLOPT(CURLOPT_HSTS, CURLOPTTYPE_STRINGPOINT, 300),
  CURLOPT(CURLOPT_HSTSREADFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 301),
  CURLOPT(CURLOPT_HSTSREADDATA, CURLOPTTYPE_CBPOINT, 302),
  CURLOPT(CURLOPT_HSTSWRITEFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 303),
  CURLOPT(CURLOPT_HSTSWRITEDATA, CURLOPTTYPE_CBPOINT, 304),
  CURLOPT(CURLOPT_AWS_SIGV4, CURLOPTTYPE_STRINGPOINT, 305),
  CURLOPT(CURLOPT_DOH_SSL_VERIFYPEER, CURLOPTTYPE_LONG, 306),
  CURLOPT(CURLOPT_DOH_SSL_VERIFYHOST, CURLOPTTYPE_LONG, 307),
  CURLOPT(CURLOPT_DOH_SSL_VERIFYSTATUS, CURLOPTTYPE_LONG, 308),
  CURLOPT(CURLOPT_CAINFO_BLOB, CURLOPTTYPE_BLOB, 309),
  CURLOPT(CURLOPT_PROXY_CAINFO_BLOB, CURLOPTTYPE_BLOB, 310),
  CURLOPT(CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, CURLOPTTYPE_STRINGPOINT, 311),
  CURLOPT(CURLOPT_PREREQFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 312),
  CURLOPT(CURLOPT_PREREQDATA, CURLOPTTYPE_CBPOINT, 313),
  CURLOPT(CURLOPT_MAXLIFETIME_CONN, CURLOPTTYPE_LONG, 314),
  CURLOPT(CURLOPT_MIME_OPTIONS, CURLOPTTYPE_LONG, 315),
  CURLOPT(CURLOPT_SSH_HOSTKEYFUNCTION, CURLOPTTYPE_FUNCTIONPOINT, 316),
  CURLOPT(CURLOPT_SSH_HOSTKEYDATA, CURLOPTTYPE_CBPOINT, 317),
  CURLOPT(CURLOPT_PROTOCOLS_STR, CURLOPTTYPE_STRINGPOINT, 318),
  CURLOPT(CURLOPT_REDIR_PROTOCOLS_STR, CURLOPTTYPE_STRINGPOINT, 319),
  CURLOPT(CURLOPT_WS_OPTIONS, CURLOPTTYPE_LONG, 320),
  CURLOPT(CURLOPT_CA_CACHE_TIMEOUT, CURLOPTTYPE_LONG, 321),
  CURLOPT(CURLOPT_QUICK_EXIT, CURLOPTTYPE_LONG, 322),
  CURLOPT(CURLOPT_HAPROXY_CLIENT_IP, CURLOPTTYPE_STRINGPOINT, 323),
  CURLOPT(CURLOPT_SERVER_RESPONSE_TIMEOUT_MS, CURLOPTTYPE_LONG, 324),
  CURLOPT(CURLOPT_ECH, CURLOPTTYPE_STRINGPOINT, 325),
  CURLOPT(CURLOPT_TCP_KEEPCNT, CURLOPTTYPE_LONG, 326),
  CURLOPT(CURLOPT_UPLOAD_FLAGS, CURLOPTTYPE_LONG, 327),
  CURLOPT(CURLOPT_SSL_SIGNATURE_ALGORITHMS, CURLOPTTYPE_STRINGPOINT, 328),

  /* ---- curlium additions ----
   *
   * Browser impersonation. The numbers are those of the curl-impersonate
   * fork (lexiforest/curl-impersonate), so programs written for
   * libcurl-impersonate (curl_cffi and friends) work unchanged; libcurl
   * itself never uses numbers this high.
   *
   * These options are declared now; the impersonation work implements
   * them (lib/impersonate and the TLS/HTTP2 profile code). Until then
   * curl_easy_setopt() may answer CURLE_NOT_BUILT_IN for them. */

  /* Impersonation target: "chrome136", optionally ":yes"/":no" to choose
     whether the browser's default headers are sent. Same effect as
     curl_easy_impersonate(). */
  CURLOPT(CURLOPT_IMPERSONATE, CURLOPTTYPE_STRINGPOINT, 999),

  /* Fingerprint knobs of curl-impersonate; declared now, implemented by the
     impersonation work. */
  /* headers the browser sends on its own; merged under CURLOPT_HTTPHEADER */
  CURLOPT(CURLOPT_HTTPBASEHEADER, CURLOPTTYPE_SLISTPOINT, 1000),
  /* TLS signature algorithms list (older spelling of option 328) */
  CURLOPT(CURLOPT_SSL_SIG_HASH_ALGS, CURLOPTTYPE_STRINGPOINT, 1001),
  /* send the ALPS extension */
  CURLOPT(CURLOPT_SSL_ENABLE_ALPS, CURLOPTTYPE_LONG, 1002),
  /* certificate compression algorithms offered: "zlib,brotli" */
  CURLOPT(CURLOPT_SSL_CERT_COMPRESSION, CURLOPTTYPE_STRINGPOINT, 1003),
  /* send the session ticket extension */
  CURLOPT(CURLOPT_SSL_ENABLE_TICKET, CURLOPTTYPE_LONG, 1004),
  /* order of :method :authority :scheme :path, as letters "masp" */
  CURLOPT(CURLOPT_HTTP2_PSEUDO_HEADERS_ORDER, CURLOPTTYPE_STRINGPOINT, 1005),
  /* HTTP/2 SETTINGS frame, "id:value;id:value" */
  CURLOPT(CURLOPT_HTTP2_SETTINGS, CURLOPTTYPE_STRINGPOINT, 1006),
  /* shuffle the ClientHello extensions like Chrome */
  CURLOPT(CURLOPT_SSL_PERMUTE_EXTENSIONS, CURLOPTTYPE_LONG, 1007),
  /* connection-level WINDOW_UPDATE increment sent after the preface */
  CURLOPT(CURLOPT_HTTP2_WINDOW_UPDATE, CURLOPTTYPE_LONG, 1008),
  /* 1009: unused by the fork */
  /* initial PRIORITY frames for HTTP/2 streams */
  CURLOPT(CURLOPT_HTTP2_STREAMS, CURLOPTTYPE_STRINGPOINT, 1010),
  /* GREASE values in the ClientHello */
  CURLOPT(CURLOPT_TLS_GREASE, CURLOPTTYPE_LONG, 1011),
  /* explicit ClientHello extension order, "id-id-..." */
  CURLOPT(CURLOPT_TLS_EXTENSION_ORDER, CURLOPTTYPE_STRINGPOINT, 1012),
  /* exclusive flag of the HTTP/2 stream dependency */
  CURLOPT(CURLOPT_STREAM_EXCLUSIVE, CURLOPTTYPE_LONG, 1013),
  /* skip the key usage check on the server certificate */
  CURLOPT(CURLOPT_TLS_KEY_USAGE_NO_CHECK, CURLOPTTYPE_LONG, 1014),
  /* ask for signed certificate timestamps */
  CURLOPT(CURLOPT_TLS_SIGNED_CERT_TIMESTAMPS, CURLOPTTYPE_LONG, 1015),
  /* send status_request (OCSP stapling) */
  CURLOPT(CURLOPT_TLS_STATUS_REQUEST, CURLOPTTYPE_LONG, 1016),
  /* delegated_credentials signature algorithms (Firefox) */
  CURLOPT(CURLOPT_TLS_DELEGATED_CREDENTIALS, CURLOPTTYPE_STRINGPOINT, 1017),
  /* record_size_limit extension value (Firefox) */
  CURLOPT(CURLOPT_TLS_RECORD_SIZE_LIMIT, CURLOPTTYPE_LONG, 1018),
  /* number of key shares sent (Firefox) */
  CURLOPT(CURLOPT_TLS_KEY_SHARES_LIMIT, CURLOPTTYPE_LONG, 1019),
  /* use the new ALPS code point */
  CURLOPT(CURLOPT_TLS_USE_NEW_ALPS_CODEPOINT, CURLOPTTYPE_LONG, 1020),
  /* no priority information in the HTTP/2 HEADERS frame */
  CURLOPT(CURLOPT_HTTP2_NO_PRIORITY, CURLOPTTYPE_LONG, 1021),
  /* never share connections or TLS sessions across proxy credentials */
  CURLOPT(CURLOPT_PROXY_CREDENTIAL_NO_REUSE, CURLOPTTYPE_LONG, 1022),
  /* one Cookie header per cookie, as browsers do over HTTP/2 */
  CURLOPT(CURLOPT_SPLIT_COOKIES, CURLOPTTYPE_LONG, 1023),
  /* multipart boundary style */
  CURLOPT(CURLOPT_FORM_BOUNDARY, CURLOPTTYPE_STRINGPOINT, 1024),
  /* HTTP/3 counterparts of the HTTP/2 knobs above */
  CURLOPT(CURLOPT_HTTP3_PSEUDO_HEADERS_ORDER, CURLOPTTYPE_STRINGPOINT, 1025),
  CURLOPT(CURLOPT_HTTP3_SETTINGS, CURLOPTTYPE_STRINGPOINT, 1026),
  CURLOPT(CURLOPT_QUIC_TRANSPORT_PARAMETERS, CURLOPTTYPE_STRINGPOINT, 1027),
  CURLOPT(CURLOPT_HTTP3_SIG_HASH_ALGS, CURLOPTTYPE_STRINGPOINT, 1028),
  CURLOPT(CURLOPT_HTTP3_TLS_EXTENSION_ORDER, CURLOPTTYPE_STRINGPOINT, 1029),
  /* order of the request headers, "Host,User-Agent,Cookie" */
  CURLOPT(CURLOPT_HTTPHEADER_ORDER, CURLOPTTYPE_STRINGPOINT, 1030),
  CURLOPT(CURLOPT_HTTP3_HTTPHEADER, CURLOPTTYPE_SLISTPOINT, 1031),
  CURLOPT(CURLOPT_HTTP3_HTTPHEADER_ORDER, CURLOPTTYPE_STRINGPOINT, 1032),
  CURLOPT(CURLOPT_HTTP3_SSL_EC_CURVES, CURLOPTTYPE_STRINGPOINT, 1033),
  /* headers and their order for WebSocket upgrade requests */
  CURLOPT(CURLOPT_WS_HTTPHEADER, CURLOPTTYPE_SLISTPOINT, 1034),
  CURLOPT(CURLOPT_WS_HTTPHEADER_ORDER, CURLOPTTYPE_STRINGPOINT, 1035),

  CURLOPT_LASTENTRY /* not an option */
} CURLoption;

#ifndef CURL_NO_OLDIES
/* older option names */
#define CURLOPT_POST301 CURLOPT_POSTREDIR
#define CURLOPT_SSLKEYPASSWD CURLOPT_KEYPASSWD
#define CURLOPT_FTPAPPEND CURLOPT_APPEND
#define CURLOPT_FTPLISTONLY CURLOPT_DIRLISTONLY
#define CURLOPT_FTP_SSL CURLOPT_USE_SSL
#define CURLOPT_SSLCERTPASSWD CURLOPT_KEYPASSWD
#define CURLOPT_KRB4LEVEL CURLOPT_KRBLEVEL
#define CURLOPT_FTP_RESPONSE_TIMEOUT CURLOPT_SERVER_RESPONSE_TIMEOUT
#define CURLOPT_MAIL_RCPT_ALLLOWFAILS CURLOPT_MAIL_RCPT_ALLOWFAILS
#else
#undef CURLOPT_DNS_USE_GLOBAL_CACHE
#endif

/* CURLOPT_IPRESOLVE values */
#define CURL_IPRESOLVE_WHATEVER 0L
#define CURL_IPRESOLVE_V4 1L
#define CURL_IPRESOLVE_V6 2L

/* RTSP uses the HTTP header list */
#define CURLOPT_RTSPHEADER CURLOPT_HTTPHEADER

/* CURLOPT_HTTP_VERSION values */
#define CURL_HTTP_VERSION_NONE 0L
#define CURL_HTTP_VERSION_1_0 1L
#define CURL_HTTP_VERSION_1_1 2L
#define CURL_HTTP_VERSION_2_0 3L
#define CURL_HTTP_VERSION_2TLS 4L
#define CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE 5L
#define CURL_HTTP_VERSION_3 30L
#define CURL_HTTP_VERSION_3ONLY 31L
#define CURL_HTTP_VERSION_LAST 32L /* not a valid value */
#define CURL_HTTP_VERSION_2 CURL_HTTP_VERSION_2_0

/* CURLOPT_RTSP_REQUEST values */
#define CURL_RTSPREQ_NONE 0L
#define CURL_RTSPREQ_OPTIONS 1L
#define CURL_RTSPREQ_DESCRIBE 2L
#define CURL_RTSPREQ_ANNOUNCE 3L
#define CURL_RTSPREQ_SETUP 4L
#define CURL_RTSPREQ_PLAY 5L
#define CURL_RTSPREQ_PAUSE 6L
#define CURL_RTSPREQ_TEARDOWN 7L
#define CURL_RTSPREQ_GET_PARAMETER 8L
#define CURL_RTSPREQ_SET_PARAMETER 9L
#define CURL_RTSPREQ_RECORD 10L
#define CURL_RTSPREQ_RECEIVE 11L
#define CURL_RTSPREQ_LAST 12L

/* CURLOPT_NETRC values */
#define CURL_NETRC_IGNORED 0L
#define CURL_NETRC_OPTIONAL 1L
#define CURL_NETRC_REQUIRED 2L
enum CURL_NETRC_OPTION {
  /* the enum type stays for old code; pass the long macros above */
  CURL_NETRC_LAST = 3
};

/* CURLOPT_SSLVERSION values: minimum in the low 16 bits, maximum above */
#define CURL_SSLVERSION_DEFAULT 0
#define CURL_SSLVERSION_TLSv1 1
#define CURL_SSLVERSION_SSLv2 2
#define CURL_SSLVERSION_SSLv3 3
#define CURL_SSLVERSION_TLSv1_0 4
#define CURL_SSLVERSION_TLSv1_1 5
#define CURL_SSLVERSION_TLSv1_2 6
#define CURL_SSLVERSION_TLSv1_3 7
#define CURL_SSLVERSION_LAST 8

#define CURL_SSLVERSION_MAX_NONE 0
#define CURL_SSLVERSION_MAX_DEFAULT (CURL_SSLVERSION_TLSv1 << 16)
#define CURL_SSLVERSION_MAX_TLSv1_0 (CURL_SSLVERSION_TLSv1_0 << 16)
#define CURL_SSLVERSION_MAX_TLSv1_1 (CURL_SSLVERSION_TLSv1_1 << 16)
#define CURL_SSLVERSION_MAX_TLSv1_2 (CURL_SSLVERSION_TLSv1_2 << 16)
#define CURL_SSLVERSION_MAX_TLSv1_3 (CURL_SSLVERSION_TLSv1_3 << 16)
#define CURL_SSLVERSION_MAX_LAST (CURL_SSLVERSION_LAST << 16)

/* CURLOPT_TLSAUTH_TYPE */
#define CURL_TLSAUTH_NONE 0L
#define CURL_TLSAUTH_SRP 1L

enum CURL_TLSAUTH {
  CURL_TLSAUTH_LAST = 2
};

/* CURLOPT_POSTREDIR bits: keep POST on these redirects */
#define CURL_REDIR_GET_ALL 0
#define CURL_REDIR_POST_301 1
#define CURL_REDIR_POST_302 2
#define CURL_REDIR_POST_303 4
#define CURL_REDIR_POST_ALL \
  (CURL_REDIR_POST_301 | CURL_REDIR_POST_302 | CURL_REDIR_POST_303)

/* CURLOPT_TIMECONDITION values */
#define CURL_TIMECOND_NONE 0L
#define CURL_TIMECOND_IFMODSINCE 1L
#define CURL_TIMECOND_IFUNMODSINCE 2L
#define CURL_TIMECOND_LASTMOD 3L

typedef enum {
  CURL_TIMECOND_LAST = 4
} curl_TimeCond;

/* length argument meaning "up to the terminating NUL" */
#define CURL_ZERO_TERMINATED ((size_t)-1)

/* curl_strequal / curl_strnequal: ASCII case-insensitive comparison;
   return non-zero when equal. */
CURL_EXTERN int curl_strequal(const char *s1, const char *s2);
CURL_EXTERN int curl_strnequal(const char *s1, const char *s2, size_t n);

/* ---- MIME ---- */
typedef struct curl_mime curl_mime;
typedef struct curl_mimepart curl_mimepart;

/* CURLOPT_MIME_OPTIONS bits */
#define CURLMIMEOPT_FORMESCAPE (1 << 0)

/* curl_mime_init returns a new empty MIME structure for use with |easy|,
   owned by the caller (curl_mime_free), or NULL on out of memory. */
CURL_EXTERN curl_mime *curl_mime_init(CURL *easy);

/* curl_mime_free frees |mime| and every part in it. NULL is fine. */
CURL_EXTERN void curl_mime_free(curl_mime *mime);

/* curl_mime_addpart appends an empty part; |mime| owns it. */
CURL_EXTERN curl_mimepart *curl_mime_addpart(curl_mime *mime);

/* The setters below copy their string arguments. */
CURL_EXTERN CURLcode curl_mime_name(curl_mimepart *part, const char *name);
CURL_EXTERN CURLcode curl_mime_filename(curl_mimepart *part,
                                        const char *filename);
CURL_EXTERN CURLcode curl_mime_type(curl_mimepart *part,
                                    const char *mimetype);
CURL_EXTERN CURLcode curl_mime_encoder(curl_mimepart *part,
                                       const char *encoding);
/* datasize may be CURL_ZERO_TERMINATED */
CURL_EXTERN CURLcode curl_mime_data(curl_mimepart *part, const char *data,
                                    size_t datasize);
CURL_EXTERN CURLcode curl_mime_filedata(curl_mimepart *part,
                                        const char *filename);
CURL_EXTERN CURLcode curl_mime_data_cb(curl_mimepart *part,
                                       curl_off_t datasize,
                                       curl_read_callback readfunc,
                                       curl_seek_callback seekfunc,
                                       curl_free_callback freefunc,
                                       void *arg);
/* the part takes ownership of |subparts| on success */
CURL_EXTERN CURLcode curl_mime_subparts(curl_mimepart *part,
                                        curl_mime *subparts);
/* with take_ownership non-zero the part frees |headers| */
CURL_EXTERN CURLcode curl_mime_headers(curl_mimepart *part,
                                       struct curl_slist *headers,
                                       int take_ownership);

/* ---- the deprecated form API ---- */
typedef enum {
  CURLFORM_NOTHING CURL_DEPRECATED(7.56.0, ""),
  CURLFORM_COPYNAME CURL_DEPRECATED(7.56.0, "Use curl_mime_name()"),
  CURLFORM_PTRNAME CURL_DEPRECATED(7.56.0, "Use curl_mime_name()"),
  CURLFORM_NAMELENGTH CURL_DEPRECATED(7.56.0, ""),
  CURLFORM_COPYCONTENTS CURL_DEPRECATED(7.56.0, "Use curl_mime_data()"),
  CURLFORM_PTRCONTENTS CURL_DEPRECATED(7.56.0, "Use curl_mime_data()"),
  CURLFORM_CONTENTSLENGTH CURL_DEPRECATED(7.56.0, "Use curl_mime_data()"),
  CURLFORM_FILECONTENT CURL_DEPRECATED(7.56.0, "Use curl_mime_data_cb()"),
  CURLFORM_ARRAY CURL_DEPRECATED(7.56.0, ""),
  CURLFORM_OBSOLETE,
  CURLFORM_FILE CURL_DEPRECATED(7.56.0, "Use curl_mime_filedata()"),
  CURLFORM_BUFFER CURL_DEPRECATED(7.56.0, "Use curl_mime_filename()"),
  CURLFORM_BUFFERPTR CURL_DEPRECATED(7.56.0, "Use curl_mime_data()"),
  CURLFORM_BUFFERLENGTH CURL_DEPRECATED(7.56.0, "Use curl_mime_data()"),
  CURLFORM_CONTENTTYPE CURL_DEPRECATED(7.56.0, "Use curl_mime_type()"),
  CURLFORM_CONTENTHEADER CURL_DEPRECATED(7.56.0, "Use curl_mime_headers()"),
  CURLFORM_FILENAME CURL_DEPRECATED(7.56.0, "Use curl_mime_filename()"),
  CURLFORM_END,
  CURLFORM_OBSOLETE2,
  CURLFORM_STREAM CURL_DEPRECATED(7.56.0, "Use curl_mime_data_cb()"),
  CURLFORM_CONTENTLEN CURL_DEPRECATED(7.56.0, "Use curl_mime_data()"),
  CURLFORM_LASTENTRY
} CURLformoption;

/* one element of a CURLFORM_ARRAY */
struct curl_forms {
  CURLformoption option;
  const char *value;
};

typedef enum {
  CURL_FORMADD_OK CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_MEMORY CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_OPTION_TWICE CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_NULL CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_UNKNOWN_OPTION CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_INCOMPLETE CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_ILLEGAL_ARRAY CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_DISABLED CURL_DEPRECATED(7.56.0, ""),
  CURL_FORMADD_LAST
} CURLFORMcode;

/* curl_formadd adds one part, described by CURLFORM_* option/value pairs
   ending with CURLFORM_END, to the list *httppost / *last_post. */
CURL_EXTERN CURLFORMcode CURL_DEPRECATED(7.56.0, "Use curl_mime_init()")
    curl_formadd(struct curl_httppost **httppost,
                 struct curl_httppost **last_post, ...);

/* curl_formget's sink; returns len to continue */
typedef size_t (*curl_formget_callback)(void *arg, const char *buf,
                                        size_t len);

/* curl_formget serializes |form| through |append|; 0 on success */
CURL_EXTERN int CURL_DEPRECATED(7.56.0, "")
    curl_formget(struct curl_httppost *form, void *arg,
                 curl_formget_callback append);

/* curl_formfree frees a list built by curl_formadd; NULL is fine */
CURL_EXTERN void CURL_DEPRECATED(7.56.0, "Use curl_mime_free()")
    curl_formfree(struct curl_httppost *form);

/* ---- globals, strings, lists ---- */

/* curl_getenv returns a copy of the variable's value (free with
   curl_free) or NULL. */
CURL_EXTERN char *curl_getenv(const char *variable);

/* curl_version returns a static human-readable version string. */
CURL_EXTERN char *curl_version(void);

/* curl_easy_escape URL-encodes |string| (length 0 means strlen). The
   result is owned by the caller (curl_free); NULL on failure. */
CURL_EXTERN char *curl_easy_escape(CURL *handle, const char *string,
                                   int length);

/* the pre-7.15.4 spelling of curl_easy_escape */
CURL_EXTERN char *curl_escape(const char *string, int length);

/* curl_easy_unescape decodes %XX sequences; *outlength (if not NULL)
   gets the result length. Free the result with curl_free. */
CURL_EXTERN char *curl_easy_unescape(CURL *handle, const char *string,
                                     int length, int *outlength);

/* the pre-7.15.4 spelling of curl_easy_unescape */
CURL_EXTERN char *curl_unescape(const char *string, int length);

/* curl_free frees memory that the library handed to the application. */
CURL_EXTERN void curl_free(void *p);

/* curl_global_init sets the library up; CURL_GLOBAL_* flags. */
CURL_EXTERN CURLcode curl_global_init(long flags);

/* curl_global_init_mem is curl_global_init with replacement allocators
   that the library uses for everything afterwards. */
CURL_EXTERN CURLcode curl_global_init_mem(long flags,
                                          curl_malloc_callback m,
                                          curl_free_callback f,
                                          curl_realloc_callback r,
                                          curl_strdup_callback s,
                                          curl_calloc_callback c);

CURL_EXTERN void curl_global_cleanup(void);

/* curl_global_trace selects which components log to the verbose output,
   e.g. "all,-tcp". */
CURL_EXTERN CURLcode curl_global_trace(const char *config);

/* A singly linked list of strings, for CURLOPT_HTTPHEADER and friends. */
struct curl_slist {
  char *data;
  struct curl_slist *next;
};

/* curl_global_sslset: TLS backend choice for multi-backend builds. */
struct curl_ssl_backend {
  curl_sslbackend id;
  const char *name;
};
typedef struct curl_ssl_backend curl_ssl_backend;

typedef enum {
  CURLSSLSET_OK = 0,
  CURLSSLSET_UNKNOWN_BACKEND,
  CURLSSLSET_TOO_LATE,
  CURLSSLSET_NO_BACKENDS
} CURLsslset;

CURL_EXTERN CURLsslset curl_global_sslset(curl_sslbackend id,
                                          const char *name,
                                          const curl_ssl_backend ***avail);

/* curl_slist_append copies |data| into a new node at the end of |list|
   (NULL starts a list) and returns the list head, or NULL on out of
   memory, in which case |list| is left untouched. */
CURL_EXTERN struct curl_slist *curl_slist_append(struct curl_slist *list,
                                                 const char *data);

/* curl_slist_free_all frees every node; NULL is fine. */
CURL_EXTERN void curl_slist_free_all(struct curl_slist *list);

/* curl_getdate parses an HTTP/mail/etc date string into seconds since the
   epoch; -1 when it cannot. |unused| must be NULL. */
CURL_EXTERN time_t curl_getdate(const char *p, const time_t *unused);

/* CURLINFO_CERTINFO: per certificate, a list of "name:value" strings. */
struct curl_certinfo {
  int num_of_certs;
  struct curl_slist **certinfo;
};

/* CURLINFO_TLS_SSL_PTR / CURLINFO_TLS_SESSION: the TLS library's object
   (an SSL * for curlium). */
struct curl_tlssessioninfo {
  curl_sslbackend backend;
  void *internals;
};

/* CURLINFO type bases: what curl_easy_getinfo() writes through */
#define CURLINFO_STRING 0x100000
#define CURLINFO_LONG 0x200000
#define CURLINFO_DOUBLE 0x300000
#define CURLINFO_SLIST 0x400000
#define CURLINFO_PTR 0x400000 /* same as SLIST */
#define CURLINFO_SOCKET 0x500000
#define CURLINFO_OFF_T 0x600000
#define CURLINFO_MASK 0x0fffff
#define CURLINFO_TYPEMASK 0xf00000

typedef enum {
  CURLINFO_NONE,
  CURLINFO_EFFECTIVE_URL = CURLINFO_STRING + 1,
  CURLINFO_RESPONSE_CODE = CURLINFO_LONG + 2,
  CURLINFO_TOTAL_TIME = CURLINFO_DOUBLE + 3,
  CURLINFO_NAMELOOKUP_TIME = CURLINFO_DOUBLE + 4,
  CURLINFO_CONNECT_TIME = CURLINFO_DOUBLE + 5,
  CURLINFO_PRETRANSFER_TIME = CURLINFO_DOUBLE + 6,
  CURLINFO_SIZE_UPLOAD CURL_DEPRECATED(7.55.0, "Use CURLINFO_SIZE_UPLOAD_T") =
      CURLINFO_DOUBLE + 7,
  CURLINFO_SIZE_UPLOAD_T = CURLINFO_OFF_T + 7,
  CURLINFO_SIZE_DOWNLOAD
      CURL_DEPRECATED(7.55.0, "Use CURLINFO_SIZE_DOWNLOAD_T") =
          CURLINFO_DOUBLE + 8,
  CURLINFO_SIZE_DOWNLOAD_T = CURLINFO_OFF_T + 8,
  CURLINFO_SPEED_DOWNLOAD
      CURL_DEPRECATED(7.55.0, "Use CURLINFO_SPEED_DOWNLOAD_T") =
          CURLINFO_DOUBLE + 9,
  CURLINFO_SPEED_DOWNLOAD_T = CURLINFO_OFF_T + 9,
  CURLINFO_SPEED_UPLOAD
      CURL_DEPRECATED(7.55.0, "Use CURLINFO_SPEED_UPLOAD_T") =
          CURLINFO_DOUBLE + 10,
  CURLINFO_SPEED_UPLOAD_T = CURLINFO_OFF_T + 10,
  CURLINFO_HEADER_SIZE = CURLINFO_LONG + 11,
  CURLINFO_REQUEST_SIZE = CURLINFO_LONG + 12,
  CURLINFO_SSL_VERIFYRESULT = CURLINFO_LONG + 13,
  CURLINFO_FILETIME = CURLINFO_LONG + 14,
  CURLINFO_FILETIME_T = CURLINFO_OFF_T + 14,
  CURLINFO_CONTENT_LENGTH_DOWNLOAD
      CURL_DEPRECATED(7.55.0, "Use CURLINFO_CONTENT_LENGTH_DOWNLOAD_T") =
          CURLINFO_DOUBLE + 15,
  CURLINFO_CONTENT_LENGTH_DOWNLOAD_T = CURLINFO_OFF_T + 15,
  CURLINFO_CONTENT_LENGTH_UPLOAD
      CURL_DEPRECATED(7.55.0, "Use CURLINFO_CONTENT_LENGTH_UPLOAD_T") =
          CURLINFO_DOUBLE + 16,
  CURLINFO_CONTENT_LENGTH_UPLOAD_T = CURLINFO_OFF_T + 16,
  CURLINFO_STARTTRANSFER_TIME = CURLINFO_DOUBLE + 17,
  CURLINFO_CONTENT_TYPE = CURLINFO_STRING + 18,
  CURLINFO_REDIRECT_TIME = CURLINFO_DOUBLE + 19,
  CURLINFO_REDIRECT_COUNT = CURLINFO_LONG + 20,
  CURLINFO_PRIVATE = CURLINFO_STRING + 21,
  CURLINFO_HTTP_CONNECTCODE = CURLINFO_LONG + 22,
  CURLINFO_HTTPAUTH_AVAIL = CURLINFO_LONG + 23,
  CURLINFO_PROXYAUTH_AVAIL = CURLINFO_LONG + 24,
  CURLINFO_OS_ERRNO = CURLINFO_LONG + 25,
  CURLINFO_NUM_CONNECTS = CURLINFO_LONG + 26,
  CURLINFO_SSL_ENGINES = CURLINFO_SLIST + 27,
  CURLINFO_COOKIELIST = CURLINFO_SLIST + 28,
  CURLINFO_LASTSOCKET CURL_DEPRECATED(7.45.0, "Use CURLINFO_ACTIVESOCKET") =
      CURLINFO_LONG + 29,
  CURLINFO_FTP_ENTRY_PATH = CURLINFO_STRING + 30,
  CURLINFO_REDIRECT_URL = CURLINFO_STRING + 31,
  CURLINFO_PRIMARY_IP = CURLINFO_STRING + 32,
  CURLINFO_APPCONNECT_TIME = CURLINFO_DOUBLE + 33,
  CURLINFO_CERTINFO = CURLINFO_PTR + 34,
  CURLINFO_CONDITION_UNMET = CURLINFO_LONG + 35,
  CURLINFO_RTSP_SESSION_ID = CURLINFO_STRING + 36,
  CURLINFO_RTSP_CLIENT_CSEQ = CURLINFO_LONG + 37,
  CURLINFO_RTSP_SERVER_CSEQ = CURLINFO_LONG + 38,
  CURLINFO_RTSP_CSEQ_RECV = CURLINFO_LONG + 39,
  CURLINFO_PRIMARY_PORT = CURLINFO_LONG + 40,
  CURLINFO_LOCAL_IP = CURLINFO_STRING + 41,
  CURLINFO_LOCAL_PORT = CURLINFO_LONG + 42,
  CURLINFO_TLS_SESSION CURL_DEPRECATED(7.48.0, "Use CURLINFO_TLS_SSL_PTR") =
      CURLINFO_PTR + 43,
  CURLINFO_ACTIVESOCKET = CURLINFO_SOCKET + 44,
  CURLINFO_TLS_SSL_PTR = CURLINFO_PTR + 45,
  CURLINFO_HTTP_VERSION = CURLINFO_LONG + 46,
  CURLINFO_PROXY_SSL_VERIFYRESULT = CURLINFO_LONG + 47,
  CURLINFO_PROTOCOL CURL_DEPRECATED(7.85.0, "Use CURLINFO_SCHEME") =
      CURLINFO_LONG + 48,
  CURLINFO_SCHEME = CURLINFO_STRING + 49,
  CURLINFO_TOTAL_TIME_T = CURLINFO_OFF_T + 50,
  CURLINFO_NAMELOOKUP_TIME_T = CURLINFO_OFF_T + 51,
  CURLINFO_CONNECT_TIME_T = CURLINFO_OFF_T + 52,
  CURLINFO_PRETRANSFER_TIME_T = CURLINFO_OFF_T + 53,
  CURLINFO_STARTTRANSFER_TIME_T = CURLINFO_OFF_T + 54,
  CURLINFO_REDIRECT_TIME_T = CURLINFO_OFF_T + 55,
  CURLINFO_APPCONNECT_TIME_T = CURLINFO_OFF_T + 56,
  CURLINFO_RETRY_AFTER = CURLINFO_OFF_T + 57,
  CURLINFO_EFFECTIVE_METHOD = CURLINFO_STRING + 58,
  CURLINFO_PROXY_ERROR = CURLINFO_LONG + 59,
  CURLINFO_REFERER = CURLINFO_STRING + 60,
  CURLINFO_CAINFO = CURLINFO_STRING + 61,
  CURLINFO_CAPATH = CURLINFO_STRING + 62,
  CURLINFO_XFER_ID = CURLINFO_OFF_T + 63,
  CURLINFO_CONN_ID = CURLINFO_OFF_T + 64,
  CURLINFO_QUEUE_TIME_T = CURLINFO_OFF_T + 65,
  CURLINFO_USED_PROXY = CURLINFO_LONG + 66,
  CURLINFO_POSTTRANSFER_TIME_T = CURLINFO_OFF_T + 67,
  CURLINFO_EARLYDATA_SENT_T = CURLINFO_OFF_T + 68,
  CURLINFO_HTTPAUTH_USED = CURLINFO_LONG + 69,
  CURLINFO_PROXYAUTH_USED = CURLINFO_LONG + 70,
  CURLINFO_LASTONE = 70
} CURLINFO;

/* the pre-7.10.8 name */
#define CURLINFO_HTTP_CODE CURLINFO_RESPONSE_CODE

/* CURLOPT_CLOSEPOLICY values; the option does nothing */
typedef enum {
  CURLCLOSEPOLICY_NONE,
  CURLCLOSEPOLICY_OLDEST,
  CURLCLOSEPOLICY_LEAST_RECENTLY_USED,
  CURLCLOSEPOLICY_LEAST_TRAFFIC,
  CURLCLOSEPOLICY_SLOWEST,
  CURLCLOSEPOLICY_CALLBACK,
  CURLCLOSEPOLICY_LAST
} curl_closepolicy;

/* curl_global_init flags */
#define CURL_GLOBAL_SSL (1 << 0) /* no effect */
#define CURL_GLOBAL_WIN32 (1 << 1)
#define CURL_GLOBAL_ALL (CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32)
#define CURL_GLOBAL_NOTHING 0
#define CURL_GLOBAL_DEFAULT CURL_GLOBAL_ALL
#define CURL_GLOBAL_ACK_EINTR (1 << 2)

/* ---- share interface ---- */

/* What a share handle can hold; also the |data| of lock callbacks. */
typedef enum {
  CURL_LOCK_DATA_NONE = 0,
  CURL_LOCK_DATA_SHARE, /* the share handle's own state */
  CURL_LOCK_DATA_COOKIE,
  CURL_LOCK_DATA_DNS,
  CURL_LOCK_DATA_SSL_SESSION,
  CURL_LOCK_DATA_CONNECT,
  CURL_LOCK_DATA_PSL,
  CURL_LOCK_DATA_HSTS,
  CURL_LOCK_DATA_LAST
} curl_lock_data;

typedef enum {
  CURL_LOCK_ACCESS_NONE = 0,
  CURL_LOCK_ACCESS_SHARED = 1,
  CURL_LOCK_ACCESS_SINGLE = 2,
  CURL_LOCK_ACCESS_LAST
} curl_lock_access;

typedef void (*curl_lock_function)(CURL *handle, curl_lock_data data,
                                   curl_lock_access locktype,
                                   void *userptr);
typedef void (*curl_unlock_function)(CURL *handle, curl_lock_data data,
                                     void *userptr);

typedef enum {
  CURLSHE_OK,
  CURLSHE_BAD_OPTION,   /* 1 */
  CURLSHE_IN_USE,       /* 2 */
  CURLSHE_INVALID,      /* 3 */
  CURLSHE_NOMEM,        /* 4 */
  CURLSHE_NOT_BUILT_IN, /* 5 */
  CURLSHE_LAST
} CURLSHcode;

typedef enum {
  CURLSHOPT_NONE,
  CURLSHOPT_SHARE,      /* curl_lock_data to share */
  CURLSHOPT_UNSHARE,    /* curl_lock_data to stop sharing */
  CURLSHOPT_LOCKFUNC,   /* curl_lock_function */
  CURLSHOPT_UNLOCKFUNC, /* curl_unlock_function */
  CURLSHOPT_USERDATA,   /* userptr for both */
  CURLSHOPT_LAST
} CURLSHoption;

CURL_EXTERN CURLSH *curl_share_init(void);
CURL_EXTERN CURLSHcode curl_share_setopt(CURLSH *share, CURLSHoption option,
                                         ...);
CURL_EXTERN CURLSHcode curl_share_cleanup(CURLSH *share);

/* ---- run-time version information ---- */

typedef enum {
  CURLVERSION_FIRST,    /* 7.10 */
  CURLVERSION_SECOND,   /* 7.11.1 */
  CURLVERSION_THIRD,    /* 7.12.0 */
  CURLVERSION_FOURTH,   /* 7.16.1 */
  CURLVERSION_FIFTH,    /* 7.57.0 */
  CURLVERSION_SIXTH,    /* 7.66.0 */
  CURLVERSION_SEVENTH,  /* 7.70.0 */
  CURLVERSION_EIGHTH,   /* 7.72.0 */
  CURLVERSION_NINTH,    /* 7.75.0 */
  CURLVERSION_TENTH,    /* 7.77.0 */
  CURLVERSION_ELEVENTH, /* 7.87.0 */
  CURLVERSION_TWELFTH,  /* 8.8.0 */
  CURLVERSION_LAST
} CURLversion;

/* the struct age this header describes */
#define CURLVERSION_NOW CURLVERSION_TWELFTH

/* Returned by curl_version_info(). Fields are appended per age; a caller
   may only read the fields its age knows. All strings are static. */
struct curl_version_info_data {
  CURLversion age;
  const char *version;      /* LIBCURL_VERSION */
  unsigned int version_num; /* LIBCURL_VERSION_NUM */
  const char *host;         /* build host triplet */
  int features;             /* CURL_VERSION_* bits */
  const char *ssl_version;
  long ssl_version_num; /* always 0 */
  const char *libz_version;
  const char *const *protocols; /* NULL-terminated */

  /* CURLVERSION_SECOND */
  const char *ares;
  int ares_num;

  /* CURLVERSION_THIRD */
  const char *libidn;

  /* CURLVERSION_FOURTH */
  int iconv_ver_num;
  const char *libssh_version;

  /* CURLVERSION_FIFTH */
  unsigned int brotli_ver_num; /* (major << 24) | (minor << 12) | patch */
  const char *brotli_version;

  /* CURLVERSION_SIXTH */
  unsigned int nghttp2_ver_num; /* (major << 16) | (minor << 8) | patch */
  const char *nghttp2_version;
  const char *quic_version;

  /* CURLVERSION_SEVENTH */
  const char *cainfo; /* built-in CA bundle path or NULL */
  const char *capath;

  /* CURLVERSION_EIGHTH */
  unsigned int zstd_ver_num; /* (major << 24) | (minor << 12) | patch */
  const char *zstd_version;

  /* CURLVERSION_NINTH */
  const char *hyper_version;

  /* CURLVERSION_TENTH */
  const char *gsasl_version;

  /* CURLVERSION_ELEVENTH */
  const char *const *feature_names; /* NULL-terminated */

  /* CURLVERSION_TWELFTH */
  const char *rtmp_version;
};
typedef struct curl_version_info_data curl_version_info_data;

/* curl_version_info_data.features bits */
#define CURL_VERSION_IPV6 (1 << 0)
#define CURL_VERSION_KERBEROS4 (1 << 1) /* deprecated */
#define CURL_VERSION_SSL (1 << 2)
#define CURL_VERSION_LIBZ (1 << 3)
#define CURL_VERSION_NTLM (1 << 4)
#define CURL_VERSION_GSSNEGOTIATE (1 << 5) /* deprecated */
#define CURL_VERSION_DEBUG (1 << 6)
#define CURL_VERSION_ASYNCHDNS (1 << 7)
#define CURL_VERSION_SPNEGO (1 << 8)
#define CURL_VERSION_LARGEFILE (1 << 9)
#define CURL_VERSION_IDN (1 << 10)
#define CURL_VERSION_SSPI (1 << 11)
#define CURL_VERSION_CONV (1 << 12)
#define CURL_VERSION_CURLDEBUG (1 << 13)
#define CURL_VERSION_TLSAUTH_SRP (1 << 14)
#define CURL_VERSION_NTLM_WB (1 << 15)
#define CURL_VERSION_HTTP2 (1 << 16)
#define CURL_VERSION_GSSAPI (1 << 17)
#define CURL_VERSION_KERBEROS5 (1 << 18)
#define CURL_VERSION_UNIX_SOCKETS (1 << 19)
#define CURL_VERSION_PSL (1 << 20)
#define CURL_VERSION_HTTPS_PROXY (1 << 21)
#define CURL_VERSION_MULTI_SSL (1 << 22)
#define CURL_VERSION_BROTLI (1 << 23)
#define CURL_VERSION_ALTSVC (1 << 24)
#define CURL_VERSION_HTTP3 (1 << 25)
#define CURL_VERSION_ZSTD (1 << 26)
#define CURL_VERSION_UNICODE (1 << 27)
#define CURL_VERSION_HSTS (1 << 28)
#define CURL_VERSION_GSASL (1 << 29)
#define CURL_VERSION_THREADSAFE (1 << 30)

/* curl_version_info returns a pointer to static data; never NULL. */
CURL_EXTERN curl_version_info_data *curl_version_info(CURLversion);

/* curl_easy_strerror / curl_share_strerror: static description strings */
CURL_EXTERN const char *curl_easy_strerror(CURLcode);
CURL_EXTERN const char *curl_share_strerror(CURLSHcode);

/* curl_easy_pause sets the pause state of a transfer: CURLPAUSE_* */
CURL_EXTERN CURLcode curl_easy_pause(CURL *handle, int bitmask);

#define CURLPAUSE_RECV (1 << 0)
#define CURLPAUSE_RECV_CONT (0)
#define CURLPAUSE_SEND (1 << 2)
#define CURLPAUSE_SEND_CONT (0)
#define CURLPAUSE_ALL (CURLPAUSE_RECV | CURLPAUSE_SEND)
#define CURLPAUSE_CONT (CURLPAUSE_RECV_CONT | CURLPAUSE_SEND_CONT)

/* curl_easy_ssls_import adds an exported TLS session to the handle's (or
   its share's) session cache. */
CURL_EXTERN CURLcode curl_easy_ssls_import(CURL *handle,
                                           const char *session_key,
                                           const unsigned char *shmac,
                                           size_t shmac_len,
                                           const unsigned char *sdata,
                                           size_t sdata_len);

/* called once per cached session by curl_easy_ssls_export */
typedef CURLcode curl_ssls_export_cb(CURL *handle, void *userptr,
                                     const char *session_key,
                                     const unsigned char *shmac,
                                     size_t shmac_len,
                                     const unsigned char *sdata,
                                     size_t sdata_len,
                                     curl_off_t valid_until,
                                     int ietf_tls_id, const char *alpn,
                                     size_t earlydata_max);

CURL_EXTERN CURLcode curl_easy_ssls_export(CURL *handle,
                                           curl_ssls_export_cb *export_fn,
                                           void *userptr);

/* ---- curlium additions ---- */

/* curl_easy_impersonate configures |curl| to look like the browser named
 * by |target| (e.g. "chrome136", "firefox135", "safari184"): TLS
 * ClientHello, HTTP/2 settings and, if |default_headers| is non-zero, the
 * browser's default request headers. Same effect as setting
 * CURLOPT_IMPERSONATE. Returns CURLE_BAD_FUNCTION_ARGUMENT for an unknown
 * target. curlium's own function, also exported by libcurl-impersonate. */
CURL_EXTERN CURLcode curl_easy_impersonate(CURL *curl, const char *target,
                                           int default_headers);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* the rest of the API needs the types above */
#include "easy.h"
#include "multi.h"
#include "urlapi.h"
#include "options.h"
#include "header.h"
#include "websockets.h"
#include "mprintf.h"

/* Make sure programs pass exactly three arguments to the variadic setters,
   as libcurl's headers enforce. (libcurl's gcc type checker is not
   provided; the library checks option types at run time.) */
#if defined(__STDC__) && (__STDC__ >= 1)
#define curl_easy_setopt(handle, opt, param) curl_easy_setopt(handle, opt, param)
#define curl_easy_getinfo(handle, info, arg) curl_easy_getinfo(handle, info, arg)
#define curl_share_setopt(share, opt, param) curl_share_setopt(share, opt, param)
#define curl_multi_setopt(handle, opt, param) \
  curl_multi_setopt(handle, opt, param)
#endif

#endif /* CURLINC_CURL_H */
