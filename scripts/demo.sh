#!/usr/bin/env bash
# make demo / make demo-clean: a local sandbox host (a Debian 12 systemd
# container), the real deploy.yml run against inventories/sandbox, and the
# answer of the deployed app through nginx on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
name=deploykit-demo
image=${IMAGE:-localhost/deploykit-debian:12}
port=${DEMO_PORT:-8080}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/scripts/containers.conf}
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg"

case "${1:-up}" in
  down)
    podman rm -f --time 5 "$name" >/dev/null 2>&1 || true
    echo "removed the sandbox host $name"
    exit 0
    ;;
  up) ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac

if ! podman container exists "$name"; then
  echo "starting the sandbox host $name (port $port on 127.0.0.1 -> 80)"
  podman run -d --name "$name" --hostname "$name" --systemd=always \
    --publish "127.0.0.1:$port:80" "$image" /sbin/init >/dev/null
elif [ "$(podman container inspect -f '{{.State.Running}}' "$name")" != true ]; then
  podman start "$name" >/dev/null
fi
for _ in $(seq 60); do
  state=$(podman exec "$name" systemctl is-system-running 2>/dev/null || true)
  case "$state" in running|degraded) break ;; esac
  sleep 1
done

ansible-playbook deploy.yml -i inventories/sandbox

url="http://127.0.0.1:$port/"
answer=$(curl --silent --show-error --max-time 10 --retry 5 --retry-delay 1 --retry-all-errors "$url")
echo
echo "The demo app is deployed: $url"
echo "It answered: $answer"
