// Checks the browser tests run in the page beside axe (tests/browser/a11y.py).
window.defensaA11y = {
  // axe accepts aria-describedby="a b" when one of the ids exists; a reference to an id
  // that is not on the page is always a mistake (a screen reader reads nothing).
  brokenReferences() {
    const broken = [];
    for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
      for (const el of document.querySelectorAll("[" + attr + "]")) {
        if (attr === "for" && el.tagName !== "LABEL") continue;
        const ids = el.getAttribute(attr).split(/\s+/);
        const missing = ids.filter((id) => id && !document.getElementById(id));
        if (missing.length) {
          const name = el.id ? "#" + el.id : el.tagName.toLowerCase();
          broken.push({
            target: name + "[" + attr + "]",
            summary: "points at missing id(s) " + missing.join(", "),
          });
        }
      }
    }
    if (!broken.length) return [];
    return [{
      rule: "idref-missing",
      impact: "serious",
      help: "ARIA and label references must point at an element on the page",
      nodes: broken,
    }];
  },

  // The element that has the focus: is it drawn, and is its ring visible (WCAG 1.4.11)?
  focused() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    // The ring is drawn outside the element (outline-offset): compare it with the
    // first opaque background around the element.
    let around = el.parentElement;
    let background = [255, 255, 255];
    while (around) {
      const value = rgb(getComputedStyle(around).backgroundColor);
      if (value.length === 3 || (value.length === 4 && value[3] > 0.9)) {
        background = value.slice(0, 3);
        break;
      }
      around = around.parentElement;
    }
    const ring = rgb(style.outlineColor).slice(0, 3);
    const [hi, lo] = [luminance(ring), luminance(background)].sort((a, b) => b - a);
    const box = el.getBoundingClientRect();
    const name = el.getAttribute("aria-label") || el.innerText || el.value || el.name || "";
    return {
      tag: el.tagName.toLowerCase(),
      name: name.trim().slice(0, 60),
      inNav: !!el.closest("nav"),
      outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
      contrast: (hi + 0.05) / (lo + 0.05),
      visible: box.width > 0 && box.height > 0,
    };
  },
};
