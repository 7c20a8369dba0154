#!/usr/bin/env bash
# private-apt.sh: run apt-get or apt-cache against a private apt configuration
# that carries deb-src lines for the machine's own Debian suites, so
# `apt-get source` works without touching the system's apt sources.
#
#   scripts/private-apt.sh [--update] [--suite SUITE]... \
#       apt-get|apt-cache ARGS...
#
# --suite SUITE  also list deb-src for SUITE (e.g. trixie) on the same mirror
#                host(s) the machine's main Debian archive uses. Each set of
#                extra suites gets its own state directory.
# --update       refresh the source index even if it is recent. Without it the
#                index is refreshed when missing, older than a day, or when
#                the configuration changed.
#
# Environment:
#   CURLIUM_CACHE   cache root (default:
#                   ${XDG_CACHE_HOME:-$HOME/.cache}/curlium); the state
#                   lives in $CURLIUM_CACHE/apt[-<suites>].
set -euo pipefail

cache=${CURLIUM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/curlium}
log() { echo "private-apt: $*" >&2; }

force_update=0
extra_suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --update) force_update=1; shift ;;
    --suite) extra_suites+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
case "${1:-}" in
  apt-get|apt-cache) ;;
  *) log "usage: $0 [--update] [--suite SUITE]... apt-get|apt-cache ARGS..."
     exit 2 ;;
esac

apt_dir="$cache/apt"
if [ ${#extra_suites[@]} -gt 0 ]; then
  names=$(printf '%s\n' "${extra_suites[@]}" | sort -u | paste -sd- -)
  apt_dir="$cache/apt-$names"
fi
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/etc"

# The machine's binary sources, as "deb-src URI SUITE COMPONENTS" lines.
collect_sources() {
  # One-line format.
  grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -E 's/^\s*deb\s/deb-src /' || true
  # deb822 format.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""; FS="\n"}
      { uris=""; suites=""; comps=""; types="";
        for (i=1;i<=NF;i++) {
          if ($i ~ /^Types:/) { types=$i; sub(/^Types:[ \t]*/,"",types) }
          if ($i ~ /^URIs:/) { uris=$i; sub(/^URIs:[ \t]*/,"",uris) }
          if ($i ~ /^Suites:/) { suites=$i; sub(/^Suites:[ \t]*/,"",suites) }
          if ($i ~ /^Components:/) { comps=$i; sub(/^Components:[ \t]*/,"",comps) }
        }
        if (types !~ /deb/ || uris == "") next;
        n=split(suites, s, /[ \t]+/);
        for (j=1;j<=n;j++) if (s[j] != "") print "deb-src " uris " " s[j] " " comps
      }' "$f"
  done
}
base=$(collect_sources | grep -E 'debian' | sort -u)
[ -n "$base" ] || { log "no Debian apt sources found"; exit 1; }

# Extra suites go on the host(s) that serve the machine's own release suite
# (the main archive, not -security or -updates).
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
extra=""
for s in "${extra_suites[@]}"; do
  lines=$(echo "$base" | sed -E 's/^deb-src\s+(\[[^]]*\]\s+)?//' |
    awk -v c="$codename" -v s="$s" \
      '$2 == c { print "deb-src " $1 " " s " main" }' | sort -u)
  if [ -z "$lines" ]; then
    log "no main archive for $codename to add $s to"
    exit 1
  fi
  extra+="$lines"$'\n'
done

new_list=$(printf '%s\n%s' "$base" "$extra" | sed '/^$/d' | sort -u)
list="$apt_dir/etc/sources.list"
changed=0
if [ ! -f "$list" ] || [ "$(cat "$list")" != "$new_list" ]; then
  echo "$new_list" > "$list"
  changed=1
fi

apt_opts=(-o "Dir::Etc::SourceList=$list"
  -o "Dir::Etc::SourceParts=-" -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir" -o "Dir::Cache::archives=$apt_dir/archives"
  -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1")

stamp="$apt_dir/.updated"
if [ "$force_update" -eq 1 ] || [ "$changed" -eq 1 ] || [ ! -f "$stamp" ] || \
   [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
  log "updating private source index ($(basename "$apt_dir"))"
  apt-get "${apt_opts[@]}" update -qq >&2
  touch "$stamp"
fi

cmd=$1; shift
exec "$cmd" "${apt_opts[@]}" "$@"
