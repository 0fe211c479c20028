"""Attribution cues in French, German and Spanish news: the patterns only; quotes.py applies them.

English cues are tried first; these run only for a quote the English patterns left unattributed,
so they cost nothing on English text. Verb lists are the common reporting verbs of wire copy.
"""

from __future__ import annotations

import re

# French passé composé participles ("a déclaré") and present forms ("déclare", "ajoute-t-il").
_FR_PP = (
    "déclaré|affirmé|indiqué|ajouté|précisé|souligné|estimé|expliqué|dit|poursuivi|assuré|"
    "insisté|confié|averti|répondu|martelé|rappelé|lancé|déploré|annoncé|reconnu|noté|observé|"
    "conclu|commenté|prévenu|répété|jugé|écrit|tweeté|résumé|relevé|ironisé|dénoncé|regretté|"
    "promis|confirmé|admis|tranché|plaidé|fait valoir|fait savoir|raconté|interrogé|lâché|"
    "prévenu|renchéri|nuancé|réagi|argué|soutenu|signalé|mis en garde"
)
_FR_PRES = (
    "déclare|affirme|indique|ajoute|précise|souligne|estime|explique|dit|poursuit|assure|"
    "insiste|confie|avertit|répond|martèle|rappelle|lance|déplore|annonce|reconnaît|note|"
    "observe|conclut|commente|prévient|répète|juge|écrit|résume|relève|dénonce|regrette|"
    "confirme|tranche|plaide|raconte|lâche|renchérit|nuance|soutient|signale"
)
_DE_VERBS = (
    "sagte|sagt|sagten|erklärte|erklärt|erklärten|betonte|betont|meinte|meint|warnte|warnt|"
    "kritisierte|schrieb|schreibt|ergänzte|fügte hinzu|fügte er hinzu|fügte sie hinzu|"
    "unterstrich|bekräftigte|teilte mit|sagte weiter|so"
)
_ES_VERBS = (
    "dijo|afirmó|declaró|señaló|añadió|agregó|explicó|aseguró|indicó|advirtió|sostuvo|"
    "subrayó|destacó|manifestó|expresó|comentó|insistió|apuntó|precisó|recalcó|respondió|"
    "dice|afirma|declara|señala|añade|agrega|explica|asegura|indica|advierte|sostiene"
)
_ADV_FR = r"(?:(?:encore|aussi|également|ensuite|alors|notamment|enfin|pour sa part|plus tard)\s+)?"
_SUBJ = r"(?P<subj>[^!?;“”\"«»„\n]{1,140})"

# After the closing mark: "», a déclaré X", "», déclare X", "“, sagte X", "”, dijo X".
TAIL_VERB_SUBJ = re.compile(
    rf"^\s*,?\s*(?:(?:a|avait)\s+{_ADV_FR}(?P<pp>{_FR_PP})|(?P<verb>{_FR_PRES}|{_DE_VERBS}|"
    rf"{_ES_VERBS}))\s+{_SUBJ}"
)
# "», a-t-il poursuivi", "», ajoute-t-elle", "“, sagte er", "“, so sie".
TAIL_PRONOUN = re.compile(
    rf"^\s*,?\s*(?:a-t-(?P<p1>il|elle|on)\s+{_ADV_FR}(?P<pp>{_FR_PP})|(?P<verb>{_FR_PRES})-t?-?"
    rf"(?P<p2>il|elle|on)|(?P<dverb>{_DE_VERBS})\s+(?P<p3>er|sie))\b"
)
# "», selon X", "”, según X".
TAIL_ACCORDING = re.compile(rf"^\s*,?\s*(?P<verb>selon|según|laut)\s+{_SUBJ}")
# Before the opening mark: "X a déclaré : «", "X fügte hinzu: „", "X dijo: “".
HEAD_CUE = re.compile(
    rf"(?:\b(?:a|avait)\s+{_ADV_FR}(?P<pp>{_FR_PP})|\b(?P<verb>{_FR_PRES}|{_DE_VERBS}|{_ES_VERBS}))"
    r"\s*(?:que\s*|,\s*)?[:,]?\s*$"
)
# "Selon X, «", "Según X, “".
HEAD_ACCORDING = re.compile(
    r"\b(?P<verb>[Ss]elon|[Ss]egún|[Ll]aut)\s+(?P<subj>[^,«»“”\"„]{1,80}?)\s*,?\s*$"
)

PRONOUNS = frozenset({"il", "elle", "er", "sie", "Il", "Elle", "Er", "Sie"})
# A subject opening with an article is a role ("un porte-parole du ministère") unless an
# apposition names the person ("le président ukrainien, Volodymyr Zelensky,").
DETERMINER = re.compile(
    r"^(?:le|la|les|l[’']|un|une|des|du|der|die|das|ein|eine|einer|el|los|las|uno|una)\b\s*",
    re.IGNORECASE,
)
# The subject ends where a prepositional phrase starts ("Salcedo a los periodistas").
SUBJECT_CUT = re.compile(
    r"\s(?:lors|à|au|aux|dans|devant|sous|en|cité|citée|selon|après|avant|pendant|vor|im|in|"
    r"bei|auf|nach|am|gegenüber|weiter|a|ante|durante|tras|desde|este|esta)\s|[(;]"
)
ROLE_WORDS = re.compile(
    r"\b(?:porte-parole|ministre|ministère|président|présidente|diplomate|responsable|sources?|"
    r"conseill(?:er|ère)|ambassad(?:eur|rice)|chancelière?|secrétaire|dirigeante?|chef|"
    r"fonctionnaire|officiel|gouvernement|Sprecher(?:in)?|Minister(?:in|ium|iums)?|"
    r"Kanzler(?:in)?|Präsident(?:in)?|Regierung|Diplomat(?:in)?|Beamter?|portavoz|ministr[oa]|"
    r"ministerio|president[ea]|canciller(?:ía)?|funcionari[oa]|diplomátic[oa]|fuentes?|"
    r"vocer[oa]|gobierno)\b",
    re.IGNORECASE,
)
