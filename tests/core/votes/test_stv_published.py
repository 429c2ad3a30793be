"""STV for several seats against a published count: every ballot and every stage's figures are printed in the source.

Source: the worked example of the English Wikipedia article "Single transferable vote" (section
"Example", the food election; https://en.wikipedia.org/wiki/Single_transferable_vote): 20 voters,
3 seats, Droop quota floor(20 / 4) + 1 = 6; Chocolate is elected on first preferences with 12 and
its surplus of 6 moves on at 6/12 per ballot (Strawberries +4, Hamburgers +2); Pears is excluded
and its 2 ballots elect Oranges with 6; Hamburgers is excluded and Strawberries, the last one
left, takes the third seat. The article's transfer is the Gregory method with every ballot of the
elected candidate moving at the same fraction, which is what ``count_stv`` does (weighted
inclusive Gregory); Meek's method would give the same figures here, since no ballot passes
through an elected candidate after its surplus moved. It is a textbook count, not a public
election's: a real multi-seat count whose ballots are public (Scottish council wards, PrefLib's
Glasgow 2007 files) is not in ``../shared/realworld`` yet.
"""

from __future__ import annotations

from fractions import Fraction

from cogov_toolkit.core.votes import BallotKind, Electorate, RawBallot, RuleParams, count_stv, screen_ballots

CANDIDATES = ("Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers")
#: (voters, ranking) as printed in the article's ballot table
PROFILE = (
    (4, ["Oranges"]),
    (2, ["Pears", "Oranges"]),
    (8, ["Chocolate", "Strawberries"]),
    (4, ["Chocolate", "Hamburgers"]),
    (1, ["Strawberries"]),
    (1, ["Hamburgers"]),
)


def test_stv_reproduces_the_published_food_election_stage_by_stage() -> None:
    raw = [
        RawBallot(f"b{len(ranking)}-{i}-{n}", f"v{i}-{n}", ranking)
        for i, (voters, ranking) in enumerate(PROFILE)
        for n in range(voters)
    ]
    ballots = screen_ballots(raw, [b.voter for b in raw], CANDIDATES, Electorate.HOUSEHOLDS, kind=BallotKind.RANKING)
    assert ballots.n_ballots == 20
    result = count_stv(ballots, RuleParams(seats=3))
    stages = [(s.action, s.source, dict(s.tallies), s.elected, s.excluded) for s in result.stv_rounds]
    one = Fraction(1)
    assert stages[0] == (
        "first", None,
        {"Oranges": 4 * one, "Pears": 2 * one, "Chocolate": 12 * one, "Strawberries": one, "Hamburgers": one},
        ("Chocolate",), (),
    )  # fmt: skip
    assert stages[1][:2] == ("surplus", "Chocolate") and result.stv_rounds[1].transfer_value == Fraction(1, 2)
    assert stages[1][2] == {"Oranges": 4, "Pears": 2, "Chocolate": 6, "Strawberries": 5, "Hamburgers": 3}
    assert stages[2][0] == "exclusion" and stages[2][4] == ("Pears",) and stages[2][3] == ("Oranges",)
    assert stages[2][2] == {"Oranges": 6, "Pears": 0, "Chocolate": 6, "Strawberries": 5, "Hamburgers": 3}
    assert stages[3][0] == "exclusion" and stages[3][4] == ("Hamburgers",)
    assert stages[-1][0] == "remaining" and stages[-1][3] == ("Strawberries",)
    assert set(result.winners) == {"Chocolate", "Oranges", "Strawberries"} and not result.contested
    # votes are conserved at every stage: tallies plus non-transferable make the 20 valid ballots
    assert all(sum(dict(s.tallies).values()) + s.non_transferable == 20 for s in result.stv_rounds)
    # Hamburgers' 3 votes (2 from Chocolate's surplus, 1 first preference) have no continuing preference left
    assert result.stv_rounds[3].non_transferable == 3
