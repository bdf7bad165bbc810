"""WSGI entry point: the HTTP tier in production (gunicorn's threaded workers).

Every HTTP view of Moochu is synchronous. Measured on the catalog API (2 cores, 32 clients):
Django's ASGI handler, which runs sync code in a fresh thread per request and hops threads
around middleware, cost 7.7 ms of server CPU per request; the same views through WSGI cost
3.3 ms, and gunicorn's gthread workers served 470–490 requests/s against 384 for the ASGI
server handing HTTP to a thread pool (config.asgi). WebSockets stay on the ASGI tier; nginx
routes ``/ws/`` there and everything else here.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from collections.abc import Iterable
from importlib import import_module
from typing import cast

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from config.upstream import UpstreamNameWSGIMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# Typed as any WSGI callable: the upstream-name middleware below may wrap Django's handler.
application: Callable[..., Iterable[bytes]] = cast(Callable[..., Iterable[bytes]], get_wsgi_application())
# Import every view now, while the worker boots, not during some visitor's first request.
import_module(settings.ROOT_URLCONF)
# Everything loaded so far lives as long as the process: keep it out of the cyclic garbage
# collector, whose full passes would otherwise walk Django's, DRF's and scikit-learn's objects
# while every request in flight waits.
gc.freeze()

if upstream_name := os.environ.get("MOOCHU_UPSTREAM_NAME"):
    application = UpstreamNameWSGIMiddleware(application, upstream_name)
