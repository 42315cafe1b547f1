#!/usr/bin/env python3
"""Times claimdex alone against the Spark jobs on one corpus, and checks they agree.

    target/spark-venv/bin/python scale/measure.py --claimdex target/release/claimdex \\
        --corpus target/spark-bench/c100 --work target/spark-bench/w100 --master 'local[2]'

Runs, in order: `claimdex extract -j2` of the corpus; the Spark extract job; `claimdex
ingest -j2`; the Spark ingest job (shards on the executors, `index merge` on the driver)
with its conflict report; `claimdex conflicts --format json` of the single ingest. Each
process's peak memory is read from /proc while it runs (VmHWM, sampled every 0.2 s: the
driver JVM, each executor JVM, the Python workers, each claimdex), and each claimdex's own
peak from the kernel when it ends. Prints one JSON object; says whether the extract output
and the two reports are identical. The work folder is emptied first.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Peaks(threading.Thread):
    """Peak VmHWM (KiB) of every process of interest, by kind, while it runs."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = str(root)
        self.peak = {}  # pid -> (kind, KiB)
        self.stop = threading.Event()

    def ours(self, pid):
        """True when `pid` descends from the process measured (other work on the machine
        is not counted)."""
        for _ in range(16):
            if pid == self.root:
                return True
            try:
                with open(f"/proc/{pid}/stat") as f:
                    pid = f.read().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                return False
            if pid in ("0", "1"):
                return False
        return False

    @staticmethod
    def kind(cmd):
        if "CoarseGrainedExecutorBackend" in cmd:
            return "executor_jvm"
        if "org.apache.spark.deploy.SparkSubmit" in cmd:
            return "driver_jvm"
        if "org.apache.spark.deploy" in cmd:
            return "master_or_worker_jvm"
        if "pyspark.daemon" in cmd or "pyspark.worker" in cmd:
            return "python_worker"
        if cmd.split("\0")[0].endswith("claimdex"):
            return "claimdex"
        return None

    def run(self):
        while not self.stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/cmdline") as f:
                        kind = self.kind(f.read())
                    if kind and kind.endswith("_jvm"):
                        with open(f"/proc/{pid}/comm") as f:
                            kind = kind if f.read().strip() == "java" else None
                    if not kind or not self.ours(pid):
                        continue
                    with open(f"/proc/{pid}/status") as f:
                        hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
                except (OSError, StopIteration, ValueError):
                    continue
                old = self.peak.get(pid, (kind, 0))[1]
                self.peak[pid] = (kind, max(old, hwm))
            time.sleep(0.2)

    def summary(self):
        out = {}
        for kind, kib in self.peak.values():
            o = out.setdefault(kind, {"processes": 0, "max_mb": 0})
            o["processes"] += 1
            o["max_mb"] = max(o["max_mb"], round(kib / 1024))
        return out


def timed(argv, stdout=None, cwd=None):
    """Runs argv; returns seconds, the process's own peak RSS (MB) and the peaks of the
    processes it started."""
    started = time.monotonic()
    with open(stdout, "wb") if stdout else open(os.devnull, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, cwd=cwd)
        peaks = Peaks(proc.pid)
        peaks.start()
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    secs = time.monotonic() - started
    peaks.stop.set()
    peaks.join()
    if proc.returncode not in (0,):
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit(f"{argv[:3]}: exit {proc.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "seconds": round(secs, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "peaks": peaks.summary(),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--claimdex", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--master", default="local[2]")
    p.add_argument("--partitions", type=int, default=None, help="extract partitions")
    p.add_argument("--shards", type=int, default=2)
    p.add_argument("--skip", default="", help="comma-separated steps to skip: extract,ingest")
    a = p.parse_args()
    bin_ = os.path.abspath(a.claimdex)
    corpus = os.path.abspath(a.corpus)
    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    size = sum(
        os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs
    )
    driver = [sys.executable, os.path.join(HERE, "claimdex_spark.py"), "--claimdex", bin_]
    driver += ["--master", a.master, "--json"]
    r = {"corpus": corpus, "mb": round(size / 1e6, 1), "master": a.master, "load": os.getloadavg()}
    skip = a.skip.split(",")
    if "extract" not in skip:
        r["claimdex_extract"] = timed(
            [bin_, "extract", "-j2", corpus], stdout=os.path.join(work, "extract.jsonl")
        )
        parts = ["--partitions", str(a.partitions)] if a.partitions else []
        out = os.path.join(work, "spark-extract.json")
        r["spark_extract"] = timed(
            driver + ["extract", corpus, "-o", os.path.join(work, "parts"), *parts,
                      "--merge", os.path.join(work, "spark.jsonl")],
            stdout=out,
        )
        with open(out) as f:
            s = json.load(f)
        r["spark_extract"]["job_seconds"] = s["seconds"]
        r["spark_extract"]["partitions"] = s["partitions"]
        r["spark_extract"]["claimdex_peak_mb"] = round(s["peak_rss_kib"] / 1024)
        r["spark_extract"]["claimdex_cpu_seconds"] = s["cpu_seconds"]
        same = subprocess.run(
            ["cmp", "-s", os.path.join(work, "extract.jsonl"), os.path.join(work, "spark.jsonl")]
        ).returncode == 0
        r["extract_identical"] = same
        os.remove(os.path.join(work, "spark.jsonl"))
        shutil.rmtree(os.path.join(work, "parts"))
    if "ingest" not in skip:
        r["claimdex_ingest"] = timed(
            [bin_, "ingest", "-q", "-j2", "--index", os.path.join(work, "whole"), corpus]
        )
        r["claimdex_conflicts"] = timed(
            [bin_, "conflicts", "--format", "json", "--index", os.path.join(work, "whole")],
            stdout=os.path.join(work, "whole.json"),
        )
        out = os.path.join(work, "spark-ingest.json")
        r["spark_ingest"] = timed(
            driver + ["ingest", corpus, "--index", os.path.join(work, "merged"),
                      "--partitions", str(a.shards), "--report", os.path.join(work, "merged.json")],
            stdout=out,
        )
        with open(out) as f:
            s = json.load(f)
        r["spark_ingest"]["job_seconds"] = s["seconds"]
        r["spark_ingest"]["merge_seconds"] = s["merge_seconds"]
        r["spark_ingest"]["claimdex_peak_mb"] = round(s["peak_rss_kib"] / 1024)
        r["spark_ingest"]["claimdex_cpu_seconds"] = s["cpu_seconds"]
        r["spark_ingest"]["shard_seconds"] = [t["seconds"] for t in s["tasks"]]
        r["reports_identical"] = subprocess.run(
            ["cmp", "-s", os.path.join(work, "whole.json"), os.path.join(work, "merged.json")]
        ).returncode == 0
    print(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
