"""The requisition and application list endpoints against bare views running the same SQL.

    bin/bench                      # sets up the database and runs this (see bin/bench)
    DATABASE_URL=<runtime url> .venv/bin/python -m bench.api_lists --org bench-big \
        --email bench@bench-big.test [--seconds 5] [--rounds 3] [--connections 8]

One gunicorn (2 gthread workers x 4 threads, DEBUG off, bench/settings.py) on loopback serves
both sides; wrk drives 8 keep-alive connections at one URL at a time, the four URLs interleaved
round by round (the order rotates), so drift in the machine hits both sides alike. Reported per
URL: requests per second over all rounds, and the median over rounds of p50/p95/p99 latency.
The figure that matters is the ratio API / bare view (goal: at least 0.5) and the API's p95
(goal: under 40 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 0.5
GOAL_P95_MS = 40.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def token_for(email: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from rest_framework.authtoken.models import Token

    from rpo_portal.accounts.models import User

    user = User.objects.get(email=email)
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"), "bench.wsgi:application",
            "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--bind", f"127.0.0.1:{port}", "--keep-alive", "30", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it served")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def check(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    return len(body["results"])


def wrk(url: str, token: str, seconds: float, connections: int) -> dict[str, float]:
    output = subprocess.run(
        [
            "wrk", "-t", "2", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--timeout", "10s",
            "-H", f"Authorization: Token {token}", "-s", str(ROOT / "bench/wrk_report.lua"), url,
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    if result["errors"] or result["non_2xx"]:
        raise SystemExit(f"{url}: {result['errors']} errors ({result['non_2xx']} non-2xx)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", default="bench-big")
    parser.add_argument("--email", default="bench@bench-big.test")
    parser.add_argument("--password", default="", help="(unused: a token is made for the user)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per URL per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    token = token_for(args.email)
    port = free_port()
    server = start_server(port, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}/api/v1/orgs/{args.org}"
    targets = {
        "requisitions API": f"{base}/requisitions/",
        "requisitions bare": f"{base}/bench-raw/requisitions/",
        "applications API": f"{base}/applications/",
        "applications bare": f"{base}/bench-raw/applications/",
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    try:
        for name, url in targets.items():
            rows = check(url, token)
            if rows != 50:
                raise SystemExit(f"{name}: {rows} rows on the first page, expected 50")
            wrk(url, token, 2, args.connections)  # warm-up: connections, caches, compiled SQL
        names = list(targets)
        for round_ in range(args.rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                results[name].append(wrk(targets[name], token, args.seconds, args.connections))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    summary: dict[str, dict[str, float]] = {}
    for name, runs in results.items():
        summary[name] = {
            "rps": sum(r["requests"] for r in runs) / (sum(r["duration_us"] for r in runs) / 1e6),
            **{p: statistics.median(r[p] for r in runs) / 1000 for p in ("p50", "p95", "p99")},
        }
    print(f"\n{'endpoint':<20}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, s in summary.items():
        print(f"{name:<20}{s['rps']:>9.0f}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}")
    ok = True
    for kind in ("requisitions", "applications"):
        api, bare = summary[f"{kind} API"], summary[f"{kind} bare"]
        ratio = api["rps"] / bare["rps"]
        verdict = ratio >= GOAL_RATIO and api["p95"] < GOAL_P95_MS
        ok = ok and verdict
        print(
            f"{kind}: API/bare throughput {ratio:.2f} (goal >= {GOAL_RATIO}), API p95 "
            f"{api['p95']:.1f} ms (goal < {GOAL_P95_MS:.0f}) -> {'met' if verdict else 'MISSED'}"
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "api_lists.json").write_text(json.dumps({"summary": summary, "runs": results}, indent=2))
    print(f"(details in {out / 'api_lists.json'})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
