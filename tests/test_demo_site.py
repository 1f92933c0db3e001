"""The demo site at the repository root is realistic and passes `gxgk check` out of the box."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_gxgk

from gxgk_site.loader import load_site
from gxgk_site.model import Attribute

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("day", ["2026-11-21", "2027-02-01", "2029-12-31"])
def test_demo_passes_check_on_any_day_to_come(day: str) -> None:
    """README's first command builds the demo on the day it is run: it never has an error then
    (a column going stale, a report coming due are warnings)."""
    result = run_gxgk("check", "--today", day, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 error(s)" in result.stdout


def test_demo_passes_check_as_json_with_no_finding_at_a_fixed_date() -> None:
    result = run_gxgk("check", str(ROOT), "--format", "json", "--today", "2026-11-21")
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] == 0
    assert document["findings"] == []


def test_demo_is_a_realistic_column() -> None:
    loaded = load_site(ROOT, dt.date(2026, 11, 21))
    assert loaded.site is not None and loaded.findings == []
    items = loaded.site.items
    attributes = Counter(item.attribute for item in items)
    assert 38 <= len(items) <= 60
    assert attributes[Attribute.ON_REQUEST] >= 2 and attributes[Attribute.WITHHELD] >= 2
    used = {item.category for item in items}
    assert 8 <= len(used) <= 12
    validities = {item.validity for item in items if item.kind == "规范性文件"}
    assert {"有效", "废止"} <= validities
    assert any(item.interprets for item in items)
