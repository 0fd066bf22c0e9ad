#!/usr/bin/env python3
"""A stand-in for GitLab's merge request notes API (REST v4), enough for the
note step of docs/ci/gitlab-ci.yml: list, create and update the notes of one
merge request. It checks the PRIVATE-TOKEN header, answers the way GitLab
does (a note object starts with "id", then "type" and "body"; '<', '>' and
'&' in strings are written as \\u003c, \\u003e and \\u0026 when --escape-html
is given, as Rails' JSON encoder does), and keeps every note in STATE.json (read back when it exists).

usage: gitlab_notes_server.py STATE.json PORT_FILE TOKEN [--escape-html]
"""
import email.parser
import email.policy
import json
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

state_file, port_file, token = sys.argv[1:4]
escape_html = "--escape-html" in sys.argv[4:]
# [{"id", "type", "body", "author"}], oldest first: those of STATE.json when
# it exists (a later pipeline of the same merge request), else a reviewer's
# note that must stay untouched.
try:
    with open(state_file) as f:
        notes = json.load(f)
except FileNotFoundError:
    notes = [{"id": 999, "type": None, "body": "<b>LGTM</b> once the tmc-diff note is read",
              "author": {"id": 3, "username": "reviewer"}}]
NOTES = re.compile(r"^/api/v4/projects/(\d+)/merge_requests/(\d+)/notes(?:/(\d+))?$")


def encode(value):
    text = json.dumps(value, separators=(",", ":"))
    if escape_html:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode()


def save():
    with open(state_file, "w") as f:
        json.dump(notes, f, indent=1)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, value):
        body = encode(value)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        if self.headers.get("PRIVATE-TOKEN") != token:
            self.reply(401, {"message": "401 Unauthorized"})
            return None
        match = NOTES.match(urllib.parse.urlsplit(self.path).path)
        if not match:
            self.reply(404, {"message": "404 Not Found"})
            return None
        return match

    def form_body(self):
        """The `body` field of a multipart or urlencoded request, or None."""
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + kind.encode() + b"\r\n\r\n" + data)
            for part in message.iter_parts():
                if part.get_param("name", header="content-disposition") == "body":
                    return part.get_payload(decode=True).decode()
            return None
        return urllib.parse.parse_qs(data.decode()).get("body", [None])[0]

    def do_GET(self):
        if self.route():
            self.reply(200, notes)

    def do_POST(self):
        match = self.route()
        if not match:
            return
        body = self.form_body()
        if body is None:
            self.reply(400, {"message": "400 (Bad request) \"body\" not given"})
            return
        note = {"id": 1000 + len(notes), "type": None, "body": body,
                "author": {"id": 7, "username": "project_bot"}}
        notes.append(note)
        save()
        self.reply(201, note)

    def do_PUT(self):
        match = self.route()
        if not match:
            return
        note = next((n for n in notes if str(n["id"]) == match.group(3)), None)
        body = self.form_body()
        if note is None or body is None:
            self.reply(404 if note is None else 400, {"message": "bad request"})
            return
        note["body"] = body
        save()
        self.reply(200, note)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
save()
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
