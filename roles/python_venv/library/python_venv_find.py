#!/usr/bin/python
# -*- coding: utf-8 -*-
"""Find the venv of a set of requirements, and link to it if it is complete."""

from __future__ import annotations

DOCUMENTATION = r"""
module: python_venv_find
short_description: Name the venv of a requirements file, packages and interpreter; link to it when complete
description:
  - A venv is named by a hash of what goes into it (its identity): the
    sha256 of the requirements file's content, the packages, the interpreter
    and the source directory installed into it. This module reads the
    requirements file, works out that name and tells whether a complete venv
    (one with its marker file) is there, in one call.
  - When the venv is complete and I(link) is given, the link is pointed at it.
options:
  root:
    description: Directory of the venvs.
    type: path
    required: true
  requirements:
    description: Requirements file on the host; empty for none.
    type: str
    default: ""
  identity:
    description: The rest of the identity, {packages, python, source}; other keys are ignored.
    type: dict
    required: true
  link:
    description: Link to point at the venv when it is complete; empty for none.
    type: str
    default: ""
  owner:
    description: Owner of the link.
    type: str
    default: ""
"""

RETURN = r"""
path:
  description: The venv's directory.
  type: str
identity:
  description: The identity as JSON, the content of the venv's marker file.
  type: str
complete:
  description: Whether the venv is complete (its marker file exists).
  type: bool
"""

import hashlib
import json
import os
import pwd

from ansible.module_utils.basic import AnsibleModule

MARKER = ".deploykit-venv"


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", required=True),
            requirements=dict(type="str", default=""),
            identity=dict(type="dict", required=True),
            link=dict(type="str", default=""),
            owner=dict(type="str", default=""),
        ),
        supports_check_mode=True,
    )
    p = module.params
    requirements = ""
    if p["requirements"]:
        try:
            with open(p["requirements"], "rb") as f:
                requirements = hashlib.sha256(f.read()).hexdigest()
        except OSError as e:
            module.fail_json(msg="Cannot read the requirements file %s: %s" % (p["requirements"], e.strerror))
    identity = {"requirements": requirements}
    for key in ("packages", "python", "source"):
        identity[key] = p["identity"].get(key)
    text = json.dumps(identity)
    path = os.path.join(p["root"], hashlib.sha256(text.encode()).hexdigest()[:16])
    complete = os.path.exists(os.path.join(path, MARKER))

    changed = False
    link = p["link"]
    if complete and link:
        if os.path.isdir(link) and not os.path.islink(link):
            module.fail_json(msg="%s is a directory, not a link to a venv" % link)
        if not os.path.islink(link) or os.readlink(link) != path:
            changed = True
            if not module.check_mode:
                # A new link moved into place: the old one is replaced at once.
                tmp = "%s.tmp-%d" % (link, os.getpid())
                os.symlink(path, tmp)
                if p["owner"]:
                    user = pwd.getpwnam(p["owner"])
                    os.lchown(tmp, user.pw_uid, user.pw_gid)
                os.replace(tmp, link)
    module.exit_json(changed=changed, path=path, identity=text, complete=complete)


if __name__ == "__main__":
    main()
