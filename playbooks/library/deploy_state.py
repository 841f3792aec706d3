#!/usr/bin/python
"""What deploykit last applied to a host, and whether the host still matches it."""
from __future__ import annotations

DOCUMENTATION = r"""
module: deploy_state
short_description: Read and record what deploykit applied to each app and site of a host
description:
  - After an app or an nginx site is deployed and healthy, the playbook records
    (I(record)) a fingerprint of everything the deploy was made from and the
    signatures (content, mode, owner) of the files it wrote.
  - Reading (I(subjects)) returns, per app and site, the recorded fingerprint,
    the pending marker's first word, and what no longer matches the record on
    the host (drift): a changed or missing file, a link pointing elsewhere, a unit
    that is not active and enabled, a missing account, a path that must (not)
    exist. The playbook skips an app or site whose fingerprint is unchanged and
    which shows no drift. Reading changes nothing.
options:
  dir: {type: path, default: /var/lib/deploykit, description: Where the records are kept (root only).}
  subjects:
    type: list
    elements: dict
    description:
      - What to read, each {kind, name, files, links, units, accounts, present, absent, marker, read, exist,
        known, certificates}.
      - C(read) lists small files whose content is returned (null for a missing file); C(exist) lists paths
        reported as there or not; C(known) lists accounts reported as there or not.
      - C(certificates) lists PEM certificate files that must be valid for more than I(certificate_days)
        days (drift otherwise).
  record:
    type: dict
    description: What to record, {kind, name, fingerprint, files, links, marker}; the marker of pending changes is removed.
  forget:
    type: dict
    description: The record to remove, {kind, name} (an app or site that was removed from the host).
  log:
    type: dict
    description:
      - A line to append to the deploy log, {path, entry, max_bytes, keep}; C(entry) is written as one line of
        JSON. The log and its directory are created if missing (the log readable by root and group adm only).
      - When the line would take the log past C(max_bytes) (0 or missing, never), the log is rotated first, as
        logrotate does it: PATH.1 becomes PATH.2 and so on up to PATH.C(keep) (default 1; the oldest beyond is
        dropped), PATH becomes PATH.1, and the line starts a new PATH.
      - Alone, or with I(record) (one call at the end of a deploy).
  packages:
    type: list
    elements: str
    default: []
    description: Debian packages to report as installed or not.
  units:
    type: list
    elements: str
    default: []
    description: Units to report the state of (e.g. dbus.socket, which the release hooks need).
  certificate_days: {type: int, default: 30, description: Days a subject's certificates must stay valid.}
"""

RETURN = r"""
state:
  description: >-
    Per KIND/NAME: {applied, pending, drift, contents, exists, known, units}; units gives each of the subject's
    units as {active, enabled}, systemd's ActiveState and UnitFileState.
  type: dict
  returned: when subjects are given
packages: {description: Those of the packages asked about that are installed., type: list, returned: when subjects are given}
units: {description: "Per unit asked about in I(units): {active, enabled}, systemd's ActiveState and UnitFileState.", type: dict, returned: when subjects are given}
"""

import base64
import datetime
import grp
import hashlib
import json
import os
import pwd
import subprocess

from ansible.module_utils.basic import AnsibleModule


def file_signature(path):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "absent"
    with open(path, "rb") as handle:
        content = hashlib.sha256(handle.read()).hexdigest()
    return "%s %o %d:%d" % (content, info.st_mode & 0o7777, info.st_uid, info.st_gid)


def link_target(path):
    return os.readlink(path) if os.path.islink(path) else "absent"


def record_path(directory, kind, name):
    return os.path.join(directory, kind + "s", name + ".json")


def read_record(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (FileNotFoundError, ValueError):
        return {}


def unit_states(units):
    """ActiveState and UnitFileState of each unit, in one systemctl call."""
    if not units:
        return {}
    out = subprocess.run(["systemctl", "show", "--property=Id,ActiveState,UnitFileState", "--"] + units,
                         capture_output=True, text=True, check=False).stdout
    states = {}
    for unit, block in zip(units, out.strip().split("\n\n")):
        fields = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        states[unit] = (fields.get("ActiveState", ""), fields.get("UnitFileState", ""))
    return states


def der_item(der, pos):
    """(tag, start, end) of the DER item at pos."""
    tag, length, pos = der[pos], der[pos + 1], pos + 2
    if length & 0x80:
        count = length & 0x7F
        length, pos = int.from_bytes(der[pos:pos + count], "big"), pos + count
    return tag, pos, pos + length


def not_after(path):
    """When the first certificate of a PEM file expires (UTC), or None if there is none to read."""
    try:
        with open(path) as handle:
            pem = handle.read().split("-----BEGIN CERTIFICATE-----", 1)[1].split("-----END CERTIFICATE-----", 1)[0]
        der = base64.b64decode("".join(pem.split()))
        _, pos, _ = der_item(der, 0)  # Certificate
        _, pos, _ = der_item(der, pos)  # tbsCertificate
        tag, _, end = der_item(der, pos)
        pos = end if tag == 0xA0 else pos  # version
        for _ in range(3):  # serialNumber, signature, issuer
            pos = der_item(der, pos)[2]
        _, pos, _ = der_item(der, pos)  # validity
        tag, start, end = der_item(der, der_item(der, pos)[2])  # notAfter
        text = der[start:end].decode("ascii")
        stamp = datetime.datetime.strptime(text, "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ")
        return stamp.replace(tzinfo=datetime.timezone.utc)
    except (OSError, IndexError, ValueError):
        return None


def drift_of(subject, record, states, days):
    drift = []
    if not record:
        drift.append("nothing recorded")
    for path, signature in record.get("files", {}).items():
        if file_signature(path) != signature:
            drift.append("%s changed" % path)
    for path, target in record.get("links", {}).items():
        if link_target(path) != target:
            drift.append("%s points elsewhere" % path)
    for path in subject.get("files", []) + subject.get("links", []):
        if record and path not in record.get("files", {}) and path not in record.get("links", {}):
            drift.append("%s is not recorded" % path)
    for unit in subject.get("units", []):
        active, enabled = states.get(unit, ("", ""))
        if active != "active" or enabled != "enabled":
            drift.append("%s is %s and %s" % (unit, active or "unknown", enabled or "not installed"))
    drift += ["account %s is missing" % a for a in subject.get("accounts", []) if not account_exists(a)]
    drift += ["%s is missing" % p for p in subject.get("present", []) if not os.path.exists(p)]
    drift += ["%s exists" % p for p in subject.get("absent", []) if os.path.lexists(p)]
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    for path in subject.get("certificates", []):
        expires = not_after(path)
        if expires is None or expires < soon:
            drift.append("%s expires within %d days" % (path, days) if expires else "%s has no certificate" % path)
    return drift


def account_exists(account):
    try:
        pwd.getpwnam(account)
        return True
    except KeyError:
        return False


def pending_of(marker):
    if not marker or not os.path.exists(marker):
        return ""
    with open(marker) as handle:
        words = handle.read().split()
    return words[0].rstrip(":") if words else "reload"


def installed(packages):
    if not packages:
        return []
    out = subprocess.run(["dpkg-query", "--show", "--showformat=${Package} ${Status}\\n", "--"] + packages,
                         capture_output=True, text=True, check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.endswith(" installed") and " ok " in line]


def read_small(path, limit=65536):
    """The text of a small file the caller would otherwise read in a call of its own; None if missing."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(limit)
    except (FileNotFoundError, NotADirectoryError):
        return None


def unit_state(states, unit):
    active, enabled = states.get(unit, ("", ""))
    return dict(active=active, enabled=enabled)


def read(module, states):
    subjects = module.params["subjects"] or []
    result = {}
    for subject in subjects:
        record = read_record(record_path(module.params["dir"], subject["kind"], subject["name"]))
        result[subject["kind"] + "/" + subject["name"]] = dict(
            applied=record.get("fingerprint", ""),
            pending=pending_of(subject.get("marker")),
            drift=drift_of(subject, record, states, module.params["certificate_days"]),
            contents={path: read_small(path) for path in subject.get("read", [])},
            exists={path: os.path.lexists(path) for path in subject.get("exist", [])},
            known={account: account_exists(account) for account in subject.get("known", [])},
            units={unit: unit_state(states, unit) for unit in subject.get("units", [])},
        )
    return result


def write(module):
    wanted = module.params["record"]
    content = json.dumps(dict(
        fingerprint=wanted["fingerprint"],
        files={p: file_signature(p) for p in wanted.get("files", [])},
        links={p: link_target(p) for p in wanted.get("links", [])},
    ), indent=1, sort_keys=True) + "\n"
    path = record_path(module.params["dir"], wanted["kind"], wanted["name"])
    marker = wanted.get("marker")
    changed = bool(marker) and os.path.exists(marker)
    if changed and not module.check_mode:
        os.remove(marker)
    try:
        with open(path) as handle:
            if handle.read() == content:
                return changed
    except FileNotFoundError:
        pass
    if not module.check_mode:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        os.chmod(module.params["dir"], 0o700)
        with open(path + ".tmp", "w") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(content)
        os.replace(path + ".tmp", path)
    return True


def rotate_log(path, keep):
    """PATH.1 .. PATH.(keep-1) move up one (PATH.keep is replaced), PATH becomes PATH.1."""
    for number in range(keep - 1, 0, -1):
        if os.path.exists("%s.%d" % (path, number)):
            os.replace("%s.%d" % (path, number), "%s.%d" % (path, number + 1))
    os.replace(path, path + ".1")


def append_log(module):
    wanted = module.params["log"]
    path = wanted["path"]
    line = json.dumps(wanted["entry"]) + "\n"
    max_bytes = int(wanted.get("max_bytes") or 0)
    if not module.check_mode:
        os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
        size = os.path.getsize(path) if os.path.exists(path) else 0
        if max_bytes and size and size + len(line.encode()) > max_bytes:
            rotate_log(path, max(int(wanted.get("keep") or 1), 1))
        new = not os.path.exists(path)
        with open(path, "a") as handle:
            if new:
                os.fchown(handle.fileno(), 0, grp.getgrnam("adm").gr_gid)
                os.fchmod(handle.fileno(), 0o640)
            handle.write(line)
    return True


def forget(module):
    wanted = module.params["forget"]
    path = record_path(module.params["dir"], wanted["kind"], wanted["name"])
    if not os.path.exists(path):
        return False
    if not module.check_mode:
        os.remove(path)
    return True


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dir=dict(type="path", default="/var/lib/deploykit"),
            subjects=dict(type="list", elements="dict"),
            record=dict(type="dict"),
            forget=dict(type="dict"),
            log=dict(type="dict"),
            packages=dict(type="list", elements="str", default=[]),
            units=dict(type="list", elements="str", default=[]),
            certificate_days=dict(type="int", default=30),
        ),
        mutually_exclusive=[["subjects", "record", "forget"], ["subjects", "log"], ["forget", "log"]],
        supports_check_mode=True,
    )
    if module.params["record"] or module.params["log"]:
        logged = append_log(module) if module.params["log"] else False
        recorded = write(module) if module.params["record"] else False
        module.exit_json(changed=logged or recorded)
    if module.params["forget"]:
        module.exit_json(changed=forget(module))
    # One systemctl call for the subjects' units and those asked about.
    asked = module.params["units"]
    states = unit_states(sorted({u for s in module.params["subjects"] or [] for u in s.get("units", [])} | set(asked)))
    module.exit_json(changed=False, state=read(module, states), packages=installed(module.params["packages"]),
                     units={unit: unit_state(states, unit) for unit in asked})


if __name__ == "__main__":
    main()
