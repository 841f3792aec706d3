#!/usr/bin/env bash
# Benchmark, not a test: how long deploy.yml takes, on fresh Debian 12 systemd
# containers from the test image, reached through podman's own connection
# (every task pays for several podman calls, so the number of remote tasks
# shows). Prints, from one run on this machine:
#
#  1. Hosts in step: a fresh deploy of one host; of three hosts with the same
#     app; of three hosts each with a different app (Falcon under uWSGI, Flask
#     under Gunicorn, Starlette under Gunicorn with Uvicorn workers). The
#     different apps should take at most 1.15 times the same app.
#  2. Before and after: the hosts of the zero_downtime scenario (the Falcon
#     sample under Gunicorn on one, under uWSGI on the other, reached over
#     SSH) of the checkout at $BEFORE (default b45b96b, the deploy flow before
#     its rebuild) and of this one, one after the other: an unchanged re-run
#     of the Gunicorn host, and one redeploy of both with changed code under
#     load (benchmarks/redeploy.sh's figures), from play start to the new
#     version answering through nginx on each host.
#
# Usage: make benchmark-speed    (BEFORE=<commit> compares with another commit)
# Leaves no container behind. Logs: .cache/benchmark-speed/.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
export PATH="$here/.venv/bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/scripts/containers.conf}
image=${IMAGE:-localhost/deploykit-debian:12}
before=${BEFORE:-b45b96b}
work=$here/.cache/benchmark-speed
rm -rf "$work" && mkdir -p "$work"
samples=$here/examples/apps
hosts=()

cleanup() { [ ${#hosts[@]} -eq 0 ] || podman rm -f --time 3 "${hosts[@]}" >/dev/null 2>&1 || true; }
trap cleanup EXIT

boot() { # NAME...: fresh containers, booted
  cleanup
  hosts=("$@")
  for h in "$@"; do
    podman run -d --name "$h" --hostname "$h" --systemd=always "$image" /sbin/init >/dev/null
  done
  for h in "$@"; do
    for _ in $(seq 60); do
      case "$(podman exec "$h" systemctl is-system-running 2>/dev/null || true)" in running|degraded) break ;; esac
      sleep 1
    done
  done
}

inventory() { # DIR HOST=APPS_YAML...: an inventory of podman hosts, each with its apps
  local dir=$1; shift
  mkdir -p "$dir/host_vars" "$dir/group_vars"
  # In a group's file: the project's group_vars/all beats inline variables.
  printf '%s\n' "ansible_connection: containers.podman.podman" \
    "app_pip_ca_bundle: /etc/ssl/certs/ca-certificates.crt" "app_workers: 2" > "$dir/group_vars/app_servers.yml"
  {
    echo "all:"
    echo "  children:"
    echo "    app_servers:"
    echo "      hosts:"
    for pair in "$@"; do echo "        ${pair%%=*}: {}"; done
  } > "$dir/hosts.yml"
  for pair in "$@"; do printf 'apps:\n%s\n' "${pair#*=}" > "$dir/host_vars/${pair%%=*}.yml"; done
}

deploy() { # CHECKOUT INVENTORY LOG [ARGS...]: seconds one ansible-playbook run took
  local start=$EPOCHREALTIME rc=0
  ANSIBLE_CONFIG=${ANSIBLE_CONFIG:-$1/ansible.cfg} ansible-playbook "$1/deploy.yml" -i "$2" "${@:4}" > "$3" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { echo "deploy failed (log: $3):" >&2; tail -n 20 "$3" >&2; exit 1; }
  echo "$EPOCHREALTIME - $start" | bc
}

app() { # NAME SERVER DIR EXTRA: one entry of apps
  printf '  - {name: %s, server: %s, source: dir, local_path: "%s"%s}' "$1" "$2" "$3" "${4:+, $4}"
}

# 1. Hosts in step.
falcon_uwsgi=$(app falcon uwsgi "$samples/falcon_hello" "wsgi_file: wsgi.py")
falcon_gunicorn=$(app falcon gunicorn "$samples/falcon_hello" "module: \"wsgi:application\"")
flask=$(app flask gunicorn "$samples/flask_hello" "module: \"hello_flask:create_app()\", location: /api/")
starlette=$(app starlette gunicorn "$samples/starlette_hello" "module: \"app:app\", worker_class: uvicorn_worker.UvicornWorker")

echo "Hosts in step (fresh hosts, podman connection) ..."
boot bench-a
inventory "$work/one" "bench-a=$falcon_gunicorn"
one=$(deploy "$here" "$work/one" "$work/one.log")
boot bench-a bench-b bench-c
inventory "$work/same" "bench-a=$falcon_gunicorn" "bench-b=$falcon_gunicorn" "bench-c=$falcon_gunicorn"
same=$(deploy "$here" "$work/same" "$work/same.log")
boot bench-a bench-b bench-c
inventory "$work/different" "bench-a=$falcon_uwsgi" "bench-b=$flask" "bench-c=$starlette"
different=$(deploy "$here" "$work/different" "$work/different.log")

# 2. Before and after, on the hosts of the zero_downtime scenario of each
# checkout (SSH, as the tests reach their hosts), one side after the other.
echo "Before ($before) and after: unchanged re-run, and a redeploy under load ..."
old=$work/before
mkdir -p "$old"
git archive "$before" | tar -x -C "$old"
ln -s "$here/.venv" "$old/.venv"
declare -A rerun seconds
for side in before after; do
  checkout=$([ "$side" = before ] && echo "$old" || echo "$here")
  export MOLECULE_EPHEMERAL_DIRECTORY=$work/molecule-$side
  (
    cd "$checkout"
    molecule destroy -s zero_downtime
    molecule converge -s zero_downtime
  ) > "$work/$side-converge.log" 2>&1 || { echo "$side: converge failed (log: $work/$side-converge.log)" >&2; exit 1; }
  # As a user runs it: one host, nothing changed.
  rerun[$side]=$(cd "$checkout" && ANSIBLE_ROLES_PATH=$checkout/roles ANSIBLE_CONFIG=$MOLECULE_EPHEMERAL_DIRECTORY/ansible.cfg \
    deploy "$checkout" "$MOLECULE_EPHEMERAL_DIRECTORY/inventory" "$work/$side-rerun.log" --limit deploykit-zd-gunicorn)
  grep -q 'changed=0 ' "$work/$side-rerun.log" || { echo "$side: the re-run changed something" >&2; exit 1; }
  (
    cd "$checkout"
    ZD_FIGURES_FILE=$work/$side-redeploy.json ZD_TEXT="Hello from Falcon, benchmark $side" molecule side-effect -s zero_downtime
    molecule destroy -s zero_downtime
  ) > "$work/$side-redeploy.log" 2>&1 || { echo "$side: redeploy failed (log: $work/$side-redeploy.log)" >&2; exit 1; }
  for h in gunicorn uwsgi; do
    seconds[$side-$h]=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["hosts"][sys.argv[2]]["seconds_to_new_version"], d["deploy_rc"], d["hosts"][sys.argv[2]]["failed"])' \
      "$work/$side-redeploy.json" "deploykit-zd-$h")
  done
done
unset MOLECULE_EPHEMERAL_DIRECTORY

echo
printf '%-58s %8s\n' "Hosts in step: fresh deploy" "seconds"
printf '%-58s %8.1f\n' "one host (Falcon, Gunicorn)" "$one" "three hosts, the same app" "$same" \
  "three hosts, different apps (Falcon/uWSGI, Flask, Starlette)" "$different"
printf '%-58s %8.2f\n' "different apps / same app" "$(echo "scale=4; $different / $same" | bc)"
echo
printf '%-62s %8s %8s\n' "Before ($before) and after, seconds" "before" "after"
printf '%-62s %8.1f %8.1f\n' "unchanged re-run of the Gunicorn host (changed=0)" "${rerun[before]}" "${rerun[after]}"
for h in gunicorn uwsgi; do
  read -r b brc bfail <<< "${seconds[before-$h]}"
  read -r a arc afail <<< "${seconds[after-$h]}"
  printf '%-62s %8.1f %8.1f\n' "redeploy under load, play start -> new version ($h)" "$b" "$a"
  printf '%-62s %8s %8s\n' "  deploy exit code, failed requests ($h)" "$brc, $bfail" "$arc, $afail"
done
