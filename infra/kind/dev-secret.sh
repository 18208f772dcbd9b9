#!/bin/sh
# Creates the platform-secrets Secret on the kind cluster if it does not exist yet, pointing at the
# dev-deps services and filling JWT_SECRET, the TOTP encryption key and the bootstrap admin password
# with fresh random values. (A secret created before the key existed: delete it and deploy again.)
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

if k -n "$namespace" get secret "$secret" >/dev/null 2>&1; then
  exit 0
fi

k -n "$namespace" create secret generic "$secret" \
  --from-literal=JWT_SECRET="$(random 64)" \
  --from-literal=TOTP_ENCRYPTION_KEYS="k1:$(head -c 32 /dev/urandom | base64 | tr -d '\n')" \
  --from-literal=DATABASE_URL="postgres://postgres@postgres.$deps:5432/platform" \
  --from-literal=REDIS_URL="redis://redis.$deps:6379" \
  --from-literal=AMQP_URL="amqp://guest:guest@rabbitmq.$deps:5672" \
  --from-literal=BOOTSTRAP_ADMIN_EMAIL="admin@platform.localtest.me" \
  --from-literal=BOOTSTRAP_ADMIN_PASSWORD="$(random 24)"

echo "created secret $namespace/$secret; the bootstrap admin is admin@platform.localtest.me, password:"
echo "  kubectl --context $context -n $namespace get secret $secret -o jsonpath='{.data.BOOTSTRAP_ADMIN_PASSWORD}' | base64 -d"
