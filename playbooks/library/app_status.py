#!/usr/bin/python
"""What runs where: the releases, units and deploy log of the apps of a host, read in one call."""
from __future__ import annotations

DOCUMENTATION = r"""
module: app_status
short_description: Read, without changing anything, the releases, units and last deploys of a host's apps
description:
  - For each app, from its top directory (I(root)/releases, I(root)/current): the release serving and
    since when (the moment current was pointed at it), the release a rollback would return to (the newest
    older one that passed its health checks and is not marked failed), the releases marked failed with
    their reasons, and whether a deploy left changes not yet applied (the marker in I(config_dir)).
  - The state of its units (systemd's LoadState, ActiveState, SubState, MainPID and since when), in one systemctl
    call for all apps.
  - Its last I(log_lines) lines of the deploy log I(log) and of the log rotated before it, I(log).1 (one JSON object
    per line, each with an C(app)).
options:
  apps:
    type: list
    elements: dict
    required: true
    description: The apps, each {name, root, config_dir, units}.
  log: {type: path, default: /var/log/deploykit/deploy.log, description: The deploy log deploy.yml and rollback.yml append to.}
  log_lines: {type: int, default: 5, description: Lines of the deploy log shown per app.}
"""

RETURN = r"""
apps:
  description: >-
    Per app name: {release, since, rollback_target, failed: [{release, reason}], pending, units: {UNIT: {active,
    loaded, active, sub, pid, since}}, log: [entries]}; release is "" when current points nowhere.
  type: dict
  returned: always
"""

import datetime
import json
import os
import subprocess

from ansible.module_utils.basic import AnsibleModule

HEALTHY, FAILED = ".deploykit-healthy", ".deploykit-failed"


def stamp(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return None


def releases_of(root, config_dir):
    releases = os.path.join(root, "releases")
    names = sorted(n for n in os.listdir(releases) if not n.startswith(".")
                   and os.path.isdir(os.path.join(releases, n))) if os.path.isdir(releases) else []
    current_link = os.path.join(root, "current")
    current = os.path.basename(os.readlink(current_link).rstrip("/")) if os.path.islink(current_link) else ""
    healthy = [n for n in names if os.path.exists(os.path.join(releases, n, HEALTHY))]
    failed = [n for n in names if os.path.exists(os.path.join(releases, n, FAILED))]
    good = [n for n in healthy if n < current and n not in failed]
    marker = read_text(os.path.join(config_dir, "deploy-pending"))
    return dict(
        release=current,
        since=stamp(os.lstat(current_link).st_mtime) if current else "",
        healthy=current in healthy,
        rollback_target=good[-1] if good else "",
        failed=[dict(release=n, reason=read_text(os.path.join(releases, n, FAILED)) or "") for n in failed],
        pending=(marker.split()[0].rstrip(":") if marker else "reload") if marker is not None else "",
    )


def unit_states(units):
    if not units:
        return {}
    out = subprocess.run(["systemctl", "show", "--property=LoadState,ActiveState,SubState,MainPID,ActiveEnterTimestamp", "--"] + units,
                         capture_output=True, text=True, check=False).stdout
    states = {}
    for unit, block in zip(units, out.strip().split("\n\n")):
        fields = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        states[unit] = dict(loaded=fields.get("LoadState", "") == "loaded", active=fields.get("ActiveState", ""),
                            sub=fields.get("SubState", ""), pid=int(fields.get("MainPID", "0") or 0),
                            since=fields.get("ActiveEnterTimestamp", ""))
    return states


def log_of(path, names, lines):
    """The last `lines` entries of each app in the deploy log and the one rotated before it (PATH.1)."""
    entries = {name: [] for name in names}
    for name in (path + ".1", path):
        try:
            with open(name, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(entry, dict) and entry.get("app") in entries:
                        entries[entry["app"]] = (entries[entry["app"]] + [entry])[-lines:]
        except FileNotFoundError:
            pass
    return entries


def main():
    module = AnsibleModule(
        argument_spec=dict(
            apps=dict(type="list", elements="dict", required=True),
            log=dict(type="path", default="/var/log/deploykit/deploy.log"),
            log_lines=dict(type="int", default=5),
        ),
        supports_check_mode=True,
    )
    apps = module.params["apps"]
    states = unit_states(sorted({u for app in apps for u in app.get("units", [])}))
    logs = log_of(module.params["log"], [app["name"] for app in apps], module.params["log_lines"])
    result = {}
    for app in apps:
        status = releases_of(app["root"], app["config_dir"])
        status.update(units={u: states.get(u, {}) for u in app.get("units", [])}, log=logs[app["name"]])
        result[app["name"]] = status
    module.exit_json(changed=False, apps=result)


if __name__ == "__main__":
    main()
