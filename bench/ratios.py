#!/usr/bin/env python3
"""Print each benchmark group's mean times as ratios to `ocr` (smaller ocr is faster).

    python -m pytest bench --benchmark-enable --benchmark-json=bench.json
    python bench/ratios.py bench.json [mean|median|min]

The mean is the default; on a machine shared with other work, the median of the same
run is less swayed by another process's bursts.

Benchmarks that record the bytes they read and write (extra_info["bytes"]) also get
their throughput in GB/s.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict


def labels(benches: list[dict]) -> list[str]:
    """Each benchmark's name in its group: the function, or its parameter when one
    function is run for several contenders in the group (bench_page[tesserocr])."""
    funcs = [(b["group"], b["name"].split("[")[0].removeprefix("bench_")) for b in benches]
    return [b["param"] if b["param"] and funcs.count(f) > 1 else f[1]
            for b, f in zip(benches, funcs)]


def is_ours(name: str) -> bool:
    return "ocr" in re.split(r"[_\W]+", name)


def main(path: str, stat: str = "mean") -> None:
    benches = json.load(open(path))["benchmarks"]
    groups: dict[str, dict[str, tuple[float, int | None]]] = defaultdict(dict)
    for bench, name in zip(benches, labels(benches)):
        groups[bench["group"]][name] = (
            bench["stats"][stat], bench.get("extra_info", {}).get("bytes"))
    for group, means in groups.items():
        ours = next((mean for name, (mean, _) in means.items() if is_ours(name)), None)
        print(group)
        for name, (mean, nbytes) in sorted(means.items(), key=lambda kv: kv[1][0]):
            line = f"  {name:28s} {mean * 1e3:10.2f} ms"
            if ours:
                line += f"  ocr/this = {ours / mean:5.3f}"
            if nbytes:
                line += f"  {nbytes / mean / 1e9:6.2f} GB/s"
            print(line)


if __name__ == "__main__":
    main(*sys.argv[1:3]) if len(sys.argv) > 1 else main("bench.json")
