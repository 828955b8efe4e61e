// What every screen needs: the language (t, formatters), the API client and the signed-in operator.
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { SessionOperator } from '@rabt/ops-contracts';
import type { OpsClient } from '../api/ops.client';
import { formatters, translate, type Formatters, type Lang, type MessageKey, type Params } from '../i18n/i18n';

export interface ConsoleContextValue {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
  readonly t: (key: MessageKey, params?: Params) => string;
  readonly fmt: Formatters;
  readonly api: OpsClient;
  readonly operator: SessionOperator | null;
  readonly setOperator: (operator: SessionOperator | null) => void;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function makeI18n(lang: Lang): Pick<ConsoleContextValue, 't' | 'fmt'> {
  return { t: (key, params) => translate(lang, key, params), fmt: formatters(lang) };
}

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside ConsoleContext');
  return value;
}

/**
 * Whether the operator may act (replay, discard) — on a delivery to `subscriber`, when given: an
 * agency account acts only on its own agency's deliveries. The server decides in the end.
 */
export function canAct(operator: SessionOperator | null, subscriber?: string): boolean {
  const role = operator?.role === 'operator' || operator?.role === 'admin';
  return role && (subscriber === undefined || operator?.agency === null || operator?.agency === subscriber);
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Loads `load()` whenever `deps` change; a stale answer (deps changed meanwhile) is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => mine === generation.current && setState({ data: undefined, error, loading: false }),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
