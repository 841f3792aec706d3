#!/usr/bin/python
"""Take an app server out of HAProxy's pools and put it back, through the admin socket."""
from __future__ import annotations

DOCUMENTATION = r"""
module: lb_server
short_description: Drain an app server out of HAProxy's backends, or put it back, without a reload
description:
  - Acts on every backend of the balancer that has a server named I(server), through HAProxy's admin
    socket (runtime state, no reload, clients untouched).
  - I(state=maint) first checks capacity (where the server is UP, its backend keeps at least I(min_up)
    other servers UP, not counting those in I(exclude)), and fails before any change if not. It then sets the server to
    DRAIN (no new requests), waits until its sessions and queue are empty, and sets it to MAINT (no
    traffic, no health checks). If the sessions do not end within I(timeout), the server is set back to
    ready and the module fails.
  - I(state=ready) sets the server to ready and waits until HAProxy's own health check sees it UP; if it
    is not UP within I(timeout), the server is set back to MAINT and the module fails.
  - I(state=query) changes nothing and returns the servers an operator or a failed run left in DRAIN or
    MAINT.
options:
  socket: {type: path, default: /run/haproxy/admin.sock, description: HAProxy's admin socket (level admin).}
  server: {type: str, description: Server name in the backends (the app host's inventory name); not for query.}
  state: {type: str, required: true, choices: [maint, ready, query], description: What to do.}
  min_up: {type: int, default: 0, description: "maint: other servers that must stay UP in each backend."}
  exclude:
    type: list
    elements: str
    default: []
    description: "maint: servers not counted as up (those taken out at the same moment)."
  timeout: {type: int, default: 60, description: Seconds to wait for the sessions to end (maint) or for UP (ready).}
supports_check_mode: true
"""

RETURN = r"""
backends: {description: "Per backend of the server: its status before and after.", type: dict, returned: maint and ready}
out_of_pool:
  description: "query: every server not ready, as {backend, server, admin} (admin: drain or maint)."
  type: list
  returned: query
"""

import csv
import os
import socket
import time

from ansible.module_utils.basic import AnsibleModule

# srv_admin_state bits of `show servers state` (HAProxy's SRV_ADMF_*). Not
# 0x04 (CMAINT, "disabled" in the configuration): it stays set once such a
# server is set ready, and marks only where its state came from.
ADMIN_MAINT = 0x01 | 0x02 | 0x20  # forced, inherited, resolution failure
ADMIN_DRAIN = 0x08 | 0x10  # forced, inherited
POLL = 0.2


class Balancer:
    def __init__(self, path):
        self.path = path

    def run(self, command):
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(10)
        try:
            client.connect(self.path)
            client.sendall(command.encode() + b"\n")
            chunks = []
            while True:
                chunk = client.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            client.close()
        return b"".join(chunks).decode(errors="replace")

    def set_state(self, backend, server, state):
        answer = self.run("set server %s/%s state %s" % (backend, server, state)).strip()
        if answer:
            raise RuntimeError("HAProxy refused to set %s/%s to %s: %s" % (backend, server, state, answer))

    def stats(self):
        """Every server row of `show stat`: {backend: {server: row}}."""
        lines = self.run("show stat").lstrip("# ").splitlines()
        rows = {}
        for row in csv.DictReader(line for line in lines if line.strip()):
            if row["svname"] not in ("FRONTEND", "BACKEND"):
                rows.setdefault(row["pxname"], {})[row["svname"]] = row
        return rows

    def admin_states(self):
        """{(backend, server): 'maint' | 'drain' | 'ready'} from `show servers state`."""
        states = {}
        for line in self.run("show servers state").splitlines():
            fields = line.split()
            if len(fields) < 7 or line.startswith("#") or not fields[0].isdigit():
                continue
            admin = int(fields[6])
            states[(fields[1], fields[3])] = "maint" if admin & ADMIN_MAINT else "drain" if admin & ADMIN_DRAIN else "ready"
        return states


def is_up(row):
    # "UP", "UP 1/2" (up, one check failed), not "DRAIN", "MAINT", "DOWN", "NOLB".
    return row["status"].split(" ")[0] == "UP"


def main():
    module = AnsibleModule(
        argument_spec=dict(
            socket=dict(type="path", default="/run/haproxy/admin.sock"),
            server=dict(type="str"),
            state=dict(type="str", required=True, choices=["maint", "ready", "query"]),
            min_up=dict(type="int", default=0),
            exclude=dict(type="list", elements="str", default=[]),
            timeout=dict(type="int", default=60),
        ),
        required_if=[("state", "maint", ["server"]), ("state", "ready", ["server"])],
        supports_check_mode=True,
    )
    params = module.params
    balancer = Balancer(params["socket"])
    if not os.path.exists(params["socket"]):
        # A balancer set up by this very run, in check mode.
        if module.check_mode or params["state"] == "query":
            module.exit_json(changed=params["state"] != "query", out_of_pool=[], backends={},
                             msg="HAProxy is not running here yet.")
        module.fail_json(msg="There is no HAProxy admin socket %s: is HAProxy running on this balancer?" % params["socket"])
    try:
        if params["state"] == "query":
            out = [{"backend": backend, "server": server, "admin": admin}
                   for (backend, server), admin in sorted(balancer.admin_states().items()) if admin != "ready"]
            module.exit_json(changed=False, out_of_pool=out)
        server = params["server"]
        stats = balancer.stats()
        backends = sorted(backend for backend, servers in stats.items() if server in servers)
        if not backends:
            module.fail_json(msg="No backend of the balancer at %s has a server %s." % (params["socket"], server))
        admin = balancer.admin_states()
        before = {backend: stats[backend][server]["status"] for backend in backends}
        wanted = "maint" if params["state"] == "maint" else "ready"
        todo = [backend for backend in backends if admin.get((backend, server)) != wanted]
        result = dict(changed=False, backends={b: {"before": before[b]} for b in backends})
        if params["state"] == "maint":
            for backend in todo:
                others = [name for name, row in stats[backend].items()
                          if name != server and name not in params["exclude"] and is_up(row)]
                # A server that does not serve takes no capacity away.
                if is_up(stats[backend][server]) and len(others) < params["min_up"]:
                    module.fail_json(
                        msg="Not taking %s out of backend %s: %d other server(s) would be UP there (%s), and at least %d must stay."
                        % (server, backend, len(others), ", ".join(others) or "none", params["min_up"]), **result)
            result["changed"] = bool(todo)
            if todo and not module.check_mode:
                drain(module, balancer, server, todo, result)
        else:
            result["changed"] = bool(todo)
        if todo and wanted == "ready" and not module.check_mode:
            ready(module, balancer, server, todo, result)
        stats = balancer.stats()
        for backend in backends:
            result["backends"][backend]["after"] = stats[backend][server]["status"]
        module.exit_json(**result)
    except (OSError, RuntimeError) as error:
        module.fail_json(msg="HAProxy's admin socket %s: %s" % (params["socket"], error))


def drain(module, balancer, server, backends, result):
    """DRAIN, wait until no session nor queued request is left, then MAINT."""
    for backend in backends:
        balancer.set_state(backend, server, "drain")
    busy = wait(balancer, module.params["timeout"], lambda stats: {
        b: stats[b][server]["scur"] + " sessions, " + stats[b][server]["qcur"] + " queued" for b in backends
        if stats[b][server]["scur"] not in ("", "0") or stats[b][server]["qcur"] not in ("", "0")})
    if busy:
        for backend in backends:
            balancer.set_state(backend, server, "ready")
        module.fail_json(msg="%s still had requests after %d s of draining (%s); it was put back as it was."
                         % (server, module.params["timeout"], "; ".join("%s: %s" % item for item in busy.items())),
                         **result)
    for backend in backends:
        balancer.set_state(backend, server, "maint")


def ready(module, balancer, server, backends, result):
    """Ready, then wait until HAProxy's health check sees the server UP (fully, not 'UP 1/2')."""
    for backend in backends:
        balancer.set_state(backend, server, "ready")
    down = wait(balancer, module.params["timeout"], lambda stats: {
        b: "%s (last check: %s %s)" % (stats[b][server]["status"], stats[b][server]["check_status"], stats[b][server]["last_chk"])
        for b in backends if stats[b][server]["status"] != "UP"})
    if down:
        for backend in backends:
            balancer.set_state(backend, server, "maint")
        module.fail_json(msg="%s did not come UP within %d s (%s); it stays out of the pool."
                         % (server, module.params["timeout"], "; ".join("%s: %s" % item for item in down.items())),
                         **result)


def wait(balancer, timeout, pending):
    """Read HAProxy's stats every POLL s until pending(stats) is empty; return what is still pending after timeout s."""
    deadline = time.time() + timeout
    while True:
        left = pending(balancer.stats())
        if not left or time.time() > deadline:
            return left
        time.sleep(POLL)


if __name__ == "__main__":
    main()
