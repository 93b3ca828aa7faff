"""Default escalation: the procedure's pathway for a concern."""

from __future__ import annotations

from procedurekit.hookspecs import hookimpl
from procedurekit.model import Case, PathwayDecision, Procedure


@hookimpl(trylast=True)
def procedurekit_escalation_pathway(
    procedure: Procedure, concern: str | None, case: Case | None
) -> PathwayDecision | None:
    pathways = procedure.pathways
    chosen = None
    if concern:
        wanted = concern.lower()
        for pathway_id, pathway in pathways.items():
            if wanted == pathway_id or (pathway.concern and wanted in pathway.concern.lower()):
                chosen, reason = pathway_id, f'pathway "{pathway_id}" is for {pathway.concern or pathway_id}'
                break
    if chosen is None and len(pathways) == 1:
        chosen = next(iter(pathways))
        reason = f'"{chosen}" is the procedure\'s only escalation pathway'
    if chosen is None:
        return None
    pathway = pathways[chosen]
    return PathwayDecision(pathway=chosen, steps=pathway.steps, reason=reason, source=pathway.source)
