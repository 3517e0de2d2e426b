#!/usr/bin/env python3
"""Compares the connector generated from the Forgejo OpenAPI spec with the hand-written Forgejo
connector (../shared/corpus/forgejo/expected.json): UID/NAME choice, search paths and paging per
intent, relations, authentication. Prints a Markdown table (for docs/PERFORMANCE.md).
Usage: bench/codegen_forgejo_compare.py [path/to/connector-gen]"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "connector-gen")
SHARED = os.environ.get("CG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
SPEC = os.path.join(SHARED, "corpus", "forgejo", "swagger.v1.json")
EXPECTED = json.load(open(os.path.join(SHARED, "corpus", "forgejo", "expected.json")))


def norm_path(p):
    return (p or "").strip("/")


def read(out, name):
    path = os.path.join(out, name)
    return open(path).read() if os.path.exists(path) else ""


def main():
    out = tempfile.mkdtemp(prefix="cg-forgejo-")
    proc = subprocess.run([BINARY, "generate", SPEC, "-o", out], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr)
        sys.exit(1)
    rows, hits, total = [], 0, 0

    def check(what, expected, got):
        nonlocal hits, total
        ok = expected == got
        total += 1
        hits += ok
        rows.append((what, str(expected), str(got), "yes" if ok else "no"))

    for cls, exp in EXPECTED["objectClasses"].items():
        connid = read(out, f"{cls}.connid.schema.groovy")
        uid = re.search(r'connIdAttribute\("UID", "([^"]+)"\)', connid)
        name = re.search(r'connIdAttribute\("NAME", "([^"]+)"\)', connid)
        check(f"{cls} UID", exp["uid"], uid.group(1) if uid else None)
        check(f"{cls} NAME", exp["name"], name.group(1) if name else None)
        for s in exp.get("search", []):
            if not s.get("path"):
                continue
            script = read(out, f"{cls}.search.{s['intent']}.op.groovy")
            ep = re.search(r'endpoint\("([^"]+)"\)', script)
            check(f"{cls} search {s['intent']} path", norm_path(s["path"]), norm_path(ep.group(1)) if ep else None)
            if s.get("paging"):
                params = set(re.findall(r'queryParameter\("([^"]+)", paging\.', script))
                want = {s["paging"]["pageParam"], s["paging"]["sizeParam"]}
                check(f"{cls} search {s['intent']} paging", sorted(want), sorted(params & want) if params else None)
    # Relations: subject/object class pairs.
    generated = []
    for f in os.listdir(out):
        if f.endswith(".schema.groovy") and not (".native." in f or ".connid." in f):
            text = read(out, f)
            subj = re.search(r'subject\("([^"]+)"\)', text)
            obj = re.search(r'object\("([^"]+)"\)', text)
            if subj and obj:
                generated.append((subj.group(1).lower(), obj.group(1).lower()))
    for r in EXPECTED["relations"]:
        pair = (r["subject"].lower(), r["object"].lower())
        check(f"relation {r['name']}", "present", "present" if pair in generated or pair[::-1] in generated else "missing")
    auth = read(out, "authentication.op.groovy")
    for a in EXPECTED["auth"]:
        block = {"bearer": "bearer", "apiKey": "apiKey", "basic": "basic"}.get(a["type"], a["type"])
        check(f"auth {a['type']}", "present", "present" if re.search(r"\b" + block + r"\s*\{", auth) else "missing")
        if a.get("scheme") == "token":
            check(f"auth {a['type']} 'token ' prefix", True, '"token "' in auth)
    print("| check | hand-written | generated | match |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nmatched {hits}/{total} checks")


if __name__ == "__main__":
    main()
