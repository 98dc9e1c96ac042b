#!/usr/bin/env bash
# Installs what the real-tool test tiers need, built from Go modules through the Go module proxy
# and cached outside the repository (nothing here is ever committed):
#
#   clis       OpenTofu (built from its Go module) and Terraform (the machine's, else built)
#   providers  the real hashicorp/kubernetes, helm and aws providers
#   control-plane  kube-apiserver + kube-controller-manager + kine (scripts/setup-control-plane.sh)
#   moto       the AWS API emulator (PyPI, in a virtualenv)
#   all        everything above (the default)
#
# Usage: scripts/e2e-setup.sh [clis|providers|control-plane|moto|all]...
# Idempotent: a cached build is reused; its key is the module, version and commit.
# Cache: ${GOLDEN_PATH_CACHE:-$HOME/.cache/cdktf-golden-path}. Times measured on the 2-core
# machine are in docs/testing.md (cold, 2 cores: clis about 10 min, providers about 65 min (aws alone 52 min, 9.3 GB), control plane about 19 min).
set -euo pipefail

CACHE="${GOLDEN_PATH_CACHE:-$HOME/.cache/cdktf-golden-path}"
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$CACHE"

# The OpenTofu release we build (the proxy serves v1.12.6).
TOFU_MODULE=github.com/opentofu/opentofu
TOFU_VERSION=v1.12.6
# Terraform when the machine has none (module v1.x; its nested backend modules may not be served).
TERRAFORM_MODULE=github.com/hashicorp/terraform
TERRAFORM_VERSION=v1.13.3
# The AWS API emulator (PyPI).
MOTO_VERSION=5.2.5

# Providers: type, module, module version. The provider repositories tag v2/v3/v6 releases
# without a /vN module path, so the proxy only serves them as pseudo-versions of a commit,
# and it serves one commit per provider (see docs/testing.md for why these are not the
# versions @cdktf/provider-* pin). The provider version is read from the module's
# version/VERSION file.
PROVIDERS=(
  "kubernetes github.com/hashicorp/terraform-provider-kubernetes v1.13.4-0.20260821094251-3a33fb6cc605"
  "helm github.com/hashicorp/terraform-provider-helm v1.3.3-0.20260629194918-a4f1c1d8b008"
  "aws github.com/hashicorp/terraform-provider-aws v1.60.1-0.20260602190131-5f2286d6d836"
)

log() { printf '[e2e-setup] %s\n' "$*" >&2; }

# Runs a build command, recording wall time and peak memory in $1 (a JSON file).
measured() {
  local record="$1"; shift
  local start end timing
  timing="$(mktemp)"
  start=$(date +%s)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$timing" "$@"
  else
    "$@"
  fi
  end=$(date +%s)
  local rss
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$timing" 2>/dev/null || true)
  rm -f "$timing"
  printf '{"seconds": %s, "maxRssKb": %s, "builtAt": "%s", "go": "%s"}\n' \
    "$((end - start))" "${rss:-null}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(go env GOVERSION)" > "$record"
  log "built in $((end - start)) s, peak RSS ${rss:-?} kB"
}

# Copies a downloaded module to a writable build directory (modules with replace
# directives cannot be built with `go install module@version`).
module_dir() {
  local module="$1" version="$2"
  go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

build_tofu() {
  local dest="$CACHE/bin/tofu-$TOFU_VERSION"
  if [ -x "$dest/tofu" ]; then log "tofu $TOFU_VERSION cached: $dest/tofu"; return; fi
  log "building OpenTofu $TOFU_VERSION from its Go module (about 10 minutes cold on 2 cores)"
  local src; src="$(module_dir "$TOFU_MODULE" "$TOFU_VERSION")"
  [ -n "$src" ] || { log "the Go module proxy did not serve $TOFU_MODULE@$TOFU_VERSION"; exit 1; }
  mkdir -p "$dest.tmp"
  (cd "$src" && measured "$dest.tmp/build.json" go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$dest.tmp/tofu" ./cmd/tofu)
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
}

build_terraform() {
  if command -v terraform >/dev/null 2>&1; then log "terraform on PATH: $(command -v terraform)"; return; fi
  local dest="$CACHE/bin/terraform-$TERRAFORM_VERSION"
  if [ -x "$dest/terraform" ]; then log "terraform $TERRAFORM_VERSION cached: $dest/terraform"; return; fi
  log "no terraform on PATH: building $TERRAFORM_MODULE@$TERRAFORM_VERSION"
  local src; src="$(module_dir "$TERRAFORM_MODULE" "$TERRAFORM_VERSION")"
  local work="$CACHE/src/terraform-$TERRAFORM_VERSION"
  rm -rf "$work" && mkdir -p "$(dirname "$work")" && cp -r "$src" "$work" && chmod -R u+w "$work"
  mkdir -p "$dest.tmp"
  (cd "$work" && measured "$dest.tmp/build.json" go build -trimpath -ldflags "-s -w" -o "$dest.tmp/terraform" .)
  rm -rf "$dest" "$work" && mv "$dest.tmp" "$dest"
}

build_provider() {
  local type="$1" module="$2" version="$3"
  # GOLDEN_PATH_PROVIDERS="kubernetes helm" limits the build to those providers.
  if [ -n "${GOLDEN_PATH_PROVIDERS:-}" ] && [[ " $GOLDEN_PATH_PROVIDERS " != *" $type "* ]]; then return; fi
  local commit="${version##*-}"
  local src; src="$(module_dir "$module" "$version")"
  [ -n "$src" ] || { log "the Go module proxy did not serve $module@$version"; exit 1; }
  local pversion; pversion="$(tr -d '[:space:]' < "$src/version/VERSION")"
  local dest="$CACHE/providers/$type/$pversion-$commit"
  if [ -x "$dest/terraform-provider-$type" ]; then log "$type $pversion ($commit) cached: $dest"; return; fi
  log "building hashicorp/$type $pversion (commit $commit) from $module@$version"
  mkdir -p "$dest.tmp"
  (cd "$src" && measured "$dest.tmp/build.json" go build -trimpath -ldflags "-s -w" -o "$dest.tmp/terraform-provider-$type" .)
  printf '{"type": "%s", "version": "%s", "module": "%s", "moduleVersion": "%s", "commit": "%s"}\n' \
    "$type" "$pversion" "$module" "$version" "$commit" > "$dest.tmp/provider.json"
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
}

setup_moto() {
  local venv="$CACHE/moto-venv"
  if [ -f "$venv/.complete" ]; then log "moto cached: $venv/bin/moto_server"; return; fi
  log "installing moto[server] $MOTO_VERSION from PyPI into $venv (about a minute)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" >&2
  touch "$venv/.complete"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
started=$(date +%s)
for target in "${targets[@]}"; do
  case "$target" in
    clis) build_terraform; build_tofu ;;
    providers) for p in "${PROVIDERS[@]}"; do build_provider $p; done ;;
    control-plane) bash "$HERE/setup-control-plane.sh" ;;
    moto) setup_moto ;;
    all)
      build_terraform; build_tofu
      for p in "${PROVIDERS[@]}"; do build_provider $p; done
      bash "$HERE/setup-control-plane.sh"
      setup_moto ;;
    *) log "unknown target '$target' (clis, providers, control-plane, moto, all)"; exit 2 ;;
  esac
done
log "done in $(( $(date +%s) - started )) s; cache: $CACHE"
