#!/usr/bin/env bash
# Builds the govmomi ESXi simulator launcher into test/simulator/bin/esxsim (skips when up to date).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=test/simulator/bin/esxsim
fresh=1
for f in test/simulator/*.go test/simulator/build.sh; do
  [[ -x "$out" && "$out" -nt "$f" ]] || fresh=0
done
if (( fresh )); then
  exit 0
fi
mkdir -p test/simulator/bin
export GOPATH=/usr/share/gocode GO111MODULE=off
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/esxsim-gocache}"
tmp="$out.tmp.$$"
go build -o "$tmp" ./test/simulator
mv -f "$tmp" "$out"
