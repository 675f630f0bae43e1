"""`polyvox analyse SUBCOMMAND …`: analytics on files, no database needed.

Each subcommand lives in its own module exposing `add_arguments(parser)` and `run(args) -> int`.
"""

import argparse
import importlib

SUBCOMMANDS = {
    "opinion-map": ("polyvox.analytics.opinion_map_cli", "Opinion groups from a Pol.is export"),
    "campaigns": ("polyvox.analytics.campaigns_cli", "Campaigns of near-duplicate submissions"),
    "decision": (
        "polyvox.analytics.decision_cli",
        "Decide on positions under one or more rule sets",
    ),
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="polyvox analyse", description=__doc__)
    subparsers = parser.add_subparsers(dest="subcommand", required=True)
    modules = {}
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        modules[name] = module
        module.add_arguments(subparsers.add_parser(name, help=help_text))
    args = parser.parse_args(argv)
    return int(modules[args.subcommand].run(args))
