"""Request bodies that take only what the OpenAPI document lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Unknown keys echoed back in the error, at most this many (a body can hold thousands).
MAX_UNKNOWN_REPORTED = 10
# Django's CSRF form field: a browser form posting to the API sends it beside the fields.
CSRF_FORM_FIELD = "csrfmiddlewaretoken"


# JSON types each field takes in a JSON body (DRF would also take "5" for 5, 5 for "5",
# "true" for true): the document shows one type, and a client sending another has a bug.
_JSON_TYPES: tuple[tuple[type[serializers.Field], tuple[type, ...]], ...] = (
    (serializers.BooleanField, (bool,)),
    (serializers.CharField, (str,)),
    (serializers.ChoiceField, (str,)),
    (serializers.IntegerField, (int,)),
    (serializers.FloatField, (int, float)),
    # DRF writes decimals as strings, so clients send them back as "4.5": both are fine.
    (serializers.DecimalField, (int, float, str)),
    (serializers.ListField, (list,)),
)


def _json_type_ok(field: serializers.Field, value: Any) -> bool:
    if value is None:
        return True  # allow_null decides
    for field_class, types in _JSON_TYPES:
        if isinstance(field, field_class):
            wrong_bool = isinstance(value, bool) and bool not in types
            return isinstance(value, types) and not wrong_bool
    return True


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
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            # A form's values are all text; a JSON body's carry their type.
            mistyped = [
                name
                for name, field in self.fields.items()
                if name in data and not _json_type_ok(field, data[name])
            ]
            if mistyped:
                raise serializers.ValidationError({name: [_("Wrong type.")] for name in mistyped})
        return super().to_internal_value(data)
