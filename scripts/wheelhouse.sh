#!/usr/bin/env bash
# Download once, on the controller, the Python packages the test apps need:
# .cache/wheels, which the test hosts mount read-only and where pip looks
# first (/etc/pip.conf find-links, written by molecule/default/prepare.yml).
# The hosts of every scenario share that one download instead of each
# fetching its own from the index; pip still asks the index for anything
# missing here. Wheels for Python 3.11 (Debian 12) and, for the debian13
# scenario's apps, 3.13 (Debian 13). Does nothing when its inputs did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/wheels
pip=.venv/bin/pip
samples=examples/apps

# The server packages (the schema's defaults), and what the test inventories add.
servers=$(.venv/bin/python - <<'PY'
import yaml
schema = yaml.safe_load(open("playbooks/vars/app_schema.yml"))
print(" ".join(schema["app_schema"]["server_packages"]["default"].values()))
PY
)
extra="gevent==24.11.1 setuptools wheel"
stamp=$(cat "$0" $samples/*/requirements.txt playbooks/vars/app_schema.yml | sha256sum | cut -c1-16)
[ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] && { echo "wheels in $out are up to date"; exit 0; }

rm -rf "$out" && mkdir -p "$out"
download() { "$pip" download --quiet --disable-pip-version-check --dest "$out" "$@"; }
echo "downloading the test apps' packages into $out"
# One app at a time: their pins differ.
for file in $samples/*/requirements.txt; do
  # shellcheck disable=SC2086
  download -r "$file" $servers $extra
done
# Debian 13: the apps of the debian13 scenario, as wheels for Python 3.13.
arch=$(uname -m)
for file in $samples/falcon_hello/requirements.txt $samples/flask_hello/requirements.txt; do
  # shellcheck disable=SC2086
  download --only-binary=:all: --python-version 3.13 --implementation cp --abi cp313 --abi abi3 --abi none \
    --platform "manylinux_2_17_$arch" --platform "manylinux_2_28_$arch" --platform "manylinux2014_$arch" --platform any \
    -r "$file" $servers setuptools wheel
done
echo "$stamp" > "$out/.stamp"
echo "$(find "$out" -name '*.whl' -o -name '*.tar.gz' | wc -l) packages in $out"
