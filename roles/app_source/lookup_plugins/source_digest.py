"""Digest of the code on the controller: a directory's files (names, x bits,
contents, link targets; a top-level .git left out) or an archive file."""
from __future__ import annotations

DOCUMENTATION = r"""
name: source_digest
short_description: sha256 of a directory tree or a file on the controller
description:
  - For a directory, a sha256 over the relative name, executable bit and content
    (or link target) of every file and link in it, in a fixed order; a
    top-level .git directory is left out. For a file, the sha256 of its content.
  - The app_source role compares it with the digest it recorded on the host
    when it last unpacked the code, to know whether the code changed.
options:
  _terms: {description: Paths on the controller., required: true}
"""

import hashlib
import os

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_digest(top):
    digest = hashlib.sha256()
    for here, dirs, files in os.walk(top):
        if here == top and ".git" in dirs:
            dirs.remove(".git")
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(here, d))]):
            path = os.path.join(here, name)
            digest.update(os.path.relpath(path, top).encode("utf-8", "surrogateescape") + b"\0")
            if os.path.islink(path):
                digest.update(b"link\0" + os.readlink(path).encode("utf-8", "surrogateescape") + b"\0")
            else:
                mode = b"x" if os.stat(path).st_mode & 0o111 else b"-"
                digest.update(mode + file_digest(path).encode() + b"\0")
    return digest.hexdigest()


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        digests = []
        for term in terms:
            if os.path.isdir(term):
                digests.append(tree_digest(term))
            elif os.path.isfile(term):
                digests.append(file_digest(term))
            else:
                raise AnsibleError("source_digest: no directory or file at '%s' on the controller" % term)
        return digests
