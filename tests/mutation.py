"""Mutation testing (make mutate): which code is mutated, which tests guard it, and the score.

mutmut (configured in pyproject.toml, [tool.mutmut]) mutates the functions named by AREAS, one
small change at a time, and runs the tests that call the changed function; a mutant is killed
when one of them fails. Loaded as a pytest plugin (`-p tests.mutation`), this module keeps each
mutant's run to its area's test files: the sanitizer runs on every story save, so without it
each of its mutants would run some 500 tests that never look at the cleaned HTML.

    python -m tests.mutation run      # mutmut on every area's functions, then the report
    python -m tests.mutation run sanitizer   # only the areas whose name says so
    python -m tests.mutation report   # the score per area and the mutants not killed

mutmut mutates only undecorated functions and methods: module constants (the sanitizer's
allowlist sets), properties (Article.is_public) and decorated views (the editor upload) are out
of its reach; tests/test_mutants_*.py check those directly.
"""

import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# Area: (mutant name patterns, the test files that guard them).
AREAS = {
    "Story visibility and related stories (articles/models.py)": (
        [
            "articles.models.x_public_q__mutmut_*",
            "articles.models.xǁArticleQuerySetǁ*",
            "articles.models.x__union_of_ids__mutmut_*",
        ],
        [
            "tests/test_visibility.py",
            "tests/test_related.py",
            "tests/test_listing_order.py",
            "tests/test_story_state.py",
            "tests/test_models.py",
            "tests/test_queries.py",
            "tests/test_pages.py",
            "tests/test_feeds.py",
            "tests/test_sitemaps.py",
            "tests/test_redirects.py",
            "tests/test_renames.py",
            "tests/test_workflow.py",
            "tests/test_mutants_visibility.py",
        ],
    ),
    "Sanitizer allowlist (articles/sanitize.py)": (
        ["articles.sanitize.*"],
        ["tests/test_sanitize.py", "tests/test_mutants_sanitize.py"],
    ),
    "Image upload checks (articles/images.py, articles/uploads.py)": (
        [
            "articles.images.x_prepare_upload__mutmut_*",
            "articles.images.x__open__mutmut_*",
            "articles.images.x__refuse*",
            "articles.images.xǁImageUploadFieldǁ*",
            "articles.uploads.*",
        ],
        ["tests/test_images.py", "tests/test_mutants_uploads.py"],
    ),
    "Newsletter address checks (newsletter/validation.py)": (
        ["newsletter.validation.*"],
        ["tests/test_newsletter.py", "tests/test_newsletter_admin.py", "tests/test_mutants_newsletter.py"],
    ),
    "Newsletter signup service (newsletter/services.py)": (
        [
            "newsletter.services.x_subscribe__mutmut_*",
            "newsletter.services.x__send_on_commit__mutmut_*",
            "newsletter.services.x_confirm__mutmut_*",
            "newsletter.services.x_unsubscribe__mutmut_*",
        ],
        ["tests/test_newsletter.py", "tests/test_newsletter_admin.py", "tests/test_mutants_newsletter.py"],
    ),
    "Publishing permissions (articles/admin.py, forms.py, models.py)": (
        [
            "articles.models.xǁArticleǁcan_be_changed_by__mutmut_*",
            "articles.admin.x_is_editor__mutmut_*",
            "articles.admin.xǁCorrectionInlineǁ*",
            "articles.admin.xǁArticleAdminǁhas_*",
            "articles.admin.xǁArticleAdminǁget_fieldsets__mutmut_*",
            "articles.admin.xǁArticleAdminǁget_form__mutmut_*",
            "articles.admin.xǁArticleAdminǁ_move__mutmut_*",
            "articles.admin.xǁTagAdminǁhas_change_permission__mutmut_*",
            "articles.admin.xǁImageAdminǁhas_change_permission__mutmut_*",
            "articles.forms.xǁArticleAdminFormǁ__init____mutmut_*",
            "articles.forms.xǁArticleAdminFormǁclean__mutmut_*",
        ],
        [
            "tests/test_admin.py",
            "tests/test_ownership.py",
            "tests/test_workflow.py",
            "tests/test_corrections.py",
            "tests/test_stale_save.py",
            "tests/test_mutants_permissions.py",
        ],
    ),
}

# mutmut's exit codes (mutmut/stats.py): 1 and 3 mean a test failed, so the mutant is killed; a
# mutant that makes its tests run past mutmut's time limit (an endless loop, say) is caught too.
FAILED_TEST = {1, 3}
TIMEOUT = {36, 24, -24, 152, 255}
KILLED = FAILED_TEST | TIMEOUT
LABELS = {0: "survived", 5: "no test", 33: "no test", None: "not run"}
MUTANTS = Path("mutants")


def area_of(mutant_name):
    for area, (patterns, _tests) in AREAS.items():
        if any(fnmatch.fnmatchcase(mutant_name, pattern) for pattern in patterns):
            return area
    return None


def all_test_files():
    return sorted({test for _patterns, tests in AREAS.values() for test in tests})


# --- pytest plugin: run a mutant only against its area's tests ---


def pytest_collection_modifyitems(config, items):
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" in mutant:
        area = area_of(mutant)
        wanted = set(AREAS[area][1]) if area else set()
    elif mutant in {"stats", "fail", "list_all_tests"}:
        wanted = set(all_test_files())  # learn which of these tests call which function
    else:
        return
    keep = [item for item in items if item.nodeid.split("::")[0] in wanted]
    dropped = [item for item in items if item.nodeid.split("::")[0] not in wanted]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


# --- command line ---


def run(only=""):
    """mutmut over every area, from scratch; or over the areas whose name contains `only`, keeping
    the other areas' last results. A few cores' worth of workers. Then the report."""
    areas = [area for area in AREAS if only.lower() in area.lower()]
    if not areas:
        sys.exit(f"No area's name contains {only!r}.")
    if not only:
        shutil.rmtree(MUTANTS, ignore_errors=True)
    patterns = [pattern for area in areas for pattern in AREAS[area][0]]
    workers = os.environ.get("MUTATE_WORKERS", str(os.cpu_count() or 2))
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", workers, *patterns], check=True)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(f"\nmutmut ran for {minutes} min {seconds} s with {workers} workers.\n")
    return report()


def report():
    results = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        results.update(json.loads(meta.read_text())["exit_code_by_key"])
    if not results:
        sys.exit("No results in mutants/: run `make mutate` first.")
    failed = False
    survivors = []
    print(f"{'Area':<66} {'killed':>7} {'total':>6} {'score':>6}  (killed: a test failed or timed out)")
    for area, (patterns, _tests) in AREAS.items():
        codes = {name: code for name, code in results.items() if area_of(name) == area}
        killed = sum(code in KILLED for code in codes.values())
        timeouts = sum(code in TIMEOUT for code in codes.values())
        unmatched = [p for p in patterns if not any(fnmatch.fnmatchcase(n, p) for n in codes)]
        score = 100 * killed / len(codes) if codes else 0
        failed |= score < 90
        print(
            f"{area:<66} {killed:>7} {len(codes):>6} {score:>5.1f}%"
            + (f"  ({timeouts} timed out)" if timeouts else "")
        )
        for pattern in unmatched:
            print(f"    (no mutant matches {pattern}: renamed or moved?)")
        survivors += [(name, code) for name, code in sorted(codes.items()) if code not in KILLED]
    if survivors:
        print("\nNot killed (see one with: .venv/bin/mutmut show NAME):")
        for name, code in survivors:
            print(f"    {name}: {LABELS.get(code, f'exit code {code}')}")
    print("\nTarget: 90 % killed in each area; README.md lists the equivalent mutants.")
    return failed


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "report"
    sys.exit(run(" ".join(sys.argv[2:])) if command == "run" else report())
