// Operator accounts (admins only): who may sign in, with what role and agency, and whether the
// account is locked or disabled; unlock, disable, enable and end sessions, each with a reason.
// An agency-bound admin sees its agency's accounts only (the ops service decides).
import { useState } from 'preact/hooks';
import type { Operator } from '@rabt/ops-contracts';
import type { OperatorAction } from '../api/ops.client';
import { useConsole, useLoad } from '../app/console.context';
import type { MessageKey } from '../i18n/i18n';
import { Code } from '../ui/badges.component';
import { LoadedView, Table } from '../ui/loaded.component';
import { ReasonDialog } from '../ui/reason.dialog';

const ACTION_LABEL: Readonly<Record<OperatorAction, MessageKey>> = {
  unlock: 'operators.unlock',
  disable: 'operators.disable',
  enable: 'operators.enable',
  'revoke-sessions': 'operators.revokeSessions',
};

/** The actions an account offers: unlock while locked, disable or enable, and ending its sessions. */
export function actionsFor(o: Pick<Operator, 'locked' | 'disabled' | 'username'>, me: string): OperatorAction[] {
  return [...(o.locked ? (['unlock'] as const) : []), ...(o.disabled ? (['enable'] as const) : o.username === me ? [] : (['disable'] as const)), 'revoke-sessions'];
}

export function OperatorsScreen() {
  const { t, fmt, api, operator } = useConsole();
  const operators = useLoad(() => api.operators(), []);
  const [pending, setPending] = useState<{ username: string; action: OperatorAction } | null>(null);
  const none = t('common.none');
  return (
    <section data-testid="operators">
      <div class="page-head">
        <h1>{t('operators.title')}</h1>
      </div>
      <LoadedView loaded={operators} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <Table flush testid="operator-list" columns={[t('operators.username'), t('operators.name'), t('operators.role'), t('operators.agency'), t('operators.state'), t('operators.lastSignIn'), '']}>
            {data.items.map((o) => (
              <tr key={o.username} data-testid="operator-item" data-username={o.username}>
                <td>
                  <Code value={o.username} />
                </td>
                <td>{o.displayName}</td>
                <td>{t(`role.${o.role}`)}</td>
                <td>{o.agency ? <Code value={o.agency} /> : none}</td>
                <td data-testid="operator-state">
                  {o.disabled ? <span class="badge state-open">{t('operators.disabled')}</span> : null}
                  {o.locked ? <span class="badge state-replaying">{t('operators.lockedUntil', { until: fmt.dateTime(o.lockedUntil) })}</span> : null}
                  {!o.disabled && !o.locked ? <span class="badge">{t('operators.active')}</span> : null}
                </td>
                <td>{fmt.dateTime(o.lastSignInAt)}</td>
                <td>
                  <div class="actions">
                    {actionsFor(o, operator?.username ?? '').map((action) => (
                      <button key={action} type="button" class={action === 'disable' ? 'button danger' : 'button'} data-testid={`operator-${action}`} onClick={() => setPending({ username: o.username, action })}>
                        {t(ACTION_LABEL[action])}
                      </button>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </LoadedView>
      {pending ? (
        <ReasonDialog
          title={t('operators.confirmTitle', { action: t(ACTION_LABEL[pending.action]), username: pending.username })}
          confirmLabel={t(ACTION_LABEL[pending.action])}
          danger={pending.action === 'disable' || pending.action === 'revoke-sessions'}
          onCancel={() => setPending(null)}
          onConfirm={async (reason) => {
            await api.operatorAction(pending.username, pending.action, reason);
            setPending(null);
            operators.reload();
          }}
        />
      ) : null}
    </section>
  );
}
