"""Test texts, written for these tests (news style, invented events)."""

# Three German sentences; the ordinal "1. März" and the abbreviation "z. B." must not
# end a sentence. "Fernwärme" is the key phrase.
GERMAN = (
    "Die Stadtwerke Lübeck erhöhen zum 1. März die Preise für Fernwärme um elf Prozent. "
    "Betroffen sind z. B. Mieter in älteren Wohnblöcken, deren Fernwärme über das alte "
    "Netz im Süden der Stadt läuft. Der Mieterbund nannte die höheren Preise für "
    "Fernwärme ungerecht und kündigte Widerspruch an."
)
GERMAN_SENTENCES = 3

# English, two sentences; "interest rates" is the key phrase.
ENGLISH = (
    "The central bank of Iceland kept interest rates unchanged on Wednesday, "
    "surprising analysts who had expected a cut. Several economists warned that high "
    "interest rates would slow the housing market through the winter, while the "
    "governor said interest rates would stay high until inflation eased."
)

# Umlauts, ß, an emoji outside the BMP, a ZWJ emoji sequence, a combining accent
# (NFC changes "e\u0301" into "é"), and non-breaking / narrow spaces.
UNICODE_MIX = (
    "Grüße aus München \U0001f600! Die Straße war gesperrt, "
    "sagte Frau Öztürk am Telefon.\u00a0Im Cafe\u0301 gab es 3,5\u202f% Rabatt "
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 für Familien."
)


def short_text(i: int) -> str:
    """A short distinct text for bulk/stream tests."""
    return f"Meldung Nummer {i}: Der Zug nach Kiel fährt heute von Gleis {i % 12 + 1}."
