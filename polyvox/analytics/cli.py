"""`polyvox analyse SUBCOMMAND …`: analytics on files, no database needed.

Each subcommand lives in its own module exposing `add_arguments(parser)` and `run(args) -> int`.
"""

import argparse
import importlib

SUBCOMMANDS = {
    "opinion-map": ("polyvox.analytics.opinion_map_cli", "Opinion groups from a Pol.is export"),
    "compare-polis": (
        "polyvox.analytics.polis_compare_cli",
        "How Polyvox's opinion map agrees with Pol.is's own math output",
    ),
    "bridging": (
        "polyvox.analytics.bridging_cli",
        "Bridging scores (matrix factorisation) beside group-informed consensus",
    ),
    "campaigns": ("polyvox.analytics.campaigns_cli", "Campaigns of near-duplicate submissions"),
    "decision": (
        "polyvox.analytics.decision_cli",
        "Decide on positions under one or more rule sets",
    ),
    "indicators": (
        "polyvox.analytics.indicators_cli",
        "Participation, responsiveness and concentration indicators from counts",
    ),
}


def main(argv: list[str]) -> int:
    """Only the chosen subcommand's module is imported (numpy and scipy load only where needed);
    every subcommand is still listed in `--help`."""
    parser = argparse.ArgumentParser(prog="polyvox analyse", description=__doc__)
    subparsers = parser.add_subparsers(dest="subcommand", required=True)
    chosen = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    module = None
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        subparser = subparsers.add_parser(name, help=help_text)
        if name == chosen:
            module = importlib.import_module(module_name)
            module.add_arguments(subparser)
    args = parser.parse_args(argv)
    if module is None:  # the subcommand came after an option: parse again with its arguments
        return main([args.subcommand, *(a for a in argv if a != args.subcommand)])
    return int(module.run(args))
