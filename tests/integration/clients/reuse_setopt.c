/* reuse_setopt: one easy handle, three transfers of URL, the CA changed
 * with curl_easy_setopt between them (CA1, then CA2, then CA1 again), to
 * show that a changed TLS option keeps a transfer off connections made
 * under the old one.
 *
 * Usage: reuse_setopt [--blob] URL CA1 CA2
 *   --blob   pass the CAs as CURLOPT_CAINFO_BLOB (copied) instead of
 *            CURLOPT_CAINFO file names
 *
 * Prints one JSON object per transfer: {"code":N,"num_connects":N}.
 * Exit 0 when the transfers could run, 2 on bad usage. Everything is
 * freed before exit. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t on_write(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}

/* read_file returns the file's bytes (free them) or NULL. */
static char *read_file(const char *path, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *data = malloc(1 << 20);
  size_t len = data ? fread(data, 1, 1 << 20, f) : 0;
  fclose(f);
  *out_len = len;
  return data;
}

static int set_ca(CURL *h, const char *path, int blob) {
  if (!blob)
    return curl_easy_setopt(h, CURLOPT_CAINFO, path) == CURLE_OK ? 0 : -1;
  struct curl_blob b;
  b.data = read_file(path, &b.len);
  b.flags = CURL_BLOB_COPY;
  if (!b.data)
    return -1;
  CURLcode rc = curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &b);
  free(b.data); /* copied */
  return rc == CURLE_OK ? 0 : -1;
}

int main(int argc, char **argv) {
  int blob = argc > 1 && strcmp(argv[1], "--blob") == 0;
  if (argc != 4 + blob) {
    fprintf(stderr, "usage: reuse_setopt [--blob] URL CA1 CA2\n");
    return 2;
  }
  const char *url = argv[1 + blob];
  const char *cas[3] = {argv[2 + blob], argv[3 + blob], argv[2 + blob]};
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *h = curl_easy_init();
  int rc = 0;
  if (!h) {
    rc = 2;
    goto out;
  }
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  for (int i = 0; i < 3; i++) {
    if (set_ca(h, cas[i], blob) != 0) {
      rc = 2;
      break;
    }
    CURLcode res = curl_easy_perform(h);
    long connects = -1;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
    printf("{\"code\": %d, \"num_connects\": %ld}\n", (int)res, connects);
  }
  curl_easy_cleanup(h);
out:
  curl_global_cleanup();
  return rc;
}
