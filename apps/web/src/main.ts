// Noto Sans SC from npm, in unicode-range subsets: a page downloads only the glyphs it shows.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';
import { createApp } from 'vue';
import App from './App.vue';
import { ApiProblem, setUnauthenticatedHandler } from './api/client';
import { i18n, currentLocale } from './i18n';
import { router } from './router';
import { restore, session, signOut } from './session';

document.documentElement.lang = currentLocale();
setUnauthenticatedHandler(() => {
  signOut();
  void router.push({ path: '/sign-in', query: { expired: '1' } });
});

// A page being left at sign-out may still ask for its data once, now without a token: its 401 is the
// sign-out itself (the user is already on the sign-in page), not an error of the page.
window.addEventListener('unhandledrejection', (event) => {
  if (
    event.reason instanceof ApiProblem &&
    event.reason.problem.status === 401 &&
    session.token === undefined
  )
    event.preventDefault();
});

void restore().then(() => {
  createApp(App).use(i18n).use(router).mount('#app');
});
