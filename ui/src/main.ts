import { mount } from 'svelte';
import './app.css';
import AppShell from './features/shell/AppShell.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(AppShell, { target });
