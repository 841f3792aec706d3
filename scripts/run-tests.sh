#!/usr/bin/env bash
# Run the linters and every molecule scenario (or those named as arguments),
# keep each one's log under .cache/test-logs, and print a summary.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
logs=.cache/test-logs
mkdir -p "$logs"
export PATH="$PWD/$bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/scripts/containers.conf}

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  for f in molecule/*/molecule.yml; do scenarios+=("$(basename "$(dirname "$f")")"); done
fi

passed=0 failed=0 summary=()
check() {
  local name=$1; shift
  local log="$logs/${name//[^A-Za-z0-9_.-]/_}.log" start=$SECONDS
  echo "== $name"
  if "$@" > "$log" 2>&1; then
    passed=$((passed + 1)); summary+=("PASS  $name  ($((SECONDS - start)) s)")
  else
    failed=$((failed + 1)); summary+=("FAIL  $name  ($((SECONDS - start)) s, log: $log)")
    echo "-- last lines of $log:"; tail -n 120 "$log"
  fi
}

check yamllint yamllint --strict .
check ansible-lint ansible-lint --profile production
check "generated files" python scripts/settings.py --check
for s in "${scenarios[@]}"; do
  check "molecule $s" molecule test --scenario-name "$s"
done

echo
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
