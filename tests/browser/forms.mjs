// Browser test: every form reachable by each role comes back as typed when it is refused (issue 21).
//
// For each role (public, company, buyer, facilitator, organiser, administrator) the test logs in and follows the
// site's links from the pages of the site map (no database id written here: a page is reached by following
// links, at most a few pages per route). On every page, each POST form with at least one field a person types
// or chooses (text-like input, textarea, select, file) is walked once (same action route and same fields: one
// walk, by the first role that reaches it):
//   - a static look: every `required` field has a `*` in its label, and the form (or the section around it)
//     says « Les champs marqués * sont obligatoires » when it has required fields;
//   - submitted EMPTY (browser checks off: `novalidate`, no required/min/max/pattern), then with every field
//     filled with a plausible value and ONE bad value: an over-long text (its maxlength + 1 characters, or
//     100 001 when none, in « é » so a limit counted in bytes shows), a bad number (« abc »), an impossible date
//     (« 2027-02-30 »), an unknown CPV code (« 99999999 »), a bad file (an .exe) — at most four submits a form;
//     beside a bad number, date, CPV or file, a text is filled up to exactly its maxlength in « é », which must
//     not be refused;
//   - after each refused submit: no 5xx, an error is shown, every typed value is still in its field (file and
//     password inputs excepted), the bad field is marked `aria-invalid="true"`, every invalid field's
//     `aria-describedby` leads to an existing element holding a message, the summary (`[id$="-erreurs"]`) has
//     links that lead to existing elements, in form order, one for each invalid field, the focus is on the
//     summary, and axe-core finds no serious or critical violation; a field refused when empty has a `*`.
// A bad submit that is accepted is a failure too. All failures are collected and printed as a table by form;
// the process exits 1 when there is any.
//
// usage: node forms.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { startServer, launch, login, watchConsole } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node forms.mjs PASSERELLE_BIN SCREENSHOT_DIR');
mkdirSync(shotDir, { recursive: true });
const password = 'Passerelle-Demo-2026';
const started = Date.now();
const verbose = !!process.env.FORMS_VERBOSE;
// FORMS_ONLY=regex limits the walk to the forms whose action route matches (to rerun one form).
const only = process.env.FORMS_ONLY ? new RegExp(process.env.FORMS_ONLY) : null;
// FORMS_ROLES=acheteur,entreprise limits the walk to these roles.
const onlyRoles = process.env.FORMS_ROLES ? process.env.FORMS_ROLES.split(',') : null;

// The roles, their demo account and the site-map pages the walk starts from (links are followed from there).
const common = ['/', '/consultations', '/feuilles-de-route', '/marches-attribues', '/entreprises', '/acheteurs',
  '/evenements', '/actualites', '/observatoire'];
const space = ['/mon-espace', '/mon-espace/alertes', '/mon-espace/messages', '/mon-espace/groupements',
  '/mon-espace/evenements', '/mon-espace/sessions', '/bourse-co-traitance', '/mon-espace/organisations/nouvelle'];
const roles = [
  { role: 'entreprise', email: 'contact@atelier-vert-1.example', seeds: [...space, ...common] },
  // The company that answered the other's partnership offer (set-up below): the reply and the conversation.
  { role: 'entreprise (co-traitante)', email: 'contact@bati-francilien-2.example',
    seeds: ['/bourse-co-traitance', '/mon-espace/messages', '/mon-espace/groupements'] },
  { role: 'acheteur', email: 'acheteur.region@passerelle.example',
    seeds: [...space, '/mon-espace/consultations', '/mon-espace/consultations/nouvelle', '/mon-espace/feuilles-de-route',
      '/mon-espace/feuilles-de-route/nouveau', '/mon-espace/sourcing', ...common] },
  { role: 'facilitateur', email: 'facilitateur@passerelle.example',
    seeds: [...space, '/mon-espace/clauses', '/mon-espace/clauses/bilan', '/mon-espace/clauses/parametres', ...common] },
  { role: 'organisatrice', email: 'organisatrice@passerelle.example',
    seeds: [...space, '/mon-espace/evenements/nouveau', '/mon-espace/actualites', '/mon-espace/actualites/nouvelle',
      '/mon-espace/signalements', ...common] },
  { role: 'administrateur', email: 'admin@passerelle.example',
    seeds: [...space, '/admin/utilisateurs', '/admin/acheteurs', '/admin/revendications', '/admin/organisations-d-agents',
      '/admin/fournisseurs-identite', '/admin/journal', ...common] },
  { role: 'public', email: null, seeds: ['/inscription', ...common] },
];

// Forms not walked: signing in and out, passwords and the second factor (they have their own tests).
const skipActions = [/^\/deconnexion$/, /^\/connexion/, /^\/inscription$/, /mot-de-passe/, /double-authentification/,
  /^\/mon-espace\/confirmer$/, /^\/verifier-email/, /^\/alertes\/desabonnement$/];
// Links not followed: downloads, feeds, files, sign-in flows, the API.
const skipLinks = /\.(csv|xlsx|ics|svg|json|atom|xml|pdf|png|jpg)$|\/(fichier|image|pieces-jointes|documents)\/?|^\/(static|api|connexion|deconnexion|alertes\/)|\/documents\/|^\/cpv\//;
// Forms that, accepted, close or publish something others need (decisions, status changes, registrations): last.
const walkLast = [/\/decisions$/, /\/\{action\}$/, /\/inscription$/, /\/statut\//];
const perRoute = 4;          // pages visited per GET route and role
const maxPages = 400;        // pages fetched per role

// GET and POST routes of the server (`passerelle routes`), to name pages and forms by route and not by id.
const routes = execFileSync(bin, ['routes'], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/))
  .filter((p) => p.length >= 2 && (p[0] === 'GET' || p[0] === 'POST'))
  .map(([method, pattern]) => {
    const segs = pattern.split('/');
    const re = new RegExp('^' + segs.map((s) => (s.startsWith('{*') ? '.*' : s.startsWith('{') ? '[^/]+'
      : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '$');
    return { method, pattern, re, literal: segs.filter((s) => s && !s.startsWith('{')).length };
  });
function routeOf(method, path) {
  const m = routes.filter((r) => r.method === method && r.re.test(path)).sort((a, b) => b.literal - a.literal);
  return m.length ? m[0].pattern : null;
}

const failures = [];   // { form, page, role, variant, what }
const walked = [];     // { form, page, role, variants: [...] }
const notes = [];
const fail = (ctx, variant, what) => {
  ctx.failures.push({ form: ctx.formName, page: ctx.pageUrl, role: ctx.role, variant, what });
  if (verbose) console.log(`    FAIL [${variant}] ${what}`);
};

// ---------------------------------------------------------------------------------------------------------
// Crawl: pages of a role that hold a POST form with fields, following links (HTML fetched with the role's
// cookies, no browser needed).
function hasFieldForm(html) {
  const forms = html.match(/<form\b[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi) || [];
  return forms.some((f) => /<textarea|<select|type="file"|<input(?![^>]*type="(hidden|checkbox|radio|submit|button|password)")[^>]*>/i.test(f));
}
async function crawl(request, base, seeds) {
  const queue = seeds.map((s) => ({ path: s, seed: true }));
  const seen = new Set();
  const count = new Map();
  const pages = [];
  let fetched = 0;
  while (queue.length && fetched < maxPages) {
    const { path, seed } = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const [bare, query] = path.split('?');
    const route = routeOf('GET', bare);
    if (!route) continue;
    // Links with a query string count apart by their parameter names (« ?org= » opens a form, « ?page= » a list).
    const quotaKey = route + (query ? '?' + [...new URLSearchParams(query).keys()].sort().join('&') : '');
    if (!seed && (count.get(quotaKey) || 0) >= perRoute) continue;
    count.set(quotaKey, (count.get(quotaKey) || 0) + 1);
    let res;
    try { res = await request.get(base + path, { maxRedirects: 5, timeout: 15000 }); } catch { continue; }
    fetched += 1;
    if (!(res.headers()['content-type'] || '').includes('text/html')) continue;
    const url = new URL(res.url());
    if (url.origin !== base || url.pathname !== bare) continue;  // redirected elsewhere
    const html = await res.text();
    if (verbose && seed) console.log(`  seed ${path}: ${res.status()} ${hasFieldForm(html) ? 'form' : ''}`);
    if (res.status() >= 500) notes.push(`${path}: GET answered ${res.status()}`);
    if (hasFieldForm(html)) pages.push({ path, route });
    for (const m of html.matchAll(/href="([^"#]*)/g)) {
      let href = m[1].replace(/&amp;/g, '&');
      if (!href.startsWith('/') || href.startsWith('//') || skipLinks.test(href.split('?')[0])) continue;
      // Query strings only in the personal space and the administration (« nouvelle?org= »), not list filters.
      if (href.includes('?') && !/^\/(mon-espace|admin)\//.test(href)) continue;
      if (/[?&](page|tri|sort|q|statut|status|filtre)=/.test(href)) continue;
      if (!seen.has(href)) queue.push({ path: href, seed: false });
    }
  }
  return pages;
}

// ---------------------------------------------------------------------------------------------------------
// In the page: describe the POST forms (tagging each form and field with data-fw-* to find them again).
function describeForms() {
  const textTypes = ['text', 'email', 'number', 'date', 'datetime-local', 'url', 'tel', 'search', 'time', 'month', ''];
  const out = [];
  const labelOf = (el) => {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(l.textContent);
    const by = el.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\s+/)) { const t = document.getElementById(id); if (t) parts.push(t.textContent); }
    if (!parts.length && el.getAttribute('aria-label')) parts.push(el.getAttribute('aria-label'));
    const legend = el.closest('fieldset')?.querySelector('legend');
    if (legend) parts.push(`[${legend.textContent}]`);
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  };
  const forms = [...document.querySelectorAll('form')].filter((f) => (f.getAttribute('method') || '').toLowerCase() === 'post');
  forms.forEach((form, fi) => {
    form.setAttribute('data-fw-form', String(fi));
    const fields = [];
    [...form.elements].forEach((el, i) => {
      const tag = el.tagName.toLowerCase();
      if (!['input', 'textarea', 'select'].includes(tag) || !el.name || el.disabled) return;
      const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : tag;
      let kind = null;
      if (tag === 'textarea') kind = 'textarea';
      else if (tag === 'select') kind = 'select';
      else if (type === 'file') kind = 'file';
      else if (type === 'password') kind = 'password';
      else if (textTypes.includes(type)) kind = 'input';
      else if (type === 'checkbox' || type === 'radio') kind = 'check';
      if (!kind) return;
      el.setAttribute('data-fw-field', `${fi}-${i}`);
      const required = el.required || el.getAttribute('aria-required') === 'true';
      fields.push({
        key: `${fi}-${i}`, name: el.name, id: el.id, kind, type, readOnly: !!el.readOnly,
        multiple: !!el.multiple, required, label: labelOf(el),
        // Required only in some cases, the label saying which (« obligatoire pour … », « (clause d'heures) »).
        conditional: el.hasAttribute('data-required-when'),
        maxlength: el.getAttribute('maxlength') || el.getAttribute('data-maxchars')
          ? parseInt(el.getAttribute('maxlength') || el.getAttribute('data-maxchars'), 10) : null,
        inputmode: el.getAttribute('inputmode') || '', pattern: el.getAttribute('pattern') || '',
        suggest: !!el.getAttribute('hx-get'), value: kind === 'select' ? el.value : (el.value || ''),
        options: kind === 'select' ? [...el.options].filter((o) => !o.disabled).map((o) => o.value) : [],
      });
    });
    const buttons = [...form.querySelectorAll('button, input[type=submit]')]
      .filter((b) => (b.getAttribute('type') || 'submit').toLowerCase() === 'submit');
    const chosen = buttons.filter((b) => !/^(add_|remove_)/.test(b.name || ''));
    const button = chosen.find((b) => b.classList.contains('btn-primary')) || chosen[chosen.length - 1] || null;
    if (button) button.setAttribute('data-fw-submit', String(fi));
    // The « Les champs marqués » sentence: in the form or in the section/card around it.
    let around = form;
    for (let k = 0; k < 3 && around.parentElement && !/^(MAIN|BODY)$/.test(around.parentElement.tagName); k++) {
      around = around.parentElement;
      if (/^(SECTION|DETAILS|DIALOG)$/.test(around.tagName) || around.classList.contains('card')) break;
    }
    const heading = (form.closest('section, details, .card, main')?.querySelector('h1, h2, h3, summary, legend')?.textContent || '')
      .replace(/\s+/g, ' ').trim();
    out.push({
      index: fi, id: form.id, action: form.getAttribute('action') || '',
      actionUrl: new URL(form.getAttribute('action') || location.href, location.href).pathname,
      sameActionIndex: forms.filter((f, j) => j < fi && f.getAttribute('action') === form.getAttribute('action')).length,
      enctype: form.enctype, fields, button: button ? (button.textContent.trim() || button.value) : null,
      hasNote: /Les champs marqués/.test(form.textContent) || /Les champs marqués/.test(around.textContent),
      heading,
    });
  });
  return out;
}

// In the page after a submit: what the form and its errors look like now. `spec` finds the form again.
function inspectResult(spec) {
  const forms = [...document.querySelectorAll('form')].filter((f) => (f.getAttribute('method') || '').toLowerCase() === 'post');
  let form = null;
  if (spec.id) form = document.getElementById(spec.id);
  if (!form || form.tagName !== 'FORM') {
    const same = forms.filter((f) => f.getAttribute('action') === spec.action);
    form = same[spec.sameActionIndex] || same[0] || null;
    if (same.length > 1) form = same.find((f) => f.querySelector('[aria-invalid="true"]')) || form;
  }
  if (!form) form = forms.find((f) => f.querySelector('[aria-invalid="true"]')) || null;
  const values = {};
  if (form) {
    for (const el of form.elements) {
      if (!el.name || !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) continue;
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (['hidden', 'submit', 'button', 'checkbox', 'radio', 'file', 'password'].includes(type)) continue;
      // A date or number the browser cannot hold shows empty: the server's value attribute is what it sent back.
      const sanitized = ['date', 'datetime-local', 'number', 'time', 'month'].includes(type) && el.value === '';
      (values[el.name] = values[el.name] || []).push(sanitized ? (el.getAttribute('value') || '') : el.value);
    }
  }
  const invalid = [...document.querySelectorAll('[aria-invalid="true"]')].map((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const described = ids.map((id) => {
      const t = document.getElementById(id);
      return { id, exists: !!t, text: t ? t.textContent.replace(/\s+/g, ' ').trim() : '' };
    });
    return { name: el.getAttribute('name') || '', id: el.id, inForm: !!(form && form.contains(el)), described };
  });
  const summaries = [...document.querySelectorAll('[id$="-erreurs"], #erreurs')];
  const danger = [...document.querySelectorAll('.alert-danger, .invalid-feedback')].filter((e) => e.textContent.trim());
  const summary = (form && summaries.find((s) => {
    // The summary of this form: the nearest before it, or inside it.
    return form.contains(s) || (s.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
  })) || summaries[0] || null;
  const links = summary ? [...summary.querySelectorAll('a[href^="#"]')].map((a) => {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    const t = id ? document.getElementById(id) : null;
    return { href: a.getAttribute('href'), text: a.textContent.trim(), exists: !!t, inForm: !!(t && form && (form.contains(t) || t.contains(form))) };
  }) : [];
  // Form order: each target after the previous one in the document.
  let ordered = true;
  if (summary) {
    const targets = [...summary.querySelectorAll('a[href^="#"]')].map((a) => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))).filter(Boolean);
    for (let i = 1; i < targets.length; i++) {
      if (targets[i] === targets[i - 1]) continue;
      if (!(targets[i - 1].compareDocumentPosition(targets[i]) & Node.DOCUMENT_POSITION_FOLLOWING)
        || targets[i - 1].contains(targets[i])) ordered = false;
    }
  }
  // Each invalid field of the form: is a summary link aimed at it (or at the group holding it)?
  const unlinked = [];
  if (summary && form) {
    const targets = [...summary.querySelectorAll('a[href^="#"]')].map((a) => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))).filter(Boolean);
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
      if (!targets.some((t) => t === el || t.contains(el))) unlinked.push(el.getAttribute('name') || el.id);
    }
  }
  const active = document.activeElement;
  return {
    found: !!form, values, invalid, summaryId: summary ? summary.id : null, links, ordered, unlinked,
    focusOnSummary: !!(summary && active && (active === summary || summary.contains(active))),
    focused: active ? `${active.tagName.toLowerCase()}${active.id ? '#' + active.id : ''}` : '',
    dangerText: danger.map((d) => d.textContent.replace(/\s+/g, ' ').trim()).join(' | ').slice(0, 200),
    errorFlash: [...document.querySelectorAll('.flash.alert-warning, .flash.alert-danger')].map((a) => a.textContent.replace(/\s+/g, ' ').trim()).join(' | '),
    flash: [...document.querySelectorAll('.alert')].map((a) => a.textContent.replace(/\s+/g, ' ').trim()).join(' | ').slice(0, 200),
    title: document.title,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Plausible values by field, so that the one bad value is the reason of a refusal.
function plausible(f, n) {
  const name = f.name.toLowerCase();
  if (f.kind === 'textarea') return `Texte saisi ${n} pour vérifier qu'il revient tel quel.`;
  switch (f.type) {
    case 'email': return `personne${n}@example.org`;
    case 'url': return 'https://example.org/page';
    case 'tel': return '01 23 45 67 89';
    case 'number': return '3';
    case 'date': return '2027-03-15';
    case 'datetime-local': return '2027-03-15T10:00';
    case 'time': return '10:00';
    case 'month': return '2027-03';
    default: break;
  }
  if (/siret/.test(name)) return '73282932000074';
  if (/siren/.test(name)) return '732829320';
  if (/cpv/.test(name)) return '45000000';
  if (/departement|dept/.test(name)) return '93';
  if (/postal|postcode|code_postal|zip/.test(name)) return '93200';
  if (/phone|telephone|tel$/.test(name)) return '01 23 45 67 89';
  if (/email|courriel/.test(name)) return `personne${n}@example.org`;
  if (/url|site|web/.test(name)) return 'https://example.org';
  if (/(^|_)date|deadline|_at$/.test(name)) return '2027-03-15';
  if (/percent|share|part/.test(name)) return '30';
  if (f.inputmode === 'numeric' || f.inputmode === 'decimal' || /amount|montant|hours|heures|count|nombre|capacity|capacite|budget|price|prix|places/.test(name)) return '12';
  return `Valeur saisie ${n}`;
}
const isNumberField = (f) => f.kind === 'input' && (f.type === 'number' || f.inputmode === 'numeric' || f.inputmode === 'decimal');
const isDateField = (f) => f.kind === 'input' && (f.type === 'date' || f.type === 'datetime-local');
const isCpvField = (f) => f.kind === 'input' && /cpv/i.test(f.name);
const isTextField = (f) => (f.kind === 'textarea' || (f.kind === 'input' && ['text', ''].includes(f.type) && !f.inputmode))
  && !f.suggest && !f.readOnly && !/cpv|siret|siren|departement|postal/i.test(f.name);
const exe = { name: 'programme.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00 programme') };

// The variants of a form: empty, then one bad value per kind it has (at most four submits).
function variantsOf(form) {
  const typed = form.fields.filter((f) => !f.readOnly && f.kind !== 'check');
  const texts = typed.filter(isTextField);
  const longField = texts.filter((f) => f.maxlength).sort((a, b) => a.maxlength - b.maxlength)[0]
    || texts.find((f) => f.kind === 'textarea') || texts[0];
  const out = [{ name: 'vide', bad: [] }];
  if (longField) {
    const len = longField.maxlength ? longField.maxlength + 1 : 100001;
    out.push({ name: `texte trop long (${len} car.)`, bad: [{ key: longField.key, kind: 'long', value: 'é'.repeat(len) }] });
  }
  const kinds = [];
  const num = typed.find(isNumberField);
  if (num) kinds.push({ key: num.key, kind: 'number', value: 'abc', label: 'nombre « abc »' });
  const date = typed.find(isDateField);
  if (date) kinds.push({ key: date.key, kind: 'date', value: date.type === 'date' ? '2027-02-30' : '2027-02-30T10:00', label: 'date « 2027-02-30 »' });
  const cpv = typed.find(isCpvField);
  if (cpv) kinds.push({ key: cpv.key, kind: 'cpv', value: '99999999', label: 'CPV « 99999999 »' });
  const file = typed.find((f) => f.kind === 'file');
  if (file) kinds.push({ key: file.key, kind: 'file', value: exe, label: 'fichier .exe' });
  // A text at exactly its limit beside another bad value: accepted as far as it goes (characters, not bytes).
  const atLimit = texts.filter((f) => f.maxlength && f.maxlength > 1).sort((a, b) => a.maxlength - b.maxlength)[0];
  const room = 4 - out.length;
  const groups = [];
  kinds.forEach((k, i) => {
    const g = Math.min(i, room - 1);
    (groups[g] = groups[g] || []).push(k);
  });
  for (const g of groups) {
    out.push({ name: g.map((k) => k.label).join(' + '), bad: g, atLimit: atLimit ? { key: atLimit.key, value: 'é'.repeat(atLimit.maxlength) } : null });
  }
  return out;
}

// Fills the form in the page: `values` maps field key to value; strips the browser's own checks.
async function fillForm(page, formIndex, values, files) {
  await page.evaluate(({ formIndex, values }) => {
    const form = document.querySelector(`[data-fw-form="${formIndex}"]`);
    form.setAttribute('novalidate', '');
    for (const el of form.querySelectorAll('input, textarea, select')) {
      for (const a of ['required', 'min', 'max', 'minlength', 'maxlength', 'pattern', 'step']) el.removeAttribute(a);
    }
    for (const [key, value] of Object.entries(values)) {
      const el = form.querySelector(`[data-fw-field="${key}"]`) || document.querySelector(`[data-fw-field="${key}"]`);
      if (!el) continue;
      if (el.tagName === 'INPUT' && ['number', 'date', 'datetime-local', 'time', 'month', 'email', 'url'].includes(el.type)) el.type = 'text';
      el.value = value;
    }
  }, { formIndex, values });
  for (const [key, file] of Object.entries(files)) {
    await page.locator(`[data-fw-field="${key}"]`).setInputFiles(file);
  }
}

// Submits the form by its chosen button; returns the status of every document answer on the way.
async function submit(page, formIndex) {
  const statuses = [];
  const onResponse = (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) statuses.push(r.status());
  };
  page.on('response', onResponse);
  try {
    const nav = page.waitForNavigation({ waitUntil: 'load', timeout: 20000 });
    await page.evaluate((formIndex) => {
      const form = document.querySelector(`[data-fw-form="${formIndex}"]`);
      const button = document.querySelector(`[data-fw-submit="${formIndex}"]`);
      form.requestSubmit(button || undefined);
    }, formIndex);
    await nav;
  } finally {
    page.off('response', onResponse);
  }
  return statuses;
}

async function axeCheck(page) {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) on ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------------
// One form: the static look, then each variant.
let shot = 0;
async function walkForm(page, base, ctx, spec, role) {
  const pageUrl = base + ctx.pagePath;
  const visible = spec.fields.filter((f) => f.kind !== 'check');
  // Static: required fields marked, the sentence present.
  const requiredFields = visible.filter((f) => f.required);
  for (const f of requiredFields) {
    if (!f.label.includes('*')) fail(ctx, 'statique', `champ obligatoire « ${f.name} » (required) sans * dans son libellé « ${f.label.slice(0, 60)} »`);
  }
  const starred = visible.filter((f) => f.label.includes('*'));
  if ((requiredFields.length || starred.length) && !spec.hasNote) fail(ctx, 'statique', 'phrase « Les champs marqués * sont obligatoires » absente du formulaire');
  const variants = variantsOf(spec);
  const result = { form: ctx.formName, page: ctx.pagePath, role: ctx.role, variants: [] };
  walked.push(result);
  let acceptedBefore = false;
  for (const variant of variants) {
    await page.goto(pageUrl);
    const now = await page.evaluate(describeForms);
    const form = now.find((f) => f.actionUrl === spec.actionUrl && f.sameActionIndex === spec.sameActionIndex)
      || now.find((f) => f.actionUrl === spec.actionUrl);
    if (!form) { if (variant === variants[0]) { walked.pop(); return true; } notes.push(`${ctx.formName} (${ctx.pagePath}): the form is no longer on the page before « ${variant.name} » (an earlier submit was accepted)`); break; }
    // Keys by field name (the page may have been re-rendered with other indices).
    const byKey = new Map(spec.fields.map((f) => [f.key, f]));
    const keyOf = (oldKey) => {
      const old = byKey.get(oldKey);
      const same = form.fields.filter((f) => f.name === old.name);
      const i = spec.fields.filter((f) => f.name === old.name).indexOf(old);
      return (same[i] || same[0] || {}).key;
    };
    const values = {};
    const files = {};
    const expected = {};  // name -> [values]
    let n = 0;
    for (const f of form.fields) {
      if (f.readOnly || f.kind === 'check' || f.kind === 'file') continue;
      let v;
      if (variant.name === 'vide') {
        if (f.kind === 'select') v = f.options.includes('') ? '' : f.value;
        else if (f.kind === 'password') v = '';
        else v = '';
      } else if (f.kind === 'select') {
        const others = f.options.filter((o) => o !== '' && o !== f.value);
        v = others.length ? others[others.length - 1] : f.value;
      } else if (f.kind === 'password') {
        v = password;
      } else if (f.suggest) {
        v = '';
      } else if (f.value && isTextField(f) && !f.maxlength) {
        v = f.value + ' modifié';
      } else if (f.value && isTextField(f)) {
        v = (f.value + ' modifié').length <= f.maxlength ? f.value + ' modifié' : f.value;
      } else if (f.value) {
        v = f.value;
      } else {
        n += 1;
        v = plausible(f, n);
      }
      values[f.key] = v;
    }
    for (const b of variant.bad) {
      const key = keyOf(b.key);
      if (!key) continue;
      if (b.kind === 'file') files[key] = b.value; else values[key] = b.value;
    }
    if (variant.atLimit) { const k = keyOf(variant.atLimit.key); if (k) values[k] = variant.atLimit.value; }
    for (const f of form.fields) {
      if (!(f.key in values) || f.kind === 'password') continue;
      (expected[f.name] = expected[f.name] || []).push(values[f.key]);
    }
    await fillForm(page, form.index, values, files);
    let statuses;
    try {
      statuses = await submit(page, form.index);
    } catch (e) {
      fail(ctx, variant.name, `l'envoi n'a pas abouti (${String(e.message || e).split('\n')[0]})`);
      result.variants.push(`${variant.name}: ?`);
      continue;
    }
    const r = await page.evaluate(inspectResult, { id: form.id, action: form.action, sameActionIndex: form.sameActionIndex });
    const finalStatus = statuses[statuses.length - 1];
    const refused = !!(r.summaryId || r.invalid.length || r.errorFlash);
    if (variant === variants[0] && statuses.some((st) => st === 409 || st === 403) && !r.invalid.length) {
      result.variants.push(`${variant.name}: ${statuses.join('→')} indisponible`);
      walked.pop();
      return true;
    }
    result.variants.push(`${variant.name}: ${statuses.join('→')} ${refused ? 'refusé' : 'accepté'}`);
    if (verbose) console.log(`    ${variant.name}: ${statuses.join('→')} ${refused ? 'refused' : 'accepted'} ${r.flash}`);
    let failedHere = false;
    // After an accepted variant (something published, closed, saved), a refusal may be about that new state:
    // still judged, and said so.
    const after = acceptedBefore ? ' (après un envoi précédent accepté)' : '';
    const f1 = (what) => { failedHere = true; fail(ctx, variant.name, what + after); };
    if (!refused) acceptedBefore = true;
    if (statuses.some((s) => s >= 500)) f1(`réponse ${statuses.join('→')} (erreur serveur)`);
    if (!refused) {
      if (finalStatus >= 400) {
        f1(`page d'erreur ${finalStatus} au lieu du formulaire (« ${r.title} » ${r.dangerText || r.flash}) : tout ce qui était saisi est perdu`);
      } else if (variant.name === 'vide') {
        // A select without an empty choice cannot be sent empty: it is not what this submit tests.
        const reqd = visible.filter((f) => (f.required || f.label.includes('*')) && !(f.kind === 'select' && !f.options.includes('')));
        if (reqd.length) f1(`envoi vide accepté alors que ${reqd.map((f) => f.name).join(', ')} sont marqués obligatoires (${r.flash})`);
        else notes.push(`${ctx.formName} (${ctx.pagePath}, ${ctx.role}): accepted empty (no field is marked required) — ${r.flash}`);
      } else {
        for (const b of variant.bad) {
          const f = byKey.get(b.key);
          const what = b.kind === 'long' ? `texte trop long (${b.value.length} car.)` : b.kind === 'number' ? 'nombre « abc »'
            : b.kind === 'date' ? 'date impossible « 2027-02-30 »' : b.kind === 'cpv' ? 'code CPV inconnu « 99999999 »' : 'fichier .exe';
          f1(`${what} dans « ${f.name} » accepté (${statuses.join('→')} ${r.flash})`);
        }
      }
    } else if (acceptedBefore && !r.invalid.length && variant.bad.length &&
               variant.bad.every((b) => !(byKey.get(b.key).name in r.values))) {
      // Refused after an earlier submit changed the state (decisions published): the page no longer has the
      // field the bad value was typed in — the state's message, nothing typed is at fault.
      notes.push(`${ctx.formName} (${ctx.pagePath}, ${ctx.role}): ${variant.name} refused by the new state — ${r.dangerText || r.flash}`);
    } else {
      if (!r.found) f1('le formulaire n\'est plus sur la page après le refus');
      // Every typed value still there.
      for (const [name, vals] of Object.entries(expected)) {
        const got = r.values[name] || [];
        vals.forEach((v, i) => {
          if (got[i] === undefined) { if (r.found) f1(`champ « ${name} » absent après le refus`); return; }
          if (got[i] !== v) {
            const show = (s) => (s.length > 40 ? `${s.slice(0, 20)}…(${[...s].length} car.)` : s);
            f1(`valeur saisie perdue dans « ${name} » : saisi « ${show(v)} », revenu « ${show(got[i])} »`);
          }
        });
      }
      // The bad field is marked invalid; a text at its limit is not.
      for (const b of variant.bad) {
        const name = byKey.get(b.key).name;
        if (!r.invalid.some((i) => i.name === name && i.inForm)) f1(`pas d'erreur à côté de « ${name} » (${b.kind === 'long' ? 'texte trop long' : b.kind})`);
      }
      if (variant.atLimit) {
        const name = byKey.get(variant.atLimit.key).name;
        if (r.invalid.some((i) => i.name === name && i.inForm)) f1(`« ${name} » refusé à exactement ${variant.atLimit.value.length} caractères « é » (limite comptée en octets ?)`);
      }
      if (variant.name === 'vide') {
        for (const i of r.invalid.filter((x) => x.inForm)) {
          const f = visible.find((x) => x.name === i.name);
          if (f && !f.label.includes('*') && !f.conditional) f1(`« ${i.name} » refusé vide mais son libellé n'a pas de * (« ${f.label.slice(0, 50)} »)`);
        }
      }
      // Errors beside their fields.
      for (const i of r.invalid) {
        if (!i.described.length) f1(`« ${i.name || i.id} » aria-invalid sans aria-describedby`);
        for (const d of i.described) if (!d.exists) f1(`« ${i.name || i.id} » aria-describedby="${d.id}" ne mène à aucun élément`);
        if (i.described.length && !i.described.some((d) => d.exists && d.text)) f1(`« ${i.name || i.id} » : aucun message dans aria-describedby`);
      }
      // The summary.
      if (!r.summaryId) f1(`pas de résumé des erreurs ([id$="-erreurs"]) ; message : ${r.errorFlash ? `bandeau « ${r.errorFlash.slice(0, 90)} »` : r.dangerText.slice(0, 90) || '(aucun)'}`);
      else {
        for (const l of r.links) if (!l.exists) f1(`lien du résumé ${l.href} (« ${l.text.slice(0, 40)} ») ne mène à aucun élément`);
        if (!r.ordered) f1(`liens du résumé pas dans l'ordre du formulaire (${r.links.map((l) => l.href).join(' ')})`);
        if (r.unlinked.length) f1(`champ(s) en erreur sans lien dans le résumé : ${r.unlinked.join(', ')}`);
        if (!r.focusOnSummary) f1(`le focus n'est pas sur le résumé #${r.summaryId} (il est sur ${r.focused || 'rien'})`);
      }
      if (!r.invalid.length && !variant.bad.length) f1('aucun champ marqué aria-invalid');
      const axe = await axeCheck(page);
      for (const v of axe) f1(`axe : ${v}`);
    }
    if (failedHere) {
      shot += 1;
      await page.screenshot({ path: join(shotDir, `formulaires-${String(shot).padStart(3, '0')}.png`), fullPage: true }).catch(() => {});
      ctx.failures[ctx.failures.length - 1].what += ` [capture formulaires-${String(shot).padStart(3, '0')}.png]`;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// The demo has no question, partnership offer, conversation, consortium, organisation to vet nor closed notice:
// make them through the site first, so the forms that act on them are reachable too.
const luhnSiret = (body13) => {
  for (let d = 0; d < 10; d++) {
    const s = body13 + d;
    let sum = 0;
    [...s].reverse().forEach((c, i) => { let v = +c; if (i % 2) { v *= 2; if (v > 9) v -= 9; } sum += v; });
    if (sum % 10 === 0) return s;
  }
  return body13 + '0';
};
async function fillAndSend(page, formSelector, values, buttonName) {
  const form = page.locator(formSelector).first();
  await form.evaluate((f, values) => {
    for (const [name, value] of Object.entries(values)) {
      const el = f.querySelector(`[name="${name}"]`);
      if (!el) throw new Error(`no field ${name}`);
      el.value = value;
      if (el.value !== value) throw new Error(`${name} cannot take « ${value} »`);
    }
  }, values);
  const button = buttonName ? form.getByRole('button', { name: buttonName, includeHidden: true }) : form.locator('button[type=submit]').first();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.evaluate((b) => b.form.requestSubmit(b))]);
  const errors = await page.locator('[id$="-erreurs"], #erreurs, .flash.alert-warning, .flash.alert-danger').allTextContents();
  if (errors.length) throw new Error(`refused: ${errors.join(' ').replace(/\s+/g, ' ').slice(0, 300)}`);
}
async function setUp(browser, base) {
  const steps = [];
  const step = async (name, fn) => {
    try { await fn(); steps.push(`${name}: ok`); } catch (e) {
      failures.push({ form: '(mise en place)', page: '', role: '', variant: name, what: `étape impossible : ${String(e.message || e).split('\n')[0]}` });
    }
  };
  const open = async (email) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    page.on('dialog', (d) => d.accept().catch(() => {}));
    await login(page, base, email, password);
    return { context, page };
  };
  const a = await open('contact@atelier-vert-1.example');
  let noticeUrl = '';
  let offerUrl = '';
  let conversationUrl = '';
  await step('question posée par une entreprise', async () => {
    await a.page.goto(base + '/consultations');
    await a.page.getByRole('link', { name: /désamiantage et de réhabilitation du lycée Jean-Jaurès/ }).first().click();
    noticeUrl = a.page.url();
    await fillAndSend(a.page, 'form[action$="/questions"]', { question: 'Une visite du site est-elle prévue ?' });
  });
  await step('offre de partenariat publiée', async () => {
    await a.page.goto(noticeUrl);
    await fillAndSend(a.page, 'form[action$="/bourse"]', { kind: 'seek_subcontractor', lot: '2', share: '30', cpv_codes: '45000000',
      departements: '93', description: 'Nous cherchons un sous-traitant pour la réhabilitation du lot 2, références demandées.' });
    offerUrl = a.page.url();
    assert.match(offerUrl, /\/bourse-co-traitance\/\d+/);
  });
  await step('organisation publique déclarée (à vérifier)', async () => {
    await a.page.goto(base + '/mon-espace/organisations/nouvelle?type=acheteur');
    await fillAndSend(a.page, 'form[action^="/mon-espace/organisations/nouvelle"]', { name: 'Syndicat des eaux de démonstration',
      siret: luhnSiret('2093000120001'), buyer_kind: await a.page.locator('select[name=buyer_kind] option[value]:not([value=""])').first().getAttribute('value'),
      departement: '93' });
  });
  const b = await open('contact@bati-francilien-2.example');
  await step('réponse à l\'offre (conversation)', async () => {
    await b.page.goto(offerUrl);
    await fillAndSend(b.page, 'form[action$="/repondre"]', { body: 'Bonjour, nous réhabilitons des lycées depuis vingt ans.' });
    conversationUrl = b.page.url();
    assert.match(conversationUrl, /\/mon-espace\/messages\/\d+/);
  });
  await b.context.close();
  await step('groupement proposé', async () => {
    await a.page.goto(conversationUrl);
    await fillAndSend(a.page, 'form[action$="/groupement"]', {}, 'Proposer le groupement');
  });
  await a.context.close();
  const buyer = await open('acheteur.region@passerelle.example');
  await step('consultation publiée puis clôturée (attribution)', async () => {
    await buyer.page.goto(base + '/mon-espace/consultations');
    await buyer.page.locator('a[href^="/mon-espace/consultations/nouvelle"]').first().click();
    await fillAndSend(buyer.page, 'form[action^="/mon-espace/consultations/nouvelle"]', { reference: '2027-FORM-01',
      title: 'Nettoyage des archives régionales', procedure: 'ao_ouvert', bid_deadline: '2030-06-15T12:00', lot_title: 'Lot unique', lot_cpv: '90000000',
      lot_departements: '75' }, 'Publier');
    await buyer.page.getByText('La consultation est publiée').waitFor({ timeout: 5000 });
    await buyer.page.getByRole('button', { name: 'Clôturer' }).click();
    await buyer.page.locator('a[href$="/attribution"]').first().waitFor({ timeout: 5000 });
  });
  await buyer.context.close();
  if (verbose) console.log(`set-up: ${steps.join(' ; ')}`);
}

// ---------------------------------------------------------------------------------------------------------
const server = await startServer(bin, [['demo']]);
const browser = await launch();
const done = new Set();
let exitCode = 0;
try {
  await setUp(browser, server.base);
  for (const { role, email, seeds } of roles) {
    if (onlyRoles && !onlyRoles.includes(role)) continue;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    page.on('dialog', (d) => d.accept().catch(() => {}));
    const consoleErrors = watchConsole(page);
    if (email) await login(page, server.base, email, password);
    const pages = await crawl(context.request, server.base, seeds);
    if (verbose) console.log(`[${role}] pages with forms: ${pages.map((p) => p.path).join(' ')}`);
    let formsHere = 0;
    // Every walkable form of these pages, by signature (same action route, same fields), with each page holding it.
    const bySignature = new Map();
    for (const { path, route } of pages) {
      await page.goto(server.base + path);
      const at = new URL(page.url());
      if (at.pathname + at.search !== path) continue;
      const forms = await page.evaluate(describeForms);
      for (const spec of forms) {
        const actionRoute = routeOf('POST', spec.actionUrl) || spec.actionUrl;
        if (skipActions.some((re) => re.test(spec.actionUrl))) continue;
        const fields = spec.fields.filter((f) => ['input', 'textarea', 'select', 'file'].includes(f.kind));
        if (!fields.length) continue;
        if (only && !only.test(actionRoute)) continue;
        const signature = `${actionRoute} ${[...new Set(spec.fields.map((f) => f.name.replace(/\d+/g, '#')))].sort().join(',')}`;
        if (done.has(signature)) continue;
        if (!bySignature.has(signature)) bySignature.set(signature, []);
        bySignature.get(signature).push({ path, route, spec, actionRoute });
      }
    }
    const last = (sig) => (walkLast.some((re) => re.test(sig.split(' ')[0])) ? 1 : 0);
    for (const [signature, candidates] of [...bySignature].sort((x, y) => last(x[0]) - last(y[0]))) {
      done.add(signature);
      formsHere += 1;
      // The first page where the form can be used (a closed item answers 409 whatever is typed: try the next).
      let outcome = null;
      for (const { path, route, spec, actionRoute } of candidates.slice(0, 4)) {
        const formName = `POST ${actionRoute}${spec.id ? ` #${spec.id}` : ''}${spec.heading ? ` « ${spec.heading.slice(0, 50)} »` : ''}`;
        const ctx = { role, pagePath: path, pageUrl: path, pageRoute: route, formName, failures: [] };
        if (verbose) console.log(`[${role}] ${path}: ${formName} (${spec.fields.map((f) => f.name).join(', ')})`);
        try {
          outcome = { ctx, unavailable: await walkForm(page, server.base, ctx, spec, role) };
        } catch (e) {
          ctx.failures.push({ form: formName, page: path, role, variant: '?', what: `le test n'a pas pu parcourir ce formulaire : ${String(e.message || e).split('\n')[0]}` });
          outcome = { ctx, unavailable: false };
        }
        if (!outcome.unavailable) break;
        notes.push(`${formName} (${path}, ${role}): answers 409/403 to everything (closed or not allowed), trying another page`);
      }
      failures.push(...outcome.ctx.failures);
    }
    console.log(`${role}: ${pages.length} pages with forms, ${formsHere} new forms walked (${Math.round((Date.now() - started) / 1000)} s)`);
    if (consoleErrors.length) notes.push(`${role}: browser console errors: ${[...new Set(consoleErrors)].slice(0, 5).join(' | ')}`);
    await context.close();
  }
} catch (e) {
  exitCode = 1;
  console.error(e);
  console.error(`server log (tail):\n${server.log.split('\n').slice(-30).join('\n')}`);
} finally {
  await browser.close();
  await server.stop();
}

console.log(`\n${walked.length} forms walked in ${Math.round((Date.now() - started) / 1000)} s:`);
for (const w of walked) console.log(`  [${w.role}] ${w.form} — ${w.page}\n      ${w.variants.join(' ; ')}`);
for (const n of notes) console.log(`note: ${n}`);
if (!onlyRoles && !only && walked.length < 20) {
  exitCode = 1;
  console.log(`\nonly ${walked.length} forms were found: the walk lost its way (links or logins changed?)`);
}
if (failures.length) {
  exitCode = 1;
  console.log(`\n${failures.length} failures:`);
  const byForm = new Map();
  for (const f of failures) {
    const k = `${f.form} — page ${f.page} (${f.role})`;
    if (!byForm.has(k)) byForm.set(k, []);
    byForm.get(k).push(f);
  }
  for (const [k, list] of byForm) {
    console.log(`\n${k}`);
    for (const f of list) console.log(`  [${f.variant}] ${f.what}`);
  }
} else if (!exitCode) {
  console.log('\nforms ok: every refused form came back as typed, its errors beside its fields');
}
process.exit(exitCode);
