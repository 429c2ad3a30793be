"""Printable 认养牌: text in the PDF (pdftotext), the public name only, no resident's phone."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.render.adoption_signs import write_adoption_signs
from cogov_toolkit.storage import open_workspace
from cogov_toolkit.workflows import adoptions as register
from cogov_toolkit.workflows.adoptions import write_workspace_signs
from tests.canaries import CANARY_NAME, CANARY_PHONE
from tests.render.conftest import pdf_font_problems

OFFICE_PHONE = "0592-5550000"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_signs_show_the_public_name_term_duties_and_office_phone_only(tmp_path: Path) -> None:
    with open_workspace(build_sample_workspace(tmp_path / "幸福社区.gpkg"), backups=0) as ws:
        contact = register.AdopterContact("H0100", CANARY_NAME, CANARY_PHONE)
        register.register_adoption(
            ws,
            zone_id="A01",
            adopter_type="household",
            start_on=date(2026, 3, 1),
            public_name="王阿姨",
            duties=f"每周浇水，有事打 {CANARY_PHONE}",
            contact=contact,
        )
        register.register_adoption(
            ws,
            zone_id="A02",
            adopter_type="party_member",
            start_on=date(2026, 3, 1),
            public_name="李大姐",
            publish_name_consent=True,
            contact=contact,
        )
        path = write_workspace_signs(
            ws, tmp_path / "认养牌" / "认养牌.pdf", date(2026, 3, 20), office_phone=OFFICE_PHONE
        )
    text = _pdf_text(path)
    assert text.count("认养牌") == 2
    assert "编号 1" in text and "编号 2" in text and "树木认养" in text
    assert "李大姐" in text and "2026-03-01 至 2027-02-28" in text and "每周浇水" in text
    assert OFFICE_PHONE in text
    assert "王阿姨" not in text and CANARY_NAME not in text and CANARY_PHONE not in text
    assert pdf_font_problems(path) == []  # the one font rule: no Type 3, all embedded, no poppler warning


def test_the_pdf_search_sees_a_phone_on_a_sign_that_has_one(tmp_path: Path) -> None:
    sign = register.SignContent(9, "树木认养", "居民家庭", "测试", date(2026, 1, 1), date(2026, 12, 31), CANARY_PHONE)
    path = write_adoption_signs([sign], tmp_path / "control.pdf", community="幸福社区", office_phone=OFFICE_PHONE)
    assert CANARY_PHONE in _pdf_text(path)
