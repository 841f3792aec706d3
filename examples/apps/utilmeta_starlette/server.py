"""A UtilMeta service on the starlette backend: `server:app` is the Starlette (ASGI) app.

Served by gunicorn with uvicorn workers from this directory:
    gunicorn --worker-class uvicorn_worker.UvicornWorker --workers 2 --bind HOST:PORT server:app
Settings come from SAMPLE_* environment variables (see ServiceEnv);
SAMPLE_PRODUCTION=true switches UtilMeta to production
(on this backend it sets Starlette(debug=not production)).
"""

import configparser
import json

import starlette
from utilmeta import UtilMeta
from utilmeta.conf import Env, Preference
from utilmeta.core import api, request, response


class ServiceEnv(Env):
    PRODUCTION: bool = False
    GREETING: str = "unset"
    CONFIG_FILE: str = ""


env = ServiceEnv(sys_env="SAMPLE_")


def read_config_message():
    """The `message` from the file named by SAMPLE_CONFIG_FILE (.json or .ini), or "unset"."""
    path = env.CONFIG_FILE
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


CONFIG_MESSAGE = read_config_message()


class RootAPI(api.API):
    # FilePathParam matches any rest of the path, including "" and "a/b/".
    @api.get("{path}")
    async def hello(self, path: str = request.FilePathParam):
        return response.Response(
            content=f"UtilMeta (starlette) says hello | greeting={env.GREETING} | config={CONFIG_MESSAGE}\n",
            content_type="text/plain; charset=utf-8",
        )


service = UtilMeta(
    __name__,
    name="utilmeta_starlette",
    backend=starlette,
    api=RootAPI,
    production=env.PRODUCTION,
)
# Never pip-install a missing package at run time (UtilMeta would otherwise try).
service.use(Preference(dependencies_auto_install_disabled=True))

app = service.application()
