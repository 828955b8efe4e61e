import { render } from 'preact';
import { OpsClient } from './api/ops.client';
import { App } from './app/app';
import './styles.css';

render(<App api={new OpsClient()} />, document.getElementById('app')!);
