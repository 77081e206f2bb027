# language: fr
@US-08 @EX-20 @EX-21
Fonctionnalité: Choisir les traceurs de mesure d'audience
  En tant que visiteur,
  je veux accepter ou refuser la mesure d'audience aussi simplement,
  afin de garder la maîtrise de ma navigation.

  Scénario: Aucun traceur avant le choix
    Étant donné un visiteur
    Quand il ouvre la page "/"
    Alors aucun traceur n'est déposé

  Scénario: Accepter dépose le traceur
    Étant donné un visiteur
    Quand il accepte les traceurs
    Alors le traceur de mesure d'audience est déposé

  Scénario: Refuser efface le traceur
    Étant donné un visiteur
    Quand il accepte les traceurs
    Et il refuse les traceurs
    Alors le traceur de mesure d'audience est effacé
