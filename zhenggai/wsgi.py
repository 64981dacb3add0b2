"""WSGI entry point (granian / gunicorn): `zhenggai.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenggai.settings")

application = get_wsgi_application()
