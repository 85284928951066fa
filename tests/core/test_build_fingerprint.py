"""The build fingerprint every key of the ``pages`` cache carries (config.build): a change
to a template, a static file or the code makes new keys, so HTML kept by one deployment
(form fields above all) is never served by the next."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from config.build import build_fingerprint

ROOT = Path(__file__).resolve().parents[2]


def copy_of_the_project(tmp_path):
    for folder in ("templates", "static", "core"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_a_changed_template_static_file_or_module_changes_the_fingerprint(tmp_path):
    base = copy_of_the_project(tmp_path)
    before = build_fingerprint(base)
    assert build_fingerprint(base) == before  # the same files, the same fingerprint
    for changed in ("templates/base.html", "static/css/app.css", "core/text.py"):
        path = base / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert build_fingerprint(base) != before, changed
        path.write_bytes(original)
    (base / "core" / "notes.txt").write_text("not code")  # not a file that draws a page
    assert build_fingerprint(base) == before


def test_the_pages_cache_keys_carry_the_build():
    fingerprint = build_fingerprint(Path(settings.BASE_DIR))
    assert caches["pages"].make_key("x").startswith(f"build-{fingerprint}:")
