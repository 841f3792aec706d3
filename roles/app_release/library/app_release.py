#!/usr/bin/python
"""Releases of an app under ROOT/releases, with an atomically switched ROOT/current."""
from __future__ import annotations

DOCUMENTATION = r"""
module: app_release
short_description: Make, switch, mark and prune the releases of an app
description:
  - An app's releases live in I(root)/releases/<UTC time>-<fingerprint>/, each the
    code in src/ and its venv in venv/; I(root)/current links to the one serving.
  - C(present) finds the release for the code in I(checkout): the one serving if its
    name ends in the fingerprint of I(code) (the code's identity, e.g. a git commit
    or a digest of its files) and I(extra), else a new one, copied from I(checkout)
    without its .git and owned by I(owner).
  - C(current) points current at release I(name), or with I(name=@rollback) at the
    newest older release that passed its health checks and is not marked failed.
    A new link is renamed over the old one, so current never goes missing.
  - C(healthy) and C(failed) mark release I(name) (.deploykit-healthy, or
    .deploykit-failed with I(reason)); C(healthy) with I(keep) also removes
    releases beyond the newest I(keep), never the one serving nor the rollback
    target, and the venvs under I(root)/venvs no release uses any more.
  - C(healthy) for the release serving also removes I(root)/src and I(root)/venv,
    the code and venv of the layout before releases, unused once a release serves.
options:
  root: {type: path, required: true, description: Top directory of the app.}
  state: {type: str, required: true, choices: [present, current, healthy, failed], description: What to do.}
  owner: {type: str, description: Account that owns releases and the current link (present, current).}
  checkout: {type: path, description: Source tree a new release is copied from (present).}
  code: {type: str, description: "The identity of the code in checkout, e.g. a git commit or a digest of its files (present); empty keeps the release serving."}
  extra: {type: str, default: "", description: What else defines a release besides the code (present).}
  name: {type: str, description: The release (current, healthy, failed); @rollback for the rollback target (current).}
  leave_current: {type: bool, default: false, description: Fail if I(name) is the release serving (current; a rollback must leave it).}
  reason: {type: str, default: "", description: Why the release failed (failed).}
  keep: {type: int, default: 0, description: Releases to keep when marking one healthy; 0 keeps all.}
"""

RETURN = r"""
name: {description: The release made, found, pointed at or marked., type: str, returned: always}
dir: {description: Its directory., type: str, returned: always}
new: {description: Whether present made (or in check mode would make) a new release., type: bool, returned: present}
previous: {description: The release current pointed at before this task ("" for none)., type: str, returned: always}
fingerprint: {description: The fingerprint of code and extra that ends the release's name., type: str, returned: present}
removed: {description: "Releases and venvs removed by pruning, and the code and venv of the layout before releases.", type: list, returned: healthy}
"""

import hashlib
import os
import pwd
import shutil
import time

from ansible.module_utils.basic import AnsibleModule

HEALTHY, FAILED = ".deploykit-healthy", ".deploykit-failed"
# The code and the venv of an app deployed before releases existed.
BEFORE_RELEASES = ("src", "venv")


class Releases:
    def __init__(self, root):
        self.root = root
        self.dir = os.path.join(root, "releases")

    def path(self, name, *parts):
        return os.path.join(self.dir, name, *parts)

    def names(self):
        if not os.path.isdir(self.dir):
            return []
        return sorted(n for n in os.listdir(self.dir) if os.path.isdir(self.path(n)) and not n.startswith("."))

    def current(self):
        target = os.readlink(os.path.join(self.root, "current")) if os.path.islink(os.path.join(self.root, "current")) else ""
        return os.path.basename(target.rstrip("/"))

    def complete(self, name):
        return os.access(self.path(name, "venv", "bin", "python"), os.X_OK)

    def rollback_target(self, current):
        good = [n for n in self.names()
                if n < current and os.path.exists(self.path(n, HEALTHY)) and not os.path.exists(self.path(n, FAILED))]
        return good[-1] if good else ""


def owner_ids(module, owner):
    try:
        entry = pwd.getpwnam(owner)
    except KeyError:
        module.fail_json(msg="app_release: the owner account '%s' does not exist." % owner)
    return entry.pw_uid, entry.pw_gid


def chown_tree(top, uid, gid):
    os.lchown(top, uid, gid)
    for here, dirs, files in os.walk(top):
        for name in dirs + files:
            os.lchown(os.path.join(here, name), uid, gid)


def present(module, rel, result):
    params = module.params
    checkout = params["checkout"]
    # In check mode on a fresh host the code was not put there.
    if not os.path.isdir(checkout) and not module.check_mode:
        module.fail_json(msg="app_release: there is no checkout at '%s' to make a release from." % checkout)
    fingerprint = hashlib.sha256((params["code"] + "|" + params["extra"]).encode()).hexdigest()[:10]
    current = rel.current()
    # Without the code's identity (a run that did not fetch the code), the
    # release serving stays the release.
    new = not current.endswith("-" + fingerprint) and not (current and not params["code"])
    name = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + fingerprint if new else current
    result.update(name=name, dir=rel.path(name), new=new, previous=current, fingerprint=fingerprint, changed=new)
    if not new or module.check_mode:
        return
    uid, gid = owner_ids(module, params["owner"])
    if not os.path.isdir(rel.dir):
        os.mkdir(rel.dir, 0o755)
        os.chown(rel.dir, uid, gid)
    os.mkdir(rel.path(name), 0o755)
    # Copies keep the checkout's modes (dirs 0755, files 0644 or 0755): others
    # can read the release, only the owner can write it.
    shutil.copytree(checkout, rel.path(name, "src"), symlinks=True,
                    ignore=lambda here, names: [".git"] if here == checkout else [])
    chown_tree(rel.path(name), uid, gid)


def switch(module, rel, result):
    params = module.params
    current = rel.current()
    name = params["name"]
    if name == "@rollback":
        name = rel.rollback_target(current)
        if not current or not name:
            module.fail_json(msg="there is no earlier release that passed its health checks and is not marked failed"
                             if current else "it has no release serving", releases=rel.names())
    if name not in rel.names() or not rel.complete(name):
        module.fail_json(msg="there is no release '%s' with a venv" % name, releases=rel.names())
    if params["leave_current"] and name == current:
        module.fail_json(msg="'%s' is the release serving" % name, releases=rel.names())
    result.update(name=name, dir=rel.path(name), previous=current, changed=name != current)
    if name == current or module.check_mode:
        return
    uid, gid = owner_ids(module, params["owner"])
    link = os.path.join(rel.root, "current")
    temporary = "%s.%d" % (link, os.getpid())
    os.symlink("releases/" + name, temporary)
    os.lchown(temporary, uid, gid)
    os.replace(temporary, link)


def write_mark(module, path, text):
    if os.path.exists(path):
        with open(path) as handle:
            if handle.read() == text:
                return False
    if not module.check_mode:
        with open(path + ".tmp", "w") as handle:
            handle.write(text)
        os.chmod(path + ".tmp", 0o644)
        os.replace(path + ".tmp", path)
    return True


def drop_mark(module, path):
    if not os.path.exists(path):
        return False
    if not module.check_mode:
        os.remove(path)
    return True


def prune(module, rel, keep):
    """Remove releases beyond the newest `keep` (never the one serving nor the
    rollback target), then the venvs no remaining release links to."""
    names = rel.names()
    current = rel.current()
    spared = {current, rel.rollback_target(current)}
    doomed = [n for n in names[:max(len(names) - keep, 0)] if n not in spared]
    used = set()
    for name in names:
        if name not in doomed and os.path.islink(rel.path(name, "venv")):
            used.add(os.path.realpath(rel.path(name, "venv")))
    venvs = os.path.join(rel.root, "venvs")
    stale = [os.path.join(venvs, v) for v in sorted(os.listdir(venvs))
             if os.path.realpath(os.path.join(venvs, v)) not in used] if os.path.isdir(venvs) else []
    removed = [rel.path(n) for n in doomed] + stale
    if not module.check_mode:
        for path in removed:
            shutil.rmtree(path)
    return removed


def remove_before_releases(module, rel, name):
    """Once release `name` serves, remove the code and venv of the layout before releases."""
    if rel.current() != name:
        return []
    doomed = [os.path.join(rel.root, d) for d in BEFORE_RELEASES if os.path.lexists(os.path.join(rel.root, d))]
    if not module.check_mode:
        for path in doomed:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    return doomed


def mark(module, rel, result):
    params = module.params
    name = params["name"]
    if name not in rel.names():
        module.fail_json(msg="there is no release '%s'" % name, releases=rel.names())
    if params["state"] == "healthy":
        changed = write_mark(module, rel.path(name, HEALTHY), "Passed its health checks.\n")
        changed = drop_mark(module, rel.path(name, FAILED)) or changed
        removed = prune(module, rel, params["keep"]) if params["keep"] > 0 else []
        removed += remove_before_releases(module, rel, name)
        result.update(removed=removed)
        changed = changed or bool(removed)
    else:
        changed = write_mark(module, rel.path(name, FAILED), params["reason"].rstrip("\n") + "\n")
        changed = drop_mark(module, rel.path(name, HEALTHY)) or changed
    result.update(name=name, dir=rel.path(name), previous=rel.current(), changed=changed)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", required=True),
            state=dict(type="str", required=True, choices=["present", "current", "healthy", "failed"]),
            owner=dict(type="str"),
            checkout=dict(type="path"),
            code=dict(type="str", default=""),
            extra=dict(type="str", default=""),
            name=dict(type="str"),
            reason=dict(type="str", default=""),
            keep=dict(type="int", default=0),
            leave_current=dict(type="bool", default=False),
        ),
        required_if=[
            ["state", "present", ["owner", "checkout"]],
            ["state", "current", ["owner", "name"]],
            ["state", "healthy", ["name"]],
            ["state", "failed", ["name"]],
        ],
        supports_check_mode=True,
    )
    rel = Releases(module.params["root"])
    result = dict(changed=False)
    {"present": present, "current": switch, "healthy": mark, "failed": mark}[module.params["state"]](module, rel, result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
