"""Ask an app server, then nginx, for a page until each answers as expected.

Run by the health_check role as `python3 - SPEC` with this program on stdin
(nothing is installed on the host). SPEC is JSON: {path, status, body,
timeout, retries, delay, targets: [{name, address, protocol, host}]}. Each
target in turn (an address is a unix socket path or HOST:PORT; protocol http,
https (TLS with the host as SNI; the certificate is not what is checked), or
uwsgi as nginx's uwsgi_pass speaks it) is asked until an answer has the
expected status and, if given, a body containing the expected text. Prints
one JSON line per target; exits 1 at the first target that never answered
as expected, naming it and the last problem.
"""
import http.client
import json
import socket
import ssl
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
    """HTTP over a unix socket or TCP, or HTTPS (TLS with server_name as SNI)."""

    def __init__(self, address, timeout, server_name=None):
        super().__init__("localhost", timeout=timeout)
        self.address = address
        self.server_name = server_name

    def connect(self):
        self.sock = connect(self.address, self.timeout)
        if self.server_name:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            self.sock = context.wrap_socket(self.sock, server_hostname=self.server_name)


def get_http(address, host, path, timeout, tls=False):
    conn = Connection(address, timeout, host if tls else None)
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


def attempt(spec, target):
    protocol, host = target.get("protocol"), target.get("host") or "localhost"
    if protocol == "uwsgi":
        status, body = get_uwsgi(target["address"], host, spec["path"], spec["timeout"])
    else:
        status, body = get_http(target["address"], host, spec["path"], spec["timeout"], tls=protocol == "https")
    text = body[:200].decode(errors="replace")
    if status != spec["status"]:
        return "answered status %d, expected %d (body: %r)" % (status, spec["status"], text)
    if spec.get("body") and spec["body"] not in body.decode(errors="replace"):
        return "answered %d without %r in the body (body: %r)" % (status, spec["body"], text)
    return None


def check(spec, target):
    problem = None
    for number in range(spec["retries"] + 1):
        if number:
            time.sleep(spec["delay"])
        started = time.monotonic()
        try:
            problem = attempt(spec, target)
        except (OSError, ValueError, http.client.HTTPException) as error:
            problem = "%s: %s" % (type(error).__name__, error)
        if problem is None:
            return "GET %s answered %d in %.3f s (attempt %d)" % (spec["path"], spec["status"], time.monotonic() - started, number + 1), True
    return "GET %s %s after %d attempts" % (spec["path"], problem, spec["retries"] + 1), False


def main():
    spec = json.loads(sys.argv[1])
    for target in spec["targets"]:
        message, ok = check(spec, target)
        print(json.dumps({"target": target["name"], "ok": ok, "message": message}))
        if not ok:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
