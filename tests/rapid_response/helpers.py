from rapid_response import services
from rapid_response.models import IncidentStatus, Report


def reported(committee, zone, *, where="5th St and Main", source=Report.Source.WEB, **kwargs):
    """A report (and its incident) in `zone`."""
    return services.report_submit(
        committee=committee,
        source=source,
        zone=zone,
        cross_streets=where,
        activity="Two vans, agents knocking on doors",
        **kwargs,
    )


def confirmed_incident(committee, zone, dispatcher_viewer, **kwargs):
    incident = reported(committee, zone, **kwargs).incident
    services.incident_status_set(
        actor=dispatcher_viewer, incident=incident, status=IncidentStatus.CONFIRMED
    )
    incident.refresh_from_db()
    return incident
