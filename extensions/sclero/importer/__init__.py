"""Turn a SCLERO.ORG page (HTML or text) into a checked MyST topic page.

Every entry becomes a citation directive with its values as the legacy page printed them;
every defect of the legacy text is reported at its legacy line; what the grammar cannot
place is kept on the page, in a "to review" block, and listed. Nothing is guessed.
"""
