"""Adhérents : inscription (données minimales), connexion limitée, droits d'accès et d'effacement."""

from __future__ import annotations

from datetime import date

from werkzeug.security import check_password_hash, generate_password_hash

from mediatheque import validation as check
from mediatheque.errors import InvalidInputError
from mediatheque.redis_store import LoginRateLimiter
from mediatheque.repositories import LoanRepository, Member, MemberRepository, ReservationRepository

MIN_PASSWORD = 12


class MemberService:
    def __init__(self, members: MemberRepository, loans: LoanRepository, reservations: ReservationRepository,
                 limiter: LoginRateLimiter) -> None:
        self._members = members
        self._loans = loans
        self._reservations = reservations
        self._limiter = limiter

    def register(self, form: dict[str, str], today: date) -> tuple[Member | None, dict[str, str]]:
        """Inscription : (adhérent, {}) ou (None, erreurs par champ)."""
        errors: dict[str, str] = {}
        values: dict[str, object] = {}
        for field, what in (("nom", "nom"), ("prenom", "prénom")):
            try:
                values[field] = check.text(form.get(field, ""), what)
            except InvalidInputError:
                errors[field] = f"Indiquez votre {what} (100 caractères au plus)."
        try:
            values["courriel"] = check.email(form.get("courriel", ""))
        except InvalidInputError:
            errors["courriel"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
        year = (form.get("annee_naissance") or "").strip()
        values["annee"] = None
        if year:
            if not (year.isdigit() and 1900 <= int(year) <= today.year):
                errors["annee_naissance"] = f"Indiquez une année sur 4 chiffres, entre 1900 et {today.year}."
            else:
                values["annee"] = int(year)
        password = form.get("mot_de_passe", "")
        if len(password) < MIN_PASSWORD:
            errors["mot_de_passe"] = f"Choisissez un mot de passe d'au moins {MIN_PASSWORD} caractères."
        if errors:
            return None, errors
        member = self._members.add(self._members.next_card_number(), values["nom"], values["prenom"],
                                   values["courriel"], birth_year=values["annee"],
                                   password_hash=generate_password_hash(password), today=today)
        return member, {}

    def authenticate(self, card_number: str, password: str) -> int | None:
        """Id de l'adhérent, ou None ; après 5 échecs en 15 minutes, refus sans même vérifier."""
        login = (card_number or "").strip().upper()[:20] or "?"
        if self._limiter.is_blocked(login):
            return None
        found = self._members.credentials(login)
        if found and check_password_hash(found[1], password or ""):
            self._limiter.reset(login)
            return found[0]
        self._limiter.register_failure(login)
        return None

    def authenticate_by_email(self, email: str, password: str) -> int | None:
        """Comme `authenticate`, pour un compte désigné par son courriel (l'espace adhérent des labs web)."""
        login = (email or "").strip().lower()[:254] or "?"
        if self._limiter.is_blocked(login):
            return None
        found = self._members.credentials_by_email(login)
        if found and check_password_hash(found[1], password or ""):
            self._limiter.reset(login)
            return found[0]
        self._limiter.register_failure(login)
        return None

    def member(self, member_id: int) -> Member:
        return self._members.get(member_id)

    def is_blocked(self, card_number: str) -> bool:
        return self._limiter.is_blocked((card_number or "").strip().upper()[:20] or "?")

    def export(self, member_id: int) -> dict:
        """Droit d'accès et à la portabilité (RGPD art. 15 et 20) : toutes les données de l'adhérent."""
        member = self._members.get(member_id)
        data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in member.__dict__.items()}
        data["prets"] = [{"titre": t, "emprunte_le": a.isoformat(), "a_rendre_le": b.isoformat(),
                          "rendu_le": c.isoformat() if c else None} for t, a, b, c in self._loans.history(member_id)]
        data["reservations"] = [{"titre": t, "demandee_le": d.isoformat()}
                                for t, d in self._reservations.of_member(member_id)]
        return data

    def erase(self, member_id: int, today: date) -> None:
        """Droit à l'effacement (RGPD art. 17)."""
        self._members.erase(member_id, today)
