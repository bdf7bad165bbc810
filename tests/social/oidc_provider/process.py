"""Start the test OpenID Connect provider in a second process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class OidcProvider:
    base_url: str
    client_id: str
    client_secret: str
    user_email: str
    user_password: str

    @property
    def server_url(self) -> str:
        return f"{self.base_url}/o"


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@contextmanager
def oidc_provider_running(*, redirect_uris: list[str], timeout: float = 60.0) -> Iterator[OidcProvider]:
    with tempfile.TemporaryDirectory(prefix="moochu-idp-") as tmp:
        provider = OidcProvider(
            base_url="",
            client_id="moochu-test-client",
            client_secret="moochu-test-secret-0123456789",
            user_email="idp-friend@idp.example",
            user_password="idp-pass-word-1",
        )
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "OIDC_DB_PATH": str(Path(tmp) / "idp.sqlite3"),
            "OIDC_RSA_PRIVATE_KEY": _private_key_pem(),
            "OIDC_CLIENT_ID": provider.client_id,
            "OIDC_CLIENT_SECRET": provider.client_secret,
            "OIDC_REDIRECT_URIS": " ".join(redirect_uris),
            "OIDC_USER_EMAIL": provider.user_email,
            "OIDC_USER_PASSWORD": provider.user_password,
            "PYTHONPATH": str(REPO),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.social.oidc_provider.serve"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line.startswith("PORT "):
                proc.kill()
                raise RuntimeError(
                    f"OIDC provider failed to start: {line} {proc.stderr.read() if proc.stderr else ''}"
                )
            port = int(line.split()[1])
            yield OidcProvider(**{**provider.__dict__, "base_url": f"http://127.0.0.1:{port}"})
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
