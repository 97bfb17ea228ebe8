// The pages' words as the suites look for them, read from the catalog the
// build carries (`link-server catalog`, core::i18n::export) instead of
// copied by hand: a reworded message changes in core/src/i18n.rs alone, and
// every suite follows it with the same assertions.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

export const LANGS = ['en_US', 'es_CO'];

const bin = process.env.LINK_SERVER_BIN ?? join(ROOT, 'target', 'debug', 'link-server');
const CATALOG = JSON.parse(execFileSync(bin, ['catalog'], { encoding: 'utf8' }));

/** Every message by name; a name in two catalogs would be ambiguous. */
const MESSAGES = {};
for (const catalog of Object.values(CATALOG)) {
  for (const [name, texts] of Object.entries(catalog)) {
    if (name in MESSAGES) throw new Error(`message ${name} is in two catalogs`);
    MESSAGES[name] = texts;
  }
}

/** A value for `lang`: given per language (`{ en_US, es_CO }`), as a function of it, or the same in both. */
function inLang(value, lang) {
  if (typeof value === 'function') return value(lang);
  if (value && typeof value === 'object' && lang in value) return value[lang];
  return value;
}

/**
 * The message `key` in `lang` (`en_US` or `es_CO`) with its `{name}`s
 * filled from `vars`. Throws on an unknown message or a placeholder left
 * without a value, so a renamed message fails the suite that names it.
 */
export function t(key, lang, vars = {}) {
  const texts = MESSAGES[key];
  if (!texts) throw new Error(`no message ${key} in the catalog`);
  const text = texts[lang];
  if (text === undefined) throw new Error(`no language ${lang}`);
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    if (!(name in vars)) throw new Error(`${key}: no value for {${name}}`);
    return String(inLang(vars[name], lang));
  });
}

/**
 * One table of words per language from one spec. Each entry is a message's
 * name, `[name, vars]`, or `{ en_US, es_CO }` for words that are not the
 * catalog's (an amount as the page formats it, the merchant's own text).
 */
export function words(spec) {
  const table = {};
  for (const lang of LANGS) {
    table[lang] = {};
    for (const [field, entry] of Object.entries(spec)) {
      if (typeof entry === 'string') table[lang][field] = t(entry, lang);
      else if (Array.isArray(entry)) table[lang][field] = t(entry[0], lang, entry[1]);
      else table[lang][field] = inLang(entry, lang);
    }
  }
  return table;
}

/** The message `key` in either language, exactly, as a pattern (a heading's name in a test that walks both). */
export function oneOf(key, vars = {}) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^(${LANGS.map((lang) => escape(t(key, lang, vars))).join('|')})$`);
}

/** Each message as a pattern, its placeholders matching any text. */
const PATTERNS = Object.entries(MESSAGES).map(([name, texts]) => [name, Object.fromEntries(LANGS.map((lang) => {
  // No-break spaces read as spaces, on both sides (the text is folded too).
  const parts = texts[lang].replace(/\u00a0/g, ' ').split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return [lang, new RegExp(parts.join('[\\s\\S]+?'))];
}))]);

/** The names of the messages `text` (what a screen shows or says) holds in `lang`. */
export function messagesIn(text, lang) {
  const plain = text.replace(/\u00a0/g, ' ');
  return PATTERNS.filter(([, p]) => p[lang].test(plain)).map(([name]) => name);
}

/** Every message's name. */
export const MESSAGE_NAMES = Object.keys(MESSAGES);
