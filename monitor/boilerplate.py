"""A named library of boilerplate rules: paragraphs that are page furniture, not news.

Every rule matches a WHOLE paragraph (``fullmatch``), never a phrase inside one, so a
sentence that merely mentions an error, a disclaimer or "all rights" stays content.
Rules carry a length cap: page furniture is short, and the cap keeps a long news
paragraph that happens to start with a trigger word out of reach of the ``.*`` tails.

For speed all rules are folded into two combined regexes (short rules, long rules) with
one named group per rule; ``match_rule`` runs at most two ``fullmatch`` calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick_rs

_FLAGS = re.IGNORECASE | re.DOTALL

# Shared fragments. Apostrophes and quotes come straight and curly from the scrapers.
_APOS = "['’]"
_OPEN_Q = '["“«„]?\\s*'
_CLOSE_Q = '\\s*["”»“]?'
_END = r"\s*[.!:…]*"  # optional closing punctuation of a furniture line
_SEP = r"\s*[:»›>|•·–-]?\s*"  # what sits between a label and a link text


@dataclass(frozen=True)
class Rule:
    """One kind of boilerplate: ``pattern`` must match the whole (normalised) paragraph."""

    name: str
    pattern: str
    languages: tuple[str, ...]
    max_chars: int = 300  # longer paragraphs are never this kind of furniture
    # Lowercase phrases of which one must occur for the rule to be tried at all: rules that
    # scan into the paragraph ("... all rights reserved") are costly, a substring test is not.
    needs: tuple[str, ...] = ()


def _alt(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


_ERROR_WORD = _alt("sorry", "oops", "whoops", "error", "erreur", "fehler", "lo sentimos", "ошибка")
_STATUS = r"(?:40[0134]|410|50[0234])"
_NOT_EXIST = _alt(
    f"does(?:n{_APOS}t| not)(?: exist| seem to exist)(?: anymore| any ?more)?",
    f"(?:can(?:no|{_APOS})t|could(?: not|n{_APOS}t)) be found",
    "(?:is|was) (?:not|no longer) (?:available|found)",
    "no longer exists",
    r"(?:has|may have) been (?:moved|removed|deleted|renamed)",
)
_PAGE_SENTENCE = (
    f"(?:(?:we{_APOS}re|we are) sorry,?\\s*(?:but\\s*)?)?"
    f"(?:the |this )?page (?:that )?(?:you(?:{_APOS}re| are| were)? )?"
    f"(?:(?:looking for|requested|trying to reach)\\s*)?{_NOT_EXIST}"
    f"(?:,? or (?:it )?{_NOT_EXIST})?"
)

_ERROR_RULES = (
    # "Sorry!!", "Error!", "Oops!" alone: an error page's exclamation, never a sentence.
    Rule("error-page", f"(?:{_ERROR_WORD}\\s*[!.]*\\s*)+", ("en", "fr", "de", "es", "ru"), 40),
    Rule(
        "error-page",
        f"(?:{_ERROR_WORD}\\s*{_STATUS}?\\s*[!.:]*\\s*)?{_PAGE_SENTENCE}[.!]*"
        r"(?:\s*(?:please )?(?:check the url|go back|return) [^.!?]{0,60}[.!]?)?",
        ("en",),
        needs=("page",),
    ),
    Rule(
        "error-page",
        f"(?:(?:http )?{_ERROR_WORD}\\s*)?{_STATUS}{_SEP}"
        + _alt(
            "",
            "not found",
            "forbidden",
            "page not found",
            "access denied",
            "internal server error",
            "service unavailable",
            "bad gateway",
        )
        + _END,
        ("en",),
    ),
    Rule(
        "error-page",
        f"(?:{_ERROR_WORD}\\s*{_STATUS}?\\s*[:»›>|•·–.,!-]*\\s*)?"
        + _alt(
            "page not found",
            "access denied",
            "forbidden",
            "not found",
            "page introuvable",
            "page non trouvée",
            "cette page n['’]existe pas",
            "la page (?:que vous (?:recherchez|cherchez) |demandée )n['’]existe pas(?: ou plus)?",
            "seite nicht gefunden",
            "die (?:von ihnen )?(?:gesuchte|angeforderte) seite (?:existiert nicht|wurde nicht gefunden)",
            "página no encontrada",
            "la página (?:que (?:buscas|busca|estás buscando) |solicitada )no existe",
            "страница не найдена",
            "(?:запрашиваемая |такой )?страница (?:не найдена|не существует)",
            "доступ запрещ[её]н",
        )
        + _END,
        ("en", "fr", "de", "es", "ru"),
    ),
)

_LEGAL_RULES = (
    # A heading line alone ("Legal Disclaimer:"); the sentence "The disclaimer was added..."
    # is not a heading and does not fullmatch.
    Rule(
        "legal-disclaimer",
        _alt(
            "(?:legal |important |editorial )?disclaimer",
            "avertissement(?: légal)?",
            "mentions légales",
            "haftungsausschluss",
            "rechtlicher hinweis",
            "aviso legal",
            "descargo de responsabilidad",
            "отказ от ответственности",
        )
        + r"\s*:?",
        ("en", "fr", "de", "es", "ru"),
        40,
    ),
    # The syndication disclaimer (MENAFN and friends): "X provides the information
    # “as is” without warranty ..." followed by any amount of legalese.
    Rule(
        "legal-disclaimer",
        r"[^.!?]{0,80}?\bprovides? (?:the |this |all )?(?:information|content)(?: [^.!?]{0,40}?)?\s*"
        f"{_OPEN_Q}as[- ]is{_CLOSE_Q},? without (?:any )?warrant(?:y|ies)\\b.*",
        ("en",),
        2000,
        needs=("as is", "as-is"),
    ),
    Rule(
        "legal-disclaimer",
        _alt(
            r"[^.!?]{0,120}?\b(?:fournit|sont fournies?) [^.!?]{0,60}?"
            f"{_OPEN_Q}(?:en l{_APOS}état|tel quel){_CLOSE_Q},? sans (?:aucune )?garantie\\b.*",
            r"[^.!?]{0,120}?\b(?:ohne gewähr|ohne jegliche gewährleistung)\b.*",
            r"[^.!?]{0,120}?\b(?:proporciona|se proporciona|se ofrece) [^.!?]{0,60}?"
            f"{_OPEN_Q}(?:tal cual|tal como está){_CLOSE_Q},? sin (?:ningún tipo de )?garantía\\b.*",
            r"[^.!?]{0,120}?\bпредоставля\w* [^.!?]{0,60}?"
            f"{_OPEN_Q}как есть{_CLOSE_Q},? без (?:каких-либо )?гарантий\\b.*",
        ),
        ("fr", "de", "es", "ru"),
        2000,
        needs=("en l'état", "en l’état", "tel quel", "gewähr", "tal cual", "tal como", "как есть"),
    ),
    Rule(
        "legal-disclaimer",
        r"the (?:views|opinions)(?: and (?:views|opinions))? expressed (?:in this "
        r"(?:article|content|column|piece)|herein) are (?:those of the author|the author['’]s own)"
        r"[^.!?]*\.?(?:\s+.{0,300})?",
        ("en",),
        600,
        needs=("expressed",),
    ),
)

_COPYRIGHT_RULES = (
    Rule(
        "copyright",
        # "Copyright" only counts with a © or a year after it: "Copyright law was..." is news.
        r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?.{0,120}",
        ("en", "fr", "de", "es", "ru"),
        200,
    ),
    # "<Publisher>. All rights reserved." - the phrase must END the line, so "all rights
    # of detainees were violated" never matches.
    Rule(
        "copyright",
        ".{0,120}?"
        + _alt(
            "all rights reserved",
            "tous droits réservés",
            "alle rechte vorbehalten",
            "todos los derechos reservados",
            "все права защищены",
        )
        + _END,
        ("en", "fr", "de", "es", "ru"),
        200,
        needs=(
            "all rights reserved",
            "tous droits réservés",
            "alle rechte vorbehalten",
            "todos los derechos reservados",
            "все права защищены",
        ),
    ),
    Rule(
        "copyright",
        r"this (?:material|article|content) may not be (?:published|reproduced|copied)"
        r"(?:,? (?:broadcast|rewritten|redistributed|reproduced|published)){0,4}"
        r"(?:,? or (?:broadcast|rewritten|redistributed|reproduced))?[^.!?]{0,80}\.?",
        ("en",),
        needs=("may not be",),
    ),
)

_COOKIE_RULES = (
    Rule(
        "cookie-notice",
        _alt(
            r"(?:this|our) (?:web ?)?site uses cookies\b.*",
            r"we (?:use|and our partners use) cookies\b.*",
            r"by (?:continuing to )?(?:use|using|browse|browsing) (?:this|our) (?:web ?)?site.{0,200}"
            r"cookies\b.*",
            r"(?:accept|reject|manage) (?:all )?cookies(?: and continue)?",
            r"cookie (?:policy|settings|preferences|consent)",
            r"(?:ce|notre) site (?:web )?utilise des cookies\b.*",
            r"nous utilisons des cookies\b.*",
            r"(?:accepter|refuser) (?:les |tous les )?cookies",
            r"(?:diese|unsere) (?:web)?seite (?:verwendet|nutzt) cookies\b.*",
            r"(?:diese|unsere) website (?:verwendet|nutzt) cookies\b.*",
            r"wir (?:verwenden|nutzen) cookies\b.*",
            r"(?:alle )?cookies (?:akzeptieren|ablehnen)",
            r"(?:este|nuestro) sitio (?:web )?(?:utiliza|usa) cookies\b.*",
            r"(?:utilizamos|usamos) cookies\b.*",
            r"(?:aceptar|rechazar) (?:todas las )?cookies",
            r"(?:этот|наш) сайт использует (?:файлы )?cookies?\b.*",
            r"мы используем (?:файлы )?cookies?\b.*",
        ),
        ("en", "fr", "de", "es", "ru"),
        800,
        needs=("cookie",),
    ),
)

_COMMENT_RULES = (
    Rule(
        "comments-widget",
        _alt(
            r"comments?\s*:?\s*(?:\(?\d+\)?|no comments?(?: yet)?|0)?",
            r"(?:\d+|no) comments?(?: yet)?",
            r"(?:leave|post|add|write) a (?:comment|reply)",
            r"(?:show|view|hide|load) (?:all )?comments?(?: \(\d+\))?",
            r"be the first to comment[^.!?]{0,60}",
            r"commentaires?\s*:?\s*(?:\(?\d+\)?)?",
            r"(?:\d+|aucun) commentaires?",
            r"(?:laisser|ajouter|écrire) un commentaire",
            r"kommentare?\s*:?\s*(?:\(?\d+\)?)?",
            r"(?:\d+|keine) kommentare?",
            r"(?:kommentar|einen kommentar) (?:schreiben|hinterlassen|verfassen)",
            r"comentarios?\s*:?\s*(?:\(?\d+\)?)?",
            r"(?:\d+|sin) comentarios?",
            r"(?:deja|dejar|escribe|escribir|añadir) (?:un|tu) comentario",
            r"комментари(?:и|й|ев)\s*:?\s*(?:\(?\d+\)?)?",
            r"(?:\d+|нет) комментари\w*",
            r"(?:оставить|добавить|написать) комментарий",
        )
        + _END,
        ("en", "fr", "de", "es", "ru"),
        80,
    ),
)

_SOCIAL = _alt(
    "share",
    "tweet",
    "e-?mail",
    "print",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "telegram",
    "reddit",
    "pinterest",
    "vk",
    "copy link",
    "messenger",
)

_SHARE_RULES = (
    # A row of share buttons flattened into one line: "Share | Facebook | Twitter | Email".
    Rule("share-links", f"{_SOCIAL}(?:[\\s|/·•,]+{_SOCIAL})*{_END}", ("en",), 150),
    Rule(
        "share-links",
        _alt(
            r"share (?:this|on|via|the) (?:article|story|post|page|facebook|twitter|x|whatsapp|"
            r"linkedin|telegram|email)\b.{0,60}",
            r"share this(?: article| story| post)?",
            r"partager(?: (?:sur|cet article|via)\b.{0,60})?",
            r"(?:artikel )?teilen(?: (?:auf|über) \w+| sie diesen artikel)?",
            r"diesen artikel teilen",
            r"compartir(?: (?:en|este artículo|vía)\b.{0,60})?",
            r"поделиться(?: (?:в|ссылкой)\b.{0,60})?",
        )
        + _END,
        ("en", "fr", "de", "es", "ru"),
        150,
    ),
    Rule(
        "follow-us",
        _alt(
            r"follow us(?: on| at|:).{0,100}",
            r"follow us",
            r"suivez-nous(?: sur)?.{0,100}",
            r"folgen sie uns(?: auf)?.{0,100}",
            r"síguenos(?: en)?.{0,100}",
            r"(?:подписывайтесь|подпишитесь) на (?:нас|наш) .{0,100}",
        ),
        ("en", "fr", "de", "es", "ru"),
        150,
    ),
    Rule(
        "subscribe-newsletter",
        _alt(
            r"(?:click here to )?subscribe(?: now| today| here)?(?: (?:to|for) .{0,120})?",
            r"sign up (?:for|to) (?:our|the|a) .{0,60}newsletter.{0,100}",
            r"(?:get|receive) (?:our|the) .{0,40}newsletter.{0,100}",
            r"newsletter(?: sign[- ]?up| abonnieren)?",
            r"(?:abonnez-vous|inscrivez-vous)(?: à| a)?.{0,120}",
            r"(?:jetzt )?(?:abonnieren|newsletter bestellen).{0,80}",
            r"(?:suscríbete|suscribirse|suscríbase)(?: a| al)?.{0,120}",
            r"(?:подпишитесь|подписаться) на (?:рассылку|новости|канал|наш).{0,120}",
        )
        + _END,
        ("en", "fr", "de", "es", "ru"),
        200,
    ),
)

_READ_MORE_RULES = (
    Rule(
        "read-more",
        _alt(
            r"read more(?:\s*(?:here|on|at|about|:|»|›|>|…|\|).{0,150})?",
            r"read (?:the rest|the full (?:story|article|report)|more) here",
            r"(?:also )?read(?: also)?\s*:.{0,150}",
            r"(?:click|tap) here to (?:read|continue|see).{0,100}",
            r"continue reading.{0,100}",
            r"(?:related|related (?:articles?|stories|news|content|posts|coverage|topics))"
            r"(?:\s*:.{0,150})?",
            r"see also(?:\s*:.{0,150})?",
            r"more on this (?:story|topic)(?:\s*:.{0,150})?",
            r"you (?:may|might) also (?:like|be interested in).{0,150}",
            r"recommended(?: for you| stories| articles)?(?:\s*:.{0,150})?",
        )
        + _END,
        ("en",),
        200,
    ),
    Rule(
        "read-more",
        _alt(
            r"(?:à )?lire (?:aussi|également|la suite|plus)(?:\s*:.{0,150})?",
            r"voir aussi(?:\s*:.{0,150})?",
            r"sur le même sujet(?:\s*:.{0,150})?",
            r"mehr (?:zum thema|lesen)(?:\s*:.{0,150})?",
            r"lesen sie (?:auch|mehr)(?:\s*:.{0,150})?",
            r"weiterlesen",
            r"siehe auch(?:\s*:.{0,150})?",
            r"leer más(?:\s*:.{0,150})?",
            r"lee (?:también|más)(?:\s*:.{0,150})?",
            r"(?:ver|véase) también(?:\s*:.{0,150})?",
            r"noticias relacionadas(?:\s*:.{0,150})?",
            r"te puede interesar(?:\s*:.{0,150})?",
            r"читайте (?:также|далее)(?:\s*:.{0,150})?",
            r"читать (?:далее|полностью)",
            r"подробнее(?:\s*(?:читайте )?(?:здесь|по ссылке))?",
            r"см\.\s*также(?:\s*:.{0,150})?",
        )
        + _END,
        ("fr", "de", "es", "ru"),
        200,
    ),
)

_AD_RULES = (
    Rule(
        "advertisement",
        _alt(
            "advertisement",
            "advertising",
            "sponsored(?: content)?",
            "publicité",
            "anzeige",
            "werbung",
            "publicidad",
            "реклама",
        )
        + r"(?:\s*[-–:]?\s*(?:scroll (?:down )?to continue(?: reading)?|continue reading below|"
        r"story continues below(?: advertisement)?))?" + _END,
        ("en", "fr", "de", "es", "ru"),
        80,
    ),
    Rule(
        "advertisement",
        r"(?:story|article) continues below(?: advertisement)?" + _END,
        ("en",),
        80,
    ),
)

_SEPARATOR_RULES = (
    # "___", "* * *", "—": section dividers with no letter or digit in them.
    Rule("separator", r"[\W_]+", ("*",), 40),
)

RULES: tuple[Rule, ...] = (
    *_ERROR_RULES,
    *_LEGAL_RULES,
    *_COPYRIGHT_RULES,
    *_COOKIE_RULES,
    *_COMMENT_RULES,
    *_SHARE_RULES,
    *_READ_MORE_RULES,
    *_AD_RULES,
    *_SEPARATOR_RULES,
)

# Anchored rules are folded into one alternation per length cap; a paragraph only faces
# the alternation of rules whose cap it fits, so a long news paragraph meets few or none.
# Keyword rules (with ``needs``) are compiled alone and tried only when a phrase occurs.
Bucket = tuple[int, re.Pattern[str], dict[str, Rule]]


def _combine(rules: list[Rule]) -> tuple[re.Pattern[str], dict[str, Rule]]:
    groups = {f"r{i}": rule for i, rule in enumerate(rules)}
    body = "|".join(f"(?P<{key}>{rule.pattern})" for key, rule in groups.items())
    return re.compile(f"(?:{body})", _FLAGS), groups


def _buckets(rules: tuple[Rule, ...]) -> tuple[Bucket, ...]:
    caps = sorted({r.max_chars for r in rules})
    return tuple((cap, *_combine([r for r in rules if r.max_chars >= cap])) for cap in caps)


_BUCKETS = _buckets(tuple(r for r in RULES if not r.needs))
_KEYWORD_RULES = tuple((r, re.compile(r.pattern, _FLAGS)) for r in RULES if r.needs)


def _anchored(p: str) -> str | None:
    for cap, pattern, groups in _BUCKETS:
        if len(p) <= cap:
            m = pattern.fullmatch(p)
            return groups[m.lastgroup or ""].name if m else None
    return None


_ALL_NEEDS = tuple(dict.fromkeys(k for r, _ in _KEYWORD_RULES for k in r.needs))
# One DFA pass finds whether any phrase occurs (~1.2 µs per 250-char paragraph; the 18
# substring tests took ~3.5 µs). Only a paragraph with one faces the rules themselves.
_NEEDS_SCAN = ahocorasick_rs.AhoCorasick(list(_ALL_NEEDS))
_KEYWORD_MAX_CHARS = max(r.max_chars for r, _ in _KEYWORD_RULES)


def _has_need(text: str) -> bool:
    try:
        return bool(_NEEDS_SCAN.find_matches_as_indexes(text))
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: the plain tests
        return any(k in text for k in _ALL_NEEDS)


def _keyword(p: str, folded: str | None = None) -> str | None:
    """`folded`: the casefold of the unstripped paragraph, when the caller has it. A phrase
    occurs in ``p.lower()`` only if it occurs in the casefold too (no phrase has surrounding
    whitespace, and casefold differs from lower only on characters whose lowercase shares
    no character with any phrase; test_boilerplate checks every code point), so the
    casefold serves to rule paragraphs out; the rules still see ``p.lower()``."""
    if len(p) > _KEYWORD_MAX_CHARS:
        return None  # longer than every keyword rule's cap: none can fit
    lowered = None
    if folded is None:
        folded = lowered = p.lower()
    if not _has_need(folded):
        return None
    if lowered is None:
        lowered = p.lower()
    for rule, pattern in _KEYWORD_RULES:
        fits = len(p) <= rule.max_chars and any(k in lowered for k in rule.needs)
        if fits and pattern.fullmatch(p):
            return rule.name
    return None


def match_rule(paragraph: str, folded: str | None = None) -> str | None:
    """The name of the rule that makes ``paragraph`` boilerplate, or None if it is content.
    `folded`: ``paragraph.casefold()`` when the caller has made it already."""
    p = paragraph.strip()
    if not p:
        return None
    return _anchored(p) or _keyword(p, folded)
