"""Word lists the seed generator draws realistic names from."""

from __future__ import annotations

__all__ = [
    "ADJECTIVES",
    "CITIES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "MATERIALS",
    "PRODUCT_NOUNS",
    "STREETS",
    "WAREHOUSES",
]

FIRST_NAMES = (
    "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Lucas", "Mia", "Amir",
    "Hana", "Yusuf", "Chloe", "Finn", "Ines", "Kai", "Lena", "Omar", "Priya", "Ravi",
    "Sara", "Tom", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe", "Jonas", "Freya",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jansen", "Müller", "Garcia", "Okafor", "Nguyen", "Kowalski", "Rossi", "Dubois",
    "Tanaka", "Silva", "Andersson", "Haddad", "Patel", "O'Brien", "Novak", "Kim", "Costa",
    "Fischer", "Martin",
)  # fmt: skip
ADJECTIVES = (
    "Classic", "Compact", "Deluxe", "Everyday", "Heritage", "Modern", "Nordic", "Pro",
    "Rustic", "Smart", "Studio", "Travel", "Urban", "Vintage",
)  # fmt: skip
MATERIALS = (
    "Oak", "Walnut", "Steel", "Ceramic", "Linen", "Copper", "Bamboo", "Glass", "Leather", "Wool",
)  # fmt: skip
PRODUCT_NOUNS = (
    ("Desk Lamp", 1_200), ("Kettle", 1_100), ("Mug", 350), ("Chef Knife", 250),
    ("Backpack", 900), ("Throw Blanket", 1_400), ("Cutting Board", 1_600), ("Water Bottle", 300),
    ("Headphones", 280), ("Plant Pot", 2_200), ("Notebook", 400), ("Side Table", 6_500),
    ("Wall Clock", 800), ("Frying Pan", 1_900), ("Tea Set", 1_700), ("Bookend Pair", 1_300),
)  # fmt: skip
#: (country, [(city, region, postal code prefix)])
CITIES = (
    ("US", (("Portland", "OR", "972"), ("Austin", "TX", "787"), ("Boston", "MA", "021"),
            ("Denver", "CO", "802"), ("Chicago", "IL", "606"))),
    ("GB", (("Leeds", None, "LS"), ("Bristol", None, "BS"), ("London", None, "EC"))),
    ("DE", (("Berlin", None, "10"), ("Hamburg", None, "20"), ("Munich", "BY", "80"))),
    ("FR", (("Lyon", None, "69"), ("Paris", None, "75"))),
    ("NL", (("Utrecht", None, "35"), ("Rotterdam", None, "30"))),
    ("CA", (("Toronto", "ON", "M5"), ("Vancouver", "BC", "V6"))),
)  # fmt: skip
STREETS = (
    "Main St", "Oak Ave", "Station Rd", "Harbour Way", "Mill Lane", "Park Blvd", "Canal St",
    "King St", "Elm Rd", "Market Sq",
)  # fmt: skip
#: (code, name, city, country)
WAREHOUSES = (
    ("AMS", "Amsterdam Fulfilment Centre", "Amsterdam", "NL"),
    ("RNO", "Reno Distribution Center", "Reno", "US"),
    ("SIN", "Singapore Regional Hub", "Singapore", "SG"),
)
