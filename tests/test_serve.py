"""``procedurekit serve``: a real server (uvicorn in a subprocess on a free port) called over HTTP.

Every answer is checked against the OpenAPI document the server publishes, and against the CLI's
answer to the same question; bad input gets a JSON error with a stable code and a 4xx status.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import jsonschema
import pytest

ROOT = Path(__file__).parent.parent
TODAY = "2024-03-01"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROCEDUREKIT_PLUGIN_PATH"}
    process = subprocess.Popen([sys.executable, "-m", "procedurekit", "serve", "--port", str(port),
                                "--max-body", "200000"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/procedures", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {process.stderr.read().decode()}") from None
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client
    finally:
        process.terminate()
        process.wait(10)
        process.stderr.close()


@pytest.fixture(scope="module")
def openapi(server):
    return server.get("/openapi.json").json()


def _check(openapi, path: str, method: str, response: httpx.Response) -> dict:
    """*response* valid against the schema the OpenAPI document gives for its status on *path*."""
    spec = openapi["paths"][path][method]["responses"][str(response.status_code)]
    ref = spec["content"]["application/json"]["schema"]["$ref"]
    jsonschema.Draft202012Validator({"$ref": ref, "components": openapi["components"]},
                                    format_checker=jsonschema.FormatChecker()).validate(response.json())
    return response.json()


def _case_json(path: Path) -> bytes:
    data = tomllib.loads(path.read_text())
    for event in data["events"]:
        event["date"] = event["date"].isoformat()
    return json.dumps(data).encode()


def _cli(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "procedurekit", *args], capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_every_get_endpoint_answers_as_its_openapi_schema_says(server, openapi):
    for path, query in [("/procedures", {}), ("/procedures/warrington", {}), ("/procedures/scotland", {"on": "2022-01-10"}),
                        ("/procedures/scotland/history", {}), ("/compare", {"id": ["england", "warrington"]}),
                        ("/calendar/add", {"start": "2022-09-12", "duration": "10 working days"}),
                        ("/calendar/between", {"start": "2024-05-24", "end": "2024-06-03"}),
                        ("/calendar/holidays", {"year": "2024", "calendar": "scotland"})]:
        template = path.replace("warrington", "{pid}").replace("/procedures/scotland", "/procedures/{pid}")
        response = server.get(path, params=query)
        assert response.status_code == 200, (path, response.text)
        _check(openapi, template, "get", response)
    assert server.get("/calendar/add", params={"start": "2022-09-12", "duration": "10 working days"}).json()[
        "date"] == "2022-09-27"  # 19 September 2022 was a bank holiday
    assert server.get("/calendar/between", params={"start": "2024-05-24", "end": "2024-06-03"}).json()[
        "working_days"] == 5  # the late May bank holiday skipped
    assert server.get("/procedures/scotland", params={"on": "2022-01-10"}).json()["version"] == "2021.1"
    names = server.get("/schemas").json()["schemas"]
    assert {"schedule", "case", "comparison", "procedure-file", "error"} <= set(names)
    for name in names:  # each a JSON Schema, the one the OpenAPI document's component is made from
        served = server.get(f"/schemas/{name}").json()
        assert served["type"] == openapi["components"]["schemas"][name]["type"] == "object"
        assert served.get("required") == openapi["components"]["schemas"][name].get("required")


def test_schedule_is_the_clis_answer(server, openapi):
    case = ROOT / "examples" / "case.toml"
    response = server.post("/procedures/warrington/schedule", params={"today": TODAY}, content=_case_json(case),
                           headers={"content-type": "application/json"})
    answer = _check(openapi, "/procedures/{pid}/schedule", "post", response)
    assert answer == _cli("schedule", "warrington", str(case), "--today", TODAY, "--format", "json")
    # judged under the version in force on one day, on request
    pinned = server.post("/procedures/warrington/schedule", params={"today": TODAY, "on": "2024-01-01"},
                         content=_case_json(case)).json()
    assert [i["due"] for i in pinned["instances"]] == [i["due"] for i in answer["instances"]]


@pytest.mark.parametrize("pid", ["england", "wales", "scotland", "croydon", "derby-derbyshire", "warrington",
                                 "milton-keynes", "bedfordshire-luton"])
def test_show_is_the_clis_answer(server, openapi, pid):
    shown = _check(openapi, "/procedures/{pid}", "get", server.get(f"/procedures/{pid}"))
    cli = _cli("show", pid, "--format", "json")
    assert shown["file"] == Path(cli["file"]).name  # no path of the server
    assert {k: v for k, v in shown.items() if k != "file"} == {k: v for k, v in cli.items() if k != "file"}


def test_compare_is_the_clis_answer(server, openapi):
    compared = server.get("/compare", params={"id": ["scotland@2021.1", "scotland@2023.1"]}).json()
    assert compared == _cli("compare", "scotland@2021.1", "scotland@2023.1", "--format", "json")


def test_audit_gives_the_clis_counts_from_csv_and_from_json(server, openapi):
    cases = ROOT / "examples" / "cases.csv"
    response = server.post("/procedures/england/audit", params={"today": "2024-06-01"}, content=cases.read_bytes(),
                           headers={"content-type": "text/csv"})
    answer = _check(openapi, "/procedures/{pid}/audit", "post", response)
    cli = _cli("audit", "england", str(cases), "--today", "2024-06-01", "--format", "json")
    for key in ("summary", "cases", "rows_read", "rows_used", "instances"):
        assert answer[key] == cli[key], key
    lines = cases.read_text().splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
    as_json = server.post("/procedures/england/audit", params={"today": "2024-06-01"}, json=rows).json()
    assert as_json["summary"] == cli["summary"]


def test_validate_a_posted_draft(server, openapi):
    draft = (ROOT / "examples" / "drafts" / "goodshire.toml").read_text()
    good = _check(openapi, "/validate", "post", server.post("/validate", content=draft))
    assert good["ok"] is True and good["procedure"] == "goodshire"
    # a posted draft is checked, not kept: no later request sees it
    assert server.get("/procedures/goodshire@draft").json()["error"]["code"] == "unknown-procedure"
    bad = draft.replace('"8 working days"', '"8 wrking days"', 1)
    answer = _check(openapi, "/validate", "post", server.post("/validate", content=bad))
    (problem,) = [d for d in answer["diagnostics"] if d["severity"] == "error"]
    assert answer["ok"] is False and problem["code"] == "bad-duration" and problem["line"] and problem["column"]
    assert "8 wrking days" in bad.splitlines()[problem["line"] - 1]
    # a source file named by posted text is never read on the server
    spying = draft.replace('[sources.local-procedures]', '[sources.local-procedures]\nfile = "../../../etc/passwd"', 1)
    answer = server.post("/validate", content=spying).json()
    assert "root:" not in json.dumps(answer) and answer["ok"] is True


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("post", "/procedures/warrington/schedule", {"content": b"{not json"}, 400, "bad-json"),
    ("post", "/procedures/warrington/schedule", {"content": b"x" * 200_001}, 413, "too-large"),
    ("get", "/procedures/nowhere", {}, 404, "unknown-procedure"),
    ("get", "/procedures/scotland@1999", {}, 404, "unknown-version"),
    ("get", "/procedures/scotland", {"params": {"on": "2020-01-01"}}, 404, "not-in-force"),
    ("post", "/procedures/warrington/schedule", {"json": {"id": "x", "events": [{"event": "icpc"}]}}, 422,
     "wrong-type"),
    ("post", "/procedures/warrington/schedule", {"json": {"events": [{"event": "tea", "date": "2024-01-01"}]}},
     422, "undefined-reference"),
    ("get", "/calendar/add", {"params": {"start": "2024-01-01", "duration": "10 wrking days"}}, 400, "bad-value"),
    ("get", "/calendar/add", {"params": {"start": "someday", "duration": "1 day"}}, 400, "bad-value"),
    ("get", "/compare", {"params": {"id": "england"}}, 400, "missing-parameter"),
    ("get", "/no/such/endpoint", {}, 404, "not-found"),
    ("post", "/procedures", {}, 405, "method-not-allowed"),
])
def test_bad_input_is_a_json_error_with_a_stable_code(server, openapi, method, path, kwargs, status, code):
    response = getattr(server, method)(path, **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert "Traceback" not in response.text and str(ROOT) not in response.text and "site-packages" not in response.text
    if path in openapi["paths"] and method in openapi["paths"][path]:
        jsonschema.validate(response.json(), openapi["components"]["schemas"]["error"])


def test_parallel_requests_give_the_sequential_answers(server):
    case = _case_json(ROOT / "examples" / "case.toml")
    days = [f"2024-0{m}-{d:02d}" for m in (2, 3, 4) for d in (1, 9, 17, 25)]

    def ask(day: str) -> dict:
        return server.post("/procedures/warrington/schedule", params={"today": day}, content=case).json()

    sequential = [ask(day) for day in days]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(ask, days * 3))
    assert parallel == sequential * 3
    assert len({json.dumps(a, sort_keys=True) for a in sequential}) > 1  # the days give different answers


def test_the_interactive_docs_are_served_without_network(server):
    page = server.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text and "https://" not in page.text
    assert server.get("/docs/static/swagger-ui-bundle.js").status_code == 200


def test_cors_is_off_by_default_and_on_when_asked():
    from starlette.testclient import TestClient

    from procedurekit import Library
    from procedurekit.serve.app import create_app

    library = Library.load()
    origin = {"origin": "https://cases.example.org"}
    closed = TestClient(create_app(library)).get("/procedures", headers=origin)
    assert "access-control-allow-origin" not in closed.headers
    opened = TestClient(create_app(library, cors_origins=["https://cases.example.org"])).get("/procedures",
                                                                                           headers=origin)
    assert opened.headers["access-control-allow-origin"] == "https://cases.example.org"


def test_a_request_that_runs_out_of_time_is_a_503():
    from starlette.testclient import TestClient

    from procedurekit import Library
    from procedurekit.serve.app import create_app

    client = TestClient(create_app(Library.load(), timeout=0.000001))
    response = client.get("/compare", params={"id": ["england", "warrington", "croydon"]})
    assert response.status_code == 503 and response.json()["error"]["code"] == "timeout"


def test_serve_without_the_extra_says_how_to_get_it(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = run("serve")
    assert result.exit_code == 2 and "pip install 'procedurekit[serve]'" in result.output


def test_messages_name_no_path_of_the_server():
    from procedurekit.serve.api import without_paths

    text = ('procedure id "twin" is defined by both /srv/venv/lib/site-packages/p/one.toml (plugin a) and '
            "/tmp/t/two.toml (plugin b); see https://example.org/a/b")
    assert without_paths(text) == ('procedure id "twin" is defined by both one.toml (plugin a) and two.toml '
                                   "(plugin b); see https://example.org/a/b")
