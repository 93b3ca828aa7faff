"""Generated DfE children-in-need census files, for the benchmarks and the tests. Not real data.

    python bench/census_generator.py 100000 census.xml [SEED [YEAR]]

Each child has one or two episodes (CINdetails): a referral, an assessment,
and for some a section 47 enquiry with its initial conference target and date,
a child protection plan with reviews and an end, or (from the 2022 schema on)
a child in need plan. The files are valid against the DfE schema of the year
asked for, 2017 to 2024 (tests/test_census.py checks each); the dates fall in
the two years before it.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>{year}</Year>
      <ReferenceDate>{year}-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>201</LEA>
      <SoftwareCode>procedurekit generator</SoftwareCode>
      <Release>1</Release>
      <SerialNo>001</SerialNo>
      <DateTime>{year}-05-01T09:00:00</DateTime>
    </Source>
  </Header>
  <Children>
"""


def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def _weekday_after(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


def _episode(rng: random.Random, referral: dt.date, year: int) -> list[str]:
    start = _weekday_after(referral, rng.randrange(0, 5))
    authorised = _weekday_after(start, rng.randrange(20, 70))
    assessment = ["        <Assessments>", f"          <AssessmentActualStartDate>{start}</AssessmentActualStartDate>",
                  f"          <AssessmentAuthorisationDate>{authorised}</AssessmentAuthorisationDate>",
                  "        </Assessments>"]
    enquiry, plan, conference = [], [], None
    if rng.random() < 0.6:
        s47 = _weekday_after(referral, rng.randrange(1, 10))
        target = _weekday_after(s47, 21)
        held = _weekday_after(s47, rng.randrange(10, 30)) if rng.random() < 0.9 else None
        enquiry = ["        <Section47>", f"          <S47ActualStartDate>{s47}</S47ActualStartDate>",
                   f"          <InitialCPCtarget>{target}</InitialCPCtarget>"]
        if held:
            enquiry.append(f"          <DateOfInitialCPC>{held}</DateOfInitialCPC>")
        enquiry += [f"          <ICPCnotRequired>{'false' if held else 'true'}</ICPCnotRequired>",
                    "        </Section47>"]
        if held and rng.random() < 0.8:
            plan, conference = _plan(rng, held, year), held
    # the episode's own DateOfInitialCPC: the conference that started its plan
    lines = ["      <CINdetails>", f"        <CINreferralDate>{referral}</CINreferralDate>",
             "        <ReferralSource>1A</ReferralSource>", "        <PrimaryNeedCode>N1</PrimaryNeedCode>",
             *([f"        <DateOfInitialCPC>{conference}</DateOfInitialCPC>"] if conference else []), *assessment]
    if not enquiry and year >= 2022:  # CINPlanDates is in the schemas from 2022
        lines += ["        <CINPlanDates>", f"          <CINPlanStartDate>{authorised}</CINPlanStartDate>",
                  "        </CINPlanDates>"]
    return lines + enquiry + ["        <ReferralNFA>false</ReferralNFA>", *plan, "      </CINdetails>"]


def _plan(rng: random.Random, start: dt.date, year: int) -> list[str]:
    reviews, day = [], start
    for n in range(rng.randrange(0, 4)):
        day = _weekday_after(day, rng.randrange(80, 100) if n == 0 else rng.randrange(150, 190))
        reviews.append(day)
    end = _weekday_after(day, rng.randrange(10, 120)) if rng.random() < 0.6 else None
    lines = ["        <ChildProtectionPlans>", f"          <CPPstartDate>{start}</CPPstartDate>"]
    if end:
        lines.append(f"          <CPPendDate>{end}</CPPendDate>")
    lines += ["          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>",
              "          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>",
              "          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>"]
    if reviews:
        lines += ["          <Reviews>", *(f"            <CPPreviewDate>{r}</CPPreviewDate>" for r in reviews),
                  "          </Reviews>"]
    return lines + ["        </ChildProtectionPlans>"]


def write_census(path: str | Path, children: int, seed: int = 7, year: int = 2024) -> None:
    """Write a census of *children* generated children to *path*."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER.format(year=year))
        for i in range(children):
            birth = _day(rng, dt.date(2008, 1, 1), 5000)
            lines = ["    <Child>", "      <ChildIdentifiers>", f"        <LAchildID>C{i:07d}</LAchildID>",
                     f"        <PersonBirthDate>{birth}</PersonBirthDate>", "        <GenderCurrent>1</GenderCurrent>",
                     "      </ChildIdentifiers>", "      <ChildCharacteristics>",
                     "        <Ethnicity>WBRI</Ethnicity>", "      </ChildCharacteristics>"]
            referral = _day(rng, dt.date(year - 2, 4, 1), 600)
            lines += _episode(rng, referral, year)
            if rng.random() < 0.15:
                lines += _episode(rng, _day(rng, referral + dt.timedelta(days=200), 100), year)
            out.write("\n".join(lines) + "\n    </Child>\n")
        out.write("  </Children>\n</Message>\n")


if __name__ == "__main__":
    write_census(sys.argv[2], int(sys.argv[1]), int(sys.argv[3]) if len(sys.argv) > 3 else 7,
                 int(sys.argv[4]) if len(sys.argv) > 4 else 2024)
