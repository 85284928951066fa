"""A small fake n8n on loopback serving the public API's execution list as n8n does
(packages/cli/src/public-api/v1/handlers/executions: newest first, running ones left out,
``nextCursor`` a base64 JSON of the last id and the limit, null on the last page)."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

API_KEY = "n8n_api_test_key"


def execution(number, status="success", *, workflow_id="wf1", failed_node=""):
    """An execution with ``includeData``: a three-node chain, the AI node an OpenAI one."""
    nodes = ["Webhook", "Draft reply", "Send SMS"]
    run_data = {}
    for name in nodes:
        if failed_node and nodes.index(name) > nodes.index(failed_node):
            break
        task = {"startTime": 1, "executionTime": 5, "executionStatus": "success"}
        if name == failed_node:
            task = {**task, "executionStatus": "error", "error": {"message": "rate limited"}}
        run_data[name] = [task]
    return {
        "id": str(number),
        "finished": status == "success",
        "mode": "webhook",
        "retryOf": None,
        "retrySuccessId": None,
        "status": status,
        "startedAt": f"2026-03-0{1 + number % 5}T09:00:00.000Z",
        "stoppedAt": f"2026-03-0{1 + number % 5}T09:00:09.000Z",
        "workflowId": workflow_id,
        "waitTill": None,
        "data": {
            "resultData": {
                "runData": run_data,
                "lastNodeExecuted": failed_node or nodes[-1],
            }
        },
        "workflowData": {
            "nodes": [
                {"name": "Webhook", "type": "n8n-nodes-base.webhook"},
                {"name": "Draft reply", "type": "@n8n/n8n-nodes-langchain.openAi"},
                {"name": "Send SMS", "type": "n8n-nodes-base.twilio"},
            ]
        },
    }


class FakeN8n:
    """``executions`` (mutable) are served two a page; ``requests`` records each query."""

    page_size = 2

    def __init__(self, executions):
        self.executions = list(executions)
        self.requests: list[dict[str, list[str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                fake.requests.append(query)
                if parts.path != "/api/v1/executions":
                    return self._send(404, {"message": "not found"})
                if self.headers.get("X-N8N-API-KEY") != API_KEY:
                    return self._send(401, {"message": "unauthorized"})
                self._send(200, fake.page(query))

            def _send(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, query):
        workflow_id = query.get("workflowId", [None])[0]
        last_id = None
        if "cursor" in query:
            last_id = json.loads(base64.b64decode(query["cursor"][0]))["lastId"]
        rows = [
            e
            for e in sorted(self.executions, key=lambda e: -int(e["id"]))
            if e["status"] != "running"
            and (workflow_id is None or e["workflowId"] == workflow_id)
            and (last_id is None or int(e["id"]) < int(last_id))
        ]
        page, rest = rows[: self.page_size], rows[self.page_size :]
        cursor = None
        if rest:
            token = {"lastId": page[-1]["id"], "limit": self.page_size}
            cursor = base64.b64encode(json.dumps(token).encode()).decode()
        if query.get("includeData", ["false"])[0] != "true":
            page = [{k: v for k, v in e.items() if k not in ("data", "workflowData")} for e in page]
        return {"data": page, "nextCursor": cursor}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
