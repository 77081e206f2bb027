# language: fr
@US-04 @EX-10 @EX-11 @EX-12 @EX-13 @EX-14 @EX-15
Fonctionnalité: Emprunter un document
  En tant qu'adhérent,
  je veux emprunter un exemplaire et connaître sa date de retour,
  afin de l'emporter chez moi et de le rendre à temps.

  Plan du scénario: La durée du prêt dépend du type
    Étant donné l'adhérent "M000001" est connecté
    Quand il emprunte l'exemplaire "<exemplaire>"
    Alors le prêt est accepté
    Et la date de retour est le <retour>

    Exemples:
      | exemplaire | retour     |
      | EX000101   | 01/04/2031 |
      | EX000110   | 18/03/2031 |

  Scénario: On n'emprunte pas un lundi
    Étant donné nous sommes le 10/03/2031
    Et l'adhérent "M000001" est connecté
    Quand il emprunte l'exemplaire "EX000101"
    Alors le prêt est refusé avec le motif "fermée"

  Plan du scénario: Les refus dans l'ordre des règles
    Étant donné l'adhérent "<carte>" est connecté
    Quand il emprunte l'exemplaire "EX000102"
    Alors le prêt est refusé avec le motif "<motif>"

    Exemples:
      | carte   | motif             |
      | M000004 | abonnement expiré |
      | M000003 | retard            |
      | M000002 | quota atteint     |

  Scénario: Un exemplaire déjà prêté ne peut pas l'être deux fois
    Étant donné l'adhérent "M000001" est connecté
    Quand il emprunte l'exemplaire "EX000104"
    Alors le prêt est refusé
