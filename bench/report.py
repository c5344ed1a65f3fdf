"""Writing what `make bench` measured: bench/results/latest.md and the README's figures."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path

from bench import slow3g
from bench.rapid import rapid_lines, rapid_targets

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 100_000)


def ratio(figure: dict) -> float:
    """A page's throughput over the project's ceiling measured beside it."""
    return figure["rps"] / figure["ceiling_rps"]


def plain_ratio(figure: dict) -> float | None:
    """A page's throughput over the plain Django view measured beside it."""
    return figure["rps"] / figure["plain_rps"] if figure.get("plain_rps") else None


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def message_lines(results: dict) -> list[str]:
    lines = ["| measure | result |", "| --- | --- |"]
    for size, (rows, seconds, statements) in results["outbox"].items():
        lines.append(
            f"| outbox rows for a group message to {size:,} people | {rows:,} rows in "
            f"{seconds:.2f} s, {statements} SQL statements |"
        )
    deliveries = [(rate, result, "") for rate, result in results["delivery"].items()]
    if "delivery_slow_answers" in results:
        slow = results["delivery_slow_answers"]
        deliveries.append(
            (
                slow["rate"],
                slow,
                f", answering in {slow['latency']} s, bulk worker "
                f"`-P {slow['pool']} -c {slow['concurrency']}`",
            )
        )
    for rate, result, how in deliveries:
        first = result.get("first_after_commit_s")
        sustained = result.get("sustained_per_s") or 0
        lines.append(
            f"| delivery, fake Twilio at {rate}/s{how} ({result['accepted']} of "
            f"{result['count']} messages) | first {_round(first)} s after commit; "
            f"sustained {sustained:.1f}/s = {sustained / rate:.2f} × the rate; "
            f"most in any 1 s: {result.get('peak_1s')}; "
            f"refused with 429: {result.get('rejected_429')} |"
        )
    urgent = results["urgent"]
    lines.append(
        f"| urgent alert queued behind a {urgent['count']:,}-reminder backlog (100/s) | reached "
        f"Twilio {_round(urgent.get('urgent_after_s'))} s after commit, after "
        f"{urgent.get('reminders_before_urgent')} reminders |"
    )
    for size, (queued, seconds, statements) in results["sweep"].items():
        lines.append(
            f"| reminder sweep, {size:,} day-before reminders due | {queued:,} queued in "
            f"{seconds:.2f} s, {statements:,} SQL statements |"
        )
    return lines


def _round(value, digits=2):
    return value if value is None else round(value, digits)


def _row(lines):
    def row(target, measured, met):
        lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    return row


def web_targets(section: dict) -> list[str]:
    small, large = SIZES
    web, page_list = section["web"], section["pages"]
    lines: list[str] = []
    row = _row(lines)

    over_plain = web[large].get("ceiling over plain")
    if over_plain is not None:
        row(
            f"the project's ceiling at {large:,}: ≥ 0.5 × a plain Django view (session and "
            "authentication middleware only) measured beside it",
            f"{over_plain:.2f} × (median of the pairs)",
            over_plain >= 0.5,
        )
    for label in (
        "people list",
        "people search by name",
        "people filtered",
        "dashboard",
        "training list",
    ):
        if label not in web[large]:
            continue
        a, b = web[small][label]["rps"], web[large][label]["rps"]
        row(
            f"{label} at {large:,}: ≥ 0.5 × ceiling and ≥ 0.8 × itself at {small:,}",
            f"{ratio(web[large][label]):.2f} × ceiling "
            f"({_times(plain_ratio(web[large][label]))} × plain Django); "
            f"{b / a:.2f} × at {small:,}",
            ratio(web[large][label]) >= 0.5 and b / a >= 0.8,
        )
    uneven = [
        lb for lb, *_ in page_list if section["queries"][small][lb] != section["queries"][large][lb]
    ]
    row(
        f"query count of every page equal at {small:,} and {large:,}",
        "equal" if not uneven else "differs: " + ", ".join(uneven),
        not uneven,
    )
    return lines


def message_targets(results: dict) -> list[str]:
    lines: list[str] = []
    row = _row(lines)
    rows, seconds, statements = results["outbox"][10_000]
    few = results["outbox"][1_000][2]
    row(
        "outbox for 10,000 recipients < 1 s, statements not growing per recipient",
        f"{rows:,} rows in {seconds:.2f} s; {few} statements for 1,000, {statements} for 10,000",
        rows >= 10_000 and seconds < 1 and statements <= few,
    )
    measured = [(rate, results["delivery"].get(rate), "") for rate in (10, 100, 250)]
    if "delivery_slow_answers" in results:
        measured.append((250, results["delivery_slow_answers"], " (Twilio answering in 0.1 s)"))
    for rate, result, how in measured:
        if result is None:
            continue
        sustained = (result.get("sustained_per_s") or 0) / rate
        first = result.get("first_after_commit_s")
        row(
            f"delivery at {rate}/s{how}: ≥ 0.9 × the rate, never above it, no 429, "
            "first within 1 s",
            f"{sustained:.2f} × the rate; most in any 1 s {result.get('peak_1s')}; "
            f"429s {result.get('rejected_429')}; first {_round(first)} s",
            0.9 <= sustained <= 1.02  # 2%: the jitter of timing a few seconds of sends
            and (result.get("peak_1s") or 0) <= rate * 1.1 + 1
            and not result.get("rejected_429")
            and first is not None
            and first <= 1.0,
        )
    urgent = results["urgent"]
    row(
        f"an urgent alert overtakes a {urgent['count']:,}-message backlog",
        f"reached Twilio after {urgent.get('reminders_before_urgent')} of the backlog, "
        f"{_round(urgent.get('urgent_after_s'))} s after commit",
        urgent.get("urgent_after_s") is not None
        and (urgent.get("reminders_before_urgent") or 0) < urgent["count"] // 10,
    )
    queued, seconds, statements = results["sweep"][10_000]
    few = results["sweep"][1_000][2]
    row(
        "reminder sweep, 10,000 due: constant statements, < 5 s",
        f"{queued:,} in {seconds:.2f} s; {few} statements for 1,000, {statements} for 10,000",
        queued == 10_000 and seconds < 5 and statements == few,
    )
    return lines


def web_lines(section: dict) -> list[str]:
    small, large = SIZES
    lines = [
        "## Web pages (signed in as a coordinator)",
        "",
        f"gunicorn with {section['workers']} workers. Two ceilings are measured beside every "
        "page: the project's (a constant answer through all its middleware) and a plain "
        "Django view (the same answer behind only the session and authentication middleware, "
        "same gunicorn). The search posts its form (CSRF token and cookie), as the page does.",
        "",
    ]
    for size in SIZES:
        over_plain = section["web"][size].get("ceiling over plain")
        if over_plain is not None:
            lines.append(
                f"- at {size:,}: the project's ceiling is {over_plain:.2f} × the plain Django "
                "view (median of the pairs measured beside each page)"
            )
    lines += [
        "",
        f"| page | req/s at {small:,} | req/s at {large:,} | p50 / p95 ms at {large:,} "
        f"| × ceiling beside it at {large:,} | × plain Django beside it at {large:,} "
        f"| {large // 1000}k / {small // 1000}k | queries {small:,} / {large:,} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, *_ in section["pages"]:
        a, b = section["web"][small][label], section["web"][large][label]
        qa, qb = section["queries"][small][label], section["queries"][large][label]
        lines.append(
            f"| {label} | {a['rps']:.0f} | {b['rps']:.0f} "
            f"| {b['p50_ms']:.1f} / {b['p95_ms']:.1f} "
            f"| {ratio(b):.2f} | {_times(plain_ratio(b))} | {b['rps'] / a['rps']:.2f} | "
            f"{qa} / {qb}{'' if qa == qb else ' ≠'} |"
        )
    lines += [
        "",
        "Data generation (bulk inserts): "
        + ", ".join(f"{n:,} people in {s:.1f} s" for n, s in section["generation"].items()),
        "",
        "## Name search plans at 100,000 people (the page's own queries, EXPLAIN ANALYZE)",
        "",
        "```",
        section["plan"],
        "```",
    ]
    return lines


def message_section_lines(results: dict) -> list[str]:
    return ["## Messages and the reminder sweep", "", *message_lines(results)]


# section name: (its rows in the Targets table, its own part of the report). A new
# section of bench/run.py adds its two functions here.
WRITERS = {
    "web": (web_targets, web_lines),
    "messages": (message_targets, message_section_lines),
    "rapid": (rapid_targets, rapid_lines),
    "slow3g": (slow3g.targets, slow3g.report_lines),
}


def write_report(report: dict) -> Path:
    sections = report["sections"]
    lines = [
        "# Benchmark results",
        "",
        f"Taken {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL and Redis on "
        f"loopback; `make bench` took {report['elapsed']:.0f} s"
        + (
            " (a partial run: `--only`; other sections are from an earlier run)."
            if report.get("partial")
            else "."
        ),
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    body: list[str] = []
    for name, (targets, part) in WRITERS.items():
        section = sections.get(name)
        if section is None:
            continue
        if "failed" in section:
            body += ["", f"## {name}", "", f"This section failed: {section['failed']}"]
            continue
        lines += targets(section)
        body += ["", *part(section)]
    if not report.get("partial"):
        _row(lines)(
            "`make bench` under 10 minutes",
            f"{report['elapsed'] / 60:.1f} min",
            report["elapsed"] < 600,
        )
    lines += body
    path = ROOT / "bench" / "results" / "latest.md"
    path.write_text("\n".join(lines) + "\n")
    update_readme(lines)
    print("\n".join(lines))
    return path


def update_readme(lines: list[str]) -> None:
    """Put this run's tables (not the plans) between the README's bench markers."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        return
    tables, skip = [], False
    for line in lines[2:]:  # without the title
        if line.startswith("## Name search"):
            skip = True
        elif line.startswith("## "):
            skip = False
        if not skip:
            tables.append(line.replace("## ", "#### ", 1) if line.startswith("## ") else line)
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(before + start + "\n" + "\n".join(tables).strip() + "\n" + end + after)
