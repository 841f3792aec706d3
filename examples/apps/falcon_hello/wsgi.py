"""A Falcon app laid out as in the Falcon deployment guide: wsgi.py exposes `application`."""

import os

import falcon


class HelloResource:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = os.environ.get("GREETING", "Hello from Falcon under uWSGI") + "\n"


application = falcon.App()
application.add_route("/", HelloResource())
