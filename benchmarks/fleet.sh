#!/usr/bin/env bash
# Benchmark, not a test: rolling deploys through HAProxy, for 1, 3 and 6 app
# hosts (FLEET_SIZES="1 3 6"). For each size, fresh Debian 12 containers (a
# balancer and the app hosts, the fleet scenario's settings: the Falcon sample
# under Gunicorn, 2 workers) are deployed once; then a new release is rolled
# out (molecule/fleet/rollout_under_load.yml: 6 GET and 4 POST clients through
# the balancer over HTTP, 5 requests a second each) and the figures printed: rollout
# time (from ansible-playbook's start to its end), requests, failed, 5xx, p99
# latency, most servers out of the pool at once. One app host is deployed
# without draining (deploy_drain: false; draining it would empty the pool).
#
# Usage: make benchmark-fleet    Logs: .cache/benchmark-fleet/. Leaves no container behind.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
export PATH="$here/.venv/bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/scripts/containers.conf}
sizes=${FLEET_SIZES:-1 3 6}
work=$here/.cache/benchmark-fleet
rm -rf "$work" && mkdir -p "$work/project/molecule" "$work/project/.cache"
# A project of its own (molecule finds scenarios under ./molecule), made of
# this checkout's files, with a scenario per size.
for f in .config deploy.yml playbooks roles scripts examples requirements.yml ansible.cfg; do
  ln -s "$here/$f" "$work/project/$f"
done
for f in wheels ssh; do ln -s "$here/.cache/$f" "$work/project/.cache/$f"; done
for s in default fleet; do ln -s "$here/molecule/$s" "$work/project/molecule/$s"; done
cd "$work/project"

scenario() { # N: molecule/bench$N, the fleet scenario with N app hosts
  local dir=molecule/bench$1
  mkdir -p "$dir"
  {
    echo "platforms:"
    echo "  - {name: deploykit-blb, image: localhost/deploykit-debian:12, pre_build_image: true, command: /sbin/init,"
    echo "     systemd: always, network: deploykit-bench, groups: [load_balancers]}"
    for i in $(seq "$1"); do
      echo "  - {name: deploykit-b$i, image: localhost/deploykit-debian:12, pre_build_image: true, command: /sbin/init,"
      echo "     systemd: always, network: deploykit-bench, groups: [app_servers],"
      echo "     volumes: [\"\${MOLECULE_PROJECT_DIRECTORY}/.cache/wheels:/var/cache/deploykit-wheels:ro\"]}"
    done
    echo "provisioner:"
    echo "  playbooks:"
    echo "    side_effect: \${MOLECULE_PROJECT_DIRECTORY}/molecule/fleet/rollout_under_load.yml"
    echo "  inventory:"
    echo "    host_vars:"
    echo "      deploykit-blb: {ansible_connection: ssh}"
    for i in $(seq "$1"); do echo "      deploykit-b$i: {ansible_connection: ssh}"; done
    echo "    group_vars:"
    # The fleet scenario's group_vars, without HTTPS (no ACME server here).
    # One app host cannot leave the pool without leaving it empty (the
    # deploy refuses to drain it): it relies on its own zero-downtime
    # restart, as a host without a balancer does.
    HOSTS=$1 python3 - <<'PY'
import os, yaml
groups = yaml.safe_load(open("molecule/fleet/molecule.yml"))["provisioner"]["inventory"]["group_vars"]
groups["app_servers"].pop("app_tls_acme_directory", None)
if os.environ["HOSTS"] == "1":
    groups["app_servers"]["deploy_drain"] = False
for app in groups["app_servers"]["apps"]:
    app.pop("tls", None)
print("\n".join("      " + line for line in yaml.safe_dump(groups, sort_keys=False, width=200).splitlines()))
PY
  } > "$dir/molecule.yml"
  echo "bench$1"
}

for n in $sizes; do
  s=$(scenario "$n")
  echo "== $n app host(s)"
  molecule destroy -s "$s" > "$work/$s.log" 2>&1
  for step in create prepare converge; do
    molecule "$step" -s "$s" >> "$work/$s.log" 2>&1 || { echo "$step failed (log: $work/$s.log)"; tail -n 30 "$work/$s.log"; molecule destroy -s "$s" >/dev/null 2>&1; exit 1; }
  done
  FLEET_URL=http://127.0.0.1/ FLEET_TEXT="Hello from Falcon, release 2" FLEET_FIGURES_FILE="$work/$s.json" \
    molecule side-effect -s "$s" >> "$work/$s.log" 2>&1 \
    || { echo "rollout failed (log: $work/$s.log)"; tail -n 30 "$work/$s.log"; }
  molecule destroy -s "$s" >> "$work/$s.log" 2>&1
done

echo
python3 - "$work" $sizes <<'PY'
import json, os, sys
work, sizes = sys.argv[1], sys.argv[2:]
print("%-10s %10s %9s %7s %5s %8s %8s %8s" % ("app hosts", "rollout s", "requests", "failed", "5xx", "POST 2xx", "p99 s", "max out"))
for n in sizes:
    path = os.path.join(work, "bench%s.json" % n)
    if not os.path.exists(path):
        print("%-10s (no figures: see %s)" % (n, path.replace(".json", ".log")))
        continue
    r = json.load(open(path))
    s = r["summary"]
    print("%-10s %10s %9d %7d %5d %8s %8s %8s" % (n, r["seconds"], s["sent"], s["failed"], s["5xx"],
          s["by_method"].get("POST", {}).get("sent", 0) - s["by_method"].get("POST", {}).get("failed", 0)
          - s["by_method"].get("POST", {}).get("5xx", 0), s["p99_s"], r["max_out"]))
PY
