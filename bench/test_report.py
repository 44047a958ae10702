"""Tests of bench/report.py: a smoke run judges nothing (no verdict word in what it prints or
writes), a full run judges every figure, and the CPU is named. Run: python3 -m unittest bench/test_report.py"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import report  # noqa: E402

FIGURES = ["session start overhead", "preflight", "search (SQLite)", "search (PostgreSQL)",
           "import (JSON)", "import (CSV)", "CLI cold `devices list --search` (SQLite)", "sync",
           "concurrent starts (SQLite)", "concurrent starts (PostgreSQL)",
           "window cold start (2000 devices)", "memory (2000 devices)", "whole footprint (2000 devices)"]


def run_report(records, mode, window_sizes="2000"):
    with tempfile.TemporaryDirectory() as d:
        results, out = os.path.join(d, "results.jsonl"), os.path.join(d, "RESULTS.md")
        with open(results, "w") as fh:
            for r in records:
                fh.write(json.dumps(r) + "\n")
        run = subprocess.run([sys.executable, os.path.join(HERE, "report.py"), results, out, "--mode", mode,
                              "--devices", "2000", "--window-sizes", window_sizes],
                             capture_output=True, text=True)
        with open(out) as fh:
            return run.returncode, run.stdout + run.stderr, fh.read()


def records(missed):
    return [{"figure": f, "workload": "w", "target": "≤ 2× floor", "measured": "3.10× (a, floor b)",
             "pass": f != missed} for f in FIGURES]


class SmokeRun(unittest.TestCase):
    def test_a_missed_target_is_printed_with_its_target_and_not_judged(self):
        code, printed, written = run_report(records(missed="preflight"), "smoke")
        self.assertEqual(code, 0)
        for text in (printed, written):
            self.assertNotIn("FAIL", text.upper())
            self.assertNotIn("MISS", text.upper().replace("MISSING", ""))
            self.assertIn("| preflight | w | ≤ 2× floor | 3.10× (a, floor b) | not judged |", text)

    def test_a_figure_not_measured_still_fails_the_run(self):
        code, printed, _ = run_report(records(missed=None)[1:], "smoke")
        self.assertEqual(code, 2)
        self.assertIn("not measured", printed)
        self.assertNotIn("FAIL", printed)


class FullRun(unittest.TestCase):
    def test_a_missed_target_fails(self):
        code, printed, written = run_report(records(missed="sync"), "full")
        self.assertEqual(code, 1)
        self.assertIn("| sync | w | ≤ 2× floor | 3.10× (a, floor b) | **FAIL** |", printed)
        self.assertIn("Missed: sync.", written)

    def test_every_target_met(self):
        code, _, written = run_report(records(missed=None), "full")
        self.assertEqual(code, 0)
        self.assertIn("Every target met.", written)

    def test_the_window_figures_are_expected_at_each_size(self):
        code, printed, _ = run_report(records(missed=None), "full", window_sizes="2000,1000000")
        self.assertEqual(code, 2)
        self.assertIn("window cold start (1000000 devices)", printed)
        self.assertNotIn("memory (2000 devices) | | |", printed)
        self.assertIn("memory (1000000 devices) | | | not measured", printed)


class Cpu(unittest.TestCase):
    def test_a_model_a_hypervisor_names_alike_is_told_apart(self):
        cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n" \
                  "model name\t: AMD EPYC\nstepping\t: 1\ncpu MHz\t\t: 2596.130\ncache size\t: 1024 KB\n"
        self.assertEqual(report.cpu_model(cpuinfo, "Hypervisor vendor:   KVM\n"),
                         "AMD EPYC (family 25, model 17, stepping 1; 2.60 GHz; cache 1024 KB; KVM guest)")


if __name__ == "__main__":
    unittest.main()
