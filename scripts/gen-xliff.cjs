#!/usr/bin/env node
'use strict';
/* global process, require, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports */
// Copied from the project's shared tools: `npm run demo` needs it without ../shared.
// Deterministic generator of realistic XLIFF 1.2 / 2.0 files of a given size. No deps.
//
// usage: node gen-xliff.js --format 1.2|2.0 --size 10M|100M|1G|<bytes> --out FILE [--seed N] [--files N]
//   sizes: K/M/G are binary (KiB/MiB/GiB). The file ends slightly above the target size.
// prints a JSON stats line on stdout (units, segments, repeated sources, ...).
//
// Content mix (per unit, approx.): 30% source repeated from earlier units (exact same source markup),
// ~55% have a <target> (mostly state="translated"), ~20% a <note>, ~5% translate="no",
// ~3% CDATA sources, ~15% entity-heavy text, non-ASCII (accents, Greek, Cyrillic, CJK, Hangul, emoji),
// inline markup: 1.2 -> <g id>, <x id/>, <ph id>, <bpt>/<ept>; 2.0 -> <pc>, <ph/>, <sc/>/<ec/>,
// plus 2.0 multi-segment units with <ignorable>, <notes>, <originalData>.

const fs = require('fs');

function parseArgs(argv) {
  const o = { format: '1.2', size: '10M', out: null, seed: 42, files: 6 };
  for (let i = 2; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    o[k] = argv[i + 1];
  }
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(String(o.size));
  if (!m) throw new Error('bad --size ' + o.size);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase()];
  o.bytes = Math.round(parseFloat(m[1]) * mult);
  o.seed = Number(o.seed);
  o.files = Number(o.files);
  if (!o.out) throw new Error('--out required');
  return o;
}

// mulberry32 PRNG
function rng(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN = ('the a to of and in is for on with your this that you be are from by at as not can will ' +
  'file settings account password user click save cancel open close delete create update download upload ' +
  'message error warning profile language select option value name email address phone number date time ' +
  'server connection network request response invalid required field form button menu window page report ' +
  'data export import print search filter sort results item items list table column row total amount ' +
  'payment invoice order customer product price discount shipping cart checkout confirm continue back next ' +
  'previous help support contact privacy terms policy security notification enable disable default custom ' +
  'please try again later successfully failed loading saving changes unsaved permission denied access ' +
  'welcome home dashboard overview details summary history activity status pending active inactive ' +
  'expired limit exceeded storage quota upgrade plan billing subscription trial remaining days').split(' ');
const FR = ('le la à de et dans est pour sur avec votre ce que vous être sont depuis par chez comme pas peut ' +
  'sera fichier paramètres compte mot-de-passe utilisateur cliquez enregistrer annuler ouvrir fermer ' +
  'supprimer créer mettre-à-jour télécharger téléverser message erreur avertissement profil langue ' +
  'sélectionner option valeur nom courriel adresse téléphone numéro date heure serveur connexion réseau ' +
  'requête réponse invalide obligatoire champ formulaire bouton menu fenêtre page rapport données exporter ' +
  'importer imprimer rechercher filtrer trier résultats élément éléments liste tableau colonne ligne total ' +
  'montant paiement facture commande client produit prix remise livraison panier caisse confirmer ' +
  'continuer retour suivant précédent aide assistance contact confidentialité conditions politique ' +
  'sécurité notification activer désactiver défaut personnalisé veuillez réessayer plus-tard réussi échoué ' +
  'chargement sauvegarde modifications non-enregistrées autorisation refusée accès bienvenue accueil ' +
  'tableau-de-bord aperçu détails résumé historique activité statut en-attente actif inactif expiré limite ' +
  'dépassée stockage quota mettre-à-niveau forfait facturation abonnement essai restants jours').split(' ');
const INTL = ['café', 'naïve', 'Ångström', 'façade', 'résumé', 'Zürich', 'jalapeño', 'São Paulo', 'Kraków',
  '東京', '日本語のテキスト', '中文字符', '한국어', 'Ελληνικά', 'Привет', 'שלום', 'مرحبا', '🚀', '👍🏽', '✓', '€20',
  '—', '«citation»', '„Zitat“', '…', '½', '°C', '™'];
const ENT = [' &amp; ', ' &lt;tag&gt; ', ' &quot;quoted&quot; ', ' &#169; 2024 ', " it&apos;s ", ' a &gt; b ', ' &#x1F600; '];
const LANGS = ['fr-FR', 'de-DE', 'ja-JP', 'es-ES', 'zh-CN', 'pt-BR', 'it-IT', 'ko-KR'];
const NOTES = ['Shown on the checkout page; keep it short.', 'Button label, max 20 characters.',
  'Do not translate the product name.', '%s is replaced by the user name.', 'Context: error dialog title.',
  'Plural form handled by the app.', 'Ünïcödé note — 注意してください 🚧', 'Legacy string & keep as is.'];

function main() {
  const o = parseArgs(process.argv);
  const R = rng(o.seed);
  const ri = (n) => Math.floor(R() * n);
  const pick = (arr) => arr[ri(arr.length)];
  const v2 = o.format.startsWith('2');
  const trMap = new Map();
  EN.forEach((w, i) => trMap.set(w, FR[i % FR.length]));

  // --- source "structure": array of tokens; rendered to 1.2 or 2.0 markup, source or target side ---
  function words(n, withIntl) {
    const out = [];
    for (let i = 0; i < n; i++) {
      if (withIntl && R() < 0.08) out.push(pick(INTL));
      else out.push(pick(EN));
    }
    return out.join(' ');
  }
  function genStruct() {
    const s = { cdata: R() < 0.03, toks: [] };
    const intl = R() < 0.35;
    const nWords = 4 + ri(22);
    if (s.cdata) {
      s.toks.push({ t: 'text', s: cap(words(nWords, intl)) + ' <b>' + pick(EN) + '</b> & "' + pick(EN) + '"' });
      return s;
    }
    const nInline = R() < 0.35 ? 0 : 1 + ri(3);
    const parts = [];
    let remaining = nWords;
    for (let k = 0; k <= nInline; k++) {
      const w = k === nInline ? remaining : Math.max(1, ri(Math.max(1, remaining)));
      remaining -= w;
      parts.push(w);
    }
    let id = 1;
    for (let k = 0; k < parts.length; k++) {
      let txt = words(Math.max(1, parts[k]), intl);
      if (k === 0) txt = cap(txt);
      if (R() < 0.15) txt += pick(ENT) + pick(EN);
      s.toks.push({ t: 'text', s: (k === 0 ? '' : ' ') + txt + ' ' });
      if (k < nInline) {
        const kind = R();
        if (kind < 0.35) {
          const inner = [{ t: 'text', s: words(1 + ri(3), intl) }];
          if (R() < 0.15) inner.push({ t: 'x', id: id++ });
          s.toks.push({ t: 'g', id: id++, children: inner });
        } else if (kind < 0.55) s.toks.push({ t: 'x', id: id++ });
        else if (kind < 0.8) s.toks.push({ t: 'ph', id: id++, c: pick(['%s', '%d', '{0}', '{{count}}', '&lt;br/&gt;']) });
        else {
          const n = id++;
          s.toks.push({ t: 'bpt', id: n, c: '&lt;b&gt;' });
          s.toks.push({ t: 'text', s: words(1 + ri(2), intl) });
          s.toks.push({ t: 'ept', id: n, c: '&lt;/b&gt;' });
        }
      }
    }
    s.toks[s.toks.length - 1].s = (s.toks[s.toks.length - 1].s || '').trimEnd() + pick(['.', '.', '?', '!', ':', '']);
    return s;
  }
  function cap(t) { return t.charAt(0).toUpperCase() + t.slice(1); }
  function tr(text) {
    // fake translation: map known words, keep the rest (entities, intl, punctuation)
    return text.replace(/[A-Za-z]+/g, (w) => {
      const m = trMap.get(w.toLowerCase());
      return m ? (w[0] === w[0].toUpperCase() ? cap(m) : m) : w;
    });
  }
  function render12(s, side) {
    const T = side === 'target' ? tr : (x) => x;
    if (s.cdata) return '<![CDATA[' + T(s.toks[0].s) + ']]>';
    return renderToks12(s.toks, T);
  }
  function renderToks12(toks, T) {
    let out = '';
    for (const k of toks) {
      switch (k.t) {
        case 'text': out += T(k.s); break;
        case 'g': out += `<g id="${k.id}">` + renderToks12(k.children, T) + '</g>'; break;
        case 'x': out += `<x id="${k.id}"/>`; break;
        case 'ph': out += `<ph id="${k.id}">${k.c}</ph>`; break;
        case 'bpt': out += `<bpt id="${k.id}">${k.c}</bpt>`; break;
        case 'ept': out += `<ept id="${k.id}">${k.c}</ept>`; break;
      }
    }
    return out;
  }
  function render20(s, side, data, off) {
    const T = side === 'target' ? tr : (x) => x;
    if (s.cdata) return '<![CDATA[' + T(s.toks[0].s) + ']]>';
    return renderToks20(s.toks, T, data, off);
  }
  // off: id offset so inline ids / dataRefs stay unique within a multi-segment unit
  function renderToks20(toks, T, data, off) {
    let out = '';
    for (const k0 of toks) {
      const k = k0.id != null ? Object.assign({}, k0, { id: k0.id + off }) : k0;
      switch (k.t) {
        case 'text': out += T(k.s); break;
        case 'g': out += `<pc id="${k.id}">` + renderToks20(k.children, T, data, off) + '</pc>'; break;
        case 'x': out += `<ph id="${k.id}"/>`; break;
        case 'ph': data.set('d' + k.id, k.c); out += `<ph id="${k.id}" dataRef="d${k.id}"/>`; break;
        case 'bpt': data.set('ds' + k.id, k.c); out += `<sc id="${k.id}" dataRef="ds${k.id}"/>`; break;
        case 'ept': data.set('de' + k.id, k.c); out += `<ec startRef="${k.id}" dataRef="de${k.id}"/>`; break;
      }
    }
    return out;
  }

  // --- output buffering ---
  const fd = fs.openSync(o.out, 'w');
  let buf = '';
  let written = 0;
  const flush = (force) => {
    if (buf.length > (1 << 20) || (force && buf.length)) {
      const b = Buffer.from(buf, 'utf8');
      fs.writeSync(fd, b);
      written += b.length;
      buf = '';
    }
  };
  const w = (s) => { buf += s; if (buf.length > (1 << 20)) flush(false); };
  const size = () => written + Buffer.byteLength(buf, 'utf8');

  const st = { format: o.format, target_bytes: o.bytes, files: 0, groups: 0, units: 0, segments: 0,
    repeated_source_units: 0, with_target: 0, with_note: 0, translate_no: 0, cdata: 0, max_group_depth: 0 };
  const pool = [];
  const POOL = 5000;
  function nextSource() {
    if (pool.length > 50 && R() < 0.30) { st.repeated_source_units++; return pool[ri(pool.length)]; }
    const s = genStruct();
    if (pool.length < POOL) pool.push(s); else pool[ri(POOL)] = s;
    return s;
  }

  let unitId = 0;
  const perFile = o.bytes / o.files;
  const srcLang = 'en-US';
  const trgLang20 = 'fr-FR';

  if (!v2) {
    w('<?xml version="1.0" encoding="UTF-8"?>\n');
    w('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="urn:oasis:names:tc:xliff:document:1.2 xliff-core-1.2-strict.xsd">\n');
  } else {
    w('<?xml version="1.0" encoding="UTF-8"?>\n');
    w(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="${srcLang}" trgLang="${trgLang20}">\n`);
  }

  for (let f = 1; f <= o.files; f++) {
    st.files++;
    const fileEnd = perFile * f;
    const tl = LANGS[(f - 1) % LANGS.length];
    if (!v2) {
      w(`  <file original="module-${f}/strings.properties" source-language="${srcLang}" target-language="${tl}" ` +
        `datatype="plaintext" product-name="perf-anchors" date="2024-05-0${(f % 9) + 1}T12:00:00Z">\n`);
      w(`    <header>\n      <tool tool-id="gen" tool-name="perf-anchors-gen" tool-version="1.0"/>\n` +
        `      <note>Generated file ${f} for streaming benchmarks &amp; tests.</note>\n    </header>\n    <body>\n`);
    } else {
      w(`  <file id="f${f}" original="module-${f}/strings.json">\n`);
      w(`    <notes>\n      <note id="fn${f}" category="generator">Generated file ${f} for streaming benchmarks &amp; tests.</note>\n    </notes>\n`);
    }
    let g = 0;
    while (size() < fileEnd) {
      // one top-level group, with 0..2 nested groups (depth up to 3)
      g++;
      st.groups++;
      const depth = 1 + ri(3);
      st.max_group_depth = Math.max(st.max_group_depth, depth);
      const base = v2 ? '    ' : '      ';
      for (let d = 0; d < depth; d++) {
        const ind = base + '  '.repeat(d);
        if (d > 0) st.groups++;
        if (!v2) w(`${ind}<group id="f${f}-g${g}-${d}" resname="section.${g}.${d}">\n`);
        else w(`${ind}<group id="f${f}-g${g}-${d}" name="section.${g}.${d}">\n`);
      }
      const ind = base + '  '.repeat(depth);
      const nUnits = 5 + ri(36);
      for (let u = 0; u < nUnits; u++) {
        unitId++;
        st.units++;
        const noTr = R() < 0.05;
        const hasTarget = !noTr && R() < 0.58;
        const hasNote = R() < 0.2;
        if (noTr) st.translate_no++;
        if (hasTarget) st.with_target++;
        if (hasNote) st.with_note++;
        if (R() < 0.01) w(`${ind}<!-- unit ${unitId}: reviewed -->\n`);
        if (!v2) {
          const s = nextSource();
          if (s.cdata) st.cdata++;
          st.segments++;
          const attrs = `id="u${unitId}" resname="key.${f}.${g}.${u}"` + (noTr ? ' translate="no"' : '') +
            (R() < 0.1 ? ' xml:space="preserve"' : '') + (R() < 0.05 ? ' approved="yes"' : '');
          w(`${ind}<trans-unit ${attrs}>\n`);
          w(`${ind}  <source xml:lang="${srcLang}">${render12(s, 'source')}</source>\n`);
          if (hasTarget) {
            const r = R();
            const state = r < 0.8 ? 'translated' : r < 0.9 ? 'needs-review-translation' : 'final';
            w(`${ind}  <target xml:lang="${tl}" state="${state}">${render12(s, 'target')}</target>\n`);
          }
          if (hasNote) w(`${ind}  <note from="developer" priority="${1 + ri(5)}">${pick(NOTES).replace(/&/g, '&amp;')}</note>\n`);
          w(`${ind}</trans-unit>\n`);
        } else {
          const nSeg = R() < 0.3 ? 2 : 1;
          const segs = [];
          const data = new Map();
          for (let k = 0; k < nSeg; k++) {
            const s = nextSource();
            if (s.cdata) st.cdata++;
            const off = k * 100;
            segs.push({ s, src: render20(s, 'source', data, off), tgt: hasTarget ? render20(s, 'target', data, off) : null });
          }
          st.segments += nSeg;
          w(`${ind}<unit id="u${unitId}" name="key.${f}.${g}.${u}"` + (noTr ? ' translate="no"' : '') + '>\n');
          if (hasNote) w(`${ind}  <notes>\n${ind}    <note category="developer" priority="${1 + ri(5)}">${pick(NOTES).replace(/&/g, '&amp;')}</note>\n${ind}  </notes>\n`);
          if (data.size) {
            w(`${ind}  <originalData>\n`);
            for (const [k, v] of data) w(`${ind}    <data id="${k}">${v}</data>\n`);
            w(`${ind}  </originalData>\n`);
          }
          segs.forEach((sg, k) => {
            if (k > 0) w(`${ind}  <ignorable>\n${ind}    <source> </source>\n${ind}  </ignorable>\n`);
            let state = '';
            if (hasTarget) { const r = R(); state = ` state="${r < 0.8 ? 'translated' : r < 0.9 ? 'reviewed' : 'final'}"`; }
            w(`${ind}  <segment id="s${unitId}-${k + 1}"${state}>\n`);
            w(`${ind}    <source>${sg.src}</source>\n`);
            if (sg.tgt != null) w(`${ind}    <target>${sg.tgt}</target>\n`);
            w(`${ind}  </segment>\n`);
          });
          w(`${ind}</unit>\n`);
        }
      }
      for (let d = depth - 1; d >= 0; d--) w(`${base + '  '.repeat(d)}</group>\n`);
    }
    if (!v2) w('    </body>\n  </file>\n');
    else w('  </file>\n');
  }
  w('</xliff>\n');
  flush(true);
  fs.closeSync(fd);
  st.bytes = written;
  process.stdout.write(JSON.stringify(st) + '\n');
}

main();
