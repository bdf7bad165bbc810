from __future__ import annotations

import datetime
import decimal
import json

from django.utils.translation import gettext_lazy
from django.utils.translation import override
from rest_framework.renderers import JSONRenderer

from config.renderers import ORJSONRenderer


def test_renders_compact_utf8_json_with_the_types_drf_knows():
    data = {
        "title": "기생충",
        "message": gettext_lazy("Unknown filter values."),
        "price": decimal.Decimal("1.50"),
        "day": datetime.date(2026, 11, 24),
        "ids": (1, 2),
        "none": None,
    }

    with override("en"):
        body = ORJSONRenderer().render(data)
        drf_body = JSONRenderer().render(data)

    assert "기생충".encode() in body  # UTF-8, not \\u escapes
    assert json.loads(body) == json.loads(drf_body)
    assert json.loads(body)["message"] == "Unknown filter values."


def test_an_empty_response_renders_no_body():
    assert ORJSONRenderer().render(None) == b""
