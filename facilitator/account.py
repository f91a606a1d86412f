"""The facilitator's own account: interface language and password."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from facilitator.web import field, redirect, render, store
from workshop import auth
from workshop.auth import login_of, requires_login
from workshop.i18n import LANGUAGES, Message, set_language


def _page(request: Request, status_code: int = 200, **context: object) -> Response:
    values: dict[str, object] = {"errors": {}, "done": request.query_params.get("done", "")}
    values.update(context)
    return render(request, "facilitator/account.html", values, status_code=status_code)


@requires_login
async def account_view(request: Request) -> Response:
    """Language and password settings."""
    return _page(request)


@requires_login
async def language_update(request: Request) -> Response:
    """Switch the facilitator's interface language."""
    language = field(await request.form(), "language")
    if language not in LANGUAGES:
        return _page(request, 422, errors={"language": Message("Choose one of the options.")})
    await store(request).accounts.set_language(login_of(request).facilitator.id, language)
    set_language(language)
    return redirect("/account?done=language")


@requires_login
async def password_update(request: Request) -> Response:
    """Change the password; every other login session of this account ends."""
    form = await request.form()
    me = login_of(request).facilitator
    current = field(form, "current")[: auth.PASSWORD_MAX]
    new = field(form, "new")
    errors: dict[str, Message] = {}
    if not await auth.verify_password(await store(request).accounts.password_hash(me.id), current):
        errors["current"] = Message("That is not your current password.")
    problem = auth.password_problem(new)
    if problem:
        errors["new"] = problem
    elif new != field(form, "repeat"):
        errors["repeat"] = Message("The two new passwords differ.")
    if errors:
        return _page(request, 422, errors=errors)
    await store(request).accounts.set_password(me.id, await auth.hash_password(new))
    response = redirect("/account?done=password")
    await auth.start_login(request, response, me.id)
    return response
