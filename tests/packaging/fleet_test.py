#!/usr/bin/env python3
"""examples/fleet on 200 bundles made from corpus cases, with two local Dask workers: its summary
equals a sequential run's, every bundle is counted once, and the broken bundles are named.

Each bundle holds one corpus case's files and a manifest.json (tediag.bundle/1) with the case's app
and macOS version and an app version; one in ten is a .zip, one in fifteen a .tar.gz (tediag reads
both), and two are broken (an empty folder, a truncated .zip).
Usage: fleet_test.py SOURCE_DIR TEDIAG
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

SOURCE, TEDIAG = pathlib.Path(sys.argv[1]), sys.argv[2]
FLEET = SOURCE / "examples/fleet/fleet.py"
COUNT = 200


def expect_value(case, key):
    match = re.search(rf'^{key}:\s*"?([^"\n]*)"?\s*$', (case / ".expect.yaml").read_text(), re.M)
    return match.group(1) if match else "unknown"


def make_bundles(root):
    cases = sorted({p.parent for p in SOURCE.glob("corpora/*/*/.expect.yaml")})
    for i in range(COUNT - 2):
        case = cases[i * 7 % len(cases)]  # spread over classes, repeats allowed
        folder = root / f"work/bundle-{i:03}"
        shutil.copytree(case, folder, ignore=shutil.ignore_patterns(".*"))
        manifest = {"schema": "tediag.bundle/1", "tool_version": "0.1.0", "macos_version": expect_value(case, "macos"),
                    "app": {"name": expect_value(case, "app"), "version": f"1.{i % 3}"}}
        (folder / "manifest.json").write_text(json.dumps(manifest))
        if i % 10 == 3:
            with zipfile.ZipFile(root / f"bundles/bundle-{i:03}.zip", "w") as archive:
                for f in sorted(folder.rglob("*")):
                    archive.write(f, f"bundle-{i:03}/{f.relative_to(folder)}")
        elif i % 15 == 4:
            with tarfile.open(root / f"bundles/bundle-{i:03}.tar.gz", "w:gz") as archive:
                archive.add(folder, f"bundle-{i:03}")
        else:
            folder.rename(root / f"bundles/bundle-{i:03}")
    (root / "bundles/bundle-empty").mkdir()
    good_zip = next((root / "bundles").glob("*.zip")).read_bytes()
    (root / "bundles/bundle-truncated.zip").write_bytes(good_zip[: len(good_zip) // 3])


def fleet(*args):
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(FLEET), "--json", "--tediag", TEDIAG, *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"fleet.py {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return json.loads(done.stdout), time.monotonic() - start


def main():
    with tempfile.TemporaryDirectory(prefix="tediag-fleet-") as tmp:
        root = pathlib.Path(tmp)
        (root / "bundles").mkdir()
        make_bundles(root)
        bundles = str(root / "bundles")
        sequential, seq_seconds = fleet("--sequential", bundles)
        distributed, dask_seconds = fleet("--workers", "2", "--jsonl", str(root / "all.jsonl"), bundles)
        assert sequential == distributed, "the Dask summary differs from the sequential one"
        assert distributed["bundles"] == COUNT, distributed["bundles"]
        failed = {pathlib.Path(bundle).name for bundle, _ in distributed["failed"]}
        assert {"bundle-empty", "bundle-truncated.zip"} <= failed, failed
        diagnosed = sum(sum(c.values()) for c in distributed["classes_by_app_version"].values())
        assert diagnosed >= COUNT - len(failed), f"{diagnosed} diagnosis lines for {COUNT - len(failed)} bundles"
        assert distributed["top_rules"], "no rule fired on 200 corpus bundles"
        lines = (root / "all.jsonl").read_text().splitlines()
        tagged = {json.loads(line)["bundle"] for line in lines}
        assert len(tagged) == COUNT, f"{len(tagged)} bundles in the JSON Lines"  # a failed run still writes its lines
        with_diagnosis = {json.loads(line)["bundle"] for line in lines if json.loads(line)["type"] == "diagnosis"}
        readable = {b for b in tagged if pathlib.Path(b).name not in failed}
        assert readable <= with_diagnosis, f"readable bundles without a diagnosis line: {readable - with_diagnosis}"
        print(f"fleet: {COUNT} bundles, {len(failed)} failed to read, summaries equal; sequential "
              f"{seq_seconds:.1f} s, Dask with 2 workers {dask_seconds:.1f} s (start-up included)")


if __name__ == "__main__":
    main()
