"""JavaScript run inside the audited pages. Kept as Python strings so the package needs no data files.

Every probe is read-only towards the page except where stated (the click-listener hook installed
before the page's own scripts, and `focus()`/`blur()` during the keyboard walk).
"""

from __future__ import annotations

# Installed with `context.add_init_script` (before any page script, in every frame): remembers
# which elements received pointer listeners, so "clickable but not keyboard-reachable" is knowable.
INIT_SCRIPT = r"""
(() => {
  if (window.__cdaClickTargets) return;
  const kinds = new Set(['click', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend']);
  const keys = new Set(['keydown', 'keypress', 'keyup', 'blur', 'focusout']);
  const marked = new WeakSet();
  const keyed = new WeakSet();
  Object.defineProperty(window, '__cdaClickTargets', {value: marked, enumerable: false});
  Object.defineProperty(window, '__cdaKeyTargets', {value: keyed, enumerable: false});
  Object.defineProperty(window, '__cdaGlobalKeys', {value: {on: false}, enumerable: false});
  const original = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    try {
      if (kinds.has(type) && this instanceof Element) marked.add(this);
      if (keys.has(type)) {
        if (this instanceof Element && this !== document.documentElement && this !== document.body) keyed.add(this);
        else window.__cdaGlobalKeys.on = true;
      }
    } catch (e) { /* ignore */ }
    return original.call(this, type, listener, options);
  };
})();
"""

# Shared helpers, prepended to the probes below.
_HELPERS = r"""
  const NATIVE = 'a[href],area[href],button,input:not([type=hidden]),select,textarea,summary,iframe,'
    + 'audio[controls],video[controls],[contenteditable=""],[contenteditable=true]';
  const rendered = (el) => {
    if (!el.getClientRects().length) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const text = (el) => {
    const value = el.localName === 'input' ? el.value : null;
    const parts = [el.getAttribute('aria-label'), el.innerText, value, el.getAttribute('title'),
      ...[...el.querySelectorAll('img[alt]')].map((i) => i.alt)];
    return parts.filter((p) => typeof p === 'string' && p.trim()).join(' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  };
  const selector = (el) => {
    if (!(el instanceof Element)) return '';
    if (el.id && /^[A-Za-z][\w-]*$/.test(el.id) && document.querySelectorAll('#' + el.id).length === 1) return '#' + el.id;
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement && parts.length < 6) {
      let part = node.localName;
      if (node.id && /^[A-Za-z][\w-]*$/.test(node.id)) { parts.unshift(part + '#' + node.id); break; }
      const parent = node.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === node.localName);
        if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(node) + 1) + ')';
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(' > ');
  };
  const snippet = (el) => {
    const html = el.outerHTML || '';
    const open = html.indexOf('>');
    const head = open > 0 && open < 300 ? html.slice(0, open + 1) : html.slice(0, 300);
    return head.length < html.length && html.length <= 300 ? html : head;
  };
  const tabbable = (el) => el.tabIndex >= 0 && !el.disabled && rendered(el) && !el.closest('[inert]');
"""

# One call after the page settled: document facts, links, structure, ecoindex DOM size, and the
# elements that react to the pointer but not to the keyboard.
PAGE_FACTS = "() => {" + _HELPERS + r"""
  const out = {};
  const dt = document.doctype;
  out.doctype = dt ? {name: dt.name, publicId: dt.publicId, systemId: dt.systemId} : null;
  out.compatMode = document.compatMode;
  out.title = document.title || '';
  out.titleElements = document.querySelectorAll('title').length;
  out.lang = document.documentElement.getAttribute('lang');
  let svgInner = 0;
  for (const svg of document.getElementsByTagName('svg')) svgInner += svg.getElementsByTagName('*').length;
  out.domNodes = document.getElementsByTagName('*').length - svgInner;
  out.html = document.documentElement.outerHTML.slice(0, 300000);

  out.links = [];
  for (const el of document.querySelectorAll('a[href], area[href], [role=link], button, [role=button], input[type=button], input[type=submit]')) {
    out.links.push({text: text(el), href: el.getAttribute('href') || '', tag: el.localName,
                    visible: rendered(el), selector: selector(el)});
    if (out.links.length >= 600) break;
  }

  // Skip link (RGAA 12.7): what precedes the main content, and whether a working link jumps over it.
  const main = document.querySelector('main, [role=main]') || document.querySelector('#main, #content, #contenu, #main-content, #contenu-principal, .main, .content, .contenu, .main-content') || document.querySelector('h1');
  const focusables = [...document.querySelectorAll(NATIVE + ',[tabindex]')].filter(tabbable);
  const before = main ? focusables.filter((el) => !main.contains(el) && (el.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING)) : [];
  const skipText = /(aller|acc[eé]der|passer|sauter|allez|acc[eè]s)\s.*contenu|contenu principal|skip|main content|go to content|jump to/i;
  // A skip link is known by what it does, in any language: a same-page link placed before the main
  // content (or first of the page) whose target holds the main content.
  const samePage = (el) => el.localName === 'a' && !!el.hash && el.hash.length > 1
    && el.pathname === location.pathname && el.host === location.host;
  const pool = before.length ? before : focusables.slice(0, 1);
  const candidates = pool.filter((el) => samePage(el) || (el.localName === 'a' && skipText.test(text(el))));
  const skips = candidates.map((el) => {
    let target = null;
    if (samePage(el)) {
      let id = el.hash.slice(1);
      try { id = decodeURIComponent(id); } catch (e) { /* keep it raw */ }
      target = document.getElementById(id) || document.getElementsByName(id)[0] || null;
    }
    // Jumping to the target must skip every repeated block placed before the main content...
    const reaches = !!target && before.every((b) => b === el || b.contains(target) || !!(b.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING));
    // ... and land on the main content: the main element, what holds it, or what leads into it.
    const between = (a, b) => focusables.some((f) => (a.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) && (f.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) && !f.contains(b));
    const holds = !!target && (!main || target === main || target.contains(main) || main.contains(target)
      || ((target.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING) && !between(target, main)));
    return {text: text(el), href: el.getAttribute('href') || '', targetExists: !!target, reachesMain: reaches && holds,
            selector: selector(el), html: snippet(el),
            looksLikeSkip: skipText.test(text(el)) || (el === focusables[0] && samePage(el))};
  });
  out.skip = {hasMain: !!main, mainSelector: main ? selector(main) : null, beforeMain: before.length,
              beforeSample: before.slice(0, 3).map(selector), candidates: skips, focusables: focusables.length};

  // Pointer-only controls (RGAA 7.3.1).
  const WIDGETS = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'menuitemcheckbox',
    'menuitemradio', 'option', 'slider', 'spinbutton', 'combobox', 'textbox', 'searchbox', 'treeitem']);
  const COMPOSITE = '[role=listbox],[role=menu],[role=menubar],[role=tablist],[role=tree],[role=grid],[role=treegrid],[role=radiogroup],[role=toolbar],[role=combobox]';
  const marked = window.__cdaClickTargets;
  const pointerOnly = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const role = (el.getAttribute('role') || '').trim().split(/\s+/)[0];
    const clickable = (marked && marked.has(el)) || typeof el.onclick === 'function' || el.hasAttribute('onclick');
    if (!clickable && !WIDGETS.has(role)) continue;
    if (el.matches(NATIVE) || el.tabIndex >= 0 || el.localName === 'label' || el.localName === 'option') continue;
    if (el.closest(NATIVE) || el.closest('[tabindex]:not([tabindex^="-"])') || el.closest('label')) continue;
    if (el.querySelector(NATIVE + ',[tabindex]:not([tabindex^="-"])')) continue;
    if (el.matches('[disabled],[aria-disabled=true]') || el.closest('[inert],[aria-hidden=true]') || !rendered(el)) continue;
    const composite = el.closest(COMPOSITE);
    if (composite && (composite.tabIndex >= 0 || composite.hasAttribute('aria-activedescendant') || composite.querySelector('[tabindex]:not([tabindex^="-"])'))) continue;
    pointerOnly.push({selector: selector(el), html: snippet(el), role, text: text(el)});
    if (pointerOnly.length >= 20) break;
  }
  out.pointerOnly = pointerOnly;

  // Fields whose only label is a placeholder (RGAA 11.1.1 accepts label, aria-label(ledby), title; not placeholder).
  out.placeholderOnly = [];
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (/^(hidden|submit|button|reset|image|checkbox|radio)$/i.test(el.type || '') || !el.getAttribute('placeholder') || !rendered(el)) continue;
    const labelled = (el.labels && [...el.labels].some((l) => l.innerText.trim())) || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').trim() || (el.getAttribute('title') || '').trim();
    if (!labelled) out.placeholderOnly.push({selector: selector(el), html: snippet(el)});
    if (out.placeholderOnly.length >= 20) break;
  }

  // Images much larger than displayed (RGESN 6.4).
  out.images = [];
  for (const img of document.images) {
    if (!img.complete || !img.naturalWidth || !rendered(img)) continue;
    const r = img.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const ratio = (img.naturalWidth * img.naturalHeight) / (r.width * r.height * (window.devicePixelRatio || 1) ** 2);
    if (ratio > 4) out.images.push({src: img.currentSrc || img.src, natural: [img.naturalWidth, img.naturalHeight],
                                    shown: [Math.round(r.width), Math.round(r.height)], selector: selector(img)});
    if (out.images.length >= 20) break;
  }
  return JSON.stringify(out);
}"""

# Tabbable elements where a script could hold the focus (key or focus listeners on them, their
# ancestors, or the whole document): the only places a keyboard trap can hide.
_TRAPS = r"""
  const trapCandidates = (max) => {
    const all = window.__cdaTabbables || [];
    const keyed = window.__cdaKeyTargets;
    const global = (window.__cdaGlobalKeys && window.__cdaGlobalKeys.on) || document.onkeydown
      || (document.body && (document.body.onkeydown || document.body.hasAttribute('onkeydown')));
    const hooked = (el) => {
      for (let node = el; node && node !== document.body; node = node.parentElement) {
        if ((keyed && keyed.has(node)) || node.onkeydown || node.onblur || node.hasAttribute('onkeydown')
            || node.hasAttribute('onblur') || node.hasAttribute('onfocusout')) return true;
      }
      return false;
    };
    let picked = all.map((el, i) => (global || hooked(el)) ? i : -1).filter((i) => i >= 0);
    if (picked.length > max) {
      const step = picked.length / max;
      picked = Array.from({length: max}, (_, k) => picked[Math.floor(k * step)]);
    }
    return picked;
  };
"""

# The keyboard walk, in one call: a signature of how each tabbable element looks without focus,
# then every tabbable element focused in sequential order (as :focus-visible, like with the Tab key)
# with a focusin hook recording whether its look changed; returns the log and the trap candidates.
FOCUS_RUN = "([maxStops, maxTraps]) => {" + _HELPERS + _TRAPS + r"""
  const sig = (el) => {
    const parts = [];
    const box = (cs) => {
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !/rgba\(.*,\s*0\)$/.test(cs.outlineColor)
        ? [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.outlineOffset].join(' ') : 'none';
      const borders = ['Top', 'Right', 'Bottom', 'Left'].map((s) => cs['border' + s + 'Style'] !== 'none' && parseFloat(cs['border' + s + 'Width']) > 0
        ? [cs['border' + s + 'Style'], cs['border' + s + 'Width'], cs['border' + s + 'Color']].join(' ') : 'none').join(',');
      return [outline, cs.boxShadow, borders, cs.backgroundColor, cs.backgroundImage].join('|');
    };
    const cs = getComputedStyle(el);
    parts.push(box(cs), cs.color, cs.textDecorationLine, cs.textDecorationColor, cs.textDecorationStyle, cs.textDecorationThickness,
               cs.fontWeight, cs.transform, cs.filter, cs.opacity, cs.clip, cs.clipPath);
    for (const pseudo of ['::before', '::after']) {
      const ps = getComputedStyle(el, pseudo);
      parts.push(ps.content === 'none' || ps.display === 'none' ? 'none' : [ps.content, ps.display, box(ps), ps.color, ps.opacity, ps.transform].join('|'));
    }
    let parent = el.parentElement;
    for (let i = 0; parent && i < 2; i++, parent = parent.parentElement) parts.push(box(getComputedStyle(parent)));
    const r = el.getBoundingClientRect();
    parts.push([Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)].join(','));
    return parts.join('#');
  };
  // What is painted: the element's own box, or (for a collapsed box, e.g. a link around a floated
  // image) the visible boxes of its descendants.
  const painted = (el) => {
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
    if (/rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip) || /inset\(50%\)/.test(cs.clipPath)) return false;
    const r = el.getBoundingClientRect();
    return r.width * r.height >= 4 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
  };
  const onScreen = (el) => {
    if (painted(el)) return true;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0 || cs.overflow === 'hidden' && el.getBoundingClientRect().width * el.getBoundingClientRect().height < 4) return false;
    if (/rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip) || /inset\(50%\)/.test(cs.clipPath)) return false;
    return [...el.querySelectorAll('*')].slice(0, 50).some(painted);
  };
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const settle = () => { for (const a of document.getAnimations()) { try { a.finish(); } catch (e) { /* infinite */ } } };
  const before = new Map();
  const found = [...document.querySelectorAll(NATIVE + ',[tabindex]')].filter(tabbable);
  // Sequential focus order: positive tabindex first (ascending, stable), then document order.
  const all = found.filter((el) => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex)
    .concat(found.filter((el) => el.tabIndex === 0)).slice(0, maxStops);
  window.__cdaTabbables = all;
  for (const el of all) before.set(el, sig(el));
  const log = [];
  // Focus events only fire in a focused window: record right after each focus() instead.
  all.forEach((el, id) => {
    try { el.focus({focusVisible: true}); } catch (e) { return; }
    if (document.activeElement !== el) { log.push({id, selector: selector(el), html: snippet(el), tag: el.localName, focused: false}); return; }
    getComputedStyle(el).outlineStyle;
    settle();
    const now = sig(el);
    log.push({id, selector: selector(el), html: snippet(el), tag: el.localName, focused: true,
              changed: before.get(el) !== now, onScreen: onScreen(el), focusVisible: el.matches(':focus-visible')});
  });
  if (document.activeElement) document.activeElement.blur();
  return JSON.stringify({stops: all.length, log: log.slice(), candidates: trapCandidates(maxTraps)});
}"""

FOCUS_NTH = "(i) => {" + _HELPERS + r"""
  const el = (window.__cdaTabbables || [])[i];
  if (!el) return null;
  el.focus();
  // A container keeps document.activeElement while Tab moves inside it (frame, media controls).
  const container = /^(iframe|frame|object|embed|audio|video)$/.test(el.localName) || !!el.shadowRoot;
  return document.activeElement === el ? {selector: selector(el), html: snippet(el), container} : null;
}"""

TABBABLE_NTH = "(i) => (window.__cdaTabbables || [])[i] || null"

# Where the focus is inside a frame's document (the frame's own elements, in document order).
FRAME_FOCUS = """() => {
  const a = document.activeElement;
  if (!a || a === document.body || !document.hasFocus()) return null;
  return a.localName + '#' + [...document.getElementsByTagName('*')].indexOf(a);
}"""

STILL_FOCUSED = "(i) => document.activeElement === (window.__cdaTabbables || [])[i]"

# Consent banner discovery (RGPD): visible controls whose label reads as accept / refuse / settings,
# and the container that holds them. Elements are kept in window.__cdaControls for clicking.
CONSENT_SCAN = "() => {" + _HELPERS + r"""
  const ACCEPT = /^(tout |tous )?(accepter|j['’]accepte|accept|autoriser|allow|agree|ok|d['’]accord|oui|yes|consentir)\b/i;
  const REFUSE = /^(tout |tous )?(refuser|je refuse|reject|decline|deny|refuse|non merci|no thanks|interdire|continuer sans accepter)\b|continuer sans accepter|continue without accepting|^non$|^no$/i;
  const SETTINGS = /param[eé]tr|personnali|pr[eé]f[eé]rences|g[eé]rer|choisir|customi[sz]e|settings|manage|options|r[eé]glages/i;
  const CONTEXT = /cookie|traceur|tracker|consent|rgpd|gdpr|vie priv[eé]e|privacy|donn[eé]es personnelles/i;
  const controls = [];
  window.__cdaControls = controls;
  const found = [];
  for (const el of document.querySelectorAll('button, [role=button], a, input[type=button], input[type=submit]')) {
    if (!rendered(el)) continue;
    const label = text(el);
    if (!label || label.length > 80) continue;
    let kind = null;
    if (REFUSE.test(label)) kind = 'refuse';
    else if (ACCEPT.test(label)) kind = 'accept';
    else if (SETTINGS.test(label)) kind = 'settings';
    if (!kind) continue;
    // The nearest container that speaks of cookies / consent.
    let box = el.parentElement;
    while (box && box !== document.body && !CONTEXT.test((box.id || '') + ' ' + (typeof box.className === 'string' ? box.className : '') + ' ' + (box.getAttribute('aria-label') || '') + ' ' + (box.innerText || '').slice(0, 600))) box = box.parentElement;
    if (!box || box === document.body || box === document.documentElement) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    controls.push(el);
    found.push({index: controls.length - 1, kind, label, tag: el.localName, selector: selector(el),
                container: selector(box), area: Math.round(r.width * r.height), fontSize: parseFloat(cs.fontSize),
                background: cs.backgroundColor, color: cs.color, opacity: parseFloat(cs.opacity)});
  }
  return found;
}"""

CONTROL_HANDLE = "(i) => window.__cdaControls[i]"

# Controls that re-open the consent choices (withdrawal, CNIL fiche 16).
WITHDRAW_SCAN = "() => {" + _HELPERS + r"""
  const WITHDRAW = /(g[eé]rer|gestion|param[eè]tr|r[eé]glages|pr[eé]f[eé]rences|choix|retirer|modifier).{0,30}(cookies?|traceurs?|consentement)|(cookies?|traceurs?|consentement).{0,20}(param[eè]tres|pr[eé]f[eé]rences|r[eé]glages|choix|gestion)|(manage|change|withdraw).{0,20}(cookies?|consent)|(cookie|privacy|consent) (settings|preferences|choices)|^cookies?$/i;
  const controls = [];
  window.__cdaControls = controls;
  const found = [];
  for (const el of document.querySelectorAll('button, [role=button], a, input[type=button]')) {
    const label = text(el);
    if (!label || !WITHDRAW.test(label) || !rendered(el)) continue;
    controls.push(el);
    found.push({index: controls.length - 1, label, tag: el.localName, href: el.getAttribute('href') || '', selector: selector(el)});
  }
  return found;
}"""

# Waits until no request started for `quiet` ms (bounded): a cheap "network idle" for one page.
SCROLL_BOTTOM = "() => { window.scrollTo(0, document.documentElement.scrollHeight); window.scrollTo(0, 0); }"
