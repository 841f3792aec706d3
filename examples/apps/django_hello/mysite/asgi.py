"""ASGI entry point: `mysite.asgi:application` (e.g. daphne -b HOST -p PORT mysite.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_asgi_application()
