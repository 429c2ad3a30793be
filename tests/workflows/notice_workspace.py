"""The sample community prepared for the notice tests: replies, adoptions, and planted canaries.

Canaries are personal data put where personal data lives (the private file):
a reporter's name and phone in ``demand_contacts``, a resident in ``people``,
an adopter who did not consent in ``adopter_contacts`` (with the display name
given without consent, which is private too). No notice, roster or
map may ever show them. :func:`leaked` is the search, itself tested on outputs
that hold a canary on purpose.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from pathlib import Path

from cogov_toolkit.demo.sample import build_sample_workspace
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.adoptions import AdopterContact, register_adoption
from cogov_toolkit.workflows.notices import adoption_roster_notice, triage_replies_notice

CANARY_REPORTER = "金丝雀报告人"
CANARY_REPORTER_PHONE = "139-0000-4242"
CANARY_RESIDENT = "金丝雀居民"
CANARY_RESIDENT_PHONE = "137 0000 7777"
CANARY_ADOPTER = "金丝雀认养人"
CANARY_ADOPTER_PHONE = "13600008888"
CANARY_HIDDEN_PUBLIC_NAME = "金丝雀未同意"  # a public name given without consent: never shown
CONSENTED_NAME = "志愿者小杨"  # a public name given with consent: shown
CANARIES = (
    CANARY_REPORTER,
    CANARY_REPORTER_PHONE,
    CANARY_RESIDENT,
    CANARY_RESIDENT_PHONE,
    CANARY_ADOPTER,
    CANARY_ADOPTER_PHONE,
    CANARY_HIDDEN_PUBLIC_NAME,
)
OFFICE = {"contact": "社区居委会 李主任", "office_phone": "027-8765 4321", "issuer": "幸福社区居民委员会"}
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
ROSTER_DAY = dt.date(2026, 5, 1)
REPLY = "已联系物业维修门禁，3月25日修复。"


def build_notice_workspace(path: Path) -> Path:
    """Build the sample at ``path``, reply to some March demands and plant the canaries."""
    build_sample_workspace(path)
    with open_workspace(path, backups=0) as ws:
        demands = ws.records("demands")
        by_id = dict(zip(demands["demand_id"], demands["uuid"], strict=True))
        ws.update("demands", by_id["D002"], {"reply": REPLY, "status": "replied"})
        ws.update("demands", by_id["D001"], {"reply": "闲置地已清理，改为口袋花园。", "status": "resolved"})
        ws.add(
            "demands",
            {
                "demand_id": "D900",
                "reported_on": dt.date(2026, 3, 20),
                "channel": "visit",
                "place_type": "building",
                "place_id": "B05",
                "building_id": "B05",
                "category": "safety",
                "text": "楼道堆放杂物",
                "reply": "已清理楼道杂物。",
                "status": "resolved",
            },
            private={"demand_contacts": {"name": CANARY_REPORTER, "phone": CANARY_REPORTER_PHONE}},
        )
        ws.add_private("people", [{"household_id": "H9999", "name": CANARY_RESIDENT, "phone": CANARY_RESIDENT_PHONE}])
        zones = ws.read_layer("adoption_zones")["zone_id"].tolist()
        # a household that did not consent: shown as building and masked surname
        register_adoption(
            ws,
            adoption_id="AD001",
            zone_id=zones[0],
            adopter_type="household",
            public_name=CANARY_HIDDEN_PUBLIC_NAME,
            start_on=dt.date(2026, 3, 1),
            contact=AdopterContact("H0085", CANARY_ADOPTER, CANARY_ADOPTER_PHONE),
        )
        # a household that consented to its public name (a consent record, purpose adopter_roster)
        register_adoption(
            ws,
            adoption_id="AD002",
            zone_id=zones[1],
            adopter_type="household",
            public_name=CONSENTED_NAME,
            publish_name_consent=True,
            start_on=dt.date(2026, 3, 1),
            contact=AdopterContact("H0002", "杨样样", "100-0000-0099"),
        )
        # a firm, known by its own name
        register_adoption(
            ws,
            adoption_id="AD003",
            zone_id=zones[2],
            adopter_type="enterprise",
            public_name="幸福物业服务公司",
            start_on=dt.date(2026, 4, 1),
        )
    return path


def triage_notice(ws: Workspace):
    """The March replies notice of the prepared workspace."""
    return triage_replies_notice(ws, *MARCH, **OFFICE, objection_address="幸福路 1 号社区服务中心")


def roster_notice(ws: Workspace):
    """The adoption roster notice of the prepared workspace."""
    return adoption_roster_notice(ws, ROSTER_DAY, **OFFICE)


def leaked(text: str, secrets: Iterable[str] = CANARIES) -> list[str]:
    """Return the secrets found in ``text`` (phones also with their separators removed)."""
    squeezed = "".join(text.split()).replace("-", "")
    found = []
    for secret in secrets:
        bare = "".join(secret.split()).replace("-", "")
        if secret in text or bare in squeezed:
            found.append(secret)
    return found


def pdf_text(path: Path) -> str:
    """The text poppler reads out of a PDF."""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a Word file, as python-docx reads them."""
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)
