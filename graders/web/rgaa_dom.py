"""RGAA 4.1.2 tests a DOM query can decide, run in the page after it settled (one call).

Each check names the exact RGAA test it decides; a check with no RGAA test (a WCAG 2.2 or
best-practice matter) says so and is reported as a best practice. Some of them settle what axe-core
leaves "incomplete" (`th-has-data-cells`, `form-field-multiple-labels`): those rules then leave the
"to review" column of the coverage table for the page.
"""

from __future__ import annotations

from graders.i18n import N_

# check -> (RGAA tests, severity, message msgid, fix msgid, WCAG references)
DOM_CHECKS: dict[str, tuple[tuple[str, ...], str, str, str, tuple[str, ...]]] = {
    "presentational-element": (
        ("10.1.1",), "medium", N_("A presentational element is used to style the information (e.g. <center>, <font>)."),
        N_("Remove presentational elements (center, font, big, tt, strike, basefont) and style the content with CSS."),
        ("WCAG 1.3.1",)),
    "presentational-attribute": (
        ("10.1.2",), "low", N_("A presentational attribute is used to style the information (e.g. align, bgcolor)."),
        N_("Remove presentational attributes (align, bgcolor, border, color, face…) and style the content with CSS."),
        ("WCAG 1.3.1",)),
    "id-duplicated": (
        ("8.2.1",), "medium", N_("The same id is given to several elements: the generated code is not valid."),
        N_("Give every id a single element; labels, aria-labelledby and skip links then reach the right one."),
        ("WCAG 4.1.1",)),
    "link-no-destination": (
        ("7.1.1",), "medium", N_("A link leads nowhere (href=\"#\" or \"javascript:\"): to assistive technologies it announces a destination that does not exist."),
        N_("Use a <button type=\"button\"> for an action; keep <a href> for a real destination."),
        ("WCAG 4.1.2",)),
    "decorative-image-title": (
        ("1.2.1",), "medium", N_("A decorative image (alt=\"\") still has a title, which gives it a text alternative."),
        N_("Remove the title of a decorative image, or give the image a real alt text if it carries information."),
        ("WCAG 1.1.1",)),
    "fieldset-no-legend": (
        ("11.6.1",), "medium", N_("A group of fields (<fieldset>) has no legend, or an empty one."),
        N_("Give every <fieldset> a <legend> that names the group (e.g. « Adresse de livraison »)."),
        ("WCAG 1.3.1", "WCAG 3.3.2")),
    "table-only-headers": (
        ("5.7.1",), "medium", N_("A table is made only of header cells (<th>): no header relates to any data cell."),
        N_("Mark data cells as <td>; keep <th> for the cells that head a row or a column."),
        ("WCAG 1.3.1",)),
    "table-no-headers": (
        ("5.6.1",), "medium", N_("A data table has no header cell (<th>, or headers/scope): its cells cannot be related to their headers."),
        N_("Structure the column (or row) headers of the data table with <th scope=\"col\"> (or scope=\"row\")."),
        ("WCAG 1.3.1",)),
    "alt-file-name": (
        ("1.3.1",), "high", N_("An image's text alternative is a file name, which says nothing of its information."),
        N_("Write in `alt` the information the image carries (or alt=\"\" if it is decorative)."),
        ("WCAG 1.1.1",)),
    "radios-not-grouped": (
        ("11.5.1",), "medium", N_("Radio buttons of the same question are not grouped (fieldset, role=\"radiogroup\" or role=\"group\")."),
        N_("Put the radio buttons of one question in a <fieldset> with a <legend> asking the question."),
        ("WCAG 1.3.1",)),
    "layout-table-data-elements": (
        ("5.8.1",), "medium", N_("A layout table (role=\"presentation\") uses elements of data tables (th, caption, thead, scope, headers…)."),
        N_("Remove data-table elements from the layout table, or better: lay the content out with CSS instead of a table."),
        ("WCAG 1.3.1",)),
    "field-multiple-labels": (
        ("11.2.1",), "medium", N_("A form field has several visible labels: assistive technologies may read only one."),
        N_("Give every field one <label>; put extra help in a text tied with aria-describedby."),
        ("WCAG 3.3.2",)),
    "checkboxes-not-grouped": (
        ("11.5.1",), "medium", N_("Checkboxes answering the same question (same name) are not grouped (fieldset, role=\"group\")."),
        N_("Put the checkboxes of one question in a <fieldset> with a <legend> asking the question."),
        ("WCAG 1.3.1",)),
    "header-cell-unscoped": (
        ("5.7.4",), "low", N_("A header cell (<th>) of a data table has neither scope, id nor a header role: the row or column it heads is not stated."),
        N_("Give each <th> scope=\"col\" or scope=\"row\" (or an id that the data cells' headers attribute names)."),
        ("WCAG 1.3.1",)),
    "link-text-no-word": (
        ("6.1.1",), "medium", N_("A link's text holds no word, only punctuation or symbols: it says nothing of its destination."),
        N_("Write in the link the words that name its destination (or give an icon link an aria-label)."),
        ("WCAG 2.4.4",)),
    "rtl-text-no-dir": (
        ("8.10.1",), "medium", N_("A text in a right-to-left language is shown left to right: its reading direction is not given with dir=\"rtl\"."),
        N_("Add dir=\"rtl\" to the element holding the right-to-left text (with its lang)."),
        ("WCAG 1.3.2",)),
    "dir-mismatch": (
        ("8.10.2",), "medium", N_("A right-to-left direction (dir=\"rtl\") is given to a text written left to right."),
        N_("Remove dir=\"rtl\" from left-to-right text, or give the direction of the language actually written."),
        ("WCAG 1.3.2",)),
    "empty-paragraph": (
        ("8.9.1",), "low", N_("An empty paragraph is used to make space: a tag used only for presentation."),
        N_("Remove empty <p> elements and make the spacing with CSS margins."),
        ("WCAG 1.3.1",)),
}

# Decided by a DOM query but with no RGAA 4.1.2 test (reported as best practices, low severity).
PRACTICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "accesskey": (N_("An accesskey shortcut is defined: it can clash with the shortcuts of browsers and assistive technologies."),
                  N_("Remove accesskey attributes; offer visible links or a documented, configurable shortcut instead."),
                  ("WCAG 2.1.4 (related)",)),
    "focusable-non-interactive": (
        N_("An element with no interactive role is put in the Tab order (tabindex): keyboard users stop on it for nothing."),
        N_("Remove the tabindex, or give the element a real control (<button>, <a href>) or the matching ARIA role."),
        ("WCAG 4.1.2 (related)",)),
}

# axe-core rules left "incomplete" that one of our checks decides on the page.
SETTLES: dict[str, str] = {"th-has-data-cells": "table-only-headers", "form-field-multiple-labels": "field-multiple-labels"}
# A check applies to a page only when the page has what it looks at (else the criterion stays untested).
APPLIES: dict[str, str] = {"fieldset-no-legend": "fieldsets", "table-only-headers": "tables", "table-no-headers": "tables",
                           "field-multiple-labels": "fields", "radios-not-grouped": "radios", "alt-file-name": "images",
                           "layout-table-data-elements": "layoutTables",
           "checkboxes-not-grouped": "checkboxes", "header-cell-unscoped": "tables", "link-text-no-word": "links",
           "rtl-text-no-dir": "rtlTexts", "dir-mismatch": "rtlDirs", "empty-paragraph": "paragraphs"}

PROBE = r"""() => {
  const rendered = (el) => { if (!el.getClientRects().length) return false; const cs = getComputedStyle(el); return cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const path = (el) => { const parts = []; for (let n = el; n && n.nodeType === 1 && n !== document.documentElement && parts.length < 5; n = n.parentElement) {
      let p = n.localName; if (n.id && /^[A-Za-z][\w-]*$/.test(n.id)) { parts.unshift(p + '#' + n.id); break; }
      const same = n.parentElement ? [...n.parentElement.children].filter((c) => c.localName === n.localName) : [];
      if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(n) + 1) + ')'; parts.unshift(p); } return parts.join(' > '); };
  const item = (el, detail) => ({selector: path(el), html: (el.outerHTML || '').slice(0, 200), detail: detail || ''});
  const out = {};
  const push = (key, el, detail) => { (out[key] = out[key] || []).length < 10 && out[key].push(item(el, detail)); };
  const body = document.body;
  if (!body) return JSON.stringify(out);
  for (const el of body.querySelectorAll('center, font, big, tt, strike, basefont')) push('presentational-element', el, '<' + el.localName + '>');
  const ATTRS = ['align', 'bgcolor', 'background', 'valign', 'color', 'face', 'hspace', 'vspace', 'cellpadding', 'cellspacing', 'frameborder', 'marginwidth', 'marginheight', 'link', 'vlink', 'alink', 'text', 'clear', 'nowrap', 'compact'];
  for (const el of body.querySelectorAll('*')) {
    if (el.closest('svg, math')) continue;
    const bad = ATTRS.filter((a) => el.hasAttribute(a) && !(a === 'color' && el.localName === 'input') && !(a === 'text' && el.localName !== 'body') && !(a === 'link' && el.localName !== 'body'));
    if (el.localName === 'table' && el.hasAttribute('border')) bad.push('border');
    if (bad.length) push('presentational-attribute', el, bad.join(', '));
  }
  const ids = new Map();
  for (const el of document.querySelectorAll('[id]')) { if (el.closest('svg') || !el.id) continue; ids.set(el.id, (ids.get(el.id) || []).concat([el])); }
  for (const [id, els] of ids) if (els.length > 1) push('id-duplicated', els[1], 'id="' + id + '" ×' + els.length);
  for (const el of body.querySelectorAll('a[href]')) {
    const href = el.getAttribute('href').trim();
    if ((href === '#' || /^javascript:/i.test(href)) && rendered(el) && el.getAttribute('role') !== 'button') push('link-no-destination', el, href.slice(0, 40));
  }
  for (const el of body.querySelectorAll('img[alt=""][title]')) if (el.getAttribute('title').trim()) push('decorative-image-title', el);
  for (const el of body.querySelectorAll('fieldset')) {
    if (!rendered(el) || (el.getAttribute('aria-label') || '').trim() || (el.getAttribute('aria-labelledby') || '').trim()) continue;
    const legend = [...el.children].find((c) => c.localName === 'legend');
    if (!legend || !legend.textContent.trim()) push('fieldset-no-legend', el, legend ? '<legend></legend>' : '');
  }
  out.counts = {tables: 0, fieldsets: body.querySelectorAll('fieldset').length, fields: body.querySelectorAll('input, select, textarea').length,
                radios: body.querySelectorAll('input[type=radio]').length, images: body.querySelectorAll('img[alt], input[type=image], area[alt]').length,
                layoutTables: body.querySelectorAll('table[role=presentation], table[role=none]').length,
                checkboxes: body.querySelectorAll('input[type=checkbox]').length, links: body.querySelectorAll('a[href]').length,
                rtlTexts: 0, rtlDirs: 0, paragraphs: body.querySelectorAll('p').length};
  for (const table of body.querySelectorAll('table')) {
    const role = (table.getAttribute('role') || '').trim();
    if (role === 'presentation' || role === 'none' || !rendered(table)) continue;
    const cells = [...table.querySelectorAll('th, td')].filter((c) => c.closest('table') === table);
    const rows = [...table.rows].filter((r) => r.closest('table') === table && r.cells.length);
    if (!cells.length) continue;
    out.counts.tables += 1;
    const heads = cells.filter((c) => c.localName === 'th' || (c.getAttribute('role') || '').endsWith('header'));
    if (heads.length === cells.length && cells.length > 1) push('table-only-headers', table);
    const unscoped = cells.filter((c) => c.localName === 'th' && !c.hasAttribute('scope') && !c.id && !/^(row|column)header$/.test(c.getAttribute('role') || ''));
    if (unscoped.length) push('header-cell-unscoped', table, unscoped.length + ' × <th>');
    const data = table.caption || table.tHead || table.hasAttribute('summary') || (rows.length >= 2 && Math.max(...rows.map((r) => r.cells.length)) >= 2);
    const related = heads.length || cells.some((c) => c.hasAttribute('headers') || c.hasAttribute('scope'));
    if (data && !related) push('table-no-headers', table);
  }
  for (const field of body.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const labels = field.labels ? [...field.labels].filter((l) => rendered(l) && l.textContent.trim()) : [];
    if (labels.length > 1 && rendered(field)) push('field-multiple-labels', field, labels.length + ' × <label>');
  }
  for (const img of body.querySelectorAll('img[alt], input[type=image][alt], area[alt]')) {
    const alt = img.getAttribute('alt').trim();
    const file = ((img.getAttribute('src') || '').split(/[?#]/)[0].split('/').pop() || '').toLowerCase();
    if (alt && (/^[\w\-. ]+\.(jpe?g|png|gif|svg|webp|avif|bmp|ico)$/i.test(alt) || (file && alt.toLowerCase() === file))) push('alt-file-name', img, 'alt="' + alt.slice(0, 60) + '"');
  }
  const groups = (type, check) => {
    const byName = new Map();
    for (const box of body.querySelectorAll('input[type=' + type + '][name]')) {
      if (!rendered(box)) continue;
      const key = (box.form ? 'f' + [...document.forms].indexOf(box.form) : '') + '|' + box.name;
      byName.set(key, (byName.get(key) || []).concat([box]));
    }
    for (const group of byName.values())
      if (group.length > 1 && group.some((b) => !b.closest('fieldset, [role=group], [role=radiogroup]'))) push(check, group[0], 'name="' + group[0].name + '"');
  };
  groups('radio', 'radios-not-grouped');
  groups('checkbox', 'checkboxes-not-grouped');
  for (const link of body.querySelectorAll('a[href]')) {
    if (!rendered(link) || (link.getAttribute('aria-label') || '').trim() || link.hasAttribute('aria-labelledby')) continue;
    const name = (link.textContent + ' ' + [...link.querySelectorAll('img[alt]')].map((i) => i.alt).join(' ')).trim();
    if (name && !/[\p{L}\p{N}]/u.test(name)) push('link-text-no-word', link, '« ' + name.slice(0, 20) + ' »');
  }
  const RTL_LANG = /^(ar|arc|ckb|dv|fa|he|iw|ji|ps|sd|syr|ug|ur|yi)$/i, RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/;
  const primary = (lang) => (lang || '').trim().split('-')[0];
  for (const el of [document.documentElement, ...body.querySelectorAll('[lang]')]) {
    if (!RTL_LANG.test(primary(el.getAttribute('lang'))) || !RTL_CHAR.test(el.textContent)) continue;
    out.counts.rtlTexts += 1;
    if (getComputedStyle(el).direction !== 'rtl') push('rtl-text-no-dir', el, 'lang="' + el.getAttribute('lang') + '"');
  }
  for (const el of document.querySelectorAll('[dir=rtl i]')) {
    out.counts.rtlDirs += 1;
    const lang = el.closest('[lang]');
    const text = el.textContent;
    if (/\p{L}/u.test(text) && !RTL_CHAR.test(text) && !RTL_LANG.test(primary(lang && lang.getAttribute('lang')))) push('dir-mismatch', el, 'dir="rtl"');
  }
  for (const p of body.querySelectorAll('p'))
    if (!p.textContent.trim() && ![...p.querySelectorAll('*')].some((c) => c.localName !== 'br')) push('empty-paragraph', p);
  const NATIVE = 'a[href], area[href], button, input, select, textarea, summary, details, iframe, embed, object, audio[controls], video[controls], [contenteditable]:not([contenteditable=false])';
  for (const el of body.querySelectorAll('[tabindex]')) {
    const index = parseInt(el.getAttribute('tabindex'), 10);
    if (isNaN(index) || index < 0 || el.matches(NATIVE) || el.hasAttribute('role') || !rendered(el)) continue;
    const cs = getComputedStyle(el);
    const scrolls = /auto|scroll/.test(cs.overflowX + ' ' + cs.overflowY) && (el.scrollHeight > el.clientHeight || el.scrollWidth > el.clientWidth);
    if (!scrolls) push('focusable-non-interactive', el, 'tabindex="' + el.getAttribute('tabindex') + '"');  // a scrollable region may take the focus
  }
  for (const table of body.querySelectorAll('table[role=presentation], table[role=none]')) {
    const own = (sel) => [...table.querySelectorAll(sel)].filter((el) => el.closest('table') === table);
    const found = ['caption', 'th', 'thead', 'tfoot', 'colgroup', '[scope]', '[headers]', '[axis]'].filter((sel) => own(sel).length);
    if (table.hasAttribute('summary')) found.push('summary');
    if (found.length) push('layout-table-data-elements', table, found.join(', '));
  }
  for (const el of body.querySelectorAll('[accesskey]')) if (el.getAttribute('accesskey').trim()) push('accesskey', el, 'accesskey="' + el.getAttribute('accesskey') + '"');
  return JSON.stringify(out);
}"""

# axe's target-size (WCAG 2.2 2.5.8) also flags text links stacked in a list (a 110×18 link with
# its neighbour right below): precision first, only targets under 24 px both ways are kept.
SMALL_TARGETS = r"""(selectors) => selectors.map((s) => {
  let el = null;
  try { el = document.querySelector(s); } catch (e) { return false; }
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return r.width < 24 && r.height < 24;
})"""


def keep_small_targets(page, axe: dict) -> None:
    """Drop the nodes of axe's `target-size` violation that are at least 24 px wide or high (in place)."""
    for violation in axe.get("violations", []):
        if violation.get("id") != "target-size":
            continue
        selectors = [t[0] if isinstance(t, list) else str(t) for node in violation["nodes"] for t in node["target"][:1]]
        try:
            small = page.evaluate(SMALL_TARGETS, selectors)
        except Exception:
            small = [True] * len(selectors)
        violation["nodes"] = [node for node, keep in zip(violation["nodes"], small) if keep]
    axe["violations"] = [v for v in axe.get("violations", []) if v.get("nodes")]
