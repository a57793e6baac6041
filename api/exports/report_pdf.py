"""The "Rapport LCB-FT" of one dossier as a PDF (reportlab platypus, A4, in French).

Fonts: the PDF standard Helvetica, which a viewer always has and which covers Windows-1252
(accents, « » ’ œ € …). Text is reduced to that character set before rendering (`_safe`): a
character outside it would come out as a blank or a box, so it becomes its closest Latin form or
"?". The report reads only the snapshot, so it cannot show another dossier's data.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from alerts.persons import MatchKind, PersonRef, compare_persons
from api.exports.wording import (
    ALERT_STATUS_FR,
    ALERT_TYPE_FR,
    CRITERION_FR,
    DOC_STATE_FR,
    DOC_TYPE_FR,
    OUTCOME_FR,
    SEVERITY_FR,
    VALIDITY_FR,
    Validity,
    day_fr,
    document_validity,
    label,
    level_fr,
    moment_fr,
    paris_day,
    pct_fr,
    role_fr,
    siren_fr,
    vigilance_fr,
)
from kanta_docs.store.repositories import SYSTEM_ACTOR
from kanta_docs.store.tables import AlertStatus, DocState
from kanta_docs.vocab import IDENTITY_TYPES, DocType

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from api.exports.snapshot import AlertSnapshot, DocumentSnapshot, DossierSnapshot

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT, FONT_BOLD, FONT_ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
_GREY = colors.HexColor("#E6E6E6")
_LINE = colors.HexColor("#808080")

# Characters outside Windows-1252 that French text commonly holds, and their stand-ins.
_REPLACEMENTS = str.maketrans({
    "\u202f": "\u00a0",  # narrow no-break space ("40 %") -> no-break space
    "\u2009": " ", "\u2007": " ", "\u200b": "",
    "\u2011": "-", "\u2010": "-", "\u2212": "-",
    "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=",
    "\u2715": "x", "\u2713": "v",
    # Letters with a stroke have no decomposition to fall back on.
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i",
})

_BASE = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
_SMALL = ParagraphStyle("small", parent=_BASE, fontSize=8, leading=10)
_SMALL_BOLD = ParagraphStyle("small_bold", parent=_SMALL, fontName=FONT_BOLD)
_NOTE = ParagraphStyle("note", parent=_SMALL, fontName=FONT_ITALIC, textColor=colors.HexColor(
    "#444444"))
_TITLE = ParagraphStyle("title", parent=_BASE, fontName=FONT_BOLD, fontSize=20, leading=24,
                        spaceAfter=4)
_SUBTITLE = ParagraphStyle("subtitle", parent=_BASE, fontSize=12, leading=15, spaceAfter=2)
# Headings keep with what follows: a heading alone at a page's foot reads as a missing section.
_H1 = ParagraphStyle("h1", parent=_BASE, fontName=FONT_BOLD, fontSize=13, leading=16,
                     spaceBefore=12, spaceAfter=6, keepWithNext=1)
_H2 = ParagraphStyle("h2", parent=_BASE, fontName=FONT_BOLD, fontSize=10.5, leading=13,
                     spaceBefore=8, spaceAfter=4, keepWithNext=1)
_RIGHT = ParagraphStyle("right", parent=_SMALL, alignment=TA_RIGHT)


def render_dossier_report(s: DossierSnapshot) -> bytes:
    """The dossier's "Rapport LCB-FT" as PDF bytes.

    Sections: 1 identification of the client, 2 beneficial owners and officers (with their
    identity document), 3 documents and their validity, 4 alerts and their treatment, 5 risk
    level and vigilance, 6 risk history. Every page carries the firm, the client, the
    generation date and author, and "Page N / M". Documents are judged on the Paris day of
    `s.generated_at`.

    Args:
        s: the dossier snapshot.

    Returns:
        The PDF file's bytes (serve as application/pdf).
    """
    client = s.dossier.name or "client sans nom"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 8 * mm,
        bottomMargin=MARGIN + 6 * mm, title=_safe(f"Rapport LCB-FT — {client}"),
        author=_safe(s.generated_by), subject=_safe(f"Dossier LCB-FT de {client} ({s.firm_name})"),
        creator="kanta-docs", lang="fr-FR")
    decor = _Decor(
        left_top=_safe(s.firm_name),
        right_top=_safe(f"Rapport LCB-FT — {client}"
                        + (f" — SIREN {siren_fr(s.dossier.siren)}" if s.dossier.siren else "")),
        left_bottom=_safe(f"Généré le {moment_fr(s.generated_at)} par {s.generated_by}"),
    )
    as_of = paris_day(s.generated_at)
    story: list[Flowable] = []
    story += _cover(s, client)
    story += _identification(s)
    story += _people(s, as_of)
    story += _documents(s, as_of)
    story += _alerts(s)
    story += _risk(s)
    story += _risk_history(s)
    doc.build(story, canvasmaker=lambda *args, **kwargs: _NumberedCanvas(
        *args, decor=decor, **kwargs))
    return buffer.getvalue()


# -- text helpers ------------------------------------------------------------------------------


def _safe(text: object) -> str:
    """Text reduced to what Helvetica (Windows-1252) renders; control characters become spaces."""
    raw = "" if text is None else str(text)
    raw = unicodedata.normalize("NFC", raw).translate(_REPLACEMENTS)
    out: list[str] = []
    for ch in raw:
        if ch == "\n" or (ch >= " " and ch != "\x7f" and _encodable(ch)):
            out.append(ch)
        elif unicodedata.category(ch).startswith("C"):
            out.append(" ")
        else:
            # "ł" -> "l", "ș" -> "s": the base letter without the mark, else a visible "?".
            base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                           if not unicodedata.combining(c) and _encodable(c))
            out.append(base or "?")
    return "".join(out)


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _markup(text: object) -> str:
    # Paragraph text is XML-ish markup: escape it, keep the line breaks a person typed.
    return escape(_safe(text)).replace("\n", "<br/>")


def _p(text: object, style: ParagraphStyle = _SMALL) -> Paragraph:
    return Paragraph(_markup(text), style)


def _labelled(name: str, value: object, style: ParagraphStyle = _BASE) -> Paragraph:
    return Paragraph(f"<b>{_markup(name)} :</b> {_markup(value)}", style)


def _or_dash(value: str | None) -> str:
    return value if value else "—"


def _table(header: list[str], rows: list[list[object]], widths: list[float]) -> Table:
    """A table whose header repeats on every page it spans; cells wrap."""
    data: list[list[Any]] = [[_p(h, _SMALL_BOLD) for h in header]]
    data += [[c if isinstance(c, Paragraph) else _p(c) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), _GREY),
        ("GRID", (0, 0), (-1, -1), 0.25, _LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _cols(*fractions: float) -> list[float]:
    return [CONTENT_WIDTH * f for f in fractions]


def _name(p: dict[str, Any] | None) -> str:
    if not p:
        return ""
    return " ".join(str(x) for x in (p.get("first_names"), p.get("last_name")) if x)


# -- page decoration ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Decor:
    left_top: str
    right_top: str
    left_bottom: str


class _NumberedCanvas(canvas.Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Draws the header and "Page N / M" once the page count is known (pages kept until save)."""

    def __init__(self, *args: Any, decor: _Decor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        """Keep the page's state; it is drawn in `save` when the total is known."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Decorate every kept page with its number and the total, then write the file."""
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        d = self._decor
        self.saveState()
        self.setStrokeColor(_LINE)
        self.setLineWidth(0.4)
        top = PAGE_HEIGHT - MARGIN
        self.setFont(FONT_BOLD, 8)
        self.drawString(MARGIN, top, _fit(d.left_top, FONT_BOLD, 8, CONTENT_WIDTH * 0.35))
        self.setFont(FONT, 8)
        self.drawRightString(PAGE_WIDTH - MARGIN, top,
                             _fit(d.right_top, FONT, 8, CONTENT_WIDTH * 0.63))
        self.line(MARGIN, top - 3, PAGE_WIDTH - MARGIN, top - 3)
        bottom = MARGIN
        self.line(MARGIN, bottom + 9, PAGE_WIDTH - MARGIN, bottom + 9)
        self.setFont(FONT, 7.5)
        self.drawString(MARGIN, bottom, _fit(d.left_bottom, FONT, 7.5, CONTENT_WIDTH * 0.5))
        self.drawCentredString(PAGE_WIDTH / 2 + 20 * mm, bottom, "Document confidentiel")
        self.drawRightString(PAGE_WIDTH - MARGIN, bottom, f"Page {number} / {total}")
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis so that it fits `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


# -- sections ----------------------------------------------------------------------------------


def _cover(s: DossierSnapshot, client: str) -> list[Flowable]:
    open_alerts = sum(a.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED) for a in s.alerts)
    lines: list[Flowable] = [
        _p("Rapport LCB-FT", _TITLE),
        _p(client, _SUBTITLE),
        _labelled("Cabinet", s.firm_name),
        _labelled("Établi le", f"{moment_fr(s.generated_at)} par {s.generated_by}"),
    ]
    if s.risk is not None:
        retained = (s.risk.override or {}).get("level") or s.risk.level
        lines.append(_labelled("Synthèse", (
            f"risque {level_fr(retained)}, vigilance {vigilance_fr(s.risk.vigilance)} ; "
            f"{len(s.alerts)} alerte(s), dont {open_alerts} en cours de traitement.")))
    else:
        lines.append(_labelled("Synthèse", (
            f"risque non évalué ; {len(s.alerts)} alerte(s), dont {open_alerts} en cours de "
            "traitement.")))
    lines.append(_p("Ce rapport présente l'état du dossier à la date indiquée : données "
                    "déclarées par le cabinet, documents reçus, alertes relevées et leur "
                    "traitement, évaluation du risque.", _NOTE))
    return lines


def _company_source(s: DossierSnapshot) -> DocumentSnapshot | None:
    """The document the company's register data is taken from: newest Kbis, else RBE, statuts."""
    for doc_type in (DocType.KBIS, DocType.RBE, DocType.STATUTS):
        candidates = [d for d in s.documents if d.doc_type == doc_type and d.result
                      and d.result.get("company") and d.state == DocState.PROCESSED]
        if candidates:
            return max(candidates, key=lambda d: (d.document_date is not None,
                                                  d.document_date, d.created_at))
    return None


def _identification(s: DossierSnapshot) -> list[Flowable]:
    client = (s.declared.data.get("client") or {}) if s.declared else {}
    source = _company_source(s)
    company: dict[str, Any] = ((source.result or {}).get("company") or {}) if source else {}
    declared_form, register_form = client.get("legal_form"), company.get("legal_form")
    if declared_form and register_form and declared_form != register_form:
        legal_form = f"{declared_form} (déclarée) ; {register_form} (selon le registre)"
    else:
        legal_form = declared_form or register_form or "non connue"
    siren = s.dossier.siren or client.get("siren") or company.get("siren")
    capital = company.get("capital_eur")
    rows: list[list[object]] = [
        ["Dénomination", s.dossier.name],
        ["SIREN", siren_fr(siren) or "non connu"],
        ["Forme juridique", legal_form],
        ["Siège social", company.get("address") or "non connu"],
        ["Capital", f"{capital:,.2f} €".replace(",", " ").replace(".", ",")
         if isinstance(capital, int | float) else "non connu"],
        ["Code NAF", client.get("naf") or "non connu"],
        ["Pays", client.get("country") or "non connu"],
        ["Mission", str(client.get("mission") or "non précisée").replace("_", " ")],
    ]
    if source is not None:
        rows.append(["Source des données du registre",
                     f"{label(DOC_TYPE_FR, source.doc_type)} « {source.file_name} »"
                     + (f" du {day_fr(source.document_date)}" if source.document_date else "")])
    if s.declared is not None:
        rows.append(["Données déclarées", f"version {s.declared.version}, modifiée le "
                     f"{moment_fr(s.declared.changed_at)} par {s.declared.changed_by}"])
    return [_p("1. Identification du client", _H1),
            _table(["Élément", "Valeur"], rows, _cols(0.3, 0.7))]


def _identity_docs(person: dict[str, Any], documents: tuple[DocumentSnapshot, ...],
                   as_of: date) -> str:
    """The identity documents whose holder is this declared person, described in French."""
    ref = PersonRef(last_name=person.get("last_name"), first_names=person.get("first_names"),
                    birth_date=_date(person.get("birth_date")))
    found = []
    for d in documents:
        identity = (d.result or {}).get("identity")
        if d.doc_type not in IDENTITY_TYPES or not identity:
            continue
        holder = PersonRef(last_name=identity.get("last_name"),
                           first_names=identity.get("first_names"),
                           birth_date=_date(identity.get("birth_date")))
        if compare_persons(ref, holder).kind is not MatchKind.SAME:
            continue
        end = d.effective_expiry_date or d.expiry_date
        found.append(f"{label(DOC_TYPE_FR, d.doc_type)} « {d.file_name} »"
                     + (f", valable jusqu'au {day_fr(end)}" if end else "")
                     + f" ({VALIDITY_FR[document_validity(d, as_of)]})")
    return "\n".join(found) if found else "aucune pièce au dossier"


def _date(value: object) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _people(s: DossierSnapshot, as_of: date) -> list[Flowable]:
    out: list[Flowable] = [_p("2. Bénéficiaires effectifs et dirigeants", _H1)]
    if s.declared is None:
        out.append(_p("Aucune donnée déclarée pour ce dossier.", _BASE))
        return out
    owners = s.declared.data.get("beneficial_owners") or []
    officers = s.declared.data.get("officers") or []
    out.append(_p("Bénéficiaires effectifs déclarés", _H2))
    if owners:
        out.append(_table(
            ["Nom et prénoms", "Né(e) le", "Nationalité", "% capital", "% droits de vote",
             "PPE", "Pièce d'identité"],
            [[_name(o), day_fr(o.get("birth_date")), o.get("nationality") or "",
              pct_fr(o.get("capital_pct")), pct_fr(o.get("voting_pct")),
              "oui" if o.get("pep") else "non", _identity_docs(o, s.documents, as_of)]
             for o in owners],
            _cols(0.22, 0.1, 0.1, 0.09, 0.1, 0.06, 0.33)))
    else:
        out.append(_p("Aucun bénéficiaire effectif déclaré.", _BASE))
    out.append(_p("Dirigeants déclarés", _H2))
    if officers:
        out.append(_table(
            ["Nom et prénoms", "Fonction", "Né(e) le", "Pièce d'identité"],
            [[_name(o), role_fr(o.get("role")), day_fr(o.get("birth_date")),
              _identity_docs(o, s.documents, as_of)] for o in officers],
            _cols(0.28, 0.22, 0.12, 0.38)))
    else:
        out.append(_p("Aucun dirigeant déclaré.", _BASE))
    rbe = _newest(s, DocType.RBE)
    if rbe is not None and (rbe.result or {}).get("beneficial_owners"):
        out.append(_p(f"Selon l'extrait RBE « {rbe.file_name} »"
                      + (f" du {day_fr(rbe.document_date)}" if rbe.document_date else ""), _H2))
        out.append(_table(
            ["Nom et prénoms", "Né(e) le", "Nationalité", "% capital", "% droits de vote"],
            [[_name(o), day_fr(o.get("birth_date")), o.get("nationality") or "",
              pct_fr(o.get("capital_pct")), pct_fr(o.get("voting_pct"))]
             for o in (rbe.result or {}).get("beneficial_owners") or []],
            _cols(0.36, 0.16, 0.16, 0.16, 0.16)))
    return out


def _newest(s: DossierSnapshot, doc_type: DocType) -> DocumentSnapshot | None:
    docs = [d for d in s.documents if d.doc_type == doc_type and d.state == DocState.PROCESSED]
    if not docs:
        return None
    return max(docs, key=lambda d: (d.document_date is not None, d.document_date, d.created_at))


def _documents(s: DossierSnapshot, as_of: date) -> list[Flowable]:
    out: list[Flowable] = [_p("3. Documents et validité", _H1)]
    if not s.documents:
        out.append(_p("Aucun document au dossier.", _BASE))
        return out
    rows: list[list[object]] = []
    for d in s.documents:
        validity = document_validity(d, as_of)
        end = d.effective_expiry_date or d.expiry_date
        expiry = day_fr(end)
        if d.expiry_date and d.effective_expiry_date and d.expiry_date != d.effective_expiry_date:
            expiry += f" (imprimée : {day_fr(d.expiry_date)})"
        status = VALIDITY_FR[validity]
        if validity is Validity.EXPIRED and d.doc_type == DocType.KBIS and end is None:
            status += " (plus de 3 mois)"
        if validity is Validity.UNREADABLE and d.failure_reason:
            status += f" : {d.failure_reason}"
        elif validity is Validity.PENDING:
            status = label(DOC_STATE_FR, d.state)
        rows.append([d.file_name, label(DOC_TYPE_FR, d.doc_type, "non déterminé"),
                     _or_dash(day_fr(d.document_date)), _or_dash(expiry), status])
    out.append(_table(["Fichier", "Type", "Date", "Expiration", "Statut"], rows,
                      _cols(0.3, 0.17, 0.12, 0.18, 0.23)))
    out.append(Spacer(1, 3))
    out.append(_p(f"Validité appréciée au {day_fr(as_of)}. Pièces d'identité : date de fin de "
                  "validité légale (elle peut différer de la date imprimée) ; « expire bientôt » "
                  "dans les 90 jours. Extrait Kbis : expiré au-delà de 3 mois.", _NOTE))
    return out


def _treatment(a: AlertSnapshot, *, with_status: bool = True) -> str:
    """Who closed the alert and when, or who holds it and by when."""
    status = label(ALERT_STATUS_FR, a.status)
    if a.status in (AlertStatus.RESOLVED, AlertStatus.DISMISSED):
        who = "le système (fait disparu au dernier contrôle)" if (
            a.auto_resolved_reason and not a.resolution_note) else (a.resolved_by or "inconnu")
        text = f"par {who} le {moment_fr(a.resolved_at)}"
        return f"{status} {text}" if with_status else text
    parts = [status] if with_status else []
    if a.assignee:
        parts.append(f"attribuée à {a.assignee}")
    if a.due_date:
        parts.append(f"échéance le {day_fr(a.due_date)}")
    return ", ".join(parts) or "—"


def _alerts(s: DossierSnapshot) -> list[Flowable]:
    out: list[Flowable] = [_p("4. Alertes et leur traitement", _H1)]
    if not s.alerts:
        out.append(_p("Aucune alerte n'a été relevée sur ce dossier.", _BASE))
        return out
    open_count = sum(a.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED) for a in s.alerts)
    out.append(_p(f"{len(s.alerts)} alerte(s), dont {open_count} en cours de traitement "
                  "(les alertes en cours sont listées en premier).", _BASE))
    out.append(Spacer(1, 4))
    out.append(_table(
        ["N°", "Type", "Gravité", "Statut", "Traitement"],
        [[str(n), label(ALERT_TYPE_FR, a.type), label(SEVERITY_FR, a.severity),
          label(ALERT_STATUS_FR, a.status), _treatment(a, with_status=False)]
         for n, a in enumerate(s.alerts, start=1)],
        _cols(0.06, 0.32, 0.1, 0.16, 0.36)))
    out.append(_p("Détail des alertes", _H2))
    for n, a in enumerate(s.alerts, start=1):
        out.append(KeepTogether(_alert_detail(n, a)))
    return out


def _alert_detail(n: int, a: AlertSnapshot) -> list[Flowable]:
    block: list[Flowable] = [
        _p(f"Alerte {n} — {label(ALERT_TYPE_FR, a.type)} (gravité "
           f"{label(SEVERITY_FR, a.severity)}, {label(ALERT_STATUS_FR, a.status)})", _SMALL_BOLD),
        _labelled("Constat", a.message, _SMALL),
    ]
    if a.evidence:
        proofs = "\n".join(
            f"« {e.get('file', '')} »" + (f" p. {e['page']}" if e.get("page") else "")
            + (f" : {e['text']}" if e.get("text") else "") for e in a.evidence)
        block.append(_labelled("Preuves", proofs, _SMALL))
    block.append(_labelled("Traitement", _treatment(a), _SMALL))
    if a.outcome:
        block.append(_labelled("Issue", label(OUTCOME_FR, a.outcome), _SMALL))
    if a.resolution_note:
        block.append(_labelled("Justification", a.resolution_note, _SMALL))
    elif a.auto_resolved_reason:
        block.append(_labelled("Motif de clôture automatique", a.auto_resolved_reason, _SMALL))
    steps = [f"{moment_fr(e.at)} : {label(ALERT_STATUS_FR, e.to_status)}"
             + (f" (depuis « {label(ALERT_STATUS_FR, e.from_status)} »)"
                if e.from_status and e.from_status != e.to_status else "")
             + f", par {'le système' if e.actor == SYSTEM_ACTOR else e.actor}"
             + _event_note(e.note, a) for e in a.events]
    if steps:
        block.append(_labelled("Historique", "\n".join(steps), _SMALL))
    block.append(Spacer(1, 6))
    return block


# The store's own event notes are English; a person's notes are shown as typed.
_SYSTEM_NOTES_FR = {"raised": "relevée par le contrôle", "raised again": "relevée à nouveau",
                    "the fact changed": "le fait constaté a changé", "unassigned": "désattribuée",
                    "woken": "rappel levé"}


def _event_note(note: str, a: AlertSnapshot) -> str:
    if not note:
        return ""
    if note == a.resolution_note:
        return " (voir la justification)"  # shown in full just above
    if note.startswith("assigned to "):
        return " — réattribuée"
    if note.startswith("snoozed until "):
        return f" — reportée au {day_fr(note.removeprefix('snoozed until '))}"
    return f" — {_SYSTEM_NOTES_FR.get(note, note)}"


def _risk(s: DossierSnapshot) -> list[Flowable]:
    out: list[Flowable] = [_p("5. Niveau de risque et vigilance", _H1)]
    r = s.risk
    if r is None:
        out.append(_p("Le risque de ce dossier n'a pas encore été évalué.", _BASE))
        return out
    out.append(_labelled("Niveau de risque calculé", level_fr(r.level)))
    out.append(_labelled("Vigilance", vigilance_fr(r.vigilance)))
    out.append(_labelled("Score", str(r.score)))
    out.append(_labelled("Évalué le", moment_fr(r.computed_at)))
    if r.override:
        out.append(_labelled("Niveau retenu par décision", (
            f"{level_fr(r.override.get('level'))}, par {r.override.get('by') or 'inconnu'} — "
            f"motif : {r.override.get('reason') or 'non précisé'}")))
    out.append(Spacer(1, 4))
    if r.factors:
        rows: list[list[object]] = [
            [label(CRITERION_FR, f.get("criterion")), str(f.get("points", "")),
             f.get("reason") or ""] for f in r.factors]
        rows.append([_p("Total", _SMALL_BOLD), _p(str(sum(
            int(f.get("points") or 0) for f in r.factors)), _SMALL_BOLD), ""])
        out.append(_table(["Critère", "Points", "Motif"], rows, _cols(0.18, 0.1, 0.72)))
    else:
        out.append(_p("Aucun facteur de risque relevé.", _BASE))
    return out


def _risk_history(s: DossierSnapshot) -> list[Flowable]:
    out: list[Flowable] = [_p("6. Historique du risque", _H1)]
    if not s.risk_history:
        out.append(_p("Aucune évaluation enregistrée.", _BASE))
        return out
    rows: list[list[object]] = []
    for r in reversed(s.risk_history):  # newest first, as a reader looks for the latest
        override = ""
        if r.override:
            override = (f"{level_fr(r.override.get('level'))} ({r.override.get('by') or '?'} : "
                        f"{r.override.get('reason') or 'motif non précisé'})")
        rows.append([moment_fr(r.computed_at), level_fr(r.level), vigilance_fr(r.vigilance),
                     _p(str(r.score), _RIGHT), override or "—"])
    out.append(_table(["Date", "Niveau calculé", "Vigilance", "Score", "Niveau retenu"], rows,
                      _cols(0.2, 0.15, 0.15, 0.08, 0.42)))
    return out
