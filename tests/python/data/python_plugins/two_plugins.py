from nlpd.plugin import Plugin
from nlpd.v1 import results_pb2


class First(Plugin):
    name = "first"
    version = "1"
    result_type = results_pb2.EntitiesResult

    def analyze(self, document, dependencies):  # noqa: ANN001, ANN201
        return results_pb2.EntitiesResult()


class Second(First):
    name = "second"
