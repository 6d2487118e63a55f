import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { homeOf, session } from './session';

type Kind = 'admin' | 'regulator' | 'auditor' | 'party';

/** The console's pages (DESIGN §7); `kinds` says which tokens a page is for (the API decides the rest). */
const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => homeOf(session.who) },
  { path: '/sign-in', component: () => import('./pages/SignIn.vue'), meta: { public: true } },
  { path: '/v1/trace/:code', component: () => import('./pages/PublicTrace.vue'), meta: { public: true, bare: true } },
  { path: '/admin', component: () => import('./pages/AdminTokens.vue'), meta: { kinds: ['admin'] } },
  { path: '/regulator', component: () => import('./pages/Dashboard.vue'), meta: { kinds: ['regulator', 'auditor'] } },
  { path: '/alerts', component: () => import('./pages/Alerts.vue'), meta: { kinds: ['regulator', 'auditor', 'party'] } },
  { path: '/manifests', component: () => import('./pages/Manifests.vue'), meta: { kinds: ['regulator', 'auditor', 'party'] } },
  { path: '/manifests/new', component: () => import('./pages/IssueManifest.vue'), meta: { kinds: ['party'] } },
  { path: '/manifests/:no', component: () => import('./pages/ManifestDetail.vue'), meta: { kinds: ['regulator', 'auditor', 'party'] } },
  { path: '/inventory', component: () => import('./pages/Inventory.vue'), meta: { kinds: ['regulator', 'auditor'] } },
  { path: '/parties', component: () => import('./pages/Parties.vue'), meta: { kinds: ['regulator', 'auditor'] } },
  { path: '/batches', component: () => import('./pages/MyBatches.vue'), meta: { kinds: ['party'] } },
  { path: '/batches/new', component: () => import('./pages/NewBatch.vue'), meta: { kinds: ['party'] } },
  { path: '/batches/:code', component: () => import('./pages/BatchDetail.vue'), meta: { kinds: ['party', 'regulator', 'auditor'] } },
  { path: '/consolidate', component: () => import('./pages/Consolidate.vue'), meta: { kinds: ['party'] } },
  { path: '/pickups', component: () => import('./pages/Pickups.vue'), meta: { kinds: ['party'] } },
  { path: '/arrivals', component: () => import('./pages/Arrivals.vue'), meta: { kinds: ['party'] } },
  { path: '/ledger-book', component: () => import('./pages/LedgerBook.vue'), meta: { kinds: ['party', 'regulator', 'auditor'] } },
  { path: '/imports', component: () => import('./pages/Imports.vue'), meta: { kinds: ['party'] } },
  { path: '/reports', component: () => import('./pages/IndicatorReport.vue'), meta: { kinds: ['regulator', 'auditor'] } },
  { path: '/webhooks', component: () => import('./pages/Webhooks.vue'), meta: { kinds: ['party', 'regulator', 'auditor'] } },
  { path: '/audit', component: () => import('./pages/History.vue'), meta: { kinds: ['auditor'] } },
  { path: '/:rest(.*)*', component: () => import('./pages/NotFound.vue'), meta: { public: true } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  if (to.meta.public) return true;
  if (!session.who) return { path: '/sign-in', query: { next: to.fullPath } };
  const kinds = to.meta.kinds as Kind[] | undefined;
  if (kinds && !kinds.includes(session.who.kind)) return homeOf(session.who);
  return true;
});
