"""Rapid response: reports of raids, verification, zone alerts, the dispatch board, the
incident log and the hand-off to legal aid and the bond fund.

The flow, and where each step lives:

* reports come in by the public form (`views.public`), by SMS that answers no open
  question (`replies.possible_report`, registered with notifications'
  `routing.inbound_fallback`) or from a dispatcher on a call; `services.report_submit`
  groups them into incidents (same zone, within the hour) and texts the dispatchers
  on call (urgent queue; nothing ever goes to responders from a report);
* a dispatcher claims the incident (`services.incident_claim`; a stale claim can be
  taken over) and asks trained confirmers near the zone to go and look
  (`services.confirmers_ask`); their numbered reply (`replies.confirm_reply`) confirms;
* only a confirmed incident can be alerted (`services.alert_send`): vetted, trained
  responders of the zone with raid-alert consent, urgent, in their language, written
  in a constant number of statements; YES / SÍ / NO come back through
  `replies.alert_reply` and show on the board (`views.alerts`, htmx polling with ETag);
* updates, stand down and the all clear reach exactly the people the alert reached;
* the observer log and the hand-offs go through `handoff` (legal aid's and the bond
  fund's services, imported lazily);
* `services.reports_purge` (beat, hourly) removes reporters' numbers and report
  details after the committee's retention, keeping the counts.
"""
