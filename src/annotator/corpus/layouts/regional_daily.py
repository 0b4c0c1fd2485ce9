"""A German regional daily: "Startseite > Politik" breadcrumb, kicker, headline, teaser lead,
"Von Max Muster" byline with a date line, captions ending in "Foto: Name/dpa", a first paragraph
opening with "Berlin –", "Lesen Sie auch:" teasers and "Anzeige" blocks inside the article,
"Zur Startseite" and an "© dpa-infocom" footer, reader comments signed
"Klaus M. aus Hannover · 12.05.2024".
"""

from annotator.corpus.layouts.generic import GENERIC
from annotator.corpus.structure import register_layout

REGIONAL_DAILY = register_layout(
    GENERIC.extend(
        "regional_daily",
        "German regional daily with breadcrumb, 'Von …' byline and dpa credits.",
        signatures=(
            r"Startseite\s*[>›»/|].+",
            r"Lesen Sie (?:auch|mehr):?.*",
            r"Zur Startseite",
            r"©\s*dpa-infocom.*",
            r"Von [A-ZÄÖÜ][^.!?]{2,80}",
            r".{5,400}\s\(?Fotos?:\s.{1,60}",
            r"[A-ZÄÖÜ][\w./\- ]{1,40}(?:\s*\((?:dpa|afp|epd|kna|AP)\))?\s+–\s.+",
        ),
        tail_markers=(r"Zur Startseite|Zurück zur Übersicht|Weitere Nachrichten aus .{1,40}",),
        furniture=(
            r"©\s*dpa-infocom.{0,120}|dpa:\d{6}-\d{2}-\d+/\d+",
            r"(?:Anzeige|ANZEIGE)\s*[-–:|].{0,120}",
            r"Hören Sie (?:den|diesen) Artikel.{0,60}|Artikel anhören.{0,40}",
            r"(?:E-Paper|ePaper|Jetzt testen|Zum Angebot|Digital-Abo).{0,80}",
        ),
        comment_users=(r".{1,40}\saus\s[A-ZÄÖÜ][\w\- ]{1,30}\s*[·|•,]\s*.{4,40}",),
    )
)
