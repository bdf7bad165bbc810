"""The API does what its OpenAPI document says, checked by schemathesis over every operation,
anonymous and signed in, with all its checks: no server errors, no response that breaks its
schema, no undocumented status code, no operation answering without the credentials it
documents. Bounded in examples per operation so the suite stays fast."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.core.file_samples import MEDIA_TYPE_FILE_SAMPLES

from tests.factories import TitleFactory
from tests.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# The avatar upload documents its parts as pictures (encoding contentType): teach the
# generator what a picture is, with schemathesis's own smallest well-formed files.
for _media_type, _sample in MEDIA_TYPE_FILE_SAMPLES.items():
    schemathesis.openapi.media_type(_media_type, st.just(_sample))

# Every check schemathesis has, "schema-valid request accepted" and "schema-invalid request
# rejected" included: the document states each field's limits (config/schema.py), and what
# only the database or the clock can refuse answers 404 or 409, not 400.
EXCLUDED: list = []

EXAMPLES_PER_OPERATION = 5  # ~2 min for both runs here; raise locally to search harder
BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_transactions_connection():
    """The WSGI handler closes the database connection after each request (Django's test
    client turns that off, schemathesis calls the WSGI app directly): keep it for the test."""
    from django.core.signals import request_finished
    from django.core.signals import request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def catalog(db):
    return [TitleFactory() for _ in range(3)]


@pytest.fixture
def token_headers(db) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    user = UserFactory()
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_matches_its_schema_anonymously(case, catalog, clean_cache) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_matches_its_schema_signed_in(case, catalog, token_headers, clean_cache) -> None:
    # ignored_auth runs in the anonymous test: here it would send a broken session cookie
    # beside the valid token, which DRF rightly accepts (either scheme signs one in).
    case.call_and_validate(headers=token_headers, excluded_checks=[*EXCLUDED, checks.ignored_auth])
