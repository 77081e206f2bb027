from __future__ import annotations

from mediatheque import validation as check
from mediatheque.database import Database
from mediatheque.errors import InvalidInputError, NotFoundError
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.security import AccessDeniedError, PasswordHasher, Role, User

MIN_PASSWORD = 12


class AccountService:

    def __init__(self, db: Database, limiter: LoginRateLimiter, hasher: PasswordHasher) -> None:
        self._db = db
        self._limiter = limiter
        self._hasher = hasher

    def login(self, card_number: str, password: str) -> User | None:
        login = (card_number or "").strip().upper()[:20] or "?"
        if self._limiter.is_blocked(login):
            return None
        with self._db.transaction() as cur:
            cur.execute("SELECT id, password_hash, role FROM members WHERE card_number = %s AND erased_on IS NULL",
                        (login,))
            row = cur.fetchone()
        if row is not None and self._hasher.verify(row[1], password or ""):
            self._limiter.reset(login)
            return User(row[0], Role(row[2]))
        self._limiter.register_failure(login)
        return None

    def is_blocked(self, card_number: str) -> bool:
        return self._limiter.is_blocked((card_number or "").strip().upper()[:20] or "?")

    def set_password(self, actor: User, member_id: int, password: str) -> None:
        member_id = check.identifier(member_id, "adhérent")
        if actor.id != member_id and actor.role is not Role.ADMINISTRATEUR:
            raise AccessDeniedError("vous ne pouvez changer que votre propre mot de passe")
        if len(password or "") < MIN_PASSWORD:
            raise InvalidInputError(f"mot de passe trop court ({MIN_PASSWORD} caractères au moins)")
        with self._db.transaction() as cur:
            cur.execute("UPDATE members SET password_hash = %s WHERE id = %s AND erased_on IS NULL",
                        (self._hasher.hash(password), member_id))
            found = cur.rowcount == 1
        if not found:
            raise NotFoundError(f"adhérent {member_id} introuvable")

    def set_role(self, actor: User, member_id: int, role: Role | str) -> None:
        if actor.role is not Role.ADMINISTRATEUR:
            raise AccessDeniedError("seul un administrateur change les rôles")
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInputError("rôle inconnu") from None
        member_id = check.identifier(member_id, "adhérent")
        with self._db.transaction() as cur:
            cur.execute("UPDATE members SET role = %s WHERE id = %s AND erased_on IS NULL", (role.value, member_id))
            found = cur.rowcount == 1
        if not found:
            raise NotFoundError(f"adhérent {member_id} introuvable")
