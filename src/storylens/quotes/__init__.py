"""Stage 4: direct quotes. ``regions`` finds them by their marks, ``speakers`` names
who speaks each, ``extract`` turns both into ``Quote`` records, and ``component``
puts them on a spaCy Doc. Grouping quotes across outlets lives in ``align``."""
