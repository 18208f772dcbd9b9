#!/bin/sh
# Entrypoint of the compose app services: exports every file under the key volumes this container
# mounts (see dev-keys.sh) as the environment variable of the same name, then runs the app. A variable
# already set (compose.yaml, or `docker compose run -e`) wins over its file. The apps read settings
# from the environment only, so this is the one place that knows about the files.
set -eu

root=${DEV_KEYS_ROOT:-/run/platform-keys}
for file in "$root"/*/*; do
  [ -f "$file" ] || continue
  name=$(basename "$file")
  case $name in
    *[!A-Z0-9_]* | [0-9]*) continue ;; # not a variable name: never eval it
  esac
  eval "current=\${$name:-}"
  [ -n "$current" ] || export "$name=$(cat "$file")"
done
exec "$@"
