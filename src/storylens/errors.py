"""User-facing errors: each carries a one-line message the CLI prints as is."""


class StorylensError(Exception):
    """An input or usage problem the user can fix; never shown as a traceback."""


class InputError(StorylensError):
    """A file that cannot become an article (missing, empty, binary, too big...)."""


class LanguageError(InputError):
    """The article is not in a language storylens supports."""


class ModelMissingError(StorylensError):
    """A model package the pipeline needs is not installed."""
