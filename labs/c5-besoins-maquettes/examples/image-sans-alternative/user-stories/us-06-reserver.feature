# language: fr
@US-06 @EX-17 @EX-18
Fonctionnalité: Réserver un document
  En tant qu'adhérent,
  je veux réserver un document dont tous les exemplaires sont sortis,
  afin de l'obtenir dès qu'un exemplaire revient, à mon tour.

  Scénario: Une réservation prend sa place dans la file
    Étant donné l'adhérent "M000003" est connecté
    Quand il réserve le document "Les Misérables"
    Alors la réservation est acceptée
    Et le prochain réservataire de "Les Misérables" est l'adhérent "M000003"

  Scénario: La demande la plus ancienne passe en premier
    Étant donné l'adhérent "M000001" est connecté
    Quand il réserve le document "Amélie"
    Alors la réservation est refusée
    Et le prochain réservataire de "Amélie" est l'adhérent "M000004"
