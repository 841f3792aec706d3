"""A Flask app installed as a package and built by a factory: `hello_flask:create_app()`."""

from flask import Flask, request


def create_app():
    app = Flask(__name__)

    @app.get("/api/")
    def hello():
        return "Hello from Flask under Gunicorn\n", 200, {"Content-Type": "text/plain"}

    @app.get("/api/whoami")
    def whoami():
        # What the app sees of the client through nginx's forwarded headers.
        return {"remote_addr": request.remote_addr, "scheme": request.scheme}

    return app
