"""The name offered before the user gives theirs: the account's full name, else its login.
The user database is the machine's (a test cannot add an account): ``pwd`` is stood in for."""

from __future__ import annotations

import getpass
import pwd
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from reviewer_app.ui.session import context
from reviewer_app.ui.session.context import default_user_name


@pytest.fixture(autouse=True)
def asked_again() -> Iterator[None]:
    default_user_name.cache_clear()
    yield
    default_user_name.cache_clear()


def account(monkeypatch: pytest.MonkeyPatch, gecos: str) -> None:
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: SimpleNamespace(pw_gecos=gecos))


def test_the_accounts_full_name_is_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    account(monkeypatch, "Maya Lin,Room 12,,")  # name, room, phones: the name is the first
    assert default_user_name() == "Maya Lin"


@pytest.mark.parametrize("gecos", ["", ",,,", "   "])
def test_without_one_the_login_is_offered(monkeypatch: pytest.MonkeyPatch, gecos: str) -> None:
    account(monkeypatch, gecos)
    monkeypatch.setattr(getpass, "getuser", lambda: "maya")
    assert default_user_name() == "maya"


def test_an_account_the_database_lacks_gets_the_login(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(uid: int) -> object:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", missing)
    monkeypatch.setattr(getpass, "getuser", lambda: "maya")
    assert context.account_full_name() == "" and default_user_name() == "maya"
