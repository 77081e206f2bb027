"""Comptes : connexion limitée (Redis), mots de passe Argon2id, changement de rôle réservé à l'administrateur."""

from __future__ import annotations

from mediatheque import validation as check
from mediatheque.database import Database
from mediatheque.errors import InvalidInputError, NotFoundError
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.security import PasswordHasher, Role, User

MIN_PASSWORD = 12


class AccountService:
    """Connexion et gestion des comptes des adhérents."""

    def __init__(self, db: Database, limiter: LoginRateLimiter, hasher: PasswordHasher) -> None:
        """Le service reçoit ses dépendances : base, limiteur de tentatives, hacheur."""
        self._db = db
        self._limiter = limiter
        self._hasher = hasher

    def login(self, card_number: str, password: str) -> User | None:
        """L'utilisateur si le couple carte / mot de passe est bon ; None sinon ou si le compte est bloqué."""
        login = (card_number or "").strip().upper()[:20] or "?"
        # À FAIRE : consulter le limiteur (bloqué : None sans vérifier le mot de passe)
        with self._db.transaction() as cur:
            cur.execute("SELECT id, password_hash, role FROM members WHERE card_number = %s AND erased_on IS NULL",
                        (login,))
            row = cur.fetchone()
        if row is not None and self._hasher.verify(row[1], password or ""):
            return User(row[0], Role(row[2]))
        # À FAIRE : compter l'échec
        return None

    def is_blocked(self, card_number: str) -> bool:
        """Vrai quand la carte a atteint la limite d'échecs de connexion."""
        return self._limiter.is_blocked((card_number or "").strip().upper()[:20] or "?")

    def set_password(self, actor: User, member_id: int, password: str) -> None:
        """Change le mot de passe : le sien, ou celui de n'importe qui pour un administrateur."""
        member_id = check.identifier(member_id, "adhérent")
        # À FAIRE : le sien seulement, sauf pour un administrateur
        if len(password or "") < MIN_PASSWORD:
            raise InvalidInputError(f"mot de passe trop court ({MIN_PASSWORD} caractères au moins)")
        self._update(member_id, "password_hash", self._hasher.hash(password))

    def set_role(self, actor: User, member_id: int, role: Role | str) -> None:
        """Change le rôle d'un adhérent : réservé à l'administrateur."""
        # À FAIRE : réservé à l'administrateur (AccessDeniedError sinon)
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInputError("rôle inconnu") from None
        self._update(check.identifier(member_id, "adhérent"), "role", role.value)

    def _update(self, member_id: int, column: str, value: str) -> None:
        """Met à jour une colonne autorisée d'un compte actif."""
        statements = {"password_hash": "UPDATE members SET password_hash = %s WHERE id = %s AND erased_on IS NULL",
                      "role": "UPDATE members SET role = %s WHERE id = %s AND erased_on IS NULL"}
        with self._db.transaction() as cur:
            cur.execute(statements[column], (value, member_id))
            if cur.rowcount != 1:
                raise NotFoundError(f"adhérent {member_id} introuvable")
