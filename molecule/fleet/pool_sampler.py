#!/usr/bin/env python3
"""Sample HAProxy's servers every 0.2 s until a stop file appears or --max-seconds pass.

Writes one JSON line per sample to --out: {"t": time, "out": [servers taken
out of the pool: DRAIN or MAINT], "down": [servers HAProxy's checks have
DOWN]}, read through the admin socket. Standard library only.
"""
import argparse
import csv
import fcntl
import json
import os
import socket
import sys
import time


def servers(path):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)
    client.sendall(b"show stat\n")
    data = b""
    while True:
        chunk = client.recv(65536)
        if not chunk:
            break
        data += chunk
    client.close()
    lines = data.decode().lstrip("# ").splitlines()
    return [row for row in csv.DictReader(line for line in lines if line.strip())
            if row["svname"] not in ("FRONTEND", "BACKEND")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", default="/run/haproxy/admin.sock")
    parser.add_argument("--out", required=True)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--max-seconds", type=float, default=400)
    args = parser.parse_args()
    # One sampler per file: two would mix their lines.
    claim = open(args.out + ".lock", "w")  # held (open) until the end
    try:
        fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("another sampler writes %s; not starting a second one" % args.out)
    until = time.time() + args.max_seconds
    with open(args.out, "w") as out:
        while time.time() < until and not os.path.exists(args.stop_file):
            rows = servers(args.socket)
            out.write(json.dumps({
                "t": time.time(),
                "out": sorted("%s %s" % (row["svname"], row["status"]) for row in rows
                              if row["status"].split(" ")[0] in ("DRAIN", "MAINT")),
                "down": sorted(row["svname"] for row in rows if row["status"].split(" ")[0] in ("DOWN", "NOLB")),
            }) + "\n")
            out.flush()
            time.sleep(0.2)


if __name__ == "__main__":
    main()
