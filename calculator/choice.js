// The framework last chosen (a chooser link clicked, or a calculator page opened): the plain
// default calculator page (kalkulator/) opens the calculator of this framework instead.
const CHOICE_KEY = "spbe-kalkulator/kerangka";

/** @param {string} id */
export function remember(id) {
  try {
    localStorage.setItem(CHOICE_KEY, id);
  } catch {
    // storage blocked or full: the choice is simply not remembered
  }
}

/** @returns {string | null} */
function recall() {
  try {
    return localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

// The default page opened without a fragment (a share link #l=…/#k=… or a link to an item
// belongs to this page's framework) goes to the remembered framework's page, taken from the
// chooser's links (built from the page data); any other calculator page records its framework.
// Called by app.js before the calculator starts, so before a share link's fragment is taken
// in and dropped. Returns true when the page is being left.
/** @param {HTMLElement} root */
export function followChoice(root) {
  const here = root.dataset.framework ?? "";
  const chooser = root.querySelector(".kalk-kerangka");
  const chosen = recall();
  if (chooser?.hasAttribute("data-bawaan") && !location.hash && chosen && chosen !== here) {
    const link = chooser.querySelector(`a[data-kerangka="${CSS.escape(chosen)}"]`);
    if (link instanceof HTMLAnchorElement) {
      location.replace(link.href);
      return true;
    }
  }
  if (here) remember(here);
  return false;
}
