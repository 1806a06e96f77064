"""Sending the kit's email over SMTP, with settings from the environment.

- ``ETHICSKIT_SMTP_HOST``: the mail server (required to send);
- ``ETHICSKIT_SMTP_PORT``: its port (default 587 with starttls, 465 with tls, 25 with none);
- ``ETHICSKIT_SMTP_SECURITY``: ``starttls`` (the default), ``tls`` (SMTP over TLS) or ``none``;
- ``ETHICSKIT_SMTP_USER``: the login, if the server wants one;
- ``ETHICSKIT_SMTP_PASSWORD``: its password, only ever from the environment, never from a file in the repo;
- ``ETHICSKIT_SMTP_FROM``: the sender, e.g. ``Training <training@corp.com>`` (required to send).

:class:`Mailer` keeps one connection for a run. A recipient the server refuses
fails that message only; a lost connection is opened again for the next one;
a server that cannot be reached fails every message of the run at once,
with the reason, instead of waiting for it once per message.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from ethicskit.course.errors import CourseError

SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT = 30
MISSING_SETTING = "set {name} to send email (see README, \"Reminders\"); nothing was sent"
BAD_SECURITY = "ETHICSKIT_SMTP_SECURITY is {value!r}; use one of: " + ", ".join(SECURITIES)
BAD_PORT = "ETHICSKIT_SMTP_PORT is {value!r}; use a port number, e.g. 587"
NO_PASSWORD = "ETHICSKIT_SMTP_USER is set but ETHICSKIT_SMTP_PASSWORD is not; set the password in the environment"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str = ""
    password: str = ""

    @classmethod
    def from_env(cls, env=None) -> SmtpSettings:
        """The settings from ``ETHICSKIT_SMTP_*`` (``env`` defaults to ``os.environ``); ``CourseError`` names a bad one.

        >>> SmtpSettings.from_env({"ETHICSKIT_SMTP_HOST": "mail.corp.com", "ETHICSKIT_SMTP_FROM": "t@corp.com"}).port
        587
        """
        env = os.environ if env is None else env
        get = lambda key: (env.get(f"ETHICSKIT_SMTP_{key}") or "").strip()
        security = (get("SECURITY") or "starttls").lower()
        if security not in SECURITIES:
            raise CourseError(BAD_SECURITY.format(value=get("SECURITY")))
        for key in ("HOST", "FROM"):
            if not get(key):
                raise CourseError(MISSING_SETTING.format(name=f"ETHICSKIT_SMTP_{key}"))
        try:
            port = int(get("PORT") or DEFAULT_PORTS[security])
        except ValueError as exc:
            raise CourseError(BAD_PORT.format(value=get("PORT"))) from exc
        password = env.get("ETHICSKIT_SMTP_PASSWORD") or ""
        if get("USER") and not password:
            raise CourseError(NO_PASSWORD)
        return cls(get("HOST"), port, security, get("FROM"), get("USER"), password)


def email_message(sender: str, recipient: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message; a header that cannot be written (a line break in an address) raises ``ValueError``."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = " ".join(subject.split())
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a reminder
    msg.set_content(body)
    return msg


def describe(exc: BaseException) -> str:
    """What went wrong with a send, in one line."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{addr}: {code} {_text(text)}" for addr, (code, text) in exc.recipients.items())
        return f"the server refused the recipient ({refused})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class Mailer:
    """One SMTP connection for a run of messages (a context manager)."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str = ""

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, msg: EmailMessage) -> None:
        """Send ``msg``; raise what stopped it (a ``smtplib.SMTPException`` or ``OSError``)."""
        if self._unreachable:
            raise ConnectionError(self._unreachable)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as exc:
                self._unreachable = (f"could not connect to {self.settings.host}:{self.settings.port} "
                                     f"({self.settings.security}): {describe(exc)}")
                raise ConnectionError(self._unreachable) from exc
        try:
            self._smtp.send_message(msg)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError):
            raise  # this message only: the connection is still good
        except (smtplib.SMTPException, OSError):
            self.close()  # the next message opens a new connection
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None
