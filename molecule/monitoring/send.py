#!/usr/bin/env python3
"""Send COUNT requests for PATH to nginx on this host (Host: NAME), CONCURRENCY at a time.

Usage: send.py NAME PATH COUNT [CONCURRENCY]
Prints {"statuses": {status: count}, "failed": n} as JSON. Bounded: COUNT
requests, each with a 30 s timeout.
"""

import json
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter


def main():
    name, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    concurrency = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    statuses, lock, left = Counter(), threading.Lock(), [count]

    def client():
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            request = urllib.request.Request("http://127.0.0.1" + path, headers={"Host": name})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = "failed"
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = statuses.pop("failed", 0)
    print(json.dumps({"statuses": {str(k): v for k, v in statuses.items()}, "failed": failed}))


if __name__ == "__main__":
    main()
