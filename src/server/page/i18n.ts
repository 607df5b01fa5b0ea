/**
 * The page's language: the reader's choice (kept in localStorage), else the first of
 * navigator.languages the page speaks, else English. Applying one rewrites every element marked
 * data-i18n (text), data-i18n-label (aria-label) or data-i18n-title (title), and sets the
 * document's lang and dir, so a right-to-left language lays the page out from the right.
 */
import { LANGUAGES, STRINGS, type Lang, type Strings, type TextKey } from './strings.js';

const STORAGE_KEY = 'wasmnn.language';

const isLang = (code: string): code is Lang => Object.hasOwn(LANGUAGES, code);

/** 'fr-CA' matches fr; the stored choice wins over the browser's list. */
export function pickLanguage(stored: string | null, preferred: readonly string[]): Lang {
  if (stored !== null && isLang(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]!;
    if (isLang(base)) return base;
  }
  return 'en';
}

export function applyLanguage(lang: Lang): Strings {
  const s = STRINGS[lang];
  const root = document.documentElement;
  root.lang = lang;
  root.dir = LANGUAGES[lang].dir;
  document.title = s.title;
  const text = (el: Element, attribute: string): string => s[el.getAttribute(attribute) as TextKey];
  document.querySelectorAll('[data-i18n]').forEach((el) => (el.textContent = text(el, 'data-i18n')));
  document.querySelectorAll('[data-i18n-label]').forEach((el) => el.setAttribute('aria-label', text(el, 'data-i18n-label')));
  document.querySelectorAll('[data-i18n-title]').forEach((el) => el.setAttribute('title', text(el, 'data-i18n-title')));
  return s;
}

/** Applies the starting language, and a new one (remembered) whenever `select` changes. */
export function initLanguage(select: HTMLSelectElement, onChange: (lang: Lang, s: Strings) => void): { lang: Lang; s: Strings } {
  const lang = pickLanguage(readStored(), navigator.languages ?? [navigator.language]);
  select.value = lang;
  select.addEventListener('change', () => {
    const next = select.value;
    if (!isLang(next)) return;
    store(next);
    onChange(next, applyLanguage(next));
  });
  return { lang, s: applyLanguage(lang) };
}

// Storage can be switched off or full; the page then simply does not remember the choice.
function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; the choice still applies to this visit
  }
}
