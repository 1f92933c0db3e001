"""`gxgk deadlines`: what is due, most urgent first, from real files and a real Git history."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from conftest import CODE, SiteDir, run_gxgk
from test_git_dates import commit_all, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TODAY = "2025-04-02"  # 2025-04-04 is 清明 (a Friday off)

LEDGER = """\
- {id: A1, received: 2025-03-05, applicant: 自然人, name: 金丝雀}
- {id: A2, received: 2025-02-20, applicant: 商业企业}
- {id: A3, received: 2025-03-10, applicant: 自然人, correction_requested: 2025-03-11}
- {id: A4, received: 2025-03-03, applicant: 自然人, correction_requested: 2025-03-05,
   correction_received: 2025-03-17}
- {id: A5, received: 2025-03-03, applicant: 自然人, decided: 2025-03-20, outcome: 予以公开}
"""


def number(serial: int) -> str:
    return f"{CODE}/2025-{serial:05d}"


@pytest.fixture
def due_site(site: SiteDir) -> SiteDir:
    git(site.root, "init", "-q", "-b", "main")
    # committed on 2025-03-12: a draft (never on the site), and an item published in January
    site.item("c-draft", published=None, draft=True, formed=dt.date(2025, 3, 10),
              index_no=number(3), title="草稿通知")
    site.item("f-changed", published=dt.date(2025, 1, 10), formed=dt.date(2025, 1, 6),
              index_no=number(6), title="已变更的通知")
    commit_all(site.root, "2025-03-12")
    # published by its first commit (no published date): not listed
    site.item("a-committed", published=None, index_no=number(1), title="已提交的通知")
    commit_all(site.root, "2025-03-20")
    # changed on 2025-03-17, with no commit since: the change is not published yet
    site.item("f-changed", published=dt.date(2025, 1, 10), formed=dt.date(2025, 1, 6),
              changed=dt.date(2025, 3, 17), index_no=number(6), title="已变更的通知")
    # not committed: pending, with a tier and the secrecy review missing
    site.item("b-pending", published=None, index_no=number(2), title="待发布的通知",
              reviewers={"first": {"name": "王一", "date": dt.date(2025, 3, 4)},
                         "final": {"name": "赵三", "date": dt.date(2025, 3, 6)}},
              secrecy_review=None)
    site.item("d-explicit", index_no=number(4), title="已发布的通知")  # published 2025-03-10
    site.item("e-request", published=None, attribute="依申请公开", exempt_ground="过程性信息",
              index_no=number(5), title="依申请公开的文件")
    site.write("data/requests/ledger.yaml", LEDGER)
    return site


def due_json(site: SiteDir, today: str = TODAY) -> dict:
    result = run_gxgk("deadlines", str(site.root), "--today", today, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_most_urgent_first_overdue_first_paused_last(due_site: SiteDir) -> None:
    document = due_json(due_site)
    assert [(e["kind"], e["what"], e["deadline"], e["working_days_left"], e["status"])
            for e in document["due"]] == [
        ("application", "A2", "2025-03-20", -9, "overdue"),
        ("item", "待发布的通知", "2025-03-31", -2, "overdue"),
        ("application", "A1", "2025-04-02", 0, "due"),
        ("item", "草稿通知", "2025-04-08", 3, "due"),  # 04-03, 04-07, 04-08: 清明 off
        ("application", "A4", "2025-04-15", 8, "due"),  # 20 days from the corrected one
        ("item", "已变更的通知", "2025-04-15", 8, "due"),
        ("application", "A3", None, None, "paused"),
    ]


def test_what_is_published_is_not_listed(due_site: SiteDir) -> None:
    listed = {e["path"] for e in due_json(due_site)["due"]}
    # a first commit, an explicit date, a 依申请公开 item, a decided application
    assert "content/a-committed.md" not in listed
    assert "content/d-explicit.md" not in listed
    assert "content/e-request.md" not in listed
    assert "A5" not in {e["what"] for e in due_json(due_site)["due"]}


def test_json_shape(due_site: SiteDir) -> None:
    document = due_json(due_site)
    assert list(document) == ["version", "today", "summary", "due"]
    assert document["version"] == 1 and document["today"] == TODAY
    assert document["summary"] == {"total": 7, "overdue": 2, "paused": 1, "undated": 0,
                                   "items": 3, "drafts": 1, "applications": 4}
    entries = {e["what"]: e for e in document["due"]}
    assert entries["待发布的通知"] == {
        "kind": "item", "what": "待发布的通知", "index_no": number(2),
        "path": "content/b-pending.md", "line": 5, "draft": False, "status": "overdue",
        "since": "2025-03-03", "since_what": "formed", "deadline": "2025-03-31",
        "working_days_left": -2, "missing": ["复审", "保密审查"], "correction_requested": None,
        "window": {"days": 20, "unit": "working", "from": "formed", "named": None},
    }
    assert entries["草稿通知"]["draft"] is True and entries["草稿通知"]["missing"] == []
    assert (entries["已变更的通知"]["since"], entries["已变更的通知"]["since_what"]) == \
        ("2025-03-17", "changed")
    assert entries["A4"] == {
        "kind": "application", "what": "A4", "index_no": None,
        "path": "data/requests/ledger.yaml", "line": 4, "draft": False, "status": "due",
        "since": "2025-03-17", "since_what": "corrected", "deadline": "2025-04-15",
        "working_days_left": 8, "missing": [], "correction_requested": "2025-03-05",
        "window": None,
    }
    assert entries["A3"]["deadline"] is None and entries["A3"]["since"] == "2025-03-10"
    assert entries["A3"]["correction_requested"] == "2025-03-11"


def test_text_one_line_per_entry_with_overdue_marked(due_site: SiteDir) -> None:
    result = run_gxgk("deadlines", str(due_site.root), "--today", TODAY)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("OVERDUE by 9 working day(s), due 2025-03-20: application A2 ")
    assert lines[1] == ("OVERDUE by 2 working day(s), due 2025-03-31: item 待发布的通知 "
                        "(formed 2025-03-03; missing 复审, 保密审查) content/b-pending.md:5")
    assert lines[2].startswith("due TODAY, 2025-04-02: application A1 (received 2025-03-05)")
    assert lines[3].startswith("due 2025-04-08, 3 working day(s) left: item 草稿通知 [DRAFT] ")
    assert "(changed 2025-03-17)" in lines[5]
    assert lines[6].startswith("PAUSED: application A3 (received 2025-03-10; waiting for the "
                               "applicant's correction (asked for on 2025-03-11))")
    assert lines[7] == ("7 due as of 2025-04-02: 2 overdue, 1 paused; 3 item(s) (1 draft(s)), "
                        "4 application(s)")
    assert "金丝雀" not in result.stdout  # no personal data from the ledger


def test_committing_publishes_and_a_draft_stays_listed(due_site: SiteDir) -> None:
    commit_all(due_site.root, "2025-03-28")
    listed = [e["what"] for e in due_json(due_site)["due"] if e["kind"] == "item"]
    # b is published by the commit, the change of f too; the committed draft is still not
    # on the site
    assert listed == ["草稿通知"]


def test_nothing_due_and_unreadable_files(site: SiteDir) -> None:
    site.item("a")
    result = run_gxgk("deadlines", str(site.root), "--today", TODAY)
    assert result.stdout == f"nothing due as of {TODAY}\n"
    site.write("content/broken.md", "---\ntitle: [\n---\n")
    result = run_gxgk("deadlines", str(site.root), "--today", TODAY)
    assert result.returncode == 0
    assert "content/broken.md" in result.stderr and "not listed" in result.stderr
