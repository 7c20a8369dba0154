/* imp_client: one HTTPS GET through libcurl with an impersonation target,
 * for the fingerprint tests. Writes the response body to stdout and one
 * line "result=<CURLcode> error=<error buffer>" to stderr.
 *
 * Usage: imp_client [options] URL
 *   --impersonate T     curl_easy_impersonate(h, T, 1)
 *   --impersonate-no-headers T   curl_easy_impersonate(h, T, 0)
 *   --setopt SPEC       curl_easy_setopt(h, CURLOPT_IMPERSONATE, SPEC)
 *   --resolve H:P:A     CURLOPT_RESOLVE
 *   --cacert FILE       CURLOPT_CAINFO
 *   --http1.1           CURLOPT_HTTP_VERSION = 1.1
 *   --repeat N          perform N times on the same handle
 * Exit status: 0 when every perform returned CURLE_OK, 1 otherwise, 2 on
 * bad usage or when the impersonation call itself failed. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t on_body(char *p, size_t size, size_t n, void *u) {
  (void)u;
  return fwrite(p, size, n, stdout);
}

int main(int argc, char **argv) {
  const char *url = NULL, *imp = NULL, *spec = NULL, *cacert = NULL;
  int imp_headers = 1, repeat = 1;
  long http_version = CURL_HTTP_VERSION_NONE;
  struct curl_slist *resolve = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--impersonate") && v) {
      imp = v;
      i++;
    } else if (!strcmp(a, "--impersonate-no-headers") && v) {
      imp = v;
      imp_headers = 0;
      i++;
    } else if (!strcmp(a, "--setopt") && v) {
      spec = v;
      i++;
    } else if (!strcmp(a, "--resolve") && v) {
      resolve = curl_slist_append(resolve, v);
      i++;
    } else if (!strcmp(a, "--cacert") && v) {
      cacert = v;
      i++;
    } else if (!strcmp(a, "--repeat") && v) {
      repeat = atoi(v);
      i++;
    } else if (!strcmp(a, "--http1.1")) {
      http_version = CURL_HTTP_VERSION_1_1;
    } else if (a[0] != '-' && !url) {
      url = a;
    } else {
      fprintf(stderr, "usage: imp_client [options] URL\n");
      return 2;
    }
  }
  if (!url)
    return 2;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *h = curl_easy_init();
  char err[CURL_ERROR_SIZE] = "";
  int status = 0;
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
  if (imp) {
    CURLcode rc = curl_easy_impersonate(h, imp, imp_headers);
    if (rc != CURLE_OK) {
      fprintf(stderr, "impersonate=%d error=%s\n", (int)rc, err);
      status = 2;
      goto out;
    }
  }
  if (spec) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_IMPERSONATE, spec);
    if (rc != CURLE_OK) {
      fprintf(stderr, "setopt=%d error=%s\n", (int)rc, err);
      status = 2;
      goto out;
    }
  }
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  if (resolve)
    curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
  if (cacert)
    curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
  if (http_version != CURL_HTTP_VERSION_NONE)
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, http_version);
  for (int i = 0; i < repeat; i++) {
    err[0] = '\0';
    CURLcode rc = curl_easy_perform(h);
    fprintf(stderr, "result=%d error=%s\n", (int)rc, err);
    if (rc != CURLE_OK)
      status = 1;
    fputc('\n', stdout);
  }
out:
  curl_easy_cleanup(h);
  curl_slist_free_all(resolve);
  curl_global_cleanup();
  return status;
}
