"""A Flask app with a sqlite database: `notes:app`.

Served by gunicorn from this directory:
    gunicorn --worker-class gthread --workers 2 --threads 4 --bind HOST:PORT notes:app
Create the database first (SAMPLE_DB_PATH must be set for both):
    flask --app notes init-db
"""

import configparser
import json
import os
import sqlite3
from pathlib import Path

from flask import Flask, Response


def read_config_message():
    """The `message` from the file named by SAMPLE_CONFIG_FILE (.json or .ini), or "unset"."""
    path = os.environ.get("SAMPLE_CONFIG_FILE")
    if not path:
        return "unset"
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            return str(json.load(f)["message"])
    if path.endswith(".ini"):
        parser = configparser.ConfigParser(interpolation=None)
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
        return parser["sample"]["message"]
    raise RuntimeError(f"SAMPLE_CONFIG_FILE must end in .json or .ini, got {path!r}")


if not os.environ.get("SAMPLE_DB_PATH"):
    raise RuntimeError("The SAMPLE_DB_PATH environment variable is not set")

app = Flask(__name__)
app.config.update(
    DATABASE=os.environ["SAMPLE_DB_PATH"],
    GREETING=os.environ.get("SAMPLE_GREETING", "unset"),
    CONFIG_MESSAGE=read_config_message(),
)


@app.cli.command("init-db")
def init_db():
    """Create the sqlite database and its notes table."""
    with sqlite3.connect(app.config["DATABASE"]) as db:
        db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    db.close()
    print(f"Initialized the database at {app.config['DATABASE']}")


def count_notes():
    # Open read-only: a missing database is an error rather than a new empty file.
    uri = Path(app.config["DATABASE"]).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        return db.execute("SELECT count(*) FROM notes").fetchone()[0]
    finally:
        db.close()


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def hello(path):
    count_notes()  # fails until `flask --app notes init-db` has been run
    body = (
        f"Flask says hello | greeting={app.config['GREETING']}"
        f" | config={app.config['CONFIG_MESSAGE']}\n"
    )
    return Response(body, mimetype="text/plain")
