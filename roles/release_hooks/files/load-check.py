"""Import an app the way uWSGI or Gunicorn would, and fail if it cannot load.

Run by release_hooks as the first hook of a new release: as the runner, in
the release's venv and source tree, with the app's environment. The program
arrives on stdin (`python - TARGET`), so nothing is installed on the host.

TARGET is `module`, `module:callable` or `module:factory(...)` (Gunicorn's
forms), or a WSGI file relative to the source tree (uWSGI's wsgi-file),
which must define `application`.
"""
import importlib
import os
import runpy
import sys


def load(target):
    if target.endswith(".py") and os.path.isfile(target):
        return runpy.run_path(target).get("application"), target
    name, _, expression = target.partition(":")
    module = importlib.import_module(name)
    # A factory call such as create_app() runs, as Gunicorn would run it.
    return eval(expression or "application", vars(module)), target


def main():
    app, where = load(sys.argv[1])
    if not callable(app):
        sys.exit("no callable WSGI/ASGI application in " + where)
    print("loaded %s: %r" % (where, app))


if __name__ == "__main__":
    main()
