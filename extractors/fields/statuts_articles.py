"""The articles of statuts: where each starts and ends, and what its heading says.

Headings vary in wording and typography: "Article 3 - Dénomination", "ARTICLE PREMIER - FORME",
"ARTICLE DEUX - OBJET", "Art. 1er – Forme", "ARTICLE 3 : DÉNOMINATION SOCIALE", or the number
alone with the title on the next line ("ARTICLE 7" / "CAPITAL SOCIAL"); OCR reads "1er" as "ler".
A "TITRE II - …" line ends the article before it. Rules that look for a clause use the article
whose title names it, and fall back on the whole text when the statuts have no recognisable
headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.french.folding import fold_text
from extractors.french.numbers import NUMBER_WORDS_RE

# Notarial statuts write the number in words too: "ARTICLE DOUZE - GÉRANCE".
_NUMBER = (r"(?:\d{1,3}(?:\s?(?:er|eme|e)(?![a-z]))?|premier|[il1]er|[ivxlc]{1,6}|unique"
           rf"|{NUMBER_WORDS_RE})")
_HEADING = re.compile(
    rf"^[ \t]*(?:(?P<article>article|art\s?\.?)\s*(?P<number>{_NUMBER})(?![a-z0-9])"
    r"|(?P<titre>titre|chapitre)\s+(?:[ivxlc]{1,6}|\d{1,2}|premier)(?![a-z0-9]))"
    r"(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
_SEPARATORS = " \t-–—:.°)"
# A title on the line below a bare "ARTICLE 7": short, and not a sentence.
_MAX_TITLE_CHARS = 70


@dataclass(frozen=True, slots=True)
class Article:
    """One article: [start, end) in the text, its body's start and its folded title."""

    start: int
    body_start: int
    end: int
    title: str  # folded ("capital social"); "" when the heading has none


def find_articles(text: str) -> list[Article]:
    """The articles of a statuts text, in order; "TITRE" headings end them but are not kept."""
    folded = fold_text(text)
    heads: list[tuple[int, int, str, bool]] = []  # start, body start, title, is an article
    for m in _HEADING.finditer(folded):
        if not _is_heading(text, m):
            continue
        title = m.group("rest").strip(_SEPARATORS)
        body_start = m.end()
        if m.group("article") and not title:
            title, body_start = _title_below(folded, m.end())
        heads.append((m.start(), body_start, title, bool(m.group("article"))))
    articles: list[Article] = []
    for index, (start, body_start, title, is_article) in enumerate(heads):
        if not is_article:
            continue
        end = heads[index + 1][0] if index + 1 < len(heads) else len(text)
        articles.append(Article(start, min(body_start, end), end, title))
    return articles


def _is_heading(text: str, m: re.Match[str]) -> bool:
    """Whether a line starting "article 12 …" is a heading, not prose that wrapped there.

    A heading's title is set off by punctuation or capitalised ("Article 3 - Objet", "ARTICLE 3
    OBJET"); prose continues in lower case ("article 12 des présents statuts"). Roman numbers
    are upper case in headings, so "article L. 227-1" is not article "L".
    """
    number = m.group("number")
    if number and re.fullmatch(r"[ivxlc]+", number) and number not in ("ier", "ler"):
        printed = text[m.start("number") : m.end("number")]
        if not printed.isupper() or printed in ("L", "C"):  # "article L. 227-1": a code article
            return False
    rest = text[m.start("rest") : m.end("rest")].lstrip(" \t")
    return not rest or rest[0] in _SEPARATORS or rest[0].isupper() or rest[0] in "«\"("


def _title_below(folded: str, pos: int) -> tuple[str, int]:
    """The title on the line after a bare article number, and where the body then starts."""
    line_end = folded.find("\n", pos + 1)
    line_end = len(folded) if line_end < 0 else line_end
    line = folded[pos:line_end].strip()
    if line and len(line) <= _MAX_TITLE_CHARS and not line.endswith((".", ";", ",")):
        return line.strip(_SEPARATORS), line_end
    return "", pos


def articles_titled(articles: list[Article], *words: str) -> list[Article]:
    """The articles whose title contains one of `words` (folded, word starts)."""
    pattern = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in words) + ")")
    return [a for a in articles if pattern.search(a.title)]


def article_at(articles: list[Article], pos: int) -> Article | None:
    """The article containing offset `pos`, if any."""
    return next((a for a in articles if a.start <= pos < a.end), None)
