#!/usr/bin/env python3
"""Bounded HTTP(S) load: N clients GET (and M clients POST) a URL in a loop, one connection per request.

Each POST carries a unique X-Request-Id; the summary lists the ids answered
2xx, to compare with what the app recorded.

`loadgen.py run ...` (each client at most --rate requests a second) runs
until --stop-file appears, --max-seconds pass or --max-requests are sent,
whichever comes first, then writes a JSON summary to --out: requests sent,
failed (no HTTP answer), answers by status, 5xx, the version strings seen in
the order the answers came (the first line of each body, changes only), and every request's start
time, latency and outcome, for latency figures around a given moment.
`loadgen.py figures --in SUMMARY --since T` prints, as JSON, the figures of
a redeploy that started at time T (seconds since the epoch): requests, failed,
5xx, p50/p99 latency during the switch (requests started within 2 s of the
first answer from the new version) and over the whole run, and seconds from T
to the first answer from the new version.
The URL's name is resolved once, at start, as a client that caches DNS
does (a test network's DNS may stop answering for a moment when one of its
hosts stops); over HTTPS the certificate is still verified for the name.
Standard library only, so it runs on a bare test host.
"""
import argparse
import fcntl
import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse


def client(url, address, rate, stop, until, records, lock, budget, method="GET", host=None, name="c"):
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    tls = ssl.create_default_context() if parts.scheme == "https" else None
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    next_at = time.time()
    sent = 0
    while not stop.is_set() and time.time() < until:
        # At most `rate` requests a second; after a slow answer no burst.
        time.sleep(max(0.0, next_at - time.time()))
        next_at = max(next_at + 1.0 / rate, time.time())
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        started = time.time()
        headers = {"Connection": "close", "Host": host or parts.netloc}
        request_id = None
        if method == "POST":
            sent += 1
            request_id = "%s-%d-%d" % (name, int(started), sent)
            headers["X-Request-Id"] = request_id
        conn = http.client.HTTPConnection(address, port, timeout=30)
        try:
            if parts.scheme == "https":
                # Verified against the host's trusted CAs, for the URL's name.
                conn.sock = tls.wrap_socket(socket.create_connection((address, port), timeout=30),
                                            server_hostname=parts.hostname)
            conn.request(method, path, body=b"x" if method == "POST" else None, headers=headers)
            response = conn.getresponse()
            body = response.read().decode(errors="replace")
            outcome = {"status": response.status, "body": body.splitlines()[0] if body else ""}
        except (OSError, http.client.HTTPException) as error:
            outcome = {"error": "%s: %s" % (type(error).__name__, error)}
        finally:
            conn.close()
        with lock:
            records.append(dict(outcome, start=started, latency=time.time() - started, method=method,
                                **({"id": request_id} if request_id else {})))


def summarize(records):
    records.sort(key=lambda record: record["start"])
    statuses = {}
    for record in records:
        if "status" in record:
            statuses[str(record["status"])] = statuses.get(str(record["status"]), 0) + 1
    # The versions the clients saw, in the order the answers came: requests
    # sent within a few milliseconds of each other reach the server in any
    # order, so by the time they were sent an old answer may look later
    # than a new one although the old server had stopped taking requests.
    versions = []
    for record in sorted(records, key=lambda record: record["start"] + record["latency"]):
        if record.get("status", 500) < 500 and (not versions or versions[-1]["body"] != record["body"]):
            versions.append({"body": record["body"], "first_start": record["start"]})
    errors = [record["error"] for record in records if "error" in record]
    return {
        "sent": len(records),
        "failed": len(errors),
        "errors": sorted(set(errors))[:20],
        "statuses": statuses,
        "5xx": sum(count for status, count in statuses.items() if status.startswith("5")),
        "by_method": {
            method: {"sent": len([r for r in records if r.get("method") == method]),
                     "failed": len([r for r in records if r.get("method") == method and "error" in r]),
                     "5xx": len([r for r in records if r.get("method") == method and r.get("status", 0) >= 500])}
            for method in sorted({r.get("method", "GET") for r in records})},
        "p50_s": percentile([r["latency"] for r in records], 0.50),
        "p99_s": percentile([r["latency"] for r in records], 0.99),
        "post_ids_2xx": [r["id"] for r in records if "id" in r and 200 <= r.get("status", 0) < 300],
        "versions": versions,
        "first_start": records[0]["start"] if records else None,
        "last_start": records[-1]["start"] if records else None,
        "records": records,
    }


def percentile(values, fraction):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(fraction * len(values)))], 4)


def figures(summary, since, window=2.0):
    records = summary["records"]
    versions = summary["versions"]
    switch = versions[-1]["first_start"] if len(versions) > 1 else None
    during = [r["latency"] for r in records if switch is not None and abs(r["start"] - switch) <= window]
    overall = [r["latency"] for r in records]
    return {
        "requests": summary["sent"],
        "by_method": summary.get("by_method", {}),
        "failed": summary["failed"],
        "5xx": summary["5xx"],
        "versions": [v["body"] for v in versions],
        "switch_window_requests": len(during),
        "p50_switch_s": percentile(during, 0.50),
        "p99_switch_s": percentile(during, 0.99),
        "max_switch_s": round(max(during), 4) if during else None,
        "p50_all_s": percentile(overall, 0.50),
        "p99_all_s": percentile(overall, 0.99),
        "seconds_to_new_version": round(switch - since, 1) if switch is not None else None,
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "figures":
        parser = argparse.ArgumentParser(description="Figures of a redeploy under load")
        parser.add_argument("--in", dest="summary", required=True)
        parser.add_argument("--since", type=float, required=True)
        args = parser.parse_args(sys.argv[2:])
        with open(args.summary) as summary:
            print(json.dumps(figures(json.load(summary), args.since)))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        del sys.argv[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1/")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--post-clients", type=int, default=0, help="clients that POST, each with a unique X-Request-Id")
    parser.add_argument("--host", default=None, help="Host header (default: from the URL)")
    parser.add_argument("--rate", type=float, default=20, help="requests a second per client, at most")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--max-requests", type=int, default=100000)
    parser.add_argument("--stop-file", default="")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    # One load generator per summary file: a second one started by mistake
    # would double the load and write over the first one's summary.
    claim = open(args.out + ".lock", "w")  # held (open) until the end
    try:
        fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("another load generator writes %s; not starting a second one" % args.out)

    stop = threading.Event()
    records, lock, budget = [], threading.Lock(), [args.max_requests]
    until = time.time() + args.max_seconds
    parts = urllib.parse.urlsplit(args.url)
    address = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)[0][4][0]
    threads = [
        threading.Thread(target=client, args=(args.url, address, args.rate, stop, until, records, lock, budget, method, args.host,
                                              "c%d" % number), daemon=True)
        for number, method in enumerate(["GET"] * args.clients + ["POST"] * args.post_clients)
    ]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        if args.stop_file and os.path.exists(args.stop_file):
            stop.set()
        time.sleep(0.2)
    temporary = "%s.%d.tmp" % (args.out, os.getpid())
    with open(temporary, "w") as out:
        json.dump(summarize(records), out)
    os.replace(temporary, args.out)


if __name__ == "__main__":
    main()
