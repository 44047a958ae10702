#!/usr/bin/env python3
"""The benchmark table: reads the JSON lines bench/run.sh and the bench programs wrote, prints the
table, and writes it with the machine's facts to a Markdown file (bench/RESULTS.md).

Every figure is a ratio against a floor measured in the same run; a full run judges each against
its target. A smoke run (CI, small sizes) judges nothing: it prints each figure and its target,
and the words of a verdict appear nowhere in it.

Exit status: 0, or 1 when a full run missed a target; 2 when an expected figure is missing (its
program failed). A smoke run never fails on a missed target."""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def cpu_model(cpuinfo, lscpu=""):
    """The CPU's model name, and what tells apart models a hypervisor names alike ("AMD EPYC"):
    family, model, stepping, the clock, and the hypervisor."""
    fields = {}
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    name = fields.get("model name") or platform.processor() or "unknown"
    details = []
    if "cpu family" in fields:
        details.append(f"family {fields['cpu family']}, model {fields.get('model', '?')}, stepping {fields.get('stepping', '?')}")
    mhz = fields.get("cpu MHz")
    if mhz:
        details.append(f"{float(mhz) / 1000:.2f} GHz")
    cache = fields.get("cache size")
    if cache:
        details.append(f"cache {cache}")
    hypervisor = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Hypervisor vendor")), "")
    if hypervisor:
        details.append(f"{hypervisor} guest")
    return f"{name} ({'; '.join(details)})" if details else name


def facts(args):
    cpu = cpu_model(open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else "", sh("lscpu"))
    mem_kb = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    os_name = platform.system()
    if os.path.exists("/etc/os-release"):
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip().strip('"')
    commit = sh("git", "rev-parse", "--short", "HEAD")
    if sh("git", "status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    rows = [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("command", f"`{args.command}`"),
        ("mode", "smoke (small sizes, targets not enforced)" if args.mode == "smoke" else "full"),
        ("devices", f"{args.devices:,}"),
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("RAM", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("OS", f"{os_name}, Linux {platform.release()}"),
        ("rustc", sh("rustc", "--version")),
        ("load average (1, 5, 15 min) at the start", args.load_start or "not recorded"),
        ("load average (1, 5, 15 min) at the end", ", ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("PostgreSQL", args.postgres or "not run"),
        ("commit", commit),
    ]
    return rows


def expected(args):
    figures = ["session start overhead", "preflight", "search (SQLite)", "search (PostgreSQL)",
               "import (JSON)", "import (CSV)", "CLI cold `devices list --search` (SQLite)"]
    if args.postgres:
        figures.append("CLI cold `devices list --search` (PostgreSQL)")
    figures += ["sync", "concurrent starts (SQLite)", "concurrent starts (PostgreSQL)"]
    sizes = [int(x) for x in args.window_sizes.split(",") if x]
    for size in sizes:
        figures.append(f"window cold start ({size} devices)")
    if sizes:
        figures += [f"memory ({max(sizes)} devices)", f"whole footprint ({min(sizes)} devices)"]
    return figures


def verdict(rec, smoke):
    """The result column: a full run's verdict; a smoke run's "not judged"."""
    p = rec.get("pass")
    if smoke:
        return "not judged"
    if p is None:
        return "reported"
    return "pass" if p else "**FAIL**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("out")
    ap.add_argument("--mode", default="full")
    ap.add_argument("--devices", type=int, default=100_000)
    ap.add_argument("--command", default="bench/run.sh")
    ap.add_argument("--postgres", default="")
    ap.add_argument("--window-sizes", default="", help="devices of each window run, comma-separated (none: no window)")
    ap.add_argument("--load-start", default="")
    args = ap.parse_args()
    smoke = args.mode == "smoke"

    records = [json.loads(line) for line in open(args.results) if line.strip()]
    by_figure = {r["figure"]: r for r in records}
    missing = [f for f in expected(args) if f not in by_figure]
    order = expected(args) + [r["figure"] for r in records if r["figure"] not in expected(args)]

    def cell(text):
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| figure | workload | target | measured | result |", "|---|---|---|---|---|"]
    for f in order:
        r = by_figure.get(f)
        if r is None:
            lines.append(f"| {cell(f)} | | | not measured: its program failed (see the run's output) | **ERROR** |")
            continue
        lines.append(f"| {cell(f)} | {cell(r['workload'])} | {cell(r['target'])} | {cell(r['measured'])} | {verdict(r, smoke)} |")
    failed = [r["figure"] for r in records if r.get("pass") is False]

    md = ["# Benchmark results", "",
          "Written by `bench/run.sh` (`make bench`); what each figure measures and the findings behind",
          "them: [bench/README.md](README.md).", ""]
    md += ["| machine | |", "|---|---|"] + [f"| {k} | {cell(v)} |" for k, v in facts(args)] + [""]
    md += lines + [""]
    if smoke:
        md.append("A smoke run: small sizes on a possibly busy machine, so no target is judged; each figure is printed with its target, for reading.")
    elif failed:
        md.append(f"Missed: {', '.join(failed)}. bench/README.md (Findings) says by how much, why, and what would close it.")
    else:
        md.append("Every target met.")
    if missing:
        md.append(f"Not measured (the program failed): {', '.join(missing)}.")
    with open(args.out, "w") as fh:
        fh.write("\n".join(md) + "\n")

    print()
    print("\n".join(lines))
    print(f"\nwritten: {args.out}")
    if missing:
        sys.exit(2)
    if failed and not smoke:
        sys.exit(1)


if __name__ == "__main__":
    main()
