"""A firm's client portfolio, imported from a CSV or JSON export into declared data.

CSV: one row per client. Client columns `siren, name, legal_form, naf, mission, country,
collaborator`; owners in `owner1_last_name, owner1_first_names, owner1_birth_date,
owner1_nationality, owner1_capital_pct, owner1_voting_pct, owner1_residence, owner1_pep`, then
`owner2_…` and so on; officers in `officer1_last_name, officer1_first_names, officer1_role` (and
optionally `_birth_date, _nationality, _residence, _pep`). French Excel exports are read as they
come: `;` delimiter, UTF-8 with a byte-order mark or Windows-1252, decimal commas ("33,5"),
dates as DD/MM/YYYY as well as YYYY-MM-DD. Other columns are ignored, as unknown keys are in
declared.json, so firms can keep their own.

JSON: a list of objects shaped like declared.json (`client`, `beneficial_owners`, `officers`)
plus `collaborator`.

A row with any bad value is rejected whole and every problem in it is reported: importing a
client with one owner's percentage silently dropped would switch off the very checks the
declaration is for. One bad row never stops the others; only an unreadable file raises.
Pure: bytes in, report out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import pycountry
from pydantic import ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from kanta_docs.declared import (
    Declared,
    DeclaredClient,
    DeclaredOfficer,
    DeclaredOwner,
)
from kanta_docs.errors import InvalidInput
from kanta_docs.text import fold
from kanta_docs.vocab import OfficerRole

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

# A value as the file gives it: a CSV cell is a str; JSON adds numbers, booleans and null.
Raw = object

_CLIENT_FIELDS = ("siren", "name", "legal_form", "naf", "mission", "country")
_PERSON_FIELDS = ("last_name", "first_names", "birth_date", "nationality",
                  "country_of_residence", "pep")
_OWNER_FIELDS = (*_PERSON_FIELDS, "capital_pct", "voting_pct")
_OFFICER_FIELDS = (*_PERSON_FIELDS, "role")
# CSV column suffix -> declared.json field, where they differ (a shorter header for Excel).
_CSV_ALIASES = {"residence": "country_of_residence"}
_PERSON_COLUMN = re.compile(r"^(owner|officer)(\d+)_(\w+)$")

_NAF = re.compile(r"^\d{2}\.?\d{2}[A-Z]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = frozenset({"true", "1", "yes", "y", "oui", "o", "vrai", "x"})
_FALSE = frozenset({"false", "0", "no", "n", "non", "faux"})
# Feminine and abbreviated forms French firms write for the contract's roles.
_ROLE_ALIASES = {
    "presidente": OfficerRole.PRESIDENT,
    "gerante": OfficerRole.GERANT,
    "cogerant": OfficerRole.GERANT,
    "co_gerant": OfficerRole.GERANT,
    "directrice_generale": OfficerRole.DIRECTEUR_GENERAL,
    "dg": OfficerRole.DIRECTEUR_GENERAL,
    "directrice_generale_deleguee": OfficerRole.DIRECTEUR_GENERAL_DELEGUE,
    "dgd": OfficerRole.DIRECTEUR_GENERAL_DELEGUE,
    "administratrice": OfficerRole.ADMINISTRATEUR,
    "cac": OfficerRole.COMMISSAIRE_AUX_COMPTES,
    "autre": OfficerRole.OTHER,
}


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One client imported: its SIREN (9 digits), what the firm declares, who follows it."""

    siren: str
    declared: Declared
    collaborator: str | None  # e-mail, lower-cased; None when the file names nobody
    row_number: int = 0  # where it came from (see RowError)


@dataclass(frozen=True, slots=True)
class RowError:
    """Why (part of) a row was rejected, in French: firms read it (CLI and API alike).

    `row_number` is the line in a CSV file as a spreadsheet shows it (header = 1, first client
    = 2), or the 1-based position in a JSON list. `field` is the column (`owner2_birth_date`)
    or JSON path (`beneficial_owners[1].birth_date`); "" for the row as a whole. Reasons never
    repeat the rejected value: it may be personal data.
    """

    row_number: int
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class PortfolioReport:
    """The clients imported, and the rows (or values) rejected with why."""

    rows: list[PortfolioRow]
    errors: list[RowError]


class _FieldError(ValueError):
    """A value that cannot be imported; the message is the RowError reason."""


@dataclass(frozen=True, slots=True)
class _Record:
    """One client as the file gives it, before validation; the same shape for CSV and JSON."""

    row_number: int
    client: Mapping[str, Raw]  # absent key: the file says nothing (model default applies)
    owners: list[tuple[str, Mapping[str, Raw]]]  # (field prefix for errors, raw fields)
    officers: list[tuple[str, Mapping[str, Raw]]]
    collaborator: Raw
    client_prefix: str  # "" for CSV columns, "client." for JSON paths
    errors: tuple[RowError, ...] = ()  # problems found while reading the row's shape


def parse_portfolio(data: bytes, filename: str) -> PortfolioReport:
    """A portfolio file's bytes -> the clients it declares and the rows rejected.

    The format comes from the extension (.csv, .txt, .json), else from the first byte.

    Raises:
        InvalidInput: the file as a whole cannot be read (encoding, JSON syntax, no `siren`
            column, not a list of clients).
    """
    name = filename.lower()
    notices: list[RowError] = []
    if name.endswith(".json") or (not name.endswith((".csv", ".txt"))
                                  and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")):
        records = list(_json_records(data))
    else:
        records = list(_csv_records(data, notices))
    report = _assemble([(r, *_parse_record(r)) for r in records])
    return PortfolioReport(report.rows, [*notices, *report.errors])


# --- reading CSV and JSON ----------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: what French Excel writes for "CSV
    (séparateur: point-virgule)", as opposed to "CSV UTF-8", which adds the BOM."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise InvalidInput("the portfolio file is neither UTF-8 nor Windows-1252 text; "
                           "export it again as CSV UTF-8") from e


def _header_key(cell: str) -> str:
    """"Owner1 Last-Name" -> "owner1_last_name"."""
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _csv_records(data: bytes, notices: list[RowError]) -> Iterator[_Record]:
    """The file's clients; column problems that reject no row are added to `notices`."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # The header names no decimals, so the most frequent separator there is the delimiter
    # (";" in French Excel, where "," is the decimal mark).
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_header_key(c) for c in next(reader)]
    except StopIteration:
        raise InvalidInput("the portfolio file is empty; expected a header row naming "
                           "the columns (siren, name, …)") from None
    if "siren" not in header:
        raise InvalidInput("the portfolio file has no 'siren' column; the header row must "
                           "name the columns (siren, name, legal_form, …)")
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise InvalidInput(f"the portfolio file names columns twice: {', '.join(duplicated)}")
    # A misspelt person column would silently drop a value: say so (other unknown columns are
    # the firm's own and pass unremarked).
    notices.extend(
        RowError(1, column, "colonne inconnue, ignorée")
        for column in header if (m := _PERSON_COLUMN.match(column))
        and _CSV_ALIASES.get(m[3], m[3]) not in
        (_OWNER_FIELDS if m[1] == "owner" else _OFFICER_FIELDS))
    end_of_previous = reader.line_num
    for cells in reader:
        row_number, end_of_previous = end_of_previous + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank lines Excel leaves at the end
        yield _csv_record(row_number, header, cells)


def _csv_record(row_number: int, header: list[str], cells: list[str]) -> _Record:
    errors: list[RowError] = []
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        # Usually a value holding the delimiter without quotes: every later column is shifted.
        errors.append(RowError(row_number, "", f"la ligne a {len(cells)} cellules mais l'en-tête "
                               f"en a {len(header)} : mettez entre guillemets les valeurs qui "
                               "contiennent le séparateur"))
    client: dict[str, Raw] = {}
    people: dict[tuple[str, int], dict[str, Raw]] = defaultdict(dict)
    collaborator: Raw = None
    for column, cell in zip(header, cells, strict=False):
        value = cell.strip()
        if not value:
            continue  # an empty cell says nothing, like a key absent from declared.json
        if column in _CLIENT_FIELDS:
            client[column] = value
        elif column == "collaborator":
            collaborator = value
        elif m := _PERSON_COLUMN.match(column):
            people[(m[1], int(m[2]))][_CSV_ALIASES.get(m[3], m[3])] = value
    return _Record(
        row_number, client,
        owners=[(f"owner{i}_", f) for (kind, i), f in sorted(people.items()) if kind == "owner"],
        officers=[(f"officer{i}_", f) for (kind, i), f in sorted(people.items())
                  if kind == "officer"],
        collaborator=collaborator, client_prefix="", errors=tuple(errors))


def _json_records(data: bytes) -> Iterator[_Record]:
    try:
        items = json.loads(_decode(data))
    except json.JSONDecodeError as e:
        raise InvalidInput(f"the portfolio file is not valid JSON (line {e.lineno}, column "
                           f"{e.colno}): {e.msg}") from e
    if not isinstance(items, list):
        raise InvalidInput("a JSON portfolio must be a list of clients shaped like "
                           "declared.json, each with a 'collaborator'")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield _Record(number, {}, [], [], None, "client.", (
                RowError(number, "", "chaque client doit être un objet JSON"),))
            continue
        errors: list[RowError] = []
        client = item.get("client", {})
        if not isinstance(client, dict):
            errors.append(RowError(number, "client", "doit être un objet"))
            client = {}
        yield _Record(number, client, _json_people(number, item, "beneficial_owners", errors),
                      _json_people(number, item, "officers", errors),
                      item.get("collaborator"), "client.", tuple(errors))


def _json_people(number: int, item: Mapping[str, Raw], key: str,
                 errors: list[RowError]) -> list[tuple[str, Mapping[str, Raw]]]:
    people = item.get(key) or []
    if not isinstance(people, list):
        errors.append(RowError(number, key, "doit être une liste"))
        return []
    out: list[tuple[str, Mapping[str, Raw]]] = []
    for i, person in enumerate(people):
        if isinstance(person, dict):
            out.append((f"{key}[{i}].", person))
        else:
            errors.append(RowError(number, f"{key}[{i}]", "doit être un objet"))
    return out


# --- validating one client ---------------------------------------------------------------------


class _Fields:
    """Reads a record's raw values through the parsers, collecting every error."""

    def __init__(self, row_number: int) -> None:
        self.row_number = row_number
        self.errors: list[RowError] = []

    def read(self, raw: Mapping[str, Raw], names: tuple[str, ...], prefix: str,
             parsers: Mapping[str, Callable[[Raw], object]]) -> dict[str, object]:
        """The parsed values of `names` present in `raw`; a bad one becomes an error."""
        out: dict[str, object] = {}
        for name in names:
            if name not in raw:
                continue
            value = raw[name]
            try:
                out[name] = None if value is None else parsers.get(name, _text)(value)
            except _FieldError as e:
                self.errors.append(RowError(self.row_number, prefix + name, str(e)))
        return out

    def require(self, values: Mapping[str, object], name: str, prefix: str,
                why: str = "obligatoire") -> None:
        if values.get(name) is None and not any(e.field == prefix + name for e in self.errors):
            self.errors.append(RowError(self.row_number, prefix + name, why))


def _parse_record(record: _Record) -> tuple[str | None, PortfolioRow | None, list[RowError]]:
    """The record's SIREN (None when invalid), its row (None when rejected), its errors."""
    if record.errors and not (record.client or record.owners or record.officers):
        return None, None, list(record.errors)  # not a client at all (JSON that is no object)
    fields = _Fields(record.row_number)
    fields.errors.extend(record.errors)
    client = fields.read(record.client, _CLIENT_FIELDS, record.client_prefix, _CLIENT_PARSERS)
    fields.require(client, "siren", record.client_prefix)
    owners = [(prefix, fields.read(raw, _OWNER_FIELDS, prefix, _PERSON_PARSERS))
              for prefix, raw in record.owners]
    officers = [(prefix, fields.read(raw, _OFFICER_FIELDS, prefix, _PERSON_PARSERS))
                for prefix, raw in record.officers]
    for prefix, person in (*owners, *officers):
        fields.require(person, "last_name", prefix,
                       "obligatoire : les autres colonnes de cette personne sont remplies")
    collaborator = fields.read({"collaborator": record.collaborator}, ("collaborator",), "",
                               {"collaborator": _email}).get("collaborator")
    siren = client.get("siren")
    siren = siren if isinstance(siren, str) else None
    if fields.errors or siren is None:
        return siren, None, fields.errors
    try:
        declared = Declared(client=DeclaredClient.model_validate(client),
                            beneficial_owners=[DeclaredOwner.model_validate(p) for _, p in owners],
                            officers=[DeclaredOfficer.model_validate(p) for _, p in officers])
    except ValidationError as e:
        # Our parsers check everything the models do; this is a safety net. The pydantic
        # message is not shown: it quotes the input, which may be personal data.
        where = ".".join(str(part) for part in e.errors()[0]["loc"])
        return siren, None, [RowError(record.row_number, where, "valeur invalide")]
    return siren, PortfolioRow(siren, declared, _as_str(collaborator), record.row_number), []


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _assemble(parsed: list[tuple[_Record, str | None, PortfolioRow | None, list[RowError]]],
              ) -> PortfolioReport:
    """Rows and errors, with duplicate SIRENs settled.

    Copies of one client that agree: the first is kept, the others reported. Copies that
    disagree: none is imported, since the file does not say which is right.
    """
    rows_by_siren: dict[str, list[tuple[int, PortfolioRow | None]]] = defaultdict(list)
    errors = [e for _, _, _, errs in parsed for e in errs]
    for record, siren, row, _ in parsed:
        if siren is not None:
            rows_by_siren[siren].append((record.row_number, row))
    kept: list[PortfolioRow] = []
    prefix = parsed[0][0].client_prefix if parsed else ""
    for group in rows_by_siren.values():
        numbers = [n for n, _ in group]
        valid = [row for _, row in group if row is not None]
        if len(group) == 1 or not valid:
            kept.extend(valid)
            continue
        agree = len(valid) == len(group) and all(
            (r.declared, r.collaborator) == (valid[0].declared, valid[0].collaborator)
            for r in valid)
        if agree:
            kept.append(valid[0])
            errors += [RowError(r.row_number, prefix + "siren",
                                f"doublon de la ligne {valid[0].row_number}, ignoré")
                       for r in valid[1:]]
        else:
            errors += [RowError(r.row_number, prefix + "siren", "le même SIREN est sur les lignes "
                                f"{', '.join(map(str, numbers))}, qui diffèrent ou sont "
                                "invalides ; aucune n'est importée : une ligne par client")
                       for r in valid]
    kept.sort(key=lambda r: r.row_number)
    errors.sort(key=lambda e: e.row_number)  # stable: a row's errors keep their column order
    return PortfolioReport(kept, errors)


# --- one value ---------------------------------------------------------------------------------


def _text(raw: Raw) -> str | None:
    if not isinstance(raw, str):
        raise _FieldError("doit être du texte")
    return raw.strip() or None


def _siren(raw: Raw) -> str:
    """9 digits; a SIRET is accepted for its SIREN (its first 9 digits), as firms often keep
    the head office's SIRET in the same column."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise _FieldError("doit être un texte de 9 chiffres")
    number = stdnum_siren.compact(raw)
    if len(number) == 14 and stdnum_siret.is_valid(number):
        return str(stdnum_siret.to_siren(number))
    if not number.isdigit():
        raise _FieldError("doit compter 9 chiffres")
    if len(number) != 9:
        hint = (" (un tableur a peut-être supprimé un zéro initial : mettez la colonne au format "
                "texte)"
                if len(number) == 8 else "")
        raise _FieldError(f"doit compter 9 chiffres, pas {len(number)}{hint}")
    if not stdnum_siren.is_valid(number):
        raise _FieldError("SIREN invalide (sa clé de contrôle est fausse)")
    return str(number)


def _naf(raw: Raw) -> str | None:
    code = _text(raw)
    if code is None:
        return None
    code = code.upper().replace(" ", "")
    if not _NAF.match(code):
        raise _FieldError("doit être un code NAF comme 6920Z ou 69.20Z")
    return code


def _country(raw: Raw) -> str | None:
    """ISO 3166-1 alpha-3, as the contract wants; alpha-2 ("FR") is converted."""
    code = _text(raw)
    if code is None:
        return None
    code = code.upper()
    country = (pycountry.countries.get(alpha_3=code) if len(code) == 3
               else pycountry.countries.get(alpha_2=code) if len(code) == 2 else None)
    if country is None:
        raise _FieldError("doit être un code pays ISO 3166-1 comme FRA (ou FR)")
    return str(country.alpha_3)


def _date(raw: Raw) -> date | None:
    text = _text(raw)
    if text is None:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _FieldError("doit être une date AAAA-MM-JJ ou JJ/MM/AAAA")


def _pct(raw: Raw) -> float | None:
    if isinstance(raw, bool):
        raise _FieldError("doit être un pourcentage de 0 à 100")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = _text(raw)
        if text is None:
            return None
        # French exports write "33,5" and often keep the "%" sign.
        text = text.removesuffix("%").strip().replace(" ", "").replace("\u00a0", "")
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise _FieldError("doit être un pourcentage de 0 à 100, par exemple 33,5") from None
    if not 0 <= value <= 100:
        raise _FieldError("doit être un pourcentage de 0 à 100")
    return value


def _bool(raw: Raw) -> bool:
    if isinstance(raw, bool):
        return raw
    word = fold(str(raw))
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _FieldError("doit valoir oui ou non (oui/non, true/false, 1/0)")


def _role(raw: Raw) -> OfficerRole:
    """A contract role, from its code or French label ("Directeur général délégué")."""
    text = _text(raw)
    if text is None:
        return OfficerRole.OTHER  # like a role left out of declared.json
    code = fold(text).replace("'", " ").replace(" ", "_")
    if code in _ROLE_ALIASES:
        return _ROLE_ALIASES[code]
    try:
        return OfficerRole(code)
    except ValueError:
        raise _FieldError("fonction inconnue ; valeurs possibles : "
                          f"{', '.join(OfficerRole)}") from None


def _email(raw: Raw) -> str | None:
    text = _text(raw)
    if text is None:
        return None
    if not _EMAIL.match(text):
        raise _FieldError("doit être une adresse e-mail")
    return text.lower()  # addresses are matched to user accounts case-insensitively


_CLIENT_PARSERS: Mapping[str, Callable[[Raw], object]] = {
    "siren": _siren, "naf": _naf, "country": _country,
}
_PERSON_PARSERS: Mapping[str, Callable[[Raw], object]] = {
    "birth_date": _date, "nationality": _country, "country_of_residence": _country,
    "pep": _bool, "capital_pct": _pct, "voting_pct": _pct, "role": _role,
}
