"""The chrome's links, reversed once per process, are the URLconf's own."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.urls import set_script_prefix

from apps.common.navigation import NAV_URL_NAMES
from apps.common.navigation import nav_urls


def test_every_link_is_what_reverse_gives() -> None:
    nav = nav_urls(RequestFactory().get("/"))["nav"]

    assert nav == {key: reverse(name) for key, name in NAV_URL_NAMES.items()}


def test_a_site_mounted_under_a_prefix_links_under_it() -> None:
    try:
        set_script_prefix("/moochu/")
        nav = nav_urls(RequestFactory().get("/"))["nav"]
    finally:
        set_script_prefix("/")

    assert nav["catalog"] == "/moochu/"
    assert nav["board"].startswith("/moochu/")
    assert nav_urls(RequestFactory().get("/"))["nav"]["catalog"] == "/"


@pytest.mark.django_db
def test_the_header_links_come_from_it(client) -> None:
    html = client.get("/board/").content.decode()

    for key in ("catalog", "coming_soon", "chat", "feed", "board", "search", "login"):
        assert f'href="{reverse(NAV_URL_NAMES[key])}' in html


@pytest.mark.urls("tests.config.navigation_partial_urls")
def test_a_urlconf_without_some_links_draws_the_rest() -> None:
    nav = nav_urls(RequestFactory().get("/"))["nav"]

    assert nav == {"board": "/only-the-board/"}
