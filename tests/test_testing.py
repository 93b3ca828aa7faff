"""procedurekit.testing: scenario files run as pytest items; failures name the file and line."""

from __future__ import annotations

pytest_plugins = ["pytester"]

GOOD = '''procedure = "england"

[[scenario]]
name = "first core group"
events = [{ event = "icpc", date = 2024-03-04 }]
next = [{ meeting = "core-group", due = 2024-03-18 }]
'''

BAD = '''procedure = "england"

[[scenario]]
name = "first core group, wrong date"
events = [{ event = "icpc", date = 2024-03-04 }]
next = [
  { meeting = "core-group", due = 2024-03-19 },
]
chair = [{ meeting = "rcpc", roles = ["team-manager"] }]
'''


def test_passing_scenario(pytester):
    pytester.makefile(".toml", test_good=GOOD)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_failing_scenario_names_file_and_line(pytester):
    pytester.makefile(".toml", test_bad=BAD)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "test_bad.toml:7: next core-group: due 2024-03-18" in out and "expected 2024-03-19" in out
    assert "test_bad.toml:9: chair of rcpc #1: ['conference-chair'], expected ['team-manager']" in out
    assert "Traceback" not in out


def test_broken_scenario_files_are_reported(pytester):
    pytester.makefile(".toml", test_syntax="procedure = \n", test_empty='procedure = "england"\n',
                      test_unknown='procedure = "nowhere"\n[[scenario]]\nname = "x"\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=3)
    out = result.stdout.str()
    assert "not valid TOML" in out and "needs procedure" in out and 'procedure "nowhere"' in out


def test_toml_files_that_are_not_tests_are_ignored(pytester):
    pytester.makefile(".toml", other='procedure = "england"\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == 5  # nothing collected


def test_statuses_need_a_fixed_today(pytester):
    # a scenario that checks statuses without saying which day it is judged on would change with the calendar
    pytester.makefile(".toml", test_undated='procedure = "england"\n\n[[scenario]]\nname = "undated"\n'
                      'events = [{ event = "icpc", date = 2024-03-04 }]\n'
                      'instances = [{ obligation = "core-group-first", status = "met" }]\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert "test_undated.toml:6: statuses depend on the date: give today = YYYY-MM-DD" in result.stdout.str()
