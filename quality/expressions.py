"""Evaluating validation-rule expressions (schemas/validation_rules.py) on one set of values."""

from __future__ import annotations

import ast
import operator

from schemas.validation_rules import ValidationRule, code_of, expression_codes, parse_expression

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}


def evaluate(text: str, values: dict[str, float]) -> float | None:
    """The expression's value, missing codes as 0; None on division by zero."""
    def ev(node: ast.AST) -> float:
        code = code_of(node)
        if code is not None:
            return values.get(code, 0.0)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            return -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](ev(node.left), ev(node.right))
        raise ValueError(f"unexpected {type(node).__name__}")

    try:
        return ev(parse_expression(text).body)
    except ZeroDivisionError:
        return None


def side_skipped(text: str, present: set[str], strategy: str) -> bool:
    codes = expression_codes(text)
    missing = [c for c in codes if c not in present]
    if strategy == "skip_if_any_missing":
        return bool(missing)
    if strategy == "skip_if_all_missing":
        return bool(codes) and len(missing) == len(codes)
    return False


def holds(rule: ValidationRule, left: float, right: float) -> bool:
    tol = rule.tolerance + 1e-9
    if rule.operator == "==":
        return abs(left - right) <= tol
    if rule.operator == "!=":
        return abs(left - right) > tol
    if rule.operator in ("<", "<="):
        return _COMPARE[rule.operator](left, right + tol)
    return _COMPARE[rule.operator](left + tol, right)
