"""Thirty-odd realistic 接龙 chains, counted by hand, against the parser.

The chains and what a careful human counter makes of them are in ``jielong_chains.toml``
(written and counted before the parser learnt negations, withdrawals, several households on
one line, proxies, lost line breaks and the organiser's example).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from cogov_toolkit.core.votes import YES_NO_ABSTAIN_OPTIONS
from cogov_toolkit.core.votes.jielong import JielongRoll, LineProblem, parse_jielong

CHAINS: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).with_name("jielong_chains.toml")).read_text(encoding="utf-8")
)["chain"]


def roll_rows() -> list[dict[str, object]]:
    """The households of the chains' roll (see the head of jielong_chains.toml)."""
    rows: list[dict[str, object]] = []
    layout = {3: ((1, 2), 6, (1, 2)), 5: ((1, 2, 3), 6, (1, 2)), 6: ((1,), 6, (1, 2, 3)), 12: ((1, 2), 18, (1, 2))}
    for building, (units, floors, doors) in layout.items():
        for unit in units:
            for floor in range(1, floors + 1):
                for door in doors:
                    room = f"{floor}{door:02d}"
                    rows.append(
                        {
                            "household_id": f"H{building}{unit}{room}",
                            "building_no": building,
                            "unit": unit,
                            "room": room,
                        }
                    )
    return rows


@pytest.fixture(name="roll", scope="module")
def fixture_roll() -> JielongRoll:
    return JielongRoll.from_rows(roll_rows())


def test_there_are_at_least_thirty_chains_covering_every_kind_of_line() -> None:
    assert len(CHAINS) >= 30
    assert len({c["name"] for c in CHAINS}) == len(CHAINS)
    problems = {entry.split()[1] for c in CHAINS for entry in c["to_check"]}
    assert {"negation", "withdrawn", "proxy", "example"} <= problems
    assert any(c.get("withdrawn") for c in CHAINS) and any(c.get("repeated") for c in CHAINS)


@pytest.mark.parametrize("chain", CHAINS, ids=[c["name"] for c in CHAINS])
def test_chain_is_counted_as_a_careful_person_counts_it(roll: JielongRoll, chain: dict[str, Any]) -> None:
    options = tuple(chain.get("options", YES_NO_ABSTAIN_OPTIONS))
    result = parse_jielong(chain["text"], roll, options)
    ballots = sorted(f"{b.household_id} {b.choice}" for b in result.ballots)
    assert ballots == sorted(chain["ballots"])
    to_check = [f"{c.line_no} {c.problem.value}" for c in result.to_check]
    assert to_check == chain["to_check"]
    assert len(result.replaced) == chain.get("replaced", 0)
    assert sorted(b.household_id for b in result.withdrawn) == sorted(chain.get("withdrawn", []))
    assert result.repeated_lines == chain.get("repeated", 0)


@pytest.mark.parametrize("chain", CHAINS, ids=[c["name"] for c in CHAINS])
def test_every_line_is_a_ballot_a_line_to_check_a_repeat_or_a_header(roll: JielongRoll, chain: dict[str, Any]) -> None:
    """Nothing is dropped in silence: each non-blank line is accounted for."""
    options = tuple(chain.get("options", YES_NO_ABSTAIN_OPTIONS))
    result = parse_jielong(chain["text"], roll, options)
    lines = chain["text"].splitlines()
    accounted = {b.line_no for b in (*result.ballots, *result.replaced, *result.withdrawn)}
    accounted |= {c.line_no for c in result.to_check}
    silent = [n for n, line in enumerate(lines, start=1) if line.strip() and n not in accounted]
    headers = [n for n in silent if "接龙" in lines[n - 1]]
    assert len(silent) - len(headers) == result.repeated_lines
    for problem in {c.problem for c in result.to_check}:
        assert isinstance(problem, LineProblem)
