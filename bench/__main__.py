"""`python -m bench [opinion-map|opinion-map-replay|campaigns|bulk-import|workbench|decisions|deadline-rush|pages|page-weight|indicators] [options]`: benchmarks vs baselines."""

import importlib
import sys

SUITES = {
    "opinion-map": "bench.opinion_map",  # ours vs red-dwarf (Pol.is reimplementation)
    "opinion-map-scale": "bench.opinion_map_scale",  # 100k and 1M participants from files on disk
    "opinion-map-replay": "bench.opinion_map_replay",  # ARI vs Pol.is with and without replay
    "campaigns": "bench.campaigns",  # ours vs datasketch and rensa, as their docs recommend
    "bulk-import": "bench.bulk_import",  # 100k submissions, before (7901c4d) vs after, DEBUG off
    "workbench": "bench.workbench",  # 100k inputs, every page variant vs the old unpaginated query
    "decisions": "bench.decisions",  # rules on 1M rows vs Counter; outcome pages at 100k positions
    "deadline-rush": "bench.deadline_rush",  # N clients submit at once: 4f0e580 vs serve+worker
    "pages": "bench.pages",  # every page, download and API list at 100k (1M) inputs vs 3fc13b4
    "page-weight": "bench.page_weight",  # each main page's bytes, compressed and not, vs e3d41e7
    "indicators": "bench.indicators",  # figures, page, API, report at 100k inputs vs read-all
}


def main(argv: list[str]) -> int:
    chosen = [argv[0]] if argv and argv[0] in SUITES else list(SUITES)
    rest = argv[1:] if argv and argv[0] in SUITES else argv
    status = 0
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        status |= importlib.import_module(SUITES[name]).main(rest)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
