"""Paper summaries as a BibTeX bibliography: one entry per paper, valid for LaTeX, keys stable."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from notebase.errors import Problem, Severity
from notebase.model import PaperSummary

# Full names for the venues notes name by acronym, as dblp and the proceedings print them.
CONFERENCES = {
    "neurips": "Advances in Neural Information Processing Systems",
    "nips": "Advances in Neural Information Processing Systems",
    "icml": "International Conference on Machine Learning",
    "iclr": "International Conference on Learning Representations",
    "cvpr": "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
    "iccv": "IEEE/CVF International Conference on Computer Vision",
    "eccv": "European Conference on Computer Vision",
    "aaai": "AAAI Conference on Artificial Intelligence",
    "ijcai": "International Joint Conference on Artificial Intelligence",
    "acl": "Annual Meeting of the Association for Computational Linguistics",
    "emnlp": "Conference on Empirical Methods in Natural Language Processing",
    "naacl": "Conference of the North American Chapter of the Association for Computational Linguistics",
    "kdd": "ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
    "aistats": "International Conference on Artificial Intelligence and Statistics",
    "uai": "Conference on Uncertainty in Artificial Intelligence",
}
JOURNALS = {
    "jmlr": "Journal of Machine Learning Research",
    "tmlr": "Transactions on Machine Learning Research",
    "tpami": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "tacl": "Transactions of the Association for Computational Linguistics",
    "nature": "Nature",
    "science": "Science",
}
_JOURNAL_WORDS = re.compile(r"journal|transactions|letters|review|magazine|bulletin|논문지|학회지|저널", re.I)
_ARXIV_ID = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})", re.I)
# The run before the year must start after a word: a search then never retries from inside it.
_TRAILING_YEAR = re.compile(r"(?<![\s'\-,])[\s'\-,]*(?:(?:19|20)\d{2}|'\d{2})\s*$")
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
            "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
# Starts only where a run of spaces starts and takes runs whole: `\s*,?\s*` retried inside a long run
# of spaces in an author's name hung `export --bibtex`.
_ET_AL = re.compile(r"(?<!\s)\s*+,?\s*+\bet\s+al\b\.?\s*+$", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LEAD, _TRAIL = "([\"'`", ")]\"'`.,:;!?"
_STOPWORDS = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "is", "are", "via", "from",
              "by", "at", "as", "towards", "toward", "do", "does", "can", "what", "how", "why", "when"}
# Letters NFKD leaves alone: keys are ASCII, so Łukasz becomes lukasz.
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                        "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"})
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()
# Korean surnames as people spell them in papers, not as Revised Romanization would (Lee, not I).
SURNAMES = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang", "조": "cho", "윤": "yoon",
    "장": "jang", "임": "lim", "한": "han", "오": "oh", "서": "seo", "신": "shin", "권": "kwon", "황": "hwang",
    "안": "ahn", "송": "song", "류": "ryu", "유": "yoo", "전": "jeon", "홍": "hong", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "노": "noh", "심": "shim", "곽": "kwak",
    "성": "sung", "차": "cha", "주": "joo", "우": "woo", "구": "koo", "민": "min", "진": "jin", "엄": "um",
    "채": "chae", "원": "won", "천": "cheon", "현": "hyun", "변": "byun", "남궁": "namgung", "황보": "hwangbo",
    "제갈": "jegal", "선우": "sunwoo", "독고": "dokgo", "사공": "sagong",
}


@dataclass(frozen=True)
class BibEntry:
    """One BibTeX entry: its type, citation key, fields in print order and the notes it came from."""

    kind: str  # inproceedings, article or misc
    key: str
    fields: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]
    origin: tuple[str, int, str] = ("", 0, "")  # path, line and paper title of its first summary
    basis: Basis | None = None  # what its key is made of, and which of it the summary stated


@dataclass(frozen=True)
class Basis:
    """The parts of a summary its key comes from, and whether they were stated or fallen back on."""

    authors: tuple[str, ...]
    year: int | None
    year_stated: bool  # else read from the arXiv id (when the preprint appeared)
    title: str
    title_stated: bool  # a paper_title, else the note's own title


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters; braces become commands so BibTeX's brace count holds."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return "".join(_SPECIAL.get(ch, ch) for ch in text)


def protect_title(title: str) -> str:
    """Escape a title and brace the words styles must not lowercase: BERT, ImageNet, GANs, 3D."""
    words = []
    for word in latex_escape(title).split(" "):
        # Leading brackets and quotes, the word, trailing punctuation: stripped, not matched with
        # `(.*?)([...]*)$`, which retried its tail at every character of a long run of `!`.
        rest = word.lstrip(_LEAD)
        lead, core = word[: len(word) - len(rest)], rest.rstrip(_TRAIL)
        trail = rest[len(core):]
        letters = re.sub(r"\\[a-z]+(?:\{\})?", "", core)
        if any(ch.isupper() for ch in letters[1:]):
            word = f"{lead}{{{core}}}{trail}"
        words.append(word)
    return " ".join(words)


def romanize(text: str) -> str:
    """Spell Hangul syllables in Latin letters (Revised Romanization, syllable by syllable)."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            initial, vowel, final = code // 588, code % 588 // 28, code % 28
            out.append(_INITIALS[initial].strip("-") + _VOWELS[vowel] + _FINALS[final].strip("-"))
        else:
            out.append(ch)
    return "".join(out)


def ascii_word(text: str) -> str:
    """Return text as lowercase ASCII letters and digits: accents dropped, Hangul romanized."""
    text = unicodedata.normalize("NFKD", romanize(unicodedata.normalize("NFC", text)).translate(_ASCII))
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def family_name(name: str) -> str:
    """Return the part of a name a citation key starts with: the surname, in ASCII."""
    name = " ".join(name.split())
    if re.search(r"[\uac00-\ud7a3]", name):
        hangul = re.sub(r"[^\uac00-\ud7a3]", "", name.split(" ")[0] if " " in name else name)
        for size in (2, 1):
            if hangul[:size] in SURNAMES:
                return SURNAMES[hangul[:size]]
        return ascii_word(hangul[:1])
    if "," in name:  # "Vaswani, Ashish": BibTeX's own last-name-first form
        return ascii_word(name.split(",")[0].split(" ")[-1])
    parts = [p for p in name.split(" ") if p.rstrip(".").lower() not in ("jr", "sr", "ii", "iii", "iv")]
    return ascii_word(parts[-1]) if parts else ""


def citation_key(authors: Iterable[str], year: int | None, title: str) -> str:
    """Return a Google-Scholar-style key: first author's surname, year, first significant title word."""
    first = next(iter(authors), "")
    family = family_name(first) if first else ""
    words = [ascii_word(w) for w in re.split(r"[\s\-–—:/]+", title)]
    significant = [w for w in words if w and w not in _STOPWORDS and not w.isdigit()]
    word = significant[0] if significant else ""
    if not family:  # no author: the title's first significant word stands in
        family, word = word, ""
    return f"{family}{year or ''}{word}" or "paper"


def arxiv_id(entry: PaperSummary) -> str | None:
    """Return the arXiv identifier of a paper's links, without a version."""
    for link in entry.paper_links:
        m = _ARXIV_ID.search(link.url)
        if m:
            return m["id"]
    return None


def _year(entry: PaperSummary, eprint: str | None) -> int | None:
    if entry.year:
        return entry.year
    if eprint and re.match(r"\d{4}\.", eprint):  # new-style ids start YYMM
        return 2000 + int(eprint[:2])
    if eprint and re.search(r"/\d{7}$", eprint):  # old-style ids: archive/YYMMNNN
        yy = int(eprint[-7:-5])
        return (1900 if yy > 90 else 2000) + yy
    return None


def _venue(venue: str | None) -> tuple[str, str | None]:
    """Return the entry type a venue calls for and the venue's printable name."""
    if not venue or not venue.strip():
        return "misc", None
    bare = _TRAILING_YEAR.sub("", venue.strip()) or venue.strip()
    key = bare.casefold()
    if key.startswith("arxiv") or key == "corr":  # "arXiv preprint"; CoRR is dblp's name for arXiv
        return "misc", None
    if key in JOURNALS:
        return "article", JOURNALS[key]
    if key in CONFERENCES:
        return "inproceedings", CONFERENCES[key]
    if _JOURNAL_WORDS.search(bare) and not re.search(r"proceedings|conference|학술대회", bare, re.I):
        return "article", bare
    return "inproceedings", bare


def _verbatim(value: str) -> str:
    """A URL, DOI or eprint as written, with braces encoded so the entry stays balanced."""
    return "".join(value.split()).replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _author(name: str) -> str:
    escaped = latex_escape(name)
    # A name holding the word "and" would split in two: brace it (a group, e.g. "Google and X").
    return "{" + escaped + "}" if re.search(r"\band\b", escaped, re.I) else escaped


def bib_entry(entry: PaperSummary) -> BibEntry:
    """Return the BibTeX entry for one paper summary (its key not yet made unique)."""
    eprint = arxiv_id(entry)
    year = _year(entry, eprint)
    title = entry.paper_title or entry.title
    kind, venue = _venue(entry.venue)
    doi = next((link.url for link in entry.paper_links if link.kind == "doi"), None)
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I) if doi else None
    url = next((link.url for kind_ in ("web", "pdf") for link in entry.paper_links if link.kind == kind_), None)
    if url is None and eprint:
        url = f"https://arxiv.org/abs/{eprint}"
    fields: list[tuple[str, str]] = []
    authors = [_ET_AL.sub("", a).strip() for a in entry.authors]
    if authors:
        # "A et al." is BibTeX's "A and others": styles then print "et al." themselves.
        others = ["others"] if any(_ET_AL.search(a) for a in entry.authors) else []
        fields.append(("author", " and ".join([_author(a) for a in authors if a] + others)))
    fields.append(("title", protect_title(title)))
    if venue:
        fields.append(("booktitle" if kind == "inproceedings" else "journal", latex_escape(venue)))
    if year:
        fields.append(("year", str(year)))
    if doi:
        fields.append(("doi", _verbatim(doi)))
    if eprint:
        fields += [("eprint", _verbatim(eprint)), ("archivePrefix", "arXiv")]
    if url and not doi:
        fields.append(("url", _verbatim(url)))
    return BibEntry(kind, citation_key([a for a in authors if a], year, title), tuple(fields),
                    (f"{entry.source}: {entry.title}",), (entry.source.path, entry.source.line, title),
                    Basis(tuple(a for a in authors if a), year, bool(entry.year), title, bool(entry.paper_title)))


def _identities(entry: PaperSummary, bib: BibEntry) -> list[str]:
    """What makes two summaries the same paper: the same DOI, arXiv id or paper title."""
    fields = dict(bib.fields)
    title = ascii_word(entry.paper_title or entry.title)
    keys = ["title:" + title] if title else []  # a title of symbols alone names no paper
    if "doi" in fields:
        keys.append("doi:" + fields["doi"].lower())
    if "eprint" in fields:
        keys.append("arxiv:" + fields["eprint"].lower())
    return keys


def _merge(group: list[BibEntry]) -> BibEntry:
    """One entry for summaries of the same paper: the fullest one, gaps filled from the others.

    What a summary states wins over what another falls back on: the authors from one that names
    them, the year from one that states it (not read from an arXiv id), the title from a
    `paper_title`, the venue from one that has it; the key is made from those.
    """
    group = sorted(group, key=lambda b: -len(b.fields))
    fields = dict(group[0].fields)
    for other in group[1:]:
        for name, value in other.fields:
            fields.setdefault(name, value)
    basis = [b for b in group if b.basis is not None]

    def first(test):
        return next((b for b in basis if test(b.basis)), None)

    by_author = first(lambda x: x.authors)
    by_year = first(lambda x: x.year_stated) or first(lambda x: x.year)
    by_title = first(lambda x: x.title_stated) or (basis[0] if basis else None)
    by_venue = next((b for b in group if b.kind != "misc"), group[0])
    for source, names in ((by_author, ("author",)), (by_year, ("year",)), (by_title, ("title",)),
                          (by_venue, ("booktitle", "journal"))):
        if source is None:
            continue
        own = dict(source.fields)
        for name in names:
            fields.pop(name, None)
            if name in own:
                fields[name] = own[name]
    key = group[0].key
    if basis:
        key = citation_key(by_author.basis.authors if by_author else (), by_year.basis.year if by_year else None,
                           by_title.basis.title)
    order = ("author", "title", "booktitle", "journal", "year", "doi", "eprint", "archivePrefix", "url")
    ordered = tuple((name, fields[name]) for name in order if name in fields)
    return BibEntry(by_venue.kind, key, ordered, tuple(s for b in group for s in b.sources),
                    min((b.origin for b in group), key=lambda o: (o[0], o[1])))


def bibliography(entries: Iterable[PaperSummary]) -> list[BibEntry]:
    """Return one BibTeX entry per paper, sorted by key; clashing keys get a, b, c…"""
    groups: list[list[BibEntry]] = []
    owner: dict[str, int] = {}  # identity -> index of its group in groups
    for entry in sorted(entries, key=lambda e: (e.source.path, e.source.line)):
        bib = bib_entry(entry)
        keys = _identities(entry, bib)
        # A summary sharing any identity with earlier ones joins them, merging their groups if it
        # links two (the digest's DDPM by title, the paper note's by arXiv id as well).
        found = sorted({owner[k] for k in keys if k in owner})
        target = found[0] if found else len(groups)
        if not found:
            groups.append([])
        for other in found[1:]:
            groups[target] += groups[other]
            groups[other] = []
            owner.update({k: target for k, v in owner.items() if v == other})
        groups[target].append(bib)
        owner.update({k: target for k in keys})
    groups = [g for g in groups if g]
    merged = [_merge(group) for group in groups]
    by_key: dict[str, list[BibEntry]] = defaultdict(list)
    for bib in merged:
        by_key[bib.key].append(bib)
    result = []
    for key, same in by_key.items():
        if len(same) == 1:
            result.append(same[0])
            continue
        # Ordered by title, not by file, so moving a note never swaps two papers' keys.
        same.sort(key=lambda b: (dict(b.fields)["title"].casefold(), b.sources))
        result += [replace(b, key=f"{key}{_suffix(n)}") for n, b in enumerate(same)]
    unique, taken = [], set()
    for bib in sorted(result, key=lambda b: b.key):
        key, n = bib.key, 2
        while key in taken:  # a suffixed key equal to another paper's own key: rare, but must not clash
            key, n = f"{bib.key}{n}", n + 1
        taken.add(key)
        unique.append(replace(bib, key=key))
    return unique


def missing_fields(entries: Iterable[BibEntry]) -> list[Problem]:
    """Warn for each paper whose entry has no author or no year: styles print it incomplete."""
    problems = []
    for bib in entries:
        fields = dict(bib.fields)
        missing = [word for name, word in (("author", "authors"), ("year", "year")) if name not in fields]
        if missing:
            path, line, title = bib.origin
            hint = " and ".join({"authors": "authors: [A, B]", "year": "year: YYYY"}[m] for m in missing)
            problems.append(Problem(path, line, f"paper '{title}' has no {' and no '.join(missing)}: its BibTeX "
                                    f"entry {bib.key} will print without", f"add {hint} to the note",
                                    Severity.WARNING))
    return problems


def _suffix(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < 26 else letters[n // 26 - 1] + letters[n % 26]


def format_bibtex(entries: Iterable[BibEntry]) -> str:
    """Return entries as BibTeX text, each after a comment naming the notes it came from."""
    chunks = []
    for bib in entries:
        width = max(len(name) for name, _ in bib.fields)
        # Outside an entry BibTeX skips text, but an '@' there would start one.
        sources = "\n".join("% " + " ".join(s.replace("@", "(at)").split()) for s in bib.sources)
        body = ",\n".join(f"  {name:<{width}} = {{{value}}}" for name, value in bib.fields)
        chunks.append(f"{sources}\n@{bib.kind}{{{bib.key},\n{body},\n}}\n")
    return "\n".join(chunks)
