// storylens: filters on the story page. Everything works without it but filtering.
"use strict";
function filterClaims() {
  const kind = document.querySelector('#claim-filters input[name="kind"]:checked');
  const words = (document.getElementById("claim-search") || {}).value || "";
  const want = kind ? kind.value : "any";
  const q = words.toLowerCase();
  let shown = 0;
  document.querySelectorAll("#matrix tr.claim").forEach((row) => {
    let show = want === "any" || row.dataset.kind === want ||
      (want === "partial" && row.classList.contains("has-partial")) ||
      (want === "omitted" && row.classList.contains("has-omitted"));
    if (show && q) show = row.textContent.toLowerCase().includes(q);
    row.classList.toggle("hidden", !show);
    if (show) shown += 1;
  });
  const none = document.getElementById("no-claims");
  if (none) none.classList.toggle("hidden", shown > 0);
}
function filterEntities() {
  const q = document.getElementById("entity-search").value.toLowerCase();
  document.querySelectorAll("details.entity").forEach((e) => {
    e.classList.toggle("hidden", q !== "" && !e.textContent.toLowerCase().includes(q));
  });
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll('#claim-filters input').forEach((el) => el.addEventListener("input", filterClaims));
  const es = document.getElementById("entity-search");
  if (es) es.addEventListener("input", filterEntities);
  const ref = document.getElementById("reference");
  if (ref) ref.addEventListener("change", () => ref.form.submit());
});
