"""The one entry point: every quality check on the frames the archive hands over."""

from __future__ import annotations

import pandas as pd

from quality.outliers import outlier_findings
from quality.rules import rule_findings
from quality.two_plans import check_two_plans
from schemas.findings import Finding, sort_findings
from schemas.indicators import IndicatorCatalog
from schemas.two_plans import TwoPlansCatalog
from schemas.validation_rules import ValidationRules


def check_indicator_values(values: pd.DataFrame, year: int | None = None, *,
                           rules: ValidationRules | None = None,
                           catalog: IndicatorCatalog | None = None) -> list[Finding]:
    """Validation-rule violations and robust outliers among work-area indicator values."""
    found = rule_findings(values, rules, catalog, year) + outlier_findings(values, rules, catalog, year)
    return sort_findings(found)


def run_quality(two_plans: pd.DataFrame, history: pd.DataFrame, units: list[str],
                indicator_values: pd.DataFrame | None = None, year: int | None = None, *,
                two_plans_catalog: TwoPlansCatalog | None = None,
                indicator_catalog: IndicatorCatalog | None = None,
                rules: ValidationRules | None = None) -> list[Finding]:
    """All findings, in the one deterministic order (schemas.findings.sort_findings)."""
    found = check_two_plans(two_plans, history, units, year, two_plans_catalog)
    if indicator_values is not None and len(indicator_values):
        found += check_indicator_values(indicator_values, year, rules=rules,
                                        catalog=indicator_catalog)
    return sort_findings(found)
