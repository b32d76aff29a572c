"""gunicorn's configuration: `gunicorn aktiva.wsgi -c python:aktiva.gunicorn_conf`.

The access log leaves out who asked (address, user agent, referrer, headers) for the public
feedback form: with them, a log line would join an anonymous answer to a device.
"""

import os
import re

from gunicorn.glogging import Logger

PUBLIC_FEEDBACK = "/f/"
WHO_ASKED = {"h", "a", "f", "u"}  # address, user agent, referrer, remote user
# The code a person typed stays out of the log too: with the time it would date an answer.
CODE = re.compile(r"^/f/[^/?\s]+")


class AnonymousFeedbackLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if (environ.get("PATH_INFO") or "").startswith(PUBLIC_FEEDBACK):
            for key in atoms:
                if key in WHO_ASKED or key.startswith("{"):  # {header}i / {header}e atoms
                    atoms[key] = "-"
            request_line = atoms["r"].split(" ")
            request_line[1] = CODE.sub("/f/-", request_line[1])
            atoms.update(r=" ".join(request_line), U=CODE.sub("/f/-", atoms["U"] or ""), q="-")
        return atoms


logger_class = AnonymousFeedbackLogger
accesslog = "-"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
