"""Runs a command under an address-space cap and reports its peak RSS and wall time.

usage: python3 bench/rusage.py REPORT_FILE AS_LIMIT_BYTES COMMAND [ARG...]

Used by bench/all.ts for the external tools (Translate Toolkit's pocount and podebug):
Node's child_process does not expose a child's rusage, and GNU time (Debian package
`time`) may be absent, while Python is there whenever Translate Toolkit is.
The command inherits stdin/stdout/stderr; REPORT_FILE gets one JSON line:
{"maxRssKiB": ..., "seconds": ..., "exitCode": ... | null, "signal": ... | null}.
AS_LIMIT_BYTES 0 means no cap.
"""
import json
import os
import resource
import sys
import time

report, limit, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
start = time.monotonic()
pid = os.fork()
if pid == 0:
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        os.execvp(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.monotonic() - start
with open(report, "w", encoding="utf-8") as out:
    json.dump({
        "maxRssKiB": usage.ru_maxrss,
        "seconds": seconds,
        "exitCode": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
    }, out)
    out.write("\n")
