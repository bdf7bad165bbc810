"""Screenshots of every page (``make shots``): each persona, 1280 and 390 px, Korean and English.

Uses the page tour's list (tests/browser/tour.py), so a page added there is photographed too.
Builds a fresh SQLite database under var/shots/ with the tour's world (the demo's Korean
catalog, a user with ratings, reviews, friends and a guestbook, a chat room, board posts),
serves it with uvicorn as ``make run`` would (embedded defaults, the same CSP), and writes
``var/shots/<page>-<persona>-<width>-<lang>.png`` (full page, dark: the default theme) and
``…-<lang>-light.png`` (the OS asking for light) with Debian's Chromium.

    .venv/bin/python scripts/shots.py                 # every page, both themes
    .venv/bin/python scripts/shots.py front chat-room # only pages whose label is given
    .venv/bin/python scripts/shots.py --scheme light front
    .venv/bin/python scripts/shots.py --hostile       # the bad-input world, into var/shots-hostile/
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "shots"
DATABASE = OUT / "shots.sqlite3"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ELASTICSEARCH_URL", "MONGO_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": f"sqlite:///{DATABASE}",
            "MOOCHU_SEARCH_BACKEND": "database",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def world_prepare(*, hostile: bool = False):
    """A fresh database with the tour's world; returns (world, {persona: cookie})."""
    from django.core.management import call_command
    from django.db import connections

    from tests.browser.tour import ANON
    from tests.browser.tour import FRIENDLY
    from tests.browser.tour import HOSTILE
    from tests.browser.tour import PERSONAS
    from tests.browser.tour import session_cookie
    from tests.browser.tour import world_build

    for leftover in OUT.glob("shots.sqlite3*"):
        leftover.unlink()
    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    world = world_build(content=HOSTILE if hostile else FRIENDLY)
    cookies = {persona: session_cookie(world.users[persona]) for persona in PERSONAS if persona != ANON}
    connections.close_all()
    print(f"world ready in {time.perf_counter() - began:.0f}s", flush=True)
    return world, cookies


@contextlib.contextmanager
def served(env: dict[str, str]):
    port = _free_port()
    log = (OUT / "server.log").open("wb")
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited: see {OUT / 'server.log'}")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=3).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: see {OUT / 'server.log'}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _images_loaded(tab) -> None:
    """Every image of the page loaded, lazy ones too. A full-page shot shows the whole page at
    once, but lazy posters past the browser's load distance only load as a reader scrolls: the
    title page's similar titles came out blank."""
    tab.evaluate(
        """() => Promise.race([
             Promise.all([...document.images].map((img) => {
               img.loading = "eager";
               return img.complete ? null : new Promise((done) => {
                 img.addEventListener("load", done, {once: true});
                 img.addEventListener("error", done, {once: true});
               });
             })),
             new Promise((done) => setTimeout(done, 5000)),
           ])"""
    )


def shoot(
    base: str, world, cookies: dict[str, dict[str, str]], labels: set[str], schemes: tuple[str, ...]
) -> int:
    from playwright.sync_api import sync_playwright

    from tests.browser.tour import ANON
    from tests.browser.tour import LANGUAGES
    from tests.browser.tour import PERSONAS
    from tests.browser.tour import WIDTHS
    from tests.browser.tour import visits
    from tests.conftest import CHROMIUM
    from tests.conftest import CHROMIUM_ARGS

    chosen = [(page, persona) for page, persona in visits() if not labels or page.slug in labels]
    taken = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for persona in PERSONAS:
            mine = [page for page, who in chosen if who == persona]
            if not mine:
                continue
            for (width, (w, h)), lang, scheme in itertools.product(WIDTHS.items(), LANGUAGES, schemes):
                context = browser.new_context(
                    viewport={"width": w, "height": h},
                    locale="ko-KR" if lang == "ko" else "en-US",
                    reduced_motion="reduce",
                    color_scheme=scheme,
                )
                jar = [{"name": "django_language", "value": lang, "url": base}]
                if persona != ANON:
                    jar.append({**cookies[persona], "url": base})
                context.add_cookies(jar)
                tab = context.new_page()
                for page in mine:
                    tab.goto(base + page.url(world), wait_until="load")
                    if page.ready:
                        tab.locator(page.ready).first.wait_for(timeout=15_000)
                    _images_loaded(tab)
                    suffix = "" if scheme == "dark" else f"-{scheme}"
                    path = OUT / f"{page.slug}-{persona}-{width}-{lang}{suffix}.png"
                    tab.screenshot(path=str(path), full_page=True)
                    taken += 1
                context.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="*", help="page labels (e.g. front homepage); default: all")
    parser.add_argument(
        "--scheme", choices=("dark", "light", "both"), default="both", help="theme(s) to shoot"
    )
    parser.add_argument("--hostile", action="store_true", help="the bad-input world (tour.HOSTILE)")
    args = parser.parse_args()
    if args.hostile:
        global OUT, DATABASE
        OUT = ROOT / "var" / "shots-hostile"
        DATABASE = OUT / "shots.sqlite3"
    OUT.mkdir(parents=True, exist_ok=True)
    env = _environment()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    world, cookies = world_prepare(hostile=args.hostile)
    with served(env) as base:
        began = time.perf_counter()
        schemes = ("dark", "light") if args.scheme == "both" else (args.scheme,)
        taken = shoot(base, world, cookies, set(args.labels), schemes)
    print(f"{taken} screenshots in {OUT} ({time.perf_counter() - began:.0f}s)")


if __name__ == "__main__":
    main()
