#!/usr/bin/env python3
"""--format jsonl and --format sarif on every corpus case (tests/packaging/CMakeLists.txt).

JSON Lines: every line parses on its own, has the fields docs/JSONL.md promises for its type, and
says what the JSON report says (a line per diagnosis with its app, class, rule and confidence; the
findings' ids, apps and rules in order).
SARIF: every log validates against the SARIF 2.1.0 schema (tests/packaging/sarif/), and its results
are the findings with evidence in a file, at the lines the JSON report gives.
Usage: machine_formats_test.py SOURCE_DIR TEDIAG
"""
import json
import pathlib
import re
import subprocess
import sys

import jsonschema

SOURCE, TEDIAG = pathlib.Path(sys.argv[1]), sys.argv[2]
SCHEMA = json.loads((SOURCE / "tests/packaging/sarif/sarif-2.1.0-rtm.5.json").read_text())
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)
COMMON = {"schema", "type", "tool", "tool_version", "redacted"}
FINDING = COMMON | {"id", "app", "class", "rule", "title", "severity", "hits", "explanation", "evidence", "root_cause"}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def run(case, fmt):
    done = subprocess.run([TEDIAG, "analyze", "--format", fmt, str(case)], capture_output=True, text=True)
    assert done.returncode in (0, 3), f"{case}: --format {fmt} exited {done.returncode}: {done.stderr}"
    return done.stdout


def all_findings(report):
    """The report's findings in Report::findings order: each diagnosis's, then the others."""
    return [f for d in report["diagnoses"] for f in d["findings"]] + report["other_findings"]


def app_name(app):
    return app["name"] if app else None


def check_jsonl(case, report):
    lines = [json.loads(line) for line in run(case, "jsonl").splitlines()]
    diagnoses = [line for line in lines if line["type"] == "diagnosis"]
    findings = [line for line in lines if line["type"] == "finding"]
    assert all(line["schema"] == "tediag.jsonl/1" and COMMON <= line.keys() for line in lines), case
    want = report["diagnoses"]
    if not want:
        assert len(diagnoses) == 1 and diagnoses[0]["class"] is None, f"{case}: {diagnoses} for no diagnosis"
    else:
        assert len(diagnoses) == len(want), f"{case}: {len(diagnoses)} diagnosis lines for {len(want)} diagnoses"
        for got, d in zip(diagnoses, want):
            assert (got["class"], got["rule"], got["confidence"]) == (d["class"], d["rule"], d["confidence"]), case
            assert got["app"] == app_name(d["app"]) and got["root_cause"] == d["root_cause"], case
            assert got.get("bundle_id") == (d["app"] or {}).get("bundle_id"), case
    expected = all_findings(report)
    assert [(f["id"], f["rule"]) for f in findings] == [(f["id"], f["rule"]) for f in expected], \
        f"{case}: findings differ"
    for line, finding in zip(findings, expected):
        assert FINDING <= line.keys(), f"{case}: missing {FINDING - line.keys()}"
        assert line["app"] == app_name(finding["app"]), f"{case}: {line['id']} app {line['app']}"
        for stamp in [line.get("@timestamp"), *(e.get("timestamp") for e in line["evidence"])]:
            assert stamp is None or ISO_UTC.match(stamp), f"{case}: timestamp {stamp}"
    unreadable = [i["path"] for i in report["inputs"] if not i["readable"]]
    assert [line["input"] for line in lines if line["type"] == "input-error"] == unreadable, case
    return len(lines), sum("@timestamp" in line for line in lines)


def check_sarif(case, report):
    log = json.loads(run(case, "sarif"))
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, f"{case}: SARIF invalid: {errors[0].message} at {list(errors[0].path)}"
    results = log["runs"][0]["results"]
    in_files = [f for f in all_findings(report) if any(e["input"] != "(stdin)" and e["line"] for e in f["evidence"])]
    assert [r["ruleId"] for r in results] == [f["rule"] for f in in_files], f"{case}: results differ"
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result, finding in zip(results, in_files):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"], case
        lines = [loc["physicalLocation"]["region"]["startLine"] for loc in result["locations"]]
        assert lines == [e["line"] for e in finding["evidence"]], f"{case}: lines {lines}"
    return len(results)


def main():
    cases = sorted({p.parent for p in SOURCE.glob("corpora/*/*/.expect.yaml")})
    assert len(cases) > 100, f"only {len(cases)} corpus cases found"
    lines = stamped = results = 0
    for case in cases:
        report = json.loads(run(case, "json"))
        n, s = check_jsonl(case, report)
        lines, stamped = lines + n, stamped + s
        results += check_sarif(case, report)
    print(f"{len(cases)} cases: {lines} JSON Lines ({stamped} with @timestamp), {results} SARIF results, "
          "every SARIF log valid against the 2.1.0 schema")


if __name__ == "__main__":
    main()
