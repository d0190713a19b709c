"""Lighthouse scores of the home and story pages, served as in production (DEBUG off, gunicorn
behind nginx from deploy/, demo content: the same setup as `make smoke`).

    make lighthouse              # or: .venv/bin/python deploy/lighthouse.py [--runs 3]

Lighthouse (npm, installed under var/lighthouse on first use) drives Debian's Chromium with its
mobile preset and simulated throttling. Its performance score depends on how busy the machine
is (it times the page's own work, then multiplies it), so run it on a quiet machine; each page
is measured --runs times and the median of each category is printed. Exits non-zero when a
median is under 100. Not part of CI for that reason.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import smoke

BASE_DIR = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.8.2"
PREFIX = BASE_DIR / "var" / "lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def install():
    stamp = PREFIX / f".lighthouse-{LIGHTHOUSE_VERSION}"
    if not stamp.exists():
        PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(PREFIX),
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
        stamp.touch()


def a_story_path(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/")
    html = connection.getresponse().read().decode()
    return re.search(r'<h3 class="story-card__title"><a href="(/[^"/]+/[^"/]+/)"', html)[1]


def scores(url):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        )
        result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def measure(runs):
    def run(port):
        failed = False
        pages = {"home": "/", "story": a_story_path(port)}
        print(f"{'page':8} " + " ".join(f"{name:>15}" for name in CATEGORIES) + "   runs")
        for page, path in pages.items():
            results = [scores(f"http://127.0.0.1:{port}{path}") for _ in range(runs)]
            medians = {name: statistics.median(r[name] for r in results) for name in CATEGORIES}
            failed |= any(value < 100 for value in medians.values())
            runs_text = "; ".join("/".join(str(r[name]) for name in CATEGORIES) for r in results)
            print(f"{page:8} " + " ".join(f"{medians[name]:>15g}" for name in CATEGORIES) + f"   {runs_text}")
        print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
        return 1 if failed else 0

    return run


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    options = parser.parse_args()
    install()
    sys.exit(smoke.main(run=measure(options.runs)))
