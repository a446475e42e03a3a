#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the tests and the examples need,
# skipping the apt run when all of them are there already.
set -euo pipefail
packages=$(grep -v '^#' "$(dirname "$0")/packages")

missing=
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends $missing
