"""What a workspace holds: spatial layers, record tables, private tables and their codes.

Declarations only (pandera's split of declarations from the engine): storage
creates tables from these, importers check files against them, widgets and
maps read the enum codes and show their labels from the i18n catalog
(``label.<enum>.<code>``). Codes are English identifiers; people see Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- enums -------------------------------------------------------------------
#: enum name -> allowed codes (display labels live in i18n under label.<enum>.<code>)
ENUMS: dict[str, tuple[str, ...]] = {
    "public_space_type": (
        "open_ground_floor",  # 架空层
        "culture_wall",  # 文化墙
        "pocket_garden",  # 小花园
        "deliberation_corner",  # 议事角
        "square",  # 广场
        "fitness_area",  # 健身区
        "parking",  # 停车场
    ),
    "idle_plot_kind": ("idle_land", "corner_land", "scattered_plot", "small_green"),
    "idle_plot_status": ("idle", "proposed", "in_progress", "done"),
    "adoption_zone_type": ("tree", "lawn", "stairwell", "public_area"),
    "adoption_status": ("available", "adopted"),
    "adopter_type": ("household", "party_member", "volunteer_team", "enterprise"),
    "demand_channel": ("visit", "survey", "meeting", "online"),
    "demand_category": (
        "sanitation",  # 环境卫生
        "parking",  # 停车
        "greening",  # 绿化
        "repair",  # 设施维修
        "safety",  # 安全隐患
        "dispute",  # 邻里纠纷
        "ageing",  # 适老化
        "other",
    ),
    "demand_urgency": ("urgent", "general", "consultation"),
    "place_type": ("building", "public_space", "idle_plot", "adoption_zone", "neighbourhood"),
    "triage_class": ("major", "minor", "private"),
    "demand_status": ("received", "assigned", "replied", "resolved", "rated"),
    "evaluation_phase": ("pre", "mid", "post"),
    "evaluator_role": ("residents_committee", "owners_committee", "property_manager", "resident", "volunteer"),
    "vote_rule": (
        "yes_no_abstain",
        "plurality",
        "approval",
        "borda",
        "instant_runoff",
        "schulze",
        "score",
        "civil_code_278",
        "representatives",
        "block",
        "stv",
        "pav",
        "equal_shares",
        "pb_greedy",
        "pb_equal_shares",
    ),
    "electorate": ("households", "owners", "representatives"),
    "scope_type": ("community", "neighbourhood", "building", "unit"),
    "ballot_channel": ("paper", "import", "jielong", "show_of_hands", "form"),
    "project_status": ("proposed", "decided", "in_progress", "done"),
    "triage_scope": ("household", "building", "neighbourhood", "community", "city"),
    "demand_event": ("status", "class", "escalation"),
    "care_result": ("good", "needs_attention"),
    "vote_status": ("draft", "open", "counted", "published"),
    "vote_step": (
        "party_proposal",
        "committees_discussion",
        "party_members_review",
        "representatives_decision",
        "decision_published",
        "result_published",
    ),
    "notice_kind": ("decision", "triage_replies", "adoption_roster", "project", "honour_roll", "other"),
    "notice_status": ("draft", "reviewed", "published"),
    "objection_status": ("received", "answered", "closed"),
    # --- 发展共建, project accountability, conventions, assessment (issue 16) ---
    "contributor_type": ("household", "party_member", "volunteer_team", "enterprise", "social_organisation"),
    "contribution_kind": ("labour", "items", "money", "materials"),  # 投工投劳、捐献物品、资金、材料
    "funding_source": ("government", "community_fund", "enterprise", "residents", "other"),
    "photo_stage": ("before", "during", "after"),
    "convention_kind": (
        "resident_convention",
        "management_rules",
        "deliberation_rules",
    ),  # 居民公约、管理规约、议事规则
    "convention_topic": ("public_space", "parking", "waste_sorting", "safety", "other"),
    "convention_status": ("draft", "voting", "adopted"),
    "convention_version_status": ("draft", "voting", "adopted", "rejected", "superseded"),
    "vote_mode": ("whole", "per_article"),
    "target_source": ("planner", "sheet"),
    # --- finding one's way on a map (issue 13): roads and landmarks
    "road_kind": (
        "city_road",  # 市政道路 (outside the compound, or through it)
        "internal",  # 小区道路
        "fire_lane",  # 消防通道
        "footpath",  # 步道
    ),
    "landmark_kind": (
        "gate",  # 大门、出入口
        "party_service_centre",  # 党群服务中心
        "property_office",  # 物业服务中心
        "waste_point",  # 垃圾分类点
        "parcel_locker",  # 快递柜
        "bus_stop",  # 公交站
        "charging_point",  # 充电桩、充电棚
        "shop",  # 小区超市、便利店
        "school",  # 幼儿园、学校
        "other",
    ),
    "consent_purpose": ("honour_roll", "adopter_roster", "nominee_list", "photos"),
}

# --- columns -------------------------------------------------------------------
TEXT, INTEGER, REAL, BOOLEAN, DATE, DATETIME, JSON = (
    "text",
    "integer",
    "real",
    "boolean",
    "date",
    "datetime",
    "json",
)
SQL_TYPES = {
    TEXT: "TEXT",
    INTEGER: "INTEGER",
    REAL: "REAL",
    BOOLEAN: "BOOLEAN",
    DATE: "DATE",
    DATETIME: "DATETIME",
    JSON: "TEXT",
}


@dataclass(frozen=True)
class Column:
    """One column of a layer or table, with the header spellings an import accepts."""

    name: str
    dtype: str = TEXT
    required: bool = False
    enum: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        """The i18n key of this column's display name."""
        return f"column.{self.name}"


def _c(name: str, dtype: str = TEXT, required: bool = False, enum: str | None = None, *aliases: str) -> Column:
    return Column(name, dtype, required, enum, aliases)


# geometry families a layer accepts (GeoPackage layers are declared GEOMETRY when mixed)
POLYGON, POINT, LINE = "Polygon", "Point", "LineString"


@dataclass(frozen=True)
class LayerKind:
    """A spatial layer of the workspace (stored as a GeoPackage feature table)."""

    name: str
    id_column: str
    geometry: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def geometry_type(self) -> str:
        """The GeoPackage geometry type: the single family, or GEOMETRY when mixed."""
        if len(self.geometry) == 1:
            return {POLYGON: "MultiPolygon", POINT: "Point", LINE: "MultiLineString"}[self.geometry[0]]
        return "Unknown"

    def column(self, name: str) -> Column:
        """Return the column declaration called ``name``."""
        return next(c for c in self.columns if c.name == name)


#: what the shared copy and the exports hold of a record table (:attr:`RecordTable.shared`)
SHARED_COPY, SHARED_SUMMARY = "copy", "summary"


@dataclass(frozen=True)
class RecordTable:
    """A non-spatial table of records (GeoPackage 'attributes' table)."""

    name: str
    columns: tuple[Column, ...]
    key: str | None = None  # a business id that must stay unique (e.g. household_id)
    private: bool = False
    links_to: str | None = None  # private tables only: the record table whose uuid the key column holds
    #: "copy": shared with its text masked; "summary": one row per person, so only its summary
    #: (:data:`SHARED_SUMMARIES`) is shared, never a row
    shared: str = SHARED_COPY
    #: the private table that keeps this table's idempotency keys (they name a household)
    private_keys: str | None = None
    #: columns a workflow looks records up by (one demand's events, one vote's ballots): indexed by storage
    indexes: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """Return the column declaration called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of the declared (non-system) columns."""
        return tuple(c.name for c in self.columns)


#: columns every record carries so that two copies of a workspace can be merged later
SYSTEM_COLUMNS: tuple[Column, ...] = (
    _c("uuid", TEXT, True),
    _c("created_at", DATETIME, True),
    _c("updated_at", DATETIME, True),
    _c("origin", TEXT),  # workspace_id of the copy that created the record
    _c("idempotency_key", TEXT),  # one per filled form: a retried submit cannot save twice
)

_ID = ("编号", "id", "ID")
_NB = ("小区", "小区编号", "neighbourhood")
LAYERS: dict[str, LayerKind] = {
    kind.name: kind
    for kind in (
        LayerKind(
            "community",
            "community_id",
            (POLYGON,),
            (_c("community_id", TEXT, True, None, "社区编号"), _c("name", TEXT, True, None, "名称", "社区")),
        ),
        LayerKind(
            "neighbourhoods",
            "neighbourhood_id",
            (POLYGON,),
            (
                _c("neighbourhood_id", TEXT, True, None, "小区编号", *_ID),
                _c("name", TEXT, True, None, "名称", "小区名称"),
                _c("community_id", TEXT, False, None, "社区编号"),
            ),
        ),
        LayerKind(
            "grids",
            "grid_id",
            (POLYGON,),
            (
                _c("grid_id", TEXT, True, None, "网格编号", *_ID),
                _c("name", TEXT, True, None, "名称", "网格名称"),
                _c("neighbourhood_id", TEXT, True, None, *_NB),
            ),
        ),
        LayerKind(
            "buildings",
            "building_id",
            (POLYGON,),
            (
                _c("building_id", TEXT, True, None, "楼栋编号", *_ID),
                _c("label", TEXT, True, None, "楼栋", "栋号", "名称"),
                _c("neighbourhood_id", TEXT, True, None, *_NB),
                _c("grid_id", TEXT, True, None, "网格", "网格编号"),
                _c("units", INTEGER, True, None, "单元数"),
                _c("floors", INTEGER, True, None, "层数", "楼层数"),
                _c("households", INTEGER, True, None, "户数"),
                _c("area_m2", REAL, False, None, "占地面积"),
            ),
        ),
        LayerKind(
            "public_spaces",
            "space_id",
            (POLYGON, POINT, LINE),
            (
                _c("space_id", TEXT, True, None, "空间编号", *_ID),
                _c("number", INTEGER, True, None, "序号"),
                _c("type", TEXT, True, "public_space_type", "类型"),
                _c("name", TEXT, False, None, "名称"),
                _c("neighbourhood_id", TEXT, False, None, *_NB),
                _c("area_m2", REAL, False, None, "面积"),
                _c("notes", TEXT, False, None, "备注", "说明"),
            ),
        ),
        LayerKind(
            "idle_plots",
            "plot_id",
            (POLYGON,),
            (
                _c("plot_id", TEXT, True, None, "地块编号", *_ID),
                _c("number", INTEGER, True, None, "序号"),
                _c("name", TEXT, False, None, "名称"),
                _c("kind", TEXT, False, "idle_plot_kind", "类别"),
                _c("status", TEXT, True, "idle_plot_status", "状态"),
                _c("neighbourhood_id", TEXT, False, None, *_NB),
                _c("proposed_use", TEXT, False, None, "拟改造用途"),
                _c("area_m2", REAL, False, None, "面积"),
                _c("notes", TEXT, False, None, "备注", "说明"),
            ),
        ),
        LayerKind(
            "adoption_zones",
            "zone_id",
            (POINT, POLYGON),
            (
                _c("zone_id", TEXT, True, None, "认养编号", *_ID),
                _c("number", INTEGER, True, None, "序号"),
                _c("zone_type", TEXT, True, "adoption_zone_type", "类型"),
                _c("name", TEXT, False, None, "名称"),
                _c("building_id", TEXT, False, None, "楼栋编号"),
                _c("unit", INTEGER, False, None, "单元"),
                _c("neighbourhood_id", TEXT, False, None, *_NB),
                _c("status", TEXT, True, "adoption_status", "状态"),
                _c("area_m2", REAL, False, None, "面积"),
                _c("notes", TEXT, False, None, "备注", "说明"),
            ),
        ),
        # optional layers that help a resident find their way: drawn on every map where the workspace has them
        LayerKind(
            "roads",
            "road_id",
            (LINE,),
            (
                _c("road_id", TEXT, True, None, "道路编号", *_ID),
                _c("number", INTEGER, False, None, "序号"),
                _c("name", TEXT, False, None, "名称", "道路名称", "路名"),
                _c("kind", TEXT, True, "road_kind", "类型", "类别", "道路类型"),
                _c("neighbourhood_id", TEXT, False, None, *_NB),
                _c("notes", TEXT, False, None, "备注", "说明"),
            ),
        ),
        LayerKind(
            "landmarks",
            "landmark_id",
            (POINT,),
            (
                _c("landmark_id", TEXT, True, None, "地标编号", "设施编号", *_ID),
                _c("number", INTEGER, False, None, "序号"),
                _c("name", TEXT, False, None, "名称", "地标名称"),
                _c("kind", TEXT, True, "landmark_kind", "类型", "类别", "设施类型"),
                _c("neighbourhood_id", TEXT, False, None, *_NB),
                _c("notes", TEXT, False, None, "备注", "说明"),
            ),
        ),
    )
}

RECORD_TABLES: dict[str, RecordTable] = {
    table.name: table
    for table in (
        RecordTable(
            "households",
            (
                _c("household_id", TEXT, True, None, "户号", "户编号"),
                _c("building_id", TEXT, True, None, "楼栋编号", "楼栋"),
                _c("unit", INTEGER, True, None, "单元"),
                _c("floor", INTEGER, False, None, "楼层"),
                _c("room", TEXT, True, None, "房号", "门牌号"),
                _c("registered_area_m2", REAL, False, None, "登记面积", "不动产登记面积"),
                _c("surveyed_area_m2", REAL, False, None, "实测面积", "测绘面积"),
                _c("contract_area_m2", REAL, False, None, "合同面积"),
                _c("is_owner", BOOLEAN, False, None, "是否业主"),
                _c("owner_key", TEXT, False, None, "产权人编号"),
                _c("developer_unsold", BOOLEAN, False, None, "开发商未售"),
            ),
            key="household_id",
            shared=SHARED_SUMMARY,  # one row per flat: shared as counts per building and unit
            indexes=("building_id",),
        ),
        RecordTable(
            "projects",
            (
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("name", TEXT, True, None, "项目名称"),
                _c("site_type", TEXT, False, "place_type", "地点类型"),
                _c("site_id", TEXT, False, None, "地点编号"),
                _c("status", TEXT, False, "project_status", "状态"),
                _c("source_demand_id", TEXT, False, None, "来源诉求"),
            ),
            key="project_id",
        ),
        RecordTable(
            "votes",
            (
                _c("vote_id", TEXT, True, None, "表决编号"),
                _c("question", TEXT, True, None, "表决事项"),
                _c("options", JSON, True, None, "选项"),
                _c("rule", TEXT, True, "vote_rule", "计票规则"),
                _c("electorate", TEXT, True, "electorate", "投票人"),
                _c("scope_type", TEXT, False, "scope_type", "范围"),
                _c("scope_id", TEXT, False, None, "范围编号"),
                _c("opens_on", DATE, False, None, "开始日期"),
                _c("closes_on", DATE, False, None, "截止日期"),
                _c("subject_type", TEXT, False, "place_type", "表决对象类型"),
                _c("subject_id", TEXT, False, None, "表决对象"),
                _c("ballot_kind", TEXT, False, None, "选票类型"),
                _c("params", JSON, False, None, "计票参数"),
                _c("status", TEXT, False, "vote_status", "状态"),
            ),
            key="vote_id",
        ),
        # a counted result with its audit record; recounting the stored ballots must reproduce it
        RecordTable(
            "vote_results",
            (
                _c("vote_id", TEXT, True, None, "表决编号"),
                _c("rule", TEXT, True, "vote_rule", "计票规则"),
                _c("result", JSON, True, None, "结果"),
                _c("audit", JSON, True, None, "审计记录"),
                _c("counted_at", DATETIME, True, None, "计票时间"),
            ),
            indexes=("vote_id",),
        ),
        # the 四议两公开 steps of a vote, each with its date and a note (no personal data)
        RecordTable(
            "vote_steps",
            (
                _c("vote_id", TEXT, True, None, "表决编号"),
                _c("step", TEXT, True, "vote_step", "步骤"),
                _c("on", DATE, True, None, "日期"),
                _c("note", TEXT, False, None, "说明"),
            ),
            indexes=("vote_id",),
        ),
        # who cast a ballot is private (ballot_links); the public row holds only the choice and a random
        # reference (ballot_ref) that names no household, room or time; a blank ballot's choice is empty
        RecordTable(
            "ballots",
            (
                _c("vote_id", TEXT, True, None, "表决编号"),
                _c("choice", TEXT, False, None, "选择"),
                _c("channel", TEXT, False, "ballot_channel", "来源"),
                _c("submitted_at", DATETIME, False, None, "提交时间"),
                _c("ballot_ref", TEXT, False, None, "选票编号"),
            ),
            shared=SHARED_SUMMARY,
            private_keys="ballot_links",
            indexes=("vote_id", "ballot_ref"),
        ),
        RecordTable(
            "evaluations",
            (
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("phase", TEXT, True, "evaluation_phase", "阶段"),
                _c("evaluator_role", TEXT, True, "evaluator_role", "评价主体"),
                _c("building_id", TEXT, False, None, "楼栋编号"),
                _c("questionnaire", TEXT, False, None, "问卷"),
                _c("answers", JSON, True, None, "答案"),
                _c("comment", TEXT, False, None, "意见建议", "意见", "建议", "评论"),
                _c("submitted_at", DATETIME, False, None, "提交时间"),
            ),
            shared=SHARED_SUMMARY,  # one row per response: shared as per-item aggregates only
            indexes=("project_id",),
        ),
        RecordTable(
            "demands",
            (
                _c("demand_id", TEXT, True, None, "诉求编号"),
                _c("reported_on", DATE, True, None, "日期", "反映日期"),
                _c("channel", TEXT, True, "demand_channel", "渠道"),
                _c("place_type", TEXT, False, "place_type", "地点类型"),
                _c("place_id", TEXT, False, None, "地点编号"),
                _c("building_id", TEXT, False, None, "楼栋编号"),
                _c("category", TEXT, True, "demand_category", "类别"),
                _c("text", TEXT, True, None, "内容", "诉求内容"),
                _c("urgency", TEXT, False, "demand_urgency", "紧急程度"),
                _c("triage_class", TEXT, False, "triage_class", "分流"),
                _c("status", TEXT, False, "demand_status", "状态"),
                _c("due_at", DATETIME, False, None, "答复期限"),
                _c("received_at", DATETIME, False, None, "受理时间"),
                _c("scope", TEXT, False, "triage_scope", "影响范围"),
                _c("households_affected", INTEGER, False, None, "涉及户数"),
                _c("handler_unit", TEXT, False, None, "承办单位"),
                _c("handler", TEXT, False, None, "承办人"),
                _c("reply", TEXT, False, None, "答复内容"),
                _c("replied_at", DATETIME, False, None, "答复时间"),
                _c("resolved_at", DATETIME, False, None, "办结时间"),
                _c("rating", INTEGER, False, None, "满意度"),
                _c("project_id", TEXT, False, None, "转入项目"),
            ),
            key="demand_id",
        ),
        # every status change, reclassification and escalation of a demand, in order (core/triage.py)
        RecordTable(
            "demand_events",
            (
                _c("demand_id", TEXT, True, None, "诉求编号"),
                _c("seq", INTEGER, True, None, "序号"),
                _c("event", TEXT, True, "demand_event", "事件"),
                _c("at", DATETIME, True, None, "时间"),
                _c("from_value", TEXT, False, None, "原值"),
                _c("to_value", TEXT, False, None, "新值"),
                _c("by_role", TEXT, False, None, "操作角色"),
                _c("reason", TEXT, False, None, "理由"),
            ),
            indexes=("demand_id",),
        ),
        RecordTable(
            "adoptions",
            (
                _c("adoption_id", TEXT, True, None, "认养编号"),
                _c("zone_id", TEXT, True, None, "认养区域"),
                _c("adopter_type", TEXT, True, "adopter_type", "认养人类型"),
                _c("public_name", TEXT, False, None, "公开称呼"),
                _c("start_on", DATE, False, None, "开始日期"),
                _c("end_on", DATE, False, None, "结束日期"),
                _c("duties", TEXT, False, None, "责任"),
                _c("notice_given_on", DATE, False, None, "提出终止日期"),
                _c("renewed_from", TEXT, False, None, "续期自"),
            ),
            key="adoption_id",
            indexes=("zone_id",),
        ),
        RecordTable(
            "adoption_care_log",
            (
                _c("zone_id", TEXT, True, None, "认养区域"),
                _c("adoption_id", TEXT, False, None, "认养编号"),
                _c("checked_on", DATE, True, None, "检查日期"),
                _c("result", TEXT, True, "care_result", "检查结果"),
                _c("note", TEXT, False, None, "说明"),
                _c("photo_path", TEXT, False, None, "照片"),  # photos may show people: never published
            ),
            indexes=("adoption_id",),
        ),
        RecordTable(
            "notices",
            (
                _c("notice_id", TEXT, True, None, "公示编号"),
                _c("title", TEXT, True, None, "标题"),
                _c("basis", TEXT, False, None, "依据"),
                _c("matter", TEXT, False, None, "事项"),
                _c("body", JSON, False, None, "内容"),
                _c("start_on", DATE, False, None, "公示开始"),
                _c("end_on", DATE, False, None, "公示结束"),
                _c("contact", TEXT, False, None, "联系方式"),
                _c("issuer", TEXT, False, None, "落款"),
                _c("issued_on", DATE, False, None, "日期"),
                _c("kind", TEXT, False, "notice_kind", "公示类别"),
                _c("subject_id", TEXT, False, None, "公示对象"),
                _c("status", TEXT, False, "notice_status", "状态"),
            ),
            key="notice_id",
        ),
        # the workspace's own settings, entered once (office phone, contact, issuer …): key → value
        RecordTable(
            "settings",
            (
                _c("key", TEXT, True, None, "设置项"),
                _c("value", TEXT, False, None, "值"),
            ),
            key="key",
        ),
        RecordTable(
            "objections",
            (
                _c("notice_id", TEXT, True, None, "公示编号"),
                _c("received_on", DATE, True, None, "收到日期"),
                _c("channel", TEXT, False, None, "方式"),
                _c("summary", TEXT, True, None, "意见摘要"),
                _c("reply", TEXT, False, None, "答复"),
                _c("replied_on", DATE, False, None, "答复日期"),
                _c("status", TEXT, False, "objection_status", "状态"),
            ),
            indexes=("notice_id",),
        ),
        # --- 发展共建 (三.2): workshop sessions and contributions; who signed in is private (session_signins)
        RecordTable(
            "workshop_sessions",
            (
                _c("session_id", TEXT, True, None, "活动编号"),
                _c("held_on", DATE, True, None, "活动日期", "日期"),
                _c("title", TEXT, True, None, "活动主题", "主题"),
                _c("workshop", TEXT, False, None, "社区工坊", "工坊"),
                _c("project_id", TEXT, False, None, "项目编号"),
                _c("place_type", TEXT, False, "place_type", "地点类型"),
                _c("place_id", TEXT, False, None, "地点编号"),
                _c("attendance", INTEGER, False, None, "参加人数", "人数"),
                _c("minutes", TEXT, False, None, "会议记录", "纪要"),  # kept, never published
            ),
            key="session_id",
        ),
        # a contributor's name is public only with consent (public_name); otherwise it is in contributor_contacts
        RecordTable(
            "contributions",
            (
                _c("contribution_id", TEXT, True, None, "贡献编号"),
                _c("contributed_on", DATE, True, None, "日期", "贡献日期"),
                _c("contributor_type", TEXT, True, "contributor_type", "贡献者类型"),
                _c("contributor_ref", TEXT, False, None, "贡献者编号"),
                _c("kind", TEXT, True, "contribution_kind", "贡献类型", "类别"),
                _c("project_id", TEXT, False, None, "项目编号"),
                _c("session_id", TEXT, False, None, "活动编号"),
                _c("milestone_id", TEXT, False, None, "节点编号"),
                _c("place_type", TEXT, False, "place_type", "地点类型"),
                _c("place_id", TEXT, False, None, "地点编号"),
                _c("task", TEXT, False, None, "内容", "任务"),
                _c("hours", REAL, False, None, "工时", "小时"),
                _c("quantity", REAL, False, None, "数量"),
                _c("quantity_unit", TEXT, False, None, "计量单位"),
                _c("value_yuan", REAL, False, None, "金额", "折合金额"),
            ),
            key="contribution_id",
        ),
        # --- project accountability (三.4 小微权力, 财务公开): budget, sources, spending, milestones, photos
        RecordTable(
            "project_finance",
            (
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("budget_yuan", REAL, True, None, "预算总额", "预算"),
                _c("disclosure_months", INTEGER, False, None, "公开周期（月）"),
                _c("disclosure_from", DATE, False, None, "首次公开日期"),
                _c("note", TEXT, False, None, "说明"),
            ),
            key="project_id",
        ),
        RecordTable(
            "budget_sources",
            (
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("source", TEXT, True, "funding_source", "资金来源", "来源"),
                _c("amount_yuan", REAL, True, None, "金额"),
                _c("note", TEXT, False, None, "说明"),
            ),
        ),
        RecordTable(
            "spending",
            (
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("spent_on", DATE, True, None, "支出日期", "日期"),
                _c("amount_yuan", REAL, True, None, "金额"),
                _c("item", TEXT, True, None, "支出事项", "事项"),
                _c("receipt_ref", TEXT, False, None, "票据号", "凭证号"),
                _c("source", TEXT, False, "funding_source", "资金来源"),
                _c("milestone_id", TEXT, False, None, "节点编号"),
            ),
        ),
        RecordTable(
            "milestones",
            (
                _c("milestone_id", TEXT, True, None, "节点编号"),
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("name", TEXT, True, None, "节点名称", "名称"),
                _c("planned_on", DATE, True, None, "计划日期"),
                _c("actual_on", DATE, False, None, "实际完成日期", "完成日期"),
                _c("note", TEXT, False, None, "说明"),
            ),
            key="milestone_id",
        ),
        # a mid-project evaluation (事中监督, table evaluations) linked to the milestone it judges
        RecordTable(
            "milestone_evaluations",
            (
                _c("milestone_id", TEXT, True, None, "节点编号"),
                _c("evaluation_uuid", TEXT, True, None, "评价记录"),
            ),
        ),
        # photos are stored inside the workspace (photo_files), EXIF and location stripped
        RecordTable(
            "project_photos",
            (
                _c("photo_id", TEXT, True, None, "照片编号"),
                _c("project_id", TEXT, True, None, "项目编号"),
                _c("milestone_id", TEXT, False, None, "节点编号"),
                _c("stage", TEXT, True, "photo_stage", "阶段"),
                _c("taken_on", DATE, False, None, "拍摄日期"),
                _c("caption", TEXT, False, None, "说明文字"),
                _c("shows_faces", BOOLEAN, False, None, "有人脸"),
                _c("shows_minors", BOOLEAN, False, None, "有未成年人"),
                _c("consent_ref", TEXT, False, None, "同意记录"),
                _c("file_uuid", TEXT, True, None, "照片文件"),
                _c("width", INTEGER, False, None, "宽度"),
                _c("height", INTEGER, False, None, "高度"),
            ),
            key="photo_id",
        ),
        RecordTable(
            "photo_files",
            (
                _c("sha256", TEXT, True, None, "校验值"),
                _c("mime", TEXT, True, None, "文件类型"),
                _c("data", TEXT, True, None, "内容"),  # base64 of the cleaned JPEG
            ),
            key="sha256",
        ),
        # --- resident conventions (三.3 居民公约、管理规约、议事规则): every version kept
        RecordTable(
            "conventions",
            (
                _c("convention_id", TEXT, True, None, "公约编号"),
                _c("title", TEXT, True, None, "名称", "标题"),
                _c("kind", TEXT, False, "convention_kind", "类别"),
                _c("topics", JSON, False, None, "议题"),
                _c("scope_type", TEXT, False, "scope_type", "范围"),
                _c("scope_id", TEXT, False, None, "范围编号"),
                _c("status", TEXT, False, "convention_status", "状态"),
                _c("adopted_version", INTEGER, False, None, "通过版本"),
            ),
            key="convention_id",
        ),
        RecordTable(
            "convention_versions",
            (
                _c("convention_id", TEXT, True, None, "公约编号"),
                _c("version", INTEGER, True, None, "版本"),
                _c("articles", JSON, True, None, "条款"),
                _c("demand_ids", JSON, False, None, "来源诉求"),
                _c("note", TEXT, False, None, "修订说明"),
                _c("drafted_on", DATE, False, None, "起草日期"),
                _c("vote_mode", TEXT, False, "vote_mode", "表决方式"),
                _c("vote_ids", JSON, False, None, "表决编号"),
                _c("status", TEXT, False, "convention_version_status", "状态"),
                _c("adopted_on", DATE, False, None, "通过日期"),
            ),
        ),
        # --- 评估验收: the target of each pilot indicator, set by the planner or read from the 街道's 考核表
        RecordTable(
            "indicator_targets",
            (
                _c("indicator", TEXT, True, None, "指标编号"),
                _c("target", REAL, False, None, "目标值"),  # blank: the target was cleared
                _c("source", TEXT, False, "target_source", "来源"),
                _c("sheet_file", TEXT, False, None, "考核表文件"),
                _c("set_on", DATE, False, None, "设定日期"),
            ),
            key="indicator",
        ),
    )
}

#: personal data: kept in the private companion file, never in the shareable workspace
PRIVATE_TABLES: dict[str, RecordTable] = {
    table.name: table
    for table in (
        RecordTable(
            "people",
            (
                _c("household_id", TEXT, True),
                _c("name", TEXT),
                _c("phone", TEXT),
                _c("hardship_note", TEXT),
                _c("public_name", TEXT),  # how the household agreed to be named (published only under a consent)
            ),
            key="household_id",
            private=True,
        ),
        # who voted how: the link from a public ballot row to a household, with the ballot's own
        # reference (paper ballot, 接龙 line, the file's ballot id) and its idempotency key
        RecordTable(
            "ballot_links",
            (
                _c("ballot_uuid", TEXT, True),
                _c("vote_id", TEXT, True),
                _c("household_id", TEXT, True),
                _c("source_ref", TEXT),
            ),
            key="ballot_uuid",
            private=True,
            links_to="ballots",
            indexes=("vote_id",),
        ),
        RecordTable(
            "evaluation_links",
            (_c("evaluation_uuid", TEXT, True), _c("household_id", TEXT, True)),
            key="evaluation_uuid",
            private=True,
            links_to="evaluations",
        ),
        RecordTable(
            "demand_contacts",
            (_c("demand_uuid", TEXT, True), _c("household_id", TEXT), _c("name", TEXT), _c("phone", TEXT)),
            key="demand_uuid",
            private=True,
            links_to="demands",
        ),
        RecordTable(
            "adopter_contacts",
            (
                _c("adoption_uuid", TEXT, True),
                _c("household_id", TEXT),
                _c("name", TEXT),
                _c("phone", TEXT),
                _c("public_name", TEXT),  # a person's display name: published only under a consent
            ),
            key="adoption_uuid",
            private=True,
            links_to="adoptions",
        ),
        # a pasted 接龙 as pasted: it names households and their choices
        RecordTable(
            "jielong_pastes",
            (_c("vote_id", TEXT, True), _c("text", TEXT, True)),
            private=True,
            indexes=("vote_id",),
        ),
        RecordTable(
            "objection_contacts",
            (_c("objection_uuid", TEXT, True), _c("household_id", TEXT), _c("name", TEXT), _c("phone", TEXT)),
            key="objection_uuid",
            private=True,
            links_to="objections",
        ),
        # 签到表: who attended a workshop session (many rows per session, written with add_private)
        RecordTable(
            "session_signins",
            (_c("session_uuid", TEXT, True), _c("household_id", TEXT), _c("name", TEXT), _c("phone", TEXT)),
            private=True,
        ),
        RecordTable(
            "contributor_contacts",
            (
                _c("contribution_uuid", TEXT, True),
                _c("household_id", TEXT),
                _c("name", TEXT),
                _c("phone", TEXT),
                _c("public_name", TEXT),  # how a contributor agreed to be named: published only under a consent
            ),
            key="contribution_uuid",
            private=True,
            links_to="contributions",
        ),
        # who agreed to be named in which kind of publication, from when, until when (core/privacy.py)
        RecordTable(
            "consents",
            (
                _c("purpose", TEXT, True, "consent_purpose"),
                _c("given_on", DATE, True),
                _c("withdrawn_on", DATE),
                _c("household_id", TEXT),
                _c("name", TEXT),
                _c("public_name", TEXT),
                _c("subject_id", TEXT),  # the record the consent concerns, e.g. an adoption id
            ),
            private=True,
        ),
    )
}

#: what the shared copy and the exports hold instead of the per-person tables (``shared="summary"``)
SHARED_SUMMARIES: dict[str, RecordTable] = {
    table.name: table
    for table in (
        RecordTable(
            "vote_totals",
            (_c("vote_id", TEXT, True), _c("channel", TEXT), _c("ballots", INTEGER, True)),
        ),
        RecordTable(
            "evaluation_summaries",
            (
                _c("project_id", TEXT, True),
                _c("phase", TEXT, True),
                _c("evaluator_role", TEXT, True),
                _c("item", TEXT, True),
                _c("respondents", INTEGER),
                _c("mean", REAL),
                _c("suppressed", BOOLEAN),
            ),
        ),
        RecordTable(
            "household_totals",
            (
                _c("building_id", TEXT, True),
                _c("unit", INTEGER),
                _c("households", INTEGER, True),
                _c("owners", INTEGER),
                _c("registered_area_m2", REAL),
            ),
        ),
    )
}

# --- personal columns met in imports ------------------------------------------
#: header spellings of personal columns: moved to the private file, never stored in the workspace
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "户主", "户主姓名", "业主姓名", "联系人", "居民姓名", "name", "owner_name", "resident_name"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "phone", "mobile", "tel", "telephone"),
    "hardship_note": ("困难情况", "困难说明", "hardship_note"),
    # how a person agreed to be named, and whether they agreed: kept privately, as a consent record
    "public_name": ("公开称呼", "public_name"),
    "publish_name_consent": ("同意公开姓名", "publish_name_consent"),
}
#: personal fields whose cells are checked for their type on import (the value itself stays private)
PERSONAL_TYPES: dict[str, Column] = {"publish_name_consent": _c("publish_name_consent", BOOLEAN)}
#: header spellings that are dropped on import (ID numbers, IP addresses): never stored at all
DROPPED_COLUMNS: tuple[str, ...] = (
    "身份证",
    "身份证号",
    "身份证号码",
    "证件号",
    "证件号码",
    "id_number",
    "id_card",
    "idcard",
    "来自IP",
    "IP",
    "ip",
    "ip_address",
    "IP地址",
)


def normalise_header(header: object) -> str:
    """Return a header as compared for matching: trimmed, full-width spaces removed, lower case."""
    return str(header).replace("\u3000", " ").strip().lower()


def resolve_column(declared: tuple[Column, ...], header: object) -> Column | None:
    """Return the declared column a file's header means (by name or alias), or None."""
    key = normalise_header(header)
    for column in declared:
        if key == column.name.lower() or key in (normalise_header(a) for a in column.aliases):
            return column
    return None


def personal_field(header: object) -> str | None:
    """Return the personal field a header holds ("name", "phone", "hardship_note", "public_name" …), or None."""
    key = normalise_header(header)
    for field_name, spellings in PERSONAL_COLUMNS.items():
        if key in (normalise_header(s) for s in spellings):
            return field_name
    return None


def is_dropped(header: object) -> bool:
    """Return True for headers whose values are never stored (ID numbers, IP addresses)."""
    key = normalise_header(header)
    return key in (normalise_header(s) for s in DROPPED_COLUMNS)


__all__ = [
    "ENUMS",
    "Column",
    "LayerKind",
    "RecordTable",
    "SYSTEM_COLUMNS",
    "LAYERS",
    "RECORD_TABLES",
    "PRIVATE_TABLES",
    "SHARED_SUMMARIES",
    "SHARED_COPY",
    "SHARED_SUMMARY",
    "PERSONAL_COLUMNS",
    "PERSONAL_TYPES",
    "DROPPED_COLUMNS",
    "POLYGON",
    "POINT",
    "LINE",
    "normalise_header",
    "resolve_column",
    "personal_field",
    "is_dropped",
]
