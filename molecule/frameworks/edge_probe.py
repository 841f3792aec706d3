"""Ask nginx on this host what a client sees, with the standard library only.

    python3 edge_probe.py '{"unknown_host": "...", "pages": [[host, path], ...],
                            "websocket": [host, path] or null}'

Prints one JSON object:
- unknown_host: the bytes nginx sent back for a request with that Host (444: none);
- pages: per page, its status line and the values of each header it repeats
  or that the edge adds (Server, X-Content-Type-Options, X-Frame-Options,
  Referrer-Policy), as lists;
- websocket: the status line of the upgrade and the text echoed back.
"""

import base64
import json
import os
import socket
import sys

ADDRESS = ("127.0.0.1", 80)
HEADERS = ["server", "x-content-type-options", "x-frame-options", "referrer-policy"]


def exchange(request):
    with socket.create_connection(ADDRESS, timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk


def get(host, path):
    raw = exchange(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return {"status": head[0], "headers": {name: headers.get(name, []) for name in HEADERS}}


def websocket_echo(conn, host, path, text="deploykit echo"):
    """Open a WebSocket on conn (plain or TLS) and have one text echoed."""
    key = base64.b64encode(os.urandom(16)).decode()
    conn.sendall(
        (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    status, _, rest = data.partition(b"\r\n")
    if b" 101 " not in status:
        return {"status": status.decode("latin-1"), "echo": None}
    frame = rest.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in rest else b""
    # One masked text frame (payload under 126 bytes), as a client sends.
    payload, mask = text.encode(), os.urandom(4)
    conn.sendall(bytes([0x81, 0x80 | len(payload)]) + mask
                 + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    while len(frame) < 2 or len(frame) < 2 + (frame[1] & 0x7F):
        chunk = conn.recv(4096)
        if not chunk:
            break
        frame += chunk
    length = frame[1] & 0x7F if len(frame) >= 2 else 0
    return {"status": status.decode("latin-1"), "echo": frame[2:2 + length].decode(errors="replace")}


def websocket(host, path):
    with socket.create_connection(ADDRESS, timeout=10) as conn:
        return websocket_echo(conn, host, path)


def main():
    asked = json.loads(sys.argv[1])
    print(json.dumps({
        "unknown_host": exchange(
            f"GET / HTTP/1.1\r\nHost: {asked['unknown_host']}\r\nConnection: close\r\n\r\n".encode()
        ).decode("latin-1"),
        "pages": [get(host, path) for host, path in asked["pages"]],
        "websocket": websocket(*asked["websocket"]) if asked.get("websocket") else None,
    }))


if __name__ == "__main__":
    main()
