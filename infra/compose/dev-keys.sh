#!/bin/sh
# Compose's one-shot `dev-keys` service: makes the development-only secrets every app would refuse to
# run without in production, once, into two named volumes, one file per setting (the file's name is the
# variable's). with-dev-keys.sh turns the files a container mounts back into environment variables.
#
#   signing/  JWT_PRIVATE_KEYS, TOTP_ENCRYPTION_KEYS   mounted by auth only (as auth-signing-keys in k8s)
#   shared/   JWT_PUBLIC_KEYS, EMAIL_SEAL_KEYS,        mounted by the verifiers and worker-email
#             MEDIA_URL_SECRET,
#             GRPC_SERVICE_KEYS (realtime's public service-token key, which users trusts)
#   realtime/ SERVICE_TOKEN_KEYS                       mounted by realtime only
#
# This is what `pnpm start` does for each run (a throwaway Ed25519 pair from @platform/tokens), except
# that the keys live in the volumes, so tokens survive `docker compose restart`; `docker compose down -v`
# forgets them. Never used outside compose: production keys are made and stored as infra/README.md says.
set -eu

root=${DEV_KEYS_ROOT:-/run/platform-keys}
# The auth image holds @platform/tokens with its keygen CLI (tests point this at the repository's build).
keygen=${KEYGEN:-node_modules/@platform/tokens/dist/keygen-cli.js}
signing=$root/signing
shared=$root/shared
service=$root/realtime

# JWT_PRIVATE_KEYS is written last, so its presence means a complete set from an earlier run.
if [ -s "$signing/JWT_PRIVATE_KEYS" ]; then
  echo "dev keys already in the volumes; docker compose down -v makes new ones"
  exit 0
fi
mkdir -p "$signing" "$shared" "$service"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$keygen" EdDSA --out "$work"
mkdir "$work/realtime"
node "$keygen" EdDSA --out "$work/realtime"
# AES-256-GCM keyrings as kid:base64 of 32 random bytes (packages/config keyringSetting).
keyring() { node -e "process.stdout.write('dev:' + require('node:crypto').randomBytes(32).toString('base64'))"; }

# Owned by the apps' user (10001 in infra/docker/Dockerfile): this service runs as root to write into
# fresh volumes, which Docker creates root-owned. The private files stay unreadable to anyone else.
put() { # file, mode, content
  printf '%s' "$3" >"$1.tmp"
  if [ "$(id -u)" = 0 ]; then chown 10001:10001 "$1.tmp"; fi
  chmod "$2" "$1.tmp"
  mv "$1.tmp" "$1"
}
put "$shared/JWT_PUBLIC_KEYS" 0444 "$(cat "$work/jwt-public-keys.json")"
put "$shared/EMAIL_SEAL_KEYS" 0400 "$(keyring)"
# Signs media URLs (packages/config mediaUrlFragment): 32 random bytes, base64url.
put "$shared/MEDIA_URL_SECRET" 0400 "$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64url'))")"
put "$shared/GRPC_SERVICE_KEYS" 0444 "{\"realtime\":$(cat "$work/realtime/jwt-public-keys.json")}"
put "$service/SERVICE_TOKEN_KEYS" 0400 "$(cat "$work/realtime/jwt-private-keys.json")"
put "$signing/TOTP_ENCRYPTION_KEYS" 0400 "$(keyring)"
put "$signing/JWT_PRIVATE_KEYS" 0400 "$(cat "$work/jwt-private-keys.json")"
echo "made development keys: $(ls "$signing" "$shared" "$service" | tr '\n' ' ')"
