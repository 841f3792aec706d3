#!/usr/bin/env bash
# Benchmark, not a test: one redeploy under load of the apps of the command
# servers (the frameworks' own servers) on the hosts of the frameworks
# scenario: FastAPI under uvicorn and Django under Daphne, both taking their
# socket from systemd (socket_activation), and Sanic and Tornado, which bind
# their port themselves. While releases with changed code are deployed, 5
# clients per app ask for its page through nginx (one connection per
# request). Prints per app: requests sent, failed, 5xx, p99 latency during
# the switch, and seconds from the start of the play to the first answer
# from the new version.
# Creates and converges the hosts if needed and leaves them running; remove
# them with: .venv/bin/molecule destroy -s frameworks
# Usage: make benchmark-command-servers  (or this script after make deps)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/scripts/containers.conf}
mkdir -p .cache
log=.cache/benchmark-command-servers.log
export FW_FIGURES_FILE=$PWD/.cache/benchmark-command-servers.json
export FW_LOAD_HOSTS=fw_asgi:fw_own
export FW_TEXT="hello from the benchmark of $(date -u +%Y%m%dT%H%M%SZ)"
rm -f "$FW_FIGURES_FILE"

echo "Converging the frameworks hosts (log: $log) ..."
molecule converge --scenario-name frameworks > "$log" 2>&1
echo "Redeploying the command servers' apps under load ..."
molecule side-effect --scenario-name frameworks >> "$log" 2>&1

python3 - "$FW_FIGURES_FILE" <<'PY'
import json
import sys

data = json.load(open(sys.argv[1]))
print("deploy exit code: %s" % data["deploy_rc"])
apps = {app: figures for host in data["hosts"].values() for app, figures in host.items()}
rows = [
    ("requests sent", "requests"),
    ("failed (no HTTP answer)", "failed"),
    ("5xx answers", "5xx"),
    ("p99 latency during the switch (s)", "p99_switch_s"),
    ("max latency during the switch (s)", "max_switch_s"),
    ("play start -> new version serving (s)", "seconds_to_new_version"),
]
names = sorted(apps)
print("%-40s %s" % ("", "  ".join("%12s" % a for a in names)))
for label, key in rows:
    print("%-40s %s" % (label, "  ".join("%12s" % apps[a][key] for a in names)))
PY
