"""Person names as French documents write them: civility, birth name, usage name, first names.

Forms handled: "Jean DUPONT", "DUPONT Jean", "DUPONT, Jean-Pierre Marie", "M. Jean Pierre
DUPONT", "Madame Marie DURAND épouse MARTIN", "MARTIN née DURAND Marie", "Charles de GAULLE",
and labelled blocks ("Nom de naissance : DURAND  Nom d'usage : MARTIN  Prénoms : Marie").

Rules:
- The surname is the run of upper-case words (two letters or more, no dot: "J." is an
  initial); particles just before it (de, du, des, de la, d', le, la, van, von, da, dos, di,
  ben, el...) belong to it: "Jean de LA FONTAINE" -> "DE LA FONTAINE".
- Without case to go by (all upper or all mixed case), a comma separates surname from first
  names ("DUPONT, JEAN"); else a lower-case particle starts the surname ("Charles de Gaulle");
  else the caller's `surname_first` hint decides; else the surname is unknown (None).
- "née X": X is the birth name and the name before it the usage name. "épouse/ép./veuve/vve X":
  X is the usage name and the name before it the birth name.
- `last_name` (the birth name) and `usage_name` are upper-cased, as the contract spells them;
  first names keep their case, unless written all in capitals ("JEAN-PIERRE" -> "Jean-Pierre").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.french.folding import fold_text, fold_words

PARTICLES = frozenset({
    "de", "du", "des", "d", "la", "le", "les", "l", "van", "von", "der", "den", "ter", "ten",
    "da", "das", "do", "dos", "di", "del", "della", "dei", "degli", "ben", "bin", "ibn", "el",
    "al", "y",
})  # fmt: skip
# Particles that may start a surname in mixed-case text ("Charles de Gaulle").
_LEADING_PARTICLES = PARTICLES - {"y", "la", "le", "les", "l", "der", "den"}

_CIVILITIES = {
    "m": "M.", "mr": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme",
    "mlle": "Mlle", "melle": "Mlle", "mademoiselle": "Mlle",
}  # fmt: skip
_CIVILITY_SEX = {"M.": "M", "Mme": "F", "Mlle": "F"}
_TITLES = frozenset({"me", "maitre", "dr", "docteur", "pr", "professeur"})

# marker -> (what the following name is, sex it implies)
_MARKERS = {
    "epouse": ("usage", "F"), "ep": ("usage", "F"), "epoux": ("usage", "M"),
    "veuve": ("usage", "F"), "vve": ("usage", "F"), "veuf": ("usage", "M"),
    "nee": ("birth", "F"), "ne": ("birth", "M"),
}  # fmt: skip
_NO_VALUE = frozenset({"", "-", "--", "/", "neant", "sans", "aucun", "n/a", "x"})

# Clauses that follow a name in civil-status formulas and are not part of it.
_TRAILING_CLAUSE = re.compile(
    r"[,;]?\s*(?:\bnee?\s+(?:(?P<le>le)\s+(?P<next>\S)|(?:a|en|au)\b)|\bdemeurant\b"
    r"|\bdomicilie|\bde\s+nationalite\b|\bnationalite\b|\bdite?\s)"
)
_LABEL = re.compile(
    r"(?<![a-z])(?P<label>nom\s*,\s*prenoms?|nom\s+de\s+naissance|nom\s+de\s+famille"
    r"|nom\s+patronymique|nom\s+d'usage|nom\s+marital|nom\s+d'epouse|prenom\s+principal"
    r"|prenom\s+usuel|autres?\s+prenoms?|prenom\s*\(s\)|prenoms?|nom|civilite)\s*:\s*"
)
_TOKEN = re.compile(r"[^\s,]+|,")
_GLUED_PARTICLE = re.compile(r"[dl]['\u2019]\w")
# Upper-case words that are surnames more often than markers ("NE", "NEE").
_UPPER_NON_MARKERS = frozenset({"NE", "NEE"})


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split into its parts; a part the text does not give is None."""

    last_name: str | None  # birth name, upper case
    first_names: str | None  # space-separated, in document order
    usage_name: str | None = None  # nom d'usage (married name), upper case
    civility: str | None = None  # "M.", "Mme" or "Mlle"
    sex: str | None = None  # "M" or "F", from the civility or the grammar ("née")


def _letters(token: str) -> str:
    """A token -> its letters only."""
    return "".join(c for c in token if c.isalpha())


def _is_upper_word(token: str) -> bool:
    """Whether a token is written as a surname: all capitals, two letters or more, no dot."""
    letters = _letters(token)
    return len(letters) >= 2 and letters.isupper() and "." not in token


def _particle_of(token: str) -> bool:
    """Whether a token is a name particle ("de", "D'", "van"), in any case."""
    return fold_words(token) in PARTICLES or fold_text(token) in ("d'", "l'")


def capitalise_name(name: str) -> str:
    """A first name in capitals -> natural case ("JEAN-PIERRE" -> "Jean-Pierre"); else as is."""
    if _letters(name) != _letters(name).upper():
        return name
    return re.sub(r"(^|[\s'\-])(\w)", lambda m: m.group(1) + m.group(2).upper(), name.lower())


def _clean(token: str) -> str:
    """A name token without surrounding punctuation (keeps an initial's dot: "J.")."""
    token = token.strip(',;:()[]"')
    return token if re.fullmatch(r"(?:\w\.-?)+", token) else token.rstrip(".")


def _surname_span(tokens: list[str], surname_first: bool | None) -> tuple[int, int] | None:
    """Name tokens (no commas) -> [start, end) of the surname run, None if it cannot be told."""
    upper = [_is_upper_word(t) for t in tokens]
    if any(upper) and not all(upper):
        runs = [i for i, u in enumerate(upper) if u]
        start, end = runs[0], runs[-1] + 1
        if end - start != len(runs):
            return None  # capitals in two places: "DUPONT Jean MARTIN"
        while start > 0 and _particle_of(tokens[start - 1]):
            start -= 1
        return start, end
    if not any(upper):
        for i, token in enumerate(tokens):
            if _GLUED_PARTICLE.match(token):  # "Charles d'Artagnan"
                return (i, len(tokens)) if i > 0 else (0, 1)
            if fold_words(token) in _LEADING_PARTICLES and token.islower() and i + 1 < len(tokens):
                # "Charles de Gaulle" (given first) or "de Gaulle Charles" (surname first)
                return (i, len(tokens)) if i > 0 else (0, _after_particles(tokens, 0) + 1)
    if all(upper) and _after_particles(tokens, 0) == len(tokens) - 1:
        return 0, len(tokens)  # "DUPONT", "LE GALL", "DE LA FONTAINE": a surname alone
    if surname_first is None or len(tokens) < 2:
        return None
    if surname_first:
        return 0, _after_particles(tokens, 0) + 1
    start = len(tokens) - 1
    while start > 0 and _particle_of(tokens[start - 1]):
        start -= 1
    return start, len(tokens)


def _after_particles(tokens: list[str], i: int) -> int:
    """Index of the first token from i that is not a particle (the last one if all are)."""
    while i < len(tokens) - 1 and _particle_of(tokens[i]):
        i += 1
    return i


def _split_segment(tokens: list[str], surname_first: bool | None) -> tuple[str | None, list[str]]:
    """One name without markers -> (surname upper-cased or None, first-name tokens)."""
    words = [t for t in tokens if t != ","]
    upper = [_is_upper_word(t) for t in words]
    if "," in tokens and (all(upper) or not any(upper)):
        comma = tokens.index(",")
        surname = [t for t in tokens[:comma] if t != ","]
        firsts = [t for t in tokens[comma + 1 :] if t != ","]
        return (_join_surname(surname) if surname else None), firsts
    span = _surname_span(words, surname_first)
    if span is None:
        return None, []  # which words are first names is as unknown as the surname
    start, end = span
    return _join_surname(words[start:end]), words[:start] + words[end:]


def _join_surname(tokens: list[str]) -> str | None:
    """Surname tokens -> one upper-case surname ("de", "LA", "FONTAINE" -> "DE LA FONTAINE")."""
    joined = re.sub(r"(?i)\b([dl]')\s+", r"\1", " ".join(_clean(t) for t in tokens))
    return joined.upper().strip() or None


def _first_names(tokens: list[str]) -> str | None:
    """First-name tokens -> "Jean Pierre" (natural case), None if there are none."""
    names = [capitalise_name(_clean(t)) for t in tokens if _clean(t)]
    return " ".join(names) or None


def _civility(tokens: list[str]) -> tuple[str | None, list[str]]:
    """Tokens -> (civility, tokens without leading civility and titles)."""
    civility = None
    while tokens:
        word = fold_words(tokens[0])
        if word in _CIVILITIES and civility is None and (word != "m" or len(tokens) > 1):
            civility = _CIVILITIES[word]
        elif word not in _TITLES:
            break
        tokens = tokens[1:]
    return civility, tokens


def _cut_trailing_clause(text: str) -> tuple[str, str | None]:
    """A name and its civil-status clause ("…, née le 12/03/1970") -> (name, sex implied)."""
    folded = fold_text(text)
    for m in _TRAILING_CLAUSE.finditer(folded):
        # "née le 12 mars" opens a birth clause; "née LE GALL" gives a birth name.
        if m.group("le") is None or (
            text[m.start("le") : m.end("le")] == "le"
            and (text[m.start("next")].isdigit() or text[m.start("next")].islower())
        ):
            born = re.match(r"[,;]?\s*(nee?)\s", folded[m.start() :])
            sex = ("F" if born.group(1) == "nee" else "M") if born else None
            return text[: m.start()], sex
    return text, None


def _segments(tokens: list[str]) -> list[tuple[str | None, str | None, list[str]]]:
    """Tokens -> segments split at markers: (marker role or None, implied sex, tokens)."""
    segments: list[tuple[str | None, str | None, list[str]]] = [(None, None, [])]
    for token in tokens:
        marker = _MARKERS.get(fold_words(token))
        if marker and token.rstrip(".") not in _UPPER_NON_MARKERS:
            segments.append((marker[0], marker[1], []))
        else:
            segments[-1][2].append(token)
    return segments


def _strip_spouse_reference(tokens: list[str]) -> tuple[list[str], bool]:
    """Tokens after "épouse" -> (tokens, whether they name the spouse: "de M. Paul MARTIN").

    The spouse's first names are his, not hers: the caller drops them.
    """
    if len(tokens) >= 2 and fold_words(tokens[0]) == "de":
        civility, rest = _civility(tokens[1:])
        if civility:
            return rest, True
    return tokens, False


def split_person_name(text: str, *, surname_first: bool | None = None) -> PersonName:
    """A person's name as printed -> its parts; parts the text does not tell are None.

    `surname_first` says which comes first when case cannot tell (an all-capitals line such as
    "DUPONT JEAN" on an identity card): True surname first, False given names first.
    """
    labelled = _split_labelled(text)
    if labelled is not None:
        return labelled
    name_text, born_sex = _cut_trailing_clause(text)
    tokens = [t for t in _TOKEN.findall(name_text) if _clean(t) or t == ","]
    civility, tokens = _civility(tokens)
    sexes = {_CIVILITY_SEX[civility]} if civility else set()
    if born_sex:
        sexes.add(born_sex)
    birth: str | None = None
    usage: str | None = None
    firsts: list[str] = []
    segments = _segments(tokens)
    for index, (role, sex, seg_tokens) in enumerate(segments):
        if sex:
            sexes.add(sex)
        seg_tokens = [t for t in seg_tokens if t != "," or role is None and len(segments) == 1]
        spouse = False
        if role == "usage":
            seg_tokens, spouse = _strip_spouse_reference(seg_tokens)
        # Right after "née"/"épouse" comes a surname: "née DURAND MARIE" reads surname first.
        hint = surname_first if role is None or surname_first is not None else True
        surname, seg_firsts = _split_segment(seg_tokens, hint)
        words = [t for t in seg_tokens if t != ","]
        if surname is None and role is not None and len(words) == 1:
            surname, seg_firsts = _join_surname(words), []  # "née Rossi": one word, a surname
        if not spouse:
            firsts += seg_firsts
        next_role = segments[index + 1][0] if index + 1 < len(segments) else None
        if role == "birth" or (role is None and next_role != "birth"):
            birth = birth or surname
        else:  # after "épouse"/"veuve", or before "née"
            usage = usage or surname
    return PersonName(
        last_name=birth,
        first_names=_first_names(firsts),
        usage_name=usage,
        civility=civility,
        sex=sexes.pop() if len(sexes) == 1 else None,
    )


def _split_labelled(text: str) -> PersonName | None:
    """A labelled block ("Nom de naissance : X  Prénoms : Y") -> its parts; None if unlabelled."""
    folded = fold_text(text)
    labels = list(_LABEL.finditer(folded))
    if not labels or folded[: labels[0].start()].strip():
        return None
    birth = usage = civility = None
    firsts: list[str] = []
    sexes: set[str] = set()
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[label.end() : end].strip(" \t\n,;")
        kind = re.sub(r"\s+", " ", label.group("label"))
        if fold_words(value) in _NO_VALUE:
            continue
        if kind.startswith(("prenom", "autre")):
            firsts += [t for t in _TOKEN.findall(value) if t != ","]
        elif kind == "civilite":
            civility = _civility(value.split())[0]
        elif kind in ("nom d'usage", "nom marital", "nom d'epouse"):
            usage = _join_surname(value.split())
        else:  # a birth name, maybe with "épouse X", or Kbis "Nom, prénoms : DUPONT Jean"
            part = split_person_name(value, surname_first=True)
            birth = part.last_name or ("," not in kind and _join_surname(value.split())) or None
            usage = usage or part.usage_name
            firsts += (part.first_names or "").split()
            civility = civility or part.civility
            sexes |= {part.sex} if part.sex else set()
    if civility:
        sexes.add(_CIVILITY_SEX[civility])
    return PersonName(
        last_name=birth,
        first_names=_first_names(firsts),
        usage_name=usage,
        civility=civility,
        sex=sexes.pop() if len(sexes) == 1 else None,
    )


# OCR reads a bracket as a look-alike (« (FRANÇOIS } »), or loses the closing one at a cell end.
_BRACKETED = re.compile(r"[(\[{]([^()\[\]{}]*)(?:[)\]}]|$)")
_NAME_WORDS = re.compile(r"[^\W\d_]+(?:['\u2019\- ]+[^\W\d_]+)*")


def split_bracketed_usage(text: str, *, any_case: bool = False) -> tuple[str, str | None]:
    """A name with a usage name in brackets -> (the name without it, the usage name upper-cased):
    "LE GALL (BENARD)" -> ("LE GALL", "BENARD"). A bracket holding a marker is only unbracketed
    ("MARTIN (née DURAND)" -> "MARTIN née DURAND", for the marker rules). Only name words in
    capitals count as a usage name, or in any case with `any_case` (a value that is a surname
    throughout); other brackets stay as they are ("(gérant)")."""
    usage: str | None = None
    out, last = [], 0
    for m in _BRACKETED.finditer(text):
        inner = " ".join(m.group(1).split())
        words = _TOKEN.findall(inner)
        if any(fold_words(w) in _MARKERS for w in words):
            out.append(text[last : m.start()] + " " + inner + " ")
        elif (
            usage is None
            and text[: m.start()].strip()
            and _NAME_WORDS.fullmatch(inner)
            and (any_case or all(_is_upper_word(w) or _particle_of(w) for w in words))
        ):
            usage = _join_surname(words)
            out.append(text[last : m.start()] + " ")
        else:
            out.append(text[last : m.end()])
        last = m.end()
    out.append(text[last:])
    return " ".join("".join(out).split()), usage


def normalise_for_match(name: str) -> str:
    """A name -> lower-case ASCII words, particles and a leading civility dropped, for matching."""
    words = fold_words(name).split()
    while words and words[0] in _CIVILITIES and len(words) > 1:
        words = words[1:]
    kept = [w for w in words if w not in PARTICLES]
    return " ".join(kept or words)
