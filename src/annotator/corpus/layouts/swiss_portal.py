"""A Swiss news portal: kicker, headline, author name twice (photo alt text, then name), a region
line such as "Schweiz,", lead, pictures with lower-case alt text and "caption - credit" lines,
reader comments by "User #123 (nicht angemeldet)", then "Weiterlesen" teasers with
"N Interaktionen" counts and upper-case "MEHR IN NEWS" / "MEHR AUS DER SCHWEIZ" blocks.
"""

from annotator.corpus.layouts.generic import GENERIC
from annotator.corpus.structure import register_layout

SWISS_PORTAL = register_layout(
    GENERIC.extend(
        "swiss_portal",
        "Swiss news portal with 'N Interaktionen' teasers and 'MEHR IN …' blocks.",
        signatures=(
            r"\d+\s+Interaktion(?:en)?",
            r"(?-i:MEHR (?:IN|AUS|ZU|VON) [A-ZÄÖÜ0-9 .\-]+)",
            r"User\s*#\s*\d+.*",
            r".*\(nicht angemeldet\)",
            r"Weiterlesen",
            r".{5,400}\s[-–]\s(?:keystone|keystone-sda|sda|zvg|getty images|epa|afp|reuters)(?:/.{1,40})?",
        ),
        tail_markers=(r"(?-i:MEHR (?:IN|AUS|ZU|VON) [A-ZÄÖÜ0-9 .\-]+)", r"Weiterlesen"),
        furniture=(r"Artikel teilen|Mehr Videos|Zum Video|Livestream",),
        agencies=("keystone-sda", "20min", "blick", "watson", "nau", "tamedia"),
    )
)
