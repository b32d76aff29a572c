"""gunicorn's configuration: `gunicorn aktiva.wsgi -c python:aktiva.gunicorn_conf`.

The access log leaves out who asked (address, user agent, referrer, headers) for the public
feedback form: with them, a log line would join an anonymous answer to a device.
"""

import os

from gunicorn.glogging import Logger

PUBLIC_FEEDBACK = "/f/"
WHO_ASKED = {"h", "a", "f", "u"}  # address, user agent, referrer, remote user


class AnonymousFeedbackLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if (environ.get("PATH_INFO") or "").startswith(PUBLIC_FEEDBACK):
            for key in atoms:
                if key in WHO_ASKED or key.startswith("{"):  # {header}i / {header}e atoms
                    atoms[key] = "-"
        return atoms


logger_class = AnonymousFeedbackLogger
accesslog = "-"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
