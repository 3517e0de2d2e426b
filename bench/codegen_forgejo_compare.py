#!/usr/bin/env python3
"""Compares the connector generated from the Forgejo OpenAPI spec with the hand-written Forgejo
connector (../shared/corpus/forgejo/expected.json): UID/NAME choice, search paths and paging per
intent, the attribute a get-by-key path fills, the reference value (uid or name) a membership path
takes, relations, authentication. Prints a Markdown table (for docs/PERFORMANCE.md).
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


def endpoint_blocks(script):
    """Endpoint path -> text of its block (up to the next endpoint), in script order."""
    found = list(re.finditer(r'endpoint\("([^"]+)"\)', script))
    out = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(script)
        out.setdefault(norm_path(m.group(1)), script[m.start():end])
    return out


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
            blocks = endpoint_blocks(script)
            want_path = norm_path(s["path"])
            if s["intent"] == "filter":
                # The hand-written connector spreads filter searches over several files (e.g.
                # User.organization.support.search.groovy); ours holds every filter endpoint of a
                # class in one script, so the check is whether that endpoint is one of them.
                got = want_path if want_path in blocks else (next(iter(blocks), None))
            else:
                got = next(iter(blocks), None)
            check(f"{cls} search {s['intent']} path", want_path, got)
            block = blocks.get(got, "")
            for f in s.get("filters", []):
                if f.get("maps_to") != "path":
                    continue
                if s["intent"] == "id":
                    m = re.search(r'attribute\("([^"]+)"\)\.eq\(\)', block)
                    check(f"{cls} search id key attribute", f["attribute"], m.group(1) if m else None)
                elif f.get("valueFrom"):
                    want = "uid" if f["valueFrom"].split("(")[0].strip().endswith("uid") else "name"
                    m = re.search(r'pathParameter\("' + re.escape(f["param"]) + r'", value\.value\.(\w+)\)', block)
                    check(f"{cls} search filter {f['param']} from reference", want, m.group(1) if m else None)
            if s.get("paging"):
                params = set(re.findall(r'queryParameter\("([^"]+)", paging\.', block))
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
