"""Names the reports app's toggles are built from."""

SWITCH_NAMESPACE = "reports_switches"
