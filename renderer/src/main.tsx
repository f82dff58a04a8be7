import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installPageErrorHandlers } from './lib/page-errors';
import { useDesk } from './store';
import './styles.css';

// Before anything renders, so no failure of the app's start slips by unseen.
installPageErrorHandlers(window, (text) => useDesk.getState().showFailure(text));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
