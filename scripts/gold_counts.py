"""Print the counts of gold question files per category, style, language and half, as
Markdown tables (pasted into tests/data/README.md).

    PYTHONPATH=src python scripts/gold_counts.py tests/data/*.jsonl
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from adviesqa.evaluate import CATEGORIES, HALVES, STYLES, GoldItem, gold_half, load_gold

NO_LABEL = "(none)"


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def is_split(items: list[GoldItem]) -> bool:
    """Whether the file follows the split rule's numbering: within each category the ids
    end in 1, 2, 3, ... (the old sets number their questions across categories)."""
    numbers: dict[str | None, list[int]] = {}
    for i in items:
        numbers.setdefault(i.category, []).append(int(i.id.rsplit("-", 1)[-1]) if "-" in i.id else -1)
    return None not in numbers and all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())


def _table(title: str, keys: list[str], key_of, items: list[GoldItem], halves: bool) -> list[str]:
    cols = list(HALVES) if halves else []
    counts = Counter((key_of(i), gold_half(i.id) if halves else "") for i in items)
    total = Counter(key_of(i) for i in items)
    lines = [_row([title, "total", *cols]), _row(["---"] * (2 + len(cols)))]
    lines += [_row([k, total[k], *[counts[(k, h)] for h in cols]]) for k in keys if total[k]]
    lines.append(_row(["**all**", len(items), *[sum(gold_half(i.id) == h for i in items) for h in cols]]))
    return lines


def report(path: Path) -> str:
    items = load_gold(path)
    halves = is_split(items)
    out = [f"### {path.name}: {len(items)} questions" + ("" if halves else " (not split into halves)"), ""]
    out += _table("category", [*CATEGORIES, NO_LABEL], lambda i: i.category or NO_LABEL, items, halves) + [""]
    if any(i.style for i in items):
        out += _table("style (all categories)", [*STYLES, NO_LABEL], lambda i: i.style or NO_LABEL, items, halves)
        out += [""]
        cells = Counter((i.category, i.style) for i in items if i.style)
        cats = [c for c in CATEGORIES if any(i.category == c and i.style for i in items)]
        out += [_row(["category \\ style", *STYLES]), _row(["---"] * (1 + len(STYLES)))]
        out += [_row([c, *[cells[(c, s)] for s in STYLES]]) for c in cats] + [""]
    langs = sorted({i.lang for i in items})
    out += _table("lang / answerable", [f"{lang} {a}" for lang in langs for a in ("answerable", "unanswerable")],
                  lambda i: f"{i.lang} {'answerable' if i.answerable else 'unanswerable'}", items, halves) + [""]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path, help="gold .jsonl files")
    args = ap.parse_args()
    print("\n".join(report(p) for p in args.files))


if __name__ == "__main__":
    main()
