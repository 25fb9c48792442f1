import no_such_module_for_nlpd  # noqa: F401

from nlpd.plugin import Plugin


class Unreachable(Plugin):
    pass
