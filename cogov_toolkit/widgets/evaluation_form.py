"""The evaluation form: any questionnaire as large, touch-friendly widgets that save once.

Project, phase, evaluator and (for residents) building come first, then the
questions of the phase's questionnaire. Submitting checks every field and shows
each problem in red under its field; nothing is saved until all are right.
A saved response is confirmed and the form cleared for the next person.

Each filled form carries one idempotency key, made when the form is (re)started
and replaced only after a confirmed save: a double tap, or tapping again after
a dropped connection, stores the response once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError, Problem, ValidationError
from cogov_toolkit.workflows.evaluations import Question, Questionnaire, QuestionType, Respondent, submit_response
from cogov_toolkit.workflows.overview import ENUMS

if TYPE_CHECKING:
    import ipywidgets

    from cogov_toolkit.storage import Workspace

BIG = {"width": "auto", "min_height": "3.2em"}  # touch targets: a fingertip on a shared tablet
FONT = {"font_size": "1.2em"}
ERROR_COLOUR = "#b00020"
#: large text and tall buttons for fingers on a tablet (widget styles do not set font size on every control)
FORM_CSS = (
    "<style>.cogov-form, .cogov-form .widget-label, .cogov-form select, .cogov-form input, .cogov-form textarea"
    " {font-size: 1.2em} .cogov-form .widget-toggle-button, .cogov-form select {min-height: 2.8em}</style>"
)
OK_COLOUR = "#1b5e20"


@dataclass
class QuestionField:
    """One question's widgets: the row (to hide when not relevant), the input(s) and the red note."""

    question: Question
    row: ipywidgets.VBox
    read: Callable[[], Any]
    clear: Callable[[], None]
    message: ipywidgets.HTML
    inputs: tuple[ipywidgets.Widget, ...]


class EvaluationForm:
    """A questionnaire as a form that commits each response to a workspace.

    Parameters
    ----------
    workspace : Workspace or path
        An open workspace, or the path of one (opened for each save and closed
        again, so several tablets' kernels can save to the same file).
    questionnaires : Questionnaire or mapping of phase to Questionnaire
        One questionnaire for every phase, or one per phase (``pre``/``mid``/``post``).
    projects, buildings : sequences of str or of (name, id) pairs
        The choices of the project and building lists (names shown, ids stored).
    phase : str, optional
        The phase chosen at first (``pre`` by default).
    resident_only : bool
        Show only the resident part of the form (the tablet): no role chooser.
    new_key : callable, optional
        Makes idempotency keys (a random uuid by default).

    Attributes (for tests and demo cells): ``project``, ``phase``, ``role``,
    ``building`` (the who-widgets), ``fields`` (question name → :class:`QuestionField`),
    ``submit_button``, ``clear_button``, ``message``, ``key`` (of the form being
    filled), ``saved`` (uuids saved by this form).
    """

    def __init__(
        self,
        workspace: Workspace | str | Path,
        questionnaires: Questionnaire | Mapping[str, Questionnaire],
        *,
        projects: Sequence[str | tuple[str, str]],
        buildings: Sequence[str | tuple[str, str]] = (),
        phase: str | None = None,
        new_key: Callable[[], str] | None = None,
        resident_only: bool = False,
    ) -> None:
        import ipywidgets as widgets

        self.workspace = workspace
        self.resident_only = resident_only
        phases = ENUMS["evaluation_phase"]
        if isinstance(questionnaires, Questionnaire):
            questionnaires = dict.fromkeys(phases, questionnaires)
        self.questionnaires = dict(questionnaires)
        self._new_key = new_key or (lambda: uuid.uuid4().hex)
        self.key = self._new_key()
        self.saved: list[str] = []
        style = {"description_width": "initial"}
        self.project = widgets.Dropdown(
            options=[(i18n.t("evaluation.form.choose"), None), *map(_pair, projects)],
            value=None,
            description=i18n.t("evaluation.form.project"),
            style=style,
            layout=BIG,
        )
        self.phase = widgets.ToggleButtons(
            options=[(i18n.label("evaluation_phase", p), p) for p in phases if p in self.questionnaires],
            description=i18n.t("evaluation.form.phase"),
            style={**style, "button_width": "8em"},
        )
        if phase is not None:
            self.phase.value = phase
        roles = ("resident",) if resident_only else ENUMS["evaluator_role"]
        self.role = widgets.ToggleButtons(
            options=[(i18n.label("evaluator_role", r), r) for r in roles],
            value="resident",
            description=i18n.t("evaluation.form.evaluator_role"),
            style={**style, "button_width": "8em"},
        )
        self.building = widgets.Dropdown(
            options=[(i18n.t("evaluation.form.choose"), None), *map(_pair, buildings)],
            value=None,
            description=i18n.t("evaluation.form.building"),
            style=style,
            layout=BIG,
        )
        self.who_messages = {name: widgets.HTML() for name in ("project_id", "phase", "evaluator_role", "building_id")}
        self.submit_button = widgets.Button(
            description=i18n.t("evaluation.form.submit"),
            button_style="primary",
            layout={"width": "12em", "height": "3.5em"},
            style=FONT,
        )
        self.clear_button = widgets.Button(
            description=i18n.t("evaluation.form.clear"), layout={"width": "10em", "height": "3.5em"}, style=FONT
        )
        self.message = widgets.HTML()
        self.questions_box = widgets.VBox()
        self.fields: dict[str, QuestionField] = {}
        self.submit_button.on_click(lambda _: self.submit())
        self.clear_button.on_click(lambda _: self.clear())
        self.phase.observe(lambda _: self._build_questions(), names="value")
        self.role.observe(lambda _: self._show_building(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML(),  # the title, set with the questions
                widgets.HTML(FORM_CSS),
                self.project,
                self.who_messages["project_id"],
                self.phase,
                self.who_messages["phase"],
                self.role,
                self.who_messages["evaluator_role"],
                self.building,
                self.who_messages["building_id"],
                self.questions_box,
                widgets.HBox([self.submit_button, self.clear_button]),
                self.message,
            ],
            layout={"max_width": "48em"},
        )
        self.widget.add_class("cogov-form")
        if resident_only:  # a tablet in residents' hands: no role chooser, every response is a resident's
            self.role.layout.display = "none"
        # stable handles for a browser test (and for a stylesheet), whatever the language
        for widget, name in (
            (self.project, "project"),
            (self.phase, "phase"),
            (self.role, "role"),
            (self.building, "building"),
            (self.submit_button, "submit"),
            (self.clear_button, "clear"),
        ):
            widget.add_class(f"cogov-{name}")
        self._build_questions()
        self._show_building()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ------------------------------------------------------------ building
    @property
    def questionnaire(self) -> Questionnaire:
        """The questionnaire of the phase chosen."""
        return self.questionnaires[self.phase.value]

    def _build_questions(self) -> None:
        q = self.questionnaire
        self.widget.children[0].value = f"<h2>{html_text(q.title())}</h2>"
        old = self.fields
        self.fields = {question.name: self._field(q, question) for question in q.questions}
        self.questions_box.children = [f.row for f in self.fields.values()]
        for f in old.values():  # the other phase's widgets: close them so the page does not keep them
            _close_tree(f.row)
        self._apply_relevance()

    def _field(self, q: Questionnaire, question: Question) -> QuestionField:
        import ipywidgets as widgets

        mark = i18n.t("evaluation.form.required_mark") if question.required else ""
        if question.type is QuestionType.SELECT_MULTIPLE:
            mark += f"（{i18n.t('evaluation.form.multiple_hint')}）"
        title = widgets.HTML(
            f"<div style='font-size:1.25em;margin-top:.8em'><b>{html_text(question.label())}</b>{html_text(mark)}</div>"
        )
        message = widgets.HTML()
        choices = q.choices_of(question)
        if question.type is QuestionType.SELECT_ONE:
            box = widgets.ToggleButtons(
                options=[(c.label(), c.name) for c in choices], value=None, style={"button_width": "9em"}
            )
            inputs: tuple[widgets.Widget, ...] = (box,)
            read, clear = (lambda: box.value), (lambda: setattr(box, "value", None))
            shown: widgets.Widget = box
        elif question.type is QuestionType.SELECT_MULTIPLE:
            toggles = tuple(
                widgets.ToggleButton(
                    description=c.label(), tooltip=c.name, layout={"width": "10em", "height": "3em"}, style=FONT
                )
                for c in choices
            )
            names = tuple(c.name for c in choices)
            inputs, shown = toggles, widgets.HBox(list(toggles), layout={"flex_flow": "row wrap"})

            def read() -> list[str]:
                return [n for n, t in zip(names, toggles, strict=True) if t.value]

            def clear() -> None:
                for t in toggles:
                    t.value = False
        else:
            kind = widgets.Textarea if question.type is QuestionType.TEXT else widgets.Text
            box = kind(value="", layout={"width": "100%", "min_height": "3em"}, style=FONT)
            inputs, shown = (box,), box
            read, clear = (lambda: box.value), (lambda: setattr(box, "value", ""))
        for widget in inputs:
            widget.observe(lambda _: self._apply_relevance(), names="value")
        row = widgets.VBox([title, shown, message])
        row.add_class(f"cogov-q-{question.name}")
        return QuestionField(question, row, read, clear, message, inputs)

    def _show_building(self) -> None:
        # only residents answer for a building; the committee or the property manager speak for the project
        self.building.layout.display = None if self.role.value == "resident" else "none"

    def _apply_relevance(self) -> None:
        from cogov_toolkit.workflows.evaluations import check_answers

        typed, _ = check_answers(self.questionnaire, self.raw_answers())
        for f in self.fields.values():
            relevant = self.questionnaire.is_relevant(f.question, {**typed})
            f.row.layout.display = None if relevant else "none"

    # ------------------------------------------------------------ using
    def raw_answers(self) -> dict[str, Any]:
        """Return what is entered, question by question (as entered: text, names or lists)."""
        return {name: f.read() for name, f in self.fields.items()}

    def respondent(self) -> Respondent:
        """Return the who-part as entered."""
        building = self.building.value if self.role.value == "resident" else None
        return Respondent(self.project.value or "", self.phase.value, self.role.value, building)

    def submit(self) -> str | None:
        """Check and save the form; return the saved uuid, or None when something must be fixed first."""
        from cogov_toolkit.widgets.feedback import guarded

        self.submit_button.disabled = True  # a second tap while saving does nothing
        try:
            return guarded(self.message)(self._submit)()
        finally:
            self.submit_button.disabled = False

    def _submit(self) -> str | None:
        self._clear_messages()
        self._say(i18n.t("evaluation.form.saving"))
        try:
            record_uuid = self._save()
        except ValidationError as exc:
            self._show_problems(exc.problems)
            self._say(i18n.t("evaluation.form.fix_first", count=len(exc.problems)), error=True)
            return None
        except (CogovError, OSError) as exc:  # keep the key: tapping again retries the same response
            self._say(i18n.t("evaluation.form.save_failed", detail=str(exc)), error=True)
            return None
        self.saved.append(record_uuid)
        self.clear()
        self._say(i18n.t("evaluation.form.saved", count=len(self.saved)))
        return record_uuid

    def _save(self) -> str:
        from cogov_toolkit.storage import open_workspace

        args = (self.questionnaire, self.respondent(), self.raw_answers())
        if isinstance(self.workspace, str | Path):
            with open_workspace(self.workspace, backups=0) as ws:
                return submit_response(ws, *args, idempotency_key=self.key)
        return submit_response(self.workspace, *args, idempotency_key=self.key)

    def clear(self) -> None:
        """Empty every answer (who-fields keep project and phase) and start a new response key."""
        for f in self.fields.values():
            f.clear()
        self.building.value = None
        self._clear_messages()
        self.message.value = ""
        self.key = self._new_key()

    def _clear_messages(self) -> None:
        for widget in [*self.who_messages.values(), *(f.message for f in self.fields.values())]:
            widget.value = ""

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            target = (
                self.fields[problem.column].message
                if problem.column in self.fields
                else self.who_messages.get(problem.column or "")
            )
            if target is not None:
                target.value = _red(i18n.t(f"error.{problem.reason}", **problem.params))

    def field_messages(self) -> dict[str, str]:
        """Return the red notes now shown, by question or who-field name (plain text)."""
        import html
        import re

        shown = {**self.who_messages, **{n: f.message for n, f in self.fields.items()}}
        return {n: html.unescape(re.sub(r"<[^>]+>", "", w.value)) for n, w in shown.items() if w.value}

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = ERROR_COLOUR if error else OK_COLOUR
        self.message.value = (
            f"<div class='cogov-form-message' style='font-size:1.3em;color:{colour}'>{html_text(text)}</div>"
        )


def _pair(choice: str | tuple[str, str]) -> tuple[str, str]:
    """Return a (label, value) choice: a bare id is its own label, a pair shows its name."""
    return (choice, choice) if isinstance(choice, str) else (str(choice[0]), str(choice[1]))


def _close_tree(widget: ipywidgets.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if part is not None:
            part.close()
    widget.close()


def _red(text: str) -> str:
    return f"<div class='cogov-field-error' style='color:{ERROR_COLOUR};font-size:1.1em'>{html_text(text)}</div>"


def form_for_workspace_ws(
    ws: Workspace,
    questionnaires: Questionnaire | Mapping[str, Questionnaire] | None = None,
    *,
    phase: str | None = None,
) -> EvaluationForm:
    """Return a form that saves into the open workspace ``ws`` (a notebook's own community)."""
    from cogov_toolkit.workflows.evaluations import STANDARD_FORMS, bundled_questionnaire

    projects, buildings = form_choices(ws)
    if questionnaires is None:
        questionnaires = {p.value: bundled_questionnaire(form) for p, form in STANDARD_FORMS.items()}
    return EvaluationForm(ws, questionnaires, projects=projects, buildings=buildings, phase=phase)


def form_choices(ws: Workspace) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the form's project and building choices as (name people say, id): "口袋花园改造", "5栋"."""
    records = ws.records("projects")
    projects = sorted(
        (f"{name}（{pid}）", str(pid))
        for pid, name in zip(records["project_id"], records["name"], strict=True)
        if isinstance(pid, str)
    )
    layer = ws.read_layer("buildings")
    buildings = [
        (str(label), str(bid))
        for bid, label in sorted(zip(layer["building_id"], layer["label"], strict=True), key=lambda p: str(p[0]))
    ]
    return projects, buildings


def form_for_workspace(
    path: str | Path,
    questionnaires: Questionnaire | Mapping[str, Questionnaire] | None = None,
    *,
    phase: str | None = None,
    resident_only: bool = False,
) -> EvaluationForm:
    """Return a form on the workspace at ``path`` with its projects and buildings as choices.

    Without ``questionnaires``, each phase gets its bundled standard questionnaire.
    """
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.evaluations import STANDARD_FORMS, bundled_questionnaire

    with open_workspace(path, backups=0) as ws:
        projects, buildings = form_choices(ws)
    if questionnaires is None:
        questionnaires = {phase.value: bundled_questionnaire(form) for phase, form in STANDARD_FORMS.items()}
    return EvaluationForm(
        path, questionnaires, projects=projects, buildings=buildings, phase=phase, resident_only=resident_only
    )


__all__ = ["EvaluationForm", "QuestionField", "form_for_workspace", "form_for_workspace_ws", "form_choices"]
