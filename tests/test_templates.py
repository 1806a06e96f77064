"""The page templates: one Jinja2 environment that escapes every value and refuses a missing one."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from ethicskit.templates import FOLDER, render

CERTIFICATE = {"name": "Ann", "learner_id": "l1", "issued": "2026-03-20", "code": "ABCD-EFGH-IJKL",
               "rows": [{"module": "00-orientation", "version": "v1", "passed_on": "2026-03-02"}]}


def test_values_are_escaped_and_only_markup_passes_as_html():
    page = render("certificate.html.j2", **{**CERTIFICATE, "name": '"><img src=x onerror=alert(1)>'})
    assert "<img" not in page and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    trusted = render("certificate.html.j2", **{**CERTIFICATE, "name": Markup("<em>Ann</em>")})
    assert '<p class="name"><em>Ann</em></p>' in trusted


@pytest.mark.parametrize("missing", ["learner_id", "code"])
def test_a_missing_value_raises_instead_of_printing_nothing(missing):
    values = dict(CERTIFICATE)
    del values[missing]
    with pytest.raises(jinja2.UndefinedError, match=missing):
        render("certificate.html.j2", **values)


def test_the_certificate_prints_its_verification_code_and_how_to_check_it():
    page = render("certificate.html.j2", **CERTIFICATE)
    assert '<strong class="code">ABCD-EFGH-IJKL</strong>' in page and "<code>ethicskit verify ABCD-EFGH-IJKL</code>" in page


@pytest.mark.parametrize("name", sorted(p.name for p in FOLDER.glob("*.html.j2")))
def test_every_template_compiles(name):
    from ethicskit.templates import environment

    assert environment().get_template(name).name == name
