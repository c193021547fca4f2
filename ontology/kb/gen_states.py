#!/usr/bin/env python3
"""gen_states.py — generate ontology/kb/states.ttl: every ISO 3166-1 state.

Regenerate (from the repository root):

    python3 ontology/kb/gen_states.py > ontology/kb/states.ttl

then check it:

    rapper -i turtle -c ontology/kb/states.ttl
    python3 tests/ontology/check_ontology.py ontology

Sources (Python 3 standard library only, no network):

  * Debian's iso-codes: /usr/share/iso-codes/json/iso_3166-1.json (alpha-2,
    alpha-3, name, official_name, common_name) and its translations
    /usr/share/locale/<lang>/LC_MESSAGES/iso_3166-1.mo, read with gettext.
    A translation counts only when the catalogue really has one (gettext
    falls back to the English text otherwise).
  * ICU (libicuuc, through ctypes): the CLDR display name of each region
    (uloc_getDisplayCountry), its short form ("US", "UK", "Hongkong") and its
    variant ("Ivory Coast", "Czech Republic") from the region resource
    bundle. CLDR names are the ones the press uses, so they are the
    skos:prefLabel; iso-codes names and official names become skos:altLabel.
    Without ICU the script stops (pass --no-icu to use iso-codes alone; the
    output then differs).
  * SUPPLEMENT below: hand-written short and common forms ("USA", "U.S.",
    "Russland", "Россия", "Großbritannien" …) and EXTRA_STATES (Kosovo).

Generated forms (skos:hiddenLabel): Russian case forms of Russian names
(России, Россию, Россией; Соединённых Штатов), German genitives (Russlands,
Frankreichs) and inflected adjective forms (Russischen Föderation), straight
apostrophes for curly ones, "and"/"und"/"et" … for "&".

Safety: a label that folds (case, diacritics) to the same text for two
states is dropped from both (listed on stderr), unless it is one state's
prefLabel; labels that are common words of their language (STOP) are never
emitted. The output is deterministic for a given iso-codes and ICU: states
sorted by alpha-3, labels sorted by language and text.

To add a name: add it to SUPPLEMENT (alt / hidden, per language) and
regenerate. Do not edit states.ttl by hand.
"""

import ctypes
import ctypes.util
import gettext
import json
import re
import sys
import unicodedata

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
LOCALEDIR = "/usr/share/locale"
DOMAIN = "iso_3166-1"
LANGS = ["en", "de", "fr", "nl", "es", "ru", "it", "pl"]

# ---------------------------------------------------------------------------
# Hand-written supplement: forms the press writes that neither iso-codes nor
# CLDR give. "alt": skos:altLabel, "hidden": skos:hiddenLabel (inflected
# forms, misspellings), "pref": replaces the generated prefLabel.
# ---------------------------------------------------------------------------
SUPPLEMENT = {
    "USA": {
        "alt": {
            "en": ["USA", "US", "U.S.", "U.S.A.", "United States of America", "America"],
            "de": ["USA", "Vereinigte Staaten von Amerika", "Amerika", "US"],
            "fr": ["USA", "États-Unis d'Amérique"],
            "nl": ["VS", "Verenigde Staten van Amerika", "Amerika"],
            "es": ["EE. UU.", "EE.UU.", "EEUU", "Estados Unidos de América"],
            "ru": ["США", "Соединённые Штаты Америки", "Соединенные Штаты"],
            "it": ["USA"],
        },
        "hidden": {"de": ["Vereinigten Staaten von Amerika", "Amerikas"],
                   "ru": ["Соединённых Штатов Америки", "Соединенных Штатов"]},
    },
    "RUS": {
        "pref": {"es": "Rusia"},
        "alt": {
            "en": ["Russian Federation"],
            "de": ["Russische Föderation"],
            "fr": ["Fédération de Russie"],
            "nl": ["Russische Federatie"],
            "es": ["Federación de Rusia", "Federación Rusa"],
            "ru": ["Российская Федерация", "РФ"],
            "it": ["Federazione Russa"],
            "pl": ["Federacja Rosyjska"],
        },
    },
    "GBR": {
        "alt": {
            "en": ["UK", "U.K.", "Britain", "Great Britain",
                   "United Kingdom of Great Britain and Northern Ireland"],
            "de": ["Großbritannien", "Vereinigtes Königreich", "Britannien", "UK"],
            "fr": ["Grande-Bretagne", "Royaume-Uni"],
            "nl": ["Groot-Brittannië", "VK"],
            "es": ["Gran Bretaña"],
            "ru": ["Великобритания", "Британия", "Соединённое Королевство"],
            "it": ["Gran Bretagna"],
        },
        "hidden": {"de": ["Großbritanniens", "Vereinigten Königreichs"]},
    },
    "DEU": {
        "alt": {
            "en": ["Federal Republic of Germany"],
            "de": ["Bundesrepublik Deutschland", "Bundesrepublik", "BRD"],
            "fr": ["République fédérale d'Allemagne", "RFA"],
            "nl": ["Bondsrepubliek Duitsland"],
            "es": ["República Federal de Alemania"],
            "ru": ["ФРГ", "Федеративная Республика Германия"],
        },
    },
    "FRA": {
        "alt": {
            "en": ["French Republic"],
            "de": ["Französische Republik"],
            "fr": ["République française"],
            "nl": ["Franse Republiek"],
            "es": ["República Francesa"],
            "ru": ["Французская Республика"],
        },
    },
    "CHN": {
        "alt": {
            "en": ["People's Republic of China", "PRC"],
            "de": ["Volksrepublik China", "VR China"],
            "fr": ["République populaire de Chine", "RPC"],
            "nl": ["Volksrepubliek China"],
            "es": ["República Popular China", "República Popular de China"],
            "ru": ["КНР", "Китайская Народная Республика"],
        },
    },
    "KOR": {
        "alt": {
            "en": ["Republic of Korea", "ROK"],
            "de": ["Republik Korea"],
            "fr": ["République de Corée"],
            "nl": ["Republiek Korea"],
            "es": ["República de Corea"],
            "ru": ["Южная Корея", "Республика Корея"],
        },
    },
    "PRK": {
        "alt": {
            "en": ["DPRK", "Democratic People's Republic of Korea"],
            "de": ["Demokratische Volksrepublik Korea", "DVRK"],
            "fr": ["RPDC", "République populaire démocratique de Corée"],
            "nl": ["Democratische Volksrepubliek Korea"],
            "es": ["RPDC", "República Popular Democrática de Corea"],
            "ru": ["КНДР", "Северная Корея", "Корейская Народно-Демократическая Республика"],
        },
    },
    "UKR": {"alt": {"nl": ["Oekraïne"], "ru": ["Украина"]}},
    "NLD": {
        "alt": {
            "en": ["the Netherlands", "Holland", "Kingdom of the Netherlands"],
            "de": ["Holland"],
            "es": ["Holanda"],
            "ru": ["Голландия"],
        },
        "hidden": {"ru": ["Нидерландов", "Нидерландам", "Нидерландами", "Нидерландах"]},
    },
    "TUR": {
        "alt": {"en": ["Türkiye", "Turkiye", "Republic of Türkiye"], "de": ["Türkiye"],
                "fr": ["Türkiye"], "es": ["Türkiye"], "ru": ["Турецкая Республика"]},
    },
    "IRN": {
        "alt": {"en": ["Islamic Republic of Iran"], "de": ["Islamische Republik Iran"],
                "fr": ["République islamique d'Iran"], "es": ["República Islámica de Irán"],
                "ru": ["Исламская Республика Иран"]},
    },
    "SYR": {"alt": {"en": ["Syrian Arab Republic"], "de": ["Arabische Republik Syrien"],
                    "fr": ["République arabe syrienne"], "es": ["República Árabe Siria"],
                    "ru": ["Сирийская Арабская Республика"]}},
    "SAU": {"alt": {"en": ["KSA", "Kingdom of Saudi Arabia"], "es": ["Arabia Saudí"],
                    "de": ["Königreich Saudi-Arabien"]}},
    "ARE": {"alt": {"en": ["UAE"], "de": ["VAE"], "fr": ["EAU"], "es": ["EAU"],
                    "ru": ["ОАЭ", "Объединённые Арабские Эмираты"]},
            "hidden": {"ru": ["Объединённых Арабских Эмиратов"]}},
    "CZE": {"alt": {"en": ["Czech Republic"], "de": ["Tschechische Republik"],
                    "fr": ["République tchèque"], "es": ["República Checa"]}},
    "MDA": {"alt": {"de": ["Moldawien"], "ru": ["Молдавия", "Молдова"], "fr": ["Moldavie"]}},
    "VAT": {"alt": {"en": ["Holy See", "Vatican"], "de": ["Heiliger Stuhl", "Vatikan"],
                    "fr": ["Saint-Siège", "Vatican"], "es": ["Santa Sede", "Vaticano"],
                    "nl": ["Heilige Stoel"], "it": ["Santa Sede"], "ru": ["Святой Престол"]},
            "hidden": {"de": ["Heiligen Stuhl", "Heiligen Stuhls", "Vatikans"]}},
    "PSE": {"alt": {"en": ["State of Palestine"], "de": ["Staat Palästina"]}},
    "COD": {"pref": {"en": "Democratic Republic of the Congo", "nl": "Democratische Republiek Congo"},
            "alt": {"en": ["DR Congo", "DRC", "Congo-Kinshasa"], "de": ["DR Kongo"],
                    "fr": ["RDC", "RD Congo"], "es": ["RDC"], "ru": ["ДРК"]}},
    "COG": {"pref": {"en": "Republic of the Congo"},
            "alt": {"en": ["Congo-Brazzaville"]}},
    "CIV": {"alt": {"en": ["Ivory Coast"], "de": ["Elfenbeinküste"], "es": ["Costa de Marfil"]}},
    "MMR": {"alt": {"en": ["Burma"], "de": ["Birma"], "fr": ["Birmanie"], "es": ["Birmania"]}},
    "BIH": {"alt": {"en": ["Bosnia-Herzegovina", "Bosnia", "BiH"],
                    "de": ["Bosnien-Herzegowina", "Bosnien", "BiH"],
                    "fr": ["Bosnie"], "nl": ["Bosnië"], "es": ["Bosnia"]},
            "hidden": {"de": ["Bosnien-Herzegowinas"]}},
    "MKD": {"alt": {"en": ["Macedonia"], "de": ["Mazedonien"], "fr": ["Macédoine"],
                    "ru": ["Македония"]}},
    "VNM": {"alt": {"en": ["Viet Nam"], "de": ["Vietnam"]}},
    "LAO": {"alt": {"en": ["Laos", "Lao PDR"]}},
    "KGZ": {"alt": {"en": ["Kyrgyzstan", "Kyrgyz Republic"], "ru": ["Киргизия", "Кыргызстан"]}},
    "TWN": {"alt": {"ru": ["Тайвань"]}},
    "SWZ": {"alt": {"en": ["Swaziland"]}},
    "TLS": {"alt": {"en": ["East Timor"]}},
    "CPV": {"alt": {"en": ["Cabo Verde"]}},
    "ISR": {"alt": {"en": ["State of Israel"], "de": ["Staat Israel"]}},
    "JPN": {"alt": {"ru": ["Япония"]}},
    "IND": {"alt": {"en": ["Republic of India"]}},
    "AUS": {"alt": {"en": ["Commonwealth of Australia"]}},
    "AUT": {"alt": {"en": ["Republic of Austria"], "de": ["Republik Österreich"]}},
    "CHE": {"alt": {"en": ["Swiss Confederation"], "de": ["Schweizerische Eidgenossenschaft"],
                    "fr": ["Confédération suisse"]}},
    "ESP": {"alt": {"en": ["Kingdom of Spain"], "es": ["Reino de España"]}},
    "ITA": {"alt": {"en": ["Italian Republic"], "it": ["Repubblica Italiana"]}},
    "POL": {"alt": {"en": ["Republic of Poland"], "pl": ["Rzeczpospolita Polska"]}},
    "MEX": {"alt": {"es": ["Estados Unidos Mexicanos"]}},
    "BRA": {"alt": {"en": ["Federative Republic of Brazil"]}},
    "VEN": {"alt": {"es": ["República Bolivariana de Venezuela"]}},
    "BOL": {"alt": {"es": ["Estado Plurinacional de Bolivia"]}},
    "EST": {"alt": {"ru": ["Эстония"]}},
    "GEO": {"alt": {"ru": ["Грузия"]}},
    "KAZ": {"alt": {"ru": ["Казахстан"]}},
    "TGO": {"pref": {"ru": "Тоголезская Республика"}},
    "ISL": {"pref": {"de": "Republik Island"}},
    "REU": {"pref": {"en": "Réunion Island", "fr": "île de La Réunion", "de": "Insel Réunion",
                     "es": "isla de la Reunión", "nl": "eiland Réunion", "it": "isola della Riunione",
                     "pl": "wyspa Reunion"}},
    "SLV": {"pref": {"fr": "El Salvador"}},
    "ZAF": {"alt": {"en": ["Republic of South Africa"], "ru": ["ЮАР", "Южная Африка"]}},
    "EGY": {"alt": {"ru": ["Арабская Республика Египет"]}},
    "BLR": {"alt": {"de": ["Weißrussland"], "fr": ["Biélorussie", "Bélarus"],
                    "nl": ["Wit-Rusland"], "es": ["Bielorrusia"], "ru": ["Белоруссия", "Беларусь"]},
            "hidden": {"de": ["Weißrusslands"]}},
}

# Names the iso-codes list lacks: Kosovo (user-assigned code XK / XKX, used by
# the EU, IMF and the press; its status is disputed).
EXTRA_STATES = [
    {"alpha_2": "XK", "alpha_3": "XKX", "name": "Kosovo", "official_name": "Republic of Kosovo"},
]

# Labels never emitted (as (language, folded label); "*" for every language):
# words that would match everywhere, since the recogniser matches the labels of
# every language in every text ("Island" is German for Iceland but English
# "island"; "того" is Togo but a Russian pronoun), short forms that clash with
# another state's code, and names two states share ("Congo").
STOP = {
    ("ru", "того"), ("es", "ru"), ("fr", "ru"), ("de", "ru"), ("de", "island"),
    ("*", "congo"), ("*", "kongo"), ("*", "конго"),
    ("*", "reunion"), ("*", "la reunion"),      # French "réunion" is a meeting
    ("*", "salvador"),                          # a city and a first name; "El Salvador" stays
    ("*", "riunione"),                          # Italian for a meeting
}


def stopped(lang, label):
    f = fold(label)
    return (lang, f) in STOP or ("*", f) in STOP

CONJ = {"en": "and", "de": "und", "fr": "et", "nl": "en", "es": "y", "ru": "и", "it": "e", "pl": "i"}


def fold(s):
    """Case- and diacritic-folded form, as the recogniser compares labels."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.casefold().replace("’", "'")


# ---------------------------------------------------------------------------
# ICU through ctypes
# ---------------------------------------------------------------------------
class ICU:
    def __init__(self):
        path = ctypes.util.find_library("icuuc")
        candidates = [path] if path else []
        candidates += ["libicuuc.so"] + ["libicuuc.so.%d" % v for v in range(90, 49, -1)]
        self.lib = None
        for c in candidates:
            try:
                self.lib = ctypes.CDLL(c)
                break
            except OSError:
                continue
        if self.lib is None:
            raise OSError("libicuuc not found")
        self.suffix = None
        for v in [""] + ["_%d" % v for v in range(90, 49, -1)]:
            if hasattr(self.lib, "u_getVersion" + v):
                self.suffix = v
                break
        if self.suffix is None:
            raise OSError("ICU symbols not found")
        ver = (ctypes.c_uint8 * 4)()
        self._fn("u_getVersion", None, [ctypes.c_void_p])(ver)
        self.version = "%d.%d" % (ver[0], ver[1])
        self.package = ("icudt%d%s-region" % (ver[0], "l" if sys.byteorder == "little" else "b")).encode()
        self.display_country = self._fn(
            "uloc_getDisplayCountry", ctypes.c_int32,
            [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int)])
        self.ures_open = self._fn("ures_open", ctypes.c_void_p,
                                  [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)])
        self.ures_get_by_key = self._fn("ures_getByKey", ctypes.c_void_p,
                                        [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                                         ctypes.POINTER(ctypes.c_int)])
        self.ures_get_string_by_key = self._fn(
            "ures_getStringByKey", ctypes.c_void_p,
            [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int)])
        self.ures_close = self._fn("ures_close", None, [ctypes.c_void_p])

    def _fn(self, name, restype, argtypes):
        f = getattr(self.lib, name + self.suffix)
        f.restype = restype
        f.argtypes = argtypes
        return f

    def country(self, alpha2, lang):
        buf = (ctypes.c_uint16 * 512)()
        err = ctypes.c_int(0)
        n = self.display_country(("und_" + alpha2).encode(), lang.encode(), buf, 512, ctypes.byref(err))
        if err.value > 0 or n <= 0:
            return None
        s = bytes(buf)[: 2 * n].decode("utf-16-le")
        # ICU falls back to the code itself when it has no name.
        return None if s == alpha2 else s

    def region_alt(self, alpha2, lang, table):
        """Countries%short / Countries%variant of exactly `lang` (no fallback)."""
        err = ctypes.c_int(0)
        res = self.ures_open(self.package, lang.encode(), ctypes.byref(err))
        if err.value > 0 or not res:
            return None
        out = None
        err = ctypes.c_int(0)
        tab = self.ures_get_by_key(res, table.encode(), None, ctypes.byref(err))
        if err.value <= 0 and tab:
            n = ctypes.c_int32(0)
            err = ctypes.c_int(0)
            p = self.ures_get_string_by_key(tab, alpha2.encode(), ctypes.byref(n), ctypes.byref(err))
            if err.value <= 0 and p:
                out = ctypes.string_at(p, 2 * n.value).decode("utf-16-le")
        if tab:
            self.ures_close(tab)
        self.ures_close(res)
        return out


# ---------------------------------------------------------------------------
# Inflection (hidden labels)
# ---------------------------------------------------------------------------
RU_ADJ = ("ая", "ое", "ый", "ий", "ой", "ые", "ие")
RU_NEUTER_NOUNS = {"королевство", "государство", "содружество", "княжество", "герцогство"}
RU_HEAD_NOUNS = {"республика", "королевство", "федерация", "государство", "содружество",
                 "княжество", "султанат", "эмират"}
RU_CASES = ("gen", "dat", "acc", "ins", "pre")


# Nouns the rules below would get wrong (fleeting vowel, feminine soft sign).
RU_IRREGULAR = {
    "египет": ("Египта", "Египту", "Египет", "Египтом", "Египте"),
    "беларусь": ("Беларуси", "Беларуси", "Беларусь", "Беларусью", "Беларуси"),
}


def ru_noun(w):
    """Case forms of a singular Russian noun, or None if indeclinable/unknown."""
    lw = w.lower()
    if lw in RU_IRREGULAR:
        return dict(zip(("gen", "dat", "acc", "ins", "pre"), RU_IRREGULAR[lw]))
    if lw.endswith("ия"):
        s = w[:-2]
        return {"gen": s + "ии", "dat": s + "ии", "acc": s + "ию", "ins": s + "ией", "pre": s + "ии"}
    if lw.endswith("ея"):
        s = w[:-1]
        return {"gen": s + "и", "dat": s + "е", "acc": s + "ю", "ins": s + "ей", "pre": s + "е"}
    if lw.endswith("а") and lw[-2:-1] in "аеёиоуыэюя":
        return None          # Самоа, Гоа: indeclinable
    if lw.endswith("а"):
        s = w[:-1]
        soft = s[-1:].lower() in "гкхжшчщ"
        hush = s[-1:].lower() in "жшчщц"
        return {"gen": s + ("и" if soft else "ы"), "dat": s + "е", "acc": s + "у",
                "ins": s + ("ей" if hush else "ой"), "pre": s + "е"}
    if lw in RU_NEUTER_NOUNS:
        s = w[:-1]
        return {"gen": s + "а", "dat": s + "у", "acc": w, "ins": s + "ом", "pre": s + "е"}
    if lw[-1:] in "йь":
        s = w[:-1]
        return {"gen": s + "я", "dat": s + "ю", "acc": w, "ins": s + "ем", "pre": s + "е"}
    if lw[-1:] and lw[-1] in "бвгджзклмнпрстфхцчшщ":
        hush = lw[-1] in "жшчщц"
        return {"gen": w + "а", "dat": w + "у", "acc": w, "ins": w + ("ем" if hush else "ом"), "pre": w + "е"}
    return None


def ru_plural_noun(w):
    if w.lower().endswith("ы"):
        s = w[:-1]
        return {"gen": s + "ов", "dat": s + "ам", "acc": w, "ins": s + "ами", "pre": s + "ах"}
    return None


def ru_adj(w):
    lw = w.lower()
    s = w[:-2]
    if lw.endswith("ая"):
        return {"gen": s + "ой", "dat": s + "ой", "acc": s + "ую", "ins": s + "ой", "pre": s + "ой"}, "f"
    if lw.endswith(("ый", "ий", "ой")):
        return {"gen": s + "ого", "dat": s + "ому", "acc": w, "ins": s + "ым", "pre": s + "ом"}, "m"
    if lw.endswith("ое"):
        return {"gen": s + "ого", "dat": s + "ому", "acc": w, "ins": s + "ым", "pre": s + "ом"}, "n"
    if lw.endswith(("ые", "ие")):
        return {"gen": s + "ых", "dat": s + "ым", "acc": w, "ins": s + "ыми", "pre": s + "ых"}, "p"
    return None, None


def ru_inflect(name):
    """Oblique case forms of a Russian state name (a list, maybe empty)."""
    if "-" in name or "(" in name or not re.search("[а-яё]", name.lower()):
        return []
    words = name.split(" ")
    if any(w.isupper() for w in words):      # abbreviations: США, РФ
        return []
    if len(words) == 1:
        forms = ru_noun(words[0])
        return sorted(set(forms.values()) - {name}) if forms else []
    # Head noun + apposition: "Республика Корея" -> "Республики Корея"
    if words[0].lower() in RU_HEAD_NOUNS:
        forms = ru_noun(words[0])
        if not forms:
            return []
        return sorted({" ".join([forms[c]] + words[1:]) for c in RU_CASES} - {name})
    # Adjectives + noun: "Южная Корея", "Соединённые Штаты", "Российская Федерация"
    if all(w.lower().endswith(RU_ADJ) for w in words[:-1]) and words[-1][:1].isupper():
        adjs = []
        gender = None
        for w in words[:-1]:
            f, g = ru_adj(w)
            adjs.append(f)
            gender = g
        noun = ru_plural_noun(words[-1]) if gender == "p" else ru_noun(words[-1])
        if not noun:
            return []
        out = set()
        for c in RU_CASES:
            out.add(" ".join([a[c] for a in adjs] + [noun[c]]))
        # further words after a head ("Российская Федерация" has none) are kept
        return sorted(out - {name})
    return []


def de_inflect(name):
    """German genitive (-s) and adjective forms ("Russischen Föderation")."""
    out = set()
    words = name.split(" ")
    if name.isupper() or any(w.isupper() and len(w) > 1 for w in words) or \
            any(c.isupper() for c in name[1:].replace(" ", "").replace("-", "")) and len(words) == 1:
        return []
    if len(words) == 1 and "-" not in name[-3:]:
        lw = name.lower()
        if not lw.endswith(("s", "ß", "x", "z", "ei", "e")) and name[:1].isupper():
            out.add(name + "s")
    elif len(words) > 1:
        lead = []
        for w in words[:-1]:
            if w[:1].isupper() and w.lower().endswith(("e", "es")) and len(w) > 3:
                lead.append(w)
            else:
                break
        if lead:
            new = [(w[:-1] if w.endswith("es") else w) + "n" for w in lead] + words[len(lead):]
            out.add(" ".join(new))
    return sorted(out - {name})


def variants(label, lang):
    """Spelling variants: straight apostrophe, '&' spelled out, 'St.' -> 'Saint'."""
    out = set()
    if "’" in label:
        out.add(label.replace("’", "'"))
    if " & " in label:
        out.add(label.replace(" & ", " %s " % CONJ.get(lang, "and")))
    if lang == "en" and label.startswith("St. "):
        out.add("Saint " + label[4:])
    return out


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
def load_translations():
    tr = {}
    for lang in LANGS:
        if lang == "en":
            continue
        try:
            tr[lang] = gettext.translation(DOMAIN, LOCALEDIR, [lang])
        except OSError:
            print("warning: no iso_3166-1 translation for %s" % lang, file=sys.stderr)
    return tr


def translate(tr, lang, text):
    if not text:
        return None
    if lang == "en":
        return text
    t = tr.get(lang)
    if t is None:
        return None
    # gettext returns the English msgid when it has no translation.
    cat = getattr(t, "_catalog", {})
    if text not in cat:
        return None
    return t.gettext(text)


def usable(name):
    """iso-codes inverted list forms ("Korea, Republic of") are not names."""
    return name and "," not in name


# CLDR names whose parenthesis holds a second name ("Myanmar (Burma)"); in
# the others it is a qualifier ("Виргинские о-ва (США)") and stays.
PAREN_NAMES = {"MMR", "CCK"}


def split_paren(name):
    """'Myanmar (Burma)' -> ['Myanmar', 'Burma']"""
    m = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if m and "," not in m.group(2):
        return [m.group(1).strip(), m.group(2).strip()]
    return [name]


def strip_paren(name):
    """iso-codes 'Saint Martin (French part)' -> 'Saint Martin'"""
    return re.sub(r"\s*\(.*\)$", "", name)


PREF_SOURCE = {"COD": "iso_name", "COG": "iso_official", "HKG": "short", "MAC": "short", "PSE": "short"}


def build(use_icu=True):
    with open(ISO_JSON, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]
    entries = entries + EXTRA_STATES
    tr = load_translations()
    icu = ICU() if use_icu else None

    states = {}
    for e in entries:
        a3, a2 = e["alpha_3"], e["alpha_2"]
        sup = SUPPLEMENT.get(a3, {})
        pref, alt, hidden = {}, [], []
        for lang in LANGS:
            iso_name = translate(tr, lang, e.get("name"))
            iso_common = translate(tr, lang, e.get("common_name"))
            iso_official = translate(tr, lang, e.get("official_name"))
            if a3 == "XKX" and lang != "en":
                iso_name = iso_official = None
            cldr = icu.country(a2, lang) if icu else None
            short = icu.region_alt(a2, lang, "Countries%short") if icu else None
            variant = icu.region_alt(a2, lang, "Countries%variant") if icu else None

            cands = []          # (label, kind) in order of preference
            src = PREF_SOURCE.get(a3)
            if src == "short" and short:
                cands.append(short)
            if src == "iso_name" and usable(iso_name):
                cands.append(iso_name)
            if src == "iso_official" and usable(iso_official):
                cands.append(iso_official)
            if cldr:
                parts = split_paren(cldr) if a3 in PAREN_NAMES else [cldr]
                main = parts[0]
                if " - " in main:        # "Congo - Kinshasa"
                    alt.append((lang, main.replace(" - ", "-")))
                    main = None
                if main:
                    if " & " in main:
                        alt.append((lang, main))
                        main = main.replace(" & ", " %s " % CONJ[lang])
                    cands.append(main)
                for p in parts[1:]:
                    alt.append((lang, p))
            for n in (iso_common, iso_name):
                if usable(n):
                    cands.append(strip_paren(n))
            if lang in sup.get("pref", {}):
                cands.insert(0, sup["pref"][lang])
            cands = [c for c in cands if c and not stopped(lang, c)]
            if cands:
                pref[lang] = cands[0]
                alt.extend((lang, c) for c in cands[1:])
            for n in (iso_name, iso_common, iso_official):
                if usable(n):
                    alt.append((lang, strip_paren(n)))
            if short and len(short) > 2:
                alt.append((lang, short))
            elif short and lang in ("en", "de"):   # "US", "UK"
                alt.append((lang, short))
            if variant and "(" not in variant:
                alt.append((lang, variant))
            for n in sup.get("alt", {}).get(lang, []):
                alt.append((lang, n))
            for n in sup.get("hidden", {}).get(lang, []):
                hidden.append((lang, n))
        if "en" not in pref:
            raise SystemExit("no usable English name for %s: add SUPPLEMENT[%r]['pref']['en']" % (a3, a3))

        # generated variants and inflections
        base = [(l, v) for l, v in list(pref.items()) + alt if not stopped(l, v)]
        for lang, lab in base:
            for v in variants(lab, lang):
                hidden.append((lang, v))
            if lang == "ru":
                for v in ru_inflect(lab.replace("’", "'")):
                    hidden.append((lang, v))
            if lang == "de":
                for v in de_inflect(lab):
                    hidden.append((lang, v))
        states[a3] = {"a2": a2, "name": e.get("common_name") or e["name"], "pref": pref,
                      "alt": alt, "hidden": hidden}

    # Drop stop words and de-duplicate within each state (pref > alt > hidden)
    for a3, s in states.items():
        seen = {fold(v) for v in s["pref"].values()}
        for kind in ("alt", "hidden"):
            keep = {}
            for lang, lab in s[kind]:
                f = fold(lab)
                if stopped(lang, lab) or f in seen or f == fold(a3):
                    continue
                seen.add(f)
                keep[f] = (lang, lab)
            s[kind] = sorted(keep.values(), key=lambda x: (LANGS.index(x[0]), x[1]))

    # Labels shared by two states: the state that holds the label in the
    # strongest position keeps it (prefLabel > altLabel > hiddenLabel); on a
    # tie every holder drops it.
    strength = {"pref": 3, "alt": 2, "hidden": 1}
    owners = {}
    for a3, s in states.items():
        held = [("pref", v) for v in s["pref"].values()] + \
            [("alt", l) for _, l in s["alt"]] + [("hidden", l) for _, l in s["hidden"]]
        for kind, lab in held:
            f = fold(lab)
            owners.setdefault(f, {})
            owners[f][a3] = max(owners[f].get(a3, 0), strength[kind])
    dropped = []
    for a3, s in states.items():
        for kind in ("alt", "hidden"):
            keep = []
            for lang, lab in s[kind]:
                held = owners[fold(lab)]
                mine = held[a3]
                rivals = [o for o, st in held.items() if o != a3 and st >= mine]
                if rivals:
                    dropped.append("%s %s@%s (also %s)" % (a3, lab, lang, ",".join(sorted(rivals))))
                    continue
                keep.append((lang, lab))
            s[kind] = keep
    for d in sorted(set(dropped)):
        print("dropped ambiguous label: " + d, file=sys.stderr)
    for f, held in sorted(owners.items()):
        prefs = [a for a, st in held.items() if st == 3]
        if len(prefs) > 1:
            print("warning: prefLabel shared by %s: %s" % (",".join(sorted(prefs)), f), file=sys.stderr)
    return states, icu


def lit(s, lang):
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"%s"@%s' % (s, lang)


def emit(states, icu, out):
    w = out.write
    w("# states.ttl — every ISO 3166-1 state (and Kosovo), GENERATED by gen_states.py.\n")
    w("# Do not edit: change SUPPLEMENT in gen_states.py and regenerate:\n")
    w("#     python3 ontology/kb/gen_states.py > ontology/kb/states.ttl\n")
    w("# Sources: Debian iso-codes (names, official names, translations)")
    w(", ICU %s / CLDR (display names)" % icu.version if icu else " (ICU not used)")
    w(", hand-written supplement.\n")
    w("# %d states.\n\n" % len(states))
    w("# state:RUS is ekgid:state/RUS (a '/' may not stand unescaped in a prefixed name).\n")
    w("@prefix ekg:   <https://w3id.org/ekg/ns#> .\n")
    w("@prefix ekgid: <https://w3id.org/ekg/id/> .\n")
    w("@prefix state: <https://w3id.org/ekg/id/state/> .\n")
    w("@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .\n\n")
    for a3 in sorted(states):
        s = states[a3]
        w("# %s\n" % s["name"])
        w("state:%s a ekg:State ;\n" % a3)
        w('    ekg:code "%s" ;\n' % a3)
        prefs = [lit(s["pref"][l], l) for l in LANGS if l in s["pref"]]
        parts = [("skos:prefLabel", prefs)]
        if s["alt"]:
            parts.append(("skos:altLabel", [lit(v, l) for l, v in s["alt"]]))
        if s["hidden"]:
            parts.append(("skos:hiddenLabel", [lit(v, l) for l, v in s["hidden"]]))
        for i, (p, vals) in enumerate(parts):
            sep = " ,\n" + " " * (len(p) + 5)
            w("    %s %s%s\n" % (p, sep.join(vals), " ." if i == len(parts) - 1 else " ;"))
        w("\n")


def main(argv):
    use_icu = "--no-icu" not in argv
    states, icu = build(use_icu)
    emit(states, icu, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
