"""OpenAPI generation fitted to the one-APIView-per-operation style, and exact.

Every API view nests serializers named ``InputSerializer`` / ``OutputSerializer``, so
drf-spectacular's default names ("Output") collide across views; components are named
after their view instead ("TitleListOutput"), and operation ids after the view class
("title_list") rather than guessed from the path.

Exact (checked by schemathesis, tests/config/test_schemathesis.py): every operation lists the
error statuses it can answer, each in the one error shape ``{message, extra}``
(config/exceptions.py); operations open to anonymous callers say so in their security; paged
lists show their envelope (their view names its ``pagination_class``).
"""

from __future__ import annotations

import re
from typing import Any
from typing import Literal

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions
from rest_framework import serializers

_HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# What a text field really accepts, said in the document so a schema-valid request is never a
# 400: no NUL (config/bad_input.py refuses it before anything else), and, when blank is not
# allowed, one character that survives DRF's strip() (Python's whitespace, which is wider than
# JSON Schema's \s: it adds the separators U+001C-U+001F and U+0085).
NO_NUL = "^[^\\x00]*$"
NOT_BLANK = "^[^\\x00]*[^\\s\\x00\\x1c-\\x1f\\x85][^\\x00]*$"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers: a message for people, details for programs."""

    message = serializers.CharField()
    extra = serializers.DictField()

    class Meta:
        ref_name = "Error"


# Answerable by any operation: bad text or parameters (config/bad_input.py and validation),
# a throttle, Redis unavailable (config/exceptions.py).
Direction = Literal["request", "response"]

_ALWAYS = {
    "400": "Invalid input.",
    "429": "Too many requests; see Retry-After.",
    "503": "Briefly unavailable; see Retry-After.",
}


class MoochuAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer: Any, direction: Direction) -> str:
        outer, _, inner = type(serializer).__qualname__.rpartition(".")
        if outer and "<locals>" not in outer:
            return f"{outer.rsplit('.', 1)[-1].removesuffix('Api')}{inner}"
        return super().get_serializer_name(serializer, direction)

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        result = super()._map_basic_serializer(serializer, direction)
        if direction != "request":
            return result
        # A request object takes only its fields: the API refuses others with a 400
        # (config/serializers.StrictInputSerializer; events: the ingest service).
        result["additionalProperties"] = False
        # Rules across fields ("value is required when kind is rate"), as JSON Schema.
        result.update(getattr(serializer, "schema_extra", {}))
        for name, schema in result.get("properties", {}).items():
            field = serializer.fields.get(name)
            pattern = getattr(field, "json_schema_pattern", None)
            if pattern is not None:  # a rule only the field can spell (nicknames)
                schema["pattern"] = pattern()
            if getattr(field, "unique_items", False):
                schema["uniqueItems"] = True
            if isinstance(field, serializers.ListField) and schema.get("type") == "array":
                _text_constraints(field.child, schema.get("items", {}))
            else:
                _text_constraints(field, schema)
        return result

    def map_parsers(self) -> list[Any]:
        # The document promises JSON bodies: a form cannot say null, an empty list or a nested
        # object, and cannot tell a number from a one-item list ("ids=0"). Views still read
        # forms for older callers; an upload-only view (the avatar) keeps its multipart.
        media_types = super().map_parsers()
        return ["application/json"] if "application/json" in media_types else media_types

    def get_operation_id(self) -> str:
        view_name = type(self.view).__name__
        if not view_name.endswith("Api"):
            return super().get_operation_id()
        operation = _snake(view_name.removesuffix("Api"))
        implemented = [method for method in _HTTP_METHODS if hasattr(self.view, method)]
        if len(implemented) > 1:
            operation = f"{operation}_{self.method.lower()}"
        return operation

    def _allows_anonymous(self) -> bool:
        safe = self.method in permissions.SAFE_METHODS
        return all(
            isinstance(permission, permissions.AllowAny)
            or (safe and isinstance(permission, permissions.IsAuthenticatedOrReadOnly))
            for permission in self.view.get_permissions()
        )

    def _names_objects(self) -> bool:
        # A view whose query names rows by slug (the catalog's genre=) answers 404 for one
        # that names nothing; it says so with ``names_objects_in_query``.
        return getattr(self.view, "names_objects_in_query", False)

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        # drf-spectacular adds "{}" (no credentials) only for AllowAny; an empty permission
        # list, or several permissive ones, opens the operation just the same.
        if {} not in auths and self._allows_anonymous():
            auths.append({})
        return auths

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = dict(_ALWAYS)
        if not self._allows_anonymous() or self.method not in permissions.SAFE_METHODS:
            errors["403"] = "Not signed in, not allowed, or missing the CSRF token."
        if "{" in self.path or self.method not in permissions.SAFE_METHODS or self._names_objects():
            errors["404"] = "Not found (the object, or one the request names)."
        # A read can be refused by the state of things too (the catalog's 예상 별점 order needs
        # the caller's ratings); such a view says so with ``refused_by_state``.
        if self.method not in permissions.SAFE_METHODS or getattr(self.view, "refused_by_state", False):
            errors["409"] = "Well formed, but refused by the state of things (taken, already done, not yet)."
        if self.method not in permissions.SAFE_METHODS:
            # DRF refuses a body in a media type the view has no parser for (the event
            # beacon reads JSON only).
            errors["415"] = "Unsupported media type for the request body."
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


def _text_constraints(field: Any, schema: dict[str, Any]) -> None:
    """State what a request's plain text field accepts (see ``NO_NUL`` and ``NOT_BLANK``)."""
    if not isinstance(field, serializers.CharField) or schema.get("type") != "string":
        return
    if "format" in schema or "enum" in schema or "pattern" in schema:
        return  # already narrower than "any text" (dates, URLs, slugs, choices)
    if field.allow_blank:
        schema["pattern"] = NO_NUL
    elif not field.trim_whitespace:  # "   " is text here (the search box)
        schema["pattern"] = NO_NUL
        schema["minLength"] = max(schema.get("minLength", 0), 1)
    else:
        schema["pattern"] = NOT_BLANK
        schema["minLength"] = max(schema.get("minLength", 0), 1)


class BeaconSessionScheme(SessionScheme):
    """The behaviour-event beacon: the session cookie, with the CSRF token in the JSON body."""

    target_class = "apps.recs.api.views.BeaconSessionAuthentication"
    name = "beaconCookieAuth"


def query_blank_means_absent(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: an optional query parameter given empty (``?sort=``) counts as not
    given (DRF's rule for form and query input), so the document accepts "" there too."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") != "query" or parameter.get("required"):
                    continue
                schema = parameter.get("schema", {})
                if "$ref" in schema or "enum" in schema or schema.get("minLength"):
                    parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
    return result
