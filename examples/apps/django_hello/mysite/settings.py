"""Settings for the Django sample, read from SAMPLE_* environment variables.

Served two ways from this directory (the working directory must be the one
holding manage.py):
  WSGI: gunicorn --bind HOST:PORT mysite.wsgi:application
  ASGI: daphne -b HOST -p PORT mysite.asgi:application
Before the first start: `python manage.py migrate` and
`python manage.py collectstatic --noinput` (nginx serves STATIC_ROOT at /static/).
"""

import configparser
import json
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


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
    raise ImproperlyConfigured(f"SAMPLE_CONFIG_FILE must end in .json or .ini, got {path!r}")


try:
    SECRET_KEY = os.environ["SAMPLE_SECRET_KEY"]
except KeyError:
    raise ImproperlyConfigured("The SAMPLE_SECRET_KEY environment variable is not set") from None

DEBUG = False
ALLOWED_HOSTS = [
    host.strip() for host in os.environ.get("SAMPLE_ALLOWED_HOSTS", "*").split(",") if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "greetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SAMPLE_DB_PATH", str(BASE_DIR / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("SAMPLE_STATIC_ROOT", str(BASE_DIR / "static_collected"))

# Send request errors (e.g. "no such table" before migrate) to stderr, i.e. the journal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING"}},
}

SAMPLE_GREETING = os.environ.get("SAMPLE_GREETING", "unset")
SAMPLE_CONFIG_MESSAGE = read_config_message()
