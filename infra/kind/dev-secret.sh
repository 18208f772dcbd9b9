#!/bin/sh
# Creates the platform-secrets Secret on the kind cluster if it does not exist yet, pointing at the
# dev-deps services and filling the TOTP encryption key and the bootstrap admin password with fresh
# random values; and, the same way, a fresh access-token key pair: the private set in the
# auth-signing-keys Secret (auth only), the public set in the jwt-public-keys ConfigMap (every
# verifier). Needs `pnpm install` run once (the key is made by packages/tokens through tsx).
# (A secret created before a key existed: delete it and deploy again.)
# Runs before every deploy of the skaffold `kind` profile; safe to run by hand. Never used for prod:
# there the Secret is created explicitly (infra/README.md).
set -eu

context="${SKAFFOLD_KUBE_CONTEXT:-kind-platform}"
namespace=platform
secret=platform-secrets
deps=platform-deps.svc.cluster.local

k() { kubectl --context "$context" "$@"; }
random() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }

# `skaffold dev` deletes the namespace on exit; a new session may start while it is still terminating.
if [ "$(k get namespace "$namespace" -o jsonpath='{.status.phase}' 2>/dev/null || true)" = Terminating ]; then
  echo "waiting for namespace $namespace to finish terminating..."
  k wait --for=delete "namespace/$namespace" --timeout=180s
fi
k get namespace "$namespace" >/dev/null 2>&1 || k create namespace "$namespace"

if ! k -n "$namespace" get secret auth-signing-keys >/dev/null 2>&1; then
  keys="$(mktemp -d)"
  trap 'rm -rf "$keys"' EXIT
  node --import tsx packages/tokens/src/keygen-cli.ts EdDSA --out "$keys"
  k -n "$namespace" create secret generic auth-signing-keys --from-file=JWT_PRIVATE_KEYS="$keys/jwt-private-keys.json"
  k -n "$namespace" create configmap jwt-public-keys --from-file=JWT_PUBLIC_KEYS="$keys/jwt-public-keys.json" \
    --dry-run=client -o yaml | k apply -f -
fi

# realtime's service identity: its private key in realtime-service-keys (realtime only), the public one
# in the service-token-keys ConfigMap, which users reads as GRPC_SERVICE_KEYS.
if ! k -n "$namespace" get secret realtime-service-keys >/dev/null 2>&1; then
  service="$(mktemp -d)"
  node --import tsx packages/tokens/src/keygen-cli.ts EdDSA --out "$service"
  k -n "$namespace" create secret generic realtime-service-keys \
    --from-file=SERVICE_TOKEN_KEYS="$service/jwt-private-keys.json"
  k -n "$namespace" create configmap service-token-keys \
    --from-literal=GRPC_SERVICE_KEYS="{\"realtime\":$(cat "$service/jwt-public-keys.json")}" \
    --dry-run=client -o yaml | k apply -f -
  rm -rf "$service"
fi

if k -n "$namespace" get secret "$secret" >/dev/null 2>&1; then
  exit 0
fi

k -n "$namespace" create secret generic "$secret" \
  --from-literal=TOTP_ENCRYPTION_KEYS="k1:$(head -c 32 /dev/urandom | base64 | tr -d '\n')" \
  --from-literal=EMAIL_SEAL_KEYS="k1:$(head -c 32 /dev/urandom | base64 | tr -d '\n')" \
  --from-literal=MEDIA_URL_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '\n')" \
  --from-literal=DATABASE_URL="postgres://postgres@postgres.$deps:5432/platform" \
  --from-literal=REDIS_URL="redis://redis.$deps:6379" \
  --from-literal=AMQP_URL="amqp://guest:guest@rabbitmq.$deps:5672" \
  --from-literal=BOOTSTRAP_ADMIN_EMAIL="admin@platform.localtest.me" \
  --from-literal=BOOTSTRAP_ADMIN_PASSWORD="$(random 24)"

echo "created secret $namespace/$secret; the bootstrap admin is admin@platform.localtest.me, password:"
echo "  kubectl --context $context -n $namespace get secret $secret -o jsonpath='{.data.BOOTSTRAP_ADMIN_PASSWORD}' | base64 -d"
