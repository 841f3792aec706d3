#!/usr/bin/env bash
# Install the Debian packages the tests and the demo need on the controller:
# podman with runc (test hosts), debootstrap (their image), the ssh client
# (how the tests reach them). Skips what is there.
set -euo pipefail
packages=(podman runc debootstrap uidmap slirp4netns fuse-overlayfs curl make git openssh-client openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
