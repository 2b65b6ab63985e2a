/** Composition root: the store, URL sync, the engine worker and the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from '@/store/createAppStore';
import { StoreProvider } from '@/store/hooks';
import { startUrlSync } from '@/store/urlSync';
import { App } from '@/ui/App';
import { createEngineClient } from '@/worker/api';
import { testHangMs, testHooksEnabled, withTestHooks } from './testHooks';
import './ui/styles.css';

const hangMs = testHangMs(window.location.search);
const store = createAppStore({
  createEngine: testHooksEnabled(window.location.search)
    ? withTestHooks(() => createEngineClient(hangMs === undefined ? {} : { hangMs }))
    : () => createEngineClient(),
  baseUrl: new URL(import.meta.env.BASE_URL, window.location.href).toString(),
  autoQuantizeMs: 250,
});
startUrlSync(store);
void store.getState().startEngine();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
