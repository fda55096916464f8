#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, types keys once a prompt has appeared, and prints what
the terminal showed as JSON: {"output": str, "typed": bool, "status": int}.

Only a real terminal shows whether a password is echoed: the terminal driver echoes keys itself
unless the program switched echo off, so a pipe-based test cannot catch that.

usage: pty-type.py <prompt> <keys as a JSON string> -- <command> [args...]
"""
import json
import os
import pty
import select
import sys
import time


def main() -> None:
    prompt = sys.argv[1].encode()
    keys = json.loads(sys.argv[2]).encode()
    command = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    output = b""
    typed = False
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        if not typed and prompt in output:
            # One key at a time, as a person types: the reader must cope with many small chunks.
            for key in keys:
                os.write(fd, bytes([key]))
                time.sleep(0.005)
            typed = True
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the command exited and the terminal closed
            break
        if not chunk:
            break
        output += chunk
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"output": output.decode("utf-8", "replace"), "typed": typed, "status": os.waitstatus_to_exitcode(status)}))


main()
