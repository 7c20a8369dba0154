"""pycurl_fetch.py: one GET through pycurl, the way a Python program would
write it, for tests/integration/test_pycurl.py. Run it with Debian's
/usr/bin/python3 and python3-pycurl (linked against libcurl-gnutls.so.4);
the test swaps curlium in with LD_LIBRARY_PATH or LD_PRELOAD.

  pycurl_fetch.py URL --cacert CA --resolve HOST:PORT:ADDR
                  [--http 1.1|2] [--useragent UA] [--reset]
                  [--set-env TARGET]

--set-env sets CURL_IMPERSONATE from inside Python before the handle is
made; --reset calls Curl.reset() after a first setup, so the handle that
fetches is one curl_easy_reset made. Prints the response body to stdout
and pycurl's version string to stderr; exits 1 with pycurl's error text
on a failed transfer.
"""
import argparse
import io
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("--cacert", required=True)
parser.add_argument("--resolve", required=True)
parser.add_argument("--http", choices=("1.1", "2"), default="2")
parser.add_argument("--useragent")
parser.add_argument("--reset", action="store_true")
parser.add_argument("--set-env")
args = parser.parse_args()

if args.set_env:
    os.environ["CURL_IMPERSONATE"] = args.set_env

import pycurl  # noqa: E402  (after the environment is set, as a program might)

print(pycurl.version, file=sys.stderr)
c = pycurl.Curl()
if args.reset:
    c.setopt(pycurl.USERAGENT, "before-reset/1")
    c.reset()
body = io.BytesIO()
c.setopt(pycurl.URL, args.url)
c.setopt(pycurl.CAINFO, args.cacert)
c.setopt(pycurl.RESOLVE, [args.resolve])
c.setopt(pycurl.HTTP_VERSION, pycurl.CURL_HTTP_VERSION_2_0
         if args.http == "2" else pycurl.CURL_HTTP_VERSION_1_1)
c.setopt(pycurl.WRITEDATA, body)
if args.useragent:
    c.setopt(pycurl.USERAGENT, args.useragent)
try:
    c.perform()
except pycurl.error as e:
    print(f"pycurl error {e.args[0]}: {e.args[1]}", file=sys.stderr)
    sys.exit(1)
finally:
    c.close()
sys.stdout.buffer.write(body.getvalue())
