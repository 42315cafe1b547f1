#!/usr/bin/env python3
"""The Spark driver, run for real: `local-cluster[2,1,1024]` (a master, a worker and two
executors, each its own JVM, as on a cluster), on corpus/ and on a generated corpus.

It builds nothing. It needs, from the environment:

    CLAIMDEX_BIN    the claimdex binary (target/release/claimdex)
    CLAIMDEX_SYNTH  the corpus generator (target/release/examples/synth_corpus)
    CLAIMDEX_SPARK_SYNTH_SIZE   the generated corpus's size (default 6M)

and pyspark (scale/requirements.txt) and Java 17 or 21. Nothing is skipped: a missing
binary, a missing Java or a cluster that does not start fails the test.

    CLAIMDEX_BIN=target/release/claimdex CLAIMDEX_SYNTH=target/release/examples/synth_corpus \\
        target/spark-venv/bin/python scale/test_spark.py

What it checks: the Spark extract job writes, byte for byte, what `claimdex extract`
writes for the same files, in the same order; the Spark ingest (shards built on the
executors, merged by `claimdex index merge`) answers as one `claimdex ingest` of the same
files: `stats --json` (less the index's path, size and segment count, as
tests/index_merge.rs), searches with their scores, and `conflicts --format json`, byte for
byte; the Spark conflicts job (claims keyed on the executors by `claimdex reconcile key`
and `attach`, sorted by key in Spark, judged by `claimdex reconcile judge` in key ranges)
writes the report `claimdex conflicts --format json` writes, byte for byte; and a claimdex
that fails in a task is named, with its partition and files.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DRIVER = os.path.join(HERE, "claimdex_spark.py")
MASTER = "local-cluster[2,1,1024]"
QUERIES = ["revenue", "investment OpenAI", "gigawatts", "Microsoft stake", "capacity"]

sys.path.insert(0, HERE)
import claimdex_spark  # noqa: E402  (the listing and partitioning, tested without Spark)


def required(var):
    value = os.environ.get(var)
    if not value:
        raise RuntimeError(f"{var} is not set: see the top of {__file__}")
    path = os.path.abspath(value)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{var}={value}: not an executable file")
    return path


class SparkJobs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bin = required("CLAIMDEX_BIN")
        synth = required("CLAIMDEX_SYNTH")
        cls.tmp = tempfile.TemporaryDirectory(prefix="claimdex-spark-")
        cls.dir = cls.tmp.name
        shutil.copytree(os.path.join(REPO, "corpus"), os.path.join(cls.dir, "corpus"))
        size = os.environ.get("CLAIMDEX_SPARK_SYNTH_SIZE", "6M")
        subprocess.run(
            [synth, os.path.join(cls.dir, "synth"), size, "7"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cls.env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
        cls.env.pop("CLAIMDEX_INDEX", None)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def claimdex(self, *args):
        out = subprocess.run(
            [self.bin, *args], cwd=self.dir, env=self.env, capture_output=True
        )
        self.assertEqual(out.returncode, 0, f"claimdex {args}: {out.stderr.decode()}")
        return out.stdout

    def driver(self, *args, master=MASTER, claimdex=None, code=0):
        """Runs the Spark driver in the test folder; returns its summary and stderr."""
        argv = [sys.executable, DRIVER, "--claimdex", claimdex or self.bin, "--master", master]
        argv += ["--json", *args]
        out = subprocess.run(argv, cwd=self.dir, env=self.env, capture_output=True, text=True)
        self.assertEqual(out.returncode, code, f"{args}:\n{out.stderr}")
        lines = out.stdout.strip().splitlines()
        return (json.loads(lines[-1]) if lines else None), out.stderr

    def ran_on_two_executors(self, summary):
        self.assertEqual(summary["executors_registered"], 2, summary)
        self.assertEqual(len(summary["executors"]), 2, "each executor its own JVM")

    def reference_files(self, folder):
        """The files claimdex's own walk takes under `folder`, in its order."""
        out = self.claimdex("extract", "-j2", folder).decode()
        return out, [json.loads(line)["path"] for line in out.splitlines()]

    def check_extract(self, folder, partitions):
        want, files = self.reference_files(folder)
        self.assertGreater(len(files), partitions)
        out = f"extract-{folder}"
        merged = f"{out}.jsonl"
        summary, _ = self.driver(
            "extract", folder, "-o", out, "--merge", merged, "--partitions", str(partitions)
        )
        self.ran_on_two_executors(summary)
        self.assertEqual(summary["files"], len(files))
        with open(os.path.join(self.dir, merged), encoding="utf-8") as f:
            got = f.read()
        self.assertEqual(got, want, "Spark's records are claimdex's, in path order")
        parts = sorted(p for p in os.listdir(os.path.join(self.dir, out)) if p.startswith("part-"))
        self.assertEqual(parts, [f"part-{i:05d}.jsonl" for i in range(partitions)])
        joined = ""
        for p in parts:
            with open(os.path.join(self.dir, out, p), encoding="utf-8") as f:
                text = f.read()
            self.assertTrue(text, f"{p} is empty")
            joined += text
        self.assertEqual(joined, want, "the part files, in order, are the whole")
        return files

    def answers(self, index):
        """What a user reads from an index (as tests/index_merge.rs): stats less the
        index's path, size and segments; searches with scores; the conflict report."""
        stats = json.loads(self.claimdex("stats", "--json", "--index", index))
        for k in ("index", "index_bytes", "segments"):
            self.assertIn(k, stats)
            del stats[k]
        out = [stats]
        for q in QUERIES:
            found = subprocess.run(
                [self.bin, "search", "--json", "--limit", "100", "--index", index, q],
                cwd=self.dir,
                env=self.env,
                capture_output=True,
            )
            self.assertIn(found.returncode, (0, 1), found.stderr.decode())
            out.append(found.stdout.decode())
        out.append(self.claimdex("conflicts", "--format", "json", "--index", index).decode())
        return out

    def check_ingest(self, folder, partitions, *flags):
        _, files = self.reference_files(folder)
        whole = f"whole-{folder}"
        self.claimdex("ingest", "-q", "-j2", "--index", whole, "--", *files)
        want = self.answers(whole)
        self.assertTrue(want[1], "the search finds claims")
        self.assertGreater(len(json.loads(want[-1])), 3, "the report has groups")
        merged = f"merged-{folder}"
        report = f"report-{folder}.json"
        summary, _ = self.driver(
            "ingest", folder, "--index", merged, "--partitions", str(partitions),
            "--report", report, *flags,
        )
        self.ran_on_two_executors(summary)
        self.assertEqual(summary["partitions"], partitions)
        self.assertTrue(
            summary["merged"].startswith(f"merged {partitions} shards into"), summary["merged"]
        )
        self.assertFalse(os.path.exists(os.path.join(self.dir, f"{merged}.shards")))
        got = self.answers(merged)
        self.assertEqual(got[0], want[0], "stats")
        for q, g, w in zip(QUERIES, got[1:-1], want[1:-1]):
            self.assertEqual(g, w, f"search {q!r}")
        self.assertEqual(got[-1], want[-1], "conflicts --format json")
        with open(os.path.join(self.dir, report), encoding="utf-8") as f:
            self.assertEqual(f.read(), want[-1], "the job's own report")
        return summary

    def check_conflicts(self, folder, partitions, judges):
        """The report with the shuffle in Spark (extract, key and attach tasks, a sort by
        key, judge tasks) is `claimdex conflicts --format json` over an ingest of the same
        files, byte for byte."""
        _, files = self.reference_files(folder)
        whole = f"conflicts-{folder}"
        self.claimdex("ingest", "-q", "-j2", "--index", whole, "--", *files)
        want = self.claimdex("conflicts", "--format", "json", "--index", whole).decode()
        self.assertGreater(len(json.loads(want)), 3, "the report has groups")
        report = f"shuffled-{folder}.json"
        summary, _ = self.driver(
            "conflicts", folder, "--work", f"work-{folder}", "-o", report,
            "--partitions", str(partitions), "--judges", str(judges),
        )
        self.ran_on_two_executors(summary)
        self.assertEqual(summary["stages"]["judge"]["tasks"], judges)
        self.assertGreater(summary["stages"]["key"]["bytes_out"], 0)
        with open(os.path.join(self.dir, report), encoding="utf-8") as f:
            self.assertEqual(f.read(), want, "the shuffled report is claimdex conflicts'")
        work = os.listdir(os.path.join(self.dir, f"work-{folder}"))
        self.assertIn("groups.jsonl", work)
        for gone in ("keyed", "attached", "sorted"):
            self.assertNotIn(gone, work, "a stage's lines are removed once read")
        return summary

    def test_extract_parquet_generated_corpus(self):
        """The Parquet extract job: a folder of two tables a partition, whose claims, read
        back by Spark, are the claims of `claimdex extract`, in order."""
        want, files = self.reference_files("synth")
        summary, _ = self.driver(
            "extract", "synth", "-o", "parquet-synth", "--format", "parquet", "--partitions", "3"
        )
        self.ran_on_two_executors(summary)
        parts = sorted(p for p in os.listdir(os.path.join(self.dir, "parquet-synth")) if p.startswith("part-"))
        self.assertEqual(parts, [f"part-{i:05d}" for i in range(3)])
        claims = [
            (d["path"], c["text"], c["value"], c["unit"])
            for d in map(json.loads, want.splitlines())
            for c in d["claims"]
        ]
        from pyspark.sql import SparkSession

        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        try:
            got = []
            for p in parts:
                rows = spark.read.parquet(os.path.join(self.dir, "parquet-synth", p, "claims.parquet"))
                got += [tuple(r) for r in rows.select("path", "text", "value", "unit").collect()]
            docs = spark.read.parquet(os.path.join(self.dir, "parquet-synth", "part-*", "documents.parquet"))
            self.assertEqual(docs.count(), len(files))
        finally:
            spark.sparkContext.setLogLevel("OFF")
            spark.stop()
        self.assertGreater(len(claims), 1000)
        self.assertEqual(got, claims, "the tables' claims are claimdex extract's, in order")

    def test_conflicts_corpus(self):
        self.check_conflicts("corpus", 3, 2)

    def test_conflicts_generated_corpus(self):
        self.check_conflicts("synth", 4, 3)

    def test_extract_corpus(self):
        self.check_extract("corpus", 3)

    def test_extract_generated_corpus(self):
        files = self.check_extract("synth", 5)
        self.assertGreater(len(files), 100)

    def test_ingest_and_merge_corpus(self):
        # Command lines of at most 100 bytes of paths: each shard is built by several
        # ingests in turn, as a shard of more files than one command line holds is.
        summary = self.check_ingest("corpus", 3, "--args-bytes", "100")
        self.assertTrue(all(t["commands"] > 1 for t in summary["tasks"]), summary["tasks"])

    def test_ingest_and_merge_generated_corpus(self):
        self.check_ingest("synth", 4)

    def test_a_failing_claimdex_is_named(self):
        """A claimdex that fails on one partition: the job says which partition and files,
        shows claimdex's own message, writes the rest, and exits 1; an ingest with a shard
        that fails merges nothing."""
        fake = os.path.join(self.dir, "fake-claimdex")
        with open(fake, "w") as f:
            f.write(
                "#!/bin/sh\n"
                "# claimdex, but it falls over on the list that holds notes-compute-deals.md\n"
                'if [ "$1" = extract ]; then\n'
                "  list=$(cat); case \"$list\" in *notes-compute-deals*)\n"
                '    echo "claimdex: simulated crash" >&2; exit 101;; esac\n'
                f'  printf "%s\\n" "$list" | exec {self.bin} "$@"\n'
                "fi\n"
                'case "$*" in *notes-compute-deals*) echo "claimdex: simulated crash" >&2; exit 101;; esac\n'
                f'exec {self.bin} "$@"\n'
            )
        os.chmod(fake, 0o755)
        summary, err = self.driver(
            "extract", "corpus", "-o", "bad-extract", "--partitions", "3",
            master="local[2]", claimdex=fake, code=1,
        )
        failed = [t for t in summary["tasks"] if t["code"] != 0]
        self.assertEqual(len(failed), 1, summary["tasks"])
        n = failed[0]["partition"]
        self.assertIn(f"partition {n}: claimdex: simulated crash", err)
        self.assertRegex(err, rf"partition {n} \(\d+ files, corpus/\S+ \.\. corpus/\S+\): claimdex exit 101")
        others = [t for t in summary["tasks"] if t["code"] == 0]
        self.assertEqual(len(others), 2)
        for t in others:
            part = os.path.join(self.dir, "bad-extract", f"part-{t['partition']:05d}.jsonl")
            self.assertGreater(os.path.getsize(part), 0)
        _, err = self.driver(
            "ingest", "corpus", "--index", "bad-index", "--partitions", "3",
            master="local[2]", claimdex=fake, code=1,
        )
        self.assertIn("claimdex exit 101", err)
        self.assertIn("nothing merged", err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "bad-index")))


class Listing(unittest.TestCase):
    """The driver's own listing takes the files claimdex's walk takes, in its order."""

    def test_listing_is_claimdex_walk(self):
        bin_ = required("CLAIMDEX_BIN")
        with tempfile.TemporaryDirectory() as d:
            names = [
                "a.txt", "a/b.md", "a/.hidden.txt", ".git/c.txt", "B.HTM", "b.html",
                "notes.markdown", "x.pdf", "sub dir/é.txt", "z/y/x.htm", "a-b.txt", "a.b/c.txt",
            ]
            for n in names:
                path = os.path.join(d, "tree", n)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write("Revenue rose 5% to $2 billion in 2024.\n")
            os.symlink(os.path.join(d, "tree", "a"), os.path.join(d, "tree", "z", "link"))
            os.symlink(os.path.join(d, "tree"), os.path.join(d, "tree", "a", "loop"))
            roots = ["tree", "tree/x.pdf", "tree/a.txt"]
            out = subprocess.run(
                [bin_, "extract", "-j1", *roots], cwd=d, capture_output=True, text=True
            )
            want = [json.loads(line)["path"] for line in out.stdout.splitlines()]
            here = os.getcwd()
            os.chdir(d)
            try:
                got, problems = claimdex_spark.list_files(roots)
            finally:
                os.chdir(here)
        self.assertGreater(len(want), 8, out.stderr)
        self.assertEqual(got, want)
        self.assertIn("symlink loop", [why for _, why in problems])

    def test_partitions_are_runs_in_order(self):
        files = [f"f{i:03d}" for i in range(50)]
        sizes = [(i * 7919) % 1000 + 1 for i in range(50)]
        for n in (1, 2, 3, 7, 50, 80):
            parts = claimdex_spark.partition(files, sizes, n)
            self.assertEqual(len(parts), min(n, 50))
            self.assertTrue(all(parts))
            self.assertEqual([f for p in parts for f in p], files)
        parts = claimdex_spark.partition(files, [1] * 49 + [10_000], 2)
        self.assertEqual(len(parts), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
