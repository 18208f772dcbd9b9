// Runs in <head> before the first paint, as a file because the CSP forbids inline scripts. It puts the
// stored theme and language on <html> (the keys of src/prefs/theme.ts and src/i18n/language.ts), so a
// dark or right-to-left page never flashes light or left-to-right while the app loads.
(function () {
  var root = document.documentElement;
  try {
    var theme = localStorage.getItem('platform.theme');
    if (theme === 'light' || theme === 'dark') root.setAttribute('data-theme', theme);
    var language = localStorage.getItem('platform.language');
    if (language !== 'en' && language !== 'ar') {
      var preferred = (navigator.languages || [navigator.language || 'en'])[0] || 'en';
      language = preferred.toLowerCase().split('-')[0] === 'ar' ? 'ar' : 'en';
    }
    root.lang = language;
    root.dir = language === 'ar' ? 'rtl' : 'ltr';
  } catch (e) {
    // Storage refused: the defaults (system theme, English) stand.
  }
})();
