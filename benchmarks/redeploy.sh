#!/usr/bin/env bash
# Benchmark, not a test: one redeploy under load on the hosts of the
# zero_downtime scenario (the Falcon sample under Gunicorn on one host, under
# uWSGI on the other). While the release with changed code is deployed, 10
# clients per host ask for the page through nginx (one connection per
# request). Prints per host: requests sent, failed, 5xx, p50/p99 latency
# during the switch and over the run, and seconds from the start of the play
# to the first answer from the new version.
# Creates and converges the hosts if needed and leaves them running; remove
# them with: .venv/bin/molecule destroy -s zero_downtime
# Usage: make benchmark  (or benchmarks/redeploy.sh after make deps)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/scripts/containers.conf}
mkdir -p .cache
log=.cache/benchmark-redeploy.log
export ZD_FIGURES_FILE=$PWD/.cache/benchmark-redeploy.json
export ZD_TEXT="Hello from Falcon, benchmark $(date -u +%Y%m%dT%H%M%SZ)"
rm -f "$ZD_FIGURES_FILE"

echo "Converging the zero_downtime hosts (log: $log) ..."
molecule converge --scenario-name zero_downtime > "$log" 2>&1
echo "Redeploying under load ..."
molecule side-effect --scenario-name zero_downtime >> "$log" 2>&1

python3 - "$ZD_FIGURES_FILE" <<'PY'
import json
import sys

data = json.load(open(sys.argv[1]))
print("deploy exit code: %s" % data["deploy_rc"])
rows = [
    ("requests sent", "requests"),
    ("failed (no HTTP answer)", "failed"),
    ("5xx answers", "5xx"),
    ("requests within 2 s of the switch", "switch_window_requests"),
    ("p50 latency during the switch (s)", "p50_switch_s"),
    ("p99 latency during the switch (s)", "p99_switch_s"),
    ("max latency during the switch (s)", "max_switch_s"),
    ("p50 latency, whole run (s)", "p50_all_s"),
    ("p99 latency, whole run (s)", "p99_all_s"),
    ("play start -> new version serving (s)", "seconds_to_new_version"),
]
hosts = sorted(data["hosts"])
print("%-40s %s" % ("", "  ".join("%22s" % h for h in hosts)))
for label, key in rows:
    print("%-40s %s" % (label, "  ".join("%22s" % data["hosts"][h][key] for h in hosts)))
PY
