"""spbe_core: the Permenpan RB 5/2018 SPBE framework as data, exact scoring and a CLI.

The public API is what this module exports; everything in `_*` modules is internal.
"""

from ._assessment import (
    Assessment,
    FollowUp,
    InvalidAssessment,
    Problem,
    parse_assessment,
    template,
)
from ._compare import Comparison, LevelDifference, compare, level_differences
from ._framework import (
    Aspect,
    Domain,
    Framework,
    FrameworkError,
    Indicator,
    Item,
    Model,
    Scheme,
    available_frameworks,
    default_framework,
    load_framework,
    parse_framework,
)
from ._numbers import format_number, publish
from ._planner import Constraints, Plan, Step, parse_constraints, plan, target_index
from ._scoring import Contribution, Figure, Result, explain, item_weight, predikat, score
from ._web import handle_request, results_csv

__version__ = "0.1.0"

__all__ = [
    "Aspect",
    "Assessment",
    "Comparison",
    "Constraints",
    "Contribution",
    "Domain",
    "Figure",
    "FollowUp",
    "Framework",
    "FrameworkError",
    "Indicator",
    "InvalidAssessment",
    "Item",
    "LevelDifference",
    "Model",
    "Plan",
    "Problem",
    "Result",
    "Scheme",
    "Step",
    "available_frameworks",
    "compare",
    "default_framework",
    "explain",
    "format_number",
    "handle_request",
    "item_weight",
    "level_differences",
    "load_framework",
    "parse_assessment",
    "parse_constraints",
    "parse_framework",
    "plan",
    "predikat",
    "publish",
    "results_csv",
    "score",
    "target_index",
    "template",
]
