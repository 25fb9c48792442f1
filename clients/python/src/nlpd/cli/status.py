"""nlpctl's exit statuses, the same for every command, and the errors that map to them."""

from __future__ import annotations

import grpc

from nlpd.errors import (
    Error,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
EXIT_AUTH = 4
EXIT_ERROR = EXIT_FAILED  # the name before exit statuses 3 and 4 existed

EXIT_STATUSES = f"""\
exit status (the same for every command):
  {EXIT_OK}  success
  {EXIT_FAILED}  a document failed (empty, not UTF-8, unreadable, unknown analysis, plugin
     error), a requested analysis did not run under --strict, or the server refused
     the request (reload/load/unload refused, unknown plugin, ...)
  {EXIT_USAGE}  usage error: bad option or value, unknown --fields name, missing input path
  {EXIT_UNAVAILABLE}  server unreachable, shutting down, not SERVING (health), or no answer within
     --timeout (UNAVAILABLE, DEADLINE_EXCEEDED)
  {EXIT_AUTH}  the server refused the token: none or unknown (UNAUTHENTICATED), or not
     allowed to do this (PERMISSION_DENIED)
Errors go to stderr as one line, "nlpctl: error: ...", warnings as "nlpctl: warning: ...".
"""

EXIT_BY_CODE = {
    grpc.StatusCode.UNAVAILABLE: EXIT_UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED: EXIT_UNAVAILABLE,
    grpc.StatusCode.UNAUTHENTICATED: EXIT_AUTH,
    grpc.StatusCode.PERMISSION_DENIED: EXIT_AUTH,
}


def exit_status(error: Error) -> int:
    """The exit status of a failed call: 3 unreachable or too slow, 4 auth, else 1."""
    return EXIT_BY_CODE.get(error.code, EXIT_FAILED)


class UsageError(Exception):
    """A bad command line found after parsing; exit status 2."""
