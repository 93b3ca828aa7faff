"""The national floor: overriding a baseline rule with a looser one is reported, tightening is not."""

from __future__ import annotations

import pytest

BASE = '''
[procedure]
id = "floor-base"
title = "Base"
baseline = true

[sources.s]
title = "S"

[roles.chair]
name = "Chair"

[meetings.icpc.quorum]
minimum = 3
strength = "must"
source = { doc = "s" }

[obligations.core-group-first]
meeting = "core-group"
occurrence = "first"
within = "10 working days"
after = "icpc"
strength = "must"
source = { doc = "s", quote = "base rule" }

[documents.minutes]
name = "Minutes"
recipients = ["chair"]
strength = "should"
source = { doc = "s" }
'''

HEAD = '[procedure]\nid = "floor-local"\ntitle = "Local"\nextends = "floor-base"\n\n[sources.l]\ntitle = "L"\n'


def check(load, tmp_path, body: str) -> list[str]:
    (tmp_path / "base.toml").write_text(BASE)
    (tmp_path / "local.toml").write_text(HEAD + body)
    library = load(plugin_dirs=[tmp_path])
    assert library.errors() == []
    return [d.message for d in library.problems("floor-local") if d.code == "relaxes-floor"]


OB = '\n[obligations.core-group-first]\nmeeting = "core-group"\noccurrence = "first"\nafter = "icpc"\nsource = { doc = "l" }\n'


@pytest.mark.parametrize(("body", "fragment"), [
    (OB + 'within = "15 working days"\nstrength = "must"\n', "15 working days where floor-base has 10 working days"),
    (OB + 'within = "4 weeks"\nstrength = "must"\n', "a longer deadline"),
    (OB + 'within = "10 working days"\nstrength = "should"\n', '"should" is less binding than "must"'),
    (OB + 'timescale = "set-per-case"\nstrength = "must"\n', "sets no number where the other does"),
    ('\n[meetings.icpc.quorum]\nminimum = 2\nstrength = "must"\nsource = { doc = "l" }\n', "a smaller quorum"),
    ('\n[documents.minutes]\nname = "Minutes"\nstrength = "should"\nsource = { doc = "l" }\n', "sent to fewer people"),
])
def test_looser_overrides_are_reported(load, tmp_path, body, fragment):
    (message,) = check(load, tmp_path, body)
    assert fragment in message
    assert "floor-base" in message and "s" in message


@pytest.mark.parametrize("body", [
    OB + 'within = "5 working days"\nstrength = "must"\n',
    OB + 'within = "1 week"\nstrength = "must"\n',        # 7 days < 14 days at least
    OB + 'within = "10 days"\nstrength = "must"\n',       # 10 calendar days < 14
    OB + 'timescale = "immediately"\nstrength = "must"\n',
    '\n[meetings.icpc.quorum]\nminimum = 4\nstrength = "must"\nsource = { doc = "l" }\n',
    '\n[roles.parent]\nname = "Parent"\n',
])
def test_tighter_or_unrelated_changes_are_not_reported(load, tmp_path, body):
    assert check(load, tmp_path, body) == []


def test_not_comparable_durations_are_not_called_looser(load, tmp_path):
    # 2 weeks is 14 days; 10 working days is 14 to 19 days: neither is surely shorter
    body = OB + 'within = "2 weeks"\nstrength = "must"\n'
    assert check(load, tmp_path, body) == []
