"""A FastAPI app: `main:app`.

Served by uvicorn from this directory:
    uvicorn --host HOST --port PORT --workers 2 main:app
"""

import configparser
import json
import os

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse


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


GREETING = os.environ.get("SAMPLE_GREETING", "unset")
CONFIG_MESSAGE = read_config_message()

# No /docs, /redoc or /openapi.json: they would shadow the catch-all route.
app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


# "/{path:path}" also matches "/", so this one route answers every path.
@app.get("/{path:path}", response_class=PlainTextResponse)
async def hello(path: str):
    return f"FastAPI says hello | greeting={GREETING} | config={CONFIG_MESSAGE}\n"
