"""The notice pack: Word (python-docx and LibreOffice), PDF, WeChat PNG, A3 poster, greyscale, no personal data."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import matplotlib.axes
import numpy as np
import pytest
from PIL import Image

from cogov_toolkit.core.notice import Notice
from cogov_toolkit.core.privacy import PublicationGate
from cogov_toolkit.errors import NoticeError
from cogov_toolkit.render.notice_pack import (
    ALL_FORMATS,
    NoticeFormat,
    NoticePack,
    format_date,
    notice_parts,
    write_notice_pack,
)
from cogov_toolkit.render.print_map import PrintOptions
from cogov_toolkit.storage import Workspace, open_workspace
from cogov_toolkit.workflows.maps import export_print
from cogov_toolkit.workflows.privacy import publication_gate
from tests.render.conftest import pdf_font_problems
from tests.workflows.notice_workspace import (
    CANARY_REPORTER,
    CANARY_RESIDENT_PHONE,
    OFFICE,
    REPLY,
    build_notice_workspace,
    docx_text,
    leaked,
    pdf_text,
    roster_notice,
    triage_notice,
)

#: a gate that knows no private string: only the number, room and household patterns apply
OPEN_GATE = PublicationGate()


@pytest.fixture(name="prepared", scope="module")
def fixture_prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Notice, tuple[str, ...]]]:
    """The prepared workspace, its March replies notice with a real map of the sample, and the forbidden strings."""
    folder = tmp_path_factory.mktemp("notice_ws")
    ws = open_workspace(build_notice_workspace(folder / "幸福社区.gpkg"), backups=0)
    map_png = export_print(ws, folder / "map.png", PrintOptions(dpi=60))
    notice = dataclasses.replace(triage_notice(ws), map_image=str(map_png))
    yield ws, notice, publication_gate(ws)
    ws.close()


@pytest.fixture(name="pack", scope="module")
def fixture_pack(prepared, tmp_path_factory: pytest.TempPathFactory) -> NoticePack:
    _, notice, forbidden = prepared
    return write_notice_pack(notice, tmp_path_factory.mktemp("pack"), gate=forbidden)


@pytest.fixture(name="grey_pack", scope="module")
def fixture_grey_pack(prepared, tmp_path_factory: pytest.TempPathFactory) -> NoticePack:
    _, notice, forbidden = prepared
    return write_notice_pack(notice, tmp_path_factory.mktemp("grey"), greyscale=True, gate=forbidden)


def expected_texts(notice: Notice) -> list[str]:
    """Every part of the notice as it must be found in a file (table cells included)."""
    return [
        notice.title,
        notice.basis,
        notice.matter,
        *notice.table.columns,
        "D002",
        "19栋",
        REPLY,
        format_date(notice.start_on),
        format_date(notice.end_on),
        "来信",
        "来电",
        "来访",
        notice.objection_address,
        notice.contact,
        notice.office_phone,
        notice.issuer,
        format_date(notice.issued_on),
    ]


def squeeze(text: str) -> str:
    """Text without white space: PDFs break lines and table cells wherever the layout wraps them."""
    return "".join(text.split())


def test_the_pack_has_every_format_named_after_the_title(pack: NoticePack, prepared) -> None:
    assert [p.name for p in pack.files] == [
        "幸福社区居民诉求办理答复情况公示.docx",
        "幸福社区居民诉求办理答复情况公示.pdf",
        "幸福社区居民诉求办理答复情况公示_微信.png",
        "幸福社区居民诉求办理答复情况公示_A3海报.pdf",
    ]
    assert all(p.stat().st_size > 1000 for p in pack.files)
    assert pack[NoticeFormat.DOCX] == pack.files[0] and pack.notice_id == prepared[1].notice_id


def test_docx_holds_every_part_in_real_word_structure(pack: NoticePack, prepared) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    notice = prepared[1]
    document = docx.Document(str(pack[NoticeFormat.DOCX]))
    text = docx_text(pack[NoticeFormat.DOCX])
    for expected in expected_texts(notice):
        assert expected in text, expected
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == notice.title
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == list(notice.table.columns)
    assert len(table.rows) == len(notice.table.rows) + 1
    assert len(document.inline_shapes) == 1  # the map
    signature = [p for p in document.paragraphs if p.text in (notice.issuer, format_date(notice.issued_on))]
    assert len(signature) == 2 and all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in signature)
    assert signature[0].paragraph_format.space_before.cm >= 2.5  # room for the stamp
    east_asian = {f.get(qn("w:eastAsia")) for f in document.element.body.iter(qn("w:rFonts"))}
    assert east_asian == {"SimSun", "SimHei"}  # every run names a Chinese font for WPS


def test_libreoffice_converts_the_docx_to_pdf(pack: NoticePack, prepared, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: apt-get install -y libreoffice-writer-nogui (CI installs it)")
    profile = tmp_path / "lo-profile"
    # a profile of its own: a planner's open LibreOffice (or a parallel test) does not block the conversion
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(pack[NoticeFormat.DOCX])], check=True, timeout=180)
    converted = tmp_path / pack[NoticeFormat.DOCX].with_suffix(".pdf").name
    text = squeeze(pdf_text(converted))
    assert squeeze(prepared[1].title) in text
    assert squeeze(prepared[1].issuer) in text and REPLY in text


def test_pdf_embeds_a_chinese_font_and_holds_every_part(pack: NoticePack, prepared) -> None:
    fonts = subprocess.run(["pdffonts", str(pack[NoticeFormat.PDF])], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line or "SC-" in line or "Hei" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    for fmt in (NoticeFormat.PDF, NoticeFormat.POSTER_PDF):
        assert pdf_font_problems(pack[fmt]) == []  # the one font rule: no Type 3, all embedded, no warning
        text = squeeze(pdf_text(pack[fmt]))
        missing = [e for e in expected_texts(prepared[1]) if squeeze(e) not in text]
        assert missing == [], (fmt, missing)


def test_wechat_png_is_1080_px_wide(pack: NoticePack) -> None:
    with Image.open(pack[NoticeFormat.WECHAT_PNG]) as image:
        assert image.width == 1080 and image.height > 1080


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def test_poster_is_one_a3_portrait_sheet(pack: NoticePack) -> None:
    info = pdf_info(pack[NoticeFormat.POSTER_PDF])
    assert "841.89 x 1190.55 pts (A3)" in info
    assert "Pages:           1\n" in info  # the sample's replies and map fit one sheet of the board
    assert "x 841.89 pts (A4)" in pdf_info(pack[NoticeFormat.PDF])


def test_a_long_table_continues_on_more_pages_with_its_header_repeated(prepared, tmp_path: Path) -> None:
    notice = prepared[1]
    rows = tuple((f"D{i:03d}", "设施维修", "19栋", REPLY, "已答复") for i in range(1, 121))
    long = dataclasses.replace(notice, table=dataclasses.replace(notice.table, rows=rows), map_image=None)
    pack = write_notice_pack(long, tmp_path, formats=[NoticeFormat.PDF, NoticeFormat.POSTER_PDF], gate=OPEN_GATE)
    for fmt in (NoticeFormat.PDF, NoticeFormat.POSTER_PDF):
        pages = pdf_text(pack[fmt]).split("\f")[:-1]
        assert len(pages) > 1, fmt
        assert all("诉求编号" in page for page in pages), fmt  # the header on every page
        assert "D120" in pages[-1] and f"共{len(pages)}页" in squeeze(pages[-1])


def colour_pixels(image: Image.Image) -> int:
    """Pixels whose red, green and blue differ: none in a greyscale picture."""
    rgb = np.asarray(image.convert("RGB")).astype(int)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return int((spread > 8).sum())


def rendered_pages(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / pdf.stem)], check=True)
    return sorted(folder.glob(f"{pdf.stem}*.png"))


def test_greyscale_pack_has_no_colour_and_the_colour_pack_has(
    pack: NoticePack, grey_pack: NoticePack, tmp_path: Path
) -> None:
    def colour(path: Path) -> int:
        pages = [path] if path.suffix == ".png" else rendered_pages(path, tmp_path)
        total = 0
        for page in pages:
            with Image.open(page) as image:
                total += colour_pixels(image)
        return total

    assert all(
        p.name.endswith(("_黑白.docx", "_黑白.pdf", "_黑白_微信.png", "_黑白_A3海报.pdf")) for p in grey_pack.files
    )
    for fmt in (NoticeFormat.PDF, NoticeFormat.WECHAT_PNG, NoticeFormat.POSTER_PDF):
        assert colour(grey_pack[fmt]) == 0, fmt
        assert colour(pack[fmt]) > 100, fmt  # the check sees colour where there is some
    import docx
    from docx.oxml.ns import qn

    grey_doc = docx.Document(str(grey_pack[NoticeFormat.DOCX]))
    fills = {e.get(qn("w:fill")) for e in grey_doc.element.body.iter(qn("w:shd"))}
    colours = {e.get(qn("w:val")) for e in grey_doc.element.body.iter(qn("w:color"))}
    assert fills == {"E6E6E6"} and colours <= {"000000"}
    with Image.open(_image_part(grey_doc)) as picture:  # the map, turned grey
        assert colour_pixels(picture) == 0


def _image_part(document) -> object:
    import io

    (part,) = [p for p in document.part.package.parts if p.content_type == "image/png"]
    return io.BytesIO(part.blob)


def drawn_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every string drawn by matplotlib (the PNG has no text layer to search)."""
    seen: list[str] = []
    original = matplotlib.axes.Axes.text

    def recording(self, x, y, s, *args, **kwargs):
        seen.append(str(s))
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "text", recording)
    return seen


def all_output_text(pack: NoticePack, drawn: list[str]) -> dict[str, str]:
    return {
        "docx": docx_text(pack[NoticeFormat.DOCX]),
        "pdf": pdf_text(pack[NoticeFormat.PDF]),
        "poster": pdf_text(pack[NoticeFormat.POSTER_PDF]),
        "png": "\n".join(drawn),
    }


def test_no_canary_reaches_any_format_of_the_replies_and_roster_notices(
    prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, notice, forbidden = prepared
    drawn = drawn_texts(monkeypatch)
    for name, each in (("replies", notice), ("roster", roster_notice(ws))):
        drawn.clear()
        pack = write_notice_pack(each, tmp_path / name, gate=forbidden)
        texts = all_output_text(pack, drawn)
        assert "幸福社区" in texts["png"]  # the recorder did see the image's text
        assert {fmt: leaked(text) for fmt, text in texts.items()} == dict.fromkeys(texts, [])


def test_the_canary_search_finds_one_planted_in_the_matter(prepared, tmp_path: Path, monkeypatch) -> None:
    ws, notice, forbidden = prepared
    drawn = drawn_texts(monkeypatch)
    leaky = dataclasses.replace(notice, matter=f"{notice.matter}（反映人：{CANARY_REPORTER}）", map_image=None)
    # written without the private names to compare against, it goes through: every search catches it
    pack = write_notice_pack(leaky, tmp_path / "leak", formats=ALL_FORMATS, gate=OPEN_GATE)
    texts = all_output_text(pack, drawn)
    assert {fmt: leaked(text) for fmt, text in texts.items()} == dict.fromkeys(texts, [CANARY_REPORTER])
    # with the private names, as the builders and the review widget pass them, it is refused
    with pytest.raises(NoticeError) as error:
        write_notice_pack(leaky, tmp_path / "refused", gate=forbidden)
    assert error.value.problems[0].reason == "privacy.leak_private"
    assert not (tmp_path / "refused").exists()


def test_a_phone_in_the_notice_is_refused_with_every_problem_listed(prepared, tmp_path: Path) -> None:
    notice = prepared[1]
    bad = dataclasses.replace(notice, matter=f"联系 {CANARY_RESIDENT_PHONE}", contact="", end_on=notice.start_on)
    with pytest.raises(NoticeError) as error:
        write_notice_pack(bad, tmp_path / "bad", gate=OPEN_GATE)
    reasons = sorted(p.reason for p in error.value.problems)
    assert reasons == ["notice.part_missing", "notice.period_too_short", "privacy.leak_number"]
    assert "公示" in error.value.message() and CANARY_RESIDENT_PHONE not in error.value.message()
    assert not (tmp_path / "bad").exists()


def test_unknown_format_is_refused(prepared, tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="不认识的公示文件格式"):
        write_notice_pack(prepared[1], tmp_path, formats=["docx", "jpeg"], gate=prepared[2])


def test_parts_are_in_print_order_with_labels(prepared) -> None:
    notice = prepared[1]
    texts = [p.text for p in notice_parts(notice)]
    assert texts[0] == f"依据：{notice.basis}"
    assert texts[1].startswith("公示事项：")
    assert texts[2] == "公示时间：2026年4月1日至2026年4月7日（共 7 天）"
    assert "来信、来电、来访" in texts[3] and notice.objection_address in texts[3]
    assert texts[-4:] == [
        f"联系人：{OFFICE['contact']}",
        f"联系电话：{OFFICE['office_phone']}",
        OFFICE["issuer"],
        "2026年4月1日",
    ]


def test_no_notice_is_written_without_the_gate(prepared, tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_notice_pack(prepared[1], tmp_path / "ungated")  # type: ignore[call-arg]
    assert not (tmp_path / "ungated").exists()


def test_a_control_character_in_a_reply_does_not_break_the_word_file(prepared, tmp_path: Path) -> None:
    notice = prepared[1]
    table = notice.table
    rows = (("D999", "设施维修", "5栋", "已修好\x00\x07\x1b门禁\x0b", "已答复"), *table.rows)
    odd = dataclasses.replace(notice, title="门禁\x08维修公示", table=dataclasses.replace(table, rows=rows))
    pack = write_notice_pack(odd, tmp_path, formats=[NoticeFormat.DOCX], gate=prepared[2])
    text = docx_text(pack[NoticeFormat.DOCX])
    assert "已修好门禁" in text and "门禁维修公示" in text
