from nlpd.plugin import Plugin
from nlpd.v1 import results_pb2


class NoAnalyze(Plugin):
    name = "no_analyze"
    version = "1"
    result_type = results_pb2.EntitiesResult
