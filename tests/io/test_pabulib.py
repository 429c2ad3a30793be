"""Our own .pb reader: real pabulib files from the shared folder, and malformed files refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogov_toolkit.core.votes import BallotKind, Rule, count
from cogov_toolkit.errors import CorruptFileError, EncodingError
from cogov_toolkit.io.pabulib import read_pabulib

_REALWORLD = next(
    (p / "shared" / "realworld" for p in Path(__file__).resolve().parents[2:] if (p / "shared" / "realworld").is_dir()),
    Path(__file__).resolve().parents[3] / "shared" / "realworld",
)
PABULIB = _REALWORLD / "pabulib"

SMALL = """META
key;value
description;微实事 test
num_projects;3
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name;selected
a;60;口袋花园;1
b;50;"休闲;座椅";0
c;30;文化墙;1
VOTES
voter_id;age;sex;voting_method;vote
1;34;F;paper;a,c
2;61;M;internet;a
3;45;F;internet;b
"""


def test_a_small_file_reads_into_ballots_costs_and_budget() -> None:
    election = read_pabulib(SMALL.encode("utf-8"))
    assert election.ballots.kind is BallotKind.APPROVAL and election.ballots.n_ballots == 3
    assert election.params.costs == (60, 50, 30) and election.params.budget == 100
    assert election.rule is Rule.PB_GREEDY and election.selected == ("a", "c")
    assert election.names["b"] == "休闲;座椅"  # a quoted field keeps its separator
    assert election.channels == {"paper": 1, "internet": 2}
    result = count(election.ballots, election.rule, election.params)
    assert result.committees == (("a", "c"),)


def test_who_voted_is_not_kept() -> None:
    election = read_pabulib(SMALL.encode("utf-8"))
    kept = repr(election.ballots.to_data()) + repr(election.meta) + repr(election.channels)
    # the check itself finds an age where there is one
    assert "61" in repr({"age": 61}) and "61" not in kept and "voter" not in kept


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (SMALL.replace("VOTES\n", "VOTE\n"), "missing section VOTES"),
        (SMALL.replace("a;60;口袋花园;1", "a;60.5;口袋花园;1"), "cost '60.5'"),
        (SMALL.replace("3;45;F;internet;b", "3;45;F;internet;z"), "unknown project z"),
        (SMALL.replace("2;61;M;internet;a", "2;61;M;a"), "4 fields where the header has 5"),
        (SMALL.replace("budget;100", "budget;much"), "budget 'much'"),
    ],
)
def test_malformed_files_name_the_line_and_what_is_wrong(text: str, detail: str) -> None:
    with pytest.raises(CorruptFileError) as info:
        read_pabulib(text.encode("utf-8"))
    assert detail in str(info.value) and info.value.reason == "pabulib.bad_file"
    assert "参与式预算文件" in info.value.message("zh")


def test_a_file_not_in_utf8_is_refused() -> None:
    with pytest.raises(EncodingError):
        read_pabulib(SMALL.replace("test", "测试").encode("utf-16"))


def test_cumulative_points_over_the_declared_cap_are_refused() -> None:
    text = SMALL.replace("vote_type;approval", "vote_type;cumulative\nmax_sum_points;3").replace(
        "voter_id;age;sex;voting_method;vote", "voter_id;age;sex;voting_method;vote;points"
    )
    text = text.replace("1;34;F;paper;a,c", "1;34;F;paper;a,c;2,1").replace("2;61;M;internet;a", "2;61;M;internet;a;3")
    election = read_pabulib(text.replace("3;45;F;internet;b", "3;45;F;internet;b;1").encode())
    assert election.ballots.kind is BallotKind.CUMULATIVE and election.ballots.max_total == 3
    with pytest.raises(CorruptFileError) as info:
        read_pabulib(text.replace("3;45;F;internet;b", "3;45;F;internet;b;4").encode())
    assert "max_sum_points=3" in str(info.value)


@pytest.mark.skipif(not PABULIB.is_dir(), reason=f"no pabulib files in {PABULIB} (the shared real-world folder)")
def test_every_real_file_reads_with_the_numbers_it_declares() -> None:
    files = sorted(PABULIB.glob("*.pb"))
    assert len(files) >= 7
    for path in files:
        election = read_pabulib(path)
        assert len(election.projects) == int(election.meta["num_projects"]), path.name
        # num_votes counts every ballot; empty ballots (a few files have some) carry no vote
        assert 0 < election.ballots.n_ballots <= int(election.meta["num_votes"]), path.name
        assert election.params.budget == int(float(election.meta["budget"]))
