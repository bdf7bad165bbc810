from __future__ import annotations

import json

import pytest

from apps.recs import buffer
from apps.recs.services.training import recs_model_train

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_urls(settings):
    settings.ROOT_URLCONF = "tests.recs.browser.urls"


def _buffered() -> list[dict]:
    client = buffer.redis_client()
    return [json.loads(raw) for raw in client.lrange(buffer.key("events", "pending"), 0, -1)]


def test_page_script_sends_list_clicks_and_dwell_time_on_pagehide(page_urls, live_server, page, taste_world):
    # given: a title page with its similar-titles row
    recs_model_train()
    anchor = taste_world["horror"][0]
    page.goto(f"{live_server.url}/t/{anchor.id}/")
    first = page.locator('[data-recs-list="similar"] [data-position="0"]')
    clicked_id = int(first.get_attribute("data-title-id"))
    # when: the visitor clicks the first similar title (the script queues it), then leaves
    page.evaluate(
        "document.querySelector('[data-recs-list=similar] [data-position=\"0\"] a').removeAttribute('href')"
    )
    first.locator("a").click()
    page.wait_for_timeout(1200)
    page.click("#away")
    page.wait_for_url("**/away/")
    page.wait_for_timeout(800)
    # then: the beacon delivered a list click (name and position) and a view with dwell time
    events = _buffered()
    kinds = {e["kind"]: e for e in events}
    assert kinds["list_click"]["title_id"] == clicked_id
    assert kinds["list_click"]["list_name"] == "similar"
    assert kinds["list_click"]["position"] == 0
    assert kinds["rec_accept"]["title_id"] == clicked_id
    assert kinds["view"]["title_id"] == anchor.id
    assert kinds["view"]["dwell_ms"] >= 1000
    assert all(e["session_key"] for e in events)
