"""Schemathesis hooks for dcrctl (loaded by run.sh through SCHEMATHESIS_HOOKS): two checks, and
request hooks that let generated registrations succeed and use their own tokens.

A 401 for a missing credential is a bare challenge: WWW-Authenticate and no body (SPEC §5,
RFC 6750 §3.1), while a rejected credential gets a JSON Error. OpenAPI 3.0 cannot mark a
response body optional, so docs/openapi.json documents the Error body and says in words that
it may be absent. These two checks are the built-in content-type and schema checks, except that
they accept exactly that bare challenge; run.sh excludes the built-in ones in their favour.
"""

import json
import os

import schemathesis
from schemathesis.specs.openapi import checks as builtin


def _bare_challenge(response):
    return (
        response.status_code == 401
        and response.content_size == 0
        and bool(response.headers.get("www-authenticate"))
    )


@schemathesis.check
def content_type_conformance_or_bare_challenge(ctx, response, case):
    if _bare_challenge(response):
        return None
    return builtin.content_type_conformance(ctx, response, case)


@schemathesis.check
def response_schema_conformance_or_bare_challenge(ctx, response, case):
    if _bare_challenge(response):
        return None
    return builtin.response_schema_conformance(ctx, response, case)


# With DCRCTL_SCHEMATHESIS_IAT set (run.sh's second pass), every request carries a bearer
# token: that initial access token (so registrations succeed, and other routes see a wrong
# token), or, for /register/{client_id} of a client this run registered, that client's
# registration access token, so the authorized paths are reached too, not only 401. Set here
# rather than with `--header`, which would override it.
_IAT = os.environ.get("DCRCTL_SCHEMATHESIS_IAT")
_rats = {}


@schemathesis.hook
def after_call(context, case, response):
    if response.status_code not in (200, 201):
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        return
    if isinstance(body, dict):
        client_id = body.get("client_id")
        rat = body.get("registration_access_token")
        if isinstance(client_id, str) and isinstance(rat, str):
            _rats[client_id] = rat


# Fields only an admin may send (SPEC §5: 400 for anyone else). The document allows them, as it
# describes every caller, so most generated registrations would otherwise fail and nothing past
# POST /register would be reached. Only schema-valid (positive) registrations are adjusted, so
# the negative-data checks see exactly what was generated.
_ADMIN_ONLY = ("client_id", "client_secret", "ext_param_client_id", "ext_param_client_secret")


def _positive(case):
    meta = getattr(case, "_meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return str(mode) == "positive"


@schemathesis.hook
def before_call(context, case, kwargs):
    if (
        case.method.upper() == "POST"
        and case.path == "/register"
        and isinstance(case.body, dict)
        and _positive(case)
    ):
        body = {k: v for k, v in case.body.items() if k not in _ADMIN_ONLY}
        # redirect_uris must be non-empty for the default authorization_code grant, a rule
        # across fields the schema cannot state; an https URI suits every application_type.
        if not body.get("redirect_uris"):
            body["redirect_uris"] = ["https://client.example/cb"]
        # Reassigned, not edited in place, so Schemathesis revalidates the case.
        case.body = body
    if _IAT is None:
        return
    client_id = (case.path_parameters or {}).get("client_id")
    token = _rats.get(client_id, _IAT) if isinstance(client_id, str) else _IAT
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
