#!/usr/bin/env python3
"""Diagnose many tediag bundles on a Dask cluster and summarise the fleet.

Each bundle (a collector folder, .zip or .tar.gz; or any file or folder tediag reads) is one task:
`tediag analyze --format jsonl --threads 1 BUNDLE` on whichever worker Dask gives it. The client
gathers every bundle's JSON Lines, optionally writes them all to one file (each line tagged with
its bundle, the app version and macOS version from the bundle's manifest.json), and prints:
failure classes by app and app version, the rules that fired most, and the bundles that failed.

    fleet.py BUNDLES_DIR                      # a LocalCluster, one worker per core
    fleet.py --workers 2 a.zip b.zip          # bundles named one by one
    fleet.py --list bundles.txt               # one path a line
    fleet.py --scheduler tcp://10.0.0.5:8786 /shared/bundles   # an existing cluster
    fleet.py --sequential BUNDLES_DIR         # no Dask: the same work in this process, in order

Workers need `tediag` (on PATH, or --tediag) and the bundles at the same paths (a shared or
replicated file system). docs/FLEET.md says how it scales and how the lines reach Elasticsearch.
"""
import argparse
import collections
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import zipfile


def read_manifest(bundle):
    """The bundle's manifest.json (tediag.bundle/1) as a dict, or {} when it has none."""
    path = pathlib.Path(bundle)
    try:
        if path.is_dir():
            candidates = sorted(path.glob("**/manifest.json"), key=lambda p: len(p.parts))
            text = candidates[0].read_text() if candidates else ""
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = sorted((n for n in archive.namelist() if n.endswith("manifest.json")), key=len)
                text = archive.read(names[0]).decode() if names else ""
        elif tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                members = sorted((m for m in archive.getmembers() if m.name.endswith("manifest.json")),
                                 key=lambda m: len(m.name))
                text = archive.extractfile(members[0]).read().decode() if members else ""
        else:
            text = ""
        manifest = json.loads(text) if text else {}
    except (OSError, ValueError, KeyError, tarfile.TarError, zipfile.BadZipFile):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("schema", "").startswith("tediag.bundle/") else {}


def analyze_bundle(bundle, tediag="tediag"):
    """One task: tediag on one bundle. Returns plain data, so it travels back from any worker."""
    done = subprocess.run([tediag, "analyze", "--format", "jsonl", "--threads", "1", bundle],
                          capture_output=True, text=True, errors="replace")
    manifest = read_manifest(bundle)
    app = manifest.get("app") if isinstance(manifest.get("app"), dict) else {}
    return {"bundle": bundle, "status": done.returncode, "lines": done.stdout.splitlines(),
            "stderr": done.stderr.strip(), "app_version": app.get("version") or "unknown",
            "macos_version": manifest.get("macos_version") or "unknown"}


def summarise(results):
    """The fleet summary: the same for the same results in any order."""
    classes = collections.defaultdict(collections.Counter)  # "App version" -> class -> bundles
    rules = collections.Counter()
    failed = []
    for result in results:
        records = []
        for line in result["lines"]:
            try:
                records.append(json.loads(line))
            except ValueError:
                failed.append((result["bundle"], "a line that is not JSON"))
        if result["status"] not in (0, 1) or not records:
            reason = result["stderr"].splitlines()[-1] if result["stderr"] else f"exit status {result['status']}"
            failed.append((result["bundle"], reason))
            continue
        for record in records:
            if record.get("type") == "diagnosis":
                app = record.get("app") or "(no app)"
                classes[f"{app} {result['app_version']}"][record.get("class") or "none"] += 1
            elif record.get("type") == "finding":
                rules[record["rule"]] += 1
            elif record.get("type") == "input-error":
                failed.append((result["bundle"], f"{record['input']}: {record['message']}"))
    return {
        "bundles": len(results),
        "classes_by_app_version": {key: dict(sorted(counter.items())) for key, counter in sorted(classes.items())},
        "top_rules": sorted(rules.items(), key=lambda item: (-item[1], item[0]))[:10],
        "failed": sorted(failed),
    }


def print_summary(summary, out=sys.stdout):
    print(f"{summary['bundles']} bundles", file=out)
    print("\nFailure classes by app and version", file=out)
    for key, counter in summary["classes_by_app_version"].items():
        print(f"  {key:<40} " + ", ".join(f"{cls} {n}" for cls, n in counter.items()), file=out)
    print("\nTop rules", file=out)
    for rule, count in summary["top_rules"]:
        print(f"  {count:>6}  {rule}", file=out)
    print(f"\nBundles that failed to read: {len(summary['failed'])}", file=out)
    for bundle, reason in summary["failed"]:
        print(f"  {bundle}: {reason}", file=out)


def bundles_from(args):
    paths = list(args.bundles)
    if args.list:
        paths += [line.strip() for line in pathlib.Path(args.list).read_text().splitlines() if line.strip()]
    bundles = []
    for path in paths:
        p = pathlib.Path(path)
        # A folder that is not itself a bundle holds bundles: each entry is one.
        if p.is_dir() and not (p / "manifest.json").exists():
            bundles += sorted(str(entry) for entry in p.iterdir() if not entry.name.startswith("."))
        else:
            bundles.append(str(p))
    return [os.path.abspath(b) for b in bundles]


def run_on_dask(bundles, args):
    from dask.distributed import Client, LocalCluster, as_completed
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(analyze_bundle, bundles, tediag=args.tediag, pure=False)
        return [result for _, result in as_completed(futures, with_results=True)]
    finally:
        client.close()
        if not args.scheduler:
            cluster.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", nargs="*", help="bundles, or folders of bundles")
    parser.add_argument("--list", help="a file naming one bundle a line")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="LocalCluster workers")
    parser.add_argument("--tediag", default="tediag", help="the tediag binary on the workers")
    parser.add_argument("--sequential", action="store_true", help="no Dask: every bundle in this process")
    parser.add_argument("--jsonl", help="also write every bundle's lines to this file")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    bundles = bundles_from(args)
    if not bundles:
        parser.error("no bundles given")
    if args.sequential:
        results = [analyze_bundle(bundle, args.tediag) for bundle in bundles]
    else:
        results = run_on_dask(bundles, args)
    if args.jsonl:
        with open(args.jsonl, "w") as out:
            for result in sorted(results, key=lambda r: r["bundle"]):
                for line in result["lines"]:
                    record = json.loads(line)
                    record.update(bundle=result["bundle"], app_version=result["app_version"],
                                  macos_version=result["macos_version"])
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = summarise(results)
    if args.json:
        json.dump(summary, sys.stdout, indent=1)
        print()
    else:
        print_summary(summary)


if __name__ == "__main__":
    main()
