// Noto Sans SC from npm, in unicode-range subsets: a page downloads only the glyphs it shows.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';
import { createApp } from 'vue';
import App from './App.vue';
import { setUnauthenticatedHandler } from './api/client';
import { i18n, currentLocale } from './i18n';
import { router } from './router';
import { restore, signOut } from './session';

document.documentElement.lang = currentLocale();
setUnauthenticatedHandler(() => {
  signOut();
  void router.push({ path: '/sign-in', query: { expired: '1' } });
});

void restore().then(() => {
  createApp(App).use(i18n).use(router).mount('#app');
});
