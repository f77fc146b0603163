#!/usr/bin/env python3
"""Print each benchmark group's mean times as ratios to `ocr` (smaller ocr is faster).

    python -m pytest bench --benchmark-enable --benchmark-json=bench.json
    python bench/ratios.py bench.json
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict


def main(path: str) -> None:
    groups: dict[str, dict[str, float]] = defaultdict(dict)
    for bench in json.load(open(path))["benchmarks"]:
        name = bench["param"] or bench["name"].split("[")[0].removeprefix("bench_")
        groups[bench["group"]][name] = bench["stats"]["mean"]
    for group, means in groups.items():
        ours = next((v for k, v in means.items() if "ocr" in k.split("_")), None)
        print(group)
        for name, mean in sorted(means.items(), key=lambda kv: kv[1]):
            ratio = f"  ocr/this = {ours / mean:5.3f}" if ours else ""
            print(f"  {name:28s} {mean * 1e3:10.2f} ms{ratio}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench.json")
