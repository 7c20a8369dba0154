#!/bin/sh
# exports_test.sh: checks the dynamic symbol tables of curlium's two shared
# libraries against the ABI they replace.
#
#   exports_test.sh LIBCURL_SO LIBCURL_GNUTLS_SO EXPORTS_TXT [DEBIAN_LIBCURL]
#
# For each library:
#   (a) every name in EXPORTS_TXT is defined, at the default version of the
#       library's node (CURL_OPENSSL_4 / CURL_GNUTLS_3);
#   (b) nothing else is defined: no non-curl_ symbol, no curl_ symbol that
#       is not in EXPORTS_TXT;
#   (c) everything Debian's libcurl (libcurl4 7.88.1) exports is exported
#       too, so binaries linked against it resolve all their symbols;
#   (d) the soname is the one Debian's package uses.
# Every check prints PASS/FAIL/SKIP; the exit status is 1 if any failed.

set -u

lib=${1:?usage: exports_test.sh LIBCURL_SO LIBCURL_GNUTLS_SO EXPORTS_TXT [DEBIAN_LIBCURL]}
lib_gnutls=${2:?missing libcurl-gnutls path}
exports=${3:?missing exports.txt path}
debian_lib=${4:-/usr/lib/x86_64-linux-gnu/libcurl.so.4}
debian_gnutls=$(dirname "$debian_lib")/libcurl-gnutls.so.4

failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
skip() { echo "SKIP: $*"; }

# defined_symbols LIB: "name version" per defined dynamic symbol, without
# the version node's own definition (an absolute symbol named after the
# node). "@@" marks the default version; a lone "@" is a hidden version.
defined_symbols() {
  nm -D --defined-only "$1" | awk '
    $2 == "A" { next }
    {
      name = $3; ver = "-"
      if (index(name, "@@")) { split(name, p, "@@"); name = p[1]; ver = p[2] }
      else if (index(name, "@")) { split(name, p, "@"); name = p[1]; ver = "hidden:" p[2] }
      print name, ver
    }' | sort
}

grep -v '^[[:space:]]*$' "$exports" | grep -v '^#' | sort -u > "$tmp/expected"
if [ ! -s "$tmp/expected" ]; then
  fail "$exports is empty"
  exit 1
fi

check_library() {
  so=$1 node=$2 soname=$3 debian=$4
  label=$(basename "$so")

  if [ ! -f "$so" ]; then
    fail "$label: not built ($so)"
    return
  fi

  defined_symbols "$so" > "$tmp/syms"

  # (a) every listed name, at the default version of the right node
  missing=0
  while read -r name; do
    ver=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/syms")
    if [ -z "$ver" ]; then
      echo "  missing: $name"
      missing=$((missing + 1))
    elif [ "$ver" != "$node" ]; then
      echo "  wrong version: $name@$ver (want @@$node)"
      missing=$((missing + 1))
    fi
  done < "$tmp/expected"
  if [ "$missing" -eq 0 ]; then
    pass "$label: all $(wc -l < "$tmp/expected") exports.txt names defined as name@@$node"
  else
    fail "$label: $missing exports.txt names missing or at the wrong version"
  fi

  # (b) nothing beyond the list
  awk '{ print $1 }' "$tmp/syms" | sort -u > "$tmp/names"
  comm -23 "$tmp/names" "$tmp/expected" > "$tmp/extra"
  if [ -s "$tmp/extra" ]; then
    sed 's/^/  unexpected export: /' "$tmp/extra" | head -50
    fail "$label: $(wc -l < "$tmp/extra") symbols exported that are not in exports.txt"
  else
    pass "$label: no symbol exported beyond exports.txt"
  fi

  # (c) superset of Debian's library of the same flavour
  if [ ! -f "$debian" ]; then
    skip "$label: $debian not installed, superset check not run"
  else
    defined_symbols "$debian" | awk '{ print $1 }' | sort -u > "$tmp/debian"
    comm -23 "$tmp/debian" "$tmp/names" > "$tmp/lacking"
    if [ -s "$tmp/lacking" ]; then
      sed 's/^/  Debian exports, we do not: /' "$tmp/lacking"
      fail "$label: $(wc -l < "$tmp/lacking") of Debian's exports missing"
    else
      pass "$label: exports all $(wc -l < "$tmp/debian") symbols of $debian"
    fi
  fi

  # (d) soname
  got=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
  if [ "$got" = "$soname" ]; then
    pass "$label: soname $got"
  else
    fail "$label: soname '$got', want '$soname'"
  fi
}

check_library "$lib" CURL_OPENSSL_4 libcurl.so.4 "$debian_lib"
check_library "$lib_gnutls" CURL_GNUTLS_3 libcurl-gnutls.so.4 "$debian_gnutls"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
exit 0
