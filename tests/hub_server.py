"""A stand-in for the Hugging Face Hub, for Kiln's tests: serves the model
repositories found under ROOT (ROOT/ORG/NAME/...) with the Hub's URL shapes:

  GET  /api/models/ORG/NAME/revision/REV    {"sha", "siblings": [{"rfilename"}]}
  GET  /api/models/ORG/NAME/tree/REV        [{"type", "path", "size"}] (huggingface_hub's listing)
  HEAD /ORG/NAME/resolve/REV/PATH           X-Repo-Commit, ETag or (large files)
  GET  /ORG/NAME/resolve/REV/PATH           302 to /cdn/SHA256 with X-Linked-Etag
                                            and X-Linked-Size, as the Hub's LFS files
  GET  /cdn/SHA256                          the bytes, with Range
  GET  /api/models?search=TEXT&limit=N      [{"id", "downloads", "likes", "pipeline_tag"}]
  GET  /_stats                              bytes served per path (ranged ones
                                            as "PATH from START"), as JSON

Repositories whose names contain these words misbehave on purpose:
  gated    403 GatedRepo without "Authorization: Bearer secret-token"
  private  401 without that token
  htmlapi  the API answers with a web page
  cut      the CDN closes each file halfway the first time it is asked
  corrupt  the CDN serves bytes whose sha256 is not the one announced
The CDN answers 400 to a request that carries a token: tokens stay on the Hub.

Prints its port on the first line of stdout. Usage: hub_server.py ROOT
"""
import hashlib
import http.server
import json
import os
import socket
import sys
import threading
import urllib.parse

ROOT = os.path.abspath(sys.argv[1])
TOKEN = "secret-token"
LARGE = 256  # bytes; larger files (and weights) are served as LFS files are
STATS = {}
CUT_DONE = set()
LOCK = threading.Lock()


def repo_files(repo):
    base = os.path.join(ROOT, repo)
    names = []
    for folder, _, files in os.walk(base):
        for name in files:
            names.append(os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/"))
    return sorted(names)


def commit_of(repo):
    digest = hashlib.sha1(repo.encode())
    for name in repo_files(repo):
        with open(os.path.join(ROOT, repo, name), "rb") as f:
            digest.update(name.encode() + f.read())
    return digest.hexdigest()


def is_lfs(name, data):
    return len(data) > LARGE or name.endswith((".safetensors", ".bin", ".pt"))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=None, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code=None):
        headers = {"X-Error-Code": code} if code else {}
        self.send(status, json.dumps({"error": code or "error"}).encode(), headers)

    def authorized(self):
        return self.headers.get("Authorization") == "Bearer " + TOKEN

    def check_access(self, repo):
        if not os.path.isdir(os.path.join(ROOT, repo)):
            self.error(401, "RepoNotFound")
            return False
        if "private" in repo and not self.authorized():
            self.error(401, "RepoNotFound")
            return False
        if "gated" in repo and not self.authorized():
            self.error(403, "GatedRepo")
            return False
        return True

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        parts = path.strip("/").split("/")
        if path == "/_stats":
            with LOCK:
                return self.send(200, json.dumps(STATS).encode())
        if parts == ["api", "models"]:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            text = query.get("search", [""])[0].lower()
            limit = int(query.get("limit", ["20"])[0])
            found = []
            for org in sorted(os.listdir(ROOT)):
                for name in sorted(os.listdir(os.path.join(ROOT, org))) if os.path.isdir(os.path.join(ROOT, org)) else []:
                    repo = org + "/" + name
                    if text in repo.lower() and "private" not in repo and "gated" not in repo:
                        found.append({"id": repo, "downloads": len(repo) * 100, "likes": len(name),
                                      "pipeline_tag": "text-classification"})
            return self.send(200, json.dumps(found[:limit]).encode())
        if parts[:2] == ["api", "models"] and len(parts) >= 6 and parts[4] == "revision":
            repo, revision = "/".join(parts[2:4]), "/".join(parts[5:])
            if not self.check_access(repo):
                return
            if "htmlapi" in repo:
                return self.send(200, b"<html><body>Sign in</body></html>", content_type="text/html; charset=utf-8")
            commit = commit_of(repo)
            if revision not in ("main", commit):
                return self.error(404, "RevisionNotFound")
            body = {"id": repo, "sha": commit, "siblings": [{"rfilename": n} for n in repo_files(repo)]}
            return self.send(200, json.dumps(body).encode())
        if parts[:2] == ["api", "models"] and len(parts) >= 6 and parts[4] == "tree":
            # huggingface_hub's snapshot_download lists files this way.
            repo, revision = "/".join(parts[2:4]), parts[5]
            if not self.check_access(repo):
                return
            if revision not in ("main", commit_of(repo)):
                return self.error(404, "RevisionNotFound")
            entries = []
            for name in repo_files(repo):
                size = os.path.getsize(os.path.join(ROOT, repo, name))
                entries.append({"type": "file", "path": name, "size": size, "oid": hashlib.sha1(name.encode()).hexdigest()})
            return self.send(200, json.dumps(entries).encode())
        if len(parts) >= 5 and parts[2] == "resolve":
            repo, revision, name = "/".join(parts[:2]), parts[3], "/".join(parts[4:])
            if not self.check_access(repo):
                return
            commit = commit_of(repo)
            if revision not in ("main", commit):
                return self.error(404, "RevisionNotFound")
            file = os.path.join(ROOT, repo, name)
            if name not in repo_files(repo):
                return self.error(404, "EntryNotFound")
            with open(file, "rb") as f:
                data = f.read()
            if is_lfs(name, data):
                sha = hashlib.sha256(data).hexdigest()
                headers = {"X-Repo-Commit": commit, "X-Linked-Etag": '"%s"' % sha, "X-Linked-Size": str(len(data)),
                           "ETag": '"%s"' % sha,
                           # Absolute and to another host name, as the Hub's redirects to its CDN are.
                           "Location": "http://localhost:%d/cdn/%s?repo=%s" % (self.server.server_address[1], sha,
                                                                               urllib.parse.quote(repo))}
                return self.send(302, b"", headers)
            blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
            if self.command != "HEAD":
                self.count(path, len(data))
            return self.send(200, data, {"X-Repo-Commit": commit, "ETag": '"%s"' % blob},
                             content_type="application/octet-stream")
        if parts[0] == "cdn" and len(parts) == 2:
            if "Authorization" in self.headers:
                return self.error(400, "TokenSentToCdn")  # a token must never leave the Hub
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            repo = query.get("repo", [""])[0]
            data = None
            for name in repo_files(repo):
                with open(os.path.join(ROOT, repo, name), "rb") as f:
                    content = f.read()
                if hashlib.sha256(content).hexdigest() == parts[1]:
                    data = content
            if data is None:
                return self.error(404)
            if "corrupt" in repo:
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            start = 0
            ranged = self.headers.get("Range", "")
            if ranged.startswith("bytes=") and ranged.endswith("-"):
                start = int(ranged[6:-1])
            body = data[start:]
            headers = {"Content-Range": "bytes %d-%d/%d" % (start, len(data) - 1, len(data))} if start else {}
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            with LOCK:
                first_cut = "cut" in repo and parts[1] not in CUT_DONE
                CUT_DONE.add(parts[1])
            # Ranged requests are counted apart, by where they start: the client's
            # network layer may replay a request whose connection dropped, and
            # such a replay (never a range here) must not look like a resume.
            counted = path + (" from %d" % start if start else "")
            if first_cut:
                half = body[: len(body) // 2]
                self.count(counted, len(half))  # before writing: the client may ask for stats at once
                self.wfile.write(half)
                self.wfile.flush()
                self.close_connection = True
                # A FIN after the half, then wait for the client to hang up: a close
                # with anything unread would send a reset, and a reset can throw away
                # what the client had received but not yet read, so that nothing of
                # the half would be kept to resume from.
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(10)
                try:
                    while self.connection.recv(65536):
                        pass
                except OSError:
                    pass
                return
            self.count(counted, len(body))
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # a replayed request whose client had already given up
            return
        self.error(404)

    def count(self, path, n):
        with LOCK:
            STATS[path] = STATS.get(path, 0) + n


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
