import { render } from 'preact';
import { OpsClient } from './api/ops.client';
import { App } from './app/app';
import './styles.css';

import { SESSION_ENDED_EVENT } from './app/app';

// A request refused because the session ended brings the sign-in screen back.
const api = new OpsClient({ onUnauthenticated: () => dispatchEvent(new Event(SESSION_ENDED_EVENT)) });
render(<App api={api} />, document.getElementById('app')!);
