"""Models of the workflows app: candidates and maps, then plans, data and reviews."""

from .ingest import IngestedRun, IngestEndpoint, N8nConnection, RunSource
from .maps import CandidateWorkflow, Step, WorkflowMap
from .reviews import (
    ColumnMapping,
    DataImport,
    DownstreamEvent,
    Milestone,
    Opportunity,
    Plan,
    Review,
    RunDay,
    SpendMonth,
)

__all__ = [
    "CandidateWorkflow",
    "ColumnMapping",
    "DataImport",
    "DownstreamEvent",
    "IngestEndpoint",
    "IngestedRun",
    "Milestone",
    "N8nConnection",
    "Opportunity",
    "Plan",
    "Review",
    "RunDay",
    "RunSource",
    "SpendMonth",
    "Step",
    "WorkflowMap",
]
