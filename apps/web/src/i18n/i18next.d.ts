import 'i18next';
import type { Messages } from './en.js';

// Keys passed to t() are checked against the English text.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
    returnNull: false;
  }
}
