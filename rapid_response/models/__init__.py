from .alerts import Alert, AlertNotice, AlertRecipient, DispatcherShift
from .incidents import (
    ConfirmerRequest,
    FalseAlarmReason,
    Handoff,
    Incident,
    IncidentStatus,
    LogEntry,
    ObserverLog,
)
from .reports import Agency, DispatchSettings, Report

__all__ = [
    "Agency",
    "Alert",
    "AlertNotice",
    "AlertRecipient",
    "ConfirmerRequest",
    "DispatchSettings",
    "DispatcherShift",
    "FalseAlarmReason",
    "Handoff",
    "Incident",
    "IncidentStatus",
    "LogEntry",
    "ObserverLog",
    "Report",
]
