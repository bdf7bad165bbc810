from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command


def test_openapi_schema_validates_without_a_single_warning(tmp_path: Path):
    schema_file = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    schema = yaml.safe_load(schema_file.read_text())
    operation_ids = [
        operation["operationId"] for path in schema["paths"].values() for operation in path.values()
    ]
    assert [op for op, count in Counter(operation_ids).items() if count > 1] == []
    assert "Output" not in schema["components"]["schemas"]  # nested serializers are named per view


@pytest.mark.django_db
def test_interactive_api_docs_are_served(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
