#!/usr/bin/env bash
# demo.sh: the main job. Debian's unmodified /usr/bin/curl with curlium
# swapped in: first against nginx on 127.0.0.1 (plain HTTP by
# LD_LIBRARY_PATH, HTTPS with a CA made for the occasion by LD_PRELOAD), then
# against the project's fingerprint server, once as itself and once with
# CURL_IMPERSONATE=chrome, side by side with the real Chromium 156 capture
# (scripts/demo_fingerprint.py). Exit status: the fingerprint comparison's
# (0 = curlium matches Chromium in every compared field).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
lib="$build/compat"
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers (www-data) serve from it
trap 'kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); https_port=$(free_port)

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=curlium demo CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$work/srv.key" -out "$work/srv.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/ext"
openssl x509 -req -in "$work/srv.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/ext" -out "$work/srv.pem" 2>/dev/null

mkdir -p "$work/www" "$work/logs"
echo "hello from nginx through curlium" > "$work/www/index.html"
cat > "$work/nginx.conf" <<CONF
daemon on;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$http_port;
    listen 127.0.0.1:$https_port ssl;
    ssl_certificate $work/srv.pem;
    ssl_certificate_key $work/srv.key;
    root $work/www;
    location = /redirect { return 302 /index.html; }
  }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null

echo "== curl -V with curlium swapped in (LD_LIBRARY_PATH)"
LD_LIBRARY_PATH="$lib" curl -V | head -n 1
echo
echo "== plain HTTP, follow a redirect (LD_LIBRARY_PATH)"
LD_LIBRARY_PATH="$lib" curl -sS -L "http://127.0.0.1:$http_port/redirect"
echo
echo "== HTTPS with the demo CA, verbose (LD_PRELOAD)"
LD_PRELOAD="$lib/libcurl.so.4" curl -sS -v --cacert "$work/ca.pem" \
  "https://localhost:$https_port/" 2>&1 |
  grep -E '^\* (SSL connection|ALPN|Connected|using HTTP)|^[<>] (GET|HTTP)|hello' || true
echo
python3 "$top/scripts/demo_fingerprint.py" --build-dir "$build"
