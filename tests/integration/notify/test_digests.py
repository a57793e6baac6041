"""Daily digests over a real SMTP server, across simulated days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import func, select

from kanta_docs.notify.deliveries import PENDING, SENT
from kanta_docs.notify.expiry import notify_expiries
from kanta_docs.notify.jobs import deliver_all
from kanta_docs.store.tables import Notification, User
from tests.integration.notify.conftest import BASE_URL, morning

if TYPE_CHECKING:
    from email.message import EmailMessage

    from tests.integration.notify.conftest import World

EXPIRY = date(2027, 3, 15)


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None and page is not None
    return text.get_content(), page.get_content()


def test_reminders_at_each_lead_time_go_to_the_right_recipients(world: World) -> None:
    acme_id = world.add_document("acme", "cni-dupont.pdf", "id_card", expires=EXPIRY)
    world.add_document("boreal", "passeport-durand.pdf", "passport", expires=EXPIRY)
    world.add_document("boreal", "autre.pdf", "id_card", expires=EXPIRY + timedelta(days=400))

    # 100 days before: nothing at all.
    assert world.day(EXPIRY - timedelta(days=100)) == 0
    assert world.smtp.inbox.messages == []

    for lead in (90, 30, 7, 0):
        world.smtp.inbox.clear()
        day = EXPIRY - timedelta(days=lead)
        assert world.day(day) == 4, lead  # admin, compliance officer, alice, bruno
        # The day after a lead time: nothing new, no mail.
        assert world.day(day + timedelta(days=1)) == 0
        inbox = world.smtp.inbox
        assert len(inbox.messages) == 4

        # Admin: one mail, both dossiers, grouped, in French, with the links.
        (admin_mail,) = inbox.to(world.emails["admin"], "digest")
        text, page = _parts(admin_mail)
        assert admin_mail["Subject"].startswith(
            f"kanta-docs : récapitulatif du {day:%d/%m/%Y} – 2 points à suivre")
        assert "Bonjour Admin," in text
        assert "■ ACME <Industries> & Fils (SIREN 552100554)" in text
        assert "■ Boréal Conseil (SIREN 732829320)" in text
        assert text.index("ACME") < text.index("Boréal") < text.index("passeport-durand.pdf")
        expected = ("expire aujourd'hui" if lead == 0
                    else f"expire dans {lead} jour{'s' if lead > 1 else ''}")
        assert f"Carte nationale d'identité : {expected}" in text
        assert f"Passeport : {expected}" in text
        assert f"fin de validité le {EXPIRY:%d/%m/%Y}" in text
        assert f"{BASE_URL}/dossiers/{world.dossiers['acme']}" in text
        assert f'href="{BASE_URL}/dossiers/{world.dossiers["boreal"]}"' in page
        assert "autre.pdf" not in text
        # Escaped HTML: the dossier name cannot inject markup.
        assert "ACME &lt;Industries&gt; &amp; Fils" in page
        assert "<Industries>" not in page
        assert '<html lang="fr">' in page

        (officer_mail,) = inbox.to(world.emails["conformite"], "digest")
        assert "ACME" in _parts(officer_mail)[0] and "Boréal" in _parts(officer_mail)[0]

        # A collaborator's digest holds only their dossiers.
        (alice_mail,) = inbox.to(world.emails["alice"], "digest")
        alice_text, alice_page = _parts(alice_mail)
        assert "cni-dupont.pdf" in alice_text and "Boréal" not in alice_text
        assert "1 point à suivre" in alice_mail["Subject"]
        assert "Boréal" not in alice_page
        (bruno_mail,) = inbox.to(world.emails["bruno"], "digest")
        assert "passeport-durand.pdf" in _parts(bruno_mail)[0]
        assert "ACME" not in _parts(bruno_mail)[0]

        # Every mail names its delivery, and offers a one-click unsubscribe.
        assert admin_mail["Message-ID"].endswith("@kanta-docs.local>")
        assert admin_mail["List-Unsubscribe"].startswith(f"<{BASE_URL}/unsubscribe?token=")
        assert admin_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # In-app: one notification per lead time and recipient of the document.
    with world.session() as db:
        count = db.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == world.users["alice"], Notification.kind == "expiry"))
        assert count == 4
        assert acme_id is not None


def test_running_the_scan_and_the_digest_twice_sends_one_mail(world: World) -> None:
    world.add_document("acme", "cni.pdf", "id_card", expires=EXPIRY)
    day = EXPIRY - timedelta(days=30)
    now = morning(day)
    assert notify_expiries(world.rt, day.isoformat(), now=now) == 3
    assert notify_expiries(world.rt, day.isoformat(), now=now) == 0
    assert world.day(day) == 3
    assert world.day(day) == 0
    assert deliver_all(world.rt, morning(day, 12)) == 0
    assert len(world.smtp.inbox.messages) == 3
    assert {d.status for d in world.deliveries("digest")} == {SENT}


def test_a_register_extract_that_gets_too_old_is_reported_once(world: World) -> None:
    world.add_document("boreal", "kbis.pdf", "kbis", dated=date(2026, 11, 27))
    world.set_settings(register_extract_max_months=3, recipients=["assigned_collaborator"])
    assert world.day(date(2027, 2, 27)) == 0  # still under three months
    assert world.day(date(2027, 2, 28)) == 1  # crosses the line today: bruno only
    assert world.day(date(2027, 3, 1)) == 0  # reported once, not every day
    (mail,) = world.smtp.inbox.to(world.emails["bruno"])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Extrait Kbis de plus de 3 mois" in text
    assert "daté du 27/11/2026" in text


def test_an_smtp_outage_leaves_deliveries_pending_then_sends_each_once(world: World) -> None:
    world.add_document("acme", "cni.pdf", "id_card", expires=EXPIRY)
    day = EXPIRY - timedelta(days=7)
    world.smtp.stop()
    assert world.day(day) == 3
    pending = world.deliveries("digest")
    assert [d.status for d in pending] == [PENDING] * 3
    assert all(d.attempts == 1 and "SMTP" in (d.last_error or "") for d in pending)

    # Still down at the next attempt: still pending, pushed back further.
    deliver_all(world.rt, morning(day, 9))
    assert {d.attempts for d in world.deliveries("digest")} == {2}

    world.smtp.start()
    assert deliver_all(world.rt, morning(day, 10)) == 3
    assert {d.status for d in world.deliveries("digest")} == {SENT}
    assert deliver_all(world.rt, morning(day, 11)) == 0
    assert world.day(day) == 0
    addresses = sorted(m["To"] for m in world.smtp.inbox.messages)
    assert addresses == sorted(world.emails[n] for n in ("admin", "conformite", "alice"))


def test_the_unsubscribe_link_stops_the_digest(world: World) -> None:
    world.add_document("acme", "cni.pdf", "id_card", expires=EXPIRY)
    world.day(EXPIRY - timedelta(days=90))
    (mail,) = world.smtp.inbox.to(world.emails["alice"])
    link = mail["List-Unsubscribe"].strip("<>")
    assert link in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    parts = urlsplit(link)

    # A tampered token is refused, with a French page.
    user_hex = world.users["alice"].hex
    forged = parts.query.replace(user_hex, world.users["bruno"].hex)
    refused = world.api.client.get(f"{parts.path}?{forged}")
    assert refused.status_code == 400
    assert "Lien invalide" in refused.text

    answer = world.api.client.get(f"{parts.path}?{parts.query}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert "Désabonnement enregistré" in answer.text
    assert world.api.client.get(f"{parts.path}?{parts.query}").status_code == 200  # again: ok

    world.smtp.inbox.clear()
    assert world.day(EXPIRY - timedelta(days=30)) == 2
    assert world.smtp.inbox.to(world.emails["alice"]) == []
    assert len(world.smtp.inbox.to(world.emails["admin"])) == 1
    # The in-app notification still reaches her.
    with world.session() as db:
        assert db.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == world.users["alice"])) == 2


def test_disabled_users_get_nothing(world: World) -> None:
    world.add_document("acme", "cni.pdf", "id_card", expires=EXPIRY)
    with world.session() as db:
        user = db.get(User, world.users["conformite"])
        assert user is not None
        user.disabled_at = morning(EXPIRY - timedelta(days=200))
    assert world.day(EXPIRY - timedelta(days=90)) == 2
    assert world.smtp.inbox.to(world.emails["conformite"]) == []


def test_the_digest_waits_for_the_firm_hour(world: World) -> None:
    from kanta_docs.notify.digest import send_digests

    world.add_document("acme", "cni.pdf", "id_card", expires=EXPIRY)
    world.set_settings(digest_hour=9)
    day = EXPIRY - timedelta(days=90)
    # Scheduled runs (no explicit day) before 09:00 Paris queue nothing; from 09:00 they do.
    assert send_digests(world.rt, now=morning(day, 8)) == 0
    assert send_digests(world.rt, now=morning(day, 9)) == 3
    assert send_digests(world.rt, now=morning(day, 10)) == 0


def test_idempotent_on_postgresql(pg_world: World) -> None:
    world = pg_world
    world.add_document("acme", "cni.pdf", "id_card", expires=EXPIRY)
    world.add_document("boreal", "passeport.pdf", "passport", expires=EXPIRY)
    day = EXPIRY - timedelta(days=7)
    assert world.day(day) == 4
    assert world.day(day) == 0
    assert notify_expiries(world.rt, day.isoformat(), now=morning(day)) == 0
    assert len(world.smtp.inbox.messages) == 4
    assert world.day(day + timedelta(days=1)) == 0
    assert len(world.smtp.inbox.messages) == 4
