"""The vote desk of notebook 02: every step of a resident vote as a form, on the planner's own community.

Choose a vote or create one (question, options, rule, electorate, scope, dates,
publicity period); record its 四议两公开 steps; type paper ballots; paste a
WeChat 接龙 and confirm; upload a ballot file; count and recount with a button;
build the decision notice from the community's settings and review it before
the files are written. Each panel follows the vote chosen at the top. Every
callback is guarded: whatever goes wrong is said in Chinese, in red, in the form.

The desk takes the notebook's :class:`~cogov_toolkit.widgets.workshop.Workshop`
(the open community, the date the forms use, the output folder, the settings).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.widgets.feedback import BUTTON, guarded, message_html, say
from cogov_toolkit.workflows import selections
from cogov_toolkit.workflows import votes as flow
from cogov_toolkit.workflows.overview import ENUMS

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace
    from cogov_toolkit.widgets.workshop import Workshop

_STYLE = {"description_width": "7em"}
_WIDE = {"width": "36em"}
DEFAULT_DAYS_OPEN = 13
UPLOAD_FOLDER = "导入的文件"


def vote_choices(ws: Workspace) -> list[tuple[str, str]]:
    """Return (label, vote id) of the stored votes, newest last: the question, not the code, comes first."""
    frame = ws.records("votes")
    return [
        (f"{q}（{i18n.label('vote_status', s)} · {v}）" if isinstance(s, str) and s else f"{q}（{v}）", str(v))
        for v, q, s in zip(frame["vote_id"], frame["question"], frame["status"], strict=True)
    ]


def next_vote_id(ws: Workspace) -> str:
    """Return the next free vote id (V01, V02 …)."""
    used = set(ws.records("votes")["vote_id"].astype(str))
    number = 1
    while f"V{number:02d}" in used:
        number += 1
    return f"V{number:02d}"


def scope_choices(ws: Workspace, scope_type: str) -> list[tuple[str, str]]:
    """Return (name people say, id) of the places a vote of ``scope_type`` can be for: 小区, 楼栋 or 单元."""
    if scope_type == "neighbourhood":
        layer = ws.read_layer("neighbourhoods")
        return [(str(n), str(i)) for n, i in zip(layer["name"], layer["neighbourhood_id"], strict=True)]
    buildings = ws.read_layer("buildings")
    labels = dict(zip(buildings["building_id"].astype(str), buildings["label"].astype(str), strict=True))
    if scope_type == "building":
        return [(label, bid) for bid, label in labels.items()]
    if scope_type == "unit":
        households = ws.records("households")
        pairs = sorted({(str(b), int(u)) for b, u in zip(households["building_id"], households["unit"], strict=True)})
        return [(f"{labels.get(b, b)}{u}单元", f"{b}-{u}") for b, u in pairs]
    return []


class VoteCreator:
    """The form that creates a vote. Attributes: the fields, ``create_button``, ``message``; ``created`` ids."""

    def __init__(self, desk: VoteDesk) -> None:
        import ipywidgets as widgets

        self.desk = desk
        ws = desk.ws
        self.created: list[str] = []
        self.question = widgets.Text(description=i18n.t("vote_desk.question"), style=_STYLE, layout=_WIDE)
        self.options = widgets.Textarea(
            description=i18n.t("vote_desk.options"),
            placeholder=i18n.t("vote_desk.options_hint"),
            style=_STYLE,
            layout={**_WIDE, "height": "6em"},
        )
        self.rule = widgets.Dropdown(
            options=[(i18n.label("vote_rule", r), r) for r in ENUMS["vote_rule"]],
            value="plurality",
            description=i18n.t("vote_desk.rule"),
            style=_STYLE,
            layout=_WIDE,
        )
        self.electorate = widgets.Dropdown(
            options=[(i18n.label("electorate", e), e) for e in ENUMS["electorate"]],
            value="households",
            description=i18n.t("vote_desk.electorate"),
            style=_STYLE,
            layout=_WIDE,
        )
        self.scope_type = widgets.Dropdown(
            options=[(i18n.label("scope_type", s), s) for s in ENUMS["scope_type"]],
            value="community",
            description=i18n.t("vote_desk.scope_type"),
            style=_STYLE,
        )
        self.scope = widgets.Dropdown(options=[], description=i18n.t("vote_desk.scope"), style=_STYLE, layout=_WIDE)
        self.scope.layout.display = "none"
        self.opens_on = widgets.DatePicker(value=desk.today, description=i18n.t("vote_desk.opens_on"), style=_STYLE)
        self.closes_on = widgets.DatePicker(
            value=desk.today + dt.timedelta(days=DEFAULT_DAYS_OPEN), description=i18n.t("vote_desk.closes_on"),
            style=_STYLE,
        )  # fmt: skip
        self.publicity_days = widgets.BoundedIntText(
            value=7, min=7, max=60, description=i18n.t("vote_desk.publicity_days"), style=_STYLE
        )
        self._selection_fields()
        self.create_button = widgets.Button(
            description=i18n.t("vote_desk.create"), button_style="primary", layout=BUTTON
        )
        self.create_button.add_class("cogov-vote-create")
        self.message = widgets.HTML()
        self.scope_type.observe(lambda _: self._fill_scopes(ws), names="value")
        self.create_button.on_click(lambda _: self.create())
        self.widget = widgets.VBox(
            [
                self.question, self.rule, self.options, self.selection_box, self.budget_box, self.electorate,
                widgets.HBox([self.scope_type, self.scope]), widgets.HBox([self.opens_on, self.closes_on]),
                self.publicity_days, self.hide_running, self.precedence_box, self.create_button, self.message,
            ]
        )  # fmt: skip
        self.widget.add_class("cogov-vote-creator")
        self.rule.observe(lambda _: self._rule_changed(), names="value")
        self._rule_changed()

    def _selection_fields(self) -> None:
        """The fields of a selection (seats, quota, consent) and of a budget (money, ballot, points)."""
        import ipywidgets as widgets

        wide = {"description_width": "12em"}
        self.seats = widgets.BoundedIntText(value=5, min=1, max=99, description=i18n.t("selection.seats"), style=wide)
        self.quota = widgets.BoundedIntText(value=0, min=0, max=9, description=i18n.t("selection.quota"), style=wide)
        self.quota_hint = widgets.HTML(f"<small>{html_text(i18n.t('selection.quota_hint'))}</small>")
        self.consent = widgets.Checkbox(value=False, description=i18n.t("selection.consent"), indent=False,
                                        layout=_WIDE)  # fmt: skip
        self.selection_box = widgets.VBox([self.seats, self.quota, self.quota_hint, self.consent])
        self.budget = widgets.BoundedIntText(
            value=50_000, min=0, max=100_000_000, description=i18n.t("selection.budget"), style=wide
        )
        self.ballot_kind = widgets.Dropdown(
            options=[(i18n.t(f"selection.kind.{k.value}"), k.value) for k in selections.BUDGET_KINDS],
            value="approval", description=i18n.t("selection.ballot_kind"), style=wide, layout=_WIDE,
        )  # fmt: skip
        self.points = widgets.BoundedIntText(value=5, min=1, max=100, description=i18n.t("selection.points"),
                                             style=wide)  # fmt: skip
        self.budget_box = widgets.VBox([self.budget, self.ballot_kind, self.points])
        self.hide_running = widgets.Checkbox(
            value=False, description=i18n.t("selection.hide_running"), indent=False, layout=_WIDE
        )
        # which ballot counts when a household voted through several channels (declared before the count)
        self.precedence_first = widgets.Dropdown(
            options=[(i18n.label("ballot_channel", c), c) for c in flow.DEFAULT_PRECEDENCE.order],
            value=flow.DEFAULT_PRECEDENCE.order[0], description=i18n.t("selection.precedence_first"),
            style=wide, layout=_WIDE,
        )  # fmt: skip
        self.precedence_first.add_class("cogov-precedence")
        self.keep_last_jielong = widgets.Checkbox(
            value=True, description=i18n.t("selection.keep_last_jielong"), indent=False, layout=_WIDE
        )
        self.precedence_box = widgets.VBox(
            [
                self.precedence_first,
                widgets.HTML(f"<small>{html_text(i18n.t('selection.precedence_hint'))}</small>"),
                self.keep_last_jielong,
            ]
        )
        self.ballot_kind.observe(lambda _: self._rule_changed(), names="value")

    def _rule_changed(self) -> None:
        """Show the fields the chosen rule needs, and say how to type its options."""
        rule = flow.Rule(self.rule.value)
        selection, budget = rule in selections.SELECTION_RULES, rule in selections.BUDGET_RULES
        self.selection_box.layout.display = None if selection else "none"
        self.quota.layout.display = self.quota_hint.layout.display = None if rule is flow.Rule.BLOCK else "none"
        self.budget_box.layout.display = None if budget else "none"
        self.points.layout.display = None if self.ballot_kind.value == "cumulative" else "none"
        self.hide_running.layout.display = "none" if selection or budget else None
        key = (
            "selection.nominees_hint"
            if selection
            else "selection.projects_hint"
            if budget
            else "vote_desk.options_hint"
        )
        self.options.placeholder = i18n.t(key)
        self.options.description = i18n.t(
            "selection.nominees" if selection else "selection.projects" if budget else "vote_desk.options"
        )

    def precedence(self) -> flow.ChannelPrecedence:
        """Return the order of channels chosen: the one picked first, then the others in the default order."""
        return flow.read_precedence([self.precedence_first.value], keep_last_jielong=self.keep_last_jielong.value)

    def _fill_scopes(self, ws: Workspace) -> None:
        choices = scope_choices(ws, self.scope_type.value)
        self.scope.options = choices
        self.scope.value = choices[0][1] if choices else None
        self.scope.layout.display = None if self.scope_type.value != "community" else "none"

    @guarded(lambda self: self.message)
    def create(self) -> str | None:
        """Create the vote filled in; the desk then works on it. Return its id (None after saying what is missing)."""
        question = self.question.value.strip()
        options = [line.strip() for line in self.options.value.splitlines() if line.strip()]
        missing = []
        if not question:
            missing.append(i18n.t("vote_desk.question"))
        if len(options) < 2:
            missing.append(i18n.t("vote_desk.options_two"))
        if self.scope_type.value != "community" and not self.scope.value:
            missing.append(i18n.t("vote_desk.scope"))
        if missing:
            say(self.message, i18n.t("vote_desk.fill_first", fields="、".join(missing)), error=True)
            return None
        if len(set(options)) < len(options):
            say(self.message, i18n.t("vote_desk.options_repeat"), error=True)
            return None
        ws = self.desk.ws
        vote_id = next_vote_id(ws)
        where = {
            "electorate": self.electorate.value,
            "scope_type": self.scope_type.value,
            "scope_id": self.scope.value if self.scope_type.value != "community" else None,
            "opens_on": self.opens_on.value,
            "closes_on": self.closes_on.value,
        }
        where["precedence"] = self.precedence()
        rule = flow.Rule(self.rule.value)
        if rule in selections.SELECTION_RULES:
            if not self.consent.value:
                say(self.message, i18n.t("selection.consent_first"), error=True)
                return None
            nominees = selections.read_nominees(self.options.value)
            selections.create_selection(
                ws, vote_id, question, nominees, seats=int(self.seats.value), rule=rule,
                quota_minimum=int(self.quota.value) if rule is flow.Rule.BLOCK else 0,
                consent_on=self.desk.today, **where,
            )  # fmt: skip
        elif rule in selections.BUDGET_RULES:
            projects = selections.read_projects(self.options.value)
            selections.create_budget(
                ws, vote_id, question, projects, budget=int(self.budget.value), rule=rule,
                kind=self.ballot_kind.value, points=int(self.points.value), **where,
            )  # fmt: skip
        else:
            flow.create_vote(ws, vote_id, question, options, rule=rule, hide_running=self.hide_running.value, **where)
        self.created.append(vote_id)
        self.desk.publicity[vote_id] = int(self.publicity_days.value)
        say(self.message, i18n.t("vote_desk.created", vote_id=vote_id, question=question, count=len(options)))
        self.question.value = self.options.value = ""
        self.consent.value = False
        self.desk.refresh_votes(select=vote_id)
        return vote_id


class StepRecorder:
    """Record a 四议两公开 step of the chosen vote. Attributes: ``step``, ``on``, ``note``, ``record_button``."""

    def __init__(self, desk: VoteDesk) -> None:
        import ipywidgets as widgets

        self.desk = desk
        self.step = widgets.Dropdown(
            options=[(i18n.label("vote_step", s.value), s.value) for s in flow.Step],
            description=i18n.t("vote_desk.step"),
            style=_STYLE,
            layout=_WIDE,
        )
        self.on = widgets.DatePicker(value=desk.today, description=i18n.t("vote_desk.step_on"), style=_STYLE)
        self.note = widgets.Text(description=i18n.t("vote_desk.step_note"), style=_STYLE, layout=_WIDE)
        self.record_button = widgets.Button(description=i18n.t("vote_desk.record_step"), layout=BUTTON)
        self.steps = widgets.HTML()
        self.message = widgets.HTML()
        self.record_button.on_click(lambda _: self.record())
        self.widget = widgets.VBox([self.steps, self.step, self.on, self.note, self.record_button, self.message])

    def show(self) -> None:
        """List the steps recorded for the chosen vote."""
        vote = self.desk.vote
        if vote is None:
            self.steps.value = ""
            return
        lines = [f"{s.on.isoformat()} {i18n.label('vote_step', s.step.value)} {s.note}".strip() for s in vote.steps]
        head = i18n.t("vote_desk.steps_done", count=len(lines))
        self.steps.value = message_html("\n".join([head, *lines]), note=True)

    @guarded(lambda self: self.message)
    def record(self) -> flow.Vote | None:
        """Record the step with its date for the chosen vote."""
        vote = self.desk.require_vote(self.message)
        if vote is None:
            return None
        if any(s.step.value == self.step.value and s.on == self.on.value for s in vote.steps):
            say(self.message, i18n.t("vote_desk.step_already"), note=True)  # a double tap: recorded once
            return vote
        updated = flow.record_step(self.desk.ws, vote.vote_id, self.step.value, self.on.value, self.note.value.strip())
        self.note.value = ""
        self.desk.vote = updated
        self.show()
        say(self.message, i18n.t("vote_desk.step_recorded", step=i18n.label("vote_step", self.step.value)))
        return updated


class JielongPaste:
    """Paste a WeChat 接龙 into a text area, check it, confirm to store. Attributes: ``text``, ``check_button``,
    ``store_button``, ``message``, ``to_check`` (HTML table); ``last`` is the last parse."""

    def __init__(self, desk: VoteDesk) -> None:
        import ipywidgets as widgets

        self.desk = desk
        self.last: Any = None
        self.text = widgets.Textarea(
            placeholder=i18n.t("vote_desk.jielong_hint"), layout={"width": "44em", "height": "12em"}
        )
        self.text.add_class("cogov-jielong-text")
        self.check_button = widgets.Button(description=i18n.t("vote_desk.jielong_check"), layout=BUTTON)
        self.store_button = widgets.Button(
            description=i18n.t("vote_desk.jielong_store"), button_style="primary", layout=BUTTON
        )
        self.store_button.add_class("cogov-jielong-store")
        self.message = widgets.HTML()
        self.to_check = widgets.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.store_button.on_click(lambda _: self.store())
        self.widget = widgets.VBox(
            [self.text, widgets.HBox([self.check_button, self.store_button]), self.message, self.to_check]
        )

    def _show(self, parsed: Any, *, stored: bool) -> None:
        key = "vote_desk.jielong_stored" if stored else "vote_desk.jielong_checked"
        say(
            self.message,
            i18n.t(key, count=len(parsed.ballots), replaced=len(parsed.replaced), to_check=len(parsed.to_check)),
        )
        if parsed.to_check:
            rows = "".join(
                f"<tr><td>{c.line_no}</td><td>{html_text(c.text)}</td><td>{html_text(i18n.t(c.reason))}</td></tr>"
                for c in parsed.to_check
            )
            head = "".join(
                f"<th>{html_text(i18n.t(k))}</th>" for k in ("vote_desk.line", "vote_desk.text", "vote_desk.why")
            )
            self.to_check.value = f"<table class='cogov-table'><tr>{head}</tr>{rows}</table>"
        else:
            self.to_check.value = ""

    @guarded(lambda self: self.message)
    def check(self) -> Any:
        """Read the pasted chain against the roll and show what will be stored and what needs checking (stores nothing)."""
        vote = self.desk.require_vote(self.message)
        if vote is None or not self._has_text():
            return None
        roll = flow.jielong_roll(flow.roll_for(self.desk.ws, vote))
        self.last = flow.parse_jielong(self.text.value, roll, vote.options)
        self._show(self.last, stored=False)
        return self.last

    @guarded(lambda self: self.message)
    def store(self) -> Any:
        """Store the chain's ballots (pasting the same chain again stores nothing twice)."""
        vote = self.desk.require_vote(self.message)
        if vote is None or not self._has_text():
            return None
        self.last = flow.record_jielong(self.desk.ws, vote.vote_id, self.text.value)
        self._show(self.last, stored=True)
        self.desk.ballots_changed()
        return self.last

    def _has_text(self) -> bool:
        if self.text.value.strip():
            return True
        say(self.message, i18n.t("vote_desk.jielong_empty"), error=True)
        return False


def save_upload(upload: Any, folder: Path) -> Path | None:
    """Save the file of a FileUpload into ``folder`` (a bare name: no path from the browser); return its path."""
    if not upload.value:
        return None
    item = upload.value[0]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(str(item["name"])).name
    target.write_bytes(bytes(item["content"]))
    upload.value = ()
    return target


class BallotUpload:
    """Upload a ballot file (CSV/Excel) and import it, with the import report. Attributes: ``upload``,
    ``source_vote``, ``import_button``, ``message``; ``last`` is the last ImportReport."""

    def __init__(self, desk: VoteDesk) -> None:
        import ipywidgets as widgets

        self.desk = desk
        self.last: flow.ImportReport | None = None
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx,.xls", multiple=False, description=i18n.t("vote_desk.upload"), layout=BUTTON
        )
        self.source_vote = widgets.Text(
            description=i18n.t("vote_desk.source_vote"), placeholder=i18n.t("vote_desk.source_vote_hint"),
            style={"description_width": "initial"}, layout={"width": "30em"},
        )  # fmt: skip
        self.import_button = widgets.Button(
            description=i18n.t("vote_desk.import"), button_style="primary", layout=BUTTON
        )
        self.message = widgets.HTML()
        self.import_button.on_click(lambda _: self.import_uploaded())
        self.widget = widgets.VBox([widgets.HBox([self.upload, self.import_button]), self.source_vote, self.message])

    @guarded(lambda self: self.message)
    def import_uploaded(self) -> flow.ImportReport | None:
        """Import the uploaded file into the chosen vote."""
        path = save_upload(self.upload, self.desk.ws.path.parent / UPLOAD_FOLDER)
        if path is None:
            say(self.message, i18n.t("vote_desk.no_file"), error=True)
            return None
        return self.import_path(path)

    @guarded(lambda self: self.message)
    def import_path(self, path: str | Path, *, source_vote_id: str | None = None) -> flow.ImportReport | None:
        """Import a ballot file from a path (what the upload does once the file is saved)."""
        vote = self.desk.require_vote(self.message)
        if vote is None:
            return None
        source = source_vote_id or self.source_vote.value.strip() or None
        self.last = flow.import_ballots(self.desk.ws, vote.vote_id, Path(path), source_vote_id=source)
        say(
            self.message,
            i18n.t(
                "vote_desk.imported",
                file=Path(path).name,
                read=self.last.read,
                stored=self.last.stored,
                other=self.last.skipped_other_votes,
            ),
        )
        self.desk.ballots_changed()
        return self.last


class CountPanel:
    """Count and recount the chosen vote with a button. Attributes: ``count_button``, ``recount_button``,
    ``result`` (HTML tables), ``chart`` (Image), ``message``; ``last`` is the last StoredCount."""

    def __init__(self, desk: VoteDesk) -> None:
        import ipywidgets as widgets

        self.desk = desk
        self.last: flow.StoredCount | None = None
        self.count_button = widgets.Button(description=i18n.t("vote_desk.count"), button_style="primary", layout=BUTTON)
        self.count_button.add_class("cogov-vote-count")
        self.recount_button = widgets.Button(description=i18n.t("vote_desk.recount"), layout=BUTTON)
        self.result = widgets.HTML()
        self.chart = widgets.Image(format="png", width=560)
        self.chart.layout.display = "none"
        self.message = widgets.HTML()
        self.count_button.on_click(lambda _: self.count())
        self.recount_button.on_click(lambda _: self.recount())
        self.widget = widgets.VBox(
            [widgets.HBox([self.count_button, self.recount_button]), self.message, self.result, self.chart]
        )
        self.widget.add_class("cogov-count-panel")

    @guarded(lambda self: self.message)
    def count(self) -> flow.StoredCount | None:
        """Screen and count the stored ballots; store the result with its audit record; show it."""
        vote = self.desk.require_vote(self.message)
        if vote is None:
            return None
        self.last = flow.count_vote(self.desk.ws, vote.vote_id)
        self._show(self.last)
        say(self.message, i18n.t("vote_desk.counted", counted=self.last.result.ballots_counted,
                                 set_aside=len(self.last.result.set_aside)))  # fmt: skip
        self.desk.refresh_votes(select=vote.vote_id)
        self.desk.ballots_changed()  # counted: the board may show the figures now
        return self.last

    @guarded(lambda self: self.message)
    def recount(self) -> flow.StoredCount | None:
        """Recount the stored ballots under the stored audit record: the result must be the same."""
        vote = self.desk.require_vote(self.message)
        if vote is None:
            return None
        again = flow.recount_vote(self.desk.ws, vote.vote_id)
        self._show(again)
        say(self.message, i18n.t("vote_desk.recount_same"))
        return again

    def _show(self, stored: flow.StoredCount) -> None:
        from cogov_toolkit.render.budget_results import budget_table_html
        from cogov_toolkit.render.selection_results import elected_line, stv_table
        from cogov_toolkit.render.vote_results import (
            bar_chart,
            result_table,
            set_aside_list,
            set_aside_table,
            tally_check_line,
            tally_sheet,
        )

        result = stored.result
        if result.funding:  # a budget: every project, funded or not, and why; the funded ones on a map
            tables = [budget_table_html(result)]
            if stored.vote.option_sites:
                from cogov_toolkit.render.interactive import content_map

                funded_map = content_map(selections.funded_content(self.desk.ws, stored.vote.vote_id))
                tables.append(f"<div class='cogov-funded-map'>{funded_map._repr_html_()}</div>")
        elif result.committees:  # a selection: who is elected, then the votes (and STV's stages)
            tables = [message_html(elected_line(result), note=True)]
            tables.append(result_table(result).to_html(index=False, escape=True, classes="cogov-table"))
            if result.stv_rounds:
                head = f"<p><b>{html_text(i18n.t('selection.stages'))}</b></p>"
                tables.append(
                    head + stv_table(result).to_html(index=False, escape=True, classes="cogov-table cogov-stv")
                )
        else:
            tables = [result_table(result).to_html(index=False, escape=True, classes="cogov-table")]
        if stored.screening is not None:  # the tally sheet: per channel and building, and its check
            sheet = tally_sheet(stored.screening).to_html(index=False, escape=True, classes="cogov-table cogov-sheet")
            check = message_html(tally_check_line(stored.screening), error=not stored.screening.balanced,
                                 note=stored.screening.balanced)  # fmt: skip
            tables.append(f"<p><b>{html_text(i18n.t('vote_results.sheet_title'))}</b></p>{check}{sheet}")
        if stored.result.set_aside:
            tables.append(set_aside_table(stored.result).to_html(index=False, escape=True, classes="cogov-table"))
            listed = set_aside_list(stored.result, flow.ballot_channels(self.desk.ws, stored.vote.vote_id))
            head = f"<p><b>{html_text(i18n.t('vote_results.set_aside_title'))}</b></p>"
            tables.append(head + listed.to_html(index=False, escape=True, classes="cogov-table cogov-set-aside"))
        self.result.value = "".join(tables)
        figure = bar_chart(stored.result)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        self.chart.value = buffer.getvalue()
        self.chart.layout.display = None


class VoteNoticePanel:
    """Build the decision notice of the counted vote from the community's settings, then review it.

    Attributes: ``start_on``, ``days``, ``build_button``, ``message``, ``review_area``; ``review`` is the
    :class:`~cogov_toolkit.widgets.notice_review.NoticeReview` shown (confirm there to write the files).
    """

    def __init__(self, desk: VoteDesk) -> None:
        import ipywidgets as widgets

        self.desk = desk
        self.review: Any = None
        self.start_on = widgets.DatePicker(value=desk.today, description=i18n.t("vote_desk.notice_start"), style=_STYLE)
        self.days = widgets.BoundedIntText(
            value=7, min=7, max=60, description=i18n.t("vote_desk.publicity_days"), style=_STYLE
        )
        self.build_button = widgets.Button(
            description=i18n.t("vote_desk.build_notice"), button_style="primary", layout=BUTTON
        )
        self.message = widgets.HTML()
        self.review_area = widgets.VBox()
        self.build_button.on_click(lambda _: self.build())
        self.widget = widgets.VBox(
            [widgets.HBox([self.start_on, self.days]), self.build_button, self.message, self.review_area]
        )

    @guarded(lambda self: self.message)
    def build(self) -> Any:
        """Build the notice (figures only), keep it as a draft and show it for review; no file before the planner confirms.

        A draft built again replaces the older draft; a published notice stays as it was published (rebuilt
        with other dates, the Chinese reason is shown, naming the number a corrected notice takes).
        """
        from cogov_toolkit.widgets.notice_review import NoticeReview
        from cogov_toolkit.workflows.notices import decision_notice, save_notice

        vote = self.desk.require_vote(self.message)
        if vote is None:
            return None
        settings = self.desk.settings()
        if settings.missing():
            names = "、".join(i18n.t(f"workshop.{m}") for m in settings.missing())
            say(self.message, i18n.t("vote_desk.settings_first", names=names), error=True)
            return None
        notice = decision_notice(
            self.desk.ws, vote.vote_id, contact=settings.contact, office_phone=settings.office_phone,
            issuer=settings.issuer, start_on=self.start_on.value, days=int(self.days.value),
        )  # fmt: skip
        save_notice(self.desk.ws, notice)  # a draft (replacing an older draft); a published notice stays as it is
        self.review = NoticeReview(self.desk.ws, notice, self.desk.out_dir("公示"))
        self.review_area.children = [self.review.widget]
        say(self.message, i18n.t("vote_desk.notice_built"))
        return self.review


class VoteDesk:
    """Every step of a vote as forms, following the vote chosen at the top.

    Attributes: ``chooser`` (Dropdown of votes), ``creator``, ``steps``, ``jielong``, ``upload``,
    ``counting``, ``notice`` (the panels above), ``entry`` and ``tally`` (the ballot entry and live
    tally of the chosen vote, rebuilt when it changes), and the panels' containers ``entry_area``,
    ``tally_area``. Show the parts in separate cells: ``desk.choose_panel``, ``desk.entry_panel`` …
    """

    def __init__(self, workshop: Workshop) -> None:
        import ipywidgets as widgets

        self.workshop = workshop
        self.ws = workshop.ws
        self.vote: flow.Vote | None = None
        self.publicity: dict[str, int] = {}
        self.entry: Any = None
        self.tally: Any = None
        self.message = widgets.HTML()
        self.chooser = widgets.Dropdown(
            description=i18n.t("vote_desk.chooser"), style={"description_width": "initial"}, layout={"width": "44em"}
        )
        self.chooser.add_class("cogov-vote-chooser")
        self.creator = VoteCreator(self)
        self.steps = StepRecorder(self)
        self.jielong = JielongPaste(self)
        self.upload = BallotUpload(self)
        self.counting = CountPanel(self)
        self.notice = VoteNoticePanel(self)
        self.entry_area = widgets.VBox()
        self.tally_area = widgets.VBox()
        self.double_area = widgets.VBox()
        self.double: Any = None
        self.turnout_button = widgets.Button(description=i18n.t("vote_desk.turnout"), layout=BUTTON)
        self.turnout_message = widgets.HTML()
        self.turnout_area = widgets.HTML()
        self.turnout_button.on_click(lambda _: self.show_turnout())
        new_vote = widgets.Accordion(children=[self.creator.widget])
        new_vote.set_title(0, i18n.t("vote_desk.new_vote"))
        self.choose_panel = widgets.VBox([self.chooser, self.message, new_vote, self.steps.widget])
        self.entry_panel = self.entry_area
        self.tally_panel = self.tally_area
        self.double_panel = self.double_area
        self.turnout_panel = widgets.VBox([self.turnout_button, self.turnout_message, self.turnout_area])
        self.jielong_panel = self.jielong.widget
        self.upload_panel = self.upload.widget
        self.count_panel = self.counting.widget
        self.notice_panel = self.notice.widget
        self._filling = False
        self.chooser.observe(lambda _: None if self._filling else self._vote_changed(), names="value")
        self.refresh_votes()
        new_vote.selected_index = None if self.vote is not None else 0

    @property
    def today(self) -> dt.date:
        return self.workshop.today

    def settings(self) -> Any:
        return self.workshop.settings

    def out_dir(self, *parts: str) -> Path:
        return self.workshop.out_dir(*parts)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.choose_panel)

    # --- the chosen vote ---------------------------------------------------------------------------
    def refresh_votes(self, *, select: str | None = None) -> None:
        """Reload the list of votes (keeping or selecting one) and rebuild the panels for it."""
        choices = vote_choices(self.ws)
        current = select or self.chooser.value or (choices[-1][1] if choices else None)
        self._filling = True  # setting the options fires the observer: one rebuild below is enough
        try:
            self.chooser.options = choices
            self.chooser.value = current if current in {v for _, v in choices} else None
        finally:
            self._filling = False
        self._vote_changed()

    @guarded(lambda self: self.message)
    def _vote_changed(self) -> None:
        from cogov_toolkit.widgets.ballot_entry import BallotEntry, DoubleEntry
        from cogov_toolkit.widgets.tally import LiveTally

        vote_id = self.chooser.value
        if not vote_id:
            self.vote = None
            none = message_html(i18n.t("vote_desk.no_vote"), note=True)
            import ipywidgets as widgets

            self.entry_area.children = [widgets.HTML(none)]
            self.tally_area.children = [widgets.HTML(none)]
            self.double_area.children = [widgets.HTML(none)]
            self.steps.show()
            return
        if self.vote is not None and self.vote.vote_id == vote_id and self.entry is not None:
            self.vote = flow.get_vote(self.ws, vote_id)
            self.steps.show()
            return
        self.vote = flow.get_vote(self.ws, vote_id)
        self.entry = BallotEntry(self.ws, vote_id)
        self.tally = LiveTally(self.ws, vote_id)
        self.tally.follow(self.entry)
        self.double = DoubleEntry(self.ws, vote_id)
        self.entry_area.children = [self.entry.widget]
        self.tally_area.children = [self.tally.widget]
        self.double_area.children = [self.double.widget]
        if vote_id in self.publicity:
            self.notice.days.value = self.publicity[vote_id]
        self.steps.show()
        say(self.message, i18n.t("vote_desk.working_on", question=self.vote.question, vote_id=vote_id), note=True)

    def require_vote(self, message: Any) -> flow.Vote | None:
        """Return the chosen vote, or say in ``message`` that one must be chosen or created first."""
        if self.vote is None:
            say(message, i18n.t("vote_desk.no_vote"), error=True)
        return self.vote

    @guarded(lambda self: self.turnout_message)
    def show_turnout(self) -> Any:
        """Show turnout per building (buildings with fewer than 5 voters: no figure) as a table and a map."""
        from cogov_toolkit.render.interactive import content_map
        from cogov_toolkit.render.vote_results import public_turnout
        from cogov_toolkit.workflows.maps import turnout_content

        vote = self.require_vote(self.turnout_message)
        if vote is None:
            return None
        table = public_turnout(flow.turnout_by_building(self.ws, vote.vote_id))
        folium_map = content_map(turnout_content(self.ws, vote.vote_id))
        self.turnout_area.value = (
            table.to_html(index=False, escape=True, classes="cogov-table") + folium_map._repr_html_()
        )
        self.turnout_message.value = ""
        return table

    def ballots_changed(self) -> None:
        """Redraw the live tally after ballots came in another way (接龙, a file)."""
        if self.tally is not None:
            self.tally.refresh()


__all__ = [
    "VoteDesk",
    "VoteCreator",
    "StepRecorder",
    "JielongPaste",
    "BallotUpload",
    "CountPanel",
    "VoteNoticePanel",
    "vote_choices",
    "next_vote_id",
    "scope_choices",
    "save_upload",
]
