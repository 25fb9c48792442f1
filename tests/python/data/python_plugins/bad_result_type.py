from nlpd.plugin import Plugin


class BadResultType(Plugin):
    name = "bad_result_type"
    version = "1"
    result_type = dict

    def analyze(self, document, dependencies):  # noqa: ANN001, ANN201
        return {}
