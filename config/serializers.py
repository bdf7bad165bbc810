"""Request bodies that take only what the OpenAPI document lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Unknown keys echoed back in the error, at most this many (a body can hold thousands).
MAX_UNKNOWN_REPORTED = 10
# Django's CSRF form field: a browser form posting to the API sends it beside the fields.
CSRF_FORM_FIELD = "csrfmiddlewaretoken"


class StrictInputSerializer(serializers.Serializer):
    # A body with a key no field reads is a 400 naming it, not silently ignored: the document
    # says these objects take nothing else (config/schema.py), and an ignored key would carry
    # text nothing checks. (A comment, not a docstring: drf-spectacular would copy a docstring
    # into every request body's description.)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields and key != CSRF_FORM_FIELD)
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("Unknown field.")] for key in unknown[:MAX_UNKNOWN_REPORTED]}
                )
        return super().to_internal_value(data)
