"""Models of the workflows app: candidates and maps, then plans, data and reviews."""

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
    "Milestone",
    "Opportunity",
    "Plan",
    "Review",
    "RunDay",
    "SpendMonth",
    "Step",
    "WorkflowMap",
]
