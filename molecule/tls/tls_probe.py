"""Ask a test host's nginx, from the controller, what a client sees over HTTP
and HTTPS, with the standard library only.

    python3 tls_probe.py '{"address": IP, "ca": CA_FILE or null,
                           "https": [[name, path], ...], "http": [[name, path], ...],
                           "unknown": name, "websocket": [name, path] or null}'

Prints one JSON object:
- https: per page, the status line, the headers it repeats or the edge adds
  (as lists), the body, and the certificate served for the name (PEM and
  serial). With a CA file the chain and the name are verified against it;
  without, nothing is verified (a self-signed certificate is read as it is);
- http: per page, the status line, its Location and its body;
- unknown: what nginx answered on port 80 (bytes; 444 sends none) and on
  the HTTPS port (the handshake's error) for a name no site has;
- websocket: the status line of the upgrade over HTTPS and the text echoed.
"""

import json
import os
import socket
import ssl
import sys

# The WebSocket client of the frameworks scenario's probe, over TLS here.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "frameworks"))
from edge_probe import websocket_echo  # noqa: E402

HEADERS = ["server", "x-content-type-options", "x-frame-options", "referrer-policy",
           "strict-transport-security", "content-security-policy", "location"]


def context(ca):
    if ca:
        return ssl.create_default_context(cafile=ca)
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    return unverified


def connect(address, port, name, ca):
    raw = socket.create_connection((address, port), timeout=10)
    if port == 80:
        return raw
    return context(ca).wrap_socket(raw, server_hostname=name)


def receive_all(conn):
    data = b""
    while True:
        try:
            chunk = conn.recv(65536)
        except (ConnectionResetError, ssl.SSLError):
            return data
        if not chunk:
            return data
        data += chunk


def parse(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return lines[0], {name: headers.get(name, []) for name in HEADERS}, body.decode(errors="replace")


def get(address, port, name, path, ca):
    with connect(address, port, name, ca) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
        certificate = conn.getpeercert(binary_form=True) if port != 80 else None
        status, headers, body = parse(receive_all(conn))
    page = {"name": name, "path": path, "status": status, "headers": headers, "body": body}
    if certificate:
        page["certificate"] = ssl.DER_cert_to_PEM_cert(certificate)
    return page


def unknown(address, name):
    with socket.create_connection((address, 80), timeout=10) as conn:
        conn.sendall(f"GET / HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
        on_http = receive_all(conn).decode("latin-1")
    try:
        with connect(address, 443, name, None) as conn:
            on_https = "handshake completed, certificate served"
    except (ssl.SSLError, ConnectionResetError) as error:
        on_https = f"handshake refused: {error}"
    return {"http": on_http, "https": on_https}


def websocket(address, name, path, ca):
    with connect(address, 443, name, ca) as conn:
        return websocket_echo(conn, name, path, "deploykit echo over TLS")


def main():
    asked = json.loads(sys.argv[1])
    address, ca = asked["address"], asked.get("ca")
    print(json.dumps({
        "https": [get(address, 443, name, path, ca) for name, path in asked.get("https", [])],
        "http": [get(address, 80, name, path, None) for name, path in asked.get("http", [])],
        "unknown": unknown(address, asked["unknown"]) if asked.get("unknown") else None,
        "websocket": websocket(address, *asked["websocket"], ca) if asked.get("websocket") else None,
    }))


if __name__ == "__main__":
    main()
