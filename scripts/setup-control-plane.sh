#!/usr/bin/env bash
# Builds the local Kubernetes control plane used by the end-to-end tests: one binary
# (scripts/control-plane, a wrapper Go module) that runs kube-apiserver,
# kube-controller-manager or kine (etcd API on SQLite) depending on its first argument.
#
# Everything comes from Go modules through GOPROXY (k8s.io/kubernetes and its staging
# modules, github.com/k3s-io/kine); nothing prebuilt is downloaded. The binary goes to
#
#   ${GOLDEN_PATH_CACHE:-$HOME/.cache/cdktf-golden-path}/control-plane/<k8s-version>-<hash>/control-plane
#
# where <hash> is the first 12 hex digits of sha256(go.mod + go.sum + *.go, sorted by
# name) of scripts/control-plane; test/e2e/control-plane.ts computes the same path.
# Next to it, build.json records the download and build wall times and the build's peak
# memory. Idempotent: when the binary exists, nothing is built.
#
# Pins (scripts/control-plane/go.mod): k8s.io/kubernetes v1.37.2 requires its 31 staging
# modules at v0.0.0 and replaces them with ./staging/...; our go.mod replaces each with the
# published v0.37.2. (k8s.io/sample-cli-plugin and k8s.io/sample-controller are in its replace
# block but not required, and the proxy does not serve them at v0.37.2, so they are left out.)
# github.com/k3s-io/kine v0.17.5 is built for Kubernetes 0.37 / etcd 3.7.3 already.
#
# Measured on the 2-core machine while another Go build was running (load average 6-12):
# modules 14-19 s (1.2 GB, empty GOMODCACHE); cold build ~19 min wall, ~670 s CPU, peak RSS
# 3.1 GiB (the linker); warm rebuild ~9 s; binary 148 MiB.
#
# Usage: scripts/setup-control-plane.sh [--force]
# Env:   GOLDEN_PATH_CACHE  cache root
#        GO                 go command (default: go on PATH, else /usr/local/go/bin/go)
#        GOMODCACHE/GOCACHE/GOPROXY  as usual for go
# The build is pure Go (CGO_ENABLED=0): kine then uses modernc.org/sqlite, so no C compiler
# is needed, and the binary is static.
# The last line of output is the binary's path.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/control-plane"
CACHE_ROOT="${GOLDEN_PATH_CACHE:-$HOME/.cache/cdktf-golden-path}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { echo "[setup-control-plane] $*" >&2; }

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"
  elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
  else log "no Go toolchain found (put go on PATH or set GO=...)"; exit 1
  fi
fi

# Cache key: k8s version + hash of the module's inputs (same recipe as control-plane.ts).
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v[0-9]/ { print $2; exit }' "$SRC/go.mod")"
KINE_VERSION="$(awk '$1 == "github.com/k3s-io/kine" && $2 ~ /^v[0-9]/ { print $2; exit }' "$SRC/go.mod")"
[[ -n "$K8S_VERSION" ]] || { log "cannot read the k8s.io/kubernetes version from $SRC/go.mod"; exit 1; }
mapfile -t GO_FILES < <(cd "$SRC" && LC_ALL=C ls -1 -- *.go | LC_ALL=C sort)
HASH="$(cd "$SRC" && cat go.mod go.sum "${GO_FILES[@]}" | sha256sum | cut -c1-12)"
OUT_DIR="$CACHE_ROOT/control-plane/$K8S_VERSION-$HASH"
BIN="$OUT_DIR/control-plane"

if [[ -x "$BIN" && "$FORCE" == 0 ]]; then
  log "cached: $BIN (built earlier; see $OUT_DIR/build.json)"
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE_ROOT/control-plane"
# One build at a time per cache (a second caller waits, then finds the binary).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/control-plane/.build.lock"
  flock 9
  if [[ -x "$BIN" && "$FORCE" == 0 ]]; then
    log "cached: $BIN (built by a concurrent run)"
    echo "$BIN"
    exit 0
  fi
fi

TMP="$(mktemp -d "$CACHE_ROOT/control-plane/.build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

CGO=0

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

log "Kubernetes $K8S_VERSION, kine $KINE_VERSION, $("$GO" version | awk '{print $3}'), CGO_ENABLED=$CGO"
log "downloading modules (GOMODCACHE=$("$GO" env GOMODCACHE)) ..."
T0="$(now)"
(cd "$SRC" && GOFLAGS="${GOFLAGS:-} -mod=readonly" "$GO" mod download)
T1="$(now)"
DOWNLOAD_S="$(secs "$T0" "$T1")"
log "modules ready in ${DOWNLOAD_S}s"

# Version stamping as in kubernetes/hack/lib/version.sh, so /version reports the release.
MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$MINOR"
  LDFLAGS+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$BUILD_DATE"
done

log "building (a cold build takes many minutes on 2 cores) ..."
BUILD_CMD=(env CGO_ENABLED="$CGO" GOFLAGS="${GOFLAGS:-} -mod=readonly" "$GO" build -trimpath -ldflags "$LDFLAGS" -o "$TMP/control-plane" .)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
T2="$(now)"
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
  (cd "$SRC" && /usr/bin/time -v -o "$TMP/time.txt" "${BUILD_CMD[@]}")
else
  (cd "$SRC" && "${BUILD_CMD[@]}")
fi
T3="$(now)"
BUILD_S="$(secs "$T2" "$T3")"

PEAK_KB=null; USER_S=null; SYS_S=null
if [[ -f "$TMP/time.txt" ]]; then
  PEAK_KB="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")"
  USER_S="$(awk -F': ' '/User time \(seconds\)/ { print $2 }' "$TMP/time.txt")"
  SYS_S="$(awk -F': ' '/System time \(seconds\)/ { print $2 }' "$TMP/time.txt")"
fi
SIZE="$(stat -c %s "$TMP/control-plane")"

cat >"$TMP/build.json" <<EOF
{
  "kubernetesVersion": "$K8S_VERSION",
  "kineVersion": "$KINE_VERSION",
  "goVersion": "$("$GO" env GOVERSION)",
  "cgo": $([[ "$CGO" == 1 ]] && echo true || echo false),
  "sourceHash": "$HASH",
  "builtAt": "$BUILD_DATE",
  "cpus": $(nproc 2>/dev/null || echo null),
  "loadAverageBeforeBuild": "$LOAD_BEFORE",
  "loadAverageAfterBuild": "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)",
  "moduleDownloadSeconds": $DOWNLOAD_S,
  "buildWallSeconds": $BUILD_S,
  "buildUserCpuSeconds": $USER_S,
  "buildSystemCpuSeconds": $SYS_S,
  "buildPeakRssKiB": $PEAK_KB,
  "buildPeakRssNote": "/usr/bin/time -v: largest RSS of any single process of the build (compile or link), not the sum",
  "binaryBytes": $SIZE
}
EOF

mkdir -p "$OUT_DIR"
mv -f "$TMP/build.json" "$OUT_DIR/build.json"
mv -f "$TMP/control-plane" "$BIN"
log "built in ${BUILD_S}s (modules ${DOWNLOAD_S}s), peak RSS ${PEAK_KB} KiB, binary $((SIZE / 1024 / 1024)) MiB"
log "build facts: $OUT_DIR/build.json"
echo "$BIN"
