"""A Starlette ASGI app: `app:app`.

Served by gunicorn with uvicorn workers from this directory:
    gunicorn --worker-class uvicorn_worker.UvicornWorker --workers 2 --bind HOST:PORT app:app
"""

import configparser
import json
import os

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute


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


async def hello(request):
    return PlainTextResponse(
        f"Starlette says hello | greeting={GREETING} | config={CONFIG_MESSAGE}\n"
    )


async def echo(websocket):
    """A WebSocket on any path: each text message is sent back."""
    await websocket.accept()
    async for message in websocket.iter_text():
        await websocket.send_text(message)


# "/{path:path}" also matches "/", so these routes answer every path.
app = Starlette(routes=[
    Route("/{path:path}", hello, methods=["GET"]),
    WebSocketRoute("/{path:path}", echo),
])
