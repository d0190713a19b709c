"""Malformed requests reaching gunicorn (DEBUG off): the site's 400 page and one log line.

Before: a POST declaring charset=latin-1 escaped Django's error handling (gunicorn's bare
"Internal Server Error", about 2,000 log lines for one request).
"""

import urllib.request

import pytest

from tests.faults.conftest import get


@pytest.fixture
def served(site_factory, tmp_path):
    site = site_factory(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    site.manage("migrate", "--noinput")
    site.start()
    return site


def test_latin1_form_and_nul_bytes_get_the_400_page(served):
    before = len(served.log_text().splitlines())
    request = urllib.request.Request(
        served.url + "/admin/login/",
        data="username=j\xe9r\xf4me".encode("latin-1"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=latin-1",
            "Cookie": "csrftoken=" + "a" * 32,
        },
    )
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("expected a 400")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert "This request could not be understood" in error.read().decode()
    status, _, body, _ = get(served.url + "/search/?q=%00")
    assert status == 400 and "This request could not be understood" in body

    lines = served.log_text().splitlines()[before:]
    # Per request: our one warning and gunicorn's access line.
    assert len(lines) <= 4, lines
    assert "Traceback" not in served.log_text()
