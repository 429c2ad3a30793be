"""The closed lists of codes the toolkit stores and shows (三事分流 classes, channels, vote rules …), declared once.

Each list is a :class:`~enum.StrEnum`: the code is what a workspace stores, the
member is what code checks against, and the Chinese and English labels live in
the catalog under ``label.<list>.<code>``. :data:`cogov_toolkit.core.schema.ENUMS`
(the allowed values of every coded column) is derived from :data:`CODE_LISTS`,
so a code added here is allowed, checked and labelled everywhere at once
(``tests/core/test_codes.py``). The modules that use a list re-export it under
the same name (``core.triage.TriageClass`` is :class:`TriageClass`).

Pure: imports nothing of the toolkit.
"""

from __future__ import annotations

from enum import StrEnum


# schema list 'adoption_zone_type', used by core.adoption
class ZoneType(StrEnum):
    """What is adopted (schema enum ``adoption_zone_type``)."""

    TREE = "tree"
    LAWN = "lawn"
    STAIRWELL = "stairwell"
    PUBLIC_AREA = "public_area"


# schema list 'adopter_type', used by core.adoption
class AdopterType(StrEnum):
    """Who adopted it (schema enum ``adopter_type``)."""

    HOUSEHOLD = "household"
    PARTY_MEMBER = "party_member"
    VOLUNTEER_TEAM = "volunteer_team"
    ENTERPRISE = "enterprise"


# schema list 'demand_urgency', used by core.workdays
class DemandUrgency(StrEnum):
    """How urgent a demand is (schema enum ``demand_urgency``); sets its reply deadline."""

    URGENT = "urgent"  # water, power, leaks, safety: 24 hours by the clock
    GENERAL = "general"  # 3 to 5 working days
    CONSULTATION = "consultation"  # answered on the spot


# schema list 'triage_class', used by core.triage
class TriageClass(StrEnum):
    """The three classes of 三事分流 (schema enum ``triage_class``)."""

    MAJOR = "major"  # 大事
    MINOR = "minor"  # 小事
    PRIVATE = "private"  # 私事


# schema list 'demand_status', used by core.triage
class DemandStatus(StrEnum):
    """The steps a demand runs through, in order (schema enum ``demand_status``)."""

    RECEIVED = "received"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    RESOLVED = "resolved"
    RATED = "rated"  # by the resident, after the follow-up visit


# schema list 'evaluation_phase', used by core.evaluation
class Phase(StrEnum):
    """The three moments of an evaluation."""

    PRE = "pre"
    MID = "mid"
    POST = "post"


# schema list 'vote_rule', used by core.votes.params
class Rule(StrEnum):
    """How the valid ballots are turned into a result (values: ``vote_rule`` codes of the schema)."""

    YES_NO_ABSTAIN = "yes_no_abstain"  #: 赞成/反对/弃权 on one proposal; 弃权 takes part, does not approve
    PLURALITY = "plurality"  #: most first choices
    APPROVAL = "approval"  #: most approvals
    BORDA = "borda"  #: positional points m-1, m-2, … 0
    INSTANT_RUNOFF = "instant_runoff"  #: eliminate the fewest first choices until a majority
    SCHULZE = "schulze"  #: Condorcet-consistent strongest paths over pairwise margins
    SCORE = "score"  #: highest sum of scores
    CIVIL_CODE_278 = "civil_code_278"  #: owners' decision, PRC Civil Code Art. 278
    REPRESENTATIVES = "representatives"  #: 居民代表会议: quorum of members, majority of those present
    BLOCK = "block"  #: 评选 of ``seats`` winners: the ``seats`` options with most approvals (optional quotas)
    STV = "stv"  #: single transferable vote, Droop quota, weighted inclusive Gregory transfers
    PAV = "pav"  #: proportional approval voting: the committee with the highest harmonic score
    EQUAL_SHARES = "equal_shares"  #: method of equal shares for a committee of ``seats`` (opt-in)
    PB_GREEDY = "pb_greedy"  #: participatory budget: fund projects by votes while the budget lasts
    PB_EQUAL_SHARES = "pb_equal_shares"  #: participatory budget: method of equal shares, with a completion


# schema list 'electorate', used by core.votes.params
class Electorate(StrEnum):
    """Who may vote (values: ``electorate`` codes of the schema)."""

    HOUSEHOLDS = "households"  #: one ballot per household on the roll
    OWNERS = "owners"  #: one ballot per exclusive unit; counted per owner (Art. 278)
    REPRESENTATIVES = "representatives"  #: one ballot per member of the representatives' meeting


# schema list 'scope_type', used by workflows.votes
class Scope(StrEnum):
    """Who a vote is for (values: ``scope_type`` codes of the schema)."""

    COMMUNITY = "community"  #: the whole 社区
    NEIGHBOURHOOD = "neighbourhood"  #: one 小区 (``scope_id`` N1)
    BUILDING = "building"  #: one 楼栋 (B05)
    UNIT = "unit"  #: one 单元 (B05-2): e.g. the owners of one entrance deciding on 加装电梯


# schema list 'ballot_channel', used by workflows.votes
class Channel(StrEnum):
    """How a ballot arrived (values: ``ballot_channel`` codes of the schema)."""

    PAPER = "paper"  #: paper ballot typed in at the meeting
    IMPORT = "import"  #: imported from a CSV/Excel file
    JIELONG = "jielong"  #: WeChat group 接龙
    SHOW_OF_HANDS = "show_of_hands"  #: counted hands at a representatives' meeting
    FORM = "form"  #: an online or tablet form


# schema list 'demand_event', used by core.triage
class EventKind(StrEnum):
    """The kinds of entry in a demand's history (column ``event`` of :func:`history_frame`)."""

    STATUS = "status"
    CLASS = "class"
    ESCALATION = "escalation"


# schema list 'care_result', used by core.adoption
class CareResult(StrEnum):
    """What a care check found (label ``adoption.care_result.<code>``)."""

    GOOD = "good"
    NEEDS_ATTENTION = "needs_attention"  # e.g. a damaged tree, a blocked stairwell


# schema list 'vote_step', used by workflows.votes
class Step(StrEnum):
    """The steps of 四议两公开 a vote's record shows (labels: ``label.vote_step.<value>``)."""

    PARTY_PROPOSAL = "party_proposal"  #: 社区党组织提议
    COMMITTEES_DISCUSSION = "committees_discussion"  #: 两委会议商议
    PARTY_MEMBERS_REVIEW = "party_members_review"  #: 党员大会审议
    REPRESENTATIVES_DECISION = "representatives_decision"  #: 居民代表会议决议
    DECISION_PUBLISHED = "decision_published"  #: 决议公开
    RESULT_PUBLISHED = "result_published"  #: 实施结果公开


# schema list 'notice_kind', used by workflows.notices
class NoticeKind(StrEnum):
    """What a notice publishes (schema enum ``notice_kind``)."""

    DECISION = "decision"
    TRIAGE_REPLIES = "triage_replies"
    ADOPTION_ROSTER = "adoption_roster"
    PROJECT = "project"
    HONOUR_ROLL = "honour_roll"
    OTHER = "other"


# schema list 'notice_status', used by workflows.notices
class NoticeStatus(StrEnum):
    """Where a notice stands (schema enum ``notice_status``)."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    PUBLISHED = "published"


# schema list 'objection_status', used by workflows.notices
class ObjectionStatus(StrEnum):
    """Where an objection stands (schema enum ``objection_status``)."""

    RECEIVED = "received"
    ANSWERED = "answered"
    CLOSED = "closed"


# schema list 'contributor_type', used by core.cobuilding
class ContributorType(StrEnum):
    """Who contributed (schema enum ``contributor_type``)."""

    HOUSEHOLD = "household"
    PARTY_MEMBER = "party_member"
    VOLUNTEER_TEAM = "volunteer_team"
    ENTERPRISE = "enterprise"
    SOCIAL_ORGANISATION = "social_organisation"


# schema list 'contribution_kind', used by core.cobuilding
class ContributionKind(StrEnum):
    """What was given (schema enum ``contribution_kind``)."""

    LABOUR = "labour"  #: 投工投劳: hours of work
    ITEMS = "items"  #: 捐献闲置物品: a quantity of items
    MONEY = "money"  #: money, in yuan
    MATERIALS = "materials"  #: materials, valued in yuan


# schema list 'funding_source', used by core.cobuilding
class FundingSource(StrEnum):
    """Where a project's money comes from (schema enum ``funding_source``)."""

    GOVERNMENT = "government"
    COMMUNITY_FUND = "community_fund"
    ENTERPRISE = "enterprise"
    RESIDENTS = "residents"
    OTHER = "other"


# schema list 'photo_stage', used by core.cobuilding
class PhotoStage(StrEnum):
    """When a project photo was taken (schema enum ``photo_stage``)."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


# schema list 'convention_kind', used by core.conventions
class ConventionKind(StrEnum):
    """What kind of rules a convention is (schema enum ``convention_kind``)."""

    RESIDENT_CONVENTION = "resident_convention"  #: 居民公约
    MANAGEMENT_RULES = "management_rules"  #: 管理规约
    DELIBERATION_RULES = "deliberation_rules"  #: 议事规则


# schema list 'convention_topic', used by core.conventions
class ConventionTopic(StrEnum):
    """What a convention is about (schema enum ``convention_topic``)."""

    PUBLIC_SPACE = "public_space"
    PARKING = "parking"
    WASTE_SORTING = "waste_sorting"
    SAFETY = "safety"
    OTHER = "other"


# schema list 'convention_version_status', used by core.conventions
class VersionStatus(StrEnum):
    """Where a version stands (schema enum ``convention_version_status``)."""

    DRAFT = "draft"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


# schema list 'vote_mode', used by core.conventions
class VoteMode(StrEnum):
    """How a version is put to the vote (schema enum ``vote_mode``)."""

    WHOLE = "whole"  #: one 赞成/反对/弃权 vote on the whole text
    PER_ARTICLE = "per_article"  #: one vote per article; adopted when every article passes


# schema list 'consent_purpose', used by core.privacy
class Purpose(StrEnum):
    """What a consent covers (schema enum ``consent_purpose``; labels ``label.consent_purpose.<code>``)."""

    HONOUR_ROLL = "honour_roll"  #: 先进典型、光荣榜
    ADOPTER_ROSTER = "adopter_roster"  #: the adoption roster and the 认养牌
    NOMINEE_LIST = "nominee_list"  #: a list of candidates (a vote's options, a selection)
    PHOTOS = "photos"  #: photos that show the person


#: schema list name -> its codes, in the order shown (``core.schema.ENUMS`` takes these)
CODE_LISTS: dict[str, type[StrEnum]] = {
    "adoption_zone_type": ZoneType,
    "adopter_type": AdopterType,
    "demand_urgency": DemandUrgency,
    "triage_class": TriageClass,
    "demand_status": DemandStatus,
    "evaluation_phase": Phase,
    "vote_rule": Rule,
    "electorate": Electorate,
    "scope_type": Scope,
    "ballot_channel": Channel,
    "demand_event": EventKind,
    "care_result": CareResult,
    "vote_step": Step,
    "notice_kind": NoticeKind,
    "notice_status": NoticeStatus,
    "objection_status": ObjectionStatus,
    "contributor_type": ContributorType,
    "contribution_kind": ContributionKind,
    "funding_source": FundingSource,
    "photo_stage": PhotoStage,
    "convention_kind": ConventionKind,
    "convention_topic": ConventionTopic,
    "convention_version_status": VersionStatus,
    "vote_mode": VoteMode,
    "consent_purpose": Purpose,
}

__all__ = [
    "ZoneType",
    "AdopterType",
    "DemandUrgency",
    "TriageClass",
    "DemandStatus",
    "Phase",
    "Rule",
    "Electorate",
    "Scope",
    "Channel",
    "EventKind",
    "CareResult",
    "Step",
    "NoticeKind",
    "NoticeStatus",
    "ObjectionStatus",
    "ContributorType",
    "ContributionKind",
    "FundingSource",
    "PhotoStage",
    "ConventionKind",
    "ConventionTopic",
    "VersionStatus",
    "VoteMode",
    "Purpose",
    "CODE_LISTS",
]
