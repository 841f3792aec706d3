#!/usr/bin/env bash
# Build a Debian systemd test-host image with debootstrap and import it into podman.
# Usage: build-image.sh SUITE IMAGE   (e.g. build-image.sh bookworm localhost/deploykit-debian:12)
# Does nothing when IMAGE already exists; FORCE=1 rebuilds.
set -euo pipefail
suite=${1:?suite, e.g. bookworm}
image=${2:?image name, e.g. localhost/deploykit-debian:12}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "${FORCE:-0}" != 1 ] && podman image exists "$image"; then
  echo "image $image exists"
  exit 0
fi

rootfs=$(mktemp -d /var/tmp/deploykit-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "debootstrap $suite into $rootfs"
debootstrap --variant=minbase --include=systemd,systemd-sysv,python3,sudo \
  "$suite" "$rootfs" "$mirror" > "$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
# A host, not a chroot: no policy-rc.d, a machine-id created at boot, clean apt lists.
rm -f "$rootfs/usr/sbin/policy-rc.d" "$rootfs/etc/machine-id"
: > "$rootfs/etc/machine-id"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
# Units that make no sense in a container and slow its boot.
for unit in systemd-remount-fs.service getty.target console-getty.service; do
  ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done
tar -C "$rootfs" -c . | podman import --change 'CMD ["/sbin/init"]' --change 'STOPSIGNAL SIGRTMIN+3' - "$image"
echo "built $image"
