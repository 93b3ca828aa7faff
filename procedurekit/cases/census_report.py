"""What a CIN census audit says of the census itself: counts, the national indicators, the file's ICPC
targets, what cannot be audited (the ``census`` of the JSON audit, and the end of the text one)."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from procedurekit.cases.census import CENSUS_EVENTS, EPISODE_FIELDS, KEPT_DIFFERENCES, CensusReport
from procedurekit.cases.engine import Plan
from procedurekit.cases.output import spreadsheet_safe

__all__ = ["census_plan", "census_data", "census_text", "EpisodeWriter"]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def census_data(report: CensusReport, left_out: dict[str, str], *, every_difference: bool = True
                ) -> dict[str, Any]:
    """The census's own figures as plain data (the ``census`` of the JSON audit); without
    *every_difference*, only the first target differences (the text report's)."""
    differences = report.every_difference() if every_difference else iter(report.target_differences)
    return {
        "collection_year": report.year, "reference_date": report.reference_date.isoformat()
        if report.reference_date else None,
        "children": {"read": report.children_read, "audited": report.children_audited,
                     "rejected": report.children_rejected},
        "episodes": {"read": report.episodes_read, "audited": report.episodes_audited,
                     "rejected": report.episodes_rejected},
        "proxy": "the strategy discussion is taken to be the day the section 47 enquiry started "
                 "(S47ActualStartDate): the census has no strategy discussion date",
        "not_auditable": [{"obligation": k, "reason": f"not auditable from census data: {v}"}
                          for k, v in left_out.items()],
        "national_indicators": [
            {"indicator": "ICPCs held within 15 working days of the start of the section 47 enquiry",
             "met": report.icpc_within, "of": report.icpc_held, "share": _share(report.icpc_within, report.icpc_held)},
            {"indicator": "child protection plan reviews held within timescale (first within 3 months of the "
                          "plan's start, then within 6 months of the last)",
             "met": report.reviews_in_time, "of": report.reviews_due,
             "share": _share(report.reviews_in_time, report.reviews_due)},
        ],
        "not_measured": report.unmeasured,
        "target_differences_count": report.differences_count,
        "target_differences": [{"child": c, "line": line, "file_target": f.isoformat(), "computed": t.isoformat(),
                                "working_days": apart} for c, line, f, t, apart in differences],
        "warnings": report.warnings,
    }


def census_text(data: dict[str, Any]) -> str:
    """The census's own figures, for the end of the text audit."""
    def pct(share: float | None) -> str:
        return "-" if share is None else f"{share * 100:.1f}%"

    lines = ["", f"CIN census, collection year {data['collection_year'] or 'unknown'}"
             + (f" (reference date {data['reference_date']})" if data["reference_date"] else ""),
             f"  children read {data['children']['read']} = {data['children']['audited']} audited + "
             f"{data['children']['rejected']} rejected",
             f"  episodes read {data['episodes']['read']} = {data['episodes']['audited']} audited + "
             f"{data['episodes']['rejected']} rejected",
             f"  proxy: {data['proxy']}", "", "National indicators (as the DfE measures them; docs/cin-census.md)"]
    for ind in data["national_indicators"]:
        lines.append(f"  {ind['met']:>7} of {ind['of']:<7} {pct(ind['share']):>6}  {ind['indicator']}")
    if data["not_measured"]:
        lines.append(f"  ({data['not_measured']} section 47 enquiries not measured: dates outside the calendar)")
    lines += ["", "Not auditable from census data (neither met nor missed)"]
    lines += [f"  {n['obligation']}: {n['reason'].removeprefix('not auditable from census data: ')}"
              for n in data["not_auditable"]]
    differences, count = data["target_differences"], data["target_differences_count"]
    if differences:
        lines += ["", f"InitialCPCtarget differs from the target computed from the procedure in {count} "
                  "case(s) (this tool counts the start day as day 0; a tool counting it as day 1 is a working "
                  "day early)"]
        for d in differences[:KEPT_DIFFERENCES]:
            lines.append(f"  line {d['line']}: child {d['child']}: file {d['file_target']}, computed "
                         f"{d['computed']} ({d['working_days']:+d} working days)")
        if count > KEPT_DIFFERENCES:
            lines.append(f"  ... and {count - KEPT_DIFFERENCES} more (--format json lists them all)")
    lines += [f"warning: {w}" for w in data["warnings"]]
    return "\n".join(lines)


class EpisodeWriter:
    """Writes ``--episodes``: one row an episode, as CSV or (for a ``.json`` file) a JSON array, as they come."""

    def __init__(self, stream: TextIO, as_json: bool):
        self.stream, self.as_json, self.count = stream, as_json, 0
        if as_json:
            stream.write("[")
        else:
            self.writer = csv.DictWriter(stream, fieldnames=EPISODE_FIELDS, lineterminator="\n")
            self.writer.writeheader()

    def __call__(self, row: dict[str, Any]) -> None:
        if self.as_json:
            self.stream.write(("," if self.count else "") + "\n " + json.dumps(row, ensure_ascii=False))
        else:
            self.writer.writerow({k: spreadsheet_safe(v) if isinstance(v, str) else ("yes" if v else "no")
                                  if isinstance(v, bool) else v for k, v in row.items()})
        self.count += 1

    def finish(self) -> None:
        if self.as_json:
            self.stream.write("\n]\n")


def census_plan(plan: Plan) -> tuple[Plan, dict[str, str]]:
    """*plan* cut to the rules census data can evidence, and why each other rule cannot be audited from it.

    A rule is auditable when an event the census records both starts its clock and does it
    (core groups, minutes, reports and visits are in no census field), and its conditions are
    ones the census shows (pre-birth).
    """
    import copy

    import attrs

    known = set(CENSUS_EVENTS)
    left_out: dict[str, str] = {}
    for rule in plan.rules:
        conditions = set(rule.ob.when) | set(rule.ob.unless)
        if not set(rule.subject) & known:
            left_out[rule.id] = "the census records no date of what it asks for"
        elif not set(rule.plain_anchors) & known:
            left_out[rule.id] = "the census records no date its clock starts from"
        elif conditions - {"pre-birth"}:
            left_out[rule.id] = f"the census does not show whether {', '.join(sorted(conditions - {'pre-birth'}))}"
    # the plan's rules cut, not rebuilt, so a plan over several versions (cases.versions) stays one
    cut = copy.copy(plan)
    cut.procedure = attrs.evolve(plan.procedure, obligations={
        k: v for k, v in plan.procedure.obligations.items() if k not in left_out})
    cut.rules = [rule for rule in plan.rules if rule.id not in left_out]
    return cut, left_out
