"""Delivery of alerts and briefings through apprise (email over SMTP, Slack, Teams, Telegram,
generic json:// and form:// webhooks …), configured by URL in config/alerts.toml or
$DETENTE_ALERT_URLS, with bounded retries and backoff.

Each URL gets its own attempt, so a message that reached the mailbox but not the webhook is
retried on the webhook only. Email URLs (mailto://, mailtos://) get the HTML body, every other
service the plain text (core/alerts/message.py escapes feed text for both). A failure is
returned, never raised: delivery never stops polling, and an undelivered alert stays in the
database to be retried on the next round (core/alerts/runner.py)."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apprise

from core.alerts.message import Message
from core.config import CONFIG_DIR, ConfigError, line_of, load_toml, required_version

DEFAULT_ALERTS_PATH = CONFIG_DIR / "alerts.toml"
URLS_ENV = "DETENTE_ALERT_URLS"
CONFIG_ENV = "DETENTE_ALERTS_CONFIG"
DASHBOARD_ENV = "DETENTE_DASHBOARD_URL"
EMAIL_SCHEMES = ("mailto", "mailtos")


@dataclass(frozen=True)
class AlertSettings:
    """config/alerts.toml: where messages go and how hard to try."""

    urls: tuple[str, ...] = ()
    dashboard_url: str = "http://localhost:8501"
    tries_per_round: int = 3
    """Attempts per URL within one round, `backoff` seconds apart, doubling."""
    backoff: float = 2.0
    max_backoff: float = 30.0
    max_attempts: int = 12
    """Attempts over all rounds after which an alert is left undelivered (its error kept)."""
    brief_hour: int = 7
    """UTC hour after which `poll --every` sends the day's briefing once."""
    source: str = ""


def _int(path: Path, doc: dict[str, Any], key: str, low: int, high: int, default: int) -> int:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        line = line_of(path, key) or 1
        raise ConfigError(f"{path}:{line}: `{key}` must be a whole number from {low} to {high}")
    return value


def valid_url(url: str) -> bool:
    """Does apprise know how to send to this URL?"""
    return apprise.Apprise.instantiate(url, suppress_exceptions=True) is not None


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> AlertSettings:
    """Settings from `path` (else $DETENTE_ALERTS_CONFIG, else config/alerts.toml; a missing
    file means no delivery); $DETENTE_ALERT_URLS (URLs separated by spaces or commas) replaces
    the file's targets, $DETENTE_DASHBOARD_URL its dashboard_url. Errors name file and line."""
    env = dict(os.environ) if env is None else env
    path = path or Path(env.get(CONFIG_ENV) or DEFAULT_ALERTS_PATH)
    settings = AlertSettings(source=str(path))
    if path.exists():
        doc = load_toml(path)
        required_version(path, doc)
        targets = doc.get("target", [])
        if not isinstance(targets, list):
            raise ConfigError(f"{path}:{line_of(path, 'target') or 1}: use [[target]] tables")
        urls = []
        for index, target in enumerate(targets, start=1):
            url = target.get("url") if isinstance(target, dict) else None
            where = line_of(path, "[[target]]") or 1
            if not isinstance(url, str) or not url.strip():
                raise ConfigError(f'{path}:{where}: target {index} needs a `url = "..."`')
            where = line_of(path, url) or where
            if not valid_url(url.strip()):
                scheme = url.split(":", 1)[0][:20]
                raise ConfigError(
                    f"{path}:{where}: target {index}: apprise cannot send to a {scheme}:// URL"
                )
            urls.append(url.strip())
        dashboard = doc.get("dashboard_url", settings.dashboard_url)
        if not isinstance(dashboard, str) or not dashboard.startswith(("http://", "https://")):
            line = line_of(path, "dashboard_url") or 1
            raise ConfigError(f"{path}:{line}: `dashboard_url` must be an http(s):// URL")
        settings = AlertSettings(
            urls=tuple(urls),
            dashboard_url=dashboard,
            tries_per_round=_int(path, doc, "tries_per_round", 1, 10, 3),
            backoff=float(_int(path, doc, "backoff_seconds", 0, 600, 2)),
            max_attempts=_int(path, doc, "max_attempts", 1, 1000, 12),
            brief_hour=_int(path, doc, "brief_hour", 0, 23, 7),
            source=str(path),
        )
    listed = env.get(URLS_ENV, "").replace(",", " ").split()
    if listed:
        bad = [u.split(":", 1)[0][:20] for u in listed if not valid_url(u)]
        if bad:
            raise ConfigError(f"${URLS_ENV}: apprise cannot send to {', '.join(bad)}:// URLs")
        settings = _replace(settings, urls=tuple(listed), source=f"${URLS_ENV}")
    if env.get(DASHBOARD_ENV):
        settings = _replace(settings, dashboard_url=env[DASHBOARD_ENV])
    return settings


def _replace(settings: AlertSettings, **changes: Any) -> AlertSettings:
    import dataclasses

    return dataclasses.replace(settings, **changes)


def url_id(url: str) -> str:
    """A URL's identity in the database: a hash, so no password is stored beside the alert."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def is_email(url: str) -> bool:
    return url.split(":", 1)[0].lower() in EMAIL_SCHEMES


@dataclass
class DeliveryResult:
    """What one delivery of a message did: where it arrived, how many attempts, the last error."""

    delivered: list[str] = field(default_factory=list)
    """url_id of every URL that took the message."""
    attempts: int = 0
    error: str | None = None


def send_once(url: str, message: Message) -> str | None:
    """One attempt at one URL; None on success, else apprise's reason (one line)."""
    sender = apprise.Apprise()
    if not sender.add(url):
        return "apprise cannot send to this URL"
    email = is_email(url)
    capture = apprise.LogCapture(level=logging.WARNING, fmt="%(message)s")  # type: ignore[no-untyped-call]
    with capture as captured:
        try:
            ok = sender.notify(
                body=message.html if email else message.text,
                title=message.title,
                body_format=apprise.NotifyFormat.HTML if email else apprise.NotifyFormat.TEXT,
            )
        except Exception as exc:  # a plugin bug must not stop the round
            return f"{type(exc).__name__}: {exc}"
        log = captured.getvalue()
    if ok:
        return None
    lines = [line.strip() for line in str(log).splitlines() if line.strip()]
    reason = " | ".join(lines[-3:]) if lines else "delivery failed"
    return reason[:500]


def deliver(
    message: Message,
    urls: Sequence[str],
    settings: AlertSettings,
    *,
    done: Sequence[str] = (),
    sleep: Callable[[float], None] = time.sleep,
    failing: dict[str, str] | None = None,
) -> DeliveryResult:
    """Send `message` to every URL not in `done` (url_ids), each up to settings.tries_per_round
    times with doubling backoff (`sleep` is injectable: tests never sleep).

    `failing` (url_id → error), shared by the deliveries of one round, bounds the round's time:
    a URL that failed every try is not tried again for the next messages of the round (they
    keep its error and wait for the next round)."""
    result = DeliveryResult(delivered=list(done))
    errors = []
    failing = {} if failing is None else failing
    for url in urls:
        ident = url_id(url)
        if ident in result.delivered:
            continue
        scheme = url.split(":", 1)[0]
        if ident in failing:
            errors.append(f"{scheme}://…: not tried again this round: {failing[ident]}")
            continue
        delay = settings.backoff
        for attempt in range(settings.tries_per_round):
            if attempt:
                sleep(min(delay, settings.max_backoff))
                delay *= 2
            result.attempts += 1
            error = send_once(url, message)
            if error is None:
                result.delivered.append(ident)
                break
        else:
            failing[ident] = str(error)
            errors.append(f"{scheme}://…: {error}")
    result.error = "; ".join(errors) or None
    return result
