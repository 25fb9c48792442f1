from nlpd.plugin import Plugin


class Broken(Plugin):
    name = "broken"
    def analyze(self, document, dependencies)
        return None
