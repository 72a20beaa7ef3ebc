"""Loader for the work-area validation rules (schemas/validation_rules.yaml), DHIS2-style.

A rule compares two expressions over indicator codes (`rights.cases_closed <=
rights.cases_received`). Expressions allow numbers, codes, + - * / and
parentheses, nothing else; they are parsed when the file loads, so a typo stops
the load instead of silently skipping a rule.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator

Strategy = Literal["skip_if_any_missing", "skip_if_all_missing", "never_skip"]
Operator = Literal["==", "!=", "<", "<=", ">", ">="]
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Attribute,
            ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)


def parse_expression(text: str) -> ast.Expression:
    """The parsed expression; ValueError for anything but numbers, codes and + - * /."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"cannot parse expression {text!r}: {exc.msg}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ValueError(f"{type(node).__name__} not allowed in expression {text!r}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise ValueError(f"only numbers allowed as constants in {text!r}")
    return tree


def code_of(node: ast.AST) -> str | None:
    """`rights.cases_closed` for the Attribute/Name chain that spells it, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = code_of(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def expression_codes(text: str) -> list[str]:
    """The indicator codes an expression reads, in order of appearance, once each."""
    tree = parse_expression(text)
    found: list[str] = []

    def walk(node: ast.AST) -> None:
        code = code_of(node)
        if code is not None:
            found.append(code)
            return
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(tree.body)
    return list(dict.fromkeys(found))


class ValidationRule(BaseModel):
    code: str
    description: str  # Chinese, shown to people
    left: str
    operator: Operator
    right: str
    missing_value_strategy: Strategy = "skip_if_any_missing"  # applied to each side
    severity: Literal["error", "warning"] = "error"
    kind: Literal["validation_rule_violation", "rate_inconsistent"] = "validation_rule_violation"
    tolerance: float = 0.0  # absolute slack on the comparison (rounding of stated rates)

    @field_validator("left", "right", mode="before")
    @classmethod
    def _parses(cls, value: object) -> str:
        text = str(value)
        parse_expression(text)
        return text

    def codes(self) -> list[str]:
        return list(dict.fromkeys(expression_codes(self.left) + expression_codes(self.right)))


class OutlierSettings(BaseModel):
    threshold: float = 3.5  # |robust z| above this is an outlier (Iglewicz–Hoaglin)
    min_peers: int = 5  # other units of the same level needed to judge against peers
    min_history: int = 4  # earlier periods of the same unit needed to judge against history
    log_measures: list[str] = Field(default_factory=lambda: ["人", "件", "个", "篇", "场", "次"])
    scale_floor: dict[str, float] = Field(default_factory=lambda: {"log": 0.25, "linear": 2.0})
    severity: Literal["error", "warning"] = "warning"


class ValidationRules(BaseModel):
    rules: list[ValidationRule]
    outliers: OutlierSettings = Field(default_factory=OutlierSettings)


DEFAULT_PATH = Path(__file__).with_name("validation_rules.yaml")


@lru_cache(maxsize=8)
def load_validation_rules(path: str | None = None) -> ValidationRules:
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    return ValidationRules.model_validate(raw)
