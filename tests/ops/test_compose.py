"""The compose stack is safe by default.

No Docker engine (or compose v2 client) runs on these machines, so the file is checked for
the properties that matter: only nginx faces the world, datastores are internal and
password-protected, long-running services have health checks, restart policies and volumes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

COMPOSE_DIR = Path(__file__).resolve().parents[2] / "compose"
DATASTORES = ("postgres", "redis", "elasticsearch", "mongo")
APP_SERVICES = ("http", "ws", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((COMPOSE_DIR / "docker-compose.yml").read_text())


def test_only_nginx_publishes_ports(compose: dict):
    publishing = sorted(name for name, service in compose["services"].items() if service.get("ports"))
    assert publishing == ["nginx"]


def test_datastores_sit_only_on_the_internal_network_with_a_password(compose: dict):
    assert compose["networks"]["internal"]["internal"] is True
    for name in DATASTORES:
        service = compose["services"][name]
        assert service["networks"] == ["internal"], name
        text = yaml.safe_dump(service)
        assert re.search(r"PASSWORD:\?set", text) or "requirepass" in text, f"{name} has no password"


def test_long_running_services_restart_and_report_health(compose: dict):
    for name in (*DATASTORES, "nginx", "http", "ws", "worker"):
        service = compose["services"][name]
        assert service["restart"] == "unless-stopped", name
        assert "healthcheck" in service, name
    assert compose["services"]["beat"]["restart"] == "unless-stopped"


def test_datastores_keep_data_in_named_volumes(compose: dict):
    for name in DATASTORES:
        volume = compose["services"][name]["volumes"][0].split(":")[0]
        assert volume in compose["volumes"], name


def test_app_services_use_start_scripts_that_exist_and_are_executable(compose: dict):
    repo = COMPOSE_DIR.parent
    for name in (*APP_SERVICES, "migrate"):
        script = repo / compose["services"][name]["command"][0]
        assert script.is_file(), script
        assert os.access(script, os.X_OK), script


def test_elasticsearch_image_carries_the_korean_analyzer(compose: dict):
    assert "analysis-nori" in compose["services"]["elasticsearch"]["build"]["dockerfile_inline"]
