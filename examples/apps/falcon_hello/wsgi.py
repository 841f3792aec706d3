"""A Falcon app laid out as in the Falcon deployment guide: wsgi.py exposes `application`."""

import os

import falcon


class HelloResource:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = os.environ.get("GREETING", "Hello from Falcon under uWSGI") + "\n"

    def on_post(self, req, resp):
        """Answer as GET does; with $POST_LOG set, first append the request's X-Request-Id to that file."""
        request_id = req.get_header("X-Request-Id")
        if os.environ.get("POST_LOG") and request_id:
            with open(os.environ["POST_LOG"], "a", encoding="utf-8") as log:
                log.write(request_id + "\n")
        self.on_get(req, resp)


class ClientResource:
    """Who the app thinks the client is, behind nginx and any proxy in front of it."""

    def on_get(self, req, resp):
        resp.media = {
            "remote_addr": req.remote_addr,
            "real_ip": req.get_header("X-Real-IP"),
            "forwarded_for": req.get_header("X-Forwarded-For"),
            "scheme": req.scheme,
        }


application = falcon.App()
application.add_route("/", HelloResource())
application.add_route("/client", ClientResource())
