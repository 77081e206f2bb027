# language: fr
@US-03 @EX-08 @EX-09 @EX-27
Fonctionnalité: Se connecter à son compte
  En tant qu'adhérent,
  je veux me connecter avec mon numéro de carte et mon mot de passe, en sécurité,
  afin que personne d'autre n'utilise mon compte.

  Scénario: Le bon mot de passe ouvre le compte
    Étant donné un nouvel adhérent est inscrit
    Quand il se connecte avec le bon mot de passe
    Alors il accède à son compte
    Et le cookie de session est protégé

  Scénario: Cinq échecs bloquent les tentatives
    Étant donné un nouvel adhérent est inscrit
    Quand il se connecte 5 fois avec un mauvais mot de passe
    Et il se connecte avec le bon mot de passe
    Alors la connexion est bloquée

  Scénario: La page de connexion ne s'affiche pas dans un cadre
    Étant donné un visiteur
    Quand il ouvre la page "/connexion"
    Alors la page ne peut pas être affichée dans un cadre
