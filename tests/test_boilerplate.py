"""Every rule, in every language it claims, and a keep-list of real sentences it must spare."""

from __future__ import annotations

import dataclasses

import pytest

from monitor.boilerplate import RULES, Rule, match_rule

MENAFN_STYLE = (
    "NEWSWIRE provides the information “as is” without warranty of any kind. We do not accept "
    "any responsibility or liability for the accuracy, content, images, videos, licenses, "
    "completeness, legality, or reliability of the information contained in this article."
)

# (paragraph, rule name) — each rule × language has at least one line here.
BOILERPLATE = [
    ("Sorry!!", "error-page"),
    ("Oops!", "error-page"),
    ("Error! We're sorry, but the page you were looking for doesn't exist.", "error-page"),
    ("The page you requested could not be found.", "error-page"),
    ("This page doesn’t exist or has been removed.", "error-page"),
    ("404", "error-page"),
    ("Error 404 - Page not found", "error-page"),
    ("403 Forbidden", "error-page"),
    ("Access denied", "error-page"),
    ("Erreur 404 : Page introuvable", "error-page"),
    ("La page que vous recherchez n'existe pas.", "error-page"),
    ("Fehler 404 – Seite nicht gefunden", "error-page"),
    ("Die gesuchte Seite existiert nicht.", "error-page"),
    ("Lo sentimos, página no encontrada", "error-page"),
    ("La página que buscas no existe.", "error-page"),
    ("Ошибка 404. Страница не найдена", "error-page"),
    ("Запрашиваемая страница не существует", "error-page"),
    ("Legal Disclaimer:", "legal-disclaimer"),
    ("Disclaimer", "legal-disclaimer"),
    (MENAFN_STYLE, "legal-disclaimer"),
    ("Avertissement légal :", "legal-disclaimer"),
    (
        "Le fournisseur fournit les informations « en l'état » sans aucune garantie. Nous "
        "déclinons toute responsabilité.",
        "legal-disclaimer",
    ),
    ("Haftungsausschluss:", "legal-disclaimer"),
    (
        "Alle Angaben ohne Gewähr. Für Inhalte Dritter wird keine Haftung übernommen.",
        "legal-disclaimer",
    ),
    ("Aviso legal:", "legal-disclaimer"),
    (
        "El proveedor proporciona la información «tal cual» sin garantía de ningún tipo.",
        "legal-disclaimer",
    ),
    ("Отказ от ответственности:", "legal-disclaimer"),
    (
        "Агентство предоставляет информацию «как есть» без каких-либо гарантий.",
        "legal-disclaimer",
    ),
    (
        "The views and opinions expressed in this article are those of the author and do not "
        "necessarily reflect the official policy of this site.",
        "legal-disclaimer",
    ),
    ("© 2025 Coastal Times. All rights reserved.", "copyright"),
    ("Copyright 2016 The Associated Press.", "copyright"),
    ("Coastal Media Group Ltd. All rights reserved.", "copyright"),
    ("Tous droits réservés.", "copyright"),
    ("Alle Rechte vorbehalten.", "copyright"),
    ("Todos los derechos reservados.", "copyright"),
    ("© РИА Новости. Все права защищены.", "copyright"),
    (
        "This material may not be published, broadcast, rewritten or redistributed.",
        "copyright",
    ),
    ("This website uses cookies to improve your experience.", "cookie-notice"),
    ("We use cookies to personalise content and ads.", "cookie-notice"),
    ("By continuing to browse this site you agree to our use of cookies.", "cookie-notice"),
    ("Accept all cookies", "cookie-notice"),
    ("Ce site utilise des cookies pour améliorer votre expérience.", "cookie-notice"),
    ("Diese Website verwendet Cookies.", "cookie-notice"),
    ("Este sitio web utiliza cookies propias y de terceros.", "cookie-notice"),
    ("Этот сайт использует файлы cookie.", "cookie-notice"),
    ("CommentsNo comment", "comments-widget"),
    ("Leave a comment", "comments-widget"),
    ("0 comments", "comments-widget"),
    ("Comments (12)", "comments-widget"),
    ("Be the first to comment", "comments-widget"),
    ("Laisser un commentaire", "comments-widget"),
    ("Aucun commentaire", "comments-widget"),
    ("Keine Kommentare", "comments-widget"),
    ("Dejar un comentario", "comments-widget"),
    ("Оставить комментарий", "comments-widget"),
    ("Нет комментариев", "comments-widget"),
    ("Share on Facebook", "share-links"),
    ("Share | Facebook | Twitter | Email", "share-links"),
    ("Partager sur Twitter", "share-links"),
    ("Artikel teilen", "share-links"),
    ("Compartir en WhatsApp", "share-links"),
    ("Поделиться", "share-links"),
    ("Follow us on Twitter", "follow-us"),
    ("Suivez-nous sur Facebook", "follow-us"),
    ("Folgen Sie uns auf Instagram", "follow-us"),
    ("Síguenos en Twitter", "follow-us"),
    ("Подписывайтесь на наш канал в Telegram", "follow-us"),
    ("Subscribe to our newsletter", "subscribe-newsletter"),
    ("Sign up for our daily newsletter to get the top stories.", "subscribe-newsletter"),
    ("Abonnez-vous à notre newsletter", "subscribe-newsletter"),
    ("Jetzt abonnieren", "subscribe-newsletter"),
    ("Suscríbete a nuestro boletín", "subscribe-newsletter"),
    ("Подпишитесь на рассылку", "subscribe-newsletter"),
    ("Read more: Kremlin says no dates set for talks", "read-more"),
    ("Read the rest here.", "read-more"),
    ("Related:", "read-more"),
    ("Related articles", "read-more"),
    ("See also: Macron calls for dialogue", "read-more"),
    ("You may also like", "read-more"),
    ("Lire aussi : Macron appelle au dialogue", "read-more"),
    ("À lire également", "read-more"),
    ("Lesen Sie auch: Kreml nennt keine Termine", "read-more"),
    ("Mehr zum Thema", "read-more"),
    ("Leer más", "read-more"),
    ("Noticias relacionadas", "read-more"),
    ("Читайте также: Песков о переговорах", "read-more"),
    ("Подробнее", "read-more"),
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT - SCROLL TO CONTINUE", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("Publicité", "advertisement"),
    ("Anzeige", "advertisement"),
    ("Publicidad", "advertisement"),
    ("Реклама", "advertisement"),
    ("* * *", "separator"),
    ("___.", "separator"),
]

# Real content that shares words with the rules. Every one must survive.
KEEP = [
    "Peskov declined to comment.",
    "The ministry said it was an error.",
    "Sorry seems to be the hardest word, the minister said.",
    "The disclaimer was added after the court ruling.",
    "Human rights groups said all rights of detainees were violated.",
    "“No comment,” he said.",
    "Error-prone software was blamed for the outage, the regulator said.",
    "404 people were killed in the floods, officials said.",
    "The page of the report that was leaked does not exist in the official version, he said.",
    "Copyright law was reformed in 2019, the court noted.",
    "The company said its cookies contained no artificial colouring.",
    "Share prices fell 3% on Monday.",
    "Shares in the airline rose after the announcement.",
    "Follow-up talks are planned for next week.",
    "Subscribers complained about the price increase.",
    "Related charges were dropped on Friday.",
    "Read the statement in full, he urged reporters.",
    "Advertising revenue rose 5% in the quarter.",
    "Comments by the minister drew sharp criticism from the opposition.",
    "The newsletter published by the embassy was banned.",
    "Le ministre a refusé de commenter.",
    "Désolé, mais nous ne reviendrons pas en arrière, a déclaré le président.",
    "Tous les droits des détenus ont été violés, selon les ONG.",
    "Teilen der Bevölkerung fehlt das Vertrauen in die Regierung.",
    "Der Sprecher lehnte einen Kommentar ab.",
    "Die Seite der Regierung war am Montag nicht erreichbar.",
    "El ministro dijo que fue un error.",
    "Lo sentimos mucho por las víctimas, dijo el portavoz.",
    "Песков отказался от комментариев.",
    "Подробнее о ситуации рассказал министр.",
    "Ошибка была исправлена в понедельник, сообщили в министерстве.",
    "Реклама табака запрещена с 2013 года.",
    "The minister said: “We provide the information as it is, without warranty of success.”",
]


@pytest.mark.parametrize(("paragraph", "rule"), BOILERPLATE)
def test_boilerplate_matches_named_rule(paragraph: str, rule: str) -> None:
    assert match_rule(paragraph) == rule


@pytest.mark.parametrize("sentence", KEEP)
def test_keep_list_is_not_boilerplate(sentence: str) -> None:
    assert match_rule(sentence) is None


def test_keep_list_is_long_enough() -> None:
    assert len(KEEP) >= 25


def test_every_rule_name_is_exercised() -> None:
    assert {r.name for r in RULES} == {name for _, name in BOILERPLATE}


def test_rules_declare_languages_and_languages_are_covered() -> None:
    langs = {lang for r in RULES for lang in r.languages}
    assert {"en", "fr", "de", "es", "ru"} <= langs
    assert all(r.languages and r.name and r.pattern for r in RULES)


def test_rule_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES[0].name = "other"  # type: ignore[misc]
    assert isinstance(RULES[0], Rule)


def test_surrounding_whitespace_and_case_do_not_matter() -> None:
    assert match_rule("   ALL RIGHTS RESERVED.  ") == "copyright"
    assert match_rule("") is None and match_rule("   ") is None


def test_length_caps_protect_long_paragraphs() -> None:
    long_para = "Read more: " + "the minister said the talks would continue. " * 10
    assert match_rule(long_para) is None
    assert match_rule("Comments " + "x" * 200) is None


def test_long_disclaimer_still_matches() -> None:
    assert match_rule(MENAFN_STYLE + " More legalese follows here." * 30) == "legal-disclaimer"


def test_casefold_rules_out_only_what_lower_does():
    """boilerplate._keyword rules paragraphs out on their casefold: a phrase in
    ``p.lower()`` must occur in ``p.casefold()`` too. True when every character whose lowercase
    differs from its casefold lowercases to characters no phrase uses, and no phrase has
    surrounding whitespace (the casefold is of the unstripped paragraph)."""
    import sys

    from monitor.boilerplate import _ALL_NEEDS

    used = {c for k in _ALL_NEEDS for c in k}
    assert all(k == k.strip() and k == k.lower() for k in _ALL_NEEDS)
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        lowered = c.lower()
        if lowered != c.casefold():
            assert not used.intersection(lowered), c
