"""Chinese line breaking for titles and text set by the toolkit (maps, notices).

Chinese may break between any two characters, with the rules every
typesetter follows (GB/T 15834 punctuation, the 避头尾 rules): no line starts
with closing punctuation (」）。，、 …) and no line ends with opening
punctuation (「（《 …). A run of Latin letters and digits ("2026-03-01",
"cogov_toolkit") is kept whole when it fits on a line. When a break would
put a closing mark first, the character before it moves down with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: marks that never start a line
NO_LINE_START = frozenset("、。，．,.：:；;！!？?」』）)】〕〉》〗’”…—～·%‰℃")
#: marks that never end a line
NO_LINE_END = frozenset("「『（(【〔〈《〖‘“")

# a break opportunity sits between two tokens: a Latin/digit run or one other character
_TOKENS = re.compile(r"[A-Za-z0-9_@#&+\-./:%]+|\s+|.", re.S)


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (in the units of ``measure``).

    Parameters
    ----------
    text : str
        The text; its own line breaks are kept.
    width : float
        The widest a line may be.
    measure : callable
        Width of a string (points, pixels, ems …).

    Returns
    -------
    list of str
        The lines, none starting with closing punctuation nor ending with
        opening punctuation (a line may only run over when one token alone is
        wider than ``width``).
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_break_paragraph(paragraph, width, measure))
    return lines


def _break_paragraph(paragraph: str, width: float, measure: Callable[[str], float]) -> list[str]:
    tokens = _TOKENS.findall(paragraph)
    # a token longer than a line is cut into characters (a very long number or URL)
    expanded: list[str] = []
    for token in tokens:
        expanded.extend(token if len(token) > 1 and measure(token) > width else [token])
    lines: list[list[str]] = [[]]
    for token in expanded:
        line = lines[-1]
        if not line or measure("".join(line) + token) <= width or token.isspace():
            line.append(token)
            continue
        carried: list[str] = []
        # 避头: a closing mark may not open the next line: the token before it goes down too
        if token[0] in NO_LINE_START:
            while len(line) > 1:
                carried.insert(0, line.pop())
                if carried[0][0] not in NO_LINE_START:
                    break
        # 避尾: an opening mark may not end this line
        while len(line) > 1 and line[-1][-1] in NO_LINE_END:
            carried.insert(0, line.pop())
        lines.append([*carried, token])
    return ["".join(line).strip() for line in lines if "".join(line).strip()] or [""]


def check_lines(lines: list[str]) -> list[str]:
    """Return the lines that break a rule (start with a closing or end with an opening mark)."""
    return [line for line in lines if line and (line[0] in NO_LINE_START or line[-1] in NO_LINE_END)]


__all__ = ["NO_LINE_END", "NO_LINE_START", "break_lines", "check_lines"]
