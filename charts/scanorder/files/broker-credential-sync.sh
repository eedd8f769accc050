#!/usr/bin/env bash
# Mirrors the Secrets the ScanOrder operator writes into the files the broker extension reads:
#   $OUT/broker-credentials/<ns>.<secret>   one credential line per KitchenDevice (label
#                                           scanorder.io/broker-credentials=true, key "credentials")
#   $OUT/broker-credentials/static.<key>    the chart's static Secret (service accounts)
#   $OUT/enrollments/<ns>.<secret>/<key>    each device Secret's username, password, store-code,
#                                           enrollment-code-hash, enrollment-expires-at
# Files are replaced by rename only when their content changes, and removed when their Secret is
# gone, so the extension's watcher hot-reloads exactly what changed. A failed listing changes
# nothing: the last good files stay. Usage: broker-credential-sync.sh once|loop
set -uo pipefail
umask 027

OUT=${SYNC_OUT:-/etc/scanorder}
STATIC=${SYNC_STATIC:-/var/run/scanorder/static-credentials}
INTERVAL=${SYNC_INTERVAL_SECONDS:-10}
NAMESPACES=${SYNC_NAMESPACES:-}
CRED_SELECTOR='scanorder.io/broker-credentials=true'
DEVICE_SELECTOR='app.kubernetes.io/managed-by=scanorder-operator,scanorder.io/kitchen-device,!scanorder.io/broker-credentials'
# a missing key prints '-' (never base64)
CRED_TEMPLATE='{{range .items}}{{.metadata.namespace}}.{{.metadata.name}} {{with index .data "credentials"}}{{.}}{{else}}-{{end}}{{"\n"}}{{end}}'
DEVICE_TEMPLATE='{{range .items}}{{.metadata.namespace}}.{{.metadata.name}} {{with index .data "username"}}{{.}}{{else}}-{{end}} {{with index .data "password"}}{{.}}{{else}}-{{end}} {{with index .data "store-code"}}{{.}}{{else}}-{{end}} {{with index .data "enrollment-code-hash"}}{{.}}{{else}}-{{end}} {{with index .data "enrollment-expires-at"}}{{.}}{{else}}-{{end}}{{"\n"}}{{end}}'

# list SELECTOR TEMPLATE: the matching Secrets of every watched namespace, or fails
list() {
  if [ -z "$NAMESPACES" ]; then
    kubectl get secrets --all-namespaces -l "$1" -o go-template="$2"
  else
    local ns
    for ns in $NAMESPACES; do
      kubectl get secrets -n "$ns" -l "$1" -o go-template="$2" || return 1
    done
  fi
}

# put FILE < content: replaces FILE atomically, and only if its content differs
put() {
  local file=$1 tmp
  tmp="$(dirname "$file")/.$(basename "$file").tmp"
  cat > "$tmp" || return 1
  if [ -f "$file" ] && [ "$(md5sum < "$tmp")" = "$(md5sum < "$file")" ]; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$file"
  fi
}

sync_credentials() {
  local listing name data f keep=" " dir="$OUT/broker-credentials"
  listing=$(list "$CRED_SELECTOR" "$CRED_TEMPLATE") || return 1
  mkdir -p "$dir"
  if [ -d "$STATIC" ]; then
    for f in "$STATIC"/*; do
      [ -f "$f" ] || continue
      name="static.$(basename "$f")"
      put "$dir/$name" < "$f" || return 1
      keep="$keep$name "
    done
  fi
  while read -r name data; do
    [ -n "$name" ] || continue
    if [ -z "${data:-}" ] || [ "$data" = "-" ]; then
      echo "Secret $name has no 'credentials' key: skipped" >&2
      continue
    fi
    printf '%s' "$data" | base64 -d | put "$dir/$name" || return 1
    keep="$keep$name "
  done <<< "$listing"
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    case "$keep" in
      *" $name "*) ;;
      *) rm -f "$f"; echo "removed broker credential $name: its Secret is gone" ;;
    esac
  done
}

sync_enrollments() {
  local listing name user pw store hash expires d keep=" " dir="$OUT/enrollments"
  listing=$(list "$DEVICE_SELECTOR" "$DEVICE_TEMPLATE") || return 1
  mkdir -p "$dir"
  while read -r name user pw store hash expires; do
    [ -n "$name" ] || continue
    case " ${user:--} ${pw:--} ${store:--} ${hash:--} ${expires:--} " in
      *" - "*)
        echo "device Secret $name lacks an enrollment key: skipped" >&2
        continue ;;
    esac
    d="$dir/$name"
    mkdir -p "$d"
    printf '%s' "$user" | base64 -d | put "$d/username" || return 1
    printf '%s' "$pw" | base64 -d | put "$d/password" || return 1
    printf '%s' "$store" | base64 -d | put "$d/store-code" || return 1
    printf '%s' "$hash" | base64 -d | put "$d/enrollment-code-hash" || return 1
    printf '%s' "$expires" | base64 -d | put "$d/enrollment-expires-at" || return 1
    keep="$keep$name "
  done <<< "$listing"
  for d in "$dir"/*; do
    [ -d "$d" ] || continue
    name=$(basename "$d")
    case "$keep" in
      *" $name "*) ;;
      *) rm -rf "$d"; echo "removed enrollment entry $name: its Secret is gone" ;;
    esac
  done
}

sync_once() {
  sync_credentials && sync_enrollments
}

case "${1:-loop}" in
  once)
    sync_once || { echo "cannot list the operator's Secrets (RBAC? API server?)" >&2; exit 1; }
    echo "synced $(ls "$OUT/broker-credentials" | wc -l) credential file(s)," \
      "$(ls "$OUT/enrollments" | wc -l) enrollment entr(ies)" ;;
  loop)
    while true; do
      sleep "$INTERVAL"
      sync_once || echo "sync failed: keeping the last good files, retrying in ${INTERVAL}s" >&2
    done ;;
  *)
    echo "usage: $0 once|loop" >&2
    exit 2 ;;
esac
