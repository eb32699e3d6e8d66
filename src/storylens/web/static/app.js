// storylens: filters on the story page and extra slots on the form. Everything works without it but filtering.
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
function addSlot(event) {
  // Adds a slot in place, so what was typed in the others stays.
  const link = event.currentTarget;
  const slots = document.querySelectorAll("#slots fieldset.slot");
  const max = Number(link.dataset.max || 20);
  if (slots.length >= max) return;
  event.preventDefault();
  const copy = slots[slots.length - 1].cloneNode(true);
  const n = slots.length + 1;
  copy.id = "slot-" + n;
  copy.querySelector("legend").textContent = "Article " + n;
  copy.querySelectorAll("input, textarea").forEach((el) => { el.value = ""; });
  document.getElementById("slots").appendChild(copy);
  if (n >= max) link.parentElement.classList.add("hidden");
  copy.querySelector("input").focus();
}
document.addEventListener("DOMContentLoaded", () => {
  const more = document.getElementById("more-slots");
  if (more) more.addEventListener("click", addSlot);
  document.querySelectorAll('#claim-filters input, #claim-search').forEach((el) => el.addEventListener("input", filterClaims));
  const es = document.getElementById("entity-search");
  if (es) es.addEventListener("input", filterEntities);
  const ref = document.getElementById("reference");
  if (ref) ref.addEventListener("change", () => ref.form.submit());
});
