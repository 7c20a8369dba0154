#ifndef CURLINC_STDCHEADERS_H
#define CURLINC_STDCHEADERS_H
/*
 * curl/stdcheaders.h: declarations of a few C library functions for
 * systems whose headers lack them. Kept because libcurl ships it and old
 * code includes it; nothing in curl/curl.h needs it.
 */

#include <sys/types.h>

size_t fread(void *, size_t, size_t, FILE *);
size_t fwrite(const void *, size_t, size_t, FILE *);

int strcasecmp(const char *, const char *);
int strncasecmp(const char *, const char *, size_t);

#endif /* CURLINC_STDCHEADERS_H */
