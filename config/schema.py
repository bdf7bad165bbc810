"""OpenAPI generation fitted to the one-APIView-per-operation style.

Every API view nests serializers named ``InputSerializer`` / ``OutputSerializer``, so
drf-spectacular's default names ("Output") collide across views; components are named
after their view instead ("TitleListOutput"), and operation ids after the view class
("title_list") rather than guessed from the path.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema

_HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class MoochuAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        outer, _, inner = type(serializer).__qualname__.rpartition(".")
        if outer and "<locals>" not in outer:
            return f"{outer.rsplit('.', 1)[-1].removesuffix('Api')}{inner}"
        return super().get_serializer_name(serializer, direction)

    def get_operation_id(self) -> str:
        view_name = type(self.view).__name__
        if not view_name.endswith("Api"):
            return super().get_operation_id()
        operation = _snake(view_name.removesuffix("Api"))
        implemented = [method for method in _HTTP_METHODS if hasattr(self.view, method)]
        if len(implemented) > 1:
            operation = f"{operation}_{self.method.lower()}"
        return operation


class BeaconSessionScheme(SessionScheme):
    """The behaviour-event beacon: the session cookie, with the CSRF token in the JSON body."""

    target_class = "apps.recs.api.views.BeaconSessionAuthentication"
    name = "beaconCookieAuth"
