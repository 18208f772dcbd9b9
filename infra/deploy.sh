#!/bin/sh
# Deploys an overlay of infra/k8s with the images a CI run pushed, or (--render) prints what would be
# applied. Used by .github/workflows/deploy.yaml; packages/infra-checks renders it in its tests.
#
#   sh infra/deploy.sh [--render] <overlay> <registry> <tag>
#   sh infra/deploy.sh staging ghcr.io/acme 3f2c1e0...      # kubectl's current context is the target
#
# The overlay stays untouched: a throwaway kustomization on top of it pins every platform-<app> image to
# <registry>/platform-<app>:<tag>, the same effect as `kustomize edit set image`, without needing the
# standalone kustomize binary or leaving an edited file behind.
set -eu

render=false
if [ "${1:-}" = --render ]; then
  render=true
  shift
fi
if [ $# -ne 3 ]; then
  echo "usage: deploy.sh [--render] <overlay> <registry> <tag>" >&2
  exit 64
fi
overlay=$1 registry=${2%/} tag=$3
root=$(cd "$(dirname "$0")/.." && pwd)
overlay_dir="$root/infra/k8s/overlays/$overlay"
[ -f "$overlay_dir/kustomization.yaml" ] || { echo "no overlay $overlay in infra/k8s/overlays" >&2; exit 64; }

# Must match skaffold.yaml's artifacts and the deploy workflow's image matrix (infra-checks tests both).
apps="auth users admin realtime graphql worker-email worker-logs media worker-media web"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# kustomize accepts another kustomization as a resource by path, relative to this file.
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - $(realpath --relative-to="$work" "$overlay_dir")"
  echo "images:"
  for app in $apps; do
    echo "  - name: platform-$app"
    echo "    newName: $registry/platform-$app"
    echo "    newTag: \"$tag\""
  done
} >"$work/kustomization.yaml"

if [ "$render" = true ]; then
  kubectl kustomize "$work"
  exit 0
fi

# A Job's pod template is immutable: the migration Job of the last release goes before the new one.
kubectl -n platform delete job db-migrate --ignore-not-found
kubectl apply -k "$work"
kubectl -n platform wait --for=condition=complete job/db-migrate --timeout=300s
for app in $apps; do
  kubectl -n platform rollout status "deployment/$app" --timeout=600s
done
