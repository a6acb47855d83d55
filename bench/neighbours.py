"""Does a tenant's list speed depend on its neighbours? The same large tenant, alone and beside a
second large tenant, served side by side.

    bin/bench                      # runs this after the list benchmark (see bin/bench)
    .venv/bin/python -m bench.neighbours --alone <runtime url> --beside <runtime url> \
        [--seconds 5] [--rounds 3] [--connections 2]

Two databases hold the same large tenant `bench-big` (seeded with the same random seed): in
`--alone` it is by itself; in `--beside` a second large tenant `bench-big-2` of the same size
and the small tenant `bench-small` sit beside it, with newer ids. One gunicorn per database on
loopback; wrk drives each list URL on both, interleaved round by round. Reported: the median
p50 of each side and the ratio beside / alone (goal: at most 1.1), and the small tenant's lists
beside the two large ones.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys

from bench.api_lists import ROOT, check, free_port, start_server, wrk

GOAL_RATIO = 1.1


def token_in(database_url: str, email: str) -> str:
    """A token for `email`, made in that database (each side has its own users)."""
    code = (
        "import django; django.setup();"
        "from rest_framework.authtoken.models import Token;"
        "from rpo_portal.accounts.models import User;"
        f"print(Token.objects.get_or_create(user=User.objects.get(email={email!r}))[0].key)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": database_url}
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alone", required=True, help="runtime URL: bench-big by itself")
    parser.add_argument("--beside", required=True, help="runtime URL: bench-big beside another")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    # Two connections for one worker's four threads: p50 is then the service time, not the time
    # spent queueing (8 connections made the p50 swing by 15% between identical runs).
    parser.add_argument("--connections", type=int, default=2)
    args = parser.parse_args()

    servers, targets, tokens = [], {}, {}
    try:
        for side, url in (("alone", args.alone), ("beside", args.beside)):
            os.environ["DATABASE_URL"] = url
            port = free_port()
            servers.append(start_server(port, 1, 4))
            for org in ("bench-big", "bench-small") if side == "beside" else ("bench-big",):
                tokens[(side, org)] = token_in(url, f"bench@{org}.test")
                base = f"http://127.0.0.1:{port}/api/v1/orgs/{org}"
                for kind in ("requisitions", "applications"):
                    targets[f"{kind} {org} {side}"] = (f"{base}/{kind}/", tokens[(side, org)])
        for name, (url, token) in targets.items():
            if check(url, token) == 0:
                raise SystemExit(f"{name}: an empty first page")
            wrk(url, token, 2, args.connections)  # warm-up
        results: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
        names = list(targets)
        for round_ in range(args.rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                url, token = targets[name]
                results[name].append(wrk(url, token, args.seconds, args.connections))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    p50 = {name: statistics.median(r["p50"] for r in runs) / 1000 for name, runs in results.items()}
    print(f"\n{'list':<44}{'p50 ms':>9}")
    for name, value in p50.items():
        print(f"{name:<44}{value:>9.1f}")
    ok = True
    ratios = {}
    for kind in ("requisitions", "applications"):
        ratio = p50[f"{kind} bench-big beside"] / p50[f"{kind} bench-big alone"]
        ratios[kind] = ratio
        ok = ok and ratio <= GOAL_RATIO
        print(
            f"{kind}: large tenant's p50 beside a second large tenant / alone = {ratio:.2f} "
            f"(goal <= {GOAL_RATIO}) -> {'met' if ratio <= GOAL_RATIO else 'MISSED'}"
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "neighbours.json").write_text(
        json.dumps({"p50_ms": p50, "ratios": ratios, "runs": results}, indent=2)
    )
    print(f"(details in {out / 'neighbours.json'})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
