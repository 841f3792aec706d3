"""A Tornado app that is its own server.

Run from this directory:
    HOST=127.0.0.1 PORT=8888 python app.py
"""

import asyncio
import configparser
import json
import logging
import os

import tornado.web


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


class HelloHandler(tornado.web.RequestHandler):
    def initialize(self, greeting, config_message):
        self.greeting = greeting
        self.config_message = config_message

    def get(self):
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write(
            f"Tornado says hello | greeting={self.greeting} | config={self.config_message}\n"
        )


def make_app():
    settings = {
        "greeting": os.environ.get("SAMPLE_GREETING", "unset"),
        "config_message": read_config_message(),
    }
    return tornado.web.Application([(r"/.*", HelloHandler, settings)])


async def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8888"))
    make_app().listen(port, address=host)
    logging.info("Tornado listening on http://%s:%d", host, port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)  # access log and errors on stderr
    asyncio.run(main())
