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
 *   --long N V          curl_easy_setopt(h, N, (long)V), N the number
 *   --str N V           curl_easy_setopt(h, N, "V") (fingerprint options)
 *   --then-long N V, --then-str N V   the same, set before the second and
 *                       later performs (with --repeat)
 *   --base-header L     a line of CURLOPT_HTTPBASEHEADER
 *   --header L          a line of CURLOPT_HTTPHEADER
 * Options are set in the order given, after the impersonation calls; a
 * failing one prints "setopt N=<CURLcode> error=<error buffer>" (exit 2).
 * Exit status: 0 when every perform returned CURLE_OK, 1 otherwise, 2 on
 * bad usage or when the impersonation call itself failed. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opt {
  long num;
  const char *val;
  int is_str;
  int then;
};

/* set_opts applies the options of one phase (|then| 0: before the first
 * perform); 0 when all were accepted. */
static int set_opts(CURL *h, const struct opt *opts, int num, int then,
                    const char *err) {
  for (int i = 0; i < num; i++) {
    if (opts[i].then != then)
      continue;
    CURLoption o = (CURLoption)opts[i].num;
    CURLcode rc = opts[i].is_str ? curl_easy_setopt(h, o, opts[i].val)
                                 : curl_easy_setopt(h, o, atol(opts[i].val));
    if (rc != CURLE_OK) {
      fprintf(stderr, "setopt %ld=%d error=%s\n", opts[i].num, (int)rc, err);
      return 1;
    }
  }
  return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *u) {
  (void)u;
  return fwrite(p, size, n, stdout);
}

int main(int argc, char **argv) {
  const char *url = NULL, *imp = NULL, *spec = NULL, *cacert = NULL;
  int imp_headers = 1, repeat = 1;
  long http_version = CURL_HTTP_VERSION_NONE;
  struct curl_slist *resolve = NULL, *base = NULL, *hdrs = NULL;
  struct opt opts[64];
  int num_opts = 0;
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
    } else if ((!strcmp(a, "--long") || !strcmp(a, "--str") ||
                !strcmp(a, "--then-long") || !strcmp(a, "--then-str")) &&
               v && i + 2 < argc && num_opts < 64) {
      int then = !strncmp(a, "--then-", 7);
      opts[num_opts].num = atol(v);
      opts[num_opts].val = argv[i + 2];
      opts[num_opts].is_str = a[then ? 7 : 2] == 's';
      opts[num_opts].then = then;
      num_opts++;
      i += 2;
    } else if (!strcmp(a, "--base-header") && v) {
      base = curl_slist_append(base, v);
      i++;
    } else if (!strcmp(a, "--header") && v) {
      hdrs = curl_slist_append(hdrs, v);
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
  if (set_opts(h, opts, num_opts, 0, err)) {
    status = 2;
    goto out;
  }
  if (base)
    curl_easy_setopt(h, CURLOPT_HTTPBASEHEADER, base);
  if (hdrs)
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  if (resolve)
    curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
  if (cacert)
    curl_easy_setopt(h, CURLOPT_CAINFO, cacert);
  if (http_version != CURL_HTTP_VERSION_NONE)
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, http_version);
  for (int i = 0; i < repeat; i++) {
    if (i == 1 && set_opts(h, opts, num_opts, 1, err)) {
      status = 2;
      goto out;
    }
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
  curl_slist_free_all(base);
  curl_slist_free_all(hdrs);
  curl_global_cleanup();
  return status;
}
