"""Messages for mistakes policy authors make, each saying what to write instead (issue 12, point 10)."""

from __future__ import annotations

import pytest

from procedurekit.durations import DurationError, Unit, parse_duration, parse_frequency

HEADER = """[procedure]
id = "messages"
title = "T"
extends = "england"

[sources.local]
title = "Local procedure"

"""
SOURCE = 'source = { doc = "local", section = "1", quote = "q" }\n'

CASES = {
    # "shall" is a must, never "usually" (the nearest spelling)
    "shall": ('[obligations.a]\nmeeting = "core-group"\nwithin = "10 working days"\nafter = "icpc"\n'
              'strength = "shall"\n' + SOURCE,
              "13:12", "bad-value", '"shall" in a procedure means "must": write "must"'),
    # an event written as the procedure abbreviates it: suggest the id, never [events.ICPC]
    "upper-case-id": ('[obligations.a]\nmeeting = "core-group"\nwithin = "10 working days"\nafter = "ICPC"\n'
                      'strength = "must"\n' + SOURCE,
                      "12:9", "undefined-reference", 'ids are lower case with hyphens: write "icpc"'),
    "spaced-new-id": ('[obligations.a]\nmeeting = "core-group"\nwithin = "10 working days"\n'
                      'after = "Family Meeting"\nstrength = "must"\n' + SOURCE,
                      "12:9", "undefined-reference", "define it under [events.family-meeting]"),
    # a frequency word as a deadline: it has a number, and it is a frequency
    "weekly-deadline": ('[obligations.a]\nmeeting = "core-group"\nwithin = "4-weekly"\nafter = "icpc"\n'
                        'strength = "must"\n' + SOURCE,
                        "11:10", "bad-duration", 'is a frequency (every 4 weeks)'),
    "unquoted-duration": ('[obligations.a]\nmeeting = "core-group"\nwithin = 10 working days\n',
                          "11:13", "toml-syntax", 'put the duration in quotes: within = "10 working days"'),
    "every-and-within": ('[obligations.a]\nmeeting = "core-group"\nwithin = "10 working days"\n'
                         'every = "4 weeks"\nafter = "icpc"\nstrength = "must"\n' + SOURCE,
                         "12:1", "conflicting-keys", '"every" (a recurrence) and "within" (one deadline)'),
    "chair-unknown-key": ('[meetings.core-group.chair]\nwhen-looked-after = { roles = ["team-manager"], '
                          'strength = "must" }\n',
                          "10:1", "unknown-key", "[[meetings.core-group.chair.conditional]] table with when"),
    "chair-as-list": ('[meetings.core-group.chair]\nfirst = ["lead-social-worker"]\n',
                      "10:9", "wrong-type", '{ roles = ["lead-social-worker"], strength = "should" }'),
}


@pytest.mark.parametrize("name", CASES)
def test_each_message_says_what_to_write(run, tmp_path, name):
    body, position, code, advice = CASES[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(HEADER + body)
    result = run("validate", str(path))
    assert result.exit_code == 1, result.output
    first = next(line for line in result.output.splitlines() if f": {code}: " in line)
    assert first.startswith(f"{path.name}:{position}: ") or f"{path.name}:{position}: " in first, first
    assert advice in first, first
    assert "Traceback" not in result.output


def test_shall_is_never_suggested_as_usually(run, tmp_path):
    path = tmp_path / "shall.toml"
    path.write_text(HEADER + CASES["shall"][0])
    assert 'did you mean "usually"' not in run("validate", str(path)).output


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("4-weekly", 4, Unit.WEEKS), ("4 weekly", 4, Unit.WEEKS), ("six-monthly", 6, Unit.MONTHS),
    ("3-monthly", 3, Unit.MONTHS), ("fortnightly", 2, Unit.WEEKS), ("monthly", 1, Unit.MONTHS),
])
def test_periodic_words_are_frequencies(text, amount, unit):
    interval = parse_frequency(text)
    assert (interval.amount, interval.unit) == (amount, unit)
    with pytest.raises(DurationError, match="is a frequency"):
        parse_duration(text)


def test_a_recurrence_written_as_n_weekly_validates(run, load, tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(HEADER + '[obligations.a]\nmeeting = "core-group"\noccurrence = "subsequent"\n'
                    'every = "4-weekly"\nstrength = "must"\n' + SOURCE)
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    library = load(plugin_dirs=[tmp_path])
    assert str(library.get("messages").obligations["a"].every) == "4 weeks"
