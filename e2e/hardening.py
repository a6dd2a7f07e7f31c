"""Hostile requests against the real (debug) server: the ones that once killed it, a projection
page that leaves 100 times with a vote after each, the command line, and 50 writes in the
first second of a fresh server. Plain sockets and urllib, no browser."""
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from browser import congress_day, wait_until

BASE = os.environ.get("RENDA_URL", "http://127.0.0.1:8099")
HOST, PORT = urllib.parse.urlparse(BASE).hostname, urllib.parse.urlparse(BASE).port
# Odd requests go to one instance directly: nginx in front would refuse some of them itself.
_instances = os.environ.get("RENDA_E2E_INSTANCES", "").split()
DIRECT = urllib.parse.urlparse(_instances[0]).port if _instances else PORT
BINARY = os.environ.get("RENDA_E2E_BINARY", ".build/debug/renda")


def raw(request_bytes, port=None, read=True):
    """Sends bytes as they are (no path normalising, unlike curl without --path-as-is)."""
    s = socket.create_connection((HOST, port or PORT), timeout=10)
    s.sendall(request_bytes)
    data = b""
    while read:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def status_of(response):
    m = re.match(rb"HTTP/1\.1 (\d{3})", response)
    return int(m.group(1)) if m else 0


def alive(port=None):
    with urllib.request.urlopen(f"http://{HOST}:{port or PORT}/healthz", timeout=5) as r:
        return r.status == 200


def api(method, path, body=None, token=None, port=None):
    req = urllib.request.Request(f"http://{HOST}:{port or PORT}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def token(user, port=None):
    status, body = api("POST", "/api/v1/auth/token", {"username": user, "password": "renda-demo"}, port=port)
    assert status == 200, (user, status, body)
    return body["token"]


def odd_paths_and_ranges_do_not_kill_the_server():
    probes = [
        b"GET /..%2f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /..%2f..%2f..%2fetc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /css/renda.css HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999-\r\nConnection: close\r\n\r\n",
        b"GET /css/renda.css HTTP/1.1\r\nHost: x\r\nRange: bytes=-0\r\nConnection: close\r\n\r\n",
        b"DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b",
        b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b",
        b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ]
    for p in probes:
        answer = raw(p, port=DIRECT)
        code = status_of(answer)
        assert 200 <= code < 500, (p, code, answer[:200])
        assert b"x-content-type-options: nosniff" in answer.lower(), answer[:400]
        assert alive(port=DIRECT), f"server died after {p!r}"
    # a compressed body is not expanded (no client of ours sends one): refused as malformed, 4xx
    import gzip
    packed = gzip.compress(json.dumps({"username": "staff", "password": "renda-demo"}).encode())
    answer = raw(b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                 b"Content-Length: " + str(len(packed)).encode() + b"\r\nConnection: close\r\n\r\n" + packed, port=DIRECT)
    assert 400 <= status_of(answer) < 500, answer[:300]
    assert alive(port=DIRECT)


def login_cookie(user):
    page = raw(f"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    cookie = re.search(rb"renda_session=([^;]+)", page).group(1).decode()
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"username": user, "password": "renda-demo", "_csrf": csrf, "next": "/"}).encode()
    answer = raw(b"POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: renda_session=" + cookie.encode() +
                 b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + str(len(form)).encode() + b"\r\n\r\n" + form)
    assert status_of(answer) == 303, answer[:300]
    return re.search(rb"renda_session=([^;]+)", answer).group(1).decode()


def projection_pages_that_leave_do_not_crash_the_next_vote():
    staff = token("staff")
    members = [token("member")] + [token("member%02d" % n) for n in range(2, 30)]
    status, meeting = api("POST", "/api/v1/meetings", {"kind": "standing", "number": 77, "title": "断线测试会议",
                                                       "date": congress_day(), "place": "会议室"}, staff)
    assert status == 200, meeting
    mid = meeting["id"]
    for m in members[:25]:
        assert api("POST", f"/api/v1/meetings/{mid}/sign-in", {}, m)[0] == 200
    cookie = login_cookie("staff")
    votes = 0
    for round_no in range(4):
        assert api("POST", f"/api/v1/meetings/{mid}/agenda", {"item_title": f"议题{round_no}", "item_kind": "decision"}, staff)[0] == 200
        _, detail = api("GET", f"/api/v1/meetings/{mid}", token=staff)
        item = detail["agenda"][-1]["id"]
        status, made = api("POST", f"/api/v1/meetings/{mid}/ballot", {"item": str(item), "questions": f"议题{round_no}"}, staff)
        assert status == 200, made
        ballot = int(made["message"].split()[-1])
        assert api("POST", f"/api/v1/ballots/{ballot}/open", token=staff)[0] == 200
        _, b = api("GET", f"/api/v1/ballots/{ballot}", token=staff)
        question = b["questions"][0]["id"]
        for voter in members[:25]:
            # a projection page opens the stream, reads the first state and goes away
            s = socket.create_connection((HOST, PORT), timeout=10)
            s.sendall(f"GET /ballots/{ballot}/events HTTP/1.1\r\nHost: x\r\nCookie: renda_session={cookie}\r\n\r\n".encode())
            first = s.recv(4096)
            assert b"200 OK" in first and b"text/event-stream" in first, first[:300]
            s.close()
            status, body = api("POST", f"/api/v1/ballots/{ballot}/vote", {"choices": {str(question): "yes"}}, voter)
            assert status == 200, (status, body)
            votes += 1
        assert api("POST", f"/api/v1/ballots/{ballot}/close", token=staff)[0] == 200
        assert alive()
    assert votes == 100


def bad_commands_print_usage():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    for args in (["bogus"], ["serve", "--no-such-option"], ["serve", "--port", "99999"], ["serve", "--port"]):
        data = tempfile.mkdtemp()
        p = subprocess.run([BINARY] + args, capture_output=True, text=True, timeout=120, env={**env, "RENDA_DATA_DIR": data})
        assert p.returncode == 2, (args, p.returncode, p.stderr[-500:])
        assert "usage: renda" in p.stderr, p.stderr[-500:]
        assert not os.listdir(data), f"{args} created {os.listdir(data)} before refusing"


def fifty_writes_in_the_first_second_of_a_fresh_server():
    """Also started from another directory (/), as a service is: its pages must still render."""
    data = tempfile.mkdtemp()
    port = PORT + 7
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    server = subprocess.Popen([os.path.abspath(BINARY), "serve", "--demo", "--port", str(port)], env={**env, "RENDA_DATA_DIR": data},
                              cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: alive(port), 60, f"the fresh server on port {port}")
        # fifty writers at once: citizens registering and wrong passwords counted
        def write(n):
            if n % 2:
                return api("POST", "/api/v1/auth/register", {"displayName": f"群众{n}", "phone": "139%08d" % n, "password": "abc12345x"}, port=port)[0]
            return api("POST", "/api/v1/auth/token", {"username": f"nobody{n}", "password": "wrong-pass1"}, port=port)[0]
        with ThreadPoolExecutor(max_workers=50) as pool:
            codes = list(pool.map(write, range(50)))
        assert all(c in (200, 401) for c in codes), codes
        assert codes.count(200) == 25, codes
        for path in ("/login", "/css/renda.css", "/public/decisions"):
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10) as r:
                assert r.status == 200, (path, r.status)
    finally:
        server.terminate()
        server.wait(timeout=30)


JOURNEYS = [
    odd_paths_and_ranges_do_not_kill_the_server,
    projection_pages_that_leave_do_not_crash_the_next_vote,
    bad_commands_print_usage,
    fifty_writes_in_the_first_second_of_a_fresh_server,
]
