"""Open the HTML comparison report in headless Chromium: no console errors, the filter runs, a screenshot.

    python scripts/check_html_report.py [--chromium /usr/bin/chromium] [--out DIR]

Needs Chromium (Debian: apt-get install chromium). Writes DIR/report.html,
DIR/report.png and DIR/dom.html, prints what it found and exits 1 on any
console error or if the class filter did not run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="procedurekit-html-")))
    args = parser.parse_args()
    if not args.chromium:
        print("no chromium found: install it (apt-get install chromium) or pass --chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    report = args.out / "report.html"
    subprocess.run([sys.executable, "-m", "procedurekit", "compare", "--all", "--baseline", "england",
                    "--format", "html", "-o", str(report)], check=True)
    profile = tempfile.mkdtemp(prefix="procedurekit-chromium-")
    common = [args.chromium, *FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*common, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    (args.out / "dom.html").write_text(dom.stdout)
    shot = subprocess.run([*common, f"--screenshot={args.out / 'report.png'}", "--window-size=1400,900",
                           report.as_uri()], capture_output=True, text=True, timeout=120)
    console = [line for line in (dom.stderr + shot.stderr).splitlines()
               if "CONSOLE" in line or "Uncaught" in line]
    errors = [line for line in console if re.search(r"error|Uncaught", line, re.I)]
    hidden = dom.stdout.count('class="hidden"')
    filtered = 'data-filtered="yes"' in dom.stdout
    rows = dom.stdout.count("data-changes=")
    print(f"report: {report}\nscreenshot: {args.out / 'report.png'}")
    print(f"rows: {rows}; hidden by the default filter (same only): {hidden}; console messages: {len(console)}")
    for line in console:
        print("  " + line)
    if errors:
        print(f"{len(errors)} console error(s)", file=sys.stderr)
        return 1
    if rows == 0 or not filtered:
        print("the filter script did not run", file=sys.stderr)
        return 1
    print("ok: no console errors; the class filter ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
