"""nlpctl: command-line access to an nlpd server.

    nlpctl [global options] analyze [FILE|DIR|-]... [--analyses a,b] [--fields f,g]
           [--format json|table|text] [--language de] [--default-language de] [--strict]
    nlpctl [global options] plugins [--json]
    nlpctl [global options] health [--service NAME]
    nlpctl [global options] version
    nlpctl [global options] render FILE|- [-o page.html] [--language de]
    nlpctl [global options] batch FILE... [--jsonl] [--analyses a,b] [--quiet]
    nlpctl [global options] reload | load PATH | unload NAME
    nlpctl new-plugin NAME [--language python|cpp] [--dir DIR]

Global options: --target HOST:PORT ($NLPD_TARGET), --timeout S, --token ($NLPD_TOKEN),
--tls-ca FILE [--tls-cert FILE --tls-key FILE].

``analyze`` writes one JSON object per document (JSON Lines), flat: ``id`` (the path,
``-`` for stdin), the document's ``text``, ``language``, ``language_source``,
``language_confidence``, ``sentences``, ``tokens``, then ``analyses`` and the results
(``entities``, ``sentiment``, ``stance``, ``custom_results`` decoded). ``--fields``
chooses among those keys (:data:`FIELDS`); the default is all but ``tokens``. A failed
document is ``{"id": ..., "error": {"code": "INVALID_ARGUMENT", "message": ...}}``.
A directory stands for every ``*.txt`` file under it (recursive, sorted by path; hidden
files and directories left out), streamed through :meth:`nlpd.Client.analyze_many`.

Exit statuses (:data:`EXIT_STATUSES`, the same in every command): 0 ok; 1 a document
failed, a requested analysis was skipped under ``--strict``, or the server refused the
request; 2 usage error; 3 server unreachable, not serving or too slow (UNAVAILABLE,
DEADLINE_EXCEEDED, health not SERVING); 4 authentication or permission refused.

``batch`` is the older bulk command, kept for scripts that read its output: JSON Lines
``{"id": ..., "response": {...}}`` (the whole AnalyzeResponse, tokens included) or
``{"id": ..., "error": {"code": N, "message": ...}}``; it now runs on ``analyze_many``
too.
"""

from nlpd.cli.analyze import DEFAULT_FIELDS, FIELDS, document_view
from nlpd.cli.command_line import main
from nlpd.cli.status import (
    EXIT_AUTH,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_STATUSES,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
)

__all__ = [
    "DEFAULT_FIELDS",
    "EXIT_AUTH",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_STATUSES",
    "EXIT_UNAVAILABLE",
    "EXIT_USAGE",
    "FIELDS",
    "document_view",
    "main",
]
