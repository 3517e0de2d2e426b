#!/usr/bin/env bash
# Upload-to-finished benchmark: starts the server (SQLite), uploads each given file REPEAT times
# into fresh sessions, and reports the median time from the upload request to the finished
# documentation.processUpload job, and the server's peak resident memory (VmHWM).
# Usage: bench/run_upload_bench.sh [build-dir] [files…] (defaults: the Okta and Asana specs)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
  FILES=(../shared/corpus/okta/management-minimal.yaml ../shared/corpus/asana/asana_oas.yaml)
fi
REPEAT=${REPEAT:-5}
TMP=$(mktemp -d /tmp/cg-upload-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOGGING__LEVEL=warning DATABASE__URL="$TMP/bench.db" "$PWD/$BUILD/connector-gen" serve --host 127.0.0.1 --port "$PORT" \
  --workers 1 >"$TMP/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
python3 - "$PORT" "$PID" "$REPEAT" "${FILES[@]}" <<'PY'
import json, os, statistics, sys, time, urllib.request, uuid
port, pid, repeat, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
base = f"http://127.0.0.1:{port}/api/v1"
def call(method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
def hwm():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
print("| file | size MB | median upload→finished s | min s | chunks | server peak RSS MB |")
print("|---|---|---|---|---|---|")
for f in files:
    data = open(f, "rb").read()
    times, chunks = [], 0
    for _ in range(repeat):
        sid = call("POST", "/session")["sessionId"]
        b = "cgbench" + uuid.uuid4().hex
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"documentation\"; filename=\"{os.path.basename(f)}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{b}--\r\n".encode()
        t0 = time.perf_counter()
        job = call("POST", f"/session/{sid}/documentation", body, {"Content-Type": f"multipart/form-data; boundary={b}"})["jobId"]
        while True:
            jobs = call("GET", f"/session/{sid}/jobs")["jobs"]
            st = [j for j in jobs if j["jobId"] == job][0]["status"]
            if st in ("finished", "failed"):
                break
            time.sleep(0.005)
        times.append(time.perf_counter() - t0)
        if st != "finished":
            print(f"{f}: job {st}", file=sys.stderr)
        chunks = len(call("GET", f"/session/{sid}/documentation")[0]["chunks"])
    print(f"| {os.path.basename(f)} | {len(data)/1e6:.1f} | {statistics.median(times):.3f} | {min(times):.3f} | {chunks} | {hwm()} |")
PY
