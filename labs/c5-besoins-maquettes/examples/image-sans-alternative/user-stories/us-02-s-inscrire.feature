# language: fr
@US-02 @EX-04 @EX-05 @EX-06 @EX-07 @EX-26
Fonctionnalité: S'inscrire en ligne
  En tant que visiteur,
  je veux m'inscrire depuis le site en ne donnant que les données nécessaires,
  afin d'emprunter sans passer à l'accueil.

  Scénario: Une inscription reçoit un numéro de carte
    Étant donné un visiteur
    Quand il s'inscrit avec l'année de naissance "2015"
    Alors l'inscription est acceptée
    Et un numéro de carte lui est attribué
    Et seule l'année de naissance "2015" est enregistrée
    Et le mot de passe est enregistré haché

  Scénario: Une date de naissance complète est refusée
    Étant donné un visiteur
    Quand il s'inscrit avec l'année de naissance "15/03/2015"
    Alors l'inscription est refusée
    Et le message d'erreur concerne le champ "annee_naissance"

  Scénario: Un mot de passe trop court est refusé
    Étant donné un visiteur
    Quand il s'inscrit avec le mot de passe "court"
    Alors l'inscription est refusée
    Et le message d'erreur concerne le champ "mot_de_passe"

  Scénario: Une adresse déjà inscrite est refusée
    Étant donné un visiteur
    Quand il s'inscrit avec l'adresse "alice.lefictif@example.org"
    Alors l'inscription est refusée
    Et le message d'erreur concerne le champ "courriel"
