"""The browser the portal's browser tests drive (test_navegador.py, test_recorridos.py)."""

import os
import shutil

import pytest

ARGUMENTOS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def navegador():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    assert os.path.exists(chromium), "scripts/test.sh instala chromium (paquete de Debian)"
    # Playwright's sync API runs an event loop in this thread; the ORM work of these tests
    # happens before and after the browser session, never during.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGUMENTOS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
