"""未报: rows a unit's monitoring form asks for and its table lacks.

The national catalog lists everything the outlines monitor; a street reports what
the district's form for its level asks (schemas/monitoring_forms.yaml). So an absent
row is judged against the form only — never against the catalog — and it is a
completeness matter (a warning naming the form), not a wrong value. Rows are matched
to the catalog through its aliases before this runs, so a row written under an older
or local name is present.
"""

from __future__ import annotations

from quality.findings import Candidate
from quality.frames import Grid
from schemas.monitoring_forms import MonitoringForm, MonitoringForms
from schemas.two_plans import TwoPlansCatalog
from schemas.units import load_registry

RULE = "monitoring_form_rows"


def unit_levels(units: list[str], given: dict[str, str] | None = None) -> dict[str, str]:
    """Each unit's level: as the input frame gives it, else from the unit registry."""
    registry = load_registry()
    out = dict(given or {})
    for code in units:
        unit = registry.get(code)
        if code not in out and unit is not None:
            out[code] = unit.level
    return out


class FormLookup:
    """Which form, if any, asks a unit for an indicator in a year."""

    def __init__(self, forms: MonitoringForms, levels: dict[str, str]):
        self.forms, self.levels = forms, levels

    def form(self, unit: str, year: int) -> MonitoringForm | None:
        level = self.levels.get(unit)
        return self.forms.form_for(level, year) if level else None

    def __call__(self, unit: str, year: int, code: str) -> str:
        """The name of the form asking for `code`, "" when none does."""
        form = self.form(unit, year)
        return form.name if form is not None and code in form.codes(year) else ""


def not_reported(catalog: TwoPlansCatalog, grid: Grid, lookup: FormLookup) -> list[Candidate]:
    out: list[Candidate] = []
    for pos, (unit, year) in enumerate(grid.keys):
        form = lookup.form(unit, year)
        if form is None:
            continue
        if (unit, year) not in grid.present:
            out.append(Candidate(pos, "", "not_reported", "warning", "未报", form.name,
                                 f"未收到{year}年《{form.name}》", rule=RULE))
            continue
        for code in form.codes(year):
            if code in grid.values.columns and grid.row(pos, code) < 0:
                ind = catalog.get(code)
                name = ind.name if ind else code
                out.append(Candidate(pos, code, "not_reported", "warning", "未报", form.name,
                                     f"{year}年报表中没有“{name}”一行，《{form.name}》要求填报",
                                     rule=RULE))
    return out
