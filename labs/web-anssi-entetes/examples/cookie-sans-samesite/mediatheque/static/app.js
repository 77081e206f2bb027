// Comportements de la page, sans script en ligne ni attribut onclick (CSP : script-src 'self').
document.addEventListener("DOMContentLoaded", () => {
  const haut = document.getElementById("haut");
  if (haut) haut.addEventListener("click", () => window.scrollTo(0, 0));
  const voir = document.getElementById("voir");
  if (voir) voir.addEventListener("change", () => {
    document.getElementById("mot_de_passe").type = voir.checked ? "text" : "password";
  });
});
