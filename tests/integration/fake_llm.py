"""A scripted OpenAI-compatible chat-completions server for the LLM tests and benchmarks (standard
library only). It runs in a thread on a free loopback port, records every request body, and answers
each /chat/completions request with the JSON object that `reply(body)` returns, as the assistant
message content. Setting `status` to something other than 200 makes every request fail with that
HTTP status; `latency` (seconds) delays every answer, like a real model's generation time.
With `report_usage=False` the replies carry no `usage`, so the client counts tokens itself.
`handling_seconds` sums the server's own work per request (without the artificial latency), and
`latency_seconds` the artificial latency as actually slept."""
import http.server
import json
import threading
import time

MODEL = "scripted-model-1"
USAGE = {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160}


def schema_name(body):
    """The json_schema name of a request (the prompt kind: chunk_summary, class_rerank, ...)."""
    try:
        return body["response_format"]["json_schema"]["name"]
    except (KeyError, TypeError):
        return None


def prompt_text(body):
    return "\n".join(m.get("content", "") for m in body.get("messages", []))


class ScriptedLlm:
    def __init__(self, reply=None, status=200, latency=0.0, model=MODEL, report_usage=True):
        self.reply = reply or (lambda body: {})
        self.status = status
        self.latency = latency
        self.model = model
        self.report_usage = report_usage
        self.handling_seconds = 0.0
        self.latency_seconds = 0.0  # the artificial latency as actually slept
        self.requests = []
        self.in_flight = 0
        self.max_in_flight = 0  # most requests the server was answering at the same time
        self._lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like real OpenAI-compatible servers
            # Headers and body are written separately: without TCP_NODELAY the body waits for the
            # client's delayed ACK (~40 ms per call on Linux), which is not the client's cost.
            disable_nagle_algorithm = True

            def do_POST(self):
                started = time.perf_counter()
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with outer._lock:
                    outer.requests.append({"path": self.path, "body": body})
                    outer.in_flight += 1
                    outer.max_in_flight = max(outer.max_in_flight, outer.in_flight)
                try:
                    self._answer(body, started)
                finally:
                    with outer._lock:
                        outer.in_flight -= 1

            def _answer(self, body, started):
                if outer.latency > 0:
                    slept = time.perf_counter()
                    threading.Event().wait(outer.latency)
                    slept = time.perf_counter() - slept
                    started += slept
                    with outer._lock:
                        outer.latency_seconds += slept
                if outer.status != 200 or not self.path.endswith("/chat/completions"):
                    payload = json.dumps({"error": {"message": "scripted failure"}}).encode()
                    self.send_response(outer.status if outer.status != 200 else 404)
                else:
                    answer = {
                        "id": "chatcmpl-scripted", "object": "chat.completion", "created": 0, "model": outer.model,
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": json.dumps(outer.reply(body))}}],
                    }
                    if outer.report_usage:
                        answer["usage"] = USAGE
                    payload = json.dumps(answer).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                with outer._lock:
                    outer.handling_seconds += time.perf_counter() - started

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def env(self, **extra):
        """LLM__* settings that point connector-gen at this server (one attempt per call)."""
        out = {"LLM__OPENAI_API_BASE": self.base, "LLM__MODEL_NAME": self.model, "LLM__MAX_ATTEMPTS": "1",
               "LLM__REQUEST_TIMEOUT": "20"}
        out.update(extra)
        return out

    def calls(self, kind=None, since=0):
        """Recorded requests from index `since`, optionally only those of one prompt kind."""
        with self._lock:
            recorded = list(self.requests[since:])
        return [r for r in recorded if kind is None or schema_name(r["body"]) == kind]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class ScriptedLlmCase:
    """Mixin placed before ServerTestCase: starts the scripted model first and points the server at it
    (llm_reply answers each request, llm_status fails them all when not 200, llm_env adds settings)."""
    llm_status = 200
    llm_latency = 0.0
    llm_env = {}
    llm_api_key = "sk-test-secret"

    @staticmethod
    def llm_reply(body):
        return {}

    @classmethod
    def setUpClass(cls):
        cls.llm = ScriptedLlm(reply=cls.llm_reply, status=cls.llm_status, latency=cls.llm_latency)
        extra = dict(cls.llm_env)
        if cls.llm_api_key:
            extra["LLM__OPENAI_API_KEY"] = cls.llm_api_key
        cls.server_env = dict(cls.server_env or {}, **cls.llm.env(**extra))
        try:
            super().setUpClass()
        except Exception:
            cls.llm.close()
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.llm.close()
