"""The request and reply shapes of `handle_request`, the calculator worker's one entry point.

Every request is a JSON object with "op"; every reply is {"ok": true, ...} or
{"ok": false, "problems": [...]}. These TypedDicts are the single definition of both (the
calculator's JavaScript mirrors them); fields may be added, never renamed or removed.
Numbers: indices are floats of the published (2-decimal) value; an item's value is an int,
a float whose shortest text is the exact decimal value, or null (belum diisi).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

# An assessment in its file form (spbe-assessment/1 or /2), checked by the handler.
AssessmentFile = dict[str, Any]
LevelValue = int | float  # JSON form of a level or decimal value


# --- requests ---------------------------------------------------------------------------------


class ScoreRequest(TypedDict):
    op: Literal["score"]
    assessment: AssessmentFile


class ImportRequest(TypedDict):
    op: Literal["import"]
    text: str  # file content


class AssessmentRequest(TypedDict):
    """ "export" (the file text), "csv" (results for spreadsheets), "follow_up" (tindak lanjut)."""

    op: Literal["export", "csv", "follow_up"]
    assessment: AssessmentFile


class EffortFile(TypedDict, total=False):
    format: str
    effort: dict[str, float | None]  # per level step; null: tidak mungkin naik
    max_level: dict[str, int]


class PlanRequest(TypedDict):
    op: Literal["plan"]
    assessment: AssessmentFile
    target: str  # predikat name or an index such as "3,00"
    constraints: NotRequired[EffortFile]
    max_step: NotRequired[int | None]  # levels up per item per cycle; absent: 1; null: no limit


class CompareRequest(TypedDict):
    op: Literal["compare"]
    assessments: list[AssessmentFile]  # oldest first; frameworks may differ (index level only)
    labels: NotRequired[list[str]]  # default: each tahun, else 1, 2, ...
    scheme: NotRequired[str]  # default: the last assessment's; not across frameworks


Request = ScoreRequest | ImportRequest | AssessmentRequest | PlanRequest | CompareRequest


# --- replies ----------------------------------------------------------------------------------


class FailureReply(TypedDict):
    ok: Literal[False]
    problems: list[str]  # "location: message", Indonesian


class DomainDict(TypedDict):
    id: str
    name: str
    index: float


class AspectDict(TypedDict):
    id: str
    name: str
    domain: str  # "" when the framework has no domains
    index: float


class ResultDict(TypedDict):
    """`Result.to_dict()`, printed by `spbe score --json`."""

    framework: str
    scheme: str
    index: float
    predikat: str
    complete: bool
    missing: list[str]
    domains: list[DomainDict]  # [] when the framework has no domains
    aspects: list[AspectDict]


class DomainView(DomainDict):
    text: str  # index with a decimal comma


class AspectView(AspectDict):
    text: str
    label: str


class ItemView(TypedDict):
    id: str
    label: str
    level: LevelValue | None
    contribution: str  # 4 decimals, decimal comma
    gain: str  # from raising the item to its next whole level


class NextStepView(TypedDict):
    item: str
    label: str
    level: LevelValue  # the value it counts as now (an empty item: the partial rule's value)
    to: int
    gain_text: str  # signed, 4 decimals


class NextView(TypedDict):
    """The distance to the next predikat and the least-effort raises (one level each) to it."""

    predikat: str
    target_text: str  # the predikat's minimum index
    distance_text: str  # "+0,06"
    reachable: bool  # within one level per item
    steps: list[NextStepView]


class ResultView(TypedDict):
    framework: str
    scheme: str
    index: float
    predikat: str
    complete: bool
    missing: list[str]
    domains: list[DomainView]
    aspects: list[AspectView]
    index_name: str  # the framework's index_name
    index_text: str
    missing_labels: list[str]
    items: list[ItemView]
    next: NextView | None  # the next predikat up; None at the top predikat


class DifferenceView(TypedDict):
    item: str
    label: str
    self: LevelValue | None
    verified: LevelValue | None
    impact: str  # signed, 4 decimals


class ScoreReply(TypedDict):
    ok: Literal[True]
    result: ResultView
    verified: NotRequired[ResultView]  # when the assessment has verifikasi
    differences: NotRequired[list[DifferenceView]]


class AssessmentReply(TypedDict):
    """Reply to "import": the assessment normalised to its file form."""

    ok: Literal[True]
    assessment: AssessmentFile


class TextReply(TypedDict):
    """Reply to "export" and "csv"."""

    ok: Literal[True]
    text: str


class FollowUpReply(TypedDict):
    ok: Literal[True]
    text: str
    csv: str


StepDict = TypedDict(
    "StepDict",
    {"item": str, "name": str, "from": LevelValue, "to": int, "gain": float, "effort": float},
)
StepView = TypedDict(
    "StepView",
    {
        "item": str,
        "name": str,
        "from": LevelValue,
        "to": int,
        "gain": float,
        "effort": float,
        "gain_text": str,
        "effort_text": str,
    },
)


class PlanDict(TypedDict):
    """`spbe rencana --json`."""

    target: float
    reachable: bool
    start_index: float
    index: float
    predikat: str
    effort: float
    max_step: int | None
    steps: list[StepDict]


class PlanView(TypedDict):
    target: float
    reachable: bool
    start_index: float
    index: float
    predikat: str
    effort: float
    max_step: int | None
    steps: list[StepView]
    text: str
    index_text: str
    start_text: str
    target_text: str
    effort_text: str
    csv: str


class PlanReply(TypedDict):
    ok: Literal[True]
    plan: PlanView


ChangeDict = TypedDict(
    "ChangeDict",
    {"item": str, "from": LevelValue | None, "to": LevelValue | None, "impact": float},
)
ChangeView = TypedDict(
    "ChangeView",
    {
        "item": str,
        "from": LevelValue | None,
        "to": LevelValue | None,
        "impact": float,
        "name": str,
        "impact_text": str,
    },
)


class ComparedFramework(TypedDict):
    id: str
    short_name: str
    index_name: str


class ComparisonDict(TypedDict):
    """`spbe banding --json`."""

    labels: list[str]
    results: list[ResultDict]
    changes: list[list[ChangeDict]]  # between consecutive assessments; [] across frameworks
    frameworks: NotRequired[list[ComparedFramework]]  # only across frameworks, one per assessment
    note: NotRequired[str]  # only across frameworks: why the figures are not comparable


class ComparisonRow(TypedDict):
    kind: Literal["indeks", "domain", "aspek"]
    id: str
    name: str
    values: list[str]
    change: str


class ComparisonView(TypedDict):
    labels: list[str]
    results: list[ResultDict]
    changes: list[list[ChangeView]]
    text: str
    predikat: list[str]
    rows: list[ComparisonRow]  # across frameworks: the index row only, its change ""
    frameworks: NotRequired[list[ComparedFramework]]  # only across frameworks
    note: NotRequired[str]  # only across frameworks


class CompareReply(TypedDict):
    ok: Literal[True]
    comparison: ComparisonView


SuccessReply = ScoreReply | AssessmentReply | TextReply | FollowUpReply | PlanReply | CompareReply
Reply = FailureReply | SuccessReply
