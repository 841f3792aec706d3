"""A Sanic app: `server:app`.

Served by Sanic's own server from this directory:
    sanic server:app --host HOST --port PORT --workers 2
"""

import configparser
import json
import os

from sanic import Sanic
from sanic.response import text


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


app = Sanic("sanic_hello")
app.config.GREETING = os.environ.get("SAMPLE_GREETING", "unset")
app.config.CONFIG_MESSAGE = read_config_message()


# "<path:path>" does not match the bare "/", hence a second route (with its own name).
@app.get("/", name="hello_root")
@app.get("/<path:path>")
async def hello(request, path=""):
    config = request.app.config
    return text(f"Sanic says hello | greeting={config.GREETING} | config={config.CONFIG_MESSAGE}\n")
