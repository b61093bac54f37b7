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

// An entry's RIS or BibTeX link points at its page's file (one file per page, not one per
// entry). Here the entry's own record is cut from that file and saved under the entry's
// name. Without this script, or if the file cannot be read, the page's whole file is saved.
const recordOf = (text, isRis, entry) => {
  if (isRis) {
    // RIS records end with an "ER  -" line; this entry's carries "ID  - <anchor>".
    const records = text.split(/^ER {2}- ?$/m);
    const found = records.find((r) => r.split(/\r?\n/).includes(`ID  - ${entry}`));
    return found === undefined ? null : `${found.replace(/^\s+/, "")}ER  - \n`;
  }
  // BibTeX entries begin with "@type{key," at the start of a line.
  const found = text.split(/^(?=@)/m).find((e) => /^@\w+\{([^,]*),/.exec(e)?.[1] === entry);
  return found === undefined ? null : found.trimEnd() + "\n";
};

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.sclero-download[data-entry]");
  if (!link || !window.fetch || !window.Blob || !URL.createObjectURL) return;
  event.preventDefault();
  const isRis = link.getAttribute("href").endsWith(".ris");
  const whole = () => {
    // The fallback: the page's file, as the link says without this script.
    const plain = document.createElement("a");
    plain.href = link.href;
    plain.download = link.getAttribute("download");
    plain.click();
  };
  fetch(link.href)
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((text) => {
      const record = recordOf(text, isRis, link.dataset.entry);
      if (record === null) return whole();
      const type = isRis ? "application/x-research-info-systems" : "application/x-bibtex";
      const url = URL.createObjectURL(new Blob([record], { type: `${type};charset=utf-8` }));
      const save = document.createElement("a");
      save.href = url;
      save.download = `${link.dataset.entry}.${isRis ? "ris" : "bib"}`;
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    })
    .catch(whole);
});
