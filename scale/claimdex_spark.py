#!/usr/bin/env python3
"""claimdex on Apache Spark: Spark moves the work, claimdex does all of it.

Every rule of claimdex stays in the claimdex binary: the driver lists the article files
(as claimdex's own walk does), cuts the sorted list into partitions, and each Spark task
runs the binary on its share, as a single-threaded process:

    extract   claimdex extract --files-from - -j1    one JSON Lines part file per partition
    ingest    claimdex ingest -j1 -q --index SHARD    one tantivy shard per partition, then
              claimdex index merge OUT SHARD...       (on the driver) one index of them all
    report    claimdex conflicts --index OUT          (on the driver) the conflict report

Run it with spark-submit (`spark-submit --master spark://host:7077 scale/claimdex_spark.py
extract ...`) or, with pyspark installed, as a plain script with `--master`
(`python scale/claimdex_spark.py --master 'local[2]' extract corpus -o out`). README's
"More than one machine" says what runs where.

What the nodes must share: the input files, the output folder and the shard folder are
read and written by the executors directly, so they must be at the same path on every
node (one machine, or a shared filesystem such as NFS); relative paths are taken from the
folder the driver runs in, which must exist on every node too (or give absolute paths).
The claimdex binary is shipped to the executors with the job (SparkContext.addFile), so it
needs to exist on the driver only; `--no-ship` runs the `--claimdex` path on each node
instead. The files that CLAIMDEX_ALIASES and CLAIMDEX_METRICS name on the driver are
shipped the same way, so the executors extract with the driver's tables.

Exit codes follow claimdex's: 0 success; 1 a file or a task failed (each named on stderr,
with its partition; everything else is still written); 2 a usage error.
"""

import argparse
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time

# File name extensions claimdex reads inside a folder (src/walk.rs, EXTENSIONS).
EXTENSIONS = ("txt", "md", "markdown", "html", "htm")

# The most bytes of paths one `claimdex ingest` command line carries: well under Linux's
# 2 MiB for arguments and environment together. A longer share runs several ingests, one
# after the other, into the same shard (ingest is incremental).
ARGV_BYTES = 512 * 1024

# How much of a task's stderr comes back to the driver (the rest is in its log file).
STDERR_KEPT = 64 * 1024

# Claimdex's environment variables that change what it extracts.
TABLE_ENV = ("CLAIMDEX_ALIASES", "CLAIMDEX_METRICS")


class UsageError(Exception):
    """A usage error: exit 2."""


class JobFailed(Exception):
    """A failure that stops the job: exit 1."""


# ---------------------------------------------------------------------------------------
# The list of files (driver): what `claimdex ingest PATH...` would read, in its order.


def has_article_extension(name):
    """True when the name ends with one of EXTENSIONS, ASCII case-insensitive."""
    dot = name.rfind(".")
    return dot > 0 and name[dot + 1 :].lower() in EXTENSIONS


def path_key(path):
    """Sort key of a path as Rust's Path orders paths: component by component, each
    compared as bytes (so `a/b.txt` sorts before `a.txt`, as in claimdex's walk)."""
    raw = os.fsencode(path)
    root = raw.startswith(b"/")
    parts = tuple(p for p in raw.split(b"/") if p not in (b"", b"."))
    return (not root, parts)


def list_files(roots):
    """The article files under `roots`, as claimdex's walk finds them: a file named is taken
    whatever its extension; inside a folder, files with an article extension, hidden
    entries skipped, symbolic links followed (loops reported); sorted, each once.
    Returns (files, problems), each problem a (path, reason) pair."""
    files, problems = [], []

    def visit(path, depth, ancestors):
        try:
            st = os.stat(path)
        except OSError as e:
            problems.append((path, e.strerror or str(e)))
            return
        if stat.S_ISDIR(st.st_mode):
            ident = (st.st_dev, st.st_ino)
            if ident in ancestors:
                problems.append((path, "symlink loop"))
                return
            try:
                names = os.listdir(path)
            except OSError as e:
                problems.append((path, e.strerror or str(e)))
                return
            for name in sorted(names, key=os.fsencode):
                if name.startswith("."):
                    continue
                visit(os.path.join(path, name), depth + 1, ancestors | {ident})
        elif not stat.S_ISREG(st.st_mode):
            if has_article_extension(os.path.basename(path)):
                problems.append((path, "not a regular file"))
        elif depth == 0 or has_article_extension(os.path.basename(path)):
            files.append(path)

    for root in roots:
        visit(root, 0, frozenset())
    files = sorted(set(files), key=path_key)
    return files, problems


def listable(path):
    """Why a path cannot be handed to claimdex in a list of one path a line, or None."""
    if "\n" in path or "\r" in path:
        return "its name holds a line break"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not UTF-8"
    return None


def partition(files, sizes, n):
    """Cuts the sorted files into at most `n` runs of consecutive files with about the same
    number of bytes each (so partition order is path order). Never an empty run."""
    n = max(1, min(n, len(files)))
    total = sum(sizes)
    parts, current, done, taken = [], [], 0, 0
    for path, size in zip(files, sizes):
        current.append(path)
        done += size
        taken += 1
        left_parts = n - len(parts) - 1
        left_files = len(files) - taken
        # Close the run at its share of the bytes, or when each run still to come needs
        # one of the files left.
        if left_parts > 0 and (done * n >= total * (len(parts) + 1) or left_files == left_parts):
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


# ---------------------------------------------------------------------------------------
# What runs on the executors. These functions take only plain values, so that Spark can
# ship them; they never raise for a failure of claimdex: they return it, and the driver
# names it.


def executor_jvm():
    """`host:pid` of the JVM this task runs under (the first `java` up the process tree),
    so the driver can tell which executors ran the tasks."""
    pid = os.getppid()
    for _ in range(8):
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        if comm == "java":
            return f"{socket.gethostname()}:{pid}"
        pid = parent
    return f"{socket.gethostname()}:?"


def resolve_tools(tools):
    """The paths of the binary and of the tables on this node: shipped files are fetched
    by SparkFiles; others are used where they are."""
    from pyspark import SparkFiles

    binary = SparkFiles.get(tools["binary"]) if tools["shipped"] else tools["binary"]
    if tools["shipped"] and not os.access(binary, os.X_OK):
        os.chmod(binary, os.stat(binary).st_mode | 0o755)
    env = dict(os.environ)
    env.pop("CLAIMDEX_INDEX", None)
    for var, name in tools["tables"].items():
        env[var] = SparkFiles.get(name)
    return binary, env


def peak_of(pid):
    """The peak resident memory (KiB) of a running process's own program (Linux `VmHWM`),
    or 0. Not `ru_maxrss`: Linux carries the forking Python worker's peak across the exec
    into the child's, so every claimdex would seem to take the worker's 50-odd MB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_claimdex(argv, cwd, env, stdin_path, stdout_path, stderr_path):
    """Runs claimdex, its standard streams to files. Returns (exit code, peak RSS in KiB,
    seconds, CPU seconds); the peak is sampled every 10 ms while it runs (`ru_maxrss`
    where /proc does not say). A negative exit code is the signal that ended it."""
    started = time.monotonic()
    peak = 0
    with open(stdin_path or os.devnull, "rb") as i, open(stdout_path, "wb") as o, open(
        stderr_path, "ab"
    ) as e:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=i, stdout=o, stderr=e)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, peak_of(proc.pid))
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, peak or usage.ru_maxrss, time.monotonic() - started, cpu


def tail(path):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - STDERR_KEPT))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def extract_task(item, tools, cwd, out_dir, extra, parquet=False):
    """One partition of `extract`: its paths through `claimdex extract --files-from - -j1`
    into `part-NNNNN.jsonl`, or with `parquet` the folder `part-NNNNN` of its two tables
    (written beside under a temporary name, then renamed, so a retried task never leaves
    half a part)."""
    from pyspark import TaskContext

    idx, paths = item
    attempt = TaskContext.get().attemptNumber() if TaskContext.get() else 0
    name = f"part-{idx:05d}"
    logs = os.path.join(out_dir, "_logs")
    listing = os.path.join(logs, f"{name}.paths")
    tmp = os.path.join(out_dir, f".{name}.jsonl.tmp-{attempt}")
    err = os.path.join(logs, f"{name}.stderr")
    result = {"partition": idx, "files": len(paths), "first": paths[0], "last": paths[-1]}
    result["executor"] = executor_jvm()
    try:
        if not os.path.isdir(cwd):
            raise OSError(f"the driver's working folder {cwd} is not on {socket.gethostname()}")
        binary, env = resolve_tools(tools)
        with open(listing, "w", encoding="utf-8") as f:
            f.writelines(p + "\n" for p in paths)
        open(err, "wb").close()
        argv = [binary, "extract", "--files-from", "-", "-j1", *extra]
        final = os.path.join(out_dir, f"{name}.jsonl")
        stdout = tmp
        if parquet:
            final, tmp = os.path.join(out_dir, name), os.path.join(out_dir, f".{name}.tmp-{attempt}")
            shutil.rmtree(tmp, ignore_errors=True)
            argv += ["--format", "parquet", "--output", tmp]
            stdout = os.path.join(logs, f"{name}.stdout")
        rc, rss, secs, cpu = run_claimdex(argv, cwd, env, listing, stdout, err)
        if parquet and os.path.isdir(final):
            shutil.rmtree(final)
        os.replace(tmp, final)
        result.update(code=rc, rss_kib=rss, seconds=round(secs, 3), cpu_seconds=round(cpu, 3))
        result["stderr"] = tail(err)
        result["bytes_out"] = tree_size(final)
    except OSError as e:
        result.update(code=None, stderr=f"{e}\n")
    return result


def tree_size(path):
    """Bytes of a file, or of the files of a folder."""
    if not os.path.isdir(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(path, n)) for n in os.listdir(path))


def ingest_task(item, tools, cwd, shard_root, args_bytes):
    """One shard of `ingest`: its paths into `shard-NNNNN` by `claimdex ingest -j1 -q`, as
    many commands, one after the other, as `args_bytes` of paths a command line needs. A
    shard left by an earlier attempt is removed first."""
    from pyspark import TaskContext

    idx, paths = item
    attempt = TaskContext.get().attemptNumber() if TaskContext.get() else 0
    name = f"shard-{idx:05d}"
    shard = os.path.join(shard_root, name)
    logs = os.path.join(shard_root, "_logs")
    err = os.path.join(logs, f"{name}.stderr")
    result = {"partition": idx, "files": len(paths), "first": paths[0], "last": paths[-1]}
    result.update(executor=executor_jvm(), shard=shard, attempt=attempt)
    try:
        if not os.path.isdir(cwd):
            raise OSError(f"the driver's working folder {cwd} is not on {socket.gethostname()}")
        binary, env = resolve_tools(tools)
        if os.path.lexists(shard):
            shutil.rmtree(shard)
        open(err, "wb").close()
        chunks, chunk, size = [], [], 0
        for p in paths:
            n = len(os.fsencode(p)) + 1
            if chunk and size + n > args_bytes:
                chunks.append(chunk)
                chunk, size = [], 0
            chunk.append(p)
            size += n
        chunks.append(chunk)
        summaries, worst, rss, secs, cpu = [], 0, 0, 0.0, 0.0
        out = os.path.join(logs, f"{name}.summary")
        for chunk in chunks:
            argv = [binary, "ingest", "-j1", "-q", "--json", "--index", shard, "--", *chunk]
            rc, r, s, c = run_claimdex(argv, cwd, env, None, out, err)
            rss, secs, cpu = max(rss, r), secs + s, cpu + c
            with open(out, encoding="utf-8", errors="replace") as f:
                text = f.read().strip()
            try:
                summaries.append(json.loads(text) if text else None)
            except ValueError:
                summaries.append(None)
            if rc != 0 and (worst == 0 or rc not in (0, 1)):
                worst = rc
            if rc not in (0, 1):
                break
        result.update(code=worst, rss_kib=rss, seconds=round(secs, 3), cpu_seconds=round(cpu, 3))
        result["commands"] = len(chunks)
        result.update(summaries=summaries, stderr=tail(err), indexed=os.path.isdir(shard))
    except OSError as e:
        result.update(code=None, stderr=f"{e}\n")
    return result


def stage_task(item, tools, cwd, logs):
    """One task of a `claimdex reconcile` stage: `claimdex ARGS < INPUT > OUTPUT` (written
    under a temporary name, then renamed). `{memo}`-style paths in ARGS are absolute."""
    from pyspark import TaskContext

    idx, (stage, src, dst, argv_tail) = item
    attempt = TaskContext.get().attemptNumber() if TaskContext.get() else 0
    err = os.path.join(logs, f"{stage}-{idx:05d}.stderr")
    result = {"partition": idx, "files": 1, "first": src, "last": dst, "executor": executor_jvm()}
    tmp = f"{dst}.tmp-{attempt}"
    try:
        binary, env = resolve_tools(tools)
        open(err, "wb").close()
        rc, rss, secs, cpu = run_claimdex([binary, *argv_tail], cwd, env, src, tmp, err)
        os.replace(tmp, dst)
        result.update(code=rc, rss_kib=rss, seconds=round(secs, 3), cpu_seconds=round(cpu, 3))
        result.update(stderr=tail(err), bytes_out=os.path.getsize(dst))
    except OSError as e:
        result.update(code=None, stderr=f"{e}\n")
    return result


# ---------------------------------------------------------------------------------------
# The driver.


def local_cluster_size(master):
    """N of `local-cluster[N,cores,memory]`, else None."""
    if not master.startswith("local-cluster["):
        return None
    try:
        return int(master[len("local-cluster[") :].split(",")[0])
    except ValueError:
        raise UsageError(f"--master {master}: local-cluster[N,CORES,MEMORY] expected") from None


def start_spark(args):
    """The SparkContext, with its executors up: a job that can get no executor fails here,
    naming the master, instead of waiting forever."""
    master = args.master or os.environ.get("MASTER")
    if master and master.startswith("local"):
        # Executors on this machine run the driver's own Python, and talk over loopback.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(f"claimdex {args.command}")
    if args.master:
        builder = builder.master(args.master)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    builder = builder.config("spark.python.worker.reuse", "true")
    # The executors' peak memory in the job's summary (`conflicts`: executor_memory).
    builder = builder.config("spark.executor.processTreeMetrics.enabled", "true")
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # py4j's error, or Java that could not start
        raise JobFailed(f"Spark did not start ({args.master or 'default master'}): {reason(e)}") from None
    sc = spark.sparkContext
    sc.setLogLevel(args.log_level)
    want = args.executors or local_cluster_size(sc.master)
    if want:
        deadline = time.monotonic() + args.executor_timeout
        while registered(sc) < want:
            if time.monotonic() > deadline:
                raise JobFailed(
                    f"{sc.master}: {registered(sc)} of {want} executors started in "
                    f"{args.executor_timeout:g} s; the job does not run without them"
                )
            time.sleep(0.2)
    return spark


def reason(e):
    """The line of a (Java) error that says what went wrong, not its stack."""
    lines = [l.strip(" :") for l in str(e).splitlines() if l.strip()]
    for line in lines:
        if "Exception: " in line or "Error: " in line:
            return line
    return lines[0] if lines else type(e).__name__


def registered(sc):
    """How many executors the application has (block managers less the driver's)."""
    return sc._jsc.sc().getExecutorMemoryStatus().size() - 1


def the_binary(args):
    """The claimdex the driver runs (and ships), as an absolute path."""
    found = shutil.which(args.claimdex)
    if not found:
        raise UsageError(f"--claimdex {args.claimdex}: no such executable")
    return os.path.abspath(found)


def the_tables():
    """The files CLAIMDEX_ALIASES and CLAIMDEX_METRICS name on the driver."""
    tables = {}
    for var in TABLE_ENV:
        value = os.environ.get(var)
        if value:
            if not os.path.isfile(value):
                raise UsageError(f"{var}={value}: no such file")
            tables[var] = os.path.abspath(value)
    return tables


def ship(sc, args, binary):
    """Makes the binary and the tables reachable from the executors; returns what
    resolve_tools needs there."""
    tables = {}
    for var, path in the_tables().items():
        sc.addFile(path)
        tables[var] = os.path.basename(path)
    if args.no_ship:
        return {"binary": binary, "shipped": False, "tables": tables}
    sc.addFile(binary)
    return {"binary": os.path.basename(binary), "shipped": True, "tables": tables}


def the_files(args):
    """The sorted files and their sizes; what cannot be read or listed is named."""
    files, problems = list_files(args.inputs)
    for path, reason in problems:
        print(f"claimdex-spark: {path}: {reason}", file=sys.stderr)
    kept, sizes = [], []
    for path in files:
        why = listable(path)
        if why:
            print(f"claimdex-spark: {path!r}: skipped: {why}", file=sys.stderr)
            problems.append((path, why))
            continue
        kept.append(path)
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:
            sizes.append(0)  # claimdex names it when it cannot read it
    if not kept:
        raise JobFailed("no article files under " + ", ".join(args.inputs))
    return kept, sizes, problems


def must_be_empty(path, what):
    """Refuses a path that exists and is not an empty folder."""
    if os.path.exists(path) and (not os.path.isdir(path) or os.listdir(path)):
        raise UsageError(f"{what} {path} exists and is not an empty folder")


def run_tasks(sc, parts, fn):
    """Runs `fn` on each part, one part a Spark partition; the results in part order. A job
    Spark gives up on (an executor lost more often than it retries) is named."""
    items = list(enumerate(parts))
    try:
        results = sc.parallelize(items, len(items)).map(fn).collect()
    except Exception as e:  # py4j's error for a failed job
        raise JobFailed(f"the Spark job failed: {reason(e)}") from None
    return sorted(results, key=lambda r: r["partition"])


def report_tasks(results, kind):
    """Shows what each task's claimdex said, and names every task whose claimdex failed;
    returns the exit code."""
    code = 0
    for r in results:
        span = f"{kind} {r['partition']} ({r['files']} files, {r['first']} .. {r['last']})"
        text = r.get("stderr", "")
        if r.get("code") is None:
            print(f"claimdex-spark: {span}: {text.strip()}", file=sys.stderr)
            code = 1
            continue
        for line in text.splitlines():
            print(f"claimdex-spark: {kind} {r['partition']}: {line}", file=sys.stderr)
        if r["code"] != 0:
            code = 1
            how = f"killed by signal {-r['code']}" if r["code"] < 0 else f"exit {r['code']}"
            print(f"claimdex-spark: {span}: claimdex {how}", file=sys.stderr)
    return code


def summary(args, sc, files, sizes, results, started):
    secs = time.monotonic() - started
    return {
        "command": args.command,
        "files": len(files),
        "bytes": sum(sizes),
        "partitions": len(results),
        "executors": sorted({r["executor"] for r in results}),
        "executors_registered": registered(sc),
        "seconds": round(secs, 3),
        "mb_per_s": round(sum(sizes) / 1e6 / secs, 2) if secs > 0 else None,
        "peak_rss_kib": max((r.get("rss_kib") or 0) for r in results),
        "cpu_seconds": round(sum(r.get("cpu_seconds") or 0 for r in results), 3),
        "tasks": results,
    }


def cmd_extract(args):
    binary = the_binary(args)
    out = os.path.abspath(args.output)
    must_be_empty(out, "--output")
    parquet = args.format == "parquet"
    if parquet and (args.merge or args.body):
        raise UsageError("--merge and --body are for --format jsonl")
    files, sizes, problems = the_files(args)
    with spark_session(args) as spark:
        started = time.monotonic()
        sc = spark.sparkContext
        os.makedirs(os.path.join(out, "_logs"), exist_ok=True)
        parts = partition(files, sizes, args.partitions or sc.defaultParallelism)
        tools = ship(sc, args, binary)
        cwd = os.getcwd()
        extra = ["--body"] if args.body else []
        results = run_tasks(sc, parts, lambda item: extract_task(item, tools, cwd, out, extra, parquet))
        code = report_tasks(results, "partition")
        if args.merge:
            tmp = f"{args.merge}.tmp-{os.getpid()}"
            with open(tmp, "wb") as dst:
                for r in results:
                    part = os.path.join(out, f"part-{r['partition']:05d}.jsonl")
                    if os.path.exists(part):
                        with open(part, "rb") as src:
                            shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(tmp, args.merge)
        s = summary(args, sc, files, sizes, results, started)
    s["output"] = out
    s["bytes_out"] = sum(r.get("bytes_out", 0) for r in results)
    done(args, s, f"extracted {len(files)} files in {len(parts)} partitions into {out}")
    return code or (1 if problems else 0)


def cmd_ingest(args):
    binary = the_binary(args)
    index = os.path.abspath(args.index)
    must_be_empty(index, "--index")
    shard_root = os.path.abspath(args.shard_dir or f"{index}.shards")
    must_be_empty(shard_root, "--shard-dir")
    files, sizes, problems = the_files(args)
    with spark_session(args) as spark:
        started = time.monotonic()
        sc = spark.sparkContext
        os.makedirs(os.path.join(shard_root, "_logs"), exist_ok=True)
        parts = partition(files, sizes, args.partitions or sc.defaultParallelism)
        tools = ship(sc, args, binary)
        cwd = os.getcwd()
        per = args.args_bytes
        results = run_tasks(sc, parts, lambda item: ingest_task(item, tools, cwd, shard_root, per))
        s = summary(args, sc, files, sizes, results, started)
    code = report_tasks(results, "shard")
    broken = [r for r in results if r.get("code") not in (0, 1)]
    if broken:
        raise JobFailed(
            f"{len(broken)} of {len(results)} shards failed (named above); "
            f"nothing merged, the shards are left in {shard_root}"
        )
    for r in results:
        if not r.get("indexed"):
            print(f"claimdex-spark: shard {r['partition']}: no file of it was indexed", file=sys.stderr)
    shards = [r["shard"] for r in results if r.get("indexed")]
    if not shards:
        raise JobFailed("no shard holds an article; nothing to merge")
    merge_started = time.monotonic()
    merged = subprocess.run([binary, "index", "merge", index, *shards], capture_output=True, text=True)
    if merged.returncode != 0:
        sys.stderr.write(merged.stderr)
        raise JobFailed(
            f"claimdex index merge {index} (exit {merged.returncode}); "
            f"the shards are left in {shard_root}"
        )
    s["merge_seconds"] = round(time.monotonic() - merge_started, 3)
    secs = time.monotonic() - started
    s.update(seconds=round(secs, 3), mb_per_s=round(s["bytes"] / 1e6 / secs, 2))
    if not args.keep_shards:
        shutil.rmtree(shard_root)
    s.update(index=index, merged=merged.stdout.strip())
    done(args, s, merged.stdout.strip())
    if args.report:
        conflicts(binary, index, args.report, args.format)
    return code or (1 if problems else 0)


def run_stage(sc, stage, specs, tools, logs):
    """Runs one `claimdex reconcile` stage as a task per (input, output, args); a stage
    with a failed task stops the job (the next one would read a part that is not there)."""
    started = time.monotonic()
    items = [(stage, src, dst, argv) for src, dst, argv in specs]
    results = run_tasks(sc, items, lambda item: stage_task(item, tools, os.getcwd(), logs)) if items else []
    if report_tasks(results, stage):
        raise JobFailed(f"the {stage} stage failed (named above); its inputs are left in {os.path.dirname(logs)}")
    return results, stage_figures(results, started)


def stage_figures(results, started):
    """A stage's time, CPU and largest claimdex process."""
    return {
        "tasks": len(results),
        "seconds": round(time.monotonic() - started, 3),
        "cpu_seconds": round(sum(r.get("cpu_seconds") or 0 for r in results), 3),
        "peak_rss_kib": max((r.get("rss_kib") or 0 for r in results), default=0),
        "bytes_out": sum(r.get("bytes_out") or 0 for r in results),
    }


def on_driver(argv, logs, name):
    """Runs claimdex on the driver; returns its figures, or fails the job naming it."""
    started = time.monotonic()
    err = os.path.join(logs, f"{name}.stderr")
    rc, rss, _, cpu = run_claimdex(argv, os.getcwd(), None, None, os.path.join(logs, f"{name}.stdout"), err)
    sys.stderr.write(tail(err))
    if rc != 0:
        raise JobFailed(f"claimdex {' '.join(argv[1:3])} (exit {rc}) on the driver")
    return {"seconds": round(time.monotonic() - started, 3), "cpu_seconds": round(cpu, 3), "peak_rss_kib": rss}


def shuffle_by_key(spark, inputs, out_dir, judges):
    """The keyed claims of every part, sorted by key and then order (the fields after the
    tag), cut by key ranges into `judges` files: every line of a key in one file, the files
    in key order (part-00000 first). The lines are only split, never parsed: the JVM moves
    text and claimdex reads it."""
    from pyspark.sql import functions as F

    lines = spark.read.text(inputs)
    fields = F.split(lines.value, "\t")
    keyed = lines.select(fields.getItem(1).alias("key"), fields.getItem(2).alias("order"), lines.value)
    ranged = keyed.repartitionByRange(judges, "key").sortWithinPartitions("key", "order")
    ranged.select("value").write.text(out_dir)
    names = sorted(n for n in os.listdir(out_dir) if n.startswith("part-"))
    return [os.path.join(out_dir, n) for n in names]


def executor_memory(sc):
    """Each executor's peak JVM heap and process-tree RSS as Spark's metrics saw them (MB),
    where its status API answers."""
    import urllib.request

    url = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}/executors"
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            executors = json.load(r)
    except (OSError, ValueError, TypeError):
        return None
    peaks = {}
    for e in executors:
        m = e.get("peakMemoryMetrics") or {}
        mb = lambda k: round(m[k] / 2**20) if k in m else None  # noqa: E731
        peaks[e["id"]] = {"jvm_heap_mb": mb("JVMHeapMemory"), "process_tree_rss_mb": mb("ProcessTreeJVMRSSMemory")}
    return peaks


def done_with(args, folder):
    """Removes a stage's output once the next stage has read it (`--keep-work` keeps it):
    the work folder holds two stages' lines at a time, not every stage's."""
    if not args.keep_work:
        shutil.rmtree(folder, ignore_errors=True)


def the_memo(sc, binary, extracted, folder, tools, logs, stages):
    """What keying knows of the whole corpus, made where the parts are: a survey task per
    part (the memo's first pass), the surveys merged on the driver, a notes task per part
    (each article noted on its own), and the memo made of the notes on the driver. The
    driver reads a few facts per name and per article, never a claim."""
    each = lambda ext: [os.path.join(folder, f"part-{i:05d}.{ext}") for i in range(len(extracted))]  # noqa: E731
    survey, memo = os.path.join(folder, "survey.json"), os.path.join(folder, "memo.json")
    specs = [(src, dst, ["reconcile", "survey"]) for src, dst in zip(extracted, each("survey"))]
    _, stages["survey"] = run_stage(sc, "survey", specs, tools, logs)
    argv = [binary, "reconcile", "survey", "--merge", "-o", survey, *each("survey")]
    stages["survey_merge"] = on_driver(argv, logs, "survey-merge")
    specs = [(src, dst, ["reconcile", "notes", "--survey", survey]) for src, dst in zip(extracted, each("notes"))]
    _, stages["notes"] = run_stage(sc, "notes", specs, tools, logs)
    argv = [binary, "reconcile", "memo", "--survey", survey, "-o", memo, *each("notes")]
    stages["memo"] = on_driver(argv, logs, "memo")
    return memo


def cmd_conflicts(args):
    """The conflict report with the shuffle in Spark: extract tasks, the memo's survey and
    notes tasks (merged on the driver), key and attach tasks, a sort by key, judge tasks,
    and `claimdex report --from` over what the judges wrote."""
    binary = the_binary(args)
    work = os.path.abspath(args.work)
    must_be_empty(work, "--work")
    files, sizes, problems = the_files(args)
    dirs = {d: os.path.join(work, d) for d in ("extract", "memo", "keyed", "attached", "sorted", "groups", "_logs")}
    for d in ("extract", "memo", "keyed", "attached", "groups", "_logs"):
        os.makedirs(dirs[d], exist_ok=True)
    os.makedirs(os.path.join(dirs["extract"], "_logs"), exist_ok=True)
    logs, stages = dirs["_logs"], {}
    with spark_session(args) as spark:
        started = time.monotonic()
        sc = spark.sparkContext
        tools = ship(sc, args, binary)
        cwd = os.getcwd()
        parts = partition(files, sizes, args.partitions or sc.defaultParallelism)
        results = run_tasks(sc, parts, lambda item: extract_task(item, tools, cwd, dirs["extract"], []))
        code = report_tasks(results, "partition")
        if any(r.get("code") not in (0, 1) for r in results):
            raise JobFailed(f"the extract stage failed (named above); its parts are in {dirs['extract']}")
        stages["extract"] = stage_figures(results, started)
        extracted = [os.path.join(dirs["extract"], f"part-{r['partition']:05d}.jsonl") for r in results]
        part = lambda d, i, ext: os.path.join(dirs[d], f"part-{i:05d}.{ext}")  # noqa: E731
        memo = the_memo(sc, binary, extracted, dirs["memo"], tools, logs, stages)
        specs = [
            (src, part("keyed", i, "tsv"), ["reconcile", "key", "--memo", memo, "--named", part("keyed", i, "named")])
            for i, src in enumerate(extracted)
        ]
        _, stages["key"] = run_stage(sc, "key", specs, tools, logs)
        named = os.path.join(work, "named.tsv")
        keys = set()
        for i in range(len(extracted)):
            with open(part("keyed", i, "named"), encoding="utf-8") as f:
                keys.update(line for line in f if line.strip())
        with open(named, "w", encoding="utf-8") as f:
            f.writelines(sorted(keys))
        specs = [
            (part("keyed", i, "tsv"), part("attached", i, "tsv"), ["reconcile", "attach", "--named", named])
            for i in range(len(extracted))
        ]
        _, stages["attach"] = run_stage(sc, "attach", specs, tools, logs)
        done_with(args, dirs["keyed"])
        shuffle_started = time.monotonic()
        attached = [part("attached", i, "tsv") for i in range(len(extracted))]
        ranges = shuffle_by_key(spark, attached, dirs["sorted"], args.judges or sc.defaultParallelism)
        done_with(args, dirs["attached"])
        stages["shuffle"] = {"seconds": round(time.monotonic() - shuffle_started, 3), "files": len(ranges)}
        specs = [(src, part("groups", i, "jsonl"), ["reconcile", "judge", "--memo", memo]) for i, src in enumerate(ranges)]
        judged, stages["judge"] = run_stage(sc, "judge", specs, tools, logs)
        done_with(args, dirs["sorted"])
        groups = os.path.join(work, "groups.jsonl")
        with open(groups, "wb") as dst:
            for r in judged:
                with open(r["last"], "rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 20)
        argv = [binary, "report", "--from", groups, "--format", args.format, "-o", args.report]
        stages["report"] = on_driver(argv, logs, "report")
        s = summary(args, sc, files, sizes, results, started)
        s["executor_memory"] = executor_memory(sc)
    s.update(stages=stages, report=os.path.abspath(args.report), work=work)
    s["peak_rss_kib"] = max(v.get("peak_rss_kib") or 0 for v in stages.values())
    done(args, s, f"reported the conflicts of {len(files)} files to {args.report}")
    return code or (1 if problems else 0)


class spark_session:
    """The Spark session of one job, stopped on the way out whatever happens."""

    def __init__(self, args):
        self.args = args
        self.spark = None

    def __enter__(self):
        try:
            self.spark = start_spark(self.args)
        except BaseException:
            self.__exit__()
            raise
        return self.spark

    def __exit__(self, *exc):
        from pyspark import SparkContext

        sc = SparkContext._active_spark_context
        if sc is not None:
            # Executors still talking while the context goes are no news: quiet the stop.
            sc.setLogLevel("OFF")
            sc.stop()
        return False


def conflicts(binary, index, output, fmt):
    """`claimdex conflicts` over the merged index, on the driver."""
    argv = [binary, "conflicts", "--index", index, "--format", fmt, "-o", output]
    ran = subprocess.run(argv, capture_output=True, text=True)
    sys.stderr.write(ran.stderr)
    if ran.returncode != 0:
        raise JobFailed(f"claimdex conflicts --index {index} (exit {ran.returncode})")


def cmd_report(args):
    conflicts(the_binary(args), args.index, args.output, args.format)
    return 0


def done(args, s, line):
    if args.json:
        print(json.dumps(s, sort_keys=True), flush=True)
    else:
        print(line, flush=True)
        print(
            f"{s['files']} files, {s['bytes'] / 1e6:.1f} MB, {s['partitions']} partitions "
            f"on {len(s['executors'])} executors in {s['seconds']:.1f} s "
            f"({s['mb_per_s']} MB/s); largest claimdex process {s['peak_rss_kib'] / 1024:.0f} MB",
            file=sys.stderr,
        )


def parser():
    p = argparse.ArgumentParser(
        prog="claimdex_spark.py",
        description="Run claimdex's stages on Apache Spark (claimdex does the work).",
    )
    p.add_argument("--claimdex", default="claimdex", help="the claimdex binary (default: on PATH)")
    p.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    p.add_argument(
        "--no-ship",
        action="store_true",
        help="run --claimdex at the same path on every node instead of shipping it",
    )
    p.add_argument(
        "--executors",
        type=int,
        help="wait for this many executors before starting (local-cluster[N,..]: N)",
    )
    p.add_argument("--executor-timeout", type=float, default=120, help="seconds to wait for them")
    p.add_argument("--log-level", default="WARN", help="Spark's log level (default WARN)")
    p.add_argument("--json", action="store_true", help="print the job's summary as one JSON object")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="JSON Lines of documents and claims, one part file per partition")
    e.add_argument("inputs", nargs="+", metavar="PATH", help="article files and folders")
    e.add_argument("-o", "--output", required=True, help="a new (or empty) folder for the part files")
    e.add_argument("--merge", metavar="FILE", help="also write every record to FILE, in path order")
    e.add_argument("--partitions", type=int, help="partitions (default: Spark's parallelism)")
    e.add_argument("--body", action="store_true", help="claimdex extract --body")
    e.add_argument(
        "--format",
        choices=("jsonl", "parquet"),
        default="jsonl",
        help="jsonl: part-NNNNN.jsonl; parquet: part-NNNNN/{documents,claims}.parquet",
    )

    i = sub.add_parser("ingest", help="an index built in shards and merged")
    i.add_argument("inputs", nargs="+", metavar="PATH", help="article files and folders")
    i.add_argument("--index", required=True, help="the merged index (a new or empty folder)")
    i.add_argument("--partitions", type=int, help="shards (default: Spark's parallelism)")
    i.add_argument("--shard-dir", help="where the shards are built (default: INDEX.shards)")
    i.add_argument("--keep-shards", action="store_true", help="keep the shards after the merge")
    i.add_argument(
        "--args-bytes",
        type=int,
        default=ARGV_BYTES,
        help="bytes of paths on one `claimdex ingest` command line (default 512 KiB); "
        "a shard with more runs several, one after the other",
    )
    i.add_argument("--report", metavar="FILE", help="then write the conflict report to FILE")
    i.add_argument("--format", default="json", help="the report's format (default json)")

    c = sub.add_parser("conflicts", help="the conflict report, claims shuffled by key in Spark")
    c.add_argument("inputs", nargs="+", metavar="PATH", help="article files and folders")
    c.add_argument("--work", required=True, help="a new (or empty) folder for every stage's files")
    c.add_argument("-o", "--report", required=True, help="the report file")
    c.add_argument("--format", default="json", help="md, json, jsonl, csv or html (default json)")
    c.add_argument("--partitions", type=int, help="extract, key and attach tasks (default: Spark's parallelism)")
    c.add_argument("--judges", type=int, help="judge tasks, by key range (default: Spark's parallelism)")
    c.add_argument(
        "--keep-work",
        action="store_true",
        help="keep every stage's output (by default the keyed, attached and sorted lines "
        "are removed once read; the extracted parts, memo and groups stay)",
    )

    r = sub.add_parser("report", help="claimdex conflicts over the merged index (on the driver)")
    r.add_argument("--index", required=True, help="the index `ingest` made")
    r.add_argument("-o", "--output", required=True, help="the report file")
    r.add_argument("--format", default="json", help="md, json, jsonl, csv or html (default json)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        if getattr(args, "partitions", None) is not None and args.partitions < 1:
            raise UsageError("--partitions must be at least 1")
        if getattr(args, "args_bytes", 1) < 1:
            raise UsageError("--args-bytes must be at least 1")
        if args.command == "report":
            return cmd_report(args)
        if getattr(args, "judges", None) is not None and args.judges < 1:
            raise UsageError("--judges must be at least 1")
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "conflicts":
            return cmd_conflicts(args)
        return cmd_ingest(args)
    except UsageError as e:
        print(f"claimdex-spark: {e}", file=sys.stderr)
        return 2
    except JobFailed as e:
        print(f"claimdex-spark: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
