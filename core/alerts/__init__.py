"""Watches, alerts and the daily briefing (issue 12): pure rules (rules.py), pluggable checks
(checks.py), the runner after each poll round (runner.py), messages with hostile feed text
escaped (message.py), delivery through apprise (delivery.py) and the briefing (briefing.py).

Stands on core/storage (reads through `Store`) and the pure core/dashboard/url.py and
charts.py; imports no Streamlit."""
