from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .models import Visit


@require_safe
def hello(request):
    # Touch the database so that a missing `manage.py migrate` shows up as an error.
    Visit.objects.exists()
    kind = "ASGI" if isinstance(request, ASGIRequest) else "WSGI"
    body = (
        f"Django ({kind}) says hello | greeting={settings.SAMPLE_GREETING}"
        f" | config={settings.SAMPLE_CONFIG_MESSAGE}\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
