from pathlib import Path

from monitor.extract import Extractor, load_registry

REG = load_registry([Path(__file__).parent / "fixtures" / "officials-small.toml"], packaged=False)
EX = Extractor(REG)


def quotes(text):
    return EX.extract(text).quotes


def test_curly_quote_with_trailing_cue_phrase():
    (q,) = quotes(
        "“We expect talks soon,” Kremlin spokesperson Dmitry Peskov told a news briefing."
    )
    assert q.speaker == "Dmitry Peskov" and q.speaker_id == "ru-dmitry-peskov"
    assert q.cue == "told a news briefing" and q.speaker_kind == "registry"
    assert q.text == "We expect talks soon,"


def test_straight_quotes_said_name():
    (q,) = quotes('"The plan is dead and buried now," said Sergei Lavrov.')
    assert q.speaker == "Sergei Lavrov" and q.cue == "said"


def test_guillemets_and_colon_before():
    text = "Dmitry Peskov said: «We have no plans for a meeting yet.»"
    (q,) = quotes(text)
    assert q.speaker == "Dmitry Peskov"
    assert text[q.start : q.end] == q.text


def test_pronoun_attribution():
    text = "Dmitry Peskov spoke to reporters. “Contacts have taken place at many levels,” he added."
    (q,) = quotes(text)
    assert q.speaker == "Dmitry Peskov" and q.speaker_via_pronoun and q.cue == "added"


def test_pronoun_skips_names_inside_quotes():
    text = "Dmitry Peskov spoke. “We noted Mr. Macron's words on the matter,” he said."
    (q,) = quotes(text)
    assert q.speaker == "Dmitry Peskov"


def test_participle_cue_uses_sentence_subject():
    text = (
        "Emmanuel Macron spoke first. Peskov described Macron’s remarks as positive, stating: "
        "“We have noted Mr. Macron's statements on this.”"
    )
    text = "Dmitry Peskov was asked. " + text
    q = quotes(text)[-1]
    assert q.speaker == "Dmitry Peskov" and q.cue == "stating"


def test_role_only_speaker():
    (q,) = quotes("“There are no dates for the talks yet,” a Kremlin spokesperson said.")
    assert q.speaker_kind == "role" and q.speaker_country == "RU"
    assert q.speaker_role == "Kremlin spokesperson"


def test_unregistered_name_and_discovered_official():
    (q,) = quotes("“The ceasefire must hold this week,” Maria Santos said.")
    assert q.speaker == "Maria Santos" and q.speaker_kind == "name"
    (q,) = quotes("“We will not sign this deal,” Japanese Prime Minister Shigeru Ishiba said.")
    assert q.speaker_kind == "discovered" and q.speaker_id == "discovered:Shigeru Ishiba"
    assert q.speaker_country == "JP"


def test_surname_expands_to_full_unregistered_name():
    text = "Maria Santos arrived.\n\n“We are ready to talk to everyone,” Santos said."
    (q,) = quotes(text)
    assert q.speaker == "Maria Santos"


def test_paragraph_spanning_quote():
    text = (
        "Dmitry Peskov said: “The first part of the statement goes here.\n\n"
        "“And the second paragraph continues it.”\n\nAfter that, nothing."
    )
    (q,) = quotes(text)
    assert "first part" in q.text and "second paragraph" in q.text
    assert q.speaker == "Dmitry Peskov"


def test_partial_scare_quote():
    text = "Dmitry Peskov called the sanctions “illogical” on Monday."
    (q,) = quotes(text)
    assert q.partial and q.text == "illogical"


def test_continuation_quote_inherits_speaker():
    text = "“This is the first sentence of it,” Sergei Lavrov said. “And here is another one.”"
    qs = quotes(text)
    assert [q.speaker for q in qs] == ["Sergei Lavrov", "Sergei Lavrov"]


def test_dash_attribution():
    (q,) = quotes("“The debate showed who he really is.” ― Jorge Falcon")
    assert q.speaker == "Jorge Falcon"
