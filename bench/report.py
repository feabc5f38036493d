"""One Markdown table for every scenario, each bot beside the bare floor, and the ratios."""

from __future__ import annotations

from collections.abc import Sequence

from .load import Summary

HEADER = (
    "| Scenario | Bot | Interactions × repeats | Answered within 3 s (worst repeat) "
    "| Ack p50 | Ack p50, best – worst repeat | Ack p99 | Interactions/s | Bot CPU per interaction "
    "| Emulator + members CPU per interaction | Choices per answer |"
)


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _ratio(real: float, bare: float) -> str:
    return f"{real / bare:.1f}×" if bare > 0 else "n/a"


def row(scenario: str, label: str, s: Summary) -> str:
    share = 100 * s.within_3s / s.sent
    return (
        f"| {scenario} | {label} | {s.sent:,} × {s.repeats} | {s.within_3s:,} ({share:.0f} %) "
        f"| {_ms(s.p50_ms)} | {_ms(s.p50_range[0])} – {_ms(s.p50_range[1])} | {_ms(s.p99_ms)} | {s.per_second:,.0f} | {s.cpu_ms:.2f} ms "
        f"| {s.load_cpu_ms:.2f} ms | {f'{s.choices:.1f}' if s.choices else ''} |"
    )


def ratio_row(scenario: str, label: str, real: Summary, bare: Summary) -> str:
    return (
        f"| {scenario} | **{label} / bare** | | "
        f"| **{_ratio(real.p50_ms, bare.p50_ms)}** | | **{_ratio(real.p99_ms, bare.p99_ms)}** "
        f"| **{_ratio(real.per_second, bare.per_second)}** "
        f"| **{_ratio(real.cpu_ms, bare.cpu_ms)}** | | |"
    )


def print_table(sections: Sequence[tuple[str, dict[str, Summary]]]) -> None:
    """Each bot's row, then a ratio row for each against the floor listed before it (a label
    starting with "bare")."""
    print(HEADER)
    print("|" + "---|" * HEADER.count(" |"))
    for scenario, results in sections:
        for label, summary in results.items():
            print(row(scenario, label, summary))
        floor: Summary | None = None
        for label, summary in results.items():
            if label.startswith("bare"):
                floor = summary
            elif floor is not None:
                print(ratio_row(scenario, label, summary, floor))
