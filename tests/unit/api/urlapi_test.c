/* urlapi_test.c: curl_url_* against libcurl 8.14's behaviour, with cases
 * from curl's own test 1560 (the ones whose expectations 8.14 meets). */
#include <curl/curl.h>
#include <locale.h>
#include <curl/urlapi.h>

#include <stdio.h>
#include <string.h>

#include "test.h"
#include "util/alloc.h"

/* parts renders every part like test 1560's checkparts(): the value, or
 * "[code]" when curl_url_get fails; IPv6 hosts are followed by the zone. */
static void parts(CURLU *u, unsigned gflags, char *out, size_t outlen) {
  static const CURLUPart list[] = {
      CURLUPART_SCHEME,  CURLUPART_USER,  CURLUPART_PASSWORD,
      CURLUPART_OPTIONS, CURLUPART_HOST,  CURLUPART_PORT,
      CURLUPART_PATH,    CURLUPART_QUERY, CURLUPART_FRAGMENT};
  size_t off = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
    char *p = NULL, *z = NULL;
    CURLUcode rc = curl_url_get(u, list[i], &p, gflags);
    const char *sep = off ? " | " : "";
    if (!rc && p) {
      if (list[i] == CURLUPART_HOST && p[0] == '[')
        (void)curl_url_get(u, CURLUPART_ZONEID, &z, gflags);
      off += (size_t)snprintf(out + off, outlen - off, "%s%s%s%s", sep, p,
                              z ? " " : "", z ? z : "");
    } else {
      off += (size_t)snprintf(out + off, outlen - off, "%s[%d]", sep, (int)rc);
    }
    curl_free(p);
    curl_free(z);
  }
}

struct partcase {
  const char *in;
  const char *out;
  unsigned urlflags;
  unsigned getflags;
  CURLUcode ucode;
};

static const struct partcase part_cases[] = {
    {"weird:///path",
     "weird | [11] | [12] | [13] |  | [15] | /path | [16] | [17]",
     CURLU_NON_SUPPORT_SCHEME | CURLU_NO_AUTHORITY, 0, CURLUE_OK},
    {"weird:////path",
     "weird | [11] | [12] | [13] |  | [15] | //path | [16] | [17]",
     CURLU_NON_SUPPORT_SCHEME | CURLU_NO_AUTHORITY, 0, CURLUE_OK},
    {"https://[0:0:0:0:0:FFFF:129.144.52.38]:1234",
     "https | [11] | [12] | [13] | [::ffff:129.144.52.38] | 1234 | / | [16] "
     "| [17]",
     CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
    {"https://[::FFFF:7f00:0001]:1234",
     "https | [11] | [12] | [13] | [::ffff:127.0.0.1] | 1234 | / | [16] | "
     "[17]",
     CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
    {"http://host/path%2f..%2f/",
     "http | [11] | [12] | [13] | host | [15] | /path%2f..%2f/ | [16] | [17]",
     0, 0, CURLUE_OK},
    {"example.com/path",
     "[10] | [11] | [12] | [13] | example.com | [15] | /path | [16] | [17]",
     CURLU_GUESS_SCHEME, CURLU_NO_GUESS_SCHEME, CURLUE_OK},
    {"http://host/path?#",
     "http | [11] | [12] | [13] | host | [15] | /path |  | ", 0,
     CURLU_GET_EMPTY, CURLUE_OK},
    {"https://curl.se/?",
     "https | [11] | [12] | [13] | curl.se | [15] | / |  | [17]", 0,
     CURLU_GET_EMPTY, CURLUE_OK},
    {"https://curl.se/?",
     "https | [11] | [12] | [13] | curl.se | [15] | / | [16] | [17]", 0, 0,
     CURLUE_OK},
    {"https://curl.se/#  ",
     "https | [11] | [12] | [13] | curl.se | [15] | / | [16] | %20%20",
     CURLU_URLENCODE | CURLU_ALLOW_SPACE, 0, CURLUE_OK},
    {"http://host:0/", "http | [11] | [12] | [13] | host | 0 | / | [16] | [17]",
     0, 0, CURLUE_OK},
    {"http://-atest/",
     "http | [11] | [12] | [13] | -atest | [15] | / | [16] | [17]", 0, 0,
     CURLUE_OK},
    {"http://[fe80::1%25eth0]/",
     "http | [11] | [12] | [13] | [fe80::1] eth0 | [15] | / | [16] | [17]", 0,
     0, CURLUE_OK},
    {"https://example.com%252f%40@example.net",
     "https | example.com%2f@ | [12] | [13] | example.net | [15] | / | [16] "
     "| [17]",
     0, CURLU_URLDECODE, CURLUE_OK},
    {"https://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se",
     "https | [11] | [12] | [13] | xn--rksmrgs-5wao1o.se | [15] | / | [16] "
     "| [17]",
     0, CURLU_PUNYCODE, CURLUE_OK},
    {"https://xn--rksmrgs-5wao1o.se",
     "https | [11] | [12] | [13] | r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se | "
     "[15] | / | [16] | [17]",
     0, CURLU_PUNY2IDN, CURLUE_OK},
    {"https://www.xn--rksmrgs-5wao1o.se",
     "https | [11] | [12] | [13] | www.r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se "
     "| [15] | / | [16] | [17]",
     0, CURLU_PUNY2IDN, CURLUE_OK},
    {"https://www.r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se",
     "https | [11] | [12] | [13] | www.r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se "
     "| [15] | / | [16] | [17]",
     0, CURLU_PUNY2IDN, CURLUE_OK},
    {"https://WWW.\xc3\x85\xc3\x84\xc3\x96.SE",
     "https | [11] | [12] | [13] | www.xn--4cab6c.se | [15] | / | [16] | [17]",
     0, CURLU_PUNYCODE, CURLUE_OK},
    {"https://user@example.net?he l lo",
     "https | user | [12] | [13] | example.net | [15] | / | he+l+lo | [17]",
     CURLU_ALLOW_SPACE, CURLU_URLENCODE, CURLUE_OK},
    {"https://user@example.net?he l lo",
     "https | user | [12] | [13] | example.net | [15] | / | he l lo | [17]",
     CURLU_ALLOW_SPACE, 0, CURLUE_OK},
    {"https://:password@example.net",
     "https |  | password | [13] | example.net | [15] | / | [16] | [17]", 0, 0,
     CURLUE_OK},
    {"ws://example.com/color/?green",
     "ws | [11] | [12] | [13] | example.com | [15] | /color/ | green | [17]",
     CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
    {"htt ps://user:password@example.net/get?this=and-what", "",
     CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE, 0, CURLUE_BAD_SCHEME},
    {"https://u ser:password@example.net/get?this=and-what",
     "https | u ser | password | [13] | example.net | [15] | /get | "
     "this=and-what | [17]",
     CURLU_ALLOW_SPACE, 0, CURLUE_OK},
    {"[::]", "http | [11] | [12] | [13] | [::] | [15] | / | [16] | [17]",
     CURLU_GUESS_SCHEME, 0, CURLUE_OK},
    {"ftp.user:moo@example.com/color/#green?no-red",
     "http | ftp.user | moo | [13] | example.com | [15] | /color/ | [16] | "
     "green?no-red",
     CURLU_GUESS_SCHEME, 0, CURLUE_OK},
    {"file://host.example.com/Share/path/to/file.txt", "", CURLU_DEFAULT_SCHEME,
     0, CURLUE_BAD_FILE_URL},
    {"http://a:b@/x", "", CURLU_DEFAULT_SCHEME, 0, CURLUE_NO_HOST},
    {"boing:80", "https | [11] | [12] | [13] | boing | 80 | / | [16] | [17]",
     CURLU_DEFAULT_SCHEME | CURLU_GUESS_SCHEME, 0, CURLUE_OK},
    {"https://[::1%252]:1234",
     "https | [11] | [12] | [13] | [::1] 2 | 1234 | / | [16] | [17]",
     CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
    {"https://127.0.0.1:443",
     "https | [11] | [12] | [13] | 127.0.0.1 | [15] | / | [16] | [17]", 0,
     CURLU_NO_DEFAULT_PORT, CURLUE_OK},
    {"http://%3a:%3a@ex4mple/%3f+?+%3f+%23#+%23%3f%g7",
     "http | : | : | [13] | ex4mple | [15] | /?+ |  ? # | +#?%g7", 0,
     CURLU_URLDECODE, CURLUE_OK},
    {"http://%3a:%3a@ex4mple/%3f?%3f%35#%35%3f%g7",
     "http | %3a | %3a | [13] | ex4mple | [15] | /%3f | %3f%35 | %35%3f%g7", 0,
     0, CURLUE_OK},
    {"imap://user:pass;option@server/path",
     "imap | user | pass | option | server | [15] | /path | [16] | [17]", 0, 0,
     CURLUE_OK},
    {"file:/hello.html",
     "file | [11] | [12] | [13] | [14] | [15] | /hello.html | [16] | [17]", 0,
     0, CURLUE_OK},
    {"file:////hello.html",
     "file | [11] | [12] | [13] | [14] | [15] | //hello.html | [16] | [17]", 0,
     0, CURLUE_OK},
    {"https://127.0.0.1",
     "https | [11] | [12] | [13] | 127.0.0.1 | 443 | / | [16] | [17]", 0,
     CURLU_DEFAULT_PORT, CURLUE_OK},
    {"imaps://127.0.0.1",
     "imaps | [11] | [12] | [13] | 127.0.0.1 | 993 | / | [16] | [17]", 0,
     CURLU_DEFAULT_PORT, CURLUE_OK},
    {"smtps://127.0.0.1",
     "smtps | [11] | [12] | [13] | 127.0.0.1 | 465 | / | [16] | [17]", 0,
     CURLU_DEFAULT_PORT, CURLUE_OK},
    {"gophers://127.0.0.1",
     "gophers | [11] | [12] | [13] | 127.0.0.1 | 70 | / | [16] | [17]", 0,
     CURLU_DEFAULT_PORT, CURLUE_OK},
    {"ldaps://127.0.0.1",
     "ldaps | [11] | [12] | [13] | 127.0.0.1 | 636 | / | [16] | [17]", 0,
     CURLU_DEFAULT_PORT, CURLUE_OK},
    {"https://example.com:01#moo",
     "https | [11] | [12] | [13] | example.com | 1 | / | [16] | moo",
     CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
    {"http:/user:password@example.com:1234/path/html?query=name#anchor",
     "http | user | password | [13] | example.com | 1234 | /path/html | "
     "query=name | anchor",
     CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
};

TEST(get_parts) {
  for (size_t i = 0; i < sizeof(part_cases) / sizeof(part_cases[0]); i++) {
    const struct partcase *c = &part_cases[i];
    CURLU *u = curl_url();
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, c->in, c->urlflags);
    if (rc != c->ucode)
      fprintf(stderr, "case %zu (%s): rc %d\n", i, c->in, (int)rc);
    CHECK_EQ_INT(rc, c->ucode);
    if (!rc) {
      char buf[512];
      parts(u, c->getflags, buf, sizeof(buf));
      CHECK_EQ_STR(buf, c->out);
    }
    curl_url_cleanup(u);
  }
}

static const struct partcase url_cases[] = {
    {"https://127.0.0.%31.", "https://127.0.0.1./", 0, 0, CURLUE_OK},
    {"http://example.com./", "http://example.com./", 0, 0, CURLUE_OK},
    {"https://example.com/r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s",
     "https://example.com/r%c3%a4ksm%c3%b6rg%c3%a5s", CURLU_URLENCODE, 0,
     CURLUE_OK},
    {"https://user:pa%3Ass@example.com/", "https://user:pa%3Ass@example.com/",
     0, 0, CURLUE_OK},
    {"https://0x7f.1", "https://127.0.0.1/", 0, 0, CURLUE_OK},
    {"https://1.2.3.256.", "https://1.2.3.256./", 0, 0, CURLUE_OK},
    {"example.com", "example.com/", CURLU_GUESS_SCHEME, CURLU_NO_GUESS_SCHEME,
     CURLUE_OK},
    {"http://user@example.com?#", "http://user@example.com/?#", 0,
     CURLU_GET_EMPTY, CURLUE_OK},
    {"https://[fe80::20c:29ff:fe9c:409b%eth0]:1234",
     "https://[fe80::20c:29ff:fe9c:409b%25eth0]:1234/", 0, 0, CURLUE_OK},
    {"https://_%c0_", "https://_%C0_/", 0, CURLU_URLENCODE, CURLUE_OK},
    {"https://\xff.127.0.0.1", "https://%FF.127.0.0.1/", 0, CURLU_URLENCODE,
     CURLUE_OK},
    {"https://127.0. 1", "", 0, 0, CURLUE_MALFORMED_INPUT},
    {"d:anything-really", "", 0, 0, CURLUE_UNSUPPORTED_SCHEME},
    {"mailto:infobot@example.com?body=send%20current-issue", "", 0, 0,
     CURLUE_UNSUPPORTED_SCHEME},
    {"about:80", "https://about:80/", CURLU_DEFAULT_SCHEME, 0, CURLUE_OK},
    {"http://example.com%3a127.0.0.1/", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"https://%41%0D%0A%42/", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"http:/@example.com: 123/", "", 0, 0, CURLUE_MALFORMED_INPUT},
    {"htt\x02://host/file", "", CURLU_NON_SUPPORT_SCHEME, 0,
     CURLUE_MALFORMED_INPUT},
    {"http:/@example.com:123", "http://@example.com:123/", 0, 0, CURLUE_OK},
    {"http:/:password@example.com", "http://:password@example.com/", 0, 0,
     CURLUE_OK},
    {"custom-scheme://host?expected=test-still-good",
     "custom-scheme://host/?expected=test-still-good",
     CURLU_NON_SUPPORT_SCHEME | CURLU_NO_AUTHORITY, 0, CURLUE_OK},
    {"https://example.com", "https://example.com/", 0, CURLU_PUNY2IDN,
     CURLUE_OK},
    {"https://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se/path?q#frag",
     "https://xn--rksmrgs-5wao1o.se/path?q#frag", 0, CURLU_PUNYCODE,
     CURLUE_OK},
    {"https://xn--rksmrgs-5wao1o.se:81/p",
     "https://r\xc3\xa4ksm\xc3\xb6rg\xc3\xa5s.se:81/p", 0, CURLU_PUNY2IDN,
     CURLUE_OK},
    {"https://stra\xc3\x9f" "e.de/", "https://xn--strae-oqa.de/", 0,
     CURLU_PUNYCODE, CURLUE_OK},
    {"https://xn--zz.se", "", 0, CURLU_PUNY2IDN, CURLUE_BAD_HOSTNAME},
    {"https://ab--\xc3\xa5.se", "", 0, CURLU_PUNYCODE, CURLUE_BAD_HOSTNAME},
};

TEST(get_url) {
  for (size_t i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
    const struct partcase *c = &url_cases[i];
    CURLU *u = curl_url();
    char *s = NULL;
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, c->in, c->urlflags);
    if (!rc)
      rc = curl_url_get(u, CURLUPART_URL, &s, c->getflags);
    if (rc != c->ucode)
      fprintf(stderr, "case %zu (%s): rc %d\n", i, c->in, (int)rc);
    CHECK_EQ_INT(rc, c->ucode);
    if (!rc)
      CHECK_EQ_STR(s, c->out);
    curl_free(s);
    curl_url_cleanup(u);
  }
}

/* update applies "part=value," commands like test 1560's updateurl(). */
static CURLUcode update(CURLU *u, const char *cmd, unsigned flags) {
  static const char *const names[] = {
      "url",  "scheme", "user",  "password", "options", "host",
      "port", "path",   "query", "fragment", "zoneid"};
  while (*cmd) {
    const char *eq = strchr(cmd, '=');
    const char *comma = strchr(eq, ',');
    char name[32], value[128];
    snprintf(name, sizeof(name), "%.*s", (int)(eq - cmd), cmd);
    snprintf(value, sizeof(value), "%.*s", (int)(comma - eq - 1), eq + 1);
    int what = -1;
    for (int i = 0; i < 11; i++) {
      if (!strcmp(names[i], name))
        what = i;
    }
    CURLUcode rc;
    if (!strcmp(value, "NULL"))
      rc = curl_url_set(u, (CURLUPart)what, NULL, flags);
    else if (!strcmp(value, "\"\""))
      rc = curl_url_set(u, (CURLUPart)what, "", flags);
    else
      rc = curl_url_set(u, (CURLUPart)what, value, flags);
    if (rc)
      return rc;
    cmd = comma + 1;
  }
  return CURLUE_OK;
}

struct setcase {
  const char *in;
  const char *set;
  const char *out;
  unsigned urlflags;
  unsigned setflags;
  CURLUcode pcode;
};

static const struct setcase set_cases[] = {
    {"https://example.com/", "path=one /$!$&'()*+;=:@{}[]%,",
     "https://example.com/one%20/%24%21%24%26%27%28%29%2a%2b%3b%3d%3a%40%7b"
     "%7d%5b%5d%25",
     0, CURLU_URLENCODE, CURLUE_OK},
    {NULL, "scheme=https,path=/,url=\"\",", "", 0, 0, CURLUE_MALFORMED_INPUT},
    {NULL, "scheme=https,host=example.com,path=/,url=\"\",",
     "https://example.com/", 0, 0, CURLUE_OK},
    {"https://example.com/", "path=one\ntwo,", "https://example.com/one\ntwo",
     0, 0, CURLUE_OK},
    {"https://example.com/", "path=one\ntwo,", "https://example.com/one%0atwo",
     0, CURLU_URLENCODE, CURLUE_OK},
    {"https://example.com/", "host=%43url.se,", "https://%43url.se/", 0, 0,
     CURLUE_OK},
    {"https://example.com/", "host=%25url.se,", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"https://example.com/?param=value", "query=\"\",", "https://example.com/",
     0, CURLU_APPENDQUERY | CURLU_URLENCODE, CURLUE_OK},
    {"https://example.com/", "host=\"\",", "", 0, CURLU_URLENCODE,
     CURLUE_BAD_HOSTNAME},
    {"https://example.com/", "host=\"\",", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"https://example.com", "path=get,", "https://example.com/get", 0, 0,
     CURLUE_OK},
    {"https://example.com/", "scheme=ftp+-.123,", "ftp+-.123://example.com/", 0,
     CURLU_NON_SUPPORT_SCHEME, CURLUE_OK},
    {"https://example.com/", "scheme=1234,", "", 0, CURLU_NON_SUPPORT_SCHEME,
     CURLUE_BAD_SCHEME},
    {"https://example.com/", "scheme=-ftp,", "", 0, CURLU_NON_SUPPORT_SCHEME,
     CURLUE_BAD_SCHEME},
    {"https://example.com/", "scheme=https://,", "", 0,
     CURLU_NON_SUPPORT_SCHEME, CURLUE_BAD_SCHEME},
    {"https://example.com/",
     "scheme=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbc,", "", 0,
     CURLU_NON_SUPPORT_SCHEME, CURLUE_BAD_SCHEME},
    {"https://example.com/", "host=example.com%2fmoo,", "", 0, 0,
     CURLUE_BAD_HOSTNAME},
    {"https://example.com/", "host=http://fake,", "", 0, 0,
     CURLUE_BAD_HOSTNAME},
    {"https://example.com/", "host=test%,", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"https://example.com/", "host=te st,", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"https://example.com/", "host=0xff,", "https://0xff/", 0, 0, CURLUE_OK},
    {"https://example.com/", "query=Al2cO3tDkcDZ3EWE5Lh+LX8TPHs,",
     "https://example.com/?Al2cO3tDkcDZ3EWE5Lh%2bLX8TPHs", CURLU_URLDECODE,
     CURLU_URLENCODE, CURLUE_OK},
    {"https://[::1%25fake]:1234/", "zoneid=NULL,", "https://[::1]:1234/", 0, 0,
     CURLUE_OK},
    {"https://host:1234/", "port=NULL,", "https://host/", 0, 0, CURLUE_OK},
    {"https://host:1234/", "port=\"\",", "", 0, 0, CURLUE_BAD_PORT_NUMBER},
    {"https://host:1234/", "port=56 78,", "", 0, 0, CURLUE_BAD_PORT_NUMBER},
    {"https://host:1234/", "port=0,", "https://host:0/", 0, 0, CURLUE_OK},
    {"https://host:1234/", "port=65536,", "", 0, 0, CURLUE_BAD_PORT_NUMBER},
    {"https://host/", "path=%4A%4B%4C,", "https://host/%4a%4b%4c", 0, 0,
     CURLUE_OK},
    {"https://host/mooo?q#f", "path=NULL,query=NULL,fragment=NULL,",
     "https://host/", 0, 0, CURLUE_OK},
    {"https://user:secret@host/", "user=NULL,password=NULL,", "https://host/",
     0, 0, CURLUE_OK},
    {NULL, "scheme=https,user=   @:,host=foobar,",
     "https://%20%20%20%40%3a@foobar/", 0, CURLU_URLENCODE, CURLUE_OK},
    {NULL, "scheme=https,host=  ,path= ,user= ,password= ,query= ,fragment= ,",
     "", 0, CURLU_URLENCODE, CURLUE_BAD_HOSTNAME},
    {NULL, "scheme=https,host=foobar,path=/this /path /is /here,",
     "https://foobar/this%20/path%20/is%20/here", 0, CURLU_URLENCODE,
     CURLUE_OK},
    {NULL, "scheme=https,host=foobar,path=\xc3\xa4\xc3\xb6\xc3\xbc,",
     "https://foobar/%c3%a4%c3%b6%c3%bc", 0, CURLU_URLENCODE, CURLUE_OK},
    {"imap://user:secret;opt@host/",
     "options=updated,scheme=imaps,password=p4ssw0rd,",
     "imaps://user:p4ssw0rd;updated@host/", 0, 0, CURLUE_OK},
    {"imap://user:secret;optit@host/", "scheme=https,",
     "https://user:secret@host/", 0, 0, CURLUE_OK},
    {"file:///file#anchor", "scheme=https,host=example,",
     "https://example/file#anchor", 0, 0, CURLUE_OK},
    {NULL, "scheme=file,host=127.0.0.1,path=/no,user=anonymous,", "file:///no",
     0, 0, CURLUE_OK},
    {NULL, "scheme=ftp,host=127.0.0.1,path=/no,user=anonymous,",
     "ftp://anonymous@127.0.0.1/no", 0, 0, CURLUE_OK},
    {"http://example.com/", "scheme=foo,", "", 0, 0, CURLUE_UNSUPPORTED_SCHEME},
    {"http://example.com:80", "user=foo,port=1922,",
     "http://foo@example.com:1922/", 0, 0, CURLUE_OK},
    {"http://example.com:80", "scheme=ftp,", "ftp://example.com:80/", 0, 0,
     CURLUE_OK},
    {"custom-scheme://host", "host=\"\",", "", CURLU_NON_SUPPORT_SCHEME,
     CURLU_NON_SUPPORT_SCHEME, CURLUE_BAD_HOSTNAME},
    {"custom-scheme://host", "host=\"\",", "custom-scheme:///",
     CURLU_NON_SUPPORT_SCHEME, CURLU_NON_SUPPORT_SCHEME | CURLU_NO_AUTHORITY,
     CURLUE_OK},
    {"https://example.com/", "query=foo=bar,", "https://example.com/?foo=bar",
     0, CURLU_APPENDQUERY, CURLUE_OK},
    {"https://example.com/", "host=[::1],", "https://[::1]/", 0, 0, CURLUE_OK},
    {"https://example.com/", "host=[fe80::1%25eth0],",
     "https://[fe80::1%25eth0]/", 0, 0, CURLUE_OK},
    {"https://example.com/", "host=[::g],", "", 0, 0, CURLUE_BAD_HOSTNAME},
    {"https://[::1]/", "zoneid=clown,", "https://[::1%25clown]/", 0, 0,
     CURLUE_OK},
};

TEST(set_parts) {
  for (size_t i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
    const struct setcase *c = &set_cases[i];
    CURLU *u = curl_url();
    if (c->in)
      CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, c->in, c->urlflags),
                   CURLUE_OK);
    CURLUcode rc = update(u, c->set, c->setflags);
    if (rc != c->pcode)
      fprintf(stderr, "case %zu (%s): rc %d\n", i, c->set, (int)rc);
    CHECK_EQ_INT(rc, c->pcode);
    if (!rc) {
      char *s = NULL;
      CHECK_EQ_INT(curl_url_get(u, CURLUPART_URL, &s, 0), CURLUE_OK);
      CHECK_EQ_STR(s, c->out);
      curl_free(s);
    }
    curl_url_cleanup(u);
  }
}

TEST(setget_decode_and_encode) {
  CURLU *u = curl_url();
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, "https://example.com/", 0),
               CURLUE_OK);
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_QUERY, "", 0), CURLUE_OK);
  char buf[256];
  parts(u, CURLU_GET_EMPTY, buf, sizeof(buf));
  CHECK_EQ_STR(buf, "https | [11] | [12] | [13] | example.com | [15] | / |  "
                    "| [17]");
  parts(u, 0, buf, sizeof(buf));
  CHECK_EQ_STR(buf, "https | [11] | [12] | [13] | example.com | [15] | / | "
                    "[16] | [17]");
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_PATH, "g e t", CURLU_URLENCODE),
               CURLUE_OK);
  char *p = NULL;
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_PATH, &p, 0), CURLUE_OK);
  CHECK_EQ_STR(p, "/g%20e%20t");
  curl_free(p);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_PATH, &p, CURLU_URLDECODE), CURLUE_OK);
  CHECK_EQ_STR(p, "/g e t");
  curl_free(p);
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_PATH, "a%0ab", 0), CURLUE_OK);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_PATH, &p, CURLU_URLDECODE),
               CURLUE_URLDECODE);
  CHECK(p == NULL);
  curl_url_cleanup(u);
}

struct redircase {
  const char *in;
  const char *set;
  const char *out;
  unsigned setflags;
};

static const struct redircase redir_cases[] = {
    {"https://example.com", "", "https://example.com/", 0},
    {"https://example.com/path?query#frag", "",
     "https://example.com/path?query#frag", 0},
    {"http://firstplace.example.com/want/1314",
     "//somewhere.example.com/reply/1314",
     "http://somewhere.example.com/reply/1314", 0},
    {"file:///basic", "?yay", "file:///basic?yay", 0},
    {"file:///basic?hello", "#frag", "file:///basic?hello#frag", 0},
    {"http://example.org#without/ash", "/moo#frag",
     "http://example.org/moo#frag", 0},
    {"http://example.org/", ".%2e/path/./%2e/.%2E/%2E/./%2e%2E/moo",
     "http://example.org/moo", 0},
    {"http://example.org/foo", "?weird", "http://example.org/foo?weird", 0},
    {"http://example.org", "?weird", "http://example.org/?weird", 0},
    {"http://example.org/foo?bar", "#weird", "http://example.org/foo?bar#weird",
     0},
    {"http://example.org#original", "#weird", "http://example.org/#weird", 0},
    {"http://example.org/foo/bar", "#;?", "http://example.org/foo/bar#;?", 0},
    {"http://example.org/foo/bar", "?#", "http://example.org/foo/bar?#", 0},
    {"http://host/path#", "?new", "http://host/path?new", 0},
    {"http://host/path?#", "?new", "http://host/path?new", 0},
    {"http://user:foo@example.com/path?query#frag", "../newpage",
     "http://user:foo@example.com/newpage", 0},
    {"http://example.com/path?query#frag", "../../newpage#foo",
     "http://example.com/newpage#foo", 0},
    {"http://host/path", "?query", "http://host/path?query", 0},
    {"http://example.com/please/../gimme/%TESTNUMBER?foobar#hello",
     "http://example.net/there/it/is/../../tes t case=/%TESTNUMBER0002? yes no",
     "http://example.net/there/tes%20t%20case=/%TESTNUMBER0002?+yes+no",
     CURLU_URLENCODE | CURLU_ALLOW_SPACE},
    {"http://local.test?redirect=http://local.test:80?-321",
     "http://local.test:80?-123", "http://local.test:80/?-123",
     CURLU_URLENCODE | CURLU_ALLOW_SPACE},
};

TEST(set_url_relative) {
  for (size_t i = 0; i < sizeof(redir_cases) / sizeof(redir_cases[0]); i++) {
    const struct redircase *c = &redir_cases[i];
    CURLU *u = curl_url();
    CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, c->in, 0), CURLUE_OK);
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, c->set, c->setflags);
    CHECK_EQ_INT(rc, CURLUE_OK);
    char *s = NULL;
    CHECK_EQ_INT(curl_url_get(u, CURLUPART_URL, &s, CURLU_GET_EMPTY),
                 CURLUE_OK);
    if (s && strcmp(s, c->out))
      fprintf(stderr, "case %zu: %s + %s\n", i, c->in, c->set);
    CHECK_EQ_STR(s, c->out);
    curl_free(s);
    curl_url_cleanup(u);
  }
  /* Relative on an empty handle: parsed on its own, and fails. */
  CURLU *u = curl_url();
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, "/path", 0), CURLUE_BAD_SCHEME);
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, "", 0), CURLUE_MALFORMED_INPUT);
  curl_url_cleanup(u);
}

TEST(append_query) {
  static const struct {
    const char *in, *q, *out;
    unsigned flags;
  } cases[] = {
      {"HTTP://test/?s", "name=joe\x02", "http://test/?s&name=joe%02",
       CURLU_URLENCODE},
      {"HTTP://test/?size=2#f",
       "name=joe=", "http://test/?size=2&name=joe%3d#f", CURLU_URLENCODE},
      {"HTTP://test/?size=2#f", "name=joe doe",
       "http://test/?size=2&name=joe+doe#f", CURLU_URLENCODE},
      {"HTTP://test/", "name=joe", "http://test/?name=joe", 0},
      {"HTTP://test/?size=2", "name=joe", "http://test/?size=2&name=joe", 0},
      {"HTTP://test/?size=2&", "name=joe", "http://test/?size=2&name=joe", 0},
      {"HTTP://test/?size=2#f", "name=joe", "http://test/?size=2&name=joe#f",
       0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    CURLU *u = curl_url();
    CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, cases[i].in, 0), CURLUE_OK);
    CHECK_EQ_INT(curl_url_set(u, CURLUPART_QUERY, cases[i].q,
                              cases[i].flags | CURLU_APPENDQUERY),
                 CURLUE_OK);
    char *s = NULL;
    CHECK_EQ_INT(curl_url_get(u, CURLUPART_URL, &s, 0), CURLUE_OK);
    CHECK_EQ_STR(s, cases[i].out);
    curl_free(s);
    curl_url_cleanup(u);
  }
}

TEST(clear_and_nothing) {
  CURLU *u = curl_url();
  char *p = NULL;
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_SCHEME, &p, 0), CURLUE_NO_SCHEME);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_HOST, &p, 0), CURLUE_NO_HOST);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_USER, &p, 0), CURLUE_NO_USER);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_PASSWORD, &p, 0), CURLUE_NO_PASSWORD);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_OPTIONS, &p, 0), CURLUE_NO_OPTIONS);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_PORT, &p, 0), CURLUE_NO_PORT);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_QUERY, &p, 0), CURLUE_NO_QUERY);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_FRAGMENT, &p, 0), CURLUE_NO_FRAGMENT);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_ZONEID, &p, 0), CURLUE_NO_ZONEID);
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_PATH, &p, 0), CURLUE_OK);
  CHECK_EQ_STR(p, "/");
  curl_free(p);

  static const struct {
    CURLUPart part;
    const char *in;
    CURLUcode after;
  } clear[] = {
      {CURLUPART_SCHEME, "http", CURLUE_NO_SCHEME},
      {CURLUPART_USER, "user", CURLUE_NO_USER},
      {CURLUPART_PASSWORD, "password", CURLUE_NO_PASSWORD},
      {CURLUPART_OPTIONS, "options", CURLUE_NO_OPTIONS},
      {CURLUPART_HOST, "host", CURLUE_NO_HOST},
      {CURLUPART_ZONEID, "eth0", CURLUE_NO_ZONEID},
      {CURLUPART_PORT, "1234", CURLUE_NO_PORT},
      {CURLUPART_QUERY, "a=b", CURLUE_NO_QUERY},
      {CURLUPART_FRAGMENT, "anchor", CURLUE_NO_FRAGMENT},
  };
  for (size_t i = 0; i < sizeof(clear) / sizeof(clear[0]); i++) {
    CHECK_EQ_INT(curl_url_set(u, clear[i].part, clear[i].in, 0), CURLUE_OK);
    CHECK_EQ_INT(curl_url_get(u, clear[i].part, &p, 0), CURLUE_OK);
    curl_free(p);
    CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, NULL, 0), CURLUE_OK);
    p = NULL;
    CHECK_EQ_INT(curl_url_get(u, clear[i].part, &p, 0), clear[i].after);
    CHECK(p == NULL);
  }
  curl_url_cleanup(u);
}

TEST(api_errors_and_dup) {
  char *p = NULL;
  CHECK_EQ_INT(curl_url_get(NULL, CURLUPART_URL, &p, 0), CURLUE_BAD_HANDLE);
  CHECK_EQ_INT(curl_url_set(NULL, CURLUPART_URL, "http://x", 0),
               CURLUE_BAD_HANDLE);
  CURLU *u = curl_url();
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_URL, NULL, 0), CURLUE_BAD_PARTPOINTER);
  CHECK_EQ_INT(curl_url_get(u, (CURLUPart)12345, &p, 0), CURLUE_UNKNOWN_PART);
  CHECK_EQ_INT(curl_url_set(u, (CURLUPart)12345, "x", 0), CURLUE_UNKNOWN_PART);

  static const char *const urls[] = {
      "http://user:pwd@[2a04:4e42:e00::347%25eth0]:80/path?query#fraggie",
      "https://example.com", "https://user.pwd@example.com:1234",
      "example.com:1234", "https://user.pwd@example.com:1234/path?query#frag"};
  for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
    CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, urls[i], CURLU_GUESS_SCHEME),
                 CURLUE_OK);
    CURLU *copy = curl_url_dup(u);
    CHECK(copy != NULL);
    char *a = NULL, *b = NULL;
    CHECK_EQ_INT(curl_url_get(u, CURLUPART_URL, &a, 0), CURLUE_OK);
    CHECK_EQ_INT(curl_url_get(copy, CURLUPART_URL, &b, 0), CURLUE_OK);
    CHECK_EQ_STR(a, b);
    curl_free(a);
    curl_free(b);
    curl_url_cleanup(copy);
  }
  curl_url_cleanup(u);
  curl_url_cleanup(NULL);
  CHECK(curl_url_dup(NULL) == NULL);

  CHECK_EQ_STR(curl_url_strerror(CURLUE_OK), "No error");
  CHECK_EQ_STR(curl_url_strerror(CURLUE_BAD_PORT_NUMBER),
               "Port number was not a decimal number between 0 and 65535");
  CHECK_EQ_STR(curl_url_strerror(CURLUE_LACKS_IDN),
               "libcurl lacks IDN support");
  CHECK_EQ_STR(curl_url_strerror((CURLUcode)999), "CURLUcode unknown");
}

TEST(huge_parts) {
  static char big[120000];
  static char url[128000];
  memset(big, 'a', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  CURLU *u = curl_url();
  /* A scheme that long is refused; a long user, host or path is not. */
  snprintf(url, sizeof(url), "%s://c:c@c/c?c#c", big);
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME),
               CURLUE_BAD_SCHEME);
  snprintf(url, sizeof(url), "c://c:c@%s/c?c#c", big);
  CHECK_EQ_INT(curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME),
               CURLUE_OK);
  char *p = NULL;
  CHECK_EQ_INT(curl_url_get(u, CURLUPART_HOST, &p, 0), CURLUE_OK);
  CHECK(p && strlen(p) == sizeof(big) - 1);
  curl_free(p);
  curl_url_cleanup(u);
}

/* Every allocation failure must give CURLUE_OUT_OF_MEMORY (or succeed) and
 * leave the handle usable. */
TEST(allocation_failures) {
  for (long n = 1; n < 40; n++) {
    CURLU *u = curl_url();
    if (!u)
      continue;
    cn_alloc_fail_nth(n);
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, "http://u:p@h/a/b?c#d", 0);
    if (!rc)
      rc = curl_url_set(u, CURLUPART_URL, "../x", 0);
    if (!rc)
      rc = curl_url_set(u, CURLUPART_QUERY, "a b",
                        CURLU_URLENCODE | CURLU_APPENDQUERY);
    char *s = NULL;
    if (!rc)
      rc = curl_url_get(u, CURLUPART_URL, &s, 0);
    cn_alloc_fail_nth(0);
    if (rc)
      CHECK_EQ_INT(rc, CURLUE_OUT_OF_MEMORY);
    else
      CHECK_EQ_STR(s, "http://u:p@h/x?a+b");
    curl_free(s);
    curl_url_cleanup(u);
  }
}

/* libcurl reads IDN hosts in the locale's charset: be a UTF-8 program. */
TEST(utf8_locale) { CHECK(setlocale(LC_CTYPE, "C.UTF-8") != NULL); }

TEST_MAIN(utf8_locale, get_parts, get_url, set_parts, setget_decode_and_encode,
          set_url_relative, append_query, clear_and_nothing, api_errors_and_dup,
          huge_parts, allocation_failures)
