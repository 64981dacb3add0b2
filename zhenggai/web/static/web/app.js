// Keyboard shortcuts of the inline editors on the import preview. They live here, not in htmx trigger
// filters (`keydown[key=='Enter']`): htmx evaluates those as code, which the Content-Security-Policy
// (no 'unsafe-eval') forbids. Enter saves (Shift+Enter is a new line, and Enter while an input method
// is composing Chinese is left to it); Esc cancels.
"use strict";

document.addEventListener("keydown", function (event) {
  const form = event.target instanceof Element ? event.target.closest("form[data-enter-submits]") : null;
  if (!form) {
    return;
  }
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.target.tagName === "TEXTAREA") {
    event.preventDefault();
    form.requestSubmit();
  } else if (event.key === "Escape") {
    const cancel = form.querySelector("[data-escape-cancels]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  }
});
