"""The stored form of an opinion map: the engine's result as plain JSON (participant ids kept,
never published), the words that explain its axes, and the digest the record publishes."""

import hashlib
import json
from typing import Any

from polyvox.analytics.types import OpinionMap


def opinion_map_json(result: OpinionMap) -> dict[str, Any]:
    """The stored form of an engine result: plain JSON, participant ids included (never published)."""
    return {
        "participants": [
            {"id": int(pid), "x": float(xy[0]), "y": float(xy[1]), "group": int(g)}
            for pid, xy, g in zip(
                result.participant_ids.tolist(),
                result.coordinates,
                result.labels.tolist(),
                strict=True,
            )
        ],
        "groups": [
            {
                "id": g.id,
                "size": len(g.member_ids),
                "center": [g.center[0], g.center[1]],
                "representative": [
                    {
                        "statement_id": r.statement_id,
                        "direction": r.direction,
                        "probability": r.probability,
                        "repness": r.repness,
                    }
                    for r in g.representative
                ],
            }
            for g in result.groups
        ],
        "consensus": {
            direction: [
                {
                    "statement_id": c.statement_id,
                    "direction": c.direction,
                    "n_success": c.n_success,
                    "n_trials": c.n_trials,
                    "probability": c.p_success,
                    "p_test": c.p_test,
                }
                for c in picks
            ]
            for direction, picks in (
                ("agree", result.consensus.agree),
                ("disagree", result.consensus.disagree),
            )
        },
        "group_informed_consensus": [
            {"statement_id": c.statement_id, "direction": c.direction, "score": c.score}
            for c in result.group_informed_consensus
        ],
        "divisive": [
            {"statement_id": d.statement_id, "direction": "agree", "score": d.score}
            for d in result.divisive
        ],
        "axes": map_axes(result),
        "silhouette": float(result.silhouette),
        "n_base_clusters": int(result.n_base_clusters),
    }


AXIS_STATEMENTS = 2  # statements named per axis and direction on the map page


def map_axes(result: OpinionMap) -> list[dict[str, Any]]:
    """What moves people along each axis of the map, in statements: the largest loadings of each
    principal axis. A positive loading puts those who agreed to the right (horizontal) or up
    (vertical), a negative one those who disagreed; the page says it in words (issue 13)."""
    axes = []
    for k, (name, loadings) in enumerate(
        zip(("horizontal", "vertical"), result.components, strict=False)
    ):
        spread = [float(position[k]) for position in result.coordinates]
        if not spread or max(spread) - min(spread) < 1e-9:
            continue  # nobody is spread along this axis: it explains nothing
        order = sorted(range(len(loadings)), key=lambda j: (-abs(float(loadings[j])), j))
        picked = [j for j in order if abs(float(loadings[j])) > 1e-9]
        axes.append(
            {
                "axis": name,
                "statements": [
                    {
                        "statement_id": int(result.statement_ids[j]),
                        "loading": round(float(loadings[j]), 4),
                    }
                    for j in picked[: 2 * AXIS_STATEMENTS]
                ],
            }
        )
    return axes


def result_digest(result: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a stored result, published so the map can be verified."""
    canonical = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
