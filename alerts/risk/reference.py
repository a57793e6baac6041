"""The reference data of NPLAB scoring: weights, thresholds, sector and mission tables, country
lists, each a versioned TOML file under alerts/data/ with its source and date.

Nothing in the scoring code holds a number or a list: it all comes from here, so a firm can
override any of it (`load_reference(overrides=...)`) and a dry run can compare two references.
Loading the packaged files is the only I/O of alerts/risk.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from kanta_docs.errors import ConfigError
from kanta_docs.vocab import AlertType, Criterion

# The packaged files, by the top-level key they take in a RiskReference and in overrides.
REFERENCE_FILES: Mapping[str, str] = {
    "weights": "weights.toml",
    "naf": "naf.toml",
    "missions": "missions.toml",
    "countries": "countries.toml",
}

RawTable = dict[str, Any]  # a TOML table as tomllib returns it (adapter-side shape)

_ALPHA3 = re.compile(r"[A-Z]{3}")
_NAF_KEY = re.compile(r"\d{2,4}|\d{4}[A-Z]")
_SEPARATORS = re.compile(r"[\s\-_'’]+")


def fold_text(text: str) -> str:
    """Text without accents, upper-cased, separators collapsed to one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain.upper()).strip()


def naf_key(code: str) -> str:
    """A NAF code as the tables key it: "69.20Z", "69 20 z" -> "6920Z"."""
    return re.sub(r"[\s.]", "", code).upper()


def legal_form_key(form: str) -> str:
    """A legal form as the table keys it: "S.A.R.L." -> "SARL", "Société civile" -> "SOCIETE
    CIVILE"."""
    return fold_text(form.replace(".", ""))


def mission_key(mission: str) -> str:
    """A mission name as the table keys it: "Tenue comptable" -> "tenue_comptable"."""
    return fold_text(mission).lower().replace(" ", "_")


def is_valid_naf(code: str) -> bool:
    """Whether a normalised code is a full NAF rév. 2 sub-class ("6920Z")."""
    return re.fullmatch(r"\d{4}[A-Z]", code) is not None


class _Ref(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Sourced(_Ref):
    """Where a file's values come from and when they were read."""

    source: str = Field(min_length=1)
    retrieved: date


class Weighted(_Ref):
    """A table entry: points it adds and the French words a collaborator reads."""

    points: int
    label: str = Field(min_length=1)


class Aliased(Weighted):
    """A table entry other spellings point to."""

    aliases: tuple[str, ...] = ()


class AlertWeight(Weighted):
    """What one alert type adds, and to which criterion."""

    criterion: Criterion = Criterion.CLIENT


class Thresholds(_Ref):
    """Score thresholds: `score >= medium` is medium, `score >= high` is high."""

    medium: int
    high: int

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not 0 < self.medium <= self.high:
            raise ValueError("thresholds must satisfy 0 < medium <= high")
        return self


class VigilanceRules(_Ref):
    """What the firm allows and treats as a trigger (see weights.toml)."""

    simplified_allowed: bool
    nationality_is_mandate: bool


class ClientWeights(_Ref):
    """Points of the NPLAB client criterion."""

    pep: int
    owners_unidentified: int
    unknown_legal_form: int
    unlisted_legal_form: int
    legal_person_shareholder: int
    legal_person_shareholder_max: int
    ownership_layer: int
    ownership_layers_free: int = Field(ge=0)
    ownership_layer_max: int
    legal_forms: dict[str, Aliased]

    _by_name: dict[str, tuple[str, Aliased]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _aliases_distinct(self) -> ClientWeights:
        _alias_index(self.legal_forms, legal_form_key, "legal form")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Index the table by every spelling (validated distinct above)."""
        self._by_name.update(_alias_index(self.legal_forms, legal_form_key, "legal form"))

    def legal_form(self, form: str) -> tuple[str, Aliased] | None:
        """The table entry (key, entry) for a declared legal form; None when not in the table."""
        return self._by_name.get(legal_form_key(form))


class LocationWeights(_Ref):
    """Location points other than the lists' own."""

    home_country: str = Field(pattern=_ALPHA3.pattern)
    head_office_abroad: int
    unknown_country: int


class Weights(_Sourced):
    """weights.toml."""

    thresholds: Thresholds
    vigilance: VigilanceRules
    client: ClientWeights
    location: LocationWeights
    alerts: dict[AlertType, AlertWeight]

    @model_validator(mode="after")
    def _every_alert_weighed(self) -> Weights:
        missing = sorted(set(AlertType) - set(self.alerts))
        if missing:
            raise ValueError(f"alerts: no weight for {', '.join(missing)}")
        return self


class NafTable(_Sourced):
    """naf.toml: sector points by NAF code or prefix."""

    unknown_points: int
    sectors: dict[str, Weighted]

    @model_validator(mode="after")
    def _keys_are_naf(self) -> NafTable:
        bad = sorted(key for key in self.sectors if not _NAF_KEY.fullmatch(key))
        if bad:
            raise ValueError(f"sectors: not a NAF code or prefix: {', '.join(bad)}")
        return self

    def sector(self, code: str) -> tuple[str, Weighted] | None:
        """The entry (key, entry) of the longest key prefixing a normalised code; None if none."""
        for end in range(len(code), 1, -1):
            entry = self.sectors.get(code[:end])
            if entry is not None:
                return code[:end], entry
        return None


class MissionTable(_Sourced):
    """missions.toml: engagement points."""

    unknown_points: int
    missions: dict[str, Aliased]

    _by_name: dict[str, tuple[str, Aliased]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _aliases_distinct(self) -> MissionTable:
        _alias_index(self.missions, mission_key, "mission")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Index the table by every spelling (validated distinct above)."""
        self._by_name.update(_alias_index(self.missions, mission_key, "mission"))

    def mission(self, name: str) -> tuple[str, Aliased] | None:
        """The entry (key, entry) for a declared mission; None when not in the table."""
        return self._by_name.get(mission_key(name))


class CountryListVersion(_Ref):
    """One list as it stood from `effective` until the next version."""

    effective: date
    source: str = Field(min_length=1)
    countries: frozenset[str]

    @model_validator(mode="after")
    def _alpha3(self) -> CountryListVersion:
        bad = sorted(code for code in self.countries if not _ALPHA3.fullmatch(code))
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-3 codes: {', '.join(bad)}")
        return self


class CountryList(_Ref):
    """A country list with its versions; `mandate` makes it a CMF L.561-10 3° trigger."""

    label: str = Field(min_length=1)
    points: int
    mandate: bool
    versions: tuple[CountryListVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _dated(self) -> CountryList:
        days = [version.effective for version in self.versions]
        if len(set(days)) != len(days):
            raise ValueError("two versions take effect the same day")
        return self

    def in_force(self, day: date) -> CountryListVersion | None:
        """The version in force on `day`; None before the oldest version we hold."""
        past = [version for version in self.versions if version.effective <= day]
        return max(past, key=lambda version: version.effective) if past else None


class CountryLists(_Sourced):
    """countries.toml."""

    lists: dict[str, CountryList]
    names: dict[str, str] = {}

    def name(self, code: str) -> str:
        """A country's French name with its code, "Iran (IRN)"; the bare code when unnamed."""
        name = self.names.get(code)
        return f"{name} ({code})" if name else code


class RiskReference(_Ref):
    """Everything scoring needs besides the dossier; built by `load_reference`."""

    weights: Weights
    naf: NafTable
    missions: MissionTable
    countries: CountryLists

    def sources(self) -> dict[str, tuple[str, date]]:
        """Each file's source and retrieval day, by file key (for an audit trail)."""
        return {
            "weights": (self.weights.source, self.weights.retrieved),
            "naf": (self.naf.source, self.naf.retrieved),
            "missions": (self.missions.source, self.missions.retrieved),
            "countries": (self.countries.source, self.countries.retrieved),
        }


def load_reference(overrides: Path | Mapping[str, Any] | None = None) -> RiskReference:
    """The packaged reference data, with a firm's overrides merged over it.

    `overrides` is a TOML file or a mapping shaped like the packaged data, keyed by file
    (`{"weights": {"thresholds": {"high": 40}}, "naf": {"sectors": {"6920Z": {...}}}}`).
    Tables merge key by key; any other value (a number, a list, a list's `versions`) replaces
    the packaged one. Raises ConfigError on an unknown key or an invalid value, naming it.
    """
    raw = _normalise_keys({key: _read_packaged(name) for key, name in REFERENCE_FILES.items()})
    if overrides is not None:
        extra = _read_overrides(overrides) if isinstance(overrides, Path) else dict(overrides)
        raw = _merge(raw, _normalise_keys(extra))
    try:
        return RiskReference.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(_describe(problem) for problem in error.errors())
        raise ConfigError(
            f"risk reference data: {problems} (compare with alerts/data/*.toml)"
        ) from error


def _read_packaged(name: str) -> RawTable:
    with files("alerts").joinpath("data", name).open("rb") as handle:
        return tomllib.load(handle)


def _read_overrides(path: Path) -> RawTable:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(
            f"risk overrides {path}: cannot read the file ({error.strerror})"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"risk overrides {path}: not valid TOML ({error})") from error


def _describe(problem: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
    if problem["type"] == "extra_forbidden":
        return f"{where}: unknown key"
    return f"{where}: {problem['msg']}"


def _merge(base: RawTable, extra: Mapping[str, Any]) -> RawTable:
    merged = dict(base)
    for key, value in extra.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            merged[key] = _merge(current, value)
        else:
            merged[key] = value
    return merged


# Tables whose keys firms may spell several ways: normalised before merging, so an override of
# "45.11Z" lands on the packaged "4511Z" instead of sitting beside it.
_OPEN_TABLES: tuple[tuple[tuple[str, ...], Callable[[str], str]], ...] = (
    (("naf", "sectors"), naf_key),
    (("missions", "missions"), mission_key),
    (("weights", "client", "legal_forms"), legal_form_key),
)


def _normalise_keys(raw: Mapping[str, Any]) -> RawTable:
    out = dict(raw)
    for path, normalise in _OPEN_TABLES:
        parent: Any = out
        for part in path[:-1]:
            if not isinstance(parent.get(part), Mapping):
                break
            parent[part] = dict(parent[part])
            parent = parent[part]
        else:
            table = parent.get(path[-1])
            if isinstance(table, Mapping):
                parent[path[-1]] = {normalise(str(key)): value for key, value in table.items()}
    return out


def _alias_index(
    table: Mapping[str, Aliased], normalise: Callable[[str], str], what: str
) -> dict[str, tuple[str, Aliased]]:
    index: dict[str, tuple[str, Aliased]] = {}
    for key, entry in table.items():
        for name in (key, *entry.aliases):
            spelled = normalise(name)
            known = index.get(spelled)
            if known is not None and known[0] != key:
                raise ValueError(f"{what} {name!r} is both {known[0]!r} and {key!r}")
            index[spelled] = (key, entry)
    return index
