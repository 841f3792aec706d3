#!/usr/bin/env bash
# Build a Debian systemd test-host image with debootstrap and import it into podman.
# Usage: build-image.sh SUITE IMAGE   (e.g. build-image.sh bookworm localhost/deploykit-debian:12)
# Does nothing when IMAGE exists and was built by this very script (its hash is
# kept as an image label); FORCE=1 rebuilds anyway.
set -euo pipefail
suite=${1:?suite, e.g. bookworm}
image=${2:?image name, e.g. localhost/deploykit-debian:12}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

recipe=$(sha256sum "$0" | cut -c1-16)
if [ "${FORCE:-0}" != 1 ] && podman image exists "$image" \
   && [ "$(podman image inspect -f '{{ index .Labels "deploykit.recipe" }}' "$image")" = "$recipe" ]; then
  echo "image $image is up to date"
  exit 0
fi

rootfs=$(mktemp -d /var/tmp/deploykit-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "debootstrap $suite into $rootfs"
# What a deploy target needs before Ansible arrives: systemd, Python, sudo,
# python3-apt (the apt module needs it to run in check mode), an SSH server
# (the tests reach the hosts over SSH, as real ones, tunnelled through
# `podman exec`) and iproute2, which every installed Debian has (Ansible reads
# the host's addresses with it).
debootstrap --variant=minbase --include=systemd,systemd-sysv,python3,python3-apt,sudo,openssh-server,iproute2 \
  "$suite" "$rootfs" "$mirror" > "$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
# The packages the roles and the test hosts install are downloaded, not
# installed (certbot and python3-cryptography for HTTPS sites, pebble for the
# tls scenario's ACME server, haproxy and socat for load balancers, the
# exporters, mtail and Prometheus for metrics): every
# test host installs them for real (the roles' apt tasks do the work) without
# each fetching its own copy from the mirror.
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb
chroot "$rootfs" apt-get update -qq > "$rootfs.log" 2>&1 \
  && chroot "$rootfs" apt-get install -qq --download-only -y acl dbus git nginx python3-packaging python3-venv \
     certbot python3-cryptography pebble haproxy socat \
     prometheus prometheus-node-exporter prometheus-nginx-exporter mtail openssl \
     >> "$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log" "$rootfs/etc/resolv.conf"
# A host, not a chroot: no policy-rc.d, a machine-id created at boot. The
# package lists stay, as on any installed host (check mode cannot fetch them).
rm -f "$rootfs/usr/sbin/policy-rc.d" "$rootfs/etc/machine-id"
: > "$rootfs/etc/machine-id"
# Units that make no sense in a container and slow its boot.
for unit in systemd-remount-fs.service getty.target console-getty.service; do
  ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done
tar -C "$rootfs" -c . | podman import --change 'CMD ["/sbin/init"]' --change 'STOPSIGNAL SIGRTMIN+3' \
  --change "LABEL deploykit.recipe=$recipe" - "$image"
echo "built $image"
