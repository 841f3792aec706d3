"""A Flask app that serves its own Prometheus metrics (prometheus_client, multiprocess mode).

Under Gunicorn or uWSGI each worker is a process of its own: with
PROMETHEUS_MULTIPROC_DIR set (deploykit sets it for an app with a
metrics_path), every worker writes its values into that directory and
/metrics adds them up across the workers.
"""

import os
import time

from flask import Flask, Response, abort, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest, multiprocess

app = Flask(__name__)

REQUESTS = Counter("hello_requests_total", "Requests the app answered, by path", ["path"])


@app.after_request
def count(response):
    if request.path != "/metrics":
        REQUESTS.labels(path=request.path).inc()
    return response


@app.route("/")
def hello():
    return os.environ.get("GREETING", "Hello from Flask with metrics") + "\n"


@app.route("/error")
def error():
    """Always fails: the error series must show it."""
    abort(500)


@app.route("/slow")
def slow():
    """Answers after ?seconds= (at most 10): keeps a worker busy."""
    time.sleep(min(float(request.args.get("seconds", "1")), 10.0))
    return "slow\n"


@app.route("/metrics")
def metrics():
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
