"""The fallback rule set: furniture, captions and comment sections common to German news sites.

Used whenever no outlet-specific layout recognises a page, and the base every other layout
extends. Patterns are full-line and case-insensitive (see ``LayoutRules``); keep them specific
enough that no sentence of an article could match.
"""

from annotator.corpus.structure import LayoutRules, register_layout

_FURNITURE = (
    # advertising and sharing
    r"Werbung|Anzeige|Sponsored(?: Content)?|Promotion|Advertorial|Paid Post|Partnerinhalt",
    r"Artikel (?:teilen|anhören|vorlesen|merken|drucken|verschenken)",
    r"Teilen|Drucken|Merken|Vorlesen|Link kopieren|Zum Merkzettel hinzufügen",
    r"(?:Auf |Per |Via )?(?:Facebook|Twitter|X|WhatsApp|Telegram|LinkedIn|Pinterest|Threads|E-Mail|Mail)"
    r"(?: teilen)?",
    r"(?:Lesezeit:?\s*)?(?:ca\.\s*)?\d+\s*(?:Min\.?|Minuten?)(?:\s*Lesezeit)?",
    r"\d+\s+Interaktion(?:en)?|\d+\s+Kommentare?|\d+\s+Reaktion(?:en)?",
    # navigation and cookie banners
    r"(?:Startseite|Home)(?:\s*[>›»/|].*)?",
    r"Menü|Navigation|Suche|Suchen|Anmelden|Abmelden|Login|Einloggen|Registrieren|Hauptmenü",
    r"Zum Inhalt(?: springen)?|Zur Navigation(?: springen)?|Schlie(?:ss|ß)en|Nach oben|Zurück(?: zur Übersicht)?",
    r"Mehr anzeigen|Alle anzeigen|Seite \d+(?: von \d+)?|Bildergalerie|Fotostrecke|Galerie|Video abspielen|Audio",
    r"(?:Alle )?(?:Akzeptieren|Ablehnen)|Einverstanden|Einstellungen(?: anpassen)?",
    r".{0,200}\bCookies?\b.{0,200}(?:akzeptier|zustimm|Einstellung|Datenschutz|verwende|nutze|einverstanden).{0,200}",
    # teasers inside the article
    r"(?:Lesen Sie|Lies) (?:auch|mehr|hier|dazu)\b.{0,160}",
    r"(?:Mehr|Alles) (?:zum|zu diesem) Thema:.{0,160}",
    r"(?:Auch interessant|Das könnte (?:Sie|dich) auch interessieren|Zum Thema|Passend dazu|Empfehlung):.{0,160}",
    # subscriptions and legal
    r"(?:Jetzt )?(?:Newsletter|Abo|Abonnement)(?:\s.{0,80})?|Jetzt abonnieren|Abonnieren",
    r"Plus-Artikel|Exklusiv für Abonnenten",
    r"Impressum|Datenschutz(?:erklärung)?|AGB|Kontakt|Cookie-Einstellungen|Privatsphäre-Einstellungen",
    r"©.{0,120}|\(c\)\s.{0,120}|Copyright.{0,120}|Alle Rechte vorbehalten.{0,80}",
)

_TAIL_MARKERS = (
    r"Weiterlesen|Mehr (?:zum|zu diesem) Thema|Das könnte (?:Sie|dich) auch interessieren|Auch interessant",
    r"Meist ?gelesen(?:e Artikel)?|Beliebte Artikel|Verwandte Artikel|Ähnliche Artikel|Empfohlene Artikel",
    r"Weitere Artikel|Neueste Artikel|Mehr Artikel|Top-?News|Zur Startseite|Zurück zur Startseite",
    r"Mehr (?:in|aus) [^.!?:]{1,40}",  # "Mehr aus Österreich"
)

_COMMENT_USERS = (
    r"User\s*#?\s*\d+.{0,40}",
    r".{1,40}\((?:nicht angemeldet|Gast|anonym|unregistriert)\)",
    r"Gast(?:nutzer)?(?:\s*#?\s*\d+)?|Anonym(?:er Nutzer)?",
    r".{1,40}\sschrieb(?: am .{1,40})?:",
)

_COMMENT_FURNITURE = (
    r"Antworten|Antwort(?:en)? (?:anzeigen|ausblenden)|\d+\s+Antwort(?:en)?|Melden|Gefällt mir|Teilen",
    r"\d+\s*(?:Likes?|Gefällt mir|Daumen hoch|Zustimmungen?)|\d+|[▲▼👍👎]\s*\d*",
    r"(?:Mehr|Weitere|Alle(?: \d+)?) Kommentare(?: laden| anzeigen)?",
    r"Kommentar (?:schreiben|verfassen|abschicken)|Jetzt kommentieren|Kommentieren",
    r"(?:Neueste|Älteste|Beliebteste)(?: zuerst)?|Sortieren(?: nach)?:?.{0,40}",
    r"(?:Bitte )?(?:melden Sie sich an|einloggen|anmelden|loggen Sie sich ein)\b.{0,160}|Zum Kommentieren.{0,160}",
)

# Words that make a short line after " - " a photo credit rather than the end of a sentence.
_PHOTO_AGENCIES = (
    "keystone", "dpa", "afp", "ap", "reuters", "getty", "imago", "zvg", "shutterstock", "unsplash",
    "pixabay", "istock", "istockphoto", "screenshot", "epa", "sda", "picture", "alliance", "depositphotos",
    "privat", "handout", "archiv", "instagram", "facebook", "youtube", "tiktok", "twitter", "ddp", "apa",
)

GENERIC = register_layout(
    LayoutRules(
        name="generic",
        description="Any German-language news page: headline = first substantial line.",
        furniture=_FURNITURE,
        tail_markers=_TAIL_MARKERS,
        comments_headers=(r"(?:Leser-?)?Kommentare(?:\s*\(\d+\))?|Ihre Meinung|Diskutieren Sie mit.{0,60}",),
        comment_users=_COMMENT_USERS,
        comment_furniture=_COMMENT_FURNITURE,
        agencies=_PHOTO_AGENCIES,
        credit_labels=("Foto", "Fotos", "Bild", "Bilder", "Grafik", "Illustration", "Video", "Foto/Grafik"),
    )
)
