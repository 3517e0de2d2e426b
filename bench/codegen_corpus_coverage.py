#!/usr/bin/env python3
"""How much of each structured corpus document the generated connector can actually do: for the
IGA classes (User, Group and the like, when present) and for all classes with operation scripts,
how many search all / search id / search filter / create / update / delete scripts declare an
endpoint (REST) or a built-in/SCIM operation, rather than only explaining why they cannot.
Prints a Markdown table (for docs/PERFORMANCE.md).
Usage: bench/codegen_corpus_coverage.py [path/to/connector-gen]"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "connector-gen")
SHARED = os.environ.get("CG_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
DOCS = ["forgejo/swagger.v1.json", "keycloak/keycloak-23.0.7.yml", "okta/management-minimal.yaml",
        "asana/asana_oas.yaml", "nextcloud/provisioning_api-openapi.json", "scim/pagerduty-scim-openapiv3.json",
        "scim/groups.json", "sql/dms-db-tables.sql"]
OPS = ["search.all", "search.id", "search.filter", "create", "update", "delete"]
IGA = {"user", "group", "role", "team", "organization", "account", "workspace"}
ACTIVE = re.compile(r'endpoint\(|scim \{|sql \{|builtIn|custom \{|Rows are (inserted|updated|deleted) by the built-in|'
                    r'built-in SQL search')


def coverage(out, classes):
    counts = {op: 0 for op in OPS}
    for cls in classes:
        for op in OPS:
            path = os.path.join(out, f"{cls}.{op}.op.groovy")
            if os.path.exists(path) and ACTIVE.search(open(path).read()):
                counts[op] += 1
    return counts


def main():
    print("| document | classes with scripts | IGA classes | " + " | ".join(OPS) + " (IGA classes) |")
    print("|---|---|---|" + "---|" * len(OPS))
    for rel in DOCS:
        doc = os.path.join(SHARED, "corpus", rel)
        if not os.path.exists(doc):
            continue
        out = tempfile.mkdtemp(prefix="cg-cov-")
        proc = subprocess.run([BINARY, "generate", doc, "-o", out], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"| {rel} | generate failed | | " + " | ".join("" for _ in OPS) + " |")
            continue
        classes = sorted(f[:-len(".connid.schema.groovy")] for f in os.listdir(out) if f.endswith(".connid.schema.groovy"))
        iga = [c for c in classes if c.lower() in IGA]
        counts = coverage(out, iga)
        cells = [f"{counts[op]}/{len(iga)}" for op in OPS]
        print(f"| {rel} | {len(classes)} | {', '.join(iga) or '–'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
