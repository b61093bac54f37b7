// The Cite control's Copy button: the citation text to the clipboard, or selected when the
// page is not served securely (the clipboard API needs https). The result is announced.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.sclero-copy");
  if (!button) return;
  const text = document.getElementById(button.dataset.copy);
  const status = button.closest("details").querySelector(".sclero-copied");
  const say = (message) => { status.textContent = message; };
  const select = () => {
    const range = document.createRange();
    range.selectNodeContents(text);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say("Selected: press Ctrl+C to copy");
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text.textContent).then(() => say("Copied"), select);
  } else {
    select();
  }
});
