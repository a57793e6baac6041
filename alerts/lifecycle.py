"""The life of an alert between two checks of the same dossier: what the store knows, what a
new check raised, and what changes.

Statuses: open -> acknowledged -> resolved | dismissed (open -> resolved | dismissed directly);
a person may reopen a closed alert. An open alert may be snoozed until a day: it is hidden until
that day and stays open. An alert closed with the outcome `false_positive` is remembered, so the
same fact does not come back at every check.

Two identities per alert:

- `Alert.key` names the fact ("Paul DURAND is not a declared owner"); it comes from the rules.
- `fingerprint(alert)` hashes what the fact says (who, which values): it tells "same fact again"
  from "the facts changed" (the RBE now says 45 % instead of 40 %).

Pure: values in, values out, no clock (the caller passes `today`) and no store.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from kanta_docs.errors import InvalidInput
from kanta_docs.text import fold
from kanta_docs.vocab import Severity

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from kanta_docs.assessment import Alert

FALSE_POSITIVE = "false_positive"  # the outcome that makes a closed fact stay closed

# Bumped whenever `fingerprint` hashes differently. A stored fingerprint of another version
# cannot be compared, so it never counts as "the facts changed" (an upgrade would otherwise
# reopen every alert a person has closed): `reconcile` refreshes it with an `update` instead.
FINGERPRINT_VERSION = "fp1"

# Days to deal with an alert, by severity (`due_date`).
# - high, 7: undeclared or unregistered beneficial owners and expired identity documents block
#   the vigilance duties (CMF L.561-5, L.561-6) and a divergence must be reported to the greffe
#   without undue delay (L.561-47-1); a week leaves time to ask the client once and chase once.
# - medium, 30: share, identity or officer mismatches need the client's answer, not an urgent
#   report; one monthly bookkeeping cycle, when the collaborator meets the client anyway.
# - low, 90: the contract's `id_document_expiring` window is 90 days, so a low alert is due no
#   later than the document it announces expires.
DEFAULT_SLA_DAYS: Mapping[Severity, int] = MappingProxyType(
    {Severity.HIGH: 7, Severity.MEDIUM: 30, Severity.LOW: 90})


class AlertStatus(StrEnum):
    """Where an alert is in its life."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # a person is on it
    RESOLVED = "resolved"  # the fact was dealt with (by a person, or gone: `auto_resolved`)
    DISMISSED = "dismissed"  # a person judged it needs no action

    @property
    def is_active(self) -> bool:
        """Whether the alert still waits for a person (open or acknowledged)."""
        return self is AlertStatus.OPEN or self is AlertStatus.ACKNOWLEDGED


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """What the store knows about one alert of a dossier."""

    key: str
    fingerprint: str
    status: AlertStatus
    outcome: str | None = None  # why it was closed, e.g. FALSE_POSITIVE; None while active
    snoozed_until: date | None = None  # hidden until that day (open alerts only)
    auto_resolved: bool = False  # closed because a check no longer raised it, not by a person


@dataclass(frozen=True, slots=True)
class Transition:
    """What one re-evaluation does to one alert."""

    key: str
    action: Literal["open", "reopen", "update", "auto_resolve", "keep"]
    to_status: AlertStatus
    reason: str  # French, for the alert's history
    alert: Alert | None  # the new alert for open / reopen / update; None otherwise


LifecycleAction = Literal["acknowledge", "resolve", "dismiss", "reopen", "snooze"]

_ACTIVE = frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED})
_CLOSED = frozenset({AlertStatus.RESOLVED, AlertStatus.DISMISSED})
# The statuses each person action applies to. Snooze is for open alerts only: an acknowledged
# alert has someone on it, and hiding it would hide that work from the team.
_ALLOWED_FROM: Mapping[LifecycleAction, frozenset[AlertStatus]] = MappingProxyType({
    "acknowledge": frozenset({AlertStatus.OPEN}),
    "resolve": _ACTIVE,
    "dismiss": _ACTIVE,
    "reopen": _CLOSED,
    "snooze": frozenset({AlertStatus.OPEN}),
})


# --- fingerprint -----------------------------------------------------------------------------

# Connecting words of the evidence texts the rules write themselves ("né(e) le 12/03/1970",
# "expire le …", "selon …"): wording, not values, so rewriting them must not look like new facts.
_CONNECTORS = frozenset({
    "a", "au", "aux", "d", "de", "des", "du", "e", "en", "et", "l", "la", "le", "les", "ne",
    "nee", "selon", "soit", "expire", "expiree", "declare", "declaree",
})
_DAY_FR = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
# French thousands separators ("10 000", with a normal or narrow no-break space) before folding
# splits them, so "10 000" and "10000" are one value.
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
_DECIMAL = re.compile(r"\b(\d+)[.,](\d+)\b")


def fingerprint(alert: Alert) -> str:
    """What `alert` says, hashed: its type, subject and the values its evidence quotes.

    Left out, so that they never make an old fact look new: the message (French wording that
    may be rewritten), the severity (a judgement on the fact, not the fact), the order of the
    evidence, the file names and pages (the same extract re-uploaded under another name says
    the same thing), and case, accents, punctuation and number formatting ("60 %", "60,00 %").
    """
    subject = alert.subject
    payload = {
        "type": alert.type.value,
        "subject": None if subject is None else [
            fold(subject.last_name or ""), fold(subject.first_names or ""),
            subject.birth_date.isoformat() if subject.birth_date else "",
            subject.file or ""],
        "evidence": sorted({_values_of(e.text) for e in alert.evidence if e.text.strip()}),
    }
    canonical = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return f"{FINGERPRINT_VERSION}:{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"


def _values_of(text: str) -> str:
    """The value words of one evidence text, in order: "DUPONT Jean, né(e) le 12/03/1970" ->
    "dupont jean 1970-03-12"."""
    text = _DAY_FR.sub(lambda m: f" {m[3]}-{int(m[2]):02d}-{int(m[1]):02d} ", text)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub(lambda m: _number(m[1], m[2]), text)
    # fold() keeps apostrophes for cue matching; here "l'extrait" is the connector "l" + a word.
    tokens = fold(text).replace("'", " ").split()
    return " ".join(t for t in tokens if t not in _CONNECTORS)


def _number(whole: str, fraction: str) -> str:
    """"33,50" -> "33p5", "60,00" -> "60": one spelling per value, kept in a single token."""
    fraction = fraction.rstrip("0")
    return f"{int(whole)}p{fraction}" if fraction else str(int(whole))


def _version_of(fp: str) -> str:
    return fp.split(":", 1)[0] if ":" in fp else ""


# --- re-evaluation ---------------------------------------------------------------------------


def reconcile(stored: Sequence[StoredAlert], raised: Sequence[Alert]) -> list[Transition]:
    """The transitions a new check makes: one per raised alert (in raised order), then one per
    stored alert the check did not raise (in stored order).

    Rules, for a raised alert:

    - unknown key: `open`;
    - open or acknowledged: `keep`, or `update` (same status, new evidence) when the facts
      changed;
    - stored with a fingerprint of another FINGERPRINT_VERSION: `update`, whatever the status
      (the two cannot be compared, so nothing is reopened; the new fingerprint is stored);
    - resolved or dismissed by a person: `keep` while the facts are the same, `reopen` when
      they changed. A false positive follows the same rule, by design: it is remembered for
      this fact (key) as long as the fact says the same thing; if the values change (another
      percentage, another birth date) it is a new finding a person must see again;
    - resolved automatically (the fact had disappeared): `reopen`, since nobody judged it.

    For a stored alert not raised any more: `auto_resolve` if it was open or acknowledged (with
    a reason for the history), `keep` if it was closed. A closed alert's stored fingerprint is
    thereby kept, so a false positive that disappears and comes back unchanged stays closed.

    Raises:
        InvalidInput: two raised alerts, or two stored alerts, share a key.
    """
    known = _by_key(stored, "stored")
    raised_keys = {a.key for a in raised}
    if len(raised_keys) != len(raised):
        raise InvalidInput("two raised alerts share a key; merge them by fact before reconciling")
    transitions = [_for_raised(known.get(alert.key), alert) for alert in raised]
    for s in stored:
        if s.key in raised_keys:
            continue
        if s.status.is_active:
            transitions.append(Transition(
                s.key, "auto_resolve", AlertStatus.RESOLVED,
                "Le fait n'est plus constaté : la dernière vérification du dossier ne le relève "
                "plus (document ou déclaration corrigé).", None))
        else:
            transitions.append(Transition(s.key, "keep", s.status, "Alerte close, fait absent.",
                                          None))
    return transitions


def _by_key(stored: Sequence[StoredAlert], what: str) -> dict[str, StoredAlert]:
    by_key = {s.key: s for s in stored}
    if len(by_key) != len(stored):
        raise InvalidInput(f"two {what} alerts share a key; the store must hold one per fact")
    return by_key


def _for_raised(current: StoredAlert | None, alert: Alert) -> Transition:
    """The transition for one raised alert, given what the store knows under its key."""
    if current is None:
        return Transition(alert.key, "open", AlertStatus.OPEN, "Nouveau fait constaté.", alert)
    new_fp = fingerprint(alert)
    if current.auto_resolved and not current.status.is_active:
        return Transition(alert.key, "reopen", AlertStatus.OPEN,
                          "Le fait est de nouveau constaté après sa résolution automatique.",
                          alert)
    if _version_of(current.fingerprint) != _version_of(new_fp):
        return Transition(alert.key, "update", current.status,
                          "Empreinte du fait recalculée (nouvelle méthode) : statut inchangé.",
                          alert)
    changed = current.fingerprint != new_fp
    if current.status.is_active:
        if changed:
            return Transition(alert.key, "update", current.status,
                              "Les éléments du fait ont changé : pièces justificatives mises "
                              "à jour.", alert)
        return Transition(alert.key, "keep", current.status, "Fait toujours constaté.", None)
    if changed:
        was = ("marqué comme faux positif" if current.outcome == FALSE_POSITIVE
               else "clos par un collaborateur")
        return Transition(alert.key, "reopen", AlertStatus.OPEN,
                          f"Rouverte : le fait, {was}, a changé depuis.", alert)
    reason = ("Faux positif mémorisé : le même fait n'est pas relevé de nouveau."
              if current.outcome == FALSE_POSITIVE
              else "Fait inchangé depuis sa clôture par un collaborateur.")
    return Transition(alert.key, "keep", current.status, reason, None)


def apply_transition(current: StoredAlert | None, transition: Transition) -> StoredAlert | None:
    """The stored alert after `transition`; None when there is nothing to store (a `keep` or
    `auto_resolve` of an alert the store does not know).

    `update` and `reopen` lift a snooze: the facts changed, so a person must see them now.
    `update` keeps the status, also of a closed alert (fingerprint of an older version).
    `reopen` also forgets the outcome, which belonged to the closed episode.
    """
    alert = transition.alert
    if transition.action in ("open", "reopen", "update"):
        if alert is None:
            raise InvalidInput(f"a '{transition.action}' transition must carry its alert")
        fp = fingerprint(alert)
        if transition.action == "update" and current is not None:
            return replace(current, fingerprint=fp, snoozed_until=None)
        return StoredAlert(key=transition.key, fingerprint=fp, status=AlertStatus.OPEN)
    if current is None:
        return None
    if transition.action == "auto_resolve":
        return replace(current, status=AlertStatus.RESOLVED, auto_resolved=True,
                       snoozed_until=None, outcome=None)
    return current


# --- person actions --------------------------------------------------------------------------


def apply_action(current: StoredAlert, action: LifecycleAction, *,
                 justification: str | None = None, until: date | None = None,
                 outcome: str | None = None) -> StoredAlert:
    """The stored alert after a person's `action`.

    `resolve` and `dismiss` need a justification (kept by the caller in the history) and may
    record an `outcome` (FALSE_POSITIVE to stop the same fact coming back). `snooze` needs
    `until`. Acknowledging, resolving or dismissing lifts a snooze; reopening forgets the
    outcome and the automatic resolution.

    Raises:
        InvalidInput: the action is not allowed from the current status, or a required
            argument is missing, or an argument the action does not take is given.
    """
    if action not in _ALLOWED_FROM:
        raise InvalidInput(f"unknown alert action '{action}'; "
                           f"use one of {', '.join(_ALLOWED_FROM)}")
    sources = _ALLOWED_FROM[action]
    if current.status not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise InvalidInput(f"cannot {action} an alert that is {current.status.value}; "
                           f"'{action}' applies to alerts that are {allowed}")
    if until is not None and action != "snooze":
        raise InvalidInput(f"'until' is only for snooze, not for {action}")
    if outcome is not None and action not in ("resolve", "dismiss"):
        raise InvalidInput(f"an outcome is recorded when resolving or dismissing, not on {action}")
    if action in ("resolve", "dismiss"):
        if justification is None or not justification.strip():
            raise InvalidInput(f"a justification is required to {action} an alert: say what "
                               "was checked or why no action is needed")
        if outcome is not None and not outcome.strip():
            raise InvalidInput("the outcome is empty; leave it out or name it, "
                               f"e.g. '{FALSE_POSITIVE}'")
        status = AlertStatus.RESOLVED if action == "resolve" else AlertStatus.DISMISSED
        return replace(current, status=status, outcome=outcome.strip() if outcome else None,
                       snoozed_until=None, auto_resolved=False)
    if action == "snooze":
        if until is None:
            raise InvalidInput("snooze needs 'until': the day the alert shows again")
        return replace(current, snoozed_until=until)
    if action == "reopen":
        return replace(current, status=AlertStatus.OPEN, outcome=None, snoozed_until=None,
                       auto_resolved=False)
    return replace(current, status=AlertStatus.ACKNOWLEDGED, snoozed_until=None)


def is_hidden(alert: StoredAlert, today: date) -> bool:
    """Whether a snooze hides `alert` on `today` (it shows again on the `snoozed_until` day)."""
    return (alert.status is AlertStatus.OPEN and alert.snoozed_until is not None
            and today < alert.snoozed_until)


def due_date(severity: Severity, created: date,
             sla_days: Mapping[Severity, int] = DEFAULT_SLA_DAYS) -> date:
    """The day an alert raised on `created` should be dealt with; a severity missing from
    `sla_days` takes its default (DEFAULT_SLA_DAYS).

    Raises:
        InvalidInput: a negative number of days.
    """
    days = sla_days.get(severity, DEFAULT_SLA_DAYS[severity])
    if days < 0:
        raise InvalidInput(f"the deadline for {severity.value} alerts is negative ({days} days)")
    return created + timedelta(days=days)
