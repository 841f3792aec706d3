#!/usr/bin/env bash
# Run the linters and every molecule scenario (or those named as arguments),
# keep each one's log under .cache/test-logs, and print a summary.
#
# Scenarios run TEST_JOBS at a time (default 2), longest first, so the pool
# ends together. Scenarios named in SOLO_SCENARIOS (default: none) run
# afterwards with the machine to themselves. The load tests (zero_downtime,
# fleet) count failed requests, which must be 0 however busy the machine is;
# their timings are the benchmarks' business (make benchmark*).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
logs=.cache/test-logs
mkdir -p "$logs"
rm -f "$logs"/*.result "$logs"/*.failures
export PATH="$PWD/$bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/scripts/containers.conf}
# Each task's duration in the logs, and the slowest ones after each play.
export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks PROFILE_TASKS_TASK_OUTPUT_LIMIT=15
jobs=${TEST_JOBS:-2}
solo=" ${SOLO_SCENARIOS-} "
# Longest first, so the pool ends together; unknown names go last.
order=(tls frameworks fleet zero_downtime default monitoring debian13)

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  for f in molecule/*/molecule.yml; do scenarios+=("$(basename "$(dirname "$f")")"); done
fi
sorted=()
for s in "${order[@]}"; do [[ " ${scenarios[*]} " == *" $s "* ]] && sorted+=("$s"); done
for s in "${scenarios[@]}"; do [[ " ${order[*]} " == *" $s "* ]] || sorted+=("$s"); done

# check NAME COMMAND...: run COMMAND with its output in NAME's log and leave
# one summary line in NAME's result file.
check() {
  local name=$1; shift
  local id=${name//[^A-Za-z0-9_.-]/_}
  local log="$logs/$id.log" start=$SECONDS
  echo "== $name (started at $(date +%T))"
  if "$@" > "$log" 2>&1; then
    echo "PASS  $name  ($((SECONDS - start)) s)" > "$logs/$id.result"
  else
    echo "FAIL  $name  ($((SECONDS - start)) s, log: $log)" > "$logs/$id.result"
    failures "$log" > "$logs/$id.failures"
    echo "-- what failed in $log:"; cat "$logs/$id.failures"
  fi
}

# failures LOG: each failed task of LOG with its message, else the log's end.
failures() {
  if grep -q -E '^(fatal|failed): ' "$1"; then
    grep -E -B 3 -A 40 '^(fatal|failed): ' "$1" | head -n 400
  else
    tail -n 80 "$1"
  fi
}

# brief LOG: the failed task that stopped LOG's run (not one whose failure was
# ignored): its name, its first line and its assertion, msg and stderr (else
# its first lines), at most 8 lines of 300 characters: short enough to read
# in a CI log's last lines.
brief() {
  awk '
    function keep() { if (n < 200) line[++n] = substr($0, 1, 300) }
    inblk && /^\.\.\.ignoring/ { n = 0; inblk = 0; next }
    inblk && (/^$/ || /^TASK \[/ || /^PLAY/) { inblk = 0 }
    /^TASK \[/ { task = $0; next }
    /^(fatal|failed): / { name = task; n = 0; keep(); inblk = 1; next }
    inblk { keep() }
    END {
      if (n == 0) exit
      print name; print line[1]; shown = 2
      for (i = 2; i <= n && shown < 8; i++) {
        if (line[i] ~ /^    [a-z_]+:/) wanted = (line[i] ~ /^    (assertion|msg|stderr):/)
        if (wanted) { print line[i]; shown++ }
      }
      if (shown == 2) for (i = 2; i <= n && i < 8; i++) print line[i]
    }
  ' "$1"
}

check yamllint yamllint --strict .
check ansible-lint ansible-lint --profile production
check "generated files" python scripts/settings.py --check

# The key the test hosts trust (molecule/default/prepare.yml), made here once:
# scenarios preparing at the same moment would each make their own.
if [ ! -f .cache/ssh/id_ed25519 ]; then
  mkdir -p -m 0700 .cache/ssh
  ssh-keygen -q -t ed25519 -C deploykit-test -N '' -f .cache/ssh/id_ed25519
fi

pool=() alone=()
for s in "${sorted[@]}"; do
  if [[ $solo == *" $s "* ]]; then alone+=("$s"); else pool+=("$s"); fi
done
for s in "${pool[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  check "molecule $s" molecule test --scenario-name "$s" &
done
wait
for s in "${alone[@]}"; do
  check "molecule $s" molecule test --scenario-name "$s"
done

# What failed again at the end, where a reader of the run's last lines sees it.
for f in "$logs"/*.failures; do
  [ -e "$f" ] || continue
  echo; echo "== what failed: ${f%.failures}.log"; cat "$f"
done
echo
cat "$logs"/*.result
failed=$(cat "$logs"/*.result | grep -c '^FAIL')
passed=$(cat "$logs"/*.result | grep -c '^PASS')
echo "$passed passed, $failed failed"
# Last, where even a short tail of the run shows it: the task that stopped
# each failed run, in a few lines.
for f in "$logs"/*.failures; do
  [ -e "$f" ] || continue
  echo "== what stopped ${f%.failures}.log:"; brief "${f%.failures}.log"
done
[ "$failed" -eq 0 ]
