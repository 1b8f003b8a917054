"""cProfile workload of the findings evaluation: parse, render and checksum rows.

`python3 -m cProfile -o OUT workload.py FACTOR`: parse_row does FACTOR times its work (1 = base,
1.3 and 2 = the injected slowdowns); the other functions are unchanged.
"""
import sys


def parse_row(line, factor):
    fields = {}
    passes = int(factor)
    extra = factor - passes
    for p in range(passes + (1 if extra > 0 else 0)):
        parts = line.split(" ")
        if p == passes:
            parts = parts[: max(1, int(len(parts) * extra))]
        for part in parts:
            key, _, value = part.partition("=")
            fields[key] = value
    return fields


def render(rows):
    return "\n".join(f"{r.get('service')}:{r.get('latency')}" for r in rows)


def checksum(text):
    h = 2166136261
    for ch in text.encode():
        h = ((h ^ ch) * 16777619) & 0xFFFFFFFF
    return h


def aggregate(rows):
    totals = {}
    for r in rows:
        totals[r.get("service")] = totals.get(r.get("service"), 0) + int(r.get("latency", "0"))
    return totals


def main(factor, rounds=12):
    lines = [
        f"ts={i} level=info service=svc{i % 5} latency={i % 97} bytes={i * 13 % 4096} path=/api/{i}"
        for i in range(3000)
    ]
    for _ in range(rounds):
        rows = [parse_row(line, factor) for line in lines]
        aggregate(rows)
        checksum(render(rows))


if __name__ == "__main__":
    # Rounds of the whole batch: the evaluation scales them so a recording lasts about a second.
    main(
        float(sys.argv[1]) if len(sys.argv) > 1 else 1.0,
        int(sys.argv[2]) if len(sys.argv) > 2 else 12,
    )
