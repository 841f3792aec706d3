#!/usr/bin/python3
"""Ask an app server or nginx for a page until it answers as expected.

Speaks HTTP, or the uwsgi protocol (what nginx's uwsgi_pass speaks to uWSGI),
over a unix socket (an address starting with /) or TCP (HOST:PORT). Exits 0
and prints what it saw once an attempt gets the expected status and, if given,
a body containing the expected text; exits 1 with the last attempt's problem
after the last retry.
"""
import argparse
import http.client
import socket
import sys
import time


def connect(address, timeout):
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, port = address.rsplit(":", 1)
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


class Connection(http.client.HTTPConnection):
    """HTTP over a unix socket or TCP."""

    def __init__(self, address, timeout):
        super().__init__("localhost", timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = connect(self.address, self.timeout)


def get_http(address, host, path, timeout):
    conn = Connection(address, timeout)
    try:
        conn.request("GET", path, headers={"Host": host, "User-Agent": "deploykit-health-probe"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def uwsgi_packet(host, path):
    path_info, _, query = path.partition("?")
    variables = {
        "REQUEST_METHOD": "GET",
        "REQUEST_URI": path,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_USER_AGENT": "deploykit-health-probe",
        "UWSGI_SCHEME": "http",
    }
    body = b""
    for key, value in variables.items():
        for part in (key.encode(), value.encode()):
            body += len(part).to_bytes(2, "little") + part
    return b"\x00" + len(body).to_bytes(2, "little") + b"\x00" + body


def get_uwsgi(address, host, path, timeout):
    sock = connect(address, timeout)
    try:
        sock.sendall(uwsgi_packet(host, path))
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        sock.close()
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ValueError("no HTTP status line in the answer: %r" % head[:80])
    return int(status_line[1]), body


def attempt(args):
    get = get_uwsgi if args.protocol == "uwsgi" else get_http
    status, body = get(args.address, args.host, args.path, args.timeout)
    if status != args.status:
        return "answered status %d, expected %d (body: %r)" % (status, args.status, body[:200].decode(errors="replace"))
    if args.body and args.body not in body.decode(errors="replace"):
        return "answered %d without %r in the body (body: %r)" % (status, args.body, body[:200].decode(errors="replace"))
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", required=True, help="unix socket path or HOST:PORT")
    parser.add_argument("--protocol", choices=["http", "uwsgi"], default="http")
    parser.add_argument("--host", default="localhost", help="Host header")
    parser.add_argument("--path", default="/")
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--body", default="", help="text the body must contain")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per attempt")
    parser.add_argument("--retries", type=int, default=10, help="attempts after the first")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between attempts")
    args = parser.parse_args()

    problem = None
    for number in range(args.retries + 1):
        if number:
            time.sleep(args.delay)
        started = time.monotonic()
        try:
            problem = attempt(args)
        except (OSError, ValueError, http.client.HTTPException) as error:
            problem = "%s: %s" % (type(error).__name__, error)
        if problem is None:
            print("GET %s answered %d in %.3f s (attempt %d)" % (args.path, args.status, time.monotonic() - started, number + 1))
            return 0
    print("GET %s %s after %d attempts" % (args.path, problem, args.retries + 1))
    return 1


if __name__ == "__main__":
    sys.exit(main())
