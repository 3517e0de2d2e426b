#!/usr/bin/env python3
"""What the optional LLM steps (issue 7) cost end to end, against the scripted OpenAI-compatible
server of tests/integration/fake_llm.py with a fixed artificial model latency, over loopback HTTP
with the real binary and SQLite:

 (a) digester: upload ../shared/corpus/nextcloud/instruction_set_for_users.rst into a fresh session
     and run the object-classes job until it is finished (upload chunk summaries, prose extraction,
     class re-ranking), without LLM settings and with the model at each latency;
 (b) upload chunk summaries of a generated Markdown document with --chunks sections.

For each configuration it reports medians over --runs runs: wall time, LLM calls, tokens as counted
by connector-gen (the fake model reports no usage, so the client's cl100k counts are used), and the
overhead per call of our side = (wall time with LLM - median wall time without LLM - the model
latency on the critical path) / calls. Chunk summaries and prose chunks are both sent up to
LLM__MAX_CONCURRENCY at a time, so the critical path counts waves of calls; in (b) the fake server's
own handling time per wave is subtracted too, in (a) it stays in. The overhead contains prompt rendering, token counting, the HTTP exchange over
loopback, reply validation, verification/merging and the jobs' database writes.

Usage: bench/llm_overhead.py [--binary build/connector-gen] [--runs 5] [--latencies 0,50] [--chunks 20]"""
import argparse
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("CG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
RST = os.path.join(SHARED, "corpus", "nextcloud", "instruction_set_for_users.rst")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))


# ------------------------------------------------------------------ the scripted model's answers

def prose_reply(text):
    """Endpoints as the Nextcloud pages write them ("**Syntax: path**" then "* HTTP method: X"), a User
    class with a verbatim quote, basic auth when the text says so; every claim can be verified."""
    endpoints = []
    for path, method in re.findall(r"\*\*Syntax: (\S+?)\*\*\s*\n\s*\n?\s*\* HTTP method: (\w+)", text):
        use = {"POST": ["create"], "PUT": ["update"], "DELETE": ["delete"]}.get(method.upper(),
                                                                             ["getById"] if "{" in path else ["getAll"])
        endpoints.append({"objectClass": "User", "method": method.upper(), "path": path,
                          "description": f"{method.upper()} {path}", "suggestedUse": use, "parameters": []})
    classes = []
    quote = next((line.strip() for line in text.splitlines()
                  if " user" in line and 10 <= len(line.strip()) <= 200 and "BEGIN" not in line), None)
    if quote:
        classes.append({"name": "User", "description": "A user account.", "evidence": quote})
    auth = []
    if "basic HTTP authentication" in text:
        auth.append({"name": "basic", "type": "basic", "quirks": "HTTP basic authentication header.",
                     "evidence": "basic HTTP authentication header"})
    return {"objectClasses": classes, "attributes": [], "endpoints": endpoints, "auth": auth, "metadata": None}


def reply(body):
    import fake_llm
    kind = fake_llm.schema_name(body)
    text = fake_llm.prompt_text(body)
    if kind == "chunk_summary":
        return {"summary": "Scripted summary of one documentation chunk.", "category": "reference_api",
                "tags": ["users"], "numEndpoints": 1, "differentAppName": False}
    if kind == "class_rerank":
        names = re.findall(r"^- ([^:\n]+):", text, re.M)
        return {"classes": [{"name": n, "relevant": "true", "importance": 3, "reason": "scripted"} for n in names]}
    if kind == "prose_extract":
        return prose_reply(text)
    return {}


# ------------------------------------------------------------------ driving the service

class Service:
    def __init__(self, env):
        from harness import Server
        self.tmp = tempfile.mkdtemp(prefix="cg-llm-bench-")
        self.db = os.path.join(self.tmp, "bench.db")
        full = {"LOGGING__LEVEL": "warning"}
        full.update(env)
        self.server = Server(self.db, workers=2, env=full, cwd=self.tmp)

    def call(self, method, path, body=None, headers=None):
        status, parsed, _ = self.server.request(method, path, body, headers, timeout=300)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {parsed}")
        return parsed

    def wait(self, path, done, interval=0.005, timeout=600):
        end = time.time() + timeout
        while time.time() < end:
            body = self.call("GET", path)
            if done(body):
                return body
            time.sleep(interval)
        raise RuntimeError(f"timeout waiting for {path}")

    def upload(self, sid, name, data):
        b = "cgbench" + uuid.uuid4().hex
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"documentation\"; filename=\"{name}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{b}--\r\n".encode()
        job = self.call("POST", f"/api/v1/session/{sid}/documentation", body,
                        {"Content-Type": f"multipart/form-data; boundary={b}"})["jobId"]
        jobs = self.wait(f"/api/v1/session/{sid}/jobs",
                         lambda j: any(x["jobId"] == job and x["status"] in ("finished", "failed") for x in j["jobs"]))
        status = [x for x in jobs["jobs"] if x["jobId"] == job][0]["status"]
        if status != "finished":
            raise RuntimeError(f"upload job {status}")
        return job

    def job_result(self, job_id):
        with sqlite3.connect(self.db) as db:
            row = db.execute("SELECT result FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def stop(self):
        self.server.stop()


def median(values):
    return statistics.median(values) if values else 0.0


def run_config(latency_ms, args, doc):
    """Runs (a) and (b), each against its own server; latency_ms None = no LLM settings."""
    import fake_llm
    llm = None
    env = {}
    if latency_ms is not None:
        llm = fake_llm.ScriptedLlm(reply=reply, latency=latency_ms / 1000.0, report_usage=False)
        env = llm.env(LLM__MAX_CONCURRENCY=str(args.concurrency), LLM__REQUEST_TIMEOUT="60")
    digest_env = dict(env)
    if args.digest_chunk_tokens:
        digest_env["SCRAPE_AND_PROCESS__CHUNK_LENGTH"] = str(args.digest_chunk_tokens)
    out = {"a": [], "b": []}
    try:
        svc = Service(digest_env)
        try:
            run_digest(svc, llm, args, out["a"])
        finally:
            svc.stop()
        svc = Service(dict(env, SCRAPE_AND_PROCESS__CHUNK_LENGTH=str(args.chunk_tokens)))
        try:
            run_summaries(svc, llm, args, doc, out["b"])
        finally:
            svc.stop()
    finally:
        if llm:
            llm.close()
    return out


def run_digest(svc, llm, args, out):
    import fake_llm
    rst = open(RST, "rb").read()
    for i in range(args.runs + 1):  # the first run warms up (tokenizer, statement caches) and is dropped
        sid = svc.call("POST", "/api/v1/session")["sessionId"]
        start = len(llm.requests) if llm else 0
        handled = llm.handling_seconds if llm else 0.0
        slept = llm.latency_seconds if llm else 0.0
        t0 = time.perf_counter()
        up_job = svc.upload(sid, "instruction_set_for_users.rst", rst)
        t1 = time.perf_counter()
        job = svc.call("POST", f"/api/v1/digester/{sid}/classes")["jobId"]
        st = svc.wait(f"/api/v1/digester/{sid}/classes?jobId={job}", lambda b: b["status"] in ("finished", "failed"))
        t2 = time.perf_counter()
        if st["status"] != "finished":
            raise RuntimeError(f"classes job {st['status']}: {st.get('errors')}")
        up_usage = svc.job_result(up_job).get("llmUsage", {})
        dig_usage = st.get("llmUsage", {})
        calls = llm.calls(since=start) if llm else []
        sample = {
            "upload": t1 - t0, "digest": t2 - t1, "total": t2 - t0,
            "uploadCalls": up_usage.get("calls", 0), "digestCalls": dig_usage.get("calls", 0),
            "uploadTokens": up_usage.get("totalTokens", 0), "digestTokens": dig_usage.get("totalTokens", 0),
            "kinds": {k: sum(1 for r in calls if fake_llm.schema_name(r["body"]) == k)
                      for k in ("chunk_summary", "prose_extract", "class_rerank")},
            "handled": (llm.handling_seconds - handled) if llm else 0.0,
            "slept": (llm.latency_seconds - slept) if llm else 0.0,
            "classes": [c["name"] for c in st["result"]["objectClasses"]],
        }
        if i:
            out.append(sample)


def run_summaries(svc, llm, args, doc, out):
    for i in range(args.runs + 1):
        sid = svc.call("POST", "/api/v1/session")["sessionId"]
        handled = llm.handling_seconds if llm else 0.0
        slept = llm.latency_seconds if llm else 0.0
        t0 = time.perf_counter()
        up_job = svc.upload(sid, "generated.md", doc)
        t1 = time.perf_counter()
        res = svc.job_result(up_job)
        usage = res.get("llmUsage", {})
        sample = {"upload": t1 - t0, "chunks": res.get("chunks_processed", 0),
                  "calls": usage.get("calls", 0), "tokens": usage.get("totalTokens", 0),
                  "handled": (llm.handling_seconds - handled) if llm else 0.0,
                  "slept": (llm.latency_seconds - slept) if llm else 0.0}
        if i:
            out.append(sample)


def generated_markdown(sections):
    words = ("The member directory lists every account with its login, display name, e-mail address and the "
             "groups it belongs to. Administrators can disable an account, reset its password or move it to "
             "another organisational unit; changes are written to the audit trail. ")
    parts = ["# Directory handbook\n"]
    for i in range(sections):
        parts.append(f"\n## Section {i + 1}: accounts part {i + 1}\n\n" + words * 11 + "\n")
    return "".join(parts).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "connector-gen"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latencies", default="0,50", help="artificial model latencies in ms, comma-separated")
    ap.add_argument("--chunks", type=int, default=20, help="sections (= chunks) of the generated document for (b)")
    ap.add_argument("--chunk-tokens", type=int, default=1000, help="chunk size of the (b) server")
    ap.add_argument("--concurrency", type=int, default=4, help="LLM__MAX_CONCURRENCY (the service default is 4)")
    ap.add_argument("--digest-chunk-tokens", type=int, default=0,
                    help="chunk size of the (a) server (default: the service default, 10000)")
    args = ap.parse_args()
    os.environ["CG_BINARY"] = os.path.abspath(args.binary)
    os.environ.setdefault("CG_BACKEND", "sqlite")
    doc = generated_markdown(args.chunks)

    configs = [None] + [int(x) for x in args.latencies.split(",") if x.strip()]
    results = {c: run_config(c, args, doc) for c in configs}
    base = results[None]
    base_a = {k: median([r[k] for r in base["a"]]) for k in ("upload", "digest", "total")}
    base_b = median([r["upload"] for r in base["b"]])

    print(f"(a) Nextcloud instruction_set_for_users.rst: upload → classes job finished, medians of {args.runs} runs")
    print("| model latency | upload s | digest job s | total s | LLM calls (summary, prose, rerank) "
          "| tokens upload / digest | model latency on the critical path s | our overhead per call ms |")
    print("|---|---|---|---|---|---|---|---|")
    for c in configs:
        rows = results[c]["a"]
        med = {k: median([r[k] for r in rows]) for k in ("upload", "digest", "total")}
        kinds = rows[-1]["kinds"]
        calls = "0" if c is None else (f"{kinds['chunk_summary'] + kinds['prose_extract'] + kinds['class_rerank']} "
                                       f"({kinds['chunk_summary']}, {kinds['prose_extract']}, {kinds['class_rerank']})")
        tokens = f"{median([r['uploadTokens'] for r in rows]):.0f} / {median([r['digestTokens'] for r in rows]):.0f}"
        overhead, critical = "–", "–"
        if c is not None:
            per, crit = [], []
            for r in rows:
                k = r["kinds"]
                # Summaries, then prose chunks, each up to --concurrency at a time, then the re-rank.
                waves = (-(-k["chunk_summary"] // args.concurrency) + -(-k["prose_extract"] // args.concurrency)
                         + k["class_rerank"])
                n = sum(k.values())
                # The fake server sleeps a little longer than asked; scale the nominal path by that.
                oversleep = r["slept"] / (n * c / 1000.0) if n and c else 1.0
                crit.append(waves * c / 1000.0 * oversleep)
                if n:
                    per.append((r["total"] - base_a["total"] - crit[-1]) / n * 1000.0)
            overhead = f"{median(per):.1f}"
            critical = f"{median(crit):.3f}"
        label = "no LLM" if c is None else f"{c} ms"
        print(f"| {label} | {med['upload']:.3f} | {med['digest']:.3f} | {med['total']:.3f} | {calls} | {tokens} "
              f"| {critical} | {overhead} |")

    print()
    print(f"(b) upload of a generated Markdown document ({results[None]['b'][-1]['chunks']} chunks), "
          f"medians of {args.runs} runs")
    print("| model latency | upload s | calls | tokens | tokens per call | fake server handling per call ms "
          "| our overhead per call ms |")
    print("|---|---|---|---|---|---|---|")
    for c in configs:
        rows = results[c]["b"]
        up = median([r["upload"] for r in rows])
        calls = median([r["calls"] for r in rows])
        tokens = median([r["tokens"] for r in rows])
        overhead, handling = "–", "–"
        if c is not None:
            # Waves of up to --concurrency parallel calls: each wave costs one (slept + handled) per call.
            per = [(r["upload"] - base_b - -(-r["calls"] // args.concurrency) * (r["slept"] + r["handled"]) / r["calls"])
                   / r["calls"] * 1000.0 for r in rows if r["calls"]]
            overhead = f"{median(per):.1f}"
            handling = f"{median([r['handled'] / r['calls'] * 1000.0 for r in rows if r['calls']]):.2f}"
        label = "no LLM" if c is None else f"{c} ms"
        print(f"| {label} | {up:.3f} | {calls:.0f} | {tokens:.0f} | {tokens / calls if calls else 0:.0f} | {handling} "
              f"| {overhead} |")


if __name__ == "__main__":
    main()
