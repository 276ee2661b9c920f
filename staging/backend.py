#!/usr/bin/env python3
"""The staging stack's backend: a small stand-in for the TRIA FastAPI service (stdlib only).

It serves what the readiness plan probes: /health (with a ChromaDB-like state that the knowledge
base build script initialises), POST /api/chatbot (apologises while the knowledge base is missing,
validates input, rate-limits bursts), /metrics (Prometheus text), /docs, /openapi.json and
/api/v1/cache/stats. Usage: backend.py --port 8001 --root SRV [--redis-port 6379]
"""
import argparse
import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APOLOGY = "I apologize, but I'm having trouble processing your request right now. Please try again later."
LOCK = threading.Lock()
STATS = {"requests": 0, "errors": 0, "hits": 42, "misses": 58, "buckets": {0.1: 0, 0.5: 0, 1.0: 0, 5.0: 0}}
WINDOW = {}  # client -> recent request times, for rate limiting
SESSIONS = {}  # session_id -> what the conversation established (the outlet), for multi-turn context


def redis_ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Handler(BaseHTTPRequestHandler):
    server_version = "tria-backend/1.0"

    def log_message(self, fmt, *args):  # quiet: the access log is nginx's
        pass

    def kb_collections(self):
        path = os.path.join(self.server.root, "opt/tria/data/chromadb/collections.json")
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def xero_status(self):
        path = os.path.join(self.server.root, "opt/tria/data/xero_tokens.json")
        try:
            with open(path) as f:
                tokens = json.load(f)
            return "connected" if tokens.get("expires_at", 0) > time.time() else "token_expired"
        except (OSError, ValueError):
            return "not_configured"

    def send(self, code, body, ctype="application/json"):
        data = (json.dumps(body) if ctype == "application/json" else body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        cid = self.headers.get("X-Correlation-ID")
        if cid:
            self.send_header("X-Correlation-ID", cid)
        self.end_headers()
        self.wfile.write(data)

    def observe(self, started, code):
        with LOCK:
            STATS["requests"] += 1
            if code >= 500:
                STATS["errors"] += 1
            took = time.time() - started
            for le in STATS["buckets"]:
                if took <= le:
                    STATS["buckets"][le] += 1

    def do_GET(self):
        started = time.time()
        path = self.path.split("?", 1)[0]
        code = 200
        if path == "/health":
            kb = self.kb_collections()
            self.send(200, {"status": "healthy", "chromadb": "connected" if kb else "not_initialized",
                            "redis": "connected" if redis_ping(self.server.redis_port) else "disconnected",
                            "database": "connected", "xero": self.xero_status()})
        elif path == "/metrics":
            with LOCK:
                lines = ["# HELP http_requests_total Requests served.", "# TYPE http_requests_total counter",
                         'http_requests_total{status="200"} %d' % (STATS["requests"] - STATS["errors"]),
                         'http_requests_total{status="500"} %d' % STATS["errors"],
                         "# TYPE cache_hits_total counter", "cache_hits_total %d" % STATS["hits"],
                         "# TYPE cache_misses_total counter", "cache_misses_total %d" % STATS["misses"],
                         "# TYPE request_latency_seconds histogram"]
                total = 0
                for le, n in sorted(STATS["buckets"].items()):
                    total = max(total, n)
                    lines.append('request_latency_seconds_bucket{le="%s"} %d' % (le, n))
                lines += ['request_latency_seconds_bucket{le="+Inf"} %d' % STATS["requests"],
                          "request_latency_seconds_count %d" % STATS["requests"], "request_latency_seconds_sum 0.5"]
            self.send(200, "\n".join(lines) + "\n", "text/plain; version=0.0.4")
        elif path == "/docs":
            self.send(200, "<!doctype html><html><head><title>TRIA API docs</title></head><body>Swagger UI</body></html>", "text/html")
        elif path == "/openapi.json":
            self.send(200, {"openapi": "3.1.0", "info": {"title": "TRIA AIBPO API", "version": "1.0"}, "paths": {"/api/chatbot": {}}})
        elif path == "/api/v1/cache/stats":
            with LOCK:
                rate = STATS["hits"] / max(1, STATS["hits"] + STATS["misses"])
            self.send(200, {"hit_rate": round(rate, 2), "hits": STATS["hits"], "misses": STATS["misses"]})
        elif path == "/api/v1/kb/collections":
            kb = self.kb_collections() or {}
            self.send(200, {"collections": [{"name": k, "count": v} for k, v in kb.items()]})
        else:
            code = 404
            self.send(404, {"detail": "Not Found"})
        self.observe(started, code)

    def do_POST(self):
        started = time.time()
        path = self.path.split("?", 1)[0]
        if path != "/api/chatbot":
            self.send(404, {"detail": "Not Found"})
            return self.observe(started, 404)
        client = self.headers.get("X-Real-IP", self.client_address[0])
        now = time.time()
        with LOCK:
            recent = [t for t in WINDOW.get(client, []) if now - t < 1.0] + [now]
            WINDOW[client] = recent
        if len(recent) > 20:
            self.send(429, {"detail": "Too Many Requests"})
            return self.observe(started, 429)
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0") or 0)) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not str(body.get("message", "")).strip() or not body.get("user_id") or not body.get("session_id"):
            self.send(400, {"detail": "message, user_id and session_id are required", "error": "validation_error"})
            return self.observe(started, 400)
        if not self.kb_collections():
            self.send(500, {"detail": APOLOGY})
            return self.observe(started, 500)
        message = str(body["message"])
        with LOCK:
            memory = SESSIONS.setdefault(body["session_id"], {})
            lowered = message.lower()
            if "outlet is " in lowered:
                memory["outlet"] = message[lowered.index("outlet is ") + len("outlet is "):].strip(" .!")
        if "outlet is " in message.lower():
            answer = "Got it, ordering for %s. What would you like?" % memory["outlet"]
        elif "sizes" in message.lower() and "box" in message.lower():
            answer = "We offer 8-inch, 10-inch, 12-inch and 14-inch pizza boxes."
        elif "which outlet" in message.lower():
            answer = ("You are ordering for %s." % memory["outlet"]) if "outlet" in memory else "Which outlet are you ordering for?"
        else:
            answer = "Hello! How can I help you with your order today?"
        self.send(200, {"response": answer, "session_id": body["session_id"]})
        self.observe(started, 200)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--root", required=True)
    p.add_argument("--redis-port", type=int, default=6379)
    a = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.root = a.root
    server.redis_port = a.redis_port
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
